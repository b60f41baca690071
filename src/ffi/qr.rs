//! QR result certificates from C: verifying payload texts and images, issuing and printing.

use std::{borrow::Cow, ffi::c_char, sync::OnceLock};

use x509_parser::pem::Pem;

use super::{
    boundary::{
        FfiError, add_certificates, add_certificates_path, bytes_arg, ffi_call, free_handle,
    },
    out::{docseal_buffer, docseal_verdict, give, lazy_json, lend, put},
    status::docseal_status,
};
use crate::{
    certs::CertificateSet,
    qr::{self, MAX_DOTS, QrError, QrIssuer, QrReport, QrVerifier, payload::Claims},
    report::Verdict,
    time::ValidationTime,
};

/// Collects trusted QR signer certificates for a `docseal_qr_verifier`. Not thread-safe.
#[derive(Debug, Default)]
pub struct docseal_qr_verifier_builder {
    signers: CertificateSet,
}

/// An immutable QR certificate verifier; may be shared by any number of threads.
#[derive(Debug)]
pub struct docseal_qr_verifier(QrVerifier);

/// The reports of the QR payloads of one input: one for a text, one per readable code for an
/// image. Immutable; may be read from several threads at once.
#[derive(Debug)]
pub struct docseal_qr_report {
    /// Each payload: the text read from an image (`None` when it was given as text), its report.
    symbols: Vec<(Option<String>, QrReport)>,
    /// JSON, NUL-terminated (the length handed out excludes the NUL), built on first request.
    json: OnceLock<Vec<u8>>,
}

/// Issues signed QR result certificates with one key and certificate. Immutable; may be used
/// from several threads at once.
pub struct docseal_qr_issuer(QrIssuer);

/// Image format of `docseal_qr_print`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum docseal_qr_format {
    /// PNG, 8-bit grey.
    Png = 0,
    /// SVG (UTF-8 text).
    Svg = 1,
}

/// A new builder with an empty trust list (nothing would be trusted: every payload that is
/// otherwise well-formed comes out INDETERMINATE). Free it with
/// `docseal_qr_verifier_builder_free`. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn docseal_qr_verifier_builder_new() -> *mut docseal_qr_verifier_builder {
    Box::into_raw(Box::default())
}

/// Frees a QR verifier builder; NULL is a no-op.
///
/// # Safety
/// `builder` is NULL or comes from `docseal_qr_verifier_builder_new` and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verifier_builder_free(
    builder: *mut docseal_qr_verifier_builder,
) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(builder) }
}

/// Trusts QR signer certificates: one DER certificate or a PEM bundle (`bytes`, `len`). A
/// payload verifies only with a trusted certificate whose `kid` (first 8 bytes of the SHA-256
/// of its DER) it names. Errors: `DOCSEAL_STATUS_BAD_CERTIFICATE`, `_NULL_ARGUMENT`; nothing is
/// added on error.
///
/// # Safety
/// `builder` comes from `docseal_qr_verifier_builder_new`; `bytes` points to `len` readable
/// bytes; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verifier_builder_add_signers(
    builder: *mut docseal_qr_verifier_builder,
    bytes: *const u8,
    len: usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        add_certificates(
            builder,
            |b, set| b.signers.add_set(&set),
            bytes,
            len,
            err_buf,
            err_len,
        )
    }
}

/// Trusts the QR signer certificates of a file (PEM bundle or DER) or of every
/// `.pem`/`.crt`/`.cer`/`.der` file of a directory; `path` is NUL-terminated UTF-8. Errors:
/// `DOCSEAL_STATUS_IO`, `_BAD_CERTIFICATE`, `_INVALID_UTF8`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `builder` comes from `docseal_qr_verifier_builder_new`; `path` is a NUL-terminated string;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verifier_builder_add_signers_path(
    builder: *mut docseal_qr_verifier_builder,
    path: *const c_char,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    // SAFETY: forwarded caller contract.
    unsafe {
        add_certificates_path(
            builder,
            |b, set| b.signers.add_set(&set),
            path,
            err_buf,
            err_len,
        )
    }
}

