use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::config_ref::{Loaded, NameForm, Reference, availability};
use crate::analysis::fields::{FieldUse, Form};

declare_rule! {
    /// A configuration field that does not exist in the page's version, or is spelt wrong.
    ///
    /// ## What it does
    /// Finds every use of a `FelixConfiguration` field (and of any resource added to
    /// `rules/config-references.toml`): keys of `kubectl patch` / `calicoctl patch` JSON, JSON
    /// patch paths (`/spec/<field>`), keys under `spec:` in manifests and heredocs, `FELIX_<NAME>`
    /// environment variables, and backticked field names in prose. Each is looked up in the
    /// reference of the page's own version (`_includes/components/FelixConfig/config-params.json`
    /// in the version folder). A field that exists in other versions is reported with where it
    /// exists; a near miss gets the closest name; the config-file spelling (`BPFEnabled`) in a
    /// resource spec gets the spec spelling (`bpfEnabled`). In prose, only names that exist in
    /// another version, and near misses in a paragraph about the component, are reported.
    ///
    /// ## Why it matters
    /// Fields appear in one release and disappear in another, and each version's page is copied
    /// from the next. A field the version does not have is rejected by the API server (or
    /// silently ignored), so the reader's setting never takes effect.
    ///
    /// ## Example
    /// In the Calico 3.29 docs, where the field does not exist yet:
    /// ```bash
    /// kubectl patch felixconfiguration default --patch='{"spec": {"bpfKubeProxyHealthzPort": 0}}'
    /// ```
    /// Use instead a setting that 3.29 has, or move the step to the versions that have the field.
    /// In a resource spec, write the spec name:
    /// ```yaml
    /// spec:
    ///   bpfEnabled: true
    /// ```
    ///
    /// ## Fix
    /// Use the name the help suggests (`docdrift check --fix` applies it when exactly one field
    /// matches), or remove the instruction from versions that do not have the field.
    pub struct ConfigFieldUnknown {
        id: "config-field/unknown",
        category: ConfigField,
        severity: Error,
        fixable: true,
    }
}

impl Rule for ConfigFieldUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let Some(loc) = cx.file.loc else { return };
        let model = cx.model;
        let ix = cx.index;
        let uses = ix.field_uses(cx.id as usize);
        for u in uses {
            let Some(loaded) = ix.config_refs.get(&model.site, loc, u.resource) else { continue };
            let r = &loaded.reference;
            let present = match u.form {
                Form::Patch | Form::JsonPatch | Form::Yaml => r.by_yaml(&u.name).is_some(),
                Form::Env => r.by_env(&u.name).is_some(),
                Form::Prose | Form::ProseSet => r.knows(&u.name),
            };
            if present {
                continue;
            }
            if let Some(d) = diagnose(cx, u, loaded) {
                let f = sink.report(cx.id, u.span, d.message);
                f.help(format!("{} (checked against `{}`)", d.help, loaded.path));
                if let Some(fix) = d.fix {
                    f.fix(u.span, fix);
                }
            }
        }
    }
}

struct Diagnosis {
    message: String,
    help: String,
    fix: Option<String>,
}

