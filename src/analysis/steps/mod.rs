//! A page as an ordered list of steps: what a reader runs, in the order they run it.
//!
//! A step is one shell command (from a shell code block, split by [`crate::analysis::shell`])
//! or a prose step: a link to an install guide (a page listed in the
//! `rules/resource-dependencies.toml` pack), in a sentence that tells the reader to install or
//! follow it. Each step knows its section heading, its position in a numbered list, whether it
//! sits in an admonition, and the `Tabs`/`TabItem` branches it is in. Branches of one `Tabs`
//! (or of `Tabs` sharing a `groupId`) are alternatives: a step in one never runs before a step
//! in another. A branch continues the order of what precedes the `Tabs`.
//!
//! What a step means (what it installs, creates or needs) is [`deps`]'s business; this module
//! knows only where steps are and how they are ordered.

pub mod deps;

use crate::analysis::links::{LinkCheck, Target};
use crate::analysis::shell::{self, Command};
use crate::diag::Span;
use crate::doc::{AttrValue, Covers, Document};
use crate::model::Model;

/// One `TabItem` a step is inside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branch {
    /// What identifies the choice: the `Tabs` `groupId` (synced across the page), or the
    /// `Tabs` element's index for an ungrouped one.
    pub key: String,
    /// The `TabItem`'s `value` (else its `label`, else its position).
    pub value: String,
    /// The `TabItem`'s label as readers see it.
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Command `command` of code block `block` (indices into [`PageSteps::commands`] and
    /// `doc.code_blocks`).
    Command { block: usize, command: usize },
    /// A link (index into `doc.links`) to an install guide, file `target` of the model.
    Guide { link: usize, target: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// The command, or the link.
    pub span: Span,
    /// Index into `doc.headings` of the section the step is in.
    pub section: Option<usize>,
    /// The number of the numbered-list item the step is in (`3` for `3. Apply …`).
    pub list_item: Option<u32>,
    /// Inside an admonition (`:::note` …).
    pub in_admonition: bool,
    /// Enclosing tab branches, outermost first.
    pub branches: Vec<Branch>,
}

impl Step {
    /// Can a reader run both steps (in document order)? False when they are in different
    /// branches of the same choice.
    pub fn same_path(&self, other: &Step) -> bool {
        self.branches.iter().all(|a| other.branches.iter().all(|b| a.key != b.key || a.value == b.value))
    }
}

/// The steps of one page, in document order.
#[derive(Debug, Default)]
pub struct PageSteps {
    /// Per code block of the document: its commands (empty for blocks that are not shell),
    /// shared with the page's copies ([`shell::file_commands`]).
    pub commands: std::rc::Rc<[Vec<Command>]>,
    pub steps: Vec<Step>,
}

impl PageSteps {
    /// The command a step runs, if it is a command step.
    pub fn command(&self, step: &Step) -> Option<&Command> {
        match step.kind {
            StepKind::Command { block, command } => self.commands.get(block)?.get(command),
            StepKind::Guide { .. } => None,
        }
    }

    /// The commands of the block a command step is in, and its index there.
    pub fn block_commands(&self, step: &Step) -> Option<(&[Command], usize)> {
        match step.kind {
            StepKind::Command { block, command } => Some((self.commands.get(block)?, command)),
            StepKind::Guide { .. } => None,
        }
    }
}

/// Words that make a sentence with a guide link an instruction to run that guide.
const INSTRUCTION_WORDS: &[&str] = &["install", "follow", "complete", "set up", "deploy"];

/// Build the steps of file `id`. `is_guide(target)` says whether a linked file is an install
/// guide whose steps a link stands for.
pub fn page_steps(model: &Model, links: &[Vec<LinkCheck>], id: usize, is_guide: &dyn Fn(usize) -> bool) -> PageSteps {
    let file = &model.files[id];
    let doc = &file.doc;
    let mut out = PageSteps { commands: shell::file_commands(file), steps: Vec::new() };
    let around = Around::new(doc);
    for (bi, (b, cmds)) in doc.code_blocks.iter().zip(out.commands.iter()).enumerate() {
        // Not shell, or no command: no step.
        if cmds.is_empty() {
            continue;
        }
        let ctx = Context::at(file, &around, b.span);
        for (ci, c) in cmds.iter().enumerate() {
            out.steps.push(ctx.step(StepKind::Command { block: bi, command: ci }, c.span));
        }
    }
    if let Some(checks) = links.get(id) {
        for check in checks {
            let Some(link) = doc.links.get(check.link) else { continue };
            let target = check.results.iter().find_map(|(_, t)| match t {
                Target::Doc { file, .. } if is_guide(*file) => Some(*file),
                _ => None,
            });
            let Some(target) = target else { continue };
            if !(is_instruction(&file.text, link.span) || opens_choice_item(file, link.span)) {
                continue;
            }
            let ctx = Context::at(file, &around, link.span);
            if ctx.in_admonition || ctx.section.is_some_and(|h| is_aside_section(&doc.headings[h].text)) {
                continue;
            }
            out.steps.push(ctx.step(StepKind::Guide { link: check.link, target }, link.span));
        }
    }
    out.steps.sort_by_key(|s| (s.span.start, s.span.end));
    out
}

/// Is the sentence around a link an instruction to install (not an aside like "see the
/// install guide for the options")?
fn is_instruction(text: &str, link: Span) -> bool {
    let start = link.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |k| k + 1);
    let line_end = text[link.end as usize..].find('\n').map_or(text.len(), |k| link.end as usize + k);
    let line = &text[line_start..line_end];
    // The sentence holding the link: from the last `. ` before it to the first after it.
    let at = start - line_start;
    let s = line[..at].rfind(". ").map_or(0, |k| k + 2);
    let e = line[at..].find(". ").map_or(line.len(), |k| at + k);
    let sentence = line[s..e].to_ascii_lowercase();
    // An imperative: the sentence starts with the verb, after any list marker or emphasis.
    let t = sentence.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, ' ' | '\t' | '-' | '*' | '.' | ')' | '_' | '>')
    });
    INSTRUCTION_WORDS.iter().any(|w| t.starts_with(w))
}

