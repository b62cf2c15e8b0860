//! Where every link of every file lands, resolved once for all link and anchor rules.
//!
//! `.md`/`.mdx` links in Markdown are resolved by file path (Docusaurus `resolveMarkdownLinks`:
//! `./` and `../` from the file's folder; bare paths from the folder, then the version root, then
//! the site; a leading `/` from the version root, then the site; `@site/` from the site). Other
//! links are URLs, resolved against the URL of the page that renders them, as the build-time
//! checker does. A link inside a partial is resolved for every page that renders the partial.
//!
//! Not checked, as Docusaurus does not check them or docdrift cannot know them: JSX props of
//! components that do not render them as links (a `<RepoLink href>` that builds a GitHub URL),
//! URLs with a `$[variable]` that `variables.js` computes, and links into folders a build
//! script fills (`[site] generated`, or a folder whose `.gitignore` ignores all but itself).

use crate::doc::{Link, LinkKind};
use crate::model::Model;
use crate::one_or_many::OneOrMany;
use crate::site::routes::{percent_decode, resolve_path, route_key};
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Has a scheme (`https:`, `mailto:`) or a host: not checked.
    External,
    /// A doc page. The fragment to find on it is the checked URL's
    /// ([`LinkCheck::fragment`]): kept here, a copy per link was 14,000 small allocations on
    /// the tigera corpus, held for the run.
    Doc {
        file: usize,
    },
    /// Exists, with no anchors docdrift knows of: a static asset, a file next to the page, a
    /// redirect, a generated category page.
    Other,
    Broken(Broken),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Broken {
    /// `[x]()`.
    Empty,
    /// A `.md`/`.mdx` link to no file.
    NoFile { tried: Box<str> },
    /// The file exists with the other extension.
    WrongExtension { found: Box<str> },
    /// A partial (`_` file or folder) has no page.
    Partial { file: usize },
    /// A file link into another doc set (another docs plugin instance).
    OtherDocSet { file: usize },
    /// A file or route in a version the site does not build.
    UnbuiltVersion { file: usize },
    /// No page, asset or redirect at this URL path.
    NoRoute { path: Box<str> },
    /// An image or file next to the page that does not exist.
    NoAsset { tried: Box<str> },
}

/// One link's resolution, per page that renders it (one entry for an ordinary page).
#[derive(Clone, Debug)]
pub struct LinkCheck {
    /// Index into the file's `doc.links`.
    pub link: usize,
    /// The URL after `$[var]` substitution, when that changed it (see [`LinkCheck::url`]):
    /// most links have no variable, and a copy of every URL of the site was megabytes.
    pub substituted: Option<Box<str>>,
    /// `(page, target)`: `page` is the file whose URL and anchors apply.
    pub results: Results,
}

/// A link's results: one for a link on an ordinary page, held inline (most links: a list of
/// one was a 48-byte allocation, about 0.8 MB over the corpus), or one per page that renders
/// the partial it is on.
pub type Results = OneOrMany<(usize, Target)>;

impl LinkCheck {
    /// The URL after `$[var]` substitution; `link` is the link checked (`doc.links[self.link]`).
    pub fn url<'a>(&'a self, link: &'a Link) -> &'a str {
        self.substituted.as_deref().unwrap_or(&link.url)
    }

    /// The fragment to find on the page a [`Target::Doc`] result lands on (empty: none).
    pub fn fragment<'a>(&'a self, link: &'a Link) -> &'a str {
        split_url(self.url(link)).1
    }
}

pub fn resolve_all(model: &Model) -> Vec<Vec<LinkCheck>> {
    use rayon::prelude::*;
    (0..model.files.len()).into_par_iter().map(|i| resolve_file(model, i)).collect()
}

