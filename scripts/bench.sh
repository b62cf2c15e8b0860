#!/usr/bin/env bash
# Benchmark docdrift on a real documentation tree: parser, whole-site check, pre-commit.
#
# Usage (from anywhere; paths are relative to the crate root):
#     scripts/bench.sh [CORPUS] [-- EXTRA CHECK ARGS...]
#
# CORPUS defaults to ../shared/corpus/tigera-docs; for that corpus the script passes
# `--config tests/corpus/tigera-docs.docdrift.toml`, which describes its doc sets. Extra
# arguments after `--` go to the whole-site `docdrift check` as they are.
#
# What it measures, in one run, and prints as a table at the end:
# - the machine's load (`uptime`) before and after: the other jobs on the machine change
#   every figure here, so a figure without its load means little;
# - parser throughput: `examples/parse_bench.rs` parses every .md/.mdx file of the tree with
#   docdrift's parser and with pulldown-cmark, alternately, REPS times (default 7), on one
#   thread, and reports the median MB/s of each in the thread's CPU time, and the median of
#   docdrift's MB/s over pulldown-cmark's within each rep (the two passes of a rep run back to
#   back, so this ratio moves less with the machine than the two medians do);
# - the whole-site `docdrift check` (all rules), after one warm-up run, RUNS times (default 5):
#   median CPU (user + sys), median wall, peak RSS and RSS per byte of input, and its CPU as a
#   multiple of pulldown-cmark's, measured two ways: against the parse alone (parse_bench's
#   thread CPU, no reading), and against a whole process that walks the tree, reads every
#   .md/.mdx file and parses it with pulldown-cmark (`examples/pulldown_tree.rs`, timed as the
#   check is, with wait4, alternating with it; it is also run reading without parsing). The
#   second is the yardstick of the issue that set the goal: its table set docdrift's CPU against
#   processes that read the tree (the check at 430% of the pulldown-cmark one, 1,130% of reading);
# - pre-commit (`docdrift check --changed FILE...` run from inside the corpus, as the hook runs
#   it) with a warm index cache in a temporary DOCDRIFT_CACHE_DIR: one changed page, and five
#   changed files of which one is a partial that many pages render (PARTIAL, root-relative; by
#   default the partial the most pages import with an `@site/` path). Median CPU and wall of
#   RUNS runs each, and the cold run (empty cache) once.
# CPU and peak RSS come from wait4(2) on each child (python3's os.wait4).
#
# Build: `cargo build --release` of the binary and the example; set
# CARGO_PROFILE_RELEASE_DEBUG=line-tables-only when you also profile, so both use one build.
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
REPS=${REPS:-7}

die() {
    echo "bench.sh: $*" >&2
    exit 1
}

[[ -d $CORPUS ]] || die "no corpus at $CORPUS (from $ROOT); pass the path of a Docusaurus site as the first argument"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive number, not '$REPS'"
command -v cargo >/dev/null || die "cargo is not on PATH"
command -v python3 >/dev/null || die "python3 is needed to time the runs and read the JSON summary"

CORPUS=$(cd "$CORPUS" && pwd)
CONFIG=()
if [[ $CORPUS == $(cd "$DEFAULT_CORPUS" 2>/dev/null && pwd) ]]; then
    CONFIG=(--config "$ROOT/tests/corpus/tigera-docs.docdrift.toml")
fi

echo "building the release binary, examples/parse_bench.rs and examples/pulldown_tree.rs..."
cargo build --release --quiet --bin docdrift --example parse_bench --example pulldown_tree
BIN=$ROOT/target/release/docdrift
PARSE_BENCH=$ROOT/target/release/examples/parse_bench
PULLDOWN_TREE=$ROOT/target/release/examples/pulldown_tree
[[ -x $BIN && -x $PARSE_BENCH && -x $PULLDOWN_TREE ]] || die "no binaries under $ROOT/target/release after the build (is CARGO_TARGET_DIR set elsewhere?)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

LOAD_BEFORE=$(uptime)
echo "load: $LOAD_BEFORE"

