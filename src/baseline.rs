//! Baselines: adopt docdrift on a large site without fixing everything first.
//!
//! `--write-baseline FILE` records every current finding; `--baseline FILE` then hides the
//! findings it records, so only new problems are reported. A finding is keyed by its rule, its
//! file and a fingerprint of its content (the trimmed text of the line it starts on and the
//! text it covers), never by line number, so a baseline survives edits elsewhere in the file.
//! Identical keys are counted: a file with two baselined copies of a problem and a third new
//! one reports the third.
//!
//! The same [`fingerprint`] is SARIF's `partialFingerprints` value, so code scanning tracks a
//! finding across commits the same way.

use crate::diag::Finding;
use crate::model::Model;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The file format. `docdrift_baseline` is the format version.
#[derive(Serialize, Deserialize, Debug, Default, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub docdrift_baseline: u32,
    pub findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    /// Relative to the site root, with `/`.
    pub path: String,
    /// See [`fingerprint`].
    pub fingerprint: String,
    /// How many findings share this key.
    pub count: u32,
    /// The message when the baseline was written, for people reading the file; not part of
    /// the key.
    pub message: String,
}

pub const FORMAT_VERSION: u32 = 1;

/// A stable 16-hex-digit fingerprint of a finding's content: FNV-1a (64 bit) over the rule, the
/// trimmed text of the line the finding starts on, and the text the finding covers. The path is
/// not part of it (SARIF keeps the path beside the fingerprint, and so does [`Entry`]).
pub fn fingerprint(model: &Model, f: &Finding) -> String {
    let file = &model.files[f.file as usize];
    let text = &file.text;
    let line0 = file.lines().line_of(f.span.start.min(text.len() as u32));
    let line = if text.is_empty() { "" } else { file.lines().line_text(text, line0).trim() };
    let covered = text.get(f.span.range()).unwrap_or("");
    let mut h = Fnv::default();
    h.write(f.rule.as_bytes());
    h.write(&[0]);
    h.write(line.as_bytes());
    h.write(&[0]);
    h.write(covered.as_bytes());
    format!("{:016x}", h.0)
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// The baseline that records `findings`.
pub fn build(model: &Model, findings: &[Finding]) -> Baseline {
    let mut counts: HashMap<(String, String, String), (u32, String)> = HashMap::new();
    for f in findings {
        let key = (f.rule.to_string(), model.files[f.file as usize].path.clone(), fingerprint(model, f));
        counts.entry(key).or_insert((0, f.message.clone())).0 += 1;
    }
    let mut entries: Vec<Entry> = counts
        .into_iter()
        .map(|((rule, path, fingerprint), (count, message))| Entry { rule, path, fingerprint, count, message })
        .collect();
    entries.sort_by(|a, b| (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint)));
    Baseline { docdrift_baseline: FORMAT_VERSION, findings: entries }
}

pub fn render(b: &Baseline) -> String {
    let mut s = serde_json::to_string_pretty(b).unwrap_or_default();
    s.push('\n');
    s
}

pub fn read(path: &Path) -> Result<Baseline, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
    let b: Baseline =
        serde_json::from_str(&text).map_err(|e| format!("{} is not a docdrift baseline: {e}", path.display()))?;
    if b.docdrift_baseline != FORMAT_VERSION {
        return Err(format!(
            "{} is a version {} baseline; this docdrift reads version {FORMAT_VERSION}: write it again with --write-baseline",
            path.display(),
            b.docdrift_baseline
        ));
    }
    Ok(b)
}

/// Drop the findings the baseline records (up to each entry's count); returns how many were
/// dropped.
pub fn apply(b: &Baseline, model: &Model, findings: &mut Vec<Finding>) -> usize {
    let mut left: HashMap<(&str, &str, String), u32> = HashMap::new();
    for e in &b.findings {
        *left.entry((e.rule.as_str(), e.path.as_str(), e.fingerprint.clone())).or_default() += e.count;
    }
    let before = findings.len();
    findings.retain(|f| {
        let fp = fingerprint(model, f);
        let path = model.files[f.file as usize].path.as_str();
        match left.get_mut(&(f.rule, path, fp)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    before - findings.len()
}
