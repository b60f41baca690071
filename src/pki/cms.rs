//! CMS SignedData (RFC 5652 §5) as PDF signatures carry it, parsed by borrowing.
//!
//! Nothing is re-encoded: the signed attributes are kept as the bytes the signer sent, which is
//! what the signature covers (RFC 5652 §5.4: the DER of the SET OF, i.e. the `[0]` IMPLICIT
//! element with its tag replaced by SET).

use std::borrow::Cow;

use crate::pki::{
    der::{DerError, Reader, Tlv, tag},
    oid, sigalg,
};

/// One signer's SignedData, as found in `/Contents`.
#[derive(Debug)]
pub(crate) struct SignedData<'a> {
    /// `eContentType` of the encapsulated content.
    pub(crate) econtent_type: &'a [u8],
    /// The encapsulated content; `None` for detached signatures.
    pub(crate) econtent: Option<Cow<'a, [u8]>>,
    /// DER of every `certificate` choice in `certificates` (other choices are skipped).
    pub(crate) certificates: Vec<&'a [u8]>,
    /// DER of every CertificateList in `crls` (RFC 5652 §10.2.1).
    pub(crate) crls: Vec<&'a [u8]>,
    /// DER of every OCSPResponse carried as `other` revocation info (RFC 5940 §2.1).
    pub(crate) ocsps: Vec<&'a [u8]>,
    /// The only SignerInfo (a PDF signature has exactly one, ISO 32000-2 §12.8.3.3).
    pub(crate) signer: SignerInfo<'a>,
    /// Non-zero bytes after the ContentInfo in `/Contents`. Some signers leave them; they are
    /// not part of the CMS and sign nothing (what matters in the file is checked by the
    /// ByteRange and revision checks), so they are a warning, not a failure.
    pub(crate) trailing: usize,
}

/// How the SignerInfo names its certificate (RFC 5652 §5.3).
#[derive(Debug, Clone, Copy)]
pub(crate) enum SignerId<'a> {
    /// `issuerAndSerialNumber`: the issuer Name's DER and the serial INTEGER's content.
    IssuerSerial { issuer: &'a [u8], serial: &'a [u8] },
    /// `subjectKeyIdentifier`.
    KeyId(&'a [u8]),
}

/// The fields of a SignerInfo that verification uses.
#[derive(Debug)]
pub(crate) struct SignerInfo<'a> {
    pub(crate) sid: SignerId<'a>,
    pub(crate) digest_oid: &'a [u8],
    pub(crate) signed_attrs: Option<SignedAttrs<'a>>,
    pub(crate) signature_oid: &'a [u8],
    /// Content of the signature algorithm's parameters, if any.
    pub(crate) signature_params: Option<&'a [u8]>,
    pub(crate) signature: &'a [u8],
    /// Every value of every unsigned attribute, as `(attribute type, value)` (RFC 5652 §5.3;
    /// repeated types are kept: some signers add one timestamp attribute per token).
    pub(crate) unsigned: Vec<(&'a [u8], Tlv<'a>)>,
}

/// The signed attributes, with their original encoding.
#[derive(Debug)]
pub(crate) struct SignedAttrs<'a> {
    raw: &'a [u8],
    attrs: Vec<(&'a [u8], Vec<Tlv<'a>>)>,
    /// False when the attributes are not in DER order (X.690 §11.6: a SET OF sorted by
    /// encoding). RFC 5652 §5.3 requires DER, yet some signers sign them in another order;
    /// the signature is verified over the bytes as sent (as OpenSSL and NSS do), never over a
    /// re-sorted copy the signer did not sign.
    pub(crate) der_order: bool,
    /// Names of attribute types that appear more than once although nothing restricts them
    /// (RFC 5652 §5.3 and ETSI EN 319 122-1 §5.1 restrict only the types in [`SINGLE`]).
    pub(crate) repeated: Vec<String>,
}

