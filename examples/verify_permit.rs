//! The officer's command: is this signed permit genuine, unmodified, and issued by whom it says?
//!
//! ```text
//! verify_permit [--trust PATH]... [--trust-profile NAME=DIR]... [--certs PATH]...
//!               [--tsa-trust PATH]... [--crl PATH]... [--ocsp PATH]...
//!               [--policy practical|legal] [--qr-trust PATH]... [--at RFC3339]
//!               [--json] [--lang vi|en] [--extract-revision N OUT] [--evidence DIR]
//!               FILE...
//! verify_permit [--trust PATH]... [--trust-profile NAME=DIR]... --list-trust [--json]
//! ```
//!
//! `--trust-profile vn=DIR` trusts the Vietnamese roots installed in DIR only when their SHA-256
//! fingerprints match the ones pinned in the library (`docseal::certs::TrustProfile`).
//!
//! A FILE is a signed PDF, a photo, scan or screenshot (PNG, JPEG, TIFF, WebP, GIF, BMP; whatever
//! image formats the build reads) of a permit's QR code, or a text file holding a QR payload
//! (`VN1:…` or `HC1:…`). An image in a format the build does not read (AVIF) gets the image
//! decoder's reason; a file that is neither is reported as "not a PDF, PNG, JPEG, TIFF, WebP,
//! GIF or BMP" (the formats this build reads).
//!
//! Exit code, worst over all files: 0 valid, 1 invalid, 2 indeterminate, 3 could not evaluate.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, ValueEnum};
use docseal::{
    certs::CertificateSet,
    pdf::{AlgorithmPolicy, PdfError, PdfVerifier},
    qr::{QrReport, QrVerifier},
    report::{Lang, Report, Verdict},
    time::ValidationTime,
};

/// Verify the digital signatures of signed PDF permits.
#[derive(Parser, Debug)]
#[command(name = "verify_permit", version)]
struct Args {
    /// Trust anchor: a PEM/DER certificate, a PEM bundle, or a directory of them (repeatable).
    #[arg(long, value_name = "PATH")]
    trust: Vec<PathBuf>,
    /// Extra intermediate CA certificates, same forms as --trust (repeatable; not trusted).
    #[arg(long, value_name = "PATH")]
    certs: Vec<PathBuf>,
    /// Trust anchors for timestamp authorities, same forms as --trust (repeatable).
    /// Default: the --trust anchors.
    #[arg(long, value_name = "PATH")]
    tsa_trust: Vec<PathBuf>,
    /// CRLs for revocation checking: a DER/PEM file or a directory of .crl/.pem/.der files
    /// (repeatable). Used with those in the signatures and the document; nothing is fetched.
    #[arg(long, value_name = "PATH")]
    crl: Vec<PathBuf>,
    /// OCSP responses (DER): a file or a directory of .ocsp/.der/.resp files (repeatable).
    #[arg(long, value_name = "PATH")]
    ocsp: Vec<PathBuf>,
    /// Algorithm profile: practical (lists every deviation from the legal profile) or legal
    /// (Circular 15/2025/TT-BKHCN Annex I only).
    #[arg(long, value_enum, default_value = "practical")]
    policy: PolicyArg,
    /// Trusted QR signer certificates (PEM/DER, bundles, directories; repeatable).
    #[arg(long, value_name = "PATH")]
    qr_trust: Vec<PathBuf>,
    /// Validate as of this time (RFC 3339, e.g. 2026-01-31T09:00:00+07:00). Default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Print JSON: one object per file, an array for several files.
    #[arg(long)]
    json: bool,
    /// Language of the human output.
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// Also write revision N (1-based) of the PDF to OUT: the file as it was when that
    /// revision was written, i.e. what a signature covering revision N signed. One FILE only.
    #[arg(long, num_args = 2, value_names = ["N", "OUT"])]
    extract_revision: Vec<String>,
    /// Named trust profile as NAME=DIR (repeatable; `vn`: Vietnam National Root CA and
    /// RootCA chuyên dùng Chính phủ G2): trusts the roots installed in DIR whose SHA-256 the
    /// profile pins, and the CA certificates there that chain to them as intermediates.
    #[arg(long, value_name = "NAME=DIR")]
    trust_profile: Vec<String>,
    /// Print the trust anchors, one line each (CN | O | validity | SHA-256), and exit.
    #[arg(long)]
    list_trust: bool,
    /// Keep the evidence of each verdict in DIR/<file name>/: the JSON report, and per
    /// signature its JSON, the signer certificate, the path and the CRLs / OCSP responses
    /// that decided the revocation status (DER files), so a verdict can be audited later.
    #[arg(long, value_name = "DIR")]
    evidence: Option<PathBuf>,
    /// The PDF files to verify.
    #[arg(required_unless_present = "list_trust", value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PolicyArg {
    Practical,
    Legal,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

/// Outcome of one file, ordered from best to worst for the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Valid,
    Indeterminate,
    Invalid,
    Error,
}

