//! Block structure, as micromark reads MDX: containers (block quotes, list items, directive
//! containers) line by line, and leaves (headings, fenced code, paragraphs, tables, JSX flow
//! tags, flow expressions, ESM, definitions). MDX disables indented code and HTML, so any
//! indentation is allowed before a construct, and `<` always starts JSX.
//!
//! Inline content is collected per block as a [`Virt`] and parsed once every definition is known.

use super::expr;
use super::frontmatter;
use super::inline::{self, Defs, Virt};
use super::jsx::{self, TagScan};
use super::*;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug)]
enum CKind {
    Quote,
    Item { indent: usize, marker: u8, ordered: bool },
    Directive { fence: usize, indent: usize, adm: usize },
}

#[derive(Debug)]
struct Container {
    kind: CKind,
    /// Open JSX flow elements (indices in `doc.jsx`), closed within this container.
    jsx: Vec<usize>,
    initial_blank: bool,
    further_blank: bool,
}

impl Container {
    fn mdast_name(&self) -> &'static str {
        match self.kind {
            CKind::Quote => "blockquote",
            CKind::Item { .. } => "listItem",
            CKind::Directive { .. } => "containerDirective",
        }
    }
}

#[derive(Debug)]
enum Leaf {
    None,
    Para {
        lines: Vec<(usize, usize)>,
    },
    Table {
        rows: Vec<(usize, usize)>,
    },
    Fence {
        marker: u8,
        size: usize,
        indent: usize,
        start: usize,
        info: (Option<String>, Option<String>),
        value: String,
        first: bool,
        content_start: usize,
        last_end: usize,
    },
}

enum PendingKind {
    Para,
    Heading(usize),
    Cell,
}

struct Pending<'a> {
    kind: PendingKind,
    virt: Virt<'a>,
    escaped_brace: Option<usize>,
}

#[derive(Clone, Copy)]
struct Cur {
    i: usize,
    col: usize,
    /// Columns of a tab only partly consumed: they count as spaces still to come.
    extra: usize,
}

struct P<'a, 'd> {
    s: &'a str,
    b: &'a [u8],
    opts: &'a ParseOptions,
    doc: &'d mut Document,
    containers: Vec<Container>,
    top_jsx: Vec<usize>,
    leaf: Leaf,
    pending: Vec<Pending<'a>>,
    defs: HashMap<String, String>,
    skip_until: usize,
    line_start: usize,
}

pub(super) fn parse_document(text: &str, opts: &ParseOptions, doc: &mut Document) {
    let mut start = 0;
    if let Some((fm, body)) = frontmatter::split(text) {
        doc.front_matter = Some(fm);
        start = body;
    }
    let mut p = P {
        s: text,
        b: text.as_bytes(),
        opts,
        doc,
        containers: Vec::new(),
        top_jsx: Vec::new(),
        leaf: Leaf::None,
        pending: Vec::new(),
        defs: HashMap::new(),
        skip_until: 0,
        line_start: 0,
    };
    let b = text.as_bytes();
    let mut pos = start;
    while pos < b.len() {
        let nl = memchr::memchr(b'\n', &b[pos..]).map(|k| pos + k);
        let next = nl.map_or(b.len(), |k| k + 1);
        let mut le = nl.unwrap_or(b.len());
        if le > pos && b[le - 1] == b'\r' {
            le -= 1;
        }
        if pos >= p.skip_until {
            p.line_start = pos;
            p.line(pos, le);
        }
        pos = next;
    }
    p.close_leaf();
    while !p.containers.is_empty() {
        p.close_container(text.len(), false);
    }
    for &j in p.top_jsx.iter().rev() {
        let e = &p.doc.jsx[j];
        let err = MdxError {
            span: e.open_tag,
            reason: format!("Expected a closing tag for `<{}>` before the end of the document", e.name),
            kind: MdxErrorKind::Other,
        };
        p.doc.mdx_errors.push(err);
    }
    p.inline_phase();
    finish(p.doc);
}

fn col_width(c: u8, col: usize) -> usize {
    if c == b'\t' { 4 - col % 4 } else { 1 }
}

impl<'a, 'd> P<'a, 'd> {
    /// Consume up to `max_cols` columns of indentation. A tab that reaches past the limit is
    /// consumed, and its remaining columns stay in `extra` (micromark's virtual spaces).
    fn skip_ws(&self, c: &mut Cur, le: usize, max_cols: usize) {
        let mut budget = max_cols;
        let take = c.extra.min(budget);
        c.extra -= take;
        c.col += take;
        budget -= take;
        while budget > 0 && c.i < le && (self.b[c.i] == b' ' || self.b[c.i] == b'\t') {
            let w = col_width(self.b[c.i], c.col);
            if w <= budget {
                c.col += w;
                budget -= w;
            } else {
                c.col += budget;
                c.extra = w - budget;
                budget = 0;
            }
            c.i += 1;
        }
    }

    fn is_blank(&self, from: usize, le: usize) -> bool {
        self.b[from..le].iter().all(|&c| c == b' ' || c == b'\t')
    }

