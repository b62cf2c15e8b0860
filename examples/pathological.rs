//! Pathological-input benchmark: each hostile input at sizes n, 2n and 4n, timed through
//! `check` on a one-file site (load, parse, every analysis and rule) or, with `--parse`, through
//! the MDX parser alone. Time should double (ratio near 2) when the input doubles, and no file
//! of 1 MB or less should take over 100 ms.
//!
//! Run: `cargo run --release --example pathological [--parse] [NAME...]` (names select the
//! cases whose name contains one of them). Not a test: timings depend on the machine.

use std::path::Path;
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
        Case { name: "lists-nested", build: |n| (0..n).map(|i| format!("{}- x\n", rep("  ", i))).collect(), n: 250 },
        Case {
            name: "lists-indented-2000",
            build: |n| (0..n).map(|i| format!("{}- item {i}\n", rep(" ", i * 2 % 4000))).collect(),
            n: 500,
        },
        Case { name: "list-markers-one-line", build: |n| format!("{}x\n", rep("- ", n)), n: 10_000 },
        Case { name: "jsx-nested-flow", build: |n| format!("{}\n{}", rep("<div>\n", n), rep("</div>\n", n)), n: 5_000 },
        Case { name: "jsx-nested-inline", build: |n| format!("{}x{}\n", rep("<b>", n), rep("</b>", n)), n: 5_000 },
        Case { name: "jsx-attr-expr-nested", build: |n| format!("<A b={{{}}} />\n", rep("[", n)), n: 10_000 },
        Case {
            name: "directives-nested",
            build: |n| (0..n).map(|i| format!("{}note\n", rep(":", n + 3 - i))).collect(),
            n: 250,
        },
        Case {
            name: "directives-container-2000",
            build: |n| (0..n).map(|_| ":::note\n").collect::<String>() + &rep(":::\n", n),
            n: 500,
        },
        Case { name: "directives-open-deep", build: |n| rep(":::note\n", n), n: 32_768 },
        Case { name: "jsx-flow-open-deep", build: |n| rep("<div>\n", n), n: 43_690 },
        Case { name: "jsx-attr-links", build: |n| rep("<img src=\"/a.png\" />\n", n), n: 10_000 },
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
        Case { name: "link-open-paren", build: |n| rep("[a](", n), n: 100_000 },
        Case { name: "link-open-paren-lines", build: |n| rep("[a](\n", n), n: 50_000 },
        Case { name: "link-title-unclosed", build: |n| format!("{}[b](y)\n", rep("[a](x (", n)), n: 20_000 },
        Case { name: "links-after-brackets", build: |n| format!("{}{}\n", rep("[", n), rep("[a](x) ", n)), n: 5_000 },
        Case { name: "links-and-autolinks", build: |n| format!("{}\n", rep("[a](x) www.a.com ", n)), n: 5_000 },
        Case {
            name: "tabitems-code",
            build: |n| {
                let item = |i: usize| {
                    format!("<TabItem value=\"v{i}\">\n\n```bash\nkubectl apply -f a{i}.yaml\n```\n\n</TabItem>\n")
                };
                format!("<Tabs>\n{}</Tabs>\n", (0..n).map(item).collect::<String>())
            },
            n: 2_000,
        },
        Case {
            name: "tabitems-nested-code",
            build: |n| {
                format!(
                    "<Tabs>\n<TabItem value=\"a\">\n\n{}</TabItem>\n</Tabs>\n{}",
                    rep("```bash\nkubectl apply -f a.yaml\n```\n\n", n),
                    rep("<Tabs>\n<TabItem value=\"b\">\nx\n</TabItem>\n</Tabs>\n", n)
                )
            },
            n: 2_000,
        },
        Case {
            name: "code-in-one-list-item",
            build: |n| format!("1. Step\n\n{}", rep("   ```bash\n   kubectl get pods\n   ```\n\n", n)),
            n: 2_000,
        },
        Case {
            name: "defs-in-directives",
            build: |n| (0..n).map(|i| format!(":::note\n\n[l{i}]: /x\n\n:::\n\ntext [l{i}]\n\n")).collect(),
            n: 2_000,
        },
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

/// `check` on a site whose only page is `text`: what one file costs a run.
fn time_check(dir: &Path, text: &str) -> Duration {
    let page = dir.join("docs/page.mdx");
    std::fs::write(&page, text).expect("write the page");
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let t = Instant::now();
    let site = docdrift::site::Site::load(dir, None, &rules).expect("a one-page site");
    let index = docdrift::analysis::Index::new(docdrift::model::Model::build(site, &[]));
    let (findings, crashes) = docdrift::engine::check_all(&index, &|_| true);
    let el = t.elapsed();
    assert!(crashes.is_empty(), "{crashes:?}");
    std::hint::black_box(findings);
    el
}

/// The best of three runs (of one, when that takes over a second).
fn best_of(mut f: impl FnMut() -> Duration) -> Duration {
    let first = f();
    if first > Duration::from_secs(1) {
        return first;
    }
    (0..2).map(|_| f()).fold(first, Duration::min)
}

fn main() {
    let mut parse_only = false;
    let mut filters = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--parse" {
            parse_only = true;
        } else {
            filters.push(a);
        }
    }
    let dir = std::env::temp_dir().join(format!("docdrift-pathological-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("docs")).expect("a temporary site");
    println!(
        "{} per case at n, 2n, 4n (bytes, ms) and how time grows per doubling of the bytes",
        if parse_only { "parse" } else { "check" }
    );
    println!(
        "{:<28} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>6} {:>6}",
        "case", "bytes n", "ms", "bytes 2n", "ms", "bytes 4n", "ms", "2n/n", "4n/2n"
    );
    let mut worst = (Duration::ZERO, "");
    for c in cases() {
        if !filters.is_empty() && !filters.iter().any(|f| c.name.contains(f.as_str())) {
            continue;
        }
        let mut row = Vec::new();
        for k in [1, 2, 4] {
            let text = (c.build)(k * c.n);
            let t = if parse_only { best_of(|| time_parse(&text)) } else { best_of(|| time_check(&dir, &text)) };
            if text.len() <= 1 << 20 && t > worst.0 {
                worst = (t, c.name);
            }
            row.push((text.len(), t.as_secs_f64() * 1e3));
        }
        // Time's growth per doubling of the bytes (some inputs grow faster than n).
        let ratio = |(ba, ta): (usize, f64), (bb, tb): (usize, f64)| {
            (tb / ta.max(1e-6)).powf(std::f64::consts::LN_2 / (bb as f64 / ba as f64).ln())
        };
        println!(
            "{:<28} {:>9} {:>9.2} {:>9} {:>9.2} {:>9} {:>9.2} {:>6.2} {:>6.2}",
            c.name,
            row[0].0,
            row[0].1,
            row[1].0,
            row[1].1,
            row[2].0,
            row[2].1,
            ratio(row[0], row[1]),
            ratio(row[1], row[2])
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("slowest file of 1 MB or less: {:.2} ms ({})", worst.0.as_secs_f64() * 1e3, worst.1);
}