fn diagnose(cx: &FileCx, u: &FieldUse, loaded: &Loaded) -> Option<Diagnosis> {
    let model = cx.model;
    let loc = cx.file.loc?;
    let refs = &cx.index.config_refs;
    let spec = &refs.resources()[u.resource];
    let kind = &spec.kind;
    let version = cx.version_display();
    let r: &Reference = &loaded.reference;
    let name = u.name.as_str();
    let what = match u.form {
        Form::Env => format!("a {} environment variable", spec.component.as_deref().unwrap_or(kind)),
        _ => format!("a `{kind}` field"),
    };

    // The same field under another spelling, in this version.
    if u.form.is_spec() {
        // The config-file name written in a spec, or the spec name in the wrong case.
        let same = r.by_config(name).map(|f| (f, NameForm::Config)).or_else(|| r.by_folded(name).next());
        if let Some((f, form)) = same {
            if f.yaml.is_empty() {
                let env = if f.env.is_empty() {
                    String::new()
                } else {
                    format!(": set `{}` instead", f.env.to_ascii_uppercase())
                };
                return Some(Diagnosis {
                    message: format!("`{name}` cannot be set in a `{kind}` in {version}"),
                    help: format!("the reference lists `{}` for the config file and environment only{env}", f.config),
                    fix: None,
                });
            }
            let how = match form {
                NameForm::Config => format!("`{}` is the config-file name", f.config),
                _ => "names are case-sensitive".to_string(),
            };
            return Some(Diagnosis {
                message: format!("`{name}` is not {what} in {version}: the spec name is `{}`", f.yaml),
                help: format!("write `{}` ({how})", f.yaml),
                fix: Some(f.yaml.clone()),
            });
        }
    }

    // Prose that tells the field's history (release notes, "was removed", "older releases")
    // names fields the version lacks on purpose.
    if u.form.is_prose() && tells_history(&cx.file.path, &cx.file.text, u.span.start as usize) {
        return None;
    }

    // Prose names no version of this doc set has: only a clear near miss in a paragraph about
    // the component is reported, so look for one before anything dearer.
    if u.form.is_prose() && !u.known {
        if !u.in_context {
            return None;
        }
        // A name only other products have, in a paragraph about this product's component.
        if refs.any_doc_set_names(&model.site, u.resource).contains(&name.to_ascii_lowercase()) {
            let elsewhere = refs.doc_sets_where(&model.site, loc, u.resource, |r| r.knows(name));
            return Some(Diagnosis {
                message: format!(
                    "`{name}` does not exist in any version of {}; only {} {} it",
                    model.site.doc_sets[loc.doc_set].name,
                    product_list(&elsewhere),
                    if elsewhere.len() == 1 { "has" } else { "have" }
                ),
                help: "remove it from this product's page, or use the setting this product has".to_string(),
                fix: None,
            });
        }
        let best = r.memo(name, || {
            let candidates: Vec<&str> =
                r.fields.iter().flat_map(|f| [f.yaml.as_str(), f.config.as_str()]).filter(|n| !n.is_empty()).collect();
            nearest(name, &candidates, false).map(str::to_string)
        })?;
        return Some(Diagnosis {
            message: format!("`{name}` is not {what} in {version}"),
            help: format!("did you mean `{best}`?"),
            fix: Some(best),
        });
    }

    // The field exists in other versions of this doc set.
    let exists = |r: &Reference| match u.form {
        Form::Patch | Form::JsonPatch | Form::Yaml => r.by_yaml(name).is_some(),
        Form::Env => r.by_env(name).is_some(),
        Form::Prose | Form::ProseSet => r.knows(name),
    };
    let have = refs.versions_where(&model.site, loc, u.resource, exists);
    if !have.is_empty() {
        let labels: Vec<&str> = model.site.doc_sets[loc.doc_set].versions.iter().map(|v| v.label.as_str()).collect();
        let phrase = availability(&labels, &have, loc.version);
        return Some(Diagnosis {
            message: format!("`{name}` does not exist in {version}; {phrase}"),
            help: "remove it from this version's page, or use the setting this version has".to_string(),
            fix: None,
        });
    }
    let elsewhere = refs.doc_sets_where(&model.site, loc, u.resource, exists);
    if !elsewhere.is_empty() {
        if u.form.is_prose() {
            // Prose may well be talking about the other product.
            return None;
        }
        return Some(Diagnosis {
            message: format!(
                "`{name}` does not exist in {version}; only {} {} it",
                product_list(&elsewhere),
                if elsewhere.len() == 1 { "has" } else { "have" }
            ),
            help: "remove it from this product's page, or use the setting this version has".to_string(),
            fix: None,
        });
    }

    // A near miss.
    let candidates: Vec<&str> = match u.form {
        Form::Patch | Form::JsonPatch | Form::Yaml => {
            r.fields.iter().map(|f| f.yaml.as_str()).filter(|n| !n.is_empty()).collect()
        }
        Form::Env => r.fields.iter().map(|f| f.env.as_str()).filter(|n| !n.is_empty()).collect(),
        Form::Prose | Form::ProseSet => {
            r.fields.iter().flat_map(|f| [f.yaml.as_str(), f.config.as_str()]).filter(|n| !n.is_empty()).collect()
        }
    };
    let near = nearest(name, &candidates, u.form == Form::Env);
    if u.form.is_prose() {
        // A prose name some version has but this one lacks is reported above; anything else
        // here is a name another product has.
        return None;
    }
    Some(match near {
        Some(best) => {
            let fix = if u.form == Form::Env { best.to_ascii_uppercase() } else { best.to_string() };
            Diagnosis {
                message: format!("`{name}` is not {what} in {version}"),
                help: format!("did you mean `{fix}`?"),
                fix: Some(fix),
            }
        }
        None => Diagnosis {
            message: format!("`{name}` is not {what} in {version}"),
            help: format!("use a field from the {kind} reference of this version"),
            fix: None,
        },
    })
}

/// Words that tell a field's history (`deprecat` for deprecated, deprecation).
const HISTORY_WORDS: &[&str] = &[
    "removed",
    "deprecat",
    "no longer",
    "renamed",
    "replaced",
    "older release",
    "earlier release",
    "previous release",
    "prior release",
    "older version",
    "earlier version",
    "previous version",
];

