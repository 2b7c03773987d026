//! The `caifen` command line: stdout, stderr and exit codes, with golden reports of the example
//! answers. Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test cli`.
mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{golden, root, stderr, stdout};

fn caifen(args: &[&str]) -> Output {
    caifen_in(&root(), args, None)
}

fn caifen_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir, args, stdin)
}

#[test]
fn pretty_report_of_the_strong_example() {
    let o = caifen(&["check", "examples/essays/strong.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        !out.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
    assert!(out.contains("分档：一类文"), "{out}");
    assert!(out.contains("提纲对照"));
    golden("strong.pretty.txt", &out);
}

#[test]
fn empty_sections_of_the_pretty_report_say_so() {
    // A genre rubric lists no scoring points; the strong answer has no findings under it either
    // way: both sections are printed with 无, not left out.
    let o = caifen(&[
        "check",
        "--no-config",
        "--rubric",
        "genre_jingyan",
        "examples/essays/strong.txt",
    ]);
    let out = stdout(&o);
    assert!(out.contains("采分点：无（评分标准未列采分点）"), "{out}");
    assert!(!out.contains("采分点\n"), "{out}");
    let o = caifen(&["check", "--no-config", "examples/essays/strong.txt"]);
    let out = stdout(&o);
    assert!(out.trim_end().ends_with("问题与建议：无"), "{out}");
    let o = caifen(&["check", "--no-config", "examples/essays/weak.txt"]);
    let out = stdout(&o);
    assert!(out.contains("\n问题与建议\n  "), "{out}");
    assert!(!out.contains("问题与建议：无"), "{out}");
}

#[test]
fn pretty_report_of_the_weak_example() {
    let o = caifen(&["check", "examples/essays/weak.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("分档：四类文"), "{out}");
    assert!(
        out.contains("- 清单"),
        "the outline diff marks missing points: {out}"
    );
    golden("weak.pretty.txt", &out);
}

#[test]
fn json_report_of_both_examples() {
    let o = caifen(&[
        "check",
        "--format",
        "json",
        "examples/essays/strong.txt",
        "examples/essays/weak.txt",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["rubric"]["id"], "shanxi_zhualuoshi");
    assert_eq!(v["answers"].as_array().unwrap().len(), 2);
    assert_eq!(v["answers"][0]["score"]["band"], "一类文");
    assert_eq!(v["answers"][0]["counts"]["grid"], 804);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0);
    golden("examples.json", &out);
}

#[test]
fn output_is_deterministic() {
    let a = caifen(&["check", "--format", "json", "examples/essays/strong.txt"]);
    let b = caifen(&["check", "--format", "json", "examples/essays/strong.txt"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn pass_mark_sets_exit_code_one() {
    let weak = caifen(&["check", "--min-score", "60", "examples/essays/weak.txt"]);
    assert_eq!(weak.status.code(), Some(1));
    let strong = caifen(&[
        "check",
        "--min-score",
        "60",
        "--format",
        "json",
        "examples/essays/strong.txt",
    ]);
    assert_eq!(strong.status.code(), Some(0));
    // JSON mode exits like pretty mode on the same input.
    let weak_json = caifen(&[
        "check",
        "--min-score",
        "60",
        "--format",
        "json",
        "examples/essays/weak.txt",
    ]);
    assert_eq!(weak_json.status.code(), Some(1));
}

#[test]
fn reads_standard_input() {
    let text = std::fs::read(root().join("examples/essays/strong.txt")).unwrap();
    let o = caifen_in(&root(), &["check", "--format", "json", "-"], Some(&text));
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["answers"][0]["file"], "<stdin>");
    assert_eq!(v["answers"][0]["score"]["band"], "一类文");
}

#[test]
fn rubric_errors_exit_two_with_location() {
    let dir = common::tempdir("cli-rubric");
    std::fs::write(
        dir.join("bad.yaml"),
        "题目: x\n得分点:\n  - 名称: a\n    分值: 五分\n    关键词: [治理]\n",
    )
    .unwrap();
    let o = caifen_in(
        &dir,
        &["check", "--rubric", "bad.yaml", "-"],
        Some("治理".as_bytes()),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.yaml:4:9: 得分点[0].分值: invalid type"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    let unknown = caifen(&[
        "check",
        "--rubric",
        "no_such_rubric",
        "examples/essays/weak.txt",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no rubric file or shipped rubric named `no_such_rubric`"));
}

#[test]
fn bad_input_is_reported_and_the_rest_still_checked() {
    let dir = common::tempdir("cli-input");
    std::fs::write(
        dir.join("junk.txt"),
        [0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::copy(
        root().join("examples/essays/weak.txt"),
        dir.join("weak.txt"),
    )
    .unwrap();
    let o = caifen_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "junk.txt",
            "missing.txt",
            "weak.txt",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["answers"].as_array().unwrap().len(), 1);
    let errors: Vec<(String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["file"].as_str().unwrap().to_owned(),
                e["error"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        errors[0],
        (
            "junk.txt".into(),
            "binary or undecodable content (not a text answer)".into()
        )
    );
    assert_eq!(errors[1].0, "missing.txt");
    assert!(errors[1].1.starts_with("cannot read"));
    let pretty = caifen_in(&dir, &["check", "junk.txt", "weak.txt"], None);
    assert_eq!(pretty.status.code(), Some(2));
    assert!(stdout(&pretty).contains("共2份：已评1份，出错1份"));
}

#[test]
fn forced_encoding() {
    let Some(shared) = common::shared() else {
        return;
    };
    let b01 = shared.join("cases/B01.txt");
    let o = caifen(&[
        "check",
        "--format",
        "json",
        "--encoding",
        "gbk",
        b01.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["answers"][0]["encoding"], "GBK");
    assert_eq!(v["answers"][0]["counts"]["han"], 6);
    let bad = caifen(&["check", "--encoding", "klingon", b01.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown encoding `klingon`"));
}

#[cfg(unix)]
#[test]
fn b44_file_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = common::tempdir("cli-b44");
    // 申论答案.txt in GBK bytes.
    let name = std::ffi::OsStr::from_bytes(b"\xc9\xea\xc2\xdb\xb4\xf0\xb0\xb8.txt");
    std::fs::copy(root().join("examples/essays/weak.txt"), dir.join(name)).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_caifen"))
        .arg("check")
        .arg("--format")
        .arg("json")
        .arg(name)
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["answers"][0]["file_lossy"], true);
    assert!(v["answers"][0]["file"]
        .as_str()
        .unwrap()
        .contains('\u{FFFD}'));
}

#[test]
fn usage_errors_exit_two_and_help_documents_exit_codes() {
    let o = caifen(&["check"]);
    assert_eq!(o.status.code(), Some(2));
    let help = caifen(&["check", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let h = stdout(&help);
    assert!(
        h.contains("Exit codes:") && h.contains("1  some answer below --min-score"),
        "{h}"
    );
}

#[test]
fn shipped_rubrics_are_listed() {
    let o = caifen(&["rubrics"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("shanxi_zhualuoshi\t经验材料\t"), "{out}");
    assert!(out.contains("gwy_guojia_2022_Xingzhengzhifa_q4\t"));
}

#[test]
fn band_pass_mark_and_exit_zero() {
    let weak = |args: &[&str]| {
        let mut a = vec!["check", "examples/essays/weak.txt"];
        a.extend_from_slice(args);
        caifen(&a).status.code()
    };
    assert_eq!(weak(&["--min-band", "二类文"]), Some(1));
    assert_eq!(weak(&["--min-band", "四类文"]), Some(0));
    assert_eq!(weak(&["--min-band", "二类文", "--exit-zero"]), Some(0));
    assert_eq!(weak(&["--min-score", "60", "--exit-zero"]), Some(0));
    assert_eq!(weak(&["--min-band", "五类文"]), Some(2));
    let strong = caifen(&[
        "check",
        "examples/essays/strong.txt",
        "--min-band",
        "一类文",
    ]);
    assert_eq!(strong.status.code(), Some(0));
    assert!(stdout(&strong).contains("及格档：一类文  已达到"));
}

#[test]
fn github_annotations_of_the_weak_example() {
    let o = caifen(&["check", "--format", "github", "examples/essays/weak.txt"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.starts_with("::notice file=examples/essays/weak.txt,title=caifen::总分 13.75 / 100（13.75%25），分档 四类文\n"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.contains("title=采分点")).count(),
        7
    );
    assert!(out.contains(
        "::warning file=examples/essays/weak.txt,line=2,col=1,title=forbidden-phrase::「我觉得」"
    ));
    golden("weak.github.txt", &out);
}

#[test]
fn completions_and_man_page() {
    let bash = caifen(&["completions", "bash"]);
    assert_eq!(bash.status.code(), Some(0));
    let b = stdout(&bash);
    assert!(b.contains("_caifen()") && b.contains("--min-band") && b.contains("--name-pattern"));
    let man = caifen(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let m = stdout(&man);
    assert!(m.contains(".TH caifen 1") && m.contains("rubrics"));
    assert_eq!(
        caifen(&["completions", "nosuchshell"]).status.code(),
        Some(2)
    );
}

/// A language-rule finding (a half-width comma, line 2 column 4) shows in every output format.
#[test]
fn language_findings_in_every_format() {
    let text = "关于抓落实的经验\n他强调,要抓落实。\n".as_bytes();
    let run = |format: &str| {
        let o = caifen_in(
            &root(),
            &["check", "--exit-zero", "--format", format, "-"],
            Some(text),
        );
        assert_eq!(o.status.code(), Some(0), "{format}: {}", stderr(&o));
        stdout(&o)
    };
    let pretty = run("pretty");
    assert!(
        pretty.contains("第1段 2:4 「,」 中文里用了半角标点「,」，应改为全角「，」（-0.5分）"),
        "{pretty}"
    );
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let f = json["answers"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "half-width-punctuation")
        .expect("json finding");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["penalty"], 0.5);
    assert_eq!(f["at"]["start"]["line"], 2);
    assert_eq!(f["at"]["start"]["column"], 4);
    assert!(run("jsonl").contains("\"rule\":\"half-width-punctuation\""));
    let csv = run("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header
        .iter()
        .position(|h| *h == "语言问题")
        .expect("count column");
    assert_eq!(row[k], "1", "{csv}");
    let html = run("html");
    assert!(html.contains("中文里用了半角标点「,」"), "html");
    let github = run("github");
    assert!(
        github.contains("::warning file=<stdin>,line=2,col=4,title=half-width-punctuation::中文里用了半角标点「,」"),
        "{github}"
    );
}