/// Sections whose links point onward rather than being steps.
fn is_aside_section(title: &str) -> bool {
    let t = title.trim().to_ascii_lowercase();
    ["next step", "additional resources", "see also", "related", "more information", "learn more"]
        .iter()
        .any(|a| t.starts_with(a))
}

/// A link that opens a list item (`- [Helm](helm.mdx) installs …`) of a list introduced by an
/// instruction ending in `:` ("follow your preferred method to install:"). Walks up over the
/// list's items: linear per link, so quadratic in a list whose every item opens with a link to
/// an install guide (only those links get here); such lists are short in practice.
fn opens_choice_item(file: &crate::model::SourceFile, link: Span) -> bool {
    let text = &file.text;
    let Some((start, line)) = crate::diag::lines_from(text, link.start).next() else { return false };
    let before = &text[start as usize..link.start as usize];
    let marker = before.trim();
    if !(matches!(marker, "-" | "*" | "+")
        || (marker.ends_with(['.', ')'])
            && marker[..marker.len() - 1].bytes().all(|c| c.is_ascii_digit())
            && marker.len() > 1))
    {
        return false;
    }
    let indent = line.len() - line.trim_start().len();
    // Up over the list's other items to the line that introduces it.
    for (_, t) in crate::diag::lines_above(text, link.start) {
        let tt = t.trim_start();
        if tt.is_empty() {
            continue;
        }
        let ind = t.len() - tt.len();
        let item = tt.starts_with("- ")
            || tt.starts_with("* ")
            || tt.starts_with("+ ")
            || tt.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()));
        if ind > indent || (ind == indent && item) {
            continue;
        }
        let lower = tt.to_ascii_lowercase();
        return tt.trim_end().ends_with(':') && INSTRUCTION_WORDS.iter().any(|w| lower.contains(w));
    }
    false
}

/// Where a block or link sits: section, list item, admonition, branches.
struct Context {
    section: Option<usize>,
    list_item: Option<u32>,
    in_admonition: bool,
    branches: Vec<Branch>,
}

