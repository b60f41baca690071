//! Certificate-path edge cases, built in-test with rcgen (STYLE §6): each case is a small PKI of
//! ECDSA P-256 certificates with fixed validity periods, judged by
//! `docseal::fuzzing::chain_report` at one fixed time. Every table row names its case and a
//! failure prints the report it got.

use docseal::{certs::CertificateSet, fuzzing::chain_report};
use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType, IsCa, Issuer,
    KeyIdMethod, KeyPair, KeyUsagePurpose, date_time_ymd,
};

/// Validation time of every case.
const AT: i64 = 1_900_000_000;
/// [`AT`] as the reports print it.
const AT_TEXT: &str = "2030-03-17T17:46:40Z";
/// A private-arc OID that docseal cannot know.
const UNKNOWN_OID: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 1];
const UNKNOWN_OID_TEXT: &str = "1.3.6.1.4.1.55555.1";
/// Everything that fails to find a trusted issuer key ends with this.
const NOT_TRUSTED: &str =
    "but no certificate with that name and a key that verifies its signature is trusted";

/// Parameters of a CA certificate: CA without pathLen, keyCertSign + cRLSign, valid 2025–2045,
/// with subject and authority key identifiers.
fn ca(cn: &str) -> CertificateParams {
    let mut p = CertificateParams::default();
    p.distinguished_name = DistinguishedName::new();
    p.distinguished_name.push(DnType::CommonName, cn);
    p.not_before = date_time_ymd(2025, 1, 1);
    p.not_after = date_time_ymd(2045, 1, 1);
    p.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    p.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    p.use_authority_key_identifier_extension = true;
    p
}

/// Parameters of an end-entity (signer) certificate, valid 2025–2045.
fn ee(cn: &str) -> CertificateParams {
    let mut p = ca(cn);
    p.is_ca = IsCa::NoCa;
    p.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    p
}

/// `params` with validity `from`..`to` (1 January of each year).
fn valid(mut params: CertificateParams, from: i32, to: i32) -> CertificateParams {
    params.not_before = date_time_ymd(from, 1, 1);
    params.not_after = date_time_ymd(to, 1, 1);
    params
}

/// `params` without the authority key identifier, so docseal must try the signature itself.
fn no_aki(mut params: CertificateParams) -> CertificateParams {
    params.use_authority_key_identifier_extension = false;
    params
}

/// `params` with an extension of [`UNKNOWN_OID`] holding an ASN.1 NULL.
fn with_unknown_extension(mut params: CertificateParams, critical: bool) -> CertificateParams {
    let mut ext = CustomExtension::from_oid_content(UNKNOWN_OID, vec![0x05, 0x00]);
    ext.set_criticality(critical);
    params.custom_extensions.push(ext);
    params
}

/// QCP-n-qscd (ETSI EN 319 411-2): the policy of qualified certificates on a QSCD.
const QCP_N_QSCD: &[u64] = &[0, 4, 0, 194112, 1, 2];
/// A private-arc policy no CA on the test paths allows, unless stated.
const OTHER_POLICY: &[u64] = &[1, 3, 6, 1, 4, 1, 55555, 2, 1];
/// anyPolicy (RFC 5280 §4.2.1.4).
const ANY_POLICY: &[u64] = &[2, 5, 29, 32, 0];

/// DER tag-length-value (lengths up to 65,535).
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = match len {
        0..0x80 => vec![tag, len as u8],
        0x80..0x100 => vec![tag, 0x81, len as u8],
        _ => vec![tag, 0x82, (len >> 8) as u8, len as u8],
    };
    out.extend_from_slice(content);
    out
}

/// An OBJECT IDENTIFIER, tag included.
fn oid_der(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    for arc in std::iter::once(arcs[0] * 40 + arcs[1]).chain(arcs[2..].iter().copied()) {
        let mut groups = vec![(arc & 0x7F) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push(0x80 | (rest & 0x7F) as u8);
            rest >>= 7;
        }
        content.extend(groups.into_iter().rev());
    }
    tlv(0x06, &content)
}

/// `params` with an extension `oid` holding the DER `value`.
fn with_extension(
    mut params: CertificateParams,
    oid: &[u64],
    value: Vec<u8>,
    critical: bool,
) -> CertificateParams {
    let mut ext = CustomExtension::from_oid_content(oid, value);
    ext.set_criticality(critical);
    params.custom_extensions.push(ext);
    params
}

