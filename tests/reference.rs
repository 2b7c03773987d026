//! `check --reference`: inline changes of aligned sentences (cases B39, B40, B41) and the
//! comparison of a corpus answer with another answer to the same question.
mod common;

use caifen::reference::{inline_changes, Part};
use common::{root, stderr, stdout};

fn changed(parts: &[Part]) -> Vec<&str> {
    parts
        .iter()
        .filter(|p| p.changed)
        .map(|p| p.text.as_str())
        .collect()
}

fn joined(parts: &[Part]) -> String {
    parts.iter().map(|p| p.text.as_str()).collect()
}

fn case(shared: &std::path::Path, name: &str) -> String {
    common::text(&shared.join("cases").join(name))
        .trim_end()
        .to_owned()
}

#[test]
fn b39_b40_only_the_changed_characters_are_marked() {
    let Some(shared) = common::shared() else {
        return;
    };
    let (m, a) = (
        case(&shared, "B39.model.txt"),
        case(&shared, "B39.answer.txt"),
    );
    let (r, x) = inline_changes(&m, &a);
    assert_eq!(changed(&r), ["中", "落脚点"]);
    assert_eq!(changed(&x), ["核", "归宿"]);
    assert_eq!((joined(&r), joined(&x)), (m.clone(), a.clone()));
    let (m, a) = (
        case(&shared, "B40.model.txt"),
        case(&shared, "B40.answer.txt"),
    );
    let (r, x) = inline_changes(&m, &a);
    assert_eq!(r.first().unwrap().text, "干部服务");
    assert_eq!(x.first().unwrap().text, "干部服务");
    assert_eq!(r.last().unwrap().text, "弱。");
    assert_eq!(x.last().unwrap().text, "弱。");
    assert_eq!(changed(&r), ["意识"]);
    assert_eq!(changed(&x), ["能力不足或偏"]);
}

#[test]
fn b41_long_lines_give_the_same_changes_every_time() {
    let Some(shared) = common::shared() else {
        return;
    };
    let (m, a) = (
        case(&shared, "B41.model.txt"),
        case(&shared, "B41.answer.txt"),
    );
    let first = inline_changes(&m, &a);
    assert_eq!((joined(&first.0), joined(&first.1)), (m.clone(), a.clone()));
    assert!(changed(&first.0).len() > 100, "{}", changed(&first.0).len());
    for _ in 0..3 {
        assert_eq!(inline_changes(&m, &a), first);
    }
}

#[test]
fn an_answer_against_a_reference_answer() {
    let Some(shared) = common::shared() else {
        return;
    };
    let c = shared.join("corpus/essays");
    let rubric = root().join("rubrics/questions/l_haiguan_q4.yaml");
    let args = |format: &'static str| {
        vec![
            "check".to_owned(),
            "--no-config".into(),
            "--rubric".into(),
            rubric.display().to_string(),
            "--reference".into(),
            c.join("jingyan_14.txt").display().to_string(),
            "--format".into(),
            format.into(),
            c.join("jingyan_16.txt").display().to_string(),
        ]
    };
    let run = |format: &'static str| {
        let a = args(format);
        let argv: Vec<&str> = a.iter().map(String::as_str).collect();
        common::run_caifen(env!("CARGO_BIN_EXE_caifen"), &root(), &argv, None)
    };
    let o = run("json");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let r = &json["answers"][0]["reference"];
    let aligned = r["aligned"].as_array().unwrap();
    let matched: Vec<&serde_json::Value> =
        aligned.iter().filter(|x| !x["answer"].is_null()).collect();
    println!("aligned {} of {}", matched.len(), aligned.len());
    assert_eq!(aligned.len(), 20);
    assert_eq!(matched.len(), 7);
    // The opening sentence: only the reference's extra clause and label are marked.
    let first = matched[0];
    assert_eq!(first["similarity"], 0.69);
    assert_eq!(first["answer"]["start"]["column"], 18);
    let ids: Vec<&str> = r["points_behind"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["p03", "p04", "p06", "p07", "p08", "p10", "p11"]);
    let o = run("pretty");
    let out = stdout(&o);
    assert!(out.contains("参考答案对照"), "{out}");
    assert!(out.contains("    参 [-背景：我-]省河西地区是全国最大的蔬菜、花卉外繁制种基地[-，种子进出口是农业特色支柱产业-]。"), "{out}");
    assert!(
        out.contains("    答 {+S +}省河西地区是全国最大的蔬菜、花卉外繁制种基地。"),
        "{out}"
    );
    assert!(
        out.contains("    p03「进境原种抽样检测」：参考答案 3 分，作答 0 分"),
        "{out}"
    );
    // Without --reference the field is null.
    let o = common::run_caifen(
        env!("CARGO_BIN_EXE_caifen"),
        &root(),
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "examples/essays/weak.txt",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(json["answers"][0]["reference"].is_null());
}

#[test]
fn an_empty_reference_or_material_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), " \n\u{3000}\n").unwrap();
    let answer = root().join("examples/essays/weak.txt");
    for flag in ["--reference", "--material"] {
        let o = common::run_caifen(
            env!("CARGO_BIN_EXE_caifen"),
            dir.path(),
            &[
                "check",
                "--no-config",
                flag,
                "empty.txt",
                answer.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{flag}");
        assert!(
            stderr(&o).contains(&format!("caifen: {flag} empty.txt: the file is empty")),
            "{}",
            stderr(&o)
        );
    }
}
