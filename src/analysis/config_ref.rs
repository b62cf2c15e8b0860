//! Per-version configuration references: which fields a resource (FelixConfiguration, …) has in
//! each version of each doc set, with their types, defaults and descriptions.
//!
//! What a resource is and where its reference lives is data: `rules/config-references.toml`,
//! extended by a site's `.docdrift/config-references.toml`. The reference files themselves
//! (`_includes/components/FelixConfig/config-params.json` in every version folder) are read
//! lazily, once per version, the first time a rule asks ([`Refs::get`]); versions whose files
//! are byte-identical share one parsed [`Reference`]. Extracting field uses from pages is
//! [`crate::analysis::fields`]' job; port facts are [`crate::analysis::ports`]'.

use crate::site::{Location, Site};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

/// `rules/config-references.toml`, as build.rs converts it to JSON (see `site::packs::load_pack`).
const BUILTIN_PACK: &str = include_str!(concat!(env!("OUT_DIR"), "/config-references.json"));

/// A set of names, hashed cheaply: looked up for every backticked word of every page.
pub type NameSet = HashSet<String, BuildHasherDefault<FastHasher>>;

/// FNV-1a over the bytes: short keys, no adversary (names come from the site's own data).
#[derive(Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    #[serde(default)]
    pub resource: Vec<ResourceSpec>,
}

/// One configurable resource, as the pack declares it.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    pub kind: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
    pub reference: String,
    pub records: String,
    #[serde(default)]
    pub env_prefix: Option<String>,
    #[serde(default)]
    pub component: Option<String>,
    #[serde(default)]
    pub port_fields: Option<String>,
    #[serde(default)]
    pub keys: Keys,
    #[serde(default)]
    pub extra_field: Vec<ExtraField>,
    #[serde(default)]
    pub source: String,
    /// `port_fields`, compiled by [`Pack::load`]: once per run, not once per version's reference.
    #[serde(skip)]
    port_re: Option<regex::Regex>,
}

/// The record keys of a reference file.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields, default)]
pub struct Keys {
    pub yaml: String,
    pub config: String,
    pub env: String,
    pub yaml_type: String,
    pub parsed_type: String,
    pub schema: String,
    pub enum_values: String,
    pub default: String,
    pub string_default: String,
    pub description: String,
}

impl Default for Keys {
    fn default() -> Keys {
        Keys {
            yaml: "NameYAML".into(),
            config: "NameConfigFile".into(),
            env: "NameEnvVar".into(),
            yaml_type: "YAMLType".into(),
            parsed_type: "ParsedType".into(),
            schema: "YAMLSchema".into(),
            enum_values: "YAMLEnumValues".into(),
            default: "YAMLDefault".into(),
            string_default: "StringDefault".into(),
            description: "Description".into(),
        }
    }
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExtraField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub source: String,
}

impl Pack {
    /// The built-in pack plus the site's own `.docdrift/config-references.toml`, if any.
    pub fn load(root: &Path) -> Result<Pack, String> {
        let (mut pack, extra, own) = crate::site::packs::load_pack::<Pack>(root, "config-references", BUILTIN_PACK)?;
        if let Some(extra) = extra {
            pack.resource.extend(extra.resource);
        }
        for r in &mut pack.resource {
            if let Some(p) = &r.port_fields {
                let re = regex::Regex::new(p)
                    .map_err(|e| format!("{}: `port_fields` of `{}`: {e}", own.display(), r.kind))?;
                r.port_re = Some(re);
            }
        }
        Ok(pack)
    }
}

/// What a field's value must look like in a resource spec (YAML or JSON).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValueType {
    Bool,
    /// An integer, within the schema's range when it states one.
    Int {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A Go duration string (`90s`, `1m30s`).
    Duration,
    /// One of these strings, exactly.
    Enum(Vec<String>),
    String,
    /// A port, a range `n:m`, or similar: an integer or a string.
    IntOrString,
    List,
    Map,
    /// The reference does not say (or says something docdrift does not check).
    Unknown,
}

impl ValueType {
    /// How messages name the type.
    pub fn describe(&self) -> String {
        match self {
            ValueType::Bool => "a boolean (`true` or `false`)".into(),
            ValueType::Int { min: Some(lo), max: Some(hi) } => format!("an integer from {lo} to {hi}"),
            ValueType::Int { .. } => "an integer".into(),
            ValueType::Duration => "a duration string such as `90s` or `1m30s`".into(),
            ValueType::Enum(v) => {
                format!("one of {}", v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "))
            }
            ValueType::String => "a string".into(),
            ValueType::IntOrString => "an integer or a string".into(),
            ValueType::List => "a list".into(),
            ValueType::Map => "a map".into(),
            ValueType::Unknown => "a value".into(),
        }
    }
}

/// A value the field's description singles out ("Set to 0 to disable the health check server").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Special {
    /// The literal as the description writes it (`0`, `-1`).
    pub value: String,
    /// The sentence that gives it its meaning, whitespace collapsed.
    pub sentence: String,
}

