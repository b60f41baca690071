//! Validation reports: what was checked, in order, and the verdict derived from it.
//!
//! Indications and subindications are those of ETSI EN 319 102-1 §5.1.3 (the vocabulary EU DSS
//! and pyHanko's AdES reports use). A verdict is never set by hand: it is the worst result over
//! the [`Check`]s that actually ran (see [`Check`] and [`SignatureReport::indication`]).
//! `intact`, `valid` and `trusted` are kept apart, as in pyHanko: a document can be intact (its
//! bytes match the signed digest) yet not trusted (no path to an anchor).

// The checks and the derivation of verdicts from them are the PDF verifier's; without the
// `pdf` feature the QR verifier uses only the shared types (Verdict, CertificateInfo).
#![cfg_attr(not(feature = "pdf"), allow(dead_code))]

pub mod json;
mod text;

use crate::time::ValidationTime;
use serde::Serialize;

pub use self::text::Lang;
pub use crate::pki::{
    revocation::{RevocationSource, RevocationStatus},
    x509::{CertificateInfo, Name},
};

/// Version of the JSON schema documented in `report/json.rs`; fields may be added within a
/// version, never change meaning.
pub const SCHEMA_VERSION: u32 = 2;

/// Overall verdict (ETSI EN 319 102-1 §5.1.3); ordered so that the worst is greatest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Indication {
    /// Every check passed: the signature is valid and trusted at the validation time.
    Passed,
    /// The checks could not conclude (unknown signer, expired certificate, weak algorithm,
    /// changes not analysed): neither valid nor proven invalid.
    Indeterminate,
    /// A check proved the signature wrong: modified bytes, bad signature value, bad format.
    Failed,
}

/// Why a verdict is not PASSED (ETSI EN 319 102-1 Table 5); each value implies one
/// [`Indication`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum SubIndication {
    /// The signature or the document is not well-formed (ByteRange, CMS, dictionary), or a
    /// later revision broke a rule the signature set for what may follow it (DocMDP, FieldMDP
    /// locks, structure): the signed bytes may still be intact.
    FormatFailure,
    /// The signed bytes do not match the digest the signer signed.
    HashFailure,
    /// The signature value does not verify under the signer's public key.
    SigCryptoFailure,
    /// A certificate on the path was revoked before the signature's proof of existence.
    Revoked,
    /// The signature is well-formed but its context breaks a constraint: bytes were added
    /// after it that docseal could not show to be harmless.
    SigConstraintsFailure,
    /// A certificate on the path breaks a constraint (CA flag, path length, key usage,
    /// unknown critical extension).
    ChainConstraintsFailure,
    /// An algorithm or key size is unsupported or too weak to rely on.
    CryptoConstraintsFailure,
    /// A certificate on the path is not yet valid at the validation time.
    NotYetValid,
    /// A certificate on the path has expired at the validation time and no proof of
    /// existence before expiry is available.
    OutOfBoundsNoPoe,
    /// The signer's certificate was not found or does not match the signed reference to it.
    NoSigningCertificateFound,
    /// No path from the signer's certificate to a trust anchor could be built and verified.
    NoCertificateChainFound,
    /// The document carries no signature to validate.
    SignedDataNotFound,
    /// A certificate on the path was revoked and nothing proves the signature existed before.
    RevokedNoPoe,
    /// The revocation status of a certificate on the path could not be established from the
    /// data available (none, stale, or not verifiable): try again with fresher data.
    TryLater,
}

impl SubIndication {
    /// The indication this subindication belongs to.
    pub fn indication(self) -> Indication {
        use SubIndication::*;
        match self {
            FormatFailure | HashFailure | SigCryptoFailure | Revoked => Indication::Failed,
            SigConstraintsFailure
            | ChainConstraintsFailure
            | CryptoConstraintsFailure
            | NotYetValid
            | OutOfBoundsNoPoe
            | NoSigningCertificateFound
            | NoCertificateChainFound
            | SignedDataNotFound
            | RevokedNoPoe
            | TryLater => Indication::Indeterminate,
        }
    }
}

