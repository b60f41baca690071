//! CWT claims (RFC 8392) of a result certificate, to and from CBOR.
//!
//! Claims map: `1` iss (text), `4` exp (NumericDate, required), `5` nbf (NumericDate, optional),
//! `6` iat (NumericDate), and the private claim [`RESULT_CLAIM`] (`-70000`) for a docseal permit,
//! or `-260` (`hcert`) for an EU DCC. The result map uses integer keys to stay small in a QR code.
//!
//! A NumericDate (RFC 8392 §2, as in RFC 7519 §2) is read as an integer, a finite float, or
//! either wrapped in CBOR tag 1 (epoch-based date/time, RFC 8949 §3.4.2); some DCC issuers
//! encode `exp`/`iat` that way. A fraction is rounded so that it never extends validity: `exp`
//! down, `nbf` and `iat` up. Floats outside years 0001–9999, NaN and infinities are refused.
//! docseal itself issues integers.
//!
//!
//! | key | field | CBOR |
//! |---|---|---|
//! | 1 | procedure_code | text |
//! | 2 | dossier_no | text |
//! | 3 | decision_no | text |
//! | 4 | holder_name | text (UTF-8, Vietnamese) |
//! | 5 | holder_id_sha256 | bstr 32: SHA-256 of the holder's ID number |
//! | 6 | issuer_name | text |
//! | 7 | issue_date | text `YYYY-MM-DD` |
//! | 8 | valid_until | text `YYYY-MM-DD`, optional |
//! | 9 | document_sha256 | bstr 32: SHA-256 of the signed PDF |
//! | 10 | url | text, optional |

use ciborium::Value;
use serde::{Deserialize, Serialize};

/// Private claim key of the permit result map (RFC 8392 §4: negative = private use).
pub const RESULT_CLAIM: i64 = -70_000;
/// The HCERT claim key (EU DCC technical specification, HCERT 1.3 §2.6.3).
pub const HCERT_CLAIM: i64 = -260;

/// The CWT claims of a certificate.
///
/// As JSON (the claims file of `issue_certificate`, `docseal_qr_issue`), an unknown key is an
/// error, not ignored: a misspelt `result` must not issue a certificate without its result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// `iss`: code of the issuing body (e.g. `VN-HCM-QH1`) or the DCC issuing country.
    pub iss: Option<String>,
    /// `iat`: issued at, Unix seconds (a fractional NumericDate rounded up).
    pub iat: Option<i64>,
    /// `exp`: expiry, Unix seconds (a fractional NumericDate rounded down). A `VN1:`
    /// certificate is valid strictly before it, an `HC1:` one up to and including it (see the
    /// [`qr`](super) module docs).
    pub exp: i64,
    /// `nbf`: not before, Unix seconds (a fractional NumericDate rounded up).
    pub nbf: Option<i64>,
    /// The permit result (`VN1:`), when present.
    pub result: Option<PermitResult>,
}

/// The result a permit certificate vouches for (unknown JSON keys are an error, as for
/// [`Claims`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermitResult {
    /// Administrative procedure code (national procedure database), e.g. `1.009972`.
    pub procedure_code: String,
    /// Dossier (application) number.
    pub dossier_no: String,
    /// Result / decision number, e.g. `123/GPXD`.
    pub decision_no: String,
    /// Holder's name, UTF-8.
    pub holder_name: String,
    /// SHA-256 of the holder's ID number, lowercase hex (the number itself is not printed).
    pub holder_id_sha256: String,
    /// Name of the issuing body.
    pub issuer_name: String,
    /// Issue date, `YYYY-MM-DD`.
    pub issue_date: String,
    /// Last day of validity, `YYYY-MM-DD`, if limited.
    pub valid_until: Option<String>,
    /// SHA-256 of the signed PDF this certificate belongs to, lowercase hex.
    pub document_sha256: String,
    /// Optional lookup URL.
    pub url: Option<String>,
}

