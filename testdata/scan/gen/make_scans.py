#!/usr/bin/env python3
"""Renders a permit-like A4 page at 300 dpi and distorts it with known truth -> testdata/scan/.

Everything is seeded: running it twice gives the same pixels with the same library versions
(requirements.txt). Each case: rotate the upright page by a multiple of 90 degrees
(orientation, counter-clockwise), then by the skew angle (counter-clockwise as displayed, bicubic),
lay it on a dark scanner bed, darken it with uneven light, add sensor noise, downscale to the
committed resolution and save as JPEG at the case's quality. manifest.json records, per file, the
truth: skew_deg, orientation_deg, the page corners in file pixels (TL, TR, BR, BL of the upright
page), dpi, the QR text, plus the EXIF orientation tag where one is written.

    python3 testdata/scan/gen/make_scans.py            # from any cwd
"""
import io
import json
import math
import pathlib
import random
import subprocess
import tempfile

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFont, ImageFilter

OUT = pathlib.Path(__file__).resolve().parent.parent
FONT_DIR = pathlib.Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core
DPI = 300
A4 = (2480, 3508)  # 210 x 297 mm at 300 dpi
QR_TEXT = "https://dichvucong.example.vn/v/HCM-QH1-2030-000123"

BODY = [
    "Căn cứ Luật Xây dựng ngày 18 tháng 6 năm 2014 và Luật sửa đổi, bổ sung một số điều",
    "của Luật Xây dựng ngày 17 tháng 6 năm 2020; căn cứ Nghị định số 15/2021/NĐ-CP ngày",
    "03 tháng 3 năm 2021 của Chính phủ quy định chi tiết một số nội dung về quản lý dự án",
    "đầu tư xây dựng; xét đề nghị của ông Nguyễn Văn An về việc cấp giấy phép xây dựng",
    "nhà ở riêng lẻ, kèm theo hồ sơ thiết kế đã được thẩm định theo quy định hiện hành.",
    "1. Cấp cho: ông Nguyễn Văn An, căn cước công dân số 079090001234, cấp ngày 12/8/2021.",
    "Địa chỉ thường trú: số 45 đường Lê Lợi, phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh.",
    "2. Được phép xây dựng công trình: nhà ở riêng lẻ, cấp III, gồm một tầng hầm, bốn tầng",
    "nổi và tum thang; tại thửa đất số 128, tờ bản đồ số 07, phường Bến Nghé, Quận 1.",
    "3. Giấy phép này có hiệu lực khởi công trong thời hạn mười hai tháng kể từ ngày cấp;",
    "quá thời hạn trên mà công trình chưa khởi công thì chủ đầu tư phải đề nghị gia hạn.",
    "4. Chủ đầu tư phải thông báo ngày khởi công bằng văn bản cho Ủy ban nhân dân phường",
    "nơi xây dựng công trình trong thời hạn bảy ngày làm việc trước khi khởi công xây dựng.",
]
TABLE = [
    ("Hạng mục", "Diện tích (m²)", "Chiều cao (m)", "Ghi chú"),
    ("Tầng hầm", "96,5", "−3,20", "Để xe, kỹ thuật"),
    ("Tầng trệt", "98,0", "4,20", "Kinh doanh"),
    ("Tầng 2 – 4", "3 × 102,0", "3,60", "Ở, phòng ngủ"),
    ("Tum thang", "24,0", "3,00", "Sân thượng"),
    ("Tổng cộng", "524,5", "18,90", "Mật độ 82 %"),
]


def font(name, pt):
    return ImageFont.truetype(str(FONT_DIR / name), round(pt * DPI / 72))


