//! What docseal issues verifies with an independent implementation: pycose + cbor2 + base45 +
//! zlib, in `testdata/qr/gen/verify_with_pycose.py` (pinned in its `requirements.txt`).
//!
//! The Python interpreter of a virtual environment with those pins comes from
//! `DOCSEAL_PYCOSE_PYTHON` (`.ci/run` makes one). Without it these tests fail under `CI=true`
//! and otherwise skip, saying so.

use std::{
    io::{Read as _, Write as _},
    path::{Path, PathBuf},
    process::{Command, Output},
};

use docseal::qr::{
    QrIssuer, kid_of,
    payload::{Claims, PermitResult},
};

const PYTHON_VAR: &str = "DOCSEAL_PYCOSE_PYTHON";
const AT: i64 = 1_900_000_000;

/// The configured interpreter; `None` (skip) only outside CI.
fn python() -> Option<PathBuf> {
    match std::env::var_os(PYTHON_VAR) {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "{PYTHON_VAR} is not set under CI=true: .ci/run must create the pycose venv \
             (pip install -r testdata/qr/gen/requirements.txt) and export it"
        ),
        _ => {
            eprintln!(
                "SKIPPED: {PYTHON_VAR} is not set; to run: python3 -m venv /tmp/v && \
                 /tmp/v/bin/pip install -r testdata/qr/gen/requirements.txt && \
                 {PYTHON_VAR}=/tmp/v/bin/python cargo test qr_interop"
            );
            None
        }
    }
}

fn qr_dir() -> PathBuf {
    crate::util::testdata().join("qr")
}

/// The TEST-ONLY key (PKCS#8 DER out of its PEM) and certificate of `name` in testdata/qr.
fn test_signer(name: &str) -> (Vec<u8>, Vec<u8>, PathBuf) {
    let dir = qr_dir();
    let pem = std::fs::read(dir.join(format!("keys/TEST-ONLY_{name}.key.pem"))).expect("key");
    let (_, key) = x509_parser::pem::parse_x509_pem(&pem).expect("PEM");
    let cert_path = dir.join(format!("certs/TEST-ONLY_{name}.der"));
    let cert = std::fs::read(&cert_path).expect("cert");
    (key.contents, cert, cert_path)
}

/// Runs the verifier script on `texts` against `cert`.
fn run_script(python: &Path, cert: &Path, texts: &[String]) -> Output {
    let script = qr_dir().join("gen/verify_with_pycose.py");
    let output = Command::new(python)
        .arg(&script)
        .arg("--cert")
        .arg(cert)
        .args(texts)
        .output()
        .unwrap_or_else(|e| panic!("{PYTHON_VAR}={}: cannot run: {e}", python.display()));
    eprintln!(
        "{} --cert {}: exit {:?}\n{}",
        script.display(),
        cert.display(),
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A permit with every optional field, and one with none of them.
fn claim_sets() -> [Claims; 2] {
    let full = Claims {
        iss: Some("VN-HCM-QH1".into()),
        iat: Some(AT - 86_400),
        exp: AT + 365 * 86_400,
        nbf: Some(AT - 86_400),
        result: Some(PermitResult {
            procedure_code: "1.009972".into(),
            dossier_no: "000.00.01.H29-261122-0001".into(),
            decision_no: "123/GPXD".into(),
            holder_name: "Trần Thị Ngọc Ánh".into(),
            holder_id_sha256: "0123456789abcdef".repeat(4),
            issuer_name: "Ủy ban nhân dân Quận 1, Thành phố Hồ Chí Minh".into(),
            issue_date: "2030-03-16".into(),
            valid_until: Some("2031-03-16".into()),
            document_sha256: "4e1081b208ef35593dbbcc95e1f0aae44099757017837ddccece2447627f1c45"
                .into(),
            url: Some("https://dichvucong.example.vn/v/000.00.01.H29-261122-0001".into()),
        }),
    };
    let mut minimal = full.clone();
    minimal.nbf = None;
    if let Some(r) = minimal.result.as_mut() {
        r.valid_until = None;
        r.url = None;
        r.holder_name = "Đỗ Văn Bình".into();
    }
    [full, minimal]
}

/// The claims as the script prints them: absent optional fields left out.
fn without_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m
            .into_iter()
            .filter(|(_, x)| !x.is_null())
            .map(|(k, x)| (k, without_nulls(x)))
            .collect(),
        other => other,
    }
}

