//! The tricky inputs of `../shared/cases` that its README assigns to the core, each with the
//! behaviour it states.
mod common;

use caifen::count::count;
use caifen::decode::{decode, DecodeError};
use caifen::report::{Checker, EssayReport};
use caifen::rubric::{self, Rubric};
use caifen::segment::{segment, split_sentences, Style};
use std::path::PathBuf;

fn cases() -> Option<PathBuf> {
    common::shared().map(|s| s.join("cases"))
}

fn rubric_yaml(yaml: &str) -> Rubric {
    rubric::load(yaml, "test.yaml", "test").unwrap_or_else(|e| panic!("{e}"))
}

fn check(r: &Rubric, text: &str) -> EssayReport {
    Checker::new(r)
        .check_bytes("t.txt", false, text.as_bytes(), None)
        .unwrap()
}

/// Hits per term of the single scoring point of a rubric made of `terms`.
fn hits(terms: &[&str], text: &str) -> Vec<(String, usize, bool)> {
    let list = terms
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let r = rubric_yaml(&format!(
        "points:\n  - {{id: p, points: 1, keywords: [{list}]}}\n"
    ));
    let a = check(&r, text);
    let mut out: Vec<(String, usize, bool)> = terms
        .iter()
        .map(|t| {
            let n = a.points[0].hits.iter().filter(|h| h.term == *t).count();
            let neg = a.points[0].rejected.iter().any(|x| x.term == *t);
            (t.to_string(), n, neg)
        })
        .collect();
    out.sort();
    out
}

fn case_text(name: &str) -> Option<String> {
    let d = cases()?;
    Some(decode(&common::read(&d.join(name)), None).unwrap().text)
}

// ------------------------------------------------------------------ encoding

#[test]
fn b01_short_gbk() {
    let Some(d) = cases() else { return };
    let bytes = common::read(&d.join("B01.txt"));
    let doc = decode(&bytes, None).unwrap();
    assert_eq!(doc.text, "坚持人民至上\n");
    assert_eq!(doc.encoding, "GBK");
    let forced = decode(&bytes, caifen::decode::encoding_for_label("gbk")).unwrap();
    assert_eq!(forced.text, "坚持人民至上\n");
    assert_eq!(
        decode(&bytes, caifen::decode::encoding_for_label("utf-8")).map(|_| ()),
        Err(DecodeError::Invalid("UTF-8"))
    );
}

#[test]
fn b02_mostly_ascii_gbk_with_crlf() {
    let Some(t) = case_text("B02.txt") else {
        return;
    };
    assert!(t.contains("结论：基本合格。"), "{t}");
    assert!(!t.contains('\r'));
    assert_eq!(t.lines().count(), 7);
    assert!(t.starts_with("ID: 2024-A-017\nQ: 5\n"));
}

#[test]
fn b04_utf16le_bom_crlf_astral() {
    let Some(d) = cases() else { return };
    let doc = decode(&common::read(&d.join("B04.txt")), None).unwrap();
    assert_eq!(doc.encoding, "UTF-16LE");
    assert!(doc.bom);
    assert!(!doc.text.contains('\u{FEFF}') && !doc.text.contains('\r'));
    assert_eq!(
        segment(&doc.text).title.map(|s| s.slice(&doc.text)),
        Some("关于基层减负的几点思考")
    );
    for c in ["𠮷", "𩸽", "👍"] {
        assert!(doc.text.contains(c), "{c}");
    }
    assert!(!doc.text.contains('\u{FFFD}'));
}

#[test]
fn b06_utf8_wins_and_bomless_utf16_is_recognised() {
    let Some(d) = cases() else { return };
    let a = decode(&common::read(&d.join("B06a.txt")), None).unwrap();
    assert_eq!((a.text.as_str(), a.encoding), ("AI+5G: OK\n", "UTF-8"));
    let b = decode(&common::read(&d.join("B06b.txt")), None).unwrap();
    assert_eq!(b.encoding, "UTF-16LE");
    assert!(
        b.text.contains("结构清晰。") && !b.text.contains('\0'),
        "{:?}",
        b.text
    );
}

