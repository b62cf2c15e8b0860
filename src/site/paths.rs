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
///
/// Built in place, segment by segment, each found with the `memchr` crate: link resolution
/// normalizes a candidate path for every file link of every page, and a list of segments
/// joined at the end, cut by `str::split` (whose searcher cost about 160 instructions a
/// segment), was 2,200 instructions a path; this is about 1,100.
pub fn normalize_rel(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    let bytes = p.as_bytes();
    let mut start = 0;
    loop {
        let end = memchr::memchr(b'/', &bytes[start..]).map_or(bytes.len(), |k| start + k);
        match &p[start..end] {
            "" | "." => {}
            ".." => {
                let last = memchr::memrchr(b'/', out.as_bytes()).map_or(0, |k| k + 1);
                // Above the site root (docs in `../docs`), `..` stays.
                if out.is_empty() || &out[last..] == ".." {
                    if !out.is_empty() {
                        out.push('/');
                    }
                    out.push_str("..");
                } else {
                    out.truncate(last.saturating_sub(1));
                }
            }
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
        if end == bytes.len() {
            return out;
        }
        start = end + 1;
    }
}

/// A module's root-relative path and text.
pub type Module = std::sync::Arc<(String, String)>;

/// Component modules by import path, each resolved and read once (`None`: no candidate is a
/// file with text in it); shared by the clones of a [`super::Site`] (PR mode and fixes
/// rebuild the model from a clone).
#[derive(Clone, Debug, Default)]
pub struct Modules(std::sync::Arc<std::sync::Mutex<rustc_hash::FxHashMap<String, Option<Module>>>>);

impl Modules {
    /// The first of `base`'s candidates (itself, then `.js`, `.jsx`, `.tsx`, `.ts`, then
    /// `/index` with each) that `read` gives a text with something in it, with that
    /// candidate's path.
    pub fn get_or_read(&self, base: &str, read: impl Fn(&str) -> Option<String>) -> Option<Module> {
        if let Some(known) = self.0.lock().unwrap_or_else(|p| p.into_inner()).get(base) {
            return known.clone();
        }
        // Read outside the lock; two threads may both read a module the first time, and
        // the second keeps the first's.
        let candidates = [
            base.to_string(),
            format!("{base}.js"),
            format!("{base}.jsx"),
            format!("{base}.tsx"),
            format!("{base}.ts"),
            format!("{base}/index.js"),
            format!("{base}/index.jsx"),
            format!("{base}/index.tsx"),
            format!("{base}/index.ts"),
        ];
        let found = candidates
            .into_iter()
            .find_map(|c| read(&c).filter(|t| !t.trim().is_empty()).map(|t| std::sync::Arc::new((c, t))));
        self.0.lock().unwrap_or_else(|p| p.into_inner()).entry(base.to_string()).or_insert(found).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// The list-and-join form `normalize_rel` had: the reference for the in-place one.
    fn normalize_by_list(p: &str) -> String {
        let mut segs: Vec<&str> = Vec::new();
        for s in p.split('/') {
            match s {
                "" | "." => {}
                ".." if segs.is_empty() || segs.last() == Some(&"..") => segs.push(".."),
                ".." => {
                    segs.pop();
                }
                s => segs.push(s),
            }
        }
        segs.join("/")
    }

    #[test]
    fn normalizing_in_place_gives_what_the_list_of_segments_gave() {
        assert_eq!(normalize_rel("docs/a/../b/./c.md"), "docs/b/c.md");
        assert_eq!(normalize_rel("../../docs//x/"), "../../docs/x");
        assert_eq!(normalize_rel("a/../../b"), "../b");
        // Every path of up to five segments drawn from these.
        let parts = ["", ".", "..", "a", "bc", "..a", ".b"];
        let mut paths = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> =
                paths.iter().flat_map(|p| parts.iter().map(move |s| format!("{p}/{s}"))).collect();
            paths.extend(longer);
        }
        for p in &paths {
            for q in [p.as_str(), p.trim_start_matches('/')] {
                assert_eq!(normalize_rel(q), normalize_by_list(q), "{q:?}");
            }
        }
    }

    #[test]
    fn a_module_is_resolved_as_node_does_and_read_once() {
        let modules = Modules::default();
        let asked = RefCell::new(Vec::new());
        // `X.js` is an empty placeholder, so `X.jsx` is the module; `Y` is nowhere.
        let read = |c: &str| {
            asked.borrow_mut().push(c.to_string());
            match c {
                "src/X.js" => Some("  \n".to_string()),
                "src/X.jsx" => Some("export default () => <h2 id=\"a\" />;".to_string()),
                _ => None,
            }
        };
        let x = modules.get_or_read("src/X", read).expect("X.jsx is found");
        assert_eq!(x.0, "src/X.jsx");
        assert_eq!(*asked.borrow(), ["src/X", "src/X.js", "src/X.jsx"]);
        assert!(modules.get_or_read("src/Y", read).is_none());
        assert_eq!(asked.borrow().len(), 3 + 9, "every candidate of Y is tried");
        // Asked again, neither is read again, and a clone shares what was read.
        let again = modules.clone().get_or_read("src/X", read).expect("X again");
        assert!(std::sync::Arc::ptr_eq(&x, &again));
        assert!(modules.get_or_read("src/Y", read).is_none());
        assert_eq!(asked.borrow().len(), 12);
    }
}
