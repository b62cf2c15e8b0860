use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::links::{Broken, Target};
use crate::model::Model;

declare_rule! {
    /// A link to a page, file or asset that does not exist in the version readers land on.
    ///
    /// ## What it does
    /// Resolves every link as Docusaurus does. `.md`/`.mdx` links in Markdown go by file path:
    /// from the file's folder, then the version root, then the site; a leading `/` from the
    /// version root; `@site/` from the site. Other links are URLs, resolved against the page's
    /// own URL, and must reach a page of a built version, a file under `static/`, a redirect in
    /// `static/_redirects` or a generated category page. A file link into another doc set, into
    /// a `_` partial or with the wrong extension is broken, as is a link into a version the site
    /// does not build. External links are not fetched.
    ///
    /// ## Why it matters
    /// A broken Markdown file link fails the Docusaurus build; a broken URL fails it too when
    /// `onBrokenLinks` is `throw`, and otherwise ships a 404. Docusaurus checks only the versions
    /// it builds, so old versions rot unseen.
    ///
    /// ## Example
    /// ```mdx
    /// See [the quickstart](../getting-started/quickstart.md).
    /// ```
    /// Use instead (the file is `quickstart.mdx`):
    /// ```mdx
    /// See [the quickstart](../getting-started/quickstart.mdx).
    /// ```
    ///
    /// ## Fix
    /// Point the link at the file or URL that exists in this version; the help names the closest.
    /// When exactly one page's file name is a typo away (`release-note.mdx` for
    /// `release-notes.mdx`), `docdrift check --fix` rewrites the link.
    pub struct LinkBroken {
        id: "link/broken",
        category: Link,
        severity: Error,
        fixable: true,
    }
}

impl Rule for LinkBroken {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let model = cx.model;
        let ix = cx.index;
        let f = cx.file;
        for check in &ix.links[cx.id as usize] {
            let link = &f.doc.links[check.link];
            // One finding per distinct problem; a partial names the pages where it breaks.
            let mut seen: Vec<(&Broken, Vec<usize>)> = Vec::new();
            for (page, target) in check.results.iter() {
                if let Target::Broken(b) = target {
                    match seen.iter_mut().find(|(x, _)| *x == b) {
                        Some((_, pages)) => pages.push(*page),
                        None => seen.push((b, vec![*page])),
                    }
                }
            }
            for (broken, pages) in seen {
                let (message, help) = describe(model, cx, check.url(link), broken);
                let finding = sink.report(cx.id, link.url_span, message);
                if let Broken::NoFile { tried } = broken
                    && let Some(to) = unique_file_fix(model, cx, tried)
                    && help == format!("did you mean `{to}`?")
                {
                    // The path as written, before any `#fragment`; only a literal destination.
                    let written = &f.text[link.url_span.range()];
                    if written == check.url(link) {
                        let path_len = written.find('#').unwrap_or(written.len());
                        let start = link.url_span.start as usize;
                        finding.fix(crate::diag::Span::new(start, start + path_len), to);
                    }
                }
                finding.help(help);
                if pages.iter().any(|&p| p != cx.id as usize) {
                    let names: Vec<&str> = pages.iter().take(3).map(|&p| model.files[p].path.as_str()).collect();
                    let more = if pages.len() > 3 { format!(" and {} more", pages.len() - 3) } else { String::new() };
                    finding
                        .message
                        .push_str(&format!(" (on the pages that render this partial: {}{more})", names.join(", ")));
                }
            }
        }
    }
}

fn file_name(model: &Model, i: usize) -> &str {
    let p = &model.files[i].path;
    p.rsplit('/').next().unwrap_or(p)
}

fn describe(model: &Model, cx: &FileCx, url: &str, b: &Broken) -> (String, String) {
    let here = cx.version_display();
    match b {
        Broken::Empty => ("empty link".into(), "give the link a target, or remove it".into()),
        Broken::NoFile { tried } => {
            let help = match closest_file(model, cx, tried) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "check the path: `./` and `../` start from this file's folder".into(),
            };
            use crate::site::ReportingSeverity;
            let build = match model.site.settings.on_broken_markdown_links {
                ReportingSeverity::Throw => "Docusaurus fails the build on broken Markdown links",
                ReportingSeverity::Warn => "the Docusaurus build only warns, and readers get a broken link",
                ReportingSeverity::Log | ReportingSeverity::Ignore => "the Docusaurus build passes, and readers get a broken link",
            };
            (format!("`{url}` links to a file that does not exist in {here}: {build}; looked for `{tried}`"), help)
        }
        Broken::WrongExtension { found } => {
            (format!("`{url}` does not exist: the file is `{found}`"), format!("change the extension to match `{}`", found.rsplit('/').next().unwrap_or(found)))
        }
        Broken::Partial { file } => (
            format!("`{url}` links to the partial `{}`, which has no page of its own", file_name(model, *file)),
            "link to a page that renders the partial".into(),
        ),
        Broken::OtherDocSet { file } => {
            let other = model.files[*file].loc.map(|l| model.site.version_display(l)).unwrap_or_default();
            let route = model.routes.docs[*file].as_ref().map(|r| r.permalink.clone()).unwrap_or_default();
            (
                format!("`{url}` is a file in another doc set ({other}): file links work only within one doc set"),
                format!("link to its URL instead: `{route}`"),
            )
        }
        Broken::UnbuiltVersion { file } => {
            let other = model.files[*file].loc.map(|l| model.site.version_display(l)).unwrap_or_default();
            (format!("`{url}` leads into {other}, which the site does not build"), "link to the same page in a built version".into())
        }
        Broken::NoRoute { path } => {
            if let Some(hint) = unserved_version(model, path) {
                return (format!("no page at `{path}` (linked from {here}): {}", hint.0), hint.1);
            }
            let help = match closest_route(model, path) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "check the URL; relative URLs start from this page's URL, not its file".into(),
            };
            (format!("no page at `{path}` (linked from {here})"), help)
        }
        Broken::NoAsset { tried } => (
            format!("`{url}` does not exist (looked for `{tried}`)"),
            "check the path: it starts from this file's folder; site-wide assets live under `static/` and are linked as `/img/...`".into(),
        ),
    }
}

