use clap::Parser;
use std::process::ExitCode;

// The parser and the analyses make many small strings and vectors on every thread; with glibc's
// malloc, allocation was about a fifth of the parse. See the README's design notes.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// jemalloc's options, read when it starts (its `malloc_conf`, under the `_rjem_` prefix
// tikv-jemalloc-sys gives its symbols). `tcache_max:4096`: each thread caches freed blocks of
// up to 4 KiB for its next allocations, not up to 32 KiB. A whole check frees texts, scratch
// lists and tables of 4 to 32 KiB on one thread that another thread's next phase could have
// used; cached, they stayed out of reach. On the tigera corpus the peak is 0.9 MiB lower
// with it, and the CPU the same (20 alternating runs each). `_RJEM_MALLOC_CONF` still
// overrides it. `tests/cli.rs` checks that jemalloc reads it.
#[cfg(not(target_env = "msvc"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8; 16] = b"tcache_max:4096\0";

fn main() -> ExitCode {
    docdrift::cli::run(docdrift::cli::Cli::parse())
}
