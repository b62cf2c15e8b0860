//! `docdrift explain RULE`: the rule's documentation, exactly as written next to its code.

use crate::rules;
use anyhow::bail;
use std::process::ExitCode;

pub fn run(id: &str) -> anyhow::Result<ExitCode> {
    let Some(rule) = rules::find(id) else {
        match rules::closest(id) {
            Some(best) => bail!("unknown rule `{id}`; did you mean `{best}`? (`docdrift rules` lists them all)"),
            None => bail!("unknown rule `{id}` (`docdrift rules` lists them all)"),
        }
    };
    let m = rule.meta();
    println!("# {}\n", m.id);
    println!(
        "category: {} · default severity: {} · fixable: {}\n",
        m.category,
        m.severity,
        if m.fixable { "yes" } else { "no" }
    );
    println!("{}", m.doc_text());
    Ok(ExitCode::SUCCESS)
}
