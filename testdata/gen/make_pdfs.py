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
import contextlib
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
    certify=None,
    lock=None,
    prepare=None,
    timestamper=None,
    signing_time=None,
    validation_context=None,
    lta=False,
    tst_md=None,
    stamp_style=None,
    box=None,
) -> bytes:
    """certify=1|2|3: certification (DocMDP) signature with that /P; lock=[field names]: the new signature
    field gets a FieldMDP /Lock (Action /Include) and the signature a FieldMDP reference; prepare(w): called
    with the IncrementalPdfFileWriter before signing, so whatever it adds is in the signed revision.
    Issue 4: timestamper = signature timestamp (tsa_stamper()); signing_time = pinned pyHanko signing time
    (/M, and the CMS signingTime for adbe.pkcs7.detached); validation_context = embed validation info (PAdES:
    a DSS in a new revision; adbe.pkcs7.detached: the adbe-revocationInfoArchival signed attribute);
    lta = PAdES B-LTA (DSS + document timestamp); tst_md = digest of the signature-timestamp imprint (default:
    the signature's digest).
    Issue 12: stamp_style = a pyHanko stamp style for the widget's appearance (instead of stamp=True's text stamp);
    box = (x1, y1, x2, y2) of the new field's widget (default: invisible, /Rect [0 0 0 0])."""
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
        certify=certify is not None,
        docmdp_permissions=fields.MDPPerm(certify) if certify is not None else fields.MDPPerm.FILL_FORMS,
        embed_validation_info=validation_context is not None,
        validation_context=validation_context,
        use_pades_lta=lta,
        timestamp_field_name="DocTimeStamp1" if lta else None,
    )
    signer = hanko_signer(signer_name, chain=chain, prefer_pss=prefer_pss)
    kwargs = {}
    if lock is not None or box is not None:
        kwargs["new_field_spec"] = fields.SigFieldSpec(
            field, box=box,
            field_mdp_spec=None if lock is None else fields.FieldMDPSpec(fields.FieldMDPAction.INCLUDE,
                                                                         fields=list(lock)))
    if stamp:
        kwargs["stamp_style"] = TextStampStyle(stamp_text="Digitally signed - docseal TEST\n%(ts)s")
    if stamp_style is not None:
        kwargs["stamp_style"] = stamp_style
    if timestamper is not None:
        kwargs["timestamper"] = timestamper
    pdf_signer = signers.PdfSigner(meta, signer, **kwargs)
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    if prepare is not None:
        prepare(w)
    with pinned_signing_time(signing_time), signature_tst_digest(tst_md):
        out = pdf_signer.sign_pdf(w, existing_fields_only=existing_field, bytes_reserved=SIG_RESERVED)
    return out.getvalue()


@contextlib.contextmanager
def pinned_signing_time(dt):
    """pyHanko takes the signing time (/M; CMS signingTime) from datetime.now() in PdfSigningSession and has
    no parameter for it: pass `system_time` (an existing, optional constructor argument) while signing."""
    if dt is None:
        yield
        return
    from pyhanko.sign.signers import pdf_signer as ps

    orig = ps.PdfSigningSession.__init__

    def init(self, *a, **kw):
        kw["system_time"] = dt
        orig(self, *a, **kw)

    ps.PdfSigningSession.__init__ = init
    try:
        yield
    finally:
        ps.PdfSigningSession.__init__ = orig


@contextlib.contextmanager
def signature_tst_digest(md):
    """pyHanko hashes the signature value for the signature timestamp with the SIGNATURE's digest algorithm
    (TSTProvider); force another one (sha256 for the SHA-1 signature, so only the signature itself is SHA-1)."""
    if md is None:
        yield
        return
    from pyhanko.sign import attributes

    orig = attributes.TSTProvider.__init__

    def init(self, digest_algorithm, *a, **kw):
        orig(self, md, *a, **kw)

    attributes.TSTProvider.__init__ = init
    try:
        yield
    finally:
        attributes.TSTProvider.__init__ = orig


def load_cert(name: str):
    from asn1crypto import pem, x509

    return x509.Certificate.load(pem.unarmor(cert(name).read_bytes())[2])


def tsa_stamper(name: str = "tsa", fixed_dt=None):
    """pyHanko's DummyTimeStamper (a local RFC 3161 TSA) with pki/<name>.pem; fixed_dt = genTime to write
    (default: now); the issuing CA G1 certificate is embedded in the token next to the TSA certificate."""
    from asn1crypto import keys as akeys
    from asn1crypto import pem
    from pyhanko.sign import timestamps
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    return timestamps.DummyTimeStamper(
        tsa_cert=load_cert(name),
        tsa_key=akeys.PrivateKeyInfo.load(pem.unarmor(key(name).read_bytes())[2]),
        certs_to_embed=SimpleCertificateStore.from_certs([load_cert("intermediate")]),
        fixed_dt=fixed_dt,
    )


