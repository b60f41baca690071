//! Algorithm identifiers (RFC 5280 §4.1.1.2, RFC 5652 §10, RFC 4055, RFC 8419) mapped onto ring.
//!
//! Anything ring cannot verify, or that this crate does not accept, is [`AlgError::Unsupported`]
//! and becomes INDETERMINATE (CRYPTO_CONSTRAINTS_FAILURE) in a report, never PASSED.

use ring::{digest, signature};
use serde::Serialize;

use crate::pki::{
    der::{self, Reader, tag},
    oid,
};

/// A digest algorithm docseal can compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DigestAlgorithm {
    /// SHA-1: collisions are practical (SHAttered, 2017); accepted only as a legacy algorithm.
    Sha1,
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// SHA-384 (FIPS 180-4).
    Sha384,
    /// SHA-512 (FIPS 180-4).
    Sha512,
}

/// Why an algorithm or key could not be used, or a signature did not verify.
#[derive(Clone, Debug, thiserror::Error)]
pub(crate) enum AlgError {
    /// The algorithm, parameters or key size are outside what docseal verifies.
    #[error("{0} is not supported")]
    Unsupported(String),
    /// The key or parameters are not well-formed.
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The signature value does not verify under the key.
    #[error("the signature value does not verify under the public key")]
    BadSignature,
    /// The algorithm cannot have produced a signature with this kind of key.
    #[error("{0}")]
    KeyMismatch(String),
}

/// The smallest RSA modulus the legal profile accepts, and below which a key is kept only
/// for legacy documents (Circular 15/2025/TT-BKHCN Annex I; ETSI TS 119 312 §6.2).
pub(crate) const MIN_RSA_BITS: usize = 2048;

/// The smallest RSA modulus verified at all: 1024-bit keys signed many archived documents
/// before 2014; anything smaller is refused as unsupported.
const MIN_LEGACY_RSA_BITS: usize = 1024;

/// A signature scheme: how the signature value was produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    RsaPkcs1(DigestAlgorithm),
    /// RSASSA-PSS with MGF1 over the same hash, and this salt length in bytes.
    RsaPss(DigestAlgorithm, usize),
    Ecdsa(DigestAlgorithm),
    Ed25519,
}

/// The kind and size of a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa { bits: usize },
    EcP256,
    EcP384,
    Ed25519,
}

/// A public key ready for ring: its kind and the bytes ring expects.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PublicKey<'a> {
    pub(crate) kind: KeyKind,
    bytes: &'a [u8],
}

impl DigestAlgorithm {
    /// The digest named by an AlgorithmIdentifier OID.
    pub(crate) fn from_oid(oid: &[u8]) -> Result<Self, AlgError> {
        match oid {
            oid::SHA1 => Ok(Self::Sha1),
            oid::SHA256 => Ok(Self::Sha256),
            oid::SHA384 => Ok(Self::Sha384),
            oid::SHA512 => Ok(Self::Sha512),
            other => Err(AlgError::Unsupported(format!(
                "digest algorithm {}",
                oid::name(other)
            ))),
        }
    }

    /// ring's implementation.
    pub(crate) fn ring(self) -> &'static digest::Algorithm {
        match self {
            Self::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => &digest::SHA256,
            Self::Sha384 => &digest::SHA384,
            Self::Sha512 => &digest::SHA512,
        }
    }

    /// Display name, e.g. `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }

    /// True for algorithms kept only for legacy documents (SHA-1).
    pub fn is_weak(self) -> bool {
        matches!(self, Self::Sha1)
    }

    fn output_len(self) -> usize {
        self.ring().output_len()
    }
}

