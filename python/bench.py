"""Boundary overhead: `verifier.verify(pdf_bytes, at)` from Python against the Rust API.

    cargo build --release --lib
    python3 python/bench.py              # Python only
    python3 python/bench.py --compare    # Python, then `cargo bench --bench pdf_verify --
                                         # sample_permit`, then Python again, and the ratio

Same input as benches/pdf_verify.rs: testdata/pdf/sample_permit.pdf, trust anchors
testdata/pki/bundle.pem, validation time 1_900_000_000. The release library is used
(target/release/, or $CARGO_TARGET_DIR/release/ when that is set, or DOCSEAL_LIB). Each figure
is per call: the best and the median of several repeats, each repeat averaging enough calls to
last about 0.2 s (timeit.autorange).
The Python call includes what the C ABI adds to `PdfVerifier::verify`: the report's JSON
serialization (done eagerly by docseal_pdf_verify), the ctypes call, and freeing the report.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AT = 1_900_000_000


def load_docseal():
    if not os.environ.get("DOCSEAL_LIB"):
        target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
        lib = target / "release" / "libdocseal.so"
        if not lib.is_file():
            sys.exit(
                f"{lib} is missing: run `cargo build --release --lib` first (or set DOCSEAL_LIB)"
            )
        os.environ["DOCSEAL_LIB"] = str(lib)
    sys.path.insert(0, str(HERE))
    import docseal

    return docseal


def per_call_us(stmt, repeat):
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    number = max(number, 1)
    runs = [t / number * 1e6 for t in timer.repeat(repeat=repeat, number=number)]
    return min(runs), statistics.median(runs), number


def python_figures(docseal, repeat):
    data = (REPO / "testdata" / "pdf" / "sample_permit.pdf").read_bytes()
    verifier = docseal.Verifier(trust=[REPO / "testdata" / "pki" / "bundle.pem"])
    report = verifier.verify(data, AT)
    assert report.verdict == docseal.Verdict.VALID, report.json
    for _ in range(50):  # warm caches and the allocator
        verifier.verify(data, AT)
    rows = {
        "verify(pdf_bytes, at)": per_call_us(lambda: verifier.verify(data, AT), repeat),
        "raw ctypes docseal_pdf_verify + _report_free": per_call_us(
            _raw_call(docseal, verifier, data), repeat
        ),
        "verify + .verdict + close()": per_call_us(
            lambda: _verify_verdict_close(verifier, data), repeat
        ),
        "report.signature_count (one ctypes round trip)": per_call_us(
            lambda: report.signature_count, repeat
        ),
    }
    report.close()
    verifier.close()
    return rows


def _raw_call(docseal, verifier, data):
    """The C ABI without the Python wrapper: what ctypes and docseal_pdf_verify cost."""
    import ctypes

    lib, ptr, n = docseal._ffi._lib, verifier._handle._ptr, len(data)
    verify, free = lib.docseal_pdf_verify, lib.docseal_report_free

    def call():
        out = docseal._ffi._ReportP()
        verify(ptr, data, n, AT, ctypes.byref(out), ctypes.create_string_buffer(1024), 1024)
        free(out)

    return call


def _verify_verdict_close(verifier, data):
    with verifier.verify(data, AT) as report:
        return report.verdict


def print_python(rows, label):
    print(f"Python ({label}), per call: best / median of repeats")
    for name, (best, median, number) in rows.items():
        print(f"  {name:48s} {best:9.2f} µs / {median:9.2f} µs   ({number} calls per repeat)")


_UNITS = {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}


def rust_figure():
    cmd = ["cargo", "bench", "--bench", "pdf_verify", "--", "sample_permit"]
    print("$ " + " ".join(cmd), flush=True)
    run = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"cargo bench failed:\n{run.stdout}\n{run.stderr}")
    m = re.search(
        r"pdf_verify/sample_permit\.pdf\s+time:\s+\[([\d.]+) (\S+) ([\d.]+) (\S+) ([\d.]+) (\S+)\]",
        run.stdout,
    )
    if not m:
        sys.exit(f"no pdf_verify/sample_permit.pdf line in cargo bench output:\n{run.stdout}")
    low, mid, high = (float(m.group(i)) * _UNITS[m.group(i + 1)] for i in (1, 3, 5))
    print(
        f"Rust (criterion, pdf_verify/sample_permit.pdf): time [{low:.2f} {mid:.2f} {high:.2f}] µs"
    )
    # The raw samples, for the same statistics as the Python figures.
    samples = (
        REPO / "target" / "criterion" / "pdf_verify" / "sample_permit.pdf" / "new" / "sample.json"
    )
    d = json.loads(samples.read_text())
    per = [t / i / 1e3 for t, i in zip(d["times"], d["iters"])]
    median = statistics.median(per)
    print(f"  per sample ({len(per)} samples): best {min(per):.2f} µs / median {median:.2f} µs")
    return mid, median


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", action="store_true", help="also run the criterion bench")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    docseal = load_docseal()
    print(
        f"library: {docseal.library_path} (docseal {docseal.version()}); "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    before = python_figures(docseal, args.repeat)
    print_python(before, "before")
    if not args.compare:
        return
    rust, rust_median = rust_figure()
    after = python_figures(docseal, args.repeat)
    print_python(after, "after")
    key = "verify(pdf_bytes, at)"
    best = min(before[key][0], after[key][0])
    median = statistics.median([before[key][1], after[key][1]])
    print(
        f"ratio Python/Rust (Python median of repeats / criterion time estimate): "
        f"{median / rust:.3f} (target <= 1.2); Python best / criterion: {best / rust:.3f}; "
        f"Python median / criterion sample median: {median / rust_median:.3f}; "
        f"Python - Rust = {median - rust:+.2f} µs per call"
    )


if __name__ == "__main__":
    main()
