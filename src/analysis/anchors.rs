//! The anchors each page really has: its h2–h6 heading ids, those of the MDX partials it
//! renders (each partial slugged on its own), `id` attributes, and ids that components render
//! from data (the `rules/component-anchors.toml` pack). Also which partials a page renders,
//! for links inside partials.

use crate::diag::Span;
use crate::doc::AttrValue;
use crate::model::SourceFile;
use crate::site::Site;
use crate::site::paths::{normalize_rel, resolve_import};
use crate::str_list::StrList;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// `rules/component-anchors.toml`, as build.rs converts it to JSON (see `site::packs::load_pack`).
const BUILTIN_PACK: &str = include_str!(concat!(env!("OUT_DIR"), "/component-anchors.json"));

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
        let (mut pack, extra, _) = crate::site::packs::load_pack::<Pack>(root, "component-anchors", BUILTIN_PACK)?;
        if let Some(extra) = extra {
            pack.component.extend(extra.component);
            pack.anchorless.components.extend(extra.anchorless.components);
        }
        Ok(pack)
    }
}

/// A set of ids, sorted: every page of the site keeps its own for the whole run, and most hold
/// a handful of ids, where a hash set's table and per-set hasher state were most of its size
/// (and its inserts, SipHash and rehashes, a fifth of computing anchors).
#[derive(Debug, Default, PartialEq)]
pub struct IdSet(StrList);

impl IdSet {
    pub fn contains(&self, id: &str) -> bool {
        self.0.binary_search(id).is_ok()
    }

    /// In sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter()
    }

    fn from_unsorted(mut ids: Vec<Cow<str>>) -> IdSet {
        ids.sort_unstable();
        ids.dedup();
        IdSet(StrList::from_slice(&ids))
    }
}

/// A page's anchors.
#[derive(Debug, Default, PartialEq)]
pub struct PageAnchors {
    /// Every id a reader can land on.
    pub ids: IdSet,
    /// Ids that exist only because a `$[variable]` was substituted in the heading (the
    /// variables plugin sometimes slugs the raw text).
    pub fragile: IdSet,
    /// Components the page renders that may produce ids docdrift does not know, as messages
    /// show them: `` `<Name>` (imported from `./x`) ``.
    pub unknown_components: Vec<String>,
    /// Variables with computed values (`variables.js` runs code for them) used in headings:
    /// those headings' ids cannot be known statically.
    pub computed_variables: Vec<String>,
}

/// Every file's anchors: its own, plus those of the partials it renders (transitively).
#[derive(Debug, Default)]
pub struct Anchors {
    /// Copies of a page with the same anchors share them.
    own: Vec<std::sync::Arc<PageAnchors>>,
    /// Per file: the partials it renders, directly or through other partials.
    included: Vec<Vec<usize>>,
}

impl Anchors {
    fn each(&self, file: usize) -> impl Iterator<Item = &PageAnchors> {
        std::iter::once(&*self.own[file]).chain(self.included[file].iter().map(|&p| &*self.own[p]))
    }

    pub fn has(&self, file: usize, id: &str) -> bool {
        self.each(file).any(|a| a.ids.contains(id))
    }

    pub fn is_fragile(&self, file: usize, id: &str) -> bool {
        self.each(file).any(|a| a.fragile.contains(id))
    }

    pub fn all_ids(&self, file: usize) -> impl Iterator<Item = &str> {
        self.each(file).flat_map(|a| a.ids.iter())
    }

