//! Hostile input is bounded and reported, never obeyed: huge lengths, deep nesting in every
//! format (ASN.1 in either length form, PDF objects, page and field trees, reference and `/Prev`
//! chains, CBOR), decompression bombs, oversized CMS. Each case ends in an `Err` (could not
//! evaluate) or a report that is not PASSED, without panicking, hanging, exhausting memory or
//! overflowing the stack: [`the_hostile_set_runs_on_a_256_kib_stack`] runs every case on a
//! thread with the stack a C or Python host may give the library.
//!
//! Every case is verified with the trust anchor and the CRLs under which the genuine fixtures
//! pass (`pki/anchor.pem`, `pki/crl`), so "not PASSED" is a claim that can fail; where the
//! outcome is known the exact indication, subindication and failing check are asserted. Cases
//! built from a genuine signed file first check that the untouched file passes.

use std::io::Write as _;

use docseal::{
    certs::CertificateSet,
    limits::Limits,
    pdf::{PdfError, PdfVerifier},
    qr::{QrVerifier, Stage},
    report::{Indication, Report, SignatureReport, Step, SubIndication},
    time::ValidationTime,
};

use crate::util::testdata;

/// What a verification needs at most with the default limits, in bytes: the figure stated in
/// README.md ("Stack"), with a margin for debug builds, which use several times the stack of
/// release builds.
const HOST_STACK: usize = 256 * 1024;

fn at() -> ValidationTime {
    ValidationTime::from_unix(1_900_000_000).expect("time")
}

/// The verifier under which the genuine fixtures pass: root G1 trusted, the CRLs of the test
/// CAs supplied.
fn trusting(limits: Limits) -> PdfVerifier {
    let mut anchors = CertificateSet::new();
    anchors
        .add_path(&testdata().join("pki/anchor.pem"))
        .expect("anchor");
    PdfVerifier::builder()
        .add_trust_anchors(anchors)
        .add_crls_path(&testdata().join("pki/crl"))
        .expect("CRLs")
        .limits(limits)
        .build()
        .expect("builds")
}

fn verify_with(limits: Limits, bytes: &[u8]) -> Result<Report, PdfError> {
    trusting(limits).verify(bytes, at())
}

fn verify(bytes: &[u8]) -> Result<Report, PdfError> {
    verify_with(Limits::default(), bytes)
}

/// The only signature of a report.
fn only(report: &Report) -> &SignatureReport {
    assert_eq!(report.signatures.len(), 1, "{}", json(report));
    &report.signatures[0]
}

fn json(report: &Report) -> String {
    report.to_json().unwrap_or_default()
}

/// Asserts that `sig` has a failed `step` with `sub` whose detail contains `needle`.
fn assert_check(sig: &SignatureReport, step: Step, sub: SubIndication, needle: &str) {
    assert!(
        sig.checks
            .iter()
            .any(|c| c.step == step && c.result == Some(sub) && c.detail.contains(needle)),
        "no failed {step:?} ({sub:?}) mentioning {needle:?}: {:#?}",
        sig.checks
    );
}

// ---------------------------------------------------------------------------------------
// Building PDFs and DER.

/// A one-revision PDF from object bodies (object `i + 1` is `objects[i]`; object 1 is the
/// catalog), with a correct cross-reference table.
fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", i + 1).expect("vec");
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).expect("vec");
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").expect("vec");
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .expect("vec");
    out
}

fn catalog_with_form(fields: &str) -> Vec<u8> {
    format!("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{fields}] >> >>").into_bytes()
}

fn pages() -> Vec<u8> {
    b"<< /Type /Pages /Kids [] /Count 0 >>".to_vec()
}

/// Objects 1–4: catalog, pages, one signature field (object 3) and its value (object 4).
fn sig_field(sig_dict: &str) -> Vec<Vec<u8>> {
    vec![
        catalog_with_form("3 0 R"),
        pages(),
        b"<< /FT /Sig /T (Signature1) /V 4 0 R >>".to_vec(),
        sig_dict.as_bytes().to_vec(),
    ]
}

/// A signed-looking PDF whose only signature carries `cms`, with a `/ByteRange` that covers
/// everything but the `/Contents` string.
fn signed_pdf(subfilter: &str, kind: &str, cms: &[u8]) -> Vec<u8> {
    let hex: String = cms.iter().map(|b| format!("{b:02x}")).collect();
    let placeholder = "[0 0000000000 0000000000 0000000000]";
    let dict = format!(
        "<< /Type /{kind} /Filter /Adobe.PPKLite /SubFilter /{subfilter} /ByteRange {placeholder} /Contents <{hex}> >>"
    );
    let mut doc = pdf(&sig_field(&dict));
    let open = find(&doc, b"/Contents <") + 10;
    let close = open + find(&doc[open..], b">") + 1;
    let range = format!("[0 {open:010} {close:010} {:010}]", doc.len() - close);
    let at = find(&doc, placeholder.as_bytes());
    doc[at..at + placeholder.len()].copy_from_slice(range.as_bytes());
    doc
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("present")
}

