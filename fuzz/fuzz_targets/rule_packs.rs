//! A site's own rule packs (`.docdrift/ports.toml`, `component-anchors.toml`,
//! `resource-dependencies.toml`, `config-references.toml`): the input is each of them in turn,
//! merged with the built-in pack; a pack or an error, never a panic.
#![no_main]
use docdrift::analysis::{anchors, config_ref, ports, steps::deps};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let own = dir.path().join(".docdrift");
    if std::fs::create_dir(&own).is_err() {
        return;
    }
    for name in ["ports.toml", "component-anchors.toml", "resource-dependencies.toml", "config-references.toml"] {
        if std::fs::write(own.join(name), data).is_err() {
            return;
        }
    }
    let _ = ports::Pack::load(dir.path());
    let _ = anchors::Pack::load(dir.path());
    let _ = deps::Pack::load(dir.path());
    let _ = config_ref::Pack::load(dir.path());
});
