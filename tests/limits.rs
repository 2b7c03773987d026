//! Hardening: every limit and every failure has its message and exit code asserted, and a failed
//! run leaves no half-written output. Limits: answer size (`--max-bytes`, standard input too),
//! .docx zip bombs (uncompressed size, entry count, text size), rubric size, nesting, YAML alias
//! expansion and regex size, folder depth (`--max-depth`), symlink loops, number of files
//! (`--max-files`). Output: HTML escaping, CSV formula neutralising, `--output` confined to its
//! path. Failures: unreadable files, files that vanish mid-run, outputs that cannot be written.
mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn weak() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt")).unwrap()
}

fn caifen(dir: &Path, args: &[&str]) -> Output {
    caifen_stdin(dir, args, None)
}

fn caifen_stdin(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_caifen"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.unwrap_or_default().to_vec();
    // Write from another thread: caifen may stop reading early (--max-bytes).
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let o = child.wait_with_output().unwrap();
    writer.join().unwrap();
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(o)))
}

/// (file, error) of every error entry of a JSON report.
fn errors(v: &serde_json::Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_owned(),
                e["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn answers(v: &serde_json::Value) -> Vec<String> {
    v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap().to_owned())
        .collect()
}

/// Names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A .docx holding the given parts, compressed with `method`.
fn zip_of(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, data) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(data).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

fn document_xml(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .into_bytes()
}

// ------------------------------------------------------------------------------------- limits

