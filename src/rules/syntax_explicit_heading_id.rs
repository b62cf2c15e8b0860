use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::doc::IdSyntax;

declare_rule! {
    /// A heading id written `{#id}` on a site that does not support it.
    ///
    /// ## What it does
    /// Finds headings that end in `{#custom-id}` when the site compiles MDX without
    /// `markdown.mdx1Compat.headingIds` (`explicit_heading_ids = false` in `docdrift.toml`, as
    /// with Docusaurus `future.v4`).
    ///
    /// ## Why it matters
    /// Without the compatibility switch, MDX reads `{#custom-id}` as a JavaScript expression and
    /// the build stops with "Could not parse expression with acorn".
    ///
    /// ## Example
    /// ```mdx
    /// ## Install the operator {#install}
    /// ```
    /// Use instead:
    /// ```mdx
    /// ## Install the operator {/* #install */}
    /// ```
    ///
    /// ## Fix
    /// If the id equals the slug Docusaurus generates anyway, delete it (`docdrift check --fix`
    /// does this). Otherwise write `{/* #install */}` (Docusaurus 3.10+) or `\{#install}`, or set
    /// `explicit_heading_ids = true` if the site turns `mdx1Compat.headingIds` on.
    pub struct ExplicitHeadingId {
        id: "syntax/explicit-heading-id",
        category: Syntax,
        severity: Error,
        fixable: true,
    }
}

impl Rule for ExplicitHeadingId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        if cx.model.site.settings.explicit_heading_ids
            || !cx.file.doc.headings.iter().any(|h| h.explicit_id.as_ref().is_some_and(|i| i.syntax == IdSyntax::Bare))
        {
            return;
        }
        // The ids the author meant, with every `{#id}` honoured: dropping one id is safe only if
        // no heading on the page then renders a different anchor.
        let site = &cx.model.site;
        let meant = crate::model::heading_ids_with(site, cx.file.loc, &cx.file.doc, true);
        for (i, h) in cx.file.doc.headings.iter().enumerate() {
            let Some(id) = &h.explicit_id else { continue };
            if id.syntax != IdSyntax::Bare {
                continue;
            }
            let slug = &cx.file.heading_ids[i];
            let f = sink.report(
                cx.id,
                id.span,
                format!(
                    "heading id `{{#{}}}` is not valid MDX on this site: the build fails with \"Could not parse expression with acorn\"",
                    id.id
                ),
            );
            let safe = || crate::model::heading_ids_honouring(site, cx.file.loc, &cx.file.doc, |k| k != i) == meant;
            if *slug == *id.id && safe() {
                f.help(format!("Docusaurus already generates `#{slug}` for this heading: delete `{{#{}}}`", id.id));
                // Remove the id and the whitespace before it.
                let text = &cx.file.text;
                let mut start = id.span.start as usize;
                while start > 0 && matches!(text.as_bytes()[start - 1], b' ' | b'\t') {
                    start -= 1;
                }
                f.fix(crate::diag::Span::new(start, id.span.end as usize), "");
            } else {
                f.help(format!(
                    "the generated id is `#{slug}`; to keep `#{0}`, write `{{/* #{0} */}}` (Docusaurus 3.10+) or `\\{{#{0}}}`",
                    id.id
                ));
            }
        }
    }
}
