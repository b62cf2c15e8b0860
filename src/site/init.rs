//! `docdrift init`: writing a commented `docdrift.toml` that states what discovery found.
//!
//! This module owns the text of the generated file. Every doc set is written out in full (folders,
//! versions file, last version, built versions, url paths, labels) so that the file documents the
//! site and loads back into the same [`Site`]. Deciding what the site looks like is
//! [`super::discover`]'s job; the command itself (where to write, refusing to overwrite) is the CLI's.

use std::fmt::Write as _;

use super::config::{toml_key, toml_string};
use super::docusaurus::{DocsOptions, SiteOptions};
use super::{DEFAULT_ADMONITION_KEYWORDS, DocSet, Site, Variables};

const HEADER: &str = "\
# docdrift.toml: how docdrift sees this Docusaurus site.
#
# Written by `docdrift init` from docusaurus.config.* (read statically, never run) and the
# folders it found. Each value read from the config names its source line; correct what
# differs from the real build. Delete a key to fall back to the config, then the convention.
# Unknown keys are errors.

";

const NO_DOC_SETS: &str = "\
# No doc sets found: no `<id>_versions.json`, no `<id>_versioned_docs/`, and no top-level
# folder with .md/.mdx files. Name the content folder yourself:
# [[doc_set]]
# id = \"docs\"
";

/// A commented `docdrift.toml` stating `site`'s settings and every doc set, version, url path and
/// label. [`Site::load`] on the result gives back an equal site (apart from `ignore` and
/// `[[overrides]]` globs, which a [`Site`] keeps only in compiled form).
pub fn render_init_toml(site: &Site) -> String {
    let mut out = String::from(HEADER);
    let o = &mut out;
    if let Some(d) = &site.docusaurus {
        docusaurus_section(o, d);
    }
    site_section(o, site);
    json_variables_section(o, &site.json_variables);
    variables_section(o, &site.config_variables);
    rules_section(o, site);
    if site.doc_sets.is_empty() {
        o.push_str(NO_DOC_SETS);
    }
    for (i, ds) in site.doc_sets.iter().enumerate() {
        let from = site.docusaurus.as_ref().and_then(|d| d.docs.iter().find(|x| x.id.value == ds.id).map(|x| (d, x)));
        doc_set_section(o, ds, i == 0, from);
    }
    out
}

fn line(out: &mut String, text: &str) {
    out.push_str(text);
    out.push('\n');
}

fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(toml_string).collect();
    format!("[{}]", items.join(", "))
}

fn site_section(o: &mut String, site: &Site) {
    let s = &site.settings;
    let extra = s.admonition_keywords.iter().map(String::as_str);
    let extra = extra.filter(|k| !DEFAULT_ADMONITION_KEYWORDS.contains(k));
    let _ = write!(
        o,
        "\
[site]
# markdown.mdx1Compat.headingIds: `## Title {{#id}}` sets a heading id. Docusaurus 3 enables it
# unless `future.v4` (or `future.v4.mdx1CompatDisabledByDefault`) is set; then only
# `{{/* #id */}}` and `\\{{#id}}` work.
explicit_heading_ids = {}
# markdown.mdx1Compat.admonitions: `:::note Title` (MDX 1 titles) works. Same default as above.
mdx1_admonitions = {}
# markdown.anchors.maintainCase: heading ids keep the heading's letter case.
maintain_case = {}
# Admonition keywords added to the defaults (docs plugin `admonitions.keywords`).
admonition_keywords = {}
# Globs, relative to this folder, of files docdrift never reads (`variables.js` too).
# ignore = [\"**/node_modules/**\"]

",
        s.explicit_heading_ids,
        s.mdx1_admonitions,
        s.maintain_case,
        string_array(extra),
    );
}

fn json_variables_section(o: &mut String, files: &[(String, String)]) {
    o.push_str(
        "\
# JSON data files whose contents are variables: `name = \"path\"`, the path relative to each
# version folder (the site root is tried too; a version without the file is fine). Objects and
# arrays are walked with dots: `releases = \"releases.json\"` gives `$[releases.0.title]`.
# A variables.js that does `const releases = require('./releases.json')` and exports
# `releases` needs no entry here: docdrift follows that `require` itself.
[site.json_variables]
",
    );
    if files.is_empty() {
        line(o, "# releases = \"releases.json\"");
    }
    for (name, path) in files {
        let _ = writeln!(o, "{} = {}", toml_key(name), toml_string(path));
    }
    line(o, "");
}