impl Scheme {
    /// The scheme named by a signature AlgorithmIdentifier (`params`: content of its parameters).
    ///
    /// `rsaEncryption` and `id-ecPublicKey` name only the key type (CMS allows this, RFC 5754
    /// §3); the hash then comes from the SignerInfo's `digestAlgorithm` (`digest_hint`).
    pub(crate) fn from_oid(
        oid: &[u8],
        params: Option<&[u8]>,
        digest_hint: Option<DigestAlgorithm>,
    ) -> Result<Self, AlgError> {
        let hinted = |make: fn(DigestAlgorithm) -> Self| {
            digest_hint.map(make).ok_or_else(|| {
                AlgError::Unsupported(format!("{} without a digest algorithm", oid::name(oid)))
            })
        };
        match oid {
            oid::RSA_ENCRYPTION => hinted(Self::RsaPkcs1),
            oid::EC_PUBLIC_KEY => hinted(Self::Ecdsa),
            oid::SHA1_WITH_RSA => Ok(Self::RsaPkcs1(DigestAlgorithm::Sha1)),
            oid::SHA256_WITH_RSA => Ok(Self::RsaPkcs1(DigestAlgorithm::Sha256)),
            oid::SHA384_WITH_RSA => Ok(Self::RsaPkcs1(DigestAlgorithm::Sha384)),
            oid::SHA512_WITH_RSA => Ok(Self::RsaPkcs1(DigestAlgorithm::Sha512)),
            oid::ECDSA_WITH_SHA1 => Ok(Self::Ecdsa(DigestAlgorithm::Sha1)),
            oid::ECDSA_WITH_SHA256 => Ok(Self::Ecdsa(DigestAlgorithm::Sha256)),
            oid::ECDSA_WITH_SHA384 => Ok(Self::Ecdsa(DigestAlgorithm::Sha384)),
            oid::ECDSA_WITH_SHA512 => Ok(Self::Ecdsa(DigestAlgorithm::Sha512)),
            oid::ED25519 => Ok(Self::Ed25519),
            oid::RSASSA_PSS => {
                pss_params(params.unwrap_or_default()).map(|(d, salt)| Self::RsaPss(d, salt))
            }
            other => Err(AlgError::Unsupported(format!(
                "signature algorithm {}",
                oid::name(other)
            ))),
        }
    }

    /// The hash the scheme applies (Ed25519 hashes internally with SHA-512).
    pub(crate) fn digest(self) -> DigestAlgorithm {
        match self {
            Self::RsaPkcs1(d) | Self::RsaPss(d, _) | Self::Ecdsa(d) => d,
            Self::Ed25519 => DigestAlgorithm::Sha512,
        }
    }

    /// Display name, e.g. `RSASSA-PSS with SHA-256`.
    pub(crate) fn name(self) -> String {
        match self {
            Self::RsaPkcs1(d) => format!("RSA PKCS#1 v1.5 with {}", d.name()),
            Self::RsaPss(d, _) => format!("RSASSA-PSS with {}", d.name()),
            Self::Ecdsa(d) => format!("ECDSA with {}", d.name()),
            Self::Ed25519 => "Ed25519".to_owned(),
        }
    }

