//! Port facts and port claims.
//!
//! The registry ([`Registry`]) is data: `rules/ports.toml` (well-known ports with protocol, owner
//! and a cited source), extended by a site's `.docdrift/ports.toml`. Per product and version, the
//! default of every port field of the configuration references (Felix's `vxlanPort`,
//! `healthPort`, ...) is an owner of that port too ([`field_ports`]); those come from
//! [`crate::analysis::config_ref`].
//!
//! [`claims`] reads what a page says about ports: "port 10257 may be used by X", "by default it
//! uses port 4789", "UDP port 4789", "the kube-proxy health check port (10256)", table rows, and
//! recommendations ("for example, 10258"). Ports set in patches and manifests are field uses
//! ([`crate::analysis::fields`]). The `port/*` rules compare the two.

use crate::analysis::config_ref::Refs;
use crate::diag::Span;
use crate::model::{Model, SourceFile};
use crate::site::{Location, Site};
use regex::Regex;
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// `rules/ports.toml`, as build.rs converts it to JSON (see `site::packs::load_pack`).
const BUILTIN_PACK: &str = include_str!(concat!(env!("OUT_DIR"), "/ports.json"));

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    #[serde(default)]
    pub owner: Vec<OwnerSpec>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OwnerSpec {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub port: Vec<PortSpec>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PortSpec {
    #[serde(default)]
    pub port: Option<u16>,
    #[serde(default)]
    pub range: Option<[u16; 2]>,
    pub protocol: String,
    pub what: String,
    pub scope: Scope,
    pub source: String,
}

/// Where a port is bound.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A socket in the node's network namespace.
    Host,
    /// Inside pods only.
    Pod,
    /// An assignment nothing listens on by default.
    Protocol,
}

impl PortSpec {
    pub fn first(&self) -> u16 {
        self.range.map_or(self.port.unwrap_or(0), |r| r[0])
    }
    pub fn last(&self) -> u16 {
        self.range.map_or(self.port.unwrap_or(0), |r| r[1])
    }
    pub fn covers(&self, p: u16) -> bool {
        self.first() <= p && p <= self.last()
    }
    /// "10257/tcp", "30000-32767/tcp+udp".
    pub fn display(&self) -> String {
        if self.first() == self.last() {
            format!("{}/{}", self.first(), self.protocol)
        } else {
            format!("{}-{}/{}", self.first(), self.last(), self.protocol)
        }
    }
    pub fn allows(&self, proto: Proto) -> bool {
        match proto {
            Proto::Tcp => self.protocol.contains("tcp"),
            Proto::Udp => self.protocol.contains("udp"),
            Proto::Sctp => self.protocol.contains("sctp"),
        }
    }
}

impl Pack {
    /// The built-in pack plus the site's own `.docdrift/ports.toml`, if any. Owners with an
    /// id already known gain the new names, ports and fields.
    pub fn load(root: &Path) -> Result<Pack, String> {
        let (mut pack, extra, own) = crate::site::packs::load_pack::<Pack>(root, "ports", BUILTIN_PACK)?;
        if let Some(extra) = extra {
            for o in extra.owner {
                match pack.owner.iter_mut().find(|x| x.id == o.id) {
                    Some(x) => {
                        x.names.extend(o.names);
                        x.members.extend(o.members);
                        x.fields.extend(o.fields);
                        x.port.extend(o.port);
                    }
                    None => pack.owner.push(o),
                }
            }
        }
        for o in &pack.owner {
            for p in &o.port {
                if p.port.is_some() == p.range.is_some() || p.first() == 0 || p.first() > p.last() {
                    return Err(format!(
                        "{}: owner `{}`: each port needs `port` or a `range` [first, last]; fix the entry",
                        own.display(),
                        o.id
                    ));
                }
            }
            for m in &o.members {
                if !pack.owner.iter().any(|x| x.id == *m) {
                    return Err(format!(
                        "{}: owner `{}` names an unknown member `{m}`; add that owner or remove the member",
                        own.display(),
                        o.id
                    ));
                }
            }
        }
        Ok(pack)
    }
}

/// The registry, with owner names ready for matching.
#[derive(Debug, Default)]
pub struct Registry {
    pub owners: Vec<OwnerSpec>,
    /// Lower-cased names, longest first, with their owner.
    aliases: Vec<(String, usize)>,
    /// All names in one alternation, longest first, compiled on first use: a pre-commit run
    /// often checks no text that names a port, and compiling it cost 5 M instructions.
    matcher: OnceLock<Option<Regex>>,
}

impl Registry {
    fn new(pack: Pack) -> Registry {
        let mut aliases: Vec<(String, usize)> = Vec::new();
        for (i, o) in pack.owner.iter().enumerate() {
            for n in &o.names {
                aliases.push((n.to_lowercase(), i));
            }
        }
        aliases.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        aliases.dedup_by(|a, b| a.0 == b.0);
        Registry { owners: pack.owner, aliases, matcher: OnceLock::new() }
    }

    pub fn owner(&self, id: &str) -> Option<usize> {
        self.owners.iter().position(|o| o.id == id)
    }

    /// Owners named in `text` (lower-cased by the caller): (start, end, owner), in text
    /// order; where names overlap, the longest wins.
    fn find_owners(&self, lower: &str) -> Vec<(usize, usize, usize)> {
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        let matcher = self.matcher.get_or_init(|| {
            let alternation: Vec<String> = self.aliases.iter().map(|(a, _)| regex::escape(a)).collect();
            (!alternation.is_empty()).then(|| Regex::new(&alternation.join("|")).ok()).flatten()
        });
        let Some(re) = matcher else { return out };
        let b = lower.as_bytes();
        let mut at = 0;
        // One pass: the alternation lists longer names first, so the leftmost match is the
        // longest name starting there.
        while let Some(m) = re.find_at(lower, at) {
            let (s, e) = (m.start(), m.end());
            let before_ok = s == 0 || !is_name_byte(b[s - 1]);
            let after_ok =
                e >= b.len() || !is_name_byte(b[e]) || lower[e..].starts_with("'s") || lower[e..].starts_with("’s");
            if before_ok && after_ok {
                let owner = self.aliases.iter().find(|(a, _)| a == m.as_str()).map(|&(_, o)| o);
                if let Some(o) = owner {
                    out.push((s, e, o));
                    at = e;
                    continue;
                }
            }
            // Not a whole name here: try from the next character.
            at = s + lower[s..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    /// Whether `owner` (or one of its members) has `port` among its registered ports.
    fn registered(&self, owner: usize, port: u16, seen: &mut Vec<usize>) -> Vec<(usize, usize)> {
        if seen.contains(&owner) {
            return Vec::new();
        }
        seen.push(owner);
        let o = &self.owners[owner];
        let mut out: Vec<(usize, usize)> =
            o.port.iter().enumerate().filter(|(_, p)| p.covers(port)).map(|(k, _)| (owner, k)).collect();
        for m in &o.members {
            if let Some(mi) = self.owner(m) {
                out.extend(self.registered(mi, port, seen));
            }
        }
        out
    }

    /// Config fields whose default belongs to `owner` (members included); `*` for all.
    fn owner_fields(&self, owner: usize, seen: &mut Vec<usize>) -> Vec<String> {
        if seen.contains(&owner) {
            return Vec::new();
        }
        seen.push(owner);
        let o = &self.owners[owner];
        let mut out = o.fields.clone();
        for m in &o.members {
            if let Some(mi) = self.owner(m) {
                out.extend(self.owner_fields(mi, seen));
            }
        }
        out
    }
}

/// `a-z0-9_-/.` continue a name; anything else ends it.
fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'/')
}

/// A port field's default in one version: the field's spec name (or config-file name) and port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPort {
    pub resource: usize,
    pub name: String,
    /// Every name the field goes by (spec, config file, environment).
    pub names: Vec<String>,
    pub port: u16,
}

