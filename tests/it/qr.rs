//! QR result certificates from text: issue → verify round trips with keys made in-test, every
//! failure stage, and (when present) fixtures made by an independent implementation
//! (pycose + cbor2 + base45, `testdata/qr/`).

use docseal::{
    qr::{
        QrIssuer, QrReport, QrVerifier, Stage,
        payload::{Claims, PermitResult},
    },
    report::Verdict,
    time::ValidationTime,
};
use rcgen::{CertificateParams, KeyPair};

const AT: i64 = 1_900_000_000;

fn at(t: i64) -> ValidationTime {
    ValidationTime::from_unix(t).expect("time")
}

/// A self-signed signer certificate and its PKCS#8 key (`alg`: rcgen's signature algorithm).
fn signer(alg: &'static rcgen::SignatureAlgorithm) -> (Vec<u8>, Vec<u8>) {
    let key = KeyPair::generate_for(alg).expect("key");
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "Ủy ban nhân dân Quận 1 - QR signer (TEST ONLY)",
    );
    let cert = params.self_signed(&key).expect("cert");
    (key.serialize_der(), cert.der().to_vec())
}

fn trusting(cert: &[u8]) -> QrVerifier {
    QrVerifier::builder()
        .signer_certificate_der(cert)
        .expect("cert")
        .build()
}

fn permit(exp: i64, nbf: Option<i64>) -> Claims {
    Claims {
        iss: Some("VN-HCM-QH1".into()),
        iat: Some(AT - 86_400),
        exp,
        nbf,
        result: Some(PermitResult {
            procedure_code: "1.009972".into(),
            dossier_no: "000.00.01.H29-261122-0001".into(),
            decision_no: "123/GPXD".into(),
            holder_name: "Nguyễn Văn An".into(),
            holder_id_sha256: "11".repeat(32),
            issuer_name: "Ủy ban nhân dân Quận 1".into(),
            issue_date: "2030-03-16".into(),
            valid_until: Some("2031-03-16".into()),
            document_sha256: "4e1081b208ef35593dbbcc95e1f0aae44099757017837ddccece2447627f1c45"
                .into(),
            url: None,
        }),
    }
}

fn failed(report: &QrReport) -> Option<Stage> {
    report.stages.iter().find(|s| !s.ok).map(|s| s.stage)
}

#[test]
fn issue_then_verify_round_trips_for_both_algorithms() {
    for alg in [&rcgen::PKCS_ECDSA_P256_SHA256, &rcgen::PKCS_ED25519] {
        let (key, cert) = signer(alg);
        let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
        let claims = permit(AT + 365 * 86_400, None);
        let text = issuer.issue(&claims).expect("issued");
        assert!(text.starts_with("VN1:"), "{text}");
        let verifier = trusting(&cert);
        let report = verifier.verify_text(&text, at(AT));
        assert!(report.valid(), "{report:#?}");
        assert_eq!(report.claims.as_ref(), Some(&claims));
        // A typical permit fits a QR code of version <= 17 at error-correction level Q.
        let code = qrcode::QrCode::with_error_correction_level(&text, qrcode::EcLevel::Q)
            .expect("fits a QR code");
        let qrcode::Version::Normal(version) = code.version() else {
            panic!("micro QR for {} characters", text.len());
        };
        eprintln!("{alg:?}: {} characters, QR version {version}-Q", text.len());
        assert!(
            version <= 17,
            "version {version} for {} characters",
            text.len()
        );
    }
}

