//! The signer's certificate path at the time that matters, its validity, key usage and
//! revocation status.

use ring::digest;
use x509_parser::certificate::X509Certificate;

use crate::pdf::{AlgorithmPolicy, indication::Indicated as _};
use crate::{
    pki::{
        chain::{self, Candidate},
        oid,
        revocation::{self, Kind},
        x509,
    },
    report::{
        Check, RevocationInfo, RevocationSource, RevocationStatus, SignatureKind, Step,
        SubIndication,
    },
    time::{ValidationTime, rfc3339},
};

use super::{CmsChecks, Format};

impl CmsChecks<'_> {
    /// Path, validity and key usage of the signer's certificate.
    pub(super) fn path(
        &mut self,
        leaf: &X509Certificate<'_>,
        leaf_der: &[u8],
        certs: &[(X509Certificate<'_>, &[u8])],
    ) {
        let ctx = &self.ctx;
        let mut candidates: Vec<Candidate<'_>> = certs
            .iter()
            .map(|(cert, der)| Candidate {
                cert: cert.clone(),
                der,
                anchor: false,
            })
            .collect();
        candidates.extend(ctx.intermediates.entries().iter().filter_map(|e| {
            Some(Candidate {
                cert: x509::parse(&e.der).ok()?,
                der: &e.der,
                anchor: false,
            })
        }));
        // Parse only the anchors that could issue one of the candidates (or the leaf).
        let issuers: Vec<&[u8]> = candidates
            .iter()
            .map(|c| c.cert.tbs_certificate.issuer.as_raw())
            .chain([leaf.tbs_certificate.issuer.as_raw()])
            .collect();
        candidates.extend(
            ctx.anchors
                .entries()
                .iter()
                .filter(|e| issuers.contains(&e.subject.as_slice()) || e.der == leaf_der)
                .filter_map(|e| {
                    Some(Candidate {
                        cert: x509::parse(&e.der).ok()?,
                        der: &e.der,
                        anchor: true,
                    })
                }),
        );
        match chain::build(leaf, leaf_der, &candidates, self.at, ctx.limits) {
            Ok(path) => {
                self.report.certificate_policies.clone_from(&path.policies);
                self.report.evidence.chain = path
                    .links
                    .iter()
                    .map(|&i| candidates[i].der.to_vec())
                    .filter(|der| der.as_slice() != leaf_der)
                    .collect();
                self.report.chain = path
                    .links
                    .iter()
                    .map(|&i| x509::info(&candidates[i].cert, candidates[i].der))
                    .filter(|info| {
                        Some(&info.sha256) != self.report.signer.as_ref().map(|s| &s.sha256)
                    })
                    .collect();
                let names: Vec<String> = std::iter::once(leaf)
                    .chain(path.links.iter().map(|&i| &candidates[i].cert))
                    .map(|c| x509::short_name(c.subject()))
                    .collect();
                self.push(Check::pass(
                    Step::CertificatePath,
                    format!("{} (trust anchor)", names.join(" → ")),
                ));
                match path.weak_issue {
                    // Old archives: a signer's path with a short RSA key is accepted by the
                    // practical profile and listed (a timestamp's path is not).
                    Some(weak @ chain::ChainError::WeakKey { .. })
                        if self.ctx.policy == AlgorithmPolicy::Practical
                            && self.report.kind == SignatureKind::Signature =>
                    {
                        self.report.policy_deviations.push(weak.to_string());
                    }
                    Some(weak) => self.push(Check::fail(
                        Step::Algorithms,
                        weak.sub_indication(),
                        weak.to_string(),
                    )),
                    None => {}
                }
                let validity = match chain::check_time(leaf, self.at).err().or(path.time_issue) {
                    Some(e) => {
                        Check::fail(Step::CertificateValidity, e.sub_indication(), e.to_string())
                    }
                    None => Check::pass(
                        Step::CertificateValidity,
                        format!(
                            "every certificate on the path is valid at {}{}",
                            rfc3339(self.at),
                            if self.poe.is_some() {
                                " (the proof of existence)"
                            } else {
                                ""
                            }
                        ),
                    ),
                };
                self.push(validity);
                let mut path_certs: Vec<(&X509Certificate<'_>, &[u8])> = vec![(leaf, leaf_der)];
                path_certs.extend(
                    path.links
                        .iter()
                        .map(|&i| (&candidates[i].cert, candidates[i].der)),
                );
                self.revocation(&path_certs);
            }
            Err(e) => self.push(Check::fail(
                Step::CertificatePath,
                e.sub_indication(),
                e.to_string(),
            )),
        }
        let usage = key_usage(leaf, self.format == Format::Rfc3161);
        self.push(usage);
    }

    /// Revocation of every certificate on `path` (leaf first, anchor last, the anchor itself
    /// not checked) at the proof of existence, else the validation time.
    pub(super) fn revocation(&mut self, path: &[(&X509Certificate<'_>, &[u8])]) {
        let sd = std::rc::Rc::clone(&self.sd);
        let mut items: Vec<revocation::Item<'_>> = self.ctx.revocation.to_vec();
        let embedded = |kind, der| revocation::Item {
            source: RevocationSource::Signature,
            kind,
            der,
        };
        items.extend(sd.crls.iter().map(|d| embedded(Kind::Crl, *d)));
        items.extend(sd.ocsps.iter().map(|d| embedded(Kind::Ocsp, *d)));
        if let Some(Ok(Some(value))) = self
            .sd
            .signer
            .signed_attrs
            .as_ref()
            .map(|a| a.single(oid::ADBE_REVOCATION_INFO))
        {
            items.extend(revocation::archival(&value));
        }
        // The same CRL often comes from several places (the DSS and the caller): check it once.
        let mut seen = std::collections::HashSet::new();
        items.retain(|item| seen.insert(item.der));
        let t = self.at;
        let claimed = self.report.signing_time.map(ValidationTime::unix);
        let mut worst: Option<(SubIndication, String)> = None;
        let mut note = |sub: SubIndication, detail: &str| {
            if worst
                .as_ref()
                .is_none_or(|(w, _)| sub.indication() > w.indication())
            {
                worst = Some((sub, detail.to_owned()));
            }
        };
        for pair in path.windows(2) {
            let [(cert, der), (issuer, _)] = pair else {
                continue;
            };
            let mut finding = revocation::status(cert, issuer, t, &items, self.ctx.crl_checks);
            if let (Some(der), Some((_, kind))) = (finding.der.take(), finding.source) {
                let kind = match kind {
                    Kind::Crl => "crl",
                    Kind::Ocsp => "ocsp",
                };
                self.report.evidence.revocation.push((kind.to_owned(), der));
            }
            match (finding.status, finding.revoked_at) {
                (RevocationStatus::Revoked, Some(at)) if at <= t => {
                    // With a proof of existence, or when even the signer's own claimed time
                    // is after the revocation, the signature was made with a revoked key.
                    let proven = self.poe.is_some() || claimed.is_some_and(|c| c >= at);
                    if proven {
                        note(SubIndication::Revoked, &finding.detail);
                    } else {
                        note(
                            SubIndication::RevokedNoPoe,
                            &format!(
                                "{}; nothing proves the signature was made before",
                                finding.detail
                            ),
                        );
                    }
                }
                (RevocationStatus::Revoked, _) => self.report.warnings.push(format!(
                    "{}: the signature was made before the revocation",
                    finding.detail
                )),
                (RevocationStatus::Unknown, _) => note(SubIndication::TryLater, &finding.detail),
                _ => {}
            }
            self.report.revocation.push(RevocationInfo {
                certificate: x509::short_name(cert.subject()),
                sha256: x509::hex(digest::digest(&digest::SHA256, der).as_ref()),
                status: finding.status,
                at: ValidationTime::clamped(t),
                revoked_at: finding.revoked_at.map(ValidationTime::clamped),
                reason: finding.reason.clone(),
                source: finding.source.map(|(s, _)| s),
                kind: finding.source.map(|(_, k)| match k {
                    Kind::Crl => "crl".to_owned(),
                    Kind::Ocsp => "ocsp".to_owned(),
                }),
                detail: finding.detail,
            });
        }
        let check = match worst {
            Some((sub, detail)) => Check::fail(Step::Revocation, sub, detail),
            None => Check::pass(
                Step::Revocation,
                format!("no certificate of the path was revoked at {}", rfc3339(t)),
            ),
        };
        self.push(check);
    }
}

/// RFC 5280 §4.2.1.3 keyUsage for a signer; RFC 3161 §2.3 extendedKeyUsage for a TSA.
fn key_usage(leaf: &X509Certificate<'_>, tsa: bool) -> Check {
    let step = Step::SignerKeyUsage;
    let malformed = |e: x509_parser::error::X509Error| {
        Check::fail(
            step,
            SubIndication::ChainConstraintsFailure,
            format!("signer certificate: {e}"),
        )
    };
    let ku = match leaf.key_usage() {
        Ok(ku) => ku,
        Err(e) => return malformed(e),
    };
    if let Some(ku) = ku
        && !(ku.value.digital_signature() || ku.value.non_repudiation())
    {
        return Check::fail(
            step,
            SubIndication::ChainConstraintsFailure,
            "the signer's certificate keyUsage allows neither digitalSignature nor nonRepudiation",
        );
    }
    if tsa {
        match leaf.extended_key_usage() {
            Ok(Some(eku)) if eku.value.time_stamping => {}
            Ok(_) => {
                return Check::fail(
                    step,
                    SubIndication::ChainConstraintsFailure,
                    "the timestamping authority's certificate lacks the id-kp-timeStamping purpose",
                );
            }
            Err(e) => return malformed(e),
        }
        return Check::pass(
            step,
            "the certificate is for timestamping (id-kp-timeStamping)",
        );
    }
    Check::pass(step, "the certificate allows digital signatures")
}
