//! Inline content of paragraphs, headings and table cells, as micromark reads it with the MDX,
//! GFM and directive extensions: links and images (inline, reference, GFM literal), code spans,
//! JSX text tags, `{expressions}`, escapes and character references, emphasis (for heading
//! text), text directives. Input is a [`Virt`]: the block's lines with container prefixes
//! removed, mapped back to original byte offsets.

mod entities;

use super::expr::{self, ExprKind};
use super::jsx::{self, TagScan};
use super::{JsxElement, Link, LinkKind, MdxError, MdxErrorKind, SharedStr};
use crate::diag::Span;
use entities::ENTITIES;
use std::collections::HashMap;

/// Text assembled from several line pieces, with a map back to the original offsets. A
/// single line borrows the source; only multi-line blocks copy.
#[derive(Default, Debug)]
pub(crate) struct Virt<'a> {
    pub text: std::borrow::Cow<'a, str>,
    /// The original offset of the first piece (at virtual offset 0), once there is one. Kept
    /// apart from `segs` so that a one-line block (most paragraphs, every table cell) costs no
    /// allocation.
    first: Option<u32>,
    /// (virtual offset, original offset) where each later piece starts.
    segs: Vec<(u32, u32)>,
    /// The file's text held for sharing, when the pieces are its own (see
    /// [`SharedStr::piece_or_copy`]).
    pub shared: Option<&'a SharedStr>,
}

impl<'a> Virt<'a> {
    pub fn push_line(&mut self, src: &'a str, start: usize, end: usize) {
        if self.first.is_none() {
            self.first = Some(start as u32);
            self.text = std::borrow::Cow::Borrowed(&src[start..end]);
            return;
        }
        let text = self.text.to_mut();
        text.push('\n');
        self.segs.push((text.len() as u32, start as u32));
        text.push_str(&src[start..end]);
    }

    /// The block's lines, in order: [`Virt::push_line`] of each, with the text and the map
    /// allocated once at their final size.
    pub fn from_lines(src: &'a str, lines: &[(usize, usize)]) -> Virt<'a> {
        let Some((&(a, e), rest)) = lines.split_first() else { return Virt::default() };
        // Lines that follow one another with only a line feed between them (a paragraph
        // outside containers, its lines not indented; one line, most often) are a slice of
        // the source as they are joined, and each maps to the original offsets as the first
        // does: borrow it, built at once (this runs for every paragraph, cell and heading).
        let b = src.as_bytes();
        if rest.iter().zip(lines).all(|(&(next, _), &(_, end))| next == end + 1 && b[end] == b'\n') {
            let last = rest.last().map_or(e, |l| l.1);
            return Virt {
                text: std::borrow::Cow::Borrowed(&src[a..last]),
                first: Some(a as u32),
                segs: Vec::new(),
                shared: None,
            };
        }
        let mut v = Virt::default();
        v.push_line(src, a, e);
        let len = rest.iter().map(|&(a, e)| e - a + 1).sum::<usize>();
        v.text.to_mut().reserve_exact(len);
        v.segs.reserve_exact(rest.len());
        for &(a, e) in rest {
            v.push_line(src, a, e);
        }
        v
    }

    pub fn orig(&self, v: usize) -> usize {
        let (vs, os) = match self.segs.partition_point(|s| s.0 as usize <= v) {
            0 => (0, self.first.unwrap_or(0)),
            i => self.segs[i - 1],
        };
        os as usize + (v - vs as usize)
    }

    /// `s`, decoded from `span` (the original offsets): the file's text there if it is that,
    /// else a copy.
    fn piece_or_copy(&self, span: Span, s: &str) -> SharedStr {
        SharedStr::piece_or_copy(self.shared, span.range(), s)
    }

    pub fn span(&self, a: usize, b: usize) -> Span {
        // Callers point at "the character at `a`" as `a..a + 1`: widen to whole characters, so
        // that no span ends inside one.
        let a = self.text.floor_char_boundary(a);
        let b = self.text.ceil_char_boundary(b.max(a));
        if self.segs.is_empty() {
            // One piece (most blocks, and every tag on one line): offsets map one to one.
            let first = self.first.unwrap_or(0) as usize;
            return Span::new(first + a, first + b);
        }
        // An end offset at a line break maps to the end of the line, not the next line's start.
        let end = if b > a {
            let last = self.text[..b].chars().next_back().map_or(1, |c| c.len_utf8());
            self.orig(b - last) + last
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
    /// Syntax errors (micromark's), in order.
    pub errors: Vec<MdxError>,
    /// Every JSX tag, in order, for the block parser's check of how tags nest (mdast's).
    pub tags: Vec<TagEvent>,
    /// The last expression when only whitespace follows it: (virtual start, end, source).
    pub trailing_expr: Option<(usize, usize, String)>,
    /// Offsets in `text` where mdast text nodes end or start (other nodes between them).
    pub bounds: Vec<usize>,
}

/// A JSX tag as mdast-util-mdx-jsx sees it: original offsets.
#[derive(Debug)]
pub(crate) struct TagEvent {
    pub name: String,
    pub span: Span,
    pub closing: bool,
    pub self_closing: bool,
    /// A closing tag's attribute or slash that mdast rejects: (offset, reason).
    pub closing_extra: Option<(usize, &'static str)>,
}

pub(crate) struct Defs<'a> {
    pub urls: &'a HashMap<String, String>,
    /// Labels defined only in directives, each with the first (directive depth, offset) of a
    /// definition of it; and the (pass, offset) micromark reads this text at, a pass being one
    /// more than the text's directive depth. A label whose first definition micromark has not
    /// read yet when it reads this text (in directives, later in the document) makes no link.
    pub deep: Option<(&'a HashMap<String, ReadAt>, ReadAt)>,
}

/// Where micromark reads something: (pass or directive depth, offset).
pub(crate) type ReadAt = (u32, usize);

impl Defs<'_> {
    fn get(&self, key: &str) -> Option<&String> {
        if let Some((first, now)) = self.deep
            && first.get(key).is_some_and(|read| *read >= now)
        {
            return None;
        }
        self.urls.get(key)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Text,
    /// `[` or `![`: kept apart so that text after it is not merged into it.
    Bracket,
    Delim,
    /// Where an mdast node other than text starts or ends (code, JSX, expressions, links,
    /// breaks): no text, but text on either side is in different text nodes.
    Boundary,
}

struct Piece {
    kind: PieceKind,
    /// Its text, as a range of [`Parser::buf`]: one buffer for the pieces of a range (and
    /// reused by the next) rather than a `String` each. Only the last piece ever grows or
    /// shrinks, and its text is always at the end of the buffer.
    text: (u32, u32),
    // For delimiters.
    ch: u8,
    len: usize,
    orig_len: usize,
    can_open: bool,
    can_close: bool,
    /// For delimiters: where the run starts in the text.
    at: usize,
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
    /// The working lists and the output ([`Scratch`]).
    sc: &'a mut Scratch,
    /// `[` brackets (not `![`) below this height in `brackets` are inactive: a link closed
    /// over them. One mark, not a flag set on each, so that a link after many open brackets
    /// costs no pass over them.
    inactive_below: usize,
    /// Per title quote (`"`, `'`, `(`): the last title read, from its opening quote to its
    /// closing one (or the end), so that each `](x (` in a paragraph does not read to its end.
    title_scans: std::cell::Cell<[(usize, usize); 3]>,
    escaped_brace: Option<usize>,
    /// Whether the block's text is wanted (headings); link text is always kept.
    want_text: bool,
    /// Where the current run of plain text started (after the last construct).
    plain_start: usize,
    last_nonspace_end: usize,
    /// mdast's literal links need emphasis resolved: parse again with `want_text`.
    again_with_text: bool,
    /// A tag or expression failed: the compiler stops at its first error, and scanning each
    /// later `<` and `{` (to the end of the text, when unclosed) would take quadratic time.
    ran_off: bool,
    /// The scan met something a literal link in `runs` needs (an `@`, a `://`, a `www.`):
    /// without one, mdast's pass over the text nodes ([`Parser::mdast_literals`]) finds
    /// nothing and is skipped ([`Parser::note_literal`] says why the scan sees them all).
    literal_seen: bool,
}

/// The parser's working lists, kept from one inline range to the next: a page has hundreds
/// of paragraphs, cells and headings, and growing these afresh for each was a tenth of the
/// inline parser's time (allocation and reallocation). Cleared, never shrunk, between ranges.
#[derive(Default)]
pub(crate) struct Scratch {
    pieces: Vec<Piece>,
    /// The text of every piece ([`Piece::text`]).
    buf: String,
    delims: Vec<usize>,
    brackets: Vec<Bracket>,
    /// Open JSX text elements: (index in out.jsx).
    open_jsx: Vec<usize>,
    /// Spans (virtual) of formed links' text, to drop autolink literals inside them.
    link_ranges: Vec<(usize, usize)>,
    /// Source (virtual) of what becomes mdast text nodes, for mdast's own pass over them for
    /// literal autolinks; formed links (`link_spans`) are cut out of them later.
    runs: Vec<(usize, usize)>,
    link_spans: Vec<(usize, usize)>,
    /// The last range's output: the caller moves out what it keeps.
    out: InlineOut,
}

impl Scratch {
    /// Empty every list, keeping its memory.
    fn clear(&mut self) {
        self.pieces.clear();
        self.buf.clear();
        self.delims.clear();
        self.brackets.clear();
        self.open_jsx.clear();
        self.link_ranges.clear();
        self.runs.clear();
        self.link_spans.clear();
        let out = &mut self.out;
        out.text.clear();
        out.links.clear();
        out.jsx.clear();
        out.errors.clear();
        out.tags.clear();
        out.trailing_expr = None;
        out.bounds.clear();
    }
}

/// Parse `v` as phrasing content. `escaped_brace` is a `{` the mdx1 heading-id preprocessor escaped.
pub(crate) fn parse<'a>(
    v: &'a Virt<'a>,
    defs: &Defs,
    escaped_brace: Option<usize>,
    want_text: bool,
    scratch: &'a mut Scratch,
) -> &'a mut InlineOut {
    parse_range(v, defs, escaped_brace, want_text, 0, v.text.len(), scratch)
}

/// Parse `v.text[start..end]` on its own (a directive's label): offsets stay those of `v`.
pub(crate) fn parse_range<'a>(
    v: &'a Virt<'a>,
    defs: &Defs,
    escaped_brace: Option<usize>,
    want_text: bool,
    start: usize,
    end: usize,
    scratch: &'a mut Scratch,
) -> &'a mut InlineOut {
    scratch.clear();
    let mut p = Parser {
        v,
        s: &v.text[..end],
        b: &v.text.as_bytes()[..end],
        defs,
        sc: &mut *scratch,
        inactive_below: 0,
        title_scans: std::cell::Cell::new([(usize::MAX, 0); 3]),
        escaped_brace,
        want_text,
        plain_start: start,
        last_nonspace_end: start,
        again_with_text: false,
        ran_off: false,
        literal_seen: false,
    };
    p.run(start);
    if p.again_with_text {
        return parse_range(v, defs, escaped_brace, true, start, end, scratch);
    }
    &mut scratch.out
}