/// The existing doc of the same version whose file name is closest to the one tried, as a link.
fn closest_file(model: &Model, cx: &FileCx, tried: &str) -> Option<String> {
    let version_dir = cx.file.loc.map(|l| model.site.version(l).dir.as_str()).unwrap_or("");
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    let want = name(tried);
    let mut best: Option<(f64, f64, &str)> = None;
    for (i, f) in model.files.iter().enumerate() {
        if model.routes.docs[i].is_none() || !f.path.starts_with(version_dir) {
            continue;
        }
        let by_name = strsim::jaro_winkler(&name(&f.path), &want);
        if by_name < 0.88 {
            continue;
        }
        let by_path = strsim::normalized_levenshtein(&f.path, tried);
        if best.is_none_or(|(n, p, _)| (by_name, by_path) > (n, p)) {
            best = Some((by_name, by_path, &f.path));
        }
    }
    best.map(|(_, _, p)| relative_link(&cx.file.path, p))
}

/// The link to the one page of the version whose file name is a typo away from the one tried,
/// if exactly one is (for `--fix`; the help may name a farther match).
fn unique_file_fix(model: &Model, cx: &FileCx, tried: &str) -> Option<String> {
    let version_dir = cx.file.loc.map(|l| model.site.version(l).dir.as_str()).unwrap_or("");
    let want = tried.rsplit('/').next().unwrap_or(tried);
    let pages: Vec<&str> = model
        .files
        .iter()
        .enumerate()
        .filter(|(i, f)| model.routes.docs[*i].is_some() && f.path.starts_with(version_dir))
        .map(|(_, f)| f.path.as_str())
        .collect();
    let name = super::suggest::unique_typo_fix(want, pages.iter().map(|p| p.rsplit('/').next().unwrap_or(p)))?;
    let mut same_name = pages.iter().filter(|p| p.rsplit('/').next() == Some(name));
    match (same_name.next(), same_name.next()) {
        (Some(p), None) => Some(relative_link(&cx.file.path, p)),
        _ => None,
    }
}

/// `to` as a link from the file `from` (both root-relative).
fn relative_link(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>().split_last().map(|(_, d)| d.to_vec()).unwrap_or_default();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from_dir.len() - common];
    out.extend(&to_parts[common..]);
    let s = out.join("/");
    if s.starts_with("..") { s } else { format!("./{s}") }
}

/// A URL into a doc set at a version path the doc set does not serve (`/calico/latest/...`
/// when the last version is served at `/calico/`): what the doc set serves, and where to
/// change it. `None` when the segment after the doc set does not look like a version.
fn unserved_version(model: &Model, path: &str) -> Option<(String, String)> {
    for ds in &model.site.doc_sets {
        let base = if ds.route_base.is_empty() { "/".to_string() } else { format!("/{}/", ds.route_base) };
        let Some(rest) = path.strip_prefix(base.as_str()) else { continue };
        let seg = rest.split('/').next().unwrap_or("");
        let looks_like_version = matches!(seg, "latest" | "next" | "current" | "stable")
            || seg.starts_with(|c: char| c.is_ascii_digit())
            || (seg.starts_with('v') && seg[1..].starts_with(|c: char| c.is_ascii_digit()))
            || ds.versions.iter().any(|v| v.name == seg || v.label == seg);
        if seg.is_empty() || !looks_like_version || ds.versions.iter().any(|v| v.url_path == seg) {
            continue;
        }
        let served: Vec<String> = ds
            .versions
            .iter()
            .filter(|v| v.built)
            .map(|v| {
                let at = if v.url_path.is_empty() { base.clone() } else { format!("{base}{}/", v.url_path) };
                format!("`{at}` ({})", v.label)
            })
            .collect();
        let what = format!("{} has no version at `{base}{seg}/`; it serves {}", ds.name, served.join(", "));
        let help = format!(
            "Link to one of those paths; if the site serves a version at `{seg}`, say so in \
             `[doc_set.url_paths]` for `{}` in docdrift.toml",
            ds.id
        );
        return Some((what, help));
    }
    None
}

fn closest_route(model: &Model, path: &str) -> Option<String> {
    let prefix: String = path.split('/').take(3).collect::<Vec<_>>().join("/");
    let mut best: Option<(f64, &str)> = None;
    for key in model.routes.keys() {
        if !key.starts_with(&prefix) {
            continue;
        }
        let score = strsim::normalized_levenshtein(key, path.trim_end_matches('/'));
        if score > 0.75 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, key));
        }
    }
    best.map(|(_, k)| k.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_links() {
        assert_eq!(super::relative_link("a/b/c.mdx", "a/d/e.mdx"), "../d/e.mdx");
        assert_eq!(super::relative_link("a/b/c.mdx", "a/b/e.mdx"), "./e.mdx");
    }
}
