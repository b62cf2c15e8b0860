//! The crate's layers point only down: this test reads `src/**/*.rs`, builds the graph of
//! `crate::` and `super::` imports between units (top-level modules, and each submodule of
//! `analysis/` as its own unit), and fails on any cycle and on any import that goes up
//! [`LAYERS`]. The order is written here once; README's design notes draw the same picture.
//!
//! Comments and string literals are blanked before scanning, so a doc link to an upper module
//! is not an import; every path in code is (`use crate::{a, b::c}`, `crate::x::f()` in a body,
//! `$crate::` in a macro, `super::` resolved from the file's module, inline `mod`s included).
//! `main.rs` is the binary and is not scanned.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A layer: its units, bottom first within the layer when `ordered` (a unit may then import
/// the units listed before it); otherwise its units may not import each other.
struct Layer {
    name: &'static str,
    ordered: bool,
    units: &'static [&'static str],
}

/// The layers, bottom first. A unit may import any unit of a lower layer.
const LAYERS: &[Layer] = &[
    Layer { name: "diagnostics and plain containers", ordered: false, units: &["diag", "one_or_many", "str_list"] },
    Layer { name: "one file and the site", ordered: true, units: &["doc", "site"] },
    Layer { name: "model", ordered: false, units: &["model"] },
    Layer {
        name: "analyses",
        ordered: true,
        units: &[
            "analysis::shell",
            "analysis::anchors",
            "analysis::config_ref",
            "analysis::fields",
            "analysis::ports",
            "analysis::links",
            "analysis::steps",
            "analysis::drift",
            // `analysis/mod.rs`: the index that caches every analysis.
            "analysis",
        ],
    },
    Layer {
        name: "rules and outputs",
        ordered: true,
        units: &["baseline", "snippets", "rules", "suppress", "engine", "fix", "pr", "report"],
    },
    Layer { name: "command line", ordered: false, units: &["cli"] },
];

/// The folders whose submodules are units of their own.
const SPLIT: &[&str] = &["analysis"];

#[test]
fn imports_only_go_down() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    assert!(files.len() > 20, "read the crate's sources under {}", root.display());
    if let Err(problems) = check(&files, LAYERS) {
        panic!("the crate's layering is broken:\n{}", problems.join("\n"));
    }
}

fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src/ is readable").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            read_tree(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let rel = p.strip_prefix(root).expect("under src/").to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&p).expect("a source file is UTF-8");
            out.push((format!("src/{rel}"), text));
        }
    }
}

/// One import from one unit to another.
struct Import {
    from: String,
    to: String,
    file: String,
    line: usize,
    code: String,
}

