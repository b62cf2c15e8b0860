//! Docusaurus routes: the permalink of every doc of every version, static assets, generated
//! category pages and `static/_redirects`, and the resolution of a link to a target.
//!
//! Follows `reference/docusaurus-semantics.md` §3: doc ids, slugs and number prefixes as
//! `plugin-content-docs` computes them; `.md`/`.mdx` links resolved by file path as
//! `resolveMarkdownLinks` does; other links resolved against the page URL as the build-time
//! checker does.

use crate::doc::FrontMatter;
use crate::site::{Location, Site};
use std::collections::{HashMap, HashSet};

/// A doc's place in the site.
#[derive(Clone, Debug)]
pub struct DocRoute {
    /// The permalink as Docusaurus renders it (a category index ends in `/`).
    pub permalink: String,
    /// Whether the site build includes the doc's version.
    pub built: bool,
}

#[derive(Default, Debug)]
pub struct Routes {
    /// Per file: its route, or `None` for partials and files outside any version.
    pub docs: Vec<Option<DocRoute>>,
    /// Route key (see [`route_key`]) → files with that permalink.
    by_key: HashMap<String, Vec<usize>>,
    /// Files under `static/`, as URL paths (`/img/a.png`).
    statics: HashSet<String>,
    /// Generated category index pages from the versioned sidebars.
    generated: HashSet<String>,
    redirects: Vec<Redirect>,
    /// The site's `baseUrl` (`/` without a Docusaurus config), with slashes at both ends.
    pub base_url: String,
}

#[derive(Debug)]
struct Redirect {
    from: Vec<String>,
}

/// A permalink without its trailing slash, so that `/a/` and `/a` meet (non-strict routes).
pub fn route_key(path: &str) -> String {
    let p = path.trim_end_matches('/');
    if p.is_empty() { "/".to_string() } else { p.to_string() }
}

