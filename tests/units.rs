//! Table-driven tests of the pipeline stages on small Chinese inputs; each table reports every
//! failing row at once.

use caifen::count::count;
use caifen::decode::decode;
use caifen::normalize::Normalized;
use caifen::report::Checker;
use caifen::rubric;
use caifen::segment::{segment, Segmented, Style};
use caifen::span::{LineIndex, Span};

fn report_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failing rows:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn line_index_gives_character_columns() {
    let t = "标题\n第二行：中文ab\n";
    let idx = LineIndex::new(t);
    let at = t.find("ab").unwrap();
    let lc = idx.line_col(t, at);
    assert_eq!((lc.line, lc.column), (2, 7));
    assert_eq!(idx.chars_at(t, at), 9);
}

#[test]
fn normalised_spans_map_back_to_the_original() {
    let t = "推进 乡村\u{200B}振兴，ＧＤＰ增长";
    let n = Normalized::new(t);
    assert_eq!(n.text, "推进乡村振兴，GDP增长");
    let s = n.text.find("乡村振兴").unwrap();
    let o = n.to_original(Span::new(s, s + "乡村振兴".len()));
    assert_eq!(o.slice(t), "乡村\u{200B}振兴");
    let g = n.text.find("GDP").unwrap();
    assert_eq!(n.to_original(Span::new(g, g + 3)).slice(t), "ＧＤＰ");
    assert_eq!(
        (n.invisible_removed, n.width_folded, n.spaces_dropped),
        (1, 3, 1)
    );
    // Radicals from PDF text fold to the ideograph.
    assert_eq!(Normalized::new("⼈⺠⻔").text, "人民门");
}

#[test]
fn counts_by_convention() {
    let rows: &[(&str, usize, usize, usize)] = &[
        // text, han, grid, nonspace
        ("乡村振兴。", 4, 5, 5),
        ("　　2035年", 1, 3, 5),
        ("5G网络", 2, 3, 4),
        ("“放管服”", 3, 5, 5),
        ("增长5.2%", 2, 4, 6),
        ("Adobe Photoshop", 0, 8, 14),
        ("", 0, 0, 0),
    ];
    let mut failures = Vec::new();
    for &(t, han, grid, nonspace) in rows {
        let c = count(t);
        if (c.han, c.grid, c.nonspace) != (han, grid, nonspace) {
            failures.push(format!(
                "{t:?}: got han {} grid {} nonspace {}",
                c.han, c.grid, c.nonspace
            ));
        }
    }
    report_failures(failures);
}

#[test]
fn decoding_table() {
    let gbk = encoding_rs::GBK
        .encode("关于基层减负的思考\n")
        .0
        .into_owned();
    let big5 = encoding_rs::BIG5
        .encode("關於基層減負的思考，我們認為應當如此。\n")
        .0
        .into_owned();
    let mut utf16be = vec![0xFE, 0xFF];
    for u in "标题\r\n正文".encode_utf16() {
        utf16be.extend(u.to_be_bytes());
    }
    type Want = Result<(&'static str, &'static str), ()>;
    let rows: Vec<(&str, Vec<u8>, Want)> = vec![
        (
            "utf-8",
            "标题\r\n正文\r".as_bytes().to_vec(),
            Ok(("UTF-8", "标题\n正文\n")),
        ),
        (
            "utf-8 bom",
            [&[0xEF, 0xBB, 0xBF][..], "正文".as_bytes()].concat(),
            Ok(("UTF-8", "正文")),
        ),
        ("utf-16be bom", utf16be, Ok(("UTF-16BE", "标题\n正文"))),
        ("gbk", gbk, Ok(("GBK", "关于基层减负的思考\n"))),
        (
            "big5",
            big5,
            Ok(("Big5", "關於基層減負的思考，我們認為應當如此。\n")),
        ),
        // Valid UTF-8 is text in any script (found by the property tests: deleting a sentence
        // left `ꀀ。`, which was called binary).
        (
            "utf-8 yi",
            "ꀀ。".as_bytes().to_vec(),
            Ok(("UTF-8", "ꀀ。")),
        ),
        (
            "utf-8 greek",
            "αβγδ εζ".as_bytes().to_vec(),
            Ok(("UTF-8", "αβγδ εζ")),
        ),
        ("utf-8 control", "ꀀ\u{1}".as_bytes().to_vec(), Err(())),
        ("nul", vec![b'a', 0, b'b', b'c', b'd'], Err(())),
        ("control", b"abc\x01def".to_vec(), Err(())),
    ];
    let mut failures = Vec::new();
    for (name, bytes, want) in rows {
        let got = decode(&bytes, None)
            .map(|d| (d.encoding, d.text))
            .map_err(|_| ());
        let got_ref = got.as_ref().map(|(e, t)| (*e, t.as_str())).map_err(|_| ());
        if got_ref != want {
            failures.push(format!("{name}: got {got:?}"));
        }
    }
    report_failures(failures);
}

/// Line ends other than CR and LF: a text answer copied from Word holds VT (a manual line break,
/// Shift+Enter) or FF (a page break), one from the web or a phone U+2028/U+2029, one from an old
/// system NEL (U+0085). VT and NEL made the whole answer "binary" (not checked at all); FF, U+2028
/// and U+2029 were kept inside a line, so a heading ran on into the next line's sentence and the
/// title took in the first heading. Each is now a line end like `\n`.
#[test]
fn every_unicode_line_end_ends_a_line() {
    for sep in [
        "\u{B}", "\u{C}", "\u{85}", "\u{2028}", "\u{2029}", "\r\n", "\r",
    ] {
        let text = [
            "关于基层减负的思考",
            "一、坚持问题导向",
            "要抓落实，见实效。",
            "二、强化督办问责",
            "要层层压实责任。",
        ]
        .join(sep);
        // GBK has no form of NEL, U+2028 and U+2029.
        let mut forms = vec![text.as_bytes().to_vec()];
        if sep.is_ascii() {
            forms.push(encoding_rs::GBK.encode(&text).0.into_owned());
        }
        for bytes in forms {
            let d = decode(&bytes, None).unwrap();
            assert_eq!(d.line_ends_normalised, 4, "{sep:?}");
            assert_eq!(d.text, text.replace(sep, "\n"), "{sep:?}");
            let seg = segment(&d.text);
            let title = seg.title.map(|t| t.slice(&d.text).to_string());
            assert_eq!(title.as_deref(), Some("关于基层减负的思考"), "{sep:?}");
            let heads: Vec<&str> = seg.headings.iter().map(|h| h.text.slice(&d.text)).collect();
            assert_eq!(heads, ["坚持问题导向", "强化督办问责"], "{sep:?}");
        }
    }
    // Other C0 and C1 controls are still binary.
    assert!(decode("关于\u{1}减负".as_bytes(), None).is_err());
    assert!(decode("关于\u{86}减负".as_bytes(), None).is_err());
}

#[test]
fn heading_styles_found_in_the_corpus() {
    let rows: &[(&str, Style, usize)] = &[
        ("题目\n一、甲事项。内容。\n二、乙事项。内容。\n", Style::CnDun, 2),
        ("题目\n开头。\n（一）甲事项。内容。\n（二）乙事项。内容。\n", Style::CnParen, 2),
        ("题目\n开头。\n1.甲事项。内容。2.乙事项。内容。3．丙事项。内容。\n", Style::DigitDot, 3),
        ("题目\n开头。\n1、甲事项。内容。\n2、乙事项。内容。\n", Style::DigitDun, 2),
        ("题目\n开头。\n(1)甲事项。内容。\n(2)乙事项。内容。\n", Style::DigitParen, 2),
        ("题目\n我们的做法：一是甲事项，内容。二是乙事项，内容。三是丙事项。\n", Style::CnShi, 3),
        ("题目\n开头。\n首先，要做甲。其次，要做乙。最后，要做丙。\n", Style::Shouxian, 3),
        ("题目\n开头。第一，做甲事项。第二，做乙事项。\n", Style::CnDi, 2),
        ("事项一：消防安全。工作内容：1.检查。事项二：食品安全。工作内容：1.检查。", Style::Label, 2),
        ("题目\n开头一句话说明背景情况。\n成立组织，摸排原因。县里做了很多工作。\n建设设施，综合治理。乡里做了很多工作。\n结尾。\n", Style::Lead, 2),
    ];
    let mut failures = Vec::new();
    for &(t, style, n) in rows {
        let seg = segment(t);
        let h1: Vec<_> = seg.h1().collect();
        if h1.len() != n || h1.iter().any(|h| h.style != style) {
            let got: Vec<String> = h1
                .iter()
                .map(|h| format!("{:?} {}", h.style, h.text.slice(t)))
                .collect();
            failures.push(format!("{t:?}: want {n} {style:?}, got {got:?}"));
        }
    }
    report_failures(failures);
}