    fn line(&mut self, ls: usize, le: usize) {
        let mut c = Cur { i: ls, col: 0, extra: 0 };
        let n = self.containers.len();
        let mut matched = 0;
        let blank_line = self.is_blank(ls, le);
        while matched < n {
            match self.containers[matched].kind {
                CKind::Quote => {
                    let mut t = c;
                    self.skip_ws(&mut t, le, usize::MAX);
                    if t.i < le && self.b[t.i] == b'>' {
                        t.i += 1;
                        t.col += 1;
                        if t.i < le && (self.b[t.i] == b' ' || self.b[t.i] == b'\t') {
                            t.col += col_width(self.b[t.i], t.col);
                            t.i += 1;
                        }
                        c = t;
                        matched += 1;
                    } else {
                        break;
                    }
                }
                CKind::Item { indent, .. } => {
                    let rest_blank = self.is_blank(c.i, le);
                    if rest_blank {
                        self.skip_ws(&mut c, le, indent);
                        let cont = &mut self.containers[matched];
                        cont.further_blank = cont.further_blank || cont.initial_blank;
                        matched += 1;
                    } else {
                        let mut t = c;
                        self.skip_ws(&mut t, le, indent);
                        let cont = &mut self.containers[matched];
                        if cont.further_blank || t.col - c.col < indent {
                            break;
                        }
                        cont.further_blank = false;
                        cont.initial_blank = false;
                        c = t;
                        matched += 1;
                    }
                }
                CKind::Directive { fence, indent, .. } => {
                    if self.closing_fence(c.i, le, fence) {
                        // Everything inside the directive ends with it.
                        while self.containers.len() > matched + 1 {
                            self.close_container(self.line_start, false);
                        }
                        self.close_leaf();
                        self.close_container(le, true);
                        return;
                    }
                    self.skip_ws(&mut c, le, indent);
                    matched += 1;
                }
            }
        }

        if matched == n
            && let Leaf::Fence { .. } = self.leaf
        {
            self.fence_line(c, le);
            return;
        }

        // New containers.
        let lazy_para = matches!(self.leaf, Leaf::Para { .. });
        let mut opened = false;
        loop {
            let base = c;
            let mut t = c;
            self.skip_ws(&mut t, le, usize::MAX);
            if t.i >= le {
                break;
            }
            let ch = self.b[t.i];
            if ch == b'>' {
                self.close_for_new_container(matched);
                self.close_leaf_if(opened || matched < n);
                t.i += 1;
                t.col += 1;
                if t.i < le && (self.b[t.i] == b' ' || self.b[t.i] == b'\t') {
                    t.col += col_width(self.b[t.i], t.col);
                    t.i += 1;
                }
                self.close_leaf();
                self.containers.push(Container {
                    kind: CKind::Quote,
                    jsx: Vec::new(),
                    initial_blank: false,
                    further_blank: false,
                });
                matched = self.containers.len();
                opened = true;
                c = t;
                continue;
            }
            if self.thematic_break(t.i, le) {
                break;
            }
            if let Some((ordered, marker, start_num, after_marker)) = self.list_marker(t.i, le) {
                let rest_blank = self.is_blank(after_marker, le);
                let sibling = matched < self.containers.len()
                    && matches!(self.containers[matched].kind, CKind::Item { marker: m, ordered: o, .. } if m == marker && o == ordered);
                let interrupts = lazy_para && !opened && !sibling;
                if !(interrupts && (rest_blank || (ordered && start_num != 1))) {
                    self.close_for_new_container(matched);
                    self.close_leaf();
                    let marker_cols = after_marker - t.i;
                    let mut u = Cur { i: after_marker, col: t.col + marker_cols, extra: 0 };
                    let indent;
                    if rest_blank {
                        indent = u.col + 1 - base.col;
                        u.i = le;
                    } else {
                        self.skip_ws(&mut u, le, usize::MAX);
                        indent = u.col - base.col;
                    }
                    self.containers.push(Container {
                        kind: CKind::Item { indent, marker, ordered },
                        jsx: Vec::new(),
                        initial_blank: rest_blank,
                        further_blank: false,
                    });
                    matched = self.containers.len();
                    opened = true;
                    c = u;
                    continue;
                }
            }
            if ch == b':'
                && let Some(d) = self.directive_opener(t.i, le)
            {
                self.close_for_new_container(matched);
                self.close_leaf();
                let indent = t.col - base.col;
                let adm = self.doc.admonitions.len();
                self.doc.admonitions.push(Admonition {
                    kind: d.name,
                    title: d.title,
                    span: Span::new(t.i, le),
                    opener: Span::new(t.i, d.end),
                    fence: d.fence as u8,
                    closed: false,
                    parent: None,
                });
                self.containers.push(Container {
                    kind: CKind::Directive { fence: d.fence, indent, adm },
                    jsx: Vec::new(),
                    initial_blank: false,
                    further_blank: false,
                });
                return;
            }
            break;
        }

        let mut t = c;
        self.skip_ws(&mut t, le, usize::MAX);
        let blank = t.i >= le;
        if matched < self.containers.len() {
            // Not every container continued: a lazy paragraph line, or the containers end.
            if !opened && !blank && matches!(self.leaf, Leaf::Para { .. }) && !self.interrupts(t, le) {
                if let Leaf::Para { lines } = &mut self.leaf {
                    lines.push((t.i, le));
                }
                return;
            }
            self.close_unmatched(matched);
        }
        if blank {
            let _ = blank_line;
            self.close_leaf();
            return;
        }
        self.leaf_line(t, le);
    }

    fn close_unmatched(&mut self, matched: usize) {
        if matched < self.containers.len() {
            self.close_leaf();
            while self.containers.len() > matched {
                self.close_container(self.line_start, false);
            }
        }
    }

