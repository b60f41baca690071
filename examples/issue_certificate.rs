//! Issues a QR result certificate for a permit: signs the claims, prints the `VN1:` text, and
//! writes the printable code.
//!
//! ```text
//! issue_certificate --key KEY.pem --cert CERT.der --claims CLAIMS.json [--svg OUT.svg]
//!                   [--png OUT.png] [--dots N]
//! ```
//!
//! CLAIMS.json holds `docseal::qr::payload::Claims` as JSON (see that type's fields).

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use docseal::qr::{QrIssuer, payload::Claims};

/// Issue a signed QR result certificate.
#[derive(Parser, Debug)]
#[command(name = "issue_certificate", version)]
struct Args {
    /// The signer's private key: PKCS#8, PEM or DER (P-256 for ES256, or Ed25519).
    #[arg(long, value_name = "PATH")]
    key: PathBuf,
    /// The signer's certificate, PEM or DER: its SHA-256 gives the kid.
    #[arg(long, value_name = "PATH")]
    cert: PathBuf,
    /// The claims, as JSON.
    #[arg(long, value_name = "PATH")]
    claims: PathBuf,
    /// Write the code as SVG here.
    #[arg(long, value_name = "PATH")]
    svg: Option<PathBuf>,
    /// Write the code as PNG here.
    #[arg(long, value_name = "PATH")]
    png: Option<PathBuf>,
    /// Printer dots per QR module (4 at 300 dpi = 0.34 mm).
    #[arg(long, default_value_t = 4)]
    dots: u32,
}

fn main() -> ExitCode {
    match run(&Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("issue_certificate: {message}");
            ExitCode::from(3)
        }
    }
}

/// The DER inside a PEM file, or the file itself.
fn der(path: &PathBuf) -> Result<Vec<u8>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.starts_with(b"-----BEGIN") {
        let (_, pem) = x509_parser::pem::parse_x509_pem(&bytes)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        return Ok(pem.contents);
    }
    Ok(bytes)
}

fn run(args: &Args) -> Result<(), String> {
    let issuer =
        QrIssuer::from_pkcs8(&der(&args.key)?, &der(&args.cert)?).map_err(|e| e.to_string())?;
    let json =
        std::fs::read(&args.claims).map_err(|e| format!("{}: {e}", args.claims.display()))?;
    let claims: Claims = serde_json::from_slice(&json).map_err(|e| format!("claims: {e}"))?;
    let text = issuer.issue(&claims).map_err(|e| e.to_string())?;
    let printed = docseal::qr::print(&text, args.dots).map_err(|e| e.to_string())?;
    if let Some(path) = &args.svg {
        std::fs::write(path, &printed.svg).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.png {
        std::fs::write(path, &printed.png).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!(
        "QR version {}-Q, {} characters",
        printed.version,
        text.len()
    );
    println!("{text}");
    Ok(())
}
