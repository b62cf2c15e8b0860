//! Snippets: sources rendered per version, `docdrift snippets`, and the two corpus snippets.
//!
//! `tests/snippets/site/` is a small versioned site whose facts differ by version (Acme 2.0
//! documents `bpfKubeProxyHealthzPort: 0`, 1.0 has the field without that meaning, 0.9 lacks
//! it; Beta's `egressIPVXLANPort` takes 4791). Its sources cover every condition kind, every
//! computed value and "not applicable"; [`renders_every_source_in_every_version`] snapshots
//! what each renders in each version. `tests/snippets/broken/` holds one broken source per
//! error message. The generate tests run the binary on a temporary copy. The corpus test
//! renders the two snippets of `tests/corpus/snippets/` for all 13 doc-set versions into a copy
//! of the corpus, snapshots them with the table of variants and values, compiles each with the
//! reference MDX compiler (`tests/oracle`, `npm ci --prefix tests/oracle`) and checks each with
//! `docdrift check`. Without the corpus or the oracle it shows as ignored (build.rs), and fails
//! under `CI`.

mod common;

use common::{MANIFEST_DIR, copy_dir, docdrift, site_copy, snapshot, text};
use docdrift::analysis::Index;
use docdrift::analysis::config_ref::Refs;
use docdrift::analysis::ports::Ports;
use docdrift::engine;
use docdrift::model::Model;
use docdrift::report::{Report, human};
use docdrift::rules;
use docdrift::site::Site;
use docdrift::snippets::{self, Facts, Outcome, facts, render, source};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn fixture_site() -> PathBuf {
    Path::new(MANIFEST_DIR).join("tests/snippets/site")
}

/// Without what a test needs: fail on CI, else say why and pass.
fn skip(why: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("cannot run: {why}");
    }
    eprintln!("skipped: {why}");
}

/// Every `.mdx` under `dir` whose path contains `/generated/`, relative, sorted.
fn generated(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|p| p.contains("/generated/"))
        .collect();
    out.sort();
    out
}

/// Each source × each version: the rendering, or why it does not apply.
fn render_all(site: &Site, facts: &Facts, sources: &[snippets::Source]) -> String {
    let mut out = String::new();
    for item in snippets::plan(site, facts, sources) {
        let src = &sources[item.source];
        let _ = writeln!(out, "===== {} in {} → {}", src.name, facts.version_name(item.loc), item.path);
        match item.outcome {
            Ok(Outcome::Rendered(r)) => out.push_str(&r.file),
            Ok(Outcome::NotApplicable(why)) => {
                let _ = writeln!(out, "(not applicable: {why})");
            }
            Err(e) => {
                let _ = writeln!(out, "(error: {e})");
            }
        }
    }
    out
}

#[test]
fn renders_every_source_in_every_version() {
    let site = Site::load(&fixture_site(), None, &rules::ids()).unwrap();
    let mut setup = Vec::new();
    let refs = Refs::new(&site, &mut setup);
    let ports = Ports::new(&site, Vec::new(), &mut setup);
    assert!(setup.is_empty(), "{setup:?}");
    let facts = Facts { site: &site, refs: &refs, registry: ports.registry() };
    let (sources, errors) = snippets::load(&site, &facts);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(sources.len(), 3);
    snapshot!("snippets-fixture-renderings", render_all(&site, &facts, &sources));
}

#[test]
fn broken_sources_name_file_line_and_closest_name() {
    let site = Site::load(&fixture_site(), None, &rules::ids()).unwrap();
    let mut setup = Vec::new();
    let refs = Refs::new(&site, &mut setup);
    let ports = Ports::new(&site, Vec::new(), &mut setup);
    let facts = Facts { site: &site, refs: &refs, registry: ports.registry() };
    let dir = Path::new(MANIFEST_DIR).join("tests/snippets/broken");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    let mut out = String::new();
    for f in files {
        let e = match source::read(&f, ".docdrift/snippets").and_then(|s| facts::validate(&s, &facts)) {
            Ok(()) => panic!("{} should be rejected", f.display()),
            Err(e) => e,
        };
        let shown = e.to_string().replace(&format!("{}/", dir.display()), "");
        let _ = writeln!(out, "{shown}\n");
    }
    snapshot!("snippets-broken-sources", out);
}

