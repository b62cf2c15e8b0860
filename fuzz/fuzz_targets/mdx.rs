//! The MDX parser on any text: no panic, and every span it gives is inside the file and on
//! character boundaries, so that positions and code frames built from it are right.
#![no_main]
use docdrift::diag::{LineIndex, Span};
use docdrift::doc::{ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, lines: &LineIndex, what: &str, s: Span) {
    let (a, b) = (s.start as usize, s.end as usize);
    assert!(a <= b && b <= text.len(), "{what} span {a}..{b} outside the file ({} bytes)", text.len());
    assert!(text.is_char_boundary(a) && text.is_char_boundary(b), "{what} span {a}..{b} inside a character");
    // The line index agrees with the span: the line holding `a` starts at or before it.
    let (line, col) = lines.position(text, s.start);
    let start = lines.line_start(line - 1) as usize;
    assert!(start <= a && text[start..a].chars().count() + 1 == col, "{what}: position {line}:{col} disagrees with {a}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = LineIndex::new(text);
    let mdx1 = ParseOptions { mdx1_heading_ids: true, mdx1_admonitions: true, html_comments: true, commonmark: false };
    let commonmark = ParseOptions { commonmark: true, ..ParseOptions::default() };
    for opts in [ParseOptions::default(), mdx1, commonmark] {
        let doc = parse(text, &opts);
        assert!(doc.internal_error.is_none(), "parser crashed: {:?}", doc.internal_error);
        for h in &doc.headings {
            check(text, &lines, "heading", h.span);
            check(text, &lines, "heading content", h.content);
        }
        for l in &doc.links {
            check(text, &lines, "link", l.span);
            check(text, &lines, "link url", l.url_span);
        }
        for e in &doc.mdx_errors {
            check(text, &lines, "mdx error", e.span);
        }
        for j in &doc.jsx {
            check(text, &lines, "jsx", j.span);
            check(text, &lines, "jsx open tag", j.open_tag);
            for a in &j.attrs {
                check(text, &lines, "jsx attribute", a.span);
            }
        }
        for c in &doc.code_blocks {
            check(text, &lines, "code block", c.span);
        }
        for a in &doc.admonitions {
            check(text, &lines, "admonition", a.span);
        }
        for v in &doc.var_tokens {
            check(text, &lines, "variable", v.span);
        }
        if let Some(fm) = &doc.front_matter {
            check(text, &lines, "front matter", fm.span);
        }
    }
});
