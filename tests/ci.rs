//! caifen in a repository of drafts (`tests/repo`): `caifen.toml` found from the current folder,
//! a rubric per path glob, include/exclude globs, pass mark, exit codes 0/1/2, and golden
//! output of the github, sarif (validated against the SARIF 2.1.0 schema) and junit formats.
//! Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test ci`.
mod common;

use common::{golden, root, stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::Output;

fn repo() -> PathBuf {
    root().join("tests/repo")
}

fn caifen_in(dir: &Path, args: &[&str]) -> Output {
    common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir, args, None)
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn each_draft_gets_the_rubric_its_path_maps_to() {
    let o = caifen_in(&repo(), &["check", "--format", "jsonl"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let got: Vec<(String, String, f64, String)> = json_lines(&o)
        .iter()
        .map(|run| {
            let a = &run["answers"][0];
            (
                a["file"].as_str().unwrap().to_owned(),
                run["rubric"]["id"].as_str().unwrap().to_owned(),
                a["score"]["total"].as_f64().unwrap(),
                a["score"]["band"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        (
            "./drafts/shanxi/strong.md",
            "shanxi_zhualuoshi",
            100.0,
            "一类文",
        ),
        (
            "./drafts/shanxi/weak.txt",
            "shanxi_zhualuoshi",
            13.75,
            "四类文",
        ),
        (
            "./drafts/haiguan/jingyan_18.txt",
            "gwy_guojia_2022_Xingzhengzhifa_q4",
            99.0,
            "一类文",
        ),
    ];
    let want: Vec<(String, String, f64, String)> = want
        .iter()
        .map(|(f, r, t, b)| (f.to_string(), r.to_string(), *t, b.to_string()))
        .collect();
    assert_eq!(got, want);
    // Not included (README.txt, caifen.toml) or excluded (drafts/archive holds a binary file
    // that would be an input error) or outside the include globs (broken/).
    assert!(stderr(&o).contains("跳过4个非作答文件"), "{}", stderr(&o));
    // Under the other question's rubric the same 海关 answer is far lower: the mapping matters.
    let o = caifen_in(
        &repo(),
        &[
            "check",
            "--rubric",
            "shanxi_zhualuoshi",
            "--format",
            "jsonl",
            "drafts/haiguan",
        ],
    );
    let run = &json_lines(&o)[0];
    assert_eq!(run["rubric"]["id"], "shanxi_zhualuoshi");
    assert!(run["answers"][0]["score"]["total"].as_f64().unwrap() < 40.0);
    assert_eq!(
        o.status.code(),
        Some(1),
        "below 二类文 under the wrong rubric"
    );
}

#[test]
fn exit_codes_for_pass_fail_and_error() {
    let pass = caifen_in(
        &repo(),
        &["check", "drafts/shanxi/strong.md", "drafts/haiguan"],
    );
    assert_eq!(pass.status.code(), Some(0), "{}", stderr(&pass));
    let fail = caifen_in(&repo(), &["check"]);
    assert_eq!(fail.status.code(), Some(1), "{}", stderr(&fail));
    let error = caifen_in(&repo(), &["check", "drafts", "broken/bad.txt"]);
    assert_eq!(error.status.code(), Some(2), "{}", stderr(&error));
    assert!(
        stderr(&error).contains("caifen: broken/bad.txt: binary or undecodable content"),
        "{}",
        stderr(&error)
    );
    // --exit-zero reports without failing; an input error still exits 2.
    let o = caifen_in(&repo(), &["check", "--exit-zero"]);
    assert_eq!(o.status.code(), Some(0));
    let o = caifen_in(&repo(), &["check", "--exit-zero", "broken/bad.txt"]);
    assert_eq!(o.status.code(), Some(2));
    // The command line overrides the file's pass mark: 四类文 passes a 四类文 mark.
    let o = caifen_in(&repo(), &["check", "--min-band", "四类文"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // From a subfolder the config is found upward and its folder checked.
    let o = caifen_in(
        &repo().join("drafts/shanxi"),
        &["check", "--format", "jsonl"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(json_lines(&o).len(), 3);
    assert_eq!(
        json_lines(&o)[0]["answers"][0]["file"],
        "../../drafts/shanxi/strong.md"
    );
}

#[test]
fn golden_github_output() {
    let o = caifen_in(&repo(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("::error file=drafts/shanxi/weak.txt,title=caifen::总分 13.75 / 100（13.75%25），分档 四类文，低于及格线 二类文"), "{out}");
    assert!(out.contains("::notice file=drafts/haiguan/jingyan_18.txt,title=caifen::总分 99 / 100（99%25），分档 一类文"), "{out}");
    golden("repo.github.txt", &out);
}

fn sarif_validator() -> jsonschema::Validator {
    // The OASIS schema (tests/schemas, as shipped in the serde-sarif crate). Its `run.language`
    // pattern has a stray `]` that the validator's meta-schema check rejects as a regex; that
    // property is never written by caifen, so the patterns are corrected in memory.
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    for def in ["run", "toolComponent"] {
        let lang = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(lang, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *lang = serde_json::Value::from("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    // Formats (uri, uri-reference …) are checked too.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn assert_valid_sarif(v: &jsonschema::Validator, doc: &serde_json::Value) {
    let problems: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "SARIF not schema-valid:\n{}",
        problems.join("\n")
    );
}

#[test]
fn golden_sarif_output_is_schema_valid() {
    let v = sarif_validator();
    let o = caifen_in(
        &repo(),
        &["check", "--format", "sarif", "drafts", "broken/bad.txt"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let out = stdout(&o);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&v, &doc);
    // The validator does reject what the schema forbids.
    let mut bad = doc.clone();
    bad["runs"][0]["results"][0]["level"] = "severe".into();
    assert!(!v.is_valid(&bad));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "one run per rubric");
    assert_eq!(runs[0]["properties"]["rubric"], "shanxi_zhualuoshi");
    assert_eq!(
        runs[1]["properties"]["rubric"],
        "gwy_guojia_2022_Xingzhengzhifa_q4"
    );
    // The input error is a failed invocation with a located notification.
    let inv = &runs[0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(
        inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]["uri"],
        "broken/bad.txt"
    );
    // Missed scoring points of the weak draft are warnings; a forbidden phrase is located.
    let results = runs[0]["results"].as_array().unwrap();
    let weak: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "drafts/shanxi/weak.txt"
        })
        .collect();
    assert_eq!(
        weak.iter()
            .filter(|r| r["ruleId"].as_str().unwrap().starts_with("point/"))
            .count(),
        7
    );
    let phrase = weak
        .iter()
        .find(|r| r["ruleId"] == "forbidden-phrase")
        .unwrap();
    assert_eq!(
        phrase["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(
        phrase["locations"][0]["physicalLocation"]["region"]["snippet"]["text"],
        "我觉得"
    );
    golden("repo.sarif.json", &out);
}

#[test]
fn sarif_of_every_corpus_and_case_answer_is_schema_valid() {
    let Some(shared) = common::shared() else {
        return;
    };
    let v = sarif_validator();
    for dir in ["corpus/essays", "corpus/offgenre", "cases"] {
        let o = caifen_in(
            &root(),
            &[
                "check",
                "--no-config",
                "--format",
                "sarif",
                shared.join(dir).to_str().unwrap(),
            ],
        );
        let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_valid_sarif(&v, &doc);
        assert!(!doc["runs"][0]["results"].as_array().unwrap().is_empty());
    }
}

#[test]
fn golden_junit_output() {
    let o = caifen_in(
        &repo(),
        &["check", "--format", "junit", "drafts", "broken/bad.txt"],
    );
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    assert!(
        out.contains(r#"<testsuites name="caifen" tests="4" failures="1" errors="1">"#),
        "{out}"
    );
    assert!(
        out.contains(
            r#"<failure message="总分 13.75（四类文）低于及格线 二类文" type="below-pass-mark"/>"#
        ),
        "{out}"
    );
    // Well-formed XML: every element read back.
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut cases = 0;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "testcase" => cases += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cases, 4);
    golden("repo.junit.xml", &out);
}

#[test]
fn formats_that_hold_one_rubric_refuse_two() {
    let o = caifen_in(&repo(), &["check", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("checked with 2 rubrics (shanxi_zhualuoshi, gwy_guojia_2022_Xingzhengzhifa_q4); --format csv holds one rubric"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    // One question's folder is fine.
    let o = caifen_in(&repo(), &["check", "--format", "csv", "drafts/haiguan"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn config_prints_each_setting_and_its_source() {
    let o = caifen_in(&repo(), &["config", "--min-score", "60"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let file = repo().join("caifen.toml");
    let file = file.display();
    for want in [
        format!("rubric = shanxi_zhualuoshi\t# {file}:2"),
        format!(
            "rubrics: drafts/haiguan/** -> {}\t# {file}:8",
            root().join("rubrics/questions/l_haiguan_q4.yaml").display()
        ),
        format!("include = drafts/**/*.txt, drafts/**/*.md\t# {file}:3"),
        format!("exclude = drafts/archive/**\t# {file}:4"),
        "min_score = 60\t# command line".to_owned(),
        // A pass mark on the command line replaces the file's, min_band included.
        format!(
            "min_band = (none)\t# min_band = 二类文 at {file}:5: overridden by the command line's pass mark"
        ),
        format!("format = github\t# {file}:6"),
    ] {
        assert!(out.contains(&want), "missing `{want}` in\n{out}");
    }
    let out = stdout(&caifen_in(&repo(), &["config"]));
    assert!(
        out.contains(&format!("min_band = 二类文\t# {file}:5")),
        "{out}"
    );
    assert!(out.contains("min_score = (none)\t# default"), "{out}");
    let o = caifen_in(&repo(), &["config", "--no-config"]);
    let out = stdout(&o);
    assert!(out.contains("config file: none"), "{out}");
    assert!(
        out.contains("rubric = shanxi_zhualuoshi\t# default"),
        "{out}"
    );
    assert!(out.contains("format = pretty\t# default"), "{out}");
}

/// A `caifen.toml` with `text` in a fresh folder, and what `caifen check` says there.
fn with_config(text: &str) -> (tempfile::TempDir, Output) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("caifen.toml"), text).unwrap();
    std::fs::copy(
        root().join("examples/essays/strong.txt"),
        dir.path().join("a.txt"),
    )
    .unwrap();
    let o = caifen_in(dir.path(), &["check"]);
    (dir, o)
}

#[test]
fn config_errors_are_located_and_exit_2() {
    let rows: &[(&str, &str)] = &[
        (
            "rubric = \"shanxi_zhualuoshi\"\nrubirc = \"x\"\n",
            "caifen.toml:2:1: unknown field `rubirc`, expected one of",
        ),
        ("min_score = \"六十\"\n", "caifen.toml:1:13: invalid type: string \"六十\", expected f64"),
        ("min_score = -5\n", "caifen.toml:1:13: `min_score` must be a number of points ≥ 0"),
        ("format = \"xml\"\n", "caifen.toml:1:10: unknown format `xml` (one of: pretty, json, jsonl, csv, html, github, sarif, junit)"),
        ("include = [\"drafts/[\"]\n", "caifen.toml:1:12: bad glob: unclosed character class"),
        ("[[rubrics]]\npaths = []\nrubric = \"x\"\n", "caifen.toml:2:9: `paths` is empty"),
        ("[[rubrics]]\npaths = [\"a/**\"]\nrubirc = \"x\"\n", "caifen.toml:3:1: unknown field `rubirc`"),
        ("rubric = \"no_such_rubric\"\n", "no rubric file or shipped rubric named `no_such_rubric`"),
        ("min_band = \"五类文\"\n", "min_band 五类文: the bands of rubric shanxi_zhualuoshi are 一类文, 二类文, 三类文, 四类文"),
        ("rubric = \"x\n", "caifen.toml:1:"),
    ];
    let mut failures = Vec::new();
    for (text, want) in rows {
        let (_d, o) = with_config(text);
        let err = stderr(&o);
        if o.status.code() != Some(2) || !err.contains(want) {
            failures.push(format!(
                "{text:?}: exit {:?}, stderr:\n{err}\nwanted: {want}",
                o.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n---\n"));
    // The offending line is shown under the message.
    let (_d, o) = with_config("rubric = \"shanxi_zhualuoshi\"\nrubirc = \"x\"\n");
    assert!(stderr(&o).contains("  | rubirc = \"x\""), "{}", stderr(&o));
    // A rubric file named by a mapping that does not exist names the config line.
    let (_d, o) = with_config("[[rubrics]]\npaths = [\"*.txt\"]\nrubric = \"missing.yaml\"\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("rubric error (from "), "{}", stderr(&o));
    assert!(stderr(&o).contains("caifen.toml:1)"), "{}", stderr(&o));
}

#[test]
fn a_pass_mark_on_the_command_line_replaces_the_files() {
    // caifen.toml says min_band 二类文; weak.txt (13.75, 四类文) misses it, but reaches the
    // command line's --min-score 10, which replaces the file's pass mark as a whole.
    let weak = "drafts/shanxi/weak.txt";
    let o = caifen_in(&repo(), &["check", weak]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let o = caifen_in(&repo(), &["check", "--min-score", "10", weak]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("::notice file=drafts/shanxi/weak.txt,title=caifen::总分 13.75 / 100"),
        "{}",
        stdout(&o)
    );
    let o = caifen_in(&repo(), &["check", "--min-band", "四类文", weak]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = caifen_in(&repo(), &["check", "--min-score", "14", weak]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn a_failure_names_only_the_pass_marks_the_answer_misses() {
    // weak.txt scores 13.75 (四类文). With --min-score 10 and --min-band 二类文 it reaches the
    // first mark and misses the second: only 二类文 is named.
    let o = caifen_in(
        &repo(),
        &[
            "check",
            "--min-score",
            "10",
            "--min-band",
            "二类文",
            "drafts/shanxi/weak.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("::error file=drafts/shanxi/weak.txt,title=caifen::总分 13.75 / 100（13.75%25），分档 四类文，低于及格线 二类文\n"),
        "{}",
        stdout(&o)
    );
    let junit = |extra: &[&str]| {
        let mut args = vec!["check", "--format", "junit", "drafts/shanxi/weak.txt"];
        args.extend_from_slice(extra);
        let o = caifen_in(&repo(), &args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        stdout(&o)
    };
    let failure = |marks: &str| {
        format!(
            r#"<failure message="总分 13.75（四类文）低于及格线 {marks}" type="below-pass-mark"/>"#
        )
    };
    for (extra, marks) in [
        (&["--min-score", "10", "--min-band", "二类文"][..], "二类文"),
        (
            &["--min-score", "60", "--min-band", "二类文"],
            "60 分、二类文",
        ),
        (&["--min-score", "60", "--min-band", "四类文"], "60 分"),
    ] {
        let out = junit(extra);
        assert!(out.contains(&failure(marks)), "{extra:?}:\n{out}");
    }
}

#[test]
fn pass_marks_and_rubrics_from_caifen_toml_name_its_line_when_they_do_not_fit() {
    let (_d, o) = with_config("format = \"github\"\nmin_band = \"五类文\"\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "the bands of rubric shanxi_zhualuoshi are 一类文, 二类文, 三类文, 四类文 (from "
        ) && stderr(&o).contains("caifen.toml:2)"),
        "{}",
        stderr(&o)
    );
    let (_d, o) = with_config("min_score = 101\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("above the total of rubric shanxi_zhualuoshi (100 points) (from ")
            && stderr(&o).contains("caifen.toml:1)"),
        "{}",
        stderr(&o)
    );
    // The default rubric of the file, broken: the rubric's own location and the config line.
    let (d, _) = with_config("\n");
    std::fs::write(
        d.path().join("r.yaml"),
        "题目: 基层治理\n得分点:\n  - 名称: 群众路线\n    分值: 五分\n    关键词: [人民至上]\n",
    )
    .unwrap();
    std::fs::write(d.path().join("caifen.toml"), "rubric = \"r.yaml\"\n").unwrap();
    let o = caifen_in(d.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("caifen: rubric error (from ") && stderr(&o).contains("caifen.toml:1)"),
        "{}",
        stderr(&o)
    );
    // On the command line, the same marks say nothing of a file.
    let o = caifen_in(&repo(), &["check", "--min-band", "五类文"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("(from "), "{}", stderr(&o));
}

#[test]
fn explicit_config_and_no_config() {
    let (dir, _) = with_config("min_score = 50\n");
    let cfg = dir.path().join("caifen.toml");
    // From elsewhere, --config names the file: its pass mark applies (13.75 < 50: exit 1).
    let o = caifen_in(
        &root(),
        &[
            "check",
            "--config",
            cfg.to_str().unwrap(),
            "examples/essays/weak.txt",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // A pass mark above the rubric's total is refused.
    let (_d, o) = with_config("min_score = 101\n");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // --no-config ignores the file found here.
    let o = caifen_in(dir.path(), &["check", "--no-config", "a.txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Run a shell command line as a CI runner would: in `dir`, with the built caifen first on PATH.
fn shell(dir: &Path, line: &str, runner_temp: &Path) -> Output {
    let bin = Path::new(env!("CARGO_BIN_EXE_caifen")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    std::process::Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env("RUNNER_TEMP", runner_temp)
        .output()
        .unwrap()
}

fn yaml(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[test]
fn the_example_workflow_runs_on_the_drafts_repository() {
    let wf = yaml("examples/ci/github-workflow.yml");
    let steps = wf["jobs"]["drafts"]["steps"].as_array().unwrap();
    let run_of = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("no step `{name}` with a run line"))
            .to_owned()
    };
    let temp = tempfile::tempdir().unwrap();
    let mut before = Vec::new();
    files_under(&repo(), "", &mut before);
    // The check step: annotations, and exit 1 because one draft is below 二类文.
    let o = shell(&repo(), &run_of("Check drafts"), temp.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        std::fs::read_to_string(root().join("tests/golden/repo.github.txt")).unwrap()
    );
    // The report step: both files written outside the checked folder, exit 0.
    let o = shell(
        &repo(),
        &format!("set -e\n{}", run_of("SARIF and JUnit reports")),
        temp.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(temp.path().join("caifen.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&sarif_validator(), &sarif);
    assert_eq!(sarif["runs"].as_array().unwrap().len(), 2);
    let junit = std::fs::read_to_string(temp.path().join("caifen-junit.xml")).unwrap();
    assert!(
        junit.contains(r#"<testsuites name="caifen" tests="3" failures="1" errors="0">"#),
        "{junit}"
    );
    // Nothing was written into the drafts repository.
    let mut after = Vec::new();
    files_under(&repo(), "", &mut after);
    assert_eq!(before, after, "the workflow left files in tests/repo");
}

fn files_under(dir: &Path, prefix: &str, out: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = format!("{prefix}{}", e.file_name().to_string_lossy());
        if e.file_type().unwrap().is_dir() {
            files_under(&e.path(), &format!("{name}/"), out);
        } else {
            out.push(name);
        }
    }
}

#[test]
fn the_example_pre_commit_hook_checks_the_changed_drafts() {
    let cfg = yaml("examples/ci/pre-commit-config.yaml");
    let hook = &cfg["repos"][0]["hooks"][0];
    let entry = hook["entry"].as_str().unwrap();
    let files = regex::Regex::new(hook["files"].as_str().unwrap()).unwrap();
    let mut all = Vec::new();
    files_under(&repo(), "", &mut all);
    let staged: Vec<&String> = all.iter().filter(|f| files.is_match(f)).collect();
    assert_eq!(
        staged,
        [
            "drafts/archive/old.txt",
            "drafts/haiguan/jingyan_18.txt",
            "drafts/shanxi/strong.md",
            "drafts/shanxi/weak.txt"
        ]
    );
    let temp = tempfile::tempdir().unwrap();
    let line = |fs: &[&String]| {
        let names: Vec<&str> = fs.iter().map(|s| s.as_str()).collect();
        format!("{entry} {}", names.join(" "))
    };
    // All of them: the weak draft stops the commit; the archived binary file is excluded by
    // caifen.toml even when named.
    let o = shell(&repo(), &line(&staged), temp.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stdout(&o).contains("::error file=drafts/shanxi/weak.txt"));
    assert!(!stdout(&o).contains("old.txt"));
    // Only good drafts: the commit goes through.
    let o = shell(&repo(), &line(&[staged[1], staged[2]]), temp.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn named_files_that_caifen_toml_excludes_are_nothing_to_check() {
    // A pre-commit hook names the changed files; an archived draft alone must not block it.
    let o = caifen_in(
        &repo(),
        &["check", "--format", "github", "drafts/archive/old.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o)
            .contains("left out by the include/exclude globs of caifen.toml: nothing to check"),
        "{}",
        stderr(&o)
    );
    // With a draft beside it, the draft is checked and the archived file skipped.
    let o = caifen_in(
        &repo(),
        &[
            "check",
            "--format",
            "github",
            "drafts/archive/old.txt",
            "drafts/shanxi/strong.md",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("old.txt"));
}

#[test]
fn man_pages_of_the_commands_the_main_page_lists() {
    let man = |args: &[&str]| caifen_in(&root(), &[&["man"][..], args].concat());
    // The main page refers to caifen-check(1) and the others; each exists, with its options.
    let main = stdout(&man(&[]));
    assert!(main.contains("caifen\\-check(1)"), "{main}");
    let o = man(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = stdout(&o);
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{page}");
    assert!(page.contains(".TH caifen-check 1"), "{page}");
    for option in [
        "\\-\\-min\\-score",
        "\\-\\-min\\-band",
        "\\-\\-exit\\-zero",
        "\\-\\-config",
    ] {
        assert!(page.contains(option), "no {option} in\n{page}");
    }
    let o = man(&["rubric", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(".TH caifen-rubric-check 1"));
    let o = man(&["chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("caifen man: no command `chek` (commands: check, explain,"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn completions_and_man_report_write_errors_instead_of_panicking() {
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["man"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_caifen"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            String::from_utf8_lossy(&o.stderr).contains("No space left on device"),
            "{args:?}"
        );
    }
}