/// One field of a reference.
#[derive(Clone, Debug)]
pub struct Field {
    /// The spec (YAML/JSON) name; empty when the field cannot be set in the resource.
    pub yaml: String,
    /// The config-file name (`BPFEnabled`).
    pub config: String,
    /// The environment variable, as the reference writes it (`FELIX_BPFEnabled`).
    pub env: String,
    /// The type in a resource spec.
    pub ty: ValueType,
    /// The type when set through the config file or environment (`bool`, `int`, `time.Duration`).
    pub parsed_type: String,
    /// The default as a spec value (`YAMLDefault`), else as a string (`StringDefault`).
    pub default: String,
    pub description: String,
    /// The description's special values, found on first use: a run asks about the few fields
    /// whose values pages set, so scanning every description of every version up front (what
    /// a pre-commit run would pay for one page) is wasted.
    special: OnceLock<Vec<Special>>,
    /// Whether the field holds one port number.
    pub port: bool,
    /// Declared by the rule pack (`[[resource.extra_field]]`), not read from the version's
    /// reference: every version has it, so it says nothing about one version.
    pub extra: bool,
}

impl Field {
    /// Whether the description singles out `value` (compared as numbers when both are).
    pub fn special(&self, value: &str) -> Option<&Special> {
        let special = self.special.get_or_init(|| special_values(&self.description));
        special.iter().find(|s| same_literal(&s.value, value))
    }

    /// The default as a port number, for port fields.
    pub fn default_port(&self) -> Option<u16> {
        if !self.port {
            return None;
        }
        self.default.trim().parse::<u16>().ok().filter(|p| *p != 0)
    }
}

/// `0` and `0s`, `-1` and `-1`: the same literal for a description's purposes.
fn same_literal(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.trim().trim_matches(|c| c == '"' || c == '\'' || c == '`');
        match s.parse::<f64>() {
            Ok(n) => format!("{n}"),
            Err(_) => match s.strip_suffix('s').and_then(|n| n.parse::<f64>().ok()) {
                Some(0.0) => "0".to_string(),
                _ => s.to_string(),
            },
        }
    };
    norm(a) == norm(b)
}

/// A parsed reference file.
#[derive(Debug, Default)]
pub struct Reference {
    pub fields: Vec<Field>,
    /// Built on the first lookup: a pre-commit run reads the other versions' references only
    /// for their names ([`Refs::doc_set_names`]) and never looks a field up in them.
    index: OnceLock<NameIndex>,
    /// Answers rules computed about names of this reference (see [`Reference::memo`]).
    memo: Mutex<HashMap<String, Option<String>>>,
}

/// Where each name of a reference's fields is: field indices sorted by name, searched by
/// halving and compared with the fields' own names. As hash maps keyed by copies of the names
/// (and folded copies), the eight references of the tigera corpus held 0.8 MB for the run.
#[derive(Debug, Default)]
struct NameIndex {
    /// Fields with a spec name, by it; the first field of each name only.
    by_yaml: Box<[u32]>,
    /// Fields with a config-file name, by it; the first field of each name only.
    by_config: Box<[u32]>,
    /// Every name folded: spec and config-file names lower-cased, environment names
    /// upper-cased; by the folded name, then the field (a field's config-file name left out
    /// where it folds to its spec name).
    by_fold: Box<[(u32, Name)]>,
}

/// Which of a field's names an index entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Name {
    Yaml,
    Config,
    Env,
}

impl Name {
    fn of(self, f: &Field) -> &str {
        match self {
            Name::Yaml => &f.yaml,
            Name::Config => &f.config,
            Name::Env => &f.env,
        }
    }

    /// The name's bytes as the fold index compares them.
    fn folded(self, f: &Field) -> impl Iterator<Item = u8> + '_ {
        let upper = self == Name::Env;
        self.of(f).bytes().map(move |b| if upper { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() })
    }
}

impl NameIndex {
    fn new(fields: &[Field]) -> NameIndex {
        let exact = |name: Name| -> Box<[u32]> {
            let mut ix: Vec<u32> =
                (0..fields.len() as u32).filter(|&i| !name.of(&fields[i as usize]).is_empty()).collect();
            // Stable: the first field of a name stays first, and is the one kept.
            ix.sort_by(|&a, &b| name.of(&fields[a as usize]).cmp(name.of(&fields[b as usize])));
            ix.dedup_by(|a, b| name.of(&fields[*a as usize]) == name.of(&fields[*b as usize]));
            ix.into_boxed_slice()
        };
        let mut by_fold: Vec<(u32, Name)> = Vec::with_capacity(3 * fields.len());
        for (i, f) in fields.iter().enumerate() {
            let i = i as u32;
            if !f.yaml.is_empty() {
                by_fold.push((i, Name::Yaml));
            }
            // Not where it folds to the spec name (an empty spec name folds to none).
            if !f.config.is_empty() && !f.yaml.eq_ignore_ascii_case(&f.config) {
                by_fold.push((i, Name::Config));
            }
            if !f.env.is_empty() {
                by_fold.push((i, Name::Env));
            }
        }
        // Stable: within a folded name, fields stay in order, and a field's names in the
        // order above.
        by_fold.sort_by(|&(a, na), &(b, nb)| na.folded(&fields[a as usize]).cmp(nb.folded(&fields[b as usize])));
        NameIndex { by_yaml: exact(Name::Yaml), by_config: exact(Name::Config), by_fold: by_fold.into_boxed_slice() }
    }

