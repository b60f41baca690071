//! Building a PDF verifier and verifying PDF bytes.

use std::ffi::c_char;

use super::{
    boundary::{
        FfiError, add_certificates, add_certificates_path, bytes_arg, ffi_call, free_handle,
        str_arg,
    },
    out::{docseal_buffer, give},
    report::docseal_report,
    status::docseal_status,
};
use crate::{
    certs::{Fingerprint, TrustProfile},
    limits::Limits,
    pdf::{AlgorithmPolicy, PdfVerifier, PdfVerifierBuilder, read_revocation},
    pki::revocation::{self, Kind},
    time::ValidationTime,
};

/// A `docseal::pdf::PdfVerifierBuilder` behind a C handle: every `docseal_verifier_builder_*`
/// function forwards to one method of it, so C gets the Rust defaults and meanings (each
/// `_add_*` appends; while no TSA anchor was added, timestamps are checked against the
/// signers' trust anchors). Not thread-safe.
#[derive(Debug, Default)]
pub struct docseal_verifier_builder(PdfVerifierBuilder);

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
    unsafe {
        add_certificates(
            builder,
            |b, set| b.update(|r| r.add_trust_anchors(set)),
            bytes,
            len,
            err_buf,
            err_len,
        )
    }
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
    unsafe {
        add_certificates_path(
            builder,
            |b, set| b.update(|r| r.add_trust_anchors(set)),
            path,
            err_buf,
            err_len,
        )
    }
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
            |b, set| b.update(|r| r.add_intermediates(set)),
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
    unsafe {
        add_certificates_path(
            builder,
            |b, set| b.update(|r| r.add_intermediates(set)),
            path,
            err_buf,
            err_len,
        )
    }
}

/// Adds trust anchors for timestamp authorities (signature and document timestamps): DER or
/// a PEM bundle. Default: none, and while there is none the signers' trust anchors serve;
/// once one is added, timestamps are checked against the TSA anchors only (as in Rust,
/// `PdfVerifierBuilder::add_tsa_trust_anchors`).
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
            |b, set| b.update(|r| r.add_tsa_trust_anchors(set)),
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
    unsafe {
        add_certificates_path(
            builder,
            |b, set| b.update(|r| r.add_tsa_trust_anchors(set)),
            path,
            err_buf,
            err_len,
        )
    }
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
        let policy = match policy {
            0 => AlgorithmPolicy::Practical,
            1 => AlgorithmPolicy::Legal,
            other => {
                return Err(FfiError::Invalid(format!(
                    "policy {other} is not a docseal_policy"
                )));
            }
        };
        b.update(|r| r.algorithm_policy(policy));
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
        b.add_revocation(kind, blobs);
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
        b.add_revocation(kind, blobs);
        Ok(())
    })
}

impl docseal_verifier_builder {
    /// Applies one by-value builder method to the Rust builder in place. Only infallible
    /// methods go through here, so an error never leaves the handle without its builder:
    /// fallible steps (parsing, reading files) run before.
    pub(super) fn update(&mut self, f: impl FnOnce(PdfVerifierBuilder) -> PdfVerifierBuilder) {
        self.0 = f(std::mem::take(&mut self.0));
    }

