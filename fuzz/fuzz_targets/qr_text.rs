//! Arbitrary text through the QR payload decoder; invariants in `docseal::fuzzing::qr_text`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docseal::fuzzing::qr_text(data));
