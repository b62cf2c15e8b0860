//! Where pages use configuration fields: every field name and value a reader is told to set,
//! with the exact position of the key and of the value in the original file.
//!
//! Forms (for each resource of the config-references pack, `FelixConfiguration` built in):
//! - `kubectl patch` / `oc patch` / `calicoctl patch <resource> NAME` with `-p`, `--patch`,
//!   `--patch=`, single- or double-quoted JSON, `--type merge|strategic|json` (JSON patch ops
//!   with `/spec/<field>` paths); commands come from the shared shell model
//!   ([`crate::analysis::shell`]);
//! - YAML with `kind: <Kind>` in any code block, heredocs included: the keys of its `spec`;
//! - environment variables `<PREFIX><NAME>` in code and prose (`FELIX_BPFENABLED=true`,
//!   `- name: FELIX_X` + `value:`);
//! - backticked field names in prose, and prose of the form "set `X` to `V`".
//!
//! Extraction happens once per page and doc set, on first use ([`Cache::get`]); the checks are the
//! `config-field/*` rules', the port facts [`crate::analysis::ports`]'.

use crate::analysis::config_ref::{Field, NameSet, Reference, Refs};
use crate::analysis::shell::{self, Word};
use crate::diag::Span;
use crate::doc::CodeBlock;
use crate::model::{Model, SourceFile};
use crate::site::Location;
use std::sync::{Arc, Mutex, OnceLock};

/// How a field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// A key of the `spec` object of a merge or strategic patch.
    Patch,
    /// The `/spec/<field>` path of a JSON patch operation.
    JsonPatch,
    /// A key under `spec:` in a YAML manifest.
    Yaml,
    /// An environment variable (`FELIX_BPFENABLED`).
    Env,
    /// A backticked name in prose.
    Prose,
    /// Prose that sets a value: "set `X` to `V`".
    ProseSet,
}

impl Form {
    /// The name must be the spec (camelCase YAML) name.
    pub fn is_spec(self) -> bool {
        matches!(self, Form::Patch | Form::JsonPatch | Form::Yaml)
    }

    pub fn is_prose(self) -> bool {
        matches!(self, Form::Prose | Form::ProseSet)
    }
}

/// What a value literally is, in the syntax it is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lit {
    /// A quoted string, or a YAML plain scalar that is not a number, boolean or null.
    Str,
    Int,
    Float,
    Bool,
    Null,
    List,
    Map,
    /// Prose or environment text, whose type is not fixed by its syntax.
    Text,
    /// Contains a placeholder (`$[var]`, `<port>`, `${X}`): not checked.
    Placeholder,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The value after quote removal.
    pub text: String,
    /// The value as written (quotes included).
    pub span: Span,
    pub lit: Lit,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldUse {
    /// Index into the config-references pack.
    pub resource: usize,
    pub form: Form,
    /// The name as written (for environment variables, the whole variable name).
    pub name: String,
    pub span: Span,
    pub value: Option<Value>,
    /// For prose: the paragraph names the component or the resource, or links to its
    /// reference, so a near-miss name there is meant as a field.
    pub in_context: bool,
    /// The name is some field's name in some version of the page's doc set (any form, without
    /// regard to case).
    pub known: bool,
}

/// Per-file field uses, extracted on first use.
///
/// What a page uses depends on its text and on its doc set (the field names of the set's
/// versions), not on its version, except that uses of a resource are dropped in a version
/// without that resource's reference. Copies of a page in one doc set's versions share their
/// document, so their uses are extracted once, and a copy whose version drops nothing shares
/// the list too (on the tigera corpus, 4,550 files have 2,400 documents and doc sets).
#[derive(Debug, Default)]
pub struct Cache {
    per_file: Vec<OnceLock<Arc<[FieldUse]>>>,
    /// By (document, text, doc set): every use, before the per-version filter.
    shared: Mutex<rustc_hash::FxHashMap<(usize, usize, usize), Shared>>,
}

/// One page's uses in one doc set, extracted by the first thread that asks.
type Shared = Arc<OnceLock<Arc<[FieldUse]>>>;

impl Cache {
    pub fn new(files: usize) -> Cache {
        Cache { per_file: (0..files).map(|_| OnceLock::new()).collect(), shared: Default::default() }
    }

    /// The field uses of file `id` (empty for files outside a version with a reference).
    pub fn get<'m>(&'m self, model: &Model, refs: &Refs, id: usize) -> &'m [FieldUse] {
        match self.per_file.get(id) {
            Some(slot) => slot.get_or_init(|| self.uses(model, refs, &model.files[id])),
            None => &[],
        }
    }

    fn uses(&self, model: &Model, refs: &Refs, file: &SourceFile) -> Arc<[FieldUse]> {
        let Some(loc) = file.loc else { return Arc::from([]) };
        // The addresses name the document and text: both live as long as the model, and
        // this cache lives in the model's index.
        let key = (Arc::as_ptr(&file.doc) as usize, file.text.as_ptr() as usize, loc.doc_set);
        let cell = self.shared.lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_default().clone();
        // Extracted outside the lock, in the cell: other threads extract other pages meanwhile.
        let all = cell.get_or_init(|| extract_all(model, refs, file, loc).into()).clone();
        // Only versions that have a resource's reference are checked. Asked only for the
        // resources the page uses: reading a reference is the larger part of a pre-commit
        // run on a page that sets no field.
        let mut missing: Vec<usize> = Vec::new();
        for u in all.iter() {
            if !missing.contains(&u.resource) && refs.get(&model.site, loc, u.resource).is_none() {
                missing.push(u.resource);
            }
        }
        if missing.is_empty() { all } else { all.iter().filter(|u| !missing.contains(&u.resource)).cloned().collect() }
    }
}

