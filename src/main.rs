//! The `caifen` command line.

use anyhow::Result;
use caifen::batch::Outcome;
use caifen::config;
use caifen::output::{self, Format};
use caifen::report::{Checker, RubricInfo, RunReport};
use caifen::rubric::{self, Rubric};
use caifen::student::NamePattern;
use clap::{Parser, Subcommand};
use std::io::{Read, Write};

/// mimalloc: a check allocates many small strings and vectors; with it a check costs about 10%
/// less than with the system allocator (`examples/perf_probe`, the fastest of 20 passes).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The `Ok` value, or the error on stderr as `caifen: <what><error>` and exit status 2.
macro_rules! or_exit {
    ($result:expr, $what:expr) => {
        match $result {
            Ok(v) => v,
            Err(e) => {
                writeln!(anstream::stderr(), "caifen: {}{e}", $what)?;
                return Ok(caifen::exit::ERROR);
            }
        }
    };
}

const EXIT_DOC: &str = "\
Exit codes:
  0  every answer checked (and at or above --min-score / --min-band when given)
  1  some answer below --min-score or in a band below --min-band (never with --exit-zero)
  2  usage, rubric or input error (other files are still checked and reported)
  130  interrupted (Ctrl-C, SIGTERM, SIGHUP); no half-written report is left";

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
    /// Show how caifen read one answer: encoding, normalisation, structure, paragraphs and
    /// sentences, the jieba tokens of a paragraph, and every rubric term matched or rejected.
    Explain(ExplainArgs),
    /// Compare caifen with a teacher's marks (agreement figures) and, with --fit, fit the
    /// rubric's weights to them.
    Calibrate(CalibrateArgs),
    /// List the rubrics shipped in the binary (as `caifen rubric list`).
    Rubrics,
    /// Write, check and test rubrics.
    #[command(subcommand)]
    Rubric(RubricCommand),
    /// Print the settings in force (from `caifen.toml` and the command line) and where each
    /// came from.
    Config(SettingsArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) generated from the command-line definitions.
    Man {
        /// A command (`check`, or `rubric check`): print its own page, caifen-check(1), with
        /// its options (the main page lists the commands by these names). Default: the main page.
        command: Vec<String>,
    },
    /// Serve a local web page (and `POST /api/check`): paste or upload an answer, or a class
    /// folder, and see the report. Nothing is stored; nothing leaves the machine.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8421)]
    port: u16,
    /// Address to listen on. Anything but loopback lets other machines use the page.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Open the page in the default browser.
    #[arg(long)]
    open: bool,
    /// Largest request (form or API), in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = caifen::serve::Limits::default().request_bytes)]
    max_request_bytes: usize,
    /// Most files in one upload.
    #[arg(long, value_name = "N", default_value_t = caifen::serve::Limits::default().files)]
    max_files: usize,
    /// Most entries in one .zip.
    #[arg(long, value_name = "N", default_value_t = caifen::serve::Limits::default().zip_entries)]
    max_zip_entries: usize,
    /// Most bytes of a class upload's .zip entries once uncompressed.
    #[arg(long, value_name = "BYTES", default_value_t = caifen::serve::Limits::default().zip_bytes)]
    max_zip_bytes: u64,
    /// Most characters in one answer.
    #[arg(long, value_name = "N", default_value_t = caifen::serve::Limits::default().answer_chars)]
    max_answer_chars: usize,
}

/// Settings that `caifen.toml` can also give: the command line wins.
#[derive(clap::Args, Clone, Default)]
struct SettingsArgs {
    /// Use this config file instead of the `caifen.toml` found from the current folder upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any `caifen.toml`.
    #[arg(long)]
    no_config: bool,
    /// A rubric file, or the name of a shipped rubric (see `caifen rubrics`), for every answer
    /// (it overrides the config's rubric and its per-path rubrics). Default: the embedded rubric
    /// for the seed question (shanxi_zhualuoshi).
    #[arg(long, value_name = "FILE|NAME")]
    rubric: Option<String>,
    /// Output format [default: pretty].
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Pass mark in points: exit 1 when an answer's total is below it.
    #[arg(long, value_name = "N", value_parser = parse_points, allow_negative_numbers = true)]
    min_score: Option<f64>,
    /// Pass mark as a band (e.g. 二类文): exit 1 when an answer falls in a lower band.
    #[arg(long, value_name = "BAND")]
    min_band: Option<String>,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// The answer file (.txt, .md, .docx); `-` reads standard input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The body paragraph (第N段, 1-based) whose jieba tokens are listed [default: 1].
    #[arg(long, value_name = "N")]
    paragraph: Option<usize>,
    /// A rubric file or shipped rubric name (default: from caifen.toml, else the seed rubric).
    #[arg(long, value_name = "FILE|NAME")]
    rubric: Option<String>,
    /// Force a decoding (WHATWG label: utf-8, gbk, gb18030, big5, utf-16le, utf-16be).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Use this config file instead of the `caifen.toml` found from the current folder upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any `caifen.toml`.
    #[arg(long)]
    no_config: bool,
}

#[derive(clap::Args)]
struct CalibrateArgs {
    /// Folders or files of the marked answers.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The teacher's marks: CSV with a header naming `file` (文件) and `score` (分数), and
    /// optionally `band` (分档). A file is named by its path under PATH, or its file name.
    #[arg(long, value_name = "CSV")]
    scores: PathBuf,
    /// A rubric file or shipped rubric name (default: caifen.toml's rubric, else the seed rubric).
    #[arg(long, value_name = "FILE|NAME")]
    rubric: Option<String>,
    /// The teacher's full mark (default: the rubric's total); scores are rescaled to the rubric.
    #[arg(long = "max", value_name = "POINTS", value_parser = parse_points)]
    teacher_max: Option<f64>,
    /// Fit scoring-point and dimension weights to the marks and write a new rubric.
    #[arg(long)]
    fit: bool,
    /// Folds of the cross-validation that reports the fit's agreement out of sample.
    #[arg(long, value_name = "K", default_value_t = 5)]
    folds: usize,
    /// Where the fitted rubric goes (default: `<rubric>.fitted.yaml` beside a rubric file, or
    /// in the current folder for a shipped rubric).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Force a decoding (WHATWG label).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Use this config file instead of the `caifen.toml` found from the current folder upward.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any `caifen.toml`.
    #[arg(long)]
    no_config: bool,
}

