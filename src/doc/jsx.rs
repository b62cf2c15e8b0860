//! JSX tags as MDX (micromark-extension-mdx-jsx) reads them.
//!
//! A tag is scanned directly on the text; an error carries the compiler's own wording, since a
//! malformed tag makes `@mdx-js/mdx` stop.

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
}

#[derive(Debug)]
pub(crate) enum TagScan {
    Tag(Tag),
    /// `<` followed by whitespace: plain text.
    NotATag,
    Error {
        at: usize,
        reason: String,
    },
}

fn describe(text: &str, at: usize) -> String {
    match text[at..].chars().next() {
        None => "end of file".to_string(),
        Some(c) => {
            format!("character `{}` (U+{:04X})", if c == '`' { "` ` `".to_string() } else { c.to_string() }, c as u32)
        }
    }
}

fn is_id_start(c: char) -> bool {
    c.is_alphabetic() || c == '$' || c == '_'
}

fn is_id_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '$' || c == '_' || c == '\u{200c}' || c == '\u{200d}'
}

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
        self.text[self.i..].chars().next()
    }
    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.i += c.len_utf8();
            } else if c == '/' && self.text[self.i..].starts_with("//") {
                // JSX allows comments between attributes.
                while let Some(c) = self.peek() {
                    if c == '\n' {
                        break;
                    }
                    self.i += c.len_utf8();
                }
            } else if c == '/' && self.text[self.i..].starts_with("/*") {
                match self.text[self.i + 2..self.limit].find("*/") {
                    Some(e) => self.i += 2 + e + 2,
                    None => return,
                }
            } else {
                return;
            }
        }
    }
    /// A name with `-` allowed after the first character.
    fn ident(&mut self) -> Option<String> {
        let start = self.i;
        match self.peek() {
            Some(c) if is_id_start(c) => self.i += c.len_utf8(),
            _ => return None,
        }
        while let Some(c) = self.peek() {
            if is_id_continue(c) || c == '-' {
                self.i += c.len_utf8();
            } else {
                break;
            }
        }
        Some(self.text[start..self.i].to_string())
    }
    fn err(&self, what: &str, expect: &str) -> TagScan {
        TagScan::Error {
            at: self.i,
            reason: format!("Unexpected {} {what}, expected {expect}", describe(&self.text[..self.limit], self.i)),
        }
    }
}