#[test]
fn generate_twice_writes_once_and_check_catches_stale_edited_and_missing() {
    let (_tmp, root) = site_copy(&fixture_site());
    let r = root.to_str().unwrap();
    let first = docdrift(&["snippets", "--root", r, "generate"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert_eq!(text(&first.stderr), "wrote 8 files, removed 0, 0 already up to date\n");
    let files = generated(&root);
    let stamps: Vec<_> = files.iter().map(|f| std::fs::metadata(root.join(f)).unwrap().modified().unwrap()).collect();
    let second = docdrift(&["snippets", "--root", r, "generate"]);
    assert_eq!(text(&second.stderr), "wrote 0 files, removed 0, 8 already up to date\n");
    let again: Vec<_> = files.iter().map(|f| std::fs::metadata(root.join(f)).unwrap().modified().unwrap()).collect();
    assert_eq!(stamps, again, "the second run rewrote a file");
    let clean = docdrift(&["snippets", "--root", r, "generate", "--check"]);
    assert_eq!(clean.status.code(), Some(0));

    // The source changes: every rendering of it is stale.
    let src = root.join(".docdrift/snippets/vxlan.mdx");
    let t = std::fs::read_to_string(&src).unwrap().replace("before you enable", "before enabling");
    std::fs::write(&src, t).unwrap();
    // A rendering edited by hand, and one deleted.
    let edited = root.join("acme/_includes/generated/_healthz.mdx");
    let t = std::fs::read_to_string(&edited).unwrap().replace("turn the server off", "stop it");
    std::fs::write(&edited, t).unwrap();
    std::fs::remove_file(root.join("beta/_includes/generated/_product.mdx")).unwrap();
    let check = docdrift(&["snippets", "--root", r, "generate", "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let written = generated(&root);
    assert_eq!(written.len(), 7, "--check wrote something");
    snapshot!("snippets-generate-check", format!("{}---\n{}", text(&check.stdout), text(&check.stderr)));
    let fix = docdrift(&["snippets", "--root", r, "generate"]);
    assert_eq!(
        text(&fix.stderr),
        "docdrift: acme/_includes/generated/_healthz.mdx: overwriting a file edited by hand\nwrote 5 files, removed 0, 3 already up to date\n"
    );
    assert_eq!(docdrift(&["snippets", "--root", r, "generate", "--check"]).status.code(), Some(0));
}

#[test]
fn show_prints_one_rendering_or_why_not() {
    let r = fixture_site();
    let r = r.to_str().unwrap();
    let shown = docdrift(&["snippets", "--root", r, "show", "healthz", "--doc-set", "acme", "--version", "1.0"]);
    assert_eq!(shown.status.code(), Some(0));
    let none = docdrift(&["snippets", "--root", r, "show", "healthz", "--doc-set", "acme", "--version", "0.9"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(none.stdout.is_empty());
    let list = docdrift(&["snippets", "--root", r, "list"]);
    snapshot!(
        "snippets-show-and-list",
        format!("{}--- 0.9 stderr:\n{}--- list:\n{}", text(&shown.stdout), text(&none.stderr), text(&list.stdout))
    );
}

#[test]
fn never_writes_outside_the_root() {
    let (tmp, root) = site_copy(&fixture_site());
    let r = root.to_str().unwrap();
    // An output path that climbs out of the version folder is a configuration error.
    let toml = root.join("docdrift.toml");
    let base = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{base}\n[snippets]\noutput = \"../../outside/_{{name}}.mdx\"\n")).unwrap();
    let o = docdrift(&["snippets", "--root", r, "generate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("`output` in [snippets] is not a usable path"), "{}", text(&o.stderr));
    assert!(!tmp.path().join("outside").exists());
    // A symbolic link inside the site that points out of it is refused.
    std::fs::write(&toml, &base).unwrap();
    let outside = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(root.join("acme/_includes")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, root.join("acme/_includes/generated")).unwrap();
        let o = docdrift(&["snippets", "--root", r, "generate"]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(text(&o.stderr).contains("refusing to write through the symbolic link"), "{}", text(&o.stderr));
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0, "wrote through the link");
    }
    // A misspelt key in [snippets] names the right one.
    std::fs::write(&toml, format!("{base}\n[snippets]\nsourcs = \"snips\"\n")).unwrap();
    let o = docdrift(&["snippets", "--root", r, "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("unknown key `sourcs` in [snippets]; did you mean `sources`?"),
        "{}",
        text(&o.stderr)
    );
    // The library refuses a path with `..` on its own.
    std::fs::write(&toml, &base).unwrap();
    let site = Site::load(&root, None, &rules::ids()).unwrap();
    let e = snippets::write_atomic(&site, "acme/../../x.mdx", "x").unwrap_err();
    assert!(e.to_string().contains("refusing to write outside the site root"));
}

#[test]
fn hand_copy_fix_imports_the_partial() {
    let case = Path::new(MANIFEST_DIR).join("docs-fixtures/cases/snippet-hand-copy-diagnostics");
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&case, tmp.path());
    let r = tmp.path().to_str().unwrap();
    let diff = docdrift(&["check", "--root", r, "--diff"]);
    snapshot!("snippets-hand-copy-fix", text(&diff.stdout));
    let fixed = docdrift(&["check", "--root", r, "--fix"]);
    assert!(text(&fixed.stderr).contains("fixed 2 problems in 2 files"), "{}", text(&fixed.stderr));
    // Only the copy in a version the snippet does not apply to remains.
    let after = docdrift(&["check", "--root", r]);
    let out = text(&after.stdout);
    assert_eq!(out.matches("snippet/hand-copy").count(), 1, "{out}");
    assert!(out.contains("version-0.9/ebpf.mdx"), "{out}");
}

/// The two snippets of issue 12 over the whole corpus.
#[test]
#[cfg_attr(
    any(docdrift_no_corpus, docdrift_no_oracle),
    ignore = "needs ../shared/corpus/tigera-docs, node and tests/oracle/node_modules (npm ci --prefix tests/oracle)"
)]
fn corpus_snippets_render_compile_and_check_clean() {
    let corpus = Path::new(MANIFEST_DIR).join("../shared/corpus/tigera-docs");
    if !corpus.is_dir() {
        return skip(&format!("the corpus {} is absent", corpus.display()));
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("tigera-docs");
    copy_dir(&corpus, &root);
    let config = Path::new(MANIFEST_DIR).join("tests/corpus/tigera-docs.docdrift.toml");
    let site = Site::load(&root, Some(&config), &rules::ids()).unwrap();
    let mut setup = Vec::new();
    let refs = Refs::new(&site, &mut setup);
    let ports = Ports::new(&site, Vec::new(), &mut setup);
    let facts = Facts { site: &site, refs: &refs, registry: ports.registry() };
    let (sources, errors) = snippets::load(&site, &facts);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        sources.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["kube-proxy-healthz-port", "mke-vxlan-port"]
    );

    // The table: doc-set version × snippet → variant and values, with how each was derived.
    let mut table = String::from("| doc set version | snippet | variant | values |\n|---|---|---|---|\n");
    let mut versions = 0;
    for ds in &site.doc_sets {
        versions += ds.versions.len();
    }
    assert_eq!(versions, 13);
    let plan = snippets::plan(&site, &facts, &sources);
    for item in &plan {
        let (variant, values) = match &item.outcome {
            Ok(Outcome::Rendered(r)) => (
                r.variant.clone(),
                r.values
                    .iter()
                    .map(|v| format!("{} = {} ({})", v.name, v.value, v.how))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            ),
            Ok(Outcome::NotApplicable(why)) => ("not applicable".to_string(), why.clone()),
            Err(e) => panic!("{e}"),
        };
        let _ = writeln!(
            table,
            "| {} | {} | {variant} | {values} |",
            facts.version_name(item.loc),
            sources[item.source].name
        );
    }
    snapshot!("snippets-corpus-table", table);
    snapshot!("snippets-corpus-renderings", render_all(&site, &facts, &sources));

    let c = config.to_str().unwrap();
    let r = root.to_str().unwrap();
    let o = docdrift(&["snippets", "--root", r, "--config", c, "generate"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let files = generated(&root);
    assert_eq!(files.len(), 19);
    assert_eq!(
        text(&docdrift(&["snippets", "--root", r, "--config", c, "generate"]).stderr),
        "wrote 0 files, removed 0, 19 already up to date\n"
    );

    // Every rendering passes `docdrift check` in its version.
    let index = Index::new(Model::build(Site::load(&root, Some(&config), &rules::ids()).unwrap(), &[]));
    let findings = engine::check(&index, &|p| files.iter().any(|f| f == p));
    let report = Report { model: &index.model, findings: &findings, files: files.len(), elapsed_ms: 0 };
    assert!(findings.is_empty(), "{}", human::render(&report, false));

    // Every rendering compiles with the reference MDX compiler.
    let oracle = Path::new(MANIFEST_DIR).join("tests/oracle");
    if !oracle.join("node_modules").is_dir() {
        return skip("the MDX oracle is not installed (npm ci --prefix tests/oracle --no-audit --no-fund)");
    }
    let child = Command::new("node")
        .arg(oracle.join("dump.mjs"))
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else { return skip("node is not installed") };
    child.stdin.take().unwrap().write_all(format!("{}\n", files.join("\n")).as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    assert_eq!(lines.len(), files.len());
    for l in &lines {
        assert!(l["error"].is_null(), "{} does not compile: {}", l["path"], l["error"]);
        assert!(l["directives"].as_array().is_some_and(|d| d.iter().any(|x| x["name"] == "caution")), "{l}");
    }
    // And render::classify agrees that what is on disk is current.
    for item in &plan {
        if let Ok(Outcome::Rendered(rd)) = &item.outcome {
            let on_disk = std::fs::read_to_string(root.join(&item.path)).unwrap();
            assert_eq!(render::classify(&sources[item.source], &on_disk, &rd.file), render::State::Current);
        }
    }
}

/// The README's complete example parses, and renders each of its variants on the fixture site
/// once its `[[applies]]` name the fixture's doc sets.
#[test]
fn readme_example_is_a_valid_source() {
    let readme = std::fs::read_to_string(Path::new(MANIFEST_DIR).join("README.md")).unwrap();
    let start = readme.find("```mdx\n+++\n").expect("the example in README.md") + "```mdx\n".len();
    let end = start + readme[start..].find("\n```\n").unwrap() + 1;
    let example = readme[start..end]
        .replace(
            "doc_set = \"calico-enterprise\"\nversions = [\"3.23-2\", \"current\"]",
            "doc_set = \"beta\"\nversions = \"all\"",
        )
        .replace(
            "doc_set = \"calico\"\nversions = { from = \"3.30\", to = \"current\" }",
            "doc_set = \"acme\"\nversions = { from = \"0.9\", to = \"current\" }",
        );
    let src = source::parse(Path::new("readme-example.mdx"), ".docdrift/snippets", example).unwrap();
    let site = Site::load(&fixture_site(), None, &rules::ids()).unwrap();
    let mut setup = Vec::new();
    let refs = Refs::new(&site, &mut setup);
    let ports = Ports::new(&site, Vec::new(), &mut setup);
    let facts = Facts { site: &site, refs: &refs, registry: ports.registry() };
    facts::validate(&src, &facts).unwrap();
    let variants: Vec<String> = snippets::plan(&site, &facts, std::slice::from_ref(&src))
        .into_iter()
        .map(|i| match i.outcome {
            Ok(Outcome::Rendered(r)) => r.variant,
            Ok(Outcome::NotApplicable(_)) => "-".to_string(),
            Err(e) => panic!("{e}"),
        })
        .collect();
    assert_eq!(variants, ["disable", "move", "-", "disable"]);
}

/// `check --fix` writes the current rendering over stale and hand-edited files; what it cannot
/// fix (a rendering left where the snippet no longer applies) is left to `generate`.
#[test]
fn stale_fix_writes_the_rendering() {
    let case = Path::new(MANIFEST_DIR).join("docs-fixtures/cases/snippet-stale-diagnostics");
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&case, tmp.path());
    let r = tmp.path().to_str().unwrap();
    let fixed = docdrift(&["check", "--root", r, "--fix"]);
    assert!(text(&fixed.stderr).contains("fixed 2 problems in 2 files"), "{}", text(&fixed.stderr));
    let check = docdrift(&["snippets", "--root", r, "generate", "--check"]);
    assert_eq!(
        text(&check.stdout),
        "acme_versioned_docs/version-0.9/_includes/generated/_healthz.mdx: no longer applies (run `docdrift snippets generate`)\n"
    );
    let generate = docdrift(&["snippets", "--root", r, "generate"]);
    assert_eq!(text(&generate.stderr), "wrote 0 files, removed 1, 2 already up to date\n");
    assert_eq!(docdrift(&["check", "--root", r]).status.code(), Some(0));
}

/// A broken source is a configuration error for `check` (exit 2), not a silent skip.
#[test]
fn check_reports_a_broken_source() {
    let (_tmp, root) = site_copy(&fixture_site());
    std::fs::copy(
        Path::new(MANIFEST_DIR).join("tests/snippets/broken/unknown-field.mdx"),
        root.join(".docdrift/snippets/unknown-field.mdx"),
    )
    .unwrap();
    let o = docdrift(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("configuration error: ") && err.contains("unknown-field.mdx:3:20: "), "{err}");
}
