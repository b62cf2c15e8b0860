//! Layer 2, the whole-site model: the [`Site`] plus every document, parsed once, with line indexes,
//! routes and the partial render graph (which file renders which partial).
//!
//! Building it is the only place files are read and parsed (in parallel, with rayon). It is plain
//! data and imports no analysis: anchors, link checks, configuration references, field uses and
//! ports are computed from it in `analysis/`, and rules read both through
//! `analysis::Index`. Rules never touch the file system.

use crate::diag::{LineIndex, Span};
use crate::doc::{self, Document, IdSyntax, ParseOptions, SharedStr, Slugger};
use crate::site::routes::{PageInput, Routes};
use crate::site::{Location, Site};
use crate::str_list::StrList;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

mod listed;
pub use listed::{DirStamp, Entry, Listing, Listings, SETTLE, doc_paths_listed};

/// One parsed file.
///
/// `text`, `lines` and `doc` are shared between files with the same bytes (and parse options):
/// a versioned site holds many identical copies of a page, and each distinct text is parsed once
/// (see [`Model::build`]).
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the site root, with `/` separators.
    pub path: String,
    /// A piece of the block the run's texts are packed in (see [`load_files`]).
    pub text: SharedStr,
    /// Built on first use (see [`SourceFile::lines`]) and shared by copies with the same text.
    pub line_index: Arc<OnceLock<LineIndex>>,
    pub doc: Arc<Document>,
    pub loc: Option<Location>,
    /// The id each heading renders with in this file's version (aligned with `doc.headings`),
    /// after `$[var]` substitution: an explicit id, or the github-slugger slug. Shared between
    /// copies with the same text where their ids are the same. In one [`StrList`]: the corpus
    /// has 24,000 of them, and one allocation each cost more than their bytes.
    pub heading_ids: Arc<StrList>,
    /// Why the file could not be read as it is (invalid UTF-8, I/O error), with where.
    pub read_problem: Option<(Span, String)>,
}

impl SourceFile {
    /// The text's line index. Only files with findings, suppression comments or a PR's changed
    /// lines need one: built for every file, the site's indexes were 1.5 MB kept for the run.
    pub fn lines(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// A partial: a file whose name starts with `_` (Docusaurus gives it no route).
    pub fn is_partial(&self) -> bool {
        self.path.rsplit('/').next().is_some_and(|n| n.starts_with('_'))
            || self.path.split('/').any(|seg| seg.starts_with('_'))
    }
}

pub struct Model {
    pub site: Site,
    pub files: Vec<SourceFile>,
    /// Permalinks, static assets, redirects (aligned with `files` where per file).
    pub routes: Routes,
    /// Per file: the partials it renders directly.
    pub partials: Vec<Vec<usize>>,
    /// Per partial: the pages (non-partial docs) that render it, directly or through other partials.
    pub rendered_by: Vec<Vec<usize>>,
}

/// File names docdrift parses.
pub fn is_doc_file(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "mdx"))
}

impl Model {
    /// Read and parse every document of every version of the site, plus `extra` files (paths
    /// given on the command line that lie outside any version folder).
    pub fn build(site: Site, extra: &[PathBuf]) -> Model {
        let timing = std::env::var_os("DOCDRIFT_TIMING").is_some();
        let t0 = std::time::Instant::now();
        let lap = |what: &str| {
            if timing {
                eprintln!("timing: {what} at {:?}", t0.elapsed());
            }
        };
        let paths = doc_paths(&site, extra);
        lap("walk");
        let opts = parse_options(&site);
        let files = load_files(&site, paths, &opts);
        lap("read+parse");
        Model::assemble(site, files, &lap)
    }

    /// The model of `files` (sorted by path, as [`doc_paths`] gives them): for callers that read
    /// or parse files their own way (PR mode parses only what a change can affect; fixes model
    /// text not yet written).
    pub fn from_files(site: Site, files: Vec<SourceFile>) -> Model {
        Model::assemble(site, files, &|_| {})
    }

