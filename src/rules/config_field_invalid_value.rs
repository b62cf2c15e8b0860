use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::config_ref::{Field, ValueType};
use crate::analysis::fields::{FieldUse, Form, Lit, Value, field_of};

declare_rule! {
    /// A configuration value of the wrong type, or an enum value the version does not accept.
    ///
    /// ## What it does
    /// Checks every value given to a known field (in patches, manifests, `FELIX_<NAME>=value`
    /// and prose of the form "set `X` to `V`") against the type in the reference of the page's
    /// version: booleans, integers (within the schema's range), Go duration strings (`90s`),
    /// and the exact spelling of enum values. In YAML it applies YAML 1.1, as `kubectl` does:
    /// `Off` is a boolean and `"9099"` a string.
    ///
    /// ## Why it matters
    /// The API server rejects a string where the field takes an integer (`"86400"` for
    /// `captureRotationSeconds`), and Felix falls back to the default for a value it cannot
    /// parse: the reader's command fails or quietly does nothing.
    ///
    /// ## Example
    /// ```bash
    /// kubectl patch felixconfiguration default -p '{"spec":{"captureRotationSeconds":"86400"}}'
    /// ```
    /// Use instead:
    /// ```bash
    /// kubectl patch felixconfiguration default -p '{"spec":{"captureRotationSeconds":86400}}'
    /// ```
    ///
    /// ## Fix
    /// Write the value in the type the help names. `docdrift check --fix` unquotes a quoted
    /// number or boolean and corrects the case of an enum value.
    pub struct ConfigFieldInvalidValue {
        id: "config-field/invalid-value",
        category: ConfigField,
        severity: Error,
        fixable: true,
    }
}

impl Rule for ConfigFieldInvalidValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let Some(loc) = cx.file.loc else { return };
        let model = cx.model;
        let ix = cx.index;
        for u in ix.field_uses(cx.id as usize) {
            let Some(v) = &u.value else { continue };
            let Some(loaded) = ix.config_refs.get(&model.site, loc, u.resource) else { continue };
            let Some(field) = field_of(&loaded.reference, u) else { continue };
            let Some(p) = problem(u, field, v) else { continue };
            let written = &cx.file.text[v.span.range()];
            let f = sink.report(
                cx.id,
                v.span,
                format!("`{}` takes {} in {}; `{written}` {}", u.name, p.expected, cx.version_display(), p.is),
            );
            f.help(format!("{} (checked against `{}`)", p.help, loaded.path));
            // Only values written plainly or in plain quotes are rewritten (not `\"x\"` in a
            // double-quoted shell word).
            let plain =
                written == v.text || written.len() == v.text.len() + 2 && written[1..written.len() - 1] == v.text;
            if let Some(fix) = p.fix.filter(|_| plain) {
                f.fix(v.span, fix.replacement(written));
            }
        }
    }
}

struct Problem {
    expected: String,
    is: String,
    help: String,
    fix: Option<Fix>,
}

enum Fix {
    /// Replace the value as written, quotes and all.
    Whole(String),
    /// Replace what is inside the value's quotes, keeping the quotes as written.
    Content(String),
}

impl Fix {
    /// The replacement text for `written` (the value as written in the file).
    fn replacement(&self, written: &str) -> String {
        match self {
            Fix::Whole(s) => s.clone(),
            Fix::Content(s) => match written.chars().next() {
                Some(q @ ('"' | '\'')) if written.len() >= 2 && written.ends_with(q) => format!("{q}{s}{q}"),
                _ => s.clone(),
            },
        }
    }
}

fn problem(u: &FieldUse, field: &Field, v: &Value) -> Option<Problem> {
    if v.lit == Lit::Placeholder || v.text.eq_ignore_ascii_case("none") && u.form == Form::Env {
        return None;
    }
    match u.form {
        Form::Patch | Form::JsonPatch | Form::Yaml => spec_problem(u.form, &field.ty, v),
        Form::Env => env_problem(field, v),
        Form::ProseSet => prose_problem(&field.ty, v),
        Form::Prose => None,
    }
}

