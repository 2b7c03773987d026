//! The `caifen` command line.

use anyhow::Result;
use caifen::batch::Outcome;
use caifen::output::{self, Format};
use caifen::report::{Checker, RubricInfo, RunReport};
use caifen::rubric::{self, Rubric};
use caifen::student::NamePattern;
use clap::{Parser, Subcommand};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_DOC: &str = "\
Exit codes:
  0  every answer checked (and at or above --min-score / --min-band when given)
  1  some answer below --min-score or in a band below --min-band (never with --exit-zero)
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
    Check(Box<CheckArgs>),
    /// List the rubrics shipped in the binary.
    Rubrics,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) generated from the command-line definitions.
    Man,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Answer files or folders (walked recursively); `-` reads standard input.
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
    #[arg(long, value_name = "N", value_parser = parse_points)]
    min_score: Option<f64>,
    /// Pass mark as a band (e.g. 二类文): exit 1 when an answer falls in a lower band.
    #[arg(long, value_name = "BAND")]
    min_band: Option<String>,
    /// Report without failing: exit 0 whatever the answers scored (input errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Worker threads for folders (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// File endings that make a file in a folder an answer (comma-separated).
    #[arg(long, value_name = "EXT,...", value_delimiter = ',', default_values_t = caifen::input::DEFAULT_EXTENSIONS.iter().map(|s| s.to_string()))]
    ext: Vec<String>,
    /// Student identity from the file name, e.g. `{学号}_{姓名}`.
    #[arg(long, value_name = "PATTERN")]
    name_pattern: Option<String>,
    /// CSV without the UTF-8 BOM (the BOM lets Excel on Chinese Windows read UTF-8).
    #[arg(long)]
    no_bom: bool,
    /// Write the report to FILE (atomically: a temporary file, then a rename) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Allow --output to write inside one of the input folders.
    #[arg(long)]
    allow_output_in_input: bool,
    /// Largest answer file read, in bytes (standard input too).
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 20)]
    max_bytes: u64,
    /// Deepest folder level searched below a folder given (1: only its own files).
    #[arg(long, value_name = "LEVELS", default_value_t = caifen::input::DEFAULT_MAX_DEPTH, value_parser = parse_at_least_one)]
    max_depth: usize,
    /// Most files looked at in the paths given (answers and other files in folders).
    #[arg(long, value_name = "N", default_value_t = caifen::input::DEFAULT_MAX_FILES, value_parser = parse_at_least_one)]
    max_files: usize,
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
        Command::Check(args) => check(*args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = std::io::stdout();
            clap_complete::generate(shell, &mut Cli::command(), "caifen", &mut out);
            Ok(0)
        }
        Command::Man => {
            use clap::CommandFactory;
            let mut out = std::io::stdout();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            Ok(0)
        }
    }
}

