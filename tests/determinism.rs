//! Output is byte-identical across runs and thread counts: findings are sorted (see
//! `engine`), and nothing else may depend on scheduling. Every format, on the fixture site.

use std::process::Command;

fn run(format: &str, threads: &str) -> (Vec<u8>, Vec<u8>, Option<i32>) {
    let o = Command::new(env!("CARGO_BIN_EXE_docdrift"))
        .args(["check", "docs-fixtures/site", "--format", format])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", threads)
        .env("NO_COLOR", "1")
        .output()
        .expect("the docdrift binary runs");
    (o.stdout, o.stderr, o.status.code())
}

/// The JSON report holds the run's duration: the only part allowed to differ.
fn without_timing(out: Vec<u8>) -> String {
    let s = String::from_utf8(out).expect("UTF-8 output");
    let re = regex::Regex::new(r#""elapsed_ms":\s*[0-9.]+"#).expect("a valid pattern");
    re.replace_all(&s, r#""elapsed_ms":0"#).into_owned()
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    for format in ["human", "json", "github", "sarif"] {
        let first = run(format, "1");
        assert!(!first.0.is_empty(), "{format}: no output");
        for threads in ["2", "1", "2"] {
            let next = run(format, threads);
            assert_eq!(without_timing(first.0.clone()), without_timing(next.0), "{format}, {threads} threads: stdout");
            assert_eq!(without_timing(first.1.clone()), without_timing(next.1), "{format}, {threads} threads: stderr");
            assert_eq!(first.2, next.2, "{format}, {threads} threads: exit code");
        }
    }
}
