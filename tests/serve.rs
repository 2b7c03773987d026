//! `caifen serve`: the API and the forms give the scores `caifen check --format json` gives; a
//! class zip gives the CSV `caifen check --format csv` gives; limits, malformed uploads and rubric
//! errors are 4xx pages (or JSON) with the reason; answers and rubrics are escaped.

mod common;

use caifen::rubric::fmt_pts;
use common::serve::{between, docx_of, field, file, unescape, zip_of, Server};
use serde_json::Value;
use std::path::Path;

fn caifen(dir: &Path, args: &[&str]) -> std::process::Output {
    common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir, args, None)
}

fn cli_json(dir: &Path, args: &[&str]) -> Value {
    let o = caifen(dir, args);
    assert!(o.status.code() != Some(2), "{}", common::stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The answer object without what names the input (the file, its line ends).
fn comparable(answer: &Value) -> Value {
    let mut a = answer.clone();
    a["file"] = Value::Null;
    a["normalisation"]["line_ends_normalised"] = Value::Null;
    a
}

/// (essay file, rubric) pairs over the corpus: every seventh essay, the rubrics in turn.
fn corpus_pairs(shared: &Path) -> Vec<(std::path::PathBuf, &'static str)> {
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus/essays"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let rubrics = [
        "shanxi_zhualuoshi",
        "gwy_guojia_2022_Xingzhengzhifa_q4",
        "gwy_anhui_2023_C_q4",
        "gwy_yunnan_2024_General_q3",
        "genre_changyi",
        "gwy_hebei_2025_C_q1",
        "genre_jianbao",
    ];
    files
        .into_iter()
        .step_by(7)
        .zip(rubrics.iter().cycle())
        .map(|(f, r)| (f, *r))
        .collect()
}

#[test]
fn api_and_form_give_the_scores_of_check_json() {
    let Some(shared) = common::shared() else {
        return;
    };
    let server = Server::start(&[]);
    let pairs = corpus_pairs(&shared);
    assert!(pairs.len() >= 7);
    for (path, rubric) in &pairs {
        let text = common::text(path);
        let cli = cli_json(
            &common::root(),
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                "--rubric",
                rubric,
                path.to_str().unwrap(),
            ],
        );
        let want = &cli["answers"][0];
        let name = path.display();

        // The API, with the rubric by name.
        let body = serde_json::json!({"text": text, "rubric": rubric}).to_string();
        let r = server.post("/api/check", "application/json", body.as_bytes());
        assert_eq!(r.status, 200, "{name}: {}", r.text());
        let got = r.json();
        assert_eq!(got["schema_version"], 1);
        assert_eq!(got["rubric"], cli["rubric"], "{name}");
        assert_eq!(got["answers"][0]["file"], "<text>");
        assert_eq!(
            comparable(&got["answers"][0]),
            comparable(want),
            "{name} under {rubric}: the API's answer differs from check --format json"
        );
        assert_eq!(got["summary"]["bands"], cli["summary"]["bands"]);

        // The form, the text pasted as a browser sends a textarea (CRLF line ends).
        let pasted = text.replace('\n', "\r\n");
        let r = server.post_form("/check", &[field("rubric", rubric), field("text", &pasted)]);
        assert_eq!(r.status, 200, "{name}");
        let page = r.text();
        let total = fmt_pts(want["score"]["total"].as_f64().unwrap());
        let band = want["score"]["band"].as_str().unwrap();
        assert!(
            page.contains(&format!("总分 <strong>{total}</strong>")),
            "{name}: form total, want {total}"
        );
        assert!(
            page.contains(&format!("分档 <span class=\"band\">{band}</span>")),
            "{name}: form band, want {band}"
        );
    }

    // The API with the rubric's YAML text instead of its name gives the same scores.
    let (path, _) = &pairs[1];
    let yaml = common::text(&common::root().join("rubrics/questions/l_haiguan_q4.yaml"));
    let body = serde_json::json!({"text": common::text(path), "rubric": yaml}).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    let cli = cli_json(
        &common::root(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rubric",
            "rubrics/questions/l_haiguan_q4.yaml",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.json()["answers"][0]["score"], cli["answers"][0]["score"]);
    assert_eq!(r.json()["rubric"]["origin"], "<rubric>");

    // No rubric: the default one.
    let body = serde_json::json!({"text": common::text(path)}).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.json()["rubric"]["id"], "shanxi_zhualuoshi");
}

