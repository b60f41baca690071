//! The checks of one signature, in order (ETSI EN 319 102-1 §5.2–5.5, simplified): format,
//! ByteRange and coverage, CMS structure, signer certificate, algorithms, message digest,
//! signature value, certificate path, validity, key usage, and what follows the signed bytes.

use ring::digest;
use x509_parser::certificate::X509Certificate;

use super::{
    AlgorithmPolicy,
    byte_range::{self, Ranges},
    indication::Indicated as _,
    parse::SigDict,
    revisions::Revision,
};
use crate::{
    certs::CertificateSet,
    limits::Limits,
    pki::{
        chain::{self, Candidate},
        cms::{self, SignedData, SignerId},
        der::{Tlv, tag},
        oid,
        revocation::{self, Kind},
        sigalg::{AlgError, DigestAlgorithm, KeyKind, MIN_RSA_BITS, Scheme},
        tst, x509,
    },
    report::{
        Check, Coverage, Declared, Evidence, Indication, Name, RevocationInfo, RevocationSource,
        RevocationStatus, SignatureKind, SignatureReport, Step, SubIndication, Verdict,
    },
    time::{ValidationTime, asn1_time, rfc3339},
};

/// What every signature of one document is verified against.
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    pub(crate) pdf: &'a [u8],
    pub(crate) hasher: &'a byte_range::PrefixHasher<'a>,
    pub(crate) revisions: &'a [Revision],
    pub(crate) anchors: &'a CertificateSet,
    /// Anchors for timestamp authorities.
    pub(crate) tsa_anchors: &'a CertificateSet,
    pub(crate) intermediates: &'a CertificateSet,
    /// CRLs and OCSP responses from the document's DSS and from the caller.
    pub(crate) revocation: &'a [revocation::Item<'a>],
    /// CRL signature checks already made for this document.
    pub(crate) crl_checks: &'a revocation::CrlChecks,
    /// A proof of existence from a later document timestamp, for a signature without a valid
    /// timestamp of its own.
    pub(crate) poe_hint: Option<i64>,
    pub(crate) policy: AlgorithmPolicy,
    pub(crate) limits: &'a Limits,
    pub(crate) at: i64,
}

/// What a CMS signs: byte ranges of the PDF, or given bytes (a signature timestamp's
/// imprint covers the signer's signature value).
#[derive(Clone, Copy)]
enum Covered<'a> {
    Ranges(Ranges),
    Bytes(&'a [u8]),
}

/// SHA-1 made after this moment is not accepted even by the practical profile:
/// 2026-01-01T00:00:00Z.
const SHA1_CUTOFF: i64 = 1_767_225_600;

/// How the SubFilter says the signed bytes relate to the CMS (ISO 32000-2 §12.8.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// adbe.pkcs7.detached, ETSI.CAdES.detached: detached CMS over the signed bytes.
    Detached { cades: bool },
    /// adbe.pkcs7.sha1: the CMS encapsulates the SHA-1 digest of the signed bytes.
    Sha1Legacy,
    /// ETSI.RFC3161: a timestamp token whose message imprint is the signed bytes' digest.
    Rfc3161,
}

/// Verifies one signature dictionary; the report's verdict is derived from the checks.
pub(crate) fn verify(ctx: &Context<'_>, field: Name, sig: &SigDict) -> SignatureReport {
    let mut report = blank(field, sig.kind, sig.subfilter.clone());
    report.revision = sig
        .offset
        .and_then(|o| ctx.revisions.iter().position(|r| o < r.eof_end))
        .map(|i| i + 1);
    report.signing_time = sig.declared.signing_time.clone();
    report.declared = sig.declared.clone();
    report.certification_level = sig.docmdp;
    if sig.kind == SignatureKind::DocTimestamp && sig.type_name.as_deref() != Some("DocTimeStamp") {
        report.warnings.push(format!(
            "the dictionary's /Type is {}, but its SubFilter ETSI.RFC3161 makes it a document timestamp (ISO 32000-2 Table 255 requires /Type /DocTimeStamp)",
            sig.type_name.as_deref().map_or("absent".to_owned(), |t| format!("/{t}"))
        ));
    }
    run(ctx, sig, &mut report);
    report.derive();
    report
}

