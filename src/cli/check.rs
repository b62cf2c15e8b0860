//! `docdrift check`.

use super::{CheckArgs, Color, Format};
use crate::model::{self, Model};
use crate::report::{self, Report};
use crate::site::{self, Site};
use anyhow::{Context, bail};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
    }
    let root = resolve_root(&args)?;
    let site = Site::load(&root, args.config.as_deref(), &crate::rules::ids()).map_err(|e| anyhow::anyhow!("{e}"))?;
    // Paths to report on, relative to the root ("" = everything).
    let mut scopes: Vec<String> = Vec::new();
    let mut extra: Vec<PathBuf> = Vec::new();
    for p in &args.paths {
        let rel = model::relative(&site.root, p)
            .with_context(|| format!("{} is outside the site root {}", p.display(), site.root.display()))?;
        extra.push(p.clone());
        scopes.push(rel);
    }
    let timing = std::env::var_os("DOCDRIFT_TIMING").is_some();
    if timing {
        eprintln!("timing: site loaded at {:?}", start.elapsed());
    }
    let model = Model::build(site, &extra);
    let in_scope = |path: &str| {
        scopes.is_empty()
            || scopes.iter().any(|s| {
                s.is_empty()
                    || path == s
                    || (path.starts_with(s.as_str()) && path.as_bytes().get(s.len()) == Some(&b'/'))
            })
    };
    let findings = crate::engine::check(&model, &in_scope);
    if timing {
        eprintln!("timing: rules done at {:?}", start.elapsed());
    }
    let files = model.files.iter().filter(|f| in_scope(&f.path)).count();
    let report = Report { model: &model, findings: &findings, files, elapsed_ms: start.elapsed().as_millis() };
    let text = match args.format {
        Format::Json => report::json::render(&report),
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            report::human::render(&report, color)
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(text.as_bytes());
    let errors = report.count(crate::diag::Severity::Error);
    Ok(if errors > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn resolve_root(args: &CheckArgs) -> anyhow::Result<PathBuf> {
    if let Some(r) = &args.root {
        if !r.is_dir() {
            bail!("--root {}: not a folder", r.display());
        }
        return Ok(r.clone());
    }
    let start: PathBuf = match args.paths.first() {
        Some(p) => p.clone(),
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    let abs = if start.is_absolute() { start.clone() } else { std::env::current_dir()?.join(&start) };
    if let Some(r) = site::find_root(&abs) {
        return Ok(r);
    }
    match args.paths.as_slice() {
        [one] if one.is_dir() => Ok(one.clone()),
        [one] => Ok(one.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()),
        _ => Ok(std::env::current_dir()?),
    }
}
