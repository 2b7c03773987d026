//! Faults found by trying to break caifen, each pinned with the input that showed it.
mod common;

use common::{root, stderr, stdout};
use std::path::Path;
use std::process::Output;

fn caifen_in(dir: &Path, args: &[&str]) -> Output {
    common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir, args, None)
}

/// 500 points sharing a term over an answer repeating it 6 000 times held every hit of every
/// point (46 s, 1 GB; a 1 MB rubric took the server to 24 GB). Hits kept are now capped.
#[test]
fn a_term_shared_by_many_points_and_repeated_many_times_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let mut rubric = String::from("question: q\npoints:\n");
    for i in 0..500 {
        rubric.push_str(&format!(
            "  - {{name: n{i}, points: 1, keywords: [机制, 机制{i}]}}\n"
        ));
    }
    std::fs::write(dir.path().join("r.yaml"), rubric).unwrap();
    std::fs::write(dir.path().join("a.txt"), "机制。".repeat(6000)).unwrap();
    let o = caifen_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--rubric",
            "r.yaml",
            "--format",
            "json",
            "a.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let points = run["answers"][0]["points"].as_array().unwrap();
    assert_eq!(points.len(), 500);
    let total_hits: usize = points
        .iter()
        .map(|p| p["hits"].as_array().unwrap().len())
        .sum();
    assert!(total_hits <= caifen::check::MAX_CANDIDATES, "{total_hits}");
    assert!(points
        .iter()
        .all(|p| p["hits"].as_array().unwrap().len() <= caifen::check::MAX_GROUP_CANDIDATES * 2));
    // The points still see the term (one group of synonyms: 机制 alone meets each), and the
    // answer, nothing but the term over and over, is a term list: each point's credit is capped
    // at half.
    for p in [&points[0], &points[499]] {
        assert_eq!(p["groups_met"], 1);
        assert_eq!(p["capped"], "term-list");
        assert_eq!(p["status"], "partly");
        assert_eq!(p["score"], 0.5);
    }
}

/// Every reference sentence was compared with every answer sentence and every similar pair kept
/// (840 KB: over 60 s and gigabytes). Each side is now cut at MAX_SENTENCES; speed itself is
/// the benchmark's to measure, not a test's.
#[test]
fn a_huge_reference_is_compared_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.txt"), "我们要抓落实。".repeat(40_000)).unwrap();
    let o = caifen_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--reference",
            "r.txt",
            "--format",
            "json",
            "r.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let aligned = run["answers"][0]["reference"]["aligned"]
        .as_array()
        .unwrap();
    assert!(
        aligned.len() <= caifen::reference::MAX_SENTENCES + 1,
        "{}",
        aligned.len()
    );
}

