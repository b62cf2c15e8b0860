//! The Docusaurus config reader on any `docusaurus.config.js`: options or an error, never a
//! panic. The config is read statically (nothing is run), from a temporary site folder.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    if std::fs::write(dir.path().join("docusaurus.config.js"), data).is_err() {
        return;
    }
    let _ = docdrift::site::docusaurus::read(dir.path(), &[]);
});