/// Join URL parts with single slashes (Docusaurus `normalizeUrl` for paths).
fn join_url(parts: &[&str]) -> String {
    let mut out = String::from("/");
    for p in parts {
        for seg in p.split('/') {
            if seg.is_empty() {
                continue;
            }
            if !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(seg);
        }
    }
    if parts.last().is_some_and(|p| p.ends_with('/')) && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Resolve `./`, `../` in a URL path (`resolvePathname`).
pub fn resolve_path(path: &str, base_dir: &str) -> String {
    let full = if path.starts_with('/') { path.to_string() } else { format!("{base_dir}{path}") };
    let mut segs: Vec<&str> = Vec::new();
    let trailing = full.ends_with('/') || full.ends_with("/.") || full.ends_with("/..");
    for seg in full.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = format!("/{}", segs.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

/// Docusaurus' default number prefix parser: `01-intro` → `intro`, but `1.0-release` stays.
pub fn strip_number_prefix(name: &str) -> &str {
    let b = name.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return name;
    }
    // Date- or version-like names (`2021-01-...`, `1.0-...`) are left alone.
    if b.get(digits).is_some_and(|c| matches!(c, b'-' | b'_' | b'.'))
        && b.get(digits + 1).is_some_and(|c| c.is_ascii_digit())
    {
        return name;
    }
    let mut i = digits;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    let sep_start = i;
    while i < b.len() && matches!(b[i], b'-' | b'_' | b'.') {
        i += 1;
    }
    if i == sep_start {
        return name;
    }
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    match b.get(i) {
        Some(c) if !matches!(c, b'-' | b'_' | b'.' | b' ') => &name[i..],
        _ => name,
    }
}

/// Whether a file (by root-relative path) is a partial: a `_`-prefixed file or folder.
pub fn is_partial_path(rel_in_version: &str) -> bool {
    rel_in_version.split('/').any(|s| s.starts_with('_'))
}

/// What routing needs of one file: its path, its version and its front matter (the model
/// builds these from its parsed files; routing never sees a parsed document).
#[derive(Clone, Copy, Debug)]
pub struct PageInput<'a> {
    /// Relative to the site root, with `/` separators.
    pub path: &'a str,
    pub loc: Option<Location>,
    pub front_matter: Option<&'a FrontMatter>,
}

impl Routes {
    pub fn build(site: &Site, files: &[PageInput]) -> Routes {
        let mut r = Routes::default();
        let base = crate::site::docusaurus::routes::base_url(site);
        r.base_url = base.clone();
        for f in files {
            let route = doc_route(site, f, &base);
            if let Some(d) = &route {
                r.by_key.entry(route_key(&d.permalink)).or_default().push(r.docs.len());
            }
            r.docs.push(route);
        }
        for dir in crate::site::docusaurus::routes::static_dirs(site) {
            r.add_static_dir(site, &dir, &base);
        }
        r.generated = generated_index_routes(site, &base);
        r.generated.extend(crate::site::docusaurus::routes::extra_routes(site).iter().map(|p| route_key(p)));
        r
    }

    /// Files of a static directory as URL paths, and its Netlify `_redirects`.
    fn add_static_dir(&mut self, site: &Site, dir: &str, base: &str) {
        let r = self;
        let static_dir = site.root.join(dir);
        if static_dir.is_dir() {
            for e in walkdir::WalkDir::new(&static_dir).into_iter().flatten() {
                if e.file_type().is_file()
                    && let Ok(rel) = e.path().strip_prefix(&static_dir)
                {
                    let url: Vec<String> =
                        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    r.statics.insert(format!("{base}{}", url.join("/")));
                }
            }
            if let Ok(text) = site.bounds.read_to_string(&static_dir.join("_redirects")) {
                for line in text.lines() {
                    let line = line.trim();
                    if line.is_empty() || line.starts_with('#') {
                        continue;
                    }
                    if let Some(from) = line.split_whitespace().next() {
                        r.redirects.push(Redirect {
                            from: from.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                        });
                    }
                }
            }
        }
    }

    pub fn docs_at(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn is_static(&self, path: &str) -> bool {
        self.statics.contains(path)
    }

    pub fn is_generated_index(&self, key: &str) -> bool {
        self.generated.contains(key)
    }

    /// Whether a Netlify-style rule in `static/_redirects` catches `path`: `:name` matches one
    /// segment, a trailing `*` the rest (at least one segment), an inner `*` one segment.
    pub fn is_redirected(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        self.redirects.iter().any(|r| {
            for (k, pat) in r.from.iter().enumerate() {
                let last = k + 1 == r.from.len();
                if pat == "*" && last {
                    return segs.len() > k;
                }
                let Some(seg) = segs.get(k) else { return false };
                if pat != "*" && !pat.starts_with(':') && pat != seg {
                    return false;
                }
            }
            r.from.len() == segs.len()
        })
    }

    /// Every route key, for "did you mean".
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(String::as_str)
    }
}

fn doc_route(site: &Site, f: &PageInput, base: &str) -> Option<DocRoute> {
    let Some(loc) = f.loc else {
        // A blog post or Markdown page.
        let slug = f.front_matter.and_then(|m| m.slug.as_deref());
        let permalink = crate::site::docusaurus::routes::file_permalink(site, f.path, slug)?;
        return Some(DocRoute { permalink, built: true });
    };
    let ds = &site.doc_sets[loc.doc_set];
    let v = &ds.versions[loc.version];
    let rel = if v.dir.is_empty() { f.path } else { f.path.strip_prefix(&v.dir)?.trim_start_matches('/') };
    if is_partial_path(rel) {
        return None;
    }
    let (dir, file) = match rel.rfind('/') {
        Some(k) => (&rel[..k], &rel[k + 1..]),
        None => ("", rel),
    };
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let fm = f.front_matter;
    let fm_id = fm.and_then(|m| m.id.as_deref());
    let fm_slug = fm.and_then(|m| m.slug.as_deref());
    let base_id = fm_id.unwrap_or_else(|| strip_number_prefix(stem));
    let dir_stripped: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).map(strip_number_prefix).collect();
    let dir_url = if dir_stripped.is_empty() { "/".to_string() } else { format!("/{}/", dir_stripped.join("/")) };
    let parent_raw = dir.rsplit('/').next().unwrap_or("");
    let lower = stem.to_lowercase();
    let category_index =
        lower == "index" || lower == "readme" || (!parent_raw.is_empty() && lower == parent_raw.to_lowercase());
    let slug = match fm_slug {
        Some(s) if s.starts_with('/') => s.to_string(),
        None if category_index => dir_url.clone(),
        Some(s) => resolve_path(s, &dir_url),
        None => resolve_path(base_id, &dir_url),
    };
    let permalink = join_url(&[base, &ds.route_base, &v.url_path, &slug]);
    let permalink = crate::site::docusaurus::routes::apply_trailing_slash(site, permalink);
    // A `draft` doc is left out of production builds (`unlisted` ones are built, just hidden).
    let draft = fm.and_then(|m| m.field("draft")).is_some_and(|d| d.trim() == "true");
    Some(DocRoute { permalink, built: v.built && !draft })
}

