//! Output formats over one fixed set of findings: the bundled site's (`docs-fixtures/site`).
//!
//! Each format has its own snapshot (`snapshots/formats-*.snap`); SARIF is also validated
//! against the official SARIF 2.1.0 JSON schema (`../shared/reference/sarif-schema-2.1.0.json`,
//! with a copy of the schema's one regular expression that only ECMAScript accepts made
//! portable, see [`sarif_schema`]), and the GitHub workflow commands are parsed back the way the
//! runner reads them. The CLI test at the end checks that one run prints one format and writes
//! another with `--output`.

mod common;

use common::{MANIFEST_DIR, snapshot};
use docdrift::analysis::Index;
use docdrift::engine;
use docdrift::model::Model;
use docdrift::report::{Report, github, human, json, sarif};
use docdrift::site::Site;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SITE: &str = "docs-fixtures/site";
/// As if the site were checked in a repository whose root is this crate.
const PREFIX: &str = "docs-fixtures/site/";

fn with_report<T>(f: impl FnOnce(&Report) -> T) -> T {
    let root = Path::new(MANIFEST_DIR).join(SITE);
    let site = Site::load(&root, None, &docdrift::rules::ids()).expect("the fixture site loads");
    let index = Index::new(Model::build(site, &[]));
    let findings = engine::check(&index, &|_| true);
    let model = index.into_model();
    assert!(findings.len() >= 5, "the fixture site has seeded defects");
    let files = model.files.len();
    let report = Report { model: &model, findings: &findings, files, elapsed_ms: 0 };
    f(&report)
}

#[test]
fn human_format() {
    snapshot!("formats-human", with_report(|r| human::render(r, false)));
}

#[test]
fn json_format() {
    let out = with_report(json::render);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(v["findings"].as_array().is_some_and(|a| !a.is_empty()));
    snapshot!("formats-json", out);
}

/// Undo the runner's escaping (`%25`, `%0D`, `%0A`, and in properties `%3A`, `%2C`).
fn unescape(s: &str) -> String {
    s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_format() {
    let (out, expected) = with_report(|r| {
        let expected: Vec<(String, String, usize, usize, String)> = r
            .findings
            .iter()
            .map(|f| {
                let p = r.position(f);
                (
                    format!("{PREFIX}{}", r.model.files[f.file as usize].path),
                    f.rule.to_string(),
                    p.line,
                    p.column,
                    f.message.clone(),
                )
            })
            .collect();
        (github::render(r, PREFIX), expected)
    });
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len(), "one command per finding");
    for (line, (path, rule, l, c, message)) in lines.iter().zip(&expected) {
        // `::level props::message`, with no raw newline inside.
        let rest = line.strip_prefix("::").expect("a workflow command");
        let (head, data) = rest.split_once("::").expect("`::` before the message");
        let (level, props) = head.split_once(' ').expect("properties");
        assert!(["error", "warning", "notice"].contains(&level), "{line}");
        let props: Vec<(&str, String)> = props
            .split(',')
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("key=value");
                (k, unescape(v))
            })
            .collect();
        let get = |k: &str| props.iter().find(|(key, _)| *key == k).map(|(_, v)| v.clone()).unwrap_or_default();
        assert_eq!(
            props.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert_eq!(get("file"), *path);
        assert_eq!(get("title"), *rule);
        assert_eq!(get("line"), l.to_string());
        assert_eq!(get("col"), c.to_string());
        assert!(unescape(data).starts_with(message.as_str()), "the message comes first: {line}");
        assert!(!data.contains('\n') && !data.contains('\r'));
    }
    snapshot!("formats-github", out);
}

