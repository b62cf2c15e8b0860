//! Drift of a change: which copies of a page a change to some of its copies has not reached.
//!
//! PR mode knows each changed file as it was at the base commit ([`Change`]). For every
//! changed page this module diffs the base and new versions of the blocks drift compares
//! ([`super::compared_blocks`], with `similar`), and takes each run of added or edited blocks
//! (a hunk) in turn. Every other copy of the page (found as [`super::pages`] finds them, for
//! this page only: no whole-site alignment) is then
//! - *reached* when it has every new text of the hunk: not listed (a change split over
//!   several pull requests is reported until the last copy has it);
//! - *lacking* when it still has an old text of the hunk (or its own version of it: half the
//!   same words, in the same section), or the block before or after it in the same section: the copy had the same block or the same surroundings before, and was
//!   not changed; the version facts ([`super::facts`]) say whether the new text applies there;
//! - unrelated otherwise (the copy is shaped differently there): not listed.
//!
//! Deleted blocks are left out: a change that only removes text says nothing about copies
//! that still have it. How findings are worded is left to the rule (`drift/unpropagated-change`).

use super::{Applies, Copy, Fact, Inputs, ProductNames, compared_blocks, pages};
use crate::doc::BlockKind;
use crate::model::SourceFile;
use std::collections::HashMap;

/// What PR mode changed: the files that exist now, each with its text at the base commit.
#[derive(Debug, Default)]
pub struct Change {
    pub files: Vec<Changed>,
}

#[derive(Debug)]
pub struct Changed {
    /// The file in the model (as it is now).
    pub file: usize,
    /// The same path at the base commit, parsed with the site's options.
    pub base: SourceFile,
}

/// Whether a hunk adds blocks or replaces some.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    Added,
    Edited,
}

/// A run of added or edited blocks in a changed file that other copies of the page lack.
#[derive(Clone, Debug)]
pub struct Unpropagated {
    pub file: usize,
    pub how: How,
    /// The hunk's blocks in the changed file (indexes in `doc.blocks`), first first.
    pub blocks: Vec<u32>,
    /// Where the change starts: the first line of the first block that differs from the base.
    pub start: u32,
    /// The copies that lack it, in page order (doc set, then version, newest first).
    pub lacking: Vec<Lacking>,
}

impl Unpropagated {
    /// Whether some copy that lacks it is not ruled out by the facts.
    pub fn applies_somewhere(&self) -> bool {
        self.lacking.iter().any(|l| l.applies != Applies::No)
    }
}

/// A copy a change has not reached.
#[derive(Clone, Debug)]
pub struct Lacking {
    pub copy: Copy,
    /// The block of that copy the change relates to, and how.
    pub block: u32,
    pub anchor: Anchor,
    /// The facts the new blocks name, judged in that copy's version.
    pub facts: Vec<Fact>,
    pub applies: Applies,
}

/// How a lacking copy's block relates to the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// It is the old text the change replaced.
    OldText,
    /// It is the copy's own version of the old text (at least half the same words).
    Version,
    /// The new text goes after it.
    After,
    /// The new text goes before it.
    Before,
}

/// The hunks of every changed page that some other copy lacks.
///
/// A change made the same way to several copies is one change: it is reported once, on the
/// first of them in page order (doc set, then version, newest first).
pub fn analyze(inp: &Inputs, change: &Change) -> Vec<Unpropagated> {
    let mut files: Vec<&Changed> = change.files.iter().collect();
    files.sort_by_key(|c| (inp.model.files[c.file].loc.map(|l| (l.doc_set, l.version)), c.file));
    let mut seen: std::collections::HashSet<(String, Vec<String>)> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for c in files {
        for (page, hunk, u) in changed_page(inp, c) {
            if seen.insert((page, hunk)) {
                out.push(u);
            }
        }
    }
    out
}

/// A compared block's identity: the same kind and normalised text.
type Key<'a> = (BlockKind, &'a str);