#[test]
fn every_failure_stage_is_reported() {
    let (key, cert) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
    let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
    let verifier = trusting(&cert);
    let good = issuer.issue(&permit(AT + 86_400, None)).expect("issued");
    let cases: Vec<(&str, String, i64, Stage, Verdict)> = vec![
        (
            "wrong prefix",
            good.replacen("VN1:", "VN2:", 1),
            AT,
            Stage::Prefix,
            Verdict::Invalid,
        ),
        (
            "not base45",
            format!("VN1:{}", "a".repeat(30)),
            AT,
            Stage::Base45,
            Verdict::Invalid,
        ),
        (
            "expired",
            good.clone(),
            AT + 86_400,
            Stage::Time,
            Verdict::Invalid,
        ),
        (
            "not yet valid",
            issuer
                .issue(&permit(AT + 10_000, Some(AT + 10)))
                .expect("issued"),
            AT,
            Stage::Time,
            Verdict::Invalid,
        ),
        (
            "issued in the future",
            good.clone(),
            AT - 86_400 - 301,
            Stage::Time,
            Verdict::Invalid,
        ),
        // A forgery: the same claims signed by a key the verifier does not trust.
        (
            "unknown signer",
            {
                let (k2, c2) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
                QrIssuer::from_pkcs8(&k2, &c2)
                    .expect("issuer")
                    .issue(&permit(AT + 86_400, None))
                    .expect("issued")
            },
            AT,
            Stage::IssuerTrusted,
            Verdict::Indeterminate,
        ),
    ];
    for (name, text, t, stage, verdict) in cases {
        let report = verifier.verify_text(&text, at(t));
        assert_eq!(failed(&report), Some(stage), "{name}: {report:#?}");
        assert_eq!(report.verdict, verdict, "{name}");
    }
    // exp is exclusive: valid one second before, invalid at exp.
    assert!(verifier.verify_text(&good, at(AT + 86_399)).valid());
}

#[test]
fn a_changed_claim_breaks_the_signature() {
    let (key, cert) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
    let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
    let verifier = trusting(&cert);
    let text = issuer.issue(&permit(AT + 86_400, None)).expect("issued");
    // Flip characters one at a time across the whole Base45 body: each result must be
    // rejected (or, rarely, not decode at all), never accepted.
    let body: Vec<char> = text.chars().collect();
    for i in (4..body.len()).step_by(7) {
        let mut forged = body.clone();
        forged[i] = if forged[i] == 'A' { 'B' } else { 'A' };
        let forged: String = forged.into_iter().collect();
        let report = verifier.verify_text(&forged, at(AT));
        assert!(!report.valid(), "position {i} accepted: {forged}");
    }
}

#[test]
fn issuer_refuses_a_key_that_is_not_the_certificates() {
    let (key, _) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
    let (_, other_cert) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
    assert!(QrIssuer::from_pkcs8(&key, &other_cert).is_err());
    assert!(QrIssuer::from_pkcs8(b"not a key", &other_cert).is_err());
}

