use super::{Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::Index;
use crate::analysis::drift::{self, Applies, Class, Issue, PageDrift};
use crate::diag::{Finding, Span};
use crate::model::Model;

declare_rule! {
    /// A block other copies of the page have and this copy lacks, where the facts say it applies.
    ///
    /// ## What it does
    /// Aligns the copies of each page (every version of its doc set, and the same page in other
    /// doc sets) section by section and block by block, and reports a copy that lacks a
    /// paragraph, list item, code block, table row or section when either
    /// - older and newer versions of its doc set have it (a hole), unless the block names a
    ///   configuration field this version's reference lacks, a `$[variable]` it does not define
    ///   or a release number; or
    /// - no version of its doc set has it while another doc set's newest copy does (a
    ///   cross-product gap), and every configuration field the block names exists in this
    ///   version's reference.
    ///
    /// Blocks added only in newer versions, or removed in newer versions, are how versions
    /// evolve and are not reported; nor is a block this copy has elsewhere on the page or on
    /// another page of its version, with other release values (`1.32` for `1.30`), under a
    /// reworded heading, in a tab panel this copy does not have, or where this copy has text of
    /// its own in its place (a rewrite). `docdrift drift` shows the whole matrix.
    ///
    /// ## Why it matters
    /// Writers apply a fix to several copies by hand. A copy that never receives it tells its
    /// readers less, or something outdated, about a feature their version has.
    ///
    /// ## Example
    /// `acme/ebpf.mdx` and `acme_versioned_docs/version-1.0/ebpf.mdx` both say:
    /// ```mdx
    /// ## Tune eBPF
    ///
    /// Set `bpfKubeProxyHealthzPort` to change the health port.
    /// ```
    /// while `acme_versioned_docs/version-2.0/ebpf.mdx` has only the heading, and its
    /// FelixConfiguration reference lists `bpfKubeProxyHealthzPort`. Use instead, in 2.0:
    /// ```mdx
    /// ## Tune eBPF
    ///
    /// Set `bpfKubeProxyHealthzPort` to change the health port.
    /// ```
    ///
    /// ## Fix
    /// Copy the block from the copy the message names (`docdrift check --fix` inserts it,
    /// `$[variables]` kept as written, when the block stands at the top level after a block both
    /// copies share). If the difference is meant, say so: a
    /// `{/* docdrift-disable-next-line drift/missing-block -- reason */}` comment before the
    /// line the finding points at, or a `[[drift.accept]]` entry in `docdrift.toml`.
    pub struct MissingBlock {
        id: "drift/missing-block",
        category: Drift,
        severity: Warning,
        fixable: true,
    }
}

impl Rule for MissingBlock {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_site(&self, index: &Index, sink: &mut Sink) {
        for (page, i) in issues(index, applies) {
            report(&index.model, page, i, sink);
        }
    }
}

/// The drift issues `keep` selects, with their page: what the `drift/*` rules report.
pub(super) fn issues(index: &Index, keep: fn(&Issue) -> bool) -> impl Iterator<Item = (&PageDrift, &Issue)> {
    index.drift().pages.iter().flat_map(move |p| p.issues.iter().filter(move |i| keep(i)).map(move |i| (p, i)))
}

/// A finding at `span` of the copy that has issue `i`, related to the block in the copy it
/// comes from; with that copy's name, for the help.
pub(super) fn report_issue<'s>(
    model: &Model,
    page: &PageDrift,
    i: &Issue,
    span: Span,
    message: String,
    sink: &'s mut Sink,
) -> (&'s mut Finding, String) {
    let from = page.copies[i.from];
    let from_name = model.site.version_display(from.loc);
    let from_span = model.files[from.file].doc.blocks[i.from_block as usize].span;
    let kind = page.rows[i.row].kind.noun();
    let f = sink.report(page.copies[i.copy].file as u32, span, message);
    f.related(from.file as u32, from_span, format!("the {kind} in {from_name}"));
    (f, from_name)
}

/// Whether an issue is this rule's.
pub fn applies(i: &Issue) -> bool {
    i.accepted.is_none()
        && i.changed.is_none()
        && match i.class {
            Class::Hole => i.applies != Applies::No,
            Class::Gap => i.applies == Applies::Yes,
            _ => false,
        }
}

/// The copies of `page` that have the row's block, as readers know them.
pub fn holders(model: &Model, page: &PageDrift, row: usize) -> String {
    let names: Vec<String> = page.rows[row]
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, drift::Cell::Same(_)))
        .map(|(k, _)| model.site.version_display(page.copies[k].loc))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] if rest.len() < 4 => format!("{} and {last}", rest.join(", ")),
        [first, second, ..] => format!("{first}, {second} and {} more", names.len() - 2),
    }
}

fn report(model: &Model, page: &PageDrift, i: &Issue, sink: &mut Sink) {
    let xf = &model.files[page.copies[i.copy].file];
    let span = i.at_block.map_or(Span::new(0, 0), |b| xf.doc.blocks[b as usize].span);
    let kind = page.rows[i.row].kind.noun();
    let what = match i.class {
        Class::Hole => "older and newer versions have",
        _ => "other doc sets have",
    };
    let mut message = format!("this copy lacks a {kind} that {what} ({})", holders(model, page, i.row));
    if !i.facts.is_empty() {
        let facts: Vec<String> = i.facts.iter().map(|f| f.describe()).collect();
        message.push_str(&format!(": {}", facts.join("; ")));
    }
    let (f, from_name) = report_issue(model, page, i, span, message, sink);
    if let Some(at) = i.insert_at {
        f.help(format!(
            "Add the {kind} from {from_name} after this block, or accept the difference with `[[drift.accept]]`"
        ));
        let text = drift::block_text(&model.files[page.copies[i.from].file], i.from_block);
        f.fix(Span::new(at as usize, at as usize), format!("\n\n{text}"));
    } else {
        f.help(format!("Add the {kind} from {from_name}, or accept the difference with `[[drift.accept]]`"));
    }
}
