//! Cross-file analyses: each reads the whole model and computes facts that rules and reports
//! share. Parsing is the model's job; judging and reporting are the rules' and reports'.

pub mod drift;
