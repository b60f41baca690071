//! The C ABI from C (STYLE.md §6): `tests/c/*.c` compiled with the system C compiler against
//! `include/docseal.h` and linked to the cdylib cargo built next to this test binary. `smoke.c`,
//! `qr.c` and `builder.c` also run under valgrind when it is installed. Without a C compiler
//! the tests say so and pass.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use crate::util::testdata;

/// The C compiler: `$CC`, else `cc`; `None` when it does not run.
fn c_compiler() -> Option<String> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let runs = Command::new(&cc)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    runs.then_some(cc)
}

/// The directory of the cdylib built together with this test binary: `target/<profile>/deps/`.
///
/// `cargo test` writes the cdylib there, in the same rustc run as the rlib this binary links;
/// `target/<profile>/libdocseal.so` is only refreshed by `cargo build` and may be stale.
fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let deps = exe.parent().expect("deps dir");
    let name = format!(
        "{}docseal{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let dir = [Some(deps), deps.parent()]
        .into_iter()
        .flatten()
        .find(|dir| dir.join(&name).exists())
        .unwrap_or_else(|| {
            panic!(
                "{name} is neither in {} nor its parent: run through `cargo test`",
                deps.display()
            )
        });
    dir.to_path_buf()
}

/// A scratch directory removed on drop (kept when the test failed, for a look at it).
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "docseal-ffi-{}-{name}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept {} for a look", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn show(what: &str, out: &Output) -> String {
    format!(
        "{what}: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Compiles `tests/c/<name>.c` into `scratch`, linked to the cdylib; `None` without a compiler.
fn compile(name: &str, scratch: &Scratch, extra: &[&str]) -> Option<PathBuf> {
    let Some(cc) = c_compiler() else {
        println!("skipped: no C compiler");
        return None;
    };
    if !cfg!(unix) {
        println!("skipped: the C tests link with -rpath (unix only)");
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_dir = lib_dir();
    let exe = scratch.0.join(name);
    let out = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-g"])
        .args(extra)
        .arg("-I")
        .arg(root.join("include"))
        .arg(root.join("tests/c").join(format!("{name}.c")))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&lib_dir)
        .arg("-ldocseal")
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .output()
        .expect("run the C compiler");
    assert!(
        out.status.success(),
        "{}",
        show(&format!("{cc} tests/c/{name}.c"), &out)
    );
    Some(exe)
}

/// Runs `program` (possibly through a wrapper such as valgrind) with the testdata directory.
fn run(wrapper: &[&str], exe: &Path, args: &[&str]) -> Output {
    let (program, wrapper_args) = match wrapper.split_first() {
        Some((first, rest)) => (Path::new(first), rest),
        None => (exe, &[][..]),
    };
    let mut cmd = Command::new(program);
    // cargo test puts target/<profile> on LD_LIBRARY_PATH, ahead of the program's RUNPATH: a
    // libdocseal.so left there by an older `cargo build` would be loaded instead of the one
    // built with this test (a missing symbol, or old behaviour tested).
    cmd.env_remove("LD_LIBRARY_PATH");
    cmd.args(wrapper_args);
    if !wrapper.is_empty() {
        cmd.arg(exe);
    }
    cmd.arg(testdata())
        .args(args)
        // The deliberate panic of docseal_internal_panic_test prints through the panic hook:
        // keep that to two lines (and valgrind fast) rather than a backtrace.
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the C program")
}

#[test]
fn c_smoke_test_passes() {
    assert_c_program_passes("smoke", &[env!("CARGO_PKG_VERSION")]);
}

#[test]
fn c_smoke_test_is_clean_under_valgrind() {
    assert_clean_under_valgrind("smoke", &[env!("CARGO_PKG_VERSION")]);
}

#[test]
fn c_qr_test_passes() {
    assert_c_program_passes("qr", &[]);
}

#[test]
fn c_qr_test_is_clean_under_valgrind() {
    assert_clean_under_valgrind("qr", &[]);
}

/// The real Vietnamese roots for `tests/c/builder.c`, or `-` when `../shared/trust/vn` is
/// absent (a user's clone): the C program then skips the checks that need them.
fn vn_dir() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/trust/vn");
    if dir.is_dir() {
        dir.display().to_string()
    } else {
        println!(
            "{} is absent: builder.c skips the vn profile",
            dir.display()
        );
        "-".to_owned()
    }
}

#[test]
fn c_builder_test_passes() {
    assert_c_program_passes("builder", &[&vn_dir()]);
}

#[test]
fn c_builder_test_is_clean_under_valgrind() {
    assert_clean_under_valgrind("builder", &[&vn_dir()]);
}

/// Runs `tests/c/<name>.c`: it exits 0 after printing "checks passed". Passes with a note
/// when there is no C compiler.
fn assert_c_program_passes(name: &str, args: &[&str]) {
    let scratch = Scratch::new(name);
    let Some(exe) = compile(name, &scratch, &[]) else {
        return;
    };
    let out = run(&[], &exe, args);
    let what = format!("tests/c/{name}.c");
    assert!(out.status.success(), "{}", show(&what, &out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("checks passed"),
        "{}",
        show(&format!("{what} did not finish"), &out)
    );
}

/// Runs `tests/c/<name>.c` under valgrind: no memory error, nothing definitely or indirectly
/// lost. Passes with a note when valgrind or a C compiler is missing.
fn assert_clean_under_valgrind(name: &str, args: &[&str]) {
    if !Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("skipped: valgrind is not installed");
        return;
    }
    let scratch = Scratch::new(&format!("{name}-valgrind"));
    let Some(exe) = compile(name, &scratch, &[]) else {
        return;
    };
    let out = run(
        &[
            "valgrind",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite,indirect",
        ],
        &exe,
        args,
    );
    let report = show(&format!("valgrind tests/c/{name}.c"), &out);
    assert_ne!(
        out.status.code(),
        Some(99),
        "valgrind found errors\n{report}"
    );
    assert!(out.status.success(), "{report}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ERROR SUMMARY: 0 errors"),
        "valgrind found errors\n{report}"
    );
    assert!(
        stderr.contains("All heap blocks were freed")
            || (stderr.contains("definitely lost: 0 bytes")
                && stderr.contains("indirectly lost: 0 bytes")),
        "valgrind found leaks\n{report}"
    );
}

#[test]
fn c_threads_share_a_verifier_and_a_report() {
    let scratch = Scratch::new("threads");
    let Some(exe) = compile("threads", &scratch, &["-pthread"]) else {
        return;
    };
    let out = run(&[], &exe, &["20"]);
    assert!(out.status.success(), "{}", show("tests/c/threads.c", &out));
}
