//! Wycheproof's RSA-PSS, RSA PKCS#1 v1.5 and ECDSA verification vectors (issue 12 §4), run
//! through `docseal::fuzzing::verify_signature`: the `Scheme::from_oid` → `PublicKey::from_spki`
//! → `Scheme::verify` path a CMS SignerInfo takes, ring's code and the num-bigint RSASSA-PSS
//! code for salt lengths ring does not take alike.
//!
//! Each vector's key is the group's DER SubjectPublicKeyInfo as Wycheproof gives it; the
//! signature AlgorithmIdentifier is built here as a CMS signer would write it (RSASSA-PSS-params
//! with the group's hash, MGF1 hash and salt length; `sha256WithRSAEncryption`;
//! `ecdsa-with-SHA256`; DER ECDSA signatures). A vector is
//! - *accepted* when the signature verifies,
//! - *rejected* when docseal says it does not (SIG_CRYPTO_FAILURE, or FORMAT_FAILURE),
//! - *unsupported* when docseal refuses the algorithm or key by policy
//!   (CRYPTO_CONSTRAINTS_FAILURE: SHA-1 / SHA-224 / SHA-512/t / SHA-3 / SHAKE, MGF1 over another
//!   hash, RSA outside 2048..=8192 bits, curves other than P-256 and P-384, ECDSA with a hash
//!   ring does not pair with the curve, an `id-RSASSA-PSS` SubjectPublicKeyInfo).
//!
//! The test fails when a `valid` vector is not accepted, an `invalid` one is accepted, or
//! docseal's support differs from `supported` (the policy, written out in each test): a group is
//! either wholly verified or wholly unsupported, so a refused algorithm cannot hide a result.
//!
//! `acceptable` vectors, and what docseal does with them (pinned by [`ACCEPTABLE`]; one not
//! listed there fails the test):
//!
//! | family | flag | vectors | docseal | why |
//! |---|---|---|---|---|
//! | RSA PKCS#1 v1.5 | `MissingNull` | 24, one a file | rejected (12, in the SHA-256/384/512 files); unsupported (12, SHA-224, SHA-512/t and SHA-3 files) | ring encodes the DigestInfo with NULL hash parameters and compares it whole (RFC 8017 §8.2.2 steps 3-4): a DigestInfo without the NULL is a legacy encoding, refused as a bad signature |
//! | RSA-PSS, ECDSA | none | 0 | | the files of the pinned `wycheproof` have no acceptable vector |
//!
//! Numbers (wycheproof 0.7.0; `cargo test --test it wycheproof -- --nocapture` prints them):
//! - RSA-PSS: 722 valid accepted, 361 invalid rejected, 2,414 unsupported; of these, the
//!   num-bigint path (salt length other than the hash length: 0 with SHA-256, 32 with SHA-512,
//!   15 combinations in `rsa_pss_misc`) 208 valid accepted, 87 invalid rejected.
//! - RSA PKCS#1 v1.5: 89 valid accepted, 3,005 invalid rejected, 12 `MissingNull` rejected,
//!   3,096 unsupported (12 of them `MissingNull`).
//! - ECDSA P-256/P-384 DER: 530 valid accepted, 930 invalid rejected, 4,184 unsupported.
//!
//! The `…WithParams` PSS files carry the vectors of their twins (where one exists) under an
//! `id-RSASSA-PSS` key (RFC 4055 §1.2), which `PublicKey::from_spki` does not read: they count
//! as unsupported, and the twins under an `rsaEncryption` key are what verifies.

use std::collections::BTreeMap;

use ::wycheproof::{
    HashFunction, Mgf, TestResult, ecdsa, rsa_pkcs1_verify as pkcs1, rsa_pss_verify as pss,
};
use docseal::{fuzzing::verify_signature, report::SubIndication};

/// What docseal did with one vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Accepted,
    Rejected,
    Unsupported,
}

/// What docseal does with each flag of `acceptable` vectors in groups it verifies.
const ACCEPTABLE: &[(&str, Outcome)] = &[("MissingNull", Outcome::Rejected)];