#[test]
fn b48_empty_answers_score_zero() {
    let Some(d) = cases() else { return };
    let r = rubric_yaml(rubric::builtin("shanxi_zhualuoshi").unwrap());
    for f in ["B48a.txt", "B48b.txt", "B48c.txt", "B48d.txt"] {
        let a = Checker::new(&r)
            .check_bytes(f, false, &common::read(&d.join(f)), None)
            .unwrap();
        assert!(a.empty, "{f}");
        assert_eq!(
            (a.score.total, a.score.percent, a.score.band.as_str()),
            (0.0, 0.0, "四类文"),
            "{f}"
        );
        assert_eq!(
            (a.counts.han, a.counts.grid, a.counts.nonspace),
            (0, 0, 0),
            "{f}"
        );
        assert_eq!(a.findings[0].rule, "empty-answer", "{f}");
        assert!(a.findings[0].message.contains("空白作答"));
    }
}

#[test]
fn b49_binary_is_rejected() {
    let Some(d) = cases() else { return };
    for f in ["B49a.txt", "B49b.txt", "B49c.txt"] {
        assert_eq!(
            decode(&common::read(&d.join(f)), None).map(|_| ()),
            Err(DecodeError::Binary),
            "{f}"
        );
    }
    assert_eq!(
        decode(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", None).map(|_| ()),
        Err(DecodeError::LegacyDoc)
    );
}

// ------------------------------------------------------------------ rubric loading

fn load_case(name: &str) -> Option<Result<Rubric, rubric::RubricError>> {
    let d = cases()?;
    let text = String::from_utf8(common::read(&d.join(name))).unwrap();
    Some(rubric::load(&text, name, name.trim_end_matches(".yaml")))
}

#[test]
fn b07_bom_rubric_loads_like_without() {
    let Some(with) = load_case("B07.yaml") else {
        return;
    };
    let with = with.unwrap();
    let text = String::from_utf8(common::read(&cases().unwrap().join("B07.yaml"))).unwrap();
    let without = rubric::load(text.trim_start_matches('\u{FEFF}'), "x", "B07").unwrap();
    assert_eq!(with.total, 14.0);
    assert_eq!(with.points.len(), 2);
    assert_eq!(
        with.points
            .iter()
            .map(|p| (&p.name, p.points))
            .collect::<Vec<_>>(),
        without
            .points
            .iter()
            .map(|p| (&p.name, p.points))
            .collect::<Vec<_>>()
    );
    assert_eq!(with.points[0].name, "群众路线");
}

#[test]
fn b08_tab_indentation_located() {
    let Some(r) = load_case("B08.yaml") else {
        return;
    };
    let e = r.unwrap_err();
    assert_eq!(e.problems.len(), 1);
    let p = &e.problems[0];
    assert_eq!((p.line, p.column), (Some(7), Some(1)));
    assert!(
        p.message.contains("tab") && p.message.contains("制表符"),
        "{}",
        p.message
    );
    assert!(e.to_string().starts_with("B08.yaml:7:1: "), "{e}");
}

#[test]
fn b09_character_column_and_written_key() {
    let Some(r) = load_case("B09.yaml") else {
        return;
    };
    let e = r.unwrap_err();
    let p = &e.problems[0];
    assert_eq!((p.line, p.column), (Some(4), Some(9)));
    assert!(e.to_string().contains("得分点[0].分值"), "{e}");
}

#[test]
fn b11_keywords_kept_as_written_and_null_is_empty() {
    let Some(r) = load_case("B11.yaml") else {
        return;
    };
    let e = r.unwrap_err();
    assert_eq!(e.problems.len(), 1, "{e}");
    assert_eq!(e.problems[0].line, Some(11));
    assert!(
        e.problems[0].message.contains("empty keyword in 得分点[0]"),
        "{e}"
    );
    // Without the `~`, every keyword is the exact text written.
    let text = String::from_utf8(common::read(&cases().unwrap().join("B11.yaml"))).unwrap();
    let r = rubric::load(&text.replace("      - ~\n", ""), "B11", "B11").unwrap();
    let terms: Vec<String> = r.points[0].groups[0]
        .terms
        .iter()
        .map(|t| match t {
            rubric::Term::Literal(s) => s.clone(),
            rubric::Term::Pattern(p) => p.as_str().to_owned(),
        })
        .collect();
    assert_eq!(terms, ["2035", "0755", "14.50", "no", "on", "1e3", "5G"]);
}

#[test]
fn b18_empty_keywords_are_errors_not_panics() {
    let Some(r) = load_case("B18.yaml") else {
        return;
    };
    let e = r.unwrap_err();
    assert_eq!(e.problems.len(), 3, "{e}");
    for p in &e.problems {
        assert_eq!(p.line, Some(5));
        assert_eq!(p.message, "empty keyword in 得分点[0] (line 5)");
    }
}

#[test]
fn forbidden_phrases_empty_once_normalised_are_errors() {
    // A zero-width space, a word joiner, a BOM: not whitespace, but removed by normalisation,
    // so the phrase would match between every two bytes of an answer (every byte reported).
    for invisible in ["\u{200B}", "\u{2060}\u{200B}", "\u{FEFF}"] {
        let yaml = format!(
            "total: 10\npoints:\n  - {{id: a, points: 10, keywords: [机制]}}\nlanguage:\n  forbidden:\n    - {{phrase: \"{invisible}\", penalty: 1}}\n    - {{phrase: 搞定, penalty: 2}}\n"
        );
        let e = rubric::load(&yaml, "r.yaml", "r").unwrap_err();
        let got: Vec<String> = e
            .problems
            .iter()
            .map(|p| format!("{}:{} {}", p.line.unwrap(), p.column.unwrap(), p.message))
            .collect();
        assert_eq!(got, ["6:8 empty phrase"], "{invisible:?}");
    }
    let ok = "total: 10\npoints:\n  - {id: a, points: 10, keywords: [机制]}\nlanguage:\n  forbidden:\n    - {phrase: \"搞\\u200B定\", penalty: 2}\n";
    let r = rubric::load(ok, "r.yaml", "r").unwrap();
    assert_eq!(r.language.forbidden[0].phrase, "搞定");
}

#[test]
fn rubric_semantic_errors_all_reported_in_one_pass() {
    let yaml = "total: 10\npoints:\n  - {id: a, points: 3, keywords: [治理]}\n  - {id: a, points: 3, patterns: ['(']}\n  - {id: c, points: 2, keywords: [x], groups: [{terms: [y]}]}\n";
    let e = rubric::load(yaml, "r.yaml", "r").unwrap_err();
    let msgs: Vec<String> = e
        .problems
        .iter()
        .map(|p| format!("{}:{} {}", p.line.unwrap(), p.column.unwrap(), p.message))
        .collect();
    assert_eq!(msgs.len(), 4, "{msgs:#?}");
    assert!(
        msgs[0].starts_with("1:1 total is 10 but the points add up to 8"),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("4:6 duplicate id `a`")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("invalid regex /(/")),
        "{msgs:#?}"
    );
    assert!(msgs.iter().any(|m| m.contains("not both")), "{msgs:#?}");
    let unknown = rubric::load(
        "题目: x\n得分点:\n  - {名称: a, 分值: 1, 关键词: [治理], 权重: 2}\n",
        "u.yaml",
        "u",
    )
    .unwrap_err();
    assert!(
        unknown.to_string().contains("unknown field `权重`"),
        "{unknown}"
    );
    assert_eq!(unknown.problems[0].line, Some(3));
}