/// How long the text of `pieces` is, to allocate it once: a heading's or a link's text grown
/// piece by piece was reallocated as it grew.
fn text_len(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .map(|p| match p.kind {
            PieceKind::Text | PieceKind::Bracket => (p.text.1 - p.text.0) as usize,
            PieceKind::Delim => p.len,
            PieceKind::Boundary => 0,
        })
        .sum()
}

/// Bytes where the scan stops: where an inline construct may start, and the `:` and `.` that
/// tell a literal link before them ([`literal_start`]). Everything else is plain text.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b"\\`&<{[!]*_~:\n.@";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// The first byte at or after `i` that [`SPECIAL`] marks, or `b.len()`. With AVX2, 32 bytes
/// at a time ([`next_special_avx2`]); elsewhere, and for the last bytes, [`next_special_swar`].
#[inline]
fn next_special(b: &[u8], i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    if b.len() - i >= 32 && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, which is all the function requires.
        return unsafe { next_special_avx2(b, i) };
    }
    next_special_swar(b, i)
}

/// [`next_special`] eight bytes at a time, one branch for the eight: most of a paragraph is
/// plain text, and a branch per byte was the inline parser's largest single cost.
#[inline]
fn next_special_swar(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..i + 8) {
        if chunk.iter().fold(false, |hit, &c| hit | SPECIAL[c as usize]) {
            break;
        }
        i += 8;
    }
    i + b[i..].iter().position(|&c| SPECIAL[c as usize]).unwrap_or(b.len() - i)
}

/// [`SPECIAL`] as two 16-entry tables, for a byte lookup by nibble: byte `c` is special when
/// `LOW[c & 15] & HIGH[c >> 4] != 0`. Every special byte is ASCII, so its high nibble is 0 to
/// 7: `HIGH` gives each of those its own bit, and `LOW[n]` holds the bits of the high nibbles
/// `h` for which `h << 4 | n` is special. The test is therefore exact, not a filter; bytes from
/// 0x80 up have a `HIGH` of 0. (The nibble lookup of simdjson and Langdale & Lemire's paper.)
#[cfg(target_arch = "x86_64")]
const NIBBLES: ([u8; 16], [u8; 16]) = {
    let (mut low, mut high) = ([0u8; 16], [0u8; 16]);
    let mut c = 0;
    while c < 256 {
        if SPECIAL[c] {
            assert!(c < 0x80, "the nibble tables hold ASCII bytes only");
            low[c & 15] |= 1 << (c >> 4);
        }
        c += 1;
    }
    let mut h = 0;
    while h < 8 {
        high[h] = 1 << h;
        h += 1;
    }
    (low, high)
};

/// [`next_special`] 32 bytes at a time: two table lookups (`vpshufb`) classify all 32, and
/// one mask says where the first special byte is. One round instead of four of the eight-byte
/// loop: on the tigera corpus the whole parse took 3.8% fewer instructions and about 5% less
/// time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn next_special_avx2(b: &[u8], mut i: usize) -> usize {
    use std::arch::x86_64::*;
    let (low, high) = NIBBLES;
    // SAFETY: each table is 16 readable bytes; the load has no alignment requirement.
    let (low, high) = unsafe { (_mm_loadu_si128(low.as_ptr().cast()), _mm_loadu_si128(high.as_ptr().cast())) };
    // `vpshufb` looks up within each 16-byte half: both halves get the table.
    let (low, high) = (_mm256_broadcastsi128_si256(low), _mm256_broadcastsi128_si256(high));
    let nibble = _mm256_set1_epi8(0x0f);
    while let Some(chunk) = b.get(i..i + 32) {
        // SAFETY: `chunk` is 32 readable bytes; the load has no alignment requirement.
        let v = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
        let lo = _mm256_shuffle_epi8(low, _mm256_and_si256(v, nibble));
        let hi = _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble));
        let plain = _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256());
        let special = !(_mm256_movemask_epi8(plain) as u32);
        if special != 0 {
            return i + special.trailing_zeros() as usize;
        }
        i += 32;
    }
    next_special_swar(b, i)
}

