//! YAML front matter: where it is, the fields Docusaurus routes by, and whether it parses.
//!
//! This module owns finding the front matter block exactly as `remark-frontmatter`
//! (micromark-extension-frontmatter 2, `yaml` preset) does, because that decides where the
//! Markdown body starts: the file must open with a line that is exactly `---` (trailing spaces
//! and tabs allowed, a byte order mark skipped as micromark does), and the first later line that
//! is exactly `---` (trailing spaces and tabs allowed) closes it. Without a closing fence there
//! is no front matter and the first line is ordinary Markdown. Line endings may be `\n`, `\r\n`
//! or `\r`.
//!
//! The YAML inside is parsed with yaml-rust2. Docusaurus stops the build on front matter that
//! does not parse, so a parse failure is recorded in [`FrontMatter::error`] with the problem line
//! and a message in plain words. What the fields mean (doc ids, slugs, routes) is for the site
//! model; this module only reads them.

use memchr::memchr2;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag as YamlTag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};
use yaml_rust2::{Yaml, YamlLoader};

use crate::diag::Span;
use crate::str_list::StrList;

/// A file's front matter block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// The whole block, from the opening `---` to the end of the closing fence line (its line
    /// ending excluded).
    pub span: Span,
    /// Every top-level field whose value is a scalar, in file order, key then value: strings
    /// as YAML decodes them (quotes and escapes resolved), numbers and booleans as written.
    /// Null values, lists and mappings are left out. When the YAML is invalid, the fields read
    /// before the error. One list for all: every page keeps its front matter for the run, and
    /// two strings a field (and `id`, `slug` and `title` copied again) were 0.7 MB of small
    /// allocations on the tigera corpus.
    fields: StrList,
    /// Which field is `id` ([`FrontMatter::id`]), `slug` and `title`, if one is.
    id: Option<u32>,
    slug: Option<u32>,
    title: Option<u32>,
    /// `tags:` when it is a list: each string tag, or the `label` and `permalink` of an object
    /// tag (the routes of tag pages come from them).
    pub tags: Vec<Tag>,
    /// Why Docusaurus would reject this front matter, if it would.
    pub error: Option<FrontMatterError>,
}

/// One entry of a `tags:` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tag {
    pub label: String,
    /// Set only by an object tag (`{label: X, permalink: /x}`).
    pub permalink: Option<String>,
}

impl FrontMatter {
    /// Front matter at `span` with these fields (key, value), all strings as written: `id`,
    /// `slug` and `title` are the last fields of those names. For the YAML fast path, which
    /// takes only such front matter, and PR mode's stubs.
    pub fn new<'a>(span: Span, fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> FrontMatter {
        let fields = fields.into_iter().flat_map(|(k, v)| [k, v]).collect();
        let mut fm = FrontMatter { span, fields, ..Default::default() };
        let named = |name: &str| fm.fields().rposition(|(k, _)| k == name);
        let (id, slug, title) = (named("id"), named("slug"), named("title"));
        fm.set_named(id, slug, title);
        fm
    }

    fn set_named(&mut self, id: Option<usize>, slug: Option<usize>, title: Option<usize>) {
        // A field is at least a byte of a file, and files are smaller than 4 GiB
        // (`[site] max_file_size`).
        let at = |k: Option<usize>| k.map(|k| u32::try_from(k).expect("fewer fields than bytes"));
        (self.id, self.slug, self.title) = (at(id), at(slug), at(title));
    }

    /// `id:` when it is a string or a number (as written).
    pub fn id(&self) -> Option<&str> {
        self.id.map(|k| self.value(k as usize))
    }

    /// `slug:` when it is a string or a number (as written).
    pub fn slug(&self) -> Option<&str> {
        self.slug.map(|k| self.value(k as usize))
    }

    /// `title:` when it is a string or a number (as written).
    pub fn title(&self) -> Option<&str> {
        self.title.map(|k| self.value(k as usize))
    }

    fn value(&self, field: usize) -> &str {
        &self.fields[2 * field + 1]
    }

    /// Every top-level scalar field, (key, value), in file order.
    pub fn fields(&self) -> impl DoubleEndedIterator<Item = (&str, &str)> + ExactSizeIterator {
        (0..self.fields.len() / 2).map(|k| (&self.fields[2 * k], &self.fields[2 * k + 1]))
    }

    /// The value of a top-level scalar field.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// Front matter that is not valid YAML, or not a set of `key: value` fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatterError {
    /// The line the problem was found on (line ending excluded).
    pub span: Span,
    pub message: String,
}

