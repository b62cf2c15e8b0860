//! The site model: each distinct text is parsed once, and its copies share the result.

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
    assert!(Arc::ptr_eq(&a.text, &b.text) && Arc::ptr_eq(&a.lines, &b.lines));
    assert!(!Arc::ptr_eq(&a.doc, &c.doc));
    assert_eq!(a.doc.links.len(), 1);
    assert_eq!(c.doc.links.len(), 0);
    assert_eq!((a.path.as_str(), b.path.as_str()), ("docs/a.mdx", "docs/b.mdx"));
    assert_eq!(a.heading_ids, ["install"]);
    assert_eq!(b.heading_ids, ["install"]);
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
    assert_eq!(next.heading_ids, ["setup", "install-widget-next", "upgrade"]);
    assert_eq!(one.heading_ids, ["setup", "install-widget-one", "upgrade"]);
}
