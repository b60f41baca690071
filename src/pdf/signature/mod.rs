//! The checks of one signature, in order (ETSI EN 319 102-1 §5.2–5.5, simplified): format,
//! ByteRange and coverage, CMS structure, signer certificate, algorithms, message digest,
//! signature value, certificate path, validity, key usage, and what follows the signed bytes.

mod cms_checks;
mod path;
mod timestamp;

use std::rc::Rc;

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
        chain::{self},
        cms::{self, SignedData, SignerId},
        oid,
        revocation::{self},
        sigalg::{AlgError, DigestAlgorithm, Scheme},
        tst, x509,
    },
    report::{
        Check, Coverage, Declared, Evidence, Indication, Name, SignatureKind, SignatureReport,
        Step, SubIndication, Verdict,
    },
    time::rfc3339,
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

/// One signature checked as far as the validation time does not matter: the dictionary, the
/// ByteRange, the CMS, the message digest, the signature value and the signature timestamp.
/// [`Verified::at`] adds what depends on time (the proof of existence, the algorithm rules it
/// relaxes, the certificate path, validity and revocation) and derives the report, so a later
/// proof of existence re-runs only that stage: nothing is hashed or verified twice.
#[derive(Clone)]
pub(crate) enum Verified<'a> {
    /// The checks stopped before a signer certificate was found: time changes nothing.
    Done(Box<SignatureReport>),
    /// The signer is known; the time stage is still to run.
    Pending(Box<CmsChecks<'a>>),
}

impl Verified<'_> {
    /// The report, with the time stage run as of the context's validation time, or at
    /// `poe`, the time a later document timestamp proves the signature existed (used only
    /// when the signature has no valid timestamp of its own).
    pub(crate) fn at(&self, poe: Option<i64>) -> SignatureReport {
        let mut report = match self {
            Verified::Done(report) => (**report).clone(),
            Verified::Pending(checks) => {
                let mut checks = (**checks).clone();
                checks.ctx.poe_hint = poe;
                checks.time_stage();
                checks.report
            }
        };
        report.derive();
        report
    }
}

/// Runs the time-free checks of one signature dictionary; see [`Verified`].
pub(crate) fn verify<'a>(ctx: &Context<'a>, field: Name, sig: &'a SigDict) -> Verified<'a> {
    let mut report = blank(field, sig.kind, sig.subfilter.clone());
    report.revision = sig
        .offset
        .and_then(|o| ctx.revisions.iter().position(|r| o < r.eof_end))
        .map(|i| i + 1);
    report.signing_time = sig.declared.signing_time;
    report.declared = sig.declared.clone();
    report.certification_level = sig.docmdp;
    if sig.kind == SignatureKind::DocTimestamp && sig.type_name.as_deref() != Some("DocTimeStamp") {
        report.warnings.push(format!(
            "the dictionary's /Type is {}, but its SubFilter ETSI.RFC3161 makes it a document timestamp (ISO 32000-2 Table 255 requires /Type /DocTimeStamp)",
            sig.type_name.as_deref().map_or("absent".to_owned(), |t| format!("/{t}"))
        ));
    }
    run(ctx, sig, report)
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
    let report = blank(
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
        report,
    )
    .at(None)
}

