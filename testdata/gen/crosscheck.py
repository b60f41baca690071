#!/usr/bin/env python3
"""Independent opinion on every fixture in testdata/manifest.json.

* pyHanko (Python API, pyhanko.sign.validation) with the manifest row's trust anchors,
  validation time = the row's "at" (2030-03-17T17:46:40Z), no fetching, no revocation info.
* poppler's pdfsig (NSS) with a throw-away NSS database trusting the row's anchors.
  pdfsig cannot set a validation time: it validates at the current wall-clock time.

Writes testdata/crosscheck.json and rewrites the table between the
<!-- crosscheck:begin --> / <!-- crosscheck:end --> markers in testdata/README.md.

  --only NAME[,NAME...]   check only the manifest rows of these files (as make_pdfs.py --only) and update
                          only their entries in crosscheck.json, crosscheck.log and the README table; all
                          other entries stay byte-for-byte as they are.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

TD = Path(__file__).resolve().parent.parent


def load_certs(paths):
    from asn1crypto import pem, x509

    out = []
    for p in paths:
        data = (TD / p).read_bytes()
        for _, _, der in pem.unarmor(data, multiple=True):
            out.append(x509.Certificate.load(der))
    return out


DEFAULT_CRLS = ["pki/crl"]


def issue4_row(row) -> bool:
    """Rows written for issue 4 (long-term validation) state revocation inputs / PAdES levels / POE: pyHanko
    then checks revocation (mode "require": status needed for every certificate, also without CRL DP / AIA) with
    exactly the row's crls/ocsps (plus what the document embeds)."""
    return (row.get("crls", DEFAULT_CRLS) != DEFAULT_CRLS or any(k in row for k in ("ocsps", "tsa_trust", "policy"))
            or any("pades_level" in s or "poe" in s for s in row["signatures"]))


def load_blobs(paths, ext):
    """DER blobs from files, or from the *.<ext> files directly inside a directory (not recursive)."""
    out = []
    for p in paths:
        p = TD / p
        files = sorted(p.glob(f"*.{ext}")) if p.is_dir() else [p]
        out.extend(f.read_bytes() for f in files)
    return out


def pyhanko_ades_opinion(row, es) -> str:
    """Issue-4 rows: pyHanko's EN 319 102-1 validation (pyhanko.sign.validation.ades.ades_lta_validation: signature
    timestamps, document-timestamp chain, DSS / revocationInfoArchival, past validation) at `at`, revocation REQUIRED
    for EE and CA certificates, the row's crls/ocsps as local knowledge, TSA trust = tsa_trust or trust.
    Returns the AdES (sub)indication and pyHanko's best signature time (its POE)."""
    import asyncio

    from asn1crypto import crl as acrl
    from asn1crypto import ocsp as aocsp
    from pyhanko.sign.validation.ades import ades_lta_validation
    from pyhanko.sign.validation.policy_decl import (LocalKnowledge, PdfSignatureValidationSpec,
                                                     SignatureValidationSpec)
    from pyhanko_certvalidator.context import CertValidationPolicySpec
    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
    from pyhanko_certvalidator.policy_decl import (CertRevTrustPolicy, RevocationCheckingPolicy,
                                                   RevocationCheckingRule)
    from pyhanko_certvalidator.registry import SimpleTrustManager
    from pyhanko_certvalidator.revinfo.archival import CRLContainer, OCSPContainer

    at = datetime.fromtimestamp(row["at"], tz=timezone.utc)
    req = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    rev = CertRevTrustPolicy(RevocationCheckingPolicy(ee_certificate_rule=req, intermediate_ca_cert_rule=req))

    def pol(trust):
        return CertValidationPolicySpec(trust_manager=SimpleTrustManager.build(trust_roots=load_certs(trust)),
                                        revinfo_policy=rev)

    lk = LocalKnowledge(
        known_crls=[CRLContainer(acrl.CertificateList.load(b)) for b in load_blobs(row.get("crls", DEFAULT_CRLS), "crl")],
        known_ocsps=[OCSPContainer(aocsp.OCSPResponse.load(b)) for b in load_blobs(row.get("ocsps", []), "ocsp")],
        known_certs=load_certs(row["certs"]))
    spec = PdfSignatureValidationSpec(SignatureValidationSpec(
        cert_validation_policy=pol(row["trust"]), ts_cert_validation_policy=pol(row.get("tsa_trust") or row["trust"]),
        local_knowledge=lk))
    ti = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=False)
    try:
        r = asyncio.run(ades_lta_validation(es, spec, timing_info=ti))
    except Exception as e:  # noqa: BLE001
        return f"ERROR {type(e).__name__}: {str(e)[:80]}"
    bst = getattr(r, "best_signature_time", None)
    return f"{r.ades_subindic.name}" + (f" bst={bst:%Y-%m-%dT%H:%M:%SZ}" if bst is not None and bst != at else "")


