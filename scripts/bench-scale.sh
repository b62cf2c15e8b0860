#!/usr/bin/env bash
# How a whole-site check grows with the site: CPU, wall and peak RSS on the corpus and on sites
# made of 2 and 4 copies of it.
#
# Usage (from anywhere; paths are relative to the crate root):
#     scripts/bench-scale.sh [CORPUS]
#
# CORPUS defaults to ../shared/corpus/tigera-docs. SCALES (default "1 2 4") are the sizes to
# measure, RUNS (default 3) the runs of each, after one warm-up run.
#
# A site of N copies is the corpus with every doc set copied N - 1 times under a new id
# (`calico` -> `calico-x2`, `calico_versioned_docs` -> `calico-x2_versioned_docs`, its
# `_versions.json` and versioned sidebars too). A copy's `@site/<id>` imports and `/<id>/` links
# are rewritten to point into the copy, so each copy renders its own partials. Every page of
# copy K ends with `{/* copy K */}`: docdrift shares the text of identical files, and a copy
# that is byte for byte the corpus would cost almost nothing. Within a copy, files that were
# identical stay identical, so each copy shares as much as the corpus does.
#
# The run is zero-config (no docdrift.toml) at every size, so that the sizes compare; its
# figures differ from scripts/bench.sh's configured run on the corpus.
#
# Output: one table row per size: input bytes, findings, median CPU (user + sys), median wall,
# peak RSS, RSS per input byte, and CPU and RSS as multiples of the first size's figures.
# This is a measurement, not a test: nothing asserts on the numbers.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CORPUS=${1:-../shared/corpus/tigera-docs}
SCALES=${SCALES:-1 2 4}
RUNS=${RUNS:-3}

die() {
    echo "bench-scale.sh: $*" >&2
    exit 1
}

[[ -d $CORPUS ]] || die "no corpus at $CORPUS (from $ROOT); pass the path of a Docusaurus site"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
for s in $SCALES; do
    [[ $s =~ ^[1-9][0-9]?$ ]] || die "SCALES must be numbers from 1 to 99, not '$s'"
done
command -v python3 >/dev/null || die "python3 is needed to build the copies and time the runs"
CORPUS=$(cd "$CORPUS" && pwd)
ls "$CORPUS"/*_versions.json >/dev/null 2>&1 ||
    die "$CORPUS has no <id>_versions.json: the copies are made per versioned doc set"

echo "building the release binary..."
cargo build --release --quiet --bin docdrift
BIN=$ROOT/target/release/docdrift
[[ -x $BIN ]] || die "no binary at $BIN after the build (is CARGO_TARGET_DIR set elsewhere?)"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

python3 - "$BIN" "$CORPUS" "$TMP" "$RUNS" $SCALES <<'EOF'
import json, os, re, shutil, statistics, subprocess, sys

bin_, corpus, tmp, runs = sys.argv[1:5]
runs = int(runs)
scales = [int(s) for s in sys.argv[5:]]
ids = sorted(n[: -len("_versions.json")] for n in os.listdir(corpus) if n.endswith("_versions.json"))
# Longest first, so that `calico-enterprise` is not read as `calico` followed by `-enterprise`.
alt = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
imports = re.compile(r"@site/(" + alt + r")(?=[/_])")
links = re.compile(r"\]\(/(" + alt + r")(?=[/)#])")

def doc_set_paths(name):
    """The id a top-level entry belongs to, if it is one of a doc set's."""
    for i in ids:
        if name in (i, i + "_versioned_docs", i + "_versioned_sidebars", i + "_versions.json"):
            return i
    return None

def copy_entry(src, dst, k):
    """Copy one doc set entry as copy k: pages marked and their paths into the copy rewritten."""
    if os.path.isdir(src):
        for dirpath, dirnames, filenames in os.walk(src):
            rel = os.path.relpath(dirpath, src)
            os.makedirs(os.path.join(dst, rel), exist_ok=True)
            for f in filenames:
                copy_file(os.path.join(dirpath, f), os.path.join(dst, rel, f), k)
    else:
        copy_file(src, dst, k)

def copy_file(src, dst, k):
    if not src.endswith((".md", ".mdx")):
        shutil.copyfile(src, dst)
        return
    with open(src, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        shutil.copyfile(src, dst)
        return
    text = imports.sub(lambda m: f"@site/{m.group(1)}-x{k}", text)
    text = links.sub(lambda m: f"](/{m.group(1)}-x{k}", text)
    if not text.endswith("\n"):
        text += "\n"
    with open(dst, "w", encoding="utf-8", newline="") as f:
        f.write(text + f"\n{{/* copy {k} */}}\n")