    /// Variables with computed values in the headings of the page (or its partials).
    pub fn computed_variables(&self, file: usize) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in self.each(file) {
            for c in &a.computed_variables {
                if !out.contains(&c.as_str()) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// Components on the page (or its partials) that may render ids docdrift does not know.
    pub fn unknown_components(&self, file: usize) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for a in self.each(file) {
            for c in &a.unknown_components {
                if !out.contains(&c.as_str()) {
                    out.push(c);
                }
            }
        }
        out
    }
}

/// Anchors of every file, each file's own computed in parallel. `first`: per file, the first
/// file with its document and text (`Model::first_sharing`).
pub fn compute(site: &Site, files: &[SourceFile], partials: &[Vec<usize>], pack: &Pack, first: &[u32]) -> Anchors {
    use rayon::prelude::*;
    let anchorless: HashSet<&str> = pack.anchorless.components.iter().map(String::as_str).collect();
    let data_cache: DataCache = Default::default();
    let first_of = |i: usize| first.get(i).map_or(i, |&f| f as usize);
    // A copy with its first copy's document, text and heading ids has its anchors when
    // nothing else of its version goes into them (no variable in a heading, no component):
    // not computed again (`None`): 1,798 of the tigera corpus's 4,550 files (its copies with
    // the same bytes are 2,186).
    let computed: Vec<Option<PageAnchors>> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let k = first_of(i);
            let same_ids = k < i && std::sync::Arc::ptr_eq(&files[k].heading_ids, &f.heading_ids);
            (!same_ids || depends_on_version(f, &anchorless))
                .then(|| own_anchors(site, f, pack, &anchorless, &data_cache))
        })
        .collect();
    // Otherwise a copy's ids depend on its version (variables in headings, components' data),
    // but are mostly its first copy's: then it keeps those, and its own set is freed before
    // the rules run (about 1.5 MB of the corpus's peak).
    let mut own: Vec<std::sync::Arc<PageAnchors>> = Vec::with_capacity(computed.len());
    for (i, a) in computed.into_iter().enumerate() {
        let f = first_of(i);
        own.push(match a {
            None => own[f].clone(),
            Some(a) if f < i && *own[f] == a => own[f].clone(),
            Some(a) => std::sync::Arc::new(a),
        });
    }
    let included = (0..files.len())
        .map(|i| {
            let mut seen = vec![i];
            let mut stack = partials[i].clone();
            let mut out = Vec::new();
            while let Some(p) = stack.pop() {
                if seen.contains(&p) {
                    continue;
                }
                seen.push(p);
                out.push(p);
                stack.extend(&partials[p]);
            }
            out
        })
        .collect();
    Anchors { own, included }
}

/// Data files by path, each read once; and by text, each parsed once (versions mostly carry
/// byte-identical copies of a component's data, half a megabyte each). The locks guard only
/// the maps: a file is parsed in its own cell, outside them, so that threads reading other
/// files are not held up (parsing the tigera corpus's data files took a tenth of a second,
/// all of it under the lock).
#[derive(Default)]
struct DataCache {
    by_path: std::sync::Mutex<HashMap<String, DataCell>>,
    /// `(rule, hash of the text, its first file, parsed)`: a handful of distinct texts. The
    /// texts are not kept (megabytes at the run's peak): a text whose hash matches is compared
    /// with its first file, read again.
    by_text: std::sync::Mutex<Vec<(String, u64, std::path::PathBuf, DataCell)>>,
}
type DataCell = std::sync::Arc<std::sync::OnceLock<Option<std::sync::Arc<serde_json::Value>>>>;

impl DataCache {
    /// The cell that holds `text` (read from `path`) parsed for `rule`.
    fn for_text(&self, site: &Site, rule: &str, path: &std::path::Path, text: &str) -> DataCell {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text);
        let mut seen = self.by_text.lock().unwrap_or_else(|p| p.into_inner());
        let same = seen.iter().find(|(r, h, first, _)| {
            r == rule && *h == hash && site.bounds.read_to_string(first).is_ok_and(|t| t == text)
        });
        if let Some((_, _, _, cell)) = same {
            return cell.clone();
        }
        let cell = DataCell::default();
        seen.push((rule.to_string(), hash, path.to_path_buf(), cell.clone()));
        cell
    }
}

