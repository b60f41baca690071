//! Signed PDFs that other people's tools made (`../shared/realworld/`: the EU DSS PAdES
//! validation resources) against pyHanko's facts about each signature.
//!
//! Fails on: a panic on any file, a document verified as valid while pyHanko finds one of its
//! signatures not intact or not valid (the dangerous disagreement), and any `intact` or `valid`
//! disagreement with pyHanko that `testdata/realworld_divergences.json` does not list with its
//! reason. A listed divergence that no longer occurs fails too, so the list stays true. A
//! field listed both as a signature and as an unsigned field (a widget taken for a field) fails.
//! Trust is not compared: the files come from foreign PKIs.
//!
//! The corpus is shared by the team, not part of the crate: where `../shared/realworld` is
//! absent (a user's clone) the test says so and checks nothing else.

use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

use serde_json::Value;

use docseal::{pdf::PdfVerifier, report::Verdict, time::ValidationTime};

use crate::util::testdata;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld");
    dir.join("reference.json").is_file().then_some(dir)
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One disagreement on a fact, as the divergences file names it.
fn key(file: &str, field: &str, fact: &str) -> String {
    format!("{file} [{field}] {fact}")
}

#[test]
fn real_world_signatures_agree_with_pyhanko() {
    let Some(dir) = corpus() else {
        eprintln!(
            "skipped: ../shared/realworld (the team's real-world corpus) is not beside this checkout"
        );
        return;
    };
    let reference = json(&dir.join("reference.json"));
    let index = json(&dir.join("files").join("index.json"));
    let listed = json(&testdata().join("realworld_divergences.json"));
    let listed: BTreeSet<String> = listed["divergences"]
        .as_array()
        .expect("divergences array")
        .iter()
        .map(|d| {
            let reason = d["reason"].as_str().unwrap_or_default();
            assert!(reason.len() > 20, "every divergence states its reason: {d}");
            key(
                d["file"].as_str().expect("file"),
                d["field"].as_str().expect("field"),
                d["fact"].as_str().expect("fact"),
            )
        })
        .collect();
    // No anchors: trust is not compared. A fixed time keeps the run repeatable.
    let verifier = PdfVerifier::builder().build().expect("verifier builds");
    let at = ValidationTime::from_rfc3339("2026-12-01T00:00:00Z").expect("time");
    let (mut found, mut dangerous, mut errors) = (BTreeSet::new(), Vec::new(), Vec::new());
    let mut phantom = Vec::new();
    let mut counts = [0usize; 4]; // intact both/agree, valid both/agree
    for entry in index["files"].as_array().expect("files") {
        let sha = entry["sha256"].as_str().expect("sha256");
        let id = entry["id"].as_str().expect("id");
        let Some(facts) = reference["files"].get(sha) else {
            continue; // pyHanko could not parse it: nothing to compare
        };
        let bytes = std::fs::read(
            dir.join("files")
                .join(entry["local"].as_str().expect("local")),
        )
        .expect("corpus file");
        let report = match std::panic::catch_unwind(|| verifier.verify(&bytes, at)) {
            Ok(Ok(report)) => report,
            Ok(Err(e)) => {
                errors.push(format!("{id}: could not evaluate: {e}"));
                continue;
            }
            Err(_) => panic!("{id}: docseal panicked"),
        };
        // A signature field's widget kid (no /T) is not a field of its own: no name may be
        // listed both as signed and as an unsigned field (the walker did that before issue 14).
        for unsigned in &report.unsigned_fields {
            if report.signatures.iter().any(|s| &s.field == unsigned) {
                phantom.push(format!("{id}: {}", unsigned.display()));
            }
        }
        let sigs = facts["signatures"].as_array().expect("signatures");
        let bad = sigs
            .iter()
            .any(|s| s["intact"] == false || s["valid"] == false);
        if report.verdict() == Verdict::Valid && bad {
            dangerous.push(id.to_owned());
        }
        for (i, theirs) in sigs.iter().enumerate() {
            let field = theirs["field"].as_str().unwrap_or_default();
            let ours = report
                .signatures
                .iter()
                .find(|s| s.field.display() == field)
                .or_else(|| report.signatures.get(i));
            let Some(ours) = ours else {
                found.insert(key(id, field, "missing"));
                continue;
            };
            for (n, (fact, mine)) in [("intact", ours.intact()), ("valid", ours.valid())]
                .into_iter()
                .enumerate()
            {
                let (Some(mine), Some(their)) = (mine, theirs[fact].as_bool()) else {
                    continue;
                };
                counts[2 * n] += 1;
                if mine == their {
                    counts[2 * n + 1] += 1;
                } else {
                    found.insert(key(id, field, fact));
                }
            }
        }
    }
    eprintln!(
        "real-world corpus: intact agrees {}/{}, valid agrees {}/{}; {} file(s) not evaluated",
        counts[1],
        counts[0],
        counts[3],
        counts[2],
        errors.len()
    );
    for e in &errors {
        eprintln!("  {e}");
    }
    assert!(
        dangerous.is_empty(),
        "valid while pyHanko finds a signature not intact or not valid: {dangerous:#?}"
    );
    assert!(
        phantom.is_empty(),
        "listed both as a signature and as an unsigned field: {phantom:#?}"
    );
    let unexplained: Vec<_> = found.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&found).collect();
    assert!(
        unexplained.is_empty() && stale.is_empty(),
        "disagreements with pyHanko not in testdata/realworld_divergences.json: {unexplained:#?}\n\
         listed there but no longer seen: {stale:#?}"
    );
}
