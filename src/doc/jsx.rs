//! JSX tags as MDX (micromark-extension-mdx-jsx's `factoryTag`) reads them.
//!
//! A tag is scanned directly on the text, state by state as micromark does, and an error
//! carries the compiler's wording and offset, since a malformed tag makes `@mdx-js/mdx` stop.
//! JavaScript comments are not allowed in tags; attributes in a closing tag are, by the syntax,
//! but mdast then rejects them (see [`Tag::closing_extra`]).

use super::expr::{self, ExprKind};
use super::{AttrValue, JsxAttr};
use crate::diag::Span;

#[derive(Debug)]
pub(crate) struct Tag {
    pub start: usize,
    /// Just after `>`.
    pub end: usize,
    pub closing: bool,
    pub self_closing: bool,
    pub name: String,
    pub attrs: Vec<JsxAttr>,
    /// In a closing tag, the first attribute or a self-closing slash: mdast-util-mdx-jsx
    /// rejects the tag there (its offset, the reason).
    pub closing_extra: Option<(usize, &'static str)>,
}

#[derive(Debug)]
pub(crate) enum TagScan {
    Tag(Tag),
    /// `<` followed by whitespace: plain text.
    NotATag,
    Error {
        at: usize,
        reason: String,
        /// The input ended inside the tag: more input could have completed it.
        eof: bool,
    },
}

fn describe(c: Option<char>) -> String {
    match c {
        None => "end of file".to_string(),
        Some('`') => "character `` ` `` (U+0060)".to_string(),
        Some(c) => format!("character `{c}` (U+{:04X})", c as u32),
    }
}

fn id_start(c: char) -> bool {
    c.is_alphabetic() || c == '$' || c == '_'
}

/// `estree-util-is-identifier-name`'s `cont` with `jsx: true` (so `-` too).
fn id_continue(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '$' | '_' | '-' | '\u{200c}' | '\u{200d}')
}

const NAME_START: &str = "a character that can start a name, such as a letter, `$`, or `_`";
const ATTRIBUTE_START: &str = "a character that can start an attribute name, such as a letter, `$`, or `_`";

struct Scanner<'a> {
    text: &'a str,
    i: usize,
    limit: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<char> {
        if self.i >= self.limit {
            return None;
        }
        // Tags are nearly all ASCII: a byte below 0x80 is its character, with no decoding.
        let c = self.text.as_bytes()[self.i];
        if c.is_ascii() {
            return Some(c as char);
        }
        self.text[self.i..].chars().next()
    }

    fn bump(&mut self) -> char {
        let c = self.peek().unwrap_or('\0');
        self.i += c.len_utf8();
        c
    }

    /// Whitespace between the parts of a tag: spaces, tabs, line endings, Unicode whitespace.
    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if !c.is_whitespace() {
                break;
            }
            self.i += c.len_utf8();
        }
    }

    fn ident(&mut self) -> String {
        let start = self.i;
        self.bump();
        let b = self.text.as_bytes();
        loop {
            // ASCII name characters a byte at a time ([`id_continue`] for ASCII); a character
            // past ASCII goes through `id_continue` itself.
            while self.i < self.limit && (b[self.i].is_ascii_alphanumeric() || matches!(b[self.i], b'$' | b'_' | b'-'))
            {
                self.i += 1;
            }
            if self.i < self.limit && !b[self.i].is_ascii() && self.peek().is_some_and(id_continue) {
                self.bump();
            } else {
                break;
            }
        }
        self.text[start..self.i].to_string()
    }

    fn crash(&self, at: &str, expect: &str) -> TagScan {
        let c = self.peek();
        let note = match (c, at) {
            (Some('!'), "before name") => " (note: to create a comment in MDX, use `{/* text */}`)",
            (Some('*' | '/'), "before name" | "after self-closing slash") => {
                " (note: JS comments in JSX tags are not supported in MDX)"
            }
            (Some('@'), "in name" | "in member name") => " (note: to create a link in MDX, use `[text](url)`)",
            (Some('<'), "before attribute value") => {
                " (note: to use an element or fragment as a prop value in MDX, use `{<element />}`)"
            }
            _ => "",
        };
        TagScan::Error {
            at: self.i,
            reason: format!("Unexpected {} {at}, expected {expect}{note}", describe(c)),
            eof: c.is_none(),
        }
    }

    /// After a name: whether `c` may follow it (the end of the name).
    fn name_end(c: Option<char>, extra: &[char]) -> bool {
        c.is_some_and(|c| matches!(c, '/' | '>' | '{') || extra.contains(&c) || c.is_whitespace())
    }

    /// An `{expression}` at `self.i`: its source range within the braces.
    fn expression(&mut self, kind: ExprKind) -> Result<(usize, usize), TagScan> {
        let open = self.i;
        match expr::scan_expression(self.text, open, self.limit, kind) {
            Ok(close) => {
                self.i = close + 1;
                Ok((open + 1, close))
            }
            Err(e) => Err(TagScan::Error { at: e.at, reason: e.reason.to_string(), eof: e.eof }),
        }
    }
}