fn own_anchors(
    site: &Site,
    f: &SourceFile,
    pack: &Pack,
    anchorless: &HashSet<&str>,
    data_cache: &DataCache,
) -> PageAnchors {
    let mut a = PageAnchors::default();
    // Gathered unsorted, with repeats; sorted into the sets at the end.
    let (mut ids, mut fragile) = (Vec::new(), Vec::new());
    for (h, id) in f.doc.headings.iter().zip(f.heading_ids.iter()) {
        // Docusaurus renders h1 without an id.
        if h.depth < 2 {
            continue;
        }
        if slug_uses_variable(h) {
            let computed = computed_variables(site, f, &h.text);
            if !computed.is_empty() {
                // The id depends on a value only `variables.js` knows: the slug of the raw
                // text would be a guess, so the heading adds no id.
                for name in computed {
                    if !a.computed_variables.contains(&name) {
                        a.computed_variables.push(name);
                    }
                }
                continue;
            }
        }
        ids.push(Cow::Borrowed(id));
        if slug_uses_variable(h) {
            let raw = crate::doc::slug::slug(&h.text, site.settings.maintain_case);
            if raw != id {
                fragile.push(Cow::Borrowed(id));
            }
        }
    }
    footnote_ids(f, &mut ids);
    let partial_names = partial_names(f);
    for e in &f.doc.jsx {
        for attr in &e.attrs {
            if &*attr.name == "id"
                && let AttrValue::String(v) = &attr.value
            {
                ids.push(Cow::Borrowed(&**v));
            }
        }
        if !may_render_ids(f, &e.name, anchorless, &partial_names) {
            continue;
        }
        if let Some(rule) = component_rule(site, f, &e.name, pack) {
            let version_dir = f.loc.map(|l| site.version(l).dir.clone()).unwrap_or_default();
            let data_path = normalize_rel(&format!("{version_dir}/{}", rule.data));
            let cell = {
                let mut cache = data_cache.by_path.lock().unwrap_or_else(|p| p.into_inner());
                // Per rule too: each keeps only the keys it reads.
                cache.entry(format!("{data_path}\0{}", rule.name)).or_default().clone()
            };
            let data = cell
                .get_or_init(|| {
                    let path = site.root.join(&data_path);
                    let text = site.bounds.read_to_string(&path).ok()?;
                    data_cache
                        .for_text(site, &rule.name, &path, &text)
                        .get_or_init(|| {
                            let keep = rule_keys(rule);
                            let mut de = serde_json::Deserializer::from_str(&text);
                            let json = serde::de::DeserializeSeed::deserialize(Pruned(&keep), &mut de).ok()?;
                            de.end().ok()?;
                            Some(std::sync::Arc::new(json))
                        })
                        .clone()
                })
                .clone();
            match data {
                Some(json) => {
                    let attrs: HashMap<&str, &str> = e
                        .attrs
                        .iter()
                        .filter_map(|x| match &x.value {
                            AttrValue::String(s) => Some((&*x.name, &**s)),
                            _ => None,
                        })
                        .collect();
                    for rec in select(&json, &rule.records, &attrs) {
                        for key in &rule.ids {
                            if let Some(v) = rec.get(key).and_then(|v| v.as_str()) {
                                ids.push(Cow::Owned(v.to_string()));
                            }
                        }
                    }
                }
                None => a.unknown_components.push(format!("`<{}>` (its data `{}` is missing)", e.name, data_path)),
            }
            continue;
        }
        // A lower-case name is an HTML element; anything else may render anchors. When the
        // component's source is there, read its `id` attributes instead of guessing.
        let shown = format!("`<{}>`", e.name);
        if e.name.chars().next().is_some_and(|c| c.is_uppercase())
            && !a.unknown_components.iter().any(|c| c.starts_with(&shown))
        {
            match component_ids(site, f, &e.name) {
                Some(SourceIds::Known(known)) => ids.extend(known.into_iter().map(Cow::Owned)),
                _ => {
                    // Name the import, so the reader knows which source to look at.
                    let from = f.doc.imports.iter().find(|i| i.names.iter().any(|n| *n == *e.name));
                    a.unknown_components.push(match from {
                        Some(i) => format!("{shown} (imported from `{}`)", i.source),
                        None => shown,
                    });
                }
            }
        }
    }
    a.ids = IdSet::from_unsorted(ids);
    a.fragile = IdSet::from_unsorted(fragile);
    a
}

/// The object keys a component rule reads: the keys its `records` path walks and filters on,
/// and its `ids`.
fn rule_keys(rule: &ComponentRule) -> Vec<&str> {
    let mut keep: Vec<&str> = rule.ids.iter().map(String::as_str).collect();
    for step in rule.records.split('.') {
        let (key, filter) = step.split_once('[').unwrap_or((step, ""));
        keep.push(key);
        if let Some((k, _)) = filter.split_once('=') {
            keep.push(k);
        }
    }
    keep.sort_unstable();
    keep.dedup();
    keep
}

