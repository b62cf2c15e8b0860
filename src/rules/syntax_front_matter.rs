use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// Front matter that is not valid YAML.
    ///
    /// ## What it does
    /// Parses the `---` block at the top of each file as YAML, as Docusaurus does.
    ///
    /// ## Why it matters
    /// Docusaurus stops the build on front matter it cannot parse, naming only the file.
    ///
    /// ## Example
    /// ```mdx
    /// ---
    /// description: Install Calico: the quick way
    /// ---
    /// ```
    /// Use instead:
    /// ```mdx
    /// ---
    /// description: 'Install Calico: the quick way'
    /// ---
    /// ```
    ///
    /// ## Fix
    /// Quote values that contain `: ` or start with a YAML special character.
    pub struct FrontMatterInvalid {
        id: "syntax/front-matter",
        category: Syntax,
        severity: Error,
        fixable: false,
    }
}

impl Rule for FrontMatterInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let Some(fm) = &cx.file.doc.front_matter else { return };
        let Some(err) = &fm.error else { return };
        sink.report(cx.id, err.span, err.message.clone())
            .help("fix the YAML on this line; the message says what YAML expected");
    }
}