#[derive(Subcommand)]
enum RubricCommand {
    /// List the rubrics shipped in the binary: name, genre, title.
    List,
    /// Print a rubric's YAML (a shipped name or a file).
    Show {
        #[arg(value_name = "FILE|NAME")]
        rubric: String,
    },
    /// Validate rubric files: every problem with file:line:column and key; exit 2 if any.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Scaffold a question rubric from a question (题目 and 要求): the length rule parsed from
    /// 要求, the genre's structure, empty scoring points to fill in.
    Init {
        /// The genre (文种), e.g. 经验材料, 倡议书, 发言稿.
        #[arg(long, value_name = "GENRE")]
        genre: String,
        /// The question file (题目 and 要求; a transcribed paper's 【题目】 section is recognised).
        #[arg(long, value_name = "FILE")]
        question: PathBuf,
        /// The rubric id (default: the question file's stem).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// How many empty scoring points to write.
        #[arg(long, value_name = "N", default_value_t = 5)]
        points: usize,
        /// Write to FILE instead of stdout (never over an existing file).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Propose a question rubric from the question, its material and reference answers:
    /// recurring terms (jieba TF-IDF) grouped into scoring points, with where each came from.
    Draft {
        /// The question file (its 给定资料 section, when present, is the material).
        #[arg(long, value_name = "FILE")]
        question: PathBuf,
        /// The 给定资料, when not in the question file.
        #[arg(long, value_name = "FILE")]
        material: Option<PathBuf>,
        /// A reference answer (repeat the flag for several).
        #[arg(long = "reference", value_name = "FILE")]
        references: Vec<PathBuf>,
        /// The genre (default: named in the question, else 应用文).
        #[arg(long, value_name = "GENRE")]
        genre: Option<String>,
        /// The rubric id (default: the question file's stem).
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// Write to FILE instead of stdout (never over an existing file).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Print the JSON Schema of the rubric format (as committed in rubrics/schema.json).
    Schema,
    /// Check fixture answers against the bands or score ranges expected beside them
    /// (`<answer stem>.expect.yaml`: band, min_band, max_band or score: [low, high]); exit 1 when
    /// one misses, 2 on errors.
    Test {
        #[arg(value_name = "FILE|NAME")]
        rubric: String,
        /// The folder of fixture answers.
        #[arg(long, value_name = "DIR")]
        cases: PathBuf,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Answer files or folders (walked recursively); `-` reads standard input. Default, when a
    /// `caifen.toml` is found: the folder holding it.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    settings: SettingsArgs,
    /// Force a decoding (WHATWG label: utf-8, gbk, gb18030, big5, utf-16le, utf-16be).
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
    /// Report without failing: exit 0 whatever the answers scored (input errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Worker threads for folders (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// File endings that make a file in a folder an answer (comma-separated; the config's
    /// `include` globs replace this rule).
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
    /// Largest answer file read, in bytes (standard input too); a larger value is taken as
    /// 1 GiB (1073741824).
    #[arg(long, value_name = "BYTES", default_value_t = 10 << 20,
        value_parser = |v: &str| v.parse::<u64>().map(|n| n.min(caifen::batch::MAX_ANSWER_BYTES)))]
    max_bytes: u64,
    /// A reference answer (参考答案): its sentences aligned to each answer's, with inline
    /// changes, and the scoring points it earns that the answer does not.
    #[arg(long, value_name = "FILE")]
    reference: Option<PathBuf>,
    /// The 给定资料 (a text file; a question file's 【给定资料】 section is used when present):
    /// runs of 30+ characters copied from it are findings, and cap the points they carry.
    #[arg(long, value_name = "FILE")]
    material: Option<PathBuf>,
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
        Command::Rubrics => list_rubrics(),
        Command::Check(args) => check(*args),
        Command::Rubric(cmd) => rubric_command(cmd),
        Command::Explain(args) => explain(args),
        Command::Calibrate(args) => calibrate(args),
        Command::Config(args) => match settings(&args) {
            Ok(r) => {
                let mut out = anstream::stdout();
                r.describe(&mut out)?;
                Ok(0)
            }
            Err(e) => {
                writeln!(anstream::stderr(), "caifen: config error\n{e}")?;
                Ok(caifen::exit::ERROR)
            }
        },
        Command::Completions { shell } => {
            use clap::CommandFactory;
            // Generated into memory: clap_complete panics when its writer fails (a closed pipe,
            // a full disk); our own write reports it like every other command.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "caifen", &mut script);
            let mut out = std::io::stdout();
            out.write_all(&script).and_then(|()| out.flush())?;
            Ok(0)
        }
        Command::Serve(args) => serve(args),
        Command::Man { command } => {
            use clap::CommandFactory;
            let mut out = std::io::stdout();
            if command.is_empty() {
                clap_mangen::Man::new(Cli::command()).render(&mut out)?;
                return Ok(0);
            }
            // Built first, so that a command's page is named and used as `caifen check`.
            let mut root = Cli::command();
            root.build();
            let mut page = &root;
            for name in &command {
                match page.find_subcommand(name) {
                    Some(sub) => page = sub,
                    None => {
                        let names: Vec<&str> =
                            page.get_subcommands().map(|c| c.get_name()).collect();
                        let mut err = anstream::stderr();
                        if names.is_empty() {
                            writeln!(
                                err,
                                "caifen man: `{}` has no commands",
                                page.get_bin_name().unwrap_or("caifen")
                            )?;
                        } else {
                            writeln!(
                                err,
                                "caifen man: no command `{name}` (commands: {})",
                                names.join(", ")
                            )?;
                        }
                        return Ok(caifen::exit::ERROR);
                    }
                }
            }
            clap_mangen::Man::new(page.clone()).render(&mut out)?;
            Ok(0)
        }
    }
}

