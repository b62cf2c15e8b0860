//! `docdrift routes`: every route docdrift knows for the site, one per line, sorted, or as JSON
//! objects `{route, kind, source}`.
//!
//! It lists what the site model's routes expose and computes nothing of its own, so the list is
//! exactly what link checking resolves against; `tests/docusaurus_routes.rs` compares it with
//! the routes the real Docusaurus build renders. Versions the build leaves out are not listed.

use super::{Format, RoutesArgs};
use crate::model::Model;
use crate::site::{self, Site};
use anyhow::{Context, bail};
use serde::Serialize;
use std::process::ExitCode;

/// One route: a URL path a link can land on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Entry {
    /// The URL path, as Docusaurus writes it (a category index ends in `/`).
    pub route: String,
    /// What produces it: `doc` (a file of a docs instance), `content` (another Markdown file
    /// with a route: a blog post or a page), `generated` (a page a plugin generates: a category
    /// index, a docs or blog tag page, a blog list, archive or authors page, the 404 page, a
    /// JavaScript page, a client redirect), `static` (a file of a static
    /// directory), `redirect-rule` (a `from` pattern of `_redirects`, as written).
    pub kind: &'static str,
    /// The root-relative file it comes from, where there is one.
    pub source: Option<String>,
}

pub fn run(args: RoutesArgs) -> anyhow::Result<ExitCode> {
    let start = match &args.path {
        Some(p) => p.clone(),
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    if !start.is_dir() {
        bail!("{}: not a folder", start.display());
    }
    let abs = if start.is_absolute() { start.clone() } else { std::env::current_dir()?.join(&start) };
    let root = site::find_root(&abs).unwrap_or(start);
    let site = Site::load(&root, args.config.as_deref(), &crate::rules::ids()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let model = Model::build(site, &[]);
    let entries = list(&model);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&entries)?),
        Format::Human => {
            let mut last: Option<&str> = None;
            for e in &entries {
                if last != Some(e.route.as_str()) {
                    println!("{}", e.route);
                }
                last = Some(e.route.as_str());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every route of the model, sorted by route, then kind and source.
pub fn list(model: &Model) -> Vec<Entry> {
    let routes = &model.routes;
    let mut out: Vec<Entry> = Vec::new();
    for (file, doc) in model.files.iter().zip(&routes.docs) {
        if let Some(d) = doc.as_ref().filter(|d| d.built) {
            let kind = if file.loc.is_some() { "doc" } else { "content" };
            out.push(Entry { route: d.permalink.clone(), kind, source: Some(file.path.clone()) });
        }
    }
    out.extend(routes.generated_pages().map(|r| Entry { route: r.to_string(), kind: "generated", source: None }));
    out.extend(routes.statics().map(|r| Entry { route: r.to_string(), kind: "static", source: None }));
    out.extend(routes.redirect_patterns().map(|r| Entry {
        route: r,
        kind: "redirect-rule",
        source: Some("static/_redirects".to_string()),
    }));
    out.sort();
    out.dedup();
    out
}