def build(n):
    if n == 1:
        return corpus
    site = os.path.join(tmp, f"x{n}")
    for name in os.listdir(corpus):
        src = os.path.join(corpus, name)
        # The corpus itself is copy 1, as it is.
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(site, name), symlinks=True)
        else:
            os.makedirs(site, exist_ok=True)
            shutil.copyfile(src, os.path.join(site, name))
        i = doc_set_paths(name)
        if i is None:
            continue
        for k in range(2, n + 1):
            copy_entry(src, os.path.join(site, name.replace(i, f"{i}-x{k}", 1)), k)
    return site

def doc_bytes(site):
    total = 0
    for dirpath, _, filenames in os.walk(site):
        for f in filenames:
            if f.endswith((".md", ".mdx")):
                total += os.path.getsize(os.path.join(dirpath, f))
    return total

def run(site, json_to=None):
    """Check `site` once, writing the JSON report to `json_to` if given; (cpu s, wall s, KiB)."""
    t0 = os.times().elapsed
    fmt = ["--format", "json"] if json_to else []
    with open(os.path.join(tmp, "stderr"), "wb") as err:
        p = subprocess.Popen([bin_, "check", site, "--color", "never", *fmt],
                             stdout=json_to or subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
    wall = os.times().elapsed - t0
    code = os.waitstatus_to_exitcode(status)
    if code > 1 or code < 0:
        sys.exit(f"bench-scale.sh: docdrift check {site} exited with {code}: "
                 f"{open(os.path.join(tmp, 'stderr')).read()[:2000]}")
    return ru.ru_utime + ru.ru_stime, wall, ru.ru_maxrss

load_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
rows = []
for n in scales:
    print(f"building and checking {n} cop{'y' if n == 1 else 'ies'}...", file=sys.stderr)
    site = build(n)
    nbytes = doc_bytes(site)
    with open(os.path.join(tmp, "summary.json"), "wb") as out:
        run(site, json_to=out)  # also the warm-up
    s = json.load(open(os.path.join(tmp, "summary.json")))["summary"]
    rs = [run(site) for _ in range(runs)]
    rows.append((n, nbytes, s, statistics.median(r[0] for r in rs), statistics.median(r[1] for r in rs),
                 max(r[2] for r in rs), [r[0] for r in rs]))
    if site != corpus:
        shutil.rmtree(site)
load_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

print()
print(f"corpus: {corpus}; doc sets copied: {', '.join(ids)}; runs {runs}; zero-config")
print(f"load before: {load_before}")
print(f"load after:  {load_after}")
print()
first = f"{rows[0][0]} cop{'y' if rows[0][0] == 1 else 'ies'}"
print(f"| copies | .md/.mdx bytes | files | findings | CPU user+sys | wall | peak RSS | B per input byte | CPU vs {first} | RSS vs {first} |")
print("|---|---|---|---|---|---|---|---|---|---|")
base = rows[0]
for n, nbytes, s, cpu, wall, rss, all_ in rows:
    findings = s["errors"] + s["warnings"] + s.get("infos", 0)
    print(f"| {n} | {nbytes / 1e6:.1f} MB | {s['files']} | {findings} | {cpu:.2f} s ({' '.join(f'{x:.2f}' for x in all_)}) "
          f"| {wall:.2f} s | {rss / 1024:.1f} MiB | {rss * 1024 / nbytes:.2f} | {cpu / base[3]:.2f}× | {rss / base[5]:.2f}× |")
EOF
