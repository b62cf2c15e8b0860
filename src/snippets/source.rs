//! Snippet sources: reading one `.mdx` file with TOML front matter into a [`Source`].
//!
//! This module owns the file format (see the README, "Snippets"): it parses the `+++` front
//! matter with spans, rejects unknown keys and malformed values with the file, line and column
//! and the closest key, and keeps the MDX body. Checking names against the site (doc sets,
//! versions, resources, fields, variables) is [`super::facts`]'s job; rendering is
//! [`super::render`]'s.

use crate::site::{ConfigError, Pos, TomlCx, toml_entries as entries};
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// A snippet source file, parsed.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file stem: `kube-proxy-healthz-port`.
    pub name: String,
    pub path: PathBuf,
    /// How generated files name the source: `.docdrift/snippets/kube-proxy-healthz-port.mdx`.
    pub label: String,
    pub text: String,
    pub description: Option<String>,
    /// The JSX name a page imports the generated partial as (`KubeProxyHealthzPort`).
    pub component: String,
    /// Where the snippet applies; empty means every version of every doc set.
    pub applies: Vec<Applies>,
    pub values: Vec<ValueDef>,
    pub variants: Vec<Variant>,
    /// The MDX after the front matter (the body of variants that give none).
    pub body: String,
    /// Byte offset of `body` in `text`.
    pub body_offset: usize,
}

#[derive(Clone, Debug)]
pub struct Applies {
    pub doc_set: Spot<String>,
    pub versions: Versions,
}

/// A value and where the source writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spot<T> {
    pub value: T,
    pub pos: Pos,
}

#[derive(Clone, Debug)]
pub enum Versions {
    All,
    List(Vec<Spot<String>>),
    /// Oldest and newest included, in the doc set's version order; `None` is open.
    Range {
        from: Option<Spot<String>>,
        to: Option<Spot<String>>,
    },
}

/// `Resource.field`, as written.
#[derive(Clone, Debug)]
pub struct FieldRef {
    pub resource: String,
    pub field: String,
    pub pos: Pos,
}

impl FieldRef {
    pub fn display(&self) -> String {
        format!("`{}` field `{}`", self.resource, self.field)
    }
}

#[derive(Clone, Debug)]
pub enum Cond {
    /// The field exists in the version's reference.
    Field(FieldRef),
    /// The version's reference documents `value` for the field ("Set to 0 to disable …").
    Documented(FieldRef, Spot<String>),
    /// The variable is defined in the version.
    Variable(Spot<String>),
    /// The version belongs to this doc set.
    DocSet(Spot<String>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

#[derive(Clone, Debug)]
pub struct ValueDef {
    pub name: String,
    pub pos: Pos,
    pub kind: ValueKind,
}

#[derive(Clone, Debug)]
pub enum ValueKind {
    /// The field's default in the version's reference.
    Default(FieldRef),
    /// The first port at or above `near` that nobody uses in the version; `for_field` is the
    /// field the port is meant for (its own default does not count as a user).
    FreePort { near: u16, for_field: Option<FieldRef> },
    /// `$[name]`, kept as a token; the variable must be defined in the version.
    Variable(Spot<String>),
}

#[derive(Clone, Debug)]
pub struct Variant {
    pub name: String,
    pub pos: Pos,
    pub when: Option<Cond>,
    /// `Some(reason)`: where this variant is chosen, the snippet does not apply.
    pub not_applicable: Option<String>,
    pub body: Option<Spot<String>>,
    /// Plain text values of this variant (`{{action}}`).
    pub text: Vec<(String, String)>,
}

const TOP_KEYS: &[&str] = &["description", "component", "applies", "values", "variant"];
const APPLIES_KEYS: &[&str] = &["doc_set", "versions"];
const RANGE_KEYS: &[&str] = &["from", "to"];
const VALUE_KEYS: &[&str] = &["default", "free_port", "for", "variable"];
const VARIANT_KEYS: &[&str] = &["name", "when", "body", "not_applicable", "text"];
const COND_KEYS: &[&str] = &["field", "documented", "value", "variable", "doc_set", "all", "any", "not"];

/// Read and parse the source at `path`; `label_dir` is how generated files name its folder.
pub fn read(path: &Path, label_dir: &str) -> Result<Source, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::new(path, 0, 0, format!("cannot read the snippet source: {e}"))
            .with_help("Make the file readable UTF-8, or remove it")
    })?;
    parse(path, label_dir, text)
}

