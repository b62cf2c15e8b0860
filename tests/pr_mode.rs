//! PR mode (`--changed`, `--diff-base`): what a change breaks, in changed files and elsewhere.
//!
//! The scenario tests copy `docs-fixtures/pr-mode/site` into a temporary git repository (as
//! `website/`, so paths from the repository root differ from paths from the site root), commit
//! it, change it and run the binary there. [`pr_mode_agrees_with_a_full_run`] checks the
//! promise PR mode makes: in a changed file it reports exactly what a whole-site run reports,
//! on the fixture site (every file) and on a sample of the corpus when `../shared/corpus` is
//! present. The drift tests use `docs-fixtures/pr-mode/copies` (one page in five copies) and
//! check what PR mode says about a change that reached only some copies.

mod common;

use common::{MANIFEST_DIR, copy_dir, snapshot};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(["-c", "user.name=docdrift test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// A temporary repository holding the PR-mode fixture site at `website/`, committed.
struct Repo {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    site: PathBuf,
    cache: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        Repo::of("site")
    }

    /// `docs-fixtures/pr-mode/<fixture>` as the repository's `website/`.
    fn of(fixture: &str) -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        let site = root.join("website");
        copy_dir(&Path::new(MANIFEST_DIR).join("docs-fixtures/pr-mode").join(fixture), &site);
        git(&root, &["init", "-q", "-b", "main"]);
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", "docs"]);
        let cache = tmp.path().join("cache");
        Repo { _tmp: tmp, root, site, cache }
    }

    fn edit(&self, rel: &str, from: &str, to: &str) {
        let p = self.site.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} contains {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }

    /// Run docdrift in the site folder (as a hook or the action does).
    fn docdrift(&self, args: &[&str]) -> Output {
        common::command(&self.site, args).env("DOCDRIFT_CACHE_DIR", &self.cache).output().expect("docdrift runs")
    }
}

