//! Named trust profiles: root certificates pinned by SHA-256, loaded from files the user
//! installed from the official source. The crate never ships the certificates themselves.

use std::{borrow::Cow, fmt, path::Path};

use serde::Serialize;
use x509_parser::certificate::X509Certificate;

use super::{CertificateError, CertificateSet, Fingerprint, cert_files, split_pem_or_der};
use crate::{
    limits::Limits,
    pki::{
        chain::{self, Candidate},
        x509,
    },
    report::{CertificateInfo, Name},
};

/// One root certificate (one generation of one root) that a [`TrustProfile`] trusts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PinnedRoot {
    /// Which root and generation, for people, e.g. `Vietnam National Root CA (2014)`.
    pub label: Cow<'static, str>,
    /// The subject common name (CN) of the official certificate: another certificate with
    /// this name is refused as a look-alike ([`Refusal::LookAlike`]).
    pub common_name: Cow<'static, str>,
    /// SHA-256 of the official certificate's DER encoding.
    pub sha256: Fingerprint,
}

impl PinnedRoot {
    /// A pinned root from its label, subject CN and fingerprint.
    pub fn new(
        label: impl Into<Cow<'static, str>>,
        common_name: impl Into<Cow<'static, str>>,
        sha256: Fingerprint,
    ) -> Self {
        Self {
            label: label.into(),
            common_name: common_name.into(),
            sha256,
        }
    }
}

/// A named set of pinned roots: the certificates the user installs are trusted only when
/// their SHA-256 fingerprint is pinned here, so a substituted file cannot add trust.
///
/// Several generations of a root are simply several [`PinnedRoot`]s (the Vietnamese national
/// root announced a new generation in 2025); each one found becomes an anchor, side by side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustProfile {
    name: Cow<'static, str>,
    roots: Cow<'static, [PinnedRoot]>,
}

/// The roots of both Vietnamese hierarchies: the public one under the national root (NEAC,
/// rootca.gov.vn: licensed public CAs such as VNPT-CA, Viettel-CA, FPT-CA, BKAV-CA) and the
/// government-specialized one of the Government Cipher Committee (Ban Cơ yếu Chính phủ,
/// ca.gov.vn), which signs most administrative results.
const VIETNAM_ROOTS: &[PinnedRoot] = &[
    PinnedRoot {
        label: Cow::Borrowed("Vietnam National Root CA (2014-04-15..2039-04-15)"),
        common_name: Cow::Borrowed("Vietnam National Root CA"),
        // rootca.gov.vn, crt/vnrca256.p7b
        sha256: Fingerprint::from_hex_const(
            "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
        ),
    },
    PinnedRoot {
        label: Cow::Borrowed("RootCA chuyên dùng Chính phủ G2 (2018-08-22..2048-08-14)"),
        common_name: Cow::Borrowed("RootCA chuyên dùng Chính phủ G2"),
        // ca.gov.vn, pki/pub/crt/rootcag2.crt
        sha256: Fingerprint::from_hex_const(
            "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
        ),
    },
];

/// Names accepted by [`TrustProfile::builtin`].
const BUILTIN_NAMES: &[&str] = &["vn"];

impl TrustProfile {
    /// The Vietnamese profile `vn`: Vietnam National Root CA (vnrca256, public hierarchy)
    /// and RootCA chuyên dùng Chính phủ G2 (rootcag2, government-specialized hierarchy).
    pub fn vietnam() -> Self {
        Self {
            name: Cow::Borrowed("vn"),
            roots: Cow::Borrowed(VIETNAM_ROOTS),
        }
    }

    /// A profile of the caller's own pinned roots (an organisation's private PKI, a root
    /// generation this version does not know yet, tests).
    pub fn new(name: impl Into<Cow<'static, str>>, roots: Vec<PinnedRoot>) -> Self {
        Self {
            name: name.into(),
            roots: Cow::Owned(roots),
        }
    }

    /// The built-in profile called `name` (`vn`), if any.
    pub fn builtin(name: &str) -> Option<Self> {
        match name {
            "vn" => Some(Self::vietnam()),
            _ => None,
        }
    }

