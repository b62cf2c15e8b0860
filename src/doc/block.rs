//! Block structure (placeholder while the parser is written).
use super::{Document, ParseOptions};
pub(super) fn parse_document(_text: &str, _opts: &ParseOptions, _doc: &mut Document) {}
