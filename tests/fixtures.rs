//! Fixture cases: one tiny site per behaviour, under `docs-fixtures/cases/<case>/`.
//!
//! A case folder is named `<rule id with `/` as `-`>-<clean|diagnostics>[-what]` and holds a
//! small site (`docs/`, or a versioned layout, and a `docdrift.toml` when it needs one) plus an
//! `expect.toml` stating `expect = "clean"` or `expect = "diagnostics"`, as biome's analyzer
//! fixtures do: a snapshot accepted by mistake still fails the stated expectation.
//!
//! [`cases`] runs the library on every case, checks the expectation (clean: no finding at all;
//! diagnostics: at least one, each from the case's rule) and snapshots the inputs and the human
//! output into `snapshots/<case>.snap`. [`every_rule_has_cases_and_docs`] keeps the registry,
//! the case folders and the rule docs in step.
//!
//! A case about PR mode adds a `[base]` table to `expect.toml`: changed files as they were
//! before the change (path → text); the case's files are the change's result. The harness hands
//! the library the same change PR mode reads from git.

use docdrift::analysis::Index;
use docdrift::analysis::drift::change::{Change, Changed};
use docdrift::engine;
use docdrift::model::Model;
use docdrift::report::{Report, human};
use docdrift::rules;
use docdrift::site::Site;
use serde::Deserialize;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Expect {
    Clean,
    Diagnostics,
}

impl Expect {
    fn as_str(self) -> &'static str {
        match self {
            Expect::Clean => "clean",
            Expect::Diagnostics => "diagnostics",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectFile {
    expect: Expect,
    /// PR mode: changed files at the base commit (root-relative path → text).
    #[serde(default)]
    base: std::collections::BTreeMap<String, String>,
}

struct Case {
    /// The folder name, also the snapshot name.
    name: String,
    dir: PathBuf,
    /// The rule the folder name starts with.
    rule: &'static str,
    /// What the folder name says (`clean` or `diagnostics` after the rule).
    named: Expect,
    /// What `expect.toml` says.
    expect: Expect,
    base: std::collections::BTreeMap<String, String>,
}

fn cases_dir() -> PathBuf {
    Path::new(MANIFEST_DIR).join("docs-fixtures").join("cases")
}

/// The rule and expectation a case folder name starts with: the longest rule id (dashed) that
/// is followed by `-clean` or `-diagnostics`, then the end or `-what`.
fn parse_name(name: &str) -> Option<(&'static str, Expect)> {
    let mut best: Option<(usize, &'static str, Expect)> = None;
    for rule in rules::ALL {
        let id = rule.meta().id;
        let dashed = id.replace('/', "-");
        let Some(rest) = name.strip_prefix(dashed.as_str()).and_then(|r| r.strip_prefix('-')) else {
            continue;
        };
        for expect in [Expect::Clean, Expect::Diagnostics] {
            let tail = rest.strip_prefix(expect.as_str());
            if tail.is_some_and(|t| t.is_empty() || t.starts_with('-'))
                && best.is_none_or(|(len, _, _)| dashed.len() > len)
            {
                best = Some((dashed.len(), id, expect));
            }
        }
    }
    best.map(|(_, id, expect)| (id, expect))
}

/// Every case folder, sorted by name. Panics on a folder that is not a well-formed case.
fn load_cases() -> Vec<Case> {
    let mut out = Vec::new();
    let entries =
        std::fs::read_dir(cases_dir()).unwrap_or_else(|e| panic!("cannot list {}: {e}", cases_dir().display()));
    for entry in entries {
        let entry = entry.expect("readable folder entry");
        if !entry.file_type().expect("file type").is_dir() {
            continue;
        }
        let name = entry.file_name().into_string().expect("UTF-8 case name");
        let Some((rule, named)) = parse_name(&name) else {
            panic!(
                "case folder `{name}` does not start with `<rule id with - for />-<clean|diagnostics>`; rules: {:?}",
                rules::ids()
            );
        };
        let expect_path = entry.path().join("expect.toml");
        let text = std::fs::read_to_string(&expect_path).unwrap_or_else(|e| panic!("{}: {e}", expect_path.display()));
        let file: ExpectFile = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", expect_path.display()));
        out.push(Case { name, dir: entry.path(), rule, named, expect: file.expect, base: file.base });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Every file of the case except `expect.toml`, as `(root-relative path, text)`, sorted by
/// path. Invalid UTF-8 is shown with U+FFFD.
fn inputs(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("readable case file");
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("inside the case");
        let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        let rel = rel.join("/");
        if rel == "expect.toml" {
            continue;
        }
        let bytes = std::fs::read(entry.path()).expect("readable case file");
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => format!(
                "{}\n(not valid UTF-8: invalid bytes shown as U+FFFD)\n",
                String::from_utf8_lossy(e.as_bytes()).trim_end()
            ),
        };
        files.push((rel, text));
    }
    files
}

/// What the library reports on one case: the findings' rule ids and the human output.
fn run(case: &Case) -> Result<(Vec<&'static str>, String), String> {
    let site = Site::load(&case.dir, None, &rules::ids()).map_err(|e| e.to_string())?;
    let mut index = Index::new(Model::build(site, &[]));
    if !case.base.is_empty() {
        let model = &index.model;
        let opts = docdrift::model::parse_options(&model.site);
        let mut files = Vec::new();
        for (path, text) in &case.base {
            let file =
                model.files.iter().position(|f| &f.path == path).ok_or(format!("[base] {path}: no such file"))?;
            let base = docdrift::model::parse_text(&model.site, path.clone(), text.as_str().into(), None, &opts);
            files.push(Changed { file, base });
        }
        index.set_change(Change { files });
    }
    let findings = engine::check(&index, &|_| true);
    let model = index.into_model();
    let report = Report { model: &model, findings: &findings, files: model.files.len(), elapsed_ms: 0 };
    Ok((findings.iter().map(|f| f.rule).collect(), human::render(&report, false)))
}

/// The snapshot text: the expectation, every input file, then the output.
fn snapshot_text(case: &Case, output: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "expect: {} ({})", case.expect.as_str(), case.rule);
    for (path, text) in inputs(&case.dir) {
        let _ = writeln!(s, "\n----- {path} -----");
        s.push_str(&text);
        if !text.ends_with('\n') {
            s.push('\n');
        }
    }
    for (path, text) in &case.base {
        let _ = writeln!(s, "\n----- {path} before the change -----");
        s.push_str(text);
    }
    let _ = writeln!(s, "\n===== docdrift check =====");
    s.push_str(output);
    s
}

/// Why `case` does not meet its expectation, if it does not.
fn expectation_problem(case: &Case, found: &[&str]) -> Option<String> {
    match case.expect {
        Expect::Clean if !found.is_empty() => Some(format!("expected no findings, got {found:?}")),
        Expect::Diagnostics if found.is_empty() => Some(format!("expected `{}` findings, got none", case.rule)),
        Expect::Diagnostics => {
            let others: Vec<&str> = found.iter().copied().filter(|r| *r != case.rule).collect();
            (!others.is_empty()).then(|| format!("expected only `{}` findings, also got {others:?}", case.rule))
        }
        Expect::Clean => None,
    }
}

#[test]
fn cases() {
    let cases = load_cases();
    assert!(!cases.is_empty(), "no cases under {}", cases_dir().display());
    let mut failures: Vec<String> = Vec::new();
    for case in &cases {
        if case.named != case.expect {
            failures.push(format!(
                "{}: the folder name says `{}` but expect.toml says `{}`",
                case.name,
                case.named.as_str(),
                case.expect.as_str()
            ));
        }
        let (found, output) = match run(case) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: the site does not load: {e}", case.name));
                continue;
            }
        };
        if let Some(problem) = expectation_problem(case, &found) {
            failures.push(format!("{}: {problem}\n{output}", case.name));
        }
        let text = snapshot_text(case, &output);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(Path::new(MANIFEST_DIR).join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.set_input_file(&case.dir);
        let snapshot =
            catch_unwind(AssertUnwindSafe(|| settings.bind(|| insta::assert_snapshot!(case.name.as_str(), text))));
        if snapshot.is_err() {
            failures.push(format!("{}: the snapshot does not match (see the diff above)", case.name));
        }
    }
    let mut failed: Vec<&str> = failures.iter().filter_map(|f| f.split(':').next()).collect();
    failed.dedup();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failed.len(), cases.len(), failures.join("\n\n"));
}

