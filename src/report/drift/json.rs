//! `docdrift drift --format json`: the stable machine format documented in the README.

use super::{DriftReport, shown, symbol};
use crate::analysis::drift::Cell;
use serde::Serialize;

#[derive(Serialize)]
struct Out<'a> {
    pages: Vec<JPage<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    pages_with_copies: usize,
    pages_with_drift: usize,
    issues: usize,
}

#[derive(Serialize)]
struct JPage<'a> {
    page: &'a str,
    copies: Vec<JCopy<'a>>,
    same_blocks: usize,
    rows: Vec<JRow<'a>>,
    issues: Vec<JIssue<'a>>,
}

#[derive(Serialize)]
struct JCopy<'a> {
    doc_set: &'a str,
    version: &'a str,
    name: String,
    path: &'a str,
}

#[derive(Serialize)]
struct JRow<'a> {
    section: &'a str,
    kind: &'a str,
    text: &'a str,
    /// One symbol per copy (see the legend in the README).
    cells: String,
    /// Per copy, the 1-based line of its block (same or changed), or null.
    lines: Vec<Option<usize>>,
}

#[derive(Serialize)]
struct JIssue<'a> {
    class: &'a str,
    row: usize,
    copy: usize,
    path: &'a str,
    line: Option<usize>,
    from: usize,
    from_path: &'a str,
    from_line: usize,
    applies: &'a str,
    facts: Vec<JFact<'a>>,
    accepted: Option<&'a str>,
    score: u8,
    message: String,
}

#[derive(Serialize)]
struct JFact<'a> {
    kind: &'a str,
    resource: Option<&'a str>,
    name: &'a str,
    exists: bool,
    message: String,
}

pub fn render(r: &DriftReport) -> String {
    let mut pages = Vec::new();
    let mut issues = 0;
    for page in r.pages() {
        let copies = (0..page.copies.len())
            .map(|c| {
                let loc = page.copies[c].loc;
                let ds = &r.model.site.doc_sets[loc.doc_set];
                JCopy {
                    doc_set: &ds.id,
                    version: &ds.versions[loc.version].name,
                    name: r.copy_name(page, c),
                    path: r.path(page, c),
                }
            })
            .collect();
        let rows = page
            .rows
            .iter()
            .enumerate()
            .map(|(k, row)| JRow {
                section: &row.section,
                kind: row.kind.as_str(),
                text: &row.text,
                cells: (0..page.copies.len()).map(|c| symbol(page, k, c)).collect(),
                lines: row
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(c, cell)| match cell {
                        Cell::Same(b) | Cell::Changed(b, _) => Some(r.line(page, c, *b)),
                        _ => None,
                    })
                    .collect(),
            })
            .collect();
        let list: Vec<JIssue> = page
            .issues
            .iter()
            .filter(|i| r.all || shown(i))
            .map(|i| JIssue {
                class: i.class.as_str(),
                row: i.row,
                copy: i.copy,
                path: r.path(page, i.copy),
                line: match (i.changed, i.insert_at) {
                    (Some(b), _) => Some(r.line(page, i.copy, b)),
                    (None, Some(at)) => Some(r.line_at(page, i.copy, at)),
                    _ => None,
                },
                from: i.from,
                from_path: r.path(page, i.from),
                from_line: r.line(page, i.from, i.from_block),
                applies: i.applies.as_str(),
                facts: i
                    .facts
                    .iter()
                    .map(|f| JFact {
                        kind: match f.kind {
                            crate::analysis::drift::FactKind::Field { .. } => "field",
                            crate::analysis::drift::FactKind::Variable => "variable",
                            crate::analysis::drift::FactKind::Release => "release",
                            crate::analysis::drift::FactKind::Container => "container",
                            crate::analysis::drift::FactKind::OtherPage => "other-page",
                        },
                        resource: match &f.kind {
                            crate::analysis::drift::FactKind::Field { resource } => Some(resource),
                            _ => None,
                        },
                        name: &f.name,
                        exists: f.exists,
                        message: f.describe(),
                    })
                    .collect(),
                accepted: i.accepted.as_deref(),
                score: i.score(),
                message: super::describe(r, page, i),
            })
            .collect();
        issues += list.len();
        pages.push(JPage { page: &page.key, copies, same_blocks: page.same, rows, issues: list });
    }
    let summary = Summary { pages_with_copies: r.drift.pages_with_copies, pages_with_drift: pages.len(), issues };
    let mut s = serde_json::to_string_pretty(&Out { pages, summary }).unwrap_or_default();
    s.push('\n');
    s
}
