//! PDF signature validation (ISO 32000-2 §12.8, PAdES / ETSI EN 319 142-1).
//!
//! [`PdfVerifier`] is built once with trust anchors, then verifies any number of documents:
//! every signature field is listed; each signature gets a strict `/ByteRange` check, a CMS
//! check (RFC 5652), a certificate path to the anchors and a verdict derived from those
//! checks. The validation time is an input.
//!
//! ```no_run
//! use docseal::{certs::CertificateSet, pdf::PdfVerifier, time::ValidationTime};
//!
//! let mut anchors = CertificateSet::new();
//! anchors.add_pem_or_der(&std::fs::read("testdata/pki/anchor.pem")?)?;
//! let verifier = PdfVerifier::builder().add_trust_anchors(anchors).build()?;
//! let pdf = std::fs::read("testdata/pdf/sample_permit.pdf")?;
//! let report = verifier.verify(&pdf, ValidationTime::from_rfc3339("2030-03-17T17:46:40Z")?)?;
//! println!("{}", report.to_json()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub(crate) mod byte_range;
mod error;
mod form;
pub(crate) mod indication;
mod modification;
mod objects;
mod parse;
pub(crate) mod revisions;
mod signature;

use std::path::{Path, PathBuf};

use lopdf::Document;
use memchr::memmem;

pub use self::error::PdfError;
use crate::{
    certs::{CertificateError, CertificateSet, Fingerprint, ProfileLoad},
    limits::Limits,
    pki::{revocation, x509::hex},
    report::{
        Change, Check, DocumentInfo, Indication, PadesLevel, Report, RevocationSource,
        SCHEMA_VERSION, SignatureKind, SignatureReport, Step, SubIndication, Verdict,
    },
    time::ValidationTime,
};

/// Which algorithms a signature may use.
///
/// *Legal* is the profile of Circular 15/2025/TT-BKHCN Annex I as the issue states it: RSA ≥
/// 2048 bits with RSASSA-PSS, ECDSA ≥ 256 bits, SHA-2 or SHA-3; SHA-1 never. *Practical*
/// also accepts RSA PKCS#1 v1.5 (nearly every deployed signer uses it) and SHA-1 when a
/// timestamp proves the signature was made before 2026-01-01; each acceptance is listed in
/// the report's `policy_deviations`. *Practical* also accepts a signer's RSA key of 1024 to
/// 2047 bits (old archives), listed the same way; smaller keys are refused by both, and so is
/// any key below 2048 bits in a timestamp token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlgorithmPolicy {
    /// Accept the common deviations from the legal profile and list them (the default).
    #[default]
    Practical,
    /// Only what the legal profile allows.
    Legal,
}

/// Verifies the signatures of PDF documents against a fixed set of trust anchors.
///
/// Immutable once built, `Send + Sync`: share one across threads.
#[derive(Clone, Debug)]
pub struct PdfVerifier {
    anchors: CertificateSet,
    tsa_anchors: Option<CertificateSet>,
    intermediates: CertificateSet,
    revocation: Vec<(revocation::Kind, Vec<u8>)>,
    /// One warning per supplied CRL or OCSP response that cannot be parsed, for every report.
    unreadable: Vec<String>,
    policy: AlgorithmPolicy,
    limits: Limits,
}

/// Configures a [`PdfVerifier`].
///
/// Each method has one meaning: `add_*` appends to what is there (a certificate already
/// present is not added twice), `replace_*` discards what is there first, `remove_*` takes one
/// item out, and the setters of a single value ([`Self::algorithm_policy`], [`Self::limits`])
/// set it. The C builder (`docseal_verifier_builder`) holds one of these and forwards each
/// call, so C, Python and Rust share the same defaults.
///
/// Timestamp authorities: while no TSA anchor has been added (or after every one was
/// removed), signature and document timestamps are checked against the signers' trust
/// anchors; once the TSA anchors are not empty, against them only.
#[derive(Clone, Debug, Default)]
pub struct PdfVerifierBuilder {
    anchors: CertificateSet,
    tsa_anchors: CertificateSet,
    intermediates: CertificateSet,
    /// The first DER anchor given to [`Self::add_trust_anchors_der`] that is not a
    /// certificate, as `(index in its call, parser message)`: reported by [`Self::build`].
    bad_anchor_der: Option<(usize, String)>,
    revocation: Vec<(revocation::Kind, Vec<u8>)>,
    policy: AlgorithmPolicy,
    limits: Limits,
}