fn resolve_file(model: &Model, i: usize) -> Vec<LinkCheck> {
    let f = &model.files[i];
    let pages: Vec<usize> = if crate::site::routes::is_partial_path(&f.path) || model.routes.docs[i].is_none() {
        model.rendered_by[i].clone()
    } else {
        vec![i]
    };
    if pages.is_empty() && crate::site::routes::is_partial_path(&f.path) {
        // A partial no page imports is never compiled (a template, a leftover): nothing to check.
        return Vec::new();
    }
    // At most one check per link: sized once and trimmed at the end, as these lists are kept
    // for the whole run.
    let mut out = Vec::with_capacity(f.doc.links.len());
    // Folders known to be (or not be) filled by a build step: one look at each folder's
    // `.gitignore` per file, not one per broken link (a page of many broken links made as many
    // file-system calls).
    let mut generated_dirs = std::collections::HashMap::new();
    for (k, link) in f.doc.links.iter().enumerate() {
        if link.kind == LinkKind::JsxAttribute && !jsx_renders_link(model, i, link) {
            continue;
        }
        let computed = std::cell::Cell::new(false);
        let url = crate::doc::substitute(&link.url, |n| {
            computed.set(computed.get() || model.site.variable_is_computed(f.loc, n));
            model.site.variable(f.loc, n)
        });
        if computed.get() {
            // The value exists only when `variables.js` runs: nothing to check against.
            continue;
        }
        // Sized once: a partial's link has a result per page that renders it, hundreds for
        // some, and grown by doubling those lists held a quarter more than they needed.
        let file_link = is_file_link(link, &url);
        let mut results = Results::with_capacity(if file_link { 1 } else { pages.len().max(1) });
        if file_link {
            // Resolved from the file's own path, whatever page renders it.
            let page = pages.first().copied().unwrap_or(i);
            results.push((page, resolve_file_link(model, i, &url)));
        } else if pages.is_empty() {
            // A URL in a partial no page renders: absolute URLs can still be checked.
            if url.starts_with('/') || is_external(&url) {
                results.push((i, resolve_url(model, i, i, link, &url)));
            }
        } else {
            for &p in &pages {
                results.push((p, resolve_url(model, i, p, link, &url)));
            }
        }
        for (_, target) in results.iter_mut() {
            if is_generated(model, i, target, &mut generated_dirs) {
                *target = Target::Other;
            }
        }
        if results.iter().all(|(_, t)| matches!(t, Target::External | Target::Other)) {
            // Nothing is reported on a link that leaves the site or lands where docdrift knows
            // no anchors, and these lists are kept for the whole run: on the tigera corpus,
            // 8,946 of 35,687 checks.
            continue;
        }
        let substituted = match url {
            std::borrow::Cow::Owned(u) if *u != *link.url => Some(u.into_boxed_str()),
            _ => None,
        };
        out.push(LinkCheck { link: k, substituted, results });
    }
    out.shrink_to_fit();
    out
}

/// Whether a JSX `href`/`to`/`src` is rendered as a link or image, which is what Docusaurus
/// checks: on `<a>`, `<img>`, `<Link>`, and on a local component whose source hands the prop
/// straight to one of those. Other components do what they like with their props.
fn jsx_renders_link(model: &Model, file: usize, link: &Link) -> bool {
    let f = &model.files[file];
    let holds = |e: &&crate::doc::JsxElement| e.attrs.iter().any(|a| a.span == link.span);
    // The element is the last to start before its attribute (elements are in order of start);
    // the scan of them all is only for a document where it is not.
    let last = f.doc.jsx.partition_point(|e| e.span.start <= link.span.start).checked_sub(1);
    let found = last.map(|k| &f.doc.jsx[k]).filter(holds).or_else(|| f.doc.jsx.iter().find(holds));
    let Some(e) = found else { return true };
    let prop = link.label.as_deref().unwrap_or("");
    match &*e.name {
        "a" | "img" | "Link" => return true,
        name if !name.starts_with(|c: char| c.is_uppercase()) => return matches!(prop, "src" | "href"),
        _ => {}
    }
    let Some(imp) = f.doc.imports.iter().find(|i| i.names.iter().any(|n| *n == *e.name)) else { return false };
    if imp.source == "@docusaurus/Link" {
        return true;
    }
    let Some(base) = crate::site::paths::resolve_import(&f.path, &imp.source) else { return false };
    let Some(module) = model.site.read_module(&base) else { return false };
    let compact: String = module.1.chars().filter(|c| !c.is_whitespace()).collect();
    ["to", "href", "src"]
        .iter()
        .any(|a| compact.contains(&format!("{a}={{{prop}}}")) || compact.contains(&format!("{a}={{props.{prop}}}")))
        && (compact.contains("<Link") || compact.contains("<a") || compact.contains("<img"))
}

