//! Drift: what was changed in some copies of a page and not in others.
//!
//! A page has copies in every version of its doc set and in other doc sets ([`pages`]): the
//! same doc path by default (extension ignored), the front matter `id` or an absolute `slug`
//! where one is set, and `[drift] map` for paths that differ between doc sets. Partials are
//! pages too. Each copy is cut into sections by heading and into blocks (from the document
//! model's [`Block`] list, never re-parsed); blocks compare by normalised text, `$[var]` tokens
//! kept as tokens and every doc set's product name read as its variable. Every block that some
//! copy lacks becomes a [`Row`]; each copy that lacks it is aligned with the nearest copy that
//! has it (a diff of the section's blocks, with `similar`) to tell a changed block from a
//! missing one and to find where it would go, and is classified ([`Class`]). The version facts
//! ([`facts`]) say whether a missing block applies there. Reports and rules read [`Drift`];
//! how findings are worded is theirs.

pub mod change;
pub mod facts;

use crate::analysis::config_ref::Refs;
use crate::analysis::fields::FieldUse;
use crate::diag::Span;
use crate::doc::{Block, BlockKind, SharedStr};
use crate::model::{Model, SourceFile};
use crate::site::{Location, Site};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;

pub use facts::{Applies, Fact, FactKind};

/// What drift reads: the model and the facts of each version. The caller owns the caches.
pub struct Inputs<'a> {
    pub model: &'a Model,
    pub refs: &'a Refs,
    /// The configuration fields file `i` uses (see [`crate::analysis::fields`]).
    pub field_uses: &'a (dyn Fn(usize) -> &'a [FieldUse] + Sync),
}

/// One copy of a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Copy {
    pub file: usize,
    pub loc: Location,
}

/// A page and its copies, ordered by doc set (site order), then version (newest first).
#[derive(Clone, Debug)]
pub struct Page {
    /// The doc path without extension (`operations/ebpf/enabling-ebpf`), after `[drift] map`.
    pub key: String,
    pub copies: Vec<Copy>,
}

/// How a copy that lacks a block relates to the copies that have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Only newer versions of the doc set have it: added later, not drift.
    Tail,
    /// Only older versions of the doc set have it: removed later, not drift.
    Removed,
    /// Older and newer versions of the doc set have it, this one does not.
    Hole,
    /// No version of this doc set has it; another doc set's newest copy does.
    Gap,
    /// No version of this doc set has it and this is not the doc set's newest copy.
    Absent,
    /// This copy has a changed version of it, and the other copies agree.
    Stale,
    /// This copy has a changed version of it, and the others do not all agree.
    Differs,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Tail => "tail",
            Class::Removed => "removed",
            Class::Hole => "hole",
            Class::Gap => "cross-product-gap",
            Class::Absent => "absent",
            Class::Stale => "stale-copy",
            Class::Differs => "differs",
        }
    }

    /// Drift worth a look (the others are how versions normally evolve).
    pub fn is_drift(self) -> bool {
        matches!(self, Class::Hole | Class::Gap | Class::Stale)
    }
}

/// What one copy has for a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The block, as in the other copies that have it (index in the copy's `doc.blocks`).
    Same(u32),
    /// A changed version of the block.
    Changed(u32, Class),
    /// Nothing at that place.
    Missing(Class),
    /// The copy lacks the whole section (reported on the section's heading row).
    NoSection,
}

/// A block that not every copy has.
#[derive(Clone, Debug)]
pub struct Row {
    /// The section's heading as written in the first copy that has it (empty before the first).
    /// Shared by the section's rows, and `text` with the copies' units: a drift report holds
    /// every row of every page whose copies differ, for the whole run.
    pub section: Arc<str>,
    pub kind: BlockKind,
    /// The normalised text.
    pub text: Arc<str>,
    /// Per copy, aligned with [`PageDrift::copies`].
    pub cells: Vec<Cell>,
}

/// A copy that lacks a row's block (or has it changed), with what the facts say.
#[derive(Clone, Debug)]
pub struct Issue {
    pub row: usize,
    pub copy: usize,
    pub class: Class,
    /// The nearest copy that has the block, and the block there.
    pub from: usize,
    pub from_block: u32,
    /// This copy's changed version.
    pub changed: Option<u32>,
    /// Where the block would be inserted in this copy, when that is unambiguous.
    pub insert_at: Option<u32>,
    /// The block of this copy a finding points at: the changed block, the block the missing
    /// one would follow, or the section's heading.
    pub at_block: Option<u32>,
    pub facts: Vec<Fact>,
    pub applies: Applies,
    /// The `[[drift.accept]]` reason, when the difference is accepted.
    pub accepted: Option<String>,
}

impl Issue {
    /// How likely a real miss: higher first.
    pub fn score(&self) -> u8 {
        if self.accepted.is_some() || self.applies == Applies::No {
            return 0;
        }
        match (self.class, self.applies) {
            (Class::Hole, Applies::Yes) => 7,
            (Class::Gap, Applies::Yes) => 6,
            (Class::Hole, _) => 5,
            (Class::Stale, Applies::Yes) => 4,
            (Class::Stale, _) => 3,
            (Class::Gap, _) => 2,
            _ => 1,
        }
    }

    /// Reported as drift (a rule finding, a report entry).
    pub fn is_drift(&self) -> bool {
        self.class.is_drift()
    }
}

#[derive(Clone, Debug)]
pub struct PageDrift {
    pub key: String,
    pub copies: Vec<Copy>,
    /// Blocks that are the same in every copy.
    pub same: usize,
    pub rows: Vec<Row>,
    /// Most likely misses first.
    pub issues: Vec<Issue>,
}

