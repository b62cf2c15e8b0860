//! What an evaluated Docusaurus config means: site options, presets and plugin instances, each
//! setting with where it is written (or `None` for Docusaurus' default).
//!
//! This module owns Docusaurus 3's option names and defaults (`baseUrl`, `markdown.*`,
//! `future.v4`, the classic preset, the docs/blog/pages/client-redirects plugins). Values the
//! evaluator ([`super::eval`]) could not know fall back to the default, and each such fallback
//! is recorded once as a note. Turning the instances into doc sets and routes is left to
//! [`crate::site`].

use super::eval::{Origin, Sources, Val, Value};

/// Where a setting is written: file (relative to the site root, `/` separators), line, column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct At {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// A setting's value, and where the config states it (`None`: Docusaurus' default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub at: Option<At>,
}

impl<T> Setting<T> {
    fn default(value: T) -> Setting<T> {
        Setting { value, at: None }
    }
}

/// An option whose value is not statically known, for `docdrift init` to mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOption {
    /// `baseUrl`, `docs plugin \`calico\`: onlyIncludeVersions`.
    pub option: String,
    pub at: At,
    /// The expression as written, or the environment variable it depends on.
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionOptions {
    pub name: String,
    pub path: Option<Setting<String>>,
    pub label: Option<Setting<String>>,
}

/// One `@docusaurus/plugin-content-docs` instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocsOptions {
    pub id: Setting<String>,
    /// Relative to the site folder; may leave it (`../docs`).
    pub path: Setting<String>,
    pub route_base_path: Setting<String>,
    pub versions: Vec<VersionOptions>,
    pub last_version: Option<Setting<String>>,
    pub only_include_versions: Option<Setting<Vec<String>>>,
    pub include_current_version: Setting<bool>,
    pub include: Setting<Vec<String>>,
    pub exclude: Setting<Vec<String>>,
    pub admonition_keywords: Vec<String>,
}

/// One `@docusaurus/plugin-content-blog` instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlogOptions {
    pub id: Setting<String>,
    pub path: Setting<String>,
    pub route_base_path: Setting<String>,
    pub tags_base_path: Setting<String>,
    pub archive_base_path: Setting<Option<String>>,
    pub page_base_path: Setting<String>,
}

/// One `@docusaurus/plugin-content-pages` instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PagesOptions {
    pub id: Setting<String>,
    pub path: Setting<String>,
    pub route_base_path: Setting<String>,
}

/// A `@docusaurus/plugin-client-redirects` entry: each `from` redirects to `to`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectOptions {
    pub from: Vec<String>,
    pub to: String,
    pub at: At,
}

/// The options docdrift reads from `docusaurus.config.*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteOptions {
    /// The config file, relative to the site root.
    pub file: String,
    pub base_url: Setting<String>,
    /// `None` (undefined): both forms work.
    pub trailing_slash: Setting<Option<bool>>,
    pub static_directories: Setting<Vec<String>>,
    pub on_broken_links: Setting<String>,
    pub on_broken_anchors: Setting<String>,
    pub on_broken_markdown_links: Setting<String>,
    pub format: Setting<String>,
    /// `future.v4` (true) or `future.v4.mdx1CompatDisabledByDefault`.
    pub mdx1_compat_disabled_by_default: Setting<bool>,
    pub mdx1_comments: Setting<bool>,
    pub mdx1_admonitions: Setting<bool>,
    pub mdx1_heading_ids: Setting<bool>,
    pub maintain_case: Setting<bool>,
    pub locales: Setting<Vec<String>>,
    pub docs: Vec<DocsOptions>,
    pub blogs: Vec<BlogOptions>,
    pub pages: Vec<PagesOptions>,
    pub redirects: Vec<RedirectOptions>,
    /// What could not be read, and the default assumed instead; each said once.
    pub notes: Vec<String>,
    pub unknowns: Vec<UnknownOption>,
}

struct Cx<'s> {
    sources: &'s Sources,
    root: &'s std::path::Path,
    notes: Vec<String>,
    unknowns: Vec<UnknownOption>,
}