/// Every payload of `testdata/qr/manifest.json` (made by pycose + cbor2 + base45, an
/// independent implementation) gets its expected verdict and first failing stage.
#[test]
fn independent_fixtures_get_their_expected_verdicts() {
    let dir = crate::util::testdata().join("qr");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
            .expect("json");
    let rows = manifest.as_array().expect("array");
    assert!(rows.len() >= 30, "{} rows", rows.len());
    let mut failures = Vec::new();
    for row in rows {
        let file = row["file"].as_str().expect("file");
        let mut builder = QrVerifier::builder();
        for cert in row["trust"].as_array().expect("trust") {
            let der = std::fs::read(dir.join(cert.as_str().expect("path"))).expect("cert");
            builder = builder.signer_certificate_der(&der).expect("certificate");
        }
        let text = std::fs::read_to_string(dir.join(file)).expect("payload");
        let report = builder
            .build()
            .verify_text(&text, at(row["at"].as_i64().expect("at")));
        let verdict = serde_json::to_value(report.verdict).expect("json");
        let stage = serde_json::to_value(failed(&report)).expect("json");
        if verdict != row["expect"]["verdict"] || stage != row["expect"]["failed_stage"] {
            failures.push(format!(
                "{file}: got {verdict} / {stage}, want {} / {}\n{:#?}",
                row["expect"]["verdict"], row["expect"]["failed_stage"], report.stages
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What docseal issues verifies with the independent implementation's trust material, and
/// the HC1 fixture's hcert claim is exposed as JSON.
#[test]
fn hcert_claim_is_exposed() {
    let dir = crate::util::testdata().join("qr");
    let der = std::fs::read(dir.join("certs/TEST-ONLY_hc1_dsc.der")).expect("cert");
    let text = std::fs::read_to_string(dir.join("hc1_vaccination.txt")).expect("payload");
    let report = QrVerifier::builder()
        .signer_certificate_der(&der)
        .expect("cert")
        .build()
        .verify_text(&text, at(AT));
    assert!(report.valid(), "{report:#?}");
    // Claim -260 key 1, the DCC payload itself (HCERT 1.3 §2.6.3), not the -260 map around it.
    let dcc = report.hcert.as_ref().expect("hcert");
    assert!(dcc["v"].is_array() && dcc["nam"].is_object(), "{dcc}");
    assert_eq!(dcc["ver"], "1.3.0", "{dcc}");
    assert!(dcc.get("1").is_none(), "{dcc}");
}

#[test]
fn binding_to_the_pdf_or_its_signed_revision() {
    use docseal::qr::{Binding, binding};
    let pdf = std::fs::read(crate::util::testdata().join("pdf/sample_permit.pdf")).expect("pdf");
    let mut result = permit(AT, None).result.expect("result");
    result.document_sha256 = ring::digest::digest(&ring::digest::SHA256, &pdf)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(binding(&result, &pdf), Binding::WholeFile);
    // An incremental update appended later: the certificate names the revision that is
    // exactly the original file.
    let mut updated = pdf.clone();
    updated.extend_from_slice(b"1 0 obj\n(later)\nendobj\nstartxref\n0\n%%EOF\n");
    match binding(&result, &updated) {
        Binding::Revision(n) => assert_eq!(
            docseal::pdf::extract_revision(&updated, n).expect("revision"),
            pdf.as_slice()
        ),
        other => panic!("expected a revision, got {other:?}"),
    }
    result.document_sha256 = "00".repeat(32);
    assert_eq!(binding(&result, &pdf), Binding::Mismatch);
}

#[test]
fn printed_codes_read_back_and_verify() {
    let (key, cert) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
    let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
    let text = issuer.issue(&permit(AT + 86_400, None)).expect("issued");
    let printed = docseal::qr::print(&text, 4).expect("printed");
    assert!(printed.version <= 17, "version {}", printed.version);
    assert!(printed.svg.starts_with("<?xml") && printed.svg.contains("<svg"));
    // Read the PNG back with an independent decoder (rqrr) and verify what it read.
    let img = image::load_from_memory(&printed.png)
        .expect("PNG")
        .to_luma8();
    let modules = 17 + 4 * u32::try_from(printed.version).expect("positive") + 8; // + quiet zone
    assert_eq!(img.width(), modules * 4, "whole modules of 4 dots");
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        img.width() as usize,
        img.height() as usize,
        |x, y| img.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, read) = grids[0].decode().expect("decodes");
    assert_eq!(read, text);
    let verifier = trusting(&cert);
    assert!(verifier.verify_text(&read, at(AT)).valid());
    assert!(docseal::qr::print(&text, 0).is_err());
    assert!(docseal::qr::print(&text, docseal::qr::MAX_DOTS + 1).is_err());
}

/// Every render of testdata/qr/renders (scans, print-and-scan, phone photos) that the retry
/// ladder read when RESULTS.md was measured (`docseal: true` in gen/results.json: 52 of 60,
/// as many as zxing-cpp) must still be read, and no render may ever yield a wrong text.
#[test]
fn retry_ladder_still_reads_every_render_it_read() {
    let dir = crate::util::testdata().join("qr");
    let results: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("renders/gen/results.json")).expect("results.json"),
    )
    .expect("JSON");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("renders/manifest.json")).expect("manifest"),
    )
    .expect("JSON");
    let results = results.as_array().expect("array");
    let entries = manifest.as_array().expect("array");
    assert_eq!(results.len(), entries.len(), "results.json is stale");
    let mut lost = Vec::new();
    let mut read = 0;
    for (entry, result) in entries.iter().zip(results) {
        let file = entry["file"].as_str().expect("file");
        assert_eq!(result["file"].as_str(), Some(file), "results.json is stale");
        let source = entry["source_txt"].as_str().expect("source");
        let bytes = std::fs::read(dir.join("renders").join(file)).expect("render");
        let want = std::fs::read_to_string(dir.join("renders").join(source)).expect("payload");
        let found = docseal::qr::decode_image(&bytes).expect("image decodes");
        for text in found.iter().flatten() {
            assert_eq!(text, &want, "{file}: a wrong text");
        }
        let ok = found.iter().any(|r| r.as_deref() == Ok(want.as_str()));
        read += usize::from(ok);
        if !ok && result["docseal"] == true {
            lost.push(file);
        }
    }
    assert!(lost.is_empty(), "no longer read: {lost:?}");
    assert!(read >= 52, "{read} of 60 read");
}

