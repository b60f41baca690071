//! Golden JSON per report kind: the PDF [`Report`](docseal::report::Report), the QR
//! [`QrReport`](docseal::qr::QrReport) and the scan
//! [`PageReport`](docseal::scan::PageReport). The documented schemas
//! (`docseal::report::json`, `QrReport::to_json_value`, `PageReport`) promise that a field never
//! changes meaning and is never removed within a schema version; these tests hold the library to
//! it. PDF and QR reports are compared value for value (they are deterministic); a scan report's
//! numbers move with every improvement of the detectors, so only its shape (every key and the
//! JSON type of every value) is frozen.
//!
//! After an intended change (a new field, a new check), regenerate with
//! `DOCSEAL_BLESS=1 cargo test --test it golden` and review the diff of `testdata/expected/json/`:
//! a removed or renamed key there is a break of the schema.

use std::path::PathBuf;

use docseal::{qr::QrVerifier, scan, time::ValidationTime};
use serde_json::Value;

use crate::util::{testdata, verifier};

fn golden_path(name: &str) -> PathBuf {
    testdata().join("expected/json").join(name)
}

/// Compares `got` with the golden file `name`, or writes it under `DOCSEAL_BLESS=1`.
fn check_golden(name: &str, got: &Value) {
    let path = golden_path(name);
    let text = serde_json::to_string_pretty(got).expect("JSON prints") + "\n";
    if std::env::var_os("DOCSEAL_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("golden dir");
        std::fs::write(&path, text).expect("golden written");
        return;
    }
    let want: Value = serde_json::from_slice(
        &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .expect("golden parses");
    assert!(
        *got == want,
        "{name} differs from its golden file; the report now reads:\n{text}"
    );
}

/// Every key and the JSON type of every value; arrays by their first element.
fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        }
        Value::Array(items) => Value::Array(items.first().map(shape).into_iter().collect()),
        Value::Null => "null".into(),
        Value::Bool(_) => "bool".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
    }
}

fn v_anchors() -> docseal::certs::CertificateSet {
    let mut set = docseal::certs::CertificateSet::new();
    set.add_path(&testdata().join("pki/anchor.pem"))
        .expect("anchor loads");
    set
}

fn at(unix: i64) -> ValidationTime {
    ValidationTime::from_unix(unix).expect("time")
}

#[test]
fn pdf_reports_match_their_golden_json() {
    // A valid permit; a PAdES B-LTA file (signature and document timestamps, DSS, proof of
    // existence); a signature proven by a later document timestamp although its signer
    // expired; a change to a locked field (FAILED, with the changes listed).
    let v = verifier(&["pki/anchor.pem"], &[]);
    let with_crls = docseal::pdf::PdfVerifier::builder()
        .add_trust_anchors(v_anchors())
        .add_crls_path(&testdata().join("pki/crl"))
        .expect("CRLs load")
        .build()
        .expect("verifier builds");
    for (file, v) in [
        ("sample_permit", &v),
        ("pades_b_lta", &v),
        ("expired_signer_doc_timestamped", &with_crls),
        ("fieldmdp_locked_changed", &v),
    ] {
        let pdf = std::fs::read(testdata().join(format!("pdf/{file}.pdf"))).expect("fixture");
        let report = v.verify(&pdf, at(1_900_000_000)).expect("verifies");
        let json: Value = serde_json::from_str(&report.to_json().expect("JSON")).expect("parses");
        assert_eq!(json["schema_version"], 2, "{file}");
        check_golden(&format!("pdf_{file}.json"), &json);
    }
}

#[test]
fn qr_reports_match_their_golden_json() {
    let mut builder = QrVerifier::builder();
    for cert in [
        "TEST-ONLY_vn1_es256.der",
        "TEST-ONLY_vn1_eddsa.der",
        "TEST-ONLY_hc1_dsc.der",
        "TEST-ONLY_hc1_dsc_test.der",
        "TEST-ONLY_hc1_dsc_vac.der",
    ] {
        let der = std::fs::read(testdata().join("qr/certs").join(cert)).expect("certificate");
        builder = builder.signer_certificate_der(&der).expect("certificate");
    }
    let verifier = builder.build();
    // Valid VN1; a DCC payload (hcert printed); a forged signature (FAILED at the signature).
    for file in ["vn1_es256", "hc1_vaccination", "vn1_bad_signature"] {
        let text =
            std::fs::read_to_string(testdata().join(format!("qr/{file}.txt"))).expect("fixture");
        let report = verifier.verify_text(&text, at(1_900_000_000));
        let json = report.to_json_value(None).expect("JSON");
        check_golden(&format!("qr_{file}.json"), &json);
    }
}

#[test]
fn scan_page_report_keeps_its_shape() {
    let bytes = std::fs::read(testdata().join("scan/pages/dpi200_skew_m2_4.jpg")).expect("page");
    let page = scan::normalize(&bytes, &scan::ScanOptions::default()).expect("normalizes");
    let json = serde_json::to_value(&page.report).expect("JSON");
    check_golden("scan_page_report_shape.json", &shape(&json));
}
