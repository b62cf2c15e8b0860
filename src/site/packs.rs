//! Rule packs: the data files in `rules/` compiled into docdrift, and a site's own
//! `.docdrift/<name>.toml` beside them.
//!
//! Loading a pack is site configuration (a file the site owns, read within its bounds, its TOML
//! errors at line and column), so it lives here, below every analysis that merges a pack its
//! own way (`component-anchors`, `config-references`, `ports`, `resource-dependencies`).

use std::path::{Path, PathBuf};

/// A rule pack: the built-in `builtin` text, and the site's own `.docdrift/<name>.toml` if it
/// has one, with that file's path for the caller's own checks. Each pack merges the two its own
/// way. A broken site pack is reported at its line and column.
pub(crate) fn load_pack<T: serde::de::DeserializeOwned>(
    root: &Path,
    name: &str,
    builtin: &str,
) -> Result<(T, Option<T>, PathBuf), String> {
    let base = toml::from_str(builtin).map_err(|e| format!("built-in {name} pack: {e}"))?;
    let own = root.join(format!(".docdrift/{name}.toml"));
    let extra = match super::bounds::read_optional_in(root, &own)? {
        Some(text) => {
            Some(toml::from_str(&text).map_err(|e| super::ConfigError::from_toml(&own, &text, &e).to_string())?)
        }
        None => None,
    };
    Ok((base, extra, own))
}