/// Every field use in `file` (at `loc`) of every resource, whether `loc`'s version has the
/// resource's reference or not, in text order.
fn extract_all(model: &Model, refs: &Refs, file: &SourceFile, loc: Location) -> Vec<FieldUse> {
    let mut out = Vec::new();
    for (r, spec) in refs.resources().iter().enumerate() {
        let cx = Cx {
            file,
            resource: r,
            names: std::cell::OnceCell::new(),
            refs,
            site: &model.site,
            loc,
            component: spec.component.as_deref().unwrap_or(&spec.kind),
        };
        // Searchers built once per file; only code blocks are searched.
        let patch = memchr::memmem::Finder::new(b"patch");
        let kind = memchr::memmem::Finder::new(spec.kind.as_bytes());
        for block in &file.doc.code_blocks {
            let v = block.value.as_bytes();
            if patch.find(v).is_some() && spec.names.iter().any(|n| contains_ignore_case(v, n.as_bytes())) {
                patches(&cx, block, &spec.names, &spec.groups, &mut out);
            }
            if kind.find(v).is_some() {
                yaml(&cx, block, &spec.kind, &mut out);
            }
        }
        if let Some(prefix) = spec.env_prefix.as_deref().filter(|p| !p.is_empty()) {
            env(&cx, prefix, &mut out);
        }
        prose(&cx, spec.env_prefix.as_deref(), &mut out);
    }
    // Stable: uses at one span stay in resource order, so that dropping a resource's uses
    // later leaves what dropping them first would have.
    out.sort_by_key(|u| (u.span.start, u.span.end));
    out.dedup_by(|a, b| a.span == b.span && a.resource == b.resource);
    out
}

/// Whether `hay` contains `needle` without regard to ASCII case.
pub fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else { return true };
    let (lo, up) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lo, up, hay)
        .any(|i| hay.len() - i >= needle.len() && hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

struct Cx<'a> {
    file: &'a SourceFile,
    resource: usize,
    /// Lower-cased names of every field of the doc set's versions (see [`Refs::doc_set_names`]),
    /// read on the first lookup: they come from every version's reference.
    names: std::cell::OnceCell<&'a NameSet>,
    refs: &'a Refs,
    site: &'a crate::site::Site,
    loc: Location,
    component: &'a str,
}

impl<'a> Cx<'a> {
    fn names(&self) -> &'a NameSet {
        self.names.get_or_init(|| self.refs.doc_set_names(self.site, self.loc, self.resource))
    }

    fn known(&self, name: &str) -> bool {
        // Lower-case on the stack: this runs for every backticked word of every page.
        let mut buf = [0u8; 96];
        let b = name.as_bytes();
        if b.len() > buf.len() {
            return false;
        }
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        std::str::from_utf8(&buf[..b.len()]).is_ok_and(|low| self.names().contains(low))
    }

    fn push(&self, out: &mut Vec<FieldUse>, form: Form, name: &str, span: Span, value: Option<Value>) {
        out.push(FieldUse {
            resource: self.resource,
            form,
            name: name.to_string(),
            span,
            value,
            in_context: true,
            known: self.known(name),
        });
    }
}

/// The field a use names in `r`, in the naming its form requires: the spec name in manifests
/// and patches, the variable (without case) for the environment, any name in prose.
pub fn field_of<'r>(r: &'r Reference, u: &FieldUse) -> Option<&'r Field> {
    match u.form {
        Form::Patch | Form::JsonPatch | Form::Yaml => r.by_yaml(&u.name),
        Form::Env => r.by_env(&u.name),
        Form::Prose | Form::ProseSet => r
            .by_yaml(&u.name)
            .or_else(|| r.by_config(&u.name))
            .or_else(|| r.by_config_folded(&u.name))
            .or_else(|| r.by_env(&u.name)),
    }
}

