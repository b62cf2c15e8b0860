//! Layer 3, cross-file analyses: what the parsed site means beyond one file.
//!
//! Each analysis is its own module and reads the [`crate::model::Model`] (site, parsed files,
//! routes, the partial render graph); none of them is reached from below. Inside this folder
//! imports go one way, in this order (a module may use the ones before it):
//! [`shell`] (commands in shell code blocks) → [`anchors`] (the ids a reader can land on) →
//! [`config_ref`] (configuration reference packs) → [`fields`] (configuration fields the docs
//! use) → [`ports`] (port claims) → [`links`] (where every link lands) → [`steps`] (the step
//! model of a guide) → [`drift`] (how the copies of a page differ), and this module's
//! [`Index`] on top, which caches them all. Rule packs load through `site::packs`,
//! below every analysis. Rules and findings are left to [`crate::rules`].

pub mod anchors;
pub mod config_ref;
pub mod drift;
pub mod fields;
pub mod links;
pub mod ports;
pub mod shell;
pub mod steps;

use crate::model::Model;
use crate::site::Location;

/// The model with every analysis of it: the one place analyses are cached, handed to rules,
/// the engine, fixes and PR mode.
///
/// Anchors and link checks are computed when the index is built (every link rule needs them);
/// configuration references, field uses, port claims and port fields on first use.
pub struct Index {
    pub model: Model,
    /// Per file: the anchors a reader can land on.
    pub anchors: anchors::Anchors,
    /// Per file: where each link lands, for the links a rule may report on: one that leaves
    /// the site or lands on a file without anchors (every result `External` or `Other`) has
    /// no check here.
    pub links: Vec<Vec<links::LinkCheck>>,
    /// Per version: the configuration references (FelixConfiguration, …), loaded on first use.
    pub config_refs: config_ref::Refs,
    /// The well-known port registry, and per file the port claims (extracted on first use).
    pub ports: ports::Ports,
    /// Per file: where configuration fields are used, extracted on first use.
    field_uses: fields::Cache,
    /// Problems with the site's own rule packs (reported by the CLI as configuration errors).
    pub setup_errors: Vec<String>,
    /// How the copies of each page differ (computed on first use).
    drift: std::sync::OnceLock<drift::Drift>,
    /// PR mode's change ([`Index::set_change`]) and the copies it has not reached (computed on
    /// first use).
    change: Option<drift::change::Change>,
    unpropagated: std::sync::OnceLock<Vec<drift::change::Unpropagated>>,
    /// What installs, creates and needs which resources (the built-in pack and the site's), and
    /// why the site's did not load if it did not (loaded on first use).
    step_pack: std::sync::OnceLock<(steps::deps::Pack, Option<String>)>,
}

impl Index {
    pub fn new(model: Model) -> Index {
        let timing = std::env::var_os("DOCDRIFT_TIMING").is_some();
        let t0 = std::time::Instant::now();
        let lap = |what: &str| {
            if timing {
                eprintln!("timing: {what} at {:?} (analyses)", t0.elapsed());
            }
        };
        let mut setup_errors = Vec::new();
        let pack = anchors::Pack::load(&model.site.root).unwrap_or_else(|e| {
            setup_errors.push(e);
            anchors::Pack::default()
        });
        let first_sharing = model.first_sharing();
        let anchors = anchors::compute(&model.site, &model.files, &model.partials, &pack, &first_sharing);
        lap("anchors");
        let config_refs = config_ref::Refs::new(&model.site, &mut setup_errors);
        let field_uses = fields::Cache::new(model.files.len());
        let ports = ports::Ports::new(&model.site, first_sharing, &mut setup_errors);
        let links = links::resolve_all(&model);
        lap("links");
        Index {
            model,
            anchors,
            links,
            config_refs,
            ports,
            field_uses,
            setup_errors,
            drift: std::sync::OnceLock::new(),
            change: None,
            unpropagated: std::sync::OnceLock::new(),
            step_pack: std::sync::OnceLock::new(),
        }
    }

    /// Problems with the site's own data that turn rules off: rule packs (the resource
    /// dependencies pack included), and the configuration references the rules asked for (call
    /// after the rules ran). The CLI prints them as configuration errors.
    pub fn setup_problems(&self) -> Vec<String> {
        let mut out = self.setup_errors.clone();
        out.extend(self.step_pack_loaded().1.clone());
        out.extend(self.config_refs.problems());
        out
    }

