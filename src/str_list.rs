//! [`StrList`]: a list of short strings held in two allocations, not one per string.
//!
//! Bottom layer, beside `diag`: plain data, no imports from the crate.

/// A list of strings, their bytes end to end in one allocation and where each ends in another.
///
/// For lists the model keeps for the whole run, of strings that are mostly a few dozen bytes:
/// a file's heading ids, a page's anchors. As `Arc<str>` each, a string of 25 bytes was an
/// allocation of 48 (the counts, and jemalloc's size classes) and a pointer of 16 in the list;
/// here it is its bytes and 4. On the tigera corpus, with heading ids and anchor sets held this
/// way, the whole check's peak is 0.5 MiB lower, though an anchor set now copies the heading
/// ids it once shared.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct StrList {
    bytes: Box<str>,
    ends: Box<[u32]>,
}

impl StrList {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.bytes[start..end])
    }

    /// Where `s` is in a list sorted in `str` order (`Ok`), or where it would go (`Err`), as
    /// `slice::binary_search`.
    pub fn binary_search(&self, s: &str) -> Result<usize, usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self[mid].cmp(s) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + DoubleEndedIterator + Clone + '_ {
        (0..self.len()).map(|i| &self[i])
    }
}

impl std::ops::Index<usize> for StrList {
    type Output = str;
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(s) => s,
            None => panic!("index {i} out of a list of {} strings", self.len()),
        }
    }
}

impl StrList {
    /// The strings of `items`, in order, in two allocations made at their size.
    pub fn from_slice<S: AsRef<str>>(items: &[S]) -> StrList {
        let mut bytes = String::with_capacity(items.iter().map(|s| s.as_ref().len()).sum());
        let mut ends = Vec::with_capacity(items.len());
        for s in items {
            bytes.push_str(s.as_ref());
            ends.push(u32::try_from(bytes.len()).expect("a list of strings is smaller than 4 GiB"));
        }
        StrList { bytes: bytes.into_boxed_str(), ends: ends.into_boxed_slice() }
    }
}

impl<S: AsRef<str>> FromIterator<S> for StrList {
    /// Gathered first, so that [`StrList::from_slice`] makes both allocations at their size:
    /// grown by pushes, they were copied at every doubling and again when boxed.
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> StrList {
        StrList::from_slice(&items.into_iter().collect::<Vec<S>>())
    }
}

impl std::fmt::Debug for StrList {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_each_string_as_given() {
        let l: StrList = ["install", "", "étape-2", "install"].into_iter().collect();
        assert_eq!(l.len(), 4);
        assert_eq!(l.iter().collect::<Vec<_>>(), ["install", "", "étape-2", "install"]);
        assert_eq!((&l[1], &l[2]), ("", "étape-2"));
        assert_eq!(l.get(4), None);
        assert_eq!(l.iter().next_back(), Some("install"));
        let sorted: StrList = ["a", "b", "d"].into_iter().collect();
        assert_eq!(
            ["", "a", "b", "c", "d", "e"].map(|s| sorted.binary_search(s)),
            [Err(0), Ok(0), Ok(1), Err(2), Ok(2), Err(3)]
        );
        assert_eq!(format!("{l:?}"), r#"["install", "", "étape-2", "install"]"#);
    }

    #[test]
    fn lists_are_equal_by_their_strings_not_by_their_bytes_alone() {
        let ab: StrList = ["a", "b"].into_iter().collect();
        let joined: StrList = ["ab"].into_iter().collect();
        assert_ne!(ab, joined);
        assert_eq!(ab, ["a", "b"].into_iter().collect());
        let empty = StrList::default();
        assert!(empty.is_empty());
        assert_eq!(empty, std::iter::empty::<&str>().collect());
    }
}