fn findings(o: &Output) -> Vec<(String, usize, String)> {
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("JSON ({e}): {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    });
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn anchor(path: &str, line: usize) -> (String, usize, String) {
    (path.to_string(), line, "anchor/missing".to_string())
}

#[test]
fn renamed_heading_reports_the_links_it_breaks_in_unchanged_files() {
    let repo = Repo::new();
    // Before any change: PR mode reports nothing, though the site has old problems.
    assert_eq!(findings(&repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"])), []);

    repo.edit("docs/install.mdx", "## Configure the agent", "## Configure agents");
    repo.edit("docs/_includes/_steps.mdx", "## Start the agent", "## Start agents");
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    // guide.mdx: a file link to the renamed heading and one to the partial's heading; faq.mdx:
    // a URL to the renamed heading. Not the old broken links: they are on no changed line.
    assert_eq!(findings(&o), [anchor("docs/faq.mdx", 9), anchor("docs/guide.mdx", 7), anchor("docs/guide.mdx", 7)]);

    // Each points at the change that broke it.
    let human = repo.docdrift(&["check", "--diff-base", "HEAD", "--color", "never"]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert_eq!(text.matches("changed here: this heading's id is now `#configure-agents`").count(), 2, "{text}");
    assert!(
        text.contains("docs/_includes/_steps.mdx:1:1: changed here: this heading's id is now `#start-agents`"),
        "{text}"
    );
    snapshot!("pr-mode-renamed-heading", text);
    // JSON carries the same pointer to the change, as `related`.
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["summary"]["elapsed_ms"] = "[elapsed]".into();
    snapshot!("pr-mode-renamed-heading-json", serde_json::to_string_pretty(&v).unwrap());

    // Annotations name files from the repository root.
    let gh = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "github"]);
    let gh = String::from_utf8(gh.stdout).unwrap();
    assert_eq!(gh.lines().count(), 3);
    assert!(gh.lines().all(|l| l.starts_with("::error file=website/docs/")), "{gh}");

    // pre-commit style: the changed files, relative to the current folder. Whole files changed,
    // so install.mdx's old broken link is reported too.
    let o = repo.docdrift(&["check", "--format", "json", "--changed", "docs/install.mdx", "docs/_includes/_steps.mdx"]);
    assert_eq!(
        findings(&o),
        [
            anchor("docs/faq.mdx", 9),
            anchor("docs/guide.mdx", 7),
            anchor("docs/guide.mdx", 7),
            anchor("docs/install.mdx", 21)
        ]
    );

    // Committed on a branch and compared with main: the same findings.
    git(&repo.root, &["checkout", "-q", "-b", "rename"]);
    git(&repo.root, &["commit", "-q", "-am", "rename headings"]);
    let o = repo.docdrift(&["check", "--diff-base", "main", "--format", "json"]);
    assert_eq!(findings(&o), [anchor("docs/faq.mdx", 9), anchor("docs/guide.mdx", 7), anchor("docs/guide.mdx", 7)]);
}

#[test]
fn branch_against_its_base_and_changed_lines_only() {
    let repo = Repo::new();
    git(&repo.root, &["checkout", "-q", "-b", "feature"]);
    repo.edit("docs/install.mdx", "## Configure the agent", "## Configure agents");
    // A new broken link on a changed line of a changed file is reported; the old one is not.
    repo.edit(
        "docs/install.mdx",
        "Set the options you need.",
        "Set the [options](./reference/options.mdx#agent-option) you need.",
    );
    git(&repo.root, &["commit", "-q", "-am", "change install"]);
    let o = repo.docdrift(&["check", "--diff-base", "main", "--format", "json"]);
    assert_eq!(findings(&o), [anchor("docs/faq.mdx", 9), anchor("docs/guide.mdx", 7), anchor("docs/install.mdx", 15)]);
}

#[test]
fn deleted_page_reports_the_links_to_it() {
    let repo = Repo::new();
    git(&repo.root, &["rm", "-q", "website/docs/reference/options.mdx"]);
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    let f = findings(&o);
    assert_eq!(
        f,
        [
            ("docs/install.mdx".to_string(), 11, "link/broken".to_string()),
            ("docs/install.mdx".to_string(), 21, "link/broken".to_string())
        ]
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["findings"][0]["message"].as_str().unwrap().contains("was deleted or renamed in this change"));
}

/// The index cache must follow the files: a file edited after the cache was written (not part
/// of the change) is read again.
#[test]
fn cache_follows_edits_outside_the_change() {
    let repo = Repo::new();
    repo.edit("docs/guide.mdx", "The [prerequisites]", "## Overview\n\nThe [prerequisites]");
    git(&repo.root, &["commit", "-q", "-am", "overview"]);
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "json", "--changed", "docs/guide.mdx"];
        args.extend(extra);
        findings(&repo.docdrift(&args))
    };
    assert_eq!(run(&[]), []);
    assert!(std::fs::read_dir(&repo.cache).unwrap().count() > 0, "the index is cached");
    // options.mdx (not part of the change) now links to the heading, and the change renames
    // it: only a fresh index knows that options.mdx links to guide.mdx at all.
    repo.edit(
        "docs/reference/options.mdx",
        "Back to [the install page](../install.mdx).",
        "Back to [the guide](../guide.mdx#overview).",
    );
    assert_eq!(run(&[]), []);
    repo.edit("docs/guide.mdx", "## Overview", "## Summary");
    assert_eq!(run(&[]), [anchor("docs/reference/options.mdx", 11)]);
    assert_eq!(run(&["--no-cache"]), [anchor("docs/reference/options.mdx", 11)]);
    // A link that was broken before the change is not the change's doing.
    repo.edit("docs/reference/options.mdx", "../guide.mdx#overview", "../guide.mdx#never-there");
    assert_eq!(run(&[]), []);
}

/// `(rule, line, column, message)` of every finding in `path`, from a JSON report.
fn in_file(v: &Value, path: &str) -> Vec<(String, u64, u64, String)> {
    let mut out: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn agree(site: &Path, config: &[&str], step: usize) -> usize {
    let tmp = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_docdrift");
    let run = |extra: &[&str]| -> Value {
        let o = Command::new(bin)
            .arg("check")
            .args(extra)
            .args(config)
            .args(["--format", "json", "--root"])
            .arg(site)
            .current_dir(MANIFEST_DIR)
            .env("DOCDRIFT_CACHE_DIR", tmp.path())
            .output()
            .unwrap();
        assert!(o.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let full = run(&[]);
    let mut docs: Vec<String> = walkdir_docs(site);
    docs.sort();
    let mut checked = 0;
    for rel in docs.iter().step_by(step) {
        let abs = site.join(rel);
        let pr = run(&["--changed", abs.to_str().unwrap()]);
        assert_eq!(in_file(&pr, rel), in_file(&full, rel), "PR mode and a full run disagree on {rel}");
        checked += 1;
    }
    checked
}

fn walkdir_docs(site: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if p.is_dir() {
                if !name.starts_with('.') && name != "node_modules" {
                    stack.push(p);
                }
            } else if name.ends_with(".md") || name.ends_with(".mdx") {
                out.push(p.strip_prefix(site).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

#[test]
fn pr_mode_agrees_with_a_full_run() {
    let fixture = Path::new(MANIFEST_DIR).join("docs-fixtures/site");
    assert!(agree(&fixture, &[], 1) > 30);
}

#[test]
#[cfg_attr(docdrift_no_corpus, ignore = "needs ../shared/corpus/tigera-docs")]
fn pr_mode_agrees_with_a_full_run_on_corpus_samples() {
    let corpus = Path::new(MANIFEST_DIR).join("../shared/corpus/tigera-docs");
    assert!(corpus.is_dir(), "the corpus {} is absent (set DOCDRIFT_SKIP_CORPUS=1 to skip)", corpus.display());
    let config = Path::new(MANIFEST_DIR).join("tests/corpus/tigera-docs.docdrift.toml");
    // About 25 documents spread over the corpus (4,550).
    let n = agree(&corpus, &["--config", config.to_str().unwrap()], 181);
    assert!(n >= 20);
}

/// A page with a component docdrift cannot see into only warns about a missing anchor (the
/// component may render it); but when the change itself removed the anchor, the component
/// cannot be its source: the finding is an error, and the hook and the action fail.
#[test]
fn renamed_heading_on_a_page_with_an_opaque_component_is_an_error() {
    let repo = Repo::new();
    repo.edit("docs/install.mdx", "<Steps />", "<Steps />\n\n<Widget />");
    repo.edit("docs/faq.mdx", "./guide.mdx#no-such-heading", "./install.mdx#no-such-heading");
    git(&repo.root, &["commit", "-q", "-am", "a component docdrift cannot see into"]);
    repo.edit("docs/install.mdx", "## Configure the agent", "## Configure agents");
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let fs = v["findings"].as_array().unwrap();
    assert_eq!(fs.len(), 2, "{v:#}");
    for f in fs {
        assert_eq!(f["severity"], "error", "{f:#}");
        assert!(f["message"].as_str().unwrap().contains("this change removed it"), "{f:#}");
    }
    assert_eq!(o.status.code(), Some(1));
    // An old missing anchor on that page (not removed by the change) stays a warning.
    let o = repo.docdrift(&["check", "--format", "json", "--changed", "docs/faq.mdx"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let old: Vec<&Value> = v["findings"].as_array().unwrap().iter().filter(|f| f["line"] == 11).collect();
    assert_eq!(old.len(), 1, "{v:#}");
    assert_eq!(old[0]["severity"], "warning", "{v:#}");
}

/// The paragraph the drift tests add, after this one.
const HEALTH: &str = "Felix answers health checks on every node.\n";
const NEW_PARAGRAPH: &str = "Felix answers health checks on every node.\n\nTo move the kube-proxy replacement's health server, set\n`bpfKubeProxyHealthzPort` in the FelixConfiguration.\n";

fn messages(o: &Output, rule: &str) -> Vec<(String, usize, String)> {
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&o.stderr)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap() as usize,
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const UNPROPAGATED: &str = "drift/unpropagated-change";

/// A paragraph added to two copies of five: PR mode lists the two copies that lack it and where
/// the field it names exists, and the one whose reference rules it out. Split over three pull
/// requests, each lists what is still missing, and the last says nothing.
#[test]
fn partial_backport_lists_the_copies_still_missing_it() {
    let repo = Repo::of("copies");
    assert_eq!(messages(&repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]), UNPROPAGATED), []);

    // First pull request: the current version and 2.1.
    git(&repo.root, &["checkout", "-q", "-b", "first"]);
    repo.edit("acme/ebpf.mdx", HEALTH, NEW_PARAGRAPH);
    repo.edit("acme_versioned_docs/version-2.1/ebpf.mdx", HEALTH, NEW_PARAGRAPH);
    let o = repo.docdrift(&["check", "--diff-base", "main", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "info only: {}", String::from_utf8_lossy(&o.stderr));
    // One finding for the change, on the first copy it reached (not one per changed copy).
    let m = messages(&o, UNPROPAGATED);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!((m[0].0.as_str(), m[0].1), ("acme/ebpf.mdx", 13));
    assert_eq!(
        m[0].2,
        "other copies of this page lack this new paragraph: Acme 2.0, Acme Pro (`bpfKubeProxyHealthzPort` exists in each); \
         not applicable: Acme 1.0 (no FelixConfiguration field `bpfKubeProxyHealthzPort`)"
    );
    // `--changed` (pre-commit) says the same.
    let changed = repo.docdrift(&[
        "check",
        "--format",
        "json",
        "--changed",
        "acme/ebpf.mdx",
        "acme_versioned_docs/version-2.1/ebpf.mdx",
    ]);
    assert_eq!(messages(&changed, UNPROPAGATED), m);

    let human = repo.docdrift(&["check", "--diff-base", "main", "--color", "never"]);
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("acme_versioned_docs/version-2.0/ebpf.mdx:11:1: in Acme 2.0 it goes after this paragraph"),
        "{text}"
    );
    snapshot!("pr-mode-partial-backport", text);
    let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["summary"]["elapsed_ms"] = "[elapsed]".into();
    snapshot!("pr-mode-partial-backport-json", serde_json::to_string_pretty(&v).unwrap());
    let gh = repo.docdrift(&["check", "--diff-base", "main", "--format", "github"]);
    let gh = String::from_utf8(gh.stdout).unwrap();
    assert!(gh.starts_with("::notice file=website/acme/ebpf.mdx,line=13,"), "{gh}");
    snapshot!("pr-mode-partial-backport-github", gh);
    git(&repo.root, &["commit", "-q", "-am", "health port, current and 2.1"]);
    git(&repo.root, &["checkout", "-q", "main"]);
    git(&repo.root, &["merge", "-q", "--ff-only", "first"]);

    // Second pull request: 2.0. Acme Pro still lacks it.
    repo.edit("acme_versioned_docs/version-2.0/ebpf.mdx", HEALTH, NEW_PARAGRAPH);
    let m = messages(&repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]), UNPROPAGATED);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].2.starts_with("other copies of this page lack this new paragraph: Acme Pro (`"), "{m:?}");
    assert!(!m[0].2.contains("Acme 2.0"), "{m:?}");
    git(&repo.root, &["commit", "-q", "-am", "health port, 2.0"]);

    // Third: Acme Pro. Only 1.0 lacks it, and the facts rule it out there: nothing to say.
    repo.edit("acme-pro/ebpf.mdx", HEALTH, NEW_PARAGRAPH);
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    assert_eq!(messages(&o, UNPROPAGATED), []);
    assert_eq!(findings(&o), []);
}

/// An edited paragraph: the copies that still have the old text (or their own version of it)
/// are listed, each pointing at it; a suppression comment in the changed copy accepts the difference.
#[test]
fn edited_block_points_at_the_old_text_and_can_be_accepted() {
    let repo = Repo::of("copies");
    let old = "Check a node with `curl localhost:9099/liveness`.";
    let new = "Check a node with `curl localhost:9099/readiness`.";
    // Acme Pro words it its own way.
    repo.edit("acme-pro/ebpf.mdx", old, "Check any node with `curl localhost:9099/liveness`.");
    git(&repo.root, &["commit", "-q", "-am", "acme-pro wording"]);
    repo.edit("acme/ebpf.mdx", old, new);
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    let m = messages(&o, UNPROPAGATED);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].2, "other copies of this page lack this change: Acme 2.1, 2.0, 1.0, Acme Pro");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let related: Vec<&str> =
        v["findings"][0]["related"].as_array().unwrap().iter().map(|r| r["message"].as_str().unwrap()).collect();
    assert_eq!(
        related,
        [
            "the old text in Acme 2.1",
            "the old text in Acme 2.0",
            "the old text in Acme 1.0",
            "Acme Pro's own version of the old text"
        ],
        "{v:#}"
    );

    // A change that spans lines is reported on its first changed line (where the diff puts it).
    repo.edit("acme/ebpf.mdx", new, "Check a node with\n`curl localhost:9099/readiness`.");
    let m = messages(&repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]), UNPROPAGATED);
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(m[0].1, 13);

    repo.edit(
        "acme/ebpf.mdx",
        "Check a node with\n",
        "{/* docdrift-disable-next-line drift/unpropagated-change -- the readiness probe is new in 3.0 */}\nCheck a node with\n",
    );
    let o = repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]);
    assert_eq!(findings(&o), []);
}