/// Scan a tag starting at `start` (`text[start] == '<'`), not reading at or past `limit`.
pub(crate) fn scan_tag(text: &str, start: usize, limit: usize) -> TagScan {
    match scan(text, start, limit) {
        Ok(tag) => TagScan::Tag(tag),
        Err(e) => e,
    }
}

fn scan(text: &str, start: usize, limit: usize) -> Result<Tag, TagScan> {
    let mut s = Scanner { text, i: start + 1, limit };
    if s.peek().is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
        return Err(TagScan::NotATag);
    }
    s.ws();
    let mut tag = Tag {
        start,
        end: start,
        closing: false,
        self_closing: false,
        name: String::new(),
        attrs: Vec::new(),
        closing_extra: None,
    };
    if s.peek() == Some('/') {
        tag.closing = true;
        s.bump();
        s.ws();
    }
    match s.peek() {
        Some('>') => {
            s.bump();
            tag.end = s.i;
            return Ok(tag);
        }
        Some(c) if id_start(c) => tag.name = s.ident(),
        _ => return Err(s.crash("before name", NAME_START)),
    }
    // The rest of the name: members (`a.b.c`) or a local name (`a:b`).
    if !Scanner::name_end(s.peek(), &['.', ':']) {
        return Err(s.crash(
            "in name",
            "a name character such as letters, digits, `$`, or `_`; whitespace before attributes; or the end of the tag",
        ));
    }
    s.ws();
    const AFTER: &str = "a character that can start an attribute name, such as a letter, `$`, or `_`; whitespace before attributes; or the end of the tag";
    match s.peek() {
        Some('.') => {
            while s.peek() == Some('.') {
                s.bump();
                s.ws();
                match s.peek() {
                    Some(c) if id_start(c) => {
                        let member = s.ident();
                        tag.name.push('.');
                        tag.name.push_str(&member);
                    }
                    _ => return Err(s.crash("before member name", AFTER)),
                }
                if !Scanner::name_end(s.peek(), &['.']) {
                    return Err(s.crash(
                        "in member name",
                        "a name character such as letters, digits, `$`, or `_`; whitespace before attributes; or the end of the tag",
                    ));
                }
                s.ws();
            }
            if !s.peek().is_some_and(|c| matches!(c, '/' | '>' | '{') || id_start(c)) {
                return Err(s.crash("after member name", AFTER));
            }
        }
        Some(':') => {
            s.bump();
            s.ws();
            match s.peek() {
                Some(c) if id_start(c) => {
                    let local = s.ident();
                    tag.name.push(':');
                    tag.name.push_str(&local);
                }
                _ => return Err(s.crash("before local name", NAME_START)),
            }
            if !Scanner::name_end(s.peek(), &[]) {
                return Err(s.crash(
                    "in local name",
                    "a name character such as letters, digits, `$`, or `_`; whitespace before attributes; or the end of the tag",
                ));
            }
            s.ws();
            if !s.peek().is_some_and(|c| matches!(c, '/' | '>' | '{') || id_start(c)) {
                return Err(s.crash("after local name", AFTER));
            }
        }
        Some(c) if matches!(c, '/' | '>' | '{') || id_start(c) => {}
        _ => return Err(s.crash("after name", AFTER)),
    }
    // Attributes.
    loop {
        match s.peek() {
            Some('/') => {
                if tag.closing && tag.closing_extra.is_none() {
                    tag.closing_extra =
                        Some((s.i, "Unexpected self-closing slash `/` in closing tag, expected the end of the tag"));
                }
                s.bump();
                s.ws();
                if s.peek() != Some('>') {
                    return Err(s.crash("after self-closing slash", "`>` to end the tag"));
                }
                s.bump();
                tag.self_closing = true;
                tag.end = s.i;
                return Ok(tag);
            }
            Some('>') => {
                s.bump();
                tag.end = s.i;
                return Ok(tag);
            }
            Some('{') => {
                let a = s.i;
                note_closing_attribute(&mut tag, a);
                let (vs, ve) = s.expression(ExprKind::Spread)?;
                tag.attrs.push(JsxAttr {
                    name: Box::default(),
                    value: AttrValue::Expression(text[vs..ve].into()),
                    span: Span::new(a, s.i),
                    value_span: Some(Span::new(vs, ve)),
                });
                s.ws();
            }
            Some(c) if id_start(c) => {
                let a = s.i;
                note_closing_attribute(&mut tag, a);
                let mut name = s.ident();
                if !Scanner::name_end(s.peek(), &[':', '=']) {
                    return Err(s.crash("in attribute name", "an attribute name character such as letters, digits, `$`, or `_`; `=` to initialize a value; whitespace before attributes; or the end of the tag"));
                }
                let name_end = s.i;
                s.ws();
                if s.peek() == Some(':') {
                    s.bump();
                    s.ws();
                    match s.peek() {
                        Some(c) if id_start(c) => {
                            let local = s.ident();
                            name.push(':');
                            name.push_str(&local);
                        }
                        _ => return Err(s.crash("before local attribute name", "a character that can start an attribute name, such as a letter, `$`, or `_`; `=` to initialize a value; or the end of the tag")),
                    }
                    if !Scanner::name_end(s.peek(), &['=']) {
                        return Err(s.crash("in local attribute name", "an attribute name character such as letters, digits, `$`, or `_`; `=` to initialize a value; whitespace before attributes; or the end of the tag"));
                    }
                    s.ws();
                }
                if s.peek() != Some('=') {
                    if !s.peek().is_some_and(|c| matches!(c, '/' | '>' | '{') || id_start(c)) {
                        return Err(s.crash(
                            "after attribute name",
                            "a character that can start an attribute name, such as a letter, `$`, or `_`; `=` to initialize a value; or the end of the tag",
                        ));
                    }
                    tag.attrs.push(JsxAttr {
                        name: name.into_boxed_str(),
                        value: AttrValue::None,
                        span: Span::new(a, name_end.max(a)),
                        value_span: None,
                    });
                    continue;
                }
                s.bump();
                s.ws();
                match s.peek() {
                    Some(q @ ('"' | '\'')) => {
                        let vs = s.i + 1;
                        match text[vs..limit].find(q) {
                            Some(e) => {
                                let ve = vs + e;
                                s.i = ve + 1;
                                tag.attrs.push(JsxAttr {
                                    name: name.into_boxed_str(),
                                    value: AttrValue::String(decode_attr(&text[vs..ve]).into_boxed_str()),
                                    span: Span::new(a, s.i),
                                    value_span: Some(Span::new(vs, ve)),
                                });
                            }
                            None => {
                                s.i = limit;
                                return Err(
                                    s.crash("in attribute value", &format!("a corresponding closing quote `{q}`"))
                                );
                            }
                        }
                    }
                    Some('{') => {
                        let (vs, ve) = s.expression(ExprKind::AttrValue)?;
                        tag.attrs.push(JsxAttr {
                            name: name.into_boxed_str(),
                            value: AttrValue::Expression(text[vs..ve].into()),
                            span: Span::new(a, s.i),
                            value_span: Some(Span::new(vs, ve)),
                        });
                    }
                    _ => {
                        return Err(s.crash(
                            "before attribute value",
                            "a character that can start an attribute value, such as `\"`, `'`, or `{`",
                        ));
                    }
                }
                s.ws();
            }
            _ => return Err(s.crash("before attribute name", ATTRIBUTE_START)),
        }
    }
}