#[test]
fn a_docx_through_the_form_scores_as_check() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = common::tempdir("serve-docx");
    let essay = common::text(&shared.join("corpus/essays/jingyan_18.txt"));
    std::fs::write(dir.join("jingyan_18.docx"), docx_of(&essay)).unwrap();
    std::fs::copy(shared.join("cases/B29.docx"), dir.join("B29.docx")).unwrap();
    let server = Server::start(&[]);
    for case in ["jingyan_18.docx", "B29.docx"] {
        let path = dir.join(case);
        let cli = cli_json(
            &dir,
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                "--rubric",
                "gwy_guojia_2022_Xingzhengzhifa_q4",
                case,
            ],
        );
        let want = &cli["answers"][0]["score"];
        let r = server.post_form(
            "/check",
            &[
                field("rubric", "gwy_guojia_2022_Xingzhengzhifa_q4"),
                field("text", ""),
                file("file", case, &common::read(&path)),
            ],
        );
        assert_eq!(r.status, 200, "{case}: {}", r.text());
        let page = r.text();
        let total = fmt_pts(want["total"].as_f64().unwrap());
        let band = want["band"].as_str().unwrap();
        assert!(
            page.contains(&format!("总分 <strong>{total}</strong>")),
            "{case}"
        );
        assert!(
            page.contains(&format!("分档 <span class=\"band\">{band}</span>")),
            "{case}"
        );
        assert!(page.contains("编码 docx"), "{case}");
    }
}

