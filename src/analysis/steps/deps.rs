//! The dependency model: what a step installs or creates, and what it needs, read from the
//! `rules/resource-dependencies.toml` pack (plus a site's own
//! `.docdrift/resource-dependencies.toml`).
//!
//! It understands `kubectl`/`oc` and `calicoctl` verbs on resources (every spelling of a kind the
//! pack lists), `kubectl create|apply|replace -f` of known manifests or of a heredoc, `helm
//! install` of known charts, and links to install guides. Where steps are and how they are
//! ordered is [`super`]'s business.

use super::{PageSteps, Step, StepKind};
use crate::analysis::shell::{self, Command, Word};
use crate::diag::Span;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// `rules/resource-dependencies.toml`, as build.rs converts it to JSON (see `site::packs::load_pack`).
const BUILTIN_PACK: &str = include_str!(concat!(env!("OUT_DIR"), "/resource-dependencies.json"));

/// A command-line program family (`kubectl`-like or `calicoctl`-like).
#[derive(Deserialize, Debug, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct Cli {
    #[serde(default)]
    pub programs: Vec<String>,
    /// Verb -> how a message says it ("patches").
    #[serde(default)]
    pub needs: BTreeMap<String, String>,
    #[serde(default)]
    pub creates: Vec<String>,
    #[serde(default)]
    pub replaces: Vec<String>,
    #[serde(default)]
    pub upgrade_flags: Vec<String>,
    #[serde(default)]
    pub value_flags: Vec<String>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    pub name: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    /// A status kind: reading it checks progress and needs nothing.
    #[serde(default)]
    pub progress: bool,
    #[serde(default)]
    pub source: String,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Installer {
    pub id: String,
    pub says: String,
    #[serde(default)]
    pub manifests: Vec<String>,
    #[serde(default)]
    pub helm_charts: Vec<String>,
    #[serde(default)]
    pub needs: Vec<String>,
    pub creates: Vec<String>,
    #[serde(default)]
    pub source: String,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    pub path: String,
    pub installs: Vec<String>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct PackFile {
    #[serde(default)]
    kubectl: Cli,
    #[serde(default)]
    calicoctl: Cli,
    #[serde(default)]
    kind: Vec<KindDef>,
    #[serde(default)]
    installer: Vec<Installer>,
    #[serde(default)]
    guide: Vec<Guide>,
}

/// A resource: one object (`FelixConfiguration/default`) or a kind (`FelixConfiguration/*`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Res {
    pub kind: String,
    pub name: Option<String>,
}

impl Res {
    fn parse(s: &str) -> Option<Res> {
        let (k, n) = s.split_once('/')?;
        Some(Res { kind: k.to_string(), name: (n != "*").then(|| n.to_string()) })
    }

    /// Does having `self` give what `need` asks for? An object gives its kind too.
    pub fn satisfies(&self, need: &Res) -> bool {
        self.kind == need.kind && (need.name.is_none() || self.name == need.name)
    }
}

/// The loaded pack, with lookup tables.
#[derive(Debug, Default)]
pub struct Pack {
    pub kubectl: Cli,
    pub calicoctl: Cli,
    pub kinds: Vec<KindDef>,
    pub installers: Vec<Installer>,
    pub guides: Vec<Guide>,
    /// Lower-case spelling -> kind name.
    spellings: HashMap<String, String>,
    /// Kind name (lower case) -> kind name, for `kind:` in manifests.
    kind_names: HashMap<String, String>,
    installer_creates: Vec<Vec<Res>>,
    installer_needs: Vec<Vec<Res>>,
}

impl Pack {
    /// The built-in pack plus the site's own `.docdrift/resource-dependencies.toml`, if any.
    pub fn load(root: &Path) -> Result<Pack, String> {
        let (mut file, extra, _) =
            crate::site::packs::load_pack::<PackFile>(root, "resource-dependencies", BUILTIN_PACK)?;
        if let Some(extra) = extra {
            for (mine, theirs) in [(&mut file.kubectl, extra.kubectl), (&mut file.calicoctl, extra.calicoctl)] {
                mine.programs.extend(theirs.programs);
                mine.needs.extend(theirs.needs);
                mine.creates.extend(theirs.creates);
                mine.replaces.extend(theirs.replaces);
                mine.upgrade_flags.extend(theirs.upgrade_flags);
                mine.value_flags.extend(theirs.value_flags);
            }
            file.kind.extend(extra.kind);
            file.installer.extend(extra.installer);
            file.guide.extend(extra.guide);
        }
        Pack::from_file(file)
    }

