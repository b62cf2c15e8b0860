//! Route differential: `docdrift routes` against the routes the real Docusaurus build renders,
//! on the fixture site `docs-fixtures/docusaurus/oracle-site/` (a versioned docs instance with a
//! `versions.<v>.path` override, a second docs instance with `routeBasePath`, a blog, pages,
//! client redirects, a static file, doc and blog tags, generated-index categories,
//! `baseUrl: '/docs-site/'`).
//!
//! Two tests:
//! - `docdrift_routes_match_docusaurus` compares `docdrift routes --format json` with the
//!   committed `expected-routes.txt`, which `tests/docusaurus-oracle/routes.mjs` wrote from a
//!   real build. Every route must agree, exactly (trailing slash included); the failure lists
//!   each route one side lacks, with its kind and source.
//! - `expected_routes_are_what_docusaurus_builds` runs that build again (`@docusaurus/core`
//!   pinned in `tests/docusaurus-oracle/package-lock.json`) and checks that the committed list is
//!   still what it produces, so the expectation cannot drift from Docusaurus. It needs Node and
//!   `npm ci --prefix tests/docusaurus-oracle`; without them it shows as ignored (build.rs), and
//!   under `CI` (or with `DOCDRIFT_REQUIRE_ORACLE=1`) a missing oracle is a failure. The build takes about a
//!   minute (26 s of CPU).
//! - `heading_ids_match_docusaurus_html` reads the same build's HTML: the ids of the h2–h6
//!   elements of a few doc pages must be the ids docdrift gives their headings.
//!
//! Any other site can be compared with the ignored test `docdrift_routes_match_docusaurus_on_directory`
//! (`DOCDRIFT_ORACLE_SITE=path/to/site`), as long as its config needs only the oracle's packages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const SITE: &str = "docs-fixtures/docusaurus/oracle-site";
const REGENERATE: &str = "node tests/docusaurus-oracle/routes.mjs docs-fixtures/docusaurus/oracle-site > docs-fixtures/docusaurus/oracle-site/expected-routes.txt";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A route list as `routes.mjs` prints it: route → Docusaurus's kind, and the Docusaurus version
/// its header names.
fn parse_list(text: &str, what: &str) -> (String, BTreeMap<String, String>) {
    let header = text.lines().next().unwrap_or_default();
    let version = header.split("@docusaurus/core ").nth(1).and_then(|v| v.split_whitespace().next()).unwrap_or("?");
    let mut routes = BTreeMap::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.is_empty()) {
        let (route, kind) =
            line.split_once('\t').unwrap_or_else(|| panic!("{what}:{}: expected `route<TAB>kind`", n + 1));
        routes.insert(route.to_string(), kind.to_string());
    }
    (version.to_string(), routes)
}

#[derive(serde::Deserialize)]
struct Entry {
    route: String,
    kind: String,
    source: Option<String>,
}

/// `docdrift routes --format json` on a site: route → "kind source" of each entry.
fn docdrift_routes(site: &Path) -> BTreeMap<String, Vec<String>> {
    let out = Command::new(env!("CARGO_BIN_EXE_docdrift"))
        .args(["routes", "--format", "json"])
        .arg(site)
        .output()
        .expect("run docdrift");
    assert!(out.status.success(), "docdrift routes failed: {}", String::from_utf8_lossy(&out.stderr));
    let entries: Vec<Entry> = serde_json::from_slice(&out.stdout).expect("docdrift routes --format json");
    let mut routes: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in entries {
        let what = match e.source {
            Some(s) => format!("{} {s}", e.kind),
            None => e.kind,
        };
        routes.entry(e.route).or_default().push(what);
    }
    routes
}