/// Whether a broken target lies in a folder that a build step fills.
fn is_generated(model: &Model, from: usize, target: &Target, dirs: &mut HashMap<String, bool>) -> bool {
    match target {
        Target::Broken(Broken::NoFile { tried }) => generated_path(model, tried, dirs),
        Target::Broken(Broken::NoRoute { path }) => {
            if in_generated_version(model, path) {
                return true;
            }
            let Some(loc) = model.files[from].loc else { return false };
            let vdir = &model.site.version(loc).dir;
            let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
            (0..segs.len()).any(|k| generated_path(model, &format!("{vdir}/{}", segs[k..].join("/")), dirs))
        }
        _ => false,
    }
}

/// `rel` (root-relative) matches `[site] generated`, or a folder on its way holds a
/// `.gitignore` that ignores everything but itself (`*` and `!.gitignore`): a folder committed
/// empty for a prebuild script to fill. `dirs` remembers each folder's answer.
fn generated_path(model: &Model, rel: &str, dirs: &mut HashMap<String, bool>) -> bool {
    let rel = crate::site::paths::normalize_rel(rel);
    if model.site.generated.is_match(&rel) {
        return true;
    }
    let under = |dir: &str| rel.strip_prefix(dir).is_some_and(|t| t.is_empty() || t.starts_with('/'));
    if model.site.doc_sets.iter().flat_map(|ds| &ds.versions).any(|v| v.generated && under(&v.dir)) {
        return true;
    }
    let mut dir = parent_dir(&rel);
    while !dir.is_empty() {
        let filled = *dirs.entry(dir.to_string()).or_insert_with(|| {
            let ignore = model.site.root.join(dir).join(".gitignore");
            ignore.is_file()
                && model.site.bounds.read_to_string(&ignore).is_ok_and(|text| ignores_all_but_itself(&text))
        });
        if filled {
            return true;
        }
        dir = parent_dir(dir);
    }
    false
}

/// Whether the URL path `path` lies in the URL space of a version the site's build generates:
/// of the versions whose URL prefix it starts with, the one with the longest prefix (the last
/// version, served at the doc set's root, owns only what no other version claims).
fn in_generated_version(model: &Model, path: &str) -> bool {
    let base = crate::site::docusaurus::routes::base_url(&model.site);
    let path = crate::site::docusaurus::routes::with_base_url(&base, path);
    let segs = |p: &str| p.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
    let path = segs(&path);
    let mut best: Option<(usize, bool)> = None;
    for ds in &model.site.doc_sets {
        for v in &ds.versions {
            let prefix = segs(&format!("{base}/{}/{}", ds.route_base, v.url_path));
            if path.starts_with(&prefix) && best.is_none_or(|(n, _)| prefix.len() > n) {
                best = Some((prefix.len(), v.generated));
            }
        }
    }
    best.is_some_and(|(_, generated)| generated)
}

fn ignores_all_but_itself(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    lines.iter().any(|l| matches!(*l, "*" | "/*" | "**"))
        && lines.iter().all(|l| matches!(*l, "*" | "/*" | "**" | "!.gitignore" | "!/.gitignore"))
}

fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let scheme_len = url.bytes().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')).count();
    scheme_len > 0 && url.as_bytes().get(scheme_len) == Some(&b':') && url.as_bytes()[0].is_ascii_alphabetic()
}

