//! Printers: format a [`RunReport`](crate::report::RunReport) onto a writer they are given.
//! They never count errors or decide the exit code ([`crate::exit`] does).

pub mod json;
pub mod pretty;

/// Output formats of `caifen check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// A report in Chinese for people (colour on a terminal).
    #[default]
    Pretty,
    /// One JSON run object (schema_version 1), documented in the README.
    Json,
}
