//! The officer CLI `examples/verify_permit.rs`: exit codes, JSON shape, languages.

use std::process::Command;

use serde_json::Value;

use crate::util::testdata;

/// An example binary, built by cargo next to this test binary. Plain `cargo test` builds it;
/// `cargo test --all-targets` builds examples only as test harnesses, so it is built here
/// when missing (same profile, same target directory).
pub(crate) fn example(name: &str) -> Command {
    static BUILD: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let bin = dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let guard = BUILD
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !bin.exists() {
        let status = Command::new(env!("CARGO"))
            .args(["build", "--example", name])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cargo build --example {name} failed");
    }
    drop(guard);
    let mut cmd = Command::new(bin);
    cmd.current_dir(testdata());
    cmd
}

fn cli() -> Command {
    example("verify_permit")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = cli().args(args).output().expect("runs");
    (
        out.status.code().expect("exit code"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

const AT: &str = "--at=2030-03-17T17:46:40Z";

#[test]
fn exit_codes_follow_the_verdict() {
    for (file, code) in [
        ("pdf/sample_permit.pdf", 0),
        ("pdf/tampered_byte.pdf", 1),
        ("pdf/rogue_root.pdf", 2),
        ("pdf/not_a_pdf.pdf", 3),
        ("pdf/missing.pdf", 3),
    ] {
        let (got, out, err) = run(&["--trust", "pki/anchor.pem", AT, file]);
        assert_eq!(got, code, "{file}\n{out}\n{err}");
    }
    // Worst over several files: an error beats invalid beats indeterminate beats valid.
    let (code, ..) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "pdf/sample_permit.pdf",
        "pdf/rogue_root.pdf",
    ]);
    assert_eq!(code, 2);
    let (code, ..) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "pdf/rogue_root.pdf",
        "pdf/tampered_byte.pdf",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn json_has_the_documented_fields() {
    let (code, out, err) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "--json",
        "pdf/sample_permit.pdf",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("one JSON object");
    for key in [
        "verdict",
        "indication",
        "subindication",
        "signatures",
        "file",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    let sig = &v["signatures"][0];
    for key in [
        "field",
        "kind",
        "verdict",
        "indication",
        "subindication",
        "reason",
        "intact",
        "valid",
        "trusted",
        "coverage",
        "covers_revision",
        "signer",
        "signing_time",
        "warnings",
    ] {
        assert!(sig.get(key).is_some(), "missing signatures[0].{key}: {sig}");
    }
    assert_eq!(v["verdict"], "valid");
    let (_, out, _) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "--json",
        "pdf/sample_permit.pdf",
        "pdf/not_a_pdf.pdf",
    ]);
    let v: Value = serde_json::from_str(&out).expect("JSON array");
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    assert_eq!(v[1]["verdict"], "error");
}

#[test]
fn human_output_in_both_languages() {
    let (_, vi, _) = run(&["--trust", "pki/anchor.pem", AT, "pdf/sample_permit.pdf"]);
    assert!(
        vi.contains("Kết luận: HỢP LỆ") && vi.contains("Nguyễn Văn An"),
        "{vi}"
    );
    let (_, en, _) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "--lang",
        "en",
        "pdf/tampered_byte.pdf",
    ]);
    assert!(
        en.contains("Verdict: INVALID") && en.contains("HASH_FAILURE"),
        "{en}"
    );
    // A disallowed change after signing is FORMAT_FAILURE (the signed bytes are intact), and
    // is told as a change, not as a malformed signature, in both languages.
    for (lang, says) in [
        (
            "en",
            "changed after signing in a way the signer did not allow; FORMAT_FAILURE",
        ),
        (
            "vi",
            "tài liệu đã bị sửa đổi sau khi ký theo cách người ký không cho phép; FORMAT_FAILURE",
        ),
    ] {
        let (_, out, _) = run(&[
            "--trust",
            "pki/anchor.pem",
            AT,
            "--lang",
            lang,
            "pdf/shadow_hide.pdf",
        ]);
        let first = out.lines().next().unwrap_or_default();
        assert!(first.contains(says), "{out}");
    }
}

