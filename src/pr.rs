//! PR mode: check what a change touches, fast, with the whole site still modelled.
//!
//! A change is a set of changed files (`--changed`, as pre-commit passes them) or a `git diff`
//! against a base (`--diff-base`, with the changed lines of each file). PR mode reports:
//! - every finding a whole-site run reports in a changed file (with `--diff-base`, only those
//!   that start on a changed line);
//! - the findings the change causes elsewhere: links in other files that land in a changed file
//!   (or in a page that renders a changed partial) and are now broken, each pointing at the
//!   change that broke it, and links to files the change deleted or renamed away.
//!
//! **Speed.** Parsing every file of a large site takes longer than a commit hook may. PR mode
//! parses only the files that can matter, and knows everything else from a per-file index:
//! - the index holds, per file, its size and modification time, its front matter's `id`,
//!   `slug` and `title` (what routes need) and the path segments of its links and imports
//!   (what finding referrers needs). It is cached on disk ([`cache_file`]) and refreshed for
//!   files whose size or modification time changed, so a warm run reads only the changed files;
//! - the files parsed in full are the changed files; the pages that render a changed partial;
//!   the files whose links or imports name a changed file (by file name, front matter `id` or
//!   `slug`, or folder name for a category index); the same page in the other versions and
//!   doc sets (same path, or the copy drift finds by `id`, `slug` or `[drift] map`); the pages
//!   and partials those files link to or render; and the pages that render a partial among
//!   them. Every other file is a stub with its path and front matter, which is
//!   all that routes and link resolution need from it.
//!
//! **Exactness.** Rules read only the model, and every file whose content can change a finding
//! in a changed file is parsed in full, so the findings in changed files are those of a whole
//! run; `tests/pr_mode.rs` compares the two, file by file, on the fixture site and on corpus
//! samples. A change to a site-wide input (`docdrift.toml`, a `variables.js`, versions or
//! sidebars, `static/`) can change findings anywhere: PR mode then checks the whole site.

mod mapped;

use crate::analysis::Index;
use crate::analysis::links::{Broken, Target};
use crate::diag::{Finding, LineIndex, Span};
use crate::doc::{Document, FrontMatter};
use crate::model::{self, Model, SourceFile};
use crate::site::Site;
use rayon::prelude::*;
// FxHash: PR mode hashes every path and token of the site, and SipHash cost more than the work
// it keyed (a run reads only this checkout, so collision attacks are not a concern here).
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What changed, relative to the site root.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Changed documents that exist now (root-relative, `/`).
    pub files: Vec<String>,
    /// Documents the change deleted or renamed away.
    pub deleted: Vec<String>,
    /// Changed lines (1-based, inclusive ranges) per changed file; a changed file missing here
    /// changed as a whole.
    pub lines: HashMap<String, Vec<(usize, usize)>>,
    /// A site-wide input changed (configuration, variables, versions, sidebars, static files).
    pub site_wide: Vec<String>,
    /// The commit the change is measured from (`HEAD` for `--changed`, the merge base for
    /// `--diff-base`), and the site root's path inside the repository (`""` or `docs/`): to
    /// read the changed files as they were, so that only links the change broke are reported
    /// elsewhere. `None` outside a git repository: then every broken link into a changed file
    /// is reported.
    pub base: Option<(String, String)>,
}

impl Changes {
    /// Files as pre-commit passes them: relative to the current folder (or absolute).
    ///
    /// A path that does not exist is a deleted file when git knows it at `HEAD` (a pull request
    /// or a staged change can delete pages); otherwise it is a mistake, and an error: a hook or
    /// CI job pointed at a wrong path must not pass.
    pub fn from_paths(root: &Path, paths: &[PathBuf]) -> Result<Changes, String> {
        let mut c = Changes::default();
        // In a repository with a commit, the change is measured from HEAD (what pre-commit
        // checks is the staged text).
        if let Ok(out) = Command::new("git").arg("-C").arg(root).args(["rev-parse", "--show-prefix", "HEAD"]).output()
            && out.status.success()
        {
            let text = String::from_utf8_lossy(&out.stdout);
            let mut lines = text.lines();
            if let (Some(prefix), Some(head)) = (lines.next(), lines.next()) {
                c.base = Some((head.trim().to_string(), prefix.trim().to_string()));
            }
        }
        for p in paths {
            let rel = model::relative(root, p)
                .ok_or_else(|| format!("{} is outside the site root {}", p.display(), root.display()))?;
            let exists = p.exists();
            if !exists && !c.known_at_base(root, &rel) {
                return Err(format!(
                    "--changed {}: no such file, and git does not know it at `HEAD` as a deleted file; \
                     pass the files that changed",
                    p.display()
                ));
            }
            c.add(rel, exists);
        }
        c.files.sort();
        c.files.dedup();
        Ok(c)
    }

