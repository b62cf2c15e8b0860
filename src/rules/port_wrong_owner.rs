use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::ports::{self, ClaimKind, OwnerRef, Scope, Use};

declare_rule! {
    /// A claim that names the wrong owner, or the wrong protocol, for a well-known port.
    ///
    /// ## What it does
    /// Reads what pages say about ports in prose and tables ("port 10257 may be used by
    /// containerd", "MKE's Docker Swarm uses UDP port 4789", a firewall table row naming etcd for
    /// 5473) and checks the owner against the port registry (`rules/ports.toml`: IANA,
    /// Kubernetes' ports and protocols, Calico's network requirements, container runtimes and
    /// other components, each entry with its source) and the port fields' defaults in the page's
    /// version. A claim is reported when the port is registered to someone else, or when the
    /// owner is right and the protocol is not.
    ///
    /// ## Why it matters
    /// Readers open firewalls and debug conflicts from these sentences. A port attributed to the
    /// wrong component sends them after the wrong process.
    ///
    /// ## Example
    /// ```mdx
    /// Choose another port: note that 10257 may be used by containerd.
    /// ```
    /// Use instead:
    /// ```mdx
    /// Choose another port: note that 10257 is kube-controller-manager's secure port.
    /// ```
    ///
    /// ## Fix
    /// Name the owner the help gives, or correct the port. When the registry is missing a port
    /// your platform really uses, add it to `.docdrift/ports.toml` with its source.
    pub struct PortWrongOwner {
        id: "port/wrong-owner",
        category: Port,
        severity: Error,
        fixable: false,
    }
}

impl Rule for PortWrongOwner {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let model = cx.model;
        let ix = cx.index;
        let claims = ix.port_claims(cx.id as usize);
        if claims.is_empty() {
            return;
        }
        let reg = ix.ports.registry();
        let fields = ix.field_ports(cx.file.loc);
        for c in claims {
            let Some(owner @ OwnerRef::Registry(_)) = &c.owner else { continue };
            if c.kind == ClaimKind::Default && ports::has_fields(reg, owner) {
                // Defaults of config-backed owners are `port/wrong-default`'s.
                continue;
            }
            let name = ports::owner_name(reg, owner);
            let wrong = [c.port, c.last].into_iter().find(|&p| !ports::owns(reg, fields, owner, p));
            match wrong {
                Some(p) => {
                    // Who listens there. An IANA assignment nothing listens on by default
                    // (`scope = "protocol"`) does not stop anyone from using the port.
                    let users: Vec<Use> = ports::users(reg, fields, p)
                        .into_iter()
                        .filter(|u| !matches!(u, Use::Registered { spec, .. } if spec.scope == Scope::Protocol))
                        .collect();
                    // An unregistered port: nothing to compare with.
                    let Some(first) = users.first() else { continue };
                    let mut names: Vec<String> = Vec::new();
                    for u in &users {
                        let n = ports::use_name(reg, u);
                        if !names.contains(&n) {
                            names.push(n);
                        }
                    }
                    let f =
                        sink.report(cx.id, c.span, format!("port {p} is not {name}'s: it belongs to {}", join(&names)));
                    f.help(format!(
                        "{}; {}",
                        ports::describe_use(model, &ix.config_refs, cx.file.loc, first),
                        ports::describe_owner(reg, fields, owner)
                    ));
                    if let Some(os) = c.owner_span {
                        f.related(cx.id, os, format!("{name} is named here"));
                    }
                }
                None => {
                    // The owner is right: is the protocol?
                    let Some(proto) = c.proto else { continue };
                    let specs: Vec<_> = ports::users(reg, fields, c.port)
                        .into_iter()
                        .filter_map(|u| match u {
                            Use::Registered { owner: uo, spec }
                                if ports::related(reg, &OwnerRef::Registry(uo), owner) =>
                            {
                                Some(spec)
                            }
                            _ => None,
                        })
                        .collect();
                    if specs.is_empty() || specs.iter().any(|s| s.allows(proto)) {
                        continue;
                    }
                    let s = specs[0];
                    sink.report(
                        cx.id,
                        c.span,
                        format!(
                            "{name} uses port {} over {}, not {}",
                            c.port,
                            s.protocol.to_uppercase(),
                            proto.as_str()
                        ),
                    )
                    .help(format!(
                        "write {} {} (source: {})",
                        s.protocol.to_uppercase(),
                        c.port,
                        s.source
                    ));
                }
            }
        }
    }
}

/// "A", "A and B", "A, B and C".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
