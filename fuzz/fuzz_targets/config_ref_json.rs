//! A configuration-reference JSON file read as each resource of the built-in pack describes it:
//! a reference or an error, never a panic.
#![no_main]
use std::sync::OnceLock;

use docdrift::analysis::config_ref::{Pack, Reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static PACK: OnceLock<Pack> = OnceLock::new();
    let pack = PACK.get_or_init(|| Pack::load(std::path::Path::new("/nonexistent")).expect("built-in pack"));
    let Ok(text) = std::str::from_utf8(data) else { return };
    for spec in &pack.resource {
        let _ = Reference::parse(text, spec);
    }
});
