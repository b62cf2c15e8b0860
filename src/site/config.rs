//! `docdrift.toml`: reading and checking the configuration file.
//!
//! This module owns the file format: it parses the TOML with spans, rejects unknown keys, wrong
//! value types and unknown rule ids (each with the file, 1-based line and column, and a
//! suggestion), and hands back a [`Config`] that still says, for each setting, where it was
//! written. It does not look at the site on disk: filling in what the file leaves open from
//! Docusaurus conventions, and checking that version folders exist, is [`super::discover`]'s job.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::Override;
use super::variables::{Variables, line_col};

/// How seriously a rule's findings are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

impl RuleLevel {
    pub const ALL: [RuleLevel; 4] = [RuleLevel::Off, RuleLevel::Info, RuleLevel::Warning, RuleLevel::Error];

    /// The name used in `docdrift.toml` (`off`, `info`, `warning`, `error`).
    pub fn as_str(self) -> &'static str {
        match self {
            RuleLevel::Off => "off",
            RuleLevel::Info => "info",
            RuleLevel::Warning => "warning",
            RuleLevel::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<RuleLevel> {
        RuleLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for RuleLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem with the configuration or with a file it depends on (`variables.js`, a versions
/// file, a missing version folder). `Display` prints `path:line:col: message`, then the help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file at fault (or the folder, when no file is).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem is not tied to a line.
    pub line: usize,
    /// 1-based column in characters; 0 when `line` is 0.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ConfigError {
    pub fn new(path: &Path, line: usize, column: usize, message: impl Into<String>) -> ConfigError {
        ConfigError { path: path.to_path_buf(), line, column, message: message.into(), help: None }
    }

    /// An error at byte offset `offset` of `src`, the text of `path`.
    pub fn at_offset(path: &Path, src: &str, offset: usize, message: impl Into<String>) -> ConfigError {
        let (line, column) = line_col(src, offset);
        ConfigError::new(path, line, column, message)
    }

    /// A `toml` error in the file `path` (text `src`), at its line and column: for rule packs
    /// and other TOML data files read with serde.
    pub fn from_toml(path: &Path, src: &str, e: &toml::de::Error) -> ConfigError {
        let offset = e.span().map_or(0, |s| s.start);
        ConfigError::at_offset(path, src, offset, format!("invalid TOML: {}", e.message().trim_end())).with_help(
            "Fix the entry (see the pack's format in the README), or remove the file to use the built-in pack",
        )
    }

    /// The help line; its first letter is capitalised, as every help line is.
    pub fn with_help(mut self, help: impl Into<String>) -> ConfigError {
        let help = help.into();
        let mut chars = help.chars();
        self.help = Some(match chars.next() {
            Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
            _ => help,
        });
        self
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: {}", self.path.display(), self.line, self.column, self.message)?;
        } else {
            write!(f, "{}: {}", self.path.display(), self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// A 1-based line and column in the configuration file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// A value and where the configuration file states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// The parsed `docdrift.toml`. Every `Option` is `None` when the file does not state the key.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it was read from (`None` for the empty default).
    pub path: Option<PathBuf>,
    pub explicit_heading_ids: Option<bool>,
    pub mdx1_admonitions: Option<bool>,
    pub maintain_case: Option<bool>,
    /// Added to the Docusaurus default keywords.
    pub admonition_keywords: Vec<String>,
    /// `[site] ignore` globs as written.
    pub ignore: Vec<String>,
    /// `[site] max_file_size`: files larger than this many bytes are refused.
    pub max_file_size: Option<u64>,
    /// The same globs, compiled.
    pub ignore_set: GlobSet,
    /// `[site] generated`: folders a build script fills (links into them are not checked).
    pub generated_set: GlobSet,
    /// `[variables]`, nested tables flattened with dots.
    pub variables: Variables,
    /// `[site.json_variables]`, in file order.
    pub json_variables: Vec<JsonVariablesConfig>,
    /// `[rules]`, in file order.
    pub rules: Vec<(String, RuleLevel)>,
    /// `[[overrides]]`, in file order.
    pub overrides: Vec<Override>,
    /// `[[doc_set]]`, in file order; empty means "discover the doc sets".
    pub doc_sets: Vec<DocSetConfig>,
    /// `[env]`: `process.env` values for reading `docusaurus.config.*`.
    pub env: Vec<(String, String)>,
    /// `[snippets] sources`: the folder of snippet sources, relative to the config file.
    pub snippet_sources: Option<Located<String>>,
    /// `[snippets] output`: where a rendering goes, relative to each version folder.
    pub snippet_output: Option<Located<String>>,
    /// `[drift]`.
    pub drift: DriftConfig,
}

/// `[drift]`: how copies of a page are found and which differences are meant.
#[derive(Clone, Debug, Default)]
pub struct DriftConfig {
    /// `map = { "calico-cloud:get-started/" = "getting-started/" }`: in doc set `calico-cloud`,
    /// doc paths under the key's prefix are copies of those under the value's prefix elsewhere.
    /// A prefix without a trailing `/` maps one page. In file order.
    pub map: Vec<DriftMap>,
    /// `[[drift.accept]]`, in file order.
    pub accept: Vec<DriftAccept>,
    /// `ignore = ["release-notes/**"]`: pages (doc paths without extension) whose copies differ
    /// by design, such as release notes and references generated per version.
    pub ignore: GlobSet,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriftMap {
    pub doc_set: String,
    pub from: String,
    pub to: String,
}

/// A difference between copies that is meant: `page` (a doc path without extension, as
/// `docdrift drift` names pages), `copies` (`calico-cloud` for a whole doc set, or
/// `calico@3.29` for one version), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriftAccept {
    pub page: String,
    pub copies: Vec<String>,
    pub reason: String,
}

/// One `[site.json_variables]` entry: `name = "path"`. The JSON file at `path` (relative to each
/// version folder, and to the site root) provides the variables `name.…`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonVariablesConfig {
    /// The variable name the data appear under (`releases`), and where it is written.
    pub name: Located<String>,
    /// The file, relative to a version folder (`releases.json`), and where it is written.
    pub path: Located<String>,
}

/// One `[[doc_set]]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocSetConfig {
    /// The plugin id and where the `[[doc_set]]` states it.
    pub id: Located<String>,
    pub path: Option<Located<String>>,
    pub name: Option<Located<String>>,
    pub route_base: Option<Located<String>>,
    pub last_version: Option<Located<String>>,
    pub versions_file: Option<Located<String>>,
    pub versioned_path: Option<Located<String>>,
    /// `false` mirrors the docs plugin's `includeCurrentVersion: false`.
    pub include_current: Option<Located<bool>>,
    pub built_versions: Option<Vec<Located<String>>>,
    /// Version name (with its position) → URL segment, in file order.
    pub url_paths: Vec<(Located<String>, String)>,
    /// Version name (with its position) → label, in file order.
    pub labels: Vec<(Located<String>, String)>,
}

impl DocSetConfig {
    /// A `[[doc_set]]` that states only its id.
    pub fn new(id: &str) -> DocSetConfig {
        DocSetConfig {
            id: Located { value: id.to_string(), pos: Pos::default() },
            path: None,
            name: None,
            route_base: None,
            last_version: None,
            versions_file: None,
            versioned_path: None,
            include_current: None,
            built_versions: None,
            url_paths: Vec::new(),
            labels: Vec::new(),
        }
    }
}

const TOP_KEYS: &[&str] = &["site", "variables", "rules", "overrides", "doc_set", "env", "snippets", "drift"];
const SNIPPETS_KEYS: &[&str] = &["sources", "output"];
const DRIFT_KEYS: &[&str] = &["map", "accept", "ignore"];
const DRIFT_ACCEPT_KEYS: &[&str] = &["page", "copies", "reason"];
const SITE_KEYS: &[&str] = &[
    "explicit_heading_ids",
    "mdx1_admonitions",
    "maintain_case",
    "admonition_keywords",
    "ignore",
    "json_variables",
    "max_file_size",
    "generated",
];
const OVERRIDE_KEYS: &[&str] = &["paths", "rules"];
const DOC_SET_KEYS: &[&str] = &[
    "id",
    "path",
    "name",
    "route_base",
    "last_version",
    "versions_file",
    "versioned_path",
    "include_current",
    "built_versions",
    "url_paths",
    "labels",
];

/// The candidate closest to `word`, if any is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase());
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c)
}

impl Config {
    /// Read and check `path`; `known_rules` are the rule ids `[rules]` may name.
    pub fn read(path: &Path, known_rules: &[&str]) -> Result<Config, ConfigError> {
        let src = std::fs::read_to_string(path).map_err(|e| {
            ConfigError::new(path, 0, 0, format!("cannot read the configuration: {e}"))
                .with_help("Check the path given with `--config`, or run `docdrift init` to write one")
        })?;
        Config::parse(&src, path, known_rules)
    }

