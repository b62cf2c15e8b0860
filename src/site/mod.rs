//! The site model: doc sets, versions, routes and variables, as Docusaurus sees them.
//!
//! Discovery follows Docusaurus conventions (`<id>/`, `<id>_versioned_docs/version-<v>/`,
//! `<id>_versions.json`, or a plain `docs/`); `docdrift.toml` at the site root overrides it.
//! The submodules split the work: `config` reads `docdrift.toml`, `discover` applies the
//! conventions, [`variables`] reads `variables.js` statically (with the JSON files it exposes)
//! and flattens JSON data files, [`routes`] gives every doc its permalink and resolves URL paths,
//! [`paths`] does root-relative path arithmetic, `packs` loads the rule packs (built in, and
//! the site's own `.docdrift/<name>.toml`), and `init` writes the `docdrift.toml` that
//! `docdrift init` proposes ([`render_init_toml`]).
//!
//! Layer 1, above `diag` and `doc`: it reads a document's front matter when routing, but never a
//! parsed file list; the model (a layer up) hands routing plain [`routes::PageInput`]s. Parsing
//! MDX is left to [`crate::doc`], everything cross-file to `model` and `analysis`.

pub mod bounds;
mod config;
mod discover;
pub mod docusaurus;
mod init;
pub(crate) mod packs;
pub mod paths;
pub mod routes;
pub mod variables;
pub mod write;

pub use bounds::{Bounds, ReadError, check_name};
pub use config::{
    Config, ConfigError, DocSetConfig, DriftAccept, DriftConfig, DriftMap, JsonVariablesConfig, Located, Pos,
    RuleLevel, closest,
};
pub(crate) use config::{TomlCx, entries as toml_entries};
pub use init::render_init_toml;
pub use variables::{JsonFiles, Variables};

use std::path::{Path, PathBuf};

/// Site-wide Markdown settings (Docusaurus `markdown.*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `markdown.mdx1Compat.headingIds`: `## Title {#id}` is supported.
    pub explicit_heading_ids: bool,
    /// `markdown.mdx1Compat.admonitions`: `:::note Title` is supported.
    pub mdx1_admonitions: bool,
    /// `markdown.anchors.maintainCase`.
    pub maintain_case: bool,
    /// Admonition keywords (Docusaurus defaults plus any configured ones).
    pub admonition_keywords: Vec<String>,
    /// `markdown.mdx1Compat.comments`: `<!-- -->` is a comment, not an MDX error.
    pub html_comments: bool,
    /// `markdown.format: 'detect'`: `.md` files are CommonMark (no JSX, no expressions).
    pub format_detect: bool,
    /// `markdown.hooks.onBrokenMarkdownLinks` (formerly the top-level `onBrokenMarkdownLinks`):
    /// what the build does with a `.md`/`.mdx` link it cannot resolve. Docusaurus 3 defaults to
    /// `warn`; the site's Docusaurus config may say `throw`.
    pub on_broken_markdown_links: ReportingSeverity,
}

/// Docusaurus's `ReportingSeverity`: what the build does about a problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ReportingSeverity {
    Ignore,
    Log,
    #[default]
    Warn,
    Throw,
}

pub const DEFAULT_ADMONITION_KEYWORDS: &[&str] =
    &["secondary", "info", "success", "danger", "note", "tip", "warning", "important", "caution"];

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            explicit_heading_ids: false,
            mdx1_admonitions: false,
            maintain_case: false,
            admonition_keywords: DEFAULT_ADMONITION_KEYWORDS.iter().map(|s| s.to_string()).collect(),
            html_comments: false,
            format_detect: false,
            on_broken_markdown_links: ReportingSeverity::default(),
        }
    }
}

