#!/usr/bin/env python3
"""Build the docseal PDF fixtures into testdata/pdf/ and write testdata/manifest.json.

Tools used (all real, independent of docseal):
  * reportlab  - base one-page "Giấy phép xây dựng" permit (DejaVuSans embedded)
  * pyHanko    - PAdES / adbe.pkcs7.detached signing, incremental updates, document timestamps
  * qpdf (via pikepdf) + openssl cms - a second, pyHanko-free signing path
    (qpdf writes the signature dictionary with a /Contents placeholder, `openssl cms -sign`
    produces the CMS over the ByteRange bytes, Python hex-inserts it)
  * NSS cmsutil - a detached CMS in BER (indefinite lengths) for openssl_pkcs7_ber.pdf, same qpdf path
  * endesive - a third signer (own incremental writer + CMS), adbe.pkcs7.detached
  * plain Python byte edits - the broken variants

ALL KEYS USED HERE ARE TEST-ONLY KEYS (testdata/pki/keys). NEVER TRUST THEM.

Run from anywhere:  python3 testdata/gen/make_pdfs.py   (after make_pki.sh)
  (no arguments)          rebuild EVERY fixture: empties pdf/, rewrites manifest.json and the README table
  --only NAME[,NAME...]   rebuild only the named fixtures (file names, ".pdf" optional) with the EXISTING
                          keys/certs in pki/: other PDFs, other manifest rows and other README rows are left
                          byte-for-byte as they are; new fixtures are inserted at their generation-order place
  --list                  print the fixture names in generation order
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

GEN = Path(__file__).resolve().parent
TD = GEN.parent
PKI = TD / "pki"
KEYS = PKI / "keys"
OUT = TD / "pdf"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
AT = 1900000000  # 2030-03-17T17:46:40Z, validation time used by the manifest
SIG_RESERVED = 16384  # pyHanko bytes_reserved is counted in hex digits: 16384 hex = 8 KiB of CMS


def key(name: str) -> Path:
    return KEYS / f"{name}.TEST-ONLY.key.pem"


def cert(name: str) -> Path:
    return PKI / f"{name}.pem"


# --------------------------------------------------------------------------------------
# base document
# --------------------------------------------------------------------------------------
def make_base_permit(number: str = "123") -> bytes:
    """One-page Vietnamese building permit. Deterministic (reportlab invariant mode).
    Content stream is left uncompressed so that byte-level tampering stays meaningful."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle(f"Giấy phép xây dựng số {number}/GPXD (TEST)")
    c.setAuthor("Ủy ban nhân dân Quận 1 (docseal test fixture)")
    c.setSubject("docseal test fixture - NOT A REAL PERMIT")
    w, h = A4
    c.setFont("DejaVuSans", 12)
    c.drawCentredString(w / 2, h - 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.setFont("DejaVuSans", 11)
    c.drawCentredString(w / 2, h - 78, "Độc lập - Tự do - Hạnh phúc")
    c.setFont("DejaVuSans", 18)
    c.drawCentredString(w / 2, h - 130, "GIẤY PHÉP XÂY DỰNG")
    c.setFont("DejaVuSans", 11)
    y = h - 170
    for line in [
        f"Số: {number}/GPXD",
        "Cấp cho: Ông Nguyễn Văn An",
        "Địa chỉ công trình: 45 Lê Lợi, phường Bến Nghé, Quận 1, TP Hồ Chí Minh",
        "Nội dung: xây dựng nhà ở riêng lẻ, 4 tầng, tổng diện tích sàn 320 m².",
        "Giấy phép có hiệu lực 12 tháng kể từ ngày ký.",
    ]:
        c.drawString(60, y, line)
        y -= 20
    c.setFont("DejaVuSans", 10)
    c.drawString(60, 120, "TÀI LIỆU THỬ NGHIỆM - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ (docseal test fixture)")
    c.showPage()
    c.save()
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# pyHanko helpers
# --------------------------------------------------------------------------------------
def hanko_signer(name: str, chain=("intermediate",), prefer_pss=False):
    from pyhanko.sign import signers

    s = signers.SimpleSigner.load(
        str(key(name)), str(cert(name)), ca_chain_files=tuple(str(cert(c)) for c in chain), prefer_pss=prefer_pss
    )
    if s is None:
        raise RuntimeError(f"pyHanko could not load signer {name}")
    return s


def hanko_sign(
    data: bytes,
    signer_name: str,
    *,
    field="Signature1",
    subfilter="pades",
    md="sha256",
    prefer_pss=False,
    chain=("intermediate",),
    existing_field=False,
    stamp=False,
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    sf = {
        "pades": fields.SigSeedSubFilter.PADES,
        "pkcs7": fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED,
    }[subfilter]
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=sf,
        md_algorithm=md,
        reason="Phê duyệt giấy phép (docseal TEST)",
        location="TP Hồ Chí Minh, Việt Nam",
    )
    signer = hanko_signer(signer_name, chain=chain, prefer_pss=prefer_pss)
    kwargs = {}
    if stamp:
        kwargs["stamp_style"] = TextStampStyle(stamp_text="Digitally signed - docseal TEST\n%(ts)s")
    pdf_signer = signers.PdfSigner(meta, signer, **kwargs)
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    out = pdf_signer.sign_pdf(w, existing_fields_only=existing_field, bytes_reserved=SIG_RESERVED)
    return out.getvalue()


def hanko_doc_timestamp(data: bytes) -> bytes:
    from asn1crypto import keys as akeys
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    def load_cert(p):
        return x509.Certificate.load(pem.unarmor(Path(p).read_bytes())[2])

    tsa_key = akeys.PrivateKeyInfo.load(pem.unarmor(key("tsa").read_bytes())[2])
    ts = timestamps.DummyTimeStamper(
        tsa_cert=load_cert(cert("tsa")),
        tsa_key=tsa_key,
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert(cert("intermediate"))]),
    )
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    out = signers.PdfTimeStamper(ts, field_name="DocTimeStamp1").timestamp_pdf(
        w, "sha256", bytes_reserved=SIG_RESERVED
    )
    return out.getvalue()


