//! The `caifen` command line.

use anyhow::Result;
use caifen::output::{self, Format};
use caifen::report::{Checker, InputError, RubricInfo, RunReport};
use caifen::rubric::{self, Rubric};
use clap::{Parser, Subcommand};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_DOC: &str = "\
Exit codes:
  0  every answer checked (and at or above --min-score when given)
  1  some answer below --min-score
  2  usage, rubric or input error (other files are still checked and reported)";

#[derive(Parser)]
#[command(name = "caifen", version, about = "采分：按评分标准（YAML）检查申论应用文作答", after_help = EXIT_DOC)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check answers (.txt/.md in any common encoding) against a rubric and print a report.
    #[command(after_help = EXIT_DOC)]
    Check(CheckArgs),
    /// List the rubrics shipped in the binary.
    Rubrics,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Answer files; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// A rubric file, or the name of a shipped rubric (see `caifen rubrics`). Default: the
    /// embedded rubric for the seed question (shanxi_zhualuoshi).
    #[arg(long, value_name = "FILE|NAME")]
    rubric: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
    /// Force a decoding (WHATWG label: utf-8, gbk, gb18030, big5, utf-16le, utf-16be).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Pass mark in points: exit 1 when an answer's total is below it.
    #[arg(long, value_name = "N")]
    min_score: Option<f64>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                caifen::exit::ERROR
            } else {
                0
            });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // A closed pipe (`caifen check … | head`) is not an error worth a message.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let mut err = anstream::stderr();
            let _ = writeln!(err, "caifen: {e:#}");
            ExitCode::from(caifen::exit::ERROR)
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Rubrics => {
            let mut out = anstream::stdout();
            for (name, yaml) in rubric::BUILTIN {
                let r = rubric::load(yaml, &format!("builtin:{name}"), name)?;
                writeln!(
                    out,
                    "{name}\t{}\t{}",
                    r.genre.as_deref().unwrap_or("-"),
                    r.title
                )?;
            }
            Ok(0)
        }
        Command::Check(args) => check(args),
    }
}

fn load_rubric(arg: Option<&str>) -> std::result::Result<Rubric, String> {
    let name = arg.unwrap_or(rubric::DEFAULT_RUBRIC);
    let path = Path::new(name);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| format!("{}: the rubric is not UTF-8", path.display()))?;
        let stem = path
            .file_stem()
            .map_or_else(|| "rubric".into(), |s| s.to_string_lossy().into_owned());
        return rubric::load(&text, &path.display().to_string(), &stem).map_err(|e| e.to_string());
    }
    if let Some(yaml) = rubric::builtin(name) {
        return rubric::load(yaml, &format!("builtin:{name}"), name).map_err(|e| e.to_string());
    }
    let names: Vec<&str> = rubric::BUILTIN.iter().map(|(n, _)| *n).collect();
    Err(format!(
        "no rubric file or shipped rubric named `{name}` (shipped: {})",
        names.join(", ")
    ))
}

fn check(args: CheckArgs) -> Result<u8> {
    let rubric = match load_rubric(args.rubric.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            let mut err = anstream::stderr();
            writeln!(err, "caifen: rubric error\n{e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let forced = match &args.encoding {
        Some(label) => {
            match caifen::decode::encoding_for_label(label) {
                Some(e) => Some(e),
                None => {
                    let mut err = anstream::stderr();
                    writeln!(err, "caifen: unknown encoding `{label}` (try utf-8, gbk, gb18030, big5, utf-16le)")?;
                    return Ok(caifen::exit::ERROR);
                }
            }
        }
        None => None,
    };
    let checker = Checker::new(&rubric);
    let mut run = RunReport {
        schema_version: 1,
        rubric: RubricInfo::of(&rubric),
        answers: Vec::new(),
        errors: Vec::new(),
    };
    let mut stdin_used = false;
    for path in &args.paths {
        let (file, lossy) = display_path(path);
        let bytes = if path.as_os_str() == "-" {
            if stdin_used {
                run.errors.push(InputError {
                    file,
                    file_lossy: lossy,
                    error: "standard input given twice".into(),
                });
                continue;
            }
            stdin_used = true;
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map(|_| b)
        } else if path.is_dir() {
            run.errors.push(InputError {
                file,
                file_lossy: lossy,
                error: "is a folder: give the answer files inside it".into(),
            });
            continue;
        } else {
            std::fs::read(path)
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                run.errors.push(InputError {
                    file,
                    file_lossy: lossy,
                    error: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        if bytes.starts_with(b"PK\x03\x04") {
            run.errors.push(InputError {
                file,
                file_lossy: lossy,
                error: "a .docx/zip file: this version reads .txt and .md answers (save the answer as text)".into(),
            });
            continue;
        }
        match checker.check_bytes(&file, lossy, &bytes, forced) {
            Ok(report) => run.answers.push(report),
            Err(e) => run.errors.push(InputError {
                file,
                file_lossy: lossy,
                error: e.to_string(),
            }),
        }
    }
    let code = caifen::exit::status(&run, args.min_score);
    let mut out = anstream::stdout();
    match args.format {
        Format::Pretty => output::pretty::write(&mut out, &run)?,
        Format::Json => output::json::write(&mut out, &run)?,
    }
    out.flush()?;
    if !run.errors.is_empty() && args.format != Format::Pretty {
        let mut err = anstream::stderr();
        for e in &run.errors {
            writeln!(err, "caifen: {}: {}", e.file, e.error)?;
        }
    }
    Ok(code)
}

/// A path for display: lossy when it is not valid UTF-8 (case B44), and whether it was.
fn display_path(p: &Path) -> (String, bool) {
    if p.as_os_str() == "-" {
        return ("<stdin>".into(), false);
    }
    match p.to_str() {
        Some(s) => (s.to_owned(), false),
        None => (p.to_string_lossy().into_owned(), true),
    }
}
