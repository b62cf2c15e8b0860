//! The document walk with folder listings remembered from an earlier walk: PR mode's.
//!
//! A commit hook's run walks the whole site to know which pages exist and to stat each one
//! (its index is only as good as those stamps). Listing a thousand folders was a third of
//! that: opening each by its full path (the kernel looks up every component again) and
//! reading its entries. Here every folder is opened relative to its parent, and a folder whose
//! stamp is what it was when it was last listed is not read again: the earlier listing is
//! used. Files are still stat'ed one by one, relative to their open folder.
//!
//! Creating, removing or renaming an entry changes a folder's change time (ctime), which no
//! program can set back, so an unchanged (inode, mtime, ctime) means an unchanged listing;
//! `git` keeps its untracked-file cache the same way. File system clocks are coarse, though:
//! a folder changed in the same clock tick as it was listed would keep its stamp, so a folder
//! changed less than [`SETTLE`] before it was listed is never remembered.

use super::{SizeAndTime, Skip, collect, is_doc_file};
use crate::site::Site;
use rustc_hash::FxHashMap;
use std::path::Path;

/// A folder's identity and last change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DirStamp {
    pub ino: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

/// What an entry of a folder is, for the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A folder to walk into.
    Dir,
    /// A document file.
    Doc,
    /// A symbolic link with a document's name (its target is stat'ed, not the link).
    DocLink,
}

impl Entry {
    /// What the walk makes of an entry named `name`: a folder to walk into, a document, or
    /// nothing (a name it skips, or another file). Symbolic links are not followed.
    pub(super) fn of(name: &str, dir: bool, symlink: bool) -> Option<Entry> {
        if crate::site::skipped_in_walks(name) {
            None
        } else if dir {
            Some(Entry::Dir)
        } else if !is_doc_file(Path::new(name)) {
            None
        } else if symlink {
            Some(Entry::DocLink)
        } else {
            Some(Entry::Doc)
        }
    }
}

/// A folder's entries that matter to the walk (names it skips, and other files, left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub stamp: DirStamp,
    /// Shared: a folder that did not change passes its listing from the last run to the next
    /// one, and a thousand folders' names copied twice per run were a tenth of a commit hook's
    /// walk.
    pub entries: std::sync::Arc<[(String, Entry)]>,
}

/// Listings by root-relative folder path.
pub type Listings = FxHashMap<String, Listing>;

/// How long a folder must have been unchanged when listed for its listing to be remembered
/// (the `settle` of [`doc_paths_listed`] in PR mode): longer than any file system's clock tick.
pub const SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// [`super::doc_paths_stat`] with `stat`, reusing the listings of `old` whose folders have not
/// changed; also returns the listings to remember for next time: those of folders unchanged
/// for `settle` when listed. On systems without `openat` it is the plain walk, and remembers
/// nothing.
pub fn doc_paths_listed(
    site: &Site,
    extra: &[std::path::PathBuf],
    old: &Listings,
    settle: std::time::Duration,
) -> (Vec<(String, Option<SizeAndTime>)>, Listings) {
    let new = std::sync::Mutex::new(Listings::default());
    let paths = super::doc_paths_with(site, extra, &|dir: &Path, rel: &str, skip: Skip| {
        let (paths, listings) = walk(site, dir, rel, old, settle, skip);
        if let Ok(mut n) = new.lock() {
            n.extend(listings);
        }
        paths
    });
    (paths, new.into_inner().unwrap_or_default())
}

#[cfg(not(unix))]
fn walk(
    site: &Site,
    dir: &Path,
    rel: &str,
    _old: &Listings,
    _settle: std::time::Duration,
    skip: Skip,
) -> (Vec<(String, Option<SizeAndTime>)>, Listings) {
    (collect(site, dir, rel, true, skip), Listings::default())
}