/// The simple answer an officer needs, derived from the [`Indication`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// PASSED.
    Valid,
    /// FAILED.
    Invalid,
    /// INDETERMINATE.
    Indeterminate,
}

impl From<Indication> for Verdict {
    fn from(indication: Indication) -> Self {
        match indication {
            Indication::Passed => Self::Valid,
            Indication::Indeterminate => Self::Indeterminate,
            Indication::Failed => Self::Invalid,
        }
    }
}

/// A validation step, named in the order the verifier runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Step {
    /// The document has at least one signature to validate.
    SignaturePresent,
    /// The signature dictionary is well-formed (`/ByteRange`, `/Contents`, `/SubFilter`).
    SignatureDictionary,
    /// `/ByteRange` is exactly two ranges around the `/Contents` string (ISO 32000-2 §12.8.1).
    ByteRange,
    /// The signed bytes end at the end of a revision or of the file.
    Coverage,
    /// The CMS SignedData parses and has the shape the SubFilter requires (RFC 5652 §5).
    CmsStructure,
    /// The content-type signed attribute matches the encapsulated content type (RFC 5652 §11.1).
    ContentType,
    /// The digest of the signed bytes equals the signed messageDigest (RFC 5652 §11.2), or the
    /// timestamp's message imprint (RFC 3161 §2.4.2).
    MessageDigest,
    /// The signature value verifies over the signed attributes as sent (RFC 5652 §5.4).
    SignatureValue,
    /// The signer's certificate is found and matches the ESS signing-certificate attribute
    /// (RFC 2634 §5.4, RFC 5035).
    SigningCertificate,
    /// Every algorithm and key size is one docseal can rely on.
    Algorithms,
    /// A path from the signer's certificate to a trust anchor was built and every link verified.
    CertificatePath,
    /// Every certificate on the path is within its validity period at the validation time.
    CertificateValidity,
    /// The signer's certificate allows signing (keyUsage, or timeStamping for a TSA).
    SignerKeyUsage,
    /// Nothing was added after the signed revision that docseal cannot account for.
    LaterRevisions,
    /// The signature timestamp tokens (RFC 3161, unsigned attribute
    /// id-aa-signatureTimeStampToken) verify and cover this signature value.
    SignatureTimestamp,
    /// No certificate on the path was revoked at the time that matters (the proof of
    /// existence, else the validation time), from CRLs or OCSP responses (RFC 5280, RFC 6960).
    Revocation,
}

/// One validation step, in the order it ran; `result: None` means it passed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Check {
    /// Which step.
    pub step: Step,
    /// `None` when the step passed, else why not.
    pub result: Option<SubIndication>,
    /// What was compared, in plain words (for people; programs read `step` and `result`).
    pub detail: String,
}

impl Check {
    /// A passed step.
    pub(crate) fn pass(step: Step, detail: impl Into<String>) -> Self {
        Self {
            step,
            result: None,
            detail: detail.into(),
        }
    }

    /// A failed step.
    pub(crate) fn fail(step: Step, why: SubIndication, detail: impl Into<String>) -> Self {
        Self {
            step,
            result: Some(why),
            detail: detail.into(),
        }
    }
}

/// The check that decides a verdict: the first of those with the worst result (among equally
/// bad results the first one to run is the root cause). `None` when every check passed.
pub(crate) fn deciding(checks: &[Check]) -> Option<&Check> {
    let mut worst: Option<(SubIndication, &Check)> = None;
    for check in checks {
        if let Some(sub) = check.result
            && worst.is_none_or(|(w, _)| sub.indication() > w.indication())
        {
            worst = Some((sub, check));
        }
    }
    worst.map(|(_, check)| check)
}