def offline_vc(moment=None):
    """Offline pyHanko ValidationContext: trust root G1, the current CRLs of pki/crl (thisUpdate 2026-11-01,
    nextUpdate 2031-01-01), hard-fail revocation checking, no fetching. pyHanko validates the signer (and the
    TSA) with it before embedding, so what ends up in the DSS / revocationInfoArchival is what it used."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[load_cert("root")], other_certs=[load_cert("intermediate")],
        crls=[(PKI / "crl" / f).read_bytes() for f in ("root-g1.crl", "issuing-g1.crl")],
        allow_fetching=False, revocation_mode="hard-fail", moment=moment)


def hanko_doc_timestamp(data: bytes, fixed_dt=None) -> bytes:
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
        fixed_dt=fixed_dt,
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
                     extra=(), tool="openssl", attached=False, reserved=8192) -> bytes:
    pdf = qpdf_placeholder(base, subfilter, reserved)
    pdf, br, hs, he = fill_byterange(pdf)
    signed = bytes(pdf[br[0] : br[0] + br[1]]) + bytes(pdf[br[2] : br[2] + br[3]])
    if subfilter == "adbe.pkcs7.sha1":
        # ISO 32000-1 12.8.3.3.1: the SHA-1 digest of the ByteRange bytes is encapsulated
        # (eContentType id-data) in the SignedData, which is signed with SHA-1.
        der = openssl_cms(hashlib.sha1(signed).digest(), signer, md="sha1", attached=True)
    elif tool == "nss":
        der = nss_cms(signed, signer, md=md.upper())
    else:
        der = openssl_cms(signed, signer, md=md, noattr=noattr, extra=extra, attached=attached)
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


MODIFICATION_LEVELS = ("NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER")
CHANGE_KINDS = ("lta_update", "document_timestamp", "metadata", "form_fill", "signature", "empty_signature_field",
                "annotation", "annotation_removed", "page_content", "page_resources", "page_tree", "catalog",
                "locked_field", "object_changed", "object_freed", "structure")
_DEFAULT = object()


PADES_LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")
POLICIES = ("practical", "legal")


def sig(field, subfilter, ind="PASSED", sub=None, coverage="ENTIRE_FILE", rev=2, kind="signature", signer=None,
        modification=_DEFAULT, pades_level=_DEFAULT, poe=_DEFAULT):
    """One expected signature. `modification` = the worst change made in the revisions after the one this
    signature covers (issue 3): NONE for ENTIRE_FILE coverage by default; ENTIRE_REVISION rows must say it;
    None (JSON null) when the signature cannot be mapped to a revision (coverage UNCLEAR).
    Issue 4 (only emitted when given): `pades_level` B-B | B-T | B-LT | B-LTA; `poe` = RFC 3339 UTC time of the
    proof of existence docseal must find (genTime of the best valid timestamp over the signature: its signature
    timestamp or a later document timestamp), None (JSON null) = no POE."""
    if modification is _DEFAULT:
        if coverage == "ENTIRE_FILE":
            modification = "NONE"
        elif coverage == "ENTIRE_REVISION":
            raise ValueError(f"{field}: ENTIRE_REVISION coverage needs an explicit modification level")
        else:
            modification = None
    assert modification is None or modification in MODIFICATION_LEVELS, modification
    out = {
        "field": field,
        "kind": kind,
        "subfilter": subfilter,
        "indication": ind,
        "subindication": sub,
        "coverage": coverage,
        "covers_revision": rev,
        "modification": modification,
        "signer": signer,
    }
    if pades_level is not _DEFAULT:
        assert pades_level in PADES_LEVELS, pades_level
        out["pades_level"] = pades_level
    if poe is not _DEFAULT:
        assert poe is None or re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", poe), poe
        out["poe"] = poe
    return out


DEFAULT_CRLS = ("pki/crl",)


def entry(file, verdict, ind, sub, sigs, revisions, note, trust=("pki/anchor.pem",), certs=(), at=AT,
          unsigned_fields=(), tool="pyHanko", changes=None, crls=DEFAULT_CRLS, ocsps=None, tsa_trust=None,
          policy=None):
    """One manifest row. `changes` (issue 3): change kinds that MUST appear in the report (subset check);
    omitted from the row when None.
    Issue 4: `crls` / `ocsps` = caller-supplied revocation data (files, or directories whose *.crl / *.ocsp files
    directly inside are loaded, not recursively); every row carries `crls` (default: the directory pki/crl, the
    current CRLs of all four CAs, so that rows not about revocation keep their verdict); `ocsps`, `tsa_trust`
    (TSA trust anchors; absent = the row's `trust`) and `policy` ("practical" | "legal"; absent = practical)
    are emitted only when given."""
    row = {
        "file": f"pdf/{file}",
        "trust": list(trust),
        "certs": list(certs),
        "crls": list(crls),
    }
    if ocsps is not None:
        row["ocsps"] = list(ocsps)
    if tsa_trust is not None:
        row["tsa_trust"] = list(tsa_trust)
    row["at"] = at
    if policy is not None:
        assert policy in POLICIES, policy
        row["policy"] = policy
    row.update({
        "verdict": verdict,
        "indication": ind,
        "subindication": sub,
        "signatures": list(sigs),
        "unsigned_fields": list(unsigned_fields),
        "revisions": revisions,
    })
    if changes is not None:
        bad = [c for c in changes if c not in CHANGE_KINDS]
        assert not bad, bad
        row["changes"] = list(changes)
    row["tool"] = tool
    row["note"] = note
    MANIFEST.append(row)


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
        f"{', mod ' + str(s_['modification']) if 'modification' in s_ else ''}"
        f"{', ' + s_['pades_level'] if 'pades_level' in s_ else ''}"
        f"{', POE ' + str(s_['poe']) if 'poe' in s_ else ''}"
        f", {s_.get('signing_time') or 'n/a'}"
        for s_ in e["signatures"]
    ) or "-"
    if e.get("changes"):
        sigs += "<br>changes: " + ", ".join(e["changes"])
    if e["unsigned_fields"]:
        sigs += "<br>unsigned: " + ", ".join(e["unsigned_fields"])
    if list(e.get("crls", DEFAULT_CRLS)) != list(DEFAULT_CRLS):
        sigs += "<br>crls: " + (", ".join(e["crls"]) or "none")
    for k in ("ocsps", "tsa_trust", "policy"):
        if k in e:
            sigs += f"<br>{k}: " + (e[k] if isinstance(e[k], str) else ", ".join(e[k]) or "none")
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
    # A permit as a careful agency would issue it: PAdES B-LT (signature timestamp, then the CRLs
    # of the path in a DSS), so it verifies offline with nothing but the trust anchor.
    d = hanko_sign(CTX.base, RSA, timestamper=tsa_stamper(), validation_context=offline_vc())
    write("sample_permit.pdf", d)
    entry("sample_permit.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, signer=RSA, coverage="ENTIRE_REVISION", rev=2, modification="LTA_UPDATES",
               pades_level="B-LT", poe=sig_poe(d))], count_revisions(d),
          "README sample: PAdES B-LT by signer-rsa (Nguyễn Văn An), chain root G1 > issuing G1: signature "
          "timestamp by tsa.pem, then a DSS revision with the CRLs of the path (pyHanko embed_validation_info, "
          "offline ValidationContext). Verifies with the trust anchor alone: no --crl needed.", crls=())


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


@fixture("openssl_detached_with_content.pdf")
def _openssl_detached_with_content():
    # Issue 12: a Vietnamese e-office platform's signature: SubFilter adbe.pkcs7.detached, yet the CMS
    # also encapsulates content (here the /ByteRange bytes themselves, `openssl cms -nodetach`), and its
    # messageDigest is the digest of the /ByteRange bytes. Signed once; two rows, one per policy.
    pdf = openssl_sign_pdf(CTX.base, RSA, attached=True, reserved=len(CTX.base) + 8192)
    write("openssl_detached_with_content.pdf", pdf)
    assert cms_signed_data(pdf)["encap_content_info"]["content"].native is not None
    note = ("SubFilter adbe.pkcs7.detached, but `openssl cms -sign -nodetach` encapsulated the signed bytes in "
            "the CMS (as a Vietnamese e-office platform does); messageDigest matches the /ByteRange bytes. ")
    entry("openssl_detached_with_content.pdf", "valid", "PASSED", None,
          [sig("Signature1", PKCS7, rev=1, signer=RSA)], 1,
          note + "Practical policy: PASSED, with a policy deviation listed.", tool="qpdf+openssl")
    entry("openssl_detached_with_content.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PKCS7, "FAILED", "FORMAT_FAILURE", rev=1, signer=RSA)], 1,
          note + "Legal policy: FAILED/FORMAT_FAILURE, the signer and integrity still reported.",
          tool="qpdf+openssl", policy="legal")


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
    entry("appended_garbage.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="ENTIRE_REVISION", signer=RSA,
               modification="OTHER")], 2,
          "pades_rsa.pdf + unsigned bytes after the final %%EOF (no new xref / %%EOF) that contain an object "
          "definition, '1 0 obj (x) endobj' (object 1 is page 1's /Font resource dictionary): an object appended "
          "without an xref, which a reader in repair mode would use. Revision-structure defect -> FAILED / "
          "FORMAT_FAILURE (issue 3; plain junk without 'N G obj' is trailing_junk.pdf: INDETERMINATE). The "
          "signature itself is cryptographically fine.", tool="pyHanko+byte edit", changes=["structure"])


@fixture("incremental_update.pdf")
def _incremental_update():
    write("incremental_update.pdf", hanko_visible_update(CTX.product("pades_rsa.pdf")))
    entry("incremental_update.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="ENTIRE_REVISION", rev=2, signer=RSA,
               modification="OTHER")], 3,
          "pades_rsa.pdf + a real incremental update written by pyHanko's IncrementalPdfFileWriter that adds "
          "a page content stream (red box over the permit number, text 'MODIFIED AFTER SIGNING') and a Helvetica "
          "font resource to page 1. A disallowed modification (OTHER): FAILED / FORMAT_FAILURE.",
          changes=["page_content"])


# ---- 6: multi-revision ----------------------------------------------------------------------
@fixture("two_signatures.pdf")
def _two_signatures():
    d = hanko_sign(CTX.product("pades_rsa.pdf"), "signer-p256", field="Signature2")
    assert d[len(CTX.product("pades_rsa.pdf")):].count(b"/Rect [ 0 0 0 0 ]") == 1  # Signature2 is invisible
    write("two_signatures.pdf", d)
    entry("two_signatures.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA, modification="FORM_FILLING"),
           sig("Signature2", PADES, coverage="ENTIRE_FILE", rev=3, signer="signer-p256")], 3,
          "Signature1 (signer-rsa, approval) then Signature2 (signer-p256) in a new invisible field (/Rect [0 0 0 "
          "0]) in a second incremental update. Both signatures are cryptographically and chain-valid; adding a "
          "signature is allowed (FORM_FILLING level), so the document is valid.", changes=["signature"])


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
    entry("doc_timestamp.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, coverage="ENTIRE_REVISION", rev=2, signer=RSA, modification="LTA_UPDATES"),
           sig("DocTimeStamp1", "ETSI.RFC3161", coverage="ENTIRE_FILE", rev=3, kind="doc_timestamp",
               signer="tsa")], 3,
          "pades_rsa.pdf + a /DocTimeStamp (ETSI.RFC3161) added by pyHanko's DummyTimeStamper with tsa.pem "
          "(EKU timeStamping, chain root G1 > issuing G1, issuing CA embedded in the token). The timestamp "
          "revision only adds the timestamp (an LTA update), so the document is valid.",
          changes=["document_timestamp"])


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


# ---- 8: revision history and modification analysis (issue 3) ----------------------------------
# Legitimate multi-revision documents (must stay valid) and attacks from the literature:
#   USF / ISA / SWA           Mladenov et al., "1 Trillion Dollar Refund", ACM CCS 2019
#   Shadow hide/replace/both  Mainka et al., "Shadow Attacks", NDSS 2021
#   EAA / SSA                 Rohlmann et al., "Breaking the Specification: PDF Certification", IEEE S&P 2021
# Every attack builder PROVES that its forgery shows (pdftotext or pdftoppm of the final file against the
# bytes of the signed revision) and writes the proof into the fixture's note.
FORGED_NUMBER = b"450/GPXD"  # digits 4, 5, 0 are in the DejaVuSans subset of the base permit
PERMIT_NO_BOX = (55, 664, 200, 690)  # PDF points around "Số: 123/GPXD" (baseline y = 671.9, x 60..~135)


def pdftotext(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d, "in.pdf")
        p.write_bytes(data)
        r = subprocess.run(["pdftotext", "-q", str(p), "-"], capture_output=True)
        return r.stdout.decode("utf-8", "replace")


def render_gray(data: bytes, dpi: int = 72) -> tuple[int, int, bytes]:
    """Page 1 rendered by poppler's pdftoppm as 8-bit gray: (width, height, pixels)."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d, "in.pdf")
        p.write_bytes(data)
        subprocess.run(["pdftoppm", "-q", "-r", str(dpi), "-gray", "-singlefile", "-f", "1", "-l", "1", str(p),
                        str(Path(d, "out"))], check=True)
        raw = Path(d, "out.pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, raw[m.end():]


def pixels_differ(a: bytes, b: bytes, box=PERMIT_NO_BOX) -> tuple[int, int]:
    """(differing pixels inside box, differing pixels outside box) at 72 dpi (1 px = 1 pt)."""
    wa, ha, pa = render_gray(a)
    wb, hb, pb = render_gray(b)
    assert (wa, ha) == (wb, hb)
    x0, y0, x1, y1 = box
    inside = outside = 0
    for y in range(ha):
        row = y * wa
        for x in range(wa):
            if abs(pa[row + x] - pb[row + x]) > 32:
                if x0 <= x <= x1 and ha - y1 <= y <= ha - y0:
                    inside += 1
                else:
                    outside += 1
    return inside, outside


def signed_revision(data: bytes) -> bytes:
    """The bytes the FIRST signature of the file covers (ByteRange end = end of its revision)."""
    m = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    return data[: int(m.group(3)) + int(m.group(4))]


def prove_text(final: bytes, signed: bytes, forged=FORGED_NUMBER.decode(), original="123/GPXD") -> str:
    """pdftotext: the forged text appears in the final file only, the original text in the signed revision."""
    tf, ts = pdftotext(final), pdftotext(signed)
    assert forged in tf and forged not in ts, (forged, tf[:300], ts[:300])
    assert original in ts
    return (f"Proof: pdftotext of the final file shows '{forged}', of the signed revision "
            f"({len(signed)} bytes) '{original}' and not '{forged}'.")


def prove_pixels(final: bytes, signed: bytes, box=PERMIT_NO_BOX, min_px=40, text_same=True) -> str:
    inside, outside = pixels_differ(final, signed, box)
    assert inside >= min_px, (inside, outside)
    msg = (f"Proof: pdftoppm (72 dpi, gray) of the final file and of the signed revision ({len(signed)} bytes) "
           f"differ in {inside} pixels inside the permit-number box {list(box)} and {outside} outside")
    if text_same:
        tf = pdftotext(final)
        if "123/GPXD" in tf:
            msg += "; pdftotext still extracts 'Số: 123/GPXD' from the final file (the forgery is visual only)"
    return msg + "."


def pdf_objects(data: bytes) -> dict:
    """Object numbers of the interesting objects of the LAST revision (read with pikepdf/qpdf)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        res = {
            "catalog": pdf.Root.objgen[0],
            "pages": pdf.Root.Pages.objgen[0],
            "page": page.objgen[0],
            "contents": page.Contents.objgen[0],
            "content": page.Contents.read_raw_bytes(),
            "size": int(pdf.trailer.Size),
            "font_dict": page.Resources.Font.objgen[0],
        }
        fonts = {str(k): v for k, v in page.Resources.Font.items()}
        res["dejavu_font"] = next(v.objgen[0] for v in fonts.values() if "DejaVu" in str(v.BaseFont))
        fd = next(v for v in fonts.values() if "DejaVu" in str(v.BaseFont)).FontDescriptor
        res["dejavu_descriptor"] = fd.objgen[0]
        res["dejavu_fontfile"] = fd.FontFile2.objgen[0]
        if "/AcroForm" in pdf.Root:
            for f in pdf.Root.AcroForm.Fields:
                if f.get("/FT") == pikepdf.Name.Sig and "/V" in f:
                    res.setdefault("sigdicts", []).append(f.V.objgen[0])
        return res


def obj_text(data: bytes, num: int) -> bytes:
    """Serialisation of object `num` as the last revision has it (pikepdf unparse, dictionaries only)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf.get_object((num, 0)).unparse(resolved=True)


def stream_obj(data: bytes, extra_dict: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra_dict) + data + b"\nendstream"


def last_trailer(data: bytes) -> dict:
    m = list(re.finditer(rb"trailer\s*<<(.*?)>>\s*startxref\s+(\d+)\s+%%EOF", data, re.S))[-1]
    t = m.group(1)
    g = lambda k: re.search(rb"/" + k + rb"\s+(\d+ \d+ R|\d+|\[[^\]]*\])", t)  # noqa: E731
    return {"Root": g(b"Root").group(1), "Info": g(b"Info").group(1), "ID": g(b"ID").group(1),
            "Size": int(g(b"Size").group(1)), "startxref": int(m.group(2))}


def raw_update(data: bytes, objs: list, *, prev="auto", startxref=None, dup=None, trailer_extra=b"") -> bytes:
    """Hand-written incremental update (classic xref table + trailer). objs: [(num, body)]; the same num twice
    is written twice (duplicate definition, the xref points to the LAST one unless dup='first').
    prev: 'auto' = the previous startxref, 'self' = this xref section's own offset (a /Prev loop), None = omitted.
    startxref: override the startxref value (e.g. outside the file)."""
    t = last_trailer(data)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for num, body in objs:
        off = len(out)
        if dup == "first" and num in offsets:
            pass
        else:
            offsets[num] = off
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_off = len(out)
    out += b"xref\n"
    nums = sorted(offsets)
    i = 0
    while i < len(nums):  # contiguous subsections
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out += b"%d %d\n" % (nums[i], j - i + 1)
        for n in nums[i : j + 1]:
            out += b"%010d 00000 n \n" % offsets[n]
        i = j + 1
    size = max([t["Size"]] + [n + 1 for n in nums])
    tr = b"/Size %d /Root %s /Info %s /ID %s" % (size, t["Root"], t["Info"], t["ID"])
    if prev == "auto":
        tr += b" /Prev %d" % t["startxref"]
    elif prev == "self":
        tr += b" /Prev %d" % xref_off
    out += b"trailer\n<< " + tr + trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % (
        xref_off if startxref is None else startxref)
    return bytes(out)


def forged_content(content: bytes) -> bytes:
    assert content.count(b"123/GPXD") == 1
    return content.replace(b"123/GPXD", FORGED_NUMBER)


def hanko_open(data: bytes):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    return IncrementalPdfFileWriter(io.BytesIO(data))


def hanko_write(w) -> bytes:
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def helv(w):
    from pyhanko.pdf_utils import generic

    return w.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Font"),
        generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
        generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
        generic.NameObject("/Encoding"): generic.NameObject("/WinAnsiEncoding"),
    }))