/// The name of the source in the file `file_name`: the name without `.mdx`.
pub fn name_of(file_name: &str) -> &str {
    file_name.strip_suffix(".mdx").unwrap_or(file_name)
}

/// Parse `text`, the contents of `path`.
pub fn parse(path: &Path, label_dir: &str, text: String) -> Result<Source, ConfigError> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = name_of(&file_name).to_string();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(ConfigError::new(path, 0, 0, format!("`{file_name}` is not a usable snippet name"))
            .with_help("Name the file with letters, digits, `-` and `_`, such as `kube-proxy-healthz-port.mdx`"));
    }
    let (fm, fm_offset, body_offset) = split_front_matter(path, &text)?;
    let cx = Cx(TomlCx { path, src: &text, base: fm_offset });
    let table = DeTable::parse(fm).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        cx.err(offset..offset, format!("invalid TOML front matter: {}", e.message().trim_end()))
            .with_help("Fix the TOML syntax between the `+++` lines (see https://toml.io)")
    })?;
    let mut src = Source {
        component: pascal(&name),
        name,
        path: path.to_path_buf(),
        label: format!("{label_dir}/{file_name}"),
        description: None,
        applies: Vec::new(),
        values: Vec::new(),
        variants: Vec::new(),
        body: text[body_offset..].to_string(),
        body_offset,
        text: String::new(),
    };
    for (key, value) in entries(table.get_ref()) {
        match key.get_ref().as_ref() {
            "description" => src.description = Some(cx.string(value, "`description`")?),
            "component" => {
                let c = cx.string(value, "`component`")?;
                if !c.starts_with(|ch: char| ch.is_ascii_uppercase()) || !c.chars().all(|ch| ch.is_ascii_alphanumeric())
                {
                    return Err(cx
                        .err(value.span(), format!("`component` `{c}` is not a JSX component name"))
                        .with_help("Write a name in PascalCase, such as `KubeProxyHealthzPort`"));
                }
                src.component = c;
            }
            "applies" => {
                for t in cx.array_of_tables(value, "applies")? {
                    src.applies.push(cx.applies(t, value.span())?);
                }
            }
            "values" => {
                let t = cx.table(value, "`values`")?;
                for (k, v) in entries(t) {
                    src.values.push(cx.value_def(k, v)?);
                }
            }
            "variant" => {
                for (t, span) in cx.array_of_tables_spanned(value, "variant")? {
                    let v = cx.variant(t, span)?;
                    if let Some(prev) = src.variants.iter().find(|p| p.name == v.name) {
                        return Err(cx
                            .err_pos(v.pos, format!("variant `{}` is declared twice", v.name))
                            .with_help(format!("Rename one; the other is on line {}", prev.pos.line)));
                    }
                    src.variants.push(v);
                }
            }
            _ => return Err(cx.unknown_key(key, "in the front matter", TOP_KEYS)),
        }
    }
    if src.variants.is_empty() {
        src.variants.push(Variant {
            name: "default".to_string(),
            pos: Pos { line: 1, column: 1 },
            when: None,
            not_applicable: None,
            body: None,
            text: Vec::new(),
        });
    }
    if src.body.trim().is_empty()
        && let Some(v) = src.variants.iter().find(|v| v.not_applicable.is_none() && v.body.is_none())
    {
        return Err(cx
            .err_pos(v.pos, format!("variant `{}` has no `body` and the file has no MDX body", v.name))
            .with_help("Write the admonition after the closing `+++`, or give the variant a `body`"));
    }
    src.text = text;
    Ok(src)
}

/// `kube-proxy-healthz-port` → `KubeProxyHealthzPort`.
fn pascal(name: &str) -> String {
    let mut out = String::new();
    for part in name.split(['-', '_']).filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'S');
    }
    out
}

