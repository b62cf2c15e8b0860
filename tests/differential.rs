//! Differential test: docdrift's MDX parser and slugger against the JavaScript stack Docusaurus
//! runs (`@mdx-js/mdx` 3 with remark-frontmatter, remark-directive and remark-gfm;
//! `github-slugger`), over every `.mdx`/`.md` file of two corpora: the real one
//! (`../shared/corpus/tigera-docs`) and the hand-written edge cases of `tests/oracle/edge-cases/`
//! (one construct per file, where micromark's rules are subtle; `reject-*` files must be
//! rejected by the compiler).
//!
//! The reference side lives in `tests/oracle/`: `dump.mjs` writes what mdast has for each file
//! (headings with Docusaurus's text and explicit id, links, definitions, code blocks, JSX
//! elements, directives, and whether the file is rejected, with the first error's position),
//! `slugs.mjs` runs `github-slugger`. Its output is cached under `target/oracle-cache/`, keyed by
//! the lock file, the oracle scripts, the node version and every file's size and mtime. This file
//! owns the comparison: both sides become lists of items (a UTF-16 span plus named fields),
//! paired by span, and every pair that differs, and every item only one side has, is a
//! disagreement; a file's rejection must agree, and the line of the first error. A disagreement
//! must be listed with its reason in `tests/oracle/exceptions.toml` (real corpus) or
//! `tests/oracle/edge-exceptions.toml` (edge cases), or the test fails; so does an exception that
//! matches nothing. Slugs must agree everywhere. Any other directory can be compared with the
//! ignored test `parser_and_slugger_agree_with_reference_on_directory` (`DOCDRIFT_DIFF_DIR`).
//!
//! Install the oracle with `npm ci --prefix tests/oracle`. Without node, the oracle's
//! `node_modules` or the corpus, the test prints why and passes, unless
//! `DOCDRIFT_REQUIRE_ORACLE=1` (CI), where that is a failure.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use docdrift::doc::{self, Document, LinkKind, ParseOptions, Slugger};
use rayon::prelude::*;
use serde::Deserialize;

/// The comparison categories, in report order.
const CATEGORIES: &[&str] =
    &["rejection", "headings", "links", "definitions", "code", "jsx", "admonitions", "panic", "slugs"];
/// Categories that `exceptions.toml` may not excuse.
const NEVER_EXCEPTED: &[&str] = &["panic", "slugs"];
/// How many disagreements the console shows; the report file has them all.
const SHOWN: usize = 20;

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

#[test]
#[cfg_attr(
    any(docdrift_no_corpus, docdrift_no_oracle),
    ignore = "needs ../shared/corpus/tigera-docs, node and tests/oracle/node_modules (npm ci --prefix tests/oracle)"
)]
fn parser_and_slugger_agree_with_reference_on_corpus() {
    let Some(env) = Env::find() else { return };
    let corpus = env.root.join("../shared/corpus/tigera-docs");
    if !corpus.is_dir() {
        env.skip(format!("the corpus {} is absent", corpus.display()));
        return;
    }
    differential(
        &env,
        &Corpus {
            root: corpus,
            name: "corpus",
            exceptions: Some(env.oracle.join("exceptions.toml")),
            report: "differential-report.txt",
        },
    );
}

/// The hand-written edge cases of `tests/oracle/edge-cases/`: one construct per file, chosen
/// where micromark's rules are subtle (tabs, laziness, containers, fences, JSX and expression
/// errors, ...). Files named `reject-*` must be rejected by the oracle's parser, every other
/// file accepted, so that a file keeps testing what its name says.
#[test]
#[cfg_attr(docdrift_no_oracle, ignore = "needs node and tests/oracle/node_modules (npm ci --prefix tests/oracle)")]
fn parser_and_slugger_agree_with_reference_on_edge_cases() {
    let Some(env) = Env::find() else { return };
    let root = env.oracle.join("edge-cases");
    let oracle = differential(
        &env,
        &Corpus {
            root,
            name: "edge",
            exceptions: Some(env.oracle.join("edge-exceptions.toml")),
            report: "differential-edge-report.txt",
        },
    );
    let wrong: Vec<String> = oracle
        .iter()
        .filter(|o| {
            let rejected = o.error.as_ref().is_some_and(|e| e.phase == "parse");
            let name = o.path.rsplit('/').next().unwrap_or(&o.path);
            rejected != name.starts_with("reject-")
        })
        .map(|o| format!("{} ({:?})", o.path, o.error.as_ref().map(|e| &e.message)))
        .collect();
    assert!(wrong.is_empty(), "edge cases must be rejected by the oracle exactly when named `reject-*`: {wrong:#?}");
}

/// Any directory, for exploring (say, generated documents): `DOCDRIFT_DIFF_DIR=/some/dir cargo
/// test --release --test differential -- --ignored --nocapture`. Its exceptions come from
/// `DOCDRIFT_DIFF_EXCEPTIONS` (default: none); the report is `differential-dir-report.txt`.
#[test]
#[ignore = "needs DOCDRIFT_DIFF_DIR"]
fn parser_and_slugger_agree_with_reference_on_directory() {
    let Some(env) = Env::find() else { return };
    let Some(dir) = std::env::var_os("DOCDRIFT_DIFF_DIR") else {
        env.skip("DOCDRIFT_DIFF_DIR is not set".to_string());
        return;
    };
    let exceptions = std::env::var_os("DOCDRIFT_DIFF_EXCEPTIONS").map(PathBuf::from);
    differential(
        &env,
        &Corpus { root: PathBuf::from(dir), name: "dir", exceptions, report: "differential-dir-report.txt" },
    );
}

