//! Version facts for snippets: where a source applies, its conditions, and its computed values.
//!
//! Facts come from the analyses docdrift already has: each version's configuration reference
//! ([`crate::config_ref`]: fields, defaults, documented special values), the port registry and
//! the port fields' defaults ([`crate::ports`]), and the version's variables ([`crate::site`]).
//! This module checks a [`Source`]'s names against them ([`validate`]: unknown names are errors
//! with the closest one), lists the versions a source applies to ([`locations`]), evaluates
//! conditions ([`eval`]) and computes values ([`compute`]). Choosing a variant and filling the
//! body is [`super::render`]'s job.

use super::source::{Cond, FieldRef, Source, Spot, ValueKind, Versions};
use crate::analysis::config_ref::{Field, Refs};
use crate::analysis::ports::{self, Registry};
use crate::site::{ConfigError, Location, Pos, Site, closest};

/// What a snippet may ask about a site.
pub struct Facts<'a> {
    pub site: &'a Site,
    pub refs: &'a Refs,
    pub registry: &'a Registry,
}

impl Facts<'_> {
    /// The resource a source names (`FelixConfiguration`, or one of its other names).
    pub fn resource(&self, name: &str) -> Option<usize> {
        self.refs
            .resources()
            .iter()
            .position(|r| r.kind.eq_ignore_ascii_case(name) || r.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
    }

    /// The field `f` in the version at `loc`: by spec name, then config-file name, then
    /// environment variable.
    pub fn field(&self, loc: Location, f: &FieldRef) -> Option<(&Field, String)> {
        let r = self.resource(&f.resource)?;
        let loaded = self.refs.get(self.site, loc, r)?;
        let reference = &loaded.reference;
        let field = reference
            .by_yaml(&f.field)
            .or_else(|| reference.by_config(&f.field))
            .or_else(|| reference.by_env(&f.field))?;
        Some((field, loaded.path.clone()))
    }

    /// "calico 3.31": how generated files and `show` name a version (stable across releases,
    /// unlike labels such as "3.32 (latest)").
    pub fn version_name(&self, loc: Location) -> String {
        let ds = &self.site.doc_sets[loc.doc_set];
        format!("{} {}", ds.id, ds.versions[loc.version].name)
    }
}

/// The versions `src` applies to, in doc set order, each doc set newest first.
pub fn locations(src: &Source, site: &Site) -> Vec<Location> {
    let mut out = Vec::new();
    for (d, ds) in site.doc_sets.iter().enumerate() {
        for v in 0..ds.versions.len() {
            let applies = src.applies.is_empty()
                || src.applies.iter().any(|a| a.doc_set.value == ds.id && in_versions(&a.versions, ds, v));
            if applies {
                out.push(Location { doc_set: d, version: v });
            }
        }
    }
    out
}

fn in_versions(versions: &Versions, ds: &crate::site::DocSet, v: usize) -> bool {
    let index = |s: &Spot<String>| ds.versions.iter().position(|x| x.name == s.value);
    match versions {
        Versions::All => true,
        Versions::List(list) => list.iter().any(|s| index(s) == Some(v)),
        // Newest first: `to` (newer) has the smaller index.
        Versions::Range { from, to } => {
            let oldest = from.as_ref().and_then(index).unwrap_or(ds.versions.len().saturating_sub(1));
            let newest = to.as_ref().and_then(index).unwrap_or(0);
            newest <= v && v <= oldest
        }
    }
}

