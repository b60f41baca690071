//! The officer's command: is this signed permit genuine, unmodified, and issued by whom it says?
//!
//! ```text
//! verify_permit [--trust PATH]... [--certs PATH]... [--at RFC3339] [--json] [--lang vi|en] FILE...
//! ```
//!
//! Exit code, worst over all files: 0 valid, 1 invalid, 2 indeterminate, 3 could not evaluate.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, ValueEnum};
use docseal::{
    certs::CertificateSet,
    pdf::PdfVerifier,
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
    /// Validate as of this time (RFC 3339, e.g. 2026-01-31T09:00:00+07:00). Default: now.
    #[arg(long, value_name = "RFC3339")]
    at: Option<String>,
    /// Print JSON: one object per file, an array for several files.
    #[arg(long)]
    json: bool,
    /// Language of the human output.
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
    /// The PDF files to verify.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
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
    let anchors = load(&args.trust)?;
    if anchors.is_empty() {
        eprintln!("verify_permit: no --trust anchor given: no signature can be trusted");
    }
    let verifier = PdfVerifier::builder()
        .trust_anchors(anchors)
        .intermediates(load(&args.certs)?)
        .build()
        .map_err(|e| chain(&e))?;
    let at = match &args.at {
        Some(text) => ValidationTime::from_rfc3339(text).map_err(|e| e.to_string())?,
        None => now()?,
    };
    let lang = match args.lang {
        LangArg::Vi => Lang::Vi,
        LangArg::En => Lang::En,
    };
    let mut worst = Outcome::Valid;
    let mut json = Vec::new();
    for file in &args.files {
        let result = std::fs::read(file)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|pdf| verifier.verify(&pdf, at).map_err(|e| chain(&e)));
        let outcome = result.as_ref().map_or(Outcome::Error, |r| match r.verdict {
            Verdict::Valid => Outcome::Valid,
            Verdict::Invalid => Outcome::Invalid,
            Verdict::Indeterminate => Outcome::Indeterminate,
        });
        worst = worst.max(outcome);
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
