//! `docdrift drift --format html`: one self-contained page (inline CSS and script, no network,
//! no external assets) with each page's matrix and a side-by-side diff per differing block.
//! A matrix cell links to its diff; the diff opens on click and when the page is loaded with
//! its `#id`.

use super::{DriftReport, LEGEND, clip, describe, shown, symbol};
use std::fmt::Write as _;

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\
h2{font-size:1.1em;margin-top:2em}table.m{border-collapse:collapse;margin:.5em 0}\
table.m td,table.m th{border:1px solid #ccc;padding:2px 6px;text-align:center;font-family:monospace}\
table.m td.l{text-align:left;max-width:36em;overflow:hidden;white-space:nowrap;text-overflow:ellipsis}\
td.s-eq{background:#eef7ee}td.s-miss{background:#fdd}td.s-maybe{background:#fec}td.s-chg{background:#ffd}\
td.s-na{background:#eee;color:#888}td.s-acc{background:#def}a.c{text-decoration:none;color:inherit;display:block}\
details{margin:.4em 0;border:1px solid #ddd;padding:.3em .6em}details[open]{background:#fafafa}\
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:.6em}pre{white-space:pre-wrap;margin:0;padding:.4em;background:#fff;border:1px solid #eee}\
del{background:#fcc;text-decoration:none}ins{background:#cfc;text-decoration:none}.legend{color:#555}";

const SCRIPT: &str = "function openFromHash(){var h=location.hash.slice(1);if(!h)return;\
var d=document.getElementById(h);if(d&&d.tagName==='DETAILS'){d.open=true;d.scrollIntoView();}}\
window.addEventListener('hashchange',openFromHash);\
document.addEventListener('DOMContentLoaded',function(){openFromHash();\
document.querySelectorAll('a.c').forEach(function(a){a.addEventListener('click',function(){\
var d=document.getElementById(a.getAttribute('href').slice(1));if(d){d.open=true;}});});});";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(ch),
        }
    }
    out
}

fn class_of(sym: char) -> &'static str {
    match sym {
        '=' => "s-eq",
        '!' => "s-miss",
        '?' => "s-maybe",
        '~' => "s-chg",
        'a' => "s-acc",
        _ => "s-na",
    }
}

/// The two texts side by side, words removed on the left and added on the right marked.
fn side_by_side(old: &str, new: &str) -> String {
    let diff = similar::TextDiff::configure().algorithm(similar::Algorithm::Myers).diff_words(old, new);
    let (mut left, mut right) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        let v = esc(change.value());
        match change.tag() {
            similar::ChangeTag::Equal => {
                left.push_str(&v);
                right.push_str(&v);
            }
            similar::ChangeTag::Delete => {
                let _ = write!(left, "<del>{v}</del>");
            }
            similar::ChangeTag::Insert => {
                let _ = write!(right, "<ins>{v}</ins>");
            }
        }
    }
    format!("<div class=\"sbs\"><pre>{left}</pre><pre>{right}</pre></div>")
}

pub fn render(r: &DriftReport) -> String {
    let mut body = String::new();
    let mut pages = 0;
    for (p, page) in r.pages().enumerate() {
        pages += 1;
        let n = page.copies.len();
        let _ = writeln!(body, "<section><h2 id=\"p{p}\">{}</h2>", esc(&page.key));
        let _ = write!(body, "<table class=\"m\"><tr><th>section</th><th>block</th>");
        for c in 0..n {
            let _ = write!(body, "<th title=\"{}\">{}</th>", esc(r.path(page, c)), esc(&r.copy_name(page, c)));
        }
        body.push_str("</tr>\n");
        for (k, row) in page.rows.iter().enumerate() {
            if !r.all && !page.issues.iter().any(|i| i.row == k && shown(i)) {
                continue;
            }
            let _ = write!(
                body,
                "<tr><td class=\"l\">{}</td><td class=\"l\" title=\"{}\">{} {}</td>",
                esc(&clip(&row.section, 40)),
                esc(&row.text),
                row.kind.as_str(),
                esc(&clip(&row.text, 60))
            );
            for c in 0..n {
                let sym = symbol(page, k, c);
                let cls = class_of(sym);
                match page.issues.iter().position(|i| i.row == k && i.copy == c) {
                    Some(ix) if r.all || shown(&page.issues[ix]) => {
                        let _ = write!(body, "<td class=\"{cls}\"><a class=\"c\" href=\"#d{p}-{ix}\">{sym}</a></td>");
                    }
                    _ => {
                        let _ = write!(body, "<td class=\"{cls}\">{sym}</td>");
                    }
                }
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</table>\n");
        for (ix, i) in page.issues.iter().enumerate() {
            if !r.all && !shown(i) {
                continue;
            }
            let old = r.block_text(page, i.from, i.from_block);
            let new = i.changed.map_or("", |b| r.block_text(page, i.copy, b));
            let _ = writeln!(
                body,
                "<details id=\"d{p}-{ix}\"><summary>[{}] {}</summary><p>{} ({}) ⟷ {} ({})</p>{}</details>",
                i.class.as_str(),
                esc(&describe(r, page, i)),
                esc(&r.copy_name(page, i.from)),
                esc(r.path(page, i.from)),
                esc(&r.copy_name(page, i.copy)),
                esc(r.path(page, i.copy)),
                side_by_side(old, new)
            );
        }
        body.push_str("</section>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>docdrift drift report</title>\
<style>{STYLE}</style><script>{SCRIPT}</script></head>\n<body><h1>Drift between copies</h1>\
<p class=\"legend\">{} pages with copies, {pages} with drift. Legend: {}</p>\n{body}</body></html>\n",
        r.drift.pages_with_copies,
        esc(LEGEND)
    )
}