impl Cx<'_> {
    fn at(&self, origin: Origin) -> At {
        let path = self.sources.path(origin);
        let file = path
            .strip_prefix(self.root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| path.to_string_lossy().into_owned());
        let (line, column) = self.sources.line_col(origin);
        At { file, line, column }
    }

    fn note(&mut self, text: String) {
        if !self.notes.contains(&text) {
            self.notes.push(text);
        }
    }

    /// Record what a setting's value depends on that docdrift cannot see; `shown` is how the
    /// assumed value reads in the note.
    fn check_known(&mut self, option: &str, v: &Value, shown: &str) -> bool {
        for e in &v.env {
            if e.assumed {
                let at = self.at(e.origin);
                let u = UnknownOption { option: option.to_string(), at, text: format!("process.env.{}", e.name) };
                if !self.unknowns.contains(&u) {
                    self.unknowns.push(u);
                }
            }
        }
        if let Val::Unknown(text) = &v.val {
            let at = self.at(v.origin);
            let named = match option.split_once(": ") {
                Some((owner, key)) => format!("`{key}` of {owner}"),
                None => format!("`{option}`"),
            };
            self.note(format!(
                "{named} is not known statically ({at}: `{text}`): assumed {shown}; state it in docdrift.toml if that is wrong"
            ));
            self.unknowns.push(UnknownOption { option: option.to_string(), at, text: text.clone() });
            return false;
        }
        true
    }

    fn string(&mut self, obj: Option<&Value>, key: &str, option: &str, default: &str) -> Setting<String> {
        match obj.and_then(|o| o.get(key)) {
            Some(v) => {
                if !self.check_known(option, v, &format!("`{default}`")) {
                    return Setting::default(default.to_string());
                }
                match &v.val {
                    Val::Str(s) => Setting { value: s.clone(), at: Some(self.at(v.origin)) },
                    Val::Num(_) => Setting { value: v.to_js_string().unwrap_or_default(), at: Some(self.at(v.origin)) },
                    _ => Setting::default(default.to_string()),
                }
            }
            None => Setting::default(default.to_string()),
        }
    }

    fn opt_string(&mut self, obj: Option<&Value>, key: &str, option: &str) -> Option<Setting<String>> {
        let v = obj.and_then(|o| o.get(key))?;
        if !self.check_known(option, v, "unset") {
            return None;
        }
        match &v.val {
            Val::Str(_) | Val::Num(_) => {
                Some(Setting { value: v.to_js_string().unwrap_or_default(), at: Some(self.at(v.origin)) })
            }
            _ => None,
        }
    }

    fn bool(&mut self, obj: Option<&Value>, key: &str, option: &str, default: bool) -> Setting<bool> {
        match obj.and_then(|o| o.get(key)) {
            Some(v) => {
                if !self.check_known(option, v, &format!("`{default}`")) {
                    return Setting::default(default);
                }
                match &v.val {
                    Val::Bool(b) => Setting { value: *b, at: Some(self.at(v.origin)) },
                    Val::Undefined => Setting::default(default),
                    _ => Setting { value: v.truthy_known().unwrap_or(default), at: Some(self.at(v.origin)) },
                }
            }
            None => Setting::default(default),
        }
    }

    fn strings(&mut self, v: &Value, option: &str, shown: &str) -> Option<Vec<String>> {
        if !self.check_known(option, v, shown) {
            return None;
        }
        match &v.val {
            Val::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    if !self.check_known(option, item, shown) {
                        return None;
                    }
                    if let Some(s) = item.to_js_string() {
                        out.push(s);
                    }
                }
                Some(out)
            }
            Val::Str(s) => Some(vec![s.clone()]),
            _ => None,
        }
    }

    fn string_list(&mut self, obj: Option<&Value>, key: &str, option: &str, default: &[&str]) -> Setting<Vec<String>> {
        let dflt = || Setting::default(default.iter().map(|s| s.to_string()).collect());
        let Some(v) = obj.and_then(|o| o.get(key)) else { return dflt() };
        match self.strings(v, option, &format!("{default:?}")) {
            Some(list) => Setting { value: list, at: Some(self.at(v.origin)) },
            None => dflt(),
        }
    }
}

impl Value {
    fn truthy_known(&self) -> Option<bool> {
        match &self.val {
            Val::Unknown(_) => None,
            Val::Undefined | Val::Null => Some(false),
            Val::Bool(b) => Some(*b),
            Val::Num(n) => Some(*n != 0.0),
            Val::Str(s) => Some(!s.is_empty()),
            _ => Some(true),
        }
    }
}

