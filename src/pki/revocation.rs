//! Revocation status of a certificate from CRLs (RFC 5280 §5, §6.3) and OCSP responses
//! (RFC 6960), wherever they come from: the signature's CMS (`adbe-revocationInfoArchival`,
//! `SignedData.crls`), the document's DSS (ETSI EN 319 142-1 §5.4), or the caller.
//!
//! A CRL counts only when its issuer name is the certificate's issuer and the issuer's key
//! signed it; an OCSP response only when its CertID names the certificate and its issuer,
//! and it was signed by the issuer itself or by a responder the issuer certified for
//! `id-kp-OCSPSigning` (RFC 6960 §4.2.2.2). Freshness, simplified from ETSI EN 319 102-1
//! §5.2.5: data is usable for the moment `t` the status is asked for when it was issued at
//! or after `t` (it knows everything that happened up to `t`), or when `t` falls between its
//! `thisUpdate` and `nextUpdate` (it was the current word of the CA then). A revocation on
//! or before `t` is a revocation; after `t`, the certificate was still good at `t`.
//! docseal never fetches anything: a host that wants fresher data supplies it.

use std::{cell::RefCell, collections::HashMap};

use x509_parser::{certificate::X509Certificate, revocation_list::CertificateRevocationList};

use serde::Serialize;

use crate::{
    pki::{
        der::{Reader, Tlv, tag},
        oid,
        sigalg::{DigestAlgorithm, Scheme},
        x509,
    },
    time::{asn1_time, rfc3339},
};

/// Where revocation data came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationSource {
    /// The signature's CMS (adbe-revocationInfoArchival or SignedData crls).
    Signature,
    /// The document security store (DSS).
    Document,
    /// Supplied by the caller (files, a host's own fetch).
    Supplied,
}

/// What revocation data says about one certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RevocationStatus {
    /// Not revoked at the time that matters.
    Good,
    /// Revoked (see the date: before or after the time that matters).
    Revoked,
    /// No usable data.
    Unknown,
}

/// One piece of revocation data, not yet parsed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Item<'a> {
    pub(crate) source: RevocationSource,
    pub(crate) kind: Kind,
    pub(crate) der: &'a [u8],
}

/// CRL or OCSP response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Crl,
    Ocsp,
}

/// What the data says about one certificate at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) status: RevocationStatus,
    /// Unix time of the revocation, when revoked.
    pub(crate) revoked_at: Option<i64>,
    pub(crate) reason: Option<String>,
    /// Where the deciding data came from, when any decided.
    pub(crate) source: Option<(RevocationSource, Kind)>,
    /// The deciding CRL or OCSP response, DER.
    pub(crate) der: Option<Vec<u8>>,
    /// One sentence for the report.
    pub(crate) detail: String,
}

/// Outcomes of CRL signature checks within one document's verification, keyed by where the
/// CRL's bytes are (address and length: every item borrows from buffers that live through the
/// verification) and the issuer key: a signature and its timestamp share the same CA CRLs.
pub(crate) type CrlChecks = RefCell<HashMap<(usize, usize, Vec<u8>), Result<(), String>>>;

