//! Certificate path building and validation (RFC 5280 §6, simplified as webpki does).
//!
//! Depth-first search from the signer's certificate towards the trust anchors, over the
//! certificates in the CMS and the caller's intermediates. Every link's signature is verified
//! with the issuer's key, so a certificate that merely copies a trusted name leads nowhere.
//! The search is bounded by a budget of signature checks and a maximum length; when no path
//! exists, the most specific failure met on the way is reported (`rank`). Each path that reaches
//! an anchor also goes through certificate policy processing (RFC 5280 §6.1, in
//! [`super::policy`]); a path that fails it is not acceptable and the search goes on.

use std::ops::ControlFlow;

use x509_parser::{certificate::X509Certificate, extensions::ParsedExtension};

use super::policy::{self, PolicyError};
use crate::{
    limits::Limits,
    pki::{
        oid,
        sigalg::{AlgError, KeyKind, MIN_RSA_BITS},
        x509,
    },
    time::rfc3339,
};

/// A certificate the search may use as an issuer.
pub(crate) struct Candidate<'a> {
    pub(crate) cert: X509Certificate<'a>,
    pub(crate) der: &'a [u8],
    /// True for a caller-supplied trust anchor.
    pub(crate) anchor: bool,
}

/// A path that reaches a trust anchor.
#[derive(Debug)]
pub(crate) struct Path {
    /// Indices into the candidates, from the signer's issuer up to the anchor (empty of
    /// intermediates and holding only the anchor when the signer itself is the anchor).
    pub(crate) links: Vec<usize>,
    /// A certificate on the path outside its validity period at the validation time.
    pub(crate) time_issue: Option<ChainError>,
    /// A link signed with an algorithm or key kept only for legacy (SHA-1, RSA below 2048).
    pub(crate) weak_issue: Option<ChainError>,
    /// The certificate policies valid for the path (RFC 5280 §6.1.5 (g): the
    /// authorities-constrained policy set, equal to the user-constrained one since docseal starts
    /// from anyPolicy), as sorted dotted OIDs. `"2.5.29.32.0"` (anyPolicy) means every CA on the
    /// path allowed any policy; empty means none is valid but none was required either.
    pub(crate) policies: Vec<String>,
}

/// Why no acceptable path exists, or what is wrong with the one found.
#[derive(Clone, Debug, thiserror::Error)]
pub(crate) enum ChainError {
    #[error("no trust anchor or known intermediate is named {issuer:?}, the issuer of {subject:?}")]
    UnknownIssuer { subject: String, issuer: String },
    #[error(
        "the only issuers of {subject:?} are already on the path (a loop) and no trust anchor is reached"
    )]
    Loop { subject: String },
    #[error(
        "{subject:?} names {issuer:?} as its issuer, but no certificate with that name and a key that verifies its signature is trusted"
    )]
    BadSignature { subject: String, issuer: String },
    #[error("cannot verify the signature on {subject:?}: {reason}")]
    UnsupportedAlgorithm { subject: String, reason: String },
    #[error("{subject:?} is signed with {alg}, which is kept only for legacy documents")]
    WeakAlgorithm { subject: String, alg: String },
    #[error("{subject:?} is signed with an RSA key of {bits} bits, below the 2048 bits required")]
    WeakKey { subject: String, bits: usize },
    #[error("{subject:?} issued a certificate but is not a CA (basicConstraints)")]
    NotCa { subject: String },
    #[error("{subject:?} issued a certificate but its keyUsage lacks keyCertSign")]
    CaKeyUsage { subject: String },
    #[error("{subject:?} allows {max} intermediate CA(s) below it; this path has {found}")]
    PathLen {
        subject: String,
        max: u32,
        found: usize,
    },
    #[error("{subject:?} has critical extension {oid}, which docseal does not process")]
    UnknownCriticalExtension { subject: String, oid: String },
    #[error("{subject:?} is malformed: {reason}")]
    Malformed { subject: String, reason: String },
    #[error("{subject:?} fails certificate policy processing: {reason}")]
    Policy {
        subject: String,
        reason: PolicyError,
    },
    #[error("{subject:?} expired at {not_after}, before the validation time {at}")]
    Expired {
        subject: String,
        not_after: String,
        at: String,
    },
    #[error("{subject:?} is valid only from {not_before}, after the validation time {at}")]
    NotYetValid {
        subject: String,
        not_before: String,
        at: String,
    },
    #[error("path building stopped after {0} signature checks without finding a path")]
    Budget(usize),
    #[error("no path of at most {0} certificates reaches a trust anchor")]
    TooLong(usize),
}

