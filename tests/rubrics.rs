//! The shipped genre and question rubrics: every one loads; `extends` merges as
//! `rubrics/README.md` says and its conflicts are located errors; each genre rubric against the
//! corpus answers of its genre; each question rubric against the answers to its question and to
//! every other (the matrix of questions × answers, and its AUC).
mod common;

use caifen::report::Checker;
use caifen::rubric::{self, Kind, Rubric};
use std::collections::BTreeMap;

fn builtin(name: &str) -> Rubric {
    let yaml = rubric::builtin(name).unwrap_or_else(|| panic!("no shipped rubric {name}"));
    rubric::load(yaml, &format!("builtin:{name}"), name).unwrap_or_else(|e| panic!("{e}"))
}

fn load(yaml: &str) -> Result<Rubric, String> {
    rubric::load(yaml, "q.yaml", "q").map_err(|e| e.to_string())
}

#[test]
fn every_shipped_rubric_loads_and_every_file_is_shipped() {
    let mut genres = 0;
    let mut questions = 0;
    for (name, _) in rubric::BUILTIN {
        let r = builtin(name);
        assert_eq!(&r.id, name, "a shipped rubric's name is its id");
        match r.kind {
            Kind::Genre => {
                genres += 1;
                assert!(r.points.is_empty() && r.length.is_none(), "{name}");
                assert!(r.genre.is_some(), "{name}: a genre rubric names its genre");
                assert!(r.structure.points() > 0.0 && r.language.points > 0.0);
            }
            Kind::Question => {
                questions += 1;
                assert!(
                    !r.points.is_empty(),
                    "{name}: a question rubric has scoring points"
                );
                assert!(r.length.is_some(), "{name}: the question's length rule");
                assert!(
                    r.extends.is_some(),
                    "{name}: every shipped question rubric extends its genre"
                );
                assert!(
                    r.source.is_some(),
                    "{name}: says where its points come from"
                );
            }
        }
    }
    assert_eq!((genres, questions), (11, 8));
    // Every YAML file under rubrics/ is embedded (a file left out would never be tested).
    let mut shipped: Vec<String> = rubric::BUILTIN.iter().map(|(_, y)| y.to_string()).collect();
    shipped.sort();
    let mut files = Vec::new();
    for dir in ["rubrics", "rubrics/genres", "rubrics/questions"] {
        for e in std::fs::read_dir(common::root().join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yaml") {
                files.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    files.sort();
    assert_eq!(files, shipped);
    // `--rubric 倡议书` is the genre rubric; `caifen rubrics` lists every rubric, genres after questions.
    assert_eq!(rubric::builtin("倡议书"), rubric::builtin("genre_changyi"));
    assert_eq!(
        rubric::builtin("典型案例"),
        rubric::builtin("genre_jingyan")
    );
    let o = common::run_caifen(
        env!("CARGO_BIN_EXE_caifen"),
        &common::root(),
        &["rubrics"],
        None,
    );
    let listed = common::stdout(&o);
    assert_eq!(listed.lines().count(), rubric::BUILTIN.len(), "{listed}");
    assert!(
        listed.contains("\ngenre_changyi\t倡议书\t倡议书\n"),
        "{listed}"
    );
    assert!(
        listed.contains("\ngwy_anhui_2023_C_q3\t告知书\t"),
        "{listed}"
    );
    // Genre names and aliases are unique across the genre rubrics.
    let mut seen = BTreeMap::new();
    for (name, genre, aliases) in rubric::builtin_genres() {
        for n in std::iter::once(genre).chain(aliases) {
            if let Some(other) = seen.insert(n.clone(), name) {
                panic!("genre name {n} in both {other} and {name}");
            }
            assert_eq!(rubric::builtin_genre(&n).map(|g| g.0), Some(name));
        }
    }
}

/// Extending the 经验材料 genre leaves the seed and L海关 rubrics as they were: every key they
/// write wins, and the genre adds nothing they did not have, apart from the genre's longer list
/// of forbidden phrases for L海关.
#[test]
fn seed_and_haiguan_are_unchanged_by_extends() {
    for name in [rubric::DEFAULT_RUBRIC, "gwy_guojia_2022_Xingzhengzhifa_q4"] {
        let yaml = rubric::builtin(name).unwrap();
        let own: String = yaml
            .lines()
            .filter(|l| !l.starts_with("extends:"))
            .map(|l| format!("{l}\n"))
            .collect();
        let (a, b) = (builtin(name), load(&own).unwrap());
        assert_eq!(a.extends.as_deref(), Some("genre_jingyan"));
        assert_eq!(b.extends, None);
        assert_eq!(a.total, b.total, "{name}");
        assert_eq!(
            format!("{:?}", a.structure),
            format!("{:?}", b.structure),
            "{name}"
        );
        assert_eq!(format!("{:?}", a.bands), format!("{:?}", b.bands));
        assert_eq!(format!("{:?}", a.length), format!("{:?}", b.length));
        assert_eq!(a.language.points, b.language.points);
        assert_eq!(
            format!("{:?}", a.language.rules),
            format!("{:?}", b.language.rules)
        );
        // The question's forbidden phrases keep their penalties.
        for f in &b.language.forbidden {
            assert!(a
                .language
                .forbidden
                .iter()
                .any(|g| g.phrase == f.phrase && g.penalty == f.penalty));
        }
    }
}

const GENRE: &str = "kind: genre\nid: g\ngenre: 倡议书\naliases: [倡议]\nstructure:\n  title: {required: true, points: 4}\n  salutation: {required: true, points: 4}\n  headings: {min: 2, max: 6, points: 2, styles: [一、]}\n  signature: {required: true, points: 4}\nlanguage:\n  points: 10\n  forbidden:\n    - {phrase: 我觉得, penalty: 2}\n    - {phrase: 超级, penalty: 1}\n  rules:\n    long-sentence: warning\n    first-person: error\n  sentence_limit: 100\nbands:\n  - {name: 好, min: 60}\n  - {name: 差, min: 0}\n";

#[test]
fn extends_merges_key_by_key() {
    let r = load(
        "extends: 倡议书\npoints:\n  - {id: a, points: 20, keywords: [节约]}\nlength: {max: 500, points: 10}\n",
    )
    .unwrap();
    // The question alone has no structure, language or bands: all from the genre.
    assert_eq!(r.extends.as_deref(), Some("genre_changyi"));
    assert_eq!(r.genre.as_deref(), Some("倡议书"));
    let g = builtin("genre_changyi");
    assert_eq!(r.structure.points(), g.structure.points());
    assert_eq!(r.language.points, g.language.points);
    assert_eq!(
        r.total,
        20.0 + 10.0 + g.structure.points() + g.language.points
    );

    // Slot by slot and key by key, the question wins; rules and forbidden phrases merge.
    let dir = common::tempdir("extends-merge");
    std::fs::write(dir.join("g.yaml"), GENRE).unwrap();
    let q = "继承: g.yaml\n文种: 倡议\n结构:\n  称谓: {必需: false}\n  小标题: {最多: 8}\n  开头: {分值: 3}\n语言:\n  禁用:\n    - {词语: 超级, 扣分: 2}\n    - {词语: 搞定}\n  规则:\n    long-sentence: off\n  扣分上限: 2\n采分点:\n  - {编号: a, 分值: 20, 关键词: [节约]}\n";
    let r = rubric::load_in(q, "q.yaml", "q", Some(&dir)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.extends.as_deref(), Some("g"));
    let s = &r.structure;
    assert!(!s.salutation.unwrap().required && s.salutation.unwrap().points == 4.0);
    assert!(s.title.unwrap().required && s.signature.unwrap().points == 4.0);
    let h = s.headings.as_ref().unwrap();
    assert_eq!((h.min, h.max, h.points), (2, 8, 2.0));
    assert_eq!(h.styles.as_ref().map(Vec::len), Some(1));
    assert_eq!(s.opening.unwrap().points, 3.0);
    assert!(s.closing.is_none());
    let f: Vec<(String, f64)> = r
        .language
        .forbidden
        .iter()
        .map(|f| (f.phrase.clone(), f.penalty))
        .collect();
    assert_eq!(
        f,
        [
            ("我觉得".into(), 2.0),
            ("超级".into(), 2.0),
            ("搞定".into(), 1.0)
        ]
    );
    let rules = format!("{:?}", r.language.rules);
    assert_eq!(r.language.rules.sentence_limit, 100);
    assert_eq!(r.language.rules.deduction_cap, 2.0);
    assert!(rules.contains("LongSentence"), "{rules}");
    let on = |id: &str| {
        let rule = caifen::lang::RuleId::from_id(id).unwrap();
        r.language.rules.severity(rule)
    };
    assert_eq!(on("long-sentence"), None);
    assert_eq!(on("first-person"), Some(caifen::lang::Severity::Error));
    // Bands from the genre unless the question gives its own list, which replaces it whole.
    assert_eq!(r.bands.len(), 2);
    let r = rubric::load_in(
        &format!("{q}分档:\n  - {{名称: 甲, 下限: 50}}\n  - {{名称: 乙, 下限: 20}}\n  - {{名称: 丙, 下限: 0}}\n"),
        "q.yaml",
        "q",
        Some(&dir),
    )
    .unwrap();
    assert_eq!(
        r.bands.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["甲", "乙", "丙"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn extends_conflicts_are_located_errors() {
    let dir = common::tempdir("extends-errors");
    std::fs::write(dir.join("g.yaml"), GENRE).unwrap();
    // A question rubric, and a genre rubric that extends another: neither can be extended.
    std::fs::write(
        dir.join("question.yaml"),
        "extends: 倡议书\npoints:\n  - {points: 1, keywords: [甲]}\n",
    )
    .unwrap();
    std::fs::write(dir.join("chain.yaml"), format!("extends: g.yaml\n{GENRE}")).unwrap();
    // A cycle: a question extending a file that extends it back.
    std::fs::write(
        dir.join("a.yaml"),
        "extends: b.yaml\npoints:\n  - {points: 1, keywords: [甲]}\n",
    )
    .unwrap();
    std::fs::write(dir.join("b.yaml"), "extends: a.yaml\nkind: genre\n").unwrap();
    std::fs::write(
        dir.join("bad.yaml"),
        "kind: genre\nstructure:\n  title: {points: -1}\n",
    )
    .unwrap();
    let p = "points:\n  - {points: 10, keywords: [甲]}\n";
    let cases: &[(&str, &str)] = &[
        (
            "title: x\nextends: 请示\n",
            "q.yaml:2:1: extends: unknown genre `请示` (shipped genres: 经验材料 (genre_jingyan), 发言稿 (genre_fayangao)",
        ),
        (
            "继承: 不存在.yaml\n",
            "q.yaml:1:1: 继承: cannot read",
        ),
        (
            "extends: question.yaml\n",
            "q.yaml:1:1: extends: `question.yaml` (",
        ),
        (
            "extends: gwy_anhui_2023_C_q3\n",
            "q.yaml:1:1: extends: `gwy_anhui_2023_C_q3` (builtin:gwy_anhui_2023_C_q3) is a question rubric, not a genre rubric",
        ),
        (
            "extends: chain.yaml\n",
            "extends another rubric itself: chains of extends are not supported",
        ),
        ("extends: a.yaml\n", "extends: `a.yaml` ("),
        (
            "extends: bad.yaml\n",
            "q.yaml:1:1: extends: the genre rubric `bad.yaml` does not load:\n",
        ),
        (
            "kind: genre\nextends: 倡议书\nstructure:\n  title: {points: 1}\n",
            "q.yaml:2:1: extends: a genre rubric cannot extend another rubric (no chains of extends)",
        ),
        (
            "extends: g.yaml\ngenre: 公开信\n",
            "q.yaml:2:1: genre: genre `公开信` is not the genre this rubric extends (g: 倡议书, 倡议)",
        ),
        (
            "extends: g.yaml\nstructure:\n  headings: {min: 7}\n",
            "q.yaml:3:3: structure.headings: min 7 is greater than max 6",
        ),
        (
            "extends: g.yaml\ntotal: 100\n",
            "q.yaml:2:1: total: total is 100 but the points add up to 34 (scoring points 10 + structure 14 + length 0 + language 10)",
        ),
        (
            "kind: genre\npoints:\n  - {points: 1, keywords: [甲]}\n",
            "q.yaml:2:1: points: a genre rubric (kind: genre) has no scoring points",
        ),
        (
            "类型: 文种\n字数: {不超过: 500}\nstructure:\n  title: {points: 1}\n",
            "q.yaml:2:1: 字数: a genre rubric (kind: genre) has no length rule",
        ),
        (
            "aliases: [甲]\n",
            "q.yaml:1:1: aliases: aliases name a genre: only a genre rubric (kind: genre) has them",
        ),
        ("kind: 种类\n", "q.yaml:1:7: kind: unknown variant `种类`"),
    ];
    let mut failed = Vec::new();
    for (yaml, want) in cases {
        let text = if yaml.contains("kind: genre") || yaml.contains("类型") || yaml.contains("种类")
        {
            yaml.to_string()
        } else {
            format!("{yaml}{p}")
        };
        match rubric::load_in(&text, "q.yaml", "q", Some(&dir)) {
            Ok(_) => failed.push(format!("{yaml:?}: loaded, want {want}")),
            Err(e) if e.to_string().contains(want) => {
                assert!(
                    e.problems.iter().all(|p| p.line.is_some()),
                    "unlocated: {e}"
                );
            }
            Err(e) => failed.push(format!("{yaml:?}:\n  got  {e}\n  want {want}")),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The genre of a MANIFEST row (`changyi(倡议书)`) as a shipped genre rubric, if one serves it.
fn genre_of(manifest_genre: &str) -> Option<&'static str> {
    let inner = manifest_genre.split_once('(')?.1.trim_end_matches(')');
    rubric::builtin_genre(inner).map(|g| g.0)
}

#[test]
fn genre_rubrics_against_corpus_answers_of_their_genre() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let mut by_genre: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut unserved = Vec::new();
    for row in common::tsv(&corpus.join("MANIFEST.tsv")) {
        match genre_of(&row["genre"]) {
            Some(g) => by_genre.entry(g).or_default().push(row["file"].clone()),
            None => unserved.push(format!("{} {}", row["file"], row["genre"])),
        }
    }
    eprintln!("answers of no shipped genre: {}", unserved.join("; "));
    let (mut met, mut total) = (0usize, 0usize);
    let mut report = String::new();
    for (name, _, _) in rubric::builtin_genres() {
        let files = by_genre
            .get(name)
            .unwrap_or_else(|| panic!("no answers of {name}"));
        let r = builtin(name);
        let checker = Checker::new(&r);
        let (mut m, mut t) = (0usize, 0usize);
        let mut misses = Vec::new();
        for f in files {
            let rep = checker
                .check_bytes(f, false, &common::read(&corpus.join(f)), None)
                .unwrap_or_else(|e| panic!("{f}: {e}"));
            for s in rep.score.structure.iter().filter(|s| s.required) {
                t += 1;
                if s.present {
                    m += 1;
                } else {
                    misses.push(format!("{} {}", f.trim_start_matches("essays/"), s.slot));
                }
            }
        }
        report.push_str(&format!(
            "{name:<18} {} answers, required slots found {m}/{t} ({:.0}%){}\n",
            files.len(),
            100.0 * m as f64 / t.max(1) as f64,
            if misses.is_empty() {
                String::new()
            } else {
                format!("; missing: {}", misses.join(", "))
            }
        ));
        assert!(
            m as f64 >= 0.75 * t as f64,
            "{name}: the genre's answers lack its required slots\n{report}"
        );
        met += m;
        total += t;
    }
    report.push_str(&format!(
        "all genres: {met}/{total} ({:.1}%)\n",
        100.0 * met as f64 / total as f64
    ));
    eprintln!("{report}");
    assert!(met as f64 >= 0.9 * total as f64, "{report}");
}

#[test]
fn question_rubrics_separate_their_answers_from_all_others() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let mut answers: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["essays", "offgenre"] {
        let mut files: Vec<_> = std::fs::read_dir(corpus.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        for p in files {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            answers.push((stem, common::read(&p)));
        }
    }
    assert_eq!(answers.len(), 79);
    // percent[q][a], band rank[q][a]
    let mut percent = vec![vec![0.0; answers.len()]; common::QUESTION_GROUPS.len()];
    let mut failures = Vec::new();
    for (qi, (q, own)) in common::QUESTION_GROUPS.iter().enumerate() {
        let r = builtin(q);
        let checker = Checker::new(&r);
        let rank = |band: &str| r.bands.iter().position(|b| b.name == band).unwrap();
        let (second, third) = (rank("二类文"), rank("三类文"));
        let mut good = 0;
        for (ai, (name, bytes)) in answers.iter().enumerate() {
            let rep = checker.check_bytes(name, false, bytes, None).unwrap();
            percent[qi][ai] = rep.score.percent;
            let b = rank(&rep.score.band);
            if own.contains(&name.as_str()) {
                good += usize::from(b <= second);
            } else if b < third {
                failures.push(format!(
                    "{q}: {name} answers another question but scores {} ({:.1}%)",
                    rep.score.band, rep.score.percent
                ));
            }
        }
        if (good as f64) < 0.8 * own.len() as f64 {
            failures.push(format!(
                "{q}: only {good} of its {} answers score 二类文 or better",
                own.len()
            ));
        }
    }
    // The matrix: one row per answer, one column per question; * marks the answer's own question.
    let mut out = String::from("answer          ");
    for (i, _) in common::QUESTION_GROUPS.iter().enumerate() {
        out.push_str(&format!("   Q{}", i + 1));
    }
    out.push('\n');
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for (ai, (name, _)) in answers.iter().enumerate() {
        out.push_str(&format!("{name:<16}"));
        for (qi, (_, own)) in common::QUESTION_GROUPS.iter().enumerate() {
            let mine = own.contains(&name.as_str());
            out.push_str(&format!(
                " {:>3.0}{}",
                percent[qi][ai],
                if mine { '*' } else { ' ' }
            ));
            if mine { &mut pos } else { &mut neg }.push(percent[qi][ai]);
        }
        out.push('\n');
    }
    for (i, (q, own)) in common::QUESTION_GROUPS.iter().enumerate() {
        out.push_str(&format!("Q{} = {q} ({} answers)\n", i + 1, own.len()));
    }
    // AUC: the chance that a (question, own answer) pair outscores a (question, other answer)
    // pair, ties counting half, over all pairs.
    let mut wins = 0.0;
    for p in &pos {
        for n in &neg {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    let auc = wins / (pos.len() * neg.len()) as f64;
    let min_pos = pos.iter().cloned().fold(f64::INFINITY, f64::min);
    let max_neg = neg.iter().cloned().fold(0.0, f64::max);
    out.push_str(&format!(
        "AUC {auc:.4} over {} × {} pairs; lowest own answer {min_pos:.1}%, highest other answer {max_neg:.1}%\n",
        pos.len(),
        neg.len()
    ));
    eprintln!("{out}");
    assert_eq!(pos.len(), 26);
    assert!(failures.is_empty(), "{}\n{out}", failures.join("\n"));
    assert!(auc >= 0.95, "AUC {auc}\n{out}");
}

/// The corpus answers of the genres whose 落款 carries a date (倡议书, 公开信, 告知书): the rubrics
/// that score them, the date as the answer writes it, and the 落款 left when the date is deleted
/// (the two single-line 公开信 run the issuer into the last sentence's tail).
const DATED: &[(&str, &[&str], &str, &str)] = &[
    (
        "changyi_01",
        &["genre_changyi"],
        "XXXX年XX月XX日",
        "N市旅游协会",
    ),
    (
        "changyi_gov_01",
        &["genre_changyi"],
        "2024年   8  月   1   日",
        "阳泉市民政局",
    ),
    (
        "changyi_gov_02",
        &["genre_changyi"],
        "2025年4月29日",
        "中共白银市委组织部",
    ),
    (
        "changyi_gov_03",
        &["genre_changyi"],
        "2025年10月21日",
        "中共芦阳镇委员会\n\n芦阳镇人民政府",
    ),
    (
        "changyi_gov_04",
        &["genre_changyi"],
        "2022年10月12日",
        "一条山镇人民政府",
    ),
    (
        "gaozhishu_01",
        &["genre_gaozhishu", "gwy_anhui_2023_C_q3"],
        "xXxx年xx月xx日",
        "县住建局",
    ),
    (
        "gaozhishu_02",
        &["genre_gaozhishu", "gwy_anhui_2023_C_q3"],
        "X年X月X日",
        "县住建局",
    ),
    (
        "gongkaixin_01",
        &["genre_gongkaixin"],
        "XXXX 年 XX 月 XX 日",
        "XX 县政府",
    ),
    (
        "gongkaixin_02",
        &["genre_gongkaixin", "gwy_guojia_2022_Xingzhengzhifa_q5"],
        "XXXX 年 XX 月 XX 日",
        "G 市市场监管局",
    ),
    (
        "gongkaixin_03",
        &["genre_gongkaixin", "gwy_guojia_2022_Xingzhengzhifa_q5"],
        "xx 年 xx 月 xx 日",
        "G 市市场监管局",
    ),
];

fn signature_slot(rep: &caifen::report::EssayReport) -> &caifen::score::SlotScore {
    rep.score
        .structure
        .iter()
        .find(|s| s.slot == "signature")
        .expect("a signature slot")
}

#[test]
fn undated_signature_earns_half_where_the_genre_asks_for_a_date() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    // Every corpus answer of the three genres is in the table, and its label says it has a 落款.
    let labels: BTreeMap<String, String> = common::tsv(&corpus.join("LABELS.tsv"))
        .into_iter()
        .map(|r| (r["file"].clone(), r["signature"].clone()))
        .collect();
    let mut of_genres: Vec<String> = common::tsv(&corpus.join("MANIFEST.tsv"))
        .into_iter()
        .filter(|r| {
            ["倡议书", "公开信", "告知书"]
                .iter()
                .any(|g| r["genre"].contains(g))
        })
        .map(|r| r["file"].clone())
        .collect();
    of_genres.sort();
    let table: Vec<String> = DATED
        .iter()
        .map(|d| format!("essays/{}.txt", d.0))
        .collect();
    assert_eq!(of_genres, table);
    let mut failures = Vec::new();
    for (stem, rubrics, date, issuer) in DATED {
        let file = format!("essays/{stem}.txt");
        assert_eq!(labels[&file], "y", "{file}: LABELS.tsv signature");
        let text = common::text(&corpus.join(&file));
        assert_eq!(text.matches(date).count(), 1, "{file}: {date}");
        let undated = text.replacen(date, "", 1);
        for name in *rubrics {
            let r = builtin(name);
            assert!(r.structure.signature.is_some_and(|s| s.date), "{name}");
            let checker = Checker::new(&r);
            let dated = checker
                .check_bytes(&file, false, text.as_bytes(), None)
                .unwrap();
            let bare = checker
                .check_bytes(&file, false, undated.as_bytes(), None)
                .unwrap();
            let (d, b) = (signature_slot(&dated), signature_slot(&bare));
            let sig = bare.structure.signature.as_ref().map(|l| l.text.as_str());
            let finding = bare.findings.iter().find(|f| f.rule == "signature-date");
            // With its date: the full slot and no finding; without: the issuer alone, half the
            // slot's points, `missing: [date]` and a located 「落款缺少日期」 costing the other half.
            let got = (
                d.present && d.score == d.max && d.missing.is_empty(),
                dated.findings.iter().all(|f| f.rule != "signature-date"),
                sig,
                b.score,
                b.missing.clone(),
                finding.map(|f| (f.message.starts_with("落款缺少日期"), f.penalty)),
                finding.and_then(|f| f.at.as_ref()).map(|a| a.text.as_str()),
                bare.score.total,
            );
            let want = (
                true,
                true,
                Some(*issuer),
                2.0,
                vec!["date"],
                Some((true, 2.0)),
                Some(*issuer),
                dated.score.total - 2.0,
            );
            if got != want {
                failures.push(format!(
                    "{file} under {name}:\n  got  {got:?}\n  want {want:?}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn signature_date_is_a_genre_key_that_merges_and_is_off_elsewhere() {
    let Some(shared) = common::shared() else {
        return;
    };
    let text = common::text(&shared.join("corpus/essays/changyi_01.txt"));
    let undated = text.replacen("XXXX年XX月XX日", "", 1);
    let score = |r: &Rubric, t: &str| {
        let rep = Checker::new(r)
            .check_bytes("a.txt", false, t.as_bytes(), None)
            .unwrap();
        let s = rep
            .score
            .structure
            .iter()
            .find(|s| s.slot == "signature")
            .cloned();
        (s.map(|s| (s.score, s.max, s.missing)), rep.score.total)
    };
    // Only the three letter genres ask for the date; 经验材料 and the other genres are unchanged
    // (their 落款 slot is optional and worth 0).
    for (name, _, _) in rubric::builtin_genres() {
        let asks = builtin(name).structure.signature.is_some_and(|s| s.date);
        assert_eq!(
            asks,
            ["genre_changyi", "genre_gongkaixin", "genre_gaozhishu"].contains(&name),
            "{name}"
        );
    }
    let jingyan = builtin("genre_jingyan");
    assert_eq!(score(&jingyan, &undated).0, Some((0.0, 0.0, vec![])));
    assert_eq!(score(&jingyan, &undated).1, score(&jingyan, &text).1);
    // A 落款 slot without `date` gives the issuer alone the full slot, as before.
    let plain =
        load("kind: genre\ngenre: 倡议书\nstructure:\n  signature: {required: true, points: 4}\n")
            .unwrap();
    assert!(!plain.structure.signature.unwrap().date);
    assert_eq!(score(&plain, &undated).0, Some((4.0, 4.0, vec![])));
    // `date` (日期) asks for it; a question inherits it from its genre, and may switch it off.
    let cn = load("kind: genre\ngenre: 倡议书\n结构:\n  落款: {必需: true, 分值: 4, 日期: true}\n")
        .unwrap();
    assert_eq!(score(&cn, &undated).0, Some((2.0, 4.0, vec!["date"])));
    assert_eq!(score(&cn, &text).0, Some((4.0, 4.0, vec![])));
    let q = "extends: 倡议书\nstructure:\n  signature: {points: 6}\n";
    let r = load(q).unwrap();
    assert_eq!(score(&r, &undated).0, Some((3.0, 6.0, vec!["date"])));
    let r = load("extends: 倡议书\nstructure:\n  signature: {date: false}\n").unwrap();
    assert_eq!(score(&r, &undated).0, Some((4.0, 4.0, vec![])));
    // A wrong type is a located error at the key as written.
    let e = load("kind: genre\ngenre: 倡议书\n结构:\n  落款: {日期: 是的}\n").unwrap_err();
    assert!(e.contains("日期") || e.contains("date"), "{e}");
}

#[test]
fn undated_signature_in_the_report_and_json() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = common::tempdir("undated-signature");
    let text = common::text(&shared.join("corpus/essays/changyi_01.txt"));
    std::fs::write(dir.join("a.txt"), text.replacen("XXXX年XX月XX日", "", 1)).unwrap();
    std::fs::write(dir.join("b.txt"), &text).unwrap();
    let exe = env!("CARGO_BIN_EXE_caifen");
    let run = |f: &str, format: &str| {
        let o = common::run_caifen(
            exe,
            &dir,
            &[
                "check",
                "--no-config",
                "--rubric",
                "倡议书",
                "--format",
                format,
                f,
            ],
            None,
        );
        common::stdout(&o)
    };
    let pretty = run("a.txt", "pretty");
    for want in [
        "总分：28 / 30",
        "结构    18      20",
        "落款（缺日期）◐",
        "9:1 「N市旅游协会」 落款缺少日期：落款写发文单位和成文日期（如XXXX年XX月XX日）（-2分）",
    ] {
        assert!(pretty.contains(want), "{want:?} not in\n{pretty}");
    }
    let json: serde_json::Value = serde_json::from_str(&run("a.txt", "json")).unwrap();
    let a = &json["answers"][0];
    let slot = a["score"]["structure"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slot"] == "signature")
        .unwrap();
    assert_eq!(slot["score"], 2.0);
    assert_eq!(slot["missing"], serde_json::json!(["date"]));
    let f = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "signature-date")
        .unwrap_or_else(|| panic!("no signature-date finding in {a}"));
    assert_eq!(f["penalty"], 2.0);
    assert_eq!(f["at"]["text"], "N市旅游协会");
    // With its date the answer is as before: full marks, no `missing` key, no finding.
    let pretty = run("b.txt", "pretty");
    assert!(
        pretty.contains("总分：30 / 30") && pretty.contains("落款✓"),
        "{pretty}"
    );
    let out = run("b.txt", "json");
    assert!(
        !out.contains("\"missing\"") && !out.contains("signature-date"),
        "{out}"
    );
}
