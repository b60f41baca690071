//! The checks on the CMS itself: algorithms, claimed signing time, the signing-certificate
//! attribute, the message digest over the signed bytes (integrity) and the signature value.

use crate::time::ValidationTime;
use ring::digest;
use x509_parser::certificate::X509Certificate;

use crate::pdf::{AlgorithmPolicy, indication::Indicated as _};
use crate::{
    pki::{
        der::{Tlv, tag},
        oid,
        sigalg::{AlgError, DigestAlgorithm, KeyKind, MIN_RSA_BITS, Scheme},
        x509,
    },
    report::{Check, SignatureKind, Step, SubIndication},
    time::{asn1_time, rfc3339},
};

use super::{CmsChecks, Covered, Format};

/// SHA-1 made after this moment is not accepted even by the practical profile:
/// 2026-01-01T00:00:00Z.
const SHA1_CUTOFF: i64 = 1_767_225_600;

impl CmsChecks<'_> {
    /// Digest and signature algorithms under the policy in force.
    pub(super) fn algorithms(&mut self) -> Check {
        let (d, s) = match (&self.digest, &self.scheme) {
            (Err(e), _) | (_, Err(e)) => {
                return Check::fail(
                    Step::Algorithms,
                    SubIndication::CryptoConstraintsFailure,
                    e.to_string(),
                );
            }
            (Ok(d), Ok(s)) => (*d, *s),
        };
        let sha1 = d.is_weak() || s.digest().is_weak() || self.format == Format::Sha1Legacy;
        let pkcs1 = matches!(s, Scheme::RsaPkcs1(_));
        let names = format!("{} / {}", d.name(), s.name());
        let fail = |why: String| {
            Check::fail(
                Step::Algorithms,
                SubIndication::CryptoConstraintsFailure,
                why,
            )
        };
        // Timestamp tokens and the certificate path are judged by what they are; the
        // profile applies to the signer's own signature.
        let own = self.report.kind == SignatureKind::Signature;
        // A short RSA key: the practical profile accepts the signer's own (old archives),
        // never a timestamp's (a weak token proves no time).
        if let Some(bits) = self.rsa_bits.filter(|b| *b < MIN_RSA_BITS) {
            if !(own && self.ctx.policy == AlgorithmPolicy::Practical) {
                return fail(format!(
                    "{names}: an RSA key of {bits} bits is below the {MIN_RSA_BITS} bits required{}",
                    if own {
                        " by the legal profile (Circular 15/2025/TT-BKHCN Annex I)"
                    } else {
                        " of a timestamp"
                    }
                ));
            }
            self.report.policy_deviations.push(format!(
                "RSA key of {bits} bits: the legal profile requires at least {MIN_RSA_BITS}"
            ));
        }
        match self.ctx.policy {
            AlgorithmPolicy::Legal if own && sha1 => fail(format!(
                "{names}: SHA-1 is not allowed by the legal profile (Circular 15/2025/TT-BKHCN Annex I)"
            )),
            AlgorithmPolicy::Legal if own && pkcs1 => fail(format!(
                "{names}: the legal profile requires RSASSA-PSS, not RSA PKCS#1 v1.5"
            )),
            AlgorithmPolicy::Practical if sha1 => match self.poe {
                Some(t) if own && t < SHA1_CUTOFF => {
                    self.report.policy_deviations.push(format!(
                        "SHA-1, accepted because a timestamp proves it was made at {}, before {}",
                        rfc3339(t),
                        rfc3339(SHA1_CUTOFF)
                    ));
                    Check::pass(Step::Algorithms, names)
                }
                _ => fail(format!(
                    "{names}: SHA-1 no longer resists collisions; accepted only with a proof that the signature was made before {}",
                    rfc3339(SHA1_CUTOFF)
                )),
            },
            _ => {
                if own && pkcs1 {
                    self.report
                        .policy_deviations
                        .push("RSA PKCS#1 v1.5: the legal profile requires RSASSA-PSS".to_owned());
                }
                Check::pass(Step::Algorithms, names)
            }
        }
    }

    /// Claimed signing time: signingTime attribute, else the TSTInfo genTime, else `/M`.
    pub(super) fn signing_time(&mut self) {
        let attr = self
            .sd
            .signer
            .signed_attrs
            .as_ref()
            .and_then(|a| a.single(oid::SIGNING_TIME).ok().flatten())
            .and_then(|t| asn1_time(t.tag == tag::UTC_TIME, t.content));
        if let Some(t) = attr.or(self.tst.as_ref().and_then(|t| t.gen_time)) {
            self.report.signing_time = Some(ValidationTime::clamped(t));
        }
    }

    /// ESS signing-certificate(-v2) (RFC 5035): the signed hash of the signer's certificate.
    pub(super) fn signing_certificate(&self, leaf_der: &[u8]) -> Check {
        let step = Step::SigningCertificate;
        let attrs = self.sd.signer.signed_attrs.as_ref();
        let v2 = attrs.map(|a| a.single(oid::SIGNING_CERTIFICATE_V2));
        let v1 = attrs.map(|a| a.single(oid::SIGNING_CERTIFICATE));
        let found = match (v2, v1) {
            (Some(Ok(Some(v))), _) => ess_cert_hash(&v, true),
            (_, Some(Ok(Some(v)))) => ess_cert_hash(&v, false),
            (Some(Err(e)), _) | (_, Some(Err(e))) => {
                return Check::fail(step, SubIndication::FormatFailure, e.to_string());
            }
            _ if self.format == (Format::Detached { cades: true }) => {
                return Check::fail(
                    step,
                    SubIndication::NoSigningCertificateFound,
                    "ETSI.CAdES.detached requires the signing-certificate(-v2) attribute; it is missing",
                );
            }
            _ => {
                return Check::pass(
                    step,
                    "signer certificate found by its identifier (no signing-certificate attribute)",
                );
            }
        };
        match found {
            Some((alg, hash)) if digest::digest(alg.ring(), leaf_der).as_ref() == hash => {
                Check::pass(
                    step,
                    format!("signing-certificate attribute matches ({})", alg.name()),
                )
            }
            Some(_) => Check::fail(
                step,
                SubIndication::NoSigningCertificateFound,
                "the signing-certificate attribute names a different certificate than the signer's",
            ),
            None => Check::fail(
                step,
                SubIndication::FormatFailure,
                "the signing-certificate attribute is malformed or uses an unsupported hash",
            ),
        }
    }

    /// Runs the content-type and message-digest checks; returns the bytes the signature
    /// covers (the signed attributes, or the content itself when there are none).
    pub(super) fn content(&mut self, digest: DigestAlgorithm) -> Option<Vec<u8>> {
        let sd = std::rc::Rc::clone(&self.sd);
        let covered = self.covered?;
        let pdf = self.ctx.pdf;
        let hasher = self.ctx.hasher;
        let signed_digest = |alg: DigestAlgorithm| match covered {
            Covered::Ranges(r) => hasher.signed(alg, &r),
            Covered::Bytes(b) => digest::digest(alg.ring(), b),
        };
        let covered_bytes = || match covered {
            Covered::Ranges(r) => r.slices(pdf).concat(),
            Covered::Bytes(b) => b.to_vec(),
        };
        // Encapsulated content (adbe.pkcs7.sha1, RFC 3161) carries a digest of the signed
        // bytes, checked here; the CMS then speaks of that content. Detached: of the bytes.
        let tst = self.tst.clone();
        let encapsulated = match (self.format, &sd.econtent, &tst) {
            (Format::Sha1Legacy, Some(c), _) => Some((
                c.as_ref(),
                Ok(DigestAlgorithm::Sha1),
                c.as_ref(),
                "the SHA-1 digest in the CMS",
            )),
            (Format::Rfc3161, Some(c), Some(tst)) => Some((
                c.as_ref(),
                tst.imprint_alg.clone(),
                tst.imprint.as_slice(),
                "the timestamp's message imprint",
            )),
            _ => None,
        };
        if let Some((_, alg, expected, what)) = &encapsulated {
            let alg = match alg {
                Ok(alg) => *alg,
                Err(e) => {
                    self.push(Check::fail(
                        Step::MessageDigest,
                        SubIndication::CryptoConstraintsFailure,
                        format!("{what}: {e}"),
                    ));
                    return None;
                }
            };
            // A mismatch is a fact about the document; the signature value over the CMS is
            // still verified below, so that `valid` says whether the token itself is genuine.
            if signed_digest(alg).as_ref() != *expected {
                self.report.intact = Some(false);
                self.push(Check::fail(
                    Step::MessageDigest,
                    SubIndication::HashFailure,
                    format!("{what} does not match the signed bytes"),
                ));
            }
        }
        let content: &[u8] = encapsulated.map_or(&[], |(c, ..)| c);
        let detached = matches!(self.format, Format::Detached { .. });
        let Some(attrs) = &sd.signer.signed_attrs else {
            self.report.warnings.push(
                "the CMS has no signed attributes: the signature covers the content directly"
                    .into(),
            );
            return Some(if detached {
                covered_bytes()
            } else {
                content.to_vec()
            });
        };
        let content_type = match attrs.single(oid::CONTENT_TYPE) {
            Ok(Some(ct)) if ct.tag == tag::OID && ct.content == sd.econtent_type => Check::pass(
                Step::ContentType,
                format!("content type {}", oid::name(ct.content)),
            ),
            Ok(Some(_)) => Check::fail(
                Step::ContentType,
                SubIndication::FormatFailure,
                "the content-type attribute differs from the encapsulated content type",
            ),
            Ok(None) => Check::fail(
                Step::ContentType,
                SubIndication::FormatFailure,
                "the content-type signed attribute is missing (RFC 5652 §5.3)",
            ),
            Err(e) => Check::fail(
                Step::ContentType,
                SubIndication::FormatFailure,
                e.to_string(),
            ),
        };
        self.push(content_type);
        let actual = if detached {
            signed_digest(digest)
        } else {
            digest::digest(digest.ring(), content)
        };
        let signed = attrs.single(oid::MESSAGE_DIGEST);
        if let Ok(Some(md)) = &signed {
            let matches = md.tag == tag::OCTET_STRING && md.content == actual.as_ref();
            // Encapsulated formats: intact only if the imprint matched too (set above).
            self.report.intact = Some(matches && self.report.intact != Some(false));
        }
        let check = match signed {
            Ok(Some(md)) if md.tag == tag::OCTET_STRING && md.content == actual.as_ref() => {
                Check::pass(
                    Step::MessageDigest,
                    format!(
                        "{} of the signed bytes matches the signed message digest",
                        digest.name()
                    ),
                )
            }
            Ok(Some(_)) => Check::fail(
                Step::MessageDigest,
                SubIndication::HashFailure,
                format!(
                    "{} of the signed bytes does not match the signed message digest: the document was changed after signing",
                    digest.name()
                ),
            ),
            Ok(None) => Check::fail(
                Step::MessageDigest,
                SubIndication::FormatFailure,
                "the message-digest signed attribute is missing",
            ),
            Err(e) => Check::fail(
                Step::MessageDigest,
                SubIndication::FormatFailure,
                e.to_string(),
            ),
        };
        self.push(check);
        Some(attrs.signed_bytes())
    }

    pub(super) fn signature_value(
        &mut self,
        scheme: Scheme,
        leaf: &X509Certificate<'_>,
        message: &[u8],
    ) -> Check {
        let step = Step::SignatureValue;
        let key = match x509::public_key(leaf) {
            Ok(k) => k,
            Err(e) => return Check::fail(step, e.sub_indication(), e.to_string()),
        };
        let direct = self.sd.signer.signed_attrs.is_none();
        if let KeyKind::Rsa { bits } = key.kind {
            self.rsa_bits = Some(bits);
        }
        let verified = scheme.verify(&key, message, self.sd.signer.signature);
        self.report.valid = match &verified {
            Ok(()) => Some(true),
            Err(AlgError::BadSignature | AlgError::KeyMismatch(_)) => Some(false),
            Err(AlgError::Unsupported(_) | AlgError::Malformed(_)) => None,
        };
        // Without signed attributes the signature covers the signed bytes themselves: its
        // value is also the integrity check (with the encapsulated digest, if any, above).
        if direct && self.report.intact != Some(false) {
            self.report.intact = self.report.valid;
        }
        match verified {
            Ok(()) => {
                if direct {
                    self.push(Check::pass(
                        Step::MessageDigest,
                        "no signed attributes: the verified signature covers the signed bytes",
                    ));
                }
                Check::pass(
                    step,
                    format!(
                        "{} signature verifies with the signer's {} key",
                        scheme.name(),
                        key.kind.name()
                    ),
                )
            }
            Err(e @ (AlgError::BadSignature | AlgError::KeyMismatch(_))) => {
                if direct {
                    self.push(Check::fail(
                        Step::MessageDigest,
                        SubIndication::HashFailure,
                        "no signed attributes and the signature does not verify: the signed bytes or the signature were changed",
                    ));
                }
                Check::fail(step, e.sub_indication(), format!("signature value: {e}"))
            }
            Err(e) => Check::fail(step, e.sub_indication(), e.to_string()),
        }
    }
}

/// The first ESSCertID(v2)'s `(hash algorithm, certHash)`; `None` when malformed or unsupported.
fn ess_cert_hash<'a>(value: &Tlv<'a>, v2: bool) -> Option<(DigestAlgorithm, &'a [u8])> {
    if value.tag != tag::SEQUENCE {
        return None;
    }
    let certs = value.reader().expect(tag::SEQUENCE, "certs").ok()?;
    let first = certs.reader().expect(tag::SEQUENCE, "ESSCertID").ok()?;
    let mut r = first.reader();
    let alg = if v2 && r.peek_tag() == Some(tag::SEQUENCE) {
        DigestAlgorithm::from_oid(crate::pki::sigalg::alg_oid(&r.any().ok()?).ok()?).ok()?
    } else if v2 {
        DigestAlgorithm::Sha256
    } else {
        DigestAlgorithm::Sha1
    };
    let hash = r.expect(tag::OCTET_STRING, "certHash").ok()?;
    Some((alg, hash.content))
}
