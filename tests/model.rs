//! The site model: each distinct text is parsed once, and its copies share the result.

use docdrift::doc::SharedStr;
use std::path::Path;
use std::sync::Arc;

fn build(root: &Path) -> docdrift::model::Model {
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let site = docdrift::site::Site::load(root, None, &rules).expect("the site loads");
    docdrift::model::Model::build(site, &[])
}

fn file<'m>(model: &'m docdrift::model::Model, path: &str) -> &'m docdrift::model::SourceFile {
    &model.files[model.file_index(path).unwrap_or_else(|| panic!("{path} is a document of the site"))]
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("the folder");
    std::fs::write(path, text).expect("the file");
}

#[test]
fn identical_copies_share_one_parse_and_keep_their_own_paths() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = "# Install\n\nRun [the guide](./b.mdx#install).\n";
    write(dir.path(), "docs/a.mdx", page);
    write(dir.path(), "docs/b.mdx", page);
    write(dir.path(), "docs/c.mdx", "# Install\n\nSomething else.\n");
    let model = build(dir.path());
    let (a, b, c) = (file(&model, "docs/a.mdx"), file(&model, "docs/b.mdx"), file(&model, "docs/c.mdx"));
    assert!(Arc::ptr_eq(&a.doc, &b.doc), "the two copies were parsed twice");
    assert!(SharedStr::same(&a.text, &b.text) && Arc::ptr_eq(&a.line_index, &b.line_index));
    // The texts are packed together, and each is still exactly its file.
    assert_eq!((&*a.text, &*c.text), (page, "# Install\n\nSomething else.\n"));
    // The line index is built when first asked for, once for both copies.
    assert!(b.line_index.get().is_none(), "no finding asked for a line index");
    assert_eq!(a.lines().line_count(), 4);
    assert!(b.line_index.get().is_some_and(|l| std::ptr::eq(l, a.lines())));
    assert!(!Arc::ptr_eq(&a.doc, &c.doc));
    assert_eq!(a.doc.links.len(), 1);
    assert_eq!(c.doc.links.len(), 0);
    assert_eq!((a.path.as_str(), b.path.as_str()), ("docs/a.mdx", "docs/b.mdx"));
    assert_eq!(ids(&a.heading_ids), ["install"]);
    assert_eq!(ids(&b.heading_ids), ["install"]);
}

#[test]
fn empty_files_packed_among_others_are_documents_of_their_own() {
    // Packed end to end, an empty text starts where the next text starts: its address alone
    // must not make it a copy of that text.
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "docs/a.mdx", "");
    write(dir.path(), "docs/b.mdx", "# B\n");
    write(dir.path(), "docs/c.mdx", "");
    write(dir.path(), "docs/d.mdx", "# D\n\n# D again\n");
    let model = build(dir.path());
    let [a, b, c, d] = ["a", "b", "c", "d"].map(|n| file(&model, &format!("docs/{n}.mdx")));
    assert_eq!([&*a.text, &*b.text, &*c.text, &*d.text], ["", "# B\n", "", "# D\n\n# D again\n"]);
    assert_eq!([a, b, c, d].map(|f| f.doc.headings.len()), [0, 1, 0, 2]);
    assert!(Arc::ptr_eq(&a.doc, &c.doc), "the two empty files are copies");
    let first = model.first_sharing();
    let at = |f: &docdrift::model::SourceFile| model.file_index(&f.path).expect("a file");
    assert_eq!(first[at(c)] as usize, at(a));
    assert_eq!(first[at(b)] as usize, at(b));
    assert_eq!(first[at(d)] as usize, at(d));
}

#[test]
fn the_same_text_as_markdown_and_as_mdx_is_parsed_each_way() {
    // With `format: 'detect'`, `.md` is CommonMark: the same bytes are a different document.
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(
        dir.path(),
        "docusaurus.config.js",
        "module.exports = {\n  markdown: { format: 'detect' },\n  presets: [['classic', { docs: {}, blog: false }]],\n};\n",
    );
    // An unclosed `{` is an MDX expression that never ends; in CommonMark it is a character.
    let page = "# Title\n\nSet {replicas to 2.\n";
    write(dir.path(), "docs/plain.md", page);
    write(dir.path(), "docs/rich.mdx", page);
    write(dir.path(), "docs/again.mdx", page);
    let model = build(dir.path());
    let (md, mdx, again) =
        (file(&model, "docs/plain.md"), file(&model, "docs/rich.mdx"), file(&model, "docs/again.mdx"));
    assert!(!Arc::ptr_eq(&md.doc, &mdx.doc), "a .md file shared the parse of an .mdx file");
    assert!(Arc::ptr_eq(&mdx.doc, &again.doc));
    // The bytes themselves are kept once, whatever they parse as.
    assert!(SharedStr::same(&md.text, &mdx.text), "the same bytes were kept twice");
    assert!(md.doc.mdx_errors.is_empty(), "CommonMark has no expressions: {:?}", md.doc.mdx_errors);
    assert_eq!(mdx.doc.mdx_errors.len(), 1, "{:?}", mdx.doc.mdx_errors);
}