/// The default of every port field of every resource in the version at `loc`.
pub fn field_ports(site: &Site, refs: &Refs, loc: Location) -> Vec<FieldPort> {
    let mut out = Vec::new();
    for r in 0..refs.resources().len() {
        let Some(l) = refs.get(site, loc, r) else { continue };
        for f in &l.reference.fields {
            if let Some(port) = f.default_port() {
                let name = if f.yaml.is_empty() { f.config.clone() } else { f.yaml.clone() };
                let names = [&f.yaml, &f.config, &f.env].into_iter().filter(|n| !n.is_empty()).cloned().collect();
                out.push(FieldPort { resource: r, name, names, port });
            }
        }
    }
    out
}

/// Who a claim names as the port's owner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerRef {
    /// An owner of the registry.
    Registry(usize),
    /// A port field of a config reference, by the name the page uses.
    Field(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proto {
    Tcp,
    Udp,
    Sctp,
}

impl Proto {
    fn parse(s: &str) -> Option<Proto> {
        match s.to_ascii_lowercase().as_str() {
            "tcp" => Some(Proto::Tcp),
            "udp" => Some(Proto::Udp),
            "sctp" => Some(Proto::Sctp),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Proto::Tcp => "TCP",
            Proto::Udp => "UDP",
            Proto::Sctp => "SCTP",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimKind {
    /// "port N is used by X", "X uses port N", a table row.
    Owner,
    /// "X uses port N by default", "X's default port (N)", a table's default column.
    Default,
    /// "for example, N" while choosing a port.
    Recommend,
}

/// One thing a page says about a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub kind: ClaimKind,
    pub port: u16,
    /// The last port of a range (`2379-2380`), else `port`.
    pub last: u16,
    /// The number as written.
    pub span: Span,
    pub owner: Option<OwnerRef>,
    pub owner_span: Option<Span>,
    pub proto: Option<Proto>,
    /// For recommendations: a port field the sentence or paragraph names (the field being set).
    pub field: Option<String>,
}

/// The registry and per-file claims (extracted on first use).
#[derive(Debug, Default)]
pub struct Ports {
    registry: Registry,
    per_file: Vec<OnceLock<Vec<Claim>>>,
    /// Per file: the first file with its document and text ([`Model::first_sharing`]).
    first: Vec<u32>,
    /// `fields[doc_set][version]`: the port fields' defaults, computed on first use.
    fields: Vec<Vec<OnceLock<Vec<FieldPort>>>>,
}

impl Ports {
    /// Read and check the pack (problems go to `setup_errors`, and the registry is empty).
    /// `first`: [`Model::first_sharing`].
    pub fn new(site: &Site, first: Vec<u32>, setup_errors: &mut Vec<String>) -> Ports {
        let registry = match Pack::load(&site.root) {
            Ok(pack) => Registry::new(pack),
            Err(e) => {
                setup_errors.push(e);
                Registry::default()
            }
        };
        let fields = site.doc_sets.iter().map(|ds| ds.versions.iter().map(|_| OnceLock::new()).collect()).collect();
        Ports { registry, per_file: (0..first.len()).map(|_| OnceLock::new()).collect(), first, fields }
    }

    /// The default of every port field in the version at `loc` (empty outside versions).
    pub fn field_ports<'m>(&'m self, model: &Model, refs: &Refs, loc: Option<Location>) -> &'m [FieldPort] {
        let Some(l) = loc else { return &[] };
        match self.fields.get(l.doc_set).and_then(|d| d.get(l.version)) {
            Some(slot) => slot.get_or_init(|| field_ports(&model.site, refs, l)),
            None => &[],
        }
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The port claims of file `id`.
    pub fn claims<'m>(&'m self, model: &Model, refs: &Refs, id: usize) -> &'m [Claim] {
        match self.per_file.get(id) {
            Some(slot) => slot.get_or_init(|| {
                // A copy with the same text in a version with the same port fields claims the
                // same: the first copy's claims, cut once.
                let first = self.first[id] as usize;
                let loc = |f: usize| model.files[f].loc;
                if first != id && self.field_ports(model, refs, loc(first)) == self.field_ports(model, refs, loc(id)) {
                    return self.claims(model, refs, first).to_vec();
                }
                // Cached for the whole run: a list of its length, not of the last doubling.
                let mut claims = claims(model, refs, self, &model.files[id]);
                claims.shrink_to_fit();
                claims
            }),
            None => &[],
        }
    }
}

/// Who uses a port, in one product and version.
#[derive(Clone, Debug)]
pub enum Use<'a> {
    /// A registry entry: owner index and the port entry.
    Registered { owner: usize, spec: &'a PortSpec },
    /// A port field's default in this version.
    Field(FieldPort),
}

/// Everyone the registry and the version's config references give `port` to.
pub fn users<'a>(reg: &'a Registry, fields: &[FieldPort], port: u16) -> Vec<Use<'a>> {
    let mut out: Vec<Use> = Vec::new();
    for (i, o) in reg.owners.iter().enumerate() {
        for p in &o.port {
            if p.covers(port) {
                out.push(Use::Registered { owner: i, spec: p });
            }
        }
    }
    for f in fields {
        if f.port == port {
            out.push(Use::Field(f.clone()));
        }
    }
    out
}

/// Whether `owner` uses `port` (its registered ports, its members', and the defaults of its
/// config fields in this version).
pub fn owns(reg: &Registry, fields: &[FieldPort], owner: &OwnerRef, port: u16) -> bool {
    match owner {
        OwnerRef::Field(name) => {
            fields.iter().any(|f| f.port == port && f.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        }
        OwnerRef::Registry(o) => {
            if !reg.registered(*o, port, &mut Vec::new()).is_empty() {
                return true;
            }
            let own = reg.owner_fields(*o, &mut Vec::new());
            fields.iter().any(|f| f.port == port && field_belongs(&own, f))
        }
    }
}

/// Whether field `f` is one of `own` (spec names, or `*`).
pub fn field_belongs(own: &[String], f: &FieldPort) -> bool {
    own.iter().any(|n| n == "*" || f.names.iter().any(|x| x.eq_ignore_ascii_case(n)))
}

/// The registry owners that count `field` among theirs (`*` included).
pub fn owners_of_field(reg: &Registry, f: &FieldPort) -> Vec<usize> {
    (0..reg.owners.len()).filter(|&o| field_belongs(&reg.owner_fields(o, &mut Vec::new()), f)).collect()
}

/// Ports `owner` is known to use in this version, for messages: "9099 (`healthPort`), 9091 (…)".
pub fn owner_ports(reg: &Registry, fields: &[FieldPort], owner: &OwnerRef) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match owner {
        OwnerRef::Field(name) => {
            for f in fields.iter().filter(|f| f.names.iter().any(|n| n.eq_ignore_ascii_case(name))) {
                out.push(format!("{} (`{}`)", f.port, f.name));
            }
        }
        OwnerRef::Registry(o) => {
            let mut seen = Vec::new();
            collect_registered(reg, *o, &mut seen, &mut out);
            let own = reg.owner_fields(*o, &mut Vec::new());
            for f in fields.iter().filter(|f| field_belongs(&own, f)) {
                let listed = out.iter().any(|x| x.split(['/', ' ']).next() == Some(f.port.to_string().as_str()));
                if !listed {
                    out.push(format!("{} (`{}`)", f.port, f.name));
                }
            }
        }
    }
    out
}