/// The TOML between the `+++` lines, its offset, and the offset of the body after them.
fn split_front_matter<'t>(path: &Path, text: &'t str) -> Result<(&'t str, usize, usize), ConfigError> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let first = text[..first_end].trim_end();
    if first != "+++" {
        let help = if first == "---" {
            "Snippet sources use TOML front matter: replace the `---` lines with `+++` and write TOML"
        } else {
            "Start the file with a `+++` line, the TOML declarations, and another `+++` line"
        };
        return Err(ConfigError::new(path, 1, 1, "a snippet source must start with `+++` front matter").with_help(help));
    }
    let mut at = first_end;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
        if text[at..end].trim_end() == "+++" {
            return Ok((&text[first_end..at], first_end, end));
        }
        at = end;
    }
    Err(ConfigError::new(path, 1, 1, "the front matter is not closed")
        .with_help("End the TOML declarations with a `+++` line"))
}

/// The shared TOML reader ([`TomlCx`]: positions, errors, unknown keys, wrong types), with
/// the snippet format's own readers on top.
struct Cx<'a>(TomlCx<'a>);

impl<'a> std::ops::Deref for Cx<'a> {
    type Target = TomlCx<'a>;

    fn deref(&self) -> &TomlCx<'a> {
        &self.0
    }
}