/// The use's field in every version of every doc set where it is known by the same name,
/// for rules that compare versions. Calls `each(location, field)`.
pub fn same_field_elsewhere(model: &Model, refs: &Refs, u: &FieldUse, mut each: impl FnMut(Location, &Field)) {
    for (d, ds) in model.site.doc_sets.iter().enumerate() {
        for v in 0..ds.versions.len() {
            let at = Location { doc_set: d, version: v };
            if let Some(l) = refs.get(&model.site, at, u.resource)
                && let Some(f) = field_of(&l.reference, u)
            {
                each(at, f);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// kubectl / calicoctl patch

fn patches(cx: &Cx, block: &CodeBlock, names: &[String], groups: &[String], out: &mut Vec<FieldUse>) {
    for cmd in shell::commands(cx.file, block) {
        let Some(program) = cmd.program() else { continue };
        let mut args = cmd.args();
        match program {
            "kubectl" | "oc" | "calicoctl" | "kubectl-calico" => {}
            _ => continue,
        }
        // `kubectl calico patch …` is calicoctl as a kubectl plugin.
        if program == "kubectl" && args.first().is_some_and(|w| w.text == "calico") {
            args = &args[1..];
        }
        let positional = positionals(args);
        let Some(&sub) = positional.first() else { continue };
        if args[sub].text != "patch" {
            continue;
        }
        let Some(&res) = positional.get(1) else { continue };
        if !names_resource(&args[res].text, names, groups) {
            continue;
        }
        let Some((word, range)) = shell::flag_value(args, &["-p", "--patch"]) else { continue };
        let ty = shell::flag_value(args, &["--type"]).map(|(w, r)| w.text[r].to_string());
        let json_patch = ty.as_deref() == Some("json");
        let body = &word.text[range.clone()];
        let Some(tree) = Json::parse(body) else { continue };
        let base = range.start;
        if json_patch {
            json_patch_ops(cx, word, base, &tree, out);
        } else if let Json::Obj(top) = &tree.value
            && let Some((_, _, spec)) = top.iter().find(|(k, _, _)| k == "spec")
            && let Json::Obj(fields) = &spec.value
        {
            for (key, key_range, v) in fields {
                let span = word.source_span(base + key_range.start + 1..base + key_range.end - 1);
                cx.push(out, Form::Patch, key, span, Some(json_value(word, base, v)));
            }
        }
    }
}

/// Option values kubectl and calicoctl take as a separate word.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--cluster",
    "--kubeconfig",
    "--user",
    "--type",
    "-p",
    "--patch",
    "--patch-file",
    "-o",
    "--output",
    "--field-manager",
    "-c",
    "--config",
    "-l",
    "--selector",
    "--template",
    "--subresource",
    "-s",
    "--server",
    "--token",
    "--as",
    "--as-group",
    "--request-timeout",
    "--allow-version-mismatch-with",
];

/// Indices of the positional arguments among `args`.
fn positionals(args: &[Word]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        if t == "--" {
            out.extend(i + 1..args.len());
            break;
        }
        if t.starts_with('-') && t.len() > 1 {
            let takes = VALUE_FLAGS.contains(&t);
            i += if takes { 2 } else { 1 };
            continue;
        }
        out.push(i);
        i += 1;
    }
    out
}

/// `felixconfiguration`, `FelixConfigurations.crd.projectcalico.org`, `felixconfiguration.p`,
/// `felixconfigurations.v3.projectcalico.org`, `felixconfiguration/default`.
fn names_resource(word: &str, names: &[String], groups: &[String]) -> bool {
    let word = word.split('/').next().unwrap_or(word).to_ascii_lowercase();
    let (base, group) = match word.split_once('.') {
        Some((b, g)) => (b, Some(g)),
        None => (word.as_str(), None),
    };
    if !names.iter().any(|n| n.eq_ignore_ascii_case(base)) {
        return false;
    }
    match group {
        None => true,
        Some(g) => {
            let g = g.strip_prefix("v3.").or_else(|| g.strip_prefix("v1.")).unwrap_or(g);
            !g.is_empty() && groups.iter().any(|full| full.starts_with(g))
        }
    }
}

/// `[{"op": "replace", "path": "/spec/vxlanPort", "value": 4790}]`.
fn json_patch_ops(cx: &Cx, word: &Word, base: usize, tree: &JsonNode, out: &mut Vec<FieldUse>) {
    let Json::Arr(ops) = &tree.value else { return };
    for op in ops {
        let Json::Obj(members) = &op.value else { continue };
        let get = |k: &str| members.iter().find(|(n, _, _)| n == k).map(|(_, _, v)| v);
        let Some(path) = get("path") else { continue };
        let Json::Str(p) = &path.value else { continue };
        let Some(rest) = p.strip_prefix("/spec/") else { continue };
        let field = rest.split('/').next().unwrap_or(rest);
        if field.is_empty() || field.contains('~') || rest.contains('/') {
            // Escaped names, and paths into a field (`/spec/x/0`), are left alone.
            continue;
        }
        // The field name sits at the end of the path string, just before its closing quote.
        let end = path.range.end - 1;
        let start = end - field.len();
        let span = word.source_span(base + start..base + end);
        let kind = get("op").and_then(|o| match &o.value {
            Json::Str(s) => Some(s.as_str()),
            _ => None,
        });
        let value = match kind {
            Some("add" | "replace" | "test") => get("value").map(|v| json_value(word, base, v)),
            _ => None,
        };
        cx.push(out, Form::JsonPatch, field, span, value);
    }
}

fn json_value(word: &Word, base: usize, v: &JsonNode) -> Value {
    let span = word.source_span(base + v.range.start..base + v.range.end);
    let (text, lit) = match &v.value {
        Json::Str(s) => (s.clone(), if is_placeholder(s) { Lit::Placeholder } else { Lit::Str }),
        Json::Num(n) => (n.clone(), if n.contains(['.', 'e', 'E']) { Lit::Float } else { Lit::Int }),
        Json::Bool(b) => (b.to_string(), Lit::Bool),
        Json::Null => ("null".to_string(), Lit::Null),
        Json::Arr(_) => (String::new(), Lit::List),
        Json::Obj(_) => (String::new(), Lit::Map),
    };
    let raw = &word.text[base + v.range.start..base + v.range.end];
    let lit = if lit != Lit::Str && is_placeholder(raw) { Lit::Placeholder } else { lit };
    Value { text, span, lit }
}

/// `$[var]`, `${VAR}`, `$VAR`, `<port>`, `{{ .Values.x }}`: text a reader replaces.
pub fn is_placeholder(s: &str) -> bool {
    crate::doc::has_token_start(s)
        || s.contains("${")
        || s.contains("{{")
        || s.starts_with('$')
        || (s.contains('<') && s.contains('>'))
}

/// A JSON value with its byte range in the parsed text.
#[derive(Debug)]
struct JsonNode {
    value: Json,
    range: std::ops::Range<usize>,
}

#[derive(Debug)]
enum Json {
    Obj(Vec<(String, std::ops::Range<usize>, JsonNode)>),
    Arr(Vec<JsonNode>),
    Str(String),
    Num(String),
    Bool(bool),
    Null,
}

impl Json {
    /// Parse `text` (leading and trailing white space allowed); `None` unless it is one JSON
    /// value. Strings with `$[var]` tokens are fine: they are ordinary string content.
    fn parse(text: &str) -> Option<JsonNode> {
        let mut p = JsonParser { b: text.as_bytes(), s: text, i: 0, depth: 0 };
        p.ws();
        let v = p.value()?;
        p.ws();
        (p.i == p.b.len()).then_some(v)
    }
}

struct JsonParser<'a> {
    b: &'a [u8],
    s: &'a str,
    i: usize,
    depth: u32,
}

impl JsonParser<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Option<JsonNode> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let start = self.i;
        let value = match *self.b.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        let ks = self.i;
                        let key = self.string()?;
                        let kr = ks..self.i;
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return None;
                        }
                        self.i += 1;
                        self.ws();
                        let v = self.value()?;
                        members.push((key, kr, v));
                        self.ws();
                        match self.b.get(self.i)? {
                            b',' => self.i += 1,
                            b'}' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Json::Obj(members)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        items.push(self.value()?);
                        self.ws();
                        match self.b.get(self.i)? {
                            b',' => self.i += 1,
                            b']' => {
                                self.i += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                Json::Arr(items)
            }
            b'"' => Json::Str(self.string()?),
            b't' if self.s[self.i..].starts_with("true") => {
                self.i += 4;
                Json::Bool(true)
            }
            b'f' if self.s[self.i..].starts_with("false") => {
                self.i += 5;
                Json::Bool(false)
            }
            b'n' if self.s[self.i..].starts_with("null") => {
                self.i += 4;
                Json::Null
            }
            c if c == b'-' || c.is_ascii_digit() => {
                while self.i < self.b.len() && matches!(self.b[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    self.i += 1;
                }
                Json::Num(self.s[start..self.i].to_string())
            }
            _ => return None,
        };
        self.depth -= 1;
        Some(JsonNode { value, range: start..self.i })
    }

    fn string(&mut self) -> Option<String> {
        if self.b.get(self.i) != Some(&b'"') {
            return None;
        }
        self.i += 1;
        let mut out = String::new();
        let mut run = self.i;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'"' => {
                    out.push_str(&self.s[run..self.i]);
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.s[run..self.i]);
                    let c = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    match c {
                        b'n' => out.push('\n'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hex = self.s.get(self.i..self.i + 4)?;
                            out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?).unwrap_or('\u{fffd}'));
                            self.i += 4;
                        }
                        c => out.push(c as char),
                    }
                    run = self.i;
                }
                b'\n' => return None,
                _ => self.i += 1,
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------------------------
// YAML manifests

