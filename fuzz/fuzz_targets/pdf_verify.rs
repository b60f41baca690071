//! Arbitrary bytes through the PDF verifier; invariants in `docseal::fuzzing::pdf_verify`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docseal::fuzzing::pdf_verify(data));
