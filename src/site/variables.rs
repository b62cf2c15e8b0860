//! Variables for `$[name]` substitution: a static reader for Docusaurus `variables.js`, and JSON
//! data files flattened into variables.
//!
//! This module owns the [`Variables`] map, [`parse_js_module`] and the JSON flattening
//! ([`Variables::insert_json`]). [`parse_js_module`] finds the exported object literal of a
//! `variables.js` (`const variables = {...}; module.exports = variables;`, `module.exports = {...}`
//! or `export default {...}`) and keeps every property whose value is a plain string (or number)
//! literal. Nested objects are flattened with dots (`imageNames.typha`). A property whose value is
//! computed (calls, ternaries, `'a' + b`, arrays, template literals with `${}`) is recorded as
//! defined with an unknown value ([`Variables::is_unknown`]), so that `$[name]` is not reported as
//! undefined. No JavaScript is ever executed.
//!
//! One kind of identifier is followed: a binding to a relative JSON file
//! (`const releases = require('./releases.json')` or `import releases from './releases.json'`)
//! that the exported object exposes (`releases`, `releases: releases`, or a property path into it
//! such as `tigeraOperator: releases[0]['tigera-operator']`). [`Variables::read_js`] loads those
//! files and flattens them as the tigera/docs plugin walks them (`objProp`, which splits the name
//! on `.`): `releases.0.components.calico/node.version`. Where the files live and in which order
//! they are consulted is decided by [`crate::site`].

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::ConfigError;
use super::bounds::{Bounds, ReadError};

/// Variable names (dotted for nested objects) and their string values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Variables {
    /// Hashed, not ordered: a site's data files flatten to thousands of long dotted names
    /// that share their first dozens of bytes, and keeping them sorted as they were inserted
    /// cost more than all other loading of the site; the few callers that list them sort.
    map: rustc_hash::FxHashMap<String, String>,
    /// Keys whose value is computed (`a ? b : c`, `f(x)`, `'a' + b`): defined, value unknown.
    unknown: std::collections::BTreeSet<String>,
}

impl Variables {
    pub fn new() -> Variables {
        Variables::default()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(|s| s.as_str())
    }

    /// Names in sorted order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut names: Vec<&str> = self.map.keys().map(|s| s.as_str()).collect();
        names.sort_unstable();
        names.into_iter()
    }

    /// `(name, value)` pairs sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut pairs: Vec<(&str, &str)> = self.map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        pairs.into_iter()
    }

    /// Set `name`, returning the previous value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> Option<String> {
        self.map.insert(name.into(), value.into())
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Record `name` as defined with a value docdrift cannot compute statically.
    pub fn insert_unknown(&mut self, name: impl Into<String>) {
        let name = name.into();
        self.map.remove(&name);
        self.unknown.insert(name);
    }

    /// Whether `name` is defined with a computed value (see [`Variables::insert_unknown`]).
    pub fn is_unknown(&self, name: &str) -> bool {
        self.unknown.contains(name)
    }

    /// Names whose value is computed, in sorted order.
    pub fn unknown_names(&self) -> impl Iterator<Item = &str> {
        self.unknown.iter().map(|s| s.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Add the JSON `value` under `name` as the variables plugin walks it: objects and arrays are
    /// flattened with dots (`releases.0.title`), strings are kept as they are, numbers and
    /// booleans become the text JavaScript would print (`1.5`, `true`), `null` is skipped.
    /// An object key that contains a `.` is skipped with everything under it: the plugin splits
    /// the token name on `.`, so no `$[...]` can reach it. Values already under `name` are
    /// replaced, as a later property of a JavaScript object literal replaces an earlier one.
    pub fn insert_json(&mut self, name: &str, value: &serde_json::Value) {
        self.remove_under(name);
        let mut path = name.to_string();
        self.flatten_json(&mut path, value);
    }

    /// [`Variables::insert_json`] of the JSON text `src` (a byte order mark skipped, as Node's
    /// `require` does), flattened as it is parsed: a data file of a few hundred releases is
    /// tens of thousands of values, and building them as a `serde_json::Value` first, only to
    /// walk and drop it, was most of the cost of loading a site's variables. On a syntax error
    /// nothing is inserted.
    pub fn insert_json_text(&mut self, name: &str, src: &str) -> Result<(), serde_json::Error> {
        // Into an empty table (a version's first data file, as a rule) straight, rather than
        // into a second one merged in after: a pre-commit run reads every version's data files.
        // Flatten only writes `map`, so on an error emptying it leaves `self` as it was.
        let straight = self.map.is_empty();
        let mut flat = Variables::new();
        let vars = if straight { &mut *self } else { &mut flat };
        let read = flatten_json_text(Some(vars), name, src);
        if straight {
            if read.is_err() {
                self.map.clear();
            }
            return read;
        }
        read?;
        self.remove_under(name);
        self.map.extend(flat.map);
        Ok(())
    }

    /// Remove `name` and every name below it (`name.x`); every name when `name` is empty.
    fn remove_under(&mut self, name: &str) {
        if name.is_empty() {
            self.map.clear();
            return;
        }
        let nested = format!("{name}.");
        self.map.retain(|k, _| k != name && !k.starts_with(&nested));
    }

    /// Insert `value` at `path` (reused as the buffer for the names below it).
    fn flatten_json(&mut self, path: &mut String, value: &serde_json::Value) {
        use serde_json::Value;
        let mut child = |path: &mut String, key: &str, value: &Value| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
            self.flatten_json(path, value);
            path.truncate(len);
        };
        match value {
            Value::Null => {}
            Value::Bool(b) => {
                self.map.insert(path.clone(), b.to_string());
            }
            Value::Number(n) => {
                self.map.insert(path.clone(), js_number(n));
            }
            Value::String(s) => {
                self.map.insert(path.clone(), s.clone());
            }
            Value::Array(items) => {
                let mut key = String::new();
                for (i, item) in items.iter().enumerate() {
                    key.clear();
                    key.push_str(&i.to_string());
                    child(path, &key, item);
                }
            }
            Value::Object(map) => {
                for (key, item) in map.iter().filter(|(k, _)| !k.contains('.')) {
                    child(path, key, item);
                }
            }
        }
    }

    /// Read a `variables.js` file and the JSON files it exposes; see [`parse_js_module`].
    pub fn read_js(path: &Path) -> Result<Variables, ConfigError> {
        Variables::read_js_with(path, &|_| true)
    }

    /// [`Variables::read_js`], reading only the JSON files for which `may_read` is true (the
    /// others are left out, as if not exposed).
    pub fn read_js_with(path: &Path, may_read: &dyn Fn(&Path) -> bool) -> Result<Variables, ConfigError> {
        Variables::read_js_in(None, path, may_read)
    }

    /// [`Variables::read_js_with`], reading `variables.js` and its JSON files only within
    /// `bounds` (when given): a symlink or `require('../../x.json')` that leaves the site is an
    /// error.
    pub fn read_js_in(
        bounds: Option<&Bounds>,
        path: &Path,
        may_read: &dyn Fn(&Path) -> bool,
    ) -> Result<Variables, ConfigError> {
        let src = read_text(bounds, path, "`variables.js`")?;
        let module = parse_js_module(&src).map_err(|e| {
            let (line, column) = line_col(&src, e.offset);
            ConfigError::new(path, line, column, e.message).with_help(
                "docdrift reads `variables.js` without running it; keep the exported object a \
                 literal, or list the file under `ignore` and state the variables in [variables]",
            )
        })?;
        if module.json.is_empty() {
            return Ok(module.variables);
        }
        // The JSON data first, so that a literal property wins where the two would collide.
        let dir = path.parent().unwrap_or(Path::new(""));
        // The texts by file; a file is parsed into a `Value` only when a property path reaches
        // into it (one exposed whole is flattened as it is parsed).
        let mut texts: HashMap<PathBuf, String> = HashMap::new();
        let mut values: HashMap<PathBuf, serde_json::Value> = HashMap::new();
        let mut out = Variables::new();
        for m in &module.json {
            let file = dir.join(m.file.strip_prefix("./").unwrap_or(&m.file));
            if !may_read(&file) {
                continue;
            }
            if !texts.contains_key(&file) {
                if !file.is_file() {
                    return Err(ConfigError::at_offset(
                        path,
                        &src,
                        m.offset,
                        format!("`{}` does not exist, so this `variables.js` cannot load", m.file),
                    )
                    .with_help("Restore the JSON file, or list it under `ignore` in docdrift.toml"));
                }
                let text = read_text(bounds, &file, "the JSON file").map_err(|e| {
                    // Unreadable (outside the site, not a file): point at the `require`.
                    let err = ConfigError::at_offset(path, &src, m.offset, format!("`{}`: {}", m.file, e.message));
                    match e.help {
                        Some(h) => err.with_help(h),
                        None => err,
                    }
                })?;
                texts.insert(file.clone(), text);
            }
            let text = &texts[&file];
            let json_src = without_bom(text);
            if m.path.is_empty() {
                out.insert_json_text(&m.name, text).map_err(|e| json_error(&file, json_src, &e))?;
                continue;
            }
            if !values.contains_key(&file) {
                let value = serde_json::from_str(json_src).map_err(|e| json_error(&file, json_src, &e))?;
                values.insert(file.clone(), value);
            }
            if let Some(value) = walk_json(&values[&file], &m.path) {
                out.insert_json(&m.name, value);
            }
        }
        for name in &module.variables.unknown {
            // A computed property written after the data replaces it, as the literal ones do.
            out.map.remove(name);
        }
        out.map.extend(module.variables.map);
        out.unknown.extend(module.variables.unknown);
        Ok(out)
    }
}