/// The corpus in git: a paragraph naming `bpfKubeProxyHealthzPort` added to the `calico` Next copy
/// of the eBPF page alone. PR mode lists the copies that have the surroundings and whose
/// FelixConfiguration reference has the field (Calico Cloud among them, a doc set whose own
/// reference lists it) and, as not applicable, those whose reference lacks it.
#[test]
#[cfg_attr(docdrift_no_corpus, ignore = "needs ../shared/corpus/tigera-docs")]
fn corpus_paragraph_added_to_one_copy() {
    let corpus = Path::new(MANIFEST_DIR).join("../shared/corpus/tigera-docs");
    assert!(corpus.is_dir(), "the corpus {} is absent (set DOCDRIFT_SKIP_CORPUS=1 to skip)", corpus.display());
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&corpus, &site);
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "corpus"]);
    let page = "calico/operations/ebpf/enabling-ebpf.mdx";
    let p = site.join(page);
    let text = std::fs::read_to_string(&p).unwrap();
    let after = "resulting in iptables flapping between the two.\n";
    assert_eq!(text.matches(after).count(), 1, "the corpus page changed; pick another place");
    let added = "\nBefore you restart `kube-proxy`, check which process holds the port that \
                 `bpfKubeProxyHealthzPort` sets, so that the two health servers do not compete for it.\n";
    std::fs::write(&p, text.replacen(after, &format!("{after}{added}"), 1)).unwrap();
    let config = Path::new(MANIFEST_DIR).join("tests/corpus/tigera-docs.docdrift.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_docdrift"))
        .args(["check", "--format", "json", "--changed", page, "--config"])
        .arg(&config)
        .current_dir(&site)
        .env("DOCDRIFT_CACHE_DIR", tmp.path().join("cache"))
        .output()
        .unwrap();
    let m = messages(&o, UNPROPAGATED);
    assert_eq!(m.len(), 1, "{m:?}\n{}", String::from_utf8_lossy(&o.stderr));
    let (path, line, message) = &m[0];
    assert_eq!((path.as_str(), *line), (page, text[..text.find(after).unwrap()].lines().count() + 2));
    let (lacking, ruled_out) = message.split_once("; not applicable: ").expect("some copies are ruled out");
    for copy in ["Calico 3.32 (latest)", "3.31", "3.30", "Calico Enterprise Next", "Calico Cloud Next"] {
        assert!(lacking.contains(copy), "{copy} lacks it: {message}");
    }
    assert!(lacking.ends_with("(`bpfKubeProxyHealthzPort` exists in each)"), "{message}");
    assert_eq!(
        ruled_out,
        "Calico 3.29, Calico Enterprise 3.22, 3.21 (no FelixConfiguration field `bpfKubeProxyHealthzPort`)"
    );
}