impl PdfVerifier {
    /// A builder with no trust anchor, no extra intermediate and default [`Limits`].
    pub fn builder() -> PdfVerifierBuilder {
        PdfVerifierBuilder::default()
    }

    /// Verifies every signature in `pdf` as of `at`.
    ///
    /// A signature that does not verify is not an error: it is reported as FAILED or
    /// INDETERMINATE. A document without signatures is INDETERMINATE (SIGNED_DATA_NOT_FOUND).
    ///
    /// # Errors
    /// [`PdfError::Load`] when the bytes are not a loadable PDF, [`PdfError::Encrypted`],
    /// [`PdfError::Limit`] when the input exceeds a configured limit.
    pub fn verify(&self, pdf: &[u8], at: ValidationTime) -> Result<Report, PdfError> {
        let limits = &self.limits;
        if pdf.len() as u64 > limits.max_pdf_bytes {
            return Err(PdfError::Limit {
                what: "PDF size in bytes",
                max: limits.max_pdf_bytes,
            });
        }
        let revisions = revisions::scan(pdf, limits.max_revisions).ok_or(PdfError::Limit {
            what: "revisions",
            max: limits.max_revisions as u64,
        })?;
        let doc = parse::load(pdf, limits)?;
        let fields = parse::fields(&doc, limits)?;
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            verdict: Verdict::Valid,
            indication: Indication::Passed,
            subindication: None,
            reason: String::new(),
            validation_time: at,
            document: DocumentInfo {
                size: pdf.len() as u64,
                sha256: String::new(), // below, sharing the signatures' hashing
                revisions: revisions.len().max(1),
            },
            signatures: Vec::new(),
            unsigned_fields: Vec::new(),
            changes: Vec::new(),
            warnings: Vec::new(),
            checks: Vec::new(),
        };
        report.warnings.extend(self.unreadable.iter().cloned());
        if doc.xref_recovery.is_some() {
            report.warnings.push(
                "the cross-reference data was damaged and had to be repaired to read the file"
                    .to_owned(),
            );
        }
        let hasher = byte_range::PrefixHasher::new(pdf);
        let dss = dss(&doc, limits);
        let items: Vec<revocation::Item<'_>> = self
            .revocation
            .iter()
            .map(|(kind, der)| (RevocationSource::Supplied, *kind, der.as_slice()))
            .chain(
                dss.iter()
                    .map(|(kind, der)| (RevocationSource::Document, *kind, der.as_slice())),
            )
            .map(|(source, kind, der)| revocation::Item { source, kind, der })
            .collect();
        let crl_checks = revocation::CrlChecks::default();
        let ctx = signature::Context {
            poe_hint: None,
            crl_checks: &crl_checks,
            pdf,
            hasher: &hasher,
            revisions: &revisions,
            anchors: &self.anchors,
            tsa_anchors: self.tsa_anchors.as_ref().unwrap_or(&self.anchors),
            intermediates: &self.intermediates,
            revocation: &items,
            policy: self.policy,
            limits,
            at: at.unix(),
        };
        let mut dicts = Vec::new();
        for field in fields {
            if field.orphan_widget {
                report.warnings.push(format!(
                    "signature field {} is a page widget not listed in the form's /Fields",
                    field.name.display()
                ));
            }
            match field.sig {
                Some(sig) => dicts.push((field.name, sig)),
                None => report.unsigned_fields.push(field.name),
            }
        }
        let verified: Vec<signature::Verified<'_>> = dicts
            .iter()
            .map(|(name, sig)| signature::verify(&ctx, name.clone(), sig))
            .collect();
        report.signatures = verified.iter().map(|v| v.at(None)).collect();
        document_timestamp_poe(ctx.at, &mut report.signatures, &verified);
        let signed: Vec<modification::Signed> = report
            .signatures
            .iter()
            .zip(&dicts)
            .map(|(sig_report, (_, sig))| modification::Signed {
                field: sig_report.field.display(),
                revision: sig_report.covers_revision,
                docmdp: sig.docmdp,
                lock: sig.lock.clone(),
                passed: sig_report.indication == Indication::Passed,
            })
            .collect();
        // A signature whose bytes end nowhere still deserves the changes listed: from the
        // first revision then.
        let first_signed = if signed.iter().any(|s| s.revision.is_none()) {
            Some(1)
        } else {
            signed.iter().filter_map(|s| s.revision).min()
        };
        let (tolerated, defects): (Vec<_>, Vec<_>) = revisions::defects(pdf, &revisions)
            .into_iter()
            .partition(|d| d.kind.is_tolerated());
        report.warnings.extend(tolerated.into_iter().map(|d| {
            format!(
                "revision {}: {} (tolerated, as pyHanko, pdfsig and Acrobat do)",
                d.revision, d.detail
            )
        }));
        let early_objects = revisions::objects_before_keyword(pdf, &doc);
        if early_objects != 0 {
            report.warnings.push(format!(
                "{early_objects} cross-reference entr(y/ies) point at white space just before the object's `N G obj` (tolerated, as pyHanko, pdfsig and Acrobat do)"
            ));
        }
        let mut changes = modification::defect_changes(&defects);
        let unanalysed = match first_signed {
            Some(from) => compare_revisions(pdf, &revisions, &doc, from, limits, &mut changes),
            None => None,
        };
        changes.sort_by_key(|c| c.revision);
        modification::apply_signers(&mut changes, &signed);
        for (sig, info) in report.signatures.iter_mut().zip(&signed) {
            let (level, mut check) = modification::assess(info, &changes, &signed);
            let open = info.revision.is_some_and(|r| r < revisions.len());
            if let Some(why) = unanalysed.as_ref().filter(|_| open)
                && check
                    .result
                    .is_none_or(|r| r.indication() != Indication::Failed)
            {
                check = Check::fail(
                    Step::LaterRevisions,
                    SubIndication::SigConstraintsFailure,
                    why.clone(),
                );
            }
            sig.modification = level;
            sig.checks.push(check);
            sig.derive();
        }
        report.changes = changes;
        long_term(&mut report.signatures, !dss.is_empty());
        report.document.sha256 = hex(hasher.whole_file_sha256().as_ref());
        report.checks = document_checks(pdf, &report);
        report.derive();
        Ok(report)
    }
}