// ------------------------------------------------------------------ matching

#[test]
fn b12_full_width_folded_for_matching() {
    let Some(t) = case_text("B12.txt") else {
        return;
    };
    let h = hits(&["2035年", "GDP", "5G", "AI"], &t);
    assert_eq!(
        h,
        [
            ("2035年".into(), 1, false),
            ("5G".into(), 1, false),
            ("AI".into(), 1, false),
            ("GDP".into(), 1, false)
        ]
    );
    // Hits are reported with the original text.
    let r = rubric_yaml("points:\n  - {id: p, points: 1, keywords: [GDP]}\n");
    assert_eq!(check(&r, &t).points[0].hits[0].at.text, "ＧＤＰ");
}

#[test]
fn b13_terms_that_are_not_one_token() {
    let Some(t) = case_text("B13.txt") else {
        return;
    };
    let h = hits(&["乡村振兴", "基层治理", "永远", "农业"], &t);
    assert_eq!(
        h,
        [
            ("乡村振兴".into(), 1, false),
            ("农业".into(), 0, false),
            ("基层治理".into(), 1, false),
            ("永远".into(), 1, false)
        ]
    );
}

#[test]
fn b14_substrings_inside_compounds_and_negation() {
    let Some(t) = case_text("B14.txt") else {
        return;
    };
    let h = hits(&["公平", "中国", "安全"], &t);
    assert_eq!(
        h,
        [
            ("中国".into(), 0, false),
            ("公平".into(), 0, false),
            ("安全".into(), 0, true)
        ]
    );
    let r = rubric_yaml("points:\n  - {id: p, name: 安全, points: 1, keywords: [安全]}\n");
    let a = check(&r, &t);
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == "negated-hit")
        .expect("negation finding");
    assert!(f.message.contains("否定"));
    assert_eq!(f.at.as_ref().unwrap().text, "安全");
}

