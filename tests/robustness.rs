//! Hostile input: every reproducer found by fuzzing or by hand (files in `tests/robustness/`,
//! and generated inputs too big to keep as files) parses without a panic or a stack overflow,
//! with every error span on character boundaries, and nesting past the limit is a clear
//! `syntax/mdx` error. No timings here: `cargo run --release --example pathological` measures.

use docdrift::doc::{Document, ParseOptions, parse};
use std::path::Path;

/// Parse on a thread with a 2 MB stack, as small as rayon's worker threads get.
fn parse_small_stack(text: String) -> Document {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || parse(&text, &ParseOptions::default()))
        .expect("a thread")
        .join()
        .expect("the parser does not panic")
}

fn assert_spans_whole_chars(text: &str, doc: &Document) {
    assert!(doc.internal_error.is_none(), "{:?}", doc.internal_error);
    for e in &doc.mdx_errors {
        let (a, b) = (e.span.start as usize, e.span.end as usize);
        assert!(a <= b && b <= text.len(), "{e:?}");
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b), "error inside a character: {e:?}");
    }
}

#[test]
fn reproducer_files_parse_with_spans_on_character_boundaries() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/robustness");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/robustness exists") {
        let path = entry.expect("a directory entry").path();
        let text = std::fs::read_to_string(&path).expect("UTF-8 reproducer");
        let doc = parse_small_stack(text.clone());
        assert_spans_whole_chars(&text, &doc);
        assert!(!doc.mdx_errors.is_empty(), "{}: the reproducer should not compile", path.display());
        n += 1;
    }
    assert!(n >= 2, "reproducers missing from {}", dir.display());
}

/// (input, the text the first error must point at, what the message must say)
fn deep_cases() -> Vec<(&'static str, String)> {
    let list: String = (0..600).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    let directives: String = (0..600).map(|i| format!("{}note\n", ":".repeat(603 - i))).collect();
    vec![
        ("parentheses in a JSX expression", format!("# Title\n\n{{{}}}\n", "(".repeat(30_000))),
        ("braces and parentheses in text", format!("a {}\n", "({".repeat(8_000))),
        ("braces on lines", "{\n".repeat(10_000)),
        ("an attribute expression", format!("<A b={{{}}} />\n", "[".repeat(10_000))),
        ("block quotes", format!("{} x\n", ">".repeat(30_000))),
        ("list items", list),
        ("directives", directives),
        ("JSX in flow", format!("{}\n{}", "<div>\n".repeat(3_000), "</div>\n".repeat(3_000))),
        ("JSX in text", format!("{}x{}\n", "<b>".repeat(3_000), "</b>".repeat(3_000))),
    ]
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for (what, text) in deep_cases() {
        let doc = parse_small_stack(text.clone());
        assert_spans_whole_chars(&text, &doc);
        let first = doc.mdx_errors.first().unwrap_or_else(|| panic!("{what}: no error"));
        assert!(
            first.reason.contains("nested deeper than") || first.reason.contains("end of file"),
            "{what}: {first:?}"
        );
    }
}

#[test]
fn nesting_within_the_limit_is_no_error() {
    let quotes = format!("{} x\n", ">".repeat(400));
    let parens = format!("{{{}1{}}}\n", "(".repeat(200), ")".repeat(200));
    for text in [quotes, parens] {
        let doc = parse_small_stack(text.clone());
        assert!(doc.mdx_errors.is_empty(), "{:?}", doc.mdx_errors.first());
    }
}