    /// Verifies `signature` over `message` with `key`.
    pub(crate) fn verify(
        self,
        key: &PublicKey<'_>,
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), AlgError> {
        use DigestAlgorithm::{Sha1, Sha256, Sha384, Sha512};
        let family_matches = matches!(
            (self, key.kind),
            (Self::RsaPkcs1(_) | Self::RsaPss(..), KeyKind::Rsa { .. })
                | (Self::Ecdsa(_), KeyKind::EcP256 | KeyKind::EcP384)
                | (Self::Ed25519, KeyKind::Ed25519)
        );
        if !family_matches {
            return Err(AlgError::KeyMismatch(format!(
                "{} cannot be made with a {} key",
                self.name(),
                key.kind.name()
            )));
        }
        if let KeyKind::Rsa { bits } = key.kind
            && !(MIN_LEGACY_RSA_BITS..=8192).contains(&bits)
        {
            return Err(AlgError::Unsupported(format!("an RSA key of {bits} bits")));
        }
        // Keys of 1024 to 2047 bits are verified (old archives hold many; whether such a
        // key is acceptable is the caller's policy, see `MIN_RSA_BITS`) with ring's legacy
        // algorithms, or the PSS code below, which works for any modulus size.
        let legacy = matches!(key.kind, KeyKind::Rsa { bits } if bits < MIN_RSA_BITS);
        let alg: &'static dyn signature::VerificationAlgorithm = match (self, key.kind) {
            (Self::RsaPkcs1(Sha1), _) if legacy => {
                &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY
            }
            (Self::RsaPkcs1(Sha256), _) if legacy => {
                &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
            }
            (Self::RsaPkcs1(Sha512), _) if legacy => {
                &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY
            }
            (Self::RsaPss(d, salt), _) if legacy => {
                return pss::verify(d, salt, key.bytes, message, sig);
            }
            (Self::RsaPkcs1(Sha384), _) if legacy => {
                return Err(AlgError::Unsupported(
                    "RSA PKCS#1 v1.5 with SHA-384 and a key below 2048 bits".to_owned(),
                ));
            }
            (Self::RsaPkcs1(Sha1), _) => &signature::RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            (Self::RsaPkcs1(Sha256), _) => &signature::RSA_PKCS1_2048_8192_SHA256,
            (Self::RsaPkcs1(Sha384), _) => &signature::RSA_PKCS1_2048_8192_SHA384,
            (Self::RsaPkcs1(Sha512), _) => &signature::RSA_PKCS1_2048_8192_SHA512,
            // ring verifies PSS only with the salt as long as the hash (RFC 8017's
            // recommendation); signers such as pyHanko and Python's cryptography use the
            // maximum salt, which RFC 4055 allows: those go through `pss::verify`.
            (Self::RsaPss(d, salt), _) if salt != d.output_len() => {
                return pss::verify(d, salt, key.bytes, message, sig);
            }
            (Self::RsaPss(Sha256, _), _) => &signature::RSA_PSS_2048_8192_SHA256,
            (Self::RsaPss(Sha384, _), _) => &signature::RSA_PSS_2048_8192_SHA384,
            (Self::RsaPss(Sha512, _), _) => &signature::RSA_PSS_2048_8192_SHA512,
            (Self::Ecdsa(Sha256), KeyKind::EcP256) => &signature::ECDSA_P256_SHA256_ASN1,
            (Self::Ecdsa(Sha384), KeyKind::EcP256) => &signature::ECDSA_P256_SHA384_ASN1,
            (Self::Ecdsa(Sha256), KeyKind::EcP384) => &signature::ECDSA_P384_SHA256_ASN1,
            (Self::Ecdsa(Sha384), KeyKind::EcP384) => &signature::ECDSA_P384_SHA384_ASN1,
            (Self::Ed25519, _) => &signature::ED25519,
            (scheme, kind) => {
                return Err(AlgError::Unsupported(format!(
                    "{} with a {} key",
                    scheme.name(),
                    kind.name()
                )));
            }
        };
        signature::UnparsedPublicKey::new(alg, key.bytes)
            .verify(message, sig)
            .map_err(|_| AlgError::BadSignature)
    }
}

impl KeyKind {
    /// Display name, e.g. `RSA 2048` or `ECDSA P-256`.
    pub(crate) fn name(self) -> String {
        match self {
            Self::Rsa { bits } => format!("RSA {bits}"),
            Self::EcP256 => "ECDSA P-256".to_owned(),
            Self::EcP384 => "ECDSA P-384".to_owned(),
            Self::Ed25519 => "Ed25519".to_owned(),
        }
    }
}

impl<'a> PublicKey<'a> {
    /// A key from SubjectPublicKeyInfo parts: algorithm OID, parameters content, key bits.
    pub(crate) fn from_spki(
        alg: &[u8],
        params: Option<&[u8]>,
        bits: &'a [u8],
    ) -> Result<Self, AlgError> {
        let kind = match alg {
            oid::RSA_ENCRYPTION => KeyKind::Rsa {
                bits: rsa_modulus_bits(bits)?,
            },
            oid::EC_PUBLIC_KEY => match params {
                Some(oid::P256) => KeyKind::EcP256,
                Some(oid::P384) => KeyKind::EcP384,
                Some(curve) => {
                    return Err(AlgError::Unsupported(format!(
                        "elliptic curve {}",
                        oid::name(curve)
                    )));
                }
                None => return Err(AlgError::Malformed("EC key without a named curve")),
            },
            oid::ED25519 => KeyKind::Ed25519,
            other => {
                return Err(AlgError::Unsupported(format!(
                    "public key algorithm {}",
                    oid::name(other)
                )));
            }
        };
        Ok(Self { kind, bytes: bits })
    }
}