/// DER length octets.
fn len_octets(len: usize) -> Vec<u8> {
    if len < 0x80 {
        return vec![len as u8];
    }
    let bytes = (len as u32).to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    let mut out = vec![0x80 | (4 - skip) as u8];
    out.extend_from_slice(&bytes[skip..]);
    out
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(len_octets(content.len()));
    out.extend_from_slice(content);
    out
}

/// `inner` wrapped in `levels` constructed elements with `tag`, definite lengths, in one pass
/// (no quadratic copying for 250 000 levels).
fn nest(tag: u8, levels: usize, inner: &[u8]) -> Vec<u8> {
    let mut lens = Vec::with_capacity(levels);
    let mut len = inner.len();
    for _ in 0..levels {
        lens.push(len);
        len += 1 + len_octets(len).len();
    }
    let mut out = Vec::with_capacity(len);
    for l in lens.iter().rev() {
        out.push(tag);
        out.extend(len_octets(*l));
    }
    out.extend_from_slice(inner);
    out
}

/// The elements inside a constructed element (definite lengths, as pyHanko writes them).
fn children(raw: &[u8]) -> Vec<Vec<u8>> {
    let (_, content) = split(raw);
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let (header, body) = split(rest);
        let total = header + body.len();
        out.push(rest[..total].to_vec());
        rest = &rest[total..];
    }
    out
}

/// Header size and content of the element at the start of `raw`.
fn split(raw: &[u8]) -> (usize, &[u8]) {
    let (len, header) = match raw[1] {
        l @ 0..=0x7F => (usize::from(l), 2),
        l => {
            let n = usize::from(l & 0x7F);
            let len = raw[2..2 + n]
                .iter()
                .fold(0, |acc, b| (acc << 8) | usize::from(*b));
            (len, 2 + n)
        }
    };
    (header, &raw[header..header + len])
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const CTX0: u8 = 0xA0;
const CTX1: u8 = 0xA1;
const OCTET_STRING: u8 = 0x04;
const OCTET_STRING_CONSTRUCTED: u8 = 0x24;
/// id-signedData (RFC 5652 §5.1).
const SIGNED_DATA: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
];
/// id-ct-TSTInfo (RFC 3161 §2.4.2).
const TST_INFO: &[u8] = &[
    0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x04,
];
/// id-aa-signatureTimeStampToken (RFC 3161 Appendix A).
const TIMESTAMP_TOKEN: &[u8] = &[
    0x06, 0x0B, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x02, 0x0E,
];
/// id-data.
const DATA: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
];
/// sha256 (NIST).
const SHA256: &[u8] = &[
    0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
];
/// rsaEncryption.
const RSA: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01,
];

/// A ContentInfo holding SignedData with `parts` (version, digestAlgorithms, encap, …).
fn content_info(parts: &[Vec<u8>]) -> Vec<u8> {
    let sd = tlv(SEQUENCE, &parts.concat());
    tlv(SEQUENCE, &[SIGNED_DATA.to_vec(), tlv(CTX0, &sd)].concat())
}

/// A timestamp token whose TSTInfo is `econtent` (an OCTET STRING, maybe constructed).
fn token(econtent: &[u8]) -> Vec<u8> {
    let encap = tlv(SEQUENCE, &[TST_INFO, &tlv(CTX0, econtent)].concat());
    content_info(&[vec![0x02, 0x01, 0x03], tlv(SET, &[]), encap, tlv(SET, &[])])
}

/// `[1]` unsigned attributes holding one signature timestamp token.
fn unsigned_token(token: &[u8]) -> Vec<u8> {
    tlv(
        CTX1,
        &tlv(SEQUENCE, &[TIMESTAMP_TOKEN, &tlv(SET, token)].concat()),
    )
}

