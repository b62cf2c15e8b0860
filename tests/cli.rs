//! The `docdrift` binary end to end: exit codes, standard output and standard error, run from
//! the crate root on the bundled fixture site (`docs-fixtures/site`) and on fixture cases.
//!
//! Snapshots go to the top-level `snapshots/` folder as `cli-*.snap`. Absolute paths (the crate
//! root) are replaced with `[ROOT]` and the JSON `elapsed_ms` with `"[elapsed]"`, so that the
//! snapshots hold only what is stable.

mod common;

use common::{MANIFEST_DIR, docdrift, rooted, snapshot, utf8};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

const SITE: &str = "docs-fixtures/site";

fn stdout(o: &Output) -> String {
    utf8(&o.stdout)
}

fn stderr(o: &Output) -> String {
    rooted(&utf8(&o.stderr))
}

/// `s` without ANSI SGR sequences (`ESC [ ... m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally, not by a signal")
}

#[test]
fn check_site_human() {
    let o = docdrift(&["check", SITE, "--color", "never"]);
    assert_eq!(code(&o), 1, "error-level findings exit 1; stderr: {}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let out = stdout(&o);
    assert!(!out.contains('\x1b'), "`--color never` writes no escape codes");
    snapshot!("cli-check-site-human", out);
}

#[test]
fn check_site_color_always() {
    let o = docdrift(&["check", SITE, "--color", "always"]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(out.contains("\x1b["), "`--color always` writes escape codes even to a pipe");
    let plain = docdrift(&["check", SITE, "--color", "never"]);
    assert_eq!(strip_ansi(&out), stdout(&plain), "colour changes nothing but the escape codes");
}

/// The documented JSON shape, checked key by key.
fn assert_json_shape(v: &Value) {
    let mut top: Vec<&str> = v.as_object().expect("an object").keys().map(String::as_str).collect();
    top.sort_unstable();
    assert_eq!(top, ["findings", "summary"], "top-level keys");
    let mut finding_keys = [
        "rule",
        "category",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help",
        "doc_set",
        "version",
        "related",
    ];
    finding_keys.sort_unstable();
    for f in v["findings"].as_array().expect("`findings` is an array") {
        let obj = f.as_object().expect("each finding is an object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, finding_keys, "finding keys in {f}");
        for k in ["rule", "category", "severity", "path", "message"] {
            assert!(f[k].as_str().is_some_and(|s| !s.is_empty()), "`{k}` is a non-empty string in {f}");
        }
        for k in ["line", "column", "end_line", "end_column"] {
            assert!(f[k].as_u64().is_some_and(|n| n >= 1), "`{k}` is a 1-based number in {f}");
        }
        assert!(
            (f["line"].as_u64(), f["column"].as_u64()) <= (f["end_line"].as_u64(), f["end_column"].as_u64()),
            "the range ends after it starts in {f}"
        );
        for k in ["help", "doc_set", "version"] {
            assert!(f[k].is_null() || f[k].is_string(), "`{k}` is a string or null in {f}");
        }
        for rel in f["related"].as_array().expect("`related` is an array") {
            let mut keys: Vec<&str> = rel.as_object().expect("an object").keys().map(String::as_str).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["column", "end_column", "end_line", "line", "message", "path"], "related keys in {f}");
            let path = rel["path"].as_str().unwrap_or("");
            assert!(Path::new(MANIFEST_DIR).join(SITE).join(path).is_file(), "related `path` names a file: {path}");
            assert!(rel["line"].as_u64().is_some_and(|n| n >= 1) && rel["column"].as_u64().is_some_and(|n| n >= 1));
        }
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap_or("")), "severity in {f}");
        let rule = f["rule"].as_str().unwrap_or("");
        let meta = docdrift::rules::find(rule).unwrap_or_else(|| panic!("`{rule}` is a registered rule")).meta();
        assert_eq!(f["category"].as_str(), Some(meta.category.as_str()), "category of {rule}");
        let path = f["path"].as_str().unwrap_or("");
        assert!(
            !path.starts_with('/') && !path.contains('\\') && !path.starts_with("./") && !path.contains(MANIFEST_DIR),
            "`path` is relative to the root with `/`: {path}"
        );
        assert!(Path::new(MANIFEST_DIR).join(SITE).join(path).is_file(), "`path` names a file of the site: {path}");
    }
    let summary = v["summary"].as_object().expect("`summary` is an object");
    for k in ["files", "errors", "warnings", "elapsed_ms"] {
        assert!(summary.get(k).is_some_and(Value::is_u64), "`summary.{k}` is a number");
    }
    let allowed = ["files", "files_with_findings", "errors", "warnings", "infos", "elapsed_ms"];
    assert!(summary.keys().all(|k| allowed.contains(&k.as_str())), "summary keys: {:?}", summary.keys());
    let count =
        |sev: &str| v["findings"].as_array().map_or(0, |a| a.iter().filter(|f| f["severity"] == sev).count()) as u64;
    assert_eq!(summary["errors"].as_u64(), Some(count("error")));
    assert_eq!(summary["warnings"].as_u64(), Some(count("warning")));
}

