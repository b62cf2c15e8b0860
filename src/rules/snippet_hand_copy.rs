use super::{Rule, RuleMeta, Sink, declare_rule};
use crate::diag::Span;
use crate::model::Model;
use crate::snippets::{self, Outcome};
use std::collections::HashMap;

declare_rule! {
    /// A page that contains a snippet's text by hand instead of importing the generated partial.
    ///
    /// ## What it does
    /// Renders every snippet source for every version it applies to and reads the generated
    /// partials already in the site (older renderings). An admonition on a page whose text is
    /// one of those renderings (whitespace aside) is a hand copy.
    ///
    /// ## Why it matters
    /// Hand copies are how per-version facts drift: a caution pasted into four versions keeps
    /// the port or the advice of the version it was written for. The generated partial is
    /// rendered from each version's own facts and stays right when they change.
    ///
    /// ## Example
    /// ```mdx
    /// :::caution
    ///
    /// Move the health check server to port 10261.
    ///
    /// :::
    /// ```
    /// Use instead the generated partial of the page's version:
    /// ```mdx
    /// import Healthz from '../_includes/generated/_healthz.mdx';
    ///
    /// <Healthz />
    /// ```
    ///
    /// ## Fix
    /// `docdrift check --fix` replaces the copy with the component and adds the import, when the
    /// snippet applies to the page's version. Run `docdrift snippets generate` so that the
    /// partial exists.
    pub struct SnippetHandCopy {
        id: "snippet/hand-copy",
        category: Snippet,
        severity: Warning,
        fixable: true,
    }
}

/// Whitespace-insensitive text of an admonition or rendering.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Rule for SnippetHandCopy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_site(&self, model: &Model, sink: &mut Sink) {
        let facts = snippets::model_facts(model);
        let (sources, _) = snippets::load(&model.site, &facts);
        if sources.is_empty() {
            return;
        }
        let plan = snippets::plan(&model.site, &facts, &sources);
        // Normalized rendering -> source; and (source, location) -> output path where it renders.
        let mut known: HashMap<String, usize> = HashMap::new();
        let mut outputs: Vec<&str> = Vec::new();
        let mut renders_at: HashMap<(usize, crate::site::Location), &str> = HashMap::new();
        for item in &plan {
            outputs.push(&item.path);
            if let Ok(Outcome::Rendered(r)) = &item.outcome {
                known.entry(normalize(&r.body)).or_insert(item.source);
                renders_at.insert((item.source, item.loc), &item.path);
            }
        }
        for f in &model.files {
            for (i, src) in sources.iter().enumerate() {
                if let Some((_, body)) = snippets::render::generated_body(src, &f.text) {
                    known.entry(normalize(body)).or_insert(i);
                }
            }
        }
        for (id, file) in model.files.iter().enumerate() {
            if outputs.contains(&file.path.as_str()) || file.text.contains(" — do not edit */}") {
                continue;
            }
            for adm in &file.doc.admonitions {
                let text = &file.text[adm.span.range()];
                let Some(&s) = known.get(&normalize(text)) else { continue };
                let src = &sources[s];
                let f = sink.report(
                    id as u32,
                    adm.opener,
                    format!("this admonition is a hand copy of snippet `{}`", src.name),
                );
                let target = file.loc.and_then(|loc| renders_at.get(&(s, loc)).copied());
                let Some(target) = target else {
                    f.help(format!(
                        "Remove it: snippet `{}` does not apply to this version (see `docdrift snippets show`)",
                        src.name
                    ));
                    continue;
                };
                let import_path = relative(&file.path, target);
                let component = &src.component;
                f.help(format!(
                    "Import the generated partial: `import {component} from '{import_path}';` and `<{component} />`"
                ));
                let imported = file.doc.imports.iter().any(|im| im.source == import_path);
                if !imported {
                    let (at, text) = match (file.doc.imports.last(), &file.doc.front_matter) {
                        (Some(im), _) => (im.span.end as usize, format!("\nimport {component} from '{import_path}';")),
                        (None, Some(fm)) => {
                            (fm.span.end as usize, format!("\n\nimport {component} from '{import_path}';"))
                        }
                        (None, None) => (0, format!("import {component} from '{import_path}';\n\n")),
                    };
                    f.fix(Span::new(at, at), text);
                }
                f.fix(adm.span, format!("<{component} />"));
            }
        }
    }
}

/// The import path from the page at `from` to `to` (both root-relative), starting with `./`
/// or `../` as Docusaurus pages write them.
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>().split_last().map_or(Vec::new(), |(_, d)| d.to_vec());
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let ups = from_dir.len() - common;
    let rest = to_parts[common..].join("/");
    if ups == 0 { format!("./{rest}") } else { format!("{}{rest}", "../".repeat(ups)) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_paths() {
        assert_eq!(super::relative("a/b/page.mdx", "a/_inc/x.mdx"), "../_inc/x.mdx");
        assert_eq!(super::relative("a/page.mdx", "a/_inc/x.mdx"), "./_inc/x.mdx");
    }
}