fn collect_registered(reg: &Registry, o: usize, seen: &mut Vec<usize>, out: &mut Vec<String>) {
    if seen.contains(&o) {
        return;
    }
    seen.push(o);
    for p in &reg.owners[o].port {
        let s = p.display();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    for m in &reg.owners[o].members {
        if let Some(mi) = reg.owner(m) {
            collect_registered(reg, mi, seen, out);
        }
    }
}

/// Who a [`Use`] is, for messages: "cloud-controller-manager", "`egressIPVXLANPort`".
pub fn use_name(reg: &Registry, u: &Use) -> String {
    match u {
        Use::Registered { owner, .. } => reg.owners[*owner].name.clone(),
        Use::Field(f) => format!("`{}`", f.name),
    }
}

/// What a [`Use`] is, with its source of truth: "10258/tcp is cloud-controller-manager's HTTPS
/// server (source: …)", "4790 is the default of `egressIPVXLANPort` in Calico Enterprise 3.23
/// (`…/config-params.json`)".
pub fn describe_use(model: &Model, refs: &Refs, loc: Option<Location>, u: &Use) -> String {
    match u {
        Use::Registered { spec, .. } => format!("{} is {} (source: {})", spec.display(), spec.what, spec.source),
        Use::Field(f) => {
            let version = loc.map(|l| model.site.version_display(l)).unwrap_or_default();
            let path = loc.and_then(|l| refs.get(&model.site, l, f.resource)).map(|l| l.path.as_str()).unwrap_or("");
            format!("{} is the default of `{}` in {version} (`{path}`)", f.port, f.name)
        }
    }
}

/// What `owner` uses, for help lines: "etcd uses 2379/tcp, 2380/tcp, …", or its note.
pub fn describe_owner(reg: &Registry, fields: &[FieldPort], owner: &OwnerRef) -> String {
    match owner {
        OwnerRef::Registry(o) => {
            let spec = &reg.owners[*o];
            if let Some(note) = &spec.note {
                return format!("{note} (source: {})", spec.source);
            }
            let ports = owner_ports(reg, fields, owner);
            if ports.is_empty() {
                return format!("{} has no port docdrift knows of", spec.name);
            }
            format!("{} uses {}", spec.name, ports.join(", "))
        }
        OwnerRef::Field(name) => {
            let ports = owner_ports(reg, fields, owner);
            format!("`{name}` defaults to {}", ports.join(", "))
        }
    }
}

/// How messages name a claimed owner.
pub fn owner_name(reg: &Registry, owner: &OwnerRef) -> String {
    match owner {
        OwnerRef::Registry(o) => reg.owners[*o].name.clone(),
        OwnerRef::Field(n) => format!("`{n}`"),
    }
}

/// Whether two owners are the same or one stands for the other (a group and its member).
pub fn related(reg: &Registry, a: &OwnerRef, b: &OwnerRef) -> bool {
    match (a, b) {
        (OwnerRef::Registry(x), OwnerRef::Registry(y)) => {
            x == y || member_of(reg, *x, *y, &mut Vec::new()) || member_of(reg, *y, *x, &mut Vec::new())
        }
        (OwnerRef::Field(x), OwnerRef::Field(y)) => x.eq_ignore_ascii_case(y),
        (OwnerRef::Registry(o), OwnerRef::Field(f)) | (OwnerRef::Field(f), OwnerRef::Registry(o)) => {
            let own = reg.owner_fields(*o, &mut Vec::new());
            own.iter().any(|n| n == "*" || n.eq_ignore_ascii_case(f))
        }
    }
}

/// Whether `inner` is `group` or one of its members, transitively.
fn member_of(reg: &Registry, inner: usize, group: usize, seen: &mut Vec<usize>) -> bool {
    if inner == group {
        return true;
    }
    if seen.contains(&group) {
        return false;
    }
    seen.push(group);
    reg.owners[group].members.iter().filter_map(|m| reg.owner(m)).any(|g| member_of(reg, inner, g, seen))
}

/// Whether `owner` has config fields (its port claims about defaults are checked against the
/// config references).
pub fn has_fields(reg: &Registry, owner: &OwnerRef) -> bool {
    match owner {
        OwnerRef::Field(_) => true,
        OwnerRef::Registry(o) => !reg.owner_fields(*o, &mut Vec::new()).is_empty(),
    }
}

// ---------------------------------------------------------------------------------------------
// Claims

/// Prose with markdown syntax removed, mapped back to the file.
struct Clean {
    text: String,
    /// For each byte of `text`, its offset in the file.
    map: Vec<u32>,
}

impl Clean {
    /// `src` (the file's bytes `base..`) without emphasis, code and link syntax, tags and
    /// `$[var]` brackets kept as written.
    fn new(src: &str, base: usize) -> Clean {
        let b = src.as_bytes();
        let mut text = String::with_capacity(src.len());
        let mut map = Vec::with_capacity(src.len());
        let mut i = 0;
        let push = |text: &mut String, map: &mut Vec<u32>, s: &str, at: usize| {
            map.extend((base + at..base + at + s.len()).map(|o| o as u32));
            text.push_str(s);
        };
        while i < b.len() {
            match b[i] {
                b'*' | b'`' => i += 1,
                b'_' if (i + 1 < b.len() && b[i + 1] == b'_') => i += 2,
                b'$' if b.get(i + 1) == Some(&b'[') => {
                    // A `$[var]` token, kept whole.
                    let close = src[i..].find(']').map_or(b.len(), |k| i + k + 1);
                    push(&mut text, &mut map, &src[i..close], i);
                    i = close;
                }
                b'[' => i += 1,
                b']' if src[i + 1..].starts_with('(') => {
                    // Skip the link destination.
                    let close = src[i + 1..].find(')').map_or(b.len(), |k| i + 1 + k + 1);
                    i = close;
                }
                b']' => i += 1,
                b'<' => {
                    // A tag: replaced by a space.
                    let close = src[i..].find('>').map_or(b.len(), |k| i + k + 1);
                    push(&mut text, &mut map, " ", i);
                    i = close;
                }
                b'\n' | b'\t' => {
                    push(&mut text, &mut map, " ", i);
                    i += 1;
                }
                _ => {
                    // Ordinary text, copied a run at a time (a character at a time, this was
                    // most of the port claims' cost): up to the next byte an arm above may take.
                    // Those are ASCII, so the run ends on a character boundary.
                    let end = b[i + 1..]
                        .iter()
                        .position(|c| matches!(c, b'*' | b'`' | b'_' | b'$' | b'[' | b']' | b'<' | b'\n' | b'\t'))
                        .map_or(b.len(), |k| i + 1 + k);
                    push(&mut text, &mut map, &src[i..end], i);
                    i = end;
                }
            }
        }
        Clean { text, map }
    }

    fn span(&self, s: usize, e: usize) -> Span {
        let start = self.map.get(s).copied().unwrap_or(0);
        let end = if e == 0 { start } else { self.map.get(e - 1).map_or(start, |&x| x + 1) };
        Span { start, end: end.max(start) }
    }
}

struct Patterns {
    mention: Pattern,
    such_as: Pattern,
    example: Pattern,
    used_by: Pattern,
    for_owner: Pattern,
    paren_owner: Pattern,
    verb: Pattern,
    possessive: Pattern,
    choose: Pattern,
    conjunction: Pattern,
    bare: Pattern,
}

/// A sentence pattern: the engine `regex::Regex` wraps, built without its literal prefilter.
/// The patterns run on a few hundred short sentences a site, where a prefilter saves nothing
/// (measured: the same matching cost); building the prefilters of their case-insensitive
/// alternations (`(?i)uses?|using|listens?…`, every case of every literal) was about half
/// the cost of compiling them (62% for the ASCII set, 41% for the Unicode one): some 22 M
/// instructions on the tigera corpus, 1.1% of a whole check. The matches are the same: a
/// prefilter only skips text where no match starts.
///
/// Each is compiled when a sentence first needs it: four of them run on every sentence, the
/// others only where an owner or a recommendation is near a number, and the Unicode set only
/// on sentences that are not all ASCII (a test compiles them all). On the tigera corpus a
/// run compiles 15 of the 22, for 14 M instructions instead of 23 M.
struct Pattern {
    source: &'static str,
    unicode: bool,
    regex: OnceLock<regex_automata::meta::Regex>,
}

impl Pattern {
    fn new(source: &'static str, unicode: bool) -> Pattern {
        Pattern { source, unicode, regex: OnceLock::new() }
    }

    fn regex(&self) -> &regex_automata::meta::Regex {
        use regex_automata::{meta, util::syntax};
        self.regex.get_or_init(|| {
            meta::Regex::builder()
                .configure(meta::Config::new().auto_prefilter(false))
                .syntax(syntax::Config::new().unicode(self.unicode))
                .build(self.source)
                .expect("valid pattern")
        })
    }

    fn is_match(&self, t: &str) -> bool {
        self.regex().is_match(t)
    }

    /// Every match, as `regex::Regex::find_iter` gives them.
    fn find_iter<'t>(&'t self, t: &'t str) -> impl Iterator<Item = Group<'t>> + 't {
        self.regex().find_iter(t).map(move |m| Group { text: t, start: m.start(), end: m.end() })
    }

    /// Every match with its groups, as `regex::Regex::captures_iter` gives them.
    fn captures_iter<'t>(&'t self, t: &'t str) -> impl Iterator<Item = Groups<'t>> + 't {
        self.regex().captures_iter(t).map(move |caps| Groups { text: t, caps })
    }
}