impl Outcome {
    fn code(self) -> u8 {
        match self {
            Self::Valid => 0,
            Self::Invalid => 1,
            Self::Indeterminate => 2,
            Self::Error => 3,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(message) => {
            eprintln!("verify_permit: {message}");
            ExitCode::from(Outcome::Error.code())
        }
    }
}

fn run(args: &Args) -> Result<Outcome, String> {
    let load = |paths: &[PathBuf]| -> Result<CertificateSet, String> {
        let mut set = CertificateSet::new();
        for path in paths {
            set.add_path(path).map_err(|e| chain(&e))?;
        }
        Ok(set)
    };
    let mut anchors = load(&args.trust)?;
    let mut intermediates = load(&args.certs)?;
    if trust_profiles(args, &mut anchors, &mut intermediates)? {
        return Ok(Outcome::Valid); // --list-trust
    }
    let mut warn_no_anchor = anchors.is_empty();
    let mut builder = PdfVerifier::builder()
        .add_trust_anchors(anchors)
        .add_intermediates(intermediates)
        .algorithm_policy(match args.policy {
            PolicyArg::Practical => AlgorithmPolicy::Practical,
            PolicyArg::Legal => AlgorithmPolicy::Legal,
        });
    if !args.tsa_trust.is_empty() {
        builder = builder.add_tsa_trust_anchors(load(&args.tsa_trust)?);
    }
    for path in &args.crl {
        builder = builder.add_crls_path(path).map_err(|e| chain(&e))?;
    }
    for path in &args.ocsp {
        builder = builder.add_ocsps_path(path).map_err(|e| chain(&e))?;
    }
    let verifier = builder.build().map_err(|e| chain(&e))?;
    let at = match &args.at {
        Some(text) => ValidationTime::from_rfc3339(text).map_err(|e| e.to_string())?,
        None => now()?,
    };
    let lang = match args.lang {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    };
    let mut qr = QrVerifier::builder();
    for der in load(&args.qr_trust)?.iter_der() {
        qr = qr.signer_certificate_der(der).map_err(|e| chain(&e))?;
    }
    let qr = qr.build();
    if let [n, out] = args.extract_revision.as_slice() {
        extract(args, n, out)?;
    }
    let mut worst = Outcome::Valid;
    let mut json = Vec::new();
    for file in &args.files {
        let bytes = std::fs::read(file).map_err(|e| format!("cannot read: {e}"));
        if let Ok(bytes) = &bytes
            && looks_like_qr(file, bytes)
        {
            let payloads = check_qr(bytes, &qr, at);
            let outcomes: Vec<Outcome> = payloads.as_ref().map_or(vec![Outcome::Error], |p| {
                p.iter().map(|(_, r)| outcome(r.verdict)).collect()
            });
            worst = outcomes.into_iter().fold(worst, Outcome::max);
            if args.json {
                json.extend(qr_json(file, &payloads)?);
            } else {
                print_qr(file, &payloads);
            }
            continue;
        }
        if std::mem::take(&mut warn_no_anchor) {
            eprintln!("verify_permit: no --trust anchor given: no signature can be trusted");
        }
        let result = bytes.and_then(|pdf| {
            verifier.verify(&pdf, at).map_err(|e| match e {
                // No `%PDF-` where a PDF has it: say what docseal reads, not what lopdf saw.
                PdfError::Load(_) if !pdf_header(&pdf) => not_accepted(),
                e => chain(&e),
            })
        });
        if let (Some(dir), Ok(report)) = (&args.evidence, &result) {
            write_evidence(dir, file, report)?;
        }
        worst = worst.max(
            result
                .as_ref()
                .map_or(Outcome::Error, |r| outcome(r.verdict())),
        );
        if args.json {
            json.push(json_entry(file, &result)?);
        } else {
            print_human(file, &result, lang, args.files.len() > 1);
        }
    }
    if args.json {
        let value = match <[_; 1]>::try_from(json) {
            Ok([one]) => one,
            Err(many) => serde_json::Value::Array(many),
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        );
    }
    Ok(worst)
}

/// Adds the anchors and verified intermediates of every `--trust-profile NAME=DIR` (what was
/// missing or refused goes to stderr); with `--list-trust`, prints the anchors and returns true.
fn trust_profiles(
    args: &Args,
    anchors: &mut CertificateSet,
    intermediates: &mut CertificateSet,
) -> Result<bool, String> {
    use docseal::certs::TrustProfile;
    for spec in &args.trust_profile {
        let Some((name, dir)) = spec.split_once('=') else {
            return Err(format!("--trust-profile {spec:?}: expected NAME=DIR"));
        };
        let profile = TrustProfile::builtin(name).ok_or_else(|| {
            let known = TrustProfile::builtin_names().join(", ");
            format!("--trust-profile: unknown profile {name:?} (known: {known})")
        })?;
        let load = profile.load_path(dir.as_ref()).map_err(|e| chain(&e))?;
        if load.found.is_empty() {
            return Err(format!("{load}\nno pinned root of profile {name} in {dir}"));
        }
        if !load.is_complete() {
            eprintln!("verify_permit: {load}");
        }
        anchors.add_set(&load.anchors);
        intermediates.add_set(&load.intermediates);
    }
    if !args.list_trust {
        return Ok(false);
    }
    if args.json {
        let list = serde_json::to_string_pretty(&anchors.list()).map_err(|e| e.to_string())?;
        println!("{list}");
    } else {
        for anchor in anchors.list() {
            println!("{}", anchor.summary());
        }
    }
    Ok(true)
}

/// Writes revision `n` of the only FILE to `out`.
fn extract(args: &Args, n: &str, out: &str) -> Result<(), String> {
    let [file] = args.files.as_slice() else {
        return Err("--extract-revision takes exactly one FILE".to_owned());
    };
    let n: usize = n
        .parse()
        .map_err(|_| format!("--extract-revision: {n:?} is not a revision number"))?;
    let pdf = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let revision = docseal::pdf::extract_revision(&pdf, n).map_err(|e| chain(&e))?;
    std::fs::write(out, revision).map_err(|e| format!("cannot write {out}: {e}"))?;
    eprintln!(
        "verify_permit: revision {n} of {} ({} of {} bytes) written to {out}",
        file.display(),
        revision.len(),
        pdf.len()
    );
    Ok(())
}

fn outcome(verdict: Verdict) -> Outcome {
    match verdict {
        Verdict::Valid => Outcome::Valid,
        Verdict::Invalid => Outcome::Invalid,
        Verdict::Indeterminate => Outcome::Indeterminate,
    }
}

/// Whether the bytes start like an image (by magic number), readable by this build or not:
/// such a file goes to the image decoder, whose reason is the one to report.
fn is_image(bytes: &[u8]) -> bool {
    use image::ImageFormat::{Avif, Bmp, Gif, Jpeg, Png, Tiff, WebP};
    image::guess_format(bytes).is_ok_and(|f| [Png, Jpeg, Tiff, WebP, Gif, Bmp, Avif].contains(&f))
}

/// A PDF header (`%PDF-`) within the first 1024 bytes, where readers look for it (ISO 32000-2
/// §7.5.2 puts it first; Acrobat tolerates leading bytes up to 1 KiB).
fn pdf_header(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// The message for a file that is none of the formats docseal reads, listing the image formats
/// this build decodes (so it stays true as formats are added).
fn not_accepted() -> String {
    use image::ImageFormat::{Bmp, Gif, Jpeg, Png, Tiff, WebP};
    let mut names: Vec<&str> = [
        (Png, "PNG"),
        (Jpeg, "JPEG"),
        (Tiff, "TIFF"),
        (WebP, "WebP"),
        (Gif, "GIF"),
        (Bmp, "BMP"),
    ]
    .into_iter()
    .filter(|(f, _)| f.reading_enabled())
    .map(|(_, n)| n)
    .collect();
    names.insert(0, "PDF");
    let last = names.pop().unwrap_or("PDF");
    format!("not a {} or {last}", names.join(", "))
}

/// An image (see [`is_image`]), a `.txt` file, or text that starts like a QR payload (`XX1:`);
/// every other file is treated as a PDF.
fn looks_like_qr(file: &std::path::Path, bytes: &[u8]) -> bool {
    let image = is_image(bytes);
    let txt = file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    let start = bytes.trim_ascii_start();
    let payload = start.len() > 4
        && start[..3]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && start[3] == b':';
    image || txt || payload
}

/// QR payloads of a file: every code found in an image, or the text of a text file.
fn check_qr(
    bytes: &[u8],
    qr: &QrVerifier,
    at: ValidationTime,
) -> Result<Vec<(Option<String>, QrReport)>, String> {
    if !is_image(bytes) {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| format!("{}, nor UTF-8 text", not_accepted()))?;
        return Ok(vec![(None, qr.verify_text(text, at))]);
    }
    let symbols = docseal::qr::decode_image(bytes).map_err(|e| chain(&e))?;
    let texts: Vec<String> = symbols.into_iter().filter_map(Result::ok).collect();
    if texts.is_empty() {
        return Err("no readable QR code found in the image".into());
    }
    Ok(texts
        .into_iter()
        .map(|t| {
            let report = qr.verify_text(&t, at);
            (Some(t), report)
        })
        .collect())
}

/// One JSON object per QR payload, with the stage booleans at the top level.
fn qr_json(
    file: &std::path::Path,
    payloads: &Result<Vec<(Option<String>, QrReport)>, String>,
) -> Result<Vec<serde_json::Value>, String> {
    let list = match payloads {
        Ok(list) => list,
        Err(message) => {
            return Ok(vec![serde_json::json!({
                "file": file.display().to_string(), "verdict": "error", "qr_decoded": false,
                "error": message,
            })]);
        }
    };
    list.iter()
        .map(|(text, report)| {
            let mut value = report
                .to_json_value(text.as_deref())
                .map_err(|e| e.to_string())?;
            if let Some(o) = value.as_object_mut() {
                o.insert("file".into(), file.display().to_string().into());
            }
            Ok(value)
        })
        .collect()
}

fn print_qr(file: &std::path::Path, payloads: &Result<Vec<(Option<String>, QrReport)>, String>) {
    println!("== {} (QR) ==", file.display());
    match payloads {
        Err(message) => println!("  {message}"),
        Ok(list) => {
            for (_, report) in list {
                println!("  {:?}", report.verdict);
                for s in &report.stages {
                    println!(
                        "    [{}] {:?}: {}",
                        if s.ok { "ok" } else { "!!" },
                        s.stage,
                        s.reason
                    );
                }
                if let Some(r) = report.claims.as_ref().and_then(|c| c.result.as_ref()) {
                    println!(
                        "    {} — {} — {} ({})",
                        r.decision_no, r.holder_name, r.issuer_name, r.issue_date
                    );
                }
            }
        }
    }
}

/// Writes `report`'s evidence under `dir/<file name>/`.
fn write_evidence(
    dir: &std::path::Path,
    file: &std::path::Path,
    report: &Report,
) -> Result<(), String> {
    let name = file
        .file_name()
        .map_or_else(|| "document".into(), |n| n.to_string_lossy());
    let root = dir.join(name.as_ref());
    let write = |path: &std::path::Path, bytes: &[u8]| {
        std::fs::create_dir_all(path.parent().unwrap_or(path))
            .and_then(|()| std::fs::write(path, bytes))
            .map_err(|e| format!("cannot write evidence {}: {e}", path.display()))
    };
    let json = report.to_json().map_err(|e| e.to_string())?;
    write(&root.join("report.json"), json.as_bytes())?;
    for (i, sig) in report.signatures.iter().enumerate() {
        let field: String = sig
            .field
            .display()
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let sig_dir = root.join(format!("{:02}-{field}", i + 1));
        let json = serde_json::to_string_pretty(sig).map_err(|e| e.to_string())?;
        write(&sig_dir.join("signature.json"), json.as_bytes())?;
        let mut parts = vec![(sig_dir.clone(), &sig.evidence)];
        if let Some(ts) = &sig.timestamp {
            parts.push((sig_dir.join("timestamp"), &ts.evidence));
        }
        for (at, evidence) in parts {
            if let Some(signer) = &evidence.signer {
                write(&at.join("signer.der"), signer)?;
            }
            for (k, der) in evidence.chain.iter().enumerate() {
                write(&at.join(format!("chain-{}.der", k + 1)), der)?;
            }
            for (k, (kind, der)) in evidence.revocation.iter().enumerate() {
                write(&at.join(format!("revocation-{}.{kind}", k + 1)), der)?;
            }
        }
    }
    Ok(())
}

fn json_entry(
    file: &std::path::Path,
    result: &Result<Report, String>,
) -> Result<serde_json::Value, String> {
    let mut value = match result {
        Ok(report) => serde_json::to_value(report).map_err(|e| e.to_string())?,
        Err(message) => serde_json::json!({ "verdict": "error", "error": message }),
    };
    if let Some(object) = value.as_object_mut() {
        object.insert("file".into(), file.display().to_string().into());
    }
    Ok(value)
}

fn print_human(file: &std::path::Path, result: &Result<Report, String>, lang: Lang, header: bool) {
    if header {
        println!("== {} ==", file.display());
    }
    match result {
        Ok(report) => print!("{}", report.to_text(lang)),
        Err(message) => {
            let what = match lang {
                Lang::Vi => "Không kiểm tra được tệp",
                Lang::En => "Could not evaluate",
            };
            println!("{what} {}: {message}", file.display());
        }
    }
    if header {
        println!();
    }
}

/// An error and its sources on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn now() -> Result<ValidationTime, String> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs();
    ValidationTime::from_unix(i64::try_from(secs).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())
}