    fn assemble(site: Site, files: Vec<SourceFile>, lap: &dyn Fn(&str)) -> Model {
        let pages: Vec<PageInput> = files
            .iter()
            .map(|f| PageInput { path: &f.path, loc: f.loc, front_matter: f.doc.front_matter.as_ref() })
            .collect();
        let routes = Routes::build(&site, &pages);
        lap("routes");
        // Fx, not SipHash: the keys are the site's own paths, and hashing every one of them was
        // a fiftieth of a pre-commit run's instructions.
        let index: FxHashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (f.path.as_str(), i)).collect();
        let partials = rendered_partials(&files, &index);
        let rendered_by = rendered_by(&routes, &partials, files.len());
        Model { site, files, routes, partials, rendered_by }
    }

    /// Per file: the first file that shares its parsed document and text (itself when none
    /// does). Copies of a page with the same bytes are parsed once ([`load_files`]); what
    /// depends only on the text and the document is the same for all of them.
    pub fn first_sharing(&self) -> Vec<u32> {
        self.first_sharing_among(0..self.files.len())
    }

    /// [`Model::first_sharing`] among the files `ids` only: for each, in their order, the first
    /// of them that shares its document and text. For callers that look at a few files of a
    /// large model (a pre-commit run checks a handful of thousands).
    pub fn first_sharing_among(&self, ids: impl Iterator<Item = usize>) -> Vec<u32> {
        let mut seen: rustc_hash::FxHashMap<(*const Document, *const u8), u32> = Default::default();
        ids.map(|i| {
            let f = &self.files[i];
            *seen.entry((Arc::as_ptr(&f.doc), f.text.as_ptr())).or_insert(i as u32)
        })
        .collect()
    }

    pub fn file_index(&self, path: &str) -> Option<usize> {
        self.files.binary_search_by(|f| f.path.as_str().cmp(path)).ok()
    }
}

/// Every document of every version of the site, plus `extra` files (paths given on the command
/// line that lie outside any version folder), root-relative, sorted.
pub fn doc_paths(site: &Site, extra: &[PathBuf]) -> Vec<String> {
    doc_paths_stat(site, extra, false).into_iter().map(|(p, _)| p).collect()
}

/// A file's size and modification time, as `std::fs::metadata` gives them.
pub type SizeAndTime = (u64, Option<std::time::SystemTime>);

/// A document the walk found, and its size and time if it stat'ed it.
pub type Walked = (String, Option<SizeAndTime>);

/// [`doc_paths`], with each walked file's size and modification time when `stat` (PR mode's
/// index checks them for every file of the site). The walk reads them relative to the folder
/// it has open, one name to look up instead of a whole path: with thousands of files, looking
/// up full paths was the largest part of a pre-commit run's system time. `None` for symbolic
/// links (whose target counts), and for paths the walk did not stat: callers stat those.
pub fn doc_paths_stat(site: &Site, extra: &[PathBuf], stat: bool) -> Vec<(String, Option<SizeAndTime>)> {
    doc_paths_with(site, extra, &|dir: &Path, rel: &str, skip: Skip| collect(site, dir, rel, stat, skip))
}

