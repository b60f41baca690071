//! What a call hands back to C: owned byte buffers, verdicts, and the helpers that write
//! out-parameters. Built with every feature set (the PDF, QR and scan functions all use it).

use std::{ffi::c_char, sync::OnceLock};

use super::{
    boundary::{FfiError, ffi_call, free_handle},
    status::docseal_status,
};
use crate::report::Verdict;

/// Bytes owned by the caller (an issued text, a printed image, a JSON listing or load
/// report of a verifier builder): read them with
/// `docseal_buffer_data`, release them with `docseal_buffer_free`. Immutable; may be read from
/// several threads at once.
#[derive(Debug)]
pub struct docseal_buffer {
    /// The bytes and one NUL after them (not counted), so that a text is also a C string.
    bytes: Vec<u8>,
}

/// The verdict of a document (`docseal_report_verdict`) or of QR payloads
/// (`docseal_qr_report_verdict`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum docseal_verdict {
    /// Every signature verified and trusted (ETSI PASSED).
    Valid = 0,
    /// A check proved a signature wrong (ETSI FAILED).
    Invalid = 1,
    /// Neither (ETSI INDETERMINATE): unknown signer, expired certificate, later changes...
    Indeterminate = 2,
}

impl From<Verdict> for docseal_verdict {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Valid => Self::Valid,
            Verdict::Invalid => Self::Invalid,
            Verdict::Indeterminate => Self::Indeterminate,
        }
    }
}

impl docseal_buffer {
    pub(super) fn new(mut bytes: Vec<u8>) -> Self {
        bytes.push(0);
        Self { bytes }
    }
}

/// The bytes of a buffer: `*data_out` receives a pointer to `*len_out` bytes, followed by one
/// NUL byte that `*len_out` does not count (so a text is also a C string), borrowed from the
/// buffer until `docseal_buffer_free`.
///
/// # Safety
/// `buffer` comes from a docseal function that makes one (`docseal_qr_issue`,
/// `docseal_qr_print`, `docseal_scan_normalize`, `docseal_verifier_builder_list_trust_anchors`,
/// `docseal_verifier_builder_add_trust_profile`); `data_out` and `len_out` are writable; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_buffer_data(
    buffer: *const docseal_buffer,
    data_out: *mut *const u8,
    len_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { buffer.as_ref() }.ok_or(FfiError::Null("buffer"))?;
        lend(&b.bytes, (data_out, "data_out"), len_out)
    })
}

/// Frees a buffer; NULL is a no-op.
///
/// # Safety
/// `buffer` is NULL or comes from a docseal function that makes one (see
/// `docseal_buffer_data`), is not in use by another thread, and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_buffer_free(buffer: *mut docseal_buffer) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(buffer) }
}

/// Hands `bytes` to the caller as a new `docseal_buffer` through `out`.
///
/// # Safety
/// `out` was checked non-NULL and is writable (the caller's contract); call it only after every
/// fallible step, so that an out-parameter is written only on success.
pub(super) unsafe fn give(out: *mut *mut docseal_buffer, bytes: Vec<u8>) {
    let raw = Box::into_raw(Box::new(docseal_buffer::new(bytes)));
    // SAFETY: forwarded contract.
    unsafe { out.write(raw) };
}

/// Writes a borrowed NUL-terminated buffer (length without the NUL) to the out-parameters.
pub(super) fn lend<T>(
    bytes: &[u8],
    (out, out_name): (*mut *const T, &'static str),
    len_out: *mut usize,
) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::Null(out_name));
    }
    if len_out.is_null() {
        return Err(FfiError::Null("len_out"));
    }
    // SAFETY: both checked non-NULL; the caller promises they are writable.
    unsafe {
        out.write(bytes.as_ptr().cast());
        len_out.write(bytes.len().saturating_sub(1));
    }
    Ok(())
}

/// Writes `value` to a checked out-parameter.
pub(super) fn put<T>(out: *mut T, name: &'static str, value: T) -> Result<(), FfiError> {
    if out.is_null() {
        return Err(FfiError::Null(name));
    }
    // SAFETY: checked non-NULL; the caller promises it is writable.
    unsafe { out.write(value) };
    Ok(())
}

/// The NUL-terminated JSON in `cell`, made by `make` on first request (a failure is not
/// cached: serialization of these types does not fail, so it would be a bug).
pub(super) fn lazy_json(
    cell: &OnceLock<Vec<u8>>,
    make: impl FnOnce() -> Result<String, serde_json::Error>,
) -> Result<&[u8], FfiError> {
    if let Some(json) = cell.get() {
        return Ok(json);
    }
    let text = make().map_err(|e| FfiError::Internal(format!("report serialization: {e}")))?;
    Ok(cell.get_or_init(|| nul_terminated(text)))
}

/// `text` as bytes followed by a NUL (which `lend` does not count).
pub(super) fn nul_terminated(text: String) -> Vec<u8> {
    let mut bytes = text.into_bytes();
    bytes.push(0);
    bytes
}