    /// The names [`Self::builtin`] accepts.
    pub fn builtin_names() -> &'static [&'static str] {
        BUILTIN_NAMES
    }

    /// The profile's short name, e.g. `vn`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The pinned roots.
    pub fn roots(&self) -> &[PinnedRoot] {
        &self.roots
    }

    /// Sorts certificates the user installed: each one whose SHA-256 is pinned becomes a
    /// trust anchor; a CA certificate whose signature chains to one of those (RFC 5280 §6,
    /// the crate's path building, validity not checked here) becomes an intermediate; every
    /// other certificate is refused with its reason, in particular one that carries the name
    /// of a pinned root with another fingerprint. `files` are `(source, bytes)`: the source
    /// names the file in the report; the bytes are a PEM bundle or one DER certificate.
    pub fn load(&self, files: &[(&str, &[u8])]) -> ProfileLoad {
        let mut load = ProfileLoad {
            profile: self.name.to_string(),
            anchors: CertificateSet::new(),
            intermediates: CertificateSet::new(),
            found: Vec::new(),
            missing: Vec::new(),
            refused: Vec::new(),
        };
        // Every certificate, parsed once; unreadable files are refused right away.
        let mut certs: Vec<Installed> = Vec::new();
        for (source, bytes) in files {
            match split_pem_or_der(bytes) {
                Ok(ders) => certs.extend(ders.into_iter().map(|der| Installed {
                    source: (*source).to_owned(),
                    sha256: Fingerprint::of(&der),
                    der,
                })),
                Err(e) => load.refused.push(Refused {
                    source: (*source).to_owned(),
                    certificate: None,
                    reason: Refusal::Unreadable(e.to_string()),
                }),
            }
        }
        // Pinned roots first, so that the order of the files does not matter.
        // (subject DER, label) of each pinned root found.
        let mut pinned_subjects: Vec<(Vec<u8>, &str)> = Vec::new();
        for pin in self.roots.iter() {
            match certs.iter().find(|c| c.sha256 == pin.sha256) {
                Some(root) => {
                    // `split_pem_or_der` parsed it: this cannot fail.
                    let _ = load.anchors.add_der(&root.der);
                    if let Ok(cert) = x509::parse(&root.der) {
                        pinned_subjects.push((cert.subject().as_raw().to_vec(), &pin.label));
                    }
                    load.found.push(pin.clone());
                }
                None => load.missing.push(pin.clone()),
            }
        }
        let pinned = |c: &Installed| self.roots.iter().any(|p| p.sha256 == c.sha256);
        let rest: Vec<(&Installed, X509Certificate<'_>)> = certs
            .iter()
            .filter(|c| !pinned(c))
            .filter_map(|c| x509::parse(&c.der).ok().map(|cert| (c, cert)))
            .collect();
        // Look-alikes of a pinned root are refused and never offered as issuers.
        let mut offered: Vec<(&Installed, &X509Certificate<'_>)> = Vec::new();
        for (c, cert) in &rest {
            let cn = common_name(cert);
            let look_alike = self
                .roots
                .iter()
                .find(|p| cn.as_deref() == Some(&*p.common_name))
                .map(|p| p.label.to_string())
                .or_else(|| {
                    pinned_subjects
                        .iter()
                        .find(|(subject, _)| subject == cert.subject().as_raw())
                        .map(|(_, label)| (*label).to_owned())
                });
            match look_alike {
                Some(pinned) => load
                    .refused
                    .push(refused(c, cert, Refusal::LookAlike { pinned })),
                None => offered.push((c, cert)),
            }
        }
        let limits = Limits::default();
        let anchor_ders: Vec<&[u8]> = load.anchors.iter_der().collect();
        // Unpinned roots can issue nothing that reaches a pinned root, end entities nothing at
        // all: only the other CA certificates are candidate issuers.
        let mut candidates: Vec<Candidate<'_>> = offered
            .iter()
            .filter(|(_, cert)| !is_self_issued(cert) && is_ca(cert))
            .map(|(c, cert)| Candidate {
                cert: (*cert).clone(),
                der: &c.der,
                anchor: false,
            })
            .collect();
        candidates.extend(anchor_ders.iter().filter_map(|der| {
            Some(Candidate {
                cert: x509::parse(der).ok()?,
                der,
                anchor: true,
            })
        }));
        let mut intermediates = CertificateSet::new();
        let mut refusals = Vec::new();
        for (c, cert) in &offered {
            let reason = if is_self_issued(cert) {
                Some(Refusal::UnpinnedRoot)
            } else if !is_ca(cert) {
                Some(Refusal::NotCa)
            } else {
                let (not_before, _) = x509::validity(cert);
                chain::build(cert, &c.der, &candidates, not_before, &limits)
                    .err()
                    .map(|e| Refusal::NoPath(e.to_string()))
            };
            match reason {
                Some(reason) => refusals.push(refused(c, cert, reason)),
                None => {
                    let _ = intermediates.add_der(&c.der);
                }
            }
        }
        load.intermediates = intermediates;
        load.refused.extend(refusals);
        load
    }

    /// [`Self::load`] over a file (PEM bundle or DER) or over every `.pem`, `.crt`, `.cer`
    /// and `.der` file directly inside a directory, such as the official bundle the user
    /// downloaded and unpacked.
    ///
    /// # Errors
    /// [`CertificateError::Io`] when the path or one of its files cannot be read. A file
    /// that holds no certificate is not an error but a [`Refusal::Unreadable`].
    pub fn load_path(&self, path: &Path) -> Result<ProfileLoad, CertificateError> {
        let files = if path.is_dir() {
            cert_files(path)?
        } else {
            vec![path.to_owned()]
        };
        let mut read = Vec::with_capacity(files.len());
        for file in files {
            let bytes = std::fs::read(&file).map_err(|source| CertificateError::Io {
                path: file.clone(),
                source,
            })?;
            read.push((file.display().to_string(), bytes));
        }
        let borrowed: Vec<(&str, &[u8])> = read
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
            .collect();
        Ok(self.load(&borrowed))
    }
}

/// What [`TrustProfile::load`] made of the installed files.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ProfileLoad {
    /// The profile's name.
    pub profile: String,
    /// The pinned roots found: the trust anchors to use.
    pub anchors: CertificateSet,
    /// CA certificates that chain to one of `anchors`: intermediates to offer path building
    /// (not trusted by themselves).
    pub intermediates: CertificateSet,
    /// The pinned roots found, in the profile's order.
    pub found: Vec<PinnedRoot>,
    /// The pinned roots not among the files: documents of that hierarchy will not be trusted.
    pub missing: Vec<PinnedRoot>,
    /// Certificates (or files) not used, and why.
    pub refused: Vec<Refused>,
}