fn serve(args: ServeArgs) -> Result<u8> {
    use std::net::ToSocketAddrs;
    let mut err = anstream::stderr();
    let addrs: Vec<std::net::SocketAddr> = match (args.host.as_str(), args.port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(e) => {
            writeln!(err, "caifen: --host {}: {e}", args.host)?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let listener = match std::net::TcpListener::bind(&addrs[..]) {
        Ok(l) => l,
        Err(e) => {
            writeln!(
                err,
                "caifen: cannot listen on {}:{}: {e}",
                args.host, args.port
            )?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        writeln!(
            err,
            "caifen: warning: listening on {addr}, not loopback: other machines on the network can open the page and send answers to it"
        )?;
    }
    let url = format!("http://{addr}/");
    let mut out = std::io::stdout();
    writeln!(out, "caifen serve: {url}  (Ctrl-C to stop)")?;
    out.flush()?;
    if args.open {
        if let Err(e) = open_browser(&url) {
            writeln!(
                err,
                "caifen: cannot open a browser ({e}); open {url} yourself"
            )?;
        }
    }
    let limits = caifen::serve::Limits {
        request_bytes: args.max_request_bytes,
        files: args.max_files,
        zip_entries: args.max_zip_entries,
        zip_bytes: args.max_zip_bytes,
        answer_chars: args.max_answer_chars,
    };
    caifen::serve::run(listener, limits)?;
    Ok(0)
}

/// Open `url` in the default browser, without waiting for it.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// The decoding `--encoding` forces (WHATWG label), if any.
fn forced_encoding(
    label: Option<&str>,
) -> std::result::Result<Option<&'static encoding_rs::Encoding>, String> {
    match label {
        None => Ok(None),
        Some(l) => caifen::decode::encoding_for_label(l)
            .map(Some)
            .ok_or_else(|| {
                format!("unknown encoding `{l}` (try utf-8, gbk, gb18030, big5, utf-16le)")
            }),
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
            caifen::decode::text_file(&bytes)
                .map_err(|e| format!("{}:{e}", path.display()))?
                .0
        };
        let stem = path
            .file_stem()
            .map_or_else(|| "rubric".into(), |s| s.to_string_lossy().into_owned());
        return rubric::load_in(&text, &path.display().to_string(), &stem, path.parent())
            .map_err(|e| e.to_string());
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

/// The settings in force: `--config`, or the `caifen.toml` found from the current folder
/// upward (unless `--no-config`), under the command line.
fn settings(args: &SettingsArgs) -> std::result::Result<config::Resolved, String> {
    let path = if args.no_config {
        None
    } else if let Some(p) = &args.config {
        Some(p.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|d| config::discover(&d))
    };
    let config = match path {
        Some(p) => Some(config::Config::load(&p).map_err(|e| e.to_string())?),
        None => None,
    };
    Ok(config::resolve(
        config,
        config::Overrides {
            rubric: args.rubric.clone(),
            format: args.format,
            min_score: args.min_score,
            min_band: args.min_band.clone(),
        },
    ))
}

fn explain(args: ExplainArgs) -> Result<u8> {
    let mut err = anstream::stderr();
    let resolved = match settings(&SettingsArgs {
        config: args.config.clone(),
        no_config: args.no_config,
        rubric: args.rubric.clone(),
        ..SettingsArgs::default()
    }) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "caifen: config error\n{e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let stdin = args.file.as_os_str() == "-";
    let (spec, _) = resolved.rubric_for((!stdin).then_some(args.file.as_path()));
    let rubric = or_exit!(load_rubric(Some(spec)), "rubric error\n");
    let forced = or_exit!(forced_encoding(args.encoding.as_deref()), "");
    let (display, _) = caifen::input::display_path(&args.file);
    let bytes = if stdin {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        b
    } else {
        match caifen::batch::read_limited(&args.file, 10 << 20) {
            Ok(b) => b,
            Err(e) => {
                writeln!(err, "caifen: {}: {e}", caifen::report::printable(&display))?;
                return Ok(caifen::exit::ERROR);
            }
        }
    };
    let checker = Checker::new(&rubric);
    let req = caifen::explain::Request {
        file: if stdin { "<stdin>" } else { &display },
        bytes: &bytes,
        forced,
        paragraph: args.paragraph,
    };
    let mut out = std::io::BufWriter::new(anstream::stdout());
    match caifen::explain::write(&mut out, &checker, &req) {
        Ok(()) => {}
        Err(caifen::explain::ExplainError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return Ok(0)
        }
        Err(caifen::explain::ExplainError::Io(e)) => return Err(e.into()),
        Err(e) => {
            out.flush()?;
            writeln!(err, "caifen: {}: {e}", caifen::report::printable(&display))?;
            return Ok(caifen::exit::ERROR);
        }
    }
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        other => {
            other?;
            Ok(0)
        }
    }
}

fn list_rubrics() -> Result<u8> {
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

fn rubric_command(cmd: RubricCommand) -> Result<u8> {
    let mut err = anstream::stderr();
    match cmd {
        RubricCommand::List => list_rubrics(),
        RubricCommand::Show { rubric } => match rubric_text(&rubric) {
            Some((text, _)) => {
                let mut out = anstream::stdout();
                write!(out, "{text}")?;
                if !text.ends_with('\n') {
                    writeln!(out)?;
                }
                Ok(0)
            }
            None => {
                writeln!(
                    err,
                    "caifen: no rubric file or shipped rubric named `{rubric}`"
                )?;
                Ok(caifen::exit::ERROR)
            }
        },
        RubricCommand::Check { files } => {
            let mut out = anstream::stdout();
            let mut code = 0;
            for f in &files {
                match load_rubric(Some(&f.display().to_string())) {
                    Ok(r) => {
                        writeln!(
                            out,
                            "{}: ok — {}（{}），{} 个采分点，总分 {}",
                            f.display(),
                            r.title,
                            r.id,
                            r.points.len(),
                            rubric::fmt_pts(r.total)
                        )?;
                        // 「领导小组、排查」 is one keyword that an answer must write whole: said, in
                        // case a list was meant (县委、县政府 is one term).
                        for p in &r.points {
                            for t in p.groups.iter().flat_map(|g| &g.terms) {
                                if let rubric::Term::Literal(w) = t {
                                    if w.contains('、') {
                                        writeln!(out, "  提示：采分点 {} 的关键词「{w}」含顿号，是一个词：作答须整体写出才得分；若是几个关键词，请写成 [甲, 乙]", p.id)?;
                                    }
                                }
                            }
                        }
                    }
                    Err(e) => {
                        writeln!(err, "{e}")?;
                        code = caifen::exit::ERROR;
                    }
                }
            }
            Ok(code)
        }
        RubricCommand::Init {
            genre,
            question,
            id,
            points,
            output,
        } => {
            let text = match std::fs::read(&question) {
                Ok(b) => match caifen::decode::decode(&b, None) {
                    Ok(d) => d.text,
                    Err(e) => {
                        writeln!(err, "caifen: {}: {e}", question.display())?;
                        return Ok(caifen::exit::ERROR);
                    }
                },
                Err(e) => {
                    writeln!(err, "caifen: {}: cannot read: {e}", question.display())?;
                    return Ok(caifen::exit::ERROR);
                }
            };
            let q = caifen::question::parse(&text);
            let id = id.unwrap_or_else(|| {
                question
                    .file_stem()
                    .map_or_else(|| "question".into(), |s| s.to_string_lossy().into_owned())
            });
            let source = question
                .file_name()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let yaml = caifen::scaffold::init(&q, &id, genre.trim(), &source, points);
            if write_new(output.as_deref(), &yaml, "")? != 0 {
                return Ok(caifen::exit::ERROR);
            }
            if q.length.is_none() {
                writeln!(err, "caifen: the question states no length (不超过N字, N字左右, N～M字): set `length` by hand")?;
            }
            Ok(0)
        }
        RubricCommand::Test { rubric, cases } => rubric_test(&rubric, &cases),
        RubricCommand::Schema => {
            write!(
                anstream::stdout(),
                "{}",
                caifen::schema::rubric_schema_text()
            )?;
            Ok(0)
        }
        RubricCommand::Draft {
            question,
            material,
            references,
            genre,
            id,
            output,
        } => rubric_draft(
            &question,
            material.as_deref(),
            &references,
            genre,
            id,
            output,
        ),
    }
}

/// Read a text file in any common encoding (for questions, material and references).
fn read_text(path: &Path) -> std::result::Result<String, String> {
    let bytes = caifen::batch::read_limited(path, 10 << 20)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    caifen::decode::decode(&bytes, None)
        .map(|d| d.text)
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn rubric_draft(
    question: &Path,
    material: Option<&Path>,
    references: &[PathBuf],
    genre: Option<String>,
    id: Option<String>,
    output: Option<PathBuf>,
) -> Result<u8> {
    let mut err = anstream::stderr();
    let mut texts = Vec::new();
    for p in std::iter::once(question)
        .chain(material)
        .chain(references.iter().map(PathBuf::as_path))
    {
        match read_text(p) {
            Ok(t) => texts.push(t),
            Err(e) => {
                writeln!(err, "caifen: {e}")?;
                return Ok(caifen::exit::ERROR);
            }
        }
    }
    let q = caifen::question::parse(&texts[0]);
    let (material_text, material_name) = match material {
        // A question file given as the material: its 给定资料 section.
        Some(m) => (
            caifen::question::parse(&texts[1])
                .material
                .unwrap_or_else(|| texts[1].clone()),
            Some(file_name(m)),
        ),
        None => match &q.material {
            Some(m) => (m.clone(), Some(file_name(question))),
            None => (String::new(), None),
        },
    };
    let first_ref = 1 + usize::from(material.is_some());
    let names: Vec<String> = references.iter().map(|p| file_name(p)).collect();
    let sources: Vec<caifen::draft::Source> = names
        .iter()
        .zip(&texts[first_ref..])
        .map(|(n, t)| caifen::draft::Source { name: n, text: t })
        .collect();
    if material_text.is_empty() && sources.is_empty() {
        writeln!(err, "caifen: give the material (--material, or a question file with its 给定资料) or --reference answers")?;
        return Ok(caifen::exit::ERROR);
    }
    let points = caifen::draft::propose(&material_text, &sources);
    if points.is_empty() {
        writeln!(
            err,
            "caifen: no recurring terms found to propose scoring points from"
        )?;
        return Ok(caifen::exit::ERROR);
    }
    let genre = genre.unwrap_or_else(|| {
        caifen::draft::genre_of(&q.task)
            .unwrap_or("应用文")
            .to_owned()
    });
    let id = id.unwrap_or_else(|| {
        question
            .file_stem()
            .map_or_else(|| "draft".into(), |s| s.to_string_lossy().into_owned())
    });
    let ref_names: Vec<&str> = names.iter().map(String::as_str).collect();
    let yaml = caifen::draft::to_yaml(
        &q,
        &id,
        &genre,
        &file_name(question),
        material_name.as_deref(),
        &ref_names,
        &points,
    );
    // What is proposed must load like any rubric.
    if let Err(e) = rubric::load(&yaml, "draft", &id) {
        writeln!(err, "caifen: the drafted rubric does not load (a bug): {e}")?;
        return Ok(caifen::exit::ERROR);
    }
    let note = format!(" ({} scoring points)", points.len());
    if write_new(output.as_deref(), &yaml, &note)? != 0 {
        return Ok(caifen::exit::ERROR);
    }
    Ok(0)
}

/// Write a new rubric to `path` (never over an existing file) or to stdout; 2 when refused.
fn write_new(path: Option<&Path>, yaml: &str, note: &str) -> Result<u8> {
    let mut err = anstream::stderr();
    match path {
        Some(path) => {
            if path.exists() {
                writeln!(
                    err,
                    "caifen: {} exists; choose another name",
                    path.display()
                )?;
                return Ok(caifen::exit::ERROR);
            }
            write_atomically(path, &|w: &mut dyn Write| w.write_all(yaml.as_bytes()))?;
            writeln!(err, "caifen: wrote {}{note}", path.display())?;
        }
        None => write!(anstream::stdout(), "{yaml}")?,
    }
    Ok(0)
}

fn rubric_test(spec: &str, cases: &Path) -> Result<u8> {
    let mut err = anstream::stderr();
    let rubric = or_exit!(load_rubric(Some(spec)), "rubric error\n");
    if !cases.is_dir() {
        writeln!(err, "caifen: --cases {}: not a folder", cases.display())?;
        return Ok(caifen::exit::ERROR);
    }
    let exts: Vec<String> = caifen::input::DEFAULT_EXTENSIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let collected = match caifen::input::collect(&[cases.to_path_buf()], &exts, &Default::default())
    {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "caifen: {e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let checker = Checker::new(&rubric);
    let opts = caifen::batch::Options {
        jobs: 0,
        forced: None,
        name_pattern: None,
        max_bytes: 10 << 20,
    };
    if collected.inputs.is_empty() {
        writeln!(
            err,
            "caifen: --cases {}: no fixture answers (files ending in .{})",
            cases.display(),
            caifen::input::DEFAULT_EXTENSIONS.join(", .")
        )?;
        return Ok(caifen::exit::ERROR);
    }
    let mut out = anstream::stdout();
    let (mut passed, mut failed, mut errors) = (0, 0, 0);
    let outcomes = caifen::batch::check_all(&checker, &collected.inputs, None, &opts, &|| {});
    for (input, o) in collected.inputs.iter().zip(outcomes) {
        let shown = caifen::report::printable(&input.display);
        let Some(path) = &input.path else { continue };
        let stem = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let expect_path = path.with_file_name(format!("{stem}.expect.yaml"));
        // Saved as a rubric may be (UTF-8, UTF-16, GBK …); a file that is not text is named.
        let text = std::fs::read(&expect_path).map(|b| caifen::decode::text_file(&b));
        let expect: caifen::scaffold::Expect = match text {
            Ok(Err(e)) => {
                writeln!(err, "{}:{e}", expect_path.display())?;
                errors += 1;
                continue;
            }
            // A leading BOM (Windows editors) is not part of the YAML (case B07).
            Ok(Ok((t, _))) => match serde_yaml::from_str(t.trim_start_matches('\u{FEFF}')) {
                Ok(e) => e,
                Err(e) => {
                    let at = e
                        .location()
                        .map_or_else(String::new, |l| format!(":{}:{}", l.line(), l.column()));
                    writeln!(err, "{}{at}: {e}", expect_path.display())?;
                    errors += 1;
                    continue;
                }
            },
            Err(_) => {
                writeln!(
                    err,
                    "{shown}: no expectation beside it ({})",
                    expect_path.display()
                )?;
                errors += 1;
                continue;
            }
        };
        match o {
            Outcome::Failed(e) => {
                writeln!(err, "{shown}: {}", e.error)?;
                errors += 1;
            }
            Outcome::Checked(r) => match expect.judge(&rubric, r.score.total, &r.score.band) {
                Ok(None) => {
                    passed += 1;
                    writeln!(
                        out,
                        "ok    {shown}  {} {}",
                        rubric::fmt_pts(r.score.total),
                        r.score.band
                    )?;
                }
                Ok(Some(why)) => {
                    failed += 1;
                    writeln!(
                        out,
                        "FAIL  {shown}  {} {}：{why}",
                        rubric::fmt_pts(r.score.total),
                        r.score.band
                    )?;
                }
                Err(e) => {
                    // Point at the line naming the unknown band.
                    let at = std::fs::read(&expect_path)
                        .ok()
                        .and_then(|b| caifen::decode::text_file(&b).ok())
                        .and_then(|(t, _)| {
                            let bad = e.split('`').nth(1)?.to_owned();
                            t.lines()
                                .position(|l| l.contains(&bad))
                                .map(|i| format!(":{}", i + 1))
                        })
                        .unwrap_or_default();
                    writeln!(err, "{}{at}: {e}", expect_path.display())?;
                    errors += 1;
                }
            },
        }
    }
    writeln!(
        out,
        "{passed} 通过，{failed} 未通过，{errors} 出错（{}）",
        rubric.id
    )?;
    Ok(if errors > 0 {
        caifen::exit::ERROR
    } else if failed > 0 || passed == 0 {
        caifen::exit::BELOW_PASS_MARK
    } else {
        0
    })
}

/// The YAML text of a rubric given by file or shipped name (for writing a fitted copy).
fn rubric_text(spec: &str) -> Option<(String, Option<PathBuf>)> {
    let path = Path::new(spec);
    if path.is_file() {
        let bytes = std::fs::read(path).ok()?;
        let text = caifen::decode::text_file(&bytes).ok()?.0;
        return Some((text, Some(path.to_path_buf())));
    }
    rubric::builtin(spec).map(|t| (t.to_owned(), None))
}

fn calibrate(args: CalibrateArgs) -> Result<u8> {
    use caifen::calibrate as cal;
    let mut err = anstream::stderr();
    let resolved = match settings(&SettingsArgs {
        config: args.config.clone(),
        no_config: args.no_config,
        rubric: args.rubric.clone(),
        ..SettingsArgs::default()
    }) {
        Ok(r) => r,
        Err(e) => {
            writeln!(err, "caifen: config error\n{e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let spec = resolved.rubric.value.clone();
    let rubric = or_exit!(load_rubric(Some(&spec)), "rubric error\n");
    let marks = or_exit!(cal::read_marks(&args.scores), "marks error\n");
    let forced = or_exit!(forced_encoding(args.encoding.as_deref()), "");
    let exts: Vec<String> = caifen::input::DEFAULT_EXTENSIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    let collected = match caifen::input::collect_with(
        &args.paths,
        &exts,
        resolved.config.as_ref(),
        &Default::default(),
    ) {
        Ok(c) => c,
        Err(e) => {
            writeln!(err, "caifen: {e}")?;
            return Ok(caifen::exit::ERROR);
        }
    };
    let checker = Checker::new(&rubric);
    let opts = caifen::batch::Options {
        jobs: 0,
        forced,
        name_pattern: None,
        max_bytes: 10 << 20,
    };
    let mut answers = Vec::new();
    let mut code = caifen::exit::OK;
    for o in caifen::batch::check_all(&checker, &collected.inputs, None, &opts, &|| {}) {
        match o {
            Outcome::Checked(r) => answers.push(*r),
            Outcome::Failed(e) => {
                writeln!(
                    err,
                    "caifen: {}: {}",
                    caifen::report::printable(&e.file),
                    e.error
                )?;
                code = caifen::exit::ERROR;
            }
        }
    }
    let teacher_max = args.teacher_max.unwrap_or(rubric.total);
    if teacher_max <= 0.0 {
        writeln!(err, "caifen: --max must be above 0")?;
        return Ok(caifen::exit::ERROR);
    }
    let (pairs, unmarked) = match cal::pair(&rubric, &marks, &answers, &args.paths, teacher_max) {
        Ok(p) => p,
        Err(problems) => {
            writeln!(err, "caifen: marks error")?;
            for p in problems {
                writeln!(err, "{}:{p}", args.scores.display())?;
            }
            return Ok(caifen::exit::ERROR);
        }
    };
    if pairs.len() < 2 {
        writeln!(
            err,
            "caifen: calibration needs at least 2 marked answers, found {}",
            pairs.len()
        )?;
        return Ok(caifen::exit::ERROR);
    }
    let mut out = std::io::BufWriter::new(anstream::stdout());
    writeln!(
        out,
        "评分标准：{}（{}），总分 {}",
        rubric.title,
        rubric.id,
        rubric::fmt_pts(rubric.total)
    )?;
    writeln!(
        out,
        "教师评分：{} 份，满分 {}，按评分标准总分折算{}",
        pairs.len(),
        rubric::fmt_pts(teacher_max),
        if unmarked.is_empty() {
            String::new()
        } else {
            format!(
                "；未评分而不计：{} 份（{}）",
                unmarked.len(),
                unmarked.join("、")
            )
        }
    )?;
    writeln!(out, "\ncaifen 与教师的一致性")?;
    let observed = cal::agreement(&rubric, &cal::observed_rows(&pairs));
    cal::write_agreement(&mut out, &rubric, &observed)?;
    if args.fit && pairs.len() < cal::MIN_FIT_MARKS {
        writeln!(
            err,
            "caifen: --fit needs at least {} marked answers, {} found: too few to fit the weights of {} scoring points and dimensions and check the fit out of sample",
            cal::MIN_FIT_MARKS,
            pairs.len(),
            cal::rubric_weights(&rubric).len()
        )?;
        return Ok(caifen::exit::ERROR);
    }
    if args.fit {
        let feats: Vec<Vec<f64>> = pairs.iter().map(|p| p.features.clone()).collect();
        let marks: Vec<f64> = pairs.iter().map(|p| p.teacher).collect();
        let k = args.folds.clamp(2, pairs.len());
        let prior = cal::rubric_weights(&rubric);
        let alpha = cal::choose_alpha(&rubric, &pairs, &prior, k);
        let Some(w) = cal::fit(&feats, &marks, rubric.total, &prior, alpha) else {
            writeln!(err, "caifen: nothing to fit")?;
            return Ok(caifen::exit::ERROR);
        };
        let rounded = cal::round_weights(&w, rubric.total, 0.5);
        writeln!(
            out,
            "\n拟合（非负最小二乘，总分保持 {}；向原分值收缩 α = {alpha}，由 {k} 折交叉验证选出；分值取 0.5 的倍数）",
            rubric::fmt_pts(rubric.total)
        )?;
        let names = cal::weight_names(&rubric);
        let width = names
            .iter()
            .map(|(n, _)| unicode_width::UnicodeWidthStr::width(n.as_str()))
            .max()
            .unwrap_or(0);
        let pad = |s: &str| {
            let w = unicode_width::UnicodeWidthStr::width(s);
            format!("{s}{}", " ".repeat(width.saturating_sub(w)))
        };
        writeln!(out, "  {}  原分值  拟合分值  变化", pad("采分点 / 维度"))?;
        for ((name, old), new) in names.iter().zip(&rounded) {
            let d = new - old;
            writeln!(
                out,
                "  {}  {:>6}  {:>8}  {}{}",
                pad(name),
                rubric::fmt_pts(*old),
                rubric::fmt_pts(*new),
                if d > 0.0 {
                    "+"
                } else if d < 0.0 {
                    "−"
                } else {
                    " "
                },
                rubric::fmt_pts(d.abs())
            )?;
        }
        writeln!(out, "\n拟合后的一致性（{k} 折交叉验证，样本外）")?;
        let cv = cal::agreement(
            &rubric,
            &cal::cross_validate(&rubric, &pairs, &prior, alpha, k),
        );
        cal::write_agreement(&mut out, &rubric, &cv)?;
        let Some((text, path)) = rubric_text(&spec) else {
            writeln!(err, "caifen: cannot read the rubric text of `{spec}`")?;
            return Ok(caifen::exit::ERROR);
        };
        let target = args.output.clone().unwrap_or_else(|| match &path {
            Some(p) => p.with_file_name(format!(
                "{}.fitted.yaml",
                p.file_stem()
                    .map_or_else(|| "rubric".into(), |s| s.to_string_lossy())
            )),
            None => PathBuf::from(format!("{}.fitted.yaml", rubric.id)),
        });
        if caifen::input::inside_inputs(&target, &args.paths)
            || caifen::input::inside_linked_folders(&target, &collected)
        {
            writeln!(
                err,
                "caifen: {} is inside an answer folder; give --output elsewhere",
                target.display()
            )?;
            return Ok(caifen::exit::ERROR);
        }
        let comment = format!(
            "Fitted by `caifen calibrate --fit` to {} marked answers of {} ({}-fold out-of-sample QWK on bands {}).\nThe original: {}.",
            pairs.len(),
            args.scores.display(),
            k,
            cv.qwk_bands.map_or_else(|| "–".into(), |v| format!("{v:.3}")),
            rubric.origin
        );
        let fitted = or_exit!(
            cal::fitted_rubric(&text, &rubric, &rounded, &comment),
            "cannot write the fitted rubric: "
        );
        // The fitted rubric must load like any other.
        if let Err(e) = rubric::load_in(
            &fitted,
            &target.display().to_string(),
            &rubric.id,
            target.parent(),
        ) {
            writeln!(err, "caifen: the fitted rubric does not load (a bug): {e}")?;
            return Ok(caifen::exit::ERROR);
        }
        if let Err(e) =
            write_atomically(&target, &|w: &mut dyn Write| w.write_all(fitted.as_bytes()))
        {
            writeln!(err, "caifen: cannot write {}: {e}", target.display())?;
            return Ok(caifen::exit::ERROR);
        }
        writeln!(out, "\n拟合后的评分标准：{}", target.display())?;
    }
    out.flush()?;
    Ok(code)
}

/// The folder holding the config, as a path from the current folder (`.` when it is here).
fn config_root_path(root: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return root.to_path_buf();
    };
    if cwd == root {
        return PathBuf::from(".");
    }
    match cwd.strip_prefix(root) {
        Ok(rest) => rest.components().map(|_| "..").collect(),
        Err(_) => root.to_path_buf(),
    }
}

fn check(args: CheckArgs) -> Result<u8> {
    // The jieba dictionary (the longest part of starting up) is built on a thread of its own while
    // the settings, the inputs and the rubrics are read; the first check that needs it waits for
    // what is left. On a run that stops before any check, the thread ends with the process.
    std::thread::spawn(|| {
        caifen::words::jieba();
    });
    let mut err = anstream::stderr();
    let resolved = or_exit!(settings(&args.settings), "config error\n");
    let format = resolved.format.value;
    let paths: Vec<PathBuf> = if !args.paths.is_empty() {
        args.paths.clone()
    } else if let Some(c) = &resolved.config {
        vec![config_root_path(&c.root)]
    } else {
        writeln!(
            err,
            "caifen: give answer files or folders (or `-` for standard input), or put a {} here or above",
            config::FILE_NAME
        )?;
        return Ok(caifen::exit::ERROR);
    };
    let forced = or_exit!(forced_encoding(args.encoding.as_deref()), "");
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
    let inside_input = |out: &std::path::Path| {
        format!("caifen: --output {} is inside an input folder or is an input file; choose another place or add --allow-output-in-input", out.display())
    };
    if let Some(out) = &args.output {
        if !args.allow_output_in_input && caifen::input::inside_inputs(out, &paths) {
            writeln!(err, "{}", inside_input(out))?;
            return Ok(caifen::exit::ERROR);
        }
    }
    let limits = caifen::input::Limits {
        max_depth: args.max_depth,
        max_files: args.max_files,
    };
    let collected = or_exit!(
        caifen::input::collect_with(&paths, &args.ext, resolved.config.as_ref(), &limits),
        ""
    );
    for (again, first) in &collected.duplicates {
        writeln!(
            err,
            "caifen: {} 与 {} 是同一个文件，只评一次",
            caifen::report::printable(again),
            caifen::report::printable(first)
        )?;
    }
    // A folder reached through a link inside an input folder is an input folder too.
    if let Some(out) = &args.output {
        if !args.allow_output_in_input && caifen::input::inside_linked_folders(out, &collected) {
            writeln!(err, "{}", inside_input(out))?;
            return Ok(caifen::exit::ERROR);
        }
    }
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
    // Each input's rubric; the rubrics in order of first use, each loaded once.
    let mut specs: Vec<(String, Option<usize>)> = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(collected.inputs.len());
    let default = resolved.rubric_for(None);
    let default_line = match resolved.rubric.source {
        config::Source::File { line } => Some(line),
        _ => None,
    };
    specs.push((default.0.to_owned(), default.1.or(default_line)));
    for i in &collected.inputs {
        let (spec, line) = resolved.rubric_for(i.path.as_deref());
        let k = match specs.iter().position(|(s, _)| s == spec) {
            Some(k) => k,
            None => {
                specs.push((spec.to_owned(), line));
                specs.len() - 1
            }
        };
        group_of.push(k);
    }
    // The default rubric is run only when some answer uses it (or nothing was found).
    let used: Vec<usize> = (0..specs.len())
        .filter(|k| group_of.contains(k) || (*k == 0 && collected.inputs.is_empty()))
        .collect();
    let mut rubrics: Vec<(usize, Rubric)> = Vec::new();
    let mut failed = false;
    for &k in &used {
        match load_rubric(Some(&specs[k].0)) {
            Ok(r) => rubrics.push((k, r)),
            Err(e) => {
                let from = match (specs[k].1, &resolved.config) {
                    (Some(line), Some(c)) => format!(" (from {}:{line})", c.path.display()),
                    _ => String::new(),
                };
                writeln!(err, "caifen: rubric error{from}\n{e}")?;
                failed = true;
            }
        }
    }
    if failed {
        return Ok(caifen::exit::ERROR);
    }
    if rubrics.len() > 1 && matches!(format, Format::Json | Format::Csv | Format::Html) {
        let ids: Vec<&str> = rubrics.iter().map(|(_, r)| r.id.as_str()).collect();
        writeln!(
            err,
            "caifen: these answers are checked with {} rubrics ({}); --format {} holds one rubric: use jsonl, sarif, junit, github or pretty, or check each question's folder on its own",
            rubrics.len(),
            ids.join(", "),
            clap::ValueEnum::to_possible_value(&format).map_or_else(String::new, |p| p.get_name().to_owned())
        )?;
        return Ok(caifen::exit::ERROR);
    }
    // A pass mark set in caifen.toml names its line when it does not fit a rubric.
    let config_line = |source: &config::Source| match (source, &resolved.config) {
        (config::Source::File { line }, Some(c)) => format!(" (from {}:{line})", c.path.display()),
        _ => String::new(),
    };
    // A pass mark no answer can reach is a mistake, not a policy.
    if let Some(m) = &resolved.min_score {
        if let Some((_, r)) = rubrics.iter().find(|(_, r)| m.value > r.total + 1e-9) {
            writeln!(
                err,
                "caifen: min_score {}: above the total of rubric {} ({} points){}",
                rubric::fmt_pts(m.value),
                r.id,
                rubric::fmt_pts(r.total),
                config_line(&m.source)
            )?;
            return Ok(caifen::exit::ERROR);
        }
    }
    // The pass band must be a band of every rubric used.
    let mut min_bands: Vec<Option<usize>> = Vec::new();
    for (_, r) in &rubrics {
        min_bands.push(match &resolved.min_band {
            Some(b) => match r.bands.iter().position(|x| x.name == b.value.trim()) {
                Some(i) => Some(i),
                None => {
                    let names: Vec<&str> = r.bands.iter().map(|x| x.name.as_str()).collect();
                    writeln!(
                        err,
                        "caifen: min_band {}: the bands of rubric {} are {}{}",
                        b.value,
                        r.id,
                        names.join(", "),
                        config_line(&b.source)
                    )?;
                    return Ok(caifen::exit::ERROR);
                }
            },
            None => None,
        });
    }
    let min_score = resolved.min_score.as_ref().map(|s| s.value);
    // A run with a report file answers Ctrl-C, SIGTERM and SIGHUP with 130 from here on, also
    // while it waits for standard input (the handler is otherwise installed with the first
    // report file).
    if args.output.is_some() {
        remove_partial_reports_on_signal();
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
    let material = match &args.material {
        Some(p) => match read_text(p) {
            Ok(t) if t.trim().is_empty() => {
                writeln!(err, "caifen: --material {}: the file is empty", p.display())?;
                return Ok(caifen::exit::ERROR);
            }
            Ok(t) => Some(caifen::question::parse(&t).material.unwrap_or(t)),
            Err(e) => {
                writeln!(err, "caifen: --material {e}")?;
                return Ok(caifen::exit::ERROR);
            }
        },
        None => None,
    };
    let reference = match &args.reference {
        Some(p) => match read_text(p) {
            Ok(t) if t.trim().is_empty() => {
                writeln!(
                    err,
                    "caifen: --reference {}: the file is empty",
                    p.display()
                )?;
                return Ok(caifen::exit::ERROR);
            }
            Ok(t) => Some((caifen::input::display_path(p).0, t)),
            Err(e) => {
                writeln!(err, "caifen: --reference {e}")?;
                return Ok(caifen::exit::ERROR);
            }
        },
        None => None,
    };
    let bar = progress_bar(collected.inputs.len());
    let tick = || bar.inc(1);
    let mut skipped = Some(collected.skipped);
    let mut runs: Vec<RunReport> = Vec::new();
    let mut code = caifen::exit::OK;
    let mut streamed = false;
    // Standard output was closed by its reader before the report was written out.
    let mut stdout_closed = false;
    for ((k, rubric), min_band) in rubrics.iter().zip(&min_bands) {
        let inputs: Vec<caifen::input::Input> = collected
            .inputs
            .iter()
            .zip(&group_of)
            .filter(|(_, g)| *g == k)
            .map(|(i, _)| i.clone())
            .collect();
        let mut checker = match &material {
            Some(m) => Checker::with_material(rubric, m),
            None => Checker::new(rubric),
        };
        if let Some((name, text)) = &reference {
            // The reference is scored like an answer, under the same rubric.
            let doc = caifen::decode::Document {
                text: text.clone(),
                encoding: "UTF-8",
                bom: false,
                line_ends_normalised: 0,
                hints: Default::default(),
                replaced: 0,
            };
            let scored = Checker::new(rubric).check_document(name, false, &doc);
            checker = checker.with_reference(caifen::reference::Reference::new(
                name,
                text,
                &scored.points,
            ));
        }
        let opts = caifen::batch::Options {
            jobs: args.jobs,
            forced,
            name_pattern: pattern.as_ref(),
            max_bytes: args.max_bytes,
        };
        let mark = caifen::exit::PassMark {
            min_score,
            min_band: *min_band,
            exit_zero: args.exit_zero,
        };
        let info = RunReport {
            schema_version: 1,
            rubric: RubricInfo::of(rubric),
            answers: Vec::new(),
            errors: Vec::new(),
            summary: caifen::summary::summarise(rubric, &[], &[], Vec::new()),
            pass_mark: min_score,
            pass_band: min_band.map(|i| rubric.bands[i].name.clone()),
            student_fields: pattern
                .as_ref()
                .map_or_else(Vec::new, |p| p.names().to_vec()),
        };
        // A one-rubric run in a per-file format is written as its files are checked.
        let streams = rubrics.len() == 1
            && matches!(format, Format::Csv | Format::Jsonl)
            && args
                .output
                .as_ref()
                .is_none_or(|o| std::fs::metadata(o).map_or(true, |m| m.is_file()));
        if streams {
            let stream = Stream {
                checker: &checker,
                inputs: &inputs,
                stdin: stdin.as_deref(),
                opts: &opts,
                mark: &mark,
                info,
                format,
                bom: !args.no_bom,
                columns: output::csv::point_columns(rubric),
                tick: &tick,
            };
            let result = match &args.output {
                None => {
                    // A reader that stops early (`| head`) stops the writing, not the checking:
                    // the exit code and the errors on stderr are those of every file.
                    let mut out = std::io::BufWriter::new(Closable::new(anstream::stdout()));
                    let r = stream.run(&mut out).and_then(|r| out.flush().map(|()| r));
                    stdout_closed |= out.get_ref().closed;
                    r
                }
                Some(path) => {
                    let result = std::cell::RefCell::new(None);
                    let write = |w: &mut dyn Write| {
                        let r = stream.run(w)?;
                        *result.borrow_mut() = Some(r);
                        Ok(())
                    };
                    write_atomically(path, &write).map(|()| {
                        result
                            .into_inner()
                            .expect("the stream ran before the file was kept")
                    })
                }
            };
            let (c, mut run) = match result {
                Ok(r) => r,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(code),
                Err(e) => {
                    let shown = args
                        .output
                        .as_ref()
                        .map_or_else(|| "standard output".into(), |p| p.display().to_string());
                    writeln!(err, "caifen: cannot write {shown}: {e}")?;
                    return Ok(caifen::exit::ERROR);
                }
            };
            let extra = skipped.take().unwrap_or_default();
            run.summary.skipped = extra.len();
            run.summary.skipped_files = extra;
            code = code.max(c);
            runs.push(run);
            streamed = true;
            continue;
        }
        let outcomes = caifen::batch::check_all(&checker, &inputs, stdin.as_deref(), &opts, &tick);
        let mut answers = Vec::new();
        let mut errors = Vec::new();
        for o in outcomes {
            match o {
                Outcome::Checked(r) => answers.push(*r),
                Outcome::Failed(e) => errors.push(e),
            }
        }
        let summary = caifen::summary::summarise(
            rubric,
            &answers,
            &errors,
            skipped.take().unwrap_or_default(),
        );
        let run = RunReport {
            answers,
            errors,
            summary,
            ..info
        };
        code = code.max(caifen::exit::status(&run, &mark));
        runs.push(run);
    }
    bar.finish_and_clear();
    let no_answers = runs.iter().all(|r| r.summary.files == 0);
    let bom = !args.no_bom;
    match &args.output {
        _ if streamed => {}
        Some(path) => {
            // Write through a symlink to its target, not over the link.
            let target = match std::fs::symlink_metadata(path) {
                Ok(m) if m.file_type().is_symlink() => {
                    std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())
                }
                _ => path.clone(),
            };
            // A report written to a file never carries terminal colours.
            let plain = |w: &mut dyn Write| render_plain(w, &runs, format, bom);
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
            // A reader that stopped early (`| head`) does not change what the run found: the
            // exit code, and the errors and counts on stderr, are the same.
            let mut out = std::io::BufWriter::new(Closable::new(anstream::stdout()));
            render_runs(&mut out, &runs, format, bom).and_then(|()| out.flush())?;
            stdout_closed |= out.get_ref().closed;
        }
    }
    let only_named_files = paths.iter().all(|p| p.as_os_str() != "-" && !p.is_dir());
    if no_answers && only_named_files && resolved.config.is_some() {
        // A pre-commit hook named files that caifen.toml leaves out: nothing to check, no failure.
        writeln!(
            err,
            "caifen: the files given are left out by the include/exclude globs of {}: nothing to check",
            config::FILE_NAME
        )?;
        return Ok(caifen::exit::OK);
    }
    if no_answers {
        let rule = match resolved.config.as_ref().and_then(|c| c.include.as_ref()) {
            Some(inc) => format!(
                "the include globs of {} ({})",
                config::FILE_NAME,
                inc.value.join(", ")
            ),
            None => format!(
                "answers ending in {}; see --ext",
                caifen::input::clean_extensions(&args.ext).join(", ")
            ),
        };
        writeln!(err, "caifen: no answer files found (folders hold {rule})")?;
        return Ok(caifen::exit::ERROR);
    }
    // The pretty report lists the errors itself, unless its reader did not read them.
    let to_terminal = format == Format::Pretty && args.output.is_none() && !stdout_closed;
    if !to_terminal {
        for e in runs.iter().flat_map(|r| &r.errors) {
            writeln!(
                err,
                "caifen: {}: {}",
                caifen::report::printable(&e.file),
                e.error
            )?;
        }
        for run in &runs {
            if run.summary.files > 1 || runs.len() > 1 {
                writeln!(err, "caifen: {}", output::pretty::count_line(run))?;
            }
        }
    }
    Ok(code)
}

/// A writer that takes everything once its reader has gone (a broken pipe): the run goes on
/// to its end, so that what it found (the exit code, the errors on stderr) does not depend on
/// how much of the report was read.
struct Closable<W> {
    inner: W,
    /// The reader has gone: nothing more is written.
    closed: bool,
}

impl<W: Write> Closable<W> {
    fn new(inner: W) -> Self {
        Closable {
            inner,
            closed: false,
        }
    }

    fn gone<T>(&mut self, r: std::io::Result<T>, done: T) -> std::io::Result<T> {
        match r {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(done)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for Closable<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.gone(r, buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.inner.flush();
        self.gone(r, ())
    }
}

/// Checking a one-rubric run and writing it as it goes, a chunk or part of files at a time: memory
/// stays flat however many answers there are (CSV and JSONL hold one file per row or line).
struct Stream<'a> {
    checker: &'a Checker<'a>,
    inputs: &'a [caifen::input::Input],
    stdin: Option<&'a [u8]>,
    opts: &'a caifen::batch::Options<'a>,
    mark: &'a caifen::exit::PassMark,
    /// The run's rubric, pass mark and student fields, with no files.
    info: RunReport,
    format: Format,
    bom: bool,
    columns: Vec<String>,
    tick: &'a (dyn Fn() + Sync),
}

/// Files checked between two writes with one job. Each report is written out (a CSV row, a JSONL
/// line) and freed on the thread that checked it, so a chunk in flight holds only those bytes
/// (about 2 MB of JSONL).
const CHUNK: usize = 256;

/// Files in one part of a run on several threads: each part is checked on one thread, several
/// parts at once, and written in order. A part of 32 corpus answers takes about 3 ms.
const PART: usize = 32;

/// Parts checked ahead of the one being written, per thread. A thread that finishes a part
/// takes the next one at once: no thread waits for another between writes (with chunks that
/// all threads shared, each waited at the end of every chunk, and a run of 100 000 answers on
/// two threads kept both cores busy about 95% of the time).
const AHEAD: usize = 4;

/// One file of a streamed run, written out on the thread that checked it: its row or line, and
/// what the run keeps of it (the error, whether it falls short of the pass mark).
struct Written {
    bytes: std::io::Result<Vec<u8>>,
    error: Option<caifen::report::InputError>,
    fails: bool,
}

impl Stream<'_> {
    /// Check the inputs from `start` (`chunk`) on this thread and write each file's row or line,
    /// in order.
    fn check_chunk(
        &self,
        start: usize,
        chunk: &[caifen::input::Input],
        first_stdin: Option<usize>,
    ) -> Vec<Written> {
        let stdin = first_stdin
            .filter(|&i| i >= start && i < start + chunk.len())
            .and(self.stdin);
        let finish = |o: Outcome| self.write_one(o);
        caifen::batch::check_here(self.checker, chunk, stdin, self.opts, self.tick, &finish)
    }

    /// The row (CSV) or line (JSONL) of one file; the report is freed here.
    fn write_one(&self, o: Outcome) -> Written {
        let info = &self.info;
        let render =
            |item: Result<&caifen::report::EssayReport, &caifen::report::InputError>| match self
                .format
            {
                Format::Csv => output::csv::row_bytes(&match item {
                    Ok(a) => output::csv::answer_row(info, a),
                    Err(e) => output::csv::error_row(info, self.columns.len(), e),
                }),
                _ => {
                    let mut bytes = Vec::new();
                    output::json::write_line(&mut bytes, info, item)?;
                    Ok(bytes)
                }
            };
        match o {
            Outcome::Checked(r) => Written {
                bytes: render(Ok(&r)),
                error: None,
                fails: caifen::exit::fails(info, self.mark, &r),
            },
            Outcome::Failed(e) => Written {
                bytes: render(Err(&e)),
                error: Some(e),
                fails: false,
            },
        }
    }

    /// Check and write every input; the exit status and the run's counts and errors (no answers).
    fn run(&self, out: &mut dyn Write) -> std::io::Result<(u8, RunReport)> {
        let mut checked = 0;
        let mut fails = false;
        let mut all_errors = Vec::new();
        // Standard input goes to the first `-` only.
        let first_stdin = self.inputs.iter().position(|i| i.path.is_none());
        if self.format == Format::Csv {
            if self.bom {
                out.write_all("\u{FEFF}".as_bytes())?;
            }
            let mut w = output::csv::writer(&mut *out);
            w.write_record(output::csv::header(&self.info, &self.columns))?;
            w.flush()?;
        }
        let mut write = |start: usize, part: Vec<Written>| -> std::io::Result<()> {
            for (k, file) in part.into_iter().enumerate() {
                out.write_all(&file.bytes?)?;
                fails |= file.fails;
                match file.error {
                    Some(mut e) => {
                        e.order = start + k;
                        all_errors.push(e);
                    }
                    None => checked += 1,
                }
            }
            Ok(())
        };
        // One set of worker threads for the whole run.
        let pool = caifen::batch::thread_pool(self.opts.jobs, self.inputs.len());
        match &pool {
            None => {
                for (n, chunk) in self.inputs.chunks(CHUNK).enumerate() {
                    write(n * CHUNK, self.check_chunk(n * CHUNK, chunk, first_stdin))?;
                }
            }
            Some(pool) => {
                // A thread hands out the parts in order, each with the channel its rows come
                // back on; this one writes them in the same order. It runs at most AHEAD parts
                // per thread ahead of the writer, so memory stays bounded whatever the output's
                // speed.
                let ahead = AHEAD * pool.current_num_threads();
                std::thread::scope(|s| -> std::io::Result<()> {
                    let (tx, rx) = std::sync::mpsc::sync_channel(ahead);
                    s.spawn(move || {
                        pool.in_place_scope(|scope| {
                            for (n, part) in self.inputs.chunks(PART).enumerate() {
                                let (part_tx, part_rx) = std::sync::mpsc::sync_channel(1);
                                if tx.send(part_rx).is_err() {
                                    break; // the writer stopped on an error
                                }
                                scope.spawn(move |_| {
                                    let start = n * PART;
                                    let rows = self.check_chunk(start, part, first_stdin);
                                    // The writer is gone only after an error of its own.
                                    let _ = part_tx.send(rows);
                                });
                            }
                        })
                    });
                    for (n, part_rx) in rx.into_iter().enumerate() {
                        // No rows: the check panicked, and the scope passes the panic on.
                        let Ok(part) = part_rx.recv() else { break };
                        write(n * PART, part)?;
                    }
                    Ok(())
                })?;
            }
        }
        let code = caifen::exit::decide(!all_errors.is_empty(), fails, self.mark);
        let mut run = RunReport {
            errors: all_errors,
            ..self.info.clone()
        };
        run.summary.files = checked + run.errors.len();
        run.summary.checked = checked;
        run.summary.failed = run.errors.len();
        Ok((code, run))
    }
}

/// Write every run: several runs (one per rubric) follow each other, except in SARIF and JUnit,
/// whose documents hold several runs or suites.
fn render_runs(
    out: &mut (dyn Write + '_),
    runs: &[RunReport],
    format: Format,
    bom: bool,
) -> std::io::Result<()> {
    match format {
        Format::Sarif => return output::sarif::write(out, runs),
        Format::Junit => return output::junit::write(out, runs),
        _ => {}
    }
    for (k, run) in runs.iter().enumerate() {
        if k > 0 && format == Format::Pretty {
            writeln!(out)?;
        }
        render_run(out, run, format, bom)?;
    }
    Ok(())
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
        Format::Sarif => output::sarif::write(out, std::slice::from_ref(run)),
        Format::Junit => output::junit::write(out, std::slice::from_ref(run)),
    }
}

/// Render without terminal colours (for files). Only the pretty report has colours; it is
/// rendered into memory and stripped.
fn render_plain(
    out: &mut dyn Write,
    runs: &[RunReport],
    format: Format,
    bom: bool,
) -> std::io::Result<()> {
    if format != Format::Pretty {
        return render_runs(out, runs, format, bom);
    }
    let mut strip = anstream::StripStream::new(Vec::new());
    render_runs(&mut strip, runs, format, bom)?;
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

/// The temporary files of reports being written, removed by [`remove_partial_reports_on_signal`]
/// when the run is interrupted.
static PARTIAL_REPORTS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// On Ctrl-C, SIGTERM or SIGHUP, remove the temporary files of reports being written and exit
/// 130: an interrupted run leaves no half-written report (an older report stays as it was).
/// Installed when the first report file is started, so `caifen serve` keeps its own handling.
fn remove_partial_reports_on_signal() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let paths = PARTIAL_REPORTS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for p in paths.iter() {
                let _ = std::fs::remove_file(p);
            }
            eprintln!("caifen: interrupted; no report written");
            std::process::exit(130);
        });
    });
}

/// Write through a temporary file in the same folder, then rename: a failed or interrupted run
/// leaves no half-written report.
fn write_atomically(
    path: &Path,
    render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = caifen::input::folder_of(path);
    remove_partial_reports_on_signal();
    // The temporary file is made and registered under the lock the signal handler takes, so an
    // interrupt in between still finds it.
    let (tmp, registered) = {
        let mut partial = PARTIAL_REPORTS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
            // tempfile adds "at path <its random name>", which means nothing to the user.
            match e.to_string().split_once(" at path ") {
                Some((message, _)) => std::io::Error::new(e.kind(), message.to_owned()),
                None => e,
            }
        })?;
        let registered = tmp.path().to_path_buf();
        partial.push(registered.clone());
        (tmp, registered)
    };
    let result = finish_report(tmp, path, render);
    PARTIAL_REPORTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .retain(|x| *x != registered);
    result
}

/// Fill the temporary file and rename it over `path` (dropping it on error removes it).
fn finish_report(
    mut tmp: tempfile::NamedTempFile,
    path: &Path,
    render: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
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