#[test]
fn single_line_answers_split_title_salutation_and_body() {
    let rows: &[(&str, &str, &str)] = &[
        (
            "关于某局的工作经验交流材料提纲背景：我局做了很多工作。经验：一、甲。二、乙。",
            "关于某局的工作经验交流材料提纲",
            "",
        ),
        (
            "致全市人民的公开信各位市民朋友：近日我局开展执法。一是甲。二是乙。",
            "致全市人民的公开信",
            "各位市民朋友",
        ),
        (
            "创新监管 优化服务各位领导、同事，大家好!我代表本局发言。一、甲。二、乙。",
            "创新监管 优化服务",
            "各位领导、同事",
        ),
        // No title: the answer opens with its 称谓, which is not cut into a title and a 称谓.
        (
            "广大市民朋友们：\n清明节即将来临，我们发出如下倡议：\n一、文明祭扫。\n二、绿色出行。\n",
            "",
            "广大市民朋友们",
        ),
        (
            "尊敬的各位领导、亲爱的同学们：\n今天，我代表全体教师发言。\n一是甲。二是乙。\n",
            "",
            "尊敬的各位领导、亲爱的同学们",
        ),
        (
            "全县广大青少年朋友们：近日，我们发出倡议。一、文明上网。二、健康生活。",
            "",
            "全县广大青少年朋友们",
        ),
    ];
    let mut failures = Vec::new();
    for &(t, title, sal) in rows {
        let seg = segment(t);
        let got = (
            seg.title.map_or("", |s| s.slice(t)),
            seg.salutation.map_or("", |s| s.slice(t)),
        );
        if got != (title, sal) {
            failures.push(format!("{t:?}: got {got:?}"));
        }
    }
    report_failures(failures);
}

fn score_of(yaml: &str, text: &str) -> caifen::score::Score {
    let r = rubric::load(yaml, "t.yaml", "t").unwrap_or_else(|e| panic!("{e}"));
    Checker::new(&r)
        .check_bytes("t", false, text.as_bytes(), None)
        .unwrap()
        .score
}

#[test]
fn partial_credit_and_min_groups() {
    let yaml = "form_gate: 0\npoints:\n  - id: a\n    points: 6\n    groups:\n      - {terms: [考核]}\n      - {terms: [奖惩, 激励]}\n      - {terms: [容错]}\n  - id: b\n    points: 4\n    groups:\n      - {terms: [出口]}\n      - {terms: [增收]}\n      - {terms: [货值]}\n    min_groups: 2\n";
    let rows: &[(&str, f64, f64)] = &[
        ("完善考核办法。", 2.0, 0.0),
        ("完善考核奖惩，建立容错机制。", 6.0, 0.0),
        ("扩大出口，带动增收。", 0.0, 4.0),
        ("扩大出口。", 0.0, 2.0),
        ("不考核。", 0.0, 0.0),
    ];
    let mut failures = Vec::new();
    for &(t, a, b) in rows {
        let s = score_of(yaml, t);
        if (s.points[0].score, s.points[1].score) != (a, b) {
            failures.push(format!(
                "{t}: got {} {}",
                s.points[0].score, s.points[1].score
            ));
        }
    }
    report_failures(failures);
}

#[test]
fn length_points_fall_off_linearly() {
    let yaml = "form_gate: 0\nlength: {max: 10, convention: han, points: 10, falloff: 30}\npoints:\n  - {id: a, points: 1, keywords: [甲]}\n";
    let rows: &[(usize, f64)] = &[
        (5, 10.0),
        (10, 10.0),
        (11, 6.67),
        (12, 3.33),
        (13, 0.0),
        (20, 0.0),
    ];
    let mut failures = Vec::new();
    for &(n, want) in rows {
        let t = "甲".repeat(n);
        let s = score_of(yaml, &t);
        let got = s.length.as_ref().unwrap().score;
        if (got - want).abs() > 0.01 {
            failures.push(format!("{n} han: got {got}, want {want}"));
        }
    }
    report_failures(failures);
}

#[test]
fn bands_and_form_gate() {
    // Total 20: content 10, structure 10. Bands at 85/70/55.
    let yaml = "points:\n  - {id: a, points: 10, groups: [{terms: [机制]}, {terms: [清单]}, {terms: [督办]}, {terms: [考核]}]}\nstructure:\n  title: {points: 5}\n  closing: {points: 5}\n";
    let full = score_of(
        yaml,
        "标题\n一、建立机制。\n二、清单管理。\n三、督办考核。\n今后我们将继续努力。\n",
    );
    assert_eq!(
        (full.total, full.band.as_str(), full.form_factor),
        (20.0, "一类文", 1.0)
    );
    // One group of four: content 25%, below the 40% gate, so form points scale by 25/40.
    let off = score_of(
        yaml,
        "标题\n一、建立机制。\n二、没有别的。\n今后我们将继续努力。\n",
    );
    assert_eq!(off.points[0].score, 2.5);
    assert_eq!(off.form_factor, 0.63);
    assert_eq!(off.band, "四类文");
}

#[test]
fn chinese_and_english_keys_load_the_same_rubric() {
    let zh = "题目: 基层治理\n总分: 10\n字数: {不超过: 500, 计数: han, 分值: 2}\n得分点:\n  - {编号: a, 名称: 群众路线, 分值: 8, 关键词: [人民至上], 范围: body, 提示: 写群众路线}\n";
    let en = "question: 基层治理\ntotal: 10\nlength: {max: 500, convention: han, points: 2}\npoints:\n  - {id: a, name: 群众路线, points: 8, keywords: [人民至上], scope: body, hint: 写群众路线}\n";
    let a = rubric::load(zh, "zh", "zh").unwrap();
    let b = rubric::load(en, "en", "en").unwrap();
    assert_eq!(
        (a.total, a.points[0].points, a.points[0].scope),
        (b.total, b.points[0].points, b.points[0].scope)
    );
    assert_eq!(a.length.unwrap().limit, b.length.unwrap().limit);
}

#[test]
fn heading_styles_a_question_accepts() {
    let yaml = "form_gate: 0\nstructure:\n  headings: {min: 2, max: 4, points: 4, styles: [一、, (一)]}\npoints:\n  - {id: a, points: 1, keywords: [甲]}\n";
    let ok = score_of(yaml, "题目\n一、甲事项。内容。\n二、乙事项。内容。\n");
    let other = score_of(yaml, "题目\n1.甲事项。内容。\n2.乙事项。内容。\n");
    let h = |s: &caifen::score::Score| {
        s.structure
            .iter()
            .find(|x| x.slot == "headings")
            .unwrap()
            .score
    };
    assert_eq!((h(&ok), h(&other)), (4.0, 2.0));
    // The finding names a style without a number in Chinese (it showed `lead`).
    let r = rubric::load(yaml, "t.yaml", "t").unwrap();
    let lead = Checker::new(&r)
        .check_bytes(
            "t",
            false,
            "题目\n开头一段，说明情况。\n甲事项\n内容一段。\n乙事项\n内容一段。\n".as_bytes(),
            None,
        )
        .unwrap();
    let messages: Vec<&str> = lead.findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        messages.contains(&"小标题编号样式「无编号」不在本题接受的样式（一、 （一））中"),
        "{messages:?}"
    );
    let bad = rubric::load("structure:\n  headings: {styles: [一.]}\npoints:\n  - {id: a, points: 1, keywords: [甲]}\n", "s.yaml", "s").unwrap_err();
    assert!(
        bad.to_string()
            .contains("s.yaml:2:23: structure.headings.styles[0]: unknown numbering style `一.`"),
        "{bad}"
    );
}

#[test]
fn negation_right_before_or_one_word_before() {
    let yaml = "form_gate: 0\npoints:\n  - {id: a, points: 1, keywords: [机制]}\n";
    let rows: &[(&str, f64)] = &[
        ("建立了机制。", 1.0),
        ("不断完善机制。", 1.0),
        ("未建立机制。", 0.0),
        ("尚未建立工作机制。", 1.0),
        ("尚未建立机制。", 0.0),
        ("没有机制。", 0.0),
        ("没有人，机制也在。", 1.0),
    ];
    let mut failures = Vec::new();
    for &(t, want) in rows {
        let got = score_of(yaml, t).points[0].score;
        if got != want {
            failures.push(format!("{t}: got {got}, want {want}"));
        }
    }
    report_failures(failures);
}

