//! The command line: clap types and one file per subcommand. `main.rs` calls [`run`].

mod check;
mod explain;
mod init;
mod rules;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "docdrift", version, about = "Lint and generate versioned MDX documentation for Docusaurus sites")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check the site; report problems in PATHS (default: the whole site).
    Check(CheckArgs),
    /// List every rule with its category and default severity.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// A rule id, such as `syntax/explicit-heading-id`.
        rule: String,
    },
    /// Write a commented `docdrift.toml` describing what discovery finds.
    Init(InitArgs),
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to report on; the whole site is still modelled.
    pub paths: Vec<PathBuf>,
    /// The site root (default: the nearest folder upward with `docdrift.toml` or a Docusaurus
    /// config, else the single PATH given, else the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The configuration file (default: `docdrift.toml` at the root, if any).
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The site root (default: the current folder).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// Print to standard output instead of writing `docdrift.toml`.
    #[arg(long)]
    pub stdout: bool,
    /// Overwrite an existing `docdrift.toml`.
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// The rule table `docdrift rules` prints (the README embeds the same table).
pub fn rules_table() -> String {
    rules::table()
}

/// Exit codes: 0 clean, 1 error-level findings, 2 usage, configuration or internal error.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain { rule } => explain::run(&rule),
        Command::Init(args) => init::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("docdrift: {e:#}");
            ExitCode::from(2)
        }
    }
}