def appearance(w, width, height, text: str | None, *, opaque=False, tx=True):
    """A form XObject for an /AP /N: optional opaque white box, then `text` in Helvetica 10 pt."""
    from pyhanko.pdf_utils import generic

    ops = b""
    if opaque:
        ops += b"q 1 1 1 rg 0 0 %.2f %.2f re f Q\n" % (width, height)
    if text is not None:
        ops += b"BT /Helv 10 Tf 0 g 2 %.2f Td (%s) Tj ET\n" % (height / 2 - 3.5, text.encode("latin-1"))
    if tx:
        ops = b"/Tx BMC\n" + ops + b"EMC\n"
    res = generic.DictionaryObject({generic.NameObject("/Font"): generic.DictionaryObject(
        {generic.NameObject("/Helv"): helv(w)})})
    st = generic.StreamObject({
        generic.NameObject("/Type"): generic.NameObject("/XObject"),
        generic.NameObject("/Subtype"): generic.NameObject("/Form"),
        generic.NameObject("/BBox"): generic.ArrayObject([generic.FloatObject(0), generic.FloatObject(0),
                                                          generic.FloatObject(width), generic.FloatObject(height)]),
        generic.NameObject("/Resources"): res,
    }, stream_data=ops)
    return w.add_object(st)


def make_form_base(fields_spec) -> bytes:
    """Base permit + an AcroForm with text fields [(name, [x0, y0, x1, y1])], each merged field/widget with an
    empty /V and an empty appearance (/Tx BMC EMC): what a form designer produces. One revision (qpdf)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.open(io.BytesIO(CTX.base))
    page = pdf.pages[0]
    helvd = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                         Encoding=Name.WinAnsiEncoding))
    flds = []
    for name, rect in fields_spec:
        wd, ht = rect[2] - rect[0], rect[3] - rect[1]
        ap = pikepdf.Stream(pdf, b"/Tx BMC\nEMC\n")
        ap.Type, ap.Subtype, ap.BBox = Name.XObject, Name.Form, Array([0, 0, wd, ht])
        ap.Resources = Dictionary(Font=Dictionary(Helv=helvd))
        f = pdf.make_indirect(Dictionary(
            FT=Name.Tx, T=String(name), V=String(""), DA=String("/Helv 10 Tf 0 g"), Type=Name.Annot,
            Subtype=Name.Widget, Rect=Array(rect), F=4, P=page.obj, AP=Dictionary(N=pdf.make_indirect(ap)),
            MK=Dictionary()))
        flds.append(f)
    page.obj.Annots = pdf.make_indirect(Array(flds))
    pdf.Root.AcroForm = pdf.make_indirect(Dictionary(
        Fields=Array(flds), DA=String("/Helv 0 Tf 0 g"), DR=Dictionary(Font=Dictionary(Helv=helvd))))
    buf = io.BytesIO()
    pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, deterministic_id=True,
             compress_streams=False)
    return buf.getvalue()


NOTE_BOX = [60, 300, 535, 322]       # free area below the permit text
RECIPIENT_BOX = [60, 260, 400, 282]
OVER_NUMBER_BOX = [55, 664, 200, 690]  # exactly over "Số: 123/GPXD"


def hanko_fill_field(data: bytes, name: str, value: str, *, opaque=False) -> bytes:
    """What a form filler writes in an incremental update: the field's /V and a new /AP /N stream (text only,
    or an opaque white box + text). The field dictionary is updated in place (same object number)."""
    from pyhanko.pdf_utils import generic

    w = hanko_open(data)
    af = w.root["/AcroForm"]
    for ref in af["/Fields"]:
        f = ref.get_object()
        if f.get("/T") == name:
            break
    else:
        raise KeyError(name)
    r = [float(x) for x in f["/Rect"]]
    f[generic.NameObject("/V")] = generic.TextStringObject(value)
    f[generic.NameObject("/AP")] = generic.DictionaryObject(
        {generic.NameObject("/N"): appearance(w, r[2] - r[0], r[3] - r[1], value, opaque=opaque)})
    w.mark_update(ref)
    return hanko_write(w)


def hanko_add_annot(data: bytes, annot: dict, ap=None) -> bytes:
    """Append an annotation to page 1's /Annots (pyHanko writer). annot: {name: generic object};
    ap: (width, height, text, opaque) for an /AP /N."""
    from pyhanko.pdf_utils import generic

    w = hanko_open(data)
    page_ref = w.root["/Pages"]["/Kids"].raw_get(0)
    page = page_ref.get_object()
    d = generic.DictionaryObject({generic.NameObject(k): v for k, v in annot.items()})
    d[generic.NameObject("/P")] = page_ref
    if ap is not None:
        d[generic.NameObject("/AP")] = generic.DictionaryObject(
            {generic.NameObject("/N"): appearance(w, ap[0], ap[1], ap[2], opaque=ap[3], tx=False)})
    aref = w.add_object(d)
    annots = page.raw_get("/Annots") if "/Annots" in page else None
    if isinstance(annots, generic.IndirectObject):
        annots.get_object().append(aref)
        w.mark_update(annots)
    else:
        page[generic.NameObject("/Annots")] = generic.ArrayObject(list(annots or []) + [aref])
        w.mark_update(page_ref)
    return aref, w


def rect_obj(r):
    from pyhanko.pdf_utils import generic

    return generic.ArrayObject([generic.FloatObject(x) for x in r])


def hanko_add_dss(data: bytes) -> bytes:
    """A DSS (/Certs + a /VRI entry for the existing signature) added in its own revision by pyHanko."""
    from asn1crypto import pem, x509
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    certs = [x509.Certificate.load(pem.unarmor(cert(n).read_bytes())[2]) for n in (RSA, "intermediate", "root")]
    m = re.search(rb"/Contents\s*<([0-9A-Fa-f]+)>", data)
    contents = bytes.fromhex(m.group(1).decode())
    w = hanko_open(data)
    DocumentSecurityStore.supply_dss_in_writer(w, contents, certs=certs)
    return hanko_write(w)


def certified(base: bytes, p: int, **kw) -> bytes:
    return hanko_sign(base, RSA, certify=p, **kw)


def S1(ind="PASSED", sub=None, *, coverage="ENTIRE_REVISION", rev=2, modification=_DEFAULT, signer=RSA, **kw):
    return sig("Signature1", PADES, ind, sub, coverage=coverage, rev=rev, signer=signer, modification=modification,
               **kw)


# -- existing-row semantics updated: see _two_signatures, _doc_timestamp, _incremental_update, _appended_garbage --

@fixture("trailing_junk.pdf")
def _trailing_junk():
    d = CTX.product("pades_rsa.pdf") + b"\n% unsigned trailing bytes, no object here\n" + b"\x00" * 16 + b"\n"
    assert not re.search(rb"\d+\s+\d+\s+obj", d[len(CTX.product("pades_rsa.pdf")):])
    write("trailing_junk.pdf", d)
    entry("trailing_junk.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [S1("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", modification="NONE")], 2,
          "pades_rsa.pdf + a comment line and 16 NUL bytes after the final %%EOF: trailing data that contains "
          "no 'N G obj' (and no xref): not a revision, changes no object, but the signature does not cover the "
          "whole file -> INDETERMINATE / SIG_CONSTRAINTS_FAILURE (compare appended_garbage.pdf, which appends an "
          "object definition).", tool="pyHanko+byte edit", changes=["structure"])


# ---- legitimate multi-revision documents (must stay valid) ----
@fixture("certified_p2_form_fill.pdf")
def _certified_p2_form_fill():
    signed = certified(make_form_base([("GhiChu", NOTE_BOX)]), 2)
    d = hanko_fill_field(signed, "GhiChu", "Da kiem tra ho so - docseal TEST")
    write("certified_p2_form_fill.pdf", d)
    entry("certified_p2_form_fill.pdf", "valid", "PASSED", None, [S1(modification="FORM_FILLING")], 3,
          "Base permit + text field GhiChu (qpdf, one revision), CERTIFIED by signer-rsa with DocMDP P=2 "
          "(pyHanko), then pyHanko's incremental writer fills GhiChu: new /V and a new text-only /AP /N stream "
          "(no background), as a form filler does. Allowed at P=2 and cannot hide signed content.",
          changes=["form_fill"])


def add_sticky_note(signed: bytes) -> bytes:
    from pyhanko.pdf_utils import generic

    _, w = hanko_add_annot(signed, {
        "/Type": generic.NameObject("/Annot"), "/Subtype": generic.NameObject("/Text"),
        "/Rect": rect_obj([500, 700, 520, 720]), "/Contents": generic.TextStringObject("Đã xem - docseal TEST"),
        "/T": generic.TextStringObject("Reviewer"), "/Name": generic.NameObject("/Comment"),
        "/F": generic.NumberObject(28), "/C": generic.ArrayObject([generic.FloatObject(1), generic.FloatObject(1),
                                                                   generic.FloatObject(0)]),
    })
    return hanko_write(w)


@fixture("certified_p3_sticky_note.pdf")
def _certified_p3_sticky_note():
    write("certified_p3_sticky_note.pdf", add_sticky_note(certified(CTX.base, 3)))
    entry("certified_p3_sticky_note.pdf", "valid", "PASSED", None, [S1(modification="ANNOTATIONS")], 3,
          "Base permit CERTIFIED with DocMDP P=3, then a sticky note (/Text annotation, icon in the right margin, "
          "no appearance stream) appended to page 1 /Annots by pyHanko's incremental writer. Allowed at P=3; a "
          "sticky note does not cover signed content.", changes=["annotation"])


@fixture("approval_sticky_note.pdf")
def _approval_sticky_note():
    write("approval_sticky_note.pdf", add_sticky_note(CTX.product("pades_rsa.pdf")))
    entry("approval_sticky_note.pdf", "valid", "PASSED", None, [S1(modification="ANNOTATIONS")], 3,
          "pades_rsa.pdf (approval signature, NO certification) + the same sticky note as "
          "certified_p3_sticky_note.pdf: without DocMDP, annotations are allowed; a /Text note hides nothing.",
          changes=["annotation"])


@fixture("signed_then_dss.pdf")
def _signed_then_dss():
    d = hanko_add_dss(CTX.product("pades_rsa.pdf"))
    assert b"/DSS" in d[len(CTX.product("pades_rsa.pdf")):]
    write("signed_then_dss.pdf", d)
    entry("signed_then_dss.pdf", "valid", "PASSED", None, [S1(modification="LTA_UPDATES")], 3,
          "pades_rsa.pdf + a revision written by pyHanko's DocumentSecurityStore.supply_dss_in_writer: catalog "
          "/DSS with /Certs (signer-rsa, issuing G1, root G1) and a /VRI entry for Signature1. An LTA update.",
          changes=["lta_update"])


@fixture("certified_p1_then_doc_timestamp.pdf")
def _certified_p1_then_doc_timestamp():
    d = hanko_doc_timestamp(certified(CTX.base, 1))
    write("certified_p1_then_doc_timestamp.pdf", d)
    entry("certified_p1_then_doc_timestamp.pdf", "valid", "PASSED", None,
          [S1(modification="LTA_UPDATES"),
           sig("DocTimeStamp1", "ETSI.RFC3161", coverage="ENTIRE_FILE", rev=3, kind="doc_timestamp", signer="tsa")],
          3,
          "Base permit CERTIFIED with DocMDP P=1 (no changes allowed), then a document timestamp (pyHanko "
          "DummyTimeStamper, tsa.pem). P=1 still allows LTA updates (DSS, document timestamps).",
          changes=["document_timestamp"])


@fixture("certified_p2_approval.pdf")
def _certified_p2_approval():
    d = hanko_sign(certified(CTX.base, 2), "signer-p256", field="Signature2")
    write("certified_p2_approval.pdf", d)
    entry("certified_p2_approval.pdf", "valid", "PASSED", None,
          [S1(modification="FORM_FILLING"), sig("Signature2", PADES, rev=3, signer="signer-p256")], 3,
          "Base permit CERTIFIED (signer-rsa, DocMDP P=2), then an approval signature by signer-p256 in a new "
          "invisible field Signature2 (pyHanko). Signing is allowed at P=2.", changes=["signature"])


@fixture("fieldmdp_unlocked_changed.pdf")
def _fieldmdp_unlocked_changed():
    signed = hanko_sign(make_form_base([("GhiChu", NOTE_BOX), ("NguoiNhan", RECIPIENT_BOX)]), RSA,
                        lock=["NguoiNhan"])
    assert b"/FieldMDP" in signed and b"/Lock" in signed
    write("fieldmdp_unlocked_changed.pdf", hanko_fill_field(signed, "GhiChu", "Da kiem tra - docseal TEST"))
    entry("fieldmdp_unlocked_changed.pdf", "valid", "PASSED", None, [S1(modification="FORM_FILLING")], 3,
          "Two text fields GhiChu and NguoiNhan; approval signature (no certification) whose field has a "
          "FieldMDP /Lock << /Action /Include /Fields [(NguoiNhan)] >> (pyHanko SigFieldSpec.field_mdp_spec; the "
          "signature carries the FieldMDP transform). Then the UNLOCKED field GhiChu is filled (text-only "
          "appearance): allowed.", changes=["form_fill"])


# ---- attacks ----
def _forged_page_update(base: bytes, **kw) -> bytes:
    o = pdf_objects(base)
    return raw_update(base, [(o["contents"], stream_obj(forged_content(o["content"])))], **kw)


@fixture("isa_no_xref.pdf")
def _isa_no_xref():
    pades = CTX.product("pades_rsa.pdf")
    o = pdf_objects(pades)
    d = pades + b"%d 0 obj\n" % o["contents"] + stream_obj(forged_content(o["content"])) + b"\nendobj\n"
    # a reader in repair mode (xref ignored, objects found by scanning) shows the forgery: prove it by breaking
    # the startxref of a COPY, which makes poppler reconstruct the xref by scanning
    i = d.rindex(b"startxref")
    repaired_view = d[:i] + b"startxref\n999999999\n%%EOF\n" + d[d.index(b"%%EOF", i) + 6:]
    proof = prove_text(repaired_view, signed_revision(d))
    normal = "450/GPXD" in pdftotext(d)
    write("isa_no_xref.pdf", d)
    entry("isa_no_xref.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")], 2,
          f"Incremental Saving Attack (Mladenov 2019), variant without xref/trailer: after pades_rsa.pdf's last "
          f"%%EOF, object {o['contents']} (page 1's content stream) is redefined with the permit number "
          f"{FORGED_NUMBER.decode()}; no xref, no trailer, no %%EOF. Objects appended without an xref = "
          f"revision-structure defect. {proof[:-1]} when poppler has to reconstruct the xref (startxref broken in a "
          f"copy); poppler with the intact xref shows {'the forgery' if normal else 'the original'}.",
          tool="pyHanko+byte edit", changes=["structure"])


@fixture("isa_xref_only.pdf")
def _isa_xref_only():
    pades = CTX.product("pades_rsa.pdf")
    d = _forged_page_update(pades)
    proof = prove_text(d, signed_revision(d))
    write("isa_xref_only.pdf", d)
    entry("isa_xref_only.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")], 3,
          "Incremental Saving Attack with a well-formed revision: pades_rsa.pdf + a hand-written incremental "
          "update (body + xref table + trailer with /Prev) that redefines page 1's EXISTING content stream object "
          f"(same object number) with permit number {FORGED_NUMBER.decode()}. Not allowed at any level. {proof}",
          tool="pyHanko+byte edit", changes=["page_content"])


@fixture("swa_contents_gap.pdf")
def _swa_contents_gap():
    pades = CTX.product("pades_rsa.pdf")
    o = pdf_objects(pades)
    s, e = last_sig_contents(pades)
    der_hex = cms_der(pades).hex().upper().encode()
    assert pades[s : s + len(der_hex)].upper() == der_hex
    evil = b"%d 0 obj\n" % o["contents"] + stream_obj(forged_content(o["content"])) + b"\nendobj\n"
    assert evil.count(b"(") - evil.count(b"\\(") == evil.count(b")") - evil.count(b"\\)")
    head = der_hex + b"> /SWAPad (\n"
    tail = b")"
    room = (e + 1) - s  # hex digits + the closing '>'
    assert len(head) + len(evil) + len(tail) <= room, (len(head) + len(evil), room)
    gap = head + evil + b" " * (room - len(head) - len(evil) - len(tail)) + tail
    d = bytearray(pades)
    d[s : e + 1] = gap
    d = bytes(d)
    evil_off = s + len(head)
    assert d[evil_off:].startswith(b"%d 0 obj" % o["contents"])
    # new revision whose xref points INTO the signature's /Contents gap
    t = last_trailer(d)
    xref_off = len(d)
    d += (b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Info %s /ID %s /Prev %d >>\nstartxref\n%d\n"
          b"%%%%EOF\n" % (o["contents"], evil_off, t["Size"], t["Root"], t["Info"], t["ID"], t["startxref"], xref_off))
    proof = prove_text(d, signed_revision(d))
    write("swa_contents_gap.pdf", d)
    entry("swa_contents_gap.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="UNCLEAR", rev=None, signer=RSA)], 3,
          "Signature Wrapping Attack (Mladenov 2019) on pades_rsa.pdf: inside the unsigned /Contents gap the hex "
          "string is ended right after the CMS, followed by ' /SWAPad (' + a complete redefinition of page 1's "
          "content stream object (forged permit number) + ')' (so the signature dictionary still parses), "
          "space-padded to the original ByteRange offset; the CMS, ByteRange and all signed bytes are unchanged "
          "(the digest still matches). A new revision (xref + trailer, no body) points that object INTO the "
          f"gap. The gap must hold nothing but the /Contents hex string (as in byterange_gap_wide.pdf: coverage "
          f"UNCLEAR, modification null). {proof}",
          tool="pyHanko+byte edit", changes=["structure"])


def _usf(name: str, sigdict_edit, what: str):
    pades = CTX.product("pades_rsa.pdf")
    o = pdf_objects(pades)
    sd = o["sigdicts"][0]
    body = sigdict_edit(obj_text(pades, sd))
    d = raw_update(pades, [(sd, body), (o["contents"], stream_obj(forged_content(o["content"])))])
    proof = prove_text(d, signed_revision(d))
    write(name, d)
    entry(name, "invalid", "FAILED", "FORMAT_FAILURE",
          [sig("Signature1", PADES, "FAILED", "FORMAT_FAILURE", coverage="UNCLEAR", rev=None, signer=None)], 3,
          f"Universal Signature Forgery (Mladenov 2019) via a later revision: pades_rsa.pdf + a hand-written "
          f"revision that re-declares the signature dictionary (object {sd}) {what} and also forges page 1's "
          "content stream. The signature as it stands in the final file cannot be evaluated, so it maps to no "
          f"revision (coverage UNCLEAR, modification null): FAILED / FORMAT_FAILURE, never valid. {proof}",
          tool="pyHanko+byte edit")


@fixture("usf_no_contents.pdf")
def _usf_no_contents():
    def edit(t):
        t2 = re.sub(rb"/Contents\s*<[0-9A-Fa-f]*>", b"", t)
        assert t2 != t and b"/ByteRange" in t2
        return t2
    _usf("usf_no_contents.pdf", edit, "WITHOUT /Contents (the /ByteRange is kept)")


@fixture("usf_byterange_null.pdf")
def _usf_byterange_null():
    def edit(t):
        t2 = re.sub(rb"/ByteRange\s*\[[^\]]*\]", b"/ByteRange [ null null null null ]", t)
        assert t2 != t and b"/Contents" in t2
        return t2
    _usf("usf_byterange_null.pdf", edit, "with /ByteRange [null null null null] (the /Contents CMS is kept)")


@fixture("shadow_hide.pdf")
def _shadow_hide():
    from pyhanko.pdf_utils import generic

    o = pdf_objects(CTX.base)
    shadow = {}

    def prepare(w):  # the unreferenced alternative content is part of the SIGNED revision
        shadow["ref"] = w.add_object(generic.StreamObject(stream_data=forged_content(o["content"])))

    signed = hanko_sign(CTX.base, RSA, prepare=prepare)
    sn = shadow["ref"].idnum
    assert b"\n%d 0 obj" % sn in signed
    w = hanko_open(signed)
    page_ref = w.root["/Pages"]["/Kids"].raw_get(0)
    page_ref.get_object()[generic.NameObject("/Contents")] = generic.IndirectObject(sn, 0, w)
    w.mark_update(page_ref)
    d = hanko_write(w)
    proof = prove_text(d, signed_revision(d))
    write("shadow_hide.pdf", d)
    entry("shadow_hide.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")], 3,
          f"Shadow attack, HIDE variant (Mainka 2021): the signed revision (pyHanko, signer-rsa) already contains "
          f"an UNREFERENCED content stream (object {sn}, added to the signing revision before signing) with the "
          f"forged permit number; revision 3 (pyHanko writer) only re-points page 1's /Contents to it. {proof}",
          changes=["page_content"])


@fixture("shadow_replace_font.pdf")
def _shadow_replace_font():
    import copy

    import pikepdf
    from fontTools.ttLib import TTFont

    pades = CTX.product("pades_rsa.pdf")
    o = pdf_objects(pades)
    with pikepdf.open(io.BytesIO(pades)) as pdf:
        ff = pdf.get_object((o["dejavu_fontfile"], 0)).read_bytes()
    font = TTFont(io.BytesIO(ff))
    cmap = {}
    for t in font["cmap"].tables:
        for code, g in t.cmap.items():
            cmap.setdefault(code & 0xFF, g)
    glyf = font["glyf"]
    swap = {"1": "4", "2": "5", "3": "0"}
    for a, b in swap.items():
        glyf[cmap[ord(a)]] = copy.deepcopy(glyf[cmap[ord(b)]])
    out = io.BytesIO()
    font.save(out)
    newff = out.getvalue()
    fd_new, ff_new = o["size"], o["size"] + 1
    fd_text = obj_text(pades, o["dejavu_descriptor"])
    fd_text = re.sub(rb"/FontFile2 \d+ 0 R", b"/FontFile2 %d 0 R" % ff_new, fd_text)
    font_text = re.sub(rb"/FontDescriptor \d+ 0 R", b"/FontDescriptor %d 0 R" % fd_new,
                       obj_text(pades, o["dejavu_font"]))
    d = raw_update(pades, [(o["dejavu_font"], font_text), (fd_new, fd_text),
                           (ff_new, stream_obj(newff, b"/Length1 %d " % len(newff)))])
    proof = prove_pixels(d, signed_revision(d))
    write("shadow_replace_font.pdf", d)
    entry("shadow_replace_font.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")], 3,
          f"Shadow attack, REPLACE via overwrite (Mainka 2021): pades_rsa.pdf + a revision that OVERWRITES page "
          f"1's DejaVuSans font object (object {o['dejavu_font']}, same number) so that it points to a new "
          "FontDescriptor + FontFile2 whose glyphs for '1', '2', '3' are the outlines of '4', '5', '0' (fontTools): "
          "the page now DISPLAYS 'Số: 450/GPXD' (and 'Quận 4', '050 m²', '45 tháng') while content stream and ToUnicode "
          f"are unchanged. {proof}", tool="pyHanko+fontTools+byte edit", changes=["page_resources"])


@fixture("shadow_hide_and_replace.pdf")
def _shadow_hide_and_replace():
    from pyhanko.pdf_utils import generic

    o = pdf_objects(CTX.base)
    shadow = {}

    def prepare(w):  # a whole alternative page tree, unreferenced, in the SIGNED revision
        r = w.root["/Pages"]["/Kids"].raw_get(0).get_object()
        c = w.add_object(generic.StreamObject(stream_data=forged_content(o["content"])))
        page = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): r["/MediaBox"],
            generic.NameObject("/Resources"): r.raw_get("/Resources"),
            generic.NameObject("/Contents"): c,
        })
        page_ref = w.add_object(page)
        pages = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Pages"),
            generic.NameObject("/Kids"): generic.ArrayObject([page_ref]),
            generic.NameObject("/Count"): generic.NumberObject(1),
        })
        pr = w.add_object(pages)
        page[generic.NameObject("/Parent")] = pr
        shadow["pages"] = pr.idnum

    signed = hanko_sign(CTX.base, RSA, prepare=prepare)
    w = hanko_open(signed)
    w.root[generic.NameObject("/Pages")] = generic.IndirectObject(shadow["pages"], 0, w)
    w.update_root()
    d = hanko_write(w)
    proof = prove_text(d, signed_revision(d))
    write("shadow_hide_and_replace.pdf", d)
    entry("shadow_hide_and_replace.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")], 3,
          "Shadow attack, HIDE-AND-REPLACE (Mainka 2021): the signed revision contains a complete unreferenced "
          f"alternative page tree (/Pages object {shadow['pages']} > one page > forged content stream, added before "
          "signing); revision 3 (pyHanko writer) only re-points the catalog's /Pages to it. The signature field "
          f"stays in /AcroForm but its widget is on the hidden original page. {proof}", changes=["page_tree"])


@fixture("shadow_replace_form_p2.pdf")
def _shadow_replace_form_p2():
    signed = certified(make_form_base([("SoGiayPhep", OVER_NUMBER_BOX)]), 2)
    d = hanko_fill_field(signed, "SoGiayPhep", "So: 450/GPXD (docseal TEST)", opaque=True)
    proof = prove_pixels(d, signed_revision(d))
    write("shadow_replace_form_p2.pdf", d)
    entry("shadow_replace_form_p2.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [S1("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", modification="FORM_FILLING")], 3,
          "Shadow attack, REPLACE via overlay (Mainka 2021): the certified (DocMDP P=2) document has an empty, "
          "transparent text field SoGiayPhep exactly over 'Số: 123/GPXD'; revision 3 fills it (allowed at P=2) "
          "with an OPAQUE appearance: a white filled rectangle + 'So: 450/GPXD'. Allowed change that hides signed "
          f"content -> INDETERMINATE. {proof}", changes=["form_fill"])


def _eaa(name: str, p: int):
    from pyhanko.pdf_utils import generic

    signed = certified(CTX.base, p) if p is not None else hanko_sign(CTX.base, RSA)
    r = OVER_NUMBER_BOX
    _, w = hanko_add_annot(signed, {
        "/Type": generic.NameObject("/Annot"), "/Subtype": generic.NameObject("/FreeText"),
        "/Rect": rect_obj(r), "/Contents": generic.TextStringObject("So: 450/GPXD"),
        "/DA": generic.TextStringObject("/Helv 10 Tf 0 g"), "/F": generic.NumberObject(4),
    }, ap=(r[2] - r[0], r[3] - r[1], "So: 450/GPXD", True))
    d = hanko_write(w)
    return d, prove_pixels(d, signed_revision(d))


@fixture("eaa_freetext_p3.pdf")
def _eaa_freetext_p3():
    d, proof = _eaa("eaa_freetext_p3.pdf", 3)
    write("eaa_freetext_p3.pdf", d)
    entry("eaa_freetext_p3.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [S1("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", modification="ANNOTATIONS")], 3,
          "Evil Annotation Attack (Rohlmann 2021): certified with DocMDP P=3 (annotations allowed), then a "
          "FreeText annotation whose appearance is an opaque white box + 'So: 450/GPXD' exactly over the permit "
          f"number. Allowed at P=3 but hides signed content -> INDETERMINATE. {proof}", changes=["annotation"])


@fixture("approval_freetext_overlay.pdf")
def _approval_freetext_overlay():
    d, proof = _eaa("approval_freetext_overlay.pdf", None)
    write("approval_freetext_overlay.pdf", d)
    entry("approval_freetext_overlay.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [S1("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", modification="ANNOTATIONS")], 3,
          "The Evil-Annotation overlay of eaa_freetext_p3.pdf after an APPROVAL signature (no certification): "
          "annotations are allowed, but this one paints an opaque box + 'So: 450/GPXD' over signed text -> "
          f"INDETERMINATE. {proof}", changes=["annotation"])


@fixture("eaa_freetext_p2.pdf")
def _eaa_freetext_p2():
    d, proof = _eaa("eaa_freetext_p2.pdf", 2)
    write("eaa_freetext_p2.pdf", d)
    entry("eaa_freetext_p2.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="ANNOTATIONS")], 3,
          "Evil Annotation Attack at DocMDP P=2: same FreeText overlay as eaa_freetext_p3.pdf, but P=2 does not "
          f"allow annotations -> FAILED. {proof}", changes=["annotation"])


@fixture("ssa_p2.pdf")
def _ssa_p2():
    from pyhanko.pdf_utils import generic

    signed = certified(CTX.base, 2)
    r = OVER_NUMBER_BOX
    aref, w = hanko_add_annot(signed, {
        "/Type": generic.NameObject("/Annot"), "/Subtype": generic.NameObject("/Widget"),
        "/FT": generic.NameObject("/Sig"), "/T": generic.TextStringObject("Signature2"),
        "/Rect": rect_obj(r), "/F": generic.NumberObject(4),
    }, ap=(r[2] - r[0], r[3] - r[1], "So: 450/GPXD", True))
    af_raw = w.root.raw_get("/AcroForm")
    af = af_raw.get_object()
    af["/Fields"].append(aref)
    if isinstance(af_raw, generic.IndirectObject):
        w.mark_update(af_raw)
    else:
        w.update_root()
    d = hanko_write(w)
    proof = prove_pixels(d, signed_revision(d))
    write("ssa_p2.pdf", d)
    entry("ssa_p2.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [S1("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", modification="FORM_FILLING")], 3,
          "Sneaky Signature Attack (Rohlmann 2021): certified with DocMDP P=2 (signing allowed), then a new "
          "UNSIGNED signature field Signature2 whose visible widget appearance is an opaque white box + "
          f"'So: 450/GPXD' over the permit number. Allowed kind of change that hides signed content. {proof}",
          unsigned_fields=("Signature2",), changes=["empty_signature_field"])


@fixture("certified_p1_form_fill.pdf")
def _certified_p1_form_fill():
    signed = certified(make_form_base([("GhiChu", NOTE_BOX)]), 1)
    d = hanko_fill_field(signed, "GhiChu", "Da kiem tra ho so - docseal TEST")
    write("certified_p1_form_fill.pdf", d)
    entry("certified_p1_form_fill.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="FORM_FILLING")], 3,
          "As certified_p2_form_fill.pdf but certified with DocMDP P=1 (no changes allowed): the same harmless "
          "form fill is a disallowed modification.", changes=["form_fill"])


@fixture("fieldmdp_locked_changed.pdf")
def _fieldmdp_locked_changed():
    signed = hanko_sign(make_form_base([("GhiChu", NOTE_BOX), ("NguoiNhan", RECIPIENT_BOX)]), RSA,
                        lock=["NguoiNhan"])
    d = hanko_fill_field(signed, "NguoiNhan", "Tran Van Mao (forged recipient)")
    write("fieldmdp_locked_changed.pdf", d)
    entry("fieldmdp_locked_changed.pdf", "invalid", "FAILED", "FORMAT_FAILURE",
          [S1("FAILED", "FORMAT_FAILURE", modification="FORM_FILLING")], 3,
          "As fieldmdp_unlocked_changed.pdf, but the LOCKED field NguoiNhan (FieldMDP /Include) is filled "
          "after signing: a form fill the signer's lock forbids -> FAILED.", changes=["locked_field"])


def _structure(name, d, what, proof, revisions=3):
    write(name, d)
    entry(name, "invalid", "FAILED", "FORMAT_FAILURE", [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")],
          revisions, what + " " + proof, tool="pyHanko+byte edit", changes=["structure"])


def _repair_proof(d: bytes) -> str:
    """The forgery that a reader showing the last revision (or reconstructing the file) displays."""
    try:
        return prove_text(d, signed_revision(d))
    except AssertionError:
        return "(pdftotext of the final file does not show the forged number: poppler falls back to the signed view.)"


@fixture("rev_prev_loop.pdf")
def _rev_prev_loop():
    d = _forged_page_update(CTX.product("pades_rsa.pdf"), prev="self")
    _structure("rev_prev_loop.pdf", d,
               "pades_rsa.pdf + a revision (forged page content) whose trailer /Prev points to ITS OWN xref section: "
               "a /Prev cycle; the signed revision is no longer reachable through the chain.", _repair_proof(d))


@fixture("rev_xref_outside.pdf")
def _rev_xref_outside():
    base = _forged_page_update(CTX.product("pades_rsa.pdf"))
    i = base.rindex(b"startxref\n")
    d = base[:i] + b"startxref\n%d\n%%%%EOF\n" % (len(base) + 100000)
    _structure("rev_xref_outside.pdf", d,
               "pades_rsa.pdf + a revision (forged page content) whose final startxref points 100000 bytes beyond "
               "the end of the file.", _repair_proof(d))


@fixture("rev_duplicate_object.pdf")
def _rev_duplicate_object():
    pades = CTX.product("pades_rsa.pdf")
    o = pdf_objects(pades)
    d = raw_update(pades, [(o["contents"], stream_obj(forged_content(o["content"]))),
                           (o["contents"], stream_obj(o["content"]))], dup="first")
    _structure("rev_duplicate_object.pdf", d,
               f"pades_rsa.pdf + a revision that defines object {o['contents']} (page 1's content) TWICE: first "
               "with the forged permit number (the xref points here), then again with the original content (what a "
               "reader that scans the body, last definition wins, sees).", _repair_proof(d))


# ---- 8b: forgeries the revision diff must not lose (issue 12 section 2) ------------------------------------
# A change that makes signed content unreachable must not vanish from the diff, and an opaque signature widget
# painted over certified text hides it whoever signed it.
def render_stats(data: bytes) -> tuple[int, int, int, str]:
    """pdftoppm page 1 at 72 dpi, gray: (width, height, pixels darker than mid-gray, poppler's stderr)."""
    with tempfile.TemporaryDirectory() as d:
        p = Path(d, "in.pdf")
        p.write_bytes(data)
        r = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-singlefile", "-f", "1", "-l", "1", str(p),
                            str(Path(d, "out"))], capture_output=True, check=True)
        raw = Path(d, "out.pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, sum(1 for px in raw[m.end():] if px < 128), r.stderr.decode("utf-8", "replace").strip()


def prove_page_gone(final: bytes, signed: bytes) -> str:
    """pdftoppm draws page 1 of the signed revision (permit text) and nothing of the final file's page 1."""
    ws, hs, darks, _ = render_stats(signed)
    wf, hf, darkf, err = render_stats(final)
    assert darks > 1000 and "123/GPXD" in pdftotext(signed), darks
    assert darkf == 0 and "123/GPXD" not in pdftotext(final), (darkf, err)
    said = "; poppler says: " + err.splitlines()[0].replace("<0a>", "").strip() if err else ""
    return (f"Proof: pdftoppm (72 dpi, gray) renders page 1 of the signed revision ({len(signed)} bytes) as "
            f"{ws}x{hs} px with {darks} dark pixels, page 1 of the final file as {wf}x{hf} px with {darkf}{said}; "
            "pdftotext of the final file no longer has 'Số: 123/GPXD'.")


def _unreachable(name: str, objs_of, what: str, changes):
    pades = CTX.product("pades_rsa.pdf")
    o = pdf_objects(pades)
    d = raw_update(pades, objs_of(o, pades))
    proof = prove_page_gone(d, signed_revision(d))
    write(name, d)
    entry(name, "invalid", "FAILED", "FORMAT_FAILURE", [S1("FAILED", "FORMAT_FAILURE", modification="OTHER")], 3,
          f"Signed content made unreachable: pades_rsa.pdf + a hand-written incremental update (classic xref, "
          f"/Prev) that {what}. The signed page is no longer drawn; the objects it drew are unchanged but no longer "
          f"reached, so a diff that ignores unreachable objects sees nothing. Every object the signed revision "
          f"reached that a later revision redefines or leaves unreachable must be explained: OTHER. {proof}",
          tool="pyHanko+byte edit", changes=changes)


@fixture("unreachable_page.pdf")
def _unreachable_page():
    _unreachable("unreachable_page.pdf", lambda o, _: [(o["page"], b"%d 0 R" % o["page"])],
                 "redefines page 1's page object as a reference to itself ('N 0 obj N 0 R endobj'): the /Kids "
                 "entry of the page tree now leads to no page dictionary (lopdf keeps the slot, poppler: 'Kid "
                 "object (page 1) is wrong type (ref)')", ["page_tree"])


@fixture("unreachable_page_kids.pdf")
def _unreachable_page_kids():
    def objs(o, pades):
        body = obj_text(pades, o["pages"])
        new = re.sub(rb"/Kids\s*\[\s*%d 0 R\s*\]" % o["page"], b"/Kids [ %d 0 R ]" % (o["size"] + 5), body)
        assert new != body, body
        return [(o["pages"], new)]

    _unreachable("unreachable_page_kids.pdf", objs,
                 "changes the reference in the page's parent: the page tree node's /Kids now names an object that "
                 "does not exist (a number past /Size), so page 1's signed page object, content stream and "
                 "resources are no longer reached", ["page_tree"])


def opaque_stamp(box, text: str):
    """A pyHanko text stamp whose background is an opaque white rectangle filling the whole widget (stretched),
    no border, and `text` (Courier 10 pt) at the left: it paints over whatever is under the widget."""
    from pyhanko.pdf_utils.content import RawContent
    from pyhanko.pdf_utils.layout import (AxisAlignment, BoxConstraints, InnerScaling, Margins,
                                          SimpleBoxLayoutRule)
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    w, h = box[2] - box[0], box[3] - box[1]
    return TextStampStyle(
        stamp_text=text, border_width=0, background_opacity=1.0,
        background=RawContent(b"1 1 1 rg 0 0 %d %d re f" % (w, h), box=BoxConstraints(width=w, height=h)),
        background_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MID, y_align=AxisAlignment.ALIGN_MID,
                                              inner_content_scaling=InnerScaling.STRETCH_FILL),
        inner_content_layout=SimpleBoxLayoutRule(x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID,
                                                 margins=Margins(left=5),
                                                 inner_content_scaling=InnerScaling.NO_SCALING),
        text_box_style=TextBoxStyle(font_size=10))


