//! QR result certificates: signed, compact, offline-verifiable proof of an administrative
//! result printed on paper, built like the EU Digital COVID Certificate (HCERT).
//!
//! Text = `VN1:` + Base45 (RFC 9285) of zlib of a COSE_Sign1 (RFC 9052, tag 18) whose payload
//! is a CWT claims map (RFC 8392, schema in [`payload`]). The protected header carries `alg`
//! (ES256, or EdDSA) and `kid` = the first 8 bytes of the SHA-256 of the signer certificate's
//! DER. The same verifier accepts EU DCC payloads (`HC1:`, claim -260) and applies the HCERT
//! certificate-type restrictions of the signer certificate's extended key usage. It verifies
//! the algorithms of both specifications: ES256 and EdDSA, and PS256 (RSASSA-PSS with SHA-256,
//! MGF1-SHA-256, 32-byte salt; RFC 8230 §2), which the DCC allows as its second algorithm
//! (HCERT 1.3 §3.3.2), with an RSA key of at least 2048 bits. [`QrIssuer`] signs ES256 or EdDSA
//! only: they make smaller codes.
//!
//! Validity in time, by profile:
//!
//! * `VN1:`: valid when `nbf <= at < exp` (RFC 8392 §3.1.4: "on or after" `exp` it MUST NOT be
//!   accepted);
//! * `HC1:`: valid when `nbf <= at <= exp`: the EU DCC test vectors (dgc-testdata) set the
//!   validation clock exactly at `exp` and expect the certificate to be valid there;
//!
//! and in both, `iat` is not more than 5 minutes after `at`. Fractional dates are rounded
//! towards less validity ([`payload`]).
//!
//! ```no_run
//! use docseal::{qr::{QrIssuer, QrVerifier, payload::Claims}, time::ValidationTime};
//!
//! let (key, cert) = (std::fs::read("signer.pk8")?, std::fs::read("signer.der")?);
//! let issuer = QrIssuer::from_pkcs8(&key, &cert)?;
//! let claims = Claims { iss: Some("VN-HCM-QH1".into()), iat: Some(1_899_000_000),
//!     exp: 1_950_000_000, nbf: None, result: None };
//! let text = issuer.issue(&claims)?;
//! let verifier = QrVerifier::builder().signer_certificate_der(&cert)?.build();
//! let report = verifier.verify_text(&text, ValidationTime::from_unix(1_900_000_000)?);
//! assert!(report.valid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod codec;
#[cfg(feature = "scan")]
mod detect;
#[cfg(feature = "scan")]
mod locate;
pub mod payload;
#[cfg(feature = "scan")]
mod symbol;

use coset::{CoseSign1Builder, HeaderBuilder, RegisteredLabelWithPrivate, iana};
use ring::{
    rand::SystemRandom,
    signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _},
};
use serde::Serialize;

pub use self::codec::Prefix;
use self::payload::Claims;
use crate::{certs::CertificateError, pki::x509, time::ValidationTime};

/// Largest decompressed COSE accepted: a QR code holds at most 2,953 bytes, and real payloads
/// compress about 2:1, so 64 KiB is generous and stops zlib bombs.
const MAX_INFLATED: usize = 64 * 1024;

/// How far in the future `iat` may lie before a certificate counts as issued in the future
/// (clock differences between the issuing system and a phone): 5 minutes.
const MAX_CLOCK_SKEW: i64 = 300;

/// EU DCC certificate-type extended key usages (HCERT 1.3 §5.1.1; both OID arcs are in use).
const DCC_EKU: &[(&str, char)] = &[
    ("1.3.6.1.4.1.1847.2021.1.1", 't'),
    ("1.3.6.1.4.1.1847.2021.1.2", 'v'),
    ("1.3.6.1.4.1.1847.2021.1.3", 'r'),
    ("1.3.6.1.4.1.0.1847.2021.1.1", 't'),
    ("1.3.6.1.4.1.0.1847.2021.1.2", 'v'),
    ("1.3.6.1.4.1.0.1847.2021.1.3", 'r'),
];