    /// Parse `src`, the text of `path` (used in error messages).
    pub fn parse(src: &str, path: &Path, known_rules: &[&str]) -> Result<Config, ConfigError> {
        let cx = Cx { toml: TomlCx { path, src, base: 0 }, known_rules };
        let doc = DeTable::parse(src).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ConfigError::at_offset(path, src, offset, format!("invalid TOML: {}", e.message().trim_end()))
                .with_help("Fix the TOML syntax (see https://toml.io)")
        })?;
        let mut config = Config { path: Some(path.to_path_buf()), ..Config::default() };
        for (key, value) in entries(doc.get_ref()) {
            match key.get_ref().as_ref() {
                "site" => cx.site(value, &mut config)?,
                "variables" => {
                    let t = cx.table(value, "`variables`", "[variables]")?;
                    cx.variables("", t, &mut config.variables)?;
                }
                "env" => {
                    let t = cx.table(value, "`env`", "[env]")?;
                    for (k, v) in entries(t) {
                        let name = k.get_ref().to_string();
                        let value = cx.string(v, &format!("`{name}` in [env]"))?;
                        config.env.push((name, value));
                    }
                }
                "rules" => {
                    let t = cx.table(value, "`rules`", "[rules]")?;
                    config.rules = cx.rules(t, "[rules]")?;
                }
                "overrides" => {
                    for t in cx.array_of_tables(value, "overrides")? {
                        config.overrides.push(cx.override_table(t)?);
                    }
                }
                "doc_set" => {
                    for t in cx.array_of_tables(value, "doc_set")? {
                        let ds = cx.doc_set(t)?;
                        if let Some(prev) = config.doc_sets.iter().find(|d| d.id.value == ds.id.value) {
                            return Err(cx
                                .err_pos(ds.id.pos, format!("doc set `{}` is listed twice", ds.id.value))
                                .with_help(format!("Merge it with the `[[doc_set]]` on line {}", prev.id.pos.line)));
                        }
                        config.doc_sets.push(ds);
                    }
                }
                "snippets" => cx.snippets(value, &mut config)?,
                "drift" => config.drift = cx.drift(value)?,
                _ => return Err(cx.unknown_key(key, "at the top level", TOP_KEYS)),
            }
        }
        Ok(config)
    }
}