#[test]
fn docseal_issued_payloads_verify_with_pycose() {
    let Some(python) = python() else { return };
    for (name, alg) in [("vn1_es256", "ES256"), ("vn1_eddsa", "EdDSA")] {
        let (key, cert, cert_path) = test_signer(name);
        let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
        let claims = claim_sets();
        let texts: Vec<String> = claims
            .iter()
            .map(|c| issuer.issue(c).expect("issued"))
            .collect();
        let out = run_script(&python, &cert_path, &texts);
        assert!(
            out.status.success(),
            "{name}: pycose rejected docseal's payloads"
        );
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), texts.len(), "{name}: {stdout}");
        let kid: String = kid_of(&cert).iter().map(|b| format!("{b:02x}")).collect();
        for (line, issued) in lines.iter().zip(&claims) {
            let read: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            assert_eq!(read["alg"], alg, "{name}: {line}");
            assert_eq!(read["kid"], kid.as_str(), "{name}: {line}");
            let want = without_nulls(serde_json::to_value(issued).expect("claims JSON"));
            assert_eq!(read["claims"], want, "{name}: pycose read other claims");
        }
    }
}

/// The script is not a rubber stamp: next to an untouched control payload, each tampered one is
/// rejected at the stage that was broken.
#[test]
fn pycose_rejects_tampered_payloads() {
    let Some(python) = python() else { return };
    let (key, cert, cert_path) = test_signer("vn1_es256");
    let issuer = QrIssuer::from_pkcs8(&key, &cert).expect("issuer");
    let [claims, _] = claim_sets();
    let good = issuer.issue(&claims).expect("issued");
    let cose = unwrap_text(&good);

    // One letter of the signed holder name changed, re-compressed: still well-formed.
    let needle = "Ngọc Ánh".as_bytes();
    let at = cose
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("holder name in the COSE payload");
    let mut changed_claim = cose.clone();
    changed_claim[at] = b'M';
    let mut flipped_signature = cose.clone();
    *flipped_signature.last_mut().expect("non-empty") ^= 0x01;
    // Signed by another TEST-ONLY key, so its kid names another certificate.
    let (key_b, cert_b, _) = test_signer("vn1_es256_b");
    let other_signer = QrIssuer::from_pkcs8(&key_b, &cert_b)
        .expect("issuer")
        .issue(&claims)
        .expect("issued");

    let cases: [(&str, String, &str); 5] = [
        ("control", good.clone(), ""),
        ("changed claim", wrap_text(&changed_claim), "signature"),
        (
            "flipped signature bit",
            wrap_text(&flipped_signature),
            "signature",
        ),
        ("kid of another certificate", other_signer, "kid"),
        ("wrong prefix", good.replacen("VN1:", "VN2:", 1), "prefix"),
    ];
    let texts: Vec<String> = cases.iter().map(|(_, t, _)| t.clone()).collect();
    let out = run_script(&python, &cert_path, &texts);
    assert_eq!(out.status.code(), Some(1), "tampered payloads accepted");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(
        stdout.lines().count(),
        1,
        "only the control is valid: {stdout}"
    );
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    for (i, (name, _, stage)) in cases.iter().enumerate().skip(1) {
        let want = format!("{i}: {stage}: ");
        assert!(
            stderr.lines().any(|l| l.starts_with(&want)),
            "{name}: no line starting {want:?} in\n{stderr}"
        );
    }
    assert!(stderr.contains("1 valid, 4 invalid"), "{stderr}");
}

/// The COSE bytes inside a `VN1:` text.
fn unwrap_text(text: &str) -> Vec<u8> {
    let compressed = base45::decode(text.strip_prefix("VN1:").expect("VN1")).expect("Base45");
    let mut cose = Vec::new();
    flate2::read::ZlibDecoder::new(compressed.as_slice())
        .read_to_end(&mut cose)
        .expect("zlib");
    cose
}

/// COSE bytes back into a `VN1:` text.
fn wrap_text(cose: &[u8]) -> String {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(cose).expect("deflate");
    format!("VN1:{}", base45::encode(z.finish().expect("deflate")))
}
