//! The site as a boundary: which folders docdrift may read and write, and how it reads there.
//!
//! [`Bounds`] holds the canonical (symlink-free) site root and the doc-set folders that the
//! site's configuration names explicitly outside it (Docusaurus allows `path: '../docs'`). A
//! path is in bounds when, with every symlink resolved, it lies inside one of those folders.
//! [`Bounds::read`] is how docdrift reads any file of the site (documents, `variables.js`,
//! versions files, JSON data, component sources, rule packs): it resolves symlinks, refuses what
//! lands outside, refuses what is not a regular file (a FIFO would block, `/dev/zero` never
//! ends), and refuses files over [`Bounds::max_file_size`] (spans are `u32`; the limit keeps them
//! exact). [`check_name`] validates names that data files turn into path segments (versions,
//! doc-set ids). Writing is [`super::write`]'s job; deciding what to report is the caller's.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The default of `[site] max_file_size`: far above any real page (the largest corpus page is
/// under 1 MiB), far below what would wrap a `u32` span.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The folders docdrift may read and write.
#[derive(Clone, Debug)]
pub struct Bounds {
    /// Canonical folders; the first is the site root.
    roots: Vec<PathBuf>,
    /// Files larger than this many bytes are refused.
    pub max_file_size: u64,
    /// Folders already resolved: the path as given, and the folder with every symlink resolved.
    /// Canonicalising a path costs a `readlink` per component (and a `getcwd` when it is
    /// relative); reading a site's thousands of files that way was most of the run's system
    /// time. Each folder is resolved once, and a file that is not itself a symlink is its
    /// resolved folder plus its name. Failures are not kept.
    /// Keyed by the path's bytes: `Path`'s own `Hash` walks its components, which cost more
    /// than the lookup saves.
    folders: Arc<Mutex<rustc_hash::FxHashMap<std::ffi::OsString, PathBuf>>>,
}

/// Two bounds are the same when they hold the same folders and limit (the cache is not part of
/// what they are).
impl PartialEq for Bounds {
    fn eq(&self, other: &Bounds) -> bool {
        self.roots == other.roots && self.max_file_size == other.max_file_size
    }
}

impl Eq for Bounds {}

/// Why a file of the site was not read. `Display` says what and where, without the path of the
/// file itself (callers name it).
#[derive(Debug)]
pub enum ReadError {
    /// The file does not exist (a dangling symlink included).
    NotFound,
    /// The path resolves to `target`, which is outside every folder in bounds.
    OutOfBounds {
        target: PathBuf,
    },
    /// A folder, FIFO, socket or device.
    NotRegular {
        kind: &'static str,
    },
    /// Larger than the limit.
    TooLarge {
        size: u64,
        limit: u64,
    },
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::OutOfBounds { target } => {
                write!(f, "resolves to `{}`, outside the site and its doc-set folders", target.display())
            }
            ReadError::NotRegular { kind } => write!(f, "is {kind}, not a regular file"),
            ReadError::TooLarge { size, limit } => {
                write!(f, "is {size} bytes, over the limit of {limit} bytes (`[site] max_file_size`)")
            }
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// What to do about it, in the imperative.
    pub fn help(&self) -> &'static str {
        match self {
            ReadError::NotFound => "Create the file, or correct the name that points at it",
            ReadError::OutOfBounds { .. } => {
                "Replace the symlink with the file itself, or move the file into the site; docdrift reads nothing outside the site"
            }
            ReadError::NotRegular { .. } => "Replace it with a regular file, or add it to `[site] ignore`",
            ReadError::TooLarge { .. } => "Split the file, raise `[site] max_file_size`, or add it to `[site] ignore`",
            ReadError::Io(_) => "Check the file's permissions",
        }
    }
}

/// What kind of thing a non-regular file is, for messages.
pub(crate) fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symlink"
    } else {
        "not a regular file"
    }
}

