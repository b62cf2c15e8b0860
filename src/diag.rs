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

#[cfg(test)]
mod tests {
    use super::*;

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