/// One docs plugin instance (a product).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocSet {
    /// The plugin id, also the folder of the current version (`calico-enterprise`).
    pub id: String,
    /// How readers know the product ("Calico Enterprise"): config `name`, else `$[prodname]` as
    /// it resolves in the current version (the first version when there is no current one),
    /// else the id.
    pub name: String,
    /// URL segment after the site's base URL (`calico-enterprise`; may be empty).
    pub route_base: String,
    /// Ordered as `<id>_versions.json`, newest first, with `current` first of all.
    pub versions: Vec<Version>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    /// `current` or the name in `<id>_versions.json` (`3.23-2`).
    pub name: String,
    /// Content folder relative to the site root, with `/` separators.
    pub dir: String,
    /// URL path segment (`next`, `latest`, `3.22`, or empty for the doc set root). Defaults as in
    /// Docusaurus: empty for the last version, `next` for `current`, else the version name.
    pub url_path: String,
    /// How readers know the version ("3.22", "next"). Defaults: `next` for `current`, else the
    /// version name.
    pub label: String,
    /// Whether the site build includes this version (links into unbuilt versions are broken).
    pub built: bool,
    /// The doc set's last version (served by default).
    pub is_last: bool,
    /// Whether the site's build writes the folder (it is missing and `.gitignore` lists it): the
    /// version has no documents here and links into its URL space are not checked.
    pub generated: bool,
    /// Variables of this version's own `variables.js`, including the JSON files it exposes
    /// (`const releases = require('./releases.json')` … `{ releases }`).
    pub variables: Variables,
    /// Variables from the `[site.json_variables]` files found in this version's folder.
    pub json_variables: JsonFiles,
}

impl DocSet {
    /// The version named `name` (`current`, `3.23-2`) and its index.
    pub fn version(&self, name: &str) -> Option<(usize, &Version)> {
        self.versions.iter().enumerate().find(|(_, v)| v.name == name)
    }

    /// The version served by default (`lastVersion`).
    pub fn last_version(&self) -> Option<&Version> {
        self.versions.iter().find(|v| v.is_last)
    }
}

/// A fully resolved site.
#[derive(Clone, Debug)]
pub struct Site {
    pub root: PathBuf,
    /// The folders docdrift may read and write: the root and the doc-set folders the
    /// configuration names outside it. Every file of the site is read through it.
    pub bounds: Bounds,
    /// The `docdrift.toml` used, if any.
    pub config_path: Option<PathBuf>,
    pub settings: Settings,
    pub doc_sets: Vec<DocSet>,
    /// The site-level `variables.js` (after every version folder's own).
    pub root_variables: Variables,
    /// The `[site.json_variables]` files found at the site root (after the root `variables.js`).
    pub root_json_variables: JsonFiles,
    /// `[site.json_variables]` as declared: variable name and path relative to a version folder.
    pub json_variables: Vec<(String, String)>,
    /// `[variables]` of `docdrift.toml` (last in the lookup order).
    pub config_variables: Variables,
    /// Per-rule levels from `[rules]`.
    pub rule_levels: Vec<(String, RuleLevel)>,
    /// Per-path rule levels from `[[overrides]]`, in order; later entries win.
    pub overrides: Vec<Override>,
    /// Paths (relative to the root) never read.
    pub ignore: globset::GlobSet,
    /// `[site] generated`: paths a build step creates, so links into them are not checked.
    pub generated: globset::GlobSet,
    /// Where snippet sources live and where their renderings go (`[snippets]`).
    pub snippets: SnippetSettings,
    /// What `docusaurus.config.*` says, when the site has one.
    pub docusaurus: Option<docusaurus::SiteOptions>,
    /// Assumptions made reading the site (unknown config values), each said once.
    pub notes: Vec<String>,
    /// `[drift]` of `docdrift.toml`.
    pub drift: DriftConfig,
    /// Component modules read so far (see [`Site::read_module`]).
    modules: paths::Modules,
}

/// `[snippets]` of `docdrift.toml`, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetSettings {
    /// The folder of snippet sources (absolute, or as joined onto the config file's folder).
    pub sources: PathBuf,
    /// How generated files name their source folder: the setting as written, or
    /// `.docdrift/snippets`, so that renderings do not depend on where the site is checked out.
    pub sources_label: String,
    /// Output path inside each version folder; `{name}` stands for the snippet name.
    pub output: String,
}