    /// The field whose `name` is `key`, exactly.
    fn exact(&self, fields: &[Field], name: Name, key: &str) -> Option<u32> {
        let ix = if name == Name::Yaml { &self.by_yaml } else { &self.by_config };
        let k = ix.partition_point(|&i| name.of(&fields[i as usize]) < key);
        ix.get(k).copied().filter(|&i| name.of(&fields[i as usize]) == key)
    }

    /// The fields whose names fold to `folded` (already folded as the entries are), in order.
    fn folded<'s>(&'s self, fields: &[Field], folded: &str) -> impl Iterator<Item = u32> + use<'s> {
        let key = |&(i, n): &(u32, Name)| n.folded(&fields[i as usize]).cmp(folded.bytes());
        let start = self.by_fold.partition_point(|e| key(e).is_lt());
        let end = start + self.by_fold[start..].partition_point(|e| key(e).is_eq());
        self.by_fold[start..end].iter().map(|&(i, _)| i)
    }
}

/// How a name is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameForm {
    Yaml,
    Config,
    Env,
}

impl Reference {
    pub fn by_yaml(&self, name: &str) -> Option<&Field> {
        self.index().exact(&self.fields, Name::Yaml, name).map(|i| &self.fields[i as usize])
    }
    pub fn by_config(&self, name: &str) -> Option<&Field> {
        self.index().exact(&self.fields, Name::Config, name).map(|i| &self.fields[i as usize])
    }
    /// The field whose environment variable is `name` (compared without case, as Felix does).
    pub fn by_env(&self, name: &str) -> Option<&Field> {
        let up = name.to_ascii_uppercase();
        self.index()
            .folded(&self.fields, &up)
            .map(|i| &self.fields[i as usize])
            .find(|f| f.env.eq_ignore_ascii_case(&up))
    }
    /// Fields one of whose names equals `name` without regard to case.
    pub fn by_folded(&self, name: &str) -> impl Iterator<Item = (&Field, NameForm)> {
        let low = name.to_ascii_lowercase();
        self.index().folded(&self.fields, &low).filter_map(move |i| {
            let f = &self.fields[i as usize];
            if f.yaml.eq_ignore_ascii_case(&low) {
                Some((f, NameForm::Yaml))
            } else if f.config.eq_ignore_ascii_case(&low) {
                Some((f, NameForm::Config))
            } else {
                None
            }
        })
    }
    /// The field whose config-file name is `name` without regard to case (Felix reads its
    /// config file and environment that way).
    pub fn by_config_folded(&self, name: &str) -> Option<&Field> {
        let low = name.to_ascii_lowercase();
        self.index()
            .folded(&self.fields, &low)
            .map(|i| &self.fields[i as usize])
            .find(|f| f.config.eq_ignore_ascii_case(&low))
    }

    /// `compute()`, remembered under `key` for this reference: identical references are shared
    /// between versions, so a question about a name is answered once for all of them.
    pub fn memo(&self, key: &str, compute: impl FnOnce() -> Option<String>) -> Option<String> {
        if let Some(v) = self.memo.lock().ok().and_then(|m| m.get(key).cloned()) {
            return v;
        }
        let v = compute();
        if let Ok(mut m) = self.memo.lock() {
            m.insert(key.to_string(), v.clone());
        }
        v
    }

    /// Whether `name` is a field here in any form (spec name, config-file name without case,
    /// environment variable without case).
    pub fn knows(&self, name: &str) -> bool {
        let ix = self.index();
        ix.exact(&self.fields, Name::Yaml, name).is_some()
            || ix.exact(&self.fields, Name::Config, name).is_some()
            || self.by_config_folded(name).is_some()
            || self.by_env(name).is_some()
    }

    fn index(&self) -> &NameIndex {
        self.index.get_or_init(|| NameIndex::new(&self.fields))
    }