impl ChainError {
    /// How specific the failure is: the search reports the highest-ranked one it met.
    fn rank(&self) -> u8 {
        match self {
            Self::UnknownIssuer { .. } | Self::Loop { .. } => 0,
            Self::BadSignature { .. } => 1,
            Self::TooLong(_) => 2,
            Self::UnsupportedAlgorithm { .. } => 3,
            Self::NotCa { .. }
            | Self::CaKeyUsage { .. }
            | Self::PathLen { .. }
            | Self::UnknownCriticalExtension { .. }
            | Self::Malformed { .. } => 4,
            // A path that reached an anchor and failed only on policies is the most specific
            // failure a search can note (the time and algorithm issues are kept on the path).
            Self::Policy { .. }
            | Self::WeakAlgorithm { .. }
            | Self::WeakKey { .. }
            | Self::Expired { .. }
            | Self::NotYetValid { .. } => 5,
            Self::Budget(_) => 6,
        }
    }
}

/// Extensions docseal processes; any other extension marked critical fails the path
/// (RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters a
/// critical extension it does not recognize").
const KNOWN_EXTENSIONS: &[&[u8]] = &[
    oid::EXT_BASIC_CONSTRAINTS,
    oid::EXT_KEY_USAGE,
    oid::EXT_EXTENDED_KEY_USAGE,
    oid::EXT_SUBJECT_KEY_ID,
    oid::EXT_AUTHORITY_KEY_ID,
    oid::EXT_SUBJECT_ALT_NAME,
    // RFC 5280 §6.1.3 (d)–(f), §6.1.4 (a), (b), (h)–(j), §6.1.5 (a), (b), (g): super::policy.
    oid::EXT_CERT_POLICIES,
    oid::EXT_POLICY_MAPPINGS,
    oid::EXT_POLICY_CONSTRAINTS,
    oid::EXT_INHIBIT_ANY_POLICY,
];