impl PageDrift {
    pub fn score(&self) -> u8 {
        self.issues.iter().map(Issue::score).max().unwrap_or(0)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Drift {
    /// Pages with at least two copies that differ, most likely misses first.
    pub pages: Vec<PageDrift>,
    /// Pages with at least two copies.
    pub pages_with_copies: usize,
}

/// Every page with two or more copies. `only` restricts to pages with a copy among those files.
pub fn pages(model: &Model, only: Option<&[usize]>) -> Vec<Page> {
    let mut groups: HashMap<String, Vec<Copy>> = HashMap::new();
    for (i, f) in model.files.iter().enumerate() {
        let Some(loc) = f.loc else { continue };
        // An empty text has nothing to compare (PR mode's unparsed stubs are empty too).
        if f.read_problem.is_some() || f.text.is_empty() {
            continue;
        }
        let Some(key) = copy_key(&model.site, f, loc) else { continue };
        if model.site.drift.ignore.is_match(&key) {
            continue;
        }
        groups.entry(key).or_default().push(Copy { file: i, loc });
    }
    let mut out: Vec<Page> = groups
        .into_iter()
        .filter(|(_, c)| c.len() >= 2)
        .filter(|(_, c)| only.is_none_or(|o| c.iter().any(|c| o.contains(&c.file))))
        .map(|(key, mut copies)| {
            copies.sort_by_key(|c| (c.loc.doc_set, c.loc.version, c.file));
            // Two files of one version with one key (an `id` clash): keep the first.
            copies.dedup_by_key(|c| c.loc);
            Page { key, copies }
        })
        .filter(|p| p.copies.len() >= 2)
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// The page file `f` is a copy of (see [`pages`]), from its path and front matter only: for
/// callers that know most files from an index (PR mode).
pub fn page_key(site: &Site, f: &SourceFile) -> Option<String> {
    let fm = f.doc.front_matter.as_ref();
    let key = copy_key_of(site, &f.path, f.loc?, fm.and_then(|m| m.field("slug")), fm.and_then(|m| m.field("id")))?;
    (!site.drift.ignore.is_match(&key)).then_some(key)
}

/// Whether a file is a copy of a page whose key `is_key` accepts, from what PR mode's index
/// keeps of it: its path, its version, and its front matter's `slug` and `id` (building a
/// stand-in file for each of thousands cost more). `is_key` must accept only keys [`page_key`]
/// gave: those passed `[drift] ignore`, so that glob match, which costs more than the rest, is
/// not made for every file of the site.
pub fn is_copy_of(
    site: &Site,
    path: &str,
    loc: Location,
    slug: Option<&str>,
    id: Option<&str>,
    is_key: impl Fn(&str) -> bool,
) -> bool {
    copy_key_of(site, path, loc, slug, id).is_some_and(|k| is_key(&k))
}

/// The page a file is a copy of: its doc path in its version, without extension, with the
/// front matter's `id` for the file name or an absolute `slug` instead, then `[drift] map`.
fn copy_key(site: &Site, f: &SourceFile, loc: Location) -> Option<String> {
    let fm = f.doc.front_matter.as_ref();
    copy_key_of(site, &f.path, loc, fm.and_then(|m| m.field("slug")), fm.and_then(|m| m.field("id")))
}

fn copy_key_of(site: &Site, path: &str, loc: Location, slug: Option<&str>, id: Option<&str>) -> Option<String> {
    let dir = &site.version(loc).dir;
    let rel = if dir.is_empty() { path } else { path.strip_prefix(dir.as_str())?.trim_start_matches('/') };
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    let mut key = match slug.filter(|s| s.starts_with('/') && s.len() > 1) {
        Some(slug) => format!("slug:{}", slug.trim_matches('/')),
        None => match id.filter(|id| !id.is_empty() && !id.contains('/')) {
            Some(id) => match stem.rsplit_once('/') {
                Some((d, _)) => format!("{d}/{id}"),
                None => id.to_string(),
            },
            None => stem.to_string(),
        },
    };
    let ds = &site.doc_sets[loc.doc_set].id;
    for m in site.drift.map.iter().filter(|m| &m.doc_set == ds) {
        if m.from.ends_with('/') {
            if let Some(rest) = key.strip_prefix(m.from.as_str()) {
                key = format!("{}{rest}", m.to);
                break;
            }
        } else if key == m.from.trim_end_matches(".mdx").trim_end_matches(".md") {
            key = m.to.clone();
            break;
        }
    }
    Some(key)
}

/// A block compared across copies.
#[derive(Clone, Debug)]
struct Unit {
    block: u32,
    hash: u64,
    text: Arc<str>,
}

#[derive(Clone, Debug)]
struct Section {
    /// The normalised heading text with its occurrence number (`## Install#1`).
    key: String,
    /// The heading as written (empty for the part before the first heading).
    title: Arc<str>,
    units: Vec<Unit>,
}

/// A copy cut into sections, shared between copies with the same text.
type Shape = Rc<Vec<Section>>;

/// The units a page's copies have cut so far, by kind and source text: copies mostly share
/// their blocks' text, which is then normalised and hashed once per page.
type UnitCache<'a> = FastMap<(BlockKind, &'a str), (Arc<str>, u64)>;

/// The maps of one page's alignment: keyed by hashes, indices and short texts, looked up
/// hundreds of thousands of times over a site, never iterated.
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WideHasher>>;

/// A hash of long keys eight bytes at a time (the map compares the keys themselves, so a weak
/// hash costs a probe, never a wrong answer).
#[derive(Default)]
struct WideHasher(u64);

impl Hasher for WideHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x9e37_79b9_7f4a_7c15;
        let mix = |h: u64, w: u64| {
            let m = u128::from(h ^ w) * u128::from(K);
            (m as u64) ^ ((m >> 64) as u64)
        };
        let mut h = mix(self.0, bytes.len() as u64);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            h = mix(h, u64::from_le_bytes(buf));
        }
        self.0 = h;
    }
    fn write_u64(&mut self, i: u64) {
        let m = u128::from(self.0 ^ i) * u128::from(0x9e37_79b9_7f4a_7c15u64);
        self.0 = (m as u64) ^ ((m >> 64) as u64) ^ i;
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

/// The product names of every doc set and version (`$[prodname]`, `$[prodnameWindows]`), longest
/// value first: a literal name reads as its variable in every copy, whichever doc set it is in.
/// Replacing a doc set's own name only would make "Calico" in the open-source copy differ from
/// the same "Calico" in an Enterprise copy, whose `$[prodname]` is another name.
#[derive(Clone, Debug, Default)]
pub struct ProductNames(Vec<(String, String)>, String);

impl ProductNames {
    const VARIABLES: [&'static str; 2] = ["prodname", "prodnameWindows"];

    pub fn of(site: &Site) -> ProductNames {
        let mut names: Vec<(String, String)> = Vec::new();
        for (d, ds) in site.doc_sets.iter().enumerate() {
            for v in 0..ds.versions.len() {
                let loc = Location { doc_set: d, version: v };
                for var in Self::VARIABLES {
                    // Display names only (`Calico Cloud`): a slug (`calico`) is part of commands.
                    let Some(value) = site.variable(Some(loc), var).filter(|p| p.len() >= 3) else { continue };
                    if value.chars().any(|c| c.is_ascii_uppercase()) && !names.iter().any(|(n, _)| n == value) {
                        names.push((value.to_string(), format!("$[{var}]")));
                    }
                }
            }
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        ProductNames::new(names)
    }

    fn new(names: Vec<(String, String)>) -> ProductNames {
        // The names' common start ("Calico"): one search tells most blocks apart.
        let mut prefix = names.first().map_or(String::new(), |(n, _)| n.clone());
        for (n, _) in &names {
            let mut common = prefix.bytes().zip(n.bytes()).take_while(|(a, b)| a == b).count();
            // Equal bytes can end inside a character (`é` and `è` share their first byte).
            while !prefix.is_char_boundary(common) {
                common -= 1;
            }
            prefix.truncate(common);
        }
        ProductNames(names, prefix)
    }
}

/// A copy cut into sections and units (`cache`: the units cut from the page's other copies).
fn shape<'a>(names: &ProductNames, f: &'a SourceFile, cache: &mut UnitCache<'a>) -> Vec<Section> {
    let doc = &f.doc;
    let mut sections = vec![Section { key: String::new(), title: Arc::from(""), units: Vec::new() }];
    let mut seen: FastMap<Arc<str>, usize> = FastMap::default();
    for (i, b) in doc.blocks.iter().enumerate() {
        if !is_unit(doc.blocks.as_slice(), i) {
            continue;
        }
        let raw = &f.text[b.span.start as usize..b.span.end as usize];
        let (text, hash) = cache
            .entry((b.kind, raw))
            .or_insert_with(|| {
                let mut text = normalize_names(raw, names);
                if b.kind == BlockKind::Heading {
                    // A heading moved up or down a level is the same section.
                    text = text.trim_start_matches('#').trim_start().to_string();
                }
                let hash = hash(b.kind, &text);
                (text.into(), hash)
            })
            .clone();
        if b.kind == BlockKind::Heading && b.depth == 0 {
            let n = seen.entry(text.clone()).or_default();
            *n += 1;
            // `{text}#{n}` without the formatting machinery: one per heading of every copy.
            let mut key = String::with_capacity(text.len() + 2);
            key.push_str(&text);
            key.push('#');
            match u8::try_from(*n).ok().filter(|d| *d < 10) {
                Some(d) => key.push(char::from(b'0' + d)),
                None => key.push_str(&n.to_string()),
            }
            sections.push(Section { key, title: raw.trim().into(), units: Vec::new() });
        }
        if let Some(s) = sections.last_mut() {
            s.units.push(Unit { block: i as u32, hash, text });
        }
    }
    sections
}

/// A block as drift compares it (see [`compared_blocks`]).
#[derive(Clone, Debug)]
pub struct Compared {
    /// Index in the copy's `doc.blocks`.
    pub block: u32,
    /// The section's key: its normalised heading with its occurrence number (empty before the
    /// first heading).
    pub section: String,
    /// The normalised text.
    pub text: String,
}

/// The blocks of one copy that drift compares, in order, cut and normalised as page alignment
/// cuts them: for callers that compare a few files (PR mode's change to one page).
pub fn compared_blocks(names: &ProductNames, f: &SourceFile) -> Vec<Compared> {
    let mut out = Vec::new();
    for s in shape(names, f, &mut UnitCache::default()) {
        out.extend(s.units.into_iter().map(|u| Compared {
            block: u.block,
            section: s.key.clone(),
            text: u.text.to_string(),
        }));
    }
    out
}

/// How alike two normalised texts are: the share of words they have in common (1 for the
/// same words, in any order).
pub fn similarity(a: &str, b: &str) -> f32 {
    word_similarity(&sorted_words(a), &sorted_words(b))
}

/// Units are the leaves: paragraphs, headings, code, table rows, and JSX elements that hold
/// no blocks (`<Image />`).
fn is_unit(blocks: &[Block], i: usize) -> bool {
    let b = &blocks[i];
    match b.kind {
        BlockKind::Paragraph | BlockKind::Heading | BlockKind::Code | BlockKind::TableRow => true,
        BlockKind::Jsx => blocks.get(i + 1).is_none_or(|n| n.parent() != Some(i as u32)),
        BlockKind::ListItem | BlockKind::Admonition => false,
    }
}

/// Whitespace collapsed, the product name as its variable.
pub fn normalize(raw: &str, prodname: Option<&str>) -> String {
    let names = prodname.map(|p| vec![(p.to_string(), "$[prodname]".to_string())]).unwrap_or_default();
    normalize_names(raw, &ProductNames::new(names))
}

/// Whitespace collapsed, every product name as its variable ([`ProductNames`]).
pub fn normalize_names(raw: &str, names: &ProductNames) -> String {
    // The same as joining `split_ascii_whitespace` with single spaces: the trimmed text with
    // each run of whitespace that is not one space made one space. Drift folds the text of
    // every block of every page with copies; most of it is prose whose spaces stay as they
    // are, so the text is copied a run at a time, and read eight bytes at a time where none
    // needs folding ([`plain8`]). Runs are cut at ASCII bytes, so at char boundaries.
    let text = raw.trim_ascii();
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len());
    // Bytes before `copied` are in `out`.
    let (mut copied, mut i) = (0, 0);
    while i < b.len() {
        if let Some(w) = b.get(i..i + 9)
            && plain8(w)
        {
            i += 8;
            continue;
        }
        // The text ends on a byte that is not whitespace, so one follows any that is.
        if !b[i].is_ascii_whitespace() || (b[i] == b' ' && !b[i + 1].is_ascii_whitespace()) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while b[j].is_ascii_whitespace() {
            j += 1;
        }
        out.push_str(&text[copied..i]);
        out.push(' ');
        (copied, i) = (j, j);
    }
    out.push_str(&text[copied..]);
    if names.0.is_empty() || !out.contains(names.1.as_str()) {
        return out;
    }
    for (name, token) in &names.0 {
        if out.contains(name.as_str()) {
            out = out.replace(name.as_str(), token);
        }
    }
    out
}

/// Whether the first eight bytes of `w` (nine long: the ninth is the byte after them) need no
/// folding in [`normalize_names`]: no byte below 0x0E in the nine (tab, newline, form feed and
/// carriage return are there, with rarer controls the byte loop then reads one at a time) and
/// no space followed by a space. Word-at-a-time tests: `(x - n) & !x & 0x80…` is non-zero
/// exactly when some byte of `x` is below `n` (for `n` up to 0x80).
fn plain8(w: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
    let y = u64::from_le_bytes([w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]]);
    let spaces = ONES * u64::from(b' ');
    // A byte of this is zero where a byte and the next are both spaces.
    let two_spaces = (x ^ spaces) | (y ^ spaces);
    below(x, 0x0E) | below(y, 0x0E) | below(two_spaces, 1) == 0
}

