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

// Inputs that once took time quadratic in their size (see `examples/pathological.rs`): each
// now parses or checks with the same results as before; what is asserted is the result.

/// `check` on a one-page site: the index (for its analyses) and the findings.
fn check_page(text: &str) -> (docdrift::analysis::Index, Vec<docdrift::diag::Finding>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(dir.path().join("docs")).expect("docs/");
    std::fs::write(dir.path().join("docs/page.mdx"), text).expect("the page");
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let site = docdrift::site::Site::load(dir.path(), None, &rules).expect("a one-page site");
    let index = docdrift::analysis::Index::new(docdrift::model::Model::build(site, &[]));
    let (findings, crashes) = docdrift::engine::check_all(&index, &|_| true);
    assert!(crashes.is_empty(), "{crashes:?}");
    (index, findings)
}

#[test]
fn many_code_blocks_in_many_tab_items_find_their_innermost_tab() {
    let items: String = (0..300)
        .map(|i| format!("<TabItem value=\"v{i}\">\n\n```bash\nkubectl apply -f a{i}.yaml\n```\n\n</TabItem>\n"))
        .collect();
    let text = format!("<Tabs>\n{items}</Tabs>\n\n{}", "```bash\nls\n```\n\n".repeat(300));
    let doc = parse_small_stack(text);
    assert_eq!(doc.code_blocks.len(), 600);
    for (k, cb) in doc.code_blocks.iter().enumerate() {
        match cb.tab {
            Some(t) => {
                let e = &doc.jsx[t as usize];
                assert_eq!((&*e.name, e.string_attr("value")), ("TabItem", Some(format!("v{k}").as_str())));
            }
            None => assert!(k >= 300, "block {k} has no tab"),
        }
    }
    assert!(doc.code_blocks[300..].iter().all(|cb| cb.tab.is_none()));
}

#[test]
fn steps_under_one_list_item_and_in_tabs_know_where_they_are() {
    let blocks = "   ```bash\n   kubectl get pods\n   ```\n\n".repeat(400);
    let tabs: String = (0..200)
        .map(|i| format!("<TabItem value=\"v{i}\">\n\n```bash\nkubectl apply -f a{i}.yaml\n```\n\n</TabItem>\n"))
        .collect();
    let text = format!("# Page\n\n1. Step\n\n{blocks}\n<Tabs groupId=\"os\">\n{tabs}</Tabs>\n");
    let (index, _) = check_page(&text);
    let page = docdrift::analysis::steps::page_steps(&index.model, &index.links, 0, &|_| false);
    assert_eq!(page.steps.len(), 600);
    for (k, s) in page.steps.iter().enumerate() {
        if k < 400 {
            assert_eq!((s.list_item, s.branches.len()), (Some(1), 0), "step {k}");
        } else {
            let b = &s.branches[..];
            assert_eq!(b.len(), 1, "step {k}");
            assert_eq!((b[0].key.as_str(), b[0].value.clone()), ("group:os", format!("v{}", k - 400)));
        }
    }
}

#[test]
fn definitions_in_directives_are_known_only_where_micromark_has_read_them() {
    // Top-level text is read before every directive's content: its references stay text.
    // Text in a later directive is read after the definition: its references are links.
    let text: String = (0..500)
        .map(|i| format!("top [l{i}]\n\n:::note\n\n[l{i}]: /x{i}\n\n:::\n\n:::tip\n\nin [l{i}]\n\n:::\n\n"))
        .collect();
    let doc = parse_small_stack(text);
    assert!(doc.mdx_errors.is_empty(), "{:?}", doc.mdx_errors.first());
    let urls: Vec<&str> = doc.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(urls.len(), 500);
    assert!(urls.iter().enumerate().all(|(i, u)| *u == format!("/x{i}")));
}

#[test]
fn links_after_many_open_brackets_and_literals_in_labels() {
    // A link deactivates every `[` still open (no links in links), an image's `![` stays.
    let text = format!("{}{}\n\n[[a](x)](y) ![[b](z)](w.png)\n", "[".repeat(2_000), "[a](x) ".repeat(2_000));
    let doc = parse_small_stack(text);
    let urls: Vec<&str> = doc.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(urls.len(), 2_003);
    assert_eq!(&urls[2_000..], ["x", "w.png", "z"]);
    // Literal links (`www.…`) inside a link's label are the link's text, not links.
    let doc = parse_small_stack("[www.a.com](x) www.b.com ".repeat(1_000));
    let kinds = |k| doc.links.iter().filter(|l| l.kind == k).count();
    assert_eq!((kinds(docdrift::doc::LinkKind::Inline), kinds(docdrift::doc::LinkKind::Autolink)), (1_000, 1_000));
}

#[test]
fn deep_lists_and_directives_of_long_lines_stop_at_the_limit() {
    let lists: String = (0..600).map(|i| format!("{}- item {i} {}\n", " ".repeat(2 * i), "x".repeat(200))).collect();
    let doc = parse_small_stack(lists);
    let items = doc.blocks.iter().filter(|b| b.kind == docdrift::doc::BlockKind::ListItem).count();
    assert_eq!(items, 512);
    assert!(doc.mdx_errors[0].reason.contains("nested deeper than"), "{:?}", doc.mdx_errors[0]);
    let directives: String = (0..600).map(|i| format!("{}note\n", ":".repeat(603 - i))).collect();
    let doc = parse_small_stack(directives.clone() + &":".repeat(700) + "\n");
    assert_eq!(doc.admonitions.len(), 512);
    assert!(doc.admonitions[0].closed, "the long fence closes the outermost directive");
}

#[test]
fn many_variables_in_and_out_of_comments() {
    let text = format!("# Page\n\n{}\n\n{{/* {} */}}\n", "$[nope] ".repeat(500), "$[nope] ".repeat(500));
    let (_, findings) = check_page(&text);
    let unknown = findings.iter().filter(|f| f.rule == "variable/unknown").count();
    assert_eq!(unknown, 500, "tokens in the comment are not reported");
}

#[test]
fn many_unclosed_link_titles_in_one_paragraph() {
    let text = format!("{}[b](y) {}\n", "[a](x (".repeat(2_000), "[c](z (t)) ".repeat(500));
    let doc = parse_small_stack(text);
    let urls: Vec<&str> = doc.links.iter().map(|l| l.url.as_str()).collect();
    assert_eq!(urls.len(), 501);
    assert_eq!(urls[0], "y");
    assert!(urls[1..].iter().all(|u| *u == "z"));
    let doc = parse_small_stack(format!("{}\n", "[c](z (t)) [d](w \"u\") ".repeat(500)));
    assert_eq!(doc.links.len(), 1_000);
}
