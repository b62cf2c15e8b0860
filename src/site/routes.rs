//! Docusaurus routes: the permalink of every doc of every version, static assets, generated
//! category pages and `static/_redirects`, and the resolution of a link to a target.
//!
//! Follows `reference/docusaurus-semantics.md` §3: doc ids, slugs and number prefixes as
//! `plugin-content-docs` computes them; `.md`/`.mdx` links resolved by file path as
//! `resolveMarkdownLinks` does; other links resolved against the page URL as the build-time
//! checker does.

use crate::doc::FrontMatter;
use crate::one_or_many::OneOrMany;
use crate::site::{Location, Site};
// FxHash: every link of the site is looked up here, by short keys (see `pr.rs`).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

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
    /// Route key (see [`route_key`]) → files with that permalink: nearly always one, kept
    /// without a list of its own (a commit hook routes every doc of the site).
    by_key: HashMap<String, OneOrMany<usize>>,
    /// Files under `static/`, as URL paths (`/img/a.png`).
    statics: Statics,
    /// Pages a plugin generates (category indexes, tag pages, blog lists, the 404 page, client
    /// redirects), as route keys.
    generated: HashSet<String>,
    /// The same pages as they are rendered (a root keeps its trailing slash).
    generated_routes: HashSet<String>,
    redirects: Vec<Redirect>,
    /// The site's `baseUrl` (`/` without a Docusaurus config), with slashes at both ends.
    pub base_url: String,
}

/// The files of the static folders, listed when first asked for: only a link that no doc route
/// answers asks, so a commit hook's run rarely lists them (65 folders on the corpus).
#[derive(Default, Debug)]
struct Statics {
    /// The static folders that exist, absolute.
    dirs: Vec<std::path::PathBuf>,
    urls: std::sync::OnceLock<HashSet<String>>,
}

impl Statics {
    /// The files as URL paths under `base` (the site's `baseUrl`).
    fn urls(&self, base: &str) -> &HashSet<String> {
        self.urls.get_or_init(|| {
            let mut urls = HashSet::default();
            for dir in &self.dirs {
                list_static_dir(dir, base, &mut urls);
            }
            urls
        })
    }
}

/// Files of the static folder `static_dir` as URL paths under `base`, into `urls`.
fn list_static_dir(static_dir: &std::path::Path, base: &str, urls: &mut HashSet<String>) {
    let dir_text = static_dir.to_str();
    for e in walkdir::WalkDir::new(static_dir).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        // The walk's paths start with the folder's as given: cut it off as text when
        // both are UTF-8 with `/` separators (no component parsing per file).
        if let (Some(d), Some(p)) = (dir_text, e.path().to_str())
            && std::path::MAIN_SEPARATOR == '/'
            && let Some(rel) = p.strip_prefix(d).and_then(|r| r.strip_prefix('/'))
        {
            let mut url = String::with_capacity(base.len() + rel.len());
            url.push_str(base);
            url.push_str(rel);
            urls.insert(url);
        } else if let Ok(rel) = e.path().strip_prefix(static_dir) {
            let mut url = String::with_capacity(base.len() + rel.as_os_str().len());
            url.push_str(base);
            for (k, c) in rel.components().enumerate() {
                if k > 0 {
                    url.push('/');
                }
                url.push_str(&c.as_os_str().to_string_lossy());
            }
            urls.insert(url);
        }
    }
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
    // Sized once: this runs for every doc of every version.
    let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 1);
    out.push('/');
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
    let (head, tail) = if path.starts_with('/') { ("", path) } else { (base_dir, path) };
    if !head.is_empty() && !head.ends_with('/') {
        // The base's last segment runs into the path's first: resolve the joined text.
        return resolve_joined(&format!("{head}{tail}"));
    }
    // Otherwise the two are read in place (every doc's slug comes this way), so that resolving
    // does not first copy them into one string.
    let ends = |s: &str| ends_with_joined(head, tail, s);
    let trailing = ends("/") || ends("/.") || ends("/..");
    finish_resolved(head.split('/').chain(tail.split('/')), trailing, head.len() + tail.len())
}