def hanko_add_fields(data: bytes, names_boxes) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    for name, box in names_boxes:
        fields.append_signature_field(w, fields.SigFieldSpec(name, box=box, empty_field_appearance=True))
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def hanko_visible_update(data: bytes) -> bytes:
    """Real incremental update made by pyHanko's writer after signing: append a content stream
    that paints a red box over the permit number and writes a 'changed' note in Helvetica."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    font = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        }
    )
    res = generic.DictionaryObject(
        {generic.NameObject("/Font"): generic.DictionaryObject({generic.NameObject("/FdsX"): w.add_object(font)})}
    )
    stream = generic.StreamObject(
        stream_data=b"q 1 0 0 rg 55 668 130 20 re f Q\n"
        b"BT /FdsX 11 Tf 0 0 1 rg 200 674 Td (MODIFIED AFTER SIGNING: permit no. 999) Tj ET\n"
    )
    w.add_stream_to_page(0, w.add_object(stream), resources=res)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------
# qpdf/pikepdf + openssl cms signing path (no pyHanko involved)
# --------------------------------------------------------------------------------------
BR_PLACEHOLDER = 1000000000


def qpdf_placeholder(base: bytes, subfilter: str, reserved: int = 8192) -> bytes:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.open(io.BytesIO(base))
    page = pdf.pages[0]
    sig = pdf.make_indirect(
        Dictionary(
            Type=Name.Sig,
            Filter=Name("/Adobe.PPKLite"),
            SubFilter=Name("/" + subfilter),
            ByteRange=Array([0, BR_PLACEHOLDER, BR_PLACEHOLDER, BR_PLACEHOLDER]),
            Contents=String(b"\x00" * reserved),
            M=String(datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")),
            Reason=String("Phê duyệt giấy phép (openssl cms, docseal TEST)"),
        )
    )
    field = pdf.make_indirect(
        Dictionary(
            FT=Name.Sig,
            T=String("Signature1"),
            V=sig,
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array([0, 0, 0, 0]),
            F=132,
            P=page.obj,
        )
    )
    page.obj.Annots = pdf.make_indirect(Array([field]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), SigFlags=3)
    buf = io.BytesIO()
    pdf.save(
        buf,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        deterministic_id=True,
        compress_streams=False,
    )
    return buf.getvalue()


def fill_byterange(pdf: bytes) -> tuple[bytearray, list[int], int, int]:
    """Locate the zero placeholder /Contents <000..>, compute and write /ByteRange (same width).
    Returns (pdf, byterange, hex_start, hex_end) where hex_start..hex_end are the hex digits."""
    m = re.search(rb"/Contents\s*<(0+)>", pdf)
    assert m, "no /Contents placeholder"
    lt, gt_end = m.start(1) - 1, m.end(1) + 1
    br = [0, lt, gt_end, len(pdf) - gt_end]
    mbr = re.search(rb"/ByteRange\s*\[\s*0\s+%d\s+%d\s+%d\s*\]" % ((BR_PLACEHOLDER,) * 3), pdf)
    assert mbr, "no /ByteRange placeholder"
    new = b"/ByteRange [0 %d %d %d]" % tuple(br[1:])
    old = mbr.group(0)
    assert len(new) <= len(old)
    new = new[:-1] + b" " * (len(old) - len(new)) + b"]"
    out = bytearray(pdf)
    out[mbr.start() : mbr.end()] = new
    return out, br, m.start(1), m.end(1)


def openssl_cms(content: bytes, signer: str, *, md="sha256", attached=False, noattr=False, extra=()) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        inp, outp = Path(d, "in.bin"), Path(d, "out.der")
        inp.write_bytes(content)
        cmd = [
            "openssl", "cms", "-sign", "-binary", "-in", str(inp), "-signer", str(cert(signer)),
            "-inkey", str(key(signer)), "-certfile", str(cert("intermediate")), "-md", md,
            "-outform", "DER", "-out", str(outp), "-nosmimecap",
        ]
        if attached:
            cmd.append("-nodetach")
        if noattr:
            cmd.append("-noattr")
        cmd.extend(extra)
        subprocess.run(cmd, check=True)
        return outp.read_bytes()


def nss_cms(content: bytes, signer: str, *, md="SHA256") -> bytes:
    """Detached CMS made by NSS `cmsutil -S -T` (signed attributes contentType, signingTime, messageDigest).
    NSS's streaming ASN.1 encoder writes the outer ContentInfo / [0] / SignedData / EncapsulatedContentInfo
    with INDEFINITE lengths (BER), like Windows CryptoAPI and other streaming signers; signed attributes,
    certificates and the SignerInfo stay definite-length. (`openssl cms -sign -stream/-indef` also emits
    indefinite lengths, but OpenSSL's streaming DER writer always embeds the content, even when detached:
    openssl/openssl#11412, #26186.) The key and certificates go into a throw-away NSS database through a
    PKCS#12 file made by `openssl pkcs12 -export`."""
    with tempfile.TemporaryDirectory() as d:
        db = f"sql:{d}"
        p12, inp, outp = Path(d, "signer.p12"), Path(d, "in.bin"), Path(d, "out.der")
        inp.write_bytes(content)
        subprocess.run(["certutil", "-N", "-d", db, "--empty-password"], check=True)
        subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(key(signer)), "-in", str(cert(signer)),
                        "-certfile", str(cert("intermediate")), "-name", signer, "-passout", "pass:test",
                        "-out", str(p12)], check=True)
        subprocess.run(["pk12util", "-i", str(p12), "-d", db, "-W", "test"], check=True, capture_output=True)
        subprocess.run(["cmsutil", "-S", "-d", db, "-N", signer, "-T", "-G", "-H", md, "-Y", "NONE",
                        "-i", str(inp), "-o", str(outp), "-p", ""], check=True)
        return outp.read_bytes()


def openssl_sign_pdf(base: bytes, signer: str, *, subfilter="adbe.pkcs7.detached", md="sha256", noattr=False,
                     extra=(), tool="openssl") -> bytes:
    pdf = qpdf_placeholder(base, subfilter)
    pdf, br, hs, he = fill_byterange(pdf)
    signed = bytes(pdf[br[0] : br[0] + br[1]]) + bytes(pdf[br[2] : br[2] + br[3]])
    if subfilter == "adbe.pkcs7.sha1":
        # ISO 32000-1 12.8.3.3.1: the SHA-1 digest of the ByteRange bytes is encapsulated
        # (eContentType id-data) in the SignedData, which is signed with SHA-1.
        der = openssl_cms(hashlib.sha1(signed).digest(), signer, md="sha1", attached=True)
    elif tool == "nss":
        der = nss_cms(signed, signer, md=md.upper())
    else:
        der = openssl_cms(signed, signer, md=md, noattr=noattr, extra=extra)
    hx = der.hex().upper().encode()
    assert len(hx) <= he - hs, "CMS too large for placeholder"
    pdf[hs : hs + len(hx)] = hx
    return bytes(pdf)