impl Context {
    fn at(file: &crate::model::SourceFile, around: &Around, span: Span) -> Context {
        let doc = &file.doc;
        let section = match around.headings_in_order {
            true => doc.headings.partition_point(|h| h.span.start < span.start).checked_sub(1),
            false => doc.headings.iter().rposition(|h| h.span.start < span.start),
        };
        let in_admonition = around.admonitions.containing(span).next().is_some();
        let list_item = list_item(file, span.start, &mut around.list_walks.borrow_mut());
        Context { section, list_item, in_admonition, branches: around.branches(span) }
    }

    fn step(&self, kind: StepKind, span: Span) -> Step {
        Step {
            kind,
            span,
            section: self.section,
            list_item: self.list_item,
            in_admonition: self.in_admonition,
            branches: self.branches.clone(),
        }
    }
}

/// What encloses a span on one page (admonitions, `TabItem` branches), indexed once per page so
/// that placing each step costs a logarithm, not a scan of every element.
struct Around {
    admonitions: Covers,
    /// Headings come in document order (the parser pushes them so): sections by binary search.
    headings_in_order: bool,
    /// `TabItem`s: their spans, and the branch each stands for.
    items: Covers,
    branches: Vec<Branch>,
    /// What [`list_item`]'s walk up the page found from each state it passed through.
    list_walks: std::cell::RefCell<ListWalks>,
}

impl Around {
    fn new(doc: &Document) -> Around {
        let mut admonitions: Vec<Span> = doc.admonitions.iter().map(|a| a.span).collect();
        admonitions.sort_by_key(|s| s.start);
        // The nearest `Tabs` above each element, and how many `TabItem`s each element holds
        // directly so far: one pass, as a parent comes before what it holds.
        let mut tabs_above: Vec<Option<usize>> = vec![None; doc.jsx.len()];
        let mut direct_items = vec![0usize; doc.jsx.len()];
        let (mut spans, mut branches) = (Vec::new(), Vec::new());
        for (i, e) in doc.jsx.iter().enumerate() {
            let parent = e.parent.map(|p| p as usize);
            tabs_above[i] = parent.and_then(|p| if &*doc.jsx[p].name == "Tabs" { Some(p) } else { tabs_above[p] });
            if &*e.name != "TabItem" {
                continue;
            }
            let (key, position) = match tabs_above[i] {
                Some(pi) => {
                    let key = match doc.jsx[pi].attr("groupId").map(|a| &a.value) {
                        Some(AttrValue::String(g)) => format!("group:{g}"),
                        _ => format!("tabs:{pi}"),
                    };
                    (key, direct_items[pi])
                }
                None => (format!("item:{i}"), 0),
            };
            if let Some(p) = parent {
                direct_items[p] += 1;
            }
            let label = e.string_attr("label").map(str::to_string);
            let value = e
                .string_attr("value")
                .map(str::to_string)
                .or_else(|| label.clone())
                .unwrap_or_else(|| position.to_string());
            spans.push(e.span);
            branches.push(Branch { key, value: value.clone(), label: label.unwrap_or(value) });
        }
        Around {
            admonitions: Covers::new(admonitions),
            headings_in_order: doc.headings.is_sorted_by_key(|h| h.span.start),
            items: Covers::new(spans),
            branches,
            list_walks: Default::default(),
        }
    }

    /// The `TabItem`s around a span, outermost first.
    fn branches(&self, span: Span) -> Vec<Branch> {
        let mut out: Vec<Branch> = self.items.containing(span).map(|k| self.branches[k].clone()).collect();
        out.reverse();
        out
    }
}

/// States of [`list_item`]'s walk (line, indent, inside a fence) and the item number each led to.
/// (Fx-hashed: a page's walk visits every line above each step it places.)
/// Keyed by (line start, indent, in a fence).
type ListWalks = rustc_hash::FxHashMap<(u32, usize, bool), Option<u32>>;

