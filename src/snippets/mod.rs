//! Snippets: one admonition source, rendered per doc-set version from that version's facts.
//!
//! A source (`.docdrift/snippets/<name>.mdx`, see [`source`]) declares where it applies, the
//! conditions that choose a variant, the values it computes (a field's default, a free port, a
//! variable) and the MDX body. [`facts`] answers the questions about a version, [`render`] turns
//! a source into a generated partial, and this module ties them together: it loads every
//! source ([`load`]), says where each rendering goes ([`output_path`]), plans and writes them
//! ([`plan`], [`write_atomic`]). The `snippet/*` rules and `docdrift snippets` use it; neither
//! this module nor they know how the CLI prints.

pub mod facts;
pub mod render;
pub mod source;

pub use facts::Facts;
pub use render::{Outcome, Rendering, State};
pub use source::Source;

use crate::site::{ConfigError, Location, Site};
use std::path::{Component, Path, PathBuf};

/// Every source in the site's snippet folder, sorted by name, checked against the site. A
/// broken source is an error in the list; the others still load.
pub fn load(site: &Site, facts: &Facts) -> (Vec<Source>, Vec<ConfigError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for p in source_files(site) {
        match source::read(&p, &site.snippets.sources_label).and_then(|s| facts::validate(&s, facts).map(|()| s)) {
            Ok(s) => sources.push(s),
            Err(e) => errors.push(e),
        }
    }
    (sources, errors)
}

/// The source files in the site's snippet folder, sorted.
fn source_files(site: &Site) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(&site.snippets.sources) else { return Vec::new() };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "mdx") && p.is_file())
        .collect();
    paths.sort();
    paths
}

/// Every path a source in the snippet folder could render to, in any version, without reading
/// or checking the sources (so broken ones too): for a caller that only needs to know whether
/// a file can be an output before paying for [`load`], which checks every source against the
/// facts of every version.
pub fn possible_outputs(site: &Site) -> Vec<String> {
    let mut out = Vec::new();
    for p in source_files(site) {
        let Some(file_name) = p.file_name().map(|n| n.to_string_lossy()) else { continue };
        let file = site.snippets.output.replace("{name}", source::name_of(&file_name));
        for ds in &site.doc_sets {
            for v in &ds.versions {
                out.push(output_in(&v.dir, &file));
            }
        }
    }
    out
}

/// Where the rendering of `src` for the version at `loc` goes, relative to the site root.
pub fn output_path(site: &Site, src: &Source, loc: Location) -> String {
    output_in(&site.version(loc).dir, &site.snippets.output.replace("{name}", &src.name))
}

fn output_in(dir: &str, file: &str) -> String {
    if dir.is_empty() { file.to_string() } else { format!("{dir}/{file}") }
}

/// One rendering to write (or the reason there is none).
#[derive(Debug)]
pub struct Item {
    pub source: usize,
    pub loc: Location,
    /// Root-relative output path.
    pub path: String,
    pub outcome: Result<Outcome, String>,
}

/// What every source renders in every version of the site.
pub fn plan(site: &Site, facts: &Facts, sources: &[Source]) -> Vec<Item> {
    plan_for(site, facts, sources, |_| true)
}

/// [`plan`], for the output paths `wanted` keeps only: rendering reads each version's facts
/// (its configuration reference among them), which a caller interested in a few outputs need
/// not pay for every version.
pub fn plan_for(site: &Site, facts: &Facts, sources: &[Source], wanted: impl Fn(&str) -> bool) -> Vec<Item> {
    let mut out = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        for (d, ds) in site.doc_sets.iter().enumerate() {
            for v in 0..ds.versions.len() {
                let loc = Location { doc_set: d, version: v };
                let path = output_path(site, src, loc);
                if !wanted(&path) {
                    continue;
                }
                out.push(Item { source: i, loc, path, outcome: render::render(src, facts, loc) });
            }
        }
    }
    out
}

/// Why a write was refused.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: refusing to write outside the site root {root}")]
    Outside { path: String, root: String },
    #[error("{path}: refusing to write through the symbolic link {link}")]
    Symlink { path: String, link: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Write(#[from] crate::site::write::WriteError),
}

/// Write `text` to `rel` (relative to the site root): the folders it needs are created one by
/// one, never through a symbolic link and never outside the root, then the file is replaced
/// atomically by the site's writer ([`crate::site::write::write_atomic`]: a temporary file in
/// the same folder, then a rename, within the site's bounds).
pub fn write_atomic(site: &Site, rel: &str, text: &str) -> Result<(), WriteError> {
    let path = walk(site, rel, true)?;
    crate::site::write::write_atomic(&site.bounds, &path, text.as_bytes())?;
    Ok(())
}

/// Remove the generated file `rel` (relative to the site root), refusing the same paths as
/// [`write_atomic`].
pub fn remove(site: &Site, rel: &str) -> Result<(), WriteError> {
    let path = walk(site, rel, false)?;
    std::fs::remove_file(&path).map_err(|e| WriteError::Io { path: rel.to_string(), source: e })
}

/// `rel` under the root, checked component by component: no `..`, no symbolic link, folders
/// where folders are expected (created when `create`).
fn walk(site: &Site, rel: &str, create: bool) -> Result<PathBuf, WriteError> {
    let root = &site.root;
    let rel_path = Path::new(rel);
    let outside = || WriteError::Outside { path: rel.to_string(), root: root.display().to_string() };
    if rel_path.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(outside());
    }
    let mut at = root.to_path_buf();
    let comps: Vec<_> = rel_path.components().collect();
    for (i, c) in comps.iter().enumerate() {
        at.push(c);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(WriteError::Symlink { path: rel.to_string(), link: at.display().to_string() });
            }
            Ok(m) if i + 1 < comps.len() && !m.is_dir() => {
                return Err(WriteError::Io {
                    path: rel.to_string(),
                    source: std::io::Error::other(format!("{} is not a folder", at.display())),
                });
            }
            Ok(_) => {}
            Err(_) if create && i + 1 < comps.len() => {
                std::fs::create_dir(&at).map_err(|e| WriteError::Io { path: rel.to_string(), source: e })?;
            }
            Err(_) => {}
        }
    }
    Ok(at)
}

/// The facts an [`crate::analysis::Index`] already holds (references and port registry).
pub fn index_facts(index: &crate::analysis::Index) -> Facts<'_> {
    Facts { site: &index.model.site, refs: &index.config_refs, registry: index.ports.registry() }
}

/// Broken snippet sources, as setup problems for `check` (the `snippet/*` rules skip them).
pub fn problems(index: &crate::analysis::Index) -> Vec<String> {
    load(&index.model.site, &index_facts(index)).1.iter().map(ToString::to_string).collect()
}
