//! Rules: one file per rule, and the one registry list below.
//!
//! A rule declares its metadata and documentation once with [`declare_rule!`]; the doc comment
//! is what `docdrift explain` prints. Rules read the [`Model`] and its analyses (the
//! [`Index`]) and push findings into a [`Sink`]; severity overrides and suppressions are applied
//! afterwards, by the engine. Computing anything shared between rules is left to `analysis/`.
//!
//! Layer 4, with the engine, suppressions, fixes, baselines, PR mode and reports, above
//! `analysis`; only `cli/` sits on top.

use crate::analysis::Index;
use crate::diag::{Category, Edit, Finding, Related, Severity, Span};
use crate::model::{Model, SourceFile};

mod anchor_fragile;
mod anchor_missing;
mod config_field_invalid_value;
mod config_field_undocumented_value;
mod config_field_unknown;
mod drift_missing_block;
mod drift_stale_copy;
mod drift_unpropagated_change;
mod link_broken;
mod port_collision;
mod port_conflicting_claims;
mod port_wrong_default;
mod port_wrong_owner;
mod snippet_hand_copy;
mod snippet_stale;
mod step_order_before_install;
mod suggest;
mod syntax_admonition_fence;
mod syntax_admonition_legacy_title;
mod syntax_admonition_unknown_type;
mod syntax_explicit_heading_id;
mod syntax_front_matter;
mod syntax_mdx;
mod syntax_unreadable_file;
pub(crate) mod syntax_unused_suppression;
mod variable_unknown;

/// What a rule is, declared next to its code.
#[derive(Debug)]
pub struct RuleMeta {
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub fixable: bool,
    /// The rule's doc comment: a summary line, then *What it does*, *Why it matters*,
    /// *Example*, *Fix*.
    pub doc: &'static str,
}

impl RuleMeta {
    /// The first line of the documentation.
    pub fn summary(&self) -> &'static str {
        self.doc.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("")
    }

    /// The documentation as written, without the one space rustdoc keeps after `///`.
    pub fn doc_text(&self) -> String {
        let mut out = String::new();
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.trim().to_string()
    }
}

/// Declare a rule: its doc comment becomes its `explain` text.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            id: $id:literal,
            category: $cat:ident,
            severity: $sev:ident,
            fixable: $fix:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        $vis struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                category: $crate::diag::Category::$cat,
                severity: $crate::diag::Severity::$sev,
                fixable: $fix,
                doc: concat!($($doc, "\n"),+),
            };
        }
    };
}
pub(crate) use declare_rule;

/// A rule. Both hooks default to nothing; a rule implements the one it needs.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Runs once per file, files in parallel.
    fn check_file(&self, _cx: &FileCx, _sink: &mut Sink) {}
    /// Runs once, after every file is parsed.
    fn check_site(&self, _index: &Index, _sink: &mut Sink) {}
}

pub struct FileCx<'a> {
    /// The analyses of the model (anchors, link checks, configuration references, ports).
    pub index: &'a Index,
    /// `index.model`: the site and its parsed files.
    pub model: &'a Model,
    pub id: u32,
    pub file: &'a SourceFile,
}

impl FileCx<'_> {
    /// "Calico 3.31", or the file's path when it belongs to no version.
    pub fn version_display(&self) -> String {
        match self.file.loc {
            Some(loc) => self.model.site.version_display(loc),
            None => "this site".to_string(),
        }
    }
}

/// Collects one rule's findings.
pub struct Sink {
    meta: &'static RuleMeta,
    pub(crate) findings: Vec<Finding>,
    /// Per file, whether the run reports its findings (`None`: every file's). The engine drops
    /// the others anyway; a site rule reads this only to skip work no reported file needs (a
    /// pre-commit run reports on one page of thousands).
    reported: Option<std::sync::Arc<[bool]>>,
}

