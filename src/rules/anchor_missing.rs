use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::Index;
use crate::analysis::links::Target;
use crate::diag::Severity;
use crate::site::routes::percent_decode;

declare_rule! {
    /// A link to an anchor that does not exist on the page it lands on.
    ///
    /// ## What it does
    /// Checks the `#fragment` of every link, on the same page or another, against the anchors
    /// the target page really has in the version the link lands on: its h2–h6 heading ids (as
    /// Docusaurus slugs them, after `$[variable]` substitution), the headings of the partials it
    /// renders, explicit ids, `id` attributes, and ids that components render from data (see
    /// `rules/component-anchors.toml`). Anchors are case-sensitive. On a page that uses a
    /// component docdrift cannot see into, a missing anchor is a warning.
    ///
    /// ## Why it matters
    /// A renamed heading silently breaks every link to it, in every version that copied the
    /// link. Docusaurus only warns (or, with `onBrokenAnchors: 'ignore'`, says nothing).
    ///
    /// ## Example
    /// ```mdx
    /// See [the VXLAN notes](troubleshoot-ebpf.mdx#mke-vxlan-down).
    /// ```
    /// Use instead (the heading is "MKE VXLAN device down"):
    /// ```mdx
    /// See [the VXLAN notes](troubleshoot-ebpf.mdx#mke-vxlan-device-down).
    /// ```
    ///
    /// ## Fix
    /// Use the anchor the help suggests, or restore the heading. When exactly one anchor is
    /// close, `docdrift check --fix` rewrites the link.
    pub struct AnchorMissing {
        id: "anchor/missing",
        category: Anchor,
        severity: Error,
        fixable: true,
    }
}

impl Rule for AnchorMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let model = cx.model;
        let ix = cx.index;
        for check in &ix.links[cx.id as usize] {
            let link = &cx.file.doc.links[check.link];
            let mut missing: Vec<(usize, &str)> = Vec::new();
            let fragment = check.fragment(link);
            for (_, target) in check.results.iter() {
                let Target::Doc { file } = target else { continue };
                if fragment.is_empty() || has_anchor(ix, *file, fragment) {
                    continue;
                }
                missing.push((*file, fragment));
            }
            // Several rendering pages with the same problem: one finding.
            let Some(&(file, fragment)) = missing.first() else { continue };
            let same_page = file == cx.id as usize || check.results.iter().all(|(p, _)| *p == file);
            let partial = crate::site::routes::is_partial_path(&cx.file.path);
            let url = check.url(link);
            let where_ = if same_page && url.starts_with('#') && !partial {
                "on this page".to_string()
            } else if url.starts_with('#') && partial {
                let tf = &model.files[file];
                let name = tf.path.rsplit('/').next().unwrap_or(&tf.path);
                format!("on `{name}`, the page that renders this partial")
            } else {
                let tf = &model.files[file];
                let name = tf.path.rsplit('/').next().unwrap_or(&tf.path);
                match tf.loc {
                    Some(l) => format!("in `{name}` ({})", model.site.version_display(l)),
                    None => format!("in `{name}`"),
                }
            };
            let unknown = ix.anchors.unknown_components(file);
            let best = closest_anchor(ix, file, fragment);
            // Where the fragment sits in the source, to underline just it.
            let span = fragment_span(cx, link, fragment);
            let f = sink.report(cx.id, span, format!("no anchor `#{fragment}` {where_}"));
            match &best {
                Some(b) => {
                    f.help(format!("did you mean `#{b}`?"));
                    if cx.file.text.get(span.range()) == Some(fragment) && fix_is_unambiguous(ix, file, fragment) {
                        f.fix(span, b.clone());
                    }
                }
                None => {
                    f.help("link to a heading that exists on that page, or drop the fragment");
                }
            }
            if !unknown.is_empty() {
                f.severity(Severity::Warning);
                f.message.push_str(&format!("; the page uses {} which may render it", unknown.join(", ")));
            }
            // A heading id built from a computed variable cannot be known without running
            // `variables.js`: the anchor may well exist, so this is no error.
            let computed = ix.anchors.computed_variables(file);
            if !computed.is_empty() {
                f.severity(Severity::Info);
                f.help("check the anchor on the built page: docdrift cannot compute these heading ids");
                f.message.push_str(&format!(
                    "; headings there use {}, whose value `variables.js` computes, so their ids are not checked",
                    computed.iter().map(|c| format!("`$[{c}]`")).collect::<Vec<_>>().join(", ")
                ));
            }
            let pages: Vec<usize> = missing.iter().map(|(p, _)| *p).collect();
            if crate::site::routes::is_partial_path(&cx.file.path) && pages.len() > 1 {
                f.message.push_str(&format!(" (on {} pages that render this partial)", pages.len()));
            }
        }
    }
}

pub(crate) fn has_anchor(ix: &Index, file: usize, fragment: &str) -> bool {
    let a = &ix.anchors;
    a.has(file, fragment) || (fragment.contains('%') && a.has(file, &percent_decode(fragment)))
}

fn closest_anchor(ix: &Index, file: usize, fragment: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    let first = fragment.chars().next().map(|c| c.to_ascii_lowercase());
    let near = Near::new(fragment);
    for id in ix.anchors.all_ids(file) {
        // Pages like API references have thousands of ids: compare only plausible ones (same
        // first letter, similar length).
        let (a, b) = (id.len(), fragment.len());
        if id.chars().next().map(|c| c.to_ascii_lowercase()) != first || a.max(b) > 2 * a.min(b) {
            continue;
        }
        let score = if id.eq_ignore_ascii_case(fragment) {
            1.0
        } else if near.may_be_close(id) {
            strsim::jaro_winkler(id, fragment)
        } else {
            continue;
        };
        if score > 0.85 && best.is_none_or(|(s, b)| score > s || (score == s && id < b)) {
            best = Some((score, id));
        }
    }
    best.map(|(_, b)| b.to_string())
}