/// Which folders below its own a walk passes over (by root-relative path): those another walk
/// of the same run lists (see [`doc_paths_with`]).
pub type Skip<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// The documents `walk` finds under each version folder, content folder and folder of
/// `extra` (called with its path, root-relative path and the folders to pass over), and the
/// files of `extra`; the docs plugins' `exclude` globs applied; sorted by path, each once.
///
/// A folder that is walked itself is passed over where another walk meets it below its own
/// folder: `docdrift check .` on a site without a Docusaurus config walks the root, which holds
/// every version folder, and each version folder was listed twice (on the tigera corpus, 1,000
/// folders and 8 ms of system time more). Passing over changes nothing found: both walks skip
/// the same names and apply the same `ignore`, and a walk never enters a symbolic link, while
/// the walk of the folder itself follows one at its start, so it finds at least as much.
fn doc_paths_with(
    site: &Site,
    extra: &[PathBuf],
    walk: &(dyn Fn(&Path, &str, Skip) -> Vec<Walked> + Sync),
) -> Vec<Walked> {
    // Version folders are walked in parallel; each path is its folder's plus the walked tail.
    let mut dirs: Vec<(PathBuf, String)> = site
        .doc_sets
        .iter()
        .flat_map(|ds| ds.versions.iter().filter(|v| !v.generated).map(|v| (site.root.join(&v.dir), v.dir.clone())))
        // Blog posts and Markdown pages are documents too.
        .chain(crate::site::docusaurus::routes::content_dirs(site).into_iter().map(|d| (site.root.join(&d), d)))
        .collect();
    // In the order of the paths below them (a folder as its name and a `/`): each walk yields
    // its paths sorted (see `listed::walk_order`), so one after the other they are sorted
    // unless one folder is inside another, and need no sort.
    dirs.sort_by(|a, b| path_order(&a.1, true).cmp(path_order(&b.1, true)));
    let walked_dirs: FxHashSet<&str> = dirs.iter().map(|(_, rel)| rel.as_str()).collect();
    let skip = |rel: &str| walked_dirs.contains(rel);
    let walked: Vec<Vec<Walked>> = dirs.par_iter().map(|(dir, rel)| walk(dir, rel, &skip)).collect();
    // Joined once, at their size, rather than collected piece by piece and regrown.
    let mut paths: Vec<Walked> = Vec::with_capacity(walked.iter().map(Vec::len).sum::<usize>() + extra.len());
    for w in walked {
        paths.extend(w);
    }
    // A docs plugin's `exclude` globs (relative to each version folder) leave files out.
    let excluded = crate::site::docusaurus::routes::excluded(site);
    if !excluded.is_empty() {
        paths.retain(|(p, _)| {
            !excluded.iter().any(|(dir, globs)| {
                p.strip_prefix(dir.as_str()).and_then(|t| t.strip_prefix('/')).is_some_and(|t| globs.is_match(t))
            })
        });
    }
    for p in extra {
        if p.is_dir() {
            // With a Docusaurus config, only files of a plugin instance are documents (a folder on
            // the command line selects among them); without one, a folder is all there is to go by.
            if site.docusaurus.is_some() {
                continue;
            }
            if let Some(rel) = relative(&site.root, p) {
                paths.extend(walk(p, &rel, &skip));
            }
        } else if is_doc_file(p)
            && let Some(rel) = relative(&site.root, p)
        {
            paths.push((rel, None));
        }
    }
    // Stable where a sort is needed: it merges the sorted runs that walks in path order give
    // (see `listed::walk_order`) instead of sorting from scratch.
    if !paths.is_sorted_by(|a, b| a.0 <= b.0) {
        paths.sort_by(|a, b| a.0.cmp(&b.0));
    }
    paths.dedup_by(|a, b| a.0 == b.0);
    paths
}

/// A name as it sorts among the paths below its folder: a folder as its name and a `/`, so
/// that `a-b.md` < `a/x.md` < `a0.md`. Siblings walked in this order give their paths sorted.
fn path_order(name: &str, folder: bool) -> impl Iterator<Item = u8> + '_ {
    name.bytes().chain(folder.then_some(b'/'))
}

/// For every file: the partial files it renders directly (`import X from './_x.mdx'` + `<X />`).
fn rendered_partials(files: &[SourceFile], index: &FxHashMap<&str, usize>) -> Vec<Vec<usize>> {
    files
        .iter()
        .map(|f| {
            let used: HashSet<&str> = f.doc.jsx.iter().map(|e| &*e.name).collect();
            let mut out = Vec::new();
            for imp in &f.doc.imports {
                if !(imp.source.ends_with(".mdx") || imp.source.ends_with(".md")) {
                    continue;
                }
                if !imp.names.iter().any(|n| used.contains(n.as_str())) {
                    continue;
                }
                if let Some(target) = crate::site::paths::resolve_import(&f.path, &imp.source)
                    && let Some(&i) = index.get(target.as_str())
                {
                    out.push(i);
                }
            }
            out
        })
        .collect()
}

