//! Replays the fuzz seeds and `testdata/regressions/` through the fuzz target's own code, so
//! every input that ever broke an invariant stays fixed.

use crate::util::testdata;

#[test]
fn replay_fuzz_corpus_and_regressions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = 0;
    for dir in [
        root.join("fuzz/seeds/pdf_verify"),
        testdata().join("regressions"),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).expect("readable");
            docseal::fuzzing::pdf_verify(&data);
            inputs += 1;
        }
    }
    assert!(
        inputs > 0,
        "no seed found under fuzz/seeds/pdf_verify or testdata/regressions"
    );
}

#[test]
fn replay_qr_text_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/qr_text");
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir)
        .expect("fuzz/seeds/qr_text")
        .flatten()
    {
        docseal::fuzzing::qr_text(&std::fs::read(entry.path()).expect("readable"));
        inputs += 1;
    }
    assert!(inputs > 0, "no seed in {}", dir.display());
}

#[test]
fn replay_scan_pipeline_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/scan_pipeline");
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir)
        .expect("fuzz/seeds/scan_pipeline")
        .flatten()
    {
        docseal::fuzzing::scan_pipeline(&std::fs::read(entry.path()).expect("readable"));
        inputs += 1;
    }
    assert!(inputs > 0, "no seed in {}", dir.display());
}