/// JSON read into a [`serde_json::Value`] that holds, in every object, only the keys in the
/// list; the rest is skipped without being built. A component's data file is mostly what the
/// component shows (descriptions, defaults, types), and building all of it cost more than the
/// rest of the anchors of the site. The list is a handful of keys: searched in order, it costs
/// less than hashing each key of the file.
struct Pruned<'k>(&'k [&'k str]);

impl<'de> serde::de::DeserializeSeed<'de> for Pruned<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<serde_json::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Pruned<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<serde_json::Value, A::Error> {
        let mut out = serde_json::Map::new();
        // A key is copied only when it is kept: read as a `Cow<str>`, every key is copied
        // (serde builds a `Cow` from an owned `String`).
        while let Some(key) = map.next_key_seed(crate::site::packs::KeyIndex { names: self.0 })? {
            match key {
                Some(k) => {
                    let value = map.next_value_seed(Pruned(self.0))?;
                    out.insert(self.0[k].to_string(), value);
                }
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(serde_json::Value::Object(out))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<serde_json::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(Pruned(self.0))? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }

    fn visit_str<E>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::String(v))
    }

    fn visit_bool<E>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::from(v))
    }

    fn visit_unit<E>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
}

/// The `$[names]` in `text` whose values `variables.js` computes.
fn computed_variables(site: &Site, f: &SourceFile, text: &str) -> Vec<String> {
    let found = std::cell::RefCell::new(Vec::new());
    crate::doc::substitute(text, |name| {
        if site.variable_is_computed(f.loc, name) {
            found.borrow_mut().push(name.to_string());
        }
        None
    });
    found.into_inner()
}

/// Docusaurus theme components that never render an id a link can land on, whatever the page
/// names them: the table of contents, images, admonitions, tabs, code blocks, card lists.
const ANCHORLESS_THEME: &[&str] = &[
    "@theme/TOCInline",
    "@theme/ThemedImage",
    "@theme/Admonition",
    "@theme/Tabs",
    "@theme/TabItem",
    "@theme/CodeBlock",
    "@theme/DocCardList",
    "@docusaurus/Link",
];

/// The names the page imports from partials (`.md`, `.mdx`): their ids are the partial's own.
fn partial_names(f: &SourceFile) -> HashSet<&str> {
    f.doc
        .imports
        .iter()
        .filter(|imp| imp.source.ends_with(".mdx") || imp.source.ends_with(".md"))
        .flat_map(|imp| imp.names.iter().map(String::as_str))
        .collect()
}

/// Whether the JSX element `name` may render ids of its own: a component, not an HTML
/// element, a theme component known to render none, or a partial.
fn may_render_ids(f: &SourceFile, name: &str, anchorless: &HashSet<&str>, partial_names: &HashSet<&str>) -> bool {
    !(name.is_empty()
        || anchorless.contains(name)
        || partial_names.contains(name)
        || imported_from_anchorless_theme(f, name))
}

/// Whether the heading's id is slugged from text with a `$[variable]` in it, whose value is
/// the version's.
fn slug_uses_variable(h: &crate::doc::Heading) -> bool {
    h.explicit_id.is_none() && crate::doc::has_token_start(&h.text)
}

/// Whether anything of `f`'s version goes into its anchors besides its heading ids: a heading
/// whose id depends on a variable's value ([`computed_variables`]), or a component that may
/// render ids (its data and source are read from the version's folder).
fn depends_on_version(f: &SourceFile, anchorless: &HashSet<&str>) -> bool {
    let heading = f.doc.headings.iter().any(|h| h.depth >= 2 && slug_uses_variable(h));
    heading || {
        let partial_names = partial_names(f);
        f.doc.jsx.iter().any(|e| may_render_ids(f, &e.name, anchorless, &partial_names))
    }
}

fn imported_from_anchorless_theme(f: &SourceFile, name: &str) -> bool {
    f.doc.imports.iter().any(|i| ANCHORLESS_THEME.contains(&i.source.as_str()) && i.names.iter().any(|n| n == name))
}

