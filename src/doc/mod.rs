//! The parsed document model: everything rules may know about one MDX file.
//!
//! Built once per file by [`parse`], in parallel across files. Every item carries the byte
//! range it occupies in the original text. The model follows what Docusaurus 3 (`@mdx-js/mdx` 3
//! with remark-gfm, remark-frontmatter and remark-directive) sees; rules never look at a parser
//! tree, so the parser can change in one place.
//!
//! Layer 1, above `diag` only: one file at a time. The site, the other files and every
//! cross-file question (routes, anchors, links) are left to `site`, `model` and `analysis`.

mod block;
pub mod covers;
mod expr;
mod frontmatter;
mod inline;
mod jsx;
mod shared;
pub mod slug;
mod slug_table;
mod vars;

pub use covers::Covers;
pub use frontmatter::{FrontMatter, Tag};
pub use shared::SharedStr;
pub use slug::Slugger;
pub use vars::{has_token_start, substitute};

use crate::diag::Span;

/// How deep block quotes, list items, directives and JSX elements may nest. The reference
/// compiler recurses over the tree it builds and overflows Node's stack somewhere past this
/// (measured with `@mdx-js/mdx` 3: list items between 700 and 1,000 levels, block quotes and
/// JSX elements between 1,000 and 3,000); docdrift stops reading structure there, so that time
/// and memory stay linear, and reports it.
pub(crate) const MAX_NESTING: usize = 512;

/// The error at the construct that goes past [`MAX_NESTING`].
pub(crate) fn too_deep(what: &str) -> String {
    format!("{what} nested deeper than {MAX_NESTING} levels")
}

/// How the site compiles MDX (the `markdown.mdx1Compat` switches of Docusaurus).
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    /// `mdx1Compat.headingIds`: `{#id}` at the end of an ATX heading is escaped before parsing.
    pub mdx1_heading_ids: bool,
    /// `mdx1Compat.admonitions`: `:::note Title` is rewritten to `:::note[Title]`.
    pub mdx1_admonitions: bool,
    /// `mdx1Compat.comments`: `<!-- -->` is a comment (`@slorber/remark-comment`), not an error.
    pub html_comments: bool,
    /// The file is CommonMark (`markdown.format: 'detect'` and a `.md` file): no JSX, no
    /// expressions, so nothing the MDX compiler rejects is an error.
    pub commonmark: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Document {
    pub front_matter: Option<FrontMatter>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub definitions: Vec<Definition>,
    pub imports: Vec<Import>,
    pub jsx: Vec<JsxElement>,
    pub admonitions: Vec<Admonition>,
    /// `:::type Title` lines that are not directives with mdx1Compat off.
    pub legacy_admonitions: Vec<LegacyAdmonition>,
    /// Lines of only colons (`:::`) that close no directive: they render as text.
    pub stray_fences: Vec<Span>,
    pub code_blocks: Vec<CodeBlock>,
    pub var_tokens: Vec<VarToken>,
    /// Places where the reference compiler stops with an error.
    pub mdx_errors: Vec<MdxError>,
    /// Every flow block in document order (by start, outer before inner), for aligning copies
    /// of a page block by block.
    pub blocks: Vec<Block>,
    /// The parser crashed on this file (a bug in docdrift): what it said. The document is then
    /// empty, and the run reports an internal error for the file and goes on.
    pub internal_error: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    Code,
    Admonition,
    TableRow,
    /// A JSX element whose tags stand alone on their lines (`<Tabs>`, `<TabItem>`, `<Image />`).
    Jsx,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list-item",
            BlockKind::Code => "code",
            BlockKind::Admonition => "admonition",
            BlockKind::TableRow => "table-row",
            BlockKind::Jsx => "jsx",
        }
    }

    /// How messages name it ("a code block").
    pub fn noun(self) -> &'static str {
        match self {
            BlockKind::Heading => "heading",
            BlockKind::Paragraph => "paragraph",
            BlockKind::ListItem => "list item",
            BlockKind::Code => "code block",
            BlockKind::Admonition => "admonition",
            BlockKind::TableRow => "table row",
            BlockKind::Jsx => "JSX element",
        }
    }

    /// Holds other blocks (its own text is the text of what it holds).
    pub fn is_container(self) -> bool {
        matches!(self, BlockKind::ListItem | BlockKind::Admonition | BlockKind::Jsx)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Without trailing whitespace; a list item from its marker to the end of its content.
    pub span: Span,
    /// The index of the innermost enclosing block in [`Document::blocks`], plus one: in four
    /// bytes, where an `Option<u32>` takes eight and made a block 20 bytes, not 16 (the
    /// corpus's documents keep 160,000 blocks). Read it with [`Block::parent`].
    parent: Option<std::num::NonZeroU32>,
    /// How many blocks enclose it.
    pub depth: u16,
}

