//! Real Vietnamese CA certificates from `../shared/trust/vn/` (not shipped with the crate):
//! the trust store loads them and builds the VNPT-CA → Vietnam National Root CA path; the
//! `vn` trust profile accepts them only against its pinned fingerprints. The refusal of a
//! rogue root is also tested on the test PKI, which every clone has.

use std::path::PathBuf;

use docseal::{
    certs::{CertificateSet, Fingerprint, PinnedRoot, Refusal, TrustProfile},
    report::{CertificateInfo, Name},
};

use crate::util::testdata;

fn shared_vn() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/trust/vn");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (a user's clone has no shared/)",
            dir.display()
        );
        None
    }
}

#[test]
fn loads_both_vietnamese_hierarchies_from_a_directory() {
    let Some(dir) = shared_vn() else { return };
    let mut set = CertificateSet::new();
    let n = set.add_path(&dir).expect("all four certificates parse");
    assert_eq!(n, 4);
    assert_eq!(set.len(), 4);
}

#[test]
fn vnpt_ca_chains_to_the_national_root() {
    let Some(dir) = shared_vn() else { return };
    let mut roots = CertificateSet::new();
    roots
        .add_path(&dir.join("vnrca256.crt"))
        .expect("national root");
    roots
        .add_path(&dir.join("rootcag2.crt"))
        .expect("government root");
    let mut vnpt = CertificateSet::new();
    vnpt.add_path(&dir.join("vnpt-ca-sha2.crt"))
        .expect("VNPT-CA");
    let vnpt_der = vnpt.iter_der().next().expect("one").to_vec();
    let report =
        docseal::fuzzing::chain_report(&vnpt_der, &CertificateSet::new(), &roots, 1_800_000_000);
    assert!(report.starts_with("ok:"), "{report}");
    assert!(
        report.contains("VNPT-CA SHA2 → Vietnam National Root CA"),
        "{report}"
    );
    // The government CA does not chain to the national root, and not without its own root.
    let mut cp = CertificateSet::new();
    cp.add_path(&dir.join("cpcag2.crt"))
        .expect("CA phục vụ các cơ quan Nhà nước G2");
    let cp_der = cp.iter_der().next().expect("one").to_vec();
    let mut national_only = CertificateSet::new();
    national_only
        .add_path(&dir.join("vnrca256.crt"))
        .expect("root");
    let report = docseal::fuzzing::chain_report(
        &cp_der,
        &CertificateSet::new(),
        &national_only,
        1_800_000_000,
    );
    assert!(report.starts_with("error:"), "{report}");
    let report =
        docseal::fuzzing::chain_report(&cp_der, &CertificateSet::new(), &roots, 1_800_000_000);
    assert!(
        report.contains("RootCA chuyên dùng Chính phủ G2"),
        "{report}"
    );
    // After VNPT-CA SHA2 expires (2029-08-30) the path is found but out of its validity.
    let report =
        docseal::fuzzing::chain_report(&vnpt_der, &CertificateSet::new(), &roots, 1_900_000_000);
    assert!(report.contains("expired"), "{report}");
}

/// `(CN, O)` of every certificate in a set, as text.
fn names(list: &[CertificateInfo]) -> Vec<(String, String)> {
    let text = |n: &Option<Name>| n.as_ref().map(Name::display).unwrap_or_default();
    list.iter()
        .map(|c| (text(&c.common_name), text(&c.organization)))
        .collect()
}

const VNRCA256: &str = "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7";
const ROOTCAG2: &str = "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8";

#[test]
fn the_vn_profile_finds_both_pinned_roots_and_their_intermediates() {
    let Some(dir) = shared_vn() else { return };
    let load = TrustProfile::vietnam().load_path(&dir).expect("readable");
    assert!(load.is_complete(), "{load}");
    assert!(load.missing.is_empty(), "{load}");
    let anchors = load.anchors.list();
    assert_eq!(
        names(&anchors),
        [
            (
                "Vietnam National Root CA".to_owned(),
                "Ministry of Information and Communications".to_owned()
            ),
            (
                "RootCA chuyên dùng Chính phủ G2".to_owned(),
                "Ban Cơ yếu Chính phủ".to_owned()
            ),
        ],
        "{load}"
    );
    assert_eq!(anchors[0].sha256, VNRCA256);
    assert_eq!(anchors[1].sha256, ROOTCAG2);
    assert_eq!(
        anchors[0].not_before.to_string().get(..10),
        Some("2014-04-15")
    );
    let mut intermediates: Vec<String> = names(&load.intermediates.list())
        .into_iter()
        .map(|(cn, _)| cn)
        .collect();
    intermediates.sort();
    assert_eq!(
        intermediates,
        ["CA phục vụ các cơ quan Nhà nước G2", "VNPT-CA SHA2"],
        "{load}"
    );
    // The profile's sets are what path building needs: VNPT-CA reaches the national root.
    let vnpt = load
        .intermediates
        .iter_der()
        .find(|d| Fingerprint::of(d).to_string().starts_with("7d6ba524"))
        .expect("VNPT-CA SHA2")
        .to_vec();
    let report =
        docseal::fuzzing::chain_report(&vnpt, &CertificateSet::new(), &load.anchors, 1_800_000_000);
    assert!(
        report.contains("VNPT-CA SHA2 → Vietnam National Root CA"),
        "{report}"
    );
}