# --------------------------------------------------------------------------------------
# endesive (third signing implementation: its own pypdf-based incremental writer + CMS)
# --------------------------------------------------------------------------------------
def endesive_sign(base: bytes, signer: str, md="sha256") -> bytes:
    import types

    # endesive.pdf/__init__ imports its verifier -> certvalidator -> oscrypto, and oscrypto 1.3.0
    # cannot parse the OpenSSL version string "3.0.1x" (LibraryNotFoundError). Signing does not
    # need the verifier, so stub that module out before importing endesive.pdf.cms.
    if "endesive.pdf.verify" not in sys.modules:
        stub = types.ModuleType("endesive.pdf.verify")
        stub.PDFVerifier = stub.verify = None
        sys.modules["endesive.pdf.verify"] = stub
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from endesive.pdf import cms as ecms

    k = load_pem_private_key(key(signer).read_bytes(), None)
    c = cx509.load_pem_x509_certificate(cert(signer).read_bytes())
    inter = cx509.load_pem_x509_certificate(cert("intermediate").read_bytes())
    udct = {
        "aligned": 16384,
        "sigflags": 3,
        "sigpage": 0,
        "sigfield": "Signature1",
        "auto_sigfield": True,
        "signaturebox": (0, 0, 0, 0),
        "signature": "",
        "contact": "docseal TEST",
        "location": "TP Ho Chi Minh",
        "signingdate": datetime.now(timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'"),
        "reason": "docseal TEST (endesive)",
    }
    return base + ecms.sign(base, udct, k, c, [inter], md)

# --------------------------------------------------------------------------------------
# byte-level helpers for broken variants
# --------------------------------------------------------------------------------------
def last_sig_contents(pdf: bytes) -> tuple[int, int]:
    """(start, end) of the hex digits of the last signature /Contents in the file."""
    ms = list(re.finditer(rb"/Contents\s*<([0-9A-Fa-f]+)>", pdf))
    assert ms
    return ms[-1].start(1), ms[-1].end(1)


def cms_der(pdf: bytes) -> bytes:
    s, e = last_sig_contents(pdf)
    from asn1crypto import cms

    raw = bytes.fromhex(pdf[s:e].decode())
    ci = cms.ContentInfo.load(raw, strict=False)
    return ci.dump()


def last_byterange(pdf: bytes) -> re.Match:
    ms = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf))
    assert ms
    return ms[-1]


def replace_byterange(pdf: bytes, vals) -> bytes:
    m = last_byterange(pdf)
    old = m.group(0)
    new = b"/ByteRange [%d %d %d %d" % tuple(vals)
    assert len(new) + 1 <= len(old), (new, old)
    new = new + b" " * (len(old) - len(new) - 1) + b"]"
    return pdf[: m.start()] + new + pdf[m.end() :]


# --------------------------------------------------------------------------------------
# big document
# --------------------------------------------------------------------------------------
def make_big_scan(size_w=5000, size_h=4200) -> bytes:
    """Hand-written PDF 1.7 with one page showing a 5000x4200 8-bit /DeviceGray image of
    seeded pseudo-random noise, uncompressed (21,000,000 bytes of image data)."""
    rnd = random.Random(AT)
    img = rnd.randbytes(size_w * size_h)
    content = (
        b"q 480 0 0 403.2 57.6 380 cm /Im0 Do Q\n"
        b"BT /F1 14 Tf 57.6 800 Td (docseal TEST fixture: big scanned document, 21 MB noise image) Tj ET\n"
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] "
        b"/Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (size_w, size_h, len(img)) + img + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (docseal TEST big scan) /Producer (docseal testdata/gen/make_pdfs.py) >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    ident = hashlib.md5(b"docseal big scan").hexdigest().upper().encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, ident, ident, xref)
    return bytes(out)


# --------------------------------------------------------------------------------------
# manifest helpers
# --------------------------------------------------------------------------------------
MANIFEST: list[dict] = []


def sig(field, subfilter, ind="PASSED", sub=None, coverage="ENTIRE_FILE", rev=2, kind="signature", signer=None):
    # docseal does not analyse later revisions yet: a signature followed by unsigned bytes is
    # never plainly PASSED (issue 2); the revision-analysis work may upgrade these.
    if coverage == "ENTIRE_REVISION" and ind == "PASSED":
        ind, sub = "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE"
    return {
        "field": field,
        "kind": kind,
        "subfilter": subfilter,
        "indication": ind,
        "subindication": sub,
        "coverage": coverage,
        "covers_revision": rev,
        "signer": signer,
    }


def entry(file, verdict, ind, sub, sigs, revisions, note, trust=("pki/anchor.pem",), certs=(), at=AT,
          unsigned_fields=(), tool="pyHanko"):
    MANIFEST.append(
        {
            "file": f"pdf/{file}",
            "trust": list(trust),
            "certs": list(certs),
            "at": at,
            "verdict": verdict,
            "indication": ind,
            "subindication": sub,
            "signatures": list(sigs),
            "unsigned_fields": list(unsigned_fields),
            "revisions": revisions,
            "tool": tool,
            "note": note,
        }
    )


def write(name: str, data: bytes):
    (OUT / name).write_bytes(data)
    CTX.built[name] = data
    print(f"  {name:32s} {len(data):>10,d} bytes")


def count_revisions(pdf: bytes) -> int:
    return len(re.findall(rb"startxref\s+\d+\s+%%EOF", pdf))


def _pdf_date_to_iso(raw: bytes) -> str | None:
    """Decode a PDF literal string body (octal escapes) holding a PDF date -> ISO 8601 UTC."""
    txt = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw).decode("latin-1")
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{2}'?\d{2}'?)?", txt)
    if not m:
        return None
    y, mo, d, h, mi, se, tz = m.groups()
    dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(se), tzinfo=timezone.utc)
    if tz and tz != "Z":
        from datetime import timedelta

        sign = 1 if tz[0] == "+" else -1
        digits = re.sub(r"\D", "", tz)
        dt -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def cms_signing_times(pdf: bytes) -> list[tuple[str | None, str | None]]:
    """(time, source) for every signature /Contents in file order. source: 'tst_gen_time' (timestamp
    token genTime), 'cms_signing_time' (CMS signingTime attribute) or 'sig_dict_M' (the signature
    dictionary's /M, which is the only claimed time in PAdES signatures - they must not carry signingTime)."""
    from asn1crypto import cms, tsp

    res = []
    for m in re.finditer(rb"/Contents\s*<([0-9A-Fa-f]{200,})>", pdf):
        t, src = None, None
        try:
            ci = cms.ContentInfo.load(bytes.fromhex(m.group(1).decode()), strict=False)
            sd = ci["content"]
            if sd["encap_content_info"]["content_type"].native == "tst_info":
                tst = tsp.TSTInfo.load(sd["encap_content_info"]["content"].parsed.dump())
                t, src = tst["gen_time"].native, "tst_gen_time"
            else:
                for a in sd["signer_infos"][0]["signed_attrs"]:
                    if a["type"].native == "signing_time":
                        t, src = a["values"][0].native, "cms_signing_time"
        except Exception:
            pass
        if t is not None:
            res.append((t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), src))
            continue
        # fall back to /M of the enclosing signature dictionary
        start = pdf.rfind(b" obj", 0, m.start())
        end = pdf.find(b"endobj", m.end())
        mm = re.search(rb"/M\s*\(((?:[^()\\]|\\.)*)\)", pdf[start:end]) if start >= 0 and end >= 0 else None
        iso = _pdf_date_to_iso(mm.group(1)) if mm else None
        res.append((iso, "sig_dict_M" if iso else None))
    return res


def tool_versions() -> dict:
    from importlib.metadata import version

    import pikepdf

    v = {n: version(n) for n in ("pyHanko", "pyhanko-certvalidator", "cryptography", "asn1crypto", "reportlab",
                                 "pikepdf", "endesive", "pypdf")}
    v["qpdf"] = pikepdf.__libqpdf_version__
    v["openssl"] = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.strip()
    v["python"] = sys.version.split()[0]
    return v


