//! docdrift: lint and generate versioned MDX documentation for Docusaurus sites.
//!
//! The library does the work; `main.rs` only parses arguments and maps errors to exit codes.
//! Two phases, as in rumdl: every file is parsed into a [`doc::Document`] in parallel, then rules
//! read the whole [`model::Model`] (site plus documents) and push [`diag::Finding`]s.

pub mod analysis;
pub mod anchors;
pub mod baseline;
pub mod cli;
pub mod config_ref;
pub mod diag;
pub mod doc;
pub mod engine;
pub mod fields;
pub mod fix;
pub mod links;
pub mod model;
pub mod ports;
pub mod pr;
pub mod report;
pub mod routes;
pub mod rules;
pub mod shell;
pub mod site;
pub mod steps;
pub mod suppress;