    /// Whether `rel` (from the site root) exists at the base commit.
    fn known_at_base(&self, root: &Path, rel: &str) -> bool {
        let Some((commit, prefix)) = &self.base else { return false };
        Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["cat-file", "-e", &format!("{commit}:{prefix}{rel}")])
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// `git diff --merge-base BASE` in the site root: what changed since the merge base of
    /// `BASE` and `HEAD`, working tree included.
    pub fn from_git(root: &Path, base: &str) -> Result<Changes, String> {
        let git = |args: &[&str]| -> Result<String, String> {
            let out = Command::new("git")
                .arg("-C")
                .arg(root)
                .args(args)
                .output()
                .map_err(|e| format!("cannot run git: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "`git {}` failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        };
        let merge_base = git(&["merge-base", base, "HEAD"])?.trim().to_string();
        let prefix = git(&["rev-parse", "--show-prefix"])?.trim().to_string();
        let diff = git(&["diff", &merge_base, "--no-color", "--no-ext-diff", "-U0", "-M", "--relative", "--"])?;
        let mut c = Changes::parse_diff(&diff);
        c.base = Some((merge_base, prefix));
        Ok(c)
    }

    /// Read a `git diff -U0 --relative` (paths relative to the site root).
    pub fn parse_diff(diff: &str) -> Changes {
        let mut c = Changes::default();
        let mut old: Option<String> = None;
        let mut new: Option<String> = None;
        for line in diff.lines() {
            if line.starts_with("diff --git ") {
                old = None;
                new = None;
            } else if let Some(p) = line.strip_prefix("--- ") {
                old = diff_path(p, "a/");
            } else if let Some(p) = line.strip_prefix("+++ ") {
                new = diff_path(p, "b/");
                match (&old, &new) {
                    (Some(o), None) => c.add(o.clone(), false),
                    (o, Some(n)) => {
                        if let Some(o) = o.as_ref().filter(|o| *o != n) {
                            c.add(o.clone(), false);
                        }
                        c.add(n.clone(), true);
                        // Present but with no hunk yet: only the lines of its hunks changed.
                        c.lines.entry(n.clone()).or_default();
                    }
                    (None, None) => {}
                }
            } else if let Some(p) = line.strip_prefix("rename from ") {
                c.add(unquote(p), false);
            } else if let Some(p) = line.strip_prefix("rename to ") {
                let p = unquote(p);
                c.add(p.clone(), true);
                c.lines.entry(p).or_default();
            } else if line.starts_with("@@ ")
                && let Some(n) = &new
                && let Some(range) = hunk_new_range(line)
            {
                c.lines.entry(n.clone()).or_default().push(range);
            }
        }
        c.files.sort();
        c.files.dedup();
        c.deleted.sort();
        c.deleted.dedup();
        c.deleted.retain(|d| !c.files.contains(d));
        c
    }

    fn add(&mut self, rel: String, exists: bool) {
        if model::is_doc_file(Path::new(&rel)) {
            if exists {
                self.files.push(rel);
            } else {
                self.deleted.push(rel);
            }
        } else if is_site_wide(&rel) {
            self.site_wide.push(rel);
        }
    }

    /// Whether a finding starting on 1-based `line` of `path` is on a changed line.
    pub fn on_changed_line(&self, path: &str, line: usize) -> bool {
        match self.lines.get(path) {
            None => self.files.iter().any(|f| f == path),
            Some(ranges) => ranges.iter().any(|&(a, b)| a <= line && line <= b),
        }
    }
}

fn diff_path(p: &str, prefix: &str) -> Option<String> {
    let p = unquote(p.trim_end());
    if p == "/dev/null" {
        return None;
    }
    Some(p.strip_prefix(prefix).unwrap_or(&p).to_string())
}

/// Git quotes unusual paths C-style (`"a\303\247.mdx"`).
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else { return p.to_string() };
    let b = inner.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let n = b[i + 1];
            if n.is_ascii_digit() && i + 3 < b.len() {
                let v = u8::from_str_radix(&inner[i + 1..i + 4], 8).unwrap_or(b'?');
                out.push(v);
                i += 4;
                continue;
            }
            out.push(match n {
                b'n' => b'\n',
                b't' => b'\t',
                other => other,
            });
            i += 2;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `@@ -a,b +c,d @@`: the new lines `c..c+d-1`, or `None` when the hunk only deletes.
fn hunk_new_range(line: &str) -> Option<(usize, usize)> {
    let plus = line.split(' ').find(|w| w.starts_with('+'))?;
    let mut it = plus[1..].split(',');
    let start: usize = it.next()?.parse().ok()?;
    let count: usize = it.next().map_or(Some(1), |c| c.parse().ok())?;
    (count > 0).then(|| (start, start + count - 1))
}

/// Inputs that can change findings in any file: configuration and rule packs, variables,
/// versions, sidebars, redirects and static files, JSON data (config references, JSON
/// variables), the Docusaurus config, and scripts and components (a component's source gives
/// pages anchors). `.pre-commit-hooks.yaml` passes the hook the same files; keep them in step.
pub fn is_site_wide(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    name == "docdrift.toml"
        || name == "variables.js"
        || name == "_redirects"
        || name == "versions.json"
        || name.ends_with("_versions.json")
        || name.ends_with("-sidebars.json")
        || name.starts_with("sidebars")
        || name.starts_with("docusaurus.config.")
        || rel.starts_with("static/")
        || rel.starts_with(".docdrift/")
        || matches!(ext, Some("json" | "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts"))
}

/// What PR mode found, and on what model.
pub struct Outcome {
    pub model: Model,
    pub findings: Vec<Finding>,
    /// Files reported on (the changed documents).
    pub files: usize,
    pub stats: Stats,
    /// Setup problems ([`Index::setup_problems`]).
    pub setup: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Documents in the site.
    pub documents: usize,
    /// Documents parsed in full for this run.
    pub parsed: usize,
    /// Documents read and indexed because the cache did not know them as they are.
    pub indexed: usize,
    /// A site-wide input changed, so the whole site was checked.
    pub whole_site: bool,
}

/// Run PR mode. `cache`: the index file to read and refresh ([`cache_file`]), if any.
pub fn check(site: Site, changes: &Changes, cache: Option<&Path>, cores: Cores) -> Outcome {
    let spread = Spread { cores, pool: std::sync::OnceLock::new() };
    let timing = std::env::var_os("DOCDRIFT_TIMING").is_some();
    let t0 = std::time::Instant::now();
    let lap = |what: &str| {
        if timing {
            eprintln!("timing: pr: {what} at {:?}", t0.elapsed());
        }
    };
    if !changes.site_wide.is_empty() {
        let (ix, findings) = spread.run(usize::MAX, || {
            let ix = Index::new(Model::build(site, &[]));
            let findings = crate::engine::check(&ix, &|_| true);
            (ix, findings)
        });
        let setup = ix.setup_problems();
        let model = ix.into_model_for_exit();
        let stats = Stats { documents: model.files.len(), parsed: model.files.len(), indexed: 0, whole_site: true };
        let files = model.files.len();
        return Outcome { model, findings, files, stats, setup };
    }
    let opts = model::parse_options(&site);
    let extra: Vec<PathBuf> = changes.files.iter().map(|p| site.root.join(p)).collect();
    let header = cache_header(&site);
    // The summaries borrow the index's text: read at every commit, it is thousands of
    // strings, which copied out one by one cost allocations and freshly touched memory. The
    // text itself is mapped, not read (see `mapped`).
    let index_text = cache.and_then(mapped::Text::of);
    let mut loaded =
        index_text.as_ref().and_then(mapped::Text::text).map(|t| parse_index(t, &header)).unwrap_or_default();
    let old_listings = cache.map(|c| load_listings(&listings_file(c), &header)).unwrap_or_default();
    lap("index read");
    // The walk stats what it finds, and lists only the folders that changed since the last
    // run (see `model::doc_paths_listed`); the rest is stat'ed here.
    let (found, listings) = model::doc_paths_listed(&site, &extra, &old_listings, model::SETTLE);
    if let Some(c) = cache
        && listings != old_listings
    {
        save_listings(&listings_file(c), &header, &listings);
    }
    let (paths, walked): (Vec<String>, Vec<Option<model::SizeAndTime>>) = found.into_iter().unzip();
    lap("walk");
    let stamps: Vec<Stamp> = paths
        .par_iter()
        .zip(&walked)
        .map(|(p, w)| match w {
            Some((size, mtime)) => Stamp::new(*size, *mtime),
            None => Stamp::of(&site.root.join(p)),
        })
        .collect();
    drop(walked);
    lap("stat");
    // The index's summary of each file, as its place in `loaded` (both lists are sorted by
    // path): moved into a list of their own, the summaries were another megabyte of freshly
    // touched memory.
    let mut known: Vec<Option<usize>> = Vec::with_capacity(paths.len());
    let mut next = 0;
    for p in &paths {
        while loaded.get(next).is_some_and(|(k, _)| k.as_ref() < p.as_str()) {
            next += 1;
        }
        let here = loaded.get(next).is_some_and(|(k, _)| k.as_ref() == p.as_str());
        known.push(here.then_some(next));
        next += usize::from(here);
    }
    let dropped = loaded.len() - known.iter().filter(|s| s.is_some()).count();
    // Files the index does not know as they are now: parse them (and keep the parse).
    // Boxed: a `SourceFile` is hundreds of bytes, and a slot per file of the site, nearly all
    // empty, cost a commit hook megabytes of freshly touched memory (page faults are much of
    // a warm run's system time).
    let mut parsed: Vec<Option<Box<SourceFile>>> = (0..paths.len()).map(|_| None).collect();
    let stale: Vec<usize> =
        (0..paths.len()).filter(|&i| known[i].is_none_or(|k| loaded[k].1.stamp != stamps[i])).collect();
    // Read together, so that copies of a page are parsed once (a cold run reads the whole site).
    let fresh: Vec<(usize, SourceFile)> =
        stale
            .iter()
            .copied()
            .zip(spread.run(stale.len(), || {
                model::load_files(&site, stale.iter().map(|&i| paths[i].clone()).collect(), &opts)
            }))
            .collect();
    let indexed = fresh.len();
    for (i, f) in fresh {
        known[i] = Some(loaded.len());
        loaded.push((Cow::Owned(paths[i].clone()), Summary::of(&site, &f, stamps[i])));
        parsed[i] = Some(Box::new(f));
    }
    let summary = |k: Option<usize>| k.map(|k| &loaded[k].1);
    if let Some(c) = cache
        && (indexed > 0 || dropped > 0)
    {
        save_index(c, &header, paths.iter().zip(&known).filter_map(|(p, k)| Some((p.as_str(), summary(*k)?))));
    }
    lap("index refreshed");
    let at: HashMap<&str, usize> = paths.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    let summaries: Vec<&Summary> = known.iter().map(|k| summary(*k).expect("every file is summarised above")).collect();
    let changed: Vec<usize> = changes.files.iter().filter_map(|p| at.get(p.as_str()).copied()).collect();
    // The changed files as they were: for the anchors links relied on, and for what the change
    // did to each page's copies.
    let base = base_files(&site, &opts, changes);
    let old_ids: Option<HashMap<String, Option<HashSet<String>>>> =
        base.as_ref().map(|b| b.iter().map(|(p, f)| (p.clone(), f.as_ref().map(anchor_ids))).collect());
    lap("base read");

    // Files whose anchors the change touches: the changed files and the pages that render a
    // changed partial (found by their imports, transitively).
    let mut full: HashSet<usize> = changed.iter().copied().collect();
    let mut affected: Vec<usize> = changed.clone();
    let locs: Vec<Option<crate::site::Location>> = paths.iter().map(|p| site.locate(p)).collect();
    // Per version the change touches: the names links use for its changed pages.
    let mut reach: HashMap<Option<crate::site::Location>, Reach> = HashMap::default();
    // And the files' paths, which file links name exactly.
    let mut reach_files: HashSet<String> = HashSet::default();
    for &i in &changed {
        Reach::add(&mut reach, &site, locs[i], file_names(&site, &paths[i], summaries[i]));
        reach_files.insert(path_key(&paths[i]));
    }
    for d in &changes.deleted {
        Reach::add(&mut reach, &site, site.locate(d), file_names(&site, d, &Summary::default()));
        reach_files.insert(path_key(d));
    }
    let mut searched = 0;
    loop {
        // Referrers: files whose links or imports name anything affected.
        let quick = Quick::of(&reach, &reach_files);
        let referrers: Vec<usize> = (0..paths.len())
            .into_par_iter()
            .filter(|&i| refers(&summaries[i].tokens, locs[i], &reach, &quick, &reach_files))
            .collect();
        full.extend(&referrers);
        ensure_parsed(&site, &opts, &paths, &mut parsed, full.iter().copied());
        searched += 1;
        let affected_paths: HashSet<&str> = affected.iter().map(|&i| paths[i].as_str()).collect();
        let more: Vec<usize> = referrers
            .iter()
            .copied()
            .filter(|&r| !affected.contains(&r))
            .filter(|&r| {
                let f = parsed[r].as_ref().expect("parsed above");
                f.doc.imports.iter().any(|imp| {
                    crate::site::paths::resolve_import(&f.path, &imp.source)
                        .is_some_and(|p| affected_paths.contains(p.as_str()))
                })
            })
            .collect();
        if more.is_empty() || searched > 8 {
            break;
        }
        for &m in &more {
            Reach::add(&mut reach, &site, locs[m], file_names(&site, &paths[m], summaries[m]));
            reach_files.insert(path_key(&paths[m]));
        }
        affected.extend(more);
    }
    // The same page in the other versions and doc sets (rules compare copies): the same path,
    // and the copies drift finds by front matter `id` or `slug` or by `[drift] map`, told from
    // the index.
    for &i in &changed {
        full.extend(counterparts(&site, &paths[i], &at));
    }
    let keys: HashSet<String> = changed
        .iter()
        .filter_map(|&i| parsed[i].as_ref().and_then(|f| crate::analysis::drift::page_key(&site, f)))
        .collect();
    if !keys.is_empty() {
        let copies: Vec<usize> = (0..paths.len())
            .into_par_iter()
            .filter(|&i| !full.contains(&i) && locs[i].is_some())
            .filter(|&i| {
                let s = summaries[i];
                locs[i].is_some_and(|l| {
                    let (slug, id) = (s.slug.as_deref(), s.id.as_deref());
                    crate::analysis::drift::is_copy_of(&site, &paths[i], l, slug, id, |k| keys.contains(k))
                })
            })
            .collect();
        full.extend(copies);
    }
    // Partials among them need the pages that render them, to resolve their links.
    let mut partials: HashMap<Option<crate::site::Location>, Reach> = HashMap::default();
    let mut partial_files: HashSet<String> = HashSet::default();
    for &i in full.iter().filter(|&&i| crate::site::routes::is_partial_path(&paths[i])) {
        Reach::add(&mut partials, &site, locs[i], vec![escape(&stem(&paths[i]).to_lowercase())]);
        partial_files.insert(path_key(&paths[i]));
    }
    if !partials.is_empty() {
        let quick = Quick::of(&partials, &partial_files);
        full.extend(
            (0..paths.len()).filter(|&i| refers(&summaries[i].tokens, locs[i], &partials, &quick, &partial_files)),
        );
    }
    ensure_parsed(&site, &opts, &paths, &mut parsed, full.iter().copied());
    imports_closure(&site, &opts, &paths, &at, &mut parsed, &mut full);
    if timing {
        let wild = summaries.iter().filter(|s| s.tokens.split(' ').any(|t| t == "*")).count();
        eprintln!(
            "timing: pr: {} affected, {} to parse, {wild} files with links that may name anything",
            affected.len(),
            full.len()
        );
    }
    lap("neighbourhood");

    // What the affected files link to, predicted from the index by name (a superset), so that
    // one model usually suffices; the model then says whether a target was missed.
    {
        // Per affected version: the names its links end in; across versions: `hint>name`.
        let mut local: HashMap<Option<crate::site::Location>, HashSet<&str>> = HashMap::default();
        let mut remote: HashMap<&str, HashSet<&str>> = HashMap::default();
        // File links name their targets: those are added as they are.
        let mut named: Vec<usize> = Vec::new();
        for &a in &affected {
            for t in summaries[a].tokens.split(' ').filter(|t| !t.is_empty()) {
                if let Some(key) = t.strip_prefix('=') {
                    let key = unescape(key);
                    named.extend(
                        ["mdx", "md"].iter().filter_map(|ext| at.get(format!("{key}.{ext}").as_str()).copied()),
                    );
                    continue;
                }
                match t.split_once('>') {
                    Some((h, n)) => {
                        remote.entry(n).or_default().insert(h);
                    }
                    None => {
                        local.entry(locs[a]).or_default().insert(t);
                    }
                }
            }
        }
        let mut vnames: HashMap<Option<crate::site::Location>, HashSet<String>> = HashMap::default();
        for l in &locs {
            vnames.entry(*l).or_insert_with(|| version_names(&site, *l));
        }
        let predicted: Vec<usize> = (0..paths.len())
            .into_par_iter()
            .filter(|&i| !full.contains(&i))
            .filter(|&i| {
                let here = local.get(&locs[i]);
                // No name can match: spare listing the file's names (most files of the site).
                if here.is_none() && remote.is_empty() {
                    return false;
                }
                let v = &vnames[&locs[i]];
                file_names(&site, &paths[i], summaries[i]).iter().any(|n| {
                    here.is_some_and(|h| h.contains(n.as_str()))
                        || remote.get(n.as_str()).is_some_and(|hs| hs.iter().any(|h| v.contains(*h)))
                })
            })
            .collect();
        full.extend(predicted);
        full.extend(named);
        ensure_parsed(&site, &opts, &paths, &mut parsed, full.iter().copied());
        imports_closure(&site, &opts, &paths, &at, &mut parsed, &mut full);
    }
    lap("targets predicted");
    // The model; if an affected file's link lands on a file known only from the index (the
    // prediction missed it), parse that too and model again.
    // Stubs have no text: one empty text and line index serve them all.
    let empty: (crate::doc::SharedStr, std::sync::Arc<std::sync::OnceLock<LineIndex>>) = Default::default();
    let build = |parsed: &mut Vec<Option<Box<SourceFile>>>, site: Site| -> Model {
        let mut docs = StubDocs::default();
        let files: Vec<SourceFile> = (0..paths.len())
            .map(|i| match parsed[i].take() {
                Some(f) => *f,
                None => stub(&paths[i], locs[i], summaries[i], &empty, &mut docs),
            })
            .collect();
        Model::from_files(site, files)
    };
    // Files parsed in full, which the analyses and the rules work on (stubs cost next to nothing).
    let mut modelled = parsed.iter().filter(|f| f.is_some()).count();
    let mut ix = spread.run(modelled, || Index::new(build(&mut parsed, site)));
    lap("model");
    // Link targets matter for the files reported on in full: the changed files and the pages
    // that render them (a referrer's other links are not reported).
    let mut targets: HashSet<usize> = HashSet::default();
    for &i in &affected {
        for check in &ix.links[i] {
            for (page, target) in check.results.iter() {
                targets.insert(*page);
                if let Target::Doc { file, .. } = target {
                    targets.insert(*file);
                }
            }
        }
    }
    targets.retain(|t| !full.contains(t));
    if !targets.is_empty() {
        let Model { site, files, .. } = ix.into_model();
        parsed = files.into_iter().enumerate().map(|(i, f)| full.contains(&i).then(|| Box::new(f))).collect();
        full.extend(targets);
        ensure_parsed(&site, &opts, &paths, &mut parsed, full.iter().copied());
        imports_closure(&site, &opts, &paths, &at, &mut parsed, &mut full);
        modelled = parsed.iter().filter(|f| f.is_some()).count();
        ix = spread.run(modelled, || Index::new(build(&mut parsed, site)));
        lap("model again (a target was not predicted)");
    }
    // Report on the changed and affected files, and on the files with a link into them (or to
    // something deleted): the other parsed files only helped to model those.
    let model = &ix.model;
    let affected_set: HashSet<usize> = affected.iter().copied().collect();
    let deleted_names: HashSet<String> =
        changes.deleted.iter().flat_map(|d| file_names(&model.site, d, &Summary::default())).collect();
    let report: HashSet<&str> = full
        .iter()
        .copied()
        .filter(|&i| {
            affected_set.contains(&i)
                || ix.links[i].iter().any(|c| {
                    c.results.iter().any(|(_, t)| match t {
                        Target::Doc { file, .. } => affected_set.contains(file),
                        Target::Broken(_) => !deleted_names.is_empty(),
                        _ => false,
                    })
                })
        })
        .map(|i| paths[i].as_str())
        .collect();
    if let Some(base) = base {
        let mut files: Vec<crate::analysis::drift::change::Changed> = base
            .into_iter()
            .filter_map(|(p, f)| Some(crate::analysis::drift::change::Changed { file: *at.get(p.as_str())?, base: f? }))
            .collect();
        files.sort_by_key(|c| c.file);
        ix.set_change(crate::analysis::drift::change::Change { files });
    }
    let mut findings = spread.run(modelled, || crate::engine::check(&ix, &|p| report.contains(p)));
    lap("rules");
    let affected: HashSet<usize> = affected.into_iter().collect();
    let changed_set: HashSet<usize> = changed.iter().copied().collect();
    findings.retain_mut(|f| keep(&ix, changes, &changed_set, &affected, &old_ids, f));
    let stats = Stats { documents: paths.len(), parsed: full.len(), indexed, whole_site: false };
    lap("findings filtered");
    let setup = ix.setup_problems();
    let outcome = Outcome { files: changed.len(), model: ix.into_model_for_exit(), findings, stats, setup };
    // The index, the walk's paths and the folder listings are tens of thousands of small
    // allocations; freeing them one by one cost a commit hook milliseconds, and a PR-mode run
    // ends soon after this: leave them to the exit.
    drop((summaries, at, report));
    std::mem::forget((known, loaded, paths, stamps, locs, parsed, listings, old_listings));
    std::mem::forget(index_text);
    outcome
}

/// How PR mode spreads its work over the cores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cores {
    /// On rayon's global pool as it is (`--jobs`).
    Pool,
    /// The global pool is the calling thread alone. A warm commit hook's run mostly stats files
    /// and looks things up, a few milliseconds at a time between parallel loops: handing that
    /// work to other threads and waking them cost more CPU than it saved, and little wall time
    /// (on the corpus, one changed page: 37 -> 34 ms CPU; five files with a partial that 371
    /// pages render: 111 -> 103 ms). Work on [`WIDE`] files or more (a cold index, a
    /// site-wide change) still runs on a pool of rayon's default size.
    Hook,
}

/// Files to parse or model from which [`Cores::Hook`] uses every core.
const WIDE: usize = 512;

/// Runs work on every core when there is enough of it (see [`Cores`]).
struct Spread {
    cores: Cores,
    /// Made at the first wide step, and kept for the next.
    pool: std::sync::OnceLock<Option<rayon::ThreadPool>>,
}

impl Spread {
    /// `work`, on every core when `files` is [`WIDE`] or more and the global pool is the
    /// calling thread alone.
    fn run<R: Send>(&self, files: usize, work: impl FnOnce() -> R + Send) -> R {
        if self.cores == Cores::Hook && files >= WIDE {
            let pool = self.pool.get_or_init(|| rayon::ThreadPoolBuilder::new().build().ok());
            if let Some(pool) = pool.as_ref().filter(|p| p.current_num_threads() > 1) {
                return pool.install(work);
            }
        }
        work()
    }
}

/// Whether PR mode reports `f`, and with what pointer to the change.
fn keep(
    ix: &Index,
    changes: &Changes,
    changed: &HashSet<usize>,
    affected: &HashSet<usize>,
    old_ids: &Option<HashMap<String, Option<HashSet<String>>>>,
    f: &mut Finding,
) -> bool {
    let model = &ix.model;
    let file = &model.files[f.file as usize];
    let line = file.lines().line_of(f.span.start) + 1;
    if changed.contains(&(f.file as usize)) && changes.on_changed_line(&file.path, line) {
        return true;
    }
    // Elsewhere: a link that lands in something the change touched.
    if !matches!(f.category, crate::diag::Category::Link | crate::diag::Category::Anchor) {
        return false;
    }
    let Some(check) = ix.links[f.file as usize].iter().find(|c| {
        let l = &file.doc.links[c.link];
        l.url_span.start <= f.span.start && f.span.end <= l.url_span.end.max(l.span.end)
    }) else {
        return false;
    };
    let fragment = check.fragment(&file.doc.links[check.link]);
    for (page, target) in check.results.iter() {
        match target {
            Target::Doc { file: t } if affected.contains(t) && broke(model, changed, old_ids, *t, fragment) => {
                let (rel_file, span, what) = broken_by(model, changes, changed, *t, fragment);
                f.related(rel_file as u32, span, what);
                if old_ids.as_ref().is_some_and(|old| had_anchor(model, changed, old, *t, fragment)) {
                    removed_here(model, f);
                }
                return true;
            }
            Target::Broken(Broken::NoFile { tried }) if changes.deleted.iter().any(|d| **d == **tried) => {
                f.message.push_str(&format!(" (`{tried}` was deleted or renamed in this change)"));
                return true;
            }
            Target::Broken(Broken::NoRoute { path }) => {
                let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_lowercase();
                let last = escape(&last);
                if changes.deleted.iter().any(|d| deleted_names(model, d).contains(&last)) {
                    f.message.push_str(" (a page was deleted or renamed in this change)");
                    return true;
                }
            }
            _ => {}
        }
        let _ = page;
    }
    false
}

/// A missing anchor on a page with a component docdrift cannot see into is only a warning, as
/// the component may render it. But when the anchor was there at the base and this change
/// removed it, the component did not render it: the link is broken, so it is an error again
/// (unless the configuration sets the rule's level).
fn removed_here(model: &Model, f: &mut Finding) {
    if f.rule != "anchor/missing"
        || f.severity != crate::diag::Severity::Warning
        || crate::engine::level(model, f).is_some()
    {
        return;
    }
    f.severity = crate::diag::Severity::Error;
    if let Some(k) = f.message.find("; the page uses ") {
        f.message.truncate(k);
        f.message.push_str("; this change removed it, so no component on the page renders it");
    }
}

/// The changed files whose anchors page `t` shows: `t` itself and the partials it renders.
fn anchor_sources(model: &Model, changed: &HashSet<usize>, t: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut stack = vec![t];
    let mut seen = HashSet::default();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        if changed.contains(&i) {
            out.push(i);
        }
        stack.extend(model.partials.get(i).into_iter().flatten());
    }
    out
}