/// The worst result over `checks`, as `(indication, subindication, detail of that check)`.
pub(crate) fn verdict(checks: &[Check]) -> (Indication, Option<SubIndication>, Option<&str>) {
    deciding(checks)
        .and_then(|c| {
            c.result
                .map(|s| (s.indication(), Some(s), Some(c.detail.as_str())))
        })
        .unwrap_or((Indication::Passed, None, None))
}

/// How much of the file a signature's `/ByteRange` covers (ordered: the greatest is best).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum Coverage {
    /// The ranges are malformed: nothing is known to be covered.
    Unclear,
    /// Two well-formed ranges that do not end at the end of a revision.
    ContiguousBlock,
    /// The ranges cover a whole earlier revision; later revisions are not signed by it.
    EntireRevision,
    /// The ranges cover the whole file, except the `/Contents` value.
    EntireFile,
}

/// How far the document was changed after a signature (ordered: the greatest is the worst).
///
/// The levels of ISO 32000-2 §12.8.2.2 (DocMDP) as pyHanko names them: each level includes
/// the changes of the levels below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ModificationLevel {
    /// Nothing was changed after the signature.
    None,
    /// Validation data only: DSS/VRI, document timestamps, document metadata.
    LtaUpdates,
    /// Form filling and signing: field values with their appearances, new signature fields.
    FormFilling,
    /// Annotations (comments) added or changed.
    Annotations,
    /// Anything else: page content, resources, the page tree, catalog entries.
    Other,
}

/// What kind of change a later revision made (see [`Change`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeKind {
    /// The document security store (DSS/VRI) was added or updated.
    LtaUpdate,
    /// A document timestamp was added.
    DocumentTimestamp,
    /// The document information dictionary, XMP metadata, version or extensions changed.
    Metadata,
    /// The value (and appearance) of an existing, unlocked form field changed.
    FormFill,
    /// A signature was applied, to a new or an existing empty signature field.
    Signature,
    /// A signature field was added without a signature.
    EmptySignatureField,
    /// An annotation was added or changed.
    Annotation,
    /// An annotation was removed.
    AnnotationRemoved,
    /// A page's content stream changed or was replaced.
    PageContent,
    /// Resources a page draws with (fonts, images, forms) changed.
    PageResources,
    /// The page tree changed (pages added, removed, reordered or replaced).
    PageTree,
    /// Another catalog entry changed (outlines, actions, names, permissions).
    Catalog,
    /// A field that a signature locked (FieldMDP), or a signed signature field, changed.
    LockedField,
    /// Another object shown by the document changed.
    ObjectChanged,
    /// An object in use was freed.
    ObjectFreed,
    /// The revisions are not put together soundly (cross-reference chain, duplicate or
    /// xref-less objects, trailing data).
    Structure,
}

/// One change a later revision made, named for an officer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Change {
    /// Revision (1-based) that made the change.
    pub revision: usize,
    /// What kind of change.
    pub kind: ChangeKind,
    /// The modification level the change belongs to.
    pub level: ModificationLevel,
    /// The change is allowed by the standard but can hide or replace signed content (an
    /// opaque field appearance, a visible annotation, an unverified visible signature).
    pub may_hide: bool,
    /// 1-based page it concerns, when it concerns one.
    pub page: Option<usize>,
    /// Fully qualified form field name, when it concerns a field.
    pub field: Option<String>,
    /// The changed object, `N G`, when one object is concerned.
    pub object: Option<String>,
    /// One sentence, e.g. "revision 3 changed the content stream of page 1".
    pub detail: String,
}

/// Whether a signature field holds a signature or a document timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignatureKind {
    /// `/Type /Sig`: an approval or certification signature.
    Signature,
    /// `/Type /DocTimeStamp` (ISO 32000-2 §12.8.5): an RFC 3161 timestamp over a revision.
    DocTimestamp,
    /// An RFC 3161 timestamp token over another signature's value (its unsigned attribute
    /// id-aa-signatureTimeStampToken): a proof that the signature existed at its time.
    SignatureTimestamp,
}

