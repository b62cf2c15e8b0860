//! `check` on a site with one doc set in two versions, whose page's two copies are the input
//! (the bytes before the first NUL, and after it; without a NUL, the second copy lacks the
//! first line): drift, release facts, anchors across copies and every other rule run on copies
//! that differ as the fuzzer makes them differ; none may crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

const CONFIG: &str = "[[doc_set]]\nid = \"acme\"\nname = \"Acme\"\n\n[doc_set.labels]\ncurrent = \"3.0\"\n\"2.0\" = \"2.0\"\n";

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&c| c == 0) {
        Some(k) => (&data[..k], &data[k + 1..]),
        None => (data, data.splitn(2, |&c| c == b'\n').nth(1).unwrap_or(&[])),
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    let root = dir.path();
    let write = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("a file in a folder")).is_ok() && std::fs::write(p, bytes).is_ok()
    };
    let ok = write("docdrift.toml", CONFIG.as_bytes())
        && write("acme_versions.json", b"[\"2.0\"]")
        && write("acme/page.mdx", a)
        && write("acme_versioned_docs/version-2.0/page.mdx", b)
        && write("acme/other.mdx", b"# Other\n\nSee [the page](./page.mdx#install) and [its top](page).\n");
    if !ok {
        return;
    }
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let Ok(site) = docdrift::site::Site::load(root, None, &rules) else { return };
    let index = docdrift::analysis::Index::new(docdrift::model::Model::build(site, &[]));
    let (_, crashes) = docdrift::engine::check_all(&index, &|_| true);
    assert!(crashes.is_empty(), "{crashes:?}");
    // The drift report reads every page's alignment, beyond what the rules ask for.
    let _ = index.drift();
});
