//! What the test binaries share: running the `docdrift` binary, reading its output, copying
//! fixture sites, and insta snapshots in the top-level `snapshots/` folder. Each binary that
//! uses it says `mod common;`; no binary uses every helper, hence the `allow`.
#![allow(dead_code, unused_macros, unused_imports)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// The `docdrift` binary with `args`, to run in `dir`. `NO_COLOR` and `GITHUB_WORKSPACE` are
/// removed so that the environment the tests run in (a CI runner's included) changes no output.
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docdrift"));
    c.args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("GITHUB_WORKSPACE");
    c
}

/// Run `docdrift` with `args` in `dir`.
pub fn docdrift_in(dir: &Path, args: &[&str]) -> Output {
    command(dir, args).output().expect("the docdrift binary runs")
}

/// Run `docdrift` with `args` from the crate root, where relative fixture paths start.
pub fn docdrift(args: &[&str]) -> Output {
    docdrift_in(Path::new(MANIFEST_DIR), args)
}

/// Output bytes as text, invalid UTF-8 shown as U+FFFD.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Output bytes as text; a test that uses it fails on output that is not UTF-8.
pub fn utf8(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("UTF-8 output")
}

/// `s` with the crate root's absolute path replaced by `[ROOT]`, so snapshots hold no machine path.
pub fn rooted(s: &str) -> String {
    s.replace(MANIFEST_DIR, "[ROOT]")
}

/// Copy the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A copy of the site folder `from` at `site/` in a new temporary folder, which lives as long
/// as the returned handle.
pub fn site_copy(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(from, &site);
    (tmp, site)
}

/// An insta snapshot named exactly `$name` (no module prefix, no expression) in `snapshots/`.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(std::path::Path::new($crate::common::MANIFEST_DIR).join("snapshots"));
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| insta::assert_snapshot!($name, $value));
    }};
}
pub(crate) use snapshot;
