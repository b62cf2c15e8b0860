//! The static `variables.js` reader: any text gives variables or an error, never a panic.
//! Nothing is executed, so the text is read as it is; the JSON files it names are not read.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = docdrift::site::variables::parse_js_module(text);
});