impl Sink {
    pub fn new(meta: &'static RuleMeta) -> Sink {
        Sink { meta, findings: Vec::new(), reported: None }
    }

    /// A sink for a run that reports only on the files `reported` marks.
    pub fn scoped(meta: &'static RuleMeta, reported: std::sync::Arc<[bool]>) -> Sink {
        Sink { meta, findings: Vec::new(), reported: Some(reported) }
    }

    /// Whether findings in file `file` are reported.
    pub fn reports(&self, file: usize) -> bool {
        self.reported.as_ref().is_none_or(|r| r.get(file).copied().unwrap_or(false))
    }

    pub fn report(&mut self, file: u32, span: Span, message: impl Into<String>) -> &mut Finding {
        self.findings.push(Finding {
            rule: self.meta.id,
            category: self.meta.category,
            severity: self.meta.severity,
            file,
            span,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: Vec::new(),
        });
        self.findings.last_mut().expect("just pushed")
    }
}

impl Finding {
    /// The help line, an imperative sentence; its first letter is capitalised here, so that
    /// every rule's help reads the same way.
    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        let mut help = help.into();
        let mut chars = help.chars();
        match chars.next() {
            // In place: a page with thousands of findings pays this once per finding.
            Some(c) if c.is_ascii_lowercase() => help[..1].make_ascii_uppercase(),
            Some(c) if c.is_lowercase() => help = c.to_uppercase().chain(chars).collect(),
            _ => {}
        }
        self.help = Some(help);
        self
    }
    pub fn related(&mut self, file: u32, span: Span, message: impl Into<String>) -> &mut Finding {
        self.related.push(Related { file, span, message: message.into() });
        self
    }
    pub fn fix(&mut self, span: Span, replacement: impl Into<String>) -> &mut Finding {
        self.fix.push(Edit { span, replacement: replacement.into() });
        self
    }
    pub fn severity(&mut self, severity: Severity) -> &mut Finding {
        self.severity = severity;
        self
    }
}

/// Every rule, in id order. The one list: `docdrift rules`, `explain`, the README and the
/// configuration all read it.
pub static ALL: &[&dyn Rule] = &[
    &anchor_fragile::AnchorFragile,
    &anchor_missing::AnchorMissing,
    &config_field_invalid_value::ConfigFieldInvalidValue,
    &config_field_undocumented_value::ConfigFieldUndocumentedValue,
    &config_field_unknown::ConfigFieldUnknown,
    &drift_missing_block::MissingBlock,
    &drift_stale_copy::StaleCopy,
    &drift_unpropagated_change::UnpropagatedChange,
    &link_broken::LinkBroken,
    &port_collision::PortCollision,
    &port_conflicting_claims::PortConflictingClaims,
    &port_wrong_default::PortWrongDefault,
    &port_wrong_owner::PortWrongOwner,
    &snippet_hand_copy::SnippetHandCopy,
    &snippet_stale::SnippetStale,
    &step_order_before_install::BeforeInstall,
    &syntax_admonition_fence::AdmonitionFence,
    &syntax_admonition_legacy_title::AdmonitionLegacyTitle,
    &syntax_admonition_unknown_type::AdmonitionUnknownType,
    &syntax_explicit_heading_id::ExplicitHeadingId,
    &syntax_front_matter::FrontMatterInvalid,
    &syntax_mdx::MdxInvalid,
    &syntax_unreadable_file::UnreadableFile,
    &syntax_unused_suppression::UnusedSuppression,
    &variable_unknown::VariableUnknown,
];

pub fn find(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|r| r.meta().id == id)
}

pub fn ids() -> Vec<&'static str> {
    ALL.iter().map(|r| r.meta().id).collect()
}

/// The closest rule id, for "did you mean" help.
pub fn closest(id: &str) -> Option<&'static str> {
    crate::site::closest(id, ids())
}

/// A fixed sequence of pseudo-random numbers (xorshift64), for tests that sample many inputs.
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
