//! `--format github`: one GitHub Actions workflow command per finding, which the runner turns
//! into an annotation on the pull request's diff.
//!
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`, with the
//! escaping the runner applies when it reads commands (`actions/toolkit`, `command.ts`): in the
//! message `%`, CR and LF become `%25`, `%0D`, `%0A`; in property values `:` and `,` become
//! `%3A` and `%2C` as well. `info` findings are `::notice`. Paths are relative to the
//! repository (the site root's path from there is passed in as `prefix`), because that is what
//! the runner matches against the diff. The message carries the help and any related locations
//! on further lines. A last `::notice` line would repeat the summary the job log already shows,
//! so there is none.

use super::Report;
use crate::diag::{Finding, Severity};
use std::fmt::Write;

/// Render every finding as a workflow command; `prefix` is the site root's path relative to
/// the repository root (`""` or `docs/`, with its trailing `/`).
pub fn render(r: &Report, prefix: &str) -> String {
    let mut out = String::new();
    for f in r.findings {
        finding(r, f, prefix, &mut out);
    }
    out
}

fn finding(r: &Report, f: &Finding, prefix: &str, out: &mut String) {
    let file = &r.model.files[f.file as usize];
    let p = r.position(f);
    let command = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = f.message.clone();
    for rel in &f.related {
        let rf = &r.model.files[rel.file as usize];
        let (l, c) = rf.lines().position(&rf.text, rel.span.start);
        let _ = write!(message, "\n{prefix}{}:{l}:{c}: {}", rf.path, rel.message);
    }
    if let Some(h) = &f.help {
        let _ = write!(message, "\nhelp: {h}");
    }
    let _ = writeln!(
        out,
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(&format!("{prefix}{}", file.path)),
        p.line,
        p.column,
        p.end_line,
        p.end_column,
        escape_property(f.rule),
        escape_data(&message),
    );
}

/// Escape a command's message (`escapeData` in `@actions/core`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a command property value (`escapeProperty` in `@actions/core`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_reads() {
        assert_eq!(escape_data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