def versions_line() -> str:
    return "Tool versions used for this generation: " + ", ".join(f"{k} {v}" for k, v in tool_versions().items()) + "."


def fixture_table_row(e: dict) -> str:
    """One row of the README fixture table for one manifest row."""
    sigs = "<br>".join(
        f"{s_['field']} ({s_['kind']}): {s_['subfilter']}, {s_['indication']}"
        f"{'/' + s_['subindication'] if s_['subindication'] else ''}, {s_['coverage']} rev {s_['covers_revision']}"
        f", {s_.get('signing_time') or 'n/a'}"
        for s_ in e["signatures"]
    ) or "-"
    if e["unsigned_fields"]:
        sigs += "<br>unsigned: " + ", ".join(e["unsigned_fields"])
    ind = f"{e['indication']} / {e['subindication']}" if e["subindication"] else (e["indication"] or "-")
    return (f"| `{e['file']}` | {', '.join(Path(t).name for t in e['trust'])} | **{e['verdict']}** | {ind} "
            f"| {sigs} | {e['revisions']} | {e['tool']} | {e['note'].replace('|', '/')} |")


def update_readme_fixture_table():
    readme = TD / "README.md"
    if not readme.exists():
        return
    lines = [versions_line(), "",
             "| file | trust | expected verdict | indication / subindication | per signature (field: subfilter, "
             "coverage, signing time) | revisions | made with | what it is |",
             "|---|---|---|---|---|---|---|---|"]
    for e in MANIFEST:
        lines.append(fixture_table_row(e))
    txt = readme.read_text(encoding="utf-8")
    txt = re.sub(r"(<!-- fixtures:begin -->).*?(<!-- fixtures:end -->)",
                 lambda m: m.group(1) + "\n" + "\n".join(lines) + "\n" + m.group(2), txt, flags=re.S)
    readme.write_text(txt, encoding="utf-8")


# --------------------------------------------------------------------------------------
# fixture registry: one builder per PDF, in generation (= manifest) order
# --------------------------------------------------------------------------------------
FIXTURES: dict = {}  # file name -> builder; insertion order is the manifest order
PADES, PKCS7 = "ETSI.CAdES.detached", "adbe.pkcs7.detached"
RSA = "signer-rsa"


def fixture(name: str):
    def deco(fn):
        assert name not in FIXTURES, name
        FIXTURES[name] = fn
        return fn

    return deco


class Ctx:
    """Inputs shared by several builders. A fixture that is the input of others (pades_rsa.pdf is the
    input of every broken variant) is taken from this run when it was built in this run, otherwise
    from the existing file in pdf/ (--only)."""

    def __init__(self):
        self.built: dict[str, bytes] = {}
        self._base = None

    @property
    def base(self) -> bytes:
        if self._base is None:
            self._base = make_base_permit("123")
            assert b"(S\\007: 123/GPXD)" in self._base or b"123/GPXD" in self._base
        return self._base

    def product(self, name: str) -> bytes:
        if name in self.built:
            return self.built[name]
        data = (OUT / name).read_bytes()
        rows = [r for r in existing_manifest() if r["file"] == f"pdf/{name}"]
        if rows and rows[0].get("sha256") != hashlib.sha256(data).hexdigest():
            print(f"make_pdfs.py: WARNING: pdf/{name} differs from its manifest sha256 (stale copy?)",
                  file=sys.stderr)
        return data


CTX = Ctx()


def existing_manifest() -> list:
    p = TD / "manifest.json"
    return json.loads(p.read_text(encoding="utf-8")) if p.exists() else []


# ---- 0: unsigned / not a PDF ----------------------------------------------------------
@fixture("unsigned.pdf")
def _unsigned():
    write("unsigned.pdf", CTX.base)
    entry("unsigned.pdf", "indeterminate", "INDETERMINATE", "SIGNED_DATA_NOT_FOUND", [], 1,
          "Base permit (reportlab, DejaVuSans subset), no signature at all.", tool="reportlab")


@fixture("not_a_pdf.pdf")
def _not_a_pdf():
    write("not_a_pdf.pdf", b"This is not a PDF file. docseal test fixture.\n")
    entry("not_a_pdf.pdf", "error", None, None, [], 0, "Plain text with a .pdf name: cannot be evaluated.",
          tool="none")


# ---- 1/2: good signatures ---------------------------------------------------------------
@fixture("sample_permit.pdf")
def _sample_permit():
    write("sample_permit.pdf", hanko_sign(CTX.base, RSA))
    entry("sample_permit.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "README sample: PAdES B-B by signer-rsa (Nguyễn Văn An), chain root G1 > issuing G1.")


@fixture("pades_rsa.pdf")
def _pades_rsa():
    write("pades_rsa.pdf", hanko_sign(CTX.base, RSA))
    entry("pades_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "PAdES B-B, RSA 2048 PKCS#1 v1.5, SHA-256.")


@fixture("pkcs7_rsa.pdf")
def _pkcs7_rsa():
    write("pkcs7_rsa.pdf", hanko_sign(CTX.base, RSA, subfilter="pkcs7"))
    entry("pkcs7_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, signer=RSA)], 2,
          "adbe.pkcs7.detached, RSA 2048, SHA-256 (pyHanko).")


@fixture("pades_rsa_pss.pdf")
def _pades_rsa_pss():
    write("pades_rsa_pss.pdf", hanko_sign(CTX.base, "signer-rsa-pss", prefer_pss=True))
    entry("pades_rsa_pss.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-rsa-pss")], 2,
          "PAdES, RSASSA-PSS (SHA-256, MGF1-SHA-256) with RSA 3072 key.")


@fixture("pades_p256.pdf")
def _pades_p256():
    write("pades_p256.pdf", hanko_sign(CTX.base, "signer-p256"))
    entry("pades_p256.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-p256")], 2,
          "PAdES, ECDSA P-256 / SHA-256 (Trần Thị Bích).")


@fixture("pades_sha384_p256.pdf")
def _pades_sha384_p256():
    write("pades_sha384_p256.pdf", hanko_sign(CTX.base, "signer-p256", md="sha384"))
    entry("pades_sha384_p256.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-p256")], 2,
          "PAdES, ECDSA P-256 with SHA-384 digest.")


@fixture("pades_p384.pdf")
def _pades_p384():
    write("pades_p384.pdf", hanko_sign(CTX.base, "signer-p384", md="sha384", chain=("intermediate-g2",)))
    entry("pades_p384.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-p384")], 2,
          "PAdES, ECDSA P-384 / SHA-384, chain root G2 > issuing G2; trusted via bundle.pem.",
          trust=("pki/bundle.pem",))
    # extra rows, same file, different trust sets
    MANIFEST.append(dict(MANIFEST[-1], trust=["pki/root-g2.pem"],
                         note="Same file as above, trusting only root-g2.pem: valid."))
    MANIFEST.append(dict(MANIFEST[-1], trust=["pki/anchor.pem"], verdict="indeterminate",
                         indication="INDETERMINATE", subindication="NO_CERTIFICATE_CHAIN_FOUND",
                         signatures=[sig("Signature1", PADES, "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND",
                                         signer="signer-p384")],
                         note="Same file, trusting only root G1 (anchor.pem): chain to G2 not trusted."))