/// The status of `cert` (issued by `issuer`) at Unix time `t`, from `items`.
pub(crate) fn status(
    cert: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
    t: i64,
    items: &[Item<'_>],
    checked: &CrlChecks,
) -> Finding {
    let mut good: Option<(Item<'_>, String)> = None;
    let mut revoked: Option<(Item<'_>, i64, Option<String>)> = None;
    let mut refused = Vec::new();
    for item in items {
        let said = match item.kind {
            Kind::Crl => crl(cert, issuer, t, item.der, checked),
            Kind::Ocsp => ocsp(cert, issuer, t, item.der),
        };
        match said {
            Said::NotAbout => {}
            // Data the caller gave on purpose is never dropped in silence (issue 12 §1);
            // unreadable data from the signature or the DSS stays as it was: not about it.
            Said::Unreadable(why) if item.source == RevocationSource::Supplied => {
                refused.push(format!(
                    "a supplied {} cannot be read: {why}",
                    kind_name(item.kind)
                ));
            }
            Said::Unreadable(_) => {}
            Said::Refused(why) => refused.push(why),
            Said::Good(window) => {
                good.get_or_insert((*item, window));
            }
            Said::Revoked(at, reason) => {
                if revoked.as_ref().is_none_or(|(_, r, _)| at < *r) {
                    revoked = Some((*item, at, reason));
                }
            }
        }
    }
    let name = x509::short_name(cert.subject());
    if let Some((item, at, reason)) = revoked {
        let when = if at <= t { "on or before" } else { "after" };
        return Finding {
            status: RevocationStatus::Revoked,
            revoked_at: Some(at),
            reason: reason.clone(),
            source: Some((item.source, item.kind)),
            der: Some(item.der.to_vec()),
            detail: format!(
                "{name} was revoked on {}{} ({} from {}), {when} {}",
                rfc3339(at),
                reason.map(|r| format!(", reason {r}")).unwrap_or_default(),
                kind_name(item.kind),
                source_name(item.source),
                rfc3339(t)
            ),
        };
    }
    if let Some((item, window)) = good {
        return Finding {
            status: RevocationStatus::Good,
            revoked_at: None,
            reason: None,
            source: Some((item.source, item.kind)),
            der: Some(item.der.to_vec()),
            detail: format!(
                "{name} was not revoked at {} ({} from {}, {window})",
                rfc3339(t),
                kind_name(item.kind),
                source_name(item.source)
            ),
        };
    }
    let detail = if refused.is_empty() {
        format!(
            "no CRL or OCSP response about {name} was found (none in the signature, the document or the supplied data)"
        )
    } else {
        format!(
            "the status of {name} at {} could not be established: {}",
            rfc3339(t),
            refused.join("; ")
        )
    };
    Finding {
        status: RevocationStatus::Unknown,
        revoked_at: None,
        reason: None,
        source: None,
        der: None,
        detail,
    }
}

/// Why `der` cannot be used as a `kind` at all, if it cannot.
pub(crate) fn unreadable(der: &[u8], kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Crl if x509_parser::parse_x509_crl(der).is_err() => Some(NOT_A_CRL),
        Kind::Ocsp if parse_ocsp(der).is_none() => Some(NOT_AN_OCSP_RESPONSE),
        _ => None,
    }
}

const NOT_A_CRL: &str = "not a DER or PEM CRL (RFC 5280 §5)";
const NOT_AN_OCSP_RESPONSE: &str = "not a successful DER OCSP response (RFC 6960 §4.2.1)";

/// The CRLs (DER, or PEM `X509 CRL` blocks) or the OCSP response (DER) in `bytes`, checked
/// to parse as such.
pub(crate) fn blobs(bytes: &[u8], kind: Kind) -> Result<Vec<Vec<u8>>, String> {
    let ders: Vec<Vec<u8>> = if bytes.starts_with(b"-----BEGIN ") {
        x509_parser::pem::Pem::iter_from_buffer(bytes)
            .filter_map(Result::ok)
            .map(|pem| pem.contents)
            .collect()
    } else {
        vec![bytes.to_vec()]
    };
    if ders.is_empty() {
        return Err("no PEM block could be read".into());
    }
    match ders.iter().find_map(|der| unreadable(der, kind)) {
        Some(why) => Err(why.into()),
        None => Ok(ders),
    }
}

/// CRLs and OCSP responses in an `adbe-revocationInfoArchival` value
/// (ISO 32000-2 §12.8.3.3.2: `SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
/// ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] … }`).
pub(crate) fn archival<'a>(value: &Tlv<'a>) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    if value.tag != tag::SEQUENCE {
        return out;
    }
    let mut r = value.reader();
    while let Ok(part) = r.any() {
        let kind = match part.tag {
            tag::CTX0 => Kind::Crl,
            tag::CTX1 => Kind::Ocsp,
            _ => continue,
        };
        let Ok(list) = part.reader().expect(tag::SEQUENCE, "list") else {
            continue;
        };
        let mut lr = list.reader();
        while let Ok(one) = lr.any() {
            out.push(Item {
                source: RevocationSource::Signature,
                kind,
                der: one.raw,
            });
        }
    }
    out
}

