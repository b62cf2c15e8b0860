//! `--select` and `--ignore` (ruff's names): which findings a run reports, by rule id or
//! category. Owns parsing and matching; the engine still runs every rule the configuration
//! leaves on, and `check` drops what the selection excludes before baselines and fixes see it.

use crate::diag::Finding;
use anyhow::bail;

/// The categories a selector may name (`Category::as_str`).
const CATEGORIES: &[&str] =
    &["syntax", "anchor", "link", "variable", "config-field", "step-order", "port", "drift", "snippet"];

/// One `--select`/`--ignore` entry: a rule id (`anchor/missing`) or a category (`anchor`).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Selector {
    Rule(&'static str),
    Category(&'static str),
}

impl Selector {
    fn matches(&self, f: &Finding) -> bool {
        match self {
            Selector::Rule(id) => f.rule == *id,
            Selector::Category(c) => f.category.as_str() == *c,
        }
    }
}

/// `--select` (empty: every rule) minus `--ignore`.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    select: Vec<Selector>,
    ignore: Vec<Selector>,
}

impl Selection {
    /// Parse both lists (each entry may itself be comma-separated). An unknown name is a usage
    /// error naming the closest rule id or category.
    pub fn parse(select: &[String], ignore: &[String]) -> anyhow::Result<Selection> {
        Ok(Selection { select: parse_list("--select", select)?, ignore: parse_list("--ignore", ignore)? })
    }

    pub fn is_everything(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// Whether some finding of the rule can pass (a rule no finding of which can is not run).
    pub fn may_keep(&self, m: &crate::rules::RuleMeta) -> bool {
        let hit = |s: &Selector| match s {
            Selector::Rule(id) => m.id == *id,
            Selector::Category(c) => m.category.as_str() == *c,
        };
        (self.select.is_empty() || self.select.iter().any(hit)) && !self.ignore.iter().any(hit)
    }

    pub fn keeps(&self, f: &Finding) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(f)))
            && !self.ignore.iter().any(|s| s.matches(f))
    }
}

fn parse_list(flag: &str, values: &[String]) -> anyhow::Result<Vec<Selector>> {
    let ids = crate::rules::ids();
    let mut out = Vec::new();
    for name in values.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|s| !s.is_empty()) {
        if let Some(id) = ids.iter().find(|id| **id == name) {
            out.push(Selector::Rule(id));
        } else if let Some(c) = CATEGORIES.iter().find(|c| **c == name) {
            out.push(Selector::Category(c));
        } else {
            let candidates = ids.iter().chain(CATEGORIES).copied();
            let hint = match crate::site::closest(name, candidates) {
                Some(c) => format!("; did you mean `{c}`?"),
                None => "; `docdrift rules` lists the rule ids and categories".to_string(),
            };
            bail!("{flag} {name}: not a rule id or category{hint}");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_rules_and_categories_and_suggests() {
        let s = Selection::parse(&["anchor,link/broken".into()], &["anchor/fragile".into()]).unwrap();
        assert_eq!(s.select, [Selector::Category("anchor"), Selector::Rule("link/broken")]);
        let e = Selection::parse(&["anchr/missing".into()], &[]).unwrap_err().to_string();
        assert_eq!(e, "--select anchr/missing: not a rule id or category; did you mean `anchor/missing`?");
        let e = Selection::parse(&[], &["synatx".into()]).unwrap_err().to_string();
        assert_eq!(e, "--ignore synatx: not a rule id or category; did you mean `syntax`?");
    }
}