/// The PAdES baseline level a signature reaches (ETSI EN 319 142-1 §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum PadesLevel {
    /// Basic signature.
    #[serde(rename = "B-B")]
    BB,
    /// With a valid signature timestamp.
    #[serde(rename = "B-T")]
    BT,
    /// B-T with the validation data (revocation) in the document's DSS.
    #[serde(rename = "B-LT")]
    BLt,
    /// B-LT protected by a later document timestamp.
    #[serde(rename = "B-LTA")]
    BLta,
}

/// The bytes a signature's verdict rests on, kept so that the verdict can be audited later
/// (Circular 15/2025/TT-BKHCN Annex II: keep the signer certificate, the revocation data of
/// the signing time and the status result).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evidence {
    /// The signer's certificate, DER.
    pub signer: Option<Vec<u8>>,
    /// The certificates of the verified path after the signer, up to the anchor, DER.
    pub chain: Vec<Vec<u8>>,
    /// The CRLs (`"crl"`) and OCSP responses (`"ocsp"`) that decided the revocation status of
    /// each certificate of the path, DER, in path order.
    pub revocation: Vec<(String, Vec<u8>)>,
}

/// The revocation evidence for one certificate of a signature's path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RevocationInfo {
    /// Short name of the certificate (its CN).
    pub certificate: String,
    /// SHA-256 of the certificate's DER, lowercase hex.
    pub sha256: String,
    /// What the data says.
    pub status: RevocationStatus,
    /// The moment the status is about (proof of existence, else the validation time).
    pub at: ValidationTime,
    /// When revoked: the revocation time.
    pub revoked_at: Option<ValidationTime>,
    /// When revoked: the CRLReason, if given.
    pub reason: Option<String>,
    /// Where the deciding data came from.
    pub source: Option<RevocationSource>,
    /// `crl` or `ocsp`, for the deciding data.
    pub kind: Option<String>,
    /// One sentence for people.
    pub detail: String,
}

/// What the signature dictionary states about itself (not cryptographically bound unless the
/// signature covers it, which a strict ByteRange ensures).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Declared {
    /// `/Name`: the signer's name as written by the signing software.
    pub name: Option<Name>,
    /// `/Reason`.
    pub reason: Option<Name>,
    /// `/Location`.
    pub location: Option<Name>,
    /// `/ContactInfo`.
    pub contact_info: Option<Name>,
    /// `/M`, the claimed signing time.
    pub signing_time: Option<ValidationTime>,
}

