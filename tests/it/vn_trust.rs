//! Real Vietnamese CA certificates from `../shared/trust/vn/` (not shipped with the crate):
//! the trust store loads them and builds the VNPT-CA → Vietnam National Root CA path.

use std::path::PathBuf;

use docseal::certs::CertificateSet;

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