/// A URL's path (before any `?` query) and fragment (after the first `#`).
///
/// With the `memchr` crate: `str::find` with a `char` costs over a hundred instructions a call
/// on URLs this short, and link checks split every URL of every page a few times.
fn split_url(url: &str) -> (&str, &str) {
    let (before_hash, hash) = match memchr::memchr(b'#', url.as_bytes()) {
        Some(k) => (&url[..k], &url[k + 1..]),
        None => (url, ""),
    };
    let path = memchr::memchr(b'?', before_hash.as_bytes()).map_or(before_hash, |k| &before_hash[..k]);
    (path, hash)
}

/// Markdown links and definitions to `.md`/`.mdx` files (not JSX, not images): Docusaurus
/// resolves them by path rather than by URL.
pub fn is_file_link(link: &Link, url: &str) -> bool {
    if link.kind == LinkKind::JsxAttribute || link.image || is_external(url) {
        return false;
    }
    let path = split_url(url).0.as_bytes();
    // Without a lower-cased copy of every URL.
    let ends = |ext: &[u8]| path.len() >= ext.len() && path[path.len() - ext.len()..].eq_ignore_ascii_case(ext);
    ends(b".md") || ends(b".mdx")
}

fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |k| &path[..k])
}

/// The root-relative paths a file link (see [`is_file_link`]) may name, in the order they are
/// tried: from the linking file's folder, its version folder, the site root, as the link's
/// form allows. `version_dir` is the linking file's version folder (empty outside one).
///
/// Made one at a time: most links land on the first, and building the others (a join and a
/// normalisation each) for every file link of the site was a good part of resolving them.
pub fn file_link_candidates<'a>(from: &'a str, version_dir: &'a str, url: &str) -> impl Iterator<Item = String> + 'a {
    let (path, _) = split_url(url);
    let decoded = percent_decode(path);
    let dir = parent_dir(from);
    // What of the link is joined (after `skip` bytes), and to what: a folder, or the site root.
    let (skip, bases, n): (usize, [Option<&str>; 3], usize) = if decoded.starts_with("@site/") {
        ("@site/".len(), [None, None, None], 1)
    } else if decoded.starts_with('/') {
        (1, [Some(version_dir), None, None], 2)
    } else if decoded.starts_with("./") || decoded.starts_with("../") {
        (0, [Some(dir), None, None], 1)
    } else {
        (0, [Some(dir), Some(version_dir), None], 3)
    };
    (0..n).map(move |k| {
        let rest = &decoded[skip..];
        match bases[k] {
            Some(base) => crate::site::paths::normalize_rel(&format!("{base}/{rest}")),
            None => crate::site::paths::normalize_rel(rest),
        }
    })
}

fn resolve_file_link(model: &Model, from: usize, url: &str) -> Target {
    let f = &model.files[from];
    let version_dir = f.loc.map(|l| model.site.version(l).dir.as_str()).unwrap_or("");
    for c in file_link_candidates(&f.path, version_dir, url) {
        if let Some(t) = model.file_index(&c) {
            let tf = &model.files[t];
            if model.routes.docs[t].is_none() {
                return Target::Broken(Broken::Partial { file: t });
            }
            if let (Some(a), Some(b)) = (f.loc, tf.loc)
                && a.doc_set != b.doc_set
            {
                return Target::Broken(Broken::OtherDocSet { file: t });
            }
            if !model.routes.docs[t].as_ref().is_some_and(|r| r.built) && from_is_built(model, from) {
                return Target::Broken(Broken::UnbuiltVersion { file: t });
            }
            return Target::Doc { file: t };
        }
    }
    let candidates: Vec<String> = file_link_candidates(&f.path, version_dir, url).collect();
    for c in &candidates {
        let other = match c.rsplit_once('.') {
            Some((stem, ext)) if ext.eq_ignore_ascii_case("mdx") => format!("{stem}.md"),
            Some((stem, ext)) if ext.eq_ignore_ascii_case("md") => format!("{stem}.mdx"),
            _ => continue,
        };
        if model.file_index(&other).is_some() {
            return Target::Broken(Broken::WrongExtension { found: other.into() });
        }
    }
    Target::Broken(Broken::NoFile { tried: candidates.into_iter().next().unwrap_or_default().into() })
}