impl Block {
    /// Index of the innermost enclosing block in [`Document::blocks`].
    pub fn parent(&self) -> Option<u32> {
        self.parent.map(|p| p.get() - 1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub depth: u8,
    pub span: Span,
    /// The inline content (for ATX, without the `#` markers and closing sequence).
    pub content: Span,
    /// The text as `mdast-util-to-string` gives it (JSX children and expression source
    /// included), before `$[var]` substitution and with any explicit id removed.
    pub text: SharedStr,
    /// Boxed: few headings have one, and inline it took 40 of a heading's 88 bytes.
    pub explicit_id: Option<Box<ExplicitId>>,
    pub setext: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdSyntax {
    /// `{/* #id */}` (Docusaurus 3.10+).
    Comment,
    /// `\{#id}`: escaped, so MDX keeps it as text and Docusaurus reads it.
    Escaped,
    /// `{#id}`: only valid with `mdx1Compat.headingIds`; otherwise a compile error.
    Bare,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplicitId {
    pub id: String,
    pub syntax: IdSyntax,
    /// The whole id construct including braces.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `[text](url)` / `![alt](url)`.
    Inline,
    /// `[text][ref]`, `[ref][]`, `[ref]`: the url comes from a definition.
    Reference,
    /// GFM literal autolink (`https://…`, `www.…`).
    Autolink,
    /// A JSX attribute: `<Link to>`, `href`, `src`.
    JsxAttribute,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub kind: LinkKind,
    pub image: bool,
    /// The destination as mdast has it (escapes and entities decoded). For references, the
    /// definition's url, or empty when no definition matches.
    pub url: SharedStr,
    /// For references, the normalized label; for JSX, the attribute name.
    pub label: Option<Box<str>>,
    pub span: Span,
    /// Where the destination is written; for references, the reference label.
    pub url_span: Span,
    /// The link's text content (for images, the alt).
    pub text: SharedStr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// Normalized label (case-folded, whitespace collapsed).
    pub label: String,
    pub url: String,
    pub title: Option<String>,
    pub span: Span,
    pub url_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The module specifier: `./_partial.mdx`, `@site/src/components/X`.
    pub source: String,
    /// Names bound by the import (default and named, after `as`).
    pub names: Vec<String>,
    pub span: Span,
    pub source_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttrValue {
    /// `<X flag>`.
    None,
    /// `a="x"`, with JSX entities decoded.
    String(Box<str>),
    /// `a={expr}`: the expression source.
    Expression(Box<str>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsxAttr {
    /// Empty for a spread attribute `{...props}`.
    pub name: Box<str>,
    pub value: AttrValue,
    pub span: Span,
    /// The value without quotes or braces.
    pub value_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsxElement {
    /// Empty for a fragment `<>`; `a.b` and `a:b` as written.
    pub name: Box<str>,
    /// Boxed, so of its length: a list grown by pushes has room for at least four, and most
    /// tags have one or two.
    pub attrs: Box<[JsxAttr]>,
    /// From the `<` of the opening tag to the `>` of the closing tag (or of the self-closing tag).
    pub span: Span,
    pub open_tag: Span,
    /// A block-level element (its tag stands alone on its lines) rather than one inside text.
    pub flow: bool,
    /// Index of the enclosing JSX element in [`Document::jsx`].
    pub parent: Option<u32>,
}

impl JsxElement {
    pub fn attr(&self, name: &str) -> Option<&JsxAttr> {
        self.attrs.iter().find(|a| &*a.name == name)
    }
    pub fn string_attr(&self, name: &str) -> Option<&str> {
        match self.attr(name).map(|a| &a.value) {
            Some(AttrValue::String(s)) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admonition {
    /// The directive name as written (`note`, `tip`, or an unknown one).
    pub kind: String,
    /// The label `[Title]` as text, or the `title` attribute.
    pub title: Option<String>,
    /// From the opening fence to the end of the closing fence (or of the container).
    pub span: Span,
    /// The opening line's `:::name[...]{...}`.
    pub opener: Span,
    /// The number of colons in the fence.
    pub fence: u8,
    /// False when no closing fence was found before the container ended.
    pub closed: bool,
    pub parent: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegacyAdmonition {
    pub kind: String,
    pub title: String,
    /// The whole opener line `:::tip Title`.
    pub span: Span,
    /// Where `:::tip` ends and ` Title` starts.
    pub title_span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBlock {
    pub lang: Option<Box<str>>,
    pub meta: Option<Box<str>>,
    /// The content as mdast has it (container indentation removed, no final line ending).
    pub value: SharedStr,
    pub span: Span,
    /// Where the first content line starts (the line after the opening fence).
    pub content_start: u32,
    /// Index of the innermost enclosing `TabItem` JSX element.
    pub tab: Option<u32>,
}

/// A `$[name]` token. The name is kept as where it is written, not as a copy: a versioned
/// site has tens of thousands of tokens, each parsed document keeps its own for the whole run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VarToken {
    /// The whole token, `$` to `]`.
    pub span: Span,
    /// The name, without the brackets and the blanks around it.
    pub name_span: Span,
}

impl VarToken {
    /// The name, from the text the token was scanned in.
    pub fn name<'t>(&self, text: &'t str) -> &'t str {
        &text[self.name_span.range()]
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MdxError {
    pub span: Span,
    /// What the compiler says, in its words where we know them.
    pub reason: String,
    pub kind: MdxErrorKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MdxErrorKind {
    /// A `{#id}` heading id with mdx1Compat off (acorn cannot parse `#id`).
    HeadingId,
    /// An HTML comment `<!-- -->`.
    HtmlComment,
    /// Anything else the MDX parser rejects (JSX, expressions, ESM).
    Other,
}

/// The front matter at the start of `text` and the offset where the body starts, if the file
/// has one. Public only so that the fuzz target can reach it without the rest of the parser.
#[doc(hidden)]
pub fn front_matter(text: &str) -> Option<(FrontMatter, usize)> {
    frontmatter::split(text)
}

/// Parse one file's text. Never fails: problems the reference compiler would stop on are
/// recorded in [`Document::mdx_errors`] and parsing goes on as far as it sensibly can.
pub fn parse(text: &str, opts: &ParseOptions) -> Document {
    guarded(|| parse_unguarded(text, None, opts))
}

/// [`parse`], for a text the caller keeps: strings that are pieces of it (code blocks' content)
/// share it instead of copying it (see [`SharedStr`]).
pub fn parse_shared(text: &SharedStr, opts: &ParseOptions) -> Document {
    guarded(|| parse_unguarded(text, Some(text), opts))
}

fn guarded(parse: impl FnOnce() -> Document + std::panic::UnwindSafe) -> Document {
    // One file must never take the run down: a crash is caught and reported for this file.
    std::panic::catch_unwind(parse).unwrap_or_else(|e| {
        let message = e
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Document { internal_error: Some(message), ..Document::default() }
    })
}

thread_local! {
    /// A document whose lists are empty but keep the capacity of the largest this thread has
    /// parsed. Every document is built in it and then moved out into lists of its exact size:
    /// a list grown from nothing is reallocated (and copied) at every doubling, and a page's
    /// lists (blocks, links, headings...) grow to hundreds of entries, which cost more than
    /// the one allocation and copy per list made here. Taken while a document is parsed (a
    /// parse that panics just leaves a fresh one).
    static SPARE: std::cell::Cell<Document> = std::cell::Cell::new(Document::default());
}

/// Free this thread's parsing scratch ([`SPARE`] and the block parser's workspace): lists
/// with the capacity of the largest page the thread parsed, a megabyte or two on a large site.
/// For the end of a parsing phase, so that what comes after can use that memory; a later
/// parse grows them again.
pub fn release_scratch() {
    drop(SPARE.take());
    block::release_workspace();
}

fn parse_unguarded(text: &str, shared: Option<&SharedStr>, opts: &ParseOptions) -> Document {
    let mut spare = SPARE.take();
    let doc = parse_into(text, shared, opts, &mut spare);
    SPARE.set(spare);
    doc
}

/// Parse into `doc` (empty), and move the result out of it in lists of their exact size.
/// `shared` is `text` held for sharing, if it is.
fn parse_into(text: &str, shared: Option<&SharedStr>, opts: &ParseOptions, doc: &mut Document) -> Document {
    let masked = if opts.html_comments || opts.commonmark { mask_comments(text) } else { None };
    match &masked {
        // Comments masked out: what the block parser reads is not the text, so it shares none.
        Some(m) => block::parse_document(m, None, opts, doc),
        None => block::parse_document(text, shared, opts, doc),
    }
    if opts.commonmark {
        doc.mdx_errors.clear();
    }
    vars::scan(text, &mut doc.var_tokens);
    for e in &mut doc.mdx_errors {
        e.span = whole_chars(text, e.span);
    }
    let blocks = nest_blocks(text, doc);
    Document { blocks, ..exact(doc) }
}

/// `doc`'s content, each list in an allocation of its length; `doc` is left empty, its lists
/// with their capacity.
fn exact(doc: &mut Document) -> Document {
    fn take<T>(v: &mut Vec<T>) -> Vec<T> {
        let mut out = Vec::with_capacity(v.len());
        out.append(v);
        out
    }
    // Every field by name, so that a new one cannot be left behind in the spare document.
    let Document {
        front_matter,
        headings,
        links,
        definitions,
        imports,
        jsx,
        admonitions,
        legacy_admonitions,
        stray_fences,
        code_blocks,
        var_tokens,
        mdx_errors,
        blocks,
        internal_error,
    } = doc;
    Document {
        front_matter: front_matter.take(),
        headings: take(headings),
        links: take(links),
        definitions: take(definitions),
        imports: take(imports),
        jsx: take(jsx),
        admonitions: take(admonitions),
        legacy_admonitions: take(legacy_admonitions),
        stray_fences: take(stray_fences),
        code_blocks: take(code_blocks),
        var_tokens: take(var_tokens),
        mdx_errors: take(mdx_errors),
        blocks: take(blocks),
        internal_error: internal_error.take(),
    }
}

/// Add the blocks other lists already hold (headings, code, admonitions, JSX flow elements) to
/// the ones the block parser emitted, order them, and link each to its innermost container by
/// span: containers nest properly, so a stack walk in document order finds it. Returns the
/// list at its exact size and leaves `doc.blocks` empty (its capacity kept, see [`SPARE`]).
fn nest_blocks(text: &str, doc: &mut Document) -> Vec<Block> {
    let blocks = &mut doc.blocks;
    let parsed = blocks.len();
    let leaf = |kind, span: Span| Block { kind, span, parent: None, depth: 0 };
    blocks.extend(doc.headings.iter().map(|h| leaf(BlockKind::Heading, h.span)));
    blocks.extend(doc.code_blocks.iter().map(|c| leaf(BlockKind::Code, c.span)));
    blocks.extend(doc.admonitions.iter().map(|a| leaf(BlockKind::Admonition, a.span)));
    blocks.extend(doc.jsx.iter().filter(|j| j.flow).map(|j| leaf(BlockKind::Jsx, j.span)));
    let b = text.as_bytes();
    for blk in blocks.iter_mut() {
        let (start, mut end) = (blk.span.start as usize, (blk.span.end as usize).min(b.len()));
        while end > start && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        blk.span.end = end as u32;
    }
    // Outer before inner at the same start; containers before leaves when spans are equal.
    // Stable, as one sort of the whole list would be: the parser's blocks (in order already,
    // as a rule) and the others, each sorted on its own, then merged with ties to the
    // parser's. One sort of the whole list took several times as long: with runs this short
    // it sorts them all over again.
    let key = |k: &Block| (k.span.start, std::cmp::Reverse(k.span.end), !k.kind.is_container());
    let (ours, others) = blocks.split_at_mut(parsed);
    if !ours.is_sorted_by_key(key) {
        ours.sort_by_key(key);
    }
    others.sort_by_key(key);
    let mut out = Vec::with_capacity(ours.len() + others.len());
    let (mut i, mut j) = (0, 0);
    while i < ours.len() && j < others.len() {
        if key(&others[j]) < key(&ours[i]) {
            out.push(others[j].clone());
            j += 1;
        } else {
            out.push(ours[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&ours[i..]);
    out.extend_from_slice(&others[j..]);
    blocks.clear();
    let mut stack: Vec<usize> = Vec::new();
    for i in 0..out.len() {
        while let Some(&top) = stack.last() {
            let t = &out[top];
            if out[i].span.start >= t.span.end && t.span.end > t.span.start || out[i].span.end > t.span.end {
                stack.pop();
            } else {
                break;
            }
        }
        out[i].parent = stack.last().and_then(|&p| std::num::NonZeroU32::new(p as u32 + 1));
        out[i].depth = stack.len() as u16;
        if out[i].kind.is_container() {
            stack.push(i);
        }
    }
    out
}

/// `span` widened to whole characters: errors are found at a byte ("the character at `at`" is
/// `at..at + 1`) and must not start or end inside a character.
fn whole_chars(text: &str, span: Span) -> Span {
    let start = text.floor_char_boundary(span.start as usize);
    Span::new(start, text.ceil_char_boundary((span.end as usize).max(start)))
}

/// `text` with each `<!-- … -->` outside fenced code blanked (newlines kept, so every offset
/// stays where it was), or `None` when there is none. Comments are then invisible to the MDX
/// scanner, as remark-comment makes them.
fn mask_comments(text: &str) -> Option<String> {
    memchr::memmem::find(text.as_bytes(), b"<!--")?;
    let mut out = text.as_bytes().to_vec();
    let mut fence: Option<(u8, usize)> = None;
    let mut line_start = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if i == line_start {
            let indent = b[i..].iter().take_while(|c| **c == b' ').count();
            let j = i + indent;
            let c = b.get(j).copied().unwrap_or(0);
            if c == b'`' || c == b'~' {
                let n = b[j..].iter().take_while(|x| **x == c).count();
                if n >= 3 {
                    fence = match fence {
                        None => Some((c, n)),
                        Some((fc, fnn)) if fc == c && n >= fnn => None,
                        f => f,
                    };
                }
            }
        }
        if b[i] == b'\n' {
            line_start = i + 1;
            i += 1;
            continue;
        }
        if fence.is_none() && b[i..].starts_with(b"<!--") {
            let end = memchr::memmem::find(&b[i + 4..], b"-->").map_or(b.len(), |k| i + 4 + k + 3);
            for x in &mut out[i..end] {
                if *x != b'\n' && *x != b'\r' {
                    *x = b' ';
                }
            }
            // What follows `-->` on its line is not at a line start.
            line_start = usize::MAX;
            i = end;
            continue;
        }
        i += 1;
    }
    // Every byte of a comment (multi-byte characters whole) became a space: still UTF-8.
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(BlockKind, &str, u16)> {
        let doc = parse(text, &ParseOptions::default());
        doc.blocks.iter().map(|b| (b.kind, &text[b.span.start as usize..b.span.end as usize], b.depth)).collect()
    }

    #[test]
    fn a_bare_id_with_spaces_leaves_the_whole_heading_text() {
        // `{# x }` ends in a space: the heading's text keeps every character before the braces,
        // a non-ASCII one too (cut by bytes, it was split and the parse crashed).
        for (text, want) in
            [("# ab{# x }\n", "ab"), ("# é{# x }\n", "é"), ("# Café {# cafe }\n", "Café"), ("# é{#x}\n", "é")]
        {
            let doc = parse(text, &ParseOptions::default());
            assert_eq!(doc.internal_error, None, "{text:?}");
            let h = &doc.headings[0];
            assert_eq!(h.text, want, "{text:?}");
            let id = h.explicit_id.as_ref().expect("an id");
            assert_eq!(
                (id.id.as_str(), id.syntax),
                (if want == "Café" { "cafe" } else { "x" }, IdSyntax::Bare),
                "{text:?}"
            );
        }
    }

    #[test]
    fn blocks_nest_by_span() {
        let text = "# Title\n\nSome text\nmore.\n\n- one\n- two\n\n  inner\n\n:::note\n\nIn a note.\n\n:::\n\n<Tabs>\n<TabItem value=\"a\">\n\n```bash\nls\n```\n\n</TabItem>\n</Tabs>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let got = blocks(text);
        use BlockKind::*;
        assert_eq!(
            got,
            vec![
                (Heading, "# Title", 0),
                (Paragraph, "Some text\nmore.", 0),
                (ListItem, "- one", 0),
                (Paragraph, "one", 1),
                (ListItem, "- two\n\n  inner", 0),
                (Paragraph, "two", 1),
                (Paragraph, "inner", 1),
                (Admonition, ":::note\n\nIn a note.\n\n:::", 0),
                (Paragraph, "In a note.", 1),
                (Jsx, "<Tabs>\n<TabItem value=\"a\">\n\n```bash\nls\n```\n\n</TabItem>\n</Tabs>", 0),
                (Jsx, "<TabItem value=\"a\">\n\n```bash\nls\n```\n\n</TabItem>", 1),
                (Code, "```bash\nls\n```", 2),
                (TableRow, "| a | b |", 0),
                (TableRow, "| 1 | 2 |", 0),
            ]
        );
    }
}