def pyhanko_opinion(row) -> str:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    at = datetime.fromtimestamp(row["at"], tz=timezone.utc)
    lt = issue4_row(row)

    def vc_kwargs(trust=None):
        kw = dict(trust_roots=load_certs(trust or row["trust"]), other_certs=load_certs(row["certs"]),
                  allow_fetching=False, revocation_mode="soft-fail")
        if lt:
            kw.update(revocation_mode="require", crls=load_blobs(row.get("crls", DEFAULT_CRLS), "crl"),
                      ocsps=load_blobs(row.get("ocsps", []), "ocsp"))
        return kw

    def vc(trust=None):
        return ValidationContext(moment=at, **vc_kwargs(trust))


    try:
        with open(TD / row["file"], "rb") as f:
            r = PdfFileReader(f, strict=False)
            sigs = r.embedded_signatures
            if not sigs:
                if b"/adbe.pkcs7.sha1" in (TD / row["file"]).read_bytes():
                    return "no signature reported (pyHanko ignores SubFilter adbe.pkcs7.sha1: unsupported)"
                return "no signatures"
            parts = []
            for es in sigs:
                name = es.field_name
                try:
                    if es.sig_object_type == "/DocTimeStamp":
                        st = validate_pdf_timestamp(es, validation_context=vc())
                    else:
                        st = validate_pdf_signature(
                            es, signer_validation_context=vc(),
                            ts_validation_context=vc(row.get("tsa_trust")) if lt else None)
                    flags = "".join(
                        [
                            "I" if st.intact else "i",
                            "V" if st.valid else "v",
                            "T" if st.trusted else "t",
                        ]
                    )
                    cov = st.coverage.name if st.coverage is not None else "?"
                    mod = getattr(st, "modification_level", None)
                    mod = mod.name if mod is not None else "-"
                    ok = getattr(st, "bottom_line", None)
                    if ok is None:  # DocumentTimestampStatus has no bottom_line
                        ok = bool(st.intact and st.valid and st.trusted)
                    verdict = "OK" if ok else "NOT OK"
                    extra = ""
                    if lt:
                        ts = getattr(st, "timestamp_validity", None)
                        if ts is not None:
                            extra += f" ts={'ok' if ts.valid and ts.intact and ts.trusted else 'NOT ok'}@{ts.timestamp:%Y-%m-%dT%H:%M:%SZ}"
                        summ = getattr(st, "trust_problem_indic", None)
                        if summ is not None:
                            extra += f" {summ.name}"
                        rv = getattr(st, "revoked", None)
                        if rv:
                            extra += " REVOKED"
                    if lt and es.sig_object_type != "/DocTimeStamp":
                        extra += f" / AdES: {pyhanko_ades_opinion(row, es)}"
                    parts.append(f"{name}: {verdict} [{flags}] {cov} mod={mod}{extra}")
                except Exception as e:  # noqa: BLE001
                    parts.append(f"{name}: ERROR {type(e).__name__}: {str(e)[:90]}")
            return "; ".join(parts)
    except Exception as e:  # noqa: BLE001
        return f"ERROR {type(e).__name__}: {str(e)[:100]}"