/// A unit's identity: units of two copies with the same hash are the same text. foldhash's
/// quality variant, fixed seed: eight bytes and more a step where FNV took one (drift hashes
/// every unit of every page with copies), with the avalanche an identity needs.
fn hash(kind: BlockKind, text: &str) -> u64 {
    text_hasher().hash_one((kind, text))
}

fn text_hasher() -> foldhash::quality::FixedState {
    foldhash::quality::FixedState::with_seed(0)
}

/// The drift of every page with copies (`only`: pages with a copy among these files).
pub fn analyze(inp: &Inputs, only: Option<&[usize]>) -> Drift {
    let pages = pages(inp.model, only);
    let pages_with_copies = pages.len();
    let names = ProductNames::of(&inp.model.site);
    let mut out: Vec<PageDrift> = pages.par_iter().filter_map(|p| analyze_page_named(inp, p, &names)).collect();
    out.sort_by(|a, b| b.score().cmp(&a.score()).then_with(|| a.key.cmp(&b.key)));
    Drift { pages: out, pages_with_copies }
}

/// One page's rows and issues, `None` when every copy has the same blocks.
pub fn analyze_page(inp: &Inputs, page: &Page) -> Option<PageDrift> {
    analyze_page_named(inp, page, &ProductNames::of(&inp.model.site))
}