/// One verification stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// `VN1:` or `HC1:`.
    Prefix,
    /// Base45 decoding.
    Base45,
    /// zlib decompression within the size limit.
    Zlib,
    /// COSE_Sign1 structure, supported algorithm, claims map.
    Cose,
    /// A trusted signer certificate matches the `kid`.
    IssuerTrusted,
    /// The signature verifies with that certificate's key.
    Signature,
    /// `nbf <= at < exp` (`VN1:`), `nbf <= at <= exp` (`HC1:`).
    Time,
    /// The signer certificate may sign this kind of certificate (keyUsage; DCC EKU types).
    KeyUsage,
}

/// The outcome of one stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageResult {
    /// Which stage.
    pub stage: Stage,
    /// Whether it passed.
    pub ok: bool,
    /// Why, in plain words.
    pub reason: String,
}

/// The version of the QR report's JSON ([`QrReport::to_json_value`]): fields may be added
/// within a version; one that changes meaning or disappears makes a new version.
pub const QR_SCHEMA_VERSION: u32 = 1;

/// The verification report of one QR payload.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct QrReport {
    /// [`QR_SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `valid`, `invalid` or `indeterminate` (signer not trusted).
    pub verdict: crate::report::Verdict,
    /// The stages that ran, in order; the first that failed is the reason.
    pub stages: Vec<StageResult>,
    /// Which format the prefix named.
    pub prefix: Option<Prefix>,
    /// The claims, once the COSE structure parsed (shown even when the signature fails, so
    /// an officer can see what a forgery claims).
    pub claims: Option<Claims>,
    /// For `HC1:` payloads, claim -260 key 1 (the DCC payload, HCERT 1.3 §2.6.3) as JSON.
    pub hcert: Option<serde_json::Value>,
    /// The protected (else unprotected) key identifier, hex.
    pub kid: Option<String>,
    /// The trusted certificate whose key verified the signature.
    pub signer: Option<crate::report::CertificateInfo>,
}

impl QrReport {
    /// True when every stage passed.
    pub fn valid(&self) -> bool {
        self.verdict == crate::report::Verdict::Valid
    }

    /// Whether `stage` ran and passed.
    pub fn passed(&self, stage: Stage) -> bool {
        self.stages.iter().any(|s| s.stage == stage && s.ok)
    }

    /// The report as the JSON object that `verify_permit --json` prints for one QR payload and
    /// that the C ABI's `docseal_qr_report_json` lists: every field of this type
    /// (`schema_version`, `verdict`, `stages`, `prefix`, `claims`, `hcert`, `kid`, `signer`),
    /// plus
    ///
    /// * `qr_decoded`: `true` (a payload was obtained; a code that could not be read has no
    ///   report);
    /// * `qr_text`: `qr_text`, the text read from an image, or `null` when the payload was
    ///   given as text;
    /// * one boolean per stage, `true` when it ran and passed: `prefix_ok`, `base45_ok`,
    ///   `zlib_ok`, `cose_ok`, `issuer_trusted`, `signature_ok`, `time_ok`, `key_usage_ok`.
    ///   Stages stop at the first failure, so every stage after it is `false`.
    ///
    /// # Errors
    /// Only if serialization fails, which the field types rule out (no map with non-string
    /// keys); kept as an error rather than a panic.
    pub fn to_json_value(
        &self,
        qr_text: Option<&str>,
    ) -> Result<serde_json::Value, serde_json::Error> {
        let mut value = serde_json::to_value(self)?;
        if let Some(o) = value.as_object_mut() {
            o.insert("qr_decoded".into(), true.into());
            o.insert("qr_text".into(), qr_text.into());
            for (key, stage) in [
                ("prefix_ok", Stage::Prefix),
                ("base45_ok", Stage::Base45),
                ("zlib_ok", Stage::Zlib),
                ("cose_ok", Stage::Cose),
                ("issuer_trusted", Stage::IssuerTrusted),
                ("signature_ok", Stage::Signature),
                ("time_ok", Stage::Time),
                ("key_usage_ok", Stage::KeyUsage),
            ] {
                o.insert(key.into(), self.passed(stage).into());
            }
        }
        Ok(value)
    }
}

/// Verifies QR payload texts against a trust list of signer certificates.
#[derive(Clone, Debug, Default)]
pub struct QrVerifier {
    signers: Vec<(Vec<u8>, [u8; 8])>,
}

/// Builds a [`QrVerifier`].
#[derive(Clone, Debug, Default)]
pub struct QrVerifierBuilder {
    signers: Vec<(Vec<u8>, [u8; 8])>,
}

