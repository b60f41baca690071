#!/usr/bin/env python3
"""Build the docseal PDF fixtures into testdata/pdf/ and write testdata/manifest.json.

Tools used (all real, independent of docseal):
  * reportlab  - base one-page "Giấy phép xây dựng" permit (DejaVuSans embedded)
  * pyHanko    - PAdES / adbe.pkcs7.detached signing, incremental updates, document timestamps
  * qpdf (via pikepdf) + openssl cms - a second, pyHanko-free signing path
    (qpdf writes the signature dictionary with a /Contents placeholder, `openssl cms -sign`
    produces the CMS over the ByteRange bytes, Python hex-inserts it)
  * endesive - a third signer (own incremental writer + CMS), adbe.pkcs7.detached
  * plain Python byte edits - the broken variants

ALL KEYS USED HERE ARE TEST-ONLY KEYS (testdata/pki/keys). NEVER TRUST THEM.

Run from anywhere:  python3 testdata/gen/make_pdfs.py   (after make_pki.sh)
"""
from __future__ import annotations

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


def openssl_cms(content: bytes, signer: str, *, md="sha256", attached=False, noattr=False) -> bytes:
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
        subprocess.run(cmd, check=True)
        return outp.read_bytes()


def openssl_sign_pdf(base: bytes, signer: str, *, subfilter="adbe.pkcs7.detached", md="sha256", noattr=False) -> bytes:
    pdf = qpdf_placeholder(base, subfilter)
    pdf, br, hs, he = fill_byterange(pdf)
    signed = bytes(pdf[br[0] : br[0] + br[1]]) + bytes(pdf[br[2] : br[2] + br[3]])
    if subfilter == "adbe.pkcs7.sha1":
        # ISO 32000-1 12.8.3.3.1: the SHA-1 digest of the ByteRange bytes is encapsulated
        # (eContentType id-data) in the SignedData, which is signed with SHA-1.
        der = openssl_cms(hashlib.sha1(signed).digest(), signer, md="sha1", attached=True)
    else:
        der = openssl_cms(signed, signer, md=md, noattr=noattr)
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


def update_readme_fixture_table():
    readme = TD / "README.md"
    if not readme.exists():
        return
    vers = tool_versions()
    lines = ["Tool versions used for this generation: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".", "",
             "| file | trust | expected verdict | indication / subindication | per signature (field: subfilter, "
             "coverage, signing time) | revisions | made with | what it is |",
             "|---|---|---|---|---|---|---|---|"]
    for e in MANIFEST:
        sigs = "<br>".join(
            f"{s_['field']} ({s_['kind']}): {s_['subfilter']}, {s_['indication']}"
            f"{'/' + s_['subindication'] if s_['subindication'] else ''}, {s_['coverage']} rev {s_['covers_revision']}"
            f", {s_.get('signing_time') or 'n/a'}"
            for s_ in e["signatures"]
        ) or "-"
        if e["unsigned_fields"]:
            sigs += "<br>unsigned: " + ", ".join(e["unsigned_fields"])
        ind = f"{e['indication']} / {e['subindication']}" if e["subindication"] else (e["indication"] or "-")
        lines.append(f"| `{e['file']}` | {', '.join(Path(t).name for t in e['trust'])} | **{e['verdict']}** | {ind} "
                     f"| {sigs} | {e['revisions']} | {e['tool']} | {e['note'].replace('|', '/')} |")
    txt = readme.read_text(encoding="utf-8")
    txt = re.sub(r"(<!-- fixtures:begin -->).*?(<!-- fixtures:end -->)",
                 lambda m: m.group(1) + "\n" + "\n".join(lines) + "\n" + m.group(2), txt, flags=re.S)
    readme.write_text(txt, encoding="utf-8")