/// One match's groups (group 0 is the whole match).
struct Groups<'t> {
    text: &'t str,
    caps: regex_automata::util::captures::Captures,
}

impl<'t> Groups<'t> {
    fn get(&self, i: usize) -> Option<Group<'t>> {
        self.caps.get_group(i).map(|g| Group { text: self.text, start: g.start, end: g.end })
    }
}

/// A match or a group of one: a range of the sentence.
struct Group<'t> {
    text: &'t str,
    start: usize,
    end: usize,
}

impl<'t> Group<'t> {
    fn start(&self) -> usize {
        self.start
    }

    fn end(&self) -> usize {
        self.end
    }

    fn as_str(&self) -> &'t str {
        &self.text[self.start..self.end]
    }
}

/// The words a claim starts from ("port", "Port", "Default"), apart from [`Patterns`]:
/// compiling those takes as long as a warm pre-commit run's own work, and most files (a
/// pre-commit run often reads no other) have no hit that gets as far as a sentence to read.
fn needles() -> &'static regex::bytes::Regex {
    static N: OnceLock<regex::bytes::Regex> = OnceLock::new();
    N.get_or_init(|| regex::bytes::Regex::new("port|Port|Default").expect("valid pattern"))
}

/// The sentence patterns, for a sentence that is all ASCII (`ascii`) or not. On ASCII text the
/// ASCII-only classes (`\b`, `\s`, `\d`, case folding) match exactly what the Unicode ones
/// do, and compile in a fraction of the time: with Unicode classes, compiling these patterns
/// cost a pre-commit run more than reading its pages. The few non-ASCII literals are wrapped
/// in `(?u:…)`, which both modes accept, and which ASCII text never matches in either.
fn patterns(ascii: bool) -> &'static Patterns {
    static UNICODE: OnceLock<Patterns> = OnceLock::new();
    static ASCII: OnceLock<Patterns> = OnceLock::new();
    let slot = if ascii { &ASCII } else { &UNICODE };
    slot.get_or_init(|| {
        let r = |s: &'static str| Pattern::new(s, !ascii);
        Patterns {
            // "port 4789", "TCP port 10250", "ports 2379-2380", "port 9091 TCP", "UDP 4789",
            // "4789/UDP", "port (10256)".
            mention: r(r"(?i)(?:\b(tcp|udp|sctp)\s+)?\bports?\s+(?:number\s+)?\(?(\d{1,5})(?:\s*(?:-|(?u:–)|to)\s*(\d{1,5}))?\)?(?:\s*/\s*(tcp|udp)\b|\s+(tcp|udp)\b)?|\b(tcp|udp)\s+(\d{1,5})\b|\b(\d{1,5})\s*/\s*(tcp|udp)\b"),
            such_as: r(r"(?i)\bports?\s+(?:such as|like|including)\s+(\d{1,5}(?:\s*(?:,|and|or|,\s*and|,\s*or)\s*\d{1,5})*)"),
            example: r(r"(?i)\b(?:for example|for instance|e\.g\.|such as)[,:]?\s+(?:port\s+)?(\d{1,5})\b"),
            used_by: r(r"(?i)^\s*\)?\s*,?\s*(?:which\s+|that\s+)?(?:is|are|may be|might be|can be|could be|will be|gets|get)?\s*(?:(?:also|commonly|typically|usually|already|often|normally|generally)\s+)*(?:used|taken|occupied|bound|held|reserved|owned|claimed)\s+by\s+(?:the\s+|your\s+|a\s+|an\s+)?(?:kubernetes\s+)?$"),
            for_owner: r(r"(?i)^\s*\)?\s*for\s+(?:the\s+|its\s+)?$"),
            paren_owner: r(r"(?i)^\s*\(\s*(?:the\s+)?(?:default\s+)?$"),
            verb: r(r"(?i)\b(?:uses?|using|listens?\s+on|listening\s+on|binds?\s+to|binds|bound\s+to|serves?(?:\s+on)?|serving\s+on|runs?\s+on|holds|defaults?\s+to|publish(?:es)?(?:\s+\w+)?\s+on|exposes?)\b"),
            possessive: r(r"(?i)^(?:'s|(?u:’)s)?(?:\s+(?:default|secure|health|healthz|health-check|check|metrics|api|listening|serving|own|server|https|http))*\s*$"),
            choose: r(r"(?i)\b(?:choose|chose|pick|select|selecting|unused|not already in use|not in use|free port|another port|different port|alternative|alternate)\b"),
            bare: r(r"\b\d{2,5}\b"),
            conjunction: r(r"(?i)\b(?:until|unless|because|after|before|when|whenever|while|whereas|if|but|although|than|instead of)\b"),
        }
    })
}