impl QrVerifierBuilder {
    /// Trusts a signer certificate (DER). Default: none, so nothing is trusted.
    ///
    /// # Errors
    /// [`CertificateError::Malformed`] when the bytes are not a certificate.
    pub fn signer_certificate_der(mut self, der: &[u8]) -> Result<Self, CertificateError> {
        x509::parse(der).map_err(|reason| CertificateError::Malformed { index: 0, reason })?;
        self.signers.push((der.to_vec(), kid_of(der)));
        Ok(self)
    }

    /// The verifier.
    pub fn build(self) -> QrVerifier {
        QrVerifier {
            signers: self.signers,
        }
    }
}

/// `kid` of a certificate: the first 8 bytes of the SHA-256 of its DER.
pub fn kid_of(cert_der: &[u8]) -> [u8; 8] {
    let digest = ring::digest::digest(&ring::digest::SHA256, cert_der);
    let mut kid = [0u8; 8];
    kid.copy_from_slice(&digest.as_ref()[..8]);
    kid
}

impl QrVerifier {
    /// A builder with an empty trust list.
    pub fn builder() -> QrVerifierBuilder {
        QrVerifierBuilder::default()
    }

    /// Verifies a payload text (what a QR code holds) as of `at`. Never fails: every problem
    /// is a failed stage in the report.
    pub fn verify_text(&self, text: &str, at: ValidationTime) -> QrReport {
        let mut run = Run {
            report: QrReport {
                schema_version: QR_SCHEMA_VERSION,
                verdict: crate::report::Verdict::Invalid,
                stages: Vec::new(),
                prefix: None,
                claims: None,
                hcert: None,
                kid: None,
                signer: None,
            },
        };
        self.stages(&mut run, text.trim(), at.unix());
        // Derived from the stages: an unknown signer is INDETERMINATE (the certificate may be
        // genuine, docseal cannot tell), any other failure proves it wrong.
        run.report.verdict = match run.report.stages.iter().find(|s| !s.ok) {
            None => crate::report::Verdict::Valid,
            Some(s) if s.stage == Stage::IssuerTrusted => crate::report::Verdict::Indeterminate,
            Some(_) => crate::report::Verdict::Invalid,
        };
        run.report
    }

