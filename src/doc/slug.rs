//! Heading ids: an exact port of github-slugger 1.5.0, the slugger Docusaurus 3 uses.
//!
//! This module owns turning a heading's text into an id ([`slug`]) and the per-file
//! de-duplication of those ids ([`Slugger`]). It does not decide *which* text is slugged
//! (that is the heading parser's job, see `reference/docusaurus-semantics.md` §1.2) and it
//! does not handle explicit ids (`{/* #id */}`, `\{#id}`), which bypass the slugger.
//!
//! The algorithm is github-slugger's, character for character: lowercase as JavaScript's
//! `toLowerCase` does (unless case is kept), drop every code point in the Unicode 13 based
//! removed set ([`super::slug_table::REMOVED`]), then turn each U+0020 into `-`. Nothing is
//! trimmed or collapsed: `"  a -- b "` becomes `"--a----b-"`.

use std::borrow::Cow;

use super::slug_table::REMOVED;

/// Hands out unique ids within one compiled file, as `new GithubSlugger()` does.
///
/// Docusaurus creates one per MDX file (partials get their own), visits headings in document
/// order (the h1 included) and runs every heading without an explicit id through it.
///
/// ```
/// let mut s = docdrift::doc::Slugger::default();
/// let ids: Vec<_> = ["Overview", "Overview", "Overview-1", "Overview"]
///     .iter()
///     .map(|h| s.slug(h, false))
///     .collect();
/// assert_eq!(ids, ["overview", "overview-1", "overview-1-1", "overview-2"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Slugger {
    /// github-slugger's `occurrences`: every id handed out, and for a base id the last
    /// suffix tried. Fx-hashed: every heading of the site goes through a slugger, and a
    /// page's own ids need no SipHash against chosen collisions.
    occurrences: rustc_hash::FxHashMap<String, u64>,
}

impl Slugger {
    pub fn new() -> Slugger {
        Slugger::default()
    }

    /// The next unique id for `value`: the plain [`slug`], or `slug-N` with the smallest `N`
    /// above the last one used for that base that is not taken yet.
    pub fn slug(&mut self, value: &str, maintain_case: bool) -> String {
        let base = slug(value, maintain_case);
        if !self.occurrences.contains_key(&base) {
            self.occurrences.insert(base.clone(), 0);
            return base;
        }
        // `while (own.call(occurrences, slug)) { occurrences[originalSlug]++; slug = originalSlug + '-' + occurrences[originalSlug] }`
        let mut candidate;
        loop {
            let n = match self.occurrences.get_mut(&base) {
                Some(count) => {
                    *count += 1;
                    *count
                }
                // Not reachable: `base` was found above and entries are never removed.
                None => 1,
            };
            candidate = format!("{base}-{n}");
            if !self.occurrences.contains_key(&candidate) {
                break;
            }
        }
        self.occurrences.insert(candidate.clone(), 0);
        candidate
    }

    /// Forget every id handed out so far.
    pub fn reset(&mut self) {
        self.occurrences.clear();
    }
}

/// github-slugger's `slug(value, maintainCase)`: the id for `value`, without de-duplication.
pub fn slug(value: &str, maintain_case: bool) -> String {
    if value.is_ascii() {
        let table = if maintain_case { &ASCII_KEEP_CASE } else { &ASCII_LOWER };
        let mut out = Vec::with_capacity(value.len());
        out.extend(value.bytes().map(|b| table[b as usize]).filter(|&b| b != 0));
        // Only ASCII bytes were pushed.
        return String::from_utf8(out).unwrap_or_default();
    }
    let text: Cow<str> = if maintain_case { Cow::Borrowed(value) } else { Cow::Owned(value.to_lowercase()) };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            let b = ASCII_KEEP_CASE[c as usize];
            if b != 0 {
                out.push(b as char);
            }
        } else if !is_removed(c) {
            out.push(c);
        }
    }
    out
}

/// Whether github-slugger's regex removes `c` (ASCII included, space excluded).
pub fn is_removed(c: char) -> bool {
    if c.is_ascii() {
        return c != ' ' && ASCII_KEEP_CASE[c as usize] == 0;
    }
    let cp = c as u32;
    let i = REMOVED.partition_point(|&(_, last)| last < cp);
    REMOVED.get(i).is_some_and(|&(first, _)| first <= cp)
}

