//! Suggestions that are safe to apply: a help line may name the closest candidate however far it
//! is, but `--fix` rewrites a name only when exactly one candidate is a typo away (ruff's "safe"
//! fix). What counts as a candidate is each rule's business.

/// The one candidate within a small edit distance of `word` (one character added, dropped,
/// changed or two swapped; two for longer words), or `None` when there is none or several.
pub(crate) fn unique_typo_fix<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let max = if word.chars().count() <= 5 { 1 } else { 2 };
    let mut found: Option<&str> = None;
    for c in candidates {
        if c == word || strsim::damerau_levenshtein(word, c) > max {
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
}
