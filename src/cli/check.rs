//! `docdrift check`.

use super::{CheckArgs, CheckFormat, Color, ErrorOn};
use crate::analysis::Index;
use crate::model::{self, Model};
use crate::pr;
use crate::report::{self, Report};
use crate::site::{self, Site};
use anyhow::{Context, bail};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    let selection = super::select::Selection::parse(&args.select, &args.ignore)?;
    let pr_mode = (!args.changed.is_empty() || args.diff_base.is_some()) && !args.fix && !args.diff;
    let mut cores = pr::Cores::Pool;
    if let Some(n) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
            .context("cannot start the worker threads for --jobs")?;
    } else if pr_mode && rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build_global().is_ok() {
        // A commit hook's run: on this thread, with every core for wide work (see `pr::Cores`).
        cores = pr::Cores::Hook;
    }
    for p in &args.paths {
        if !p.exists() {
            bail!("{}: no such file or folder", p.display());
        }
        // Anything but a folder (a device such as `/dev/zero`, a FIFO, a socket too) must be named as
        // a document; otherwise nothing would be checked and the run would pass green.
        if !p.is_dir() && !model::is_doc_file(p) {
            bail!("{}: not a Markdown or MDX file; docdrift checks `.md` and `.mdx` files", p.display());
        }
    }
    let root = resolve_root(&args)?;
    let site = Site::load(&root, args.config.as_deref(), &crate::rules::ids()).map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.format == CheckFormat::Human {
        // What the Docusaurus config left unknown, and what was assumed instead.
        for n in &site.notes {
            eprintln!("note: {n}");
        }
    }
    let baseline = match &args.baseline {
        Some(b) => Some(crate::baseline::read(b).map_err(|e| anyhow::anyhow!("{e}"))?),
        None => None,
    };
    // PR mode: what changed.
    let changes = if !args.changed.is_empty() {
        Some(pr::Changes::from_paths(&site.root, &args.changed).map_err(|e| anyhow::anyhow!("{e}"))?)
    } else if let Some(base) = &args.diff_base {
        Some(pr::Changes::from_git(&site.root, base).map_err(|e| anyhow::anyhow!("{e}"))?)
    } else {
        None
    };
    // Paths to report on, relative to the root ("" = everything).
    let mut scopes: Vec<String> = Vec::new();
    let mut extra: Vec<PathBuf> = Vec::new();
    for p in &args.paths {
        let rel = model::relative(&site.root, p)
            .with_context(|| format!("{} is outside the site root {}", p.display(), site.root.display()))?;
        if let Err(e @ crate::site::ReadError::OutOfBounds { .. }) = site.bounds.resolve(p) {
            bail!("{}: {e}\n  help: {}", p.display(), e.help());
        }
        extra.push(p.clone());
        scopes.push(rel);
    }
    if let Some(c) = &changes {
        if c.files.is_empty() && c.deleted.is_empty() && c.site_wide.is_empty() && !args.fix && !args.diff {
            // Nothing docdrift reads changed (pre-commit passed other files, or the diff is empty).
            scopes.push("\0nothing".to_string());
        }
        for f in &c.files {
            extra.push(site.root.join(f));
            scopes.push(f.clone());
        }
    }
    let timing = std::env::var_os("DOCDRIFT_TIMING").is_some();
    if timing {
        eprintln!("timing: site loaded at {:?}", start.elapsed());
    }
    let in_scope = |path: &str| {
        scopes.is_empty()
            || scopes.iter().any(|s| {
                s.is_empty()
                    || path == s
                    || (path.starts_with(s.as_str()) && path.as_bytes().get(s.len()) == Some(&b'/'))
            })
    };
    let site_root = site.root.clone();
    // Findings the baseline hid (in the last round, with `--fix`): said on standard error, so
    // that a baseline hiding everything does not look like a clean site.
    let hidden = std::cell::Cell::new(0usize);
    let filter = |m: &Model, f: &mut Vec<crate::diag::Finding>| {
        if !selection.is_everything() {
            f.retain(|f| selection.keeps(f));
        }
        if let Some(b) = &baseline {
            let before = f.len();
            crate::baseline::apply(b, m, f);
            hidden.set(before - f.len());
        }
    };
    // A rule that crashed on some file: reported, and the exit code says so.
    let mut crashed = false;
    // PR mode: the files it checked (the changed ones, or all when a site-wide input changed).
    let mut pr_files = None;
    let (model, findings, setup) = if args.fix || args.diff {
        let out = crate::fix::run(site, &extra, &in_scope, &filter);
        if out.unsettled {
            eprintln!("docdrift: fixes were still changing the text after {} rounds; stopped", crate::fix::MAX_ROUNDS);
        }
        if args.diff {
            let _ = std::io::stdout().lock().write_all(crate::fix::unified_diff(&out.changed).as_bytes());
            // As `check` would exit on the files as they are: what a fix would change was a
            // finding, and so is what no fix settles.
            let fails = !out.changed.is_empty() || exit_fails(&args, &out.findings);
            std::mem::forget(out);
            return Ok(if fails && !args.exit_zero { ExitCode::from(1) } else { ExitCode::SUCCESS });
        }
        crate::fix::write(&out.model.site, &out.changed)?;
        if !out.changed.is_empty() && !args.quiet {
            let plural = |n: usize, s: &str| if n == 1 { format!("{n} {s}") } else { format!("{n} {s}s") };
            eprintln!("fixed {} in {}", plural(out.applied, "problem"), plural(out.changed.len(), "file"));
        }
        (out.model, out.findings, out.setup)
    } else if let Some(c) = &changes {
        let cache = if args.no_cache { None } else { pr::cache_file(&site.root) };
        let out = pr::check(site, c, cache.as_deref(), cores);
        if timing {
            eprintln!(
                "timing: pr: {} documents, {} parsed, {} indexed{}",
                out.stats.documents,
                out.stats.parsed,
                out.stats.indexed,
                if out.stats.whole_site { ", whole site (a site-wide input changed)" } else { "" }
            );
        }
        let mut findings = out.findings;
        filter(&out.model, &mut findings);
        pr_files = Some(out.files);
        (out.model, findings, out.setup)
    } else {
        let index = Index::new(Model::build(site, &extra));
        // Rules whose every finding the selection drops need not run (`--ignore drift`).
        let wanted = |m: &crate::rules::RuleMeta| selection.may_keep(m);
        let (mut findings, crashes) = crate::engine::check_rules(&index, &in_scope, &wanted);
        let mut setup = index.setup_problems();
        setup.extend(crate::snippets::problems(&index));
        let model = index.into_model_for_exit();
        for c in &crashes {
            eprintln!("docdrift: {c}; the other rules and files were checked. Please report this.");
        }
        crashed = !crashes.is_empty();
        filter(&model, &mut findings);
        (model, findings, setup)
    };
    if timing {
        eprintln!("timing: rules done at {:?}", start.elapsed());
    }
    // A broken rule pack or reference turns rules off: never silently.
    for p in &setup {
        eprintln!("docdrift: configuration error: {p}");
    }
    // A CI job pointed at the wrong folder must fail, not report "no problems".
    if changes.is_none() {
        no_docs(&args.paths, &site_root, &model)?;
    }
    if let Some(path) = &args.write_baseline {
        if !setup.is_empty() {
            bail!(
                "not writing the baseline: fix the configuration errors above first, or the baseline misses their rules' findings"
            );
        }
        let b = crate::baseline::build(&model, &findings);
        crate::site::write::write_output(path, crate::baseline::render(&b).as_bytes(), &protected(&model.site))
            .map_err(|e| anyhow::anyhow!("cannot write the baseline: {e}"))?;
        if !args.quiet {
            eprintln!("wrote {} findings to the baseline {}", findings.len(), path.display());
        }
        std::mem::forget(model);
        return Ok(ExitCode::SUCCESS);
    }
    let files = match pr_files {
        Some(n) => n,
        None => model.files.iter().filter(|f| in_scope(&f.path)).count(),
    };
    let report = Report { model: &model, findings: &findings, files, elapsed_ms: start.elapsed().as_millis() };
    let prefix = repository_prefix(&site_root);
    let color = match args.color {
        _ if args.no_color => false,
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let output = match &args.output {
        Some(path) => {
            let format = match args.output_format {
                Some(f) => f,
                None => match path.extension().and_then(|e| e.to_str()) {
                    Some("sarif") => CheckFormat::Sarif,
                    Some("json") => CheckFormat::Json,
                    _ => bail!(
                        "--output {}: say which format with --output-format (json, sarif, github, human)",
                        path.display()
                    ),
                },
            };
            Some((path, render(format, &report, false, &prefix)))
        }
        None => None,
    };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    // A closed pipe (`| head`) is not an error worth a message. The human report, the one
    // that grows with the findings, is written as it is made (see `report::human::write`).
    let _ = match args.format {
        CheckFormat::Human => report::human::write(&report, color, args.quiet, &mut stdout),
        format => stdout.write_all(render(format, &report, color, &prefix).as_bytes()).and_then(|()| stdout.flush()),
    };
    drop(stdout);
    // Written after standard output, so that a failing `--output` still leaves the report there.
    let mut output_failed = false;
    if let Some((path, out)) = output
        && let Err(e) = crate::site::write::write_output(path, out.as_bytes(), &protected(&model.site))
    {
        eprintln!("docdrift: cannot write --output: {e}");
        output_failed = true;
    }
    if hidden.get() > 0 && !args.quiet {
        let n = hidden.get();
        let what = if n == 1 { "1 finding" } else { &format!("{n} findings") };
        eprintln!("the baseline hid {what} it records; run without --baseline to see them");
    }
    let fails = exit_fails(&args, &findings);
    // Freeing thousands of documents one by one takes longer than the process exit does.
    std::mem::forget(findings);
    std::mem::forget(model);
    Ok(if crashed || output_failed || !setup.is_empty() {
        ExitCode::from(2)
    } else if fails && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Whether the findings make the run fail: any at the `--error-on` level or above, or more
/// warnings than `--max-warnings`. (`--exit-zero` is the caller's.)
fn exit_fails(args: &CheckArgs, findings: &[crate::diag::Finding]) -> bool {
    use crate::diag::Severity;
    let at_least = |s: Severity| match args.error_on {
        ErrorOn::Error => s == Severity::Error,
        ErrorOn::Warning => s != Severity::Info,
        ErrorOn::Info => true,
    };
    let warnings = findings.iter().filter(|f| f.severity == Severity::Warning).count();
    findings.iter().any(|f| at_least(f.severity)) || args.max_warnings.is_some_and(|n| warnings > n)
}

/// An error when a folder to check (or the whole site) holds no document docdrift reads.
fn no_docs(paths: &[PathBuf], root: &Path, model: &Model) -> anyhow::Result<()> {
    let empty = |dir: &Path| std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    let why = |dir: &Path| if empty(dir) { "the folder is empty" } else { "no Markdown or MDX files in this folder" };
    if paths.is_empty() && model.files.is_empty() {
        bail!("{}: {} (the site root); pass the folder that holds the docs, or `--root`", root.display(), why(root));
    }
    for p in paths.iter().filter(|p| p.is_dir()) {
        let Some(rel) = model::relative(root, p) else { continue };
        let inside = |path: &str| {
            rel.is_empty()
                || path == rel
                || (path.starts_with(rel.as_str()) && path.as_bytes().get(rel.len()) == Some(&b'/'))
        };
        if !model.files.iter().any(|f| inside(&f.path)) {
            if model.site.docusaurus.is_some() && has_markdown(p) {
                bail!(
                    "{}: no file in this folder belongs to a docs, blog or pages plugin of the Docusaurus config, \
                     so the site does not build it; pass a folder inside a plugin's `path`",
                    p.display()
                );
            }
            bail!("{}: {}; pass a folder with `.md` or `.mdx` files", p.display(), why(p));
        }
    }
    Ok(())
}

/// Whether `dir` holds a Markdown or MDX file at any depth (hidden folders and `node_modules` aside).
fn has_markdown(dir: &Path) -> bool {
    crate::site::walk(dir).flatten().any(|e| e.file_type().is_file() && model::is_doc_file(e.path()))
}

/// What a report or baseline must never overwrite: the site's configuration, its Docusaurus
/// config, its rule packs, and any file in its doc-set folders. Paths are canonical.
fn protected(site: &Site) -> impl Fn(&Path) -> Option<String> + '_ {
    let canon = |p: &Path| p.canonicalize().ok();
    let config = site.config_path.as_deref().and_then(canon);
    let dirs: Vec<PathBuf> =
        site.doc_sets.iter().flat_map(|d| &d.versions).filter_map(|v| canon(&site.root.join(&v.dir))).collect();
    move |t: &Path| {
        if config.as_deref() == Some(t) {
            return Some("the site's configuration".to_string());
        }
        if !site.bounds.contains(t) {
            return None;
        }
        let name = t.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if t.parent() == Some(site.bounds.root()) && site::ROOT_MARKERS.contains(&name) {
            Some("the site's configuration".to_string())
        } else if model::is_doc_file(t) || dirs.iter().any(|d| t.starts_with(d)) {
            Some("one of the site's documents".to_string())
        } else if t.parent().is_some_and(|p| p.ends_with(".docdrift")) || name.ends_with("versions.json") {
            Some("one of the site's data files".to_string())
        } else {
            None
        }
    }
}

fn render(format: CheckFormat, report: &Report, color: bool, prefix: &str) -> String {
    match format {
        CheckFormat::Json => report::json::render(report),
        CheckFormat::Human => report::human::render(report, color),
        CheckFormat::Github => report::github::render(report, prefix),
        CheckFormat::Sarif => report::sarif::render(report, prefix),
    }
}

/// The site root's path from the repository root, with a trailing `/` (`""` at the root): the
/// repository is `$GITHUB_WORKSPACE` when the root lies inside it, else the nearest folder
/// upward with `.git`. GitHub annotations and SARIF uploads name files from there.
fn repository_prefix(root: &Path) -> String {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let repo = std::env::var_os("GITHUB_WORKSPACE")
        .map(PathBuf::from)
        .and_then(|w| w.canonicalize().ok())
        .filter(|w| root.starts_with(w))
        .or_else(|| root.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf));
    match repo.and_then(|r| model::relative(&r, &root)) {
        Some(rel) if !rel.is_empty() => format!("{rel}/"),
        _ => String::new(),
    }
}

