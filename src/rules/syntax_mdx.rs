use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::doc::MdxErrorKind;

declare_rule! {
    /// MDX the reference compiler rejects.
    ///
    /// ## What it does
    /// Reports the first place where `@mdx-js/mdx` 3, as Docusaurus 3 runs it, stops with an
    /// error: a `<` that does not start a valid JSX tag, an HTML comment, a JSX element closed
    /// by the wrong tag or not closed in its paragraph, list item or block quote, an expression
    /// with no closing brace. Only errors the compiler certainly raises are reported.
    ///
    /// ## Why it matters
    /// One such file fails the whole site build.
    ///
    /// ## Example
    /// ```mdx
    /// <!-- TODO: update for 3.31 -->
    /// Use a port <= 1024.
    /// ```
    /// Use instead:
    /// ```mdx
    /// {/* TODO: update for 3.31 */}
    /// Use a port &lt;= 1024.
    /// ```
    ///
    /// ## Fix
    /// Write comments as `{/* … */}`; escape a literal `<` or `{` as `\<`, `&lt;`, `\{`, or put
    /// it in backticks; close every JSX element inside the block that opens it.
    pub struct MdxInvalid {
        id: "syntax/mdx",
        category: Syntax,
        severity: Error,
        fixable: false,
    }
}

impl Rule for MdxInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        // The compiler stops at the first error; later ones may only follow from it. A `{#id}`
        // heading has its own rule with a better message, and fixing it would only reveal the
        // next error, so report the first error that is not one.
        let Some(e) = cx.file.doc.mdx_errors.iter().find(|e| e.kind != MdxErrorKind::HeadingId) else { return };
        let help = match e.kind {
            MdxErrorKind::HtmlComment => "MDX has no HTML comments: write `{/* comment */}`",
            _ if e.reason.contains("nested deeper than") => {
                "flatten the nesting: split the content into fewer levels, or into several blocks"
            }
            _ if e.reason.contains("closing tag") || e.reason.contains("Expected a closing tag") => {
                "close each JSX element in the same block (paragraph, list item, block quote, admonition) it opens in"
            }
            _ if e.reason.contains("expression") => "close the `{` with `}`, or escape a literal brace as `\\{`",
            _ => "escape a literal `<` as `\\<` or `&lt;`, or put it in backticks",
        };
        let span = unclosed_tag(cx, e).unwrap_or_else(|| tag_start(&cx.file.text, e.span));
        sink.report(cx.id, span, format!("MDX cannot compile this file: {}", e.reason)).help(help);
    }
}

/// The compiler points just after `<` (at `!` of `<!--`, at `5` of `<5`); underline from the `<`,
/// which is what the writer has to change.
fn tag_start(text: &str, span: crate::diag::Span) -> crate::diag::Span {
    let b = text.as_bytes();
    let mut i = span.start as usize;
    let floor = i.saturating_sub(3);
    while i > floor {
        i -= 1;
        match b[i] {
            b'<' => return crate::diag::Span::new(i, span.end as usize),
            b'/' | b' ' | b'\t' => continue,
            _ => break,
        }
    }
    span
}

/// For "Expected a closing tag for `<X>` …" the compiler points at the enclosing block; the writer
/// needs the tag that is never closed.
fn unclosed_tag(cx: &FileCx, e: &crate::doc::MdxError) -> Option<crate::diag::Span> {
    let name = e.reason.strip_prefix("Expected a closing tag for `<")?.split('>').next()?;
    cx.file
        .doc
        .jsx
        .iter()
        .find(|el| el.name == name && el.open_tag.start >= e.span.start && el.span == el.open_tag)
        .map(|el| el.open_tag)
}