fn analyze_page_named(inp: &Inputs, page: &Page, names: &ProductNames) -> Option<PageDrift> {
    let model = inp.model;
    let site = &model.site;
    let files: Vec<&SourceFile> = page.copies.iter().map(|c| &model.files[c.file]).collect();
    // Copies read with the same bytes share one text (`Model::build`): a pointer tells most.
    let same_text = |a: &SourceFile, b: &SourceFile| SharedStr::same(&a.text, &b.text) || a.text == b.text;
    if files.windows(2).all(|w| same_text(w[0], w[1])) {
        return None;
    }
    // Copies with the same text have the same shape: cut each text once.
    let mut unique: Vec<(usize, Shape)> = Vec::new();
    let mut cache = UnitCache::default();
    let shapes: Vec<Shape> = files
        .iter()
        .enumerate()
        .map(|(k, f)| {
            if let Some((_, s)) = unique.iter().find(|(j, _)| same_text(files[*j], f)) {
                return s.clone();
            }
            let s = Rc::new(shape(names, f, &mut cache));
            unique.push((k, s.clone()));
            s
        })
        .collect();
    let n = page.copies.len();

    // The union of sections (in first-seen order) and, per section, of units (each new unit
    // placed after the row of the unit before it in its copy).
    let mut sec_index: FastMap<&str, usize> = FastMap::default();
    let mut sec_rows: Vec<Vec<usize>> = Vec::new();
    let mut sec_titles: Vec<&Arc<str>> = Vec::new();
    let mut row_index: FastMap<(usize, u64), usize> = FastMap::default();
    struct Proto<'a> {
        kind: BlockKind,
        text: &'a Arc<str>,
        present: Vec<Option<u32>>,
        /// Index of the unit in each copy's section (u32: a large page has thousands of
        /// rows, each with a list per copy, all alive until the page is done).
        pos: Vec<Option<u32>>,
    }
    let mut protos: Vec<Proto> = Vec::new();
    let mut has_sec: Vec<Vec<Option<usize>>> = vec![Vec::new(); n];
    for (c, sections) in shapes.iter().enumerate() {
        for (si, s) in sections.iter().enumerate() {
            let sec = *sec_index.entry(s.key.as_str()).or_insert_with(|| {
                sec_rows.push(Vec::new());
                sec_titles.push(&s.title);
                sec_rows.len() - 1
            });
            for h in has_sec.iter_mut() {
                h.resize(sec_rows.len(), None);
            }
            has_sec[c][sec] = Some(si);
            let mut prev: Option<usize> = None;
            for (ui, u) in s.units.iter().enumerate() {
                let kind = files[c].doc.blocks[u.block as usize].kind;
                let r = match row_index.get(&(sec, u.hash)) {
                    Some(&r) => r,
                    None => {
                        let r = protos.len();
                        protos.push(Proto { kind, text: &u.text, present: vec![None; n], pos: vec![None; n] });
                        row_index.insert((sec, u.hash), r);
                        let order = &mut sec_rows[sec];
                        let at = prev.and_then(|p| order.iter().position(|&x| x == p)).map_or(0, |k| k + 1);
                        order.insert(at.min(order.len()), r);
                        r
                    }
                };
                if protos[r].present[c].is_none() {
                    protos[r].present[c] = Some(u.block);
                    protos[r].pos[c] = Some(ui as u32);
                }
                prev = Some(r);
            }
        }
    }
    for h in has_sec.iter_mut() {
        h.resize(sec_rows.len(), None);
    }

    let mut rows = Vec::new();
    let mut issues = Vec::new();
    let mut same = 0;
    // Section diffs by content: copies often share a section's text exactly.
    let mut diffs: FastMap<(u64, u64), Vec<similar::DiffOp>> = FastMap::default();
    let sec_hashes: Vec<Vec<u64>> = shapes
        .iter()
        .map(|secs| {
            secs.iter()
                .map(|s| {
                    let mut h = text_hasher().build_hasher();
                    s.units.iter().for_each(|u| h.write_u64(u.hash));
                    h.finish()
                })
                .collect()
        })
        .collect();
    let sec_hash = |c: usize, si: usize| sec_hashes[c][si];
    // Every unit's sorted words by its hash, for `counterpart` (a text is compared with the
    // units around its place in each copy that lacks it).
    let mut words: FastMap<u64, Vec<&str>> = FastMap::default();
    // Per copy, every unit by its text with release values masked (built on first need).
    let mut elsewhere: Vec<Option<FastMap<u64, u32>>> = vec![None; n];
    // Unit hash to masked hash: the copies share most units.
    let mut masked: FastMap<u64, u64> = FastMap::default();
    for (sec, order) in sec_rows.iter().enumerate() {
        for &r in order {
            let p = &protos[r];
            let holders = p.present.iter().filter(|x| x.is_some()).count();
            if holders == n {
                same += 1;
                continue;
            }
            let is_heading = p.pos.iter().flatten().all(|&k| k == 0) && sec > 0;
            let row_no = rows.len();
            let mut cells = Vec::with_capacity(n);
            for x in 0..n {
                if let Some(b) = p.present[x] {
                    cells.push(Cell::Same(b));
                    continue;
                }
                let Some(xs) = has_sec[x][sec] else {
                    if !is_heading {
                        cells.push(Cell::NoSection);
                        continue;
                    }
                    // A section whose heading was reworded in this copy (a component renamed
                    // in that release) is there under another heading.
                    let renamed = nearest(page, &p.present, x)
                        .and_then(|from| has_sec[from][sec].map(|fs| (from, fs)))
                        .and_then(|(from, fs)| renamed_section(&shapes[from], fs, &shapes[x]));
                    if let Some(b) = renamed {
                        cells.push(Cell::Changed(b, Class::Differs));
                        continue;
                    }
                    let class = missing_class(page, &p.present, x);
                    cells.push(Cell::Missing(class));
                    let from = nearest(page, &p.present, x);
                    if let Some(from) = from {
                        issues.push(new_issue(row_no, x, class, from, p.present[from].unwrap_or(0)));
                    }
                    continue;
                };
                let Some(from) = nearest(page, &p.present, x) else {
                    cells.push(Cell::NoSection);
                    continue;
                };
                let (Some(fs), Some(fpos)) = (has_sec[from][sec], p.pos[from]) else {
                    cells.push(Cell::NoSection);
                    continue;
                };
                let fpos = fpos as usize;
                let ops = diffs.entry((sec_hash(from, fs), sec_hash(x, xs))).or_insert_with(|| {
                    let a: Vec<u64> = shapes[from][fs].units.iter().map(|u| u.hash).collect();
                    let b: Vec<u64> = shapes[x][xs].units.iter().map(|u| u.hash).collect();
                    similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b)
                });
                let from_units = &shapes[from][fs].units;
                let x_units = &shapes[x][xs].units;
                let changed = counterpart(
                    ops,
                    fpos,
                    from_units,
                    x_units,
                    &files[from].doc.blocks,
                    &files[x].doc.blocks,
                    &mut words,
                );
                let from_block = p.present[from].unwrap_or(0);
                match changed {
                    Some(xb) => {
                        // The other side of a change is reported once, on the copies with the
                        // text fewer copies have.
                        let theirs = x_units.iter().find(|u| u.block == xb).and_then(|u| row_index.get(&(sec, u.hash)));
                        let their_holders = theirs.map_or(0, |&r2| protos[r2].present.iter().flatten().count());
                        if their_holders > holders {
                            cells.push(Cell::Changed(xb, Class::Differs));
                            continue;
                        }
                        // A text changed in newer versions only (or kept by the newest) is how
                        // versions evolve; one copy out of step with older and newer ones, or
                        // with every other copy, is stale.
                        let others = (0..n).filter(|&k| k != x && has_sec[k][sec].is_some()).count();
                        let class = match missing_class(page, &p.present, x) {
                            Class::Hole => Class::Stale,
                            Class::Tail | Class::Removed => Class::Differs,
                            _ if holders == others && holders >= 2 => Class::Stale,
                            _ => Class::Differs,
                        };
                        let x_text = x_units.iter().find(|u| u.block == xb).map_or("", |u| &*u.text);
                        let class = if class == Class::Stale
                            && !outvoted(page, &p.present, &|k| has_sec[k][sec].is_some(), x, p.text, x_text)
                        {
                            Class::Differs
                        } else {
                            class
                        };
                        cells.push(Cell::Changed(xb, class));
                        let mut is = new_issue(row_no, x, class, from, from_block);
                        is.changed = Some(xb);
                        is.at_block = Some(xb);
                        issues.push(is);
                    }
                    None => {
                        let class = missing_class(page, &p.present, x);
                        if matches!(class, Class::Hole | Class::Gap)
                            && let Some(b) = elsewhere[x]
                                .get_or_insert_with(|| masked_units(&shapes[x], &files[x].doc.blocks, &mut masked))
                                .get(&masked_hash(p.kind, p.text))
                        {
                            // Moved to another section, or the same text with this release's
                            // values (`1.34` for `1.32`): present, not missing.
                            cells.push(Cell::Changed(*b, Class::Differs));
                            continue;
                        }
                        // In its place this copy has text of its own (no other copy has it; for
                        // a gap, no other doc set): it was reworded or rewritten there, which is
                        // no missed edit. Blocks other copies share (a table whose rows were
                        // all restyled since) say nothing about it.
                        let own = |u: &Unit| {
                            row_index.get(&(sec, u.hash)).is_some_and(|&r| {
                                protos[r].present.iter().enumerate().filter(|(_, b)| b.is_some()).all(|(k, _)| {
                                    k == x
                                        || (class == Class::Gap
                                            && page.copies[k].loc.doc_set == page.copies[x].loc.doc_set)
                                })
                            })
                        };
                        let rewritten = ops.iter().any(|op| match *op {
                            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                                (old_index..old_index + old_len).contains(&fpos)
                                    && x_units[new_index..new_index + new_len].iter().any(own)
                            }
                            _ => false,
                        });
                        let class =
                            if rewritten && matches!(class, Class::Hole | Class::Gap) { Class::Differs } else { class };
                        cells.push(Cell::Missing(class));
                        let mut is = new_issue(row_no, x, class, from, from_block);
                        if matches!(class, Class::Hole | Class::Gap) {
                            let at = insertion(ops, fpos, from_units, x_units, files[from], files[x], from_block);
                            is.insert_at = at.map(|b| files[x].doc.blocks[b as usize].span.end);
                            is.at_block =
                                at.or_else(|| anchor_unit(ops, fpos, x_units)).or(x_units.first().map(|u| u.block));
                        }
                        issues.push(is);
                    }
                }
            }
            rows.push(Row { section: sec_titles[sec].clone(), kind: p.kind, text: p.text.clone(), cells });
        }
    }
    if rows.is_empty() {
        return None;
    }
    let accepts: Vec<_> = site.drift.accept.iter().filter(|a| a.page == page.key).collect();
    for is in &mut issues {
        let c = page.copies[is.copy];
        if is.class.is_drift() || is.class == Class::Differs {
            let from = page.copies[is.from];
            (is.facts, is.applies) = facts::judge(inp, from, is.from_block, c.loc);
            if is.changed.is_none() && matches!(is.class, Class::Hole | Class::Gap) {
                let from_file = &model.files[from.file];
                for name in missing_containers(from_file, is.from_block, &model.files[c.file]) {
                    is.facts.push(Fact { kind: FactKind::Container, name, exists: false });
                    is.applies = Applies::No;
                }
                // Moved to another page of this version (a page split in two). Looked for only
                // where the rule would report it: it reads every page of the version.
                let reported = match is.class {
                    Class::Hole => is.applies != Applies::No,
                    _ => is.applies == Applies::Yes,
                };
                if reported
                    && let Some(path) =
                        other_page(model, &model.files[c.file], c.loc, block_text(from_file, is.from_block))
                {
                    is.facts.push(Fact { kind: FactKind::OtherPage, name: path, exists: false });
                    is.applies = Applies::No;
                }
                // Another doc set's wording of what this copy already says elsewhere on the
                // page: every field the block names is named here too.
                if is.class == Class::Gap && is.applies == Applies::Yes {
                    let here = (inp.field_uses)(c.file);
                    let said = |name: &str| here.iter().any(|u| u.name.eq_ignore_ascii_case(name));
                    if is.facts.iter().all(|f| !matches!(f.kind, FactKind::Field { .. }) || said(&f.name)) {
                        is.applies = Applies::Unknown;
                    }
                }
            }
        }
        let ds = &site.doc_sets[c.loc.doc_set];
        let v = &ds.versions[c.loc.version];
        is.accepted = accepts
            .iter()
            .find(|a| {
                a.copies.iter().any(|s| match s.split_once('@') {
                    Some((d, ver)) => d == ds.id && (ver == v.name || ver == v.label),
                    None => *s == ds.id,
                })
            })
            .map(|a| a.reason.clone());
    }
    // A row has at most one issue per copy, so (row, copy) orders every pair and an unstable
    // sort gives the stable one's order, without its scratch (a megabyte on the largest pages).
    issues.sort_unstable_by(|a, b| b.score().cmp(&a.score()).then(a.row.cmp(&b.row)).then(a.copy.cmp(&b.copy)));
    // Kept for the whole run: lists of their length, not of the last doubling.
    rows.shrink_to_fit();
    issues.shrink_to_fit();
    Some(PageDrift { key: page.key.clone(), copies: page.copies.clone(), same, rows, issues })
}

