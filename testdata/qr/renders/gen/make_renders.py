#!/usr/bin/env python3
"""Deterministic realistic renders of docseal test QR codes (baseline for decoder work).

Usage: python3 make_renders.py   (writes ../*.jpg and ../manifest.json)
Sources: ../../{vn1_es256,vn1_eddsa,hc1_vaccination}.png (segno, v17-Q, 4 px/module, 372x372
incl. 4-module quiet zone).  Everything is driven by one seeded numpy Generator, so the
output is byte-identical for the pinned library versions in requirements.txt.
"""
import json, os, math
import numpy as np
import cv2
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
QRDIR = os.path.dirname(OUT)
SOURCES = ["vn1_es256", "vn1_eddsa", "hc1_vaccination"]
SEED = 20300317
rng = np.random.default_rng(SEED)
A4 = (2480, 3508)  # w,h at 300 dpi
QR_PX = 372        # 4 dots/module, 93 modules incl. quiet zone
SYM = 85 * 4       # symbol (no quiet zone) size in page px


def load_qr(name):
    a = np.array(Image.open(os.path.join(QRDIR, name + ".png")).convert("L"), dtype=np.uint8)
    assert a.shape == (QR_PX, QR_PX)
    return a


def r(a, b):
    return float(rng.uniform(a, b))


def text_noise(page, avoid, density=1.0):
    """Draw text-like word blocks in paragraphs, avoiding rect avoid=(x0,y0,x1,y1)."""
    h, w = page.shape
    margin = int(w * 0.08)
    y = margin + int(rng.integers(0, 80))
    line_h = int(rng.integers(38, 52))
    while y < h - margin:
        if rng.random() < 0.6 * density:  # paragraph gap / blank area (sparse page keeps JPEGs small)
            y += line_h
            continue
        x = margin
        x_end = w - margin - int(rng.integers(0, 300)) if rng.random() < 0.2 else w - margin
        xh = int(line_h * 0.42)
        while x < x_end:
            ww = int(rng.integers(25, 180))
            x1 = min(x + ww, x_end)
            ax0, ay0, ax1, ay1 = avoid
            if not (x1 > ax0 - 20 and x < ax1 + 20 and y + line_h > ay0 - 20 and y < ay1 + 20):
                g = int(rng.integers(10, 60))
                page[y + line_h - xh - 4:y + line_h - 4, x:x1] = g
                # ascenders / glyph gaps so it looks like text not bars
                for gx in range(x, x1, int(rng.integers(18, 30))):
                    page[y + line_h - xh - 4:y + line_h - 4, gx:gx + 2] = 255
                    if rng.random() < 0.25:
                        page[y + 8:y + line_h - 4, gx + 3:gx + 6] = g
            x = x1 + int(rng.integers(12, 22))
        y += line_h
    return page


def make_page(qr, invert_code=False, density=1.0):
    """300-dpi A4 page with the code printed at 4 dots/module; returns page, (x,y) of qr."""
    W, H = A4
    page = np.full((H, W), 255, np.uint8)
    qx = int(rng.integers(200, W - QR_PX - 200))
    qy = int(rng.integers(200, H - QR_PX - 200))
    text_noise(page, (qx, qy, qx + QR_PX, qy + QR_PX), density)
    q = 255 - qr if invert_code else qr
    if invert_code:  # dark panel around the code (light-on-dark print)
        pad = 24
        page[qy - pad:qy + QR_PX + pad, qx - pad:qx + QR_PX + pad] = 0
    page[qy:qy + QR_PX, qx:qx + QR_PX] = q
    return page, (qx, qy)


