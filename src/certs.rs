//! Sets of certificates supplied by the caller: trust anchors and extra intermediates.

// Path building over a set's entries is the PDF verifier's; without the `pdf` feature those
// accessors have no user but stay, as the set is the same type.
#![cfg_attr(not(feature = "pdf"), allow(dead_code))]

use std::{
    fmt,
    path::{Path, PathBuf},
    str::FromStr,
};

use x509_parser::pem::Pem;

use crate::{pki::x509, report::CertificateInfo};

mod profile;

pub use profile::{PinnedRoot, ProfileLoad, Refusal, Refused, TrustProfile};

/// A set of parsed-once, deduplicated DER certificates: trust anchors or intermediates.
///
/// Trust anchors are matched by their whole certificate (subject *and* key), never by name
/// alone: a rogue root that copies a trusted root's name is not trusted (RFC 5280 §6.1.1 (d)).
/// Several generations of a root (e.g. the Vietnamese national root's 2014 and 2025 roots)
/// can be present side by side.
#[derive(Clone, Debug, Default)]
pub struct CertificateSet {
    certs: Vec<Entry>,
}

#[derive(Clone, Debug)]
pub(crate) struct Entry {
    pub(crate) der: Vec<u8>,
    /// DER of the subject Name, for issuer lookup without parsing every certificate.
    pub(crate) subject: Vec<u8>,
}

/// Why certificates could not be added.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateError {
    /// The bytes are not a DER certificate (or a PEM block did not hold one).
    #[error("certificate {index} is not a valid X.509 certificate: {reason}")]
    Malformed {
        /// 0-based position in the input (PEM block number, or 0 for DER).
        index: usize,
        /// What the parser said.
        reason: String,
    },
    /// PEM armour could not be decoded.
    #[error("PEM block {index} is malformed: {reason}")]
    Pem {
        /// 0-based PEM block number.
        index: usize,
        /// What the decoder said.
        reason: String,
    },
    /// The input held no certificate at all.
    #[error("no certificate found in {0}")]
    Empty(String),
    /// A file held something that is not a certificate.
    #[error("in {path}")]
    File {
        /// The file.
        path: PathBuf,
        /// What was wrong with it.
        #[source]
        source: Box<CertificateError>,
    },
    /// A SHA-256 fingerprint given as text is not 64 hexadecimal digits.
    #[error("{input:?} is not a SHA-256 fingerprint: {reason}")]
    Fingerprint {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A file or directory could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// The SHA-256 digest of a certificate's whole DER encoding: how an officer (and a pinned
/// trust profile) names one exact certificate.
///
/// Parsed from 64 hexadecimal digits in either case, optionally separated by `:` or spaces
/// (`openssl x509 -fingerprint -sha256` prints `AB:CD:…`); displayed as lowercase hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER certificate (not checked to be one).
    pub fn of(der: &[u8]) -> Self {
        let mut out = [0; 32];
        out.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, der).as_ref());
        Self(out)
    }

    /// A fingerprint from its 32 bytes.
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The 32 bytes of the digest.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A fingerprint written in the source as 64 lowercase or uppercase hex digits; a typo is
    /// a compile error when used in a `const`.
    pub(crate) const fn from_hex_const(hex: &str) -> Self {
        let hex = hex.as_bytes();
        assert!(hex.len() == 64, "a SHA-256 fingerprint has 64 hex digits");
        let mut out = [0; 32];
        let mut i = 0;
        while i < 32 {
            out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
            i += 1;
        }
        Self(out)
    }
}

impl FromStr for Fingerprint {
    type Err = CertificateError;

    /// # Errors
    /// [`CertificateError::Fingerprint`] unless the text holds exactly 64 hex digits (with
    /// optional `:` or whitespace between them).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let error = |reason| CertificateError::Fingerprint {
            input: input.to_owned(),
            reason,
        };
        let digits: Vec<u8> = input
            .bytes()
            .filter(|b| *b != b':' && !b.is_ascii_whitespace())
            .collect();
        if !digits.iter().all(u8::is_ascii_hexdigit) {
            return Err(error("only hex digits, ':' and spaces are allowed"));
        }
        if digits.len() != 64 {
            return Err(error("a SHA-256 fingerprint has 64 hex digits"));
        }
        let mut out = [0; 32];
        for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            *byte = (nibble(pair[0]) << 4) | nibble(pair[1]);
        }
        Ok(Self(out))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&x509::hex(&self.0))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// File extensions read from a directory by [`CertificateSet::add_path`].