/// The `[site.json_variables]` files of one folder: read and checked when the site loads (so a
/// broken file is an error then, as before), flattened into [`Variables`] when first looked up.
/// A commit hook's run looks up the variables of the few versions it checks, and flattening
/// every version's data files (thousands of dotted names) was a tenth of its cost.
#[derive(Debug, Default)]
pub struct JsonFiles {
    /// `(variable name, file text)` in the order read; taken when flattened.
    pending: std::sync::Mutex<Vec<(String, String)>>,
    flat: std::sync::OnceLock<Variables>,
}

impl JsonFiles {
    pub fn new() -> JsonFiles {
        JsonFiles::default()
    }

    /// Read the JSON file at `path` for `name` and check it with the reader that flattens it,
    /// so that its errors are [`Variables::insert_json_text`]'s; it is flattened when first
    /// looked up.
    pub fn add_file(&mut self, bounds: Option<&Bounds>, name: &str, path: &Path) -> Result<(), ConfigError> {
        let src = read_text(bounds, path, "the JSON file")?;
        flatten_json_text(None, name, &src).map_err(|e| json_error(path, without_bom(&src), &e))?;
        self.pending.get_mut().unwrap_or_else(|p| p.into_inner()).push((name.to_string(), src));
        Ok(())
    }

    /// The variables of the files, flattened in the order they were added.
    pub fn variables(&self) -> &Variables {
        self.flat.get_or_init(|| {
            let files = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
            let mut vars = Variables::new();
            for (name, src) in files {
                // Checked by `add_file` with the same reader: this cannot fail.
                let flattened = vars.insert_json_text(&name, &src);
                debug_assert!(flattened.is_ok(), "{flattened:?}");
            }
            vars
        })
    }
}

impl Clone for JsonFiles {
    fn clone(&self) -> JsonFiles {
        JsonFiles { pending: Default::default(), flat: self.variables().clone().into() }
    }
}

impl PartialEq for JsonFiles {
    fn eq(&self, other: &JsonFiles) -> bool {
        self.variables() == other.variables()
    }
}

impl Eq for JsonFiles {}

/// The variable maps a lookup reads, in its order: the version's `variables.js` and data files
/// (when there is a version), the site's, then `[variables]` of `docdrift.toml`. Data files are
/// flattened only when the lookup reaches them (see [`JsonFiles`]): most names are found in a
/// `variables.js` before them.
pub(crate) fn lookup_order<'a>(
    version: Option<(&'a Variables, &'a JsonFiles)>,
    (root, root_json): (&'a Variables, &'a JsonFiles),
    config: &'a Variables,
) -> impl Iterator<Item = &'a Variables> {
    version
        .map(|(vars, _)| vars)
        .into_iter()
        .chain(version.into_iter().map(|(_, json)| json.variables()))
        .chain(std::iter::once(root))
        .chain(std::iter::once_with(move || root_json.variables()))
        .chain(std::iter::once(config))
}

/// Read the JSON text `src` (a byte order mark skipped) to its end, flattening it under `name`
/// into `vars`, or only checking it when `vars` is `None`.
fn flatten_json_text(vars: Option<&mut Variables>, name: &str, src: &str) -> Result<(), serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(without_bom(src));
    let (mut path, mut seen, mut key) = (name.to_string(), Vec::new(), String::new());
    Flatten { vars, path: &mut path, seen: &mut seen, key: &mut key }.deserialize(&mut de)?;
    de.end()
}

/// Flattens JSON into [`Variables`] as it is parsed: the names and values
/// [`Variables::flatten_json`] gives the same document as a `serde_json::Value`.
struct Flatten<'a> {
    /// Where names and values go; `None` only checks the text ([`JsonFiles::add_file`]).
    vars: Option<&'a mut Variables>,
    /// The name of the value being read; names below it are pushed onto it and cut off again.
    path: &'a mut String,
    /// Hashes of the keys read so far in each object being read, innermost last.
    seen: &'a mut Vec<u64>,
    /// The key being read, reused.
    key: &'a mut String,
}

impl Flatten<'_> {
    fn leaf(self, value: impl FnOnce() -> String) {
        if let Some(vars) = self.vars {
            vars.map.insert(self.path.clone(), value());
        }
    }

    fn below(&mut self) -> Flatten<'_> {
        Flatten { vars: self.vars.as_deref_mut(), path: self.path, seen: self.seen, key: self.key }
    }
}

/// Reads an object key into a reused buffer.
struct KeyInto<'a>(&'a mut String);

impl<'de> serde::de::DeserializeSeed<'de> for KeyInto<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyInto<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        self.0.clear();
        self.0.push_str(s);
        Ok(())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Flatten<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Flatten<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<(), E> {
        self.leaf(|| b.to_string());
        Ok(())
    }

    // Numbers as a parsed `Value` holds them, then printed as for it.
    fn visit_i64<E>(self, i: i64) -> Result<(), E> {
        self.leaf(|| js_number(&i.into()));
        Ok(())
    }

    fn visit_u64<E>(self, u: u64) -> Result<(), E> {
        self.leaf(|| js_number(&u.into()));
        Ok(())
    }

    fn visit_f64<E>(self, x: f64) -> Result<(), E> {
        // Not finite: `Value` reads it as null, which is skipped.
        if let Some(n) = serde_json::Number::from_f64(x) {
            self.leaf(|| js_number(&n));
        }
        Ok(())
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        self.leaf(|| s.to_string());
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let len = self.path.len();
            if self.vars.is_some() {
                if !self.path.is_empty() {
                    self.path.push('.');
                }
                self.path.push_str(&i.to_string());
            }
            let more = seq.next_element_seed(self.below())?;
            self.path.truncate(len);
            if more.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let first = self.seen.len();
        while map.next_key_seed(KeyInto(self.key))?.is_some() {
            // A key with a dot is unreachable, and left out with what is under it.
            if self.key.contains('.') {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let len = self.path.len();
            if let Some(vars) = self.vars.as_deref_mut() {
                if !self.path.is_empty() {
                    self.path.push('.');
                }
                self.path.push_str(self.key);
                // A key written twice: the later value replaces the earlier one whole, as in a
                // parsed object, so the names the earlier one left go (its hash was seen before
                // in this object; a hash collision only costs the search).
                let h = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(self.key.as_str());
                if self.seen[first..].contains(&h) {
                    vars.remove_under(self.path);
                } else {
                    self.seen.push(h);
                }
            }
            let r = map.next_value_seed(self.below());
            self.path.truncate(len);
            r?;
        }
        self.seen.truncate(first);
        Ok(())
    }
}