/// The front matter of `text`, if it has one, and the byte offset where the Markdown body
/// starts (just after the closing fence's line ending, or the end of the text).
pub(super) fn split(text: &str) -> Option<(FrontMatter, usize)> {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let open_end = fence_end(text, start)?;
    // The opening fence must be followed by a line ending; the end of the file is not enough.
    let content_start = line_ending_end(text, open_end)?;
    let mut line = content_start;
    loop {
        if let Some(close_end) = fence_end(text, line) {
            let body = line_ending_end(text, close_end).unwrap_or(close_end);
            let mut fm = FrontMatter { span: Span::new(start, close_end), ..FrontMatter::default() };
            read_yaml(text, start, content_start, line, &mut fm);
            return Some((fm, body));
        }
        let (_, next) = next_line(text, line)?;
        line = next;
    }
}

/// If a fence (`---` then spaces or tabs) starts at `at` and is followed by a line ending or
/// the end of the text, where the fence line's content ends.
fn fence_end(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.get(at..)?.starts_with(b"---") {
        return None;
    }
    let mut i = at + 3;
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    match bytes.get(i) {
        None | Some(b'\n' | b'\r') => Some(i),
        Some(_) => None,
    }
}

/// If a line ending starts at `at`, where it ends.
fn line_ending_end(text: &str, at: usize) -> Option<usize> {
    match text.as_bytes().get(at..)? {
        [b'\r', b'\n', ..] => Some(at + 2),
        [b'\n' | b'\r', ..] => Some(at + 1),
        _ => None,
    }
}

/// From a line start: where that line's content ends and where the next line starts, or `None`
/// when the line is the last one.
fn next_line(text: &str, line: usize) -> Option<(usize, usize)> {
    let rel = memchr2(b'\n', b'\r', text.as_bytes().get(line..)?)?;
    let end = line + rel;
    Some((end, line_ending_end(text, end)?))
}

/// Parses the YAML between the fences (`content_start..content_end`) into `fm`.
fn read_yaml(text: &str, open: usize, content_start: usize, content_end: usize, fm: &mut FrontMatter) {
    let yaml = tabs_after_keys(&text[content_start..content_end]);
    let yaml = yaml.as_ref();
    if let Some(fields) = simple_fields(yaml) {
        *fm = FrontMatter::new(fm.span, fields);
        return;
    }
    let mut reader = TopLevel::default();
    let parsed = Parser::new_from_str(yaml).load(&mut reader, true);
    // Only the loader reports duplicated keys, but it parses again: run it only when the event
    // stream shows a repeated top-level key (nested duplicates are left to Docusaurus).
    let mut keys = std::collections::HashSet::new();
    let repeated = reader.fields.iter().any(|(k, _, _, _)| !keys.insert(k.as_str()));
    // Docusaurus validates `id` and `slug` as strings (Joi): `id: 42` stops the build.
    let not_string = reader
        .fields
        .iter()
        .find(|(k, _, kind, _)| matches!(k.as_str(), "id" | "slug") && *kind != Kind::String)
        .map(|(k, v, _, line)| {
            (*line, format!("front matter `{k}` must be a string, as Docusaurus requires; quote it: `{k}: \"{v}\"`"))
        });
    let (mut id, mut slug, mut title) = (None, None, None);
    for (k, (key, _, kind, _)) in reader.fields.iter().enumerate() {
        if matches!(kind, Kind::String) || (matches!(kind, Kind::Number) && key == "title") {
            match key.as_str() {
                "id" => id = Some(k),
                "slug" => slug = Some(k),
                "title" => title = Some(k),
                _ => {}
            }
        }
    }
    fm.fields = reader.fields.iter().flat_map(|(k, v, _, _)| [k, v]).collect();
    fm.set_named(id, slug, title);
    let problem = match parsed {
        Err(e) => Some((e.marker().line(), plain_message(&e))),
        // The loader checks what the event stream alone does not: duplicated keys.
        Ok(()) => match if repeated { YamlLoader::load_from_str(yaml).map(|_| ()) } else { Ok(()) } {
            Err(e) => Some((e.marker().line(), plain_message(&e))),
            Ok(_) if reader.documents > 1 => Some((
                reader.second_document.map_or(1, |m| m.line()),
                "front matter is not valid YAML: it holds more than one YAML document (a line \
                 starting with `--- ` or `...` splits it)"
                    .to_owned(),
            )),
            Ok(_) => match reader.root {
                Some((Root::Mapping | Root::Null, _)) | None => not_string,
                Some((Root::Other, mark)) => Some((
                    mark.line(),
                    "front matter must be `key: value` fields, not a list or a single value".to_owned(),
                )),
            },
        },
    };
    if problem.is_none() && reader.root_keys.iter().any(|k| k == "tags") {
        fm.tags = read_tags(yaml);
    }
    if let Some((line, message)) = problem {
        fm.error =
            Some(FrontMatterError { span: yaml_line_span(text, open, content_start, content_end, line), message });
    }
}

