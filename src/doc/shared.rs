//! [`SharedStr`]: a string that is, as a rule, a piece of the file's own text.

use triomphe::{Arc, HeaderWithLength, ThinArc, UniqueArc};

/// A string held as a range of a larger shared text: a file's text as a piece of the block the
/// site's texts are packed in, a string the parser found in a file as a piece of that file's
/// text when it is exactly that piece (code outside containers, as a rule), and as its own copy
/// otherwise.
///
/// The model keeps every file's text for the whole run; a code block's content copied out of it
/// was about an eighth of the parsed documents' memory. Sharing costs one reference count per
/// string, and a string is always its whole text here: it derefs to `str`, compares, hashes and
/// prints as one.
///
/// The text is held behind a thin pointer (`triomphe::ThinArc`: the count, the length and the
/// bytes in one allocation), not as `Arc<str>`, a pointer and a length: 16 bytes a string, not
/// 24. The documents keep tens of thousands (two a link, one a heading and a code block): on
/// the tigera corpus the whole check's peak is 0.6 MiB lower. It is one allocation, as
/// `Arc<str>` is: the parser makes a copy for each string it decoded that is not the source's
/// bytes (111,000 on the tigera corpus, most dropped as soon as the parse is done), and
/// `Arc<Box<str>>`, the other thin pointer, took two allocations for each and cost the parser
/// 1% of its speed.
#[derive(Clone)]
pub struct SharedStr {
    /// Always UTF-8: made only of `str`s (see [`SharedStr::concat`]).
    text: ThinArc<(), u8>,
    start: u32,
    end: u32,
}

impl SharedStr {
    /// `texts` end to end, as one new text to share, copied straight to where it is kept: the
    /// site's texts are packed in blocks of megabytes (see `model::pack_texts`), and a block
    /// built first as a `String` and then copied left the freed `String`s' pages resident
    /// (5 MiB more at the tigera corpus's peak).
    pub fn concat(texts: &[&str]) -> SharedStr {
        let len = texts.iter().map(|t| t.len()).sum();
        let end = u32::try_from(len).expect("a shared text is smaller than 4 GiB");
        let mut text = UniqueArc::from_header_and_uninit_slice(HeaderWithLength::new((), len), len);
        let mut at = 0;
        for t in texts {
            text.slice[at..at + t.len()].write_copy_of_slice(t.as_bytes());
            at += t.len();
        }
        // SAFETY: the loop wrote every one of the `len` bytes.
        let text = unsafe { text.assume_init_slice_with_header() };
        SharedStr { text: Arc::into_thin(text.shareable()), start: 0, end }
    }

    /// The whole text `self` is a piece of.
    fn text(&self) -> &str {
        // SAFETY: `text` is only ever made of `str`s, end to end, in `concat`, and never changed.
        unsafe { std::str::from_utf8_unchecked(&self.text.slice) }
    }

    /// `self[start..end]`, sharing the text `self` is a piece of.
    pub fn piece(&self, start: usize, end: usize) -> SharedStr {
        debug_assert!(self.is_char_boundary(start) && self.is_char_boundary(end) && start <= end);
        debug_assert!(end <= self.len());
        SharedStr { text: self.text.clone(), start: self.start + start as u32, end: self.start + end as u32 }
    }

    /// Whether `a` and `b` are the same piece of the same text (not only equal strings).
    pub fn same(a: &SharedStr, b: &SharedStr) -> bool {
        a.text.ptr() == b.text.ptr() && a.start == b.start && a.end == b.end
    }

    /// A copy of `s`, sharing nothing (to share from here on: see [`SharedStr::piece`]).
    pub fn owned(s: &str) -> SharedStr {
        SharedStr::concat(&[s])
    }

    pub fn as_str(&self) -> &str {
        &self.text()[self.start as usize..self.end as usize]
    }