/// Reads the open regular file `file`, `size` bytes long by its metadata, into `bytes`. The
/// file may grow after the stat: then the read stops once past `limit`, and the caller sees more
/// than `limit` bytes. What is read at once is at most the buffer's spare room (the buffer is
/// reused from file to file) or 64 KiB, so a file that grows without end costs no more memory
/// than that past the limit.
///
/// On Unix the first read asks for one byte more than `size`: a read of a regular file stops
/// short only at its end, so getting exactly `size` bytes from it means the file is read, and
/// the second read that `read_to_end` makes to see the end (which returns nothing) is not
/// needed. That is one system call fewer per file, thousands per run.
#[cfg(unix)]
fn read_sized(file: std::fs::File, size: u64, limit: u64, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    /// How much more a file that grew past its `size` is read at a time.
    const MORE: u64 = 64 * 1024;
    let mut want = size.min(limit) + 1;
    loop {
        bytes.reserve_exact(want as usize);
        let asked = bytes.capacity() - bytes.len();
        let n = match rustix::io::read(&file, rustix::buffer::spare_capacity(bytes)) {
            Ok(n) => n,
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(ReadError::Io(e.into())),
        };
        let read = bytes.len() as u64;
        if n == 0 || (n < asked && read == size) || read > limit {
            return Ok(());
        }
        want = MORE.min(limit + 1 - read);
    }
}

#[cfg(not(unix))]
fn read_sized(file: std::fs::File, size: u64, limit: u64, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    use std::io::Read;
    // The file may grow between the stat and the read: never read past the limit.
    bytes.reserve_exact(size as usize);
    file.take(limit + 1).read_to_end(bytes).map_err(ReadError::Io)?;
    Ok(())
}

/// `path`'s folder and name, when the path ends in the name itself: `dir/link/` and
/// `dir/link/.` name what `link` points to, so looking `link` up in `dir` without following
/// it would look at something else. `None` also for a bare name (no folder).
fn folder_and_name(path: &Path) -> Option<(&Path, &std::ffi::OsStr)> {
    let (folder, name) = (path.parent()?, path.file_name()?);
    (!folder.as_os_str().is_empty() && path.as_os_str().as_encoded_bytes().ends_with(name.as_encoded_bytes()))
        .then_some((folder, name))
}

impl Bounds {
    /// Bounds holding only `root` (which must exist).
    pub fn new(root: &Path) -> std::io::Result<Bounds> {
        Ok(Bounds { roots: vec![root.canonicalize()?], max_file_size: DEFAULT_MAX_FILE_SIZE, folders: Arc::default() })
    }

    /// Put the existing folder `dir` in bounds too (a doc-set folder outside the root).
    pub fn add_root(&mut self, dir: &Path) -> std::io::Result<()> {
        let dir = dir.canonicalize()?;
        if !self.contains(&dir) {
            self.roots.push(dir);
        }
        Ok(())
    }

    /// The canonical site root.
    pub fn root(&self) -> &Path {
        &self.roots[0]
    }

    /// Whether the canonical path `path` lies inside a folder in bounds.
    pub fn contains(&self, canonical: &Path) -> bool {
        self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// `path` with every symlink resolved, when it exists and is in bounds.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, ReadError> {
        self.resolve_with_metadata(path).map(|(target, _)| target)
    }

