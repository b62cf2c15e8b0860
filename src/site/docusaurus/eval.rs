//! A small static evaluator for the JavaScript and TypeScript a Docusaurus config is made of.
//!
//! It owns turning a module's source into [`Value`]s: object and array literals, spreads,
//! `const`/`let` bindings, same-file functions and arrow functions that return literals (called
//! with their arguments bound), template literals, simple operators and conditionals, `require` /
//! `import` of JSON and of local modules that export literals, and `process.env.X` from the
//! `[env]` table. Nothing runs: whatever it cannot know becomes [`Val::Unknown`] with the source
//! position and text of the expression. What the values mean to Docusaurus is
//! [`super::options`]' job.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};

/// Where a value is written: a file of [`Sources`] and a byte range in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: usize,
    pub start: u32,
    pub end: u32,
}

/// An environment variable a value depends on, and where it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvUse {
    pub name: String,
    pub origin: Origin,
    /// `false` when `[env]` gave its value; `true` when it was taken as unset.
    pub assumed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Array(Vec<Value>),
    /// Properties in source order (a later duplicate replaces the earlier value in place).
    Object(Vec<(String, Value)>),
    /// Not statically known: the expression's source text.
    Unknown(String),
    /// A function exported by another module (`require('./utils/componentImage')`), called by
    /// evaluating that module again with the arguments bound.
    Function {
        file: PathBuf,
        name: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub val: Val,
    pub origin: Origin,
    /// Environment variables the value was computed from (also through spreads that added
    /// nothing, so `[...(process.env.X ? ['a'] : [])]` still says it depends on `X`).
    pub env: Vec<EnvUse>,
}

impl Value {
    pub fn new(val: Val, origin: Origin) -> Value {
        Value { val, origin, env: Vec::new() }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.val {
            Val::Object(props) => props.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.val {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.val {
            Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self.val, Val::Unknown(_))
    }

    fn with_env(mut self, env: &[EnvUse]) -> Value {
        merge_env(&mut self.env, env);
        self
    }

    /// JavaScript truthiness, when known.
    fn truthy(&self) -> Option<bool> {
        Some(match &self.val {
            Val::Undefined | Val::Null => false,
            Val::Bool(b) => *b,
            Val::Num(n) => *n != 0.0 && !n.is_nan(),
            Val::Str(s) => !s.is_empty(),
            Val::Array(_) | Val::Object(_) | Val::Function { .. } => true,
            Val::Unknown(_) => return None,
        })
    }

    /// `String(v)` for primitives.
    pub fn to_js_string(&self) -> Option<String> {
        Some(match &self.val {
            Val::Undefined => "undefined".into(),
            Val::Null => "null".into(),
            Val::Bool(b) => b.to_string(),
            Val::Num(n) => js_number(*n),
            Val::Str(s) => s.clone(),
            _ => return None,
        })
    }
}

fn merge_env(into: &mut Vec<EnvUse>, from: &[EnvUse]) {
    for e in from {
        if !into.iter().any(|x| x.name == e.name && x.origin == e.origin) {
            into.push(e.clone());
        }
    }
}

/// `String(n)` as JavaScript prints it for the numbers configs hold (`3.30` is `"3.3"`).
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        "NaN".into()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity".into() } else { "-Infinity".into() }
    } else if n == n.trunc() && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The files read, for positions in messages.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// Path and text of each file, in the order read (the config first).
    pub files: Vec<(PathBuf, String)>,
}

impl Sources {
    /// 1-based line and column (in characters) of `origin`.
    pub fn line_col(&self, origin: Origin) -> (usize, usize) {
        match self.files.get(origin.file) {
            Some((_, text)) => crate::site::variables::line_col(text, origin.start as usize),
            None => (0, 0),
        }
    }

    pub fn path(&self, origin: Origin) -> &Path {
        self.files.get(origin.file).map_or(Path::new(""), |(p, _)| p.as_path())
    }
}

/// A syntax error in a file the config needs: the file, its offset and the parser's message.
#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub path: PathBuf,
    pub text: String,
    pub offset: usize,
    pub message: String,
}

/// Evaluates modules; one per config read.
pub struct Evaluator<'e> {
    pub sources: Sources,
    env: &'e [(String, String)],
    /// Module path → its namespace value (`default` and named exports), once evaluated.
    modules: HashMap<PathBuf, Value>,
    /// Modules being evaluated (a cycle yields Unknown).
    loading: Vec<PathBuf>,
    /// The folder of the first module read (the config, at the site root): modules are read
    /// only inside it, so a config cannot make docdrift read files outside the site.
    home: Option<PathBuf>,
}

/// The largest module the evaluator reads (a config or a module it imports).
const MAX_MODULE_SIZE: u64 = 16 * 1024 * 1024;

const MAX_DEPTH: usize = 64;