/// Why a NumericDate claim (RFC 8392 §2) could not be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub(crate) enum DateError {
    /// Neither an integer, a float nor tag 1 around one of them.
    #[error("claim {claim} is not a NumericDate (integer or float, optionally in tag 1)")]
    NotNumeric { claim: i64 },
    /// A tag other than 1 (epoch-based date/time).
    #[error("claim {claim} has CBOR tag {tag}, not 1 (epoch-based date/time)")]
    Tag { claim: i64, tag: u64 },
    /// NaN or an infinity.
    #[error("claim {claim} is not a finite number")]
    NotFinite { claim: i64 },
    /// Outside years 0001–9999, or beyond a 64-bit integer.
    #[error("claim {claim} ({value}) is out of range")]
    OutOfRange { claim: i64, value: String },
}

/// How a fractional NumericDate is rounded: never towards more validity.
#[derive(Clone, Copy, Debug)]
enum Round {
    /// `exp`: the earlier second.
    Down,
    /// `nbf`, `iat`: the later second.
    Up,
}

/// Earliest and latest float NumericDate accepted: 0001-01-01T00:00:00Z and
/// 9999-12-31T23:59:59Z, the range RFC 3339 can write.
const MIN_FLOAT_DATE: f64 = -62_135_596_800.0;
const MAX_FLOAT_DATE: f64 = 253_402_300_799.0;

/// A NumericDate (RFC 8392 §2): an integer, a float, or either in tag 1 (RFC 8949 §3.4.2).
fn numeric_date(claim: i64, value: &Value, round: Round) -> Result<i64, DateError> {
    let value = match value {
        Value::Tag(1, inner) => inner.as_ref(),
        Value::Tag(tag, _) => return Err(DateError::Tag { claim, tag: *tag }),
        other => other,
    };
    match value {
        Value::Integer(i) => i64::try_from(*i).map_err(|_| DateError::OutOfRange {
            claim,
            value: i128::from(*i).to_string(),
        }),
        Value::Float(f) if !f.is_finite() => Err(DateError::NotFinite { claim }),
        Value::Float(f) if !(MIN_FLOAT_DATE..=MAX_FLOAT_DATE).contains(f) => {
            Err(DateError::OutOfRange {
                claim,
                value: f.to_string(),
            })
        }
        // In range, so the rounded value fits an i64 exactly.
        #[allow(clippy::cast_possible_truncation)]
        Value::Float(f) => Ok(match round {
            Round::Down => f.floor(),
            Round::Up => f.ceil(),
        } as i64),
        _ => Err(DateError::NotNumeric { claim }),
    }
}

/// Parses the claims map; `hcert` receives claim -260 key 1 (the DCC payload, HCERT 1.3
/// §2.6.3) as JSON when present.
pub(crate) fn parse(payload: &[u8]) -> Result<(Claims, Option<serde_json::Value>), String> {
    super::codec::cbor_nesting(payload, super::codec::MAX_CBOR_DEPTH)
        .map_err(|e| format!("claims: {e}"))?;
    let value: Value =
        ciborium::de::from_reader_with_recursion_limit(payload, super::codec::MAX_CBOR_DEPTH)
            .map_err(|e| format!("claims: {e}"))?;
    let map = value.as_map().ok_or("claims are not a CBOR map")?;
    let get = |key: i64| entry(map, key);
    let date = |key: i64, round: Round| -> Result<Option<i64>, String> {
        get(key)
            .map(|v| numeric_date(key, v, round).map_err(|e| e.to_string()))
            .transpose()
    };
    let exp = date(4, Round::Down)?.ok_or("the exp claim (4) is missing")?;
    let claims = Claims {
        iss: get(1).and_then(Value::as_text).map(str::to_owned),
        iat: date(6, Round::Up)?,
        exp,
        nbf: date(5, Round::Up)?,
        result: get(RESULT_CLAIM).map(result).transpose()?,
    };
    let hcert = match get(HCERT_CLAIM) {
        None => None,
        Some(v) => {
            let map = v.as_map().ok_or("the hcert claim (-260) is not a map")?;
            let dcc = entry(map, 1).ok_or("the hcert claim (-260) has no key 1 (the DCC)")?;
            Some(cbor_to_json(dcc)?)
        }
    };
    Ok((claims, hcert))
}

