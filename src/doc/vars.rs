//! `$[name]` variable tokens, as tigera/docs' `variablesPlugin` finds and replaces them.
//!
//! This module owns the token syntax: tigera's regex `\$\[[ \t]*([\w./-]+)[ \t]*\]` (JavaScript
//! `\w`, so ASCII letters, digits and `_`), matched left to right without overlap. [`scan`]
//! records every token with its byte span for the document model; [`substitute`] replaces the
//! tokens a lookup knows and leaves the others as written, as the plugin does. Which variables
//! exist, and in which version folder, is the site model's business (`site::variables`).
//!
//! The scan looks for `$[` with `memchr` and matches the rest by hand: the name cannot contain
//! a space or tab, so the regex never backtracks and a hand-written matcher is exact.

use std::borrow::Cow;

use super::VarToken;
use crate::diag::Span;

/// Every `$[name]` token in `text`, in order, added to `out`. Spans cover the whole token, `$`
/// to `]`.
pub(super) fn scan(text: &str, out: &mut Vec<VarToken>) {
    out.extend(
        tokens(text)
            .map(|t| VarToken { span: Span::new(t.start, t.end), name_span: Span::new(t.name.start, t.name.end) }),
    );
}

/// `text` with each `$[name]` whose `lookup(name)` is known replaced by its value; unknown
/// tokens stay verbatim. Borrows `text` when nothing was replaced.
///
/// ```ignore
/// // Needs `pub use vars::substitute;` in `doc/mod.rs`.
/// let vars = [("prodname", "Calico"), ("version", "3.31")];
/// let get = |n: &str| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
/// let out = docdrift::doc::substitute("Install $[prodname] $[ version ] $[nope]", get);
/// assert_eq!(out, "Install Calico 3.31 $[nope]");
/// ```
#[allow(dead_code, reason = "public API: `doc/mod.rs` is to re-export it as `doc::substitute`")]
pub fn substitute<'t, 'v>(text: &'t str, lookup: impl Fn(&str) -> Option<&'v str>) -> Cow<'t, str> {
    let mut out = String::new();
    let mut copied = 0;
    for t in tokens(text) {
        if let Some(value) = lookup(&text[t.name]) {
            if out.is_empty() {
                out.reserve(text.len() + value.len());
            }
            out.push_str(&text[copied..t.start]);
            out.push_str(value);
            copied = t.end;
        }
    }
    if copied == 0 {
        // Nothing replaced (a token cannot end at offset 0).
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// Whether `text` contains `$[`, where a token would start. `str::contains` builds a searcher
/// on every call; this is asked of every heading of every page, and of URLs.
pub fn has_token_start(text: &str) -> bool {
    token_starts(text.as_bytes()).next().is_some()
}

/// One match: the whole token `start..end` and the capture group `name`.
struct RawToken {
    start: usize,
    end: usize,
    name: std::ops::Range<usize>,
}

fn tokens(text: &str) -> impl Iterator<Item = RawToken> + '_ {
    let bytes = text.as_bytes();
    // `$[` cannot overlap itself, so the candidates never overlap either; a token contains no
    // `$`, so no candidate starts inside an earlier match.
    token_starts(bytes).filter_map(move |start| match_at(bytes, start))
}

/// Where `$[` starts in `bytes`. Each `$` and then the byte after it: a `$` is nearly always a
/// token's in documentation, and memchr's search for one byte is about twice as fast as
/// memmem's for two, over the whole text of every page.
fn token_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'$', bytes).filter(|&i| bytes.get(i + 1) == Some(&b'['))
}

