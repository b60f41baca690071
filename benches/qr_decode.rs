//! QR decoding from real-sized images: `qr::decode_image` on the file bytes of a 300 dpi A4 scan
//! and of a 12 MP phone photo (testdata/qr/renders), JPEG decode included; and on the team's
//! real photos `../shared/qr-photos` where present (issue 13 §2), against zxing-cpp timed by
//! `testdata/qr/gen/time_qr_photos.py` on the same files.
#![allow(missing_docs)] // criterion's macros generate undocumented pub items

use std::{
    hint::black_box,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

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

/// Every image of `../shared/qr-photos` (file bytes), sorted, or `None` where it is absent.
fn shared_photos() -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/qr-photos");
    let mut files = Vec::new();
    for folder in std::fs::read_dir(&dir).ok()? {
        let folder = folder.ok()?.path();
        for file in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = file.path();
            if path.extension().is_some_and(|e| e != "txt") && path.with_extension("txt").is_file()
            {
                let bytes = std::fs::read(&path).ok()?;
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    Some(files)
}

fn median(mut ms: Vec<f64>) -> f64 {
    ms.sort_by(f64::total_cmp);
    ms[ms.len() / 2]
}

/// The shared photos: per file, the median of [`RUNS`] runs of the image decode alone (file
/// bytes to grey) and of `decode_image` (the same plus the QR search); printed, the median over
/// the files of each and of their difference (the QR search itself, the figure to set beside
/// zxing-cpp's `read_barcodes` on a pre-decoded image). Criterion then times one pass over
/// every file. Where the photos are absent it says so and measures nothing.
fn photos(c: &mut Criterion) {
    const RUNS: usize = 5;
    let Some(files) = shared_photos() else {
        println!("qr_photos: skipped: ../shared/qr-photos is not beside this checkout");
        return;
    };
    let time = |f: &dyn Fn()| {
        median(
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let (mut load, mut full, mut search) = (Vec::new(), Vec::new(), Vec::new());
    for (_, bytes) in &files {
        let l = time(&|| {
            black_box(
                image::load_from_memory(black_box(bytes))
                    .map(|i| i.into_luma8())
                    .ok(),
            );
        });
        let d = time(&|| {
            black_box(docseal::qr::decode_image(black_box(bytes)).ok());
        });
        load.push(l);
        full.push(d);
        search.push((d - l).max(0.0));
    }
    println!(
        "qr_photos: {} files, median per file of {RUNS} runs: decode_image {:.2} ms, image decode \
         alone {:.2} ms, QR search (difference) {:.2} ms",
        files.len(),
        median(full),
        median(load),
        median(search)
    );
    let mut group = c.benchmark_group("qr_photos");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("decode_image_all", |b| {
        b.iter(|| {
            for (_, bytes) in &files {
                black_box(docseal::qr::decode_image(black_box(bytes)).ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, decode, photos);
criterion_main!(benches);