/// Everything known about one signature field's signature.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignatureReport {
    /// Fully qualified field name (`parent.child`).
    pub field: Name,
    /// Signature or document timestamp.
    pub kind: SignatureKind,
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    pub subfilter: Option<String>,
    /// Revision (1-based) whose objects define this signature dictionary, when known.
    pub revision: Option<usize>,
    /// Revision (1-based) whose end the signed bytes reach, when they reach one.
    pub covers_revision: Option<usize>,
    /// How much of the file is signed.
    pub coverage: Coverage,
    /// ETSI indication, derived from `checks`.
    pub(crate) indication: Indication,
    /// ETSI subindication when not PASSED.
    pub(crate) subindication: Option<SubIndication>,
    /// `valid` / `invalid` / `indeterminate`.
    pub(crate) verdict: Verdict,
    /// One line, plain words: why this verdict.
    pub(crate) reason: String,
    /// The digest over exactly the `/ByteRange` bytes equals the digest the signer signed
    /// (`messageDigest`, or the digest the CMS encapsulates); `None` when it was not computed
    /// (the CMS does not parse, the digest algorithm is unsupported). A fact, kept apart from
    /// structure and coverage: a malformed `/ByteRange` shows in `checks` and `coverage`, not
    /// here.
    pub(crate) intact: Option<bool>,
    /// The signature value verifies under the signer's key over what it signs (the signed
    /// attributes as sent); `None` when it was not checked (no signer certificate, an
    /// algorithm or key size refused by the policy or not supported). A cryptographic fact,
    /// as pyHanko's `valid`: it does not imply `intact`.
    pub(crate) valid: Option<bool>,
    /// A verified path leads from the signer's certificate to a trust anchor.
    pub(crate) trusted: bool,
    /// The certificate policies the path is valid for (RFC 5280 §6.1.5 (g), processed with
    /// initial-policy-set anyPolicy), as dotted OIDs; `2.5.29.32.0` is anyPolicy. Empty when
    /// no path was built or no policy survives the path (which is allowed unless a CA
    /// requires an explicit policy).
    pub certificate_policies: Vec<String>,
    /// The signer's certificate, when found.
    pub signer: Option<CertificateInfo>,
    /// Certificates from the signer's issuer up to the trust anchor, when a path was built.
    pub chain: Vec<CertificateInfo>,
    /// Claimed signing time (signingTime attribute, else `/M`; for a timestamp, its genTime),
    /// Not proven unless `kind` is a timestamp.
    pub signing_time: Option<ValidationTime>,
    /// Whether the signer's certificate was within its validity period at `signing_time`.
    pub signer_valid_at_signing_time: Option<bool>,
    /// Digest algorithm over the signed bytes, e.g. `SHA-256`.
    pub digest_algorithm: Option<String>,
    /// Signature scheme, e.g. `RSASSA-PSS with SHA-256`.
    pub signature_algorithm: Option<String>,
    /// What the signature dictionary states.
    pub declared: Declared,
    /// The signature timestamp token verified for this signature, with its own checks (the
    /// first one found that covers this signature value), when there is one.
    pub timestamp: Option<Box<SignatureReport>>,
    /// The earliest proven time the signature existed: the genTime of its valid signature
    /// timestamp or of a valid document timestamp over its revision.
    pub proof_of_existence: Option<ValidationTime>,
    /// PAdES baseline level reached (ETSI EN 319 142-1 defines it for `ETSI.CAdES.detached`;
    /// for other signatures it says which long-term elements are present). `None` for
    /// timestamps.
    pub pades_level: Option<PadesLevel>,
    /// Revocation evidence for each certificate of the path below the anchor.
    pub revocation: Vec<RevocationInfo>,
    /// The material the verdict rests on (signer certificate, path, revocation data used), for
    /// audit: not in the JSON (see `verify_permit --evidence`).
    #[serde(skip)]
    pub evidence: Evidence,
    /// Where the signature departs from the legal algorithm profile but the practical
    /// profile accepted it (e.g. RSA PKCS#1 v1.5; SHA-1 proven made before the cut-off).
    pub policy_deviations: Vec<String>,
    /// For a certification signature, its DocMDP permission level `P` (1, 2 or 3).
    pub certification_level: Option<u8>,
    /// The worst change made in the revisions after the one this signature covers (whether
    /// allowed or not: the check `later_revisions` says that); `None` when the signed bytes
    /// do not end with a revision, so later changes cannot be told apart.
    pub modification: Option<ModificationLevel>,
    /// Things an officer should know that do not change the verdict.
    pub warnings: Vec<String>,
    /// Every step that ran, in order.
    pub checks: Vec<Check>,
}

impl SignatureReport {
    /// ETSI indication, derived from `checks`.
    pub fn indication(&self) -> Indication {
        self.indication
    }

    /// ETSI subindication when not PASSED.
    pub fn subindication(&self) -> Option<SubIndication> {
        self.subindication
    }

    /// `valid` / `invalid` / `indeterminate`, from the indication.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// One line, plain words: why this verdict.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The digest over exactly the `/ByteRange` bytes equals the digest the signer signed;
    /// `None` when it was not computed. See the field's documentation in the JSON schema
    /// ([`crate::report`]).
    pub fn intact(&self) -> Option<bool> {
        self.intact
    }

    /// The signature value verifies under the signer's key; `None` when it was not checked.
    /// A cryptographic fact, as pyHanko's `valid`: it does not imply [`Self::intact`].
    pub fn valid(&self) -> Option<bool> {
        self.valid
    }