    /// Parse a reference file's text as `spec` describes it. The JSON is walked as a stream:
    /// only the record keys the pack names are kept (reference files are mostly HTML copies
    /// of the descriptions, which are skipped without allocating).
    pub fn parse(text: &str, spec: &ResourceSpec) -> Result<Reference, String> {
        let steps: Vec<(&str, bool)> = spec
            .records
            .split('.')
            .map(|step| match step.strip_suffix("[]") {
                Some(k) => (k, true),
                None => (step, false),
            })
            .collect();
        let k = &spec.keys;
        let wanted: [&str; RECORD_KEYS] = [
            &k.yaml,
            &k.config,
            &k.env,
            &k.yaml_type,
            &k.parsed_type,
            &k.schema,
            &k.default,
            &k.string_default,
            &k.description,
            &k.enum_values,
        ];
        let mut records: Vec<RawRecord> = Vec::new();
        let mut de = serde_json::Deserializer::from_str(text);
        serde::de::DeserializeSeed::deserialize(Walk { steps: &steps, wanted: &wanted, out: &mut records }, &mut de)
            .map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        let port_re = spec.port_re.as_ref();
        let mut r = Reference::default();
        r.fields.reserve(records.len() + spec.extra_field.len());
        for rec in records {
            let [yaml, config, env, yaml_type, parsed_type, schema, default, string_default, description] = rec.strings;
            if yaml.is_empty() && config.is_empty() {
                continue;
            }
            let enum_values: Vec<String> = rec.enum_values.iter().map(|v| unquote_enum(v)).collect();
            let ty = value_type(&yaml_type, &parsed_type, &schema, enum_values);
            let default = if default.is_empty() { string_default } else { default };
            let port = port_re.is_some_and(|re| re.is_match(&config) || re.is_match(&yaml))
                && matches!(ty, ValueType::Int { .. } | ValueType::Unknown)
                && matches!(parsed_type.as_str(), "int" | "uint16" | "int32" | "");
            r.fields.push(Field {
                yaml,
                config,
                env,
                ty,
                parsed_type,
                default,
                description,
                special: OnceLock::new(),
                port,
                extra: false,
            });
        }
        for x in &spec.extra_field {
            let ty = match x.ty.as_str() {
                "boolean" => ValueType::Bool,
                "integer" => ValueType::Int { min: None, max: None },
                "duration" => ValueType::Duration,
                "string" => ValueType::String,
                "list" => ValueType::List,
                "map" => ValueType::Map,
                _ => ValueType::Unknown,
            };
            r.fields.push(Field {
                yaml: x.name.clone(),
                config: String::new(),
                env: String::new(),
                ty,
                parsed_type: String::new(),
                default: String::new(),
                description: x.source.clone(),
                // The description is the pack's source note, not the reference's text.
                special: OnceLock::from(Vec::new()),
                port: false,
                extra: true,
            });
        }
        Ok(r)
    }
}

/// `` `"Auto"` `` → `Auto`.
fn unquote_enum(s: &str) -> String {
    s.trim().trim_matches('`').trim_matches('"').to_string()
}

fn value_type(yaml_type: &str, parsed: &str, schema: &str, enum_values: Vec<String>) -> ValueType {
    match yaml_type {
        "boolean" => ValueType::Bool,
        "integer" => {
            let (min, max) = int_range(schema);
            ValueType::Int { min, max }
        }
        "string" if !enum_values.is_empty() => ValueType::Enum(enum_values),
        "string" if parsed == "time.Duration" => ValueType::Duration,
        "string" => ValueType::String,
        "integer or string" => ValueType::IntOrString,
        "array" => ValueType::List,
        "object" => ValueType::Map,
        _ => ValueType::Unknown,
    }
}

/// `Integer: [0,65535]` → (0, 65535). Only a schema with exactly one range counts.
fn int_range(schema: &str) -> (Option<i64>, Option<i64>) {
    let Some(rest) = schema.strip_prefix("Integer: [") else { return (None, None) };
    if rest.matches('[').count() > 0 {
        return (None, None);
    }
    let Some((lo, hi)) = rest.trim_end_matches([']', '.']).split_once(',') else { return (None, None) };
    let num = |s: &str| match s.trim() {
        "2^63-1" => Some(i64::MAX),
        "2^31-1" => Some(i32::MAX as i64),
        "2^32-1" => Some(u32::MAX as i64),
        t => t.parse::<i64>().ok(),
    };
    (num(lo), num(hi))
}

/// Values a description gives a meaning to: integer literals in a sentence that also says what
/// they do ("Set to 0 to disable", "A value of -1 means", "or 0 to disable").
pub fn special_values(description: &str) -> Vec<Special> {
    const MEANING: &[&str] = &["disable", "unlimited", "no limit", "infinite", "means", "never", "special value"];
    let mut out: Vec<Special> = Vec::new();
    for sentence in sentences(description) {
        let lower = sentence.to_ascii_lowercase();
        // "turn X off", "switches it off": the word "off" gives a value a meaning too.
        let off = lower.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w == "off");
        if !off && !MEANING.iter().any(|m| lower.contains(m)) {
            continue;
        }
        let b = sentence.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let start = i;
            let neg = b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !(b[i].is_ascii_digit() || neg) {
                i += 1;
                continue;
            }
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let before = if start == 0 { b' ' } else { b[start - 1] };
            let after = b.get(i).copied().unwrap_or(b' ');
            let after2 = b.get(i + 1).copied().unwrap_or(b' ');
            let standalone_before = matches!(before, b' ' | b'\n' | b'`' | b'"' | b'(');
            let standalone_after = matches!(after, b' ' | b'\n' | b'`' | b'"' | b')' | b';')
                || (matches!(after, b'.' | b',') && !after2.is_ascii_digit());
            if standalone_before && standalone_after {
                let value = sentence[start..i].to_string();
                if !out.iter().any(|s| s.value == value) {
                    out.push(Special { value, sentence: collapse(sentence) });
                }
            }
        }
    }
    out
}

