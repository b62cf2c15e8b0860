//! Rule packs: the data files in `rules/` compiled into docdrift, and a site's own
//! `.docdrift/<name>.toml` beside them.
//!
//! Loading a pack is site configuration (a file the site owns, read within its bounds, its TOML
//! errors at line and column), so it lives here, below every analysis that merges a pack its
//! own way (`component-anchors`, `config-references`, `ports`, `resource-dependencies`).

use std::path::{Path, PathBuf};

/// A rule pack: the built-in `builtin`, and the site's own
/// `.docdrift/<name>.toml` if it has one, with that file's path for the caller's own checks.
/// Each pack merges the two its own way. A broken site pack is reported at its line and column.
///
/// `builtin` is `rules/<name>.toml` as JSON, which build.rs writes to `OUT_DIR` and each pack's
/// module compiles in: serde_json reads it in a fraction of toml's time, and every run loads
/// every pack.
pub(crate) fn load_pack<T: serde::de::DeserializeOwned>(
    root: &Path,
    name: &str,
    builtin: &str,
) -> Result<(T, Option<T>, PathBuf), String> {
    let base = serde_json::from_str(builtin).map_err(|e| format!("built-in {name} pack: {e}"))?;
    let own = root.join(format!(".docdrift/{name}.toml"));
    let extra = match super::bounds::read_optional_in(root, &own)? {
        Some(text) => {
            Some(toml::from_str(&text).map_err(|e| super::ConfigError::from_toml(&own, &text, &e).to_string())?)
        }
        None => None,
    };
    Ok((base, extra, own))
}

/// A key of a JSON object a pack describes (a configuration reference, a component's data), as
/// the index of the name it equals, without copying it: such files have hundreds of thousands
/// of keys, and a reader keeps the values of a few. An empty name equals no key (a reader
/// may leave a name it does not use empty).
pub(crate) struct KeyIndex<'n, 'w> {
    pub names: &'n [&'w str],
}

impl<'de> serde::de::DeserializeSeed<'de> for KeyIndex<'_, '_> {
    type Value = Option<usize>;

    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for KeyIndex<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    #[inline]
    fn visit_str<E>(self, v: &str) -> Result<Option<usize>, E> {
        Ok(self.names.iter().position(|n| !n.is_empty() && *n == v))
    }
}

#[cfg(test)]
mod tests {
    /// What build.rs compiles in says what `rules/*.toml` says.
    #[test]
    fn builtin_packs_as_json_are_their_toml() {
        let packs = [
            (
                include_str!("../../rules/component-anchors.toml"),
                include_str!(concat!(env!("OUT_DIR"), "/component-anchors.json")),
            ),
            (
                include_str!("../../rules/config-references.toml"),
                include_str!(concat!(env!("OUT_DIR"), "/config-references.json")),
            ),
            (include_str!("../../rules/ports.toml"), include_str!(concat!(env!("OUT_DIR"), "/ports.json"))),
            (
                include_str!("../../rules/resource-dependencies.toml"),
                include_str!(concat!(env!("OUT_DIR"), "/resource-dependencies.json")),
            ),
        ];
        for (toml_text, json_text) in packs {
            let from_toml: serde_json::Value = toml::from_str(toml_text).unwrap();
            let from_json: serde_json::Value = serde_json::from_str(json_text).unwrap();
            assert!(from_toml.as_object().is_some_and(|o| !o.is_empty()));
            assert_eq!(from_json, from_toml);
        }
    }
}