    /// The built-in pack alone.
    pub fn builtin() -> Pack {
        Pack::from_file(serde_json::from_str(BUILTIN_PACK).expect("the built-in pack parses"))
            .expect("the built-in pack is valid")
    }

    fn from_file(f: PackFile) -> Result<Pack, String> {
        let mut spellings = HashMap::new();
        let mut kind_names = HashMap::new();
        for k in &f.kind {
            kind_names.insert(k.name.to_ascii_lowercase(), k.name.clone());
            for n in &k.names {
                let n = n.to_ascii_lowercase();
                for g in &k.groups {
                    spellings.insert(format!("{n}.{}", g.to_ascii_lowercase()), k.name.clone());
                }
                spellings.insert(n, k.name.clone());
            }
        }
        let res_list = |what: &str, list: &[String]| -> Result<Vec<Res>, String> {
            list.iter()
                .map(|s| {
                    let r = Res::parse(s)
                        .ok_or_else(|| format!("resource-dependencies: {what}: `{s}` is not `Kind/name`"))?;
                    if !kind_names.contains_key(&r.kind.to_ascii_lowercase()) {
                        return Err(format!("resource-dependencies: {what}: unknown kind `{}`", r.kind));
                    }
                    Ok(r)
                })
                .collect()
        };
        let mut installer_creates = Vec::new();
        let mut installer_needs = Vec::new();
        for i in &f.installer {
            installer_creates.push(res_list(&format!("installer `{}` creates", i.id), &i.creates)?);
            installer_needs.push(res_list(&format!("installer `{}` needs", i.id), &i.needs)?);
        }
        for g in &f.guide {
            for id in &g.installs {
                if !f.installer.iter().any(|i| &i.id == id) {
                    return Err(format!("resource-dependencies: guide `{}`: unknown installer `{id}`", g.path));
                }
            }
        }
        Ok(Pack {
            kubectl: f.kubectl,
            calicoctl: f.calicoctl,
            kinds: f.kind,
            installers: f.installer,
            guides: f.guide,
            spellings,
            kind_names,
            installer_creates,
            installer_needs,
        })
    }

    /// The kind a spelling names (`felixconfigurations.crd.projectcalico.org` ->
    /// `FelixConfiguration`).
    pub fn kind(&self, spelling: &str) -> Option<&str> {
        self.spellings.get(&spelling.to_ascii_lowercase()).map(String::as_str)
    }

    /// Installers a guide page stands for (`rel` is the page's path in its version folder).
    pub fn guide(&self, rel: &str) -> Option<&Guide> {
        self.guides.iter().find(|g| g.path == rel)
    }

    fn installer(&self, id: &str) -> Option<usize> {
        self.installers.iter().position(|i| i.id == id)
    }
}

/// What a step needs: a resource, and how the step uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub res: Res,
    /// "patches", "reads", "creates".
    pub verb: String,
    /// What to underline: the command from the program to the resource's name.
    pub span: Span,
}

/// Where what a step provides comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A known installer (index into [`Pack::installers`]).
    Installer(usize),
    /// Objects written in the step's own manifest (a heredoc).
    Manifest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provide {
    pub res: Res,
    pub source: Source,
}

/// What one step does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    pub needs: Vec<Need>,
    pub provides: Vec<Provide>,
}

/// The effects of every step of a page (aligned with `steps.steps`). `guide_installs(target)`
/// gives the installers a guide step stands for.
pub fn effects(pack: &Pack, steps: &PageSteps, guide_installs: &dyn Fn(usize) -> Vec<usize>) -> Vec<Effects> {
    steps
        .steps
        .iter()
        .map(|s| match s.kind {
            StepKind::Guide { target, .. } => {
                let mut e = Effects::default();
                for i in guide_installs(target) {
                    for r in &pack.installer_creates[i] {
                        e.provides.push(Provide { res: r.clone(), source: Source::Installer(i) });
                    }
                }
                e
            }
            StepKind::Command { .. } => match steps.block_commands(s) {
                Some((cmds, i)) => command_effects(pack, cmds, i),
                None => Effects::default(),
            },
        })
        .collect()
}

