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
        let (message, help) = explain(e);
        let span = unclosed_tag(cx, e).unwrap_or_else(|| tag_start(&cx.file.text, e.span));
        // The compiler's own words stay, as a note at the same place: they are what the site
        // build prints, and what a search for the error finds.
        sink.report(cx.id, span, message).help(help).related(
            cx.id,
            span,
            format!("the MDX compiler says: {}", e.reason),
        );
    }
}

/// What is wrong, in MDX terms, and what to do; from the compiler's error.
fn explain(e: &crate::doc::MdxError) -> (String, String) {
    let r = e.reason.as_str();
    let between = |after: &str| r.split_once(after).and_then(|(_, t)| t.split('`').next()).map(str::to_string);
    if e.kind == MdxErrorKind::HtmlComment {
        return (
            "`<!--` starts an HTML comment, which MDX does not have".into(),
            "Write the comment as `{/* comment */}`".into(),
        );
    }
    if let Some(tag) = r.strip_prefix("Expected a closing tag for `").and_then(|t| t.split('`').next()) {
        let block = match between("before the end of `").as_deref() {
            Some("listItem") => "its list item",
            Some("paragraph") => "its paragraph",
            Some("blockquote") => "its block quote",
            Some("containerDirective") => "its admonition",
            _ => "the block it opens in",
        };
        return (
            format!(
                "`{tag}` is not closed before the end of {block}: MDX needs a JSX element closed in the block it opens in"
            ),
            "Close each JSX element in the same block (paragraph, list item, block quote, admonition) it opens in"
                .into(),
        );
    }
    if let (Some(close), Some(open)) = (between("Unexpected closing tag `"), between("closing tag for `")) {
        return (
            format!("`{close}` does not close the JSX element open here, `{open}`"),
            format!("Close `{open}` before `{close}`, or nest the elements so each closes in the block it opens in"),
        );
    }
    if r.contains("nested deeper than") {
        return (
            format!("{r}: the MDX compiler runs out of stack on nesting this deep"),
            "Flatten the nesting: split the content into fewer levels, or into several blocks".into(),
        );
    }
    if r.contains("lazy line") {
        return (
            "a line inside a block quote or list item is not indented or prefixed with `>`, so MDX ends the block early".into(),
            "Indent the line under its list item, or start it with `>` inside a block quote".into(),
        );
    }
    if r.contains("import/exports") {
        return (
            "a line starting with `import` or `export` is ESM in MDX, and this one is not valid JavaScript".into(),
            "Fix the statement, or reword the line so it does not start with `import` or `export`".into(),
        );
    }
    if r.contains("expression") {
        return (
            "`{` starts a JavaScript expression in MDX, and this one does not parse".into(),
            "Close the `{` with `}`, or escape a literal brace as `\\{`".into(),
        );
    }
    (
        "`<` starts a JSX tag in MDX, and what follows is not a valid tag".into(),
        "Escape a literal `<` as `\\<` or `&lt;`, or put it in backticks".into(),
    )
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
        .find(|el| &*el.name == name && el.open_tag.start >= e.span.start && el.span == el.open_tag)
        .map(|el| el.open_tag)
}