/// A group's vectors as `(tcId, flags, result, message, signature)`, whatever the family's
/// test type (the three families' test structs share these fields but no trait).
macro_rules! vectors {
    ($group:expr) => {
        $group
            .tests
            .iter()
            .map(|t| (t.tc_id, flags(&t.flags), t.result, &t.msg[..], &t.sig[..]))
    };
}

/// Counts for one file or one family.
#[derive(Default)]
struct Tally {
    valid_accepted: usize,
    invalid_rejected: usize,
    /// Acceptable vectors by flag list and outcome.
    acceptable: BTreeMap<(String, Outcome), usize>,
    /// Refused by policy, by expected result: valid, invalid, acceptable.
    unsupported: [usize; 3],
    failures: Vec<String>,
    /// One line a file, printed with the family line.
    lines: Vec<String>,
}

impl Tally {
    /// Verifies one group's vectors `(tcId, flags, result, message, signature)` through
    /// docseal with the group's key and `(SubjectPublicKeyInfo, AlgorithmIdentifier)`.
    fn run<'t>(
        &mut self,
        file: &str,
        supported: bool,
        (spki, alg): (&[u8], &[u8]),
        vectors: impl Iterator<Item = (usize, String, TestResult, &'t [u8], &'t [u8])>,
    ) {
        for (tc, flags, result, msg, sig) in vectors {
            let got = verify_signature(spki, alg, msg, sig);
            self.record(file, supported, tc, flags, result, got);
        }
    }

    /// Records one vector of a group docseal is (`supported`) or is not meant to verify.
    fn record(
        &mut self,
        file: &str,
        supported: bool,
        tc: usize,
        flags: String,
        result: TestResult,
        got: Result<(), (SubIndication, String)>,
    ) {
        let outcome = match &got {
            Ok(()) => Outcome::Accepted,
            Err((SubIndication::CryptoConstraintsFailure, _)) => Outcome::Unsupported,
            Err(_) => Outcome::Rejected,
        };
        let why = got
            .err()
            .map(|(s, m)| format!("{s:?}: {m}"))
            .unwrap_or_default();
        let mut fail = |what: &str| {
            self.failures.push(format!(
                "{file} tcId {tc} ({result:?}, {flags}): {what} {why}"
            ));
        };
        if outcome == Outcome::Unsupported {
            self.unsupported[match result {
                TestResult::Valid => 0,
                TestResult::Invalid => 1,
                TestResult::Acceptable => 2,
            }] += 1;
            if supported {
                fail("refused as unsupported in a group docseal verifies:");
            }
            return;
        }
        if !supported {
            fail("verified in a group docseal refuses by policy:");
        }
        match (result, outcome) {
            (TestResult::Valid, Outcome::Accepted) => self.valid_accepted += 1,
            (TestResult::Invalid, Outcome::Rejected) => self.invalid_rejected += 1,
            (TestResult::Valid, _) => fail("valid vector rejected:"),
            (TestResult::Invalid, _) => fail("invalid vector ACCEPTED"),
            (TestResult::Acceptable, o) => {
                if !ACCEPTABLE.contains(&(flags.as_str(), o)) {
                    fail(&format!("acceptable vector {o:?}, not as ACCEPTABLE says:"));
                }
                *self.acceptable.entry((flags, o)).or_default() += 1;
            }
        }
    }

    fn add(&mut self, other: &Tally) {
        self.valid_accepted += other.valid_accepted;
        self.invalid_rejected += other.invalid_rejected;
        for (sum, n) in self.unsupported.iter_mut().zip(other.unsupported) {
            *sum += n;
        }
        for (k, n) in &other.acceptable {
            *self.acceptable.entry(k.clone()).or_default() += n;
        }
        self.failures.extend(other.failures.iter().cloned());
        self.lines.extend(other.lines.iter().cloned());
    }

    /// Adds a file's counts, keeping its own line.
    fn add_file(&mut self, file: impl std::fmt::Debug, tally: &Tally) {
        self.add(tally);
        self.lines.push(format!("  {file:?}: {}", tally.line()));
    }

    fn line(&self) -> String {
        let acceptable: Vec<String> = self
            .acceptable
            .iter()
            .map(|((flags, o), n)| format!("{n} {flags} {o:?}"))
            .collect();
        let [v, i, a] = self.unsupported;
        format!(
            "valid accepted {}, invalid rejected {}, acceptable [{}], unsupported {} \
             ({v} valid, {i} invalid, {a} acceptable)",
            self.valid_accepted,
            self.invalid_rejected,
            acceptable.join("; "),
            v + i + a
        )
    }

    /// Prints the file lines and the family line (in one write: tests run in parallel), and
    /// fails on any disagreement.
    fn finish(self, family: &str) {
        eprintln!(
            "{}\nwycheproof {family}: {}",
            self.lines.join("\n"),
            self.line()
        );
        assert!(
            self.valid_accepted > 0 && self.invalid_rejected > 0,
            "{family}: nothing verified"
        );
        assert!(
            self.failures.is_empty(),
            "{family}: {} vectors disagree:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

#[test]
fn rsa_pss() {
    let mut family = Tally::default();
    // Groups whose salt length ring does not take: sigalg.rs's num-bigint `pss::verify`.
    let mut bigint = Tally::default();
    for name in pss::TestName::all() {
        let set = pss::TestSet::load(name).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let mut tally = Tally::default();
        for group in &set.test_groups {
            let mut group_tally = Tally::default();
            let alg = pss_algorithm(group);
            // An `id-RSASSA-PSS` SubjectPublicKeyInfo (the `…WithParams` files) is refused by
            // `PublicKey::from_spki`: docseal reads RSA keys only as `rsaEncryption`.
            let supported = group.test_type == pss::TestGroupTypeId::RsaPssVerify
                && group.mgf == Mgf::Mgf1
                && group.mgf_hash == Some(group.hash)
                && supported_hash(group.hash)
                && (2048..=8192).contains(&group.key_size);
            group_tally.run(
                &format!("{name:?}"),
                supported,
                (&group.der, &alg),
                vectors!(group),
            );
            if supported && Some(group.salt_size) != hash_len(group.hash) {
                bigint.add(&group_tally);
            }
            tally.add(&group_tally);
        }
        family.add_file(name, &tally);
    }
    family.lines.push(format!(
        "RSA-PSS groups through num-bigint (salt length other than the hash length): {}",
        bigint.line()
    ));
    assert!(
        bigint.valid_accepted > 0 && bigint.invalid_rejected > 0,
        "the num-bigint path ran"
    );
    family.finish("RSA-PSS");
}

#[test]
fn rsa_pkcs1() {
    let mut family = Tally::default();
    for name in pkcs1::TestName::all() {
        let set = pkcs1::TestSet::load(name).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let mut tally = Tally::default();
        for group in &set.test_groups {
            let alg = algorithm_identifier(&oid(pkcs1_oid(group.hash)), Some(&NULL));
            let supported = (supported_hash(group.hash) || group.hash == HashFunction::Sha1)
                && (2048..=8192).contains(&group.key_size);
            tally.run(
                &format!("{name:?}"),
                supported,
                (&group.der, &alg),
                vectors!(group),
            );
        }
        family.add_file(name, &tally);
    }
    family.finish("RSA PKCS#1 v1.5");
}

#[test]
fn ecdsa_p256_p384_der() {
    use ::wycheproof::EllipticCurve::{Secp256r1, Secp384r1};
    let mut family = Tally::default();
    let der_nist = |n: &ecdsa::TestName| {
        let n = format!("{n:?}");
        (n.starts_with("EcdsaSecp256r1") || n.starts_with("EcdsaSecp384r1"))
            && !n.ends_with("P1363")
    };
    for name in ecdsa::TestName::all().into_iter().filter(der_nist) {
        let set = ecdsa::TestSet::load(name).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        let mut tally = Tally::default();
        for group in &set.test_groups {
            assert_eq!(
                group.test_type,
                ecdsa::TestGroupTypeId::Ecdsa,
                "{name:?}: DER signatures"
            );
            // ring pairs P-256 and P-384 with SHA-256 and SHA-384 only.
            let supported = matches!(group.key.curve, Secp256r1 | Secp384r1)
                && matches!(group.hash, HashFunction::Sha2_256 | HashFunction::Sha2_384);
            // ecdsa-with-SHA* carry no parameters (RFC 5758 §3.2).
            let alg = algorithm_identifier(&oid(ecdsa_oid(group.hash)), None);
            tally.run(
                &format!("{name:?}"),
                supported,
                (&group.der, &alg),
                vectors!(group),
            );
        }
        family.add_file(name, &tally);
    }
    family.finish("ECDSA P-256/P-384 DER");
}

/// Hashes docseal verifies signatures with (besides SHA-1 for legacy PKCS#1 v1.5).
fn supported_hash(hash: HashFunction) -> bool {
    matches!(
        hash,
        HashFunction::Sha2_256 | HashFunction::Sha2_384 | HashFunction::Sha2_512
    )
}

/// Output length of the SHA-2 hashes docseal verifies with.
fn hash_len(hash: HashFunction) -> Option<usize> {
    match hash {
        HashFunction::Sha2_256 => Some(32),
        HashFunction::Sha2_384 => Some(48),
        HashFunction::Sha2_512 => Some(64),
        _ => None,
    }
}

fn flags<T: std::fmt::Debug>(flags: &[T]) -> String {
    let names: Vec<String> = flags.iter().map(|f| format!("{f:?}")).collect();
    names.join("+")
}

/// The signature AlgorithmIdentifier a CMS signer writes for a PSS group: `id-RSASSA-PSS` with
/// RSASSA-PSS-params (RFC 4055 §3.1; DER leaves out SHA-1, MGF1-SHA-1, salt 20 and trailer 1,
/// the defaults), or `id-RSASSA-PSS-SHAKE128/256` without parameters (RFC 8702 §3.2.1).
fn pss_algorithm(group: &pss::TestGroup) -> Vec<u8> {
    match group.mgf {
        Mgf::Shake128 => return algorithm_identifier(&oid("1.3.6.1.5.5.7.6.30"), None),
        Mgf::Shake256 => return algorithm_identifier(&oid("1.3.6.1.5.5.7.6.31"), None),
        Mgf::Mgf1 => {}
    }
    let hash_alg = |h: HashFunction| algorithm_identifier(&oid(digest_oid(h)), Some(&NULL));
    let mut params = Vec::new();
    if group.hash != HashFunction::Sha1 {
        params.extend(tlv(0xA0, &hash_alg(group.hash)));
    }
    let mgf_hash = group.mgf_hash.unwrap_or(group.hash);
    if mgf_hash != HashFunction::Sha1 {
        let mgf = algorithm_identifier(&oid(MGF1), Some(&hash_alg(mgf_hash)));
        params.extend(tlv(0xA1, &mgf));
    }
    if group.salt_size != 20 {
        params.extend(tlv(0xA2, &integer(group.salt_size)));
    }
    algorithm_identifier(&oid(RSASSA_PSS), Some(&tlv(0x30, &params)))
}

const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const MGF1: &str = "1.2.840.113549.1.1.8";
const NULL: [u8; 2] = [0x05, 0x00];

fn digest_oid(hash: HashFunction) -> &'static str {
    use HashFunction::*;
    match hash {
        Sha1 => "1.3.14.3.2.26",
        Sha2_224 => "2.16.840.1.101.3.4.2.4",
        Sha2_256 => "2.16.840.1.101.3.4.2.1",
        Sha2_384 => "2.16.840.1.101.3.4.2.2",
        Sha2_512 => "2.16.840.1.101.3.4.2.3",
        Sha2_512_224 => "2.16.840.1.101.3.4.2.5",
        Sha2_512_256 => "2.16.840.1.101.3.4.2.6",
        Sha3_224 => "2.16.840.1.101.3.4.2.7",
        Sha3_256 => "2.16.840.1.101.3.4.2.8",
        Sha3_384 => "2.16.840.1.101.3.4.2.9",
        Sha3_512 => "2.16.840.1.101.3.4.2.10",
        Shake128 => "2.16.840.1.101.3.4.2.11",
        Shake256 => "2.16.840.1.101.3.4.2.12",
    }
}

/// `sha*WithRSAEncryption` (RFC 8017 §A.2.4) and `id-rsassa-pkcs1-v1_5-with-sha3-*` (NIST CSOR).
fn pkcs1_oid(hash: HashFunction) -> &'static str {
    use HashFunction::*;
    match hash {
        Sha1 => "1.2.840.113549.1.1.5",
        Sha2_224 => "1.2.840.113549.1.1.14",
        Sha2_256 => "1.2.840.113549.1.1.11",
        Sha2_384 => "1.2.840.113549.1.1.12",
        Sha2_512 => "1.2.840.113549.1.1.13",
        Sha2_512_224 => "1.2.840.113549.1.1.15",
        Sha2_512_256 => "1.2.840.113549.1.1.16",
        Sha3_224 => "2.16.840.1.101.3.4.3.13",
        Sha3_256 => "2.16.840.1.101.3.4.3.14",
        Sha3_384 => "2.16.840.1.101.3.4.3.15",
        Sha3_512 => "2.16.840.1.101.3.4.3.16",
        Shake128 | Shake256 => panic!("no PKCS#1 v1.5 signature algorithm with {hash:?}"),
    }
}