/// Every route one side lacks, or `None` when all agree.
fn disagreement(
    site: &str,
    version: &str,
    expected: &BTreeMap<String, String>,
    ours: &BTreeMap<String, Vec<String>>,
) -> Option<String> {
    let missing: Vec<String> =
        expected.iter().filter(|(r, _)| !ours.contains_key(*r)).map(|(r, kind)| format!("  {r}\t{kind}")).collect();
    let extra: Vec<String> = ours
        .iter()
        .filter(|(r, _)| !expected.contains_key(*r))
        .map(|(r, what)| format!("  {r}\t{}", what.join("; ")))
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return None;
    }
    let mut msg = format!("`docdrift routes {site}` disagrees with the routes @docusaurus/core {version} builds\n");
    msg.push_str(&format!(
        "{} routes Docusaurus renders are missing from docdrift (route, Docusaurus's kind):\n",
        missing.len()
    ));
    for m in &missing {
        msg.push_str(m);
        msg.push('\n');
    }
    msg.push_str(&format!(
        "{} routes docdrift lists are not Docusaurus routes (route, docdrift's kind and source):\n",
        extra.len()
    ));
    for e in &extra {
        msg.push_str(e);
        msg.push('\n');
    }
    // Docusaurus renders `<baseUrl>404.html`: name the routes that only lack that prefix, so
    // that one missing setting does not hide the rest.
    if let Some(base) = expected.keys().find_map(|r| r.strip_suffix("404.html")).filter(|b| *b != "/") {
        let prefixed: Vec<&str> = ours
            .keys()
            .filter(|r| !expected.contains_key(*r))
            .filter(|r| r.strip_prefix('/').is_some_and(|tail| expected.contains_key(&format!("{base}{tail}"))))
            .map(String::as_str)
            .collect();
        if !prefixed.is_empty() {
            msg.push_str(&format!(
                "{} of the routes docdrift lists agree once prefixed with the baseUrl `{base}`: {}\n",
                prefixed.len(),
                prefixed.join(", ")
            ));
        }
    }
    Some(msg)
}

#[test]
fn docdrift_routes_match_docusaurus() {
    let path = root().join(SITE).join("expected-routes.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (version, expected) = parse_list(&text, &path.display().to_string());
    if let Some(msg) = disagreement(SITE, &version, &expected, &docdrift_routes(&root().join(SITE))) {
        panic!("{msg}(Docusaurus's side is {SITE}/expected-routes.txt)");
    }
}

/// Any site whose config needs only the oracle's packages, built on the spot:
/// `DOCDRIFT_ORACLE_SITE=path/to/site cargo test --test docusaurus_routes -- --ignored`
/// (`DOCDRIFT_ORACLE_LOAD_ONLY=1` loads the site instead of building it: seconds instead of a
/// minute, client redirects read from the plugin options).
#[test]
#[ignore = "needs DOCDRIFT_ORACLE_SITE and npm ci --prefix tests/docusaurus-oracle"]
fn docdrift_routes_match_docusaurus_on_directory() {
    let Some(site) = std::env::var_os("DOCDRIFT_ORACLE_SITE").map(PathBuf::from) else {
        return skip("DOCDRIFT_ORACLE_SITE is not set");
    };
    if let Err(why) = oracle_ready() {
        return skip(&why);
    }
    let mut cmd = Command::new("node");
    cmd.arg(root().join("tests/docusaurus-oracle/routes.mjs")).arg(&site);
    if std::env::var("DOCDRIFT_ORACLE_LOAD_ONLY").is_ok_and(|v| v == "1") {
        cmd.arg("--load-only");
    }
    let out = cmd.output().expect("run node");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "Docusaurus failed on {}:\n{stderr}", site.display());
    let (version, expected) = parse_list(&String::from_utf8_lossy(&out.stdout), "routes.mjs");
    if let Some(msg) = disagreement(&site.display().to_string(), &version, &expected, &docdrift_routes(&site)) {
        panic!("{msg}");
    }
}

/// Whether a missing prerequisite must fail the run: in CI the oracle has to run.
fn oracle_required() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    ci || std::env::var("DOCDRIFT_REQUIRE_ORACLE").is_ok_and(|v| v == "1")
}

/// Says why the oracle cannot run; a failure where it must.
fn skip(why: &str) {
    assert!(!oracle_required(), "the Docusaurus route oracle must run in CI, but {why}");
    eprintln!("skipping the Docusaurus route oracle: {why}");
}

/// Whether Node and the oracle's packages are there.
fn oracle_ready() -> Result<(), String> {
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        _ => return Err("`node` is not on PATH".to_string()),
    }
    let modules = root().join("tests/docusaurus-oracle/node_modules");
    if !modules.join("@docusaurus/core").is_dir() {
        return Err(format!("{} is missing (run `npm ci --prefix tests/docusaurus-oracle`)", modules.display()));
    }
    Ok(())
}

/// One real build per test run, shared by the tests that need it.
struct Built {
    /// What `routes.mjs` printed (the route list with its header).
    list: String,
    /// For each of [`HEADING_PAGES`]: the ids of its built `<h2>`–`<h6>` elements.
    heading_ids: Vec<Vec<String>>,
}

