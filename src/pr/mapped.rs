//! The index file's text, mapped into memory rather than read.
//!
//! A commit hook reads the whole index (about 400 bytes per file of the site: 1.85 MB for the
//! corpus) on every run. Read into a `String`, every page of it is fresh memory the kernel
//! must zero and fault in one at a time: on the corpus that was about 450 of a warm one-page
//! run's 3,200 page faults, and a copy of the file besides. Mapped, the file's pages come
//! from the page cache, where the last run left them, a run of them per fault.

use std::path::Path;

/// A file's bytes: mapped where the system allows, else read.
pub(super) enum Text {
    #[cfg(unix)]
    Mapped(Map),
    Read(Vec<u8>),
}

impl Text {
    /// The file at `path`; `None` when it cannot be read.
    pub(super) fn of(path: &Path) -> Option<Text> {
        #[cfg(unix)]
        {
            let file = std::fs::File::open(path).ok()?;
            let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
            // An empty file cannot be mapped; a file that grew past what a slice can hold is
            // not an index docdrift wrote.
            if len == 0 || len > isize::MAX as usize {
                return Some(Text::Read(Vec::new()));
            }
            if let Some(map) = Map::new(&file, len) {
                return Some(Text::Mapped(map));
            }
        }
        std::fs::read(path).ok().map(Text::Read)
    }

    /// The text; `None` when it is not UTF-8. Checked at each call: call it once.
    pub(super) fn text(&self) -> Option<&str> {
        std::str::from_utf8(match self {
            #[cfg(unix)]
            Text::Mapped(map) => map.bytes(),
            Text::Read(bytes) => bytes,
        })
        .ok()
    }
}

/// A private, read-only mapping of a whole file.
#[cfg(unix)]
pub(super) struct Map {
    ptr: std::ptr::NonNull<u8>,
    len: usize,
}

#[cfg(unix)]
impl Map {
    fn new(file: &std::fs::File, len: usize) -> Option<Map> {
        use rustix::mm::{MapFlags, ProtFlags, mmap};
        // SAFETY: a fresh mapping at an address the kernel chooses, so it aliases no Rust
        // memory. What it shows stays the file's text for as long as the map lives, because
        // docdrift never writes an index in place: it writes a new file and renames it over
        // the old one (`write_atomically`), and a mapping keeps the file it was made from.
        // Only another program writing into docdrift's cache file during a run could change
        // the bytes, or, by cutting the file short, make reading them fault.
        let ptr = unsafe { mmap(std::ptr::null_mut(), len, ProtFlags::READ, MapFlags::PRIVATE, file, 0) }.ok()?;
        Some(Map { ptr: std::ptr::NonNull::new(ptr.cast())?, len })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` is the start of a readable mapping of `len` bytes, unmapped only on drop.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

#[cfg(unix)]
impl Drop for Map {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, whose bytes nothing borrows any more.
        let _ = unsafe { rustix::mm::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn reads_what_read_to_string_reads() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.txt");
        let text = "docdrift-index\na.mdx\t1\t2\n".repeat(2000);
        std::fs::write(&file, &text).unwrap();
        assert_eq!(Text::of(&file).unwrap().text(), Some(text.as_str()));
        #[cfg(unix)]
        assert!(matches!(Text::of(&file), Some(Text::Mapped(_))), "a file on disk is mapped");

        std::fs::write(&file, "").unwrap();
        assert_eq!(Text::of(&file).unwrap().text(), Some(""));
        std::fs::write(&file, b"caf\xe9").unwrap();
        assert_eq!(Text::of(&file).unwrap().text(), None, "not UTF-8");
        assert!(Text::of(&dir.path().join("missing.txt")).is_none());
    }

    #[test]
    fn a_mapping_keeps_its_text_when_the_file_is_replaced() {
        // As `write_atomically` replaces the index: a new file renamed over the old one.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index.txt");
        std::fs::write(&file, "old text").unwrap();
        let old = Text::of(&file).unwrap();
        let new = dir.path().join("index.tmp");
        std::fs::write(&new, "new text, longer").unwrap();
        std::fs::rename(&new, &file).unwrap();
        assert_eq!(old.text(), Some("old text"));
        assert_eq!(Text::of(&file).unwrap().text(), Some("new text, longer"));
    }
}
