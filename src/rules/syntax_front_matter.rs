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
        let (message, help) = split_help(&err.message);
        sink.report(cx.id, err.span, message).help(help);
    }
}

/// The parse error's message, and a help line saying what to change: the error's own advice
/// when it ends with one (`...; put the value in quotes`), else advice for its kind.
fn split_help(message: &str) -> (String, String) {
    if let Some((what, advice)) = message.rsplit_once("; ")
        && ["put ", "quote ", "use ", "check ", "write "].iter().any(|v| advice.starts_with(v))
    {
        return (what.to_string(), capitalize(advice));
    }
    let help = if message.contains("quoted value is not closed") {
        "Close the quote at the end of the value".to_string()
    } else if let Some(key) = message.split("the key `").nth(1).and_then(|k| k.split('`').next()) {
        format!("Keep one `{key}:` line and remove the others")
    } else if message.contains("`[` list is not closed") {
        "Close the list with `]`, or put the value in quotes if it is text".to_string()
    } else if message.contains("`{` mapping is not closed") {
        "Close the mapping with `}`, or put the value in quotes if it is text".to_string()
    } else if message.contains("must be `key: value` fields") {
        "Write one `key: value` field per line, such as `title: Install`".to_string()
    } else if message.contains("more than one YAML document") {
        "Remove the line that starts with `---` or `...`, or indent it into a value".to_string()
    } else if message.contains("must be followed by a space") {
        "Add a space after the `:`".to_string()
    } else {
        "Write the front matter as `key: value` lines, and put in quotes a value that contains `: ` or starts with a special character".to_string()
    };
    (message.to_string(), help)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