/// One corpus to compare: its files, its exceptions, where its report goes.
struct Corpus {
    root: PathBuf,
    /// Distinguishes the corpus's oracle cache files.
    name: &'static str,
    /// None: no disagreement is excused.
    exceptions: Option<PathBuf>,
    report: &'static str,
}

/// Runs the comparison over every file of `corpus` and fails on any disagreement its
/// exceptions file does not excuse, or on any stale exception. Returns the oracle's records.
fn differential(env: &Env, corpus: &Corpus) -> Vec<OracleFile> {
    let started = Instant::now();

    let files = corpus_files(&corpus.root);
    assert!(!files.is_empty(), "no .mdx/.md files under {}", corpus.root.display());
    let key = cache_key(env, &corpus.root, &files);

    let t = Instant::now();
    let (dump, dump_cached) = cached(env, &format!("{}-dump", corpus.name), key, || {
        run_node(env, "dump.mjs", &[corpus.root.as_os_str()], &lines(&files))
    });
    let oracle = parse_dump(&dump, &files);
    let oracle_time = t.elapsed();

    let exceptions = corpus.exceptions.as_deref().map_or(Exceptions(Vec::new()), Exceptions::load);

    let t = Instant::now();
    let outcomes: Vec<FileOutcome> = oracle.par_iter().map(|o| compare_file(&corpus.root, o)).collect();
    let parse_time = t.elapsed();

    let t = Instant::now();
    let slug_input = slug_requests(&oracle);
    let (slug_output, slugs_cached) =
        cached(env, &format!("{}-slugs", corpus.name), key, || run_node(env, "slugs.mjs", &[], &slug_input));
    let slug_outcome = compare_slugs(&oracle, &slug_output);
    let slug_time = t.elapsed();

    let mut summary = Summary::default();
    for outcome in outcomes.iter().chain([&slug_outcome]) {
        summary.add(outcome);
    }
    summary.apply(&exceptions);

    let timing = format!(
        "{} files; oracle {} ({}), slugs {} ({}); docdrift parse + compare {}; total {}",
        files.len(),
        secs(oracle_time),
        if dump_cached { "cached" } else { "ran node" },
        secs(slug_time),
        if slugs_cached { "cached" } else { "ran node" },
        secs(parse_time),
        secs(started.elapsed()),
    );
    let exceptions_name = corpus
        .exceptions
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or("(no exceptions file)".to_string(), |n| n.to_string_lossy().into_owned());
    let report = summary.render(&timing, &exceptions_name, usize::MAX, 4000);
    let report_path = env.target.join(corpus.report);
    let _ = std::fs::write(&report_path, &report);
    eprintln!("{}", summary.render(&timing, &exceptions_name, SHOWN, 300));
    eprintln!("full report: {}", report_path.display());

    let failing = summary.unexcepted().count();
    let stale = summary.stale.len();
    assert!(
        failing == 0 && stale == 0,
        "{failing} disagreement(s) with the reference MDX stack not listed in \
         tests/oracle/{exceptions_name}, {stale} stale exception(s); see {}",
        report_path.display()
    );
    oracle
}

/// Secs with one decimal, for the timing line.
fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

// ---------------------------------------------------------------------------------------------
// Environment: where things are, and whether the oracle can run
// ---------------------------------------------------------------------------------------------

struct Env {
    /// The crate's root.
    root: PathBuf,
    oracle: PathBuf,
    /// Cargo's target directory (shared with other checkouts' builds).
    target: PathBuf,
    node_version: String,
}

/// Whether the oracle must run (CI): then a missing prerequisite is a failure, not a skip.
/// Elsewhere `build.rs` marks the tests ignored when it is missing.
fn oracle_required() -> bool {
    std::env::var("DOCDRIFT_REQUIRE_ORACLE").is_ok_and(|v| v == "1") || std::env::var_os("CI").is_some()
}

impl Env {
    /// `None` (after saying why) when the oracle cannot run here; a panic instead when
    /// `DOCDRIFT_REQUIRE_ORACLE=1`.
    fn find() -> Option<Env> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
        let oracle = root.join("tests/oracle");
        let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.join("target"));
        let skip = |why: String| -> Option<Env> {
            assert!(!oracle_required(), "DOCDRIFT_REQUIRE_ORACLE=1 but {why}");
            eprintln!("skipping the differential test: {why}");
            None
        };
        let node_version = match Command::new("node").arg("--version").output() {
            Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
            _ => return skip("`node` is not on PATH".to_string()),
        };
        if !oracle.join("node_modules").is_dir() {
            return skip(format!(
                "{} is missing (run `npm ci --prefix tests/oracle`)",
                oracle.join("node_modules").display()
            ));
        }
        Some(Env { root, oracle, target, node_version })
    }

    /// Says why a test does not run; a panic when `DOCDRIFT_REQUIRE_ORACLE=1`.
    fn skip(&self, why: String) {
        assert!(!oracle_required(), "DOCDRIFT_REQUIRE_ORACLE=1 but {why}");
        eprintln!("skipping the differential test: {why}");
    }
}

/// Every `.mdx`/`.md` file under `corpus`, as sorted `/`-separated relative paths.
fn corpus_files(corpus: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(corpus)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == "mdx" || x == "md"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(corpus).ok()?;
            let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            Some(parts.join("/"))
        })
        .collect();
    files.sort();
    files
}