    /// Close unmatched containers because a new container starts on this line: micromark then
    /// closes their flow after the previous line's ending, so an open code block ends there.
    fn close_for_new_container(&mut self, matched: usize) {
        if matched < self.containers.len() {
            if let Leaf::Fence { last_end, .. } = &mut self.leaf {
                *last_end = self.line_start;
            }
            self.close_leaf();
            while self.containers.len() > matched {
                self.close_container(self.line_start, false);
            }
        }
    }

    fn close_leaf_if(&mut self, cond: bool) {
        if cond {
            self.close_leaf();
        }
    }

    /// Whether a lazy line starts a block that ends the paragraph.
    fn interrupts(&self, t: Cur, le: usize) -> bool {
        let ch = self.b[t.i];
        match ch {
            b'#' => self.atx(t.i, le).is_some(),
            b'`' | b'~' => self.fence_open(t.i, le).is_some(),
            b'*' | b'-' | b'_' if self.thematic_break(t.i, le) => true,
            b'>' => true,
            b'<' | b'{' => matches!(self.flow_tags(t.i), Flow::Tags(..) | Flow::Error(..)),
            b':' => self.directive_opener(t.i, le).is_some(),
            _ => {
                if let Some((ordered, _, n, after)) = self.list_marker(t.i, le) {
                    return !self.is_blank(after, le) && (!ordered || n == 1);
                }
                false
            }
        }
    }

    fn leaf_line(&mut self, t: Cur, le: usize) {
        let b = self.b;
        let ch = b[t.i];
        // Setext underline.
        if (ch == b'=' || ch == b'-')
            && let Leaf::Para { lines } = &self.leaf
        {
            let mut j = t.i;
            while j < le && b[j] == ch {
                j += 1;
            }
            if self.is_blank(j, le) {
                let lines = lines.clone();
                self.leaf = Leaf::None;
                let start = lines[0].0;
                let mut v = Virt::default();
                for &(a, e) in &lines {
                    v.push_line(self.s, a, e);
                }
                self.push_heading(
                    if ch == b'=' { 1 } else { 2 },
                    Span::new(start, le),
                    Span::new(start, lines.last().map_or(start, |l| l.1)),
                    v,
                    true,
                    None,
                );
                return;
            }
        }
        if self.thematic_break(t.i, le) {
            self.close_leaf();
            return;
        }
        match ch {
            b'#' => {
                if let Some((depth, cs, ce)) = self.atx(t.i, le) {
                    self.close_leaf();
                    let mut v = Virt::default();
                    v.push_line(self.s, cs, ce);
                    let mut escaped = None;
                    if self.opts.mdx1_heading_ids && t.i == self.line_start {
                        escaped = self.s[cs..ce].find("{#");
                    }
                    self.push_heading(depth, Span::new(t.i, le), Span::new(cs, ce), v, false, escaped);
                    return;
                }
            }
            b'`' | b'~' => {
                if let Some((marker, size, info_end)) = self.fence_open(t.i, le) {
                    self.close_leaf();
                    let info = self.s[t.i + size..info_end].trim_matches([' ', '\t']);
                    let (lang, meta) = match info.find([' ', '\t']) {
                        Some(k) => (
                            Some(inline::unescape(&info[..k])),
                            Some(inline::unescape(info[k..].trim_start_matches([' ', '\t']))),
                        ),
                        None if info.is_empty() => (None, None),
                        None => (Some(inline::unescape(info)), None),
                    };
                    let base_col = self.container_content_col(t);
                    self.leaf = Leaf::Fence {
                        marker,
                        size,
                        indent: base_col,
                        start: t.i,
                        info: (lang, meta),
                        value: String::new(),
                        first: true,
                        content_start: le,
                        last_end: le,
                    };
                    return;
                }
            }
            b'<' | b'{' if self.flow_line(t.i) => return,
            b'i' | b'e'
                if self.containers.is_empty()
                    && t.i == self.line_start
                    && !matches!(self.leaf, Leaf::Para { .. })
                    && ["import ", "export ", "import{", "export{"].iter().any(|k| self.s[t.i..].starts_with(k)) =>
            {
                self.close_leaf();
                self.esm(t.i);
                return;
            }
            b'[' if matches!(self.leaf, Leaf::None) && self.definition(t.i, le) => return,
            b':' => {
                let colons = b[t.i..le].iter().take_while(|&&c| c == b':').count();
                if colons >= 3 && self.is_blank(t.i + colons, le) {
                    self.doc.stray_fences.push(Span::new(t.i, t.i + colons));
                }
                if b[t.i..le].starts_with(b"::") && !b[t.i..le].starts_with(b":::") && self.leaf_directive(t.i, le) {
                    self.close_leaf();
                    return;
                }
                if let Some((kind, title_at)) = self.legacy_admonition(t.i, le) {
                    let title = self.s[title_at..le].trim().to_string();
                    self.doc.legacy_admonitions.push(LegacyAdmonition {
                        kind,
                        title,
                        span: Span::new(t.i, le),
                        title_span: Span::new(title_at, le),
                    });
                }
            }
            _ => {}
        }
        // Table delimiter row after a one-line paragraph.
        if let Leaf::Para { lines } = &self.leaf
            && lines.len() == 1
            && let Some(cols) = self.delimiter_row(t.i, le)
            && cols == count_cells(&self.s[lines[0].0..lines[0].1])
        {
            let header = lines[0];
            self.leaf = Leaf::Table { rows: vec![header] };
            return;
        }
        match &mut self.leaf {
            Leaf::Para { lines } => lines.push((t.i, le)),
            // Body rows need no pipe: a line without one is a one-cell row.
            Leaf::Table { rows } => rows.push((t.i, le)),
            _ => {
                self.close_leaf();
                self.leaf = Leaf::Para { lines: vec![(t.i, le)] };
            }
        }
    }