/// Whether a changed file that gives page `t` its anchors had `#fragment` at the base commit.
fn had_anchor(
    model: &Model,
    changed: &HashSet<usize>,
    old: &HashMap<String, Option<HashSet<String>>>,
    t: usize,
    fragment: &str,
) -> bool {
    let decoded = crate::site::routes::percent_decode(fragment);
    anchor_sources(model, changed, t).into_iter().any(|s| match old.get(&model.files[s].path) {
        Some(Some(ids)) => ids.contains(fragment) || ids.contains(&decoded),
        _ => false,
    })
}

/// Whether the change broke a link to `#fragment` on page `t`: the anchor existed in the base
/// version of a changed file that gives `t` its anchors (or such a file is new). Without a base,
/// any broken link into a changed page counts.
fn broke(
    model: &Model,
    changed: &HashSet<usize>,
    old_ids: &Option<HashMap<String, Option<HashSet<String>>>>,
    t: usize,
    fragment: &str,
) -> bool {
    let Some(old) = old_ids else { return true };
    let decoded = crate::site::routes::percent_decode(fragment);
    anchor_sources(model, changed, t).into_iter().any(|s| match old.get(&model.files[s].path) {
        Some(Some(ids)) => ids.contains(fragment) || ids.contains(&decoded),
        Some(None) | None => true,
    })
}

