#!/usr/bin/env python3
"""QR photos in the formats phones and messaging apps hand over, each with one photo defect
(issue 13 §2). Writes testdata/qr/formats/ from the committed segno renders (version 17,
4 px a module), deterministic (fixed seed, no randomness in the encoders used):

  curved_perspective.webp   lossy WebP (quality 80): vn1_es256 on paper bent so that its rows bow
                            by 3 modules, then tilted in perspective, under a light gradient
  small_in_frame.webp       lossless WebP: vn1_eddsa at 2.6 px a module in a 1024 x 768
                            screenshot with interface blocks
  low_contrast_screen.gif   GIF (256-grey palette): hc1_vaccination at a third of full contrast
                            on a screen with moire (a sinusoidal beat pattern) and a gradient
  glare.bmp                 BMP (8-bit grey): vn1_es256 rotated 20 degrees in a 640 x 480 frame
                            with a specular highlight washing out part of it

Every file holds the payload of the .txt named in testdata/qr/README.md and must be read by
docseal::qr::decode_image (tests/it/qr.rs, photo_formats_and_defects_are_read).

    /work/venv-peer/bin/python testdata/qr/gen/make_formats.py   # Pillow 13.0.0, numpy 2.4.6
"""
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve().parent
QR = HERE.parent
OUT = QR / "formats"


def code(name: str) -> np.ndarray:
    """The committed render as floats, 0 dark .. 1 light."""
    return np.asarray(Image.open(QR / f"{name}.png").convert("L"), dtype=np.float64) / 255.0


def homography(src, dst) -> np.ndarray:
    """The 3 x 3 transform taking the four points src to dst."""
    a = []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y, -u])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y, -v])
    _, _, vt = np.linalg.svd(np.asarray(a))
    return vt[-1].reshape(3, 3) / vt[-1][-1]


def sample(src: np.ndarray, u: np.ndarray, v: np.ndarray, outside=1.0) -> np.ndarray:
    """Bilinear samples of src at (u, v) pixel coordinates; `outside` beyond its edges."""
    h, w = src.shape
    x0 = np.floor(u - 0.5).astype(int)
    y0 = np.floor(v - 0.5).astype(int)
    fx, fy = u - 0.5 - x0, v - 0.5 - y0
    inside = (x0 >= 0) & (y0 >= 0) & (x0 < w - 1) & (y0 < h - 1)
    x0c, y0c = np.clip(x0, 0, w - 2), np.clip(y0, 0, h - 2)
    top = src[y0c, x0c] * (1 - fx) + src[y0c, x0c + 1] * fx
    bottom = src[y0c + 1, x0c] * (1 - fx) + src[y0c + 1, x0c + 1] * fx
    return np.where(inside, top * (1 - fy) + bottom * fy, outside)


def place(src, size, corners, bend=0.0):
    """src seen through the perspective that puts its corners at `corners` in a frame of `size`;
    `bend` bows its rows (in source pixels at the middle column, zero at the sides)."""
    w, h = size
    n = src.shape[0]
    inv = np.linalg.inv(homography([(0, 0), (n, 0), (n, n), (0, n)], corners))
    ys, xs = np.mgrid[0:h, 0:w] + 0.5
    p = inv @ np.stack([xs.ravel(), ys.ravel(), np.ones(xs.size)])
    u, v = p[0] / p[2], p[1] / p[2]
    s = u / n * 2 - 1  # -1 .. 1 across the code
    v = v - bend * (1 - s * s)
    return sample(src, u, v).reshape(h, w)


def blur(img, radius):
    """Box blur, twice (close to a Gaussian), in both directions."""
    k = np.ones(2 * radius + 1) / (2 * radius + 1)
    for _ in range(2):
        img = np.apply_along_axis(lambda r: np.convolve(r, k, mode="same"), 1, img)
        img = np.apply_along_axis(lambda c: np.convolve(c, k, mode="same"), 0, img)
    return img


def grey(img) -> Image.Image:
    return Image.fromarray(np.clip(img * 255 + 0.5, 0, 255).astype(np.uint8), "L")


def main() -> int:
    OUT.mkdir(exist_ok=True)
    rng = np.random.default_rng(20300317)

    # Curved paper in perspective, light falling off to one side, sensor noise: lossy WebP.
    img = place(code("vn1_es256"), (560, 560), [(70, 60), (480, 95), (500, 500), (60, 470)], bend=12)
    ys, xs = np.mgrid[0:560, 0:560]
    img = blur(img, 1) * (1.0 - 0.35 * xs / 560) + rng.normal(0, 0.02, img.shape)
    grey(img).save(OUT / "curved_perspective.webp", quality=80, method=6)

    # A screenshot: flat interface blocks, the code small (2.6 px a module) in a big frame.
    frame = np.full((768, 1024), 0.95)
    frame[:60, :] = 0.25  # title bar
    frame[100:700, 40:300] = 0.85  # side panel
    for y in range(120, 680, 40):
        frame[y : y + 14, 60 : 60 + (y * 7) % 200 + 40] = 0.35  # text lines
    small = place(code("vn1_eddsa"), (242, 242), [(0, 0), (242, 0), (242, 242), (0, 242)])
    frame[400:642, 620:862] = small
    grey(frame).save(OUT / "small_in_frame.webp", lossless=True)

    # A phone screen photographed: low contrast, moire, a gradient; GIF's 256-level palette.
    img = place(code("hc1_vaccination"), (480, 480), [(58, 52), (430, 70), (418, 432), (50, 416)])
    ys, xs = np.mgrid[0:480, 0:480]
    moire = 0.06 * np.sin(xs * 0.9 + ys * 0.35) * np.sin(xs * 0.05)
    img = 0.45 + img / 3 + moire + 0.15 * ys / 480
    grey(blur(img, 1)).save(OUT / "low_contrast_screen.gif")

    # Glare: a specular highlight over part of a rotated code in a wider frame: BMP.
    t = np.radians(20)
    c, s, r = 320, 240, 190
    corners = [(c + r * np.cos(t + a) * 1.2, s + r * np.sin(t + a) * 1.2) for a in np.radians([-135, -45, 45, 135])]
    img = place(code("vn1_es256"), (640, 480), corners)
    ys, xs = np.mgrid[0:480, 0:640]
    glare = np.exp(-(((xs - 390) / 70) ** 2 + ((ys - 200) / 45) ** 2))
    img = np.minimum(1.0, 0.15 + 0.7 * img + 0.6 * glare)
    grey(blur(img, 1)).save(OUT / "glare.bmp")

    for f in sorted(OUT.iterdir()):
        print(f"{f.name}: {f.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