    /// Column where the innermost container's content starts on this line (for fence indents).
    fn container_content_col(&self, t: Cur) -> usize {
        // `t.col` counts from the line start; the fence's own indent is what lies between the
        // container prefix and the fence. Recompute the prefix width by re-walking the line.
        let mut c = Cur { i: self.line_start, col: 0, extra: 0 };
        for cont in &self.containers {
            match cont.kind {
                CKind::Quote => {
                    self.skip_ws(&mut c, t.i, usize::MAX);
                    if c.i < t.i && self.b[c.i] == b'>' {
                        c.i += 1;
                        c.col += 1;
                        if c.i < t.i && (self.b[c.i] == b' ' || self.b[c.i] == b'\t') {
                            c.col += col_width(self.b[c.i], c.col);
                            c.i += 1;
                        }
                    }
                }
                CKind::Item { indent, .. } | CKind::Directive { indent, .. } => {
                    let mut u = c;
                    self.skip_ws(&mut u, t.i, indent);
                    // On the item's first line the prefix is the marker, not whitespace.
                    if u.i == c.i || u.col - c.col < indent {
                        c.col += indent;
                        c.i = t.i.min(c.i + indent);
                    } else {
                        c = u;
                    }
                }
            }
        }
        t.col.saturating_sub(c.col.min(t.col))
    }

    fn fence_line(&mut self, c: Cur, le: usize) {
        let Leaf::Fence { marker, size, indent, .. } = self.leaf else { return };
        let mut t = c;
        self.skip_ws(&mut t, le, usize::MAX);
        let mut j = t.i;
        while j < le && self.b[j] == marker {
            j += 1;
        }
        if j - t.i >= size && self.is_blank(j, le) {
            if let Leaf::Fence { last_end, .. } = &mut self.leaf {
                *last_end = le;
            }
            self.close_leaf();
            return;
        }
        let mut u = c;
        self.skip_ws(&mut u, le, indent);
        let line = &self.s[u.i..le];
        if let Leaf::Fence { value, first, content_start, last_end, .. } = &mut self.leaf {
            if *first {
                *content_start = self.line_start;
                *first = false;
            } else {
                value.push('\n');
            }
            value.extend(std::iter::repeat_n(' ', u.extra));
            value.push_str(line);
            *last_end = le;
        }
    }

    fn close_leaf(&mut self) {
        match std::mem::replace(&mut self.leaf, Leaf::None) {
            Leaf::None => {}
            Leaf::Para { lines } => {
                let mut v = Virt::default();
                for &(a, e) in &lines {
                    v.push_line(self.s, a, e);
                }
                self.pending.push(Pending { kind: PendingKind::Para, virt: v, escaped_brace: None });
            }
            Leaf::Table { rows } => {
                for (k, &(a, e)) in rows.iter().enumerate() {
                    if k == 1 && self.delimiter_row(a, e).is_some() {
                        continue;
                    }
                    for (cs, ce) in split_cells(self.b, a, e) {
                        let mut v = Virt::default();
                        v.push_line(self.s, cs, ce);
                        self.pending.push(Pending { kind: PendingKind::Cell, virt: v, escaped_brace: None });
                    }
                }
            }
            Leaf::Fence { start, info, value, content_start, last_end, .. } => {
                let (lang, meta) = info;
                self.doc.code_blocks.push(CodeBlock {
                    lang,
                    meta,
                    value,
                    span: Span::new(start, last_end),
                    content_start: content_start as u32,
                    tab: None,
                });
            }
        }
    }

    fn close_container(&mut self, end: usize, closed: bool) {
        let Some(c) = self.containers.pop() else { return };
        self.close_leaf();
        for &j in c.jsx.iter().rev() {
            let e = &self.doc.jsx[j];
            let err = MdxError {
                span: e.open_tag,
                reason: format!("Expected a closing tag for `<{}>` before the end of `{}`", e.name, c.mdast_name()),
                kind: MdxErrorKind::Other,
            };
            self.doc.mdx_errors.push(err);
        }
        if let CKind::Directive { adm, .. } = c.kind {
            let end = if closed { end } else { self.last_content_end(end) };
            let a = &mut self.doc.admonitions[adm];
            a.closed = closed;
            a.span.end = end as u32;
        }
    }

    /// Where content before `line_start` ends (the end of the previous line).
    fn last_content_end(&self, end: usize) -> usize {
        let mut e = end.min(self.s.len());
        while e > 0 && matches!(self.b[e - 1], b'\n' | b'\r') {
            e -= 1;
        }
        e
    }

    fn jsx_stack(&mut self) -> &mut Vec<usize> {
        match self.containers.last_mut() {
            Some(c) => &mut c.jsx,
            None => &mut self.top_jsx,
        }
    }

