use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::steps::deps::{self, Need, Pack, Res, Source};
use crate::analysis::steps::{self, PageSteps, Step, StepKind};
use crate::diag::Span;
use crate::model::{Model, SourceFile};

declare_rule! {
    /// A step that acts on a resource before the same page creates or installs it.
    ///
    /// ## What it does
    /// Reads a page as ordered steps: the commands of its shell code blocks, and links to install
    /// guides in sentences that tell the reader to follow them. `Tabs` branches are alternatives;
    /// each continues the steps before the `Tabs`. A step that needs a resource
    /// (`kubectl patch felixconfiguration default`, `calicoctl get ippool`, applying a
    /// `FelixConfiguration` manifest before the CRDs exist) is reported when, on the same reader
    /// path, nothing before it provides the resource and a later install step does
    /// (`kubectl create -f custom-resources.yaml`, `helm install … tigera-operator`, a link to an
    /// install guide). A manifest of the page's own counts when it comes first; a later one is
    /// usually "create it if it does not exist", so it never makes an earlier step wrong.
    /// Re-applying for an upgrade (`--force-conflicts`, `kubectl replace`, `helm upgrade`) is not
    /// an install, and reading `TigeraStatus` is a progress check, not a need. What installs,
    /// creates and needs what comes from `rules/resource-dependencies.toml`, with its sources;
    /// a site adds its own in `.docdrift/resource-dependencies.toml`. A page that installs
    /// nothing (it assumes a running cluster) is never reported.
    ///
    /// ## Why it matters
    /// A reader who follows the page in order runs a command that fails: `felixconfigurations`
    /// is not a resource type yet, or `default` is not found. Reviewers read steps one by one and
    /// miss it; the eBPF install guide shipped such a step in six versions.
    ///
    /// ## Example
    /// ````mdx
    /// ## Create a cluster
    /// ```bash
    /// kubectl patch felixconfiguration default --type merge -p '{"spec":{"vxlanPort":4790}}'
    /// ```
    /// ## Install Calico
    /// ```bash
    /// kubectl create -f custom-resources.yaml
    /// ```
    /// ````
    /// Use instead: patch after the install, or put the setting in a FelixConfiguration
    /// manifest applied with it:
    /// ````mdx
    /// ## Install Calico
    /// ```bash
    /// kubectl create -f custom-resources.yaml
    /// kubectl patch felixconfiguration default --type merge -p '{"spec":{"vxlanPort":4790}}'
    /// ```
    /// ````
    ///
    /// ## Fix
    /// Move the step after the install step the message names, or create the resource with the
    /// install (a manifest applied alongside it). If the page really expects an existing cluster
    /// at that point, say so before the step and drop the later install from the page.
    pub struct BeforeInstall {
        id: "step-order/before-install",
        category: StepOrder,
        severity: Error,
        fixable: false,
    }
}