fn variables_section(o: &mut String, vars: &Variables) {
    o.push_str(
        "\
# Variables for `$[name]`, used when the site defines no such name. Lookup order: the version's
# variables.js, its [site.json_variables] files, the root variables.js, the root's
# [site.json_variables] files, then this table. Nested names are dotted: `imageNames.typha`.
[variables]
",
    );
    if vars.is_empty() {
        line(o, "# prodname = \"My Product\"");
    }
    for (name, value) in vars.iter() {
        let _ = writeln!(o, "{} = {}", toml_key(name), toml_string(value));
    }
    line(o, "");
}

fn rules_section(o: &mut String, site: &Site) {
    o.push_str(
        "\
# Rule levels: \"rule/id\" = \"off\" | \"info\" | \"warning\" | \"error\".
# `docdrift rules` lists the ids.
[rules]
",
    );
    for (id, level) in &site.rule_levels {
        let _ = writeln!(o, "{} = {}", toml_key(id), toml_string(level.as_str()));
    }
    if site.rule_levels.is_empty() {
        line(o, "# \"variable/unknown\" = \"warning\"");
    }
    line(o, "");
    let n = site.overrides.len();
    if n > 0 {
        let _ = writeln!(o, "# ({n} [[overrides]] of the configuration in use are not repeated here.)");
    }
    o.push_str(
        "\
# Lighter rule sets for some paths, such as frozen old versions (later entries win):
# [[overrides]]
# paths = [\"<id>_versioned_docs/version-<old>/**\"]
# rules = { \"rule/id\" = \"off\" }

",
    );
}

/// One `[[doc_set]]`; `explain` adds a comment to each key (done for the first doc set only).
fn doc_set_section(o: &mut String, ds: &DocSet, explain: bool, from: Option<(&SiteOptions, &DocsOptions)>) {
    let q = |s: &str| toml_string(s);
    // (comment, `key = value`) in the order written.
    let mut keys: Vec<(&str, String)> = Vec::new();
    keys.push(("The plugin `id` (`default` for the unnamed docs plugin).", format!("id = {}", q(&ds.id))));
    keys.push((
        "How messages name the product (default: `$[prodname]` of the current version).",
        format!("name = {}", q(&ds.name)),
    ));
    match ds.versions.iter().find(|v| v.name == "current") {
        Some(v) => keys.push((
            "Folder of the current (unreleased) version: the plugin's `path`.",
            format!("path = {}", q(&v.dir)),
        )),
        None => keys.push((
            "The build leaves out the current version (`includeCurrentVersion: false`).",
            "include_current = false".into(),
        )),
    }
    keys.push((
        "URL segment after the site's base URL: the plugin's `routeBasePath`.",
        format!("route_base = {}", q(&ds.route_base)),
    ));
    let conventional = super::discover::conventions(&ds.id);
    if let Some(first) = ds.versions.iter().find(|v| v.name != "current") {
        let suffix = format!("/version-{}", first.name);
        let versioned = first.dir.strip_suffix(&suffix).unwrap_or(&conventional.versioned_path);
        keys.push(("Released versions, newest first.", format!("versions_file = {}", q(&conventional.versions_file))));
        keys.push((
            "The folder holding each released version's `version-<name>/`.",
            format!("versioned_path = {}", q(versioned)),
        ));
    }
    if let Some(last) = ds.last_version() {
        keys.push(("The version served by default: `lastVersion`.", format!("last_version = {}", q(&last.name))));
    }
    let built = ds.versions.iter().filter(|v| v.built).map(|v| v.name.as_str());
    keys.push((
        "Versions the build includes (`onlyIncludeVersions`); links into others are broken.",
        format!("built_versions = {}", string_array(built)),
    ));

    let _ = writeln!(o, "# Docs plugin `{}`.", ds.id);
    line(o, "[[doc_set]]");
    for (why, key) in keys {
        if explain {
            let _ = writeln!(o, "# {why}");
        }
        let name = key.split(' ').next().unwrap_or("");
        match from.and_then(|(_, d)| source_of(d, name)) {
            Some(src) => line(o, &format!("{key}  # {src}")),
            None => line(o, &key),
        }
    }
    if let Some((site, d)) = from {
        let prefix = format!("docs plugin `{}`: ", d.id.value);
        for u in site.unknowns.iter().filter(|u| u.option.starts_with(&prefix)) {
            let option = &u.option[prefix.len()..];
            let _ = writeln!(o, "# FILL IN: `{option}` depends on `{}` ({}): check the value above", u.text, u.at);
        }
    }
    line(o, "");
    if explain {
        line(o, "# URL segment of each version: `versions.<name>.path` (\"\" = the doc set root).");
    }
    line(o, "[doc_set.url_paths]");
    let version_source = |v: &str, label: bool| {
        let (_, d) = from?;
        let opts = d.versions.iter().find(|x| x.name == v)?;
        let s = if label { opts.label.as_ref()? } else { opts.path.as_ref()? };
        let at = s.at.as_ref()?;
        Some(format!("  # {at} versions.{v}.{}", if label { "label" } else { "path" }))
    };
    for v in &ds.versions {
        let src = version_source(&v.name, false).unwrap_or_default();
        let _ = writeln!(o, "{} = {}{src}", toml_key(&v.name), q(&v.url_path));
    }
    line(o, "");
    if explain {
        line(o, "# How readers know each version: `versions.<name>.label`.");
    }
    line(o, "[doc_set.labels]");
    for v in &ds.versions {
        let src = version_source(&v.name, true).unwrap_or_default();
        let _ = writeln!(o, "{} = {}{src}", toml_key(&v.name), q(&v.label));
    }
    line(o, "");
}