    /// Appends revocation blobs already checked to be of `kind`.
    fn add_revocation(&mut self, kind: Kind, blobs: Vec<Vec<u8>>) {
        self.update(|mut r| {
            for der in blobs {
                r = match kind {
                    Kind::Crl => r.add_crl_der(der),
                    Kind::Ocsp => r.add_ocsp_der(der),
                };
            }
            r
        });
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
        let verifier = b.0.clone().build()?;
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

/// The resource limits of a verifier (`docseal::limits::Limits`), one field per limit, for
/// `docseal_verifier_builder_set_limits`.
///
/// Versioned by its size: fill it with `docseal_limits_init(&limits, sizeof limits, …)`, then
/// change the fields you need. Later versions only append fields; a library reads the fields
/// that `struct_size` covers and keeps its default for the others, and refuses a
/// `struct_size` larger than it knows (a header newer than the library).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct docseal_limits {
    /// `sizeof(docseal_limits)` as the caller compiled it; written by `docseal_limits_init`.
    pub struct_size: usize,
    /// Largest PDF accepted, in bytes. Default 512 MiB.
    pub max_pdf_bytes: u64,
    /// Most revisions (incremental updates) examined. Default 256.
    pub max_revisions: u64,
    /// Most signature fields examined in one document. Default 256.
    pub max_signatures: u64,
    /// Largest decoded `/Contents` (CMS) of one signature, in bytes. Default 4 MiB.
    pub max_cms_bytes: u64,
    /// Deepest ASN.1 nesting read in a CMS blob. Default 32.
    pub max_der_depth: u64,
    /// Most certificates taken from one CMS plus the caller's intermediates. Default 256.
    pub max_certificates: u64,
    /// Deepest form-field tree (`/Kids`) followed. Default 32.
    pub max_field_depth: u64,
    /// Most stream `/Length` entries that lead to another stream. Default 2048.
    pub max_indirect_stream_lengths: u64,
    /// Largest decompressed object or cross-reference stream, in bytes. Default 256 MiB.
    pub max_decompressed_bytes: u64,
    /// Most signature verifications spent searching for one certificate path. Default 100.
    pub max_path_signature_checks: u64,
    /// Longest certificate path, anchor excluded. Default 8.
    pub max_path_length: u64,
    /// Largest certificate policy graph built for one path. Default 1000.
    pub max_policy_nodes: u64,
    /// Most bytes parsed to compare revisions. Default 1 GiB.
    pub max_compared_bytes: u64,
}

/// Fills `*limits` with the library's defaults (those of `docseal_verifier_builder_new`) and
/// sets `limits->struct_size` to `struct_size`, which must be `sizeof(docseal_limits)` as
/// the caller compiled it. Only the first `struct_size` bytes are written.
///
/// Errors: `DOCSEAL_STATUS_NULL_ARGUMENT`; `DOCSEAL_STATUS_INVALID_ARGUMENT` when
/// `struct_size` is smaller than the first version of the struct or larger than this library
/// knows. On error `*limits` is untouched.
///
/// # Safety
/// `limits` is NULL or points to `struct_size` writable bytes; `err_buf` is NULL or has
/// `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_limits_init(
    limits: *mut docseal_limits,
    struct_size: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        if limits.is_null() {
            return Err(FfiError::Null("limits"));
        }
        check_limits_size(struct_size)?;
        let mut value = c_limits(&Limits::default());
        value.struct_size = struct_size;
        // SAFETY: `limits` is non-NULL with `struct_size` writable bytes (caller contract);
        // `struct_size <= size_of::<docseal_limits>()` was checked, so the source has as many;
        // a local cannot overlap the caller's memory.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (&raw const value).cast::<u8>(),
                limits.cast::<u8>(),
                struct_size,
            );
        }
        Ok(())
    })
}

/// Sets every resource limit of the verifiers built from now on (`docseal::limits::Limits`),
/// from `*limits` (see `docseal_limits`; fields beyond `limits->struct_size` keep their
/// default). Default: the values `docseal_limits_init` writes. A document beyond a limit
/// makes `docseal_pdf_verify` return `DOCSEAL_STATUS_LIMIT` (or, for the path and comparison
/// budgets, an INDETERMINATE signature).
///
/// Errors: `DOCSEAL_STATUS_NULL_ARGUMENT`; `DOCSEAL_STATUS_INVALID_ARGUMENT` for a bad
/// `struct_size` (as `docseal_limits_init`) or a value that does not fit this platform's
/// `size_t`. Nothing changes on error.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `limits` is NULL or points to a
/// readable `docseal_limits` of at least `limits->struct_size` bytes; `err_buf` is NULL or has
/// `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_set_limits(
    builder: *mut docseal_verifier_builder,
    limits: *const docseal_limits,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        if limits.is_null() {
            return Err(FfiError::Null("limits"));
        }
        // SAFETY: non-NULL; every version of the struct starts with `struct_size` (the caller
        // may have a smaller, older struct, so only that field is read as such).
        let size = unsafe { limits.cast::<usize>().read_unaligned() };
        check_limits_size(size)?;
        let mut value = c_limits(&Limits::default());
        // SAFETY: the caller promises `size` readable bytes, and `size` is at most the size of
        // the local it is copied into; the two cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(limits.cast::<u8>(), (&raw mut value).cast::<u8>(), size);
        }
        let limits = rust_limits(&value)?;
        b.update(|r| r.limits(limits));
        Ok(())
    })
}

