use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// A documentation file that cannot be read as UTF-8 text.
    ///
    /// ## What it does
    /// Reports files that cannot be opened, or that are not valid UTF-8. docdrift still checks
    /// the rest of the file (invalid bytes read as U+FFFD) and every other file. Also reports
    /// what docdrift refuses to read: a symlink that resolves outside the site, a FIFO, socket
    /// or device, a file over `[site] max_file_size`, an unreadable folder, a file name that is
    /// not UTF-8.
    ///
    /// ## Why it matters
    /// MDX is read as UTF-8; invalid bytes show up as `�` on the page, and an unreadable file is
    /// missing from the site.
    ///
    /// ## Example
    /// A file saved as Latin-1 with `café` in it.
    ///
    /// ## Fix
    /// Save the file as UTF-8 (most editors: "Save with encoding"), or fix its permissions.
    pub struct UnreadableFile {
        id: "syntax/unreadable-file",
        category: Syntax,
        severity: Error,
        fixable: false,
    }
}

impl Rule for UnreadableFile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let Some((span, why)) = &cx.file.read_problem else { return };
        // Problems other than encoding carry their own help after a newline.
        match why.split_once('\n') {
            Some((what, help)) => {
                let mut h = help.chars();
                let help: String = h.next().map(|c| c.to_lowercase().chain(h).collect()).unwrap_or_default();
                sink.report(cx.id, *span, format!("cannot read this file: {what}")).help(help)
            }
            None => sink
                .report(cx.id, *span, format!("cannot read this file as UTF-8 text: {why}"))
                .help("save the file as UTF-8"),
        };
    }
}
