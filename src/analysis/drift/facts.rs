//! Version facts for drift: whether a block that one copy lacks applies to that copy's version.
//!
//! A block's facts are the configuration fields it names (from [`crate::analysis::fields`],
//! extracted once per file and cached by the caller, [`Inputs::field_uses`]; never re-parsed
//! here) and the `$[variables]` it uses.
//! A field absent from the lacking version's reference, or a variable that version does not
//! define, makes the block not apply there; a field present there makes it apply. Variables
//! every version defines say nothing either way.

use super::{Copy, Inputs};
use crate::model::Model;
use crate::site::Location;

/// Whether a block applies to a copy that lacks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Applies {
    /// It names facts, and all exist there.
    Yes,
    /// Some fact it names does not exist there.
    No,
    /// It names no fact that can be checked there.
    Unknown,
}

impl Applies {
    pub fn as_str(self) -> &'static str {
        match self {
            Applies::Yes => "yes",
            Applies::No => "no",
            Applies::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FactKind {
    /// A field of a configuration resource (`FelixConfiguration`).
    Field {
        resource: String,
    },
    Variable,
    /// A release of the doc set (`3.30.2`): the block is about that release.
    Release,
    /// A JSX element the block sits in (`<TabItem value="Manifest">`): the lacking copy has no
    /// such element, so the block's place does not exist there.
    Container,
    /// Another page of the lacking copy's version has the block (its path): it moved there.
    OtherPage,
}

/// One fact a block names, and whether it exists in the lacking copy's version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fact {
    pub kind: FactKind,
    /// The field or variable name as written.
    pub name: String,
    pub exists: bool,
}

impl Fact {
    /// "`bpfKubeProxyHealthzPort` exists in this version's FelixConfiguration reference".
    pub fn describe(&self) -> String {
        match (&self.kind, self.exists) {
            (FactKind::Field { resource }, true) => {
                format!("`{}` exists in this version's {resource} reference", self.name)
            }
            (FactKind::Field { resource }, false) => {
                format!("`{}` is not in this version's {resource} reference", self.name)
            }
            (FactKind::Variable, true) => format!("`$[{}]` is defined in this version", self.name),
            (FactKind::Variable, false) => format!("`$[{}]` is not defined in this version", self.name),
            (FactKind::Release, _) => format!("it names release `{}`, so it is specific to versions", self.name),
            (FactKind::Container, true) => format!("this copy has `{}`", self.name),
            (FactKind::Container, false) => format!("it sits in `{}`, which this copy does not have", self.name),
            (FactKind::OtherPage, _) => format!("this version has it on `{}`", self.name),
        }
    }
}

/// The facts block `block` of copy `from` names, judged at `at`.
pub fn judge(inp: &Inputs, from: Copy, block: u32, at: Location) -> (Vec<Fact>, Applies) {
    let model = inp.model;
    let f = &model.files[from.file];
    let span = f.doc.blocks[block as usize].span;
    let inside = |s: crate::diag::Span| s.start >= span.start && s.end <= span.end;
    let mut facts: Vec<Fact> = Vec::new();
    let mut checked = false;
    let refs = inp.refs;
    for u in (inp.field_uses)(from.file).iter().filter(|u| inside(u.span) && u.known) {
        let Some(l) = refs.get(&model.site, at, u.resource) else { continue };
        let field = crate::analysis::fields::field_of(&l.reference, u);
        // A field the pack adds to every version is no fact about this one.
        if field.is_some_and(|f| f.extra) {
            continue;
        }
        checked = true;
        let resource = refs.resources()[u.resource].kind.clone();
        let exists = field.is_some();
        let fact = Fact { kind: FactKind::Field { resource }, name: u.name.clone(), exists };
        if !facts.contains(&fact) {
            facts.push(fact);
        }
    }
    for v in f.doc.var_tokens.iter().filter(|v| inside(v.span)) {
        let name = v.name(&f.text);
        if model.site.variable(Some(at), name).is_none() && model.site.variable(Some(from.loc), name).is_some() {
            let fact = Fact { kind: FactKind::Variable, name: name.to_string(), exists: false };
            if !facts.contains(&fact) {
                facts.push(fact);
            }
        }
    }
    if let Some(rel) = names_release(model, from, &f.text[span.start as usize..span.end as usize]) {
        facts.push(Fact { kind: FactKind::Release, name: rel, exists: false });
    }
    let applies = if facts.iter().any(|f| !f.exists) {
        Applies::No
    } else if checked && facts.iter().any(|f| f.exists) {
        Applies::Yes
    } else {
        Applies::Unknown
    };
    (facts, applies)
}

/// The first release number of `from`'s doc set the text names (`3.30`, `v3.30.2`): a version
/// name's leading `major.minor`, followed by a non-digit.
fn names_release(model: &Model, from: Copy, text: &str) -> Option<String> {
    let ds = &model.site.doc_sets[from.loc.doc_set];
    let releases: Vec<&str> = ds
        .versions
        .iter()
        .filter_map(|v| {
            let n = v.name.as_str();
            let mut dots = 0;
            let end = n.find(|c: char| {
                if c == '.' {
                    dots += 1;
                }
                !(c.is_ascii_digit() || c == '.') || dots > 1
            });
            let head = &n[..end.unwrap_or(n.len())];
            (head.contains('.') && !head.ends_with('.')).then_some(head)
        })
        .collect();
    release_in(text, &releases)
}

/// The first of `releases` (`major.minor`, in the order given) that `text` names, not inside a
/// longer number, with the rest of its number (`3.30.2`).
fn release_in(text: &str, releases: &[&str]) -> Option<String> {
    // Every release is `digits.digits`: a text without a digit before a dot names none. Most
    // blocks are prose without one, and each would otherwise be searched once per release.
    let b = text.as_bytes();
    if !memchr::memchr_iter(b'.', b).any(|k| k > 0 && b[k - 1].is_ascii_digit()) {
        return None;
    }
    for r in releases {
        let mut from_i = 0;
        while let Some(k) = text[from_i..].find(r) {
            let at = from_i + k;
            let end = at + r.len();
            let before_ok = at == 0 || !(b[at - 1].is_ascii_digit() || b[at - 1] == b'.');
            let after_ok = end >= b.len() || !b[end].is_ascii_digit();
            if before_ok && after_ok {
                let mut e = end;
                while e < b.len()
                    && (b[e].is_ascii_digit() || (b[e] == b'.' && b.get(e + 1).is_some_and(u8::is_ascii_digit)))
                {
                    e += 1;
                }
                return Some(text[at..e].to_string());
            }
            from_i = end;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::release_in;

    #[test]
    fn a_release_is_found_whole_and_only_as_its_own_number() {
        let releases = ["3.31", "3.30"];
        let found = |t: &str| release_in(t, &releases);
        assert_eq!(found("Upgrade from v3.30.2 to v3.31.0."), Some("3.31.0".to_string()));
        assert_eq!(found("Since 3.30, the field is gone."), Some("3.30".to_string()));
        assert_eq!(found("3.30"), Some("3.30".to_string()));
        assert_eq!(found("Kubernetes 13.30 and 3.301 are other numbers."), None);
        assert_eq!(found("No release here. Version three."), None);
        assert_eq!(found(""), None);
    }
}