#[test]
fn check_site_json() {
    let o = docdrift(&["check", SITE, "--format", "json"]);
    assert_eq!(code(&o), 1, "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_json_shape(&v);
    // Redact the one varying value, keeping the output as written (key order included).
    let redacted: Vec<String> = out
        .lines()
        .map(|l| match l.split_once("\"elapsed_ms\": ") {
            Some((indent, _)) => format!("{indent}\"elapsed_ms\": \"[elapsed]\""),
            None => l.to_string(),
        })
        .collect();
    assert_eq!(redacted.iter().filter(|l| l.contains("[elapsed]")).count(), 1);
    snapshot!("cli-check-site-json", redacted.join("\n"));
}

#[test]
fn check_clean_case_exits_0() {
    let o = docdrift(&["check", "docs-fixtures/cases/variable-unknown-clean-version-folder", "--color", "never"]);
    assert_eq!(code(&o), 0, "stdout: {}\nstderr: {}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "✓ 2 files checked, no problems found\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn check_single_file_reports_only_that_file() {
    let file = "acme/troubleshooting.mdx";
    let o = docdrift(&["check", &format!("{SITE}/{file}"), "--color", "never"]);
    assert_eq!(code(&o), 1, "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let locations: Vec<&str> = out.lines().filter(|l| l.contains(": error[") || l.contains(": warning[")).collect();
    assert!(!locations.is_empty(), "the file has seeded findings:\n{out}");
    for l in &locations {
        assert!(l.starts_with(&format!("{file}:")), "a finding outside {file}: {l}");
    }
    assert!(out.ends_with(" in 1 file\n"), "the summary counts one file:\n{out}");
    snapshot!("cli-check-single-file", out);

    let o = docdrift(&["check", &format!("{SITE}/{file}"), "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_json_shape(&v);
    assert!(v["findings"].as_array().expect("array").iter().all(|f| f["path"] == file));
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn check_missing_path_exits_2() {
    let o = docdrift(&["check", "docs-fixtures/site/no-such-page.mdx"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "docdrift: docs-fixtures/site/no-such-page.mdx: no such file or folder\n");
}

#[test]
fn bad_config_exits_2_with_position() {
    let o = docdrift(&["check", "docs-fixtures/config-errors/unknown-key"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "", "nothing is checked");
    let err = stderr(&o);
    assert!(
        err.contains("docs-fixtures/config-errors/unknown-key/docdrift.toml:3:1: "),
        "file:line:col of the key: {err}"
    );
    snapshot!("cli-check-bad-config", err);
}

/// A root written with a `.` segment names its config without it (`…/docdrift.toml`, not
/// `…/./docdrift.toml`), whether it is given as `--root` or found from a PATH.
#[test]
fn config_paths_have_no_dot_segment() {
    for args in [
        &["check", "--root", "docs-fixtures/config-errors/unknown-key/."][..],
        &["check", "docs-fixtures/config-errors/./unknown-key/."],
    ] {
        let o = docdrift(args);
        assert_eq!(code(&o), 2);
        let err = stderr(&o);
        assert!(err.contains("unknown-key/docdrift.toml:3:1: "), "{args:?}: {err}");
        assert!(!err.contains("/./"), "{args:?}: {err}");
    }
}

#[test]
fn rules_lists_the_registry() {
    let o = docdrift(&["rules"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    for id in docdrift::rules::ids() {
        assert!(out.contains(&format!("| `{id}` |")), "`{id}` is listed");
    }
    snapshot!("cli-rules", out);
}

#[test]
fn explain_prints_the_rule_doc() {
    let o = docdrift(&["explain", "syntax/explicit-heading-id"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    for section in ["## What it does", "## Why it matters", "## Example", "## Fix"] {
        assert!(out.lines().any(|l| l == section), "`{section}` in:\n{out}");
    }
    snapshot!("cli-explain-explicit-heading-id", out);
}

#[test]
fn explain_unknown_rule_suggests() {
    let o = docdrift(&["explain", "syntax/explicit-heading-ids"]);
    assert_eq!(code(&o), 2);
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    assert!(err.contains("did you mean `syntax/explicit-heading-id`?"), "{err}");
    snapshot!("cli-explain-typo", err);
}

#[test]
fn init_stdout_describes_the_site() {
    let o = docdrift(&["init", "--stdout", "--root", SITE]);
    assert_eq!(code(&o), 0, "stderr: {}", stderr(&o));
    let out = stdout(&o);
    // What it proposes loads back without error.
    docdrift::site::Config::parse(&out, Path::new("docdrift.toml"), &docdrift::rules::ids())
        .unwrap_or_else(|e| panic!("`init` wrote an invalid docdrift.toml: {e}\n{out}"));
    assert!(!Path::new(MANIFEST_DIR).join(SITE).join("docdrift.toml.new").exists());
    snapshot!("cli-init-stdout", out);
}

#[cfg(not(target_env = "msvc"))]
#[test]
fn the_binary_sets_jemallocs_options() {
    // `src/main.rs` exports jemalloc's `malloc_conf`; with `confirm_conf`, jemalloc lists what it
    // read from where at start-up. A symbol jemalloc did not pick up shows as an empty string.
    let o = common::command(Path::new(MANIFEST_DIR), &["--version"])
        .env("_RJEM_MALLOC_CONF", "confirm_conf:true")
        .output()
        .expect("the docdrift binary runs");
    assert_eq!(code(&o), 0);
    let err = utf8(&o.stderr);
    assert!(
        err.lines().any(|l| l.contains("global variable malloc_conf)") && l.ends_with(": \"tcache_max:4096\"")),
        "{err}"
    );
    assert!(err.contains("-- Set conf value: tcache_max:4096"), "{err}");
}