pub const DEFAULT_SNIPPET_SOURCES: &str = ".docdrift/snippets";
pub const DEFAULT_SNIPPET_OUTPUT: &str = "_includes/generated/_{name}.mdx";

#[derive(Clone, Debug)]
pub struct Override {
    pub paths: globset::GlobSet,
    pub rule_levels: Vec<(String, RuleLevel)>,
}

/// Where a file sits in the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Location {
    pub doc_set: usize,
    pub version: usize,
}

/// Where discovery found a Docusaurus or docdrift marker: the folder is a site root.
pub const ROOT_MARKERS: &[&str] = &[
    "docdrift.toml",
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
    "docusaurus.config.mts",
];

/// The nearest folder at or above `start` holding `docdrift.toml` or a Docusaurus config.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() { start.parent()? } else { start };
    let mut dir = Some(start);
    while let Some(d) = dir {
        if ROOT_MARKERS.iter().any(|m| d.join(m).is_file()) {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// Everything under `dir` where documents may be: hidden folders and `node_modules` are
/// skipped (`dir` itself is walked whatever its name), and symlinks are not followed. Discovery
/// and `check`'s "no Markdown here" test walk through this; the model's file list walks with
/// `read_dir` (to stat entries relative to their folder) and skips the same names.
pub fn walk(dir: &Path) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped_in_walks(&e.file_name().to_string_lossy()))
}

/// Whether a walk of the site passes over an entry of this name (below the folder it starts
/// in): hidden entries and `node_modules`.
pub fn skipped_in_walks(name: &str) -> bool {
    name.starts_with('.') || name == "node_modules"
}

impl Site {
    /// The component module `base` (a root-relative import path, as
    /// [`paths::resolve_import`] gives it) as Node resolves it, trying the usual extensions:
    /// its root-relative path and text; `None` when no candidate is a file with text in it.
    /// Read once per run: many pages render the same component, and reading it for each
    /// (nine file checks when the module is empty) was thousands of system calls per check.
    pub fn read_module(&self, base: &str) -> Option<paths::Module> {
        self.modules.get_or_read(base, |c| {
            let path = self.root.join(c);
            // One stat rules out the many candidates that do not exist (`X/index.tsx` when `X`
            // is no folder) more cheaply than a failed read, which also resolves the folder.
            // Within the site's bounds: a component symlinked to outside is not read.
            path.is_file().then(|| self.bounds.read_to_string(&path).ok()).flatten()
        })
    }

    /// Model the site at `root`: read `config` (or `root/docdrift.toml` when present), then
    /// discover what the config leaves open. `known_rules` lets `[rules]` reject unknown ids.
    pub fn load(root: &Path, config: Option<&Path>, known_rules: &[&str]) -> Result<Site, ConfigError> {
        discover::load(root, config, known_rules)
    }

    /// Model the site at `root` from an already parsed configuration ([`Config::default`] to
    /// rely on discovery alone).
    pub fn from_config(root: &Path, config: Config) -> Result<Site, ConfigError> {
        discover::build(root, config)
    }

    /// The doc set with plugin id `id`.
    pub fn doc_set(&self, id: &str) -> Option<(usize, &DocSet)> {
        self.doc_sets.iter().enumerate().find(|(_, d)| d.id == id)
    }