/// The file exactly as it was when revision `n` (1-based) was written: for a signature whose
/// report says `covers_revision: n`, the bytes its signer signed, to open in any viewer and
/// compare with what the final file shows (ISO 32000-2 §7.5.6: an incremental update only
/// appends, so a revision is a prefix of the file).
///
/// ```
/// let pdf = std::fs::read("testdata/pdf/incremental_update.pdf")?;
/// let signed = docseal::pdf::extract_revision(&pdf, 2)?;
/// assert!(signed.len() < pdf.len() && pdf.starts_with(signed));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`PdfError::NoSuchRevision`] when the file has fewer than `n` revisions (or `n` is 0);
/// [`PdfError::Limit`] beyond [`Limits::max_revisions`] of the default limits.
pub fn extract_revision(pdf: &[u8], n: usize) -> Result<&[u8], PdfError> {
    let max = Limits::default().max_revisions;
    let revs = revisions::scan(pdf, max).ok_or(PdfError::Limit {
        what: "revisions",
        max: max as u64,
    })?;
    revisions::bytes(pdf, &revs, n).ok_or(PdfError::NoSuchRevision {
        requested: n,
        count: revs.len(),
    })
}

/// Compares every revision from `from` (1-based) on with the next, appending the changes;
/// returns why the comparison stopped early, if it did.
fn compare_revisions(
    pdf: &[u8],
    revisions: &[revisions::Revision],
    last: &Document,
    from: usize,
    limits: &Limits,
    changes: &mut Vec<Change>,
) -> Option<String> {
    let n = revisions.len();
    let mut budget = limits.max_compared_bytes;
    let mut load = |k: usize| -> Result<Document, String> {
        let bytes = revisions::bytes(pdf, revisions, k).ok_or("no such revision")?;
        budget = budget.checked_sub(bytes.len() as u64).ok_or_else(|| {
            format!(
                "comparing the revisions would parse more than {} bytes, the configured limit",
                limits.max_compared_bytes
            )
        })?;
        parse::load(bytes, limits)
            .map_err(|e| format!("revision {k} cannot be read on its own ({e}), so the changes after it were not analysed"))
    };
    if from >= n {
        return None;
    }
    let mut prev = match load(from) {
        Ok(doc) => doc,
        Err(why) => return Some(why),
    };
    for k in from + 1..=n {
        let next = if k == n {
            None
        } else {
            match load(k) {
                Ok(doc) => Some(doc),
                Err(why) => return Some(why),
            }
        };
        let current = next.as_ref().unwrap_or(last);
        // The white space after the previous `%%EOF` belongs to neither revision's objects:
        // an object offset there is one written early (see `revisions::keyword_at`), not
        // an object planted in signed bytes.
        let own_start = revisions[k - 2].eof_end;
        changes.extend(modification::diff(&prev, current, k, own_start, limits));
        if let Some(doc) = next {
            prev = doc;
        }
    }
    None
}

