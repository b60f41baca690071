//! # JSON schema of a [`Report`](super::Report), `schema_version` 2
//!
//! Produced by [`Report::to_json`](super::Report::to_json) and by `verify_permit --json`.
//! Field names are snake_case; enumerations are strings; times are RFC 3339 UTC
//! (`2030-03-17T17:46:40Z`); binary values are lowercase hex. A name or string that may not be
//! text is an object: `{"text": "Nguyễn Văn An"}` when it decodes, else `{"hex": "00ff…"}`.
//! Fields may be added in a later version of schema 2; a field never changes meaning.
//! Schema 2 (docseal 0.2) made `intact` and `valid` nullable facts: in schema 1 they were
//! booleans that read `false` for "not checked" and `valid` implied `intact`. Programs
//! should read the enumerations (`verdict`, `indication`, `subindication`, `step`, `result`),
//! not the free-text `reason` and `detail`.
//!
//! ```text
//! Report {
//!   schema_version: 2,
//!   verdict: "valid" | "invalid" | "indeterminate",
//!   indication: "PASSED" | "INDETERMINATE" | "FAILED",        // ETSI EN 319 102-1 §5.1.3
//!   subindication: null | SubIndication,
//!   reason: string,                                            // one line
//!   validation_time: time,
//!   document: { size: int, sha256: hex, revisions: int },
//!   signatures: [SignatureReport],
//!   unsigned_fields: [Name],
//!   changes: [Change],        // every change after the first signed revision, in order
//!   warnings: [string],
//!   checks: [Check],                                           // document-level
//! }
//! SignatureReport {
//!   field: Name, kind: "signature" | "doc_timestamp" | "signature_timestamp",
//!   subfilter: string | null,
//!   revision: int | null, covers_revision: int | null,
//!   coverage: "UNCLEAR" | "CONTIGUOUS_BLOCK" | "ENTIRE_REVISION" | "ENTIRE_FILE",
//!   indication, subindication, verdict, reason,               // as in Report
//!   intact: bool | null, // digest over exactly the /ByteRange bytes == the signed digest;
//!                        // null: not computed (CMS unparsable, digest unsupported)
//!   valid: bool | null,  // the signature value verifies under the signer's key (not implied
//!                        // by intact, nor implying it); null: not checked (no signer
//!                        // certificate, algorithm or key refused by policy or unsupported)
//!   trusted: bool,  // a verified path to a trust anchor exists
//!   certificate_policies: [string],  // dotted OIDs the path is valid for (RFC 5280 §6.1);
//!                                    // "2.5.29.32.0" = anyPolicy; [] without a path
//!   signer: Certificate | null, chain: [Certificate],
//!   signing_time: time | null, signer_valid_at_signing_time: bool | null,
//!   digest_algorithm: string | null, signature_algorithm: string | null,
//!   declared: { name, reason, location, contact_info: Name | null, signing_time: time | null },
//!   timestamp: SignatureReport | null,       // the signature timestamp token, fully checked
//!   proof_of_existence: time | null,         // earliest valid signature/document timestamp
//!   pades_level: "B-B" | "B-T" | "B-LT" | "B-LTA" | null,
//!   revocation: [Revocation],                // one per certificate of the path below the anchor
//!   policy_deviations: [string],             // what only the practical profile accepted
//!   certification_level: 1 | 2 | 3 | null,   // DocMDP P of a certification signature
//!   modification: null | ModificationLevel,  // worst change after the covered revision;
//!                                            // null when the signed bytes end nowhere
//!   warnings: [string], checks: [Check],     // check "later_revisions" judges the changes
//! }
//! Change {
//!   revision: int,                           // 1-based revision that made it
//!   kind: "lta_update" | "document_timestamp" | "metadata" | "form_fill" | "signature"
//!       | "empty_signature_field" | "annotation" | "annotation_removed" | "page_content"
//!       | "page_resources" | "page_tree" | "catalog" | "locked_field" | "object_changed"
//!       | "object_freed" | "structure",
//!   level: ModificationLevel,
//!   may_hide: bool,      // allowed, but can hide or replace signed content
//!   page: int | null, field: string | null, object: "N G" | null,
//!   detail: string,      // e.g. "revision 3 changed the content stream of page 1"
//! }
//! ModificationLevel: "NONE" < "LTA_UPDATES" < "FORM_FILLING" < "ANNOTATIONS" < "OTHER"
//! Revocation {
//!   certificate: string, sha256: hex, status: "good" | "revoked" | "unknown",
//!   at: time,                                // the moment asked about (POE, else validation time)
//!   revoked_at: time | null, reason: string | null,
//!   source: "signature" | "document" | "supplied" | null, kind: "crl" | "ocsp" | null,
//!   detail: string,
//! }
//! Certificate {
//!   subject: Name, common_name, organization, organizational_unit: Name | null,
//!   serial: hex, issuer: Name, issuer_common_name: Name | null,
//!   not_before: time, not_after: time, key: string, sha256: hex,
//! }
//! Check { step: Step, result: null | SubIndication, detail: string }
//! Step: "signature_present" | "signature_dictionary" | "byte_range"
//!     | "coverage" | "cms_structure" | "content_type" | "message_digest" | "signature_value"
//!     | "signing_certificate" | "algorithms" | "certificate_path" | "certificate_validity"
//!     | "signer_key_usage" | "later_revisions" | "signature_timestamp" | "revocation"
//! SubIndication: "FORMAT_FAILURE" | "HASH_FAILURE" | "SIG_CRYPTO_FAILURE" | "REVOKED" (FAILED)
//!     | "SIG_CONSTRAINTS_FAILURE" | "CHAIN_CONSTRAINTS_FAILURE"
//!     | "CRYPTO_CONSTRAINTS_FAILURE" | "NOT_YET_VALID" | "OUT_OF_BOUNDS_NO_POE"
//!     | "NO_SIGNING_CERTIFICATE_FOUND" | "NO_CERTIFICATE_CHAIN_FOUND"
//!     | "SIGNED_DATA_NOT_FOUND" | "REVOKED_NO_POE" | "TRY_LATER"             (INDETERMINATE)
//! ```
//!
//! `later_revisions` fails with FORMAT_FAILURE (FAILED) when a change after the signature is
//! level OTHER, above what the DocMDP level in force allows (P=1: LTA updates; P=2: form filling
//! and signing; P=3 or no certification: annotations too) or touches a field a signature locked,
//! and for a structure defect after the signature; with SIG_CONSTRAINTS_FAILURE (INDETERMINATE)
//! when every change is allowed but one `may_hide`. FORMAT_FAILURE, not HASH_FAILURE (which
//! docseal reported before issue 14): the bytes the signature covers are intact
//! (`intact` is true), and EN 319 102-1 gives HASH_FAILURE to a digest that does not match; a
//! rule the signature set for what may follow it is broken, which is format checking
//! (§5.2.2), where EU DSS puts its DocMDP and FieldMDP checks too. HASH_FAILURE stays for a
//! signed digest or a timestamp imprint that does not match.
//!
//! Long-term validation: a signature with a valid signature timestamp is judged at its
//! proof of existence (path validity, revocation; past signature validation, ETSI EN 319
//! 102-1 §5.6.2.1 simplified); a timestamp token's own path is judged at its genTime against
//! the TSA anchors. `revocation` fails with REVOKED when a certificate was revoked on or
//! before the proof of existence (or before the signer's own claimed time), REVOKED_NO_POE
//! when revoked and nothing proves the signature came first, TRY_LATER when no usable CRL or
//! OCSP response says anything (none, stale, unverifiable, unauthorized responder).
//!
//! The verdict is derived, never set: a report's `indication` is the worst `result` over its
//! `checks` (and, for the document, over its signatures); `reason` is the `detail` of the first
//! check with that result.