/// Which plugin a preset or plugin entry names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Classic,
    Docs,
    Blog,
    Pages,
    Redirects,
    Other,
}

fn kind(name: &str) -> Kind {
    // `require.resolve('@docusaurus/preset-classic')` is unknown to the evaluator; its text
    // still names the package.
    let n = name.trim_matches(|c: char| c == '\'' || c == '"' || c == '`');
    let has = |s: &str| n.contains(s);
    if n == "classic" || has("preset-classic") {
        Kind::Classic
    } else if n == "content-docs" || has("plugin-content-docs") {
        Kind::Docs
    } else if n == "content-blog" || has("plugin-content-blog") {
        Kind::Blog
    } else if n == "content-pages" || has("plugin-content-pages") {
        Kind::Pages
    } else if n == "client-redirects" || has("plugin-client-redirects") {
        Kind::Redirects
    } else {
        Kind::Other
    }
}

/// `(name, options)` of a `presets`/`plugins` entry: `'name'`, `['name', {…}]`.
fn entry(v: &Value) -> Option<(String, Option<&Value>)> {
    let name_of = |v: &Value| match &v.val {
        Val::Str(s) => Some(s.clone()),
        Val::Unknown(t) => Some(t.clone()),
        _ => None,
    };
    match &v.val {
        Val::Array(items) => Some((name_of(items.first()?)?, items.get(1))),
        _ => Some((name_of(v)?, None)),
    }
}