/// The `tags:` list of valid YAML. Only files that have one pay for the second parse.
fn read_tags(yaml: &str) -> Vec<Tag> {
    let Ok(docs) = YamlLoader::load_from_str(yaml) else { return Vec::new() };
    let Some(Yaml::Array(items)) = docs.first().map(|d| &d["tags"]) else { return Vec::new() };
    let scalar = |y: &Yaml| match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        _ => None,
    };
    items
        .iter()
        .filter_map(|t| match t {
            Yaml::Hash(_) => Some(Tag { label: scalar(&t["label"])?, permalink: Some(scalar(&t["permalink"])?) }),
            other => Some(Tag { label: scalar(other)?, permalink: None }),
        })
        .collect()
}

/// `key:<tab>value` with the tab as a space: js-yaml (what Docusaurus parses with) accepts a tab
/// after a key's colon, yaml-rust2 does not. Same length, so lines and columns stay.
fn tabs_after_keys(yaml: &str) -> std::borrow::Cow<'_, str> {
    if !yaml.contains(":\t") {
        return yaml.into();
    }
    let mut out = String::with_capacity(yaml.len());
    for line in yaml.split_inclusive(['\n', '\r']) {
        let key_len =
            line.trim_start_matches(' ').find(':').map(|k| k + line.len() - line.trim_start_matches(' ').len());
        match key_len {
            Some(c)
                if line[c + 1..].starts_with('\t')
                    && line[..c]
                        .trim_start_matches(' ')
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                    && !line[..c].trim().is_empty() =>
            {
                out.push_str(&line[..=c]);
                let tabs = line[c + 1..].len() - line[c + 1..].trim_start_matches('\t').len();
                out.extend(std::iter::repeat_n(' ', tabs));
                out.push_str(&line[c + 1 + tabs..]);
            }
            _ => out.push_str(line),
        }
    }
    out.into()
}