/// The hunks of one changed file that other copies lack, each with its page and new texts.
fn changed_page(inp: &Inputs, c: &Changed) -> Vec<(String, Vec<String>, Unpropagated)> {
    let model = inp.model;
    let site = &model.site;
    let nf = &model.files[c.file];
    let Some(loc) = nf.loc else { return Vec::new() };
    let Some(page) = pages(model, Some(&[c.file])).into_iter().find(|p| p.copies.iter().any(|x| x.file == c.file))
    else {
        return Vec::new();
    };
    // Product names read as their variables in every copy, as page alignment reads them.
    let names = ProductNames::of(site);
    let new = compared_blocks(&names, nf);
    let old = compared_blocks(&names, &c.base);
    let key = |f: &SourceFile, u: &super::Compared| -> (BlockKind, String) {
        (f.doc.blocks[u.block as usize].kind, u.text.clone())
    };
    let new_keys: Vec<(BlockKind, String)> = new.iter().map(|u| key(nf, u)).collect();
    let old_keys: Vec<(BlockKind, String)> = old.iter().map(|u| key(&c.base, u)).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old_keys, &new_keys);

    // The other copies, each cut once: its blocks, and where each text first occurs.
    struct Other<'a> {
        copy: Copy,
        blocks: &'a [super::Compared],
        at: HashMap<Key<'a>, usize>,
    }
    let others: Vec<(Copy, Vec<super::Compared>)> = page
        .copies
        .iter()
        .filter(|x| x.file != c.file && accepted(inp, &page.key, x).is_none())
        .map(|x| (*x, compared_blocks(&names, &model.files[x.file])))
        .collect();
    let others: Vec<Other> = others
        .iter()
        .map(|(copy, blocks)| {
            let xf = &model.files[copy.file];
            let mut at: HashMap<Key<'_>, usize> = HashMap::new();
            for (k, u) in blocks.iter().enumerate() {
                at.entry((xf.doc.blocks[u.block as usize].kind, u.text.as_str())).or_insert(k);
            }
            Other { copy: *copy, blocks, at }
        })
        .collect();

    let from = Copy { file: c.file, loc };
    let mut out = Vec::new();
    for op in &ops {
        let (old_index, old_len, new_index, new_len) = match *op {
            similar::DiffOp::Insert { old_index, new_index, new_len } => (old_index, 0, new_index, new_len),
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                (old_index, old_len, new_index, new_len)
            }
            _ => continue,
        };
        let hunk = &new_keys[new_index..new_index + new_len];
        let was = &old_keys[old_index..old_index + old_len];
        let before = old_index.checked_sub(1).map(|k| (&old_keys[k], &old[k].section));
        let after = old.get(old_index + old_len).map(|u| (&old_keys[old_index + old_len], &u.section));
        let blocks: Vec<u32> = new[new_index..new_index + new_len].iter().map(|u| u.block).collect();
        let mut lacking = Vec::new();
        for x in &others {
            let has = |k: &(BlockKind, String)| x.at.get(&(k.0, k.1.as_str())).copied();
            if hunk.iter().all(|k| has(k).is_some()) {
                continue;
            }
            // In the same section of the copy, so that a common block elsewhere (`Next steps`)
            // does not tie an unrelated part of the copy to the change.
            let beside = |n: Option<(&(BlockKind, String), &String)>| {
                let (k, section) = n?;
                let i = has(k)?;
                (same_section(&x.blocks[i].section, section)).then_some(x.blocks[i].block)
            };
            let anchor = match was.iter().find_map(has) {
                Some(i) => Some((x.blocks[i].block, Anchor::OldText)),
                None => version_of(x.blocks, &model.files[x.copy.file], &old[old_index..old_index + old_len], &c.base)
                    .map(|b| (b, Anchor::Version))
                    .or_else(|| beside(before).map(|b| (b, Anchor::After)))
                    .or_else(|| beside(after).map(|b| (b, Anchor::Before))),
            };
            let Some((block, anchor)) = anchor else { continue };
            let (facts, applies) = judge(inp, from, &blocks, x.copy);
            lacking.push(Lacking { copy: x.copy, block, anchor, facts, applies });
        }
        if lacking.is_empty() {
            continue;
        }
        let how = if old_len == 0 { How::Added } else { How::Edited };
        let first = &nf.doc.blocks[blocks[0] as usize];
        let start = match old.get(old_index).filter(|_| how == How::Edited) {
            Some(u) => first_changed_line(nf, blocks[0], &c.base, u.block),
            None => first.span.start,
        };
        let texts = hunk.iter().map(|k| k.1.clone()).collect();
        out.push((page.key.clone(), texts, Unpropagated { file: c.file, how, blocks, start, lacking }));
    }
    out
}