fn what(lit: Lit, form: Form) -> &'static str {
    match (lit, form) {
        (Lit::Str, Form::Yaml) => "is a string",
        (Lit::Str, _) => "is a quoted string",
        (Lit::Int | Lit::Float, Form::Yaml) => "is a number to YAML",
        (Lit::Int | Lit::Float, _) => "is a number",
        (Lit::Bool, Form::Yaml) => "is a boolean to YAML",
        (Lit::Bool, _) => "is a boolean",
        (Lit::Null, _) => "is null",
        (Lit::List, _) => "is a list",
        (Lit::Map, _) => "is a map",
        (Lit::Text | Lit::Placeholder, _) => "is not",
    }
}

fn spec_problem(form: Form, ty: &ValueType, v: &Value) -> Option<Problem> {
    let expected = ty.describe();
    let mk = |help: String, fix: Option<Fix>| {
        Some(Problem { expected: expected.clone(), is: what(v.lit, form).into(), help, fix })
    };
    match (ty, v.lit) {
        (_, Lit::Null) | (ValueType::Unknown, _) => None,
        (ValueType::Bool, Lit::Bool) => None,
        (ValueType::Bool, Lit::Str) if matches!(v.text.as_str(), "true" | "false") => {
            mk(format!("write `{}` without quotes", v.text), Some(Fix::Whole(v.text.clone())))
        }
        (ValueType::Bool, _) => mk("write `true` or `false`".into(), None),
        (ValueType::Int { min, max }, Lit::Int) => {
            let n = parse_int(&v.text)?;
            let low = min.is_some_and(|m| n < m);
            let high = max.is_some_and(|m| n > m);
            if !(low || high) {
                return None;
            }
            Some(Problem {
                expected,
                is: "is out of range".into(),
                help: "use a value within the range the reference gives".into(),
                fix: None,
            })
        }
        (ValueType::Int { .. }, Lit::Str) if parse_int(&v.text).is_some() => {
            mk(format!("write `{}` without quotes", v.text), Some(Fix::Whole(v.text.clone())))
        }
        (ValueType::Int { .. }, _) => mk("write a whole number".into(), None),
        (ValueType::Duration, Lit::Str) if is_duration(&v.text) => None,
        (ValueType::Duration, Lit::Int) => mk(format!("write it as a duration string, such as `{}s`", v.text), None),
        (ValueType::Duration, _) => mk("write a duration such as `90s`, `1m30s` or `0s`".into(), None),
        (ValueType::Enum(values), Lit::Str | Lit::Bool) => {
            if values.contains(&v.text) {
                if v.lit == Lit::Bool {
                    return mk(
                        format!("quote it (`\"{}\"`): YAML reads `{}` as a boolean", v.text, v.text),
                        Some(Fix::Whole(format!("\"{}\"", v.text))),
                    );
                }
                return None;
            }
            match values.iter().find(|x| x.eq_ignore_ascii_case(&v.text)) {
                Some(x) => Some(Problem {
                    expected,
                    is: "is spelt differently".into(),
                    help: format!("write `{x}` (enum values are case-sensitive)"),
                    fix: Some(Fix::Content(x.clone())),
                }),
                None => mk("use one of the values the reference lists".into(), None),
            }
        }
        (ValueType::Enum(_), _) => mk("use one of the values the reference lists".into(), None),
        (ValueType::String, Lit::Str) => None,
        (ValueType::String, Lit::Int | Lit::Float | Lit::Bool) => {
            mk(format!("quote it: `\"{}\"`", v.text), Some(Fix::Whole(format!("\"{}\"", v.text))))
        }
        (ValueType::String, _) => mk("write a string".into(), None),
        (ValueType::IntOrString, Lit::Bool | Lit::List | Lit::Map) => mk("write a number or a string".into(), None),
        (ValueType::IntOrString, _) => None,
        (ValueType::List, Lit::List) | (ValueType::Map, Lit::Map) => None,
        (ValueType::List, _) => mk("write a list".into(), None),
        (ValueType::Map, _) => mk("write a map".into(), None),
    }
}