/// Every port claim on `file`, in text order.
pub fn claims(model: &Model, refs: &Refs, ports: &Ports, file: &SourceFile) -> Vec<Claim> {
    let reg = &ports.registry;
    let text = &file.text;
    let b = text.as_bytes();
    let blocks: Vec<Span> = file.doc.code_blocks.iter().map(|c| c.span).collect();
    let fm_end = file.doc.front_matter.as_ref().map_or(0, |f| f.span.end as usize);
    // Code blocks are in text order and do not overlap.
    let in_code = |at: usize| {
        let k = blocks.partition_point(|s| (s.start as usize) <= at);
        k > 0 && at < blocks[k - 1].end as usize
    };
    let mut units: Vec<(usize, usize, bool)> = Vec::new();
    // One pass for "port", "Port" (tables' "PORT" headers are rare enough to leave out) and
    // "Default" (tables with a Default column).
    let mut hits: Vec<usize> = Vec::new();
    let mut defaults: Vec<usize> = Vec::new();
    for m in needles().find_iter(b) {
        if m.as_bytes()[0] == b'D' {
            defaults.push(m.start());
        } else {
            hits.push(m.start());
        }
    }
    for s in hits {
        let e = s + 4;
        let e = if b.get(e) == Some(&b's') { e + 1 } else { e };
        if (s > 0 && b[s - 1].is_ascii_alphanumeric()) || b.get(e).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        if s < fm_end || in_code(s) {
            continue;
        }
        if units.last().is_some_and(|&(us, ue, _)| us <= s && s < ue) {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &b[..s]).map_or(0, |x| x + 1);
        let (us, ue, table) = if text[line_start..].trim_start().starts_with('|') {
            let (ts, te) = table_at(text, line_start);
            (ts, te, true)
        } else {
            // A claim has its number near the word: no two digits close by, no sentence to read.
            let window = &b[s.saturating_sub(120)..(e + 120).min(b.len())];
            if !window.windows(2).any(|w| w[0].is_ascii_digit() && w[1].is_ascii_digit()) {
                continue;
            }
            let (us, ue) = sentence(text, s);
            (us, ue, false)
        };
        units.push((us, ue, table));
    }
    // Tables with a Default column (they may state a port field's default without saying "port").
    for k in defaults {
        if in_code(k) || k < fm_end {
            continue;
        }
        let line_start = memchr::memrchr(b'\n', &b[..k]).map_or(0, |x| x + 1);
        if !text[line_start..].trim_start().starts_with('|') || units.iter().any(|&(us, ue, _)| us <= k && k < ue) {
            continue;
        }
        let (ts, te) = table_at(text, line_start);
        // Only when it is the header row.
        if ts == line_start {
            units.push((ts, te, true));
        }
    }
    if units.is_empty() {
        return Vec::new();
    }
    let all_fields = ports.field_ports(model, refs, file.loc);
    let components: Vec<&str> = refs.resources().iter().map(|r| r.component.as_deref().unwrap_or(&r.kind)).collect();
    let mut out = Vec::new();
    // The last section looked at: its start, how far it was searched, and for each resource
    // whether it names the component (a section only grows as units move forward).
    let mut section_memo: (usize, usize, Vec<bool>) = (usize::MAX, 0, Vec::new());
    // The fields for the last set of named components: units mostly share it, and the fields
    // are cloned (names and all) only when it changes.
    let mut fields_for: Option<(Vec<bool>, Vec<FieldPort>)> = None;
    for (us, ue, table) in units {
        // Nothing shaped like a port claim (cheap, on the raw text): nothing to claim.
        if !candidate(&b[us..ue]) {
            continue;
        }
        // A field name is that resource's field only where the section is about its component
        // (other resources have fields of the same name), or written as its variable.
        let ss = file.doc.headings.iter().map(|h| h.span.start as usize).take_while(|&h| h <= us).last().unwrap_or(0);
        if section_memo.0 != ss || section_memo.1 > ue {
            section_memo = (ss, ss, vec![false; components.len()]);
        }
        if section_memo.1 < ue {
            // Search only what was not searched yet (overlapping by a name's length).
            let from = section_memo.1;
            for (k, comp) in components.iter().enumerate() {
                if !section_memo.2[k] {
                    let start = from.saturating_sub(comp.len()).max(ss);
                    section_memo.2[k] = crate::analysis::fields::contains_ignore_case(&b[start..ue], comp.as_bytes());
                }
            }
            section_memo.1 = ue;
        }
        let named = &section_memo.2;
        if fields_for.as_ref().is_none_or(|(n, _)| n != named) {
            let fields =
                all_fields.iter().filter(|f| named.get(f.resource).copied().unwrap_or(false)).cloned().collect();
            fields_for = Some((named.clone(), fields));
        }
        let fields = fields_for.as_ref().map_or(&[][..], |(_, f)| f.as_slice());
        if table {
            table_claims(reg, fields, text, us, ue, &mut out);
        } else {
            sentence_claims(reg, fields, text, us, ue, &mut out);
        }
    }
    out.sort_by_key(|c| (c.span.start, c.span.end));
    out.dedup_by(|a, b| a.span == b.span && a.kind == b.kind);
    out
}

/// Whether `u` (a unit's raw text) has anything shaped like a port claim: a number of two or
/// more digits with "port", "TCP", "UDP", "example", "such as" or a table pipe shortly before
/// it, or "/TCP", " by " or "(" after it. A cheap superset of what [`sentence_claims`] and
/// [`table_claims`] can match, markdown between the words included (`**port 9091**`).
fn candidate(u: &[u8]) -> bool {
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle));
    let mut i = 0;
    while i + 1 < u.len() {
        if !(u[i].is_ascii_digit() && u[i + 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let end = i + u[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let before = &u[i.saturating_sub(20)..i];
        let after = &u[end..(end + 64).min(u.len())];
        let near_after = &after[..after.len().min(14)];
        let pad = before.iter().rev().take_while(|c| matches!(c, b' ' | b'`' | b'*')).count();
        let cell = before.len() > pad && before[before.len() - pad - 1] == b'|';
        if cell
            || ["port", "tcp", "udp", "example", "e.g.", "instance", "such as"]
                .iter()
                .any(|n| has(before, n.as_bytes()))
            || has(near_after, b"/tcp")
            || has(near_after, b"/udp")
            || near_after.contains(&b'(')
            || has(after, b" by ")
        {
            return true;
        }
        i = end;
    }
    false
}

/// The sentence around `at`: from the previous sentence end (or paragraph start) to the next.
fn sentence(text: &str, at: usize) -> (usize, usize) {
    const MAX: usize = 800;
    let b = text.as_bytes();
    let ends = |i: usize| {
        matches!(b[i], b'.' | b'!' | b'?')
            && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace())
            && !(i >= 3 && (text[..i].ends_with("e.g") || text[..i].ends_with("i.e") || text[..i].ends_with(" vs")))
    };
    // A line break ends a sentence when a blank line, list item, table row or heading follows.
    let block_break = |nl: usize| {
        let rest = text[nl + 1..].trim_start_matches([' ', '\t']);
        rest.is_empty()
            || rest.starts_with(['\n', '\r', '-', '*', '+', '|', '#', '>', ':', '<', '`'])
            || rest.bytes().take_while(u8::is_ascii_digit).count() > 0
                && rest.trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(". ")
    };
    // Jump between the bytes that can end a sentence.
    let lo = at.saturating_sub(MAX);
    let mut s = lo;
    let mut k = at;
    while let Some(j) = memchr::memrchr3(b'.', b'\n', b'!', &b[lo..k])
        .map(|j| lo + j)
        .or_else(|| memchr::memrchr(b'?', &b[lo..k]).map(|j| lo + j))
    {
        // `?` is rare: the second search only runs when no other candidate is left.
        let j = match memchr::memrchr(b'?', &b[j + 1..k]) {
            Some(q) => j + 1 + q,
            None => j,
        };
        if ends(j) || (b[j] == b'\n' && block_break(j)) {
            s = j + 1;
            break;
        }
        k = j;
    }
    let hi = (at + MAX).min(b.len());
    let mut e = hi;
    let mut k = at;
    while let Some(j) = memchr::memchr3(b'.', b'\n', b'!', &b[k..hi]).map(|j| k + j) {
        let j = match memchr::memchr(b'?', &b[k..j]) {
            Some(q) => k + q,
            None => j,
        };
        if ends(j) {
            e = j + 1;
            break;
        }
        if b[j] == b'\n' && block_break(j) {
            e = j;
            break;
        }
        k = j + 1;
    }
    if e == hi
        && let Some(q) = memchr::memchr(b'?', &b[k..hi]).map(|q| k + q).filter(|&q| ends(q))
    {
        e = q + 1;
    }
    while s < at && b[s].is_ascii_whitespace() {
        s += 1;
    }
    // Keep to character boundaries.
    while !text.is_char_boundary(s) {
        s += 1;
    }
    let mut e = e.min(b.len());
    while !text.is_char_boundary(e) {
        e -= 1;
    }
    (s, e.max(s))
}

/// The markdown table one of whose rows starts at `line_start`: its first and last byte.
fn table_at(text: &str, line_start: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let is_row = |s: usize, e: usize| text[s..e].trim_start().starts_with('|');
    let line_end = |s: usize| memchr::memchr(b'\n', &b[s..]).map_or(b.len(), |k| s + k);
    let mut first = line_start;
    while first > 0 {
        let prev = memchr::memrchr(b'\n', &b[..first - 1]).map_or(0, |k| k + 1);
        if !is_row(prev, first - 1) {
            break;
        }
        first = prev;
    }
    let mut last_end = line_end(line_start);
    while last_end < b.len() {
        let next_end = line_end(last_end + 1);
        if !is_row(last_end + 1, next_end) {
            break;
        }
        last_end = next_end;
    }
    (first, last_end)
}

fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut s = 0;
    for line in text.split('\n') {
        out.push((s, line.strip_suffix('\r').unwrap_or(line)));
        s += line.len() + 1;
    }
    out
}

