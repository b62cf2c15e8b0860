//! What a docs team meets in its first week with the binary: wrong paths fail instead of
//! passing green, summaries count the right files, and the flags CI jobs and editors expect
//! (`--quiet`, `--exit-zero`, `--max-warnings`, `--select`/`--ignore`, `--jobs`, `--no-color`,
//! `rules --format json`, `--version`) behave as the README says.

mod common;

use common::{docdrift, docdrift_in, text};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SITE: &str = "docs-fixtures/site";

fn out(o: &Output) -> String {
    text(&o.stdout)
}

fn err(o: &Output) -> String {
    text(&o.stderr)
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON ({e}): {}{}", out(o), err(o)))
}

/// A small site in a temporary folder: `docs/a.mdx` with one unknown variable (an error).
fn small_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("docs")).unwrap();
    std::fs::write(site.join("docdrift.toml"), "[site]\n").unwrap();
    std::fs::write(site.join("docs/a.mdx"), "# A\n\nRun $[prodnme] now.\n").unwrap();
    std::fs::write(site.join("docs/b.mdx"), "# B\n\nNothing wrong here.\n").unwrap();
    (tmp, site)
}

// Item 3: wrong paths exit 2 with a message, never "no problems found".

#[test]
fn a_folder_without_markdown_exits_2() {
    let (_tmp, site) = small_site();
    std::fs::create_dir_all(site.join("notes")).unwrap();
    std::fs::write(site.join("notes/todo.txt"), "x\n").unwrap();
    let o = docdrift_in(&site, &["check", "notes"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("notes: no Markdown or MDX files in this folder"), "{}", err(&o));
    assert!(!out(&o).contains("no problems found"));
}

#[test]
fn an_empty_folder_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = docdrift_in(tmp.path(), &["check", "empty"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("the folder is empty"), "{}", err(&o));
    let (_tmp, site) = small_site();
    std::fs::create_dir_all(site.join("docs/later")).unwrap();
    let o = docdrift_in(&site, &["check", "docs/later"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("docs/later: the folder is empty"), "{}", err(&o));
}

#[test]
fn a_non_doc_file_exits_2() {
    let (_tmp, site) = small_site();
    std::fs::write(site.join("docs/readme.txt"), "x\n").unwrap();
    let o = docdrift_in(&site, &["check", "docs/readme.txt"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("docs/readme.txt: not a Markdown or MDX file"), "{}", err(&o));
    // Not a regular file either: a device never passes green (nothing would be checked).
    #[cfg(unix)]
    {
        let o = docdrift_in(&site, &["check", "/dev/zero"]);
        assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
        assert!(err(&o).contains("/dev/zero: not a Markdown or MDX file"), "{}", err(&o));
    }
}

/// A listed version whose folder is missing is a configuration error, unless `.gitignore` lists
/// the folder: then the site's build creates it (pnpm.io copies `docs/` there), so the run goes
/// on, says once that the version is not checked, and links into it are not reported broken.
#[test]
fn a_missing_version_folder_the_build_creates_is_not_checked() {
    let (_tmp, site) = small_site();
    std::fs::write(site.join("versions.json"), "[\"2.x\", \"1.x\"]\n").unwrap();
    std::fs::create_dir_all(site.join("versioned_docs/version-1.x")).unwrap();
    std::fs::write(site.join("versioned_docs/version-1.x/a.mdx"), "# A\n").unwrap();
    std::fs::write(
        site.join("docs/b.mdx"),
        "# B\n\nSee [built](/docs/setup/start), [file](../versioned_docs/version-2.x/setup.mdx) \
         and [gone](/docs/1.x/nowhere).\n",
    )
    .unwrap();
    let o = docdrift_in(&site, &["check"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("versions.json:1:2: the folder `versioned_docs/version-2.x`"), "{}", err(&o));
    assert!(err(&o).contains("Restore the folder or remove `2.x` from `versions.json`"), "{}", err(&o));
    std::fs::write(site.join(".gitignore"), "node_modules\n/versioned_docs/version-2.x/\n").unwrap();
    let o = docdrift_in(&site, &["check"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    let note = "note: `versioned_docs/version-2.x` (default version `2.x`) does not exist and `.gitignore` lists \
                it: the site's build creates it, so it is not checked and links into that version are taken as valid";
    assert_eq!(err(&o).matches(note).count(), 1, "{}", err(&o));
    // Still checked: the typo in `a.mdx` and the link into the 1.x version, which is here.
    assert!(out(&o).contains("prodnme"), "{}", out(&o));
    assert!(out(&o).contains("docs/b.mdx:3:") && out(&o).contains("/docs/1.x/nowhere"), "{}", out(&o));
    let stdout = out(&o);
    assert!(!stdout.lines().any(|l| l.contains(": error[") && l.contains("setup")), "{stdout}");
    assert!(out(&o).contains("2 errors"), "{}", out(&o));
}

#[test]
fn changed_on_a_missing_file_exits_2_but_a_deleted_file_is_a_change() {
    let (_tmp, site) = small_site();
    let o = docdrift_in(&site, &["check", "--changed", "docs/nope.mdx"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("--changed docs/nope.mdx: no such file"), "{}", err(&o));
    // In git: a file deleted since HEAD is a legitimate change (links to it break).
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
            .args(args)
            .current_dir(&site)
            .output()
            .unwrap();
        assert!(o.status.success(), "git {args:?}: {}", err(&o));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "docs"]);
    std::fs::remove_file(site.join("docs/b.mdx")).unwrap();
    let o = docdrift_in(&site, &["check", "--changed", "docs/b.mdx"]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    let o = docdrift_in(&site, &["check", "--changed", "docs/never.mdx"]);
    assert_eq!(code(&o), 2, "{}{}", out(&o), err(&o));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", err(&o));
}

/// A committed site where `docs/b.mdx` and `docs/c.mdx` link to a heading of `docs/a.mdx`.
fn linked_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("docs")).unwrap();
    std::fs::write(site.join("docdrift.toml"), "[site]\n").unwrap();
    std::fs::write(
        site.join("variables.js"),
        "const variables = {\n  prodname: 'Acme',\n};\nmodule.exports = variables;\n",
    )
    .unwrap();
    std::fs::write(site.join("docs/a.mdx"), "# A\n\n## Install the agent\n\nRun the $[prodname] installer.\n").unwrap();
    for n in ["b", "c"] {
        std::fs::write(site.join(format!("docs/{n}.mdx")), format!("# {n}\n\nSee [it](./a.mdx#install-the-agent).\n"))
            .unwrap();
    }
    git(&site, &["init", "-q"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "docs"]);
    (tmp, site)
}

// Item 6: summaries count the files the findings are in.

#[test]
fn summary_counts_the_files_with_findings() {
    let (_tmp, site) = linked_site();
    std::fs::write(site.join("docs/a.mdx"), "# A\n\n## Install agents\n\nRun the $[prodname] installer.\n").unwrap();
    let o = docdrift_in(&site, &["check", "--changed", "docs/a.mdx", "--color", "never"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert!(out(&o).ends_with("✗ 2 errors, 0 warnings in 2 files (1 file checked)\n"), "{}", out(&o));
    let o = docdrift_in(&site, &["check", "--changed", "docs/a.mdx", "--format", "json"]);
    let v = json(&o);
    assert_eq!((v["summary"]["files"].as_u64(), v["summary"]["files_with_findings"].as_u64()), (Some(1), Some(2)));
}

#[test]
fn summary_of_a_whole_site_recheck_counts_every_file() {
    let (_tmp, site) = linked_site();
    std::fs::write(
        site.join("variables.js"),
        "const variables = {\n  product: 'Acme',\n};\nmodule.exports = variables;\n",
    )
    .unwrap();
    let o = docdrift_in(&site, &["check", "--changed", "variables.js", "--color", "never"]);
    assert_eq!(code(&o), 1, "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("docs/a.mdx:5:9: error[variable/unknown]"), "{}", out(&o));
    assert!(out(&o).ends_with("✗ 1 error, 0 warnings in 1 file (3 files checked)\n"), "{}", out(&o));
}

// Item 7: the flags CI jobs and editors expect.

fn rules_of(v: &Value) -> Vec<String> {
    v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
}

#[test]
fn quiet_prints_only_the_findings() {
    let o = docdrift(&["check", SITE, "--quiet", "--color", "never"]);
    assert_eq!(code(&o), 1);
    assert!(out(&o).contains("error[variable/unknown]"), "{}", out(&o));
    assert!(!out(&o).contains('✗') && !out(&o).contains("The same problem in several versions"), "{}", out(&o));
}

#[test]
fn exit_zero_error_on_and_max_warnings() {
    let (_tmp, site) = small_site();
    assert_eq!(code(&docdrift_in(&site, &["check"])), 1);
    let o = docdrift_in(&site, &["check", "--exit-zero", "--color", "never"]);
    assert_eq!(code(&o), 0);
    assert!(out(&o).contains("error[variable/unknown]"), "the findings are still reported: {}", out(&o));
    std::fs::write(site.join("docdrift.toml"), "[rules]\n\"variable/unknown\" = \"warning\"\n").unwrap();
    assert_eq!(code(&docdrift_in(&site, &["check"])), 0, "warnings alone pass by default");
    assert_eq!(code(&docdrift_in(&site, &["check", "--error-on", "warning"])), 1);
    assert_eq!(code(&docdrift_in(&site, &["check", "--error-on", "info"])), 1);
    assert_eq!(code(&docdrift_in(&site, &["check", "--max-warnings", "0"])), 1);
    assert_eq!(code(&docdrift_in(&site, &["check", "--max-warnings", "1"])), 0);
    assert_eq!(code(&docdrift_in(&site, &["check", "--max-warnings", "0", "--exit-zero"])), 0);
}

#[test]
fn select_and_ignore_rules_and_categories() {
    let all = rules_of(&json(&docdrift(&["check", SITE, "--format", "json"])));
    assert!(all.iter().any(|r| r.starts_with("variable/")) && all.iter().any(|r| r.starts_with("anchor/")));
    let v = rules_of(&json(&docdrift(&["check", SITE, "--format", "json", "--select", "variable"])));
    assert!(!v.is_empty() && v.iter().all(|r| r.starts_with("variable/")), "{v:?}");
    let v = rules_of(&json(&docdrift(&["check", SITE, "--format", "json", "--select", "anchor/missing,link/broken"])));
    assert!(!v.is_empty() && v.iter().all(|r| r == "anchor/missing" || r == "link/broken"), "{v:?}");
    let v =
        rules_of(&json(&docdrift(&["check", SITE, "--format", "json", "--ignore", "anchor", "--ignore", "variable"])));
    assert!(!v.is_empty() && v.iter().all(|r| !r.starts_with("anchor/") && !r.starts_with("variable/")), "{v:?}");
    let o = docdrift(&["check", SITE, "--select", "anchr/missing"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("--select anchr/missing: not a rule id or category; did you mean `anchor/missing`?"));
    let o = docdrift(&["check", SITE, "--ignore", "portz"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("did you mean `port`?"), "{}", err(&o));
}

#[test]
fn jobs_gives_the_same_findings() {
    let all = json(&docdrift(&["check", SITE, "--format", "json"]));
    let one = json(&docdrift(&["check", SITE, "--format", "json", "--jobs", "1"]));
    assert_eq!(all["findings"], one["findings"]);
    assert_eq!(code(&docdrift(&["check", SITE, "--jobs", "0"])), 2);
}

#[test]
fn no_color_beside_color_never() {
    let o = docdrift(&["check", SITE, "--color", "always"]);
    assert!(out(&o).contains("\x1b["));
    let o = docdrift(&["check", SITE, "--no-color"]);
    assert!(!out(&o).contains("\x1b[") && out(&o).contains("error["), "{}", out(&o));
}

#[test]
fn rules_as_json_and_version() {
    let o = docdrift(&["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), docdrift::rules::ids().len());
    for r in rows {
        let mut keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["category", "fixable", "id", "severity", "summary"]);
    }
    let o = docdrift(&["--version"]);
    assert_eq!((code(&o), out(&o)), (0, format!("docdrift {}\n", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn baseline_says_how_many_findings_it_hid() {
    let (tmp, site) = small_site();
    let b = tmp.path().join("baseline.json");
    let b = b.to_str().unwrap();
    assert_eq!(code(&docdrift_in(&site, &["check", "--write-baseline", b])), 0);
    let o = docdrift_in(&site, &["check", "--baseline", b]);
    assert_eq!(code(&o), 0, "{}{}", out(&o), err(&o));
    assert!(err(&o).contains("the baseline hid 1 finding it records"), "{}", err(&o));
}

#[test]
fn diff_follows_the_exit_codes_of_check() {
    // An error no fix settles: nothing to show, but the run fails as `check` would.
    let (_tmp, site) = small_site();
    let o = docdrift_in(&site, &["check", "--diff"]);
    assert_eq!((code(&o), out(&o).as_str()), (1, ""), "{}", err(&o));
    assert_eq!(code(&docdrift_in(&site, &["check", "--diff", "--exit-zero"])), 0);
    std::fs::write(site.join("docs/a.mdx"), "# A\n\nRun it now.\n").unwrap();
    assert_eq!(code(&docdrift_in(&site, &["check", "--diff"])), 0);
}