/// Sentences of a description (split after `.`, `;` or `:` followed by white space).
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let mut cuts = vec![0];
    for i in 0..b.len() {
        if matches!(b[i], b'.' | b';') && b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()) {
            cuts.push(i + 1);
        }
    }
    cuts.push(b.len());
    cuts.dedup();
    (0..cuts.len() - 1).map(move |k| text[cuts[k]..cuts[k + 1]].trim()).filter(|s| !s.is_empty())
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// String keys of a record, then the enum-values key (see [`Reference::parse`]).
const RECORD_KEYS: usize = 10;

#[derive(Default)]
struct RawRecord {
    strings: [String; RECORD_KEYS - 1],
    enum_values: Vec<String>,
}

/// Follows `steps` (`(key, each element)`) down to the records, and reads each record.
struct Walk<'s, 'w> {
    steps: &'s [(&'s str, bool)],
    wanted: &'w [&'w str; RECORD_KEYS],
    out: &'w mut Vec<RawRecord>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.steps.split_first() {
            None => {
                let rec = d.deserialize_map(RecordVisitor { wanted: self.wanted })?;
                self.out.push(rec);
                Ok(())
            }
            Some((("", each), rest)) => {
                if *each {
                    d.deserialize_seq(Each { rest, wanted: self.wanted, out: self.out })
                } else {
                    Walk { steps: rest, wanted: self.wanted, out: self.out }.deserialize(d)
                }
            }
            Some(_) => d.deserialize_map(Member { steps: self.steps, wanted: self.wanted, out: self.out }),
        }
    }
}

/// A map: descend into the member the first step names, skip the others.
struct Member<'s, 'w> {
    steps: &'s [(&'s str, bool)],
    wanted: &'w [&'w str; RECORD_KEYS],
    out: &'w mut Vec<RawRecord>,
}

impl<'de> serde::de::Visitor<'de> for Member<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object with `{}`", self.steps[0].0)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (key, each) = self.steps[0];
        let names = [key];
        while let Some(k) = map.next_key_seed(crate::site::packs::KeyIndex { names: &names })? {
            if k == Some(0) {
                let rest = &self.steps[1..];
                if each {
                    map.next_value_seed(Seq { rest, wanted: self.wanted, out: self.out })?;
                } else {
                    map.next_value_seed(Walk { steps: rest, wanted: self.wanted, out: self.out })?;
                }
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// An array whose every element continues the walk.
struct Seq<'s, 'w> {
    rest: &'s [(&'s str, bool)],
    wanted: &'w [&'w str; RECORD_KEYS],
    out: &'w mut Vec<RawRecord>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Seq<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(Each { rest: self.rest, wanted: self.wanted, out: self.out })
    }
}

struct Each<'s, 'w> {
    rest: &'s [(&'s str, bool)],
    wanted: &'w [&'w str; RECORD_KEYS],
    out: &'w mut Vec<RawRecord>,
}

impl<'de> serde::de::Visitor<'de> for Each<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array")
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Walk { steps: self.rest, wanted: self.wanted, out: &mut *self.out })?.is_some() {}
        Ok(())
    }
}

/// A record: the wanted keys' values, other keys skipped.
struct RecordVisitor<'w> {
    wanted: &'w [&'w str; RECORD_KEYS],
}

impl<'de> serde::de::Visitor<'de> for RecordVisitor<'_> {
    type Value = RawRecord;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field record")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RawRecord, A::Error> {
        let mut rec = RawRecord::default();
        while let Some(k) = map.next_key_seed(crate::site::packs::KeyIndex { names: self.wanted })? {
            match k {
                Some(i) if i < RECORD_KEYS - 1 => {
                    rec.strings[i] = map.next_value::<Option<String>>()?.unwrap_or_default();
                }
                Some(_) => rec.enum_values = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(rec)
    }
}

/// A version's reference, as loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The reference file, relative to the site root.
    pub path: String,
    pub reference: Arc<Reference>,
}

/// The pack and, per resource, doc set and version, the reference once it has been loaded.
/// See [`Refs::parsed`].
type ParsedRef = (usize, u64, std::path::PathBuf, Arc<Reference>);

#[derive(Debug, Default)]
pub struct Refs {
    pub pack: Pack,
    /// `slots[resource][doc_set][version]`.
    slots: Vec<Vec<Vec<OnceLock<Option<Loaded>>>>>,
    /// Parsed references, so that identical files are parsed once: `(resource, hash of the
    /// text, the file it was read from, parsed)`. The texts are not kept (megabytes at the
    /// run's peak): a text whose hash matches is compared with that file, read again.
    parsed: Mutex<Vec<ParsedRef>>,
    /// `names[resource][doc_set]`: every name of every version, lower-cased.
    names: Vec<Vec<OnceLock<NameSet>>>,
    /// `all_names[resource]`: the union over doc sets.
    all_names: Vec<OnceLock<NameSet>>,
    /// References that exist but could not be used (unreadable, invalid, no records), with where.
    problems: Mutex<Vec<String>>,
}

