//! Printers: format a [`RunReport`](crate::report::RunReport) onto a writer they are given.
//! They never count errors or decide the exit code ([`crate::exit`] does).

pub mod csv;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod pretty;
pub mod sarif;

use crate::report::EssayReport;
use similar::{Algorithm, ChangeTag, TextDiff};

/// One line of the outline diff: `tag` is `-` (expected, missing), `+` (present, not expected)
/// or ` ` (matched); `note` says where an answer line was found.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DiffLine {
    pub tag: char,
    pub key: String,
    pub note: Option<String>,
}

/// The rubric's expected outline against the answer's, as a line diff (`similar`, Myers, no
/// deadline: the same input always gives the same diff).
pub fn outline_diff(a: &EssayReport) -> Vec<DiffLine> {
    let old: Vec<&str> = a.expected_outline.iter().map(|l| l.key.as_str()).collect();
    let new: Vec<&str> = a.answer_outline.iter().map(|l| l.key.as_str()).collect();
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_slices(&old, &new);
    diff.iter_all_changes()
        .map(|c| DiffLine {
            tag: match c.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            },
            key: c.value().to_owned(),
            note: c.new_index().and_then(|i| a.answer_outline[i].note.clone()),
        })
        .collect()
}

/// Output formats of `caifen check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// A report in Chinese for people (colour on a terminal).
    #[default]
    Pretty,
    /// One JSON run object (schema_version 1), documented in the README.
    Json,
    /// One JSON run object per line, each holding one file (no summary).
    Jsonl,
    /// One row per file (UTF-8 with BOM unless --no-bom, RFC 4180 quoting).
    Csv,
    /// One self-contained, printable HTML page: class summary, then one section per student.
    Html,
    /// GitHub workflow annotations (::warning/::error/::notice lines).
    Github,
    /// SARIF 2.1.0 (code-scanning tools, editors): one run per rubric.
    Sarif,
    /// JUnit XML (CI test reports): one test case per answer, failed below the pass mark.
    Junit,
}

/// A path as CI tools expect it: relative paths without a leading `./`.
pub fn repo_path(file: &str) -> &str {
    let mut f = file;
    while let Some(rest) = f.strip_prefix("./") {
        f = rest;
    }
    f
}
