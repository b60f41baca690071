//! PDF signature validation (ISO 32000-2 §12.8, PAdES / ETSI EN 319 142-1).
//!
//! [`PdfVerifier`] is built once with trust anchors, then verifies any number of documents:
//! every signature field is listed; each signature gets a strict `/ByteRange` check, a CMS
//! check (RFC 5652), a certificate path to the anchors and a verdict derived from those
//! checks. The validation time is an input.
//!
//! ```no_run
//! use docseal::{certs::CertificateSet, pdf::PdfVerifier, time::ValidationTime};
//!
//! let mut anchors = CertificateSet::new();
//! anchors.add_pem_or_der(&std::fs::read("testdata/pki/anchor.pem")?)?;
//! let verifier = PdfVerifier::builder().trust_anchors(anchors).build()?;
//! let pdf = std::fs::read("testdata/pdf/sample_permit.pdf")?;
//! let report = verifier.verify(&pdf, ValidationTime::from_rfc3339("2030-03-17T17:46:40Z")?)?;
//! println!("{}", report.to_json()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod byte_range;
pub(crate) mod chain;
mod cms;
mod error;
mod parse;
pub(crate) mod revisions;
mod signature;

use memchr::memmem;

pub use self::error::PdfError;
use crate::{
    certs::CertificateSet,
    limits::Limits,
    report::{
        Check, DocumentInfo, Indication, Report, SCHEMA_VERSION, Step, SubIndication, Verdict,
    },
    time::ValidationTime,
    x509::hex,
};

/// Verifies the signatures of PDF documents against a fixed set of trust anchors.
///
/// Immutable once built, `Send + Sync`: share one across threads.
#[derive(Clone, Debug)]
pub struct PdfVerifier {
    anchors: CertificateSet,
    intermediates: CertificateSet,
    limits: Limits,
}

/// Configures a [`PdfVerifier`].
#[derive(Clone, Debug, Default)]
pub struct PdfVerifierBuilder {
    anchors: CertificateSet,
    intermediates: CertificateSet,
    anchors_der: Vec<Vec<u8>>,
    limits: Limits,
}

impl PdfVerifier {
    /// A builder with no trust anchor, no extra intermediate and default [`Limits`].
    pub fn builder() -> PdfVerifierBuilder {
        PdfVerifierBuilder::default()
    }

    /// Verifies every signature in `pdf` as of `at`.
    ///
    /// A signature that does not verify is not an error: it is reported as FAILED or
    /// INDETERMINATE. A document without signatures is INDETERMINATE (SIGNED_DATA_NOT_FOUND).
    ///
    /// # Errors
    /// [`PdfError::Load`] when the bytes are not a loadable PDF, [`PdfError::Encrypted`],
    /// [`PdfError::Limit`] when the input exceeds a configured limit.
    pub fn verify(&self, pdf: &[u8], at: ValidationTime) -> Result<Report, PdfError> {
        let limits = &self.limits;
        if pdf.len() as u64 > limits.max_pdf_bytes {
            return Err(PdfError::Limit {
                what: "PDF size in bytes",
                max: limits.max_pdf_bytes,
            });
        }
        let revisions = revisions::scan(pdf, limits.max_revisions).ok_or(PdfError::Limit {
            what: "revisions",
            max: limits.max_revisions as u64,
        })?;
        let doc = parse::load(pdf, limits)?;
        let fields = parse::fields(&doc, limits)?;
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            verdict: Verdict::Valid,
            indication: Indication::Passed,
            subindication: None,
            reason: String::new(),
            validation_time: at.to_string(),
            document: DocumentInfo {
                size: pdf.len() as u64,
                sha256: String::new(), // below, sharing the signatures' hashing
                revisions: revisions.len().max(1),
            },
            signatures: Vec::new(),
            unsigned_fields: Vec::new(),
            warnings: Vec::new(),
            checks: Vec::new(),
        };
        if doc.xref_recovery.is_some() {
            report.warnings.push(
                "the cross-reference data was damaged and had to be repaired to read the file"
                    .to_owned(),
            );
        }
        let hasher = byte_range::PrefixHasher::new(pdf);
        let ctx = signature::Context {
            pdf,
            hasher: &hasher,
            revisions: &revisions,
            anchors: &self.anchors,
            intermediates: &self.intermediates,
            limits,
            at: at.unix(),
        };
        for field in fields {
            if field.orphan_widget {
                report.warnings.push(format!(
                    "signature field {} is a page widget not listed in the form's /Fields",
                    field.name.display()
                ));
            }
            match field.sig {
                Some(sig) => report
                    .signatures
                    .push(signature::verify(&ctx, field.name, &sig)),
                None => report.unsigned_fields.push(field.name),
            }
        }
        report.document.sha256 = hex(hasher.whole_file_sha256().as_ref());
        report.checks = document_checks(pdf, &report);
        report.derive();
        Ok(report)
    }
}

/// Checks about the document as a whole.
fn document_checks(pdf: &[u8], report: &Report) -> Vec<Check> {
    let mut checks = Vec::new();
    let n = report.signatures.len();
    checks.push(if n == 0 {
        Check::fail(
            Step::SignaturePresent,
            SubIndication::SignedDataNotFound,
            "the document has no signed signature field",
        )
    } else {
        Check::pass(Step::SignaturePresent, format!("{n} signature(s)"))
    });
    // Every signature dictionary holds /ByteRange. More of them in the file than the form
    // reaches means a signature was removed from the form or hidden outside it: what a
    // viewer shows is then not what all signers signed.
    let byte_ranges = memmem::find_iter(pdf, b"/ByteRange").count();
    if byte_ranges > n {
        checks.push(Check::fail(
            Step::LaterRevisions,
            SubIndication::SigConstraintsFailure,
            format!(
                "the file holds {byte_ranges} /ByteRange entries but the form reaches only {n} signature(s): a signature may have been removed or hidden"
            ),
        ));
    }
    checks
}

impl PdfVerifierBuilder {
    /// Trust anchors (root certificates or any certificate trusted directly). Default: none,
    /// so nothing is trusted.
    pub fn trust_anchors(mut self, anchors: CertificateSet) -> Self {
        self.anchors = anchors;
        self
    }

    /// Trust anchors as DER certificates, checked by [`Self::build`]. Default: none.
    pub fn trust_anchors_der(mut self, anchors: &[Vec<u8>]) -> Self {
        self.anchors_der.extend_from_slice(anchors);
        self
    }

    /// Intermediate CA certificates to use when the signature does not embed them. They are
    /// not trusted by themselves. Default: none.
    pub fn intermediates(mut self, intermediates: CertificateSet) -> Self {
        self.intermediates = intermediates;
        self
    }

    /// Resource limits for hostile input. Default: [`Limits::default`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Builds the verifier.
    ///
    /// # Errors
    /// [`PdfError::Certificate`] when a DER anchor given to
    /// [`Self::trust_anchors_der`] is not a certificate.
    pub fn build(self) -> Result<PdfVerifier, PdfError> {
        let mut anchors = self.anchors;
        for der in &self.anchors_der {
            anchors.add_der(der)?;
        }
        Ok(PdfVerifier {
            anchors,
            intermediates: self.intermediates,
            limits: self.limits,
        })
    }
}
