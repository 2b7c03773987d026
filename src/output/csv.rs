//! The CSV report: one row per file (checked or failed), for Excel and scripts. UTF-8 with a BOM
//! by default (Excel on Chinese Windows needs it), RFC 4180 quoting (the csv crate). Text cells
//! that begin with `= + - @` get a leading `'` so a spreadsheet does not run them as formulas.

use crate::report::{EssayReport, InputError, RunReport};
use crate::rubric::fmt_pts;
use std::io::{self, Write};

/// 文件名乱码: the file name was not valid UTF-8 and is shown with U+FFFD (case B44).
fn lossy(b: bool) -> String {
    if b {
        "是".into()
    } else {
        String::new()
    }
}

fn safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// Header and rows. Columns: 文件, 学生, the `--name-pattern` fields, 学生标记, 标题, 总分, 满分, 分档,
/// the four dimensions, 语言问题 (the number of language-rule findings, `RULES.md`), each scoring
/// point's points, 字数 and its 计数 convention, 编码, 错误.
pub fn write(out: &mut dyn Write, run: &RunReport, bom: bool) -> io::Result<()> {
    // The point names come from the rubric the answers were checked with.
    let point_names: Vec<String> = run
        .answers
        .first()
        .map(|a| {
            a.points
                .iter()
                .map(|p| format!("{} {}", p.id, p.name))
                .collect()
        })
        .unwrap_or_default();
    write_part(out, run, bom, true, &point_names)
}

/// The scoring-point columns of a rubric (`id 名称`), for [`write_part`].
pub fn point_columns(rubric: &crate::rubric::Rubric) -> Vec<String> {
    rubric
        .points
        .iter()
        .map(|p| format!("{} {}", p.id, p.name))
        .collect()
}

/// Rows of `run` (with the header first when `header`), the scoring-point columns given: a long
/// run is written part by part as its files are checked.
pub fn write_part(
    out: &mut dyn Write,
    run: &RunReport,
    bom: bool,
    header_row: bool,
    point_names: &[String],
) -> io::Result<()> {
    if bom && header_row {
        out.write_all("\u{FEFF}".as_bytes())?;
    }
    let mut w = writer(out);
    if header_row {
        w.write_record(header(run, point_names))
            .map_err(io::Error::from)?;
    }
    // Rows in input order: answers and errors interleaved as the files came.
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for a in &run.answers {
        rows.push((a.order, answer_row(run, a)));
    }
    for e in &run.errors {
        rows.push((e.order, error_row(run, point_names.len(), e)));
    }
    rows.sort_by_key(|(o, _)| *o);
    for (_, r) in rows {
        w.write_record(&r).map_err(io::Error::from)?;
    }
    w.flush()
}

/// This report's dialect: RFC 4180 quoting, CRLF line ends.
fn dialect() -> csv::WriterBuilder {
    let mut b = csv::WriterBuilder::new();
    b.terminator(csv::Terminator::CRLF);
    b
}

/// A CSV writer of this report's dialect.
pub fn writer<W: Write>(out: W) -> csv::Writer<W> {
    dialect().from_writer(out)
}

/// One row in this report's dialect, as bytes (a batch writes each file's row as it is checked).
/// The writer's buffer is small: the default 8 KiB, zeroed for every row, cost more than the row.
pub fn row_bytes(row: &[String]) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(256);
    let mut w = dialect().buffer_capacity(256).from_writer(&mut bytes);
    w.write_record(row)?;
    w.flush()?;
    drop(w);
    Ok(bytes)
}

/// The header row: the columns of [`write`].
pub fn header(run: &RunReport, point_names: &[String]) -> Vec<String> {
    // The pattern's fields in pattern order, whether or not any file fits.
    let mut header: Vec<String> = vec!["文件".into(), "文件名乱码".into(), "学生".into()];
    header.extend(run.student_fields.iter().map(|f| safe(f)));
    header.extend(
        [
            "学生标记",
            "标题",
            "总分",
            "满分",
            "分档",
            "内容",
            "结构",
            "字数得分",
            "语言",
            "语言问题",
        ]
        .map(String::from),
    );
    header.extend(point_names.iter().map(|n| safe(n)));
    header.extend(["字数", "计数", "编码", "错误"].map(String::from));
    header
}

/// 学生, the `--name-pattern` fields of `run` and 学生标记.
fn student_cells(run: &RunReport, s: Option<&crate::student::Student>, file: &str) -> Vec<String> {
    let mut v = vec![safe(s.map_or(file, |s| s.id.as_str()))];
    for f in &run.student_fields {
        v.push(safe(
            s.and_then(|s| s.fields.get(f)).map_or("", |x| x.as_str()),
        ));
    }
    v.push(if s.is_some_and(|s| s.mismatch) {
        "文件名不符合模式".into()
    } else {
        String::new()
    });
    v
}

/// The row of a checked answer of `run`.
pub fn answer_row(run: &RunReport, a: &EssayReport) -> Vec<String> {
    let mut r = vec![safe(&a.file), lossy(a.file_lossy)];
    r.extend(student_cells(run, a.student.as_ref(), &a.file));
    r.push(safe(
        a.structure.title.as_ref().map_or("", |t| t.text.as_str()),
    ));
    r.push(fmt_pts(a.score.total));
    r.push(fmt_pts(a.score.max));
    r.push(safe(&a.score.band));
    r.extend(a.score.dimensions.iter().map(|d| fmt_pts(d.score)));
    r.push(
        a.findings
            .iter()
            .filter(|f| crate::lang::RuleId::from_id(f.rule).is_some())
            .count()
            .to_string(),
    );
    r.extend(a.points.iter().map(|p| fmt_pts(p.score)));
    let (count, conv) = match &a.score.length {
        Some(l) => (l.count, l.convention),
        None => (a.counts.grid, "grid"),
    };
    r.push(count.to_string());
    r.push(conv.to_owned());
    r.push(a.encoding.to_owned());
    r.push(String::new());
    r
}

/// The row of a file of `run` that could not be checked (`points`: the scoring-point columns).
pub fn error_row(run: &RunReport, points: usize, e: &InputError) -> Vec<String> {
    let mut r = vec![safe(&e.file), lossy(e.file_lossy)];
    r.extend(student_cells(run, e.student.as_ref(), &e.file));
    r.extend(std::iter::repeat_n(String::new(), 9 + points + 3));
    r.push(safe(&super::error_in_chinese(&e.error)));
    r
}