/// Most front matter is a few `key: plain text` lines. Those are read directly (the YAML
/// parser costs more than the rest of the file); anything that could mean something else in
/// YAML — quotes, nesting, lists, numbers, booleans (but `true` and `false` in most fields),
/// nulls, comments, `: ` inside a value, repeated keys — returns `None` and goes to the real
/// parser.
fn simple_fields(yaml: &str) -> Option<Vec<(&str, &str)>> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for line in yaml.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let b = line.as_bytes();
        if !(b[0].is_ascii_alphabetic() || b[0] == b'_') {
            return None;
        }
        let colon = line.find(':')?;
        let key = &line[..colon];
        if !key.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-') {
            return None;
        }
        let rest = &line[colon + 1..];
        if !rest.is_empty() && !rest.starts_with(' ') {
            return None;
        }
        let value = rest.trim_matches([' ', '\t']);
        let first = value.bytes().next()?;
        // `true` and `false` are booleans, which the parser's path also keeps as written, in
        // fields other than the three it reads as strings (`hide_table_of_contents: true`
        // is on a sixth of the pages of a large site, each of which took the parser's path).
        let boolean = matches!(value, "true" | "false") && !matches!(key, "id" | "slug" | "title");
        if b"-?:,[]{}#&*!|>'\"%@`~".contains(&first)
            || value.contains(": ")
            || value.contains(" #")
            || value.ends_with(':')
            || value.contains('\t')
            || (looks_typed(value) && !boolean)
            || !seen.insert(key)
        {
            return None;
        }
        out.push((key, value));
    }
    Some(out)
}

