//! Shared helpers for tests: where `../shared` is, and reading its files.
#![allow(dead_code)]

pub mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The shared data folder: `CAIFEN_SHARED`, else `../shared` beside the crate root. `None` (skip)
/// when missing outside CI; a panic when `CI` is set, since CI always provides it.
pub fn shared() -> Option<PathBuf> {
    let p = std::env::var_os("CAIFEN_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if p.join("corpus").is_dir() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "shared data not found at {} (set CAIFEN_SHARED); CI must provide it",
            p.display()
        );
    }
    eprintln!("skipping: shared data not found at {}", p.display());
    None
}

pub fn read(p: &std::path::Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

pub fn text(p: &std::path::Path) -> String {
    String::from_utf8(read(p)).unwrap_or_else(|_| panic!("{} is not UTF-8", p.display()))
}

/// Rows of a TSV file with a header, as maps from column to cell.
pub fn tsv(p: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let t = text(p);
    let mut lines = t.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t').chain(std::iter::repeat("")))
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// A fresh, empty scratch folder for one test (under the system temporary folder), removed when
/// the test is done with it (kept when `CAIFEN_KEEP_TMP` is set, to look at after a failure).
pub fn tempdir(tag: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("caifen-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

/// A scratch folder: used as its path, removed on drop.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;
    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::env::var_os("CAIFEN_KEEP_TMP").is_none() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary `exe` (`env!("CARGO_BIN_EXE_caifen")`) in `dir`, feeding `stdin`.
pub fn run_caifen(exe: &str, dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(exe)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or(b"").to_vec();
    // The process may exit before reading (a rubric error): a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(&input);
    child.wait_with_output().unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(
        actual, want,
        "golden {name} differs (UPDATE_GOLDEN=1 to accept)"
    );
}

/// Headless Chromium on this machine's closed network: without the background-networking flags
/// it keeps trying (and failing) to reach Google's hosts.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The question groups of `../shared/corpus/README.md`: prompt (= rubric name) and its answers.
pub const QUESTION_GROUPS: &[(&str, &[&str])] = &[
    (
        "gwy_guojia_2022_Xingzhengzhifa_q4",
        &[
            "jingyan_14",
            "jingyan_15",
            "jingyan_16",
            "jingyan_17",
            "jingyan_18",
            "jingyan_19",
            "jingyan_20",
            "jingyan_21",
            "jingyan_22",
            "jingyan_23",
            "jingyan_24",
        ],
    ),
    (
        "gwy_anhui_2023_C_q4",
        &["jingyan_01", "jingyan_02", "jingyan_03", "jingyan_04"],
    ),
    (
        "gwy_yunnan_2024_General_q3",
        &["jingyan_05", "jingyan_06", "jingyan_07"],
    ),
    ("gwy_hebei_2025_C_q1", &["jianbao_03", "jianbao_04"]),
    ("gwy_anhui_2023_C_q3", &["gaozhishu_01", "gaozhishu_02"]),
    (
        "gwy_shanxi_2025_XiangZhen_q3",
        &["xuanchuan_01", "xuanchuan_02"],
    ),
    (
        "gwy_guojia_2022_Xingzhengzhifa_q5",
        &["gongkaixin_02", "gongkaixin_03"],
    ),
];
