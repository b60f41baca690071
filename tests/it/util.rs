//! Shared helpers: fixture paths and verifier construction.

use std::path::{Path, PathBuf};

use docseal::{certs::CertificateSet, pdf::PdfVerifier};

/// `testdata/` of this checkout.
pub(crate) fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// A verifier trusting the given `testdata/`-relative anchor files, with extra intermediates.
pub(crate) fn verifier(trust: &[&str], certs: &[&str]) -> PdfVerifier {
    let load = |paths: &[&str]| {
        let mut set = CertificateSet::new();
        for p in paths {
            set.add_path(&testdata().join(p))
                .unwrap_or_else(|e| panic!("loading {p}: {e}"));
        }
        set
    };
    PdfVerifier::builder()
        .add_trust_anchors(load(trust))
        .add_intermediates(load(certs))
        .build()
        .expect("verifier builds")
}
