//! Inline content of paragraphs, headings and table cells, as micromark reads it with the MDX,
//! GFM and directive extensions: links and images (inline, reference, GFM literal), code spans,
//! JSX text tags, `{expressions}`, escapes and character references, emphasis (for heading
//! text), text directives. Input is a [`Virt`]: the block's lines with container prefixes
//! removed, mapped back to original byte offsets.

use super::expr;
use super::jsx::{self, TagScan};
use super::{JsxElement, Link, LinkKind, MdxError, MdxErrorKind};
use crate::diag::Span;
use std::collections::HashMap;

/// Text assembled from several line pieces, with a map back to the original offsets. A
/// single line borrows the source; only multi-line blocks copy.
#[derive(Default, Debug)]
pub(crate) struct Virt<'a> {
    pub text: std::borrow::Cow<'a, str>,
    /// (virtual offset, original offset) where each piece starts.
    segs: Vec<(u32, u32)>,
}

impl<'a> Virt<'a> {
    pub fn push_line(&mut self, src: &'a str, start: usize, end: usize) {
        if self.segs.is_empty() {
            self.segs.reserve_exact(1);
            self.segs.push((0, start as u32));
            self.text = std::borrow::Cow::Borrowed(&src[start..end]);
            return;
        }
        let text = self.text.to_mut();
        text.push('\n');
        self.segs.push((text.len() as u32, start as u32));
        text.push_str(&src[start..end]);
    }

    pub fn orig(&self, v: usize) -> usize {
        let i = match self.segs.binary_search_by_key(&(v as u32), |s| s.0) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let (vs, os) = self.segs.get(i).copied().unwrap_or((0, 0));
        os as usize + (v - vs as usize)
    }

    pub fn span(&self, a: usize, b: usize) -> Span {
        // An end offset at a line break maps to the end of the line, not the next line's start.
        let end = if b > a {
            self.orig(b - 1) + self.text[..b].chars().next_back().map_or(1, |c| c.len_utf8())
        } else {
            self.orig(b)
        };
        Span::new(self.orig(a), end)
    }
}

#[derive(Default, Debug)]
pub(crate) struct InlineOut {
    pub text: String,
    pub links: Vec<Link>,
    pub jsx: Vec<JsxElement>,
    pub errors: Vec<MdxError>,
    /// The last expression when only whitespace follows it: (virtual start, end, source).
    pub trailing_expr: Option<(usize, usize, String)>,
}

pub(crate) struct Defs<'a> {
    pub urls: &'a HashMap<String, String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Text,
    /// `[` or `![`: kept apart so that text after it is not merged into it.
    Bracket,
    Delim,
}

struct Piece {
    kind: PieceKind,
    text: String,
    // For delimiters.
    ch: u8,
    len: usize,
    orig_len: usize,
    can_open: bool,
    can_close: bool,
}

struct Bracket {
    piece: usize,
    image: bool,
    active: bool,
    start: usize,
    /// Index into `delims` at the time the bracket was pushed (emphasis barrier).
    delim_bottom: usize,
}

struct Parser<'a> {
    v: &'a Virt<'a>,
    s: &'a str,
    b: &'a [u8],
    defs: &'a Defs<'a>,
    out: InlineOut,
    pieces: Vec<Piece>,
    delims: Vec<usize>,
    brackets: Vec<Bracket>,
    /// Open JSX text elements: (index in out.jsx).
    open_jsx: Vec<usize>,
    escaped_brace: Option<usize>,
    /// Whether the block's text is wanted (headings); link text is always kept.
    want_text: bool,
    /// Where the current run of plain text started (after the last construct).
    plain_start: usize,
    last_nonspace_end: usize,
    /// Spans (virtual) of formed links' text, to drop autolink literals inside them.
    link_ranges: Vec<(usize, usize)>,
}

/// Parse `v` as phrasing content. `escaped_brace` is a `{` the mdx1 heading-id preprocessor escaped.
pub(crate) fn parse<'a>(v: &'a Virt<'a>, defs: &Defs, escaped_brace: Option<usize>, want_text: bool) -> InlineOut {
    let mut p = Parser {
        v,
        s: &v.text,
        b: v.text.as_bytes(),
        defs,
        out: InlineOut::default(),
        pieces: Vec::new(),
        delims: Vec::new(),
        brackets: Vec::new(),
        open_jsx: Vec::new(),
        escaped_brace,
        want_text,
        plain_start: 0,
        last_nonspace_end: 0,
        link_ranges: Vec::new(),
    };
    p.run();
    p.out
}

/// Bytes where an inline construct may start; everything else is plain text.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b"\\`&<{[!]*_~:\nwWhH@";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

