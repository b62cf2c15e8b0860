//! Adoption tools: `--fix` / `--diff`, and baselines (`--write-baseline` / `--baseline`).
//!
//! The fix tests copy `docs-fixtures/fix/site` into a temporary folder and run the binary
//! there: `--diff` shows the unambiguous fixes without writing, `--fix` applies them until
//! none applies, and a second `--fix` changes nothing. The baseline tests write a baseline
//! for the bundled site and check that it hides exactly the recorded findings, even after
//! edits that move them to other lines.

mod common;

use common::{MANIFEST_DIR, copy_dir, docdrift_in, site_copy, snapshot, utf8};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn read_all(site: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = std::fs::read_dir(site.join("docs"))
        .unwrap()
        .flatten()
        .map(|e| (e.path(), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn diff_shows_fix_applies_and_a_second_fix_changes_nothing() {
    let (tmp, site) = site_copy(&Path::new(MANIFEST_DIR).join("docs-fixtures/fix/site"));
    let before = read_all(&site);

    // --diff: a unified diff on standard output, nothing written, exit 1 (there are fixes).
    let o = docdrift_in(&site, &["check", "--diff"]);
    assert_eq!(o.status.code(), Some(1), "{}", utf8(&o.stderr));
    let diff = utf8(&o.stdout);
    assert_eq!(read_all(&site), before, "--diff writes nothing");
    assert!(diff.contains("--- a/docs/architecture.mdx\n+++ b/docs/architecture.mdx"));
    snapshot!("fix-diff", diff);

    // --fix: writes the same change, reports what is left.
    let o = docdrift_in(&site, &["check", "--fix", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1), "unfixable errors remain");
    assert_eq!(utf8(&o.stderr), "fixed 3 problems in 2 files\n");
    let after = read_all(&site);
    // Applying the diff to the original gives the fixed files.
    let patched = {
        let p = tmp.path().join("patched");
        copy_dir(&Path::new(MANIFEST_DIR).join("docs-fixtures/fix/site"), &p);
        let mut child =
            Command::new("patch").args(["-p1", "-s"]).current_dir(&p).stdin(std::process::Stdio::piped()).spawn();
        if let Ok(child) = child.as_mut() {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(diff.as_bytes()).unwrap();
            assert!(child.wait().unwrap().success(), "the diff applies with patch -p1");
            Some(read_all(&p).into_iter().map(|(_, t)| t).collect::<Vec<_>>())
        } else {
            eprintln!("no `patch` here: not applying the diff");
            None
        }
    };
    if let Some(patched) = patched {
        assert_eq!(patched, after.iter().map(|(_, t)| t.clone()).collect::<Vec<_>>(), "--diff shows what --fix writes");
    }
    let report = utf8(&o.stdout);
    // What is left has no fix: ambiguous anchors and ids the author must choose.
    for kept in ["{#dataplane}", "{#setup}", "#set-up", "#dataplane"] {
        assert!(after.iter().any(|(_, t)| t.contains(kept)), "{kept} is not touched");
    }
    let mut shown = report.clone();
    for (p, t) in &after {
        shown.push_str(&format!("\n===== {} =====\n{t}", p.file_name().unwrap().to_string_lossy()));
    }
    snapshot!("fix-applied", shown);

    // A second run: nothing to fix, nothing changes.
    let o = docdrift_in(&site, &["check", "--fix", "--color", "never"]);
    assert_eq!(utf8(&o.stderr), "", "no fix left");
    assert_eq!(read_all(&site), after, "a second --fix changes nothing");
    assert_eq!(utf8(&o.stdout), report);
    // Nothing left to fix, but unfixable errors remain: `--diff` exits as `check` does.
    let o = docdrift_in(&site, &["check", "--diff"]);
    assert_eq!((o.status.code(), utf8(&o.stdout)), (Some(1), String::new()));
}

/// The fixes settle: after `fix::run`, no finding it reports still carries a fix.
#[test]
fn fixes_reach_a_fixpoint() {
    let (_tmp, site_dir) = site_copy(&Path::new(MANIFEST_DIR).join("docs-fixtures/fix/site"));
    let site = docdrift::site::Site::load(&site_dir, None, &docdrift::rules::ids()).unwrap();
    let out = docdrift::fix::run(site, &[], &|_| true, &|_, _| {});
    assert!(!out.unsettled);
    assert_eq!(out.changed.len(), 2);
    assert!(out.findings.iter().all(|f| f.fix.is_empty()), "a fixable finding is left: {:?}", out.findings);
    assert!(!out.findings.is_empty(), "unfixable findings remain");
}

fn json_findings(o: &Output) -> Vec<(String, String, u64)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn baseline_hides_recorded_findings_across_unrelated_edits() {
    let (tmp, site) = site_copy(&Path::new(MANIFEST_DIR).join("docs-fixtures/site"));
    let baseline = tmp.path().join("baseline.json");
    let all = json_findings(&docdrift_in(&site, &["check", "--format", "json"]));
    assert!(all.len() > 5);

    let o = docdrift_in(&site, &["check", "--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "writing a baseline succeeds: {}", utf8(&o.stderr));
    assert!(utf8(&o.stderr).contains(&format!("wrote {} findings", all.len())));
    let b: Value = serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(b["docdrift_baseline"], 1);
    assert!(b["findings"].as_array().unwrap().iter().all(|e| e.get("line").is_none()), "no line numbers in the key");

    let with = |args: &[&str]| {
        let mut a = vec!["check", "--format", "json", "--baseline", baseline.to_str().unwrap()];
        a.extend(args);
        docdrift_in(&site, &a)
    };
    let o = with(&[]);
    assert_eq!(json_findings(&o), [], "everything is baselined");
    assert_eq!(o.status.code(), Some(0));

    // Unrelated edits move the findings down: still baselined. A new problem is reported.
    let upgrade = site.join("acme_versioned_docs/version-2.1/upgrade.mdx");
    let t = std::fs::read_to_string(&upgrade).unwrap();
    let (fm_end, _) = t.match_indices("---\n").nth(1).unwrap();
    let edited = format!(
        "{}---\n\nA new first paragraph.\n\nAnd another, with a new problem: $[prodnmae].\n{}",
        &t[..fm_end],
        &t[fm_end + 4..]
    );
    std::fs::write(&upgrade, edited).unwrap();
    let o = with(&[]);
    assert_eq!(
        json_findings(&o),
        [("acme_versioned_docs/version-2.1/upgrade.mdx".to_string(), "variable/unknown".to_string(), 8)]
    );
    assert_eq!(o.status.code(), Some(1));

    // A baseline that cannot be read is an error, not an empty baseline.
    let o = docdrift_in(&site, &["check", "--baseline", "/nonexistent/baseline.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(utf8(&o.stderr).contains("cannot read the baseline"));
}

/// Suppressions on the bundled site: silencing a seeded finding works, and a suppression with
/// nothing to silence is reported.
#[test]
fn suppressions_silence_one_rule_on_one_line() {
    let (_tmp, site) = site_copy(&Path::new(MANIFEST_DIR).join("docs-fixtures/site"));
    let page = site.join("acme_versioned_docs/version-2.1/upgrade.mdx");
    let t = std::fs::read_to_string(&page).unwrap();
    let line = t.lines().position(|l| l.contains("$[prodnme]")).unwrap();
    let mut lines: Vec<&str> = t.lines().collect();
    lines.insert(line, "{/* docdrift-disable-next-line variable/unknown -- a typo kept for the test */}\n");
    std::fs::write(&page, lines.join("\n") + "\n").unwrap();
    let f = json_findings(&docdrift_in(&site, &["check", "--format", "json"]));
    // The edited copy also differs from the other versions' (`drift/stale-copy`): not this test's.
    let here: Vec<_> =
        f.iter().filter(|(p, r, _)| p.ends_with("version-2.1/upgrade.mdx") && !r.starts_with("drift/")).collect();
    assert_eq!(here.len(), 1, "one of the two unknown variables is silenced: {here:?}");
    assert!(here[0].2 > line as u64 + 2, "the other one is reported");
    // A suppression of the wrong rule silences nothing and is itself reported.
    let t = std::fs::read_to_string(&page).unwrap().replace("variable/unknown -- a typo", "link/broken -- a typo");
    std::fs::write(&page, t).unwrap();
    let f = json_findings(&docdrift_in(&site, &["check", "--format", "json"]));
    let here: Vec<_> =
        f.iter().filter(|(p, _, _)| p.ends_with("version-2.1/upgrade.mdx")).map(|(_, r, _)| r.as_str()).collect();
    let here: Vec<&str> = here.into_iter().filter(|r| !r.starts_with("drift/")).collect();
    assert_eq!(here, ["syntax/unused-suppression", "variable/unknown", "variable/unknown"]);
}

/// A help's single close suggestion is applied: `$[prodnme]` → `$[prodname]`, `:::notes` →
/// `:::note`, `release-note.mdx` → `./release-notes.mdx`. Two equally close candidates
/// (`$[tag]`/`$[tags]`, `guide.mdx`/`guides.mdx`) or a far one (`:::warn`) are left alone.
#[test]
fn single_close_suggestions_are_applied() {
    let (_tmp, site) = site_copy(&Path::new(MANIFEST_DIR).join("docs-fixtures/fix-suggestions/site"));
    let o = docdrift_in(&site, &["check", "--diff"]);
    assert_eq!(o.status.code(), Some(1), "{}", utf8(&o.stderr));
    snapshot!("fix-suggestions-diff", utf8(&o.stdout));
    let o = docdrift_in(&site, &["check", "--fix", "--color", "never"]);
    assert_eq!(utf8(&o.stderr), "fixed 3 problems in 1 file\n");
    let fixed = std::fs::read_to_string(site.join("docs/upgrade.mdx")).unwrap();
    for want in ["$[prodname] to", "(./release-notes.mdx#bug-fixes)", ":::note\n", "$[tagz]", "(./guid.mdx)", ":::warn"]
    {
        assert!(fixed.contains(want), "{want} in:\n{fixed}");
    }
    assert_eq!(utf8(&o.stdout).matches("error[").count(), 3, "{}", utf8(&o.stdout));
    let o = docdrift_in(&site, &["check", "--fix"]);
    assert_eq!(utf8(&o.stderr), "", "no fix left");
    assert_eq!(std::fs::read_to_string(site.join("docs/upgrade.mdx")).unwrap(), fixed);
}