/// Bit length of an RSAPublicKey's modulus (RFC 8017 §A.1.1).
fn rsa_modulus_bits(key: &[u8]) -> Result<usize, AlgError> {
    let (n, _) = rsa_components(key)?;
    let first = n.first().ok_or(AlgError::Malformed("RSA public key"))?;
    Ok((n.len() - 1) * 8 + (8 - first.leading_zeros() as usize))
}

/// Modulus and public exponent of an RSAPublicKey, without leading zero octets.
fn rsa_components(key: &[u8]) -> Result<(&[u8], &[u8]), AlgError> {
    let malformed = |_: der::DerError| AlgError::Malformed("RSA public key");
    let seq = Reader::new(key, 0, 4)
        .expect(tag::SEQUENCE, "RSAPublicKey")
        .map_err(malformed)?;
    let mut r = seq.reader();
    let n = r.expect(tag::INTEGER, "modulus").map_err(malformed)?;
    let e = r
        .expect(tag::INTEGER, "publicExponent")
        .map_err(malformed)?;
    let trim = |v: &[u8]| -> usize { v.iter().take_while(|b| **b == 0).count() };
    Ok((&n.content[trim(n.content)..], &e.content[trim(e.content)..]))
}

/// RSASSA-PSS-params (RFC 4055 §3.1), accepted only in the form ring verifies: MGF1 with the
/// same hash, salt length equal to the hash length, trailer field 1.
fn pss_params(content: &[u8]) -> Result<(DigestAlgorithm, usize), AlgError> {
    let malformed = |_: der::DerError| AlgError::Malformed("RSASSA-PSS parameters");
    let mut r = Reader::new(content, 0, 8);
    let hash = match r.optional(tag::CTX0).map_err(malformed)? {
        Some(h) => alg_oid(&h.reader().any().map_err(malformed)?).map_err(malformed)?,
        None => oid::SHA1,
    };
    let digest = DigestAlgorithm::from_oid(hash)?;
    let mgf_hash = match r.optional(tag::CTX1).map_err(malformed)? {
        Some(m) => {
            let mgf = m.reader().expect(tag::SEQUENCE, "MGF").map_err(malformed)?;
            let mut mr = mgf.reader();
            let mgf_oid = mr.expect(tag::OID, "MGF oid").map_err(malformed)?;
            if mgf_oid.content != oid::MGF1 {
                return Err(AlgError::Unsupported(format!(
                    "mask generation function {}",
                    oid::name(mgf_oid.content)
                )));
            }
            alg_oid(&mr.any().map_err(malformed)?).map_err(malformed)?
        }
        None => oid::SHA1,
    };
    let salt = match r.optional(tag::CTX2).map_err(malformed)? {
        Some(s) => s.reader().any().map_err(malformed)?.small_uint(),
        None => Some(20),
    };
    let trailer = match r.optional(0xA3).map_err(malformed)? {
        Some(t) => t.reader().any().map_err(malformed)?.small_uint(),
        None => Some(1),
    };
    let salt = salt
        .and_then(|s| usize::try_from(s).ok())
        .ok_or(AlgError::Malformed("RSASSA-PSS salt length"))?;
    if DigestAlgorithm::from_oid(mgf_hash)? != digest || trailer != Some(1) || digest.is_weak() {
        return Err(AlgError::Unsupported(format!(
            "RSASSA-PSS with {} other than with MGF1-{0} and trailer 1",
            digest.name()
        )));
    }
    Ok((digest, salt))
}

/// The OID of an AlgorithmIdentifier SEQUENCE.
pub(crate) fn alg_oid<'a>(alg: &der::Tlv<'a>) -> Result<&'a [u8], der::DerError> {
    if alg.tag != tag::SEQUENCE {
        return Err(alg.error("expected AlgorithmIdentifier"));
    }
    Ok(alg.reader().expect(tag::OID, "algorithm OID")?.content)
}