    /// Runs the stages in order, stopping at the first that cannot be passed.
    fn stages(&self, run: &mut Run, text: &str, at: i64) {
        let Some((prefix, body)) = run.step(Stage::Prefix, codec::prefix(text), |(p, _)| {
            format!("{} payload", p.text())
        }) else {
            return;
        };
        run.report.prefix = Some(prefix);
        let Some(compressed) = run.step(Stage::Base45, codec::base45(body), |b| {
            format!("{} bytes", b.len())
        }) else {
            return;
        };
        let Some(cbor) = run.step(
            Stage::Zlib,
            codec::inflate(&compressed, MAX_INFLATED),
            |b| format!("{} bytes of COSE", b.len()),
        ) else {
            return;
        };
        let parsed = codec::cose(&cbor).and_then(|sign1| {
            let alg = sign1.protected.header.alg.clone();
            let scheme = match alg {
                Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256)) => Scheme::Es256,
                Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::EdDSA)) => Scheme::EdDsa,
                Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::PS256)) => Scheme::Ps256,
                other => return Err(format!("algorithm {other:?} is not ES256, EdDSA or PS256")),
            };
            let payload = sign1
                .payload
                .clone()
                .ok_or("the COSE_Sign1 has no payload")?;
            let (claims, hcert) = payload::parse(&payload)?;
            Ok((sign1, scheme, claims, hcert))
        });
        let Some((sign1, scheme, claims, hcert)) = run.step(Stage::Cose, parsed, |(_, s, _, _)| {
            format!("COSE_Sign1, {s:?}, CWT claims")
        }) else {
            return;
        };
        run.report.claims = Some(claims.clone());
        run.report.hcert = hcert.clone();
        // The protected kid is authoritative; the unprotected one only when it is absent.
        let kid = if sign1.protected.header.key_id.is_empty() {
            sign1.unprotected.key_id.clone()
        } else {
            sign1.protected.header.key_id.clone()
        };
        run.report.kid = (!kid.is_empty()).then(|| x509::hex(&kid));
        let candidates: Vec<&Vec<u8>> = self
            .signers
            .iter()
            .filter(|(_, k)| k.as_slice() == kid.as_slice())
            .map(|(der, _)| der)
            .collect();
        if candidates.is_empty() {
            run.push(
                Stage::IssuerTrusted,
                false,
                format!(
                    "no trusted signer certificate has kid {}",
                    if kid.is_empty() {
                        "(none)".to_owned()
                    } else {
                        x509::hex(&kid)
                    }
                ),
            );
            return;
        }
        run.push(
            Stage::IssuerTrusted,
            true,
            format!("{} certificate(s) with this kid", candidates.len()),
        );
        let tbs = sign1.tbs_data(b"");
        let mut refused = None;
        let verified = candidates.iter().find_map(|der| {
            let cert = x509::parse(der).ok()?;
            match scheme.verify(&cert, &tbs, &sign1.signature) {
                Ok(()) => Some((cert, der.as_slice())),
                Err(why) => {
                    refused = refused.take().or(why);
                    None
                }
            }
        });
        let Some((cert, signer_der)) = verified else {
            let why = refused.map_or(String::new(), |w| format!(" ({w})"));
            run.push(
                Stage::Signature,
                false,
                format!(
                    "the signature does not verify with any trusted certificate of this kid{why}"
                ),
            );
            return;
        };
        run.push(
            Stage::Signature,
            true,
            format!("{scheme:?} signature verifies"),
        );
        run.report.signer = Some(x509::info(&cert, signer_der));
        let time = match (claims.nbf, claims.exp) {
            (Some(nbf), _) if at < nbf => {
                Err(format!("not valid before {}", crate::time::rfc3339(nbf)))
            }
            _ if claims
                .iat
                .is_some_and(|iat| iat > at.saturating_add(MAX_CLOCK_SKEW)) =>
            {
                Err(format!(
                    "issued in the future ({})",
                    crate::time::rfc3339(claims.iat.unwrap_or_default())
                ))
            }
            (_, exp) if expired(prefix, at, exp) => {
                Err(format!("expired at {}", crate::time::rfc3339(exp)))
            }
            (_, exp) => Ok(match prefix {
                Prefix::Vn1 => format!("valid until {} (exclusive)", crate::time::rfc3339(exp)),
                Prefix::Hc1 => format!("valid until {} (inclusive)", crate::time::rfc3339(exp)),
            }),
        };
        if run.step(Stage::Time, time, Clone::clone).is_none() {
            return;
        }
        let usage = key_usage(&cert, prefix, hcert.as_ref());
        let _ = run.step(Stage::KeyUsage, usage, Clone::clone);
    }
}

/// Whether `exp` has passed at `at`: RFC 8392 §3.1.4 for `VN1:` (not accepted on or after
/// `exp`); for `HC1:`, only after `exp`, as the EU DCC test vectors expect at exactly `exp`.
fn expired(prefix: Prefix, at: i64, exp: i64) -> bool {
    match prefix {
        Prefix::Vn1 => at >= exp,
        Prefix::Hc1 => at > exp,
    }
}

/// keyUsage must allow signing; for HC1, the DCC types present must be allowed by the
/// certificate's DCC extended key usages, if it has any.
fn key_usage(
    cert: &x509_parser::certificate::X509Certificate<'_>,
    prefix: Prefix,
    hcert: Option<&serde_json::Value>,
) -> Result<String, String> {
    if let Ok(Some(ku)) = cert.key_usage()
        && !ku.value.digital_signature()
    {
        return Err("the signer certificate's keyUsage lacks digitalSignature".into());
    }
    if prefix != Prefix::Hc1 {
        return Ok("the certificate allows digital signatures".into());
    }
    let ekus: Vec<String> = match cert.extended_key_usage() {
        Ok(Some(eku)) => eku.value.other.iter().map(|o| o.to_id_string()).collect(),
        _ => Vec::new(),
    };
    let allowed: Vec<char> = DCC_EKU
        .iter()
        .filter(|(oid, _)| ekus.iter().any(|e| e == oid))
        .map(|(_, t)| *t)
        .collect();
    let dcc = hcert;
    let present: Vec<char> = ['v', 't', 'r']
        .into_iter()
        .filter(|t| dcc.and_then(|d| d.get(t.to_string())).is_some())
        .collect();
    if allowed.is_empty() {
        return Ok("the DSC carries no DCC type restriction".into());
    }
    match present.iter().find(|t| !allowed.contains(t)) {
        Some(t) => Err(format!(
            "the DSC may not sign DCC type {t:?} (allowed: {allowed:?})"
        )),
        None => Ok(format!("DCC types {present:?} allowed by the DSC")),
    }
}

