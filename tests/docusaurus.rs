//! Sites read from their `docusaurus.config.*` alone (no `docdrift.toml`): what `docdrift init`
//! reads from each fixture shape in `docs-fixtures/docusaurus/`, and `docdrift check` where a
//! shape shows a behaviour (routes of the blog, pages and redirects; HTML comments with and
//! without `future.v4`; `markdown.format: 'detect'`; `baseUrl`; unbuilt versions).
//!
//! Snapshots go to `snapshots/` as `docusaurus-*.snap`, with the crate root replaced by `[ROOT]`.

mod common;

use common::{MANIFEST_DIR, docdrift, rooted, snapshot};
use std::path::Path;

const FIXTURES: &str = "docs-fixtures/docusaurus";

fn text(bytes: &[u8]) -> String {
    rooted(&common::text(bytes))
}

/// The site root of a fixture shape (the `outside` shape keeps its site in `website/`).
fn root(shape: &str) -> String {
    let base = format!("{FIXTURES}/{shape}");
    if Path::new(MANIFEST_DIR).join(&base).join("website").is_dir() { format!("{base}/website") } else { base }
}

const SHAPES: &[&str] = &[
    "versions",
    "multi-instance",
    "outside",
    "base-url",
    "last-current",
    "only-include",
    "blog-pages-redirects",
    "typescript",
    "format-detect",
    "v4-on",
    "v4-off",
    "build-copies-version",
];

#[test]
fn init_reads_each_shape() {
    for shape in SHAPES {
        let o = docdrift(&["init", "--stdout", "--root", &root(shape)]);
        assert_eq!(o.status.code(), Some(0), "{shape}: {}", text(&o.stderr));
        let out = text(&o.stdout);
        // What init writes loads back.
        docdrift::site::Config::parse(&out, Path::new("docdrift.toml"), &docdrift::rules::ids())
            .unwrap_or_else(|e| panic!("{shape}: `init` wrote an invalid docdrift.toml: {e}\n{out}"));
        snapshot!(format!("docusaurus-init-{shape}"), out);
    }
}

/// `check` on a shape: exit code, standard error (notes), then the findings.
fn check(shape: &str) -> String {
    let o = docdrift(&["check", "--root", &root(shape), "--color", "never"]);
    format!("exit {}\n--- stderr\n{}--- stdout\n{}", o.status.code().unwrap_or(-1), text(&o.stderr), text(&o.stdout))
}

#[test]
fn check_shows_each_behaviour() {
    for shape in SHAPES {
        snapshot!(format!("docusaurus-check-{shape}"), check(shape));
    }
}

#[test]
fn a_config_syntax_error_is_a_configuration_error() {
    let out = check("syntax-error");
    assert!(out.starts_with("exit 2\n"), "{out}");
    assert!(out.contains("docusaurus.config.js:2:16: cannot read the Docusaurus config"), "{out}");
}

/// A folder on the command line selects among the site's documents; it does not make other
/// Markdown files (a README next to the config) documents. Checking the site root by path and
/// checking it with `--root` are the same run.
#[test]
fn a_folder_argument_checks_only_what_the_site_builds() {
    let site = root("versions");
    let by_root = docdrift(&["check", "--root", &site, "--color", "never"]);
    let by_path = docdrift(&["check", &site, "--color", "never"]);
    assert_eq!(text(&by_path.stdout), text(&by_root.stdout));
    assert_eq!(by_path.status.code(), by_root.status.code());
    assert!(!text(&by_path.stdout).contains("README.md"), "{}", text(&by_path.stdout));
}