/// Check `files` (`src/…` path, text) against `layers`: every problem, one line each.
fn check(files: &[(String, String)], layers: &[Layer]) -> Result<(), Vec<String>> {
    let modules: BTreeSet<Vec<String>> = files.iter().filter_map(|(p, _)| module_of(p)).collect();
    let mut problems = Vec::new();
    let mut imports = Vec::new();
    for (path, text) in files {
        let Some(module) = module_of(path) else { continue };
        let Some(from) = unit_of(&module, &modules) else { continue };
        for (line, target) in imports_of(text, &module) {
            let Some(to) = unit_of(&target, &modules) else { continue };
            if to != from {
                let code = text.lines().nth(line - 1).unwrap_or("").trim().to_string();
                imports.push(Import { from: from.clone(), to, file: path.clone(), line, code });
            }
        }
    }
    let place = |unit: &str| -> Option<(usize, usize)> {
        layers.iter().enumerate().find_map(|(l, layer)| layer.units.iter().position(|u| *u == unit).map(|k| (l, k)))
    };
    let units: BTreeSet<String> = modules.iter().filter_map(|m| unit_of(m, &modules)).collect();
    for u in &units {
        if place(u).is_none() {
            problems.push(format!("`{u}` is in no layer: add it to LAYERS in tests/architecture.rs at its level"));
        }
    }
    for i in &imports {
        let (Some((lf, kf)), Some((lt, kt))) = (place(&i.from), place(&i.to)) else { continue };
        let layer = &layers[lf];
        let up = lt > lf || (lt == lf && (!layer.ordered || kt > kf));
        if up {
            let why = if lt > lf {
                format!("`{}` (layer {}) is above `{}` (layer {})", i.to, layers[lt].name, i.from, layer.name)
            } else if layer.ordered {
                format!("`{}` comes after `{}` in the order of layer {}", i.to, i.from, layer.name)
            } else {
                format!("`{}` and `{}` share layer {}, whose units may not import each other", i.to, i.from, layer.name)
            };
            problems.push(format!("{}:{}: `{}` imports upward: {why}\n    {}", i.file, i.line, i.from, i.code));
        }
    }
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for i in &imports {
        graph.entry(&i.from).or_default().insert(&i.to);
    }
    if let Some(cycle) = find_cycle(&graph) {
        let mut at = Vec::new();
        for w in cycle.windows(2) {
            if let Some(i) = imports.iter().find(|i| i.from == w[0] && i.to == w[1]) {
                at.push(format!("    {}:{}: {}", i.file, i.line, i.code));
            }
        }
        problems.push(format!("import cycle: {}\n{}", cycle.join(" -> "), at.join("\n")));
    }
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

/// The module path of a source file (`src/a/b.rs`, `src/a/b/mod.rs` → `a::b`); `None` for the
/// binary.
fn module_of(path: &str) -> Option<Vec<String>> {
    let rel = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    if rel == "main" {
        return None;
    }
    let mut segs: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(segs.last().map(String::as_str), Some("mod" | "lib")) {
        segs.pop();
    }
    Some(segs)
}

/// The unit a module path belongs to; `None` for the crate root and for items declared in it.
fn unit_of(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<String> {
    let top = path.first()?;
    if !modules.contains(std::slice::from_ref(top)) {
        return None;
    }
    if SPLIT.contains(&top.as_str())
        && let Some(sub) = path.get(1)
        && modules.contains(&vec![top.clone(), sub.clone()])
    {
        return Some(format!("{top}::{sub}"));
    }
    Some(top.clone())
}

/// Every path `text` (the file of module `module`) names through `crate::`, `$crate::` or
/// `super::`, as an absolute module path, with its 1-based line.
fn imports_of(text: &str, module: &[String]) -> Vec<(usize, Vec<String>)> {
    let code = blank_comments_and_strings(text);
    let b = code.as_bytes();
    let mut out = Vec::new();
    // Inline modules open at this file's position: (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                depth += 1;
                i += 1;
                continue;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                while inline.last().is_some_and(|(_, d)| *d > depth) {
                    inline.pop();
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        let boundary = i == 0 || !is_ident(b[i - 1]);
        if boundary
            && let Some((name, after)) = word(b, i).filter(|(w, _)| *w == "mod").and_then(|(_, a)| ident_after(b, a))
        {
            let j = skip_ws(b, after);
            if b.get(j) == Some(&b'{') {
                inline.push((name.to_string(), depth + 1));
                depth += 1;
                i = j + 1;
                continue;
            }
        }
        let here: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect();
        let base = if boundary && word(b, i).is_some_and(|(w, _)| w == "crate") {
            Some((Vec::new(), i + "crate".len()))
        } else if boundary && word(b, i).is_some_and(|(w, _)| w == "super") {
            let mut base = here.clone();
            let mut j = i;
            while let Some(("super", a)) = word(b, j) {
                let k = skip_ws(b, a);
                if !b[k..].starts_with(b"::") {
                    break;
                }
                base.pop();
                j = skip_ws(b, k + 2);
            }
            // Back up to the last `::` so the tree parser starts at it.
            Some((base, rfind_colons(b, j)))
        } else {
            None
        };
        if let Some((base, at)) = base {
            let k = skip_ws(b, at);
            if b[k..].starts_with(b"::") {
                let line = code[..i].matches('\n').count() + 1;
                let mut paths = Vec::new();
                let end = tree(b, skip_ws(b, k + 2), base, &mut paths);
                out.extend(paths.into_iter().map(|p| (line, p)));
                i = end.max(i + 1);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Parse a use tree at `i` (after a `::`): `a::b`, `{a, b::{c, d}}`, `*`. Pushes every path
/// (prefixed by `base`) and returns where parsing stopped.
fn tree(b: &[u8], i: usize, base: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let i = skip_ws(b, i);
    if b.get(i) == Some(&b'{') {
        let mut j = i + 1;
        loop {
            j = skip_ws(b, j);
            match b.get(j) {
                None => return j,
                Some(b'}') => return j + 1,
                Some(b',') => j += 1,
                _ => {
                    let next = tree(b, j, base.clone(), out);
                    j = if next > j { next } else { j + 1 };
                }
            }
        }
    }
    let Some((name, after)) = word(b, i) else {
        out.push(base);
        return i;
    };
    let mut path = base;
    if name != "self" {
        path.push(name.to_string());
    }
    let k = skip_ws(b, after);
    if b[k..].starts_with(b"::") {
        tree(b, k + 2, path, out)
    } else {
        out.push(path);
        after
    }
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The identifier starting at `i`, and the index after it.
fn word(b: &[u8], i: usize) -> Option<(&str, usize)> {
    let n = b[i.min(b.len())..].iter().take_while(|c| is_ident(**c)).count();
    (n > 0).then(|| (std::str::from_utf8(&b[i..i + n]).unwrap_or(""), i + n))
}

fn ident_after(b: &[u8], i: usize) -> Option<(&str, usize)> {
    let j = skip_ws(b, i);
    if j == i {
        return None;
    }
    word(b, j)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The start of the `::` that ends just before `i` (skipping white space).
fn rfind_colons(b: &[u8], i: usize) -> usize {
    let mut j = i;
    while j > 0 && b[j - 1].is_ascii_whitespace() {
        j -= 1;
    }
    if j >= 2 && &b[j - 2..j] == b"::" { j - 2 } else { i }
}

/// `text` with comments, string and char literals turned into spaces (new lines kept, so line
/// numbers and byte offsets do not move).
fn blank_comments_and_strings(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let prev_ident = i > 0 && is_ident(b[i - 1]);
        if b[i..].starts_with(b"//") {
            let end = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |k| i + k);
            blank(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let (mut j, mut nest) = (i + 2, 1);
            while j < b.len() && nest > 0 {
                if b[j..].starts_with(b"/*") {
                    nest += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    nest -= 1;
                    j += 2;
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if !prev_ident && (b[i] == b'r' || b[i..].starts_with(b"br")) && {
            let s = if b[i] == b'b' { i + 2 } else { i + 1 };
            let h = b[s..].iter().take_while(|&&c| c == b'#').count();
            b.get(s + h) == Some(&b'"')
        } {
            let s = if b[i] == b'b' { i + 2 } else { i + 1 };
            let h = b[s..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', h)).collect();
            let body = s + h + 1;
            let end = b[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |k| body + k + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'\'' {
            // A char literal ('x', '\n', '\u{1F600}', 'é'); otherwise a lifetime.
            let end = if b.get(i + 1) == Some(&b'\\') {
                b.get(i + 3..).and_then(|r| r.iter().position(|&c| c == b'\'')).map(|k| i + 3 + k + 1)
            } else {
                let ch = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + ch) == Some(&b'\'')).then_some(i + 2 + ch)
            };
            match end {
                Some(e) => {
                    blank(&mut out, i, e);
                    i = e;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A cycle in `graph`, as its units with the first repeated at the end.
fn find_cycle<'a>(graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Option<Vec<&'a str>> {
    fn visit<'a>(
        n: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        state.insert(n, 1);
        stack.push(n);
        for &m in graph.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|&s| s == m).unwrap_or(0);
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(m);
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n, 2);
        None
    }
    let mut state = BTreeMap::new();
    for &n in graph.keys() {
        if state.get(n).copied().unwrap_or(0) == 0
            && let Some(c) = visit(n, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The checker itself, on small fake trees: it must be able to fail.

const FAKE_LAYERS: &[Layer] = &[
    Layer { name: "bottom", ordered: false, units: &["diag"] },
    Layer { name: "middle", ordered: true, units: &["analysis::a", "analysis::b", "analysis"] },
    Layer { name: "top", ordered: false, units: &["rules", "cli"] },
];

fn fake(files: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = vec![
        ("src/lib.rs".to_string(), "pub mod analysis;\npub mod cli;\npub mod diag;\npub mod rules;\n".to_string()),
        ("src/analysis/mod.rs".to_string(), "pub mod a;\npub mod b;\nuse crate::diag::Span;\n".to_string()),
        ("src/analysis/a.rs".to_string(), "use crate::diag::Span;\n".to_string()),
        ("src/analysis/b.rs".to_string(), "use super::a;\n".to_string()),
        ("src/diag.rs".to_string(), "pub struct Span;\n".to_string()),
        ("src/rules.rs".to_string(), "use crate::{analysis::{self, b}, diag};\n".to_string()),
        ("src/cli.rs".to_string(), "fn f() { crate::analysis::a::g(); }\n".to_string()),
    ];
    for (p, t) in files {
        all.retain(|(q, _)| q != p);
        all.push((p.to_string(), t.to_string()));
    }
    all
}

#[test]
fn checker_accepts_a_downward_tree() {
    assert_eq!(check(&fake(&[]), FAKE_LAYERS), Ok(()));
}

#[test]
fn checker_rejects_a_reverse_import() {
    let tree = fake(&[("src/diag.rs", "pub struct Span;\n\nuse crate::rules;\n")]);
    let problems = check(&tree, FAKE_LAYERS).expect_err("diag importing rules goes up");
    let text = problems.join("\n");
    assert!(text.contains("src/diag.rs:3: `diag` imports upward"), "{text}");
    assert!(text.contains("use crate::rules;"), "{text}");
    assert!(text.contains("import cycle"), "rules -> diag -> rules: {text}");
}

#[test]
fn checker_reads_groups_paths_in_code_and_super() {
    // A group, a path in a body, `super::` out of a submodule, against the order in a layer.
    for (file, text, needle) in [
        ("src/diag.rs", "use crate::{x, cli::run};\n", "src/diag.rs:1"),
        ("src/analysis/a.rs", "fn f() -> u8 {\n    crate::analysis::b::g()\n}\n", "src/analysis/a.rs:2"),
        ("src/analysis/a.rs", "use super::{b::G, Other};\n", "src/analysis/a.rs:1"),
        ("src/analysis/a.rs", "use super::super::rules;\n", "src/analysis/a.rs:1"),
        ("src/cli.rs", "use crate::rules;\n", "layer top, whose units may not import each other"),
    ] {
        let problems = check(&fake(&[(file, text)]), FAKE_LAYERS).expect_err(text).join("\n");
        assert!(problems.contains(needle), "{file}: {text}\n{problems}");
    }
}

#[test]
fn checker_ignores_comments_strings_and_own_inline_modules() {
    let text = "//! See [`crate::rules`].\n/* crate::cli */\nconst S: &str = \"crate::rules\";\nconst R: &str = r#\"crate::cli\"#;\nconst C: char = '\"';\nfn f<'a>(x: &'a u8) {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use super::super::b;\n}\n";
    assert_eq!(check(&fake(&[("src/analysis/b.rs", text)]), FAKE_LAYERS), Ok(()));
}

#[test]
fn checker_names_units_left_out_of_the_layers() {
    let problems = check(&fake(&[("src/lib.rs", "pub mod extra;\n"), ("src/extra.rs", "")]), FAKE_LAYERS);
    assert!(problems.expect_err("extra is in no layer").join("\n").contains("`extra` is in no layer"));
}