fn run<'a>(ctx: &Context<'a>, sig: &'a SigDict, mut report: SignatureReport) -> Verified<'a> {
    let (format, byte_range, contents) = match dictionary(sig) {
        Ok(parts) => parts,
        Err(check) => {
            report.checks.push(check);
            return Verified::Done(Box::new(report));
        }
    };
    report.checks.push(Check::pass(
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
    report.checks.extend(outcome.checks);
    check_cms(
        ctx,
        contents,
        format,
        outcome.ranges.map(Covered::Ranges),
        report,
    )
}

/// Parses a CMS blob for `format` and runs every time-free check that needs it.
fn check_cms<'a>(
    ctx: &Context<'a>,
    contents: &'a [u8],
    format: Format,
    covered: Option<Covered<'a>>,
    mut report: SignatureReport,
) -> Verified<'a> {
    let done = |mut report: SignatureReport, check: Check| {
        report.checks.push(check);
        Verified::Done(Box::new(report))
    };
    if contents.len() > ctx.limits.max_cms_bytes {
        let why = format!(
            "the CMS is {} bytes, above the limit of {}",
            contents.len(),
            ctx.limits.max_cms_bytes
        );
        return done(
            report,
            Check::fail(Step::CmsStructure, SubIndication::FormatFailure, why),
        );
    }
    let sd = match cms::parse(
        contents,
        ctx.limits.max_der_depth,
        ctx.limits.max_certificates,
    ) {
        Ok(sd) => sd,
        Err(e) => {
            let check = Check::fail(Step::CmsStructure, e.sub_indication(), format!("CMS: {e}"));
            return done(report, check);
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
            report.signer =
                signer_certificate(&sd, &certs).map(|i| x509::info(&certs[i].0, certs[i].1));
            return done(
                report,
                Check::fail(Step::CmsStructure, why, format!("CMS: {detail}")),
            );
        }
    };
    report.checks.push(Check::pass(
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
    let certs = certificates(&sd, &mut report.warnings);
    let digest = digest_algorithm(sd.signer.digest_oid, &mut report.warnings);
    let scheme = Scheme::from_oid(
        sd.signer.signature_oid,
        sd.signer.signature_params,
        digest.as_ref().ok().copied(),
    );
    report.digest_algorithm = digest.as_ref().ok().map(|d| d.name().to_owned());
    report.signature_algorithm = scheme.as_ref().ok().map(|s| s.name());
    CmsChecks {
        ctx: *ctx,
        sd: Rc::new(sd),
        certs: certs.into(),
        leaf: 0,
        digest,
        scheme,
        tst,
        format,
        covered,
        at,
        poe: None,
        rsa_bits: None,
        report,
    }
    .time_free()
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
fn certificates<'a>(
    sd: &SignedData<'a>,
    warnings: &mut Vec<String>,
) -> Vec<(X509Certificate<'a>, &'a [u8])> {
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

/// The index in `certs` of the certificate the SignerInfo's identifier names.
fn signer_certificate(
    sd: &SignedData<'_>,
    certs: &[(X509Certificate<'_>, &[u8])],
) -> Option<usize> {
    certs.iter().position(|(c, _)| match sd.signer.sid {
        SignerId::IssuerSerial { issuer, serial } => {
            c.issuer().as_raw() == issuer && c.raw_serial() == serial
        }
        SignerId::KeyId(id) => chain::subject_key_id(c) == Some(id),
    })
}

/// Checks that need the parsed CMS. It borrows only the document's bytes and the verifier, so
/// a copy of it runs the time stage again at another time without parsing anything again.
#[derive(Clone)]
pub(crate) struct CmsChecks<'a> {
    ctx: Context<'a>,
    /// Shared, so that a method can read it while it writes the report.
    sd: Rc<SignedData<'a>>,
    /// The CMS's certificates that parse.
    certs: Rc<[(X509Certificate<'a>, &'a [u8])]>,
    /// The signer's certificate, an index in `certs`.
    leaf: usize,
    /// The SignerInfo's digest and signature algorithms.
    digest: Result<DigestAlgorithm, AlgError>,
    scheme: Result<Scheme, AlgError>,
    tst: Option<tst::TstInfo>,
    format: Format,
    covered: Option<Covered<'a>>,
    /// When the path, validity and revocation are judged.
    at: i64,
    /// The genTime of a verified signature timestamp.
    poe: Option<i64>,
    /// Modulus size of the signer's RSA key, once the signature value was checked.
    rsa_bits: Option<usize>,
    report: SignatureReport,
}

impl<'a> CmsChecks<'a> {
    fn push(&mut self, check: Check) {
        self.report.checks.push(check);
    }

    /// The time-free stage: signing time, signer certificate and its binding, message digest,
    /// signature value and signature timestamp.
    fn time_free(mut self) -> Verified<'a> {
        self.signing_time();
        let (digest, scheme) = (self.digest.clone(), self.scheme.clone());
        let certs = Rc::clone(&self.certs);
        let Some(leaf) = signer_certificate(&self.sd, &certs) else {
            let algorithms = self.algorithms();
            self.push(algorithms);
            self.push(Check::fail(
                Step::SigningCertificate,
                SubIndication::NoSigningCertificateFound,
                "no certificate in the CMS matches the SignerInfo's signer identifier",
            ));
            return Verified::Done(Box::new(self.report));
        };
        self.leaf = leaf;
        let (leaf, leaf_der) = &certs[leaf];
        self.report.signer = Some(x509::info(leaf, leaf_der));
        self.report.evidence.signer = Some(leaf_der.to_vec());
        if let Some(at) = self.report.signing_time {
            self.report.signer_valid_at_signing_time =
                Some(chain::check_time(leaf, at.unix()).is_ok());
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
        Verified::Pending(Box::new(self))
    }

    /// The time stage: a proof of existence from a later document timestamp (when the
    /// signature has none of its own), the algorithm rules it relaxes, and the certificate
    /// path, validity, key usage and revocation at the time that matters.
    fn time_stage(&mut self) {
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
        let algorithms = self.algorithms();
        self.push(algorithms);
        let certs = Rc::clone(&self.certs);
        let (leaf, leaf_der) = &certs[self.leaf];
        self.path(leaf, leaf_der, &certs);
    }
}

/// The SignerInfo's digestAlgorithm. Some signers write a signature algorithm there
/// (`sha256WithRSAEncryption`); its hash is unambiguous, so it is used, with a warning.
fn digest_algorithm(oid: &[u8], warnings: &mut Vec<String>) -> Result<DigestAlgorithm, AlgError> {
    DigestAlgorithm::from_oid(oid).or_else(|e| match Scheme::from_oid(oid, None, None) {
        Ok(scheme @ (Scheme::RsaPkcs1(d) | Scheme::Ecdsa(d))) => {
            warnings.push(format!(
                "the digestAlgorithm names the signature algorithm {}; its hash {} was used (RFC 5652 §5.3 asks for a digest algorithm)",
                scheme.name(),
                d.name()
            ));
            Ok(d)
        }
        _ => Err(e),
    })
}
