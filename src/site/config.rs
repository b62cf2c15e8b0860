#[derive(Debug, Clone, Default)]
pub struct Config;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleLevel { Off, Info, Warning, Error }
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);