/// RSASSA-PSS verification for salt lengths ring does not accept (RFC 8017 §8.1.2, §9.1.2).
///
/// Only public values are involved (key, signature, message), so big-integer arithmetic that
/// is not constant-time is fine here; every hash is ring's.
mod pss {
    use num_bigint::BigUint;
    use ring::digest;

    use super::{AlgError, DigestAlgorithm, rsa_components};

    pub(super) fn verify(
        alg: DigestAlgorithm,
        salt_len: usize,
        key: &[u8],
        message: &[u8],
        sig: &[u8],
    ) -> Result<(), AlgError> {
        let (n, e) = rsa_components(key)?;
        let bad = Err(AlgError::BadSignature);
        // RSAVP1 (§5.2.2): s < n, m = s^e mod n.
        if sig.len() != n.len() {
            return bad;
        }
        let (n, s) = (BigUint::from_bytes_be(n), BigUint::from_bytes_be(sig));
        if s >= n || e.last().is_none_or(|b| b & 1 == 0) {
            return bad;
        }
        let m = s.modpow(&BigUint::from_bytes_be(e), &n);
        let mod_bits = usize::try_from(n.bits()).map_err(|_| AlgError::Malformed("RSA key"))?;
        let em_bits = mod_bits - 1;
        let em_len = em_bits.div_ceil(8);
        let m = m.to_bytes_be();
        if m.len() > em_len {
            return bad;
        }
        let mut em = vec![0u8; em_len - m.len()];
        em.extend_from_slice(&m);
        // EMSA-PSS-VERIFY (§9.1.2).
        let h_len = alg.output_len();
        if em_len < h_len + salt_len + 2 || em.last() != Some(&0xBC) {
            return bad;
        }
        let (masked_db, rest) = em.split_at(em_len - h_len - 1);
        let h = &rest[..h_len];
        let top_bits = 8 * em_len - em_bits;
        let top_mask = 0xFFu8
            .checked_shr(u32::try_from(top_bits).unwrap_or(8))
            .unwrap_or(0);
        if masked_db[0] & !top_mask != 0 {
            return bad;
        }
        let mut db = mgf1(alg, h, masked_db.len());
        db.iter_mut().zip(masked_db).for_each(|(d, m)| *d ^= m);
        db[0] &= top_mask;
        let ps_len = em_len - h_len - salt_len - 2;
        if db[..ps_len].iter().any(|b| *b != 0) || db[ps_len] != 0x01 {
            return bad;
        }
        let salt = &db[ps_len + 1..];
        let m_hash = digest::digest(alg.ring(), message);
        let mut ctx = digest::Context::new(alg.ring());
        ctx.update(&[0u8; 8]);
        ctx.update(m_hash.as_ref());
        ctx.update(salt);
        if ctx.finish().as_ref() == h {
            Ok(())
        } else {
            bad
        }
    }

    /// MGF1 (§B.2.1).
    fn mgf1(alg: DigestAlgorithm, seed: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + alg.output_len());
        let mut counter = 0u32;
        while out.len() < len {
            let mut ctx = digest::Context::new(alg.ring());
            ctx.update(seed);
            ctx.update(&counter.to_be_bytes());
            out.extend_from_slice(ctx.finish().as_ref());
            counter += 1;
        }
        out.truncate(len);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rsa_encryption_takes_the_digest_hint() {
        assert_eq!(
            Scheme::from_oid(oid::RSA_ENCRYPTION, None, Some(DigestAlgorithm::Sha384)).unwrap(),
            Scheme::RsaPkcs1(DigestAlgorithm::Sha384)
        );
        assert!(matches!(
            Scheme::from_oid(oid::RSA_ENCRYPTION, None, None),
            Err(AlgError::Unsupported(_))
        ));
    }

    #[test]
    fn unsupported_digests_and_pss_defaults() {
        assert!(matches!(
            DigestAlgorithm::from_oid(oid::SHA3_256),
            Err(AlgError::Unsupported(_))
        ));
        // Empty PSS parameters mean SHA-1 / MGF1-SHA-1 / salt 20: weak, refused.
        assert!(matches!(
            Scheme::from_oid(oid::RSASSA_PSS, Some(&[]), None),
            Err(AlgError::Unsupported(_))
        ));
    }