impl Cx<'_> {
    fn spot(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<Spot<String>, ConfigError> {
        Ok(Spot { value: self.string(v, what)?, pos: self.pos(v.span()) })
    }

    fn table<'v, 'i>(&self, v: &'v Spanned<DeValue<'i>>, what: &str) -> Result<&'v DeTable<'i>, ConfigError> {
        match v.get_ref() {
            DeValue::Table(t) => Ok(t),
            _ => Err(self.wrong_type(v, what, "a table")),
        }
    }

    fn field_ref(&self, v: &Spanned<DeValue<'_>>, what: &str) -> Result<FieldRef, ConfigError> {
        let s = self.string(v, what)?;
        match s.split_once('.') {
            Some((r, f)) if !r.is_empty() && !f.is_empty() => {
                Ok(FieldRef { resource: r.to_string(), field: f.to_string(), pos: self.pos(v.span()) })
            }
            _ => Err(self
                .err(v.span(), format!("{what} `{s}` does not name a resource and a field"))
                .with_help("Write `Resource.field`, such as `FelixConfiguration.bpfKubeProxyHealthzPort`")),
        }
    }

    fn applies(&self, t: &DeTable<'_>, at: Range<usize>) -> Result<Applies, ConfigError> {
        let mut doc_set = None;
        let mut versions = Versions::All;
        for (key, value) in entries(t) {
            match key.get_ref().as_ref() {
                "doc_set" => doc_set = Some(self.spot(value, "`doc_set` in [[applies]]")?),
                "versions" => versions = self.versions(value)?,
                _ => return Err(self.unknown_key(key, "in [[applies]]", APPLIES_KEYS)),
            }
        }
        let doc_set = doc_set.ok_or_else(|| {
            self.err(at, "an [[applies]] entry has no `doc_set`")
                .with_help("Add `doc_set = \"<id>\"`, the docs plugin id (`calico`)")
        })?;
        Ok(Applies { doc_set, versions })
    }

    fn versions(&self, v: &Spanned<DeValue<'_>>) -> Result<Versions, ConfigError> {
        match v.get_ref() {
            DeValue::String(s) if s.as_ref() == "all" => Ok(Versions::All),
            DeValue::Array(items) => Ok(Versions::List(
                items.iter().map(|i| self.spot(i, "each entry of `versions`")).collect::<Result<_, _>>()?,
            )),
            DeValue::Table(t) => {
                let (mut from, mut to) = (None, None);
                for (key, value) in entries(t) {
                    match key.get_ref().as_ref() {
                        "from" => from = Some(self.spot(value, "`from` in `versions`")?),
                        "to" => to = Some(self.spot(value, "`to` in `versions`")?),
                        _ => return Err(self.unknown_key(key, "in a `versions` range", RANGE_KEYS)),
                    }
                }
                Ok(Versions::Range { from, to })
            }
            _ => Err(self.wrong_type(
                v,
                "`versions`",
                "`\"all\"`, a list of version names, or a range `{ from = \"3.30\", to = \"current\" }`",
            )),
        }
    }

    fn value_def(&self, key: &Spanned<DeString<'_>>, v: &Spanned<DeValue<'_>>) -> Result<ValueDef, ConfigError> {
        let name = key.get_ref().to_string();
        let pos = self.pos(key.span());
        if !valid_name(&name) {
            return Err(self
                .err(key.span(), format!("value name `{name}` cannot be a placeholder"))
                .with_help("Use letters, digits and `_`, as in `new_port`"));
        }
        let t = self.table(v, &format!("value `{name}`"))?;
        let mut kind: Option<ValueKind> = None;
        let mut for_field = None;
        let one_kind = || {
            self.err(v.span(), format!("value `{name}` must have exactly one of `default`, `free_port`, `variable`"))
                .with_help("Split it into two values")
        };
        for (k, val) in entries(t) {
            let what = format!("`{}` of value `{name}`", k.get_ref());
            let next = match k.get_ref().as_ref() {
                "default" => ValueKind::Default(self.field_ref(val, &what)?),
                "free_port" => {
                    let near = match val.get_ref() {
                        DeValue::Integer(i) => i.as_str().parse::<u16>().ok().filter(|p| *p > 0),
                        _ => None,
                    };
                    let Some(near) = near else {
                        return Err(self.wrong_type(val, &what, "a port number (1 to 65535)"));
                    };
                    ValueKind::FreePort { near, for_field: None }
                }
                "variable" => ValueKind::Variable(self.spot(val, &what)?),
                "for" => {
                    for_field = Some(self.field_ref(val, &what)?);
                    continue;
                }
                _ => return Err(self.unknown_key(k, &format!("in value `{name}`"), VALUE_KEYS)),
            };
            if kind.is_some() {
                return Err(one_kind());
            }
            kind = Some(next);
        }
        let kind = match (kind, for_field) {
            (Some(ValueKind::FreePort { near, .. }), f) => ValueKind::FreePort { near, for_field: f },
            (Some(_), Some(f)) => {
                return Err(self
                    .err_pos(f.pos, format!("`for` in value `{name}` only goes with `free_port`"))
                    .with_help("Remove `for`"));
            }
            (Some(k), None) => k,
            (None, _) => return Err(one_kind()),
        };
        Ok(ValueDef { name, pos, kind })
    }

    fn variant(&self, t: &DeTable<'_>, at: Range<usize>) -> Result<Variant, ConfigError> {
        let mut v = Variant {
            name: String::new(),
            pos: self.pos(at.clone()),
            when: None,
            not_applicable: None,
            body: None,
            text: Vec::new(),
        };
        let mut named = false;
        for (key, value) in entries(t) {
            match key.get_ref().as_ref() {
                "name" => {
                    v.name = self.string(value, "`name` of a [[variant]]")?;
                    v.pos = self.pos(value.span());
                    named = true;
                }
                "when" => v.when = Some(self.cond(value)?),
                "body" => {
                    let mut s = self.spot(value, "`body` of a [[variant]]")?;
                    // A multi-line string starts on the line after `"""`.
                    if self.src[self.base + value.span().start..].starts_with("\"\"\"\n") {
                        s.pos.line += 1;
                        s.pos.column = 1;
                    }
                    v.body = Some(s);
                }
                "not_applicable" => v.not_applicable = Some(self.string(value, "`not_applicable`")?),
                "text" => {
                    let tt = self.table(value, "`text` of a [[variant]]")?;
                    for (k, val) in entries(tt) {
                        if !valid_name(k.get_ref()) {
                            return Err(self
                                .err(k.span(), format!("text name `{}` cannot be a placeholder", k.get_ref()))
                                .with_help("Use letters, digits and `_`"));
                        }
                        v.text.push((k.get_ref().to_string(), self.string(val, &format!("text `{}`", k.get_ref()))?));
                    }
                }
                _ => return Err(self.unknown_key(key, "in a [[variant]]", VARIANT_KEYS)),
            }
        }
        if !named {
            return Err(self
                .err(at, "a [[variant]] has no `name`")
                .with_help("Add `name = \"...\"`: generated files and `snippets show` name the variant chosen"));
        }
        if v.not_applicable.is_some() && (v.body.is_some() || !v.text.is_empty()) {
            return Err(self
                .err_pos(v.pos, format!("variant `{}` is not applicable and also has a `body` or `text`", v.name))
                .with_help("Remove `body` and `text`: a variant that does not apply renders nothing"));
        }
        Ok(v)
    }

    fn cond(&self, v: &Spanned<DeValue<'_>>) -> Result<Cond, ConfigError> {
        let t = self.table(v, "a condition")?;
        let es = entries(t);
        let keys: Vec<&str> = es.iter().map(|(k, _)| k.get_ref().as_ref()).collect();
        for (k, _) in &es {
            if !COND_KEYS.contains(&k.get_ref().as_ref()) {
                return Err(self.unknown_key(k, "in a condition", COND_KEYS));
            }
        }
        let get = |name: &str| es.iter().find(|(k, _)| k.get_ref().as_ref() == name).map(|(_, v)| *v);
        let shape_err = || {
            self.err(v.span(), format!("a condition must have exactly one kind, found {}", keys.join(", "))).with_help(
                "Write one of `{ field = \"R.f\" }`, `{ documented = \"R.f\", value = \"0\" }`, \
                 `{ variable = \"name\" }`, `{ doc_set = \"id\" }`, `{ all = [...] }`, `{ any = [...] }`, `{ not = {...} }`",
            )
        };
        let expected = if keys.contains(&"documented") { 2 } else { 1 };
        if keys.len() != expected || (keys.contains(&"value") && !keys.contains(&"documented")) {
            if keys.contains(&"documented") && !keys.contains(&"value") {
                return Err(self
                    .err(v.span(), "a `documented` condition has no `value`")
                    .with_help("Add the value the reference must document, such as `value = \"0\"`"));
            }
            return Err(shape_err());
        }
        let list = |name: &str, val: &Spanned<DeValue<'_>>| -> Result<Vec<Cond>, ConfigError> {
            let DeValue::Array(items) = val.get_ref() else {
                return Err(self.wrong_type(val, &format!("`{name}`"), "an array of conditions"));
            };
            items.iter().map(|i| self.cond(i)).collect()
        };
        Ok(if let Some(f) = get("field") {
            Cond::Field(self.field_ref(f, "`field`")?)
        } else if let Some(f) = get("documented") {
            let value = get("value").ok_or_else(shape_err)?;
            let value = match value.get_ref() {
                DeValue::Integer(i) => Spot { value: i.as_str().to_string(), pos: self.pos(value.span()) },
                _ => self.spot(value, "`value`")?,
            };
            Cond::Documented(self.field_ref(f, "`documented`")?, value)
        } else if let Some(x) = get("variable") {
            Cond::Variable(self.spot(x, "`variable`")?)
        } else if let Some(x) = get("doc_set") {
            Cond::DocSet(self.spot(x, "`doc_set`")?)
        } else if let Some(x) = get("all") {
            Cond::All(list("all", x)?)
        } else if let Some(x) = get("any") {
            Cond::Any(list("any", x)?)
        } else if let Some(x) = get("not") {
            Cond::Not(Box::new(self.cond(x)?))
        } else {
            return Err(shape_err());
        })
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Source, ConfigError> {
        parse(Path::new("s/demo.mdx"), ".docdrift/snippets", text.to_string())
    }

    #[test]
    fn unknown_keys_name_the_closest() {
        let e = parse_str("+++\n[[variant]]\nname = \"a\"\nwhn = { field = \"F.x\" }\n+++\nbody\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("did you mean `when`"), "{}", e.message);
    }

    #[test]
    fn component_names_are_pascal_case() {
        assert_eq!(pascal("kube-proxy-healthz-port"), "KubeProxyHealthzPort");
        assert_eq!(pascal("9lives"), "S9lives");
    }

    #[test]
    fn body_follows_front_matter() {
        let s = parse_str("+++\ndescription = \"x\"\n+++\n:::note\nhi\n:::\n").unwrap();
        assert_eq!(s.body, ":::note\nhi\n:::\n");
        assert_eq!(s.variants.len(), 1);
    }
}
