#!/usr/bin/env bash
# Benchmark `docdrift check --changed` the way the pre-commit hook runs it, on a real site.
#
# Usage (from anywhere; paths are relative to the crate root):
#     scripts/bench-precommit.sh [CORPUS]
#
# CORPUS defaults to ../shared/corpus/tigera-docs (checked with
# tests/corpus/tigera-docs.docdrift.toml). The script builds the release binary, picks 1, 3 and
# 5 documents spread over the corpus (every Nth of the sorted list, so the choice is the same
# on every machine), and runs, from inside the corpus as pre-commit does (paths relative to the
# current folder, the site root found upward):
#     docdrift check --changed FILE... --color never
# First once with an empty index cache (the cost of the first commit after a clone), then
# RUNS times (default 5) with the cache warm, printing the median wall time of each set and
# how much of the site PR mode parsed. The cache lives in a temporary folder
# (DOCDRIFT_CACHE_DIR), so the user's cache is not touched.
#
# Exit status: 0 after a run, 1 when the corpus or a tool is missing or docdrift fails with
# exit 2. This is a measurement, not a test: nothing asserts on the numbers.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
CORPUS=${1:-../shared/corpus/tigera-docs}
RUNS=${RUNS:-5}

die() {
    echo "bench-precommit.sh: $*" >&2
    exit 1
}

[[ -d $CORPUS ]] || die "no corpus at $CORPUS; pass the path of a Docusaurus site"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
command -v cargo >/dev/null || die "cargo is not on PATH"
command -v python3 >/dev/null || die "python3 is needed for the median"
CORPUS=$(cd "$CORPUS" && pwd)
CONFIG=()
if [[ $CORPUS == $(cd ../shared/corpus/tigera-docs 2>/dev/null && pwd) ]]; then
    CONFIG=(--config "$ROOT/tests/corpus/tigera-docs.docdrift.toml")
fi

echo "building the release binary..."
cargo build --release --quiet
BIN=$ROOT/target/release/docdrift

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export DOCDRIFT_CACHE_DIR=$TMP/cache

mapfile -t ALL < <(cd "$CORPUS" && find . -type f \( -name '*.md' -o -name '*.mdx' \) -not -path '*/node_modules/*' | sed 's|^\./||' | LC_ALL=C sort)
(( ${#ALL[@]} > 0 )) || die "no .md/.mdx files under $CORPUS"

# pick N: N documents spread evenly over the sorted list.
pick() {
    local n=$1 step=$(( ${#ALL[@]} / ($1 + 1) )) i
    for ((i = 1; i <= n; i++)); do
        echo "${ALL[i * step]}"
    done
}

# run FILE...: one hook run from inside the corpus; prints the wall time in seconds.
run() {
    local start end status=0
    start=$EPOCHREALTIME
    (cd "$CORPUS" && "$BIN" check --changed "$@" "${CONFIG[@]}" --color never >/dev/null 2>"$TMP/stderr") || status=$?
    end=$EPOCHREALTIME
    (( status <= 1 )) || die "docdrift exited with $status: $(head -c 2000 "$TMP/stderr")"
    echo "$start $end" | awk '{ printf "%.6f\n", $2 - $1 }'
}

median() {
    python3 -c 'import statistics, sys; print(f"{statistics.median(float(x) for x in sys.argv[1:]) * 1000:.1f}")' "$@"
}

echo "corpus: $CORPUS (${#ALL[@]} documents), $RUNS runs per set"
echo
rm -rf "$DOCDRIFT_CACHE_DIR"
mapfile -t ONE < <(pick 1)
cold=$(run "${ONE[@]}")
printf "cold cache (first run, indexes every document): %.0f ms\n" "$(awk -v t="$cold" "BEGIN { print t * 1000 }")"
for n in 1 3 5; do
    mapfile -t FILES < <(pick "$n")
    run "${FILES[@]}" >/dev/null # make sure the index is warm for this set
    times=()
    for ((r = 1; r <= RUNS; r++)); do
        times+=("$(run "${FILES[@]}")")
    done
    # Findings exit 1: not a failure here.
    stats=$( (cd "$CORPUS" && DOCDRIFT_TIMING=1 "$BIN" check --changed "${FILES[@]}" "${CONFIG[@]}" --color never 2>&1 >/dev/null || true) | grep 'documents,' | sed 's/^timing: pr: //')
    printf '%d changed file(s): median %s ms (runs: %s) — %s\n' "$n" "$(median "${times[@]}")" \
        "$(printf '%s\n' "${times[@]}" | awk '{ printf "%s%.0f", (NR > 1 ? " " : ""), $1 * 1000 }')" "$stats"
    printf '    %s\n' "${FILES[@]}"
done
