use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// An admonition title written `:::tip Title`, which renders as literal text.
    ///
    /// ## What it does
    /// Finds admonition openers with the title after a space (`:::tip Title`) on a site that
    /// compiles MDX without `markdown.mdx1Compat.admonitions` (`mdx1_admonitions = false`).
    ///
    /// ## Why it matters
    /// Without the compatibility switch the line is not a directive: readers see `:::tip Title`,
    /// the body and the closing `:::` as plain paragraphs. The build gives no warning.
    ///
    /// ## Example
    /// ```mdx
    /// :::tip Automatic data plane deployment
    /// ```
    /// Use instead:
    /// ```mdx
    /// :::tip[Automatic data plane deployment]
    /// ```
    ///
    /// ## Fix
    /// Put the title in brackets right after the type. `docdrift check --fix` rewrites it.
    pub struct AdmonitionLegacyTitle {
        id: "syntax/admonition-legacy-title",
        category: Syntax,
        severity: Error,
        fixable: true,
    }
}

impl Rule for AdmonitionLegacyTitle {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let settings = &cx.model.site.settings;
        if settings.mdx1_admonitions {
            return;
        }
        for a in &cx.file.doc.legacy_admonitions {
            let colons = cx.file.text[a.span.start as usize..].chars().take_while(|c| *c == ':').count();
            let fence = ":".repeat(colons);
            let opener = format!("{fence}{}", a.kind);
            let message =
                format!("`{opener} {}` is not an admonition on this site: it renders as literal text", a.title);
            if settings.admonition_keywords.contains(&a.kind) {
                sink.report(cx.id, a.span, message).help(format!("write `{opener}[{}]`", a.title)).fix(
                    crate::diag::Span::new(a.span.start as usize + opener.len(), a.span.end as usize),
                    format!("[{}]", a.title),
                );
            } else {
                // Not a keyword either: the type needs fixing too, so no automatic fix.
                let keywords = settings.admonition_keywords.iter().map(String::as_str);
                let kind = crate::site::closest(&a.kind.to_lowercase(), keywords).unwrap_or("note");
                sink.report(cx.id, a.span, message)
                    .help(format!("`{}` is not an admonition type either: write `{fence}{kind}[{}]`", a.kind, a.title));
            }
        }
    }
}