/// Each changed file as it was at the base commit, parsed (`None`: the file is new), read with
/// one `git cat-file --batch`. `None` without a base or when git fails.
fn base_files(
    site: &Site,
    opts: &crate::doc::ParseOptions,
    changes: &Changes,
) -> Option<HashMap<String, Option<SourceFile>>> {
    use std::io::Write;
    let (commit, prefix) = changes.base.as_ref()?;
    if changes.files.is_empty() {
        return Some(HashMap::default());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(&site.root)
        .args(["cat-file", "--batch"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let mut input = String::new();
    for f in &changes.files {
        input.push_str(&format!("{commit}:{prefix}{f}\n"));
    }
    let mut stdin = child.stdin.take()?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().ok()?;
    let _ = writer.join();
    let bytes = out.stdout;
    let mut at = 0;
    let mut result = HashMap::default();
    for f in &changes.files {
        let nl = bytes[at..].iter().position(|&b| b == b'\n')? + at;
        let header = String::from_utf8_lossy(&bytes[at..nl]).into_owned();
        at = nl + 1;
        if header.ends_with(" missing") {
            result.insert(f.clone(), None);
            continue;
        }
        let size: usize = header.rsplit(' ').next()?.parse().ok()?;
        let text = crate::doc::SharedStr::owned(&String::from_utf8_lossy(bytes.get(at..at + size)?));
        at += size + 1;
        result.insert(f.clone(), Some(model::parse_text(site, f.clone(), text, None, opts)));
    }
    Some(result)
}

/// The ids a link can land on in a parsed file: its headings' (below the title) and JSX `id`s.
fn anchor_ids(old: &SourceFile) -> HashSet<String> {
    let mut ids: HashSet<String> = old
        .doc
        .headings
        .iter()
        .zip(old.heading_ids.iter())
        .filter(|(h, _)| h.depth >= 2)
        .map(|(_, id)| id.to_string())
        .collect();
    for e in &old.doc.jsx {
        if let Some(id) = e.string_attr("id") {
            ids.insert(id.to_string());
        }
    }
    ids
}

/// The change a broken link into `t` points at: the changed heading whose id is closest to
/// the fragment (in `t` or a changed partial it renders), else the first changed line.
fn broken_by(
    model: &Model,
    changes: &Changes,
    changed: &HashSet<usize>,
    t: usize,
    fragment: &str,
) -> (usize, Span, String) {
    let mut sources: Vec<usize> = vec![t];
    sources.extend(model.partials.get(t).into_iter().flatten().filter(|p| changed.contains(p)));
    let mut best: Option<(f64, usize, usize)> = None;
    for &s in &sources {
        if !changed.contains(&s) {
            continue;
        }
        let sf = &model.files[s];
        for (k, h) in sf.doc.headings.iter().enumerate() {
            let line = sf.lines().line_of(h.span.start) + 1;
            if h.depth < 2 || !changes.on_changed_line(&sf.path, line) {
                continue;
            }
            let score = strsim::jaro_winkler(&sf.heading_ids[k], fragment);
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, s, k));
            }
        }
    }
    if let Some((_, s, k)) = best {
        let sf = &model.files[s];
        return (
            s,
            sf.doc.headings[k].span,
            format!("changed here: this heading's id is now `#{}`, not `#{fragment}`", &sf.heading_ids[k]),
        );
    }
    let s = sources.into_iter().find(|s| changed.contains(s)).unwrap_or(t);
    let sf = &model.files[s];
    let first = changes.lines.get(&sf.path).and_then(|r| r.first()).map_or(1, |r| r.0);
    let line0 = (first - 1).min(sf.lines().line_count().saturating_sub(1));
    let start = sf.lines().line_start(line0) as usize;
    let end = start + sf.lines().line_text(&sf.text, line0).len();
    (s, Span::new(start, end), "changed here".to_string())
}

