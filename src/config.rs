//! The project configuration file `caifen.toml`: found from the current folder upward, strict
//! (an unknown key or a wrong type is an error with line and column), and overridden by the
//! command line. It gives the default rubric, a rubric per path glob (one repository can hold
//! drafts for several questions), include and exclude globs, the pass mark and the output format.
//!
//! ```toml
//! rubric = "shanxi_zhualuoshi"        # a shipped rubric name, or a file relative to this one
//! include = ["drafts/**/*.txt", "drafts/**/*.md"]
//! exclude = ["drafts/archive/**"]
//! min_band = "二类文"                  # or min_score = 60 (points)
//! format = "github"
//!
//! [[rubrics]]                          # the first entry whose paths match a file wins
//! paths = ["drafts/haiguan/**"]
//! rubric = "rubrics/haiguan.yaml"
//! ```
//!
//! Globs are matched against a file's path relative to the folder holding `caifen.toml`, with
//! `/` as separator; `*` stays within one folder, `**` crosses folders (globset).

use crate::output::Format;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

/// The file name looked for.
pub const FILE_NAME: &str = "caifen.toml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    rubric: Option<Spanned<String>>,
    #[serde(default)]
    rubrics: Vec<Spanned<RawMapping>>,
    include: Option<Spanned<Vec<Spanned<String>>>>,
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    min_score: Option<Spanned<f64>>,
    min_band: Option<Spanned<String>>,
    format: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    paths: Spanned<Vec<Spanned<String>>>,
    rubric: Spanned<String>,
}

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Default,
    /// `caifen.toml`, at this line (1-based).
    File {
        line: usize,
    },
    CommandLine,
}

/// A setting's value and where it came from.
#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    fn default(value: T) -> Self {
        Setting {
            value,
            source: Source::Default,
        }
    }
}

/// A rubric for the files whose paths match `paths`.
#[derive(Clone, Debug)]
pub struct Mapping {
    pub paths: Vec<String>,
    /// As written: a shipped rubric name or a path (relative to the config folder).
    pub rubric: String,
    /// The rubric resolved: an existing file under the config folder, or the name as written.
    pub resolved: String,
    pub line: usize,
    set: GlobSet,
}

/// A loaded `caifen.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    /// The folder holding it: globs and relative rubric paths start here.
    pub root: PathBuf,
    pub rubric: Option<Setting<String>>,
    pub mappings: Vec<Mapping>,
    pub include: Option<Setting<Vec<String>>>,
    pub exclude: Option<Setting<Vec<String>>>,
    pub min_score: Option<Setting<f64>>,
    pub min_band: Option<Setting<String>>,
    pub format: Option<Setting<Format>>,
    include_set: Option<GlobSet>,
    exclude_set: Option<GlobSet>,
}

/// A problem in `caifen.toml`, located.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}{}", if source_line.is_empty() { String::new() } else { format!("\n  | {source_line}") })]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    /// In characters, 1-based.
    pub column: usize,
    pub message: String,
    pub source_line: String,
}

/// The `caifen.toml` in `dir` or its nearest ancestor holding one.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

fn line_col(text: &str, offset: usize) -> (usize, usize, String) {
    let offset = offset.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    let source_line = text[line_start..]
        .lines()
        .next()
        .unwrap_or("")
        .trim_end()
        .to_owned();
    (line, column, source_line)
}

struct Locator<'a> {
    file: String,
    text: &'a str,
}

impl Locator<'_> {
    fn error(&self, offset: usize, message: impl Into<String>) -> ConfigError {
        let (line, column, source_line) = line_col(self.text, offset);
        ConfigError {
            file: self.file.clone(),
            line,
            column,
            message: message.into(),
            source_line,
        }
    }
    fn line(&self, offset: usize) -> usize {
        line_col(self.text, offset).0
    }
    fn globs(&self, list: &[Spanned<String>]) -> Result<GlobSet, ConfigError> {
        let mut b = GlobSetBuilder::new();
        for g in list {
            let glob = GlobBuilder::new(g.get_ref().trim_start_matches("./"))
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| self.error(g.span().start, format!("bad glob: {}", e.kind())))?;
            b.add(glob);
        }
        b.build()
            .map_err(|e| self.error(0, format!("bad globs: {e}")))
    }
}

