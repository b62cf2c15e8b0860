//! `--format sarif`: SARIF 2.1.0, for code scanning dashboards
//! (`github/codeql-action/upload-sarif`) and any SARIF viewer.
//!
//! One run. The driver's `rules` array lists every registered rule in registry order, each with
//! its stable id, summary, full documentation as `help` (text and Markdown), default level and
//! category; results point into it by `ruleId` and `ruleIndex`. Regions are 1-based lines and
//! columns counted in Unicode code points (`columnKind: unicodeCodePoints`), as docdrift counts
//! them everywhere. Artifact URIs are relative to `%SRCROOT%` (the repository root: `prefix` is
//! the site root's path from there), so uploads match the checkout. Each result carries the
//! baseline fingerprint as `partialFingerprints`, and its fix, when it has one, as a SARIF
//! `fix`. The schema test (`tests/formats.rs`) validates this output against the official
//! 2.1.0 JSON schema.

use super::Report;
use crate::diag::{Finding, Severity, Span};
use crate::model::SourceFile;
use crate::rules::ALL;
use serde_json::{Value, json};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn render(r: &Report, prefix: &str) -> String {
    let rules: Vec<Value> = ALL
        .iter()
        .map(|rule| {
            let m = rule.meta();
            let doc = m.doc_text();
            json!({
                "id": m.id,
                "name": rule_name(m.id),
                "shortDescription": { "text": m.summary() },
                "fullDescription": { "text": what_it_does(&doc).unwrap_or(m.summary()) },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": { "category": m.category.as_str(), "fixable": m.fixable, "tags": [m.category.as_str()] },
            })
        })
        .collect();
    let results: Vec<Value> = r.findings.iter().map(|f| result(r, f, prefix)).collect();
    let out = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "docdrift",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
    s.push('\n');
    s
}

/// The *What it does* section of a rule's documentation, joined into one paragraph.
fn what_it_does(doc: &str) -> Option<&str> {
    let start = doc.find("## What it does\n")? + "## What it does\n".len();
    let rest = &doc[start..];
    Some(rest[..rest.find("\n## ").unwrap_or(rest.len())].trim())
}

/// `syntax/explicit-heading-id` → `SyntaxExplicitHeadingId` (SARIF's `name` is an identifier).
fn rule_name(id: &str) -> String {
    id.split(['/', '-'])
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(file: &SourceFile, span: Span) -> Value {
    let (start_line, start_column) = file.lines().position(&file.text, span.start);
    let (end_line, end_column) = file.lines().position(&file.text, span.end);
    json!({ "startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column })
}

fn location(file: &SourceFile, span: Span, prefix: &str) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(&format!("{prefix}{}", file.path)), "uriBaseId": "%SRCROOT%" },
            "region": region(file, span),
        }
    })
}

fn result(r: &Report, f: &Finding, prefix: &str) -> Value {
    let file = &r.model.files[f.file as usize];
    let rule_index = ALL.iter().position(|x| x.meta().id == f.rule);
    let mut text = f.message.clone();
    if let Some(h) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(h);
    }
    let mut v = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": text },
        "locations": [location(file, f.span, prefix)],
        "partialFingerprints": { "docdriftContent/v1": crate::baseline::fingerprint(r.model, f) },
    });
    if let Some(i) = rule_index {
        v["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        v["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(k, rel)| {
                let mut l = location(&r.model.files[rel.file as usize], rel.span, prefix);
                l["id"] = json!(k);
                l["message"] = json!({ "text": rel.message });
                l
            })
            .collect();
    }
    if !f.fix.is_empty() {
        let replacements: Vec<Value> = f
            .fix
            .iter()
            .map(|e| json!({ "deletedRegion": region(file, e.span), "insertedContent": { "text": e.replacement } }))
            .collect();
        v["fixes"] = json!([{
            "description": { "text": f.help.clone().unwrap_or_else(|| "apply docdrift's fix".to_string()) },
            "artifactChanges": [{
                "artifactLocation": { "uri": uri(&format!("{prefix}{}", file.path)), "uriBaseId": "%SRCROOT%" },
                "replacements": replacements,
            }],
        }]);
    }
    v
}

/// A relative path as a URI reference: percent-encode what RFC 3986 does not allow in a path.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_uris() {
        assert_eq!(super::rule_name("syntax/explicit-heading-id"), "SyntaxExplicitHeadingId");
        assert_eq!(super::uri("a b/ç.mdx"), "a%20b/%C3%A7.mdx");
    }
}