/// `--max-bytes` above 1 GiB is taken as 1 GiB (offsets into an answer are kept in 32 bits): a
/// file of 1 GiB and one byte (sparse: no disk taken) is refused by its size, without being
/// read, and the other answer is checked.
#[test]
fn answer_size_limit_is_at_most_one_gibibyte() {
    let dir = common::tempdir("limits-gib");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    let huge = std::fs::File::create(dir.join("huge.txt")).unwrap();
    huge.set_len((1 << 30) + 1).unwrap();
    drop(huge);
    let o = caifen(
        &dir,
        &[
            "check",
            "a.txt",
            "huge.txt",
            "--format",
            "json",
            "--max-bytes",
            "18446744073709551615",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(answers(&v), ["a.txt"]);
    assert_eq!(
        errors(&v),
        [(
            "huge.txt".into(),
            "larger than 1073741824 bytes (--max-bytes): not an answer".into()
        )]
    );
}

#[test]
fn answer_size_limit_for_files_and_standard_input() {
    let dir = common::tempdir("limits-bytes");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    // Default 10 MB: one byte more is refused, with the limit in bytes.
    let mut big = weak();
    big.resize((10 << 20) + 1, b'\n');
    std::fs::write(dir.join("big.txt"), &big).unwrap();
    let o = caifen(&dir, &["check", "a.txt", "big.txt", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(answers(&v), ["a.txt"]);
    assert_eq!(
        errors(&v),
        [(
            "big.txt".into(),
            "larger than 10485760 bytes (--max-bytes): not an answer".into()
        )]
    );
    assert!(stderr(&o)
        .contains("caifen: big.txt: larger than 10485760 bytes (--max-bytes): not an answer"));
    // --max-bytes lowers it; exactly the limit is accepted.
    let n = weak().len().to_string();
    let o = caifen(&dir, &["check", "a.txt", "--max-bytes", &n]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let less = (weak().len() - 1).to_string();
    let o = caifen(
        &dir,
        &["check", "a.txt", "--max-bytes", &less, "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        errors(&json(&o))[0].1,
        format!("larger than {less} bytes (--max-bytes): not an answer")
    );
    // Standard input is an answer like any other.
    let o = caifen_stdin(
        &dir,
        &["check", "-", "--max-bytes", "100", "--format", "json"],
        Some(&big),
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        errors(&json(&o)),
        [(
            "<stdin>".into(),
            "larger than 100 bytes (--max-bytes): not an answer".into()
        )]
    );
    // A limit that is not a number is a usage error.
    let o = caifen(&dir, &["check", "a.txt", "--max-bytes", "10MB"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid value '10MB' for '--max-bytes <BYTES>'"));
}

#[test]
fn docx_zip_bombs_are_refused() {
    use zip::CompressionMethod::{Deflated, Stored};
    let dir = common::tempdir("limits-docx");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    // Uncompressed size: 17 MB of XML deflates to a few kilobytes.
    let mut xml = document_xml("<w:p><w:r><w:t>正文。</w:t></w:r></w:p>");
    xml.resize(17 << 20, b' ');
    std::fs::write(
        dir.join("bomb.docx"),
        zip_of(&[("word/document.xml", &xml)], Deflated),
    )
    .unwrap();
    // The same in word/styles.xml, beside a small document: the error names the part.
    let mut styles = b"<w:styles>".to_vec();
    styles.resize(17 << 20, b' ');
    std::fs::write(
        dir.join("styles.docx"),
        zip_of(
            &[
                (
                    "word/document.xml",
                    &document_xml("<w:p><w:r><w:t>正文。</w:t></w:r></w:p>"),
                ),
                ("word/styles.xml", &styles),
            ],
            Deflated,
        ),
    )
    .unwrap();
    // Entry count: 10 001 empty entries.
    let names: Vec<String> = (0..10_001).map(|i| format!("x/{i}")).collect();
    let mut parts: Vec<(&str, &[u8])> = vec![(
        "word/document.xml",
        &b"<w:document><w:body/></w:document>"[..],
    )];
    parts.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    std::fs::write(dir.join("entries.docx"), zip_of(&parts, Stored)).unwrap();
    // Text: 12 MB of text in 12 MB of XML (under the XML limit).
    let body = format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", "字".repeat(4 << 20));
    std::fs::write(
        dir.join("text.docx"),
        zip_of(&[("word/document.xml", &document_xml(&body))], Deflated),
    )
    .unwrap();
    for f in ["bomb.docx", "styles.docx", "entries.docx", "text.docx"] {
        assert!(
            std::fs::metadata(dir.join(f)).unwrap().len() < 10 << 20,
            "{f}"
        );
    }
    let o = caifen(
        &dir,
        &[
            "check",
            "a.txt",
            "bomb.docx",
            "styles.docx",
            "entries.docx",
            "text.docx",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let pretty = caifen(&dir, &["check", "entries.docx"]);
    assert!(
        String::from_utf8_lossy(&pretty.stdout).contains("错误 entries.docx：压缩包条目过多，不是 Word 文档（the .docx holds more than 10000 zip entries: not a Word document）"),
        "{}",
        String::from_utf8_lossy(&pretty.stdout)
    );
    assert_eq!(answers(&v), ["a.txt"]);
    assert_eq!(
        errors(&v),
        [
            (
                "bomb.docx".into(),
                "word/document.xml is larger than 16 MB uncompressed".into()
            ),
            (
                "styles.docx".into(),
                "word/styles.xml is larger than 16 MB uncompressed".into()
            ),
            (
                "entries.docx".into(),
                "the .docx holds more than 10000 zip entries: not a Word document".into()
            ),
            (
                "text.docx".into(),
                "the document's text is larger than 10 MB: not an answer".into()
            ),
        ]
    );
}

fn rubric_error(dir: &Path, yaml: &[u8]) -> String {
    std::fs::write(dir.join("r.yaml"), yaml).unwrap();
    let o = caifen(dir, &["check", "a.txt", "--rubric", "r.yaml"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "no report with a broken rubric");
    let e = stderr(&o);
    assert!(e.starts_with("caifen: rubric error\n"), "{e}");
    e
}

#[test]
fn rubric_limits_size_nesting_aliases_and_regex() {
    let dir = common::tempdir("limits-rubric");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    let point = "points:\n  - {id: a, points: 1, keywords: [机制]}\n";
    // Size: a comment makes the file 1 MB + 1 byte; a 50 MB file is not read whole.
    for size in [(1 << 20) + 1, 50 << 20] {
        let mut y = format!("{point}# ").into_bytes();
        y.resize(size, b'x');
        let e = rubric_error(&dir, &y);
        assert!(e.contains("r.yaml: rubric is larger than 1024 KB"), "{e}");
    }
    // Nesting: block collections nest without brackets or indentation; this overflowed the stack.
    for (yaml, line) in [
        (format!("points:\n{}x\n", "- ".repeat(100_000)), 2),
        (format!("{}x\n", "? ".repeat(100_000)), 1),
        (format!("points: {}\n", "[".repeat(40)), 1),
    ] {
        let e = rubric_error(&dir, yaml.as_bytes());
        assert!(
            e.contains(&format!("r.yaml:{line}")) && e.contains("nested more than 32 levels deep"),
            "{e}"
        );
    }
    // Alias expansion ("billion laughs"): 300 KB anchored once, then repeated; this ran out of
    // memory.
    let yaml = format!(
        "question: &q '{}'\npoints:\n  - id: a\n    points: 1\n    keywords: [{}]\n",
        "x".repeat(300_000),
        vec!["*q"; 1000].join(", ")
    );
    let e = rubric_error(&dir, yaml.as_bytes());
    assert!(
        e.contains("r.yaml:5:")
            && e.contains("YAML aliases (*name) expand the rubric to more than 1024 KB"),
        "{e}"
    );
    // Nested anchors multiply: 10 aliases of 10 aliases of … of a short string.
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..9 {
        let p = format!("*a{}", i - 1);
        laughs.push_str(&format!("a{i}: &a{i} [{}]\n", [p.as_str(); 10].join(", ")));
    }
    let e = rubric_error(&dir, laughs.as_bytes());
    assert!(
        e.contains("YAML aliases (*name) expand the rubric to more than 1024 KB"),
        "{e}"
    );
    // A few aliases of a small anchor are fine (and then the rubric's own rules apply).
    let ok = "hint: &h 写明机制\npoints:\n  - {id: a, points: 1, keywords: [机制], hint: *h}\n  - {id: b, points: 1, keywords: [督办], hint: *h}\n";
    let e = rubric_error(&dir, ok.as_bytes());
    assert!(e.contains("unknown field `hint`"), "{e}");
    let ok = "points:\n  - {id: a, points: 1, keywords: &k [机制, 督办]}\n  - {id: b, points: 1, keywords: *k}\n";
    std::fs::write(dir.join("ok.yaml"), ok).unwrap();
    let o = caifen(&dir, &["check", "a.txt", "--rubric", "ok.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Regex size: a pattern that compiles to more than 10 MB.
    let e = rubric_error(
        &dir,
        b"points:\n  - {id: a, points: 1, patterns: ['(\\w{50}){50}']}\n",
    );
    assert!(
        e.contains("r.yaml:2:35: points[0].patterns[0]: invalid regex /(\\w{50}){50}/: Compiled regex exceeds size limit of 10485760 bytes"),
        "{e}"
    );
}

/// Issue 8 (audit): the 10 MB limit was per pattern, with no total: 200 patterns `(\w{50}){4}`,
/// each 3.4 MB of NFA and under the limit, made a 10 KB rubric take 2.9 GB and 26 s to load. The
/// rubric's patterns are weighed together before any is compiled: the one that passes the 16 MB
/// budget is named with its place, nothing is compiled, and the refusal fits in 1 GB of address
/// space (before the fix the load ran out of it).
#[test]
fn rubric_regex_budget_across_patterns() {
    let dir = common::tempdir("limits-regex-budget");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    let mut y = String::from("points:\n");
    for i in 0..200 {
        y.push_str(&format!(
            "  - {{id: p{i}, points: 1, patterns: ['(\\w{{50}}){{4}}']}}\n"
        ));
    }
    assert!(y.len() < 11_000, "{}", y.len());
    std::fs::write(dir.join("r.yaml"), &y).unwrap();
    // Bounded memory: the load under a 1 GB address-space limit (util-linux `prlimit`).
    let o = Command::new("prlimit")
        .arg(format!("--as={}", 1u64 << 30))
        .arg(env!("CARGO_BIN_EXE_caifen"))
        .args(["rubric", "check", "r.yaml"])
        .current_dir(&dir)
        .output()
        .expect("prlimit (util-linux) runs caifen under a memory limit");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("r.yaml:6:36: points[4].patterns[0]: pattern /(\\w{50}){4}/ takes the rubric's regexes past their budget of 16 MB"),
        "{}",
        stderr(&o)
    );
    let e = rubric_error(&dir, y.as_bytes());
    // 4 × 3.35 MB pass; the fifth takes the total to 16.8 MB.
    assert!(
        e.contains("r.yaml:6:36: points[4].patterns[0]: pattern /(\\w{50}){4}/ takes the rubric's regexes past their budget of 16 MB in all (NFA bytes of every pattern and evidence rule together; 16.8 MB with this one): use fewer or simpler patterns; no pattern is compiled"),
        "{e}"
    );
    assert_eq!(
        e.lines().filter(|l| l.starts_with("r.yaml:")).count(),
        1,
        "{e}"
    );
    // Group patterns and evidence rules count too, in the order the points are compiled; past
    // the budget a later pattern's syntax error is still reported (all problems in one pass).
    let y = "points:
  - id: a
    points: 1
    groups:
      - {terms: [机制], patterns: ['(\\w{50}){4}', '(\\w{50}){4}']}
      - {terms: [督办], patterns: ['(\\w{50}){4}']}
    evidence: '(\\w{50}){4}'
  - {id: b, points: 1, patterns: ['(\\w{50}){4}', '(未闭合']}
";
    let e = rubric_error(&dir, y.as_bytes());
    let located: Vec<&str> = e.lines().filter(|l| l.starts_with("r.yaml:")).collect();
    assert_eq!(located.len(), 2, "{e}");
    assert!(
        located[0].starts_with("r.yaml:8:35: points[1].patterns[0]: pattern /(\\w{50}){4}/ takes the rubric's regexes past their budget of 16 MB in all"),
        "{e}"
    );
    assert!(
        located[1].starts_with(
            "r.yaml:8:50: points[1].patterns[1]: invalid regex /(未闭合/: error: unclosed group"
        ),
        "{e}"
    );
    // Patterns past the per-pattern limit weigh at least the limit: 200 of them stop at the
    // second (each had its NFA built to the limit twice, one after another).
    let mut y = String::from("points:\n");
    for i in 0..200 {
        y.push_str(&format!(
            "  - {{id: p{i}, points: 1, patterns: ['(\\w{{50}}){{50}}']}}\n"
        ));
    }
    let e = rubric_error(&dir, y.as_bytes());
    let located: Vec<&str> = e.lines().filter(|l| l.starts_with("r.yaml:")).collect();
    assert_eq!(
        located,
        [
            "r.yaml:2:36: points[0].patterns[0]: invalid regex /(\\w{50}){50}/: Compiled regex exceeds size limit of 10485760 bytes.",
            "r.yaml:3:36: points[1].patterns[0]: invalid regex /(\\w{50}){50}/: Compiled regex exceeds size limit of 10485760 bytes.",
            "r.yaml:3:36: points[1].patterns[0]: pattern /(\\w{50}){50}/ takes the rubric's regexes past their budget of 16 MB in all (NFA bytes of every pattern and evidence rule together; 20.0 MB with this one): use fewer or simpler patterns; no pattern is compiled",
        ],
        "{e}"
    );
    // Under the budget the same patterns load: two of them, and evidence.
    let ok =
        "points:\n  - {id: a, points: 1, patterns: ['(\\w{50}){4}'], evidence: '(\\w{50}){4}'}\n";
    std::fs::write(dir.join("ok.yaml"), ok).unwrap();
    let o = caifen(&dir, &["rubric", "check", "ok.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `depth` nested folders below `root`, each holding one answer.
fn nested(root: &Path, depth: usize) -> PathBuf {
    let mut d = root.to_path_buf();
    for i in 1..=depth {
        d = d.join(format!("d{i}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("a.txt"), weak()).unwrap();
    }
    d
}

#[test]
fn folder_depth_limit_reports_what_it_did_not_search() {
    let dir = common::tempdir("limits-depth");
    nested(&dir.join("class"), 3);
    let o = caifen(
        &dir,
        &["check", "class", "--max-depth", "2", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(answers(&v), ["class/d1/a.txt"]);
    assert_eq!(
        errors(&v),
        [(
            "class/d1/d2".into(),
            "folder not searched: its files lie more than 2 levels deep (--max-depth)".into()
        )]
    );
    // In the pretty report (and the CSV 错误 column), in Chinese first.
    let o = caifen(&dir, &["check", "class", "--max-depth", "2"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("错误 class/d1/d2：文件夹层级过深，未检查其中的文件（folder not searched: its files lie more than 2 levels deep (--max-depth)）"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // The default is 32 levels.
    let deep = common::tempdir("limits-depth-default");
    nested(&deep.join("class"), 33);
    let o = caifen(&deep, &["check", "class", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(answers(&v).len(), 31);
    let e = errors(&v);
    assert_eq!(e.len(), 1);
    assert!(e[0].0.ends_with("/d31/d32"), "{e:?}");
    assert_eq!(
        e[0].1,
        "folder not searched: its files lie more than 32 levels deep (--max-depth)"
    );
    let o = caifen(&deep, &["check", "class", "--max-depth", "40"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // An empty folder at the limit is nothing lost.
    let o = caifen(&dir, &["check", "class/d1/d2", "--max-depth", "1"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_file(dir.join("class/d1/d2/d3/a.txt")).unwrap();
    let o = caifen(&dir, &["check", "class/d1/d2", "--max-depth", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // 0 is a usage error.
    let o = caifen(&dir, &["check", "class", "--max-depth", "0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`0` is not a whole number ≥ 1"));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_error_entries() {
    let dir = common::tempdir("limits-loop");
    std::fs::create_dir_all(dir.join("class/sub")).unwrap();
    std::fs::write(dir.join("class/a.txt"), weak()).unwrap();
    std::os::unix::fs::symlink("..", dir.join("class/sub/up")).unwrap();
    std::os::unix::fs::symlink("self.txt", dir.join("class/self.txt")).unwrap();
    let o = caifen(&dir, &["check", "class", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(answers(&v), ["class/a.txt"]);
    let e = errors(&v);
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(e[0].0, "class/self.txt");
    assert!(
        e[0].1.starts_with("cannot read folder entry: ")
            && e[0]
                .1
                .ends_with("Too many levels of symbolic links (os error 40)"),
        "{e:?}"
    );
    assert_eq!(e[1].0, "class/sub/up");
    assert!(
        e[1].1.starts_with("cannot read folder entry: File system loop found: class/sub/up points to an ancestor class"),
        "{e:?}"
    );
}

#[test]
fn number_of_files_limit_stops_before_checking() {
    let dir = common::tempdir("limits-files");
    std::fs::create_dir_all(dir.join("class")).unwrap();
    for f in ["a.txt", "b.txt", "c.txt", "notes.pdf"] {
        std::fs::write(dir.join("class").join(f), weak()).unwrap();
    }
    std::fs::write(dir.join("d.txt"), weak()).unwrap();
    let want = "caifen: more than 4 files in the paths given (--max-files 4): name fewer folders or raise --max-files\n";
    // Other files in the folder count too: they are read and listed.
    let o = caifen(
        &dir,
        &["check", "class", "d.txt", "--max-files", "4", "-o", "r.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), want);
    assert!(o.stdout.is_empty());
    assert!(!dir.join("r.csv").exists(), "no report written");
    let o = caifen(&dir, &["check", "d.txt", "class", "--max-files", "4"]);
    assert_eq!((o.status.code(), stderr(&o)), (Some(2), want.to_owned()));
    let o = caifen(
        &dir,
        &[
            "check",
            "class",
            "d.txt",
            "--max-files",
            "5",
            "--format",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(answers(&json(&o)).len(), 4);
    // The default is 10 000.
    let many = dir.join("many");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..10_001 {
        std::fs::write(many.join(format!("{i}.pdf")), b"").unwrap();
    }
    let o = caifen(&dir, &["check", "many"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "caifen: more than 10000 files in the paths given (--max-files 10000): name fewer folders or raise --max-files\n"
    );
}

// ------------------------------------------------------------------------------ output safety

#[test]
fn html_escapes_everything_from_answers_rubrics_and_file_names() {
    let dir = common::tempdir("limits-html");
    let evil = "<script>alert(1)</script>";
    let quote = "\"'><img src=x onerror=alert(2)>";
    std::fs::write(
        dir.join("\"'><script>x.txt"),
        format!("{evil}关于机制的材料\n一、{quote}健全机制\n我们建立了督办机制。{evil}\n"),
    )
    .unwrap();
    // YAML single quotes: a quote inside is doubled.
    let sq = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let (e, q) = (sq(evil), sq(quote));
    std::fs::write(
        dir.join("r.yaml"),
        format!(
            "id: {q}\ntitle: {e}\nbands: [{{name: {e}, min: 50}}, {{name: '\"><b>', min: 0}}]\nlanguage: {{points: 2, forbidden: [{{phrase: {e}, penalty: 1}}]}}\npoints:\n  - id: p\n    name: {e}\n    points: 5\n    groups:\n      - {{name: {q}, terms: [机制]}}\n      - {{name: {e}, terms: [不存在的词]}}\n    hint: {q}\n"
        ),
    )
    .unwrap();
    let o = caifen(
        &dir,
        &[
            "check",
            "\"'><script>x.txt",
            "--rubric",
            "r.yaml",
            "--format",
            "html",
            "--name-pattern",
            "{学号}",
        ],
    );
    assert!(o.status.code() != Some(2), "{}", stderr(&o));
    let html = String::from_utf8(o.stdout).unwrap();
    for raw in ["<script", "<img", "<b>", "\"'>"] {
        assert!(!html.contains(raw), "{raw} unescaped in\n{html}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{html}"
    );
    assert!(html.contains("&quot;&#x27;&gt;&lt;img"), "{html}");
}

#[test]
fn csv_cells_that_could_be_formulas_are_neutralised() {
    let dir = common::tempdir("limits-csv");
    std::fs::create_dir_all(dir.join("cls")).unwrap();
    for (name, title) in [
        ("=1+1_张三.txt", "=HYPERLINK(\"http://x\",\"点我\")"),
        ("+1_李四.txt", "+cmd|' /C calc'!A0"),
        ("-1_王五.txt", "-2+3"),
        ("@SUM_赵六.txt", "@SUM(A1:A2)"),
    ] {
        std::fs::write(
            dir.join("cls").join(name),
            format!("{title}\n一、健全机制\n我们建立了督办机制。\n"),
        )
        .unwrap();
    }
    std::fs::write(dir.join("cls/=err_x.txt"), [0u8, 1, 2]).unwrap();
    std::fs::write(
        dir.join("r.yaml"),
        "bands: [{name: '=A1', min: 50}, {name: '-B', min: 0}]\npoints:\n  - {id: '=p', name: '+x', points: 5, keywords: [机制]}\n",
    )
    .unwrap();
    // Named one by one from inside the folder, so that the file column starts with them too.
    let o = caifen(
        &dir.join("cls"),
        &[
            "check",
            "--rubric",
            "../r.yaml",
            "--format",
            "csv",
            "--name-pattern",
            "{学号}_{姓名}",
            "--no-bom",
            "--",
            "=1+1_张三.txt",
            "+1_李四.txt",
            "-1_王五.txt",
            "@SUM_赵六.txt",
            "=err_x.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let header = rd.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    let mut cells = 0;
    for row in std::iter::once(&header).chain(&rows) {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?} in {row:?}"
            );
            cells += usize::from(cell.starts_with('\''));
        }
    }
    assert!(cells >= 15, "{cells} neutralised cells");
    let files: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        files,
        [
            "'=1+1_张三.txt",
            "'+1_李四.txt",
            "'-1_王五.txt",
            "'@SUM_赵六.txt",
            "'=err_x.txt"
        ]
    );
    assert!(header.iter().any(|h| h == "'=p +x"));
    assert!(rows
        .iter()
        .any(|r| r.iter().any(|c| c == "'=HYPERLINK(\"http://x\",\"点我\")")));
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c == "'=1+1")),
        "student field"
    );
    assert!(
        rows.iter()
            .any(|r| r.iter().any(|c| c == "'=A1" || c == "'-B")),
        "band"
    );
}

#[test]
fn output_goes_only_to_the_path_given() {
    let dir = common::tempdir("limits-output");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("in/a.txt"), weak()).unwrap();
    let o = caifen(&dir, &["check", "in", "--format", "csv", "-o", "out/r.csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        listing(&dir.join("out")),
        ["r.csv"],
        "no temporary file left"
    );
    assert_eq!(listing(&dir.join("in")), ["a.txt"]);
    assert_eq!(listing(&dir), ["in", "out"]);
    // Replacing an existing report leaves exactly one file.
    let o = caifen(
        &dir,
        &["check", "in", "--format", "json", "-o", "out/r.csv"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(listing(&dir.join("out")), ["r.csv"]);
    assert!(std::fs::read_to_string(dir.join("out/r.csv"))
        .unwrap()
        .starts_with('{'));
    // A folder given as --output is an error, not a file inside it.
    let o = caifen(&dir, &["check", "in", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "caifen: cannot write out: is a folder\n");
    assert_eq!(listing(&dir.join("out")), ["r.csv"]);
}

/// A device is written to, never replaced: `-o /dev/null` once renamed a regular file over
/// /dev/null when run as root.
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_device_writes_to_the_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = common::tempdir("limits-device");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    let o = caifen(&dir, &["check", "a.txt", "-o", "/dev/null"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let m = std::fs::metadata("/dev/null").unwrap();
    assert!(
        m.file_type().is_char_device(),
        "/dev/null is still a device"
    );
    let leftovers: Vec<String> = listing(Path::new("/dev"))
        .into_iter()
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ----------------------------------------------------------------------------------- failures

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported_and_the_rest_checked() {
    use std::os::unix::fs::PermissionsExt;
    let dir = common::tempdir("limits-unreadable");
    std::fs::create_dir_all(dir.join("class")).unwrap();
    std::fs::write(dir.join("class/a.txt"), weak()).unwrap();
    // A dangling link in a folder, and one named on the command line.
    std::os::unix::fs::symlink("gone.txt", dir.join("class/b.txt")).unwrap();
    std::os::unix::fs::symlink("gone.txt", dir.join("c.txt")).unwrap();
    let o = caifen(&dir, &["check", "class", "c.txt", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(answers(&v), ["class/a.txt"]);
    assert_eq!(
        errors(&v),
        [
            (
                "class/b.txt".into(),
                "cannot read folder entry: class/b.txt: IO error for operation on class/b.txt: No such file or directory (os error 2)".into()
            ),
            (
                "c.txt".into(),
                "cannot read: No such file or directory (os error 2)".into()
            ),
        ]
    );
    // A file whose read fails (Linux: /proc/self/mem at offset 0), whoever runs the test.
    #[cfg(target_os = "linux")]
    {
        let o = caifen(&dir, &["check", "/proc/self/mem", "class/a.txt"]);
        assert_eq!(o.status.code(), Some(2));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            out.contains("/proc/self/mem")
                && out.contains("cannot read: Input/output error (os error 5)"),
            "{out}"
        );
        assert!(out.contains("共2份：已评1份，出错1份"), "{out}");
    }
    // Permissions: root reads a mode-000 file anyway, so this part needs an ordinary user.
    std::fs::write(dir.join("locked.txt"), weak()).unwrap();
    std::fs::set_permissions(
        dir.join("locked.txt"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    // Root reads a mode-000 file anyway: as root, the binary runs as `nobody` (setpriv), when
    // that user can reach it.
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_caifen"))
            .args(args)
            .current_dir(&dir)
            .output()
    };
    let o = if !is_root() {
        caifen(&dir, &["check", "locked.txt", "--format", "json"])
    } else if as_nobody(&["--version"]).is_ok_and(|o| o.status.success()) {
        as_nobody(&["check", "locked.txt", "--format", "json"]).unwrap()
    } else {
        eprintln!("running as root without setpriv or a binary `nobody` can run: permission case not asserted");
        let o = caifen(&dir, &["check", "locked.txt", "--format", "json"]);
        assert_eq!(o.status.code(), Some(0));
        return;
    };
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        errors(&json(&o))[0].1,
        "cannot read: Permission denied (os error 13)"
    );
}

#[test]
fn a_file_that_vanishes_mid_run_is_an_error_entry_in_its_place() {
    let dir = common::tempdir("limits-vanish");
    let class = dir.join("class");
    std::fs::create_dir_all(&class).unwrap();
    for f in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(class.join(f), weak()).unwrap();
    }
    let collected = caifen::input::collect(
        std::slice::from_ref(&class),
        &["txt".to_owned()],
        &caifen::input::Limits::default(),
    )
    .unwrap();
    assert_eq!(collected.inputs.len(), 3);
    // Listed, then gone before it is read.
    std::fs::remove_file(class.join("b.txt")).unwrap();
    let r = caifen::rubric::load(
        "points:\n  - {id: p, points: 1, keywords: [机制]}\n",
        "r",
        "r",
    )
    .unwrap();
    let checker = caifen::Checker::new(&r);
    let opts = caifen::batch::Options {
        jobs: 2,
        forced: None,
        name_pattern: None,
        max_bytes: 10 << 20,
    };
    let out = caifen::batch::check_all(&checker, &collected.inputs, None, &opts, &|| {});
    let got: Vec<(usize, String)> = out
        .iter()
        .map(|o| match o {
            caifen::batch::Outcome::Checked(r) => (r.order, "checked".to_owned()),
            caifen::batch::Outcome::Failed(e) => (e.order, e.error.clone()),
        })
        .collect();
    assert_eq!(
        got,
        [
            (0, "checked".to_owned()),
            (
                1,
                "cannot read: No such file or directory (os error 2)".to_owned()
            ),
            (2, "checked".to_owned()),
        ]
    );
}

#[test]
fn an_output_that_cannot_be_written_leaves_nothing_and_exits_2() {
    let dir = common::tempdir("limits-write");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    // The parent of --output is a file.
    let o = caifen(&dir, &["check", "a.txt", "-o", "a.txt/r.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "caifen: cannot write a.txt/r.csv: Not a directory (os error 20)\n"
    );
    assert_eq!(listing(&dir), ["a.txt"]);
    #[cfg(target_os = "linux")]
    {
        // A device that refuses writes.
        let o = caifen(&dir, &["check", "a.txt", "-o", "/dev/full"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            "caifen: cannot write /dev/full: No space left on device (os error 28)\n"
        );
        // Standard output that refuses writes.
        let o = Command::new(env!("CARGO_BIN_EXE_caifen"))
            .args(["check", "a.txt"])
            .current_dir(&dir)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            "caifen: No space left on device (os error 28)\n"
        );
    }
}

/// A write that fails halfway (the file size limit, RLIMIT_FSIZE, set to one block with SIGXFSZ
/// ignored so that the write returns EFBIG): the report is not left half-written, nor is the
/// temporary file.
#[cfg(unix)]
#[test]
fn a_write_error_halfway_leaves_no_half_written_report() {
    let dir = common::tempdir("limits-fsize");
    std::fs::write(dir.join("a.txt"), weak()).unwrap();
    let script = format!(
        "trap '' XFSZ; ulimit -f 1 && exec '{}' check a.txt --format html -o r.html",
        env!("CARGO_BIN_EXE_caifen")
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "caifen: cannot write r.html: File too large (os error 27)\n"
    );
    assert_eq!(listing(&dir), ["a.txt"], "no report, no temporary file");
    // An existing report is kept as it was, not truncated.
    std::fs::write(dir.join("r.html"), "old report").unwrap();
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.join("r.html")).unwrap(),
        "old report"
    );
    assert_eq!(listing(&dir), ["a.txt", "r.html"]);
}

/// Send SIG`signal` to a run writing a report file: it exits 130, saying no report was written.
#[cfg(unix)]
fn interrupt(child: std::process::Child, signal: &str) {
    let kill = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(130), "SIG{signal}: {}", stderr(&o));
    assert!(
        stderr(&o).ends_with("caifen: interrupted; no report written\n"),
        "SIG{signal}: {}",
        stderr(&o)
    );
}

/// An interrupted run (Ctrl-C, SIGTERM or SIGHUP while a streamed CSV report is being written)
/// exits 130 and leaves no temporary file beside the report; an older report stays as it was.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_temporary_report() {
    let dir = common::tempdir("limits-interrupt");
    let answers = dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    // Enough answers that the run is still writing when the signal comes (about 2 s in a
    // debug build on one thread).
    let weak = weak();
    for i in 0..4000 {
        std::fs::write(answers.join(format!("{i:04}.txt")), &weak).unwrap();
    }
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for signal in ["INT", "TERM", "HUP"] {
        std::fs::write(out.join("r.csv"), "old report").unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_caifen"))
            .args([
                "check",
                "--jobs",
                "1",
                "--format",
                "csv",
                "-o",
                "out/r.csv",
                "answers",
            ])
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait for the temporary report to appear, then signal.
        let started = std::time::Instant::now();
        while listing(&out).len() < 2 {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(120),
                "no temporary report appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        interrupt(child, signal);
        assert_eq!(
            listing(&out),
            ["r.csv"],
            "SIG{signal}: no temporary file left"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("r.csv")).unwrap(),
            "old report"
        );
    }
}

/// SIGTERM or SIGHUP while a run with a report file still waits for standard input ended it with
/// 143 or 129 and no message (the handler came with the first report file); it is 130 with the
/// message, as once checking has started.
#[cfg(unix)]
#[test]
fn a_run_interrupted_while_reading_standard_input_exits_130() {
    let dir = common::tempdir("limits-interrupt-stdin");
    std::fs::write(dir.join("r.csv"), "old report").unwrap();
    for signal in ["TERM", "HUP", "INT"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_caifen"))
            .args([
                "check",
                "--no-config",
                "--format",
                "csv",
                "-o",
                "r.csv",
                "-",
            ])
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Standard input stays open: the run waits on it (start-up takes well under a second).
        let stdin = child.stdin.take();
        std::thread::sleep(std::time::Duration::from_secs(2));
        interrupt(child, signal);
        drop(stdin);
        assert_eq!(
            std::fs::read_to_string(dir.join("r.csv")).unwrap(),
            "old report"
        );
    }
}