/// Entries of a table in the order the file writes them.
pub(crate) fn entries<'a, 'i>(t: &'a DeTable<'i>) -> Vec<(&'a Spanned<DeString<'i>>, &'a Spanned<DeValue<'i>>)> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// TOML spelling of a key: bare when possible, else quoted. Keys that start with a digit
/// (version names such as `23-2`) are quoted too, so that they read as names, not numbers.
pub(crate) fn toml_key(k: &str) -> String {
    if k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        toml_string(k)
    }
}

/// A TOML basic string.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Reading a TOML table parsed with spans: positions, errors at a span, unknown keys with the
/// closest name, wrong types. `docdrift.toml` is read with it, and so are snippet sources
/// (`crate::snippets::source`), whose TOML is the front matter of an MDX file.
pub(crate) struct TomlCx<'a> {
    pub path: &'a Path,
    /// The whole file.
    pub src: &'a str,
    /// Where the parsed TOML starts in `src`: its spans count from here.
    pub base: usize,
}

impl TomlCx<'_> {
    pub fn pos(&self, span: Range<usize>) -> Pos {
        let (line, column) = line_col(self.src, self.base + span.start);
        Pos { line, column }
    }

    pub fn err(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        ConfigError::at_offset(self.path, self.src, self.base + span.start, message)
    }

    pub fn err_pos(&self, pos: Pos, message: impl Into<String>) -> ConfigError {
        ConfigError::new(self.path, pos.line, pos.column, message)
    }

    pub fn unknown_key(&self, key: &Spanned<DeString<'_>>, section: &str, allowed: &[&str]) -> ConfigError {
        let name = key.get_ref();
        match closest(name, allowed.iter().copied()) {
            Some(s) => self
                .err(key.span(), format!("unknown key `{name}` {section}; did you mean `{s}`?"))
                .with_help(format!("Rename the key to `{s}`")),
            None => self
                .err(key.span(), format!("unknown key `{name}` {section}"))
                .with_help(format!("Remove it; the keys allowed {section} are {}", list(allowed))),
        }
    }

    pub fn wrong_type(&self, value: &Spanned<DeValue<'_>>, what: &str, expected: &str) -> ConfigError {
        self.err(value.span(), format!("{what} must be {expected}, found {}", type_name(value.get_ref())))
            .with_help(format!("Write {what} as {expected}"))
    }

    pub fn string(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<String, ConfigError> {
        v.get_ref().as_str().map(str::to_string).ok_or_else(|| self.wrong_type(v, what, "a string"))
    }

    pub fn array_of_tables<'v, 'i>(
        &self,
        v: &'v Spanned<DeValue<'i>>,
        name: &str,
    ) -> Result<Vec<&'v DeTable<'i>>, ConfigError> {
        Ok(self.array_of_tables_spanned(v, name)?.into_iter().map(|(t, _)| t).collect())
    }

    /// [`TomlCx::array_of_tables`], each table with the span of its first key (where an error
    /// about the whole entry points).
    pub fn array_of_tables_spanned<'v, 'i>(
        &self,
        v: &'v Spanned<DeValue<'i>>,
        name: &str,
    ) -> Result<Vec<(&'v DeTable<'i>, Range<usize>)>, ConfigError> {
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self
                .err(v.span(), format!("`{name}` must be an array of tables, found {}", type_name(v.get_ref())))
                .with_help(format!("Write each entry as a `[[{name}]]` table")));
        };
        items
            .iter()
            .map(|item| match item.get_ref() {
                DeValue::Table(t) => {
                    let span = t.iter().map(|(k, _)| k.span()).min_by_key(|s| s.start).unwrap_or(item.span());
                    Ok((t, span))
                }
                _ => Err(self.wrong_type(item, &format!("each `{name}` entry"), "a table")),
            })
            .collect()
    }
}