/// `ecdsa-with-SHA*` (RFC 5758 §3.2), `id-ecdsa-with-sha3-*` (NIST CSOR), `id-ecdsa-with-shake*`
/// (RFC 8692 §3).
fn ecdsa_oid(hash: HashFunction) -> &'static str {
    use HashFunction::*;
    match hash {
        Sha1 => "1.2.840.10045.4.1",
        Sha2_224 => "1.2.840.10045.4.3.1",
        Sha2_256 => "1.2.840.10045.4.3.2",
        Sha2_384 => "1.2.840.10045.4.3.3",
        Sha2_512 => "1.2.840.10045.4.3.4",
        Sha3_224 => "2.16.840.1.101.3.4.3.9",
        Sha3_256 => "2.16.840.1.101.3.4.3.10",
        Sha3_384 => "2.16.840.1.101.3.4.3.11",
        Sha3_512 => "2.16.840.1.101.3.4.3.12",
        Shake128 => "1.3.6.1.5.5.7.6.32",
        Shake256 => "1.3.6.1.5.5.7.6.33",
        Sha2_512_224 | Sha2_512_256 => panic!("no ECDSA signature algorithm with {hash:?}"),
    }
}

/// AlgorithmIdentifier (RFC 5280 §4.1.1.2): SEQUENCE { OID, parameters (a whole TLV) }.
fn algorithm_identifier(oid: &[u8], params: Option<&[u8]>) -> Vec<u8> {
    let mut content = oid.to_vec();
    content.extend_from_slice(params.unwrap_or_default());
    tlv(0x30, &content)
}

