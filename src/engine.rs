//! Runs the rules over an [`Index`] (the model and its analyses) and applies what the
//! configuration says about them.
//!
//! Rules report at their default severity; this is the one place where `[rules]` and
//! `[[overrides]]` levels apply, and where output order is fixed (path, position, rule id), so
//! that nothing depends on thread scheduling.

use crate::analysis::Index;
use crate::diag::{Finding, Severity};
use crate::model::Model;
use crate::rules::{self, FileCx, Rule, RuleMeta, Sink};
use crate::site::RuleLevel;
use rayon::prelude::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

/// A rule that crashed: the run goes on without its findings for that file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleCrash {
    pub rule: &'static str,
    /// The file being checked (`None` for a site-wide check).
    pub path: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RuleCrash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.path {
            Some(p) => write!(f, "internal error in rule `{}` while checking {p}: {}", self.rule, self.message),
            None => write!(f, "internal error in rule `{}`: {}", self.rule, self.message),
        }
    }
}

fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| e.downcast_ref::<String>().cloned()).unwrap_or_default()
}

/// Run every rule; keep findings in files for which `report` is true. A rule that crashes is
/// reported on standard error; [`check_all`] returns the crashes instead.
pub fn check(index: &Index, report: &(dyn Fn(&str) -> bool + Sync)) -> Vec<Finding> {
    let (findings, crashes) = check_all(index, report);
    for c in crashes {
        eprintln!("docdrift: {c}");
    }
    findings
}

/// [`check`], returning the rules that crashed (the run goes on without them).
pub fn check_all(index: &Index, report: &(dyn Fn(&str) -> bool + Sync)) -> (Vec<Finding>, Vec<RuleCrash>) {
    check_rules(index, report, &|_| true)
}

/// [`check_all`] for the rules `wanted` keeps (the CLI's `--select`/`--ignore`). A rule the
/// configuration turns off everywhere does not run either: what it would compute (the drift
/// of every page) costs nothing when nobody reads it.
pub fn check_rules(
    index: &Index,
    report: &(dyn Fn(&str) -> bool + Sync),
    wanted: &dyn Fn(&RuleMeta) -> bool,
) -> (Vec<Finding>, Vec<RuleCrash>) {
    let model = &index.model;
    let rules: Vec<&dyn Rule> =
        rules::ALL.iter().copied().filter(|r| wanted(r.meta()) && !off_everywhere(model, r.meta().id)).collect();
    let crashes = Mutex::new(Vec::new());
    // The copies of a page one after another, so that one thread checks them in a row: what
    // depends only on a page's text is kept per thread for the next copy
    // (`shell::file_commands`). Findings are sorted below, so the order does not show.
    let checked: Vec<usize> = (0..model.files.len()).filter(|&i| report(&model.files[i].path)).collect();
    // (first copy, file), sorted.
    let mut order: Vec<(u32, usize)> =
        model.first_sharing_among(checked.iter().copied()).into_iter().zip(checked).collect();
    order.sort_unstable();
    let mut findings: Vec<Finding> = order
        .par_iter()
        .map(|&(_, i)| (i, &model.files[i]))
        .flat_map_iter(|(i, file)| {
            let cx = FileCx { index, model, id: i as u32, file };
            let mut out = Vec::new();
            for rule in &rules {
                let mut sink = Sink::new(rule.meta());
                match catch_unwind(AssertUnwindSafe(|| rule.check_file(&cx, &mut sink))) {
                    Ok(()) => out.append(&mut sink.findings),
                    Err(e) => crashes.lock().unwrap_or_else(|p| p.into_inner()).push(RuleCrash {
                        rule: rule.meta().id,
                        path: Some(file.path.clone()),
                        message: panic_message(&*e),
                    }),
                }
            }
            out
        })
        .collect();
    let mut crashes = crashes.into_inner().unwrap_or_else(|p| p.into_inner());
    crashes.extend(model.files.iter().filter(|f| report(&f.path)).filter_map(|f| {
        let message = f.doc.internal_error.clone()?;
        Some(RuleCrash { rule: "parser", path: Some(f.path.clone()), message })
    }));
    let reported: std::sync::Arc<[bool]> = model.files.iter().map(|f| report(&f.path)).collect();
    for rule in &rules {
        let mut sink = Sink::scoped(rule.meta(), reported.clone());
        match catch_unwind(AssertUnwindSafe(|| rule.check_site(index, &mut sink))) {
            Ok(()) => findings.extend(sink.findings.into_iter().filter(|f| reported[f.file as usize])),
            Err(e) => crashes.push(RuleCrash { rule: rule.meta().id, path: None, message: panic_message(&*e) }),
        }
    }
    crashes.sort_by(|a, b| (&a.path, a.rule).cmp(&(&b.path, b.rule)));
    // Inline `docdrift-disable` comments, before levels: see `crate::suppress`.
    let ran = |id: &str| rules.iter().any(|r| r.meta().id == id);
    crate::suppress::apply(model, &mut findings, &order, &ran);
    findings.retain_mut(|f| match level(model, f) {
        None => true,
        Some(RuleLevel::Off) => false,
        Some(l) => {
            f.severity = match l {
                RuleLevel::Error => Severity::Error,
                RuleLevel::Warning => Severity::Warning,
                _ => Severity::Info,
            };
            true
        }
    });
    findings.sort_by(|a, b| {
        let (pa, pb) = (&model.files[a.file as usize].path, &model.files[b.file as usize].path);
        (pa, a.span.start, a.rule, a.span.end, &a.message).cmp(&(pb, b.span.start, b.rule, b.span.end, &b.message))
    });
    findings.dedup();
    (findings, crashes)
}

/// Whether `[rules]` turns rule `id` off and no `[[overrides]]` entry turns it back on.
fn off_everywhere(model: &Model, id: &str) -> bool {
    let site = &model.site;
    let level = |levels: &[(String, RuleLevel)]| levels.iter().rev().find(|(r, _)| r == id).map(|(_, l)| *l);
    level(&site.rule_levels) == Some(RuleLevel::Off)
        && site.overrides.iter().all(|o| level(&o.rule_levels).is_none_or(|l| l == RuleLevel::Off))
}

/// The configured level for a finding, if the configuration says anything about its rule.
pub(crate) fn level(model: &Model, f: &Finding) -> Option<RuleLevel> {
    let site = &model.site;
    let path = &model.files[f.file as usize].path;
    let mut level = site.rule_levels.iter().rev().find(|(id, _)| id == f.rule).map(|(_, l)| *l);
    for o in &site.overrides {
        if o.paths.is_match(path)
            && let Some((_, l)) = o.rule_levels.iter().rev().find(|(id, _)| id == f.rule)
        {
            level = Some(*l);
        }
    }
    level
}