#[test]
fn bomless_utf16_of_chinese_only_text() {
    let text = "关于基层减负的思考\n基层减负，关键在落实。\n";
    for (le, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect();
        let d = decode(&bytes, None).unwrap();
        assert_eq!((d.encoding, d.text.as_str()), (name, text));
    }
}

/// BOM-less UTF-16 of answers as students write them: U+3000 indentation and 一 (U+4E00) put
/// NULs in the other byte of their unit, and a few digits or letters are too few for the NUL
/// pattern alone (these were refused as binary); English read in the wrong byte order lands
/// among the Han characters (it was read as little-endian garbage).
#[test]
fn bomless_utf16_of_mixed_text() {
    let texts = [
        "　　我局推进5G基站建设，一年新建120个，覆盖率达到98%。\n",
        "关于AI审批的思考\n　　一是建立机制。二是压实责任。\r\n",
        "The city built 120 new 5G base stations this year, a rise of 30%.\nIt will go on.\n",
    ];
    let mut failures = Vec::new();
    for text in texts {
        for (le, name) in [(true, "UTF-16LE"), (false, "UTF-16BE")] {
            let bytes: Vec<u8> = text
                .encode_utf16()
                .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
                .collect();
            let got = decode(&bytes, None).map(|d| (d.encoding, d.text));
            let want = text.replace("\r\n", "\n");
            if got.as_ref().map(|(e, t)| (*e, t.as_str())) != Ok((name, want.as_str())) {
                failures.push(format!("{name} {text:?}: got {got:?}"));
            }
        }
    }
    report_failures(failures);
}

/// Heading markers in full-width digits (１． １、 （１） １）, typed with a Chinese input method
/// in full-width mode) were not markers: a line of them was at best a `lead` heading with the
/// marker inside its text, numbered by position; now they are the digit styles, read as 1. 1、
/// （1） 1）, the digits still flagged by the full-width-digits rule.
#[test]
fn full_width_digit_heading_markers() {
    for (marks, style) in [
        (["１．", "２．", "１２．"], Style::DigitDot),
        (["１、", "２、", "１２、"], Style::DigitDun),
        (["（１）", "（２）", "（１２）"], Style::DigitParen),
        (["１）", "２）", "１２）"], Style::DigitHalfParen),
    ] {
        let text = format!(
            "关于基层减负的经验材料\n近年来，我们坚持抓落实。\n{}坚持问题导向。要抓落实，见实效。\n{}强化督办问责。要层层压实责任。\n{}完善考核机制。要用好考核。\n总之，我们将继续努力。\n",
            marks[0], marks[1], marks[2]
        );
        let seg = segment(&text);
        let got = headings_of(&seg, &text);
        assert_eq!(
            got,
            [
                (style, 1, marks[0], "坚持问题导向"),
                (style, 2, marks[1], "强化督办问责"),
                (style, 12, marks[2], "完善考核机制"),
            ]
        );
    }
    // A full-width decimal is still no marker.
    assert_eq!(caifen::segment::heading_marker("１．５倍"), None);
}

/// A Chinese numeral closed by a colon (`一：坚持问题导向`) was a lead heading whose text was the
/// numeral alone (「一」), the marker lost. It is 一、 written another way, as 一． and 一. are:
/// the 一、 style with its number, the heading text after the colon, flagged non-standard.
/// Each heading's style, number, marker and headline, as quoted from `text`.
fn headings_of<'t>(seg: &Segmented, text: &'t str) -> Vec<(Style, u32, &'t str, &'t str)> {
    seg.headings
        .iter()
        .map(|h| (h.style, h.number, h.marker.slice(text), h.text.slice(text)))
        .collect()
}

#[test]
fn a_chinese_numeral_closed_by_a_colon_is_a_marker() {
    for colon in ["：", ":"] {
        let text = format!(
            "关于抓落实的经验材料\n近年来，我们狠抓落实。\n一{colon}坚持问题导向\n要抓落实，见实效。\n二{colon}压实责任\n要层层压实责任。\n十一{colon}强化督办\n内容。\n"
        );
        let seg = segment(&text);
        let got: Vec<(Style, u32, &str, &str, bool)> = seg
            .headings
            .iter()
            .map(|h| {
                (
                    h.style,
                    h.number,
                    h.marker.slice(&text),
                    h.text.slice(&text),
                    h.nonstandard,
                )
            })
            .collect();
        let m = |n: &str| format!("{n}{colon}");
        assert_eq!(
            got,
            [
                (Style::CnDun, 1, m("一").as_str(), "坚持问题导向", true),
                (Style::CnDun, 2, m("二").as_str(), "压实责任", true),
                (Style::CnDun, 11, m("十一").as_str(), "强化督办", true),
            ]
        );
    }
}

/// Numbers typed as one character (⑴ ⒈ ㈠, offered by Chinese input methods) and 其一， were read
/// as unnumbered lead headings with the number kept in their text; they are the styles they
/// stand for: ⑴ （1）, ⒈ 1., ㈠ （一）, 其一， 第一，.
#[test]
fn one_character_numbers_and_qi_yi_are_markers() {
    let rows: [(&[&str], Style); 4] = [
        (&["⑴", "⑵", "⒀"], Style::DigitParen),
        (&["⒈", "⒉", "⒔"], Style::DigitDot),
        (&["㈠", "㈡", "㈩"], Style::CnParen),
        (&["其一，", "其二，", "其十三，"], Style::CnDi),
    ];
    for (markers, style) in rows {
        let text = format!(
            "关于抓落实的经验材料\n近年来，我们狠抓落实。主要做法如下：\n{}健全机制。建立清单。\n{}强化督办。定期通报。\n{}严格考核。奖优罚劣。\n以上做法，供参考。\n",
            markers[0], markers[1], markers[2]
        );
        let seg = segment(&text);
        let got = headings_of(&seg, &text);
        let numbers: [u32; 3] = [1, 2, if markers[2] == "㈩" { 10 } else { 13 }];
        let want: Vec<(Style, u32, &str, &str)> = markers
            .iter()
            .zip(numbers)
            .zip(["健全机制", "强化督办", "严格考核"])
            .map(|((m, n), t)| (style, n, *m, t))
            .collect();
        assert_eq!(got, want, "{markers:?}");
    }
    // 其中， and 其次， are no numbers.
    let seg = segment("标题\n其中，我们做了很多。\n其次，要抓落实。\n");
    assert!(seg.headings.iter().all(|h| h.style != Style::CnDi));
}

/// Other shapes of a number were read as unnumbered lead headings with the number kept in their
/// text (「第一点，健全机制」) or not at all (一要……二要……): 1： is 1. and Ⅰ. is 一、, both written
/// another way (flagged); 第一点， 第一步， 第一部分： are 第一，; 一要 is 一是; 第一、 is flagged (an
/// ordinal takes a comma). A time or a ratio
/// (8:30, 1：2) and an ordinal with another noun (第一次，) number nothing.
#[test]
fn colon_digits_roman_numerals_ordinal_nouns_and_yi_yao_are_markers() {
    let rows: [(&[&str], Style, bool); 7] = [
        (&["1：", "2：", "3："], Style::DigitDot, true),
        (&["第一、", "第二、", "其三、"], Style::CnDi, true),
        (&["Ⅰ.", "Ⅱ.", "Ⅲ、"], Style::CnDun, true),
        (&["第一点，", "第二点，", "第三点，"], Style::CnDi, false),
        (&["第一步，", "第二步，", "第三步，"], Style::CnDi, false),
        (
            &["第一部分：", "第二部分：", "第三部分："],
            Style::CnDi,
            false,
        ),
        (&["一要", "二要", "三要"], Style::CnShi, false),
    ];
    for (markers, style, nonstandard) in rows {
        let text = format!(
            "关于抓落实的经验材料\n近年来，我们狠抓落实。主要做法如下：\n{}健全机制。建立清单。\n{}强化督办。定期通报。\n{}严格考核。奖优罚劣。\n以上做法，供参考。\n",
            markers[0], markers[1], markers[2]
        );
        let seg = segment(&text);
        let got: Vec<(Style, u32, &str, &str, bool)> = seg
            .headings
            .iter()
            .map(|h| {
                let (marker, headline) = (h.marker.slice(&text), h.text.slice(&text));
                (h.style, h.number, marker, headline, h.nonstandard)
            })
            .collect();
        let want: Vec<(Style, u32, &str, &str, bool)> = markers
            .iter()
            .zip([(1, "健全机制"), (2, "强化督办"), (3, "严格考核")])
            .map(|(m, (n, t))| (style, n, *m, t, nonstandard))
            .collect();
        assert_eq!(got, want, "{markers:?}");
    }
    // The report names the standard form of a flagged one (an ordinal keeps its noun).
    let yaml = rubric::builtin(rubric::DEFAULT_RUBRIC).unwrap();
    let r = rubric::load(yaml, "default", "default").unwrap();
    for (a, b, want) in [
        ("1：", "2：", ["1：", "1.", "2：", "2."]),
        (
            "第一点、",
            "第二点、",
            ["第一点、", "第一点，", "第二点、", "第二点，"],
        ),
    ] {
        let text = format!("关于抓落实的经验材料\n近年来，我们狠抓落实。\n{a}健全机制。建立清单。\n{b}强化督办。定期通报。\n以上做法，供参考。\n");
        let report = Checker::new(&r)
            .check_bytes("a.txt", false, text.as_bytes(), None)
            .unwrap();
        let forms: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.message.starts_with("序号「"))
            .map(|f| f.message.as_str())
            .collect();
        let m = |k: usize| format!("序号「{}」不规范，应写作「{}」", want[k], want[k + 1]);
        assert_eq!(forms, [m(0), m(2)]);
    }
    for s in [
        "一要素认证",
        "二要点，",
        "8:30开会",
        "1：2的比例",
        "８：３０",
        "第一次，",
        "第一回，",
        "Ⅼ.",
        "ⅰ.",
    ] {
        assert_eq!(caifen::segment::heading_marker(s), None, "{s}");
    }
}

