//! The pre-commit hook end to end: the real `pre-commit` (PyPI) installs this repository's hook
//! (`.pre-commit-hooks.yaml`, `language: rust`: pre-commit builds it with `cargo install`) into
//! a temporary docs repository, refuses a commit that breaks a link, with docdrift's message,
//! and accepts the commit that fixes it; refuses a `variables.js` change that breaks a page (a
//! non-Markdown input) and a heading rename that breaks a link in another file.
//!
//! The hook source is a temporary git repository holding a copy of this crate's files (what
//! `git ls-files` lists, or the files a build needs outside a git checkout). pre-commit clones
//! it by path: no network. Cargo builds offline from the local registry cache
//! (`CARGO_NET_OFFLINE`), in `target/precommit-hook` so that later runs reuse the build.
//! `PRE_COMMIT_HOME` is temporary too.
//!
//! Without `pre-commit` on PATH the test is ignored, with the reason in `cargo test`'s output
//! (`build.rs` decides), unless `CI` is set: then it fails (`.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn run(dir: &Path, cmd: &str, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(cmd);
    c.args(args).current_dir(dir);
    for (k, v) in env {
        c.env(k, v);
    }
    c.env("CARGO_NET_OFFLINE", "true")
        .env("GIT_AUTHOR_NAME", "docdrift test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "docdrift test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .unwrap_or_else(|e| panic!("{cmd} runs: {e}"))
}

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The crate's files, for a hook repository: tracked and untracked-but-not-ignored files when
/// this is a git checkout, else what `cargo install` needs.
fn crate_files() -> Vec<PathBuf> {
    let root = Path::new(MANIFEST_DIR);
    let listed = Command::new("git").args(["ls-files", "-co", "--exclude-standard", "-z"]).current_dir(root).output();
    if let Ok(o) = listed
        && o.status.success()
    {
        return String::from_utf8_lossy(&o.stdout)
            .split('\0')
            .filter(|p| !p.is_empty() && root.join(p).is_file())
            .map(PathBuf::from)
            .collect();
    }
    let mut out =
        vec![PathBuf::from("Cargo.toml"), PathBuf::from("Cargo.lock"), PathBuf::from(".pre-commit-hooks.yaml")];
    let mut stack = vec![PathBuf::from("src"), PathBuf::from("rules")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(root.join(&d)).into_iter().flatten().flatten() {
            let rel = d.join(e.file_name());
            if e.path().is_dir() { stack.push(rel) } else { out.push(rel) }
        }
    }
    out
}

/// The docs repository's `variables.js`, read statically by docdrift.
const VARIABLES: &str =
    "const variables = {\n  prodname: 'Acme',\n  version: '1.0',\n};\n\nmodule.exports = variables;\n";

