#!/usr/bin/env python3
"""Real scans from a public test set, and known turns of them (testdata/scan/real/).

The originals come unchanged from OCRmyPDF 17.13.0's test resources (its sdist on PyPI, checked
by SHA-256 below): c03-29.pdf's page scan (Project Gutenberg, Adventures of Huckleberry Finn,
public domain; extracted with poppler's pdfimages, no re-encoding), linn.png (a scanned Linn
sequencer manual page, (C) 1985 Forat Electronics, CC-BY-SA-3.0) and typewriter.png (Wikimedia
Commons "Triumph typewriter text Linzensoep", (C) 2005 Ellywa, GFDL-1.2-or-later or
CC-BY-SA-1.0/2.0/2.5/3.0). Licences as OCRmyPDF's REUSE.toml states them.

Their true skew is unknown; Leptonica's estimate (gen/peers/leptonica_skew.c, ±20° sweep) is
recorded as an independent reference. Each is then turned by Pillow (bicubic, white fill) by
a known angle, and by 90/180/270 degrees: the test asserts that docseal's skew on a turned copy
is its skew on the original plus the turn, and that it finds the quarter turn.

    pip download --no-deps --no-binary :all: ocrmypdf==17.13.0 -d /tmp/ocrm
    apt-get install poppler-utils libleptonica-dev && cc -O2 gen/peers/leptonica_skew.c -llept -o /tmp/leptonica_skew
    python3 testdata/scan/gen/make_real.py /tmp/ocrm/ocrmypdf-17.13.0.tar.gz
"""
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "real"
SDIST_SHA256 = "151c35d810eb628fbc5cb9bbe80b834ecf094737efa0e7a2e9e1fac3c730ed49"
SOURCES = {
    # name in real/: (member in the sdist, how to get the image)
    "huckfinn_c03_29.jpg": ("tests/resources/c03-29.pdf", "pdfimages"),
    "linn.png": ("tests/resources/linn.png", "copy"),
    "typewriter.png": ("tests/resources/typewriter.png", "copy"),
}
# (suffix, fine turn in degrees counter-clockwise as displayed, quarter turns counter-clockwise)
TURNS = [("skew_p6_4", 6.4, 0), ("skew_m11_3", -11.3, 0), ("rot90_skew_p2_1", 2.1, 1)]


def leptonica(path: Path) -> float:
    out = subprocess.run(["/tmp/leptonica_skew", "20", "2", "1", str(path)], capture_output=True,
                         text=True, check=True).stdout.split("\t")
    return float(out[1])


def main(sdist: str) -> None:
    digest = hashlib.sha256(Path(sdist).read_bytes()).hexdigest()
    if digest != SDIST_SHA256:
        sys.exit(f"{sdist}: sha256 {digest}, expected {SDIST_SHA256}")
    OUT.mkdir(exist_ok=True)
    manifest = {"source": f"OCRmyPDF 17.13.0 sdist (sha256 {digest})", "scans": []}
    with tarfile.open(sdist) as tar, tempfile.TemporaryDirectory() as tmp:
        for name, (member, how) in SOURCES.items():
            data = tar.extractfile(f"ocrmypdf-17.13.0/{member}").read()
            target = OUT / name
            if how == "copy":
                target.write_bytes(data)
            else:
                pdf = Path(tmp) / "in.pdf"
                pdf.write_bytes(data)
                subprocess.run(["pdfimages", "-all", str(pdf), str(Path(tmp) / "img")], check=True)
                target.write_bytes((Path(tmp) / "img-000.jpg").read_bytes())
            ref = leptonica(target)
            entry = {"file": f"real/{name}", "source": member, "leptonica_skew_deg": ref, "turns": []}
            image = Image.open(target)
            image = image.convert("RGB" if image.mode in ("RGB", "P") and name.endswith(".jpg") else "L")
            for suffix, angle, quarters in TURNS:
                turned = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor="white")
                if quarters:
                    turned = turned.rotate(90 * quarters, expand=True)
                stem, ext = name.rsplit(".", 1)
                out = OUT / f"{stem}_{suffix}.{ext}"
                if ext == "jpg":
                    turned.save(out, quality=90, dpi=(150, 150))
                else:
                    # The bilevel originals stay bilevel, as a scanner in line-art mode stores
                    # them: the turned grey image is thresholded at mid-grey.
                    turned.point(lambda v: 255 if v >= 128 else 0).convert("1").save(out, optimize=True)
                entry["turns"].append({"file": f"real/{out.name}", "turn_deg": angle,
                                       "orientation_deg": 90 * quarters})
            manifest["scans"].append(entry)
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