fn resolve_joined(full: &str) -> String {
    let trailing = full.ends_with('/') || full.ends_with("/.") || full.ends_with("/..");
    finish_resolved(full.split('/'), trailing, full.len())
}

/// The path of `parts` (split at `/`) with `.` and `..` applied, as `/a/b`, ending in `/` when
/// `trailing`. `len` bounds its length.
fn finish_resolved<'a>(parts: impl Iterator<Item = &'a str>, trailing: bool, len: usize) -> String {
    let mut segs: Vec<&str> = Vec::with_capacity(8);
    for seg in parts {
        match seg {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let mut out = String::with_capacity(len + 2);
    out.push('/');
    for (i, s) in segs.iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(s);
    }
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

/// Whether `a` followed by `b` ends with `suffix`.
fn ends_with_joined(a: &str, b: &str, suffix: &str) -> bool {
    if b.len() >= suffix.len() {
        b.ends_with(suffix)
    } else {
        suffix.ends_with(b) && a.as_bytes().ends_with(&suffix.as_bytes()[..suffix.len() - b.len()])
    }
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
    rel_in_version.starts_with('_') || slash_then(rel_in_version, b'_')
}

/// Whether `s` has a `/` followed by `next`. (A `memmem` search builds a searcher per call,
/// which costs more than these short paths.)
fn slash_then(s: &str, next: u8) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'/', b).any(|k| b.get(k + 1) == Some(&next))
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
        r.by_key.reserve(files.len());
        r.docs.reserve_exact(files.len());
        let base = crate::site::docusaurus::routes::base_url(site);
        r.base_url = base.clone();
        // Every doc of a version shares the start of its permalink: joined once per version,
        // not once per doc (a commit hook routes the whole site).
        let prefixes: Vec<Vec<String>> = site
            .doc_sets
            .iter()
            .map(|ds| ds.versions.iter().map(|v| url_prefix(&base, &ds.route_base, &v.url_path)).collect())
            .collect();
        for f in files {
            let route = doc_route(site, f, &base, &prefixes);
            if let Some(d) = &route {
                let file = r.docs.len();
                r.by_key.entry(route_key(&d.permalink)).or_default().push(file);
            }
            r.docs.push(route);
        }
        for dir in crate::site::docusaurus::routes::static_dirs(site) {
            r.add_static_dir(site, &dir);
        }
        r.generated_routes = generated_index_routes(site, &base, files, &r.docs);
        r.generated_routes.extend(doc_tag_routes(site, files, &r.docs));
        let posts: Vec<crate::site::docusaurus::routes::Post> = files
            .iter()
            .zip(&r.docs)
            .filter(|(f, d)| {
                f.loc.is_none()
                    && d.as_ref().is_some_and(|d| d.built)
                    && crate::site::docusaurus::routes::is_blog_post(site, f.path)
            })
            .map(|(f, _)| crate::site::docusaurus::routes::Post {
                path: f.path,
                tags: f.front_matter.map_or(&[], |m| m.tags.as_slice()),
                unlisted: f.front_matter.and_then(|m| m.field("unlisted")).is_some_and(|u| u.trim() == "true"),
            })
            .collect();
        r.generated_routes.extend(crate::site::docusaurus::routes::extra_routes(site, &posts));
        r.generated = r.generated_routes.iter().map(|p| route_key(p)).collect();
        r
    }

    /// A static directory (its files are listed when first asked for: see [`Statics`]), and
    /// its Netlify `_redirects`.
    fn add_static_dir(&mut self, site: &Site, dir: &str) {
        let r = self;
        let static_dir = site.root.join(dir);
        if static_dir.is_dir() {
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
            r.statics.dirs.push(static_dir);
        }
    }

    pub fn docs_at(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map_or(&[], |files| files)
    }

    pub fn is_static(&self, path: &str) -> bool {
        self.statics.urls(&self.base_url).contains(path)
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

    /// Files of the static directories, as URL paths (`docdrift routes`).
    pub fn statics(&self) -> impl Iterator<Item = &str> {
        self.statics.urls(&self.base_url).iter().map(String::as_str)
    }

    /// Pages a plugin generates, as rendered (`docdrift routes`).
    pub fn generated_pages(&self) -> impl Iterator<Item = &str> {
        self.generated_routes.iter().map(String::as_str)
    }

    /// The `from` patterns of `static/_redirects`, as written (`docdrift routes`).
    pub fn redirect_patterns(&self) -> impl Iterator<Item = String> + '_ {
        self.redirects.iter().map(|r| format!("/{}", r.from.join("/")))
    }
}

