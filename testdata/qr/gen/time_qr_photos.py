#!/usr/bin/env python3
"""Time zxing-cpp on ../shared/qr-photos, the peer of `cargo bench --bench qr_decode` (qr_photos).

Per image, the median of N runs (after one warm-up run) of

  decode only - zxingcpp.read_barcodes on the grey image already in memory (Pillow decoded the
                file and converted it to "L" beforehand, outside the timing): set it beside
                docseal's "QR search" figure;
  with image  - Pillow's decode of the file bytes + grey conversion + read_barcodes: beside
                docseal's decode_image figure;

then the median over the images of each, and the number read with exactly their payload.
Limited to QR codes, as docseal reads nothing else.

    /work/venv-peer/bin/python testdata/qr/gen/time_qr_photos.py [--runs 5]   # zxing-cpp 3.1.1
"""
import argparse
import io
import statistics
import time
from pathlib import Path

import zxingcpp
from PIL import Image

CORPUS = Path(__file__).resolve().parents[3] / ".." / "shared" / "qr-photos"


def read(img):
    return [r.text for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]


def timed(f, runs):
    f()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    files = sorted(p for p in CORPUS.glob("*/*") if p.suffix != ".txt" and p.with_suffix(".txt").is_file())
    only, whole, ok = [], [], 0
    for p in files:
        data = p.read_bytes()
        grey = Image.open(io.BytesIO(data)).convert("L")
        grey.load()
        want = p.with_suffix(".txt").read_bytes().decode("utf-8", "replace").rstrip("\r\n")
        ok += any(t.rstrip("\r\n") == want for t in read(grey))
        only.append(timed(lambda: read(grey), a.runs))
        whole.append(timed(lambda: read(Image.open(io.BytesIO(data)).convert("L")), a.runs))
    print(
        f"zxing-cpp: {len(files)} files, {ok} read, median per file of {a.runs} runs: "
        f"decode only {statistics.median(only):.2f} ms, with image decode {statistics.median(whole):.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
