use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// An admonition that is never closed, or a closing fence with nothing to close.
    ///
    /// ## What it does
    /// Finds `:::type` openers with no closing line of at least as many colons before their
    /// container ends, and lines of only colons that close nothing.
    ///
    /// ## Why it matters
    /// An unclosed admonition swallows everything after it, headings included, up to the end of
    /// the page or of the list item it sits in. A stray `:::` renders as literal text. Neither
    /// makes the build fail, so they ship.
    ///
    /// ## Example
    /// ```mdx
    /// ::::note
    /// Text.
    /// :::
    /// ```
    /// Use instead:
    /// ```mdx
    /// :::note
    /// Text.
    /// :::
    /// ```
    ///
    /// ## Fix
    /// Close each admonition with a line of as many colons as its opener; nest by giving the
    /// outer one more colons (`::::info` … `:::tip` … `:::` … `::::`).
    pub struct AdmonitionFence {
        id: "syntax/admonition-fence",
        category: Syntax,
        severity: Error,
        fixable: false,
    }
}

impl Rule for AdmonitionFence {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let doc = &cx.file.doc;
        // A `:::` inside an unclosed `::::note` is the same mistake seen twice: report it once,
        // on the admonition, naming the short fence.
        let mut explained = Vec::new();
        for a in &doc.admonitions {
            if a.closed {
                continue;
            }
            let fence = ":".repeat(a.fence as usize);
            let short = doc
                .stray_fences
                .iter()
                .find(|s| a.span.contains(**s) && s.start > a.opener.end && s.len() < fence.len());
            let f = sink.report(
                cx.id,
                a.opener,
                format!(
                    "`{fence}{}` is never closed: everything after it, to the end of its container, renders inside the admonition",
                    a.kind
                ),
            );
            match short {
                Some(s) => {
                    explained.push(*s);
                    let (line, _) = cx.file.lines().position(&cx.file.text, s.start);
                    f.help(format!(
                        "the `{}` on line {line} has fewer colons than the opener: make it `{fence}`",
                        &cx.file.text[s.range()]
                    ));
                    f.related(cx.id, *s, "this line does not close it");
                }
                None => {
                    f.help(format!("add a line `{fence}` where the admonition should end"));
                }
            }
        }
        // A `:::` after a `:::tip Title` line closes that would-be admonition: the legacy-title
        // rule reports the pair.
        let legacy = &doc.legacy_admonitions;
        let mut paired = 0;
        for s in &doc.stray_fences {
            if legacy.iter().filter(|l| l.span.start < s.start).count() > paired {
                paired += 1;
                continue;
            }
            if explained.contains(s) {
                continue;
            }
            let fence = &cx.file.text[s.range()];
            sink.report(cx.id, *s, format!("`{}` closes no admonition: it renders as literal text", fence.trim()))
                .help(
                    "delete it; if it should close an admonition in a list item, indent it as far as the item's text",
                );
        }
    }
}