#[test]
fn b15_latin_and_digit_keywords_on_word_boundaries() {
    let Some(t) = case_text("B15.txt") else {
        return;
    };
    assert_eq!(
        hits(&["AI", "APP", "12345"], &t),
        [
            ("12345".into(), 1, false),
            ("AI".into(), 1, false),
            ("APP".into(), 1, false)
        ]
    );
}

#[test]
fn b16_whitespace_between_cjk() {
    let Some(t) = case_text("B16.txt") else {
        return;
    };
    let r = rubric_yaml(
        "points:\n  - {id: p, points: 1, keywords: [乡村振兴, 基层治理, 农业农村优先发展]}\n",
    );
    let a = check(&r, &t);
    let found: Vec<(&str, bool)> = a.points[0]
        .hits
        .iter()
        .map(|h| (h.term.as_str(), h.across_space))
        .collect();
    assert_eq!(
        found,
        [
            ("乡村振兴", true),
            ("农业农村优先发展", true),
            ("基层治理", true)
        ]
    );
    assert_eq!(a.counts.han, 26);
    let seg = segment(&t);
    assert_eq!(seg.paragraphs.len(), 2);
    assert!(!seg.paragraphs[0].slice(&t).starts_with('\u{3000}'));
}

#[test]
fn b17_long_line_without_punctuation() {
    let Some(t) = case_text("B17.txt") else {
        return;
    };
    let r = rubric_yaml("points:\n  - {id: p, points: 1, keywords: [中国]}\n");
    let a = check(&r, &t);
    assert_eq!((a.structure.paragraphs, a.structure.sentences), (1, 1));
    assert!(a
        .findings
        .iter()
        .any(|f| f.rule == "no-terminal-punctuation"));
    assert_eq!(a.counts.han, 22_600);
}

#[test]
fn b19_keywords_with_symbols() {
    let Some(t) = case_text("B19.txt") else {
        return;
    };
    let terms = ["放管服", "互联网+", "5G+", "Wi-Fi", "C919"];
    for (term, n, _) in hits(&terms, &t) {
        assert_eq!(n, 1, "{term}");
    }
}