/// A detached CMS naming signer-rsa.pem (the certificate is included), with a junk signature,
/// optional signed and unsigned attributes and extra certificate choices.
fn signer_rsa_cms(
    extra_certs: &[u8],
    signed_attrs: Option<Vec<u8>>,
    unsigned: Option<Vec<u8>>,
) -> Vec<u8> {
    let pem = std::fs::read_to_string(testdata().join("pki/signer-rsa.pem")).expect("cert");
    let cert = pem_der(&pem);
    let tbs = children(&cert).swap_remove(0);
    let fields = children(&tbs);
    let (serial, issuer) = (&fields[1], &fields[3]);
    let mut si = vec![
        vec![0x02, 0x01, 0x01],
        tlv(SEQUENCE, &[issuer.as_slice(), serial].concat()),
        tlv(SEQUENCE, SHA256),
    ];
    si.extend(signed_attrs);
    si.push(tlv(SEQUENCE, &[RSA, &[0x05, 0x00]].concat()));
    si.push(tlv(OCTET_STRING, &[0x55; 256]));
    si.extend(unsigned);
    content_info(&[
        vec![0x02, 0x01, 0x01],
        tlv(SET, &tlv(SEQUENCE, SHA256)),
        tlv(SEQUENCE, DATA),
        tlv(CTX0, &[cert.as_slice(), extra_certs].concat()),
        tlv(SET, &tlv(SEQUENCE, &si.concat())),
    ])
}

fn pem_der(pem: &str) -> Vec<u8> {
    let b64: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    base64(&b64)
}

fn base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// A genuine signed fixture with its only CMS rewritten by `edit` (over the SignedData's
/// parts and the SignerInfo's fields); the result is zero-padded into the same `/Contents`,
/// so the signed bytes are untouched.
fn genuine_with(file: &str, edit: impl FnOnce(&mut Vec<Vec<u8>>, &mut Vec<Vec<u8>>)) -> Vec<u8> {
    let mut doc = std::fs::read(testdata().join("pdf").join(file)).expect("fixture");
    let open = find(&doc, b"/Contents <") + 11;
    let close = open + find(&doc[open..], b">");
    let hex = &doc[open..close];
    let der: Vec<u8> = hex
        .chunks(2)
        .map(|h| u8::from_str_radix(std::str::from_utf8(h).expect("hex"), 16).expect("hex"))
        .collect();
    let (header, body) = split(&der);
    let cms = der[..header + body.len()].to_vec();
    let ci = children(&cms);
    let mut sd = children(&children(&ci[1])[0]);
    let mut si = children(sd.last().expect("signerInfos"))
        .pop()
        .map(|s| children(&s))
        .expect("one SignerInfo");
    edit(&mut sd, &mut si);
    let last = sd.len() - 1;
    sd[last] = tlv(SET, &tlv(SEQUENCE, &si.concat()));
    let rebuilt = content_info(&sd);
    assert!(
        rebuilt.len() * 2 <= hex.len(),
        "the edit must fit in /Contents"
    );
    let mut new_hex: Vec<u8> = rebuilt
        .iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect();
    new_hex.resize(hex.len(), b'0');
    doc[open..close].copy_from_slice(&new_hex);
    doc
}

/// The genuine file every mutation starts from: PAdES B-B by signer-rsa, which passes under
/// [`trusting`] (manifest row of `pdf/pades_rsa.pdf`).
const GENUINE: &str = "pades_rsa.pdf";

/// Nesting that fits in the genuine file's free `/Contents` space (about 5 KiB): far beyond
/// the depth limit of 32, far beyond what a recursive reader survives on a small stack.
const FITS: usize = 1_200;

// ---------------------------------------------------------------------------------------
// The hostile set.

/// Every case of the set: a name and a function that builds the input, verifies it with
/// [`trusting`] and asserts the outcome.
const HOSTILE_SET: &[(&str, fn())] = &[
    ("genuine file passes", genuine_file_passes),
    ("issue 12: 250 000-deep eContent", deep_definite_econtent),
    ("deep certificates field", deep_certificates_field),
    ("deep signed attribute", deep_signed_attribute),
    (
        "deep timestamp token (genuine)",
        deep_timestamp_token_in_genuine,
    ),
    ("deep timestamp token (250 000)", deep_timestamp_token),
    ("deep timestamp SEQUENCE", deep_sequence_as_timestamp_token),
    ("deep indefinite BER", deeply_nested_ber_in_contents),
    ("deep PDF arrays", deep_pdf_arrays),
    ("deep PDF dictionaries", deep_pdf_dictionaries),
    ("reference chain", long_reference_chain),
    ("stream /Length chain", long_length_chain),
    ("/Prev chain", long_prev_chain),
    ("deep page tree", deep_page_tree),
    ("deep field tree", deep_field_tree),
    ("deep /Parent chain", deep_parent_chain),
    ("deep CBOR in COSE", deep_cbor_in_cose),
    ("deep CBOR in claims", deep_cbor_in_claims),
    ("deep supplied CRL and OCSP", deep_supplied_revocation),
    (
        "cyclic field trees",
        cyclic_field_trees_and_self_references_terminate,
    ),
    ("decompression bomb", decompression_bomb_is_bounded),
];

