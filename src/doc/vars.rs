use super::VarToken;
pub(super) fn scan(_text: &str) -> Vec<VarToken> { Vec::new() }
