//! [`OneOrMany`]: a list that is nearly always one item, held without an allocation of its own.
//!
//! Bottom layer, beside `diag`: plain data, no imports from the crate.

/// A list of `T` that is nearly always one item (the files at a route, the results of a link):
/// one item is held inline, and only a second moves the items into a `Vec`. Derefs to the slice.
#[derive(Clone, Debug)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> Default for OneOrMany<T> {
    /// Empty, with room for one item inline.
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    /// Room for `n` items: none allocated for one (it goes inline), a `Vec` of `n` for more, so
    /// that a known count is allocated once rather than grown by doubling.
    pub fn with_capacity(n: usize) -> Self {
        OneOrMany::Many(Vec::with_capacity(if n == 1 { 0 } else { n }))
    }

    pub fn push(&mut self, item: T) {
        *self = match std::mem::take(self) {
            // No room made (empty, or room for one): held inline.
            OneOrMany::Many(v) if v.capacity() == 0 => OneOrMany::One(item),
            OneOrMany::Many(mut v) => {
                v.push(item);
                OneOrMany::Many(v)
            }
            OneOrMany::One(first) => OneOrMany::Many(vec![first, item]),
        };
    }
}

impl<T> std::ops::Deref for OneOrMany<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            OneOrMany::One(item) => std::slice::from_ref(item),
            OneOrMany::Many(v) => v,
        }
    }
}

impl<T> std::ops::DerefMut for OneOrMany<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            OneOrMany::One(item) => std::slice::from_mut(item),
            OneOrMany::Many(v) => v,
        }
    }
}