fn doc_route(site: &Site, f: &PageInput, base: &str, prefixes: &[Vec<String>]) -> Option<DocRoute> {
    let fm = f.front_matter;
    // A `draft` is left out of production builds (`unlisted` ones are built, just hidden).
    let draft = fm.and_then(|m| m.field("draft")).is_some_and(|d| d.trim() == "true");
    let Some(loc) = f.loc else {
        // A blog post or Markdown page.
        let slug = fm.and_then(|m| m.slug());
        let permalink = crate::site::docusaurus::routes::file_permalink(site, f.path, slug)?;
        return Some(DocRoute { permalink, built: !draft });
    };
    let ds = &site.doc_sets[loc.doc_set];
    let v = &ds.versions[loc.version];
    let rel = if v.dir.is_empty() { f.path } else { f.path.strip_prefix(&v.dir)?.trim_start_matches('/') };
    if is_partial_path(rel) {
        return None;
    }
    let (dir, file) = match memchr::memrchr(b'/', rel.as_bytes()) {
        Some(k) => (&rel[..k], &rel[k + 1..]),
        None => ("", rel),
    };
    let stem = memchr::memrchr(b'.', file.as_bytes()).map_or(file, |k| &file[..k]);
    let fm_id = fm.and_then(|m| m.id());
    let fm_slug = fm.and_then(|m| m.slug());
    let base_id = fm_id.unwrap_or_else(|| strip_number_prefix(stem));
    // `/a/b/` from `01-a/02-b`: each folder without its number prefix.
    // Room for the id too: most slugs are this folder URL and the id.
    let mut dir_url = String::with_capacity(dir.len() + base_id.len() + 2);
    dir_url.push('/');
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        dir_url.push_str(strip_number_prefix(seg));
        dir_url.push('/');
    }
    let parent_raw = memchr::memrchr(b'/', dir.as_bytes()).map_or(dir, |k| &dir[k + 1..]);
    // No character outside ASCII lower-cases to `index` or `readme`, so the ASCII comparison is
    // exact for those two; the folder name is compared as Docusaurus does, with full lower-casing.
    let category_index = stem.eq_ignore_ascii_case("index")
        || stem.eq_ignore_ascii_case("readme")
        || (!parent_raw.is_empty() && same_lowercase(stem, parent_raw));
    let resolved;
    let slug: &str = match fm_slug {
        Some(s) if s.starts_with('/') => s,
        None if category_index => &dir_url,
        Some(s) => {
            resolved = resolve_path(s, &dir_url);
            &resolved
        }
        // Most docs: an id that is one plain segment resolves to the folder's URL plus the id.
        None if !base_id.is_empty() && base_id != "." && base_id != ".." && !base_id.contains('/') => {
            dir_url.push_str(base_id);
            &dir_url
        }
        None => {
            resolved = resolve_path(base_id, &dir_url);
            &resolved
        }
    };
    let permalink = join_onto(&prefixes[loc.doc_set][loc.version], slug);
    let permalink = crate::site::docusaurus::routes::apply_trailing_slash(site, base, permalink);
    Some(DocRoute { permalink, built: v.built && !draft })
}

