//! Anti-gaming: planted answers — a bare list of the question's terms, an answer copied from the
//! 给定资料, repeated terms — keep at most half of the points they would earn; real answers are
//! never capped.
mod common;

use caifen::{Checker, EssayReport, Rubric};
use common::{root, stderr, stdout};

fn haiguan() -> Rubric {
    let text = std::fs::read_to_string(root().join("rubrics/questions/l_haiguan_q4.yaml")).unwrap();
    caifen::load_rubric(&text, "l_haiguan_q4.yaml", "l_haiguan_q4").unwrap()
}

/// The seed question's rubric (shipped).
fn seed() -> Rubric {
    let yaml = caifen::rubric::builtin("shanxi_zhualuoshi").unwrap();
    caifen::load_rubric(yaml, "builtin", "shanxi_zhualuoshi").unwrap()
}

fn check(c: &Checker, text: &str) -> EssayReport {
    c.check_bytes("a.txt", false, text.as_bytes(), None)
        .unwrap()
}

/// Every literal term of the rubric's points, point by point.
fn terms(r: &Rubric) -> Vec<Vec<String>> {
    r.points
        .iter()
        .map(|p| {
            let mut v: Vec<String> = Vec::new();
            for g in &p.groups {
                for t in &g.terms {
                    if let caifen::rubric::Term::Literal(s) = t {
                        if !v.contains(s) {
                            v.push(s.clone());
                        }
                    }
                }
            }
            v
        })
        .collect()
}

#[test]
fn a_bare_list_of_the_questions_terms_stays_in_the_third_band_or_below() {
    let r = haiguan();
    let c = Checker::new(&r);
    let t = terms(&r);
    let a = capped_l_haiguan_list(&c, &t, "bare list", |chunk| {
        let body: Vec<String> = chunk.iter().map(|v| v.join("、")).collect();
        format!("要点。{}。", body.join("；"))
    });
    // Every point it touches has a finding at its first hit.
    let capped: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule == "term-list")
        .collect();
    assert_eq!(capped.len(), r.points.len());
    assert!(capped.iter().all(|f| f.penalty > 0.0 && f.at.is_some()));
    // The same content in sentences is not capped.
    let mut prose = String::from("L海关工作经验交流材料提纲\n");
    for v in &t {
        prose.push_str(&format!(
            "L海关在工作中注重{}，并把{}落到实处。\n",
            v[0],
            v[v.len() - 1]
        ));
    }
    let b = check(&c, &prose);
    assert!(b.points.iter().all(|p| p.capped.is_none()));
}

/// The same bare list written one term to a line (the way a keyword list is usually typed) is
/// a list too: every line is a "sentence" of one term, so no single sentence is a list.
#[test]
fn a_list_of_terms_one_to_a_line_stays_in_the_third_band_or_below() {
    let r = haiguan();
    let c = Checker::new(&r);
    let t = terms(&r);
    capped_l_haiguan_list(&c, &t, "one term to a line", |chunk| {
        let lines: Vec<&str> = chunk.iter().flatten().map(String::as_str).collect();
        lines.join("\n")
    });
}

/// The L海关 terms planted in a frame (title, opening, one numbered heading per three groups of
/// terms, each followed by `section` of its groups, closing): the answer stays in 三类文 or
/// below and every point is capped as a term list at half its points.
fn capped_l_haiguan_list(
    c: &Checker,
    t: &[Vec<String>],
    label: &str,
    section: impl Fn(&[Vec<String>]) -> String,
) -> caifen::report::EssayReport {
    let mut list =
        String::from("L海关工作经验交流材料提纲\n近年来，L海关扎实开展工作，主要做法如下。\n");
    for (k, chunk) in t.chunks(3).enumerate() {
        list.push_str(&format!(
            "{}、{}\n",
            ["一", "二", "三", "四", "五"][k],
            section(chunk)
        ));
    }
    list.push_str("今后，L海关将继续努力。\n");
    let a = check(c, &list);
    println!("{label}: {} {}", a.score.total, a.score.band);
    assert!(
        a.score.band == "三类文" || a.score.band == "四类文",
        "{label}: {} {}",
        a.score.total,
        a.score.band
    );
    for p in &a.points {
        assert_eq!(
            p.capped,
            Some(caifen::gaming::Gaming::TermList),
            "{label}: {}",
            p.id
        );
        assert!(
            p.score <= p.max * 0.5 + 1e-9,
            "{label}: {}: {}",
            p.id,
            p.score
        );
    }
    a
}