/// Finds a path from `leaf` to an anchor among `candidates`, judged at Unix time `at`.
pub(crate) fn build(
    leaf: &X509Certificate<'_>,
    leaf_der: &[u8],
    candidates: &[Candidate<'_>],
    at: i64,
    limits: &Limits,
) -> Result<Path, ChainError> {
    if let Some(i) = candidates
        .iter()
        .position(|c| c.anchor && c.der == leaf_der)
    {
        // The signer's own certificate is trusted: a path of length 0, which RFC 5280 §6.1
        // ends with the initial policy set, {anyPolicy}. The anchor's own certificatePolicies
        // are not processed (§6.1.1 (d)), as for any other anchor.
        return Ok(Path {
            links: vec![i],
            time_issue: None,
            weak_issue: None,
            policies: vec![oid::dotted(oid::ANY_POLICY)],
        });
    }
    unknown_critical(leaf)?;
    let mut search = Search {
        leaf,
        candidates,
        at,
        limits,
        budget: limits.max_path_signature_checks,
        best_error: None,
        fallback: None,
        found: None,
    };
    let mut chain = Vec::new();
    let flow = search.visit(leaf, leaf_der, &mut chain);
    // A path already found (even one with a time or algorithm issue) is the answer, also
    // when the budget ran out while looking for a cleaner one.
    if let Some(path) = search.found.or(search.fallback) {
        return Ok(path);
    }
    if let ControlFlow::Break(Err(fatal)) = flow {
        return Err(fatal);
    }
    Err(search
        .best_error
        .unwrap_or_else(|| ChainError::UnknownIssuer {
            subject: x509::short_name(leaf.subject()),
            issuer: x509::short_name(leaf.issuer()),
        }))
}

/// Checks that `cert` has no critical extension outside [`KNOWN_EXTENSIONS`].
pub(crate) fn unknown_critical(cert: &X509Certificate<'_>) -> Result<(), ChainError> {
    match cert
        .extensions()
        .iter()
        .find(|e| e.critical && !KNOWN_EXTENSIONS.contains(&e.oid.as_bytes()))
    {
        Some(ext) => Err(ChainError::UnknownCriticalExtension {
            subject: x509::short_name(cert.subject()),
            oid: oid::name(ext.oid.as_bytes()),
        }),
        None => Ok(()),
    }
}

/// The validity of `cert` at `at`.
pub(crate) fn check_time(cert: &X509Certificate<'_>, at: i64) -> Result<(), ChainError> {
    let (not_before, not_after) = x509::validity(cert);
    if at < not_before {
        Err(ChainError::NotYetValid {
            subject: x509::short_name(cert.subject()),
            not_before: rfc3339(not_before),
            at: rfc3339(at),
        })
    } else if at > not_after {
        Err(ChainError::Expired {
            subject: x509::short_name(cert.subject()),
            not_after: rfc3339(not_after),
            at: rfc3339(at),
        })
    } else {
        Ok(())
    }
}

struct Search<'s, 'a> {
    /// The signer's certificate, certificate n of every path (RFC 5280 §6.1).
    leaf: &'s X509Certificate<'s>,
    candidates: &'s [Candidate<'a>],
    at: i64,
    limits: &'s Limits,
    budget: usize,
    best_error: Option<ChainError>,
    /// First complete path with a time or algorithm issue, kept while a clean one is sought.
    fallback: Option<Path>,
    found: Option<Path>,
}

impl Search<'_, '_> {
    fn note(&mut self, error: ChainError) {
        if self
            .best_error
            .as_ref()
            .is_none_or(|best| error.rank() > best.rank())
        {
            self.best_error = Some(error);
        }
    }

