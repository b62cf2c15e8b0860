//! `docdrift drift`: the drift report over the pages with copies.

use super::{DriftArgs, DriftFormat};
use crate::analysis::drift;
use crate::model::{self, Model};
use crate::report::drift::{DriftReport, html, json, text};
use crate::site::{self, Site};
use anyhow::{Context, bail};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(args: DriftArgs) -> anyhow::Result<ExitCode> {
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let root = match &args.root {
        Some(r) if r.is_dir() => r.clone(),
        Some(r) => bail!("--root {}: not a folder", r.display()),
        None => {
            let start = match args.paths.first() {
                Some(p) if p.is_absolute() => p.clone(),
                Some(p) => std::env::current_dir()?.join(p),
                None => std::env::current_dir().context("cannot read the current folder")?,
            };
            match site::find_root(&start) {
                Some(r) => r,
                None => match args.paths.as_slice() {
                    [one] if one.is_dir() => one.clone(),
                    _ => std::env::current_dir()?,
                },
            }
        }
    };
    let site = Site::load(&root, args.config.as_deref(), &crate::rules::ids()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut scopes: Vec<String> = Vec::new();
    for p in &args.paths {
        let rel = model::relative(&site.root, p)
            .with_context(|| format!("{} is outside the site root {}", p.display(), site.root.display()))?;
        scopes.push(rel);
    }
    let model = Model::build(site, &[] as &[PathBuf]);
    let only: Option<Vec<usize>> = (!scopes.is_empty()).then(|| {
        let inside = |path: &str, s: &str| {
            s.is_empty() || path == s || (path.starts_with(s) && path.as_bytes().get(s.len()) == Some(&b'/'))
        };
        (0..model.files.len()).filter(|&i| scopes.iter().any(|s| inside(&model.files[i].path, s))).collect()
    });
    let t0 = std::time::Instant::now();
    // Only what drift needs: no anchors or link checks.
    let mut setup_errors = Vec::new();
    let refs = crate::analysis::config_ref::Refs::new(&model.site, &mut setup_errors);
    for e in &setup_errors {
        eprintln!("docdrift: {e}");
    }
    let cache = crate::analysis::fields::Cache::new(model.files.len());
    let uses = |f: usize| cache.get(&model, &refs, f);
    let inputs = drift::Inputs { model: &model, refs: &refs, field_uses: &uses };
    let drift = drift::analyze(&inputs, only.as_deref());
    if std::env::var_os("DOCDRIFT_TIMING").is_some() {
        eprintln!("timing: drift analysis took {:?}", t0.elapsed());
    }
    let report = DriftReport { model: &model, drift: &drift, all: args.all };
    let out = match args.format {
        DriftFormat::Text => text::render(&report),
        DriftFormat::Json => json::render(&report),
        DriftFormat::Html => html::render(&report),
    };
    match &args.output {
        Some(path) => std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
        }
    }
    std::mem::forget(drift);
    std::mem::forget(model);
    Ok(ExitCode::SUCCESS)
}