/// Scan a tag starting at `start` (`text[start] == '<'`), not reading at or past `limit`.
pub(crate) fn scan_tag(text: &str, start: usize, limit: usize) -> TagScan {
    let mut s = Scanner { text, i: start + 1, limit };
    match s.peek() {
        None => return s.err("before name", "a character that can start a name, such as a letter, `$`, or `_`"),
        Some(c) if c == ' ' || c == '\t' || c == '\n' || c == '\r' => return TagScan::NotATag,
        _ => {}
    }
    s.skip_ws();
    let mut closing = false;
    if s.peek() == Some('/') {
        closing = true;
        s.i += 1;
        s.skip_ws();
    }
    let mut name = String::new();
    if s.peek() == Some('>') {
        s.i += 1;
        return TagScan::Tag(Tag { start, end: s.i, closing, self_closing: false, name, attrs: Vec::new() });
    }
    match s.ident() {
        Some(n) => name.push_str(&n),
        None => {
            let note =
                if s.peek() == Some('!') { " (note: to create a comment in MDX, use `{/* text */}`)" } else { "" };
            let expect = format!("a character that can start a name, such as a letter, `$`, or `_`{note}");
            return s.err("before name", &expect);
        }
    }
    s.skip_ws();
    match s.peek() {
        Some('.') => {
            while s.peek() == Some('.') {
                s.i += 1;
                s.skip_ws();
                match s.ident() {
                    Some(n) => {
                        name.push('.');
                        name.push_str(&n);
                    }
                    None => {
                        return s.err(
                            "before member name",
                            "a character that can start an attribute name, such as a letter, `$`, or `_`",
                        );
                    }
                }
                s.skip_ws();
            }
        }
        Some(':') => {
            s.i += 1;
            s.skip_ws();
            match s.ident() {
                Some(n) => {
                    name.push(':');
                    name.push_str(&n);
                }
                None => {
                    return s
                        .err("before local name", "a character that can start a name, such as a letter, `$`, or `_`");
                }
            }
            s.skip_ws();
        }
        _ => {}
    }
    let mut attrs = Vec::new();
    loop {
        s.skip_ws();
        match s.peek() {
            None => return s.err("in tag", "`>` to end the tag"),
            Some('>') => {
                s.i += 1;
                return TagScan::Tag(Tag { start, end: s.i, closing, self_closing: false, name, attrs });
            }
            Some('/') => {
                if closing {
                    return s.err("after name", "`>` to end the tag");
                }
                s.i += 1;
                s.skip_ws();
                if s.peek() != Some('>') {
                    return s.err("after self-closing slash", "`>` to end the tag");
                }
                s.i += 1;
                return TagScan::Tag(Tag { start, end: s.i, closing, self_closing: true, name, attrs });
            }
            Some('{') if !closing => {
                let a = s.i;
                let Some(close) = super::expr::matching_brace(&text.as_bytes()[..limit], a) else {
                    return TagScan::Error {
                        at: a,
                        reason: "Unexpected end of file in expression, expected a corresponding closing brace for `{`"
                            .into(),
                    };
                };
                s.i = close + 1;
                attrs.push(JsxAttr {
                    name: String::new(),
                    value: AttrValue::Expression(text[a + 1..close].to_string()),
                    span: Span::new(a, s.i),
                    value_span: Some(Span::new(a + 1, close)),
                });
            }
            Some(c) if !closing && is_id_start(c) => {
                let a = s.i;
                let mut aname = s.ident().unwrap_or_default();
                s.skip_ws();
                if s.peek() == Some(':') {
                    s.i += 1;
                    s.skip_ws();
                    match s.ident() {
                        Some(n) => {
                            aname.push(':');
                            aname.push_str(&n);
                        }
                        None => {
                            return s.err(
                                "before local attribute name",
                                "a character that can start an attribute name, such as a letter, `$`, or `_`",
                            );
                        }
                    }
                }
                let before_eq = s.i;
                s.skip_ws();
                if s.peek() != Some('=') {
                    s.i = before_eq;
                    attrs.push(JsxAttr {
                        name: aname,
                        value: AttrValue::None,
                        span: Span::new(a, before_eq),
                        value_span: None,
                    });
                    continue;
                }
                s.i += 1;
                s.skip_ws();
                match s.peek() {
                    Some(q @ ('"' | '\'')) => {
                        let vs = s.i + 1;
                        match text[vs..limit].find(q) {
                            Some(e) => {
                                let ve = vs + e;
                                s.i = ve + 1;
                                attrs.push(JsxAttr {
                                    name: aname,
                                    value: AttrValue::String(decode_attr(&text[vs..ve])),
                                    span: Span::new(a, s.i),
                                    value_span: Some(Span::new(vs, ve)),
                                });
                            }
                            None => {
                                s.i = limit;
                                return s.err("in attribute value", &format!("a corresponding closing quote `{q}`"));
                            }
                        }
                    }
                    Some('{') => {
                        let vs = s.i;
                        let Some(close) = super::expr::matching_brace(&text.as_bytes()[..limit], vs) else {
                            return TagScan::Error {
                                at: vs,
                                reason: "Unexpected end of file in expression, expected a corresponding closing brace for `{`".into(),
                            };
                        };
                        s.i = close + 1;
                        attrs.push(JsxAttr {
                            name: aname,
                            value: AttrValue::Expression(text[vs + 1..close].to_string()),
                            span: Span::new(a, s.i),
                            value_span: Some(Span::new(vs + 1, close)),
                        });
                    }
                    _ => {
                        return s.err(
                            "before attribute value",
                            "a character that can start an attribute value, such as `\"`, `'`, or `{`",
                        );
                    }
                }
            }
            Some(_) => {
                return s.err(
                    if closing { "after name" } else { "before attribute name" },
                    if closing {
                        "`>` to end the tag"
                    } else {
                        "a character that can start an attribute name, such as a letter, `$`, or `_`"
                    },
                );
            }
        }
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

    #[test]
    fn scans_tags_with_attributes() {
        let t = tag("<TabItem value=\"a\" label='B' default {...p} n={1}>x");
        assert_eq!(t.name, "TabItem");
        assert_eq!(t.end, 50);
        let names: Vec<_> = t.attrs.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["value", "label", "default", "", "n"]);
        assert_eq!(t.attrs[0].value, AttrValue::String("a".into()));
        assert!(tag("<br/>").self_closing);
        assert!(tag("</Tabs >").closing);
        assert_eq!(tag("<a.b.c>").name, "a.b.c");
        assert_eq!(tag("<>").name, "");
    }

    #[test]
    fn rejects_what_mdx_rejects() {
        assert!(matches!(scan_tag("< b", 0, 3), TagScan::NotATag));
        match scan_tag("<!-- x -->", 0, 10) {
            TagScan::Error { reason, .. } => assert!(reason.contains("{/* text */}"), "{reason}"),
            o => panic!("{o:?}"),
        }
        assert!(matches!(scan_tag("<5", 0, 2), TagScan::Error { .. }));
        assert!(matches!(scan_tag("<https://x.y>", 0, 13), TagScan::Error { .. }));
    }
}