/// Matches `[ \t]*([\w./-]+)[ \t]*\]` after the `$[` at `start`.
fn match_at(bytes: &[u8], start: usize) -> Option<RawToken> {
    let mut i = start + 2;
    let skip_blanks = |mut i: usize| {
        while matches!(bytes.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    i = skip_blanks(i);
    let name_start = i;
    while bytes.get(i).is_some_and(|&b| is_name_byte(b)) {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let name_end = i;
    i = skip_blanks(i);
    if bytes.get(i) != Some(&b']') {
        return None;
    }
    Some(RawToken { start, end: i + 1, name: name_start..name_end })
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_start_is_found_where_contains_finds_it() {
        for t in ["", "$", "[", "$[", "a$[b", "$$[", "$ [", "[$", "é$[x]", "$a$b$[", "Install $[prodname]"] {
            assert_eq!(has_token_start(t), t.contains("$["), "{t:?}");
        }
    }

    fn scan_all(text: &str) -> Vec<VarToken> {
        let mut out = Vec::new();
        scan(text, &mut out);
        out
    }

    fn names(text: &str) -> Vec<(String, &str)> {
        scan_all(text)
            .into_iter()
            .map(|t| {
                let whole = &text[t.span.range()];
                (t.name(text).to_string(), whole)
            })
            .collect()
    }

    #[test]
    fn finds_tokens_with_spans() {
        let text = "Install $[prodname] on $[ tigeraOperator.version ]!";
        let got = scan_all(text);
        assert_eq!(
            got,
            [
                VarToken { span: Span::new(8, 19), name_span: Span::new(10, 18) },
                VarToken { span: Span::new(23, 50), name_span: Span::new(26, 48) },
            ]
        );
        assert_eq!(got[1].name(text), "tigeraOperator.version");
        assert_eq!(&text[got[1].span.range()], "$[ tigeraOperator.version ]");
    }

    #[test]
    fn name_characters() {
        assert_eq!(
            names("$[a_b-c/d.e9] $[\tx\t] $[ y \t ]"),
            [("a_b-c/d.e9".into(), "$[a_b-c/d.e9]"), ("x".into(), "$[\tx\t]"), ("y".into(), "$[ y \t ]"),]
        );
    }

    #[test]
    fn not_tokens() {
        for text in [
            "$[]",
            "$[ ]",
            "$[a b]",
            "$[a",
            "$[a\n]",
            "$ [a]",
            "$[é]",
            "$[a+b]",
            "$[a]b",
            "$",
            "$[",
            "[a]",
            "$[\u{A0}a]",
        ] {
            let got = names(text);
            if text == "$[a]b" {
                assert_eq!(got, [("a".into(), "$[a]")]);
            } else {
                assert!(got.is_empty(), "{text:?}: {got:?}");
            }
        }
    }

    #[test]
    fn adjacent_and_nested_brackets() {
        assert_eq!(names("$[a]$[b]"), [("a".into(), "$[a]"), ("b".into(), "$[b]")]);
        // The regex retries at the inner `$[`.
        assert_eq!(names("$[$[c]]"), [("c".into(), "$[c]")]);
        assert_eq!(names("$$[d]"), [("d".into(), "$[d]")]);
        assert_eq!(names("$[x $[y]"), [("y".into(), "$[y]")]);
    }

    #[test]
    fn non_ascii_around_tokens() {
        let text = "Über $[prodname] — ✓";
        let got = scan_all(text);
        assert_eq!(got.len(), 1);
        assert_eq!(&text[got[0].span.range()], "$[prodname]");
    }

    #[test]
    fn substitute_known_and_unknown() {
        let get = |n: &str| match n {
            "prodname" => Some("Calico"),
            "empty" => Some(""),
            "self" => Some("$[self]"),
            _ => None,
        };
        assert_eq!(substitute("Install $[prodname] and $[missing].", get), "Install Calico and $[missing].");
        assert_eq!(substitute("$[empty]x$[ prodname ]", get), "xCalico");
        // Replacement text is not scanned again.
        assert_eq!(substitute("$[self]", get), "$[self]");
        assert!(matches!(substitute("$[self]", get), Cow::Owned(_)));
    }

    #[test]
    fn substitute_borrows_when_nothing_changes() {
        let get = |_: &str| None;
        assert!(matches!(substitute("no tokens", get), Cow::Borrowed(_)));
        assert!(matches!(substitute("$[unknown]", get), Cow::Borrowed(_)));
        assert!(matches!(substitute("", get), Cow::Borrowed(_)));
    }

    #[test]
    fn substitute_accepts_lookups_borrowing_a_map() {
        let map: std::collections::BTreeMap<String, String> =
            [("prodname".to_owned(), "Calico Enterprise".to_owned())].into();
        let out = substitute("$[prodname]", |n| map.get(n).map(String::as_str));
        assert_eq!(out, "Calico Enterprise");
    }
}