/// A report before any check ran.
fn blank(field: Name, kind: SignatureKind, subfilter: Option<String>) -> SignatureReport {
    SignatureReport {
        field,
        kind,
        subfilter,
        revision: None,
        covers_revision: None,
        coverage: Coverage::Unclear,
        indication: Indication::Passed,
        subindication: None,
        verdict: Verdict::Valid,
        reason: String::new(),
        intact: None,
        valid: None,
        trusted: false,
        certificate_policies: Vec::new(),
        signer: None,
        chain: Vec::new(),
        signing_time: None,
        signer_valid_at_signing_time: None,
        digest_algorithm: None,
        signature_algorithm: None,
        declared: Declared::default(),
        timestamp: None,
        proof_of_existence: None,
        pades_level: None,
        revocation: Vec::new(),
        evidence: Evidence::default(),
        policy_deviations: Vec::new(),
        certification_level: None,
        modification: None,
        warnings: Vec::new(),
        checks: Vec::new(),
    }
}

/// Verifies one signature timestamp token (RFC 3161) over `signature`, the value of the
/// SignerInfo it is attached to, against the TSA anchors at the token's genTime.
fn timestamp_token(ctx: &Context<'_>, token: &[u8], signature: &[u8]) -> SignatureReport {
    let mut report = blank(
        Name::Text("signature timestamp".to_owned()),
        SignatureKind::SignatureTimestamp,
        None,
    );
    let tsa = Context {
        anchors: ctx.tsa_anchors,
        ..*ctx
    };
    check_cms(
        &tsa,
        token,
        Format::Rfc3161,
        Some(Covered::Bytes(signature)),
        &mut report,
    );
    report.derive();
    report
}

fn run(ctx: &Context<'_>, sig: &SigDict, report: &mut SignatureReport) {
    let checks = &mut report.checks;
    let (format, byte_range, contents) = match dictionary(sig) {
        Ok(parts) => parts,
        Err(check) => return checks.push(check),
    };
    checks.push(Check::pass(
        Step::SignatureDictionary,
        format!(
            "{} with SubFilter {}",
            if sig.kind == SignatureKind::DocTimestamp {
                "/DocTimeStamp"
            } else {
                "/Sig"
            },
            sig.subfilter.as_deref().unwrap_or_default()
        ),
    ));
    let outcome = byte_range::check(ctx.pdf, byte_range, contents, sig.offset, ctx.revisions);
    report.coverage = outcome.coverage;
    report.covers_revision = outcome.covers_revision;
    checks.extend(outcome.checks);
    check_cms(
        ctx,
        contents,
        format,
        outcome.ranges.map(Covered::Ranges),
        report,
    );
}