/// A speech's byline and date between its title and its 称谓 (县长　张三 / （2024年1月15日） /
/// 同志们：) left the answer without a 称谓: with one line it worked, with two the 称谓 and both
/// lines went into the opening. Up to two such lines before a 称谓 line are labels.
#[test]
fn a_byline_and_a_date_before_the_salutation_are_labels() {
    let title = "凝心聚力抓落实　奋发有为开新局\n——在全县经济工作会议上的讲话";
    let body = "同志们：\n这次会议的主要任务是部署今年重点任务。下面，我讲三点意见。\n一、充分肯定成绩。去年全县经济稳中有进。\n二、聚焦重点任务。要抓好项目建设。\n同志们，让我们撸起袖子加油干！\n";
    for lines in [
        &["县长　张三", "（2024年1月15日）"][..],
        &["青山县县长　张三", "2024年1月15日"],
        &["县长　张三"],
        &["（2024年1月15日）"],
    ] {
        let text = format!("{title}\n{}\n{body}", lines.join("\n"));
        let seg = segment(&text);
        let labels: Vec<&str> = seg.labels.iter().map(|l| l.slice(&text)).collect();
        assert_eq!(labels, lines, "{lines:?}");
        assert_eq!(seg.title.map(|t| t.slice(&text)), Some(title));
        assert_eq!(seg.salutation.map(|t| t.slice(&text)), Some("同志们"));
        assert!(seg
            .opening
            .is_some_and(|o| o.slice(&text).starts_with("这次会议")));
    }
}

/// A closing formula on lines of its own (特此倡议。, 此致 / 敬礼！) after a closing paragraph
/// without a closing cue took the closing's place: the closing was the formula alone and the
/// paragraph before it went to the last section. The formula only ends the closing.
#[test]
fn a_closing_formula_ends_the_closing_before_it() {
    let head = "关于文明祭扫的倡议书\n广大市民朋友们：\n清明节即将来临，我们发出如下倡议：\n一、文明祭扫，绿色环保。提倡鲜花祭扫。\n二、安全祭扫，防范火灾。不在林区焚烧纸钱。\n三、错峰祭扫，有序出行。合理安排出行时间。\n";
    let closing = "文明祭扫从我做起，共同营造文明和谐的社会氛围！";
    for formula in ["特此倡议。", "此致\n敬礼！", "特此倡议"] {
        let text = format!("{head}{closing}\n{formula}\n青山市文明办\n2024年3月25日\n");
        let seg = segment(&text);
        assert_eq!(
            seg.closing.map(|c| c.slice(&text)),
            Some(format!("{closing}\n{formula}").as_str()),
            "{formula}"
        );
        assert_eq!(seg.headings.len(), 3, "{formula}");
        assert_eq!(
            seg.signature.map(|c| c.slice(&text)),
            Some("青山市文明办\n2024年3月25日")
        );
    }
}

/// A range written with the 顿号 (一、二季度, 三、四月份, 第一、二批, Ⅰ、Ⅱ类水体, 1、2月份) was
/// read as a heading numbered by its first number: a heading out of sequence took the real
/// section's place, and the numbering rule saw a gap. The first number of a range is no marker.
#[test]
fn number_ranges_written_with_the_dun_are_no_headings() {
    let texts = [
        "关于我县上半年经济运行情况的汇报\n今年以来，我县经济运行总体平稳、稳中有进。\n一、主要指标稳中向好\n一、二季度地区生产总值分别增长5.8%和6.2%。\n第一、二批项目全部开工。\n1、2月份规上工业增加值增长7%。\n二、存在的主要问题\n部分企业生产经营困难，三、四月份用电量同比下降。\n一、二级医院床位数不足。\n三、下一步工作打算\n抓好项目建设，确保全年目标完成。\n",
        "关于我县水环境治理情况的汇报\n今年以来，我县扎实推进水环境治理，成效明显。\n一、主要成效。全县国控断面水质全部达标。Ⅰ、Ⅱ类水体比例达到65%。\n二、存在问题。部分支流仍为Ⅳ类水质，Ⅱ、Ⅲ类断面稳定性不足。\n三、下一步打算。持续开展河道整治。\n",
    ];
    let yaml = rubric::builtin(rubric::DEFAULT_RUBRIC).unwrap();
    let r = rubric::load(yaml, "default", "default").unwrap();
    for text in texts {
        let seg = segment(text);
        let got: Vec<(Style, u32, &str)> = seg
            .headings
            .iter()
            .map(|h| (h.style, h.number, h.marker.slice(text)))
            .collect();
        assert_eq!(
            got,
            [
                (Style::CnDun, 1, "一、"),
                (Style::CnDun, 2, "二、"),
                (Style::CnDun, 3, "三、")
            ],
            "{text}"
        );
        let report = Checker::new(&r)
            .check_bytes("a.txt", false, text.as_bytes(), None)
            .unwrap();
        let numbering: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.message.starts_with("序号"))
            .map(|f| f.message.as_str())
            .collect();
        assert!(numbering.is_empty(), "{numbering:?}");
    }
    // A marker before another number (a year, 三农) still numbers its item.
    let text = "关于项目建设的汇报\n近年来，全县狠抓项目建设。\n1、2023年以来新建项目12个。\n2、三农项目全部落地。\n以上情况，特此汇报。\n";
    let got: Vec<(Style, u32)> = segment(text)
        .headings
        .iter()
        .map(|h| (h.style, h.number))
        .collect();
    assert_eq!(got, [(Style::DigitDun, 1), (Style::DigitDun, 2)]);
}

