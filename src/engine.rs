//! Runs the rules over a [`Model`] and applies what the configuration says about them.
//!
//! Rules report at their default severity; this is the one place where `[rules]` and
//! `[[overrides]]` levels apply, and where output order is fixed (path, position, rule id), so
//! that nothing depends on thread scheduling.

use crate::diag::{Finding, Severity};
use crate::model::Model;
use crate::rules::{self, FileCx, Rule, Sink};
use crate::site::RuleLevel;
use rayon::prelude::*;

/// Run every rule; keep findings in files for which `report` is true.
pub fn check(model: &Model, report: &(dyn Fn(&str) -> bool + Sync)) -> Vec<Finding> {
    let rules: Vec<&dyn Rule> = rules::ALL.to_vec();
    let mut findings: Vec<Finding> = model
        .files
        .par_iter()
        .enumerate()
        .filter(|(_, f)| report(&f.path))
        .flat_map_iter(|(i, file)| {
            let cx = FileCx { model, id: i as u32, file };
            let mut out = Vec::new();
            for rule in &rules {
                let mut sink = Sink::new(rule.meta());
                rule.check_file(&cx, &mut sink);
                out.append(&mut sink.findings);
            }
            out
        })
        .collect();
    for rule in &rules {
        let mut sink = Sink::new(rule.meta());
        rule.check_site(model, &mut sink);
        findings.extend(sink.findings.into_iter().filter(|f| report(&model.files[f.file as usize].path)));
    }
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
    findings
}

/// The configured level for a finding, if the configuration says anything about its rule.
fn level(model: &Model, f: &Finding) -> Option<RuleLevel> {
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