def render_page():
    page = Image.new("RGB", A4, "white")
    d = ImageDraw.Draw(page)
    regular, bold = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
    margin_l, y = 300, 220

    def centred(text, f, y):
        w = d.textlength(text, font=f)
        d.text(((A4[0] - w) / 2, y), text, font=f, fill="black")

    d.text((margin_l, y), "ỦY BAN NHÂN DÂN QUẬN 1", font=font(bold, 11), fill="black")
    d.text((margin_l, y + 60), "Số: 123/GPXD", font=font(regular, 11), fill="black")
    d.text((1350, y), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font(bold, 11), fill="black")
    d.text((1480, y + 60), "Độc lập – Tự do – Hạnh phúc", font=font(bold, 11), fill="black")
    y += 250
    centred("GIẤY PHÉP XÂY DỰNG", font(bold, 18), y)
    y += 110
    centred("Số 123/GPXD ngày 16 tháng 3 năm 2030", font(regular, 12), y)
    y += 130
    body = font(regular, 11)
    for line in BODY:
        d.text((margin_l, y), line, font=body, fill="black")
        y += 66
    # Table with ruled cells.
    y += 40
    cols = [margin_l, 800, 1250, 1650, 2180]
    row_h = 72
    for r, row in enumerate(TABLE):
        f = font(bold if r == 0 else regular, 10.5)
        for c, cell in enumerate(row):
            d.text((cols[c] + 16, y + r * row_h + 14), cell, font=f, fill="black")
    for r in range(len(TABLE) + 1):
        d.line([(cols[0], y + r * row_h), (cols[-1], y + r * row_h)], fill="black", width=4)
    for x in cols:
        d.line([(x, y), (x, y + len(TABLE) * row_h)], fill="black", width=4)
    y += len(TABLE) * row_h + 90
    for line in BODY[9:12]:
        d.text((margin_l, y), line, font=body, fill="black")
        y += 66
    # QR code (segno, level M, 30 mm) bottom left, with its caption.
    qr = segno.make(QR_TEXT, error="m", micro=False)
    size_px = round(30 / 25.4 * DPI)
    scale = max(1, size_px // (qr.symbol_size(scale=1, border=4)[0]))
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=4)
    qr_img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    qy = A4[1] - 300 - qr_img.height
    page.paste(qr_img, (margin_l, qy))
    d.text((margin_l, qy + qr_img.height + 10), "Tra cứu trực tuyến", font=font(regular, 9), fill="black")
    # Signature block and a red round seal over it.
    sx, sy = 1500, A4[1] - 760
    centred_x = lambda text, f, cx, yy: d.text((cx - d.textlength(text, font=f) / 2, yy), text, font=f, fill="black")
    centred_x("TM. ỦY BAN NHÂN DÂN", font(bold, 11), 1850, sy)
    centred_x("CHỦ TỊCH", font(bold, 11), 1850, sy + 60)
    centred_x("Trần Thị Bích Ngọc", font(bold, 11), 1850, sy + 420)
    seal = Image.new("RGBA", (440, 440), (0, 0, 0, 0))
    sd = ImageDraw.Draw(seal)
    red = (210, 30, 35, 235)
    sd.ellipse((6, 6, 434, 434), outline=red, width=14)
    sd.ellipse((52, 52, 388, 388), outline=red, width=5)
    star = [(220 + 70 * math.cos(math.radians(-90 + 144 * k)),
             220 + 70 * math.sin(math.radians(-90 + 144 * k))) for k in range(5)]
    sd.polygon(star, fill=red)
    sf = font(bold, 7)
    for k, ch in enumerate("ỦY BAN NHÂN DÂN QUẬN 1 * TP. HỒ CHÍ MINH *"):
        a = math.radians(-170 + k * (340 / 42))
        glyph = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((30, 30), ch, font=sf, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        seal.alpha_composite(glyph, (round(220 + 180 * math.cos(a) - 30), round(220 + 180 * math.sin(a) - 30)))
    page.paste(seal, (1630, sy + 20), seal)
    return page


GRID_SENTENCE = "Nộp hồ sơ tại Bộ phận một cửa."


def render_grid_page():
    """The orientation trap of issue #6: one sentence repeated in a 3-column grid. The same
    letters line up down the columns and the gaps between the repeats look like the gaps
    between text lines, so the columns can pass for lines of text."""
    page = Image.new("RGB", A4, "white")
    d = ImageDraw.Draw(page)
    f = font("DejaVuSans.ttf", 11)
    for row in range(42):
        for col in range(3):
            d.text((260 + col * 680, 240 + row * 72), GRID_SENTENCE, font=f, fill="black")
    return page


def rotate_point(p, centre_old, centre_new, deg):
    """Where p goes when an image is rotated counter-clockwise (as displayed) by deg about its
    centre and re-centred on centre_new (Pillow's rotate(expand=True) geometry)."""
    a = math.radians(deg)
    dx, dy = p[0] - centre_old[0], p[1] - centre_old[1]
    return (centre_new[0] + dx * math.cos(a) + dy * math.sin(a),
            centre_new[1] - dx * math.sin(a) + dy * math.cos(a))


def distort(page, case, rng):
    w, h = page.size
    corners = [(0, 0), (w, 0), (w, h), (0, h)]  # TL TR BR BL of the upright page
    img = page.convert("RGBA")
    k = case["orientation"] // 90
    for _ in range(k):  # exact 90-degree counter-clockwise turns
        cw, ch = img.size
        img = img.transpose(Image.Transpose.ROTATE_90)
        corners = [(y, cw - x) for x, y in corners]
    cw, ch = img.size
    img = img.rotate(case["skew"], resample=Image.BICUBIC, expand=True, fillcolor=(0, 0, 0, 0))
    corners = [rotate_point(p, (cw / 2, ch / 2), (img.width / 2, img.height / 2), case["skew"]) for p in corners]
    border = case.get("border", 0)
    if border:
        bed = Image.new("RGBA", (img.width + 2 * border, img.height + 2 * border + border // 2),
                        (28, 30, 33, 255))
        off = (border + rng.randint(-border // 3, border // 3), border + rng.randint(0, border // 2))
        bed.alpha_composite(img, off)
        corners = [(x + off[0], y + off[1]) for x, y in corners]
        img = bed
    else:
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        white.alpha_composite(img)
        img = white
    arr = np.asarray(img.convert("RGB"), dtype=np.float32)
    hh, ww = arr.shape[:2]
    if case.get("light"):
        # Uneven light: brightness falls from 1.0 to `light` along a diagonal, plus a soft
        # shadow band along the left edge (a book fold or a lid left open).
        yy, xx = np.mgrid[0:hh, 0:ww].astype(np.float32)
        ramp = 1.0 - (1.0 - case["light"]) * (xx / ww * 0.6 + yy / hh * 0.4)
        shadow = 1.0 - 0.25 * np.exp(-((xx - 0.08 * ww) / (0.05 * ww)) ** 2)
        arr *= (ramp * shadow)[..., None]
    if case.get("noise"):
        arr += np.random.default_rng(case["seed"]).normal(0, case["noise"], arr.shape[:2])[..., None]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    scale = case["dpi"] / DPI
    if scale != 1:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
        corners = [(x * scale, y * scale) for x, y in corners]
    return img, corners


CASES = [
    # name, orientation (ccw), skew (ccw), scanner border (px at 300 dpi), light (min factor),
    # noise sigma, JPEG quality, dpi of the committed file, colour or grey
    dict(name="upright", orientation=0, skew=0.0, border=0, light=0, noise=0, q=85),
    dict(name="skew_p0_3", orientation=0, skew=0.3, border=120, light=0, noise=2, q=75),
    dict(name="skew_m0_3", orientation=0, skew=-0.3, border=0, light=0.8, noise=0, q=70),
    dict(name="skew_p1_7", orientation=0, skew=1.7, border=150, light=0.75, noise=2, q=60),
    dict(name="skew_p4_8", orientation=0, skew=4.8, border=140, light=0.7, noise=2, q=50),
    dict(name="skew_m7_15", orientation=0, skew=-7.15, border=100, light=0, noise=2, q=65),
    dict(name="skew_m12_9", orientation=0, skew=-12.9, border=130, light=0.8, noise=2, q=45),
    dict(name="skew_p15", orientation=0, skew=15.0, border=120, light=0.75, noise=2, q=40),
    dict(name="skew_m15", orientation=0, skew=-15.0, border=120, light=0, noise=2, q=55),
    dict(name="skew_p19_5", orientation=0, skew=19.5, border=100, light=0, noise=0, q=70),
    dict(name="skew_m19_5", orientation=0, skew=-19.5, border=0, light=0.8, noise=2, q=60),
    dict(name="rot90_skew_m3_3", orientation=90, skew=-3.3, border=110, light=0.75, noise=2, q=60),
    dict(name="rot180_skew_p0_8", orientation=180, skew=0.8, border=130, light=0, noise=2, q=70),
    dict(name="rot180_skew_m9_4", orientation=180, skew=-9.4, border=0, light=0.8, noise=0, q=50),
    dict(name="rot270_skew_p2_2", orientation=270, skew=2.2, border=120, light=0, noise=2, q=80),
    dict(name="rot270_skew_m13_7", orientation=270, skew=-13.7, border=150, light=0.7, noise=2, q=45),
]
# The orientation trap (render_grid_page), upright and turned.
CASES += [
    dict(name="grid_trap_skew_p1_2", page="grid", orientation=0, skew=1.2, border=120, light=0,
         noise=0, q=60),
    dict(name="grid_trap_rot90_skew_m2", page="grid", orientation=90, skew=-2.0, border=0,
         light=0.8, noise=0, q=60),
]
for i, c in enumerate(CASES):
    c.setdefault("dpi", 150)
    c.setdefault("seed", 1000 + i)
# One full-resolution colour page for the benches and the 300 dpi pipeline test.
CASES.append(dict(name="a4_300dpi_skew_p3_1", orientation=0, skew=3.1, border=160, light=0.8,
                  noise=2, q=60, dpi=300, seed=2000, colour=True))
# 200 dpi, the legal minimum: checked with the 150 dpi pages, and not flagged as below it.
CASES += [
    dict(name="dpi200_skew_m2_4", orientation=0, skew=-2.4, border=120, light=0, noise=2, q=70,
         dpi=200, seed=3000),
    dict(name="dpi200_rot90_skew_p0_6", orientation=90, skew=0.6, border=0, light=0.8, noise=2,
         q=60, dpi=200, seed=3001),
]
# One multi-page TIFF at 200 dpi, one page per storage an office scanner writes: each page is
# rendered and distorted here, stored as a single-page TIFF by ImageMagick (bilevel CCITT G4,
# grey LZW, RGB Deflate) and the three are joined by libtiff's tiffcp (each page keeps its own
# compression). Neither tool is docseal.
MULTIPAGE = "pages/three_pages_200dpi.tif"
MULTIPAGE_CASES = [
    dict(name="bilevel_g4", orientation=0, skew=2.5, border=0, light=0, noise=0, dpi=200,
         seed=4000, storage=["-threshold", "55%", "-type", "bilevel", "-compress", "Group4"]),
    dict(name="grey_lzw", orientation=180, skew=-1.1, border=110, light=0, noise=0, dpi=200,
         seed=4001, storage=["-type", "grayscale", "-compress", "LZW"]),
    dict(name="rgb_deflate", orientation=90, skew=6.0, border=130, light=0, noise=0, dpi=200,
         seed=4002, storage=["-type", "truecolor", "-compress", "Zip", "-define",
                             "tiff:predictor=2"]),
]
# Phone photos of the page on a wooden table, taken at an angle: the page is mapped onto a
# quadrilateral (the truth, in photo pixels, TL TR BR BL of the upright page) by a projective
# transform, colour JPEG without a resolution (phones state 72 dpi or nothing; a photo has no
# real dpi).
PHOTOS = [
    dict(name="photo_perspective", size=(1800, 2400), orientation=0,
         quad=[(360, 300), (1450, 250), (1620, 2230), (180, 2150)], q=80, seed=5000),
    dict(name="photo_perspective_rot90", size=(2400, 1800), orientation=90,
         quad=[(230, 1560), (330, 330), (2110, 200), (2260, 1660)], q=75, seed=5001),
]


def solve_homography(src, dst):
    """The 8 coefficients h of x' = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), y' = ... mapping
    each src point onto its dst point (Pillow's PERSPECTIVE data when src is the output)."""
    a, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y]); b.append(u)
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y]); b.append(v)
    return np.linalg.solve(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64))


