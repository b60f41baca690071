//! QR decoding from real-sized images: `qr::decode_image` on the file bytes of a 300 dpi A4 scan
//! and of a 12 MP phone photo (testdata/qr/renders), JPEG decode included.
#![allow(missing_docs)] // criterion's macros generate undocumented pub items

use std::{hint::black_box, path::Path, time::Duration};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn decode(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/qr");
    let mut group = c.benchmark_group("qr_decode");
    // One decode takes 0.1 s or more in release: criterion's minimum of 10 samples keeps
    // `cargo bench` short (`cargo test --benches` runs each routine once whatever the size).
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for (name, source) in [
        // 2480 x 3508 page at 300 dpi, code at 4 px per module, JPEG q 46
        ("a4_scan_01_vn1_es256.jpg", "vn1_es256.txt"),
        // 4000 x 3000 phone frame, code 922 px wide, tilted 23°, rotated -8°, JPEG q 45
        ("12mp_01_hc1_vaccination.jpg", "hc1_vaccination.txt"),
    ] {
        let jpeg = std::fs::read(dir.join("renders").join(name)).expect("render");
        let want = vec![Ok(
            std::fs::read_to_string(dir.join(source)).expect("payload")
        )];
        group.throughput(Throughput::Bytes(jpeg.len() as u64));
        // The floor inside that figure: the same JPEG decoder and grey conversion alone.
        group.bench_with_input(BenchmarkId::new("jpeg_to_luma", name), &jpeg, |b, jpeg| {
            b.iter(|| {
                image::load_from_memory(black_box(jpeg))
                    .expect("JPEG")
                    .to_luma8()
            })
        });
        group.bench_with_input(BenchmarkId::new("decode_image", name), &jpeg, |b, jpeg| {
            // Every run is checked (a string comparison, next to a decode of 100 ms or more):
            // the first is in criterion's warm-up, so a miss panics before anything is
            // measured, and the one run of `cargo test --benches` (5-10 s per file in a debug
            // build) checks instead of only timing.
            b.iter(|| {
                let found = docseal::qr::decode_image(black_box(jpeg)).expect("image decodes");
                assert_eq!(found, want, "{name}");
                found
            })
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
