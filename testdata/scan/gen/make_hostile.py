#!/usr/bin/env python3
"""Hostile images for docseal's scan and QR loaders, and the pages they are measured against.

Writes into testdata/scan/hostile/ (committed, each under 1.1 MB):

  png_iccp_bomb.png        64 x 64 grey PNG whose iCCP profile inflates to 1 GiB of zeros
  png_ztxt_bomb.png        64 x 64 grey PNG with a zTXt chunk inflating to 1 GiB
  png_itxt_bomb.png        64 x 64 grey PNG with a compressed iTXt chunk inflating to 1 GiB
  png_idat_bomb.png        11,900 x 11,900 RGB PNG (425 MB of pixels) in a few hundred KB
  png_rgba16_bomb.png      11,900 x 11,900 RGBA 16-bit PNG (1.1 GB of pixels)
  png_huge_dims.png        a PNG header announcing 100,000 x 100,000 pixels, nothing else
  jpeg_huge_dims.jpg       a 64 x 64 JPEG whose frame header says 65,000 x 65,000
  jpeg_truncated_big.jpg   a 64 x 64 JPEG whose frame header says 11,900 x 11,900 (colour)
  jpeg_progressive_big.jpg a white 11,000 x 11,000 progressive colour JPEG
  tiff_huge_icc.tif        64 x 64 grey TIFF whose ICC (34675) and EXIF-like tags claim 2 GiB
  tiff_huge_strip.tif      64 x 64 grey TIFF whose one strip claims 4 GiB of bytes
  tiff_huge_tile.tif       a tiled TIFF with 65,536 x 65,536 tiles of an 11,000 x 11,000 image
  tiff_deflate_bomb.tif    11,900 x 11,900 grey TIFF, one Deflate strip of 142 MB of zeros
  webp_huge_dims.webp      a lossless WebP header (VP8L) announcing 16,384 x 16,384 pixels
  webp_bitstream_big.webp  a 64 x 64 extended WebP canvas whose VP8 bitstream says 8,000 x 8,000
  webp_exif_bomb.webp      a 64 x 64 lossless WebP with an EXIF chunk claiming 4 GiB
  gif_huge_dims.gif        a GIF screen of 65,535 x 65,535 pixels holding a 1 x 1 frame
  gif_frame_big.gif        a 64 x 64 GIF screen holding one 8,000 x 8,000 frame
  bmp_big.bmp              a BMP header announcing 8,000 x 8,000 pixels of 24 bits, no pixels

and, with --big DIR (not committed: 12-45 MB each), the measurement set:

  jpeg_app_flood.jpg       a 64 x 64 JPEG behind 700 APP2 ICC_PROFILE segments (45 MB)
  photo_12mp.jpg           a 4000 x 3000 colour phone photo (the A4 page, noise, no density)
  a4_300dpi.jpg            a 2480 x 3508 grey A4 scan at 300 dpi
  budget_checker_9100.png  a 9,100 x 9,100 checkerboard of 4-pixel squares: the most runs of ink

Deflate bombs are built without inflating anything: a 1 MiB block of zeros compressed once with
a full flush (so it refers to nothing before it) is repeated, then closed with a final empty
block and the Adler-32 of n zeros (a = 1, b = n mod 65521). Deterministic: same bytes each run.

    /work/venv-gen/bin/python testdata/scan/gen/make_hostile.py [--big DIR]
"""

import argparse
import io
import struct
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "hostile"
PAGES = HERE.parent / "pages"
MIB = 1 << 20