/// A valid port number written at `s..e` of `t`: not part of an address, version or size.
fn port_number(t: &str, s: usize, e: usize) -> Option<u16> {
    let b = t.as_bytes();
    if s > 0 && matches!(b[s - 1], b'.' | b':' | b'0'..=b'9' | b'v' | b'V' | b'$' | b'#') {
        return None;
    }
    if let Some(&c) = b.get(e)
        && (c.is_ascii_alphabetic()
            || c == b'%'
            || (matches!(c, b'.' | b':' | b',') && b.get(e + 1).is_some_and(u8::is_ascii_digit)))
    {
        return None;
    }
    let n: u32 = t[s..e].parse().ok()?;
    (1..=65535).contains(&n).then_some(n as u16)
}

/// Port fields named in `t` (exact names, any form): (start, end, name).
fn find_fields(fields: &[FieldPort], t: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    if fields.is_empty() {
        return out;
    }
    // Field names are identifiers: look each identifier of the text up.
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() || b[i] == b'_') || (i > 0 && is_name_byte(b[i - 1])) {
            i += 1;
            continue;
        }
        let e = i + b[i..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
        let word = &t[i..e];
        if word.len() >= 4
            && !b.get(e).is_some_and(|c| matches!(c, b'-' | b'/'))
            && let Some(n) = fields.iter().flat_map(|f| f.names.iter()).find(|n| n.as_str() == word)
        {
            out.push((i, e, n.clone()));
        }
        i = e.max(i + 1);
    }
    out
}