/// Read the options of `config` (the evaluated export of the file at `file`).
pub fn read(config: &Value, sources: &Sources, root: &std::path::Path, file: &str) -> SiteOptions {
    let mut cx = Cx { sources, root, notes: Vec::new(), unknowns: Vec::new() };
    let c = Some(config);
    if config.is_unknown() {
        cx.check_known("the config", config, "Docusaurus' defaults");
    }
    let base_url = cx.string(c, "baseUrl", "baseUrl", "/");
    let trailing_slash = match config.get("trailingSlash") {
        Some(v) if cx.check_known("trailingSlash", v, "undefined") => match v.val {
            Val::Bool(b) => Setting { value: Some(b), at: Some(cx.at(v.origin)) },
            _ => Setting::default(None),
        },
        _ => Setting::default(None),
    };
    let static_directories = cx.string_list(c, "staticDirectories", "staticDirectories", &["static"]);
    let on_broken_links = cx.string(c, "onBrokenLinks", "onBrokenLinks", "throw");
    let on_broken_anchors = cx.string(c, "onBrokenAnchors", "onBrokenAnchors", "warn");
    let markdown = config.get("markdown");
    let hooks = markdown.and_then(|m| m.get("hooks"));
    let mut on_broken_markdown_links =
        cx.string(hooks, "onBrokenMarkdownLinks", "markdown.hooks.onBrokenMarkdownLinks", "warn");
    if on_broken_markdown_links.at.is_none() {
        // The deprecated top-level option is copied into the hook.
        on_broken_markdown_links = cx.string(c, "onBrokenMarkdownLinks", "onBrokenMarkdownLinks", "warn");
    }
    let format = cx.string(markdown, "format", "markdown.format", "mdx");
    let future = config.get("future");
    let v4 = future.and_then(|f| f.get("v4"));
    let mdx1_compat_disabled_by_default = match v4 {
        Some(v) if matches!(v.val, Val::Object(_)) => {
            cx.bool(Some(v), "mdx1CompatDisabledByDefault", "future.v4.mdx1CompatDisabledByDefault", false)
        }
        Some(_) => cx.bool(future, "v4", "future.v4", false),
        None => Setting::default(false),
    };
    let compat_default = !mdx1_compat_disabled_by_default.value;
    let compat = markdown.and_then(|m| m.get("mdx1Compat"));
    let mdx1_comments = cx.bool(compat, "comments", "markdown.mdx1Compat.comments", compat_default);
    let mdx1_admonitions = cx.bool(compat, "admonitions", "markdown.mdx1Compat.admonitions", compat_default);
    let mdx1_heading_ids = cx.bool(compat, "headingIds", "markdown.mdx1Compat.headingIds", compat_default);
    let anchors = markdown.and_then(|m| m.get("anchors"));
    let maintain_case = cx.bool(anchors, "maintainCase", "markdown.anchors.maintainCase", false);
    let locales = cx.string_list(config.get("i18n"), "locales", "i18n.locales", &["en"]);

    let mut out = SiteOptions {
        file: file.to_string(),
        base_url,
        trailing_slash,
        static_directories,
        on_broken_links,
        on_broken_anchors,
        on_broken_markdown_links,
        format,
        mdx1_compat_disabled_by_default,
        mdx1_comments,
        mdx1_admonitions,
        mdx1_heading_ids,
        maintain_case,
        locales,
        docs: Vec::new(),
        blogs: Vec::new(),
        pages: Vec::new(),
        redirects: Vec::new(),
        notes: Vec::new(),
        unknowns: Vec::new(),
    };

    let list = |key: &str| match config.get(key).map(|v| &v.val) {
        Some(Val::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    for p in list("presets") {
        let Some((name, options)) = entry(&p) else {
            cx.check_known("presets", &p, "no preset");
            continue;
        };
        if kind(&name) != Kind::Classic {
            continue;
        }
        // Each of docs, blog and pages is on unless set to `false`.
        let part = |key: &str| match options.and_then(|o| o.get(key)) {
            Some(v) if matches!(v.val, Val::Bool(false)) => None,
            Some(v) => Some(Some(v.clone())),
            None => Some(None),
        };
        if let Some(o) = part("docs") {
            out.docs.push(docs(&mut cx, o.as_ref()));
        }
        if let Some(o) = part("blog") {
            out.blogs.push(blog(&mut cx, o.as_ref()));
        }
        if let Some(o) = part("pages") {
            out.pages.push(pages(&mut cx, o.as_ref()));
        }
    }
    for p in list("plugins") {
        let Some((name, options)) = entry(&p) else { continue };
        match kind(&name) {
            Kind::Docs => out.docs.push(docs(&mut cx, options)),
            Kind::Blog => out.blogs.push(blog(&mut cx, options)),
            Kind::Pages => out.pages.push(pages(&mut cx, options)),
            Kind::Redirects => redirects(&mut cx, options, &mut out.redirects),
            Kind::Classic | Kind::Other => {}
        }
    }
    out.notes = env_notes(&cx.unknowns);
    out.notes.extend(cx.notes);
    out.unknowns = cx.unknowns;
    out
}

/// One note per environment variable and option: "`onlyIncludeVersions` (docs plugins
/// `calico`, `calico-cloud`) depends on `BUILD_NEXT` (docusaurus.config.js:10): ...".
fn env_notes(unknowns: &[UnknownOption]) -> Vec<String> {
    // (variable, where read, option) → the plugins it applies to.
    let mut groups: Vec<((String, String, String), Vec<String>)> = Vec::new();
    for u in unknowns {
        let Some(var) = u.text.strip_prefix("process.env.") else { continue };
        let (owner, option) = match u.option.split_once(": ") {
            Some((owner, option)) => (Some(owner.to_string()), option.to_string()),
            None => (None, u.option.clone()),
        };
        let key = (var.to_string(), u.at.to_string(), option);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, owners)) => owners.extend(owner),
            None => groups.push((key, owner.into_iter().collect())),
        }
    }
    groups
        .into_iter()
        .map(|((var, at, option), owners)| {
            let of = match owners.len() {
                0 => String::new(),
                1 => format!(" of {}", owners[0]),
                _ => {
                    let ids: Vec<&str> =
                        owners.iter().map(|o| o.split_once(' ').map_or(o.as_str(), |(_, r)| r)).collect();
                    let ids: Vec<&str> = ids.iter().map(|o| o.strip_prefix("plugin ").unwrap_or(o)).collect();
                    format!(" of docs plugins {}", ids.join(", "))
                }
            };
            format!(
                "`{option}`{of} depends on `{var}` ({at}): assumed unset, as in a production build; set `[env] {var} = \"true\"` in docdrift.toml to check it the other way"
            )
        })
        .collect()
}

