//! Inputs: the paths given on the command line turned into answer files, every one accounted
//! for. Folders are walked recursively in path order: hidden files and the `.gitignore`/`.ignore`
//! files inside the folder are respected (not those of parent folders or the user's global git
//! settings), symlinks are followed with loops reported. In a folder, only regular files with an
//! answer extension are answers; the other files (other endings, Word lock files `~$…`, pipes)
//! are counted and named as skipped. A file named on the command line is always checked,
//! whatever its ending.

use std::path::{Path, PathBuf};

/// Extensions that make a file in a folder an answer (compared case-insensitively).
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "docx"];

/// Deepest level searched below a folder given on the command line, by default: `class/a.txt`
/// is level 1, `class/2班/a.txt` level 2. A class's folders are a few levels deep; a deeper folder is
/// reported as an error entry (its files are not searched) rather than left out silently.
pub const DEFAULT_MAX_DEPTH: usize = 32;
/// Most files a run looks at, by default: files in the given folders (answers and skipped files)
/// and files named on the command line. A class is tens to hundreds of answers; a whole exam
/// centre a few thousand. Pointing caifen at `/` by mistake stops with an error instead.
pub const DEFAULT_MAX_FILES: usize = 10_000;

/// Bounds on what the paths may hold (`--max-depth`, `--max-files`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest level below a given folder searched (1: only the folder's own files).
    pub max_depth: usize,
    /// Most files looked at in the whole run.
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: DEFAULT_MAX_DEPTH,
            max_files: DEFAULT_MAX_FILES,
        }
    }
}

/// The paths hold more than the limits allow: nothing is checked.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CollectError {
    #[error("more than {max} files in the paths given (--max-files {max}): name fewer folders or raise --max-files")]
    TooManyFiles { max: usize },
}

/// One answer to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// The path for display (lossy when not UTF-8); `<stdin>` for standard input.
    pub display: String,
    pub lossy: bool,
    /// Already known not to be checkable (a folder entry that could not be read): reported in
    /// its place in path order.
    pub error: Option<String>,
}

/// Everything the paths held.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    /// Files in folders that are not answers, by path.
    pub skipped: Vec<String>,
    /// Folders the walk entered through a symbolic link, as canonical paths: input folders too
    /// (a report is not written into them).
    pub linked_folders: Vec<PathBuf>,
    /// Files named again by another argument (a folder and a file in it, the same path twice):
    /// (the later display path, the first), checked once under the first.
    pub duplicates: Vec<(String, String)>,
}

pub fn display_path(p: &Path) -> (String, bool) {
    match p.to_str() {
        Some(s) => (s.to_owned(), false),
        None => (p.to_string_lossy().into_owned(), true),
    }
}

fn input(p: PathBuf, error: Option<String>) -> Input {
    let (display, lossy) = display_path(&p);
    Input {
        path: Some(p),
        display,
        lossy,
        error,
    }
}

/// Normalise `--ext` values: `.txt`, ` txt ` and `TXT` all mean `txt`.
pub fn clean_extensions(exts: &[String]) -> Vec<String> {
    exts.iter()
        .map(|e| e.trim().trim_start_matches('.').to_lowercase())
        .filter(|e| !e.is_empty())
        .collect()
}

/// Expand the command-line paths (`-` is standard input) into inputs, in order: arguments as
/// given, each folder's entries sorted by path. More files than `limits.max_files` is an error
/// (the walk stops there); folders deeper than `limits.max_depth` become error entries.
pub fn collect(
    paths: &[PathBuf],
    extensions: &[String],
    limits: &Limits,
) -> Result<Collected, CollectError> {
    collect_with(paths, extensions, None, limits)
}

/// [`collect`] under a `caifen.toml`: its include globs (when set) decide which files in folders
/// are answers instead of the endings, and its exclude globs leave files out, named ones too
/// (they are listed as skipped; a pre-commit hook names every changed file).
pub fn collect_with(
    paths: &[PathBuf],
    extensions: &[String],
    config: Option<&crate::config::Config>,
    limits: &Limits,
) -> Result<Collected, CollectError> {
    let extensions = clean_extensions(extensions);
    let mut out = Collected::default();
    let too_many = |out: &Collected| out.inputs.len() + out.skipped.len() > limits.max_files;
    for p in paths {
        if p.as_os_str() == "-" {
            out.inputs.push(Input {
                path: None,
                display: "<stdin>".into(),
                lossy: false,
                error: None,
            });
        } else if p.is_dir() {
            walk(p, &extensions, config, limits, &mut out)?;
        } else if config.is_some_and(|c| c.excluded(p)) {
            out.skipped.push(display_path(p).0);
        } else {
            out.inputs.push(input(p.clone(), None));
        }
        if too_many(&out) {
            return Err(CollectError::TooManyFiles {
                max: limits.max_files,
            });
        }
    }
    if paths.len() > 1 {
        drop_duplicates(&mut out);
    }
    Ok(out)
}