/// Whether the copies that have the text outvote copy `x`'s changed version (`x_text`), so
/// that `x` is a stale copy: a majority of `x`'s doc set's copies with the section when some
/// of them have the text (another product words it its own way), else a majority of all the
/// copies with the section from two doc sets (one other product agreeing with itself is that
/// product's wording); and a difference in more than release values (`v3.30.1` against
/// `v3.31.0`, Kubernetes versions, image tags). Two copies out of five agreeing is no
/// consensus: every release may have its own text (install commands).
fn outvoted(
    page: &Page,
    present: &[Option<u32>],
    has_sec: &dyn Fn(usize) -> bool,
    x: usize,
    text: &str,
    x_text: &str,
) -> bool {
    let ds = |k: usize| page.copies[k].loc.doc_set;
    let with_sec = |k: &usize| has_sec(*k);
    let holders: Vec<usize> = (0..present.len()).filter(|&k| present[k].is_some()).collect();
    let own = holders.iter().filter(|&&k| ds(k) == ds(x)).count();
    let majority = if own > 0 {
        2 * own > (0..present.len()).filter(with_sec).filter(|&k| ds(k) == ds(x)).count()
    } else {
        let sets = holders.iter().map(|&k| ds(k)).collect::<std::collections::BTreeSet<_>>().len();
        2 * holders.len() > (0..present.len()).filter(with_sec).count() && sets >= 2
    };
    majority && mask_releases(text) != mask_releases(x_text) && !only_adds(text, x_text)
}