/// The value under integer key `key` of a CBOR map.
fn entry(map: &[(Value, Value)], key: i64) -> Option<&Value> {
    map.iter()
        .find(|(k, _)| k.as_integer().and_then(|i| i64::try_from(i).ok()) == Some(key))
        .map(|(_, v)| v)
}

fn result(value: &Value) -> Result<PermitResult, String> {
    let map = value.as_map().ok_or("the result claim is not a map")?;
    let get = |key: i64| entry(map, key);
    let text = |key: i64| get(key).and_then(Value::as_text).map(str::to_owned);
    let required =
        |key: i64, name: &str| text(key).ok_or(format!("result field {name} ({key}) is missing"));
    let digest = |key: i64, name: &str| match get(key).and_then(Value::as_bytes) {
        Some(b) if b.len() == 32 => Ok(crate::pki::x509::hex(b)),
        _ => Err(format!(
            "result field {name} ({key}) is not a 32-byte SHA-256"
        )),
    };
    Ok(PermitResult {
        procedure_code: required(1, "procedure_code")?,
        dossier_no: required(2, "dossier_no")?,
        decision_no: required(3, "decision_no")?,
        holder_name: required(4, "holder_name")?,
        holder_id_sha256: digest(5, "holder_id_sha256")?,
        issuer_name: required(6, "issuer_name")?,
        issue_date: required(7, "issue_date")?,
        valid_until: text(8),
        document_sha256: digest(9, "document_sha256")?,
        url: text(10),
    })
}

/// CBOR to JSON for display (HCERT payloads are JSON-shaped); byte strings become hex.
fn cbor_to_json(value: &Value) -> Result<serde_json::Value, String> {
    fn go(v: &Value, depth: usize) -> Result<serde_json::Value, String> {
        if depth > 32 {
            return Err("hcert nesting deeper than 32".into());
        }
        Ok(match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Integer(i) => i64::try_from(*i)
                .map(Into::into)
                .unwrap_or(serde_json::Value::Null),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Text(t) => t.clone().into(),
            Value::Bytes(b) => crate::pki::x509::hex(b).into(),
            Value::Array(a) => a
                .iter()
                .map(|x| go(x, depth + 1))
                .collect::<Result<_, _>>()?,
            Value::Map(m) => {
                let mut o = serde_json::Map::new();
                for (k, x) in m {
                    let key = match k {
                        Value::Text(t) => t.clone(),
                        Value::Integer(i) => {
                            i64::try_from(*i).map_or_else(|_| "?".into(), |i| i.to_string())
                        }
                        _ => "?".into(),
                    };
                    o.insert(key, go(x, depth + 1)?);
                }
                serde_json::Value::Object(o)
            }
            Value::Tag(_, inner) => go(inner, depth + 1)?,
            _ => serde_json::Value::Null,
        })
    }
    go(value, 0)
}

