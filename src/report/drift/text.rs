//! `docdrift drift` as text: per page, the copies, a matrix of copies × differing blocks, and
//! the likely misses first.

use super::{DriftReport, LEGEND, clip, describe, shown, symbol};
use std::fmt::Write as _;

pub fn render(r: &DriftReport) -> String {
    let mut out = String::new();
    let mut shown_pages = 0;
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for page in r.pages() {
        shown_pages += 1;
        let n = page.copies.len();
        let _ = writeln!(
            out,
            "{} — {} copies, {} blocks the same in all, {} differ",
            page.key,
            n,
            page.same,
            page.rows.len()
        );
        for c in 0..n {
            let _ = writeln!(out, "  {:>2}  {:<28} {}", c + 1, r.copy_name(page, c), r.path(page, c));
        }
        let mut head = String::new();
        for c in 0..n {
            let _ = write!(head, "{:>3}", c + 1);
        }
        let _ = writeln!(out, "  {:<60}{head}", "section / block");
        for (k, row) in page.rows.iter().enumerate() {
            if !r.all && !page.issues.iter().any(|i| i.row == k && shown(i)) {
                continue;
            }
            let label = format!("{} {} {}", clip(&row.section, 20), row.kind.as_str(), clip(&row.text, 30));
            let mut cells = String::new();
            for c in 0..n {
                let _ = write!(cells, "{:>3}", symbol(page, k, c));
            }
            let _ = writeln!(out, "  {:<60}{cells}", clip(&label, 58));
        }
        for i in page.issues.iter().filter(|i| r.all || shown(i)) {
            *counts.entry(i.class.as_str()).or_default() += 1;
            let line = match (i.changed, i.insert_at) {
                (Some(b), _) => r.line(page, i.copy, b),
                (None, Some(at)) => r.line_at(page, i.copy, at),
                (None, None) => 0,
            };
            let at =
                if line > 0 { format!("{}:{line}", r.path(page, i.copy)) } else { r.path(page, i.copy).to_string() };
            let _ = writeln!(out, "  - [{}] {at}: {}", i.class.as_str(), describe(r, page, i));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "legend: {LEGEND}");
    let summary: Vec<String> = counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
    let _ = writeln!(
        out,
        "{} pages with copies, {} with drift shown{}{}",
        r.drift.pages_with_copies,
        shown_pages,
        if summary.is_empty() { "" } else { ": " },
        summary.join(", ")
    );
    out
}
