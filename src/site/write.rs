//! Writing files without losing one: every write docdrift makes goes through here.
//!
//! [`write_atomic`] writes the new bytes to a temporary file in the target's own folder, flushes
//! it to disk and renames it over the target, so a full disk or a kill mid-write leaves either
//! the old file or the new one, never a truncated page. The replacement keeps the original's
//! permissions. It refuses a target that is a symlink (docdrift never writes through one), that
//! is not a regular file, that is read-only, or whose folder lies outside [`Bounds`]. Replacing
//! by rename gives the path a new inode: a hard-linked page keeps its old text under its other
//! names (the safe outcome: a write to one name never changes another).
//! [`create_new`] is the same for a file that must not exist yet (`docdrift init`), and
//! [`write_output`] is for files outside the site (`--output`, `--write-baseline`), which
//! must not land on the site's own configuration or documents. What to write, and which files
//! are the site's, is for the callers to say.

use super::bounds::{Bounds, kind_of};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file was not written. `Display` names the file.
#[derive(Debug)]
pub enum WriteError {
    /// The target or its folder lies outside the site.
    OutOfBounds {
        path: PathBuf,
    },
    /// The target is a symlink (dangling or not).
    Symlink {
        path: PathBuf,
    },
    /// The target is a folder, FIFO, device…
    NotRegular {
        path: PathBuf,
        kind: &'static str,
    },
    /// The target has no write permission.
    ReadOnly {
        path: PathBuf,
    },
    /// [`create_new`]: the target exists.
    Exists {
        path: PathBuf,
    },
    /// [`write_output`]: the target is one of the site's own files.
    Protected {
        path: PathBuf,
        what: String,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::OutOfBounds { path } => {
                write!(f, "{}: outside the site and its doc-set folders; docdrift writes only there", path.display())
            }
            WriteError::Symlink { path } => {
                write!(
                    f,
                    "{}: is a symlink; docdrift never writes through one (edit the file it points to)",
                    path.display()
                )
            }
            WriteError::NotRegular { path, kind } => write!(f, "{}: is {kind}, not a regular file", path.display()),
            WriteError::ReadOnly { path } => write!(f, "{}: is read-only", path.display()),
            WriteError::Exists { path } => write!(f, "{}: already exists", path.display()),
            WriteError::Protected { path, what } => {
                write!(f, "{}: is {what}; write the report somewhere else", path.display())
            }
            WriteError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

impl WriteError {
    pub fn path(&self) -> &Path {
        match self {
            WriteError::OutOfBounds { path }
            | WriteError::Symlink { path }
            | WriteError::NotRegular { path, .. }
            | WriteError::ReadOnly { path }
            | WriteError::Exists { path }
            | WriteError::Protected { path, .. }
            | WriteError::Io { path, .. } => path,
        }
    }
}

/// What is at a target path, before writing.
struct Target {
    /// The canonical folder plus the file name: where the rename lands.
    path: PathBuf,
    /// The existing file's permissions, to keep.
    permissions: Option<std::fs::Permissions>,
}

/// Check `path` as a write target: not a symlink, a regular file if it exists, writable, and
/// (with `bounds`) in a folder in bounds.
fn target(bounds: Option<&Bounds>, path: &Path) -> Result<Target, WriteError> {
    let io = |source| WriteError::Io { path: path.to_path_buf(), source };
    let permissions = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink { path: path.to_path_buf() }),
        Ok(m) if !m.is_file() => {
            return Err(WriteError::NotRegular { path: path.to_path_buf(), kind: kind_of(m.file_type()) });
        }
        Ok(m) if m.permissions().readonly() => return Err(WriteError::ReadOnly { path: path.to_path_buf() }),
        Ok(m) => Some(m.permissions()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let name = path.file_name().ok_or_else(|| WriteError::NotRegular { path: path.to_path_buf(), kind: "a folder" })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = parent.canonicalize().map_err(io)?;
    if bounds.is_some_and(|b| !b.contains(&dir)) {
        return Err(WriteError::OutOfBounds { path: path.to_path_buf() });
    }
    Ok(Target { path: dir.join(name), permissions })
}

/// Check that `path` could be replaced by [`write_atomic`], without writing (to refuse a batch
/// before any of it is written).
pub fn check_target(bounds: &Bounds, path: &Path) -> Result<(), WriteError> {
    target(Some(bounds), path).map(|_| ())
}

/// Replace (or create) the file at `path` with `bytes`, atomically; see the module docs.
pub fn write_atomic(bounds: &Bounds, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let t = target(Some(bounds), path)?;
    replace(path, &t, bytes)
}

/// Write a file that is not the site's own (a report, a baseline): anywhere but through a
/// symlink, and never onto a path `protected` describes (`Some("the site's configuration")`).
pub fn write_output(path: &Path, bytes: &[u8], protected: &dyn Fn(&Path) -> Option<String>) -> Result<(), WriteError> {
    let t = target(None, path)?;
    if let Some(what) = protected(&t.path) {
        return Err(WriteError::Protected { path: path.to_path_buf(), what });
    }
    replace(path, &t, bytes)
}

/// Create the file at `path`, which must not exist (not even as a dangling symlink), with
/// `bytes`, in bounds. The file appears whole or not at all.
pub fn create_new(bounds: &Bounds, path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let t = target(Some(bounds), path)?;
    if t.permissions.is_some() {
        return Err(WriteError::Exists { path: path.to_path_buf() });
    }
    let io = |source| WriteError::Io { path: path.to_path_buf(), source };
    let tmp = temp_file(&t.path, bytes, None).map_err(io)?;
    // A hard link fails when anything (a dangling symlink included) took the name meanwhile.
    let linked = std::fs::hard_link(&tmp, &t.path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(WriteError::Exists { path: path.to_path_buf() }),
        Err(_) => {
            // No hard links on this file system: exclusive creation still never follows a symlink.
            let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&t.path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    WriteError::Exists { path: path.to_path_buf() }
                } else {
                    io(e)
                }
            })?;
            f.write_all(bytes).and_then(|_| f.sync_all()).map_err(io)
        }
    }
}