#[test]
fn every_rule_has_cases_and_docs() {
    let cases = load_cases();
    let mut problems = Vec::new();
    for rule in rules::ALL {
        let m = rule.meta();
        for expect in [Expect::Clean, Expect::Diagnostics] {
            if !cases.iter().any(|c| c.rule == m.id && c.expect == expect) {
                problems.push(format!(
                    "`{}` has no {} case: add docs-fixtures/cases/{}-{}/",
                    m.id,
                    expect.as_str(),
                    m.id.replace('/', "-"),
                    expect.as_str()
                ));
            }
        }
        let doc = m.doc_text();
        let headings = section_headings(&doc);
        let required = ["## What it does", "## Why it matters", "## Example", "## Fix"];
        if headings != required {
            problems.push(format!("`{}`: the doc's sections are {headings:?}, expected {required:?}", m.id));
        }
        if m.summary().is_empty() || m.summary().starts_with('#') {
            problems.push(format!("`{}`: the doc does not start with a summary line", m.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `## ` headings of a rule doc, outside its fenced examples.
fn section_headings(doc: &str) -> Vec<&str> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with("## ") {
            out.push(line.trim_end());
        }
    }
    out
}

#[test]
fn case_names_map_to_rules() {
    assert_eq!(parse_name("syntax-mdx-clean"), Some(("syntax/mdx", Expect::Clean)));
    assert_eq!(parse_name("syntax-mdx-diagnostics-html-comment"), Some(("syntax/mdx", Expect::Diagnostics)));
    assert_eq!(parse_name("variable-unknown-clean-root-variables"), Some(("variable/unknown", Expect::Clean)));
    assert_eq!(parse_name("syntax-admonition-fence-cleanup"), None);
    assert_eq!(parse_name("syntax-mdx"), None);
    assert_eq!(parse_name("no-such-rule-clean"), None);
}
