//! Inline suppressions: MDX expression comments that silence one rule on one line or in one
//! file, and the findings for suppressions that silence nothing.
//!
//! ```mdx
//! {/* docdrift-disable-next-line anchor/missing -- the anchor comes from a plugin */}
//! See [the table](./reference.mdx#generated-anchor).
//!
//! {/* docdrift-disable-file variable/unknown -- filled in by the release script */}
//! ```
//!
//! Three forms: `docdrift-disable-next-line` (the next line that is not blank),
//! `docdrift-disable-line` (the line the comment ends on, for a comment at the end of a line)
//! and `docdrift-disable-file` (the whole file). Each names one or more rule ids, separated by
//! commas or spaces, then optionally `-- reason`. A suppression must name rules that exist; one
//! that names none, names an unknown rule, or silences no finding is reported under
//! `syntax/unused-suppression`, so stale suppressions do not pile up.
//!
//! MDX rejects HTML comments, so the comment is an expression comment `{/* ... */}`. The
//! document model does not record expression comments yet, so this module finds them with its
//! own scan of the text, skipping front matter, code blocks and inline code spans.
//! Suppressions apply before `[rules]` levels, so a suppression of a rule the configuration
//! turns off for that file still counts as used.

use crate::diag::{Finding, Span};
use crate::model::{Model, SourceFile};
use crate::rules::{Sink, syntax_unused_suppression::UnusedSuppression};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    NextLine,
    Line,
    File,
}

impl Scope {
    fn keyword(self) -> &'static str {
        match self {
            Scope::NextLine => "docdrift-disable-next-line",
            Scope::Line => "docdrift-disable-line",
            Scope::File => "docdrift-disable-file",
        }
    }
}

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub scope: Scope,
    /// The rule ids as written, each with its span.
    pub rules: Vec<(String, Span)>,
    /// The whole comment `{/* ... */}`.
    pub span: Span,
    /// The 0-based line it applies to (for `File`, unused).
    pub line: usize,
    pub reason: Option<String>,
}

/// Every suppression comment in a file.
pub fn scan(file: &SourceFile) -> Vec<Suppression> {
    let text = &*file.text;
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let finder = memchr::memmem::Finder::new(b"docdrift-disable");
    let skip: Vec<Span> =
        file.doc.code_blocks.iter().map(|c| c.span).chain(file.doc.front_matter.as_ref().map(|f| f.span)).collect();
    for at in finder.find_iter(bytes) {
        // `{` `/*` whitespace `docdrift-disable…`
        let before = text[..at].trim_end_matches([' ', '\t']);
        let Some(open) = before.strip_suffix("/*").and_then(|b| b.trim_end_matches([' ', '\t']).strip_suffix('{'))
        else {
            continue;
        };
        let start = open.len();
        let Some(close_rel) = text[at..].find("*/") else { continue };
        let body_end = at + close_rel;
        let after = text[body_end + 2..].trim_start_matches([' ', '\t']);
        if !after.starts_with('}') {
            continue;
        }
        let end = text.len() - after.len() + 1;
        let span = Span::new(start, end);
        if skip.iter().any(|s| s.start as usize <= start && start < s.end as usize) || in_inline_code(file, start) {
            continue;
        }
        let body = &text[at..body_end];
        let word_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let scope = match &body[..word_end] {
            "docdrift-disable-next-line" => Scope::NextLine,
            "docdrift-disable-line" => Scope::Line,
            "docdrift-disable-file" => Scope::File,
            _ => continue,
        };
        let (list, reason) = match body.find("--") {
            Some(k) => (&body[word_end..k], Some(body[k + 2..].trim().to_string()).filter(|r| !r.is_empty())),
            None => (&body[word_end..], None),
        };
        let list_start = at + word_end;
        let mut rules = Vec::new();
        let mut i = 0;
        for part in list.split([',', ' ', '\t', '\n', '\r']) {
            let off = list[i..].find(part).map_or(i, |k| i + k);
            i = off + part.len();
            if !part.is_empty() {
                rules.push((part.to_string(), Span::new(list_start + off, list_start + off + part.len())));
            }
        }
        let end_line = file.lines().line_of(body_end as u32);
        let line = match scope {
            Scope::NextLine => next_non_blank_line(file, end_line + 1),
            _ => end_line,
        };
        out.push(Suppression { scope, rules, span, line, reason });
    }
    out
}