fn docs(cx: &mut Cx, o: Option<&Value>) -> DocsOptions {
    let id = cx.string(o, "id", "docs plugin: id", "default");
    let who = format!("docs plugin `{}`", id.value);
    let name = |k: &str| format!("{who}: {k}");
    let path = cx.string(o, "path", &name("path"), "docs");
    let route_base_path = cx.string(o, "routeBasePath", &name("routeBasePath"), "docs");
    let last_version = cx.opt_string(o, "lastVersion", &name("lastVersion"));
    let only_include_versions = o.and_then(|o| o.get("onlyIncludeVersions")).and_then(|v| {
        let list = cx.strings(v, &name("onlyIncludeVersions"), "every version built")?;
        Some(Setting { value: list, at: Some(cx.at(v.origin)) })
    });
    let include_current_version = cx.bool(o, "includeCurrentVersion", &name("includeCurrentVersion"), true);
    let include = cx.string_list(o, "include", &name("include"), &["**/*.{md,mdx}"]);
    let exclude = cx.string_list(o, "exclude", &name("exclude"), &[]);
    let mut versions = Vec::new();
    if let Some(Value { val: Val::Object(props), .. }) = o.and_then(|o| o.get("versions")) {
        for (v, opts) in props {
            let path = cx.opt_string(Some(opts), "path", &name(&format!("versions.{v}.path")));
            let label = cx.opt_string(Some(opts), "label", &name(&format!("versions.{v}.label")));
            versions.push(VersionOptions { name: v.clone(), path, label });
        }
    }
    let mut admonition_keywords = Vec::new();
    if let Some(a) = o.and_then(|o| o.get("admonitions"))
        && let Some(Val::Array(items)) = a.get("keywords").map(|k| &k.val)
    {
        admonition_keywords.extend(items.iter().filter_map(|k| k.as_str().map(str::to_string)));
    }
    DocsOptions {
        id,
        path,
        route_base_path,
        versions,
        last_version,
        only_include_versions,
        include_current_version,
        include,
        exclude,
        admonition_keywords,
    }
}

fn blog(cx: &mut Cx, o: Option<&Value>) -> BlogOptions {
    let id = cx.string(o, "id", "blog plugin: id", "default");
    let name = |k: &str| format!("blog plugin `{}`: {k}", id.value);
    let path = cx.string(o, "path", &name("path"), "blog");
    let route_base_path = cx.string(o, "routeBasePath", &name("routeBasePath"), "blog");
    let tags_base_path = cx.string(o, "tagsBasePath", &name("tagsBasePath"), "tags");
    let page_base_path = cx.string(o, "pageBasePath", &name("pageBasePath"), "page");
    let archive_base_path = match o.and_then(|o| o.get("archiveBasePath")) {
        Some(v) if matches!(v.val, Val::Null) => Setting { value: None, at: Some(cx.at(v.origin)) },
        _ => {
            let s = cx.string(o, "archiveBasePath", &name("archiveBasePath"), "archive");
            Setting { value: Some(s.value), at: s.at }
        }
    };
    BlogOptions { id, path, route_base_path, tags_base_path, archive_base_path, page_base_path }
}

fn pages(cx: &mut Cx, o: Option<&Value>) -> PagesOptions {
    let id = cx.string(o, "id", "pages plugin: id", "default");
    let name = |k: &str| format!("pages plugin `{}`: {k}", id.value);
    let path = cx.string(o, "path", &name("path"), "src/pages");
    let route_base_path = cx.string(o, "routeBasePath", &name("routeBasePath"), "/");
    PagesOptions { id, path, route_base_path }
}