#[test]
fn an_answer_copied_from_the_material_is_capped_when_the_material_is_given() {
    let Some(shared) = common::shared() else {
        return;
    };
    let q = shared.join("corpus/prompts/gwy_guojia_2022_Xingzhengzhifa_q4.txt");
    let question = caifen::question::parse(&common::text(&q));
    let material = question.material.unwrap();
    // A well-formed outline whose sections are the material's own sentences.
    let sents: Vec<&str> = material
        .split(['。', '\n'])
        .map(str::trim)
        .filter(|s| s.chars().count() >= 25 && !s.contains("来源"))
        .collect();
    let mut copy = String::from("L海关工作经验交流材料提纲\n近年来，L海关围绕严执法、优服务、促发展开展工作，主要做法如下。\n");
    for (k, h) in [
        "一、严格执法，筑牢检疫防线。",
        "二、优化服务，帮助企业发展。",
        "三、技术支撑，促进产业发展。",
        "四、创新监管，提升通关效率。",
    ]
    .iter()
    .enumerate()
    {
        copy.push_str(&format!("{h}{}。\n", sents[k * 3..k * 3 + 3].join("。")));
    }
    copy.push_str("今后，L海关将继续总结经验，推动种业健康发展。\n");
    let r = haiguan();
    let plain = check(&Checker::new(&r), &copy);
    let with = check(&Checker::with_material(&r, &material), &copy);
    println!(
        "copied: {} {} → with the material {} {}",
        plain.score.total, plain.score.band, with.score.total, with.score.band
    );
    assert!(with.score.band == "三类文" || with.score.band == "四类文");
    assert!(with.score.total < plain.score.total - 5.0);
    let copied: Vec<_> = with
        .findings
        .iter()
        .filter(|f| f.rule == "copied-material")
        .collect();
    assert_eq!(
        copied.len(),
        12,
        "one copied run per sentence taken from the material"
    );
    assert!(copied[0].message.contains("字与给定资料一字不差"));
    assert!(
        copied.iter().all(|f| f.severity == "warning"),
        "copying at length"
    );
    assert!(with
        .points
        .iter()
        .any(|p| p.capped == Some(caifen::gaming::Gaming::CopiedMaterial)));
    // The CLI takes the question file as --material (its 给定资料 section).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("copy.txt"), &copy).unwrap();
    let o = common::run_caifen(
        env!("CARGO_BIN_EXE_caifen"),
        dir.path(),
        &[
            "check",
            "--no-config",
            "--rubric",
            root()
                .join("rubrics/questions/l_haiguan_q4.yaml")
                .to_str()
                .unwrap(),
            "--material",
            q.to_str().unwrap(),
            "--format",
            "json",
            "copy.txt",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        run["answers"][0]["score"]["total"].as_f64().unwrap(),
        with.score.total
    );
    // Real answers to the question copy short phrases, not runs: none is capped.
    let c = Checker::with_material(&r, &material);
    for i in 14..=24 {
        let text = common::text(&shared.join(format!("corpus/essays/jingyan_{i}.txt")));
        let a = check(&c, &text);
        assert!(a.points.iter().all(|p| p.capped.is_none()), "jingyan_{i}");
    }
}

/// A run of terms that touch (「建账交账核账销账」, four of the 清单 point's terms) inside a bare
/// list is one item of it: such a run used to count as three gaps that are no list gaps, which
/// hid the whole list (the seed rubric's 14 terms kept 51 of 60 content points). Touching terms
/// alone are still a phrase.
#[test]
fn touching_terms_inside_a_list_do_not_hide_it() {
    let seed = seed();
    let c = Checker::new(&seed);
    let capped = |text: &str| -> Vec<&'static str> {
        let a = check(&c, text);
        ["jizhi", "qingdan", "duban", "kaohe", "zuofeng", "chengxiao"]
            .into_iter()
            .filter(|id| a.points.iter().any(|p| p.id == *id && p.capped.is_some()))
            .collect()
    };
    let list = "抓落实经验\n机制、清单、责任、督办、考核、作风、成效、闭环管理、一级抓一级、红黄牌、容错、一线工作法、建账交账核账销账。\n";
    // 机制 keeps its credit: the title's 抓落实 is one genuine hit of it.
    assert_eq!(
        capped(list),
        ["qingdan", "duban", "kaohe", "zuofeng", "chengxiao"]
    );
    let a = check(&c, list);
    assert!(a.score.total <= 45.0, "{}", a.score.total);
    assert!(capped("抓落实经验\n我们坚持建账交账核账销账，逐项对账销号。\n").is_empty());
}

