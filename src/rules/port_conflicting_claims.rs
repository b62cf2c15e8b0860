use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::ports::{self, ClaimKind};

declare_rule! {
    /// One page that claims the same port for two different owners.
    ///
    /// ## What it does
    /// Collects the ownership claims a page makes ("X uses port N", "port N is used by Y", table
    /// rows) and reports a port the page gives to two owners that are not the same component
    /// (nor one a group the other belongs to), for ports neither the registry nor the version's
    /// configuration references know. Ports they do know are checked against them by
    /// `port/wrong-owner` and `port/wrong-default`.
    ///
    /// ## Why it matters
    /// Two statements about one port on one page cannot both be right. Readers configure one
    /// component and then find the port taken.
    ///
    /// ## Example
    /// ```mdx
    /// The exporter listens on port 9464. … Felix uses port 9464 for its flow logs API.
    /// ```
    /// Use instead one owner per port, and check which one is right.
    ///
    /// ## Fix
    /// Correct the claim that is wrong; if the port is well known, add it to
    /// `.docdrift/ports.toml` with its source so that the right owner is checked everywhere.
    pub struct PortConflictingClaims {
        id: "port/conflicting-claims",
        category: Port,
        severity: Warning,
        fixable: false,
    }
}

impl Rule for PortConflictingClaims {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let ix = cx.index;
        let claims = ix.port_claims(cx.id as usize);
        if claims.len() < 2 {
            return;
        }
        let reg = ix.ports.registry();
        let fields = ix.field_ports(cx.file.loc);
        let owned: Vec<_> = claims.iter().filter(|c| c.kind != ClaimKind::Recommend && c.owner.is_some()).collect();
        for (k, c) in owned.iter().enumerate() {
            if !ports::users(reg, fields, c.port).is_empty() {
                continue;
            }
            let Some(owner) = &c.owner else { continue };
            let Some(first) = owned[..k]
                .iter()
                .find(|p| p.port == c.port && p.owner.as_ref().is_some_and(|o| !ports::related(reg, o, owner)))
            else {
                continue;
            };
            let (a, b) = (ports::owner_name(reg, first.owner.as_ref().unwrap_or(owner)), ports::owner_name(reg, owner));
            sink.report(cx.id, c.span, format!("this page gives port {} to both {a} and {b}", c.port))
                .help("one of the claims is wrong: check which component really uses the port (it is in no registry docdrift knows)")
                .related(cx.id, first.span, format!("port {} is given to {a} here", c.port));
        }
    }
}