@fixture("certified_p2_opaque_signature_widget.pdf")
def _certified_p2_opaque_signature_widget():
    r = OVER_NUMBER_BOX
    d = hanko_sign(certified(CTX.base, 2), "signer-p256", field="Signature2", box=tuple(r),
                   stamp_style=opaque_stamp(r, "So: 450/GPXD"))
    tail = d[len(signed_revision(d)):]
    assert b"/Rect [ 55 664 200 690 ]" in tail and b"re f" in tail, "Signature2 must have an opaque visible widget"
    proof = prove_pixels(d, signed_revision(d))
    write("certified_p2_opaque_signature_widget.pdf", d)
    entry("certified_p2_opaque_signature_widget.pdf", "indeterminate", "INDETERMINATE", "SIG_CONSTRAINTS_FAILURE",
          [S1("INDETERMINATE", "SIG_CONSTRAINTS_FAILURE", modification="FORM_FILLING"),
           sig("Signature2", PADES, rev=3, signer="signer-p256")], 3,
          "Base permit CERTIFIED (signer-rsa, DocMDP P=2), then a second, trusted signer (signer-p256) adds an "
          "approval signature Signature2 (pyHanko) whose VISIBLE widget lies exactly over 'Số: 123/GPXD' "
          f"({list(r)}) with an opaque appearance: a pyHanko TextStampStyle with a white filled rectangle "
          "stretched over the whole widget as background (opacity 1), no border, and the text 'So: 450/GPXD'. "
          "Signing is allowed at P=2 and Signature2 itself is valid, but its appearance hides certified content "
          f"-> Signature1 INDETERMINATE (Signature2 PASSED). {proof}", changes=["signature"])


