use super::drift_missing_block::{holders, issues, report_issue};
use super::{Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::Index;
use crate::analysis::drift::{Applies, Class, Issue};

declare_rule! {
    /// A block whose text differs in this copy while the other copies of the page agree.
    ///
    /// ## What it does
    /// Aligns the copies of each page (every version of its doc set, and the same page in other
    /// doc sets) block by block and reports a block that has a changed text in one copy where
    /// every other copy that has the section agrees on another text, or where older and newer
    /// versions of its doc set agree on another text. The agreeing copies must be a majority:
    /// of the copy's own doc set when some of its versions have the text, else of all copies,
    /// from at least two doc sets. Not reported: texts that differ only in release values
    /// (`1.30` and `1.31`, `v3.30.2`), a copy that only adds to the agreed text (it is ahead),
    /// and a text whose fields or variables that version does not have. Texts compare with
    /// whitespace collapsed, `$[variables]` as written and every doc set's product name read
    /// as its variable.
    ///
    /// ## Why it matters
    /// A correction applied to every copy but one leaves that version's readers with the old
    /// text: often a stale command, flag or value.
    ///
    /// ## Example
    /// Every copy says
    /// ```mdx
    /// Run `kubectl rollout status ds/calico-node -n calico-system`.
    /// ```
    /// but one version still says
    /// ```mdx
    /// Run `kubectl rollout status ds/calico-node -n kube-system`.
    /// ```
    /// Use instead, in that version, the text the others agree on (if it applies there).
    ///
    /// ## Fix
    /// Compare the block with the copy the message names (`docdrift drift --format html` shows
    /// both side by side) and bring this copy up to date. If the difference is meant, say so: a
    /// `{/* docdrift-disable-next-line drift/stale-copy -- reason */}` comment before the block,
    /// or a `[[drift.accept]]` entry in `docdrift.toml`.
    pub struct StaleCopy {
        id: "drift/stale-copy",
        category: Drift,
        severity: Info,
        fixable: false,
    }
}

impl Rule for StaleCopy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_site(&self, index: &Index, sink: &mut Sink) {
        let model = &index.model;
        // A text whose facts do not exist in this copy's version (a component renamed in that
        // release) is that version's own, not stale.
        let stale = |i: &Issue| i.class == Class::Stale && i.accepted.is_none() && i.applies != Applies::No;
        for (page, i) in issues(index, stale) {
            let Some(b) = i.changed else { continue };
            let span = model.files[page.copies[i.copy].file].doc.blocks[b as usize].span;
            let kind = page.rows[i.row].kind.noun();
            let holders = holders(model, page, i.row);
            let message = format!("this {kind} differs from the text the other copies agree on ({holders})");
            let (f, from_name) = report_issue(model, page, i, span, message, sink);
            f.help(format!(
                "Compare it with {from_name} (`docdrift drift --format html` shows both) and update this copy, or accept the difference with `[[drift.accept]]`"
            ));
        }
    }
}