/// A code block's lines: each value line with where it starts in the value and in the file.
struct Lines<'a> {
    lines: Vec<(&'a str, u32)>,
}

impl<'a> Lines<'a> {
    fn new(file: &SourceFile, block: &'a CodeBlock) -> Lines<'a> {
        let mut in_file = crate::diag::lines_from(&file.text, block.content_start);
        let mut lines = Vec::new();
        for line in block.value.split('\n') {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let file_start = match in_file.next() {
                // The value line is the end of the file line (container indentation removed).
                Some((s, ft)) if ft.ends_with(line) => s + (ft.len() - line.len()) as u32,
                _ => u32::MAX,
            };
            lines.push((line, file_start));
        }
        Lines { lines }
    }

    /// The file span of bytes `range` of line `l`; `None` when the line does not map.
    fn span(&self, l: usize, range: std::ops::Range<usize>) -> Option<Span> {
        let (_, start) = self.lines[l];
        (start != u32::MAX).then(|| Span::new(start as usize + range.start, start as usize + range.end))
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// The key of a `key: value` (or `- key: value`) line: its byte range, and where the value
/// starts. The key's column is the line's indentation, plus 2 after `- `.
fn key_of(line: &str) -> Option<(std::ops::Range<usize>, usize)> {
    let mut k = indent(line);
    let b = line.as_bytes();
    if b.get(k) == Some(&b'-') && b.get(k + 1) == Some(&b' ') {
        k += 2;
        while b.get(k) == Some(&b' ') {
            k += 1;
        }
    }
    let (ks, ke, after) = match b.get(k)? {
        q @ (b'"' | b'\'') => {
            let close = line[k + 1..].find(*q as char)? + k + 1;
            (k + 1, close, close + 1)
        }
        _ => {
            let len = line[k..]
                .bytes()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'/'))
                .count();
            (k, k + len, k + len)
        }
    };
    if ke == ks || b.get(after) != Some(&b':') || !matches!(b.get(after + 1), None | Some(b' ' | b'\t')) {
        return None;
    }
    Some((ks..ke, after + 1))
}

/// Column of the key on a line (after `- ` for a list item).
fn key_col(line: &str) -> usize {
    let k = indent(line);
    let b = line.as_bytes();
    if b.get(k) == Some(&b'-') && b.get(k + 1) == Some(&b' ') {
        let mut j = k + 2;
        while b.get(j) == Some(&b' ') {
            j += 1;
        }
        j
    } else {
        k
    }
}

fn yaml(cx: &Cx, block: &CodeBlock, kind: &str, out: &mut Vec<FieldUse>) {
    let lines = Lines::new(cx.file, block);
    let ls = &lines.lines;
    for (k, (line, _)) in ls.iter().enumerate() {
        let Some((kr, vstart)) = key_of(line) else { continue };
        if &line[kr.clone()] != "kind" {
            continue;
        }
        let v = line[vstart..].trim();
        let v = v.split(" #").next().unwrap_or(v).trim().trim_matches(|c| c == '"' || c == '\'');
        if v != kind {
            continue;
        }
        let col = kr.start;
        let is_item = line[..col].trim_start().starts_with('-');
        // The mapping's extent: siblings at `col`, up and down, until something shallower.
        let mut first = k;
        if !is_item {
            while first > 0 {
                let l = ls[first - 1].0;
                if is_blank_or_comment(l) {
                    first -= 1;
                    continue;
                }
                let kc = key_col(l);
                if kc == col && key_of(l).is_some() {
                    first -= 1;
                    if l[..kc].trim_start().starts_with('-') {
                        break;
                    }
                    continue;
                }
                if indent(l) > col {
                    first -= 1;
                    continue;
                }
                break;
            }
        }
        let mut last = k;
        while last + 1 < ls.len() {
            let l = ls[last + 1].0;
            if is_blank_or_comment(l) || indent(l) > col {
                last += 1;
                continue;
            }
            if key_col(l) == col && indent(l) == col && key_of(l).is_some() {
                last += 1;
                continue;
            }
            break;
        }
        // `spec:` among the siblings.
        for (s, &(l, _)) in ls.iter().enumerate().take(last + 1).skip(first) {
            if key_col(l) != col {
                continue;
            }
            let Some((sr, svs)) = key_of(l) else { continue };
            if &l[sr] != "spec" || !l[svs..].trim().is_empty() && !l[svs..].trim().starts_with('#') {
                continue;
            }
            spec_fields(cx, &lines, s, col, last, out);
        }
    }
}

/// The keys directly under the `spec:` at line `s` (column `col`), up to line `last`.
fn spec_fields(cx: &Cx, lines: &Lines, s: usize, col: usize, last: usize, out: &mut Vec<FieldUse>) {
    let ls = &lines.lines;
    let mut child_col: Option<usize> = None;
    let mut i = s + 1;
    while i <= last {
        let l = ls[i].0;
        if is_blank_or_comment(l) {
            i += 1;
            continue;
        }
        let ind = indent(l);
        if ind <= col {
            break;
        }
        let cc = *child_col.get_or_insert(ind);
        if ind != cc || l[ind..].starts_with('-') {
            i += 1;
            continue;
        }
        let Some((kr, vs)) = key_of(l) else {
            i += 1;
            continue;
        };
        let Some(name_span) = lines.span(i, kr.clone()) else {
            i += 1;
            continue;
        };
        // The value: inline, or a block below (deeper lines).
        let raw = &l[vs..];
        let lead = raw.len() - raw.trim_start().len();
        let value = match yaml_scalar(raw.trim_start()) {
            Some((text, len, lit)) => lines.span(i, vs + lead..vs + lead + len).map(|span| Value { text, span, lit }),
            None => {
                // Nothing inline: a nested block (list or map) or null.
                let next = (i + 1..=last).find(|&j| !is_blank_or_comment(ls[j].0));
                match next {
                    Some(j)
                        if indent(ls[j].0) > ind || (indent(ls[j].0) == ind && ls[j].0[ind..].starts_with("- ")) =>
                    {
                        let lit = if ls[j].0.trim_start().starts_with('-') { Lit::List } else { Lit::Map };
                        let span = lines.span(i, kr.clone());
                        span.map(|span| Value { text: String::new(), span, lit })
                    }
                    _ => None,
                }
            }
        };
        cx.push(out, Form::Yaml, &l[kr], name_span, value);
        i += 1;
    }
}

/// An inline YAML value: its text, length as written, and kind. `None` when there is none.
fn yaml_scalar(raw: &str) -> Option<(String, usize, Lit)> {
    let b = raw.as_bytes();
    match *b.first()? {
        b'#' => None,
        b'"' => {
            let mut out = String::new();
            let mut i = 1;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        let lit = if is_placeholder(&out) { Lit::Placeholder } else { Lit::Str };
                        return Some((out, i + 1, lit));
                    }
                    b'\\' if i + 1 < b.len() => {
                        out.push(b[i + 1] as char);
                        i += 2;
                    }
                    _ => {
                        let ch = raw[i..].chars().next()?;
                        out.push(ch);
                        i += ch.len_utf8();
                    }
                }
            }
            None
        }
        b'\'' => {
            let mut out = String::new();
            let mut i = 1;
            while i < b.len() {
                if b[i] == b'\'' {
                    if b.get(i + 1) == Some(&b'\'') {
                        out.push('\'');
                        i += 2;
                        continue;
                    }
                    let lit = if is_placeholder(&out) { Lit::Placeholder } else { Lit::Str };
                    return Some((out, i + 1, lit));
                }
                let ch = raw[i..].chars().next()?;
                out.push(ch);
                i += ch.len_utf8();
            }
            None
        }
        b'[' => Some((String::new(), raw.trim_end().len(), Lit::List)),
        b'{' => Some((String::new(), raw.trim_end().len(), Lit::Map)),
        b'|' | b'>' => Some((String::new(), raw.trim_end().len(), Lit::Str)),
        b'&' | b'*' | b'!' => Some((String::new(), raw.trim_end().len(), Lit::Placeholder)),
        _ => {
            let end = raw.find(" #").unwrap_or(raw.len());
            let text = raw[..end].trim_end();
            Some((text.to_string(), text.len(), plain_lit(text)))
        }
    }
}