/// Expectation files written by Windows editors start with a BOM (case B07's fault, again).
#[test]
fn expectation_files_with_a_bom_load() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::copy(root().join("examples/essays/weak.txt"), cases.join("a.txt")).unwrap();
    std::fs::write(
        cases.join("a.expect.yaml"),
        "\u{FEFF}最高分档: 四类文\r\n分数: [0, 100]\r\n",
    )
    .unwrap();
    let o = caifen_in(
        dir.path(),
        &["rubric", "test", "shanxi_zhualuoshi", "--cases", "cases"],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

/// A folder reached through a symlink is the same folder: caifen.toml's per-path rubric applies.
#[test]
fn per_path_rubrics_apply_through_a_symlinked_path() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("cfg");
    std::fs::create_dir_all(cfg.join("drafts/haiguan")).unwrap();
    std::fs::write(
        cfg.join("caifen.toml"),
        "[[rubrics]]\npaths = [\"drafts/haiguan/**\"]\nrubric = \"gwy_guojia_2022_Xingzhengzhifa_q4\"\n",
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/essays/weak.txt"),
        cfg.join("drafts/haiguan/a.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&cfg, dir.path().join("link")).unwrap();
    for path in [cfg.join("drafts"), dir.path().join("link/drafts")] {
        let o = caifen_in(
            &cfg,
            &["check", "--format", "jsonl", path.to_str().unwrap()],
        );
        let line: serde_json::Value =
            serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
        assert_eq!(
            line["rubric"]["id"],
            "gwy_guojia_2022_Xingzhengzhifa_q4",
            "{}",
            path.display()
        );
    }
}

/// A file name with a line break: JUnit attributes carry it as `&#10;`, not a raw newline that
/// XML parsers would turn into a space.
#[test]
fn junit_attributes_keep_line_breaks_in_file_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("examples/essays/weak.txt"),
        dir.path().join("a\nb.txt"),
    )
    .unwrap();
    let o = caifen_in(
        dir.path(),
        &["check", "--no-config", "--format", "junit", "."],
    );
    let out = stdout(&o);
    assert!(out.contains(r#"<testcase name="a&#10;b.txt""#), "{out}");
    let mut reader = quick_xml::Reader::from_str(&out);
    // Well-formed to the end.
    while reader.read_event().unwrap() != quick_xml::events::Event::Eof {}
}

/// Marks files from Excel have CRLF line ends (and maybe a BOM and blank lines): the line named
/// in an error is the line of the row.
#[test]
fn marks_errors_name_the_right_line_whatever_the_line_ends() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("m")).unwrap();
    for f in ["strong.txt", "weak.txt"] {
        std::fs::copy(
            root().join("examples/essays").join(f),
            dir.path().join("m").join(f),
        )
        .unwrap();
    }
    let rows: &[(&str, &str)] = &[
        (
            "file,score\r\nstrong.txt,90\r\nweak.txt,400\r\n",
            "m.csv:3: score 400",
        ),
        (
            "file,score\nstrong.txt,90\n\nweak.txt,400\n",
            "m.csv:4: score 400",
        ),
        (
            "\u{FEFF}file,score\r\nstrong.txt,x\r\n",
            "m.csv:2: score `x`",
        ),
    ];
    for (csv, want) in rows {
        std::fs::write(dir.path().join("m.csv"), csv).unwrap();
        let o = caifen_in(
            dir.path(),
            &["calibrate", "--no-config", "--scores", "m.csv", "m"],
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains(want), "{csv:?}: {}", stderr(&o));
    }
}

/// A rubric holding a control character (a NUL from a damaged copy, DEL, a stray ^A): the YAML
/// parser names only a byte offset, and the error said `r.yaml:1:1: … at position 207`, pointing
/// at line 1 whatever the line. Each is now named at its line and column, the line shown with
/// U+FFFD in its place. A rubric with old Mac line ends (lone CR) had its located errors shown
/// without the offending line.
#[test]
fn rubric_errors_name_the_line_of_control_characters_and_of_lone_cr_files() {
    let dir = tempfile::tempdir().unwrap();
    let rows: &[(&str, &str)] = &[
        (
            "题目: 测试\n总分: 10\n得分点:\n  - 名称: 甲\n    分值: 10\n    关键词: [减负]\n\0",
            "r.yaml:7:1: control character U+0000 is not allowed in YAML (a damaged file, or not a text file?)\n    | \u{FFFD}\n",
        ),
        (
            "题目: 测试\r\n总分: 10\u{1}\r\n得分点:\r\n  - 名称: 甲\u{7f}\r\n    分值: 10\r\n    关键词: [减负]\r\n",
            "r.yaml:2:7: control character U+0001 is not allowed in YAML (a damaged file, or not a text file?)\n    | 总分: 10\u{FFFD}\nr.yaml:4:10: control character U+007F is not allowed in YAML (a damaged file, or not a text file?)\n    |   - 名称: 甲\u{FFFD}\n",
        ),
        (
            "题目: 测试\r总分: 10\r得分点:\r  - 名称: 甲\r    分值: 十\r    关键词: [减负]\r",
            "r.yaml:5:9: 得分点[0].分值: invalid type: string \"十\", expected a number\n    |     分值: 十\n",
        ),
    ];
    for (yaml, want) in rows {
        std::fs::write(dir.path().join("r.yaml"), yaml).unwrap();
        let o = caifen_in(dir.path(), &["rubric", "check", "r.yaml"]);
        assert_eq!(o.status.code(), Some(2), "{yaml:?}");
        assert_eq!(stderr(&o), *want, "{yaml:?}");
    }
}