/// The CRLs and OCSP responses of the document security store (ETSI EN 319 142-1 §5.4.2:
/// catalog `/DSS` with `/CRLs` and `/OCSPs` arrays of streams), decoded within the limits.
fn dss(doc: &Document, limits: &Limits) -> Vec<(revocation::Kind, Vec<u8>)> {
    let Some(dss) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"DSS").ok())
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, kind) in [
        (b"CRLs".as_slice(), revocation::Kind::Crl),
        (b"OCSPs".as_slice(), revocation::Kind::Ocsp),
    ] {
        let list = dss
            .get(key)
            .ok()
            .and_then(|l| doc.dereference(l).ok())
            .and_then(|(_, l)| l.as_array().ok());
        for item in list.into_iter().flatten().take(limits.max_certificates) {
            if let Ok((_, lopdf::Object::Stream(stream))) = doc.dereference(item)
                && let Ok(der) = stream.get_plain_content_with_limit(limits.max_cms_bytes)
            {
                out.push((kind, der));
            }
        }
    }
    out
}

/// The CRLs or OCSP responses of a file, or of the files of a directory with the usual
/// extensions; each must parse as what it claims to be.
pub(crate) fn read_revocation(
    path: &Path,
    kind: revocation::Kind,
) -> Result<Vec<Vec<u8>>, PdfError> {
    let extensions: &[&str] = match kind {
        revocation::Kind::Crl => &["crl", "pem", "der"],
        revocation::Kind::Ocsp => &["ocsp", "der", "resp"],
    };
    let failure = |p: &Path, kind, message: String| PdfError::Read {
        path: p.to_owned(),
        source: std::io::Error::new(kind, message),
    };
    let files: Vec<PathBuf> = if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|source| PdfError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| extensions.contains(&e.to_ascii_lowercase().as_str()))
            })
            .collect();
        files.sort();
        if files.is_empty() {
            let message = format!(
                "no file ending in .{} in this directory",
                extensions.join(", .")
            );
            return Err(failure(path, std::io::ErrorKind::NotFound, message));
        }
        files
    } else {
        vec![path.to_owned()]
    };
    let mut out = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).map_err(|source| PdfError::Read {
            path: file.clone(),
            source,
        })?;
        let blobs = revocation::blobs(&bytes, kind)
            .map_err(|why| failure(&file, std::io::ErrorKind::InvalidData, why))?;
        out.extend(blobs);
    }
    Ok(out)
}

/// Proof of existence and PAdES level of each signature, from its own timestamp and the
/// document timestamps over later revisions (ETSI EN 319 142-1 §6).
fn long_term(signatures: &mut [SignatureReport], has_dss: bool) {
    let doc_timestamps: Vec<(usize, ValidationTime)> = signatures
        .iter()
        .filter(|s| s.kind == SignatureKind::DocTimestamp && s.indication == Indication::Passed)
        .filter_map(|s| Some((s.covers_revision?, s.signing_time?)))
        .collect();
    for sig in signatures.iter_mut() {
        let own = sig
            .timestamp
            .as_ref()
            .filter(|t| t.indication == Indication::Passed)
            .and_then(|t| t.signing_time);
        let later = sig.covers_revision.and_then(|r| {
            doc_timestamps
                .iter()
                .filter(|(covers, _)| *covers >= r)
                .map(|(_, t)| *t)
                .min()
        });
        sig.proof_of_existence = match (own, later) {
            (Some(a), Some(b)) => Some(a.min(b)),
            _ => own.or(later),
        };
        if sig.kind != SignatureKind::Signature {
            continue;
        }
        let from_dss = !sig.revocation.is_empty()
            && sig
                .revocation
                .iter()
                .all(|r| r.source == Some(RevocationSource::Document));
        let protected = sig
            .covers_revision
            .is_some_and(|r| doc_timestamps.iter().any(|(covers, _)| *covers > r));
        sig.pades_level = Some(match (own.is_some(), has_dss && from_dss, protected) {
            (false, ..) => PadesLevel::BB,
            (true, false, _) => PadesLevel::BT,
            (true, true, false) => PadesLevel::BLt,
            (true, true, true) => PadesLevel::BLta,
        });
    }
}