impl Refs {
    /// Read the pack (problems go to `setup_errors`); references are read later, on demand.
    pub fn new(site: &Site, setup_errors: &mut Vec<String>) -> Refs {
        let pack = Pack::load(&site.root).unwrap_or_else(|e| {
            setup_errors.push(e);
            Pack::default()
        });
        let slots = pack
            .resource
            .iter()
            .map(|_| site.doc_sets.iter().map(|ds| ds.versions.iter().map(|_| OnceLock::new()).collect()).collect())
            .collect();
        let names = pack.resource.iter().map(|_| site.doc_sets.iter().map(|_| OnceLock::new()).collect()).collect();
        let all_names = pack.resource.iter().map(|_| OnceLock::new()).collect();
        Refs { pack, slots, parsed: Mutex::new(Vec::new()), names, all_names, problems: Mutex::new(Vec::new()) }
    }

    pub fn resources(&self) -> &[ResourceSpec] {
        &self.pack.resource
    }

    /// The reference of `resource` in the version at `loc`, loading it on first use. `None` when
    /// the version has no such file or it cannot be parsed.
    pub fn get(&self, site: &Site, loc: Location, resource: usize) -> Option<&Loaded> {
        let slot = self.slots.get(resource)?.get(loc.doc_set)?.get(loc.version)?;
        slot.get_or_init(|| self.load(site, loc, resource)).as_ref()
    }

    fn load(&self, site: &Site, loc: Location, resource: usize) -> Option<Loaded> {
        let spec = &self.pack.resource[resource];
        let dir = &site.version(loc).dir;
        let path = crate::site::paths::normalize_rel(&format!("{dir}/{}", spec.reference));
        let text = match site.bounds.read_optional(&site.root.join(&path)) {
            Ok(t) => t?,
            Err(e) => return self.problem(e),
        };
        let file = site.root.join(&path);
        let hash = {
            use std::hash::{BuildHasher, BuildHasherDefault};
            BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text.as_str())
        };
        let same = |m: &Vec<ParsedRef>| {
            m.iter()
                .find(|(r, h, first, _)| {
                    *r == resource && *h == hash && site.bounds.read_to_string(first).is_ok_and(|t| t == text)
                })
                .map(|(_, _, _, p)| p.clone())
        };
        if let Some(r) = self.parsed.lock().ok().and_then(|m| same(&m)) {
            return Some(Loaded { path, reference: r });
        }
        let reference = match Reference::parse(&text, spec) {
            Ok(r) if r.fields.len() > spec.extra_field.len() => Arc::new(r),
            Ok(_) => {
                return self.problem(format!(
                    "{}: no field records at `{}`: the file is not shaped like a {} reference; the {} field rules are off for this version",
                    site.root.join(&path).display(),
                    spec.records,
                    spec.kind,
                    spec.kind
                ));
            }
            Err(e) => {
                // serde_json ends its message with " at line L column C".
                let (msg, at) = e.rsplit_once(" at line ").map_or((e.as_str(), ""), |(m, a)| (m, a));
                let at = match at.split_once(" column ") {
                    // serde's column 0 is "before the first character": show column 1.
                    Some((l, c)) => format!(":{l}:{}", c.parse::<usize>().unwrap_or(1).max(1)),
                    None => String::new(),
                };
                return self.problem(format!(
                    "{}{at}: invalid {} reference: {msg}; fix the file, or the {} field rules stay off for this version",
                    site.root.join(&path).display(),
                    spec.kind,
                    spec.kind
                ));
            }
        };
        if let Ok(mut m) = self.parsed.lock() {
            m.push((resource, hash, file, reference.clone()));
        }
        Some(Loaded { path, reference })
    }

    fn problem<T>(&self, message: String) -> Option<T> {
        if let Ok(mut p) = self.problems.lock()
            && !p.contains(&message)
        {
            p.push(message);
        }
        None
    }

    /// References that exist but could not be used, as `path[:line:col]: message` (sorted). Only
    /// references the rules asked for are known: call after the rules ran.
    pub fn problems(&self) -> Vec<String> {
        let mut p = self.problems.lock().map(|p| p.clone()).unwrap_or_default();
        p.sort();
        p
    }

    /// Every name (spec, config-file, environment) of a field of `resource` in any version of
    /// `loc`'s doc set, lower-cased.
    pub fn doc_set_names(&self, site: &Site, loc: Location, resource: usize) -> &NameSet {
        static EMPTY: OnceLock<NameSet> = OnceLock::new();
        let Some(slot) = self.names.get(resource).and_then(|r| r.get(loc.doc_set)) else {
            return EMPTY.get_or_init(NameSet::default);
        };
        slot.get_or_init(|| {
            let mut out = NameSet::default();
            let mut seen: Vec<&Arc<Reference>> = Vec::new();
            for v in 0..site.doc_sets[loc.doc_set].versions.len() {
                let Some(l) = self.get(site, Location { doc_set: loc.doc_set, version: v }, resource) else { continue };
                // Versions with byte-identical files share one parsed reference: its names are in.
                if seen.iter().any(|r| Arc::ptr_eq(r, &l.reference)) {
                    continue;
                }
                seen.push(&l.reference);
                for f in &l.reference.fields {
                    for n in [&f.yaml, &f.config, &f.env] {
                        if !n.is_empty() {
                            out.insert(n.to_ascii_lowercase());
                        }
                    }
                }
            }
            out
        })
    }

    /// Every name of a field of `resource` in any version of any doc set, lower-cased.
    pub fn any_doc_set_names(&self, site: &Site, resource: usize) -> &NameSet {
        static EMPTY: OnceLock<NameSet> = OnceLock::new();
        let Some(slot) = self.all_names.get(resource) else { return EMPTY.get_or_init(NameSet::default) };
        slot.get_or_init(|| {
            let mut out = NameSet::default();
            for d in 0..site.doc_sets.len() {
                out.extend(self.doc_set_names(site, Location { doc_set: d, version: 0 }, resource).iter().cloned());
            }
            out
        })
    }

    /// The versions of `loc`'s doc set whose reference satisfies `has`, newest first.
    pub fn versions_where(
        &self,
        site: &Site,
        loc: Location,
        resource: usize,
        has: impl Fn(&Reference) -> bool,
    ) -> Vec<usize> {
        let ds = &site.doc_sets[loc.doc_set];
        (0..ds.versions.len())
            .filter(|&v| {
                self.get(site, Location { doc_set: loc.doc_set, version: v }, resource)
                    .is_some_and(|l| has(&l.reference))
            })
            .collect()
    }

    /// Other doc sets with a version whose reference satisfies `has` (their display names).
    pub fn doc_sets_where(
        &self,
        site: &Site,
        loc: Location,
        resource: usize,
        has: impl Fn(&Reference) -> bool,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for (d, ds) in site.doc_sets.iter().enumerate() {
            if d == loc.doc_set {
                continue;
            }
            let found = (0..ds.versions.len()).any(|v| {
                self.get(site, Location { doc_set: d, version: v }, resource).is_some_and(|l| has(&l.reference))
            });
            if found && !out.contains(&ds.name) {
                out.push(ds.name.clone());
            }
        }
        out
    }
}