fn is_ascii_punct(c: u8) -> bool {
    c.is_ascii_punctuation()
}

fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        return (c as u8).is_ascii_punctuation();
    }
    !c.is_alphanumeric() && !c.is_whitespace()
}

impl<'a> Parser<'a> {
    fn text(&mut self, s: &str) {
        // Text outside any bracket matters only when the block's text is wanted.
        if !self.want_text && self.brackets.is_empty() {
            return;
        }
        if let Some(last) = self.pieces.last_mut()
            && last.kind == PieceKind::Text
        {
            last.text.push_str(s);
            return;
        }
        self.pieces.push(Piece {
            kind: PieceKind::Text,
            text: s.to_string(),
            ch: 0,
            len: 0,
            orig_len: 0,
            can_open: false,
            can_close: false,
        });
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.s[..i].chars().next_back()
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.s[i..].chars().next()
    }

    fn run(&mut self) {
        let b = self.b;
        let mut i = 0;
        let mut plain = 0;
        while i < b.len() {
            let c = b[i];
            if !SPECIAL[c as usize] {
                i += 1;
                continue;
            }
            if plain < i {
                let t = &self.s[plain..i];
                self.text(t);
            }
            let next = self.step(i);
            if next == i {
                // Not a construct: literal.
                let l = self.char_at(i).map_or(1, |c| c.len_utf8());
                let t = &self.s[i..i + l];
                self.text(t);
                i += l;
            } else {
                i = next;
                self.plain_start = i;
            }
            plain = i;
        }
        if plain < b.len() {
            let t = &self.s[plain..];
            self.text(t);
        }
        let s = self.s.trim_end();
        if self.out.trailing_expr.as_ref().is_some_and(|t| t.1 < s.len()) {
            self.out.trailing_expr = None;
        }
        for &j in self.open_jsx.iter().rev() {
            let e = &self.out.jsx[j];
            self.out.errors.push(MdxError {
                span: e.open_tag,
                reason: format!("Expected a closing tag for `<{}>` before the end of `paragraph`", e.name),
                kind: MdxErrorKind::Other,
            });
        }
        if !self.want_text {
            self.finish_links();
            return;
        }
        self.process_emphasis(0);
        let mut text = String::new();
        for p in &self.pieces {
            match p.kind {
                PieceKind::Text | PieceKind::Bracket => text.push_str(&p.text),
                PieceKind::Delim => {
                    for _ in 0..p.len {
                        text.push(p.ch as char);
                    }
                }
            }
        }
        self.out.text = text;
        self.finish_links();
    }

    fn finish_links(&mut self) {
        let ranges = std::mem::take(&mut self.link_ranges);
        let v = self.v;
        self.out.links.retain(|l| {
            l.kind != LinkKind::Autolink
                || !ranges
                    .iter()
                    .any(|&(a, b)| v.orig(a) <= l.span.start as usize && (l.span.end as usize) <= v.orig(b))
        });
        self.out.links.sort_by_key(|l| l.span.start);
    }

    /// Try the construct at `i`; return where it ends, or `i` when there is none.
    fn step(&mut self, i: usize) -> usize {
        let b = self.b;
        match b[i] {
            b'\\' => {
                if let Some(&n) = b.get(i + 1) {
                    if is_ascii_punct(n) {
                        let t = &self.s[i + 1..i + 2];
                        self.text(t);
                        return i + 2;
                    }
                    if n == b'\n' {
                        // Hard break: contributes nothing to text.
                        return i + 1;
                    }
                }
                i
            }
            b'\n' => {
                // Soft break: trailing spaces of the line are not text.
                if let Some(last) = self.pieces.last_mut()
                    && last.kind == PieceKind::Text
                {
                    let t = last.text.trim_end_matches([' ', '\t']).len();
                    last.text.truncate(t);
                }
                self.text("\n");
                let mut j = i + 1;
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                j
            }
            b'`' => self.code_span(i),
            b'&' => match char_ref(&self.s[i..]) {
                Some((decoded, len)) => {
                    self.text(&decoded);
                    i + len
                }
                None => i,
            },
            b'<' => self.jsx_tag(i),
            b'{' => self.expression(i),
            b'[' => {
                self.brackets.push(Bracket {
                    piece: self.pieces.len(),
                    image: false,
                    active: true,
                    start: i,
                    delim_bottom: self.delims.len(),
                });
                self.pieces.push(Piece {
                    kind: PieceKind::Bracket,
                    text: "[".into(),
                    ch: 0,
                    len: 0,
                    orig_len: 0,
                    can_open: false,
                    can_close: false,
                });
                i + 1
            }
            b'!' if b.get(i + 1) == Some(&b'[') => {
                self.brackets.push(Bracket {
                    piece: self.pieces.len(),
                    image: true,
                    active: true,
                    start: i,
                    delim_bottom: self.delims.len(),
                });
                self.pieces.push(Piece {
                    kind: PieceKind::Bracket,
                    text: "![".into(),
                    ch: 0,
                    len: 0,
                    orig_len: 0,
                    can_open: false,
                    can_close: false,
                });
                i + 2
            }
            b']' => self.close_bracket(i),
            b'*' | b'_' | b'~' => self.delim_run(i),
            b':' => self.text_directive(i),
            b'w' | b'W' | b'h' | b'H' => self.autolink_literal(i),
            b'@' => self.email_literal(i),
            _ => i,
        }
    }