#[test]
fn json_value_has_the_stage_booleans_and_the_text() {
    let (key, cert) = signer(&rcgen::PKCS_ECDSA_P256_SHA256);
    let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
    let text = issuer.issue(&permit(AT + 86_400, None)).expect("issued");
    let stages = [
        "prefix_ok",
        "base45_ok",
        "zlib_ok",
        "cose_ok",
        "issuer_trusted",
        "signature_ok",
        "time_ok",
        "key_usage_ok",
    ];
    let report = trusting(&cert).verify_text(&text, at(AT));
    let v = report.to_json_value(Some(&text)).expect("serializes");
    assert_eq!(v["verdict"], "valid", "{v:#}");
    assert_eq!(v["qr_decoded"], true, "{v:#}");
    assert_eq!(v["qr_text"], text.as_str(), "{v:#}");
    for key in stages {
        assert_eq!(v[key], true, "{key}: {v:#}");
    }
    assert_eq!(
        v["claims"]["result"]["holder_name"], "Nguyễn Văn An",
        "{v:#}"
    );
    // Expired: every stage before `time` passed, `time` failed, `key_usage` never ran.
    let v = trusting(&cert)
        .verify_text(&text, at(AT + 86_400))
        .to_json_value(None)
        .expect("serializes");
    assert_eq!(v["verdict"], "invalid", "{v:#}");
    assert_eq!(v["qr_text"], serde_json::Value::Null, "{v:#}");
    for key in stages {
        let want = !matches!(key, "time_ok" | "key_usage_ok");
        assert_eq!(v[key], want, "{key}: {v:#}");
    }
}

/// Property (STYLE §6): claims → `QrIssuer::issue` → `qr::print` (PNG) → `qr::decode_image` →
/// `QrVerifier::verify_text` gives back the same claims, for ES256 and EdDSA, 2–4 pixels per
/// module, Vietnamese names (precomposed and combining diacritics) and, in about half the cases,
/// long fields: in three measured runs the texts were 172–1,813 characters, QR versions 9–35 at
/// level Q (40-Q holds 2,420), so `print` must also succeed.
mod round_trip {
    use std::{ops::RangeInclusive, sync::LazyLock};

    use docseal::qr::{
        QrIssuer, QrVerifier,
        payload::{Claims, PermitResult},
    };
    use proptest::{prelude::*, string::string_regex};

    /// Cases per run, fixed so that the cost is known: 7.5–10 s for this test alone in a debug
    /// build on 2 cores (three runs; a long case decodes in up to 0.6 s).
    const CASES: u32 = 24;

    /// Vietnamese letters, both cases, and the five tone marks as combining characters
    /// (U+0300 grave, U+0301 acute, U+0303 tilde, U+0309 hook above, U+0323 dot below).
    const LETTERS: &str = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợ\
        pqrstuùủũúụưừửữứựvxyỳỷỹýỵAÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘ\
        ƠỜỞỠỚỢPQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ\u{300}\u{301}\u{303}\u{309}\u{323}";

    /// ES256 and EdDSA signers (rcgen, TEST ONLY) and verifiers trusting each.
    static SIGNERS: LazyLock<Vec<(QrIssuer, QrVerifier)>> = LazyLock::new(|| {
        [&rcgen::PKCS_ECDSA_P256_SHA256, &rcgen::PKCS_ED25519]
            .into_iter()
            .map(|alg| {
                let (key, cert) = super::signer(alg);
                (
                    QrIssuer::from_pkcs8(&key, &cert).expect("issuer"),
                    super::trusting(&cert),
                )
            })
            .collect()
    });

