//! Building a [`Site`] from a root folder and an optional `docdrift.toml`.
//!
//! This module owns the Docusaurus conventions: which top-level folders are doc sets, where each
//! version's content lives (`<id>/`, `<id>_versioned_docs/version-<v>/`, in `<id>_versions.json`
//! order), which URL segment and label each version gets, and which `variables.js` files belong
//! to it, with the `[site.json_variables]` files found beside them. Whatever `[[doc_set]]` states
//! wins; conventions fill in the rest. Parsing the TOML is [`super::config`]'s job, reading
//! `variables.js` and flattening JSON is [`super::variables`]'s.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::bounds::{Bounds, ReadError, check_name};
use super::config::{Config, ConfigError, DocSetConfig, Located, Pos, closest};
use super::variables::{JsonFiles, Variables};
use super::{DEFAULT_ADMONITION_KEYWORDS, DocSet, Settings, Site, Version};

/// Top-level folders that are never an unversioned doc set.
const NOT_DOC_SETS: &[&str] = &["static", "src", "node_modules", "build", "blog", "i18n"];

pub(super) fn load(root: &Path, config: Option<&Path>, known_rules: &[&str]) -> Result<Site, ConfigError> {
    let config = match config {
        Some(path) => Config::read(path, known_rules)?,
        None => {
            let path = root.join("docdrift.toml");
            // The site's own config is a file of the site: a symlink out of it is refused.
            if let Ok(b) = Bounds::new(root)
                && let Err(e @ ReadError::OutOfBounds { .. }) = b.resolve(&path)
            {
                return Err(ConfigError::new(&path, 0, 0, e.to_string()).with_help(
                    "Replace the symlink with the file, or pass the file with `--config` if it is meant to live elsewhere",
                ));
            }
            if path.is_file() { Config::read(&path, known_rules)? } else { Config::default() }
        }
    };
    build(root, config)
}

/// Resolve `config` against the site at `root`.
pub(super) fn build(root: &Path, config: Config) -> Result<Site, ConfigError> {
    if !root.is_dir() {
        return Err(ConfigError::new(root, 0, 0, "the site root is not a folder")
            .with_help("Run docdrift inside a Docusaurus site, or give the site root"));
    }
    let mut bounds = Bounds::new(root).map_err(|e| {
        ConfigError::new(root, 0, 0, format!("cannot resolve the site root: {e}"))
            .with_help("Check the folder's permissions")
    })?;
    if let Some(n) = config.max_file_size {
        bounds.max_file_size = n;
    }
    // Doc-set folders the configuration names outside the root are in bounds, nothing beyond.
    for ds in &config.doc_sets {
        if let Some(p) = &ds.path {
            add_doc_set_root(root, &config, &mut bounds, p)?;
        }
    }
    let docusaurus = super::docusaurus::read(root, &config.env)?;
    // Doc sets come from docdrift.toml, else from the Docusaurus config, else from folders.
    let from_docusaurus = config.doc_sets.is_empty() && docusaurus.as_ref().is_some_and(|d| !d.docs.is_empty());
    let origin_file = if from_docusaurus { super::docusaurus::find_config(root) } else { None };
    let docusaurus_sets: Vec<DocSetConfig> = match docusaurus.as_ref().filter(|_| from_docusaurus) {
        Some(d) => d.docs.iter().map(doc_set_from_docusaurus).collect(),
        None => Vec::new(),
    };
    for ds in &docusaurus_sets {
        if let Some(p) = &ds.path {
            add_doc_set_root(root, &config, &mut bounds, p)?;
        }
    }
    let cx = Cx { root, config: &config, bounds: &bounds, origin_file, notes: Default::default() };
    let root_variables = cx.variables_js("")?;
    let root_json_variables = cx.json_variables("")?;

    let doc_set_configs: Vec<(DocSetConfig, Option<bool>)> = if from_docusaurus {
        docusaurus_sets.into_iter().map(|d| (d, None)).collect()
    } else if config.doc_sets.is_empty() {
        discover(root, &config)?
            .into_iter()
            .map(|(id, include_current)| (DocSetConfig::new(&id), Some(include_current)))
            .collect()
    } else {
        config.doc_sets.iter().map(|d| (d.clone(), None)).collect()
    };
    let mut doc_sets = Vec::new();
    for (ds, discovered_current) in &doc_set_configs {
        doc_sets.push(cx.resolve(ds, *discovered_current, (&root_variables, &root_json_variables))?);
    }
    cx.check_json_variables_found(&doc_sets)?;

    let defaults = Settings::default();
    let mut admonition_keywords: Vec<String> = DEFAULT_ADMONITION_KEYWORDS.iter().map(|s| s.to_string()).collect();
    for k in &config.admonition_keywords {
        if !admonition_keywords.contains(k) {
            admonition_keywords.push(k.clone());
        }
    }
    if let Some(d) = &docusaurus {
        for k in d.docs.iter().flat_map(|o| &o.admonition_keywords) {
            if !admonition_keywords.contains(k) {
                admonition_keywords.push(k.clone());
            }
        }
    }
    // docdrift.toml wins, then the Docusaurus config (with Docusaurus 3's defaults), then
    // docdrift's own defaults for a site read from folders alone.
    let ds = docusaurus.as_ref();
    let settings = Settings {
        explicit_heading_ids: config
            .explicit_heading_ids
            .or(ds.map(|d| d.mdx1_heading_ids.value))
            .unwrap_or(defaults.explicit_heading_ids),
        mdx1_admonitions: config
            .mdx1_admonitions
            .or(ds.map(|d| d.mdx1_admonitions.value))
            .unwrap_or(defaults.mdx1_admonitions),
        maintain_case: config.maintain_case.or(ds.map(|d| d.maintain_case.value)).unwrap_or(defaults.maintain_case),
        admonition_keywords,
        html_comments: ds.map_or(defaults.html_comments, |d| d.mdx1_comments.value),
        format_detect: ds.is_some_and(|d| d.format.value == "detect"),
        on_broken_markdown_links: ds.map_or(defaults.on_broken_markdown_links, |d| {
            match d.on_broken_markdown_links.value.as_str() {
                "throw" => super::ReportingSeverity::Throw,
                "log" => super::ReportingSeverity::Log,
                "ignore" => super::ReportingSeverity::Ignore,
                _ => super::ReportingSeverity::Warn,
            }
        }),
    };
    let mut notes = ds.map(|d| d.notes.clone()).unwrap_or_default();
    notes.extend(cx.notes.take());
    Ok(Site {
        root: root.to_path_buf(),
        bounds,
        config_path: config.path.clone(),
        settings,
        doc_sets,
        root_variables,
        root_json_variables,
        json_variables: config.json_variables.iter().map(|j| (j.name.value.clone(), j.path.value.clone())).collect(),
        config_variables: config.variables.clone(),
        rule_levels: config.rules.clone(),
        overrides: config.overrides.clone(),
        ignore: config.ignore_set.clone(),
        generated: config.generated_set.clone(),
        snippets: snippet_settings(root, &config),
        docusaurus,
        notes,
        drift: config.drift.clone(),
        modules: Default::default(),
    })
}