/// `generated-index` category pages declared in `<id>_versioned_sidebars/version-<v>-sidebars.json`.
fn generated_index_routes(site: &Site, base: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for ds in &site.doc_sets {
        for v in &ds.versions {
            let path = site.root.join(format!("{}_versioned_sidebars/version-{}-sidebars.json", ds.id, v.name));
            let Ok(text) = site.bounds.read_to_string(&path) else { continue };
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            let mut stack = vec![&json];
            while let Some(node) = stack.pop() {
                match node {
                    serde_json::Value::Array(a) => stack.extend(a),
                    serde_json::Value::Object(o) => {
                        if let Some(link) = o.get("link")
                            && link.get("type").and_then(|t| t.as_str()) == Some("generated-index")
                        {
                            let slug = match link.get("slug").and_then(|s| s.as_str()) {
                                Some(s) => s.to_string(),
                                None => {
                                    let label = o.get("label").and_then(|l| l.as_str()).unwrap_or("");
                                    format!("/category/{}", crate::doc::slug::slug(label, false))
                                }
                            };
                            out.insert(route_key(&join_url(&[base, &ds.route_base, &v.url_path, &slug])));
                        }
                        stack.extend(o.values());
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// Percent-encode an id as `normalizeUri` (micromark-util-sanitize-uri) does for footnotes:
/// ASCII alphanumerics and `-._~!$&'()*+,;=:@/?#` stay, everything else is UTF-8 escaped.
pub fn percent_encode_id(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?#".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decode a URL path (invalid escapes are kept as written).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = ((b[i + 1] as char).to_digit(16), (b[i + 2] as char).to_digit(16))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_patterns() {
        let r = Routes {
            redirects: ["/*/index", "/calico/next/*", "/calico/:version/about/about-calico"]
                .iter()
                .map(|p| Redirect { from: p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect() })
                .collect(),
            ..Routes::default()
        };
        assert!(r.is_redirected("/calico/index"));
        assert!(!r.is_redirected("/calico/3.31/nothing-here"));
        assert!(r.is_redirected("/calico/next/a/b"));
        assert!(!r.is_redirected("/calico/next"));
        assert!(r.is_redirected("/calico/3.31/about/about-calico"));
    }

    #[test]
    fn number_prefixes() {
        assert_eq!(strip_number_prefix("01-intro"), "intro");
        assert_eq!(strip_number_prefix("10 - Spaced"), "Spaced");
        assert_eq!(strip_number_prefix("1.0-release"), "1.0-release");
        assert_eq!(strip_number_prefix("2021-01-01-post"), "2021-01-01-post");
        assert_eq!(strip_number_prefix("intro"), "intro");
        assert_eq!(strip_number_prefix("3.31-notes"), "3.31-notes");
    }

    #[test]
    fn paths_resolve_like_resolve_pathname() {
        assert_eq!(resolve_path("relative-slug", "/network-policy/"), "/network-policy/relative-slug");
        assert_eq!(resolve_path("../up-one", "/network-policy/"), "/up-one");
        assert_eq!(resolve_path("/abs", "/x/"), "/abs");
        assert_eq!(
            join_url(&["calico", "3.31", "/getting-started/kubernetes/"]),
            "/calico/3.31/getting-started/kubernetes/"
        );
        assert_eq!(join_url(&["calico-cloud", "", "/about/"]), "/calico-cloud/about/");
        assert_eq!(join_url(&["calico", "3.31", "/"]), "/calico/3.31/");
        assert_eq!(route_key("/a/b/"), "/a/b");
    }
}
