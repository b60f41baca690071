#!/usr/bin/env python3
"""Decode every render with docseal (verify_permit), zxing-cpp and zbar; write results.json."""
import json, os, subprocess, sys, time
from PIL import Image
import zxingcpp
from pyzbar import pyzbar

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
QRDIR = os.path.dirname(OUT)
MAIN = os.path.dirname(os.path.dirname(QRDIR))
BIN = os.path.join(MAIN, "target/release/examples/verify_permit")
CERTS = {"vn1_es256": ["TEST-ONLY_vn1_es256.der"], "vn1_eddsa": ["TEST-ONLY_vn1_eddsa.der"],
         "hc1_vaccination": ["TEST-ONLY_hc1_dsc.der", "TEST-ONLY_hc1_dsc_vac.der"]}
man = json.load(open(os.path.join(OUT, "manifest.json")))
res = []
for e in man:
    path = os.path.join(OUT, e["file"])
    src = os.path.basename(e["source_txt"])[:-4]
    want = open(os.path.join(QRDIR, src + ".txt")).read()
    cmd = [BIN, "--json"]
    for c in CERTS[src]:
        cmd += ["--qr-trust", os.path.join(QRDIR, "certs", c)]
    cmd += ["--at", "2030-03-17T17:46:40Z", path]
    t = time.perf_counter(); p = subprocess.run(cmd, capture_output=True, text=True); td = time.perf_counter() - t
    try:
        j = json.loads(p.stdout)
    except Exception:
        j = {"qr_decoded": False}
    ds = bool(j.get("qr_decoded")) and j.get("qr_text") == want
    ds_any = bool(j.get("qr_decoded"))
    im = Image.open(path); im.load()
    t = time.perf_counter(); zx = zxingcpp.read_barcodes(im); tz = time.perf_counter() - t
    zx_ok = any(b.text == want for b in zx)
    g = im.convert("L")
    t = time.perf_counter(); zb = pyzbar.decode(g); tb = time.perf_counter() - t
    zb_ok = any(b.data.decode("utf-8", "replace") == want for b in zb)
    r = {"file": e["file"], "family": e["family"], "docseal": ds, "docseal_decoded_any": ds_any,
         "docseal_verdict": j.get("verdict"), "zxing": zx_ok, "zbar": zb_ok,
         "t_docseal": td, "t_zxing": tz, "t_zbar": tb}
    res.append(r)
    print(e["file"], ds, zx_ok, zb_ok, f"{td:.3f} {tz:.3f} {tb:.3f}", flush=True)
json.dump(res, open(os.path.join(HERE, "results.json"), "w"), indent=1)
