//! `--format json`: the stable machine format documented in the README.

use super::Report;
use crate::diag::Severity;
use serde::Serialize;

#[derive(Serialize)]
struct Out<'a> {
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    category: &'a str,
    severity: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    doc_set: Option<&'a str>,
    version: Option<&'a str>,
    /// Secondary locations, possibly in other files ("changed here: ...").
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    files_with_findings: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    elapsed_ms: u128,
}

pub fn render(r: &Report) -> String {
    let findings = r
        .findings
        .iter()
        .map(|f| {
            let p = r.position(f);
            let (doc_set, version) = r.doc_set_version(f);
            JsonFinding {
                rule: f.rule,
                category: f.category.as_str(),
                severity: f.severity.as_str(),
                path: &r.model.files[f.file as usize].path,
                line: p.line,
                column: p.column,
                end_line: p.end_line,
                end_column: p.end_column,
                message: &f.message,
                help: f.help.as_deref(),
                doc_set,
                version,
                related: f
                    .related
                    .iter()
                    .map(|rel| {
                        let file = &r.model.files[rel.file as usize];
                        let (line, column) = file.lines().position(&file.text, rel.span.start);
                        let (end_line, end_column) = file.lines().position(&file.text, rel.span.end);
                        JsonRelated { path: &file.path, line, column, end_line, end_column, message: &rel.message }
                    })
                    .collect(),
            }
        })
        .collect();
    let out = Out {
        findings,
        summary: Summary {
            files: r.files,
            files_with_findings: r.files_with_findings(),
            errors: r.count(Severity::Error),
            warnings: r.count(Severity::Warning),
            infos: r.count(Severity::Info),
            elapsed_ms: r.elapsed_ms,
        },
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
