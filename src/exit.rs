//! The exit status, decided once from the run whatever the output format.
//!
//! - 0: every file checked, and every answer at or above the pass mark (when one is set);
//! - 1: every file checked, and some answer below the pass mark (`--min-score`);
//! - 2: a usage, rubric or input error (an unreadable, binary or undecodable file), even when
//!   other files were checked and reported.

use crate::report::RunReport;

pub const OK: u8 = 0;
pub const BELOW_PASS_MARK: u8 = 1;
pub const ERROR: u8 = 2;

pub fn status(run: &RunReport, min_score: Option<f64>) -> u8 {
    if !run.errors.is_empty() {
        return ERROR;
    }
    match min_score {
        Some(m) if run.answers.iter().any(|a| a.score.total + 1e-9 < m) => BELOW_PASS_MARK,
        _ => OK,
    }
}