fn from_is_built(model: &Model, i: usize) -> bool {
    match model.files[i].loc {
        Some(l) => model.site.version(l).built,
        None => true,
    }
}

fn resolve_url(model: &Model, from: usize, page: usize, link: &Link, url: &str) -> Target {
    if url.is_empty() {
        return Target::Broken(Broken::Empty);
    }
    if is_external(url) {
        return Target::External;
    }
    let (path, _) = split_url(url);
    if path.is_empty() {
        // `#hash` (or `?q#hash`): this page.
        return Target::Doc { file: page };
    }
    let f = &model.files[from];
    // Images and files next to the page (`![](./img.png)`, `[pdf](files/a.pdf)`) are bundled
    // from the file system, relative to the file that holds the link.
    if link.kind != LinkKind::JsxAttribute && !path.starts_with('/') && has_file_extension(path) {
        let rel = if let Some(rest) = path.strip_prefix("@site/") {
            crate::site::paths::normalize_rel(rest)
        } else {
            crate::site::paths::normalize_rel(&format!("{}/{}", parent_dir(&f.path), percent_decode(path)))
        };
        return if model.site.root.join(&rel).is_file() {
            Target::Other
        } else {
            Target::Broken(Broken::NoAsset { tried: rel.into() })
        };
    }
    // `<Link>` prepends `baseUrl` to absolute paths that lack it.
    let base_url = model.routes.base_url.as_str();
    let based = crate::site::docusaurus::routes::with_base_url;
    let Some(base) = model.routes.docs[page].as_ref().map(|r| r.permalink.as_str()) else {
        if path.starts_with('/') {
            return resolve_absolute(model, from, &based(base_url, path));
        }
        return Target::Other;
    };
    let dir = match base.rfind('/') {
        Some(k) => &base[..=k],
        None => "/",
    };
    let abs: Cow<str> = if path.starts_with('/') { based(base_url, path) } else { Cow::Owned(resolve_path(path, dir)) };
    resolve_absolute(model, from, &abs)
}

fn has_file_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty() && !ext.is_empty() && ext.len() <= 5 && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

fn resolve_absolute(model: &Model, from: usize, path: &str) -> Target {
    let decoded = percent_decode(path);
    let key = route_key(&decoded);
    let docs = model.routes.docs_at(&key);
    if let Some(&t) = docs.iter().find(|&&t| model.routes.docs[t].as_ref().is_some_and(|r| r.built)).or(docs.first()) {
        let built = model.routes.docs[t].as_ref().is_some_and(|r| r.built);
        if !built && from_is_built(model, from) && !model.routes.is_redirected(&decoded) {
            return Target::Broken(Broken::UnbuiltVersion { file: t });
        }
        return Target::Doc { file: t };
    }
    if model.routes.is_static(&decoded) || model.routes.is_generated_index(&key) || model.routes.is_redirected(&decoded)
    {
        return Target::Other;
    }
    Target::Broken(Broken::NoRoute { path: decoded.into() })
}

#[cfg(test)]
mod tests {
    use super::{Results, Target};

    #[test]
    fn results_hold_one_inline_and_more_in_a_list() {
        let mut none = Results::with_capacity(1);
        assert!(none.is_empty());
        let mut one = Results::with_capacity(1);
        one.push((3, Target::External));
        assert!(matches!(one, Results::One(_)));
        assert_eq!(one.len(), 1);
        one.push((4, Target::Other));
        let pages: Vec<usize> = one.iter().map(|(p, _)| *p).collect();
        assert_eq!(pages, [3, 4], "a second result keeps the first, in order");
        let mut many = Results::with_capacity(3);
        for p in 0..3 {
            many.push((p, Target::Other));
        }
        assert!(matches!(&many, Results::Many(v) if v.len() == 3));
        for (_, t) in none.iter_mut().chain(many.iter_mut()) {
            *t = Target::External;
        }
        assert!(many.iter().all(|(_, t)| *t == Target::External));
    }
}
