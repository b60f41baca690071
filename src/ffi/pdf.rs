//! Building a PDF verifier and verifying PDF bytes.

use std::ffi::c_char;

use super::{
    boundary::{
        FfiError, add_certificates, add_certificates_path, bytes_arg, ffi_call, free_handle,
        str_arg,
    },
    report::docseal_report,
    status::docseal_status,
};
use crate::{
    certs::CertificateSet,
    pdf::{AlgorithmPolicy, PdfVerifier, read_revocation},
    pki::revocation::{self, Kind},
    time::ValidationTime,
};

/// Collects trust anchors, intermediates, revocation data and the algorithm policy for a
/// `docseal_verifier`. Not thread-safe.
#[derive(Debug, Default)]
pub struct docseal_verifier_builder {
    anchors: CertificateSet,
    tsa_anchors: CertificateSet,
    intermediates: CertificateSet,
    crls: Vec<Vec<u8>>,
    ocsps: Vec<Vec<u8>>,
    policy: AlgorithmPolicy,
}

/// The algorithm profile of a verifier (see `docseal::pdf::AlgorithmPolicy`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum docseal_policy {
    /// Accepts RSA PKCS#1 v1.5 and SHA-1 proven made before 2026, listing each deviation.
    Practical = 0,
    /// Circular 15/2025/TT-BKHCN Annex I only.
    Legal = 1,
}

/// An immutable PDF signature verifier; may be shared by any number of threads.
#[derive(Debug)]
pub struct docseal_verifier(PdfVerifier);

/// A new, empty builder (no trust anchor: nothing would be trusted). Free it with
/// `docseal_verifier_builder_free`. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn docseal_verifier_builder_new() -> *mut docseal_verifier_builder {
    Box::into_raw(Box::default())
}

/// Frees a builder; NULL is a no-op.
///
/// # Safety
/// `builder` is NULL or comes from `docseal_verifier_builder_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_free(builder: *mut docseal_verifier_builder) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(builder) }
}

/// Adds trust anchors: one DER certificate or a PEM bundle (`bytes`, `len`). Nothing is added
/// on error.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `bytes` points to `len` readable bytes;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_trust_anchors(
    builder: *mut docseal_verifier_builder,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_certificates(builder, |b| &mut b.anchors, bytes, len, err_buf, err_len) }
}

/// Adds trust anchors from a file (PEM bundle or DER) or every `.pem`/`.crt`/`.cer`/`.der`
/// file of a directory; `path` is NUL-terminated UTF-8.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `path` is a NUL-terminated string;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_trust_path(
    builder: *mut docseal_verifier_builder,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_certificates_path(builder, |b| &mut b.anchors, path, err_buf, err_len) }
}

/// Adds intermediate CA certificates (not trusted by themselves): DER or a PEM bundle.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_anchors`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_intermediates(
    builder: *mut docseal_verifier_builder,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        add_certificates(
            builder,
            |b| &mut b.intermediates,
            bytes,
            len,
            err_buf,
            err_len,
        )
    }
}

/// Adds intermediate CA certificates from a file or directory, as
/// `docseal_verifier_builder_add_trust_path`.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_path`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_intermediates_path(
    builder: *mut docseal_verifier_builder,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_certificates_path(builder, |b| &mut b.intermediates, path, err_buf, err_len) }
}

/// Adds trust anchors for timestamp authorities (signature and document timestamps): DER or
/// a PEM bundle. While none is added, the signers' trust anchors serve.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_anchors`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_tsa_anchors(
    builder: *mut docseal_verifier_builder,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        add_certificates(
            builder,
            |b| &mut b.tsa_anchors,
            bytes,
            len,
            err_buf,
            err_len,
        )
    }
}

/// Adds timestamp-authority trust anchors from a file or directory, as
/// `docseal_verifier_builder_add_trust_path`.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_path`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_tsa_path(
    builder: *mut docseal_verifier_builder,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_certificates_path(builder, |b| &mut b.tsa_anchors, path, err_buf, err_len) }
}

/// Adds CRLs for revocation checking: one DER CRL or PEM `X509 CRL` blocks. Nothing is added
/// on error (`DOCSEAL_STATUS_INVALID_ARGUMENT` when the bytes are not CRLs).
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_anchors`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_crls(
    builder: *mut docseal_verifier_builder,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_revocation(builder, Kind::Crl, bytes, len, err_buf, err_len) }
}

/// Adds one OCSP response (DER) for revocation checking; nothing is added on error.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_anchors`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_ocsp(
    builder: *mut docseal_verifier_builder,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_revocation(builder, Kind::Ocsp, bytes, len, err_buf, err_len) }
}

/// Adds the CRLs of a file, or of the `.crl`/`.pem`/`.der` files of a directory
/// (`DOCSEAL_STATUS_IO` when unreadable, not CRLs, or none found); nothing is added on error.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_path`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_crls_path(
    builder: *mut docseal_verifier_builder,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_revocation_path(builder, Kind::Crl, path, err_buf, err_len) }
}

/// Adds the OCSP responses of a file, or of the `.ocsp`/`.der`/`.resp` files of a directory,
/// as `docseal_verifier_builder_add_crls_path`.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_path`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_ocsps_path(
    builder: *mut docseal_verifier_builder,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe { add_revocation_path(builder, Kind::Ocsp, path, err_buf, err_len) }
}