#[test]
fn the_hostile_set_runs_on_a_256_kib_stack() {
    let done = std::thread::Builder::new()
        .name("host-sized stack".into())
        .stack_size(HOST_STACK)
        .spawn(|| {
            HOSTILE_SET
                .iter()
                .filter(|(name, case)| {
                    eprintln!("hostile case: {name}");
                    std::panic::catch_unwind(case).is_err()
                })
                .map(|(name, _)| *name)
                .collect::<Vec<_>>()
        })
        .expect("thread")
        .join()
        .expect("no stack overflow, no panic outside a case");
    assert!(done.is_empty(), "failed cases: {done:?}");
}

fn genuine_file_passes() {
    let pdf = std::fs::read(testdata().join("pdf").join(GENUINE)).expect("fixture");
    let report = verify(&pdf).expect("evaluates");
    assert_eq!(report.indication(), Indication::Passed, "{}", json(&report));
    // The mutation machinery itself changes nothing when it edits nothing.
    let same = genuine_with(GENUINE, |_, _| {});
    assert_eq!(
        verify(&same).expect("evaluates").indication(),
        Indication::Passed
    );
}

/// Issue 12 §1: a constructed OCTET STRING nested 250 000 levels deep with definite lengths
/// as the eContent, in a PDF of about 3 MB.
fn deep_definite_econtent() {
    let econtent = nest(OCTET_STRING_CONSTRUCTED, 250_000, &tlv(OCTET_STRING, b"x"));
    let doc = signed_pdf("ETSI.RFC3161", "DocTimeStamp", &token(&econtent));
    assert!(doc.len() > 2_000_000, "{} bytes", doc.len());
    let report = verify(&doc).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.indication(), Indication::Failed);
    assert_check(
        sig,
        Step::CmsStructure,
        SubIndication::FormatFailure,
        "nesting deeper than the limit",
    );
}

/// A 200 000-deep SEQUENCE among the certificates: skipped (it is no certificate) with a
/// warning; in a genuine file the signature still passes, it does not depend on junk there.
fn deep_certificates_field() {
    let junk = nest(SEQUENCE, 200_000, &[0x05, 0x00]);
    let doc = signed_pdf(
        "ETSI.CAdES.detached",
        "Sig",
        &signer_rsa_cms(&junk, None, None),
    );
    let report = verify(&doc).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.indication(), Indication::Failed, "{}", json(&report));
    assert!(
        sig.warnings
            .iter()
            .any(|w| w.contains("a certificate in the CMS was skipped")),
        "{:?}",
        sig.warnings
    );
    let genuine = genuine_with(GENUINE, |sd, _| {
        let certs = sd.iter_mut().find(|p| p[0] == CTX0).expect("certificates");
        let mut all = children(certs).concat();
        all.extend(nest(SEQUENCE, FITS, &[0x05, 0x00]));
        *certs = tlv(CTX0, &all);
    });
    let report = verify(&genuine).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.indication(), Indication::Passed, "{}", json(&report));
    assert!(
        sig.warnings
            .iter()
            .any(|w| w.contains("a certificate in the CMS was skipped"))
    );
}

/// A signed attribute whose value nests deep: the signature over the changed attributes no
/// longer verifies.
fn deep_signed_attribute() {
    let attr = |levels| {
        tlv(
            SEQUENCE,
            &[DATA, &tlv(SET, &nest(SEQUENCE, levels, &[0x05, 0x00]))].concat(),
        )
    };
    let doc = signed_pdf(
        "ETSI.CAdES.detached",
        "Sig",
        &signer_rsa_cms(&[], Some(tlv(CTX0, &attr(200_000))), None),
    );
    let report = verify(&doc).expect("evaluates");
    assert_eq!(only(&report).indication(), Indication::Failed);
    let genuine = genuine_with(GENUINE, |_, si| {
        let signed = si.iter_mut().find(|p| p[0] == CTX0).expect("signed attrs");
        let mut all = children(signed).concat();
        all.extend(attr(FITS));
        *signed = tlv(CTX0, &all);
    });
    let report = verify(&genuine).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.subindication(), Some(SubIndication::SigCryptoFailure));
    assert_eq!(
        (sig.intact(), sig.valid()),
        (Some(true), Some(false)),
        "{}",
        json(&report)
    );
}