/// Commit what the test set up (as `message`), warm the index with a clean run, add the new
/// paragraph to `acme/ebpf.mdx`, and return what PR mode says of it.
fn unpropagated_after_new_paragraph(repo: &Repo, message: &str) -> Vec<(String, usize, String)> {
    git(&repo.root, &["add", "-A"]);
    git(&repo.root, &["commit", "-q", "-m", message]);
    // A warm index: a cold run parses every file anyway.
    assert_eq!(findings(&repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"])), []);
    repo.edit("acme/ebpf.mdx", HEALTH, NEW_PARAGRAPH);
    messages(&repo.docdrift(&["check", "--diff-base", "HEAD", "--format", "json"]), UNPROPAGATED)
}

/// A copy at another path, tied to the page by its front matter `id`: PR mode finds it from the
/// index's `id`, as the whole-site check does.
#[test]
fn copy_named_by_front_matter_id_is_found() {
    let repo = Repo::of("copies");
    repo.edit("acme-pro/ebpf.mdx", "title: Tune the eBPF data plane", "id: ebpf\ntitle: Tune the eBPF data plane");
    std::fs::rename(repo.site.join("acme-pro/ebpf.mdx"), repo.site.join("acme-pro/ebpf-tuning.mdx")).unwrap();
    let m = unpropagated_after_new_paragraph(&repo, "acme-pro: the page under another file name");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].2.contains("Acme 2.1, 2.0, Acme Pro ("), "{m:?}");
    // The whole-site check sees the same copy: it lacks the paragraph the other copies have.
    let whole = repo.docdrift(&["check", "--format", "json"]);
    let f: Vec<_> = findings(&whole).into_iter().filter(|f| f.0 == "acme-pro/ebpf-tuning.mdx").collect();
    assert_eq!(f, [("acme-pro/ebpf-tuning.mdx".to_string(), 12, "drift/missing-block".to_string())]);
}

