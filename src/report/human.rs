//! `--format human`: `path:line:col: severity[rule] message`, a code frame, the help, and a
//! one-line summary. Colour only when asked (the CLI asks when writing to a terminal).

use super::Report;
use crate::diag::{Finding, Severity};
use std::fmt::Write;

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on { format!("\x1b[{code}m{s}\x1b[0m") } else { s.to_string() }
    }
}

pub fn render(r: &Report, color: bool) -> String {
    let mut out = Vec::new();
    let _ = write(r, color, false, &mut out);
    String::from_utf8(out).expect("the report is UTF-8")
}

/// [`render`] written to `to` a finding at a time (with `quiet`, the findings alone, without
/// the copies section and the summary): the whole report as one string was a third of a
/// megabyte on the tigera corpus, made when every document and analysis is still held, at the
/// run's peak.
pub fn write(r: &Report, color: bool, quiet: bool, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    let st = Style { on: color };
    let mut out = String::new();
    for f in r.findings {
        out.clear();
        finding(r, f, &st, &mut out);
        to.write_all(out.as_bytes())?;
    }
    if !quiet {
        out.clear();
        copies(r, &st, &mut out);
        summary(r, &st, &mut out);
        to.write_all(out.as_bytes())?;
    }
    to.flush()
}

fn finding(r: &Report, f: &Finding, st: &Style, out: &mut String) {
    let file = &r.model.files[f.file as usize];
    let p = r.position(f);
    let sev = match f.severity {
        Severity::Error => st.paint("1;31", "error"),
        Severity::Warning => st.paint("1;33", "warning"),
        Severity::Info => st.paint("1;36", "info"),
    };
    let _ = writeln!(
        out,
        "{}: {sev}[{}] {}",
        st.paint("1", &format!("{}:{}:{}", file.path, p.line, p.column)),
        f.rule,
        f.message
    );
    // Code frame: the first line of the span, underlined.
    if !file.text.is_empty() {
        let line0 = p.line - 1;
        let text = file.lines().line_text(&file.text, line0);
        let gutter = p.line.to_string().len();
        let end_col = if p.end_line == p.line { p.end_column.max(p.column + 1) } else { text.chars().count() + 1 };
        let width = end_col.saturating_sub(p.column).max(1);
        let pad: String = text.chars().take(p.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let bar = st.paint("1;34", "|");
        let _ = writeln!(out, "{:gutter$} {bar}", "");
        let _ = writeln!(out, "{} {bar} {text}", st.paint("1;34", &p.line.to_string()));
        let _ = writeln!(
            out,
            "{:gutter$} {bar} {pad}{}",
            "",
            st.paint(if f.severity == Severity::Error { "1;31" } else { "1;33" }, &"^".repeat(width))
        );
        for rel in &f.related {
            let rf = &r.model.files[rel.file as usize];
            let (l, c) = rf.lines().position(&rf.text, rel.span.start);
            let _ = writeln!(out, "{:gutter$} {} {}:{l}:{c}: {}", "", st.paint("1;34", "="), rf.path, rel.message);
        }
        if let Some(h) = &f.help {
            let _ = writeln!(out, "{:gutter$} {} {} {h}", "", st.paint("1;34", "="), st.paint("1", "help:"));
        }
    } else if let Some(h) = &f.help {
        // No text to frame (an unreadable file): the help still says what to do.
        let _ = writeln!(out, "  {} {} {h}", st.paint("1;34", "="), st.paint("1", "help:"));
    }
    out.push('\n');
}

/// Identical findings in several versions: the same rule on the same text of the same page
/// (path within its version folder). Each copy is still listed above; this shows one problem.
fn copies(r: &Report, st: &Style, out: &mut String) {
    use std::collections::BTreeMap;
    const SHOWN: usize = 25;
    let mut groups: BTreeMap<(&str, String, &str), Vec<&Finding>> = BTreeMap::new();
    for f in r.findings {
        let file = &r.model.files[f.file as usize];
        let Some(loc) = file.loc else { continue };
        let dir = &r.model.site.version(loc).dir;
        let within = file.path.strip_prefix(dir.as_str()).map_or(file.path.as_str(), |p| p.trim_start_matches('/'));
        let text = file.text.get(f.span.range()).unwrap_or("");
        groups.entry((f.rule, within.to_string(), text)).or_default().push(f);
    }
    let mut shared: Vec<_> = groups
        .into_iter()
        .filter(|(_, v)| {
            let mut files: Vec<u32> = v.iter().map(|f| f.file).collect();
            files.dedup();
            files.len() > 1
        })
        .collect();
    if shared.is_empty() {
        return;
    }
    // Errors first, then the most copied.
    shared.sort_by(|a, b| (a.1[0].severity, b.1.len(), &a.0).cmp(&(b.1[0].severity, a.1.len(), &b.0)));
    let _ = writeln!(out, "{}", st.paint("1", "The same problem in several versions (each copy is listed above):"));
    for ((rule, within, text), fs) in shared.iter().take(SHOWN) {
        // "Calico next, 3.31, 3.32 (latest); Calico Enterprise 3.22"
        let mut by_set: Vec<(usize, Vec<&str>)> = Vec::new();
        for f in fs {
            let Some(loc) = r.model.files[f.file as usize].loc else { continue };
            let label = r.model.site.version(loc).label.as_str();
            match by_set.iter_mut().find(|(d, _)| *d == loc.doc_set) {
                Some((_, labels)) if labels.contains(&label) => {}
                Some((_, labels)) => labels.push(label),
                None => by_set.push((loc.doc_set, vec![label])),
            }
        }
        let versions: Vec<String> = by_set
            .iter()
            .map(|(d, labels)| format!("{} {}", r.model.site.doc_sets[*d].name, labels.join(", ")))
            .collect();
        let shown: String = text.chars().take(60).collect();
        let _ = writeln!(out, "  {rule} `{shown}` in {within}: {} copies ({})", fs.len(), versions.join("; "));
    }
    if shared.len() > SHOWN {
        let _ = writeln!(out, "  … and {} more", shared.len() - SHOWN);
    }
    out.push('\n');
}

fn summary(r: &Report, st: &Style, out: &mut String) {
    let (e, w, i) = (r.count(Severity::Error), r.count(Severity::Warning), r.count(Severity::Info));
    let plural = |n: usize, s: &str| if n == 1 { format!("{n} {s}") } else { format!("{n} {s}s") };
    let files = plural(r.files, "file");
    if e + w + i == 0 {
        let _ = writeln!(out, "{} {files} checked, no problems found", st.paint("1;32", "✓"));
        return;
    }
    let mut parts = vec![plural(e, "error"), plural(w, "warning")];
    if i > 0 {
        parts.push(format!("{i} info"));
    }
    let mark = if e > 0 { st.paint("1;31", "✗") } else { st.paint("1;33", "!") };
    // "in N files" counts the files the findings are in; the files checked follow when they
    // differ (PR mode reports links elsewhere that a change breaks).
    let with = r.files_with_findings();
    let checked = if with == r.files { String::new() } else { format!(" ({files} checked)") };
    let _ = writeln!(out, "{mark} {} in {}{checked}", parts.join(", "), plural(with, "file"));
}