/// Felix reads environment variables itself: booleans as `true`/`false`/`1`/`0`/`yes`/`no`
/// (any case), integers in decimal.
fn env_problem(field: &Field, v: &Value) -> Option<Problem> {
    let t = v.text.trim();
    match field.parsed_type.as_str() {
        "bool" | "*bool" => {
            let ok =
                ["true", "false", "1", "0", "yes", "no", "y", "n", "t", "f"].iter().any(|b| b.eq_ignore_ascii_case(t));
            (!ok).then(|| Problem {
                expected: "a boolean".into(),
                is: "is not one".into(),
                help: "write `true` or `false`".into(),
                fix: None,
            })
        }
        "int" | "int32" | "uint32" | "uint16" => (t.parse::<i64>().is_err()).then(|| Problem {
            expected: "an integer".into(),
            is: "is not one".into(),
            help: "write a whole number".into(),
            fix: None,
        }),
        _ => None,
    }
}

/// "set `X` to `V`": the prose value, read as the reader would type it.
fn prose_problem(ty: &ValueType, v: &Value) -> Option<Problem> {
    let t = v.text.as_str();
    let bad = |help: &str| Some(Problem { expected: ty.describe(), is: "is not".into(), help: help.into(), fix: None });
    match ty {
        ValueType::Bool if !matches!(t, "true" | "false") => bad("write `true` or `false`"),
        ValueType::Int { min, max } => match t.parse::<i64>() {
            Err(_) => bad("write a whole number"),
            Ok(n) if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) => Some(Problem {
                expected: ty.describe(),
                is: "is out of range".into(),
                help: "use a value within the range the reference gives".into(),
                fix: None,
            }),
            Ok(_) => None,
        },
        ValueType::Duration if !(is_duration(t) || t.parse::<i64>().is_ok()) => {
            bad("write a duration such as `90s`, `1m30s` or `0s`")
        }
        ValueType::Enum(values) if !values.iter().any(|x| x == t) => {
            match values.iter().find(|x| x.eq_ignore_ascii_case(t)) {
                Some(x) => Some(Problem {
                    expected: ty.describe(),
                    is: "is spelt differently".into(),
                    help: format!("write `{x}` (enum values are case-sensitive)"),
                    fix: Some(Fix::Content(x.clone())),
                }),
                None => bad("use one of the values the reference lists"),
            }
        }
        _ => None,
    }
}

/// YAML 1.1 and JSON integers: decimal, `0x`, `0o`, with `_` separators.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.replace('_', "");
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t.strip_prefix('+').unwrap_or(&t).to_string()),
    };
    let n = if let Some(h) = t.strip_prefix("0x") {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(o) = t.strip_prefix("0o") {
        i64::from_str_radix(o, 8).ok()?
    } else {
        t.parse::<i64>().ok()?
    };
    Some(if neg { -n } else { n })
}

/// A Go duration (`time.ParseDuration`): `0`, or numbers with units `ns us µs ms s m h`.
pub fn is_duration(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    if s == "0" {
        return true;
    }
    let mut rest = s;
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let num = rest.bytes().take_while(|c| c.is_ascii_digit() || *c == b'.').count();
        if num == 0 || rest[..num].bytes().filter(|c| *c == b'.').count() > 1 || rest[..num] == *"." {
            return false;
        }
        rest = &rest[num..];
        let unit = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"]
            .iter()
            .find(|u| rest.starts_with(**u) && !(**u == "m" && rest.starts_with("ms")));
        let Some(unit) = unit else { return false };
        rest = &rest[unit.len()..];
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for d in ["0", "90s", "1m30s", "1.5h", "300ms", "1h5m", "10us", "0s"] {
            assert!(is_duration(d), "{d}");
        }
        for d in ["90", "1x", "s", "", "1m30", "1..5s"] {
            assert!(!is_duration(d), "{d}");
        }
    }

    #[test]
    fn ints() {
        assert_eq!(parse_int("4790"), Some(4790));
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("-1"), Some(-1));
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("x"), None);
    }
}
