//! The C ABI (STYLE.md §5, after rustls-ffi): the only module with `unsafe`.
//!
//! Conventions, for C readers of `include/docseal.h`:
//! * Handles (`docseal_*`) come from `_new` / `_build` / `_from_pkcs8` or a call that makes
//!   one (verify, issue, print) and go to their `_free`;
//!   `_free(NULL)` is a no-op. A `const` handle is never mutated.
//! * Fallible functions return a [`docseal_status`] and end with an optional message buffer
//!   (`err_buf`, `err_len`): NULL, or `err_len` writable bytes that receive a NUL-terminated
//!   UTF-8 message, cut on a character boundary, when the status is not `DOCSEAL_STATUS_OK`.
//! * Out-parameters are written only on success.
//! * A byte pointer is always followed by its length.
//! * An options struct passed by pointer (`docseal_limits`) starts with `struct_size`, set by
//!   its `_init` function to `sizeof` as the caller compiled it: versions only append fields,
//!   and the library reads the fields that size covers (defaults for the rest).
//! * A builder handle (`docseal_verifier_builder`) wraps the Rust builder and forwards each
//!   call to one of its methods: `_add_*` appends, `_remove_*` removes one item, `_set_*` sets
//!   one option; the defaults are the Rust ones.
//! * No panic crosses the boundary: it becomes `DOCSEAL_STATUS_PANIC` and a message.
//! * Thread safety: a `docseal_verifier`, `docseal_report`, `docseal_qr_verifier`,
//!   `docseal_qr_report`, `docseal_qr_issuer` and `docseal_buffer` may be used from several
//!   threads at once; a `docseal_verifier_builder` or `docseal_qr_verifier_builder` must not.
#![allow(non_camel_case_types)] // C names

mod boundary;
mod out;
#[cfg(feature = "pdf")]
mod pdf;
#[cfg(feature = "qr")]
mod qr;
#[cfg(feature = "pdf")]
mod report;
#[cfg(feature = "scan")]
mod scan;
mod status;

// The C ABI follows the Cargo features: a library built without `pdf`, `qr` or `scan` does not
// export that module's functions (include/docseal.h lists the default build, with all three).
#[cfg(feature = "qr")]
pub use self::qr::{
    docseal_qr_format, docseal_qr_issue, docseal_qr_issuer, docseal_qr_issuer_free,
    docseal_qr_issuer_from_pkcs8, docseal_qr_print, docseal_qr_report, docseal_qr_report_free,
    docseal_qr_report_json, docseal_qr_report_symbol_count, docseal_qr_report_symbol_verdict,
    docseal_qr_report_verdict, docseal_qr_verifier, docseal_qr_verifier_builder,
    docseal_qr_verifier_builder_add_signers, docseal_qr_verifier_builder_add_signers_path,
    docseal_qr_verifier_builder_build, docseal_qr_verifier_builder_free,
    docseal_qr_verifier_builder_new, docseal_qr_verifier_free, docseal_qr_verify_text,
};
pub use self::{
    boundary::{docseal_internal_panic_test, docseal_version},
    out::{docseal_buffer, docseal_buffer_data, docseal_buffer_free, docseal_verdict},
    status::{docseal_status, docseal_status_name},
};
#[cfg(feature = "pdf")]
pub use self::{
    pdf::{
        docseal_limits, docseal_limits_init, docseal_pdf_revision_length, docseal_pdf_verify,
        docseal_policy, docseal_verifier, docseal_verifier_builder,
        docseal_verifier_builder_add_crls, docseal_verifier_builder_add_crls_path,
        docseal_verifier_builder_add_intermediates,
        docseal_verifier_builder_add_intermediates_path, docseal_verifier_builder_add_ocsp,
        docseal_verifier_builder_add_ocsps_path, docseal_verifier_builder_add_trust_anchors,
        docseal_verifier_builder_add_trust_path, docseal_verifier_builder_add_trust_profile,
        docseal_verifier_builder_add_tsa_anchors, docseal_verifier_builder_add_tsa_path,
        docseal_verifier_builder_build, docseal_verifier_builder_free,
        docseal_verifier_builder_list_trust_anchors, docseal_verifier_builder_new,
        docseal_verifier_builder_remove_trust_anchor, docseal_verifier_builder_set_limits,
        docseal_verifier_builder_set_policy, docseal_verifier_free,
    },
    report::{
        docseal_lang, docseal_report, docseal_report_free, docseal_report_json,
        docseal_report_signature_count, docseal_report_signer, docseal_report_text,
        docseal_report_verdict,
    },
};
#[cfg(feature = "scan")]
pub use self::{
    qr::docseal_qr_verify_image,
    scan::{
        DOCSEAL_SCAN_BINARIZE, DOCSEAL_SCAN_COLOR, DOCSEAL_SCAN_NO_QR, DOCSEAL_SCAN_REFUSE_LOW_DPI,
        docseal_scan_normalize,
    },
};

// The header promises that verifiers, reports, issuers and buffers may be shared between
// threads.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<docseal_buffer>();
    #[cfg(feature = "pdf")]
    {
        shareable::<docseal_verifier>();
        shareable::<docseal_report>();
    }
    #[cfg(feature = "qr")]
    {
        shareable::<docseal_qr_verifier>();
        shareable::<docseal_qr_report>();
        shareable::<docseal_qr_issuer>();
    }
};