/// A rewrite is offered only when exactly one anchor is close, and the fragment is not an
/// explicit id the target page writes in a form this site does not honour (`{#id}`): fixing
/// that heading's id, not the link, may be what the author wants.
fn fix_is_unambiguous(ix: &Index, file: usize, fragment: &str) -> bool {
    let written =
        ix.model.files[file].doc.headings.iter().any(|h| h.explicit_id.as_ref().is_some_and(|e| e.id == fragment));
    if written {
        return false;
    }
    let near = Near::new(fragment);
    let close = ix
        .anchors
        .all_ids(file)
        .filter(|id| {
            id.eq_ignore_ascii_case(fragment) || (near.may_be_close(id) && strsim::jaro_winkler(id, fragment) > 0.85)
        })
        // One is the answer; a second is enough to know it is not.
        .take(2)
        .count();
    close == 1
}

/// A fragment, for telling from an id's length and letters alone that `jaro_winkler(id,
/// fragment)` cannot pass 0.85 (pages like API references have thousands of ids, and the
/// metric is quadratic in their length).
struct Near<'a> {
    fragment: &'a str,
    chars: usize,
    /// How many of the fragment's characters fall in each of 128 buckets (by code point).
    counts: [u32; 128],
}

impl<'a> Near<'a> {
    fn new(fragment: &'a str) -> Near<'a> {
        Near { fragment, chars: fragment.chars().count(), counts: counts(fragment) }
    }

    /// False only where `jaro_winkler(id, fragment)` cannot pass 0.85:
    /// - from the lengths: Jaro is at most `(2 + s/l) / 3` for lengths `s <= l` (every
    ///   character of the shorter matched, no transpositions), and Winkler's bonus for a common
    ///   prefix of at most 4 characters lifts `j` to at most `0.6 j + 0.4`, and not at all when
    ///   the first characters differ. So passing 0.85 needs `s/l > 0.25`, or `s/l > 0.55`
    ///   without a common first character; a ratio on the bound itself is left to
    ///   `jaro_winkler` (rounding);
    /// - from the letters: the `m` matched characters are at most the characters the two have
    ///   in common (counted by bucket, which can only count more), so Jaro is at most
    ///   `(m/a + m/b + 1) / 3`, and the bonus is at most the real common prefix's.
    fn may_be_close(&self, id: &str) -> bool {
        let id_chars = id.chars().count();
        if !self.close_in_length(id, id_chars) {
            return false;
        }
        if id_chars == 0 || self.chars == 0 {
            return true;
        }
        let theirs = counts(id);
        let common: u32 = self.counts.iter().zip(&theirs).map(|(&x, &y)| x.min(y)).sum();
        let m = f64::from(common);
        let jaro = (m / id_chars as f64 + m / self.chars as f64 + 1.0) / 3.0;
        let prefix = id.chars().zip(self.fragment.chars()).take(4).take_while(|(x, y)| x == y).count();
        let bound = if jaro > 0.7 { jaro + 0.1 * prefix as f64 * (1.0 - jaro) } else { jaro };
        // The margin covers rounding: the bound and the metric add the same terms in another order.
        bound > 0.85 - 1e-9
    }

    /// The first bound alone, from the lengths (`id_chars`: `id`'s length in characters).
    fn close_in_length(&self, id: &str, id_chars: usize) -> bool {
        let (s, l) = (id_chars.min(self.chars), id_chars.max(self.chars));
        if id.chars().next() == self.fragment.chars().next() { 4 * s >= l } else { 20 * s >= 11 * l }
    }
}

fn counts(s: &str) -> [u32; 128] {
    let mut out = [0u32; 128];
    for c in s.chars() {
        out[(c as usize) & 127] += 1;
    }
    out
}

/// The fragment's own span inside the link destination, when it is written literally.
fn fragment_span(cx: &FileCx, link: &crate::doc::Link, fragment: &str) -> crate::diag::Span {
    let dest = &cx.file.text[link.url_span.range()];
    match dest.rfind(&format!("#{fragment}")) {
        Some(k) => {
            let start = link.url_span.start as usize + k + 1;
            crate::diag::Span::new(start, start + fragment.len())
        }
        None => link.url_span,
    }
}

#[cfg(test)]
mod tests {
    use super::Near;

    /// The filter never drops an id that `jaro_winkler` finds close: pairs of strings over a
    /// small alphabet (so that many are close), lengths 0 to 11, with a non-ASCII character
    /// that shares a bucket with `i`. Both bounds must drop some pairs on their own.
    #[test]
    fn the_filter_keeps_every_close_id() {
        let mut next = crate::rules::xorshift(0x2545_f491_4f6c_dd1du64);
        let alphabet = ['a', 'b', 'c', 'd', 'i', 'é'];
        let mut word = || -> String {
            let len = next() % 12;
            (0..len).map(|_| alphabet[(next() % 6) as usize]).collect()
        };
        let (mut close, mut by_length, mut by_letters) = (0, 0, 0);
        for _ in 0..200_000 {
            let (a, b) = (word(), word());
            let near = Near::new(&b);
            let kept = near.may_be_close(&a);
            if strsim::jaro_winkler(&a, &b) > 0.85 {
                close += 1;
                assert!(kept, "dropped {a:?} against {b:?}");
            } else if !near.close_in_length(&a, a.chars().count()) {
                by_length += 1;
            } else if !kept {
                by_letters += 1;
            }
        }
        assert!(
            close > 1_000 && by_length > 10_000 && by_letters > 10_000,
            "the sample tests little: {close} close, {by_length} dropped by length, {by_letters} by letters"
        );
    }
}