/// The COSE algorithms verified (RFC 9053 §2.1, §2.2; RFC 8230 §2).
#[derive(Clone, Copy, Debug)]
enum Scheme {
    Es256,
    EdDsa,
    /// RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt (COSE alg -37).
    Ps256,
}

impl Scheme {
    /// Verifies `sig` over `tbs` with `cert`'s key: `Err(Some(why))` when the key cannot be
    /// used with this algorithm at all, `Err(None)` when the signature is wrong.
    fn verify(
        self,
        cert: &x509_parser::certificate::X509Certificate<'_>,
        tbs: &[u8],
        sig: &[u8],
    ) -> Result<(), Option<String>> {
        let spki = cert.public_key();
        let bits = &*spki.subject_public_key.data;
        let ring_alg: &dyn signature::VerificationAlgorithm = match self {
            // COSE ECDSA signatures are r || s (RFC 9053 §2.1), not DER.
            Self::Es256 => &signature::ECDSA_P256_SHA256_FIXED,
            Self::EdDsa => &signature::ED25519,
            Self::Ps256 => {
                use crate::pki::sigalg::{
                    DigestAlgorithm, KeyKind, MIN_RSA_BITS, PublicKey, Scheme,
                };
                let params = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .map(|p| p.data)
                    .filter(|d| !d.is_empty());
                let key = PublicKey::from_spki(spki.algorithm.algorithm.as_bytes(), params, bits)
                    .map_err(|e| Some(format!("the key: {e}")))?;
                match key.kind {
                    KeyKind::Rsa { bits } if bits >= MIN_RSA_BITS => {}
                    // RFC 8230 §6.1: keys below 2048 bits MUST NOT be used.
                    kind => {
                        return Err(Some(format!(
                            "PS256 needs an RSA key of at least {MIN_RSA_BITS} bits, not {}",
                            kind.name()
                        )));
                    }
                }
                return Scheme::RsaPss(DigestAlgorithm::Sha256, 32)
                    .verify(&key, tbs, sig)
                    .map_err(|e| match e {
                        crate::pki::sigalg::AlgError::BadSignature => None,
                        other => Some(other.to_string()),
                    });
            }
        };
        signature::UnparsedPublicKey::new(ring_alg, bits)
            .verify(tbs, sig)
            .map_err(|_| None)
    }
}

struct Run {
    report: QrReport,
}

impl Run {
    fn push(&mut self, stage: Stage, ok: bool, reason: String) {
        self.report.stages.push(StageResult { stage, ok, reason });
    }

    /// Records a stage from a result; returns the value when it passed.
    fn step<T>(
        &mut self,
        stage: Stage,
        r: Result<T, String>,
        why: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        match r {
            Ok(v) => {
                self.push(stage, true, why(&v));
                Some(v)
            }
            Err(e) => {
                self.push(stage, false, e);
                None
            }
        }
    }
}

/// A payload text rendered for print at error-correction level Q (ISO/IEC 18004), with the
/// 4-module quiet zone, each module `dots` × `dots` pixels so that it is a whole number of
/// printer dots (4 at 300 dpi makes 0.34 mm modules).
#[derive(Clone, Debug)]
pub struct Printed {
    /// QR version (1–40) the text needed.
    pub version: i16,
    /// The code as SVG.
    pub svg: String,
    /// The code as PNG (8-bit grey).
    pub png: Vec<u8>,
}

/// Most printer dots per module [`print`](fn@print) (and `docseal_qr_print`) accepts: 32 dots make
/// 0.34 mm modules at 2400 dpi, and the largest code (version 40, 185 modules with the quiet
/// zone) stays within 6000 × 6000 pixels (36 MB of grey).
pub const MAX_DOTS: u32 = 32;