/// Checks about the document as a whole.
fn document_checks(pdf: &[u8], report: &Report) -> Vec<Check> {
    let mut checks = Vec::new();
    let n = report.signatures.len();
    checks.push(if n == 0 {
        Check::fail(
            Step::SignaturePresent,
            SubIndication::SignedDataNotFound,
            "the document has no signed signature field",
        )
    } else {
        Check::pass(Step::SignaturePresent, format!("{n} signature(s)"))
    });
    // Every signature dictionary holds /ByteRange. More of them in the file than the form
    // reaches means a signature was removed from the form or hidden outside it: what a
    // viewer shows is then not what all signers signed.
    let byte_ranges = memmem::find_iter(pdf, b"/ByteRange").count();
    if byte_ranges > n {
        checks.push(Check::fail(
            Step::LaterRevisions,
            SubIndication::SigConstraintsFailure,
            format!(
                "the file holds {byte_ranges} /ByteRange entries but the form reaches only {n} signature(s): a signature may have been removed or hidden"
            ),
        ));
    }
    checks
}

/// A valid document timestamp over a signature's revision proves the signature existed at
/// its genTime (ETSI EN 319 142-1 B-LTA): a signature that did not pass and has no timestamp
/// of its own gets its time stage run again at the earliest such time (path, validity,
/// revocation and the algorithm rules a proof of existence relaxes; the signed bytes are not
/// hashed again).
fn document_timestamp_poe(
    at: i64,
    signatures: &mut [SignatureReport],
    verified: &[signature::Verified<'_>],
) {
    let stamps: Vec<(usize, i64)> = signatures
        .iter()
        .filter(|s| s.kind == SignatureKind::DocTimestamp && s.indication == Indication::Passed)
        .filter_map(|s| Some((s.covers_revision?, s.signing_time?.unix())))
        .filter(|(_, t)| *t <= at)
        .collect();
    for (report, verified) in signatures.iter_mut().zip(verified) {
        let own = report
            .timestamp
            .as_ref()
            .is_some_and(|t| t.indication == Indication::Passed);
        if report.kind != SignatureKind::Signature || report.indication == Indication::Passed || own
        {
            continue;
        }
        let Some(revision) = report.covers_revision else {
            continue;
        };
        let poe = stamps
            .iter()
            .filter(|(covers, _)| *covers >= revision)
            .map(|(_, t)| *t)
            .min();
        if poe.is_some() {
            *report = verified.at(poe);
        }
    }
}

impl PdfVerifierBuilder {
    /// Adds trust anchors (root certificates, or any certificate trusted directly) to those
    /// already configured. Default: none, so nothing is trusted.
    pub fn add_trust_anchors(mut self, anchors: CertificateSet) -> Self {
        self.anchors.add_set(&anchors);
        self
    }

    /// Adds trust anchors given as DER certificates. One that is not a certificate is not
    /// added and makes [`Self::build`] fail (so that a chain of calls stays infallible).
    /// Default: none.
    pub fn add_trust_anchors_der(mut self, anchors: &[Vec<u8>]) -> Self {
        for (index, der) in anchors.iter().enumerate() {
            if let Err(e) = self.anchors.add_der(der)
                && self.bad_anchor_der.is_none()
            {
                let reason = match e {
                    CertificateError::Malformed { reason, .. } => reason,
                    other => other.to_string(),
                };
                self.bad_anchor_der = Some((index, reason));
            }
        }
        self
    }

    /// Replaces every trust anchor configured so far by `anchors`.
    pub fn replace_trust_anchors(mut self, anchors: CertificateSet) -> Self {
        self.anchors = anchors;
        self
    }

    /// Removes the trust anchor whose DER encoding has this SHA-256 fingerprint; returns
    /// whether it was there. Intermediates and TSA anchors are not touched.
    pub fn remove_trust_anchor(&mut self, fingerprint: &Fingerprint) -> bool {
        self.anchors.remove(fingerprint)
    }

    /// The trust anchors configured so far, in the order they were added: list them with
    /// [`CertificateSet::list`].
    pub fn trust_anchor_set(&self) -> &CertificateSet {
        &self.anchors
    }

    /// Adds the outcome of loading a trust profile
    /// ([`TrustProfile::load`](crate::certs::TrustProfile::load), e.g. the Vietnamese
    /// profile [`TrustProfile::vietnam`](crate::certs::TrustProfile::vietnam)): its pinned roots found become trust
    /// anchors, the CA certificates that chain to them intermediates. What was missing or
    /// refused is in `load` for the caller to report.
    pub fn add_trust_profile(mut self, load: &ProfileLoad) -> Self {
        self.anchors.add_set(&load.anchors);
        self.intermediates.add_set(&load.intermediates);
        self
    }

    /// Adds intermediate CA certificates, used when a signature does not embed them. They
    /// are not trusted by themselves. Default: none.
    pub fn add_intermediates(mut self, intermediates: CertificateSet) -> Self {
        self.intermediates.add_set(&intermediates);
        self
    }

    /// Adds trust anchors for timestamp authorities (signature and document timestamps).
    /// Default: none, and while there is none the signers' trust anchors serve (see the
    /// type's documentation); adding an empty set changes nothing.
    pub fn add_tsa_trust_anchors(mut self, anchors: CertificateSet) -> Self {
        self.tsa_anchors.add_set(&anchors);
        self
    }

    /// Adds a CRL (DER) to use for revocation checking, besides those in the signatures and
    /// the document (RFC 5280 §5). It counts only if its issuer signed it; one that cannot
    /// be parsed is named in every report's warnings and in the detail of any certificate
    /// status it leaves unknown. Default: none.
    pub fn add_crl_der(mut self, der: Vec<u8>) -> Self {
        self.revocation.push((revocation::Kind::Crl, der));
        self
    }

    /// Adds an OCSP response (DER `OCSPResponse`, RFC 6960 §4.2.1) to use for revocation
    /// checking. It counts only if the issuer or its delegated responder signed it; one that
    /// cannot be parsed is reported as with [`Self::add_crl_der`]. Default: none.
    pub fn add_ocsp_der(mut self, der: Vec<u8>) -> Self {
        self.revocation.push((revocation::Kind::Ocsp, der));
        self
    }

    /// Adds every CRL in a file (DER, or PEM `X509 CRL` blocks) or in the `.crl`, `.pem` and
    /// `.der` files of a directory, as with [`Self::add_crl_der`].
    ///
    /// # Errors
    /// [`PdfError::Read`] when a file cannot be read or is not a CRL, or a directory holds
    /// no such file.
    pub fn add_crls_path(mut self, path: &Path) -> Result<Self, PdfError> {
        for der in read_revocation(path, revocation::Kind::Crl)? {
            self = self.add_crl_der(der);
        }
        Ok(self)
    }

    /// Adds every OCSP response (DER) in a file or in the `.ocsp`, `.der` and `.resp` files
    /// of a directory, as with [`Self::add_ocsp_der`].
    ///
    /// # Errors
    /// [`PdfError::Read`] when a file cannot be read or is not an OCSP response, or a
    /// directory holds no such file.
    pub fn add_ocsps_path(mut self, path: &Path) -> Result<Self, PdfError> {
        for der in read_revocation(path, revocation::Kind::Ocsp)? {
            self = self.add_ocsp_der(der);
        }
        Ok(self)
    }

    /// Sets the algorithm profile. Default: [`AlgorithmPolicy::Practical`].
    pub fn algorithm_policy(mut self, policy: AlgorithmPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sets the resource limits for hostile input (all of them at once). Default:
    /// [`Limits::default`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Replaces the trust anchors, as [`Self::replace_trust_anchors`].
    #[deprecated(
        note = "replaces every anchor: use `add_trust_anchors` to add, `replace_trust_anchors` to replace"
    )]
    pub fn trust_anchors(self, anchors: CertificateSet) -> Self {
        self.replace_trust_anchors(anchors)
    }

    /// Adds DER trust anchors, as [`Self::add_trust_anchors_der`].
    #[deprecated(note = "use `add_trust_anchors_der`")]
    pub fn trust_anchors_der(self, anchors: &[Vec<u8>]) -> Self {
        self.add_trust_anchors_der(anchors)
    }

    /// Replaces the intermediates by `intermediates`.
    #[deprecated(note = "replaces every intermediate: use `add_intermediates`")]
    pub fn intermediates(mut self, intermediates: CertificateSet) -> Self {
        self.intermediates = intermediates;
        self
    }

    /// Replaces the TSA trust anchors by `anchors` (an empty set now means "the signers'
    /// anchors", as in C).
    #[deprecated(note = "replaces every TSA anchor: use `add_tsa_trust_anchors`")]
    pub fn tsa_trust_anchors(mut self, anchors: CertificateSet) -> Self {
        self.tsa_anchors = anchors;
        self
    }

    /// Adds a CRL, as [`Self::add_crl_der`].
    #[deprecated(note = "use `add_crl_der`")]
    pub fn crl_der(self, der: Vec<u8>) -> Self {
        self.add_crl_der(der)
    }

    /// Adds an OCSP response, as [`Self::add_ocsp_der`].
    #[deprecated(note = "use `add_ocsp_der`")]
    pub fn ocsp_der(self, der: Vec<u8>) -> Self {
        self.add_ocsp_der(der)
    }

    /// Adds the CRLs of a file or directory, as [`Self::add_crls_path`].
    ///
    /// # Errors
    /// As [`Self::add_crls_path`].
    #[deprecated(note = "use `add_crls_path`")]
    pub fn crls_path(self, path: &Path) -> Result<Self, PdfError> {
        self.add_crls_path(path)
    }

    /// Adds the OCSP responses of a file or directory, as [`Self::add_ocsps_path`].
    ///
    /// # Errors
    /// As [`Self::add_ocsps_path`].
    #[deprecated(note = "use `add_ocsps_path`")]
    pub fn ocsps_path(self, path: &Path) -> Result<Self, PdfError> {
        self.add_ocsps_path(path)
    }

    /// Builds the verifier. The builder is consumed; clone it first to build more than one.
    ///
    /// # Errors
    /// [`PdfError::Certificate`] when a DER anchor given to [`Self::add_trust_anchors_der`]
    /// is not a certificate.
    pub fn build(self) -> Result<PdfVerifier, PdfError> {
        if let Some((index, reason)) = self.bad_anchor_der {
            return Err(CertificateError::Malformed { index, reason }.into());
        }
        let unreadable = self
            .revocation
            .iter()
            .enumerate()
            .filter_map(|(i, (kind, der))| {
                let why = revocation::unreadable(der, *kind)?;
                Some(format!(
                    "supplied revocation data #{} ({} bytes) cannot be read: {why}; it was not used",
                    i + 1,
                    der.len()
                ))
            })
            .collect();
        let tsa_anchors = (!self.tsa_anchors.is_empty()).then_some(self.tsa_anchors);
        Ok(PdfVerifier {
            anchors: self.anchors,
            tsa_anchors,
            intermediates: self.intermediates,
            revocation: self.revocation,
            unreadable,
            policy: self.policy,
            limits: self.limits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(path: &str) -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("testdata/{path}: {e}"))
    }

    fn set(paths: &[&str]) -> CertificateSet {
        let mut set = CertificateSet::new();
        for path in paths {
            set.add_pem_or_der(&data(path)).expect(path);
        }
        set
    }

    #[test]
    fn add_appends_and_replace_replaces() {
        let b = PdfVerifier::builder()
            .add_trust_anchors(set(&["pki/root.pem"]))
            .add_trust_anchors(set(&["pki/root-g2.pem", "pki/root.pem"]));
        assert_eq!(
            b.trust_anchor_set().len(),
            2,
            "appended, without duplicates"
        );
        let rogue: Vec<Vec<u8>> = set(&["pki/rogue-root.pem"])
            .iter_der()
            .map(<[u8]>::to_vec)
            .collect();
        let b = b.add_trust_anchors_der(&[data("pki/anchor.der")]);
        assert_eq!(
            b.trust_anchor_set().len(),
            2,
            "anchor.der is root.pem: not twice"
        );
        let b = b.add_trust_anchors_der(&rogue);
        assert_eq!(b.trust_anchor_set().len(), 3, "DER anchors append too");
        let b = b.replace_trust_anchors(set(&["pki/rogue-root.pem"]));
        assert_eq!(b.trust_anchor_set().len(), 1, "replaced");
        let b = b
            .add_intermediates(set(&["pki/intermediate.pem"]))
            .add_intermediates(set(&["pki/intermediate-g2.pem"]));
        assert_eq!(b.intermediates.len(), 2);
        let b = b
            .add_crl_der(b"not a CRL".to_vec())
            .add_ocsp_der(b"not OCSP".to_vec());
        assert_eq!(b.revocation.len(), 2);
    }

    #[test]
    #[allow(deprecated)]
    fn deprecated_names_keep_their_old_meaning() {
        let b = PdfVerifier::builder()
            .add_trust_anchors(set(&["pki/root.pem"]))
            .trust_anchors(set(&["pki/root-g2.pem"]));
        assert_eq!(b.trust_anchor_set().len(), 1, "trust_anchors replaced");
        let b = b.trust_anchors_der(&[data("pki/anchor.der")]);
        assert_eq!(b.trust_anchor_set().len(), 2, "trust_anchors_der appended");
        let b = b.tsa_trust_anchors(set(&["pki/root.pem"]));
        let b = b.tsa_trust_anchors(set(&["pki/root-g2.pem"]));
        assert_eq!(b.tsa_anchors.len(), 1, "tsa_trust_anchors replaced");
        let b = b
            .add_intermediates(set(&["pki/intermediate.pem"]))
            .intermediates(set(&["pki/intermediate-g2.pem"]));
        assert_eq!(b.intermediates.len(), 1, "intermediates replaced");
    }

    #[test]
    fn a_bad_der_anchor_fails_the_build_and_is_not_added() {
        let b = PdfVerifier::builder()
            .add_trust_anchors_der(&[data("pki/anchor.der"), b"junk".to_vec()]);
        assert_eq!(b.trust_anchor_set().len(), 1);
        match b.build() {
            Err(PdfError::Certificate(CertificateError::Malformed { index: 1, .. })) => {}
            other => panic!("expected the second DER anchor refused, got {other:?}"),
        }
    }

    #[test]
    fn anchors_are_removed_by_fingerprint() {
        let mut b = PdfVerifier::builder().add_trust_anchors(set(&["pki/bundle.pem"]));
        let before = b.trust_anchor_set().len();
        let first = Fingerprint::of(b.trust_anchor_set().iter_der().next().expect("one"));
        assert!(b.remove_trust_anchor(&first));
        assert!(!b.remove_trust_anchor(&first), "already gone");
        assert_eq!(b.trust_anchor_set().len(), before - 1);
        assert!(!b.trust_anchor_set().contains(&first));
    }

    #[test]
    fn tsa_anchors_default_to_the_signers_anchors_while_empty() {
        let anchors = || set(&["pki/anchor.pem"]);
        let built = |b: PdfVerifierBuilder| b.build().expect("builds");
        assert!(built(PdfVerifier::builder()).tsa_anchors.is_none());
        let empty = built(PdfVerifier::builder().add_tsa_trust_anchors(CertificateSet::new()));
        assert!(empty.tsa_anchors.is_none(), "an empty set changes nothing");
        let own = built(PdfVerifier::builder().add_tsa_trust_anchors(anchors()));
        assert_eq!(own.tsa_anchors.as_ref().map(CertificateSet::len), Some(1));

        // End to end: the timestamp of this file gives the expired signer its proof of
        // existence only if the TSA (under anchor.pem) is trusted.
        let pdf = data("pdf/expired_signer_2025_timestamped.pdf");
        let at = ValidationTime::from_unix(1_900_000_000).expect("in range");
        let verify = |b: PdfVerifierBuilder| {
            let b = b
                .add_trust_anchors(anchors())
                .add_crls_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/pki/crl"))
                .expect("CRLs");
            built(b).verify(&pdf, at).expect("verifies").indication
        };
        assert_eq!(verify(PdfVerifier::builder()), Indication::Passed);
        assert_eq!(
            verify(PdfVerifier::builder().add_tsa_trust_anchors(CertificateSet::new())),
            Indication::Passed,
            "no TSA anchor: the signers' anchors serve"
        );
        assert_ne!(
            verify(PdfVerifier::builder().add_tsa_trust_anchors(set(&["pki/root-g2.pem"]))),
            Indication::Passed,
            "TSA anchors given: only they serve"
        );
    }
}