impl<'e> Evaluator<'e> {
    pub fn new(env: &'e [(String, String)]) -> Evaluator<'e> {
        Evaluator { sources: Sources::default(), env, modules: HashMap::new(), loading: Vec::new(), home: None }
    }

    /// An evaluator that reads modules only inside `root` (the site root), wherever the first
    /// module lies: a version's `variables.js` may import the site's `src/` helpers.
    pub fn within(env: &'e [(String, String)], root: &Path) -> Evaluator<'e> {
        let mut ev = Evaluator::new(env);
        ev.home = root.canonicalize().ok();
        ev
    }

    /// The text of the module at `path`, if it is a regular file of a sane size inside the folder
    /// of the first module read (symlinks resolved).
    fn read_module(&mut self, path: &Path) -> std::io::Result<String> {
        use std::io::{Error, ErrorKind};
        let real = path.canonicalize()?;
        let home = self.home.get_or_insert_with(|| real.parent().unwrap_or(Path::new("/")).to_path_buf());
        if !real.starts_with(home.as_path()) {
            return Err(Error::new(ErrorKind::PermissionDenied, format!("outside the site folder {}", home.display())));
        }
        let meta = std::fs::metadata(&real)?;
        if !meta.is_file() || meta.len() > MAX_MODULE_SIZE {
            return Err(Error::new(ErrorKind::InvalidInput, "not a regular file of at most 16 MiB"));
        }
        std::fs::read_to_string(&real)
    }

    /// The config object exported by `path`: `export default`, `module.exports`, or what an
    /// exported (async) function returns.
    pub fn config(&mut self, path: &Path) -> Result<Value, SyntaxError> {
        let ns = self.module(path, true)?;
        let origin = ns.origin;
        let exported = ns.get("default").cloned().unwrap_or_else(|| Value::new(Val::Undefined, origin));
        Ok(exported)
    }

    /// What `require(path)` gives: `module.exports`, or the ES module's namespace. A file that
    /// does not parse is Unknown (its own reader reports it).
    pub fn exports(&mut self, path: &Path) -> Value {
        match self.module(path, false) {
            Ok(ns) => match ns.get("default") {
                Some(d) => d.clone(),
                None => ns,
            },
            Err(_) => Value::new(Val::Unknown(path.display().to_string()), Origin::default()),
        }
    }

    /// Call the function `name` of the module at `path` with `args`: the module is parsed and
    /// evaluated again, so that its AST lives as long as the call.
    fn call_exported(&mut self, path: &Path, name: &str, args: &[Value]) -> Option<Value> {
        if self.loading.iter().any(|p| p == path) || self.loading.len() > 16 {
            return None;
        }
        let text = self.read_module(path).ok()?;
        let file = self.sources.files.iter().position(|(p, _)| p == path).unwrap_or_else(|| {
            self.sources.files.push((path.to_path_buf(), text.clone()));
            self.sources.files.len() - 1
        });
        let source_type = match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
            "ts" | "mts" | "cts" => SourceType::ts().with_module(true),
            _ => SourceType::unambiguous(),
        };
        let alloc = Allocator::default();
        let ret = Parser::new(&alloc, &text, source_type).parse();
        if !ret.diagnostics.is_empty() {
            return None;
        }
        self.loading.push(path.to_path_buf());
        let out = {
            let mut m = ModuleEval::new(self, path, file, &text, false);
            m.program(&ret.program);
            match m.lookup(name).cloned() {
                Some(Binding::Func(f)) => Some(m.call(f, args, ret.program.span)),
                _ => None,
            }
        };
        self.loading.pop();
        out
    }

    /// Evaluate the module at `path` into its namespace object. `strict`: a syntax error is an
    /// error (the config itself), else the module is Unknown.
    fn module(&mut self, path: &Path, strict: bool) -> Result<Value, SyntaxError> {
        if let Some(v) = self.modules.get(path) {
            return Ok(v.clone());
        }
        let unknown =
            |file: usize, what: &str| Value::new(Val::Unknown(what.to_string()), Origin { file, start: 0, end: 0 });
        if self.loading.iter().any(|p| p == path) || self.loading.len() > 16 {
            return Ok(unknown(0, "a module that imports itself"));
        }
        let text = match self.read_module(path) {
            Ok(t) => t,
            Err(e) if strict => {
                return Err(SyntaxError {
                    path: path.to_path_buf(),
                    text: String::new(),
                    offset: 0,
                    message: format!("cannot read the file: {e}"),
                });
            }
            Err(_) => return Ok(unknown(0, &path.display().to_string())),
        };
        let file = self.sources.files.len();
        self.sources.files.push((path.to_path_buf(), text.clone()));
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext == "json" {
            let v = match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(j) => json_value(&j, Origin { file, start: 0, end: 0 }),
                Err(_) => unknown(file, &path.display().to_string()),
            };
            let ns = Value::new(Val::Object(vec![("default".into(), v)]), Origin { file, start: 0, end: 0 });
            self.modules.insert(path.to_path_buf(), ns.clone());
            return Ok(ns);
        }
        let source_type = match ext {
            "ts" | "mts" | "cts" => SourceType::ts().with_module(true),
            "tsx" => SourceType::tsx(),
            "cjs" => SourceType::cjs(),
            "mjs" => SourceType::mjs(),
            _ => SourceType::unambiguous().with_jsx(true),
        };
        let alloc = Allocator::default();
        let ret = Parser::new(&alloc, &text, source_type).parse();
        if let Some(d) = ret.diagnostics.first().filter(|_| ret.panicked || !ret.diagnostics.is_empty()) {
            if strict {
                let offset = d.labels.first().map_or(0, |l| l.offset() as usize);
                return Err(SyntaxError {
                    path: path.to_path_buf(),
                    text: text.clone(),
                    offset,
                    message: d.message.to_string(),
                });
            }
            return Ok(unknown(file, &path.display().to_string()));
        }
        self.loading.push(path.to_path_buf());
        let ns = {
            let mut m = ModuleEval::new(self, path, file, &text, strict);
            m.program(&ret.program);
            let origin = Origin { file, start: 0, end: 0 };
            let mut props = m.exports;
            if let Some(cjs) = m.cjs {
                // `module.exports = X`: `import x from` and `require` both see X.
                props.retain(|(k, _)| k != "default");
                if let Val::Object(named) = &cjs.val {
                    for (k, v) in named {
                        if !props.iter().any(|(p, _)| p == k) {
                            props.push((k.clone(), v.clone()));
                        }
                    }
                }
                props.push(("default".into(), cjs));
            }
            Value::new(Val::Object(props), origin)
        };
        self.loading.pop();
        self.modules.insert(path.to_path_buf(), ns.clone());
        Ok(ns)
    }

    /// A local module `spec` imported from `dir`, or Unknown for packages and missing files.
    fn import(&mut self, dir: &Path, spec: &str, origin: Origin) -> Value {
        let unknown = || Value::new(Val::Unknown(format!("the module `{spec}`")), origin);
        let local = spec.starts_with("./") || spec.starts_with("../") || spec.starts_with('/');
        if !local {
            return unknown();
        }
        let base = dir.join(spec);
        let mut candidates = vec![base.clone()];
        for ext in ["js", "mjs", "cjs", "ts", "mts", "json"] {
            let mut p = base.clone().into_os_string();
            p.push(format!(".{ext}"));
            candidates.push(PathBuf::from(p));
        }
        for ext in ["js", "ts", "json"] {
            candidates.push(base.join(format!("index.{ext}")));
        }
        let Some(path) = candidates.into_iter().find(|p| p.is_file()) else { return unknown() };
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" | "json") {
            return unknown();
        }
        match self.module(&path, false) {
            Ok(mut ns) => {
                ns.origin = origin;
                ns
            }
            Err(_) => unknown(),
        }
    }

    fn env_value(&self, name: &str) -> Option<&str> {
        self.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A JSON value as a [`Value`], every part at `origin`.
pub fn json_value(j: &serde_json::Value, origin: Origin) -> Value {
    let val = match j {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => Val::Num(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Val::Str(s.clone()),
        serde_json::Value::Array(a) => Val::Array(a.iter().map(|x| json_value(x, origin)).collect()),
        serde_json::Value::Object(o) => {
            Val::Object(o.iter().map(|(k, v)| (k.clone(), json_value(v, origin))).collect())
        }
    };
    Value::new(val, origin)
}

#[derive(Clone, Copy)]
enum Func<'a> {
    Decl(&'a Function<'a>),
    Arrow(&'a ArrowFunctionExpression<'a>),
}

#[derive(Clone)]
enum Binding<'a> {
    Value(Value),
    Func(Func<'a>),
}

struct ModuleEval<'m, 'e, 'a> {
    ev: &'m mut Evaluator<'e>,
    /// The config: an exported function is called to get the config. In other modules it is a
    /// [`Val::Function`] for callers.
    is_config: bool,
    path: PathBuf,
    file: usize,
    dir: PathBuf,
    text: &'a str,
    scopes: Vec<HashMap<String, Binding<'a>>>,
    depth: usize,
    /// ESM exports (`default` and named), in order.
    exports: Vec<(String, Value)>,
    /// `module.exports = X`.
    cjs: Option<Value>,
}