/// Renders `text` as a QR code at level Q.
///
/// # Errors
/// [`QrError::Claims`] when the text does not fit a QR code or `dots` is not in
/// 1..=[`MAX_DOTS`].
pub fn print(text: &str, dots: u32) -> Result<Printed, QrError> {
    use qrcode::{EcLevel, QrCode, Version, render::svg};
    if !(1..=MAX_DOTS).contains(&dots) {
        return Err(QrError::Claims(format!(
            "dots per module must be 1 to {MAX_DOTS}, not {dots}"
        )));
    }
    let code = QrCode::with_error_correction_level(text, EcLevel::Q)
        .map_err(|e| QrError::Claims(format!("does not fit a QR code: {e}")))?;
    let version = match code.version() {
        Version::Normal(v) | Version::Micro(v) => v,
    };
    let svg = code
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(dots, dots)
        .build();
    let grey = code
        .render::<image::Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(dots, dots)
        .build();
    let mut png = Vec::new();
    grey.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| QrError::Claims(format!("PNG encoding: {e}")))?;
    Ok(Printed { version, svg, png })
}

/// Largest image accepted for QR decoding, in pixels per side and decoded bytes: a 12 MP
/// phone photo is 4000 × 3000 (36 MB in RGB); the byte budget is the scan pipeline's default
/// (checked from the header, before allocating).
#[cfg(feature = "scan")]
const MAX_IMAGE_SIDE: u32 = 8192;
#[cfg(feature = "scan")]
const MAX_IMAGE_BYTES: u64 = 80 * 1024 * 1024;

/// Every QR code found in an image (PNG, JPEG, TIFF, WebP, GIF or BMP), as text, in the order
/// found. Needs the `scan` feature (its bounded image loader).
///
/// Runs a retry ladder until a variant of the image yields a readable code: docseal's
/// finder-pattern locator over several adaptive binarizations, each also inverted, then rqrr's
/// own detector (see `testdata/qr/renders/RESULTS.md` for what it reads).
///
/// # Errors
/// [`QrError::Image`] when the bytes are not a decodable image of those formats within the
/// limits.
#[cfg(feature = "scan")]
pub fn decode_image(bytes: &[u8]) -> Result<Vec<Result<String, String>>, QrError> {
    // The scan loader's bounded decoding: PNG iCCP and text chunks skipped, JPEG metadata
    // capped, every buffer checked against the budget before it is allocated.
    let options = crate::scan::ScanOptions {
        max_image_side: MAX_IMAGE_SIDE,
        max_alloc_bytes: MAX_IMAGE_BYTES,
        ..crate::scan::ScanOptions::default()
    };
    // A decoding failure is reported with the decoder's own reason (e.g. "The image format
    // Gif is not supported"), the rest (a limit) as the loader says it.
    let (image, _) = crate::scan::decode_bounded(bytes, &options).map_err(|e| {
        QrError::Image(match e {
            crate::scan::ScanError::Decode(why) => why.to_string(),
            other => other.to_string(),
        })
    })?;
    let grey = image.into_luma8();
    Ok(detect::symbols(&grey))
}

/// Every QR code found on a normalized page (an already decoded grey image), as text, in the
/// order found: a cheap half-size search, then the retry ladder of [`decode_image`] only where
/// a code may be. For the scan pipeline, which reads the codes before any destructive clean-up.
#[cfg(feature = "scan")]
pub(crate) fn decode_grey(grey: &image::GrayImage) -> Vec<Result<String, String>> {
    detect::page_symbols(grey)
}

/// How a result certificate relates to a PDF (its `document_sha256`). Needs the `pdf` feature.
#[cfg(feature = "pdf")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "revision")]
pub enum Binding {
    /// The digest is the SHA-256 of the whole file.
    WholeFile,
    /// The digest is the SHA-256 of revision k (1-based) of the file: the PDF was updated
    /// after the certificate was issued (see the PDF report for what changed).
    Revision(usize),
    /// The digest matches neither the file nor any of its revisions.
    Mismatch,
}