fn lines(items: &[String]) -> String {
    let mut s = items.join("\n");
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------------
// Running the oracle, with a cache
// ---------------------------------------------------------------------------------------------

/// FNV-1a, 64 bits: a stable hash for the cache key without another dependency.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn bytes(&mut self, data: &[u8]) -> &mut Fnv {
        for &b in data {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so that ("ab", "c") and ("a", "bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        self
    }
}

/// Changes whenever the oracle's output could: its lock file and scripts, node, and any
/// corpus file's path, size or mtime.
fn cache_key(env: &Env, corpus: &Path, files: &[String]) -> u64 {
    let mut h = Fnv::new();
    for name in ["package-lock.json", "dump.mjs", "slugs.mjs"] {
        let data =
            std::fs::read(env.oracle.join(name)).unwrap_or_else(|e| panic!("cannot read tests/oracle/{name}: {e}"));
        h.bytes(name.as_bytes()).bytes(&data);
    }
    h.bytes(env.node_version.as_bytes());
    for file in files {
        let meta = std::fs::metadata(corpus.join(file)).unwrap_or_else(|e| panic!("cannot stat {file}: {e}"));
        let mtime = meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        h.bytes(file.as_bytes()).bytes(&meta.len().to_le_bytes()).bytes(&mtime.to_le_bytes());
    }
    h.0
}

/// The cached output `<prefix>-<key>.jsonl`, or `make()`'s, stored for next time (older files
/// with the same prefix are removed). Returns whether the cache was used.
fn cached(env: &Env, prefix: &str, key: u64, make: impl FnOnce() -> String) -> (String, bool) {
    let dir = env.target.join("oracle-cache");
    let name = format!("{prefix}-{key:016x}.jsonl");
    let path = dir.join(&name);
    if let Ok(text) = std::fs::read_to_string(&path) {
        return (text, true);
    }
    let text = make();
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let n = entry.file_name().to_string_lossy().into_owned();
            let stale = n
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('-'))
                .is_some_and(|rest| rest.len() == "0123456789abcdef.jsonl".len() && rest.ends_with(".jsonl"));
            if stale {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    // Write then rename, so that a concurrent run never reads half a file.
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, &text).is_ok() {
        let _ = std::fs::rename(&tmp, &path);
    }
    (text, false)
}

