//! Certificate helpers over x509-parser: names as text, keys for ring, issuer signatures.

use crate::time::ValidationTime;
use std::fmt::Write as _;

use x509_parser::{
    certificate::X509Certificate,
    prelude::FromDer,
    x509::{AttributeTypeAndValue, X509Name},
};

use serde::Serialize;

use crate::pki::{
    oid,
    sigalg::{AlgError, KeyKind, PublicKey, Scheme},
};

/// A name or string from a certificate or the PDF: text when it decodes, else hex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Name {
    /// Decoded text (UTF-8, PrintableString, BMPString, PDFDocEncoding, UTF-16BE).
    Text(String),
    /// Bytes that do not decode as text, in lowercase hex.
    Hex(String),
}

impl Name {
    /// The text, or `#` and the hex when it did not decode.
    pub fn display(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Hex(h) => format!("#{h}"),
        }
    }
}

/// What a certificate says about its holder and issuer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CertificateInfo {
    /// Full subject distinguished name (RFC 4514 order reversed to the usual reading order).
    pub subject: Name,
    /// Subject common name (CN).
    pub common_name: Option<Name>,
    /// Subject organization (O): for a signer, the managing organization.
    pub organization: Option<Name>,
    /// Subject organizational unit (OU).
    pub organizational_unit: Option<Name>,
    /// Serial number, lowercase hex.
    pub serial: String,
    /// Full issuer distinguished name.
    pub issuer: Name,
    /// Issuer common name: for a signer, the issuing CA.
    pub issuer_common_name: Option<Name>,
    /// Start of the validity period.
    pub not_before: ValidationTime,
    /// End of the validity period.
    pub not_after: ValidationTime,
    /// Public key kind and size, e.g. `RSA 2048`.
    pub key: String,
    /// SHA-256 of the certificate's DER, lowercase hex.
    pub sha256: String,
}

impl CertificateInfo {
    /// One line for a list of trust anchors: subject CN (else the whole subject), O,
    /// validity and SHA-256 fingerprint, separated by ` | `, e.g.
    /// `Vietnam National Root CA | Ministry of Information and Communications |
    /// 2014-04-15T16:29:20Z .. 2039-04-15T16:29:20Z | bac8bf60…` (on one line).
    pub fn summary(&self) -> String {
        format!(
            "{} | {} | {} .. {} | {}",
            self.common_name.as_ref().unwrap_or(&self.subject).display(),
            self.organization
                .as_ref()
                .map_or_else(|| "-".to_owned(), Name::display),
            self.not_before,
            self.not_after,
            self.sha256
        )
    }
}

/// Parses one DER certificate; trailing bytes are refused.
pub(crate) fn parse(der: &[u8]) -> Result<X509Certificate<'_>, String> {
    match X509Certificate::from_der(der) {
        Ok(([], cert)) => Ok(cert),
        Ok((rest, _)) => Err(format!("{} bytes follow the certificate", rest.len())),
        Err(e) => Err(format!("not an X.509 certificate: {e}")),
    }
}

/// The certificate's public key, ready for ring.
pub(crate) fn public_key<'a>(cert: &'a X509Certificate<'_>) -> Result<PublicKey<'a>, AlgError> {
    let spki = cert.public_key();
    PublicKey::from_spki(
        spki.algorithm.algorithm.as_bytes(),
        spki.algorithm.parameters.as_ref().map(|p| p.data),
        &spki.subject_public_key.data,
    )
}

/// The scheme `cert` was signed with.
pub(crate) fn signature_scheme(cert: &X509Certificate<'_>) -> Result<Scheme, AlgError> {
    let alg = &cert.signature_algorithm;
    Scheme::from_oid(
        alg.algorithm.as_bytes(),
        alg.parameters.as_ref().map(|p| p.data),
        None,
    )
}