impl ProfileLoad {
    /// True when every pinned root was found and nothing was refused.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.refused.is_empty()
    }

    /// The load as JSON, for programs (the C function
    /// `docseal_verifier_builder_add_trust_profile` and Python's `Verifier(trust_profile=…)`
    /// hand it out):
    ///
    /// ```json
    /// {
    ///   "profile": "vn",
    ///   "complete": false,
    ///   "found":   [{"label": "…", "common_name": "…", "sha256": "bac8…"}],
    ///   "missing": [{"label": "…", "common_name": "…", "sha256": "f04b…"}],
    ///   "intermediates": [CertificateInfo, …],
    ///   "refused": [{"source": "dir/x.crt", "certificate": CertificateInfo or null,
    ///                "reason": "look_alike", "pinned": "…", "detail": "…"}]
    /// }
    /// ```
    ///
    /// `reason` is one of `unreadable`, `look_alike` (then `pinned` names the pinned root
    /// whose name it carries), `unpinned_root`, `not_ca`, `no_path`; `detail` is for people.
    /// A `CertificateInfo` is the object of the report's `signer` (subject, `common_name`,
    /// `organization`, validity, `sha256`, …). Fingerprints are lowercase hex. Fields may be
    /// added, never change meaning.
    ///
    /// # Errors
    /// Only if serde_json fails to write (it does not for these types).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let pin = |p: &PinnedRoot| PinJson {
            label: p.label.to_string(),
            common_name: p.common_name.to_string(),
            sha256: p.sha256.to_string(),
        };
        serde_json::to_string_pretty(&LoadJson {
            profile: &self.profile,
            complete: self.is_complete(),
            found: self.found.iter().map(pin).collect(),
            missing: self.missing.iter().map(pin).collect(),
            intermediates: self.intermediates.list(),
            refused: self
                .refused
                .iter()
                .map(|r| RefusedJson {
                    source: &r.source,
                    certificate: r.certificate.as_ref(),
                    reason: r.reason.code(),
                    pinned: match &r.reason {
                        Refusal::LookAlike { pinned } => Some(pinned),
                        _ => None,
                    },
                    detail: r.reason.to_string(),
                })
                .collect(),
        })
    }
}