impl Config {
    /// Load `caifen.toml` from `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let fail = |message: String| ConfigError {
            file: file.clone(),
            line: 1,
            column: 1,
            message,
            source_line: String::new(),
        };
        let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read: {e}")))?;
        let text = match crate::decode::text_file(&bytes) {
            Ok((text, _)) => text,
            Err(e) => {
                return Err(ConfigError {
                    line: e.line,
                    column: e.column,
                    ..fail(e.reason())
                })
            }
        };
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        let root = crate::input::folder_of(path);
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Self::parse(text, &file, &root, path)
    }

    /// Parse the text of a `caifen.toml` whose folder is `root`.
    pub fn parse(text: &str, file: &str, root: &Path, path: &Path) -> Result<Config, ConfigError> {
        let loc = Locator {
            file: file.to_owned(),
            text,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            loc.error(at, e.message().trim().to_owned())
        })?;
        let at = |s: &std::ops::Range<usize>| Source::File {
            line: loc.line(s.start),
        };
        let resolve = |r: &str| -> String {
            let p = lexical(&root.join(r));
            if p.is_file() {
                p.display().to_string()
            } else {
                r.to_owned()
            }
        };
        let mut mappings = Vec::new();
        for m in &raw.rubrics {
            let inner = m.get_ref();
            if inner.paths.get_ref().is_empty() {
                return Err(loc.error(inner.paths.span().start, "`paths` is empty"));
            }
            if inner.rubric.get_ref().trim().is_empty() {
                return Err(loc.error(inner.rubric.span().start, "`rubric` is empty"));
            }
            mappings.push(Mapping {
                paths: inner
                    .paths
                    .get_ref()
                    .iter()
                    .map(|s| s.get_ref().clone())
                    .collect(),
                rubric: inner.rubric.get_ref().clone(),
                resolved: resolve(inner.rubric.get_ref()),
                line: loc.line(m.span().start),
                set: loc.globs(inner.paths.get_ref())?,
            });
        }
        let list = |l: &Option<Spanned<Vec<Spanned<String>>>>| -> Result<_, ConfigError> {
            match l {
                None => Ok((None, None)),
                Some(v) => Ok((
                    Some(Setting {
                        value: v.get_ref().iter().map(|s| s.get_ref().clone()).collect(),
                        source: at(&v.span()),
                    }),
                    Some(loc.globs(v.get_ref())?),
                )),
            }
        };
        let (include, include_set) = list(&raw.include)?;
        let (exclude, exclude_set) = list(&raw.exclude)?;
        if let Some(r) = &raw.rubric {
            if r.get_ref().trim().is_empty() {
                return Err(loc.error(r.span().start, "`rubric` is empty"));
            }
        }
        let min_score = match &raw.min_score {
            Some(s) if !(s.get_ref().is_finite() && *s.get_ref() >= 0.0) => {
                return Err(loc.error(s.span().start, "`min_score` must be a number of points ≥ 0"))
            }
            Some(s) => Some(Setting {
                value: *s.get_ref(),
                source: at(&s.span()),
            }),
            None => None,
        };
        let format = match &raw.format {
            Some(f) => {
                let value =
                    <Format as clap::ValueEnum>::from_str(f.get_ref(), false).map_err(|_| {
                        let names: Vec<String> = <Format as clap::ValueEnum>::value_variants()
                            .iter()
                            .filter_map(|v| {
                                clap::ValueEnum::to_possible_value(v)
                                    .map(|p| p.get_name().to_owned())
                            })
                            .collect();
                        loc.error(
                            f.span().start,
                            format!(
                                "unknown format `{}` (one of: {})",
                                f.get_ref(),
                                names.join(", ")
                            ),
                        )
                    })?;
                Some(Setting {
                    value,
                    source: at(&f.span()),
                })
            }
            None => None,
        };
        Ok(Config {
            path: path.to_path_buf(),
            root: root.to_path_buf(),
            rubric: raw.rubric.as_ref().map(|r| Setting {
                value: resolve(r.get_ref()),
                source: at(&r.span()),
            }),
            mappings,
            include,
            exclude,
            min_score,
            min_band: raw.min_band.as_ref().map(|b| Setting {
                value: b.get_ref().trim().to_owned(),
                source: at(&b.span()),
            }),
            format,
            include_set,
            exclude_set,
        })
    }

    /// `path` relative to the config folder, `/`-separated; `None` when it lies outside. Paths
    /// are compared with symlinks resolved (a folder reached through a link is the same folder),
    /// lexically when they cannot be resolved.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let resolve = |p: &Path| std::fs::canonicalize(p).ok();
        let abs = lexical(&std::path::absolute(path).ok()?);
        let root = lexical(&self.root);
        let rel = match (resolve(&abs), resolve(&root)) {
            (Some(a), Some(r)) if a.starts_with(&r) => a.strip_prefix(&r).ok()?.to_path_buf(),
            _ => abs.strip_prefix(&root).ok()?.to_path_buf(),
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    /// The rubric the mappings give `path`, if any (first match wins).
    pub fn rubric_for(&self, path: &Path) -> Option<&Mapping> {
        let rel = self.relative(path)?;
        self.mappings.iter().find(|m| m.set.is_match(&rel))
    }

    /// Whether the include globs make `path` (found in a folder) an answer: `None` when there
    /// are no include globs (the extension rule decides).
    pub fn included(&self, path: &Path) -> Option<bool> {
        let set = self.include_set.as_ref()?;
        Some(self.relative(path).is_some_and(|r| set.is_match(&r)))
    }

    /// Whether the exclude globs leave `path` out.
    pub fn excluded(&self, path: &Path) -> bool {
        match (&self.exclude_set, self.relative(path)) {
            (Some(set), Some(rel)) => set.is_match(&rel),
            _ => false,
        }
    }
}