/// Signed attribute types that must appear at most once: RFC 5652 §11.1–11.3 (contentType,
/// messageDigest, signingTime) and RFC 5035 §5.4 / ETSI EN 319 122-1 §5.2.2
/// (signingCertificate, signingCertificateV2). A repeat of one of these lets a signer or an
/// attacker present two different values, so it stays fatal.
const SINGLE: &[&[u8]] = &[
    oid::CONTENT_TYPE,
    oid::MESSAGE_DIGEST,
    oid::SIGNING_TIME,
    oid::SIGNING_CERTIFICATE,
    oid::SIGNING_CERTIFICATE_V2,
];

/// Why a CMS blob is unusable: becomes a FAILED check, never an `Err` of the verifier.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CmsError {
    #[error(transparent)]
    Der(#[from] DerError),
    #[error("content type {0} is not SignedData")]
    NotSignedData(String),
    #[error("{0} SignerInfos; a PDF signature has exactly one")]
    SignerCount(usize),
    #[error("more than {0} certificates")]
    TooManyCertificates(usize),
    #[error("signed attribute {0} appears more than once")]
    DuplicateAttribute(String),
    #[error("signed attribute {0} must have exactly one value")]
    AttributeValues(String),
}

/// Parses `/Contents` (a ContentInfo, possibly followed by padding; non-zero padding is
/// counted in [`SignedData::trailing`]).
pub(crate) fn parse(
    contents: &[u8],
    max_depth: usize,
    max_certs: usize,
) -> Result<SignedData<'_>, CmsError> {
    let mut top = Reader::new(contents, 0, max_depth);
    let content_info = top.expect(tag::SEQUENCE, "ContentInfo")?;
    let trailing = top.rest().iter().filter(|b| **b != 0).count();
    let mut ci = content_info.reader();
    let content_type = ci.expect(tag::OID, "contentType")?;
    if content_type.content != oid::SIGNED_DATA {
        return Err(CmsError::NotSignedData(oid::name(content_type.content)));
    }
    let explicit = ci.expect(tag::CTX0, "[0] content")?;
    let signed_data = explicit.reader().expect(tag::SEQUENCE, "SignedData")?;
    let mut sd = signed_data.reader();
    sd.expect(tag::INTEGER, "version")?;
    sd.expect(tag::SET, "digestAlgorithms")?;
    let encap = sd.expect(tag::SEQUENCE, "encapContentInfo")?;
    let mut er = encap.reader();
    let econtent_type = er.expect(tag::OID, "eContentType")?.content;
    let econtent = match er.optional(tag::CTX0)? {
        Some(e) => Some(e.reader().any()?.octets()?),
        None => None,
    };
    let mut certificates = Vec::new();
    if let Some(certs) = sd.optional(tag::CTX0)? {
        let mut cr = certs.reader();
        while !cr.is_empty() {
            let choice = cr.any()?;
            if choice.tag == tag::SEQUENCE {
                if certificates.len() == max_certs {
                    return Err(CmsError::TooManyCertificates(max_certs));
                }
                certificates.push(choice.raw);
            }
        }
    }
    let (mut crls, mut ocsps) = (Vec::new(), Vec::new());
    if let Some(set) = sd.optional(tag::CTX1)? {
        let mut rr = set.reader();
        while !rr.is_empty() {
            let choice = rr.any()?;
            match choice.tag {
                tag::SEQUENCE => crls.push(choice.raw),
                // [1] OtherRevocationInfoFormat { otherRevInfoFormat, otherRevInfo }
                tag::CTX1 => {
                    let mut or = choice.reader();
                    let format = or.expect(tag::OID, "otherRevInfoFormat")?;
                    if format.content == oid::RI_OCSP_RESPONSE {
                        ocsps.push(or.expect(tag::SEQUENCE, "OCSPResponse")?.raw);
                    }
                }
                _ => {}
            }
        }
    }
    let signer_infos = sd.expect(tag::SET, "signerInfos")?;
    let mut sr = signer_infos.reader();
    let mut signers = Vec::new();
    while !sr.is_empty() {
        signers.push(sr.any()?);
    }
    let [only] = signers[..] else {
        return Err(CmsError::SignerCount(signers.len()));
    };
    Ok(SignedData {
        econtent_type,
        econtent,
        certificates,
        crls,
        ocsps,
        signer: signer_info(&only)?,
        trailing,
    })
}