/// Invert "renders" transitively: for each partial, the pages that end up rendering it.
fn rendered_by(routes: &Routes, partials: &[Vec<usize>], n: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); n];
    for page in 0..n {
        if routes.docs[page].is_none() {
            continue;
        }
        let mut stack: Vec<usize> = partials[page].clone();
        let mut seen = std::collections::HashSet::new();
        while let Some(p) = stack.pop() {
            if !seen.insert(p) {
                continue;
            }
            out[p].push(page);
            stack.extend(&partials[p]);
        }
    }
    out
}

/// `rel/name`, or `name` at the root: the path of a folder's entry. Pushed rather than
/// `format!`ted, which cost ten times as much; it runs for every page of the site.
fn child_path(rel: &str, name: &str) -> String {
    let mut child = String::with_capacity(rel.len() + 1 + name.len());
    if !rel.is_empty() {
        child.push_str(rel);
        child.push('/');
    }
    child.push_str(name);
    child
}

/// The documents under `dir` (whose root-relative path is `rel_dir`), as root-relative paths,
/// with their size and modification time when `stat` (see [`doc_paths_stat`]).
///
/// The walk is [`crate::site::walk`]'s, written out with `std::fs::read_dir` so that an entry
/// can be stat'ed relative to its open folder: the same names below `dir` are skipped
/// ([`crate::site::skipped_in_walks`]), symbolic links are not followed, and a folder that cannot be listed (or an
/// entry whose type cannot be read) is kept as a path, so that reading it reports why (see
/// `load_file`).
fn collect(site: &Site, dir: &Path, rel_dir: &str, stat: bool, skip: Skip) -> Vec<(String, Option<SizeAndTime>)> {
    let mut out = Vec::new();
    let mut keep = |rel: String, meta: Option<SizeAndTime>| {
        if !site.ignore.is_match(&rel) {
            out.push((rel, meta));
        }
    };
    // `dir` itself, whatever its name, symbolic link followed.
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            if is_doc_file(dir) {
                keep(rel_dir.to_string(), None);
            }
            return out;
        }
        Err(_) => {
            keep(rel_dir.to_string(), None);
            return out;
        }
    }
    let mut todo: Vec<(PathBuf, String)> = vec![(dir.to_path_buf(), rel_dir.to_string())];
    while let Some((path, rel)) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else {
            keep(rel, None);
            continue;
        };
        // An entry that cannot be read names nothing.
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let Ok(ft) = entry.file_type() else {
                keep(child_path(&rel, &name), None);
                continue;
            };
            match Entry::of(&name, ft.is_dir(), ft.is_symlink()) {
                None => {}
                Some(Entry::Dir) => {
                    let child = child_path(&rel, &name);
                    if !skip(&child) {
                        todo.push((entry.path(), child));
                    }
                }
                Some(kind) => {
                    let child = child_path(&rel, &name);
                    let meta = (stat && kind == Entry::Doc)
                        .then(|| entry.metadata().ok())
                        .flatten()
                        .map(|m| (m.len(), m.modified().ok()));
                    keep(child, meta);
                }
            }
        }
    }
    out
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> Option<String> {
    let abs = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf())
        }
    };
    let (root, path) = (normalize(&abs(root)), normalize(&abs(path)));
    let rel = path.strip_prefix(&root).ok()?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// Remove `.` and `..` without touching the file system (symlinks stay as written).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// How the site's files are parsed.
pub fn parse_options(site: &Site) -> ParseOptions {
    ParseOptions {
        mdx1_heading_ids: site.settings.explicit_heading_ids,
        mdx1_admonitions: site.settings.mdx1_admonitions,
        html_comments: site.settings.html_comments,
        commonmark: false,
    }
}

/// The options for one file: with `markdown.format: 'detect'`, `.md` files are CommonMark.
fn file_options(site: &Site, rel: &str, opts: &ParseOptions) -> Option<ParseOptions> {
    let md = rel.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("md"));
    (site.settings.format_detect && md).then(|| ParseOptions { commonmark: true, ..opts.clone() })
}