/// What one piece of data says about a certificate.
enum Said {
    /// It is about another certificate or issuer.
    NotAbout,
    /// It cannot be parsed, so nobody can tell what it is about.
    Unreadable(&'static str),
    /// It is about this certificate but cannot be relied on (bad signature, stale, ...).
    Refused(String),
    /// Not revoked; the text names the validity window.
    Good(String),
    /// Revoked at this time, with a reason.
    Revoked(i64, Option<String>),
}

fn crl(
    cert: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
    t: i64,
    der: &[u8],
    checked: &CrlChecks,
) -> Said {
    let Ok((_, list)) = x509_parser::parse_x509_crl(der) else {
        return Said::Unreadable(NOT_A_CRL);
    };
    if list.issuer().as_raw() != cert.issuer().as_raw() {
        return Said::NotAbout;
    }
    let key = (
        der.as_ptr() as usize,
        der.len(),
        issuer.public_key().raw.to_vec(),
    );
    let verified = checked.borrow().get(&key).cloned();
    let verified = verified.unwrap_or_else(|| {
        let outcome = crl_signature(&list, issuer);
        checked.borrow_mut().insert(key, outcome.clone());
        outcome
    });
    if let Err(why) = verified {
        return Said::Refused(format!(
            "a CRL of {} does not verify: {why}",
            x509::short_name(list.issuer())
        ));
    }
    let this = list.last_update().timestamp();
    let next = list.next_update().map(|n| n.timestamp());
    if let Err(why) = fresh(t, this, next) {
        return Said::Refused(format!(
            "a CRL of {}: {why}",
            x509::short_name(list.issuer())
        ));
    }
    let revoked = list
        .iter_revoked_certificates()
        .find(|r| r.raw_serial() == cert.raw_serial());
    match revoked {
        Some(entry) => Said::Revoked(
            entry.revocation_date.timestamp(),
            entry.reason_code().map(|(_, code)| reason_name(code.0)),
        ),
        None => Said::Good(window(this, next)),
    }
}

fn crl_signature(
    list: &CertificateRevocationList<'_>,
    issuer: &X509Certificate<'_>,
) -> Result<(), String> {
    if let Ok(Some(usage)) = issuer.key_usage()
        && !usage.value.crl_sign()
    {
        return Err("its issuer's key usage does not include cRLSign".into());
    }
    let alg = &list.signature_algorithm;
    let scheme = Scheme::from_oid(
        alg.algorithm.as_bytes(),
        alg.parameters.as_ref().map(|p| p.data),
        None,
    )
    .map_err(|e| e.to_string())?;
    let key = x509::public_key(issuer).map_err(|e| e.to_string())?;
    scheme
        .verify(
            &key,
            list.tbs_cert_list.as_ref(),
            &list.signature_value.data,
        )
        .map_err(|e| e.to_string())
}

/// The freshness rule of the module docs.
fn fresh(t: i64, this: i64, next: Option<i64>) -> Result<(), String> {
    if this >= t || next.is_none_or(|n| t <= n) && this <= t {
        Ok(())
    } else {
        Err(format!(
            "issued {} and valid until {}, it says nothing about {}",
            rfc3339(this),
            next.map_or("(no next update)".to_owned(), rfc3339),
            rfc3339(t)
        ))
    }
}

fn window(this: i64, next: Option<i64>) -> String {
    match next {
        Some(n) => format!("issued {}, next update {}", rfc3339(this), rfc3339(n)),
        None => format!("issued {}", rfc3339(this)),
    }
}

/// One SingleResponse of a BasicOCSPResponse, with what is needed to check it.
struct OcspResponse<'a> {
    tbs: &'a [u8],
    signature_alg: Tlv<'a>,
    signature: &'a [u8],
    responder: Responder<'a>,
    certs: Vec<&'a [u8]>,
    single: Vec<Tlv<'a>>,
}

