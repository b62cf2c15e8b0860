//! Cross-file analyses: what the parsed site means beyond one file.
//!
//! Each analysis is its own module and reads the [`crate::model::Model`] (site, parsed files,
//! routes, the partial render graph); none of them is reached from below. Inside this folder
//! imports go one way, in this order (a module may use the ones before it):
//! [`shell`] (commands in shell code blocks) → [`anchors`] (the ids a reader can land on) →
//! [`config_ref`] (configuration reference packs) → [`fields`] (configuration fields the docs
//! use) → [`ports`] (port claims) → [`links`] (where every link lands) → [`steps`] (the step
//! model of a guide).
//! Rules and findings are left to [`crate::rules`].

pub mod anchors;
pub mod config_ref;
pub mod fields;
pub mod links;
pub mod ports;
pub mod shell;
pub mod steps;