/// A key typed with a full-width colon (`分值：6`, as a Chinese input method writes it): YAML
/// reads the line as text and its parser complained only at the next line (`could not find
/// expected ':'`). The colon is now named at its line and column, before the parser's message;
/// full-width colons in values and in block text are not.
#[test]
fn rubric_keys_with_a_full_width_colon_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let rows: &[(&str, &str)] = &[
        (
            "题目: 测试：甲\n总分: 10\n得分点:\n  - 名称: 甲\n    分值：10\n    关键词: [减负]\n",
            "r.yaml:5:7: 分值: full-width colon `：` after the key: YAML needs a half-width colon and a space (`分值: …`)\n    |     分值：10\n",
        ),
        (
            "question: |\n  要求：不超过500字\ntotal: 10\npoints:\n  - id: jz\n    name：机制\n    points: 10\n",
            "r.yaml:6:9: name: full-width colon `：` after the key: YAML needs a half-width colon and a space (`name: …`)\n    |     name：机制\n",
        ),
        (
            "题目: 测试\n总分：10\n",
            "r.yaml:2:3: 总分: full-width colon `：` after the key: YAML needs a half-width colon and a space (`总分: …`)\n    | 总分：10\n",
        ),
        // A full-width space after the colon, or as indentation: YAML reads neither as a space.
        (
            "题目: 测试\n得分点:\n  - 名称:\u{3000}机制\n    分值: 10\n    关键词: [机制]\n",
            "r.yaml:3:8: 名称: full-width space `　` after the colon: YAML needs a half-width space (`名称: …`)\n    |   - 名称:\u{3000}机制\n",
        ),
        (
            "题目: 测试\n得分点:\n  - 名称: 机制\n\u{3000}\u{3000}分值: 10\n",
            "r.yaml:4:1: full-width space `　` in the indentation: YAML indents with half-width spaces\n    | \u{3000}\u{3000}分值: 10\n",
        ),
        // A second document: the parser named no place.
        (
            "题目: 测试\n得分点:\n  - {名称: 机制, 分值: 10, 关键词: [机制]}\n---\n题目: 又一题\n",
            "r.yaml:4:1: a second YAML document (a `---` line after the rubric's keys): a rubric file holds one; remove the line, or split the file\n    | ---\n",
        ),
    ];
    let mut failures = Vec::new();
    for (yaml, want) in rows {
        std::fs::write(dir.path().join("r.yaml"), yaml).unwrap();
        let o = caifen_in(dir.path(), &["rubric", "check", "r.yaml"]);
        let err = stderr(&o);
        // The hint comes first; the parser's own message follows it (a second document has
        // only the one message).
        let alone = yaml.contains("---");
        if o.status.code() != Some(2)
            || !err.starts_with(want)
            || (err.len() == want.len()) != alone
        {
            failures.push(format!("{yaml:?}: exit {:?}\n{err}", o.status.code()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `caifen check … | head -1`: a reader that stops early does not change what the run found.
/// CSV and JSONL runs (streamed) stopped at the closed pipe and exited 0, with no error on
/// stderr, although a file after the first rows could not be checked (`--format json` exited 2);
/// the other formats exited 2 but dropped the errors and the count line from stderr. Every
/// format now checks every file, exits 2 and names the bad file on stderr.
#[test]
fn a_closed_stdout_keeps_the_exit_code_and_the_errors() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    for f in ["strong.txt", "weak.txt"] {
        std::fs::copy(root().join("examples/essays").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("z.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    for format in [
        "pretty", "json", "jsonl", "csv", "html", "github", "sarif", "junit",
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_caifen"))
            .args(["check", "--no-config", "--format", format, "."])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes before anything is written.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{format}: {err}");
        assert!(
            err.contains("caifen: ./z.txt: binary or undecodable content")
                && err.ends_with("caifen: 共3份：已评2份，出错1份，跳过0个非作答文件\n"),
            "{format}: {err}"
        );
    }
}

/// A class folder holding a link to another folder (`作答/补交 -> ../补交`): the walk reads the
/// linked folder's files as answers of the run, yet `-o 作答/补交/r.csv` and `-o 补交/r.csv`
/// wrote the report into it (the check compared only the real paths of the folders given), and
/// the next run listed the report among the class's files.
#[test]
fn a_report_is_not_written_into_a_folder_linked_from_an_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    let strong = root().join("examples/essays/strong.txt");
    std::fs::create_dir_all(dir.path().join("作答")).unwrap();
    std::fs::create_dir_all(dir.path().join("补交")).unwrap();
    std::fs::copy(&strong, dir.path().join("作答/a.txt")).unwrap();
    std::fs::copy(&strong, dir.path().join("补交/b.txt")).unwrap();
    std::os::unix::fs::symlink("../补交", dir.path().join("作答/补交")).unwrap();
    for out in ["作答/补交/r.csv", "补交/r.csv", "作答/补交/../补交/r.csv"] {
        let o = caifen_in(
            dir.path(),
            &["check", "--no-config", "--format", "csv", "-o", out, "作答"],
        );
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("caifen: --output {out} is inside an input folder")),
            "{out}: {}",
            stderr(&o)
        );
    }
    let mut left: Vec<_> = std::fs::read_dir(dir.path().join("补交"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["b.txt"]);
    // Beside the class folder, and into the linked folder when allowed.
    for out in ["r.csv", "作答/../r.csv"] {
        let o = caifen_in(
            dir.path(),
            &["check", "--no-config", "--format", "csv", "-o", out, "作答"],
        );
        assert_eq!(o.status.code(), Some(0), "{out}: {}", stderr(&o));
    }
    let o = caifen_in(
        dir.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "csv",
            "--allow-output-in-input",
            "-o",
            "补交/r.csv",
            "作答",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(dir.path().join("补交/r.csv").is_file());
}

/// A rubric or `caifen.toml` saved by an editor on Chinese Windows (Notepad's "ANSI" is GBK, its
/// "Unicode" UTF-16) was refused as "not UTF-8"; it is now decoded as answers are, and gives the
/// same report as the UTF-8 file. A file with a byte that decodes in none of them is still
/// refused, at the line and column of that byte.
#[test]
fn settings_files_in_gbk_or_utf16_are_read_and_damaged_ones_located() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(root().join("examples/essays/strong.txt"), d.join("a.txt")).unwrap();
    let yaml = std::fs::read_to_string(root().join("rubrics/shanxi_zhualuoshi.yaml")).unwrap();
    let utf16 = |big: bool, bom: bool| -> Vec<u8> {
        let units = (bom.then_some(0xFEFF))
            .into_iter()
            .chain(yaml.encode_utf16());
        units
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    };
    let gbk = encoding_rs::GBK.encode(&yaml).0.into_owned();
    assert!(gbk.len() < yaml.len(), "GBK writes Han in two bytes");
    let run = |rubric: &[u8]| {
        std::fs::write(d.join("r.yaml"), rubric).unwrap();
        let args = ["check", "a.txt", "--rubric", "r.yaml", "--format", "json"];
        caifen_in(d, &[&args[..], &["--no-config"]].concat())
    };
    let want = run(yaml.as_bytes());
    assert_eq!(want.status.code(), Some(0), "{}", stderr(&want));
    let v: serde_json::Value = serde_json::from_slice(&want.stdout).unwrap();
    assert_eq!(v["answers"][0]["score"]["total"], 100.0);
    assert_eq!(v["rubric"]["title"], "山西省水利厅抓落实提高执行力经验材料");
    for (name, bytes) in [
        ("GBK", gbk.clone()),
        ("UTF-16LE with BOM", utf16(false, true)),
        ("UTF-16BE with BOM", utf16(true, true)),
        ("UTF-16LE without BOM", utf16(false, false)),
    ] {
        let o = run(&bytes);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert!(o.stdout == want.stdout, "{name}: another report");
    }
    // A UTF-8 rubric with one bad byte: the first byte of 机 (line 33, column 11) replaced.
    let at = yaml.find("name: 机制").unwrap() + "name: ".len();
    let mut bad = yaml.clone().into_bytes();
    bad[at] = 0xFF;
    assert_eq!(yaml[..at].lines().count(), 33);
    let o = run(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "caifen: rubric error\nr.yaml:33:11: not text in UTF-8, UTF-16 or a Chinese legacy encoding (GBK, GB18030, Big5): byte 0xFF does not decode; save the file as UTF-8\n"
    );
    // UTF-16 cut at an odd byte: damaged at its end, not at its BOM.
    let mut cut = utf16(false, true);
    cut.push(b'A');
    let o = run(&cut);
    assert_eq!(o.status.code(), Some(2));
    let lines = yaml.lines().count();
    assert!(
        stderr(&o).contains(&format!(
            "r.yaml:{}:1: damaged UTF-16LE text: a character here does not decode",
            lines + 1
        )),
        "{}",
        stderr(&o)
    );
    // A rubric extending a genre rubric saved in GBK: the same report as with the UTF-8 file.
    let genre = std::fs::read_to_string(root().join("rubrics/genres/genre_jingyan.yaml")).unwrap();
    std::fs::write(
        d.join("child.yaml"),
        "extends: base.yaml\ntitle: 子标准\npoints:\n  - {id: tz, points: 5, keywords: [台账]}\n",
    )
    .unwrap();
    let mut reports = Vec::new();
    for base in [
        genre.as_bytes().to_vec(),
        encoding_rs::GBK.encode(&genre).0.into_owned(),
    ] {
        std::fs::write(d.join("base.yaml"), base).unwrap();
        let args = [
            "check",
            "a.txt",
            "--rubric",
            "child.yaml",
            "--format",
            "json",
        ];
        let o = caifen_in(d, &[&args[..], &["--no-config"]].concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        reports.push(o.stdout);
    }
    assert!(
        reports[0] == reports[1],
        "a GBK genre rubric: another report"
    );
    // An empty genre file (or one holding only a BOM) is named as empty, not as a question rubric.
    for empty in [&b""[..], &b"\xEF\xBB\xBF\n"[..]] {
        std::fs::write(d.join("base.yaml"), empty).unwrap();
        let o = caifen_in(d, &["rubric", "check", "child.yaml"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("extends: `base.yaml` (base.yaml): empty rubric file"),
            "{}",
            stderr(&o)
        );
    }
    // caifen.toml in GBK, with a Chinese comment: its settings apply (JSON, not the pretty report).
    let toml = "# 本仓库的设置：山西题\nrubric = \"shanxi_zhualuoshi\"\nformat = \"json\"\n";
    std::fs::write(d.join("caifen.toml"), toml).unwrap();
    let utf8 = caifen_in(d, &["check", "a.txt"]);
    let v: serde_json::Value = serde_json::from_slice(&utf8.stdout).unwrap();
    assert_eq!(v["answers"][0]["score"]["total"], 100.0);
    std::fs::write(d.join("caifen.toml"), encoding_rs::GBK.encode(toml).0).unwrap();
    let o = caifen_in(d, &["check", "a.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        o.stdout == utf8.stdout,
        "caifen.toml in GBK: another report"
    );
    let mut bad = toml.as_bytes().to_vec();
    bad.insert(bad.len() - 2, 0xFF); // after `json`, before its closing quote
    std::fs::write(d.join("caifen.toml"), bad).unwrap();
    let o = caifen_in(d, &["check", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("caifen.toml:3:15: not text in UTF-8") && e.contains("byte 0xFF"),
        "{e}"
    );
}