/// Encodes claims as the CBOR claims map.
pub(crate) fn encode(claims: &Claims) -> Result<Vec<u8>, String> {
    let mut map: Vec<(Value, Value)> = Vec::new();
    let mut put = |k: i64, v: Value| map.push((Value::Integer(k.into()), v));
    if let Some(iss) = &claims.iss {
        put(1, Value::Text(iss.clone()));
    }
    put(4, Value::Integer(claims.exp.into()));
    if let Some(nbf) = claims.nbf {
        put(5, Value::Integer(nbf.into()));
    }
    if let Some(iat) = claims.iat {
        put(6, Value::Integer(iat.into()));
    }
    if let Some(r) = &claims.result {
        let hex32 = |h: &str, name: &str| {
            unhex(h)
                .filter(|b| b.len() == 32)
                .map(Value::Bytes)
                .ok_or(format!("{name} must be 64 hex digits"))
        };
        let mut m: Vec<(Value, Value)> = vec![
            (1.into(), Value::Text(r.procedure_code.clone())),
            (2.into(), Value::Text(r.dossier_no.clone())),
            (3.into(), Value::Text(r.decision_no.clone())),
            (4.into(), Value::Text(r.holder_name.clone())),
            (5.into(), hex32(&r.holder_id_sha256, "holder_id_sha256")?),
            (6.into(), Value::Text(r.issuer_name.clone())),
            (7.into(), Value::Text(r.issue_date.clone())),
        ];
        if let Some(v) = &r.valid_until {
            m.push((8.into(), Value::Text(v.clone())));
        }
        m.push((9.into(), hex32(&r.document_sha256, "document_sha256")?));
        if let Some(u) = &r.url {
            m.push((10.into(), Value::Text(u.clone())));
        }
        put(RESULT_CLAIM, Value::Map(m));
    }
    let mut out = Vec::new();
    ciborium::into_writer(&Value::Map(map), &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn unhex(h: &str) -> Option<Vec<u8>> {
    if !h.len().is_multiple_of(2) {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float(f: f64) -> Value {
        Value::Float(f)
    }

    #[test]
    fn numeric_dates_round_towards_less_validity() {
        // RFC 8392 §2: NumericDate may be a float; RFC 8949 §3.4.2: tag 1 wraps int or float.
        assert_eq!(
            numeric_date(4, &Value::Integer(7.into()), Round::Down),
            Ok(7)
        );
        assert_eq!(numeric_date(4, &float(7.9), Round::Down), Ok(7));
        assert_eq!(numeric_date(6, &float(7.1), Round::Up), Ok(8));
        assert_eq!(numeric_date(6, &float(7.0), Round::Up), Ok(7));
        assert_eq!(numeric_date(4, &float(-0.5), Round::Down), Ok(-1));
        let tagged = |v: Value| Value::Tag(1, Box::new(v));
        assert_eq!(
            numeric_date(4, &tagged(Value::Integer(9.into())), Round::Down),
            Ok(9)
        );
        assert_eq!(numeric_date(5, &tagged(float(9.5)), Round::Up), Ok(10));
    }

    #[test]
    fn numeric_dates_that_are_not_times_are_refused() {
        for (v, want) in [
            (float(f64::NAN), DateError::NotFinite { claim: 4 }),
            (float(f64::INFINITY), DateError::NotFinite { claim: 4 }),
            (float(-f64::INFINITY), DateError::NotFinite { claim: 4 }),
            (
                float(1e300),
                DateError::OutOfRange {
                    claim: 4,
                    value: 1e300.to_string(),
                },
            ),
            (
                Value::Text("1900000000".into()),
                DateError::NotNumeric { claim: 4 },
            ),
            (
                Value::Tag(0, Box::new(Value::Text("2030-01-01T00:00:00Z".into()))),
                DateError::Tag { claim: 4, tag: 0 },
            ),
            (
                Value::Tag(1, Box::new(Value::Text("x".into()))),
                DateError::NotNumeric { claim: 4 },
            ),
        ] {
            assert_eq!(numeric_date(4, &v, Round::Down), Err(want), "{v:?}");
        }
        let huge = Value::Integer(u64::MAX.into());
        assert!(matches!(
            numeric_date(4, &huge, Round::Down),
            Err(DateError::OutOfRange { .. })
        ));
        assert!(numeric_date(4, &float(MAX_FLOAT_DATE), Round::Down).is_ok());
        assert!(numeric_date(4, &float(MAX_FLOAT_DATE + 1.0), Round::Down).is_err());
    }
}
