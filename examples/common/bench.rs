//! What the benchmark examples share, so that their figures are of the same files and the same
//! parse: which files they read, and the pulldown-cmark options they parse with.

/// The `.md` and `.mdx` files `walk` finds outside `node_modules` (the documents docdrift
/// checks in a site), each with whether it is `.md`. Unreadable entries are said on standard
/// error and left out.
pub fn markdown_files(walk: walkdir::WalkDir) -> impl Iterator<Item = (walkdir::DirEntry, bool)> {
    walk.into_iter()
        .filter_entry(|e| e.file_name() != "node_modules")
        .filter_map(|entry| entry.map_err(|e| eprintln!("skipping an entry: {e}")).ok())
        .filter_map(|entry| {
            let ext = entry.path().extension()?;
            let md = ext == "md";
            (entry.file_type().is_file() && (md || ext == "mdx")).then_some((entry, md))
        })
}

/// GFM tables, strikethrough, task lists, footnotes and YAML front matter on, so that
/// pulldown-cmark reads the constructs docdrift reads (it has no MDX mode).
pub fn pulldown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}
