use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::fields::{Lit, field_of};
use crate::analysis::ports::{self, ClaimKind, FieldPort, Scope, Use};
use crate::diag::Span;

declare_rule! {
    /// A recommended port that collides with a well-known port or another default of the product.
    ///
    /// ## What it does
    /// Checks every port a page recommends: values given to port fields in patches, manifests,
    /// environment variables and "set `X` to `V`" prose, and prose that suggests one ("choose an
    /// unused port, for example 10258"). A port collides when something on the node already
    /// binds it (a host-scoped entry of `rules/ports.toml`: kube-controller-manager's 10257,
    /// cloud-controller-manager's 10258, the NodePort range, ...), or when it is the default of
    /// another port field in the page's own version. The same value can collide in one product
    /// and not in another: Calico Enterprise's `egressIPVXLANPort` defaults to 4790, Calico's
    /// reference has no such field.
    ///
    /// ## Why it matters
    /// Readers follow the recommendation verbatim. Two listeners on one port fail to start, or
    /// one silently steals the other's traffic, and the failure shows up far from the page
    /// that caused it.
    ///
    /// ## Example
    /// In Calico Enterprise, whose `egressIPVXLANPort` defaults to 4790:
    /// ```bash
    /// kubectl patch felixconfiguration default --type merge -p '{"spec":{"vxlanPort":4790}}'
    /// ```
    /// Use instead a port nothing else on the node uses, for example 4791.
    ///
    /// ## Fix
    /// Recommend a port the help does not list. If your platform reserves more ports, add them
    /// to `.docdrift/ports.toml`.
    pub struct PortCollision {
        id: "port/collision",
        category: Port,
        severity: Warning,
        fixable: false,
    }
}

impl Rule for PortCollision {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let model = cx.model;
        let ix = cx.index;
        let loc = cx.file.loc;
        // The version's port fields come from its configuration reference: read only when the
        // page gives a port (most pages give none, and reading the reference costs more than
        // checking the page).
        let field_ports = std::cell::OnceCell::new();
        let fields = || *field_ports.get_or_init(|| ix.field_ports(loc));
        let mut seen: Vec<Span> = Vec::new();
        // Values given to port fields.
        if let Some(l) = loc {
            for u in ix.field_uses(cx.id as usize) {
                let Some(v) = &u.value else { continue };
                if !matches!(v.lit, Lit::Int | Lit::Text | Lit::Str) {
                    continue;
                }
                let Some(loaded) = ix.config_refs.get(&model.site, l, u.resource) else { continue };
                let Some(field) = field_of(&loaded.reference, u) else { continue };
                if !field.port {
                    continue;
                }
                let Ok(port) = v.text.trim().parse::<u16>() else { continue };
                if port == 0 || field.default_port() == Some(port) {
                    continue;
                }
                let name = if field.yaml.is_empty() { field.config.as_str() } else { field.yaml.as_str() };
                let this = fields().iter().find(|f| f.name == name);
                report(cx, sink, v.span, port, this, fields(), Some(name));
                seen.push(v.span);
            }
        }
        // Prose recommendations.
        for c in ix.port_claims(cx.id as usize) {
            if c.kind != ClaimKind::Recommend || seen.contains(&c.span) {
                continue;
            }
            let this = c.field.as_deref().and_then(|n| fields().iter().find(|f| f.names.iter().any(|x| x == n)));
            if this.is_some_and(|f| f.port == c.port) {
                continue;
            }
            report(cx, sink, c.span, c.port, this, fields(), this.map(|f| f.name.as_str()));
        }
    }
}

/// Report `port` at `span` if it collides with anything but `this` field and its owners.
fn report(
    cx: &FileCx,
    sink: &mut Sink,
    span: Span,
    port: u16,
    this: Option<&FieldPort>,
    fields: &[FieldPort],
    field_name: Option<&str>,
) {
    let model = cx.model;
    let ix = cx.index;
    let reg = ix.ports.registry();
    let own_owners = this.map(|f| ports::owners_of_field(reg, f)).unwrap_or_default();
    let hits: Vec<Use> = ports::users(reg, fields, port)
        .into_iter()
        .filter(|u| match u {
            Use::Registered { owner, spec } => spec.scope == Scope::Host && !own_owners.contains(owner),
            Use::Field(f) => this.is_none_or(|t| t.name != f.name || t.resource != f.resource),
        })
        .collect();
    let Some(first) = hits.first() else { return };
    let mut names: Vec<String> = Vec::new();
    for u in &hits {
        let n = ports::use_name(reg, u);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    let what = match field_name {
        Some(n) => format!("port {port} for `{n}`"),
        None => format!("port {port}"),
    };
    let place = cx.file.loc.map(|l| model.site.version_display(l)).unwrap_or_else(|| "this site".into());
    let others = if names.len() > 1 { format!(" (also {})", names[1..].join(", ")) } else { String::new() };
    sink.report(cx.id, span, format!("{what} collides with {} in {place}{others}", names[0])).help(format!(
        "choose a port nothing on the node uses: {}",
        ports::describe_use(model, &ix.config_refs, cx.file.loc, first)
    ));
}
