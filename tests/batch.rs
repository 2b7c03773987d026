//! Batch scoring a class folder: every file scored or reported, CSV, JSONL, class summary, HTML.
mod common;

use caifen::segment::segment;
use std::path::Path;
use std::process::{Command, Output};

/// The JSON report on a run's stdout.
fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)))
}

fn caifen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caifen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn copy_flat(from: &Path, to: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
            n += 1;
        }
    }
    n
}

/// A class folder holding a copy of every file in the shared corpus and cases.
fn class_folder(shared: &Path, tag: &str) -> (common::Scratch, usize, usize) {
    let dir = common::tempdir(&format!("batch-{tag}"));
    let class = dir.join("class");
    let mut total = 0;
    for (sub, from) in [
        ("essays", shared.join("corpus/essays")),
        ("offgenre", shared.join("corpus/offgenre")),
        ("prompts", shared.join("corpus/prompts")),
        ("labels", shared.join("corpus/labels")),
        ("corpus", shared.join("corpus")),
        ("cases", shared.join("cases")),
    ] {
        std::fs::create_dir_all(class.join(sub)).unwrap();
        total += copy_flat(&from, &class.join(sub));
    }
    let answers = walk_count(&class, &|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["txt", "md", "markdown", "docx"].contains(&e))
    });
    (dir, total, answers)
}

fn walk_count(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            n += walk_count(&p, keep);
        } else if keep(&p) {
            n += 1;
        }
    }
    n
}

#[test]
fn every_file_of_corpus_and_cases_is_accounted_for() {
    let Some(shared) = common::shared() else {
        return;
    };
    let (dir, total, answers) = class_folder(&shared, "all");
    assert_eq!(
        answers, 160,
        "answer files in the copied folder (txt/md/docx)"
    );

    // CSV: one row per answer file, errors included.
    let o = caifen(
        &dir,
        &["check", "class", "--format", "csv", "-o", "out.csv"],
    );
    assert_eq!(o.status.code(), Some(2), "bad files make the exit code 2");
    let bytes = std::fs::read(dir.join("out.csv")).unwrap();
    assert!(bytes.starts_with("\u{FEFF}文件,文件名乱码,学生,学生标记,标题,总分".as_bytes()));
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let header = r.headers().unwrap().clone();
    let err_col = header.iter().position(|h| h == "错误").unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), answers);
    let errors: Vec<(String, String)> = rows
        .iter()
        .filter(|row| !row[err_col].is_empty())
        .map(|row| {
            (
                row[0].rsplit('/').next().unwrap().to_owned(),
                row[err_col].to_owned(),
            )
        })
        .collect();
    // The CSV is for people: each error in Chinese, the English text in brackets.
    let want = [
        ("B31a.docx", "旧版 Word .doc 文件不受支持，请另存为 .docx（legacy .doc (Word 97-2003) is not supported: save it as .docx）"),
        ("B31b.docx", "不是 Word .docx 文档（缺少 word/document.xml）（no word/document.xml: not a Word .docx document）"),
        ("B49a.txt", "二进制或无法解码的内容，不是文本作答（binary or undecodable content (not a text answer)）"),
        ("B49b.txt", "二进制或无法解码的内容，不是文本作答（binary or undecodable content (not a text answer)）"),
        ("B49c.txt", "二进制或无法解码的内容，不是文本作答（binary or undecodable content (not a text answer)）"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(f, e)| (f.to_string(), e.to_string()))
        .collect();
    assert_eq!(errors, want);
    // Empty answers are scored, not errors.
    let b48: Vec<&csv::StringRecord> = rows.iter().filter(|row| row[0].contains("B48")).collect();
    assert_eq!(b48.len(), 4);
    assert!(b48
        .iter()
        .all(|row| &row[5] == "0" && &row[7] == "四类文" && row[err_col].is_empty()));

    // JSONL: one line per answer file, each a run object with one file.
    let o = caifen(&dir, &["check", "class", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), answers);
    assert!(lines.iter().all(|l| l["schema_version"] == 1
        && l["answers"].as_array().unwrap().len() + l["errors"].as_array().unwrap().len() == 1));
    assert_eq!(
        lines
            .iter()
            .filter(|l| !l["errors"].as_array().unwrap().is_empty())
            .count(),
        5
    );

    // JSON: the class summary.
    let o = caifen(&dir, &["check", "class", "--format", "json"]);
    let v = json(&o);
    let s = &v["summary"];
    assert_eq!(
        (
            s["files"].as_u64(),
            s["checked"].as_u64(),
            s["failed"].as_u64()
        ),
        (Some(answers as u64), Some(answers as u64 - 5), Some(5))
    );
    assert_eq!(s["skipped"].as_u64(), Some((total - answers) as u64));
    assert_eq!(
        s["bands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        answers as u64 - 5
    );
    assert_eq!(s["points"].as_array().unwrap().len(), 7);

    // Pretty: the count line closes the run.
    let o = caifen(&dir, &["check", "class"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains(&format!(
            "共{answers}份：已评{}份，出错5份，跳过{}个非作答文件",
            answers - 5,
            total - answers
        )),
        "{}",
        &out[out.len().saturating_sub(800)..]
    );

    // HTML: one section per checked answer, summary first.
    let o = caifen(
        &dir,
        &["check", "class", "--format", "html", "-o", "report.html"],
    );
    assert_eq!(o.status.code(), Some(2));
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert_eq!(
        html.matches("<section class=\"student\">").count(),
        answers - 5
    );
    assert!(html.contains("班级概况") && html.contains("<svg"));
    assert!(!html.contains("<script"));
    render_in_chromium(&dir.join("report.html"));
}

#[test]
fn parallel_and_single_threaded_runs_give_the_same_bytes() {
    let Some(shared) = common::shared() else {
        return;
    };
    let essays = shared.join("corpus/essays");
    let dir = common::tempdir("batch-jobs");
    let a = caifen(
        &dir,
        &[
            "check",
            essays.to_str().unwrap(),
            "--format",
            "json",
            "--jobs",
            "1",
        ],
    );
    let b = caifen(
        &dir,
        &[
            "check",
            essays.to_str().unwrap(),
            "--format",
            "json",
            "--jobs",
            "2",
        ],
    );
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let files: Vec<&str> = v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted, "path order");
    assert_eq!(files.len(), 49);
}

/// A streamed report (CSV, JSONL) is checked in parts on several threads and written in input
/// order: the same bytes on one thread and on several, with standard input (`-`) between two
/// folders and unreadable files among the answers.
#[test]
fn streamed_reports_are_the_same_bytes_on_one_thread_and_on_several() {
    let Some(shared) = common::shared() else {
        return;
    };
    let (dir, _, answers) = class_folder(&shared, "streamed");
    let weak =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"))
            .unwrap();
    let run = |format: &str, jobs: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_caifen"))
            .args([
                "check",
                "class/cases",
                "-",
                "class/essays",
                "class/offgenre",
            ])
            .args(["--format", format, "--no-bom", "--jobs", jobs])
            .current_dir(&dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(&weak).unwrap();
        child.wait_with_output().unwrap()
    };
    let csv1 = run("csv", "1");
    // Unreadable cases are errors: exit 2, and each still has its row.
    assert_eq!(
        csv1.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&csv1.stderr)
    );
    let text = String::from_utf8(csv1.stdout.clone()).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    let listed = walk_count(&dir.join("class/cases"), &|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["txt", "md", "markdown", "docx"].contains(&e))
    });
    let essays = walk_count(&dir.join("class/essays"), &|_| true);
    let offgenre = walk_count(&dir.join("class/offgenre"), &|_| true);
    assert!(
        answers > 100 && essays == 49,
        "{answers} answers, {essays} essays"
    );
    assert_eq!(rows.len(), listed + 1 + essays + offgenre);
    // Standard input's row comes after the cases and before the essays, scored as weak.txt is.
    let stdin_row = rows[listed];
    assert!(
        stdin_row.starts_with("<stdin>,,<stdin>,,水利厅抓落实的经验,13.75,100,四类文,"),
        "{stdin_row}"
    );
    assert!(
        rows[listed + 1].contains("class/essays/"),
        "{}",
        rows[listed + 1]
    );
    for jobs in ["2", "3"] {
        let csv = run("csv", jobs);
        assert_eq!(csv.status.code(), Some(2));
        assert_eq!(csv.stdout, csv1.stdout, "CSV, --jobs {jobs}");
        assert_eq!(csv.stderr, csv1.stderr, "summary, --jobs {jobs}");
    }
    let jsonl1 = run("jsonl", "1");
    let jsonl2 = run("jsonl", "2");
    assert_eq!(jsonl1.stdout, jsonl2.stdout);
    let lines = String::from_utf8(jsonl1.stdout).unwrap();
    // One line per file, each naming it (an answer or an error).
    let files: Vec<String> = lines
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let one = v["answers"].get(0).or_else(|| v["errors"].get(0)).unwrap();
            one["file"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(files.len(), rows.len());
    assert_eq!(files[listed], "<stdin>");
    assert!(files[..listed]
        .iter()
        .all(|f| f.starts_with("class/cases/")));
}