fn deleted_names(model: &Model, d: &str) -> Vec<String> {
    file_names(&model.site, d, &Summary::default())
}

/// Parse the files in `which` that are not parsed yet.
fn ensure_parsed(
    site: &Site,
    opts: &crate::doc::ParseOptions,
    paths: &[String],
    parsed: &mut [Option<Box<SourceFile>>],
    which: impl Iterator<Item = usize>,
) {
    let todo: Vec<usize> = which.filter(|&i| parsed[i].is_none()).collect();
    let done =
        todo.iter().copied().zip(model::load_files(site, todo.iter().map(|&i| paths[i].clone()).collect(), opts));
    for (i, f) in done {
        parsed[i] = Some(Box::new(f));
    }
}

/// Add the Markdown partials that the files in `full` import, transitively.
fn imports_closure(
    site: &Site,
    opts: &crate::doc::ParseOptions,
    paths: &[String],
    at: &HashMap<&str, usize>,
    parsed: &mut [Option<Box<SourceFile>>],
    full: &mut HashSet<usize>,
) {
    // Level by level, each level's new partials read together: in parallel, and a partial
    // copied unchanged into many versions parsed once (see `model::load_files`).
    let mut level: Vec<usize> = full.iter().copied().collect();
    while !level.is_empty() {
        let mut next = Vec::new();
        for &i in &level {
            let Some(f) = &parsed[i] else { continue };
            let imports = f
                .doc
                .imports
                .iter()
                .filter(|imp| imp.source.ends_with(".mdx") || imp.source.ends_with(".md"))
                .filter_map(|imp| crate::site::paths::resolve_import(&f.path, &imp.source))
                .filter_map(|p| at.get(p.as_str()).copied());
            for p in imports {
                if full.insert(p) {
                    next.push(p);
                }
            }
        }
        ensure_parsed(site, opts, paths, parsed, next.iter().copied());
        level = next;
    }
}

