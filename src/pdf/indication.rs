//! ETSI EN 319 102-1 subindications for the PKI layer's typed errors.
//!
//! [`crate::pki`] knows nothing of reports; this is where its failures become the
//! subindications of a signature's checks.

use crate::{
    pki::{chain::ChainError, cms::CmsError, sigalg::AlgError},
    report::SubIndication,
};

/// A PKI error that stops a signature check, with the subindication it stops it with.
pub(crate) trait Indicated {
    /// The ETSI subindication of this failure.
    fn sub_indication(&self) -> SubIndication;
}

impl Indicated for CmsError {
    /// Every CMS structure error is a format failure (ETSI EN 319 102-1 §5.2.2).
    fn sub_indication(&self) -> SubIndication {
        match self {
            Self::Der(_)
            | Self::NotSignedData(_)
            | Self::SignerCount(_)
            | Self::TooManyCertificates(_)
            | Self::DuplicateAttribute(_)
            | Self::AttributeValues(_) => SubIndication::FormatFailure,
        }
    }
}

impl Indicated for AlgError {
    fn sub_indication(&self) -> SubIndication {
        match self {
            Self::Unsupported(_) => SubIndication::CryptoConstraintsFailure,
            Self::Malformed(_) => SubIndication::FormatFailure,
            Self::BadSignature | Self::KeyMismatch(_) => SubIndication::SigCryptoFailure,
        }
    }
}

impl Indicated for ChainError {
    fn sub_indication(&self) -> SubIndication {
        match self {
            Self::UnknownIssuer { .. }
            | Self::Loop { .. }
            | Self::BadSignature { .. }
            | Self::Budget(_)
            | Self::TooLong(_) => SubIndication::NoCertificateChainFound,
            Self::UnsupportedAlgorithm { .. }
            | Self::WeakAlgorithm { .. }
            | Self::WeakKey { .. } => SubIndication::CryptoConstraintsFailure,
            Self::NotCa { .. }
            | Self::CaKeyUsage { .. }
            | Self::PathLen { .. }
            | Self::UnknownCriticalExtension { .. }
            | Self::Malformed { .. }
            | Self::Policy { .. } => SubIndication::ChainConstraintsFailure,
            Self::Expired { .. } => SubIndication::OutOfBoundsNoPoe,
            Self::NotYetValid { .. } => SubIndication::NotYetValid,
        }
    }
}