/// Sets the algorithm profile (`policy`: a `docseal_policy` value; any other number is
/// `DOCSEAL_STATUS_INVALID_ARGUMENT`). Default: `DOCSEAL_POLICY_PRACTICAL`.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `err_buf` is NULL or has `err_len`
/// writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_set_policy(
    builder: *mut docseal_verifier_builder,
    policy: u32,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        b.policy = match policy {
            0 => AlgorithmPolicy::Practical,
            1 => AlgorithmPolicy::Legal,
            other => {
                return Err(FfiError::Invalid(format!(
                    "policy {other} is not a docseal_policy"
                )));
            }
        };
        Ok(())
    })
}

/// Adds revocation data of `kind` from bytes.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_anchors`.
unsafe fn add_revocation(
    builder: *mut docseal_verifier_builder,
    kind: Kind,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(bytes, len, "bytes") }?;
        let blobs = revocation::blobs(bytes, kind).map_err(FfiError::Invalid)?;
        b.list(kind).extend(blobs);
        Ok(())
    })
}

/// Adds revocation data of `kind` from a file or directory.
///
/// # Safety
/// As `docseal_verifier_builder_add_trust_path`.
unsafe fn add_revocation_path(
    builder: *mut docseal_verifier_builder,
    kind: Kind,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        // SAFETY: caller contract.
        let path = unsafe { str_arg(path, "path") }?;
        let blobs = read_revocation(path.as_ref(), kind)?;
        b.list(kind).extend(blobs);
        Ok(())
    })
}

impl docseal_verifier_builder {
    fn list(&mut self, kind: Kind) -> &mut Vec<Vec<u8>> {
        match kind {
            Kind::Crl => &mut self.crls,
            Kind::Ocsp => &mut self.ocsps,
        }
    }
}

/// Builds a verifier from the builder's current content (the builder stays usable and must
/// still be freed). On success `*verifier_out` receives a verifier to free with
/// `docseal_verifier_free`.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `verifier_out` is writable;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_build(
    builder: *const docseal_verifier_builder,
    verifier_out: *mut *mut docseal_verifier,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_ref() }.ok_or(FfiError::Null("builder"))?;
        if verifier_out.is_null() {
            return Err(FfiError::Null("verifier_out"));
        }
        let mut builder = PdfVerifier::builder()
            .trust_anchors(b.anchors.clone())
            .intermediates(b.intermediates.clone())
            .algorithm_policy(b.policy);
        if !b.tsa_anchors.is_empty() {
            builder = builder.tsa_trust_anchors(b.tsa_anchors.clone());
        }
        for der in &b.crls {
            builder = builder.crl_der(der.clone());
        }
        for der in &b.ocsps {
            builder = builder.ocsp_der(der.clone());
        }
        let verifier = builder.build()?;
        let raw = Box::into_raw(Box::new(docseal_verifier(verifier)));
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { verifier_out.write(raw) };
        Ok(())
    })
}

/// Frees a verifier; NULL is a no-op.
///
/// # Safety
/// `verifier` is NULL or comes from `docseal_verifier_builder_build`, is not in use by another
/// thread, and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_free(verifier: *mut docseal_verifier) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(verifier) }
}

/// Verifies every signature in an in-memory PDF as of `at_unix` (seconds since 1970, UTC).
///
/// A signature that does not verify is not an error: the report says FAILED or INDETERMINATE.
/// Errors: `DOCSEAL_STATUS_NOT_PDF`, `_ENCRYPTED`, `_LIMIT`, `_INVALID_ARGUMENT` (time out of
/// range), `_NULL_ARGUMENT`. On `DOCSEAL_STATUS_OK`, `*report_out` receives a report to free
/// with `docseal_report_free`; otherwise it is untouched.
///
/// # Safety
/// `verifier` comes from `docseal_verifier_builder_build`; `pdf` points to `pdf_len` readable
/// bytes; `report_out` is writable; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_pdf_verify(
    verifier: *const docseal_verifier,
    pdf: *const u8,
    pdf_len: usize,
    at_unix: i64,
    report_out: *mut *mut docseal_report,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let verifier = unsafe { verifier.as_ref() }.ok_or(FfiError::Null("verifier"))?;
        if report_out.is_null() {
            return Err(FfiError::Null("report_out"));
        }
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(pdf, pdf_len, "pdf") }?;
        let report = verifier
            .0
            .verify(bytes, ValidationTime::from_unix(at_unix)?)?;
        let raw = Box::into_raw(Box::new(docseal_report::new(report)));
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { report_out.write(raw) };
        Ok(())
    })
}

/// Length of revision `n` (1-based) of an in-memory PDF: its first `*len_out` bytes are the
/// file as it was when that revision was written, i.e. what a signature with
/// `covers_revision: n` signed (see `docseal::pdf::extract_revision`).
///
/// Errors: `DOCSEAL_STATUS_INDEX_OUT_OF_RANGE` (no such revision, or `n` is 0),
/// `_LIMIT`, `_NULL_ARGUMENT`. On `DOCSEAL_STATUS_OK`, `*len_out` receives the length;
/// otherwise it is untouched.
///
/// # Safety
/// `pdf` points to `pdf_len` readable bytes; `len_out` is writable; `err_buf` is NULL or has
/// `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_pdf_revision_length(
    pdf: *const u8,
    pdf_len: usize,
    n: usize,
    len_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        if len_out.is_null() {
            return Err(FfiError::Null("len_out"));
        }
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(pdf, pdf_len, "pdf") }?;
        let revision = crate::pdf::extract_revision(bytes, n)?;
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { len_out.write(revision.len()) };
        Ok(())
    })
}