enum Responder<'a> {
    /// `byName`: the responder's subject Name, DER.
    Name(&'a [u8]),
    /// `byKey`: SHA-1 of the responder's public key bits.
    KeyHash(&'a [u8]),
}

fn ocsp(cert: &X509Certificate<'_>, issuer: &X509Certificate<'_>, t: i64, der: &[u8]) -> Said {
    let Some(resp) = parse_ocsp(der) else {
        return Said::Unreadable(NOT_AN_OCSP_RESPONSE);
    };
    let mine = resp
        .single
        .iter()
        .find_map(|s| single_response(s, cert, issuer));
    let Some(single) = mine else {
        return Said::NotAbout;
    };
    if let Err(why) = ocsp_signature(&resp, issuer) {
        return Said::Refused(format!(
            "an OCSP response about {} cannot be relied on: {why}",
            x509::short_name(cert.subject())
        ));
    }
    if let Err(why) = fresh(t, single.this_update, single.next_update) {
        return Said::Refused(format!("an OCSP response: {why}"));
    }
    match single.status {
        OcspStatus::Good => Said::Good(window(single.this_update, single.next_update)),
        OcspStatus::Revoked(at, reason) => Said::Revoked(at, reason),
        OcspStatus::Unknown => {
            Said::Refused("the OCSP responder does not know the certificate".into())
        }
    }
}

fn parse_ocsp(der: &[u8]) -> Option<OcspResponse<'_>> {
    let top = Reader::new(der, 0, 16)
        .expect(tag::SEQUENCE, "OCSPResponse")
        .ok()?;
    let mut r = top.reader();
    let status = r.expect(tag::ENUMERATED, "responseStatus").ok()?;
    if status.content != [0] {
        return None; // not `successful`: no status inside
    }
    let bytes = r.expect(tag::CTX0, "responseBytes").ok()?;
    let rb = bytes.reader().expect(tag::SEQUENCE, "ResponseBytes").ok()?;
    let mut rr = rb.reader();
    if rr.expect(tag::OID, "responseType").ok()?.content != oid::OCSP_BASIC {
        return None;
    }
    let basic_der = rr.expect(tag::OCTET_STRING, "response").ok()?.content;
    let basic = Reader::new(basic_der, 0, 16)
        .expect(tag::SEQUENCE, "BasicOCSPResponse")
        .ok()?;
    let mut br = basic.reader();
    let tbs = br.expect(tag::SEQUENCE, "tbsResponseData").ok()?;
    let signature_alg = br.expect(tag::SEQUENCE, "signatureAlgorithm").ok()?;
    let bits = br.expect(tag::BIT_STRING, "signature").ok()?;
    let signature = bits
        .content
        .split_first()
        .filter(|(unused, _)| **unused == 0)?
        .1;
    let mut certs = Vec::new();
    if let Ok(Some(list)) = br.optional(tag::CTX0)
        && let Ok(seq) = list.reader().expect(tag::SEQUENCE, "certs")
    {
        let mut cr = seq.reader();
        while let Ok(c) = cr.any() {
            certs.push(c.raw);
        }
    }
    let mut tr = tbs.reader();
    if tr.peek_tag() == Some(tag::CTX0) {
        tr.any().ok()?; // version
    }
    let responder = match tr.any().ok()? {
        id if id.tag == tag::CTX1 => {
            Responder::Name(id.reader().expect(tag::SEQUENCE, "Name").ok()?.raw)
        }
        id if id.tag == tag::CTX2 => Responder::KeyHash(
            id.reader()
                .expect(tag::OCTET_STRING, "KeyHash")
                .ok()?
                .content,
        ),
        _ => return None,
    };
    tr.expect(tag::GENERALIZED_TIME, "producedAt").ok()?;
    let responses = tr.expect(tag::SEQUENCE, "responses").ok()?;
    let mut single = Vec::new();
    let mut sr = responses.reader();
    while let Ok(s) = sr.any() {
        single.push(s);
    }
    Some(OcspResponse {
        tbs: tbs.raw,
        signature_alg,
        signature,
        responder,
        certs,
        single,
    })
}

enum OcspStatus {
    Good,
    Revoked(i64, Option<String>),
    Unknown,
}

struct Single {
    status: OcspStatus,
    this_update: i64,
    next_update: Option<i64>,
}

/// The SingleResponse when its CertID names `cert` issued by `issuer`.
fn single_response(
    s: &Tlv<'_>,
    cert: &X509Certificate<'_>,
    issuer: &X509Certificate<'_>,
) -> Option<Single> {
    let mut r = s.reader();
    let cert_id = r.expect(tag::SEQUENCE, "CertID").ok()?;
    let mut cr = cert_id.reader();
    let alg = crate::pki::sigalg::alg_oid(&cr.expect(tag::SEQUENCE, "hashAlgorithm").ok()?).ok()?;
    let hash = DigestAlgorithm::from_oid(alg).ok()?;
    let name_hash = cr.expect(tag::OCTET_STRING, "issuerNameHash").ok()?.content;
    let key_hash = cr.expect(tag::OCTET_STRING, "issuerKeyHash").ok()?.content;
    let serial = cr.expect(tag::INTEGER, "serialNumber").ok()?.content;
    let digest = |b: &[u8]| ring::digest::digest(hash.ring(), b);
    let matches = serial == cert.raw_serial()
        && digest(issuer.subject().as_raw()).as_ref() == name_hash
        && digest(&issuer.public_key().subject_public_key.data).as_ref() == key_hash
        && issuer.subject().as_raw() == cert.issuer().as_raw();
    if !matches {
        return None;
    }
    let status_tlv = r.any().ok()?;
    let status = match status_tlv.tag {
        0x80 => OcspStatus::Good,
        0xA1 => {
            let mut rr = status_tlv.reader();
            let at = rr.expect(tag::GENERALIZED_TIME, "revocationTime").ok()?;
            let reason = rr
                .optional(tag::CTX0)
                .ok()
                .flatten()
                .and_then(|r| r.reader().expect(tag::ENUMERATED, "CRLReason").ok())
                .and_then(|e| e.content.first().copied())
                .map(reason_name);
            OcspStatus::Revoked(asn1_time(false, at.content)?, reason)
        }
        _ => OcspStatus::Unknown,
    };
    let this = r.expect(tag::GENERALIZED_TIME, "thisUpdate").ok()?;
    let next = r
        .optional(tag::CTX0)
        .ok()
        .flatten()
        .and_then(|n| n.reader().expect(tag::GENERALIZED_TIME, "nextUpdate").ok())
        .and_then(|n| asn1_time(false, n.content));
    Some(Single {
        status,
        this_update: asn1_time(false, this.content)?,
        next_update: next,
    })
}

