//! Block structure, as micromark reads MDX: containers (block quotes, list items, directive
//! containers) line by line, and leaves (headings, fenced code, paragraphs, tables, JSX flow
//! tags, flow expressions, ESM, definitions). MDX disables indented code and HTML, so any
//! indentation is allowed before a construct, and `<` always starts JSX.
//!
//! Inline content is collected per block as a [`Virt`] and parsed once every definition is known.

use super::expr::{self, ExprKind};
use super::frontmatter;
use super::inline::{self, Defs, Virt};
use super::jsx::{self, TagScan};
use super::*;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug)]
enum CKind {
    Quote,
    Item { indent: usize },
    Directive { fence: usize, indent: usize, adm: usize },
}

#[derive(Debug)]
struct Container {
    kind: CKind,
    /// Its id among the parents of JSX tags ([`P::parents`]).
    id: u32,
    /// Open JSX flow elements (indices in `doc.jsx`), closed within this container.
    jsx: Vec<usize>,
    initial_blank: bool,
    further_blank: bool,
    /// For a directive: the start of the last line it got, when that line was blank. If a
    /// lazy line follows, micromark never gave that line to the directive's content.
    blank_line: Option<usize>,
    /// For a list item: its entry in [`Document::blocks`], whose end is set when it closes.
    block: Option<usize>,
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
        /// The content lines so far: (start, end, columns of a tab left as spaces before
        /// it). The value is built from them once the code ends, in one allocation of its
        /// final size, rather than grown (and copied) line by line.
        lines: Vec<(usize, usize, usize)>,
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

/// A block's inline content, queued until every definition is known. Its lines are a range
/// of [`P::pending_lines`], made into a [`Virt`] only when it is parsed: a queue entry of a
/// few words, not a `Virt` with its own list, keeps the queue (hundreds of entries on a long
/// page) cheap to grow.
struct Pending {
    kind: PendingKind,
    lines: (u32, u32),
    escaped_brace: Option<usize>,
    /// How many directives hold it (micromark tokenizes their content one pass later).
    depth: u32,
}

/// An MDX error with the order in which the compiler meets it: micromark tokenizes flow
/// first, text later, the content of directives one pass later per level (`rank`), then
/// mdast-util-mdx-jsx checks how tags nest (`rank` [`MDAST`]); within a rank, by `key`.
struct Ranked {
    rank: u32,
    key: usize,
    error: MdxError,
}

const MDAST: u32 = u32::MAX;

/// What mdast-util-mdx-jsx sees, in document order, to check how JSX tags nest: tags, and the
/// ends of the nodes that hold them. Sorted by `key` (3 × offset + a slot, see [`P::tag`]).
struct TagEv {
    key: usize,
    parent: u32,
    kind: TagEvKind,
}

enum TagEvKind {
    Tag(inline::TagEvent),
    /// The end of parent `parent`.
    End,
}

/// How an open construct ends when its container does, which decides where code blocks and
/// directives end (micromark's positions).
#[derive(Clone, Copy, Debug)]
enum Close {
    /// The line is lazy or blank outside the container: the construct ends with the last line it
    /// got, before that line's ending.
    Lazy,
    /// The flow inside the container gets the end of its input at this offset: a new container
    /// starts on the line (the offset is the line's start), a directive's closing fence closes
    /// what is inside it, or the document ends.
    Eof(usize),
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
    /// `s` held for sharing: pieces of it are then not copied (see [`SharedStr`]).
    shared: Option<&'a SharedStr>,
    b: &'a [u8],
    opts: &'a ParseOptions,
    doc: &'d mut Document,
    containers: Vec<Container>,
    top_jsx: Vec<usize>,
    /// Errors, to be ordered as the compiler meets them.
    errors: Vec<Ranked>,
    /// Nodes that can hold JSX tags (the root, containers, paragraphs...): start offset, name.
    parents: Vec<(usize, &'static str)>,
    tag_events: Vec<TagEv>,
    leaf: Leaf,
    pending: Vec<Pending>,
    /// The lines of every [`Pending`] entry, in order.
    pending_lines: Vec<(usize, usize)>,
    defs: HashMap<String, String>,
    /// Labels defined outside directives, known before any text is read.
    shallow_defs: std::collections::HashSet<String>,
    /// Definitions inside directives: label, directive depth, offset.
    deep_defs: Vec<(String, u32, usize)>,
    skip_until: usize,
    /// A tag or expression in flow outside directives ran unclosed to the end of the document,
    /// or nested too deep: the compiler stops there, so later lines need not be scanned again
    /// (to the end, or that deep, each).
    flow_ran_off: std::cell::Cell<bool>,
    /// Containers or JSX elements went past [`MAX_NESTING`] (reported once).
    too_deep: bool,
    line_start: usize,
    /// Columns of whitespace before the construct on the current line.
    prefix: usize,
    /// No line opens a container (see `parse_document`).
    no_containers: bool,
    /// Names imported by the ESM blocks so far.
    imported: std::collections::HashSet<String>,
    /// Where the current line's content ends (trailing whitespace excluded): every list item
    /// open around a line asks whether the rest of it is blank, and reading the rest once per
    /// item made deep lists of long lines cubic.
    content_end: usize,
    /// [`P::closing_fence`]'s last reading, for every directive open around a line asks it at
    /// about the same place: (from, line end, where colons start, how many, blank after them).
    fence_read: std::cell::Cell<(usize, usize, usize, usize, bool)>,
    /// The inline parser's working lists, reused by every inline range of the document.
    scratch: inline::Scratch,
    /// The line list of the last paragraph or table closed, emptied, for the next one: a page
    /// has hundreds, and each growing its own list cost more than reading its lines.
    spare_lines: Vec<(usize, usize)>,
    /// The same for the content lines of fenced code ([`Leaf::Fence`]).
    spare_code: Vec<(usize, usize, usize)>,
    /// The cells of a table row ([`split_cells`]), reused from row to row and table to table.
    cells: Vec<(usize, usize)>,
}

/// The block parser's working lists that hold nothing of one document once it is parsed:
/// kept per thread, emptied, from one document to the next, so that after the first few
/// pages they no longer grow (a corpus is thousands of pages, each growing its own lists
/// from nothing cost a realloc and a copy at every doubling).
#[derive(Default)]
struct Workspace {
    scratch: inline::Scratch,
    spare_lines: Vec<(usize, usize)>,
    spare_code: Vec<(usize, usize, usize)>,
    cells: Vec<(usize, usize)>,
    pending: Vec<Pending>,
    pending_lines: Vec<(usize, usize)>,
    parents: Vec<(usize, &'static str)>,
    tag_events: Vec<TagEv>,
    errors: Vec<Ranked>,
}

impl Workspace {
    fn clear(&mut self) {
        self.spare_lines.clear();
        self.spare_code.clear();
        self.cells.clear();
        self.pending.clear();
        self.pending_lines.clear();
        self.parents.clear();
        self.tag_events.clear();
        self.errors.clear();
    }
}

thread_local! {
    /// Taken while a document is parsed (a parse that panics just leaves a fresh one).
    static WORKSPACE: std::cell::Cell<Workspace> = std::cell::Cell::new(Workspace::default());
}

/// Free this thread's [`WORKSPACE`] (see `doc::release_scratch`).
pub(super) fn release_workspace() {
    drop(WORKSPACE.take());
}

/// Finds where a line ends: `\n`, `\r\n` and a lone `\r` all end one, as in CommonMark.
/// `memchr::memchr2` picks the CPU's vector code through a function pointer and builds its
/// searcher again on each call, a large part of its cost on a line of typical length; one
/// searcher per document does that once.
struct LineEnds {
    #[cfg(target_arch = "x86_64")]
    avx2: Option<memchr::arch::x86_64::avx2::memchr::Two>,
}

impl LineEnds {
    fn new() -> Self {
        LineEnds {
            #[cfg(target_arch = "x86_64")]
            avx2: memchr::arch::x86_64::avx2::memchr::Two::new(b'\n', b'\r'),
        }
    }

