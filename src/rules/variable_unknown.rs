use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// A `$[variable]` that the file's version does not define.
    ///
    /// ## What it does
    /// Resolves every `$[name]` token as the site's variables plugin does: the version folder's
    /// `variables.js`, then the site's `variables.js`, then `[variables]` in `docdrift.toml`.
    /// Tokens in code blocks, link URLs and JSX attributes count too; the plugin replaces them all.
    /// A partial that no page renders is not checked: Docusaurus never compiles it.
    ///
    /// ## Why it matters
    /// An unknown token is left as it is: readers see `$[prodnme]` on the page, or copy it into
    /// a command.
    ///
    /// ## Example
    /// ```mdx
    /// Install $[prodnme] on the cluster.
    /// ```
    /// Use instead:
    /// ```mdx
    /// Install $[prodname] on the cluster.
    /// ```
    ///
    /// ## Fix
    /// Correct the name, or define the variable in that version's `variables.js`. When exactly
    /// one variable of the version is a typo away (`$[prodnme]`), `docdrift check --fix` uses it.
    pub struct VariableUnknown {
        id: "variable/unknown",
        category: Variable,
        severity: Error,
        fixable: true,
    }
}

impl Rule for VariableUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let site = &cx.model.site;
        // A partial no page renders is never compiled, so no reader sees its tokens (the same
        // rule as for its links).
        if crate::site::routes::is_partial_path(&cx.file.path) && cx.model.rendered_by[cx.id as usize].is_empty() {
            return;
        }
        let mut names: Option<Vec<&str>> = None;
        let mut comments: Option<Comments> = None;
        for t in &cx.file.doc.var_tokens {
            let name = t.name(&cx.file.text);
            if site.variable_defined(cx.file.loc, name)
                || comments.get_or_insert_with(|| Comments::new(cx)).contain(&cx.file.text, t.span)
            {
                continue;
            }
            let names = names.get_or_insert_with(|| site.variable_names(cx.file.loc));
            let f = sink.report(
                cx.id,
                t.span,
                format!("`$[{}]` is not a variable in {}: readers see it verbatim", name, cx.version_display()),
            );
            match crate::site::closest(name, names.iter().copied()) {
                Some(best) => {
                    f.help(format!("did you mean `$[{best}]`?"));
                    // Rewrite only the name, and only when no other variable is as close.
                    if super::suggest::unique_typo_fix(name, names.iter().copied()) == Some(best) {
                        f.fix(t.name_span, best);
                    }
                }
                None => {
                    f.help("define it in this version's `variables.js`, or correct the name");
                }
            };
        }
    }
}

/// Where MDX comments `{/* … */}` may be in a file: every `{/*` and `*/`, and the code blocks
/// (found once per file, so that each token costs a binary search, not a scan of the text
/// before it).
struct Comments {
    code: crate::doc::Covers,
    opens: Vec<usize>,
    closes: Vec<usize>,
}

impl Comments {
    fn new(cx: &FileCx) -> Comments {
        let text = cx.file.text.as_bytes();
        Comments {
            code: crate::doc::Covers::new(cx.file.doc.code_blocks.iter().map(|c| c.span)),
            opens: memchr::memmem::find_iter(text, b"{/*").collect(),
            closes: memchr::memmem::find_iter(text, b"*/").collect(),
        }
    }

    /// Whether `span` sits inside an MDX comment outside code: readers never see it.
    fn contain(&self, text: &str, span: crate::diag::Span) -> bool {
        if self.code.containing(span).next().is_some() {
            return false;
        }
        let (start, end) = (span.start as usize, span.end as usize);
        // The last comment opened before the token…
        let Some(&open) = self.opens[..self.opens.partition_point(|&o| o + 3 <= start)].last() else {
            return false;
        };
        // …must still be open at the token…
        let after_open = self.closes.partition_point(|&c| c < open);
        if self.closes.get(after_open).is_some_and(|&c| c + 2 <= start) {
            return false;
        }
        // …and close after it.
        let next = self.closes.partition_point(|&c| c < end);
        self.closes.get(next).is_some_and(|&c| text[c + 2..].starts_with('}'))
    }
}