/// Whether `x_text` is `text` with something added and nothing removed (an anchor added to a
/// link, a sentence appended): that copy is ahead of the others, not behind them.
fn only_adds(text: &str, x_text: &str) -> bool {
    let a: Vec<char> = text.chars().collect();
    let b: Vec<char> = x_text.chars().collect();
    b.len() > a.len()
        && similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b)
            .iter()
            .all(|op| matches!(op, similar::DiffOp::Equal { .. } | similar::DiffOp::Insert { .. }))
}

/// `text` with release-specific values as `#`: each run of letters, digits, `.`, `-` and `+`
/// that starts with a digit, or with `v` and a digit (`1.34`, `v3.30.2`, `3.22.0-2.0-dev`).
fn mask_releases(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+');
    // One pass that stops only at digits: a value starts at one, or at the `v` before it. The
    // text between values is copied a run at a time; a value starts and ends at ASCII bytes,
    // so every cut is at a char boundary. Bytes before `copied` are in `out`.
    let mut out = String::new();
    let (mut copied, mut i) = (0, 0);
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = if i > 0 && matches!(b[i - 1], b'v' | b'V') && (i == 1 || !word(b[i - 2])) {
            i - 1
        } else if i == 0 || !word(b[i - 1]) {
            i
        } else {
            i += 1;
            continue;
        };
        if out.capacity() == 0 {
            out.reserve(text.len());
        }
        out.push_str(&text[copied..start]);
        while i < b.len() && word(b[i]) {
            i += 1;
        }
        out.push('#');
        copied = i;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    std::borrow::Cow::Owned(out)
}

fn masked_hash(kind: BlockKind, text: &str) -> u64 {
    hash(kind, &mask_releases(text))
}

/// Every unit of a copy by [`masked_hash`].
fn masked_units(sections: &[Section], blocks: &[Block], masked: &mut FastMap<u64, u64>) -> FastMap<u64, u32> {
    let mut out = FastMap::default();
    for u in sections.iter().flat_map(|s| &s.units) {
        let m = *masked.entry(u.hash).or_insert_with(|| masked_hash(blocks[u.block as usize].kind, &u.text));
        out.entry(m).or_insert(u.block);
    }
    out
}

