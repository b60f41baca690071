#!/usr/bin/env python3
"""results.json -> ../RESULTS.md table body (printed to stdout)."""
import json, os, statistics as st
HERE = os.path.dirname(os.path.abspath(__file__))
r = json.load(open(os.path.join(HERE, "results.json")))
fams = [("a4_scan", "A4 scan (300/200/150 dpi page)"), ("print_scan", "print-scan"), ("phone_rotation", "phone rotation"),
        ("perspective", "perspective"), ("blur", "blur (gauss/motion)"), ("low_contrast", "low contrast"),
        ("inverted", "inverted"), ("12mp", "12 MP frame")]
print("| family | n | docseal | zxing-cpp | zbar | median ms docseal* / zxing / zbar |")
print("|---|---|---|---|---|---|")
def row(name, xs):
    n = len(xs)
    c = lambda k: sum(x[k] for x in xs)
    m = lambda k: st.median(x[k] for x in xs) * 1000
    print(f"| {name} | {n} | {c('docseal')}/{n} ({100*c('docseal')/n:.0f}%) | {c('zxing')}/{n} ({100*c('zxing')/n:.0f}%) | "
          f"{c('zbar')}/{n} ({100*c('zbar')/n:.0f}%) | {m('t_docseal'):.0f} / {m('t_zxing'):.0f} / {m('t_zbar'):.0f} |")
for k, name in fams:
    row(name, [x for x in r if x["family"] == k])
row("**overall**", r)
print()
print("Only zxing-cpp reads (docseal and zbar fail):", ", ".join(x["file"] for x in r if x["zxing"] and not x["docseal"] and not x["zbar"]) or "none")
print()
print("zxing-cpp reads, docseal fails (retry-ladder target):", ", ".join(x["file"] for x in r if x["zxing"] and not x["docseal"]))
print()
print("Read by none:", ", ".join(x["file"] for x in r if not (x["zxing"] or x["docseal"] or x["zbar"])) or "none")
print()
print("docseal reads:", ", ".join(x["file"] for x in r if x["docseal"]))
print()
print("zbar reads but zxing-cpp fails:", ", ".join(x["file"] for x in r if x["zbar"] and not x["zxing"]) or "none")