/// Parses a CMS blob for `format` and runs every check that needs it.
fn check_cms(
    ctx: &Context<'_>,
    contents: &[u8],
    format: Format,
    covered: Option<Covered<'_>>,
    report: &mut SignatureReport,
) {
    let checks = &mut report.checks;
    if contents.len() > ctx.limits.max_cms_bytes {
        return checks.push(Check::fail(
            Step::CmsStructure,
            SubIndication::FormatFailure,
            format!(
                "the CMS is {} bytes, above the limit of {}",
                contents.len(),
                ctx.limits.max_cms_bytes
            ),
        ));
    }
    let sd = match cms::parse(
        contents,
        ctx.limits.max_der_depth,
        ctx.limits.max_certificates,
    ) {
        Ok(sd) => sd,
        Err(e) => {
            return checks.push(Check::fail(
                Step::CmsStructure,
                e.sub_indication(),
                format!("CMS: {e}"),
            ));
        }
    };
    if sd.trailing != 0 {
        report.warnings.push(format!(
            "{} non-zero byte(s) follow the CMS object in /Contents: they belong to no signature and were ignored",
            sd.trailing
        ));
    }
    if let Some(attrs) = &sd.signer.signed_attrs {
        if !attrs.der_order {
            report.warnings.push(
                "the signed attributes are not in DER order (RFC 5652 §5.3); the signature was verified over them as sent, as OpenSSL and NSS do".to_owned(),
            );
        }
        for name in &attrs.repeated {
            report.warnings.push(format!(
                "signed attribute {name} appears more than once (allowed for this type; the first value is the one read)"
            ));
        }
    }
    let tst = match shape(&sd, format) {
        Ok(tst) => tst,
        // Detached per the SubFilter, yet the CMS also encapsulates content (seen from
        // e-office platforms): the signature is still checked against the /ByteRange bytes,
        // so its facts are reported; the legal profile refuses the structure.
        Err(Shape::EncapsulatedInDetached) => {
            let what = "the SubFilter says detached, but the CMS also encapsulates content; messageDigest is checked against the /ByteRange bytes";
            match ctx.policy {
                AlgorithmPolicy::Legal => report.checks.push(Check::fail(
                    Step::CmsStructure,
                    SubIndication::FormatFailure,
                    format!(
                        "CMS: {what} (not allowed by the legal profile: ISO 32000-2 §12.8.3.3)"
                    ),
                )),
                AlgorithmPolicy::Practical => report.policy_deviations.push(what.to_owned()),
            }
            None
        }
        Err(Shape::Other(why, detail)) => {
            // Nothing more is checked, but who signed is still said (from the CMS).
            let certs = certificates(&sd, &mut report.warnings);
            report.signer = signer_certificate(&sd, &certs).map(|(c, der)| x509::info(c, der));
            return report.checks.push(Check::fail(
                Step::CmsStructure,
                why,
                format!("CMS: {detail}"),
            ));
        }
    };
    let checks = &mut report.checks;
    checks.push(Check::pass(
        Step::CmsStructure,
        format!(
            "CMS SignedData with one SignerInfo and {} certificate(s)",
            sd.certificates.len()
        ),
    ));
    // A signature timestamp is judged at its own genTime; anything else at the validation
    // time until a proof of existence moves it.
    let at = match (covered, tst.as_ref().and_then(|t| t.gen_time)) {
        (Some(Covered::Bytes(_)), Some(gen_time)) => gen_time,
        _ => ctx.at,
    };
    CmsChecks {
        ctx,
        sd: &sd,
        tst: tst.as_ref(),
        format,
        covered,
        at,
        poe: None,
        rsa_bits: None,
        report,
    }
    .run();
}

/// The SubFilter and the entries every signature dictionary needs.
fn dictionary(sig: &SigDict) -> Result<(Format, &[i64], &[u8]), Check> {
    let format = match (sig.kind, sig.subfilter.as_deref()) {
        (SignatureKind::Signature, Some("adbe.pkcs7.detached")) => {
            Format::Detached { cades: false }
        }
        (SignatureKind::Signature, Some("ETSI.CAdES.detached")) => Format::Detached { cades: true },
        (SignatureKind::Signature, Some("adbe.pkcs7.sha1")) => Format::Sha1Legacy,
        (SignatureKind::DocTimestamp, Some("ETSI.RFC3161")) => Format::Rfc3161,
        (_, other) => {
            return Err(Check::fail(
                Step::SignatureDictionary,
                SubIndication::CryptoConstraintsFailure,
                format!(
                    "SubFilter {} is not supported for this signature type",
                    other.unwrap_or("(missing)")
                ),
            ));
        }
    };
    let format_failure = |detail: String| {
        Check::fail(
            Step::SignatureDictionary,
            SubIndication::FormatFailure,
            detail,
        )
    };
    let byte_range = sig
        .byte_range
        .as_deref()
        .map_err(|e| format_failure(e.clone()))?;
    let contents = sig
        .contents
        .as_deref()
        .ok_or_else(|| format_failure("the signature dictionary has no /Contents string".into()))?;
    Ok((format, byte_range, contents))
}

