//! `shell::commands` over every shell code block of the real corpus (`../shared/corpus/tigera-docs`):
//! spans land exactly on what is written, inside lists, admonitions and tabs, and nothing panics.
//! Ignored, with the reason in `cargo test`'s output, when the corpus is absent (`build.rs`
//! decides); fails instead under `CI`.

use docdrift::analysis::shell;
use docdrift::model::Model;
use docdrift::site::Site;
use std::path::Path;

#[test]
#[cfg_attr(docdrift_no_corpus, ignore = "needs ../shared/corpus/tigera-docs")]
fn shell_spans_are_exact_on_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/tigera-docs");
    assert!(corpus.is_dir(), "the corpus {} is absent (set DOCDRIFT_SKIP_CORPUS=1 to skip)", corpus.display());
    let config = root.join("tests/corpus/tigera-docs.docdrift.toml");
    let site = Site::load(&corpus, Some(&config), &docdrift::rules::ids()).expect("corpus site loads");
    let model = Model::build(site, &[]);
    let (mut blocks, mut words, mut checked) = (0usize, 0usize, 0usize);
    let mut bad = Vec::new();
    for f in &model.files {
        for b in &f.doc.code_blocks {
            if !shell::is_shell(b) {
                continue;
            }
            blocks += 1;
            for c in shell::commands(f, b) {
                assert!(b.span.contains(c.span), "{}: command {:?} outside its block", f.path, c.span);
                for w in &c.words {
                    words += 1;
                    let raw = &f.text[w.span.range()];
                    // A word with no quoting, escapes or continuations is written as it reads.
                    if !raw.contains(['\\', '\'', '"', '\n']) {
                        checked += 1;
                        if raw != w.text && bad.len() < 20 {
                            bad.push(format!(
                                "{}:{}: {raw:?} != {:?}",
                                f.path,
                                f.lines().line_of(w.span.start) + 1,
                                w.text
                            ));
                        }
                    }
                    // Every character of the text maps to the same character in the file, except
                    // escape results.
                    if !raw.contains('\\') && !raw.contains('$') {
                        for (k, ch) in w.text.char_indices() {
                            let at = w.source_offset(k) as usize;
                            if !f.text[at..].starts_with(ch) && ch != '\n' && bad.len() < 20 {
                                bad.push(format!(
                                    "{}:{}: char {k} of {:?}",
                                    f.path,
                                    f.lines().line_of(w.span.start) + 1,
                                    w.text
                                ));
                                break;
                            }
                        }
                    }
                }
                if let Some(h) = &c.heredoc {
                    let first = h.body.lines().next().unwrap_or("");
                    let at = h.source_offset(0) as usize;
                    if !f.text[at..].starts_with(first) && bad.len() < 20 {
                        bad.push(format!("{}:{}: heredoc body {first:?}", f.path, f.lines().line_of(at as u32) + 1));
                    }
                }
            }
        }
    }
    eprintln!("{blocks} shell blocks, {words} words, {checked} checked exactly");
    assert!(bad.is_empty(), "spans off:\n{}", bad.join("\n"));
}