@fixture("pades_ed25519.pdf")
def _pades_ed25519():
    write("pades_ed25519.pdf", hanko_sign(CTX.base, "signer-ed25519", md="sha512"))
    entry("pades_ed25519.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-ed25519")], 2,
          "PAdES, Ed25519 (RFC 8419, SHA-512 message digest).")


@fixture("pades_sha512_rsa.pdf")
def _pades_sha512_rsa():
    write("pades_sha512_rsa.pdf", hanko_sign(CTX.base, RSA, md="sha512"))
    entry("pades_sha512_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "PAdES, RSA PKCS#1 v1.5 with SHA-512.")


@fixture("pades_ecdsa_sha512_p384.pdf")
def _pades_ecdsa_sha512_p384():
    d = hanko_sign(CTX.base, "signer-p384", md="sha512", chain=("intermediate-g2",))
    si = cms_signer_info(d)
    assert si["digest_algorithm"]["algorithm"].native == "sha512", si["digest_algorithm"].native
    assert si["signature_algorithm"]["algorithm"].native == "sha512_ecdsa", si["signature_algorithm"].native
    write("pades_ecdsa_sha512_p384.pdf", d)
    entry("pades_ecdsa_sha512_p384.pdf", "indeterminate", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", signer="signer-p384")], 2,
          "PAdES by pyHanko, ECDSA P-384 with SHA-512 (digestAlgorithm sha512, signatureAlgorithm "
          "ecdsa-with-SHA512), chain root G2 > issuing G2, trusted via bundle.pem. A correct signature that "
          "docseal's crypto backend (ring: ECDSA only with SHA-256/SHA-384) cannot verify: it must be reported "
          "as an unsupported algorithm, never as valid (and not as a broken signature).",
          trust=("pki/bundle.pem",))


# ---- 3: chain failures --------------------------------------------------------------------
@fixture("expired_signer.pdf")
def _expired_signer():
    write("expired_signer.pdf", hanko_sign(CTX.base, "signer-expired"))
    entry("expired_signer.pdf", "indeterminate", "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE",
          [sig("Signature1", PADES, "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", signer="signer-expired")], 2,
          "Signer cert valid 2020-01-01..2021-01-01 only (already expired when signed); no POE.")


@fixture("wrong_key_usage.pdf")
def _wrong_key_usage():
    write("wrong_key_usage.pdf", hanko_sign(CTX.base, "signer-wrong-ku"))
    entry("wrong_key_usage.pdf", "indeterminate", "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE", signer="signer-wrong-ku")], 2,
          "Signer keyUsage = keyEncipherment only (no digitalSignature/nonRepudiation).")


@fixture("rogue_root.pdf")
def _rogue_root():
    write("rogue_root.pdf", hanko_sign(CTX.base, "signer-rogue", chain=("rogue-intermediate", "rogue-root")))
    entry("rogue_root.pdf", "indeterminate", "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND",
          [sig("Signature1", PADES, "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND", signer="signer-rogue")], 2,
          "Rogue root + rogue issuing CA embedded in the CMS, with the SAME subject DNs as the real G1 "
          "CAs but different keys. Must not chain to anchor.pem (name match alone is not trust).")


# ---- 4: second tool (qpdf + openssl cms) ----------------------------------------------------
@fixture("openssl_pkcs7_rsa.pdf")
def _openssl_pkcs7_rsa():
    write("openssl_pkcs7_rsa.pdf", openssl_sign_pdf(CTX.base, RSA))
    entry("openssl_pkcs7_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, rev=1, signer=RSA)], 1,
          "Signature dictionary written by qpdf (pikepdf) in the original file (single revision); CMS made by "
          "`openssl cms -sign -binary -md sha256 -nosmimecap` (signed attrs: contentType, signingTime, "
          "messageDigest).", tool="qpdf+openssl")


@fixture("openssl_pkcs7_p256.pdf")
def _openssl_pkcs7_p256():
    write("openssl_pkcs7_p256.pdf", openssl_sign_pdf(CTX.base, "signer-p256"))
    entry("openssl_pkcs7_p256.pdf", "valid", "PASSED", None,
          [sig("Signature1", PKCS7, rev=1, signer="signer-p256")], 1,
          "As openssl_pkcs7_rsa.pdf, ECDSA P-256 signer.", tool="qpdf+openssl")


@fixture("openssl_pkcs7_noattr.pdf")
def _openssl_pkcs7_noattr():
    write("openssl_pkcs7_noattr.pdf", openssl_sign_pdf(CTX.base, RSA, noattr=True))
    entry("openssl_pkcs7_noattr.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, rev=1, signer=RSA)], 1,
          "openssl cms -noattr: SignerInfo WITHOUT signed attributes; the RSA signature is directly over the "
          "SHA-256 of the ByteRange bytes (allowed for adbe.pkcs7.detached, not for PAdES).",
          tool="qpdf+openssl")


