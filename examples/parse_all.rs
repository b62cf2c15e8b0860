// Scratch: parse every file under a folder and print counts and timing.
use std::time::Instant;
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let files: Vec<_> = walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "mdx" || x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect();
    let t = Instant::now();
    let (mut h, mut l, mut c, mut j, mut e) = (0, 0, 0, 0, 0);
    for (f, s) in files.iter().zip(&texts) {
        let d = docdrift::doc::parse(s, &Default::default());
        h += d.headings.len();
        l += d.links.len();
        c += d.code_blocks.len();
        j += d.jsx.len();
        e += d.mdx_errors.len();
        for err in &d.mdx_errors {
            if std::env::var("SHOW").is_ok() {
                println!("{}: {} {:?}", f.display(), err.reason, err.span);
            }
        }
    }
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let el = t.elapsed();
    println!(
        "{} files {:.1} MB in {:?} ({:.0} MB/s): headings {h} links {l} code {c} jsx {j} errors {e}",
        files.len(),
        bytes as f64 / 1e6,
        el,
        bytes as f64 / 1e6 / el.as_secs_f64()
    );
}