/// A bulletin's 报头 (工作简报 / 第3期 / 某某办公室编 2024年5月10日) was read as its title and
/// opening, and its 版记 (报：… 送：… 共印50份) as closing paragraphs without a full stop. Both are
/// labels; the title is the article's. A title that only mentions an issue (关于第3期培训班……)
/// stays the title.
#[test]
fn a_bulletins_masthead_and_distribution_lines_are_labels() {
    let title = "康安乡赶大集活动取得实效";
    let body = "春节前夕，康安乡举办赶大集活动，获得群众广泛好评。\n一、多方参与，资源整合。乡里发动党员干部开展大走访。\n二、服务下沉，群众受益。县里组建志愿服务队伍。\n下一步，康安乡将总结经验，推动工作走深走实。\n";
    let rows: [(&str, &str, &[&str]); 6] = [
        (
            "工作简报\n第3期\nH县人民政府办公室编    2024年5月10日\n",
            "报：县委办公室\n送：各乡镇人民政府\n（共印50份）\n",
            &[
                "工作简报",
                "第3期",
                "H县人民政府办公室编    2024年5月10日",
                "报：县委办公室",
                "送：各乡镇人民政府",
                "（共印50份）",
            ],
        ),
        (
            "工作简报（第3期）\nH县人民政府办公室 2024年5月10日\n",
            "抄送：县委办公室\n",
            &[
                "工作简报（第3期）",
                "H县人民政府办公室 2024年5月10日",
                "抄送：县委办公室",
            ],
        ),
        (
            "康安乡动态 第12期（总第45期）\n",
            "",
            &["康安乡动态 第12期（总第45期）"],
        ),
        // The year before the number, the body and the date on lines of their own, and a 版记
        // written in sentences, with its issuing line.
        (
            "文明创建简报\n2024年第12期\n县文明办编\n2024年5月10日\n",
            "报：县委常委，县政府领导。\n抄送：市文明办\n县文明办　　2024年5月10日印发\n",
            &[
                "文明创建简报",
                "2024年第12期",
                "县文明办编",
                "2024年5月10日",
                "报：县委常委，县政府领导。",
                "抄送：市文明办",
                "县文明办　　2024年5月10日印发",
            ],
        ),
        (
            "文明创建简报\n〔2024〕第12期\n",
            "（供稿：青龙镇党政办）\n责任编辑：张三　　审核：李四\n",
            &[
                "文明创建简报",
                "〔2024〕第12期",
                "（供稿：青龙镇党政办）",
                "责任编辑：张三　　审核：李四",
            ],
        ),
        // The issue number alone above the title.
        ("第3期\n", "", &["第3期"]),
    ];
    let yaml = rubric::builtin("genre_jianbao").unwrap();
    let r = rubric::load(yaml, "genre_jianbao", "genre_jianbao").unwrap();
    for (head, tail, labels) in rows {
        let text = format!("{head}{title}\n{body}{tail}");
        let seg = segment(&text);
        let mut got: Vec<Span> = seg.labels.clone();
        got.sort_by_key(|l| l.start);
        let got: Vec<&str> = got.iter().map(|l| l.slice(&text)).collect();
        assert_eq!(got, labels, "{head}");
        assert_eq!(seg.title.map(|t| t.slice(&text)), Some(title), "{head}");
        assert_eq!(seg.paragraphs.len(), 4, "{head}");
        let report = Checker::new(&r)
            .check_bytes("a.txt", false, text.as_bytes(), None)
            .unwrap();
        assert!(report.findings.is_empty(), "{head}: {:?}", report.findings);
    }
    let text = format!("关于第3期培训班的情况简报\n{body}");
    let seg = segment(&text);
    assert_eq!(
        seg.title.map(|t| t.slice(&text)),
        Some("关于第3期培训班的情况简报")
    );
    assert!(seg.labels.is_empty());
}

/// The same answer with each heading on its own line above its paragraph (as Markdown and Word
/// headings are written) had no closing: its last paragraph was taken as part of the last
/// section. When the sections before the last all hold the same number of paragraphs and the
/// last holds one more, the extra paragraph is the closing, as in the inline layout.
#[test]
fn a_closing_does_not_depend_on_headings_having_lines_of_their_own() {
    let items = [
        (
            "一、打造公共数据平台",
            "抓好数据归集，形成数据要素“一组库”。",
        ),
        (
            "二、建立基层治理指挥中心",
            "配备智慧大屏，实现全镇网格一屏统览。",
        ),
        (
            "三、构建交通信号配时中心",
            "发现道路拥堵后，立即切换监控，给出“最优解”。",
        ),
    ];
    let tail = "Q市加“数”前行，数字化治理的场景还在不断拓展。";
    let opening = "关于Q市申报典型案例的材料\nQ市加快建设数字城市，具体包括：\n";
    let inline: String = items.iter().map(|(h, b)| format!("{h}。{b}\n")).collect();
    let own_lines: String = items.iter().map(|(h, b)| format!("{h}\n{b}\n")).collect();
    // Two paragraphs in each section: the closing is still the one paragraph more.
    let two_each: String = items
        .iter()
        .map(|(h, b)| format!("{h}\n{b}\n同时做好宣传。\n"))
        .collect();
    for body in [&inline, &own_lines, &two_each] {
        let text = format!("{opening}{body}{tail}\n");
        let seg = segment(&text);
        assert_eq!(seg.h1().count(), 3, "{text}");
        assert_eq!(seg.closing.map(|c| c.slice(&text)), Some(tail), "{text}");
    }
    // Sections of 1 and 2 paragraphs, the last of 3: no pattern, so no closing without a cue.
    let uneven = format!(
        "{opening}{}\n{}\n{}\n{}\n延伸一段。\n{}\n{}\n再一段。\n{tail}\n",
        items[0].0, items[0].1, items[1].0, items[1].1, items[2].0, items[2].1
    );
    let seg = segment(&uneven);
    assert_eq!(seg.closing, None, "{uneven}");
}

/// Structure kinds found by trying to break the segmenter (each row one kind).
#[test]
fn structure_kinds() {
    struct Row {
        text: &'static str,
        title: &'static str,
        h1: &'static [&'static str],
        signature: &'static str,
        closing_starts: &'static str,
    }
    let rows = [
        Row { // a 1. list inside the opening is not the top level when 一、 follows
            text: "标题\n近年来存在两个问题：1.任务分解不细；2.责任落实不到位。\n一、健全机制。内容。\n二、压实责任。内容。\n三、强化督办。内容。\n今后，我们将继续努力。\n",
            title: "标题", h1: &["健全机制", "压实责任", "强化督办"], signature: "", closing_starts: "今后",
        },
        Row { // inline 一是…二是…: each headline stops at the next marker
            text: "标题\n主要做法是：一是健全机制，二是压实责任，三是强化督办。\n",
            title: "标题", h1: &["健全机制", "压实责任", "强化督办"], signature: "", closing_starts: "",
        },
        Row { // 1） numbering and a half-width ! ending a headline
            text: "标题\n做法如下。\n1）健全机制!建立专班。\n2）压实责任。内容。\n",
            title: "标题", h1: &["健全机制", "压实责任"], signature: "", closing_starts: "",
        },
        Row { // issuing body without a date
            text: "倡议书\n一、节约用水。内容。\n二、践行行动。内容。\n让我们携起手来，共同守护生命之源！\n某市水利局\n",
            title: "倡议书", h1: &["节约用水", "践行行动"], signature: "某市水利局", closing_starts: "让我们",
        },
        Row { // dates written with dots, and joint bodies
            text: "倡议书\n一、节约用水。内容。\n二、践行行动。内容。\n让我们携起手来！\n某市节约用水办公室\n某市水利局\n某市城市管理局\n2024.3.22\n",
            title: "倡议书", h1: &["节约用水", "践行行动"], signature: "某市节约用水办公室\n某市水利局\n某市城市管理局\n2024.3.22", closing_starts: "让我们",
        },
        Row { // a fused title ends where the body starts, not at the first genre word
            text: "关于材料审核工作的经验做法近年来，我局健全工作机制。一、健全机制。建立专班。二、压实责任。实行清单管理。",
            title: "关于材料审核工作的经验做法", h1: &["健全机制", "压实责任"], signature: "", closing_starts: "",
        },
        Row { // a subtitle line belongs to the title
            text: "以“钉钉子”精神抓落实\n——山西省水利厅的经验材料\n近年来，水利厅狠抓落实。\n一、健全机制。内容。\n二、压实责任。内容。\n",
            title: "以“钉钉子”精神抓落实\n——山西省水利厅的经验材料", h1: &["健全机制", "压实责任"], signature: "", closing_starts: "",
        },
                Row { // a line wrapped from the one before (PDF copy) is not a closing
            text: "标题\n近年来做了工作。\n一、健全机制。内容。\n二、压实责任。做了很多很多的工作，建立了完善的机制，取得了明显的成效，群众满意度不断提升，即\n可享受优质服务。\n",
            title: "标题", h1: &["健全机制", "压实责任"], signature: "", closing_starts: "",
        },
        Row { // a summary sentence closes the answer
            text: "标题\n近年来做了工作。\n一、健全机制。内容。\n二、压实责任。内容。\n实践证明，抓落实必须有机制。\n",
            title: "标题", h1: &["健全机制", "压实责任"], signature: "", closing_starts: "实践证明",
        },
    ];
    let mut failures = Vec::new();
    for r in &rows {
        let t = r.text;
        let seg = segment(t);
        let got_title = seg.title.map_or("", |s| s.slice(t));
        let got_h1: Vec<&str> = seg.h1().map(|h| h.text.slice(t)).collect();
        let got_sig = seg.signature.map_or("", |s| s.slice(t));
        let got_closing = seg.closing.map_or("", |s| s.slice(t));
        if got_title != r.title
            || got_h1 != r.h1
            || got_sig != r.signature
            || !got_closing.starts_with(r.closing_starts)
            || (r.closing_starts.is_empty() != got_closing.is_empty())
        {
            failures.push(format!("{t:?}:\n  title {got_title:?} h1 {got_h1:?} signature {got_sig:?} closing {got_closing:?}"));
        }
    }
    report_failures(failures);
}