/// GFM footnotes render `user-content-fn-<label>` on the note and `user-content-fnref-<label>`
/// on the first reference (remark-gfm, mdast-util-to-hast); labels are lower-cased.
fn footnote_ids(f: &SourceFile, ids: &mut Vec<Cow<str>>) {
    let text = &f.text;
    // One memchr searcher for the run: this looks through every byte of every page, and
    // building a searcher per call cost as much as the search.
    static OPENING: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"[^"));
    let opening = |from: usize| OPENING.find(&text.as_bytes()[from..]);
    let mut at = 0;
    while let Some(k) = opening(at) {
        let start = at + k;
        at = start + 2;
        if f.doc.code_blocks.iter().any(|c| c.span.start as usize <= start && start < c.span.end as usize) {
            continue;
        }
        let Some(close) = text[at..].find(']') else { break };
        let label = &text[at..at + close];
        if label.is_empty() || label.contains(['\n', '[', ' ']) {
            continue;
        }
        let id = crate::site::routes::percent_encode_id(&label.to_lowercase());
        let definition = text[at + close + 1..].starts_with(':')
            && text[..start].rsplit('\n').next().is_some_and(|p| p.trim().is_empty());
        ids.push(Cow::Owned(format!("user-content-fn{}-{id}", if definition { "" } else { "ref" })));
    }
}

/// The ids a component renders, reading its source and the local components it imports
/// (`./X`, `../X`), a few levels deep; `None` when a source is missing or empty.
fn component_ids(site: &Site, f: &SourceFile, name: &str) -> Option<SourceIds> {
    let imp = f.doc.imports.iter().find(|i| i.names.iter().any(|n| n == name))?;
    let base = resolve_import(&f.path, &imp.source)?;
    let mut ids = Vec::new();
    let mut queue = vec![(base, 0)];
    let mut seen = HashSet::new();
    while let Some((base, depth)) = queue.pop() {
        if !seen.insert(base.clone()) {
            continue;
        }
        let module = site.read_module(&base)?;
        let (path, src) = &*module;
        match source_ids(src, |n| site.variable(f.loc, n)) {
            SourceIds::Known(found) => ids.extend(found),
            SourceIds::Dynamic => return Some(SourceIds::Dynamic),
        }
        for spec in local_imports(src) {
            if depth >= 4 {
                return Some(SourceIds::Dynamic);
            }
            if let Some(next) = resolve_import(path, spec) {
                queue.push((next, depth + 1));
            }
        }
    }
    Some(SourceIds::Known(ids))
}

/// Relative imports of a JS module that may be components (`./X`, not `./styles.css`).
fn local_imports(src: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in src.lines() {
        let line = line.trim();
        if !line.starts_with("import ") {
            continue;
        }
        let Some(q) = line.rfind(['\'', '"']) else { continue };
        let Some(open) = line[..q].rfind(['\'', '"']) else { continue };
        let spec = &line[open + 1..q];
        let ext = spec.rsplit('/').next().and_then(|n| n.rsplit_once('.')).map(|(_, e)| e);
        if (spec.starts_with("./") || spec.starts_with("../"))
            && matches!(ext, None | Some("js" | "jsx" | "ts" | "tsx"))
        {
            out.push(spec);
        }
    }
    out
}

/// What a component's source says about the ids it renders.
#[derive(Debug, PartialEq, Eq)]
pub enum SourceIds {
    /// Every `id` attribute is a literal, or a template whose `${…}` parts are known variables.
    Known(Vec<String>),
    /// Some `id` is computed in a way docdrift cannot follow.
    Dynamic,
}

