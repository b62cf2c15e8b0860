//! The command line: clap types and one file per subcommand. `main.rs` calls [`run`].
//!
//! The top layer: it may use every other module and none uses it. The work itself is left to
//! the library below (model, analyses, engine, reports).

mod check;
mod drift;
mod explain;
mod init;
mod routes;
mod rules;
mod select;
mod snippets;

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
    Check(Box<CheckArgs>),
    /// Report what changed in some copies of a page (versions, doc sets) and not in others.
    Drift(DriftArgs),
    /// List every rule with its category and default severity.
    Rules(RulesArgs),
    /// Print a rule's documentation.
    Explain {
        /// A rule id, such as `syntax/explicit-heading-id`.
        rule: String,
    },
    /// Write a commented `docdrift.toml` describing what discovery finds.
    Init(InitArgs),
    /// List every route docdrift knows for the site (each URL path a link can land on), sorted.
    Routes(RoutesArgs),
    /// Render per-version snippets from `.docdrift/snippets/` (generate, check, show, list).
    Snippets(SnippetsArgs),
}

#[derive(clap::Args, Debug)]
pub struct SnippetsArgs {
    /// The site root (default: the nearest folder upward with `docdrift.toml` or a Docusaurus
    /// config, else the current folder).
    #[arg(long, global = true)]
    pub root: Option<PathBuf>,
    /// The configuration file (default: `docdrift.toml` at the root, if any).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: SnippetsCommand,
}

#[derive(Subcommand, Debug)]
pub enum SnippetsCommand {
    /// Write one partial per doc-set version where a snippet applies (only files that change).
    Generate {
        /// Write nothing; exit 1 when a generated file is missing, stale or edited by hand.
        #[arg(long)]
        check: bool,
    },
    /// Print one rendering, or say on standard error why the snippet does not apply there.
    Show {
        /// The snippet name (its file name without `.mdx`).
        name: String,
        /// The doc set id (`calico`).
        #[arg(long)]
        doc_set: String,
        /// The version as the config names it (`3.31`, `current`).
        #[arg(long)]
        version: String,
    },
    /// List the snippet sources and where each applies.
    List,
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
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Also write the report to FILE (in `--output-format`; by default `sarif` for `.sarif`,
    /// `json` for `.json`), while standard output gets `--format`.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The format of `--output`.
    #[arg(long, value_enum, requires = "output")]
    pub output_format: Option<CheckFormat>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// PR mode: these files changed (relative to the current folder, as pre-commit passes
    /// them). Reports their findings and the findings the change causes in other files, such as
    /// links to a renamed heading; the whole site is still modelled.
    #[arg(long, num_args = 1.., value_name = "FILE", conflicts_with_all = ["diff_base", "paths"])]
    pub changed: Vec<PathBuf>,
    /// PR mode: what changed since the merge base of REF and HEAD (`git diff --merge-base REF`,
    /// working tree included). Reports findings on changed lines and those the change causes
    /// elsewhere.
    #[arg(long, value_name = "REF", conflicts_with = "paths")]
    pub diff_base: Option<String>,
    /// Hide the findings recorded in this baseline (see `--write-baseline`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE, so that later runs with `--baseline FILE` report
    /// only new ones. Exits 0.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["fix", "diff"])]
    pub write_baseline: Option<PathBuf>,
    /// Apply the fixes that are unambiguous, repeatedly until none applies, then report what
    /// remains.
    #[arg(long)]
    pub fix: bool,
    /// Print the fixes `--fix` would apply as a unified diff, without writing anything.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// PR mode: do not read or write the per-file index cache (`$DOCDRIFT_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/docdrift`, else `~/.cache/docdrift`).
    #[arg(long)]
    pub no_cache: bool,
    /// Report only these rules or categories (comma-separated, repeatable): `anchor`,
    /// `link/broken`. Default: every rule the configuration leaves on.
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Do not report these rules or categories (comma-separated, repeatable).
    #[arg(long, value_name = "RULE|CATEGORY", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print only the findings: no summary, no notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
    /// Exit 0 even when findings are reported (2 still means a usage or internal error).
    #[arg(long)]
    pub exit_zero: bool,
    /// Exit 1 when findings at this level or above are reported.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = ErrorOn::Error)]
    pub error_on: ErrorOn,
    /// Exit 1 when more than N warnings are reported (errors still fail the run).
    #[arg(long, value_name = "N")]
    pub max_warnings: Option<usize>,
    /// Threads for reading, parsing and checking (default: one per core; PR mode works on one
    /// thread until it has hundreds of files to parse).
    #[arg(long, short, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// No colour (the same as `--color never` or `NO_COLOR=1`).
    #[arg(long, conflicts_with = "color")]
    pub no_color: bool,
}

/// `--error-on`: the lowest level that makes `check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ErrorOn {
    Error,
    Warning,
    Info,
}

#[derive(clap::Args, Debug)]
pub struct DriftArgs {
    /// Files or folders whose pages to report on (default: every page with copies).
    pub paths: Vec<PathBuf>,
    /// The site root (as for `check`).
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The configuration file (default: `docdrift.toml` at the root, if any).
    #[arg(long)]
    pub config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = DriftFormat::Text)]
    pub format: DriftFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also show differences that are not drift (blocks added or removed in newer versions).
    #[arg(long)]
    pub all: bool,
}

/// Output formats of `drift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DriftFormat {
    Text,
    Json,
    /// One self-contained page: matrices and side-by-side diffs.
    Html,
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

#[derive(clap::Args, Debug)]
pub struct RoutesArgs {
    /// The site, or a folder inside it (default: the current folder).
    pub path: Option<PathBuf>,
    /// The configuration file (default: `docdrift.toml` at the root, if any).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// `json`: objects `{route, kind, source}`.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Human,
    Json,
    /// GitHub Actions workflow commands (pull request annotations).
    Github,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
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
        Command::Check(args) => check::run(*args),
        Command::Drift(args) => drift::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Explain { rule } => explain::run(&rule),
        Command::Init(args) => init::run(args),
        Command::Routes(args) => routes::run(args),
        Command::Snippets(args) => snippets::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("docdrift: {e:#}");
            ExitCode::from(2)
        }
    }
}
