//! Suggestions that are safe to apply: a help line may name the closest candidate however far it
//! is, but `--fix` rewrites a name only when exactly one candidate is a typo away (ruff's "safe"
//! fix). What counts as a candidate is each rule's business.

/// The one candidate within a small edit distance of `word` (one character added, dropped,
/// changed or two swapped; two for longer words), or `None` when there is none or several.
pub(crate) fn unique_typo_fix<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let chars = word.chars().count();
    let max = if chars <= 5 { 1 } else { 2 };
    let mut found: Option<&str> = None;
    for c in candidates {
        // An edit adds or drops at most one character, so lengths further apart than `max` are
        // further apart than `max` edits: the distance (quadratic, with a map) is not needed.
        if c == word || c.chars().count().abs_diff(chars) > max || strsim::damerau_levenshtein(word, c) > max {
            continue;
        }
        match found {
            Some(f) if f != c => return None,
            _ => found = Some(c),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::unique_typo_fix;

    #[test]
    fn only_a_single_close_candidate() {
        let vars = ["prodname", "prodnamedash", "prodnameWindows", "version"];
        assert_eq!(unique_typo_fix("prodnme", vars), Some("prodname"));
        assert_eq!(unique_typo_fix("notes", ["note", "tip", "info", "warning", "danger"]), Some("note"));
        assert_eq!(unique_typo_fix("warn", ["note", "tip", "info", "warning", "danger"]), None);
        // Two equally close: no fix.
        assert_eq!(unique_typo_fix("tipp", ["tip", "tips"]), None);
        assert_eq!(
            unique_typo_fix("release-note.mdx", ["release-notes.mdx", "releases.mdx"]),
            Some("release-notes.mdx")
        );
    }

    /// Skipping candidates by length gives what comparing every one gives: words over a small
    /// alphabet, many a typo apart, against lists of them.
    #[test]
    fn the_length_filter_changes_no_answer() {
        fn every(word: &str, candidates: &[String]) -> Option<String> {
            let max = if word.chars().count() <= 5 { 1 } else { 2 };
            let close: Vec<&String> =
                candidates.iter().filter(|c| *c != word && strsim::damerau_levenshtein(word, c) <= max).collect();
            match close.first() {
                Some(f) if close.iter().all(|c| c == f) => Some(f.to_string()),
                _ => None,
            }
        }
        let mut next = crate::rules::xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut word = || -> String { (0..next() % 9).map(|_| ['a', 'b', 'é'][(next() % 3) as usize]).collect() };
        let mut found = 0;
        for _ in 0..20_000 {
            let w = word();
            let candidates: Vec<String> = (0..4).map(|_| word()).collect();
            let want = every(&w, &candidates);
            found += usize::from(want.is_some());
            assert_eq!(unique_typo_fix(&w, candidates.iter().map(String::as_str)).map(str::to_string), want, "{w:?}");
        }
        assert!(found > 1_000, "the sample tests little: {found} fixes");
    }
}