    /// A verified path leads from the signer's certificate to a trust anchor.
    pub fn trusted(&self) -> bool {
        self.trusted
    }

    /// Recomputes the derived fields (`indication`, `subindication`, `verdict`, `reason`,
    /// `trusted`) from `checks`; `intact` and `valid` are recorded by the stages that
    /// established them.
    pub(crate) fn derive(&mut self) {
        let (indication, sub, detail) = verdict(&self.checks);
        self.indication = indication;
        self.subindication = sub;
        self.verdict = indication.into();
        self.reason = detail.map_or_else(|| "every check passed".to_owned(), |d| d.to_owned());
        self.trusted = self
            .checks
            .iter()
            .any(|c| c.step == Step::CertificatePath && c.result.is_none());
    }
}

/// Facts about the file as a whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DocumentInfo {
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
    /// Number of revisions (the original plus incremental updates).
    pub revisions: usize,
}

/// The verification report for one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// `valid` / `invalid` / `indeterminate` for the whole document.
    pub(crate) verdict: Verdict,
    /// Worst indication over the signatures and the document checks.
    pub(crate) indication: Indication,
    /// Subindication of that worst result.
    pub(crate) subindication: Option<SubIndication>,
    /// One line: why this verdict.
    pub(crate) reason: String,
    /// The time the document was judged at.
    pub validation_time: ValidationTime,
    /// Size, hash and revision count.
    pub document: DocumentInfo,
    /// One entry per signed signature field, in file order.
    pub signatures: Vec<SignatureReport>,
    /// Names of signature fields that hold no signature.
    pub unsigned_fields: Vec<Name>,
    /// Every change made by a revision after the first signed one, in revision order.
    pub changes: Vec<Change>,
    /// Document-level notes that do not change the verdict.
    pub warnings: Vec<String>,
    /// Document-level checks (signature presence, revision structure).
    pub checks: Vec<Check>,
}

impl Report {
    /// `valid` / `invalid` / `indeterminate` for the whole document.
    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    /// Worst indication over the signatures and the document checks.
    pub fn indication(&self) -> Indication {
        self.indication
    }

    /// Subindication of that worst result.
    pub fn subindication(&self) -> Option<SubIndication> {
        self.subindication
    }

    /// One line: why this verdict.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// Derives the document verdict: the worst over the document checks and every signature.
    pub(crate) fn derive(&mut self) {
        let (mut indication, mut sub, detail) = verdict(&self.checks);
        let mut reason = detail.map(str::to_owned);
        for sig in &self.signatures {
            if sig.indication > indication {
                indication = sig.indication;
                sub = sig.subindication;
                reason = Some(format!("signature {}: {}", sig.field.display(), sig.reason));
            }
        }
        self.indication = indication;
        self.subindication = sub;
        self.verdict = indication.into();
        self.reason = reason.unwrap_or_else(|| {
            format!(
                "all {} signature(s) verified and trusted",
                self.signatures.len()
            )
        });
    }

    /// The report as JSON (schema in the `report::json` module docs).
    ///
    /// # Errors
    /// Never in practice: every field serializes; an error would be a bug in docseal.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// A human rendering for an officer, in Vietnamese or English.
    pub fn to_text(&self, lang: Lang) -> String {
        text::render(self, lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_is_the_worst_and_first() {
        let checks = vec![
            Check::pass(Step::ByteRange, "ok"),
            Check::fail(
                Step::CertificatePath,
                SubIndication::NoCertificateChainFound,
                "no path",
            ),
            Check::fail(Step::MessageDigest, SubIndication::HashFailure, "mismatch"),
            Check::fail(Step::SignatureValue, SubIndication::SigCryptoFailure, "bad"),
        ];
        assert_eq!(
            verdict(&checks),
            (
                Indication::Failed,
                Some(SubIndication::HashFailure),
                Some("mismatch")
            )
        );
        assert_eq!(verdict(&[]), (Indication::Passed, None, None));
    }
}