@fixture("legacy_pkcs7_sha1.pdf")
def _legacy_pkcs7_sha1():
    write("legacy_pkcs7_sha1.pdf", openssl_sign_pdf(CTX.base, RSA, subfilter="adbe.pkcs7.sha1"))
    entry("legacy_pkcs7_sha1.pdf", "indeterminate", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE",
          [sig("Signature1", "adbe.pkcs7.sha1", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", rev=1, signer=RSA)],
          1,
          "Legacy adbe.pkcs7.sha1: attached CMS whose eContent is the 20-byte SHA-1 of the ByteRange bytes, "
          "signed with sha1WithRSA (openssl cms -nodetach -md sha1). Cryptographically intact, but SHA-1 "
          "must not yield a plain PASSED.", tool="qpdf+openssl")


def cms_signed_data(pdf: bytes):
    from asn1crypto import cms

    s, e = last_sig_contents(pdf)
    return cms.ContentInfo.load(bytes.fromhex(pdf[s:e].decode()), strict=False)["content"]


def cms_signer_info(pdf: bytes):
    return cms_signed_data(pdf)["signer_infos"][0]


def signed_attr_types(pdf: bytes) -> list:
    return [a["type"].native for a in cms_signer_info(pdf)["signed_attrs"]]


@fixture("openssl_pkcs7_keyid.pdf")
def _openssl_pkcs7_keyid():
    d = openssl_sign_pdf(CTX.base, RSA, extra=["-keyid"])
    si = cms_signer_info(d)
    assert si["sid"].name == "subject_key_identifier" and si["version"].native == "v3", si["sid"].name
    write("openssl_pkcs7_keyid.pdf", d)
    entry("openssl_pkcs7_keyid.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, rev=1, signer=RSA)], 1,
          "As openssl_pkcs7_rsa.pdf, but `openssl cms -sign -keyid`: the SignerInfo (version 3) identifies the "
          "signer by sid = [0] subjectKeyIdentifier instead of issuerAndSerialNumber (RFC 5652 5.3); the "
          "verifier must find the certificate by its SKI extension.", tool="qpdf+openssl")


@fixture("openssl_pkcs7_ber.pdf")
def _openssl_pkcs7_ber():
    d = openssl_sign_pdf(CTX.base, "signer-p256", tool="nss")
    s, e = last_sig_contents(d)
    raw = bytes.fromhex(d[s:e].decode())
    # BER, not DER: ContentInfo, [0], SignedData and EncapsulatedContentInfo have indefinite lengths
    assert raw[:2] == b"\x30\x80", raw[:4].hex()
    sd = cms_signed_data(d)
    assert sd["encap_content_info"]["content"].native is None, "must be detached"
    write("openssl_pkcs7_ber.pdf", d)
    entry("openssl_pkcs7_ber.pdf", "valid", "PASSED", None,
          [sig("Signature1", PKCS7, rev=1, signer="signer-p256")], 1,
          "Signature dictionary by qpdf (as openssl_pkcs7_p256.pdf), detached CMS by NSS `cmsutil -S -T -G` "
          "(ECDSA P-256, SHA-256) in BER: ContentInfo, [0], SignedData and EncapsulatedContentInfo use "
          "INDEFINITE lengths (0x80 ... 00 00), as streaming signers such as Windows CryptoAPI emit; signed "
          "attributes are DER. RFC 5652 allows BER: the verifier must parse it and check the signature "
          "over the signed attributes as sent. (openssl cms -stream cannot make a DETACHED indefinite-length "
          "CMS, hence NSS.)", tool="qpdf+NSS cmsutil")


@fixture("openssl_pkcs7_no_signing_cert.pdf")
def _openssl_pkcs7_no_signing_cert():
    d = openssl_sign_pdf(CTX.base, RSA, subfilter=PADES)
    attrs = signed_attr_types(d)
    assert attrs == ["content_type", "signing_time", "message_digest"], attrs
    write("openssl_pkcs7_no_signing_cert.pdf", d)
    entry("openssl_pkcs7_no_signing_cert.pdf", "indeterminate", "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND",
          [sig("Signature1", PADES, "INDETERMINATE", "NO_SIGNING_CERTIFICATE_FOUND", rev=1, signer=RSA)], 1,
          "SubFilter ETSI.CAdES.detached, but the CMS (plain `openssl cms -sign -binary -md sha256 -nosmimecap`, "
          "without -cades) has NO signing-certificate / signing-certificate-v2 signed attribute (only "
          "contentType, signingTime, messageDigest). CAdES/PAdES require it (EN 319 122-1, EN 319 142-1), so "
          "the signing certificate is not identified as EN 319 102-1 5.2.3 requires: INDETERMINATE / "
          "NO_SIGNING_CERTIFICATE_FOUND, although digest and signature are correct.", tool="qpdf+openssl")


@fixture("openssl_cades_rsa.pdf")
def _openssl_cades_rsa():
    d = openssl_sign_pdf(CTX.base, RSA, subfilter=PADES, extra=["-cades"])
    attrs = signed_attr_types(d)
    assert "signing_certificate_v2" in attrs or "1.2.840.113549.1.9.16.2.47" in attrs, attrs
    write("openssl_cades_rsa.pdf", d)
    entry("openssl_cades_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, rev=1, signer=RSA)], 1,
          "SubFilter ETSI.CAdES.detached, CMS by `openssl cms -sign -binary -md sha256 -nosmimecap -cades` "
          "(signed attrs: contentType, signingTime, messageDigest, signingCertificateV2 with the SHA-256 of "
          "signer-rsa.pem and its issuerSerial), signature dictionary by qpdf, single revision.",
          tool="qpdf+openssl")


# ---- endesive -----------------------------------------------------------------------------
@fixture("endesive_pkcs7_rsa.pdf")
def _endesive_pkcs7_rsa():
    write("endesive_pkcs7_rsa.pdf", endesive_sign(CTX.base, RSA))
    entry("endesive_pkcs7_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, signer=RSA)], 2,
          "Signed by endesive (its own pypdf-based incremental writer and CMS builder): adbe.pkcs7.detached, "
          "RSA PKCS#1 v1.5, SHA-256, issuing CA embedded.", tool="endesive")


@fixture("endesive_p256_bad_sigalg.pdf")
def _endesive_p256_bad_sigalg():
    write("endesive_p256_bad_sigalg.pdf", endesive_sign(CTX.base, "signer-p256"))
    entry("endesive_p256_bad_sigalg.pdf", "invalid", "FAILED", "SIG_CRYPTO_FAILURE",
          [sig("Signature1", PKCS7, "FAILED", "SIG_CRYPTO_FAILURE", signer="signer-p256")], 2,
          "endesive 3.0.1 with the ECDSA P-256 signer: a REAL-WORLD TOOL BUG - SignerInfo.signatureAlgorithm "
          "says rsaEncryption while the signature is an ECDSA (r,s) value and the certificate key is EC. "
          "pyHanko and pdfsig both reject it; docseal must not guess the algorithm from the key.",
          tool="endesive")


# ---- 5: broken variants (all derived from pades_rsa.pdf) --------------------------------------
@fixture("tampered_byte.pdf")
def _tampered_byte():
    pades_rsa = CTX.product("pades_rsa.pdf")
    i = pades_rsa.index(b"123/GPXD")
    assert i < last_byterange(pades_rsa).start()
    write("tampered_byte.pdf", pades_rsa[:i] + b"128/GPXD" + pades_rsa[i + 8 :])
    entry("tampered_byte.pdf", "invalid", "FAILED", "HASH_FAILURE",
          [sig("Signature1", PADES, "FAILED", "HASH_FAILURE", signer=RSA)], 2,
          "pades_rsa.pdf with one byte of the page content changed ('Số: 123' -> 'Số: 128'), in the first "
          "signed range. Same length.", tool="pyHanko+byte edit")


@fixture("corrupted_cms_signature.pdf")
def _corrupted_cms_signature():
    from asn1crypto import cms as acms

    pades_rsa = CTX.product("pades_rsa.pdf")
    der = cms_der(pades_rsa)
    sigval = acms.ContentInfo.load(der)["content"]["signer_infos"][0]["signature"].native
    assert der.count(sigval) == 1
    off = der.index(sigval) + len(sigval) // 2
    bad = bytearray(der)
    for k in range(4):
        bad[off + k] ^= 0xFF
    s, e = last_sig_contents(pades_rsa)
    hx = bytes(bad).hex().upper().encode()
    write("corrupted_cms_signature.pdf", pades_rsa[:s] + hx + b"0" * ((e - s) - len(hx)) + pades_rsa[e:])
    entry("corrupted_cms_signature.pdf", "invalid", "FAILED", "SIG_CRYPTO_FAILURE",
          [sig("Signature1", PADES, "FAILED", "SIG_CRYPTO_FAILURE", signer=RSA)], 2,
          "pades_rsa.pdf with 4 bytes in the middle of SignerInfo.signature inverted (messageDigest still OK).",
          tool="pyHanko+byte edit")


@fixture("truncated_cms.pdf")
def _truncated_cms():
    pades_rsa = CTX.product("pades_rsa.pdf")
    der = cms_der(pades_rsa)
    s, e = last_sig_contents(pades_rsa)
    hx = der[:100].hex().upper().encode()
    write("truncated_cms.pdf", pades_rsa[:s] + hx + b"0" * ((e - s) - len(hx)) + pades_rsa[e:])
    entry("truncated_cms.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", signer=None)], 2,
          "pades_rsa.pdf with /Contents = first 100 bytes of the CMS, rest zeros: undecodable CMS.",
          tool="pyHanko+byte edit")


