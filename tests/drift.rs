//! Drift fixtures: one small versioned site per class under `docs-fixtures/drift/<class>/`
//! (tail, hole, cross-product gap, stale copy, not applicable by facts, accepted difference).
//! Each is snapshotted as `docdrift drift --all` text and JSON; the hole case also as HTML.
//! The class each case is about must appear in its report, so a wrongly accepted snapshot
//! still fails.

use docdrift::analysis::Index;
use docdrift::analysis::drift::{self, Class};
use docdrift::engine;
use docdrift::model::Model;
use docdrift::report::drift::{DriftReport, html, json, text};
use docdrift::rules;
use docdrift::site::Site;
use std::path::{Path, PathBuf};

fn case(name: &str) -> (Model, drift::Drift) {
    let root: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs-fixtures/drift").join(name);
    let site = Site::load(&root, None, &rules::ids()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let index = Index::new(Model::build(site, &[]));
    let d = index.drift().clone();
    (index.into_model(), d)
}

fn snapshot(name: &str, expect: &[(Class, bool)]) {
    let (model, d) = case(name);
    for &(class, accepted) in expect {
        assert!(
            d.pages.iter().flat_map(|p| &p.issues).any(|i| i.class == class && i.accepted.is_some() == accepted),
            "{name}: no {class:?} issue (accepted: {accepted})"
        );
    }
    let r = DriftReport { model: &model, drift: &d, all: true };
    insta::assert_snapshot!(format!("drift-{name}-text"), text::render(&r));
    insta::assert_snapshot!(format!("drift-{name}-json"), json::render(&r));
}

#[test]
fn tail() {
    snapshot("tail", &[(Class::Tail, false)]);
}

#[test]
fn hole() {
    snapshot("hole", &[(Class::Hole, false)]);
    let (model, d) = case("hole");
    let r = DriftReport { model: &model, drift: &d, all: false };
    insta::assert_snapshot!("drift-hole-html", html::render(&r));
}

#[test]
fn cross_product_gap() {
    snapshot("cross-product-gap", &[(Class::Gap, false)]);
}

#[test]
fn stale_copy() {
    snapshot("stale-copy", &[(Class::Stale, false)]);
}

#[test]
fn not_applicable() {
    snapshot("not-applicable", &[(Class::Gap, false), (Class::Hole, false)]);
    let (_, d) = case("not-applicable");
    assert!(
        d.pages.iter().flat_map(|p| &p.issues).filter(|i| i.is_drift()).all(|i| i.applies == drift::Applies::No),
        "every drift issue of not-applicable must be ruled out by the facts"
    );
}

#[test]
fn accepted() {
    snapshot("accepted", &[(Class::Hole, true)]);
}

/// `check` with the drift rules left out (`--ignore drift`, or `off` in `[rules]`) does not
/// compute the drift of every page; with them on it does, and they report.
#[test]
fn drift_off_costs_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs-fixtures/cases/drift-missing-block-diagnostics");
    let load = || Index::new(Model::build(Site::load(&root, None, &rules::ids()).expect("fixture loads"), &[]));
    let index = load();
    let (findings, _) = engine::check_rules(&index, &|_| true, &|m| m.category.as_str() != "drift");
    assert!(findings.iter().all(|f| !f.rule.starts_with("drift/")), "{findings:?}");
    assert!(!index.drift_computed(), "drift computed with the drift rules left out");
    let index = load();
    let (findings, _) = engine::check_all(&index, &|_| true);
    assert!(findings.iter().any(|f| f.rule == "drift/missing-block"), "{findings:?}");
    assert!(index.drift_computed());
}
