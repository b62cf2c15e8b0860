//! `docdrift.toml` parsing: any text gives a configuration or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let rules: Vec<&str> = docdrift::rules::ALL.iter().map(|r| r.meta().id).collect();
    let _ = docdrift::site::Config::parse(text, std::path::Path::new("docdrift.toml"), &rules);
});