@fixture("wrong_message_digest.pdf")
def _wrong_message_digest():
    pades_rsa = CTX.product("pades_rsa.pdf")
    s, e = last_sig_contents(pades_rsa)
    other = hanko_sign(make_base_permit("124"), RSA)
    s2, e2 = last_sig_contents(other)
    assert e2 - s2 == e - s
    write("wrong_message_digest.pdf", other[:s2] + pades_rsa[s:e] + other[e2:])
    entry("wrong_message_digest.pdf", "invalid", "FAILED", "HASH_FAILURE",
          [sig("Signature1", PADES, "FAILED", "HASH_FAILURE", signer=RSA)], 2,
          "Permit no. 124 signed by pyHanko, then its CMS replaced by the (intact, validly signed) CMS of "
          "pades_rsa.pdf (permit no. 123): signed attributes verify, messageDigest does not match.",
          tool="pyHanko+byte edit")


def _pades_rsa_byterange():
    pades_rsa = CTX.product("pades_rsa.pdf")
    m = last_byterange(pades_rsa)
    return pades_rsa, [int(m.group(k)) for k in range(1, 5)]


@fixture("byterange_gap_wide.pdf")
def _byterange_gap_wide():
    pades_rsa, (b0, b1, b2, b3) = _pades_rsa_byterange()
    write("byterange_gap_wide.pdf", replace_byterange(pades_rsa, [b0, b1, b2 + 4, b3 - 4]))
    entry("byterange_gap_wide.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="UNCLEAR", rev=None, signer=RSA)], 2,
          "pades_rsa.pdf with /ByteRange second range starting 4 bytes after the closing '>' of /Contents "
          "(4 unsigned bytes). ByteRange text width preserved (space padded).", tool="pyHanko+byte edit")


@fixture("byterange_not_zero.pdf")
def _byterange_not_zero():
    pades_rsa, (b0, b1, b2, b3) = _pades_rsa_byterange()
    write("byterange_not_zero.pdf", replace_byterange(pades_rsa, [1, b1 - 1, b2, b3]))
    entry("byterange_not_zero.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="UNCLEAR", rev=None, signer=RSA)], 2,
          "pades_rsa.pdf with /ByteRange [1 ...]: first byte of the file not covered.", tool="pyHanko+byte edit")


@fixture("appended_garbage.pdf")
def _appended_garbage():
    write("appended_garbage.pdf", CTX.product("pades_rsa.pdf") + b"\n% appended after signing\n1 0 obj (x) endobj\n")
    entry("appended_garbage.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", signer=RSA)], 2,
          "pades_rsa.pdf + unsigned bytes after the final %%EOF (no new xref / %%EOF). The signature itself "
          "is cryptographically fine but does not cover the whole file.", tool="pyHanko+byte edit")


@fixture("incremental_update.pdf")
def _incremental_update():
    write("incremental_update.pdf", hanko_visible_update(CTX.product("pades_rsa.pdf")))
    entry("incremental_update.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA)], 3,
          "pades_rsa.pdf + a real incremental update written by pyHanko's IncrementalPdfFileWriter that adds "
          "a page content stream (red box over the permit number, text 'MODIFIED AFTER SIGNING'). "
          "A diff-analysing verifier would call this FAILED/not allowed; docseal (no diff analysis yet) "
          "must at least not say valid.")


# ---- 6: multi-revision ----------------------------------------------------------------------
@fixture("two_signatures.pdf")
def _two_signatures():
    write("two_signatures.pdf", hanko_sign(CTX.product("pades_rsa.pdf"), "signer-p256", field="Signature2"))
    entry("two_signatures.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA),
           sig("Signature2", PADES, coverage="ENTIRE_FILE", rev=3, signer="signer-p256")], 3,
          "Signature1 (signer-rsa) then Signature2 (signer-p256) in a second incremental update. Both "
          "signatures are cryptographically and chain-valid; document INDETERMINATE until docseal analyses "
          "the revision added after Signature1 (pyHanko's diff analysis accepts it).")


@fixture("unsigned_field.pdf")
def _unsigned_field():
    import pikepdf

    fields_base = hanko_add_fields(CTX.base, [("Signature1", (60, 150, 270, 210)),
                                              ("Signature2", (320, 150, 530, 210))])
    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(fields_base)) as pdf:  # flatten to ONE revision (qpdf full rewrite)
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True)
    write("unsigned_field.pdf", hanko_sign(buf.getvalue(), RSA, field="Signature1", existing_field=True, stamp=True))
    entry("unsigned_field.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "Base permit with two empty visible signature fields Signature1 and Signature2 (fields added by "
          "pyHanko, file flattened to one revision by qpdf); only Signature1 signed (with a visible stamp). "
          "Signature2 must be reported as an unsigned field.", unsigned_fields=("Signature2",))


@fixture("doc_timestamp.pdf")
def _doc_timestamp():
    write("doc_timestamp.pdf", hanko_doc_timestamp(CTX.product("pades_rsa.pdf")))
    entry("doc_timestamp.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA),
           sig("DocTimeStamp1", "ETSI.RFC3161", coverage="ENTIRE_FILE", rev=3, kind="doc_timestamp",
               signer="tsa")], 3,
          "pades_rsa.pdf + a /DocTimeStamp (ETSI.RFC3161) added by pyHanko's DummyTimeStamper with tsa.pem "
          "(EKU timeStamping, chain root G1 > issuing G1, issuing CA embedded in the token). The timestamp "
          "revision only adds the timestamp, so a verifier that analyses it may upgrade the document to valid.")