/// Values YAML would read as something other than a string.
fn looks_typed(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    matches!(lower.as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n")
        || v.bytes().next().is_some_and(|c| c.is_ascii_digit() || c == b'+' || c == b'.')
}

/// The span in `text` of line `line` (1-based) of the YAML. Errors found at the end of the
/// input point at the last line that has content; with no content, at the opening fence.
fn yaml_line_span(text: &str, open: usize, content_start: usize, content_end: usize, line: usize) -> Span {
    let mut lines = Vec::new();
    let mut at = content_start;
    while at < content_end {
        let (end, next) = next_line(text, at).unwrap_or((content_end, content_end));
        let end = end.min(content_end);
        lines.push((at, end));
        at = next;
    }
    let chosen = lines
        .get(line.saturating_sub(1))
        .copied()
        .or_else(|| lines.iter().rev().find(|&&(s, e)| !text[s..e].trim().is_empty()).copied());
    match chosen {
        Some((s, e)) => Span::new(s, e),
        None => Span::new(open, fence_end(text, open).unwrap_or(open)),
    }
}

/// Rewords the YAML parser's messages for documentation authors.
fn plain_message(e: &ScanError) -> String {
    let info = e.info();
    let plain = if let Some(key) = info.strip_suffix(": duplicated key in mapping") {
        let key =
            key.strip_prefix("String(").and_then(|k| k.strip_suffix(')')).map(|k| k.trim_matches('"')).unwrap_or(key);
        format!("the key `{key}` appears more than once")
    } else if info.contains("mapping values are not allowed") {
        "a value contains `: `; put the value in quotes".to_owned()
    } else if info.contains("quoted scalar") && (info.contains("end of stream") || info.contains("invalid indentation"))
    {
        "a quoted value is not closed".to_owned()
    } else if info.contains("trailing content after") {
        "text follows the closing quote; quote the whole value".to_owned()
    } else if info.contains("unknown escape character") {
        "a double-quoted value has an unknown `\\` escape; use single quotes or write `\\\\`".to_owned()
    } else if info.contains("flow sequence") {
        "a `[` list is not closed".to_owned()
    } else if info.contains("flow mapping") {
        "a `{` mapping is not closed".to_owned()
    } else if info.contains("did not find expected")
        || info.contains("simple key expect ':'")
        || info.contains("expected <document start>")
    {
        "this line does not fit the `key: value` lines above it; check its indentation, and \
         quote values that start with a special character"
            .to_owned()
    } else if info.contains("must be followed by a valid YAML whitespace") {
        "a `:` after a key must be followed by a space".to_owned()
    } else if info.contains("unknown anchor") {
        "a value starts with `*`, which YAML reads as a reference to an anchor; put the value \
         in quotes"
            .to_owned()
    } else if let Some(c) = info.strip_prefix("unexpected character: `") {
        match c.trim_end_matches('\'') {
            "`" => "a value cannot start with a backtick; put the value in quotes".to_owned(),
            c => format!("a value cannot start with `{c}`; put the value in quotes"),
        }
    } else if info.contains("found character that cannot start any token") {
        "a value starts with a character YAML reserves; put the value in quotes".to_owned()
    } else {
        info.to_owned()
    };
    format!("front matter is not valid YAML: {plain}")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    String,
    Number,
    Bool,
    Null,
    /// A tagged value yaml-rust2 cannot read as its tag says (`!!int abc`).
    Bad,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Root {
    Mapping,
    Null,
    Other,
}

#[derive(Debug)]
enum Expect {
    Key,
    /// The value for this key (`None`: the key was not a scalar).
    Value(Option<String>),
}

/// Collects the top-level scalar fields of the first document from the parser's events.
#[derive(Debug)]
struct TopLevel {
    depth: usize,
    documents: usize,
    second_document: Option<Marker>,
    root: Option<(Root, Marker)>,
    expect: Expect,
    /// Key, value, kind, and the 1-based line of the value.
    fields: Vec<(String, String, Kind, usize)>,
    /// Every top-level key, scalar value or not.
    root_keys: Vec<String>,
}

impl Default for TopLevel {
    fn default() -> Self {
        TopLevel {
            depth: 0,
            documents: 0,
            second_document: None,
            root: None,
            expect: Expect::Key,
            fields: Vec::new(),
            root_keys: Vec::new(),
        }
    }
}

impl TopLevel {
    fn in_root_mapping(&self) -> bool {
        self.depth == 1 && matches!(self.root, Some((Root::Mapping, _)))
    }

    /// A node that is not a scalar starts at the current depth.
    fn complex_node(&mut self) {
        if self.in_root_mapping() {
            self.expect = match self.expect {
                Expect::Key => Expect::Value(None),
                Expect::Value(_) => Expect::Key,
            };
        }
    }
}

impl MarkedEventReceiver for TopLevel {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if let Event::DocumentStart = ev {
            self.documents += 1;
            if self.documents == 2 {
                self.second_document = Some(mark);
            }
        }
        if self.documents > 1 {
            return;
        }
        match ev {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.depth == 0 {
                    let root = if matches!(ev, Event::MappingStart(..)) { Root::Mapping } else { Root::Other };
                    self.root = Some((root, mark));
                } else {
                    self.complex_node();
                }
                self.depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => self.depth = self.depth.saturating_sub(1),
            Event::Alias(_) => self.complex_node(),
            Event::Scalar(value, style, _, tag) => {
                let kind = classify(&value, style, tag.as_ref());
                if self.depth == 0 {
                    let root = if kind == Kind::Null { Root::Null } else { Root::Other };
                    self.root = Some((root, mark));
                } else if self.in_root_mapping() {
                    match std::mem::replace(&mut self.expect, Expect::Key) {
                        Expect::Key => {
                            self.root_keys.push(value.clone());
                            self.expect = Expect::Value(Some(value));
                        }
                        Expect::Value(Some(key)) if kind != Kind::Null => {
                            self.fields.push((key, value, kind, mark.line()));
                        }
                        Expect::Value(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The type yaml-rust2's loader gives a scalar (YAML 1.2 core schema).
fn classify(value: &str, style: TScalarStyle, tag: Option<&YamlTag>) -> Kind {
    if style != TScalarStyle::Plain {
        return Kind::String;
    }
    if let Some(tag) = tag {
        if tag.handle != "tag:yaml.org,2002:" {
            return Kind::String;
        }
        return match (tag.suffix.as_str(), Yaml::from_str(value)) {
            ("bool", Yaml::Boolean(_)) => Kind::Bool,
            ("int", Yaml::Integer(_)) => Kind::Number,
            ("float", Yaml::Real(_) | Yaml::Integer(_)) => Kind::Number,
            ("null", Yaml::Null) => Kind::Null,
            ("bool" | "int" | "float" | "null", _) => Kind::Bad,
            _ => Kind::String,
        };
    }
    match Yaml::from_str(value) {
        Yaml::String(_) => Kind::String,
        Yaml::Integer(_) | Yaml::Real(_) => Kind::Number,
        Yaml::Boolean(_) => Kind::Bool,
        Yaml::Null => Kind::Null,
        _ => Kind::Bad,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> (FrontMatter, usize) {
        split(text).unwrap_or_else(|| panic!("no front matter in {text:?}"))
    }

    /// The fast path must read exactly what the YAML parser reads, on every corpus file it takes.
    #[test]
    fn tags_are_read_from_lists_only() {
        let (f, _) = fm("---\ntitle: T\ntags: [news, 'Release Notes', {label: Big, permalink: /big}]\n---\n");
        let tags: Vec<(&str, Option<&str>)> =
            f.tags.iter().map(|t| (t.label.as_str(), t.permalink.as_deref())).collect();
        assert_eq!(tags, [("news", None), ("Release Notes", None), ("Big", Some("/big"))]);
        assert_eq!(f.title(), Some("T"));
        let (f, _) = fm("---\ntags:\n  - a\n  - 2\n---\n");
        assert_eq!(f.tags.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(), ["a", "2"]);
        let (f, _) = fm("---\ntags: news\n---\n");
        assert!(f.tags.is_empty());
    }

    #[test]
    fn simple_fields_agree_with_the_yaml_parser_on_the_corpus() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/tigera-docs");
        if !root.is_dir() {
            eprintln!("skipping: {} is absent", root.display());
            return;
        }
        let (mut fast, mut total) = (0, 0);
        for e in walkdir::WalkDir::new(&root).into_iter().flatten() {
            if e.path().extension().is_none_or(|x| x != "mdx") {
                continue;
            }
            let text = std::fs::read_to_string(e.path()).unwrap();
            let Some((f, _)) = split(&text) else { continue };
            total += 1;
            let yaml_start = text.find('\n').unwrap() + 1;
            let yaml_end = f.span.end as usize - 3;
            let yaml = &text[yaml_start..yaml_end.max(yaml_start)];
            let Some(simple) = simple_fields(yaml) else { continue };
            fast += 1;
            let mut reader = TopLevel::default();
            Parser::new_from_str(yaml).load(&mut reader, true).unwrap();
            let full: Vec<(String, String)> =
                reader.fields.into_iter().filter(|(_, _, k, _)| *k != Kind::Null).map(|(k, v, _, _)| (k, v)).collect();
            let simple: Vec<(String, String)> = simple.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
            assert_eq!(simple, full, "{}", e.path().display());
        }
        eprintln!("fast path read {fast} of {total} front matters");
        assert!(fast * 2 > total, "the fast path should take most files ({fast} of {total})");
    }

    fn fields(f: &FrontMatter) -> Vec<(&str, &str)> {
        f.fields().collect()
    }

    #[test]
    fn basic() {
        let text = "---\nid: install\ntitle: Install Calico\nslug: /install\n---\n# Body\n";
        let (f, body) = fm(text);
        assert_eq!(&text[body..], "# Body\n");
        assert_eq!(&text[f.span.range()], "---\nid: install\ntitle: Install Calico\nslug: /install\n---");
        assert_eq!(f.id(), Some("install"));
        assert_eq!(f.title(), Some("Install Calico"));
        assert_eq!(f.slug(), Some("/install"));
        assert_eq!(f.error, None);
        assert_eq!(fields(&f), [("id", "install"), ("title", "Install Calico"), ("slug", "/install")]);
        assert_eq!(f.field("title"), Some("Install Calico"));
    }

    #[test]
    fn booleans_are_fields_as_written_but_no_ids() {
        let (f, _) = fm("---\ntitle: T\nhide_table_of_contents: true\ndraft: false\n---\n");
        assert_eq!(fields(&f), [("title", "T"), ("hide_table_of_contents", "true"), ("draft", "false")]);
        assert_eq!(f.error, None);
        let (f, _) = fm("---\nid: true\n---\n");
        assert!(f.error.as_ref().is_some_and(|e| e.message.contains("must be a string")), "{f:?}");
        let (f, _) = fm("---\ntitle: true\n---\n");
        assert_eq!((f.title(), &f.error), (None, &None));
    }

    #[test]
    fn fences_must_be_exact() {
        for text in [
            "",
            "---",
            "---\n",
            "---\ntitle: x\n",
            "----\ntitle: x\n---\n",
            "--- \u{A0}\ntitle: x\n---\n",
            "---x\ntitle: x\n---\n",
            " ---\ntitle: x\n---\n",
            "\n---\ntitle: x\n---\n",
            "# T\n---\ntitle: x\n---\n",
            "---\ntitle: x\n----\n",
            "---\ntitle: x\n --- \n",
            "---\ntitle: x\n--- y\n",
            "***\ntitle: x\n***\n",
            "+++\ntitle = 'x'\n+++\n",
        ] {
            assert_eq!(split(text), None, "{text:?}");
        }
    }

    #[test]
    fn trailing_blanks_on_fences() {
        let text = "--- \t\ntitle: x\n---\t \nbody";
        let (f, body) = fm(text);
        assert_eq!(&text[body..], "body");
        assert_eq!(f.span, Span::new(0, text.len() - "\nbody".len()));
        assert_eq!(f.title(), Some("x"));
    }

    #[test]
    fn closing_fence_at_end_of_file() {
        let text = "---\ntitle: x\n---";
        let (f, body) = fm(text);
        assert_eq!(body, text.len());
        assert_eq!(f.span, Span::new(0, text.len()));
    }

    #[test]
    fn first_closing_fence_wins() {
        let text = "---\na: 1\n---\nb: 2\n---\n";
        let (f, body) = fm(text);
        assert_eq!(&text[body..], "b: 2\n---\n");
        assert_eq!(fields(&f), [("a", "1")]);
    }

    #[test]
    fn empty_front_matter() {
        for text in ["---\n---\nx", "---\n\n---\nx", "---\n# only a comment\n---\nx"] {
            let (f, body) = fm(text);
            assert_eq!(&text[body..], "x", "{text:?}");
            assert_eq!(f.error, None, "{text:?}");
            assert!(f.fields().next().is_none());
        }
    }

    #[test]
    fn crlf_and_cr() {
        let text = "---\r\nid: a\r\ntitle: 'B'\r\n---\r\n# Body\r\n";
        let (f, body) = fm(text);
        assert_eq!(&text[body..], "# Body\r\n");
        assert_eq!(&text[f.span.range()], "---\r\nid: a\r\ntitle: 'B'\r\n---");
        assert_eq!(fields(&f), [("id", "a"), ("title", "B")]);

        let text = "---\rid: a\r---\rbody";
        let (f, body) = fm(text);
        assert_eq!(&text[body..], "body");
        assert_eq!(f.id(), Some("a"));
    }

    #[test]
    fn byte_order_mark() {
        let text = "\u{FEFF}---\nid: a\n---\nbody";
        let (f, body) = fm(text);
        assert_eq!(&text[body..], "body");
        assert_eq!(&text[f.span.range()], "---\nid: a\n---");
    }

    #[test]
    fn scalar_kinds() {
        let text = "---\nid: 42\nslug: true\ntitle: 1.50\nquoted: \"a \\\"b\\\"\"\n\
                    single: 'it''s'\nnull1: ~\nnull2:\nhex: 0x1F\nbool: False\n\
                    list: [a, b]\nmap:\n  nested: x\nblock: |\n  line 1\n  line 2\n\
                    tagged: !!str 12\nlast: $[prodname] docs\n---\n";
        let (f, _) = fm(text);
        let e = f.error.as_ref().expect("a numeric id is rejected");
        assert_eq!(e.message, "front matter `id` must be a string, as Docusaurus requires; quote it: `id: \"42\"`");
        assert_eq!(&text[e.span.range()], "id: 42");
        assert_eq!(f.id(), None, "numbers are not ids");
        assert_eq!(f.slug(), None, "booleans are not slugs");
        assert_eq!(f.title(), Some("1.50"), "numbers keep their text");
        assert_eq!(
            fields(&f),
            [
                ("id", "42"),
                ("slug", "true"),
                ("title", "1.50"),
                ("quoted", "a \"b\""),
                ("single", "it's"),
                ("hex", "0x1F"),
                ("bool", "False"),
                ("block", "line 1\nline 2\n"),
                ("tagged", "12"),
                ("last", "$[prodname] docs"),
            ]
        );
    }

    #[test]
    fn a_tab_after_the_colon_separates_as_in_js_yaml() {
        let (f, _) = fm("---\ntitle:\tInstall\nid:\t\t'a'\n---\n");
        assert_eq!(f.error, None);
        assert_eq!(fields(&f), [("title", "Install"), ("id", "a")]);
        let (f, _) = fm("---\nslug: '/x'\nid: true\n---\n");
        assert!(f.error.as_ref().is_some_and(|e| e.message.contains("`id` must be a string")), "{f:?}");
    }

    #[test]
    fn nested_keys_are_not_top_level() {
        let text = "---\nsidebar:\n  id: nested\n  title: Nested\nlist:\n  - id: x\nid: top\n---\n";
        let (f, _) = fm(text);
        assert_eq!(f.error, None);
        assert_eq!(f.id(), Some("top"));
        assert_eq!(f.title, None);
        assert_eq!(fields(&f), [("id", "top")]);
    }

    #[test]
    fn complex_keys_are_skipped() {
        let text = "---\n? [a, b]\n: v\nid: x\n---\n";
        let (f, _) = fm(text);
        assert_eq!(f.error, None);
        assert_eq!(fields(&f), [("id", "x")]);
    }

    fn error_of(text: &str) -> (String, String) {
        let (f, _) = fm(text);
        let e = f.error.unwrap_or_else(|| panic!("no error for {text:?}"));
        (text[e.span.range()].to_owned(), e.message)
    }

    #[test]
    fn invalid_yaml_points_at_the_line() {
        let (line, msg) = error_of("---\ntitle: ok\ndescription: Note: this breaks\n---\nbody");
        assert_eq!(line, "description: Note: this breaks");
        assert_eq!(msg, "front matter is not valid YAML: a value contains `: `; put the value in quotes");

        let (line, msg) = error_of("---\r\nid: a\r\nid: b\r\n---\r\n");
        assert_eq!(line, "id: b");
        assert_eq!(msg, "front matter is not valid YAML: the key `id` appears more than once");

        let (line, msg) = error_of("---\ntitle: 'open\nid: x\n---\n");
        assert_eq!(line, "title: 'open");
        assert_eq!(msg, "front matter is not valid YAML: a quoted value is not closed");

        let (line, msg) = error_of("---\ntitle: `kubectl`\n---\n");
        assert_eq!(line, "title: `kubectl`");
        assert_eq!(
            msg,
            "front matter is not valid YAML: a value cannot start with a backtick; put the value \
             in quotes"
        );

        let (line, msg) = error_of("---\ntags: [a, b\n\n---\n");
        assert_eq!(line, "tags: [a, b");
        assert_eq!(msg, "front matter is not valid YAML: a `[` list is not closed");

        let (line, _) = error_of("---\na:\n  - b\n c: d\n---\n");
        assert_eq!(line, " c: d");

        let (line, _) = error_of("---\ntitle: *star\n---\n");
        assert_eq!(line, "title: *star");
    }

    #[test]
    fn invalid_yaml_keeps_earlier_fields() {
        let text = "---\nid: first\ntitle: a: b\n---\n";
        let (f, _) = fm(text);
        assert!(f.error.is_some());
        assert_eq!(f.id(), Some("first"));
    }

    #[test]
    fn not_a_mapping() {
        let (line, msg) = error_of("---\n- a\n- b\n---\n");
        assert_eq!(line, "- a");
        assert_eq!(msg, "front matter must be `key: value` fields, not a list or a single value");
        let (line, _) = error_of("---\n\njust text\n---\n");
        assert_eq!(line, "just text");
    }

    #[test]
    fn several_documents() {
        let (line, msg) = error_of("---\nid: a\n...\nid: b\n---\n");
        assert_eq!(line, "id: b");
        assert!(msg.contains("more than one YAML document"), "{msg}");
    }

    #[test]
    fn non_ascii_content_spans() {
        let (line, _) = error_of("---\ntitle: Über\ndescription: é: x\n---\n");
        assert_eq!(line, "description: é: x");
    }
}