/// `join_url(&[base, route_base, url_path])` without a trailing slash (unless it is `/`): the
/// start every permalink of the version shares, for [`join_onto`].
fn url_prefix(base: &str, route_base: &str, url_path: &str) -> String {
    let mut prefix = join_url(&[base, route_base, url_path]);
    if prefix.len() > 1 && prefix.ends_with('/') {
        prefix.pop();
    }
    prefix
}

/// `join_url(&[parts.., tail])` where `prefix` is [`url_prefix`] of the parts: `join_url`
/// keeps only non-empty segments, and takes its trailing slash from the last part alone, so
/// the parts' segments can be joined once and the tail's added to them.
fn join_onto(prefix: &str, tail: &str) -> String {
    // A tail already in that form (`/a/b`, `/a/b/`: every slug the folders give) is appended
    // as it is.
    if tail.starts_with('/') && !slash_then(tail, b'/') {
        if prefix == "/" {
            return tail.to_string();
        }
        let mut out = String::with_capacity(prefix.len() + tail.len());
        out.push_str(prefix);
        out.push_str(tail);
        return out;
    }
    let mut out = String::with_capacity(prefix.len() + tail.len() + 2);
    out.push_str(prefix);
    for seg in tail.split('/').filter(|s| !s.is_empty()) {
        if !out.ends_with('/') {
            out.push('/');
        }
        out.push_str(seg);
    }
    if tail.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// `a.to_lowercase() == b.to_lowercase()`, without allocating when both are ASCII.
fn same_lowercase(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() { a.eq_ignore_ascii_case(b) } else { a.to_lowercase() == b.to_lowercase() }
}

/// Per built version of a doc set: the version and the folders (relative to its content
/// folder, as written) that hold a built doc, each with its parents.
fn version_dirs<'a>(
    site: &'a Site,
    files: &[PageInput],
    docs: &[Option<DocRoute>],
) -> Vec<(usize, &'a crate::site::Version, HashSet<String>)> {
    // One pass over the files, each into its version's set (not a pass per version).
    let mut sets: HashMap<(usize, usize), HashSet<String>> = HashMap::default();
    for (f, d) in files.iter().zip(docs) {
        let Some(l) = f.loc else { continue };
        let v = &site.doc_sets[l.doc_set].versions[l.version];
        if !v.built || !d.as_ref().is_some_and(|d| d.built) {
            continue;
        }
        let dirs = sets.entry((l.doc_set, l.version)).or_default();
        let rel = if v.dir.is_empty() { f.path } else { f.path.strip_prefix(&v.dir).unwrap_or(f.path) };
        let mut dir = rel.trim_start_matches('/');
        while let Some(parent) = memchr::memrchr(b'/', dir.as_bytes()).map(|k| &dir[..k]) {
            // A folder already in the set came with all its parents: the rest is there.
            if dirs.contains(parent) {
                break;
            }
            dirs.insert(parent.to_string());
            dir = parent;
        }
    }
    let mut out = Vec::new();
    for (ds_index, ds) in site.doc_sets.iter().enumerate() {
        for (v_index, v) in ds.versions.iter().enumerate().filter(|(_, v)| v.built) {
            out.push((ds_index, v, sets.remove(&(ds_index, v_index)).unwrap_or_default()));
        }
    }
    out
}