#[test]
#[cfg_attr(docdrift_no_precommit, ignore = "needs pre-commit on PATH (python3 -m pip install pre-commit==4.0.1)")]
fn hook_refuses_a_broken_link_and_accepts_the_fix() {
    let version = Command::new("pre-commit").arg("--version").output();
    if !version.as_ref().is_ok_and(|o| o.status.success()) {
        assert!(std::env::var_os("CI").is_none(), "CI must run the pre-commit test: `pre-commit` is not on PATH");
        eprintln!("skipping the pre-commit integration test: `pre-commit` is not on PATH (pip install pre-commit)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let pc_home = tmp.path().join("pre-commit-home");
    let target = Path::new(MANIFEST_DIR).join("target").join("precommit-hook");
    let env: [(&str, &Path); 2] = [("PRE_COMMIT_HOME", &pc_home), ("CARGO_TARGET_DIR", &target)];

    // The hook source: this crate, committed in a temporary repository.
    let hook = tmp.path().join("hook-repo");
    for rel in crate_files() {
        let to = hook.join(&rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(Path::new(MANIFEST_DIR).join(&rel), &to).unwrap();
    }
    assert!(hook.join(".pre-commit-hooks.yaml").is_file(), "the hook definition is part of the repository");
    ok(&run(&hook, "git", &["init", "-q"], &env), "git init (hook)");
    ok(&run(&hook, "git", &["add", "-A"], &env), "git add (hook)");
    ok(
        &run(&hook, "git", &["-c", "commit.gpgsign=false", "commit", "-q", "-m", "docdrift"], &env),
        "git commit (hook)",
    );
    let rev = String::from_utf8(run(&hook, "git", &["rev-parse", "HEAD"], &env).stdout).unwrap().trim().to_string();

    // A docs repository that uses it.
    let docs = tmp.path().join("docs-repo");
    std::fs::create_dir_all(docs.join("website/docs")).unwrap();
    std::fs::write(docs.join("website/docdrift.toml"), "[site]\nexplicit_heading_ids = false\n").unwrap();
    std::fs::write(
        docs.join("website/docs/setup.mdx"),
        "---\ntitle: Setup\n---\n\n# Setup\n\n## Install the agent\n\nRun the $[prodname] installer.\n",
    )
    .unwrap();
    std::fs::write(docs.join("website/variables.js"), VARIABLES).unwrap();
    std::fs::write(
        docs.join("website/docs/intro.mdx"),
        "---\ntitle: Intro\n---\n\n# Intro\n\nStart with [the setup](./setup.mdx).\n",
    )
    .unwrap();
    std::fs::write(
        docs.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: docdrift\n", hook.display()),
    )
    .unwrap();
    ok(&run(&docs, "git", &["init", "-q"], &env), "git init (docs)");
    ok(&run(&docs, "git", &["add", "-A"], &env), "git add (docs)");
    ok(&run(&docs, "git", &["-c", "commit.gpgsign=false", "commit", "-q", "-m", "docs"], &env), "git commit (docs)");
    ok(&run(&docs, "pre-commit", &["install"], &env), "pre-commit install");

    // A broken anchor: the commit is refused with docdrift's message.
    std::fs::write(
        docs.join("website/docs/intro.mdx"),
        "---\ntitle: Intro\n---\n\n# Intro\n\nStart with [the install step](./setup.mdx#install-agent).\n",
    )
    .unwrap();
    ok(&run(&docs, "git", &["add", "-A"], &env), "git add (broken)");
    let o = run(&docs, "git", &["-c", "commit.gpgsign=false", "commit", "-m", "break a link"], &env);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!o.status.success(), "the commit with a broken link went through:\n{out}");
    assert!(out.contains("docdrift"), "pre-commit names the hook:\n{out}");
    assert!(
        out.contains("docs/intro.mdx:7:43: error[anchor/missing] no anchor `#install-agent` in `setup.mdx`"),
        "docdrift's finding is shown:\n{out}"
    );
    assert!(out.contains("Did you mean `#install-the-agent`?"), "{out}");

    // Fixed: the commit goes through.
    std::fs::write(
        docs.join("website/docs/intro.mdx"),
        "---\ntitle: Intro\n---\n\n# Intro\n\nStart with [the install step](./setup.mdx#install-the-agent).\n",
    )
    .unwrap();
    ok(&run(&docs, "git", &["add", "-A"], &env), "git add (fixed)");
    let o = run(&docs, "git", &["-c", "commit.gpgsign=false", "commit", "-m", "fix the link"], &env);
    ok(&o, "the commit with the link fixed");
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("docdrift") && out.contains("Passed"), "the hook ran and passed:\n{out}");

    // A change to a non-Markdown input: removing a variable breaks the page that uses it. The
    // hook runs on `variables.js`, docdrift checks the whole site, and the commit is refused.
    std::fs::write(docs.join("website/variables.js"), VARIABLES.replace("  prodname: 'Acme',\n", "")).unwrap();
    ok(&run(&docs, "git", &["add", "-A"], &env), "git add (variables.js)");
    let o = run(&docs, "git", &["-c", "commit.gpgsign=false", "commit", "-m", "drop prodname"], &env);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!o.status.success(), "the variables.js change that breaks setup.mdx went through:\n{out}");
    assert!(out.contains("docs/setup.mdx:9:9: error[variable/unknown]"), "docdrift's finding is shown:\n{out}");
    ok(&run(&docs, "git", &["checkout", "HEAD", "--", "website/variables.js"], &env), "git checkout (variables.js)");

    // Renaming the heading breaks the link in the file the commit does not touch.
    std::fs::write(
        docs.join("website/docs/setup.mdx"),
        "---\ntitle: Setup\n---\n\n# Setup\n\n## Install agents\n\nRun the installer.\n",
    )
    .unwrap();
    ok(&run(&docs, "git", &["add", "-A"], &env), "git add (rename)");
    let o = run(&docs, "git", &["-c", "commit.gpgsign=false", "commit", "-m", "rename"], &env);
    let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(!o.status.success(), "the rename that breaks intro.mdx went through:\n{out}");
    assert!(out.contains("docs/intro.mdx:7:43: error[anchor/missing] no anchor `#install-the-agent`"), "{out}");
    assert!(out.contains("docs/setup.mdx:7:1: changed here"), "{out}");
}
