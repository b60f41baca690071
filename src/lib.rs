//! # docseal
//!
//! Lets public-administration systems trust documents: verifies the digital signatures in
//! signed PDFs the way strict validators do (pyHanko, EU DSS), with verdicts an officer can
//! act on.
//!
//! * [`pdf`]: PDF signature validation (ISO 32000-2 §12.8, PAdES): strict `/ByteRange`, CMS
//!   (RFC 5652), certificate paths to caller-supplied trust anchors, ETSI EN 319 102-1
//!   indications.
//! * [`qr`]: QR result certificates (COSE_Sign1 / CWT / Base45, like the EU DCC): issue and
//!   verify from text; EU DCC `HC1:` payloads verify with the same code.
//! * [`scan`]: scanned-page normalization: page detection against scanner borders, skew and
//!   orientation, one resampling pass to an upright cropped page.
//! * [`report`]: the report type, its JSON schema and its Vietnamese / English text.
//! * [`certs`]: trust anchors and intermediates from PEM, DER, bundles and directories;
//!   listed and removed by SHA-256 fingerprint; named trust profiles
//!   ([`certs::TrustProfile::vietnam`]) that trust installed root files only when their
//!   fingerprint is pinned.
//! * [`ffi`]: the C ABI (`include/docseal.h`), the only module with `unsafe`.
//!
//! Cargo features, all on by default: `pdf` (the [`pdf`] module; no image decoding is
//! compiled for it alone), `qr` (the [`qr`] module; reading codes from image files also needs
//! `scan`) and `scan` (the [`scan`] module, which reads each page's QR codes and so includes
//! `qr`). The C ABI exports the functions of the modules built.
//!
//! Nothing here reads the clock, the environment or (except [`certs::CertificateSet::add_path`]
//! and [`certs::TrustProfile::load_path`]) the file system: bytes and a
//! [`time::ValidationTime`] in, a report out.
//!
//! ```no_run
//! use docseal::{certs::CertificateSet, pdf::PdfVerifier, report::Lang, time::ValidationTime};
//!
//! let mut anchors = CertificateSet::new();
//! anchors.add_path("testdata/pki/anchor.pem".as_ref())?;
//! let verifier = PdfVerifier::builder().add_trust_anchors(anchors).build()?;
//! let report = verifier.verify(
//!     &std::fs::read("testdata/pdf/sample_permit.pdf")?,
//!     ValidationTime::from_unix(1_900_000_000)?,
//! )?;
//! print!("{}", report.to_text(Lang::Vi));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod certs;
#[allow(unsafe_code)]
pub mod ffi;
#[cfg(all(feature = "pdf", feature = "qr", feature = "scan"))]
#[doc(hidden)]
pub mod fuzzing;
pub mod limits;
#[cfg(feature = "pdf")]
pub mod pdf;
mod pki;
#[cfg(feature = "qr")]
pub mod qr;
pub mod report;
#[cfg(feature = "scan")]
pub mod scan;
pub mod time;

pub use pki::sigalg::DigestAlgorithm;