/// `docusaurus.config.js:439 lastVersion`: where the Docusaurus config states the value of a
/// `[[doc_set]]` key, when it does.
fn source_of(d: &DocsOptions, key: &str) -> Option<String> {
    let (at, option) = match key {
        "id" => (d.id.at.as_ref(), "id"),
        "path" => (d.path.at.as_ref(), "path"),
        "route_base" => (d.route_base_path.at.as_ref(), "routeBasePath"),
        "last_version" => (d.last_version.as_ref().and_then(|s| s.at.as_ref()), "lastVersion"),
        "built_versions" => (d.only_include_versions.as_ref().and_then(|s| s.at.as_ref()), "onlyIncludeVersions"),
        "include_current" => (d.include_current_version.at.as_ref(), "includeCurrentVersion"),
        _ => (None, ""),
    };
    at.map(|at| format!("{at} {option}"))
}

/// What `docusaurus.config.*` says that `docdrift.toml` has no key for (it is read on every run),
/// and `[env]`, with every value the config takes from the environment.
fn docusaurus_section(o: &mut String, d: &SiteOptions) {
    let _ = writeln!(o, "# Read from {} (docdrift reads it on every run; these lines are a record):", d.file);
    let show = |o: &mut String, option: &str, value: String, at: Option<&super::docusaurus::options::At>| {
        let src = at.map_or_else(|| "Docusaurus default".to_string(), |a| a.to_string());
        let _ = writeln!(o, "#   {option} = {value}  ({src})");
    };
    show(o, "baseUrl", toml_string(&d.base_url.value), d.base_url.at.as_ref());
    let ts = d.trailing_slash.value.map_or("undefined".to_string(), |b| b.to_string());
    show(o, "trailingSlash", ts, d.trailing_slash.at.as_ref());
    show(
        o,
        "staticDirectories",
        string_array(d.static_directories.value.iter().map(String::as_str)),
        d.static_directories.at.as_ref(),
    );
    show(o, "markdown.format", toml_string(&d.format.value), d.format.at.as_ref());
    show(o, "markdown.mdx1Compat.comments", d.mdx1_comments.value.to_string(), d.mdx1_comments.at.as_ref());
    show(
        o,
        "future.v4 (mdx1CompatDisabledByDefault)",
        d.mdx1_compat_disabled_by_default.value.to_string(),
        d.mdx1_compat_disabled_by_default.at.as_ref(),
    );
    show(o, "onBrokenLinks", toml_string(&d.on_broken_links.value), d.on_broken_links.at.as_ref());
    show(o, "onBrokenAnchors", toml_string(&d.on_broken_anchors.value), d.on_broken_anchors.at.as_ref());
    show(
        o,
        "onBrokenMarkdownLinks",
        toml_string(&d.on_broken_markdown_links.value),
        d.on_broken_markdown_links.at.as_ref(),
    );
    show(o, "i18n.locales", string_array(d.locales.value.iter().map(String::as_str)), d.locales.at.as_ref());
    for b in &d.blogs {
        let _ = writeln!(
            o,
            "#   blog `{}`: {} at /{}",
            b.id.value,
            b.path.value,
            b.route_base_path.value.trim_matches('/')
        );
    }
    for p in &d.pages {
        let _ = writeln!(
            o,
            "#   pages `{}`: {} at /{}",
            p.id.value,
            p.path.value,
            p.route_base_path.value.trim_matches('/')
        );
    }
    if !d.redirects.is_empty() {
        let _ = writeln!(o, "#   client redirects: {} ({})", d.redirects.len(), d.redirects[0].at);
    }
    line(o, "");
    line(o, "# `process.env` values for reading the Docusaurus config (unset variables are undefined,");
    line(o, "# as in a production build).");
    line(o, "[env]");
    let mut seen: Vec<&str> = Vec::new();
    for u in &d.unknowns {
        if let Some(name) = u.text.strip_prefix("process.env.")
            && !seen.contains(&name)
        {
            seen.push(name);
            let _ = writeln!(o, "# {} = \"\"   # FILL IN: read at {} ({})", toml_key(name), u.at, u.option);
        }
    }
    if seen.is_empty() {
        line(o, "# NODE_ENV = \"production\"");
    }
    for u in d.unknowns.iter().filter(|u| !u.text.starts_with("process.env.") && !u.option.starts_with("docs plugin")) {
        let _ = writeln!(o, "# FILL IN: `{}` is not known statically ({}: `{}`)", u.option, u.at, u.text);
    }
    line(o, "");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{RULES, load, write};
    use std::fs;
    use std::path::Path;

    fn assert_same(a: &Site, b: &Site) {
        assert_eq!(a.settings, b.settings);
        assert_eq!(a.doc_sets, b.doc_sets);
        assert_eq!(a.root_variables, b.root_variables);
        assert_eq!(a.root_json_variables, b.root_json_variables);
        assert_eq!(a.json_variables, b.json_variables);
        assert_eq!(a.config_variables, b.config_variables);
        assert_eq!(a.rule_levels, b.rule_levels);
    }

    /// Render, write as the site's docdrift.toml, load again: the same site.
    fn round_trip(root: &Path) -> (Site, String) {
        let first = load(root);
        let text = render_init_toml(&first);
        let config = root.join("docdrift.toml");
        fs::write(&config, &text).expect("write config");
        let second = Site::load(root, None, RULES).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_same(&first, &second);
        fs::remove_file(&config).expect("rm config");
        (first, text)
    }

    #[test]
    fn discovered_site_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path();
        write(r, "product/index.mdx", "# Next\n");
        write(r, "product/variables.js", "module.exports = { prodname: 'The \"Product\"' };\n");
        write(r, "product_versions.json", "[\"2.0\", \"1.0\"]");
        write(r, "product_versioned_docs/version-2.0/index.mdx", "# Two\n");
        write(r, "product_versioned_docs/version-1.0/index.mdx", "# One\n");
        write(r, "guides/a/intro.md", "# Guides\n");
        write(r, "docs/intro.md", "# Docs\n");
        let (site, text) = round_trip(r);
        assert_eq!(site.doc_sets.len(), 3);
        assert!(
            text.contains("[[doc_set]]\n# The plugin `id` (`default` for the unnamed docs plugin).\nid = \"default\""),
            "{text}"
        );
        assert!(text.contains("name = \"The \\\"Product\\\"\""), "{text}");
        assert!(
            text.contains("[doc_set.url_paths]\ncurrent = \"next\"\n\"2.0\" = \"\"\n\"1.0\" = \"1.0\"\n"),
            "{text}"
        );
        assert!(text.contains("built_versions = [\"current\", \"2.0\", \"1.0\"]"), "{text}");
        assert!(
            text.contains("versions_file = \"product_versions.json\"\nversioned_path = \"product_versioned_docs\""),
            "{text}"
        );
    }

    #[test]
    fn configured_site_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let r = dir.path();
        write(r, "product_versions.json", "[\"2.0\", \"1.0\"]");
        write(r, "product_versioned_docs/version-2.0/index.mdx", "# Two\n");
        write(r, "product_versioned_docs/version-1.0/index.mdx", "# One\n");
        write(r, "product_versioned_docs/version-1.0/releases.json", r#"["r1"]"#);
        write(r, "data/v1.json", r#"{"x": "root"}"#);
        write(
            r,
            "docdrift.toml",
            r#"
[site]
explicit_heading_ids = true
maintain_case = true
admonition_keywords = ["mykeyword"]
[site.json_variables]
releases = "releases.json"
"data.v1" = "data/v1.json"
[variables]
prodname = "Prod"
imageNames.typha = "calico/typha"
[rules]
"anchor/missing" = "error"
[[doc_set]]
id = "product"
include_current = false
route_base = ""
last_version = "1.0"
built_versions = ["1.0"]
[doc_set.url_paths]
"1.0" = "latest"
[doc_set.labels]
"2.0" = "2.0 (preview)"
"#,
        );
        let first = load(r);
        let text = render_init_toml(&first);
        assert!(text.contains("include_current = false"), "{text}");
        assert!(
            text.contains("[site.json_variables]\nreleases = \"releases.json\"\n\"data.v1\" = \"data/v1.json\"\n"),
            "{text}"
        );
        assert_eq!(
            first
                .version(first.locate("product_versioned_docs/version-1.0/index.mdx").expect("1.0"))
                .json_variables
                .variables()
                .get("releases.0"),
            Some("r1")
        );
        assert_eq!(
            first.variable(first.locate("product_versioned_docs/version-2.0/index.mdx"), "data.v1.x"),
            Some("root")
        );
        assert!(text.contains("\"imageNames.typha\" = \"calico/typha\""), "{text}");
        assert!(text.contains("\"anchor/missing\" = \"error\""), "{text}");
        assert!(text.contains("admonition_keywords = [\"mykeyword\"]"), "{text}");
        fs::write(r.join("docdrift.toml"), &text).expect("write");
        let second = Site::load(r, None, RULES).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_same(&first, &second);
        assert_eq!(second.doc_sets[0].name, "Prod");
    }

    #[test]
    fn empty_site_renders_a_hint() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (site, text) = round_trip(dir.path());
        assert!(site.doc_sets.is_empty());
        assert!(text.contains("No doc sets found"), "{text}");
        assert!(text.contains("[site.json_variables]\n# releases = \"releases.json\"\n"), "{text}");
        assert!(text.find("[site.json_variables]") < text.find("[variables]"), "{text}");
    }

    #[test]
    fn corpus_round_trips() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tigera-docs");
        if !root.is_dir() {
            eprintln!("skipping: {} is absent", root.display());
            return;
        }
        // Not written into the shared corpus: load the rendered text from a temporary file.
        let first = Site::load(&root, None, RULES).unwrap_or_else(|e| panic!("{e}"));
        let text = render_init_toml(&first);
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("docdrift.toml");
        fs::write(&config, &text).expect("write");
        let second = Site::load(&root, Some(&config), RULES).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_same(&first, &second);
        // And the committed corpus config survives a render too.
        let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/tigera-docs.docdrift.toml");
        let first = Site::load(&root, Some(&committed), RULES).unwrap_or_else(|e| panic!("{e}"));
        fs::write(&config, render_init_toml(&first)).expect("write");
        let second = Site::load(&root, Some(&config), RULES).unwrap_or_else(|e| panic!("{e}"));
        assert_same(&first, &second);
    }
}
