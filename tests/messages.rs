//! Message conventions that hold across rules: help lines start with a capital letter, and
//! what a message says about the site build follows the site's settings.

use docdrift::analysis::Index;
use docdrift::engine;
use docdrift::model::Model;
use docdrift::site::{ReportingSeverity, Site};
use std::path::Path;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn check(site: Site) -> Vec<docdrift::diag::Finding> {
    let index = Index::new(Model::build(site, &[]));
    engine::check(&index, &|_| true)
}

#[test]
fn every_help_line_starts_with_a_capital_letter() {
    let cases = Path::new(MANIFEST_DIR).join("docs-fixtures/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&cases).unwrap().flatten().map(|e| e.path()).collect();
    dirs.push(Path::new(MANIFEST_DIR).join("docs-fixtures/site"));
    let mut seen = 0;
    for dir in dirs {
        let Ok(site) = Site::load(&dir, None, &docdrift::rules::ids()) else { continue };
        for f in check(site) {
            let help = f.help.unwrap_or_default();
            seen += 1;
            assert!(!help.starts_with(char::is_lowercase), "{}: {} help: {help}", dir.display(), f.rule);
        }
    }
    assert!(seen > 50, "the fixtures have findings with help lines");
}

#[test]
fn broken_markdown_link_message_follows_on_broken_markdown_links() {
    let root = Path::new(MANIFEST_DIR).join("docs-fixtures/cases/link-broken-diagnostics");
    for (setting, says) in [
        (ReportingSeverity::Warn, "the Docusaurus build only warns"),
        (ReportingSeverity::Throw, "Docusaurus fails the build on broken Markdown links"),
        (ReportingSeverity::Ignore, "the Docusaurus build passes"),
    ] {
        let mut site = Site::load(&root, None, &docdrift::rules::ids()).unwrap();
        site.settings.on_broken_markdown_links = setting;
        let findings = check(site);
        let file_links: Vec<_> =
            findings.iter().filter(|f| f.rule == "link/broken" && f.message.contains("links to a file")).collect();
        assert!(!file_links.is_empty());
        assert!(file_links.iter().all(|f| f.message.contains(says)), "{setting:?}: {file_links:#?}");
    }
}