    fn code_span(&mut self, i: usize) -> usize {
        let b = self.b;
        let mut n = 0;
        while i + n < b.len() && b[i + n] == b'`' {
            n += 1;
        }
        let mut j = i + n;
        while j < b.len() {
            if b[j] == b'`' {
                let mut m = 0;
                while j + m < b.len() && b[j + m] == b'`' {
                    m += 1;
                }
                if m == n {
                    let mut content = self.s[i + n..j].replace('\n', " ");
                    if content.len() >= 2
                        && content.starts_with(' ')
                        && content.ends_with(' ')
                        && !content.bytes().all(|c| c == b' ')
                    {
                        content = content[1..content.len() - 1].to_string();
                    }
                    self.text(&content);
                    self.last_nonspace_end = j + m;
                    return j + m;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        // No closer: the run is literal.
        let t = &self.s[i..i + n];
        self.text(t);
        i + n
    }

    fn jsx_tag(&mut self, i: usize) -> usize {
        match jsx::scan_tag(self.s, i, self.s.len()) {
            TagScan::NotATag => i,
            TagScan::Error { at, reason } => {
                self.out.errors.push(MdxError {
                    span: self.v.span(at, (at + 1).min(self.s.len())),
                    reason,
                    kind: if self.s[i..].starts_with("<!--") { MdxErrorKind::HtmlComment } else { MdxErrorKind::Other },
                });
                // The compiler stops here; keep reading the rest as text.
                i + 1
            }
            TagScan::Tag(t) => {
                let span = self.v.span(t.start, t.end);
                if t.closing {
                    match self.open_jsx.pop() {
                        Some(j) if self.out.jsx[j].name == t.name => {
                            let e = &mut self.out.jsx[j];
                            e.span.end = span.end;
                        }
                        Some(j) => {
                            let open = self.out.jsx[j].name.clone();
                            self.out.errors.push(MdxError {
                                span,
                                reason: format!(
                                    "Unexpected closing tag `</{}>`, expected corresponding closing tag for `<{}>`",
                                    t.name, open
                                ),
                                kind: MdxErrorKind::Other,
                            });
                        }
                        None => {
                            self.out.errors.push(MdxError {
                                span,
                                reason: format!("Unexpected closing tag `</{}>`, expected an open tag first", t.name),
                                kind: MdxErrorKind::Other,
                            });
                        }
                    }
                } else {
                    let attrs = t
                        .attrs
                        .into_iter()
                        .map(|mut a| {
                            a.span = self.v.span(a.span.start as usize, a.span.end as usize);
                            a.value_span = a.value_span.map(|s| self.v.span(s.start as usize, s.end as usize));
                            a
                        })
                        .collect();
                    self.out.jsx.push(JsxElement {
                        name: t.name,
                        attrs,
                        span,
                        open_tag: span,
                        flow: false,
                        parent: None,
                    });
                    if !t.self_closing {
                        self.open_jsx.push(self.out.jsx.len() - 1);
                    }
                }
                self.last_nonspace_end = t.end;
                t.end
            }
        }
    }

    fn expression(&mut self, i: usize) -> usize {
        if self.escaped_brace == Some(i) {
            return i;
        }
        match expr::matching_brace(self.b, i) {
            None => {
                self.out.errors.push(MdxError {
                    span: self.v.span(i, i + 1),
                    reason: "Unexpected end of file in expression, expected a corresponding closing brace for `{`"
                        .into(),
                    kind: MdxErrorKind::Other,
                });
                i + 1
            }
            Some(close) => {
                let src = &self.s[i + 1..close];
                if let Err(reason) = expr::check_expression(src) {
                    self.out.errors.push(MdxError {
                        span: self.v.span(i, close + 1),
                        reason: reason.into(),
                        kind: MdxErrorKind::Other,
                    });
                }
                let src = src.to_string();
                self.text(&src);
                self.out.trailing_expr = Some((i, close + 1, src));
                self.last_nonspace_end = close + 1;
                close + 1
            }
        }
    }

    fn delim_run(&mut self, i: usize) -> usize {
        let b = self.b;
        let ch = b[i];
        let mut n = 0;
        while i + n < b.len() && b[i + n] == ch {
            n += 1;
        }
        if ch == b'~' && n > 2 {
            let t = &self.s[i..i + n];
            self.text(t);
            return i + n;
        }
        if !self.want_text && self.brackets.is_empty() {
            return i + n;
        }
        let before = self.char_before(i);
        let after = self.char_at(i + n);
        let class = |c: Option<char>| match c {
            None => 1,
            Some(c) if c.is_whitespace() => 1,
            Some(c) if is_punct(c) => 2,
            Some(_) => 0,
        };
        let (bc, ac) = (class(before), class(after));
        let open = ac == 0 || (ac == 2 && bc != 0);
        let close = bc == 0 || (bc == 2 && ac != 0);
        let (can_open, can_close) =
            if ch == b'_' { (open && (bc != 0 || !close), close && (ac != 0 || !open)) } else { (open, close) };
        self.delims.push(self.pieces.len());
        self.pieces.push(Piece {
            kind: PieceKind::Delim,
            text: String::new(),
            ch,
            len: n,
            orig_len: n,
            can_open,
            can_close,
        });
        i + n
    }

    /// CommonMark "process emphasis" over the delimiters above `bottom`; only the text matters.
    fn process_emphasis(&mut self, bottom: usize) {
        let mut cur = bottom;
        while cur < self.delims.len() {
            let ci = self.delims[cur];
            if !self.pieces[ci].can_close || self.pieces[ci].len == 0 {
                cur += 1;
                continue;
            }
            let (ch, clen, corig, copen) = {
                let c = &self.pieces[ci];
                (c.ch, c.len, c.orig_len, c.can_open)
            };
            let mut found = None;
            let mut k = cur;
            while k > bottom {
                k -= 1;
                let o = &self.pieces[self.delims[k]];
                if o.ch != ch || !o.can_open || o.len == 0 {
                    continue;
                }
                if ch == b'~' {
                    if o.len == clen {
                        found = Some(k);
                        break;
                    }
                    continue;
                }
                if (o.can_close || copen)
                    && (o.orig_len + corig).is_multiple_of(3)
                    && !(o.orig_len.is_multiple_of(3) && corig.is_multiple_of(3))
                {
                    continue;
                }
                found = Some(k);
                break;
            }
            match found {
                Some(k) => {
                    let oi = self.delims[k];
                    let used = if ch == b'~' {
                        clen
                    } else if self.pieces[oi].len >= 2 && clen >= 2 {
                        2
                    } else {
                        1
                    };
                    self.pieces[oi].len -= used;
                    self.pieces[ci].len -= used;
                    // Delimiters between opener and closer can no longer match.
                    for d in &self.delims[k + 1..cur] {
                        let p = &mut self.pieces[*d];
                        p.can_open = false;
                        p.can_close = false;
                    }
                    if self.pieces[ci].len == 0 {
                        cur += 1;
                    }
                }
                None => cur += 1,
            }
        }
        self.delims.truncate(bottom);
    }

    fn close_bracket(&mut self, i: usize) -> usize {
        let Some(br) = self.brackets.pop() else { return i };
        if !br.active {
            return i;
        }
        let label_start = br.start + if br.image { 2 } else { 1 };
        let label_raw = &self.s[label_start..i];
        let mut end = None;
        let mut url = String::new();
        let mut kind = LinkKind::Inline;
        let mut url_span = (i, i);
        let mut ref_label = None;
        if let Some((u, us, ue, e)) = self.resource(i + 1) {
            end = Some(e);
            url = u;
            url_span = (us, ue);
        } else if let Some((lab, ls, le, e)) = self.ref_label(i + 1) {
            let key = normalize_label(if lab.is_empty() { label_raw } else { &lab });
            if let Some(u) = self.defs.urls.get(&key) {
                end = Some(e);
                url = u.clone();
                kind = LinkKind::Reference;
                url_span = if lab.is_empty() { (label_start, i) } else { (ls, le) };
                ref_label = Some(key);
            }
        } else {
            let key = normalize_label(label_raw);
            if let Some(u) = self.defs.urls.get(&key)
                && label_raw.len() < 1000
            {
                end = Some(i + 1);
                url = u.clone();
                kind = LinkKind::Reference;
                url_span = (label_start, i);
                ref_label = Some(key);
            }
        }
        let Some(end) = end else { return i };
        // Text of the link: resolve emphasis inside it first.
        self.process_emphasis(br.delim_bottom);
        self.pieces[br.piece].text.clear();
        let mut text = String::new();
        for p in &self.pieces[br.piece..] {
            match p.kind {
                PieceKind::Text | PieceKind::Bracket => text.push_str(&p.text),
                PieceKind::Delim => (0..p.len).for_each(|_| text.push(p.ch as char)),
            }
        }
        if !br.image {
            for o in &mut self.brackets {
                if !o.image {
                    o.active = false;
                }
            }
        }
        self.link_ranges.push((label_start, i));
        self.out.links.push(Link {
            kind,
            image: br.image,
            url,
            label: ref_label,
            span: self.v.span(br.start, end),
            url_span: self.v.span(url_span.0, url_span.1),
            text,
        });
        self.last_nonspace_end = end;
        end
    }

    /// `(dest "title")` starting at `i` (the `(`): (url, url start, url end, end).
    fn resource(&self, i: usize) -> Option<(String, usize, usize, usize)> {
        let b = self.b;
        if b.get(i) != Some(&b'(') {
            return None;
        }
        let mut j = skip_ws_nl(b, i + 1);
        let (us, ue, url);
        if b.get(j) == Some(&b'<') {
            let s = j + 1;
            let mut k = s;
            while k < b.len() && b[k] != b'>' && b[k] != b'\n' && b[k] != b'<' {
                if b[k] == b'\\' && k + 1 < b.len() {
                    k += 1;
                }
                k += 1;
            }
            if b.get(k) != Some(&b'>') {
                return None;
            }
            us = s;
            ue = k;
            url = unescape(&self.s[s..k]);
            j = k + 1;
        } else {
            let s = j;
            let mut depth = 0i32;
            let mut k = s;
            while k < b.len() {
                let c = b[k];
                if c == b'\\' && k + 1 < b.len() && is_ascii_punct(b[k + 1]) {
                    k += 2;
                    continue;
                }
                if c <= b' ' {
                    break;
                }
                if c == b'(' {
                    depth += 1;
                    if depth > 32 {
                        return None;
                    }
                } else if c == b')' {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                k += 1;
            }
            if depth != 0 {
                return None;
            }
            us = s;
            ue = k;
            url = unescape(&self.s[s..k]);
            j = k;
        }
        let after_dest = j;
        j = skip_ws_nl(b, j);
        if j > after_dest && matches!(b.get(j), Some(b'"' | b'\'' | b'(')) {
            let close = if b[j] == b'(' { b')' } else { b[j] };
            let mut k = j + 1;
            while k < b.len() && b[k] != close {
                if b[k] == b'\\' {
                    k += 1;
                }
                if b[k.min(b.len() - 1)] == b'\n' && b.get(k + 1) == Some(&b'\n') {
                    return None;
                }
                k += 1;
            }
            if k >= b.len() {
                return None;
            }
            j = skip_ws_nl(b, k + 1);
        }
        if b.get(j) != Some(&b')') {
            return None;
        }
        Some((url, us, ue, j + 1))
    }

    /// `[label]` or `[]` at `i`: (label, start, end, end after `]`).
    fn ref_label(&self, i: usize) -> Option<(String, usize, usize, usize)> {
        let b = self.b;
        if b.get(i) != Some(&b'[') {
            return None;
        }
        let mut k = i + 1;
        while k < b.len() && b[k] != b']' {
            if b[k] == b'[' {
                return None;
            }
            if b[k] == b'\\' {
                k += 1;
            }
            k += 1;
        }
        if k >= b.len() || k - i > 1000 {
            return None;
        }
        Some((self.s[i + 1..k].to_string(), i + 1, k, k + 1))
    }

    /// `:name[label]{attrs}` in text (remark-directive); contributes its label's text.
    fn text_directive(&mut self, i: usize) -> usize {
        let b = self.b;
        if i > 0 && b[i - 1] == b':' {
            return i;
        }
        let mut j = i + 1;
        if !b.get(j).is_some_and(|c| c.is_ascii_alphabetic()) {
            return i;
        }
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_') {
            j += 1;
        }
        if matches!(b[j - 1], b'-' | b'_') || b.get(j) == Some(&b':') {
            return i;
        }
        let mut label = "";
        if b.get(j) == Some(&b'[') {
            let mut depth = 0;
            let mut k = j;
            while k < b.len() {
                match b[k] {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    b'\\' => k += 1,
                    _ => {}
                }
                k += 1;
            }
            if k < b.len() {
                label = &self.s[j + 1..k];
                j = k + 1;
            }
        }
        if b.get(j) == Some(&b'{')
            && let Some(k) = self.s[j..].find('}')
            && !self.s[j..j + k].contains('\n')
        {
            j += k + 1;
        }
        let label = label.to_string();
        self.text(&label);
        j
    }

    fn literal_allowed_www(&self, i: usize) -> bool {
        match self.char_before(i) {
            None => true,
            Some(c) => c.is_whitespace() || matches!(c, '(' | '*' | '_' | '[' | ']' | '~'),
        }
    }

    fn autolink_literal(&mut self, i: usize) -> usize {
        let s = &self.s[i..];
        let starts = |p: &str| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
        let (prefix_len, www) = if starts("www.") {
            if !self.literal_allowed_www(i) {
                return i;
            }
            (4, true)
        } else if starts("http://") || starts("https://") {
            if self.char_before(i).is_some_and(|c| c.is_ascii_alphabetic()) {
                return i;
            }
            (if starts("https") { 8 } else { 7 }, false)
        } else {
            return i;
        };
        let b = self.b;
        let start_domain = i + prefix_len;
        let Some(dend) = self.domain(start_domain) else { return i };
        let end = self.path(dend);
        if !www && end == start_domain {
            return i;
        }
        let text = &self.s[i..end];
        let url = if www { format!("http://{text}") } else { text.to_string() };
        let _ = b;
        self.out.links.push(Link {
            kind: LinkKind::Autolink,
            image: false,
            url,
            label: None,
            span: self.v.span(i, end),
            url_span: self.v.span(i, end),
            text: text.to_string(),
        });
        let t = text.to_string();
        self.text(&t);
        end
    }

    fn domain(&self, mut j: usize) -> Option<usize> {
        let (mut us_last, mut us_lastlast, mut seen) = (false, false, false);
        while let Some(c) = self.char_at(j) {
            if c == '.' || c == '_' {
                if self.is_trail(j) {
                    break;
                }
                if c == '_' {
                    us_last = true;
                } else {
                    us_lastlast = us_last;
                    us_last = false;
                }
                j += 1;
                continue;
            }
            if c.is_whitespace() || (c != '-' && is_punct(c)) {
                break;
            }
            seen = true;
            j += c.len_utf8();
        }
        if us_last || us_lastlast || !seen {
            return None;
        }
        Some(j)
    }

    /// Whether trailing punctuation at `j` ends the literal (only trail characters, then an end).
    fn is_trail(&self, mut j: usize) -> bool {
        let b = self.b;
        loop {
            let Some(c) = self.char_at(j) else { return true };
            match c {
                '!' | '"' | '\'' | ')' | '*' | ',' | '.' | ':' | ';' | '?' | '_' | '~' => j += 1,
                '<' => return true,
                '&' => {
                    let mut k = j + 1;
                    if !b.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
                        return false;
                    }
                    while b.get(k).is_some_and(|c| c.is_ascii_alphabetic()) {
                        k += 1;
                    }
                    if b.get(k) != Some(&b';') {
                        return false;
                    }
                    j = k + 1;
                }
                ']' => {
                    j += 1;
                    match self.char_at(j) {
                        None => return true,
                        Some(c) if c == '(' || c == '[' || c.is_whitespace() => return true,
                        _ => {}
                    }
                }
                c if c.is_whitespace() => return true,
                _ => return false,
            }
        }
    }

    fn path(&self, mut j: usize) -> usize {
        let (mut open, mut close) = (0, 0);
        while let Some(c) = self.char_at(j) {
            match c {
                '(' => open += 1,
                ')' if close < open => close += 1,
                '!' | '"' | '&' | '\'' | ')' | '*' | ',' | '.' | ':' | ';' | '<' | '?' | ']' | '_' | '~' => {
                    if self.is_trail(j) {
                        return j;
                    }
                    if c == ')' {
                        close += 1;
                    }
                }
                c if c.is_whitespace() => return j,
                _ => {}
            }
            j += c.len_utf8();
        }
        j
    }

    fn email_literal(&mut self, at: usize) -> usize {
        let b = self.b;
        let atext = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.' | b'_');
        let mut s = at;
        while s > 0 && atext(b[s - 1]) {
            s -= 1;
        }
        if s == at || (s > 0 && b[s - 1] == b'/') {
            return at;
        }
        // The local part must be plain text, not the tail of another construct.
        if s < self.plain_start {
            return at;
        }
        let mut j = at + 1;
        let (mut dot, mut data) = (false, false);
        while j < b.len() {
            let c = b[j];
            if c == b'.' {
                if !b.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_') {
                    break;
                }
                dot = true;
                data = false;
            } else if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' {
                data = true;
            } else {
                break;
            }
            j += 1;
        }
        if !(dot && data && b[j - 1].is_ascii_alphabetic()) {
            return at;
        }
        let text = self.s[s..j].to_string();
        if let Some(last) = self.pieces.last_mut()
            && last.kind == PieceKind::Text
            && last.text.ends_with(&self.s[s..at])
        {
            let keep = last.text.len() - (at - s);
            last.text.truncate(keep);
        }
        self.out.links.push(Link {
            kind: LinkKind::Autolink,
            image: false,
            url: format!("mailto:{text}"),
            label: None,
            span: self.v.span(s, j),
            url_span: self.v.span(s, j),
            text: text.clone(),
        });
        self.text(&text);
        j
    }
}