    /// `s`, as the piece of `text` that starts at `within.start` if it is that piece and ends
    /// within `within`, and as a copy otherwise. The parsers decode strings (a link's url and
    /// text, a heading's text), and most are the source byte for byte: copied, they were about
    /// 2 MB of small blocks on a large site. `text` is `None` when the parser reads something
    /// other than the file's text (comments masked out). Whole UTF-8 matched in UTF-8 starts
    /// and ends on character boundaries.
    pub fn piece_or_copy(text: Option<&SharedStr>, within: std::ops::Range<usize>, s: &str) -> SharedStr {
        if let Some(text) = text
            && within.start + s.len() <= within.end
            && text.as_bytes().get(within.start..within.start + s.len()) == Some(s.as_bytes())
        {
            return text.piece(within.start, within.start + s.len());
        }
        SharedStr::owned(s)
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr::owned(&s)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr::owned(s)
    }
}

impl Default for SharedStr {
    fn default() -> SharedStr {
        // One empty text for the run: each `owned` allocates its counts.
        static EMPTY: std::sync::LazyLock<SharedStr> = std::sync::LazyLock::new(|| SharedStr::owned(""));
        EMPTY.clone()
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

    fn count(s: &SharedStr) -> usize {
        ThinArc::strong_count(&s.text)
    }

    #[test]
    fn a_piece_is_its_piece_and_nothing_else() {
        let text = SharedStr::owned("```\nkubectl get pods\n```\n");
        let s = text.piece(4, 20);
        assert_eq!(s.as_str(), "kubectl get pods");
        assert_eq!(s, SharedStr::owned("kubectl get pods"));
        assert_eq!(format!("{s:?}"), format!("{:?}", "kubectl get pods"));
        assert_eq!(s.len(), 16, "derefs to the piece");
        assert_eq!(count(&text), 2, "shares the text");
        assert_eq!(SharedStr::default().as_str(), "");
        assert_eq!(SharedStr::from("é x".to_string()).as_str(), "é x");
        assert!(SharedStr::same(&s, &text.piece(4, 20)));
        assert!(!SharedStr::same(&s, &SharedStr::owned("kubectl get pods")), "equal, but not the same piece");
    }

    #[test]
    fn a_piece_of_a_piece_is_placed_in_the_whole_text() {
        // A file's text is a piece of the block the site's texts are packed in; what the
        // parser shares of it is a piece of that piece.
        let block = SharedStr::concat(&["first file\n", "", "# Second file\n"]);
        assert_eq!(block.as_str(), "first file\n# Second file\n");
        let file = block.piece(11, 25);
        assert_eq!(file.as_str(), "# Second file\n");
        let heading = file.piece(2, 8);
        assert_eq!(heading.as_str(), "Second");
        assert_eq!(heading.piece(1, 3).as_str(), "ec");
        assert_eq!(file.piece(0, 0).as_str(), "");
        assert_eq!(count(&block), 3, "the block, the file and the heading");
    }

    #[test]
    fn a_decoded_string_shares_the_text_only_where_it_is_that_text() {
        let block = SharedStr::owned("<padding>[Calico](/calico/about) and [a\\\\b](x)");
        let text = block.piece(9, block.len());
        let shared = SharedStr::piece_or_copy(Some(&text), 1..7, "Calico");
        assert_eq!(shared.as_str(), "Calico");
        assert_eq!(count(&block), 3, "the label is the source's: shared");
        // Decoded: the source's two backslashes are one in the label. Not the source's bytes,
        // so a copy.
        let decoded = SharedStr::piece_or_copy(Some(&text), 29..33, "a\\b");
        assert_eq!(decoded.as_str(), "a\\b");
        assert_eq!(count(&block), 3);
        // Equal bytes, but running past the range they were decoded from: a copy.
        let _long = SharedStr::piece_or_copy(Some(&text), 1..4, "Calico");
        // No text to share (the parser read a masked copy): a copy.
        let _none = SharedStr::piece_or_copy(None, 1..7, "Calico");
        assert_eq!(count(&block), 3);
        assert_eq!(SharedStr::default(), SharedStr::owned(""));
    }
}