struct Cx<'a> {
    toml: TomlCx<'a>,
    known_rules: &'a [&'a str],
}

impl<'a> std::ops::Deref for Cx<'a> {
    type Target = TomlCx<'a>;

    fn deref(&self) -> &TomlCx<'a> {
        &self.toml
    }
}

impl Cx<'_> {
    fn table<'v, 'i>(
        &self,
        v: &'v Spanned<DeValue<'i>>,
        what: &str,
        section: &str,
    ) -> Result<&'v DeTable<'i>, ConfigError> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(v, what, &format!("a table (`{section}` or `{{ ... }}`)"))),
        }
    }

    fn bool(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<bool, ConfigError> {
        v.get_ref().as_bool().ok_or_else(|| self.wrong_type(v, what, "`true` or `false`"))
    }

    /// An integer that fits an `i64`; TOML allows no others, and a wider one is an error here,
    /// not a silent wrap.
    fn integer(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<i64, ConfigError> {
        let i = v.get_ref().as_integer().ok_or_else(|| self.wrong_type(v, what, "an integer"))?;
        i64::from_str_radix(i.as_str(), i.radix()).map_err(|_| {
            self.err(v.span(), format!("{what} is out of range: TOML integers are 64-bit"))
                .with_help("Write a number between -9223372036854775808 and 9223372036854775807, or a string")
        })
    }

    fn located_string(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<Located<String>, ConfigError> {
        Ok(Located { value: self.string(v, what)?, pos: self.pos(v.span()) })
    }

    fn strings(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<Vec<Located<String>>, ConfigError> {
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self.wrong_type(v, what, "an array of strings (`[\"a\", \"b\"]`)"));
        };
        items.iter().map(|item| self.located_string(item, &format!("each entry of {what}"))).collect()
    }

    fn globs(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<(Vec<String>, GlobSet), ConfigError> {
        let DeValue::Array(items) = v.get_ref() else {
            return Err(self.wrong_type(v, what, "an array of globs (`[\"a/**\"]`)"));
        };
        let mut patterns = Vec::new();
        let mut set = GlobSetBuilder::new();
        for item in items.iter() {
            let pattern = self.string(item, &format!("each entry of {what}"))?;
            let glob = GlobBuilder::new(&pattern).literal_separator(true).build().map_err(|e| {
                self.err(item.span(), format!("invalid glob `{pattern}`: {}", e.kind())).with_help(
                    "Write a glob relative to the site root, such as `calico_versioned_docs/version-3.29/**`",
                )
            })?;
            set.add(glob);
            patterns.push(pattern);
        }
        let set = set
            .build()
            .map_err(|e| self.err(v.span(), format!("invalid globs: {e}")).with_help("Simplify the globs"))?;
        Ok((patterns, set))
    }

    fn site(&self, v: &Spanned<DeValue<'_>>, config: &mut Config) -> Result<(), ConfigError> {
        let t = self.table(v, "`site`", "[site]")?;
        for (key, value) in entries(t) {
            let what = format!("`{}` in [site]", key.get_ref());
            match key.get_ref().as_ref() {
                "explicit_heading_ids" => config.explicit_heading_ids = Some(self.bool(value, &what)?),
                "mdx1_admonitions" => config.mdx1_admonitions = Some(self.bool(value, &what)?),
                "maintain_case" => config.maintain_case = Some(self.bool(value, &what)?),
                "admonition_keywords" => {
                    config.admonition_keywords = self.strings(value, &what)?.into_iter().map(|l| l.value).collect();
                }
                "ignore" => (config.ignore, config.ignore_set) = self.globs(value, &what)?,
                "generated" => config.generated_set = self.globs(value, &what)?.1,
                "max_file_size" => match self.integer(value, &what)? {
                    n if n > 0 && n < u32::MAX as i64 => config.max_file_size = Some(n as u64),
                    n => {
                        return Err(self
                            .err(value.span(), format!("{what} must be between 1 and {}, found {n}", u32::MAX - 1))
                            .with_help("Give a size in bytes, such as 16777216 (16 MiB, the default)"));
                    }
                },
                "json_variables" => {
                    let t = self.table(value, &what, "[site.json_variables]")?;
                    config.json_variables = self.json_variables(t)?;
                }
                _ => return Err(self.unknown_key(key, "in [site]", SITE_KEYS)),
            }
        }
        Ok(())
    }

    /// `[snippets]`: where snippet sources live and where renderings go (see `crate::snippets`).
    fn snippets(&self, v: &Spanned<DeValue<'_>>, config: &mut Config) -> Result<(), ConfigError> {
        let t = self.table(v, "`snippets`", "[snippets]")?;
        for (key, value) in entries(t) {
            let what = format!("`{}` in [snippets]", key.get_ref());
            let s = self.located_string(value, &what)?;
            let p = s.value.replace('\\', "/");
            let usable = match key.get_ref().as_ref() {
                "sources" => !p.is_empty(),
                _ => {
                    !p.starts_with('/')
                        && !Path::new(&p).is_absolute()
                        && !p.split('/').any(|seg| seg == "..")
                        && p.contains("{name}")
                }
            };
            match key.get_ref().as_ref() {
                "sources" | "output" if !usable => {
                    return Err(self.err(value.span(), format!("{what} is not a usable path")).with_help(
                        "Write `sources` as a folder relative to this file, and `output` as a path inside each \
                         version folder containing `{name}`, such as `_includes/generated/_{name}.mdx`",
                    ));
                }
                "sources" => config.snippet_sources = Some(s),
                "output" => config.snippet_output = Some(s),
                _ => return Err(self.unknown_key(key, "in [snippets]", SNIPPETS_KEYS)),
            }
        }
        Ok(())
    }

    fn drift(&self, v: &Spanned<DeValue<'_>>) -> Result<DriftConfig, ConfigError> {
        let t = self.table(v, "`drift`", "[drift]")?;
        let mut out = DriftConfig::default();
        for (key, value) in entries(t) {
            match key.get_ref().as_ref() {
                "map" => {
                    let m = self.table(value, "`map` in [drift]", "map = { \"doc-set:path/\" = \"path/\" }")?;
                    for (k, to) in entries(m) {
                        let Some((doc_set, from)) = k.get_ref().split_once(':') else {
                            return Err(self
                                .err(k.span(), format!("`{}` in [drift] map names no doc set", k.get_ref()))
                                .with_help("Write the key as `doc-set-id:doc/path/`"));
                        };
                        let to = self.string(to, "each value of `map` in [drift]")?;
                        out.map.push(DriftMap { doc_set: doc_set.to_string(), from: from.to_string(), to });
                    }
                }
                "ignore" => out.ignore = self.globs(value, "`ignore` in [drift]")?.1,
                "accept" => {
                    for a in self.array_of_tables(value, "drift.accept")? {
                        out.accept.push(self.drift_accept(a)?);
                    }
                }
                _ => return Err(self.unknown_key(key, "in [drift]", DRIFT_KEYS)),
            }
        }
        Ok(out)
    }

    fn drift_accept(&self, t: &DeTable<'_>) -> Result<DriftAccept, ConfigError> {
        let (mut page, mut copies, mut reason) = (None, Vec::new(), None);
        for (key, value) in entries(t) {
            let what = format!("`{}` in [[drift.accept]]", key.get_ref());
            match key.get_ref().as_ref() {
                "page" => page = Some(self.string(value, &what)?),
                "copies" => copies = self.strings(value, &what)?.into_iter().map(|l| l.value).collect(),
                "reason" => reason = Some(self.string(value, &what)?),
                _ => return Err(self.unknown_key(key, "in [[drift.accept]]", DRIFT_ACCEPT_KEYS)),
            }
        }
        let missing = |key: &str| {
            let span = t.iter().next().map_or(0..0, |(k, _)| k.span());
            self.err(span, format!("a [[drift.accept]] entry has no `{key}`"))
                .with_help("Give each [[drift.accept]] a `page`, the `copies` that differ on purpose and a `reason`")
        };
        let page = page.ok_or_else(|| missing("page"))?;
        let reason = reason.ok_or_else(|| missing("reason"))?;
        if copies.is_empty() {
            return Err(missing("copies"));
        }
        Ok(DriftAccept { page: page.trim_matches('/').to_string(), copies, reason })
    }

    /// `[site.json_variables]`: variable name → JSON file relative to each version folder.
    fn json_variables(&self, t: &DeTable<'_>) -> Result<Vec<JsonVariablesConfig>, ConfigError> {
        let mut out = Vec::new();
        for (key, value) in entries(t) {
            let name = key.get_ref().to_string();
            // The token syntax `$[name]`: ASCII word characters, `.`, `/` and `-`.
            let token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-');
            if name.is_empty() || !name.chars().all(token_char) || name.starts_with('.') || name.ends_with('.') {
                return Err(self
                    .err(key.span(), format!("`{name}` in [site.json_variables] cannot be part of a `$[name]` token"))
                    .with_help("Use letters, digits, `_`, `/`, `-` and inner `.`, as in `releases`"));
            }
            let what = format!("`{name}` in [site.json_variables]");
            let path = self.located_string(value, &what)?;
            let p = path.value.replace('\\', "/");
            if p.trim_start_matches("./").is_empty()
                || p.ends_with('/')
                || p.starts_with('/')
                || Path::new(&p).is_absolute()
            {
                return Err(self
                    .err(value.span(), format!("{what} must be a file path relative to a version folder"))
                    .with_help("Write the JSON file's path inside each version folder, such as `releases.json`"));
            }
            out.push(JsonVariablesConfig { name: Located { value: name, pos: self.pos(key.span()) }, path });
        }
        Ok(out)
    }

    fn variables(&self, prefix: &str, t: &DeTable<'_>, out: &mut Variables) -> Result<(), ConfigError> {
        for (key, value) in entries(t) {
            let name =
                if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{}", key.get_ref()) };
            match value.get_ref() {
                DeValue::String(s) => {
                    out.insert(name, s.to_string());
                }
                DeValue::Integer(_) => {
                    let i = self.integer(value, &format!("variable `{name}`"))?;
                    out.insert(name, i.to_string());
                }
                DeValue::Float(f) => {
                    out.insert(name, f.as_str().to_string());
                }
                DeValue::Table(t) => self.variables(&name, t, out)?,
                _ => return Err(self.wrong_type(value, &format!("variable `{name}`"), "a string")),
            }
        }
        Ok(())
    }

    fn rule_level(&self, v: &Spanned<DeValue<'_>>, id: &str) -> Result<RuleLevel, ConfigError> {
        let what = format!("the level of `{id}`");
        let s = self.string(v, &what)?;
        RuleLevel::parse(&s).ok_or_else(|| {
            let names = RuleLevel::ALL.map(RuleLevel::as_str);
            let e = self.err(v.span(), format!("unknown level `{s}` for `{id}`"));
            match closest(&s, names) {
                Some(c) => e.with_help(format!("did you mean `{c}`? The levels are {}", list(&names))),
                None => e.with_help(format!("Use one of {}", list(&names))),
            }
        })
    }

    fn rules(&self, t: &DeTable<'_>, section: &str) -> Result<Vec<(String, RuleLevel)>, ConfigError> {
        let mut out = Vec::new();
        for (key, value) in entries(t) {
            let id = key.get_ref().as_ref();
            if !self.known_rules.contains(&id) {
                return Err(match closest(id, self.known_rules.iter().copied()) {
                    Some(c) => self
                        .err(key.span(), format!("unknown rule `{id}` in {section}; did you mean `{c}`?"))
                        .with_help(format!("Write `{c}`")),
                    None => self
                        .err(key.span(), format!("unknown rule `{id}` in {section}"))
                        .with_help("Run `docdrift rules` to list the rule ids"),
                });
            }
            out.push((id.to_string(), self.rule_level(value, id)?));
        }
        Ok(out)
    }

    fn override_table(&self, t: &DeTable<'_>) -> Result<Override, ConfigError> {
        let mut paths = None;
        let mut rules = None;
        for (key, value) in entries(t) {
            match key.get_ref().as_ref() {
                "paths" => paths = Some(self.globs(value, "`paths` in [[overrides]]")?.1),
                "rules" => {
                    let t = self.table(value, "`rules` in [[overrides]]", "rules = { ... }")?;
                    rules = Some(self.rules(t, "[[overrides]]")?);
                }
                _ => return Err(self.unknown_key(key, "in [[overrides]]", OVERRIDE_KEYS)),
            }
        }
        let missing = |key: &str| {
            let span = t.iter().next().map_or(0..0, |(k, _)| k.span());
            self.err(span, format!("an [[overrides]] entry has no `{key}`")).with_help(
                "Give each [[overrides]] both `paths = [\"glob/**\"]` and `rules = { \"rule/id\" = \"off\" }`",
            )
        };
        Ok(Override {
            paths: paths.ok_or_else(|| missing("paths"))?,
            rule_levels: rules.ok_or_else(|| missing("rules"))?,
        })
    }

    fn doc_set(&self, t: &DeTable<'_>) -> Result<DocSetConfig, ConfigError> {
        let mut ds = DocSetConfig::new("");
        let mut id = None;
        for (key, value) in entries(t) {
            let k = key.get_ref().as_ref();
            let what = format!("`{k}` in [[doc_set]]");
            match k {
                "id" => id = Some(self.located_string(value, &what)?),
                "path" => ds.path = Some(self.located_string(value, &what)?),
                "name" => ds.name = Some(self.located_string(value, &what)?),
                "route_base" => ds.route_base = Some(self.located_string(value, &what)?),
                "last_version" => ds.last_version = Some(self.located_string(value, &what)?),
                "versions_file" => ds.versions_file = Some(self.located_string(value, &what)?),
                "versioned_path" => ds.versioned_path = Some(self.located_string(value, &what)?),
                "include_current" => {
                    ds.include_current = Some(Located { value: self.bool(value, &what)?, pos: self.pos(value.span()) });
                }
                "built_versions" => ds.built_versions = Some(self.strings(value, &what)?),
                "url_paths" | "labels" => {
                    let section = format!("[doc_set.{k}]");
                    let t = self.table(value, &what, &section)?;
                    let mut map = Vec::new();
                    for (name, v) in entries(t) {
                        let value = self.string(v, &format!("`{}` in {section}", name.get_ref()))?;
                        map.push((Located { value: name.get_ref().to_string(), pos: self.pos(name.span()) }, value));
                    }
                    if k == "url_paths" {
                        ds.url_paths = map;
                    } else {
                        ds.labels = map;
                    }
                }
                _ => return Err(self.unknown_key(key, "in [[doc_set]]", DOC_SET_KEYS)),
            }
        }
        let Some(id) = id else {
            let span = t.iter().map(|(k, _)| k.span()).min_by_key(|s| s.start).unwrap_or(0..0);
            return Err(self
                .err(span, "a [[doc_set]] has no `id`")
                .with_help("Add `id = \"...\"`: the docs plugin id (its `path` defaults to the id)"));
        };
        if id.value.is_empty() {
            return Err(self.err_pos(id.pos, "the doc set `id` is empty").with_help("Write the docs plugin id"));
        }
        ds.id = id;
        Ok(ds)
    }
}

fn list(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[&str] = &["variable/unknown", "syntax/admonition-legacy-title", "anchor/missing"];

    fn parse(src: &str) -> Result<Config, ConfigError> {
        Config::parse(src, Path::new("docdrift.toml"), RULES)
    }

    fn error(src: &str) -> ConfigError {
        match parse(src) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => e,
        }
    }

    const FULL: &str = r#"
[site]
explicit_heading_ids = false      # mdx1Compat.headingIds
mdx1_admonitions = false          # mdx1Compat.admonitions (`:::note Title`)
maintain_case = false             # markdown.anchors.maintainCase
admonition_keywords = ["mykeyword"]  # added to the Docusaurus defaults
ignore = ["**/node_modules/**"]   # globs relative to the root
[variables]                        # last in the variable lookup order
prodname = "Calico"
[rules]
"variable/unknown" = "warning"    # off | info | warning | error
[[overrides]]
paths = ["calico_versioned_docs/version-3.29/**"]
rules = { "syntax/admonition-legacy-title" = "off" }
[[doc_set]]
id = "calico-enterprise"          # plugin id
path = "calico-enterprise"        # folder of the current version (default: id)
name = "Calico Enterprise"
route_base = "calico-enterprise"  # default: id
last_version = "3.23-2"           # default: first entry of <id>_versions.json
versions_file = "calico-enterprise_versions.json"      # defaults from the conventions
versioned_path = "calico-enterprise_versioned_docs"
built_versions = ["3.24-1", "3.23-2"]   # default: all; a link into an unbuilt version is broken
[doc_set.url_paths]               # version name -> URL segment ("" = doc set root)
current = "next"
"3.24-1" = "3.24"
"3.23-2" = "latest"
[doc_set.labels]                  # version name -> how readers know it ("3.24 (early preview)")
"3.23-2" = "3.23"
"#;

    #[test]
    fn reads_the_documented_example() {
        let c = parse(FULL).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.explicit_heading_ids, Some(false));
        assert_eq!(c.mdx1_admonitions, Some(false));
        assert_eq!(c.maintain_case, Some(false));
        assert_eq!(c.admonition_keywords, vec!["mykeyword"]);
        assert!(c.ignore_set.is_match("a/node_modules/b.md"));
        assert_eq!(c.variables.get("prodname"), Some("Calico"));
        assert_eq!(c.rules, vec![("variable/unknown".to_string(), RuleLevel::Warning)]);
        assert_eq!(c.overrides.len(), 1);
        assert!(c.overrides[0].paths.is_match("calico_versioned_docs/version-3.29/a/b.mdx"));
        assert_eq!(c.overrides[0].rule_levels, vec![("syntax/admonition-legacy-title".to_string(), RuleLevel::Off)]);
        let ds = &c.doc_sets[0];
        assert_eq!(ds.id.value, "calico-enterprise");
        assert_eq!(ds.id.pos, Pos { line: 16, column: 6 });
        assert_eq!(ds.last_version.as_ref().map(|l| l.value.as_str()), Some("3.23-2"));
        let built: Vec<&str> = ds.built_versions.iter().flatten().map(|l| l.value.as_str()).collect();
        assert_eq!(built, ["3.24-1", "3.23-2"]);
        let urls: Vec<(&str, &str)> = ds.url_paths.iter().map(|(k, v)| (k.value.as_str(), v.as_str())).collect();
        assert_eq!(urls, [("current", "next"), ("3.24-1", "3.24"), ("3.23-2", "latest")]);
        assert_eq!(ds.labels[0].0.pos, Pos { line: 29, column: 1 });
    }

    #[test]
    fn unknown_keys_suggest_the_closest() {
        let e = error("[site]\nexplicit_heading_id = true\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.message, "unknown key `explicit_heading_id` in [site]; did you mean `explicit_heading_ids`?");
        assert_eq!(
            e.to_string(),
            "docdrift.toml:2:1: unknown key `explicit_heading_id` in [site]; did you mean `explicit_heading_ids`?\n  help: Rename the key to `explicit_heading_ids`"
        );

        let e = error("[[doc_sets]]\nid = 'x'\n");
        assert_eq!((e.line, e.column), (1, 3));
        assert!(e.message.contains("did you mean `doc_set`?"), "{e}");

        let e = error("[[doc_set]]\nid = 'x'\nroute_bas = 'y'\n");
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("did you mean `route_base`?"), "{e}");

        let e = error("[[doc_set]]\nid = 'x'\n[doc_set.url_paths]\ncurrent = 'next'\n[doc_set.label]\n");
        assert_eq!((e.line, e.column), (5, 10));
        assert!(e.message.contains("did you mean `labels`?"), "{e}");

        let e = error("[[overrides]]\npath = ['a']\n");
        assert!(e.message.contains("did you mean `paths`?"), "{e}");

        let e = error("[site]\nzzz = 1\n");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("`ignore`")), "{e}");
    }

    #[test]
    fn wrong_types_are_errors() {
        let e = error("[site]\nmaintain_case = \"yes\"\n");
        assert_eq!((e.line, e.column), (2, 17));
        assert_eq!(e.message, "`maintain_case` in [site] must be `true` or `false`, found a string");

        let e = error("[[doc_set]]\nid = 'a'\nbuilt_versions = '3.1'\n");
        assert_eq!((e.line, e.column), (3, 18));

        let e = error("[[doc_set]]\nid = 'a'\nbuilt_versions = ['3.1', 2]\n");
        assert_eq!((e.line, e.column), (3, 26));

        let e = error("[doc_set]\nid = 'a'\n");
        assert!(e.message.contains("must be an array of tables"), "{e}");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("[[doc_set]]")));

        let e = error("[variables]\nflag = true\n");
        assert_eq!((e.line, e.column), (2, 8));

        let e = error("[[doc_set]]\npath = 'a'\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("no `id`"), "{e}");

        let e = error("[site]\nignore = ['a/[b']\n");
        assert!(e.message.contains("invalid glob"), "{e}");
        assert_eq!((e.line, e.column), (2, 11));
    }

    #[test]
    fn unknown_rules_and_levels() {
        let e = error("[rules]\n\"variable/unknwon\" = \"off\"\n");
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(e.message, "unknown rule `variable/unknwon` in [rules]; did you mean `variable/unknown`?");

        let e = error("[[overrides]]\npaths = ['x/**']\nrules = { 'anchor/mising' = 'off' }\n");
        assert_eq!((e.line, e.column), (3, 11));
        assert!(e.message.contains("did you mean `anchor/missing`?"), "{e}");

        let e = error("[rules]\n'anchor/missing' = 'warn'\n");
        assert_eq!((e.line, e.column), (2, 20));
        assert!(e.help.as_deref().is_some_and(|h| h.contains("`warning`")), "{e}");

        let e = error("[rules]\n'zzz' = 'off'\n");
        assert!(e.help.as_deref().is_some_and(|h| h.contains("docdrift rules")), "{e}");

        let e = error("[[overrides]]\npaths = ['x/**']\n");
        assert!(e.message.contains("no `rules`"), "{e}");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let e = error("[site]\nignore = [\n");
        assert!(e.line >= 2, "{e}");
        assert!(e.message.starts_with("invalid TOML"), "{e}");
    }

    #[test]
    fn json_variables_are_read_with_positions() {
        let c = parse(
            "[site]\nignore = []\n[site.json_variables]\nreleases = 'releases.json'\n'data/v1' = './data/v1.json'\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, Pos, &str, Pos)> = c
            .json_variables
            .iter()
            .map(|j| (j.name.value.as_str(), j.name.pos, j.path.value.as_str(), j.path.pos))
            .collect();
        assert_eq!(
            got,
            [
                ("releases", Pos { line: 4, column: 1 }, "releases.json", Pos { line: 4, column: 12 }),
                ("data/v1", Pos { line: 5, column: 1 }, "./data/v1.json", Pos { line: 5, column: 13 }),
            ]
        );
        let e = error("[site.json_variables]\nreleases = ['a.json']\n");
        assert_eq!((e.line, e.column), (2, 12));
        let e = error("[site.json_variables]\n'.releases' = 'a.json'\n");
        assert!(e.message.contains("cannot be part of a `$[name]` token"), "{e}");
        let e = error("[site.json_variables]\nreleases = './'\n");
        assert!(e.message.contains("relative to a version folder"), "{e}");
        let e = error("[site]\njson_variables = 'releases.json'\n");
        assert!(e.message.contains("must be a table"), "{e}");
    }

    #[test]
    fn nested_variables_are_dotted() {
        let c = parse(
            "[variables]\nimageNames.typha = 'calico/typha'\nport = 5473\n[variables.tigeraOperator]\nversion = 'v1'\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, &str)> = c.variables.iter().collect();
        assert_eq!(got, [("imageNames.typha", "calico/typha"), ("port", "5473"), ("tigeraOperator.version", "v1")]);
    }

    #[test]
    fn duplicate_doc_sets_are_errors() {
        let e = error("[[doc_set]]\nid = 'a'\n[[doc_set]]\nid = 'a'\n");
        assert_eq!((e.line, e.column), (4, 6));
    }

    #[test]
    fn closest_needs_a_plausible_match() {
        assert_eq!(closest("ignor", ["ignore", "site"]), Some("ignore"));
        assert_eq!(closest("qqqq", ["ignore", "site"]), None);
    }
}