#[test]
fn a_class_zip_gives_the_csv_and_report_of_check() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = common::tempdir("serve-class");
    std::fs::create_dir_all(dir.join("三班")).unwrap();
    let mut entries = Vec::new();
    for stem in [
        "jingyan_14",
        "jingyan_18",
        "jingyan_20",
        "jianbao_05",
        "fayan_01",
    ] {
        let bytes = common::read(&shared.join(format!("corpus/essays/{stem}.txt")));
        let name = format!("三班/{stem}.txt");
        std::fs::write(dir.join(&name), &bytes).unwrap();
        entries.push((name, bytes));
    }
    std::fs::write(dir.join("三班/说明.pdf"), b"%PDF").unwrap();
    entries.push(("三班/说明.pdf".into(), b"%PDF".to_vec()));
    let zip = zip_of(&entries);

    let server = Server::start(&[]);
    let r = server.post_form(
        "/class",
        &[
            field("rubric", "gwy_guojia_2022_Xingzhengzhifa_q4"),
            file("files", "三班.zip", &zip),
            field("name_pattern", ""),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    assert_eq!(page.matches("<section class=\"student\">").count(), 5);
    assert!(page.contains("三班/说明.pdf") || page.contains("跳过"));

    let b64 = |id: &str, mime: &str| {
        let href = between(&page, &format!("id=\"{id}\" href=\""), "\"")
            .unwrap_or_else(|| panic!("no {id} link"));
        let href = unescape(href);
        let data = href
            .strip_prefix(&format!("data:{mime};base64,"))
            .unwrap_or_else(|| panic!("{id}: {}", &href[..40]));
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap()
    };
    let csv = b64("download-csv", "text/csv;charset=utf-8");
    let o = caifen(
        &dir,
        &[
            "check",
            "--no-config",
            "--exit-zero",
            "--rubric",
            "gwy_guojia_2022_Xingzhengzhifa_q4",
            "--format",
            "csv",
            "三班",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        String::from_utf8(o.stdout).unwrap(),
        "the class CSV is the CLI's"
    );
    let html = String::from_utf8(b64("download-html", "text/html;charset=utf-8")).unwrap();
    let o = caifen(
        &dir,
        &[
            "check",
            "--no-config",
            "--exit-zero",
            "--rubric",
            "gwy_guojia_2022_Xingzhengzhifa_q4",
            "--format",
            "html",
            "三班",
        ],
    );
    assert_eq!(
        html,
        String::from_utf8(o.stdout).unwrap(),
        "the HTML report is the CLI's"
    );
}

#[test]
fn limits_and_malformed_uploads_are_4xx_with_the_reason() {
    let server = Server::start(&[
        "--max-request-bytes",
        "100000",
        "--max-files",
        "3",
        "--max-zip-entries",
        "4",
        "--max-zip-bytes",
        "5000",
        "--max-answer-chars",
        "2000",
    ]);
    let page_says = |r: &common::serve::Reply, status: u16, reason: &str| {
        assert_eq!(r.status, status, "{}", r.text());
        let t = r.text();
        assert!(t.contains("<h2>无法批改"), "{t}");
        let shown = unescape(between(&t, "id=\"reason\">", "</p>").unwrap());
        assert!(shown.contains(reason), "{shown} should say {reason}");
    };

    // Answer length: the API and the form.
    let long = "落实".repeat(1001);
    let body = serde_json::json!({ "text": long }).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.status, 413);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("2000 个字符的上限"));
    page_says(
        &server.post_form("/check", &[field("text", &long)]),
        413,
        "超过 2000 个字符的上限",
    );

    // Request size.
    let big = "字".repeat(40_000);
    let body = serde_json::json!({ "text": big }).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.status, 413);
    assert!(r.json()["error"].as_str().unwrap().contains("MB 的上限"));
    page_says(
        &server.post_form("/check", &[field("text", &big)]),
        413,
        "上传内容超过 0.1 MB 的上限",
    );

    // Files per upload, zip entries, uncompressed size, a damaged zip, nothing to check.
    let four: Vec<_> = (0..4)
        .map(|i| file("files", &format!("{i}.txt"), "正文。".as_bytes()))
        .collect();
    page_says(
        &server.post_form("/class", &four),
        413,
        "一次最多上传 3 个文件",
    );
    let five: Vec<(String, Vec<u8>)> = (0..5)
        .map(|i| (format!("班/{i}.txt"), "正文。".as_bytes().to_vec()))
        .collect();
    page_says(
        &server.post_form("/class", &[file("files", "班.zip", &zip_of(&five))]),
        413,
        "最多 4 项",
    );
    let bomb = zip_of(&[
        ("a.txt".into(), vec![b'a'; 4000]),
        ("b.txt".into(), vec![b'a'; 4000]),
    ]);
    assert!(bomb.len() < 1000);
    page_says(
        &server.post_form("/class", &[file("files", "班.zip", &bomb)]),
        413,
        "解压后超过 5000 字节",
    );
    page_says(
        &server.post_form("/class", &[file("files", "班.zip", b"PK\x03\x04garbage")]),
        422,
        "不是可以读取的 .zip 压缩包",
    );
    page_says(
        &server.post_form("/class", &[field("rubric", "shanxi_zhualuoshi")]),
        400,
        "没有收到作答文件",
    );
    // In a class, an answer over the length limit is that file's error, not the class's.
    let r = server.post_form(
        "/class",
        &[
            file("files", "长.txt", long.as_bytes()),
            file("files", "短.txt", "正文。".as_bytes()),
        ],
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains("长.txt：作答有 2002 个字符"));

    // A single upload that is not an answer file, a binary answer, an empty form.
    page_says(
        &server.post_form("/check", &[file("file", "作答.pdf", b"%PDF-1.4")]),
        415,
        "只能上传 .txt、.md、.docx 文件",
    );
    page_says(
        &server.post_form(
            "/check",
            &[file("file", "作答.txt", b"\x00\x01\x02\x03binary")],
        ),
        422,
        // In Chinese first, as the command line's pretty report gives input errors.
        "无法读取作答：二进制或无法解码的内容，不是文本作答（",
    );
    page_says(
        &server.post_form("/check", &[field("text", "  ")]),
        400,
        "请粘贴作答",
    );

    // Malformed requests: not multipart, a broken multipart body, broken JSON, unknown keys.
    let r = server.post("/check", "text/plain", b"hello");
    assert_eq!(r.status, 400);
    let r = server.post(
        "/check",
        "multipart/form-data; boundary=xyz",
        b"--xyz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nno end",
    );
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("上传的表单无法读取"));
    let r = server.post("/api/check", "application/json", b"{\"text\": ");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("JSON"));
    let r = server.post(
        "/api/check",
        "application/json",
        br#"{"text": "x", "rubirc": "a"}"#,
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("rubirc"));
    let r = server.post(
        "/api/check",
        "application/json",
        br#"{"text": "x", "rubric": "no_such"}"#,
    );
    assert_eq!(r.status, 422);
    assert!(r.json()["error"].as_str().unwrap().contains("no_such"));
    assert_eq!(server.get("/nowhere").status, 404);

    // After all that the server still answers.
    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("单篇批改") && r.text().contains("班级批改"));
}