/// For each ASCII byte, what github-slugger outputs for it with case kept (0: removed).
/// In ASCII only `-`, `0-9`, `A-Z`, `_`, `a-z` survive, and space becomes `-`.
static ASCII_KEEP_CASE: [u8; 128] = ascii_table(false);
/// The same after lowercasing.
static ASCII_LOWER: [u8; 128] = ascii_table(true);

const fn ascii_table(lower: bool) -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut b = 0u8;
    while b < 128 {
        t[b as usize] = match b {
            b' ' => b'-',
            b'A'..=b'Z' if lower => b + (b'a' - b'A'),
            b'-' | b'0'..=b'9' | b'A'..=b'Z' | b'_' | b'a'..=b'z' => b,
            _ => 0,
        };
        b += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every raw github-slugger example of `reference/docusaurus-semantics.md` §1.5, plus the
    /// gotchas of §1.1 (all checked against the npm package).
    #[test]
    fn reference_examples() {
        let cases: &[(&str, &str)] = &[
            ("Install $[prodname] on `kubeadm`", "install-prodname-on-kubeadm"),
            ("Install Calico on kubeadm", "install-calico-on-kubeadm"),
            ("MKE: VXLAN device DOWN", "mke-vxlan-device-down"),
            ("Disable `kube-proxy` (or avoid conflicts)", "disable-kube-proxy-or-avoid-conflicts"),
            ("C++ & Go!", "c--go"),
            ("Über café", "über-café"),
            ("  spaces  ", "--spaces--"),
            ("a -- b", "a----b"),
            ("API v3.0 / v3.1", "api-v30--v31"),
            ("What's new in 3.31?", "whats-new-in-331"),
            ("Step 1: Create a cluster", "step-1-create-a-cluster"),
            ("🚀 Quick start", "-quick-start"),
            ("⚠️ Warning", "\u{FE0F}-warning"),
            ("👍🏽 Thumbs", "-thumbs"),
            ("snake_case_name", "snake_case_name"),
            ("日本語の見出し", "日本語の見出し"),
            ("İstanbul", "i\u{307}stanbul"),
            ("ΣΟΦΟΣ", "σοφος"),
            ("Tab\there", "tabhere"),
            ("nbsp\u{A0}here", "nbsphere"),
            ("em—dash – en", "emdash--en"),
            ("“Smart” ‘quotes’", "smart-quotes"),
            ("100% © ® ™ € $ £", "100------"),
            ("ⓐ circled ½ ² ³", "ⓐ-circled---"),
            ("x86_64 / arm64", "x86_64--arm64"),
            ("kubectl apply -f calico.yaml", "kubectl-apply--f-calicoyaml"),
            ("IPv4/IPv6 dual-stack", "ipv4ipv6-dual-stack"),
            // The text Docusaurus slugs for §1.5 rows 26-36 (emoji shortcodes are still text).
            ("Tada :tada: shortcode", "tada-tada-shortcode"),
            ("See the docs now", "see-the-docs-now"),
            ("A & B © C", "a--b--c"),
            ("Escaped * star _x_", "escaped--star-_x_"),
            ("Feature ", "feature-"),
            ("Expr props.x here", "expr-propsx-here"),
            ("Comment /* hidden */ here", "comment--hidden--here"),
            ("Title /* my-id */", "title--my-id-"),
            ("!!!", ""),
            ("", ""),
        ];
        for &(input, want) in cases {
            assert_eq!(slug(input, false), want, "slug({input:?})");
        }
    }

    #[test]
    fn zwj_and_skin_tone_removed_variation_selector_kept() {
        // 👨‍👩‍👧 is three emoji joined by U+200D (Cf); all removed.
        assert_eq!(slug("a 👨\u{200D}👩\u{200D}👧 b", false), "a--b");
        assert_eq!(slug("\u{200D}", false), "");
        assert_eq!(slug("\u{1F3FD}", false), "");
        assert_eq!(slug("x\u{FE0F}", false), "x\u{FE0F}");
        assert_eq!(slug("x\u{FE0E}", false), "x\u{FE0E}");
    }

    #[test]
    fn only_u0020_becomes_hyphen() {
        for ws in ["\t", "\n", "\r", "\u{A0}", "\u{2003}", "\u{3000}", "\u{2028}"] {
            assert_eq!(slug(&format!("a{ws}b"), false), "ab", "{ws:?}");
        }
        assert_eq!(slug("a  b", false), "a--b");
    }

    #[test]
    fn maintain_case() {
        assert_eq!(slug("MKE: VXLAN device DOWN", true), "MKE-VXLAN-device-DOWN");
        assert_eq!(slug("İstanbul ΣΟΦΟΣ", true), "İstanbul-ΣΟΦΟΣ");
    }

    #[test]
    fn lowercasing_is_javascripts() {
        // Final sigma only at the end of a word; the Kelvin sign lowers to ASCII `k`.
        assert_eq!(slug("ΣΑΣ ΣΑ", false), "σας-σα");
        assert_eq!(slug("\u{212A}elvin", false), "kelvin");
        assert_eq!(slug("ÀÉÎ", false), "àéî");
    }

    #[test]
    fn code_points_unassigned_in_unicode_13_are_removed() {
        // U+1FAE0 (melting face) is Unicode 14; U+0870 (Arabic letter) is Unicode 14 too.
        assert_eq!(slug("a\u{1FAE0}b", false), "ab");
        assert_eq!(slug("a\u{0870}b", false), "ab");
        // Private use and noncharacters.
        assert_eq!(slug("a\u{E000}\u{FFFF}\u{10FFFF}b", false), "ab");
    }

    #[test]
    fn is_removed_matches_table_edges() {
        for &(first, last) in REMOVED {
            for cp in [first, last] {
                if let Some(c) = char::from_u32(cp) {
                    assert!(is_removed(c), "{cp:#X}");
                }
            }
            for cp in [first.wrapping_sub(1), last + 1] {
                if let Some(c) = char::from_u32(cp)
                    && c != ' '
                    && !REMOVED.iter().any(|&(a, b)| a <= cp && cp <= b)
                {
                    assert!(!is_removed(c), "{cp:#X}");
                }
            }
        }
        assert!(!is_removed(' '));
        assert!(!is_removed('-'));
        assert!(!is_removed('_'));
        assert!(is_removed('.'));
    }

    #[test]
    fn ascii_fast_path_agrees_with_general_path() {
        // Prefixing a kept non-ASCII letter forces the general path.
        for b in 0u8..128 {
            let s = format!("{}", b as char);
            let fast = slug(&s, false);
            let general = slug(&format!("é{s}"), false);
            assert_eq!(format!("é{fast}"), general, "{b:#X}");
            let fast = slug(&s, true);
            let general = slug(&format!("é{s}"), true);
            assert_eq!(format!("é{fast}"), general, "{b:#X}");
        }
    }

    #[test]
    fn dedup_sequence() {
        let mut s = Slugger::default();
        let got: Vec<_> = ["Overview", "Overview", "Overview-1", "Overview"].iter().map(|h| s.slug(h, false)).collect();
        assert_eq!(got, ["overview", "overview-1", "overview-1-1", "overview-2"]);
    }

    #[test]
    fn dedup_skips_taken_candidates() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("a", false), "a");
        assert_eq!(s.slug("a-1", false), "a-1");
        assert_eq!(s.slug("a", false), "a-2");
        assert_eq!(s.slug("a", false), "a-3");
        assert_eq!(s.slug("a-2", false), "a-2-1");
        // Case-kept and lowered slugs share one namespace.
        assert_eq!(s.slug("A", true), "A");
        assert_eq!(s.slug("A", false), "a-4");
    }

    #[test]
    fn empty_slugs_are_deduplicated_too() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("!!!", false), "");
        assert_eq!(s.slug("???", false), "-1");
        assert_eq!(s.slug("-1", false), "-1-1");
    }

    #[test]
    fn reset_forgets() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Install", false), "install");
        assert_eq!(s.slug("Install", false), "install-1");
        s.reset();
        assert_eq!(s.slug("Install", false), "install");
    }

    #[test]
    fn special_object_keys_are_ordinary() {
        // github-slugger keeps `occurrences` in `Object.create(null)`.
        let mut s = Slugger::default();
        assert_eq!(s.slug("__proto__", false), "__proto__");
        assert_eq!(s.slug("__proto__", false), "__proto__-1");
        assert_eq!(s.slug("constructor", false), "constructor");
    }
}