# ---- 9: long-term validation (issue 4): timestamps, revocation, POE, PAdES level, algorithm policy ----------
# Revocation material: gen/make_revocation.sh (pki/crl, pki/ocsp, tsa-2019, ocsp-g1, the revoked signers).
# Every row says which revocation data the verifier gets (`crls`, `ocsps`; default: the directory pki/crl).
# POE = genTime of the best valid timestamp over the signature; rows state it as `poe` per signature.
def _utc(y, mo, d):
    return datetime(y, mo, d, tzinfo=timezone.utc)


def iso(dt) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def all_cms(pdf: bytes) -> list:
    """The CMS ContentInfo of every signature /Contents, in file order."""
    from asn1crypto import cms

    return [cms.ContentInfo.load(bytes.fromhex(m.group(1).decode()), strict=False)
            for m in re.finditer(rb"/Contents\s*<([0-9A-Fa-f]{200,})>", pdf)]


def sig_tst(ci):
    """The signature-timestamp token (unsigned attribute id-aa-signatureTimeStampToken) of a CMS, or None."""
    ua = ci["content"]["signer_infos"][0]["unsigned_attrs"]
    for a in (ua if ua.native is not None else []):
        if a["type"].native == "signature_time_stamp_token":
            return a["values"][0]
    return None


