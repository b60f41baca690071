//! Sets of certificates supplied by the caller: trust anchors and extra intermediates.

use std::path::{Path, PathBuf};

use x509_parser::pem::Pem;

use crate::x509;

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
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(CertificateError::Empty("empty input".to_owned()));
        }
        let is_pem = bytes.windows(11).any(|w| w == b"-----BEGIN ");
        if !is_pem {
            self.add_der(bytes)?;
            return Ok(1);
        }
        let mut staged = self.clone();
        let mut count = 0;
        for (index, pem) in Pem::iter_from_buffer(bytes).enumerate() {
            let pem = pem.map_err(|e| CertificateError::Pem {
                index,
                reason: e.to_string(),
            })?;
            if pem.label != "CERTIFICATE" {
                continue;
            }
            staged.add_der(&pem.contents).map_err(|e| match e {
                CertificateError::Malformed { reason, .. } => {
                    CertificateError::Malformed { index, reason }
                }
                other => other,
            })?;
            count += 1;
        }
        if count == 0 {
            return Err(CertificateError::Empty("PEM input".to_owned()));
        }
        *self = staged;
        Ok(count)
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
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| CERT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        files.sort();
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

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.certs
    }
}
