//! Output formats, one file each. Each is a pure function from a [`Report`] to text.
//!
//! Layer 4, the last of it: reads findings, the model and rule metadata; deciding what is a
//! finding is left to the rules and the engine, writing files to `cli/`.

pub mod drift;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diag::{Finding, Severity};
use crate::model::Model;

/// Everything an output format needs.
pub struct Report<'a> {
    pub model: &'a Model,
    pub findings: &'a [Finding],
    /// Files checked (those in scope of the run).
    pub files: usize,
    pub elapsed_ms: u128,
}

/// A finding's position as readers see it.
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Report<'_> {
    pub fn position(&self, f: &Finding) -> Position {
        let file = &self.model.files[f.file as usize];
        let (line, column) = file.lines().position(&file.text, f.span.start);
        let (end_line, end_column) = file.lines().position(&file.text, f.span.end);
        Position { line, column, end_line, end_column }
    }

    /// Files with at least one finding (which may lie outside the files checked: PR mode
    /// reports links elsewhere that a change breaks).
    pub fn files_with_findings(&self) -> usize {
        let mut files: Vec<u32> = self.findings.iter().map(|f| f.file).collect();
        files.sort_unstable();
        files.dedup();
        files.len()
    }

    pub fn count(&self, s: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == s).count()
    }

    /// `(doc set id, version name)` of the finding's file.
    pub fn doc_set_version(&self, f: &Finding) -> (Option<&str>, Option<&str>) {
        match self.model.files[f.file as usize].loc {
            Some(loc) => {
                let ds = &self.model.site.doc_sets[loc.doc_set];
                (Some(ds.id.as_str()), Some(ds.versions[loc.version].name.as_str()))
            }
            None => (None, None),
        }
    }
}