/// Why the CMS does not have the shape its SubFilter calls for.
enum Shape {
    /// A detached SubFilter whose CMS also carries id-data content.
    EncapsulatedInDetached,
    /// Anything else, fatal for the signature.
    Other(SubIndication, String),
}

/// Checks the encapsulated content against the SubFilter; parses the TSTInfo if any.
fn shape(sd: &SignedData<'_>, format: Format) -> Result<Option<tst::TstInfo>, Shape> {
    let fail = |d: &str| Err(Shape::Other(SubIndication::FormatFailure, d.to_owned()));
    match (format, &sd.econtent) {
        (Format::Detached { .. }, None) if sd.econtent_type == oid::DATA => Ok(None),
        (Format::Detached { .. }, Some(_)) if sd.econtent_type == oid::DATA => {
            Err(Shape::EncapsulatedInDetached)
        }
        (Format::Detached { .. }, _) => {
            fail("a detached signature must have id-data content and no encapsulated content")
        }
        (Format::Sha1Legacy, Some(c)) if c.len() == 20 => Ok(None),
        (Format::Sha1Legacy, _) => {
            fail("adbe.pkcs7.sha1 must encapsulate the 20-byte SHA-1 digest of the signed bytes")
        }
        (Format::Rfc3161, Some(c)) if sd.econtent_type == oid::TST_INFO => tst::parse(c)
            .map(Some)
            .map_err(|e| Shape::Other(SubIndication::FormatFailure, format!("TSTInfo: {e}"))),
        (Format::Rfc3161, _) => fail("a document timestamp must encapsulate a TSTInfo"),
    }
}

/// The CMS's certificates that parse; each one skipped is a warning.
fn certificates<'c>(
    sd: &'c SignedData<'c>,
    warnings: &mut Vec<String>,
) -> Vec<(X509Certificate<'c>, &'c [u8])> {
    sd.certificates
        .iter()
        .filter_map(|der| match x509::parse(der) {
            Ok(cert) => Some((cert, *der)),
            Err(e) => {
                warnings.push(format!("a certificate in the CMS was skipped: {e}"));
                None
            }
        })
        .collect()
}

/// The certificate the SignerInfo's identifier names, among `certs`.
fn signer_certificate<'a, 'c>(
    sd: &SignedData<'_>,
    certs: &'a [(X509Certificate<'c>, &'c [u8])],
) -> Option<&'a (X509Certificate<'c>, &'c [u8])> {
    certs.iter().find(|(c, _)| match sd.signer.sid {
        SignerId::IssuerSerial { issuer, serial } => {
            c.issuer().as_raw() == issuer && c.raw_serial() == serial
        }
        SignerId::KeyId(id) => chain::subject_key_id(c) == Some(id),
    })
}

/// Checks that need the parsed CMS.
struct CmsChecks<'c, 'a> {
    ctx: &'c Context<'a>,
    sd: &'c SignedData<'c>,
    tst: Option<&'c tst::TstInfo>,
    format: Format,
    covered: Option<Covered<'c>>,
    /// When the path, validity and revocation are judged.
    at: i64,
    /// The genTime of a verified signature timestamp.
    poe: Option<i64>,
    /// Modulus size of the signer's RSA key, once the signature value was checked.
    rsa_bits: Option<usize>,
    report: &'c mut SignatureReport,
}

impl CmsChecks<'_, '_> {
    fn push(&mut self, check: Check) {
        self.report.checks.push(check);
    }

