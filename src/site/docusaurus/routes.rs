//! The routes a Docusaurus config adds beyond the docs: `baseUrl`, `trailingSlash`, static
//! directories, the blog (posts, list, archive and tags pages), pages (`src/pages/**`) and
//! client redirects.
//!
//! This module owns the blog and pages plugins' URL rules (`parseBlogFileName`, the pages
//! plugin's file-to-path mapping) and where their Markdown files live. It reads only the site
//! and the file system; the docs' permalinks and link resolution stay in the routes module,
//! which calls in here.

use std::collections::HashSet;

use super::SiteOptions;
use crate::site::Site;

/// `baseUrl`, with a leading and trailing `/` (`/` when the site has no config).
pub fn base_url(site: &Site) -> String {
    let raw = site.docusaurus.as_ref().map_or("/", |d| d.base_url.value.as_str());
    let t = raw.trim_matches('/');
    if t.is_empty() { "/".to_string() } else { format!("/{t}/") }
}

/// An absolute link path as `<Link>` renders it: `baseUrl` is prepended unless already there.
pub fn with_base_url<'p>(base: &str, path: &'p str) -> std::borrow::Cow<'p, str> {
    if base == "/" || path.starts_with(base) || path == base.trim_end_matches('/') {
        return std::borrow::Cow::Borrowed(path);
    }
    std::borrow::Cow::Owned(format!("{base}{}", path.trim_start_matches('/')))
}

/// `trailingSlash`: `Some(true)` adds one to every permalink, `Some(false)` removes it, except
/// on `/` and the `baseUrl` itself (`applyTrailingSlash` keeps `/base/index.html`). `base` is
/// the site's [`base_url`].
pub fn apply_trailing_slash(site: &Site, base: &str, permalink: String) -> String {
    if permalink == "/" || permalink == base {
        return permalink;
    }
    match site.docusaurus.as_ref().and_then(|d| d.trailing_slash.value) {
        Some(true) if !permalink.ends_with('/') => format!("{permalink}/"),
        Some(false) if permalink.len() > 1 && permalink.ends_with('/') => permalink.trim_end_matches('/').to_string(),
        _ => permalink,
    }
}

/// Static directories, relative to the site root (`static` without a config).
pub fn static_dirs(site: &Site) -> Vec<String> {
    match &site.docusaurus {
        Some(d) => d.static_directories.value.iter().map(|s| normalize(s)).collect(),
        None => vec!["static".to_string()],
    }
}

/// Per version folder of a docs instance that states `exclude`: the compiled globs. Docusaurus'
/// default (`_` partials, tests) needs no entry: partials are modelled as partials.
pub fn excluded(site: &Site) -> Vec<(String, globset::GlobSet)> {
    let Some(d) = &site.docusaurus else { return Vec::new() };
    let mut out = Vec::new();
    for o in d.docs.iter().filter(|o| o.exclude.at.is_some() && !o.exclude.value.is_empty()) {
        let mut b = globset::GlobSetBuilder::new();
        for g in &o.exclude.value {
            if let Ok(glob) = globset::GlobBuilder::new(g).literal_separator(true).build() {
                b.add(glob);
            }
        }
        let Ok(set) = b.build() else { continue };
        if let Some((_, ds)) = site.doc_set(&o.id.value) {
            out.extend(ds.versions.iter().map(|v| (v.dir.clone(), set.clone())));
        }
    }
    out
}

/// Folders, relative to the root, whose Markdown files are documents besides the docs: blog
/// posts and Markdown pages.
pub fn content_dirs(site: &Site) -> Vec<String> {
    let Some(d) = &site.docusaurus else { return Vec::new() };
    d.blogs
        .iter()
        .map(|b| normalize(&b.path.value))
        .chain(d.pages.iter().map(|p| normalize(&p.path.value)))
        // The blog and pages plugins accept a missing folder; so does docdrift.
        .filter(|dir| site.root.join(dir).is_dir())
        .collect()
}

fn normalize(p: &str) -> String {
    let p = p.replace('\\', "/");
    let p = p.trim_start_matches("./").trim_end_matches('/');
    if p == "." { String::new() } else { p.to_string() }
}

fn join(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        for seg in p.split('/').filter(|s| !s.is_empty()) {
            out.push('/');
            out.push_str(seg);
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

/// `rel` inside `dir` (both root-relative), or `None`.
fn inside<'r>(rel: &'r str, dir: &str) -> Option<&'r str> {
    if dir.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(dir)?.strip_prefix('/')
}

