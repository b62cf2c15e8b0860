//! Which of a list of spans (JSX elements, admonitions) contain a given span, innermost
//! first, in logarithmic time: scanning every element for every code block or link made a page
//! with many of both quadratic. Owns no document knowledge; callers pick the spans.

use crate::diag::Span;

/// Spans in order of their start (ties in any order), with a segment tree of the largest end
/// over each range of them.
#[derive(Clone, Debug, Default)]
pub struct Covers {
    starts: Vec<u32>,
    size: usize,
    /// Node `k` holds the largest end among its leaves; leaf `i` is node `size + i`.
    max_end: Vec<u32>,
}

impl Covers {
    /// `spans` must come in order of their start.
    pub fn new(spans: impl IntoIterator<Item = Span>) -> Covers {
        let spans: Vec<Span> = spans.into_iter().collect();
        debug_assert!(spans.windows(2).all(|w| w[0].start <= w[1].start), "spans not in order");
        let size = spans.len().next_power_of_two();
        let mut max_end = vec![0; 2 * size];
        for (i, s) in spans.iter().enumerate() {
            max_end[size + i] = s.end;
        }
        for k in (1..size).rev() {
            max_end[k] = max_end[2 * k].max(max_end[2 * k + 1]);
        }
        Covers { starts: spans.iter().map(|s| s.start).collect(), size, max_end }
    }

    /// The spans that contain `span`, by index, last first: the one that starts last (the
    /// innermost, when spans nest) comes first.
    pub fn containing(&self, span: Span) -> impl Iterator<Item = usize> + '_ {
        let mut limit = self.starts.partition_point(|&s| s <= span.start);
        std::iter::from_fn(move || {
            let i = self.last_reaching(limit, span.end)?;
            limit = i;
            Some(i)
        })
    }

    /// The largest index below `limit` whose span ends at or after `end`.
    fn last_reaching(&self, limit: usize, end: u32) -> Option<usize> {
        if limit == 0 {
            return None;
        }
        self.descend(1, 0, self.size, limit, end)
    }

    fn descend(&self, node: usize, lo: usize, hi: usize, limit: usize, end: u32) -> Option<usize> {
        if lo >= limit || self.max_end[node] < end {
            return None;
        }
        if hi - lo == 1 {
            return Some(lo);
        }
        let mid = (lo + hi) / 2;
        self.descend(2 * node + 1, mid, hi, limit, end).or_else(|| self.descend(2 * node, lo, mid, limit, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the scan it replaces, on every span of a small grid.
    #[test]
    fn agrees_with_a_scan() {
        let spans: Vec<Span> = {
            let mut v: Vec<Span> =
                (0..12u32).flat_map(|a| (a..14).step_by(3).map(move |b| Span::new(a as usize, b as usize))).collect();
            v.sort_by_key(|s| s.start);
            v
        };
        let covers = Covers::new(spans.iter().copied());
        for a in 0..15 {
            for b in a..16 {
                let q = Span::new(a, b);
                let want: Vec<usize> = (0..spans.len()).rev().filter(|&i| spans[i].contains(q)).collect();
                assert_eq!(covers.containing(q).collect::<Vec<_>>(), want, "{q:?}");
            }
        }
        assert_eq!(Covers::new([]).containing(Span::new(0, 1)).count(), 0);
    }
}