    /// [`Bounds::resolve`], and the metadata of what it resolves to when that was read on the way.
    fn resolve_with_metadata(&self, path: &Path) -> Result<(PathBuf, Option<std::fs::Metadata>), ReadError> {
        let target = self.resolve_entry(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        })?;
        if self.contains(&target.0) { Ok(target) } else { Err(ReadError::OutOfBounds { target: target.0 }) }
    }

    /// `path` (a file or a folder) with every symlink resolved: its folder's resolved path plus
    /// its name, unless it is a symlink itself; with its metadata when that was read.
    fn resolve_entry(&self, path: &Path) -> std::io::Result<(PathBuf, Option<std::fs::Metadata>)> {
        match folder_and_name(path) {
            Some((folder, name)) => {
                let meta = std::fs::symlink_metadata(path)?;
                if meta.file_type().is_symlink() {
                    Ok((path.canonicalize()?, None))
                } else {
                    Ok((self.resolve_folder(folder)?.join(name), Some(meta)))
                }
            }
            _ => Ok((path.canonicalize()?, None)),
        }
    }

    /// The folder `folder` with every symlink resolved, once per folder.
    fn resolve_folder(&self, folder: &Path) -> std::io::Result<PathBuf> {
        if let Some(known) = self.folders.lock().unwrap_or_else(|p| p.into_inner()).get(folder.as_os_str()) {
            return Ok(known.clone());
        }
        let (resolved, _) = self.resolve_entry(folder)?;
        self.folders
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(folder.as_os_str().to_os_string(), resolved.clone());
        Ok(resolved)
    }

    /// Read the file at `path`: in bounds, regular, within the size limit.
    pub fn read(&self, path: &Path) -> Result<Vec<u8>, ReadError> {
        let mut bytes = Vec::new();
        self.read_into(path, &mut bytes)?;
        Ok(bytes)
    }

    /// [`Bounds::read`] into `bytes` (cleared first): for callers that read many files through
    /// one buffer.
    pub fn read_into(&self, path: &Path, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
        bytes.clear();
        let (file, meta) = self.open(path)?;
        let limit = self.max_file_size;
        if meta.len() > limit {
            return Err(ReadError::TooLarge { size: meta.len(), limit });
        }
        read_sized(file, meta.len(), limit, bytes)?;
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge { size: bytes.len() as u64, limit });
        }
        Ok(())
    }

    /// The regular file at `path`, in bounds, open for reading, with its metadata.
    fn open(&self, path: &Path) -> Result<(std::fs::File, std::fs::Metadata), ReadError> {
        #[cfg(unix)]
        if let Some(opened) = self.open_plain(path)? {
            return Ok(opened);
        }
        let (target, meta) = self.resolve_with_metadata(path)?;
        let meta = match meta {
            Some(meta) => meta,
            None => std::fs::metadata(&target).map_err(ReadError::Io)?,
        };
        // Checked before the open: opening a FIFO for reading waits for a writer.
        if !meta.is_file() {
            return Err(ReadError::NotRegular { kind: kind_of(meta.file_type()) });
        }
        Ok((std::fs::File::open(&target).map_err(ReadError::Io)?, meta))
    }

    /// [`Bounds::open`] for a path that names its file directly (not `dir/.`) in a folder in
    /// bounds: opened without following a final symlink and without waiting on a FIFO, its
    /// metadata read from the open file. One path lookup, where a stat and then an open made
    /// two: the whole-site check reads every document this way. `None` for what it does not
    /// handle (a symlink, a folder out of bounds, an open that fails for any reason but a
    /// missing file), which [`Bounds::open`] then takes the general way, with its messages.
    #[cfg(unix)]
    fn open_plain(&self, path: &Path) -> Result<Option<(std::fs::File, std::fs::Metadata)>, ReadError> {
        use rustix::fs::{Mode, OFlags};
        let Some((folder, _)) = folder_and_name(path) else { return Ok(None) };
        // The folder's bounds are known before anything in it is opened.
        let Ok(resolved) = self.resolve_folder(folder) else { return Ok(None) };
        if !self.contains(&resolved) {
            return Ok(None);
        }
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let file = match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => std::fs::File::from(fd),
            Err(rustix::io::Errno::NOENT) => return Err(ReadError::NotFound),
            // `ELOOP`: a symlink, which the general way resolves.
            Err(_) => return Ok(None),
        };
        let meta = file.metadata().map_err(ReadError::Io)?;
        if !meta.is_file() {
            return Err(ReadError::NotRegular { kind: kind_of(meta.file_type()) });
        }
        Ok(Some((file, meta)))
    }

    /// [`Bounds::read`] as UTF-8 text (a data file that is not UTF-8 is an I/O error).
    pub fn read_to_string(&self, path: &Path) -> Result<String, ReadError> {
        String::from_utf8(self.read(path)?).map_err(|e| {
            ReadError::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            ))
        })
    }

    /// Read an optional file: `Ok(None)` when it does not exist; any other problem is an error
    /// message naming the file (for rule packs and other optional data).
    pub fn read_optional(&self, path: &Path) -> Result<Option<String>, String> {
        match self.read_to_string(path) {
            Ok(t) => Ok(Some(t)),
            Err(ReadError::NotFound) => Ok(None),
            Err(e) => Err(format!("{}: {e}; {}", path.display(), lowercase_first(e.help()))),
        }
    }
}