/// The official SARIF 2.1.0 schema. Its `run.language` pattern ends in `]?$`, an unescaped `]`
/// that ECMAScript reads as a literal but the Rust validator's regex check rejects; `\]` means
/// the same in both, so this copy escapes it. docdrift never writes `run.language`.
fn sarif_schema() -> Value {
    let path = Path::new(MANIFEST_DIR).join("../shared/reference/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bad = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(bad), "the schema's language pattern is as expected");
    serde_json::from_str(&text.replace(bad, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#))
        .expect("the schema is JSON")
}

fn schema_errors(validator: &jsonschema::Validator, v: &Value) -> Vec<String> {
    validator.iter_errors(v).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn sarif_format_is_valid_sarif_2_1_0() {
    let out = with_report(|r| sarif::render(r, PREFIX));
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    let validator = jsonschema::validator_for(&sarif_schema()).expect("the schema compiles");
    let errors = schema_errors(&validator, &v);
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));

    // The validator is not a yes-machine: a wrong level and a missing message fail.
    let mut broken = v.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["runs"][0]["results"][1].as_object_mut().unwrap().remove("message");
    assert!(schema_errors(&validator, &broken).len() >= 2, "the schema rejects broken SARIF");

    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), docdrift::rules::ALL.len(), "every rule is described");
    for (i, rule) in rules.iter().enumerate() {
        let meta = docdrift::rules::ALL[i].meta();
        assert_eq!(rule["id"], meta.id);
        assert_eq!(rule["help"]["markdown"], meta.doc_text(), "help is the rule's documentation");
    }
    for res in run["results"].as_array().expect("results") {
        let i = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(res["ruleId"], rules[i]["id"], "ruleIndex points at the rule");
        let uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(Path::new(MANIFEST_DIR).join(uri).is_file(), "{uri} is a file relative to the repository");
        assert!(res["partialFingerprints"]["docdriftContent/v1"].as_str().is_some_and(|f| f.len() == 16));
    }
    // The snapshot keeps the rules these results use, without their index (rules added to the
    // registry would shift it) and with only the first line of their help.
    let mut shown = v.clone();
    let used: Vec<Value> = run["results"].as_array().unwrap().iter().map(|r| r["ruleId"].clone()).collect();
    let driver = &mut shown["runs"][0]["tool"]["driver"];
    let kept: Vec<Value> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| used.contains(&r["id"]))
        .map(|r| {
            let mut r = r.clone();
            let first = r["help"]["text"].as_str().unwrap().lines().next().unwrap().to_string();
            r["help"] = serde_json::json!({ "text": format!("{first} […]"), "markdown": "[…]" });
            r
        })
        .collect();
    driver["rules"] = Value::Array(kept);
    for r in shown["runs"][0]["results"].as_array_mut().unwrap() {
        r.as_object_mut().unwrap().remove("ruleIndex");
    }
    snapshot!("formats-sarif", serde_json::to_string_pretty(&shown).unwrap());
}

/// One run: human on standard output, SARIF in a file (the format from the extension), and
/// `--output-format` for a name without one.
#[test]
fn cli_prints_one_format_and_writes_another() {
    let tmp = tempfile::tempdir().unwrap();
    let sarif_path = tmp.path().join("out.sarif");
    let bin = env!("CARGO_BIN_EXE_docdrift");
    let o = Command::new(bin)
        .args(["check", SITE, "--color", "never", "--output"])
        .arg(&sarif_path)
        .current_dir(MANIFEST_DIR)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let human_out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(human_out, with_report(|r| human::render(r, false)), "standard output is the human report");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let expected: Value = serde_json::from_str(&with_report(|r| sarif::render(r, PREFIX))).unwrap();
    assert_eq!(written, expected, "the file is the SARIF report, paths from the repository root");

    let gh_path = tmp.path().join("annotations");
    let o = Command::new(bin)
        .args(["check", SITE, "--format", "json", "--output-format", "github", "--output"])
        .arg(&gh_path)
        .current_dir(MANIFEST_DIR)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON on standard output");
    assert!(v["findings"].is_array());
    assert_eq!(std::fs::read_to_string(&gh_path).unwrap(), with_report(|r| github::render(r, PREFIX)));

    let o = Command::new(bin)
        .args(["check", SITE, "--output"])
        .arg(tmp.path().join("x.txt"))
        .current_dir(MANIFEST_DIR)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "no format for an unknown extension");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--output-format"));
}