def zlib_zeros(n: int) -> bytes:
    """A zlib stream (RFC 1950) inflating to n zero bytes, n a multiple of 1 MiB."""
    assert n % MIB == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * MIB) + c.flush(zlib.Z_FULL_FLUSH)
    final = b"\x03\x00"  # BFINAL=1, fixed Huffman, end-of-block
    adler = ((n % 65521) << 16) | 1
    return b"\x78\xda" + block * (n // MIB) + final + struct.pack(">I", adler)


def zlib_zeros_exact(n: int) -> bytes:
    """A zlib stream inflating to n zero bytes, any n."""
    whole = n // MIB * MIB
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b"\0" * MIB) + c.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15)
    rest = tail.compress(b"\0" * (n - whole)) + tail.flush()
    adler = ((n % 65521) << 16) | 1
    return b"\x78\xda" + block * (n // MIB) + rest + struct.pack(">I", adler)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, bit_depth, colour, idat, extra=b"") -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    phys = struct.pack(">IIB", 11811, 11811, 1)  # 300 dpi
    body = chunk(b"IHDR", ihdr) + chunk(b"pHYs", phys) + extra
    if idat is not None:
        body += chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def small_grey_png(extra: bytes) -> bytes:
    rows = b"".join(b"\0" + bytes([200]) * 64 for _ in range(64))
    return png(64, 64, 8, 0, zlib.compress(rows), extra)


def small_jpeg(colour=False) -> bytes:
    from PIL import Image

    img = Image.new("RGB" if colour else "L", (64, 64), (200, 200, 200) if colour else 200)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=75, dpi=(300, 300))
    return out.getvalue()


def patch_sof(jpeg: bytes, width: int, height: int) -> bytes:
    """The JPEG with its frame header (SOF0/SOF2) announcing width x height."""
    at = 2
    while at < len(jpeg):
        marker = jpeg[at + 1]
        length = struct.unpack(">H", jpeg[at + 2 : at + 4])[0]
        if marker in (0xC0, 0xC2):
            b = bytearray(jpeg)
            b[at + 5 : at + 9] = struct.pack(">HH", height, width)
            return bytes(b)
        at += 2 + length
    raise ValueError("no SOF")


def tiff(entries, data=b"") -> bytes:
    """Little-endian classic TIFF: entries are (tag, type, count, value-or-offset as int),
    written sorted; `data` follows the directory at offset 8 + directory length."""
    entries = sorted(entries)
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        ifd += struct.pack("<HHII", tag, typ, count, value)
    ifd += struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", 8) + ifd + data


def data_at(n_entries: int) -> int:
    return 8 + 2 + 12 * n_entries + 4


SHORT, LONG, UNDEFINED = 3, 4, 7


def grey_tiff_entries(w, h, compression=1):
    return [
        (256, LONG, 1, w),
        (257, LONG, 1, h),
        (258, SHORT, 1, 8),
        (259, SHORT, 1, compression),
        (262, SHORT, 1, 1),
        (277, SHORT, 1, 1),
        (278, LONG, 1, h),
    ]