/// The effects of command `i` of a block.
pub fn command_effects(pack: &Pack, cmds: &[Command], i: usize) -> Effects {
    let mut e = Effects::default();
    let c = &cmds[i];
    let (Some(pi), Some(prog)) = (c.program_index(), c.program()) else { return e };
    let cli = if pack.kubectl.programs.iter().any(|p| p == prog) {
        &pack.kubectl
    } else if pack.calicoctl.programs.iter().any(|p| p == prog) {
        &pack.calicoctl
    } else if prog == "helm" {
        helm_effects(pack, c, &mut e);
        return e;
    } else {
        return e;
    };
    let args = c.args();
    let pos = positionals(args, &cli.value_flags);
    let Some(&verb_at) = pos.first() else { return e };
    let verb = args[verb_at].text.as_str();
    let program_start = c.words[pi].span.start;
    let reads = matches!(verb, "get" | "wait" | "describe");
    let progress = |kind: &str| reads && pack.kinds.iter().any(|k| k.name == kind && k.progress);
    if let Some(phrase) = cli.needs.get(verb) {
        let rest = &pos[1..];
        let Some(&kind_at) = rest.first() else { return e };
        let spec = args[kind_at].text.as_str();
        if spec.contains('/') {
            // `kind/name` forms, possibly several.
            for &k in rest {
                let w = &args[k];
                if let Some((kind, name)) = w.text.split_once('/')
                    && let Some(kind) = pack.kind(kind)
                    && usable_name(name)
                    && !progress(kind)
                {
                    e.needs.push(Need {
                        res: Res { kind: kind.to_string(), name: Some(name.to_string()) },
                        verb: phrase.clone(),
                        span: Span { start: program_start, end: w.span.end },
                    });
                }
            }
            return e;
        }
        let kinds: Vec<&str> = spec.split(',').filter_map(|k| pack.kind(k)).filter(|k| !progress(k)).collect();
        if kinds.is_empty() {
            return e;
        }
        // Names follow the kind; `label`/`annotate` then take `key=value` and `key-`.
        let mut names: Vec<&Word> = Vec::new();
        for &k in &rest[1..] {
            let w = &args[k];
            if w.text.contains('=') || (matches!(verb, "label" | "annotate") && w.text.ends_with('-')) {
                break;
            }
            names.push(w);
        }
        for kind in kinds {
            if names.is_empty() {
                e.needs.push(Need {
                    res: Res { kind: kind.to_string(), name: None },
                    verb: phrase.clone(),
                    span: Span { start: program_start, end: args[kind_at].span.end },
                });
            }
            for w in &names {
                if !usable_name(&w.text) {
                    continue;
                }
                e.needs.push(Need {
                    res: Res { kind: kind.to_string(), name: Some(w.text.clone()) },
                    verb: phrase.clone(),
                    span: Span { start: program_start, end: w.span.end },
                });
            }
        }
        return e;
    }
    let creates = cli.creates.iter().any(|v| v == verb);
    let replaces = cli.replaces.iter().any(|v| v == verb);
    if creates || replaces {
        let upgrade = replaces || args.iter().any(|w| cli.upgrade_flags.contains(&w.text));
        let mut k = 0;
        while k < args.len() {
            let (file, at) = match flag_at(args, k, &["-f", "--filename"]) {
                Some(v) => v,
                None => {
                    k += 1;
                    continue;
                }
            };
            k = at + 1;
            if file == "-" {
                if let Some(h) = shell::stdin_heredoc(cmds, i) {
                    for (kind, name) in manifest_objects(&h.body) {
                        if let Some(kind) = pack.kind_names.get(&kind.to_ascii_lowercase()) {
                            let res = Res { kind: kind.clone(), name: Some(name) };
                            let span = Span { start: program_start, end: c.span.end };
                            if replaces {
                                e.needs.push(Need { res, verb: "replaces".to_string(), span });
                                continue;
                            }
                            e.needs.push(Need {
                                res: Res { kind: kind.clone(), name: None },
                                verb: "creates".to_string(),
                                span,
                            });
                            e.provides.push(Provide { res, source: Source::Manifest });
                        }
                    }
                }
                continue;
            }
            if upgrade {
                continue;
            }
            let name = manifest_name(&file);
            for (ii, inst) in pack.installers.iter().enumerate() {
                if inst.manifests.iter().any(|m| glob_match(m, name)) {
                    add_installer(pack, ii, Span { start: program_start, end: c.span.end }, &mut e);
                }
            }
        }
    }
    e
}

