//! Root-relative path arithmetic: `.`/`..` normalisation and import specifiers as paths.
//!
//! Lives at the bottom so that the model (the partial render graph), the analyses (component
//! anchors, link resolution, configuration references) and PR mode share one definition. What a
//! path means as a URL is [`super::routes`]' job.

/// An import specifier as a root-relative path (`./x`, `../x`, `@site/x`).
pub fn resolve_import(from: &str, spec: &str) -> Option<String> {
    if let Some(rest) = spec.strip_prefix("@site/") {
        return Some(normalize_rel(rest));
    }
    if spec.starts_with("./") || spec.starts_with("../") {
        let dir = from.rfind('/').map_or("", |k| &from[..k]);
        return Some(normalize_rel(&format!("{dir}/{spec}")));
    }
    None
}

/// Normalize a root-relative path with `.` and `..`; `..` above the root is kept (`../docs`).
pub fn normalize_rel(p: &str) -> String {
    let mut segs: Vec<&str> = Vec::new();
    for s in p.split('/') {
        match s {
            "" | "." => {}
            // Above the site root (docs in `../docs`), `..` stays.
            ".." if segs.is_empty() || segs.last() == Some(&"..") => segs.push(".."),
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    segs.join("/")
}