fn note_closing_attribute(tag: &mut Tag, at: usize) {
    if tag.closing && tag.closing_extra.is_none() {
        tag.closing_extra = Some((at, "Unexpected attribute in closing tag, expected the end of the tag"));
    }
}

/// JSX string attributes decode character references but not backslash escapes.
fn decode_attr(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    super::inline::decode_entities(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> Tag {
        match scan_tag(s, 0, s.len()) {
            TagScan::Tag(t) => t,
            other => panic!("{other:?}"),
        }
    }

    fn error_at(s: &str) -> usize {
        match scan_tag(s, 0, s.len()) {
            TagScan::Error { at, .. } => at,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scans_tags_with_attributes() {
        let t = tag("<TabItem value=\"a\" label='B' default {...p} n={1}>x");
        assert_eq!(t.name, "TabItem");
        assert_eq!(t.end, 50);
        let names: Vec<_> = t.attrs.iter().map(|a| &*a.name).collect();
        assert_eq!(names, ["value", "label", "default", "", "n"]);
        assert_eq!(t.attrs[0].value, AttrValue::String("a".into()));
        assert!(tag("<br/>").self_closing);
        assert!(tag("</Tabs >").closing);
        assert_eq!(tag("<a.b.c>").name, "a.b.c");
        assert_eq!(tag("<svg:rect />").name, "svg:rect");
        assert_eq!(tag("<>").name, "");
        assert_eq!(tag("<X\n  a=\"1\"\n/>").attrs.len(), 1);
    }

    #[test]
    fn closing_tags_with_attributes_are_tags_that_mdast_rejects() {
        let t = tag("</Note type=\"x\">");
        assert!(t.closing);
        assert_eq!(t.closing_extra.map(|e| e.0), Some(7));
        assert_eq!(tag("</a/>").closing_extra.map(|e| e.0), Some(3));
    }

    #[test]
    fn rejects_what_mdx_rejects() {
        assert!(matches!(scan_tag("< b", 0, 3), TagScan::NotATag));
        match scan_tag("<!-- x -->", 0, 10) {
            TagScan::Error { reason, .. } => assert!(reason.contains("{/* text */}"), "{reason}"),
            o => panic!("{o:?}"),
        }
        assert_eq!(error_at("<5"), 1);
        assert_eq!(error_at("<https://x.y>"), 7);
        assert_eq!(error_at("<me@x.org>"), 3);
        assert_eq!(error_at("<Card /* c */ />"), 7);
        assert_eq!(error_at("<Card title=Hello />"), 12);
        assert_eq!(error_at("<b c"), 4);
        assert_eq!(error_at("<X a={} />"), 6);
    }
}
