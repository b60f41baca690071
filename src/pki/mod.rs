//! Public-key infrastructure with no PDF in it: the layer the PDF verifier, the trust stores
//! and the QR certificates stand on.
//!
//! * [`der`]: a borrowing BER/DER reader, bounded in depth and length.
//! * [`oid`]: the object identifiers the other modules compare against.
//! * [`sigalg`]: digest and signature algorithms, mapped onto ring (and RSASSA-PSS salt
//!   lengths ring does not take).
//! * [`x509`]: certificates: names as text, keys, issuer signatures, one-line summaries.
//! * [`chain`]: certificate path building and validation to caller-supplied trust anchors
//!   (RFC 5280 §6), with [`policy`] processing (§6.1) on each path that reaches an anchor.
//! * [`cms`]: CMS SignedData (RFC 5652), parsed by borrowing.
//! * [`tst`]: RFC 3161 timestamp tokens' TSTInfo.
//! * [`revocation`]: CRL (RFC 5280) and OCSP (RFC 6960) status of one certificate.
//!
//! Everything here returns typed results and typed errors; nothing imports the report. The
//! PDF verifier ([`crate::pdf`]) maps those errors onto ETSI EN 319 102-1 indications
//! (`pdf::indication`).

// Without the `pdf` feature, only certificates, paths and the revocation types the report
// names have users (the trust stores, QR signers); the readers the PDF verifier alone uses are
// left compiled rather than cut by a cfg on each item.
#![cfg_attr(not(feature = "pdf"), allow(dead_code))]

pub(crate) mod chain;
#[cfg(feature = "pdf")]
pub(crate) mod cms;
pub(crate) mod der;
pub(crate) mod oid;
pub(crate) mod policy;
pub(crate) mod revocation;
pub(crate) mod sigalg;
#[cfg(feature = "pdf")]
pub(crate) mod tst;
pub(crate) mod x509;