fn replace(path: &Path, t: &Target, bytes: &[u8]) -> Result<(), WriteError> {
    let io = |source| WriteError::Io { path: path.to_path_buf(), source };
    let tmp = temp_file(&t.path, bytes, t.permissions.clone()).map_err(io)?;
    if let Err(e) = std::fs::rename(&tmp, &t.path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// A new file beside `target` holding `bytes`, flushed to disk; removed again on failure.
fn temp_file(target: &Path, bytes: &[u8], permissions: Option<std::fs::Permissions>) -> std::io::Result<PathBuf> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut attempt = 0;
    loop {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.docdrift-{}-{n}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp);
        let mut file = match file {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        let written = file.write_all(bytes).and_then(|_| match &permissions {
            Some(p) => file.set_permissions(p.clone()),
            None => Ok(()),
        });
        let written = written.and_then(|_| file.sync_all());
        if let Err(e) = written {
            drop(file);
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        return Ok(tmp);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn site() -> (tempfile::TempDir, tempfile::TempDir, Bounds) {
        let site = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let b = Bounds::new(site.path()).expect("bounds");
        (site, outside, b)
    }

    #[test]
    fn replaces_atomically_keeping_permissions_and_breaking_hard_links() {
        let (site, _o, b) = site();
        let page = site.path().join("page.md");
        std::fs::write(&page, "old").expect("write");
        std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        std::fs::hard_link(&page, site.path().join("other.md")).expect("link");
        write_atomic(&b, &page, b"new").expect("write");
        assert_eq!(std::fs::read_to_string(&page).expect("read"), "new");
        assert_eq!(std::fs::metadata(&page).expect("meta").permissions().mode() & 0o777, 0o640);
        assert_eq!(std::fs::read_to_string(site.path().join("other.md")).expect("read"), "old");
        let left: Vec<_> = std::fs::read_dir(site.path()).expect("ls").flatten().map(|e| e.file_name()).collect();
        assert_eq!(left.len(), 2, "no temporary file left: {left:?}");
    }

    #[test]
    fn refuses_symlinks_read_only_and_out_of_bounds() {
        let (site, outside, b) = site();
        let out = outside.path().join("victim.md");
        std::fs::write(&out, "outside").expect("write");
        let link = site.path().join("link.md");
        symlink(&out, &link).expect("symlink");
        assert!(matches!(write_atomic(&b, &link, b"x"), Err(WriteError::Symlink { .. })));
        assert!(matches!(write_atomic(&b, &out, b"x"), Err(WriteError::OutOfBounds { .. })));
        // A folder symlinked to outside: the target's real folder is out of bounds.
        symlink(outside.path(), site.path().join("dir")).expect("symlink");
        assert!(matches!(
            write_atomic(&b, &site.path().join("dir/victim.md"), b"x"),
            Err(WriteError::OutOfBounds { .. })
        ));
        assert_eq!(std::fs::read_to_string(&out).expect("read"), "outside");
        let ro = site.path().join("ro.md");
        std::fs::write(&ro, "keep").expect("write");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        assert!(matches!(write_atomic(&b, &ro, b"x"), Err(WriteError::ReadOnly { .. })));
        assert_eq!(std::fs::read_to_string(&ro).expect("read"), "keep");
    }

    #[test]
    fn create_new_refuses_existing_and_dangling_symlinks() {
        let (site, outside, b) = site();
        let target = site.path().join("docdrift.toml");
        symlink(outside.path().join("planted.toml"), &target).expect("symlink");
        assert!(matches!(create_new(&b, &target, b"x"), Err(WriteError::Symlink { .. })));
        assert!(!outside.path().join("planted.toml").exists());
        std::fs::remove_file(&target).expect("rm");
        create_new(&b, &target, b"x").expect("create");
        assert!(matches!(create_new(&b, &target, b"y"), Err(WriteError::Exists { .. })));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "x");
    }

    #[test]
    fn outputs_refuse_protected_paths() {
        let (site, _o, _b) = site();
        let config = site.path().join("docdrift.toml");
        std::fs::write(&config, "[site]\n").expect("write");
        let canon = config.canonicalize().expect("canon");
        let protected = |p: &Path| (p == canon).then(|| "the site's configuration".to_string());
        assert!(matches!(write_output(&config, b"{}", &protected), Err(WriteError::Protected { .. })));
        assert_eq!(std::fs::read_to_string(&config).expect("read"), "[site]\n");
        write_output(&site.path().join("report.json"), b"{}", &protected).expect("write");
    }
}
