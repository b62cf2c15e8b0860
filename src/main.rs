use clap::Parser;
use std::process::ExitCode;

// The parser and the analyses make many small strings and vectors on every thread; with glibc's
// malloc, allocation was about a fifth of the parse. See the README's design notes.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    docdrift::cli::run(docdrift::cli::Cli::parse())
}