/// Whether the paragraph around `at` is about what changed between releases (any of
/// [`HISTORY_WORDS`], without regard to ASCII case), or the page is release notes.
fn tells_history(path: &str, text: &str, at: usize) -> bool {
    if path.contains("release-notes") || path.contains("release_notes") {
        return true;
    }
    // One searcher per word for the run: `str::contains` builds one per call, and this runs
    // for every prose field use.
    static FINDERS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::LazyLock::new(|| HISTORY_WORDS.iter().map(|w| memchr::memmem::Finder::new(w.as_bytes())).collect());
    let (s, e) = crate::analysis::fields::paragraph(text, at);
    let para = text[s..e].to_ascii_lowercase();
    FINDERS.iter().any(|f| f.find(para.as_bytes()).is_some())
}

/// "Calico Enterprise", "Calico Enterprise and Calico Cloud".
fn product_list(names: &[String]) -> String {
    match names {
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
        [] => String::new(),
    }
}

/// The one candidate within a small edit distance of `name` (transpositions count once), or
/// `None` when there is none or several are equally close. Environment names compare without
/// case.
fn nearest<'a>(name: &str, candidates: &[&'a str], fold: bool) -> Option<&'a str> {
    let key = name.as_bytes();
    let limit = if key.len() >= 10 { 2 } else { 1 };
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    let hist = |s: &[u8]| {
        let mut h = [0i16; 64];
        for &c in s {
            h[(if fold { c.to_ascii_lowercase() } else { c } & 63) as usize] += 1;
        }
        h
    };
    let kh = hist(key);
    for &c in candidates {
        if c.len().abs_diff(key.len()) > limit {
            continue;
        }
        // Each edit changes the letter counts by at most 2: a cheap filter before the DP.
        let ch = hist(c.as_bytes());
        let diff: i32 = kh.iter().zip(&ch).map(|(a, b)| i32::from((a - b).abs())).sum();
        if diff > 2 * limit as i32 {
            continue;
        }
        let Some(d) = osa_within(key, c.as_bytes(), limit, fold) else { continue };
        if d == 0 {
            continue;
        }
        match best {
            Some((bd, bc)) if d == bd && bc != c => tie = true,
            Some((bd, _)) if d >= bd => {}
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, c)| c) }
}

/// The optimal-string-alignment distance between `a` and `b` (bytes, optionally without
/// ASCII case), or `None` when it exceeds `limit`. No allocation: names are short.
fn osa_within(a: &[u8], b: &[u8], limit: usize, fold: bool) -> Option<usize> {
    const MAX: usize = 96;
    if a.len() >= MAX || b.len() >= MAX {
        return None;
    }
    let eq = |x: u8, y: u8| if fold { x.eq_ignore_ascii_case(&y) } else { x == y };
    // Three rows of the DP table.
    let mut prev2 = [0usize; MAX];
    let mut prev = [0usize; MAX];
    let mut cur = [0usize; MAX];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(!eq(a[i - 1], b[j - 1]));
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]) {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return None;
        }
        prev2 = prev;
        prev = cur;
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_words_are_found_in_any_case_in_the_paragraph_only() {
        for w in HISTORY_WORDS {
            for form in [w.to_string(), w.to_ascii_uppercase(), format!("It was {w}d before.")] {
                let text = format!("Intro.\n\nSet `x`. {form}\n\nNext.");
                assert!(tells_history("docs/a.mdx", &text, text.find('`').unwrap()), "{form:?}");
            }
        }
        let text = "The field was removed.\n\nSet `x` to 1.\n";
        assert!(!tells_history("docs/a.mdx", text, text.find('`').unwrap()), "another paragraph counted");
        assert!(tells_history("docs/release-notes/x.mdx", text, text.find('`').unwrap()));
    }

    #[test]
    fn bounded_distance() {
        assert_eq!(osa_within(b"bpfEnabeld", b"bpfEnabled", 2, false), Some(1));
        assert_eq!(osa_within(b"abc", b"abc", 1, false), Some(0));
        assert_eq!(osa_within(b"abcdef", b"uvwxyz", 2, false), None);
        assert_eq!(osa_within(b"FELIX_X", b"felix_x", 1, true), Some(0));
        assert_eq!(osa_within(b"kitten", b"sitting", 3, false), Some(3));
    }

    #[test]
    fn nearest_names() {
        let c = ["bpfEnabled", "bpfLogLevel", "KubeNodePortRanges", "vxlanPort"];
        assert_eq!(nearest("bpfEnabeld", &c, false), Some("bpfEnabled"));
        assert_eq!(nearest("KubeNodePortRange", &c, false), Some("KubeNodePortRanges"));
        assert_eq!(nearest("vxlanPrt", &c, false), Some("vxlanPort"));
        assert_eq!(nearest("vxlnPrt", &c, false), None); // two edits on a short name
        assert_eq!(nearest("somethingElse", &c, false), None);
        assert_eq!(nearest("FELIX_BPFENABELD", &["FELIX_BPFEnabled"], true), Some("FELIX_BPFEnabled"));
    }
}
