//! `docdrift rules`: the registry as a table (or JSON).

use super::{Format, RulesArgs};
use crate::rules::ALL;
use std::process::ExitCode;

pub fn run(args: RulesArgs) -> anyhow::Result<ExitCode> {
    match args.format {
        Format::Json => {
            let rows: Vec<_> = ALL
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"id": m.id, "category": m.category.as_str(), "severity": m.severity.as_str(), "fixable": m.fixable, "summary": m.summary()})
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        Format::Human => print!("{}", table()),
    }
    Ok(ExitCode::SUCCESS)
}

/// The rule table, also embedded in the README (a test keeps them equal).
pub fn table() -> String {
    let mut out = String::from("| rule | category | default | fix | what it finds |\n|---|---|---|---|---|\n");
    for r in ALL {
        let m = r.meta();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            m.id,
            m.category,
            m.severity,
            if m.fixable { "yes" } else { "" },
            m.summary()
        ));
    }
    out
}