#[test]
fn b35_invisible_characters_inside_keywords() {
    let Some(t) = case_text("B35.txt") else {
        return;
    };
    let terms = [
        "基层治理",
        "共同富裕",
        "人民至上",
        "营商环境",
        "乡村振兴",
        "数字政府",
    ];
    for (term, n, _) in hits(&terms, &t) {
        assert_eq!(n, 1, "{term}");
    }
    let r = rubric_yaml("points:\n  - {id: p, points: 1, keywords: [基层治理]}\n");
    let a = check(&r, &t);
    assert_eq!(a.counts.han, 32);
    let f = a
        .findings
        .iter()
        .find(|f| f.rule == "invisible-characters")
        .unwrap();
    assert_eq!(
        f.message,
        "已移除5个不可见格式字符；1个不换行空格按空格处理"
    );
}

#[test]
fn b46_overlapping_synonyms_count_once() {
    let Some(t) = case_text("B46.txt") else {
        return;
    };
    let Some(Ok(r)) = load_case("B46.yaml") else {
        panic!("B46.yaml")
    };
    let a = check(&r, &t);
    let found: Vec<&str> = a.points[0].hits.iter().map(|h| h.term.as_str()).collect();
    assert_eq!(found, ["乡村振兴战略", "振兴乡村"]);
    assert_eq!(a.points[0].score, 6.0);
}

// ------------------------------------------------------------------ sentences and structure

fn sentences(t: &str) -> Vec<String> {
    let seg = segment(t);
    let mut out = Vec::new();
    for p in &seg.paragraphs {
        let ss = split_sentences(t, *p);
        let joined: String = ss.iter().map(|(s, _)| s.slice(t)).collect();
        assert_eq!(
            joined,
            p.slice(t),
            "sentences concatenate back to the paragraph"
        );
        for (s, _) in ss {
            let text = s.slice(t).trim().to_owned();
            assert!(
                !text.starts_with([
                    '”', '’', '）', '》', '"', '」', '』', '】', '〉', '〕', '〗', '］', '，',
                    '、', '：', ',', ':'
                ]),
                "{text}"
            );
            out.push(text);
        }
    }
    out
}

/// The brackets 〔〕 (国发〔2023〕12号), 〖〗 and ［］ were not known as brackets: a terminal mark
/// inside them ended the sentence there, and the next one began with the closing bracket.
/// They now bracket like 【】 (a sentence ending inside them ends at the closing bracket).
#[test]
fn b22_terminal_marks_inside_other_brackets() {
    let t = "标题\n依据文件〔2023。〕执行。他说〖注意！〗要落实。结论［见附件。］很好。\n";
    assert_eq!(
        sentences(t),
        [
            "依据文件〔2023。〕",
            "执行。",
            "他说〖注意！〗",
            "要落实。",
            "结论［见附件。］",
            "很好。"
        ]
    );
}

/// A half-width full stop closing a heading marker (`一.`, accepted as a non-standard 一、; `1 .`;
/// `１.`) ended a sentence: the marker alone was counted as a sentence before its headline.
#[test]
fn b25_a_dot_closing_a_heading_marker_ends_no_sentence() {
    let t =
        "标题\n一.坚持问题导向。要抓落实。\n1 . 强化督办。要压实责任。\n１.完善考核。好。\n三.\n";
    assert_eq!(
        sentences(t),
        [
            "一.坚持问题导向。",
            "要抓落实。",
            "1 . 强化督办。",
            "要压实责任。",
            "１.完善考核。",
            "好。",
            "三."
        ]
    );
}

