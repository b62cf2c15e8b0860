#!/usr/bin/env bash
# Benchmark `docdrift check` on a real documentation tree.
#
# Usage (from anywhere; paths are relative to the crate root):
#     scripts/bench.sh [CORPUS] [-- EXTRA CHECK ARGS...]
#
# CORPUS defaults to ../shared/corpus/tigera-docs; for that corpus the script passes
# `--config tests/corpus/tigera-docs.docdrift.toml`, which describes its doc sets. Extra
# arguments after `--` go to `docdrift check` as they are.
#
# What it does: builds the release binary, runs `docdrift check` once to warm the page cache
# (and to read the file count from the JSON summary), then times RUNS more runs (default 5;
# set RUNS=N to change) with human output sent to /dev/null. It prints the files and
# megabytes checked, the median wall time, MB/s and files/s at that median, and the peak
# resident set size of the timed runs (from GNU time's `%M`, in KiB; skipped with a notice
# when /usr/bin/time is not GNU time).
#
# Exit status: 0 after a run, 1 when the corpus or a tool is missing, or when docdrift fails
# (exit 2: a configuration or internal error; exit 1, findings, is a normal result here).
# This is a measurement, not a test: nothing asserts on the numbers.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

DEFAULT_CORPUS=../shared/corpus/tigera-docs
CORPUS=$DEFAULT_CORPUS
if [[ $# -gt 0 && $1 != -- ]]; then
    CORPUS=$1
    shift
fi
if [[ ${1:-} == -- ]]; then
    shift
fi
EXTRA=("$@")
RUNS=${RUNS:-5}

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

[[ -d $CORPUS ]] || die "no corpus at $CORPUS (from $ROOT); pass the path of a Docusaurus site as the first argument"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
command -v cargo >/dev/null || die "cargo is not on PATH"
command -v python3 >/dev/null || die "python3 is needed to read the JSON summary and compute the median"

ARGS=(check "$CORPUS" --color never)
if [[ $(cd "$CORPUS" && pwd) == $(cd "$DEFAULT_CORPUS" 2>/dev/null && pwd) ]]; then
    ARGS+=(--config tests/corpus/tigera-docs.docdrift.toml)
fi
ARGS+=("${EXTRA[@]}")

echo "building the release binary..."
cargo build --release --quiet
BIN=$ROOT/target/release/docdrift
[[ -x $BIN ]] || die "no binary at $BIN after the build (is CARGO_TARGET_DIR set elsewhere?)"

GNU_TIME=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    GNU_TIME=/usr/bin/time
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# run OUT COMMAND...: run once, standard output to OUT; findings (exit 1) are fine, anything
# else stops the benchmark with docdrift's message.
run() {
    local out=$1 status=0
    shift
    "$@" >"$out" 2>"$TMP/stderr" || status=$?
    if (( status > 1 )); then
        die "docdrift exited with $status: $(head -c 2000 "$TMP/stderr")"
    fi
}

echo "warm-up: $BIN ${ARGS[*]}"
run "$TMP/summary.json" "$BIN" "${ARGS[@]}" --format json
read -r FILES ERRORS WARNINGS < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(s["files"], s["errors"], s["warnings"])
' "$TMP/summary.json")

# Bytes of the Markdown and MDX files under the corpus (what docdrift reads; files outside
# the configured doc sets, if any, are counted here too).
BYTES=$(find "$CORPUS" -type f \( -name '*.md' -o -name '*.mdx' \) -not -path '*/node_modules/*' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
FOUND=$(find "$CORPUS" -type f \( -name '*.md' -o -name '*.mdx' \) -not -path '*/node_modules/*' | wc -l)

: >"$TMP/times"
: >"$TMP/rss"
for ((i = 1; i <= RUNS; i++)); do
    start=$EPOCHREALTIME
    if [[ -n $GNU_TIME ]]; then
        run /dev/null "$GNU_TIME" -f %M -o "$TMP/rss.$i" "$BIN" "${ARGS[@]}"
        tail -n 1 "$TMP/rss.$i" >>"$TMP/rss"
    else
        run /dev/null "$BIN" "${ARGS[@]}"
    fi
    end=$EPOCHREALTIME
    echo "$start $end" | awk '{ printf "%.6f\n", $2 - $1 }' >>"$TMP/times"
    printf '  run %d: %.3f s\n' "$i" "$(tail -n 1 "$TMP/times")"
done

python3 - "$TMP/times" "$TMP/rss" "$FILES" "$BYTES" "$FOUND" "$ERRORS" "$WARNINGS" "$CORPUS" <<'EOF'
import statistics, sys
times_path, rss_path, files, nbytes, found, errors, warnings, corpus = sys.argv[1:]
times = [float(l) for l in open(times_path) if l.strip()]
rss = [int(l) for l in open(rss_path) if l.strip().isdigit()]
files, nbytes, found = int(files), int(nbytes), int(found)
median = statistics.median(times)
mb = nbytes / 1e6
print()
print(f"corpus      {corpus}")
print(f"files       {files} checked ({found} .md/.mdx files under the corpus)")
print(f"size        {mb:.2f} MB of .md/.mdx")
print(f"findings    {errors} errors, {warnings} warnings")
print(f"wall time   median {median:.3f} s of {len(times)} runs (min {min(times):.3f}, max {max(times):.3f})")
print(f"throughput  {mb / median:.1f} MB/s, {files / median:.0f} files/s")
if rss:
    print(f"peak RSS    {max(rss) / 1024:.1f} MiB ({max(rss)} KiB, GNU time %M)")
else:
    print("peak RSS    not measured: /usr/bin/time is absent or not GNU time")
EOF