#[test]
fn bad_arguments_are_errors() {
    let (code, _, err) = run(&["--trust", "pki/does-not-exist.pem", "pdf/sample_permit.pdf"]);
    assert_eq!(code, 3, "{err}");
    let (code, _, err) = run(&[
        "--trust",
        "pki/anchor.pem",
        "--at",
        "yesterday",
        "pdf/sample_permit.pdf",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn qr_codes_from_images_and_text_files() {
    let trust = ["--qr-trust", "qr/certs/TEST-ONLY_vn1_es256.der", AT];
    for (file, code) in [
        ("qr/vn1_es256.png", 0),
        ("qr/vn1_es256.txt", 0),
        ("qr/vn1_expired.txt", 1),
        ("qr/vn1_wrong_key.txt", 2),
        ("pki/anchor.der", 3), // neither PDF, image nor text
    ] {
        let (got, out, err) = run(&[&trust[..], &[file]].concat());
        assert_eq!(got, code, "{file}\n{out}\n{err}");
    }
    let (code, out, err) = run(&[&trust[..], &["--json", "qr/vn1_es256.png"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    for key in [
        "qr_decoded",
        "prefix_ok",
        "base45_ok",
        "zlib_ok",
        "cose_ok",
        "signature_ok",
        "time_ok",
        "key_usage_ok",
        "issuer_trusted",
    ] {
        assert_eq!(v[key], true, "{key}: {v}");
    }
    assert_eq!(v["claims"]["result"]["holder_name"], "Nguyễn Văn An");
    assert!(v["qr_text"].as_str().is_some_and(|t| t.starts_with("VN1:")));
}

/// A file that is neither a PDF nor an image docseal reads says what it is not, and an image
/// in a format this build does not decode gets the image decoder's reason (issue 13 §1).
#[test]
fn files_that_are_not_pdfs_say_what_they_are() {
    let dir = std::env::temp_dir().join(format!("docseal-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let avif = dir.join("code.avif");
    // The start of an AVIF file (an ISO BMFF `ftyp` box, brand `avif`): an image, in a format
    // this build does not decode.
    std::fs::write(&avif, b"\0\0\0\x14ftypavif\0\0\0\0avif").expect("write");
    let avif = avif.to_str().expect("utf-8 path");
    let (code, out, err) = run(&[AT, "pdf/not_a_pdf.pdf", "pki/anchor.der"]);
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(!out.contains("loadable"), "{out}");
    let formats = "not a PDF, PNG, JPEG, TIFF, WebP, GIF or BMP";
    assert_eq!(out.matches(formats).count(), 2, "{out}");
    let (code, out, err) = run(&["--json", AT, avif]);
    assert_eq!(code, 3, "{out}\n{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let error = v["error"].as_str().expect("error");
    assert!(error.starts_with("the image cannot be read: "), "{v}");
    assert!(error.contains("Avif"), "{v}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn issue_certificate_then_verify_permit() {
    let out_dir = std::env::temp_dir().join(format!("docseal-issue-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("temp dir");
    let (svg, png) = (out_dir.join("permit.svg"), out_dir.join("permit.png"));
    let claims =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample_claims.json");
    let out = example("issue_certificate")
        .args(["--key", "qr/keys/TEST-ONLY_vn1_es256.key.pem"])
        .args(["--cert", "qr/certs/TEST-ONLY_vn1_es256.der", "--claims"])
        .arg(&claims)
        .arg("--svg")
        .arg(&svg)
        .arg("--png")
        .arg(&png)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("VN1:"), "{text}");
    assert!(std::fs::read_to_string(&svg).expect("svg").contains("<svg"));
    let png = png.to_str().expect("utf-8 path");
    let (code, out, err) = run(&["--qr-trust", "qr/certs/TEST-ONLY_vn1_es256.der", AT, png]);
    assert_eq!(code, 0, "{out}\n{err}");
    let _ = std::fs::remove_dir_all(&out_dir);
}

#[test]
fn extract_revision_writes_what_the_signer_signed() {
    let dir = std::env::temp_dir().join(format!("docseal-extract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let out = dir.join("signed.pdf");
    let out_arg = out.to_str().expect("utf-8 path");
    let file = "pdf/incremental_update.pdf";
    let (code, _, err) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "--extract-revision",
        "2",
        out_arg,
        file,
    ]);
    // The file itself is still judged: content was changed after signing.
    assert_eq!(code, 1, "{err}");
    let whole = std::fs::read(crate::util::testdata().join(file)).expect("fixture");
    let signed = std::fs::read(&out).expect("written");
    assert!(signed.len() < whole.len() && whole.starts_with(&signed));
    // What was signed verifies on its own, covering the whole (extracted) file.
    let (code, json, err) = run(&[
        "--trust",
        "pki/anchor.pem",
        "--crl",
        "pki/crl",
        AT,
        "--json",
        out_arg,
    ]);
    assert_eq!(code, 0, "{json}\n{err}");
    assert!(json.contains("\"ENTIRE_FILE\""), "{json}");
    for bad in ["0", "9", "two"] {
        let (code, _, err) = run(&["--extract-revision", bad, out_arg, file]);
        assert_eq!(code, 3, "revision {bad}: {err}");
    }
    let (code, _, err) = run(&["--extract-revision", "1", out_arg, file, file]);
    assert_eq!((code, err.contains("exactly one FILE")), (3, true), "{err}");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

/// `../shared/trust/vn` when this checkout has it (a user's clone does not).
fn shared_vn() -> Option<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/trust/vn");
    if dir.is_dir() {
        Some(dir.display().to_string())
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn list_trust_prints_one_line_per_anchor() {
    let (code, out, err) = run(&["--list-trust", "--trust", "pki/bundle.pem"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0]
            .starts_with("docseal TEST Root CA G1 | docseal test PKI - NOT FOR PRODUCTION | 2025-")
    );
    assert!(
        lines[0].ends_with("| 31fad1b34e54290f4e665a824b251e4653837cf4bac73daf6bcd094cac72dece")
    );
    let (code, out, _) = run(&["--list-trust", "--json", "--trust", "pki/root.pem"]);
    assert_eq!(code, 0);
    let list: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(list[0]["common_name"]["text"], "docseal TEST Root CA G1");
}

#[test]
fn trust_profile_vn_adds_the_pinned_vietnamese_roots() {
    let Some(vn) = shared_vn() else { return };
    let profile = format!("vn={vn}");
    let (code, out, err) = run(&["--list-trust", "--trust-profile", &profile]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        err.is_empty(),
        "complete profile, nothing to warn about: {err}"
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            "Vietnam National Root CA | Ministry of Information and Communications | \
             2014-04-15T16:29:20Z .. 2039-04-15T16:29:20Z | \
             bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
            "RootCA chuyên dùng Chính phủ G2 | Ban Cơ yếu Chính phủ | \
             2018-08-22T07:36:39Z .. 2048-08-14T07:36:39Z | \
             f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
        ]
    );
    // A PDF is still verified with the profile's anchors added to --trust.
    let (code, out, err) = run(&[
        "--trust-profile",
        &profile,
        "--trust",
        "pki/anchor.pem",
        AT,
        "pdf/sample_permit.pdf",
    ]);
    assert_eq!(code, 0, "{out}\n{err}");
}

#[test]
fn trust_profile_errors_exit_3() {
    for (spec, want) in [
        ("vn=pki", "no pinned root of profile vn in pki"),
        ("xx=pki", "unknown profile \"xx\" (known: vn)"),
        ("vn", "expected NAME=DIR"),
        ("vn=missing-dir", "cannot read missing-dir"),
    ] {
        let (code, out, err) = run(&["--list-trust", "--trust-profile", spec]);
        assert_eq!(code, 3, "{spec}\n{out}\n{err}");
        assert!(err.contains(want), "{spec}: {err}");
    }
}

#[test]
fn evidence_keeps_what_the_verdict_rests_on() {
    let dir = std::env::temp_dir().join(format!("docseal-evidence-{}", std::process::id()));
    let dir_arg = dir.to_str().expect("utf-8 path");
    let (code, _, err) = run(&[
        "--trust",
        "pki/anchor.pem",
        AT,
        "--evidence",
        dir_arg,
        "pdf/sample_permit.pdf",
    ]);
    assert_eq!(code, 0, "{err}");
    let sig = dir.join("sample_permit.pdf/01-Signature1");
    let signer = std::fs::read(sig.join("signer.der")).expect("signer certificate");
    let anchor = std::fs::read(crate::util::testdata().join("pki/anchor.der")).expect("anchor");
    // The path ends at the anchor; the revocation data that decided is kept, as DER CRLs.
    assert_eq!(
        std::fs::read(sig.join("chain-2.der")).expect("anchor in the path"),
        anchor
    );
    assert!(signer.starts_with(&[0x30]) && signer != anchor);
    for crl in [
        "revocation-1.crl",
        "revocation-2.crl",
        "timestamp/revocation-1.crl",
    ] {
        let der = std::fs::read(sig.join(crl)).unwrap_or_else(|e| panic!("{crl}: {e}"));
        assert!(der.starts_with(&[0x30]), "{crl} is DER");
    }
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("sample_permit.pdf/report.json")).expect("report"),
    )
    .expect("JSON");
    assert_eq!(report["verdict"], "valid");
    assert_eq!(report["signatures"][0]["pades_level"], "B-LT");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
