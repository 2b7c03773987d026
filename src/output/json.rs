//! The JSON report: one run object `{"schema_version": 1, "rubric", "answers", "errors"}`.

use crate::report::RunReport;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, run).map_err(io::Error::from)?;
    writeln!(out)
}

/// One run object per line, each with exactly one file in `answers` or `errors` (no summary).
pub fn write_lines(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        schema_version: u32,
        rubric: &'a crate::report::RubricInfo,
        answers: &'a [crate::report::EssayReport],
        errors: &'a [crate::report::InputError],
        pass_mark: Option<f64>,
        student_fields: &'a [String],
    }
    let mut items: Vec<(usize, Line)> = Vec::new();
    for (i, a) in run.answers.iter().enumerate() {
        items.push((
            a.order,
            Line {
                schema_version: run.schema_version,
                rubric: &run.rubric,
                answers: std::slice::from_ref(&run.answers[i]),
                errors: &[],
                pass_mark: run.pass_mark,
                student_fields: &run.student_fields,
            },
        ));
    }
    for (i, e) in run.errors.iter().enumerate() {
        items.push((
            e.order,
            Line {
                schema_version: run.schema_version,
                rubric: &run.rubric,
                answers: &[],
                errors: std::slice::from_ref(&run.errors[i]),
                pass_mark: run.pass_mark,
                student_fields: &run.student_fields,
            },
        ));
    }
    items.sort_by_key(|(o, _)| *o);
    for (_, l) in items {
        serde_json::to_writer(&mut *out, &l).map_err(io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}
