//! The yardstick as a whole process: walk a tree, read every `.md`/`.mdx` file once and
//! parse it with pulldown-cmark (events, no model), with the options `parse_bench` uses
//! (`examples/common/bench.rs`).
//!
//! Usage: `pulldown_tree SITE [--read-only]`. With `--read-only` it walks and reads, and parses
//! nothing: the cost of reading the tree. `scripts/bench.sh` times both with wait4(2), as it
//! times `docdrift check`, so the whole check's CPU can be set against a process that only
//! parses the same tree, system time and start-up included on both sides: the yardstick of the
//! issue that set the speed goals, whose table put docdrift's CPU against such processes.
//!
//! The system allocator, not docdrift's jemalloc: with it this process was the faster of the
//! two on the tigera corpus (153 against 160 ms CPU, medians of 30 alternating runs), and the
//! faster yardstick is the stricter one.

#[path = "common/bench.rs"]
mod bench;

use std::hint::black_box;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: pulldown_tree SITE [--read-only]");
        std::process::exit(2);
    };
    let read_only = args.next().is_some_and(|a| a == "--read-only");
    let opts = bench::pulldown_options();
    let (mut files, mut events) = (0usize, 0usize);
    for (entry, _) in bench::markdown_files(walkdir::WalkDir::new(&root)) {
        let bytes = match std::fs::read(entry.path()) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("pulldown_tree: skipping {}: {e}", entry.path().display());
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        files += 1;
        if !read_only {
            events += pulldown_cmark::Parser::new_ext(&text, opts).count();
        }
        black_box(&text);
    }
    println!("files {files} events {events}");
}
