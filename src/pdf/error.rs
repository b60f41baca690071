//! Why a document could not be evaluated at all.

/// Why a document could not be evaluated: no report can be produced.
///
/// A signature that does not verify is not an error: it is a FAILED or INDETERMINATE entry in
/// the [`Report`](crate::report::Report).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// lopdf could not load the bytes as a PDF.
    #[error("input is not a loadable PDF")]
    Load(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The document is encrypted; its signatures cannot be evaluated without decrypting it.
    #[error("the document is encrypted")]
    Encrypted,
    /// A configured limit was reached before evaluation finished.
    #[error("limit reached: {what} exceeds {max}")]
    Limit {
        /// What was counted.
        what: &'static str,
        /// The configured maximum.
        max: u64,
    },
    /// The file has no revision with that number (revisions are counted from 1).
    #[error("revision {requested} does not exist: the file has {count} revision(s)")]
    NoSuchRevision {
        /// The revision asked for.
        requested: usize,
        /// How many revisions the file has.
        count: usize,
    },
    /// A revocation data file given to the builder could not be read, or a directory held none.
    #[error("cannot read revocation data from {path}")]
    Read {
        /// The file or directory.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A trust anchor or intermediate given to the builder is not a certificate.
    #[error("invalid certificate given to the verifier")]
    Certificate(#[from] crate::certs::CertificateError),
}