/// The permalink of a blog post or Markdown page at `rel` (root-relative), with its front
/// matter `slug`; `None` for other files and for `_` partials.
pub fn file_permalink(site: &Site, rel: &str, fm_slug: Option<&str>) -> Option<String> {
    let d = site.docusaurus.as_ref()?;
    let base = base_url(site);
    if rel.split('/').any(|s| s.starts_with('_')) {
        return None;
    }
    for b in &d.blogs {
        if let Some(tail) = inside(rel, &normalize(&b.path.value)) {
            let slug = match fm_slug {
                Some(s) => s.to_string(),
                None => blog_slug(tail)?,
            };
            return Some(join(&[&base, &b.route_base_path.value, &slug]));
        }
    }
    for p in &d.pages {
        if let Some(tail) = inside(rel, &normalize(&p.path.value)) {
            return page_route(&base, &p.route_base_path.value, tail);
        }
    }
    None
}

/// Docusaurus `parseBlogFileName`: `2021-08-26-welcome.md`, `2021/08/26/welcome.md` and
/// `2021-08-26-welcome/index.md` give `/2021/08/26/welcome`; other names their path.
pub fn blog_slug(tail: &str) -> Option<String> {
    let (stem, ext) = tail.rsplit_once('.')?;
    if !ext.eq_ignore_ascii_case("md") && !ext.eq_ignore_ascii_case("mdx") {
        return None;
    }
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    // The last `YYYY[-/]M[-/]D` in the path, with what precedes it (a folder) and follows it.
    let b = stem.as_bytes();
    let mut found = None;
    for start in 0..b.len() {
        if let Some(end) = date_at(b, start) {
            found = Some((start, end));
        }
    }
    match found {
        Some((start, end)) => {
            let folder = &stem[..start];
            let mut text = &stem[end..];
            if let Some(t) = text.strip_prefix(['-', '/']) {
                text = t;
            }
            let date = stem[start..end].replace('-', "/");
            Some(format!("/{date}/{folder}{text}"))
        }
        None => Some(format!("/{stem}")),
    }
}

/// The end of a `\d{4}[-/]\d{1,2}[-/]\d{1,2}` date starting at `i`.
fn date_at(b: &[u8], i: usize) -> Option<usize> {
    let digits = |from: usize, min: usize, max: usize| {
        let n = b[from..].iter().take(max).take_while(|c| c.is_ascii_digit()).count();
        (n >= min).then_some(from + n)
    };
    let sep = |at: usize| b.get(at).is_some_and(|c| *c == b'-' || *c == b'/');
    let y = digits(i, 4, 4)?;
    if !sep(y) {
        return None;
    }
    let m = digits(y + 1, 1, 2)?;
    if !sep(m) {
        return None;
    }
    digits(m + 1, 1, 2)
}

/// The pages plugin: `index` is its folder, other files their path without extension.
fn page_route(base: &str, route_base: &str, tail: &str) -> Option<String> {
    let (stem, _) = tail.rsplit_once('.')?;
    let (dir, name) = stem.rsplit_once('/').unwrap_or(("", stem));
    if name == "index" {
        let p = join(&[base, route_base, dir]);
        return Some(if p.ends_with('/') { p } else { format!("{p}/") });
    }
    Some(join(&[base, route_base, stem]))
}

/// A blog post as the blog's list and tag pages see it.
#[derive(Clone, Copy, Debug)]
pub struct Post<'a> {
    /// Root-relative path of the Markdown file.
    pub path: &'a str,
    pub tags: &'a [crate::doc::Tag],
    /// `unlisted: true`: rendered, but on no list page.
    pub unlisted: bool,
}

/// Route paths that exist with no Markdown behind them: the 404 page, JavaScript pages, the
/// blog's list, archive, tags and authors pages, and every client-redirect `from`. `posts` are
/// the blog posts the build renders (drafts left out).
pub fn extra_routes(site: &Site, posts: &[Post]) -> HashSet<String> {
    let mut out = HashSet::new();
    let Some(d) = &site.docusaurus else { return out };
    let base = base_url(site);
    // The theme's not-found page, written as `<baseUrl>404.html`.
    out.insert(format!("{base}404.html"));
    pages_routes(site, d, &base, &mut out);
    for b in &d.blogs {
        let dir = normalize(&b.path.value);
        let blog_dir = site.root.join(&dir);
        let root = join(&[&base, &b.route_base_path.value]);
        // With no blog folder the plugin still renders its (empty) list page.
        if !blog_dir.is_dir() {
            out.insert(root);
            continue;
        }
        let mine: Vec<&Post> = posts.iter().filter(|p| inside(p.path, &dir).is_some()).collect();
        let listed = mine.iter().filter(|p| !p.unlisted).count();
        // The list pages: `postsPerPage` (10) listed posts each, the first at the blog root.
        paginate(&root, &b.page_base_path.value, listed, &mut out);
        if let Some(a) = b.archive_base_path.value.as_ref().filter(|_| listed > 0) {
            out.insert(join(&[&root, a]));
        }
        // Authors pages exist when the site has an authors map.
        if blog_dir.join("authors.yml").is_file() || blog_dir.join("authors.json").is_file() {
            out.insert(join(&[&root, "authors"]));
        }
        // Tag pages, each paginated over its listed posts (`getBlogTags`).
        let tags_root = join(&[&root, &b.tags_base_path.value]);
        let file = super::tags::TagsFile::read(site, &blog_dir);
        let mut by_tag: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for p in &mine {
            let mut seen = HashSet::new();
            for t in p.tags {
                let permalink = join(&[&tags_root, &file.permalink(t)]);
                if seen.insert(permalink.clone()) {
                    *by_tag.entry(permalink).or_default() += usize::from(!p.unlisted);
                }
            }
        }
        if !by_tag.is_empty() {
            out.insert(tags_root);
        }
        for (permalink, listed) in by_tag {
            paginate(&permalink, &b.page_base_path.value, listed, &mut out);
        }
    }
    for r in &d.redirects {
        for from in &r.from {
            out.insert(with_base_url(&base, from).into_owned());
        }
    }
    out
}

