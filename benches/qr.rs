//! QR result certificates from text: verify (target <= 0.1 ms; ES256 permit, PS256 EU DCC) and
//! issue (target <= 5 ms).
#![allow(missing_docs)] // criterion's macros generate undocumented pub items

use std::{hint::black_box, path::Path};

use criterion::{Criterion, criterion_group, criterion_main};
use docseal::{
    qr::{QrIssuer, QrVerifier, payload::Claims},
    time::ValidationTime,
};

fn qr(c: &mut Criterion) {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/qr"));
    let read = |p: &str| std::fs::read(dir.join(p)).expect("fixture");
    let cert = read("certs/TEST-ONLY_vn1_es256.der");
    let pem = read("keys/TEST-ONLY_vn1_es256.key.pem");
    let (_, key) = x509_parser::pem::parse_x509_pem(&pem).expect("PEM");
    let text = String::from_utf8(read("vn1_es256.txt")).expect("ASCII");
    let verifier = QrVerifier::builder()
        .signer_certificate_der(&cert)
        .expect("cert")
        .build();
    let at = ValidationTime::from_unix(1_900_000_000).expect("in range");
    assert!(
        verifier.verify_text(&text, at).valid(),
        "fixture must verify"
    );
    c.bench_function("qr_verify_text/vn1_es256", |b| {
        b.iter(|| verifier.verify_text(black_box(&text), at))
    });
    // PS256 (RSA-2048, RSASSA-PSS), the DCC's second algorithm: an EU DCC of the same shape.
    let rsa = read("certs/TEST-ONLY_hc1_dsc_rsa.der");
    let ps256 = String::from_utf8(read("hc1_ps256.txt")).expect("ASCII");
    let rsa_verifier = QrVerifier::builder()
        .signer_certificate_der(&rsa)
        .expect("cert")
        .build();
    assert!(
        rsa_verifier.verify_text(&ps256, at).valid(),
        "fixture must verify"
    );
    c.bench_function("qr_verify_text/hc1_ps256", |b| {
        b.iter(|| rsa_verifier.verify_text(black_box(&ps256), at))
    });
    let claims: Claims = verifier.verify_text(&text, at).claims.expect("claims");
    let issuer = QrIssuer::from_pkcs8(&key.contents, &cert).expect("issuer");
    c.bench_function("qr_issue/vn1_es256", |b| {
        b.iter(|| issuer.issue(black_box(&claims)))
    });
}

criterion_group!(benches, qr);
criterion_main!(benches);