fn skip_ws_nl(b: &[u8], mut j: usize) -> usize {
    let mut nl = false;
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || (b[j] == b'\n' && !nl)) {
        if b[j] == b'\n' {
            nl = true;
        }
        j += 1;
    }
    j
}

/// Case-fold and collapse whitespace as micromark's `normalizeIdentifier`.
pub(crate) fn normalize_label(s: &str) -> String {
    let collapsed: Vec<&str> = s.split([' ', '\t', '\n', '\r']).filter(|p| !p.is_empty()).collect();
    // micromark matches on `toLowerCase().toUpperCase()`; mdast stores that lowercased.
    collapsed.join(" ").to_lowercase().to_uppercase().to_lowercase()
}

/// Backslash escapes and character references in a destination or title.
pub(crate) fn unescape(s: &str) -> String {
    if !s.contains(['\\', '&']) {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() && is_ascii_punct(b[i + 1]) {
            out.push(b[i + 1] as char);
            i += 2;
        } else if b[i] == b'&'
            && let Some((d, l)) = char_ref(&s[i..])
        {
            out.push_str(&d);
            i += l;
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

pub(crate) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(k) = s[i..].find('&') {
        out.push_str(&s[i..i + k]);
        i += k;
        match char_ref(&s[i..]) {
            Some((d, l)) => {
                out.push_str(&d);
                i += l;
            }
            None => {
                out.push('&');
                i += 1;
            }
        }
    }
    out.push_str(&s[i..]);
    out
}

/// A character reference at the start of `s`: (decoded, length).
pub(crate) fn char_ref(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'&') {
        return None;
    }
    if b.get(1) == Some(&b'#') {
        let (hex, start) = if matches!(b.get(2), Some(b'x' | b'X')) { (true, 3) } else { (false, 2) };
        let mut j = start;
        while j < b.len() && (if hex { b[j].is_ascii_hexdigit() } else { b[j].is_ascii_digit() }) {
            j += 1;
        }
        let n = j - start;
        if n == 0 || n > if hex { 6 } else { 7 } || b.get(j) != Some(&b';') {
            return None;
        }
        let v = u32::from_str_radix(&s[start..j], if hex { 16 } else { 10 }).ok()?;
        let c = if v == 0 || (0xD800..=0xDFFF).contains(&v) || v > 0x10FFFF { '\u{FFFD}' } else { char::from_u32(v)? };
        return Some((c.to_string(), j + 1));
    }
    let mut j = 1;
    while j < b.len() && j < 33 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if b.get(j) != Some(&b';') || j == 1 {
        return None;
    }
    let name = &s[1..j];
    let v = NAMED.binary_search_by_key(&name, |e| e.0).ok().map(|k| NAMED[k].1)?;
    Some((v.to_string(), j + 1))
}

/// The HTML named character references seen in documentation (sorted for binary search).
static NAMED: &[(&str, &str)] = &[
    ("AElig", "Æ"),
    ("Aacute", "Á"),
    ("Agrave", "À"),
    ("Auml", "Ä"),
    ("Ccedil", "Ç"),
    ("Eacute", "É"),
    ("Ntilde", "Ñ"),
    ("Oacute", "Ó"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
    ("aacute", "á"),
    ("acute", "´"),
    ("aelig", "æ"),
    ("agrave", "à"),
    ("amp", "&"),
    ("apos", "'"),
    ("asymp", "≈"),
    ("auml", "ä"),
    ("bdquo", "„"),
    ("brvbar", "¦"),
    ("bull", "•"),
    ("ccedil", "ç"),
    ("cent", "¢"),
    ("check", "✓"),
    ("cir", "○"),
    ("colon", ":"),
    ("comma", ","),
    ("copy", "©"),
    ("cross", "✗"),
    ("curren", "¤"),
    ("dagger", "†"),
    ("darr", "↓"),
    ("deg", "°"),
    ("divide", "÷"),
    ("dollar", "$"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("emsp", "\u{2003}"),
    ("ensp", "\u{2002}"),
    ("equals", "="),
    ("euml", "ë"),
    ("euro", "€"),
    ("excl", "!"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("ge", "≥"),
    ("grave", "`"),
    ("gt", ">"),
    ("harr", "↔"),
    ("hellip", "…"),
    ("hyphen", "‐"),
    ("iacute", "í"),
    ("iexcl", "¡"),
    ("infin", "∞"),
    ("iquest", "¿"),
    ("laquo", "«"),
    ("larr", "←"),
    ("lbrace", "{"),
    ("lbrack", "["),
    ("lcub", "{"),
    ("ldquo", "“"),
    ("le", "≤"),
    ("lowbar", "_"),
    ("lpar", "("),
    ("lsaquo", "‹"),
    ("lsqb", "["),
    ("lsquo", "‘"),
    ("lt", "<"),
    ("mdash", "—"),
    ("micro", "µ"),
    ("middot", "·"),
    ("minus", "−"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("ne", "≠"),
    ("not", "¬"),
    ("ntilde", "ñ"),
    ("num", "#"),
    ("oacute", "ó"),
    ("ouml", "ö"),
    ("para", "¶"),
    ("percnt", "%"),
    ("period", "."),
    ("plus", "+"),
    ("plusmn", "±"),
    ("pound", "£"),
    ("quest", "?"),
    ("quot", "\""),
    ("raquo", "»"),
    ("rarr", "→"),
    ("rbrace", "}"),
    ("rbrack", "]"),
    ("rcub", "}"),
    ("rdquo", "”"),
    ("reg", "®"),
    ("rpar", ")"),
    ("rsaquo", "›"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("sect", "§"),
    ("semi", ";"),
    ("shy", "\u{ad}"),
    ("sol", "/"),
    ("sup1", "¹"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("szlig", "ß"),
    ("thinsp", "\u{2009}"),
    ("times", "×"),
    ("trade", "™"),
    ("uacute", "ú"),
    ("uarr", "↑"),
    ("uuml", "ü"),
    ("verbar", "|"),
    ("vert", "|"),
    ("yen", "¥"),
    ("zwj", "\u{200d}"),
    ("zwnj", "\u{200c}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str, defs: &[(&str, &str)]) -> InlineOut {
        let mut v = Virt::default();
        for (n, line) in s.split('\n').enumerate() {
            let start = s.split('\n').take(n).map(|l| l.len() + 1).sum::<usize>();
            v.push_line(s, start, start + line.len());
        }
        let urls: HashMap<String, String> = defs.iter().map(|(k, u)| (normalize_label(k), u.to_string())).collect();
        parse(&v, &Defs { urls: &urls }, None, true)
    }

    #[test]
    fn named_table_is_sorted() {
        assert!(NAMED.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn links_and_text() {
        let o = run("See [the *guide*](../a.mdx#x \"t\") and ![alt](i.png), [ref][R], [R].", &[("r", "/r")]);
        let urls: Vec<_> = o.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["../a.mdx#x", "i.png", "/r", "/r"]);
        assert_eq!(o.text, "See the guide and alt, ref, R.");
        assert_eq!(o.links[0].span, Span::new(4, 33));
    }

    #[test]
    fn heading_text_like_mdast_to_string() {
        assert_eq!(
            run("Use `kubectl` and <b>bold</b> {props.x} snake_case_name", &[]).text,
            "Use kubectl and bold props.x snake_case_name"
        );
        assert_eq!(run("_em_ and **strong** a*b", &[]).text, "em and strong a*b");
        assert_eq!(run("AT&amp;T &#58; x", &[]).text, "AT&T : x");
        assert_eq!(run("Step a:b c", &[]).text, "Step a c");
    }

    #[test]
    fn autolink_literals() {
        let o = run("Go to www.example.com/a_(b). Or https://x.io/p?q=1, mail me@x.org!", &[]);
        let urls: Vec<_> = o.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["http://www.example.com/a_(b)", "https://x.io/p?q=1", "mailto:me@x.org"]);
    }

    #[test]
    fn jsx_errors() {
        assert!(run("a <5 b", &[]).errors.len() == 1);
        assert!(run("a < b", &[]).errors.is_empty());
        assert_eq!(run("<b>x</i>", &[]).errors.len(), 1);
        assert!(run("x {#id}", &[]).errors.len() == 1);
    }
}