/// Whether `at` sits inside a backtick code span on its line (an odd number of backticks before
/// it on the line): a suppression shown as an example in prose is not a suppression.
fn in_inline_code(file: &SourceFile, at: usize) -> bool {
    let line = file.lines().line_of(at as u32);
    let start = file.lines().line_start(line) as usize;
    file.text[start..at].bytes().filter(|&b| b == b'`').count() % 2 == 1
}

fn next_non_blank_line(file: &SourceFile, mut line: usize) -> usize {
    while line < file.lines().line_count() && file.lines().line_text(&file.text, line).trim().is_empty() {
        line += 1;
    }
    line
}

/// Drop the findings that suppressions in their files silence, and add a
/// `syntax/unused-suppression` finding for each named rule that silenced nothing (or that is
/// not a rule), after a run of only the rules `ran` is true for: a suppression naming a rule
/// that did not run is not known to be unused.
///
/// `checked` are the files looked at, each after the first of them that shares its document
/// and text ([`Model::first_sharing_among`]), sorted, as the engine checks them: the search for
/// suppressions reads every byte of the site, and reads each text once, with its first file
/// (copies of a page with the same bytes: 40% of the tigera corpus's files).
pub fn apply(model: &Model, findings: &mut Vec<Finding>, checked: &[(u32, usize)], ran: &dyn Fn(&str) -> bool) {
    let mut by_file: Vec<(u32, Vec<Suppression>, Vec<Vec<bool>>)> = Vec::new();
    let marker = memchr::memmem::Finder::new("docdrift-disable");
    let mut marked: Option<(u32, bool)> = None;
    for &(first, i) in checked {
        let f = &model.files[i];
        let has = match marked {
            Some((k, has)) if k == first => has,
            _ => marker.find(f.text.as_bytes()).is_some(),
        };
        marked = Some((first, has));
        if !has {
            continue;
        }
        let s = scan(f);
        if !s.is_empty() {
            let used = s.iter().map(|x| vec![false; x.rules.len()]).collect();
            by_file.push((i as u32, s, used));
        }
    }
    if by_file.is_empty() {
        return;
    }
    findings.retain(|f| {
        let Some((_, sups, used)) = by_file.iter_mut().find(|(i, _, _)| *i == f.file) else { return true };
        let file = &model.files[f.file as usize];
        let line = file.lines().line_of(f.span.start);
        let mut keep = true;
        for (s, used) in sups.iter().zip(used.iter_mut()) {
            if s.scope != Scope::File && s.line != line {
                continue;
            }
            for (k, (rule, _)) in s.rules.iter().enumerate() {
                if rule == f.rule {
                    used[k] = true;
                    keep = false;
                }
            }
        }
        keep
    });
    let mut sink = Sink::new(&UnusedSuppression::META);
    for (file, sups, used) in &by_file {
        for (s, used) in sups.iter().zip(used) {
            if s.rules.is_empty() {
                sink.report(*file, s.span, format!("`{}` names no rule: it suppresses nothing", s.scope.keyword()))
                    .help("name the rule to silence, such as `anchor/missing`, then `-- why`");
                continue;
            }
            for ((rule, span), used) in s.rules.iter().zip(used) {
                if *used || (crate::rules::find(rule).is_some() && !ran(rule)) {
                    continue;
                }
                if crate::rules::find(rule).is_none() {
                    let help = match crate::rules::closest(rule) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => "`docdrift rules` lists the rule ids".to_string(),
                    };
                    sink.report(*file, *span, format!("`{rule}` is not a docdrift rule: this suppresses nothing"))
                        .help(help);
                    continue;
                }
                let where_ = match s.scope {
                    Scope::File => "in this file".to_string(),
                    _ => format!("on line {}", s.line + 1),
                };
                sink.report(*file, *span, format!("nothing to suppress: no `{rule}` finding {where_}"))
                    .help("remove the suppression (or this rule from it)");
            }
        }
    }
    findings.append(&mut sink.findings);
}