    /// Give the model back (the analyses are dropped).
    pub fn into_model(self) -> Model {
        self.model
    }

    /// Give the model back without freeing the large analyses: for the end of a run, where the
    /// process exit frees thousands of small allocations faster than dropping them one by one.
    pub fn into_model_for_exit(self) -> Model {
        // Those that hold per-file lists; the rest is small and dropped as usual.
        let Index { model, anchors, links, config_refs, ports, field_uses, drift, .. } = self;
        std::mem::forget((anchors, links, config_refs, ports, field_uses, drift));
        model
    }

    /// The configuration fields file `file` uses.
    pub fn field_uses(&self, file: usize) -> &[fields::FieldUse] {
        self.field_uses.get(&self.model, &self.config_refs, file)
    }

    /// How the copies of each page differ, over the whole site (computed once).
    pub fn drift(&self) -> &drift::Drift {
        self.drift.get_or_init(|| {
            let uses = |f: usize| self.field_uses(f);
            let inputs = drift::Inputs { model: &self.model, refs: &self.config_refs, field_uses: &uses };
            drift::analyze(&inputs, None)
        })
    }

    /// Check a change (PR mode): the changed files with their base versions.
    pub fn set_change(&mut self, change: drift::change::Change) {
        self.change = Some(change);
        self.unpropagated = std::sync::OnceLock::new();
    }

    /// The changes to some copies of a page that other copies lack (empty outside PR mode).
    pub fn unpropagated(&self) -> &[drift::change::Unpropagated] {
        let Some(change) = &self.change else { return &[] };
        self.unpropagated.get_or_init(|| {
            let uses = |f: usize| self.field_uses(f);
            let inputs = drift::Inputs { model: &self.model, refs: &self.config_refs, field_uses: &uses };
            drift::change::analyze(&inputs, change)
        })
    }

    /// Whether [`Index::drift`] ran: a run whose drift rules are off must not pay for it.
    pub fn drift_computed(&self) -> bool {
        self.drift.get().is_some()
    }

    /// The resource dependencies pack: the built-in one and the site's own. A site pack that
    /// does not load leaves the built-in one, and [`Index::setup_problems`] says why.
    pub fn step_pack(&self) -> &steps::deps::Pack {
        &self.step_pack_loaded().0
    }

    fn step_pack_loaded(&self) -> &(steps::deps::Pack, Option<String>) {
        self.step_pack.get_or_init(|| match steps::deps::Pack::load(&self.model.site.root) {
            Ok(p) => (p, None),
            Err(e) => (steps::deps::Pack::builtin(), Some(e)),
        })
    }

    /// The port claims of file `file`.
    pub fn port_claims(&self, file: usize) -> &[ports::Claim] {
        self.ports.claims(&self.model, &self.config_refs, file)
    }

    /// The default of every port field in the version at `loc` (empty outside versions).
    pub fn field_ports(&self, loc: Option<Location>) -> &[ports::FieldPort] {
        self.ports.field_ports(&self.model, &self.config_refs, loc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::{load, write};

    fn index(root: &std::path::Path) -> Index {
        Index::new(Model::build(load(root), &[]))
    }

    #[test]
    fn the_step_pack_is_the_sites_own_or_the_built_in_one_with_why() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        write(root, "docs/page.mdx", "# Page\n");
        let built_in = index(root);
        assert!(built_in.step_pack().kubectl.programs.iter().any(|p| p == "kubectl"));
        assert!(!built_in.step_pack().kubectl.programs.iter().any(|p| p == "k"));
        assert_eq!(built_in.setup_problems(), Vec::<String>::new());

        write(root, ".docdrift/resource-dependencies.toml", "[kubectl]\nprograms = [\"k\"]\n");
        let own = index(root);
        let programs = &own.step_pack().kubectl.programs;
        assert!(programs.iter().any(|p| p == "k") && programs.iter().any(|p| p == "kubectl"), "{programs:?}");

        write(root, ".docdrift/resource-dependencies.toml", "[kubectl\n");
        let broken = index(root);
        assert!(broken.step_pack().kubectl.programs.iter().any(|p| p == "kubectl"), "the built-in pack stays");
        let problems = broken.setup_problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("resource-dependencies.toml:1:"), "{problems:?}");
    }
}