/// "from 3.30", "up to 3.31", "in 3.30 and 3.31": where a field exists, in a doc set whose
/// versions are `labels` (newest first, `current` first of all) and the field exists at `have`.
/// `at` is the version the page belongs to.
pub fn availability(labels: &[&str], have: &[usize], at: usize) -> String {
    if have.is_empty() {
        return String::new();
    }
    let n = labels.len();
    // Contiguous run of versions, in index order (newest first).
    let contiguous = have.windows(2).all(|w| w[1] == w[0] + 1);
    let (newest, oldest) = (have[0], *have.last().unwrap_or(&have[0]));
    if contiguous {
        if newest == 0 && at > oldest {
            return format!("it exists from {}", labels[oldest]);
        }
        if oldest == n - 1 && at < newest {
            return format!("it exists up to {}", labels[newest]);
        }
        if have.len() > 1 {
            return format!("it exists from {} to {}", labels[oldest], labels[newest]);
        }
    }
    let mut names: Vec<&str> = have.iter().rev().map(|&i| labels[i]).collect();
    let last = names.pop().unwrap_or_default();
    if names.is_empty() {
        format!("it exists in {last}")
    } else {
        format!("it exists in {} and {last}", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pack_parses() {
        let p: Pack = serde_json::from_str(BUILTIN_PACK).unwrap();
        assert_eq!(p.resource[0].kind, "FelixConfiguration");
        assert_eq!(p.resource[0].keys.yaml, "NameYAML");
    }

    #[test]
    fn special_values_come_from_descriptions() {
        let s = special_values(
            "In BPF mode, controls the port. The health check server is used by load balancers.\nSet to 0 to disable the health check server.",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].value, "0");
        assert_eq!(s[0].sentence, "Set to 0 to disable the health check server.");
        assert_eq!(special_values("A value of -1 disables the memory limit.")[0].value, "-1");
        assert_eq!(special_values("The rescan can be disabled by setting the interval to 0.")[0].value, "0");
        // Ranges, versions and schema brackets are not values with a meaning.
        assert!(special_values("Linux uses 32768–60999; it never uses [0,65535] or v4.11.").is_empty());
        assert!(special_values("The TCP port that the health server should bind to.").is_empty());
        assert_eq!(special_values("Set to 0 to turn the server off.")[0].value, "0");
        assert!(special_values("Offset 0 of the table.").is_empty());
    }

    /// A pack with one resource, `Thing`, whose reference lists its fields under `Fields`;
    /// `more` is TOML added to the resource.
    fn thing_pack(more: &str) -> Pack {
        let head =
            "[[resource]]\nkind = \"Thing\"\nnames = [\"thing\"]\nreference = \"ref.json\"\nrecords = \"Fields[]\"\n";
        toml::from_str(&format!("{head}{more}")).unwrap()
    }

    #[test]
    fn special_values_are_read_from_the_reference_only() {
        let pack = thing_pack(
            r#"
            [[resource.extra_field]]
            name = "nodeSelector"
            type = "string"
            source = "Set to 0 to disable the selector."
            "#,
        );
        let text = r#"{"Fields": [{"NameYAML": "healthPort", "NameConfigFile": "HealthPort",
            "Description": "The port. Set to 0 to disable the health server."}]}"#;
        let r = Reference::parse(text, &pack.resource[0]).unwrap();
        assert_eq!(r.by_yaml("healthPort").unwrap().special("0").unwrap().value, "0");
        // A pack-declared field's description is the pack's source note, not reference text.
        assert!(r.by_yaml("nodeSelector").unwrap().special("0").is_none());
        assert_eq!(r.by_config_folded("healthport").unwrap().yaml, "healthPort");
    }

    #[test]
    fn names_are_found_as_written_and_without_case() {
        let pack = thing_pack("");
        let text = r#"{"Fields": [
            {"NameYAML": "bpfEnabled", "NameConfigFile": "BPFEnabled", "NameEnvVar": "FELIX_BPFENABLED"},
            {"NameYAML": "logLevel", "NameConfigFile": "LogSeverityScreen", "NameEnvVar": "FELIX_LOGSEVERITYSCREEN"},
            {"NameYAML": "", "NameConfigFile": "LogLevel", "NameEnvVar": "FELIX_LOGLEVEL"},
            {"NameYAML": "bpfEnabled", "NameConfigFile": "Duplicate", "NameEnvVar": ""}
        ]}"#;
        let r = Reference::parse(text, &pack.resource[0]).unwrap();
        let config = |f: Option<&Field>| f.map(|f| f.config.clone());
        // Exact names: the first field of a name; no folding.
        assert_eq!(config(r.by_yaml("bpfEnabled")), Some("BPFEnabled".into()));
        assert_eq!(config(r.by_yaml("bpfenabled")), None);
        assert_eq!(config(r.by_config("LogLevel")), Some("LogLevel".into()));
        assert_eq!(config(r.by_config("loglevel")), None);
        // Environment names without case; config-file names without case.
        assert_eq!(config(r.by_env("felix_loglevel")), Some("LogLevel".into()));
        assert_eq!(config(r.by_config_folded("logseverityscreen")), Some("LogSeverityScreen".into()));
        // Every field with a name of that spelling, in field order, each once, with the form
        // that matched: `loglevel` is field 1's spec name and field 2's config-file name.
        let folded: Vec<(String, NameForm)> = r.by_folded("LOGLEVEL").map(|(f, n)| (f.config.clone(), n)).collect();
        assert_eq!(folded, [("LogSeverityScreen".into(), NameForm::Yaml), ("LogLevel".into(), NameForm::Config)]);
        let folded: Vec<String> = r.by_folded("BPFENABLED").map(|(f, _)| f.config.clone()).collect();
        assert_eq!(folded, ["BPFEnabled", "Duplicate"]);
        assert!(r.knows("FELIX_BPFEnabled") && r.knows("bpfenabled") && !r.knows("bpf"));
    }

    #[test]
    fn literals_compare_as_numbers() {
        assert!(same_literal("0", "0s"));
        assert!(same_literal("0", "\"0\""));
        assert!(!same_literal("0", "10"));
        assert!(same_literal("-1", "-1"));
    }

    #[test]
    fn int_ranges() {
        assert_eq!(int_range("Integer: [0,65535]"), (Some(0), Some(65535)));
        assert_eq!(int_range("Integer: [-1,2^63-1]"), (Some(-1), Some(i64::MAX)));
        assert_eq!(int_range("Integer: [0,2^63-1], [9999,2^63-1]"), (None, None));
        assert_eq!(int_range("Integer"), (None, None));
    }

    #[test]
    fn availability_phrases() {
        let labels = ["Next", "3.32", "3.31", "3.30", "3.29"];
        assert_eq!(availability(&labels, &[0, 1, 2, 3], 4), "it exists from 3.30");
        assert_eq!(availability(&labels, &[2, 3, 4], 1), "it exists up to 3.31");
        assert_eq!(availability(&labels, &[2, 3], 4), "it exists from 3.30 to 3.31");
        assert_eq!(availability(&labels, &[0, 3], 4), "it exists in 3.30 and Next");
        assert_eq!(availability(&labels, &[3], 4), "it exists in 3.30");
        assert_eq!(availability(&labels, &[0], 1), "it exists from Next");
        assert_eq!(availability(&labels, &[4], 3), "it exists up to 3.29");
    }
}