const CERT_EXTENSIONS: &[&str] = &["pem", "crt", "cer", "der"];

impl CertificateSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one DER certificate; a certificate already present is not added twice.
    ///
    /// # Errors
    /// [`CertificateError::Malformed`] when the bytes are not one X.509 certificate.
    pub fn add_der(&mut self, der: &[u8]) -> Result<(), CertificateError> {
        let cert =
            x509::parse(der).map_err(|reason| CertificateError::Malformed { index: 0, reason })?;
        if !self.certs.iter().any(|e| e.der == der) {
            self.certs.push(Entry {
                der: der.to_vec(),
                subject: cert.subject().as_raw().to_vec(),
            });
        }
        Ok(())
    }

    /// Adds every certificate in a PEM bundle, or the single certificate of a DER file;
    /// returns how many certificates the input held.
    ///
    /// # Errors
    /// [`CertificateError::Pem`], [`CertificateError::Malformed`], or
    /// [`CertificateError::Empty`] when the input holds no certificate. Nothing is added
    /// when an error is returned.
    pub fn add_pem_or_der(&mut self, bytes: &[u8]) -> Result<usize, CertificateError> {
        let ders = split_pem_or_der(bytes)?;
        for der in &ders {
            self.add_der(der)?; // cannot fail: every DER was parsed by the split
        }
        Ok(ders.len())
    }

    /// Adds the certificates of a file (PEM bundle or DER) or of every `.pem`, `.crt`, `.cer`
    /// and `.der` file directly inside a directory; returns how many were read.
    ///
    /// This is the only function of the crate that touches the file system; the verifier
    /// itself takes bytes.
    ///
    /// # Errors
    /// [`CertificateError::Io`] when a path cannot be read, the parsing errors of
    /// [`Self::add_pem_or_der`] (with the file named), [`CertificateError::Empty`] for a
    /// directory without certificates.
    pub fn add_path(&mut self, path: &Path) -> Result<usize, CertificateError> {
        let io = |source| CertificateError::Io {
            path: path.to_owned(),
            source,
        };
        if !path.is_dir() {
            let bytes = std::fs::read(path).map_err(io)?;
            return self
                .add_pem_or_der(&bytes)
                .map_err(|e| CertificateError::File {
                    path: path.to_owned(),
                    source: Box::new(e),
                });
        }
        let files = cert_files(path)?;
        let mut count = 0;
        for file in &files {
            count += self.add_path(file)?;
        }
        if count == 0 {
            return Err(CertificateError::Empty(path.display().to_string()));
        }
        Ok(count)
    }

    /// Number of distinct certificates.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// True when the set holds no certificate.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// The certificates, DER-encoded, in insertion order.
    pub fn iter_der(&self) -> impl Iterator<Item = &[u8]> {
        self.certs.iter().map(|e| e.der.as_slice())
    }

    /// What an officer needs to recognise each certificate, in insertion order: subject
    /// (`common_name`, `organization`), validity (`not_before`, `not_after`), SHA-256
    /// fingerprint (`sha256`), issuer, serial and key.
    pub fn list(&self) -> Vec<CertificateInfo> {
        self.certs
            .iter()
            .filter_map(|e| x509::parse(&e.der).ok().map(|c| x509::info(&c, &e.der)))
            .collect()
    }

    /// True when the set holds the certificate with this SHA-256 fingerprint.
    pub fn contains(&self, fingerprint: &Fingerprint) -> bool {
        self.certs
            .iter()
            .any(|e| Fingerprint::of(&e.der) == *fingerprint)
    }

    /// Removes the certificate with this SHA-256 fingerprint; returns whether it was there.
    pub fn remove(&mut self, fingerprint: &Fingerprint) -> bool {
        let before = self.certs.len();
        self.certs
            .retain(|e| Fingerprint::of(&e.der) != *fingerprint);
        self.certs.len() != before
    }

    /// Adds every certificate of `other` not already present, keeping its order.
    pub fn add_set(&mut self, other: &CertificateSet) {
        for entry in &other.certs {
            if !self.certs.iter().any(|e| e.der == entry.der) {
                self.certs.push(entry.clone());
            }
        }
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.certs
    }
}

