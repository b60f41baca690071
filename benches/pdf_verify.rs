//! PDF verification over the committed fixtures (one signed revision against three with
//! revision analysis), and the peers the issue measures against:
//! ring's raw SHA-256 over the same bytes (the floor for a big file) and, when installed,
//! poppler's `pdfsig` against the officer CLI as whole processes (start-up included).
//!
//! `cargo bench --bench pdf_verify` (build the CLI first for the process group:
//! `cargo build --release --example verify_permit`; `apt-get install poppler-utils` for pdfsig).
#![allow(missing_docs)] // criterion's macros generate undocumented pub items

use std::{hint::black_box, path::Path, process::Command, time::Duration};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use docseal::{certs::CertificateSet, pdf::PdfVerifier, time::ValidationTime};

fn data() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata"))
}

/// One benchmark group: `verifier.verify` on each fixture of `testdata/pdf/`.
fn bench_files(
    c: &mut Criterion,
    verifier: &PdfVerifier,
    at: ValidationTime,
    group_name: &str,
    files: &[&str],
) {
    let mut group = c.benchmark_group(group_name);
    for name in files {
        let pdf = std::fs::read(data().join("pdf").join(name)).expect("fixture");
        group.throughput(Throughput::Bytes(pdf.len() as u64));
        if pdf.len() > 1 << 20 {
            group
                .sample_size(20)
                .measurement_time(Duration::from_secs(8));
        }
        group.bench_with_input(BenchmarkId::from_parameter(name), &pdf, |b, pdf| {
            b.iter(|| verifier.verify(black_box(pdf), at))
        });
    }
    group.finish();
}

fn verify(c: &mut Criterion) {
    let mut anchors = CertificateSet::new();
    anchors
        .add_path(&data().join("pki/bundle.pem"))
        .expect("fixture");
    // The test CRLs are supplied so that signatures without their own revocation data are
    // checked fully (revocation included) rather than stopping at TRY_LATER.
    let verifier = PdfVerifier::builder()
        .add_trust_anchors(anchors)
        .add_crls_path(&data().join("pki/crl"))
        .expect("CRLs")
        .build()
        .expect("ok");
    let at = ValidationTime::from_unix(1_900_000_000).expect("in range"); // fixed, as in tests
    bench_files(
        c,
        &verifier,
        at,
        "pdf_verify",
        &[
            "sample_permit.pdf",
            "pades_p256.pdf",
            "two_signatures.pdf",
            "big_scan_signed.pdf",
        ],
    );
    // Revision analysis must not make verification slow (issue #3: within 2x of a single
    // signed revision of about the same size). pades_rsa has one signed revision; the others
    // add two revisions after it that are loaded and compared object by object.
    bench_files(
        c,
        &verifier,
        at,
        "revisions",
        &[
            "pades_rsa.pdf",
            "signed_then_dss.pdf",
            "certified_p2_form_fill.pdf",
            "eaa_freetext_p3.pdf",
        ],
    );
    // Long-term validation must not dominate (issue #4: a B-LT permit within 2x of the same
    // permit at B-B). Same base document and signer; B-B gets its CRLs from the caller, B-LT
    // carries a timestamp and a DSS, B-LTA adds a document timestamp.
    bench_files(
        c,
        &verifier,
        at,
        "long_term",
        &[
            "pades_rsa.pdf",
            "pades_b_t.pdf",
            "pades_b_lt.pdf",
            "pades_b_lta.pdf",
        ],
    );

    // The floor for a big file: one SHA-256 pass over the same bytes with ring.
    let big = std::fs::read(data().join("pdf/big_scan_signed.pdf")).expect("fixture");
    let mut group = c.benchmark_group("sha256_floor");
    group.throughput(Throughput::Bytes(big.len() as u64));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("big_scan_signed.pdf", |b| {
        b.iter(|| ring::digest::digest(&ring::digest::SHA256, black_box(&big)))
    });
    group.finish();
}

/// Whole processes on the sample permit: docseal's officer CLI against poppler's pdfsig.
fn processes(c: &mut Criterion) {
    let permit = data().join("pdf/sample_permit.pdf");
    let anchor = data().join("pki/anchor.pem");
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/examples/verify_permit");
    let mut group = c.benchmark_group("process_sample_permit");
    if cli.exists() {
        group.bench_function("docseal_verify_permit", |b| {
            b.iter(|| {
                Command::new(&cli)
                    .arg("--trust")
                    .arg(&anchor)
                    .arg("--at=2030-03-17T17:46:40Z")
                    .arg(&permit)
                    .output()
                    .expect("runs")
            })
        });
    } else {
        eprintln!(
            "skipped docseal_verify_permit: build it with `cargo build --release --example verify_permit`"
        );
    }
    if Command::new("pdfsig").arg("-v").output().is_ok() {
        group.bench_function("poppler_pdfsig", |b| {
            b.iter(|| Command::new("pdfsig").arg(&permit).output().expect("runs"))
        });
    } else {
        eprintln!("skipped poppler_pdfsig: not installed (apt-get install poppler-utils)");
    }
    group.finish();
}

criterion_group!(benches, verify, processes);
criterion_main!(benches);