    /// The doc set and version whose content folder holds `rel` (a root-relative `/` path).
    pub fn locate(&self, rel: &str) -> Option<Location> {
        let mut best: Option<(usize, Location)> = None;
        for (d, ds) in self.doc_sets.iter().enumerate() {
            for (v, ver) in ds.versions.iter().enumerate() {
                let dir = ver.dir.as_str();
                // The byte after the folder first: it rules out most folders without comparing
                // their names (a commit hook locates every file of the site).
                let inside = dir.is_empty()
                    || (rel.as_bytes().get(dir.len()) == Some(&b'/') && rel.as_bytes().starts_with(dir.as_bytes()));
                if inside && best.is_none_or(|(len, _)| dir.len() > len) {
                    best = Some((dir.len(), Location { doc_set: d, version: v }));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn version(&self, loc: Location) -> &Version {
        &self.doc_sets[loc.doc_set].versions[loc.version]
    }

    /// Resolve a `$[name]` variable as the site does. The lookup order:
    ///
    /// 1. the version folder's `variables.js` (with the JSON files it exposes);
    /// 2. the `[site.json_variables]` files in the version folder;
    /// 3. the root `variables.js`;
    /// 4. the `[site.json_variables]` files at the site root;
    /// 5. `[variables]` in `docdrift.toml`.
    ///
    /// A `[site.json_variables]` file stands for a `require` docdrift cannot see, so it belongs
    /// to the `variables.js` beside it: the plugin consults the whole version object before the
    /// root one. Within one folder the JavaScript literals win, as a property written in the
    /// object wins over data that the declaration only guesses at. The config's `[variables]`
    /// come last: they fill gaps, and never hide what the site itself defines.
    ///
    /// `None` also for a name whose value is computed in `variables.js` (see
    /// [`Site::variable_is_computed`]): the first scope that defines a name decides.
    pub fn variable(&self, loc: Option<Location>, name: &str) -> Option<&str> {
        self.scopes(loc).find_map(|vars| if vars.is_unknown(name) { Some(None) } else { vars.get(name).map(Some) })?
    }

    /// Whether `name` is defined for `loc`, with a known value or a computed one.
    pub fn variable_defined(&self, loc: Option<Location>, name: &str) -> bool {
        self.scopes(loc).any(|vars| vars.is_unknown(name) || vars.get(name).is_some())
    }

    /// Whether `name` is defined for `loc` by a computed property (`a ? b : c`, `f(x)`), whose
    /// value docdrift cannot know without running JavaScript.
    pub fn variable_is_computed(&self, loc: Option<Location>, name: &str) -> bool {
        self.scopes(loc).find_map(|vars| if vars.is_unknown(name) { Some(true) } else { vars.get(name).map(|_| false) })
            == Some(true)
    }

    /// Every variable name visible from `loc`, for suggestions.
    pub fn variable_names(&self, loc: Option<Location>) -> Vec<&str> {
        let mut names: Vec<&str> = self.scopes(loc).flat_map(|v| v.names().chain(v.unknown_names())).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The variable maps visible from `loc`, in lookup order (see [`Site::variable`]).
    fn scopes(&self, loc: Option<Location>) -> impl Iterator<Item = &Variables> {
        variables::lookup_order(
            loc.map(|l| self.version(l)).map(|v| (&v.variables, &v.json_variables)),
            (&self.root_variables, &self.root_json_variables),
            &self.config_variables,
        )
    }

    /// "Calico 3.31", "Calico Enterprise next": how messages name a version.
    pub fn version_display(&self, loc: Location) -> String {
        let ds = &self.doc_sets[loc.doc_set];
        let v = &ds.versions[loc.version];
        if ds.versions.len() == 1 && v.name == "current" { ds.name.clone() } else { format!("{} {}", ds.name, v.label) }
    }
}

/// What the site's unit tests share: a site built file by file in a temporary folder, and
/// loaded with a fixed list of known rules.
#[cfg(test)]
pub(crate) mod testing {
    use super::Site;
    use std::path::{Path, PathBuf};

    /// The rule ids `[rules]` may name in a test site's configuration.
    pub const RULES: &[&str] = &["variable/unknown", "anchor/missing"];

    /// Write `text` to `dir/rel`, creating the folders on the way; the path written.
    pub fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }

    /// The site at `root`, which must load.
    pub fn load(root: &Path) -> Site {
        Site::load(root, None, RULES).unwrap_or_else(|e| panic!("{e}"))
    }
}
