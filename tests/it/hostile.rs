//! Hostile input is bounded and reported, never obeyed: huge lengths, deep nesting, cyclic
//! references, decompression bombs, oversized CMS. Each case must end in an `Err` (could not
//! evaluate) or a report that is not PASSED, without panicking, hanging or exhausting memory.

use std::io::Write as _;

use docseal::{
    limits::Limits,
    pdf::{PdfError, PdfVerifier},
    report::{Indication, Report, SubIndication},
    time::ValidationTime,
};

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

fn verify_with(limits: Limits, bytes: &[u8]) -> Result<Report, PdfError> {
    let at = ValidationTime::from_unix(1_900_000_000).expect("time");
    PdfVerifier::builder()
        .limits(limits)
        .build()
        .expect("builds")
        .verify(bytes, at)
}

fn verify(bytes: &[u8]) -> Result<Report, PdfError> {
    verify_with(Limits::default(), bytes)
}

/// The only signature's subindication.
fn only_sub(report: &Report) -> Option<SubIndication> {
    assert_eq!(report.signatures.len(), 1, "{report:?}");
    report.signatures[0].subindication
}

fn sig_field(sig_dict: &str) -> Vec<Vec<u8>> {
    vec![
        catalog_with_form("3 0 R"),
        pages(),
        b"<< /FT /Sig /T (Signature1) /V 4 0 R >>".to_vec(),
        sig_dict.as_bytes().to_vec(),
    ]
}

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
        report.subindication,
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
        assert_eq!(
            only_sub(&report),
            Some(SubIndication::FormatFailure),
            "{br}"
        );
        assert_eq!(report.indication, Indication::Failed, "{br}");
    }
}

#[test]
fn missing_or_unknown_entries() {
    let no_contents = pdf(&sig_field(
        "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] >>",
    ));
    let report = verify(&no_contents).expect("evaluates");
    assert_eq!(only_sub(&report), Some(SubIndication::FormatFailure));
    let unknown = pdf(&sig_field(
        "<< /Type /Sig /SubFilter /adbe.x509.rsa_sha1 /ByteRange [0 1 2 3] /Contents <00> >>",
    ));
    let report = verify(&unknown).expect("evaluates");
    assert_eq!(
        only_sub(&report),
        Some(SubIndication::CryptoConstraintsFailure)
    );
    assert_eq!(report.indication, Indication::Indeterminate);
}

#[test]
fn deeply_nested_ber_in_contents() {
    let mut hex = String::new();
    for _ in 0..5000 {
        hex.push_str("3080");
    }
    let doc = pdf(&sig_field(&format!(
        "<< /Type /Sig /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <{hex}> >>"
    )));
    let report = verify(&doc).expect("evaluates");
    assert_eq!(only_sub(&report), Some(SubIndication::FormatFailure));
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
    let sig = &report.signatures[0];
    assert!(
        sig.checks
            .iter()
            .any(|c| c.detail.contains("above the limit")),
        "{sig:?}"
    );
}

#[test]
fn cyclic_field_trees_and_self_references_terminate() {
    let doc = pdf(&[
        catalog_with_form("3 0 R"),
        pages(),
        b"<< /FT /Sig /T (a) /Kids [4 0 R] >>".to_vec(),
        b"<< /T (b) /Kids [3 0 R] /Parent 3 0 R >>".to_vec(),
    ]);
    let report = verify(&doc).expect("evaluates");
    assert_ne!(report.indication, Indication::Passed);
    let self_ref = pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 3 0 R >>".to_vec(),
        pages(),
        b"3 0 R".to_vec(),
    ]);
    match verify(&self_ref) {
        Ok(r) => assert_eq!(r.subindication, Some(SubIndication::SignedDataNotFound)),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
}

#[test]
fn deep_object_nesting_is_refused_or_bounded() {
    let mut deep = b"<< /Type /Catalog /Pages 2 0 R /X ".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 100_000));
    deep.extend(std::iter::repeat_n(b']', 100_000));
    deep.extend_from_slice(b" >>");
    match verify(&pdf(&[deep, pages()])) {
        Ok(r) => assert_ne!(r.indication, Indication::Passed),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
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
        Ok(r) => assert_ne!(r.indication, Indication::Passed),
        Err(e) => assert!(matches!(e, PdfError::Load(_)), "{e}"),
    }
}

#[test]
fn garbage_and_truncation_never_panic() {
    let good =
        std::fs::read(crate::util::testdata().join("pdf/sample_permit.pdf")).expect("fixture");
    for cut in [
        0,
        1,
        8,
        100,
        good.len() / 2,
        good.len() - 10,
        good.len() - 1,
    ] {
        if let Ok(r) = verify(&good[..cut]) {
            assert_ne!(r.indication, Indication::Passed, "cut at {cut}");
        }
    }
    assert!(verify(b"").is_err());
    assert!(verify(&[0xFF; 4096]).is_err());
}