# --------------------------------------------------------------------------------------
def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for p in OUT.glob("*.pdf"):
        p.unlink()
    print("make_pdfs.py: writing", OUT)

    base = make_base_permit("123")
    assert b"(S\\007: 123/GPXD)" in base or b"123/GPXD" in base
    write("unsigned.pdf", base)
    entry("unsigned.pdf", "indeterminate", "INDETERMINATE", "SIGNED_DATA_NOT_FOUND", [], 1,
          "Base permit (reportlab, DejaVuSans subset), no signature at all.", tool="reportlab")

    write("not_a_pdf.pdf", b"This is not a PDF file. docseal test fixture.\n")
    entry("not_a_pdf.pdf", "error", None, None, [], 0, "Plain text with a .pdf name: cannot be evaluated.",
          tool="none")

    PADES, PKCS7 = "ETSI.CAdES.detached", "adbe.pkcs7.detached"
    RSA = "signer-rsa"

    # ---- 1/2: good signatures ------------------------------------------------------
    sample = hanko_sign(base, RSA)
    write("sample_permit.pdf", sample)
    entry("sample_permit.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "README sample: PAdES B-B by signer-rsa (Nguyễn Văn An), chain root G1 > issuing G1.")

    pades_rsa = hanko_sign(base, RSA)
    write("pades_rsa.pdf", pades_rsa)
    entry("pades_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "PAdES B-B, RSA 2048 PKCS#1 v1.5, SHA-256.")

    pkcs7_rsa = hanko_sign(base, RSA, subfilter="pkcs7")
    write("pkcs7_rsa.pdf", pkcs7_rsa)
    entry("pkcs7_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, signer=RSA)], 2,
          "adbe.pkcs7.detached, RSA 2048, SHA-256 (pyHanko).")

    d = hanko_sign(base, "signer-rsa-pss", prefer_pss=True)
    write("pades_rsa_pss.pdf", d)
    entry("pades_rsa_pss.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-rsa-pss")], 2,
          "PAdES, RSASSA-PSS (SHA-256, MGF1-SHA-256) with RSA 3072 key.")

    d = hanko_sign(base, "signer-p256")
    write("pades_p256.pdf", d)
    entry("pades_p256.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-p256")], 2,
          "PAdES, ECDSA P-256 / SHA-256 (Trần Thị Bích).")

    d = hanko_sign(base, "signer-p256", md="sha384")
    write("pades_sha384_p256.pdf", d)
    entry("pades_sha384_p256.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-p256")], 2,
          "PAdES, ECDSA P-256 with SHA-384 digest.")

    p384 = hanko_sign(base, "signer-p384", md="sha384", chain=("intermediate-g2",))
    write("pades_p384.pdf", p384)
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

    d = hanko_sign(base, "signer-ed25519", md="sha512")
    write("pades_ed25519.pdf", d)
    entry("pades_ed25519.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer="signer-ed25519")], 2,
          "PAdES, Ed25519 (RFC 8419, SHA-512 message digest).")

    d = hanko_sign(base, RSA, md="sha512")
    write("pades_sha512_rsa.pdf", d)
    entry("pades_sha512_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "PAdES, RSA PKCS#1 v1.5 with SHA-512.")

    # ---- 3: chain failures -----------------------------------------------------------
    d = hanko_sign(base, "signer-expired")
    write("expired_signer.pdf", d)
    entry("expired_signer.pdf", "indeterminate", "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE",
          [sig("Signature1", PADES, "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", signer="signer-expired")], 2,
          "Signer cert valid 2020-01-01..2021-01-01 only (already expired when signed); no POE.")

    d = hanko_sign(base, "signer-wrong-ku")
    write("wrong_key_usage.pdf", d)
    entry("wrong_key_usage.pdf", "indeterminate", "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, "INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE", signer="signer-wrong-ku")], 2,
          "Signer keyUsage = keyEncipherment only (no digitalSignature/nonRepudiation).")

    d = hanko_sign(base, "signer-rogue", chain=("rogue-intermediate", "rogue-root"))
    write("rogue_root.pdf", d)
    entry("rogue_root.pdf", "indeterminate", "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND",
          [sig("Signature1", PADES, "INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND", signer="signer-rogue")], 2,
          "Rogue root + rogue issuing CA embedded in the CMS, with the SAME subject DNs as the real G1 "
          "CAs but different keys. Must not chain to anchor.pem (name match alone is not trust).")

    # ---- 4: second tool (qpdf + openssl cms) ------------------------------------------
    d = openssl_sign_pdf(base, RSA)
    write("openssl_pkcs7_rsa.pdf", d)
    entry("openssl_pkcs7_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, rev=1, signer=RSA)], 1,
          "Signature dictionary written by qpdf (pikepdf) in the original file (single revision); CMS made by "
          "`openssl cms -sign -binary -md sha256 -nosmimecap` (signed attrs: contentType, signingTime, "
          "messageDigest).", tool="qpdf+openssl")

    d = openssl_sign_pdf(base, "signer-p256")
    write("openssl_pkcs7_p256.pdf", d)
    entry("openssl_pkcs7_p256.pdf", "valid", "PASSED", None,
          [sig("Signature1", PKCS7, rev=1, signer="signer-p256")], 1,
          "As openssl_pkcs7_rsa.pdf, ECDSA P-256 signer.", tool="qpdf+openssl")

    d = openssl_sign_pdf(base, RSA, noattr=True)
    write("openssl_pkcs7_noattr.pdf", d)
    entry("openssl_pkcs7_noattr.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, rev=1, signer=RSA)], 1,
          "openssl cms -noattr: SignerInfo WITHOUT signed attributes; the RSA signature is directly over the "
          "SHA-256 of the ByteRange bytes (allowed for adbe.pkcs7.detached, not for PAdES).",
          tool="qpdf+openssl")

    d = openssl_sign_pdf(base, RSA, subfilter="adbe.pkcs7.sha1")
    write("legacy_pkcs7_sha1.pdf", d)
    entry("legacy_pkcs7_sha1.pdf", "indeterminate", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE",
          [sig("Signature1", "adbe.pkcs7.sha1", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE", rev=1, signer=RSA)],
          1,
          "Legacy adbe.pkcs7.sha1: attached CMS whose eContent is the 20-byte SHA-1 of the ByteRange bytes, "
          "signed with sha1WithRSA (openssl cms -nodetach -md sha1). Cryptographically intact, but SHA-1 "
          "must not yield a plain PASSED.", tool="qpdf+openssl")

    d = endesive_sign(base, RSA)
    write("endesive_pkcs7_rsa.pdf", d)
    entry("endesive_pkcs7_rsa.pdf", "valid", "PASSED", None, [sig("Signature1", PKCS7, signer=RSA)], 2,
          "Signed by endesive (its own pypdf-based incremental writer and CMS builder): adbe.pkcs7.detached, "
          "RSA PKCS#1 v1.5, SHA-256, issuing CA embedded.", tool="endesive")

    d = endesive_sign(base, "signer-p256")
    write("endesive_p256_bad_sigalg.pdf", d)
    entry("endesive_p256_bad_sigalg.pdf", "invalid", "FAILED", "SIG_CRYPTO_FAILURE",
          [sig("Signature1", PKCS7, "FAILED", "SIG_CRYPTO_FAILURE", signer="signer-p256")], 2,
          "endesive 3.0.1 with the ECDSA P-256 signer: a REAL-WORLD TOOL BUG - SignerInfo.signatureAlgorithm "
          "says rsaEncryption while the signature is an ECDSA (r,s) value and the certificate key is EC. "
          "pyHanko and pdfsig both reject it; docseal must not guess the algorithm from the key.",
          tool="endesive")

    # ---- 5: broken variants -------------------------------------------------------------
    i = pades_rsa.index(b"123/GPXD")
    assert i < last_byterange(pades_rsa).start()
    d = pades_rsa[:i] + b"128/GPXD" + pades_rsa[i + 8 :]
    write("tampered_byte.pdf", d)
    entry("tampered_byte.pdf", "invalid", "FAILED", "HASH_FAILURE",
          [sig("Signature1", PADES, "FAILED", "HASH_FAILURE", signer=RSA)], 2,
          "pades_rsa.pdf with one byte of the page content changed ('Số: 123' -> 'Số: 128'), in the first "
          "signed range. Same length.", tool="pyHanko+byte edit")

    der = cms_der(pades_rsa)
    from asn1crypto import cms as acms

    sigval = acms.ContentInfo.load(der)["content"]["signer_infos"][0]["signature"].native
    assert der.count(sigval) == 1
    off = der.index(sigval) + len(sigval) // 2
    bad = bytearray(der)
    for k in range(4):
        bad[off + k] ^= 0xFF
    s, e = last_sig_contents(pades_rsa)
    hx = bytes(bad).hex().upper().encode()
    d = pades_rsa[:s] + hx + b"0" * ((e - s) - len(hx)) + pades_rsa[e:]
    write("corrupted_cms_signature.pdf", d)
    entry("corrupted_cms_signature.pdf", "invalid", "FAILED", "SIG_CRYPTO_FAILURE",
          [sig("Signature1", PADES, "FAILED", "SIG_CRYPTO_FAILURE", signer=RSA)], 2,
          "pades_rsa.pdf with 4 bytes in the middle of SignerInfo.signature inverted (messageDigest still OK).",
          tool="pyHanko+byte edit")

    hx = der[:100].hex().upper().encode()
    d = pades_rsa[:s] + hx + b"0" * ((e - s) - len(hx)) + pades_rsa[e:]
    write("truncated_cms.pdf", d)
    entry("truncated_cms.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", signer=None)], 2,
          "pades_rsa.pdf with /Contents = first 100 bytes of the CMS, rest zeros: undecodable CMS.",
          tool="pyHanko+byte edit")

    other = hanko_sign(make_base_permit("124"), RSA)
    s2, e2 = last_sig_contents(other)
    assert e2 - s2 == e - s
    d = other[:s2] + pades_rsa[s:e] + other[e2:]
    write("wrong_message_digest.pdf", d)
    entry("wrong_message_digest.pdf", "invalid", "FAILED", "HASH_FAILURE",
          [sig("Signature1", PADES, "FAILED", "HASH_FAILURE", signer=RSA)], 2,
          "Permit no. 124 signed by pyHanko, then its CMS replaced by the (intact, validly signed) CMS of "
          "pades_rsa.pdf (permit no. 123): signed attributes verify, messageDigest does not match.",
          tool="pyHanko+byte edit")

    m = last_byterange(pades_rsa)
    b0, b1, b2, b3 = (int(m.group(k)) for k in range(1, 5))
    d = replace_byterange(pades_rsa, [b0, b1, b2 + 4, b3 - 4])
    write("byterange_gap_wide.pdf", d)
    entry("byterange_gap_wide.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="UNCLEAR", rev=None, signer=RSA)], 2,
          "pades_rsa.pdf with /ByteRange second range starting 4 bytes after the closing '>' of /Contents "
          "(4 unsigned bytes). ByteRange text width preserved (space padded).", tool="pyHanko+byte edit")

    d = replace_byterange(pades_rsa, [1, b1 - 1, b2, b3])
    write("byterange_not_zero.pdf", d)
    entry("byterange_not_zero.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="UNCLEAR", rev=None, signer=RSA)], 2,
          "pades_rsa.pdf with /ByteRange [1 ...]: first byte of the file not covered.", tool="pyHanko+byte edit")

    d = pades_rsa + b"\n% appended after signing\n1 0 obj (x) endobj\n"
    write("appended_garbage.pdf", d)
    entry("appended_garbage.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", signer=RSA)], 2,
          "pades_rsa.pdf + unsigned bytes after the final %%EOF (no new xref / %%EOF). The signature itself "
          "is cryptographically fine but does not cover the whole file.", tool="pyHanko+byte edit")

    d = hanko_visible_update(pades_rsa)
    write("incremental_update.pdf", d)
    entry("incremental_update.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA)], 3,
          "pades_rsa.pdf + a real incremental update written by pyHanko's IncrementalPdfFileWriter that adds "
          "a page content stream (red box over the permit number, text 'MODIFIED AFTER SIGNING'). "
          "A diff-analysing verifier would call this FAILED/not allowed; docseal (no diff analysis yet) "
          "must at least not say valid.")

    # ---- 6: multi-revision -------------------------------------------------------------
    d = hanko_sign(pades_rsa, "signer-p256", field="Signature2")
    write("two_signatures.pdf", d)
    entry("two_signatures.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA),
           sig("Signature2", PADES, coverage="ENTIRE_FILE", rev=3, signer="signer-p256")], 3,
          "Signature1 (signer-rsa) then Signature2 (signer-p256) in a second incremental update. Both "
          "signatures are cryptographically and chain-valid; document INDETERMINATE until docseal analyses "
          "the revision added after Signature1 (pyHanko's diff analysis accepts it).")

    fields_base = hanko_add_fields(base, [("Signature1", (60, 150, 270, 210)), ("Signature2", (320, 150, 530, 210))])
    import pikepdf

    buf = io.BytesIO()
    with pikepdf.open(io.BytesIO(fields_base)) as pdf:  # flatten to ONE revision (qpdf full rewrite)
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True)
    d = hanko_sign(buf.getvalue(), RSA, field="Signature1", existing_field=True, stamp=True)
    write("unsigned_field.pdf", d)
    entry("unsigned_field.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "Base permit with two empty visible signature fields Signature1 and Signature2 (fields added by "
          "pyHanko, file flattened to one revision by qpdf); only Signature1 signed (with a visible stamp). "
          "Signature2 must be reported as an unsigned field.", unsigned_fields=("Signature2",))

    d = hanko_doc_timestamp(pades_rsa)
    write("doc_timestamp.pdf", d)
    entry("doc_timestamp.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA),
           sig("DocTimeStamp1", "ETSI.RFC3161", coverage="ENTIRE_FILE", rev=3, kind="doc_timestamp",
               signer="tsa")], 3,
          "pades_rsa.pdf + a /DocTimeStamp (ETSI.RFC3161) added by pyHanko's DummyTimeStamper with tsa.pem "
          "(EKU timeStamping, chain root G1 > issuing G1, issuing CA embedded in the token). The timestamp "
          "revision only adds the timestamp, so a verifier that analyses it may upgrade the document to valid.")

    # ---- 7: big -----------------------------------------------------------------------
    big = hanko_sign(make_big_scan(), RSA)
    assert 20 * 1024 * 1024 <= len(big) <= 22 * 1000 * 1000, len(big)
    write("big_scan_signed.pdf", big)
    entry("big_scan_signed.pdf", "valid", "PASSED", None, [sig("Signature1", PADES, signer=RSA)], 2,
          "~21 MB: one page with a 5000x4200 uncompressed DeviceGray noise image (seeded PRNG, hand-written "
          "PDF), PAdES-signed by signer-rsa. Tests streaming hashing of large ranges.",
          tool="python+pyHanko")

    # ---- post-pass: revisions + signing times -------------------------------------------
    for ent in MANIFEST:
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
    (TD / "manifest.json").write_text(json.dumps(MANIFEST, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    update_readme_fixture_table()
    print(f"make_pdfs.py: {len(MANIFEST)} manifest rows -> {TD / 'manifest.json'}")


if __name__ == "__main__":
    sys.exit(main())
