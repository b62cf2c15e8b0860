//! Fixes: `docdrift check --fix` applies them, `--diff` shows them.
//!
//! Rules attach a fix (`Finding::fix`, a list of edits) only when it is unambiguous: an
//! explicit heading id that equals the generated slug and whose removal changes no other id on
//! the page; a legacy admonition title; a broken anchor with one close match. This module
//! applies the fixes of the findings a run reports, per file, skipping any fix whose edits
//! overlap an edit already taken in that round. It then models the site again from the fixed
//! text and repeats until no fix applies (at most [`MAX_ROUNDS`] rounds), because one fix can
//! reveal or settle another. Nothing is written until the fixes settle, and `--diff` writes
//! nothing at all. A second run then has nothing left to fix (`tests/fix.rs` checks it).

use crate::analysis::Index;
use crate::diag::{Edit, Finding};
use crate::model::{self, Model};
use crate::site::Site;
use crate::site::write::{self, WriteError};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Fixes normally settle in one or two rounds; more means two fixes undo each other.
pub const MAX_ROUNDS: usize = 10;

/// What fixing did.
pub struct Outcome {
    /// The model of the fixed text, and what it still reports.
    pub model: Model,
    pub findings: Vec<Finding>,
    /// `(path, text before, text after)` of each file a fix changed, by path.
    pub changed: Vec<(String, String, String)>,
    /// Fixes applied, over all rounds.
    pub applied: usize,
    /// Whether fixes were still applying when [`MAX_ROUNDS`] ran out.
    pub unsettled: bool,
    /// Setup problems of the last round ([`Index::setup_problems`]).
    pub setup: Vec<String>,
}

/// Check, fix, re-check until no fix applies. `scope` says which files are reported on (and so
/// fixed); `filter` removes findings before fixing (a baseline).
pub fn run(
    mut site: Site,
    extra: &[PathBuf],
    scope: &(dyn Fn(&str) -> bool + Sync),
    filter: &dyn Fn(&Model, &mut Vec<Finding>),
) -> Outcome {
    let paths = model::doc_paths(&site, extra);
    let opts = model::parse_options(&site);
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut originals: HashMap<String, String> = HashMap::new();
    let mut applied = 0;
    let mut round = 0;
    loop {
        let files: Vec<model::SourceFile> = paths
            .par_iter()
            .map(|p| match texts.get(p) {
                Some(t) => model::parse_text(&site, p.clone(), t.as_str().into(), None, &opts),
                None => model::load_file(&site, p.clone(), &opts),
            })
            .collect();
        let index = Index::new(Model::from_files(site, files));
        let mut findings = crate::engine::check(&index, scope);
        let setup = index.setup_problems();
        let model = index.into_model();
        filter(&model, &mut findings);
        let edits = plan(&model, &findings);
        round += 1;
        if edits.is_empty() || round > MAX_ROUNDS {
            let mut changed: Vec<(String, String, String)> = texts
                .into_iter()
                .filter_map(|(p, after)| {
                    let before = originals.remove(&p)?;
                    (before != after).then_some((p, before, after))
                })
                .collect();
            changed.sort();
            return Outcome { model, findings, changed, applied, unsettled: !edits.is_empty(), setup };
        }
        for (file, (n, file_edits)) in edits {
            let f = &model.files[file];
            originals.entry(f.path.clone()).or_insert_with(|| f.text.to_string());
            texts.insert(f.path.clone(), apply_edits(&f.text, &file_edits));
            applied += n;
        }
        site = model.site;
    }
}

/// Per file: how many fixes, and their edits, non-overlapping and sorted.
fn plan(model: &Model, findings: &[Finding]) -> HashMap<usize, (usize, Vec<Edit>)> {
    let mut out: HashMap<usize, (usize, Vec<Edit>)> = HashMap::new();
    for f in findings {
        let file = &model.files[f.file as usize];
        // A file that is not valid UTF-8 is read lossily: writing it back would change it.
        if f.fix.is_empty() || file.read_problem.is_some() {
            continue;
        }
        if f.fix.iter().any(|e| {
            e.span.end as usize > file.text.len()
                || !file.text.is_char_boundary(e.span.start as usize)
                || !file.text.is_char_boundary(e.span.end as usize)
        }) {
            continue;
        }
        let entry = out.entry(f.file as usize).or_default();
        let clashes = f.fix.iter().any(|e| entry.1.iter().any(|t| overlaps(e, t)))
            || f.fix.iter().enumerate().any(|(i, e)| f.fix[i + 1..].iter().any(|t| overlaps(e, t)));
        if clashes {
            continue;
        }
        entry.0 += 1;
        entry.1.extend(f.fix.iter().cloned());
    }
    out.retain(|_, (n, _)| *n > 0);
    for (_, edits) in out.values_mut() {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
    }
    out
}

