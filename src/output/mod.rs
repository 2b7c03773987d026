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

/// The one-line score of an answer: `总分 80 / 100（80%），分档 二类文`.
pub fn total_line(s: &crate::score::Score) -> String {
    use crate::rubric::fmt_pts;
    format!(
        "总分 {} / {}（{}%），分档 {}",
        fmt_pts(s.total),
        fmt_pts(s.max),
        fmt_pts(s.percent),
        s.band
    )
}

/// A scoring point not fully met: `采分点「机制」缺失（0/10分）`, then `：hint` when asked.
pub fn point_line(p: &crate::report::PointReport, with_hint: bool) -> String {
    use crate::rubric::fmt_pts;
    let what = match p.status {
        crate::score::PointStatus::Missed => "缺失",
        crate::score::PointStatus::Partly => "部分得分",
        crate::score::PointStatus::Met => "已得分",
    };
    let hint = match (&p.hint, with_hint) {
        (Some(h), true) => format!("：{h}"),
        _ => String::new(),
    };
    format!(
        "采分点「{}」{what}（{}/{}分）{hint}",
        p.name,
        fmt_pts(p.score),
        fmt_pts(p.max)
    )
}

/// A finding as the pretty report lists it under 问题与建议: `第1段 1:6 「,」 message（-0.5分）`
/// (the place and quote only when it is located; the points only when it costs some).
pub fn finding_line(f: &crate::report::Finding) -> String {
    use crate::rubric::fmt_pts;
    let loc =
        f.at.as_ref()
            .map(|l| {
                let at = match l.paragraph {
                    Some(p) => format!("第{p}段 {}:{}", l.start.line, l.start.column),
                    None => format!("{}:{}", l.start.line, l.start.column),
                };
                format!("{at} 「{}」 ", crate::report::short_quote(&l.text, 12))
            })
            .unwrap_or_default();
    let pen = if f.penalty > 0.0 {
        format!("（-{}分）", fmt_pts(f.penalty))
    } else {
        String::new()
    };
    format!("{loc}{}{pen}", f.message)
}

/// The pass marks an answer falls short of, as words: `60 分、二类文` (a mark it reaches is
/// left out: with both `--min-score` and `--min-band`, an answer can miss only one).
pub fn pass_mark_words(run: &crate::report::RunReport, a: &crate::report::EssayReport) -> String {
    run.pass_mark
        .filter(|_| crate::exit::below_pass_score(run, a))
        .map(|m| format!("{} 分", crate::rubric::fmt_pts(m)))
        .into_iter()
        .chain(
            run.pass_band
                .clone()
                .filter(|_| crate::exit::below_pass_band(run, a)),
        )
        .collect::<Vec<_>>()
        .join("、")
}

/// An input error for people: in Chinese, the English text (what JSON keeps for scripts) after it
/// in brackets; an error with no translation stays as it is.
pub fn error_in_chinese(error: &str) -> String {
    let table: &[(&str, &str)] = &[
        (
            "binary or undecodable content",
            "二进制或无法解码的内容，不是文本作答",
        ),
        ("legacy .doc", "旧版 Word .doc 文件不受支持，请另存为 .docx"),
        (
            "password-protected",
            "Word 文档设有密码（已加密），请在 Word 中取消密码后重新保存",
        ),
        ("RTF document", "RTF 文档不受支持，请另存为 .docx 或 .txt"),
        (
            "no word/document.xml",
            "不是 Word .docx 文档（缺少 word/document.xml）",
        ),
        ("damaged .docx", "损坏的 .docx 文件"),
        ("looks like UTF-16", "像是无 BOM 的 UTF-16，但无法正确解码"),
        (
            "the bytes are not valid",
            "文件内容与编码（指定的或 BOM 标明的）不符",
        ),
        ("is a folder", "这是文件夹"),
        ("not a regular file", "不是普通文件（管道、套接字或设备）"),
        ("larger than", "文件过大，不像是一篇作答"),
        ("zip entries", "压缩包条目过多，不是 Word 文档"),
        ("folder not searched", "文件夹层级过深，未检查其中的文件"),
        ("standard input given twice", "标准输入只能读取一次"),
        ("cannot read folder entry", "无法读取文件夹中的条目"),
        ("cannot read", "无法读取文件"),
    ];
    match table
        .iter()
        .find(|(en, _)| error.starts_with(en) || error.contains(en))
    {
        Some((_, zh)) => format!("{zh}（{error}）"),
        None => error.to_owned(),
    }
}

/// A path as CI tools expect it: relative paths without a leading `./`.
pub fn repo_path(file: &str) -> &str {
    let mut f = file;
    while let Some(rest) = f.strip_prefix("./") {
        f = rest;
    }
    f
}
