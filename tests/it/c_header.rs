//! `include/docseal.h` is what cbindgen makes of `src/ffi/` today; `UPDATE_GOLDEN=1` rewrites it.

use std::path::Path;

#[test]
fn c_header_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen understands src/ffi")
        .write(&mut generated);
    let path = root.join("include/docseal.h");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(root.join("include")).expect("mkdir include");
        std::fs::write(&path, &generated).expect("write header");
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/docseal.h is stale: run `UPDATE_GOLDEN=1 cargo test --test it c_header` and commit it"
    );
}