/// `params` with certificatePolicies (RFC 5280 §4.2.1.4) naming `policies`, each with a CPS
/// pointer qualifier as real CAs write them.
fn with_policies(
    params: CertificateParams,
    policies: &[&[u64]],
    critical: bool,
) -> CertificateParams {
    let cps = tlv(
        0x30,
        &[
            oid_der(&[1, 3, 6, 1, 5, 5, 7, 2, 1]),
            tlv(0x16, b"https://ca.example/cps"),
        ]
        .concat(),
    );
    let infos: Vec<u8> = policies
        .iter()
        .flat_map(|p| tlv(0x30, &[oid_der(p), tlv(0x30, &cps)].concat()))
        .collect();
    with_extension(params, &[2, 5, 29, 32], tlv(0x30, &infos), critical)
}

/// `params` with policyConstraints requireExplicitPolicy = `skip` (RFC 5280 §4.2.1.11: critical).
fn requiring_explicit_policy(params: CertificateParams, skip: u8) -> CertificateParams {
    with_extension(
        params,
        &[2, 5, 29, 36],
        tlv(0x30, &tlv(0x80, &[skip])),
        true,
    )
}

/// A certificate with its key and parameters, so that it can issue others.
struct Cert {
    params: CertificateParams,
    key: KeyPair,
    der: Vec<u8>,
}

impl Cert {
    /// A self-signed certificate with a new key.
    fn root(params: CertificateParams) -> Self {
        let key = KeyPair::generate().expect("P-256 key");
        let der = params
            .self_signed(&key)
            .expect("self-signed")
            .der()
            .to_vec();
        Self { params, key, der }
    }

    /// A certificate for a new key, issued by `self`.
    fn issue(&self, params: CertificateParams) -> Self {
        self.issue_for(params, KeyPair::generate().expect("P-256 key"))
    }

    /// A certificate for `key`, issued by `self`.
    fn issue_for(&self, params: CertificateParams, key: KeyPair) -> Self {
        let der = sign(&params, &key, &self.params, &self.key);
        Self { params, key, der }
    }
}

/// DER of `params` for `key`, issued under `issuer` (name and key identifier) by `issuer_key`.
fn sign(
    params: &CertificateParams,
    key: &KeyPair,
    issuer: &CertificateParams,
    issuer_key: &KeyPair,
) -> Vec<u8> {
    params
        .signed_by(key, &Issuer::from_params(issuer, issuer_key))
        .expect("signed")
        .der()
        .to_vec()
}

/// What a report must be.
enum Expect {
    /// Exactly this report.
    Is(String),
    /// Starts with the prefix and contains every word.
    Has(&'static str, Vec<String>),
}

/// One row of a table: a leaf, the untrusted intermediates and the trust anchors.
struct Case<'a> {
    name: &'a str,
    leaf: &'a Cert,
    intermediates: Vec<&'a Cert>,
    anchors: Vec<&'a Cert>,
    expect: Expect,
}

fn set(certs: &[&Cert]) -> CertificateSet {
    let mut set = CertificateSet::new();
    for c in certs {
        set.add_der(&c.der).expect("rcgen certificate parses");
    }
    set
}