/// An ellipsis closing a list after 等 (`等……` `等...`) ended the sentence, and a run of
/// terminal marks followed by a clause mark (`……，` `！”，`) left the next sentence opening with
/// the comma. Both now go on; an ellipsis elsewhere, or after 等 at the end of the paragraph,
/// still ends its sentence.
#[test]
fn b21_a_list_ellipsis_or_a_clause_mark_ends_no_sentence() {
    let t = "标题\n围绕文件、会议、考核等……，持续减负。对督查检查等...进行压减。\n             他喊：“出发！”，大家跟上。建立清单制度……这些做法值得推广。\n             涉及文件、会议等……\n";
    assert_eq!(
        sentences(t),
        [
            "围绕文件、会议、考核等……，持续减负。",
            "对督查检查等...进行压减。",
            "他喊：“出发！”，大家跟上。",
            "建立清单制度……",
            "这些做法值得推广。",
            "涉及文件、会议等……"
        ]
    );
    let seg = segment(t);
    assert!(seg.sentences.iter().all(|s| s.terminated));
}

#[test]
fn b21_closing_quote_after_full_stop() {
    let Some(t) = case_text("B21.txt") else {
        return;
    };
    assert_eq!(
        sentences(&t),
        [
            "老支书常说：“群众的事再小也是大事。”",
            "这句话值得深思。",
            "他问：“你们为群众办了几件实事？”",
            "大家一时答不上来。",
            "“干就完了！”他笑着补了一句，会场气氛轻松了许多。"
        ]
    );
}

#[test]
fn b22_marks_inside_titles_and_brackets() {
    let Some(t) = case_text("B22.txt") else {
        return;
    };
    assert_eq!(
        sentences(&t),
        [
            "最近热播的纪录片《追梦吧！少年》引发热议（相关报道见附件。）",
            "节目里的“你准备好了吗？”一句也成了流行语。"
        ]
    );
}

#[test]
fn b24_last_sentence_without_terminal_mark() {
    let Some(t) = case_text("B24.txt") else {
        return;
    };
    let s = sentences(&t);
    assert_eq!(s.len(), 2);
    assert!(s[0].ends_with("……") && s[1].ends_with('”'));
    let r = rubric_yaml("points:\n  - {id: p, points: 1, keywords: [基层]}\n");
    let a = check(&r, &t);
    let f: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule == "no-terminal-punctuation")
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].at.as_ref().unwrap().paragraph, Some(2));
}

#[test]
fn b25_half_width_marks_end_sentences() {
    let Some(t) = case_text("B25.txt") else {
        return;
    };
    let s = sentences(&t);
    assert_eq!(s.len(), 6, "{s:#?}");
    assert!(s[0].ends_with("当大事\"."));
    assert_eq!(s[1], "怎么做?");
    assert!(s[2].ends_with("精准施策!"));
    assert!(s[3].ends_with("久久为功."));
    assert!(s[4].ends_with("\"口碑\"."));
    assert_eq!(s[5], "'测试'.");
}

#[test]
fn b26_headings_behind_invisible_characters() {
    let Some(t) = case_text("B26.txt") else {
        return;
    };
    let seg = segment(&t);
    assert_eq!(
        seg.title.map(|s| s.slice(&t)),
        Some("关于加强基层治理的思考")
    );
    let h1: Vec<(u32, &str, bool)> = seg
        .h1()
        .map(|h| (h.number, h.text.slice(&t), h.nonstandard))
        .collect();
    assert_eq!(
        h1,
        [
            (1, "坚持党建引领", false),
            (2, "夯实基层基础", false),
            (3, "创新治理方式", false),
            (4, "强化数字赋能", false),
            (5, "完善制度保障", false),
            (11, "补充说明", false),
            (20, "结语", false),
            (1, "全角句点", true),
            (1, "半角句点", true)
        ]
    );
    let h2: Vec<(u32, &str, bool)> = seg
        .h2()
        .map(|h| (h.number, h.text.slice(&t), h.nonstandard))
        .collect();
    assert_eq!(h2, [(10, "细化措施", false), (1, "半角括号", true)]);
    assert!(seg
        .headings
        .iter()
        .all(|h| h.style == Style::CnDun || h.style == Style::CnParen));
}

