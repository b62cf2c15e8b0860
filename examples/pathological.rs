//! Pathological-input benchmark: each hostile input at size n and 2n, timed through the MDX
//! parser and through `check` on a one-file site. Time should double (ratio near 2) when the
//! input doubles, and no file of 1 MB or less should take over 100 ms.
//!
//! Run: `cargo run --release --example pathological` (add a case name to run only matching
//! cases). Not a test: timings depend on the machine.

use std::time::{Duration, Instant};

struct Case {
    name: &'static str,
    /// Builds the file for a size parameter.
    build: fn(usize) -> String,
    n: usize,
}

fn rep(s: &str, n: usize) -> String {
    s.repeat(n)
}

fn cases() -> Vec<Case> {
    vec![
        Case { name: "jsx-expr-nested-parens", build: |n| format!("{{{}}}\n", rep("(", n)), n: 30_000 },
        Case { name: "expr-paren-brace", build: |n| format!("{{{}\n", rep("({", n / 2)), n: 8_192 },
        Case { name: "expr-paren-brace-text", build: |n| format!("a {}\n", rep("({", n / 2)), n: 8_192 },
        Case { name: "blockquotes-nested", build: |n| format!("{} x\n", rep(">", n)), n: 10_000 },
        Case {
            name: "blockquotes-nested-lines",
            build: |n| (1..=n).map(|i| format!("{} x\n", rep(">", i % 200 + 1))).collect(),
            n: 5_000,
        },
        Case { name: "lists-nested", build: |n| (0..n).map(|i| format!("{}- x\n", rep("  ", i))).collect(), n: 1_000 },
        Case {
            name: "lists-indented-2000",
            build: |n| (0..n).map(|i| format!("{}- item {i}\n", rep(" ", i * 2 % 4000))).collect(),
            n: 2_000,
        },
        Case { name: "list-markers-one-line", build: |n| format!("{}x\n", rep("- ", n)), n: 10_000 },
        Case { name: "jsx-nested-flow", build: |n| format!("{}\n{}", rep("<div>\n", n), rep("</div>\n", n)), n: 5_000 },
        Case { name: "jsx-nested-inline", build: |n| format!("{}x{}\n", rep("<b>", n), rep("</b>", n)), n: 5_000 },
        Case { name: "jsx-attr-expr-nested", build: |n| format!("<A b={{{}}} />\n", rep("[", n)), n: 10_000 },
        Case {
            name: "directives-nested",
            build: |n| (0..n).map(|i| format!("{}note\n", rep(":", n + 3 - i))).collect(),
            n: 500,
        },
        Case {
            name: "directives-container-2000",
            build: |n| (0..n).map(|_| ":::note\n").collect::<String>() + &rep(":::\n", n),
            n: 2_000,
        },
        Case { name: "directives-sequential", build: |n| rep(":::note\ntext\n:::\n\n", n), n: 5_000 },
        Case { name: "link-brackets", build: |n| format!("[{}](x)\n", rep("[", n)), n: 10_000 },
        Case { name: "link-brackets-close", build: |n| format!("{}x{}\n", rep("[", n), rep("](y)", n)), n: 5_000 },
        Case { name: "images-nested", build: |n| format!("{}\n", rep("![", n)), n: 10_000 },
        Case { name: "emphasis-stars", build: |n| format!("{}\n", rep("*a ", n)), n: 20_000 },
        Case { name: "emphasis-underscores-mixed", build: |n| format!("{}\n", rep("_a* ", n)), n: 20_000 },
        Case {
            name: "code-backticks",
            build: |n| (1..=n).map(|i| rep("`", i % 50 + 1) + "x ").collect::<String>() + "\n",
            n: 5_000,
        },
        Case { name: "lt-unclosed", build: |n| format!("{}\n", rep("<a ", n)), n: 10_000 },
        Case { name: "braces-unclosed-lines", build: |n| rep("{\n", n), n: 10_000 },
        Case { name: "html-comments-open", build: |n| rep("<!-- ", n), n: 10_000 },
        Case { name: "table-rows", build: |n| format!("| a | b |\n| - | - |\n{}", rep("| x | y |\n", n)), n: 20_000 },
        Case { name: "table-wide", build: |n| format!("{}|\n{}|\n", rep("| a ", n), rep("| - ", n)), n: 5_000 },
        Case { name: "headings", build: |n| rep("## Heading {#id}\n\n", n), n: 10_000 },
        Case {
            name: "definitions",
            build: |n| {
                (0..n).map(|i| format!("[l{i}]: /x\n")).collect::<String>()
                    + &(0..n).map(|i| format!("[l{i}] ")).collect::<String>()
            },
            n: 10_000,
        },
        Case { name: "autolinks", build: |n| rep("www.example.com/a_b_c ", n), n: 20_000 },
        Case {
            name: "front-matter-long",
            build: |n| format!("---\n{}---\n# x\n", (0..n).map(|i| format!("k{i}: v\n")).collect::<String>()),
            n: 10_000,
        },
        Case {
            name: "esm-imports",
            build: |n| (0..n).map(|i| format!("import A{i} from './a{i}';\n")).collect::<String>() + "\n# x\n",
            n: 5_000,
        },
        Case { name: "multibyte-lt", build: |n| rep("é<\u{fffd}<[é](", n), n: 10_000 },
        Case { name: "var-tokens", build: |n| rep("$[prodname] $[", n), n: 20_000 },
        Case {
            name: "code-fence-shell",
            build: |n| {
                format!("```bash\n{}```\n", rep("kubectl apply -f a.yaml && echo $(( ( ( 1 ) ) )) | grep x \\\n", n))
            },
            n: 5_000,
        },
    ]
}

fn time_parse(text: &str) -> Duration {
    let t = Instant::now();
    let d = docdrift::doc::parse(text, &Default::default());
    std::hint::black_box(&d);
    t.elapsed()
}

fn best_of(f: impl Fn() -> Duration) -> Duration {
    (0..3).map(|_| f()).min().unwrap_or_default()
}

fn main() {
    let filter = std::env::args().nth(1);
    println!("{:<30} {:>9} {:>10} {:>9} {:>10} {:>6}", "case", "bytes n", "time n", "bytes 2n", "time 2n", "ratio");
    let mut worst = Duration::ZERO;
    for c in cases() {
        if filter.as_deref().is_some_and(|f| !c.name.contains(f)) {
            continue;
        }
        let (a, b) = ((c.build)(c.n), (c.build)(2 * c.n));
        let (ta, tb) = (best_of(|| time_parse(&a)), best_of(|| time_parse(&b)));
        if b.len() <= 1 << 20 {
            worst = worst.max(tb);
        }
        let ratio = tb.as_secs_f64() / ta.as_secs_f64().max(1e-9);
        println!(
            "{:<30} {:>9} {:>8.2}ms {:>9} {:>8.2}ms {:>6.2}",
            c.name,
            a.len(),
            ta.as_secs_f64() * 1e3,
            b.len(),
            tb.as_secs_f64() * 1e3,
            ratio
        );
    }
    println!("slowest file of 1 MB or less: {:.2} ms", worst.as_secs_f64() * 1e3);
}