/// A DER OBJECT IDENTIFIER from its dotted form (X.690 §8.19).
fn oid(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted
        .split('.')
        .map(|a| a.parse().expect("numeric arc"))
        .collect();
    let mut content = Vec::new();
    for arc in std::iter::once(arcs[0] * 40 + arcs[1]).chain(arcs[2..].iter().copied()) {
        let mut groups = vec![(arc & 0x7F) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push((rest & 0x7F) as u8 | 0x80);
            rest >>= 7;
        }
        content.extend(groups.iter().rev());
    }
    tlv(0x06, &content)
}

/// A DER INTEGER holding a small non-negative value.
fn integer(value: usize) -> Vec<u8> {
    let mut content: Vec<u8> = value
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    if content.first().is_none_or(|b| b & 0x80 != 0) {
        content.insert(0, 0);
    }
    tlv(0x02, &content)
}

/// A DER TLV with definite length (X.690 §8.1.3).
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    match content.len() {
        n @ 0..0x80 => out.push(n as u8),
        n => {
            let len: Vec<u8> = n
                .to_be_bytes()
                .into_iter()
                .skip_while(|b| *b == 0)
                .collect();
            out.push(0x80 | len.len() as u8);
            out.extend(len);
        }
    }
    out.extend_from_slice(content);
    out
}