def pdfsig_opinion(row, nss_cache) -> str:
    if not shutil.which("pdfsig"):
        return "(pdfsig not installed)"
    key = tuple(row["trust"])
    if key not in nss_cache:
        d = tempfile.mkdtemp(prefix="docseal-nss-")
        subprocess.run(["certutil", "-N", "-d", f"sql:{d}", "--empty-password"], check=True)
        for i, p in enumerate(row["trust"]):
            data = (TD / p).read_text()
            for j, blk in enumerate(re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", data, re.S)):
                cp = Path(d, f"a{i}_{j}.pem")
                cp.write_text(blk + "\n")
                subprocess.run(["certutil", "-A", "-d", f"sql:{d}", "-n", f"anchor{i}_{j}", "-t", "C,C,C",
                                "-i", str(cp)], check=True)
        nss_cache[key] = d
    p = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss_cache[key]}", row["file"]], cwd=TD,
                       capture_output=True, text=True, errors="replace")
    out = p.stdout + p.stderr
    sigs = re.split(r"Signature #\d+:", out)
    if len(sigs) == 1:
        last = [l.strip() for l in out.strip().splitlines() if l.strip()]
        return (last[-1] if last else f"rc={p.returncode}")[:100]
    res = []
    for blk in sigs[1:]:
        name = re.search(r"Field Name: (.*)", blk)
        sv = re.search(r"Signature Validation: (.*)", blk)
        cv = re.search(r"Certificate Validation: (.*)", blk)
        total = "total" if "Total document signed" in blk else ("partial" if "Not total document signed" in blk else "")
        if not sv and "not signed" in blk.lower() or "unsigned" in blk.lower():
            res.append(f"{name.group(1) if name else '?'}: (unsigned field)")
            continue
        s = f"{name.group(1) if name else '?'}: {sv.group(1).rstrip('.') if sv else '?'}"
        if cv:
            s += f" / {cv.group(1).rstrip('.')}"
        if total:
            s += f" ({total})"
        res.append(s)
    return "; ".join(res)


def inputs_text(row) -> str:
    """Non-default issue-4 inputs of a manifest row, for the log and the table ('' for the others)."""
    bits = []
    if row.get("crls", DEFAULT_CRLS) != DEFAULT_CRLS:
        bits.append("crls: " + (", ".join(Path(c).name for c in row["crls"]) or "none"))
    if "ocsps" in row:
        bits.append("ocsps: " + (", ".join(Path(c).name for c in row["ocsps"]) or "none"))
    if "tsa_trust" in row:
        bits.append("tsa_trust: " + ", ".join(Path(c).name for c in row["tsa_trust"]))
    if "policy" in row:
        bits.append("policy: " + row["policy"])
    return f" ({'; '.join(bits)})" if bits else ""


def log_block(r) -> str:
    return (f"{r['file']:36s} [{','.join(Path(t).name for t in r['trust'])}] expect={r['expected']}{r.get('inputs', '')}\n"
            f"    pyHanko: {r['pyhanko']}\n    pdfsig : {r['pdfsig']}")


def table_row(r) -> str:
    exp = r["expected"] + (f" / {r['expected_sub']}" if r["expected_sub"] else "") + r.get("inputs", "")
    esc = lambda s: s.replace("|", "\\|")  # noqa: E731
    return (f"| `{Path(r['file']).name}` | {', '.join(Path(t).name for t in r['trust'])} | {exp} | "
            f"{esc(r['pyhanko'])} | {esc(r['pdfsig'])} |")


def merge_in_manifest_order(manifest, new, old, key_of):
    """One item per manifest row: the new item for rows that were checked now, the old item (kept
    verbatim) for the others. key_of(item) -> (file name, trust text)."""
    def mkey(row):
        return Path(row["file"]).name, ", ".join(Path(t).name for t in row["trust"])

    new_pool, old_pool = [(key_of(x), x) for x in new], [(key_of(x), x) for x in old]
    out = []
    for row in manifest:
        for pool in (new_pool, old_pool):
            hit = next((j for j, (k, _) in enumerate(pool) if k == mkey(row)), None)
            if hit is not None:
                out.append(pool.pop(hit)[1])
                break
        else:
            print(f"crosscheck.py: WARNING: no cross-check yet for {mkey(row)} (run it with --only)", file=sys.stderr)
    return out