/// What a YAML plain scalar resolves to (YAML 1.1, as `sigs.k8s.io/yaml` reads manifests).
pub fn plain_lit(text: &str) -> Lit {
    if is_placeholder(text) {
        return Lit::Placeholder;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Lit::Null,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "yes" | "Yes" | "YES" | "no" | "No" | "NO" | "on"
        | "On" | "ON" | "off" | "Off" | "OFF" | "y" | "Y" | "n" | "N" => return Lit::Bool,
        _ => {}
    }
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let digits = |s: &str, radix: u32| !s.is_empty() && s.chars().all(|c| c == '_' || c.is_digit(radix));
    if digits(t, 10)
        || t.strip_prefix("0x").is_some_and(|h| digits(h, 16))
        || t.strip_prefix("0o").is_some_and(|o| digits(o, 8))
    {
        return Lit::Int;
    }
    let mut parts = t.splitn(2, '.');
    let (a, b) = (parts.next().unwrap_or(""), parts.next());
    if let Some(b) = b {
        let b = b.split(['e', 'E']).next().unwrap_or(b);
        if (a.is_empty() || digits(a, 10)) && (b.is_empty() || digits(b, 10)) && !(a.is_empty() && b.is_empty()) {
            return Lit::Float;
        }
    }
    Lit::Str
}