    fn run(mut self) {
        let signer = &self.sd.signer;
        let certs = certificates(self.sd, &mut self.report.warnings);
        let leaf = signer_certificate(self.sd, &certs);
        self.signing_time();
        let digest = self.digest_algorithm();
        let scheme = Scheme::from_oid(
            signer.signature_oid,
            signer.signature_params,
            digest.as_ref().ok().copied(),
        );
        self.report.digest_algorithm = digest.as_ref().ok().map(|d| d.name().to_owned());
        self.report.signature_algorithm = scheme.as_ref().ok().map(|s| s.name());
        let Some((leaf, leaf_der)) = leaf else {
            let algorithms = self.algorithms(&digest, &scheme);
            self.push(algorithms);
            return self.push(Check::fail(
                Step::SigningCertificate,
                SubIndication::NoSigningCertificateFound,
                "no certificate in the CMS matches the SignerInfo's signer identifier",
            ));
        };
        self.report.signer = Some(x509::info(leaf, leaf_der));
        self.report.evidence.signer = Some(leaf_der.to_vec());
        if let Some(t) = self.report.signing_time.as_deref() {
            self.report.signer_valid_at_signing_time = ValidationTime::from_rfc3339(t)
                .ok()
                .map(|at| chain::check_time(leaf, at.unix()).is_ok());
        }
        let binding = self.signing_certificate(leaf_der);
        self.push(binding);
        if let Ok(digest) = digest {
            let content = self.content(digest);
            if let (Some(message), Ok(scheme)) = (content, scheme.as_ref()) {
                let value = self.signature_value(*scheme, leaf, &message);
                self.push(value);
            }
        }
        if self.report.kind != SignatureKind::SignatureTimestamp {
            self.timestamps();
        }
        if let (None, Some(t), SignatureKind::Signature) =
            (self.poe, self.ctx.poe_hint, self.report.kind)
        {
            self.poe = Some(t);
            self.at = t;
            self.push(Check::pass(
                Step::SignatureTimestamp,
                format!(
                    "a valid document timestamp over this signature's revision proves it existed at {}",
                    rfc3339(t)
                ),
            ));
        }
        let algorithms = self.algorithms(&digest, &scheme);
        self.push(algorithms);
        self.path(leaf, leaf_der, &certs);
    }

    /// The SignerInfo's digestAlgorithm. Some signers write a signature algorithm there
    /// (`sha256WithRSAEncryption`); its hash is unambiguous, so it is used, with a warning.
    fn digest_algorithm(&mut self) -> Result<DigestAlgorithm, AlgError> {
        let oid = self.sd.signer.digest_oid;
        DigestAlgorithm::from_oid(oid).or_else(|e| match Scheme::from_oid(oid, None, None) {
            Ok(scheme @ (Scheme::RsaPkcs1(d) | Scheme::Ecdsa(d))) => {
                self.report.warnings.push(format!(
                    "the digestAlgorithm names the signature algorithm {}; its hash {} was used (RFC 5652 §5.3 asks for a digest algorithm)",
                    scheme.name(),
                    d.name()
                ));
                Ok(d)
            }
            _ => Err(e),
        })
    }

    /// Verifies the signature timestamp tokens; the first that passes gives the proof of
    /// existence, and the path is then judged at its genTime (ETSI EN 319 102-1 §5.6.2.1,
    /// past signature validation, simplified: one timestamp, no timestamp chains).
    fn timestamps(&mut self) {
        let tokens: Vec<&[u8]> = self
            .sd
            .signer
            .unsigned
            .iter()
            .filter(|(oid, _)| *oid == oid::SIGNATURE_TIME_STAMP_TOKEN)
            .map(|(_, value)| value.raw)
            .collect();
        if tokens.is_empty() {
            return;
        }
        let mut reports: Vec<SignatureReport> = tokens
            .iter()
            .take(8)
            .map(|token| timestamp_token(self.ctx, token, self.sd.signer.signature))
            .collect();
        let best = reports
            .iter()
            .position(|r| r.indication == Indication::Passed)
            .unwrap_or(0);
        let token = reports.swap_remove(best);
        let gen_time = token
            .signing_time
            .as_deref()
            .and_then(|t| ValidationTime::from_rfc3339(t).ok())
            .map(ValidationTime::unix);
        let check = match (token.indication, gen_time) {
            (Indication::Passed, Some(t)) if t > self.ctx.at => {
                self.report.warnings.push(format!(
                    "the signature timestamp ({}) is later than the validation time: it proves nothing about that time",
                    rfc3339(t)
                ));
                Check::pass(
                    Step::SignatureTimestamp,
                    "the signature timestamp is later than the validation time and is not relied on",
                )
            }
            (Indication::Passed, Some(t)) => {
                self.poe = Some(t);
                self.at = t;
                Check::pass(
                    Step::SignatureTimestamp,
                    format!(
                        "a timestamp by {} proves the signature existed at {}",
                        token
                            .signer
                            .as_ref()
                            .and_then(|s| s.common_name.as_ref())
                            .map_or("a trusted TSA".to_owned(), Name::display),
                        rfc3339(t)
                    ),
                )
            }
            // The token's imprint is over another value, or its own signature fails: the
            // unsigned attribute was tampered with.
            (Indication::Failed, _) => Check::fail(
                Step::SignatureTimestamp,
                token.subindication.unwrap_or(SubIndication::FormatFailure),
                format!("the signature timestamp is not valid: {}", token.reason),
            ),
            _ => {
                self.report.warnings.push(format!(
                    "the signature timestamp could not be verified ({}); it proves nothing",
                    token.reason
                ));
                Check::pass(
                    Step::SignatureTimestamp,
                    "the signature timestamp is not relied on (see the warnings)",
                )
            }
        };
        self.report.timestamp = Some(Box::new(token));
        self.push(check);
    }

