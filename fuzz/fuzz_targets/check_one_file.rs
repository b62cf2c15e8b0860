//! `check` on a one-page site whose page is the input: every rule runs; none may crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let docs = dir.path().join("docs");
    if std::fs::create_dir_all(&docs).is_err() || std::fs::write(docs.join("page.mdx"), data).is_err() {
        return;
    }
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let Ok(site) = docdrift::site::Site::load(dir.path(), None, &rules) else { return };
    let index = docdrift::analysis::Index::new(docdrift::model::Model::build(site, &[]));
    let (_, crashes) = docdrift::engine::check_all(&index, &|_| true);
    assert!(crashes.is_empty(), "{crashes:?}");
});