/// The same version-relative path in the doc set's other versions.
fn counterparts(site: &Site, path: &str, at: &HashMap<&str, usize>) -> Vec<usize> {
    let Some(loc) = site.locate(path) else { return Vec::new() };
    let ds = &site.doc_sets[loc.doc_set];
    let dir = &ds.versions[loc.version].dir;
    let rel = if dir.is_empty() { path } else { path[dir.len()..].trim_start_matches('/') };
    // Every doc set: drift compares a page's copies across products too.
    site.doc_sets
        .iter()
        .flat_map(|ds| &ds.versions)
        .filter_map(|v| {
            let p = if v.dir.is_empty() { rel.to_string() } else { format!("{}/{rel}", v.dir) };
            at.get(p.as_str()).copied()
        })
        .collect()
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// The names a link to `path` can use in its last path segment (lower case): the file name,
/// without its number prefix, the front matter `id` and last `slug` segment, and for a category
/// index its folder's name; for a page at a version's root, the version's URL segments.
fn file_names(site: &Site, path: &str, s: &Summary<'_>) -> Vec<String> {
    // This runs for every file of the site in a pre-commit run: each name is allocated once,
    // and escaped in place only when it needs it.
    let mut out: Vec<String> = Vec::with_capacity(8);
    let st = stem(path);
    let lower = st.to_lowercase();
    let stripped = crate::site::routes::strip_number_prefix(st);
    if stripped.len() != st.len() {
        out.push(stripped.to_lowercase());
    }
    if let Some(id) = &s.id {
        out.push(id.to_lowercase());
    }
    let mut at_root = false;
    if let Some(slug) = &s.slug {
        match slug.trim_end_matches('/').rsplit('/').next() {
            Some(last) if !last.is_empty() => out.push(last.to_lowercase()),
            _ => at_root = true,
        }
    }
    let parent = path.rsplit('/').nth(1).unwrap_or("");
    let parent_lower = parent.to_lowercase();
    let mut loc = None;
    if lower == "index"
        || lower == "readme"
        || lower == parent_lower
        || s.slug.as_deref().is_some_and(|s| s.ends_with('/'))
    {
        // Reached by `./` or `../` too.
        out.push(".".to_string());
        let parent_stripped = crate::site::routes::strip_number_prefix(parent);
        if parent_stripped.len() != parent.len() {
            out.push(parent_stripped.to_lowercase());
        }
        out.push(parent_lower);
        loc = site.locate(path);
        if let Some(loc) = loc {
            let v = site.version(loc);
            let in_version = path.strip_prefix(v.dir.as_str()).unwrap_or(path).trim_start_matches('/');
            at_root |= !in_version.contains('/');
        }
    }
    out.push(lower);
    if at_root && let Some(loc) = loc.or_else(|| site.locate(path)) {
        let ds = &site.doc_sets[loc.doc_set];
        out.extend(ds.route_base.rsplit('/').next().map(str::to_lowercase));
        out.push(site.version(loc).url_path.to_lowercase());
    }
    out.retain(|n| !n.is_empty());
    // Compared with the index's escaped tokens.
    for n in &mut out {
        if n.bytes().any(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r' | b' ')) {
            *n = escape(n);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What links into one version must name: its changed pages (`names`), and from another
/// version, a segment that addresses this one (`vnames`, see [`version_names`]).
struct Reach {
    names: HashSet<String>,
    vnames: HashSet<String>,
}

impl Reach {
    fn add(
        map: &mut HashMap<Option<crate::site::Location>, Reach>,
        site: &Site,
        loc: Option<crate::site::Location>,
        names: Vec<String>,
    ) {
        map.entry(loc)
            .or_insert_with(|| Reach { names: HashSet::default(), vnames: version_names(site, loc) })
            .names
            .extend(names);
    }
}

/// Whether a file in `loc` with these index tokens may link to a page `reach` describes: by
/// name from the same version, by `hint>name` from another, or through a `$[variable]`.
fn refers(
    tokens: &str,
    loc: Option<crate::site::Location>,
    reach: &HashMap<Option<crate::site::Location>, Reach>,
    quick: &Quick,
    files: &HashSet<String>,
) -> bool {
    let here = reach.get(&loc);
    // One pass: a name of another version counts only when the file also has a `$` token,
    // which may come later, so such a match is remembered until the end.
    let mut any_version = false;
    let mut elsewhere = false;
    // Split by one vectorised scan for spaces and `>` over the whole string: tokens are short,
    // so a `memchr` call per token cost more than the bytes, and a loop over every byte was
    // the largest cost of this function.
    let b = tokens.as_bytes();
    let mut from = 0;
    let mut gt = None;
    for i in memchr::memchr2_iter(b' ', b'>', b).chain(std::iter::once(b.len())) {
        if i < b.len() && b[i] == b'>' {
            if gt.is_none() {
                gt = Some(i);
            }
            continue;
        }
        let t = &tokens[from..i];
        let split = gt.take().map(|g| (&tokens[from..g], &tokens[g + 1..i]));
        from = i + 1;
        match t {
            "*" => return true,
            "$" => any_version = true,
            _ => {}
        }
        if let Some(key) = t.strip_prefix('=') {
            if quick.may_be_file(key) && files.contains(key) {
                return true;
            }
            continue;
        }
        match split {
            None => {
                if !quick.may_be(t) {
                    continue;
                }
                if here.is_some_and(|r| r.names.contains(t)) {
                    return true;
                }
                elsewhere = elsewhere || reach.values().any(|r| r.names.contains(t));
            }
            Some((h, n)) => {
                if quick.may_be(n) && reach.values().any(|r| r.names.contains(n) && r.vnames.contains(h)) {
                    return true;
                }
            }
        }
    }
    any_version && elsewhere
}

/// A test that a token is not one of the names of a [`Reach`] map, by length and first byte:
/// [`refers`] runs over every token of every file of the site, nearly none of them is a name,
/// and hashing each one was the largest single cost of a warm pre-commit run.
struct Quick {
    /// Names, by length and first byte.
    names: Sieve,
    /// File keys (`path_key`), by length and last byte: they share their first bytes.
    files: Sieve,
}

/// Which lengths (past 255 share the last slot) and which bytes some key has.
#[derive(Default)]
struct Sieve {
    lens: [u64; 4],
    bytes: [u64; 4],
}

impl Sieve {
    fn add(&mut self, len: usize, byte: u8) {
        let l = len.min(255);
        self.lens[l / 64] |= 1 << (l % 64);
        self.bytes[byte as usize / 64] |= 1 << (byte % 64);
    }

    /// False when no key has this length and byte.
    fn may_have(&self, len: usize, byte: u8) -> bool {
        let l = len.min(255);
        self.lens[l / 64] & (1 << (l % 64)) != 0 && self.bytes[byte as usize / 64] & (1 << (byte % 64)) != 0
    }
}

impl Quick {
    fn of(reach: &HashMap<Option<crate::site::Location>, Reach>, files: &HashSet<String>) -> Quick {
        let mut q = Quick { names: Sieve::default(), files: Sieve::default() };
        for n in reach.values().flat_map(|r| &r.names) {
            q.names.add(n.len(), n.as_bytes().first().copied().unwrap_or(0));
        }
        for f in files {
            q.files.add(f.len(), f.as_bytes().last().copied().unwrap_or(0));
        }
        q
    }

    /// False when `t` is certainly none of the names.
    fn may_be(&self, t: &str) -> bool {
        self.names.may_have(t.len(), t.as_bytes().first().copied().unwrap_or(0))
    }

    /// False when `key` is certainly none of the file keys (hashing each file link of the
    /// site to look it up was most of what is left of this test).
    fn may_be_file(&self, key: &str) -> bool {
        self.files.may_have(key.len(), key.as_bytes().last().copied().unwrap_or(0))
    }
}

/// The path segments that address a version from outside it: its doc set's route, its URL
/// segment, its folder. Outside any version, every name of every version (anything goes).
fn version_names(site: &Site, loc: Option<crate::site::Location>) -> HashSet<String> {
    let mut out = HashSet::default();
    let mut add = |ds: &crate::site::DocSet, v: &crate::site::Version| {
        for part in [&ds.route_base, &v.url_path, &v.dir] {
            out.extend(part.split('/').filter(|s| !s.is_empty()).map(|s| escape(&s.to_lowercase())));
        }
        out.insert("@site".to_string());
    };
    match loc {
        Some(l) => add(&site.doc_sets[l.doc_set], site.version(l)),
        None => {
            for ds in &site.doc_sets {
                for v in &ds.versions {
                    add(ds, v);
                }
            }
        }
    }
    out
}

/// A file's size and modification time: the cache's validity check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Stamp {
    size: u64,
    mtime_ns: i128,
}

impl Stamp {
    fn of(p: &Path) -> Stamp {
        match std::fs::metadata(p) {
            Ok(m) => Stamp::new(m.len(), m.modified().ok()),
            Err(_) => Stamp { size: 0, mtime_ns: -2 },
        }
    }

    fn new(size: u64, modified: Option<std::time::SystemTime>) -> Stamp {
        let mtime_ns =
            modified.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(-1, |d| d.as_nanos() as i128);
        Stamp { size, mtime_ns }
    }
}

/// What the index knows of one file: borrowed from the index's text where read from it.
#[derive(Clone, Debug, Default)]
struct Summary<'t> {
    stamp: Stamp,
    /// Whether the file has front matter at all.
    has_fm: bool,
    id: Option<Cow<'t, str>>,
    slug: Option<Cow<'t, str>>,
    title: Option<Cow<'t, str>>,
    /// Lower-case path segments of its links and imports (`*`: a `$[variable]` segment, which
    /// could name anything; `.`: a link to a folder, `./` or `../`), each [`escape`]d, separated
    /// by spaces: one string, so that reading the index allocates little.
    tokens: Cow<'t, str>,
}

impl Summary<'static> {
    fn of(site: &Site, f: &SourceFile, stamp: Stamp) -> Summary<'static> {
        let fm = f.doc.front_matter.as_ref();
        let mut tokens: Vec<String> = Vec::new();
        let version_dir = f.loc.map_or("", |l| site.version(l).dir.as_str());
        for l in &f.doc.links {
            // A link to a Markdown file names the files it may land on exactly: its tokens are
            // their paths (see `path_key`), not a name that pages all over the site share.
            if !crate::doc::has_token_start(&l.url) && crate::analysis::links::is_file_link(l, &l.url) {
                for c in crate::analysis::links::file_link_candidates(&f.path, version_dir, &l.url) {
                    tokens.push(format!("={}", path_key(&c)));
                }
            } else {
                url_tokens(&l.url, &mut tokens);
            }
        }
        for imp in &f.doc.imports {
            url_tokens(&imp.source, &mut tokens);
        }
        tokens.sort();
        tokens.dedup();
        let tokens = tokens.iter().map(|t| escape(t)).collect::<Vec<_>>().join(" ");
        Summary {
            stamp,
            has_fm: fm.is_some(),
            id: fm.and_then(|m| m.id()).map(|s| Cow::Owned(s.to_string())),
            slug: fm.and_then(|m| m.slug()).map(|s| Cow::Owned(s.to_string())),
            title: fm.and_then(|m| m.title()).map(|s| Cow::Owned(s.to_string())),
            tokens: Cow::Owned(tokens),
        }
    }
}

/// How a file link's token names a file: its root-relative path without the `.md`/`.mdx`
/// extension (a link to the other extension is about the same file: it is broken when the
/// file changes either way).
fn path_key(path: &str) -> String {
    // Without case, as `links::is_file_link` tells a file link.
    let cut = [".mdx", ".md"].into_iter().find_map(|ext| {
        let at = path.len().checked_sub(ext.len())?;
        (path.is_char_boundary(at) && path[at..].eq_ignore_ascii_case(ext)).then_some(at)
    });
    escape(&path[..cut.unwrap_or(path.len())])
}

/// The tokens of a link or import: the page name it ends in (lower case, without `.md`/`.mdx`,
/// query or fragment; `.` for `./`, `../` or `/`, which reach a folder's page; `*` when a
/// `$[variable]` writes it), and `segment>name` for each segment that can say which version the
/// link lands in: the first three of an absolute path, every segment of a relative path that
/// climbs out of its folder (`$` when a variable writes one).
fn url_tokens(url: &str, out: &mut Vec<String>) {
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        // `#fragment`: this page.
        return;
    }
    let decoded = crate::site::routes::percent_decode(path);
    let segs: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    let name = match segs.last() {
        None | Some(&".") | Some(&"..") => ".".to_string(),
        Some(s) if crate::doc::has_token_start(s) => {
            out.push("*".to_string());
            return;
        }
        Some(s) => s.strip_suffix(".mdx").or_else(|| s.strip_suffix(".md")).unwrap_or(s).to_lowercase(),
    };
    let before = &segs[..segs.len().saturating_sub(1)];
    let hints: &[&str] = if path.starts_with('/') || segs.first() == Some(&"@site") {
        &before[..before.len().min(3)]
    } else if segs.first() == Some(&"..") {
        before
    } else {
        &[]
    };
    if before.iter().any(|h| crate::doc::has_token_start(h)) {
        out.push("$".to_string());
    }
    for h in hints {
        if !crate::doc::has_token_start(h) && *h != ".." && *h != "." {
            out.push(format!("{}>{name}", h.to_lowercase()));
        }
    }
    out.push(name);
}