/// Builds a QR verifier from the builder's current trust list (the builder stays usable and
/// must still be freed). On success `*verifier_out` receives a verifier to free with
/// `docseal_qr_verifier_free`.
///
/// # Safety
/// `builder` comes from `docseal_qr_verifier_builder_new`; `verifier_out` is writable;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verifier_builder_build(
    builder: *const docseal_qr_verifier_builder,
    verifier_out: *mut *mut docseal_qr_verifier,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let b = unsafe { builder.as_ref() }.ok_or(FfiError::Null("builder"))?;
        if verifier_out.is_null() {
            return Err(FfiError::Null("verifier_out"));
        }
        let mut verifier = QrVerifier::builder();
        for der in b.signers.iter_der() {
            verifier = verifier.signer_certificate_der(der)?;
        }
        let raw = Box::into_raw(Box::new(docseal_qr_verifier(verifier.build())));
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { verifier_out.write(raw) };
        Ok(())
    })
}

/// Frees a QR verifier; NULL is a no-op.
///
/// # Safety
/// `verifier` is NULL or comes from `docseal_qr_verifier_builder_build`, is not in use by
/// another thread, and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verifier_free(verifier: *mut docseal_qr_verifier) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(verifier) }
}

/// Verifies a QR payload text (`VN1:…` or `HC1:…`, UTF-8, `text_len` bytes, no NUL needed) as
/// of `at_unix` (seconds since 1970, UTC).
///
/// A payload that does not verify is not an error: the report (one symbol) says INVALID or
/// INDETERMINATE and which stage failed. Errors: `DOCSEAL_STATUS_INVALID_UTF8`,
/// `_INVALID_ARGUMENT` (time out of range), `_NULL_ARGUMENT`. On `DOCSEAL_STATUS_OK`,
/// `*report_out` receives a report to free with `docseal_qr_report_free`; otherwise it is
/// untouched.
///
/// # Safety
/// `verifier` comes from `docseal_qr_verifier_builder_build`; `text` points to `text_len`
/// readable bytes; `report_out` is writable; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verify_text(
    verifier: *const docseal_qr_verifier,
    text: *const u8,
    text_len: usize,
    at_unix: i64,
    report_out: *mut *mut docseal_qr_report,
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
        let bytes = unsafe { bytes_arg(text, text_len, "text") }?;
        let text = std::str::from_utf8(bytes).map_err(|_| FfiError::Utf8("text"))?;
        let at = ValidationTime::from_unix(at_unix)?;
        let report = docseal_qr_report::new(vec![(None, verifier.0.verify_text(text, at))]);
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { report_out.write(Box::into_raw(Box::new(report))) };
        Ok(())
    })
}

/// Finds every QR code in an image (PNG, JPEG, TIFF, WebP, GIF or BMP: a photo, scan or
/// screenshot, `image`, `image_len` bytes) and verifies each readable one as of `at_unix`, as `docseal_qr_verify_text` does.
///
/// The report has one symbol per readable code, in the order found; codes that were detected
/// but could not be read are left out when another code could be read (as `verify_permit`
/// does). Errors: `DOCSEAL_STATUS_BAD_IMAGE` (not a decodable image of those formats within the limits),
/// `_NO_QR_CODE` (no code found, or none readable: the message says which),
/// `_INVALID_ARGUMENT` (time out of range), `_NULL_ARGUMENT`. On `DOCSEAL_STATUS_OK`,
/// `*report_out` receives a report to free with `docseal_qr_report_free`; otherwise it is
/// untouched.
///
/// # Safety
/// `verifier` comes from `docseal_qr_verifier_builder_build`; `image` points to `image_len`
/// readable bytes; `report_out` is writable; `err_buf` is NULL or has `err_len` writable bytes.
#[cfg(feature = "scan")] // reading image files needs the scan module's bounded loader
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_verify_image(
    verifier: *const docseal_qr_verifier,
    image: *const u8,
    image_len: usize,
    at_unix: i64,
    report_out: *mut *mut docseal_qr_report,
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
        let bytes = unsafe { bytes_arg(image, image_len, "image") }?;
        let at = ValidationTime::from_unix(at_unix)?;
        let (read, unreadable): (Vec<_>, Vec<_>) = qr::decode_image(bytes)?
            .into_iter()
            .partition(Result::is_ok);
        let texts: Vec<String> = read.into_iter().filter_map(Result::ok).collect();
        if texts.is_empty() {
            let errors: Vec<String> = unreadable.into_iter().filter_map(Result::err).collect();
            return Err(FfiError::NoQrCode(if errors.is_empty() {
                "no QR code found in the image".to_owned()
            } else {
                format!(
                    "no readable QR code in the image: {} code(s) found, none could be read ({})",
                    errors.len(),
                    errors.join("; ")
                )
            }));
        }
        let symbols = texts
            .into_iter()
            .map(|t| {
                let report = verifier.0.verify_text(&t, at);
                (Some(t), report)
            })
            .collect();
        let report = docseal_qr_report::new(symbols);
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { report_out.write(Box::into_raw(Box::new(report))) };
        Ok(())
    })
}