/// `.` and `..` removed without touching the file system.
pub(crate) fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Values for settings that neither the command line nor the file gave.
pub fn default_setting<T>(value: T) -> Setting<T> {
    Setting::default(value)
}

/// Settings given on the command line (`None`: not given).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub rubric: Option<String>,
    pub format: Option<Format>,
    pub min_score: Option<f64>,
    pub min_band: Option<String>,
}

/// The settings in force: the command line over `caifen.toml` over the defaults.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub config: Option<Config>,
    /// The rubric of answers no per-path rubric claims.
    pub rubric: Setting<String>,
    /// Per-path rubrics apply (not when `--rubric` was given: it is for every answer).
    pub per_path: bool,
    pub format: Setting<Format>,
    pub min_score: Option<Setting<f64>>,
    pub min_band: Option<Setting<String>>,
}

fn cli<T>(value: T) -> Setting<T> {
    Setting {
        value,
        source: Source::CommandLine,
    }
}

/// Merge the command line over the config file.
pub fn resolve(config: Option<Config>, o: Overrides) -> Resolved {
    let c = config.as_ref();
    let cli_mark = o.min_score.is_some() || o.min_band.is_some();
    Resolved {
        per_path: o.rubric.is_none(),
        rubric: o
            .rubric
            .map(cli)
            .or_else(|| c.and_then(|c| c.rubric.clone()))
            .unwrap_or_else(|| Setting::default(crate::rubric::DEFAULT_RUBRIC.to_owned())),
        format: o
            .format
            .map(cli)
            .or_else(|| c.and_then(|c| c.format.clone()))
            .unwrap_or_else(|| Setting::default(Format::Pretty)),
        // The pass mark is one setting: a pass mark on the command line (`--min-score`,
        // `--min-band` or both) replaces the file's (`min_score` and `min_band`) as a whole.
        min_score: if cli_mark {
            o.min_score.map(cli)
        } else {
            c.and_then(|c| c.min_score.clone())
        },
        min_band: if cli_mark {
            o.min_band.map(cli)
        } else {
            c.and_then(|c| c.min_band.clone())
        },
        config,
    }
}