def paper(img, strength):
    """Low-frequency paper texture + fine grain, additive."""
    h, w = img.shape[:2]
    lo = rng.normal(0, 1, (max(2, h // 64), max(2, w // 64))).astype(np.float32)
    lo = cv2.resize(lo, (w, h), interpolation=cv2.INTER_CUBIC)
    fine = rng.normal(0, 1, (h, w)).astype(np.float32)
    return img.astype(np.float32) + strength * (2.0 * lo + fine)


def to_u8(a):
    return np.clip(a, 0, 255).astype(np.uint8)


def gamma(img, g):
    return 255.0 * (np.clip(img, 0, 255) / 255.0) ** g


def motion_kernel(length, angle):
    k = np.zeros((length, length), np.float32)
    k[length // 2, :] = 1
    M = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    k = cv2.warpAffine(k, M, (length, length))
    return k / k.sum()


def rot3(rx, ry, rz):
    rx, ry, rz = map(math.radians, (rx, ry, rz))
    Rx = np.array([[1, 0, 0], [0, math.cos(rx), -math.sin(rx)], [0, math.sin(rx), math.cos(rx)]])
    Ry = np.array([[math.cos(ry), 0, math.sin(ry)], [0, 1, 0], [-math.sin(ry), 0, math.cos(ry)]])
    Rz = np.array([[math.cos(rz), -math.sin(rz), 0], [math.sin(rz), math.cos(rz), 0], [0, 0, 1]])
    return Rz @ Ry @ Rx


def phone_photo(qr, frame=(1280, 960), span=(150, 400), rot=(5, 45), tilt=0.0,
                blur=None, light=0.3, contrast=1.0, invert=False, noise=0.8):
    """Photograph of a printed page. Returns image, distortion dict."""
    page, (qx, qy) = make_page(qr, invert_code=invert, density=1.0)
    page = to_u8(paper(page, 0.6))
    H, W = page.shape
    cx, cy = qx + QR_PX / 2, qy + QR_PX / 2
    rz = r(*rot) * (1 if rng.random() < 0.5 else -1)
    # tilt: total out-of-plane angle `tilt`, split between x and y axes
    phi = r(0, 2 * math.pi)
    rx, ry = tilt * math.cos(phi), tilt * math.sin(phi)
    R = rot3(rx, ry, rz)
    f = 1.2 * max(frame)
    target = r(*span)
    # camera distance such that the symbol spans ~target px
    Z = f * SYM / target
    fx, fy = frame[0] / 2 + r(-0.15, 0.15) * frame[0], frame[1] / 2 + r(-0.15, 0.15) * frame[1]

    def proj(pts):
        P = np.c_[pts[:, 0] - cx, pts[:, 1] - cy, np.zeros(len(pts))] @ R.T
        P[:, 2] += Z
        return np.c_[f * P[:, 0] / P[:, 2] + fx, f * P[:, 1] / P[:, 2] + fy].astype(np.float32)

    src = np.array([[0, 0], [W, 0], [W, H], [0, H]], np.float32)
    Hm = cv2.getPerspectiveTransform(src, proj(src))
    # background: desk-like gradient
    bgc = r(40, 140)
    yy, xx = np.mgrid[0:frame[1], 0:frame[0]].astype(np.float32)
    bg = bgc + 30 * (xx / frame[0]) - 20 * (yy / frame[1])
    warped = cv2.warpPerspective(page, Hm, frame, flags=cv2.INTER_AREA if target < SYM else cv2.INTER_LINEAR,
                                 borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(page, 255), Hm, frame, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=0).astype(np.float32) / 255
    img = warped.astype(np.float32) * mask + bg * (1 - mask)
    q = np.array([[qx + 16, qy + 16], [qx + 16 + SYM, qy + 16], [qx + 16 + SYM, qy + 16 + SYM],
                  [qx + 16, qy + 16 + SYM]], np.float32)
    qp = proj(q)
    span_px = float(max(qp[:, 0].max() - qp[:, 0].min(), qp[:, 1].max() - qp[:, 1].min()))
    d = {"frame": list(frame), "rotation_deg": round(rz, 2), "tilt_deg": round(tilt, 2),
         "tilt_x_deg": round(rx, 2), "tilt_y_deg": round(ry, 2), "code_span_px": round(span_px, 1)}
    if blur is not None:
        kind, amt = blur
        if kind == "gauss":
            img = cv2.GaussianBlur(img, (0, 0), amt)
            d["gaussian_blur_sigma"] = round(amt, 2)
        else:
            ang = r(0, 180)
            img = cv2.filter2D(img, -1, motion_kernel(int(amt), ang))
            d["motion_blur"] = {"length_px": int(amt), "angle_deg": round(ang, 1)}
    else:
        s = r(0.4, 0.9)
        img = cv2.GaussianBlur(img, (0, 0), s)
        d["gaussian_blur_sigma"] = round(s, 2)
    # uneven lighting: linear gradient + vignette
    ga = r(0, 2 * math.pi)
    g = ((xx - frame[0] / 2) * math.cos(ga) + (yy - frame[1] / 2) * math.sin(ga)) / max(frame)
    vig = ((xx - fx) ** 2 + (yy - fy) ** 2) / (max(frame) ** 2)
    lightmap = 1.0 - light * (g + 0.5) - 0.3 * vig
    img = img * lightmap
    d["lighting_gradient"] = round(light, 2)
    if contrast != 1.0:
        mid = r(110, 150)
        img = mid + (img - 128) * contrast
        d["contrast_scale"] = round(contrast, 2)
        d["contrast_mid"] = round(mid, 1)
    # sensor noise after a phone ISP's denoise: mostly low-frequency chroma/luma blotches
    n = rng.normal(0, noise, img.shape).astype(np.float32)
    img = img + n
    d["sensor_noise_sigma"] = noise
    if invert:
        d["inverted"] = True
    return to_u8(img), d


def a4_scan(qr, dpi):
    page, (qx, qy) = make_page(qr)
    img = paper(page, 0.5)
    s = r(0.5, 0.8)
    img = cv2.GaussianBlur(img, (0, 0), s)
    d = {"page": "A4", "dpi": dpi, "qr_pos_300dpi": [qx, qy], "dots_per_module_300dpi": 4,
         "blur_sigma": round(s, 2), "paper_noise": 0.5}
    if dpi != 300:
        k = dpi / 300
        img = cv2.resize(img, (round(A4[0] * k), round(A4[1] * k)), interpolation=cv2.INTER_AREA)
        d["downscaled_px_per_module"] = round(4 * k, 2)
    return to_u8(img), d


def print_scan(qr, invert=False):
    page, (qx, qy) = make_page(qr, invert_code=invert)
    # crop a scanner-bed region around the code (keeps files small)
    cw, ch = 1200, 1000
    x0 = int(np.clip(qx + QR_PX / 2 - cw / 2 + rng.integers(-250, 250), 0, A4[0] - cw))
    y0 = int(np.clip(qy + QR_PX / 2 - ch / 2 + rng.integers(-200, 200), 0, A4[1] - ch))
    img = page[y0:y0 + ch, x0:x0 + cw].astype(np.float32)
    dot_gain = r(0.7, 1.4)
    img = cv2.GaussianBlur(img, (0, 0), dot_gain)          # printer dot gain / toner spread
    img = paper(img, r(2, 4))
    ang = r(0.5, 3.0) * (1 if rng.random() < 0.5 else -1)
    M = cv2.getRotationMatrix2D((cw / 2, ch / 2), ang, 1.0)
    img = cv2.warpAffine(img, M, (cw, ch), flags=cv2.INTER_LINEAR, borderValue=255)
    sb = r(0.4, 0.9)
    img = cv2.GaussianBlur(img, (0, 0), sb)                 # scanner optics
    gm = r(0.7, 1.5)
    img = gamma(img, gm)
    # scanner: black not fully black, white slightly grey
    lo, hi = r(10, 45), r(225, 250)
    img = lo + img * (hi - lo) / 255.0
    d = {"crop_300dpi": [x0, y0, cw, ch], "print_dot_gain_sigma": round(dot_gain, 2),
         "scan_blur_sigma": round(sb, 2), "rotation_deg": round(ang, 2), "gamma": round(gm, 2),
         "black_white_levels": [round(lo, 1), round(hi, 1)], "paper_texture": True}
    if invert:
        d["inverted"] = True
    return to_u8(img), d


def main():
    qrs = {n: load_qr(n) for n in SOURCES}
    plan = []
    # (family, count)
    plan += [("a4_scan", {"dpi": 300})] * 2 + [("a4_scan", {"dpi": 150})] * 2 + [("a4_scan", {"dpi": 200})] * 2
    plan += [("print_scan", {})] * 10
    plan += [("phone_rotation", {})] * 10
    plan += [("perspective", {})] * 10
    plan += [("blur", {"kind": "gauss"})] * 4 + [("blur", {"kind": "motion"})] * 4
    plan += [("low_contrast", {})] * 8
    plan += [("inverted", {"mode": "scan"})] * 2 + [("inverted", {"mode": "phone"})] * 2
    plan += [("12mp", {})] * 4
    manifest = []
    counters = {}
    for i, (fam, opt) in enumerate(plan):
        src = SOURCES[i % len(SOURCES)]
        qr = qrs[src]
        if fam == "a4_scan":
            img, d = a4_scan(qr, opt["dpi"])
            q = int(rng.integers(40, 51)) if opt["dpi"] == 300 else int(rng.integers(40, 56))
        elif fam == "print_scan":
            img, d = print_scan(qr)
            q = int(rng.integers(40, 71))
        elif fam == "phone_rotation":
            img, d = phone_photo(qr, rot=(5, 45), tilt=r(0, 5), light=r(0.1, 0.35))
            q = int(rng.integers(40, 71))
        elif fam == "perspective":
            img, d = phone_photo(qr, rot=(0, 45), tilt=r(10, 30), light=r(0.1, 0.35))
            q = int(rng.integers(40, 71))
        elif fam == "blur":
            b = ("gauss", r(1.0, 2.2)) if opt["kind"] == "gauss" else ("motion", int(rng.integers(5, 13)))
            img, d = phone_photo(qr, rot=(0, 30), tilt=r(0, 15), blur=b, light=r(0.1, 0.3))
            q = int(rng.integers(40, 71))
        elif fam == "low_contrast":
            img, d = phone_photo(qr, rot=(0, 30), tilt=r(0, 15), light=r(0.3, 0.6), contrast=r(0.2, 0.4))
            q = int(rng.integers(40, 71))
        elif fam == "inverted":
            if opt["mode"] == "scan":
                img, d = print_scan(qr, invert=True)
            else:
                img, d = phone_photo(qr, rot=(5, 40), tilt=r(0, 20), invert=True, light=r(0.1, 0.3))
            q = int(rng.integers(40, 71))
        elif fam == "12mp":
            img, d = phone_photo(qr, frame=(4000, 3000), span=(400, 900), rot=(0, 45), tilt=r(0, 25),
                                 light=r(0.1, 0.4), noise=0.8)
            q = int(rng.integers(40, 48))
        counters[fam] = counters.get(fam, 0) + 1
        fn = f"{fam}_{counters[fam]:02d}_{src}.jpg"
        Image.fromarray(img, "L").save(os.path.join(OUT, fn), quality=q, optimize=True)
        d["jpeg_quality"] = q
        manifest.append({"file": fn, "source_txt": f"../{src}.txt", "family": fam,
                         "size": [img.shape[1], img.shape[0]], "distortions": d})
        print(fn, img.shape[1], img.shape[0], q, os.path.getsize(os.path.join(OUT, fn)))
    with open(os.path.join(OUT, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