/// A docs plugin instance as a `[[doc_set]]`: every option it states, with its position in the
/// Docusaurus config; Docusaurus' defaults for the rest (`docs` for `path` and
/// `routeBasePath`, versions files named after the id).
fn doc_set_from_docusaurus(o: &super::docusaurus::DocsOptions) -> DocSetConfig {
    let pos = |s: &Option<super::docusaurus::options::At>| {
        s.as_ref().map_or(Pos::default(), |a| Pos { line: a.line, column: a.column })
    };
    let located = |s: &super::docusaurus::Setting<String>| Located { value: s.value.clone(), pos: pos(&s.at) };
    let mut ds = DocSetConfig::new(&o.id.value);
    ds.id.pos = pos(&o.id.at);
    ds.path = Some(located(&o.path));
    ds.route_base = Some(located(&o.route_base_path));
    ds.last_version = o.last_version.as_ref().map(located);
    ds.include_current =
        Some(Located { value: o.include_current_version.value, pos: pos(&o.include_current_version.at) });
    ds.built_versions = o
        .only_include_versions
        .as_ref()
        .map(|s| s.value.iter().map(|v| Located { value: v.clone(), pos: pos(&s.at) }).collect());
    for v in &o.versions {
        if let Some(p) = &v.path {
            ds.url_paths.push((Located { value: v.name.clone(), pos: pos(&p.at) }, p.value.clone()));
        }
        if let Some(l) = &v.label {
            ds.labels.push((Located { value: v.name.clone(), pos: pos(&l.at) }, l.value.clone()));
        }
    }
    ds
}

/// `[snippets]`: sources relative to the config file's folder (the root without one).
fn snippet_settings(root: &Path, config: &Config) -> super::SnippetSettings {
    let base = config.path.as_deref().and_then(Path::parent).unwrap_or(root);
    let (sources, sources_label) = match &config.snippet_sources {
        Some(s) => (base.join(&s.value), s.value.trim_end_matches('/').to_string()),
        None => (root.join(super::DEFAULT_SNIPPET_SOURCES), super::DEFAULT_SNIPPET_SOURCES.to_string()),
    };
    let output = config.snippet_output.as_ref().map_or(super::DEFAULT_SNIPPET_OUTPUT.to_string(), |o| o.value.clone());
    super::SnippetSettings { sources, sources_label, output }
}

/// The files and folders a doc set uses by Docusaurus convention.
pub(super) struct Conventions {
    pub path: String,
    pub route_base: String,
    pub versions_file: String,
    pub versioned_path: String,
}

/// `default` is the unnamed docs plugin (`docs/`, `versions.json`, `versioned_docs/`).
pub(super) fn conventions(id: &str) -> Conventions {
    if id == "default" {
        Conventions {
            path: "docs".into(),
            route_base: "docs".into(),
            versions_file: "versions.json".into(),
            versioned_path: "versioned_docs".into(),
        }
    } else {
        Conventions {
            path: id.into(),
            route_base: id.into(),
            versions_file: format!("{id}_versions.json"),
            versioned_path: format!("{id}_versioned_docs"),
        }
    }
}

/// Default URL segment: `""` for the last version, `next` for `current`, else the name.
pub(super) fn default_url_path(name: &str, is_last: bool) -> String {
    if is_last {
        String::new()
    } else if name == "current" {
        "next".into()
    } else {
        name.into()
    }
}

pub(super) fn default_label(name: &str) -> String {
    if name == "current" { "next".into() } else { name.into() }
}

/// Doc set ids found by convention, with whether their current folder exists, sorted by id.
fn discover(root: &Path, config: &Config) -> Result<Vec<(String, bool)>, ConfigError> {
    let read_err = |e: std::io::Error| {
        ConfigError::new(root, 0, 0, format!("cannot list the site root: {e}"))
            .with_help("Check the folder's permissions")
    };
    let mut names: Vec<(String, bool)> = Vec::new();
    for entry in std::fs::read_dir(root).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        names.push((name, entry.path().is_dir()));
    }
    names.sort();

    let mut versioned: BTreeSet<String> = BTreeSet::new();
    for (name, is_dir) in &names {
        let id = if *is_dir { name.strip_suffix("_versioned_docs") } else { name.strip_suffix("_versions.json") };
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            versioned.insert(id.to_string());
        }
    }
    let has = |name: &str, dir: bool| names.iter().any(|(n, d)| n == name && *d == dir);
    if has("docs", true) || has("versions.json", false) || has("versioned_docs", true) {
        versioned.insert("default".to_string());
    }
    let mut found: Vec<(String, bool)> = Vec::new();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    for id in &versioned {
        let conv = conventions(id);
        let current = root.join(&conv.path).is_dir();
        // A stray `<id>_versioned_docs/` with neither versions file nor current folder is no doc set.
        if current || root.join(&conv.versions_file).is_file() {
            found.push((id.clone(), current));
        }
        taken.insert(conv.path);
    }
    for (name, is_dir) in &names {
        let skip = !is_dir
            || name.starts_with('.')
            || NOT_DOC_SETS.contains(&name.as_str())
            || name.ends_with("_versioned_docs")
            || name.ends_with("_versioned_sidebars")
            || name == "versioned_docs"
            || name == "versioned_sidebars"
            || taken.contains(name);
        if !skip && holds_markdown(root, name, config) {
            found.push((name.clone(), true));
        }
    }
    found.sort();
    Ok(found)
}

/// Whether `root/dir` holds a `.md` or `.mdx` file that is not ignored.
fn holds_markdown(root: &Path, dir: &str, config: &Config) -> bool {
    super::walk(&root.join(dir)).filter_map(Result::ok).filter(|e| e.file_type().is_file()).any(|e| {
        let is_md = e.path().extension().is_some_and(|x| x == "md" || x == "mdx");
        is_md && !e.path().strip_prefix(root).is_ok_and(|rel| config.ignore_set.is_match(rel_str(rel)))
    })
}

fn rel_str(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// `dir/file` for a root-relative `dir` (`""` is the root itself).
fn join_rel(dir: &str, file: &str) -> String {
    if dir.is_empty() { file.to_string() } else { format!("{dir}/{file}") }
}

/// A configured folder or file path, relative to the root with `/` separators.
fn normalize(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    let p = p.trim_end_matches('/');
    if p == "." { String::new() } else { p.to_string() }
}

struct Cx<'a> {
    root: &'a Path,
    config: &'a Config,
    /// The Docusaurus config, when the doc sets (and their positions) come from it.
    origin_file: Option<PathBuf>,
    bounds: &'a Bounds,
    /// Assumptions made while resolving doc sets, printed as notes.
    notes: std::cell::RefCell<Vec<String>>,
}

