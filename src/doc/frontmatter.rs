use crate::diag::Span;
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter { pub span: Span }