// The `stat` fields' types differ between platforms: the casts are needed on some of them.
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)]
fn walk(
    site: &Site,
    dir: &Path,
    rel_dir: &str,
    old: &Listings,
    settle: std::time::Duration,
    skip: Skip,
) -> (Vec<(String, Option<SizeAndTime>)>, Listings) {
    use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};
    use std::os::fd::OwnedFd;
    /// How folders are opened: as a place to stat entries from and to open subfolders from,
    /// not for reading (`O_PATH` is the cheaper open). A folder whose listing is not known
    /// is opened again to be listed (see `read_entries`); on a warm run that is rare.
    const FOLDER: OFlags = OFlags::PATH.union(OFlags::DIRECTORY).union(OFlags::CLOEXEC);
    /// How a folder is opened to be listed.
    const LISTED: OFlags = OFlags::RDONLY.union(OFlags::DIRECTORY).union(OFlags::CLOEXEC);

    // `dir` itself follows symbolic links, as the plain walk does; anything but a folder that
    // can be opened is the plain walk's case (a file, a missing path, no permission).
    let Ok(root) = rustix::fs::open(dir, FOLDER, Mode::empty()) else {
        return (collect(site, dir, rel_dir, true, skip), Listings::default());
    };
    let mut w = Walk { site, old, settle, skip, out: Vec::new(), listings: Listings::default() };
    w.folder(root, rel_dir.to_string());
    return (w.out, w.listings);

    struct Walk<'a> {
        site: &'a Site,
        old: &'a Listings,
        settle: std::time::Duration,
        skip: Skip<'a>,
        out: Vec<(String, Option<SizeAndTime>)>,
        listings: Listings,
    }

    impl Walk<'_> {
        fn keep(&mut self, rel: String, meta: Option<SizeAndTime>) {
            if !self.site.ignore.is_match(&rel) {
                self.out.push((rel, meta));
            }
        }

        /// The open folder `fd` at `rel`, and the folders below it as they come: entries are
        /// listed in path order (see [`walk_order`]), so this yields its paths sorted.
        fn folder(&mut self, fd: OwnedFd, rel: String) {
            let Ok(st) = rustix::fs::fstat(&fd) else {
                self.keep(rel, None);
                return;
            };
            let stamp = DirStamp {
                ino: st.st_ino as u64,
                mtime_ns: i128::from(st.st_mtime as i64) * 1_000_000_000 + i128::from(st.st_mtime_nsec as i64),
                ctime_ns: i128::from(st.st_ctime as i64) * 1_000_000_000 + i128::from(st.st_ctime_nsec as i64),
            };
            let entries = match self.old.get(&rel) {
                Some(l) if l.stamp == stamp => {
                    self.listings.insert(rel.clone(), l.clone());
                    std::sync::Arc::clone(&l.entries)
                }
                _ => {
                    // Taken before the entries are read: a change during the read counts as recent.
                    let now = std::time::SystemTime::now();
                    match read_entries(&fd) {
                        Some(entries) => {
                            let entries: std::sync::Arc<[(String, Entry)]> = entries.into();
                            let settled = now.duration_since(std::time::UNIX_EPOCH).is_ok_and(|t| {
                                t.as_nanos() as i128 - stamp.ctime_ns.max(stamp.mtime_ns)
                                    >= self.settle.as_nanos() as i128
                            });
                            if settled {
                                self.listings
                                    .insert(rel.clone(), Listing { stamp, entries: std::sync::Arc::clone(&entries) });
                            }
                            entries
                        }
                        // Names that are not UTF-8, and entries whose type cannot be read, are the
                        // plain walk's to handle: this folder is left to it, and not remembered.
                        None => {
                            for (p, m) in collect(self.site, &self.site.root.join(&rel), &rel, true, self.skip) {
                                self.keep(p, m);
                            }
                            return;
                        }
                    }
                }
            };
            for (name, entry) in entries.iter() {
                let child = super::child_path(&rel, name);
                match entry {
                    Entry::Dir if (self.skip)(&child) => {}
                    Entry::Dir => match rustix::fs::openat(&fd, name.as_str(), FOLDER, Mode::empty()) {
                        Ok(sub) => self.folder(sub, child),
                        // As the plain walk: a folder that cannot be listed is kept as a path,
                        // so that reading it reports why.
                        Err(_) => self.keep(child, None),
                    },
                    Entry::DocLink => self.keep(child, None),
                    Entry::Doc => {
                        let meta = rustix::fs::statat(&fd, name.as_str(), AtFlags::SYMLINK_NOFOLLOW)
                            .ok()
                            .map(|s| (s.st_size as u64, system_time(s.st_mtime as i64, s.st_mtime_nsec as u32)));
                        self.keep(child, meta);
                    }
                }
            }
        }
    }

    /// The entries of the open folder `fd` that the walk follows or keeps; `None` when one
    /// cannot be read or named.
    fn read_entries(fd: &OwnedFd) -> Option<Vec<(String, Entry)>> {
        let listed = rustix::fs::openat(fd, ".", LISTED, Mode::empty()).ok()?;
        let mut d = Dir::read_from(&listed).ok()?;
        let mut entries = Vec::new();
        while let Some(e) = d.read() {
            let e = e.ok()?;
            let name = e.file_name().to_str().ok()?;
            if name == "." || name == ".." {
                continue;
            }
            let ty = match e.file_type() {
                // Some file systems do not say in the listing.
                FileType::Unknown => {
                    FileType::from_raw_mode(rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?.st_mode)
                }
                t => t,
            };
            if let Some(entry) = Entry::of(name, ty == FileType::Directory, ty == FileType::Symlink) {
                entries.push((name.to_string(), entry));
            }
        }
        entries.sort_unstable_by(walk_order);
        Some(entries)
    }
}