/// Check a `[[doc_set]] path`: relative, and if it leaves the root (`../docs`, as Docusaurus
/// allows), a folder that holds neither the root nor anything above it; such a folder is then
/// in bounds.
fn add_doc_set_root(root: &Path, config: &Config, bounds: &mut Bounds, p: &Located<String>) -> Result<(), ConfigError> {
    let config_path = config.path.clone().unwrap_or_else(|| root.join("docdrift.toml"));
    let err = |m: String| ConfigError::new(&config_path, p.pos.line, p.pos.column, m);
    let rel = normalize(&p.value);
    if Path::new(&rel).is_absolute() || rel.starts_with('/') || rel.contains(':') {
        return Err(err(format!("`path` `{}` is absolute", p.value))
            .with_help("Write the doc set's folder relative to the site root, such as `docs` or `../docs`"));
    }
    let dir = root.join(&rel);
    let Ok(canonical) = dir.canonicalize() else {
        // A missing folder is reported where the doc set is resolved.
        return Ok(());
    };
    if bounds.contains(&canonical) {
        return Ok(());
    }
    if bounds.root().starts_with(&canonical) {
        return Err(err(format!(
            "`path` `{}` is `{}`, which holds the site root: docdrift would read and write everything in it",
            p.value,
            canonical.display()
        ))
        .with_help("Name the doc set's own folder, such as `../docs`"));
    }
    bounds.add_root(&canonical).map_err(|e| err(format!("cannot resolve `path` `{}`: {e}", p.value)))
}

/// Where a version name came from, for error messages.
#[derive(Clone)]
enum Origin {
    /// The config file, at this position.
    Config(Pos),
    /// A versions file (root-relative) and the position of the entry.
    VersionsFile(String, Pos),
    /// Nowhere in particular (discovered by convention).
    Convention(PathBuf),
}