#[test]
fn b38_crlf_and_lone_cr() {
    let Some(t) = case_text("B38.txt") else {
        return;
    };
    let seg = segment(&t);
    let h: Vec<&str> = seg.h1().map(|h| h.text.slice(&t)).collect();
    assert_eq!(h, ["问题", "对策", "保障"]);
    let re = regex::Regex::new("(?m)。$").unwrap();
    assert_eq!(re.find_iter(&t).count(), 3);
}

// ------------------------------------------------------------------ counting

#[test]
fn counts_equal_the_reference_conventions() {
    let Some(d) = cases() else { return };
    let expected: serde_json::Value =
        serde_json::from_slice(&common::read(&d.join("expected_counts.json"))).unwrap();
    for (file, want) in expected.as_object().unwrap() {
        let t = decode(&common::read(&d.join(file)), None).unwrap().text;
        let c = count(&t);
        let got = serde_json::json!({
            "han": c.han, "cjk_punct": c.cjk_punct, "alnum_runs": c.alnum_runs,
            "other_symbols": c.other_symbols, "grid": c.grid, "nonspace": c.nonspace, "indent_chars": c.indent_chars,
        });
        let mut want = want.clone();
        want["alnum_runs"] = serde_json::json!(want["alnum_runs"].as_array().unwrap().len());
        assert_eq!(got, want, "{file}");
    }
}