fn signer_info<'a>(si: &Tlv<'a>) -> Result<SignerInfo<'a>, CmsError> {
    if si.tag != tag::SEQUENCE {
        return Err(si.error("expected SignerInfo").into());
    }
    let mut r = si.reader();
    r.expect(tag::INTEGER, "version")?;
    let sid = match r.peek_tag() {
        Some(tag::SEQUENCE) => {
            let ias = r.any()?;
            let mut ir = ias.reader();
            let issuer = ir.expect(tag::SEQUENCE, "issuer")?.raw;
            let serial = ir.expect(tag::INTEGER, "serialNumber")?.content;
            SignerId::IssuerSerial { issuer, serial }
        }
        Some(tag::CTX0_PRIMITIVE) => SignerId::KeyId(r.any()?.content),
        _ => return Err(r.error("expected SignerIdentifier").into()),
    };
    let digest_oid = sigalg::alg_oid(&r.expect(tag::SEQUENCE, "digestAlgorithm")?)?;
    let signed_attrs = r.optional(tag::CTX0)?.map(attributes).transpose()?;
    let sig_alg = r.expect(tag::SEQUENCE, "signatureAlgorithm")?;
    let mut sar = sig_alg.reader();
    let signature_oid = sar.expect(tag::OID, "signature algorithm OID")?.content;
    let signature_params = if sar.is_empty() {
        None
    } else {
        Some(sar.any()?.content)
    };
    let signature = r.expect(tag::OCTET_STRING, "signature")?.content;
    let mut unsigned = Vec::new();
    if let Some(set) = r.optional(tag::CTX1)? {
        let mut ur = set.reader();
        while !ur.is_empty() {
            let attr = ur.expect(tag::SEQUENCE, "unsigned Attribute")?;
            let mut ar = attr.reader();
            let oid = ar.expect(tag::OID, "attrType")?.content;
            let mut vr = ar.expect(tag::SET, "attrValues")?.reader();
            while !vr.is_empty() {
                unsigned.push((oid, vr.any()?));
            }
        }
    }
    Ok(SignerInfo {
        sid,
        digest_oid,
        signed_attrs,
        signature_oid,
        signature_params,
        signature,
        unsigned,
    })
}

fn attributes<'a>(set: Tlv<'a>) -> Result<SignedAttrs<'a>, CmsError> {
    let mut attrs: Vec<(&'a [u8], Vec<Tlv<'a>>)> = Vec::new();
    let mut repeated = Vec::new();
    let mut der_order = true;
    let mut previous: Option<&[u8]> = None;
    let mut r = set.reader();
    while !r.is_empty() {
        let attr = r.expect(tag::SEQUENCE, "Attribute")?;
        der_order &= previous.is_none_or(|p| set_of_order(p, attr.raw).is_le());
        previous = Some(attr.raw);
        let mut ar = attr.reader();
        let oid = ar.expect(tag::OID, "attrType")?.content;
        let mut vr = ar.expect(tag::SET, "attrValues")?.reader();
        let mut values = Vec::new();
        while !vr.is_empty() {
            values.push(vr.any()?);
        }
        if attrs.iter().any(|(o, _)| *o == oid) {
            if SINGLE.contains(&oid) {
                return Err(CmsError::DuplicateAttribute(oid::name(oid)));
            }
            repeated.push(oid::name(oid));
            continue;
        }
        attrs.push((oid, values));
    }
    Ok(SignedAttrs {
        raw: set.raw,
        attrs,
        der_order,
        repeated,
    })
}

/// DER order of two SET OF elements (X.690 §11.6): compared as octet strings, the shorter
/// padded at its end with zero octets.
fn set_of_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    fn padded(s: &[u8], n: usize) -> impl Iterator<Item = u8> + '_ {
        s.iter().copied().chain(std::iter::repeat(0)).take(n)
    }
    let n = a.len().max(b.len());
    padded(a, n).cmp(padded(b, n))
}

