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
        for t in &cx.file.doc.var_tokens {
            if site.variable_defined(cx.file.loc, &t.name) || in_mdx_comment(cx, t.span) {
                continue;
            }
            let names = names.get_or_insert_with(|| site.variable_names(cx.file.loc));
            let f = sink.report(
                cx.id,
                t.span,
                format!("`$[{}]` is not a variable in {}: readers see it verbatim", t.name, cx.version_display()),
            );
            match crate::site::closest(&t.name, names.iter().copied()) {
                Some(best) => {
                    f.help(format!("did you mean `$[{best}]`?"));
                    // Rewrite only the name, and only when no other variable is as close.
                    if super::suggest::unique_typo_fix(&t.name, names.iter().copied()) == Some(best)
                        && let Some(k) = cx.file.text[t.span.range()].find(t.name.as_str())
                    {
                        let start = t.span.start as usize + k;
                        f.fix(crate::diag::Span::new(start, start + t.name.len()), best);
                    }
                }
                None => {
                    f.help("define it in this version's `variables.js`, or correct the name");
                }
            };
        }
    }
}

/// Whether `span` sits inside an MDX comment `{/* … */}` outside code: readers never see it.
fn in_mdx_comment(cx: &FileCx, span: crate::diag::Span) -> bool {
    let doc = &cx.file.doc;
    if doc.code_blocks.iter().any(|c| c.span.contains(span)) {
        return false;
    }
    let text = &cx.file.text;
    let before = &text[..span.start as usize];
    let Some(open) = before.rfind("{/*") else { return false };
    // The comment must still be open at the token…
    if before[open..].contains("*/") {
        return false;
    }
    // …and close after it.
    text[span.end as usize..].find("*/").is_some_and(|k| text[span.end as usize + k + 2..].starts_with('}'))
}
