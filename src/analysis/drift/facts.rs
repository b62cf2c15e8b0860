//! Version facts for drift: whether a block that one copy lacks applies to that copy's version.
//!
//! A block's facts are the configuration fields it names (from [`crate::fields`], extracted
//! once per file and cached on the model; never re-parsed here) and the `$[variables]` it uses.
//! A field absent from the lacking version's reference, or a variable that version does not
//! define, makes the block not apply there; a field present there makes it apply. Variables
//! every version defines say nothing either way.

use super::Copy;
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
    Field { resource: String },
    Variable,
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
        }
    }
}

/// The facts block `block` of copy `from` names, judged at `at`.
pub fn judge(model: &Model, from: Copy, block: u32, at: Location) -> (Vec<Fact>, Applies) {
    let f = &model.files[from.file];
    let span = f.doc.blocks[block as usize].span;
    let inside = |s: crate::diag::Span| s.start >= span.start && s.end <= span.end;
    let mut facts: Vec<Fact> = Vec::new();
    let mut checked = false;
    let refs = &model.config_refs;
    for u in model.field_uses.get(model, from.file).iter().filter(|u| inside(u.span) && u.known) {
        let Some(l) = refs.get(&model.site, at, u.resource) else { continue };
        checked = true;
        let resource = refs.resources()[u.resource].kind.clone();
        let exists = crate::fields::field_of(&l.reference, u).is_some();
        let fact = Fact { kind: FactKind::Field { resource }, name: u.name.clone(), exists };
        if !facts.contains(&fact) {
            facts.push(fact);
        }
    }
    for v in f.doc.var_tokens.iter().filter(|v| inside(v.span)) {
        if model.site.variable(Some(at), &v.name).is_none() && model.site.variable(Some(from.loc), &v.name).is_some() {
            let fact = Fact { kind: FactKind::Variable, name: v.name.clone(), exists: false };
            if !facts.contains(&fact) {
                facts.push(fact);
            }
        }
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