/// Check every name `src` uses against the site: doc sets, versions, resources, fields (known
/// in some version the source applies to), variables, placeholders.
pub fn validate(src: &Source, facts: &Facts) -> Result<(), ConfigError> {
    let site = facts.site;
    let err =
        |pos: Pos, msg: String, help: String| ConfigError::new(&src.path, pos.line, pos.column, msg).with_help(help);
    let ids: Vec<&str> = site.doc_sets.iter().map(|d| d.id.as_str()).collect();
    let suggest = |word: &str, names: &[&str], what: &str| match closest(word, names.iter().copied()) {
        Some(c) => format!("Write `{c}` (the closest name)"),
        None => {
            format!("Use one of the {what}: {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
        }
    };
    for a in &src.applies {
        let Some((_, ds)) = site.doc_set(&a.doc_set.value) else {
            return Err(err(
                a.doc_set.pos,
                format!("unknown doc set `{}`", a.doc_set.value),
                suggest(&a.doc_set.value, &ids, "doc sets"),
            ));
        };
        let names: Vec<&str> = ds.versions.iter().map(|v| v.name.as_str()).collect();
        let spots: Vec<&Spot<String>> = match &a.versions {
            Versions::All => Vec::new(),
            Versions::List(l) => l.iter().collect(),
            Versions::Range { from, to } => from.iter().chain(to.iter()).collect(),
        };
        for s in spots {
            if !names.contains(&s.value.as_str()) {
                return Err(err(
                    s.pos,
                    format!("doc set `{}` has no version `{}`", ds.id, s.value),
                    suggest(&s.value, &names, "versions (newest first)"),
                ));
            }
        }
        if let Versions::Range { from: Some(f), to: Some(t) } = &a.versions {
            let (fi, ti) = (names.iter().position(|n| *n == f.value), names.iter().position(|n| *n == t.value));
            if fi < ti {
                return Err(err(
                    f.pos,
                    format!("the range runs from `{}` to the older `{}`", f.value, t.value),
                    "Swap `from` and `to`: `from` is the oldest version, `to` the newest".to_string(),
                ));
            }
        }
    }
    let locs = locations(src, site);
    let mut field_refs: Vec<&FieldRef> = Vec::new();
    let mut variables: Vec<&Spot<String>> = Vec::new();
    let mut doc_sets: Vec<&Spot<String>> = Vec::new();
    for v in &src.values {
        match &v.kind {
            ValueKind::Default(f) => field_refs.push(f),
            ValueKind::FreePort { for_field, .. } => field_refs.extend(for_field),
            ValueKind::Variable(s) => variables.push(s),
        }
    }
    for variant in &src.variants {
        if let Some(c) = &variant.when {
            collect(c, &mut field_refs, &mut variables, &mut doc_sets);
        }
    }
    for s in doc_sets {
        if site.doc_set(&s.value).is_none() {
            return Err(err(s.pos, format!("unknown doc set `{}`", s.value), suggest(&s.value, &ids, "doc sets")));
        }
    }
    for f in field_refs {
        let Some(r) = facts.resource(&f.resource) else {
            let kinds: Vec<&str> = facts.refs.resources().iter().map(|r| r.kind.as_str()).collect();
            return Err(err(
                f.pos,
                format!("unknown resource `{}`", f.resource),
                suggest(&f.resource, &kinds, "resources with a reference (rules/config-references.toml)"),
            ));
        };
        if locs.iter().any(|&l| facts.field(l, f).is_some()) {
            continue;
        }
        let mut names: Vec<String> = Vec::new();
        for &l in &locs {
            if let Some(loaded) = facts.refs.get(site, l, r) {
                names.extend(loaded.reference.fields.iter().filter(|x| !x.yaml.is_empty()).map(|x| x.yaml.clone()));
            }
        }
        names.sort();
        names.dedup();
        let help = match closest(&f.field, names.iter().map(String::as_str)) {
            Some(c) => format!("Write `{c}`, the closest field of the reference"),
            None if names.is_empty() => {
                "Apply the snippet to versions that have a reference for this resource".to_string()
            }
            None => "Check the spelling against the version's configuration reference".to_string(),
        };
        return Err(err(
            f.pos,
            format!("`{}` has no field `{}` in any version this snippet applies to", f.resource, f.field),
            help,
        ));
    }
    for s in variables {
        if locs.iter().any(|&l| site.variable(Some(l), &s.value).is_some()) {
            continue;
        }
        let mut names: Vec<&str> = locs.iter().flat_map(|&l| site.variable_names(Some(l))).collect();
        names.sort_unstable();
        names.dedup();
        let help = match closest(&s.value, names.iter().copied()) {
            Some(c) => format!("Write `{c}`, the closest variable defined there"),
            None => "Define it in the version's `variables.js`, or in `[variables]` of docdrift.toml".to_string(),
        };
        return Err(err(
            s.pos,
            format!("variable `{}` is not defined in any version this snippet applies to", s.value),
            help,
        ));
    }
    // Placeholders: each must be a value or a text of the variant.
    for variant in &src.variants {
        if variant.not_applicable.is_some() {
            continue;
        }
        let (body, base_pos) = match &variant.body {
            Some(b) => (b.value.as_str(), Some(b.pos)),
            None => (src.body.as_str(), None),
        };
        let mut found: Vec<(usize, &str)> = super::render::placeholders(body);
        for (_, t) in &variant.text {
            // Placeholders inside a text are reported at the variant.
            found.extend(super::render::placeholders(t).into_iter().map(|(_, n)| (usize::MAX, n)));
        }
        for (offset, name) in found {
            let known = src.values.iter().any(|v| v.name == name) || variant.text.iter().any(|(n, _)| n == name);
            if known {
                continue;
            }
            let pos = match base_pos {
                _ if offset == usize::MAX => variant.pos,
                // A body string: its own first line, plus lines before the placeholder.
                Some(p) => Pos { line: p.line + body[..offset].matches('\n').count(), column: 1 },
                None => {
                    let (line, column) = crate::site::variables::line_col(&src.text, src.body_offset + offset);
                    Pos { line, column }
                }
            };
            let mut names: Vec<&str> = src.values.iter().map(|v| v.name.as_str()).collect();
            names.extend(variant.text.iter().map(|(n, _)| n.as_str()));
            let help = match closest(name, names.iter().copied()) {
                Some(c) => format!("Write `{{{{{c}}}}}`, the closest value declared"),
                None => "Declare it under `[values]`, or in the variant's `text`".to_string(),
            };
            return Err(err(pos, format!("unknown placeholder `{{{{{name}}}}}` in variant `{}`", variant.name), help));
        }
    }
    Ok(())
}

fn collect<'a>(
    c: &'a Cond,
    fields: &mut Vec<&'a FieldRef>,
    variables: &mut Vec<&'a Spot<String>>,
    doc_sets: &mut Vec<&'a Spot<String>>,
) {
    match c {
        Cond::Field(f) | Cond::Documented(f, _) => fields.push(f),
        Cond::Variable(s) => variables.push(s),
        Cond::DocSet(s) => doc_sets.push(s),
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| collect(c, fields, variables, doc_sets)),
        Cond::Not(c) => collect(c, fields, variables, doc_sets),
    }
}

