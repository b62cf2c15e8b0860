//! `docdrift snippets`: generate, check, show and list per-version snippet renderings.
//!
//! The work is in [`crate::snippets`]; this file resolves the site, prints, and maps outcomes to
//! exit codes (0 done, 1 `--check` found a missing, stale or hand-edited file, 2 a broken source
//! or setup problem).

use super::{SnippetsArgs, SnippetsCommand};
use crate::analysis::config_ref::Refs;
use crate::analysis::ports::Ports;
use crate::site::{self, Location, Site};
use crate::snippets::{self, Facts, Outcome, State};
use anyhow::{Context, bail};
use std::process::ExitCode;

pub fn run(args: SnippetsArgs) -> anyhow::Result<ExitCode> {
    let root = match &args.root {
        Some(r) if !r.is_dir() => bail!("--root {}: not a folder", r.display()),
        Some(r) => r.clone(),
        None => {
            let cwd = std::env::current_dir().context("cannot read the current folder")?;
            site::find_root(&cwd).unwrap_or(cwd)
        }
    };
    let site = Site::load(&root, args.config.as_deref(), &crate::rules::ids()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut setup = Vec::new();
    let refs = Refs::new(&site, &mut setup);
    let ports = Ports::new(&site, Vec::new(), &mut setup);
    if let Some(e) = setup.first() {
        bail!("{e}");
    }
    let facts = Facts { site: &site, refs: &refs, registry: ports.registry() };
    let (sources, errors) = snippets::load(&site, &facts);
    for e in &errors {
        eprintln!("docdrift: {e}");
    }
    if sources.is_empty() && errors.is_empty() {
        eprintln!("docdrift: no snippet sources in {}", site.snippets.sources.display());
    }
    let broken = if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
    match args.command {
        SnippetsCommand::List => {
            for s in &sources {
                let locs = snippets::facts::locations(s, &site);
                let mut by_set: Vec<(String, Vec<String>)> = Vec::new();
                for l in locs {
                    let ds = &site.doc_sets[l.doc_set];
                    let name = ds.versions[l.version].name.clone();
                    match by_set.iter_mut().find(|(id, _)| *id == ds.id) {
                        Some((_, v)) => v.push(name),
                        None => by_set.push((ds.id.clone(), vec![name])),
                    }
                }
                let wher: Vec<String> = by_set.iter().map(|(id, v)| format!("{id} {}", v.join(", "))).collect();
                let desc = s.description.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
                let line = format!("{}{desc}\n  source: {}\n  applies to: {}\n", s.name, s.label, wher.join("; "));
                let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), line.as_bytes());
            }
            Ok(broken)
        }
        SnippetsCommand::Show { name, doc_set, version } => {
            let Some(src) = sources.iter().find(|s| s.name == name) else {
                let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
                let hint = site::closest(&name, names.iter().copied())
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                bail!("no snippet source named `{name}` in {}{hint}", site.snippets.sources.display());
            };
            let Some((d, ds)) = site.doc_set(&doc_set) else {
                let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
                bail!("unknown doc set `{doc_set}`; the doc sets are {}", ids.join(", "));
            };
            let Some((v, _)) = ds.version(&version) else {
                let names: Vec<&str> = ds.versions.iter().map(|v| v.name.as_str()).collect();
                bail!("doc set `{doc_set}` has no version `{version}`; its versions are {}", names.join(", "));
            };
            match snippets::render::render(src, &facts, Location { doc_set: d, version: v }) {
                Ok(Outcome::Rendered(r)) => {
                    // A closed pipe (`| head`) is not an error worth a panic.
                    let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), r.file.as_bytes());
                }
                Ok(Outcome::NotApplicable(why)) => eprintln!("`{name}` does not apply to {doc_set} {version}: {why}"),
                Err(e) => bail!("{}: {e}", src.path.display()),
            }
            Ok(broken)
        }
        SnippetsCommand::Generate { check } => generate(&site, &facts, &sources, check, broken),
    }
}

fn generate(
    site: &Site,
    facts: &Facts,
    sources: &[snippets::Source],
    check: bool,
    broken: ExitCode,
) -> anyhow::Result<ExitCode> {
    let (mut wrote, mut current, mut removed, mut problems, mut failed) = (0, 0, 0, 0, false);
    for item in snippets::plan(site, facts, sources) {
        let src = &sources[item.source];
        let existing =
            site.bounds.read(&site.root.join(&item.path)).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        match item.outcome {
            Err(e) => {
                eprintln!("docdrift: {}: {e}", src.path.display());
                failed = true;
            }
            Ok(Outcome::Rendered(r)) => {
                let state = existing.as_deref().map(|t| snippets::render::classify(src, t, &r.file));
                if state == Some(State::Current) {
                    current += 1;
                    continue;
                }
                if check {
                    let what = state.map_or("missing", State::as_str);
                    println!("{}: {what} (run `docdrift snippets generate`)", item.path);
                    problems += 1;
                    continue;
                }
                if state == Some(State::HandEdited) {
                    eprintln!("docdrift: {}: overwriting a file edited by hand", item.path);
                }
                snippets::write_atomic(site, &item.path, &r.file)?;
                wrote += 1;
            }
            Ok(Outcome::NotApplicable(_)) => {
                // A rendering left from when the snippet applied here: remove it if untouched.
                let Some(text) = existing else { continue };
                let untouched = snippets::render::generated_body(src, &text)
                    .is_some_and(|(sum, body)| snippets::render::checksum(body) == sum);
                if !untouched {
                    continue;
                }
                if check {
                    println!("{}: no longer applies (run `docdrift snippets generate`)", item.path);
                    problems += 1;
                } else {
                    snippets::remove(site, &item.path)?;
                    removed += 1;
                }
            }
        }
    }
    if check {
        eprintln!("{} up to date, {problems} to regenerate", plural(current, "generated file"));
    } else {
        eprintln!("wrote {}, removed {removed}, {current} already up to date", plural(wrote, "file"));
    }
    if failed || broken != ExitCode::SUCCESS {
        return Ok(ExitCode::from(2));
    }
    Ok(if problems > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}
