//! Tag pages: where the docs and blog plugins put the page of a front-matter tag.
//!
//! This module owns the tag's URL (`@docusaurus/utils` `normalizeTag`: a `tags.yml` entry, an
//! object tag's `permalink`, or lodash `kebabCase` of the label) and the `tags.yml` file of a
//! content folder. Which files are tagged, and which pages list them, is for the routes module.

use std::collections::HashMap;
use std::path::Path;

use crate::doc::Tag;
use crate::site::Site;

/// `tags.yml` of a content folder: tag key → permalink (relative to the tags page), as
/// `normalizeTagsFile` fills it (`/<kebab key>` unless the entry sets one).
#[derive(Debug, Default)]
pub struct TagsFile(HashMap<String, String>);

impl TagsFile {
    /// The default tags file of a content folder (Docusaurus reads it only when it exists).
    pub fn read(site: &Site, content_dir: &Path) -> TagsFile {
        let Ok(text) = site.bounds.read_to_string(&content_dir.join("tags.yml")) else { return TagsFile::default() };
        let Ok(docs) = yaml_rust2::YamlLoader::load_from_str(&text) else { return TagsFile::default() };
        let mut out = HashMap::new();
        if let Some(yaml_rust2::Yaml::Hash(h)) = docs.first() {
            for (k, v) in h {
                let Some(key) = k.as_str() else { continue };
                let permalink = v["permalink"].as_str().filter(|p| !p.is_empty()).map(str::to_string);
                out.insert(key.to_string(), permalink.unwrap_or_else(|| format!("/{}", kebab_case(key))));
            }
        }
        TagsFile(out)
    }

    /// A front-matter tag's permalink below the tags page (`normalizeTag`).
    pub fn permalink(&self, tag: &Tag) -> String {
        match &tag.permalink {
            Some(p) => p.clone(),
            None => match self.0.get(&tag.label) {
                Some(p) => p.clone(),
                None => kebab_case(&tag.label),
            },
        }
    }
}

/// lodash `kebabCase`: accents dropped (`deburr`), apostrophes removed, the words (lowercase
/// runs, capitalised words, acronyms, digit runs, `1st`-style ordinals) lowercased and joined
/// with `-`. Letters outside Latin-1 count as letters and keep their accents.
pub fn kebab_case(s: &str) -> String {
    let cleaned: Vec<char> = s.chars().filter(|c| *c != '\'' && *c != '\u{2019}').map(deburr).collect();
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    while i < cleaned.len() {
        let c = cleaned[i];
        if c.is_numeric() {
            let start = i;
            while i < cleaned.len() && cleaned[i].is_numeric() {
                i += 1;
            }
            // Ordinals (`1st`, `2nd`, `3rd`, `4th`) stay one word before a boundary.
            let suffix: String = cleaned[i..].iter().take(2).collect::<String>().to_lowercase();
            let last = cleaned[i - 1];
            let ordinal = matches!((last, suffix.as_str()), ('1', "st") | ('2', "nd") | ('3', "rd"))
                || (suffix == "th" && !matches!(last, '1' | '2' | '3'));
            let after = cleaned.get(i + 2);
            if ordinal && after.is_none_or(|a| !a.is_alphanumeric() || a.is_uppercase() || *a == '_') {
                i += 2;
            }
            words.push(cleaned[start..i].iter().collect());
        } else if c.is_alphabetic() {
            let lower = |k: usize| cleaned.get(k).is_some_and(|n| n.is_alphabetic() && !n.is_uppercase());
            let mut start = i;
            if c.is_uppercase() {
                let mut j = i;
                while j < cleaned.len() && cleaned[j].is_uppercase() {
                    j += 1;
                }
                if !lower(j) {
                    words.push(cleaned[i..j].iter().collect());
                    i = j;
                    continue;
                }
                // `HTMLParser`: the acronym ends before the capital of the next word.
                if j - i > 1 {
                    words.push(cleaned[i..j - 1].iter().collect());
                }
                start = j - 1;
                i = j;
            }
            while lower(i) {
                i += 1;
            }
            words.push(cleaned[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
    words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>().join("-")
}

/// lodash `deburr` for Latin-1 letters.
fn deburr(c: char) -> char {
    const FROM: &str = "ÀÁÂÃÄÅàáâãäåÇçÐðÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ";
    const TO: &str = "AAAAAAaaaaaaCcDdEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy";
    match FROM.chars().position(|f| f == c) {
        Some(k) => TO.chars().nth(k).unwrap_or(c),
        None => c,
    }
}

#[cfg(test)]
mod tests {
    use super::kebab_case;

    #[test]
    fn kebab_case_follows_lodash() {
        // Each pair checked with lodash 4.17 `_.kebabCase`.
        for (input, want) in [
            ("news", "news"),
            ("Release Notes", "release-notes"),
            ("fooBar", "foo-bar"),
            ("v2.0", "v-2-0"),
            ("HTMLParser", "html-parser"),
            ("k8s", "k-8-s"),
            ("Über café", "uber-cafe"),
            ("IPv6 dual-stack", "i-pv-6-dual-stack"),
            ("__x__", "x"),
            ("X86_64", "x-86-64"),
            ("eBPF", "e-bpf"),
            ("10Gb", "10-gb"),
            ("ABCDef", "abc-def"),
            ("tag with  spaces", "tag-with-spaces"),
            ("C++", "c"),
            ("日本語", "日本語"),
            ("getting-started", "getting-started"),
        ] {
            assert_eq!(kebab_case(input), want, "{input}");
        }
    }
}