def hostile() -> dict:
    files = {}
    gib = 1 << 30
    files["png_iccp_bomb.png"] = small_grey_png(chunk(b"iCCP", b"bomb\0\0" + zlib_zeros(gib)))
    files["png_ztxt_bomb.png"] = small_grey_png(chunk(b"zTXt", b"Comment\0\0" + zlib_zeros(gib)))
    files["png_itxt_bomb.png"] = small_grey_png(
        chunk(b"iTXt", b"Comment\0\x01\0\0\0" + zlib_zeros(gib))
    )
    side = 11_900
    files["png_idat_bomb.png"] = png(side, side, 8, 2, zlib_zeros_exact(side * (1 + 3 * side)))
    files["png_rgba16_bomb.png"] = png(side, side, 16, 6, zlib_zeros_exact(side * (1 + 8 * side)))
    files["png_huge_dims.png"] = png(100_000, 100_000, 8, 0, None)
    files["jpeg_huge_dims.jpg"] = patch_sof(small_jpeg(), 65_000, 65_000)
    files["jpeg_truncated_big.jpg"] = patch_sof(small_jpeg(colour=True), side, side)
    files["jpeg_progressive_big.jpg"] = progressive_white(11_000)

    pixels = bytes([200]) * 64 * 64
    e = grey_tiff_entries(64, 64) + [(34675, UNDEFINED, 1 << 31, 1 << 20), (700, 1, 1 << 31, 64)]
    e.append((273, LONG, 1, data_at(len(e) + 2)))
    e.append((279, LONG, 1, len(pixels)))
    files["tiff_huge_icc.tif"] = tiff(e, pixels)

    e = grey_tiff_entries(64, 64)
    e.append((273, LONG, 1, data_at(len(e) + 2)))
    e.append((279, LONG, 1, 0xFFFF_FFF0))
    files["tiff_huge_strip.tif"] = tiff(e, pixels)

    e = [x for x in grey_tiff_entries(11_000, 11_000) if x[0] != 278]
    e += [(322, LONG, 1, 65_536), (323, LONG, 1, 65_536)]
    e.append((324, LONG, 1, data_at(len(e) + 2)))
    e.append((325, LONG, 1, len(pixels)))
    files["tiff_huge_tile.tif"] = tiff(e, pixels)

    strip = zlib_zeros_exact(side * side)
    e = grey_tiff_entries(side, side, compression=8)
    e.append((273, LONG, 1, data_at(len(e) + 2)))
    e.append((279, LONG, 1, len(strip)))
    files["tiff_deflate_bomb.tif"] = tiff(e, strip)

    # WebP (RFC 9649): RIFF chunks. VP8L header: signature 0x2f, width - 1 and height - 1 in 14
    # bits each, alpha and version bits zero (RFC 9649 §3.2.1).
    def vp8l(w, h):
        return b"\x2f" + struct.pack("<I", (w - 1) | (h - 1) << 14) + b"\0" * 8

    files["webp_huge_dims.webp"] = riff_webp(riff_chunk(b"VP8L", vp8l(16_384, 16_384)))
    # VP8 frame header (RFC 6386 §9.1): key frame tag, start code 9d 01 2a, 14-bit sides.
    vp8 = b"\x10\x02\x00\x9d\x01\x2a" + struct.pack("<HH", 8_000, 8_000) + b"\0" * 16
    files["webp_bitstream_big.webp"] = riff_webp(vp8x(64, 64, 0) + riff_chunk(b"VP8 ", vp8))
    exif_flag = 0x08  # VP8X flags: EXIF metadata present
    exif = b"EXIF" + struct.pack("<I", 0xFFFF_FFF0) + b"II*\0"
    files["webp_exif_bomb.webp"] = riff_webp(
        vp8x(64, 64, exif_flag) + riff_chunk(b"VP8L", vp8l(64, 64)) + exif
    )

    # GIF89a: logical screen descriptor with a two-colour global table, one image, trailer.
    def gif(w, h, frame):
        return b"GIF89a" + struct.pack("<HHBBB", w, h, 0x80, 0, 0) + b"\0" * 3 + b"\xff" * 3 + frame + b";"

    def frame(w, h):
        # Image descriptor, LZW minimum code size 2, one data sub-block, block terminator.
        return b"," + struct.pack("<HHHHB", 0, 0, w, h, 0) + b"\x02\x02\x4c\x01\x00"

    files["gif_huge_dims.gif"] = gif(65_535, 65_535, frame(1, 1))
    files["gif_frame_big.gif"] = gif(64, 64, frame(8_000, 8_000))

    # BMP: BITMAPFILEHEADER, BITMAPINFOHEADER (40 bytes), no pixels.
    info = struct.pack("<IiiHHIIiiII", 40, 8_000, 8_000, 1, 24, 0, 0, 2835, 2835, 0, 0)
    files["bmp_big.bmp"] = b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + info
    return files


def riff_chunk(fourcc: bytes, data: bytes) -> bytes:
    """A RIFF chunk: code, little-endian size, data padded to an even length."""
    return fourcc + struct.pack("<I", len(data)) + data + b"\0" * (len(data) & 1)


def riff_webp(chunks: bytes) -> bytes:
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WEBP" + chunks


def vp8x(w: int, h: int, flags: int) -> bytes:
    """The extended-format header chunk: flags, then canvas width - 1 and height - 1 (24 bits)."""
    body = bytes([flags, 0, 0, 0]) + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little")
    return riff_chunk(b"VP8X", body)


def progressive_white(side: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (side, side), (255, 255, 255)).save(
        out, "JPEG", quality=50, progressive=True, dpi=(300, 300)
    )
    return out.getvalue()


