#!/usr/bin/env python3
"""pages/exif_rot6_300dpi.jpg: an upright, unskewed A4 page at 300 dpi stored sideways with
EXIF Orientation 6, so that it shows upright only once the turn is applied.

`pages/upright.jpg` (150 dpi, 1240 x 1754, no border, no skew) enlarged twice (Lanczos) to
2480 x 3508, turned 90 degrees counter-clockwise for storage (3508 x 2480) and saved as grey
JPEG, quality 60, JFIF density 300 dpi, with an EXIF IFD0 holding Orientation = 6 ("rotate
90 degrees clockwise to display", EXIF 2.3 section 4.6.4). Pillow 13.0.0, deterministic.

    /work/venv-gen/bin/python testdata/scan/gen/make_exif_page.py
"""

from pathlib import Path

from PIL import Image

PAGES = Path(__file__).resolve().parent.parent / "pages"

page = Image.open(PAGES / "upright.jpg").convert("L").resize((2480, 3508), Image.LANCZOS)
stored = page.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise
exif = Image.Exif()
exif[0x0112] = 6
stored.save(PAGES / "exif_rot6_300dpi.jpg", "JPEG", quality=60, dpi=(300, 300), exif=exif)
print(stored.size)
