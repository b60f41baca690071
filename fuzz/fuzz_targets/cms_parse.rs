//! Arbitrary bytes as a signature's CMS SignedData; invariants in `docseal::fuzzing::cms_parse`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| docseal::fuzzing::cms_parse(data));