/// Read the optional file `path` under the site `root`, within the root's bounds (rule packs in
/// `.docdrift/`): see [`Bounds::read_optional`].
pub fn read_optional_in(root: &Path, path: &Path) -> Result<Option<String>, String> {
    match Bounds::new(root) {
        Ok(b) => b.read_optional(path),
        // No root, so no file in it.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: cannot resolve the site root: {e}", root.display())),
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Check that `name`, read from a data file, is usable as one path segment: not empty, no
/// `/` or `\`, not `.` or `..`, no NUL. The error says what is wrong.
pub fn check_name(name: &str) -> Result<(), String> {
    let why = if name.is_empty() {
        "is empty"
    } else if name.contains('/') || name.contains('\\') {
        "contains a path separator"
    } else if name == "." || name == ".." || name.contains("..") {
        "contains `..`"
    } else if name.contains('\0') {
        "contains a NUL character"
    } else {
        return Ok(());
    };
    Err(format!("the name `{}` {why}", name.escape_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name("3.23-2").is_ok());
        assert!(check_name("calico-enterprise").is_ok());
        for bad in ["", "2.1/../../x", "..", "a\\b", "a\0b", "x..y", "."] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_fifos_and_sizes() {
        let outside = tempfile::tempdir().expect("tempdir");
        let site = tempfile::tempdir().expect("tempdir");
        let r = site.path();
        std::fs::write(outside.path().join("secret.md"), "# secret\n").expect("write");
        std::fs::write(r.join("page.md"), "# page\n").expect("write");
        std::os::unix::fs::symlink(r.join("page.md"), r.join("inside.md")).expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), r.join("out.md")).expect("symlink");
        std::os::unix::fs::symlink("/dev/zero", r.join("zero.md")).expect("symlink");
        std::os::unix::fs::symlink(r.join("nowhere.md"), r.join("dangling.md")).expect("symlink");
        let mut b = Bounds::new(r).expect("bounds");
        assert_eq!(b.read(&r.join("inside.md")).expect("in bounds"), b"# page\n");
        assert!(matches!(b.read(&r.join("out.md")), Err(ReadError::OutOfBounds { .. })));
        assert!(matches!(b.read(&r.join("dangling.md")), Err(ReadError::NotFound)));
        assert!(matches!(b.read(&r.join("missing.md")), Err(ReadError::NotFound)));
        std::fs::create_dir(r.join("folder.md")).expect("mkdir");
        assert!(matches!(b.read(&r.join("folder.md")), Err(ReadError::NotRegular { kind: "a folder" })));
        // /dev/zero is outside; a FIFO inside is refused for its kind, without blocking.
        assert!(matches!(b.read(&r.join("zero.md")), Err(ReadError::OutOfBounds { .. })));
        let fifo = r.join("fifo.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
        if made {
            assert!(matches!(b.read(&fifo), Err(ReadError::NotRegular { kind: "a FIFO" })));
        }
        b.max_file_size = 3;
        assert!(matches!(b.read(&r.join("page.md")), Err(ReadError::TooLarge { size: 7, limit: 3 })));
        // An explicitly named doc-set folder outside the root is in bounds, nothing beyond it.
        let mut b = Bounds::new(r).expect("bounds");
        std::fs::create_dir(outside.path().join("docs")).expect("mkdir");
        std::fs::write(outside.path().join("docs/a.md"), "a").expect("write");
        b.add_root(&outside.path().join("docs")).expect("add");
        assert!(b.read(&outside.path().join("docs/a.md")).is_ok());
        assert!(matches!(b.read(&outside.path().join("secret.md")), Err(ReadError::OutOfBounds { .. })));
    }

    /// A file read whole whatever its size was when stat'ed: one that grew since is read to its
    /// end (or until past the limit), one that shrank to what is left; into a buffer that is
    /// reused, larger or smaller than the file.
    #[test]
    fn a_file_is_read_whole_when_its_size_changed_after_the_stat() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("page.md");
        let text: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).expect("write");
        let read = |stat: u64, limit: u64, buf: &mut Vec<u8>| {
            buf.clear();
            read_sized(std::fs::File::open(&path).expect("open"), stat, limit, buf).expect("read");
            buf.clone()
        };
        let (mut small, mut large) = (Vec::new(), Vec::with_capacity(1 << 20));
        for stat in [200_000, 0, 1, 199_999, 150_000, 200_001, 1 << 20] {
            assert_eq!(read(stat, 1 << 30, &mut Vec::new()), text, "stat {stat}");
        }
        for buf in [&mut small, &mut large] {
            for stat in [200_000, 0, 1, 199_999, 150_000, 200_001, 1 << 20] {
                assert_eq!(read(stat, 1 << 30, buf), text, "stat {stat}");
            }
            // Past the limit, a little more than the limit is read (the caller reports it): at
            // most the buffer's room or 64 KiB more.
            let room = buf.capacity().max(100_001 + 64 * 1024);
            let over = read(10, 100_000, buf);
            assert!(over.len() > 100_000 && over.len() <= room, "{}", over.len());
            assert_eq!(over, text[..over.len()]);
        }
        // From an empty buffer, exactly one byte past the limit.
        assert_eq!(read(10, 100_000, &mut Vec::new()).len(), 100_001);
        std::fs::write(&path, b"").expect("write");
        assert_eq!(read(0, 10, &mut small), b"");
        assert_eq!(read(5, 10, &mut small), b"");
    }

    /// Folders are resolved once and remembered: a folder that is a symlink out of the site
    /// stays out on every read, and a symlinked file inside a plain folder is still followed.
    #[cfg(unix)]
    #[test]
    fn remembered_folders_keep_every_check() {
        let outside = tempfile::tempdir().expect("tempdir");
        let site = tempfile::tempdir().expect("tempdir");
        let r = site.path();
        std::fs::write(outside.path().join("secret.md"), "# secret\n").expect("write");
        std::fs::create_dir(r.join("docs")).expect("mkdir");
        std::fs::write(r.join("docs/page.md"), "# page\n").expect("write");
        std::os::unix::fs::symlink(outside.path(), r.join("docs/away")).expect("symlink");
        std::os::unix::fs::symlink(outside.path().join("secret.md"), r.join("docs/leak.md")).expect("symlink");
        let b = Bounds::new(r).expect("bounds");
        for _ in 0..2 {
            assert_eq!(b.read(&r.join("docs/page.md")).expect("in bounds"), b"# page\n");
            assert!(matches!(b.read(&r.join("docs/away/secret.md")), Err(ReadError::OutOfBounds { .. })));
            assert!(matches!(b.read(&r.join("docs/leak.md")), Err(ReadError::OutOfBounds { .. })));
            assert!(matches!(b.read(&r.join("docs/missing.md")), Err(ReadError::NotFound)));
        }
        // `away/.` is the folder `away` points to, outside; it is not `docs` plus a name.
        assert!(matches!(b.resolve(&r.join("docs/away/.")), Err(ReadError::OutOfBounds { .. })));
        assert!(matches!(b.resolve(&r.join("docs/away/")), Err(ReadError::OutOfBounds { .. })));
        assert_eq!(b.resolve(&r.join("docs/../docs/page.md")).expect("in bounds"), b.root().join("docs/page.md"));
    }
}