/// Whether `c` holds at `loc`, and why (for `snippets show` and the generated header).
pub fn eval(c: &Cond, facts: &Facts, loc: Location) -> (bool, String) {
    let version = facts.version_name(loc);
    match c {
        Cond::Field(f) => match facts.field(loc, f) {
            Some((_, path)) => (true, format!("{} exists in {version} (`{path}`)", f.display())),
            None => (false, format!("{} does not exist in {version}", f.display())),
        },
        Cond::Documented(f, value) => match facts.field(loc, f) {
            Some((field, path)) => match field.special(&value.value) {
                Some(s) => (
                    true,
                    format!("{version} documents `{}` for {}: \"{}\" (`{path}`)", value.value, f.display(), s.sentence),
                ),
                None => {
                    (false, format!("{version} does not document `{}` for {} (`{path}`)", value.value, f.display()))
                }
            },
            None => (false, format!("{} does not exist in {version}", f.display())),
        },
        Cond::Variable(s) => match facts.site.variable(Some(loc), &s.value) {
            Some(_) => (true, format!("`$[{}]` is defined in {version}", s.value)),
            None => (false, format!("`$[{}]` is not defined in {version}", s.value)),
        },
        Cond::DocSet(s) => {
            let id = &facts.site.doc_sets[loc.doc_set].id;
            (
                *id == s.value,
                format!("{version} is {}in doc set `{}`", if *id == s.value { "" } else { "not " }, s.value),
            )
        }
        Cond::All(cs) => {
            for c in cs {
                let (ok, why) = eval(c, facts, loc);
                if !ok {
                    return (false, why);
                }
            }
            (true, cs.iter().map(|c| eval(c, facts, loc).1).collect::<Vec<_>>().join("; "))
        }
        Cond::Any(cs) => {
            let mut whys = Vec::new();
            for c in cs {
                let (ok, why) = eval(c, facts, loc);
                if ok {
                    return (true, why);
                }
                whys.push(why);
            }
            (false, whys.join("; "))
        }
        Cond::Not(c) => {
            let (ok, why) = eval(c, facts, loc);
            (!ok, why)
        }
    }
}

/// A computed value at `loc` and how it was derived, or why it cannot be computed there.
pub fn compute(kind: &ValueKind, facts: &Facts, loc: Location) -> Result<(String, String), String> {
    let version = facts.version_name(loc);
    match kind {
        ValueKind::Default(f) => {
            let Some((field, path)) = facts.field(loc, f) else {
                return Err(format!("{} does not exist in {version}", f.display()));
            };
            if field.default.is_empty() {
                return Err(format!("{} has no documented default in {version} (`{path}`)", f.display()));
            }
            Ok((field.default.clone(), format!("default of {} in `{path}`", f.display())))
        }
        ValueKind::Variable(s) => match facts.site.variable(Some(loc), &s.value) {
            Some(v) => Ok((format!("$[{}]", s.value), format!("variable `{}` (\"{v}\" in {version})", s.value))),
            None => Err(format!("`$[{}]` is not defined in {version}", s.value)),
        },
        ValueKind::FreePort { near, for_field } => {
            let mut fields = ports::field_ports(facts.site, facts.refs, loc);
            if let Some((own, _)) = for_field.as_ref().and_then(|f| facts.field(loc, f)) {
                let own: Vec<&str> = [&own.yaml, &own.config, &own.env]
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .map(String::as_str)
                    .collect();
                fields.retain(|fp| !fp.names.iter().any(|n| own.contains(&n.as_str())));
            }
            let mut taken = Vec::new();
            for p in *near..=u16::MAX {
                let users = ports::users(facts.registry, &fields, p);
                if users.is_empty() {
                    let why = if taken.is_empty() {
                        format!("{near} is free in {version}")
                    } else {
                        format!("{}; {p} is free", taken.join("; "))
                    };
                    return Ok((
                        p.to_string(),
                        format!(
                            "first port from {near} up with no owner in rules/ports.toml and no port field default in {version}: {why}"
                        ),
                    ));
                }
                let names: Vec<String> = users
                    .iter()
                    .map(|u| match u {
                        ports::Use::Field(_) => format!("{} default", ports::use_name(facts.registry, u)),
                        ports::Use::Registered { .. } => ports::use_name(facts.registry, u),
                    })
                    .collect();
                taken.push(format!("{p} is taken by {}", names.join(" and ")));
            }
            Err(format!("no free port from {near} up in {version}"))
        }
    }
}