/// Parse the JSON file at `path`; invalid JSON is an error at its line and column.
pub fn read_json(path: &Path) -> Result<serde_json::Value, ConfigError> {
    read_json_in(None, path)
}

/// [`read_json`] within `bounds` (when given). A byte order mark is skipped, as Node's
/// `require` does.
pub fn read_json_in(bounds: Option<&Bounds>, path: &Path) -> Result<serde_json::Value, ConfigError> {
    let src = read_text(bounds, path, "the JSON file")?;
    let src = without_bom(&src);
    serde_json::from_str(src).map_err(|e| json_error(path, src, &e))
}

/// A JSON text without its byte order mark, which Node's `require` skips.
fn without_bom(src: &str) -> &str {
    src.strip_prefix('\u{feff}').unwrap_or(src)
}

/// The text of a data file, read within `bounds` when given.
fn read_text(bounds: Option<&Bounds>, path: &Path, what: &str) -> Result<String, ConfigError> {
    let help = "Make the file readable, or list it under `ignore` in docdrift.toml";
    match bounds {
        Some(b) => b.read_to_string(path).map_err(|e| {
            let help = if matches!(e, ReadError::Io(_)) { help } else { e.help() };
            ConfigError::new(path, 0, 0, format!("cannot read {what}: {e}")).with_help(help)
        }),
        None => std::fs::read_to_string(path)
            .map_err(|e| ConfigError::new(path, 0, 0, format!("cannot read {what}: {e}")).with_help(help)),
    }
}

/// A `serde_json` error as a [`ConfigError`] with a column in characters (serde counts bytes).
pub(crate) fn json_error(path: &Path, src: &str, e: &serde_json::Error) -> ConfigError {
    let line_start = match e.line() {
        0 | 1 => 0,
        n => src.match_indices('\n').nth(n - 2).map_or(src.len(), |(i, _)| i + 1),
    };
    // Column 0 means "just after a newline": the problem ends the previous line.
    let offset = match e.column() {
        0 => line_start.saturating_sub(1),
        c => line_start + c - 1,
    };
    // serde's text ends with its own " at line L column C" (a byte column): the location says it.
    let text = e.to_string();
    let text = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m);
    ConfigError::at_offset(path, src, offset, format!("invalid JSON: {text}"))
        .with_help("Fix the JSON syntax, or list the file under `ignore` in docdrift.toml")
}