/// What running statements produced.
enum Flow {
    Normal,
    Return(Value),
    /// A statement the evaluator cannot follow (a loop, an unknown `if`): the function's result
    /// is unknown.
    GiveUp,
}

impl<'m, 'e, 'a> ModuleEval<'m, 'e, 'a> {
    /// A fresh evaluation of the module at `path` (`file` in the sources), whose text is `text`.
    fn new(ev: &'m mut Evaluator<'e>, path: &Path, file: usize, text: &'a str, is_config: bool) -> Self {
        ModuleEval {
            ev,
            is_config,
            path: path.to_path_buf(),
            file,
            dir: path.parent().unwrap_or(Path::new(".")).to_path_buf(),
            text,
            scopes: vec![HashMap::new()],
            depth: 0,
            exports: Vec::new(),
            cjs: None,
        }
    }

    fn origin(&self, span: oxc_span::Span) -> Origin {
        Origin { file: self.file, start: span.start, end: span.end }
    }

    fn source(&self, span: oxc_span::Span) -> String {
        let s = self.text.get(span.start as usize..span.end as usize).unwrap_or("");
        // Long expressions are named by their start.
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > 60 { format!("{}…", s.chars().take(57).collect::<String>()) } else { s }
    }

    fn unknown(&self, span: oxc_span::Span) -> Value {
        Value::new(Val::Unknown(self.source(span)), self.origin(span))
    }