#[test]
fn bad_rubrics_are_errors() {
    let deep = format!("points: {}{}\n", "[".repeat(40), "]".repeat(40));
    let rows: Vec<(&str, String, &str)> = vec![
        (
            "nan total",
            "total: .nan\npoints:\n  - {id: a, points: 1, keywords: [甲]}\n".into(),
            "total must be a number of points greater than 0",
        ),
        (
            "empty list",
            "points:\n  - {id: a, points: 1, keywords: []}\n".into(),
            "the list is empty",
        ),
        (
            "only-empty regex",
            "points:\n  - {id: a, points: 1, patterns: ['\\b']}\n".into(),
            "only matches empty text",
        ),
        (
            "zero length",
            "length: {max: 0, points: 1}\npoints:\n  - {id: a, points: 1, keywords: [甲]}\n".into(),
            "a length limit must be at least 1",
        ),
        ("deep nesting", deep, "nested more than 32 levels deep"),
        (
            "negative points",
            "points:\n  - {id: a, points: -1, keywords: [甲]}\n".into(),
            "points must be a number ≥ 0",
        ),
        // Finite alone, infinite added up (the report read inf / inf).
        (
            "huge points",
            "points:\n  - {id: a, points: 1e308, keywords: [甲]}\n  - {id: b, points: 1e308, keywords: [乙]}\n".into(),
            "r.yaml:2:13: points[0].points: points must be at most 10000",
        ),
        (
            "huge total",
            "total: 1e308\npoints:\n  - {id: a, points: 1, keywords: [甲]}\n".into(),
            "r.yaml:1:1: total: total must be a number of points greater than 0 and at most 10000",
        ),
    ];
    // A list of words written as one keyword, in the ways Chinese writes lists: one keyword
    // that no answer holds (its point silently scored 0), now an error naming it as written.
    // (、 stays a character of a keyword: 县委、县政府 is one term; `rubric check` notes it.)
    for sep in ["；", ";", "/", "／", "|", "｜"] {
        let yaml = format!("points:\n  - {{id: a, points: 1, keywords: [领导小组{sep}排查]}}\n");
        let e = rubric::load(&yaml, "r.yaml", "r").unwrap_err().to_string();
        assert!(
            e.contains(&format!(
                "r.yaml:2:35: points[0].keywords[0]: keyword 「领导小组{sep}排查」 contains"
            )),
            "{e}"
        );
    }
    // Quoted, it is a phrase the answer quotes.
    assert!(rubric::load(
        "points:\n  - {id: a, points: 1, keywords: [“上下/左右”]}\n",
        "r",
        "r"
    )
    .is_ok());
    let mut failures = Vec::new();
    for (name, yaml, want) in rows {
        match rubric::load(&yaml, "r.yaml", "r") {
            Ok(_) => failures.push(format!("{name}: loaded")),
            Err(e) if !e.to_string().contains(want) => failures.push(format!("{name}: {e}")),
            Err(_) => {}
        }
    }
    report_failures(failures);
    // A doubled BOM loads like none.
    assert!(rubric::load(
        "\u{FEFF}\u{FEFF}points:\n  - {id: a, points: 1, keywords: [甲]}\n",
        "r",
        "r"
    )
    .is_ok());
}

#[test]
fn nearly_valid_utf8_is_decoded_with_replacements() {
    let mut bytes = "关于基层减负的思考，基层减负关键在落实。"
        .repeat(20)
        .into_bytes();
    bytes.insert(30, 0xFF);
    let d = decode(&bytes, None).unwrap();
    assert_eq!((d.encoding, d.replaced), ("UTF-8", 1));
}

/// A few damaged bytes or code units are read with U+FFFD in their place (counted, a
/// damaged-bytes finding) whatever the encoding and however it was chosen: a BOM (UTF-8 as
/// Notepad saves it, UTF-16), no BOM, or `--encoding`. More than 1 in 200 is still refused.
#[test]
fn nearly_valid_text_in_every_unicode_form_is_decoded_with_replacements() {
    let text = "关于基层减负的思考，基层减负关键在落实。".repeat(20);
    let chars = text.chars().count();
    let utf16 = |le: bool, bom: bool, lone: usize| {
        let mut units: Vec<u16> = text.encode_utf16().collect();
        for k in 0..lone {
            units.insert(10 + k * 20, 0xD800); // a lone high surrogate
        }
        if bom {
            units.insert(0, 0xFEFF);
        }
        units
            .iter()
            .flat_map(|u| if le { u.to_le_bytes() } else { u.to_be_bytes() })
            .collect::<Vec<u8>>()
    };
    let utf8 = |bom: bool, bad: usize| {
        let mut b = text.clone().into_bytes();
        for k in 0..bad {
            b.insert(30 + k * 60, 0xFF);
        }
        if bom {
            b.splice(0..0, [0xEF, 0xBB, 0xBF]);
        }
        b
    };
    let utf8_label = caifen::decode::encoding_for_label("utf-8");
    let le_label = caifen::decode::encoding_for_label("utf-16le");
    // (what, bytes, forced encoding, encoding read, BOM)
    type Case = (
        &'static str,
        Vec<u8>,
        Option<&'static encoding_rs::Encoding>,
        &'static str,
        bool,
    );
    let cases: Vec<Case> = vec![
        ("UTF-8 with BOM", utf8(true, 1), None, "UTF-8", true),
        ("UTF-8 forced", utf8(false, 1), utf8_label, "UTF-8", false),
        (
            "UTF-16LE with BOM",
            utf16(true, true, 1),
            None,
            "UTF-16LE",
            true,
        ),
        (
            "UTF-16BE with BOM",
            utf16(false, true, 1),
            None,
            "UTF-16BE",
            true,
        ),
        (
            "UTF-16LE without BOM",
            utf16(true, false, 1),
            None,
            "UTF-16LE",
            false,
        ),
        (
            "UTF-16BE without BOM",
            utf16(false, false, 1),
            None,
            "UTF-16BE",
            false,
        ),
        (
            "UTF-16LE forced",
            utf16(true, false, 1),
            le_label,
            "UTF-16LE",
            false,
        ),
    ];
    let mut failures = Vec::new();
    for (what, bytes, forced, name, bom) in cases {
        match decode(&bytes, forced) {
            Ok(d) if (d.encoding, d.bom, d.replaced) == (name, bom, 1) => {
                if d.text.replace('\u{FFFD}', "") != text {
                    failures.push(format!("{what}: text {:?}", d.text));
                }
            }
            got => failures.push(format!(
                "{what}: got {:?}",
                got.map(|d| (d.encoding, d.bom, d.replaced))
            )),
        }
    }
    // Past 1 in 200 characters: refused, as before.
    let many = chars / 200 + 1;
    for (what, bytes, forced) in [
        ("UTF-8 with BOM", utf8(true, many), None),
        ("UTF-16LE with BOM", utf16(true, true, many), None),
        ("UTF-16LE forced", utf16(true, false, many), le_label),
    ] {
        if decode(&bytes, forced).is_ok() {
            failures.push(format!("{what} with {many} damaged: decoded"));
        }
    }
    // The report says so, naming the encoding (it said so for UTF-8 only).
    let r = rubric::load(
        "points:\n  - {id: a, points: 1, keywords: [落实]}\n",
        "r",
        "r",
    )
    .unwrap();
    let a = Checker::new(&r)
        .check_bytes("a.txt", false, &utf16(true, true, 1), None)
        .unwrap();
    let damaged: Vec<&str> = a
        .findings
        .iter()
        .filter(|f| f.rule == "damaged-bytes")
        .map(|f| &*f.message)
        .collect();
    if damaged != ["文件中有1处无效的 UTF-16LE 字节，已显示为 �"] {
        failures.push(format!("UTF-16LE report: {damaged:?}"));
    }
    report_failures(failures);
}