/// [`ProfileLoad::to_json`]'s object.
#[derive(Serialize)]
struct LoadJson<'a> {
    profile: &'a str,
    complete: bool,
    found: Vec<PinJson>,
    missing: Vec<PinJson>,
    intermediates: Vec<CertificateInfo>,
    refused: Vec<RefusedJson<'a>>,
}

#[derive(Serialize)]
struct PinJson {
    label: String,
    common_name: String,
    sha256: String,
}

#[derive(Serialize)]
struct RefusedJson<'a> {
    source: &'a str,
    certificate: Option<&'a CertificateInfo>,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pinned: Option<&'a String>,
    detail: String,
}

impl fmt::Display for ProfileLoad {
    /// One line of summary, then one line per missing root and per refusal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "trust profile {}: {} of {} pinned roots found, {} intermediate(s) chain to them",
            self.profile,
            self.found.len(),
            self.found.len() + self.missing.len(),
            self.intermediates.len()
        )?;
        for pin in &self.missing {
            write!(f, "\n  missing: {} (SHA-256 {})", pin.label, pin.sha256)?;
        }
        for r in &self.refused {
            write!(f, "\n  refused: {r}")?;
        }
        Ok(())
    }
}

/// A certificate (or a file) that a profile load did not use.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Refused {
    /// The file it came from, as given to [`TrustProfile::load`].
    pub source: String,
    /// The certificate, when it could be parsed.
    pub certificate: Option<CertificateInfo>,
    /// Why it is not used.
    pub reason: Refusal,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(c) = &self.certificate {
            let name = c.common_name.as_ref().unwrap_or(&c.subject);
            write!(f, ": {:?} (SHA-256 {})", name.display(), c.sha256)?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why an installed certificate is not used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The file holds no readable certificate.
    Unreadable(String),
    /// It carries the name of a pinned root (`pinned`, its label) but another fingerprint:
    /// a forged copy, or a root generation this profile does not pin yet. Never trusted.
    LookAlike {
        /// Label of the pinned root whose name it carries.
        pinned: String,
    },
    /// A self-issued root that the profile does not pin.
    UnpinnedRoot,
    /// Not a CA certificate (basicConstraints), so of no use as an intermediate.
    NotCa,
    /// A CA certificate whose signature does not chain to a pinned root found among the
    /// files: the path builder's reason.
    NoPath(String),
}

impl Refusal {
    /// A stable snake_case name of the reason, for programs (the `reason` of
    /// [`ProfileLoad::to_json`]).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "unreadable",
            Self::LookAlike { .. } => "look_alike",
            Self::UnpinnedRoot => "unpinned_root",
            Self::NotCa => "not_ca",
            Self::NoPath(_) => "no_path",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable(reason) => write!(f, "not a certificate: {reason}"),
            Self::LookAlike { pinned } => write!(
                f,
                "REFUSED: has the name of pinned root {pinned:?} but another SHA-256 \
                 fingerprint (a forged copy, or a root generation not pinned yet)"
            ),
            Self::UnpinnedRoot => write!(f, "a root certificate this profile does not pin"),
            Self::NotCa => write!(f, "not a CA certificate"),
            Self::NoPath(reason) => write!(f, "does not chain to a pinned root: {reason}"),
        }
    }
}