    fn lookup(&self, name: &str) -> Option<&Binding<'a>> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn bind(&mut self, name: &str, b: Binding<'a>) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), b);
        }
    }

    fn program(&mut self, p: &'a Program<'a>) {
        self.hoist(&p.body);
        for s in &p.body {
            match s {
                Statement::ImportDeclaration(d) => self.import_decl(d),
                Statement::ExportDefaultDeclaration(d) => {
                    let v = match &d.declaration {
                        ExportDefaultDeclarationKind::FunctionDeclaration(f) => self.call(Func::Decl(f), &[], d.span),
                        ExportDefaultDeclarationKind::ClassDeclaration(_)
                        | ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => self.unknown(d.span),
                        other => match other.as_expression() {
                            Some(e) => self.exported_value(e),
                            None => self.unknown(d.span),
                        },
                    };
                    self.exports.push(("default".into(), v));
                }
                Statement::ExportDeclaration(d) => {
                    let names = self.declaration(&d.declaration);
                    for n in names {
                        if let Some(Binding::Value(v)) = self.lookup(&n).cloned() {
                            self.exports.push((n, v));
                        }
                    }
                }
                Statement::ExportNamedDeclaration(d) => {
                    for spec in &d.specifiers {
                        let local = spec.local.name();
                        let v = match self.lookup(&local).cloned() {
                            Some(Binding::Value(v)) => v,
                            _ => self.unknown(spec.span),
                        };
                        self.exports.push((spec.exported.name().to_string(), v));
                    }
                }
                other => {
                    if let Flow::Return(_) | Flow::GiveUp = self.statement(other) {
                        // Top-level `return` is not valid in modules; nothing to do.
                    }
                }
            }
        }
    }

    /// `export default X`: X, or the call of X when X names a function (`export default
    /// createConfig` / `export default async () => ({...})`): Docusaurus calls exported
    /// functions to get the config.
    fn exported_value(&mut self, e: &'a Expression<'a>) -> Value {
        if !self.is_config {
            if let Expression::Identifier(id) = e.get_inner_expression()
                && let Some(Binding::Func(_)) = self.lookup(&id.name)
            {
                let name = id.name.to_string();
                return Value::new(Val::Function { file: self.path.clone(), name }, self.origin(e.span()));
            }
            return self.expr(e);
        }
        match e.get_inner_expression() {
            Expression::ArrowFunctionExpression(f) => self.call(Func::Arrow(f), &[], f.span),
            Expression::FunctionExpression(f) => self.call(Func::Decl(f), &[], f.span),
            Expression::Identifier(id) => match self.lookup(&id.name).cloned() {
                Some(Binding::Func(f)) => self.call(f, &[], id.span),
                _ => self.expr(e),
            },
            _ => self.expr(e),
        }
    }

    /// Function declarations are visible before they are written.
    fn hoist(&mut self, body: &'a [Statement<'a>]) {
        for s in body {
            let f = match s {
                Statement::FunctionDeclaration(f) => Some(&**f),
                Statement::ExportDeclaration(d) => match &d.declaration {
                    Declaration::FunctionDeclaration(f) => Some(&**f),
                    _ => None,
                },
                _ => None,
            };
            if let Some(f) = f
                && let Some(id) = &f.id
            {
                self.bind(&id.name, Binding::Func(Func::Decl(f)));
            }
        }
    }

    fn import_decl(&mut self, d: &'a ImportDeclaration<'a>) {
        let Some(specs) = &d.specifiers else { return };
        if d.import_kind.is_type() {
            return;
        }
        let ns = self.ev.import(&self.dir.clone(), &d.source.value, self.origin(d.source.span));
        for spec in specs {
            let (local, v) = match spec {
                ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => (
                    s.local.name.to_string(),
                    ns.get("default").cloned().unwrap_or_else(|| self.unknown_named(&ns, s.span)),
                ),
                ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => (s.local.name.to_string(), ns.clone()),
                ImportDeclarationSpecifier::ImportSpecifier(s) => {
                    let name = s.imported.name();
                    (
                        s.local.name.to_string(),
                        ns.get(&name).cloned().unwrap_or_else(|| self.unknown_named(&ns, s.span)),
                    )
                }
            };
            self.bind(&local, Binding::Value(v));
        }
    }

    fn unknown_named(&self, ns: &Value, span: oxc_span::Span) -> Value {
        match &ns.val {
            Val::Unknown(what) => Value::new(Val::Unknown(what.clone()), self.origin(span)),
            _ => Value::new(Val::Undefined, self.origin(span)),
        }
    }

    /// Bind a declaration; the names it binds.
    fn declaration(&mut self, d: &'a Declaration<'a>) -> Vec<String> {
        match d {
            Declaration::VariableDeclaration(v) => self.var_decl(v),
            Declaration::FunctionDeclaration(f) => match &f.id {
                Some(id) => {
                    self.bind(&id.name, Binding::Func(Func::Decl(f)));
                    vec![id.name.to_string()]
                }
                None => Vec::new(),
            },
            _ => Vec::new(),
        }
    }

    fn var_decl(&mut self, v: &'a VariableDeclaration<'a>) -> Vec<String> {
        let mut names = Vec::new();
        for d in &v.declarations {
            let value = match &d.init {
                Some(Expression::ArrowFunctionExpression(f)) => {
                    if let BindingPattern::BindingIdentifier(id) = &d.id {
                        self.bind(&id.name, Binding::Func(Func::Arrow(f)));
                        names.push(id.name.to_string());
                    }
                    continue;
                }
                Some(Expression::FunctionExpression(f)) => {
                    if let BindingPattern::BindingIdentifier(id) = &d.id {
                        self.bind(&id.name, Binding::Func(Func::Decl(f)));
                        names.push(id.name.to_string());
                    }
                    continue;
                }
                Some(e) => self.expr(e),
                None => Value::new(Val::Undefined, self.origin(d.span)),
            };
            self.bind_pattern(&d.id, value, &mut names);
        }
        names
    }

    fn bind_pattern(&mut self, p: &'a BindingPattern<'a>, value: Value, names: &mut Vec<String>) {
        match p {
            BindingPattern::BindingIdentifier(id) => {
                names.push(id.name.to_string());
                self.bind(&id.name, Binding::Value(value));
            }
            BindingPattern::ObjectPattern(o) => {
                for prop in &o.properties {
                    let key = self.property_key(&prop.key, prop.computed);
                    let v = match (&value.val, key) {
                        (Val::Unknown(_), _) | (_, None) => self.unknown(prop.span),
                        (_, Some(k)) => {
                            value.get(&k).cloned().unwrap_or_else(|| Value::new(Val::Undefined, self.origin(prop.span)))
                        }
                    };
                    self.bind_pattern(&prop.value, v.with_env(&value.env), names);
                }
            }
            BindingPattern::ArrayPattern(a) => {
                for (k, el) in a.elements.iter().enumerate() {
                    let Some(el) = el else { continue };
                    let v = match &value.val {
                        Val::Array(items) => {
                            items.get(k).cloned().unwrap_or_else(|| Value::new(Val::Undefined, value.origin))
                        }
                        _ => self.unknown(el.span()),
                    };
                    self.bind_pattern(el, v, names);
                }
            }
            BindingPattern::AssignmentPattern(a) => {
                let v = if matches!(value.val, Val::Undefined) { self.expr(&a.right) } else { value };
                self.bind_pattern(&a.left, v, names);
            }
        }
    }

    fn statements(&mut self, body: &'a [Statement<'a>]) -> Flow {
        self.hoist(body);
        for s in body {
            match self.statement(s) {
                Flow::Normal => {}
                other => return other,
            }
        }
        Flow::Normal
    }

    fn statement(&mut self, s: &'a Statement<'a>) -> Flow {
        match s {
            Statement::VariableDeclaration(v) => {
                self.var_decl(v);
                Flow::Normal
            }
            Statement::FunctionDeclaration(_) | Statement::EmptyStatement(_) => Flow::Normal,
            Statement::ReturnStatement(r) => Flow::Return(match &r.argument {
                Some(e) => self.expr(e),
                None => Value::new(Val::Undefined, self.origin(r.span)),
            }),
            Statement::ExpressionStatement(e) => {
                self.expression_statement(&e.expression);
                Flow::Normal
            }
            Statement::BlockStatement(b) => {
                self.scopes.push(HashMap::new());
                let f = self.statements(&b.body);
                self.scopes.pop();
                f
            }
            Statement::IfStatement(i) => {
                let test = self.expr(&i.test);
                match test.truthy() {
                    Some(true) => self.statement(&i.consequent),
                    Some(false) => match &i.alternate {
                        Some(alt) => self.statement(alt),
                        None => Flow::Normal,
                    },
                    None => Flow::GiveUp,
                }
            }
            // Type declarations change no value.
            Statement::TSTypeAliasDeclaration(_) | Statement::TSInterfaceDeclaration(_) => Flow::Normal,
            _ => Flow::GiveUp,
        }
    }

    /// `module.exports = X`, `exports.a = X`, `module.exports.a = X`; other statements are
    /// side effects the config does not need.
    fn expression_statement(&mut self, e: &'a Expression<'a>) {
        let Expression::AssignmentExpression(a) = e else { return };
        if !a.operator.is_assign() {
            return;
        }
        let Some(member) = a.left.as_member_expression() else { return };
        let Some(prop) = member.static_property_name() else { return };
        let object = member.object();
        let is_module = |o: &Expression| matches!(o, Expression::Identifier(id) if id.name == "module");
        let is_exports = |o: &Expression| {
            matches!(o, Expression::Identifier(id) if id.name == "exports")
                || o.as_member_expression().is_some_and(|m| {
                    m.static_property_name() == Some("exports")
                        && matches!(m.object(), Expression::Identifier(id) if id.name == "module")
                })
        };
        if is_module(object) && prop == "exports" {
            let v = self.exported_value(&a.right);
            self.cjs = Some(v);
        } else if is_exports(object) {
            let v = self.expr(&a.right);
            let cjs = self.cjs.get_or_insert_with(|| Value::new(Val::Object(Vec::new()), Origin::default()));
            if let Val::Object(props) = &mut cjs.val {
                props.retain(|(k, _)| *k != prop);
                props.push((prop.to_string(), v));
            }
        }
    }

    fn call(&mut self, f: Func<'a>, args: &[Value], span: oxc_span::Span) -> Value {
        if self.depth >= MAX_DEPTH {
            return self.unknown(span);
        }
        self.depth += 1;
        self.scopes.push(HashMap::new());
        let params = match f {
            Func::Decl(f) => &f.params,
            Func::Arrow(f) => &f.params,
        };
        let mut names = Vec::new();
        for (k, p) in params.items.iter().enumerate() {
            let mut v = args.get(k).cloned().unwrap_or_else(|| Value::new(Val::Undefined, self.origin(p.span)));
            if matches!(v.val, Val::Undefined)
                && let Some(init) = &p.initializer
            {
                v = self.expr(init);
            }
            self.bind_pattern(&p.pattern, v, &mut names);
        }
        let result = match f {
            Func::Decl(func) => match &func.body {
                Some(body) => self.statements(&body.statements),
                None => Flow::GiveUp,
            },
            Func::Arrow(a) => match &a.body {
                ArrowFunctionBody::FunctionBody(body) => self.statements(&body.statements),
                other => match other.as_expression() {
                    Some(e) => Flow::Return(self.expr(e)),
                    None => Flow::GiveUp,
                },
            },
        };
        self.scopes.pop();
        self.depth -= 1;
        match result {
            Flow::Return(v) => v,
            Flow::Normal => Value::new(Val::Undefined, self.origin(span)),
            Flow::GiveUp => self.unknown(span),
        }
    }

    fn property_key(&mut self, key: &'a PropertyKey<'a>, computed: bool) -> Option<String> {
        match key {
            PropertyKey::StaticIdentifier(id) if !computed => Some(id.name.to_string()),
            PropertyKey::PrivateIdentifier(_) => None,
            other => {
                let e = other.as_expression()?;
                match e {
                    Expression::StringLiteral(s) => Some(s.value.to_string()),
                    Expression::NumericLiteral(n) => Some(js_number(n.value)),
                    Expression::Identifier(id) if !computed => Some(id.name.to_string()),
                    _ => self.expr(e).to_js_string(),
                }
            }
        }
    }

    fn expr(&mut self, e: &'a Expression<'a>) -> Value {
        if self.depth >= MAX_DEPTH {
            return self.unknown(e.span());
        }
        self.depth += 1;
        let v = self.expr_inner(e);
        self.depth -= 1;
        v
    }

    fn expr_inner(&mut self, e: &'a Expression<'a>) -> Value {
        let origin = self.origin(e.span());
        let v = |val| Value::new(val, origin);
        match e {
            Expression::StringLiteral(s) => v(Val::Str(s.value.to_string())),
            Expression::NumericLiteral(n) => v(Val::Num(n.value)),
            Expression::BooleanLiteral(b) => v(Val::Bool(b.value)),
            Expression::NullLiteral(_) => v(Val::Null),
            Expression::ParenthesizedExpression(p) => self.expr(&p.expression),
            Expression::TSAsExpression(x) => self.expr(&x.expression),
            Expression::TSSatisfiesExpression(x) => self.expr(&x.expression),
            Expression::TSNonNullExpression(x) => self.expr(&x.expression),
            Expression::TSTypeAssertion(x) => self.expr(&x.expression),
            Expression::AwaitExpression(a) => self.expr(&a.argument),
            Expression::TemplateLiteral(t) => {
                let mut out = String::new();
                let mut env = Vec::new();
                for (k, q) in t.quasis.iter().enumerate() {
                    out.push_str(q.value.cooked.as_ref().map_or(q.value.raw.as_str(), |c| c.as_str()));
                    if let Some(x) = t.expressions.get(k) {
                        let val = self.expr(x);
                        merge_env(&mut env, &val.env);
                        match val.to_js_string() {
                            Some(s) => out.push_str(&s),
                            None => return self.unknown(e.span()).with_env(&env),
                        }
                    }
                }
                v(Val::Str(out)).with_env(&env)
            }
            Expression::Identifier(id) => match id.name.as_str() {
                "undefined" => v(Val::Undefined),
                name => match self.lookup(name).cloned() {
                    Some(Binding::Value(mut val)) => {
                        // A binding used elsewhere keeps where its value is written.
                        if val.origin == Origin::default() {
                            val.origin = origin;
                        }
                        val
                    }
                    _ => self.unknown(e.span()),
                },
            },
            Expression::ArrayExpression(a) => {
                let mut items = Vec::new();
                let mut env = Vec::new();
                for el in &a.elements {
                    match el {
                        ArrayExpressionElement::SpreadElement(s) => {
                            let val = self.expr(&s.argument);
                            merge_env(&mut env, &val.env);
                            match val.val {
                                Val::Array(xs) => items.extend(xs.into_iter().map(|x| x.with_env(&val.env))),
                                Val::Str(s) => items.extend(s.chars().map(|c| v(Val::Str(c.to_string())))),
                                _ => items.push(self.unknown(s.span).with_env(&val.env)),
                            }
                        }
                        ArrayExpressionElement::Elision(_) => items.push(v(Val::Undefined)),
                        other => match other.as_expression() {
                            Some(x) => items.push(self.expr(x)),
                            None => items.push(self.unknown(other.span())),
                        },
                    }
                }
                v(Val::Array(items)).with_env(&env)
            }
            Expression::ObjectExpression(o) => {
                let mut props: Vec<(String, Value)> = Vec::new();
                let mut env = Vec::new();
                let set = |props: &mut Vec<(String, Value)>, k: String, val: Value| match props
                    .iter_mut()
                    .find(|(p, _)| *p == k)
                {
                    Some(slot) => slot.1 = val,
                    None => props.push((k, val)),
                };
                for p in &o.properties {
                    match p {
                        ObjectPropertyKind::SpreadProperty(s) => {
                            let val = self.expr(&s.argument);
                            merge_env(&mut env, &val.env);
                            match val.val {
                                Val::Object(xs) => {
                                    for (k, x) in xs {
                                        set(&mut props, k, x.with_env(&val.env));
                                    }
                                }
                                Val::Undefined | Val::Null | Val::Bool(_) | Val::Num(_) => {}
                                _ => {
                                    props.push((format!("...{}", self.source(s.argument.span())), self.unknown(s.span)))
                                }
                            }
                        }
                        ObjectPropertyKind::ObjectProperty(prop) => {
                            let val = match &prop.value {
                                Expression::ArrowFunctionExpression(_) | Expression::FunctionExpression(_) => {
                                    self.unknown(prop.value.span())
                                }
                                x => self.expr(x),
                            };
                            match self.property_key(&prop.key, prop.computed) {
                                Some(k) => set(&mut props, k, val),
                                None => {
                                    let text = format!("[{}]", self.source(prop.key.span()));
                                    props.push((text, self.unknown(prop.key.span())));
                                }
                            }
                        }
                    }
                }
                v(Val::Object(props)).with_env(&env)
            }
            Expression::ConditionalExpression(c) => {
                let test = self.expr(&c.test);
                match test.truthy() {
                    Some(true) => self.expr(&c.consequent).with_env(&test.env),
                    Some(false) => self.expr(&c.alternate).with_env(&test.env),
                    None => self.unknown(e.span()).with_env(&test.env),
                }
            }
            Expression::LogicalExpression(l) => {
                let left = self.expr(&l.left);
                let pick_right = match l.operator {
                    LogicalOperator::Or => left.truthy().map(|t| !t),
                    LogicalOperator::And => left.truthy(),
                    LogicalOperator::Coalesce => match left.val {
                        Val::Unknown(_) => None,
                        Val::Undefined | Val::Null => Some(true),
                        _ => Some(false),
                    },
                };
                match pick_right {
                    Some(true) => self.expr(&l.right).with_env(&left.env),
                    Some(false) => left,
                    None => self.unknown(e.span()).with_env(&left.env),
                }
            }
            Expression::UnaryExpression(u) => {
                let arg = self.expr(&u.argument);
                let env = arg.env.clone();
                let val = match (u.operator, &arg.val) {
                    (UnaryOperator::LogicalNot, _) => arg.truthy().map(|t| Val::Bool(!t)),
                    (UnaryOperator::UnaryNegation, Val::Num(n)) => Some(Val::Num(-n)),
                    (UnaryOperator::UnaryPlus, Val::Num(n)) => Some(Val::Num(*n)),
                    (UnaryOperator::Void, _) => Some(Val::Undefined),
                    _ => None,
                };
                match val {
                    Some(val) => v(val).with_env(&env),
                    None => self.unknown(e.span()).with_env(&env),
                }
            }
            Expression::BinaryExpression(b) => {
                let left = self.expr(&b.left);
                let right = self.expr(&b.right);
                let mut env = left.env.clone();
                merge_env(&mut env, &right.env);
                match binary(b.operator, &left.val, &right.val) {
                    Some(val) => v(val).with_env(&env),
                    None => self.unknown(e.span()).with_env(&env),
                }
            }
            Expression::StaticMemberExpression(m) => {
                if let Some(name) = self.env_name(&m.object, Some(m.property.name.as_str())) {
                    return self.env_read(&name, origin);
                }
                let object = self.expr(&m.object);
                self.member(object, m.property.name.as_str(), origin, e.span())
            }
            Expression::ComputedMemberExpression(m) => {
                let key = self.expr(&m.expression);
                let Some(k) = key.to_js_string().filter(|_| !key.is_unknown()) else {
                    return self.unknown(e.span());
                };
                if let Some(name) = self.env_name(&m.object, Some(&k)) {
                    return self.env_read(&name, origin);
                }
                let object = self.expr(&m.object);
                self.member(object, &k, origin, e.span())
            }
            Expression::CallExpression(c) => self.call_expr(c),
            Expression::ImportExpression(i) => match &i.source {
                Expression::StringLiteral(s) => self.ev.import(&self.dir.clone(), &s.value, origin),
                _ => self.unknown(e.span()),
            },
            _ => self.unknown(e.span()),
        }
    }

    /// `process.env.NAME` (`object` is `process.env`, `prop` the name).
    fn env_name(&self, object: &Expression, prop: Option<&str>) -> Option<String> {
        let m = object.as_member_expression()?;
        let is_process = matches!(m.object(), Expression::Identifier(id) if id.name == "process")
            && self.lookup("process").is_none();
        (is_process && m.static_property_name() == Some("env")).then(|| prop.map(str::to_string)).flatten()
    }

    fn env_read(&self, name: &str, origin: Origin) -> Value {
        let (val, assumed) = match self.ev.env_value(name) {
            Some(s) => (Val::Str(s.to_string()), false),
            None => (Val::Undefined, true),
        };
        let mut v = Value::new(val, origin);
        v.env.push(EnvUse { name: name.to_string(), origin, assumed });
        v
    }

    fn member(&mut self, object: Value, key: &str, origin: Origin, span: oxc_span::Span) -> Value {
        let env = object.env.clone();
        match &object.val {
            Val::Object(props) => match props.iter().find(|(k, _)| k == key) {
                Some((_, x)) => x.clone().with_env(&env),
                None if props.iter().any(|(k, x)| k.starts_with("...") || x.is_unknown() && k.starts_with('[')) => {
                    self.unknown(span)
                }
                None => Value::new(Val::Undefined, origin).with_env(&env),
            },
            Val::Array(items) if key == "length" => Value::new(Val::Num(items.len() as f64), origin).with_env(&env),
            Val::Array(items) => match key.parse::<usize>() {
                Ok(k) => items.get(k).cloned().unwrap_or_else(|| Value::new(Val::Undefined, origin)).with_env(&env),
                Err(_) => self.unknown(span),
            },
            Val::Str(s) if key == "length" => Value::new(Val::Num(s.encode_utf16().count() as f64), origin),
            _ => self.unknown(span).with_env(&env),
        }
    }

    fn call_expr(&mut self, c: &'a CallExpression<'a>) -> Value {
        let origin = self.origin(c.span);
        let mut args = Vec::new();
        for a in &c.arguments {
            match a.as_expression() {
                Some(x) => args.push(self.expr(x)),
                None => args.push(self.unknown(a.span())),
            }
        }
        match c.callee.get_inner_expression() {
            Expression::Identifier(id) if id.name == "require" && self.lookup("require").is_none() => {
                match args.first().and_then(|a| a.as_str()) {
                    Some(spec) => {
                        let spec = spec.to_string();
                        let ns = self.ev.import(&self.dir.clone(), &spec, origin);
                        // `require` of an ES module gives its namespace; of CommonJS, its exports.
                        match ns.get("default") {
                            Some(d) if ns.get("__esModule").is_none() => d.clone(),
                            _ => ns,
                        }
                    }
                    None => self.unknown(c.span),
                }
            }
            Expression::Identifier(id) => match self.lookup(&id.name).cloned() {
                Some(Binding::Func(f)) => self.call(f, &args, c.span),
                Some(Binding::Value(Value { val: Val::Function { file, name }, .. })) => {
                    match self.ev.call_exported(&file, &name, &args) {
                        Some(mut v) => {
                            v.origin = origin;
                            v
                        }
                        None => self.unknown(c.span),
                    }
                }
                _ => self.unknown(c.span),
            },
            Expression::ArrowFunctionExpression(f) => self.call(Func::Arrow(f), &args, c.span),
            Expression::FunctionExpression(f) => self.call(Func::Decl(f), &args, c.span),
            callee => {
                // `[...].concat(...)`, `.filter(Boolean)`: the two array methods configs use to
                // assemble lists.
                if let Some(m) = callee.as_member_expression()
                    && let Some(name) = m.static_property_name()
                {
                    // `Object.keys(versions)`: configs list the versions they build this way.
                    if let Expression::Identifier(o) = m.object().get_inner_expression()
                        && o.name == "Object"
                        && self.lookup("Object").is_none()
                    {
                        let env = args.first().map(|a| a.env.clone()).unwrap_or_default();
                        return match (name, args.first().map(|a| &a.val)) {
                            ("keys", Some(Val::Object(props))) => Value::new(
                                Val::Array(
                                    props.iter().map(|(k, _)| Value::new(Val::Str(k.clone()), origin)).collect(),
                                ),
                                origin,
                            ),
                            ("values", Some(Val::Object(props))) => {
                                Value::new(Val::Array(props.iter().map(|(_, v)| v.clone()).collect()), origin)
                            }
                            _ => self.unknown(c.span),
                        }
                        .with_env(&env);
                    }
                    let object = self.expr(m.object());
                    if let Val::Str(text) = &object.val {
                        let mut env = object.env.clone();
                        for a in &args {
                            merge_env(&mut env, &a.env);
                        }
                        return match string_method(text, name, &args) {
                            Some(val) => Value::new(val, origin).with_env(&env),
                            None => self.unknown(c.span).with_env(&env),
                        };
                    }
                    if let Val::Array(items) = &object.val
                        && name == "join"
                    {
                        let sep = args.first().and_then(|a| a.as_str()).unwrap_or(",");
                        let parts: Option<Vec<String>> = items.iter().map(Value::to_js_string).collect();
                        return match parts {
                            Some(p) => Value::new(Val::Str(p.join(sep)), origin).with_env(&object.env),
                            None => self.unknown(c.span),
                        };
                    }
                    if let Val::Array(items) = &object.val {
                        let mut env = object.env.clone();
                        match name {
                            "concat" => {
                                let mut out = items.clone();
                                for a in &args {
                                    merge_env(&mut env, &a.env);
                                    match &a.val {
                                        Val::Array(xs) => out.extend(xs.iter().cloned()),
                                        Val::Unknown(_) => return self.unknown(c.span).with_env(&env),
                                        _ => out.push(a.clone()),
                                    }
                                }
                                return Value::new(Val::Array(out), origin).with_env(&env);
                            }
                            "slice" => {
                                let n = items.len() as f64;
                                let at = |k: usize, dflt: f64| match args.get(k).map(|a| &a.val) {
                                    Some(Val::Num(x)) => {
                                        let x = if *x < 0.0 { (n + x).max(0.0) } else { x.min(n) };
                                        x as usize
                                    }
                                    _ => dflt as usize,
                                };
                                let (start, end) = (at(0, 0.0), at(1, n));
                                let out = if start < end { items[start..end].to_vec() } else { Vec::new() };
                                return Value::new(Val::Array(out), origin).with_env(&env);
                            }
                            "filter"
                                if matches!(c.arguments.first().and_then(|a| a.as_expression()),
                                    Some(Expression::Identifier(id)) if id.name == "Boolean") =>
                            {
                                if items.iter().any(|x| x.truthy().is_none()) {
                                    return self.unknown(c.span).with_env(&env);
                                }
                                let out = items.iter().filter(|x| x.truthy() == Some(true)).cloned().collect();
                                return Value::new(Val::Array(out), origin).with_env(&env);
                            }
                            _ => {}
                        }
                    }
                }
                self.unknown(c.span)
            }
        }
    }
}