/// Read and parse the files `paths` (root-relative), in parallel, in the same order.
///
/// Each distinct text is parsed once. A versioned site keeps the same page in many version
/// folders, mostly unchanged (on the tigera corpus 2,186 of 4,550 files, 40% of the bytes, are
/// byte-identical copies of another file), and a document depends only on its text and the
/// parse options. Copies share the text, the line index and the document; what depends on the
/// file's place (its path, location and heading ids, which substitute that version's
/// variables) stays per file.
pub fn load_files(site: &Site, paths: Vec<String>, opts: &ParseOptions) -> Vec<SourceFile> {
    struct Read {
        rel: String,
        /// Empty until the texts are packed.
        text: SharedStr,
        read_problem: Option<(Span, String)>,
        /// Read as CommonMark (see [`file_options`]): the same bytes are then another document.
        commonmark: bool,
    }
    // Texts are shared as they are read, through one buffer per task: a copy of a text read
    // before gets that text, and only a new text is allocated. When each file had an
    // allocation of its own until its copies were found, the 12 MB of copies freed then
    // stayed with the allocator as slots of the texts' sizes, which the parse's small
    // allocations could not reuse: the run's peak memory held the site's bytes one and a
    // half times over.
    let texts: Mutex<FxHashMap<u64, Vec<Arc<str>>>> = Default::default();
    // The bytes are compared and copied outside the lock, so that the threads reading do not
    // wait on each other's copies: the texts with this hash are compared first, then a new
    // text is made, then only the texts another thread added meanwhile are compared. Bytes
    // are compared, not only hashes, so that a hash collision cannot share a wrong text.
    // Only a new text's bytes are checked to be UTF-8: a copy's are its first copy's.
    let share = |b: &[u8]| -> Result<Arc<str>, std::str::Utf8Error> {
        let hash = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, b);
        let lock = || texts.lock().unwrap_or_else(|p| p.into_inner());
        let known: Vec<Arc<str>> = lock().get(&hash).cloned().unwrap_or_default();
        if let Some(twin) = known.iter().find(|s| s.as_bytes() == b) {
            return Ok(twin.clone());
        }
        let text: Arc<str> = Arc::from(std::str::from_utf8(b)?);
        let mut texts = lock();
        let same = texts.entry(hash).or_default();
        if let Some(twin) = same[known.len()..].iter().find(|s| s.as_bytes() == b) {
            return Ok(twin.clone());
        }
        same.push(text.clone());
        Ok(text)
    };
    let (mut read, read_texts): (Vec<Read>, Vec<Arc<str>>) = paths
        .into_par_iter()
        .map_init(Vec::new, |buf, rel| {
            let (text, read_problem) = read_text_with(site, &rel, buf, &share);
            let commonmark = file_options(site, &rel, opts).is_some();
            (Read { rel, text: SharedStr::default(), read_problem, commonmark }, text)
        })
        .unzip();
    drop(texts);
    let (packed, text_ids) = pack_texts(&read_texts);
    // The first file with each (options, text), by the number packing gave its text.
    let mut seen: FxHashMap<(bool, u32), usize> = Default::default();
    let first: Vec<usize> = read
        .iter()
        .zip(&text_ids)
        .enumerate()
        .map(|(i, (r, &id))| *seen.entry((r.commonmark, id)).or_insert(i))
        .collect();
    for (r, text) in read.iter_mut().zip(packed) {
        r.text = text;
    }
    // Freed by the worker threads, which parse next: a thread keeps what it frees in a cache of
    // its own for its next allocations, and the main thread allocates little until the end.
    // Freed here on the main thread, the peak on the corpus was 1.5 MiB higher.
    read_texts.into_par_iter().for_each(drop);
    // The first copy of each text is parsed as any file is. Copies' texts are freed first, so
    // that the site's bytes are not held twice.
    let mut files: Vec<Option<SourceFile>> = read
        .par_iter_mut()
        .enumerate()
        .map(|(i, r)| {
            let text = std::mem::take(&mut r.text);
            (first[i] == i).then(|| parse_text(site, std::mem::take(&mut r.rel), text, r.read_problem.take(), opts))
        })
        .collect();
    // Every thread that parsed keeps scratch lists as large as its largest page: freed here
    // for the analyses that follow (the calling thread may have parsed too).
    rayon::broadcast(|_| doc::release_scratch());
    doc::release_scratch();
    // The copies share its text, line index and document. Heading ids depend on the file's
    // version only through `$[variables]` in headings: without any, its ids are every copy's.
    let copies: Vec<(usize, SourceFile)> = read
        .into_par_iter()
        .enumerate()
        .filter(|&(i, _)| first[i] != i)
        .map(|(i, r)| {
            let f = files[first[i]].as_ref().expect("the first copy of each text is parsed");
            let loc = site.locate(&r.rel);
            let heading_ids = if f.doc.headings.iter().any(|h| crate::doc::has_token_start(&h.text)) {
                let ids = heading_ids(site, loc, &f.doc);
                if ids == *f.heading_ids { f.heading_ids.clone() } else { Arc::new(ids) }
            } else {
                f.heading_ids.clone()
            };
            let file = SourceFile {
                path: r.rel,
                text: f.text.clone(),
                line_index: f.line_index.clone(),
                doc: f.doc.clone(),
                loc,
                heading_ids,
                read_problem: r.read_problem,
            };
            (i, file)
        })
        .collect();
    for (i, f) in copies {
        files[i] = Some(f);
    }
    files.into_iter().map(|f| f.expect("every file is parsed or a copy")).collect()
}

