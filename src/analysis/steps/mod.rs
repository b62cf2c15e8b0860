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
use crate::doc::{AttrValue, Document};
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
    /// Per code block of the document: its commands (empty for blocks that are not shell).
    pub commands: Vec<Vec<Command>>,
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
    let mut out = PageSteps { commands: Vec::with_capacity(doc.code_blocks.len()), steps: Vec::new() };
    for (bi, b) in doc.code_blocks.iter().enumerate() {
        if !shell::is_shell(b) {
            out.commands.push(Vec::new());
            continue;
        }
        let cmds = shell::commands(file, b);
        let ctx = Context::at(file, b.span);
        for (ci, c) in cmds.iter().enumerate() {
            out.steps.push(ctx.step(StepKind::Command { block: bi, command: ci }, c.span));
        }
        out.commands.push(cmds);
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
            let ctx = Context::at(file, link.span);
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
/// instruction ending in `:` ("follow your preferred method to install:").
fn opens_choice_item(file: &crate::model::SourceFile, link: Span) -> bool {
    let lines = &file.lines;
    let text = &file.text;
    let l0 = lines.line_of(link.start);
    let line = lines.line_text(text, l0);
    let start = lines.line_start(l0) as usize;
    let before = &text[start..link.start as usize];
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
    for l in (0..l0).rev() {
        let t = lines.line_text(text, l);
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
    fn at(file: &crate::model::SourceFile, span: Span) -> Context {
        let doc = &file.doc;
        let section = doc.headings.iter().rposition(|h| h.span.start < span.start);
        let in_admonition = doc.admonitions.iter().any(|a| a.span.contains(span));
        Context { section, list_item: list_item(file, span.start), in_admonition, branches: branches(doc, span) }
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

/// The `TabItem`s around a span, outermost first.
fn branches(doc: &Document, span: Span) -> Vec<Branch> {
    let mut out = Vec::new();
    for (i, e) in doc.jsx.iter().enumerate() {
        if e.name != "TabItem" || !e.span.contains(span) {
            continue;
        }
        // The enclosing `Tabs`.
        let mut p = e.parent;
        while let Some(pi) = p {
            if doc.jsx[pi as usize].name == "Tabs" {
                break;
            }
            p = doc.jsx[pi as usize].parent;
        }
        let (key, position) = match p {
            Some(pi) => {
                let tabs = &doc.jsx[pi as usize];
                let key = match tabs.attr("groupId").map(|a| &a.value) {
                    Some(AttrValue::String(g)) => format!("group:{g}"),
                    _ => format!("tabs:{pi}"),
                };
                let position = doc
                    .jsx
                    .iter()
                    .enumerate()
                    .filter(|(j, x)| x.name == "TabItem" && x.parent == Some(pi) && *j < i)
                    .count();
                (key, position)
            }
            None => (format!("item:{i}"), 0),
        };
        let label = e.string_attr("label").map(str::to_string);
        let value = e
            .string_attr("value")
            .map(str::to_string)
            .or_else(|| label.clone())
            .unwrap_or_else(|| position.to_string());
        out.push(Branch { key, value: value.clone(), label: label.unwrap_or(value) });
    }
    out
}

/// The number of the ordered-list item whose content holds the line at `offset`: the nearest
/// line above that is less indented and starts with `N.` or `N)`. Stops at a less indented line
/// that is not a list item.
fn list_item(file: &crate::model::SourceFile, offset: u32) -> Option<u32> {
    let lines = &file.lines;
    let text = &file.text;
    let l0 = lines.line_of(offset);
    let indent_of = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let own = lines.line_text(text, l0);
    let t = own.trim_start_matches([' ', '\t']);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let marker_end = lines.line_start(l0) as usize + indent_of(own) + digits + 1;
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
    let mut in_fence = false;
    for l in (0..l0).rev() {
        let line = lines.line_text(text, l);
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
            return t[..digits].parse().ok();
        }
        // A bullet item: keep looking for a numbered one around it.
        if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
            indent = ind;
            if indent == 0 {
                return None;
            }
            continue;
        }
        // JSX tags and admonition fences inside an item do not end it.
        if t.starts_with('<') || t.starts_with(":::") {
            continue;
        }
        return None;
    }
    None
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