/// The string methods configs and `variables.js` files compute values with. Indexes count
/// UTF-16 units in JavaScript; these strings are ASCII in practice, so chars stand in for them.
fn string_method(s: &str, name: &str, args: &[Value]) -> Option<Val> {
    let arg_str = |k: usize| args.get(k).and_then(|a| a.as_str());
    let arg_num = |k: usize| match args.get(k).map(|a| &a.val) {
        Some(Val::Num(n)) => Some(*n),
        _ => None,
    };
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as f64;
    let index = |n: f64| -> usize {
        let n = if n < 0.0 { (len + n).max(0.0) } else { n.min(len) };
        n as usize
    };
    Some(match name {
        "includes" => Val::Bool(s.contains(arg_str(0)?)),
        "startsWith" => Val::Bool(s.starts_with(arg_str(0)?)),
        "endsWith" => Val::Bool(s.ends_with(arg_str(0)?)),
        "toLowerCase" => Val::Str(s.to_lowercase()),
        "toUpperCase" => Val::Str(s.to_uppercase()),
        "trim" => Val::Str(s.trim().to_string()),
        "slice" | "substring" => {
            let start = index(arg_num(0).unwrap_or(0.0));
            let end = args.get(1).map_or(Some(chars.len()), |_| arg_num(1).map(index))?;
            Val::Str(if start < end { chars[start..end].iter().collect() } else { String::new() })
        }
        "replace" => Val::Str(s.replacen(arg_str(0)?, arg_str(1)?, 1)),
        "replaceAll" => Val::Str(s.replace(arg_str(0)?, arg_str(1)?)),
        "split" => {
            let sep = arg_str(0)?;
            let parts: Vec<Value> = if sep.is_empty() {
                chars.iter().map(|c| Value::new(Val::Str(c.to_string()), Origin::default())).collect()
            } else {
                s.split(sep).map(|p| Value::new(Val::Str(p.to_string()), Origin::default())).collect()
            };
            Val::Array(parts)
        }
        _ => return None,
    })
}