/// The number of the ordered-list item whose content holds the line at `offset`: the nearest
/// line above that is less indented and starts with `N.` or `N)`. Stops at a less indented line
/// that is not a list item.
fn list_item(file: &crate::model::SourceFile, offset: u32, walks: &mut ListWalks) -> Option<u32> {
    let text = &file.text;
    let indent_of = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let (own_start, own) = crate::diag::lines_from(text, offset).next()?;
    let t = own.trim_start_matches([' ', '\t']);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let marker_end = own_start as usize + indent_of(own) + digits + 1;
    if digits > 0
        && digits < 10
        && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
        && offset as usize > marker_end
    {
        // The step is on the item's own line (`2. Install … [guide](…)`).
        return t[..digits].parse().ok();
    }
    let mut indent = indent_of(own);
    if indent == 0 {
        return None;
    }
    // The walk is a function of (line, indent, in a fence): each state it passes through is
    // remembered with where it led, so that the walks of many blocks under one item stop where
    // an earlier walk went before, and the lines above are read once, not once per block.
    let mut in_fence = false;
    let mut path = Vec::new();
    let found = 'walk: {
        for (l, line) in crate::diag::lines_above(text, offset) {
            if let Some(&found) = walks.get(&(l, indent, in_fence)) {
                break 'walk found;
            }
            path.push((l, indent, in_fence));
            let t = line.trim_start_matches([' ', '\t']);
            if t.is_empty() {
                continue;
            }
            // Skip over code fences above (their content says nothing about lists).
            if t.starts_with("```") || t.starts_with("~~~") {
                in_fence = !in_fence;
                continue;
            }
            if in_fence {
                continue;
            }
            let ind = indent_of(line);
            if ind >= indent {
                continue;
            }
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && digits < 10 && matches!(t.as_bytes().get(digits), Some(b'.' | b')')) {
                break 'walk t[..digits].parse().ok();
            }
            // A bullet item: keep looking for a numbered one around it.
            if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
                indent = ind;
                if indent == 0 {
                    break 'walk None;
                }
                continue;
            }
            // JSX tags and admonition fences inside an item do not end it.
            if t.starts_with('<') || t.starts_with(":::") {
                continue;
            }
            break 'walk None;
        }
        None
    };
    for state in path {
        walks.insert(state, found);
    }
    found
}
#[cfg(test)]
mod tests {
    use super::*;

    fn link_in(text: &str) -> Span {
        let s = text.find('[').unwrap();
        let e = text[s..].find(')').unwrap() + s + 1;
        Span::new(s, e)
    }

    #[test]
    fn instructions_are_imperative() {
        for t in [
            "Install Calico by following the [quickstart](q.mdx).",
            "1. Follow the [install guide](q.mdx) for your platform.",
            "Done with that. **Complete** the [quickstart](q.mdx) first.",
        ] {
            assert!(is_instruction(t, link_in(t)), "{t}");
        }
        for t in [
            "See the [install guide](q.mdx) for the options.",
            "If you're installing on kubeadm, follow [the guide](q.mdx) instead.",
            "To update configurations during installation via the [Helm chart](h.mdx), edit values.yaml.",
        ] {
            assert!(!is_instruction(t, link_in(t)), "{t}");
        }
    }

    #[test]
    fn aside_sections() {
        assert!(is_aside_section("Next steps"));
        assert!(is_aside_section("Additional resources"));
        assert!(!is_aside_section("Install Calico"));
    }

    #[test]
    fn branches_of_one_choice_are_alternatives() {
        let b = |key: &str, value: &str| Branch { key: key.into(), value: value.into(), label: value.into() };
        let step = |branches: Vec<Branch>| Step {
            kind: StepKind::Guide { link: 0, target: 0 },
            span: Span::default(),
            section: None,
            list_item: None,
            in_admonition: false,
            branches,
        };
        let outside = step(vec![]);
        let mke = step(vec![b("group:distro", "mke")]);
        let eks = step(vec![b("group:distro", "eks")]);
        let other = step(vec![b("tabs:3", "helm")]);
        assert!(outside.same_path(&mke) && mke.same_path(&outside));
        assert!(!mke.same_path(&eks));
        assert!(mke.same_path(&other));
    }
}
