#!/usr/bin/env bash
# The whole job on the bundled samples (run by `make demo`, with the venv's bin first on PATH):
# parse a sample, ingest every edition into a fresh store, show the store's list and one policy's
# log, diff its latest revision, write the HTML redline, then ask the whole library: index it,
# search by a code named only through a range, compare policies side by side, list the change
# feed, and write the library's static site.
#
# The store and report folders default to ./policy-store and ./demo-out; DEMO_STORE and DEMO_OUT
# override them (the tests use this so that running them never touches your own store).
set -euo pipefail
cd "$(dirname "$0")/.."

STORE="${DEMO_STORE:-policy-store}"
OUT="${DEMO_OUT:-demo-out}"
POLICY="MP-7.042"                       # three editions; the 2026 one rewords a criterion
SAMPLES="examples/policies"
PDF_SAMPLE="examples/pdf/northwind/MP-7.042/2026-03-01.pdf"
TXT_SAMPLE="examples/policies/northwind/MP-7.042/2026-03-01.txt"
REPORT="$OUT/$POLICY-diff.html"
SITE="$OUT/site"

if [ -t 1 ]; then BOLD=$'\033[1m' PLAIN=$'\033[0m'; else BOLD="" PLAIN=""; fi
step() { printf '\n%s== %s%s\n' "$BOLD" "$*" "$PLAIN"; }

# `medpolicy diff` exits 1 when it finds changes: that is its answer, not a failure.
diff_ok() { "$@" || [ $? -eq 1 ]; }

# Only ever delete something that is a store (a git repository) or empty: DEMO_STORE may name
# any folder.
if [ -e "$STORE" ]; then
  if [ -d "$STORE/.git" ] || { [ -f "$STORE/HEAD" ] && [ -d "$STORE/objects" ]; } \
     || [ -z "$(ls -A "$STORE" 2>/dev/null)" ]; then
    rm -rf -- "$STORE"
  else
    echo "demo: $STORE exists and is not a policy store; move it away or set DEMO_STORE" >&2
    exit 2
  fi
fi
mkdir -p -- "$OUT"

step "medpolicy parse $PDF_SAMPLE"
medpolicy parse "$PDF_SAMPLE"

step "the same edition as text and as PDF: no change expected"
diff_ok medpolicy diff "$TXT_SAMPLE" "$PDF_SAMPLE"

step "medpolicy --store $STORE init"
medpolicy --store "$STORE" init

step "medpolicy --store $STORE ingest $SAMPLES"
medpolicy --store "$STORE" ingest "$SAMPLES"

step "medpolicy --store $STORE list"
medpolicy --store "$STORE" list

step "medpolicy --store $STORE log $POLICY"
medpolicy --store "$STORE" log "$POLICY"

step "medpolicy --store $STORE diff $POLICY   (latest revision against the one before)"
diff_ok medpolicy --store "$STORE" diff "$POLICY"

step "HTML report"
diff_ok medpolicy --store "$STORE" diff "$POLICY" --format html --output "$REPORT"
echo "HTML diff report written to $REPORT"

step "medpolicy --store $STORE index   (the library as one SQLite file)"
medpolicy --store "$STORE" index

step "medpolicy --store $STORE search --code E10.65   (listed only inside the range E10.10-E10.9)"
medpolicy --store "$STORE" search --code E10.65

step "medpolicy --store $STORE search --code 64454 --as-of 2025-06-01   (added in 2026: nothing then)"
medpolicy --store "$STORE" search --code 64454 --as-of 2025-06-01 || { [ $? -eq 1 ] && echo "(no policy listed it then: exit status 1, as grep)"; }

step "medpolicy --store $STORE search --position not_covered --compare"
medpolicy --store "$STORE" search --position not_covered --compare

step "medpolicy --store $STORE changes --since 2025-01-01"
medpolicy --store "$STORE" changes --since 2025-01-01

step "medpolicy --store $STORE site $SITE"
if [ -e "$SITE" ] && [ ! -e "$SITE/.medpolicy-site" ]; then
  echo "demo: $SITE exists and is not a site; move it away or set DEMO_OUT" >&2
  exit 2
fi
medpolicy --store "$STORE" site "$SITE"