#[test]
fn repetition_is_capped_and_ordinary_enumerations_are_not() {
    let seed = seed();
    let c = Checker::new(&seed);
    let rows: &[(&str, bool)] = &[
        ("水利厅经验\n我们抓落实，清单清单清单。\n", true),
        ("水利厅经验\n抓落实要抓清单、抓清单、抓清单。\n", true),
        (
            "水利厅经验\n把目标分解为任务清单、责任清单和问题清单，层层抓落实。\n",
            false,
        ),
        (
            "水利厅经验\n把目标分解为任务清单，层层抓落实。\n把目标分解为任务清单，层层抓落实。\n",
            false,
        ),
    ];
    let mut bad = Vec::new();
    for (text, capped) in rows {
        let a = check(&c, text);
        let got = a
            .points
            .iter()
            .find(|p| p.id == "qingdan")
            .unwrap()
            .capped
            .is_some();
        if got != *capped {
            bad.push(format!("{text:?}: capped {got}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn no_real_answer_or_case_is_capped_under_the_shipped_rubrics() {
    let Some(shared) = common::shared() else {
        return;
    };
    let seed = seed();
    let rubrics = [seed, haiguan()];
    let mut n = 0;
    // Real answers under every question rubric: terms that touch make a phrase, not a list
    // (jianbao_03 under the 河北 rubric: 「发动干部收集心愿」, 「热心群众广泛参与」 were capped
    // as lists, 80 instead of 87).
    let questions = question_rubrics();
    for dir in ["corpus/essays", "corpus/offgenre"] {
        for e in std::fs::read_dir(shared.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let bytes = common::read(&p);
            for r in &questions {
                let Ok(a) = Checker::new(r).check_bytes("a.txt", false, &bytes, None) else {
                    continue;
                };
                n += 1;
                let capped: Vec<&str> = a
                    .points
                    .iter()
                    .filter(|x| x.capped.is_some())
                    .map(|x| x.id.as_str())
                    .collect();
                assert!(
                    capped.is_empty(),
                    "{} under {}: {capped:?}",
                    p.display(),
                    r.id
                );
            }
        }
    }
    for dir in ["corpus/essays", "corpus/offgenre", "cases"] {
        for e in std::fs::read_dir(shared.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let bytes = common::read(&p);
            for r in &rubrics {
                let c = Checker::new(r);
                let Ok(a) = c.check_bytes("a.txt", false, &bytes, None) else {
                    continue;
                };
                n += 1;
                assert!(
                    a.points.iter().all(|x| x.capped.is_none()),
                    "{} under {}",
                    p.display(),
                    r.id
                );
            }
        }
    }
    assert!(n > 800, "{n}");
}

/// The shipped question rubrics (`rubrics/questions/*.yaml`) and the seed's.
fn question_rubrics() -> Vec<Rubric> {
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(root().join("rubrics/questions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    paths.push(root().join("rubrics/shanxi_zhualuoshi.yaml"));
    paths
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            let text = std::fs::read_to_string(p).unwrap();
            caifen::load_rubric(&text, name, name.trim_end_matches(".yaml")).unwrap()
        })
        .collect()
}

/// What planted lists join their terms with: 、, 和, one term to a line (the three shapes of
/// issue 5), and the other marks and connectives a list is written with.
const JOINERS: [&str; 10] = ["、", "和", "\n", "，", "；", " ", "与", "及", "以及", "并"];

/// A planted answer to `r`: the title, an opening line, numbered headings each followed by a
/// list of the rubric's own terms joined by `joiner` (the first literal term of every group of
/// every point, so every group is met), a closing line; a salutation and a signature where the
/// genre scores them. Nothing in it says what was done.
fn planted(r: &Rubric, joiner: &str) -> String {
    let per_point: Vec<Vec<String>> = r
        .points
        .iter()
        .map(|p| {
            let mut v: Vec<String> = Vec::new();
            for g in &p.groups {
                let first = g.terms.iter().find_map(|t| match t {
                    caifen::rubric::Term::Literal(s) => Some(s.clone()),
                    caifen::rubric::Term::Pattern(_) => None,
                });
                if let Some(s) = first.filter(|s| !v.contains(s)) {
                    v.push(s);
                }
            }
            v
        })
        .collect();
    let sections = r
        .structure
        .headings
        .as_ref()
        .map_or(3, |h| (h.min.max(3) as usize).min(h.max as usize))
        .min(per_point.len());
    let heads = [
        "基本情况",
        "主要做法",
        "具体举措",
        "工作亮点",
        "经验启示",
        "下步打算",
    ];
    let nums = ["一", "二", "三", "四", "五", "六"];
    let scored = |s: Option<caifen::rubric::Slot>| s.is_some_and(|s| s.points > 0.0);
    let mut text = format!("{}\n", r.title);
    if scored(r.structure.salutation) {
        text.push_str("各位朋友：\n");
    }
    text.push_str("近年来，我们围绕这项工作扎实推进，主要情况如下。\n");
    let per = per_point.len().div_ceil(sections);
    for (k, chunk) in per_point.chunks(per).enumerate() {
        let terms: Vec<&str> = chunk.iter().flatten().map(String::as_str).collect();
        let end = if joiner == "\n" { "" } else { "。" };
        text.push_str(&format!(
            "{}、{}\n{}{end}\n",
            nums[k],
            heads[k],
            terms.join(joiner)
        ));
    }
    text.push_str("今后，我们将继续努力，把这项工作做得更好。\n");
    if scored(r.structure.signature) {
        text.push_str("某某单位\n2025年1月1日\n");
    }
    text
}

/// Issue 5 (Anti-gaming): a bare list of a question's terms — joined by 、, by 和 (or 与 及 以及
/// 并, ， ； spaces), or one to a line, framed by a title and numbered headings — lands in 三类文
/// or below under every shipped question rubric, however small a share of the total its content
/// is: the list's points are capped, and the form points follow the content earned outside it.
#[test]
fn a_planted_list_of_each_rubrics_terms_stays_in_the_third_band_or_below() {
    let mut bad = Vec::new();
    let rubrics = question_rubrics();
    assert_eq!(rubrics.len(), 8, "the 7 question rubrics and the seed's");
    println!(
        "{:<34} {}",
        "rubric",
        JOINERS.map(|j| format!("{j:?}")).join("  ")
    );
    for r in &rubrics {
        let c = Checker::new(r);
        let mut row = Vec::new();
        for joiner in JOINERS {
            let text = planted(r, joiner);
            let a = check(&c, &text);
            row.push(format!("{} {}", a.score.total, a.score.band));
            if a.score.band != "三类文" && a.score.band != "四类文" {
                bad.push(format!(
                    "{} joined by {joiner:?}: {} {} (form ×{})\n{text}",
                    r.id, a.score.total, a.score.band, a.score.form_factor
                ));
            }
        }
        println!("{:<34} {}", r.id, row.join("  "));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