/// Read and parse one file (`rel` is root-relative).
pub fn load_file(site: &Site, rel: String, opts: &ParseOptions) -> SourceFile {
    let (text, read_problem) = read_text(site, &rel);
    parse_text(site, rel, SharedStr::owned(&text), read_problem, opts)
}

/// How large a block of packed texts grows before the next one starts: a few per large site,
/// so that the threads pack them in parallel.
const PACK_BLOCK: usize = 4 << 20;

/// `texts` copied end to end into a few large blocks: each text's piece of its block, and a
/// number for each distinct text (copies, one `Arc`, are one piece and one number). Pieces'
/// addresses do not tell texts apart: an empty piece starts where the next text starts. The
/// caller then frees `texts`.
///
/// The allocator gives each allocation a size class up to a quarter larger than asked, and a
/// site's texts are thousands of allocations of 2 to 30 KB: on the tigera corpus, 1.8 MB of
/// its 18 MB of distinct text was that rounding, kept for the whole run. Packed, they are
/// five allocations. Each text is still read into an allocation of its own first, where
/// copies are found (see [`load_files`]); all of those are freed together after packing, so
/// the allocator can reuse their memory for anything (the parse that follows).
fn pack_texts(texts: &[Arc<str>]) -> (Vec<SharedStr>, Vec<u32>) {
    let mut index: FxHashMap<*const u8, u32> = Default::default();
    let mut distinct: Vec<&Arc<str>> = Vec::new();
    let which: Vec<u32> = texts
        .iter()
        .map(|t| {
            *index.entry(t.as_ptr()).or_insert_with(|| {
                distinct.push(t);
                distinct.len() as u32 - 1
            })
        })
        .collect();
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    let mut size = 0;
    for (i, t) in distinct.iter().enumerate() {
        match groups.last_mut() {
            Some(g) if size + t.len() <= PACK_BLOCK => g.end = i + 1,
            _ => {
                groups.push(i..i + 1);
                size = 0;
            }
        }
        size += t.len();
    }
    let pieces: Vec<SharedStr> = groups.into_par_iter().flat_map_iter(|g| pack_block(&distinct[g])).collect();
    (which.iter().map(|&k| pieces[k as usize].clone()).collect(), which)
}

