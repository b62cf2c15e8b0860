//! The drift HTML report in a real headless browser (Debian's `chromium`): the page renders
//! (the matrix table and its links are in the DOM the browser built), the script runs without
//! a console error, and opening a cell's link (`#d0-0`, what a click on the matrix cell does)
//! opens that block's side-by-side diff.
//!
//! Without `chromium` on the PATH the test says so and passes, unless `CI=true`, where that is
//! a failure (`.ci/run` installs it).

use docdrift::analysis::Index;
use docdrift::model::Model;
use docdrift::report::drift::{DriftReport, html};
use docdrift::rules;
use docdrift::site::Site;
use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
#[cfg_attr(docdrift_no_chromium, ignore = "needs chromium on PATH (apt-get install -y chromium)")]
fn drift_html_renders_and_opens_a_diff_from_the_matrix() {
    let Some(browser) = chromium() else {
        let why = "chromium is not installed (apt-get install -y chromium)";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{why}");
        }
        eprintln!("skipped: {why}");
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs-fixtures/drift/hole");
    let site = Site::load(&root, None, &rules::ids()).unwrap_or_else(|e| panic!("{e}"));
    let index = Index::new(Model::build(site, &[]));
    let drift = index.drift();
    let page = html::render(&DriftReport { model: &index.model, drift, all: false });
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("drift.html");
    std::fs::write(&file, &page).expect("write the report");
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}#d0-0", file.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {log}");
    assert!(dom.contains("<table class=\"m\">"), "no matrix in the rendered page:\n{dom}");
    assert!(dom.contains("href=\"#d0-0\""), "no matrix cell links to the diff:\n{dom}");
    assert!(dom.contains("<details id=\"d0-0\" open=\"\">"), "the diff did not open from its link:\n{dom}");
    assert!(dom.contains("<del>") || dom.contains("<pre>"), "no side-by-side diff:\n{dom}");
    let errors: Vec<&str> =
        log.lines().filter(|l| l.contains("CONSOLE") && (l.contains("rror") || l.contains("Uncaught"))).collect();
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}
