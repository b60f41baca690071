//! Normalizing a scanned page from C.

use std::ffi::c_char;

use super::{
    boundary::{FfiError, bytes_arg, ffi_call},
    out::{docseal_buffer, give},
    status::docseal_status,
};
use crate::scan::{Cleanup, ColorMode, QrSearch, ResolutionPolicy, ScanOptions, normalize};

/// `docseal_scan_normalize` flag: keep colour (red seals stay red); default grey.
pub const DOCSEAL_SCAN_COLOR: u32 = 1;
/// `docseal_scan_normalize` flag: flatten uneven light, then binarize (Sauvola).
pub const DOCSEAL_SCAN_BINARIZE: u32 = 2;
/// `docseal_scan_normalize` flag: do not look for QR codes on the page.
pub const DOCSEAL_SCAN_NO_QR: u32 = 4;
/// `docseal_scan_normalize` flag: refuse scans whose resolution is below 200 dpi or unknown
/// (`DOCSEAL_STATUS_BELOW_LEGAL_MINIMUM`); default: flag them in the report.
pub const DOCSEAL_SCAN_REFUSE_LOW_DPI: u32 = 8;

/// Normalizes one scanned page (PNG, JPEG, TIFF, WebP, GIF or BMP bytes; the first page of a
/// TIFF): finds the page, turns it upright, deskews, crops, reads its QR codes, and resamples it
/// to `output_dpi` (0: keep the scan's resolution; otherwise at least 200). `flags`: a bitwise OR
/// of the `DOCSEAL_SCAN_*` values (any other bit is `DOCSEAL_STATUS_INVALID_ARGUMENT`).
///
/// On `DOCSEAL_STATUS_OK`, `*png_out` receives the page as PNG and `*json_out` the page report
/// as JSON (`skew_deg`, `orientation_deg`, `skew_confidence` and `orientation_confidence`
/// (0..1: near 0 the detector was unsure and the value is a guess; a page is turned only from
/// 0.25 up), `page_quad`, `dpi`, `qr`, `exif_orientation`, and
/// `jpeg_as_is`: whether `image` itself may go into a PDF unchanged, an upright JPEG without an
/// EXIF turn that normalization left as it was; see `docseal::scan::PageReport`), each in a
/// buffer to free with `docseal_buffer_free`;
/// otherwise both are untouched. Memory is bounded: an image whose decoded buffers would pass
/// 80 MiB is refused from its header (`DOCSEAL_STATUS_LIMIT`), ICC profiles and text chunks are
/// skipped. Errors: `DOCSEAL_STATUS_BAD_IMAGE`, `_LIMIT`,
/// `_BELOW_LEGAL_MINIMUM`, `_INVALID_ARGUMENT`, `_NULL_ARGUMENT`.
///
/// # Safety
/// `image` points to `image_len` readable bytes; `png_out` and `json_out` are writable;
/// `err_buf` is NULL or has `err_len` writable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn docseal_scan_normalize(
    image: *const u8,
    image_len: usize,
    output_dpi: u32,
    flags: u32,
    png_out: *mut *mut docseal_buffer,
    json_out: *mut *mut docseal_buffer,
    err_buf: *mut c_char,
    err_len: usize,
) -> docseal_status {
    ffi_call(err_buf, err_len, || {
        if png_out.is_null() || json_out.is_null() {
            return Err(FfiError::Null("png_out/json_out"));
        }
        let known = DOCSEAL_SCAN_COLOR
            | DOCSEAL_SCAN_BINARIZE
            | DOCSEAL_SCAN_NO_QR
            | DOCSEAL_SCAN_REFUSE_LOW_DPI;
        if flags & !known != 0 {
            return Err(FfiError::Invalid(format!(
                "unknown flag bits {:#x}",
                flags & !known
            )));
        }
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(image, image_len, "image") }?;
        let mut options = ScanOptions::default();
        let set = |bit: u32| flags & bit != 0;
        options.output_dpi = (output_dpi != 0).then_some(output_dpi as f32);
        if set(DOCSEAL_SCAN_COLOR) {
            options.color = ColorMode::Color;
        }
        if set(DOCSEAL_SCAN_BINARIZE) {
            options.cleanup = Cleanup::Binarize;
        }
        if set(DOCSEAL_SCAN_NO_QR) {
            options.qr = QrSearch::Skip;
        }
        if set(DOCSEAL_SCAN_REFUSE_LOW_DPI) {
            options.resolution = ResolutionPolicy::Refuse;
        }
        let page = normalize(bytes, &options)?;
        let mut png = Vec::new();
        page.image
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .map_err(|e| FfiError::Internal(format!("PNG encoding: {e}")))?;
        let json = serde_json::to_vec(&page.report)
            .map_err(|e| FfiError::Internal(format!("report JSON: {e}")))?;
        // SAFETY: both checked non-NULL; written only after every fallible step succeeded.
        unsafe {
            give(png_out, png);
            give(json_out, json);
        }
        Ok(())
    })
}