fn walk(
    dir: &Path,
    extensions: &[String],
    config: Option<&crate::config::Config>,
    limits: &Limits,
    out: &mut Collected,
) -> Result<(), CollectError> {
    let mut found: Vec<(PathBuf, Option<String>)> = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .max_depth(Some(limits.max_depth))
        .follow_links(true)
        .require_git(false)
        .parents(false)
        .git_global(false)
        .git_exclude(false)
        .build();
    let is_answer = |p: &Path| {
        let lock = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("~$"));
        let by_ending = || {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| extensions.iter().any(|w| w.eq_ignore_ascii_case(x)))
        };
        !lock
            && !config.is_some_and(|c| c.excluded(p))
            && config.and_then(|c| c.included(p)).unwrap_or_else(by_ending)
    };
    let skipped_before = out.skipped.len();
    for entry in walker {
        // Files met so far, in this walk and before it.
        if out.inputs.len() + found.len() + out.skipped.len() > limits.max_files {
            return Err(CollectError::TooManyFiles {
                max: limits.max_files,
            });
        }
        match entry {
            Ok(e) => {
                if e.depth() == 0 {
                    continue;
                }
                if e.file_type().is_some_and(|t| t.is_dir()) {
                    if e.path_is_symlink() {
                        if let Ok(c) = e.path().canonicalize() {
                            out.linked_folders.push(c);
                        }
                    }
                    // The walk does not go below the deepest level: say so when files are there.
                    let holds_something =
                        || std::fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_some());
                    if e.depth() >= limits.max_depth && holds_something() {
                        found.push((
                            e.into_path(),
                            Some(format!(
                                "folder not searched: its files lie more than {} levels deep (--max-depth)",
                                limits.max_depth
                            )),
                        ));
                    }
                    continue;
                }
                // The entry's type as the folder listing gave it (a link's target's, the walk
                // following links): no `stat` per file. A file gone before it is read is
                // reported then ("cannot read").
                let regular = e.file_type().is_some_and(|t| t.is_file());
                let p = e.into_path();
                if regular && is_answer(&p) {
                    found.push((p, None));
                } else {
                    out.skipped.push(display_path(&p).0);
                }
            }
            Err(e) => {
                let path = error_path(&e).unwrap_or_else(|| dir.to_path_buf());
                // A dangling link or unreadable entry that would not be an answer is skipped.
                if path.is_file() || is_answer(&path) || is_loop(&e) || path.is_dir() {
                    found.push((path, Some(format!("cannot read folder entry: {e}"))));
                } else {
                    out.skipped.push(display_path(&path).0);
                }
            }
        }
    }
    // The walk meets entries in the file system's order; reports list them in path order.
    found.sort_by(|a, b| path_order(&a.0, &b.0).then_with(|| a.1.cmp(&b.1)));
    out.skipped[skipped_before..].sort();
    out.inputs
        .extend(found.into_iter().map(|(p, e)| input(p, e)));
    Ok(())
}

/// The order of [`Path`]'s `Ord` (component by component) for the paths a walk yields: the
/// folder's path joined with names, so that they share its bytes and hold no empty or `.`
/// components after it. Decided at the first byte that differs, a separator counting below
/// every other byte (a name never holds a NUL); `Path`'s own comparison parses both paths into
/// components, and was most of the listing's cost (sorting 100,000 paths).
///
/// Public for the property test that pins it to `Path`'s order.
#[doc(hidden)]
pub fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (x, y) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let same = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let rank = |c: Option<&u8>| {
        c.map(|&c| {
            if std::path::is_separator(char::from(c)) {
                0
            } else {
                u16::from(c) + 1
            }
        })
    };
    rank(x.get(same)).cmp(&rank(y.get(same)))
}

