use super::{Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::Index;
use crate::analysis::drift::change::{Anchor, How, Lacking, Unpropagated};
use crate::analysis::drift::{Applies, FactKind};
use crate::diag::Span;
use crate::model::Model;

declare_rule! {
    /// In PR mode, a change to some copies of a page that other copies, which had the same text, lack.
    ///
    /// ## What it does
    /// Runs only in PR mode (`--changed`, `--diff-base`). For each block a change adds or
    /// edits, it looks at the page's other copies (every version of its doc set, and the same
    /// page in other doc sets) that do not have the new text, and lists those that had the old
    /// text, or the blocks around it, before the change: the copies the change has not reached
    /// yet. Copies whose version lacks a configuration field or `$[variable]` the new text
    /// names, or that the text's release number rules out, are listed as not applicable. Once
    /// every copy has the change, nothing is reported: a change split over several pull
    /// requests is reported until the last one. Whole-site runs never report it (the drift
    /// rules cover standing differences).
    ///
    /// ## Why it matters
    /// Writers apply a change to several copies by hand, and copies that are missed in the
    /// first pull request are often reached weeks later, or never. The pull request is where
    /// the author still knows the change and can apply it everywhere it applies.
    ///
    /// ## Example
    /// A pull request adds to `acme/ebpf.mdx` only:
    /// ```mdx
    /// To move the health server, set `bpfKubeProxyHealthzPort` in the FelixConfiguration.
    /// ```
    /// while `acme_versioned_docs/version-2.0/ebpf.mdx` has the paragraphs around it and its
    /// FelixConfiguration reference lists `bpfKubeProxyHealthzPort`. Use instead: the same
    /// pull request (or a follow-up) adds the paragraph to the 2.0 copy too.
    ///
    /// ## Fix
    /// Apply the same change to the copies the message lists (each is pointed at: the old text,
    /// or the block the new one goes after). If a copy should not have it, say so with a
    /// `{/* docdrift-disable-next-line drift/unpropagated-change -- reason */}` comment before the
    /// changed block, or a `[[drift.accept]]` entry for the page and that copy in `docdrift.toml`.
    pub struct UnpropagatedChange {
        id: "drift/unpropagated-change",
        category: Drift,
        severity: Info,
        fixable: false,
    }
}

impl Rule for UnpropagatedChange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_site(&self, index: &Index, sink: &mut Sink) {
        for u in index.unpropagated().iter().filter(|u| u.applies_somewhere()) {
            report(&index.model, u, sink);
        }
    }
}

fn report(model: &Model, u: &Unpropagated, sink: &mut Sink) {
    let f = &model.files[u.file];
    let blocks = &f.doc.blocks;
    let first = &blocks[u.blocks[0] as usize];
    let end = u.blocks.iter().map(|&b| blocks[b as usize].span.end).max().unwrap_or(first.span.end);
    let what = match u.blocks.as_slice() {
        [_] => first.kind.noun().to_string(),
        many => format!("{} blocks", many.len()),
    };
    let (lacking, ruled_out): (Vec<&Lacking>, Vec<&Lacking>) = u.lacking.iter().partition(|l| l.applies != Applies::No);
    let mut message = match u.how {
        How::Added => format!("other copies of this page lack this new {what}: {}", names(model, &lacking, exists)),
        How::Edited => format!("other copies of this page lack this change: {}", names(model, &lacking, exists)),
    };
    if !ruled_out.is_empty() {
        message.push_str(&format!("; not applicable: {}", names(model, &ruled_out, missing)));
    }
    let finding = sink.report(u.file as u32, Span::new(u.start as usize, end as usize), message);
    for l in &lacking {
        let xf = &model.files[l.copy.file];
        let b = &xf.doc.blocks[l.block as usize];
        let name = model.site.version_display(l.copy.loc);
        let note = match l.anchor {
            Anchor::OldText => format!("the old text in {name}"),
            Anchor::Version => format!("{name}'s own version of the old text"),
            Anchor::After => format!("in {name} it goes after this {}", b.kind.noun()),
            Anchor::Before => format!("in {name} it goes before this {}", b.kind.noun()),
        };
        finding.related(l.copy.file as u32, b.span, note);
    }
    finding.help(
        "apply the same change there, or accept the difference with \
         `{/* docdrift-disable-next-line drift/unpropagated-change -- reason */}` before this block",
    );
}

/// "Calico 3.31, 3.30, Calico Enterprise 3.22 (`x` exists in each)": copies grouped by what the
/// facts say there, in page order within a group, a doc set's later versions by label only.
fn names(model: &Model, copies: &[&Lacking], note: fn(&Lacking, bool) -> String) -> String {
    let site = &model.site;
    let mut groups: Vec<(String, Vec<&Lacking>)> = Vec::new();
    for l in copies {
        let key = note(l, false);
        match groups.iter_mut().find(|(n, _)| *n == key) {
            Some((_, g)) => g.push(l),
            None => groups.push((key, vec![l])),
        }
    }
    let mut out: Vec<String> = Vec::new();
    for (_, g) in groups {
        let mut names: Vec<String> = Vec::new();
        for (k, l) in g.iter().enumerate() {
            let same_set = k > 0 && g[k - 1].copy.loc.doc_set == l.copy.loc.doc_set;
            names.push(if same_set {
                site.doc_sets[l.copy.loc.doc_set].versions[l.copy.loc.version].label.clone()
            } else {
                site.version_display(l.copy.loc)
            });
        }
        let n = note(g[0], g.len() > 1);
        out.push(if n.is_empty() { names.join(", ") } else { format!("{} ({n})", names.join(", ")) });
    }
    out.join("; ")
}

/// The facts that make the change apply to a copy (`each`: said of several).
fn exists(l: &Lacking, each: bool) -> String {
    let fields: Vec<String> = l
        .facts
        .iter()
        .filter(|f| f.exists && matches!(f.kind, FactKind::Field { .. }))
        .map(|f| format!("`{}`", f.name))
        .collect();
    match fields.as_slice() {
        [] => String::new(),
        [one] => format!("{one} exists {}", if each { "in each" } else { "there" }),
        many => format!("{} exist {}", many.join(", "), if each { "in each" } else { "there" }),
    }
}

/// The facts that rule the change out in a copy.
fn missing(l: &Lacking, _each: bool) -> String {
    let facts: Vec<String> = l
        .facts
        .iter()
        .filter(|f| !f.exists)
        .map(|f| match &f.kind {
            FactKind::Field { resource } => format!("no {resource} field `{}`", f.name),
            FactKind::Variable => format!("no `$[{}]`", f.name),
            FactKind::Release => format!("names release `{}`", f.name),
            FactKind::Container => format!("no `{}` around it", f.name),
            FactKind::OtherPage => format!("it is on `{}`", f.name),
        })
        .collect();
    facts.join(", ")
}
