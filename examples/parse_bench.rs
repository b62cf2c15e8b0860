//! Parser throughput: docdrift's MDX parser and pulldown-cmark on the same files, one thread.
//!
//! Usage: `cargo run --release --example parse_bench -- SITE [CONFIG]`
//!
//! Reads every `.md`/`.mdx` file under SITE (outside `node_modules`) into memory, then, REPS
//! times (environment, default 7), parses all of them with docdrift (with the site's parse
//! options when SITE loads as a site with CONFIG, the defaults otherwise) and then with
//! pulldown-cmark (GFM tables, strikethrough, task lists, footnotes and YAML front matter on,
//! so both read the same constructs; pulldown-cmark has no MDX mode). The two alternate, so a
//! burst of load on the machine hurts both alike.
//!
//! Time is the thread's own CPU time (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`) on Unix, wall
//! time elsewhere: on a machine shared with other jobs, CPU time is what the parser costs, and
//! wall time mostly measures the neighbours. Not `/proc/thread-self/schedstat`, which this
//! bench read before: on a VM it may advance only at the scheduler tick (every 4 ms on the one
//! it was measured on), a step of 4% of one pass over the tigera corpus, so the medians of the
//! two parsers differed by whole ticks.
//!
//! It prints one line per parser, `NAME MBPS median-MB/s min MBPS max MBPS clock cpu|wall`,
//! and a line `ratio R median-paired min R max R` of docdrift's rate over pulldown-cmark's
//! within each rep, which `scripts/bench.sh` reads. A measurement, not a test: nothing asserts
//! on the numbers.

#[path = "common/bench.rs"]
mod bench;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

// The binary's allocator (src/main.rs), so the parser is measured as `docdrift` runs it.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let mut args = std::env::args_os().skip(1);
    let Some(root) = args.next().map(PathBuf::from) else {
        eprintln!("usage: parse_bench SITE [CONFIG]");
        std::process::exit(2);
    };
    let config = args.next().map(PathBuf::from);
    let reps: usize = std::env::var("REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(7).max(1);

    let (opts, detect) = match docdrift::site::Site::load(&root, config.as_deref(), &docdrift::rules::ids()) {
        Ok(site) => (docdrift::model::parse_options(&site), site.settings.format_detect),
        Err(e) => {
            eprintln!(
                "parse_bench: {} does not load as a site ({e}); parsing with the default options",
                root.display()
            );
            (Default::default(), false)
        }
    };
    let commonmark = docdrift::doc::ParseOptions { commonmark: true, ..opts.clone() };

    let mut files: Vec<(String, bool)> = Vec::new();
    for (entry, md) in bench::markdown_files(walkdir::WalkDir::new(&root).sort_by_file_name()) {
        let path = entry.path();
        match std::fs::read(path) {
            Ok(bytes) => files.push((String::from_utf8_lossy(&bytes).into_owned(), md && detect)),
            Err(e) => eprintln!("parse_bench: skipping {}: {e}", path.display()),
        }
    }
    let bytes: usize = files.iter().map(|(t, _)| t.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("files {} bytes {bytes}", files.len());

    let pulldown_opts = bench::pulldown_options();

    let clock = Clock::new();
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..reps {
        let t = clock.now();
        for (text, md) in &files {
            let doc = docdrift::doc::parse(text, if *md { &commonmark } else { &opts });
            black_box(&doc);
        }
        ours.push(mb / clock.since(t));

        let t = clock.now();
        for (text, _) in &files {
            let events = pulldown_cmark::Parser::new_ext(text, pulldown_opts).count();
            black_box(events);
        }
        theirs.push(mb / clock.since(t));
    }
    // Each rep's two passes ran back to back, so their ratio cancels most of what the machine
    // did to both: its spread is the bench's own noise.
    let mut ratios: Vec<f64> = ours.iter().zip(&theirs).map(|(o, t)| o / t).collect();
    ratios.sort_by(f64::total_cmp);
    for (name, mut rates) in [("docdrift", ours), ("pulldown-cmark", theirs)] {
        rates.sort_by(f64::total_cmp);
        println!(
            "{name} {:.1} median-MB/s min {:.1} max {:.1} clock {}",
            rates[rates.len() / 2],
            rates[0],
            rates[rates.len() - 1],
            clock.name()
        );
    }
    println!(
        "ratio {:.3} median-paired min {:.3} max {:.3}",
        ratios[ratios.len() / 2],
        ratios[0],
        ratios[ratios.len() - 1]
    );
}

/// The calling thread's CPU time where the system has a clock for it, wall time otherwise.
struct Clock {
    start: Instant,
}

impl Clock {
    fn new() -> Clock {
        Clock { start: Instant::now() }
    }

    fn name(&self) -> &'static str {
        if thread_cpu_ns().is_some() { "cpu" } else { "wall" }
    }

    /// Seconds on this clock.
    fn now(&self) -> f64 {
        match thread_cpu_ns() {
            Some(ns) => ns as f64 / 1e9,
            None => self.start.elapsed().as_secs_f64(),
        }
    }

    fn since(&self, t: f64) -> f64 {
        (self.now() - t).max(1e-9)
    }
}

/// Nanoseconds this thread has spent on a CPU. The kernel counts the running slice up to the
/// call, so it is exact to the microsecond, not to the tick. Through libc, not rustix: rustix
/// reads the vDSO itself, which crashes under valgrind, and this bench is what gets profiled.
#[cfg(unix)]
fn thread_cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a timespec the call may write, and the clock id is the constant for it.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

#[cfg(not(unix))]
fn thread_cpu_ns() -> Option<u64> {
    None
}
