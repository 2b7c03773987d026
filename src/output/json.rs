//! The JSON report: one run object `{"schema_version": 1, "rubric", "answers", "errors"}`.

use crate::report::{EssayReport, InputError, RunReport};
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, run).map_err(io::Error::from)?;
    writeln!(out)
}

/// One run object per line, each with exactly one file in `answers` or `errors` (no summary).
pub fn write_lines(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    // In input order: answers and errors interleaved as the files came.
    let mut items: Vec<(usize, Result<&EssayReport, &InputError>)> = Vec::new();
    items.extend(run.answers.iter().map(|a| (a.order, Ok(a))));
    items.extend(run.errors.iter().map(|e| (e.order, Err(e))));
    items.sort_by_key(|(o, _)| *o);
    for (_, item) in items {
        write_line(out, run, item)?;
    }
    Ok(())
}

/// The line of one file of `run` (its answers and errors are not written): a checked answer, or
/// an input that could not be checked.
pub fn write_line(
    out: &mut dyn Write,
    run: &RunReport,
    item: Result<&EssayReport, &InputError>,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        schema_version: u32,
        rubric: &'a crate::report::RubricInfo,
        answers: &'a [EssayReport],
        errors: &'a [InputError],
        pass_mark: Option<f64>,
        pass_band: Option<&'a str>,
        student_fields: &'a [String],
    }
    let (answers, errors) = match item {
        Ok(a) => (std::slice::from_ref(a), &[][..]),
        Err(e) => (&[][..], std::slice::from_ref(e)),
    };
    let line = Line {
        schema_version: run.schema_version,
        rubric: &run.rubric,
        answers,
        errors,
        pass_mark: run.pass_mark,
        pass_band: run.pass_band.as_deref(),
        student_fields: &run.student_fields,
    };
    serde_json::to_writer(&mut *out, &line).map_err(io::Error::from)?;
    writeln!(out)
}