/// The tags pages of the docs: per version with tagged docs, the tags list and one page per
/// tag (`buildVersionTagsRoutes`), at `<version path>/tags`.
fn doc_tag_routes(site: &Site, files: &[PageInput], docs: &[Option<DocRoute>]) -> HashSet<String> {
    let mut out = HashSet::default();
    let base = crate::site::docusaurus::routes::base_url(site);
    // The built docs with tags, by version (most sites tag few docs, or none).
    let mut tagged: HashMap<(usize, usize), Vec<&PageInput>> = HashMap::default();
    for (f, d) in files.iter().zip(docs) {
        if let Some(l) = f.loc
            && d.as_ref().is_some_and(|d| d.built)
            && f.front_matter.is_some_and(|m| !m.tags.is_empty())
        {
            tagged.entry((l.doc_set, l.version)).or_default().push(f);
        }
    }
    for (ds_index, ds) in site.doc_sets.iter().enumerate() {
        for (v_index, v) in ds.versions.iter().enumerate() {
            let Some(fs) = tagged.get(&(ds_index, v_index)) else { continue };
            let tags_root = join_url(&[&base, &ds.route_base, &v.url_path, "tags"]);
            let file = crate::site::docusaurus::tags::TagsFile::read(site, &site.root.join(&v.dir));
            let mut pages = HashSet::default();
            for f in fs {
                for t in f.front_matter.map_or(&[][..], |m| m.tags.as_slice()) {
                    pages.insert(join_url(&[&tags_root, &file.permalink(t)]));
                }
            }
            if !pages.is_empty() {
                out.insert(tags_root);
                out.extend(pages);
            }
        }
    }
    out
}

/// `generated-index` category pages: declared in a version's sidebars, or by the
/// `_category_.{json,yml,yaml}` of a folder an autogenerated sidebar item covers. The slug is
/// `link.slug`, else `/category/<label slugged>` with one slugger per version
/// (`postProcessSidebars`); a category with no built doc gets no page.
fn generated_index_routes(site: &Site, base: &str, files: &[PageInput], docs: &[Option<DocRoute>]) -> HashSet<String> {
    let mut out = HashSet::default();
    for (ds_index, v, dirs) in version_dirs(site, files, docs) {
        let ds = &site.doc_sets[ds_index];
        let mut slugger = crate::doc::Slugger::new();
        let mut add = |link: &serde_json::Value, label: &str, slugger: &mut crate::doc::Slugger| {
            if link.get("type").and_then(|t| t.as_str()) != Some("generated-index") {
                return;
            }
            let slug = match link.get("slug").and_then(|s| s.as_str()) {
                Some(s) => s.to_string(),
                None => format!("/category/{}", slugger.slug(label, false)),
            };
            out.insert(join_url(&[base, &ds.route_base, &v.url_path, &slug]));
        };
        let sidebars = crate::site::docusaurus::sidebars::load(site, ds, v);
        // Categories written in the sidebars file.
        let mut stack = vec![&sidebars];
        while let Some(node) = stack.pop() {
            match node {
                serde_json::Value::Array(a) => stack.extend(a.iter().rev()),
                serde_json::Value::Object(o) => {
                    if let Some(link) = o.get("link") {
                        add(link, o.get("label").and_then(|l| l.as_str()).unwrap_or(""), &mut slugger);
                    }
                    stack.extend(o.values());
                }
                _ => {}
            }
        }
        // Categories of autogenerated items, from `_category_` files.
        let autogen = crate::site::docusaurus::sidebars::autogenerated_dirs(&sidebars);
        let mut categories: Vec<(String, serde_json::Value)> = Vec::new();
        let content = site.root.join(&v.dir);
        // A `_category_` file counts only in a folder that holds a built doc, and such a folder's
        // parents hold one too (see `version_dirs`): the walk never enters any other folder, and
        // is not made at all when no sidebar item is autogenerated.
        let in_dirs = |e: &walkdir::DirEntry| {
            e.depth() == 0
                || !e.file_type().is_dir()
                || e.path()
                    .strip_prefix(&content)
                    .is_ok_and(|r| dirs.contains(r.to_string_lossy().replace('\\', "/").as_str()))
        };
        let walk = (!autogen.is_empty()).then(|| walkdir::WalkDir::new(&content).into_iter().filter_entry(in_dirs));
        for e in walk.into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy();
            let Some(ext) = name.strip_prefix("_category_.") else { continue };
            let Ok(rel) = e.path().strip_prefix(&content) else { continue };
            let dir = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            let covered = autogen.iter().any(|a| a == "." || dir.starts_with(&format!("{a}/")));
            if dir.is_empty() || !covered || !dirs.contains(&dir) {
                continue;
            }
            let Ok(text) = site.bounds.read_to_string(e.path()) else { continue };
            let meta = match ext {
                "json" => serde_json::from_str(&text).ok(),
                "yml" | "yaml" => yaml_to_json(&text),
                _ => None,
            };
            if let Some(meta) = meta {
                categories.push((dir, meta));
            }
        }
        categories.sort_by(|a, b| a.0.cmp(&b.0));
        for (dir, meta) in categories {
            let Some(link) = meta.get("link") else { continue };
            let folder = dir.rsplit('/').next().unwrap_or(&dir);
            let label = meta.get("label").and_then(|l| l.as_str()).unwrap_or_else(|| strip_number_prefix(folder));
            add(link, label, &mut slugger);
        }
    }
    out
}