/// The build, or why it cannot run here (node or the npm packages missing).
fn build() -> &'static Result<Built, String> {
    static BUILT: OnceLock<Result<Built, String>> = OnceLock::new();
    BUILT.get_or_init(|| {
        oracle_ready()?;
        let oracle = root().join("tests/docusaurus-oracle");
        // A folder of its own: the target folder may be shared with other checkouts' runs.
        let tmp = tempfile::Builder::new()
            .prefix("docusaurus-oracle-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .expect("a temporary folder");
        let work = tmp.path();
        let out = Command::new("node")
            .current_dir(root())
            .arg(oracle.join("routes.mjs"))
            .arg(SITE)
            .arg("--work")
            .arg(work)
            .output()
            .expect("run node");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "the Docusaurus build failed:\n{stderr}");
        eprintln!("{}", stderr.trim_end());
        let heading_ids = HEADING_PAGES
            .iter()
            .map(|(_, html)| {
                let path = work.join("build").join(html);
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                html_heading_ids(&text)
            })
            .collect();
        Ok(Built { list: String::from_utf8(out.stdout).expect("UTF-8 route list"), heading_ids })
    })
}

#[test]
#[cfg_attr(docdrift_no_docusaurus_oracle, ignore = "needs node and npm ci --prefix tests/docusaurus-oracle")]
fn expected_routes_are_what_docusaurus_builds() {
    let built = match build() {
        Ok(b) => b,
        Err(why) => return skip(why),
    };
    let committed =
        std::fs::read_to_string(root().join(SITE).join("expected-routes.txt")).expect("expected-routes.txt");
    if built.list != committed {
        let diff = similar::TextDiff::from_lines(&committed, &built.list)
            .unified_diff()
            .header("expected-routes.txt (committed)", "docusaurus build (now)")
            .to_string();
        panic!(
            "{SITE}/expected-routes.txt is not what Docusaurus builds now; check the change, then run\n  {REGENERATE}\n{diff}"
        );
    }
}

/// Doc pages whose h2–h6 ids are compared: source in the site → its HTML file in the build.
const HEADING_PAGES: &[(&str, &str)] = &[
    ("docs/reference/reference.md", "docs/next/reference/index.html"),
    ("docs/intro.md", "docs/next/welcome/index.html"),
    ("docs/01-getting-started/configure.md", "docs/next/getting-started/setup/index.html"),
];

/// The ids of the `<h2>`–`<h6>` elements of a built page, in order.
fn html_heading_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(k) = rest.find("<h") {
        rest = &rest[k + 2..];
        if !rest.starts_with(['2', '3', '4', '5', '6']) {
            continue;
        }
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        if let Some(at) = tag.find(" id=\"") {
            let value = &tag[at + 5..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            ids.push(
                value
                    .replace("&quot;", "\"")
                    .replace("&#x27;", "'")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
        }
    }
    ids
}

/// The ids docdrift gives the h2–h6 headings of a file of the site (h1 ids are consumed but not
/// rendered, as in Docusaurus).
fn docdrift_heading_ids(rel: &str) -> Vec<String> {
    let site = docdrift::site::Site::load(&root().join(SITE), None, &docdrift::rules::ids()).expect("site");
    let opts = docdrift::model::parse_options(&site);
    let file = docdrift::model::load_file(&site, rel.to_string(), &opts);
    file.doc
        .headings
        .iter()
        .zip(file.heading_ids.iter())
        .filter(|(h, _)| h.depth >= 2)
        .map(|(_, id)| id.to_string())
        .collect()
}

#[test]
#[cfg_attr(docdrift_no_docusaurus_oracle, ignore = "needs node and npm ci --prefix tests/docusaurus-oracle")]
fn heading_ids_match_docusaurus_html() {
    let built = match build() {
        Ok(b) => b,
        Err(why) => return skip(why),
    };
    let mut wrong = String::new();
    for ((source, html), theirs) in HEADING_PAGES.iter().zip(&built.heading_ids) {
        let ours = docdrift_heading_ids(source);
        if *theirs != ours {
            wrong.push_str(&format!("{source} (built as {html}):\n  Docusaurus: {theirs:?}\n  docdrift:   {ours:?}\n"));
        }
    }
    assert!(wrong.is_empty(), "heading ids differ from the built HTML:\n{wrong}");
}
