//! docdrift: lint and generate versioned MDX documentation for Docusaurus sites.
//!
//! The library does the work; `main.rs` only parses arguments and maps errors to exit codes.
//! Two phases, as in rumdl: every file is parsed into a [`doc::Document`] in parallel, then rules
//! read the whole [`model::Model`] (site plus documents) through [`analysis::Index`] (the
//! cross-file analyses, cached) and push [`diag::Finding`]s.
//!
//! Modules form layers that import only downward, bottom first: `diag`; `doc`, `site`; `model`;
//! `analysis`; `baseline`, `snippets`, `rules`, `suppress`, `engine`, `fix`, `pr`, `report`; `cli`.
//! `tests/architecture.rs` enforces the order (README, "Design notes", draws it).

pub mod analysis;
pub mod baseline;
pub mod cli;
pub mod diag;
pub mod doc;
pub mod engine;
pub mod fix;
pub mod model;
pub mod one_or_many;
pub mod pr;
pub mod report;
pub mod rules;
pub mod site;
pub mod snippets;
pub mod str_list;
pub mod suppress;