/// Two edits clash when their ranges overlap, or both insert at the same place (the order of
/// the insertions would be a guess).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    (a.span.start < b.span.end && b.span.start < a.span.end)
        || (a.span.start == b.span.start && (a.span.is_empty() || b.span.is_empty()))
}

/// Apply sorted, non-overlapping edits.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start as usize]);
        out.push_str(&e.replacement);
        at = e.span.end as usize;
    }
    out.push_str(&text[at..]);
    out
}

/// Why fixes were not all written.
#[derive(Debug)]
pub struct WriteFailure {
    /// The file that failed, and why.
    pub error: WriteError,
    /// Root-relative paths already written before the failure (each replaced whole).
    pub written: Vec<String>,
}

impl std::fmt::Display for WriteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write a fixed file: {}", self.error)?;
        if self.written.is_empty() {
            write!(f, "; no file was changed")
        } else {
            write!(f, "; already fixed: {}; the other files were not changed", self.written.join(", "))
        }
    }
}

impl std::error::Error for WriteFailure {}

/// Write the fixed files of the site, each replaced atomically (see [`crate::site::write`]).
/// Every target is checked (in bounds, no symlink, writable) before any is written.
pub fn write(site: &Site, changed: &[(String, String, String)]) -> Result<(), WriteFailure> {
    write_with(site, changed, &mut |path, bytes| write::write_atomic(&site.bounds, path, bytes))
}

/// Writes one file: [`write::write_atomic`], or a failing stand-in in tests.
pub type Writer<'a> = dyn FnMut(&Path, &[u8]) -> Result<(), WriteError> + 'a;

/// [`write`] with the writer given (tests inject failures).
pub fn write_with(site: &Site, changed: &[(String, String, String)], writer: &mut Writer) -> Result<(), WriteFailure> {
    for (path, _, _) in changed {
        write::check_target(&site.bounds, &site.root.join(path))
            .map_err(|error| WriteFailure { error, written: Vec::new() })?;
    }
    let mut written = Vec::new();
    for (path, _, after) in changed {
        writer(&site.root.join(path), after.as_bytes())
            .map_err(|error| WriteFailure { error, written: written.clone() })?;
        written.push(path.clone());
    }
    Ok(())
}

/// A unified diff of every changed file, `a/PATH` → `b/PATH` (root-relative), as `git apply`
/// and `patch -p1` read it.
pub fn unified_diff(changed: &[(String, String, String)]) -> String {
    let mut out = String::new();
    for (path, before, after) in changed {
        let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str());
        out.push_str(
            &diff.unified_diff().context_radius(3).header(&format!("a/{path}"), &format!("b/{path}")).to_string(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    #[test]
    fn applies_sorted_edits_and_detects_clashes() {
        let e = |a: usize, b: usize, r: &str| Edit { span: Span::new(a, b), replacement: r.to_string() };
        assert_eq!(apply_edits("hello world", &[e(0, 1, "H"), e(5, 11, "")]), "Hello");
        assert!(overlaps(&e(0, 3, ""), &e(2, 4, "")));
        assert!(!overlaps(&e(0, 3, ""), &e(3, 4, "")));
        assert!(overlaps(&e(3, 3, "a"), &e(3, 3, "b")));
    }

    /// Fault injection: the second of three writes fails. The first file is replaced whole, the
    /// second and third keep their text, and the error names the failing file and the written one.
    #[test]
    fn a_failing_write_names_the_file_and_what_was_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path();
        std::fs::create_dir_all(r.join("docs")).expect("mkdir");
        let old = "# Page\n".repeat(2000);
        for n in ["a", "b", "c"] {
            std::fs::write(r.join(format!("docs/{n}.md")), &old).expect("write");
        }
        let site = Site::from_config(r, crate::site::Config::default()).expect("site");
        let changed: Vec<(String, String, String)> =
            ["a", "b", "c"].iter().map(|n| (format!("docs/{n}.md"), old.clone(), "# New\n".to_string())).collect();
        let mut calls = 0;
        let failure = write_with(&site, &changed, &mut |path, bytes| {
            calls += 1;
            if calls == 2 {
                return Err(WriteError::Io { path: path.to_path_buf(), source: std::io::Error::other("disk full") });
            }
            write::write_atomic(&site.bounds, path, bytes)
        })
        .expect_err("the second write fails");
        assert_eq!(failure.written, ["docs/a.md"]);
        let shown = failure.to_string();
        assert!(shown.contains("docs/b.md: disk full") && shown.contains("already fixed: docs/a.md"), "{shown}");
        let read = |n: &str| std::fs::read_to_string(r.join(format!("docs/{n}.md"))).expect("read");
        assert_eq!(read("a"), "# New\n");
        assert_eq!(read("b"), old, "no page truncated");
        assert_eq!(read("c"), old);
    }
}