/// The response was signed by the issuer, or by a responder the issuer certified for OCSP
/// signing (RFC 6960 §4.2.2.2).
fn ocsp_signature(resp: &OcspResponse<'_>, issuer: &X509Certificate<'_>) -> Result<(), String> {
    let names = |c: &X509Certificate<'_>| match resp.responder {
        Responder::Name(name) => c.subject().as_raw() == name,
        Responder::KeyHash(hash) => {
            ring::digest::digest(
                &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
                &c.public_key().subject_public_key.data,
            )
            .as_ref()
                == hash
        }
    };
    let alg_oid = crate::pki::sigalg::alg_oid(&resp.signature_alg).map_err(|e| e.to_string())?;
    let params = {
        let mut r = resp.signature_alg.reader();
        r.any().ok();
        r.any().ok().map(|p| p.content)
    };
    let scheme = Scheme::from_oid(alg_oid, params, None).map_err(|e| e.to_string())?;
    let verify = |signer: &X509Certificate<'_>| {
        let key = x509::public_key(signer).map_err(|e| e.to_string())?;
        scheme
            .verify(&key, resp.tbs, resp.signature)
            .map_err(|e| e.to_string())
    };
    if names(issuer) {
        return verify(issuer);
    }
    for der in &resp.certs {
        let Ok(responder) = x509::parse(der) else {
            continue;
        };
        if !names(&responder) {
            continue;
        }
        if responder.issuer().as_raw() != issuer.subject().as_raw()
            || x509::verify_issued_by(&responder, issuer).is_err()
        {
            return Err(format!(
                "its responder {} is not certified by {}",
                x509::short_name(responder.subject()),
                x509::short_name(issuer.subject())
            ));
        }
        let delegated = responder
            .extended_key_usage()
            .ok()
            .flatten()
            .is_some_and(|eku| eku.value.ocsp_signing);
        if !delegated {
            return Err(format!(
                "its responder {} is not authorized for OCSP signing (no id-kp-OCSPSigning)",
                x509::short_name(responder.subject())
            ));
        }
        return verify(&responder);
    }
    Err("it is signed by a responder that is neither the issuer nor certified by it".into())
}

/// CRLReason names (RFC 5280 §5.3.1).
fn reason_name(code: u8) -> String {
    match code {
        0 => "unspecified",
        1 => "keyCompromise",
        2 => "cACompromise",
        3 => "affiliationChanged",
        4 => "superseded",
        5 => "cessationOfOperation",
        6 => "certificateHold",
        8 => "removeFromCRL",
        9 => "privilegeWithdrawn",
        10 => "aACompromise",
        _ => "unknown",
    }
    .to_owned()
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Crl => "CRL",
        Kind::Ocsp => "OCSP response",
    }
}

fn source_name(source: RevocationSource) -> &'static str {
    match source {
        RevocationSource::Signature => "the signature",
        RevocationSource::Document => "the document's DSS",
        RevocationSource::Supplied => "the supplied data",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freshness_rule() {
        // Issued after the moment asked about: it knows.
        assert!(fresh(100, 200, Some(300)).is_ok());
        // Current at that moment.
        assert!(fresh(250, 200, Some(300)).is_ok());
        assert!(fresh(250, 200, None).is_ok());
        // Stale: its next update passed before the moment.
        assert!(fresh(400, 200, Some(300)).is_err());
    }
}