    /// Space-separated words of 1–9 Vietnamese letters.
    fn vietnamese(words: RangeInclusive<usize>) -> impl Strategy<Value = String> {
        let letters: Vec<char> = LETTERS.chars().collect();
        prop::collection::vec(
            prop::collection::vec(prop::sample::select(letters), 1..=9),
            words,
        )
        .prop_map(|words| {
            words
                .into_iter()
                .map(|w| w.into_iter().collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    fn regex(pattern: &str) -> impl Strategy<Value = String> + use<> {
        string_regex(pattern).expect("regex")
    }

    fn hex32() -> impl Strategy<Value = String> {
        any::<[u8; 32]>().prop_map(|b| b.iter().map(|x| format!("{x:02x}")).collect())
    }

    /// A permit result; `long` takes every free-text field near its largest size.
    fn result(long: bool) -> impl Strategy<Value = PermitResult> {
        let date = "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])";
        let (holder, issuer, dossier, path) = if long {
            (6..=10, 40..=60, "\\PC{20,40}", "[A-Za-z0-9/._-]{150,250}")
        } else {
            (1..=4, 1..=8, "\\PC{1,20}", "[A-Za-z0-9/._-]{0,40}")
        };
        let url = regex(&format!("https://[a-z]{{1,20}}\\.example\\.vn/{path}"));
        let url = if long {
            url.prop_map(Some).boxed()
        } else {
            proptest::option::of(url).boxed()
        };
        (
            (
                regex("[0-9]\\.[0-9]{6}"),
                regex(dossier),
                regex("[0-9]{1,5}/[A-ZĐ-]{2,10}"),
                vietnamese(holder),
            ),
            (
                hex32(),
                vietnamese(issuer),
                regex(date),
                proptest::option::of(regex(date)),
            ),
            (hex32(), url),
        )
            .prop_map(
                |(
                    (procedure_code, dossier_no, decision_no, holder_name),
                    (holder_id_sha256, issuer_name, issue_date, valid_until),
                    (document_sha256, url),
                )| PermitResult {
                    procedure_code,
                    dossier_no,
                    decision_no,
                    holder_name,
                    holder_id_sha256,
                    issuer_name,
                    issue_date,
                    valid_until,
                    document_sha256,
                    url,
                },
            )
    }

    /// Claims and a validation time inside their validity (1950 to 2100, as ValidationTime).
    fn claims() -> impl Strategy<Value = (Claims, i64)> {
        (
            proptest::option::of("[A-Z]{2}(-[A-Z0-9]{1,8}){0,3}"),
            -631_152_000i64..=4_102_444_800,
            proptest::option::of(0i64..=86_400),
            1i64..=1 << 40,
            proptest::option::weighted(0.9, prop_oneof![result(false), result(true)]),
        )
            .prop_map(|(iss, iat, nbf_before, lifetime, result)| {
                let claims = Claims {
                    iss,
                    iat: Some(iat),
                    exp: iat + lifetime,
                    nbf: nbf_before.map(|d| iat - d),
                    result,
                };
                (claims, iat)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

        #[test]
        fn claims_survive_issue_print_decode_verify(
            (claims, at) in claims(),
            signer in 0usize..2,
            dots in 2u32..=4,
        ) {
            let (issuer, verifier) = &SIGNERS[signer];
            let text = issuer.issue(&claims).expect("issued");
            let printed = docseal::qr::print(&text, dots).expect("fits a QR code");
            let found = docseal::qr::decode_image(&printed.png).expect("PNG decodes");
            prop_assert_eq!(&found, &vec![Ok(text.clone())], "version {}", printed.version);
            let report = verifier.verify_text(&text, super::at(at));
            prop_assert!(report.valid(), "{:#?}", report);
            prop_assert_eq!(report.claims.as_ref(), Some(&claims));
        }
    }
}
