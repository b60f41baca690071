//! EU DCC (`HC1:`) interop, issue 13 §1: the classes where docseal disagreed with the public
//! DCC test vectors (dgc-testdata), each on a fixture made by pycose + cbor2
//! (`testdata/qr/gen/make_qr.py`, listed in `testdata/qr/README.md`).

use docseal::{
    qr::{QrReport, QrVerifier, Stage},
    report::Verdict,
    time::ValidationTime,
};

/// The validation time of every fixture, and its `iat` / `exp` (`make_qr.py`).
const NOW: i64 = 1_900_000_000;
const IAT: i64 = NOW - 86_400;
const EXP: i64 = NOW + 365 * 86_400;

/// Verifies `testdata/qr/<file>` at `at`, trusting every HC1 DSC (P-256 and RSA).
fn verify(file: &str, at: i64) -> QrReport {
    let dir = crate::util::testdata().join("qr");
    let mut builder = QrVerifier::builder();
    for dsc in ["hc1_dsc", "hc1_dsc_rsa", "hc1_dsc_rsa1024", "vn1_es256"] {
        let der = std::fs::read(dir.join(format!("certs/TEST-ONLY_{dsc}.der"))).expect("cert");
        builder = builder.signer_certificate_der(&der).expect("certificate");
    }
    let text = std::fs::read_to_string(dir.join(file)).expect("payload");
    builder
        .build()
        .verify_text(&text, ValidationTime::from_unix(at).expect("time"))
}

/// The first failed stage and its reason.
fn failure(report: &QrReport) -> Option<(Stage, &str)> {
    report
        .stages
        .iter()
        .find(|s| !s.ok)
        .map(|s| (s.stage, s.reason.as_str()))
}

/// HCERT 1.3 §3.3.2: PS256 (RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32; RFC 8230 §2) is the
/// second allowed algorithm. RFC 8230 §6.1: RSA keys below 2048 bits MUST NOT be used.
#[test]
fn ps256_verifies_and_tampering_or_small_keys_do_not() {
    let good = verify("hc1_ps256.txt", NOW);
    assert!(good.valid(), "{good:#?}");
    assert!(good.stages[3].reason.contains("Ps256"), "{good:#?}");
    let subject = serde_json::to_value(&good.signer).expect("json");
    assert!(subject.to_string().contains("RSA-2048"), "{subject}");
    let bad = verify("hc1_ps256_bad_signature.txt", NOW);
    assert_eq!(bad.verdict, Verdict::Invalid);
    assert_eq!(
        failure(&bad).map(|f| f.0),
        Some(Stage::Signature),
        "{bad:#?}"
    );
    let small = verify("hc1_ps256_rsa1024.txt", NOW);
    let (stage, why) = failure(&small).expect("fails");
    assert_eq!(stage, Stage::Signature, "{small:#?}");
    assert!(why.contains("at least 2048 bits"), "{why}");
}

/// RFC 8392 §2: a NumericDate may be a float; RFC 8949 §3.4.2: tag 1 wraps an integer or a
/// float. Fractions never extend validity: `exp` rounds down, `iat` up.
#[test]
fn float_and_tag_1_numeric_dates() {
    for file in ["hc1_float_dates.txt", "hc1_tag1_dates.txt"] {
        let report = verify(file, NOW);
        assert!(report.valid(), "{file}: {report:#?}");
        let claims = report.claims.as_ref().expect("claims");
        assert_eq!((claims.exp, claims.iat), (EXP, Some(IAT + 1)), "{file}");
        // exp = EXP + 0.75 counts as EXP: valid there (HC1 is inclusive), not a second later.
        assert!(verify(file, EXP).valid(), "{file} at exp");
        let late = verify(file, EXP + 1);
        assert_eq!(
            failure(&late).map(|f| f.0),
            Some(Stage::Time),
            "{file}: {late:#?}"
        );
    }
    let nan = verify("hc1_float_exp_nan.txt", NOW);
    let (stage, why) = failure(&nan).expect("fails");
    assert_eq!(stage, Stage::Cose);
    assert_eq!(why, "claim 4 is not a finite number");
}

/// The boundary on both sides, per profile. HC1: the DCC test vectors set the clock exactly at
/// `exp` and expect a valid certificate. VN1: RFC 8392 §3.1.4, not accepted on or after `exp`.
#[test]
fn exp_boundary_per_profile() {
    assert!(verify("hc1_exp_boundary.txt", NOW - 1).valid());
    assert!(verify("hc1_exp_boundary.txt", NOW).valid());
    let after = verify("hc1_exp_boundary.txt", NOW + 1);
    assert_eq!(
        failure(&after).map(|f| f.0),
        Some(Stage::Time),
        "{after:#?}"
    );
    assert!(verify("vn1_exp_boundary.txt", NOW - 1).valid());
    let at = verify("vn1_exp_boundary.txt", NOW);
    let (stage, why) = failure(&at).expect("fails");
    assert_eq!(stage, Stage::Time);
    assert!(why.starts_with("expired at 2030-03-17T17:46:40Z"), "{why}");
}

/// The DCC vectors' "compression broken" class (RFC 1950 §2.2): a truncated stream, a wrong
/// Adler-32 and bytes after the stream all fail the zlib stage; HCERT's uncompressed form
/// still verifies.
#[test]
fn broken_zlib_fails_at_the_zlib_stage() {
    for (file, why) in [
        ("hc1_zlib_truncated.txt", "truncated"),
        ("hc1_zlib_bad_adler.txt", "corrupt"),
        (
            "hc1_zlib_trailing.txt",
            "8 bytes follow the end of the zlib stream",
        ),
    ] {
        let report = verify(file, NOW);
        let (stage, reason) = failure(&report).expect("fails");
        assert_eq!(stage, Stage::Zlib, "{file}: {report:#?}");
        assert!(reason.contains(why), "{file}: {reason}");
        let json = report.to_json_value(None).expect("json");
        assert_eq!(
            (json["base45_ok"].as_bool(), json["zlib_ok"].as_bool()),
            (Some(true), Some(false))
        );
    }
    let plain = verify("hc1_uncompressed.txt", NOW);
    assert!(plain.valid(), "{plain:#?}");
}
