//! Front matter alone (the `---` block and its YAML): no panic, and every span inside the text
//! and on character boundaries.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some((fm, body)) = docdrift::doc::front_matter(text) else { return };
    assert!(body <= text.len() && text.is_char_boundary(body), "body starts at {body}");
    let mut spans = vec![fm.span];
    spans.extend(fm.error.as_ref().map(|e| e.span));
    for s in spans {
        let (a, b) = (s.start as usize, s.end as usize);
        assert!(a <= b && b <= text.len(), "span {a}..{b} outside the text ({} bytes)", text.len());
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b), "span {a}..{b} inside a character");
    }
});