def make_photo(page, case):
    """A photo of `page` on a table with the page's corners at case["quad"]."""
    rng = np.random.default_rng(case["seed"])
    w, h = case["size"]
    # Wood: a brown base, grain along x, slow light fall-off across the photo.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grain = 0.85 + 0.15 * np.sin(yy / 9.0 + 3.0 * np.sin(xx / 170.0)) * np.sin(yy / 53.0)
    light = 1.0 - 0.25 * (xx / w * 0.5 + yy / h * 0.5)
    base = np.array([128, 88, 58], dtype=np.float32)
    table = base[None, None, :] * (grain * light)[..., None]
    table += rng.normal(0, 3, (h, w))[..., None]
    photo = Image.fromarray(np.clip(table, 0, 255).astype(np.uint8), "RGB")
    upright = page
    for _ in range(case["orientation"] // 90):
        upright = upright.transpose(Image.Transpose.ROTATE_90)
    pw, ph = upright.size
    # case["quad"] is in upright-page order; the image-frame corners of the turned page are
    # the same points, the page's own corners turned with it.
    k = case["orientation"] // 90
    frame = [case["quad"][(i + k) % 4] for i in range(4)]
    coeffs = solve_homography(frame, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = upright.transform((w, h), Image.Transform.PERSPECTIVE, tuple(coeffs),
                               Image.Resampling.BICUBIC, fillcolor=(0, 0, 0))
    mask = Image.new("L", upright.size, 255).transform(
        (w, h), Image.Transform.PERSPECTIVE, tuple(coeffs), Image.Resampling.BILINEAR, fillcolor=0)
    # The paper is lit like the table (a little less fall-off: it is brighter and whiter).
    arr = np.asarray(warped, dtype=np.float32) * (1.0 - 0.15 * (xx / w * 0.5 + yy / h * 0.5))[..., None]
    arr += rng.normal(0, 2, (h, w))[..., None]
    paper = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    photo.paste(paper, (0, 0), mask)
    return photo


IMAGEMAGICK = "/usr/bin/convert"  # Debian imagemagick (a stand-in may shadow it on PATH)


def tool_version(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    return (out.stdout + out.stderr).strip().splitlines()[0]


def make_multipage(page):
    """MULTIPAGE and its manifest entry."""
    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for case in MULTIPAGE_CASES:
            img, corners = distort(page, case, random.Random(case["seed"]))
            png = pathlib.Path(tmp) / f"{case['name']}.png"
            img.save(png)
            part = pathlib.Path(tmp) / f"{case['name']}.tif"
            subprocess.run([IMAGEMAGICK, str(png), *case["storage"], "-units", "PixelsPerInch",
                            "-density", str(case["dpi"]), str(part)], check=True)
            parts.append(str(part))
            pages.append(dict(
                storage=case["name"], skew_deg=case["skew"], orientation_deg=case["orientation"],
                page_quad=[[round(x, 1), round(y, 1)] for x, y in corners], dpi=case["dpi"],
                width=img.width, height=img.height, scanner_border=case["border"] > 0,
                qr=[QR_TEXT]))
        subprocess.run(["tiffcp", *parts, str(OUT / MULTIPAGE)], check=True)
    return dict(file=MULTIPAGE, made_with=[tool_version([IMAGEMAGICK, "-version"]),
                                           tool_version(["tiffcp"])], pages=pages)


def main():
    pages = {"permit": render_page(), "grid": render_grid_page()}
    page = pages["permit"]
    (OUT / "pages").mkdir(exist_ok=True)
    manifest = []
    for case in CASES:
        rng = random.Random(case["seed"])
        img, corners = distort(pages[case.get("page", "permit")], case, rng)
        name = f"{case['name']}.jpg"
        if not case.get("colour"):
            img = img.convert("L")
        img.save(OUT / "pages" / name, quality=case["q"], dpi=(case["dpi"], case["dpi"]),
                 optimize=True)
        manifest.append(dict(
            file=f"pages/{name}", skew_deg=case["skew"], orientation_deg=case["orientation"],
            page_quad=[[round(x, 1), round(y, 1)] for x, y in corners], dpi=case["dpi"],
            width=img.width, height=img.height, jpeg_quality=case["q"],
            scanner_border=case["border"] > 0, uneven_light=bool(case["light"]),
            noise_sigma=case["noise"], colour=bool(case.get("colour")),
            page=case.get("page", "permit"), qr=[QR_TEXT] if case.get("page") is None else [],
        ))
    # EXIF: the upright page (100 dpi) stored turned 90 degrees counter-clockwise with Orientation = 6
    # ("rotate 90 CW to display"), so a reader that honours EXIF sees it upright.
    up = page.resize((A4[0] // 3, A4[1] // 3), Image.LANCZOS).convert("L")
    stored = up.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(OUT / "pages" / "exif_rot6.jpg", quality=50, dpi=(100, 100), exif=exif.tobytes(),
               optimize=True)
    w, h = up.size
    manifest.append(dict(
        file="pages/exif_rot6.jpg", skew_deg=0.0, orientation_deg=0,
        page_quad=[[0, 0], [w, 0], [w, h], [0, h]], dpi=100, width=w, height=h, jpeg_quality=50,
        scanner_border=False, uneven_light=False, noise_sigma=0, colour=False, page="permit",
        qr=[QR_TEXT], exif_orientation=6,
    ))
    for case in PHOTOS:
        photo = make_photo(page, case)
        name = f"{case['name']}.jpg"
        photo.save(OUT / "pages" / name, quality=case["q"], optimize=True)
        manifest.append(dict(
            file=f"pages/{name}", skew_deg=None, orientation_deg=case["orientation"],
            page_quad=[[float(x), float(y)] for x, y in case["quad"]], dpi=None,
            width=photo.width, height=photo.height, jpeg_quality=case["q"], scanner_border=True,
            uneven_light=True, noise_sigma=2, colour=True, page="permit", qr=[QR_TEXT],
            perspective=True,
        ))
    multipage = make_multipage(page)
    rows = ",\n".join("  " + json.dumps(m, ensure_ascii=False) for m in manifest)
    (OUT / "manifest.json").write_text(
        '{"generator": "gen/make_scans.py", "qr_text": %s,\n "pages": [\n%s\n],\n'
        ' "multipage": [\n  %s\n]}\n'
        % (json.dumps(QR_TEXT), rows, json.dumps(multipage, ensure_ascii=False)))
    total = sum((OUT / m["file"]).stat().st_size for m in manifest + [multipage])
    print(f"{len(manifest)} files, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