fn sentence_claims(reg: &Registry, fields: &[FieldPort], text: &str, us: usize, ue: usize, out: &mut Vec<Claim>) {
    let c = Clean::new(&text[us..ue], us);
    let t = c.text.as_str();
    // Every pattern below runs on `t` or a part of it.
    let p = patterns(t.is_ascii());
    let lower = t.to_lowercase();
    if lower.len() != t.len() {
        // Case folding changed byte offsets (rare scripts): leave the sentence alone.
        return;
    }
    let mut owners: Vec<(usize, usize, OwnerRef)> =
        reg.find_owners(&lower).into_iter().map(|(s, e, o)| (s, e, OwnerRef::Registry(o))).collect();
    for (s, e, n) in find_fields(fields, t) {
        if !owners.iter().any(|(os, oe, _)| s < *oe && *os < e) {
            owners.push((s, e, OwnerRef::Field(n)));
        }
    }
    owners.sort_by_key(|o| o.0);
    let by_default = lower.contains("by default") || lower.contains("default port") || lower.contains("defaults to");
    // The field a recommendation is for: named in the sentence, else the one port field the
    // paragraph names.
    let field_named = owners
        .iter()
        .find_map(|(_, _, o)| match o {
            OwnerRef::Field(n) => Some(n.clone()),
            _ => None,
        })
        .or_else(|| {
            let (ps, pe) = crate::analysis::fields::paragraph(text, us);
            let named = find_fields(fields, &text[ps..pe.max(ps)]);
            let mut names: Vec<&str> = named.iter().map(|(_, _, n)| n.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            match names.as_slice() {
                [one] => Some(one.to_string()),
                _ => None,
            }
        });

    // Mentions: (full match start, number start, number end, last, proto).
    let mut mentions: Vec<(usize, usize, usize, u16, u16, Option<Proto>)> = Vec::new();
    for m in p.mention.captures_iter(t) {
        let full = m.get(0).map_or(0, |g| g.start());
        let (num, last, proto) = if let Some(n) = m.get(2) {
            let proto = [1, 4, 5].iter().find_map(|&g| m.get(g)).and_then(|g| Proto::parse(g.as_str()));
            (n, m.get(3), proto)
        } else if let Some(n) = m.get(7) {
            (n, None, m.get(6).and_then(|g| Proto::parse(g.as_str())))
        } else if let Some(n) = m.get(8) {
            (n, None, m.get(9).and_then(|g| Proto::parse(g.as_str())))
        } else {
            continue;
        };
        let Some(port) = port_number(t, num.start(), num.end()) else { continue };
        let last = last.and_then(|l| port_number(t, l.start(), l.end())).filter(|l| *l >= port).unwrap_or(port);
        let end = m.get(3).map_or(num.end(), |l| l.end());
        mentions.push((full, num.start(), end, port, last, proto));
    }
    for m in p.such_as.captures_iter(t) {
        let Some(list) = m.get(1) else { continue };
        let full = m.get(0).map_or(0, |g| g.start());
        let mut i = list.start();
        for part in list.as_str().split(|ch: char| !ch.is_ascii_digit()) {
            if !part.is_empty() {
                let s = t[i..].find(part).map_or(i, |k| i + k);
                if let Some(port) = port_number(t, s, s + part.len())
                    && !mentions.iter().any(|x| x.1 == s)
                {
                    mentions.push((full, s, s + part.len(), port, port, None));
                }
                i = s + part.len();
            }
        }
    }
    // Bare numbers a sentence about ports ties to an owner: "note that 10257 may be used by X".
    for m in p.bare.find_iter(t) {
        if mentions.iter().any(|x| x.1 <= m.start() && m.start() < x.2) {
            continue;
        }
        let Some(port) = port_number(t, m.start(), m.end()) else { continue };
        let Some(&(os, _, _)) = owners.iter().find(|(s, _, _)| *s >= m.end()) else { continue };
        if p.used_by.is_match(&t[m.end()..os]) {
            mentions.push((m.start(), m.start(), m.end(), port, port, None));
        }
    }
    mentions.sort_by_key(|m| m.1);

    for &(full, ns, ne, port, last, proto) in &mentions {
        let span = c.span(ns, ne);
        let claim = |kind: ClaimKind, owner: Option<(usize, usize, OwnerRef)>, out: &mut Vec<Claim>| {
            let (owner, owner_span) = match owner {
                Some((s, e, o)) => (Some(o), Some(c.span(s, e))),
                None => (None, None),
            };
            out.push(Claim { kind, port, last, span, owner, owner_span, proto, field: None });
        };
        // After the number: "… used by X", "… for X", "(default X port)".
        let after_owner = owners.iter().find(|(s, _, _)| *s >= ne).cloned();
        if let Some((os, oe, o)) = after_owner.clone() {
            let between = &t[ne..os];
            let rest = &lower[oe..];
            if p.used_by.is_match(between) || p.for_owner.is_match(between) {
                claim(if by_default { ClaimKind::Default } else { ClaimKind::Owner }, Some((os, oe, o)), out);
                continue;
            }
            if p.paren_owner.is_match(between) && paren_closes(rest) {
                let kind = if between.to_ascii_lowercase().contains("default") || by_default {
                    ClaimKind::Default
                } else {
                    ClaimKind::Owner
                };
                claim(kind, Some((os, oe, o)), out);
                continue;
            }
        }
        // Before the number: "X uses port N", "X's health port (N)", "the kubelet port N".
        let before: Vec<&(usize, usize, OwnerRef)> = owners.iter().filter(|(_, e, _)| *e <= full).collect();
        if let Some(&&(os, oe, ref o)) = before.last() {
            let between = &t[oe..full];
            // Two owners joined by "and"/"or"/"," just before: ambiguous.
            let ambiguous = before.len() >= 2 && {
                let prev = before[before.len() - 2];
                let gap = t[prev.1..os].trim().to_ascii_lowercase();
                matches!(gap.as_str(), "and" | "or" | "," | "/" | ", and" | ", or")
            };
            // The owner must be the verb's subject: no clause of its own in between
            // ("kubelet will not start until the calico-early service listens on port N").
            let clause = p.conjunction.is_match(between);
            let near = between.len() <= 90 && !clause;
            if !ambiguous && near {
                let possessive = p.possessive.is_match(between);
                let verb = p.verb.is_match(between);
                if possessive || verb {
                    let default = by_default || between.to_ascii_lowercase().contains("default");
                    claim(if default { ClaimKind::Default } else { ClaimKind::Owner }, Some((os, oe, o.clone())), out);
                    continue;
                }
            }
        }
    }

    // Recommendations: "choose an unused port (for example, 10258)".
    if p.choose.is_match(t) {
        for m in p.example.captures_iter(t) {
            let Some(n) = m.get(1) else { continue };
            let Some(port) = port_number(t, n.start(), n.end()) else { continue };
            // A port the sentence already ties to an owner is not a recommendation.
            if out.iter().any(|x| x.span == c.span(n.start(), n.end())) {
                continue;
            }
            let head = &lower[..m.get(0).map_or(0, |g| g.start())];
            if !head.contains("port") {
                continue;
            }
            out.push(Claim {
                kind: ClaimKind::Recommend,
                port,
                last: port,
                span: c.span(n.start(), n.end()),
                owner: None,
                owner_span: None,
                proto: None,
                field: field_named.clone(),
            });
        }
    }
}

/// `rest` (after an owner name) closes the parenthesis within a few words: "port)", "'s port)".
fn paren_closes(rest: &str) -> bool {
    let Some(k) = rest.find(')') else { return false };
    let inside = &rest[..k];
    inside.len() <= 40 && inside.split_whitespace().count() <= 4 && !inside.contains('(')
}

/// Claims in a markdown table: a row's port cell and the owner its other cells name; a default
/// column next to a port field.
fn table_claims(reg: &Registry, fields: &[FieldPort], text: &str, ts: usize, te: usize, out: &mut Vec<Claim>) {
    let rows: Vec<(usize, &str)> = line_offsets(&text[ts..te]).into_iter().map(|(s, l)| (ts + s, l)).collect();
    if rows.len() < 3 {
        return;
    }
    let cells = |start: usize, line: &str| -> Vec<(usize, usize)> {
        // Cell byte ranges (absolute), without the outer pipes.
        let mut out = Vec::new();
        let b = line.as_bytes();
        let mut i = line.find('|').map_or(0, |k| k + 1);
        let mut s = i;
        while i < b.len() {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            if b[i] == b'|' {
                out.push((start + s, start + i));
                s = i + 1;
            }
            i += 1;
        }
        if s < b.len() && !line[s..].trim().is_empty() {
            out.push((start + s, start + b.len()));
        }
        out
    };
    let header: Vec<String> = cells(rows[0].0, rows[0].1)
        .iter()
        .map(|&(s, e)| Clean::new(&text[s..e], s).text.trim().to_lowercase())
        .collect();
    let port_col = header.iter().position(|h| {
        h == "port" || h == "ports" || h.starts_with("port ") || h.ends_with(" port") || h == "port range"
    });
    let proto_col = header.iter().position(|h| h.starts_with("protocol"));
    let default_col = header.iter().position(|h| h.starts_with("default"));
    for &(rs, line) in &rows[2..] {
        let cs = cells(rs, line);
        let texts: Vec<Clean> = cs.iter().map(|&(s, e)| Clean::new(&text[s..e], s)).collect();
        // A default column next to a port field.
        if let Some(dc) = default_col
            && let Some(dcell) = texts.get(dc)
        {
            let mut named: Vec<String> = texts
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != dc)
                .filter_map(|(_, c)| {
                    let t = c.text.trim();
                    fields.iter().find(|f| f.names.iter().any(|n| n == t)).map(|f| f.name.clone())
                })
                .collect();
            named.dedup();
            if let [field] = named.as_slice()
                && let Some((s, e)) = lone_number(&dcell.text)
                && let Some(port) = port_number(&dcell.text, s, e)
            {
                let span = dcell.span(s, e);
                out.push(Claim {
                    kind: ClaimKind::Default,
                    port,
                    last: port,
                    span,
                    owner: Some(OwnerRef::Field(field.clone())),
                    owner_span: None,
                    proto: None,
                    field: None,
                });
            }
        }
        let Some(pc) = port_col else { continue };
        let Some(pcell) = texts.get(pc) else { continue };
        let Some((ps, pe, port, last)) = port_cell(&pcell.text) else { continue };
        let proto = proto_col.and_then(|k| texts.get(k)).and_then(|c| Proto::parse(c.text.trim()));
        // The owner: exactly one owner named in the other cells.
        let mut named: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (k, c) in texts.iter().enumerate() {
            if k == pc || Some(k) == proto_col {
                continue;
            }
            for (s, e, o) in reg.find_owners(&c.text.to_lowercase()) {
                if !named.iter().any(|x| x.0 == o) {
                    named.push((o, k, s, e));
                }
            }
        }
        if let [(o, k, s, e)] = named[..] {
            out.push(Claim {
                kind: ClaimKind::Owner,
                port,
                last,
                span: pcell.span(ps, pe),
                owner: Some(OwnerRef::Registry(o)),
                owner_span: Some(texts[k].span(s, e)),
                proto,
                field: None,
            });
        }
    }
}

