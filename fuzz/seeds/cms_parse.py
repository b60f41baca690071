#!/usr/bin/env python3
"""Writes the seeds of the cms_parse fuzz target: every CMS in testdata/.

That is the /Contents of every signature dictionary of testdata/**/*.pdf (cut at the end of
the DER, padding dropped) and every signature timestamp token those carry as an unsigned
attribute. Identical blobs are written once (by SHA-256), named after the first file that has
them. Standard library only; run from anywhere: python3 fuzz/seeds/cms_parse.py
"""

import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = pathlib.Path(__file__).resolve().parent / "cms_parse"
# id-aa-signatureTimeStampToken, 1.2.840.113549.1.9.16.2.14 (RFC 3161 Appendix A)
TST_OID = bytes.fromhex("060b2a864886f70d010910020e")


def header(buf: bytes, pos: int):
    """(tag, content start, content length or None for indefinite)."""
    tag, first = buf[pos], buf[pos + 1]
    if first < 0x80:
        return tag, pos + 2, first
    if first == 0x80:
        return tag, pos + 2, None
    n = first & 0x7F
    return tag, pos + 2 + n, int.from_bytes(buf[pos + 2 : pos + 2 + n], "big")


def end(buf: bytes, pos: int) -> int:
    """Where the element starting at `pos` ends."""
    _, start, length = header(buf, pos)
    if length is not None:
        return start + length
    at = start
    while buf[at : at + 2] != b"\0\0":
        at = end(buf, at)
    return at + 2


def children(buf: bytes, pos: int):
    """(tag, start, end) of each child of the constructed element at `pos`."""
    _, start, length = header(buf, pos)
    stop = end(buf, pos) - (2 if length is None else 0)
    at = start
    while at < stop:
        e = end(buf, at)
        yield buf[at], at, e
        at = e


def tokens(cms: bytes):
    """The signature timestamp tokens in the unsigned attributes of `cms`'s SignerInfos."""
    try:
        explicit = [c for c in children(cms, 0) if c[0] == 0xA0][0]
        signed_data = next(children(cms, explicit[1]))
        signer_infos = [c for c in children(cms, signed_data[1]) if c[0] == 0x31][-1]
        for _, si, _ in children(cms, signer_infos[1]):
            for tag, unsigned, _ in children(cms, si):
                if tag != 0xA1:
                    continue
                for _, attr, _ in children(cms, unsigned):
                    parts = list(children(cms, attr))
                    if cms[parts[0][1] : parts[0][2]] == TST_OID:
                        for _, start, stop in children(cms, parts[1][1]):
                            yield cms[start:stop]
    except (IndexError, StopIteration):
        return


def main():
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    seen = set()
    total = 0
    for pdf in sorted((ROOT / "testdata").rglob("*.pdf")):
        data = pdf.read_bytes()
        for n, m in enumerate(re.finditer(rb"/Contents\s*<([0-9A-Fa-f\s]+)>", data)):
            raw = bytes.fromhex(re.sub(rb"\s", b"", m.group(1)).decode())
            if not raw.startswith(b"\x30"):
                continue
            try:
                cms = raw[: end(raw, 0)]
            except IndexError:
                cms = raw.rstrip(b"\0")  # truncated on purpose (e.g. truncated_cms.pdf)
            found = [(f"{pdf.stem}.{n}.cms", cms)]
            found += [(f"{pdf.stem}.{n}.tst{i}.cms", t) for i, t in enumerate(tokens(cms))]
            for name, blob in found:
                digest = hashlib.sha256(blob).digest()
                if digest in seen:
                    continue
                seen.add(digest)
                (OUT / name).write_bytes(blob)
                total += len(blob)
    print(f"{len(seen)} seeds, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