    /// Tries every issuer of `current`; `chain` holds the intermediates below it.
    /// Breaks with `Ok` when a clean path is found, with `Err` on a fatal error.
    fn visit(
        &mut self,
        current: &X509Certificate<'_>,
        current_der: &[u8],
        chain: &mut Vec<usize>,
    ) -> ControlFlow<Result<(), ChainError>> {
        let issuer_name = current.issuer().as_raw();
        let aki = authority_key_id(current);
        let subject = || x509::short_name(current.subject());
        let mut named = false;
        let mut looped = false;
        for (i, cand) in self.candidates.iter().enumerate() {
            if cand.cert.subject().as_raw() != issuer_name {
                continue;
            }
            named = true;
            if cand.der == current_der || chain.contains(&i) {
                looped = true;
                continue;
            }
            // A different key identifier: same name, other key (another generation, or a
            // certificate that copies the name). Not this certificate's issuer.
            if let (Some(aki), Some(ski)) = (aki, subject_key_id(&cand.cert))
                && aki != ski
            {
                self.note(ChainError::BadSignature {
                    subject: subject(),
                    issuer: x509::short_name(current.issuer()),
                });
                continue;
            }
            if !cand.anchor {
                if let Err(e) = self.issuer_constraints(&cand.cert, chain.len()) {
                    self.note(e);
                    continue;
                }
                if chain.len() + 1 >= self.limits.max_path_length {
                    self.note(ChainError::TooLong(self.limits.max_path_length));
                    continue;
                }
            }
            if self.budget == 0 {
                return ControlFlow::Break(Err(ChainError::Budget(
                    self.limits.max_path_signature_checks,
                )));
            }
            self.budget -= 1;
            let weak = match x509::verify_issued_by(current, &cand.cert) {
                Ok((scheme, key)) => match key {
                    KeyKind::Rsa { bits } if bits < MIN_RSA_BITS => Some(ChainError::WeakKey {
                        subject: subject(),
                        bits,
                    }),
                    _ => scheme
                        .digest()
                        .is_weak()
                        .then(|| ChainError::WeakAlgorithm {
                            subject: subject(),
                            alg: scheme.name(),
                        }),
                },
                Err(AlgError::BadSignature | AlgError::KeyMismatch(_)) => {
                    self.note(ChainError::BadSignature {
                        subject: subject(),
                        issuer: x509::short_name(current.issuer()),
                    });
                    continue;
                }
                Err(e @ (AlgError::Unsupported(_) | AlgError::Malformed(_))) => {
                    self.note(ChainError::UnsupportedAlgorithm {
                        subject: subject(),
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            chain.push(i);
            let flow = if cand.anchor {
                self.complete(chain, weak)
            } else {
                self.visit(&cand.cert, cand.der, chain)
            };
            chain.pop();
            flow?;
        }
        if !named {
            self.note(ChainError::UnknownIssuer {
                subject: subject(),
                issuer: x509::short_name(current.issuer()),
            });
        } else if looped {
            self.note(ChainError::Loop { subject: subject() });
        }
        ControlFlow::Continue(())
    }

    /// A path reached an anchor: keep it if clean (and stop), else remember it as fallback.
    /// A path that fails policy processing (RFC 5280 §6.1) is noted and the search goes on.
    fn complete(
        &mut self,
        chain: &[usize],
        weak: Option<ChainError>,
    ) -> ControlFlow<Result<(), ChainError>> {
        // Certificate 1 (issued by the anchor) first, the leaf last; the anchor is not
        // processed (§6.1.1 (d)).
        let certs: Vec<&X509Certificate<'_>> = chain[..chain.len() - 1]
            .iter()
            .rev()
            .map(|&i| &self.candidates[i].cert)
            .chain(std::iter::once(self.leaf))
            .collect();
        let policies = match policy::process(&certs, self.limits.max_policy_nodes) {
            Ok(policies) => policies,
            Err(e) => {
                self.note(e);
                return ControlFlow::Continue(());
            }
        };
        // Time is checked on the certificates below the anchor: a trust anchor is a key the
        // caller trusts, its certificate only a carrier (RFC 5280 §6.1.1 (d)).
        let time_issue = chain[..chain.len() - 1]
            .iter()
            .find_map(|&i| check_time(&self.candidates[i].cert, self.at).err());
        let path = Path {
            links: chain.to_vec(),
            time_issue,
            weak_issue: weak,
            policies,
        };
        if path.time_issue.is_none() && path.weak_issue.is_none() {
            self.found = Some(path);
            return ControlFlow::Break(Ok(()));
        }
        if self.fallback.is_none() {
            self.fallback = Some(path);
        }
        ControlFlow::Continue(())
    }

    /// RFC 5280 §6.1.4 (k), (l), (n): an intermediate must be a CA allowed to sign
    /// certificates, with room for the CAs already below it.
    fn issuer_constraints(&self, ca: &X509Certificate<'_>, below: usize) -> Result<(), ChainError> {
        let subject = || x509::short_name(ca.subject());
        let malformed = |e: x509_parser::error::X509Error| ChainError::Malformed {
            subject: subject(),
            reason: e.to_string(),
        };
        unknown_critical(ca)?;
        match ca.basic_constraints().map_err(malformed)? {
            Some(bc) if bc.value.ca => {
                if let Some(max) = bc.value.path_len_constraint
                    && below > max as usize
                {
                    return Err(ChainError::PathLen {
                        subject: subject(),
                        max,
                        found: below,
                    });
                }
            }
            _ => return Err(ChainError::NotCa { subject: subject() }),
        }
        if let Some(ku) = ca.key_usage().map_err(malformed)?
            && !ku.value.key_cert_sign()
        {
            return Err(ChainError::CaKeyUsage { subject: subject() });
        }
        Ok(())
    }
}

pub(crate) fn subject_key_id<'a>(cert: &X509Certificate<'a>) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0),
            _ => None,
        })
}

fn authority_key_id<'a>(cert: &X509Certificate<'a>) -> Option<&'a [u8]> {
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityKeyIdentifier(aki) => {
                aki.key_identifier.as_ref().map(|k| k.0)
            }
            _ => None,
        })
}