/// A cell that is just a number (with white space): its range.
fn lone_number(t: &str) -> Option<(usize, usize)> {
    let s = t.len() - t.trim_start().len();
    let trimmed = t.trim();
    (!trimmed.is_empty() && trimmed.bytes().all(|c| c.is_ascii_digit())).then(|| (s, s + trimmed.len()))
}

/// A port cell: `179`, `2379-2380`, `TCP 179`, `179/TCP`.
fn port_cell(t: &str) -> Option<(usize, usize, u16, u16)> {
    let trimmed = t.trim();
    let lead = t.len() - t.trim_start().len();
    let core = trimmed
        .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == ' ')
        .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ' || c == '/');
    if core.is_empty() {
        return None;
    }
    let off = lead + trimmed.find(core)?;
    let (a, b) = match core.split_once(['-', '–']) {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (core, None),
    };
    if !a.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let first: u16 = a.parse().ok().filter(|p| *p > 0)?;
    let last: u16 = match b {
        Some(b) if b.bytes().all(|c| c.is_ascii_digit()) => b.parse().ok().filter(|l| *l >= first)?,
        Some(_) => return None,
        None => first,
    };
    Some((off, off + core.len(), first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns compile on first use: every one must compile, in both sets.
    #[test]
    fn every_sentence_pattern_compiles() {
        for ascii in [true, false] {
            let p = patterns(ascii);
            for pattern in [
                &p.mention,
                &p.such_as,
                &p.example,
                &p.used_by,
                &p.for_owner,
                &p.paren_owner,
                &p.verb,
                &p.possessive,
                &p.choose,
                &p.conjunction,
                &p.bare,
            ] {
                pattern.regex();
            }
        }
    }

    #[test]
    fn a_cleaned_paragraph_keeps_its_text_and_where_each_byte_came_from() {
        let cases = [
            ("", ""),
            ("Felix listens on port 9099.", "Felix listens on port 9099."),
            (
                "Set **`healthPort`** to _9099_ or __9098__ (see [the docs](./x.md#a)); $[prodname] uses $5.",
                "Set healthPort to _9099_ or 9098 (see the docs); $[prodname] uses $5.",
            ),
            (
                "Tags <b>bold</b> and <br/>\ttabs\nnew lines, a lone _ and $ and ] and [x].",
                "Tags  bold  and   tabs new lines, a lone _ and $ and  and x.",
            ),
            ("Ünïcödé — 5473/TCP «ok» 端口 8080 _é_ $é", "Ünïcödé — 5473/TCP «ok» 端口 8080 _é_ $é"),
            ("unclosed $[var and <tag and ](dest", "unclosed $[var and <tag and ](dest"),
            ("a <tag and ](dest", "a  "),
        ];
        for (k, (src, want)) in cases.into_iter().enumerate() {
            let base = 7 * k;
            let c = Clean::new(src, base);
            assert_eq!(c.text, want, "{src:?}");
            assert_eq!(c.map.len(), c.text.len(), "{src:?}");
            // Each byte maps to the byte it was copied from (a space may stand for a tag or a
            // line break), in order.
            for (i, (&m, &t)) in c.map.iter().zip(c.text.as_bytes()).enumerate() {
                let from = src.as_bytes()[m as usize - base];
                assert!(from == t || (t == b' ' && matches!(from, b'<' | b'\n' | b'\t')), "{src:?} at {i}");
                assert!(i == 0 || c.map[i - 1] < m, "{src:?} at {i}");
            }
        }
    }

    fn reg() -> Registry {
        Registry::new(serde_json::from_str(BUILTIN_PACK).unwrap())
    }

    #[test]
    fn builtin_pack_is_valid() {
        let root = std::path::Path::new("/nonexistent");
        let pack = Pack::load(root).unwrap();
        for o in &pack.owner {
            assert!(!o.name.is_empty(), "{}", o.id);
            for p in &o.port {
                assert!(!p.source.is_empty(), "{} {}", o.id, p.display());
            }
            assert!(
                !o.port.is_empty() || !o.members.is_empty() || !o.fields.is_empty() || o.note.is_some(),
                "{}",
                o.id
            );
            if o.note.is_some() {
                assert!(!o.source.is_empty(), "{}", o.id);
            }
        }
    }

    #[test]
    fn owners_match_longest_name_first() {
        let r = reg();
        let t = "the cloud controller manager and the controller manager and kube-proxy's port";
        let found: Vec<&str> = r.find_owners(t).iter().map(|&(_, _, o)| r.owners[o].id.as_str()).collect();
        assert_eq!(found, ["cloud-controller-manager", "kube-controller-manager", "kube-proxy"]);
        assert!(r.find_owners("felixconfiguration").is_empty());
    }

    fn sentence_of(t: &str) -> Vec<Claim> {
        let mut out = Vec::new();
        sentence_claims(&reg(), &[], t, 0, t.len(), &mut out);
        out
    }

    #[test]
    fn ownership_claims() {
        let r = reg();
        let c = sentence_of("Note that port 10257 may be used by containerd.");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].port, 10257);
        assert_eq!(c[0].owner, Some(OwnerRef::Registry(r.owner("containerd").unwrap())));
        let c = sentence_of("VXLAN is a UDP protocol; by default it uses port 4789.");
        assert_eq!((c[0].kind, c[0].port), (ClaimKind::Default, 4789));
        let c = sentence_of("Ingress is allowed on TCP port 10250 (default kubelet port).");
        assert_eq!((c[0].kind, c[0].proto), (ClaimKind::Default, Some(Proto::Tcp)));
        assert_eq!(c[0].owner, Some(OwnerRef::Registry(r.owner("kubelet").unwrap())));
        let c = sentence_of("It conflicts with the Kubernetes `kube-proxy`'s default health check port (10256).");
        assert_eq!((c[0].kind, c[0].port), (ClaimKind::Default, 10256));
        let c = sentence_of("Other control plane components commonly use ports such as 10257 and 10259.");
        assert_eq!(c.iter().map(|x| x.port).collect::<Vec<_>>(), [10257, 10259]);
        // Two owners joined by "and": no claim.
        assert!(sentence_of("Felix and Typha use port 9091.").is_empty());
        // Numbers that are not ports.
        assert!(sentence_of("Felix uses port v3.31 and 10.0.0.1 on port 5GB.").is_empty());
    }

    #[test]
    fn recommendations() {
        let c = sentence_of("Choose a port that is not already in use on your nodes (for example, 10258).");
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].kind, c[0].port), (ClaimKind::Recommend, 10258));
        assert!(sentence_of("Felix exposes metrics, for example 9091.").is_empty());
    }

    #[test]
    fn sentences() {
        let t = "First one. Is it port 4789? Yes, e.g. port 4790 works.\n- item port 1\n\nNext";
        let at = t.find("port 4789").unwrap();
        assert_eq!(&t[sentence(t, at).0..sentence(t, at).1], "Is it port 4789?");
        let at = t.find("port 4790").unwrap();
        assert_eq!(&t[sentence(t, at).0..sentence(t, at).1], "Yes, e.g. port 4790 works.");
        let at = t.find("port 1").unwrap();
        assert_eq!(&t[sentence(t, at).0..sentence(t, at).1], "- item port 1");
    }

    #[test]
    fn port_cells() {
        assert_eq!(port_cell(" 179  ").map(|x| (x.2, x.3)), Some((179, 179)));
        assert_eq!(port_cell(" 2379-2380 ").map(|x| (x.2, x.3)), Some((2379, 2380)));
        assert_eq!(port_cell(" TCP 179 ").map(|x| (x.2, x.3)), Some((179, 179)));
        assert_eq!(port_cell(" any "), None);
    }
}