// ---------------------------------------------------------------------------------------------
// Environment variables

fn env(cx: &Cx, prefix: &str, out: &mut Vec<FieldUse>) {
    let text = &cx.file.text;
    let b = text.as_bytes();
    let finder = memchr::memmem::Finder::new(prefix.as_bytes());
    for at in finder.find_iter(b) {
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
            continue;
        }
        let end = at + b[at..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
        if end == at + prefix.len() {
            continue;
        }
        let name = &text[at..end];
        let value = env_value(cx.file, at, end);
        let mut u = FieldUse {
            resource: cx.resource,
            form: Form::Env,
            name: name.to_string(),
            span: Span::new(at, end),
            value,
            in_context: true,
            known: true,
        };
        u.known = cx.known(name);
        out.push(u);
    }
}

/// `NAME=value`, `NAME: value`, or a YAML env entry `- name: NAME` with `value:` below.
fn env_value(file: &SourceFile, at: usize, end: usize) -> Option<Value> {
    let text = &file.text;
    let b = text.as_bytes();
    let line_end = text[end..].find('\n').map_or(text.len(), |k| end + k);
    match b.get(end) {
        Some(b'=') => {
            let vs = end + 1;
            let (v, len) = shell_value(&text[vs..line_end])?;
            Some(Value {
                lit: if is_placeholder(&v) { Lit::Placeholder } else { Lit::Text },
                text: v,
                span: Span::new(vs, vs + len),
            })
        }
        Some(b':') if b.get(end + 1) == Some(&b' ') => {
            let raw = &text[end + 1..line_end];
            let lead = raw.len() - raw.trim_start().len();
            let vs = end + 1 + lead;
            let (v, len, lit) = yaml_scalar(raw.trim_start())?;
            Some(Value {
                lit: if lit == Lit::Placeholder { lit } else { Lit::Text },
                text: v,
                span: Span::new(vs, vs + len),
            })
        }
        _ => {
            // `- name: FELIX_X` / `value: "…"` in a container's env list.
            let line = file.lines().line_of(at as u32);
            let lt = file.lines().line_text(text, line);
            let (kr, vs) = key_of(lt)?;
            if &lt[kr.clone()] != "name" || lt[vs..].trim().trim_matches(|c| c == '"' || c == '\'') != &text[at..end] {
                return None;
            }
            let col = kr.start;
            let next = line + 1;
            if next >= file.lines().line_count() {
                return None;
            }
            let nt = file.lines().line_text(text, next);
            let (nk, nvs) = key_of(nt)?;
            if &nt[nk.clone()] != "value" || nk.start != col || nt[..col].contains('-') {
                return None;
            }
            let raw = &nt[nvs..];
            let lead = raw.len() - raw.trim_start().len();
            let (v, len, lit) = yaml_scalar(raw.trim_start())?;
            let vs = file.lines().line_start(next) as usize + nvs + lead;
            Some(Value {
                lit: if lit == Lit::Placeholder { lit } else { Lit::Text },
                text: v,
                span: Span::new(vs, vs + len),
            })
        }
    }
}

