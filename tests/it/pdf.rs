//! Every fixture of `testdata/manifest.json` gets exactly its expected verdict.
//!
//! The manifest is written by `testdata/gen/make_pdfs.py` next to the fixtures it describes;
//! each row names the trust anchors, the validation time and the expected verdict, document
//! indication and per-signature results (see `testdata/README.md`).

use serde_json::Value;

use docseal::{report::Report, time::ValidationTime};

use docseal::{
    certs::CertificateSet,
    pdf::{AlgorithmPolicy, PdfVerifier},
};

use crate::util::{testdata, verifier};

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The verifier a row asks for: its anchors and intermediates, TSA anchors (default: the
/// anchors), supplied CRLs and OCSP responses, and algorithm policy.
fn row_verifier(row: &Value) -> PdfVerifier {
    let load = |paths: Vec<&str>| {
        let mut set = CertificateSet::new();
        for p in paths {
            set.add_path(&testdata().join(p))
                .unwrap_or_else(|e| panic!("loading {p}: {e}"));
        }
        set
    };
    let mut builder = PdfVerifier::builder()
        .add_trust_anchors(load(strs(&row["trust"])))
        .add_intermediates(load(strs(&row["certs"])));
    if row.get("tsa_trust").is_some() {
        builder = builder.add_tsa_trust_anchors(load(strs(&row["tsa_trust"])));
    }
    for p in strs(&row["crls"]) {
        builder = builder
            .add_crls_path(&testdata().join(p))
            .expect("CRLs load");
    }
    for p in strs(&row["ocsps"]) {
        builder = builder
            .add_ocsps_path(&testdata().join(p))
            .expect("OCSP responses load");
    }
    if row["policy"] == "legal" {
        builder = builder.algorithm_policy(AlgorithmPolicy::Legal);
    }
    builder.build().expect("verifier builds")
}

/// Compares one report with its manifest row; returns the differences.
fn compare(row: &Value, report: &Report) -> Vec<String> {
    let mut diffs = Vec::new();
    let json = serde_json::to_value(report).expect("report serializes");
    let expect = |diffs: &mut Vec<String>, what: &str, got: &Value, want: &Value| {
        if got != want {
            diffs.push(format!("{what}: got {got}, want {want}"));
        }
    };
    for key in ["verdict", "indication", "subindication"] {
        expect(&mut diffs, key, &json[key], &row[key]);
    }
    for (key, got) in [
        ("revisions", &json["document"]["revisions"]),
        ("sha256", &json["document"]["sha256"]),
        ("size", &json["document"]["size"]),
    ] {
        expect(&mut diffs, key, got, &row[key]);
    }
    let unsigned: Vec<Value> = json["unsigned_fields"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| n["text"].clone())
        .collect();
    expect(
        &mut diffs,
        "unsigned_fields",
        &Value::Array(unsigned),
        &row["unsigned_fields"],
    );
    let want_sigs = row["signatures"].as_array().cloned().unwrap_or_default();
    let got_sigs = json["signatures"].as_array().cloned().unwrap_or_default();
    if want_sigs.len() != got_sigs.len() {
        diffs.push(format!(
            "signatures: got {}, want {}",
            got_sigs.len(),
            want_sigs.len()
        ));
    }
    for (i, (got, want)) in got_sigs.iter().zip(&want_sigs).enumerate() {
        expect(
            &mut diffs,
            &format!("sig {i} field"),
            &got["field"]["text"],
            &want["field"],
        );
        for key in [
            "kind",
            "subfilter",
            "indication",
            "subindication",
            "coverage",
            "covers_revision",
        ] {
            expect(&mut diffs, &format!("sig {i} {key}"), &got[key], &want[key]);
        }
        // Older rows do not state the later fields: compare only what a row states.
        for (row_key, report_key) in [
            ("modification", "modification"),
            ("pades_level", "pades_level"),
            ("poe", "proof_of_existence"),
        ] {
            if let Some(want) = want.get(row_key) {
                expect(
                    &mut diffs,
                    &format!("sig {i} {row_key}"),
                    &got[report_key],
                    want,
                );
            }
        }
        for (row_key, report_key) in [
            ("signing_time", &got["signing_time"]),
            ("signer", &signer_name(&got["signer"]["sha256"])),
        ] {
            expect(
                &mut diffs,
                &format!("sig {i} {row_key}"),
                report_key,
                &want[row_key],
            );
        }
        // `sig_dict_M`: the time is the signature dictionary's /M, as the report declares it.
        if want["signing_time_source"] == "sig_dict_M" {
            expect(
                &mut diffs,
                &format!("sig {i} declared /M"),
                &got["declared"]["signing_time"],
                &want["signing_time"],
            );
        }
        let flags =
            |v: &Value| ["intact", "valid", "trusted"].map(|k| v.get(k).and_then(Value::as_bool));
        let [intact, valid, trusted] = flags(got).map(|f| f.unwrap_or(false));
        // Stated flags are compared; on every row, they must agree with the expected result.
        for (key, (stated, value)) in ["intact", "valid", "trusted"]
            .into_iter()
            .zip(flags(want).into_iter().zip([intact, valid, trusted]))
        {
            if let Some(stated) = stated
                && stated != value
            {
                diffs.push(format!("sig {i} {key}: got {value}, want {stated}"));
            }
        }
        if let Some(why) = flags_disagree(
            &want["indication"],
            &want["subindication"],
            intact,
            valid,
            trusted,
        ) {
            diffs.push(format!(
                "sig {i}: intact {intact}, valid {valid}, trusted {trusted}: {why}"
            ));
        }
    }
    // Every change kind the row names must be reported (more may be).
    let kinds: Vec<&Value> = json["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| &c["kind"])
        .collect();
    for kind in row["changes"].as_array().into_iter().flatten() {
        if !kinds.contains(&kind) {
            diffs.push(format!("changes: {kind} not reported"));
        }
    }
    diffs
}

/// What the flags must be for a signature expected to end with `indication`/`subindication`
/// (`intact`: the digest over the byte range; `valid`: the signature value, a separate fact;
/// `trusted`: a path to an anchor; `null` in the report counts as not established); `None`
/// when they agree or the result does not decide them. FORMAT_FAILURE and HASH_FAILURE do not
/// decide `intact`: changes after signing (shadow attacks) are FORMAT_FAILURE and a timestamp
/// whose imprint does not match is HASH_FAILURE while the signed bytes are intact.
fn flags_disagree(
    indication: &Value,
    subindication: &Value,
    intact: bool,
    valid: bool,
    trusted: bool,
) -> Option<&'static str> {
    match (indication.as_str(), subindication.as_str()) {
        (Some("PASSED"), _) if !(intact && valid && trusted) => {
            Some("a PASSED signature is intact, valid and trusted")
        }
        (_, Some("SIG_CRYPTO_FAILURE")) if valid => Some("a SIG_CRYPTO_FAILURE is not valid"),
        (_, Some("NO_CERTIFICATE_CHAIN_FOUND")) if trusted => {
            Some("NO_CERTIFICATE_CHAIN_FOUND is not trusted")
        }
        (_, Some("REVOKED" | "REVOKED_NO_POE" | "TRY_LATER" | "OUT_OF_BOUNDS_NO_POE"))
            if !(intact && valid) =>
        {
            Some("a revocation or time verdict is about an intact, valid signature")
        }
        _ => None,
    }
}

/// The `testdata/pki` name (file stem) of the certificate with this SHA-256, as the manifest
/// names signers; `null` for no certificate.
fn signer_name(sha256: &Value) -> Value {
    let Some(sha256) = sha256.as_str() else {
        return Value::Null;
    };
    static NAMES: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(testdata().join("pki"))
            .expect("pki")
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "pem") {
                let mut set = CertificateSet::new();
                if set.add_path(&path).is_ok() && set.len() == 1 {
                    let stem = path
                        .file_stem()
                        .expect("stem")
                        .to_string_lossy()
                        .into_owned();
                    for info in set.list() {
                        names.push((info.sha256.clone(), stem.clone()));
                    }
                }
            }
        }
        names
    });
    names.iter().find(|(h, _)| h == sha256).map_or_else(
        || Value::String(format!("(sha256 {sha256})")),
        |(_, n)| Value::String(n.clone()),
    )
}