#[test]
fn a_tampered_copy_of_a_vietnamese_root_is_refused() {
    let Some(dir) = shared_vn() else { return };
    let read = |name: &str| std::fs::read(dir.join(name)).expect("shared file");
    let root = read("vnrca256.crt");
    // One byte of the signature value changed: still parses, another fingerprint.
    let mut tampered = root.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x01;
    let gov = read("rootcag2.crt");
    let vnpt = read("vnpt-ca-sha2.crt");
    let load = TrustProfile::vietnam().load(&[
        ("vnrca256-copy.crt", &tampered),
        ("rootcag2.crt", &gov),
        ("vnpt-ca-sha2.crt", &vnpt),
    ]);
    assert_eq!(load.anchors.len(), 1, "{load}");
    assert_eq!(load.anchors.list()[0].sha256, ROOTCAG2);
    assert_eq!(load.missing.len(), 1, "{load}");
    assert_eq!(load.missing[0].sha256.to_string(), VNRCA256);
    assert_eq!(load.refused.len(), 2, "{load}");
    let rogue = &load.refused[0];
    assert_eq!(rogue.source, "vnrca256-copy.crt");
    assert!(
        matches!(&rogue.reason, Refusal::LookAlike { pinned } if pinned.starts_with("Vietnam National Root CA")),
        "{load}"
    );
    assert_eq!(
        rogue.certificate.as_ref().map(|c| c.sha256.clone()),
        Some(Fingerprint::of(&tampered).to_string())
    );
    // Without its root, VNPT-CA is not offered as an intermediate.
    assert!(load.intermediates.is_empty(), "{load}");
    assert!(
        matches!(load.refused[1].reason, Refusal::NoPath(_)),
        "{load}"
    );
    assert!(load.to_string().contains("REFUSED"), "{load}");
}

#[test]
fn anchors_are_listed_in_vietnamese_and_removed_by_fingerprint() {
    let Some(dir) = shared_vn() else { return };
    let mut anchors = TrustProfile::vietnam()
        .load_path(&dir)
        .expect("readable")
        .anchors;
    let gov = &anchors.list()[1];
    assert_eq!(
        gov.subject.display(),
        "CN=RootCA chuyên dùng Chính phủ G2, O=Ban Cơ yếu Chính phủ, C=VN"
    );
    assert_eq!(gov.not_after.to_string().get(..10), Some("2048-08-14"));
    let json = serde_json::to_string(gov).expect("serializes");
    assert!(json.contains("\"Ban Cơ yếu Chính phủ\""), "{json}");
    let national: Fingerprint = VNRCA256.to_uppercase().parse().expect("hex");
    assert!(anchors.remove(&national));
    assert!(!anchors.remove(&national), "already removed");
    assert_eq!(
        names(&anchors.list()),
        [(
            "RootCA chuyên dùng Chính phủ G2".to_owned(),
            "Ban Cơ yếu Chính phủ".to_owned()
        )]
    );
}

/// Independent of `shared/`: the test PKI's roots pinned at run time, loaded from the whole
/// `testdata/pki` directory, which also holds a rogue root with root G1's exact subject.
#[test]
fn a_runtime_profile_refuses_the_test_pki_rogue_root() {
    let pin = |label: &'static str, hex: &str| {
        PinnedRoot::new(label, label, hex.parse().expect("fingerprint"))
    };
    let profile = TrustProfile::new(
        "test",
        vec![
            pin(
                "docseal TEST Root CA G1",
                "31fad1b34e54290f4e665a824b251e4653837cf4bac73daf6bcd094cac72dece",
            ),
            pin(
                "docseal TEST Root CA G2",
                "7c4b0bbc4791f1f5db1a2ad0af442a09facaff8c365f89dc1ed8e75f34064507",
            ),
        ],
    );
    let load = profile
        .load_path(&testdata().join("pki"))
        .expect("readable");
    assert!(load.missing.is_empty(), "{load}");
    let cns = |set: &CertificateSet| -> Vec<String> {
        names(&set.list()).into_iter().map(|(cn, _)| cn).collect()
    };
    assert_eq!(
        cns(&load.anchors),
        ["docseal TEST Root CA G1", "docseal TEST Root CA G2"],
        "{load}"
    );
    assert_eq!(
        cns(&load.intermediates),
        ["docseal TEST Issuing CA G2", "docseal TEST Issuing CA G1"],
        "{load}"
    );
    let refused = |file: &str| -> Vec<&Refusal> {
        load.refused
            .iter()
            .filter(|r| r.source.ends_with(file))
            .map(|r| &r.reason)
            .collect()
    };
    assert_eq!(
        refused("rogue-root.pem"),
        [&Refusal::LookAlike {
            pinned: "docseal TEST Root CA G1".to_owned()
        }],
        "{load}"
    );
    assert!(
        matches!(refused("rogue-intermediate.pem")[..], [Refusal::NoPath(_)]),
        "{load}"
    );
    assert!(
        matches!(refused("signer-rsa.pem")[..], [Refusal::NotCa]),
        "{load}"
    );
    // The rogue root never became an anchor, whatever the file order.
    let rogue = std::fs::read(testdata().join("pki/rogue-root.pem")).expect("fixture");
    let mut rogue_set = CertificateSet::new();
    rogue_set.add_pem_or_der(&rogue).expect("parses");
    let rogue_fp = Fingerprint::of(rogue_set.iter_der().next().expect("one"));
    assert!(!load.anchors.contains(&rogue_fp));
    // A profile that pins nothing found here reports every root missing and trusts nothing.
    let vn = TrustProfile::vietnam()
        .load_path(&testdata().join("pki"))
        .expect("readable");
    assert!(vn.anchors.is_empty() && vn.intermediates.is_empty(), "{vn}");
    assert_eq!(vn.missing.len(), 2);
}