    /// Digest and signature algorithms under the policy in force.
    fn algorithms(
        &mut self,
        digest: &Result<DigestAlgorithm, AlgError>,
        scheme: &Result<Scheme, AlgError>,
    ) -> Check {
        let (d, s) = match (digest, scheme) {
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
    fn signing_time(&mut self) {
        let attr = self
            .sd
            .signer
            .signed_attrs
            .as_ref()
            .and_then(|a| a.single(oid::SIGNING_TIME).ok().flatten())
            .and_then(|t| asn1_time(t.tag == tag::UTC_TIME, t.content));
        if let Some(t) = attr.or(self.tst.and_then(|t| t.gen_time)) {
            self.report.signing_time = Some(rfc3339(t));
        }
    }

    /// ESS signing-certificate(-v2) (RFC 5035): the signed hash of the signer's certificate.
    fn signing_certificate(&self, leaf_der: &[u8]) -> Check {
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
    fn content(&mut self, digest: DigestAlgorithm) -> Option<Vec<u8>> {
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
        let encapsulated = match (self.format, &self.sd.econtent, self.tst) {
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
        let Some(attrs) = &self.sd.signer.signed_attrs else {
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
            Ok(Some(ct)) if ct.tag == tag::OID && ct.content == self.sd.econtent_type => {
                Check::pass(
                    Step::ContentType,
                    format!("content type {}", oid::name(ct.content)),
                )
            }
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

    fn signature_value(
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

    /// Path, validity and key usage of the signer's certificate.
    fn path(
        &mut self,
        leaf: &X509Certificate<'_>,
        leaf_der: &[u8],
        certs: &[(X509Certificate<'_>, &[u8])],
    ) {
        let ctx = self.ctx;
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
}

impl CmsChecks<'_, '_> {
    /// Revocation of every certificate on `path` (leaf first, anchor last, the anchor itself
    /// not checked) at the proof of existence, else the validation time.
    fn revocation(&mut self, path: &[(&X509Certificate<'_>, &[u8])]) {
        let mut items: Vec<revocation::Item<'_>> = self.ctx.revocation.to_vec();
        let embedded = |kind, der| revocation::Item {
            source: RevocationSource::Signature,
            kind,
            der,
        };
        items.extend(self.sd.crls.iter().map(|d| embedded(Kind::Crl, *d)));
        items.extend(self.sd.ocsps.iter().map(|d| embedded(Kind::Ocsp, *d)));
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
        let claimed = self
            .report
            .signing_time
            .as_deref()
            .and_then(|s| ValidationTime::from_rfc3339(s).ok())
            .map(ValidationTime::unix);
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
                at: rfc3339(t),
                revoked_at: finding.revoked_at.map(rfc3339),
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