    /// The num-bigint RSASSA-PSS code against Wycheproof's groups whose salt is as long as the
    /// hash, which `Scheme::verify` hands to ring: there the hand-written code meets both
    /// Wycheproof's verdict and ring's on every vector (tests/it/wycheproof.rs runs it on the
    /// salt lengths only it takes).
    #[test]
    fn pss_bigint_agrees_with_ring_and_wycheproof() {
        use wycheproof::{TestResult, rsa_pss_verify as wp};
        let mut checked = 0;
        for name in [
            wp::TestName::RsaPss2048Sha256Mgf1SaltLen32,
            wp::TestName::RsaPss2048Sha384Mgf1SaltLen48,
            wp::TestName::RsaPss3072Sha256Mgf1SaltLen32,
            wp::TestName::RsaPss4096Sha256Mgf1SaltLen32,
            wp::TestName::RsaPss4096Sha384Mgf1SaltLen48,
            wp::TestName::RsaPss4096Sha512Mgf1SaltLen64,
        ] {
            for group in wp::TestSet::load(name).unwrap().test_groups {
                let digest = match group.hash {
                    wycheproof::HashFunction::Sha2_256 => DigestAlgorithm::Sha256,
                    wycheproof::HashFunction::Sha2_384 => DigestAlgorithm::Sha384,
                    _ => DigestAlgorithm::Sha512,
                };
                assert_eq!(group.salt_size, digest.output_len(), "{name:?}");
                let key = PublicKey::from_spki(oid::RSA_ENCRYPTION, None, &group.asn_key).unwrap();
                for t in &group.tests {
                    let bigint =
                        pss::verify(digest, group.salt_size, &group.asn_key, &t.msg, &t.sig);
                    let ring = Scheme::RsaPss(digest, group.salt_size).verify(&key, &t.msg, &t.sig);
                    let id = format!("{name:?} tcId {}", t.tc_id);
                    assert_eq!(
                        bigint.is_ok(),
                        ring.is_ok(),
                        "{id}: num-bigint {bigint:?}, ring {ring:?}"
                    );
                    assert_eq!(
                        bigint.is_ok(),
                        t.result == TestResult::Valid,
                        "{id}: {bigint:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 600, "{checked} vectors");
    }

    #[test]
    fn small_rsa_keys_are_unsupported_not_bad() {
        // RSAPublicKey with a modulus of `bits` bits.
        let key = |bits: usize| {
            let len = bits / 8;
            let mut key = vec![0x30, 0x82, 0, 0, 0x02, 0x82];
            key.extend(u16::try_from(len + 1).unwrap().to_be_bytes());
            key.extend([0x00, 0xC0]);
            key.extend(std::iter::repeat_n(0x11, len - 1));
            key.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
            let body = u16::try_from(key.len() - 4).unwrap().to_be_bytes();
            key[2..4].copy_from_slice(&body);
            key
        };
        let small = key(768);
        let pk = PublicKey::from_spki(oid::RSA_ENCRYPTION, None, &small).unwrap();
        assert_eq!(pk.kind, KeyKind::Rsa { bits: 768 });
        assert!(matches!(
            Scheme::RsaPkcs1(DigestAlgorithm::Sha256).verify(&pk, b"m", b"s"),
            Err(AlgError::Unsupported(_))
        ));
        // 1024 bits is verified (legacy): a wrong value is a bad signature, not unsupported.
        let legacy = key(1024);
        let pk = PublicKey::from_spki(oid::RSA_ENCRYPTION, None, &legacy).unwrap();
        assert_eq!(pk.kind, KeyKind::Rsa { bits: 1024 });
        for scheme in [
            Scheme::RsaPkcs1(DigestAlgorithm::Sha256),
            Scheme::RsaPss(DigestAlgorithm::Sha256, 32),
        ] {
            assert!(matches!(
                scheme.verify(&pk, b"m", &[0x01; 128]),
                Err(AlgError::BadSignature)
            ));
        }
    }
}