/// The QR report as JSON: an array with one object per symbol, each what `verify_permit
/// --json` prints for a QR payload without its `file` key (docseal's `QrReport::to_json_value`:
/// `verdict`, `stages`, `claims`, `hcert`, `kid`, `signer`, `qr_decoded`, `qr_text` (null for
/// a text input) and the stage booleans `prefix_ok` … `key_usage_ok`). `*json_out` receives a
/// NUL-terminated UTF-8 string of `*len_out` bytes, borrowed from the report until
/// `docseal_qr_report_free`.
///
/// # Safety
/// `report` comes from `docseal_qr_verify_text` or `docseal_qr_verify_image`; `json_out` and
/// `len_out` are writable; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_report_json(
    report: *const docseal_qr_report,
    json_out: *mut *const c_char,
    len_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        let json = lazy_json(&r.json, || r.to_json())?;
        lend(json, (json_out, "json_out"), len_out)
    })
}

/// The verdict over every symbol of the report, into `*verdict_out`: the worst of them
/// (INVALID before INDETERMINATE before VALID), so VALID only when every symbol is valid.
///
/// # Safety
/// `report` comes from a `docseal_qr_verify_*` call; `verdict_out` is writable; `err_buf` is
/// NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_report_verdict(
    report: *const docseal_qr_report,
    verdict_out: *mut docseal_verdict,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        // Never empty (the verify calls refuse to make an empty report); if it were, INVALID.
        let worst = r
            .symbols
            .iter()
            .map(|(_, s)| s.verdict)
            .max_by_key(|v| severity(*v))
            .unwrap_or(Verdict::Invalid);
        put(verdict_out, "verdict_out", worst.into())
    })
}

/// The number of symbols (verified payloads) in the report, into `*count_out`: 1 for a text,
/// at least 1 for an image.
///
/// # Safety
/// `report` comes from a `docseal_qr_verify_*` call; `count_out` is writable; `err_buf` is
/// NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_report_symbol_count(
    report: *const docseal_qr_report,
    count_out: *mut usize,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        put(count_out, "count_out", r.symbols.len())
    })
}

/// The verdict of symbol `index` (0-based, in the order of the JSON array), into
/// `*verdict_out`; `DOCSEAL_STATUS_INDEX_OUT_OF_RANGE` past the last symbol.
///
/// # Safety
/// `report` comes from a `docseal_qr_verify_*` call; `verdict_out` is writable; `err_buf` is
/// NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_report_symbol_verdict(
    report: *const docseal_qr_report,
    index: usize,
    verdict_out: *mut docseal_verdict,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let r = unsafe { report.as_ref() }.ok_or(FfiError::Null("report"))?;
        if verdict_out.is_null() {
            return Err(FfiError::Null("verdict_out"));
        }
        let (_, symbol) = r.symbols.get(index).ok_or(FfiError::Index {
            index,
            len: r.symbols.len(),
        })?;
        put(verdict_out, "verdict_out", symbol.verdict.into())
    })
}

