//! What the benchmark examples share: the pulldown-cmark options they parse with.

/// GFM tables, strikethrough, task lists, footnotes and YAML front matter on, so that
/// pulldown-cmark reads the constructs docdrift reads (it has no MDX mode). `parse_bench` and
/// `pulldown_tree` both parse with these, so their figures are of the same parse.
pub fn options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}