/// A genuine signature with a timestamp token added whose TSTInfo is a constructed OCTET
/// STRING nested far beyond the limit: the unsigned attribute cannot be read, so the signature
/// fails as malformed (a tampered timestamp is a failure, not a missing one).
fn deep_timestamp_token_in_genuine() {
    let genuine = genuine_with(GENUINE, |_, si| {
        let econtent = nest(OCTET_STRING_CONSTRUCTED, FITS, &tlv(OCTET_STRING, b"x"));
        si.push(unsigned_token(&token(&econtent)));
    });
    let report = verify(&genuine).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.subindication(), Some(SubIndication::FormatFailure));
    assert_eq!(sig.valid(), Some(true), "the signature itself is untouched");
    assert_check(
        sig,
        Step::SignatureTimestamp,
        SubIndication::FormatFailure,
        "nesting deeper than the limit",
    );
}

/// The same with 250 000 levels, in a signature naming a real certificate (so that its
/// timestamps are looked at).
fn deep_timestamp_token() {
    let econtent = nest(OCTET_STRING_CONSTRUCTED, 250_000, &tlv(OCTET_STRING, b"x"));
    let cms = signer_rsa_cms(&[], None, Some(unsigned_token(&token(&econtent))));
    let report = verify(&signed_pdf("ETSI.CAdES.detached", "Sig", &cms)).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.indication(), Indication::Failed);
    assert_check(
        sig,
        Step::SignatureTimestamp,
        SubIndication::FormatFailure,
        "nesting deeper than the limit",
    );
}

/// A timestamp token that is a SEQUENCE nested 200 000 deep.
fn deep_sequence_as_timestamp_token() {
    let cms = signer_rsa_cms(
        &[],
        None,
        Some(unsigned_token(&nest(SEQUENCE, 200_000, &[0x05, 0x00]))),
    );
    let report = verify(&signed_pdf("ETSI.CAdES.detached", "Sig", &cms)).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.indication(), Indication::Failed);
    assert_check(
        sig,
        Step::SignatureTimestamp,
        SubIndication::FormatFailure,
        "timestamp",
    );
}

fn deeply_nested_ber_in_contents() {
    let mut hex = String::new();
    for _ in 0..5000 {
        hex.push_str("3080");
    }
    let doc = pdf(&sig_field(&format!(
        "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <{hex}> >>"
    )));
    let report = verify(&doc).expect("evaluates");
    assert_check(
        only(&report),
        Step::CmsStructure,
        SubIndication::FormatFailure,
        "nesting deeper than the limit",
    );
}

/// 100 000 nested `[` in the catalog: lopdf refuses objects nested deeper than 100, so the
/// document has no catalog and no signature.
fn deep_pdf_arrays() {
    let mut deep = b"<< /Type /Catalog /Pages 2 0 R /X ".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 100_000));
    deep.extend(std::iter::repeat_n(b']', 100_000));
    deep.extend_from_slice(b" >>");
    let report = verify(&pdf(&[deep, pages()])).expect("evaluates");
    assert_eq!(
        report.subindication(),
        Some(SubIndication::SignedDataNotFound)
    );
}

fn deep_pdf_dictionaries() {
    let mut deep = b"<< /Type /Catalog /Pages 2 0 R /X ".to_vec();
    for _ in 0..100_000 {
        deep.extend_from_slice(b"<< /A ");
    }
    deep.extend_from_slice(b"1");
    deep.extend(std::iter::repeat_n(b">> ".as_slice(), 100_000).flatten());
    deep.extend_from_slice(b" >>");
    let report = verify(&pdf(&[deep, pages()])).expect("evaluates");
    assert_eq!(
        report.subindication(),
        Some(SubIndication::SignedDataNotFound)
    );
}

/// `/AcroForm 3 0 R`, object 3 is `4 0 R`, … 100 000 references long: lopdf stops following.
fn long_reference_chain() {
    let n = 100_000;
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>".to_vec(),
        pages(),
    ];
    for i in 3..3 + n {
        objects.push(format!("{} 0 R", i + 1).into_bytes());
    }
    objects.push(b"<< /Fields [] >>".to_vec());
    let report = verify(&pdf(&objects)).expect("evaluates");
    assert_eq!(
        report.subindication(),
        Some(SubIndication::SignedDataNotFound)
    );
}

/// Streams whose `/Length` is the next stream, 50 000 long: lopdf resolves an indirect length
/// by reading that object, which may be a stream with an indirect length itself.
fn long_length_chain() {
    let n = 50_000;
    let mut objects = vec![b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(), pages()];
    for i in 3..3 + n {
        objects.push(format!("<< /Length {} 0 R >>\nstream\nab\nendstream", i + 1).into_bytes());
    }
    objects.push(b"2".to_vec());
    match verify(&pdf(&objects)) {
        Ok(r) => assert_eq!(r.subindication(), Some(SubIndication::SignedDataNotFound)),
        Err(e) => assert!(
            matches!(e, PdfError::Load(_) | PdfError::Limit { .. }),
            "{e}"
        ),
    }
}