#[test]
fn student_identity_from_file_names() {
    let dir = common::tempdir("batch-names");
    let class = dir.join("class");
    std::fs::create_dir_all(&class).unwrap();
    let weak =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"))
            .unwrap();
    std::fs::write(class.join("2024001_张三.txt"), &weak).unwrap();
    std::fs::write(class.join("李四作业.txt"), &weak).unwrap();
    let o = caifen(
        &dir,
        &[
            "check",
            "class",
            "--format",
            "csv",
            "--no-bom",
            "--name-pattern",
            "{学号}_{姓名}",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("文件,文件名乱码,学生,学号,姓名,学生标记,标题,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("class/2024001_张三.txt,,2024001 张三,2024001,张三,,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("class/李四作业.txt,,李四作业.txt,,,文件名不符合模式,"),
        "{}",
        lines[2]
    );
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let json = caifen(
        &dir,
        &[
            "check",
            "class",
            "--format",
            "json",
            "--name-pattern",
            "{学号}_{姓名}",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["answers"][0]["student"]["fields"]["姓名"], "张三");
    assert_eq!(v["answers"][1]["student"]["mismatch"], true);
}

#[test]
fn output_never_lands_in_an_input_folder_unless_asked() {
    let dir = common::tempdir("batch-output");
    let class = dir.join("class");
    std::fs::create_dir_all(&class).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"),
        class.join("a.txt"),
    )
    .unwrap();
    let o = caifen(
        &dir,
        &["check", "class", "--format", "csv", "-o", "class/out.csv"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inside an input folder"));
    assert_eq!(
        std::fs::read_dir(&class).unwrap().count(),
        1,
        "nothing written into the input folder"
    );
    let o = caifen(
        &dir,
        &[
            "check",
            "class",
            "--format",
            "csv",
            "-o",
            "class/out.csv",
            "--allow-output-in-input",
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(class.join("out.csv").is_file());
    // A folder that cannot be written: exit 2, no half-written file.
    let o = caifen(
        &dir,
        &[
            "check",
            "class",
            "--format",
            "csv",
            "-o",
            "no/such/dir/out.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write no/such/dir/out.csv"));
}

#[cfg(unix)]
#[test]
fn hidden_ignored_and_looping_entries() {
    let dir = common::tempdir("batch-walk");
    let class = dir.join("class");
    std::fs::create_dir_all(class.join("sub")).unwrap();
    let weak =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"))
            .unwrap();
    for f in [
        "a.txt",
        "sub/b.md",
        ".hidden.txt",
        "skipme.txt",
        "notes.pdf",
    ] {
        std::fs::write(class.join(f), &weak).unwrap();
    }
    std::fs::write(class.join(".gitignore"), "skipme.txt\n").unwrap();
    std::os::unix::fs::symlink("..", class.join("sub/loop")).unwrap();
    let o = caifen(&dir, &["check", "class", "--format", "json"]);
    let v = json(&o);
    let files: Vec<&str> = v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["class/a.txt", "class/sub/b.md"]);
    assert_eq!(v["summary"]["skipped"], 1, "notes.pdf");
    let errors = v["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]["error"].as_str().unwrap().contains("loop"),
        "{errors:?}"
    );
    // --ext widens what counts as an answer; a named file is always checked.
    let o = caifen(&dir, &["check", "class/notes.pdf", "--format", "json"]);
    let v = json(&o);
    assert_eq!(v["answers"].as_array().unwrap().len(), 1);
}

#[test]
fn docx_answers() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = common::tempdir("batch-docx");
    let o = caifen(
        &dir,
        &[
            "check",
            "--format",
            "json",
            shared.join("cases/B28.docx").to_str().unwrap(),
            shared.join("cases/B29.docx").to_str().unwrap(),
        ],
    );
    let v = json(&o);
    let b28 = &v["answers"][0]["structure"];
    assert_eq!(b28["title"]["text"], "让减负真正落到基层");
    let heads: Vec<&str> = b28["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["text"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(heads, ["减负的意义", "减负的路径"]);
    assert_eq!(b28["paragraphs"], 2);
    let b29 = caifen::docx::extract(&common::read(&shared.join("cases/B29.docx")))
        .unwrap()
        .0;
    assert!(b29.starts_with("一、\t坚持问题导向\n"));
    assert!(
        b29.contains("第一行\u{2028}第二行（软回车）\n"),
        "a soft break stays inside its paragraph"
    );
    assert!(b29.contains("编号A-17号文件"));
    let r = caifen::rubric::load(
        "points:\n  - {id: p, points: 1, keywords: [乡村振兴]}\n",
        "t",
        "t",
    )
    .unwrap();
    let a = caifen::report::Checker::new(&r)
        .check_bytes(
            "B29.docx",
            false,
            &common::read(&shared.join("cases/B29.docx")),
            None,
        )
        .unwrap();
    assert_eq!(a.points[0].hits.len(), 1);
    assert_eq!(a.structure.headings[0].text.text, "坚持问题导向");
}

#[test]
fn html_escapes_answer_and_rubric_text() {
    let dir = common::tempdir("batch-escape");
    std::fs::write(
        dir.join("evil.txt"),
        "<script>alert(1)</script>标题\n\"'><img src=x onerror=alert(2)>正文。\n",
    )
    .unwrap();
    std::fs::write(dir.join("r.yaml"), "title: '<b>rubric</b>'\nstructure: {title: {points: 1}}\npoints:\n  - {id: p, name: '<i>x</i>', points: 1, keywords: [正文], hint: '\"><script>'}\n").unwrap();
    let o = caifen(
        &dir,
        &[
            "check", "evil.txt", "--rubric", "r.yaml", "--format", "html",
        ],
    );
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(
        !html.contains("<script")
            && !html.contains("<img")
            && !html.contains("<b>rubric")
            && !html.contains("<i>x")
    );
    assert!(html.contains("&lt;script&gt;alert(1)"), "{html}");
    assert!(html.contains("&lt;b&gt;rubric"));
}

/// Render the page in headless Chromium (Debian's package; `.ci/run` installs it) and check it
/// produced a page. Skipped without Chromium outside CI.
fn render_in_chromium(page: &Path) {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(chromium) = chromium else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is required in CI (.ci/run installs it)");
        }
        return;
    };
    let profile = page.with_file_name("chromium-profile");
    let shot = page.with_file_name("report.png");
    let o = Command::new(chromium)
        .args(common::CHROMIUM_FLAGS)
        .arg("--window-size=1000,1400")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "a rendered page"
    );
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_an_error_not_a_hang() {
    let dir = common::tempdir("batch-fifo");
    let fifo = dir.join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !made {
        return;
    }
    let o = caifen(&dir, &["check", "pipe.txt", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(
        v["errors"][0]["error"],
        "not a regular file (a pipe, socket or device)"
    );
}

#[test]
fn ignore_files_above_the_folder_and_bad_limits_do_not_lose_answers() {
    let dir = common::tempdir("batch-limits");
    let weak =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"))
            .unwrap();
    std::fs::create_dir_all(dir.join("class")).unwrap();
    std::fs::write(dir.join(".gitignore"), "*.txt\n").unwrap();
    std::fs::write(dir.join("class/a.txt"), &weak).unwrap();
    std::fs::write(dir.join("class/~$a.docx"), b"lock").unwrap();
    std::fs::write(dir.join("class/notes.pdf"), b"%PDF").unwrap();
    let o = caifen(
        &dir,
        &[
            "check",
            "class",
            "--format",
            "json",
            "--max-bytes",
            "18446744073709551615",
        ],
    );
    let v = json(&o);
    assert_eq!(
        v["answers"].as_array().unwrap().len(),
        1,
        "a .gitignore above the folder is not read"
    );
    assert_eq!(
        v["answers"][0]["empty"], false,
        "a huge --max-bytes does not wrap around"
    );
    assert_eq!(
        v["summary"]["skipped_files"],
        serde_json::json!(["class/notes.pdf", "class/~$a.docx"])
    );
    // Output onto an input file is refused; nothing is overwritten.
    let o = caifen(&dir, &["check", "class/a.txt", "-o", "class/a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(dir.join("class/a.txt")).unwrap(), weak);
    // A folder without answers is an error, not a silent success.
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    let o = caifen(&dir, &["check", "empty"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no answer files found"));
    // --ext accepts `.txt` and spaces.
    let o = caifen(
        &dir,
        &["check", "class", "--ext", ".TXT, md", "--format", "json"],
    );
    let v = json(&o);
    assert_eq!(v["answers"].as_array().unwrap().len(), 1);
    // Ambiguous name patterns are usage errors.
    let o = caifen(&dir, &["check", "class", "--name-pattern", "{a}{b}"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A minimal .docx (stored, not deflated) holding the given body XML.
fn docx(body: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("word/document.xml", opts).unwrap();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    z.write_all(xml.as_bytes()).unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

/// A .docx whose paragraphs are numbered by Word's automatic lists (word/numbering.xml), as a
/// student gets by typing 一、 and letting Word turn it into a list. The numbers are not in the
/// document's text: they were lost, and the headings read as unnumbered. They are written in as
/// Word shows them: per level, restarting below a higher level, lists sharing an abstract list
/// continuing each other, a start override restarting, a style's numbering, numId 0 and bullets
/// showing none, and a tracked change's old numbering ignored.
#[test]
fn docx_automatic_list_numbers_are_written_in() {
    use std::io::Write;
    let body = |num: &str, ilvl: u8, text: &str| {
        format!(
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
        )
    };
    let mut xml = String::from("<w:p><w:r><w:t>关于抓落实的经验材料</w:t></w:r></w:p>");
    xml += &body("1", 0, "健全机制");
    xml += &body("1", 1, "建立专班");
    xml += &body("1", 1, "明确分工");
    xml += &body("1", 0, "压实责任");
    xml += &body("1", 1, "实行清单管理");
    xml += &body("1", 2, "细化到人");
    xml += &body("2", 0, "要点一条");
    xml += "<w:p><w:pPr><w:pStyle w:val=\"a5\"/></w:pPr><w:r><w:t>样式编号</w:t></w:r></w:p>";
    xml += &body("0", 0, "取消编号");
    xml += "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr><w:pPrChange><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>强化督办</w:t></w:r></w:p>";
    xml += &body("4", 0, "接续编号");
    xml += &body("3", 0, "重新编号");
    xml += &body("5", 0, "数字编号");
    xml += &body("5", 0, "数字编号");
    let level = |ilvl: u8, fmt: &str, text: &str| {
        format!("<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:suff w:val=\"nothing\"/></w:lvl>")
    };
    let numbering = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
            r#"<w:abstractNum w:abstractNumId="0">{}{}{}</w:abstractNum>"#,
            r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl></w:abstractNum>"#,
            r#"<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>"#,
            r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
            r#"<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>"#,
            r#"<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>"#,
            r#"<w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num>"#,
            r#"<w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>"#,
            "</w:numbering>"
        ),
        level(0, "chineseCounting", "%1、"),
        level(1, "chineseCounting", "（%2）"),
        level(2, "decimal", "%3."),
    );
    let styles = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
        r#"<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="List Paragraph"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>"#,
        "</w:styles>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, part) in [
        (
            "word/document.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{xml}</w:body></w:document>"#
            ),
        ),
        ("word/numbering.xml", numbering),
        ("word/styles.xml", styles.to_owned()),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(part.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    let bytes = buf.into_inner();
    let (text, _) = caifen::docx::extract(&bytes).unwrap();
    assert_eq!(
        text,
        concat!(
            "关于抓落实的经验材料\n一、健全机制\n（一）建立专班\n（二）明确分工\n二、压实责任\n",
            "（一）实行清单管理\n1.细化到人\n要点一条\n（二）样式编号\n取消编号\n三、强化督办\n",
            "四、接续编号\n一、重新编号\n①\t数字编号\n②\t数字编号\n"
        )
    );
    // The check reads the numbered paragraphs as headings of two levels.
    let dir = common::tempdir("batch-docx-numbering");
    std::fs::write(dir.join("a.docx"), &bytes).unwrap();
    let v = json(&caifen(
        &dir,
        &["check", "--no-config", "--format", "json", "a.docx"],
    ));
    let headings: Vec<(String, u64)> = v["answers"][0]["structure"]["headings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["marker"].as_str().unwrap_or_default().to_owned(),
                h["level"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        headings[..5],
        [
            ("一、".to_owned(), 1),
            ("（一）".to_owned(), 2),
            ("（二）".to_owned(), 2),
            ("二、".to_owned(), 1),
            ("（一）".to_owned(), 2),
        ],
        "{headings:?}"
    );
    // A document made from Word's own template (by python-docx: styles List Number, List
    // Number 2 and List Bullet, numbered through the styles).
    let real = common::read(&common::root().join("tests/fixtures/word_list_numbers.docx"));
    let (text, _) = caifen::docx::extract(&real).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "山西省水利厅抓落实提高执行力经验材料",
            "近年来，省水利厅坚持把抓落实作为提高执行力的关键。",
            "1.\t健全机制",
            "建立工作专班，明确责任分工。",
            "2.\t压实责任",
            "实行清单管理，细化到人。",
            "3.\t强化督办",
            "定期督查通报，跟踪问效。",
            "1.\t分级落实",
            "要点",
        ]
    );
}

/// Word list numbering from a broken-in document (found by trying): a start override of a
/// sub-level was lost once its parent level numbered again (（一） for （五）); a list paragraph
/// whose mark and text are deleted (a tracked change) or hidden showed an empty number line
/// (二、) and moved the numbering on; a start of 99 999 999 999 in letters built a string of 3.8
/// GB (the process aborted); i64::MAX wrapped to a negative number.
#[test]
fn docx_list_numbering_edge_cases() {
    use std::io::Write;
    let p = |num: &str, ilvl: u8, extra: &str, text: &str| {
        format!("<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr>{extra}</w:pPr>{text}</w:p>")
    };
    let run = |t: &str| format!("<w:r><w:t>{t}</w:t></w:r>");
    let body = [
        p("1", 0, "", &run("健全机制")),
        p(
            "1",
            0,
            "<w:rPr><w:del w:id=\"1\" w:author=\"a\" w:date=\"2026-01-01T00:00:00Z\"/></w:rPr>",
            "<w:del w:id=\"2\" w:author=\"a\"><w:r><w:delText>删去的</w:delText></w:r></w:del>",
        ),
        p(
            "1",
            0,
            "<w:rPr><w:vanish/></w:rPr>",
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的</w:t></w:r>",
        ),
        p("1", 0, "", &run("压实责任")),
        p("2", 0, "", &run("重新开始")),
        p("2", 1, "", &run("子级覆盖")),
        p("2", 0, "", &run("再一条")),
        p("2", 1, "", &run("子级又覆盖")),
        p("3", 0, "", &run("大数")),
        p("4", 0, "", &run("最大")),
        p("4", 0, "", &run("再加一")),
    ]
    .concat();
    let lvl = |ilvl: u8, fmt: &str, text: &str, start: &str| {
        format!("<w:lvl w:ilvl=\"{ilvl}\"><w:start w:val=\"{start}\"/><w:numFmt w:val=\"{fmt}\"/><w:lvlText w:val=\"{text}\"/><w:suff w:val=\"nothing\"/></w:lvl>")
    };
    let numbering = format!(
        "<?xml version=\"1.0\"?><w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\">{}{}</w:abstractNum><w:abstractNum w:abstractNumId=\"1\">{}</w:abstractNum><w:abstractNum w:abstractNumId=\"2\">{}</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"0\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride><w:lvlOverride w:ilvl=\"1\"><w:startOverride w:val=\"5\"/></w:lvlOverride></w:num><w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/></w:num><w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/></w:num></w:numbering>",
        lvl(0, "chineseCounting", "%1、", "1"),
        lvl(1, "chineseCounting", "（%2）", "1"),
        lvl(0, "upperLetter", "%1.", "99999999999"),
        lvl(0, "decimal", "%1.", "9223372036854775807"),
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    for (name, part) in [
        ("word/document.xml", format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>")),
        ("word/numbering.xml", numbering),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(part.as_bytes()).unwrap();
    }
    z.finish().unwrap();
    let (text, _) = caifen::docx::extract(&buf.into_inner()).unwrap();
    assert_eq!(
        text.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        [
            "一、健全机制",
            "二、压实责任",
            "一、重新开始",
            "（五）子级覆盖",
            "二、再一条",
            "（五）子级又覆盖",
            "99999999999.大数",
            "9223372036854775807.最大",
            "9223372036854775807.再加一",
        ]
    );
}

/// Word files that are not a .docx's zip, whatever their name: a password-protected document
/// (an OLE2 container with an `EncryptionInfo` stream) was called a legacy .doc to be saved as
/// .docx, which it already is; an RTF file (WordPad, or saved as RTF and renamed) was checked
/// as text, its markup scored as the answer. Each is now an error saying what to do; the other
/// files are still checked.
#[test]
fn encrypted_word_documents_and_rtf_are_named() {
    let dir = common::tempdir("batch-word-kinds");
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(512, 0);
    let stream: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut encrypted = ole.clone();
    encrypted.extend(&stream);
    encrypted.resize(2048, 0);
    std::fs::write(dir.join("a.docx"), &encrypted).unwrap();
    std::fs::write(
        dir.join("b.docx"),
        "{\\rtf1\\ansi\\ansicpg936 {\\fonttbl{\\f0 宋体;}}\\f0 一、健全机制\\par }",
    )
    .unwrap();
    std::fs::write(dir.join("c.txt"), "{\\rtf1\\ansi 督办\\par }").unwrap();
    ole.resize(2048, 0);
    std::fs::write(dir.join("d.docx"), &ole).unwrap();
    std::fs::write(dir.join("e.txt"), "一、健全机制。建立专班。\n").unwrap();
    let o = caifen(&dir, &["check", "--no-config", "--format", "json", "."]);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let errors: Vec<(String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("./")
                    .to_owned(),
                e["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let rtf = "RTF document: save it as .docx or .txt".to_owned();
    assert_eq!(
        errors,
        [
            (
                "a.docx".to_owned(),
                "password-protected (encrypted) Word document: remove the password in Word and save again".to_owned()
            ),
            ("b.docx".to_owned(), rtf.clone()),
            ("c.txt".to_owned(), rtf),
            (
                "d.docx".to_owned(),
                "legacy .doc (Word 97-2003) is not supported: save it as .docx".to_owned()
            ),
        ]
    );
    assert_eq!(v["answers"].as_array().unwrap().len(), 1);
}

/// Tab stops a paragraph defines (`w:pPr/w:tabs/w:tab`) are settings, not tab characters:
/// each one put a tab in front of the paragraph's text.
#[test]
fn docx_tab_stop_definitions_are_not_text() {
    let bytes = docx(concat!(
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"420\"/><w:tab w:val=\"center\" w:pos=\"4153\"/></w:tabs></w:pPr>",
        "<w:r><w:t>一、健全机制</w:t><w:tab/><w:t>建立专班</w:t></w:r></w:p>",
    ));
    let (text, _) = caifen::docx::extract(&bytes).unwrap();
    assert_eq!(text, "一、健全机制\t建立专班\n");
}

#[test]
fn docx_hidden_and_moved_text() {
    let bytes = docx(concat!(
        "<w:p><w:r><w:t>健全机制。</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的督办</w:t></w:r></w:p>",
        "<w:p><w:moveFrom><w:r><w:t>移走的清单</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>移来的清单</w:t></w:r></w:moveTo></w:p>",
    ));
    let (text, _) = caifen::docx::extract(&bytes).unwrap();
    assert_eq!(text, "健全机制。\n移来的清单\n");
}

/// Carriage returns inside a paragraph's text (`&#13;` from converters, or a literal CR or CRLF)
/// are soft line breaks, as `w:cr` is: they stayed as raw CRs in the text, in heading texts
/// (「健全机制\r建立专班」) and in the pretty report, where the terminal ran the line over itself.
#[test]
fn docx_carriage_returns_are_line_breaks_inside_the_paragraph() {
    let bytes = docx(concat!(
        "<w:p><w:r><w:t>关于抓落实的经验材料</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>一、健全机制&#13;建立专班。</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>二、压实责任&#13;&#10;实行清单管理。</w:t></w:r><w:r><w:cr/><w:t>三、强化督办\r内容。</w:t></w:r></w:p>",
    ));
    let (text, _) = caifen::docx::extract(&bytes).unwrap();
    assert_eq!(
        text,
        "关于抓落实的经验材料\n一、健全机制\u{2028}建立专班。\n二、压实责任\u{2028}实行清单管理。\u{2028}三、强化督办\u{2028}内容。\n"
    );
    // The report is the one of the same document written with Word's own soft breaks.
    let br = docx(concat!(
        "<w:p><w:r><w:t>关于抓落实的经验材料</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>一、健全机制</w:t><w:br/><w:t>建立专班。</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>二、压实责任</w:t><w:br/><w:t>实行清单管理。</w:t></w:r><w:r><w:cr/><w:t>三、强化督办</w:t><w:br/><w:t>内容。</w:t></w:r></w:p>",
    ));
    let dir = common::tempdir("batch-docx-cr");
    std::fs::write(dir.join("a.docx"), &bytes).unwrap();
    std::fs::write(dir.join("b.docx"), &br).unwrap();
    for format in ["json", "pretty"] {
        let report = |f: &str| {
            let o = caifen(&dir, &["check", "--no-config", "--format", format, f]);
            String::from_utf8(o.stdout).unwrap()
        };
        let (a, b) = (report("a.docx"), report("b.docx"));
        assert!(!a.contains('\r'), "{a}");
        assert_eq!(a.replace("a.docx", "b.docx"), b);
    }
}

/// A long list of inputs is compared with the report's file on several threads: the answer it
/// would replace is found wherever it stands (at either end, at the split points of 2 or 4
/// cores), and of two, the first in input order is named.
#[test]
fn the_answer_a_report_would_replace_is_found_in_a_long_list() {
    use caifen::input::{replaces_input, Input};
    let dir = common::tempdir("batch-replace-long");
    std::fs::write(dir.join("a.txt"), "健全机制。").unwrap();
    std::fs::write(dir.join("b.txt"), "移来的清单").unwrap();
    let input = |k: usize, name: &str| Input {
        path: Some(dir.join(name)),
        display: format!("{k} {name}"),
        lossy: false,
        error: None,
    };
    let list = |hits: &[usize]| -> Vec<Input> {
        (0..10_000)
            .map(|k| input(k, if hits.contains(&k) { "b.txt" } else { "a.txt" }))
            .collect()
    };
    // The report's file, by a path of its own.
    let out = dir.join("x/../b.txt");
    std::fs::create_dir_all(dir.join("x")).unwrap();
    assert_eq!(replaces_input(&out, &list(&[])), None);
    for at in [0, 2_499, 2_500, 4_999, 5_000, 9_999] {
        assert_eq!(
            replaces_input(&out, &list(&[at])),
            Some(format!("{at} b.txt")),
            "{at}"
        );
    }
    for (hits, first) in [
        ([100, 200], 100),
        ([3_000, 9_000], 3_000),
        ([4_999, 5_000], 4_999),
    ] {
        assert_eq!(
            replaces_input(&out, &list(&hits)),
            Some(format!("{first} b.txt"))
        );
    }
    // A report not written yet replaces nothing.
    assert_eq!(replaces_input(&dir.join("new.csv"), &list(&[7])), None);
}

#[test]
fn output_never_replaces_an_answer_even_when_allowed_in_the_folder() {
    let dir = common::tempdir("batch-replace");
    let weak =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"))
            .unwrap();
    std::fs::create_dir_all(dir.join("cls")).unwrap();
    std::fs::write(dir.join("cls/a.txt"), &weak).unwrap();
    std::fs::write(dir.join("cls/b.bin.txt"), [0u8, 1, 2, 3]).unwrap();
    std::fs::write(dir.join("cls/c.txt"), &weak).unwrap();
    let o = caifen(
        &dir,
        &[
            "check",
            "cls",
            "-o",
            "cls/a.txt",
            "--format",
            "csv",
            "--allow-output-in-input",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("would replace the answer cls/a.txt"));
    assert_eq!(std::fs::read(dir.join("cls/a.txt")).unwrap(), weak);
    // The same answer by another name: a symbolic link, a hard link, a path through `..`.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("cls/c.txt"), dir.join("soft.csv")).unwrap();
        std::fs::hard_link(dir.join("cls/c.txt"), dir.join("hard.csv")).unwrap();
        for out in ["soft.csv", "hard.csv", "cls/../cls/c.txt"] {
            let args = ["check", "cls", "-o", out, "--allow-output-in-input"];
            let o = caifen(&dir, &args);
            assert_eq!(o.status.code(), Some(2), "{out}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("would replace the answer cls/c.txt"),
                "{out}: {err}"
            );
            assert_eq!(std::fs::read(dir.join("cls/c.txt")).unwrap(), weak, "{out}");
        }
        std::fs::remove_file(dir.join("soft.csv")).unwrap();
        std::fs::remove_file(dir.join("hard.csv")).unwrap();
    }
    // Pretty output keeps errors in path order, names the count in full.
    let o = caifen(&dir, &["check", "cls"]);
    let out = String::from_utf8(o.stdout).unwrap();
    let a = out.find("文件：cls/a.txt").unwrap();
    let b = out.find("错误 cls/b.bin.txt").unwrap();
    let c = out.find("文件：cls/c.txt").unwrap();
    assert!(a < b && b < c, "path order");
    assert!(out.contains("共3份：已评2份，出错1份，跳过0个非作答文件"));
    // JSONL lines carry the run's pass mark.
    let o = caifen(
        &dir,
        &["check", "cls", "--format", "jsonl", "--min-score", "50"],
    );
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(first["pass_mark"], 50.0);
}

/// A folder `answers` of `n` files `0000.txt`…, each the shipped weak example where `weak(i)`,
/// else the strong one.
fn examples_folder(n: usize, weak: impl Fn(usize) -> bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    let strong = std::fs::read(common::root().join("examples/essays/strong.txt")).unwrap();
    let weak_text = std::fs::read(common::root().join("examples/essays/weak.txt")).unwrap();
    for i in 0..n {
        let body = if weak(i) { &weak_text } else { &strong };
        std::fs::write(answers.join(format!("{i:04}.txt")), body).unwrap();
    }
    dir
}

/// Many chunks of the streaming writer (256 files each): CSV and JSONL rows stay in path
/// order, match the JSON report file for file, and an error in a later chunk still exits 2.
#[test]
fn streamed_csv_and_jsonl_of_more_than_one_chunk() {
    let dir = examples_folder(1100, |i| i % 3 != 0);
    let answers = dir.path().join("answers");
    std::fs::write(answers.join("0900.txt"), b"\x00\x01\x02binary\x00").unwrap();
    let run = |args: &[&str]| {
        let mut a = vec!["check", "--no-config"];
        a.extend_from_slice(args);
        a.push("answers");
        common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir.path(), &a, None)
    };
    let csv = run(&["--format", "csv", "--no-bom"]);
    assert_eq!(csv.status.code(), Some(2), "the binary file is an error");
    let text = String::from_utf8(csv.stdout.clone()).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1101, "a header and one row per file");
    assert!(rows[0].starts_with("文件,"));
    assert!(rows[1].starts_with("answers/0000.txt,"));
    assert!(rows[1100].starts_with("answers/1099.txt,"));
    assert!(
        rows[901].starts_with("answers/0900.txt,")
            && rows[901].ends_with("（binary or undecodable content (not a text answer)）")
    );
    // Every row has as many cells as the header (point columns from the rubric, not a chunk).
    let cells = |l: &str| l.split(',').count();
    assert!(rows.iter().all(|r| cells(r) == cells(rows[0])));
    let jsonl = run(&["--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = String::from_utf8(jsonl.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1100);
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["--format", "json"]).stdout).unwrap();
    let totals: Vec<f64> = json["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["score"]["total"].as_f64().unwrap())
        .collect();
    let streamed: Vec<f64> = lines
        .iter()
        .filter_map(|l| {
            l["answers"]
                .get(0)
                .map(|a| a["score"]["total"].as_f64().unwrap())
        })
        .collect();
    assert_eq!(streamed, totals);
    assert_eq!(totals.len(), 1099);
    // The same bytes with one thread, and into a file.
    let one = run(&["--format", "csv", "--no-bom", "-j", "1"]);
    assert_eq!(one.stdout, csv.stdout);
    let o = run(&["--format", "csv", "--no-bom", "-o", "report.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(dir.path().join("report.csv")).unwrap(),
        csv.stdout
    );
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("共1100份：已评1099份，出错1份，跳过0个非作答文件"));
}

/// A streamed run decides its exit status from every chunk: one weak answer (13.75 points,
/// 四类文) among 300 strong ones (100 points, 一类文), in the second chunk of 256, fails the pass
/// mark.
#[test]
fn streamed_run_fails_the_pass_mark_of_one_answer_in_a_later_chunk() {
    let dir = examples_folder(300, |i| i == 280);
    let code = |args: &[&str]| {
        let mut a = vec!["check", "--no-config", "answers"];
        a.extend_from_slice(args);
        let o = common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir.path(), &a, None);
        let out = String::from_utf8(o.stdout).unwrap();
        let weak_rows = out
            .lines()
            .filter(|l| l.contains(",13.75,100,四类文,") || l.contains("\"total\":13.75,"))
            .count();
        (o.status.code(), weak_rows)
    };
    for format in ["csv", "jsonl"] {
        // The weak answer's row or line, once, whatever the pass mark.
        let weak_rows = 1;
        assert_eq!(code(&["--format", format]), (Some(0), weak_rows));
        assert_eq!(
            code(&["--format", format, "--min-score", "13.75"]),
            (Some(0), weak_rows)
        );
        assert_eq!(
            code(&["--format", format, "--min-score", "13.76"]),
            (Some(1), weak_rows)
        );
        assert_eq!(
            code(&["--format", format, "--min-band", "三类文", "-j", "1"]),
            (Some(1), weak_rows)
        );
        assert_eq!(
            code(&["--format", format, "--min-band", "四类文"]),
            (Some(0), weak_rows)
        );
        assert_eq!(
            code(&["--format", format, "--min-score", "60", "--exit-zero"]),
            (Some(0), weak_rows)
        );
    }
}

/// The HTML report says what the pretty one says about an answer's score: the form gate's
/// scaling (「内容得分不足，…按42%计」 was only in the pretty report) and the count convention in
/// Chinese (it showed `grid`). A JSONL line carries `pass_band` as the JSON report does.
#[test]
fn html_and_jsonl_carry_what_the_other_reports_carry() {
    let dir = common::tempdir("batch-html-gate");
    let weak = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt");
    let weak = weak.to_str().unwrap();
    let pretty = caifen(&dir, &["check", "--no-config", weak]);
    let pretty = String::from_utf8(pretty.stdout).unwrap();
    assert!(
        pretty.contains("内容得分不足，结构、字数、语言分按42%计"),
        "{pretty}"
    );
    let html = caifen(&dir, &["check", "--no-config", "--format", "html", weak]);
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains("<p class=\"muted\">内容得分不足，结构、字数、语言分按42%计</p>"));
    assert!(
        html.contains("<p>字数：353（方格计数），要求800字左右"),
        "{html}"
    );
    assert!(!html.contains("（grid）"));
    let o = caifen(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "jsonl",
            "--min-band",
            "二类文",
            weak,
        ],
    );
    assert_eq!(o.status.code(), Some(1), "weak.txt is below 二类文");
    let line: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(line["pass_band"], "二类文");
    assert_eq!(line["pass_mark"], serde_json::Value::Null);
}

/// A negative pass mark is refused with its own message, written `--min-score -1` as well as
/// `--min-score=-1` (the former was taken for an unknown flag `-1`).
#[test]
fn a_negative_pass_mark_is_named_however_it_is_written() {
    let dir = common::tempdir("batch-negative-mark");
    let weak = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt");
    let weak = weak.to_str().unwrap();
    for args in [&["--min-score", "-1"][..], &["--min-score=-1"][..]] {
        let o = caifen(&dir, &[&["check", "--no-config", weak][..], args].concat());
        assert_eq!(o.status.code(), Some(2));
        let e = String::from_utf8(o.stderr).unwrap();
        assert!(
            e.contains(
                "invalid value '-1' for '--min-score <N>': `-1` is not a number of points ≥ 0"
            ),
            "{args:?}: {e}"
        );
    }
}

/// An answer typed in Word as one paragraph with a soft line break (Shift+Enter) at the end of
/// every line reads as the same answer typed with paragraph ends: a reader sees the same lines.
/// It read as one line (`single_line`), with its closing lost. Soft breaks inside a document of
/// several paragraphs stay lines inside their paragraph.
#[test]
fn docx_typed_as_one_paragraph_of_soft_breaks_reads_as_its_lines() {
    let Some(shared) = common::shared() else {
        return;
    };
    for name in ["jingyan_06.txt", "changyi_01.txt", "jianbao_03.txt"] {
        let txt = common::text(&shared.join("corpus/essays").join(name));
        let lines: Vec<&str> = txt.lines().filter(|l| !l.trim().is_empty()).collect();
        let xml_of = |l: &str| {
            format!(
                "<w:t xml:space=\"preserve\">{}</w:t>",
                l.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
            )
        };
        for brk in ["<w:br/>", "<w:cr/>"] {
            let runs: Vec<String> = lines.iter().map(|l| xml_of(l)).collect();
            let bytes = docx(&format!("<w:p><w:r>{}</w:r></w:p>", runs.join(brk)));
            let (text, _) = caifen::docx::extract(&bytes).unwrap();
            assert_eq!(text, lines.join("\n") + "\n", "{name} {brk}");
            let (a, b) = (segment(&text), segment(&txt));
            assert!(!a.single_line, "{name}");
            assert_eq!(a.h1().count(), b.h1().count(), "{name}");
            assert_eq!(a.closing.is_some(), b.closing.is_some(), "{name}");
            assert_eq!(
                a.title.map(|s| s.slice(&text).to_owned()),
                b.title.map(|s| s.slice(&txt).to_owned())
            );
        }
    }
    // A title wrapped with one soft break, the body typed line by line: the title stays one line.
    let bytes = docx(concat!(
        "<w:p><w:r><w:t>关于号召全市社会组织积极参与</w:t><w:br/><w:t>基层治理的倡议书</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>全市各社会组织：</w:t><w:br/><w:t>一、积极作为。</w:t><w:br/><w:t>二、参与治理。</w:t></w:r></w:p>",
    ));
    let (text, _) = caifen::docx::extract(&bytes).unwrap();
    assert_eq!(
        text,
        "关于号召全市社会组织积极参与\u{2028}基层治理的倡议书\n全市各社会组织：\n一、积极作为。\n二、参与治理。\n"
    );
    // Three paragraphs, soft breaks inside them: lines inside their paragraph, as before.
    let bytes = docx(concat!(
        "<w:p><w:r><w:t>关于抓落实的经验材料</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>一、健全机制</w:t><w:br/><w:t>建立专班。</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>二、压实责任</w:t><w:br/><w:t>实行清单管理。</w:t></w:r></w:p>",
    ));
    let (text, _) = caifen::docx::extract(&bytes).unwrap();
    assert_eq!(
        text,
        "关于抓落实的经验材料\n一、健全机制\u{2028}建立专班。\n二、压实责任\u{2028}实行清单管理。\n"
    );
}

/// A file named twice (a folder and a file in it, the same path written two ways, a symbolic
/// link to it) is checked once: the class summary counted it twice. The run says which names
/// were one file. A hard link is a file of its own (two students' identical files may be one).
#[test]
fn a_file_named_twice_is_checked_once() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = common::tempdir("batch-twice");
    std::fs::create_dir_all(dir.join("class")).unwrap();
    for name in ["jingyan_01.txt", "jingyan_02.txt"] {
        std::fs::copy(
            shared.join("corpus/essays").join(name),
            dir.join("class").join(name),
        )
        .unwrap();
    }
    std::os::unix::fs::symlink("class/jingyan_02.txt", dir.join("link.txt")).unwrap();
    // A hard link is another student's file that happens to be the same: kept.
    std::fs::hard_link(dir.join("class/jingyan_01.txt"), dir.join("hard.txt")).unwrap();
    let o = caifen(
        &dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "class",
            "class",
            "class/jingyan_01.txt",
            "./class/jingyan_01.txt",
            "link.txt",
            "hard.txt",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    let files: Vec<&str> = v["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    assert_eq!(
        files,
        ["class/jingyan_01.txt", "class/jingyan_02.txt", "hard.txt"]
    );
    assert_eq!(v["summary"]["files"], 3);
    let err = String::from_utf8(o.stderr).unwrap();
    for line in [
        "caifen: ./class/jingyan_01.txt 与 class/jingyan_01.txt 是同一个文件，只评一次",
        "caifen: link.txt 与 class/jingyan_02.txt 是同一个文件，只评一次",
    ] {
        assert!(err.contains(line), "{err}");
    }
    assert_eq!(err.matches("只评一次").count(), 5, "{err}");
    // One folder alone: each file once, nothing said.
    let o = caifen(&dir, &["check", "--no-config", "--format", "json", "class"]);
    assert_eq!(json(&o)["summary"]["files"], 2);
    assert!(!String::from_utf8(o.stderr).unwrap().contains("只评一次"));
}

/// Under a genre rubric (no scoring points) the class summary lists no hit rates: pretty output
/// printed the heading 采分点得分率 with nothing under it, and HTML an empty chart. Under a
/// question rubric both are there.
#[test]
fn a_class_summary_without_scoring_points_lists_no_hit_rates() {
    let Some(shared) = common::shared() else {
        return;
    };
    let essays = shared.join("corpus/essays");
    let dir = essays.to_str().unwrap();
    let files = [
        format!("{dir}/changyi_01.txt"),
        format!("{dir}/changyi_02.txt"),
    ];
    let run = |rubric: &str, format: &str| {
        let o = caifen(
            &essays,
            &[
                "check",
                "--no-config",
                "--rubric",
                rubric,
                "--format",
                format,
                &files[0],
                &files[1],
            ],
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let pretty = run("genre_changyi", "pretty");
    assert!(pretty.contains("分档："), "{pretty}");
    assert!(!pretty.contains("采分点得分率"), "{pretty}");
    assert!(!run("genre_changyi", "html").contains("采分点得分率"));
    assert_eq!(
        run("shanxi_zhualuoshi", "pretty")
            .matches("采分点得分率（最常缺失的在前）：")
            .count(),
        1
    );
    assert!(run("shanxi_zhualuoshi", "html").contains("<h3>采分点得分率（最常缺失的在前）</h3>"));
}