/// A shell word at the start of `s`: its text after quote removal and its length as written.
fn shell_value(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    match *b.first()? {
        q @ (b'"' | b'\'') => {
            let close = s[1..].find(q as char)? + 1;
            Some((s[1..close].to_string(), close + 1))
        }
        _ => {
            let len = s
                .bytes()
                .take_while(|c| {
                    !c.is_ascii_whitespace()
                        && !matches!(c, b';' | b'&' | b'|' | b')' | b'`' | b'"' | b'\'' | b'<' | b'>')
                })
                .count();
            (len > 0).then(|| (s[..len].to_string(), len))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Prose

fn prose(cx: &Cx, env_prefix: Option<&str>, out: &mut Vec<FieldUse>) {
    let file = cx.file;
    let text = &file.text;
    let b = text.as_bytes();
    let blocks: Vec<Span> = file.doc.code_blocks.iter().map(|c| c.span).collect();
    let fm_end = file.doc.front_matter.as_ref().map_or(0, |f| f.span.end as usize);
    let mut bi = 0;
    let mut i = fm_end;
    let mut para = (0usize, 0usize, false);
    while let Some(k) = memchr::memchr(b'`', &b[i..]) {
        let open = i + k;
        // Skip code blocks.
        while bi < blocks.len() && (blocks[bi].end as usize) <= open {
            bi += 1;
        }
        if bi < blocks.len() && (blocks[bi].start as usize) <= open {
            i = blocks[bi].end as usize;
            continue;
        }
        // A run of backticks opens a code span closed by a run of the same length.
        let run = b[open..].iter().take_while(|&&c| c == b'`').count();
        let cs = open + run;
        let line_end = memchr::memchr(b'\n', &b[cs..]).map_or(b.len(), |e| cs + e);
        let Some(close) = find_run(&b[cs..line_end], run).map(|e| cs + e) else {
            i = cs;
            continue;
        };
        i = close + run;
        let inner = &text[cs..close];
        let name = inner.trim();
        if !is_identifier(name) || env_prefix.is_some_and(|p| !p.is_empty() && name.starts_with(p)) {
            continue;
        }
        let known = cx.known(name);
        if !known && !looks_like_field(name) {
            continue;
        }
        let ns = cs + (inner.len() - inner.trim_start().len());
        let span = Span::new(ns, ns + name.len());
        // Whether the paragraph is about the component matters only for names no version has;
        // one answer per paragraph.
        let in_context = !known && {
            if !(para.0 <= open && open < para.1) {
                let (s, e) = paragraph(text, open);
                para = (s, e.max(open + 1), contains_ignore_case(&b[s..e], cx.component.as_bytes()));
            }
            para.2
        };
        if !known && !in_context {
            continue;
        }
        let set = prose_set_value(text, open, i);
        out.push(FieldUse {
            resource: cx.resource,
            form: if set.is_some() { Form::ProseSet } else { Form::Prose },
            name: name.to_string(),
            span,
            value: set,
            in_context,
            known,
        });
    }
}

/// Where a run of exactly `n` backticks starts in `s`.
fn find_run(s: &[u8], n: usize) -> Option<usize> {
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'`', &s[i..]) {
        let at = i + k;
        let run = s[at..].iter().take_while(|&&c| c == b'`').count();
        if run == n {
            return Some(at);
        }
        i = at + run;
    }
    None
}

fn is_identifier(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// A name shaped like a configuration field: camelCase or PascalCase with at least two words,
/// long enough that a near miss is not a different short word.
fn looks_like_field(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() >= 8
        && !s.contains('_')
        && b[1..].iter().any(u8::is_ascii_uppercase)
        && b.iter().any(u8::is_ascii_lowercase)
}

/// "set `X` to `V`", "setting [`X`](…) to `V`", "change `X` to `V`": the value `V`.
fn prose_set_value(text: &str, open: usize, after: usize) -> Option<Value> {
    // The verb right before the name (an opening `[` of a link and "the" allowed between).
    let before = text[..open].trim_end_matches('[').trim_end();
    let before = before.strip_suffix(" the").map(str::trim_end).unwrap_or(before);
    let word_start = before.len() - before.bytes().rev().take_while(u8::is_ascii_alphabetic).count();
    let verb = before[word_start..].to_ascii_lowercase();
    if !matches!(verb.as_str(), "set" | "sets" | "setting" | "change" | "changing" | "changes") {
        return None;
    }
    // After the name: an optional link destination, optional noun, then "to".
    let mut rest = &text[after..];
    let mut pos = after;
    if let Some(r) = rest.strip_prefix("](") {
        let close = r.find(')')?;
        pos += 2 + close + 1;
        rest = &text[pos..];
    }
    let trimmed = rest.trim_start_matches([' ', '\t']);
    pos += rest.len() - trimmed.len();
    rest = trimmed;
    for noun in ["field", "parameter", "option", "setting", "value", "flag", "configuration parameter"] {
        if let Some(r) = rest.strip_prefix(noun).filter(|r| r.starts_with(' ')) {
            let t = r.trim_start_matches(' ');
            pos += rest.len() - t.len();
            rest = t;
            break;
        }
    }
    let r = rest.strip_prefix("to ")?;
    pos += 3;
    let r2 = r.trim_start_matches(' ');
    pos += r.len() - r2.len();
    let r = r2;
    if let Some(inner) = r.strip_prefix('`') {
        let close = inner.find('`')?;
        let v = &inner[..close];
        let t = v.trim().trim_matches(|c| c == '"' || c == '\'');
        if t.is_empty() || t.contains(char::is_whitespace) {
            return None;
        }
        let vs = pos + 1 + (v.find(t)?);
        let lit = if is_placeholder(t) { Lit::Placeholder } else { Lit::Text };
        return Some(Value { text: t.to_string(), span: Span::new(vs, vs + t.len()), lit });
    }
    // A bare number or boolean: "set `x` to 0".
    let len = r.bytes().take_while(|c| c.is_ascii_alphanumeric() || *c == b'-').count();
    let t = &r[..len];
    if t.is_empty() || !(t.parse::<i64>().is_ok() || t == "true" || t == "false") {
        return None;
    }
    Some(Value { text: t.to_string(), span: Span::new(pos, pos + len), lit: Lit::Text })
}

/// Whether the paragraph (or table) around `at` names `component` (case-insensitively, so links
/// to `…/felix/configuration` count).
pub fn paragraph_mentions(text: &str, at: usize, component: &str) -> bool {
    let (s, e) = paragraph(text, at);
    contains_ignore_case(&text.as_bytes()[s..e], component.as_bytes())
}

/// The paragraph around `at`: from after the previous blank line to the next one.
pub fn paragraph(text: &str, at: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let mut s = at;
    loop {
        let Some(nl) = memchr::memrchr(b'\n', &b[..s]) else {
            s = 0;
            break;
        };
        // Is the line before `nl` blank?
        let prev_start = memchr::memrchr(b'\n', &b[..nl]).map_or(0, |k| k + 1);
        if text[prev_start..nl].trim().is_empty() {
            s = nl + 1;
            break;
        }
        s = prev_start;
        if s == 0 {
            break;
        }
    }
    let mut e = at;
    loop {
        let Some(k) = memchr::memchr(b'\n', &b[e..]) else {
            e = b.len();
            break;
        };
        let nl = e + k;
        let next_end = memchr::memchr(b'\n', &b[nl + 1..]).map_or(b.len(), |k| nl + 1 + k);
        if text[nl + 1..next_end].trim().is_empty() {
            e = nl;
            break;
        }
        e = next_end;
        if e >= b.len() {
            break;
        }
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names() {
        let names: Vec<String> = ["felixconfiguration", "felixconfigurations", "felixconfig"].map(String::from).into();
        let groups: Vec<String> = ["projectcalico.org", "crd.projectcalico.org"].map(String::from).into();
        for w in [
            "felixconfiguration",
            "FelixConfiguration",
            "felixconfigurations.crd.projectcalico.org",
            "felixconfiguration.p",
            "felixconfigurations.v3.projectcalico.org",
            "felixconfiguration/default",
        ] {
            assert!(names_resource(w, &names, &groups), "{w}");
        }
        for w in ["felixconfigurationx", "installation", "felixconfiguration.operator.tigera.io", "felixconfiguration."]
        {
            assert!(!names_resource(w, &names, &groups), "{w}");
        }
    }

    #[test]
    fn json_with_ranges() {
        let text = r#" {"spec": {"vxlanPort": 4790, "x": "a\"b", "l": [1, {"k": null}]}} "#;
        let n = Json::parse(text).unwrap();
        let Json::Obj(top) = &n.value else { panic!() };
        let Json::Obj(spec) = &top[0].2.value else { panic!() };
        assert_eq!(&text[spec[0].1.clone()], "\"vxlanPort\"");
        assert_eq!(&text[spec[0].2.range.clone()], "4790");
        assert!(matches!(&spec[1].2.value, Json::Str(s) if s == "a\"b"));
        assert!(Json::parse("{\"a\": }").is_none());
        assert!(Json::parse("{\"a\": 1} x").is_none());
    }

    #[test]
    fn yaml_keys_and_scalars() {
        assert_eq!(key_of("  bpfEnabled: true"), Some((2..12, 13)));
        assert_eq!(key_of("- kind: FelixConfiguration"), Some((2..6, 7)));
        assert_eq!(key_of("  \"x\": 1"), Some((3..4, 6)));
        assert_eq!(key_of("  url: http://x"), Some((2..5, 6)));
        assert_eq!(key_of("  http://x"), None);
        assert_eq!(yaml_scalar("4790 # alt"), Some(("4790".into(), 4, Lit::Int)));
        assert_eq!(yaml_scalar("\"9099\"").map(|(_, l, k)| (l, k)), Some((6, Lit::Str)));
        assert_eq!(yaml_scalar("'it''s'").map(|(t, _, _)| t), Some("it's".into()));
        assert_eq!(plain_lit("1m30s"), Lit::Str);
        assert_eq!(plain_lit("0x10"), Lit::Int);
        assert_eq!(plain_lit("1.5"), Lit::Float);
        assert_eq!(plain_lit("yes"), Lit::Bool);
        assert_eq!(plain_lit("$[port]"), Lit::Placeholder);
        assert_eq!(plain_lit("1.2.3"), Lit::Str);
    }

    #[test]
    fn prose_set_values() {
        let t = "You should also set `bpfKubeProxyHealthzPort` to `0` to disable it.";
        let open = t.find('`').unwrap();
        let after = t[open + 1..].find('`').unwrap() + open + 2;
        let v = prose_set_value(t, open, after).unwrap();
        assert_eq!(v.text, "0");
        assert_eq!(&t[v.span.range()], "0");
        let t = "Setting [`vxlanPort`](ref.mdx#vxlanPort) field to 4790 moves it.";
        let open = t.find('`').unwrap();
        let after = t[open + 1..].find('`').unwrap() + open + 2;
        let v = prose_set_value(t, open, after).unwrap();
        assert_eq!(&t[v.span.range()], "4790");
        let t = "The `vxlanPort` to use.";
        let open = t.find('`').unwrap();
        assert!(prose_set_value(t, open, open + 11).is_none());
    }

    #[test]
    fn paragraphs() {
        let t = "a\nb Felix\n\nc\nd\n\ne";
        assert!(paragraph_mentions(t, 0, "Felix"));
        assert!(!paragraph_mentions(t, 12, "Felix"));
        let (s, e) = paragraph(t, 12);
        assert_eq!(&t[s..e], "c\nd");
    }

    #[test]
    fn field_shapes() {
        assert!(looks_like_field("KubeNodePortRange"));
        assert!(looks_like_field("ipInIpEnabled"));
        assert!(!looks_like_field("kubectl"));
        assert!(!looks_like_field("LONGNAMEX"));
        assert!(!looks_like_field("short"));
    }
}