/// A genuine file followed by 100 000 cross-reference sections chained by `/Prev`, none of
/// them ending a revision: the chain is walked without recursion and changes nothing signed.
fn long_prev_chain() {
    let mut doc = std::fs::read(testdata().join("pdf").join(GENUINE)).expect("fixture");
    let text = String::from_utf8_lossy(&doc);
    let last_xref: usize = text
        .rsplit("startxref")
        .next()
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("startxref");
    let size = text
        .rsplit("/Size ")
        .next()
        .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok())
        .expect("/Size");
    let mut prev = last_xref;
    for _ in 0..100_000 {
        let here = doc.len();
        write!(
            doc,
            "\nxref\n0 0\ntrailer\n<< /Size {size} /Root 1 0 R /Prev {prev} >>\n"
        )
        .expect("vec");
        prev = here + 1;
    }
    write!(doc, "startxref\n{prev}\n%%EOF\n").expect("vec");
    match verify(&doc) {
        Ok(report) => assert_ne!(report.indication(), Indication::Passed, "{}", json(&report)),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
}

/// A page tree 100 000 `/Pages` deep with a signature widget on the only page: lopdf stops
/// descending at 256 levels, so the page is never reached.
fn deep_page_tree() {
    let n = 100_000;
    let mut objects =
        vec![b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] >> >>".to_vec()];
    for i in 2..2 + n {
        objects.push(
            format!(
                "<< /Type /Pages /Kids [{} 0 R] /Count 1 /Parent {} 0 R >>",
                i + 1,
                i.max(3) - 1
            )
            .into_bytes(),
        );
    }
    let page = 2 + n;
    objects.push(
        format!(
            "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 10 10] /Annots [{} 0 R] >>",
            page - 1,
            page + 1
        )
        .into_bytes(),
    );
    objects.push(
        format!(
            "<< /Type /Annot /Subtype /Widget /FT /Sig /T (hidden) /Rect [0 0 1 1] /P {page} 0 R >>"
        )
        .into_bytes(),
    );
    match verify(&pdf(&objects)) {
        Ok(r) => assert_ne!(r.indication(), Indication::Passed, "{}", json(&r)),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
}

/// Form fields nested 100 000 deep through `/Kids`: the field walk stops at the limit.
fn deep_field_tree() {
    let n = 100_000;
    let mut objects = vec![catalog_with_form("3 0 R"), pages()];
    for i in 3..3 + n {
        objects.push(format!("<< /T (f{i}) /Kids [{} 0 R] >>", i + 1).into_bytes());
    }
    objects.push(b"<< /FT /Sig /T (leaf) >>".to_vec());
    let err = verify(&pdf(&objects)).expect_err("limit");
    assert!(
        matches!(
            err,
            PdfError::Limit {
                what: "form field nesting",
                max: 32
            }
        ),
        "{err}"
    );
}

/// A signature widget whose `/Parent` chain is 100 000 long and not listed in the form.
fn deep_parent_chain() {
    let n = 100_000;
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Annots [4 0 R] >>".to_vec(),
        b"<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 1 1] /Parent 5 0 R >>".to_vec(),
    ];
    for i in 5..5 + n {
        objects.push(format!("<< /T (p{i}) /Parent {} 0 R >>", i + 1).into_bytes());
    }
    objects.push(b"<< /T (top) >>".to_vec());
    match verify(&pdf(&objects)) {
        Ok(r) => assert_ne!(r.indication(), Indication::Passed, "{}", json(&r)),
        Err(e) => assert!(matches!(e, PdfError::Limit { .. }), "{e}"),
    }
}

/// A verifier trusting the VN1 test signer of `testdata/qr`, under which its fixtures pass.
fn qr_verifier() -> QrVerifier {
    let cert = std::fs::read(testdata().join("qr/certs/TEST-ONLY_vn1_es256.der")).expect("cert");
    let verifier = QrVerifier::builder()
        .signer_certificate_der(&cert)
        .expect("cert")
        .build();
    let genuine = std::fs::read_to_string(testdata().join("qr/vn1_es256.txt")).expect("text");
    assert!(
        verifier.verify_text(&genuine, at()).valid(),
        "the genuine VN1 fixture must verify"
    );
    verifier
}

/// `VN1:` text of zlib-compressed `cbor`.
fn vn1(cbor: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(cbor).expect("deflate");
    format!("VN1:{}", base45::encode(z.finish().expect("deflate")))
}