/// Verifies that `issuer`'s key signed `cert` (RFC 5280 §6.1.3 (a)(1)).
pub(crate) fn verify_issued_by(
    cert: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
) -> Result<(Scheme, KeyKind), AlgError> {
    let scheme = signature_scheme(cert)?;
    let key = public_key(issuer)?;
    scheme.verify(
        &key,
        cert.tbs_certificate.as_ref(),
        &cert.signature_value.data,
    )?;
    Ok((scheme, key.kind))
}

/// The report's view of a certificate.
pub(crate) fn info(cert: &X509Certificate<'_>, der: &[u8]) -> CertificateInfo {
    let validity = cert.validity();
    CertificateInfo {
        subject: dn(cert.subject()),
        common_name: attribute(cert.subject(), oid::AT_COMMON_NAME),
        organization: attribute(cert.subject(), oid::AT_ORGANIZATION),
        organizational_unit: attribute(cert.subject(), oid::AT_ORGANIZATIONAL_UNIT),
        serial: hex(cert.raw_serial()),
        issuer: dn(cert.issuer()),
        issuer_common_name: attribute(cert.issuer(), oid::AT_COMMON_NAME),
        not_before: ValidationTime::clamped(validity.not_before.timestamp()),
        not_after: ValidationTime::clamped(validity.not_after.timestamp()),
        key: public_key(cert).map_or_else(|e| e.to_string(), |k| k.kind.name()),
        sha256: hex(ring::digest::digest(&ring::digest::SHA256, der).as_ref()),
    }
}

/// A short name for messages: the subject CN, else the whole DN.
pub(crate) fn short_name(name: &X509Name<'_>) -> String {
    attribute(name, oid::AT_COMMON_NAME)
        .unwrap_or_else(|| dn(name))
        .display()
}

/// `(not_before, not_after)` as Unix times.
pub(crate) fn validity(cert: &X509Certificate<'_>) -> (i64, i64) {
    let v = cert.validity();
    (v.not_before.timestamp(), v.not_after.timestamp())
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The first value of attribute `oid` in `name`.
fn attribute(name: &X509Name<'_>, oid: &[u8]) -> Option<Name> {
    name.iter_attributes()
        .find(|a| a.attr_type().as_bytes() == oid)
        .map(value)
}

/// A distinguished name in RFC 4514 order (most specific first), values decoded.
fn dn(name: &X509Name<'_>) -> Name {
    let mut parts = Vec::new();
    let mut all_text = true;
    for rdn in name.iter_rdn() {
        let rdn_text: Vec<String> = rdn
            .iter()
            .map(|atv| {
                let v = value(atv);
                all_text &= matches!(v, Name::Text(_));
                format!(
                    "{}={}",
                    oid::name(atv.attr_type().as_bytes()),
                    escape(&v.display())
                )
            })
            .collect();
        parts.push(rdn_text.join("+"));
    }
    parts.reverse();
    if all_text {
        Name::Text(parts.join(", "))
    } else {
        Name::Hex(hex(name.as_raw()))
    }
}

/// Decodes a DirectoryString value (RFC 5280 §4.1.2.4): UTF8String, PrintableString,
/// IA5String, NumericString, TeletexString (as Latin-1), BMPString (UTF-16BE) and
/// UniversalString (UTF-32BE); anything else is hex.
fn value(atv: &AttributeTypeAndValue<'_>) -> Name {
    let any = atv.attr_value();
    let data = any.data;
    let text = match any.header.tag().0 {
        12 | 18 | 19 | 22 => std::str::from_utf8(data).ok().map(str::to_owned),
        20 => Some(data.iter().map(|b| char::from(*b)).collect()),
        30 if data.len() % 2 == 0 => {
            let units: Vec<u16> = data
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        28 if data.len() % 4 == 0 => data
            .chunks_exact(4)
            .map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        _ => None,
    };
    text.map_or_else(|| Name::Hex(hex(data)), Name::Text)
}

/// RFC 4514 §2.4 escaping of the characters that would make a DN ambiguous.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