fn load_rubric(arg: Option<&str>) -> std::result::Result<Rubric, String> {
    let name = arg.unwrap_or(rubric::DEFAULT_RUBRIC);
    let path = Path::new(name);
    if path.is_dir() {
        return Err(format!(
            "{}: is a folder, not a rubric file",
            path.display()
        ));
    }
    if path.is_file() {
        // Read no more than the limit: a rubric named by mistake may be a huge file.
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| {
                f.take(rubric::MAX_RUBRIC_BYTES as u64 + 4)
                    .read_to_end(&mut bytes)
            })
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let text = if bytes.len() > rubric::MAX_RUBRIC_BYTES + 3 {
            // Cut anywhere: only its size matters now, and `load` reports it.
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            String::from_utf8(bytes)
                .map_err(|_| format!("{}: the rubric is not UTF-8", path.display()))?
        };
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
    let mut err = anstream::stderr();
    let rubric = match load_rubric(args.rubric.as_deref()) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "caifen: rubric error\n{e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let forced = match &args.encoding {
        Some(label) => {
            match caifen::decode::encoding_for_label(label) {
                Some(e) => Some(e),
                None => {
                    writeln!(err, "caifen: unknown encoding `{label}` (try utf-8, gbk, gb18030, big5, utf-16le)")?;
                    return Ok(caifen::exit::ERROR);
                }
            }
        }
        None => None,
    };
    let pattern = match args
        .name_pattern
        .as_deref()
        .map(NamePattern::new)
        .transpose()
    {
        Ok(p) => p,
        Err(e) => {
            writeln!(err, "caifen: {e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    if let Some(out) = &args.output {
        if !args.allow_output_in_input && caifen::input::inside_inputs(out, &args.paths) {
            writeln!(
                err,
                                "caifen: --output {} is inside an input folder or is an input file; choose another place or add --allow-output-in-input",
                out.display()
            )?;
            return Ok(caifen::exit::ERROR);
        }
    }
    let min_band = match &args.min_band {
        Some(b) => match rubric.bands.iter().position(|x| x.name == b.trim()) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = rubric.bands.iter().map(|x| x.name.as_str()).collect();
                writeln!(
                    err,
                    "caifen: --min-band {b}: the rubric's bands are {}",
                    names.join(", ")
                )?;
                return Ok(caifen::exit::ERROR);
            }
        },
        None => None,
    };
    let mark = caifen::exit::PassMark {
        min_score: args.min_score,
        min_band,
        exit_zero: args.exit_zero,
    };
    let limits = caifen::input::Limits {
        max_depth: args.max_depth,
        max_files: args.max_files,
    };
    let collected = match caifen::input::collect(&args.paths, &args.ext, &limits) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "caifen: {e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    // Whatever the flags, the report never replaces an answer it reads.
    if let Some(out) = &args.output {
        if let Some(hit) = caifen::input::replaces_input(out, &collected.inputs) {
            writeln!(
                err,
                "caifen: --output {} would replace the answer {hit}; choose another name",
                out.display()
            )?;
            return Ok(caifen::exit::ERROR);
        }
    }
    // Standard input is an answer like any other: at most --max-bytes of it is kept.
    let stdin = if collected.inputs.iter().any(|i| i.path.is_none()) {
        let mut b = Vec::new();
        std::io::stdin()
            .take(args.max_bytes.saturating_add(1))
            .read_to_end(&mut b)?;
        Some(b)
    } else {
        None
    };
    let checker = Checker::new(&rubric);
    let opts = caifen::batch::Options {
        jobs: args.jobs,
        forced,
        name_pattern: pattern.as_ref(),
        max_bytes: args.max_bytes,
    };
    let bar = progress_bar(collected.inputs.len());
    let tick = || bar.inc(1);
    let outcomes =
        caifen::batch::check_all(&checker, &collected.inputs, stdin.as_deref(), &opts, &tick);
    bar.finish_and_clear();
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Checked(r) => answers.push(*r),
            Outcome::Failed(e) => errors.push(e),
        }
    }
    let summary = caifen::summary::summarise(&rubric, &answers, &errors, collected.skipped);
    let no_answers = answers.is_empty() && errors.is_empty();
    let run = RunReport {
        schema_version: 1,
        rubric: RubricInfo::of(&rubric),
        answers,
        errors,
        summary,
        pass_mark: args.min_score,
        pass_band: min_band.map(|i| rubric.bands[i].name.clone()),
        student_fields: pattern
            .as_ref()
            .map_or_else(Vec::new, |p| p.names().to_vec()),
    };
    let code = caifen::exit::status(&run, &mark);
    let render = |out: &mut dyn Write| render_run(out, &run, args.format, !args.no_bom);
    match &args.output {
        Some(path) => {
            // Write through a symlink to its target, not over the link.
            let target = match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => {
                    std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())
                }
                _ => path.clone(),
            };
            // A report written to a file never carries terminal colours.
            let plain = |w: &mut dyn Write| render_plain(w, &run, args.format, !args.no_bom);
            let written = match std::fs::metadata(&target) {
                Ok(m) if m.is_dir() => Err(std::io::Error::other("is a folder")),
                // A device or a pipe (`-o /dev/stdout`, `-o >(gzip > r.gz)`) is written to as it
                // is: renaming a file over it would replace the device itself.
                Ok(m) if !m.is_file() => std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target)
                    .and_then(|f| {
                        let mut w = std::io::BufWriter::new(f);
                        plain(&mut w)?;
                        w.flush()
                    }),
                _ => write_atomically(&target, &plain),
            };
            if let Err(e) = written {
                writeln!(err, "caifen: cannot write {}: {e}", path.display())?;
                return Ok(caifen::exit::ERROR);
            }
        }
        None => {
            let mut out = std::io::BufWriter::new(anstream::stdout());
            let written = render(&mut out).and_then(|()| out.flush());
            // A reader that stopped early (`| head`) does not change what the run found.
            match written {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(code),
                other => other?,
            }
        }
    }
    if no_answers {
        writeln!(
            err,
            "caifen: no answer files found (folders hold answers ending in {}; see --ext)",
            caifen::input::clean_extensions(&args.ext).join(", ")
        )?;
        return Ok(caifen::exit::ERROR);
    }
    if args.format != Format::Pretty || args.output.is_some() {
        for e in &run.errors {
            writeln!(
                err,
                "caifen: {}: {}",
                caifen::report::printable(&e.file),
                e.error
            )?;
        }
    }
    if run.answers.len() + run.errors.len() > 1
        && (args.format != Format::Pretty || args.output.is_some())
    {
        writeln!(err, "caifen: {}", output::pretty::count_line(&run))?;
    }
    Ok(code)
}

fn render_run(
    out: &mut (dyn Write + '_),
    run: &RunReport,
    format: Format,
    bom: bool,
) -> std::io::Result<()> {
    match format {
        Format::Pretty => output::pretty::write(out, run),
        Format::Json => output::json::write(out, run),
        Format::Jsonl => output::json::write_lines(out, run),
        Format::Csv => output::csv::write(out, run, bom),
        Format::Html => output::html::write(out, run),
        Format::Github => output::github::write(out, run),
    }
}

/// Render without terminal colours (for files). Only the pretty report has colours; it is
/// rendered into memory and stripped.
fn render_plain(
    out: &mut dyn Write,
    run: &RunReport,
    format: Format,
    bom: bool,
) -> std::io::Result<()> {
    if format != Format::Pretty {
        return render_run(out, run, format, bom);
    }
    let mut strip = anstream::StripStream::new(Vec::new());
    render_run(&mut strip, run, format, bom)?;
    out.write_all(&strip.into_inner())
}

fn parse_at_least_one(s: &str) -> std::result::Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{s}` is not a whole number ≥ 1")),
    }
}

fn parse_points(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("`{s}` is not a number of points ≥ 0")),
    }
}

/// A progress bar on stderr when stderr is a terminal and there is more than one file.
fn progress_bar(n: usize) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if n < 2 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed_precise} 剩余{eta}")
    {
        bar.set_style(style);
    }
    bar
}

/// Write through a temporary file in the same folder, then rename: a failed run leaves no
/// half-written report.
fn write_atomically(
    path: &Path,
    render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        // tempfile adds "at path <its random name>", which means nothing to the user.
        match e.to_string().split_once(" at path ") {
            Some((message, _)) => std::io::Error::new(e.kind(), message.to_owned()),
            None => e,
        }
    })?;
    // A report is an ordinary file, not a private temporary one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))?;
    }
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        render(&mut w)?;
        w.flush()?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
