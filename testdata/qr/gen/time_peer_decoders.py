#!/usr/bin/env python3
"""Time zxing-cpp and zbar on the renders that benches/qr_decode.rs times docseal on.

Peers of `cargo bench --bench qr_decode` (docseal's qr::decode_image on the JPEG bytes, JPEG
decode included). For each file and decoder this prints the median wall time of N runs, after
one warm-up run, twice:

  with JPEG   - Pillow decodes the file bytes and converts to 8-bit grey ("L"), then the
                decoder runs: comparable to docseal's figure, which includes its JPEG decode
                and luma conversion;
  decode only - the decoder alone on the grey image already in memory.

Both decoders are limited to QR codes (docseal reads nothing else). A decoder that finds no
code is timed all the same and marked "NOT READ" (zbar misses the 12 MP frame, as in
renders/RESULTS.md); one that returns any other text than the source .txt makes the script
exit 1.

    pip install zxing-cpp==3.1.1 pyzbar==0.1.9 Pillow==13.0.0   # and apt-get install libzbar0
    python3 testdata/qr/gen/time_peer_decoders.py [--runs 15]
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from importlib.metadata import version

import zxingcpp
from PIL import Image
from pyzbar import pyzbar

HERE = os.path.dirname(os.path.abspath(__file__))
QR = os.path.dirname(HERE)
FILES = [  # as in benches/qr_decode.rs
    ("a4_scan_01_vn1_es256.jpg", "vn1_es256.txt"),
    ("12mp_01_hc1_vaccination.jpg", "hc1_vaccination.txt"),
]


def zxing(img: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)]


def zbar(img: Image.Image) -> list[str]:
    return [s.data.decode("ascii") for s in
            pyzbar.decode(img, symbols=[pyzbar.ZBarSymbol.QRCODE])]


def grey(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("L")


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"zxing-cpp {version('zxing-cpp')}, pyzbar {version('pyzbar')} (system libzbar), "
          f"Pillow {Image.__version__}, Python {sys.version.split()[0]}; "
          f"median of {args.runs} runs after 1 warm-up")
    bad = 0
    for name, source in FILES:
        with open(os.path.join(QR, "renders", name), "rb") as f:
            data = f.read()
        with open(os.path.join(QR, source), encoding="ascii") as f:
            want = f.read()
        image = grey(data)
        jpeg_ms = median_ms(lambda: grey(data), args.runs)
        for label, decoder in (("zxing-cpp", zxing), ("zbar", zbar)):
            got = decoder(image)
            if got not in ([want], []):
                bad += 1
                print(f"FAIL {name} {label}: read {[g[:12] + '...' for g in got]}")
                continue
            with_jpeg = median_ms(lambda: decoder(grey(data)), args.runs)
            only = median_ms(lambda: decoder(image), args.runs)
            print(f"{name:30} {label:10} with JPEG {with_jpeg:8.1f} ms   "
                  f"decode only {only:8.1f} ms   {'read' if got else 'NOT READ'}")
        print(f"{name:30} {'Pillow':10} JPEG decode + grey alone {jpeg_ms:8.1f} ms")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
