use super::{FileCx, Rule, RuleMeta, Sink, declare_rule};
use crate::analysis::ports::{self, ClaimKind, OwnerRef};

declare_rule! {
    /// A claimed default port that contradicts the version's configuration reference.
    ///
    /// ## What it does
    /// Finds claims about a default port ("by default it uses port 4789", "Felix uses port 9091
    /// by default", a table whose Default column gives `10256` for `bpfKubeProxyHealthzPort`) whose
    /// owner is a configuration field, or a component whose ports are configuration fields
    /// (Felix, VXLAN, WireGuard; see `fields` in `rules/ports.toml`). The claim must match the
    /// field's default in the reference of the page's own version.
    ///
    /// ## Why it matters
    /// Defaults change between releases, and pages copied from one version to the next keep the
    /// old number. Readers open the wrong port in their firewall, or look for a conflict that
    /// is not there.
    ///
    /// ## Example
    /// ```mdx
    /// | Setting | Default |
    /// |---|---|
    /// | `bpfKubeProxyHealthzPort` | `10266` |
    /// ```
    /// Use instead the default from the version's reference:
    /// ```mdx
    /// | `bpfKubeProxyHealthzPort` | `10256` |
    /// ```
    ///
    /// ## Fix
    /// Write the default the help gives (`docdrift check --fix` does it when the claim names one
    /// field).
    pub struct PortWrongDefault {
        id: "port/wrong-default",
        category: Port,
        severity: Error,
        fixable: true,
    }
}

impl Rule for PortWrongDefault {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_file(&self, cx: &FileCx, sink: &mut Sink) {
        let model = cx.model;
        let ix = cx.index;
        let Some(loc) = cx.file.loc else { return };
        let claims = ix.port_claims(cx.id as usize);
        if claims.is_empty() {
            return;
        }
        let reg = ix.ports.registry();
        let fields = ix.field_ports(Some(loc));
        if fields.is_empty() {
            return;
        }
        let version = cx.version_display();
        for c in claims {
            let Some(owner) = &c.owner else { continue };
            let is_field = matches!(owner, OwnerRef::Field(_));
            if !(is_field || (c.kind == ClaimKind::Default && ports::has_fields(reg, owner))) {
                continue;
            }
            if ports::owns(reg, fields, owner, c.port) {
                continue;
            }
            let name = ports::owner_name(reg, owner);
            match owner {
                OwnerRef::Field(n) => {
                    let Some(f) = fields.iter().find(|f| f.names.iter().any(|x| x.eq_ignore_ascii_case(n))) else {
                        continue;
                    };
                    let path =
                        ix.config_refs.get(&model.site, loc, f.resource).map(|l| l.path.clone()).unwrap_or_default();
                    sink.report(cx.id, c.span, format!("{name} defaults to {} in {version}, not {}", f.port, c.port))
                        .help(format!("write {} (checked against `{path}`)", f.port))
                        .fix(c.span, f.port.to_string());
                }
                OwnerRef::Registry(_) => {
                    let paths: Vec<String> = (0..ix.config_refs.resources().len())
                        .filter_map(|r| ix.config_refs.get(&model.site, loc, r).map(|l| format!("`{}`", l.path)))
                        .collect();
                    let f = sink.report(
                        cx.id,
                        c.span,
                        format!("{name} does not use port {} by default in {version}", c.port),
                    );
                    f.help(format!(
                        "{} (checked against {} and `rules/ports.toml`)",
                        ports::describe_owner(reg, fields, owner),
                        paths.join(", ")
                    ));
                    if let Some(os) = c.owner_span {
                        f.related(cx.id, os, format!("{name} is named here"));
                    }
                }
            }
        }
    }
}
