//! Arbitrary bytes split into revisions; invariants in `docseal::fuzzing::pdf_revisions`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docseal::fuzzing::pdf_revisions(data));
