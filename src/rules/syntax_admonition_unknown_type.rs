use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// An admonition whose type Docusaurus does not know.
    ///
    /// ## What it does
    /// Finds `:::type` containers whose type is not an admonition keyword: the Docusaurus
    /// defaults (`note`, `tip`, `info`, `warning`, `danger`, and the legacy `secondary`,
    /// `important`, `success`, `caution`) plus `admonition_keywords` from `docdrift.toml`.
    /// Keywords are case-sensitive.
    ///
    /// ## Why it matters
    /// An unknown type renders as a plain `<div>` with its title as a paragraph: the reader sees
    /// no admonition box, and the build only logs a warning.
    ///
    /// ## Example
    /// ```mdx
    /// :::Note
    /// Back up etcd first.
    /// :::
    /// ```
    /// Use instead:
    /// ```mdx
    /// :::note
    /// Back up etcd first.
    /// :::
    /// ```
    ///
    /// ## Fix
    /// Use one of the keywords, or add the type to `admonition_keywords` if the site registers it.
    /// When exactly one keyword is a typo away (`:::notes`), `docdrift check --fix` uses it.
    pub struct AdmonitionUnknownType {
        id: "syntax/admonition-unknown-type",
        category: Syntax,
        severity: Error,
        fixable: true,
    }
}

impl Rule for AdmonitionUnknownType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let keywords = &cx.model.site.settings.admonition_keywords;
        for a in &cx.file.doc.admonitions {
            if keywords.contains(&a.kind) {
                continue;
            }
            let f = sink.report(
                cx.id,
                a.opener,
                format!("`{}` is not an admonition type: it renders as a plain `<div>`", a.kind),
            );
            let lower = a.kind.to_lowercase();
            match keywords.iter().find(|k| **k == lower) {
                Some(k) => f.help(format!("did you mean `{k}`? Admonition types are case-sensitive")),
                None => match crate::site::closest(&lower, keywords.iter().map(String::as_str)) {
                    Some(k) => {
                        f.help(format!("did you mean `{k}`?"));
                        if super::suggest::unique_typo_fix(&a.kind, keywords.iter().map(String::as_str)) == Some(k)
                            && let Some(at) = cx.file.text[a.opener.range()].find(a.kind.as_str())
                        {
                            let start = a.opener.start as usize + at;
                            f.fix(crate::diag::Span::new(start, start + a.kind.len()), k.to_string());
                        }
                        f
                    }
                    None => f.help(
                        "use note, tip, info, warning or danger, or add the type to `admonition_keywords` in docdrift.toml",
                    ),
                },
            };
        }
    }
}