/// Found by trying to break the rule above: a UTF-8 lead byte overwritten leaves its two
/// continuation bytes as U+FFFD too, and three replacements in a 440-character answer were over
/// the limit (one damaged character); detected GBK had to decode without any error (one stray
/// byte and the file was binary, while `--encoding gbk` read it); BOM-less UTF-16 cut to an odd
/// length was binary; RTF after a BOM, a blank line or in UTF-16 was checked as text; the
/// label `iso-2022-kr` was accepted and decoded nothing.
/// Mostly ASCII with a few Chinese words, saved in GBK or Big5 (a settings file, a short note):
/// each word read as UTF-8 is one damaged spot, too few to refuse the file, and a lone word read
/// by chardetng as Cyrillic or Latin letters. Such files were decoded as damaged UTF-8 (the words
/// shown as U+FFFD) or as ISO-8859-5; they are GBK and Big5. A Chinese answer in UTF-8 with a
/// stray byte is still UTF-8, its broken character one damaged spot (three U+FFFD).
#[test]
fn mostly_ascii_files_with_a_few_chinese_words_in_gbk_or_big5() {
    let settings = "# caifen settings\nrubric = \"shanxi_zhualuoshi\"\ninclude = [\"drafts/**/*.txt\"]\nmin_band = \"二类文\"\nformat = \"pretty\"\n";
    let long = format!(
        "{}Note: 机制 and 清单.\n",
        "The quick brown fox jumps over the lazy dog. ".repeat(40)
    );
    let mut failures = Vec::new();
    for (text, enc, name) in [
        ("title\nmin_band = \"二\"\n", encoding_rs::GBK, "GBK"),
        (settings, encoding_rs::GBK, "GBK"),
        (long.as_str(), encoding_rs::GBK, "GBK"),
        ("title\nband = \"一類文\"\n", encoding_rs::BIG5, "Big5"),
        (
            "# 設定\nrubric = \"shanxi\"\nnote = \"國家機關\"\n",
            encoding_rs::BIG5,
            "Big5",
        ),
    ] {
        let bytes = enc.encode(text).0.into_owned();
        match decode(&bytes, None) {
            Ok(d) if d.encoding == name && d.text == text && d.replaced == 0 => {}
            got => failures.push(format!(
                "{name} {text:?}: {:?}",
                got.map(|d| (d.encoding, d.replaced, d.text))
            )),
        }
    }
    // GBK whose every Chinese character is one of those whose two bytes read as one UTF-8
    // character (签 C7 A9 is ǩ): valid UTF-8, read as letters of mixed scripts (ǩԼ), was taken as
    // UTF-8; it is GBK. Real text in those scripts stays UTF-8.
    for text in [
        "keywords: [签约, 预约, 医院, 专职, 实施, 统一]\n",
        "exclude = [\"实施/**\"]\n",
    ] {
        let bytes = encoding_rs::GBK.encode(text).0.into_owned();
        assert!(
            std::str::from_utf8(&bytes).is_ok(),
            "{text} is valid UTF-8 in GBK"
        );
        match decode(&bytes, None) {
            Ok(d) if d.encoding == "GBK" && d.text == text => {}
            got => failures.push(format!("{text:?}: {:?}", got.map(|d| (d.encoding, d.text)))),
        }
        match caifen::decode::text_file(&bytes) {
            Ok((t, "GBK")) if t == text => {}
            got => failures.push(format!("settings {text:?}: {got:?}")),
        }
    }
    // One keyword in a small GBK rubric: chardetng guessed EUC-KR from the few bytes (清单) or read
    // a word as letters with a combining mark (通知 → ֪ͨ).
    for word in
        "清单 督办 考核 监督 评价 管理 闭环 领导 安全 医疗 乡村 农村 签约 学习 通知".split(' ')
    {
        let text = format!(
            "extends: genre_jingyan\npoints:\n  - id: a\n    points: 10\n    keywords: [{word}]\n"
        );
        let bytes = encoding_rs::GBK.encode(&text).0.into_owned();
        match caifen::decode::text_file(&bytes) {
            Ok((t, "GBK")) if t == text => {}
            got => failures.push(format!("settings with {word}: {got:?}")),
        }
    }
    for text in [
        "naïve café, Ελληνικά, русский язык, עברית\n",
        "Đà Nẵng\n",
        "é\n",
    ] {
        match decode(text.as_bytes(), None) {
            Ok(d) if d.encoding == "UTF-8" && d.text == text => {}
            got => failures.push(format!("{text:?}: {:?}", got.map(|d| d.encoding))),
        }
    }
    let answer = "关于基层减负的思考，基层减负关键在落实。".repeat(22);
    let mut damaged = answer.into_bytes();
    damaged[31] = 0xFF;
    match decode(&damaged, None) {
        Ok(d) if (d.encoding, d.replaced) == ("UTF-8", 3) => {}
        got => failures.push(format!(
            "damaged UTF-8: {:?}",
            got.map(|d| (d.encoding, d.replaced))
        )),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn damaged_files_of_every_detection_path() {
    use caifen::decode::DecodeError;
    let text = "关于基层减负的思考，基层减负关键在落实。".repeat(22);
    let mut failures = Vec::new();
    let mut utf8 = text.clone().into_bytes();
    utf8[30] = 0xFF;
    match decode(&utf8, None) {
        Ok(d) if (d.encoding, d.replaced) == ("UTF-8", 3) => {}
        got => failures.push(format!(
            "lead byte: {:?}",
            got.map(|d| (d.encoding, d.replaced))
        )),
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let mut gbk = gbk.into_owned();
    gbk[31] = 0xFF;
    match decode(&gbk, None) {
        Ok(d) if d.encoding == "GBK" && d.replaced >= 1 && d.text.chars().count() >= 440 => {}
        got => failures.push(format!("GBK: {:?}", got.map(|d| (d.encoding, d.replaced)))),
    }
    let mut odd: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    odd.pop();
    match decode(&odd, None) {
        Ok(d) if (d.encoding, d.replaced) == ("UTF-16LE", 1) => {}
        got => failures.push(format!(
            "odd UTF-16: {:?}",
            got.map(|d| (d.encoding, d.replaced))
        )),
    }
    let rtf = "{\\rtf1\\ansi 一、健全机制\\par }";
    let utf16_rtf: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(rtf.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for (what, bytes) in [
        ("BOM", format!("\u{FEFF}{rtf}").into_bytes()),
        ("blank line", format!("\r\n  {rtf}").into_bytes()),
        ("UTF-16", utf16_rtf),
    ] {
        if decode(&bytes, None).map(|_| ()) != Err(DecodeError::Rtf) {
            failures.push(format!("RTF after {what}: not refused"));
        }
    }
    // GB18030's four-byte characters (𠮷) make the file GB18030, not GBK.
    let gb_text = format!("{}𠮷。", &text[..90]);
    let (gb, _, _) = encoding_rs::GB18030.encode(&gb_text);
    match decode(&gb, None) {
        Ok(d) if d.encoding == "GB18030" && d.text.ends_with("𠮷。") => {}
        got => failures.push(format!("GB18030: {:?}", got.map(|d| d.encoding))),
    }
    if caifen::decode::encoding_for_label("iso-2022-kr").is_some() {
        failures.push("iso-2022-kr accepted".into());
    }
    report_failures(failures);
}

#[test]
fn replacement_characters_written_in_the_file_are_counted() {
    // Written as EF BF BD in valid UTF-8: at the start, the end, side by side, and among
    // a character whose last byte is BD too (杽, E6 9D BD).
    let t = "\u{FFFD}基层杽减负\u{FFFD}\u{FFFD}落实杽\u{FFFD}";
    let d = decode(t.as_bytes(), None).unwrap();
    assert_eq!((d.encoding, d.replaced), ("UTF-8", 4));
    assert_eq!(decode("杽杽".as_bytes(), None).unwrap().replaced, 0);
}

#[test]
fn bidi_marks_count_as_symbols_but_do_not_block_matching() {
    let t = "基层\u{200E}治理";
    assert_eq!((count(t).han, count(t).nonspace, count(t).grid), (4, 5, 5));
    assert_eq!(Normalized::new(t).text, "基层治理");
}

/// Default-ignorable characters other than the six invisible ones and the bidi marks — a
/// variation selector (VS16 after a character copied from a web page, U+E0100 from an IVS font),
/// the combining grapheme joiner, the Mongolian vowel separator, an invisible operator, a tag
/// character, a Hangul filler — were kept in the matching text, so a keyword with one inside was
/// missed although it looks the same. They are removed for matching now.
#[test]
fn every_default_ignorable_character_is_removed_for_matching() {
    for c in [
        '\u{FE0F}',
        '\u{FE00}',
        '\u{E0100}',
        '\u{034F}',
        '\u{180E}',
        '\u{2061}',
        '\u{2064}',
        '\u{206A}',
        '\u{E0020}',
        '\u{3164}',
        '\u{115F}',
    ] {
        let t = format!("基层{c}治理");
        let n = Normalized::new(&t);
        assert_eq!(n.text, "基层治理", "{:04X}", c as u32);
        assert_eq!(n.invisible_removed, 1, "{:04X}", c as u32);
    }
}

#[test]
fn markdown_headings_and_ignored_parts_keep_original_locations() {
    let md = "---\nauthor: 张三\n---\n# 水利厅抓落实经验材料\n\n近年来，水利厅狠抓落实。<!-- 注释：督办 -->\n\n## 一、健全机制\n\n建立机制。\n\n```\n督办 代码\n```\n\n## 二、压实责任\n\n实行清单管理。\n";
    let r = rubric::load("points:\n  - {id: d, points: 1, keywords: [督办]}\n  - {id: q, points: 1, keywords: [清单管理]}\n", "r", "r").unwrap();
    let a = Checker::new(&r)
        .check_bytes("answer.md", false, md.as_bytes(), None)
        .unwrap();
    let title = a.structure.title.as_ref().unwrap();
    assert_eq!(
        (title.text.as_str(), title.start.line, title.start.column),
        ("水利厅抓落实经验材料", 4, 3)
    );
    let heads: Vec<(&str, usize)> = a
        .structure
        .headings
        .iter()
        .map(|h| (h.text.text.as_str(), h.text.start.line))
        .collect();
    assert_eq!(heads, [("健全机制", 8), ("压实责任", 16)]);
    assert!(
        a.points[0].hits.is_empty(),
        "comments and code blocks are not the answer"
    );
    assert_eq!(a.points[1].hits[0].at.start.line, 18);
    // The same text as .txt keeps the markup as text.
    let t = Checker::new(&r)
        .check_bytes("answer.txt", false, md.as_bytes(), None)
        .unwrap();
    assert_eq!(t.points[0].hits.len(), 2);
}

/// A code fence or an HTML comment that is never closed is text: CommonMark would run it to the
/// end of the file, hiding the rest of the answer from the check. Closed ones are still ignored.
#[test]
fn unclosed_markdown_fences_and_comments_hide_nothing() {
    let r = rubric::load(
        "points:\n  - {id: d, points: 1, keywords: [督办]}\n",
        "r",
        "r",
    )
    .unwrap();
    let hits = |md: &str| -> Vec<(usize, usize)> {
        Checker::new(&r)
            .check_bytes("answer.md", false, md.as_bytes(), None)
            .unwrap()
            .points[0]
            .hits
            .iter()
            .map(|h| (h.at.start.line, h.at.start.column))
            .collect()
    };
    let rows: &[(&str, &[(usize, usize)])] = &[
        ("# 题目\n\n```\n一、实行督办。\n", &[(4, 5)]),
        ("# 题目\n\n~~~ 注\n一、实行督办。\n```\n", &[(4, 5)]),
        ("# 题目\n\n<!-- 注\n一、实行督办。\n", &[(4, 5)]),
        ("# 题目\n\n<!-- 督办 --> 实行督办。<!-- 注\n", &[(3, 15)]),
        // Closed: ignored.
        ("# 题目\n\n```\n督办\n```\n实行督办。\n", &[(6, 3)]),
        ("# 题目\n\n<!--\n督办\n--> 实行督办。\n", &[(5, 7)]),
    ];
    let mut failures = Vec::new();
    for &(md, want) in rows {
        let got = hits(md);
        if got != want {
            failures.push(format!("{md:?}: got {got:?}, want {want:?}"));
        }
    }
    report_failures(failures);
}

/// Markdown as students write it: bold headings (`**一、健全机制**`), quotes, bullets and
/// ordered lists, tables, links and images, setext headings, paragraphs indented with four
/// spaces. Only `#` lines, fences, comments and front matter were handled: the `**` stayed in the
/// text, so a bold 一、 heading was not a heading, and link targets and image names were
/// checked as the answer. What a reader sees is kept in place; markup is blanked.
#[test]
fn markdown_markup_is_blanked_and_what_a_reader_sees_is_kept() {
    use caifen::markdown::prepare;
    let rows: &[(&str, &str)] = &[
        ("**一、健全机制**\n", "  一、健全机制  \n"),
        ("> 二、压实责任\n", "  二、压实责任\n"),
        ("- 定期通报\n- 跟踪问效\n", "  定期通报\n  跟踪问效\n"),
        ("1. 建立专班\n2. 明确分工\n", "1. 建立专班\n2. 明确分工\n"),
        (
            "    近年来，水利厅狠抓落实。\n",
            "    近年来，水利厅狠抓落实。\n",
        ),
        (
            "实行*清单*管理，`督办`到人。\n",
            "实行 清单 管理， 督办 到人。\n",
        ),
        (
            "见[通知](http://x.cn/a_b)。![图](t.png)\n",
            "见 通知                  。           \n",
        ),
        (
            "| 事项 | 时限 |\n| --- | --- |\n| 督办 | 月底 |\n",
            "  事项   时限  \n             \n  督办   月底  \n",
        ),
        ("健全机制\n----\n", "健全机制\n    \n"),
        ("~~删去~~保留\n", "  删去  保留\n"),
        // Emphasis CommonMark does not close next to Chinese punctuation is still markup.
        ("**“放管服”**改革。\n", "  “放管服”  改革。\n"),
        (
            "**一、加强领导。**要落实到人。\n",
            "  一、加强领导。  要落实到人。\n",
        ),
        // A first block between `---` lines that is prose, not YAML, is the answer.
        (
            "---\n一、健全机制：落实到人。\n---\n",
            "   \n一、健全机制：落实到人。\n   \n",
        ),
        (
            "---\ntitle: 草稿\n---\n正文。\n",
            "   \n         \n   \n正文。\n",
        ),
        // Style sheets and scripts are not text.
        (
            "<style>\np { color: red; }\n</style>\n\n正文。\n",
            "       \n                 \n        \n\n正文。\n",
        ),
    ];
    let mut failures = Vec::new();
    for &(md, want) in rows {
        let (got, _) = prepare(md);
        if got != want {
            failures.push(format!("{md:?}: got {got:?}, want {want:?}"));
        }
    }
    // Setext headings are headings as `#` ones are: the first level-1 one is the title.
    let (_, hints) = prepare("水利厅经验材料\n======\n\n开头。\n\n健全机制\n---\n\n内容。\n");
    if (hints.title_line, hints.headings.clone()) != (Some(0), vec![(5, 1)]) {
        failures.push(format!(
            "setext: {:?} {:?}",
            hints.title_line, hints.headings
        ));
    }
    // Checked end to end: bold numbered headings are headings with their numbering style.
    let r = rubric::load(
        "points:\n  - {id: d, points: 1, keywords: [督办]}\n",
        "r",
        "r",
    )
    .unwrap();
    let md = "# 水利厅抓落实经验材料\n\n近年来，水利厅狠抓落实。\n\n**一、健全机制**\n\n建立专班。\n\n**二、强化督办**\n\n实行[督办](http://x.cn/督办)。\n";
    let a = Checker::new(&r)
        .check_bytes("a.md", false, md.as_bytes(), None)
        .unwrap();
    let heads: Vec<(&str, &str, usize, usize)> = a
        .structure
        .headings
        .iter()
        .map(|h| {
            (
                h.marker.as_str(),
                h.text.text.as_str(),
                h.text.start.line,
                h.text.start.column,
            )
        })
        .collect();
    if heads != [("一、", "健全机制", 5, 5), ("二、", "强化督办", 9, 5)] {
        failures.push(format!("headings: {heads:?}"));
    }
    let hits: Vec<(usize, usize)> = a.points[0]
        .hits
        .iter()
        .map(|h| (h.at.start.line, h.at.start.column))
        .collect();
    if hits != [(9, 7), (11, 4)] {
        failures.push(format!("hits: {hits:?}"));
    }
    report_failures(failures);
}

/// Segmentation skips clause starts whose first character opens no marker: every character that
/// does open one, followed by what may complete a marker of any shape, passes the check.
#[test]
fn every_character_opening_a_marker_may_open_one() {
    use caifen::segment::{heading_marker, may_open_marker};
    let rests = [
        "",
        "、",
        "．",
        ".",
        "是",
        "）",
        ")",
        "一、",
        "一）",
        "1）",
        "一)",
        "1)",
        "1.",
        "一，",
        "一：",
        "十、",
        "先，",
        "次，",
        "后，",
        "先,",
        "目一：",
        "项一：",
        "一:",
        " 一）",
        " 1)",
        "要",
        "：",
        "一点，",
    ];
    let mut missed = Vec::new();
    let mut s = String::new();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        for rest in rests {
            s.clear();
            s.push(c);
            s.push_str(rest);
            if heading_marker(&s).is_some() && !may_open_marker(c) {
                missed.push(s.clone());
            }
        }
    }
    assert!(missed.is_empty(), "markers passed over: {missed:?}");
    // The check does reject: most characters open none.
    assert!(!may_open_marker('中') && !may_open_marker('，') && !may_open_marker('a'));
    assert!(may_open_marker('第') && may_open_marker('⑳') && may_open_marker('7'));
}