def checker_idat(side: int, square: int) -> bytes:
    """A black and white checkerboard of `square`-pixel squares, `side` pixels a side (grey,
    filter 0 rows), zlib: at the working scale (1/`square`) every other pixel is a separate run
    of ink, the most runs the page finder's ink labelling can meet."""
    rows = []
    for phase in range(2):
        cells = bytes([0] * square + [255] * square) * (side // (2 * square) + 1)
        rows.append(b"\0" + (cells if phase == 0 else cells[square:])[:side])
    band = [rows[0] * square, rows[1] * square]
    z = zlib.compressobj(9)
    out = [z.compress(band[(i // square) % 2][: (side + 1) * min(square, side - i)]) for i in range(0, side, square)]
    return b"".join(out) + z.flush()


def big() -> dict:
    import random

    from PIL import Image, ImageFilter

    files = {}
    jpeg = small_jpeg()
    seg_data = b"ICC_PROFILE\0" + bytes([1, 1]) + b"\0" * (65_533 - 14)
    seg = b"\xff\xe2" + struct.pack(">H", 65_535) + seg_data[:65_533]
    files["jpeg_app_flood.jpg"] = jpeg[:2] + seg * 700 + jpeg[2:]

    page = Image.open(PAGES / "a4_300dpi_skew_p3_1.jpg").convert("RGB")
    a4 = page.convert("L").resize((2480, 3508), Image.LANCZOS)
    out = io.BytesIO()
    a4.save(out, "JPEG", quality=80, dpi=(300, 300))
    files["a4_300dpi.jpg"] = out.getvalue()

    # A phone photo: the page turned a little on a dark table, 4000 x 3000, noise, no density.
    rnd = random.Random(13)
    photo = Image.new("RGB", (4000, 3000), (70, 52, 40))
    turned = page.rotate(90, expand=True).resize((3600, 2680), Image.LANCZOS)
    photo.paste(turned.rotate(2.5, expand=False, fillcolor=(70, 52, 40)), (200, 160))
    noise = Image.effect_noise((4000, 3000), 12).convert("RGB")
    photo = Image.blend(photo, noise, 0.08).filter(ImageFilter.SMOOTH)
    del rnd
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=88)
    files["photo_12mp.jpg"] = out.getvalue()
    # At the default pixel budget (80 MiB = 83,886,080 bytes): the largest images docseal still decodes.
    files["budget_grey_9100.png"] = png(9_100, 9_100, 8, 0, zlib_zeros_exact(9_100 * 9_101))
    files["budget_rgb_5250.png"] = png(5_250, 5_250, 8, 2, zlib_zeros_exact(5_250 * 15_751))
    files["budget_rgba_4550.png"] = png(4_550, 4_550, 8, 6, zlib_zeros_exact(4_550 * 18_201))
    files["budget_progressive_4000.jpg"] = progressive_white(4_000)
    files["budget_checker_9100.png"] = png(9_100, 9_100, 8, 0, checker_idat(9_100, 4))
    # 2,150 x 2,150 at 72 dpi: resampled to 300 dpi it becomes a 8,958 x 8,958 page.
    ihdr_72 = png(2_150, 2_150, 8, 0, zlib_zeros_exact(2_150 * 2_151))
    files["budget_zoom_72dpi.png"] = ihdr_72.replace(
        struct.pack(">IIB", 11811, 11811, 1), struct.pack(">IIB", 2835, 2835, 1)
    ).replace(
        zlib.crc32(b"pHYs" + struct.pack(">IIB", 11811, 11811, 1)).to_bytes(4, "big"),
        zlib.crc32(b"pHYs" + struct.pack(">IIB", 2835, 2835, 1)).to_bytes(4, "big"),
        1,
    )
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", type=Path, help="also write the measurement set into this dir")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    for name, data in hostile().items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    if args.big:
        args.big.mkdir(parents=True, exist_ok=True)
        for name, data in big().items():
            (args.big / name).write_bytes(data)
            print(f"{args.big / name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