#[test]
fn every_fixture_gets_its_expected_verdict() {
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(testdata().join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest parses");
    let rows = manifest.as_array().expect("array");
    assert!(rows.len() >= 30, "manifest lists {} fixtures", rows.len());
    let mut failures = Vec::new();
    for row in rows {
        let file = row["file"].as_str().expect("file");
        let v = row_verifier(row);
        let at = ValidationTime::from_unix(row["at"].as_i64().expect("at")).expect("time");
        let pdf = std::fs::read(testdata().join(file)).expect("fixture readable");
        match (v.verify(&pdf, at), row["verdict"].as_str()) {
            (Err(_), Some("error")) => {}
            (Err(e), _) => failures.push(format!("{file}: could not evaluate: {e}")),
            (Ok(r), Some("error")) => {
                failures.push(format!("{file}: expected an error, got {:?}", r.verdict()));
            }
            (Ok(report), _) => {
                let diffs = compare(row, &report);
                if !diffs.is_empty() {
                    failures.push(format!(
                        "{file} (trust {:?}):\n  {}\n{}",
                        strs(&row["trust"]),
                        diffs.join("\n  "),
                        report.to_json().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n\n")
    );
}

#[test]
fn report_fields_for_the_sample_permit() {
    let pdf = std::fs::read(testdata().join("pdf/sample_permit.pdf")).expect("fixture");
    let at = ValidationTime::from_unix(1_900_000_000).expect("time");
    let report = verifier(&["pki/anchor.pem"], &[])
        .verify(&pdf, at)
        .expect("evaluates");
    let sig = &report.signatures[0];
    let signer = sig.signer.as_ref().expect("signer");
    assert_eq!(
        signer.common_name.as_ref().map(|n| n.display()).as_deref(),
        Some("Nguyễn Văn An")
    );
    assert_eq!(
        signer.organization.as_ref().map(|n| n.display()).as_deref(),
        Some("Ủy ban nhân dân Quận 1")
    );
    assert_eq!(
        signer
            .issuer_common_name
            .as_ref()
            .map(|n| n.display())
            .as_deref(),
        Some("docseal TEST Issuing CA G1")
    );
    assert_eq!(sig.chain.len(), 2, "issuing CA and root: {:?}", sig.chain);
    assert_eq!(sig.signer_valid_at_signing_time, Some(true));
    assert!(sig.signing_time.is_some());
    assert_eq!(sig.digest_algorithm.as_deref(), Some("SHA-256"));
    let json: Value = serde_json::from_str(&report.to_json().expect("json")).expect("parses");
    assert_eq!(json["schema_version"], 2);
    assert_eq!(json["validation_time"], "2030-03-17T17:46:40Z");
    assert_eq!(
        json["signatures"][0]["signer"]["common_name"]["text"],
        "Nguyễn Văn An"
    );
    let vi = report.to_text(docseal::report::Lang::Vi);
    for label in [
        "Kết luận: HỢP LỆ",
        "Người ký: Nguyễn Văn An",
        "Tổ chức cấp chứng thư số",
        "Thời hạn chứng thư số",
    ] {
        assert!(vi.contains(label), "missing {label:?} in:\n{vi}");
    }
    let en = report.to_text(docseal::report::Lang::En);
    assert!(
        en.contains("Verdict: VALID")
            && en.contains("Managing organization: Ủy ban nhân dân Quận 1"),
        "{en}"
    );
}

#[test]
fn validation_time_is_an_input() {
    // pades_rsa.pdf has no timestamp; its revocation data is supplied (pki/crl).
    let pdf = std::fs::read(testdata().join("pdf/pades_rsa.pdf")).expect("fixture");
    let mut anchors = CertificateSet::new();
    anchors
        .add_path(&testdata().join("pki/anchor.pem"))
        .expect("anchor");
    let v = PdfVerifier::builder()
        .add_trust_anchors(anchors)
        .add_crls_path(&testdata().join("pki/crl"))
        .expect("CRLs")
        .build()
        .expect("verifier");
    // Before the test certificates' validity (2025-01-01) and after it (2045-01-01).
    for (at, sub) in [
        (1_700_000_000, "NOT_YET_VALID"),
        (2_400_000_000, "OUT_OF_BOUNDS_NO_POE"),
    ] {
        let report = v
            .verify(&pdf, ValidationTime::from_unix(at).expect("time"))
            .expect("evaluates");
        let json: Value = serde_json::to_value(&report).expect("json");
        assert_eq!(json["subindication"], sub, "at {at}: {}", report.reason());
        let sig = &report.signatures[0];
        assert_eq!(
            (sig.intact(), sig.valid()),
            (Some(true), Some(true)),
            "{sig:?}"
        );
    }
    // The B-LT sample carries a timestamp: after the signer's certificate expired, the
    // signature is still judged at its proof of existence (past signature validation).
    let sample = std::fs::read(testdata().join("pdf/sample_permit.pdf")).expect("fixture");
    let v = verifier(&["pki/anchor.pem"], &[]);
    let late = v
        .verify(
            &sample,
            ValidationTime::from_unix(2_400_000_000).expect("time"),
        )
        .expect("evaluates");
    assert_eq!(
        late.indication(),
        docseal::report::Indication::Passed,
        "{}",
        late.reason()
    );
    assert!(late.signatures[0].proof_of_existence.is_some());
    // Before its timestamp, the timestamp proves nothing.
    let early = v
        .verify(
            &sample,
            ValidationTime::from_unix(1_700_000_000).expect("time"),
        )
        .expect("evaluates");
    assert_eq!(
        serde_json::to_value(early.subindication()).expect("json"),
        "NOT_YET_VALID",
        "{}",
        early.reason()
    );
}

#[test]
fn nothing_is_trusted_without_anchors() {
    let pdf = std::fs::read(testdata().join("pdf/sample_permit.pdf")).expect("fixture");
    let report = verifier(&[], &[])
        .verify(
            &pdf,
            ValidationTime::from_unix(1_900_000_000).expect("time"),
        )
        .expect("evaluates");
    let sig = &report.signatures[0];
    assert_eq!(
        (sig.intact(), sig.valid()),
        (Some(true), Some(true)),
        "{sig:?}"
    );
    assert!(!sig.trusted(), "{sig:?}");
    assert_eq!(report.verdict(), docseal::report::Verdict::Indeterminate);
}

#[test]
fn limits_are_reported_not_obeyed() {
    let pdf = std::fs::read(testdata().join("pdf/sample_permit.pdf")).expect("fixture");
    let mut limits = docseal::limits::Limits::default();
    limits.max_pdf_bytes = 1024;
    let v = docseal::pdf::PdfVerifier::builder()
        .limits(limits)
        .build()
        .expect("builds");
    let err = v
        .verify(
            &pdf,
            ValidationTime::from_unix(1_900_000_000).expect("time"),
        )
        .expect_err("over the size limit");
    assert!(matches!(err, docseal::pdf::PdfError::Limit { .. }), "{err}");
}

/// Flips one byte of the signature value of the last signature in `pdf` (the CMS ends with the
/// SignerInfo's signature OCTET STRING when there are no unsigned attributes).
fn corrupt_last_signature_value(pdf: &mut [u8]) {
    let start = pdf
        .windows(10)
        .rposition(|w| w == b"/Contents<" || w == b"/Contents ")
        .expect("a /Contents");
    let open = start + pdf[start..].iter().position(|b| *b == b'<').expect("<");
    let close = open + pdf[open..].iter().position(|b| *b == b'>').expect(">");
    let hex = &pdf[open + 1..close];
    let used = hex.len() - hex.iter().rev().take_while(|b| **b == b'0').count();
    let at = open + 1 + (used - 16) / 2 * 2; // a whole byte, 8 bytes before the end
    pdf[at] = if pdf[at] == b'f' || pdf[at] == b'F' {
        b'0'
    } else {
        b'f'
    };
}

#[test]
fn corrupted_signature_values_fail_for_every_algorithm() {
    let at = ValidationTime::from_unix(1_900_000_000).expect("time");
    let v = verifier(&["pki/bundle.pem"], &[]);
    for file in [
        "pades_rsa_pss.pdf",
        "pades_ed25519.pdf",
        "pades_p256.pdf",
        "pades_p384.pdf",
        "pades_sha512_rsa.pdf",
        "doc_timestamp.pdf",
        "openssl_pkcs7_noattr.pdf",
    ] {
        let mut pdf = std::fs::read(testdata().join("pdf").join(file)).expect("fixture");
        let before = v.verify(&pdf, at).expect("evaluates");
        let last = before.signatures.last().expect("a signature");
        assert_eq!(
            last.valid(),
            Some(true),
            "{file}: intact fixture must verify first: {}",
            last.reason()
        );
        corrupt_last_signature_value(&mut pdf);
        let after = v.verify(&pdf, at).expect("evaluates");
        let sig = after.signatures.last().expect("a signature");
        let sub = serde_json::to_value(sig.subindication()).expect("json");
        let allowed: &[&str] = if file == "openssl_pkcs7_noattr.pdf" {
            // Without signed attributes a bad signature cannot be told from changed bytes.
            &["SIG_CRYPTO_FAILURE", "HASH_FAILURE"]
        } else {
            &["SIG_CRYPTO_FAILURE"]
        };
        assert!(
            allowed.iter().any(|a| sub == *a) && sig.valid() == Some(false),
            "{file}: {sub} {}",
            sig.reason()
        );
    }
}
