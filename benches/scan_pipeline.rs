//! Scanned-page normalization, per stage and whole, on the 300 dpi colour A4 fixture
//! (`testdata/scan/pages/a4_300dpi_skew_p3_1.jpg`, 2988 × 4038 with its scanner border).
//! Target (issue #6): processing without decode and encode ≤ 150 ms per page (`process_page`,
//! without the QR search; `process_page_with_qr` adds it).
#![allow(missing_docs)] // criterion's macros generate undocumented pub items

use std::{hint::black_box, path::Path};

use criterion::{Criterion, criterion_group, criterion_main};
use docseal::scan::{
    QrSearch, ScanOptions, load, normalize, normalize_loaded,
    steps::{
        PageQuad, detect_orientation, estimate_skew, find_page, ink, reduce, render, work_factor,
    },
};

fn scan(c: &mut Criterion) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scan/pages/a4_300dpi_skew_p3_1.jpg");
    let bytes = std::fs::read(path).expect("fixture");
    let options = ScanOptions::default();
    let loaded = load(&bytes, &options).expect("decodes");
    let grey = &loaded.grey;
    let factor = work_factor(grey.width(), grey.height());
    let work = reduce(grey, factor);
    let half = reduce(&work, 2);
    let page: PageQuad = find_page(&half).scaled(2.0);
    let ink_found = ink(&work, &page);
    let skew = estimate_skew(&ink_found, options.max_skew_deg);
    assert!((skew.angle_deg - 3.1).abs() < 0.2, "fixture skew: {skew:?}");
    let centre = [grey.width() as f32 / 2.0, grey.height() as f32 / 2.0];

    let mut group = c.benchmark_group("scan");
    group.sample_size(10);
    group.bench_function("load_jpeg_300dpi", |b| {
        b.iter(|| load(black_box(&bytes), &options))
    });
    group.bench_function("reduce_to_work", |b| {
        b.iter(|| reduce(black_box(grey), factor))
    });
    group.bench_function("find_page", |b| {
        b.iter(|| find_page(&reduce(black_box(&work), 2)))
    });
    group.bench_function("ink", |b| b.iter(|| ink(black_box(&work), &page)));
    group.bench_function("estimate_skew", |b| {
        b.iter(|| estimate_skew(black_box(&ink_found), 20.0))
    });
    group.bench_function("detect_orientation", |b| {
        b.iter(|| detect_orientation(black_box(&ink_found), &skew))
    });
    group.bench_function("render_a4_300dpi", |b| {
        b.iter(|| render(black_box(grey), centre, 3.1, 1.0, 2480, 3508))
    });
    let mut no_qr = options;
    no_qr.qr = QrSearch::Skip;
    group.bench_function("process_page", |b| {
        b.iter(|| normalize_loaded(black_box(&loaded), &no_qr, &mut |_| {}))
    });
    group.bench_function("process_page_with_qr", |b| {
        b.iter(|| normalize_loaded(black_box(&loaded), &options, &mut |_| {}))
    });
    group.bench_function("normalize_from_jpeg", |b| {
        b.iter(|| normalize(black_box(&bytes), &options))
    });
    // A phone photo taken at an angle (1800 × 2400, colour JPEG): the perspective mapping and
    // the stages again on the rectified page, QR search included.
    let photo =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/scan/pages/photo_perspective.jpg");
    let photo = load(&std::fs::read(photo).expect("fixture"), &options).expect("decodes");
    group.bench_function("process_photo_with_perspective", |b| {
        b.iter(|| normalize_loaded(black_box(&photo), &options, &mut |_| {}))
    });
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
