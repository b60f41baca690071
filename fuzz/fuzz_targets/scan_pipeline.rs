//! Arbitrary bytes as a scanned page through load + the whole normalization pipeline with small
//! limits; invariants in `docseal::fuzzing::scan_pipeline`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docseal::fuzzing::scan_pipeline(data));