/// Runs `node tests/oracle/<script> <args>` with `input` on stdin; its stdout.
fn run_node(env: &Env, script: &str, args: &[&std::ffi::OsStr], input: &str) -> String {
    let mut child = Command::new("node")
        .arg(env.oracle.join(script))
        .args(args)
        .current_dir(&env.oracle)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start node {script}: {e}"));
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("node {script} failed: {e}"));
    let written = writer.join().expect("stdin writer thread");
    assert!(
        out.status.success(),
        "node {script} exited with {}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    written.unwrap_or_else(|e| panic!("cannot write to node {script}: {e}"));
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("node {script} wrote non-UTF-8: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The oracle's output (see the header of tests/oracle/dump.mjs)
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct OracleFile {
    path: String,
    error: Option<OracleError>,
    headings: Vec<OHeading>,
    links: Vec<OLink>,
    definitions: Vec<ODefinition>,
    code: Vec<OCode>,
    jsx: Vec<OJsx>,
    directives: Vec<ODirective>,
}

#[derive(Debug, Deserialize)]
struct OracleError {
    message: String,
    line: Option<u32>,
    column: Option<u32>,
    /// `parse`, `compile`; `read` and `oracle` are failures of the harness itself.
    phase: String,
}

#[derive(Debug, Deserialize)]
struct OHeading {
    depth: u8,
    text: String,
    id: Option<String>,
    start: u32,
    end: u32,
}

#[derive(Debug, Deserialize)]
struct OLink {
    #[serde(rename = "type")]
    kind: String,
    url: String,
    identifier: Option<String>,
    text: String,
    /// Null for a literal autolink that mdast has without a position and whose source
    /// dump.mjs could not find (see `inferLiteralSpan` there).
    start: Option<u32>,
    end: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct ODefinition {
    identifier: String,
    url: String,
    title: Option<String>,
    start: u32,
    end: u32,
}

#[derive(Debug, Deserialize)]
struct OCode {
    lang: Option<String>,
    meta: Option<String>,
    value: String,
    start: u32,
    end: u32,
}

#[derive(Debug, Deserialize)]
struct OJsx {
    name: Option<String>,
    kind: String,
    start: u32,
    end: u32,
}

#[derive(Debug, Deserialize)]
struct ODirective {
    name: String,
    kind: String,
    start: u32,
    end: u32,
}

/// One record per corpus file, in `files` order; a harness failure if the oracle lost one or
/// failed itself.
fn parse_dump(dump: &str, files: &[String]) -> Vec<OracleFile> {
    let oracle: Vec<OracleFile> = dump
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("oracle output line {}: {e}", i + 1)))
        .collect();
    let got: Vec<&str> = oracle.iter().map(|o| o.path.as_str()).collect();
    assert!(
        got == files,
        "the oracle's output does not list the corpus files in order ({} records for {} files)",
        got.len(),
        files.len()
    );
    for o in &oracle {
        if let Some(e) = &o.error {
            assert!(
                e.phase == "parse" || e.phase == "compile",
                "the oracle failed on {} ({} phase): {}",
                o.path,
                e.phase,
                e.message
            );
        }
    }
    oracle
}

// ---------------------------------------------------------------------------------------------
// Positions: docdrift counts bytes, mdast counts UTF-16 code units
// ---------------------------------------------------------------------------------------------

struct TextIndex {
    /// For each byte offset that starts a char (and the end), its UTF-16 offset; `u32::MAX`
    /// inside a char. Empty for ASCII text, where both are the same.
    utf16: Vec<u32>,
    len: usize,
    /// UTF-16 offsets where lines start (after `\n`, `\r\n` or a lone `\r`, as micromark counts).
    line_starts: Vec<u32>,
}

impl TextIndex {
    fn new(text: &str) -> TextIndex {
        let ascii = text.is_ascii();
        let mut utf16 = if ascii { Vec::new() } else { vec![u32::MAX; text.len() + 1] };
        let mut line_starts = vec![0];
        let mut u = 0u32;
        let bytes = text.as_bytes();
        for (i, c) in text.char_indices() {
            if !ascii {
                utf16[i] = u;
            }
            u += c.len_utf16() as u32;
            let ends_line = c == '\n' || (c == '\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                line_starts.push(u);
            }
        }
        if !ascii {
            utf16[text.len()] = u;
        }
        TextIndex { utf16, len: text.len(), line_starts }
    }

    /// The UTF-16 offset of a docdrift byte offset; a negative number (`-1 - byte`) when the
    /// offset is outside the text or inside a char, so that it never agrees with mdast.
    fn pos(&self, byte: u32) -> i64 {
        let b = byte as usize;
        if b > self.len {
            return -1 - i64::from(byte);
        }
        if self.utf16.is_empty() {
            return i64::from(byte);
        }
        match self.utf16[b] {
            u32::MAX => -1 - i64::from(byte),
            u => i64::from(u),
        }
    }

    /// The 1-based line of a UTF-16 offset.
    fn line(&self, pos: i64) -> usize {
        if pos < 0 {
            return 0;
        }
        self.line_starts.partition_point(|&s| i64::from(s) <= pos)
    }
}

// ---------------------------------------------------------------------------------------------
// Items and pairing
// ---------------------------------------------------------------------------------------------

/// One thing one side found: where (UTF-16, see [`TextIndex::pos`]) and what.
#[derive(Clone, Debug, PartialEq)]
struct Item {
    start: i64,
    end: i64,
    fields: Vec<(&'static str, String)>,
}

impl Item {
    fn new(start: i64, end: i64) -> Item {
        Item { start, end, fields: Vec::new() }
    }
    fn field(mut self, name: &'static str, value: impl std::fmt::Debug) -> Item {
        self.fields.push((name, format!("{value:?}")));
        self
    }
    fn describe(&self) -> String {
        let mut s = format!("{}..{}", show_pos(self.start), show_pos(self.end));
        for (name, value) in &self.fields {
            let _ = write!(s, " {name}={value}");
        }
        s
    }
}

/// An oracle offset that mdast does not have.
const UNKNOWN: i64 = i64::MIN;

fn show_pos(p: i64) -> String {
    if p == UNKNOWN {
        "?".to_string()
    } else if p < 0 {
        format!("<bad byte offset {}>", -1 - p)
    } else {
        p.to_string()
    }
}

#[derive(Clone, Debug)]
struct Disagreement {
    file: String,
    category: &'static str,
    line: usize,
    /// What differs: `missing in docdrift`, `only in docdrift`, or the differing field names.
    what: String,
    oracle: Option<String>,
    docdrift: Option<String>,
}

/// Per-category counts and disagreements of one file (or of the slug comparison).
#[derive(Default)]
struct FileOutcome {
    /// (category, compared, agreed).
    counts: Vec<(&'static str, usize, usize)>,
    disagreements: Vec<Disagreement>,
    /// The oracle rejected the file while parsing, so only `rejection` was compared.
    oracle_rejected: bool,
}

/// Pairs the oracle's items with docdrift's and records every difference.
///
/// Items are paired by identical span first, then by the same start, the same end, and finally
/// by overlap, so that an item with one wrong offset is one disagreement ("end differs"), not
/// a missing and an extra one.
fn compare_items(
    category: &'static str,
    file: &str,
    index: &TextIndex,
    mut oracle: Vec<Item>,
    mut ours: Vec<Item>,
    out: &mut FileOutcome,
) {
    let key = |i: &Item| (i.start, i.end);
    oracle.sort_by_key(key);
    ours.sort_by_key(key);
    let mut pair_of: Vec<Option<usize>> = vec![None; oracle.len()];
    let mut taken = vec![false; ours.len()];

    let mut by_span: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    for (j, item) in ours.iter().enumerate().rev() {
        by_span.entry(key(item)).or_default().push(j);
    }
    for (i, item) in oracle.iter().enumerate() {
        if let Some(j) = by_span.get_mut(&key(item)).and_then(Vec::pop) {
            pair_of[i] = Some(j);
            taken[j] = true;
        }
    }
    type Rule = fn(&Item, &Item) -> bool;
    let rules: [Rule; 3] =
        [|a, b| a.start == b.start, |a, b| a.end == b.end, |a, b| a.start < b.end && b.start < a.end];
    for rule in rules {
        for (i, item) in oracle.iter().enumerate() {
            if pair_of[i].is_some() {
                continue;
            }
            if let Some(j) = (0..ours.len()).find(|&j| !taken[j] && rule(item, &ours[j])) {
                pair_of[i] = Some(j);
                taken[j] = true;
            }
        }
    }

    let compared = oracle.len() + taken.iter().filter(|t| !**t).count();
    let mut agreed = 0;
    let mut push = |line, what: String, o: Option<&Item>, d: Option<&Item>| {
        out.disagreements.push(Disagreement {
            file: file.to_string(),
            category,
            line,
            what,
            oracle: o.map(Item::describe),
            docdrift: d.map(Item::describe),
        });
    };
    for (i, o) in oracle.iter().enumerate() {
        let line = index.line(o.start);
        match pair_of[i] {
            None => push(line, "missing in docdrift".into(), Some(o), None),
            Some(j) => {
                let d = &ours[j];
                if o == d {
                    agreed += 1;
                    continue;
                }
                let mut differs: Vec<&str> = Vec::new();
                if o.start != d.start {
                    differs.push("start");
                }
                if o.end != d.end {
                    differs.push("end");
                }
                for (k, (name, value)) in o.fields.iter().enumerate() {
                    if d.fields.get(k).map(|f| &f.1) != Some(value) {
                        differs.push(name);
                    }
                }
                push(line, format!("{} differ", differs.join(", ")), Some(o), Some(d));
            }
        }
    }
    for (j, d) in ours.iter().enumerate() {
        if !taken[j] {
            push(index.line(d.start), "only in docdrift".into(), None, Some(d));
        }
    }
    out.counts.push((category, compared, agreed));
}

// ---------------------------------------------------------------------------------------------
// One file: both sides as items
// ---------------------------------------------------------------------------------------------

fn compare_file(corpus: &Path, o: &OracleFile) -> FileOutcome {
    let mut out = FileOutcome::default();
    let text = std::fs::read_to_string(corpus.join(&o.path)).unwrap_or_else(|e| panic!("cannot read {}: {e}", o.path));
    let index = TextIndex::new(&text);

    let parsed = std::panic::catch_unwind(|| doc::parse(&text, &ParseOptions::default()));
    let doc = match parsed {
        Ok(doc) => {
            out.counts.push(("panic", 1, 1));
            doc
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            out.counts.push(("panic", 1, 0));
            out.disagreements.push(Disagreement {
                file: o.path.clone(),
                category: "panic",
                line: 0,
                what: "docdrift::doc::parse panicked".into(),
                oracle: None,
                docdrift: Some(message),
            });
            return out;
        }
    };

    compare_rejection(o, &doc, &index, &mut out);
    if o.error.as_ref().is_some_and(|e| e.phase == "parse") {
        // mdast is empty for a file the parser rejects; docdrift goes on parsing, so there is
        // nothing to hold its items against.
        out.oracle_rejected = true;
        return out;
    }

    let pos = |b: u32| index.pos(b);
    let span = |s: u32, e: u32| Item::new(i64::from(s), i64::from(e));

    compare_items(
        "headings",
        &o.path,
        &index,
        o.headings
            .iter()
            .map(|h| span(h.start, h.end).field("depth", h.depth).field("text", &h.text).field("id", &h.id))
            .collect(),
        doc.headings
            .iter()
            .map(|h| {
                Item::new(pos(h.span.start), pos(h.span.end))
                    .field("depth", h.depth)
                    .field("text", &h.text)
                    .field("id", h.explicit_id.as_ref().map(|x| &x.id))
            })
            .collect(),
        &mut out,
    );

    compare_items(
        "links",
        &o.path,
        &index,
        o.links
            .iter()
            .map(|l| {
                let at = |p: Option<u32>| p.map_or(UNKNOWN, i64::from);
                Item::new(at(l.start), at(l.end))
                    .field("type", &l.kind)
                    .field("url", &l.url)
                    .field("identifier", &l.identifier)
                    .field("text", &l.text)
            })
            .collect(),
        doc.links
            .iter()
            .filter_map(|l| {
                let (kind, reference) = match (l.kind, l.image) {
                    (LinkKind::JsxAttribute, _) => return None,
                    (LinkKind::Reference, false) => ("linkReference", true),
                    (LinkKind::Reference, true) => ("imageReference", true),
                    (LinkKind::Inline | LinkKind::Autolink, false) => ("link", false),
                    (LinkKind::Inline | LinkKind::Autolink, true) => ("image", false),
                };
                Some(
                    Item::new(pos(l.span.start), pos(l.span.end))
                        .field("type", kind)
                        .field("url", &l.url)
                        .field("identifier", if reference { l.label.as_ref() } else { None })
                        .field("text", &l.text),
                )
            })
            .collect(),
        &mut out,
    );

    compare_items(
        "definitions",
        &o.path,
        &index,
        o.definitions
            .iter()
            .map(|d| {
                span(d.start, d.end).field("identifier", &d.identifier).field("url", &d.url).field("title", &d.title)
            })
            .collect(),
        doc.definitions
            .iter()
            .map(|d| {
                Item::new(pos(d.span.start), pos(d.span.end))
                    .field("identifier", &d.label)
                    .field("url", &d.url)
                    .field("title", &d.title)
            })
            .collect(),
        &mut out,
    );

    compare_items(
        "code",
        &o.path,
        &index,
        o.code
            .iter()
            .map(|c| span(c.start, c.end).field("lang", &c.lang).field("meta", &c.meta).field("value", &c.value))
            .collect(),
        doc.code_blocks
            .iter()
            .map(|c| {
                Item::new(pos(c.span.start), pos(c.span.end))
                    .field("lang", &c.lang)
                    .field("meta", &c.meta)
                    .field("value", &c.value)
            })
            .collect(),
        &mut out,
    );

    compare_items(
        "jsx",
        &o.path,
        &index,
        o.jsx
            .iter()
            .map(|j| span(j.start, j.end).field("name", j.name.as_deref().unwrap_or("")).field("kind", &j.kind))
            .collect(),
        doc.jsx
            .iter()
            .map(|j| {
                Item::new(pos(j.span.start), pos(j.span.end))
                    .field("name", &j.name)
                    .field("kind", if j.flow { "flow" } else { "text" })
            })
            .collect(),
        &mut out,
    );

    compare_items(
        "admonitions",
        &o.path,
        &index,
        o.directives
            .iter()
            .filter(|d| d.kind == "container")
            .map(|d| span(d.start, d.end).field("name", &d.name))
            .collect(),
        doc.admonitions.iter().map(|a| Item::new(pos(a.span.start), pos(a.span.end)).field("name", &a.kind)).collect(),
        &mut out,
    );

    out
}

/// Whether both sides reject the file, and when both do, on the same line.
fn compare_rejection(o: &OracleFile, doc: &Document, index: &TextIndex, out: &mut FileOutcome) {
    let ours = doc.mdx_errors.first().map(|e| {
        let line = index.line(index.pos(e.span.start));
        (line, format!("rejects at line {line}: {} ({:?})", e.reason, e.kind))
    });
    // mdast-util-mdx-jsx gives no position for a tag left open at the end of the document
    // (line 0 here): then only whether both sides reject is compared.
    let theirs = o.error.as_ref().map(|e| {
        let line = e.line.unwrap_or(0) as usize;
        let column = e.column.unwrap_or(0);
        (line, format!("rejects at {line}:{column} ({}): {}", e.phase, e.message))
    });
    let (agree, line) = match (&theirs, &ours) {
        (None, None) => (true, 0),
        (Some((0, _)), Some((b, _))) => (true, *b),
        (Some((a, _)), Some((b, _))) => (a == b, *a),
        (Some((a, _)), None) => (false, *a),
        (None, Some((b, _))) => (false, *b),
    };
    out.counts.push(("rejection", 1, usize::from(agree)));
    if !agree {
        let describe =
            |side: &Option<(usize, String)>| Some(side.as_ref().map_or("accepts".to_string(), |s| s.1.clone()));
        out.disagreements.push(Disagreement {
            file: o.path.clone(),
            category: "rejection",
            line,
            what: match (&theirs, &ours) {
                (Some(_), Some(_)) => "first error line differs".into(),
                _ => "accepted by one side only".into(),
            },
            oracle: describe(&theirs),
            docdrift: describe(&ours),
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Slugs
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
struct SlugLine {
    file: String,
    slugs: Vec<String>,
}

/// Two requests per file with headings: its heading texts in order, with case lowered (the
/// Docusaurus default) and with case kept (`markdown.anchors.maintainCase`).
fn slug_requests(oracle: &[OracleFile]) -> String {
    let mut out = String::new();
    for o in oracle.iter().filter(|o| !o.headings.is_empty()) {
        let texts: Vec<&str> = o.headings.iter().map(|h| h.text.as_str()).collect();
        for maintain_case in [false, true] {
            let line = serde_json::json!({
                "file": o.path,
                "texts": texts,
                "maintainCase": maintain_case,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    out
}

fn compare_slugs(oracle: &[OracleFile], output: &str) -> FileOutcome {
    let mut out = FileOutcome::default();
    let mut lines = output.lines().filter(|l| !l.trim().is_empty());
    let (mut compared, mut agreed) = (0, 0);
    for o in oracle.iter().filter(|o| !o.headings.is_empty()) {
        for maintain_case in [false, true] {
            let line: SlugLine = lines
                .next()
                .and_then(|l| serde_json::from_str(l).ok())
                .unwrap_or_else(|| panic!("slugs.mjs output ends or is garbled at {}", o.path));
            assert_eq!(line.file, o.path, "slugs.mjs output out of order");
            assert_eq!(line.slugs.len(), o.headings.len(), "slugs.mjs lost slugs");
            let mut slugger = Slugger::default();
            for (h, want) in o.headings.iter().zip(&line.slugs) {
                compared += 1;
                let got = slugger.slug(&h.text, maintain_case);
                if &got == want {
                    agreed += 1;
                } else {
                    out.disagreements.push(Disagreement {
                        file: o.path.clone(),
                        category: "slugs",
                        line: 0,
                        what: format!(
                            "slug of {:?} (heading at UTF-16 offset {}, maintainCase {maintain_case})",
                            h.text, h.start
                        ),
                        oracle: Some(format!("{want:?}")),
                        docdrift: Some(format!("{got:?}")),
                    });
                }
            }
        }
    }
    out.counts.push(("slugs", compared, agreed));
    out
}

// ---------------------------------------------------------------------------------------------
// Exceptions
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionFile {
    #[serde(default)]
    exception: Vec<Exception>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Exception {
    file: String,
    category: String,
    line: Option<usize>,
    reason: String,
}

struct Exceptions(Vec<Exception>);

impl Exceptions {
    fn load(path: &Path) -> Exceptions {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file: ExceptionFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for x in &file.exception {
            assert!(
                CATEGORIES.contains(&x.category.as_str()),
                "{}: unknown category {:?} for {} (expected one of {CATEGORIES:?})",
                path.display(),
                x.category,
                x.file
            );
            assert!(
                !NEVER_EXCEPTED.contains(&x.category.as_str()),
                "{}: {:?} disagreements cannot be excepted ({})",
                path.display(),
                x.category,
                x.file
            );
            assert!(
                !x.reason.trim().is_empty(),
                "{}: the exception for {} ({}) gives no reason",
                path.display(),
                x.file,
                x.category
            );
        }
        Exceptions(file.exception)
    }

    fn find(&self, d: &Disagreement) -> Option<usize> {
        self.0.iter().position(|x| x.file == d.file && x.category == d.category && x.line.is_none_or(|l| l == d.line))
    }
}

// ---------------------------------------------------------------------------------------------
// Summary and report
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Summary {
    /// category → (compared, agreed, excepted).
    counts: HashMap<&'static str, (usize, usize, usize)>,
    disagreements: Vec<(Disagreement, Option<usize>)>,
    oracle_rejected: usize,
    /// Exceptions that matched nothing: "file (category[, line]): reason".
    stale: Vec<String>,
}

impl Summary {
    fn add(&mut self, outcome: &FileOutcome) {
        for &(category, compared, agreed) in &outcome.counts {
            let c = self.counts.entry(category).or_default();
            c.0 += compared;
            c.1 += agreed;
        }
        self.oracle_rejected += usize::from(outcome.oracle_rejected);
        self.disagreements.extend(outcome.disagreements.iter().map(|d| (d.clone(), None)));
    }

    fn apply(&mut self, exceptions: &Exceptions) {
        let mut used = vec![false; exceptions.0.len()];
        for (d, excepted) in &mut self.disagreements {
            if NEVER_EXCEPTED.contains(&d.category) {
                continue;
            }
            if let Some(i) = exceptions.find(d) {
                *excepted = Some(i);
                used[i] = true;
                self.counts.entry(d.category).or_default().2 += 1;
            }
        }
        for (x, used) in exceptions.0.iter().zip(used) {
            if !used {
                let line = x.line.map_or(String::new(), |l| format!(", line {l}"));
                self.stale.push(format!("{} ({}{line}): {}", x.file, x.category, x.reason));
            }
        }
    }

    fn unexcepted(&self) -> impl Iterator<Item = &Disagreement> {
        self.disagreements.iter().filter(|(_, x)| x.is_none()).map(|(d, _)| d)
    }

    /// The table, then the first `shown` unexcepted disagreements with descriptions cut to
    /// `width` chars, then stale exceptions.
    fn render(&self, timing: &str, exceptions_name: &str, shown: usize, width: usize) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "differential test against the reference MDX stack: {timing}");
        let _ = writeln!(s, "{:<12} {:>9} {:>9} {:>9} {:>9}", "category", "compared", "agree", "disagree", "excepted");
        for category in CATEGORIES {
            let (compared, agreed, excepted) = self.counts.get(category).copied().unwrap_or_default();
            let _ = writeln!(s, "{category:<12} {compared:>9} {agreed:>9} {:>9} {excepted:>9}", compared - agreed);
        }
        if self.oracle_rejected > 0 {
            let _ = writeln!(
                s,
                "({} file(s) rejected by the oracle's parser: only `rejection` compared there)",
                self.oracle_rejected
            );
        }
        let total = self.unexcepted().count();
        if total > 0 {
            let _ =
                writeln!(s, "\n{} of {total} disagreement(s) not in tests/oracle/{exceptions_name}:", total.min(shown));
        }
        for d in self.unexcepted().take(shown) {
            let _ = writeln!(s, "{}:{} [{}] {}", d.file, d.line, d.category, d.what);
            let cut = |t: &Option<String>| t.as_ref().map_or("(nothing)".to_string(), |t| truncate(t, width));
            let _ = writeln!(s, "    oracle:   {}", cut(&d.oracle));
            let _ = writeln!(s, "    docdrift: {}", cut(&d.docdrift));
        }
        if !self.stale.is_empty() {
            let _ = writeln!(s, "\nstale exceptions (they match no disagreement; remove them):");
            for x in &self.stale {
                let _ = writeln!(s, "    {x}");
            }
        }
        s
    }
}

fn truncate(s: &str, width: usize) -> String {
    match s.char_indices().nth(width) {
        Some((i, _)) => format!("{}… ({} chars)", &s[..i], s.chars().count()),
        None => s.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Tests of the harness itself
// ---------------------------------------------------------------------------------------------

#[test]
fn text_index_converts_bytes_to_utf16_and_lines() {
    let text = "aé\n🚀b\r\nc\rd";
    let index = TextIndex::new(text);
    assert_eq!(index.pos(0), 0);
    assert_eq!(index.pos(1), 1); // é
    assert!(index.pos(2) < 0); // inside é
    assert_eq!(index.pos(3), 2); // \n
    assert_eq!(index.pos(4), 3); // 🚀 (two UTF-16 units)
    assert!(index.pos(5) < 0);
    assert_eq!(index.pos(8), 5); // b
    assert_eq!(index.pos(text.len() as u32), 11);
    assert!(index.pos(text.len() as u32 + 1) < 0);
    assert_eq!(index.line(0), 1);
    assert_eq!(index.line(2), 1); // \n
    assert_eq!(index.line(3), 2);
    assert_eq!(index.line(7), 2); // the \n of \r\n
    assert_eq!(index.line(8), 3); // c
    assert_eq!(index.line(9), 3); // a lone \r
    assert_eq!(index.line(10), 4); // d
    assert_eq!(index.line(UNKNOWN), 0);
    let ascii = TextIndex::new("ab\ncd");
    assert_eq!(ascii.pos(4), 4);
    assert_eq!(ascii.line(4), 2);
}

#[test]
fn pairing_reports_changed_missing_and_extra_items() {
    let index = TextIndex::new("0123456789\n0123456789\n0123456789\n");
    let item = |s, e, t: &str| Item::new(s, e).field("text", t);
    let mut out = FileOutcome::default();
    compare_items(
        "headings",
        "f.mdx",
        &index,
        vec![item(0, 5, "same"), item(11, 15, "end moves"), item(22, 25, "only oracle")],
        vec![item(11, 16, "end moves"), item(0, 5, "same"), item(26, 30, "only ours")],
        &mut out,
    );
    assert_eq!(out.counts, vec![("headings", 4, 1)]);
    let whats: Vec<(usize, &str)> = out.disagreements.iter().map(|d| (d.line, d.what.as_str())).collect();
    assert_eq!(whats, vec![(2, "end differ"), (3, "missing in docdrift"), (3, "only in docdrift")]);

    let mut out = FileOutcome::default();
    compare_items(
        "code",
        "f.mdx",
        &index,
        vec![item(0, 5, "a"), item(0, 5, "b")],
        vec![item(0, 5, "b"), item(0, 5, "a")],
        &mut out,
    );
    // Same spans pair in order; a field difference is reported by name.
    assert_eq!(out.counts, vec![("code", 2, 0)]);
    assert!(out.disagreements.iter().all(|d| d.what == "text differ"));

    let mut out = FileOutcome::default();
    compare_items("jsx", "f.mdx", &index, vec![], vec![], &mut out);
    assert_eq!(out.counts, vec![("jsx", 0, 0)]);
    assert!(out.disagreements.is_empty());
}

#[test]
fn exceptions_excuse_matching_disagreements_and_stale_ones_are_reported() {
    let d = |file: &str, category, line| Disagreement {
        file: file.into(),
        category,
        line,
        what: String::new(),
        oracle: None,
        docdrift: None,
    };
    let mut outcome = FileOutcome::default();
    outcome.counts.push(("headings", 3, 0));
    outcome.counts.push(("slugs", 1, 0));
    outcome.disagreements =
        vec![d("a.mdx", "headings", 3), d("a.mdx", "headings", 9), d("b.mdx", "headings", 1), d("a.mdx", "slugs", 0)];
    let exceptions: ExceptionFile = toml::from_str(
        r#"
        [[exception]]
        file = "a.mdx"
        category = "headings"
        reason = "every heading of a.mdx"

        [[exception]]
        file = "b.mdx"
        category = "headings"
        line = 2
        reason = "wrong line: stale"
        "#,
    )
    .expect("valid exceptions");
    let mut summary = Summary::default();
    summary.add(&outcome);
    summary.apply(&Exceptions(exceptions.exception));
    let left: Vec<(&str, usize)> = summary.unexcepted().map(|d| (d.file.as_str(), d.line)).collect();
    assert_eq!(left, vec![("b.mdx", 1), ("a.mdx", 0)]);
    assert_eq!(summary.stale.len(), 1);
    assert_eq!(summary.counts["headings"], (3, 0, 2));
    let table = summary.render("t", "exceptions.toml", 5, 50);
    assert!(table.contains("stale exceptions"), "{table}");
}

#[test]
fn exceptions_files_are_well_formed() {
    for name in ["exceptions.toml", "edge-exceptions.toml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle").join(name);
        let exceptions = Exceptions::load(&path);
        for x in &exceptions.0 {
            assert!(!x.file.contains('\\'), "{name}: {}: use `/` in paths", x.file);
        }
    }
}

/// The oracle on a few hand-made files whose mdast is known, so that a change in the
/// JavaScript stack or in dump.mjs shows up here rather than as thousands of corpus
/// disagreements.
#[test]
fn oracle_reports_known_mdast() {
    let Some(env) = Env::find() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let files: &[(&str, &str)] = &[
        ("bare-id.mdx", "# Title {#x}\n"),
        ("comment.mdx", "Hi <!-- c -->\n"),
        ("layout.mdx", "export default function A() {}\n\nexport default function B() {}\n"),
        (
            "ok.mdx",
            "## Escaped \\{#my-id}\n\n## Comment {/* #cid more */}\n\n## Plain {/* nohash */}\n\n\
             See www.x.com and [r][Foo  Bar].\n\n[foo bar]: https://d.example \"T\"\n\n\
             <Tabs>\n  <TabItem value=\"a\">\n\n  ```bash title=\"x\"\n  echo hi\n  ```\n\n  </TabItem>\n</Tabs>\n\n\
             :::note[Title]\nbody\n:::\n\n## Émoji 🚀 <b>x</b>\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write temp file");
    }
    let names: Vec<String> = files.iter().map(|f| f.0.to_string()).collect();
    let dump = run_node(&env, "dump.mjs", &[dir.path().as_os_str()], &lines(&names));
    let oracle = parse_dump(&dump, &names);

    let error = |i: usize| oracle[i].error.as_ref().map(|e| (e.phase.as_str(), e.line));
    assert_eq!(error(0), Some(("parse", Some(1))), "{:?}", oracle[0].error);
    assert_eq!(error(1), Some(("parse", Some(1))), "{:?}", oracle[1].error);
    assert_eq!(error(2), Some(("compile", Some(3))), "{:?}", oracle[2].error);
    assert!(oracle[3].error.is_none(), "{:?}", oracle[3].error);

    let ok = &oracle[3];
    let headings: Vec<(&str, Option<&str>, u32, u32)> =
        ok.headings.iter().map(|h| (h.text.as_str(), h.id.as_deref(), h.start, h.end)).collect();
    assert_eq!(
        headings,
        vec![
            ("Escaped", Some("my-id"), 0, 20),
            ("Comment", Some("cid"), 22, 50),
            ("Plain /* nohash */", None, 52, 75),
            // The emoji is one char but two UTF-16 units: 20 units, 23 bytes.
            ("Émoji 🚀 x", None, 259, 279),
        ]
    );
    let links: Vec<(&str, &str, Option<&str>)> =
        ok.links.iter().map(|l| (l.kind.as_str(), l.url.as_str(), l.identifier.as_deref())).collect();
    assert_eq!(
        links,
        vec![("link", "http://www.x.com", None), ("linkReference", "https://d.example", Some("foo bar")),]
    );
    assert_eq!(ok.definitions[0].title.as_deref(), Some("T"));
    let code = &ok.code[0];
    assert_eq!(
        (code.lang.as_deref(), code.meta.as_deref(), code.value.as_str()),
        (Some("bash"), Some("title=\"x\""), "echo hi")
    );
    let jsx: Vec<(Option<&str>, &str)> = ok.jsx.iter().map(|j| (j.name.as_deref(), j.kind.as_str())).collect();
    assert_eq!(jsx, vec![(Some("Tabs"), "flow"), (Some("TabItem"), "flow"), (Some("b"), "text")]);
    let directives: Vec<(&str, &str)> = ok.directives.iter().map(|d| (d.name.as_str(), d.kind.as_str())).collect();
    assert_eq!(directives, vec![("note", "container")]);
}
