//! Bounds applied to untrusted input before any allocation or search is driven by it.
//!
//! Every number here caps something an attacker controls: file size, number of revisions and
//! signatures, the size of one CMS blob, ASN.1 nesting, certificates per signature and the work
//! spent building a certificate path. Defaults are far above what real signed permits need
//! (a PAdES signature with an embedded chain and revocation data is typically 8–64 KiB) and low
//! enough that one hostile file cannot take a portal back-end down.

/// Limits on what one verification may consume. `Limits::default()` is the safe choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest PDF accepted, in bytes. Default 512 MiB (a scanned dossier of a few hundred pages).
    pub max_pdf_bytes: u64,
    /// Most revisions (incremental updates) examined. Default 256.
    pub max_revisions: usize,
    /// Most signature fields examined in one document. Default 256.
    pub max_signatures: usize,
    /// Largest decoded `/Contents` (CMS) of one signature, in bytes. Default 4 MiB.
    pub max_cms_bytes: usize,
    /// Deepest ASN.1 nesting read in a CMS blob, whatever the length form (definite or BER
    /// indefinite): a constructed element is read only while depth is left, and reaching the
    /// limit is a FORMAT_FAILURE of that signature. Default 32: the deepest path a verifier
    /// follows in real CMS (ContentInfo → SignedData → SignerInfo → signed attribute →
    /// signingCertificateV2 → ESSCertIDv2 → IssuerSerial → GeneralName → Name → RDN) is 17
    /// levels; der-parser and asn1-rs stop at 50 (their `MAX_RECURSION`).
    pub max_der_depth: usize,
    /// Most certificates taken from one CMS plus the caller's intermediates. Default 256.
    pub max_certificates: usize,
    /// Deepest form-field tree (`/Kids`) followed. Default 32 (ISO 32000 sets no limit).
    pub max_field_depth: usize,
    /// Most streams whose `/Length` may lead lopdf to another stream (neither a direct
    /// integer nor a reference to an integer object). lopdf follows such a length by parsing
    /// the object it names, one nested parse per link, and again for every object of the
    /// chain, so a chain of `n` costs `n` stack frames and `n²/2` parses: above a few, docseal
    /// runs lopdf on a thread of its own with 4 KiB of stack per link (reserved, not
    /// committed); beyond this limit the file is refused. Default 2 048 (about 2 s of parsing
    /// for a worst-case chain on one core): ISO 32000-2 §7.3.8.2 and §7.5.7 leave no room for
    /// such links in a conforming file.
    pub max_indirect_stream_lengths: usize,
    /// Largest decompressed object or cross-reference stream lopdf may inflate. Default 256 MiB.
    pub max_decompressed_bytes: usize,
    /// Path-building budget: most signature verifications spent searching for one certificate
    /// path (webpki uses 100). Default 100.
    pub max_path_signature_checks: usize,
    /// Longest certificate path, anchor excluded. Default 8 (real paths have 2–4 links).
    pub max_path_length: usize,
    /// Largest policy graph built for one certificate path (RFC 5280 §6.1.2 (a), in the
    /// RFC 9618 form): a node counts once per parent it links to, so the bound covers links as
    /// well as nodes. Default 1,000, the cap OpenSSL put on its policy tree after
    /// CVE-2023-0464; real qualified paths need a few dozen. A path beyond it fails.
    pub max_policy_nodes: usize,
    /// Most bytes parsed to compare revisions: each revision from the first signed one on is
    /// loaded as the file was then, so a file of `n` bytes with `r` revisions costs up to
    /// `n * r`. Default 1 GiB. Beyond it, signatures whose later changes could not be
    /// compared are INDETERMINATE.
    pub max_compared_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pdf_bytes: 512 * 1024 * 1024,
            max_revisions: 256,
            max_signatures: 256,
            max_cms_bytes: 4 * 1024 * 1024,
            max_der_depth: 32,
            max_certificates: 256,
            max_field_depth: 32,
            max_indirect_stream_lengths: 2048,
            max_decompressed_bytes: 256 * 1024 * 1024,
            max_path_signature_checks: 100,
            max_path_length: 8,
            max_policy_nodes: 1_000,
            max_compared_bytes: 1024 * 1024 * 1024,
        }
    }
}
