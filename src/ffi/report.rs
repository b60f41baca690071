//! Reading a verification report: JSON, text, and single fields without JSON.

use std::{ffi::c_char, sync::OnceLock};

use super::{
    boundary::{FfiError, ffi_call, free_handle},
    out::{docseal_verdict, lazy_json, lend, nul_terminated, put},
    status::docseal_status,
};
use crate::report::{Lang, Report};

/// A verification report. Immutable; may be read from several threads at once.
#[derive(Debug)]
pub struct docseal_report {
    report: Report,
    /// JSON, NUL-terminated (the length handed out excludes the NUL), built on first request.
    json: OnceLock<Vec<u8>>,
    text_vi: OnceLock<Vec<u8>>,
    text_en: OnceLock<Vec<u8>>,
}

/// Language of `docseal_report_text`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum docseal_lang {
    /// Tiếng Việt.
    Vi = 0,
    /// English.
    En = 1,
}

impl docseal_report {
    pub(crate) fn new(report: Report) -> Self {
        Self {
            report,
            json: OnceLock::new(),
            text_vi: OnceLock::new(),
            text_en: OnceLock::new(),
        }
    }
}

/// The report as JSON (schema documented in docseal's `report::json` module, `schema_version`
/// 2): `*json_out` receives a NUL-terminated UTF-8 string of `*len_out` bytes, borrowed from
/// the report until `docseal_report_free`.
///
/// # Safety
/// `report` comes from `docseal_pdf_verify`; `json_out` and `len_out` are writable; `err_buf`
/// is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_report_json(
    report: *const docseal_report,
    json_out: *mut *const c_char,
    len_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        let json = lazy_json(&r.json, || r.report.to_json())?;
        lend(json, (json_out, "json_out"), len_out)
    })
}

/// The report as text for a person, in Vietnamese or English (`lang`: a `docseal_lang`
/// value; any other number is `DOCSEAL_STATUS_INVALID_ARGUMENT`): borrowed like
/// `docseal_report_json`.
///
/// # Safety
/// As `docseal_report_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_report_text(
    report: *const docseal_report,
    lang: u32,
    text_out: *mut *const c_char,
    len_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        let (cell, lang) = match lang {
            l if l == docseal_lang::Vi as u32 => (&r.text_vi, Lang::Vi),
            l if l == docseal_lang::En as u32 => (&r.text_en, Lang::En),
            other => return Err(FfiError::Invalid(format!("unknown docseal_lang {other}"))),
        };
        let text = cell.get_or_init(|| nul_terminated(r.report.to_text(lang)));
        lend(text, (text_out, "text_out"), len_out)
    })
}

/// The document's verdict, into `*verdict_out`.
///
/// # Safety
/// `report` comes from `docseal_pdf_verify`; `verdict_out` is writable; `err_buf` is NULL or
/// has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_report_verdict(
    report: *const docseal_report,
    verdict_out: *mut docseal_verdict,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        put(verdict_out, "verdict_out", r.report.verdict.into())
    })
}

/// The number of signatures (signed fields) in the report, into `*count_out`.
///
/// # Safety
/// `report` comes from `docseal_pdf_verify`; `count_out` is writable; `err_buf` is NULL or has
/// `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_report_signature_count(
    report: *const docseal_report,
    count_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        put(count_out, "count_out", r.report.signatures.len())
    })
}

/// The signer (certificate common name, UTF-8) of signature `index` (0-based): borrowed like
/// `docseal_report_json`, not NUL-terminated (use `*len_out`). `DOCSEAL_STATUS_INDEX_OUT_OF_RANGE`
/// past the last signature; `DOCSEAL_STATUS_NOT_FOUND` when the signer's certificate or its
/// common name is unknown.
///
/// # Safety
/// `report` comes from `docseal_pdf_verify`; `name_out` and `len_out` are writable; `err_buf`
/// is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_report_signer(
    report: *const docseal_report,
    index: usize,
    name_out: *mut *const c_char,
    len_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        if name_out.is_null() || len_out.is_null() {
            return Err(FfiError::Null("name_out/len_out"));
        }
        let sigs = &r.report.signatures;
        let sig = sigs.get(index).ok_or(FfiError::Index {
            index,
            len: sigs.len(),
        })?;
        let name = match sig.signer.as_ref().and_then(|s| s.common_name.as_ref()) {
            Some(crate::report::Name::Text(t)) => t,
            _ => {
                return Err(FfiError::NotFound(format!(
                    "signature {index} has no signer name"
                )));
            }
        };
        // SAFETY: both checked non-NULL, writable by contract; the name lives in the report.
        unsafe {
            name_out.write(name.as_ptr().cast());
            len_out.write(name.len());
        }
        Ok(())
    })
}

/// Frees a report and every buffer borrowed from it; NULL is a no-op.
///
/// # Safety
/// `report` is NULL or comes from `docseal_pdf_verify`, is not in use by another thread, and
/// is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_report_free(report: *mut docseal_report) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(report) }
}
