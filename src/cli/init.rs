//! `docdrift init`: write a commented `docdrift.toml` from what discovery finds.

use super::InitArgs;
use crate::site::{self, Site};
use anyhow::{Context, bail};
use std::process::ExitCode;

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let root = match args.root {
        Some(r) => r,
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    let target = root.join("docdrift.toml");
    if !args.stdout && target.exists() && !args.force {
        bail!(
            "{} already exists; pass --force to overwrite it, or --stdout to print what discovery finds",
            target.display()
        );
    }
    // Discovery only: an existing docdrift.toml must not shape its own replacement.
    let site = Site::from_config(&root, site::Config::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let text = site::render_init_toml(&site);
    if args.stdout {
        print!("{text}");
    } else {
        std::fs::write(&target, text).with_context(|| format!("cannot write {}", target.display()))?;
        eprintln!("wrote {} ({} doc sets)", target.display(), site.doc_sets.len());
    }
    Ok(ExitCode::SUCCESS)
}