def merge_only(manifest, results, only):
    """--only: splice the new results into crosscheck.json, crosscheck.log and the README table."""
    jpath, lpath, readme = TD / "crosscheck.json", TD / "crosscheck.log", TD / "README.md"
    rkey = lambda r: (Path(r["file"]).name, ", ".join(Path(t).name for t in r["trust"]))  # noqa: E731
    old_text = jpath.read_text(encoding="utf-8") if jpath.exists() else "[]\n"
    old = [r for r in json.loads(old_text) if Path(r["file"]).name not in only]
    merged = merge_in_manifest_order(manifest, results, old, rkey)
    jpath.write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    # log: keep every old block verbatim except those of the re-checked files
    blocks, pre = [], []
    if lpath.exists():
        for line in lpath.read_text(encoding="utf-8").splitlines():
            m = re.match(r"(\S+)\s+\[([^\]]*)\] expect=", line)
            if m:
                blocks.append([(Path(m.group(1)).name, m.group(2).replace(",", ", ")), line])
            elif blocks:
                blocks[-1].append(line)
            else:
                pre.append(line)
    old_blocks = [(b[0], "\n".join(b[1:])) for b in blocks if b[0][0] not in only]
    new_blocks = [(rkey(r), log_block(r)) for r in results]
    lb = merge_in_manifest_order(manifest, new_blocks, old_blocks, lambda b: b[0])
    lpath.write_text("\n".join(pre + [b[1] for b in lb]) + "\n", encoding="utf-8")

    # README: header lines kept, rows of the re-checked files replaced / inserted
    if readme.exists():
        txt = readme.read_text(encoding="utf-8")
        m = re.search(r"<!-- crosscheck:begin -->\n(.*?)\n<!-- crosscheck:end -->", txt, flags=re.S)
        if m:
            lines = m.group(1).split("\n")
            first = next((i for i, l in enumerate(lines) if l.startswith("| `")), len(lines))

            def lkey(line):
                c = line.split(" | ")
                return c[0][len("| `"):-1], c[1]

            old_rows = [(lkey(l), l) for l in lines[first:] if lkey(l)[0] not in only]
            new_rows = [(rkey(r), table_row(r)) for r in results]
            rows = merge_in_manifest_order(manifest, new_rows, old_rows, lambda x: x[0])
            body = "\n".join(lines[:first] + [x[1] for x in rows])
            readme.write_text(txt[: m.start(1)] + body + txt[m.end(1):], encoding="utf-8")


def main(argv=None):
    import logging

    ap = argparse.ArgumentParser(description="pyHanko + pdfsig opinion on the manifest rows")
    ap.add_argument("--only", action="append", metavar="NAME[,NAME...]",
                    help="check only these fixture files and splice their results into the existing outputs")
    args = ap.parse_args(argv)
    only = set()
    for a in args.only or ():
        for n in a.split(","):
            n = Path(n.strip()).name
            if n:
                only.add(n if n.endswith(".pdf") else n + ".pdf")

    logging.disable(logging.CRITICAL)  # pyHanko logs expected failures with tracebacks
    manifest = json.loads((TD / "manifest.json").read_text(encoding="utf-8"))
    rows = [r for r in manifest if Path(r["file"]).name in only] if only else manifest
    if only and {Path(r["file"]).name for r in rows} != only:
        ap.error(f"not in manifest.json: {sorted(only - {Path(r['file']).name for r in rows})}")
    nss = {}
    results = []
    try:
        for row in rows:
            ph = pyhanko_opinion(row)
            ps = pdfsig_opinion(row, nss)
            res = {"file": row["file"], "trust": row["trust"], "expected": row["verdict"],
                   "expected_sub": row["subindication"], "pyhanko": ph, "pdfsig": ps}
            if inputs_text(row):
                res["inputs"] = inputs_text(row)
            results.append(res)
            print(log_block(results[-1]))
    finally:
        for d in nss.values():
            shutil.rmtree(d, ignore_errors=True)
    if only:
        merge_only(manifest, results, only)
        return 0
    (TD / "crosscheck.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    from importlib.metadata import version

    pdfsig_ver = subprocess.run(["pdfsig", "-v"], capture_output=True, text=True).stderr.splitlines()[0] \
        if shutil.which("pdfsig") else "not installed"
    lines = [
        f"Generated by `gen/crosscheck.py` on {datetime.now(timezone.utc):%Y-%m-%d} with pyHanko {version('pyHanko')} "
        f"(validation time = manifest `at`, 2030-03-17T17:46:40Z, no revocation fetching) and {pdfsig_ver} "
        "(NSS, trusting the row's anchors, validating at the *current* time - it has no time option).",
        "pyHanko flags: I/i = intact (digest ok), V/v = signature valid, T/t = chain trusted; then coverage "
        "and pyHanko's modification level for later revisions.",
        "",
        "| file | trust | expected (docseal) | pyHanko | pdfsig |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(table_row(r))
    table = "\n".join(lines)
    readme = TD / "README.md"
    if readme.exists():
        txt = readme.read_text(encoding="utf-8")
        new = re.sub(r"(<!-- crosscheck:begin -->).*?(<!-- crosscheck:end -->)",
                     lambda m: m.group(1) + "\n" + table + "\n" + m.group(2), txt, flags=re.S)
        readme.write_text(new, encoding="utf-8")
    else:
        print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