/// The copy's own version of one of the replaced blocks: a block of the same kind in the same
/// section with at least half the same words, the most alike first.
fn version_of(x: &[super::Compared], xf: &SourceFile, was: &[super::Compared], base: &SourceFile) -> Option<u32> {
    let mut best: Option<(f32, u32)> = None;
    for o in was {
        let kind = base.doc.blocks[o.block as usize].kind;
        for u in
            x.iter().filter(|u| xf.doc.blocks[u.block as usize].kind == kind && same_section(&u.section, &o.section))
        {
            let r = super::similarity(&o.text, &u.text);
            if r >= 0.5 && best.is_none_or(|(b, _)| r > b) {
                best = Some((r, u.block));
            }
        }
    }
    best.map(|(_, b)| b)
}

/// Whether two section keys name the same section, whatever the heading's level: versions
/// move a section up or down a level (`### Avoid conflicts` becomes `#### Avoid conflicts`).
fn same_section(a: &str, b: &str) -> bool {
    let title = |k: &str| k.trim_start_matches('#').trim_start().to_string();
    title(a) == title(b)
}

/// The facts of all of a hunk's blocks, judged in `at`'s version: not applicable when one of
/// them does not exist there, applicable when some exist and none is missing.
fn judge(inp: &Inputs, from: Copy, blocks: &[u32], at: Copy) -> (Vec<Fact>, Applies) {
    let mut facts: Vec<Fact> = Vec::new();
    let mut any_yes = false;
    for &b in blocks {
        let (fs, applies) = super::facts::judge(inp, from, b, at.loc);
        any_yes |= applies == Applies::Yes;
        for f in fs {
            if !facts.contains(&f) {
                facts.push(f);
            }
        }
    }
    let applies = if facts.iter().any(|f| !f.exists) {
        Applies::No
    } else if any_yes {
        Applies::Yes
    } else {
        Applies::Unknown
    };
    (facts, applies)
}

/// The start of the first line where block `b` of `new` differs from block `ob` of `base`
/// (where a line diff of the two files puts the change), within the block.
fn first_changed_line(new: &SourceFile, b: u32, base: &SourceFile, ob: u32) -> u32 {
    let ns = new.doc.blocks[b as usize].span;
    let os = base.doc.blocks[ob as usize].span;
    let nt = &new.text[ns.start as usize..ns.end as usize];
    let ot = &base.text[os.start as usize..os.end as usize];
    let same: usize =
        nt.char_indices().zip(ot.chars()).take_while(|((_, a), b)| a == b).map(|((_, a), _)| a.len_utf8()).sum();
    let line = nt[..same].rfind('\n').map_or(0, |k| k + 1);
    ns.start + line as u32
}

/// The `[[drift.accept]]` reason for copy `x` of page `key`, if the difference is accepted.
fn accepted<'a>(inp: &'a Inputs, key: &str, x: &Copy) -> Option<&'a str> {
    let site = &inp.model.site;
    let ds = &site.doc_sets[x.loc.doc_set];
    let v = &ds.versions[x.loc.version];
    site.drift
        .accept
        .iter()
        .filter(|a| a.page == key)
        .find(|a| {
            a.copies.iter().any(|s| match s.split_once('@') {
                Some((d, ver)) => d == ds.id && (ver == v.name || ver == v.label),
                None => *s == ds.id,
            })
        })
        .map(|a| a.reason.as_str())
}