    /// JSX tags and expressions alone on their line(s): flow content.
    fn flow_line(&mut self, start: usize) -> bool {
        match self.flow_tags(start) {
            Flow::Not => false,
            Flow::Error(at, reason, comment) => {
                self.close_leaf();
                let span = Span::new(at, (at + 1).min(self.s.len()));
                self.doc.mdx_errors.push(MdxError {
                    span,
                    reason,
                    kind: if comment { MdxErrorKind::HtmlComment } else { MdxErrorKind::Other },
                });
                // The compiler stops at the first error; skip this line.
                true
            }
            Flow::Tags(items, end) => {
                self.close_leaf();
                for item in items {
                    match item {
                        FlowItem::Expr(a, e) => {
                            if let Err(reason) = expr::check_expression(&self.s[a + 1..e - 1]) {
                                self.doc.mdx_errors.push(MdxError {
                                    span: Span::new(a, e),
                                    reason: reason.into(),
                                    kind: MdxErrorKind::Other,
                                });
                            }
                        }
                        FlowItem::Tag(t) => self.flow_tag(t),
                    }
                }
                if end > self.line_start {
                    // A tag spanning lines: skip to the line after it.
                    let nl = memchr::memchr(b'\n', &self.b[end..]).map_or(self.b.len(), |k| end + k + 1);
                    self.skip_until = nl;
                }
                true
            }
        }
    }

    fn flow_tag(&mut self, t: jsx::Tag) {
        let span = Span::new(t.start, t.end);
        if t.closing {
            let top = self.jsx_stack().pop();
            match top {
                Some(j) if self.doc.jsx[j].name == t.name => self.doc.jsx[j].span.end = span.end,
                Some(j) => {
                    let open = self.doc.jsx[j].name.clone();
                    self.doc.mdx_errors.push(MdxError {
                        span,
                        reason: format!(
                            "Unexpected closing tag `</{}>`, expected corresponding closing tag for `<{}>`",
                            t.name, open
                        ),
                        kind: MdxErrorKind::Other,
                    });
                }
                None => {
                    let ctx = self.containers.last().map_or("document", |c| c.mdast_name());
                    self.doc.mdx_errors.push(MdxError {
                        span,
                        reason: format!(
                            "Unexpected closing tag `</{}>`: no open `<{}>` in this {}",
                            t.name, t.name, ctx
                        ),
                        kind: MdxErrorKind::Other,
                    });
                }
            }
        } else {
            self.doc.jsx.push(JsxElement {
                name: t.name,
                attrs: t.attrs,
                span,
                open_tag: span,
                flow: true,
                parent: None,
            });
            if !t.self_closing {
                let j = self.doc.jsx.len() - 1;
                self.jsx_stack().push(j);
            }
        }
    }

    fn flow_tags(&self, start: usize) -> Flow {
        let b = self.b;
        let mut i = start;
        let mut items = Vec::new();
        loop {
            match b.get(i) {
                Some(b'<') => match jsx::scan_tag(self.s, i, self.s.len()) {
                    TagScan::NotATag => return Flow::Not,
                    TagScan::Error { at, reason } => {
                        let comment = self.s[i..].starts_with("<!--");
                        return Flow::Error(at, reason, comment);
                    }
                    TagScan::Tag(t) => {
                        i = t.end;
                        items.push(FlowItem::Tag(t));
                    }
                },
                Some(b'{') => match expr::matching_brace(b, i) {
                    None => {
                        return Flow::Error(
                            i,
                            "Unexpected end of file in expression, expected a corresponding closing brace for `{`"
                                .into(),
                            false,
                        );
                    }
                    Some(close) => {
                        items.push(FlowItem::Expr(i, close + 1));
                        i = close + 1;
                    }
                },
                _ => return Flow::Not,
            }
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
            match b.get(i) {
                None | Some(b'\n') | Some(b'\r') => {
                    let line_end = i;
                    // `end` is the offset of the last line of the construct when it spans lines.
                    let last_line_start = self.s[..line_end].rfind('\n').map_or(0, |k| k + 1);
                    let end = if last_line_start > self.line_start { last_line_start } else { 0 };
                    return Flow::Tags(items, end);
                }
                Some(b'<') | Some(b'{') => continue,
                _ => return Flow::Not,
            }
        }
    }