# ---- 7: big ---------------------------------------------------------------------------------
@fixture("big_scan_signed.pdf")
def _big_scan_signed():
    big = hanko_sign(make_big_scan(), RSA)
    assert 20 * 1024 * 1024 <= len(big) <= 22 * 1000 * 1000, len(big)
    write("big_scan_signed.pdf", big)
    entry("big_scan_signed.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "~21 MB: one page with a 5000x4200 uncompressed DeviceGray noise image (seeded PRNG, hand-written "
          "PDF), PAdES-signed by signer-rsa. Tests streaming hashing of large ranges.",
          tool="python+pyHanko")


# --------------------------------------------------------------------------------------
# --only: merge the rebuilt rows into the existing manifest.json and README table
# --------------------------------------------------------------------------------------
def manifest_text(rows: list) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def fixture_name(arg: str) -> str:
    n = arg.strip()
    n = n[len("pdf/"):] if n.startswith("pdf/") else n
    return n if n.endswith(".pdf") else n + ".pdf"


def merge_rows(old_rows: list, new_rows: list, rebuilt: set, file_of=lambda r: r["file"]) -> list:
    """old_rows with every row of a rebuilt file replaced by that file's new rows (at the place of the
    file's first old row); files that had no row yet are inserted after the last row of a fixture that
    comes earlier in generation order. All other rows are kept as they are, in their order."""
    order = {f"pdf/{n}": i for i, n in enumerate(FIXTURES)}
    new_by_file: dict[str, list] = {}
    for r in new_rows:
        new_by_file.setdefault(file_of(r), []).append(r)
    merged, done = [], set()
    for r in old_rows:
        f = file_of(r)
        if f in rebuilt:
            if f not in done and f in new_by_file:
                merged.extend(new_by_file[f])
            done.add(f)
            continue
        merged.append(r)
    for f in sorted(set(new_by_file) - done, key=lambda f: order[f]):
        pos = 0
        for i, r in enumerate(merged):
            k = order.get(file_of(r))
            if k is not None and k < order[f]:
                pos = i + 1
        merged[pos:pos] = new_by_file[f]
    return merged


def readme_fixture_rows_update(merged: list, rebuilt: set):
    """Rewrite only the README fixture-table rows of the rebuilt files (others stay byte-identical)."""
    readme = TD / "README.md"
    if not readme.exists():
        return
    txt = readme.read_text(encoding="utf-8")
    m = re.search(r"<!-- fixtures:begin -->\n(.*?)\n<!-- fixtures:end -->", txt, flags=re.S)
    if not m:
        print("make_pdfs.py: WARNING: no fixture table markers in README.md, table not updated", file=sys.stderr)
        return
    lines = m.group(1).split("\n")
    first = next((i for i, l in enumerate(lines) if l.startswith("| `pdf/")), len(lines))
    head, old = lines[:first], lines[first:]
    if head and head[0].startswith("Tool versions used") and head[0] != versions_line():
        print("make_pdfs.py: WARNING: tool versions differ from the README's 'Tool versions used for this "
              f"generation' line (kept as is); this run: {versions_line()}", file=sys.stderr)

    def key(line):
        cells = line.split(" | ")
        return cells[0][len("| `"):-1], cells[1]

    pool = [(key(l), l) for l in old]
    out = []
    for e in merged:
        k = (e["file"], ", ".join(Path(t).name for t in e["trust"]))
        line = None
        if e["file"] not in rebuilt:
            for j, (kk, ll) in enumerate(pool):
                if kk == k:
                    line = ll
                    del pool[j]
                    break
            if line is None:
                print(f"make_pdfs.py: WARNING: README had no row for {k}; added it", file=sys.stderr)
        out.append(line if line is not None else fixture_table_row(e))
    body = "\n".join(head + out)
    readme.write_text(txt[: m.start(1)] + body + txt[m.end(1) :], encoding="utf-8")


def check_pki_matches_fixtures():
    """--only must sign with the keys the committed fixtures were made with: compare pki/signer-rsa.pem
    with the signer certificate inside pdf/pades_rsa.pdf."""
    from asn1crypto import pem

    p = OUT / "pades_rsa.pdf"
    if not p.exists():
        return
    want = pem.unarmor(cert(RSA).read_bytes())[2]
    certs = [c.chosen.dump() for c in cms_signed_data(p.read_bytes())["certificates"]]
    if want not in certs:
        sys.exit("make_pdfs.py: pki/signer-rsa.pem is not the certificate pdf/pades_rsa.pdf was signed with: "
                 "pki/ was regenerated after the fixtures. Restore pki/ (git checkout testdata/pki) or run "
                 "the full regeneration (gen/regen.sh).")


# --------------------------------------------------------------------------------------
def post_pass(rows: list):
    """revisions check + signing times + sha256/size of the files of `rows`."""
    for ent in rows:
        p = TD / ent["file"]
        data = p.read_bytes()
        if ent["revisions"] and not ent["file"].endswith("not_a_pdf.pdf"):
            assert count_revisions(data) == ent["revisions"], (ent["file"], count_revisions(data))
        times = cms_signing_times(data) if ent["signatures"] else []
        for sgn, (t, src) in zip(ent["signatures"], times):
            sgn["signing_time"] = t
            sgn["signing_time_source"] = src
        ent["sha256"] = hashlib.sha256(data).hexdigest()
        ent["size"] = len(data)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Build the docseal PDF fixtures (TEST keys only).")
    ap.add_argument("--only", action="append", metavar="NAME[,NAME...]",
                    help="rebuild only these fixtures (e.g. openssl_pkcs7_keyid or pdf/x.pdf), using the existing "
                         "pki/; updates only their manifest.json rows and README table rows. Repeatable.")
    ap.add_argument("--list", action="store_true", help="list the fixture names in generation order and exit")
    args = ap.parse_args(argv)
    if args.list:
        print("\n".join(FIXTURES))
        return 0

    OUT.mkdir(parents=True, exist_ok=True)
    if not args.only:
        # full regeneration: every fixture, fresh manifest and README table
        for p in OUT.glob("*.pdf"):
            p.unlink()
        print("make_pdfs.py: writing", OUT)
        for build in FIXTURES.values():
            build()
        post_pass(MANIFEST)
        (TD / "manifest.json").write_text(manifest_text(MANIFEST), encoding="utf-8")
        update_readme_fixture_table()
        print(f"make_pdfs.py: {len(MANIFEST)} manifest rows -> {TD / 'manifest.json'}")
        return 0

    names = [fixture_name(n) for a in args.only for n in a.split(",") if n.strip()]
    unknown = [n for n in names if n not in FIXTURES]
    if unknown or not names:
        ap.error(f"unknown fixture(s) {unknown}; known: {', '.join(FIXTURES)}")
    mpath = TD / "manifest.json"
    old_text = mpath.read_text(encoding="utf-8") if mpath.exists() else "[]\n"
    old_rows = json.loads(old_text)
    if manifest_text(old_rows) != old_text:
        sys.exit("make_pdfs.py: manifest.json is not in the generator's JSON format, refusing a partial update "
                 "(other rows would not stay byte-identical)")
    for n in ("intermediate", "intermediate-g2"):
        assert cert(n).exists(), f"{cert(n)} missing: --only needs the existing test PKI (make_pki.sh)"
    check_pki_matches_fixtures()
    print("make_pdfs.py: rebuilding only", ", ".join(names))
    for name, build in FIXTURES.items():  # generation order, so inputs are built before their users
        if name in names:
            build()
    post_pass(MANIFEST)
    rebuilt = {f"pdf/{n}" for n in names}
    merged = merge_rows(old_rows, MANIFEST, rebuilt)
    mpath.write_text(manifest_text(merged), encoding="utf-8")
    readme_fixture_rows_update(merged, rebuilt)
    print(f"make_pdfs.py: {len(MANIFEST)} row(s) rebuilt, {len(merged)} manifest rows -> {mpath}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
