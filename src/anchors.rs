//! The anchors each page really has: its h2–h6 heading ids, those of the MDX partials it
//! renders (each partial slugged on its own), `id` attributes, and ids that components render
//! from data (the `rules/component-anchors.toml` pack). Also which partials a page renders,
//! for links inside partials.

use crate::diag::Span;
use crate::doc::AttrValue;
use crate::model::SourceFile;
use crate::site::Site;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const BUILTIN_PACK: &str = include_str!("../rules/component-anchors.toml");

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    #[serde(default)]
    pub component: Vec<ComponentRule>,
    #[serde(default)]
    pub anchorless: Anchorless,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Anchorless {
    #[serde(default)]
    pub components: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ComponentRule {
    pub name: String,
    pub import: String,
    pub data: String,
    pub records: String,
    pub ids: Vec<String>,
    #[serde(default)]
    pub source: String,
}

impl Pack {
    /// The built-in pack plus the site's own `.docdrift/component-anchors.toml`, if any.
    pub fn load(root: &Path) -> Result<Pack, String> {
        let mut pack: Pack = toml::from_str(BUILTIN_PACK).map_err(|e| format!("built-in component-anchors pack: {e}"))?;
        let own = root.join(".docdrift/component-anchors.toml");
        if let Ok(text) = std::fs::read_to_string(&own) {
            let extra: Pack = toml::from_str(&text).map_err(|e| format!("{}: {e}", own.display()))?;
            pack.component.extend(extra.component);
            pack.anchorless.components.extend(extra.anchorless.components);
        }
        Ok(pack)
    }
}

/// A page's anchors.
#[derive(Debug, Default)]
pub struct PageAnchors {
    /// Every id a reader can land on.
    pub ids: HashSet<String>,
    /// Ids that exist only because a `$[variable]` was substituted in the heading (the
    /// variables plugin sometimes slugs the raw text).
    pub fragile: HashSet<String>,
    /// Components the page renders that may produce ids docdrift does not know.
    pub unknown_components: Vec<String>,
}

/// For every file: the partial files it renders directly (`import X from './_x.mdx'` + `<X />`).
pub fn rendered_partials(site: &Site, files: &[SourceFile], index: &HashMap<&str, usize>) -> Vec<Vec<usize>> {
    files
        .iter()
        .map(|f| {
            let used: HashSet<&str> = f.doc.jsx.iter().map(|e| e.name.as_str()).collect();
            let mut out = Vec::new();
            for imp in &f.doc.imports {
                if !(imp.source.ends_with(".mdx") || imp.source.ends_with(".md")) {
                    continue;
                }
                if !imp.names.iter().any(|n| used.contains(n.as_str())) {
                    continue;
                }
                if let Some(target) = resolve_import(site, &f.path, &imp.source)
                    && let Some(&i) = index.get(target.as_str())
                {
                    out.push(i);
                }
            }
            out
        })
        .collect()
}

/// An import specifier as a root-relative path (`./x`, `../x`, `@site/x`).
pub fn resolve_import(_site: &Site, from: &str, spec: &str) -> Option<String> {
    if let Some(rest) = spec.strip_prefix("@site/") {
        return Some(normalize_rel(rest));
    }
    if spec.starts_with("./") || spec.starts_with("../") {
        let dir = from.rfind('/').map_or("", |k| &from[..k]);
        return Some(normalize_rel(&format!("{dir}/{spec}")));
    }
    None
}

/// Normalize a root-relative path with `.` and `..`; `None`-free: leading `..` are dropped.
pub fn normalize_rel(p: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for s in p.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}

/// Anchors of every file.
pub fn compute(site: &Site, files: &[SourceFile], partials: &[Vec<usize>], pack: &Pack) -> Vec<PageAnchors> {
    let anchorless: HashSet<&str> = pack.anchorless.components.iter().map(String::as_str).collect();
    let mut data_cache: HashMap<String, Option<serde_json::Value>> = HashMap::new();
    let mut out = Vec::with_capacity(files.len());
    for (i, _) in files.iter().enumerate() {
        let mut a = PageAnchors::default();
        let mut seen = HashSet::new();
        collect(site, files, partials, i, pack, &anchorless, &mut data_cache, &mut a, &mut seen, true);
        out.push(a);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn collect(
    site: &Site,
    files: &[SourceFile],
    partials: &[Vec<usize>],
    i: usize,
    pack: &Pack,
    anchorless: &HashSet<&str>,
    data_cache: &mut HashMap<String, Option<serde_json::Value>>,
    a: &mut PageAnchors,
    seen: &mut HashSet<usize>,
    top: bool,
) {
    if !seen.insert(i) {
        return;
    }
    let f = &files[i];
    for (h, id) in f.doc.headings.iter().zip(&f.heading_ids) {
        // Docusaurus renders h1 without an id.
        if h.depth < 2 {
            continue;
        }
        a.ids.insert(id.clone());
        if h.explicit_id.is_none() && !f.doc.var_tokens.is_empty() && h.text.contains("$[") {
            let raw = crate::doc::slug::slug(&h.text, site.settings.maintain_case);
            if raw != *id {
                a.fragile.insert(id.clone());
            }
        }
    }
    let partial_names: HashSet<&str> = f
        .doc
        .imports
        .iter()
        .filter(|imp| imp.source.ends_with(".mdx") || imp.source.ends_with(".md"))
        .flat_map(|imp| imp.names.iter().map(String::as_str))
        .collect();
    for e in &f.doc.jsx {
        for attr in &e.attrs {
            if attr.name == "id"
                && let AttrValue::String(v) = &attr.value
            {
                a.ids.insert(v.clone());
            }
        }
        if e.name.is_empty() || anchorless.contains(e.name.as_str()) || partial_names.contains(e.name.as_str()) {
            continue;
        }
        if let Some(rule) = component_rule(site, f, &e.name, pack) {
            let version_dir = f.loc.map(|l| site.version(l).dir.clone()).unwrap_or_default();
            let data_path = normalize_rel(&format!("{version_dir}/{}", rule.data));
            let data = data_cache
                .entry(data_path.clone())
                .or_insert_with(|| std::fs::read_to_string(site.root.join(&data_path)).ok().and_then(|t| serde_json::from_str(&t).ok()));
            match data {
                Some(json) => {
                    let attrs: HashMap<&str, &str> = e
                        .attrs
                        .iter()
                        .filter_map(|x| match &x.value {
                            AttrValue::String(s) => Some((x.name.as_str(), s.as_str())),
                            _ => None,
                        })
                        .collect();
                    for rec in select(json, &rule.records, &attrs) {
                        for key in &rule.ids {
                            if let Some(v) = rec.get(key).and_then(|v| v.as_str()) {
                                a.ids.insert(v.to_string());
                            }
                        }
                    }
                }
                None => a.unknown_components.push(format!("{} (its data `{}` is missing)", e.name, data_path)),
            }
            continue;
        }
        // A lower-case name is an HTML element; anything else may render anchors.
        if e.name.chars().next().is_some_and(|c| c.is_uppercase()) && !a.unknown_components.contains(&e.name) {
            a.unknown_components.push(e.name.clone());
        }
    }
    let _ = top;
    for &p in &partials[i] {
        collect(site, files, partials, p, pack, anchorless, data_cache, a, seen, false);
    }
}

/// The pack rule for a component used in `f`, checked against where `f` imports it from.
fn component_rule<'p>(site: &Site, f: &SourceFile, name: &str, pack: &'p Pack) -> Option<&'p ComponentRule> {
    let rule = pack.component.iter().find(|c| c.name == name)?;
    let imp = f.doc.imports.iter().find(|i| i.names.iter().any(|n| n == name))?;
    let target = resolve_import(site, &f.path, &imp.source).unwrap_or_else(|| imp.source.clone());
    let target = target.trim_end_matches('/');
    let target = target.strip_suffix("/index.js").unwrap_or(target);
    target.ends_with(rule.import.trim_end_matches('/')).then_some(rule)
}

/// Walk `path` (`A[].B[Key=@attr].C`) through `json`.
fn select<'j>(json: &'j serde_json::Value, path: &str, attrs: &HashMap<&str, &str>) -> Vec<&'j serde_json::Value> {
    let mut cur = vec![json];
    for step in path.split('.') {
        let (key, filter) = match step.find('[') {
            Some(k) => (&step[..k], Some(step[k + 1..].trim_end_matches(']'))),
            None => (step, None),
        };
        let mut next = Vec::new();
        for v in cur {
            let Some(child) = (if key.is_empty() { Some(v) } else { v.get(key) }) else { continue };
            match filter {
                None => next.push(child),
                Some(f) => {
                    let Some(items) = child.as_array() else { continue };
                    let cond = f.split_once('=').map(|(k, val)| {
                        let want = match val.strip_prefix('@') {
                            Some(attr) => attrs.get(attr).copied(),
                            None => Some(val),
                        };
                        (k, want)
                    });
                    for it in items {
                        match cond {
                            Some((k, Some(want))) if it.get(k).and_then(|x| x.as_str()) != Some(want) => {}
                            _ => next.push(it),
                        }
                    }
                }
            }
        }
        cur = next;
    }
    cur
}

/// Where a heading with this id is, for messages.
pub fn heading_span(f: &SourceFile, id: &str) -> Option<Span> {
    f.heading_ids.iter().position(|h| h == id).map(|k| f.doc.headings[k].span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pack_parses() {
        let p: Pack = toml::from_str(BUILTIN_PACK).unwrap();
        assert!(p.component.iter().any(|c| c.name == "FelixConfig"));
    }

    #[test]
    fn select_walks_and_filters() {
        let j: serde_json::Value = serde_json::from_str(
            r#"{"Groups":[{"Name":"A","Fields":[{"N":"a1"},{"N":"a2"}]},{"Name":"B","Fields":[{"N":"b1"}]}]}"#,
        )
        .unwrap();
        let mut attrs = HashMap::new();
        assert_eq!(select(&j, "Groups[Name=@name].Fields[]", &attrs).len(), 3);
        attrs.insert("name", "B");
        let r = select(&j, "Groups[Name=@name].Fields[]", &attrs);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0]["N"], "b1");
    }
}
