//! Inputs: the paths given on the command line turned into answer files, every one accounted
//! for. Folders are walked recursively (hidden files and .gitignore/.ignore files respected,
//! symlinks followed with loops detected) and sorted by path; in a folder only files with an
//! answer extension are answers, the rest are counted as skipped. A file named on the command
//! line is always checked, whatever its ending.

use crate::report::InputError;
use std::path::{Path, PathBuf};

/// Extensions that make a file in a folder an answer (compared case-insensitively).
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "docx"];

/// One answer to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// `None` for standard input.
    pub path: Option<PathBuf>,
    /// The path for display (lossy when not UTF-8); `<stdin>` for standard input.
    pub display: String,
    pub lossy: bool,
}

/// Everything the paths held.
#[derive(Debug, Default)]
pub struct Collected {
    pub inputs: Vec<Input>,
    /// Files in folders that are not answers (by extension).
    pub skipped: usize,
    /// Paths that could not be walked (permissions, symlink loops).
    pub errors: Vec<InputError>,
}

pub fn display_path(p: &Path) -> (String, bool) {
    match p.to_str() {
        Some(s) => (s.to_owned(), false),
        None => (p.to_string_lossy().into_owned(), true),
    }
}

fn input(p: PathBuf) -> Input {
    let (display, lossy) = display_path(&p);
    Input {
        path: Some(p),
        display,
        lossy,
    }
}

/// Expand the command-line paths (`-` is standard input) into inputs, in order: arguments as
/// given, each folder's files sorted by path.
pub fn collect(paths: &[PathBuf], extensions: &[String]) -> Collected {
    let mut out = Collected::default();
    for p in paths {
        if p.as_os_str() == "-" {
            out.inputs.push(Input {
                path: None,
                display: "<stdin>".into(),
                lossy: false,
            });
        } else if p.is_dir() {
            walk(p, extensions, &mut out);
        } else {
            out.inputs.push(input(p.clone()));
        }
    }
    out
}

fn walk(dir: &Path, extensions: &[String], out: &mut Collected) {
    let mut found: Vec<PathBuf> = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .follow_links(true)
        .require_git(false)
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let p = e.into_path();
                let is_answer = p
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| extensions.iter().any(|w| w.eq_ignore_ascii_case(x)));
                if is_answer {
                    found.push(p);
                } else {
                    out.skipped += 1;
                }
            }
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    ignore::Error::WithDepth { err, .. } => match err.as_ref() {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => dir.to_path_buf(),
                    },
                    ignore::Error::Loop { child, .. } => child.clone(),
                    _ => dir.to_path_buf(),
                };
                let (file, file_lossy) = display_path(&path);
                out.errors.push(InputError {
                    file,
                    file_lossy,
                    student: None,
                    error: format!("cannot read folder entry: {e}"),
                    order: 0,
                });
            }
        }
    }
    found.sort();
    out.inputs.extend(found.into_iter().map(input));
}

/// Whether `output` would land inside one of the input folders.
pub fn inside_inputs(output: &Path, paths: &[PathBuf]) -> bool {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(out_dir) = parent.canonicalize() else {
        return false;
    };
    paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| p.canonicalize().ok())
        .any(|d| out_dir.starts_with(&d))
}
