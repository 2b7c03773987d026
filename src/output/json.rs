//! The JSON report: one run object `{"schema_version": 1, "rubric", "answers", "errors"}`.

use crate::report::RunReport;
use std::io::{self, Write};

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, run).map_err(io::Error::other)?;
    writeln!(out)
}
