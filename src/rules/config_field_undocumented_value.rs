use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::fields::{Lit, field_of, same_field_elsewhere};

declare_rule! {
    /// A special value (0 for a port, -1 for a limit) that the version's reference does not document.
    ///
    /// ## What it does
    /// Learns from the references which values mean something: a value a field's description
    /// singles out ("Set to 0 to disable the health check server", "A value of -1 disables the
    /// memory limit") in any version, and 0 for any port field. When a page sets a field to such
    /// a value, the description in the page's own version must say what it does.
    ///
    /// ## Why it matters
    /// Special values are added in one release and copied back into the docs of older ones.
    /// There, `bpfKubeProxyHealthzPort: 0` may bind a random port instead of disabling the
    /// server, and the reader's cluster behaves differently from what the page promises.
    ///
    /// ## Example
    /// In the Calico 3.31 docs, whose reference does not document 0:
    /// ```bash
    /// kubectl patch felixconfiguration default --patch='{"spec": {"bpfKubeProxyHealthzPort": 0}}'
    /// ```
    /// Use instead a value 3.31 documents, for example an unused port:
    /// ```bash
    /// kubectl patch felixconfiguration default --patch='{"spec": {"bpfKubeProxyHealthzPort": 10266}}'
    /// ```
    ///
    /// ## Fix
    /// Use a value the version documents, or keep the instruction only in the versions whose
    /// reference gives the value its meaning.
    pub struct ConfigFieldUndocumentedValue {
        id: "config-field/undocumented-value",
        category: ConfigField,
        severity: Warning,
        fixable: false,
    }
}

impl Rule for ConfigFieldUndocumentedValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let Some(loc) = cx.file.loc else { return };
        let model = cx.model;
        let ix = cx.index;
        for u in ix.field_uses(cx.id as usize) {
            let Some(v) = &u.value else { continue };
            if !matches!(v.lit, Lit::Int | Lit::Float | Lit::Str | Lit::Text) {
                continue;
            }
            let Some(loaded) = ix.config_refs.get(&model.site, loc, u.resource) else { continue };
            let Some(field) = field_of(&loaded.reference, u) else { continue };
            let value = v.text.trim();
            if field.special(value).is_some() {
                continue;
            }
            // 0 for a port that is off by default (no default, or 0) is just the default.
            let port_zero = field.port && value.parse::<i64>() == Ok(0) && field.default_port().is_some();
            // Where the same field's description gives the value a meaning.
            let mut here: Vec<(usize, String)> = Vec::new();
            let mut other_products: Vec<String> = Vec::new();
            same_field_elsewhere(model, &ix.config_refs, u, |at, f| {
                if let Some(s) = f.special(value) {
                    if at.doc_set == loc.doc_set {
                        here.push((at.version, s.sentence.clone()));
                    } else {
                        let name = model.site.doc_sets[at.doc_set].name.clone();
                        if !other_products.contains(&name) {
                            other_products.push(name);
                        }
                    }
                }
            });
            if here.is_empty() && other_products.is_empty() && !port_zero {
                continue;
            }
            let version = cx.version_display();
            let message = format!("`{value}` has no documented meaning for `{}` in {version}", u.name);
            let help = if let Some((_, sentence)) = here.first() {
                let names: Vec<String> = here
                    .iter()
                    .rev()
                    .map(|(v, _)| {
                        model.site.version_display(crate::site::Location { doc_set: loc.doc_set, version: *v })
                    })
                    .collect();
                let labels: Vec<&str> = names.iter().map(String::as_str).collect();
                format!(
                    "{} {} \"{sentence}\", but this version's reference does not: use a value it documents, or keep this \
                     step in those versions",
                    join(&labels),
                    if labels.len() == 1 { "says" } else { "say" },
                )
            } else if !other_products.is_empty() {
                format!(
                    "only {} documents what `{value}` does: use a value this version documents",
                    join(&other_products.iter().map(String::as_str).collect::<Vec<_>>())
                )
            } else {
                "the reference does not say what port 0 does (disabled, or a random port): use a port, or document \
                 what 0 does"
                    .to_string()
            };
            sink.report(cx.id, v.span, message).help(format!("{help} (checked against `{}`)", loaded.path));
        }
    }
}

/// "3.32", "3.32 and Next", "3.30, 3.31 and Next".
fn join(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
