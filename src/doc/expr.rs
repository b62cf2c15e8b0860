//! JavaScript inside MDX: `{expressions}` and `import` statements.
//!
//! docdrift never runs or fully parses JavaScript. It finds where an expression ends the way
//! MDX does (braces balanced outside strings, template literals and comments) and flags only
//! the errors acorn certainly raises, so a syntax finding is never one the compiler would not give.

/// Given `b[open] == b'{'`, the index of the matching `}`, or `None` when the input ends first.
pub(crate) fn matching_brace(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    // Each `${` of a template literal pushes the brace depth at which that template resumes.
    let mut templates: Vec<usize> = Vec::new();
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if templates.last() == Some(&depth) {
                    templates.pop();
                    i = skip_template(b, i + 1, &mut templates, depth)?;
                    continue;
                }
                if depth == 0 {
                    return Some(i);
                }
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    } else if b[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'`' => {
                i = skip_template(b, i + 1, &mut templates, depth)?;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Skip template literal text from `i` (just after a backtick or the `}` closing a `${`).
/// Returns the index after the closing backtick, or after `${` (pushing the resume depth).
fn skip_template(b: &[u8], mut i: usize, templates: &mut Vec<usize>, depth: usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'`' => return Some(i + 1),
            b'$' if b.get(i + 1) == Some(&b'{') => {
                // The `{` of `${` is counted by the caller; its `}` resumes the template.
                templates.push(depth);
                return Some(i + 1);
            }
            _ => i += 1,
        }
    }
    None
}

/// What acorn says about the source between the braces, for the errors we are sure of.
pub(crate) fn check_expression(src: &str) -> Result<(), &'static str> {
    let code = strip_comments(src);
    let code = code.trim();
    if code.starts_with('#') {
        // `{#id}`: `#` starts a private name, which is not an expression.
        return Err("Could not parse expression with acorn");
    }
    Ok(())
}

/// Whether an expression holds nothing but comments (`{/* note */}`).
pub(crate) fn is_comment_only(src: &str) -> bool {
    strip_comments(src).trim().is_empty() && !src.trim().is_empty()
}

fn strip_comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            out.push_str(&src[last..i]);
            out.push(' ');
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i = (i + 2).min(b.len());
            last = i;
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            out.push_str(&src[last..i]);
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            last = i;
        } else if b[i] == b'"' || b[i] == b'\'' {
            let q = b[i];
            i += 1;
            while i < b.len() && b[i] != q {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    out.push_str(&src[last.min(src.len())..]);
    out
}

/// An `import` statement: `(specifier, specifier byte range within src, bound names)`.
pub(crate) fn parse_import(src: &str) -> Option<(String, std::ops::Range<usize>, Vec<String>)> {
    let rest = src.strip_prefix("import")?;
    let b = src.as_bytes();
    // The specifier is the last string literal of the statement.
    let mut names = Vec::new();
    let (mut q_start, mut q_end) = (None, None);
    let mut i = 6;
    while i < b.len() {
        if b[i] == b'\'' || b[i] == b'"' {
            let q = b[i];
            let s = i + 1;
            let mut j = s;
            while j < b.len() && b[j] != q && b[j] != b'\n' {
                j += 1;
            }
            q_start = Some(s);
            q_end = Some(j);
            i = j + 1;
            if b.get(j) == Some(&q) {
                break;
            }
        } else {
            i += 1;
        }
    }
    let (s, e) = (q_start?, q_end?);
    let clause = &rest[..s.saturating_sub(7).min(rest.len())];
    let clause = clause.trim().trim_end_matches("from").trim_end();
    let mut word = String::new();
    let mut prev_as = false;
    let mut pending: Option<String> = None;
    for c in clause.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            if word == "as" {
                prev_as = true;
                pending = None;
            } else if word != "type" {
                if prev_as {
                    names.push(word.clone());
                    prev_as = false;
                } else {
                    if let Some(p) = pending.take() {
                        names.push(p);
                    }
                    pending = Some(word.clone());
                }
            }
            word.clear();
        }
        if (c == ',' || c == '}')
            && let Some(p) = pending.take()
        {
            names.push(p);
        }
    }
    if let Some(p) = pending {
        names.push(p);
    }
    Some((src[s..e].to_string(), s..e, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_skip_strings_templates_and_comments() {
        let s = b"{a ? '}' : `x${ {b: 1}.b }}` /* } */}rest";
        assert_eq!(matching_brace(s, 0), Some(36));
        assert_eq!(matching_brace(b"{ a ", 0), None);
        assert_eq!(matching_brace(b"{{}}", 0), Some(3));
    }

    #[test]
    fn heading_ids_are_not_expressions() {
        assert!(check_expression("#custom-id").is_err());
        assert!(check_expression("/* #id */").is_ok());
        assert!(is_comment_only(" /* #id */ "));
        assert!(!is_comment_only("props.x"));
    }

    #[test]
    fn imports_give_specifier_and_names() {
        let (s, r, n) = parse_import("import Foo, {Bar as Baz, Qux} from '@site/src/x';").unwrap();
        assert_eq!(s, "@site/src/x");
        assert_eq!(r, 36..47);
        assert_eq!(n, vec!["Foo", "Baz", "Qux"]);
        let (s, _, n) = parse_import("import Tabs from \"@theme/Tabs\"").unwrap();
        assert_eq!((s.as_str(), n), ("@theme/Tabs", vec!["Tabs".to_string()]));
        let (s, _, n) = parse_import("import './x.css';").unwrap();
        assert_eq!((s.as_str(), n.len()), ("./x.css", 0));
    }
}
#[cfg(test)]
mod more_tests {
    #[test]
    fn template_with_substitution() {
        let s = b"{`a ${files}/b\n c`}\n";
        assert_eq!(super::matching_brace(s, 0), Some(18));
    }
}