/// The DER certificates of a PEM bundle (blocks labelled `CERTIFICATE`) or of a DER file,
/// each parsed once to check that it is one certificate.
pub(crate) fn split_pem_or_der(bytes: &[u8]) -> Result<Vec<Vec<u8>>, CertificateError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CertificateError::Empty("empty input".to_owned()));
    }
    let is_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
    if !is_pem {
        x509::parse(bytes).map_err(|reason| CertificateError::Malformed { index: 0, reason })?;
        return Ok(vec![bytes.to_vec()]);
    }
    let mut ders = Vec::new();
    for (index, pem) in Pem::iter_from_buffer(bytes).enumerate() {
        let pem = pem.map_err(|e| CertificateError::Pem {
            index,
            reason: e.to_string(),
        })?;
        if pem.label != "CERTIFICATE" {
            continue;
        }
        x509::parse(&pem.contents)
            .map_err(|reason| CertificateError::Malformed { index, reason })?;
        ders.push(pem.contents);
    }
    if ders.is_empty() {
        return Err(CertificateError::Empty("PEM input".to_owned()));
    }
    Ok(ders)
}

/// The `.pem`, `.crt`, `.cer` and `.der` files directly inside `dir`, sorted by name.
pub(crate) fn cert_files(dir: &Path) -> Result<Vec<PathBuf>, CertificateError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|source| CertificateError::Io {
            path: dir.to_owned(),
            source,
        })?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| CERT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The value of one hex digit (callers check `is_ascii_hexdigit` first; in a `const` an
/// invalid digit is a compile error).
const fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => panic!("not a hex digit"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &[u8] = include_bytes!("../testdata/pki/root.pem");
    const BUNDLE: &[u8] = include_bytes!("../testdata/pki/bundle.pem");
    /// `openssl x509 -in testdata/pki/root.pem -noout -fingerprint -sha256`
    const ROOT_SHA256: &str = "31:FA:D1:B3:4E:54:29:0F:4E:66:5A:82:4B:25:1E:46:53:83:7C:F4:BA:C7:3D:AF:6B:CD:09:4C:AC:72:DE:CE";

    #[test]
    fn fingerprints_parse_in_openssl_and_plain_forms() {
        let colons: Fingerprint = ROOT_SHA256.parse().unwrap();
        let plain: Fingerprint = ROOT_SHA256.replace(':', "").to_lowercase().parse().unwrap();
        assert_eq!(colons, plain);
        assert_eq!(
            plain.to_string(),
            "31fad1b34e54290f4e665a824b251e4653837cf4bac73daf6bcd094cac72dece"
        );
        assert_eq!(
            Fingerprint::from_hex_const(&plain.to_string()),
            plain,
            "const parser agrees"
        );
        for bad in [
            "",
            "31fa",
            &format!("{ROOT_SHA256}00"),
            &ROOT_SHA256.replace('F', "G"),
        ] {
            assert!(
                matches!(
                    bad.parse::<Fingerprint>(),
                    Err(CertificateError::Fingerprint { .. })
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn lists_and_removes_anchors_by_fingerprint() {
        let mut set = CertificateSet::new();
        assert_eq!(set.add_pem_or_der(BUNDLE).unwrap(), 2);
        let listed = set.list();
        assert_eq!(listed.len(), 2);
        let g1 = &listed[0];
        assert_eq!(
            g1.common_name.as_ref().map(crate::report::Name::display),
            Some("docseal TEST Root CA G1".to_owned())
        );
        assert_eq!(
            g1.organization.as_ref().map(crate::report::Name::display),
            Some("docseal test PKI - NOT FOR PRODUCTION".to_owned())
        );
        let fp: Fingerprint = ROOT_SHA256.parse().unwrap();
        assert_eq!(g1.sha256, fp.to_string());
        assert!(set.contains(&fp));
        assert!(set.remove(&fp), "G1 was there");
        assert!(!set.remove(&fp), "and is gone");
        assert!(!set.contains(&fp));
        assert_eq!(set.len(), 1);
        assert_eq!(
            set.list()[0]
                .common_name
                .as_ref()
                .map(crate::report::Name::display),
            Some("docseal TEST Root CA G2".to_owned())
        );
        // Adding it back (also through another set) does not duplicate anything.
        let mut root = CertificateSet::new();
        root.add_pem_or_der(ROOT).unwrap();
        set.add_set(&root);
        set.add_set(&root);
        assert_eq!(set.len(), 2);
        assert!(set.contains(&fp));
    }
}
