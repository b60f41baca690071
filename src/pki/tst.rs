//! RFC 3161 timestamp tokens: the TSTInfo a timestamp authority signs (RFC 3161 §2.4.2).
//!
//! The token itself is CMS SignedData ([`super::cms`]) whose encapsulated content is the
//! TSTInfo read here; the signature over it is checked like any other signer's.

use crate::{
    pki::{
        der::{DerError, Reader, tag},
        sigalg::{self, DigestAlgorithm},
    },
    time::asn1_time,
};

/// What a timestamp token states: the digest it stamps and when.
#[derive(Clone)]
pub(crate) struct TstInfo {
    /// The messageImprint's digest algorithm, or why it is not one docseal computes.
    pub(crate) imprint_alg: Result<DigestAlgorithm, String>,
    /// The stamped digest (hashedMessage).
    pub(crate) imprint: Vec<u8>,
    /// genTime, Unix seconds; `None` when it is not a valid GeneralizedTime.
    pub(crate) gen_time: Option<i64>,
}

/// Parses a TSTInfo: version, policy, messageImprint, serialNumber, genTime (the optional
/// fields after genTime are not read).
pub(crate) fn parse(der: &[u8]) -> Result<TstInfo, DerError> {
    let seq = Reader::new(der, 0, 8).expect(tag::SEQUENCE, "TSTInfo")?;
    let mut r = seq.reader();
    r.expect(tag::INTEGER, "version")?;
    r.expect(tag::OID, "policy")?;
    let imprint = r.expect(tag::SEQUENCE, "messageImprint")?;
    let mut ir = imprint.reader();
    let alg = sigalg::alg_oid(&ir.expect(tag::SEQUENCE, "hashAlgorithm")?)?;
    let hashed = ir.expect(tag::OCTET_STRING, "hashedMessage")?;
    r.expect(tag::INTEGER, "serialNumber")?;
    let gen_time = r.expect(tag::GENERALIZED_TIME, "genTime")?;
    Ok(TstInfo {
        imprint_alg: DigestAlgorithm::from_oid(alg).map_err(|e| e.to_string()),
        imprint: hashed.content.to_vec(),
        gen_time: asn1_time(false, gen_time.content),
    })
}
