//! [`SharedStr`]: a string that is, as a rule, a piece of the file's own text.

use std::sync::Arc;

/// A string the parser found in a file, held as a range of the file's text when it is exactly
/// that piece of it (code outside containers, as a rule), and as its own copy otherwise.
///
/// The model keeps every file's text for the whole run; a code block's content copied out of it
/// was about an eighth of the parsed documents' memory. Sharing costs one reference count per
/// string, and a string is always its whole text here: it derefs to `str`, compares, hashes and
/// prints as one.
#[derive(Clone)]
pub struct SharedStr {
    text: Arc<str>,
    start: u32,
    end: u32,
}

impl SharedStr {
    /// `text[start..end]`, sharing `text`.
    pub fn slice(text: &Arc<str>, start: usize, end: usize) -> SharedStr {
        debug_assert!(text.is_char_boundary(start) && text.is_char_boundary(end) && start <= end);
        SharedStr { text: Arc::clone(text), start: start as u32, end: end as u32 }
    }

    /// A copy of `s`, sharing nothing.
    pub fn owned(s: &str) -> SharedStr {
        SharedStr { text: Arc::from(s), start: 0, end: s.len() as u32 }
    }

    pub fn as_str(&self) -> &str {
        &self.text[self.start as usize..self.end as usize]
    }

    /// `s`, as the piece of `text` that starts at `within.start` if it is that piece and ends
    /// within `within`, and as a copy otherwise. The parsers decode strings (a link's url and
    /// text, a heading's text), and most are the source byte for byte: copied, they were about
    /// 2 MB of small blocks on a large site. `text` is `None` when the parser reads something
    /// other than the file's text (comments masked out). Whole UTF-8 matched in UTF-8 starts
    /// and ends on character boundaries.
    pub fn piece_or_copy(text: Option<&Arc<str>>, within: std::ops::Range<usize>, s: &str) -> SharedStr {
        if let Some(text) = text
            && within.start + s.len() <= within.end
            && text.as_bytes().get(within.start..within.start + s.len()) == Some(s.as_bytes())
        {
            return SharedStr::slice(text, within.start, within.start + s.len());
        }
        SharedStr::owned(s)
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        let end = s.len() as u32;
        SharedStr { text: Arc::from(s), start: 0, end }
    }
}

impl Default for SharedStr {
    fn default() -> SharedStr {
        // One empty text for the run: `Arc::from("")` allocates its counts.
        static EMPTY: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));
        SharedStr { text: Arc::clone(&EMPTY), start: 0, end: 0 }
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::hash::Hash for SharedStr {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl std::fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_is_its_piece_and_nothing_else() {
        let text: Arc<str> = Arc::from("```\nkubectl get pods\n```\n");
        let s = SharedStr::slice(&text, 4, 20);
        assert_eq!(s.as_str(), "kubectl get pods");
        assert_eq!(s, SharedStr::owned("kubectl get pods"));
        assert_eq!(format!("{s:?}"), format!("{:?}", "kubectl get pods"));
        assert_eq!(s.len(), 16, "derefs to the piece");
        assert_eq!(Arc::strong_count(&text), 2, "shares the text");
        assert_eq!(SharedStr::default().as_str(), "");
        assert_eq!(SharedStr::from("é x".to_string()).as_str(), "é x");
    }

    #[test]
    fn a_decoded_string_shares_the_text_only_where_it_is_that_text() {
        let text: Arc<str> = Arc::from("[Calico](/calico/about) and [a\\\\b](x)");
        let shared = SharedStr::piece_or_copy(Some(&text), 1..7, "Calico");
        assert_eq!(shared.as_str(), "Calico");
        assert_eq!(Arc::strong_count(&text), 2, "the label is the source's: shared");
        // Decoded: the source's two backslashes are one in the label. Not the source's bytes,
        // so a copy.
        let decoded = SharedStr::piece_or_copy(Some(&text), 29..33, "a\\b");
        assert_eq!(decoded.as_str(), "a\\b");
        assert_eq!(Arc::strong_count(&text), 2);
        // Equal bytes, but running past the range they were decoded from: a copy.
        let _long = SharedStr::piece_or_copy(Some(&text), 1..4, "Calico");
        // No text to share (the parser read a masked copy): a copy.
        let _none = SharedStr::piece_or_copy(None, 1..7, "Calico");
        assert_eq!(Arc::strong_count(&text), 2);
        assert_eq!(SharedStr::default(), SharedStr::owned(""));
    }
}