/// One certificate read from the installed files.
struct Installed {
    source: String,
    der: Vec<u8>,
    sha256: Fingerprint,
}

fn refused(c: &Installed, cert: &X509Certificate<'_>, reason: Refusal) -> Refused {
    Refused {
        source: c.source.clone(),
        certificate: Some(x509::info(cert, &c.der)),
        reason,
    }
}

/// The subject CN as text.
fn common_name(cert: &X509Certificate<'_>) -> Option<String> {
    match x509::info(cert, &[]).common_name {
        Some(Name::Text(t)) => Some(t),
        _ => None,
    }
}

fn is_self_issued(cert: &X509Certificate<'_>) -> bool {
    cert.subject().as_raw() == cert.issuer().as_raw()
}

fn is_ca(cert: &X509Certificate<'_>) -> bool {
    matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &[u8] = include_bytes!("../../testdata/pki/root.pem");
    const ROOT_G2: &[u8] = include_bytes!("../../testdata/pki/root-g2.pem");
    const ROGUE_ROOT: &[u8] = include_bytes!("../../testdata/pki/rogue-root.pem");
    const ISSUING: &[u8] = include_bytes!("../../testdata/pki/intermediate.pem");
    const ISSUING_G2: &[u8] = include_bytes!("../../testdata/pki/intermediate-g2.pem");
    const ROGUE_ISSUING: &[u8] = include_bytes!("../../testdata/pki/rogue-intermediate.pem");
    const SIGNER: &[u8] = include_bytes!("../../testdata/pki/signer-rsa.pem");

    /// Both generations of the test PKI's root, pinned at run time.
    fn test_profile() -> TrustProfile {
        TrustProfile::new(
            "test",
            vec![
                PinnedRoot::new(
                    "docseal TEST Root CA G1",
                    "docseal TEST Root CA G1",
                    "31fad1b34e54290f4e665a824b251e4653837cf4bac73daf6bcd094cac72dece"
                        .parse()
                        .unwrap(),
                ),
                PinnedRoot::new(
                    "docseal TEST Root CA G2",
                    "docseal TEST Root CA G2",
                    "7c4b0bbc4791f1f5db1a2ad0af442a09facaff8c365f89dc1ed8e75f34064507"
                        .parse()
                        .unwrap(),
                ),
            ],
        )
    }

    fn cn(set: &CertificateSet) -> Vec<String> {
        set.list()
            .iter()
            .map(|c| {
                c.common_name
                    .as_ref()
                    .map(Name::display)
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn pinned_roots_become_anchors_and_their_cas_intermediates() {
        let load = test_profile().load(&[
            ("intermediate.pem", ISSUING),
            ("root.pem", ROOT),
            ("intermediate-g2.pem", ISSUING_G2),
            ("root-g2.pem", ROOT_G2),
            ("root-again.pem", ROOT),
        ]);
        assert!(load.is_complete(), "{load}");
        assert_eq!(
            cn(&load.anchors),
            ["docseal TEST Root CA G1", "docseal TEST Root CA G2"]
        );
        assert_eq!(
            cn(&load.intermediates),
            ["docseal TEST Issuing CA G1", "docseal TEST Issuing CA G2"]
        );
        assert_eq!(load.found.len(), 2);
    }

    #[test]
    fn a_rogue_root_with_the_pinned_name_is_refused() {
        let load = test_profile().load(&[
            ("rogue-root.pem", ROGUE_ROOT),
            ("rogue-intermediate.pem", ROGUE_ISSUING),
            ("root.pem", ROOT),
        ]);
        assert_eq!(cn(&load.anchors), ["docseal TEST Root CA G1"], "{load}");
        assert!(load.intermediates.is_empty(), "{load}");
        assert_eq!(load.missing.len(), 1, "G2 not installed");
        let reasons: Vec<(&str, &Refusal)> = load
            .refused
            .iter()
            .map(|r| (r.source.as_str(), &r.reason))
            .collect();
        assert_eq!(reasons.len(), 2, "{load}");
        assert_eq!(
            reasons[0],
            (
                "rogue-root.pem",
                &Refusal::LookAlike {
                    pinned: "docseal TEST Root CA G1".to_owned()
                }
            )
        );
        assert!(
            matches!(reasons[1], ("rogue-intermediate.pem", Refusal::NoPath(_))),
            "{load}"
        );
        let text = load.to_string();
        assert!(text.contains("rogue-root.pem: \"docseal TEST Root CA G1\" (SHA-256 43b5c72d"));
        assert!(text.contains("REFUSED"), "{text}");
    }

    #[test]
    fn the_load_as_json_names_found_missing_and_refused_roots() {
        let load = test_profile().load(&[
            ("rogue-root.pem", ROGUE_ROOT),
            ("root.pem", ROOT),
            ("intermediate.pem", ISSUING),
        ]);
        let json: serde_json::Value = serde_json::from_str(&load.to_json().unwrap()).unwrap();
        assert_eq!(json["profile"], "test");
        assert_eq!(json["complete"], false);
        assert_eq!(
            json["found"][0]["label"], "docseal TEST Root CA G1",
            "{json}"
        );
        assert_eq!(
            json["found"][0]["sha256"],
            "31fad1b34e54290f4e665a824b251e4653837cf4bac73daf6bcd094cac72dece"
        );
        assert_eq!(json["missing"][0]["common_name"], "docseal TEST Root CA G2");
        assert_eq!(
            json["intermediates"][0]["common_name"]["text"],
            "docseal TEST Issuing CA G1"
        );
        let refused = &json["refused"][0];
        assert_eq!(refused["source"], "rogue-root.pem");
        assert_eq!(refused["reason"], "look_alike");
        assert_eq!(refused["pinned"], "docseal TEST Root CA G1");
        assert!(refused["certificate"]["sha256"].is_string(), "{json}");
        assert!(refused["detail"].as_str().unwrap().contains("REFUSED"));
    }

    #[test]
    fn the_rogue_alone_is_refused_and_the_root_missing() {
        // Without the real root among the files, the name pin still catches the copy.
        let load = test_profile().load(&[("ca.pem", ROGUE_ROOT)]);
        assert!(load.anchors.is_empty());
        assert_eq!(load.missing.len(), 2);
        assert!(matches!(load.refused[0].reason, Refusal::LookAlike { .. }));
    }

    #[test]
    fn other_certificates_are_refused_with_their_reason() {
        let load = test_profile().load(&[
            ("root.pem", ROOT),
            ("signer.pem", SIGNER),
            ("g2-ca.pem", ISSUING_G2),
            ("notes.crt", b"not a certificate"),
        ]);
        let reasons: Vec<String> = load.refused.iter().map(|r| r.to_string()).collect();
        assert_eq!(reasons.len(), 3, "{load}");
        assert!(
            reasons[0].starts_with("notes.crt: not a certificate"),
            "{load}"
        );
        assert!(reasons[1].contains("not a CA certificate"), "{load}");
        assert!(
            reasons[2].contains("does not chain to a pinned root"),
            "{load}"
        );
    }

    #[test]
    fn vietnam_pins_both_hierarchies() {
        let vn = TrustProfile::builtin("vn").unwrap();
        assert_eq!(vn, TrustProfile::vietnam());
        assert_eq!(vn.roots().len(), 2);
        assert_eq!(vn.roots()[1].common_name, "RootCA chuyên dùng Chính phủ G2");
        assert_eq!(
            vn.roots()[0].sha256.to_string(),
            "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7"
        );
        assert!(TrustProfile::builtin("xx").is_none());
        assert_eq!(TrustProfile::builtin_names(), ["vn"]);
    }
}