impl Rule for BeforeInstall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let file = cx.file;
        // Cheap exit: no shell code and no links.
        if file.doc.code_blocks.is_empty() {
            return;
        }
        let pack = cx.index.step_pack();
        // Only a command of a program that needs resources can be reported: skip pages whose
        // shell blocks run none.
        let programs: Vec<&str> =
            pack.kubectl.programs.iter().chain(&pack.calicoctl.programs).map(String::as_str).collect();
        let any_program = file.doc.code_blocks.iter().any(|b| {
            crate::analysis::shell::is_shell(b)
                && programs.iter().any(|p| memchr::memmem::find(b.value.as_bytes(), p.as_bytes()).is_some())
        });
        if !any_program {
            return;
        }
        let model = cx.model;
        let is_guide = |target: usize| !guide_installers(model, pack, target).is_empty();
        let page = steps::page_steps(model, &cx.index.links, cx.id as usize, &is_guide);
        if page.steps.is_empty() {
            return;
        }
        let installs = |target: usize| guide_installers(model, pack, target);
        let effects = deps::effects(pack, &page, &installs);
        // Nothing provided on the page: it assumes a running cluster.
        if effects.iter().all(|e| e.provides.is_empty()) {
            return;
        }
        let steps = &page.steps;
        for (i, step) in steps.iter().enumerate() {
            let mut seen: Vec<&Res> = Vec::new();
            for need in &effects[i].needs {
                if seen.contains(&&need.res) {
                    continue;
                }
                seen.push(&need.res);
                // Provided before (on this path), or by the step itself.
                if effects[i].provides.iter().any(|p| p.res.satisfies(&need.res) && p.source != Source::Manifest)
                    || deps::provider(steps, &effects, step, &need.res, 0..i).is_some()
                {
                    continue;
                }
                // Later, only installs count: a manifest written out later is usually "create it
                // if it does not exist", an alternative rather than the next step.
                let Some((j, p)) = deps::later_installer(steps, &effects, step, &need.res, i + 1..steps.len()) else {
                    continue;
                };
                let later = &steps[j];
                let source = &effects[j].provides[p].source;
                report(cx, sink, pack, &page, step, need, later, source);
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn report(
    cx: &FileCx,
    sink: &mut Sink,
    pack: &Pack,
    page: &PageSteps,
    step: &Step,
    need: &Need,
    later: &Step,
    source: &Source,
) {
    let file = cx.file;
    let line = |s: Span| file.lines().line_of(s.start) + 1;
    let what = match &need.res.name {
        Some(n) => format!("{} `{n}`", need.res.kind),
        None => format!("{} resources", need.res.kind),
    };
    let (says, object_from_install) = match source {
        Source::Installer(ii) => (pack.installers[*ii].says.clone(), need.res.name.is_some()),
        Source::Manifest => (format!("{what} is created"), false),
    };
    let mut message =
        format!("{} {what} (line {}) before {says} (line {})", need.verb, line(step.span), line(later.span));
    let suffix = if object_from_install {
        let kind = &need.res.kind;
        let article = if kind.starts_with(['A', 'E', 'I', 'O', 'U']) { "an" } else { "a" };
        format!(": move it after that step, or apply {article} {kind} manifest with the install")
    } else {
        ": move it after that step".to_string()
    };
    message.push_str(&suffix);
    let later_text = describe(file, page, later);
    let help = match &later.kind {
        StepKind::Guide { .. } => format!("Move this step after the {later_text} step"),
        StepKind::Command { .. } => format!("Move this step after `{later_text}`"),
    };
    let mut place = Vec::new();
    if let Some(n) = later.list_item {
        place.push(format!("step {n}"));
    }
    if let Some(h) = later.section.and_then(|h| file.doc.headings.get(h)) {
        place.push(format!("under “{}”", h.text));
    }
    let place = if place.is_empty() { String::new() } else { format!(" ({})", place.join(" ")) };
    let related = format!("{} here{place}", capitalize(&says));
    sink.report(cx.id, need.span, message).help(help).related(cx.id, later.span, related);
}

/// How a help line names a step: the command's first line, or the link.
fn describe(file: &SourceFile, page: &PageSteps, step: &Step) -> String {
    match step.kind {
        StepKind::Command { .. } => {
            let text = page.command(step).map(|c| &file.text[c.span.range()]).unwrap_or("");
            let first: String = text.lines().next().unwrap_or("").trim().trim_end_matches('\\').trim_end().to_string();
            if first.chars().count() > 80 {
                format!("{}…", first.chars().take(79).collect::<String>())
            } else {
                first
            }
        }
        StepKind::Guide { link, .. } => {
            let l = &file.doc.links[link];
            format!("[{}]({})", l.text, l.url)
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Installers a linked page stands for, when it is a guide the pack lists.
fn guide_installers(model: &Model, pack: &Pack, target: usize) -> Vec<usize> {
    let f = &model.files[target];
    let Some(loc) = f.loc else { return Vec::new() };
    let dir = &model.site.version(loc).dir;
    let rel = if dir.is_empty() {
        f.path.as_str()
    } else {
        f.path.strip_prefix(dir.as_str()).map_or("", |r| r.trim_start_matches('/'))
    };
    deps::guide_installers(pack, rel)
}