fn redirects(cx: &mut Cx, o: Option<&Value>, out: &mut Vec<RedirectOptions>) {
    let Some(list) = o.and_then(|o| o.get("redirects")) else { return };
    if !cx.check_known("client-redirects plugin: redirects", list, "none") {
        return;
    }
    let Val::Array(items) = &list.val else { return };
    for r in items {
        let to = r.get("to").and_then(|t| t.as_str());
        let from = r.get("from").and_then(|f| cx.strings(f, "client-redirects plugin: from", "none"));
        if let (Some(to), Some(from)) = (to, from) {
            out.push(RedirectOptions { from, to: to.to_string(), at: cx.at(r.origin) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::docusaurus::eval::Evaluator;

    fn read_src(src: &str, env: &[(String, String)]) -> SiteOptions {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("docusaurus.config.js");
        std::fs::write(&path, src).expect("write");
        let mut ev = Evaluator::new(env);
        let v = ev.config(&path).unwrap_or_else(|e| panic!("{}", e.message));
        read(&v, &ev.sources, dir.path(), "docusaurus.config.js")
    }

    #[test]
    fn docusaurus_defaults() {
        let o = read_src("module.exports = { presets: ['classic'] };\n", &[]);
        assert_eq!(o.base_url, Setting::default("/".to_string()));
        assert!(o.mdx1_comments.value && o.mdx1_admonitions.value && o.mdx1_heading_ids.value);
        assert_eq!(o.format.value, "mdx");
        assert_eq!(o.docs.len(), 1);
        let d = &o.docs[0];
        assert_eq!(
            (d.id.value.as_str(), d.path.value.as_str(), d.route_base_path.value.as_str()),
            ("default", "docs", "docs")
        );
        assert!(d.include_current_version.value);
        assert_eq!(o.blogs.len(), 1);
        assert_eq!(o.pages[0].path.value, "src/pages");
        assert!(o.notes.is_empty());
    }

    #[test]
    fn v4_turns_mdx1_compat_off_unless_stated() {
        let o = read_src("module.exports = { future: { v4: true } };\n", &[]);
        assert!(!o.mdx1_comments.value && !o.mdx1_heading_ids.value);
        let o = read_src(
            "module.exports = { future: { v4: { mdx1CompatDisabledByDefault: true } }, markdown: { mdx1Compat: { headingIds: true } } };\n",
            &[],
        );
        assert!(!o.mdx1_admonitions.value);
        assert!(o.mdx1_heading_ids.value);
        assert_eq!(o.mdx1_heading_ids.at.as_ref().map(|a| (a.line, a.column)), Some((1, 113)));
    }

    #[test]
    fn plugins_and_positions() {
        let o = read_src(
            "const next = process.env.BUILD_NEXT === 'true' ? ['current'] : [];\nmodule.exports = {\n  presets: [['@docusaurus/preset-classic', { docs: false, blog: { routeBasePath: 'news' } }]],\n  plugins: [\n    ['content-docs', { id: 'p', path: '../p', routeBasePath: '/', onlyIncludeVersions: [...next, '1.0'],\n      lastVersion: '1.0', versions: { 1.0: { path: 'latest', label: 'One' } } }],\n    [require.resolve('@docusaurus/plugin-client-redirects'), { redirects: [{ from: '/a', to: '/b' }] }],\n    [someFunction(), {}],\n  ],\n};\n",
            &[],
        );
        assert_eq!(o.docs.len(), 1);
        let d = &o.docs[0];
        assert_eq!(d.id.value, "p");
        assert_eq!(d.path.value, "../p");
        assert_eq!(d.route_base_path.value, "/");
        assert_eq!(d.last_version.as_ref().map(|l| l.at.as_ref().map(|a| a.line)), Some(Some(6)));
        assert_eq!(d.only_include_versions.as_ref().map(|s| s.value.clone()), Some(vec!["1.0".to_string()]));
        // `1.0` as a key is the number 1: JavaScript makes it `"1"`.
        assert_eq!(d.versions[0].name, "1");
        assert_eq!(o.blogs[0].route_base_path.value, "news");
        assert!(o.pages.len() == 1 && o.redirects.len() == 1);
        assert_eq!(o.redirects[0].from, ["/a"]);
        assert_eq!(o.notes.len(), 1, "{:?}", o.notes);
        assert!(
            o.notes[0].starts_with(
                "`onlyIncludeVersions` of docs plugin `p` depends on `BUILD_NEXT` (docusaurus.config.js:1)"
            ),
            "{}",
            o.notes[0]
        );
        assert_eq!(o.unknowns[0].text, "process.env.BUILD_NEXT");
    }

    #[test]
    fn unknown_values_keep_the_default_and_say_so() {
        let o = read_src("module.exports = { baseUrl: process.env.BASE || compute(), trailingSlash: flag };\n", &[]);
        assert_eq!(o.base_url.value, "/");
        assert_eq!(o.trailing_slash.value, None);
        assert!(
            o.notes
                .iter()
                .any(|n| n.contains("`baseUrl` is not known statically (docusaurus.config.js:1: `compute()`)")),
            "{:?}",
            o.notes
        );
        let o =
            read_src("module.exports = { baseUrl: process.env.BASE || '/x/' };\n", &[("BASE".into(), "/y/".into())]);
        assert_eq!(o.base_url.value, "/y/");
        assert!(o.notes.is_empty());
    }
}