/// Read `id="…"`, `id={'…'}` and ``id={`…${name}…`}`` attributes statically; `${props.x}`,
/// `${variables.x}` and `${x}` are looked up as site variables.
pub fn source_ids<'v>(src: &str, lookup: impl Fn(&str) -> Option<&'v str>) -> SourceIds {
    // A component that renders MDX renders that file's headings too: not followed here.
    if src.contains(".mdx'") || src.contains(".mdx\"") || src.contains(".md'") || src.contains(".md\"") {
        return SourceIds::Dynamic;
    }
    let mut ids = Vec::new();
    let b = src.as_bytes();
    let mut from = 0;
    while let Some(k) = src[from..].find("id=") {
        let at = from + k;
        from = at + 3;
        // A whole attribute name: `id=`, not `data-id=` or `grid=`.
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'-' || b[at - 1] == b'_') {
            continue;
        }
        let rest = src[at + 3..].trim_start();
        let (quoted, braced) = match rest.strip_prefix('{') {
            Some(inner) => (inner.trim_start(), true),
            None => (rest, false),
        };
        let Some(q) = quoted.chars().next() else { return SourceIds::Dynamic };
        if !matches!(q, '"' | '\'' | '`') {
            return SourceIds::Dynamic;
        }
        let body = &quoted[1..];
        let Some(end) = body.find(q) else { return SourceIds::Dynamic };
        let raw = &body[..end];
        if braced && !quoted[1 + end + 1..].trim_start().starts_with('}') {
            return SourceIds::Dynamic;
        }
        if q != '`' {
            ids.push(raw.to_string());
            continue;
        }
        let mut id = String::new();
        let mut t = raw;
        while let Some(open) = t.find("${") {
            id.push_str(&t[..open]);
            let Some(close) = t[open..].find('}') else { return SourceIds::Dynamic };
            let expr = t[open + 2..open + close].trim();
            let name = expr.strip_prefix("props.").or_else(|| expr.strip_prefix("variables.")).unwrap_or(expr);
            match lookup(name) {
                Some(v) => id.push_str(v),
                None => return SourceIds::Dynamic,
            }
            t = &t[open + close + 1..];
        }
        id.push_str(t);
        ids.push(id);
    }
    SourceIds::Known(ids)
}

/// The pack rule for a component used in `f`, checked against where `f` imports it from.
fn component_rule<'p>(_site: &Site, f: &SourceFile, name: &str, pack: &'p Pack) -> Option<&'p ComponentRule> {
    let rule = pack.component.iter().find(|c| c.name == name)?;
    let imp = f.doc.imports.iter().find(|i| i.names.iter().any(|n| n == name))?;
    let target = resolve_import(&f.path, &imp.source).unwrap_or_else(|| imp.source.clone());
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
        let p: Pack = serde_json::from_str(BUILTIN_PACK).unwrap();
        assert!(p.component.iter().any(|c| c.name == "FelixConfig"));
    }

    #[test]
    fn component_ids_are_read_statically() {
        let vars = |n: &str| (n == "prodnamedash").then_some("calico-enterprise");
        let src = "export default function X(props) { return (<><Heading as='h2' id={`install-${props.prodnamedash}`}>Install</Heading>\n<div id=\"license\" data-id={x} grid='1' /></>); }";
        assert_eq!(source_ids(src, vars), SourceIds::Known(vec!["install-calico-enterprise".into(), "license".into()]));
        assert_eq!(source_ids("<h2 id={slugify(title)}>", vars), SourceIds::Dynamic);
        assert_eq!(source_ids("<h2 id={`a-${unknown}`}>", vars), SourceIds::Dynamic);
        assert_eq!(source_ids("const a = 1;", vars), SourceIds::Known(vec![]));
    }

    #[test]
    fn pruned_json_keeps_only_what_the_rule_reads() {
        let rule = ComponentRule {
            name: "FelixConfig".into(),
            import: "_includes/components/FelixConfig".into(),
            data: "config.json".into(),
            records: "Groups[Name=@name].Fields[]".into(),
            ids: vec!["N".into()],
            source: String::new(),
        };
        let keep = rule_keys(&rule);
        let text = r#"{"Groups":[{"Name":"A","Doc":{"x":[1,2]},"Fields":[{"N":"a1","Type":"int"},{"N":"a2"}]}],"Other":{"N":"z"}}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        let j = serde::de::DeserializeSeed::deserialize(Pruned(&keep), &mut de).unwrap();
        assert_eq!(j, serde_json::json!({"Groups":[{"Name":"A","Fields":[{"N":"a1"},{"N":"a2"}]}]}));
        let attrs = HashMap::from([("name", "A")]);
        let ids: Vec<&str> = select(&j, &rule.records, &attrs).iter().filter_map(|r| r["N"].as_str()).collect();
        assert_eq!(ids, ["a1", "a2"]);
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
