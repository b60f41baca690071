//! Status codes: numbers are forever (0 OK, 1xx argument, 2xx input, 3xx limit or unsupported,
//! 9xx internal); a retired number stays reserved.

use std::ffi::{CStr, c_char};

/// The result of every fallible docseal function.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum docseal_status {
    /// Success: out-parameters were written.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 100,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 101,
    /// An argument is out of its domain (e.g. a time outside years 0000–9999).
    InvalidArgument = 102,
    /// An index is not below the number of items.
    IndexOutOfRange = 103,
    /// The requested item does not exist (e.g. a signature without a signer certificate).
    NotFound = 104,
    /// The input is not a loadable PDF.
    NotPdf = 200,
    /// The PDF is encrypted.
    Encrypted = 201,
    /// A certificate given to the builder is malformed or the input holds none.
    BadCertificate = 202,
    /// A file or directory could not be read.
    Io = 203,
    /// The image is not a decodable PNG, JPEG, TIFF, WebP, GIF or BMP within the image limits
    /// (8192 pixels a side).
    BadImage = 204,
    /// The image holds no readable QR code (none found, or none of those found could be read).
    NoQrCode = 205,
    /// The private key is not an unencrypted PKCS#8 P-256 or Ed25519 key (DER or PEM), or it
    /// does not belong to the certificate.
    BadKey = 206,
    /// The claims are not valid claims JSON, or a claim cannot be encoded (e.g. a digest that
    /// is not 64 hex digits).
    BadClaims = 207,
    /// The scan's resolution is below the legal minimum of 200 dpi, or unknown, and the caller
    /// asked for such scans to be refused.
    BelowLegalMinimum = 208,
    /// A configured limit was reached (or a text does not fit a QR code).
    Limit = 300,
    /// An internal error (a bug in docseal).
    Internal = 900,
    /// A panic was caught at the boundary (a bug in docseal); the handle arguments stay valid.
    Panic = 901,
}

impl docseal_status {
    /// Every status, for mapping a number from C without undefined behaviour.
    const ALL: [Self; 18] = [
        Self::Ok,
        Self::NullArgument,
        Self::InvalidUtf8,
        Self::InvalidArgument,
        Self::IndexOutOfRange,
        Self::NotFound,
        Self::NotPdf,
        Self::Encrypted,
        Self::BadCertificate,
        Self::Io,
        Self::BadImage,
        Self::NoQrCode,
        Self::BadKey,
        Self::BadClaims,
        Self::BelowLegalMinimum,
        Self::Limit,
        Self::Internal,
        Self::Panic,
    ];

    fn from_u32(n: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|s| *s as u32 == n)
    }
}

/// A static, NUL-terminated name for a `docseal_status` value, e.g. `"DOCSEAL_STATUS_NOT_PDF"`;
/// numbers that are not a status give `"DOCSEAL_STATUS_UNKNOWN"`. Never NULL; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn docseal_status_name(status: u32) -> *const c_char {
    let Some(status) = docseal_status::from_u32(status) else {
        return c"DOCSEAL_STATUS_UNKNOWN".as_ptr();
    };
    let name: &'static CStr = match status {
        docseal_status::Ok => c"DOCSEAL_STATUS_OK",
        docseal_status::NullArgument => c"DOCSEAL_STATUS_NULL_ARGUMENT",
        docseal_status::InvalidUtf8 => c"DOCSEAL_STATUS_INVALID_UTF8",
        docseal_status::InvalidArgument => c"DOCSEAL_STATUS_INVALID_ARGUMENT",
        docseal_status::IndexOutOfRange => c"DOCSEAL_STATUS_INDEX_OUT_OF_RANGE",
        docseal_status::NotFound => c"DOCSEAL_STATUS_NOT_FOUND",
        docseal_status::NotPdf => c"DOCSEAL_STATUS_NOT_PDF",
        docseal_status::Encrypted => c"DOCSEAL_STATUS_ENCRYPTED",
        docseal_status::BadCertificate => c"DOCSEAL_STATUS_BAD_CERTIFICATE",
        docseal_status::Io => c"DOCSEAL_STATUS_IO",
        docseal_status::BadImage => c"DOCSEAL_STATUS_BAD_IMAGE",
        docseal_status::NoQrCode => c"DOCSEAL_STATUS_NO_QR_CODE",
        docseal_status::BadKey => c"DOCSEAL_STATUS_BAD_KEY",
        docseal_status::BadClaims => c"DOCSEAL_STATUS_BAD_CLAIMS",
        docseal_status::BelowLegalMinimum => c"DOCSEAL_STATUS_BELOW_LEGAL_MINIMUM",
        docseal_status::Limit => c"DOCSEAL_STATUS_LIMIT",
        docseal_status::Internal => c"DOCSEAL_STATUS_INTERNAL",
        docseal_status::Panic => c"DOCSEAL_STATUS_PANIC",
    };
    name.as_ptr()
}