/// A copy at another path, tied to the page by `[drift] map`: PR mode finds it from its index
/// (and parses it, though nothing links to it) and lists it.
#[test]
fn mapped_copy_is_found() {
    let repo = Repo::of("copies");
    std::fs::create_dir_all(repo.site.join("acme-pro/tune")).unwrap();
    std::fs::rename(repo.site.join("acme-pro/ebpf.mdx"), repo.site.join("acme-pro/tune/ebpf.mdx")).unwrap();
    let toml = repo.site.join("docdrift.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("\n[drift]\nmap = { \"acme-pro:tune/\" = \"\" }\n");
    std::fs::write(&toml, config).unwrap();
    let m = unpropagated_after_new_paragraph(&repo, "acme-pro: tuning pages in a folder");
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].2.contains("Acme 2.1, 2.0, Acme Pro ("), "{m:?}");
}

#[test]
fn a_page_added_to_a_remembered_folder_is_seen() {
    let repo = Repo::new();
    repo.edit("docs/guide.mdx", "The [prerequisites]", "## Overview\n\nThe [prerequisites]");
    git(&repo.root, &["commit", "-q", "-am", "overview"]);
    // A folder changed less than two seconds before a run is listed again by the next one:
    // wait until the folders count as settled, so that this run remembers their listings.
    std::thread::sleep(std::time::Duration::from_millis(2200));
    let run = || findings(&repo.docdrift(&["check", "--format", "json", "--changed", "docs/guide.mdx"]));
    assert_eq!(run(), []);
    let remembered = std::fs::read_dir(&repo.cache)
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with("folders-"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .unwrap_or_default();
    assert!(remembered.lines().any(|l| l.starts_with("docs\t")), "the docs folder is remembered:\n{remembered}");
    // A page added to that folder links to the heading the change then renames: the folder's
    // new change time says its listing is stale.
    std::fs::write(repo.site.join("docs/new-page.mdx"), "# New\n\nSee [the overview](./guide.mdx#overview).\n")
        .unwrap();
    repo.edit("docs/guide.mdx", "## Overview", "## Summary");
    assert_eq!(run(), [anchor("docs/new-page.mdx", 3)]);
}