/// `paginateBlogPosts`: at least one page, at `base`; page N > 1 at `<base>/<page>/N`.
fn paginate(base: &str, page_base: &str, posts: usize, out: &mut HashSet<String>) {
    out.insert(base.to_string());
    for n in 2..=posts.div_ceil(POSTS_PER_PAGE) {
        out.insert(join(&[base, page_base, &n.to_string()]));
    }
}

/// The blog plugin's `postsPerPage` default.
const POSTS_PER_PAGE: usize = 10;

/// Whether `rel` (root-relative) is in one of the site's blog folders.
pub fn is_blog_post(site: &Site, rel: &str) -> bool {
    site.docusaurus.as_ref().is_some_and(|d| d.blogs.iter().any(|b| inside(rel, &normalize(&b.path.value)).is_some()))
}

fn pages_routes(site: &Site, d: &SiteOptions, base: &str, out: &mut HashSet<String>) {
    for p in &d.pages {
        let dir = site.root.join(normalize(&p.path.value));
        if !dir.is_dir() {
            continue;
        }
        let walker = walkdir::WalkDir::new(&dir).into_iter().filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() == 0 || !(n.starts_with('_') || n.starts_with('.') || n == "node_modules" || n == "__tests__")
        });
        for e in walker.flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let name = e.file_name().to_string_lossy();
            let ext = name.rsplit_once('.').map_or("", |(_, x)| x);
            if !matches!(ext, "js" | "jsx" | "ts" | "tsx" | "md" | "mdx")
                || name.ends_with(".d.ts")
                || name.contains(".test.")
                || name.contains(".spec.")
            {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&dir) else { continue };
            let tail = rel.to_string_lossy().replace('\\', "/");
            if let Some(route) = page_route(base, &p.route_base_path.value, &tail) {
                out.insert(route);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blog_file_names() {
        assert_eq!(blog_slug("2021-08-26-welcome.md").as_deref(), Some("/2021/08/26/welcome"));
        assert_eq!(blog_slug("2021/08/26/welcome.mdx").as_deref(), Some("/2021/08/26/welcome"));
        assert_eq!(blog_slug("2021-08-26-welcome/index.md").as_deref(), Some("/2021/08/26/welcome"));
        assert_eq!(blog_slug("releases/2021-8-6-v1.md").as_deref(), Some("/2021/8/6/releases/v1"));
        assert_eq!(blog_slug("hello.md").as_deref(), Some("/hello"));
        assert_eq!(blog_slug("x/index.md").as_deref(), Some("/x"));
        assert_eq!(blog_slug("a.txt"), None);
    }

    #[test]
    fn list_pages_hold_ten_posts() {
        let mut out = HashSet::new();
        paginate("/blog", "page", 0, &mut out);
        assert_eq!(out, HashSet::from(["/blog".to_string()]));
        paginate("/blog/tags/news", "page", 21, &mut out);
        assert!(out.contains("/blog/tags/news/page/3") && !out.contains("/blog/tags/news/page/4"));
        assert!(!out.contains("/blog/tags/news/page/1"));
    }

    #[test]
    fn pages_and_base_urls() {
        assert_eq!(page_route("/", "/", "index.js").as_deref(), Some("/"));
        assert_eq!(page_route("/docs/", "/", "help/index.md").as_deref(), Some("/docs/help/"));
        assert_eq!(page_route("/", "/", "about.mdx").as_deref(), Some("/about"));
        assert_eq!(with_base_url("/docs/", "/intro"), "/docs/intro");
        assert_eq!(with_base_url("/docs/", "/docs/intro"), "/docs/intro");
        assert_eq!(with_base_url("/docs/", "/docs"), "/docs");
        assert_eq!(with_base_url("/", "/a"), "/a");
    }
}
