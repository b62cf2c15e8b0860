//! `docdrift drift` reports: text, JSON and a self-contained HTML page, each a pure function
//! from the drift analysis ([`crate::analysis::drift::Drift`]) and the model to text. What
//! counts as drift is the analysis' job; these only lay it out.

pub mod html;
pub mod json;
pub mod text;

use crate::analysis::drift::{Applies, Cell, Class, Drift, Issue, PageDrift};
use crate::model::Model;

/// Everything a drift report needs.
pub struct DriftReport<'a> {
    pub model: &'a Model,
    pub drift: &'a Drift,
    /// Show rows and issues that are not drift (tails, removals, differences) too.
    pub all: bool,
}

impl DriftReport<'_> {
    /// The pages to show: those with drift (or every differing page with `all`).
    pub fn pages(&self) -> impl Iterator<Item = &PageDrift> {
        self.drift.pages.iter().filter(|p| self.all || p.issues.iter().any(shown))
    }

    /// "calico 3.31" (doc set id and version label, as the matrix heads columns).
    pub fn copy_name(&self, page: &PageDrift, copy: usize) -> String {
        let loc = page.copies[copy].loc;
        self.model.site.version_display(loc)
    }

    pub fn path(&self, page: &PageDrift, copy: usize) -> &str {
        &self.model.files[page.copies[copy].file].path
    }

    /// The 1-based line of block `b` in copy `copy`.
    pub fn line(&self, page: &PageDrift, copy: usize, b: u32) -> usize {
        let f = &self.model.files[page.copies[copy].file];
        self.line_at(page, copy, f.doc.blocks[b as usize].span.start)
    }

    /// The 1-based line of a byte offset in copy `copy` (no column: that counts characters).
    pub fn line_at(&self, page: &PageDrift, copy: usize, at: u32) -> usize {
        let f = &self.model.files[page.copies[copy].file];
        f.lines().line_of(at.min(f.text.len() as u32)) + 1
    }

    pub fn block_text(&self, page: &PageDrift, copy: usize, b: u32) -> &str {
        crate::analysis::drift::block_text(&self.model.files[page.copies[copy].file], b)
    }
}

/// Whether an issue is shown without `--all`: holes and stale copies, and cross-product gaps
/// the facts say apply.
pub fn shown(i: &Issue) -> bool {
    i.score() >= 3
}

/// The issue of a cell, if any.
pub fn issue_at(page: &PageDrift, row: usize, copy: usize) -> Option<&Issue> {
    page.issues.iter().find(|i| i.row == row && i.copy == copy)
}

/// One character per cell: `=` same, `~` changed, `!` likely miss (facts say it applies), `?`
/// possible miss (no facts), `x` missing where the facts rule it out, `a` accepted, `.` absent
/// as versions evolve (added later, removed later, older copy of a doc set without it), `-`
/// the copy lacks the section.
pub fn symbol(page: &PageDrift, row: usize, copy: usize) -> char {
    let issue = issue_at(page, row, copy);
    if issue.is_some_and(|i| i.accepted.is_some()) {
        return 'a';
    }
    match page.rows[row].cells[copy] {
        Cell::Same(_) => '=',
        Cell::Changed(..) => '~',
        Cell::NoSection => '-',
        Cell::Missing(Class::Hole | Class::Gap) => match issue.map(|i| i.applies) {
            Some(Applies::Yes) => '!',
            Some(Applies::No) => 'x',
            _ => '?',
        },
        Cell::Missing(_) => '.',
    }
}

pub const LEGEND: &str = "= same  ~ changed  ! likely miss (facts apply)  ? possible miss  x not applicable (facts)  a accepted  . absent as versions evolve  - no such section";

/// The first `max` characters of `s`, with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// What an issue says, as one sentence (no trailing period).
pub fn describe(r: &DriftReport, page: &PageDrift, i: &Issue) -> String {
    let kind = page.rows[i.row].kind.noun();
    let from = format!("{} line {}", r.copy_name(page, i.from), r.line(page, i.from, i.from_block));
    let what = match i.class {
        Class::Hole => format!("lacks a {kind} that older and newer versions have ({from})"),
        Class::Gap => format!("lacks a {kind} that other doc sets have ({from})"),
        Class::Stale => format!("has an older text of a {kind} the other copies agree on ({from})"),
        Class::Differs => format!("has a different text of a {kind} ({from})"),
        Class::Tail => format!("lacks a {kind} added in newer versions ({from})"),
        Class::Removed => format!("lacks a {kind} that only older versions have ({from})"),
        Class::Absent => format!("lacks a {kind} that no version of this doc set has ({from})"),
    };
    let mut s = format!("{} {what}", r.copy_name(page, i.copy));
    if !i.facts.is_empty() {
        let facts: Vec<String> = i.facts.iter().map(|f| f.describe()).collect();
        s.push_str(&format!(": {}", facts.join("; ")));
    }
    if let Some(reason) = &i.accepted {
        s.push_str(&format!(" (accepted: {reason})"));
    }
    s
}
