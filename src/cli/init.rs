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
    // `symlink_metadata`, not `exists`: a dangling symlink is something in the way too.
    if !args.stdout && std::fs::symlink_metadata(&target).is_ok() && !args.force {
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
        // Create-new unless forced: the file appears whole, and never through a symlink.
        let written = if args.force {
            site::write::write_atomic(&site.bounds, &target, text.as_bytes())
        } else {
            site::write::create_new(&site.bounds, &target, text.as_bytes())
        };
        written.map_err(|e| match e {
            site::write::WriteError::Exists { .. } => {
                anyhow::anyhow!("{e}; pass --force to overwrite it, or --stdout to print what discovery finds")
            }
            e => anyhow::anyhow!("cannot write docdrift.toml: {e}"),
        })?;
        eprintln!("wrote {} ({} doc sets)", target.display(), site.doc_sets.len());
    }
    Ok(ExitCode::SUCCESS)
}