fn add_installer(pack: &Pack, ii: usize, span: Span, e: &mut Effects) {
    for r in &pack.installer_needs[ii] {
        e.needs.push(Need { res: r.clone(), verb: "installs".to_string(), span });
    }
    for r in &pack.installer_creates[ii] {
        e.provides.push(Provide { res: r.clone(), source: Source::Installer(ii) });
    }
}

const HELM_VALUE_FLAGS: &[&str] = &[
    "-f",
    "--values",
    "--version",
    "-n",
    "--namespace",
    "--set",
    "--set-string",
    "--set-file",
    "--set-json",
    "--repo",
    "--kube-context",
    "--kubeconfig",
    "--timeout",
    "--post-renderer",
    "--description",
    "--username",
    "--password",
    "--ca-file",
    "--cert-file",
    "--key-file",
];

/// `helm install <release> <chart>` and `helm upgrade --install <release> <chart>`.
fn helm_effects(pack: &Pack, c: &Command, e: &mut Effects) {
    let args = c.args();
    let pos = positionals(args, HELM_VALUE_FLAGS);
    let Some(&verb_at) = pos.first() else { return };
    let verb = args[verb_at].text.as_str();
    let installs =
        verb == "install" || (verb == "upgrade" && args.iter().any(|w| w.text == "--install" || w.text == "-i"));
    if !installs {
        return;
    }
    let start = c.program_index().map_or(c.span.start, |p| c.words[p].span.start);
    for &k in &pos[1..] {
        let chart = manifest_name(&args[k].text);
        for (ii, inst) in pack.installers.iter().enumerate() {
            let hit = inst
                .helm_charts
                .iter()
                .any(|h| chart == h || (chart.starts_with(&format!("{h}-")) && chart.ends_with(".tgz")));
            if hit {
                add_installer(pack, ii, Span { start, end: c.span.end }, e);
            }
        }
    }
}

/// Indices in `args` of the positional arguments (options and their values skipped).
fn positionals(args: &[Word], value_flags: &[impl AsRef<str>]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < args.len() {
        let t = args[k].text.as_str();
        if t == "--" {
            out.extend(k + 1..args.len());
            break;
        }
        if t.starts_with('-') && t.len() > 1 {
            if !t.contains('=') && value_flags.iter().any(|f| f.as_ref() == t) {
                k += 1;
            }
        } else {
            out.push(k);
        }
        k += 1;
    }
    out
}

/// The value of option `names` at or after `k`: `(value, index of the last word used)`.
fn flag_at(args: &[Word], k: usize, names: &[&str]) -> Option<(String, usize)> {
    let t = args[k].text.as_str();
    for n in names {
        if t == *n {
            return args.get(k + 1).map(|w| (w.text.clone(), k + 1));
        }
        if let Some(v) = t.strip_prefix(n).and_then(|r| r.strip_prefix('=')) {
            return Some((v.to_string(), k));
        }
    }
    None
}

/// A name docdrift can compare: not a placeholder (`<node>`) or a shell expansion.
fn usable_name(n: &str) -> bool {
    !n.is_empty() && !n.contains(['$', '<', '>', '*', '`', '{', '}', '(', ')'])
}

/// The file name of a manifest path or URL (`$[manifestsUrl]/manifests/calico.yaml?x` ->
/// `calico.yaml`).
fn manifest_name(path: &str) -> &str {
    let p = path.split(['?', '#']).next().unwrap_or(path);
    p.trim_end_matches('/').rsplit('/').next().unwrap_or(p)
}

/// `*` matches any run of characters; everything else literally.
fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    if parts.is_empty() {
        return rest.is_empty();
    }
    for (k, p) in parts.iter().enumerate() {
        if k == parts.len() - 1 {
            return rest.ends_with(p);
        }
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    true
}