/// Frees a QR report and every buffer borrowed from it; NULL is a no-op.
///
/// # Safety
/// `report` is NULL or comes from a `docseal_qr_verify_*` call, is not in use by another
/// thread, and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_report_free(report: *mut docseal_qr_report) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(report) }
}

/// An issuer from the signer's private key and certificate: `key` is an unencrypted PKCS#8
/// P-256 (ES256) or Ed25519 (EdDSA) key, DER or PEM (`-----BEGIN PRIVATE KEY-----`); `cert` is
/// its certificate, DER or PEM, exactly one (its SHA-256 gives the `kid`). Errors:
/// `DOCSEAL_STATUS_BAD_KEY` (not such a key, or not the certificate's),
/// `_BAD_CERTIFICATE`, `_INVALID_ARGUMENT` (more than one certificate), `_NULL_ARGUMENT`. On
/// `DOCSEAL_STATUS_OK`, `*issuer_out` receives an issuer to free with `docseal_qr_issuer_free`.
///
/// # Safety
/// `key` points to `key_len` and `cert` to `cert_len` readable bytes; `issuer_out` is writable;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_issuer_from_pkcs8(
    key: *const u8,
    key_len: usize,
    cert: *const u8,
    cert_len: usize,
    issuer_out: *mut *mut docseal_qr_issuer,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        if issuer_out.is_null() {
            return Err(FfiError::Null("issuer_out"));
        }
        // SAFETY: caller contract.
        let key = unsafe { bytes_arg(key, key_len, "key") }?;
        // SAFETY: caller contract.
        let cert = unsafe { bytes_arg(cert, cert_len, "cert") }?;
        let mut certs = CertificateSet::new();
        let count = certs.add_pem_or_der(cert)?;
        let Some(cert_der) = certs.iter_der().next().filter(|_| count == 1) else {
            return Err(FfiError::Invalid(format!(
                "cert holds {count} certificates: give the signer's certificate only"
            )));
        };
        let issuer = QrIssuer::from_pkcs8(&pkcs8_der(key)?, cert_der)?;
        let raw = Box::into_raw(Box::new(docseal_qr_issuer(issuer)));
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { issuer_out.write(raw) };
        Ok(())
    })
}

/// Frees an issuer; NULL is a no-op.
///
/// # Safety
/// `issuer` is NULL or comes from `docseal_qr_issuer_from_pkcs8`, is not in use by another
/// thread, and is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_issuer_free(issuer: *mut docseal_qr_issuer) {
    // SAFETY: forwarded caller contract.
    unsafe { free_handle(issuer) }
}

/// Signs claims and makes the `VN1:` text to put in a QR code. `claims_json` (UTF-8,
/// `claims_len` bytes) holds docseal's `qr::payload::Claims` as JSON: `iss`, `iat`, `exp`
/// (required), `nbf` (Unix seconds) and `result` (the permit fields; digests as 64 hex digits).
/// Errors: `DOCSEAL_STATUS_BAD_CLAIMS` (not such JSON, or a field that cannot be encoded),
/// `_INVALID_UTF8`, `_BAD_KEY` (signing failed), `_NULL_ARGUMENT`. On `DOCSEAL_STATUS_OK`,
/// `*text_out` receives the text (ASCII, NUL-terminated) in a buffer to free with
/// `docseal_buffer_free`.
///
/// # Safety
/// `issuer` comes from `docseal_qr_issuer_from_pkcs8`; `claims_json` points to `claims_len`
/// readable bytes; `text_out` is writable; `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_issue(
    issuer: *const docseal_qr_issuer,
    claims_json: *const u8,
    claims_len: usize,
    text_out: *mut *mut docseal_buffer,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        // SAFETY: caller contract; NULL becomes an error.
        let issuer = unsafe { issuer.as_ref() }.ok_or(FfiError::Null("issuer"))?;
        if text_out.is_null() {
            return Err(FfiError::Null("text_out"));
        }
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(claims_json, claims_len, "claims_json") }?;
        let json = std::str::from_utf8(bytes).map_err(|_| FfiError::Utf8("claims_json"))?;
        let claims: Claims = serde_json::from_str(json).map_err(FfiError::ClaimsJson)?;
        let text = issuer.0.issue(&claims)?;
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { give(text_out, text.into_bytes()) };
        Ok(())
    })
}

