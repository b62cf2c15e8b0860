use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::links::Target;
use crate::model::Model;

declare_rule! {
    /// A link to an anchor that exists only because a `$[variable]` was substituted.
    ///
    /// ## What it does
    /// Notes links whose fragment matches a heading id only after `$[variable]` substitution:
    /// `## $[prodname] and eBPF` is `#calico-and-ebpf` in Calico, but the variables plugin
    /// sometimes slugs the raw text (`#prodname-and-ebpf`).
    ///
    /// ## Why it matters
    /// The link works on most builds and breaks on some; the same link copied into another
    /// product's docs lands on a different id.
    ///
    /// ## Example
    /// ```mdx
    /// ## $[prodname] and eBPF
    /// See [above](#calico-and-ebpf).
    /// ```
    /// Use instead:
    /// ```mdx
    /// ## $[prodname] and eBPF {/* #ebpf */}
    /// See [above](#ebpf).
    /// ```
    ///
    /// ## Fix
    /// Give the heading an explicit id that has no variable in it, and link to that.
    pub struct AnchorFragile {
        id: "anchor/fragile",
        category: Anchor,
        severity: Info,
        fixable: false,
    }
}

impl Rule for AnchorFragile {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let ix = cx.index;
        for check in &ix.links[cx.id as usize] {
            let Some((_, Target::Doc { file })) = check.results.first() else { continue };
            let link = &cx.file.doc.links[check.link];
            let fragment = check.fragment(link);
            if fragment.is_empty() || !ix.anchors.is_fragile(*file, fragment) {
                continue;
            }
            let model = cx.model;
            let heading = heading_with_id(model, *file, fragment);
            let what = match heading {
                Some((hf, k)) => format!("the heading `{}`", model.files[hf].doc.headings[k].text.trim()),
                None => "its heading".to_string(),
            };
            let f = sink.report(
                cx.id,
                link.url_span,
                format!("`#{fragment}` exists only after `$[variable]` substitution in {what}"),
            );
            f.help("Give the heading an explicit id without variables (`{/* #my-id */}`) and link to that");
            if let Some((hf, k)) = heading {
                f.related(hf as u32, model.files[hf].doc.headings[k].span, "the heading is here");
            }
        }
    }
}

/// The heading whose id is `id` on page `file` or a partial it renders: `(file, heading index)`.
fn heading_with_id(model: &Model, file: usize, id: &str) -> Option<(usize, usize)> {
    let mut stack = vec![file];
    let mut seen = Vec::new();
    while let Some(f) = stack.pop() {
        if seen.contains(&f) {
            continue;
        }
        seen.push(f);
        if let Some(k) = model.files[f].heading_ids.iter().position(|h| h == id) {
            return Some((f, k));
        }
        stack.extend(model.partials.get(f).into_iter().flatten());
    }
    None
}