/// The texts, end to end in one new block, as pieces of it.
fn pack_block(texts: &[&Arc<str>]) -> Vec<SharedStr> {
    let block = SharedStr::concat(&texts.iter().map(|t| &***t).collect::<Vec<&str>>());
    let mut at = 0;
    texts
        .iter()
        .map(|t| {
            at += t.len();
            block.piece(at - t.len(), at)
        })
        .collect()
}

/// The text of the document `rel`, and why it is not exactly the bytes on disk (invalid UTF-8,
/// shown lossily) or why there is none (the read failed), if so.
fn read_text(site: &Site, rel: &str) -> (Arc<str>, Option<(Span, String)>) {
    read_text_with(site, rel, &mut Vec::new(), &|b| std::str::from_utf8(b).map(Arc::from))
}

/// Makes a text of bytes read, or says that they are not UTF-8.
type Share<'a> = dyn Fn(&[u8]) -> Result<Arc<str>, std::str::Utf8Error> + 'a;

/// [`read_text`], reading through `buf` and making the text with `share`.
fn read_text_with(site: &Site, rel: &str, buf: &mut Vec<u8>, share: &Share) -> (Arc<str>, Option<(Span, String)>) {
    // Text shown lossily is UTF-8: shared, it is never an error.
    let valid = |t: &str| share(t.as_bytes()).unwrap_or_else(|_| Arc::from(t));
    match read_doc(site, rel, buf) {
        Ok(()) => match share(buf) {
            Ok(t) => (t, None),
            Err(e) => {
                let at = e.valid_up_to();
                let text = String::from_utf8_lossy(buf);
                (valid(&text), Some((Span::new(at, at + 1), format!("invalid UTF-8 at byte {at}"))))
            }
        },
        Err(e) => (valid(""), Some((Span::default(), e))),
    }
}

/// The bytes of the document `rel`, read into `buf` within the site's bounds; the error is a message and,
/// after a newline, what to do.
fn read_doc(site: &Site, rel: &str, buf: &mut Vec<u8>) -> Result<(), String> {
    let path = site.root.join(rel);
    site.bounds.read_into(&path, buf).map_err(|e| match e {
        crate::site::ReadError::NotRegular { kind: "a folder" } => match std::fs::read_dir(&path) {
            Err(io) => {
                format!("cannot list this folder: {io}\nFix the folder's permissions, or add it to `[site] ignore`")
            }
            Ok(_) => format!("{e}\n{}", e.help()),
        },
        // The walk keeps names that are not UTF-8 as U+FFFD, which names no file.
        crate::site::ReadError::NotFound if rel.contains('\u{fffd}') => {
            "the file name is not valid UTF-8 (shown with U+FFFD)\nRename the file to a UTF-8 name".to_string()
        }
        e => format!("{e}\n{}", e.help()),
    })
}

/// Parse `text` as the file `rel` (root-relative); `read_problem` says why the text is not
/// exactly what is on disk, if it is not.
pub fn parse_text(
    site: &Site,
    rel: String,
    text: SharedStr,
    read_problem: Option<(Span, String)>,
    opts: &ParseOptions,
) -> SourceFile {
    let loc = site.locate(&rel);
    let doc = doc::parse_shared(&text, file_options(site, &rel, opts).as_ref().unwrap_or(opts));
    let heading_ids = Arc::new(heading_ids(site, loc, &doc));
    let line_index = Arc::default();
    SourceFile { path: rel, text, line_index, doc: Arc::new(doc), loc, heading_ids, read_problem }
}

/// Ids as the Docusaurus headings plugin assigns them: one slugger per file, in document order,
/// h1 included; explicit ids bypass the slugger.
pub fn heading_ids(site: &Site, loc: Option<Location>, doc: &Document) -> StrList {
    heading_ids_with(site, loc, doc, site.settings.explicit_heading_ids)
}

/// [`heading_ids`] with `{#id}` honoured (`bare_ids`, as with mdx1Compat) or slugged.
pub fn heading_ids_with(site: &Site, loc: Option<Location>, doc: &Document, bare_ids: bool) -> StrList {
    heading_ids_honouring(site, loc, doc, |_| bare_ids)
}