/// Loads a built-in trust profile from the certificates installed in a directory (or one
/// file) and adds it: `name` is `"vn"` (`docseal::certs::TrustProfile::vietnam`: Vietnam
/// National Root CA and RootCA chuyên dùng Chính phủ G2, pinned by SHA-256). The pinned roots
/// found become trust anchors, the CA certificates that chain to them intermediates; any
/// other certificate is refused (in particular one that carries a pinned root's name with
/// another fingerprint). `name` and `dir` are NUL-terminated UTF-8.
///
/// On `DOCSEAL_STATUS_OK`, if `load_out` is not NULL, `*load_out` receives a buffer to free
/// with `docseal_buffer_free` holding the load report as JSON (`profile`, `complete`, `found`,
/// `missing`, `intermediates`, `refused` with a `reason` code each; see
/// `docseal::certs::ProfileLoad::to_json`): a root missing or a certificate refused is not an
/// error, but the report says so.
///
/// Errors: `DOCSEAL_STATUS_NULL_ARGUMENT`, `_INVALID_UTF8`; `_INVALID_ARGUMENT` for an
/// unknown profile name; `_IO` when `dir` or a file in it cannot be read; `_NOT_FOUND` when
/// none of the profile's pinned roots is there (the message lists what was missing and
/// refused). Nothing is added on error.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `name` and `dir` are NUL-terminated
/// strings; `load_out` is NULL or writable; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_add_trust_profile(
    builder: *mut docseal_verifier_builder,
    name: *const c_char,
    dir: *const c_char,
    load_out: *mut *mut docseal_buffer,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        // SAFETY: caller contract.
        let name = unsafe { str_arg(name, "name") }?;
        // SAFETY: caller contract.
        let dir = unsafe { str_arg(dir, "dir") }?;
        let profile = TrustProfile::builtin(name).ok_or_else(|| {
            FfiError::Invalid(format!(
                "unknown trust profile {name:?} (known: {})",
                TrustProfile::builtin_names().join(", ")
            ))
        })?;
        let load = profile.load_path(dir.as_ref())?;
        if load.found.is_empty() {
            return Err(FfiError::NotFound(format!(
                "{load}\nno pinned root of profile {name} in {dir}"
            )));
        }
        let json = if load_out.is_null() {
            None
        } else {
            Some(
                load.to_json()
                    .map_err(|e| FfiError::Internal(e.to_string()))?,
            )
        };
        b.update(|r| r.add_trust_profile(&load));
        if let Some(json) = json {
            // SAFETY: checked non-NULL; written only after every fallible step succeeded.
            unsafe { give(load_out, json.into_bytes()) };
        }
        Ok(())
    })
}

/// The trust anchors of the builder as a JSON array, in the order they were added: one object
/// per certificate, as the report's `signer` (`subject`, `common_name`, `organization`,
/// `not_before`, `not_after`, `sha256`, …). On `DOCSEAL_STATUS_OK`, `*json_out` receives a
/// buffer to free with `docseal_buffer_free`; otherwise it is untouched.
///
/// Errors: `DOCSEAL_STATUS_NULL_ARGUMENT`.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `json_out` is writable; `err_buf` is
/// NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_list_trust_anchors(
    builder: *const docseal_verifier_builder,
    json_out: *mut *mut docseal_buffer,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_ref() }.ok_or(FfiError::Null("builder"))?;
        if json_out.is_null() {
            return Err(FfiError::Null("json_out"));
        }
        let json = serde_json::to_string_pretty(&b.0.trust_anchor_set().list())
            .map_err(|e| FfiError::Internal(e.to_string()))?;
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { give(json_out, json.into_bytes()) };
        Ok(())
    })
}