/// `(kind, metadata.name)` of each object in a YAML manifest, by a line scan that survives
/// placeholders and `$[vars]` that would stop a YAML parser.
pub fn manifest_objects(yaml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for doc in split_documents(yaml) {
        let mut kind = None;
        let mut name = None;
        let mut in_metadata = false;
        for line in doc.lines() {
            let t = line.trim_end();
            if t.trim_start().starts_with('#') || t.trim().is_empty() {
                continue;
            }
            let top = !t.starts_with([' ', '\t']);
            if top {
                in_metadata = t == "metadata:";
                if let Some(v) = t.strip_prefix("kind:") {
                    kind = Some(unquote(v));
                }
            } else if in_metadata
                && name.is_none()
                && let Some(v) = t.trim_start().strip_prefix("name:")
            {
                // Only `metadata.name`, not a deeper `name:`.
                let depth = t.len() - t.trim_start().len();
                if depth <= 4 {
                    name = Some(unquote(v));
                }
            }
        }
        if let (Some(k), Some(n)) = (kind, name) {
            out.push((k, n));
        }
    }
    out
}

fn split_documents(yaml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        if line.trim_end() == "---" {
            out.push(&yaml[start..at]);
            start = at + line.len();
        }
        at += line.len();
    }
    out.push(&yaml[start..]);
    out
}

fn unquote(v: &str) -> String {
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.trim_matches(['"', '\'']).to_string()
}

/// For the rule: the first step at or after `from` on the same reader path as `step` that
/// provides `need`.
pub fn provider(
    steps: &[Step],
    effects: &[Effects],
    step: &Step,
    need: &Res,
    range: impl Iterator<Item = usize>,
) -> Option<(usize, usize)> {
    for j in range {
        if !steps[j].same_path(step) {
            continue;
        }
        if let Some(p) = effects[j].provides.iter().position(|p| p.res.satisfies(need)) {
            return Some((j, p));
        }
    }
    None
}

/// The first step in `range` on the same reader path as `step` that installs `need` (a known
/// installer or guide, not a manifest of the page's own).
pub fn later_installer(
    steps: &[Step],
    effects: &[Effects],
    step: &Step,
    need: &Res,
    range: impl Iterator<Item = usize>,
) -> Option<(usize, usize)> {
    for j in range {
        if !steps[j].same_path(step) {
            continue;
        }
        let hit =
            effects[j].provides.iter().position(|p| matches!(p.source, Source::Installer(_)) && p.res.satisfies(need));
        if let Some(p) = hit {
            return Some((j, p));
        }
    }
    None
}