/// Documents of stubs, one per distinct front matter: a page's copies in the other versions
/// mostly share theirs, and a `Document` is hundreds of bytes of empty lists, freshly touched
/// memory that a commit hook pays for in page faults when there is one per file of the site.
type StubDocs<'a> = HashMap<(bool, Option<&'a str>, Option<&'a str>, Option<&'a str>), std::sync::Arc<Document>>;

/// A file known only from the index: its path and front matter.
/// `loc` is the file's place in the site (`Site::locate`, computed once per run for every file);
/// `empty` is the empty text and its line index, shared by every stub.
fn stub<'a>(
    path: &str,
    loc: Option<crate::site::Location>,
    s: &'a Summary<'_>,
    empty: &(crate::doc::SharedStr, std::sync::Arc<std::sync::OnceLock<LineIndex>>),
    docs: &mut StubDocs<'a>,
) -> SourceFile {
    let key = (s.has_fm, s.id.as_deref(), s.slug.as_deref(), s.title.as_deref());
    let doc = docs
        .entry(key)
        .or_insert_with(|| {
            let mut doc = Document::default();
            if s.has_fm {
                // The fields too: drift names a page's copies by the `id` and `slug` fields.
                let fields = [("id", &s.id), ("slug", &s.slug), ("title", &s.title)]
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.as_deref()?)));
                doc.front_matter = Some(FrontMatter::new(crate::diag::Span::default(), fields));
            }
            std::sync::Arc::new(doc)
        })
        .clone();
    SourceFile {
        path: path.to_string(),
        text: empty.0.clone(),
        line_index: empty.1.clone(),
        doc,
        loc,
        heading_ids: std::sync::Arc::default(),
        read_problem: None,
    }
}

/// The index cache of a site: `$DOCDRIFT_CACHE_DIR`, else `$XDG_CACHE_HOME/docdrift`, else
/// `~/.cache/docdrift`, one file per site root. `None` when no folder is known.
pub fn cache_file(root: &Path) -> Option<PathBuf> {
    let dir = std::env::var_os("DOCDRIFT_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("docdrift")))
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("docdrift")))?;
    let canon = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in canon.to_string_lossy().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    Some(dir.join(format!("index-{h:016x}.txt")))
}

/// The first line of the cache: what the cached summaries depend on.
fn cache_header(site: &Site) -> String {
    format!(
        "docdrift-index 6 {} mdx1_heading_ids={} mdx1_admonitions={}",
        env!("CARGO_PKG_VERSION"),
        site.settings.explicit_heading_ids,
        site.settings.mdx1_admonitions
    )
}

/// The index's entries, sorted by path, borrowing from its `text`; none when the text is not
/// an index this build wrote (another version's, or damaged).
fn parse_index<'t>(text: &'t str, header: &str) -> Vec<(Cow<'t, str>, Summary<'t>)> {
    // Lines and fields are split with the memchr crate's vector scans: `str::lines` and
    // `split('\t')` search byte by byte, and were most of the cost of reading the index.
    let mut lines = lines_of(text);
    if lines.next() != Some(header) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count());
    for line in lines {
        let mut f = [""; 8];
        let mut n = 0;
        for field in split_at_byte(line, b'\t') {
            if n < f.len() {
                f[n] = field;
            }
            n += 1;
        }
        if n != f.len() {
            return Vec::new();
        }
        let (Ok(size), Ok(mtime_ns)) = (f[1].parse(), f[2].parse()) else { return Vec::new() };
        let s = Summary {
            stamp: Stamp { size, mtime_ns },
            has_fm: f[3] == "1",
            id: opt_field(f[4]),
            slug: opt_field(f[5]),
            title: opt_field(f[6]),
            tokens: Cow::Borrowed(f[7]),
        };
        out.push((unescape_cow(f[0]), s));
    }
    // Written sorted; sorted here only if it was not (a file edited by hand).
    if !out.is_sorted_by(|a, b| a.0 <= b.0) {
        out.sort_by(|a, b| a.0.cmp(&b.0));
    }
    out
}

/// The lines of `text` as `str::lines` gives them: each ends at a newline (and a `\r` just
/// before it), and text after the last newline, if any, is a last line.
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let (ended, last) = match text.rfind('\n') {
        Some(k) => (Some(&text[..k]), &text[k + 1..]),
        None => (None, text),
    };
    ended
        .into_iter()
        .flat_map(|t| split_at_byte(t, b'\n'))
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .chain(Some(last).filter(|l| !l.is_empty()))
}

/// `text` split at every `sep` (an ASCII byte, so every piece is a `str`), as `str::split`
/// splits it.
fn split_at_byte(text: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut from = 0;
    memchr::memchr_iter(sep, text.as_bytes()).chain(std::iter::once(text.len())).map(move |at| {
        let piece = &text[from..at];
        from = at + 1;
        piece
    })
}

/// The folder listings of the last walk ([`model::Listings`]), kept beside the index.
fn listings_file(index: &Path) -> PathBuf {
    let name = index.file_name().map(|n| n.to_string_lossy().replacen("index-", "folders-", 1));
    index.with_file_name(name.unwrap_or_else(|| "folders.txt".to_string()))
}

/// One line per folder: path, inode, mtime and ctime in nanoseconds, then its entries, each
/// [`escape`]d behind its kind (`d` folder, `f` document, `l` link to a document).
fn load_listings(file: &Path, header: &str) -> model::Listings {
    let Ok(text) = std::fs::read_to_string(file) else { return model::Listings::default() };
    let mut lines = lines_of(&text);
    if lines.next() != Some(header) {
        return model::Listings::default();
    }
    // Sized up front (a line per folder): grown one by one, the table of a site's thousand
    // folders was rebuilt ten times.
    let mut out = model::Listings::with_capacity_and_hasher(
        memchr::memchr_iter(b'\n', text.as_bytes()).count(),
        Default::default(),
    );
    for line in lines {
        let mut f = split_at_byte(line, b'\t');
        let (Some(rel), Some(ino), Some(mtime), Some(ctime), Some(entries), None) =
            (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
        else {
            return model::Listings::default();
        };
        let (Ok(ino), Ok(mtime_ns), Ok(ctime_ns)) = (ino.parse(), mtime.parse(), ctime.parse()) else {
            return model::Listings::default();
        };
        let mut names = Vec::with_capacity(memchr::memchr_iter(b' ', entries.as_bytes()).count() + 1);
        for e in split_at_byte(entries, b' ').filter(|e| !e.is_empty()) {
            let kind = match e.as_bytes()[0] {
                b'd' => model::Entry::Dir,
                b'f' => model::Entry::Doc,
                b'l' => model::Entry::DocLink,
                _ => return model::Listings::default(),
            };
            names.push((unescape(&e[1..]), kind));
        }
        let stamp = model::DirStamp { ino, mtime_ns, ctime_ns };
        out.insert(unescape(rel), model::Listing { stamp, entries: names.into() });
    }
    out
}

fn save_listings(file: &Path, header: &str, listings: &model::Listings) {
    let mut dirs: Vec<&String> = listings.keys().collect();
    dirs.sort();
    let mut out = format!("{header}\n");
    for d in dirs {
        let l = &listings[d];
        let s = l.stamp;
        out.push_str(&format!("{}\t{}\t{}\t{}\t", escape(d), s.ino, s.mtime_ns, s.ctime_ns));
        for (k, (name, kind)) in l.entries.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push(match kind {
                model::Entry::Dir => 'd',
                model::Entry::Doc => 'f',
                model::Entry::DocLink => 'l',
            });
            out.push_str(&escape(name));
        }
        out.push('\n');
    }
    write_atomically(file, out);
}

/// Write the index's `entries`, which come sorted by path.
fn save_index<'s, 't: 's>(file: &Path, header: &str, entries: impl Iterator<Item = (&'s str, &'s Summary<'t>)>) {
    let mut out = String::with_capacity(1 << 20);
    out.push_str(header);
    out.push('\n');
    for (k, s) in entries {
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            escape(k),
            s.stamp.size,
            s.stamp.mtime_ns,
            if s.has_fm { "1" } else { "0" },
            opt_escape(&s.id),
            opt_escape(&s.slug),
            opt_escape(&s.title),
            s.tokens
        ));
    }
    write_atomically(file, out);
}

/// Write then rename, so that a concurrent run never reads half a file. A cache that cannot
/// be written is only a slower next run.
fn write_atomically(file: &Path, text: String) {
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, file).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            ' ' => out.push_str("\\s"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    unescape_cow(s).into_owned()
}

/// [`unescape`], borrowing `s` when it has no escape.
fn unescape_cow(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('s') => out.push(' '),
            Some(o) => out.push(o),
            None => {}
        }
    }
    Cow::Owned(out)
}