/// The heading of `x`'s section that is section `fs` of the other copy under another heading:
/// one `from` lacks, whose other blocks are at least half of that section's.
fn renamed_section(from: &[Section], fs: usize, x: &[Section]) -> Option<u32> {
    let body: Vec<u64> = from[fs].units.iter().skip(1).map(|u| u.hash).collect();
    if body.is_empty() {
        return None;
    }
    x.iter()
        .skip(1)
        .filter(|s| !from.iter().any(|f| f.key == s.key))
        .find(|s| {
            let shared = body.iter().filter(|h| s.units.iter().skip(1).any(|u| u.hash == **h)).count();
            2 * shared >= body.len()
        })
        .and_then(|s| s.units.first().map(|u| u.block))
}

/// The opening tags of the JSX elements around block `b` of `from` (a `<TabItem>`) that `x`
/// does not have anywhere: the block's place does not exist in `x`.
fn missing_containers(from: &SourceFile, b: u32, x: &SourceFile) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = from.doc.blocks[b as usize].parent();
    while let Some(p) = at {
        let blk = &from.doc.blocks[p as usize];
        if blk.kind == BlockKind::Jsx {
            let open = block_text(from, p).lines().next().unwrap_or("").trim();
            if open.starts_with('<')
                && open.ends_with('>')
                && memchr::memmem::find(x.text.as_bytes(), open.as_bytes()).is_none()
            {
                out.push(open.to_string());
            }
        }
        at = blk.parent();
    }
    out
}

/// Another page of the version at `loc` (not `x`) with `raw`'s text, when its first line is
/// long enough to tell.
fn other_page(model: &Model, x: &SourceFile, loc: Location, raw: &str) -> Option<String> {
    let needle = raw.lines().map(str::trim).find(|l| !l.is_empty())?;
    if needle.len() < 40 {
        return None;
    }
    let same = |f: &&SourceFile| f.loc == Some(loc) && !std::ptr::eq(*f, x);
    // Built once and searched a vector at a time: every page of the version is read.
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    model.files.iter().filter(same).find(|f| finder.find(f.text.as_bytes()).is_some()).map(|f| f.path.clone())
}

fn new_issue(row: usize, copy: usize, class: Class, from: usize, from_block: u32) -> Issue {
    Issue {
        row,
        copy,
        class,
        from,
        from_block,
        changed: None,
        insert_at: None,
        at_block: None,
        facts: Vec::new(),
        applies: Applies::Unknown,
        accepted: None,
    }
}

/// How copy `x`, which lacks the block, relates to the copies that have it (`present`).
fn missing_class(page: &Page, present: &[Option<u32>], x: usize) -> Class {
    let loc = page.copies[x].loc;
    let same_set = |k: usize| page.copies[k].loc.doc_set == loc.doc_set && present[k].is_some();
    let newer = (0..present.len()).any(|k| same_set(k) && page.copies[k].loc.version < loc.version);
    let older = (0..present.len()).any(|k| same_set(k) && page.copies[k].loc.version > loc.version);
    match (newer, older) {
        (true, true) => Class::Hole,
        (true, false) => Class::Tail,
        (false, true) => Class::Removed,
        (false, false) => {
            let newest_here = (0..x).all(|k| page.copies[k].loc.doc_set != loc.doc_set);
            // Another doc set's newest copy has it: not something that doc set dropped.
            let newest_elsewhere = (0..present.len()).any(|k| {
                let d = page.copies[k].loc.doc_set;
                d != loc.doc_set && present[k].is_some() && (0..k).all(|j| page.copies[j].loc.doc_set != d)
            });
            if newest_here && newest_elsewhere { Class::Gap } else { Class::Absent }
        }
    }
}

/// The copy with the block closest to `x`: the nearest version of its doc set (newer first),
/// else the first copy of another doc set.
fn nearest(page: &Page, present: &[Option<u32>], x: usize) -> Option<usize> {
    let loc = page.copies[x].loc;
    (0..present.len()).filter(|&k| present[k].is_some()).min_by_key(|&k| {
        let l = page.copies[k].loc;
        if l.doc_set == loc.doc_set {
            let d = l.version.abs_diff(loc.version);
            (0, d * 2 + usize::from(l.version > loc.version))
        } else {
            (1, k)
        }
    })
}

/// `x`'s changed version of unit `fpos` of the other copy: a unit of the same kind replaced at
/// about that place (within a few units of where it would be) whose words are at least half
/// the same.
fn counterpart<'s>(
    ops: &[similar::DiffOp],
    fpos: usize,
    from_units: &'s [Unit],
    x_units: &'s [Unit],
    from_blocks: &[Block],
    x_blocks: &[Block],
    words: &mut FastMap<u64, Vec<&'s str>>,
) -> Option<u32> {
    let op = ops.iter().find(|op| op.old_range().contains(&fpos))?;
    let similar::DiffOp::Replace { old_index, old_len, new_index, new_len } = *op else { return None };
    let a = &from_units[fpos];
    let kind = from_blocks[a.block as usize].kind;
    // Where `fpos` falls in the replaced run, scaled to the new run; look a few units around.
    let guess = new_index + (fpos - old_index) * new_len / old_len.max(1);
    let lo = guess.saturating_sub(3).max(new_index);
    let hi = (guess + 4).min(new_index + new_len);
    let mut best: Option<(f32, u32)> = None;
    // One block replaced by one block of the same kind, in the same place: changed, however
    // much (a command's sample output rewritten for a release).
    if old_len == 1 && new_len == 1 && x_blocks[x_units[new_index].block as usize].kind == kind {
        return Some(x_units[new_index].block);
    }
    // Split and sorted once per page: a text is compared with the same candidates in every
    // copy that shares the section.
    let candidates = || x_units[lo..hi].iter().filter(|u| x_blocks[u.block as usize].kind == kind);
    for u in std::iter::once(a).chain(candidates()) {
        words.entry(u.hash).or_insert_with(|| sorted_words(&u.text));
    }
    let a_words = &words[&a.hash];
    for u in candidates() {
        let ratio = word_similarity(a_words, &words[&u.hash]);
        if ratio >= 0.5 && best.is_none_or(|(r, _)| ratio > r) {
            best = Some((ratio, u.block));
        }
    }
    best.map(|(_, b)| b)
}