impl<'a> SignedAttrs<'a> {
    /// The `[0]` IMPLICIT element as sent.
    #[cfg(feature = "scan")] // for the fuzzing entry points, built with every feature
    pub(crate) fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Every attribute: its type and values, in the order sent.
    #[cfg(feature = "scan")] // for the fuzzing entry points, built with every feature
    pub(crate) fn all(&self) -> &[(&'a [u8], Vec<Tlv<'a>>)] {
        &self.attrs
    }

    /// The bytes the signature covers: the attributes as sent, tagged as a SET.
    pub(crate) fn signed_bytes(&self) -> Vec<u8> {
        let mut bytes = self.raw.to_vec();
        if let Some(first) = bytes.first_mut() {
            *first = tag::SET;
        }
        bytes
    }

    /// The single value of attribute `oid`, if present (RFC 5652 §11: exactly one value).
    pub(crate) fn single(&self, oid: &[u8]) -> Result<Option<Tlv<'a>>, CmsError> {
        match self.attrs.iter().find(|(o, _)| *o == oid) {
            None => Ok(None),
            Some((_, values)) => match values[..] {
                [v] => Ok(Some(v)),
                _ => Err(CmsError::AttributeValues(oid::name(oid))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_signed_data_and_padding_garbage() {
        // ContentInfo { id-data, [0] {} }
        let mut ci = vec![0x30, 0x0F, 0x06, 0x09];
        ci.extend_from_slice(oid::DATA);
        ci.extend_from_slice(&[0xA0, 0x02, 0x30, 0x00]);
        assert!(matches!(parse(&ci, 16, 8), Err(CmsError::NotSignedData(_))));
        assert!(matches!(parse(&[0x30], 16, 8), Err(CmsError::Der(_))));
    }

    /// `SET { attr... }` from `(oid, value)` pairs, each value an OCTET STRING.
    fn attr_set(attrs: &[(&[u8], &[u8])]) -> Vec<u8> {
        let tlv = |tag: u8, body: &[u8]| {
            let mut v = vec![tag, u8::try_from(body.len()).expect("short")];
            v.extend_from_slice(body);
            v
        };
        let body: Vec<u8> = attrs
            .iter()
            .flat_map(|(oid, value)| {
                let mut a = tlv(tag::OID, oid);
                a.extend(tlv(tag::SET, &tlv(tag::OCTET_STRING, value)));
                tlv(tag::SEQUENCE, &a)
            })
            .collect();
        tlv(tag::CTX0, &body)
    }

    #[test]
    fn repeated_attributes_fatal_only_where_restricted() {
        const PRIVATE: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x81, 0xB2, 0x63, 0x01];
        let der = attr_set(&[
            (PRIVATE, b"a"),
            (oid::MESSAGE_DIGEST, b"d"),
            (PRIVATE, b"b"),
        ]);
        let set = Reader::new(&der, 0, 8).any().expect("set");
        let attrs = attributes(set).expect("a repeated private attribute is tolerated");
        assert_eq!(attrs.repeated.len(), 1);
        // 1.3.6.1.4.1… sorts after 1.2.840… (0x2B > 0x2A): not DER order.
        assert!(!attrs.der_order);
        let der = attr_set(&[(oid::MESSAGE_DIGEST, b"d"), (PRIVATE, b"a")]);
        let sorted = attributes(Reader::new(&der, 0, 8).any().expect("set")).expect("parses");
        assert!(sorted.der_order);
        assert_eq!(
            attrs
                .single(oid::MESSAGE_DIGEST)
                .expect("one")
                .map(|v| v.content),
            Some(&b"d"[..])
        );
        for restricted in SINGLE {
            let der = attr_set(&[(restricted, b"a"), (restricted, b"b")]);
            let set = Reader::new(&der, 0, 8).any().expect("set");
            assert!(
                matches!(attributes(set), Err(CmsError::DuplicateAttribute(_))),
                "{}",
                oid::name(restricted)
            );
        }
    }
}