fn binary(op: BinaryOperator, l: &Val, r: &Val) -> Option<Val> {
    if matches!(l, Val::Unknown(_)) || matches!(r, Val::Unknown(_)) {
        return None;
    }
    let prim = |v: &Val| matches!(v, Val::Undefined | Val::Null | Val::Bool(_) | Val::Num(_) | Val::Str(_));
    Some(match op {
        BinaryOperator::StrictEquality | BinaryOperator::StrictInequality if prim(l) && prim(r) => {
            let eq = l == r;
            Val::Bool(if op == BinaryOperator::StrictEquality { eq } else { !eq })
        }
        BinaryOperator::Equality | BinaryOperator::Inequality if prim(l) && prim(r) => {
            let nullish = |v: &Val| matches!(v, Val::Undefined | Val::Null);
            let eq = if nullish(l) || nullish(r) {
                nullish(l) && nullish(r)
            } else if std::mem::discriminant(l) == std::mem::discriminant(r) {
                l == r
            } else {
                return None;
            };
            Val::Bool(if op == BinaryOperator::Equality { eq } else { !eq })
        }
        BinaryOperator::Addition => match (l, r) {
            (Val::Num(a), Val::Num(b)) => Val::Num(a + b),
            (Val::Str(_), _) | (_, Val::Str(_)) if prim(l) && prim(r) => {
                let s = |v: &Val| Value::new(v.clone(), Origin::default()).to_js_string().unwrap_or_default();
                Val::Str(format!("{}{}", s(l), s(r)))
            }
            _ => return None,
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_with(files: &[(&str, &str)], env: &[(String, String)]) -> Result<Value, SyntaxError> {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let p = dir.path().join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(p, text).expect("write");
        }
        let mut ev = Evaluator::new(env);
        ev.config(&dir.path().join(files[0].0))
    }

    fn eval(src: &str) -> Value {
        eval_with(&[("docusaurus.config.js", src)], &[]).unwrap_or_else(|e| panic!("{}", e.message))
    }

    fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
        let mut cur = v;
        for k in path.split('.') {
            cur = match &cur.val {
                Val::Array(items) => &items[k.parse::<usize>().expect("index")],
                _ => cur.get(k).unwrap_or_else(|| panic!("no `{k}` in {cur:?}")),
            };
        }
        cur
    }

    fn s<'v>(v: &'v Value, path: &str) -> &'v str {
        at(v, path).as_str().unwrap_or_else(|| panic!("{path} is not a string: {:?}", at(v, path)))
    }

    #[test]
    fn literals_bindings_and_spreads() {
        let v = eval(
            "const base = { a: 'x', n: 3.30, t: true };\nlet list = ['b'];\n\
             module.exports = { ...base, a: 'y', list: [...list, 'c'], 3.32: 'k', 'q': null, [`c${1}`]: 1 };\n",
        );
        assert_eq!(s(&v, "a"), "y");
        assert_eq!(at(&v, "n").val, Val::Num(3.3));
        assert_eq!(s(&v, "list.1"), "c");
        assert_eq!(v.get("3.32").and_then(Value::as_str), Some("k"));
        assert_eq!(at(&v, "q").val, Val::Null);
        assert_eq!(at(&v, "c1").val, Val::Num(1.0));
        assert_eq!(js_number(3.30), "3.3");
        // Where the value is written.
        let mut ev_sources = Sources::default();
        ev_sources.files.push((PathBuf::from("c.js"), "const base = { a: 'x' };".into()));
        assert_eq!(ev_sources.line_col(Origin { file: 0, start: 18, end: 21 }), (1, 19));
    }

    #[test]
    fn positions_are_kept() {
        let v = eval("module.exports = {\n  baseUrl: '/docs/',\n};\n");
        let b = at(&v, "baseUrl");
        assert_eq!((b.origin.start, b.origin.end), (30, 38));
    }

    #[test]
    fn functions_and_templates() {
        let v = eval(
            "function docs(id, base = 'r') { const p = `${id}-x`; return { id, path: p, base }; }\n\
             const arrow = (a) => ({ v: a + '!' });\n\
             export default async function create() { const x = await docs('one'); return { x, y: arrow('hi'), z: docs('two', 'b') }; }\n",
        );
        assert_eq!(s(&v, "x.path"), "one-x");
        assert_eq!(s(&v, "x.base"), "r");
        assert_eq!(s(&v, "y.v"), "hi!");
        assert_eq!(s(&v, "z.base"), "b");
    }

    #[test]
    fn unknowns_keep_their_text_and_position() {
        let v = eval(
            "const path = require('path');\nmodule.exports = { a: path.resolve(__dirname, 'x'), b: someCall(), [key]: 1 };\n",
        );
        assert_eq!(at(&v, "a").val, Val::Unknown("path.resolve(__dirname, 'x')".into()));
        assert_eq!(at(&v, "b").val, Val::Unknown("someCall()".into()));
        assert_eq!(at(&v, "[key]").val, Val::Unknown("key".into()));
        assert_eq!(at(&v, "b").origin.start, 85);
    }

    #[test]
    fn env_is_assumed_unset_unless_given() {
        let src = "const next = process.env.BUILD_NEXT === 'true' ? ['current'] : [];\n\
                   module.exports = { only: [...next, '1.0'], flag: process.env['X'] || 'd' };\n";
        let v = eval(src);
        let only = at(&v, "only");
        assert_eq!(only.val, Val::Array(vec![Value::new(Val::Str("1.0".into()), at(&v, "only.0").origin)]));
        assert_eq!(only.env.len(), 1);
        assert_eq!(only.env[0].name, "BUILD_NEXT");
        assert!(only.env[0].assumed);
        assert_eq!(s(&v, "flag"), "d");
        let env = vec![("BUILD_NEXT".to_string(), "true".to_string())];
        let v = eval_with(&[("docusaurus.config.js", src)], &env).expect("ok");
        assert_eq!(s(&v, "only.0"), "current");
        assert!(!at(&v, "only").env[0].assumed);
    }

    #[test]
    fn imports_of_json_and_local_modules() {
        let v = eval_with(
            &[
                (
                    "docusaurus.config.mjs",
                    "import versions from './versions.json';\nimport { shared } from './lib/shared.mjs';\n\
                     import preset from '@docusaurus/preset-classic';\nconst cjs = require('./cjs');\n\
                     export default { versions, shared, cjs, preset, latest: versions[0] };\n",
                ),
                ("versions.json", "[\"2.0\", \"1.0\"]"),
                ("lib/shared.mjs", "export const shared = { path: 'docs' };\nexport default 1;\n"),
                ("cjs.js", "module.exports = { x: 'y' };\n"),
            ],
            &[],
        )
        .expect("ok");
        assert_eq!(s(&v, "versions.1"), "1.0");
        assert_eq!(s(&v, "latest"), "2.0");
        assert_eq!(s(&v, "shared.path"), "docs");
        assert_eq!(s(&v, "cjs.x"), "y");
        assert!(at(&v, "preset").is_unknown());
    }

    #[test]
    fn typescript_configs() {
        let v = eval_with(
            &[(
                "docusaurus.config.ts",
                "import type { Config } from '@docusaurus/types';\nconst config: Config = { baseUrl: '/x/', presets: [['classic', { docs: false } satisfies Preset.Options]] };\nexport default config;\n",
            )],
            &[],
        )
        .expect("ok");
        assert_eq!(s(&v, "baseUrl"), "/x/");
        assert_eq!(at(&v, "presets.0.1.docs").val, Val::Bool(false));
    }

    #[test]
    fn syntax_errors_have_offsets() {
        let e = eval_with(&[("docusaurus.config.js", "module.exports = {\n  a: 'x',,\n};\n")], &[]).expect_err("error");
        assert_eq!(crate::site::variables::line_col(&e.text, e.offset), (2, 10));
        assert!(!e.message.is_empty());
    }

    #[test]
    fn string_and_array_methods() {
        let v = eval(
            "const r = [{ v: 'v1.40.15', t: 'v3.22.1-2.0' }];\nmodule.exports = {\n  short: r[0].v.split('.').slice(0, 2).join('.'),\n  minor: 'v3.22'.slice(1), pre: 'master'.includes('-') ? ' --devel' : '',\n  url: 'https://x/' + r[0].t.slice(0, 5), up: 'a'.toUpperCase(), no: 'a'.nope(),\n};\n",
        );
        assert_eq!(s(&v, "short"), "v1.40");
        assert_eq!(s(&v, "minor"), "3.22");
        assert_eq!(s(&v, "pre"), "");
        assert_eq!(s(&v, "url"), "https://x/v3.22");
        assert_eq!(s(&v, "up"), "A");
        assert!(at(&v, "no").is_unknown());
    }

    #[test]
    fn object_keys_and_values() {
        let v = eval(
            "const v = { '3.2': { path: 'a' }, '3.1': {} };\nmodule.exports = { k: Object.keys(v), n: Object.values(v)[0].path, e: Object.entries(v) };\n",
        );
        assert_eq!(s(&v, "k.1"), "3.1");
        assert_eq!(s(&v, "n"), "a");
        assert!(at(&v, "e").is_unknown());
    }

    #[test]
    fn modules_outside_the_site_are_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("site")).expect("mkdir");
        std::fs::write(dir.path().join("secret.json"), "{\"token\": \"s3cret\"}").expect("write");
        std::fs::write(dir.path().join("site/inside.json"), "{\"v\": \"ok\"}").expect("write");
        std::fs::write(
            dir.path().join("site/docusaurus.config.js"),
            "const s = require('../secret.json');\nconst i = require('./inside.json');\nmodule.exports = { token: s.token, v: i.v };\n",
        )
        .expect("write");
        let mut ev = Evaluator::new(&[]);
        let v = ev.config(&dir.path().join("site/docusaurus.config.js")).expect("config");
        assert_eq!(s(&v, "v"), "ok");
        assert!(at(&v, "token").is_unknown(), "a module outside the site folder was read");
    }

    #[test]
    fn functions_of_other_modules_are_called() {
        // `variables.js` is read as `require` reads it: its exported function is not called.
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("utils")).expect("mkdir");
        std::fs::write(dir.path().join("utils/img.js"), "function img(c, rel) {\n  const x = rel.components[c];\n  const reg = x.registry ? `${x.registry}/` : '';\n  return `${reg}${x.image}:${x.version}`;\n}\nmodule.exports = img;\n").expect("write");
        std::fs::write(dir.path().join("variables.js"), "const img = require('./utils/img');\nmodule.exports = { node: img('node', { components: { node: { registry: 'r', image: 'i', version: 'v1' } } }) };\n").expect("write");
        let mut ev = Evaluator::new(&[]);
        let v = ev.exports(&dir.path().join("variables.js"));
        assert_eq!(s(&v, "node"), "r/i:v1");
    }

    #[test]
    fn cycles_and_deep_recursion_stop() {
        let v = eval("function f(n) { return f(n); }\nmodule.exports = { a: f(1) };\n");
        assert!(at(&v, "a").is_unknown());
        let v = eval_with(
            &[
                ("docusaurus.config.js", "module.exports = require('./a');\n"),
                ("a.js", "module.exports = { b: require('./a') };\n"),
            ],
            &[],
        )
        .expect("ok");
        assert!(at(&v, "b").is_unknown());
    }
}