/// Removes the trust anchor whose DER encoding has this SHA-256 fingerprint: 64 hex digits,
/// either case, optionally separated by `:` or spaces (as `openssl x509 -fingerprint
/// -sha256` prints it), NUL-terminated. Intermediates and TSA anchors are not touched.
///
/// Errors: `DOCSEAL_STATUS_NULL_ARGUMENT`, `_INVALID_UTF8`; `_INVALID_ARGUMENT` when the text
/// is not a SHA-256 fingerprint; `_NOT_FOUND` when no trust anchor has it.
///
/// # Safety
/// `builder` comes from `docseal_verifier_builder_new`; `sha256` is a NUL-terminated string;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_verifier_builder_remove_trust_anchor(
    builder: *mut docseal_verifier_builder,
    sha256: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        // SAFETY: caller contract.
        let text = unsafe { str_arg(sha256, "sha256") }?;
        let fingerprint: Fingerprint = text
            .parse()
            .map_err(|e: crate::certs::CertificateError| FfiError::Invalid(e.to_string()))?;
        if !b.0.remove_trust_anchor(&fingerprint) {
            return Err(FfiError::NotFound(format!(
                "no trust anchor has the SHA-256 fingerprint {fingerprint}"
            )));
        }
        Ok(())
    })
}

/// End of the first version of `docseal_limits`: the smallest `struct_size` accepted.
const LIMITS_V1_SIZE: usize =
    std::mem::offset_of!(docseal_limits, max_compared_bytes) + size_of::<u64>();

fn check_limits_size(size: usize) -> Result<(), FfiError> {
    let known = size_of::<docseal_limits>();
    if size < LIMITS_V1_SIZE {
        return Err(FfiError::Invalid(format!(
            "docseal_limits struct_size {size} is smaller than the first version ({LIMITS_V1_SIZE} bytes)"
        )));
    }
    if size > known {
        return Err(FfiError::Invalid(format!(
            "docseal_limits struct_size {size} is larger than this library knows ({known} bytes): the header is newer than the library"
        )));
    }
    Ok(())
}

/// The C form of `l`, with `struct_size` set to this library's size of the struct.
fn c_limits(l: &Limits) -> docseal_limits {
    let n = |v: usize| v as u64; // usize is at most 64 bits on every supported target
    docseal_limits {
        struct_size: size_of::<docseal_limits>(),
        max_pdf_bytes: l.max_pdf_bytes,
        max_revisions: n(l.max_revisions),
        max_signatures: n(l.max_signatures),
        max_cms_bytes: n(l.max_cms_bytes),
        max_der_depth: n(l.max_der_depth),
        max_certificates: n(l.max_certificates),
        max_field_depth: n(l.max_field_depth),
        max_indirect_stream_lengths: n(l.max_indirect_stream_lengths),
        max_decompressed_bytes: n(l.max_decompressed_bytes),
        max_path_signature_checks: n(l.max_path_signature_checks),
        max_path_length: n(l.max_path_length),
        max_policy_nodes: n(l.max_policy_nodes),
        max_compared_bytes: l.max_compared_bytes,
    }
}

/// `c` as [`Limits`]; a value that does not fit `usize` is an invalid argument.
fn rust_limits(c: &docseal_limits) -> Result<Limits, FfiError> {
    let n = |v: u64, field: &str| {
        usize::try_from(v).map_err(|_| {
            FfiError::Invalid(format!(
                "docseal_limits.{field} = {v} does not fit in size_t on this platform"
            ))
        })
    };
    Ok(Limits {
        max_pdf_bytes: c.max_pdf_bytes,
        max_revisions: n(c.max_revisions, "max_revisions")?,
        max_signatures: n(c.max_signatures, "max_signatures")?,
        max_cms_bytes: n(c.max_cms_bytes, "max_cms_bytes")?,
        max_der_depth: n(c.max_der_depth, "max_der_depth")?,
        max_certificates: n(c.max_certificates, "max_certificates")?,
        max_field_depth: n(c.max_field_depth, "max_field_depth")?,
        max_indirect_stream_lengths: n(
            c.max_indirect_stream_lengths,
            "max_indirect_stream_lengths",
        )?,
        max_decompressed_bytes: n(c.max_decompressed_bytes, "max_decompressed_bytes")?,
        max_path_signature_checks: n(c.max_path_signature_checks, "max_path_signature_checks")?,
        max_path_length: n(c.max_path_length, "max_path_length")?,
        max_policy_nodes: n(c.max_policy_nodes, "max_policy_nodes")?,
        max_compared_bytes: c.max_compared_bytes,
    })
}