/// Renders a text (UTF-8, `text_len` bytes; usually from `docseal_qr_issue`) as a QR code for
/// print: error-correction level Q, 4-module quiet zone, each module `dots` × `dots` pixels
/// (1 to 32; 4 dots at 300 dpi make 0.34 mm modules), as PNG or SVG (`format`: a
/// `docseal_qr_format` value). Errors: `DOCSEAL_STATUS_INVALID_ARGUMENT` (`dots` or `format`
/// out of range), `_LIMIT` (the text does not fit a QR code), `_INVALID_UTF8`,
/// `_NULL_ARGUMENT`. On `DOCSEAL_STATUS_OK`, `*image_out` receives the image in a buffer to
/// free with `docseal_buffer_free`.
///
/// # Safety
/// `text` points to `text_len` readable bytes; `image_out` is writable; `err_buf` is NULL or
/// has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_qr_print(
    text: *const u8,
    text_len: usize,
    dots: u32,
    format: u32,
    image_out: *mut *mut docseal_buffer,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        if image_out.is_null() {
            return Err(FfiError::Null("image_out"));
        }
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(text, text_len, "text") }?;
        let text = std::str::from_utf8(bytes).map_err(|_| FfiError::Utf8("text"))?;
        if !(1..=MAX_DOTS).contains(&dots) {
            return Err(FfiError::Invalid(format!(
                "dots {dots} is not between 1 and {MAX_DOTS}"
            )));
        }
        let format = match format {
            f if f == docseal_qr_format::Png as u32 => docseal_qr_format::Png,
            f if f == docseal_qr_format::Svg as u32 => docseal_qr_format::Svg,
            other => {
                return Err(FfiError::Invalid(format!(
                    "unknown docseal_qr_format {other}"
                )));
            }
        };
        let printed = qr::print(text, dots).map_err(|e| match e {
            QrError::Claims(why) => {
                FfiError::Limit(format!("a text of {} bytes: {why}", text.len()))
            }
            other => other.into(),
        })?;
        let image = match format {
            docseal_qr_format::Png => printed.png,
            docseal_qr_format::Svg => printed.svg.into_bytes(),
        };
        // SAFETY: checked non-NULL; written only after every fallible step succeeded.
        unsafe { give(image_out, image) };
        Ok(())
    })
}

impl docseal_qr_report {
    fn new(symbols: Vec<(Option<String>, QrReport)>) -> Self {
        Self {
            symbols,
            json: OnceLock::new(),
        }
    }

    fn to_json(&self) -> Result<String, serde_json::Error> {
        let values = self
            .symbols
            .iter()
            .map(|(text, report)| report.to_json_value(text.as_deref()))
            .collect::<Result<Vec<_>, _>>()?;
        serde_json::to_string_pretty(&values)
    }
}

/// How bad a verdict is, for the worst of several.
fn severity(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Valid => 0,
        Verdict::Indeterminate => 1,
        Verdict::Invalid => 2,
    }
}

/// The DER of a PKCS#8 key given as DER or as PEM (the first `PRIVATE KEY` block).
fn pkcs8_der(bytes: &[u8]) -> Result<Cow<'_, [u8]>, QrError> {
    if !bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        return Ok(Cow::Borrowed(bytes));
    }
    for pem in Pem::iter_from_buffer(bytes) {
        let pem = pem.map_err(|e| QrError::Key(format!("PEM: {e}")))?;
        if pem.label == "PRIVATE KEY" {
            return Ok(Cow::Owned(pem.contents));
        }
    }
    Err(QrError::Key(
        "the PEM input holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----)".into(),
    ))
}