/// Where a literal link would start that the `:` or `.` at `i` ends the prefix of: the `h` of
/// `http:`/`https:`, the first `w` of `www.` (any case), within the plain run from `plain`;
/// `i` when there is none. `h` and `w` are among the commonest letters of prose, so the scan
/// does not stop at them but at the rarer byte after the prefix, and [`Parser::step`] is then
/// asked at the `h` or `w` exactly as if the scan had stopped there: no byte between them
/// stops the scan, so nothing else happened in between.
#[inline]
fn literal_start(b: &[u8], i: usize, plain: usize) -> usize {
    let before = |p: &[u8]| i >= plain + p.len() && b[i - p.len()..i].eq_ignore_ascii_case(p);
    match b[i] {
        b':' if before(b"https") => i - 5,
        b':' if before(b"http") => i - 4,
        b'.' if before(b"www") => i - 3,
        _ => i,
    }
}

/// Whether the special byte at `i` certainly starts no construct, by the bytes after it: what
/// [`Parser::step`] would find without side effects before it returns `i`. A `:` starts a
/// text directive only before a letter; `!` is an image only before `[`; a `.` only ends a
/// literal link's prefix ([`literal_start`]). Deciding here keeps them in the plain run (the
/// same text as a literal byte) and saved most calls to `step` on the tigera corpus.
#[inline]
fn starts_nothing(b: &[u8], i: usize) -> bool {
    match b[i] {
        b':' => !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic),
        b'!' => b.get(i + 1) != Some(&b'['),
        b'.' => true,
        _ => false,
    }
}

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
    /// Text outside any bracket matters only when the block's text is wanted.
    fn keeps_text(&self) -> bool {
        self.want_text || !self.sc.brackets.is_empty()
    }

    fn text(&mut self, s: &str) {
        if !self.keeps_text() {
            return;
        }
        let from = self.sc.buf.len() as u32;
        self.sc.buf.push_str(s);
        let to = self.sc.buf.len() as u32;
        if let Some(last) = self.sc.pieces.last_mut()
            && last.kind == PieceKind::Text
        {
            last.text.1 = to;
            return;
        }
        self.sc.pieces.push(Piece {
            kind: PieceKind::Text,
            text: (from, to),
            ch: 0,
            len: 0,
            orig_len: 0,
            can_open: false,
            can_close: false,
            at: 0,
        });
    }

    /// Whether the special byte at `i` is where [`may_hold_literal`] would see a literal
    /// link start (`@`, `://`, `www.`), and if so, remember it. Every byte of `runs` that
    /// mdast's pass reads is either a special byte the scan in [`Parser::run`] stops at, or
    /// consumed by a construct that holds none of these (line endings and the whitespace
    /// after them, character references, brackets, delimiter runs), or inside a formed link,
    /// which is cut out of the runs; escapes, the one exception, note their byte themselves.
    #[inline]
    fn note_literal(&mut self, i: usize) {
        let b = self.b;
        self.literal_seen |= match b[i] {
            b'@' => true,
            b':' => b[i + 1..].starts_with(b"//"),
            b'.' => i >= 3 && b[i - 3..i].eq_ignore_ascii_case(b"www"),
            _ => false,
        };
    }

    fn piece_text(&self, p: &Piece) -> &str {
        &self.sc.buf[p.text.0 as usize..p.text.1 as usize]
    }

    /// A piece with no text (delimiters, boundaries).
    fn no_text(&self) -> (u32, u32) {
        (self.sc.buf.len() as u32, self.sc.buf.len() as u32)
    }

    /// The last piece, a text one, shortened to its first `keep` bytes.
    fn truncate_last(&mut self, keep: usize) {
        if let Some(last) = self.sc.pieces.last_mut() {
            last.text.1 = last.text.0 + keep as u32;
            self.sc.buf.truncate(last.text.1 as usize);
        }
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.s[..i].chars().next_back()
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.s[i..].chars().next()
    }

    fn run(&mut self, start: usize) {
        let b = self.b;
        let mut i = start;
        let mut plain = start;
        while i < b.len() {
            i = next_special(b, i);
            if i >= b.len() {
                break;
            }
            self.note_literal(i);
            let at = literal_start(b, i, plain);
            if at == i && starts_nothing(b, i) {
                i += 1;
                continue;
            }
            i = at;
            if plain < i {
                let t = &self.s[plain..i];
                self.text(t);
                self.texty(plain, i);
            }
            let next = self.step(i);
            if next == i {
                // Not a construct: literal.
                let l = self.char_at(i).map_or(1, |c| c.len_utf8());
                let t = &self.s[i..i + l];
                self.text(t);
                self.texty(i, i + l);
                i += l;
            } else {
                // Escapes, references, line endings, brackets and delimiters are text (or
                // links, cut out later); other constructs are other nodes.
                let text = match b[i] {
                    b'\\' => next == i + 2,
                    b'\n' | b'&' | b'[' | b'!' | b']' | b'*' | b'_' | b'~' => true,
                    _ => false,
                };
                if text {
                    self.texty(i, next);
                }
                i = next;
                self.plain_start = i;
            }
            plain = i;
        }
        if plain < b.len() {
            let t = &self.s[plain..];
            self.text(t);
            self.texty(plain, b.len());
        }
        let s = self.s.trim_end();
        if self.sc.out.trailing_expr.as_ref().is_some_and(|t| t.1 < s.len()) {
            self.sc.out.trailing_expr = None;
        }
        if !self.want_text {
            self.finish_links();
            return;
        }
        self.process_emphasis(0);
        let mut text = String::with_capacity(text_len(&self.sc.pieces));
        // The last range's list, emptied, rather than a new one per heading.
        let mut bounds = std::mem::take(&mut self.sc.out.bounds);
        bounds.clear();
        for p in &self.sc.pieces {
            match p.kind {
                PieceKind::Bracket if p.text.0 == p.text.1 => bounds.push(text.len()),
                PieceKind::Text | PieceKind::Bracket => text.push_str(self.piece_text(p)),
                PieceKind::Delim => {
                    if p.len < p.orig_len {
                        bounds.push(text.len());
                    }
                    for _ in 0..p.len {
                        text.push(p.ch as char);
                    }
                }
                PieceKind::Boundary => bounds.push(text.len()),
            }
        }
        // Whitespace at the end of the content is no text (micromark's line suffix).
        let last_node = bounds.last().copied().unwrap_or(0);
        let keep = last_node.max(text.trim_end_matches([' ', '\t']).len());
        text.truncate(keep);
        self.sc.out.text = text;
        self.sc.out.bounds = bounds;
        self.finish_links();
    }

    /// Text on either side of here is in different mdast text nodes.
    fn boundary(&mut self) {
        if self.want_text {
            let text = self.no_text();
            self.sc.pieces.push(Piece {
                kind: PieceKind::Boundary,
                text,
                ch: 0,
                len: 0,
                orig_len: 0,
                can_open: false,
                can_close: false,
                at: 0,
            });
        }
    }

    /// Source `a..b` is (so far) part of a text node.
    fn texty(&mut self, a: usize, b: usize) {
        match self.sc.runs.last_mut() {
            Some(last) if last.1 == a => last.1 = b,
            _ => self.sc.runs.push((a, b)),
        }
    }

    /// mdast-util-gfm-autolink-literal's pass over the text nodes: literal links micromark did
    /// not make (after an unclosed `[`, say) are found there, by its own rules.
    fn mdast_literals(&mut self) {
        if !self.literal_seen {
            return;
        }
        let runs = std::mem::take(&mut self.sc.runs);
        let mut cuts = std::mem::take(&mut self.sc.link_spans);
        cuts.sort_unstable();
        // The furthest end of the cuts so far: where cuts that reach past an offset begin, so
        // that each run looks only at the cuts that meet it (links nest only with images).
        let reach: Vec<usize> = cuts
            .iter()
            .scan(0, |m, &(_, cb)| {
                *m = cb.max(*m);
                Some(*m)
            })
            .collect();
        for &(a, b) in &runs {
            // Pieces are parts of the run: a run that cannot hold a literal needs no cutting.
            if !may_hold_literal(&self.s[a..b]) {
                continue;
            }
            // The run minus formed links: one sweep over the cuts that meet it, in order.
            let mut pieces = Vec::new();
            let mut pos = a;
            let first = reach.partition_point(|&m| m <= a);
            for &(ca, cb) in &cuts[first..] {
                if ca >= b {
                    break;
                }
                if ca > pos {
                    pieces.push((pos, ca));
                }
                pos = pos.max(cb);
            }
            if pos < b {
                pieces.push((pos, b));
            }
            for (pa, pb) in pieces {
                let t = &self.s[pa..pb];
                if !may_hold_literal(t) {
                    continue;
                }
                let mut found = text_node_literals(t);
                if found.is_empty() {
                    continue;
                }
                // Emphasis splits text nodes: cut at the delimiters it used, and look again
                // (without text wanted, delimiters were not kept: parse again with them).
                if t.contains(['*', '_', '~']) {
                    if !self.want_text {
                        self.again_with_text = true;
                        return;
                    }
                    let used: Vec<(usize, usize)> = self
                        .sc
                        .pieces
                        .iter()
                        .filter(|p| p.kind == PieceKind::Delim && p.len < p.orig_len && pa <= p.at && p.at < pb)
                        .map(|p| (p.at, p.at + p.orig_len))
                        .collect();
                    if !used.is_empty() {
                        found.clear();
                        let mut from = pa;
                        for (ua, ue) in used.into_iter().chain(std::iter::once((pb, pb))) {
                            if from < ua {
                                found.extend(
                                    text_node_literals(&self.s[from..ua])
                                        .into_iter()
                                        .map(|(a, b, u)| (a + from - pa, b + from - pa, u)),
                                );
                            }
                            from = ue.max(from);
                        }
                    }
                }
                for (la, lb, url) in found {
                    let span = self.v.span(pa + la, pa + lb);
                    self.sc.out.links.push(Link {
                        kind: LinkKind::Autolink,
                        image: false,
                        url: self.v.piece_or_copy(span, &url),
                        label: None,
                        span,
                        url_span: span,
                        text: self.v.piece_or_copy(span, &t[la..lb]),
                    });
                }
            }
        }
        // Back for the next range, their capacity with them.
        self.sc.runs = runs;
        self.sc.link_spans = cuts;
    }

    fn finish_links(&mut self) {
        self.mdast_literals();
        // Only literal links inside formed links are dropped: with no link formed (most
        // ranges: table cells, plain paragraphs) or no literal link (most of the others),
        // there is nothing to drop, and no need to build the two lists below.
        if self.sc.link_ranges.is_empty() || !self.sc.out.links.iter().any(|l| l.kind == LinkKind::Autolink) {
            self.sc.link_ranges.clear();
            self.sc.out.links.sort_by_key(|l| l.span.start);
            return;
        }
        // Literal links inside a formed link's label go: label ranges by start, each with the
        // furthest end of those before it, so that each literal costs a binary search.
        let mut ranges: Vec<(usize, usize)> =
            self.sc.link_ranges.iter().map(|&(a, b)| (self.v.orig(a), self.v.orig(b))).collect();
        ranges.sort_unstable();
        let reach: Vec<usize> = ranges
            .iter()
            .scan(0, |m, &(_, b)| {
                *m = b.max(*m);
                Some(*m)
            })
            .collect();
        self.sc.out.links.retain(|l| {
            let before = ranges.partition_point(|&(a, _)| a <= l.span.start as usize);
            l.kind != LinkKind::Autolink || before == 0 || reach[before - 1] < l.span.end as usize
        });
        self.sc.link_ranges.clear();
        self.sc.out.links.sort_by_key(|l| l.span.start);
    }

    /// Try the construct at `i`; return where it ends, or `i` when there is none.
    fn step(&mut self, i: usize) -> usize {
        let b = self.b;
        match b[i] {
            b'\\' => {
                if let Some(&n) = b.get(i + 1) {
                    if is_ascii_punct(n) {
                        // An escaped `@`, `:` or `.` stays in the run as written.
                        self.literal_seen |= matches!(n, b'@' | b':' | b'.');
                        let t = &self.s[i + 1..i + 2];
                        self.text(t);
                        return i + 2;
                    }
                    if n == b'\n' {
                        // Hard break: it and its line ending contribute nothing to text.
                        return self.line_ending(i + 1, true, false);
                    }
                }
                i
            }
            b'\n' => {
                // Two spaces or more before it make a hard break, which has no text.
                let hard = i >= 2 && b[i - 1] == b' ' && b[i - 2] == b' ';
                self.line_ending(i, hard, true)
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
                self.sc.brackets.push(Bracket {
                    piece: self.sc.pieces.len(),
                    image: false,
                    active: true,
                    start: i,
                    delim_bottom: self.sc.delims.len(),
                });
                let from = self.sc.buf.len() as u32;
                self.sc.buf.push('[');
                self.sc.pieces.push(Piece {
                    kind: PieceKind::Bracket,
                    text: (from, self.sc.buf.len() as u32),
                    ch: 0,
                    len: 0,
                    orig_len: 0,
                    can_open: false,
                    can_close: false,
                    at: 0,
                });
                i + 1
            }
            b'!' if b.get(i + 1) == Some(&b'[') => {
                self.sc.brackets.push(Bracket {
                    piece: self.sc.pieces.len(),
                    image: true,
                    active: true,
                    start: i,
                    delim_bottom: self.sc.delims.len(),
                });
                let from = self.sc.buf.len() as u32;
                self.sc.buf.push_str("![");
                self.sc.pieces.push(Piece {
                    kind: PieceKind::Bracket,
                    text: (from, self.sc.buf.len() as u32),
                    ch: 0,
                    len: 0,
                    orig_len: 0,
                    can_open: false,
                    can_close: false,
                    at: 0,
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

    /// The line ending at `i`: the line's trailing whitespace (`trim`) is not text, nor is the
    /// next line's leading whitespace; a soft break is a `\n` in text, a hard break nothing.
    fn line_ending(&mut self, i: usize, hard: bool, trim: bool) -> usize {
        if trim
            && let Some(last) = self.sc.pieces.last()
            && last.kind == PieceKind::Text
        {
            let t = self.piece_text(last).trim_end_matches([' ', '\t']).len();
            self.truncate_last(t);
        }
        if hard {
            self.boundary();
        } else {
            self.text("\n");
        }
        let b = self.b;
        let mut j = i + 1;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        j
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
                    self.boundary();
                    // Built only when kept: most code spans are in text nobody reads.
                    if self.keeps_text() {
                        let mut content = self.s[i + n..j].replace('\n', " ");
                        if content.len() >= 2
                            && content.starts_with(' ')
                            && content.ends_with(' ')
                            && !content.bytes().all(|c| c == b' ')
                        {
                            content = content[1..content.len() - 1].to_string();
                        }
                        self.text(&content);
                    }
                    self.boundary();
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
        if self.ran_off {
            return i;
        }
        match jsx::scan_tag(self.s, i, self.s.len()) {
            TagScan::NotATag => i,
            TagScan::Error { at, reason, .. } => {
                self.ran_off = true;
                self.sc.out.errors.push(MdxError {
                    span: self.v.span(at, (at + 1).min(self.s.len())),
                    reason,
                    kind: if self.s[i..].starts_with("<!--") { MdxErrorKind::HtmlComment } else { MdxErrorKind::Other },
                });
                // The compiler stops here; keep reading the rest as text.
                i + 1
            }
            TagScan::Tag(t) => {
                let span = self.v.span(t.start, t.end);
                self.sc.out.tags.push(TagEvent {
                    name: t.name.clone(),
                    span,
                    closing: t.closing,
                    self_closing: t.self_closing,
                    closing_extra: t.closing_extra.map(|(at, why)| (self.v.orig(at), why)),
                });
                if t.closing {
                    // Spans only: how tags nest is checked by the block parser, over the document.
                    if let Some(&j) = self.sc.open_jsx.last()
                        && *self.sc.out.jsx[j].name == *t.name
                    {
                        self.sc.open_jsx.pop();
                        self.sc.out.jsx[j].span.end = span.end;
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
                    self.sc.out.jsx.push(JsxElement {
                        name: t.name.into_boxed_str(),
                        attrs,
                        span,
                        open_tag: span,
                        flow: false,
                        parent: None,
                    });
                    if !t.self_closing {
                        if self.sc.open_jsx.len() == super::MAX_NESTING {
                            self.sc.out.errors.push(MdxError {
                                span,
                                reason: super::too_deep("JSX elements"),
                                kind: MdxErrorKind::Other,
                            });
                        }
                        self.sc.open_jsx.push(self.sc.out.jsx.len() - 1);
                    }
                }
                self.boundary();
                self.last_nonspace_end = t.end;
                t.end
            }
        }
    }

    fn expression(&mut self, i: usize) -> usize {
        if self.escaped_brace == Some(i) {
            return i;
        }
        if self.ran_off {
            return i;
        }
        let close = match expr::scan_expression(self.s, i, self.s.len(), ExprKind::Plain) {
            Ok(close) => Some(close),
            Err(e) => {
                self.ran_off = true;
                let at = e.at.min(self.s.len().saturating_sub(1));
                self.sc.out.errors.push(MdxError {
                    span: self.v.span(at, (at + 1).min(self.s.len())),
                    reason: e.reason.into(),
                    kind: MdxErrorKind::Other,
                });
                // The compiler stops here; read on as if the braces held an expression.
                expr::matching_brace(self.s, i)
            }
        };
        match close {
            None => i + 1,
            Some(close) => {
                let src = &self.s[i + 1..close];
                let src = src.to_string();
                self.boundary();
                self.text(&src);
                self.boundary();
                self.sc.out.trailing_expr = Some((i, close + 1, src));
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
        if !self.want_text && self.sc.brackets.is_empty() {
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
        self.sc.delims.push(self.sc.pieces.len());
        let text = self.no_text();
        self.sc.pieces.push(Piece {
            kind: PieceKind::Delim,
            text,
            ch,
            len: n,
            orig_len: n,
            can_open,
            can_close,
            at: i,
        });
        i + n
    }

    /// CommonMark "process emphasis" over the delimiters above `bottom`; only the text matters.
    fn process_emphasis(&mut self, bottom: usize) {
        let mut cur = bottom;
        while cur < self.sc.delims.len() {
            let ci = self.sc.delims[cur];
            if !self.sc.pieces[ci].can_close || self.sc.pieces[ci].len == 0 {
                cur += 1;
                continue;
            }
            let (ch, clen, corig, copen) = {
                let c = &self.sc.pieces[ci];
                (c.ch, c.len, c.orig_len, c.can_open)
            };
            let mut found = None;
            let mut k = cur;
            while k > bottom {
                k -= 1;
                let o = &self.sc.pieces[self.sc.delims[k]];
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
                    let oi = self.sc.delims[k];
                    let used = if ch == b'~' {
                        clen
                    } else if self.sc.pieces[oi].len >= 2 && clen >= 2 {
                        2
                    } else {
                        1
                    };
                    self.sc.pieces[oi].len -= used;
                    self.sc.pieces[ci].len -= used;
                    // Delimiters between opener and closer can no longer match.
                    for d in &self.sc.delims[k + 1..cur] {
                        let p = &mut self.sc.pieces[*d];
                        p.can_open = false;
                        p.can_close = false;
                    }
                    if self.sc.pieces[ci].len == 0 {
                        cur += 1;
                    }
                }
                None => cur += 1,
            }
        }
        self.sc.delims.truncate(bottom);
    }

    fn close_bracket(&mut self, i: usize) -> usize {
        let Some(br) = self.sc.brackets.pop() else { return i };
        let closed_over = self.sc.brackets.len() < self.inactive_below;
        self.inactive_below = self.inactive_below.min(self.sc.brackets.len());
        if !br.active || (!br.image && closed_over) {
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
        } else if self.defs.urls.is_empty() {
            // No definition, so no reference: most pages have none, and every `]` of theirs
            // would otherwise build and look up a normalized label.
        } else if let Some((lab, ls, le, e)) = self.ref_label(i + 1) {
            let key = normalize_label(if lab.is_empty() { label_raw } else { &lab });
            if let Some(u) = self.defs.get(&key) {
                end = Some(e);
                url = u.clone();
                kind = LinkKind::Reference;
                url_span = if lab.is_empty() { (label_start, i) } else { (ls, le) };
                ref_label = Some(key);
            }
        } else {
            let key = normalize_label(label_raw);
            if let Some(u) = self.defs.get(&key)
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
        // The bracket's own `[` is no text now (its bytes stay in the buffer, unreferenced).
        let open = &mut self.sc.pieces[br.piece].text;
        open.1 = open.0;
        let mut text = String::with_capacity(text_len(&self.sc.pieces[br.piece..]));
        for p in &self.sc.pieces[br.piece..] {
            match p.kind {
                PieceKind::Text | PieceKind::Bracket => text.push_str(self.piece_text(p)),
                PieceKind::Delim => (0..p.len).for_each(|_| text.push(p.ch as char)),
                PieceKind::Boundary => {}
            }
        }
        if !br.image {
            // Every `[` still open is inactive now (no links in links); `![` stays active.
            self.inactive_below = self.sc.brackets.len();
        }
        self.sc.link_ranges.push((label_start, i));
        self.sc.link_spans.push((br.start, end));
        let url_span = self.v.span(url_span.0, url_span.1);
        self.sc.out.links.push(Link {
            kind,
            image: br.image,
            url: self.v.piece_or_copy(url_span, &url),
            label: ref_label.map(String::into_boxed_str),
            span: self.v.span(br.start, end),
            url_span,
            // The text starts after the `[`, or `![`, when it is the source's.
            text: self.v.piece_or_copy(Span::new(self.v.orig(label_start), self.v.orig(i)), &text),
        });
        self.boundary();
        self.last_nonspace_end = end;
        end
    }

    /// `(dest "title")` starting at `i` (the `(`): (url, url start, url end, end). Each `]`
    /// reads ahead at most to 33 open parentheses in a destination (micromark's limit of 32), so
    /// `[a](` repeated costs a constant factor, not a quadratic one; a title is read once for
    /// all the `](` before its closing quote ([`Parser::title_scans`]).
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
            let slot = match close {
                b'"' => 0,
                b'\'' => 1,
                _ => 2,
            };
            // A title read from an earlier opening quote found its closing one (or the end)
            // at `found`: read from a later quote before that, it finds the same one (the
            // reading is the same past the opening quote).
            let (from, found) = self.title_scans.get()[slot];
            let k = if from < j && j < found {
                found
            } else {
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
                let mut scans = self.title_scans.get();
                scans[slot] = (j, k);
                self.title_scans.set(scans);
                k
            };
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
        // The label is phrasing content of its own (links, JSX, code... inside).
        let mut label = None;
        if let Some(close) = directive_label_end(b, j, true) {
            label = Some((j + 1, close));
            j = close + 1;
        }
        if b.get(j) == Some(&b'{')
            && let Some(k) = self.s[j..].find('}')
            && !self.s[j..j + k].contains('\n')
        {
            j += k + 1;
        }
        if let Some((ls, le)) = label {
            let mut sc = Scratch::default();
            let sub = parse_range(self.v, self.defs, None, true, ls, le, &mut sc);
            self.sc.out.links.append(&mut sub.links);
            self.sc.out.jsx.append(&mut sub.jsx);
            self.sc.out.errors.append(&mut sub.errors);
            self.boundary();
            self.text(&sub.text);
            self.boundary();
        }
        j
    }

    fn literal_allowed_www(&self, i: usize) -> bool {
        match self.char_before(i) {
            None => true,
            Some(c) => c.is_whitespace() || matches!(c, '(' | '*' | '_' | '[' | ']' | '~'),
        }
    }

    fn autolink_literal(&mut self, i: usize) -> usize {
        // micromark makes no literal after a `[` not closed yet (mdast's pass may).
        if !self.sc.brackets.is_empty() {
            return i;
        }
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
        let span = self.v.span(i, end);
        self.sc.out.links.push(Link {
            kind: LinkKind::Autolink,
            image: false,
            url: self.v.piece_or_copy(span, &url),
            label: None,
            span,
            url_span: span,
            text: self.v.piece_or_copy(span, text),
        });
        let t = text.to_string();
        self.boundary();
        self.text(&t);
        self.boundary();
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
        if !self.sc.brackets.is_empty() {
            return at;
        }
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
        if let Some(last) = self.sc.pieces.last()
            && last.kind == PieceKind::Text
            && self.piece_text(last).ends_with(&self.s[s..at])
        {
            let keep = self.piece_text(last).len() - (at - s);
            self.truncate_last(keep);
        }
        self.sc.out.links.push(Link {
            kind: LinkKind::Autolink,
            image: false,
            url: format!("mailto:{text}").into(),
            label: None,
            span: self.v.span(s, j),
            url_span: self.v.span(s, j),
            text: SharedStr::owned(&text),
        });
        self.boundary();
        self.text(&text);
        self.boundary();
        j
    }
}

/// A definition (`[label]: destination "title"`) parsed from the start of `text` at `at`, as
/// micromark's definition construct reads content: the label, destination and title may each
/// sit on their own line. Returns where it ends (the end of its last line), the normalized
/// label, the url, the destination's range and the title.
pub(crate) struct ParsedDefinition {
    pub end: usize,
    pub label: String,
    pub url: String,
    pub url_range: (usize, usize),
    pub title: Option<String>,
}

pub(crate) fn parse_definition(text: &str, at: usize) -> Option<ParsedDefinition> {
    let b = text.as_bytes();
    let (label_end, _) = label_at(b, at)?;
    if b.get(label_end) != Some(&b':') {
        return None;
    }
    let label = &text[at + 1..label_end - 1];
    let mut j = whitespace_at(b, label_end + 1);
    let (us, ue, after_dest) = destination_at(b, j, usize::MAX)?;
    let url = unescape(&text[us..ue]);
    // An optional title, which needs whitespace before it and only whitespace after it.
    let mut title = None;
    let mut end = None;
    if matches!(b.get(after_dest), Some(b' ' | b'\t' | b'\n')) {
        j = whitespace_at(b, after_dest);
        if let Some((ts, te, after_title)) = title_at(b, j) {
            let k = spaces_at(b, after_title);
            if k >= b.len() || b[k] == b'\n' {
                title = Some(title_value(&text[ts..te]));
                end = Some(k);
            }
        }
    }
    let end = match end {
        Some(e) => e,
        None => {
            let k = spaces_at(b, after_dest);
            if k < b.len() && b[k] != b'\n' {
                return None;
            }
            k
        }
    };
    Some(ParsedDefinition { end, label: normalize_label(label), url, url_range: (us, ue), title })
}

/// micromark's `factoryLabel`: `[`, at most 999 chars with something other than whitespace, no
/// unescaped `[`, then `]`. Returns the offset after `]` and whether it spans lines.
fn label_at(b: &[u8], at: usize) -> Option<(usize, bool)> {
    if b.get(at) != Some(&b'[') {
        return None;
    }
    let (mut k, mut size, mut seen, mut lines) = (at + 1, 0usize, false, false);
    while k < b.len() {
        match b[k] {
            b'[' => return None,
            b']' => return seen.then_some((k + 1, lines)),
            b'\n' => lines = true,
            c => {
                size += 1;
                if size > 999 {
                    return None;
                }
                seen |= c != b' ' && c != b'\t';
                if c == b'\\' && matches!(b.get(k + 1), Some(b'[' | b'\\' | b']')) {
                    k += 1;
                    size += 1;
                }
            }
        }
        k += 1;
    }
    None
}

/// micromark's `factoryWhitespace`: spaces, tabs and line endings.
fn whitespace_at(b: &[u8], mut j: usize) -> usize {
    while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n') {
        j += 1;
    }
    j
}

fn spaces_at(b: &[u8], mut j: usize) -> usize {
    while j < b.len() && matches!(b[j], b' ' | b'\t') {
        j += 1;
    }
    j
}

/// micromark's `factoryDestination`: `<...>` on one line, or raw text with balanced
/// parentheses (at most `max` deep) up to whitespace. Returns the string's range and the offset
/// after the destination.
fn destination_at(b: &[u8], j: usize, max: usize) -> Option<(usize, usize, usize)> {
    match b.get(j) {
        Some(b'<') => {
            let mut k = j + 1;
            while k < b.len() {
                match b[k] {
                    b'>' => return Some((j + 1, k, k + 1)),
                    b'<' | b'\n' => return None,
                    b'\\' if matches!(b.get(k + 1), Some(b'<' | b'>' | b'\\')) => k += 1,
                    _ => {}
                }
                k += 1;
            }
            None
        }
        None | Some(b' ' | b')') => None,
        Some(&c) if c < b' ' || c == 0x7f => None,
        Some(_) => {
            let (mut k, mut balance) = (j, 0usize);
            while k < b.len() {
                let c = b[k];
                if balance == 0 && (c == b')' || c == b' ' || c == b'\t' || c == b'\n') {
                    break;
                }
                if c == b'(' && balance < max {
                    balance += 1;
                } else if c == b')' {
                    balance -= 1;
                } else if c == b' ' || c == b'(' || c < b' ' || c == 0x7f {
                    return None;
                } else if c == b'\\' && matches!(b.get(k + 1), Some(b'(' | b')' | b'\\')) {
                    k += 1;
                }
                k += 1;
            }
            if balance != 0 {
                return None;
            }
            Some((j, k, k))
        }
    }
}

/// micromark's `factoryTitle`: `"..."`, `'...'` or `(...)`, over lines. Returns the inner range
/// and the offset after the closing marker.
fn title_at(b: &[u8], j: usize) -> Option<(usize, usize, usize)> {
    let close = match b.get(j) {
        Some(b'"') => b'"',
        Some(b'\'') => b'\'',
        Some(b'(') => b')',
        _ => return None,
    };
    let mut k = j + 1;
    while k < b.len() {
        if b[k] == close {
            return Some((j + 1, k, k + 1));
        }
        if b[k] == b'\\' && (b.get(k + 1) == Some(&close) || b.get(k + 1) == Some(&b'\\')) {
            k += 1;
        }
        k += 1;
    }
    None
}

/// A title's value: escapes and references decoded, whitespace after line endings dropped.
fn title_value(raw: &str) -> String {
    if !raw.contains('\n') {
        return unescape(raw);
    }
    let lines: Vec<&str> =
        raw.split('\n').enumerate().map(|(k, l)| if k == 0 { l } else { l.trim_start_matches([' ', '\t']) }).collect();
    unescape(&lines.join("\n"))
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

/// Where a directive's label that opens at `b[j] == b'['` closes (its `]`), as
/// micromark-extension-directive's label factory reads it: brackets balance (32 deep at most),
/// `\` escapes them, and only a text directive's label may span lines.
pub(crate) fn directive_label_end(b: &[u8], j: usize, allow_eol: bool) -> Option<usize> {
    if b.get(j) != Some(&b'[') {
        return None;
    }
    let mut balance = 0usize;
    let mut k = j + 1;
    while k < b.len() {
        match b[k] {
            b'[' => {
                balance += 1;
                if balance > 32 {
                    return None;
                }
            }
            b']' => {
                if balance == 0 {
                    return Some(k);
                }
                balance -= 1;
            }
            b'\n' | b'\r' if !allow_eol => return None,
            b'\\' if matches!(b.get(k + 1), Some(b'[' | b'\\' | b']')) => k += 1,
            _ => {}
        }
        k += 1;
    }
    None
}

/// mdast-util-gfm-autolink-literal on one text node's value: URLs
/// (`/(https?:\/\/|www(?=\.))([-.\w]+)([^ \t\r\n]*)/gi`, then `findUrl`), then emails in what
/// is left (`/(?<=^|\s|\p{P}|\p{S})([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)/gu`, `findEmail`).
/// Returns (start, end, url) of each link.
/// Whether `t` may hold anything [`text_node_literals`] finds: a URL literal starts with
/// `http://`, `https://` or `www.` (in any case) and an email literal has an `@`. Most text
/// nodes hold none of these, and this test runs at `memchr` speed where the scan it saves goes
/// byte by byte (it was a tenth of the parser's instructions on the tigera corpus).
fn may_hold_literal(t: &str) -> bool {
    let b = t.as_bytes();
    memchr::memchr3_iter(b'@', b':', b'.', b).any(|k| match b[k] {
        b'@' => true,
        b':' => b[k + 1..].starts_with(b"//"),
        _ => k >= 3 && b[k - 3..k].eq_ignore_ascii_case(b"www"),
    })
}

fn text_node_literals(t: &str) -> Vec<(usize, usize, String)> {
    let b = t.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut links = Vec::new();
    // Text nodes left after the URL pass: (start, end).
    let mut rest = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        // Only `h`/`w` can start a literal: skip everything else cheaply.
        if !matches!(b[i], b'h' | b'H' | b'w' | b'W') {
            i += 1;
            continue;
        }
        let lower = |k: usize, p: &str| b.len() >= k + p.len() && b[k..k + p.len()].eq_ignore_ascii_case(p.as_bytes());
        let (proto_len, www) = if lower(i, "https://") {
            (8, false)
        } else if lower(i, "http://") {
            (7, false)
        } else if lower(i, "www.") {
            (3, true)
        } else {
            i += 1;
            continue;
        };
        let mut d = i + proto_len;
        while d < b.len() && (word(b[d]) || b[d] == b'-' || b[d] == b'.') {
            d += 1;
        }
        if d == i + proto_len {
            i += 1;
            continue;
        }
        let mut p = d;
        while p < b.len() && !matches!(b[p], b' ' | b'\t' | b'\r' | b'\n') {
            p += 1;
        }
        let domain = if www { &t[i..d] } else { &t[i + proto_len..d] };
        // `previous` reads the node's original value, links made before included.
        let ok_prev = previous_ok(&t[..i], false);
        if !ok_prev || !correct_domain(domain) {
            i += 1;
            continue;
        }
        let body_start = if www { i } else { i + proto_len };
        let kept = split_url(&t[body_start..p]);
        if kept == 0 {
            i += 1;
            continue;
        }
        let end = body_start + kept;
        let url = if www { format!("http://{}", &t[i..end]) } else { t[i..end].to_string() };
        if start < i {
            rest.push((start, i));
        }
        links.push((i, end, url));
        start = end;
        i = p;
    }
    if start < b.len() {
        rest.push((start, b.len()));
    }
    for (ra, rb) in rest {
        let seg = &t[ra..rb];
        let sb = seg.as_bytes();
        let mut k = 0;
        while let Some(off) = seg[k..].find('@') {
            let at = k + off;
            let atext = |c: u8| word(c) || matches!(c, b'-' | b'.' | b'+');
            let mut s = at;
            while s > 0 && atext(sb[s - 1]) {
                s -= 1;
            }
            // The domain: labels of `[-\w]` joined by dots, at least two.
            let mut e = at + 1;
            let mut last_label_end = None;
            let mut labels = 0;
            loop {
                let ls = e;
                while e < sb.len() && (word(sb[e]) || sb[e] == b'-') {
                    e += 1;
                }
                if e == ls {
                    break;
                }
                labels += 1;
                last_label_end = Some(e);
                if e < sb.len() && sb[e] == b'.' && sb.get(e + 1).is_some_and(|&c| word(c) || c == b'-') {
                    e += 1;
                } else {
                    break;
                }
            }
            k = at + 1;
            let Some(de) = last_label_end else { continue };
            if s == at || labels < 2 {
                continue;
            }
            // The lookbehind and `previous`: start, whitespace or punctuation, not `/`.
            if !(s == 0 || previous_ok(&seg[..s], true)) {
                continue;
            }
            if matches!(sb[de - 1], b'-' | b'_') || sb[de - 1].is_ascii_digit() {
                continue;
            }
            links.push((ra + s, ra + de, format!("mailto:{}", &seg[s..de])));
            k = de;
        }
    }
    links.sort_unstable_by_key(|l| l.0);
    links
}

/// mdast-util-gfm-autolink-literal's `previous`: the char before the match is whitespace or
/// punctuation (or a symbol), and for emails not `/`.
fn previous_ok(before: &str, email: bool) -> bool {
    match before.chars().next_back() {
        None => true,
        Some('/') if email => false,
        Some(c) => c.is_whitespace() || is_punct(c),
    }
}

/// `isCorrectDomain`: the last two dot-separated labels have no `_` and some alphanumeric.
fn correct_domain(domain: &str) -> bool {
    let parts: Vec<&str> = domain.split('.').collect();
    if parts.len() < 2 {
        return false;
    }
    let bad = |p: &str| !p.is_empty() && (p.contains('_') || !p.bytes().any(|c| c.is_ascii_alphanumeric()));
    !(bad(parts[parts.len() - 1]) || bad(parts[parts.len() - 2]))
}

/// `splitUrl`: how much of `url` stays once trailing punctuation is cut, closing parentheses
/// kept while they balance opening ones.
fn split_url(url: &str) -> usize {
    let b = url.as_bytes();
    let trail_char = |c: u8| {
        matches!(c, b'!' | b'"' | b'&' | b'\'' | b')' | b',' | b'.' | b':' | b';' | b'<' | b'>' | b'?' | b']' | b'}')
    };
    let mut keep = b.len();
    while keep > 0 && trail_char(b[keep - 1]) {
        keep -= 1;
    }
    let opening = b[..keep].iter().filter(|&&c| c == b'(').count();
    let mut closing = b[..keep].iter().filter(|&&c| c == b')').count();
    let mut trail = keep;
    while opening > closing {
        match b[trail..].iter().position(|&c| c == b')') {
            Some(k) => {
                trail += k + 1;
                keep = trail;
                closing += 1;
            }
            None => break,
        }
    }
    keep
}

/// Case-fold and collapse whitespace as micromark's `normalizeIdentifier`.
pub(crate) fn normalize_label(s: &str) -> String {
    if s.is_ascii() {
        // ASCII folds the same either way round: one pass and one allocation per label, which
        // is what a page of thousands of definitions and references pays. Byte by byte: a
        // `split` on a set of chars decodes every character to compare it with the set.
        let mut out = Vec::with_capacity(s.len());
        let mut space = false;
        for &c in s.as_bytes() {
            if matches!(c, b' ' | b'\t' | b'\n' | b'\r') {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(b' ');
                space = false;
            }
            out.push(c.to_ascii_lowercase());
        }
        // ASCII in, ASCII out.
        return String::from_utf8(out).unwrap_or_default();
    }
    let collapsed: Vec<&str> = s.split([' ', '\t', '\n', '\r']).filter(|p| !p.is_empty()).collect();
    // micromark matches on `toLowerCase().toUpperCase()`; mdast stores that lowercased.
    collapsed.join(" ").to_lowercase().to_uppercase().to_lowercase()
}

/// Backslash escapes and character references in a destination or title.
pub(crate) fn unescape(s: &str) -> String {
    // memchr rather than `contains` on a set of chars, which decodes every character.
    if memchr::memchr2(b'\\', b'&', s.as_bytes()).is_none() {
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
        // micromark's `decodeNumericCharacterReference`: controls, surrogates, noncharacters
        // and out-of-range values become U+FFFD.
        let bad = v < 9
            || v == 11
            || (14..32).contains(&v)
            || (127..160).contains(&v)
            || (0xD800..0xE000).contains(&v)
            || (0xFDD0..0xFDF0).contains(&v)
            || v & 0xFFFF >= 0xFFFE
            || v > 0x10FFFF;
        let c = if bad { '\u{FFFD}' } else { char::from_u32(v)? };
        return Some((c.to_string(), j + 1));
    }
    let mut j = 1;
    while j < b.len() && j < 32 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if b.get(j) != Some(&b';') || j == 1 {
        return None;
    }
    let name = &s[1..j];
    let v = ENTITIES.binary_search_by_key(&name, |e| e.0).ok().map(|k| ENTITIES[k].1)?;
    Some((v.to_string(), j + 1))
}

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
        std::mem::take(parse(&v, &Defs { urls: &urls, deep: None }, None, true, &mut Scratch::default()))
    }

    #[test]
    fn labels_fold_and_collapse_whitespace() {
        assert_eq!(normalize_label("  Foo\t BAR\r\n\nbaz  "), "foo bar baz");
        assert_eq!(normalize_label("\t\n"), "");
        // Outside ASCII, micromark's round trip: `ẞ` lowers to `ß`, which upper-cases to `SS`.
        assert_eq!(normalize_label("Straẞe  X"), "strasse x");
    }

    #[test]
    fn the_special_byte_scan_finds_each_byte_where_the_table_does() {
        // Every byte value at every offset of a 70-byte run of plain text, so that the 32-byte
        // rounds, the eight-byte rounds and the last bytes each meet it; and the run with no
        // special byte at all.
        let expected = |b: &[u8], i: usize| i + b[i..].iter().position(|&c| SPECIAL[c as usize]).unwrap_or(b.len() - i);
        for c in 0..=255u8 {
            for at in 0..70 {
                let mut b = vec![b'a'; 70];
                b[at] = c;
                for from in [0, 1, 7, 31, 33] {
                    assert_eq!(next_special(&b, from), expected(&b, from), "byte {c:#04x} at {at}, from {from}");
                    assert_eq!(next_special_swar(&b, from), expected(&b, from));
                }
            }
        }
        let plain = "Plain prose, with commas - hyphens (and) \"quotes\" over 0123456789 ÄÖÜ/é ".repeat(3);
        assert_eq!(next_special(plain.as_bytes(), 0), plain.len());
        assert!(SPECIAL.iter().enumerate().all(|(c, &s)| !s || c < 0x80));
    }

    #[test]
    fn named_table_is_sorted() {
        assert!(ENTITIES.windows(2).all(|w| w[0].0 < w[1].0));
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
    fn literal_links_found_from_the_byte_after_their_prefix() {
        // The scan stops at the `:` or `.` after `http`, `https` or `www`, not at `h` or `w`.
        let urls = |s: &str| run(s, &[]).links.into_iter().map(|l| l.url).collect::<Vec<_>>();
        assert_eq!(urls("HTTPS://X.IO and Www.a.com"), ["HTTPS://X.IO", "http://Www.a.com"]);
        assert_eq!(urls("(https://a.io) *www.b.io*"), ["https://a.io", "http://www.b.io"]);
        // After a letter, no literal; nor for a `w` too many. After a backslash, micromark
        // makes none, but mdast's pass does (a backslash is punctuation).
        assert!(urls("xhttps://a.io ahttp://b.io wwww.d.io").is_empty());
        assert_eq!(urls("\\www.c.io"), ["http://www.c.io"]);
        // `http:` without `//`, then a text directive right after it.
        assert!(urls("http:x and https:").is_empty());
        // Right after a code span: the text node starts there, so mdast's pass makes one.
        let o = run("see `c`www.e.io and `c`ww.f.io", &[]);
        assert_eq!(o.links.iter().map(|l| l.url.as_str()).collect::<Vec<_>>(), ["http://www.e.io"]);
        assert_eq!(o.text, "see cwww.e.io and cww.f.io");
    }

    #[test]
    fn jsx_errors() {
        assert!(run("a <5 b", &[]).errors.len() == 1);
        assert!(run("a < b", &[]).errors.is_empty());
        // How tags nest is the block parser's check: here, only the tags.
        let tags: Vec<_> = run("<b>x</i>", &[]).tags.into_iter().map(|t| (t.name, t.closing)).collect();
        assert_eq!(tags, [("b".to_string(), false), ("i".to_string(), true)]);
        assert!(run("x {#id}", &[]).errors.len() == 1);
    }
}