/// A normalised text's words, sorted, for [`word_similarity`].
fn sorted_words(s: &str) -> Vec<&str> {
    let mut v: Vec<&str> = s.split(' ').collect();
    v.sort_unstable();
    v
}

/// The Dice coefficient of two texts' [`sorted_words`] (as multisets): 1 for the same words.
fn word_similarity(x: &[&str], y: &[&str]) -> f32 {
    if x.len().max(y.len()) > 4 * x.len().min(y.len()).max(1) {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(y[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    (2 * common) as f32 / (x.len() + y.len()).max(1) as f32
}

/// Where the block would go in `x`: after the top-level block (returned) holding the unit that
/// precedes it in the other copy and is the same in `x`. Only for a top-level block after a
/// top-level anchor of the same kind in both copies.
fn insertion(
    ops: &[similar::DiffOp],
    fpos: usize,
    from_units: &[Unit],
    x_units: &[Unit],
    from: &SourceFile,
    x: &SourceFile,
    from_block: u32,
) -> Option<u32> {
    if from.doc.blocks[from_block as usize].depth != 0 {
        return None;
    }
    let prev = fpos.checked_sub(1)?;
    let op = ops.iter().find(|op| op.old_range().contains(&prev))?;
    let similar::DiffOp::Equal { old_index, new_index, .. } = *op else { return None };
    let xu = &x_units[new_index + (prev - old_index)];
    let fa = top(&from.doc.blocks, from_units[prev].block);
    let xa = top(&x.doc.blocks, xu.block);
    let (fb, xb) = (&from.doc.blocks[fa as usize], &x.doc.blocks[xa as usize]);
    if fb.kind != xb.kind || fb.span.end > from.doc.blocks[from_block as usize].span.start {
        return None;
    }
    Some(xa)
}

/// The unit of `x` aligned with the nearest unit before `fpos` that both copies share.
fn anchor_unit(ops: &[similar::DiffOp], fpos: usize, x_units: &[Unit]) -> Option<u32> {
    ops.iter()
        .rev()
        .filter_map(|op| match *op {
            similar::DiffOp::Equal { old_index, new_index, len } if old_index < fpos => {
                let k = (fpos - 1).min(old_index + len - 1) - old_index;
                Some(x_units[new_index + k].block)
            }
            _ => None,
        })
        .next()
}

/// The top-level block holding block `b`.
fn top(blocks: &[Block], mut b: u32) -> u32 {
    while let Some(p) = blocks[b as usize].parent() {
        b = p;
    }
    b
}

/// The source text of block `b` of `f`.
pub fn block_text(f: &SourceFile, b: u32) -> &str {
    let s: Span = f.doc.blocks[b as usize].span;
    &f.text[s.start as usize..s.end as usize]
}

#[cfg(test)]
mod tests {
    use super::{ProductNames, mask_releases, normalize_names};

    /// Texts of every length up to 40 from an alphabet of the bytes the fast paths test
    /// (each whitespace, the vertical tab they leave alone, digits, `v`, a value's
    /// punctuation, a two-byte char), by a fixed linear congruential sequence.
    fn texts() -> Vec<String> {
        const ALPHABET: [&str; 16] =
            [" ", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "a", "v", "V", "1", ".", "-", "+", "é", "x"];
        let mut seed: u64 = 1;
        let mut out = Vec::new();
        for len in 0..40 {
            for _ in 0..200 {
                let mut t = String::new();
                for _ in 0..len {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    t.push_str(ALPHABET[(seed >> 33) as usize % ALPHABET.len()]);
                }
                out.push(t);
            }
        }
        out
    }

    #[test]
    fn product_names_share_a_start_of_whole_characters() {
        // `é` and `è` share their first byte: the common start stops before the character.
        let names = |ns: &[&str]| ProductNames::new(ns.iter().map(|n| (n.to_string(), "$[prodname]".into())).collect());
        assert_eq!(names(&["Café Cloud", "Cafè Pro"]).1, "Caf");
        assert_eq!(names(&["Calico Cloud", "Calico Enterprise"]).1, "Calico ");
        assert_eq!(names(&["Éclair", "Ébène"]).1, "É");
        assert_eq!(names(&[]).1, "");
        let both = names(&["Café Cloud", "Cafè Pro"]);
        assert_eq!(normalize_names("Use Cafè Pro  or Café Cloud.", &both), "Use $[prodname] or $[prodname].");
    }

    #[test]
    fn whitespace_folds_as_split_ascii_whitespace_joins() {
        let none = ProductNames(Vec::new(), String::new());
        let fixed = ["", "   ", "a", " a ", "a  b\tc\n", "\u{a0}x  y\u{a0}", "é  ü", "\n\nend", "one\r\ntwo"];
        let long =
            ["a sentence of plain words, long enough to read eight bytes at a time", "eight b \nx", "eight by\n x"];
        for raw in fixed.iter().chain(&long).map(|s| s.to_string()).chain(texts()) {
            let words: Vec<&str> = raw.split_ascii_whitespace().collect();
            assert_eq!(normalize_names(&raw, &none), words.join(" "), "{raw:?}");
        }
    }

    /// [`mask_releases`] as first written: a char at a time.
    fn mask_releases_by_char(text: &str) -> String {
        let b = text.as_bytes();
        let word = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+');
        let starts = |i: usize| {
            (i == 0 || !word(b[i - 1]))
                && (b[i].is_ascii_digit()
                    || (matches!(b[i], b'v' | b'V') && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
        };
        let mut out = String::new();
        let mut i = 0;
        while i < b.len() {
            if starts(i) {
                while i < b.len() && word(b[i]) {
                    i += 1;
                }
                out.push('#');
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
        out
    }

    #[test]
    fn release_values_are_masked_as_char_by_char() {
        let fixed = ["", "v3.30.2 and 1.34", "calico v3.31", "é1.2é", "x1 1x", "version-3.22-2", "V9+build"];
        for text in fixed.iter().map(|s| s.to_string()).chain(texts()) {
            let masked = mask_releases(&text);
            assert_eq!(masked, mask_releases_by_char(&text), "{text:?}");
            assert_eq!(matches!(masked, std::borrow::Cow::Borrowed(_)), masked == text, "{text:?}");
        }
        assert_eq!(mask_releases("install v3.30.2 on 1.34 nodes"), "install # on # nodes");
    }
}