impl Resolved {
    /// The rubric (as a name or path) for an answer at `path` (`None`: standard input), and the
    /// config line that chose it when a per-path rubric did.
    pub fn rubric_for(&self, path: Option<&Path>) -> (&str, Option<usize>) {
        if self.per_path {
            if let (Some(c), Some(p)) = (&self.config, path) {
                if let Some(m) = c.rubric_for(p) {
                    return (&m.resolved, Some(m.line));
                }
            }
        }
        (&self.rubric.value, None)
    }

    /// The resolved settings, one per line, each with where it came from (for `caifen config`).
    pub fn describe(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let from = |s: &Source| match (s, &self.config) {
            (Source::Default, _) => "default".to_owned(),
            (Source::CommandLine, _) => "command line".to_owned(),
            (Source::File { line }, Some(c)) => format!("{}:{line}", c.path.display()),
            (Source::File { line }, None) => format!("config:{line}"),
        };
        match &self.config {
            Some(c) => writeln!(out, "config file: {}", c.path.display())?,
            None => writeln!(out, "config file: none (no {FILE_NAME} here or above)")?,
        }
        writeln!(
            out,
            "rubric = {}\t# {}",
            self.rubric.value,
            from(&self.rubric.source)
        )?;
        if let Some(c) = &self.config {
            for m in &c.mappings {
                let note = if self.per_path {
                    format!("{}:{}", c.path.display(), m.line)
                } else {
                    format!("{}:{}, overridden by --rubric", c.path.display(), m.line)
                };
                writeln!(
                    out,
                    "rubrics: {} -> {}\t# {note}",
                    m.paths.join(", "),
                    m.resolved
                )?;
            }
        }
        let globs =
            |name: &str, s: Option<&Setting<Vec<String>>>, out: &mut dyn std::io::Write| match s {
                Some(s) => writeln!(
                    out,
                    "{name} = {}\t# {}",
                    s.value.join(", "),
                    from(&s.source)
                ),
                None if name == "include" => writeln!(
                    out,
                    "include = files ending in .{}\t# default (--ext)",
                    crate::input::DEFAULT_EXTENSIONS.join(", .")
                ),
                None => writeln!(out, "{name} = (none)\t# default"),
            };
        let c = self.config.as_ref();
        globs("include", c.and_then(|c| c.include.as_ref()), out)?;
        globs("exclude", c.and_then(|c| c.exclude.as_ref()), out)?;
        // A pass mark of the file that the command line replaced is shown as overridden.
        let mark = |name: &str,
                    resolved: Option<(String, &Source)>,
                    file: Option<(String, &Source)>,
                    out: &mut dyn std::io::Write| match (resolved, file) {
            (Some((v, s)), _) => writeln!(out, "{name} = {v}\t# {}", from(s)),
            (None, Some((v, s))) => writeln!(
                out,
                "{name} = (none)\t# {name} = {v} at {}: overridden by the command line's pass mark",
                from(s)
            ),
            (None, None) => writeln!(out, "{name} = (none)\t# default"),
        };
        mark(
            "min_score",
            self.min_score
                .as_ref()
                .map(|s| (s.value.to_string(), &s.source)),
            c.and_then(|c| c.min_score.as_ref())
                .map(|s| (s.value.to_string(), &s.source)),
            out,
        )?;
        mark(
            "min_band",
            self.min_band.as_ref().map(|s| (s.value.clone(), &s.source)),
            c.and_then(|c| c.min_band.as_ref())
                .map(|s| (s.value.clone(), &s.source)),
            out,
        )?;
        let name = clap::ValueEnum::to_possible_value(&self.format.value)
            .map_or_else(String::new, |p| p.get_name().to_owned());
        writeln!(out, "format = {name}\t# {}", from(&self.format.source))
    }
}
