#!/usr/bin/env bash
# Regenerate every docseal test fixture (idempotent; overwrites testdata/pki, testdata/pdf,
# testdata/manifest.json, testdata/crosscheck.json and the cross-check table in README.md).
#
# Needs: python3 + pip (PyPI), openssl CLI, the DejaVuSans font, libnss3-tools (cmsutil + pk12util for
# the BER fixture; certutil for the cross-check) and for the cross-check poppler-utils (pdfsig). On Debian 12:
#   apt-get install -y openssl fonts-dejavu-core poppler-utils libnss3-tools
# This script installs them itself when run as root and they are missing.
#
# NOTE: keys are regenerated (random) on every run, and signatures carry the current time,
# so every run produces different bytes. The manifest's expectations do not change.
# To add or rebuild only some fixtures with the existing keys, do NOT run this script: use
#   python3 gen/make_pdfs.py --only NAME[,NAME...] && python3 gen/crosscheck.py --only NAME[,NAME...]
# (see "Adding one fixture" in testdata/README.md).
# ALL KEYS ARE TEST-ONLY KEYS. NEVER TRUST THEM.
set -euo pipefail
GEN="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need_apt=()
command -v openssl >/dev/null || need_apt+=(openssl)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v pdfsig  >/dev/null || need_apt+=(poppler-utils)
{ command -v certutil >/dev/null && command -v cmsutil >/dev/null && command -v pk12util >/dev/null; } \
  || need_apt+=(libnss3-tools)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
  else
    echo "regen.sh: please install: ${need_apt[*]} (apt-get install -y ...)" >&2
  fi
fi

PY="${PYTHON:-python3}"
"$PY" -m pip install -q -r "$GEN/requirements.txt"

bash "$GEN/make_pki.sh"
bash "$GEN/make_revocation.sh"
"$PY" "$GEN/make_pdfs.py"
if command -v pdfsig >/dev/null && command -v certutil >/dev/null; then
  "$PY" "$GEN/crosscheck.py" > "$GEN/../crosscheck.log" 2>&1 || { cat "$GEN/../crosscheck.log"; exit 1; }
  echo "regen.sh: cross-check written to testdata/crosscheck.json and README.md (log: testdata/crosscheck.log)"
else
  echo "regen.sh: pdfsig/certutil missing, cross-check skipped" >&2
fi
du -sh "$GEN/.."
