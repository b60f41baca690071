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

/// Runs `target` over every seed in `fuzz/seeds/<name>`; there must be at least one.
fn replay(name: &str, target: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(name);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).expect("seed directory").flatten() {
        target(&std::fs::read(entry.path()).expect("readable"));
        inputs += 1;
    }
    assert!(inputs > 0, "no seed in {}", dir.display());
}

#[test]
fn replay_qr_text_seeds() {
    replay("qr_text", docseal::fuzzing::qr_text);
}

#[test]
fn replay_scan_pipeline_seeds() {
    replay("scan_pipeline", docseal::fuzzing::scan_pipeline);
}

#[test]
fn replay_pdf_revisions_seeds() {
    replay("pdf_revisions", docseal::fuzzing::pdf_revisions);
}

#[test]
fn replay_cms_parse_seeds() {
    replay("cms_parse", docseal::fuzzing::cms_parse);
}