/// Checks that `result` belongs to `pdf`: its `document_sha256` must be the SHA-256 of the
/// file or of one of its revisions (ISO 32000-2 §7.5.6). One hashing pass serves all. Needs
/// the `pdf` feature.
#[cfg(feature = "pdf")]
pub fn binding(result: &payload::PermitResult, pdf: &[u8]) -> Binding {
    use crate::pdf::{byte_range::PrefixHasher, revisions};
    let want = result.document_sha256.to_ascii_lowercase();
    let hasher = PrefixHasher::new(pdf);
    let matches = |end: usize| x509::hex(hasher.sha256_prefix(end).as_ref()) == want;
    // Revision ends in file order let the snapshots of one pass serve every prefix.
    let revisions =
        revisions::scan(pdf, crate::limits::Limits::default().max_revisions).unwrap_or_default();
    if let Some(k) = revisions
        .iter()
        .position(|r| r.end < pdf.len() && matches(r.end))
    {
        return Binding::Revision(k + 1);
    }
    if matches(pdf.len()) {
        Binding::WholeFile
    } else {
        Binding::Mismatch
    }
}

/// Why a certificate could not be issued.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// The PKCS#8 key is not a P-256 or Ed25519 key, or does not match the certificate.
    #[error("the signing key is unusable: {0}")]
    Key(String),
    /// The claims could not be encoded.
    #[error("the claims cannot be encoded: {0}")]
    Claims(String),
    /// The image could not be read.
    #[error("the image cannot be read: {0}")]
    Image(String),
}

/// Issues `VN1:` result certificates with one signer key and certificate.
pub struct QrIssuer {
    key: IssuerKey,
    kid: [u8; 8],
    rng: SystemRandom,
}

enum IssuerKey {
    Es256(EcdsaKeyPair),
    EdDsa(Ed25519KeyPair),
}

impl QrIssuer {
    /// An issuer from a PKCS#8 private key (P-256 or Ed25519) and its certificate (DER).
    ///
    /// # Errors
    /// [`QrError::Key`] when the key is neither, or its public key is not the certificate's.
    pub fn from_pkcs8(pkcs8: &[u8], cert_der: &[u8]) -> Result<Self, QrError> {
        let rng = SystemRandom::new();
        let cert = x509::parse(cert_der).map_err(QrError::Key)?;
        let cert_key = cert.public_key().subject_public_key.data.to_vec();
        let key = match EcdsaKeyPair::from_pkcs8(
            &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8,
            &rng,
        ) {
            Ok(k) => IssuerKey::Es256(k),
            Err(_) => IssuerKey::EdDsa(
                Ed25519KeyPair::from_pkcs8_maybe_unchecked(pkcs8)
                    .map_err(|e| QrError::Key(format!("not a P-256 or Ed25519 PKCS#8 key: {e}")))?,
            ),
        };
        let public = match &key {
            IssuerKey::Es256(k) => k.public_key().as_ref().to_vec(),
            IssuerKey::EdDsa(k) => k.public_key().as_ref().to_vec(),
        };
        if public != cert_key {
            return Err(QrError::Key(
                "the key does not belong to the certificate".into(),
            ));
        }
        Ok(Self {
            key,
            kid: kid_of(cert_der),
            rng,
        })
    }

    /// Signs `claims` and returns the `VN1:` text to put in a QR code.
    ///
    /// # Errors
    /// [`QrError::Claims`] when a field cannot be encoded (e.g. a digest that is not 64 hex
    /// digits), [`QrError::Key`] if signing fails.
    pub fn issue(&self, claims: &Claims) -> Result<String, QrError> {
        let payload = payload::encode(claims).map_err(QrError::Claims)?;
        let alg = match self.key {
            IssuerKey::Es256(_) => iana::Algorithm::ES256,
            IssuerKey::EdDsa(_) => iana::Algorithm::EdDSA,
        };
        let protected = HeaderBuilder::new()
            .algorithm(alg)
            .key_id(self.kid.to_vec())
            .build();
        let mut failure = None;
        let sign1 = CoseSign1Builder::new()
            .protected(protected)
            .payload(payload)
            .create_signature(b"", |tbs| match &self.key {
                IssuerKey::Es256(k) => k.sign(&self.rng, tbs).map_or_else(
                    |e| {
                        failure = Some(e.to_string());
                        Vec::new()
                    },
                    |s| s.as_ref().to_vec(),
                ),
                IssuerKey::EdDsa(k) => k.sign(tbs).as_ref().to_vec(),
            })
            .build();
        if let Some(e) = failure {
            return Err(QrError::Key(e));
        }
        codec::encode(Prefix::Vn1, sign1).map_err(QrError::Claims)
    }
}