#[test]
fn copies_with_variables_in_headings_keep_each_versions_ids() {
    // The same bytes in two versions whose `variables.js` differ: one parse, two sets of ids.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let r = dir.path();
    let page = "# Setup\n\n## Install $[prodname]\n\n## Upgrade\n";
    write(r, "product/setup.mdx", page);
    write(r, "product/variables.js", "module.exports = { prodname: 'Widget Next' };\n");
    write(r, "product_versions.json", "[\"1.0\"]\n");
    write(r, "product_versioned_docs/version-1.0/setup.mdx", page);
    write(r, "product_versioned_docs/version-1.0/variables.js", "module.exports = { prodname: 'Widget One' };\n");
    write(r, "product_versioned_sidebars/version-1.0-sidebars.json", "{}");
    let model = build(r);
    let next = file(&model, "product/setup.mdx");
    let one = file(&model, "product_versioned_docs/version-1.0/setup.mdx");
    assert!(Arc::ptr_eq(&next.doc, &one.doc));
    assert_eq!(ids(&next.heading_ids), ["setup", "install-widget-next", "upgrade"]);
    assert_eq!(ids(&one.heading_ids), ["setup", "install-widget-one", "upgrade"]);
}

/// A site for the walk: documents, skipped folders, other files, a link to a document.
fn walk_site() -> (tempfile::TempDir, docdrift::site::Site) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    write(dir.path(), "docs/a.mdx", "# A\n");
    write(dir.path(), "docs/sub/b.md", "# B\n");
    write(dir.path(), "docs/sub/deeper/c.mdx", "# C\n");
    write(dir.path(), "docs/.hidden/d.mdx", "# D\n");
    write(dir.path(), "docs/node_modules/e.md", "# E\n");
    write(dir.path(), "docs/img.png", "");
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.mdx", dir.path().join("docs/link.mdx")).expect("a link");
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let site = docdrift::site::Site::load(dir.path(), None, &rules).expect("the site loads");
    (dir, site)
}

#[test]
fn the_listed_walk_finds_and_stats_what_the_plain_walk_does() {
    let (_dir, site) = walk_site();
    let plain = docdrift::model::doc_paths_stat(&site, &[], true);
    let paths: Vec<&str> = plain.iter().map(|(p, _)| p.as_str()).collect();
    #[cfg(unix)]
    assert_eq!(paths, ["docs/a.mdx", "docs/link.mdx", "docs/sub/b.md", "docs/sub/deeper/c.mdx"]);
    assert!(plain.iter().any(|(p, m)| p == "docs/a.mdx" && m.is_some_and(|(size, t)| size == 4 && t.is_some())));
    let none = docdrift::model::Listings::default();
    let (listed, remembered) = docdrift::model::doc_paths_listed(&site, &[], &none, std::time::Duration::ZERO);
    assert_eq!(listed, plain, "a first walk");
    let (again, _) = docdrift::model::doc_paths_listed(&site, &[], &remembered, std::time::Duration::ZERO);
    assert_eq!(again, plain, "a walk from remembered listings");
}

#[cfg(unix)]
#[test]
fn a_remembered_listing_serves_while_its_folder_is_unchanged() {
    use docdrift::model::{Entry, doc_paths_listed};
    let (_dir, site) = walk_site();
    let zero = std::time::Duration::ZERO;
    let (_, mut remembered) = doc_paths_listed(&site, &[], &Default::default(), zero);
    assert_eq!(remembered.len(), 3, "docs, docs/sub, docs/sub/deeper: {:?}", remembered.keys());
    // An entry only the remembered listing has shows that the folder was not read again.
    let sub = remembered.get_mut("docs/sub").expect("listed");
    sub.entries = sub.entries.iter().cloned().chain([("ghost.mdx".into(), Entry::Doc)]).collect();
    let (found, _) = doc_paths_listed(&site, &[], &remembered, zero);
    assert!(found.iter().any(|(p, m)| p == "docs/sub/ghost.mdx" && m.is_none()), "{found:?}");
    // Once the folder's stamp differs, it is read again.
    remembered.get_mut("docs/sub").expect("listed").stamp.ctime_ns -= 1;
    let (found, relisted) = doc_paths_listed(&site, &[], &remembered, zero);
    assert!(!found.iter().any(|(p, _)| p.ends_with("ghost.mdx")), "{found:?}");
    assert!(!relisted["docs/sub"].entries.iter().any(|(n, _)| n == "ghost.mdx"));
}

#[test]
fn a_folder_changed_just_before_the_walk_is_not_remembered() {
    let (_dir, site) = walk_site();
    let hour = std::time::Duration::from_secs(3600);
    let (found, remembered) = docdrift::model::doc_paths_listed(&site, &[], &Default::default(), hour);
    assert!(!found.is_empty());
    assert!(remembered.is_empty(), "{:?}", remembered.keys());
}

fn ids(heading_ids: &docdrift::str_list::StrList) -> Vec<&str> {
    heading_ids.iter().collect()
}

#[test]
fn copies_in_one_doc_set_share_their_field_uses_but_not_a_missing_reference() {
    // The same page in three versions of one doc set; version 0.9 has no Felix reference.
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs-fixtures/cases/config-field-unknown-diagnostics-copies");
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let config = root.join("docdrift.toml");
    let site = docdrift::site::Site::load(&root, Some(&config), &rules).expect("the site loads");
    let ix = docdrift::analysis::Index::new(docdrift::model::Model::build(site, &[]));
    let uses = |path: &str| {
        let i = ix.model.file_index(path).unwrap_or_else(|| panic!("{path} is a document"));
        ix.field_uses(i)
    };
    let (current, one, old) = (
        uses("acme/logging.mdx"),
        uses("acme_versioned_docs/version-1.0/logging.mdx"),
        uses("acme_versioned_docs/version-0.9/logging.mdx"),
    );
    assert_eq!(current.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["logSeverityScren"]);
    assert!(std::ptr::eq(current.as_ptr(), one.as_ptr()), "the copies extracted their uses twice");
    assert!(old.is_empty(), "a version without the reference kept uses checked against none: {old:?}");
}