/// Siblings in the order of the paths below them ([`super::path_order`]): walked in this
/// order, a folder's paths come out sorted, and the site's walk is a few sorted runs that need
/// no sort. Sorting a large site's paths from scratch was a third of a commit hook's walk.
#[cfg(unix)]
fn walk_order((a, a_entry): &(String, Entry), (b, b_entry): &(String, Entry)) -> std::cmp::Ordering {
    super::path_order(a, *a_entry == Entry::Dir).cmp(super::path_order(b, *b_entry == Entry::Dir))
}

/// The Unix epoch plus `secs` (either side of it) and `nanos`, as `std::fs::Metadata::modified`.
#[cfg(unix)]
fn system_time(secs: i64, nanos: u32) -> Option<std::time::SystemTime> {
    let epoch = std::time::UNIX_EPOCH;
    let t = if secs >= 0 {
        epoch.checked_add(std::time::Duration::from_secs(secs as u64))?
    } else {
        epoch.checked_sub(std::time::Duration::from_secs(secs.unsigned_abs()))?
    };
    t.checked_add(std::time::Duration::from_nanos(u64::from(nanos)))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::site::testing::{load, write};

    #[test]
    fn a_folder_walk_yields_its_paths_sorted() {
        let dir = tempfile::tempdir().expect("tempdir");
        // Names around `/` in byte order: `-` and `.` sort before it, `0` after.
        for rel in
            ["docs/a.md", "docs/a-b.md", "docs/a/x.md", "docs/a/b/y.mdx", "docs/a0.md", "docs/a.b/z.md", "docs/B.md"]
        {
            write(dir.path(), rel, "# T\n");
        }
        let site = load(dir.path());
        let zero = std::time::Duration::ZERO;
        let (found, listings) = walk(&site, &site.root.join("docs"), "docs", &Listings::default(), zero, &|_| false);
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["docs/B.md", "docs/a-b.md", "docs/a.b/z.md", "docs/a.md", "docs/a/b/y.mdx", "docs/a/x.md", "docs/a0.md"]
        );
        // From remembered listings too.
        let (again, _) = walk(&site, &site.root.join("docs"), "docs", &listings, zero, &|_| false);
        assert_eq!(again, found);
    }
}