    fn esm(&mut self, start: usize) {
        // ESM runs to the next blank line, unless braces are still open.
        let b = self.b;
        let mut i = start;
        let mut depth = 0i32;
        let mut end = b.len();
        while i < b.len() {
            match b[i] {
                b'{' | b'(' | b'[' => depth += 1,
                b'}' | b')' | b']' => depth -= 1,
                b'\'' | b'"' | b'`' => {
                    let q = b[i];
                    i += 1;
                    while i < b.len() && b[i] != q && (q == b'`' || b[i] != b'\n') {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                b'\n' => {
                    let mut j = i + 1;
                    while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\r') {
                        j += 1;
                    }
                    if depth <= 0 && (j >= b.len() || b[j] == b'\n') {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let block = &self.s[start..end];
        let mut off = 0;
        for line in block.split_inclusive('\n') {
            let at = start + off;
            off += line.len();
            if !line.starts_with("import") {
                continue;
            }
            // The statement may continue on following lines.
            let stmt_end = find_statement_end(&self.s[at..end]).map_or(end, |k| at + k);
            if let Some((source, range, names)) = expr::parse_import(&self.s[at..stmt_end]) {
                self.doc.imports.push(Import {
                    source,
                    names,
                    span: Span::new(at, stmt_end),
                    source_span: Span::new(at + range.start, at + range.end),
                });
            }
        }
        self.skip_until = memchr::memchr(b'\n', &b[end.min(b.len())..]).map_or(b.len(), |k| end + k + 1).max(end);
    }

    fn definition(&mut self, i: usize, le: usize) -> bool {
        let b = self.b;
        if b.get(i + 1) == Some(&b'^') {
            return false;
        }
        let mut k = i + 1;
        while k < le && b[k] != b']' {
            if b[k] == b'[' {
                return false;
            }
            if b[k] == b'\\' {
                k += 1;
            }
            k += 1;
        }
        if k >= le || b.get(k + 1) != Some(&b':') || k == i + 1 {
            return false;
        }
        let label = &self.s[i + 1..k];
        if label.trim().is_empty() {
            return false;
        }
        let mut j = k + 2;
        while j < le && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if j >= le {
            return false;
        }
        let (us, ue, next) = if b[j] == b'<' {
            match self.s[j + 1..le].find('>') {
                Some(e) => (j + 1, j + 1 + e, j + 2 + e),
                None => return false,
            }
        } else {
            let mut e = j;
            while e < le && b[e] > b' ' {
                e += 1;
            }
            (j, e, e)
        };
        let rest = self.s[next..le].trim();
        let title = if rest.is_empty() {
            None
        } else if rest.len() >= 2
            && ((rest.starts_with('"') && rest.ends_with('"'))
                || (rest.starts_with('\'') && rest.ends_with('\''))
                || (rest.starts_with('(') && rest.ends_with(')')))
        {
            Some(inline::unescape(&rest[1..rest.len() - 1]))
        } else {
            return false;
        };
        if next < le && !(b[next] == b' ' || b[next] == b'\t') && !rest.is_empty() {
            return false;
        }
        let key = inline::normalize_label(label);
        let url = inline::unescape(&self.s[us..ue]);
        self.defs.entry(key.clone()).or_insert_with(|| url.clone());
        self.doc.definitions.push(Definition {
            label: key,
            url,
            title,
            span: Span::new(i, le),
            url_span: Span::new(us, ue),
        });
        true
    }

    fn atx(&self, i: usize, le: usize) -> Option<(u8, usize, usize)> {
        let b = self.b;
        let mut n = 0;
        while i + n < le && b[i + n] == b'#' {
            n += 1;
        }
        if n == 0 || n > 6 || (i + n < le && b[i + n] != b' ' && b[i + n] != b'\t') {
            return None;
        }
        let mut cs = i + n;
        while cs < le && (b[cs] == b' ' || b[cs] == b'\t') {
            cs += 1;
        }
        let mut ce = le;
        while ce > cs && (b[ce - 1] == b' ' || b[ce - 1] == b'\t') {
            ce -= 1;
        }
        // Closing sequence.
        let mut k = ce;
        while k > cs && b[k - 1] == b'#' {
            k -= 1;
        }
        if k < ce && (k == cs || b[k - 1] == b' ' || b[k - 1] == b'\t') {
            ce = k;
            while ce > cs && (b[ce - 1] == b' ' || b[ce - 1] == b'\t') {
                ce -= 1;
            }
        }
        Some((n as u8, cs, ce.max(cs)))
    }

    /// `(marker, size, end of info)` for an opening fence.
    fn fence_open(&self, i: usize, le: usize) -> Option<(u8, usize, usize)> {
        let b = self.b;
        let m = b[i];
        let mut n = 0;
        while i + n < le && b[i + n] == m {
            n += 1;
        }
        if n < 3 {
            return None;
        }
        if m == b'`' && b[i + n..le].contains(&b'`') {
            return None;
        }
        Some((m, n, le))
    }

    fn closing_fence(&self, i: usize, le: usize, fence: usize) -> bool {
        let b = self.b;
        let mut j = i;
        while j < le && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        let s = j;
        while j < le && b[j] == b':' {
            j += 1;
        }
        j - s >= fence && self.is_blank(j, le)
    }

    fn thematic_break(&self, i: usize, le: usize) -> bool {
        let b = self.b;
        let m = b[i];
        if !matches!(m, b'*' | b'-' | b'_') {
            return false;
        }
        let mut n = 0;
        for &c in &b[i..le] {
            if c == m {
                n += 1;
            } else if c != b' ' && c != b'\t' {
                return false;
            }
        }
        n >= 3
    }

    /// `(ordered, marker, start number, offset after the marker)`.
    fn list_marker(&self, i: usize, le: usize) -> Option<(bool, u8, u32, usize)> {
        let b = self.b;
        let c = b[i];
        let ok_after = |j: usize| j >= le || b[j] == b' ' || b[j] == b'\t';
        if matches!(c, b'-' | b'+' | b'*') {
            return ok_after(i + 1).then_some((false, c, 0, i + 1));
        }
        let mut j = i;
        while j < le && b[j].is_ascii_digit() && j - i < 9 {
            j += 1;
        }
        if j == i || j >= le || !matches!(b[j], b'.' | b')') || !ok_after(j + 1) {
            return None;
        }
        let n = self.s[i..j].parse().unwrap_or(0);
        Some((true, b[j], n, j + 1))
    }

    fn directive_opener(&self, i: usize, le: usize) -> Option<DirectiveOpen> {
        let b = self.b;
        let mut j = i;
        while j < le && b[j] == b':' {
            j += 1;
        }
        let fence = j - i;
        if fence < 3 {
            return None;
        }
        let ns = j;
        if !(j < le && b[j].is_ascii_alphabetic()) {
            return None;
        }
        while j < le && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_') {
            j += 1;
        }
        if matches!(b[j - 1], b'-' | b'_') {
            return None;
        }
        let name = self.s[ns..j].to_string();
        let mut title = None;
        if j < le && b[j] == b'[' {
            let mut depth = 0;
            let mut k = j;
            while k < le {
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
            if k < le {
                title = Some(self.s[j + 1..k].to_string());
                j = k + 1;
            }
        }
        if j < le && b[j] == b'{' {
            let close = self.s[j..le].find('}')?;
            let attrs = &self.s[j + 1..j + close];
            if title.is_none()
                && let Some(p) = attrs.find("title=")
            {
                let v = attrs[p + 6..].trim_start();
                if let Some(q) = v.chars().next().filter(|q| *q == '"' || *q == '\'')
                    && let Some(e) = v[1..].find(q)
                {
                    title = Some(v[1..1 + e].to_string());
                }
            }
            j += close + 1;
        }
        let end = j;
        if !self.is_blank(j, le) {
            if self.opts.mdx1_admonitions && title.is_none() && (b[j] == b' ' || b[j] == b'\t') {
                let t = self.s[j..le].trim();
                return Some(DirectiveOpen { name, title: Some(t.to_string()), fence, end: le });
            }
            return None;
        }
        Some(DirectiveOpen { name, title, fence, end })
    }

    fn legacy_admonition(&self, i: usize, le: usize) -> Option<(String, usize)> {
        let b = self.b;
        let mut j = i;
        while j < le && b[j] == b':' {
            j += 1;
        }
        if j - i < 3 {
            return None;
        }
        let ns = j;
        while j < le && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        if j == ns || j >= le || (b[j] != b' ' && b[j] != b'\t') || self.is_blank(j, le) {
            return None;
        }
        Some((self.s[ns..j].to_string(), j))
    }

    fn leaf_directive(&self, i: usize, le: usize) -> bool {
        let b = self.b;
        let mut j = i + 2;
        if !(j < le && b[j].is_ascii_alphabetic()) {
            return false;
        }
        while j < le && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_') {
            j += 1;
        }
        if j < le && b[j] == b'[' {
            match self.s[j..le].find(']') {
                Some(k) => j += k + 1,
                None => return false,
            }
        }
        if j < le && b[j] == b'{' {
            match self.s[j..le].find('}') {
                Some(k) => j += k + 1,
                None => return false,
            }
        }
        self.is_blank(j, le)
    }

    /// The number of cells of a GFM table delimiter row, if this line is one.
    fn delimiter_row(&self, i: usize, le: usize) -> Option<usize> {
        let line = self.s[i..le].trim();
        if !line.contains('-') || !line.bytes().all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t')) {
            return None;
        }
        let inner = line.strip_prefix('|').unwrap_or(line);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        let mut n = 0;
        for cell in inner.split('|') {
            let c = cell.trim();
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            if c.is_empty() || !c.bytes().all(|x| x == b'-') {
                return None;
            }
            n += 1;
        }
        if n == 1 && !line.contains('|') {
            return None;
        }
        Some(n)
    }

    fn push_heading(&mut self, depth: u8, span: Span, content: Span, virt: Virt<'a>, setext: bool, escaped: Option<usize>) {
        let idx = self.doc.headings.len();
        self.doc.headings.push(Heading { depth, span, content, text: String::new(), explicit_id: None, setext });
        self.pending.push(Pending { kind: PendingKind::Heading(idx), virt, escaped_brace: escaped });
    }

    fn inline_phase(&mut self) {
        let defs = Defs { urls: &self.defs };
        for p in std::mem::take(&mut self.pending) {
            let want_text = matches!(p.kind, PendingKind::Heading(_));
            let mut out = inline::parse(&p.virt, &defs, p.escaped_brace, want_text);
            if let PendingKind::Heading(h) = p.kind {
                let heading = &mut self.doc.headings[h];
                let mut text = std::mem::take(&mut out.text);
                // Docusaurus: a trailing `{/* #id */}` comment is the id.
                if let Some((vs, ve, src)) = &out.trailing_expr
                    && expr::is_comment_only(src)
                    && let Some(id) = comment_id(src)
                    && text.trim_end().ends_with(src.as_str())
                {
                    let keep = text.trim_end().len() - src.len();
                    text.truncate(keep);
                    let t = text.trim_end().len();
                    text.truncate(t);
                    heading.explicit_id =
                        Some(ExplicitId { id, syntax: IdSyntax::Comment, span: p.virt.span(*vs, *ve) });
                } else if let Some((vs, ve, src)) = &out.trailing_expr
                    && src.trim_start().starts_with('#')
                    && !src.contains('\n')
                {
                    // `{#id}` with mdx1Compat off: acorn fails on it.
                    let span = p.virt.span(*vs, *ve);
                    for e in &mut out.errors {
                        if span.contains(e.span) {
                            e.kind = MdxErrorKind::HeadingId;
                        }
                    }
                    heading.explicit_id =
                        Some(ExplicitId { id: src.trim_start()[1..].trim().to_string(), syntax: IdSyntax::Bare, span });
                    let keep = text.trim_end().len().saturating_sub(src.len());
                    text.truncate(keep);
                    let t = text.trim_end().len();
                    text.truncate(t);
                } else if let Some((before, id, at)) = classic_id(&text) {
                    // `\{#id}` (or `{#id}` escaped by the mdx1 preprocessor).
                    let raw = &self.s[heading.content.range()];
                    let brace = raw.rfind("{#");
                    let escaped = brace.is_some_and(|k| k > 0 && raw.as_bytes()[k - 1] == b'\\');
                    let span = match brace {
                        Some(k) => Span::new(
                            heading.content.start as usize + k - usize::from(escaped),
                            heading.content.end as usize,
                        ),
                        None => heading.content,
                    };
                    let _ = at;
                    heading.explicit_id =
                        Some(ExplicitId { id, syntax: if escaped { IdSyntax::Escaped } else { IdSyntax::Bare }, span });
                    text = before;
                }
                heading.text = text;
            }
            self.doc.links.append(&mut out.links);
            self.doc.jsx.append(&mut out.jsx);
            self.doc.mdx_errors.append(&mut out.errors);
        }
    }
}

enum Flow {
    Not,
    Tags(Vec<FlowItem>, usize),
    Error(usize, String, bool),
}

enum FlowItem {
    Tag(jsx::Tag),
    Expr(usize, usize),
}

struct DirectiveOpen {
    name: String,
    title: Option<String>,
    fence: usize,
    end: usize,
}

/// `/* #id */` → `id` (Docusaurus 3.10 comment syntax).
fn comment_id(src: &str) -> Option<String> {
    let inner = src.trim().strip_prefix("/*")?.strip_suffix("*/")?.trim();
    let first = inner.split(' ').next()?;
    let id = first.strip_prefix('#')?;
    (!id.is_empty()).then(|| id.to_string())
}

/// Docusaurus' `parseMarkdownHeadingId`: `/\s*\{#(?<id>(?:.(?!\{#|\}))*.)\}$/`.
fn classic_id(text: &str) -> Option<(String, String, usize)> {
    let body = text.strip_suffix('}')?;
    let k = body.rfind("{#")?;
    let id = &body[k + 2..];
    if id.is_empty() || id.contains('}') || id.contains('\n') {
        return None;
    }
    let before = text[..k].trim_end_matches(|c: char| c.is_whitespace());
    Some((before.to_string(), id.trim().to_string(), k))
}

fn find_statement_end(s: &str) -> Option<usize> {
    // The end of an import: its closing quote (plus `;`).
    let from = s.find(" from ").map(|k| k + 6).or_else(|| s.find(['\'', '"']))?;
    let rest = &s[from..];
    let q0 = rest.find(['\'', '"'])?;
    let q = rest.as_bytes()[q0];
    let q1 = rest[q0 + 1..].find(q as char)?;
    let mut end = from + q0 + 1 + q1 + 1;
    if s[end..].starts_with(';') {
        end += 1;
    }
    Some(end)
}

fn count_cells(line: &str) -> usize {
    split_cells(line.as_bytes(), 0, line.len()).len()
}

/// Cell content ranges of a table row, split on unescaped `|`.
fn split_cells(b: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut s = start;
    let mut e = end;
    while s < e && (b[s] == b' ' || b[s] == b'\t') {
        s += 1;
    }
    while e > s && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    if s < e && b[s] == b'|' {
        s += 1;
    }
    if e > s && b[e - 1] == b'|' && !(e >= 2 && b[e - 2] == b'\\') {
        e -= 1;
    }
    let mut cells = Vec::new();
    let mut cs = s;
    let mut i = s;
    while i < e {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == b'|' {
            cells.push(trim_cell(b, cs, i));
            cs = i + 1;
        }
        i += 1;
    }
    cells.push(trim_cell(b, cs, e.max(cs)));
    cells
}

fn trim_cell(b: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && (b[s] == b' ' || b[s] == b'\t') {
        s += 1;
    }
    while e > s && (b[e - 1] == b' ' || b[e - 1] == b'\t') {
        e -= 1;
    }
    (s, e)
}

/// Order everything by position and link parents.
fn finish(doc: &mut Document) {
    doc.links.sort_by_key(|l| (l.span.start, l.span.end));
    doc.code_blocks.sort_by_key(|c| c.span.start);
    // JSX: sort, then parents by containment.
    doc.jsx.sort_by_key(|e| (e.span.start, std::cmp::Reverse(e.span.end)));
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..doc.jsx.len() {
        let sp = doc.jsx[i].span;
        while let Some(&top) = stack.last() {
            if doc.jsx[top].span.contains(sp) && doc.jsx[top].span != sp {
                break;
            }
            stack.pop();
        }
        doc.jsx[i].parent = stack.last().map(|&p| p as u32);
        stack.push(i);
    }
    // Admonition parents.
    let mut st: Vec<usize> = Vec::new();
    for i in 0..doc.admonitions.len() {
        let sp = doc.admonitions[i].span;
        while let Some(&top) = st.last() {
            if doc.admonitions[top].span.contains(sp) {
                break;
            }
            st.pop();
        }
        doc.admonitions[i].parent = st.last().map(|&p| p as u32);
        st.push(i);
    }
    // Code blocks: the innermost enclosing TabItem.
    for cb in &mut doc.code_blocks {
        cb.tab = doc
            .jsx
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == "TabItem" && e.span.contains(cb.span))
            .max_by_key(|(_, e)| e.span.start)
            .map(|(i, _)| i as u32);
    }
    // JSX attribute links.
    for e in &doc.jsx {
        for a in &e.attrs {
            if matches!(a.name.as_str(), "to" | "href" | "src")
                && let AttrValue::String(v) = &a.value
            {
                doc.links.push(Link {
                    kind: LinkKind::JsxAttribute,
                    image: a.name == "src",
                    url: v.clone(),
                    label: Some(a.name.clone()),
                    span: a.span,
                    url_span: a.value_span.unwrap_or(a.span),
                    text: String::new(),
                });
            }
        }
    }
    doc.links.sort_by_key(|l| (l.span.start, l.span.end));
    doc.mdx_errors.sort_by_key(|e| e.span.start);
}
