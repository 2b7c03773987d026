//! The exit status, decided once from the run whatever the output format.
//!
//! - 0: every file checked, and every answer at or above the pass mark (when one is set);
//! - 1: every file checked, and some answer below the pass mark (`--min-score` points, or
//!   `--min-band`: a band lower than the one named);
//! - 2: a usage, rubric or input error (an unreadable, binary or undecodable file), even when
//!   other files were checked and reported.
//!
//! `--exit-zero` reports without failing: 0 whatever the answers scored (errors still give 2).

use crate::report::{EssayReport, RunReport};

pub const OK: u8 = 0;
pub const BELOW_PASS_MARK: u8 = 1;
pub const ERROR: u8 = 2;

/// The pass mark of a run.
#[derive(Clone, Debug, Default)]
pub struct PassMark {
    /// Points (`--min-score`).
    pub min_score: Option<f64>,
    /// Position of the lowest passing band in the rubric's bands (`--min-band`), 0 = highest.
    pub min_band: Option<usize>,
    /// `--exit-zero`: never exit 1.
    pub exit_zero: bool,
}

/// Whether an answer falls short of the run's pass mark (`pass_mark` points, `pass_band`).
pub fn below_pass_mark(run: &RunReport, a: &EssayReport) -> bool {
    below_pass_score(run, a) || below_pass_band(run, a)
}

/// Whether an answer's total is below the run's pass mark in points (`pass_mark`).
pub fn below_pass_score(run: &RunReport, a: &EssayReport) -> bool {
    run.pass_mark.is_some_and(|m| a.score.total + 1e-9 < m)
}

/// Whether an answer's band is below the run's pass band (`pass_band`).
pub fn below_pass_band(run: &RunReport, a: &EssayReport) -> bool {
    let band_rank = |b: &str| run.rubric.bands.iter().position(|x| x.name == b);
    run.pass_band
        .as_deref()
        .is_some_and(|p| match band_rank(p) {
            Some(m) => band_rank(&a.score.band).is_none_or(|r| r > m),
            None => true,
        })
}

pub fn status(run: &RunReport, mark: &PassMark) -> u8 {
    let errors = !run.errors.is_empty();
    decide(
        errors,
        run.answers.iter().any(|a| fails(run, mark, a)),
        mark,
    )
}

/// The exit status of a run with an input error (`errors`) or not, and with an answer that
/// [`fails`] the pass mark or not.
pub fn decide(errors: bool, below: bool, mark: &PassMark) -> u8 {
    if errors {
        ERROR
    } else if below && !mark.exit_zero {
        BELOW_PASS_MARK
    } else {
        OK
    }
}

/// Whether answer `a` of `run` falls short of `mark` (`--min-score`, `--min-band`), `--exit-zero`
/// aside: one answer's part of [`status`].
pub fn fails(run: &RunReport, mark: &PassMark, a: &EssayReport) -> bool {
    let band_rank = |b: &str| run.rubric.bands.iter().position(|x| x.name == b);
    mark.min_score.is_some_and(|m| a.score.total + 1e-9 < m)
        || mark
            .min_band
            .is_some_and(|m| band_rank(&a.score.band).is_none_or(|r| r > m))
}