/// Arrays of one element nested 60 000 deep where the COSE_Sign1's unprotected header goes.
fn deep_cbor_in_cose() {
    let mut cbor = vec![0x84, 0x40];
    cbor.extend(std::iter::repeat_n(0x81, 60_000));
    cbor.extend_from_slice(&[0x00, 0x40, 0x40]);
    let report = qr_verifier().verify_text(&vn1(&cbor), at());
    let failed = report
        .stages
        .iter()
        .find(|s| !s.ok)
        .expect("a failed stage");
    assert_eq!(failed.stage, Stage::Cose, "{failed:?}");
    assert!(!report.valid());
}

/// A COSE_Sign1 whose payload (the CWT claims) nests 60 000 arrays deep.
fn deep_cbor_in_claims() {
    let mut payload = vec![0x81; 60_000];
    payload.push(0x00);
    // [h'a10126' (alg ES256), {}, payload, h'00']
    let mut cbor = vec![0x84, 0x43, 0xA1, 0x01, 0x26, 0xA0, 0x5A];
    cbor.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    cbor.extend_from_slice(&payload);
    cbor.extend_from_slice(&[0x41, 0x00]);
    let report = qr_verifier().verify_text(&vn1(&cbor), at());
    let failed = report
        .stages
        .iter()
        .find(|s| !s.ok)
        .expect("a failed stage");
    assert_eq!(failed.stage, Stage::Cose, "{failed:?}");
    assert!(failed.reason.contains("claims"), "{failed:?}");
}

/// A CRL and an OCSP response nested 200 000 deep given by the caller: named in the warnings
/// and in the revocation detail, never dropped in silence (issue 12 §1).
fn deep_supplied_revocation() {
    let junk = nest(SEQUENCE, 200_000, &[0x05, 0x00]);
    let pdf = std::fs::read(testdata().join("pdf").join(GENUINE)).expect("fixture");
    let mut anchors = CertificateSet::new();
    anchors
        .add_path(&testdata().join("pki/anchor.pem"))
        .expect("anchor");
    let only_junk = PdfVerifier::builder()
        .add_trust_anchors(anchors.clone())
        .add_crl_der(junk.clone())
        .add_ocsp_der(nest(SEQUENCE, 200_000, &[0x02, 0x01, 0x00]))
        .build()
        .expect("builds");
    let report = only_junk.verify(&pdf, at()).expect("evaluates");
    let sig = only(&report);
    assert_eq!(sig.subindication(), Some(SubIndication::TryLater));
    for n in ["#1", "#2"] {
        assert!(
            report
                .warnings
                .iter()
                .any(|w| w.contains(&format!("supplied revocation data {n}"))),
            "{:?}",
            report.warnings
        );
    }
    assert!(
        sig.revocation
            .iter()
            .all(|r| r.detail.contains("a supplied CRL cannot be read")
                && r.detail.contains("a supplied OCSP response cannot be read")),
        "{:#?}",
        sig.revocation
    );
    // With the real CRLs beside the junk, the signature passes, and the junk is still named.
    let mut with_crls = PdfVerifier::builder()
        .add_trust_anchors(anchors)
        .add_crls_path(&testdata().join("pki/crl"))
        .expect("CRLs");
    with_crls = with_crls.add_crl_der(junk);
    let report = with_crls
        .build()
        .expect("builds")
        .verify(&pdf, at())
        .expect("evaluates");
    assert_eq!(report.indication(), Indication::Passed, "{}", json(&report));
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("cannot be read") && w.contains("CRL"))
    );
}

fn cyclic_field_trees_and_self_references_terminate() {
    let doc = pdf(&[
        catalog_with_form("3 0 R"),
        pages(),
        b"<< /FT /Sig /T (a) /Kids [4 0 R] >>".to_vec(),
        b"<< /T (b) /Kids [3 0 R] /Parent 3 0 R >>".to_vec(),
    ]);
    let report = verify(&doc).expect("evaluates");
    assert_eq!(
        report.subindication(),
        Some(SubIndication::SignedDataNotFound),
        "{}",
        json(&report)
    );
    let self_ref = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>".to_vec(),
        pages(),
        b"3 0 R".to_vec(),
    ]);
    match verify(&self_ref) {
        Ok(r) => assert_eq!(r.subindication(), Some(SubIndication::SignedDataNotFound)),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
}