    #[inline]
    fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(two) = &self.avx2 {
            return two.find(hay);
        }
        memchr::memchr2(b'\n', b'\r', hay)
    }
}

pub(super) fn parse_document(text: &str, shared: Option<&SharedStr>, opts: &ParseOptions, doc: &mut Document) {
    let mut start = 0;
    let mut no_containers = false;
    if let Some((fm, body)) = frontmatter::split(text) {
        doc.front_matter = Some(fm);
        start = body;
    } else if let Some(rest) = text.strip_prefix("---") {
        // An opening front matter fence that nothing closes: micromark's attempt reads the
        // whole document as front matter before it fails, and while it does, no line starts a
        // container (block quotes, list items) that the document then keeps.
        let rest = rest.trim_start_matches([' ', '\t']);
        no_containers = rest.starts_with(['\n', '\r']);
    }
    let mut ws = WORKSPACE.take();
    ws.clear();
    ws.parents.push((0, "root"));
    let mut p = P {
        s: text,
        shared,
        b: text.as_bytes(),
        opts,
        doc,
        containers: Vec::new(),
        top_jsx: Vec::new(),
        errors: ws.errors,
        parents: ws.parents,
        tag_events: ws.tag_events,
        leaf: Leaf::None,
        pending: ws.pending,
        pending_lines: ws.pending_lines,
        defs: HashMap::new(),
        shallow_defs: Default::default(),
        deep_defs: Vec::new(),
        skip_until: 0,
        flow_ran_off: std::cell::Cell::new(false),
        too_deep: false,
        line_start: 0,
        prefix: 0,
        no_containers,
        imported: Default::default(),
        content_end: 0,
        fence_read: std::cell::Cell::new((usize::MAX, 0, 0, 0, false)),
        scratch: ws.scratch,
        spare_lines: ws.spare_lines,
        spare_code: ws.spare_code,
        cells: ws.cells,
    };
    let b = text.as_bytes();
    let line_ends = LineEnds::new();
    let mut pos = start;
    while pos < b.len() {
        let le = line_ends.find(&b[pos..]).map_or(b.len(), |k| pos + k);
        let next = match b.get(le) {
            Some(b'\r') if b.get(le + 1) == Some(&b'\n') => le + 2,
            Some(_) => le + 1,
            None => le,
        };
        if pos >= p.skip_until {
            p.line_start = pos;
            p.line(pos, le);
        }
        pos = next;
    }
    p.line_start = text.len();
    p.close_to(0, text.len(), text.ends_with(['\n', '\r']), true);
    p.inline_phase();
    p.check_tag_nesting();
    p.errors.sort_by_key(|e| (e.rank, e.key));
    p.doc.mdx_errors.extend(p.errors.drain(..).map(|e| e.error));
    finish(p.doc);
    let mut ws = Workspace {
        scratch: p.scratch,
        spare_lines: p.spare_lines,
        spare_code: p.spare_code,
        cells: p.cells,
        pending: p.pending,
        pending_lines: p.pending_lines,
        parents: p.parents,
        tag_events: p.tag_events,
        errors: p.errors,
    };
    ws.clear();
    WORKSPACE.set(ws);
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

    /// Consume `>` and the one column of whitespace after it; the rest of a tab stays as
    /// virtual spaces for what follows.
    fn quote_prefix(&self, c: &mut Cur, le: usize) {
        c.i += 1;
        c.col += 1;
        c.extra = 0;
        if c.i < le && (self.b[c.i] == b' ' || self.b[c.i] == b'\t') {
            c.extra = col_width(self.b[c.i], c.col) - 1;
            c.col += 1;
            c.i += 1;
        }
    }

    fn is_blank(&self, from: usize, le: usize) -> bool {
        self.b[from..le].iter().all(|&c| c == b' ' || c == b'\t')
    }

    /// The end of line `ls..le` without its trailing whitespace: `from..le` is blank exactly
    /// when `from` is at or past it.
    fn content_end(&self, ls: usize, le: usize) -> usize {
        let mut e = le;
        while e > ls && (self.b[e - 1] == b' ' || self.b[e - 1] == b'\t') {
            e -= 1;
        }
        e
    }

    /// One line. Near linear, not linear: a line costs O(open containers) on top of its length,
    /// as in micromark (each container checks its own continuation), and containers nest at most
    /// [`MAX_NESTING`] deep, so a file of lines inside 512 directives costs 512 steps a line
    /// (cheap ones: directives right inside one another share the line's reading; about 80 ms
    /// for 1 MB of `:::note` lines on a loaded machine). Anything that reads the rest
    /// of the line per container is read once per line instead ([`P::content_end`],
    /// [`P::closing_fence`]).
    fn line(&mut self, ls: usize, le: usize) {
        let mut c = Cur { i: ls, col: 0, extra: 0 };
        self.content_end = self.content_end(ls, le);
        let n = self.containers.len();
        let mut matched = 0;
        while matched < n {
            match self.containers[matched].kind {
                CKind::Quote => {
                    let mut t = c;
                    self.skip_ws(&mut t, le, usize::MAX);
                    if t.i < le && self.b[t.i] == b'>' {
                        self.quote_prefix(&mut t, le);
                        c = t;
                        matched += 1;
                    } else {
                        break;
                    }
                }
                CKind::Item { indent, .. } => {
                    let rest_blank = c.i >= self.content_end;
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
                        // Everything inside the directive ends with it: its content ends.
                        self.close_to(matched + 1, self.line_start, true, true);
                        self.close_container(Close::Eof(self.line_start), Some(le));
                        return;
                    }
                    self.skip_ws(&mut c, le, indent);
                    // Empty once its indentation is gone (whitespace left is content).
                    let empty = c.i >= le && c.extra == 0;
                    let blank_line = empty.then_some(self.line_start);
                    self.containers[matched].blank_line = blank_line;
                    matched += 1;
                    // With no whitespace left to skip, the directives open right inside this
                    // one see the line exactly as it does (same fence reading, same emptiness):
                    // step through them without redoing that work, the cost of deep nesting.
                    if c.extra == 0 && !matches!(self.b.get(c.i), Some(b' ' | b'\t')) {
                        // `closing_fence` just read the line from `c` (or from whitespace
                        // before it), so its reading holds here.
                        let (_, _, _, colons, rest_blank) = self.fence_read.get();
                        while let Some(cont) = self.containers.get_mut(matched)
                            && let CKind::Directive { fence, .. } = cont.kind
                            && !(rest_blank && colons >= fence)
                        {
                            cont.blank_line = blank_line;
                            matched += 1;
                        }
                    }
                }
            }
        }

        if matched == n
            && let Leaf::Fence { .. } = self.leaf
        {
            self.fence_line(c, le);
            return;
        }

        // New containers. micromark "interrupts" (a list item must then start with `1` and
        // not be blank) only when every open container continued and a paragraph is open; the
        // flag holds for the whole line, a block quote opened first included.
        let interrupt = matched == n && matches!(self.leaf, Leaf::Para { .. });
        let mut opened = false;
        // With `no_containers`, directives still open (flow), and containers inside them (their
        // content is a document of its own).
        loop {
            let base = c;
            let mut t = c;
            self.skip_ws(&mut t, le, usize::MAX);
            if t.i >= le {
                break;
            }
            let ch = self.b[t.i];
            if self.containers.len() >= MAX_NESTING
                && (matches!(ch, b'>' | b':') || self.list_marker(t.i, le).is_some())
            {
                // Read no deeper: the rest of the line is content of the innermost container.
                self.nested_too_deep(t.i, "Block quotes, list items and directives");
                break;
            }
            if ch == b'>' && !(self.no_containers && self.depth() == 0) {
                self.close_for_new_container(matched);
                self.quote_prefix(&mut t, le);
                self.close_leaf();
                let id = self.new_parent(t.i - 1, "blockQuote");
                self.containers.push(Container {
                    kind: CKind::Quote,
                    id,
                    jsx: Vec::new(),
                    initial_blank: false,
                    further_blank: false,
                    blank_line: None,
                    block: None,
                });
                matched = self.containers.len();
                opened = true;
                c = t;
                continue;
            }
            if self.thematic_break(t.i, le) {
                break;
            }
            if let Some((ordered, _, start_num, after_marker)) = self.list_marker(t.i, le)
                && !(self.no_containers && self.depth() == 0)
            {
                let rest_blank = self.is_blank(after_marker, le);
                let one = start_num == 1 && after_marker - t.i == 2;
                if !(interrupt && (rest_blank || (ordered && !one))) {
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
                    let id = self.new_parent(t.i, "listItem");
                    let block = Some(self.doc.blocks.len());
                    self.doc.blocks.push(Block {
                        kind: BlockKind::ListItem,
                        span: Span::new(t.i, le),
                        parent: None,
                        depth: 0,
                    });
                    self.containers.push(Container {
                        kind: CKind::Item { indent },
                        id,
                        jsx: Vec::new(),
                        initial_blank: rest_blank,
                        further_blank: false,
                        blank_line: None,
                        block,
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
                // A flow construct, not a container: on a lazy line it ends what the line
                // does not continue as a lazy line does.
                self.close_unmatched(matched);
                self.close_leaf();
                if let Some((a, e)) = d.label {
                    self.push_inline(PendingKind::Para, a, e);
                }
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
                let id = self.new_parent(t.i, "containerDirective");
                self.containers.push(Container {
                    kind: CKind::Directive { fence: d.fence, indent, adm },
                    id,
                    jsx: Vec::new(),
                    initial_blank: false,
                    further_blank: false,
                    blank_line: None,
                    block: None,
                });
                return;
            }
            break;
        }

        let mut t = c;
        self.skip_ws(&mut t, le, usize::MAX);
        let blank = t.i >= le;
        if matched < self.containers.len() {
            // Not every container continued: a lazy paragraph line, or the containers end. A
            // directive (concrete in micromark) ends at a lazy line, and what it holds with it.
            if !opened
                && !blank
                && matches!(self.leaf, Leaf::Para { .. })
                && !self.containers[matched..].iter().any(|c| matches!(c.kind, CKind::Directive { .. }))
                && !self.interrupts(t, le)
            {
                if let Leaf::Para { lines } = &mut self.leaf {
                    lines.push((t.i, le));
                }
                return;
            }
            // A tag or expression that fails here fails as read with the containers still
            // open (micromark's check for an interruption reads on through them).
            let failed = match (opened, self.b.get(t.i), &self.leaf) {
                (false, Some(b'<' | b'{'), Leaf::Para { .. }) => match self.flow_tags(t.i) {
                    Flow::Error(at, reason, comment) => Some((at, reason, comment)),
                    _ => None,
                },
                _ => None,
            };
            self.close_unmatched(matched);
            if let Some((at, reason, comment)) = failed {
                let span = Span::new(at, (at + 1).min(self.s.len()));
                let kind = if comment { MdxErrorKind::HtmlComment } else { MdxErrorKind::Other };
                self.flow_error(MdxError { span, reason, kind });
                return;
            }
        }
        if blank {
            self.close_leaf();
            return;
        }
        // The whitespace before the line's construct, in columns (a fence's indentation).
        self.prefix = t.col - c.col;
        self.leaf_line(t, le);
    }

    /// Close the containers this line does not continue, the line being lazy (or blank).
    fn close_unmatched(&mut self, matched: usize) {
        // A directive whose last line was blank: its content ended before that line, as at
        // the end of its input.
        let skipped = (matched..self.containers.len()).find_map(|k| match self.containers[k].kind {
            CKind::Directive { .. } => self.containers[k].blank_line.map(|at| (k, at)),
            _ => None,
        });
        if let Some((k, at)) = skipped {
            let line_start = std::mem::replace(&mut self.line_start, at);
            self.close_to(k + 1, at, true, true);
            self.line_start = line_start;
        }
        if matched < self.containers.len() {
            self.close_leaf_at(Close::Lazy);
            while self.containers.len() > matched {
                self.close_container(Close::Lazy, None);
            }
        }
    }

    /// Close unmatched containers because a new container starts on this line: micromark then
    /// ends their flow after the previous line's ending, so an open code block ends there.
    fn close_for_new_container(&mut self, matched: usize) {
        if matched < self.containers.len() {
            self.close_to(matched, self.line_start, true, false);
        }
    }

    /// End the flow inside the containers above `keep` at `at` (with `self.line_start == at`):
    /// what it holds gets the end of its input there. A document that ends after a line
    /// ending (`after_eol`) still sees one empty line: block quotes do not continue on it, so
    /// they and what they hold end as at a lazy line. That holds in `document` (the top level
    /// or a directive being closed) and inside every directive among the containers.
    fn close_to(&mut self, keep: usize, at: usize, after_eol: bool, document: bool) {
        let mut inner = document;
        let mut lazy_from = None;
        if after_eol {
            for (i, c) in self.containers.iter().enumerate().skip(keep) {
                match c.kind {
                    CKind::Directive { .. } => inner = true,
                    CKind::Quote if inner => {
                        lazy_from = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
        }
        let mode = |i: usize| if lazy_from.is_some_and(|q| i >= q) { Close::Lazy } else { Close::Eof(at) };
        let leaf = if self.containers.len() > keep { mode(self.containers.len() - 1) } else { Close::Eof(at) };
        self.close_leaf_at(leaf);
        while self.containers.len() > keep {
            let how = mode(self.containers.len() - 1);
            self.close_container(how, None);
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
                // Definitions at the start of the content stay definitions; with nothing after
                // them the underline is no underline (micromark: a paragraph must precede it).
                let used = self.definitions(&lines, false);
                if used == lines.len() {
                    self.close_leaf();
                    if ch == b'=' {
                        self.leaf = Leaf::Para { lines: self.lines_from((t.i, le)) };
                        return;
                    }
                    return self.leaf_line(t, le);
                }
                self.definitions(&lines, true);
                self.leaf = Leaf::None;
                // The heading starts where the content does, definitions included (mdast).
                let start = lines[0].0;
                let lines = &lines[used..];
                self.push_heading(
                    if ch == b'=' { 1 } else { 2 },
                    Span::new(start, le),
                    Span::new(lines[0].0, lines.last().map_or(start, |l| l.1)),
                    lines,
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
                    let mut escaped = None;
                    if self.opts.mdx1_heading_ids && t.i == self.line_start {
                        escaped = self.s[cs..ce].find("{#");
                    }
                    self.push_heading(depth, Span::new(t.i, le), Span::new(cs, ce), &[(cs, ce)], false, escaped);
                    return;
                }
            }
            b'`' | b'~' => {
                if let Some((marker, size, info_end)) = self.fence_open(t.i, le) {
                    self.close_leaf();
                    // The meta runs to the end of the line, trailing whitespace included.
                    let info = self.s[t.i + size..info_end].trim_start_matches([' ', '\t']);
                    let (lang, meta) = match info.find([' ', '\t']) {
                        Some(k) => {
                            let meta = info[k..].trim_start_matches([' ', '\t']);
                            (Some(inline::unescape(&info[..k])), (!meta.is_empty()).then(|| inline::unescape(meta)))
                        }
                        None if info.is_empty() => (None, None),
                        None => (Some(inline::unescape(info)), None),
                    };
                    let base_col = self.prefix;
                    self.leaf = Leaf::Fence {
                        marker,
                        size,
                        indent: base_col,
                        start: t.i,
                        info: (lang, meta),
                        lines: std::mem::take(&mut self.spare_code),
                        first: true,
                        content_start: le,
                        last_end: le,
                    };
                    return;
                }
            }
            b'<' | b'{' if self.flow_line(t.i) => return,
            // ESM: at the start of a line of the document (or of a directive's content, which is
            // a document of its own), not in other containers, not interrupting a paragraph.
            b'i' | b'e'
                if self.containers.iter().all(|c| matches!(c.kind, CKind::Directive { .. }))
                    && self.prefix == 0
                    && !matches!(self.leaf, Leaf::Para { .. })
                    && ["import ", "export ", "import{", "export{"].iter().any(|k| self.s[t.i..].starts_with(k)) =>
            {
                self.close_leaf();
                self.esm(t.i);
                return;
            }
            b':' => {
                let colons = b[t.i..le].iter().take_while(|&&c| c == b':').count();
                if colons >= 3 && self.is_blank(t.i + colons, le) {
                    self.doc.stray_fences.push(Span::new(t.i, t.i + colons));
                }
                if b[t.i..le].starts_with(b"::")
                    && !b[t.i..le].starts_with(b":::")
                    && let Some(label) = self.leaf_directive(t.i, le)
                {
                    self.close_leaf();
                    if let Some((a, e)) = label {
                        self.push_inline(PendingKind::Para, a, e);
                    }
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
        // A table delimiter row: the paragraph's last line is the table's head (a table
        // interrupts a paragraph), the lines before stay a paragraph.
        if let Leaf::Para { lines } = &self.leaf
            && let Some(&header) = lines.last()
            && let Some(cols) = self.delimiter_row(t.i, le)
            && cols == count_cells(&self.s[header.0..header.1])
        {
            if let Leaf::Para { lines } = &mut self.leaf {
                lines.pop();
                if lines.is_empty()
                    && let Leaf::Para { lines } = std::mem::replace(&mut self.leaf, Leaf::None)
                {
                    // Its list, empty, goes on to hold the table's rows.
                    self.spare(lines);
                }
            }
            self.close_leaf();
            self.leaf = Leaf::Table { rows: self.lines_from(header) };
            return;
        }
        match &mut self.leaf {
            Leaf::Para { lines } => lines.push((t.i, le)),
            // Body rows need no pipe: a line without one is a one-cell row.
            Leaf::Table { rows } => rows.push((t.i, le)),
            _ => {
                self.close_leaf();
                self.leaf = Leaf::Para { lines: self.lines_from((t.i, le)) };
            }
        }
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
            self.close_leaf_at(Close::Eof(le));
            return;
        }
        let mut u = c;
        self.skip_ws(&mut u, le, indent);
        // An empty last line (no line ending after it) adds nothing, not even to where the
        // code ends: micromark's position stays after the line ending before it.
        let empty_last = u.i == le && u.extra == 0 && le == self.b.len();
        if let Leaf::Fence { lines, first, content_start, last_end, .. } = &mut self.leaf {
            if *first {
                *content_start = self.line_start;
                *first = false;
                lines.push((u.i, le, u.extra));
            } else if !empty_last {
                lines.push((u.i, le, u.extra));
            }
            *last_end = if empty_last { self.line_start } else { le };
        }
    }

    /// A line list holding `first`, in the spare list's memory when there is one.
    fn lines_from(&mut self, first: (usize, usize)) -> Vec<(usize, usize)> {
        let mut lines = std::mem::take(&mut self.spare_lines);
        lines.push(first);
        lines
    }

    /// Keep `lines` (emptied) for the next paragraph or table.
    fn spare(&mut self, mut lines: Vec<(usize, usize)>) {
        lines.clear();
        self.spare_lines = lines;
    }

    /// End the open leaf because another construct starts.
    fn close_leaf(&mut self) {
        self.close_leaf_at(Close::Lazy);
    }

    fn close_leaf_at(&mut self, how: Close) {
        // Asked at most lines, mostly with nothing open: no need to move the (large) leaf out.
        if matches!(self.leaf, Leaf::None) {
            return;
        }
        match std::mem::replace(&mut self.leaf, Leaf::None) {
            Leaf::None => {}
            Leaf::Para { lines } => {
                let used = self.definitions(&lines, true);
                if used < lines.len() {
                    let span = Span::new(lines[used].0, lines.last().map_or(lines[used].1, |l| l.1));
                    self.doc.blocks.push(Block { kind: BlockKind::Paragraph, span, parent: None, depth: 0 });
                    self.pend(PendingKind::Para, &lines[used..], None);
                }
                self.spare(lines);
            }
            Leaf::Table { rows } => {
                // One list for the cells of every row.
                let mut cells = std::mem::take(&mut self.cells);
                for (k, &(a, e)) in rows.iter().enumerate() {
                    if k == 1 && self.delimiter_row(a, e).is_some() {
                        continue;
                    }
                    self.doc.blocks.push(Block {
                        kind: BlockKind::TableRow,
                        span: Span::new(a, e),
                        parent: None,
                        depth: 0,
                    });
                    split_cells(self.b, a, e, &mut cells);
                    for &cell in &cells {
                        self.pend(PendingKind::Cell, &[cell], None);
                    }
                }
                self.spare(rows);
                self.cells = cells;
            }
            Leaf::Fence { start, info, mut lines, content_start, mut last_end, .. } => {
                match how {
                    // micromark includes the last line ending, and the line after it.
                    // What comes after the last line ending is the code's (nothing at the end
                    // of a document without one).
                    Close::Eof(at) if at >= last_end => {
                        if at > 0 && matches!(self.b[at - 1], b'\n' | b'\r') {
                            last_end = at;
                        }
                    }
                    // The last (blank) line was never the code's: a directive did not pass
                    // it on (see `Container::blank_line`).
                    Close::Eof(at) => {
                        last_end = at;
                        lines.pop();
                    }
                    // The ending of the last line is not part of the code; when that line is
                    // blank (inside a list item), mdast drops the line ending before it.
                    Close::Lazy => {
                        if lines.len() >= 2 && lines.last().is_some_and(|&(a, e, extra)| a == e && extra == 0) {
                            lines.pop();
                        }
                    }
                }
                // The lines joined by line feeds (no line holds one). Lines that follow one
                // another with only a line feed between them and no tab columns (code outside
                // containers, as a rule) are that slice of the source: one copy, not one a line.
                let b = self.b;
                let contiguous = lines.iter().all(|l| l.2 == 0)
                    && lines.windows(2).all(|w| w[1].0 == w[0].1 + 1 && b[w[0].1] == b'\n');
                let value = match (lines.first(), lines.last()) {
                    (Some(&(a, _, _)), Some(&(_, e, _))) if contiguous => match self.shared {
                        Some(text) => text.piece(a, e),
                        None => SharedStr::owned(&self.s[a..e]),
                    },
                    _ => {
                        let len = lines.iter().map(|&(a, e, extra)| e - a + extra + 1).sum::<usize>();
                        let mut value = String::with_capacity(len.saturating_sub(1));
                        for (k, &(a, e, extra)) in lines.iter().enumerate() {
                            if k > 0 {
                                value.push('\n');
                            }
                            if extra > 0 {
                                value.extend(std::iter::repeat_n(' ', extra));
                            }
                            value.push_str(&self.s[a..e]);
                        }
                        value.into()
                    }
                };
                lines.clear();
                self.spare_code = lines;
                let (lang, meta) = info;
                self.doc.code_blocks.push(CodeBlock {
                    lang: lang.map(String::into_boxed_str),
                    meta: meta.map(String::into_boxed_str),
                    value,
                    span: Span::new(start, last_end),
                    content_start: content_start as u32,
                    tab: None,
                });
            }
        }
    }

    /// Close the innermost container; `closing` is the end of a directive's closing fence.
    fn close_container(&mut self, how: Close, closing: Option<usize>) {
        if self.containers.is_empty() {
            return;
        }
        self.close_leaf_at(how);
        let Some(c) = self.containers.pop() else { return };
        let at = match how {
            Close::Lazy => self.line_start,
            Close::Eof(at) => at,
        };
        self.tag_events.push(TagEv { key: 3 * at + 1, parent: c.id, kind: TagEvKind::End });
        if let Some(k) = c.block {
            let end = if matches!(how, Close::Lazy) { self.previous_line_end() } else { at };
            self.doc.blocks[k].span.end = end.max(self.doc.blocks[k].span.start as usize) as u32;
        }
        if let CKind::Directive { adm, .. } = c.kind {
            let end = match (closing, how) {
                (Some(end), _) | (None, Close::Eof(end)) => end,
                (None, Close::Lazy) => self.previous_line_end(),
            };
            let a = &mut self.doc.admonitions[adm];
            a.closed = closing.is_some();
            a.span.end = end as u32;
        }
    }

    /// The end of the line before the current one, without its line ending.
    fn previous_line_end(&self) -> usize {
        let mut e = self.line_start;
        if e > 0 && self.b[e - 1] == b'\n' {
            e -= 1;
        }
        if e > 0 && self.b[e - 1] == b'\r' {
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

    /// JSX tags and expressions alone on their line(s): flow content. micromark tries this at
    /// the start of every line that begins with `<` or `{` (a paragraph's continuation
    /// included), and a syntax error in the attempt stops it even when the line turns out to
    /// be text.
    fn flow_line(&mut self, start: usize) -> bool {
        match self.flow_tags(start) {
            Flow::Not => false,
            Flow::Error(at, reason, comment) => {
                self.close_leaf();
                let at = at.min(self.s.len());
                let span = Span::new(at, (at + 1).min(self.s.len()));
                let kind = if comment { MdxErrorKind::HtmlComment } else { MdxErrorKind::Other };
                self.flow_error(MdxError { span, reason, kind });
                // The compiler stops at the first error; skip this line.
                true
            }
            Flow::Tags(items, end) => {
                self.close_leaf();
                for item in items {
                    if let FlowItem::Tag(t) = item {
                        self.flow_tag(t);
                    }
                }
                if end > self.line_start {
                    // A tag spanning lines: skip to the line after it.
                    self.skip_until = self.next_line_start(self.line_end(end));
                }
                true
            }
        }
    }

    fn flow_tag(&mut self, t: jsx::Tag) {
        let span = Span::new(t.start, t.end);
        let parent = self.containers.last().map_or(0, |c| c.id);
        self.tag(
            parent,
            inline::TagEvent {
                name: t.name.clone(),
                span,
                closing: t.closing,
                self_closing: t.self_closing,
                closing_extra: t.closing_extra,
            },
        );
        if t.closing {
            // Spans only: how tags nest is checked over the document (`check_tag_nesting`).
            let stack = self.jsx_stack();
            if let Some(&j) = stack.last() {
                stack.pop();
                if *self.doc.jsx[j].name == *t.name {
                    self.doc.jsx[j].span.end = span.end;
                }
            }
        } else {
            self.doc.jsx.push(JsxElement {
                name: t.name.into_boxed_str(),
                attrs: t.attrs.into_boxed_slice(),
                span,
                open_tag: span,
                flow: true,
                parent: None,
            });
            if !t.self_closing {
                let j = self.doc.jsx.len() - 1;
                if self.jsx_stack().len() >= MAX_NESTING {
                    self.nested_too_deep(span.start as usize, "JSX elements");
                }
                self.jsx_stack().push(j);
            }
        }
    }

    /// Nesting past [`MAX_NESTING`] at `at`: an error, once per document.
    fn nested_too_deep(&mut self, at: usize, what: &str) {
        if !std::mem::replace(&mut self.too_deep, true) {
            let span = Span::new(at, (at + 1).min(self.s.len()));
            self.flow_error(MdxError { span, reason: super::too_deep(what), kind: MdxErrorKind::Other });
        }
    }

    /// How many directives hold what is parsed now.
    fn depth(&self) -> u32 {
        self.containers.iter().filter(|c| matches!(c.kind, CKind::Directive { .. })).count() as u32
    }

    /// A syntax error in flow content (micromark's first pass, or a directive's).
    fn flow_error(&mut self, error: MdxError) {
        let (rank, key) = (self.depth(), error.span.start as usize);
        self.errors.push(Ranked { rank, key, error });
    }

    /// A new node that can hold JSX tags: its id.
    fn new_parent(&mut self, start: usize, name: &'static str) -> u32 {
        self.parents.push((start, name));
        (self.parents.len() - 1) as u32
    }

    fn tag(&mut self, parent: u32, tag: inline::TagEvent) {
        let key = 3 * tag.span.start as usize + 2;
        self.tag_events.push(TagEv { key, parent, kind: TagEvKind::Tag(tag) });
    }

    /// Queue the inline content on `lines` (at least one).
    fn pend(&mut self, kind: PendingKind, lines: &[(usize, usize)], escaped_brace: Option<usize>) {
        let depth = self.depth();
        let from = self.pending_lines.len() as u32;
        self.pending_lines.extend_from_slice(lines);
        let lines = (from, self.pending_lines.len() as u32);
        self.pending.push(Pending { kind, lines, escaped_brace, depth });
    }

    /// mdast-util-mdx-jsx's checks of how tags nest, over the document in order: a closing tag
    /// must close the innermost open element, in the node that element is in, and a node must
    /// not end with an element of its own open. The compiler stops at the first failure.
    fn check_tag_nesting(&mut self) {
        let mut events = std::mem::take(&mut self.tag_events);
        events.sort_by_key(|e| e.key);
        // Open elements: name, parent, span of the opening tag.
        let mut open: Vec<(String, u32, Span)> = Vec::new();
        let fail = |key: usize, span: Span, reason: String| Ranked {
            rank: MDAST,
            key,
            error: MdxError { span, reason, kind: MdxErrorKind::Other },
        };
        let mut failed = false;
        for ev in &events {
            let error = match &ev.kind {
                TagEvKind::End => match open.last() {
                    Some((name, parent, _)) if *parent == ev.parent => {
                        let (start, node) = self.parents[ev.parent as usize];
                        Some(fail(
                            ev.key,
                            Span::new(start, start + 1),
                            format!("Expected a closing tag for `<{name}>` before the end of `{node}`"),
                        ))
                    }
                    _ => None,
                },
                TagEvKind::Tag(t) if !t.closing => {
                    if !t.self_closing {
                        open.push((t.name.clone(), ev.parent, t.span));
                    }
                    None
                }
                TagEvKind::Tag(t) => match open.last() {
                    None => Some(fail(
                        ev.key,
                        t.span,
                        "Unexpected closing slash `/` in tag, expected an open tag first".to_string(),
                    )),
                    Some(_) if t.closing_extra.is_some() => {
                        let (at, why) = t.closing_extra.unwrap_or((0, ""));
                        Some(fail(ev.key, Span::new(at, at + 1), why.to_string()))
                    }
                    Some((name, _, _)) if *name != t.name => Some(fail(
                        ev.key,
                        t.span,
                        format!(
                            "Unexpected closing tag `</{}>`, expected corresponding closing tag for `<{name}>`",
                            t.name
                        ),
                    )),
                    Some((_, parent, _)) if *parent != ev.parent => {
                        let node = self.parents[*parent as usize].1;
                        Some(fail(
                            ev.key,
                            t.span,
                            format!("Expected the closing tag `</{}>` after the end of `{node}`", t.name),
                        ))
                    }
                    Some(_) => {
                        open.pop();
                        None
                    }
                },
            };
            if let Some(e) = error {
                self.errors.push(e);
                failed = true;
                break;
            }
        }
        // Back to the workspace, its capacity with it.
        self.tag_events = events;
        if failed {
            return;
        }
        if let Some((name, _, span)) = open.pop() {
            // mdast-util-mdx-jsx gives this one no position.
            let key = 3 * self.s.len() + 2;
            self.errors.push(fail(
                key,
                span,
                format!("Expected a closing tag for `<{name}>` before the end of the document"),
            ));
        }
    }

    /// The flow constructs at `start` (tags and expressions separated by whitespace, up to
    /// the end of a line), as micromark reads them: a tag or expression may go on over the
    /// following lines, which then lose their container prefixes; it fails at a lazy line, and
    /// at the end of the flow (a new container, a directive's closing fence, the document's end).
    fn flow_tags(&self, start: usize) -> Flow {
        if self.flow_ran_off.get() {
            return Flow::Not;
        }
        let le = self.line_end(start);
        let mut v = Virt::default();
        v.shared = self.shared;
        v.push_line(self.s, start, le);
        let mut next = self.next_line_start(le);
        let mut flags: Vec<(bool, bool)> = self.containers.iter().map(|c| (c.initial_blank, c.further_blank)).collect();
        let mut end: Option<RegionEnd> = None;
        // Lines are added in batches that double, so that a construct left open over many lines
        // is rescanned a logarithmic number of times, not once per line. A scan that ends
        // (`Done`) within fewer lines ends the same way with more: how a tag or expression
        // ends does not depend on what follows it.
        let mut batch = 1usize;
        loop {
            match flow_items(&v) {
                FlowScan::Done(flow) => {
                    // Past the nesting limit (where the compiler overflows its stack): each later
                    // line would be read that deep again.
                    if matches!(&flow, Flow::Error(_, reason, _) if reason == expr::TOO_DEEP) {
                        self.flow_ran_off.set(true);
                    }
                    return self.map_flow(flow, &v);
                }
                FlowScan::NeedMore(what, at, reason) => {
                    if let Some(end) = end {
                        if matches!(end, RegionEnd::Eof(e) if e == self.s.len()) && self.depth() == 0 {
                            self.flow_ran_off.set(true);
                        }
                        return match end {
                            RegionEnd::Eof(eof) if at >= v.text.len() => Flow::Error(eof, reason, false),
                            RegionEnd::Eof(_) => Flow::Error(v.orig(at), reason, false),
                            RegionEnd::Lazy(at) => Flow::Error(at, what.lazy_reason().to_string(), false),
                        };
                    }
                    for _ in 0..batch {
                        if next >= self.s.len() {
                            end = Some(RegionEnd::Eof(self.s.len()));
                            break;
                        }
                        let le = self.line_end(next);
                        match self.continue_line(next, le, &mut flags) {
                            Ok(from) => v.push_line(self.s, from, le),
                            Err(e) => end = Some(e),
                        }
                        next = self.next_line_start(le);
                        if end.is_some() {
                            break;
                        }
                    }
                    batch = batch.saturating_mul(2);
                }
            }
        }
    }

    /// The end of the line holding `at` (before its line ending).
    fn line_end(&self, at: usize) -> usize {
        let mut le = memchr::memchr2(b'\n', b'\r', &self.b[at..]).map_or(self.b.len(), |k| at + k);
        le = le.min(self.b.len());
        le
    }

    fn next_line_start(&self, le: usize) -> usize {
        match self.b.get(le) {
            Some(b'\r') if self.b.get(le + 1) == Some(&b'\n') => le + 2,
            Some(_) => le + 1,
            None => le,
        }
    }

    /// Whether the open containers go on on line `ls..le` (read-only [`P::line`]): where the
    /// line's content starts, or how the flow inside them ends there. `flags` holds each
    /// container's (initial, further) blank-line flags, updated.
    fn continue_line(&self, ls: usize, le: usize, flags: &mut [(bool, bool)]) -> Result<usize, RegionEnd> {
        let mut c = Cur { i: ls, col: 0, extra: 0 };
        let content_end = self.content_end(ls, le);
        // A lazy line ends a directive above the container it fails: the flow inside the
        // directive then ends with the line before, line ending excluded.
        let lazy = |k: usize, end: RegionEnd| match end {
            RegionEnd::Lazy(_) if self.containers[k..].iter().any(|c| matches!(c.kind, CKind::Directive { .. })) => {
                let mut e = ls;
                if e > 0 && self.b[e - 1] == b'\n' {
                    e -= 1;
                }
                if e > 0 && self.b[e - 1] == b'\r' {
                    e -= 1;
                }
                RegionEnd::Eof(e)
            }
            end => end,
        };
        for (k, cont) in self.containers.iter().enumerate() {
            match cont.kind {
                CKind::Quote => {
                    let mut t = c;
                    self.skip_ws(&mut t, le, usize::MAX);
                    if t.i < le && self.b[t.i] == b'>' {
                        self.quote_prefix(&mut t, le);
                        c = t;
                    } else {
                        return Err(lazy(k, self.region_break(c, le, ls)));
                    }
                }
                CKind::Item { indent } => {
                    let (initial, further) = &mut flags[k];
                    if c.i >= content_end {
                        self.skip_ws(&mut c, le, indent);
                        *further = *further || *initial;
                    } else {
                        let mut t = c;
                        self.skip_ws(&mut t, le, indent);
                        if *further || t.col - c.col < indent {
                            return Err(lazy(k, self.region_break(c, le, ls)));
                        }
                        *further = false;
                        *initial = false;
                        c = t;
                    }
                }
                CKind::Directive { fence, indent, .. } => {
                    if self.closing_fence(c.i, le, fence) {
                        return Err(RegionEnd::Eof(ls));
                    }
                    self.skip_ws(&mut c, le, indent);
                }
            }
        }
        Ok(c.i)
    }

    /// A line that does not continue every container: a new container there ends the flow
    /// (micromark closes it), anything else is a lazy line.
    fn region_break(&self, c: Cur, le: usize, ls: usize) -> RegionEnd {
        let mut t = c;
        self.skip_ws(&mut t, le, usize::MAX);
        let new_container =
            t.i < le && (self.b[t.i] == b'>' || (!self.thematic_break(t.i, le) && self.list_marker(t.i, le).is_some()));
        if new_container { RegionEnd::Eof(ls) } else { RegionEnd::Lazy(ls) }
    }

    /// A scan of [`flow_items`] in terms of the document: offsets through `v`, and where the
    /// last line of a construct spanning lines starts.
    fn map_flow(&self, flow: Flow, v: &Virt) -> Flow {
        match flow {
            Flow::Not => Flow::Not,
            Flow::Error(at, reason, comment) => Flow::Error(v.orig(at), reason, comment),
            Flow::Tags(items, end) => {
                let items = items
                    .into_iter()
                    .map(|item| match item {
                        FlowItem::Tag(mut t) => {
                            let span = v.span(t.start, t.end);
                            t.start = span.start as usize;
                            t.end = span.end as usize;
                            t.closing_extra = t.closing_extra.map(|(at, why)| (v.orig(at), why));
                            for a in &mut t.attrs {
                                a.span = v.span(a.span.start as usize, a.span.end as usize);
                                a.value_span = a.value_span.map(|s| v.span(s.start as usize, s.end as usize));
                            }
                            FlowItem::Tag(t)
                        }
                        FlowItem::Expr => FlowItem::Expr,
                    })
                    .collect();
                // `end` (virtual) is where the construct's last line ends.
                let last = v.orig(end);
                let last_line_start = self.s[..last].rfind(['\n', '\r']).map_or(0, |k| k + 1);
                Flow::Tags(items, if last_line_start > self.line_start { last_line_start } else { 0 })
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
                    while i < b.len() && b[i] != q && (q == b'`' || !matches!(b[i], b'\n' | b'\r')) {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                // A line ending: `\n`, or a `\r` not followed by `\n`.
                b'\n' | b'\r' if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') => {
                    let mut j = i + 1;
                    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                        j += 1;
                    }
                    if depth <= 0 && (j >= b.len() || matches!(b[j], b'\n' | b'\r')) {
                        end = i;
                        break;
                    }
                    // A directive's closing fence ends what the directive holds.
                    let le = self.line_end(i + 1);
                    let fence = |c: &Container| match c.kind {
                        CKind::Directive { fence, .. } => Some(fence),
                        _ => None,
                    };
                    if self.containers.iter().filter_map(fence).any(|f| self.closing_fence(i + 1, le, f)) {
                        end = if i > 0 && b[i - 1] == b'\r' { i - 1 } else { i };
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        let block = &self.s[start..end];
        if let Err(at) = expr::check_esm(block, &mut self.imported) {
            let at = start + at;
            self.flow_error(MdxError {
                span: Span::new(at, (at + 1).min(self.s.len())),
                reason: "Could not parse import/exports with acorn".into(),
                kind: MdxErrorKind::Other,
            });
        }
        let mut next = start;
        while next < end {
            let at = next;
            let le = self.line_end(at).min(end);
            next = self.next_line_start(le).max(le + 1);
            if !self.s[at..le].starts_with("import") {
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
            // Another statement may follow on the same line: `import A from './a'; import B ...`.
            let rest = &self.s[stmt_end.min(end)..end];
            let after = end - rest.trim_start_matches([' ', '\t', ';']).len();
            if self.s[after..end].starts_with("import") {
                next = after;
            }
        }
        let end = end.min(b.len());
        self.skip_until = self.next_line_start(self.line_end(end)).max(end);
    }

    /// The definitions at the start of a paragraph's content (micromark reads them there, and
    /// only there): how many of `lines` they take. `record` adds them to the document.
    fn definitions(&mut self, lines: &[(usize, usize)], record: bool) -> usize {
        if !lines.first().is_some_and(|&(a, _)| self.b.get(a) == Some(&b'[') && self.b.get(a + 1) != Some(&b'^')) {
            return 0;
        }
        let mut v = Virt::default();
        for &(a, e) in lines {
            v.push_line(self.s, a, e);
        }
        let (mut at, mut used) = (0, 0);
        while used < lines.len()
            && v.text.as_bytes().get(at) == Some(&b'[')
            && v.text.as_bytes().get(at + 1) != Some(&b'^')
        {
            let Some(d) = inline::parse_definition(&v.text, at) else { break };
            used += 1 + v.text[at..d.end].matches('\n').count();
            if record {
                self.defs.entry(d.label.clone()).or_insert_with(|| d.url.clone());
                match self.depth() {
                    0 => {
                        self.shallow_defs.insert(d.label.clone());
                    }
                    depth => self.deep_defs.push((d.label.clone(), depth, v.orig(at))),
                }
                self.doc.definitions.push(Definition {
                    label: d.label,
                    url: d.url,
                    title: d.title,
                    span: v.span(at, d.end),
                    url_span: v.span(d.url_range.0, d.url_range.1),
                });
            }
            at = d.end + 1;
        }
        used
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
        let (from, end, s, colons, blank) = self.fence_read.get();
        // From anywhere in the same run of whitespace, the reading is the same.
        if from <= i && i <= s && end == le {
            return colons >= fence && blank;
        }
        let b = self.b;
        let mut j = i;
        while j < le && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        let s = j;
        while j < le && b[j] == b':' {
            j += 1;
        }
        let blank = self.is_blank(j, le);
        self.fence_read.set((i, le, s, j - s, blank));
        j - s >= fence && blank
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
        let mut label = None;
        if let Some(k) = inline::directive_label_end(&b[..le], j, false) {
            title = Some(self.s[j + 1..k].to_string());
            label = Some((j + 1, k));
            j = k + 1;
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
                return Some(DirectiveOpen { name, title: Some(t.to_string()), label: None, fence, end: le });
            }
            return None;
        }
        Some(DirectiveOpen { name, title, label, fence, end })
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

    /// A leaf directive `::name[label]{attributes}` alone on its line: the label's range.
    fn leaf_directive(&self, i: usize, le: usize) -> Option<Option<(usize, usize)>> {
        let b = self.b;
        let mut j = i + 2;
        if !(j < le && b[j].is_ascii_alphabetic()) {
            return None;
        }
        while j < le && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b'_') {
            j += 1;
        }
        if matches!(b[j - 1], b'-' | b'_') {
            return None;
        }
        let mut label = None;
        if let Some(k) = inline::directive_label_end(&b[..le], j, false) {
            label = Some((j + 1, k));
            j = k + 1;
        }
        if j < le && b[j] == b'{' {
            j += self.s[j..le].find('}')? + 1;
        }
        self.is_blank(j, le).then_some(label)
    }

    /// Queue `a..e` (one line) for inline parsing.
    fn push_inline(&mut self, kind: PendingKind, a: usize, e: usize) {
        self.pend(kind, &[(a, e)], None);
    }

    /// The number of cells of a GFM table delimiter row, if this line is one.
    fn delimiter_row(&self, i: usize, le: usize) -> Option<usize> {
        // It is asked of most lines of a paragraph: reject the lines that cannot be one by
        // their first byte, before any trimming. Past spaces and tabs, that is an ASCII byte
        // other than `|`, `-`, `:` and what `trim` would also skip.
        let first = self.b[i..le].iter().find(|&&c| c != b' ' && c != b'\t');
        if first.is_none_or(|&c| c.is_ascii() && !matches!(c, b'|' | b'-' | b':' | b'\n' | b'\r' | 0x0b | 0x0c)) {
            return None;
        }
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

    fn push_heading(
        &mut self,
        depth: u8,
        span: Span,
        content: Span,
        lines: &[(usize, usize)],
        setext: bool,
        escaped: Option<usize>,
    ) {
        let idx = self.doc.headings.len();
        self.doc.headings.push(Heading { depth, span, content, text: SharedStr::default(), explicit_id: None, setext });
        self.pend(PendingKind::Heading(idx), lines, escaped);
    }

    fn inline_phase(&mut self) {
        // micromark reads text one pass after the flow around it, and the content of directives
        // one pass later per level, in document order within a pass: a definition in a
        // directive is known to the text before it only if read earlier. Per label defined
        // only in directives, the first (pass, offset) a definition of it is read at.
        let mut first_read: HashMap<String, (u32, usize)> = HashMap::new();
        for (label, depth, pos) in &self.deep_defs {
            if !self.shallow_defs.contains(label) {
                let read = first_read.entry(label.clone()).or_insert((*depth, *pos));
                *read = (*read).min((*depth, *pos));
            }
        }
        let pending_lines = std::mem::take(&mut self.pending_lines);
        let mut pending = std::mem::take(&mut self.pending);
        for p in pending.drain(..) {
            let mut virt = Virt::from_lines(self.s, &pending_lines[p.lines.0 as usize..p.lines.1 as usize]);
            virt.shared = self.shared;
            let want_text = matches!(p.kind, PendingKind::Heading(_));
            let now = (p.depth + 1, virt.orig(0));
            let defs = Defs { urls: &self.defs, deep: (!first_read.is_empty()).then_some((&first_read, now)) };
            let out = inline::parse(&virt, &defs, p.escaped_brace, want_text, &mut self.scratch);
            if !out.tags.is_empty() {
                let start = virt.orig(0);
                let end = virt.span(0, virt.text.len()).end as usize;
                let node = match p.kind {
                    PendingKind::Para => "paragraph",
                    PendingKind::Heading(_) => "heading",
                    PendingKind::Cell => "tableCell",
                };
                self.parents.push((start, node));
                let id = (self.parents.len() - 1) as u32;
                for t in out.tags.drain(..) {
                    let key = 3 * t.span.start as usize + 2;
                    self.tag_events.push(TagEv { key, parent: id, kind: TagEvKind::Tag(t) });
                }
                self.tag_events.push(TagEv { key: 3 * end, parent: id, kind: TagEvKind::End });
            }
            if let PendingKind::Heading(h) = p.kind {
                let heading = &mut self.doc.headings[h];
                let mut text = std::mem::take(&mut out.text);
                // Docusaurus: a trailing `{/* #id */}` comment is the id.
                if let Some((vs, ve, src)) = &out.trailing_expr
                    && expr::is_comment_only(src)
                    && let Some(id) = comment_id(src)
                    && text.ends_with(src.as_str())
                {
                    // The expression goes; a text node right before it loses its trailing
                    // whitespace (not text before another node in between).
                    let keep = text.len() - src.len();
                    let b = &out.bounds;
                    let before = if b.len() >= 3 { b[b.len() - 3] } else { 0 };
                    let end = if before < keep { before.max(text[..keep].trim_end().len()) } else { keep };
                    text.truncate(end);
                    heading.explicit_id =
                        Some(Box::new(ExplicitId { id, syntax: IdSyntax::Comment, span: virt.span(*vs, *ve) }));
                } else if let Some((vs, ve, src)) = &out.trailing_expr
                    && src.trim_start().starts_with('#')
                    && !src.contains('\n')
                {
                    // `{#id}` with mdx1Compat off: acorn fails on it.
                    let span = virt.span(*vs, *ve);
                    for e in &mut out.errors {
                        if span.contains(e.span) {
                            e.kind = MdxErrorKind::HeadingId;
                        }
                    }
                    heading.explicit_id = Some(Box::new(ExplicitId {
                        id: src.trim_start()[1..].trim().to_string(),
                        syntax: IdSyntax::Bare,
                        span,
                    }));
                    // The text ends with the expression's source, maybe then whitespace. The
                    // source can end in spaces (`{# x }`), which trimming the text takes too:
                    // so the trimmed source is cut from the trimmed text. Cutting the whole
                    // source's length took a character of the heading, or split one.
                    let (t, cut) = (text.trim_end(), src.trim_end());
                    let keep = t.strip_suffix(cut).map_or(t.len(), |rest| rest.trim_end().len());
                    text.truncate(keep);
                } else if let Some((_, id, _)) = classic_id(&text) {
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
                    let syntax = if escaped { IdSyntax::Escaped } else { IdSyntax::Bare };
                    heading.explicit_id = Some(Box::new(ExplicitId { id, syntax, span }));
                    // Docusaurus takes the id out of the last text node only.
                    let last = out.bounds.last().copied().unwrap_or(0).min(text.len());
                    if let Some((before, _, _)) = classic_id(&text[last..]) {
                        text.truncate(last);
                        text.push_str(&before);
                    }
                }
                heading.text = SharedStr::piece_or_copy(self.shared, heading.content.range(), &text);
            }
            self.doc.links.append(&mut out.links);
            self.doc.jsx.append(&mut out.jsx);
            for error in out.errors.drain(..) {
                self.errors.push(Ranked { rank: p.depth + 1, key: error.span.start as usize, error });
            }
        }
        // Back to the workspace, their capacity with them.
        self.pending = pending;
        self.pending_lines = pending_lines;
    }
}

enum Flow {
    Not,
    /// The items, and where the line after them starts when they span lines (else 0).
    Tags(Vec<FlowItem>, usize),
    Error(usize, String, bool),
}

/// How the flow that a construct spanning lines reads ends.
#[derive(Clone, Copy)]
enum RegionEnd {
    /// The end of its input, at this offset.
    Eof(usize),
    /// A lazy line starting here.
    Lazy(usize),
}

/// What a flow scan was in when its text ended.
#[derive(Clone, Copy)]
enum NeedMore {
    Tag,
    Expression,
}

impl NeedMore {
    fn lazy_reason(self) -> &'static str {
        match self {
            NeedMore::Tag => {
                "Unexpected lazy line in container, expected line to be prefixed with `>` when in a block quote, whitespace when in a list, etc"
            }
            NeedMore::Expression => {
                "Unexpected lazy line in expression in container, expected line to be prefixed with `>` when in a block quote, whitespace when in a list, etc"
            }
        }
    }
}

enum FlowScan {
    Done(Flow),
    /// The text ended inside a tag or expression: the error if it ends there.
    NeedMore(NeedMore, usize, String),
}

/// Tags and expressions from the start of `v.text`, each line of which is a line of flow;
/// offsets are `v`'s. `Tags`' second field is where the line of the last item ends.
fn flow_items(v: &Virt) -> FlowScan {
    let s: &str = &v.text;
    let b = s.as_bytes();
    let mut i = 0;
    let mut items = Vec::new();
    loop {
        match b.get(i) {
            Some(b'<') => match jsx::scan_tag(s, i, s.len()) {
                TagScan::NotATag => return FlowScan::Done(Flow::Not),
                TagScan::Error { at, reason, eof: true } => return FlowScan::NeedMore(NeedMore::Tag, at, reason),
                TagScan::Error { at, reason, eof: false } => {
                    let comment = s[i..].starts_with("<!--");
                    return FlowScan::Done(Flow::Error(at, reason, comment));
                }
                TagScan::Tag(t) => {
                    i = t.end;
                    items.push(FlowItem::Tag(t));
                }
            },
            Some(b'{') => match expr::scan_expression(s, i, s.len(), ExprKind::Plain) {
                Err(e) if e.eof => return FlowScan::NeedMore(NeedMore::Expression, e.at, e.reason.to_string()),
                Err(e) => return FlowScan::Done(Flow::Error(e.at, e.reason.to_string(), false)),
                Ok(close) => {
                    items.push(FlowItem::Expr);
                    i = close + 1;
                }
            },
            _ => return FlowScan::Done(Flow::Not),
        }
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
            i += 1;
        }
        match b.get(i) {
            None | Some(b'\n') => {
                let end = if i > 0 && !items.is_empty() { i - 1 } else { i };
                return FlowScan::Done(Flow::Tags(items, end));
            }
            // A tag may follow a tag or an expression; an expression only a tag.
            Some(b'<') => continue,
            Some(b'{') if matches!(items.last(), Some(FlowItem::Tag(_))) => continue,
            _ => return FlowScan::Done(Flow::Not),
        }
    }
}

enum FlowItem {
    Tag(jsx::Tag),
    Expr,
}

struct DirectiveOpen {
    name: String,
    title: Option<String>,
    /// Where the label's content is (`[...]`): phrasing content.
    label: Option<(usize, usize)>,
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
    let mut n = 0;
    for_each_cell(line.as_bytes(), 0, line.len(), |_, _| n += 1);
    n
}

/// Cell content ranges of a table row, split on unescaped `|`, into `cells` (emptied first).
fn split_cells(b: &[u8], start: usize, end: usize, cells: &mut Vec<(usize, usize)>) {
    cells.clear();
    for_each_cell(b, start, end, |s, e| cells.push(trim_cell(b, s, e)));
}

/// `cell(start, end)` for each cell of a table row, split on unescaped `|`, untrimmed.
fn for_each_cell(b: &[u8], start: usize, end: usize, mut cell: impl FnMut(usize, usize)) {
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
    let mut cs = s;
    let mut i = s;
    // Rows are long and hold few `|` and `\\`: jump from one to the next (an escape skips the
    // byte after it, which may be a `|`).
    while let Some(k) = memchr::memchr2(b'\\', b'|', &b[i.min(e)..e]) {
        let at = i + k;
        if b[at] == b'\\' {
            i = at + 2;
            continue;
        }
        cell(cs, at);
        cs = at + 1;
        i = at + 1;
    }
    cell(cs, e.max(cs));
}

fn trim_cell(b: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    // Tables aligned by hand pad their cells with long runs of spaces, which dominated the
    // cost of splitting a row when stepped over a byte at a time: skip eight at once first.
    // Compared as arrays of eight, which compile to one comparison of a word (slices of a
    // length known only at run time go through `memcmp`).
    const SPACES: [u8; 8] = [b' '; 8];
    while e - s >= 8 && b[s..].first_chunk::<8>() == Some(&SPACES) {
        s += 8;
    }
    while s < e && (b[s] == b' ' || b[s] == b'\t') {
        s += 1;
    }
    while e - s >= 8 && b[..e].last_chunk::<8>() == Some(&SPACES) {
        e -= 8;
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
    // Code blocks: the innermost enclosing TabItem (the last to start, of those containing it).
    let items: Vec<usize> = (0..doc.jsx.len()).filter(|&i| &*doc.jsx[i].name == "TabItem").collect();
    let covers = Covers::new(items.iter().map(|&i| doc.jsx[i].span));
    for cb in &mut doc.code_blocks {
        cb.tab = covers.containing(cb.span).next().map(|k| items[k] as u32);
    }
    // JSX attribute links.
    for e in &doc.jsx {
        for a in &e.attrs {
            if matches!(&*a.name, "to" | "href" | "src")
                && let AttrValue::String(v) = &a.value
            {
                doc.links.push(Link {
                    kind: LinkKind::JsxAttribute,
                    image: &*a.name == "src",
                    url: SharedStr::owned(v),
                    label: Some(a.name.clone()),
                    span: a.span,
                    url_span: a.value_span.unwrap_or(a.span),
                    text: SharedStr::default(),
                });
            }
        }
    }
    doc.links.sort_by_key(|l| (l.span.start, l.span.end));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        super::super::parse(text, &ParseOptions::default())
    }

    #[test]
    fn imports_on_one_line_and_across_lines() {
        let d = doc("import A from './\\_a.md'; import\n  B from './_b.md';\nimport C from './c';\n\n# T\n");
        let got: Vec<(&str, &str)> = d.imports.iter().map(|i| (i.names[0].as_str(), i.source.as_str())).collect();
        assert_eq!(got, [("A", "./_a.md"), ("B", "./_b.md"), ("C", "./c")]);
    }

    /// The line of the first error, as the compiler reports it.
    fn first_error_line(text: &str) -> Option<usize> {
        let d = doc(text);
        d.mdx_errors.first().map(|e| text[..e.span.start as usize].matches('\n').count() + 1)
    }

    #[test]
    fn errors_come_in_the_compilers_order() {
        // Flow before text, whatever their positions.
        assert_eq!(first_error_line("Text with a <5.\n\n<!-- flow -->\n"), Some(3));
        // Text at the top level before flow inside a directive (one pass later)...
        assert_eq!(first_error_line("a <5 b\n\n:::note\n<!-- x -->\n:::\n"), Some(1));
        // ...but in document order within that pass.
        assert_eq!(first_error_line(":::note\n<!-- x -->\n:::\n\na <5 b\n"), Some(2));
        // How tags nest is checked last.
        assert_eq!(first_error_line("<A>\n</B>\n\nthen a <5\n"), Some(4));
    }

    #[test]
    fn tag_nesting_errors_are_reported_where_mdast_does() {
        // A closing tag for another element.
        assert_eq!(first_error_line("<A>\n<B>\n</A>\n"), Some(3));
        // An element left open in a list item: at the item's start.
        assert_eq!(first_error_line("- item\n  <Details>\n  text\n\nafter\n"), Some(1));
        // In a paragraph: at the paragraph's start.
        assert_eq!(first_error_line("one\ntwo <b>bold\nthree\n"), Some(1));
        // Closed in another container than it was opened in.
        assert_eq!(first_error_line("<Tabs>\n\n- </Tabs>\n"), Some(3));
        // Attributes on a closing tag.
        assert_eq!(first_error_line("<Note>\ntext\n</Note type=\"x\">\n"), Some(3));
        // Fine when nested right.
        assert_eq!(first_error_line("<A>\n- <B>x</B>\n</A>\n"), None);
    }

    #[test]
    fn unclosed_code_ends_where_micromark_ends_it() {
        let end = |text: &str| doc(text).code_blocks[0].span.end as usize;
        // At the end of the document, the last line ending included.
        assert_eq!(end("```\ncode\n"), 9);
        // In a block quote the document's last, empty, line is lazy: not included.
        assert_eq!(end("> ```\n> code\n"), 12);
        // A lazy line ends it before its line ending; a new container after it.
        assert_eq!(end("> ```\n> code\nlazy\n"), 12);
        assert_eq!(end("- ```\n  code\n- next\n"), 13);
        // A blank line in a list item, then a line outside: the blank line is not code.
        let d = doc("- ```\n  code\n\nafter\n");
        assert_eq!((d.code_blocks[0].value.as_str(), d.code_blocks[0].span.end), ("code", 13));
    }

    #[test]
    fn definitions_span_lines_and_only_start_content() {
        let d = doc("[a]:\n  /url-a\n  \"Title\"\n[b]: /b\ntext [a] [b]\n[c]: /not-a-definition\n");
        let defs: Vec<_> =
            d.definitions.iter().map(|x| (x.label.as_str(), x.url.as_str(), x.title.as_deref())).collect();
        assert_eq!(defs, [("a", "/url-a", Some("Title")), ("b", "/b", None)]);
        assert_eq!(d.links.len(), 2);
    }

    #[test]
    fn a_table_interrupts_a_paragraph() {
        let d = doc("Some text\n| [a | b](/x) |\n| --- | --- |\n");
        assert!(d.links.is_empty(), "{:?}", d.links);
    }

    #[test]
    fn lists_after_lazy_lines_and_quotes() {
        let headings = |text: &str| doc(text).headings.len();
        // A quote's paragraph does not stop `2.` from starting a list on the next line.
        assert_eq!(headings("> para\n2. ## Heading\n"), 1);
        // After a paragraph, a block quote keeps the paragraph's restriction on `2.`.
        assert_eq!(headings("para\n> 2. ## Not a heading\n"), 0);
    }
}
