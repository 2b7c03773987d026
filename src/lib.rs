//! caifen (采分): checks a structured answer to a Chinese civil-service exam question (申论 应用文)
//! against a YAML rubric: decode → segment → measure → grade → report.
//!
//! The library never prints: printers write to the writer they are given.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod calibrate;
pub mod check;
pub mod config;
pub mod count;
pub mod decode;
pub mod docx;
pub mod draft;
pub mod exit;
pub mod explain;
pub mod gaming;
pub mod input;
pub mod lang;
pub mod locate;
pub mod markdown;
pub mod normalize;
pub mod output;
pub mod question;
pub mod reference;
pub mod report;
pub mod rubric;
pub mod scaffold;
pub mod schema;
pub mod score;
pub mod segment;
pub mod serve;
pub mod span;
pub mod student;
pub mod summary;
pub mod words;

pub use report::{Checker, EssayReport, RunReport};
pub use rubric::{load as load_rubric, Rubric, RubricError};