fn decompression_bomb_is_bounded() {
    // An object stream that inflates to 64 MiB of zeros from about 64 KiB.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&zeros).expect("deflate");
    }
    let bomb = z.finish().expect("deflate");
    let mut stream = format!(
        "<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
        bomb.len()
    )
    .into_bytes();
    stream.extend_from_slice(&bomb);
    stream.extend_from_slice(b"\nendstream");
    let mut limits = Limits::default();
    limits.max_decompressed_bytes = 1 << 20;
    match verify_with(limits, &pdf(&[catalog_with_form(""), pages(), stream])) {
        Ok(r) => assert_eq!(
            r.subindication(),
            Some(SubIndication::SignedDataNotFound),
            "{}",
            json(&r)
        ),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
}

// ---------------------------------------------------------------------------------------
// Cases that need no small stack.

#[test]
fn a_valid_skeleton_parses() {
    // The builder itself is sound: an unsigned form field is listed, nothing is PASSED.
    let doc = pdf(&[
        catalog_with_form("3 0 R"),
        pages(),
        b"<< /FT /Sig /T (Empty) >>".to_vec(),
    ]);
    let report = verify(&doc).expect("evaluates");
    assert_eq!(report.unsigned_fields.len(), 1);
    assert_eq!(
        report.subindication(),
        Some(SubIndication::SignedDataNotFound)
    );
}

#[test]
fn absurd_byte_ranges_are_format_failures() {
    for br in [
        "[0 99999999999999 1 2]",
        "[0 -5 10 10]",
        "[0 10 5 10]",
        "[0 10 20 9223372036854775807]",
        "[0 10 20]",
        "[0 10 20 30 40 50]",
        "[(a) (b) (c) (d)]",
    ] {
        let doc = pdf(&sig_field(&format!(
            "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange {br} /Contents <3000> >>"
        )));
        let report = verify(&doc).expect("evaluates");
        let sig = only(&report);
        assert_eq!(
            sig.subindication(),
            Some(SubIndication::FormatFailure),
            "{br}"
        );
        assert_eq!(report.indication(), Indication::Failed, "{br}");
    }
}

#[test]
fn missing_or_unknown_entries() {
    let no_contents = pdf(&sig_field(
        "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] >>",
    ));
    let report = verify(&no_contents).expect("evaluates");
    assert_eq!(
        only(&report).subindication(),
        Some(SubIndication::FormatFailure)
    );
    let unknown = pdf(&sig_field(
        "<< /Type /Sig /SubFilter /adbe.x509.rsa_sha1 /ByteRange [0 1 2 3] /Contents <00> >>",
    ));
    let report = verify(&unknown).expect("evaluates");
    assert_eq!(
        only(&report).subindication(),
        Some(SubIndication::CryptoConstraintsFailure)
    );
    assert_eq!(report.indication(), Indication::Indeterminate);
}

#[test]
fn oversized_contents_hit_the_cms_limit() {
    let hex = "30".repeat(64 * 1024);
    let doc = pdf(&sig_field(&format!(
        "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <{hex}> >>"
    )));
    let mut limits = Limits::default();
    limits.max_cms_bytes = 1024;
    let report = verify_with(limits, &doc).expect("evaluates");
    assert_check(
        only(&report),
        Step::CmsStructure,
        SubIndication::FormatFailure,
        "above the limit",
    );
}

#[test]
fn too_many_signature_fields_hit_the_limit() {
    let refs: Vec<String> = (3..3 + 40).map(|i| format!("{i} 0 R")).collect();
    let mut objects = vec![catalog_with_form(&refs.join(" ")), pages()];
    for i in 0..40 {
        objects.push(format!("<< /FT /Sig /T (f{i}) >>").into_bytes());
    }
    let mut limits = Limits::default();
    limits.max_signatures = 16;
    let err = verify_with(limits, &pdf(&objects)).expect_err("limit");
    assert!(
        matches!(
            err,
            PdfError::Limit {
                what: "signature fields",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn garbage_and_truncation_never_pass() {
    let good = std::fs::read(testdata().join("pdf/sample_permit.pdf")).expect("fixture");
    assert_eq!(
        verify(&good).expect("evaluates").indication(),
        Indication::Passed
    );
    for cut in [
        0,
        1,
        8,
        100,
        good.len() / 2,
        good.len() - 10,
        good.len() - 1,
    ] {
        // Only the end-of-line after the last %%EOF is outside every revision.
        let harmless = good[cut..].iter().all(u8::is_ascii_whitespace);
        if let Ok(r) = verify(&good[..cut]) {
            assert_eq!(
                r.indication() == Indication::Passed,
                harmless,
                "cut at {cut}: {}",
                json(&r)
            );
        }
    }
    assert!(verify(b"").is_err());
    assert!(verify(&[0xFF; 4096]).is_err());
}