/// Runs every row and fails once, listing each row whose report is not the expected one.
fn run(cases: &[Case<'_>]) {
    let mut failures = Vec::new();
    for case in cases {
        let report = chain_report(
            &case.leaf.der,
            &set(&case.intermediates),
            &set(&case.anchors),
            AT,
        );
        // Shown with --nocapture or when the test fails.
        println!("{}: {report}", case.name);
        let pass = match &case.expect {
            Expect::Is(want) => report == *want,
            Expect::Has(prefix, words) => {
                report.starts_with(prefix) && words.iter().all(|w| report.contains(w.as_str()))
            }
        };
        if !pass {
            let want = match &case.expect {
                Expect::Is(want) => format!("exactly {want:?}"),
                Expect::Has(prefix, words) => format!("{prefix:?}… containing {words:?}"),
            };
            failures.push(format!("{}:\n  want {want}\n  got  {report:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn is(report: &str) -> Expect {
    Expect::Is(report.to_owned())
}

fn error(words: &[&str]) -> Expect {
    Expect::Has("error: ", words.iter().map(|w| (*w).to_owned()).collect())
}

/// Case 1: Root → intermediate → leaf, and the two ways it breaks when a link is missing.
#[test]
fn good_path() {
    let root = Cert::root(ca("Root CA"));
    let int = root.issue(ca("Int CA"));
    let leaf = int.issue(ee("Leaf"));
    let direct = root.issue(ee("Direct Leaf"));
    run(&[
        Case {
            name: "root → intermediate → leaf",
            leaf: &leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
        Case {
            name: "leaf issued by the root",
            leaf: &direct,
            intermediates: vec![],
            anchors: vec![&root],
            expect: is("ok: Direct Leaf → Root CA"),
        },
        Case {
            name: "intermediate not supplied",
            leaf: &leaf,
            intermediates: vec![],
            anchors: vec![&root],
            expect: error(&[
                "no trust anchor or known intermediate is named \"Int CA\", the issuer of \"Leaf\"",
            ]),
        },
        Case {
            name: "no trust anchor",
            leaf: &leaf,
            intermediates: vec![&int],
            anchors: vec![],
            expect: error(&["is named \"Root CA\", the issuer of \"Int CA\""]),
        },
    ]);
}

/// Case 2: Two generations of a root share a name; the intermediate is under the second key.
#[test]
fn root_generations_with_the_same_name() {
    let gen1 = Cert::root(ca("Root CA"));
    let gen2 = Cert::root(ca("Root CA"));
    let int = gen2.issue(ca("Int CA"));
    let leaf = int.issue(ee("Leaf"));
    // Without a key identifier docseal cannot skip generation 1 early: it must try its key.
    let int_no_aki = gen2.issue(no_aki(ca("Int CA")));
    let leaf_no_aki = int_no_aki.issue(ee("Leaf"));
    let refused = || error(&["\"Int CA\" names \"Root CA\" as its issuer", NOT_TRUSTED]);
    run(&[
        Case {
            name: "both generations trusted",
            leaf: &leaf,
            intermediates: vec![&int],
            anchors: vec![&gen1, &gen2],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
        Case {
            name: "both generations trusted, newer first",
            leaf: &leaf,
            intermediates: vec![&int],
            anchors: vec![&gen2, &gen1],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
        Case {
            name: "both generations trusted, no key identifier",
            leaf: &leaf_no_aki,
            intermediates: vec![&int_no_aki],
            anchors: vec![&gen1, &gen2],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
        Case {
            name: "only the first generation trusted",
            leaf: &leaf,
            intermediates: vec![&int],
            anchors: vec![&gen1],
            expect: refused(),
        },
        Case {
            name: "only the first generation trusted, no key identifier",
            leaf: &leaf_no_aki,
            intermediates: vec![&int_no_aki],
            anchors: vec![&gen1],
            expect: refused(),
        },
    ]);
}

/// Case 3: A rogue root copies the trusted root's name (and even its key identifier): its
/// intermediate, supplied as untrusted, must lead nowhere.
#[test]
fn rogue_root_with_the_trusted_name() {
    let trusted = Cert::root(ca("Root CA"));
    let rogue = Cert::root(ca("Root CA"));
    let rogue_int = rogue.issue(ca("Int CA"));
    let rogue_leaf = rogue_int.issue(ee("Leaf"));
    let rogue_int_no_aki = rogue.issue(no_aki(ca("Int CA")));
    let rogue_leaf_no_aki = rogue_int_no_aki.issue(ee("Leaf"));
    // The rogue root forges the trusted root's subject key identifier too, so its
    // intermediate's authority key identifier points at the trusted root.
    let mut copied = ca("Root CA");
    copied.key_identifier_method =
        KeyIdMethod::PreSpecified(trusted.params.key_identifier(&trusted.key));
    let forger = Cert::root(copied);
    let forged_int = forger.issue(ca("Int CA"));
    let forged_leaf = forged_int.issue(ee("Leaf"));
    let refused = || error(&["names \"Root CA\" as its issuer", NOT_TRUSTED]);
    run(&[
        Case {
            name: "rogue intermediate",
            leaf: &rogue_leaf,
            intermediates: vec![&rogue_int],
            anchors: vec![&trusted],
            expect: error(&["\"Int CA\" names \"Root CA\" as its issuer", NOT_TRUSTED]),
        },
        Case {
            name: "rogue intermediate and rogue root supplied as intermediates",
            leaf: &rogue_leaf,
            intermediates: vec![&rogue_int, &rogue],
            anchors: vec![&trusted],
            expect: refused(),
        },
        Case {
            name: "rogue intermediate without key identifier",
            leaf: &rogue_leaf_no_aki,
            intermediates: vec![&rogue_int_no_aki, &rogue],
            anchors: vec![&trusted],
            expect: refused(),
        },
        Case {
            name: "rogue root forging the trusted key identifier",
            leaf: &forged_leaf,
            intermediates: vec![&forged_int, &forger],
            anchors: vec![&trusted],
            expect: refused(),
        },
    ]);
}

/// Case 4: An intermediate that is not a CA cannot issue.
#[test]
fn intermediate_not_a_ca() {
    let root = Cert::root(ca("Root CA"));
    let mut explicit = ca("Int CA");
    explicit.is_ca = IsCa::ExplicitNoCa;
    let explicit = root.issue(explicit);
    let explicit_leaf = explicit.issue(ee("Leaf"));
    let mut absent = ca("Int CA");
    absent.is_ca = IsCa::NoCa;
    let absent = root.issue(absent);
    let absent_leaf = absent.issue(ee("Leaf"));
    let not_ca = || error(&["\"Int CA\" issued a certificate but is not a CA (basicConstraints)"]);
    run(&[
        Case {
            name: "basicConstraints cA FALSE",
            leaf: &explicit_leaf,
            intermediates: vec![&explicit],
            anchors: vec![&root],
            expect: not_ca(),
        },
        Case {
            name: "no basicConstraints",
            leaf: &absent_leaf,
            intermediates: vec![&absent],
            anchors: vec![&root],
            expect: not_ca(),
        },
    ]);
}

/// Case 5: An intermediate whose keyUsage does not allow certificate signing.
#[test]
fn intermediate_key_usage_without_key_cert_sign() {
    let root = Cert::root(ca("Root CA"));
    let mut crl_only = ca("Int CA");
    crl_only.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::CrlSign];
    let crl_only = root.issue(crl_only);
    let crl_only_leaf = crl_only.issue(ee("Leaf"));
    // RFC 5280 §4.2.1.3: without the extension, the key's use is not restricted.
    let mut no_ku = ca("Int CA");
    no_ku.key_usages = vec![];
    let no_ku = root.issue(no_ku);
    let no_ku_leaf = no_ku.issue(ee("Leaf"));
    run(&[
        Case {
            name: "keyUsage digitalSignature + cRLSign",
            leaf: &crl_only_leaf,
            intermediates: vec![&crl_only],
            anchors: vec![&root],
            expect: error(&["\"Int CA\" issued a certificate but its keyUsage lacks keyCertSign"]),
        },
        Case {
            name: "no keyUsage extension",
            leaf: &no_ku_leaf,
            intermediates: vec![&no_ku],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
    ]);
}

/// Case 6: pathLenConstraint counts the intermediate CAs below.
#[test]
fn path_length_constraint() {
    let root = Cert::root(ca("Root CA"));
    let constrained = |n| {
        let mut p = ca("Int 1");
        p.is_ca = IsCa::Ca(BasicConstraints::Constrained(n));
        root.issue(p)
    };
    let int1_zero = constrained(0);
    let int2_under_zero = int1_zero.issue(ca("Int 2"));
    let leaf_under_zero = int2_under_zero.issue(ee("Leaf"));
    let leaf_direct_under_zero = int1_zero.issue(ee("Leaf"));
    let int1_one = constrained(1);
    let int2_under_one = int1_one.issue(ca("Int 2"));
    let leaf_under_one = int2_under_one.issue(ee("Leaf"));
    run(&[
        Case {
            name: "pathLen 0 with one CA below",
            leaf: &leaf_under_zero,
            intermediates: vec![&int1_zero, &int2_under_zero],
            anchors: vec![&root],
            expect: error(&["\"Int 1\" allows 0 intermediate CA(s) below it; this path has 1"]),
        },
        Case {
            name: "pathLen 0 issuing the leaf",
            leaf: &leaf_direct_under_zero,
            intermediates: vec![&int1_zero],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int 1 → Root CA"),
        },
        Case {
            name: "pathLen 1 with one CA below",
            leaf: &leaf_under_one,
            intermediates: vec![&int1_one, &int2_under_one],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int 2 → Int 1 → Root CA"),
        },
    ]);
}

/// Case 7: RFC 5280 §4.2: an unrecognized critical extension fails the path; a non-critical one
/// is ignored.
#[test]
fn unknown_critical_extension() {
    let root = Cert::root(ca("Root CA"));
    let int = root.issue(ca("Int CA"));
    let critical_leaf = int.issue(with_unknown_extension(ee("Leaf"), true));
    let plain_leaf_int = root.issue(with_unknown_extension(ca("Int CA"), true));
    let leaf_under_critical = plain_leaf_int.issue(ee("Leaf"));
    let noncritical_int = root.issue(with_unknown_extension(ca("Int CA"), false));
    let noncritical_leaf = noncritical_int.issue(with_unknown_extension(ee("Leaf"), false));
    let critical = |who: &str| {
        error(&[&format!(
            "\"{who}\" has critical extension {UNKNOWN_OID_TEXT}, which docseal does not process"
        )])
    };
    run(&[
        Case {
            name: "critical unknown extension on the leaf",
            leaf: &critical_leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: critical("Leaf"),
        },
        Case {
            name: "critical unknown extension on the intermediate",
            leaf: &leaf_under_critical,
            intermediates: vec![&plain_leaf_int],
            anchors: vec![&root],
            expect: critical("Int CA"),
        },
        Case {
            name: "non-critical unknown extension on both",
            leaf: &noncritical_leaf,
            intermediates: vec![&noncritical_int],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
    ]);
}

/// Case 8: Expired certificates: the path is found and the expiry reported with it.
#[test]
fn expired_certificates() {
    let root = Cert::root(ca("Root CA"));
    let expired = root.issue(valid(ca("Int CA"), 2025, 2029));
    let leaf = expired.issue(ee("Leaf"));
    // The same intermediate re-issued (same name and key) with a later end date.
    let renewed = root.issue_for(
        valid(ca("Int CA"), 2026, 2045),
        KeyPair::from_pem(&expired.key.serialize_pem()).expect("key round-trips"),
    );
    let int = root.issue(ca("Int CA"));
    let expired_leaf = int.issue(valid(ee("Leaf"), 2025, 2029));
    let old_root = Cert::root(valid(ca("Root CA"), 2000, 2029));
    let int_under_old = old_root.issue(ca("Int CA"));
    let leaf_under_old = int_under_old.issue(ee("Leaf"));
    let expired_at = |who: &str| {
        format!("; \"{who}\" expired at 2029-01-01T00:00:00Z, before the validation time {AT_TEXT}")
    };
    run(&[
        Case {
            name: "expired intermediate",
            leaf: &leaf,
            intermediates: vec![&expired],
            anchors: vec![&root],
            expect: is(&format!(
                "ok: Leaf → Int CA → Root CA{}",
                expired_at("Int CA")
            )),
        },
        Case {
            name: "expired intermediate listed before its renewal",
            leaf: &leaf,
            intermediates: vec![&expired, &renewed],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
        Case {
            name: "expired leaf",
            leaf: &expired_leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: is(&format!(
                "ok: Leaf → Int CA → Root CA{}",
                expired_at("Leaf")
            )),
        },
        // RFC 5280 §6.1.1 (d): the anchor is a trusted key, its certificate's dates are not
        // judged (the code's stated design).
        Case {
            name: "expired trust anchor certificate",
            leaf: &leaf_under_old,
            intermediates: vec![&int_under_old],
            anchors: vec![&old_root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
    ]);
}

/// Case 9: Certificates valid only after the validation time.
#[test]
fn not_yet_valid_certificates() {
    let root = Cert::root(ca("Root CA"));
    let int = root.issue(ca("Int CA"));
    let future_leaf = int.issue(valid(ee("Leaf"), 2031, 2045));
    let future_int = root.issue(valid(ca("Int CA"), 2031, 2045));
    let leaf_under_future = future_int.issue(ee("Leaf"));
    let from_2031 = |who: &str| {
        format!(
            "ok: Leaf → Int CA → Root CA; \"{who}\" is valid only from 2031-01-01T00:00:00Z, \
             after the validation time {AT_TEXT}"
        )
    };
    run(&[
        Case {
            name: "not-yet-valid leaf",
            leaf: &future_leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: is(&from_2031("Leaf")),
        },
        Case {
            name: "not-yet-valid intermediate",
            leaf: &leaf_under_future,
            intermediates: vec![&future_int],
            anchors: vec![&root],
            expect: is(&from_2031("Int CA")),
        },
    ]);
}

/// Case 10: Intermediates that issue each other: the search must not loop.
#[test]
fn cross_signed_cycle_terminates() {
    // "Cross A" is issued by "Cross B" and "Cross B" by "Cross A".
    let (a_key, b_key) = (
        KeyPair::generate().expect("key"),
        KeyPair::generate().expect("key"),
    );
    let (a_params, b_params) = (ca("Cross A"), ca("Cross B"));
    let a = Cert {
        der: sign(&a_params, &a_key, &b_params, &b_key),
        params: a_params.clone(),
        key: KeyPair::from_pem(&a_key.serialize_pem()).expect("key round-trips"),
    };
    let b_der = sign(&b_params, &b_key, &a_params, &a_key);
    let b = Cert {
        der: b_der,
        params: b_params.clone(),
        key: KeyPair::from_pem(&b_key.serialize_pem()).expect("key round-trips"),
    };
    let leaf = a.issue(ee("Leaf"));
    // The same loop with one name: two "Loop CA" keys certify each other.
    let (k1, k2) = (
        KeyPair::generate().expect("key"),
        KeyPair::generate().expect("key"),
    );
    let loop_params = ca("Loop CA");
    let x1 = Cert {
        der: sign(&loop_params, &k1, &loop_params, &k2),
        params: loop_params.clone(),
        key: k1,
    };
    let x2 = Cert {
        der: sign(&loop_params, &k2, &loop_params, &x1.key),
        params: loop_params,
        key: k2,
    };
    let loop_leaf = x1.issue(ee("Leaf"));
    // Also a way out of the loop: "Cross B" (same key) certified by a trusted root.
    let root = Cert::root(ca("Root CA"));
    let b_by_root = root.issue_for(ca("Cross B"), b_key);
    let unrelated = Cert::root(ca("Unrelated Root"));
    run(&[
        Case {
            name: "A ⇄ B, no anchor",
            leaf: &leaf,
            intermediates: vec![&a, &b],
            anchors: vec![],
            expect: error(&["\"Cross B\"", "a loop"]),
        },
        Case {
            name: "A ⇄ B, unrelated anchor",
            leaf: &leaf,
            intermediates: vec![&a, &b],
            anchors: vec![&unrelated],
            expect: error(&["\"Cross B\"", "a loop"]),
        },
        Case {
            name: "Loop CA ⇄ Loop CA, no anchor",
            leaf: &loop_leaf,
            intermediates: vec![&x1, &x2],
            anchors: vec![],
            expect: error(&["\"Leaf\" names \"Loop CA\" as its issuer", NOT_TRUSTED]),
        },
        Case {
            name: "A ⇄ B with B also certified by the root",
            leaf: &leaf,
            intermediates: vec![&a, &b, &b_by_root],
            anchors: vec![&root],
            expect: is("ok: Leaf → Cross A → Cross B → Root CA"),
        },
    ]);
}

/// Case 11: Many candidates with the issuer's name and none with its key: the signature-check
/// budget (100) ends the search, or the key identifiers rule them out without a check.
#[test]
fn budget_stops_hopeless_searches() {
    let root = Cert::root(ca("Root CA"));
    let real_issuer = root.issue(ca("Int CA"));
    let decoys: Vec<Cert> = (0..150).map(|_| root.issue(ca("Int CA"))).collect();
    let decoy_refs: Vec<&Cert> = decoys.iter().collect();
    let leaf = real_issuer.issue(ee("Leaf"));
    let leaf_no_aki = real_issuer.issue(no_aki(ee("Leaf")));
    // Exponential fan-out: 7 layers of 2 certificates sharing name and key, each layer
    // certified by the next; the top layer's issuer is missing. 2 + 4 + … + 128 checks.
    let top = Cert::root(ca("Missing Root"));
    let mut layers: Vec<[Cert; 2]> = Vec::new();
    for depth in (1..=7).rev() {
        let issuer = layers.last().map_or(&top, |l| &l[0]);
        let key = KeyPair::generate().expect("key");
        let name = format!("Layer {depth}");
        let twin = KeyPair::from_pem(&key.serialize_pem()).expect("key round-trips");
        let first = issuer.issue_for(valid(ca(&name), 2025, 2045), key);
        let second = issuer.issue_for(valid(ca(&name), 2026, 2045), twin);
        layers.push([first, second]);
    }
    let fan_leaf = layers.last().expect("seven layers")[0].issue(ee("Leaf"));
    let fan_refs: Vec<&Cert> = layers.iter().flatten().collect();
    run(&[
        Case {
            name: "150 same-name decoys, leaf without key identifier",
            leaf: &leaf_no_aki,
            intermediates: decoy_refs.clone(),
            anchors: vec![&root],
            expect: is(
                "error: path building stopped after 100 signature checks without finding a path",
            ),
        },
        Case {
            name: "150 same-name decoys, leaf with key identifier",
            leaf: &leaf,
            intermediates: decoy_refs,
            anchors: vec![&root],
            expect: error(&["\"Leaf\" names \"Int CA\" as its issuer", NOT_TRUSTED]),
        },
        Case {
            name: "2^7 fan-out of verifying paths to a missing root",
            leaf: &fan_leaf,
            intermediates: fan_refs,
            anchors: vec![&root],
            expect: is(
                "error: path building stopped after 100 signature checks without finding a path",
            ),
        },
    ]);
}

/// Case 12: A signer whose own certificate is trusted, or issued by a trusted intermediate.
#[test]
fn leaf_or_its_issuer_is_a_trust_anchor() {
    let self_signed = Cert::root(ee("Self Signer"));
    let root = Cert::root(ca("Root CA"));
    let int = root.issue(ca("Int CA"));
    let leaf = int.issue(ee("Leaf"));
    run(&[
        Case {
            name: "self-signed leaf trusted directly",
            leaf: &self_signed,
            intermediates: vec![],
            anchors: vec![&self_signed],
            // The helper prints the signer, then the anchor it matched: itself.
            expect: is("ok: Self Signer"),
        },
        Case {
            name: "issued leaf trusted directly, no issuer known",
            leaf: &leaf,
            intermediates: vec![],
            anchors: vec![&leaf],
            expect: is("ok: Leaf"),
        },
        Case {
            name: "intermediate trusted as anchor",
            leaf: &leaf,
            intermediates: vec![],
            anchors: vec![&int],
            expect: is("ok: Leaf → Int CA"),
        },
        Case {
            name: "self-signed leaf not trusted",
            leaf: &self_signed,
            intermediates: vec![&self_signed],
            anchors: vec![&root],
            expect: error(&["\"Self Signer\""]),
        },
    ]);
}

/// Case 13: At most 8 certificates below the anchor (leaf included): 7 intermediates pass,
/// 8 do not.
#[test]
fn path_longer_than_the_limit() {
    let root = Cert::root(ca("Root CA"));
    let mut ints: Vec<Cert> = Vec::new();
    for i in 1..=9 {
        let issuer = ints.last().unwrap_or(&root);
        let next = issuer.issue(ca(&format!("Int {i}")));
        ints.push(next);
    }
    let leaves: Vec<Cert> = ints.iter().map(|i| i.issue(ee("Leaf"))).collect();
    let refs: Vec<&Cert> = ints.iter().collect();
    let too_long = || is("error: no path of at most 8 certificates reaches a trust anchor");
    run(&[
        Case {
            name: "7 intermediates",
            leaf: &leaves[6],
            intermediates: refs.clone(),
            anchors: vec![&root],
            expect: is("ok: Leaf → Int 7 → Int 6 → Int 5 → Int 4 → \
                 Int 3 → Int 2 → Int 1 → Root CA"),
        },
        Case {
            name: "8 intermediates",
            leaf: &leaves[7],
            intermediates: refs.clone(),
            anchors: vec![&root],
            expect: too_long(),
        },
        Case {
            name: "9 intermediates",
            leaf: &leaves[8],
            intermediates: refs,
            anchors: vec![&root],
            expect: too_long(),
        },
    ]);
}

/// A path found before the budget runs out is still a path: the search keeps an expired path as
/// a fallback while it looks for a clean one, and running out of budget while looking must not
/// turn "found, but an intermediate expired" into "no path".
#[test]
fn budget_exhausted_after_a_fallback_path_keeps_it() {
    let root = Cert::root(ca("Root CA"));
    let expired = root.issue(valid(ca("Int CA"), 2025, 2029));
    let leaf = expired.issue(no_aki(ee("Leaf")));
    let decoys: Vec<Cert> = (0..150).map(|_| root.issue(ca("Int CA"))).collect();
    let mut intermediates = vec![&expired];
    intermediates.extend(decoys.iter());
    run(&[Case {
        name: "expired path found, then 150 same-name decoys",
        leaf: &leaf,
        intermediates,
        anchors: vec![&root],
        expect: is(&format!(
            "ok: Leaf → Int CA → Root CA; \"Int CA\" expired at 2029-01-01T00:00:00Z, \
             before the validation time {AT_TEXT}"
        )),
    }]);
}

/// Issue 12: Slovak, Italian and Czech CAs mark certificatePolicies critical. docseal processes
/// it (RFC 5280 §6.1) instead of refusing an unknown critical extension; so are policyMappings,
/// policyConstraints and inhibitAnyPolicy.
#[test]
fn critical_certificate_policies() {
    let root = Cert::root(ca("Root CA"));
    let int = root.issue(with_policies(ca("Int CA"), &[QCP_N_QSCD], true));
    let leaf = int.issue(with_policies(ee("Leaf"), &[QCP_N_QSCD], false));
    let critical_leaf = int.issue(with_policies(ee("Leaf"), &[QCP_N_QSCD], true));
    let other_leaf = int.issue(with_policies(ee("Leaf"), &[OTHER_POLICY], true));
    let plain_leaf = int.issue(ee("Leaf"));
    // anyPolicy, a mapping and inhibitAnyPolicy, all critical.
    let mut mapping = with_policies(ca("Int CA"), &[ANY_POLICY], true);
    let pair = tlv(0x30, &[oid_der(OTHER_POLICY), oid_der(QCP_N_QSCD)].concat());
    mapping = with_extension(mapping, &[2, 5, 29, 33], tlv(0x30, &pair), true);
    mapping = with_extension(mapping, &[2, 5, 29, 54], tlv(0x02, &[0]), true);
    let mapping = root.issue(mapping);
    let leaf_under_mapping = mapping.issue(with_policies(ee("Leaf"), &[QCP_N_QSCD], true));
    let ok = || is("ok: Leaf → Int CA → Root CA");
    run(&[
        Case {
            name: "critical policies on the intermediate",
            leaf: &leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: ok(),
        },
        Case {
            name: "critical policies on both",
            leaf: &critical_leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: ok(),
        },
        // RFC 5280 §6.1.5: no valid policy is acceptable while none is required.
        Case {
            name: "leaf policy outside the intermediate's",
            leaf: &other_leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: ok(),
        },
        Case {
            name: "leaf without policies",
            leaf: &plain_leaf,
            intermediates: vec![&int],
            anchors: vec![&root],
            expect: ok(),
        },
        Case {
            name: "critical anyPolicy, policyMappings and inhibitAnyPolicy",
            leaf: &leaf_under_mapping,
            intermediates: vec![&mapping],
            anchors: vec![&root],
            expect: ok(),
        },
    ]);
}

/// RFC 5280 §6.1.4 (i), §6.1.3 (f): an intermediate requiring an explicit policy fails the path
/// when the leaf has none it allows, and the search goes on to another path.
#[test]
fn require_explicit_policy_fails_the_path() {
    let root = Cert::root(ca("Root CA"));
    let strict_params =
        || requiring_explicit_policy(with_policies(ca("Int CA"), &[QCP_N_QSCD], true), 0);
    let strict = root.issue(strict_params());
    let good_leaf = strict.issue(with_policies(ee("Leaf"), &[QCP_N_QSCD], true));
    let other_leaf = strict.issue(with_policies(ee("Leaf"), &[OTHER_POLICY], true));
    let plain_leaf = strict.issue(ee("Leaf"));
    // The same intermediate key, also certified without the constraint.
    let relaxed = root.issue_for(
        with_policies(ca("Int CA"), &[QCP_N_QSCD], true),
        KeyPair::from_pem(&strict.key.serialize_pem()).expect("key round-trips"),
    );
    let refused = || {
        is(
            "error: \"Leaf\" fails certificate policy processing: no certificate policy is \
            valid for the path down to it, and \"Int CA\" requires one (requireExplicitPolicy)",
        )
    };
    run(&[
        Case {
            name: "leaf with the required policy",
            leaf: &good_leaf,
            intermediates: vec![&strict],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
        Case {
            name: "leaf with another policy",
            leaf: &other_leaf,
            intermediates: vec![&strict],
            anchors: vec![&root],
            expect: refused(),
        },
        Case {
            name: "leaf without policies",
            leaf: &plain_leaf,
            intermediates: vec![&strict],
            anchors: vec![&root],
            expect: refused(),
        },
        Case {
            name: "leaf with another policy, relaxed intermediate listed second",
            leaf: &other_leaf,
            intermediates: vec![&strict, &relaxed],
            anchors: vec![&root],
            expect: is("ok: Leaf → Int CA → Root CA"),
        },
    ]);
}