fn is_loop(e: &ignore::Error) -> bool {
    match e {
        ignore::Error::Loop { .. } => true,
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => is_loop(err),
        _ => false,
    }
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The folder a path names a file in: `.` for a bare file name.
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Whether `output` would land inside one of the input folders, or replace an input file. A
/// folder is inside an input folder by its path as written (`作答/链接/r.csv`, where `链接` is a
/// link to a folder elsewhere, which the walk reads as part of `作答`) or by where it really is.
pub fn inside_inputs(output: &Path, paths: &[PathBuf]) -> bool {
    let parent = folder_of(output);
    let written = |p: &Path| {
        std::path::absolute(p)
            .ok()
            .map(|p| crate::config::lexical(&p))
    };
    if let Some(out_dir) = written(parent) {
        let under = |d: &PathBuf| d.is_dir() && written(d).is_some_and(|d| out_dir.starts_with(d));
        if paths.iter().any(under) {
            return true;
        }
    }
    let Ok(out_dir) = parent.canonicalize() else {
        return false;
    };
    let out_file = output.file_name().map(|n| out_dir.join(n));
    paths.iter().filter_map(|p| p.canonicalize().ok()).any(|d| {
        (d.is_dir() && out_dir.starts_with(&d)) || out_file.as_ref().is_some_and(|f| *f == d)
    })
}

/// Keep the first of the inputs that are one path (by canonical path: `./a.txt` and `a.txt`, a
/// folder and a file in it, a symbolic link and its target), so that no answer is scored or
/// counted twice. Hard links stay apart: two students' identical files may be hard links. Only
/// when several arguments were given: one folder's walk names each file once (resolving every
/// path would slow the start of a large run).
fn drop_duplicates(out: &mut Collected) {
    let mut first: std::collections::HashMap<PathBuf, usize> = Default::default();
    let mut keep = Vec::with_capacity(out.inputs.len());
    for i in std::mem::take(&mut out.inputs) {
        let id = i
            .path
            .as_deref()
            .filter(|_| i.error.is_none())
            .and_then(|p| std::fs::canonicalize(p).ok());
        match id.as_ref().and_then(|id| first.get(id).copied()) {
            Some(k) => {
                let at: &Input = &keep[k];
                out.duplicates.push((i.display, at.display.clone()));
            }
            None => {
                if let Some(id) = id {
                    first.insert(id, keep.len());
                }
                keep.push(i);
            }
        }
    }
    out.inputs = keep;
}

/// Whether `output` would land inside a folder the walk entered through a link
/// ([`Collected::linked_folders`]): a folder whose files are answers of the run.
pub fn inside_linked_folders(output: &Path, collected: &Collected) -> bool {
    let parent = folder_of(output);
    parent.canonicalize().is_ok_and(|out_dir| {
        collected
            .linked_folders
            .iter()
            .any(|d| out_dir.starts_with(d))
    })
}

/// The display path of the input that `output` would overwrite, if any: the same file by
/// another path too (`./`, `../`, a symbolic or hard link).
pub fn replaces_input(output: &Path, inputs: &[Input]) -> Option<String> {
    // A file that does not exist yet replaces nothing; one that does is compared with each
    // input by identity (one `stat` per input, not a canonical path each).
    let target = std::fs::metadata(output).ok()?;
    let first_hit = |part: &[Input]| {
        part.iter().find_map(|i| {
            let path = i.path.as_ref()?;
            let input = std::fs::metadata(path).ok()?;
            same_file(output, &target, path, &input).then(|| i.display.clone())
        })
    };
    // A `stat` per input is about 1 µs: a class folder is looked at in no time, but 100,000
    // answers took 0.1 s before any was checked. Large lists are split over the cores; the
    // first hit in input order is named.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if cores == 1 || inputs.len() < 4096 {
        return first_hit(inputs);
    }
    let parts: Vec<&[Input]> = inputs.chunks(inputs.len().div_ceil(cores)).collect();
    std::thread::scope(|s| {
        let found: Vec<_> = parts.iter().map(|p| s.spawn(|| first_hit(p))).collect();
        found
            .into_iter()
            .find_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })
}

#[cfg(unix)]
fn same_file(_: &Path, a: &std::fs::Metadata, _: &Path, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(a: &Path, _: &std::fs::Metadata, b: &Path, _: &std::fs::Metadata) -> bool {
    matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}
