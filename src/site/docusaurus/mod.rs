//! Reading `docusaurus.config.{js,mjs,cjs,ts,mts}` statically, as the site model's first source.
//!
//! This module owns finding the config file and turning it into [`SiteOptions`]: the JavaScript
//! or TypeScript is parsed with oxc and evaluated by [`eval`] (literals, bindings, same-file
//! functions, local imports, `process.env` from `[env]`); [`options`] reads Docusaurus' option
//! names and defaults from the result. JavaScript never runs. A syntax error in the config is a
//! configuration error; anything else that cannot be known is a note. Building doc sets and
//! routes from the options is left to [`super::discover`] and the routes module.

pub mod eval;
pub mod options;
pub mod routes;
pub mod sidebars;
pub mod tags;

pub use options::{BlogOptions, DocsOptions, PagesOptions, RedirectOptions, Setting, SiteOptions, UnknownOption};

use std::path::{Path, PathBuf};

use super::ConfigError;

/// The config file names Docusaurus looks for, in its order.
pub const CONFIG_FILES: &[&str] = &[
    "docusaurus.config.ts",
    "docusaurus.config.mts",
    "docusaurus.config.js",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
];

/// The site's Docusaurus config file, if any.
pub fn find_config(root: &Path) -> Option<PathBuf> {
    CONFIG_FILES.iter().map(|f| root.join(f)).find(|p| p.is_file())
}

/// Read the config at `root`, if there is one; `env` gives `process.env` values.
pub fn read(root: &Path, env: &[(String, String)]) -> Result<Option<SiteOptions>, ConfigError> {
    let Some(path) = find_config(root) else { return Ok(None) };
    let mut ev = eval::Evaluator::new(env);
    let value = ev.config(&path).map_err(|e| {
        ConfigError::at_offset(&e.path, &e.text, e.offset, format!("cannot read the Docusaurus config: {}", e.message))
            .with_help("Fix the syntax error (docdrift reads the config without running it), or state the site in docdrift.toml")
    })?;
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Some(options::read(&value, &ev.sources, root, &file)))
}

/// Add to `vars` every string, number or boolean the `variables.js` at `path` computes that
/// `vars` lacks, flattened with dots (`componentImage.cnxNode`, `releases.0.title`).
/// Modules are read only inside `root`.
pub fn add_computed_variables(root: &Path, path: &Path, env: &[(String, String)], vars: &mut super::Variables) {
    let mut ev = eval::Evaluator::within(env, root);
    let value = ev.exports(path);
    let mut stack = vec![(String::new(), &value)];
    while let Some((name, v)) = stack.pop() {
        match &v.val {
            eval::Val::Object(props) => {
                for (k, x) in props {
                    stack.push((if name.is_empty() { k.clone() } else { format!("{name}.{k}") }, x));
                }
            }
            eval::Val::Array(items) => {
                for (k, x) in items.iter().enumerate() {
                    stack.push((format!("{name}.{k}"), x));
                }
            }
            eval::Val::Str(_) | eval::Val::Num(_) | eval::Val::Bool(_) if !name.is_empty() => {
                if vars.get(&name).is_none()
                    && let Some(s) = v.to_js_string()
                {
                    vars.insert(name, s);
                }
            }
            _ => {}
        }
    }
}
