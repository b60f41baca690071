//! The panic boundary and the error-message buffer.

use std::{
    ffi::{CStr, c_char},
    panic::{AssertUnwindSafe, catch_unwind},
};

use super::status::docseal_status;
#[cfg(feature = "pdf")]
use crate::pdf::PdfError;
#[cfg(feature = "qr")]
use crate::qr::QrError;
use crate::{
    certs::{CertificateError, CertificateSet},
    time::TimeError,
};

/// Why a C call failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum FfiError {
    #[error("argument {0} is NULL")]
    Null(&'static str),
    #[error("argument {0} is not valid UTF-8")]
    Utf8(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error("index {index} is out of range: there are {len}")]
    Index { index: usize, len: usize },
    #[cfg(feature = "pdf")]
    #[error("{0}")]
    NotFound(String),
    #[error("internal error: {0}")]
    Internal(String),
    #[cfg(feature = "qr")]
    #[error("{0}")]
    Limit(String),
    #[cfg(feature = "scan")]
    #[error("{0}")]
    NoQrCode(String),
    #[cfg(feature = "pdf")]
    #[error(transparent)]
    Pdf(#[from] PdfError),
    #[error(transparent)]
    Certificate(#[from] CertificateError),
    #[error(transparent)]
    Time(#[from] TimeError),
    #[cfg(feature = "qr")]
    #[error(transparent)]
    Qr(#[from] QrError),
    #[cfg(feature = "scan")]
    #[error(transparent)]
    Scan(#[from] crate::scan::ScanError),
    #[cfg(feature = "qr")]
    #[error("the claims are not valid claims JSON")]
    ClaimsJson(#[source] serde_json::Error),
}

impl FfiError {
    fn status(&self) -> docseal_status {
        match self {
            Self::Null(_) => docseal_status::NullArgument,
            Self::Utf8(_) => docseal_status::InvalidUtf8,
            Self::Invalid(_) | Self::Time(_) => docseal_status::InvalidArgument,
            Self::Index { .. } => docseal_status::IndexOutOfRange,
            #[cfg(feature = "pdf")]
            Self::NotFound(_) => docseal_status::NotFound,
            Self::Internal(_) => docseal_status::Internal,
            #[cfg(feature = "qr")]
            Self::Limit(_) => docseal_status::Limit,
            Self::Certificate(e) => certificate_status(e),
            #[cfg(feature = "pdf")]
            Self::Pdf(e) => pdf_status(e),
            #[cfg(feature = "qr")]
            Self::Qr(QrError::Image(_)) => docseal_status::BadImage,
            #[cfg(feature = "qr")]
            Self::Qr(QrError::Key(_)) => docseal_status::BadKey,
            #[cfg(feature = "qr")]
            Self::Qr(QrError::Claims(_)) | Self::ClaimsJson(_) => docseal_status::BadClaims,
            #[cfg(feature = "scan")]
            Self::NoQrCode(_) => docseal_status::NoQrCode,
            #[cfg(feature = "scan")]
            Self::Scan(e) => scan_status(e),
        }
    }
}

#[cfg(feature = "pdf")]
fn pdf_status(e: &PdfError) -> docseal_status {
    match e {
        PdfError::NoSuchRevision { .. } => docseal_status::IndexOutOfRange,
        PdfError::Load(_) => docseal_status::NotPdf,
        PdfError::Encrypted => docseal_status::Encrypted,
        PdfError::Limit { .. } => docseal_status::Limit,
        PdfError::Read { .. } => docseal_status::Io,
        PdfError::Certificate(e) => certificate_status(e),
    }
}

#[cfg(feature = "scan")]
fn scan_status(e: &crate::scan::ScanError) -> docseal_status {
    use crate::scan::ScanError;
    match e {
        ScanError::Decode(_) | ScanError::TooSmall { .. } => docseal_status::BadImage,
        ScanError::Limit { .. } => docseal_status::Limit,
        ScanError::OutputBelowLegalMinimum { .. } => docseal_status::InvalidArgument,
        ScanError::BelowLegalMinimum { .. } | ScanError::UnknownResolution => {
            docseal_status::BelowLegalMinimum
        }
    }
}

fn certificate_status(e: &CertificateError) -> docseal_status {
    match e {
        CertificateError::Io { .. } => docseal_status::Io,
        CertificateError::File { source, .. } => certificate_status(source),
        _ => docseal_status::BadCertificate,
    }
}

/// Runs `f` behind the panic boundary; on failure writes the message into `err_buf`.
pub(crate) fn ffi_call(
    err_buf: *mut c_char,
    err_len: usize,
    f: impl FnOnce() -> Result<(), FfiError>,
) -> docseal_status {
    let (status, message) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => return docseal_status::Ok,
        Ok(Err(e)) => (e.status(), error_chain(&e)),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            (
                docseal_status::Panic,
                format!("internal error (panic caught at the C boundary): {what}"),
            )
        }
    };
    write_message(err_buf, err_len, &message);
    status
}

/// Frees a handle made by `Box::into_raw`, behind the panic boundary; NULL is a no-op.
///
/// # Safety
/// `handle` is NULL or comes from `Box::into_raw` of the same type, and is not used again.
pub(crate) unsafe fn free_handle<T>(handle: *mut T) {
    if !handle.is_null() {
        // SAFETY: non-NULL, from Box::into_raw, freed once by the caller's contract.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(handle) })));
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Copies `message` into `buf` (`len` bytes), cut on a UTF-8 boundary, NUL-terminated.
fn write_message(buf: *mut c_char, len: usize, message: &str) {
    if buf.is_null() || len == 0 {
        return;
    }
    let mut cut = message.len().min(len - 1);
    while !message.is_char_boundary(cut) {
        cut -= 1;
    }
    // SAFETY: the caller promises `len` writable bytes at `buf` (checked non-NULL above);
    // `cut + 1 <= len`, and the source is a live Rust string that cannot overlap it.
    unsafe {
        std::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast::<u8>(), cut);
        buf.add(cut).write(0);
    }
}

/// A `&str` from a NUL-terminated C string argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn str_arg<'a>(
    ptr: *const c_char,
    name: &'static str,
) -> Result<&'a str, FfiError> {
    if ptr.is_null() {
        return Err(FfiError::Null(name));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    unsafe { CStr::from_ptr(ptr) }
        .to_str()
        .map_err(|_| FfiError::Utf8(name))
}

/// A byte slice from a pointer and its length (`ptr` may be NULL only when `len` is 0).
///
/// # Safety
/// `ptr` points to `len` readable bytes that outlive the call.
pub(crate) unsafe fn bytes_arg<'a>(
    ptr: *const u8,
    len: usize,
    name: &'static str,
) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(FfiError::Null(name))
        };
    }
    // SAFETY: non-NULL; the caller promises `len` readable bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Parses certificates (one DER certificate or a PEM bundle) and hands them to `add` with the
/// builder handle; nothing is added on error.
///
/// # Safety
/// `builder` is NULL or a live builder handle of type `H`; `bytes` points to `len` readable
/// bytes; `err_buf` is NULL or has `err_len` writable bytes.
pub(crate) unsafe fn add_certificates<H>(
    builder: *mut H,
    add: fn(&mut H, CertificateSet),
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
        let mut set = CertificateSet::new();
        set.add_pem_or_der(bytes)?;
        add(b, set);
        Ok(())
    })
}

/// Reads the certificates of a file or directory (see `CertificateSet::add_path`) and hands
/// them to `add` with the builder handle; nothing is added on error.
///
/// # Safety
/// `builder` is NULL or a live builder handle of type `H`; `path` is NULL or a NUL-terminated
/// string; `err_buf` is NULL or has `err_len` writable bytes.
pub(crate) unsafe fn add_certificates_path<H>(
    builder: *mut H,
    add: fn(&mut H, CertificateSet),
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_mut() }.ok_or(FfiError::Null("builder"))?;
        // SAFETY: caller contract.
        let path = unsafe { str_arg(path, "path") }?;
        let mut set = CertificateSet::new();
        set.add_path(path.as_ref())?;
        add(b, set);
        Ok(())
    })
}

/// The library version, e.g. `"0.1.0"`: static, NUL-terminated, never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn docseal_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Always panics inside the boundary and returns `DOCSEAL_STATUS_PANIC` with a message. It
/// exists so that C and Python bindings can test that a panic never reaches the host; it has
/// no other use.
///
/// # Safety
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_internal_panic_test(
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        std::panic::panic_any("docseal_internal_panic_test was called")
    })
}