impl Cx<'_> {
    fn config_path(&self) -> PathBuf {
        if let Some(p) = &self.origin_file {
            return p.clone();
        }
        self.config.path.clone().unwrap_or_else(|| self.root.join("docdrift.toml"))
    }

    fn err(&self, origin: &Origin, message: impl Into<String>) -> ConfigError {
        match origin {
            Origin::Config(pos) => ConfigError::new(&self.config_path(), pos.line, pos.column, message),
            Origin::VersionsFile(file, pos) => ConfigError::new(&self.root.join(file), pos.line, pos.column, message),
            Origin::Convention(path) => ConfigError::new(path, 0, 0, message),
        }
    }

    /// Whether the root's `.gitignore` has a line naming exactly the root-relative folder `dir`
    /// (`dir`, `/dir`, `dir/`). Only that: no glob semantics, so a hint built on it is never wrong.
    fn gitignore_lists(&self, dir: &str) -> bool {
        let Ok(Some(text)) = self.bounds.read_optional(&self.root.join(".gitignore")) else { return false };
        text.lines().map(str::trim).any(|l| l.trim_start_matches('/').trim_end_matches('/') == dir)
    }

    /// Whether `path` (under the root) is left out by `[site] ignore`.
    fn ignored(&self, path: &Path) -> bool {
        path.strip_prefix(self.root).is_ok_and(|rel| self.config.ignore_set.is_match(rel_str(rel)))
    }

    /// The variables of `dir/variables.js` (`dir` root-relative, `""` for the root) and of the
    /// JSON files it exposes; empty when absent or ignored.
    fn variables_js(&self, dir: &str) -> Result<Variables, ConfigError> {
        let rel = join_rel(dir, "variables.js");
        let path = self.root.join(&rel);
        if !path.is_file() || self.config.ignore_set.is_match(&rel) {
            return Ok(Variables::new());
        }
        let mut vars = Variables::read_js_in(Some(self.bounds), &path, &|json| !self.ignored(json))?;
        if self.origin_file.is_some() {
            // A site read from its Docusaurus config gets the values its variables.js computes
            // (`releases[0].title.slice(0, 5)`) too, where the literal reader sees none.
            super::docusaurus::add_computed_variables(self.root, &path, &self.config.env, &mut vars);
        }
        Ok(vars)
    }

    /// The `[site.json_variables]` files present in `dir` (root-relative, `""` for the root),
    /// read and checked now and flattened under their names when first looked up (see
    /// [`JsonFiles`]); files that are absent or ignored are skipped.
    fn json_variables(&self, dir: &str) -> Result<JsonFiles, ConfigError> {
        let mut out = JsonFiles::new();
        for j in &self.config.json_variables {
            let rel = join_rel(dir, &normalize(&j.path.value));
            let path = self.root.join(&rel);
            if path.is_file() && !self.config.ignore_set.is_match(&rel) {
                out.add_file(Some(self.bounds), &j.name.value, &path)?;
            }
        }
        Ok(out)
    }

    /// A `[site.json_variables]` path that names no file, in any version folder or at the root,
    /// is a mistake (a missing file in some versions is not).
    fn check_json_variables_found(&self, doc_sets: &[DocSet]) -> Result<(), ConfigError> {
        for j in &self.config.json_variables {
            let file = normalize(&j.path.value);
            let dirs =
                std::iter::once("").chain(doc_sets.iter().flat_map(|d| d.versions.iter().map(|v| v.dir.as_str())));
            if dirs.into_iter().any(|dir| self.root.join(join_rel(dir, &file)).is_file()) {
                continue;
            }
            // Say where the file was looked for, preferring a released version's folder.
            let versions = || doc_sets.iter().flat_map(|d| &d.versions).filter(|v| !v.dir.is_empty());
            let example = versions().find(|v| v.name != "current").or_else(|| versions().next());
            let help = match example {
                Some(v) => format!(
                    "It is looked for as `{}` (and in every other version folder); correct the path, or remove the entry",
                    join_rel(&v.dir, &file)
                ),
                None => "Correct the path (relative to a version folder), or remove the entry".to_string(),
            };
            return Err(self
                .err(
                    &Origin::Config(j.path.pos),
                    format!("`{file}` of `{}` is in no version folder and not at the site root", j.name.value),
                )
                .with_help(help));
        }
        Ok(())
    }

    /// Version names from a versions file, with each entry's position.
    fn versions_file(&self, rel: &str, stated: Option<&Located<String>>) -> Result<Vec<(String, Pos)>, ConfigError> {
        let path = self.root.join(rel);
        if !path.is_file() {
            return match stated {
                Some(l) => Err(self
                    .err(&Origin::Config(l.pos), format!("versions file `{rel}` does not exist"))
                    .with_help("Fix `versions_file`, or remove it if the doc set has no released versions")),
                None => Ok(Vec::new()),
            };
        }
        let src = self.bounds.read_to_string(&path).map_err(|e| {
            ConfigError::new(&path, 0, 0, format!("cannot read the versions file: {e}")).with_help(e.help())
        })?;
        // Docusaurus reads it with `fs-extra`'s `readJson`, which skips a byte order mark.
        let src = src.strip_prefix('\u{feff}').unwrap_or(&src);
        let names: Vec<String> = serde_json::from_str(src).map_err(|e| {
            let e = super::variables::json_error(&path, src, &e);
            ConfigError::new(&path, e.line, e.column, e.message.replacen("invalid JSON", "invalid versions file", 1))
                .with_help("A versions file is a JSON array of version names, newest first: [\"3.31\", \"3.30\"]")
        })?;
        let mut out = Vec::new();
        let mut from = 0;
        for name in names {
            let quoted = serde_json::to_string(&name).unwrap_or_default();
            // Where the entry is written (escaped spellings are not found: then the array start).
            let offset = match src[from..].find(&quoted) {
                Some(i) => {
                    from += i + quoted.len();
                    from - quoted.len()
                }
                None => from,
            };
            let (line, column) = super::variables::line_col(src, offset);
            if let Err(why) = check_name(&name) {
                return Err(ConfigError::new(&path, line, column, format!("invalid version name: {why}")).with_help(
                    "A version name becomes the folder `version-<name>`: remove the path separators and `..`",
                ));
            }
            if out.iter().any(|(n, _): &(String, Pos)| *n == name) {
                return Err(ConfigError::new(&path, line, column, format!("version `{name}` is listed twice"))
                    .with_help("Remove the duplicate entry"));
            }
            out.push((name, Pos { line, column }));
        }
        Ok(out)
    }

    fn resolve(
        &self,
        ds: &DocSetConfig,
        discovered_current: Option<bool>,
        (root_variables, root_json_variables): (&Variables, &JsonFiles),
    ) -> Result<DocSet, ConfigError> {
        let id = ds.id.value.as_str();
        if let Err(why) = check_name(id) {
            return Err(self
                .err(&Origin::Config(ds.id.pos), format!("invalid doc set id: {why}"))
                .with_help("A doc set id is the docs plugin's `id`: a name, not a path (use `path` for the folder)"));
        }
        let conv = conventions(id);
        let stated = |l: &Option<Located<String>>| l.as_ref().map(|l| normalize(&l.value));
        let path = stated(&ds.path).unwrap_or(conv.path);
        let route_base = ds.route_base.as_ref().map_or(conv.route_base, |l| l.value.trim_matches('/').to_string());
        let versions_file = stated(&ds.versions_file).unwrap_or(conv.versions_file);
        let versioned_path = stated(&ds.versioned_path).unwrap_or(conv.versioned_path);
        let from_config = discovered_current.is_none();
        let id_origin = if from_config { Origin::Config(ds.id.pos) } else { Origin::Convention(self.root.join(&path)) };

        // Version names, folders, and where each was named.
        let mut versions: Vec<(String, String, Origin, bool)> = Vec::new();
        let include_current = match (&ds.include_current, discovered_current) {
            (Some(l), _) => l.value,
            (None, Some(found)) => found,
            (None, None) => true,
        };
        if include_current {
            if !self.root.join(&path).is_dir() {
                let origin = ds.path.as_ref().map_or(id_origin.clone(), |l| Origin::Config(l.pos));
                return Err(self.err(&origin, format!("the folder `{path}` of doc set `{id}` does not exist")).with_help(
                    "Create the folder, set `path` to the current version's folder, or set `include_current = false`",
                ));
            }
            versions.push((
                "current".into(),
                path.clone(),
                ds.path.as_ref().map_or(id_origin.clone(), |l| Origin::Config(l.pos)),
                false,
            ));
        }
        for (name, pos) in self.versions_file(&versions_file, ds.versions_file.as_ref())? {
            let dir = format!("{versioned_path}/version-{name}");
            let origin = Origin::VersionsFile(versions_file.clone(), pos);
            let missing = !self.root.join(&dir).is_dir();
            // A version folder the site's build script writes (pnpm.io copies `docs/` there) is
            // listed in `.gitignore`: the version is real, its documents just are not here yet.
            if missing && self.gitignore_lists(&dir) {
                self.notes.borrow_mut().push(format!(
                    "`{dir}` ({id} version `{name}`) does not exist and `.gitignore` lists it: the site's build \
                     creates it, so it is not checked and links into that version are taken as valid"
                ));
                versions.push((name, dir, origin, true));
                continue;
            }
            if missing {
                let (origin, fix) = match &ds.versioned_path {
                    Some(l) => (Origin::Config(l.pos), "fix `versioned_path`".to_string()),
                    None => (origin, format!("remove `{name}` from `{versions_file}`")),
                };
                return Err(self
                    .err(&origin, format!("the folder `{dir}` of {id} version `{name}` does not exist"))
                    .with_help(format!("Restore the folder or {fix}")));
            }
            versions.push((name, dir, origin, false));
        }
        for (name, dir, origin, _) in &versions {
            if let Err(e @ ReadError::OutOfBounds { .. }) = self.bounds.resolve(&self.root.join(dir)) {
                return Err(self
                    .err(origin, format!("the folder `{dir}` of {id} version `{name}` {e}"))
                    .with_help("Replace the symlink with the folder, or name the folder in `[[doc_set]] path`"));
            }
        }
        if versions.is_empty() {
            return Err(self
                .err(&id_origin, format!("doc set `{id}` has no versions"))
                .with_help(format!("Create `{path}/` or list released versions in `{versions_file}`")));
        }
        let names: Vec<&str> = versions.iter().map(|(n, _, _, _)| n.as_str()).collect();
        let check = |l: &Located<String>, what: &str| -> Result<(), ConfigError> {
            if names.contains(&l.value.as_str()) {
                return Ok(());
            }
            let e = self.err(&Origin::Config(l.pos), format!("{id} has no version `{}` ({what})", l.value));
            Err(match closest(&l.value, names.iter().copied()) {
                Some(c) => e.with_help(format!("did you mean `{c}`? The versions are {}", quote_list(&names))),
                None => e.with_help(format!("Use one of {}", quote_list(&names))),
            })
        };

        let last = match &ds.last_version {
            Some(l) => {
                check(l, "`last_version`")?;
                l.value.clone()
            }
            // Docusaurus: the first released version, else `current`.
            None => names.iter().find(|n| **n != "current").unwrap_or(&names[0]).to_string(),
        };
        for (name, _) in &ds.url_paths {
            check(name, "in `url_paths`")?;
        }
        for (name, _) in &ds.labels {
            check(name, "in `labels`")?;
        }
        if let Some(built) = &ds.built_versions {
            for name in built {
                check(name, "in `built_versions`")?;
            }
        }

        let mut out: Vec<Version> = Vec::new();
        let mut url_origin: Vec<Origin> = Vec::new();
        for (name, dir, origin, generated) in &versions {
            let is_last = *name == last;
            let stated_url = ds.url_paths.iter().rev().find(|(k, _)| k.value == *name);
            let url_path =
                stated_url.map_or_else(|| default_url_path(name, is_last), |(_, v)| v.trim_matches('/').to_string());
            let label = ds
                .labels
                .iter()
                .rev()
                .find(|(k, _)| k.value == *name)
                .map_or_else(|| default_label(name), |(_, v)| v.clone());
            let built = ds.built_versions.as_ref().is_none_or(|b| b.iter().any(|l| l.value == *name));
            let variables = self.variables_js(dir)?;
            let json_variables = self.json_variables(dir)?;
            let this_origin = stated_url.map_or_else(|| origin.clone(), |(k, _)| Origin::Config(k.pos));
            if let Some(other) = out.iter().position(|v| v.url_path == url_path) {
                // Point at the config when either url path is stated there.
                let at = if matches!(this_origin, Origin::Config(_)) { &this_origin } else { &url_origin[other] };
                return Err(self
                    .err(
                        at,
                        format!(
                            "{id} versions `{}` and `{name}` are both served at url path `{url_path}`",
                            out[other].name
                        ),
                    )
                    .with_help("Give each version its own url path in [doc_set.url_paths]"));
            }
            url_origin.push(this_origin);
            out.push(Version {
                name: name.clone(),
                dir: dir.clone(),
                url_path,
                label,
                built,
                is_last,
                generated: *generated,
                variables,
                json_variables,
            });
        }

        let name = match &ds.name {
            Some(l) => l.value.clone(),
            None => {
                // The current version's `prodname`, as `$[prodname]` would render there.
                let v = out.iter().find(|v| v.name == "current").unwrap_or(&out[0]);
                // In the order of `Site::variable`.
                super::variables::lookup_order(
                    Some((&v.variables, &v.json_variables)),
                    (root_variables, root_json_variables),
                    &self.config.variables,
                )
                .find_map(|vars| vars.get("prodname"))
                // The default plugin's id means nothing to readers: name it by its route.
                .unwrap_or(match id {
                    "default" if route_base.is_empty() => "docs",
                    "default" => route_base.as_str(),
                    _ => id,
                })
                .to_string()
            }
        };
        Ok(DocSet { id: id.to_string(), name, route_base, versions: out })
    }
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{RULES, load, write};
    use std::fs;

    /// A small versioned site: `product` with 2.0 and 1.0, an unversioned `guides`, and noise.
    fn versioned_site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path();
        write(r, "product/index.mdx", "# Next\n");
        write(
            r,
            "product/variables.js",
            "const variables = { prodname: 'Product', v: 'next' };\nmodule.exports = variables;\n",
        );
        write(r, "product_versions.json", "[\n  \"2.0\",\n  \"1.0\"\n]\n");
        write(r, "product_versioned_docs/version-2.0/index.mdx", "# Two\n");
        write(
            r,
            "product_versioned_docs/version-2.0/variables.js",
            "module.exports = { prodname: 'Product', v: '2.0' };\n",
        );
        write(r, "product_versioned_docs/version-1.0/index.md", "# One\n");
        write(r, "product_versioned_sidebars/version-2.0-sidebars.json", "{}");
        write(r, "guides/intro.md", "# Guides\n");
        write(r, "static/readme.md", "# not docs\n");
        write(r, "src/pages/index.md", "# not docs\n");
        write(r, ".github/README.md", "# not docs\n");
        write(r, "node_modules/x/README.md", "# not docs\n");
        write(r, "empty/readme.txt", "no markdown\n");
        write(r, "variables.js", "export default { site: 'root', v: 'root' };\n");
        dir
    }

    fn load_err(root: &Path, config: &str) -> ConfigError {
        write(root, "docdrift.toml", config);
        match Site::load(root, None, RULES) {
            Ok(s) => panic!("expected an error, got {:?}", s.doc_sets),
            Err(e) => e,
        }
    }

    fn summary(ds: &DocSet) -> Vec<(String, String, String, String, bool, bool)> {
        ds.versions
            .iter()
            .map(|v| (v.name.clone(), v.dir.clone(), v.url_path.clone(), v.label.clone(), v.built, v.is_last))
            .collect()
    }

    fn row(
        name: &str,
        dir: &str,
        url: &str,
        label: &str,
        built: bool,
        last: bool,
    ) -> (String, String, String, String, bool, bool) {
        (name.into(), dir.into(), url.into(), label.into(), built, last)
    }

    #[test]
    fn discovers_versioned_and_unversioned_doc_sets() {
        let dir = versioned_site();
        let site = load(dir.path());
        let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["guides", "product"]);
        let guides = &site.doc_sets[0];
        assert_eq!(guides.name, "guides");
        assert_eq!(guides.route_base, "guides");
        assert_eq!(summary(guides), [row("current", "guides", "", "next", true, true)]);
        let product = &site.doc_sets[1];
        assert_eq!(product.name, "Product");
        assert_eq!(
            summary(product),
            [
                row("current", "product", "next", "next", true, false),
                row("2.0", "product_versioned_docs/version-2.0", "", "2.0", true, true),
                row("1.0", "product_versioned_docs/version-1.0", "1.0", "1.0", true, false),
            ]
        );
        assert_eq!(site.config_path, None);
        assert_eq!(site.settings, Settings::default());
    }

    #[test]
    fn ignored_and_stray_folders_are_no_doc_sets() {
        let dir = versioned_site();
        let r = dir.path();
        write(r, "orphan_versioned_docs/version-1.0/a.md", "# Orphan\n");
        write(r, "docdrift.toml", "[site]\nignore = ['guides/**']\n");
        let site = load(r);
        let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["product"]);
    }

    #[test]
    fn variables_resolve_version_then_root_then_config() {
        let dir = versioned_site();
        write(dir.path(), "docdrift.toml", "[variables]\nonly_config = 'c'\nsite = 'config loses'\n");
        let site = load(dir.path());
        let loc = site.locate("product_versioned_docs/version-2.0/index.mdx").expect("located");
        assert_eq!(site.variable(Some(loc), "v"), Some("2.0"));
        assert_eq!(site.variable(Some(loc), "site"), Some("root"));
        assert_eq!(site.variable(Some(loc), "only_config"), Some("c"));
        let one = site.locate("product_versioned_docs/version-1.0/index.md").expect("located");
        assert_eq!(site.variable(Some(one), "v"), Some("root"));
        assert_eq!(site.variable(None, "v"), Some("root"));
        assert_eq!(site.version_display(loc), "Product 2.0");
        assert_eq!(site.config_path, Some(dir.path().join("docdrift.toml")));
    }

    #[test]
    fn default_plugin_layout() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path();
        write(r, "docs/intro.md", "# Intro\n");
        write(r, "versions.json", "[\"1.1\"]");
        write(r, "versioned_docs/version-1.1/intro.md", "# Intro\n");
        write(r, "versioned_sidebars/version-1.1-sidebars.json", "{}");
        write(r, "blog/2020-01-01-post.md", "# Post\n");
        let site = load(r);
        assert_eq!(site.doc_sets.len(), 1);
        let ds = &site.doc_sets[0];
        assert_eq!((ds.id.as_str(), ds.route_base.as_str()), ("default", "docs"));
        assert_eq!(
            summary(ds),
            [
                row("current", "docs", "next", "next", true, false),
                row("1.1", "versioned_docs/version-1.1", "", "1.1", true, true),
            ]
        );
    }

    #[test]
    fn config_states_doc_sets() {
        let dir = versioned_site();
        let r = dir.path();
        write(
            r,
            "docdrift.toml",
            r#"
[site]
explicit_heading_ids = true
admonition_keywords = ["mykeyword", "note"]
ignore = ["guides/**"]
[rules]
"anchor/missing" = "off"
[[doc_set]]
id = "product"
name = "The Product"
route_base = "/prod/"
last_version = "1.0"
built_versions = ["2.0", "1.0"]
[doc_set.url_paths]
current = "dev"
"2.0" = "2.0"
"1.0" = "latest"
[doc_set.labels]
"2.0" = "2.0 (preview)"
"#,
        );
        let site = load(r);
        assert_eq!(site.doc_sets.len(), 1, "only the configured doc set");
        let ds = &site.doc_sets[0];
        assert_eq!((ds.name.as_str(), ds.route_base.as_str()), ("The Product", "prod"));
        assert_eq!(
            summary(ds),
            [
                row("current", "product", "dev", "next", false, false),
                row("2.0", "product_versioned_docs/version-2.0", "2.0", "2.0 (preview)", true, false),
                row("1.0", "product_versioned_docs/version-1.0", "latest", "1.0", true, true),
            ]
        );
        assert!(site.settings.explicit_heading_ids);
        assert_eq!(site.settings.admonition_keywords.len(), DEFAULT_ADMONITION_KEYWORDS.len() + 1);
        assert_eq!(site.rule_levels, vec![("anchor/missing".to_string(), super::super::RuleLevel::Off)]);
        assert!(site.ignore.is_match("guides/intro.md"));
        assert_eq!(site.locate("guides/intro.md"), None);
    }

    #[test]
    fn a_config_doc_set_fills_in_conventions() {
        let dir = versioned_site();
        write(dir.path(), "docdrift.toml", "[[doc_set]]\nid = 'product'\n[[doc_set]]\nid = 'guides'\n");
        let site = load(dir.path());
        let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["product", "guides"], "config order");
        assert_eq!(site.doc_sets[0].versions.len(), 3);
        assert_eq!(site.doc_sets[1].versions[0].url_path, "");
    }

    #[test]
    fn missing_version_folders_name_the_versions_file_line() {
        let dir = versioned_site();
        let r = dir.path();
        fs::remove_dir_all(r.join("product_versioned_docs/version-1.0")).expect("rm");
        let e = Site::load(r, None, RULES).expect_err("missing folder");
        assert_eq!(e.path, r.join("product_versions.json"));
        assert_eq!((e.line, e.column), (3, 3));
        assert!(e.message.contains("product_versioned_docs/version-1.0"), "{e}");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("remove `1.0`")), "{e}");
    }

    #[test]
    fn config_errors_name_the_config_line() {
        let dir = versioned_site();
        let r = dir.path();
        let e = load_err(r, "[[doc_set]]\nid = 'product'\nversioned_path = 'nowhere'\n");
        assert_eq!((e.line, e.column), (3, 18));
        assert_eq!(e.path, r.join("docdrift.toml"));

        let e = load_err(r, "[[doc_set]]\nid = 'produkt'\n");
        assert_eq!((e.line, e.column), (2, 6));
        assert!(e.message.contains("`produkt` of doc set `produkt` does not exist"), "{e}");

        let e = load_err(r, "[[doc_set]]\nid = 'product'\nlast_version = '2.1'\n");
        assert_eq!((e.line, e.column), (3, 16));
        assert!(e.help.as_deref().is_some_and(|h| h.contains("Did you mean `2.0`?")), "{e}");

        let e = load_err(r, "[[doc_set]]\nid = 'product'\n[doc_set.labels]\n'3.0' = 'x'\n");
        assert_eq!((e.line, e.column), (4, 1));

        let e = load_err(r, "[[doc_set]]\nid = 'product'\nbuilt_versions = ['2.0', 'curent']\n");
        assert_eq!((e.line, e.column), (3, 26));
        assert!(e.help.as_deref().is_some_and(|h| h.contains("`current`")), "{e}");

        let e = load_err(r, "[[doc_set]]\nid = 'product'\nversions_file = 'v.json'\n");
        assert_eq!((e.line, e.column), (3, 17));

        let e = load_err(r, "[[doc_set]]\nid = 'product'\n[doc_set.url_paths]\n'1.0' = ''\n");
        assert_eq!((e.line, e.column), (4, 1));
        assert!(e.message.contains("both served at url path ``"), "{e}");

        let e = load_err(r, "[rules]\n'anchor/mising' = 'off'\n");
        assert!(e.message.contains("did you mean `anchor/missing`?"), "{e}");
    }

    #[test]
    fn include_current_false_and_missing_current_folder() {
        let dir = versioned_site();
        let r = dir.path();
        fs::remove_dir_all(r.join("product")).expect("rm");
        // Discovery: a versions file without a current folder means `includeCurrentVersion: false`.
        let site = load(r);
        let product = site.doc_sets.iter().find(|d| d.id == "product").expect("product");
        assert_eq!(product.versions[0].name, "2.0");
        assert_eq!(product.name, "Product", "prodname of the first version when there is no current");
        // Config: the folder must exist unless include_current = false.
        let e = load_err(r, "[[doc_set]]\nid = 'product'\n");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("include_current = false")), "{e}");
        write(r, "docdrift.toml", "[[doc_set]]\nid = 'product'\ninclude_current = false\n");
        assert_eq!(load(r).doc_sets[0].versions.len(), 2);
    }

    #[test]
    fn bad_versions_file_and_variables_js() {
        let dir = versioned_site();
        let r = dir.path();
        write(r, "product_versions.json", "[\n  \"2.0\",\n  2\n]\n");
        let e = Site::load(r, None, RULES).expect_err("bad json");
        assert_eq!(e.path, r.join("product_versions.json"));
        assert_eq!(e.line, 3);

        let dir = versioned_site();
        let r = dir.path();
        write(r, "product_versioned_docs/version-2.0/variables.js", "module.exports = {\n  a: 'x,\n};\n");
        let e = Site::load(r, None, RULES).expect_err("bad js");
        assert_eq!(e.path, r.join("product_versioned_docs/version-2.0/variables.js"));
        assert_eq!((e.line, e.column), (2, 6));
        // An ignored variables.js is not read.
        write(r, "docdrift.toml", "[site]\nignore = ['**/variables.js']\n");
        let site = load(r);
        assert!(site.doc_sets.iter().all(|d| d.versions.iter().all(|v| v.variables.is_empty())));
    }

    /// A name defined at every level of the lookup order, so each level shows where it wins.
    fn layered_site() -> tempfile::TempDir {
        let dir = versioned_site();
        let r = dir.path();
        write(
            r,
            "product_versioned_docs/version-2.0/variables.js",
            "module.exports = { prodname: 'Product', v: '2.0', rel: { a: 'version js' } };\n",
        );
        write(r, "product_versioned_docs/version-2.0/rel.json", r#"{"a": "version json", "b": "version json"}"#);
        write(
            r,
            "variables.js",
            "export default { site: 'root', rel: { a: 'root js', b: 'root js', c: 'root js' } };\n",
        );
        write(r, "rel.json", r#"{"a": "root json", "b": "root json", "c": "root json", "d": "root json"}"#);
        write(
            r,
            "docdrift.toml",
            "[site]\nignore = ['**/ignored.json']\n[site.json_variables]\nrel = \"./rel.json\"\nnever = \"ignored.json\"\n\
             [variables]\nrel = { a = 'config', b = 'config', c = 'config', d = 'config', e = 'config' }\n",
        );
        write(r, "product_versioned_docs/version-1.0/ignored.json", r#"{"x": "ignored"}"#);
        dir
    }

    #[test]
    fn json_variables_follow_the_documented_lookup_order() {
        let dir = layered_site();
        let site = load(dir.path());
        assert_eq!(
            site.json_variables,
            [("rel".to_string(), "./rel.json".to_string()), ("never".into(), "ignored.json".into())]
        );
        let two = site.locate("product_versioned_docs/version-2.0/index.mdx");
        let get = |loc, name| site.variable(loc, name);
        assert_eq!(get(two, "rel.a"), Some("version js"));
        assert_eq!(get(two, "rel.b"), Some("version json"));
        assert_eq!(get(two, "rel.c"), Some("root js"));
        assert_eq!(get(two, "rel.d"), Some("root json"));
        assert_eq!(get(two, "rel.e"), Some("config"));
        // 1.0 has neither variables.js nor rel.json: the root and the config answer.
        let one = site.locate("product_versioned_docs/version-1.0/index.md");
        assert_eq!(get(one, "rel.a"), Some("root js"));
        assert_eq!(get(one, "rel.d"), Some("root json"));
        assert_eq!(get(one, "never.x"), None, "an ignored file is not read");
        assert_eq!(get(None, "rel.d"), Some("root json"));
        let names = site.variable_names(two);
        for n in ["rel.a", "rel.b", "rel.c", "rel.d", "rel.e", "site", "v"] {
            assert!(names.contains(&n), "{n} in {names:?}");
        }
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted and deduplicated");
    }

    #[test]
    fn json_variables_errors() {
        // Invalid JSON names the file, line and column.
        let dir = layered_site();
        let r = dir.path();
        write(r, "product_versioned_docs/version-2.0/rel.json", "{\n  \"a\": \"x\"\n  \"b\": 1\n}\n");
        let e = Site::load(r, None, RULES).expect_err("bad json");
        assert_eq!(e.path, r.join("product_versioned_docs/version-2.0/rel.json"));
        assert_eq!((e.line, e.column), (3, 3), "{e}");
        assert!(e.message.starts_with("invalid JSON: expected `,` or `}`"), "{e}");

        // A path found nowhere is a mistake in the config.
        let dir = versioned_site();
        let r = dir.path();
        let e = load_err(r, "[site.json_variables]\nreleases = 'release.json'\n");
        assert_eq!((e.path.clone(), e.line, e.column), (r.join("docdrift.toml"), 2, 12));
        assert!(e.message.contains("`release.json` of `releases` is in no version folder"), "{e}");
        assert!(
            e.help.as_deref().is_some_and(|h| h.contains("`product_versioned_docs/version-2.0/release.json`")),
            "{e}"
        );

        let e = load_err(r, "[site.json_variables]\n'rel ease' = 'a.json'\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("cannot be part of a `$[name]` token"), "{e}");
        let e = load_err(r, "[site.json_variables]\nrel = '/abs/a.json'\n");
        assert_eq!((e.line, e.column), (2, 7));
        assert!(e.message.contains("relative to a version folder"), "{e}");
        let e = load_err(r, "[site.json_variables]\nrel = 1\n");
        assert!(e.message.contains("must be a string"), "{e}");
        let e = load_err(r, "[site]\njson_variable = {}\n");
        assert!(e.message.contains("did you mean `json_variables`?"), "{e}");

        // A `require`d file that is missing stops the load like a broken variables.js.
        let dir = versioned_site();
        let r = dir.path();
        write(r, "product/variables.js", "const d = require('./d.json');\nmodule.exports = { prodname: 'P', d };\n");
        let e = Site::load(r, None, RULES).expect_err("missing d.json");
        assert_eq!((e.path.clone(), e.line, e.column), (r.join("product/variables.js"), 1, 19));
        // Unless it is ignored.
        write(r, "docdrift.toml", "[site]\nignore = ['product/d.json']\n");
        assert_eq!(load(r).doc_sets[1].name, "P");
    }

    #[test]
    fn a_required_json_file_needs_no_config() {
        let dir = versioned_site();
        let r = dir.path();
        write(
            r,
            "product_versioned_docs/version-2.0/variables.js",
            "const rel = require('./rel.json');\nconst variables = { prodname: 'Product', rel, tag: rel[0].tag };\nmodule.exports = variables;\n",
        );
        write(
            r,
            "product_versioned_docs/version-2.0/rel.json",
            r#"[{"tag": "v2.0.3", "parts": {"web/ui": {"tag": "v2.0.1"}}}]"#,
        );
        let site = load(r);
        let two = site.locate("product_versioned_docs/version-2.0/index.mdx");
        assert_eq!(site.variable(two, "rel.0.parts.web/ui.tag"), Some("v2.0.1"));
        assert_eq!(site.variable(two, "tag"), Some("v2.0.3"));
        let one = site.locate("product_versioned_docs/version-1.0/index.md");
        assert_eq!(site.variable(one, "rel.0.tag"), None);
    }

    #[test]
    fn an_explicit_config_path_is_read() {
        let dir = versioned_site();
        let r = dir.path();
        write(r, "elsewhere.toml", "[site]\nmaintain_case = true\n");
        let site = Site::load(r, Some(&r.join("elsewhere.toml")), RULES).unwrap_or_else(|e| panic!("{e}"));
        assert!(site.settings.maintain_case);
        let e = Site::load(r, Some(&r.join("missing.toml")), RULES).expect_err("missing config");
        assert!(e.message.contains("cannot read the configuration"), "{e}");
        let e = Site::load(&r.join("nope"), None, RULES).expect_err("missing root");
        assert!(e.message.contains("not a folder"), "{e}");
    }

    /// The tigera-docs config in `tests/corpus` against the real corpus.
    #[test]
    fn tigera_corpus_config() {
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = manifest.join("../shared/corpus/tigera-docs");
        if !root.is_dir() {
            eprintln!("skipping: {} is absent", root.display());
            return;
        }
        let config = manifest.join("tests/corpus/tigera-docs.docdrift.toml");
        let known: Vec<&str> = Vec::new();
        let started = std::time::Instant::now();
        let site = Site::load(&root, Some(&config), &known).unwrap_or_else(|e| panic!("{e}"));
        eprintln!("loaded the corpus site model in {:?}", started.elapsed());
        assert!(!site.settings.explicit_heading_ids);
        assert!(!site.settings.mdx1_admonitions);
        let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["calico", "calico-enterprise", "calico-cloud", "use-cases"]);

        // Every version as tigera-docs.site.json describes it.
        let json = fs::read_to_string(manifest.join("../shared/corpus/tigera-docs.site.json"));
        if let Ok(json) = json {
            let facts: serde_json::Value = serde_json::from_str(&json).expect("site.json parses");
            for (ds, want) in site.doc_sets.iter().zip(facts["doc_sets"].as_array().expect("doc_sets")) {
                assert_eq!(ds.id, want["id"].as_str().unwrap_or_default());
                assert_eq!(ds.route_base, want["routeBasePath"].as_str().unwrap_or_default());
                let want_versions = want["versions"].as_array().expect("versions");
                assert_eq!(ds.versions.len(), want_versions.len(), "{}", ds.id);
                for (v, w) in ds.versions.iter().zip(want_versions) {
                    assert_eq!(v.name, w["name"].as_str().unwrap_or_default());
                    assert_eq!(v.dir, w["folder"].as_str().unwrap_or_default());
                    assert_eq!(v.url_path, w["url_path"].as_str().unwrap_or_default(), "{} {}", ds.id, v.name);
                    if let Some(label) = w["label"].as_str() {
                        assert_eq!(v.label, label, "{} {}", ds.id, v.name);
                    }
                    let built = w.get("built").is_none();
                    assert_eq!(v.built, built, "{} {}", ds.id, v.name);
                }
                if let Some(last) = want["lastVersion"].as_str() {
                    let is_last: Vec<&str> =
                        ds.versions.iter().filter(|v| v.is_last).map(|v| v.name.as_str()).collect();
                    assert_eq!(is_last, [last]);
                }
            }
        }

        let names: Vec<&str> = site.doc_sets.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Calico", "Calico Enterprise", "Calico Cloud", "use-cases"]);
        let ce =
            site.locate("calico-enterprise_versioned_docs/version-3.22-2/getting-started/index.mdx").expect("3.22-2");
        assert_eq!(site.variable(Some(ce), "prodname"), Some("Calico Enterprise"));
        assert_eq!(site.variable(Some(ce), "baseUrl"), Some("/calico-enterprise/3.22"));
        assert_eq!(site.version_display(ce), "Calico Enterprise 3.22");
        let c = site.locate("calico_versioned_docs/version-3.31/index.mdx").expect("3.31");
        assert_eq!(site.variable(Some(c), "imageNames.typha"), Some("calico/typha"));
        assert_eq!(site.variable(Some(c), "imageNames.calico/node"), Some("calico/node"));
        assert_eq!(site.variable(Some(c), "tigeraOperator.version"), Some("v1.40.15"));
        assert_eq!(site.variable(Some(c), "rootDirWindows"), Some("C:\\CalicoWindows"));
        assert_eq!(site.variable(Some(c), "orchestrators.OpenShift"), Some("OpenShift"), "root variables.js");
        // `[site.json_variables]` stands in for the `require('./releases.json')` the corpus's
        // stripped variables.js files leave out.
        assert_eq!(site.variable(Some(c), "releases.0.components.calico/node.version"), Some("v3.31.7"));
        assert_eq!(site.variable(Some(c), "releases.0.title"), Some("v3.31.7"));
        assert!(site.version(c).variables.get("releases.0.title").is_none(), "not from the stripped JS");
        assert_eq!(site.json_variables, [("releases".to_string(), "releases.json".to_string())]);
        assert!(site.root_json_variables.variables().is_empty(), "no releases.json at the corpus root");
        let ce = site.locate("calico-enterprise_versioned_docs/version-3.24-1/index.mdx").expect("3.24-1");
        assert_eq!(site.variable(Some(ce), "releases.0.components.calicoctl.version"), None, "3.24 dropped calicoctl");
        let uc = site.locate("use-cases/observability.mdx").expect("use-cases");
        assert_eq!(site.version_display(uc), "use-cases");
        assert_eq!(site.variable(Some(uc), "prodname"), None);
    }

    /// Discovery alone finds the same doc sets and folders in the corpus.
    #[test]
    fn tigera_corpus_discovery() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tigera-docs");
        if !root.is_dir() {
            eprintln!("skipping: {} is absent", root.display());
            return;
        }
        let site = load(&root);
        let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["calico", "calico-cloud", "calico-enterprise", "use-cases"]);
        let ce = &site.doc_sets[2];
        let dirs: Vec<&str> = ce.versions.iter().map(|v| v.dir.as_str()).collect();
        assert_eq!(
            dirs,
            [
                "calico-enterprise",
                "calico-enterprise_versioned_docs/version-3.24-1",
                "calico-enterprise_versioned_docs/version-3.23-2",
                "calico-enterprise_versioned_docs/version-3.22-2",
                "calico-enterprise_versioned_docs/version-3.21-2",
            ]
        );
        // Without the config, Docusaurus' default last version is the first versions.json entry.
        assert!(ce.versions[1].is_last);
    }
}