/// The value at `path` under `value` (object keys, array indices), as JavaScript property access
/// finds it.
fn walk_json<'v>(value: &'v serde_json::Value, path: &[String]) -> Option<&'v serde_json::Value> {
    path.iter().try_fold(value, |v, step| match v {
        serde_json::Value::Object(map) => map.get(step),
        serde_json::Value::Array(items) => step.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// A JSON number as JavaScript's `String(n)` prints it: `1.0` is `1`, `1e21` is `1e+21`.
fn js_number(n: &serde_json::Number) -> String {
    const SAFE: u64 = 1 << 53;
    match (n.as_i64(), n.as_u64()) {
        (Some(i), _) if i.unsigned_abs() <= SAFE => i.to_string(),
        (_, Some(u)) if u <= SAFE => u.to_string(),
        _ => js_f64(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// ECMAScript `Number::toString` for a finite `x`: the shortest round-trip digits, in plain
/// notation for exponents from -7 to 20 and in `d.ddde±n` notation otherwise.
fn js_f64(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Rust's `{:e}` prints the shortest digits that round-trip: `1.5e-7`, `1e21`.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{first}{dot}e{}{}", if e < 0 { '-' } else { '+' }, e.abs())
    };
    format!("{sign}{body}")
}

impl FromIterator<(String, String)> for Variables {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Variables {
        Variables { map: iter.into_iter().collect(), unknown: Default::default() }
    }
}

/// Why a `variables.js` could not be read; `offset` is a byte offset into the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for JsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsError {}

/// 1-based line and column (in characters) of byte offset `offset` in `src`.
pub(crate) fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(src.len());
    while !src.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A JSON file a `variables.js` exposes in its exported object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonRequire {
    /// The variable name (dotted) the data appear under: `releases`, `tigeraOperator`.
    pub name: String,
    /// The module path as written (`./releases.json`), relative to the `variables.js` folder.
    pub file: String,
    /// Property steps from the file's top value to the exposed one (`["0", "tigera-operator"]`).
    pub path: Vec<String>,
    /// Byte offset of the module path in the source, for errors.
    pub offset: usize,
}

/// What a static read of a `variables.js` finds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JsModule {
    /// The literal properties.
    pub variables: Variables,
    /// The JSON files exposed, in source order; a later literal property of the same name has
    /// already removed an earlier entry.
    pub json: Vec<JsonRequire>,
}

/// The string-valued properties of the object a `variables.js` exports (without the JSON files
/// it exposes; [`parse_js_module`] lists those).
pub fn parse_js(src: &str) -> Result<Variables, JsError> {
    parse_js_module(src).map(|m| m.variables)
}

/// The literal properties of the object a `variables.js` exports, and the JSON files it exposes.
pub fn parse_js_module(src: &str) -> Result<JsModule, JsError> {
    let tokens = Lexer::new(src).tokens()?;
    let start = find_exported_object(&tokens)?;
    let bindings = json_bindings(&tokens);
    let mut parser = Parser { tokens: &tokens, pos: start, bindings: &bindings, json: Vec::new() };
    let mut variables = Variables::new();
    parser.object("", &mut variables)?;
    Ok(JsModule { variables, json: parser.json })
}

/// Whether a module path is a JSON file next to the `variables.js` (`./x.json`, `../x.json`).
fn is_relative_json(module: &str) -> bool {
    (module.starts_with("./") || module.starts_with("../")) && module.ends_with(".json")
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// A string literal, or a template literal without substitutions, decoded.
    Str(String),
    /// A template literal with `${}` substitutions (its value is not static).
    Template,
    Num(String),
    Regex,
    /// `...`
    Spread,
    /// `=>`
    Arrow,
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    offset: usize,
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

const REGEX_AFTER_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
    "await",
];

impl<'a> Lexer<'a> {
    fn new(src: &'a str) -> Lexer<'a> {
        // A byte-order mark and a `#!` line are not part of the program.
        let pos = if src.starts_with('\u{feff}') { 3 } else { 0 };
        let pos = if src[pos..].starts_with("#!") { src[pos..].find('\n').map_or(src.len(), |i| pos + i) } else { pos };
        Lexer { src, pos }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn err<T>(&self, offset: usize, message: impl Into<String>) -> Result<T, JsError> {
        Err(JsError { offset, message: message.into() })
    }

    fn tokens(mut self) -> Result<Vec<Token>, JsError> {
        let mut out: Vec<Token> = Vec::new();
        while let Some(t) = self.next_token(out.last().map(|t| &t.tok))? {
            out.push(t);
        }
        Ok(out)
    }

    fn skip_trivia(&mut self) -> Result<(), JsError> {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() || c == '\u{feff}' => {
                    self.bump();
                }
                Some('/') if self.peek_at(1) == Some('/') => {
                    self.pos = self.src[self.pos..].find('\n').map_or(self.src.len(), |i| self.pos + i);
                }
                Some('/') if self.peek_at(1) == Some('*') => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += 2 + i + 2,
                        None => return self.err(start, "unterminated `/*` comment"),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// The next token; `prev` decides whether `/` starts a regular expression.
    fn next_token(&mut self, prev: Option<&Tok>) -> Result<Option<Token>, JsError> {
        self.skip_trivia()?;
        let offset = self.pos;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let tok = match c {
            '\'' | '"' => Tok::Str(self.string(c)?),
            '`' => self.template()?,
            '0'..='9' => Tok::Num(self.number()),
            '.' if self.peek_at(1).is_some_and(|d| d.is_ascii_digit()) => Tok::Num(self.number()),
            '.' if self.src[self.pos..].starts_with("...") => {
                self.pos += 3;
                Tok::Spread
            }
            '=' if self.peek_at(1) == Some('>') => {
                self.pos += 2;
                Tok::Arrow
            }
            '/' if regex_allowed(prev) => {
                self.regex()?;
                Tok::Regex
            }
            c if c == '_' || c == '$' || c == '\\' || c.is_alphabetic() => {
                let start = self.pos;
                while let Some(c) = self.peek() {
                    if c == '_' || c == '$' || c == '\\' || c == '\u{200c}' || c == '\u{200d}' || c.is_alphanumeric() {
                        self.bump();
                    } else {
                        break;
                    }
                }
                Tok::Ident(self.src[start..self.pos].to_string())
            }
            c => {
                self.bump();
                Tok::Punct(c)
            }
        };
        Ok(Some(Token { tok, offset }))
    }

    fn number(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let exp_sign = (c == '+' || c == '-')
                && self.src[start..self.pos].ends_with(['e', 'E'])
                && !self.src[start..self.pos].starts_with("0x")
                && !self.src[start..self.pos].starts_with("0X");
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || exp_sign {
                self.bump();
            } else {
                break;
            }
        }
        self.src[start..self.pos].to_string()
    }

    fn regex(&mut self) -> Result<(), JsError> {
        let start = self.pos;
        self.bump();
        let mut in_class = false;
        loop {
            match self.bump() {
                None | Some('\n') => return self.err(start, "unterminated regular expression"),
                Some('\\') => {
                    self.bump();
                }
                Some('[') => in_class = true,
                Some(']') => in_class = false,
                Some('/') if !in_class => break,
                Some(_) => {}
            }
        }
        while self.peek().is_some_and(|c| c.is_alphanumeric()) {
            self.bump();
        }
        Ok(())
    }

    /// A `'` or `"` string starting at the current position, decoded.
    fn string(&mut self, quote: char) -> Result<String, JsError> {
        let start = self.pos;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') | Some('\r') => {
                    return self.err(start, format!("unterminated string (missing closing {quote})"));
                }
                Some('\\') => self.escape(&mut out)?,
                Some(c) if c == quote => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    /// A template literal: [`Tok::Str`] when it has no substitutions.
    fn template(&mut self) -> Result<Tok, JsError> {
        let start = self.pos;
        self.bump();
        let mut out = String::new();
        let mut dynamic = false;
        loop {
            match self.bump() {
                None => {
                    return self.err(start, "unterminated template literal (missing closing `)");
                }
                Some('\\') => self.escape(&mut out)?,
                Some('`') => break,
                Some('$') if self.peek() == Some('{') => {
                    self.bump();
                    dynamic = true;
                    self.substitution(start)?;
                }
                // Template literals normalise CR and CRLF to LF.
                Some('\r') => {
                    if self.peek() == Some('\n') {
                        self.bump();
                    }
                    out.push('\n');
                }
                Some(c) => out.push(c),
            }
        }
        Ok(if dynamic { Tok::Template } else { Tok::Str(out) })
    }

    /// Skip the code of a `${...}` up to and including its closing brace.
    fn substitution(&mut self, template_start: usize) -> Result<(), JsError> {
        let mut depth = 0usize;
        let mut prev: Option<Tok> = None;
        loop {
            let Some(t) = self.next_token(prev.as_ref())? else {
                return self.err(template_start, "unterminated `${` in template literal");
            };
            match t.tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') if depth == 0 => return Ok(()),
                Tok::Punct('}') => depth -= 1,
                _ => {}
            }
            prev = Some(t.tok);
        }
    }

    /// Decode the escape after a backslash (already consumed) into `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), JsError> {
        let at = self.pos - 1;
        let Some(c) = self.bump() else {
            return self.err(at, "unterminated string (backslash at end of file)");
        };
        match c {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '0' if !self.peek().is_some_and(|d| d.is_ascii_digit()) => out.push('\0'),
            // Line continuation.
            '\n' | '\u{2028}' | '\u{2029}' => {}
            '\r' => {
                if self.peek() == Some('\n') {
                    self.bump();
                }
            }
            'x' => {
                let code = self.hex_digits(2, at)?;
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            'u' => {
                let code = self.unicode_escape(at)?;
                if (0xd800..0xdc00).contains(&code) && self.src[self.pos..].starts_with("\\u") {
                    // A surrogate pair written as two escapes.
                    let save = self.pos;
                    self.pos += 2;
                    let low = self.unicode_escape(at)?;
                    if (0xdc00..0xe000).contains(&low) {
                        let c = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                        return Ok(());
                    }
                    self.pos = save;
                }
                out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            // Legacy octal escapes and everything else stand for themselves here.
            c => out.push(c),
        }
        Ok(())
    }

    fn unicode_escape(&mut self, at: usize) -> Result<u32, JsError> {
        if self.peek() == Some('{') {
            self.bump();
            let start = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                self.bump();
            }
            let digits = &self.src[start..self.pos];
            if self.bump() != Some('}') || digits.is_empty() {
                return self.err(at, "invalid `\\u{...}` escape");
            }
            match u32::from_str_radix(digits, 16) {
                Ok(v) if v <= 0x10ffff => Ok(v),
                _ => self.err(at, "invalid `\\u{...}` escape (above U+10FFFF)"),
            }
        } else {
            self.hex_digits(4, at)
        }
    }

    fn hex_digits(&mut self, n: usize, at: usize) -> Result<u32, JsError> {
        let digits = self.src.get(self.pos..self.pos + n).filter(|d| d.chars().all(|c| c.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) => {
                self.pos += n;
                Ok(v)
            }
            None => self.err(at, format!("invalid escape: expected {n} hexadecimal digits")),
        }
    }
}

fn regex_allowed(prev: Option<&Tok>) -> bool {
    match prev {
        None => true,
        Some(Tok::Ident(w)) => REGEX_AFTER_KEYWORDS.contains(&w.as_str()),
        Some(Tok::Str(_) | Tok::Template | Tok::Num(_) | Tok::Regex) => false,
        Some(Tok::Punct(')' | ']' | '}')) => false,
        Some(_) => true,
    }
}

// ---------------------------------------------------------------------------------------------
// Finding the exported object

fn is_ident(t: Option<&Token>, name: &str) -> bool {
    matches!(t, Some(Token { tok: Tok::Ident(w), .. }) if w == name)
}

fn is_punct(t: Option<&Token>, c: char) -> bool {
    matches!(t, Some(Token { tok: Tok::Punct(p), .. }) if *p == c)
}

/// The index of the `{` that opens the exported object.
fn find_exported_object(tokens: &[Token]) -> Result<usize, JsError> {
    // (index of the exported value, offset of the export statement); the last export wins.
    let mut export: Option<(usize, usize)> = None;
    for i in 0..tokens.len() {
        let t = |k: usize| tokens.get(i + k);
        if is_ident(t(0), "module")
            && is_punct(t(1), '.')
            && is_ident(t(2), "exports")
            && is_punct(t(3), '=')
            && !is_punct(t(4), '=')
            && !(i > 0 && is_punct(tokens.get(i - 1), '.'))
        {
            export = Some((i + 4, tokens[i].offset));
        } else if is_ident(t(0), "export") && is_ident(t(1), "default") {
            export = Some((i + 2, tokens[i].offset));
        }
    }
    let Some((value, at)) = export else {
        return Err(JsError {
            offset: 0,
            message: "no exported object: expected `module.exports = {...}`, `module.exports = variables` \
                      or `export default {...}`"
                .into(),
        });
    };
    let mut value = value;
    // `export default (...)` and `module.exports = ({...})`.
    while is_punct(tokens.get(value), '(') {
        value += 1;
    }
    match tokens.get(value) {
        Some(Token { tok: Tok::Punct('{'), .. }) => Ok(value),
        Some(Token { tok: Tok::Ident(name), .. })
            if matches!(tokens.get(value + 1).map(|t| &t.tok), Some(Tok::Punct('(' | '.' | '[' | '?'))) =>
        {
            Err(JsError {
                offset: tokens[value].offset,
                message: format!("the exported value is computed (`{name}...`), not an object literal"),
            })
        }
        Some(Token { tok: Tok::Ident(name), .. }) => find_declaration(tokens, name).ok_or_else(|| JsError {
            offset: tokens[value].offset,
            message: format!("the exported `{name}` is not declared as an object literal (`const {name} = {{...}}`)"),
        }),
        Some(t) => Err(JsError { offset: t.offset, message: "the exported value is not an object literal".into() }),
        None => Err(JsError { offset: at, message: "the export has no value".into() }),
    }
}

/// The `{` of `const|let|var <name> = {`, preferring a declaration at the top level.
fn find_declaration(tokens: &[Token], name: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut nested: Option<usize> = None;
    for i in 0..tokens.len() {
        match &tokens[i].tok {
            Tok::Punct('{' | '(' | '[') => depth += 1,
            Tok::Punct('}' | ')' | ']') => depth = depth.saturating_sub(1),
            Tok::Ident(kw)
                if matches!(kw.as_str(), "const" | "let" | "var")
                    && is_ident(tokens.get(i + 1), name)
                    && is_punct(tokens.get(i + 2), '=') =>
            {
                let mut v = i + 3;
                while is_punct(tokens.get(v), '(') {
                    v += 1;
                }
                if is_punct(tokens.get(v), '{') {
                    if depth == 0 {
                        return Some(v);
                    }
                    nested.get_or_insert(v);
                }
            }
            _ => {}
        }
    }
    nested
}

/// Identifiers bound to a relative JSON file at the top of the module, with the module path and
/// its offset: `const|let|var <name> = require('<file>.json')` (the whole initializer) and
/// `import <name> from '<file>.json'`. The first binding of a name wins.
fn json_bindings(tokens: &[Token]) -> HashMap<String, (String, usize)> {
    let mut out: HashMap<String, (String, usize)> = HashMap::new();
    let tok = |i: usize| tokens.get(i).map(|t| &t.tok);
    for i in 0..tokens.len() {
        let found = match (tok(i), tok(i + 1), tok(i + 2), tok(i + 3)) {
            (Some(Tok::Ident(kw)), Some(Tok::Ident(name)), Some(Tok::Punct('=')), Some(Tok::Ident(req)))
                if matches!(kw.as_str(), "const" | "let" | "var")
                    && req == "require"
                    && is_punct(tokens.get(i + 4), '(')
                    && is_punct(tokens.get(i + 6), ')')
                    && !matches!(tok(i + 7), Some(Tok::Punct('.' | '[' | '(' | '?'))) =>
            {
                match tok(i + 5) {
                    Some(Tok::Str(module)) => Some((name, module, i + 5)),
                    _ => None,
                }
            }
            (Some(Tok::Ident(kw)), Some(Tok::Ident(name)), Some(Tok::Ident(from)), Some(Tok::Str(module)))
                if kw == "import" && from == "from" =>
            {
                Some((name, module, i + 3))
            }
            _ => None,
        };
        if let Some((name, module, at)) = found
            && is_relative_json(module)
        {
            out.entry(name.clone()).or_insert_with(|| (module.clone(), tokens[at].offset));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Reading an object literal

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    /// Identifiers bound to JSON files ([`json_bindings`]).
    bindings: &'t HashMap<String, (String, usize)>,
    /// The JSON files exposed so far.
    json: Vec<JsonRequire>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, n: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + n).map(|t| &t.tok)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or_else(|| self.tokens.last().map_or(0, |t| t.offset), |t| t.offset)
    }

    fn at_end_of_value(&self) -> bool {
        matches!(self.peek(), Some(Tok::Punct(',' | '}')))
    }

    /// Read the object literal at `pos` (a `{`), adding its properties under `prefix`.
    fn object(&mut self, prefix: &str, vars: &mut Variables) -> Result<(), JsError> {
        let open = self.offset();
        self.pos += 1;
        loop {
            let Some(tok) = self.peek().cloned() else {
                return Err(JsError { offset: open, message: "unclosed `{`: the object literal never ends".into() });
            };
            match tok {
                Tok::Punct('}') => {
                    self.pos += 1;
                    return Ok(());
                }
                Tok::Punct(',') => self.pos += 1,
                Tok::Spread => {
                    self.pos += 1;
                    self.skip_expression()?;
                }
                _ => self.property(prefix, vars)?,
            }
        }
    }

    /// One `key: value` (or method, getter, shorthand) entry.
    fn property(&mut self, prefix: &str, vars: &mut Variables) -> Result<(), JsError> {
        // Accessors, async and generator methods: `get x() {}`, `async x() {}`, `*x() {}`.
        if let Some(Tok::Ident(w)) = self.peek()
            && matches!(w.as_str(), "get" | "set" | "async")
            && !matches!(self.peek_at(1), Some(Tok::Punct(':' | '(' | ',' | '}' | '=')) | None)
        {
            self.pos += 1;
        }
        if self.peek() == Some(&Tok::Punct('*')) {
            self.pos += 1;
        }
        let key_offset = self.offset();
        let shorthand_ident = match self.peek() {
            Some(Tok::Ident(k)) => Some(k.clone()),
            _ => None,
        };
        let key = match self.peek().cloned() {
            Some(Tok::Ident(k)) | Some(Tok::Str(k)) | Some(Tok::Num(k)) => {
                self.pos += 1;
                Some(k)
            }
            Some(Tok::Punct('[')) => {
                // A computed key: its name is not static.
                self.skip_balanced()?;
                None
            }
            _ => {
                return Err(JsError {
                    offset: key_offset,
                    message: "expected a property name in the object literal".into(),
                });
            }
        };
        let name = key.map(|k| if prefix.is_empty() { k } else { format!("{prefix}.{k}") });
        if let Some(name) = &name {
            // A later property replaces an earlier one of the same name, nested values included.
            let nested = format!("{name}.");
            vars.map.retain(|k, _| k != name && !k.starts_with(&nested));
            vars.unknown.retain(|k| k != name && !k.starts_with(&nested));
            self.json.retain(|j| j.name != *name && !j.name.starts_with(&nested));
        }
        match self.peek() {
            Some(Tok::Punct(':')) => {
                self.pos += 1;
                self.value(name.as_deref(), vars)
            }
            // A method: `name(args) { body }`.
            Some(Tok::Punct('(')) => {
                self.skip_balanced()?;
                if self.peek() == Some(&Tok::Punct('{')) {
                    self.skip_balanced()?;
                }
                if let Some(name) = name {
                    vars.insert_unknown(name);
                }
                Ok(())
            }
            // Shorthand `{ releases }` refers to a variable: static only when it is bound to JSON.
            Some(Tok::Punct(',' | '}')) => {
                if let (Some(name), Some(ident)) = (&name, shorthand_ident)
                    && let Some((file, offset)) = self.bindings.get(&ident)
                {
                    self.json.push(JsonRequire {
                        name: name.clone(),
                        file: file.clone(),
                        path: Vec::new(),
                        offset: *offset,
                    });
                } else if let Some(name) = name {
                    // Bound to something computed: defined, value unknown.
                    vars.insert_unknown(name);
                }
                Ok(())
            }
            _ => {
                if let Some(name) = name {
                    vars.insert_unknown(name);
                }
                self.skip_expression()
            }
        }
    }

    fn value(&mut self, name: Option<&str>, vars: &mut Variables) -> Result<(), JsError> {
        let start = self.pos;
        match (self.peek().cloned(), name) {
            (Some(Tok::Str(s)), Some(name)) => {
                self.pos += 1;
                if self.at_end_of_value() {
                    vars.insert(name, s);
                    return Ok(());
                }
            }
            (Some(Tok::Num(n)), Some(name)) => {
                self.pos += 1;
                if self.at_end_of_value() {
                    vars.insert(name, n);
                    return Ok(());
                }
            }
            (Some(Tok::Punct('-')), Some(name)) if matches!(self.peek_at(1), Some(Tok::Num(_))) => {
                self.pos += 1;
                if let Some(Tok::Num(n)) = self.peek().cloned() {
                    self.pos += 1;
                    if self.at_end_of_value() {
                        vars.insert(name, format!("-{n}"));
                        return Ok(());
                    }
                }
            }
            (Some(Tok::Punct('{')), Some(name)) => {
                let mut nested = Variables::new();
                let json_before = self.json.len();
                self.object(name, &mut nested)?;
                if self.at_end_of_value() {
                    vars.map.extend(nested.map);
                    vars.unknown.extend(nested.unknown);
                    return Ok(());
                }
                self.json.truncate(json_before);
            }
            (Some(Tok::Ident(_)), Some(name)) => {
                if let Some(json) = self.json_path(name)
                    && self.at_end_of_value()
                {
                    self.json.push(json);
                    return Ok(());
                }
            }
            _ => {}
        }
        // Not a plain literal (`'a' + b`, `f()`, `x.y`, `[...]`): the key is defined, its value
        // is not known statically.
        self.pos = start;
        if let Some(name) = name {
            vars.insert_unknown(name);
        }
        self.skip_expression()
    }

    /// A property path into a JSON file, read from `pos` on: a JSON binding or an inline
    /// `require('./x.json')`, then any `.key`, `['key']` and `[0]` steps. `None` (with `pos`
    /// anywhere) when the expression is something else.
    fn json_path(&mut self, name: &str) -> Option<JsonRequire> {
        let (file, offset) = match self.peek() {
            Some(Tok::Ident(req))
                if req == "require"
                    && self.peek_at(1) == Some(&Tok::Punct('('))
                    && self.peek_at(3) == Some(&Tok::Punct(')')) =>
            {
                let Some(Tok::Str(module)) = self.peek_at(2) else {
                    return None;
                };
                let offset = self.tokens[self.pos + 2].offset;
                let module = module.clone();
                self.pos += 4;
                is_relative_json(&module).then_some((module, offset))?
            }
            Some(Tok::Ident(ident)) => {
                let found = self.bindings.get(ident).cloned()?;
                self.pos += 1;
                found
            }
            _ => return None,
        };
        let mut path = Vec::new();
        loop {
            match (self.peek(), self.peek_at(1), self.peek_at(2)) {
                (Some(Tok::Punct('.')), Some(Tok::Ident(key)), _) => {
                    path.push(key.clone());
                    self.pos += 2;
                }
                (Some(Tok::Punct('[')), Some(Tok::Str(key)), Some(Tok::Punct(']'))) => {
                    path.push(key.clone());
                    self.pos += 3;
                }
                // A plain decimal index (`[0]`; not `[1.0]` or legacy octal `[010]`).
                (Some(Tok::Punct('[')), Some(Tok::Num(n)), Some(Tok::Punct(']')))
                    if n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0')) =>
                {
                    path.push(n.clone());
                    self.pos += 3;
                }
                _ => break,
            }
        }
        Some(JsonRequire { name: name.to_string(), file, path, offset })
    }

    /// Skip to the `,` or `}` that ends the current property value.
    fn skip_expression(&mut self) -> Result<(), JsError> {
        while !self.at_end_of_value() {
            match self.peek() {
                None => {
                    return Err(JsError {
                        offset: self.offset(),
                        message: "unexpected end of file inside the object literal".into(),
                    });
                }
                Some(Tok::Punct('{' | '(' | '[')) => self.skip_balanced()?,
                Some(Tok::Punct(c @ (')' | ']'))) => {
                    let c = *c;
                    return Err(JsError { offset: self.offset(), message: format!("unbalanced `{c}`") });
                }
                Some(_) => self.pos += 1,
            }
        }
        Ok(())
    }

    /// Skip a bracketed group starting at `pos` (`(`, `[` or `{`), including its closer.
    fn skip_balanced(&mut self) -> Result<(), JsError> {
        let open_at = self.offset();
        let mut stack: Vec<char> = Vec::new();
        loop {
            let Some(tok) = self.peek() else {
                let open = stack.first().copied().unwrap_or('{');
                return Err(JsError { offset: open_at, message: format!("unclosed `{open}`") });
            };
            match tok {
                Tok::Punct(c @ ('(' | '[' | '{')) => stack.push(*c),
                Tok::Punct(c @ (')' | ']' | '}')) => {
                    let want = match stack.pop() {
                        Some('(') => ')',
                        Some('[') => ']',
                        _ => '}',
                    };
                    if *c != want {
                        return Err(JsError {
                            offset: self.offset(),
                            message: format!("expected `{want}`, found `{c}`"),
                        });
                    }
                }
                _ => {}
            }
            self.pos += 1;
            if stack.is_empty() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::testing::write;

    fn vars(src: &str) -> Vec<(String, String)> {
        match parse_js(src) {
            Ok(v) => v.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            Err(e) => panic!("{e:?}"),
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn const_then_module_exports() {
        let src = "// comment\nconst variables = {\n  prodname: 'Calico',\n  'calico/node': \"calico/node\",\n  imageNames: { typha: 'calico/typha', 'calico/cni': `calico/cni` },\n};\nmodule.exports = variables;\n";
        assert_eq!(
            vars(src),
            pairs(&[
                ("calico/node", "calico/node"),
                ("imageNames.calico/cni", "calico/cni"),
                ("imageNames.typha", "calico/typha"),
                ("prodname", "Calico"),
            ])
        );
    }

    #[test]
    fn module_exports_literal_and_export_default() {
        assert_eq!(vars("module.exports = { a: 'x' };"), pairs(&[("a", "x")]));
        assert_eq!(vars("export default { a: 'x', b: 2 };"), pairs(&[("a", "x"), ("b", "2")]));
        assert_eq!(vars("const v = {a: 'y'};\nexport default v;"), pairs(&[("a", "y")]));
        assert_eq!(vars("module.exports = ({ a: 'x' });"), pairs(&[("a", "x")]));
    }

    #[test]
    fn skips_computed_values_like_the_real_tigera_files() {
        let src = r#"const releases = require('./releases.json');
const getVersion = (releases) => {
  return releases[0].title === 'master' ? 'master' : releases[0].calico.minor_version;
};
const V = getVersion(releases);
const variables = {
  /* block
     comment { not a brace */
  releaseTitle: 'master',
  manifestsUrl: 'https://example.net', //Replace with hashrelease
  releases,
  version: V,
  tigeraOperator: releases[0]['tigera-operator'],
  short: releases[0]['tigera-operator'].version.split('.').slice(0, 2).join('.'),
  ppa: getPPARepoName(V),
  chart: `${releases[0].title}${helm ? `-${helm}` : ''}`,
  docsPathPrefix: ['/docs/calico-cloud/', '/docs/_includes/calico-cloud/'],
  joined: 'a' + 'b',
  re: /}{'/g,
  flag: true,
  nothing: null,
  fn: () => { return { a: 'b' }; },
  method() { return 'x'; },
  get getter() { return 'y'; },
  [computed]: 'z',
  ...spread,
  tail: 'end',
};
module.exports = variables;
"#;
        assert_eq!(
            vars(src),
            pairs(&[("manifestsUrl", "https://example.net"), ("releaseTitle", "master"), ("tail", "end")])
        );
        // The computed ones are defined, with values only JavaScript knows.
        let all = parse_js(src).unwrap();
        let unknown: Vec<&str> = all.unknown_names().collect();
        assert_eq!(
            unknown,
            [
                "chart",
                "docsPathPrefix",
                "flag",
                "fn",
                "getter",
                "joined",
                "method",
                "nothing",
                "ppa",
                "re",
                "short",
                "version"
            ]
        );
        assert!(all.get("short").is_none() && all.is_unknown("short"));
    }

    #[test]
    fn computed_values_in_nested_objects_are_defined() {
        let all = parse_js(
            "import { image } from './lib';\nmodule.exports = { img: { node: image('node', v), cli: 'x/cli' }, \
             pre: beta ? '-rc' : '', url: 'https://h/' + v, img2: { a: 'b' }.a };",
        )
        .unwrap();
        assert_eq!(all.iter().collect::<Vec<_>>(), [("img.cli", "x/cli")]);
        assert_eq!(all.unknown_names().collect::<Vec<_>>(), ["img.node", "img2", "pre", "url"]);
        // A later literal replaces an earlier computed property, and the other way round.
        let later = parse_js("module.exports = { a: f(), b: 'x', a: 'lit', b: g() };").unwrap();
        assert_eq!((later.get("a"), later.is_unknown("a")), (Some("lit"), false));
        assert_eq!((later.get("b"), later.is_unknown("b")), (None, true));
    }

    #[test]
    fn decodes_escapes() {
        let src = r#"module.exports = {
  win: 'C:\\CalicoWindows',
  q: 'it\'s',
  dq: "say \"hi\"",
  nl: 'a\nb\tc',
  hex: '\x41\u0042\u{43}',
  pair: '\uD83D\uDE00',
  cont: 'a\
b',
  tpl: `multi
line`,
};"#;
        assert_eq!(
            vars(src),
            pairs(&[
                ("cont", "ab"),
                ("dq", "say \"hi\""),
                ("hex", "ABC"),
                ("nl", "a\nb\tc"),
                ("pair", "😀"),
                ("q", "it's"),
                ("tpl", "multi\nline"),
                ("win", "C:\\CalicoWindows"),
            ])
        );
    }

    #[test]
    fn later_properties_replace_earlier_ones() {
        let src = "module.exports = { a: { b: 'x', c: 'y' }, a: 'z', d: 'w', d: { e: 'v' } };";
        assert_eq!(vars(src), pairs(&[("a", "z"), ("d.e", "v")]));
        // A property whose value is not static still hides an earlier static one.
        assert_eq!(vars("module.exports = { a: 'x', a: f() };"), pairs(&[]));
    }

    #[test]
    fn numbers_are_kept_as_written() {
        assert_eq!(
            vars("module.exports = { port: 5473, neg: -1, f: 1.5e3 };"),
            pairs(&[("f", "1.5e3"), ("neg", "-1"), ("port", "5473")])
        );
    }

    #[test]
    fn the_last_export_wins() {
        assert_eq!(vars("module.exports = { a: 'x' };\nmodule.exports = { b: 'y' };"), pairs(&[("b", "y")]));
    }

    #[test]
    fn errors_name_the_line() {
        let err = |src: &str| {
            let e = parse_js(src).expect_err("should fail");
            (line_col(src, e.offset), e.message)
        };
        let (pos, msg) = err("const variables = {\n  a: 'unterminated,\n};\nmodule.exports = variables;");
        assert_eq!(pos, (2, 6));
        assert!(msg.contains("unterminated string"), "{msg}");

        let (pos, msg) = err("const x = 1;\n");
        assert_eq!(pos, (1, 1));
        assert!(msg.contains("no exported object"), "{msg}");

        let (pos, msg) = err("module.exports = {\n  a: {\n    b: 'c',\n");
        assert_eq!(pos, (2, 6));
        assert!(msg.contains("unclosed"), "{msg}");

        let (pos, msg) = err("const a = 1;\nmodule.exports = variables;");
        assert_eq!(pos, (2, 18));
        assert!(msg.contains("`variables`"), "{msg}");

        let (pos, _) = err("module.exports = require('./x');");
        assert_eq!(pos, (1, 18));

        let (pos, msg) = err("module.exports = { a: 'b' /* open");
        assert_eq!(pos, (1, 27));
        assert!(msg.contains("comment"), "{msg}");
    }

    #[test]
    fn read_js_reports_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("variables.js");
        std::fs::write(&path, "module.exports = {\n  a: 'x\n};\n").expect("write");
        let e = Variables::read_js(&path).expect_err("should fail");
        assert_eq!((e.line, e.column), (2, 6));
        let shown = e.to_string();
        assert!(shown.starts_with(&format!("{}:2:6: unterminated string", path.display())), "{shown}");
        let missing = Variables::read_js(&dir.path().join("nope.js")).expect_err("should fail");
        assert!(missing.to_string().contains("cannot read"), "{missing}");
    }

    fn json(src: &str) -> serde_json::Value {
        serde_json::from_str(src).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn json_is_flattened_as_the_plugin_walks_it() {
        let mut v = Variables::new();
        v.insert("keep", "me");
        v.insert("data.stale", "replaced");
        v.insert("data", "replaced too");
        let data = json(
            r#"[
              {"title": "v2.1", "parts": {"web/server": {"tag": "v2.1.0"}, "cli": {"tag": "v2.1.1"}},
               "count": 3, "ratio": 0.5, "whole": 2.0, "big": 1e21, "tiny": 1e-7, "neg": -12,
               "on": true, "off": false, "none": null, "dotted.key": "unreachable",
               "list": ["a", ["b", "c"], {"d": "e"}], "empty": {}, "blank": ""},
              "second"
            ]"#,
        );
        v.insert_json("data", &data);
        let got: Vec<(&str, &str)> = v.iter().collect();
        assert_eq!(
            got,
            [
                ("data.0.big", "1e+21"),
                ("data.0.blank", ""),
                ("data.0.count", "3"),
                ("data.0.list.0", "a"),
                ("data.0.list.1.0", "b"),
                ("data.0.list.1.1", "c"),
                ("data.0.list.2.d", "e"),
                ("data.0.neg", "-12"),
                ("data.0.off", "false"),
                ("data.0.on", "true"),
                ("data.0.parts.cli.tag", "v2.1.1"),
                ("data.0.parts.web/server.tag", "v2.1.0"),
                ("data.0.ratio", "0.5"),
                ("data.0.tiny", "1e-7"),
                ("data.0.title", "v2.1"),
                ("data.0.whole", "2"),
                ("data.1", "second"),
                ("keep", "me"),
            ]
        );
        // A scalar at the top is the variable itself.
        v.insert_json("keep", &json(r#""new""#));
        assert_eq!(v.get("keep"), Some("new"));
    }

    #[test]
    fn json_text_flattens_as_a_parsed_value_does() {
        let docs = [
            r#"[{"title": "v2.1", "parts": {"web/server": {"tag": "v2.1.0"}, "cli": {"tag": "v2.1.1"}},
                "count": 3, "ratio": 0.5, "whole": 2.0, "big": 1e21, "tiny": 1e-7, "neg": -12,
                "huge": 18446744073709551615, "on": true, "none": null, "dotted.key": {"a": "b"},
                "list": ["a", ["b", "c"], {"d": "e"}], "empty": {}, "blank": "", "esc\u0061ped": "x\ny"},
               "second"]"#,
            // A key written twice: the later value replaces the earlier one whole.
            r#"{"a": {"x": "1", "y": {"z": "2"}}, "b": "keep", "a": {"y": "3"}}"#,
            r#"{"a": "1", "a": {"b": "2"}, "c": {"d": [1, 2], "d": []}}"#,
            r#"{"a": {"x": "1"}, "a.x": "dotted", "a": {"x": "2"}}"#,
            "\u{feff}\"scalar\"",
            "12.5",
            "null",
            "{}",
        ];
        for name in ["data", "", "a.b"] {
            for doc in docs {
                let mut want = Variables::new();
                want.insert("keep", "me");
                want.insert(format!("{name}.stale"), "replaced");
                let mut got = want.clone();
                want.insert_json(name, &json(doc.trim_start_matches('\u{feff}')));
                got.insert_json_text(name, doc).unwrap_or_else(|e| panic!("{doc}: {e}"));
                assert_eq!(got, want, "{name:?} {doc}");
            }
        }
        // Invalid JSON: the error, and nothing inserted.
        let mut v = Variables::new();
        v.insert("data.keep", "me");
        let e = v.insert_json_text("data", "{\"a\": [1, 2,}").unwrap_err();
        assert_eq!(
            e.to_string(),
            serde_json::from_str::<serde_json::Value>("{\"a\": [1, 2,}").unwrap_err().to_string()
        );
        assert_eq!(v.iter().collect::<Vec<_>>(), [("data.keep", "me")]);
        // The same into an empty table (read straight in): still nothing inserted.
        let mut empty = Variables::new();
        assert!(empty.insert_json_text("data", "{\"a\": 1, \"b\": [1, 2,}").is_err());
        assert_eq!(empty.iter().count(), 0);
        assert!(empty.insert_json_text("data", "{\"a\": 1} 2").is_err(), "trailing characters");
        assert_eq!(empty.iter().count(), 0);
    }

    #[test]
    fn json_files_check_when_added_and_flatten_when_looked_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let texts = [
            r#"[{"title": "v2", "parts": {"web": {"tag": "v2.0"}}, "n": 1.5, "on": true, "a.b": 1}]"#,
            "\u{feff}{\"a\": 1, \"a\": {\"b\": \"2\"}}",
        ];
        let mut files = JsonFiles::new();
        let mut want = Variables::new();
        for (k, text) in texts.iter().enumerate() {
            let path = write(dir.path(), &format!("d{k}.json"), text);
            files.add_file(None, "data", &path).unwrap_or_else(|e| panic!("{e}"));
            want.insert_json_text("data", text).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(files.flat.get().is_none(), "nothing flattened before a lookup");
        assert_eq!(files.variables(), &want);
        assert_eq!(files.variables().get("data.a.b"), Some("2"));
        assert_eq!(files.clone(), files);

        // What the reader rejects is an error when the file is added, the same error as for
        // a file inserted at once; numbers JavaScript cannot hold included.
        for (k, text) in
            ["{\"a\": [1, 2,}", "{\"a\": 1e400}", "{\"a\": \"\\x\"}", "{} 2", "{\"a\": 1"].into_iter().enumerate()
        {
            let path = write(dir.path(), &format!("bad{k}.json"), text);
            let got = JsonFiles::new().add_file(None, "data", &path).map(|()| "ok".to_string());
            let want = Variables::new()
                .insert_json_text("data", text)
                .map(|()| "ok".to_string())
                .map_err(|e| json_error(&path, without_bom(text), &e));
            assert_eq!(got.map_err(|e| e.to_string()), want.map_err(|e| e.to_string()), "{text}");
        }
        let path = write(dir.path(), "bad.json", "{\n  \"a\": [1, 2,}");
        let e = JsonFiles::new().add_file(None, "data", &path).unwrap_err();
        assert_eq!((e.line, e.column), (2, 14), "{e}");
    }

    #[test]
    fn json_numbers_print_as_javascript_does() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("1.0", "1"),
            ("1.50", "1.5"),
            ("123e-2", "1.23"),
            ("100e18", "100000000000000000000"),
            ("1e21", "1e+21"),
            ("1.25e22", "1.25e+22"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1e-7"),
            ("-2.5e-9", "-2.5e-9"),
            ("9007199254740993", "9007199254740992"),
            ("-9007199254740992", "-9007199254740992"),
            ("18446744073709551615", "18446744073709552000"),
        ];
        for (text, want) in cases {
            let serde_json::Value::Number(n) = json(text) else { panic!("{text} is a number") };
            assert_eq!(js_number(&n), want, "{text}");
        }
    }

    #[test]
    fn requires_of_json_files_are_followed_when_exposed() {
        let src = r#"
const catalog = require("./catalog.json");
import extras from '../shared/extras.json' with { type: 'json' };
const helper = require('./helper');
const firstItems = require('./lazy.json').items;
var later = require('./later.json');
function pick(x) { return x; }
module.exports = {
  catalog,
  alias: catalog,
  first: catalog[0]["a-b"].c,
  inline: require('./inline.json'),
  nested: { deep: extras.list[2], word: 'w' },
  helperValue: helper,
  lazy: firstItems,
  computed: catalog.slice(1),
  called: pick(catalog),
  octal: catalog[010],
  replaced: catalog,
  replaced: 'literal',
  later,
  url: 'https://example.org',
};
"#;
        let m = parse_js_module(src).unwrap_or_else(|e| panic!("{e:?}"));
        let at = |needle: &str| src.find(needle).unwrap_or_else(|| panic!("{needle}"));
        let req = |name: &str, file: &str, path: &[&str], offset: usize| JsonRequire {
            name: name.into(),
            file: file.into(),
            path: path.iter().map(|s| s.to_string()).collect(),
            offset,
        };
        assert_eq!(
            m.json,
            [
                req("catalog", "./catalog.json", &[], at("\"./catalog.json")),
                req("alias", "./catalog.json", &[], at("\"./catalog.json")),
                req("first", "./catalog.json", &["0", "a-b", "c"], at("\"./catalog.json")),
                req("inline", "./inline.json", &[], at("'./inline.json")),
                req("nested.deep", "../shared/extras.json", &["list", "2"], at("'../shared/extras.json")),
                req("later", "./later.json", &[], at("'./later.json")),
            ]
        );
        assert_eq!(
            m.variables.iter().collect::<Vec<_>>(),
            [("nested.word", "w"), ("replaced", "literal"), ("url", "https://example.org")]
        );
        // `parse_js` is the literal part alone.
        assert_eq!(parse_js(src).map(|v| v.len()), Ok(3));
    }

    #[test]
    fn read_js_loads_the_exposed_json() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        write(d, "catalog.json", r#"{"items": [{"name": "one", "size": 1}], "name": "from json"}"#);
        let js = write(
            d,
            "v/variables.js",
            "const catalog = require('../catalog.json');
             module.exports = { catalog, 'catalog.name': 'literal wins', first: catalog.items[0], gone: catalog.items[9] };
",
        );
        let v = Variables::read_js(&js).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            v.iter().collect::<Vec<_>>(),
            [
                ("catalog.items.0.name", "one"),
                ("catalog.items.0.size", "1"),
                ("catalog.name", "literal wins"),
                ("first.name", "one"),
                ("first.size", "1"),
            ]
        );
        // A file the caller may not read is left out.
        let v = Variables::read_js_with(&js, &|p| !p.ends_with("catalog.json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.iter().collect::<Vec<_>>(), [("catalog.name", "literal wins")]);
    }

    #[test]
    fn missing_and_invalid_json_are_errors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let js = write(
            d,
            "variables.js",
            "const data = require('./data.json');
module.exports = { data };
",
        );
        let e = Variables::read_js(&js).expect_err("missing data.json");
        assert_eq!((e.path.as_path(), e.line, e.column), (js.as_path(), 1, 22));
        assert!(e.message.contains("`./data.json` does not exist"), "{e}");

        // Columns count characters, not bytes: `é` and `✓` are 2 and 3 bytes.
        let data = write(d, "data.json", "{\n  \"é✓\": \"x\",\n  \"ok\": tru\n}\n");
        let e = Variables::read_js(&js).expect_err("invalid data.json");
        assert_eq!(e.path, data);
        assert_eq!((e.line, e.column), (3, 12), "{e}");
        assert!(e.message.starts_with("invalid JSON"), "{e}");
        write(d, "data.json", "{\"é✓\": 1,, \"b\": 2}");
        let e = read_json(&data).expect_err("invalid");
        assert_eq!((e.line, e.column), (1, 10), "{e}");
        assert_eq!(e.message, "invalid JSON: key must be a string");
        let e = read_json(&d.join("absent.json")).expect_err("absent");
        assert!(e.message.contains("cannot read"), "{e}");
    }

    /// Every `variables.js` of the real corpus yields exactly the variables that
    /// `tigera-docs.site.json` lists for its folder.
    #[test]
    fn corpus_variables_match_site_json() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let json_path = shared.join("tigera-docs.site.json");
        let Ok(json) = std::fs::read_to_string(&json_path) else {
            eprintln!("skipping: {} is absent", json_path.display());
            return;
        };
        let site: serde_json::Value = serde_json::from_str(&json).expect("site.json parses");
        let folders = site["variables"].as_object().expect("a `variables` object");
        assert!(folders.len() >= 12, "expected every version folder, got {}", folders.len());
        for (folder, expected) in folders {
            let mut want = Vec::new();
            flatten("", expected, &mut want);
            want.sort();
            let path = shared.join("tigera-docs").join(folder).join("variables.js");
            let got = Variables::read_js(&path).unwrap_or_else(|e| panic!("{e}"));
            let got: Vec<(String, String)> = got.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(got, want, "{folder}");
        }
        // The repository-wide file is not in site.json; it holds only `orchestrators`.
        let root = Variables::read_js(&shared.join("tigera-docs/variables.js")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root.len(), 6);
        assert_eq!(root.get("orchestrators.host protection"), Some("host protection"));
        assert_eq!(root.get("orchestrators.OpenShift"), Some("OpenShift"));
    }

    fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    flatten(&name, v, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
}