def tst_gen_time(token) -> str:
    from asn1crypto import tsp

    tst = tsp.TSTInfo.load(token["content"]["encap_content_info"]["content"].parsed.dump())
    return iso(tst["gen_time"].native)


def check_imprint(ci, token) -> bool:
    """messageImprint of the token == hash of this CMS's SignerInfo signature value."""
    from asn1crypto import tsp

    tst = tsp.TSTInfo.load(token["content"]["encap_content_info"]["content"].parsed.dump())
    alg = tst["message_imprint"]["hash_algorithm"]["algorithm"].native
    sv = ci["content"]["signer_infos"][0]["signature"].native
    return hashlib.new(alg, sv).digest() == tst["message_imprint"]["hashed_message"].native


def sig_poe(pdf: bytes, i: int = 0) -> str:
    """genTime of the i-th signature's own signature timestamp (asserts it exists and its imprint matches)."""
    ci = all_cms(pdf)[i]
    tok = sig_tst(ci)
    assert tok is not None and check_imprint(ci, tok)
    return tst_gen_time(tok)


def revision_of_ranges(pdf: bytes) -> list:
    """For every /ByteRange in file order: the 1-based revision whose %%EOF ends the covered bytes."""
    ends = [m.end() for m in re.finditer(rb"startxref\s+\d+\s+%%EOF\r?\n?", pdf)]
    out = []
    for m in re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf):
        end = int(m.group(3)) + int(m.group(4))
        out.append(next(k + 1 for k, e in enumerate(ends) if e >= end))
    return out


