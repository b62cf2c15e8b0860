use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    docdrift::cli::run(docdrift::cli::Cli::parse())
}