#[test]
fn rubric_errors_are_located_as_the_cli_locates_them() {
    let dir = common::tempdir("serve-rubric");
    let bad = "title: 坏的评分标准\npoints:\n  - id: a\n    points: -3\n    keywords: [落实]\n    colour: red\n";
    std::fs::write(dir.join("bad.yaml"), bad).unwrap();
    let o = caifen(&dir, &["rubric", "check", "bad.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let cli = common::stderr(&o);
    let first = cli.lines().next().unwrap();
    assert!(first.starts_with("bad.yaml:"), "{cli}");

    let server = Server::start(&[]);
    let r = server.post_form(
        "/check",
        &[
            field("text", "正文。"),
            file("rubric_file", "bad.yaml", bad.as_bytes()),
        ],
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    let detail = unescape(between(&page, "<pre id=\"detail\">", "</pre>").unwrap());
    assert_eq!(
        detail.trim_end(),
        cli.trim_end(),
        "the page shows the CLI's messages"
    );

    let body = serde_json::json!({"text": "正文。", "rubric": bad}).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.status, 422);
    let v = r.json();
    let p = &v["rubric_error"]["problems"][0];
    assert!(
        p["line"].as_u64().is_some() && p["column"].as_u64().is_some(),
        "{v}"
    );
    assert!(v["error"].as_str().unwrap().contains("<rubric>:"));

    // An uploaded rubric may extend a shipped genre, never a file on the server.
    let sneaky =
        "extends: ../../etc/passwd.yaml\npoints:\n  - {id: a, points: 1, keywords: [落实]}\n";
    let body = serde_json::json!({"text": "正文。", "rubric": sneaky}).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.status, 422);
    assert!(r.json()["error"]
        .as_str()
        .unwrap()
        .contains("can extend a shipped genre rubric only"));
    let genre = "extends: 倡议书\ntitle: 倡议\nlength: {max: 600}\npoints:\n  - {id: a, points: 10, keywords: [倡议]}\n";
    let body = serde_json::json!({"text": "倡议书\n我们倡议。", "rubric": genre}).to_string();
    let r = server.post("/api/check", "application/json", body.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
}

/// An uploaded rubric saved in GBK or UTF-16 (Notepad on Chinese Windows) is read as the CLI
/// reads it: the same page as for the UTF-8 file. One with a byte that decodes in none of them is
/// refused with its line and column.
#[test]
fn uploaded_rubrics_in_gbk_or_utf16_are_read() {
    let server = Server::start(&[]);
    let yaml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/shanxi_zhualuoshi.yaml"),
    )
    .unwrap();
    let answer = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays/weak.txt"),
    )
    .unwrap();
    let page = |rubric: &[u8]| {
        let r = server.post_form(
            "/check",
            &[
                field("text", &answer),
                file("rubric_file", "r.yaml", rubric),
            ],
        );
        (r.status, r.text())
    };
    let (status, want) = page(yaml.as_bytes());
    assert_eq!(status, 200);
    assert!(want.contains("13.75"), "weak.txt scores 13.75");
    let utf16: Vec<u8> = std::iter::once(0xFEFF)
        .chain(yaml.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    for rubric in [encoding_rs::GBK.encode(&yaml).0.into_owned(), utf16] {
        assert_eq!(page(&rubric), (200, want.clone()));
    }
    let mut bad = yaml.clone().into_bytes();
    bad[yaml.find("name: 机制").unwrap() + "name: ".len()] = 0xFF;
    let (status, text) = page(&bad);
    assert_eq!(status, 422);
    assert!(
        text.contains("r.yaml：评分标准文件第 33 行第 11 列起不是文本"),
        "{text}"
    );
}

#[test]
fn answers_and_rubrics_are_shown_as_text() {
    let server = Server::start(&[]);
    let evil = "<script>alert(1)</script>标题\n\"'><img src=x onerror=alert(2)>正文落实到位。\n";
    let rubric = "title: '<b>rubric</b>'\nstructure: {title: {points: 1}}\npoints:\n  - {id: p, name: '<i>x</i>', points: 1, keywords: [落实], hint: '\"><script>'}\n";
    let r = server.post_form(
        "/check",
        &[
            field("text", evil),
            file("rubric_file", "<evil>.yaml", rubric.as_bytes()),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let page = r.text();
    for raw in ["<script", "<img", "<b>rubric", "<i>x", "<evil>"] {
        assert!(!page.contains(raw), "{raw} reached the page unescaped");
    }
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;标题"));
    assert!(page.contains("&lt;b&gt;rubric&lt;&#x2f;b&gt;"));
    // The evidence is marked inside the escaped answer text.
    assert!(
        page.contains("&lt;img src=x onerror=alert(2)&gt;正文<mark title=\"&lt;i&gt;x&lt;&#x2f;i&gt;\">落实</mark>到位。"),
        "{page}"
    );

    // A class file name and a name-pattern field are escaped too.
    let r = server.post_form(
        "/class",
        &[
            file("files", "<script>x</script>.txt", evil.as_bytes()),
            field("name_pattern", "{学号}<b>"),
        ],
    );
    let page = r.text();
    assert!(
        !page.contains("<script") && !page.contains("{学号}<b>"),
        "{page}"
    );
}

#[test]
fn only_loopback_host_names_are_served() {
    let server = Server::start(&[]);
    let port = server.addr.rsplit(':').next().unwrap().to_owned();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let r = common::serve::request_to(&server.addr, &host, "GET", "/", None, b"");
        assert_eq!(r.status, 200, "{host}");
    }
    // A page elsewhere whose name was rebound to 127.0.0.1 sends its own name.
    let body = br#"{"text": "x"}"#;
    let r = common::serve::request_to(
        &server.addr,
        &format!("rebound.example:{port}"),
        "POST",
        "/api/check",
        Some("application/json"),
        body,
    );
    assert_eq!(r.status, 403);
    // The API answers in JSON; the page in Chinese.
    let json: serde_json::Value = serde_json::from_str(&r.text()).unwrap();
    assert!(
        json["error"].as_str().unwrap().contains("rebound.example"),
        "{json}"
    );
    let r = common::serve::request_to(
        &server.addr,
        &format!("[::1]evil.example:{port}"),
        "GET",
        "/",
        None,
        b"",
    );
    assert_eq!(r.status, 403);
    assert!(r.text().contains("只在本机打开"));
}

#[test]
fn a_host_that_is_not_loopback_is_warned_about() {
    let server = Server::start_with(&["--host", "0.0.0.0"], true);
    let warning = server.stderr_first.clone().unwrap();
    assert!(warning.contains("not loopback"), "{warning}");
    assert!(server.addr.starts_with("0.0.0.0:"));
}