/// The same counts whatever the encoding and line ends an answer was saved with: each reference
/// file re-encoded as Windows and Word save text (UTF-16 with and without BOM in both byte orders,
/// GB18030, UTF-8 with BOM, CRLF and lone CR). Without a BOM, UTF-16 of Chinese text holding a
/// few digits or letters and U+3000 indentation (B33, B34, B45) was refused as binary.
#[test]
fn counts_equal_the_reference_conventions_in_every_encoding() {
    let Some(d) = cases() else { return };
    let expected: serde_json::Value =
        serde_json::from_slice(&common::read(&d.join("expected_counts.json"))).unwrap();
    let utf16 = |t: &str, le: bool, bom: bool| -> Vec<u8> {
        let bom = if bom { Some(0xFEFF_u16) } else { None };
        bom.into_iter()
            .chain(t.encode_utf16())
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect()
    };
    let mut failures = Vec::new();
    for (file, want) in expected.as_object().unwrap() {
        let t = decode(&common::read(&d.join(file)), None).unwrap().text;
        let mut want = want.clone();
        want["alnum_runs"] = serde_json::json!(want["alnum_runs"].as_array().unwrap().len());
        let saved: Vec<(&str, Vec<u8>, &str)> = vec![
            ("utf-16le bom", utf16(&t, true, true), "UTF-16LE"),
            ("utf-16be bom", utf16(&t, false, true), "UTF-16BE"),
            ("utf-16le", utf16(&t, true, false), "UTF-16LE"),
            ("utf-16be", utf16(&t, false, false), "UTF-16BE"),
            (
                "utf-16le crlf",
                utf16(&t.replace('\n', "\r\n"), true, false),
                "UTF-16LE",
            ),
            (
                "gb18030",
                encoding_rs::GB18030.encode(&t).0.into_owned(),
                // Characters GBK lacks take GB18030's four-byte sequences: named GB18030.
                if encoding_rs::GBK.encode(&t).2 {
                    "GB18030"
                } else {
                    "GBK"
                },
            ),
            (
                "utf-8 bom",
                [&[0xEF, 0xBB, 0xBF][..], t.as_bytes()].concat(),
                "UTF-8",
            ),
            ("crlf", t.replace('\n', "\r\n").into_bytes(), "UTF-8"),
            ("cr", t.replace('\n', "\r").into_bytes(), "UTF-8"),
        ];
        for (how, bytes, encoding) in saved {
            let doc = match decode(&bytes, None) {
                Ok(doc) => doc,
                Err(e) => {
                    failures.push(format!("{file} as {how}: {e}"));
                    continue;
                }
            };
            let c = count(&doc.text);
            let got = serde_json::json!({
                "han": c.han, "cjk_punct": c.cjk_punct, "alnum_runs": c.alnum_runs,
                "other_symbols": c.other_symbols, "grid": c.grid, "nonspace": c.nonspace, "indent_chars": c.indent_chars,
            });
            if (doc.encoding, &doc.text, &got) != (encoding, &t, &want) {
                failures.push(format!("{file} as {how}: {} {got}", doc.encoding));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn b43_display_width_is_one_function() {
    use caifen::output::pretty::width;
    let cells: Vec<usize> = [
        "乡村振兴",
        "“放管服”",
        "①基层治理",
        "——",
        "ＡＩ审批",
        "…",
        "𠮷",
    ]
    .iter()
    .map(|s| width(s))
    .collect();
    assert_eq!(cells, [8, 10, 10, 4, 8, 2, 2]);
}

// ------------------------------------------------------------------ diff rendering

/// B39/B40: the diff crate is built with its `unicode` and `inline` features, so Chinese text is
/// diffed by word inside a line, on character boundaries (what the outline diff and the reference
/// diff rely on).
#[test]
fn b39_b40_chinese_inline_diff_on_char_boundaries() {
    use similar::{ChangeTag, TextDiff};
    let Some(model) = case_text("B39.model.txt") else {
        return;
    };
    let answer = case_text("B39.answer.txt").unwrap();
    let diff = TextDiff::from_lines(&model, &answer);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for op in diff.ops() {
        for change in diff.iter_inline_changes(op) {
            for (emph, s) in change.iter_strings_lossy() {
                if emph {
                    match change.tag() {
                        ChangeTag::Delete => removed.push(s.into_owned()),
                        ChangeTag::Insert => added.push(s.into_owned()),
                        ChangeTag::Equal => {}
                    }
                }
            }
        }
    }
    assert_eq!(
        (removed, added),
        (
            vec!["中".to_owned(), "落脚点".to_owned()],
            vec!["核".to_owned(), "归宿".to_owned()]
        )
    );
    let m = case_text("B40.model.txt").unwrap();
    let a = case_text("B40.answer.txt").unwrap();
    let d = TextDiff::from_chars(m.trim_end(), a.trim_end());
    let equal: Vec<String> = d
        .iter_all_changes()
        .filter(|c| c.tag() == ChangeTag::Equal)
        .map(|c| c.value().to_owned())
        .collect();
    assert!(
        equal.concat().starts_with("干部服务") && equal.concat().ends_with("弱。"),
        "{equal:?}"
    );
}

/// B41: the outline diff has no deadline: the same report gives the same diff however long the
/// outlines (here, a long answer's), and it reconstructs both sides.
#[test]
fn b41_outline_diff_is_deterministic() {
    let Some(t) = case_text("B41.answer.txt") else {
        return;
    };
    let r = rubric_yaml(rubric::builtin("shanxi_zhualuoshi").unwrap());
    let a = check(&r, &t);
    let first = caifen::output::outline_diff(&a);
    assert_eq!(first.len(), caifen::output::outline_diff(&a).len());
    let old: Vec<&str> = first
        .iter()
        .filter(|l| l.tag != '+')
        .map(|l| l.key.as_str())
        .collect();
    let new: Vec<&str> = first
        .iter()
        .filter(|l| l.tag != '-')
        .map(|l| l.key.as_str())
        .collect();
    assert_eq!(
        old,
        a.expected_outline
            .iter()
            .map(|l| l.key.as_str())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        new,
        a.answer_outline
            .iter()
            .map(|l| l.key.as_str())
            .collect::<Vec<_>>()
    );
}