echo "parser: $PARSE_BENCH (REPS=$REPS)"
REPS=$REPS "$PARSE_BENCH" "$CORPUS" "${CONFIG[@]:1}" >"$TMP/parse" 2>"$TMP/parse.err" ||
    die "parse_bench failed: $(head -c 2000 "$TMP/parse.err")"

# The pre-commit sets: every Nth document of the sorted list (the same choice on every
# machine), partials left out; the five-file set swaps its last page for PARTIAL.
mapfile -t ALL < <(cd "$CORPUS" && find . -type f \( -name '*.md' -o -name '*.mdx' \) -not -path '*/node_modules/*' -not -name '_*' | sed 's|^\./||' | LC_ALL=C sort)
(( ${#ALL[@]} > 5 )) || die "fewer than six pages under $CORPUS"
if [[ -z ${PARTIAL:-} ]]; then
    PARTIAL=$( (cd "$CORPUS" && grep -rhoE --include='*.md' --include='*.mdx' "from ['\"]@site/[^'\"]*/_[^'\"/]+\.mdx?['\"]" . || true) |
        sed -E "s/^from ['\"]@site\///; s/['\"]$//" | LC_ALL=C sort | uniq -c | sort -k1,1nr -k2 | awk 'NR == 1 { print $2 }')
fi
[[ -n $PARTIAL && -f $CORPUS/$PARTIAL ]] || die "no partial to change (PARTIAL='${PARTIAL:-}'): set PARTIAL to a root-relative partial"
STEP=$(( ${#ALL[@]} / 6 ))
ONE=("${ALL[STEP]}")
FIVE=("${ALL[STEP]}" "${ALL[2 * STEP]}" "${ALL[3 * STEP]}" "${ALL[4 * STEP]}" "$PARTIAL")

export DOCDRIFT_CACHE_DIR=$TMP/cache
python3 - "$BIN" "$CORPUS" "$RUNS" "$TMP" "$TMP/parse" "$LOAD_BEFORE" "$PULLDOWN_TREE" "${#CONFIG[@]}" "${CONFIG[@]}" \
    "${#EXTRA[@]}" "${EXTRA[@]}" "${#ONE[@]}" "${ONE[@]}" "${#FIVE[@]}" "${FIVE[@]}" <<'EOF'
import json, os, shutil, statistics, subprocess, sys

bin_, corpus, runs, tmp, parse_out, load_before, pulldown_tree = sys.argv[1:8]
runs = int(runs)
rest = sys.argv[8:]
def take():
    global rest
    n = int(rest[0])
    out, rest = rest[1:1 + n], rest[1 + n:]
    return out
config, extra, one, five = take(), take(), take(), take()

def run(args, cwd=None, stdout=subprocess.DEVNULL):
    """Run once; (cpu s, wall s, peak RSS KiB). Findings (exit 1) are fine."""
    t0 = os.times().elapsed
    with open(os.path.join(tmp, "stderr"), "wb") as err:
        p = subprocess.Popen(args, cwd=cwd, stdout=stdout, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
    wall = os.times().elapsed - t0
    code = os.waitstatus_to_exitcode(status)
    if code > 1 or code < 0:
        sys.exit(f"bench.sh: {' '.join(args)} exited with {code}: {open(os.path.join(tmp, 'stderr')).read()[:2000]}")
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss

def median_of(args, cwd=None):
    rs = [run(args, cwd) for _ in range(runs)]
    return (statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs), max(r[2] for r in rs),
            [r[0] for r in rs])

# Parser.
parse = {}
for line in open(parse_out):
    w = line.split()
    if w[0] == "files":
        files_found, nbytes = int(w[1]), int(w[3])
    elif w[0] == "ratio":
        paired = (float(w[1]), float(w[4]), float(w[6]))
    else:
        parse[w[0]] = (float(w[1]), float(w[4]), float(w[6]), w[8])
mb = nbytes / 1e6

# Whole-site check.
check = [bin_, "check", corpus, "--color", "never", *config, *extra]
print("whole-site: " + " ".join(check), file=sys.stderr)
with open(os.path.join(tmp, "summary.json"), "wb") as out:
    run(check + ["--format", "json"], stdout=out)
s = json.load(open(os.path.join(tmp, "summary.json")))["summary"]
# The check and the two pulldown_tree processes alternate, so that a burst of load on the
# machine falls on all three alike.
tree, reading = [pulldown_tree, corpus], [pulldown_tree, corpus, "--read-only"]
rounds = [(run(check), run(tree), run(reading)) for _ in range(runs)]
c_all = [r[0][0] for r in rounds]
c_cpu, c_wall, c_rss = statistics.median(c_all), statistics.median(r[0][1] for r in rounds), max(r[0][2] for r in rounds)
t_all = [r[1][0] for r in rounds]
t_cpu, r_cpu = statistics.median(t_all), statistics.median(r[2][0] for r in rounds)
# Within each round, as for the parser: the three ran back to back.
t_ratio = statistics.median(c / t for c, t in zip(c_all, t_all))

# Pre-commit, from inside the corpus as the hook runs it.
hook = [bin_, "check", "--changed"]
tail = [*config, "--color", "never"]
shutil.rmtree(os.environ["DOCDRIFT_CACHE_DIR"], ignore_errors=True)
cold = run(hook + one + tail, cwd=corpus)
pre = {}
for name, files in (("1", one), ("5", five)):
    run(hook + files + tail, cwd=corpus)  # the index is warm for this set
    pre[name] = median_of(hook + files + tail, cwd=corpus)

load_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
dd, pd = parse["docdrift"], parse["pulldown-cmark"]
pulldown_cpu = mb / pd[0]
ms = lambda x: f"{x * 1000:.0f} ms"
print()
print(f"corpus: {corpus}: {files_found} .md/.mdx files, {mb:.2f} MB; check: {s['files']} files, "
      f"{s['errors']} errors, {s['warnings']} warnings; runs {runs}, parser reps {os.environ.get('REPS', '7')}")
print(f"load before: {load_before.strip()}")
print(f"load after:  {load_after}")
print()
print("| measure | figure | goal |")
print("|---|---|---|")
print(f"| parse, docdrift (1 thread, {dd[3]} time) | {dd[0]:.1f} MB/s (min {dd[1]:.1f}, max {dd[2]:.1f}) "
      f"= {dd[0] / pd[0]:.2f}× pulldown-cmark; paired by rep {paired[0]:.2f}× "
      f"(min {paired[1]:.2f}, max {paired[2]:.2f}) | ≥ 1× |")
print(f"| parse, pulldown-cmark (1 thread, {pd[3]} time) | {pd[0]:.1f} MB/s (min {pd[1]:.1f}, max {pd[2]:.1f}) | |")
print(f"| whole-site check, CPU user+sys | {c_cpu:.3f} s (runs: {' '.join(f'{x:.3f}' for x in c_all)}) | |")
print(f"| … as a multiple of a process reading and parsing the tree with pulldown-cmark | "
      f"{t_ratio:.2f}× (median within a round; that process {t_cpu:.3f} s, reading alone {r_cpu:.3f} s) | ≤ 1.5× |")
print(f"| … as a multiple of pulldown-cmark's parse alone (1 thread, no reading) | "
      f"{c_cpu / pulldown_cpu:.1f}× its {pulldown_cpu:.3f} s | |")
print(f"| whole-site check, wall | {c_wall:.3f} s (CPU/wall {c_cpu / c_wall:.2f} cores) | ≤ 0.3 s idle |")
print(f"| whole-site check, peak RSS | {c_rss / 1024:.1f} MiB = {c_rss * 1024 / nbytes:.2f} B per input byte | ≤ 2 |")
for name, label, goal in (("1", "1 page", "≤ 30 ms"), ("5", "4 pages + a partial", "≤ 100 ms")):
    cpu, wall, _, all_ = pre[name]
    print(f"| pre-commit warm, {label}, CPU | {ms(cpu)} (wall {ms(wall)}; runs: "
          f"{' '.join(f'{x * 1000:.0f}' for x in all_)}) | {goal} |")
print(f"| pre-commit cold, 1 page, CPU | {ms(cold[0])} (wall {ms(cold[1])}) | ≤ whole-site |")
print()
print("pre-commit, 1 page:  " + " ".join(one))
print("pre-commit, 5 files: " + " ".join(five))
EOF