def dss_counts(pdf: bytes) -> dict:
    """Number of certificates / CRLs / OCSP responses in the final /DSS (pikepdf)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as p:
        dss = p.Root.get("/DSS")
        if dss is None:
            return {}
        return {k: len(dss[k]) for k in ("/Certs", "/CRLs", "/OCSPs", "/VRI") if k in dss}


G1_CRLS = ("pki/crl/root-g1.crl",)
DT_2020 = _utc(2020, 6, 1)
DT_2025 = _utc(2025, 6, 1)
DT_2026 = _utc(2026, 6, 1)
REVOKED_EARLY, REVOKED_LATE = "signer-revoked-early", "signer-revoked-late"


@fixture("pades_b_t.pdf")
def _pades_b_t():
    d = hanko_sign(CTX.base, RSA, timestamper=tsa_stamper())
    poe = sig_poe(d)
    write("pades_b_t.pdf", d)
    bt = lambda ind="PASSED", sub=None, **kw: sig("Signature1", PADES, ind, sub, signer=RSA, **kw)  # noqa: E731
    entry("pades_b_t.pdf", "valid", "PASSED", None, [bt(pades_level="B-T", poe=poe)], 2,
          "PAdES B-T: signer-rsa + a signature timestamp (unsigned attribute id-aa-signatureTimeStampToken) from "
          "pyHanko's DummyTimeStamper with tsa.pem (genTime = signing time, imprint = SHA-256 of the signature "
          "value). Revocation from the CRL directory pki/crl. POE = the timestamp's genTime.")
    entry("pades_b_t.pdf", "indeterminate", "INDETERMINATE", "TRY_LATER",
          [bt("INDETERMINATE", "TRY_LATER")], 2,
          "Same file, NO revocation data at all (crls: []; the document has none either): the status of "
          "signer-rsa, issuing CA G1 and the TSA cannot be established -> INDETERMINATE / TRY_LATER with a "
          "warning (Circular 15/2025 Annex II). pades_level/poe not stated (depend on how an unchecked TSA is "
          "treated).", crls=[])
    entry("pades_b_t.pdf", "valid", "PASSED", None, [bt(pades_level="B-T", poe=poe)], 2,
          "Same file, revocation by OCSP: root G1's CRL (for issuing CA G1) + pki/ocsp/signer-rsa-good.ocsp and "
          "tsa-good.ocsp (status good, signed by the DELEGATED responder ocsp-g1.pem: EKU OCSPSigning, "
          "id-pkix-ocsp-nocheck, issued by issuing CA G1).", crls=G1_CRLS,
          ocsps=("pki/ocsp/signer-rsa-good.ocsp", "pki/ocsp/tsa-good.ocsp"))
    entry("pades_b_t.pdf", "indeterminate", "INDETERMINATE", "TRY_LATER",
          [bt("INDETERMINATE", "TRY_LATER")], 2,
          "Same file, signer status only from pki/ocsp/signer-rsa-unauthorized.ocsp: says 'good' but is signed "
          "with signer-p256's key/certificate (issued by issuing CA G1, but no id-kp-OCSPSigning: NOT an "
          "authorized responder) -> must be rejected, status unknown -> TRY_LATER. (tsa-good.ocsp is supplied, "
          "so only the signer's status is missing.)", crls=G1_CRLS,
          ocsps=("pki/ocsp/signer-rsa-unauthorized.ocsp", "pki/ocsp/tsa-good.ocsp"))
    entry("pades_b_t.pdf", "indeterminate", "INDETERMINATE", "TRY_LATER",
          [bt("INDETERMINATE", "TRY_LATER")], 2,
          "Same file, issuing CA G1's only CRL is pki/crl/stale/issuing-g1-2025.crl (thisUpdate 2025-01-01, "
          "nextUpdate 2025-02-01): correctly signed but not fresh at the validation time -> the signer's status is "
          "unknown -> TRY_LATER.", crls=G1_CRLS + ("pki/crl/stale/issuing-g1-2025.crl",))


@fixture("pades_b_t_p256.pdf")
def _pades_b_t_p256():
    d = hanko_sign(CTX.base, "signer-p256", timestamper=tsa_stamper())
    poe = sig_poe(d)
    write("pades_b_t_p256.pdf", d)
    entry("pades_b_t_p256.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, signer="signer-p256", pades_level="B-T", poe=poe)], 2,
          "PAdES B-T by signer-p256 (timestamp by tsa.pem). Revocation: root G1's CRL + "
          "pki/ocsp/signer-p256-good-by-ca.ocsp, an OCSP response signed DIRECTLY by issuing CA G1 (the "
          "certificate's issuer, always authorized) + tsa-good.ocsp (delegated responder).", crls=G1_CRLS,
          ocsps=("pki/ocsp/signer-p256-good-by-ca.ocsp", "pki/ocsp/tsa-good.ocsp"))


@fixture("pades_b_lt.pdf")
def _pades_b_lt():
    d = hanko_sign(CTX.base, RSA, timestamper=tsa_stamper(), validation_context=offline_vc())
    poe = sig_poe(d)
    dss = dss_counts(d)
    assert count_revisions(d) == 3 and revision_of_ranges(d) == [2] and dss.get("/CRLs", 0) >= 2, (dss,)
    write("pades_b_lt.pdf", d)
    entry("pades_b_lt.pdf", "valid", "PASSED", None,
          [S1(modification="LTA_UPDATES", pades_level="B-LT", poe=poe)], 3,
          "PAdES B-LT: pades_b_t.pdf's recipe + pyHanko embed_validation_info=True (offline ValidationContext "
          "with the pki/crl CRLs, hard-fail): revision 3 adds a /DSS with the certificates and the CRLs of root G1 "
          f"and issuing CA G1 (signer and TSA paths) and a /VRI entry (/Certs {dss.get('/Certs', 0)}, /CRLs "
          f"{dss.get('/CRLs', 0)}, /OCSPs {dss.get('/OCSPs', 0)}, /VRI {dss.get('/VRI', 0)}). The row supplies NO revocation "
          "data (crls: []): everything needed is in the document.", crls=[], changes=["lta_update"])


@fixture("pades_b_lta.pdf")
def _pades_b_lta():
    d = hanko_sign(CTX.base, RSA, timestamper=tsa_stamper(), validation_context=offline_vc(), lta=True)
    poe = sig_poe(d)
    revs = count_revisions(d)
    cov = revision_of_ranges(d)
    assert revs == 4 and cov == [2, 3], (revs, cov)
    assert b"/DSS" in d[:last_byterange(d).start()][len(CTX.base):], "rev 3 (covered by the doc timestamp) has the DSS"
    write("pades_b_lta.pdf", d)
    entry("pades_b_lta.pdf", "valid", "PASSED", None,
          [S1(modification="LTA_UPDATES", pades_level="B-LTA", poe=poe),
           sig("DocTimeStamp1", "ETSI.RFC3161", coverage="ENTIRE_REVISION", rev=3, kind="doc_timestamp",
               signer="tsa", modification="LTA_UPDATES")],
          4,
          "PAdES B-LTA by pyHanko (use_pades_lta=True): signature with signature timestamp (rev 2); rev 3 = a DSS "
          "with the certificates and CRLs of the signer and TSA paths + a document timestamp DocTimeStamp1 "
          "(tsa.pem) whose ByteRange covers that DSS; rev 4 = a DSS update pyHanko appends after the document "
          "timestamp (validation data for the document timestamp's TSA). crls: [] - the document carries its "
          "revocation data. POE of Signature1 = its signature timestamp (earlier than the document timestamp).",
          crls=[], changes=["lta_update", "document_timestamp"])


@fixture("pades_b_lta_chain.pdf")
def _pades_b_lta_chain():
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers

    lta = CTX.product("pades_b_lta.pdf")
    out = signers.PdfTimeStamper(tsa_stamper(), field_name="DocTimeStamp2").update_archival_timestamp_chain(
        PdfFileReader(io.BytesIO(lta)), offline_vc(), in_place=False)
    d = out.getvalue()
    poe = sig_poe(d)
    revs, cov = count_revisions(d), revision_of_ranges(d)
    print("    pades_b_lta_chain: revisions", revs, "ByteRange revisions", cov)
    assert d.startswith(lta) and revs == 6 and cov == [2, 3, 5], (revs, cov)
    names = re.findall(rb"/T\s*\((DocTimeStamp\d)\)", d)
    assert b"DocTimeStamp1" in names and b"DocTimeStamp2" in names, names
    write("pades_b_lta_chain.pdf", d)
    entry("pades_b_lta_chain.pdf", "valid", "PASSED", None,
          [S1(modification="LTA_UPDATES", pades_level="B-LTA", poe=poe),
           sig("DocTimeStamp1", "ETSI.RFC3161", coverage="ENTIRE_REVISION", rev=3, kind="doc_timestamp",
               signer="tsa", modification="LTA_UPDATES"),
           sig("DocTimeStamp2", "ETSI.RFC3161", coverage="ENTIRE_REVISION", rev=5, kind="doc_timestamp",
               signer="tsa", modification="LTA_UPDATES")],
          6,
          "Document-timestamp chain: pades_b_lta.pdf (revs 1-4) + pyHanko "
          "PdfTimeStamper.update_archival_timestamp_chain: rev 5 = DSS update + a second document timestamp "
          "DocTimeStamp2 (tsa.pem) covering everything before it, rev 6 = DSS update for DocTimeStamp2's TSA. "
          "crls: [].", crls=[], changes=["lta_update", "document_timestamp"])


@fixture("expired_signer_timestamped.pdf")
def _expired_signer_timestamped():
    d = hanko_sign(CTX.base, "signer-expired", timestamper=tsa_stamper("tsa-2019", DT_2020), signing_time=DT_2020)
    poe = sig_poe(d)
    assert poe == "2020-06-01T00:00:00Z", poe
    write("expired_signer_timestamped.pdf", d)
    s1 = lambda ind="PASSED", sub=None, **kw: sig("Signature1", PADES, ind, sub, signer="signer-expired", **kw)  # noqa: E731
    entry("expired_signer_timestamped.pdf", "indeterminate", "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE",
          [s1("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", pades_level="B-B", poe=None)], 2,
          "signer-expired (valid 2020-01-01..2021-01-01, expired at the validation time), pyHanko signing time "
          "pinned to 2020-06-01T00:00:00Z (/M) and a signature timestamp by tsa-2019.pem with genTime fixed to "
          "2020-06-01T00:00:00Z (DummyTimeStamper fixed_dt). Issuing CA G1 and root G1 are valid from 2025-01-01 "
          "only, so neither the TSA's path nor the signer's path was valid at 2020-06-01 (the validity periods "
          "do not intersect): docseal judges the whole path at the POE (EN 319 102-1 5.6.2.1, as pyHanko's "
          "strict validation: 'intersection of the validity periods ... is empty'), so the timestamp proves "
          "nothing and the expired signer has no POE -> OUT_OF_BOUNDS_NO_POE, as expired_signer.pdf. "
          "expired_signer_2025_timestamped.pdf is the coherent PASSED case.")
    entry("expired_signer_timestamped.pdf", "indeterminate", "INDETERMINATE", "OUT_OF_BOUNDS_NO_POE",
          [s1("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE", poe=None)], 2,
          "Same file, TSA trust store = root G2 only (tsa_trust): the timestamp's TSA is not trusted, so it "
          "proves nothing: no POE -> as expired_signer.pdf.", tsa_trust=("pki/root-g2.pem",))


@fixture("expired_signer_2025_timestamped.pdf")
def _expired_signer_2025_timestamped():
    d = hanko_sign(CTX.base, "signer-expired-2025", timestamper=tsa_stamper("tsa-2019", DT_2025),
                   signing_time=DT_2025)
    poe = sig_poe(d)
    assert poe == "2025-06-01T00:00:00Z", poe
    write("expired_signer_2025_timestamped.pdf", d)
    entry("expired_signer_2025_timestamped.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, signer="signer-expired-2025", pades_level="B-T", poe=poe)], 2,
          "signer-expired-2025 (valid 2025-01-01..2026-01-01: inside the validity of issuing CA G1 and root G1, "
          "expired at the validation time), signing time pinned to 2025-06-01T00:00:00Z, signature timestamp by "
          "tsa-2019.pem with genTime 2025-06-01T00:00:00Z: every certificate of the path was valid at the POE, "
          "not revoked (pki/crl) -> PASSED. The EN 319 102-1-coherent version of expired_signer_timestamped.pdf.")


def _revoked_note(signer, when, reason):
    return (f"{signer} (revoked {when}, reason {reason}, on pki/crl/issuing-g1.crl), pyHanko signing time pinned to "
            "2026-06-01T00:00:00Z (/M)")


@fixture("expired_signer_doc_timestamped.pdf")
def _expired_signer_doc_timestamped():
    signed = hanko_sign(CTX.base, "signer-expired-2025", signing_time=DT_2025)
    d = hanko_doc_timestamp(signed, fixed_dt=_utc(2025, 7, 1))
    write("expired_signer_doc_timestamped.pdf", d)
    entry("expired_signer_doc_timestamped.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, signer="signer-expired-2025", coverage="ENTIRE_REVISION", rev=2,
               modification="LTA_UPDATES", pades_level="B-B", poe="2025-07-01T00:00:00Z"),
           sig("DocTimeStamp1", "ETSI.RFC3161", kind="doc_timestamp", signer="tsa", rev=3)], 3,
          "signer-expired-2025 (valid 2025-01-01..2026-01-01) signs with no timestamp of its own (signing time "
          "pinned to 2025-06-01); a document timestamp by tsa.pem with genTime fixed to 2025-07-01 (DummyTimeStamper "
          "fixed_dt) covers that revision. At the validation time the signer has expired, but the document "
          "timestamp proves the signature existed on 2025-07-01, when the whole path was valid and not revoked "
          "-> PASSED (past validation at the document timestamp's POE). Without the document timestamp it would "
          "be OUT_OF_BOUNDS_NO_POE.", changes=["document_timestamp"])


@fixture("revoked_before_timestamp.pdf")
def _revoked_before_timestamp():
    d = hanko_sign(CTX.base, REVOKED_EARLY, timestamper=tsa_stamper("tsa-2019", DT_2026), signing_time=DT_2026)
    poe = sig_poe(d)
    assert poe == "2026-06-01T00:00:00Z", poe
    write("revoked_before_timestamp.pdf", d)
    s1 = lambda: sig("Signature1", PADES, "FAILED", "REVOKED", signer=REVOKED_EARLY, pades_level="B-T", poe=poe)  # noqa: E731
    entry("revoked_before_timestamp.pdf", "invalid", "FAILED", "REVOKED", [s1()], 2,
          _revoked_note(REVOKED_EARLY, "2026-03-01T00:00:00Z", "keyCompromise") + " and a signature timestamp by "
          "tsa-2019.pem with genTime 2026-06-01T00:00:00Z: revoked BEFORE the POE -> FAILED / REVOKED.")
    entry("revoked_before_timestamp.pdf", "invalid", "FAILED", "REVOKED", [s1()], 2,
          "Same file, revocation by OCSP: root G1's CRL + pki/ocsp/signer-revoked-early.ocsp (status revoked, "
          "revocationTime 2026-03-01T00:00:00Z, reason keyCompromise, delegated responder) + tsa-2019-good.ocsp.",
          crls=G1_CRLS, ocsps=("pki/ocsp/signer-revoked-early.ocsp", "pki/ocsp/tsa-2019-good.ocsp"))


@fixture("revoked_after_timestamp.pdf")
def _revoked_after_timestamp():
    d = hanko_sign(CTX.base, REVOKED_LATE, timestamper=tsa_stamper("tsa-2019", DT_2026), signing_time=DT_2026)
    poe = sig_poe(d)
    assert poe == "2026-06-01T00:00:00Z", poe
    write("revoked_after_timestamp.pdf", d)
    entry("revoked_after_timestamp.pdf", "valid", "PASSED", None,
          [sig("Signature1", PADES, signer=REVOKED_LATE, pades_level="B-T", poe=poe)], 2,
          _revoked_note(REVOKED_LATE, "2026-09-01T00:00:00Z", "superseded") + " and a signature timestamp by "
          "tsa-2019.pem with genTime 2026-06-01T00:00:00Z: revoked AFTER the POE -> still PASSED, the revocation "
          "shown as evidence.")


@fixture("revoked_no_timestamp.pdf")
def _revoked_no_timestamp():
    d = hanko_sign(CTX.base, REVOKED_LATE, signing_time=DT_2026)
    assert sig_tst(all_cms(d)[0]) is None
    write("revoked_no_timestamp.pdf", d)
    entry("revoked_no_timestamp.pdf", "indeterminate", "INDETERMINATE", "REVOKED_NO_POE",
          [sig("Signature1", PADES, "INDETERMINATE", "REVOKED_NO_POE", signer=REVOKED_LATE, pades_level="B-B",
               poe=None)], 2,
          _revoked_note(REVOKED_LATE, "2026-09-01T00:00:00Z", "superseded") + ", NO timestamp: the claimed "
          "signing time (/M) is before the revocation but nothing proves it -> INDETERMINATE / REVOKED_NO_POE.")


@fixture("forged_timestamp.pdf")
def _forged_timestamp():
    from asn1crypto import cms

    donor = all_cms(CTX.product("pades_b_t.pdf"))[0]
    token = sig_tst(donor)
    assert token is not None
    d = hanko_sign(CTX.base, RSA)
    s, e = last_sig_contents(d)
    ci = cms.ContentInfo.load(bytes.fromhex(d[s:e].decode()))
    si = ci["content"]["signer_infos"][0]
    signed_before = si["signed_attrs"].dump()
    si["unsigned_attrs"] = cms.CMSAttributes([cms.CMSAttribute({"type": "signature_time_stamp_token",
                                                                "values": [token]})])
    der = ci.dump(force=True)
    again = cms.ContentInfo.load(der)
    assert again["content"]["signer_infos"][0]["signed_attrs"].dump() == signed_before
    assert not check_imprint(again, sig_tst(again)) and check_imprint(donor, token)
    hx = der.hex().upper().encode()
    assert len(hx) <= e - s
    d = d[:s] + hx + b"0" * ((e - s) - len(hx)) + d[e:]
    write("forged_timestamp.pdf", d)
    entry("forged_timestamp.pdf", "invalid", "FAILED", "HASH_FAILURE",
          [sig("Signature1", PADES, "FAILED", "HASH_FAILURE", signer=RSA, poe=None)], 2,
          "A B-B signature by signer-rsa (pyHanko) into whose SignerInfo the VALID signature-timestamp token of "
          "pades_b_t.pdf was inserted as unsigned attribute (asn1crypto re-encode; unsigned attributes are not "
          "signed, so the signature itself still verifies; /Contents keeps its length, zero padded). The token's "
          "messageImprint is the hash of ANOTHER signature value -> FAILED / HASH_FAILURE.",
          tool="pyHanko+asn1crypto edit")


@fixture("sha1_timestamped_2025.pdf")
def _sha1_timestamped_2025():
    d = hanko_sign(CTX.base, RSA, subfilter="pkcs7", md="sha1", timestamper=tsa_stamper("tsa-2019", DT_2025),
                   signing_time=DT_2025, tst_md="sha256")
    si = cms_signer_info(d)
    assert si["digest_algorithm"]["algorithm"].native == "sha1", si["digest_algorithm"].native
    assert si["signature_algorithm"]["algorithm"].native in ("sha1_rsa", "rsassa_pkcs1v15"), \
        si["signature_algorithm"].native
    poe = sig_poe(d)
    assert poe == "2025-06-01T00:00:00Z", poe
    write("sha1_timestamped_2025.pdf", d)
    s1 = lambda ind="PASSED", sub=None: sig("Signature1", PKCS7, ind, sub, signer=RSA, pades_level="B-T", poe=poe)  # noqa: E731
    what = ("adbe.pkcs7.detached by pyHanko with md=sha1 (digestAlgorithm sha1, signatureAlgorithm "
            f"{si['signature_algorithm']['algorithm'].native}: RSA PKCS#1 v1.5), signingTime attribute pinned to "
            "2025-06-01T00:00:00Z, signature timestamp by tsa-2019.pem with genTime 2025-06-01T00:00:00Z "
            "(imprint SHA-256 of the signature value; the token is SHA-256 throughout).")
    entry("sha1_timestamped_2025.pdf", "valid", "PASSED", None, [s1()], 2,
          what + " Policy practical: SHA-1 / PKCS#1 v1.5 before the 2026-01-01 cut-off (POE 2025-06-01) is "
          "accepted as a DEVIATION that the report lists -> PASSED.", policy="practical")
    entry("sha1_timestamped_2025.pdf", "indeterminate", "INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE",
          [s1("INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE")], 2,
          "Same file, policy legal (Circular 15/2025 Annex I: SHA-1 not allowed) -> INDETERMINATE / "
          "CRYPTO_CONSTRAINTS_FAILURE.", policy="legal")


@fixture("pkcs7_revocation_archival.pdf")
def _pkcs7_revocation_archival():
    d = hanko_sign(CTX.base, RSA, subfilter="pkcs7", validation_context=offline_vc())
    attrs = signed_attr_types(d)
    assert "adobe_revocation_info_archival" in attrs and count_revisions(d) == 2 and b"/DSS" not in d, attrs
    ria = next(a for a in cms_signer_info(d)["signed_attrs"] if a["type"].native == "adobe_revocation_info_archival")
    ncrl = len(ria["values"][0]["crl"])
    assert ncrl >= 2, ncrl
    write("pkcs7_revocation_archival.pdf", d)
    entry("pkcs7_revocation_archival.pdf", "valid", "PASSED", None,
          [sig("Signature1", PKCS7, signer=RSA, poe=None)], 2,
          "adbe.pkcs7.detached by pyHanko with embed_validation_info=True (offline ValidationContext with the "
          f"pki/crl CRLs): the {ncrl} CRLs of the signer's path (root G1, issuing CA G1) are in the signed "
          "attribute adbe-revocationInfoArchival (1.2.840.113583.1.1.8), no DSS, no timestamp. The row supplies "
          "NO revocation data (crls: []): the CMS carries it.", crls=[])


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
    from asn1crypto import tsp  # noqa: F401  registers 'tst_info' before parsing a CMS builds ContentType's
    #                              reverse OID map (otherwise a later DummyTimeStamper cannot name tst_info)

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