/// Installers by id, for guides.
pub fn guide_installers(pack: &Pack, rel: &str) -> Vec<usize> {
    pack.guide(rel).map(|g| g.installs.iter().filter_map(|id| pack.installer(id)).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(text: &str) -> Effects {
        let pack = Pack::builtin();
        let cmds = shell::parse(text);
        let mut all = Effects::default();
        for i in 0..cmds.len() {
            let e = command_effects(&pack, &cmds, i);
            all.needs.extend(e.needs);
            all.provides.extend(e.provides);
        }
        all
    }

    fn needs(text: &str) -> Vec<String> {
        fx(text)
            .needs
            .iter()
            .map(|n| format!("{} {}/{}", n.verb, n.res.kind, n.res.name.as_deref().unwrap_or("*")))
            .collect()
    }

    fn provides(text: &str) -> Vec<String> {
        let mut v: Vec<String> = fx(text)
            .provides
            .iter()
            .map(|p| format!("{}/{}", p.res.kind, p.res.name.as_deref().unwrap_or("*")))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn every_spelling_of_a_kind() {
        for s in [
            "felixconfiguration",
            "felixconfigurations",
            "FelixConfiguration",
            "felixconfig",
            "felixconfigurations.crd.projectcalico.org",
            "felixconfiguration.projectcalico.org",
            "felixconfiguration.p",
        ] {
            assert_eq!(
                needs(&format!("kubectl patch {s} default --type merge -p '{{}}'")),
                ["patches FelixConfiguration/default"],
                "{s}"
            );
        }
        assert_eq!(
            needs("kubectl patch installation.operator.tigera.io default -p x"),
            ["patches Installation/default"]
        );
        assert_eq!(needs("oc patch installations default --type=merge --patch='{}'"), ["patches Installation/default"]);
        assert_eq!(needs("calicoctl patch felixconfig default -p '{}'"), ["patches FelixConfiguration/default"]);
    }

    #[test]
    fn verbs_and_name_forms() {
        assert_eq!(needs("kubectl get felixconfiguration default -o yaml"), ["reads FelixConfiguration/default"]);
        assert_eq!(needs("kubectl get ippools"), ["reads IPPool/*"]);
        // Status reads check progress: they need nothing.
        assert_eq!(needs("watch kubectl get tigerastatus"), Vec::<String>::new());
        assert_eq!(
            needs("kubectl wait --for=condition=Available tigerastatus/apiserver --timeout 5m"),
            Vec::<String>::new()
        );
        assert_eq!(needs("kubectl wait --for=condition=Ready ippool/p1"), ["waits for IPPool/p1"]);
        assert_eq!(needs("kubectl get felixconfiguration/default"), ["reads FelixConfiguration/default"]);
        assert_eq!(needs("kubectl -n x label ippool default-ipv4-ippool a=b"), ["labels IPPool/default-ipv4-ippool"]);
        assert_eq!(needs("kubectl edit installation default"), ["edits Installation/default"]);
        assert_eq!(needs("kubectl patch felixconfiguration node.<nodename> -p x"), Vec::<String>::new());
        assert_eq!(needs("kubectl get pods -A"), Vec::<String>::new());
        assert_eq!(needs("kubectl delete felixconfiguration default"), Vec::<String>::new());
    }

    #[test]
    fn installers() {
        assert!(
            provides("kubectl create -f $[manifestsUrl]/manifests/tigera-operator.yaml")
                .contains(&"Installation/*".to_string())
        );
        assert!(
            provides("kubectl apply --server-side -f https://x/manifests/operator-crds.yaml")
                .contains(&"FelixConfiguration/*".to_string())
        );
        let cr = provides("kubectl create -f custom-resources.yaml");
        assert!(
            cr.contains(&"FelixConfiguration/default".to_string()) && cr.contains(&"Installation/default".to_string())
        );
        assert_eq!(needs("kubectl create -f custom-resources.yaml"), ["installs Installation/*"]);
        assert!(provides("kubectl apply -f calico.yaml").contains(&"FelixConfiguration/default".to_string()));
        assert!(
            provides("helm install calico projectcalico/tigera-operator --version v3 --namespace tigera-operator")
                .contains(&"Installation/default".to_string())
        );
        assert!(
            provides("helm upgrade --install calico tigera-operator-v3.tgz -f values.yaml")
                .contains(&"Installation/default".to_string())
        );
        assert!(provides("helm upgrade calico projectcalico/tigera-operator").is_empty());
        assert!(provides("kubectl apply -f my-app.yaml").is_empty());
        // Upgrades re-apply what is installed.
        assert!(provides("kubectl apply --server-side --force-conflicts -f operator-crds.yaml").is_empty());
        assert!(provides("kubectl replace -f tigera-operator.yaml").is_empty());
    }

    #[test]
    fn heredoc_manifests() {
        let text = "kubectl apply -f - <<EOF\napiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n  bpfEnabled: true\n---\nkind: ConfigMap\nmetadata:\n  name: x\nEOF";
        assert_eq!(provides(text), ["FelixConfiguration/default"]);
        assert_eq!(needs(text), ["creates FelixConfiguration/*"]);
        assert_eq!(needs(&text.replace("apply", "replace")), ["replaces FelixConfiguration/default"]);
        let piped = "cat <<EOF | kubectl create -f -\nkind: IPPool\nmetadata:\n  name: pool2\nEOF";
        assert_eq!(provides(piped), ["IPPool/pool2"]);
    }

    #[test]
    fn globs() {
        assert!(glob_match("custom-resources-*.yaml", "custom-resources-bpf.yaml"));
        assert!(!glob_match("custom-resources-*.yaml", "custom-resources.yaml"));
        assert!(glob_match("calico.yaml", "calico.yaml"));
        assert!(!glob_match("calico.yaml", "calico.yaml.bak"));
        assert_eq!(manifest_name("$[manifestsUrl]/manifests/calico.yaml?raw=1"), "calico.yaml");
    }

    #[test]
    fn the_builtin_pack_loads() {
        let p = Pack::load(Path::new("/nonexistent")).unwrap();
        assert!(p.kind("felixconfigurations.crd.projectcalico.org").is_some());
        assert!(!p.guides.is_empty());
    }
}