/// A `_category_.yml`'s mapping as JSON (only what category links need: strings and maps).
fn yaml_to_json(text: &str) -> Option<serde_json::Value> {
    fn conv(y: &yaml_rust2::Yaml) -> serde_json::Value {
        use yaml_rust2::Yaml;
        match y {
            Yaml::String(s) | Yaml::Real(s) => serde_json::Value::String(s.clone()),
            Yaml::Integer(i) => serde_json::Value::from(*i),
            Yaml::Boolean(b) => serde_json::Value::Bool(*b),
            Yaml::Array(a) => serde_json::Value::Array(a.iter().map(conv).collect()),
            Yaml::Hash(h) => serde_json::Value::Object(
                h.iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), conv(v)))).collect(),
            ),
            _ => serde_json::Value::Null,
        }
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(text).ok()?;
    docs.first().map(conv)
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
    fn a_plain_id_resolves_to_the_folder_url_and_the_id() {
        for dir_url in ["/", "/a/", "/a/b c/"] {
            for id in ["x", "x.y", "x.", "...", ".x", "-", "x y", "ü"] {
                assert_eq!(format!("{dir_url}{id}"), resolve_path(id, dir_url), "{dir_url:?} {id:?}");
            }
        }
    }

    #[test]
    fn a_version_prefix_joined_once_gives_what_joining_every_part_gives() {
        let parts = ["", "/", "a", "/a/", "a//b", "//", "x/"];
        let tails = ["", "/", "/p", "/p/", "p", "p/q/", "//p", "/p//q", "/./p", "../p"];
        for base in parts {
            for route_base in parts {
                for url_path in parts {
                    let prefix = url_prefix(base, route_base, url_path);
                    for tail in tails {
                        assert_eq!(
                            join_onto(&prefix, tail),
                            join_url(&[base, route_base, url_path, tail]),
                            "{base:?} {route_base:?} {url_path:?} {tail:?}"
                        );
                    }
                }
            }
        }
    }

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

    #[test]
    fn paths_read_in_place_resolve_as_the_joined_text() {
        let bases = ["", "/", "/a/", "/a/b/", "/a", "/a/b", "a/", "/a/./", "/a/../", "//"];
        let paths = ["", ".", "..", "./", "../", "x", "x/", "./x", "../x", "../../x/.", "x/..", "/abs/.", "y/.."];
        for base in bases {
            for path in paths {
                let joined = if path.starts_with('/') { path.to_string() } else { format!("{base}{path}") };
                assert_eq!(resolve_path(path, base), resolve_joined(&joined), "{path:?} against {base:?}");
            }
        }
        assert_eq!(resolve_path("..", "/a/b/"), "/a/");
        assert_eq!(resolve_path(".", "/a/"), "/a/");
        assert_eq!(resolve_path("c", "/a/b"), "/a/bc");
    }
}