/// Heading ids where `honour(k)` says whether heading `k`'s `{#id}` is honoured.
pub fn heading_ids_honouring(
    site: &Site,
    loc: Option<Location>,
    doc: &Document,
    honour: impl Fn(usize) -> bool,
) -> StrList {
    let mut slugger = Slugger::default();
    let maintain_case = site.settings.maintain_case;
    doc.headings
        .iter()
        .enumerate()
        .map(|(k, h)| match &h.explicit_id {
            Some(id) if id.syntax != IdSyntax::Bare || honour(k) => Cow::Borrowed(id.id.as_str()),
            _ => {
                let text = doc::substitute(&h.text, |name| site.variable(loc, name));
                Cow::Owned(slugger.slug(&text, maintain_case))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{load, write};

    /// Every walk of the run, each listing every folder below its own.
    fn unpruned(site: &Site, extra: &[PathBuf]) -> Vec<Walked> {
        doc_paths_with(site, extra, &|dir: &Path, rel: &str, _: Skip| collect(site, dir, rel, true, &|_| false))
    }

    fn paths(walked: &[Walked]) -> Vec<&str> {
        walked.iter().map(|(p, _)| p.as_str()).collect()
    }

    #[test]
    fn a_folder_on_the_command_line_finds_what_every_walk_of_its_folders_finds() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for rel in [
            "docs/a.md",
            "docs/sub/b.mdx",
            "docs/node_modules/n.md",
            "versioned_docs/version-1.0/a.md",
            "notes/x.md",
            ".hidden/h.md",
            "archive/v0/old.md",
            "intro.md",
            "src/pages/p.md",
        ] {
            write(root, rel, "# T\n");
        }
        write(root, "versions.json", r#"["1.0"]"#);
        let site = load(root);
        let extra = [root.to_path_buf()];
        // Zero-config, each top folder with documents is a doc set; the root's own file and
        // `src/` are found only by the walk of the folder on the command line.
        let expected = [
            "archive/v0/old.md",
            "docs/a.md",
            "docs/sub/b.mdx",
            "intro.md",
            "notes/x.md",
            "src/pages/p.md",
            "versioned_docs/version-1.0/a.md",
        ];
        assert_eq!(doc_paths(&site, &extra), expected);
        assert_eq!(paths(&doc_paths_stat(&site, &extra, true)), expected);
        assert_eq!(doc_paths_stat(&site, &extra, true), unpruned(&site, &extra));
        let (listed, _) = doc_paths_listed(&site, &extra, &Listings::default(), std::time::Duration::ZERO);
        assert_eq!(paths(&listed), expected);
        // A folder inside a version folder: its files once, and no file outside the doc sets.
        let sub = [root.join("docs/sub")];
        let in_doc_sets: Vec<&str> =
            expected.into_iter().filter(|p| *p != "intro.md" && !p.starts_with("src/")).collect();
        assert_eq!(doc_paths(&site, &sub), in_doc_sets);
        assert_eq!(doc_paths_stat(&site, &sub, true), unpruned(&site, &sub));
    }

    /// A version folder that is a symbolic link is walked through the link; the walk of the root
    /// does not enter it, and finds its target where it is.
    #[cfg(unix)]
    #[test]
    fn a_linked_version_folder_is_walked_through_its_link_and_the_root_walk_finds_the_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        write(root, "docs/a.md", "# T\n");
        write(root, "archive/v1/a.md", "# T\n");
        std::fs::create_dir_all(root.join("versioned_docs")).expect("mkdir");
        std::os::unix::fs::symlink(root.join("archive/v1"), root.join("versioned_docs/version-1.0")).expect("symlink");
        write(root, "versions.json", r#"["1.0"]"#);
        let site = load(root);
        let extra = [root.to_path_buf()];
        let expected = ["archive/v1/a.md", "docs/a.md", "versioned_docs/version-1.0/a.md"];
        assert_eq!(doc_paths(&site, &extra), expected);
        assert_eq!(doc_paths_stat(&site, &extra, true), unpruned(&site, &extra));
    }
}
