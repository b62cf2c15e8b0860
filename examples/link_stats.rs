// Scratch: how every link of a site resolves (for triage).
use docdrift::analysis::links::Target;
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let cfg = std::env::args().nth(2).map(std::path::PathBuf::from);
    let site = docdrift::site::Site::load(&root, cfg.as_deref(), &docdrift::rules::ids()).unwrap();
    let index = docdrift::analysis::Index::new(docdrift::model::Model::build(site, &[]));
    let model = &index.model;
    let mut counts = std::collections::BTreeMap::new();
    let mut samples: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (i, checks) in index.links.iter().enumerate() {
        for c in checks {
            let link = &model.files[i].doc.links[c.link];
            let (url, fragment) = (c.url(link), c.fragment(link));
            for (_, t) in c.results.iter() {
                let k = match t {
                    Target::External => "external".to_string(),
                    Target::Doc { file } => format!(
                        "doc{}{}{}",
                        if fragment.is_empty() { "" } else { "#" },
                        if *file == i { " same" } else { "" },
                        if url.starts_with('/') {
                            " abs"
                        } else if url.contains(".md") || url.starts_with('#') {
                            ""
                        } else {
                            " rel-url"
                        }
                    ),
                    Target::Other => {
                        let p = url.split('#').next().unwrap_or("");
                        if p.starts_with("/img") || p.starts_with("/files") || p.starts_with("/pdf") {
                            "other static-like".into()
                        } else {
                            "other".into()
                        }
                    }
                    Target::Broken(b) => format!("broken {:?}", std::mem::discriminant(b)),
                };
                *counts.entry(k.clone()).or_insert(0) += 1;
                let v = samples.entry(k).or_default();
                if v.len() < 8 {
                    v.push(format!("{} -> {}", model.files[i].path, url));
                }
            }
            if c.results.is_empty() {
                *counts.entry("unresolved (partial, no page)".to_string()).or_insert(0) += 1;
            }
        }
    }
    for (k, v) in &counts {
        println!("{k}: {v}");
        for s in &samples[k] {
            println!("    {s}");
        }
    }
}
