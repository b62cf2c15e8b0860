//! Findings: what a rule reports, where, and how bad it is.
//!
//! Positions are byte ranges into the original file; conversion to 1-based line and column
//! (in characters) happens only when a report is written, through [`LineIndex`].
//!
//! The bottom layer: it imports nothing of the crate. Which file a finding's `file` names is
//! the model's business; what findings mean is the rules'.

use serde::Serialize;
use std::fmt;

/// A byte range in one file's original text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fixed list of categories from DEVELOPERS.md; a rule belongs to exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Syntax,
    Anchor,
    Link,
    Variable,
    ConfigField,
    StepOrder,
    Port,
    Drift,
    Snippet,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Syntax => "syntax",
            Category::Anchor => "anchor",
            Category::Link => "link",
            Category::Variable => "variable",
            Category::ConfigField => "config-field",
            Category::StepOrder => "step-order",
            Category::Port => "port",
            Category::Drift => "drift",
            Category::Snippet => "snippet",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location, possibly in another file ("the install step is here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: u32,
    pub span: Span,
    pub message: String,
}

/// One text replacement that fixes a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// What a rule reports. `file` indexes the model's file list (`Model::files`, a layer above).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub file: u32,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    pub related: Vec<Related>,
    pub fix: Vec<Edit>,
}

/// Byte offset -> 1-based line and column (column counted in Unicode scalar values).
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(off) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + off;
            if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                i = at + 2;
            } else {
                i = at + 1;
            }
            line_starts.push(i as u32);
        }
        // Every distinct text of the site keeps its index for the whole run, and lines are
        // often shorter than the guess above: a list grown by doubling was up to half unused
        // (about 0.9 MB over the corpus).
        line_starts.shrink_to_fit();
        LineIndex { line_starts }
    }

    /// 0-based line of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l - 1,
        }
    }

    pub fn line_start(&self, line0: usize) -> u32 {
        self.line_starts[line0]
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 1-based (line, column); the column counts characters, not bytes.
    pub fn position(&self, text: &str, offset: u32) -> (usize, usize) {
        let offset = offset.min(text.len() as u32);
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        let mut end = offset as usize;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let col = text[start..end].chars().count() + 1;
        (line + 1, col)
    }

    /// The text of a 0-based line without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line0: usize) -> &'a str {
        let start = self.line_starts[line0] as usize;
        let end = self.line_starts.get(line0 + 1).map(|&e| e as usize).unwrap_or(text.len());
        text[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// The lines of `text` from the one holding byte `offset` on: each line's start and text
/// without its line ending, with [`LineIndex`]'s line breaks (`\n`, `\r\n`, a lone `\r`). A
/// file's code blocks walk their lines with this instead of the file's index, which most files
/// then never need.
pub fn lines_from(text: &str, offset: u32) -> impl Iterator<Item = (u32, &str)> {
    let b = text.as_bytes();
    let mut next = Some(line_start(b, offset as usize));
    std::iter::from_fn(move || {
        let s = next?;
        let (end, after) = match memchr::memchr2(b'\n', b'\r', &b[s..]) {
            Some(k) if b[s + k] == b'\r' && b.get(s + k + 1) == Some(&b'\n') => (s + k, Some(s + k + 2)),
            Some(k) => (s + k, Some(s + k + 1)),
            None => (b.len(), None),
        };
        next = after;
        Some((s as u32, &text[s..end]))
    })
}

/// The lines above the one holding byte `offset`, nearest first, as [`lines_from`] gives them.
pub fn lines_above(text: &str, offset: u32) -> impl Iterator<Item = (u32, &str)> {
    let b = text.as_bytes();
    // The start of the line below the next one to give.
    let mut below = line_start(b, offset as usize);
    std::iter::from_fn(move || {
        if below == 0 {
            return None;
        }
        let end = if below >= 2 && b[below - 1] == b'\n' && b[below - 2] == b'\r' { below - 2 } else { below - 1 };
        below = line_start(b, end);
        Some((below as u32, &text[below..end]))
    })
}

/// The start of the line holding byte `offset` (clamped to the text).
fn line_start(b: &[u8], offset: usize) -> usize {
    let offset = offset.min(b.len());
    let mut before = offset;
    loop {
        match memchr::memrchr2(b'\n', b'\r', &b[..before]) {
            // `offset` is between the `\r` and `\n` of one line ending: that line holds it.
            Some(j) if b[j] == b'\r' && j + 1 == offset && b.get(offset) == Some(&b'\n') => before = j,
            Some(j) => return j + 1,
            None => return 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lines_from` and `lines_above` agree with the index on every offset of texts with each kind of line end.
    #[test]
    fn lines_from_walks_the_index_lines() {
        for text in ["", "a", "a\n", "ab\r\ncd\rx\n\ny", "\r\n\r\n", "\r\r\n\n", "é\nü\r\n"] {
            let idx = LineIndex::new(text);
            for off in 0..=text.len() as u32 {
                let first = idx.line_of(off);
                let want: Vec<(u32, &str)> =
                    (first..idx.line_count()).map(|l| (idx.line_start(l), idx.line_text(text, l))).collect();
                let got: Vec<(u32, &str)> = lines_from(text, off).collect();
                assert_eq!(got, want, "{text:?} from {off}");
                let want: Vec<(u32, &str)> =
                    (0..first).rev().map(|l| (idx.line_start(l), idx.line_text(text, l))).collect();
                let got: Vec<(u32, &str)> = lines_above(text, off).collect();
                assert_eq!(got, want, "{text:?} above {off}");
            }
        }
    }

    #[test]
    fn positions_count_characters_and_handle_crlf() {
        let text = "ab\r\nçd\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 4), (2, 1));
        // 'ç' is two bytes: the 'd' after it is column 2.
        assert_eq!(idx.position(text, 6), (2, 2));
        assert_eq!(idx.position(text, 8), (3, 1));
        assert_eq!(idx.line_text(text, 0), "ab");
    }
}