fn opt_escape(s: &Option<Cow<str>>) -> String {
    match s {
        None => "-".to_string(),
        Some(v) => format!("={}", escape(v)),
    }
}

fn opt_field(s: &str) -> Option<Cow<'_, str>> {
    s.strip_prefix('=').map(unescape_cow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_wide_work_in_a_hook_gets_a_pool_of_its_own() {
        let spread = |cores| Spread { cores, pool: std::sync::OnceLock::new() };
        let pool = spread(Cores::Pool);
        assert_eq!(pool.run(usize::MAX, || 7), 7);
        assert!(pool.pool.get().is_none(), "`--jobs` keeps the global pool");
        let hook = spread(Cores::Hook);
        hook.run(WIDE - 1, || ());
        assert!(hook.pool.get().is_none(), "narrow work stays on the calling thread");
        let threads = hook.run(WIDE, rayon::current_num_threads);
        assert!(hook.pool.get().is_some(), "wide work makes the pool");
        assert_eq!(threads, rayon::ThreadPoolBuilder::new().build().unwrap().current_num_threads());
    }

    #[test]
    fn reads_a_zero_context_diff() {
        let diff = "diff --git a/docs/a.mdx b/docs/a.mdx\n--- a/docs/a.mdx\n+++ b/docs/a.mdx\n@@ -3 +3 @@\n-x\n+y\n@@ -10,2 +10,0 @@\n-gone\n-gone\n@@ -20,0 +19,3 @@\n+n\n+n\n+n\n\
diff --git a/docs/old.mdx b/docs/old.mdx\ndeleted file mode 100644\n--- a/docs/old.mdx\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n\
diff --git a/docs/b.mdx b/docs/c.mdx\nsimilarity index 100%\nrename from docs/b.mdx\nrename to docs/c.mdx\n\
diff --git a/variables.js b/variables.js\n--- a/variables.js\n+++ b/variables.js\n@@ -1 +1 @@\n-a\n+b\n";
        let c = Changes::parse_diff(diff);
        assert_eq!(c.files, ["docs/a.mdx", "docs/c.mdx"]);
        assert_eq!(c.deleted, ["docs/b.mdx", "docs/old.mdx"]);
        assert_eq!(c.lines["docs/a.mdx"], [(3, 3), (19, 21)]);
        assert!(c.lines["docs/c.mdx"].is_empty(), "a pure rename changes no line");
        assert!(c.on_changed_line("docs/a.mdx", 20) && !c.on_changed_line("docs/a.mdx", 10));
        assert_eq!(c.site_wide, ["variables.js"]);
    }

    /// Every input that can change a finding triggers a whole-site check, and the pre-commit
    /// hook passes it to docdrift (`.pre-commit-hooks.yaml`'s `files` pattern).
    #[test]
    fn site_wide_inputs_and_the_hook_filter_agree() {
        let inputs = [
            "docdrift.toml",
            "variables.js",
            "calico/variables.js",
            "calico_versions.json",
            "versions.json",
            "sidebars.js",
            "sidebars-calico.ts",
            "calico_versioned_sidebars/version-3.30-sidebars.json",
            "static/_redirects",
            "static/img/logo.svg",
            "calico/_includes/components/FelixConfig/config-params.json",
            ".docdrift/ports.toml",
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "src/components/Widget/index.jsx",
        ];
        let hook = include_str!("../.pre-commit-hooks.yaml");
        let pattern = hook
            .lines()
            .find_map(|l| l.trim().strip_prefix("files: "))
            .expect("the hook has a files pattern")
            .trim_matches('\'')
            .to_string();
        let re = regex::Regex::new(&pattern).expect("the files pattern is a regex");
        for p in inputs {
            assert!(is_site_wide(p), "{p} is a site-wide input");
            // pre-commit passes paths from the repository root; the site may be in a subfolder.
            for path in [p.to_string(), format!("website/{p}")] {
                assert!(re.is_match(&path), "the hook passes {path}");
            }
        }
        for p in ["docs/a.mdx", "docs/b.md"] {
            assert!(re.is_match(p) && !is_site_wide(p), "{p}");
        }
        for p in ["README.txt", "docs/notes.txt", "Makefile"] {
            assert!(!re.is_match(p) && !is_site_wide(p), "{p} changes no finding");
        }
    }

    #[test]
    fn tokens_and_names() {
        let mut t = Vec::new();
        url_tokens("../Network-Policy/01-intro.mdx#x", &mut t);
        url_tokens("#same-page", &mut t);
        url_tokens("./", &mut t);
        url_tokens("./a/b", &mut t);
        assert_eq!(t, ["network-policy>01-intro", "01-intro", ".", "b"]);
        t.clear();
        url_tokens("$[docsUrl]/x", &mut t);
        url_tokens("/calico/latest/a/b/page/", &mut t);
        url_tokens("$[docsUrl]/$[page]", &mut t);
        assert_eq!(t, ["$", "x", "calico>page", "latest>page", "a>page", "page", "*"]);
        assert_eq!(unescape(&escape("a b\tc\\")), "a b\tc\\");
        assert_eq!(unquote("\"a\\303\\247.mdx\""), "aç.mdx");
    }

    #[test]
    fn index_lines_and_fields_split_as_str_does() {
        for text in ["", "a", "a\n", "a\n\n", "a\r\nb", "a\nb\r", "\r\n", "a\tb\t\n\tc\r\r\n", "\n\na"] {
            assert_eq!(lines_of(text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>(), "{text:?}");
            assert_eq!(
                split_at_byte(text, b'\t').collect::<Vec<_>>(),
                text.split('\t').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_index_survives_a_round_trip_and_is_read_sorted() {
        let summary = |size, id: Option<&str>, tokens: &str| Summary {
            stamp: Stamp { size, mtime_ns: -7 },
            has_fm: id.is_some(),
            id: id.map(|s| Cow::Owned(s.to_string())),
            slug: None,
            title: Some(Cow::Owned("A\ttitle with\\ escapes".to_string())),
            tokens: Cow::Owned(tokens.to_string()),
        };
        let entries = [
            ("docs/a b.mdx", summary(1, Some("x"), "=docs/b name")),
            ("docs/a.mdx", summary(2, None, "")),
            ("docs/z.md", summary(3, Some(""), "*")),
        ];
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("index-0123.txt");
        save_index(&file, "header 1", entries.iter().map(|(p, s)| (*p, s)));
        let text = std::fs::read_to_string(&file).unwrap();
        let read = parse_index(&text, "header 1");
        let shown = |e: &[(Cow<str>, Summary)]| -> Vec<String> {
            e.iter()
                .map(|(p, s)| format!("{p}|{}|{:?}|{:?}|{:?}|{}", s.stamp.size, s.has_fm, s.id, s.title, s.tokens))
                .collect()
        };
        let want: Vec<(Cow<str>, Summary)> = entries.iter().map(|(p, s)| (Cow::Borrowed(*p), s.clone())).collect();
        assert_eq!(shown(&read), shown(&want));
        // A path without escapes is borrowed from the text, not copied.
        assert!(matches!(read[1].0, Cow::Borrowed(_)));
        // Lines out of order (an index edited by hand) are sorted, so that the merge with the
        // walk's sorted paths finds every entry.
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        let reversed = lines.join("\n") + "\n";
        assert_eq!(shown(&parse_index(&reversed, "header 1")), shown(&want));
        // Another version's index, or a damaged line, is not used.
        assert!(parse_index(&text, "header 2").is_empty());
        assert!(parse_index(&(text.clone() + "docs/broken.mdx\t1\n"), "header 1").is_empty());
    }

    #[test]
    fn folder_listings_survive_a_round_trip() {
        let mut listings = model::Listings::default();
        let stamp = model::DirStamp { ino: 42, mtime_ns: -1_500_000_000, ctime_ns: 1_796_289_669_263_052_380 };
        let entries = vec![
            ("sub folder".to_string(), model::Entry::Dir),
            ("a\tb\\c.mdx".to_string(), model::Entry::Doc),
            ("link.md".to_string(), model::Entry::DocLink),
        ];
        listings.insert("docs/with space".to_string(), model::Listing { stamp, entries: entries.into() });
        listings.insert(String::new(), model::Listing { stamp, entries: Vec::new().into() });
        let dir = tempfile::tempdir().unwrap();
        let file = listings_file(&dir.path().join("index-0123.txt"));
        assert_eq!(file.file_name().unwrap(), "folders-0123.txt");
        save_listings(&file, "header 1", &listings);
        assert_eq!(load_listings(&file, "header 1"), listings);
        // Another version's file, or a damaged one, is not used.
        assert!(load_listings(&file, "header 2").is_empty());
        std::fs::write(&file, "header 1\ndocs\t1\t2\n").unwrap();
        assert!(load_listings(&file, "header 1").is_empty());
    }
}