/// `p` without `.` components (`site/.` is `site`), so that paths in messages read
/// `site/docdrift.toml`, not `site/./docdrift.toml`; `.` itself stays.
fn without_cur_dir(p: PathBuf) -> PathBuf {
    let clean: PathBuf = p.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    if clean.as_os_str().is_empty() { PathBuf::from(".") } else { clean }
}

fn resolve_root(args: &CheckArgs) -> anyhow::Result<PathBuf> {
    find_root(args).map(without_cur_dir)
}

fn find_root(args: &CheckArgs) -> anyhow::Result<PathBuf> {
    if let Some(r) = &args.root {
        if !r.is_dir() {
            bail!("--root {}: not a folder", r.display());
        }
        return Ok(r.clone());
    }
    let start: PathBuf = match args.paths.first().or(args.changed.first()) {
        Some(p) => p.clone(),
        None => std::env::current_dir().context("cannot read the current folder")?,
    };
    let abs = without_cur_dir(if start.is_absolute() { start.clone() } else { std::env::current_dir()?.join(&start) });
    if let Some(r) = site::find_root(&abs) {
        return Ok(r);
    }
    match args.paths.as_slice() {
        [one] if one.is_dir() => Ok(one.clone()),
        [one] => Ok(one.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()),
        _ => Ok(std::env::current_dir()?),
    }
}
