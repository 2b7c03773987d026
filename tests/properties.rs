//! Property tests (proptest) of the pipeline on generated answers and rubrics: spans, sentences,
//! counts, scores, determinism, and the monotonicity of a scoring point's credit. Answers are built
//! from the words rubrics use, heading markers, punctuation, whitespace, invisible and astral
//! characters, and arbitrary characters; the case counts are kept small so `cargo test` stays quick.

use caifen::count::{count, Counts};
use caifen::decode::decode;
use caifen::report::Checker;
use caifen::rubric::{self, Rubric, Term};
use caifen::segment::{frame_label_end, heading_marker, segment, Segmented, Style};
use caifen::span::Span;
use proptest::prelude::*;
use proptest::sample::select;
use regex::Regex;
use std::sync::OnceLock;

/// Words the generated rubrics look for; answers are built from them too, so points get hits.
const TERMS: &[&str] = &[
    "机制",
    "工作机制",
    "督办",
    "清单",
    "考核",
    "落实",
    "责任",
    "群众",
    "基层",
    "减负",
    "AI",
    "5G",
    "执行力",
    "问责",
    "台账",
];

const FRAGMENTS: &[&str] = &[
    "关于抓落实的经验材料",
    "一、",
    "二、",
    "（一）",
    "1.",
    "①",
    "一是",
    "首先，",
    "我们",
    "建立",
    "健全",
    "没有",
    "不",
    "未",
    "了",
    "的",
    "在",
    "，",
    "。",
    "！",
    "？",
    "；",
    "、",
    "：",
    "……",
    "——",
    "“",
    "”",
    "（",
    "）",
    "《",
    "》",
    ". ",
    "!",
    "?",
    ";",
    "\n",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "\u{3000}\u{3000}",
    "\t",
    "\u{200B}",
    "\u{FEFF}",
    "\u{00A0}",
    "\u{2028}",
    "ＡＩ",
    "𠮷",
    "👍",
    "２０２５年",
    "5.2%",
    "某市水利局\n2025年3月1日",
    "尊敬的各位领导：",
    "以上是我们的做法。",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(FRAGMENTS).prop_map(String::from),
        4 => select(TERMS).prop_map(String::from),
        1 => "[a-zA-Z0-9]{1,6}",
        // Any character a text answer may hold (control characters make it binary, see B49).
        1 => any::<char>()
            .prop_filter("text", |c| !c.is_control())
            .prop_map(String::from),
    ]
}

/// An answer: a sequence of fragments.
fn answer() -> impl Strategy<Value = String> {
    concat_of(fragment(), 0..60)
}

fn quoted(t: &str) -> String {
    format!("'{}'", t.replace('\'', "''"))
}

/// A rubric in YAML: one to four points of one to three groups of terms from [`TERMS`], scope
/// `any`; sometimes a length rule, a structure, forbidden phrases, an evidence regex.
fn rubric_yaml() -> impl Strategy<Value = String> {
    let group = prop::collection::vec(select(TERMS), 1..4);
    let point = (
        prop::collection::vec(group, 1..4),
        1u32..20,
        any::<bool>(),
        any::<bool>(),
    );
    (
        prop::collection::vec(point, 1..5),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        0u32..60,
    )
        .prop_map(|(points, length, structure, language, gate)| {
            let mut y = String::from("question: 生成的题目\n");
            y.push_str(&format!("form_gate: {gate}\n"));
            if length {
                y.push_str("length: {around: 80, points: 5}\n");
            }
            if structure {
                y.push_str("structure:\n  title: {points: 2}\n  headings: {min: 1, max: 4, points: 3}\n  closing: {required: false, points: 1}\n");
            }
            if language {
                y.push_str("language: {points: 4, forbidden: [{phrase: 我觉得, penalty: 2}, {phrase: 没有, penalty: 1}]}\n");
            }
            y.push_str("points:\n");
            for (i, (groups, pts, min_groups, evidence)) in points.iter().enumerate() {
                y.push_str(&format!("  - id: p{i}\n    points: {pts}\n    groups:\n"));
                for (g, terms) in groups.iter().enumerate() {
                    let terms: Vec<String> = terms.iter().map(|t| quoted(t)).collect();
                    y.push_str(&format!(
                        "      - {{name: g{g}, terms: [{}]}}\n",
                        terms.join(", ")
                    ));
                }
                if *min_groups && groups.len() > 1 {
                    y.push_str("    min_groups: 1\n");
                }
                if *evidence {
                    y.push_str("    evidence: '\\d+'\n");
                }
            }
            y
        })
}

fn load(yaml: &str) -> Rubric {
    rubric::load(yaml, "gen.yaml", "gen").unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

/// 48 cases per property (`PROPTEST_CASES` raises it for a longer search).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        // Failures are reported with their minimal input; no file is written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn span_ok(text: &str, s: Span) -> Result<(), TestCaseError> {
    prop_assert!(
        s.start <= s.end && s.end <= text.len(),
        "{s:?} outside 0..{}",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{s:?} not on char boundaries of {text:?}"
    );
    Ok(())
}

fn segmented_spans(text: &str, seg: &Segmented) -> Vec<Span> {
    let mut v: Vec<Span> = [
        seg.title,
        seg.salutation,
        seg.opening,
        seg.closing,
        seg.signature,
    ]
    .into_iter()
    .flatten()
    .collect();
    v.push(seg.body);
    v.extend(&seg.paragraphs);
    v.extend(&seg.labels);
    v.extend(seg.sentences.iter().map(|s| s.span));
    for h in &seg.headings {
        v.extend([h.marker, h.text, h.section]);
    }
    let _ = text;
    v
}

fn add(a: &Counts, b: &Counts) -> Counts {
    Counts {
        han: a.han + b.han,
        cjk_punct: a.cjk_punct + b.cjk_punct,
        alnum_runs: a.alnum_runs + b.alnum_runs,
        other_symbols: a.other_symbols + b.other_symbols,
        grid: a.grid + b.grid,
        nonspace: a.nonspace + b.nonspace,
        indent_chars: a.indent_chars + b.indent_chars,
        invisible: a.invisible + b.invisible,
    }
}

/// The credit each scoring point of `rubric` earns in `text`.
fn credits(rubric: &Rubric, text: &str) -> Vec<f64> {
    let r = Checker::new(rubric)
        .check_bytes("a.txt", false, text.as_bytes(), None)
        .expect("UTF-8 text decodes");
    r.points.iter().map(|p| p.score).collect()
}

fn literals(p: &rubric::Point) -> Vec<String> {
    p.groups
        .iter()
        .flat_map(|g| &g.terms)
        .filter_map(|t| match t {
            Term::Literal(s) => Some(s.clone()),
            Term::Pattern(_) => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    /// Every span of the segmentation and of the report lies inside the decoded text, on character
    /// boundaries; the report's character ranges agree with its byte ranges.
    #[test]
    fn spans_on_char_boundaries_inside_the_text(text in answer(), yaml in rubric_yaml()) {
        let doc = decode(text.as_bytes(), None).expect("UTF-8 text decodes");
        let t = doc.text.as_str();
        for s in segmented_spans(t, &segment(t)) {
            span_ok(t, s)?;
        }
        let rubric = load(&yaml);
        let r = Checker::new(&rubric).check_document("a.txt", false, &doc);
        let located = r
            .points
            .iter()
            .flat_map(|p| p.hits.iter().map(|h| &h.at).chain(p.rejected.iter().map(|x| &x.at)))
            .chain(r.findings.iter().filter_map(|f| f.at.as_ref()))
            .chain(r.structure.headings.iter().map(|h| &h.text));
        for at in located {
            span_ok(t, at.span)?;
            prop_assert_eq!(at.text.as_str(), at.span.slice(t));
            prop_assert_eq!(at.chars.start, t[..at.span.start].chars().count());
            prop_assert_eq!(at.chars.len(), at.text.chars().count());
        }
    }

    /// The sentences of a paragraph concatenate back to it: in order, without gap or overlap.
    #[test]
    fn sentences_concatenate_to_their_paragraph(text in answer()) {
        let seg = segment(&text);
        for (i, p) in seg.paragraphs.iter().enumerate() {
            let joined: String = seg
                .sentences
                .iter()
                .filter(|s| s.paragraph == i)
                .map(|s| s.span.slice(&text))
                .collect();
            prop_assert_eq!(joined.as_str(), p.slice(&text), "paragraph {}", i);
        }
        prop_assert!(seg.sentences.iter().all(|s| s.paragraph < seg.paragraphs.len()));
    }

    /// Counts add up over the lines (paragraphs) of a text, in every unit.
    #[test]
    fn counts_add_up_over_paragraphs(text in answer()) {
        let text = decode(text.as_bytes(), None).expect("decodes").text;
        let sum = text.split('\n').map(count).fold(Counts::default(), |a, b| add(&a, &b));
        prop_assert_eq!(sum, count(&text));
    }

    /// The score stays within 0 and the rubric's total, in every dimension and every point.
    #[test]
    fn score_within_zero_and_the_total(text in answer(), yaml in rubric_yaml()) {
        let rubric = load(&yaml);
        let r = Checker::new(&rubric)
            .check_bytes("a.txt", false, text.as_bytes(), None)
            .expect("decodes");
        let s = &r.score;
        prop_assert!((s.max - rubric.total).abs() < 1e-9, "max {} total {}", s.max, rubric.total);
        prop_assert!(s.total >= 0.0 && s.total <= s.max + 1e-9, "{} of {}", s.total, s.max);
        prop_assert!(s.percent >= 0.0 && s.percent <= 100.0 + 1e-9);
        for d in &s.dimensions {
            prop_assert!(d.score >= 0.0 && d.score <= d.max + 1e-9, "{}: {} of {}", d.name, d.score, d.max);
        }
        for p in &r.points {
            prop_assert!(p.score >= 0.0 && p.score <= p.max + 1e-9, "{}: {} of {}", p.id, p.score, p.max);
        }
        prop_assert!(rubric.bands.iter().any(|b| b.name == s.band));
    }

    /// The same input gives the same output, byte for byte, with a fresh checker.
    #[test]
    fn same_input_same_output(text in answer(), yaml in rubric_yaml(), md in any::<bool>()) {
        let rubric = load(&yaml);
        let name = if md { "a.md" } else { "a.txt" };
        let once = |_: ()| {
            let r = Checker::new(&rubric)
                .check_bytes(name, false, text.as_bytes(), None)
                .expect("decodes");
            serde_json::to_string(&r).expect("serialises")
        };
        prop_assert_eq!(once(()), once(()));
    }

    /// Deleting every sentence that carries a scoring point's terms (or one of its hits) never
    /// raises that point's credit.
    #[test]
    fn deleting_a_points_sentences_never_raises_its_credit(
        text in answer(),
        yaml in rubric_yaml(),
        pick in any::<prop::sample::Index>(),
    ) {
        let rubric = load(&yaml);
        let pi = pick.index(rubric.points.len());
        let point = &rubric.points[pi];
        let before = credits(&rubric, &text);
        let report = Checker::new(&rubric)
            .check_bytes("a.txt", false, text.as_bytes(), None)
            .expect("decodes");
        let hits: Vec<Span> = report.points[pi].hits.iter().map(|h| h.at.span).collect();
        let doc = decode(text.as_bytes(), None).expect("decodes");
        let t = doc.text.as_str();
        let terms = literals(point);
        let seg = segment_with_doc(&doc);
        let carries = |s: Span| {
            let norm = caifen::normalize::Normalized::new(s.slice(t)).text;
            terms.iter().any(|w| norm.contains(w.as_str()))
                || hits.iter().any(|h| h.start < s.end && s.start < h.end)
        };
        let mut out = String::new();
        let mut at = 0;
        for s in seg.sentences.iter().map(|s| s.span).filter(|&s| carries(s)) {
            out.push_str(&t[at..s.start]);
            at = s.end;
        }
        out.push_str(&t[at..]);
        let after = credits(&rubric, &out);
        prop_assert!(
            after[pi] <= before[pi] + 1e-9,
            "point {} rose from {} to {}\nbefore: {:?}\nafter: {:?}",
            point.id, before[pi], after[pi], t, out
        );
    }

    /// Adding a sentence that carries a missing point's terms never lowers that point's credit.
    #[test]
    fn adding_a_missing_points_sentence_never_lowers_its_credit(
        text in answer(),
        yaml in rubric_yaml(),
        pick in any::<prop::sample::Index>(),
        place in any::<prop::sample::Index>(),
        words in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
    ) {
        let rubric = load(&yaml);
        let before = credits(&rubric, &text);
        // A point not fully met (when every point is, there is nothing to add).
        let missing: Vec<usize> = (0..rubric.points.len())
            .filter(|&i| before[i] < rubric.points[i].points)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let pi = missing[pick.index(missing.len())];
        let point = &rubric.points[pi];
        let terms = literals(point);
        let chosen: Vec<&str> = words.iter().map(|w| terms[w.index(terms.len())].as_str()).collect();
        let sentence = format!("我们{}。", chosen.join("，"));
        // A sentence of its own line, after any line but the first (the title's).
        let t = decode(text.as_bytes(), None).expect("decodes").text;
        let ends: Vec<usize> = t.match_indices('\n').map(|(i, _)| i + 1).collect();
        let out = if ends.is_empty() {
            format!("{t}\n{sentence}\n")
        } else {
            let at = ends[place.index(ends.len())];
            format!("{}{sentence}\n{}", &t[..at], &t[at..])
        };
        let after = credits(&rubric, &out);
        prop_assert!(
            after[pi] + 1e-9 >= before[pi],
            "point {} fell from {} to {}\nbefore: {:?}\nafter: {:?}",
            point.id, before[pi], after[pi], t, out
        );
    }
}

fn segment_with_doc(doc: &caifen::decode::Document) -> Segmented {
    caifen::segment::segment_with(&doc.text, &doc.hints)
}

/// The plain form of `report::short_quote`: the text without invisible characters, line breaks
/// as spaces, trimmed, cut after `max` characters with 「…」. The report reads lazily instead.
fn short_quote_plain(s: &str, max: usize) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| !caifen::normalize::is_invisible(c))
        .map(|c| if c == '\n' || c == '\u{2028}' { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() > max {
        format!("{}…", clean.chars().take(max).collect::<String>())
    } else {
        clean.to_owned()
    }
}

proptest! {
    #![proptest_config(config())]

    /// The lazy quote is the plain one, over blanks, line breaks and invisible characters at
    /// either end and around the cut.
    #[test]
    fn short_quote_is_the_plain_quote(
        parts in proptest::collection::vec(
            select(vec![
                " ", "\n", "\u{2028}", "\u{200B}", "\u{3000}", "a", "中", "，", "\u{FEFF}",
                "\u{00AD}", "\u{2060}", "\u{2061}", "\t", "—", "😀", "é", "~", "\u{7F}",
            ]),
            0..14,
        ),
        max in 0usize..8,
    ) {
        let s = parts.concat();
        prop_assert_eq!(caifen::report::short_quote(&s, max), short_quote_plain(&s, max));
    }
}

/// A text of `n` pieces drawn from `piece`, one after another (the shape of the text generators
/// here).
fn concat_of<T: AsRef<str> + std::fmt::Debug>(
    piece: impl Strategy<Value = T>,
    n: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec(piece, n).prop_map(|v| v.iter().map(AsRef::as_ref).collect())
}

/// Texts for the word boundaries: answer fragments with line breaks (`\r\n` too), spaces,
/// full-width forms and the characters jieba keeps inside a run (`+#&._%-`).
fn boundary_text() -> impl Strategy<Value = String> {
    concat_of(
        prop_oneof![
            6 => fragment(),
            1 => select(vec!["\n", "\r\n", "\r", " ", "\u{3000}", "ＡＢ", "3.5%", "C++", "a-b_c", "#&"])
                .prop_map(String::from),
            // Lead bytes of every length, separators and not (— … 、 are; € and ℃ share the
            // lead byte E2 of — and are not).
            1 => select(vec!["é", "😀", "—", "…", "、", "€", "℃", "\u{FEFF}"]).prop_map(String::from),
        ],
        0..60,
    )
}

proptest! {
    #![proptest_config(config())]

    /// The boundaries, found and cut window by window when asked, are those of one jieba `cut`
    /// over the whole text, at every byte offset, whether asked in text order or first at any
    /// one place.
    #[test]
    fn boundaries_are_one_whole_cut(text in boundary_text()) {
        let whole: Vec<(usize, usize)> = caifen::words::jieba()
            .cut(&text, true)
            .iter()
            .map(|t| (t.byte_start, t.byte_end))
            .collect();
        let b = caifen::words::Boundaries::new(&text);
        let mut edge = vec![false; text.len() + 1];
        edge[0] = true;
        edge[text.len()] = true;
        for &(s, e) in &whole {
            edge[s] = true;
            edge[e] = true;
        }
        for i in 0..=text.len() + 1 {
            prop_assert_eq!(b.at(i), edge.get(i).copied().unwrap_or(false), "at {}", i);
            let containing = whole.iter().copied().find(|&(s, e)| s <= i && i < e);
            prop_assert_eq!(b.token_at(i), containing, "token_at {}", i);
            let ending = whole.iter().copied().find(|&(_, e)| e == i);
            prop_assert_eq!(b.token_ending_at(i), ending, "token_ending_at {}", i);
        }
        for s in 0..=text.len() {
            for e in [s, s + 1, s + 4, text.len()] {
                let want: Vec<(usize, usize)> =
                    whole.iter().copied().filter(|&(ts, te)| te > s && ts < e).collect();
                prop_assert_eq!(b.tokens_in(s, e), want, "tokens_in {}..{}", s, e);
            }
        }
        prop_assert_eq!(b.tokens(), whole.clone());
        // Asked first at any one place, with no window found yet.
        for i in 0..=text.len() {
            let fresh = caifen::words::Boundaries::new(&text);
            let containing = whole.iter().copied().find(|&(s, e)| s <= i && i < e);
            prop_assert_eq!(fresh.token_at(i), containing, "first token_at {}", i);
            let fresh = caifen::words::Boundaries::new(&text);
            let ending = whole.iter().copied().find(|&(_, e)| e == i);
            prop_assert_eq!(fresh.token_ending_at(i), ending, "first token_ending_at {}", i);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The line index gives every character boundary the character offset, line and column
    /// counted from the start of the text.
    #[test]
    fn line_index_counts_from_the_start(text in boundary_text()) {
        let index = caifen::span::LineIndex::new(&text);
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            let before = &text[..i];
            prop_assert_eq!(index.chars_at(&text, i), before.chars().count(), "chars_at {}", i);
            let line_start = before.rfind('\n').map_or(0, |k| k + 1);
            let want = (
                before.matches('\n').count() + 1,
                text[line_start..i].chars().count() + 1,
            );
            let got = index.line_col(&text, i);
            prop_assert_eq!((got.line, got.column), want, "line_col {}", i);
        }
    }
}

/// The plain form of `segment::heading_marker`: the regex it replaced (`marker_re`), whose
/// captures gave the style, the number (`cn_value_plain` or an ASCII parse; 0 for none), the end
/// (after the dot of 1., the character past it given back) and the non-standard forms; 「最后，」
/// before a closing cue (`CLOSING_CUE_PLAIN`) is no marker.
fn heading_marker_plain(s: &str) -> Option<(Style, u32, usize, bool)> {
    static MARKER: OnceLock<Regex> = OnceLock::new();
    static CLOSING: OnceLock<Regex> = OnceLock::new();
    let marker = MARKER.get_or_init(|| Regex::new(MARKER_PLAIN).unwrap());
    let closing = CLOSING.get_or_init(|| Regex::new(CLOSING_CUE_PLAIN).unwrap());
    let caps = marker.captures(s)?;
    let whole = caps.get(0)?;
    let mut end = whole.end();
    let (style, number, nonstandard) = if let Some(n) = caps.name("cn") {
        let sep = caps.name("cnsep").map_or("", |m| m.as_str());
        (Style::CnDun, cn_value_plain(n.as_str()), sep != "、")
    } else if let Some(n) = caps.name("cnp") {
        let half = whole.as_str().starts_with('(');
        (Style::CnParen, cn_value_plain(n.as_str()), half)
    } else if let Some(n) = caps.name("d") {
        let sep = caps.name("dsep").map_or("", |m| m.as_str());
        if sep == "、" {
            (Style::DigitDun, digit_value_plain(n.as_str()), false)
        } else {
            // The separator class consumed one following character: give it back.
            let sep_char = sep.chars().next().unwrap_or('.');
            end = caps
                .name("dsep")
                .map_or(whole.end(), |m| m.start() + sep_char.len_utf8());
            let colon = matches!(sep_char, '：' | ':');
            (Style::DigitDot, digit_value_plain(n.as_str()), colon)
        }
    } else if let Some(n) = caps.name("dp") {
        (Style::DigitParen, digit_value_plain(n.as_str()), false)
    } else if let Some(n) = caps.name("dhp") {
        (Style::DigitHalfParen, digit_value_plain(n.as_str()), false)
    } else if let Some(n) = caps.name("circ") {
        let v = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
            .chars()
            .position(|c| n.as_str().starts_with(c))
            .unwrap_or(0) as u32
            + 1;
        (Style::Circled, v, false)
    } else if let Some(n) = caps.name("pdc") {
        let v = n.as_str().chars().next().unwrap() as u32 - '⑴' as u32 + 1;
        (Style::DigitParen, v, false)
    } else if let Some(n) = caps.name("ddc") {
        let v = n.as_str().chars().next().unwrap() as u32 - '⒈' as u32 + 1;
        (Style::DigitDot, v, false)
    } else if let Some(n) = caps.name("cpc") {
        let v = n.as_str().chars().next().unwrap() as u32 - '㈠' as u32 + 1;
        (Style::CnParen, v, false)
    } else if let Some(n) = caps.name("qi") {
        let dun = caps.name("qisep").is_some_and(|m| m.as_str() == "、");
        (Style::CnDi, cn_value_plain(n.as_str()), dun)
    } else if let Some(n) = caps.name("shi") {
        // 一要素: the noun 要素, no 一要.
        static NOUN: OnceLock<Regex> = OnceLock::new();
        let noun = NOUN.get_or_init(|| Regex::new("^要[素件点务害领闻职]").unwrap());
        if noun.is_match(&s[n.end()..]) {
            return None;
        }
        (Style::CnShi, cn_value_plain(n.as_str()), false)
    } else if let Some(n) = caps.name("di") {
        let dun = caps.name("disep").is_some_and(|m| m.as_str() == "、");
        (Style::CnDi, cn_value_plain(n.as_str()), dun)
    } else if let Some(n) = caps.name("rom") {
        let v = n.as_str().chars().next().unwrap() as u32 - 'Ⅰ' as u32 + 1;
        (Style::CnDun, v, true)
    } else if let Some(n) = caps
        .name("sx")
        .filter(|n| !(n.as_str() == "最后" && closing.is_match(s[whole.end()..].trim_start())))
    {
        let v = match n.as_str() {
            "首先" => 1,
            "其次" | "然后" => 2,
            "再次" => 3,
            _ => 99,
        };
        (Style::Shouxian, v, false)
    } else if let Some(n) = caps.name("lab") {
        (Style::Label, cn_value_plain(n.as_str()), false)
    } else {
        return None;
    };
    (number != 0).then_some((style, number, end, nonstandard))
}

/// The value of a marker's digits: ASCII or full-width (１．), 0 for any other digits `\d` takes.
fn digit_value_plain(s: &str) -> u32 {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            _ => c,
        })
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// The heading-marker regex segmentation used before its hand parser (`\d` and `\s` are
/// Unicode's).
const MARKER_PLAIN: &str = r"^(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*(?P<cnsep>[、．.：:])|[（(]\s*(?P<cnp>[一二三四五六七八九十]{1,3})\s*[）)]|(?P<d>\d{1,2})\s*(?P<dsep>[.．：:](?:[^0-9０-９]|$)|、)|[（(]\s*(?P<dp>\d{1,2})\s*[）)]|(?P<dhp>\d{1,2})\s*[）)]|(?P<circ>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])|(?P<pdc>[⑴-⒇])|(?P<ddc>[⒈-⒛])|(?P<cpc>[㈠-㈩])|其(?P<qi>[一二三四五六七八九十]{1,2})\s*(?P<qisep>[，,、：:])|(?P<shi>[一二三四五六七八九十]{1,2})[是要]|第(?P<di>[一二三四五六七八九十]{1,2})(?:点|步|条|部分|方面)?\s*(?P<disep>[，,、：:])|(?P<rom>[Ⅰ-Ⅻ])\s*[、．.：:]|(?P<sx>首先|其次|再次|然后|最后)\s*[，,]|(?:事项|项目)(?P<lab>[一二三四五六七八九十]{1,2})\s*[：:])";

/// The closing cues (`closing_cue_re` of segmentation: words of summary, outlook, thanks and
/// formula, and a vocative such as 同志们，) that make 「最后，」 no marker.
const CLOSING_CUE_PLAIN: &str = r"^(?:(?:[\p{Han}]{0,4}(?:朋友|乡亲|同胞|同志|同学|同仁|老师|家长|村民|居民|市民|青年|党员|干部|职工|群众|女士|先生)们|各位[\p{Han}]{1,8}|亲爱的[\p{Han}]{1,8})[，,！!]|以上|今后|未来|下一步|下步|总之|综上|总而言之|让我们|谢谢|感谢|希望|相信|我们将|我们相信|我们坚信|最后，|展望|在今后|在此|特此|此致|实践证明|事实证明|通过以上|通过这些|通过上述|上述做法|这些做法|总体来看|总的来看|经过努力)";

/// The plain form of `segment::frame_label_end`: the end of a match of the frame-label regex it
/// replaced (`frame_label_re`).
fn frame_label_end_plain(s: &str) -> Option<usize> {
    static LABEL: OnceLock<Regex> = OnceLock::new();
    LABEL
        .get_or_init(|| {
            Regex::new(
                r"^(?:背景|经验|做法|结语|结束语|工作内容|主要做法|主要经验|经验做法|具体做法|成效)\s*[：:]",
            )
            .unwrap()
        })
        .find(s)
        .map(|m| m.end())
}

/// `segment::cn_value` as the regex form used it (crate-private): a Chinese numeral's value as
/// tens and units, 0 for none. It reads 十十 as 10, as segmentation does.
fn cn_value_plain(s: &str) -> u32 {
    let digit = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map_or(0, |i| (i / 3) as u32 + 1)
    };
    let mut chars = s.chars();
    match [chars.next(), chars.next(), chars.next(), chars.next()] {
        [Some('十'), None, ..] => 10,
        [Some('十'), Some(b), None, _] => 10 + digit(b),
        [Some(a), Some('十'), None, _] => digit(a) * 10,
        [Some(a), Some('十'), Some(b), None] => digit(a) * 10 + digit(b),
        [Some(a), None, ..] => digit(a),
        _ => 0,
    }
}

/// Texts for the marker parser: marker shapes put together from an opener (brackets of both
/// widths, 第, 事项, 项目), a number (one to four Chinese numerals, ASCII to 23, full-width,
/// Arabic-Indic and other digits), spaces, a separator or bracket and what follows (digits,
/// closing cues); 第一，, 事项一：, frame labels and 一是 likewise; 首先… before closing cues or
/// not; among the same pieces loose, circled numbers, the frame-label words and their parts, and
/// filler.
fn marker_text() -> impl Strategy<Value = String> {
    let numeral = || {
        select(vec![
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
        ])
    };
    let number = prop_oneof![
        3 => prop::collection::vec(numeral(), 1..5).prop_map(|v| v.concat()),
        2 => (0u32..24).prop_map(|n| n.to_string()),
        1 => select(vec!["１", "２", "０", "٣", "١", "۵", "५", "0", "123", "1１"]).prop_map(String::from),
        1 => select(vec!["Ⅰ", "Ⅱ", "Ⅻ", "Ⅼ", "ⅰ"]).prop_map(String::from),
    ];
    let opener = select(vec![
        "", "", "（", "(", "（", "第", "第", "其", "事项", "项目",
    ]);
    // What may stand between a number and its separator: nothing, or an ordinal's noun (第一点，).
    let noun = select(vec!["", "", "", "", "点", "步", "部分", "方", "方面"]);
    let space = || {
        select(vec![
            "", "", " ", "  ", "\u{3000}", "\t", "\n", "\u{a0}", "\u{85}", "\u{2028}",
        ])
    };
    let sep = || {
        select(vec![
            "、", "．", ".", "）", ")", "）", "，", ",", "，", "：", ":", "：", "是", "要", "要",
            "。", "；", "",
        ])
    };
    // What follows a marker decides some (1.5 is no marker, nor 「最后，我们将」).
    let after = || {
        select(vec![
            "",
            "",
            "5",
            "５",
            "٣",
            "a",
            "中",
            " ",
            "我们将",
            "以上",
            "素",
            "点",
            "最后，",
            "希望",
            "在此",
            "我们",
            "我们，",
            "同志们，",
            "各位村民！",
        ])
    };
    let shape = (opener, space(), number, noun, space(), sep(), after())
        .prop_map(|(o, s1, n, w, s2, p, a)| format!("{o}{s1}{n}{w}{s2}{p}{a}"));
    // 首先，, 最后 ，以上: a sequence word, spaces, a comma or none, spaces and what follows.
    let sequence = (
        select(vec!["首先", "其次", "再次", "然后", "最后", "最后"]),
        space(),
        select(vec!["，", ",", ""]),
        space(),
        after(),
    )
        .prop_map(|(w, s1, p, s2, a)| format!("{w}{s1}{p}{s2}{a}"));
    // 第一，, 事项二：, 背景：, 首先，, 一二是: a word or none, numerals or none, spaces and a comma,
    // a colon or 是.
    let word_shape = (
        select(vec![
            "",
            "",
            "第",
            "其",
            "事项",
            "项目",
            "背景",
            "结束语",
            "经验做法",
            "具体做法",
            "成效",
            "首先",
            "最后",
        ]),
        prop::collection::vec(numeral(), 0..5),
        space(),
        select(vec!["，", ",", "、", "：", ":", "是"]),
    )
        .prop_map(|(w, n, s, p)| format!("{w}{}{s}{p}", n.concat()));
    let circled = select(vec![
        "①", "②", "⑨", "⑩", "⑪", "⑳", "⑴", "⑵", "⒇", "⒈", "⒛", "㈠", "㈩", "㈪", "⒜", "㉑", "⓪",
        "❶",
    ]);
    let word = select(vec![
        "第",
        "是",
        "首先",
        "其次",
        "再次",
        "然后",
        "最后",
        "事项",
        "项目",
        "背景",
        "经验",
        "做法",
        "结语",
        "结束语",
        "工作内容",
        "主要做法",
        "主要经验",
        "经验做法",
        "具体做法",
        "成效",
        "主要",
        "工作",
        "具体",
        "结束",
        "我们将",
        "以上",
        "最后，",
        "希望",
        "今后",
    ]);
    let filler = select(vec!["a", "Z", "中", "我", "x", "的", "é", "😀", "1", "５"]);
    concat_of(
        prop_oneof![
            8 => shape,
            4 => word_shape,
            2 => sequence,
            2 => numeral().prop_map(String::from),
            2 => sep().prop_map(String::from),
            2 => space().prop_map(String::from),
            1 => circled.prop_map(String::from),
            4 => word.prop_map(String::from),
            2 => filler.prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..6,
    )
}

/// Texts for the number rules: ASCII and full-width digits, Chinese digits, dots, blanks, dashes,
/// units and 、, with look-alikes sharing bytes with the characters the scans look for (伙 ends
/// in `BC 99` as ９ does, 。 and 〇 share 、's first two bytes).
fn number_text() -> impl Strategy<Value = String> {
    concat_of(
        select(vec![
            "0", "1", "2", "5", "9", ".", "．", "０", "３", "９", "〇", "零", "一", "二", "九",
            "十", "百", "千", "万", "亿", "、", "。", " ", "\u{3000}", "\n", "\u{A0}", "～", "~",
            "-", "－", "—", "–", "至", "到", "%", "％", "‰", "个", "天", "中", "，", "伙", "a",
        ]),
        0..40,
    )
}
/// The marker check is cheap: 64 times the cases of the other properties.
fn marker_config() -> ProptestConfig {
    let base = config();
    ProptestConfig {
        cases: base.cases * 64,
        ..base
    }
}

proptest! {
    #![proptest_config(marker_config())]

    /// The hand parser of heading markers and frame labels reads what the regexes it replaced
    /// read, at every character of the text (segmentation tries it at clause starts).
    #[test]
    fn heading_markers_are_the_plain_regexes(text in marker_text()) {
        for (i, _) in text.char_indices() {
            let s = &text[i..];
            prop_assert_eq!(heading_marker(s), heading_marker_plain(s), "marker in {:?}", s);
            prop_assert_eq!(frame_label_end(s), frame_label_end_plain(s), "label in {:?}", s);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The number rules' scans find the matches of the regexes they replace, one after another
    /// over the whole text.
    #[test]
    fn number_scans_are_the_plain_regexes(text in number_text()) {
        use caifen::lang::numbers;
        let spans = |r: &str| -> Vec<(usize, usize)> {
            regex::Regex::new(r).unwrap().find_iter(&text).map(|m| (m.start(), m.end())).collect()
        };
        let want = spans(r"[0-9]+(?:\.[0-9]+)?[十百千]|[0-9][〇零二三四五六七八九]|[〇零二三四五六七八九][0-9]");
        prop_assert_eq!(numbers::mixed_matches(&text).collect::<Vec<_>>(), want);
        let want = spans("[０-９]+(?:[．.][０-９]+)?");
        prop_assert_eq!(numbers::full_width_matches(&text).collect::<Vec<_>>(), want);
        let want: Vec<(usize, usize, usize)> =
            regex::Regex::new(r"([1-9一二三四五六七八九])\s*、\s*([2-9二三四五六七八九])")
                .unwrap()
                .captures_iter(&text)
                .map(|c| (c.get(0).unwrap().start(), c.get(2).unwrap().start(), c.get(0).unwrap().end()))
                .collect();
        prop_assert_eq!(numbers::approximate_matches(&text).collect::<Vec<_>>(), want);
        let want: Vec<[(usize, usize); 4]> = regex::Regex::new(
            r"([0-9]+(?:\.[0-9]+)?)\s*(?:～|~|-|－|—|–|至|到)\s*([0-9]+(?:\.[0-9]+)?)\s*(%|％|‰|万|亿)",
        )
        .unwrap()
        .captures_iter(&text)
        .map(|c| [0, 1, 2, 3].map(|i| c.get(i).map(|m| (m.start(), m.end())).unwrap()))
        .collect();
        prop_assert_eq!(numbers::range_matches(&text).collect::<Vec<_>>(), want);
    }
}

/// Texts for the punctuation scan's skip: characters it steps over (Han of U+3400..U+F8FF, Yi,
/// Hangul, private use) and ones it stops at: 一, ASCII, marks, full-width forms, two- and
/// four-byte characters, and characters sharing lead bytes with the skipped ones (〇 and U+33FF
/// lead with E3 below 90; 丁 and 与 share 一's first two bytes; U+F900 and U+FEFF lead with EF
/// from A4; — … € ℃ lead with E2).
fn skip_text() -> impl Strategy<Value = String> {
    concat_of(
        select(vec![
            "中", "国", "一", "丁", "与", "㐀", "䶵", "ꀀ", "가", "\u{E000}", "\u{F8FF}",
            "\u{F900}", "\u{FEFF}", "，", "。", "、", "〇", "\u{33FF}", "—", "…", "€", "℃", "a",
            "1", ".", " ", "\n", "é", "𠀀", "😀", "１", "：", "；", "！", "？", "（", "＂", "〃",
        ]),
        0..40,
    )
}

/// Texts for the byte-level scans of `count`, `normalize`, `words` and `report`: answer
/// fragments mixed with characters of every UTF-8 length at the edges those scans branch on —
/// Han of each range and just outside it (㐀 U+3400, 䶿 U+4DBF, ䷀ U+4DC0 (not Han), 一, 鿿 U+9FFF,
/// 豈 U+F900, U+FAFF, 𠀀 U+20000, 丽 U+2F800, 𰀀 U+30000, U+323AF, U+323B0 (not Han)), radicals,
/// ASCII, full-width forms, CJK marks and spaces, marks sharing the lead byte E2 (— … € ℃ and
/// the line separator U+2028), invisible characters (U+FEFF, U+200B, U+00AD), 😀, é.
fn scan_text() -> impl Strategy<Value = String> {
    concat_of(
        prop_oneof![
            4 => fragment(),
            3 => select(vec![
                "㐀", "䶿", "䷀", "一", "鿿", "豈", "\u{FAFF}", "𠀀", "丽", "𰀀", "\u{323AF}",
                "\u{323B0}", "⺁", "⼀", "a", "7", ".", "%", "-", "+", " ", "\t", "\n", "\r\n",
                "Ａ", "５", "，", "。", "、", "“", "\u{3000}", "—", "…", "€", "℃", "\u{2028}",
                "\u{FEFF}", "\u{200B}", "\u{00AD}", "\u{00A0}", "😀", "é",
            ])
            .prop_map(String::from),
        ],
        0..50,
    )
}

proptest! {
    #![proptest_config(config())]

    /// The punctuation scan's byte-wise skip stops where the plain test over characters stops,
    /// from every character boundary: at the next character outside U+3400..U+F8FF, or at 一,
    /// but for a mark of 、。，：；！？ not followed by itself.
    #[test]
    fn punct_skip_is_the_plain_char_test(text in skip_text()) {
        use caifen::lang::punct::next_looked_at;
        for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let rest = &text[at..];
            let want = rest
                .char_indices()
                .find(|&(i, c)| {
                    let han = ('\u{3400}'..='\u{F8FF}').contains(&c) && c != '一';
                    let lone_mark = matches!(c, '、' | '。' | '，' | '：' | '；' | '！' | '？')
                        && !rest[i + c.len_utf8()..].starts_with(c);
                    !(han || lone_mark)
                })
                .map_or(text.len(), |(i, _)| at + i);
            prop_assert_eq!(next_looked_at(text.as_bytes(), at), want, "at {} in {:?}", at, text);
        }
    }

    /// The listing's path order is `Path`'s (component by component) for the paths a walk of a
    /// folder yields: the folder's own path, or it joined with names (`-`, `.` and `~` sort below
    /// a separator byte-wise, above it by component).
    #[test]
    fn listing_order_is_path_order(
        root in select(vec!["answers", "./答卷", "a//b", "/tmp/x/", "a-b", "a"]),
        rests in prop::collection::vec(
            prop::collection::vec(
                "[ab.~0_甲-]{1,3}".prop_filter("not . or ..", |n| n != "." && n != ".."),
                0..4,
            ),
            2..6,
        ),
    ) {
        use std::path::PathBuf;
        let paths: Vec<PathBuf> = rests
            .iter()
            .map(|names| names.iter().fold(PathBuf::from(root), |p, n| p.join(n)))
            .collect();
        for a in &paths {
            for b in &paths {
                prop_assert_eq!(caifen::input::path_order(a, b), a.cmp(b), "{:?} {:?}", a, b);
            }
        }
    }

    /// The byte-level Han scan yields what filtering the decoded characters does, from every
    /// character boundary.
    #[test]
    fn han_chars_is_the_filter(text in scan_text()) {
        for (i, _) in text.char_indices() {
            let t = &text[i..];
            prop_assert!(
                caifen::count::han_chars(t)
                    .eq(t.chars().filter(|&c| caifen::count::is_han(c)).map(u32::from)),
                "{:?}", t
            );
        }
    }
}

/// The plain form of `count::count`: one character at a time, the runs of letters/digits found
/// by their pattern over the text with invisible characters removed and full width folded.
fn count_plain(text: &str) -> Counts {
    use caifen::count::{fold_width, is_cjk_punct, is_han};
    use caifen::normalize::is_invisible;
    let mut c = Counts::default();
    let mut at_line_start = true;
    let mut symbols = 0;
    let mut kept = String::new();
    for ch in text.chars() {
        if is_invisible(ch) {
            c.invisible += 1;
            continue;
        }
        if ch == '\n' {
            at_line_start = true;
        } else if at_line_start && (ch == '\u{3000}' || ch == ' ') {
            c.indent_chars += 1;
        } else {
            at_line_start = false;
        }
        if is_han(ch) {
            c.han += 1;
        } else if is_cjk_punct(ch) {
            c.cjk_punct += 1;
        } else if !ch.is_whitespace() {
            symbols += 1;
        }
        if !ch.is_whitespace() {
            c.nonspace += 1;
        }
        kept.push(fold_width(ch));
    }
    let runs = Regex::new(r"[A-Za-z0-9]+(?:[.%+\-][A-Za-z0-9]+)*%?").unwrap();
    let (mut run_chars, mut cells) = (0, 0);
    for m in runs.find_iter(&kept) {
        c.alnum_runs += 1;
        run_chars += m.len();
        cells += m.len().div_ceil(2);
    }
    c.other_symbols = symbols - run_chars;
    c.grid = c.han + c.cjk_punct + cells + c.other_symbols;
    c
}

/// Texts for the count: those of the byte-level scans, with every mark of `CJK_PUNCT` and
/// characters sharing their first bytes (〃 〇 U+3000 ‐ ― ＂ ．), full-width digits and the
/// run separators.
fn count_text() -> impl Strategy<Value = String> {
    let marks: Vec<String> = caifen::count::CJK_PUNCT.chars().map(String::from).collect();
    concat_of(
        prop_oneof![
            3 => scan_text(),
            2 => select(marks),
            2 => select(vec![
                "〃", "〇", "\u{3000}", "‐", "―", "＂", "．", "５", "ｂ", "％", "+", "-", ".",
                "%", "1", "x",
            ])
            .prop_map(String::from),
        ],
        0..12,
    )
}

/// The plain form of `segment::split_sentences`: the same rules read character by character,
/// with no byte-wise skip of characters that are no marks.
fn split_sentences_plain(text: &str, para: Span) -> Vec<(Span, bool)> {
    let is_terminal = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | '…');
    let is_closer = |c: char| {
        matches!(
            c,
            '”' | '’'
                | '）'
                | ')'
                | '》'
                | '」'
                | '』'
                | '】'
                | '〉'
                | '〕'
                | '〗'
                | '］'
                | '"'
                | '\''
        )
    };
    let s = para.slice(text);
    let at = |i: usize| s[i..].chars().next();
    let before = |i: usize| s[..i].chars().next_back();
    let skip = |mut i: usize, f: &dyn Fn(char) -> bool| {
        while let Some(c) = at(i).filter(|&c| f(c)) {
            i += c.len_utf8();
        }
        i
    };
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut stack: Vec<(char, bool)> = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let prev = before(i);
        let after = i + c.len_utf8();
        match c {
            '“' | '‘' | '（' | '(' | '《' | '「' | '『' | '【' | '〈' | '〔' | '〖' | '［' =>
            {
                stack.push((c, matches!(prev, Some('：') | Some(':'))));
            }
            '"' | '\'' => {
                if let Some(pos) = stack.iter().rposition(|&(o, _)| o == c) {
                    stack.truncate(pos);
                } else {
                    stack.push((c, matches!(prev, Some('：') | Some(':'))));
                }
            }
            '”' | '’' | '）' | ')' | '》' | '」' | '』' | '】' | '〉' | '〕' | '〗' | '］' =>
            {
                let opener = match c {
                    '”' => '“',
                    '’' => '‘',
                    '）' | ')' => '（',
                    '》' => '《',
                    '」' => '「',
                    '』' => '『',
                    '】' => '【',
                    '〕' => '〔',
                    '〗' => '〖',
                    '］' => '［',
                    _ => '〈',
                };
                if let Some(pos) = stack
                    .iter()
                    .rposition(|&(o, _)| o == opener || (opener == '（' && o == '('))
                {
                    stack.truncate(pos);
                }
            }
            _ => {}
        }
        let terminal = is_terminal(c)
            || (c == '.'
                && !prev.is_some_and(|p| p.is_ascii_alphanumeric())
                && !at(after).is_some_and(|n| n.is_ascii_digit() || n == '.')
                && i > 0
                && !{
                    // Only an item number before the dot: a heading marker (一. 1 . １.).
                    let t = s[start..i].trim();
                    !t.is_empty()
                        && t.chars().all(|c| {
                            c.is_ascii_digit()
                                || ('０'..='９').contains(&c)
                                || "一二三四五六七八九十 ".contains(c)
                        })
                });
        if !terminal {
            i = after;
            continue;
        }
        let mut j = skip(after, &|d| is_terminal(d) || (d == '.' && c == '.'));
        let mut end_ok = stack.is_empty();
        if !end_ok {
            let k = skip(j, &is_closer);
            if s[j..k].chars().count() >= stack.len() && k > j {
                let outer = stack[0];
                end_ok = match outer.0 {
                    '《' | '〈' => false,
                    '（' | '(' | '【' | '〔' | '〖' | '［' => true,
                    _ => outer.1,
                };
                if end_ok {
                    stack.clear();
                    j = k;
                }
            }
        } else {
            j = skip(j, &|d| is_closer(d) && !matches!(d, '"' | '\''));
        }
        // A clause mark after the run, or an ellipsis after 等 with more text: the sentence goes on.
        let next = at(skip(j, &char::is_whitespace));
        let ellipsis = c == '…' || (c == '.' && prev == Some('.'));
        let list_end = ellipsis && next.is_some() && {
            let mut k = i;
            while let Some(d @ ('…' | '.')) = before(k) {
                k -= d.len_utf8();
            }
            before(k) == Some('等')
        };
        if matches!(next, Some('，' | '、' | '：' | ',' | ':')) || list_end {
            end_ok = false;
        }
        if end_ok {
            let end = skip(j, &char::is_whitespace);
            if end > start {
                out.push((Span::new(para.start + start, para.start + end), true));
            }
            start = end;
            i = end;
        } else {
            i = j;
        }
    }
    if start < s.len() {
        let rest = Span::new(para.start + start, para.end);
        if rest.slice(text).trim().is_empty() {
            if let Some(last) = out.last_mut() {
                last.0.end = para.end;
            }
        } else {
            out.push((rest, false));
        }
    }
    out
}

/// The plain form of `segment::headline`: characters up to the first stop (。；：！？, ;:!?, a
/// line break, a . after no letter or digit and before no digit), spaces and invisible
/// characters trimmed off both ends.
fn headline_plain(text: &str, from: usize, limit: usize) -> Span {
    let s = &text[from..limit];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut end = s.len();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(k + 1).map(|&(_, n)| n);
        let dot = c == '.'
            && !prev.is_some_and(|p| p.is_ascii_alphanumeric())
            && !next.is_some_and(|n| n.is_ascii_digit());
        if dot || "。；：;:\n！？!?".contains(c) {
            end = i;
            break;
        }
    }
    // Drawn as nothing or as a blank: trimmed.
    let blank =
        |c: char| c.is_whitespace() || caifen::normalize::is_drawn_as_nothing(c) || c == '\u{2800}';
    let t = &s[..end];
    let lead = t.len() - t.trim_start_matches(blank).len();
    let kept = t.trim_end_matches(blank).len();
    if kept <= lead {
        Span::new(from, from)
    } else {
        Span::new(from + lead, from + kept)
    }
}

/// Texts for sentence splitting and headlines: answer fragments among every mark the splitter
/// reads (terminals, quotes and brackets of both widths, 《》「」『』【】〈〉, dots in numbers and
/// abbreviations, colons before quotes) and characters sharing lead bytes with the ones it skips
/// unread (，EF BC 8C beside ；：！？ and full-width letters; 、E3 80 81 beside 。「」 and 〇; Han
/// of E4–E9 and outside it).
fn sentence_text() -> impl Strategy<Value = String> {
    concat_of(
        prop_oneof![
            3 => fragment(),
            4 => select(vec![
                "中", "国", "一", "等", "鿿", "㐀", "豈", "，", "、", "。", "！", "？", "；", "：", "…",
                "“", "”", "‘", "’", "（", "）", "(", ")", "\"", "'", "《", "》", "「", "」", "『",
                "』", "【", "】", "〈", "〉", "〔", "〕", "〖", "〗", "［", "］", ".", "..", "3.5",
                "e.g.", "a", "Z", "7", "!", "?",
                ";", ":", ",", " ", "\u{3000}", "\n", "\t", "Ａ", "５", "〇", "\u{FEFF}", "\u{200B}",
                "\u{2028}", "—", "😀", "é",
            ])
            .prop_map(String::from),
        ],
        0..50,
    )
}

proptest! {
    #![proptest_config(config())]

    /// A sentence has a key exactly when it holds six Han characters or more, and the key is
    /// that of its Han characters alone (sentences with the same Han characters are matched
    /// whatever their punctuation, spaces or digits), from every character boundary.
    #[test]
    fn sentence_key_is_that_of_the_han_characters(text in scan_text()) {
        for (i, _) in text.char_indices() {
            let t = &text[i..];
            let han: String = t.chars().filter(|&c| caifen::count::is_han(c)).collect();
            let key = caifen::gaming::sentence_key(t);
            prop_assert_eq!(key.is_some(), han.chars().count() >= 6, "{:?}", t);
            prop_assert_eq!(key, caifen::gaming::sentence_key(&han), "{:?}", t);
        }
    }

    /// The one-pass count with its byte-level fast path gives the counts of the plain
    /// definitions, from every character boundary.
    #[test]
    fn count_is_the_plain_count(text in count_text()) {
        for (i, _) in text.char_indices() {
            let t = &text[i..];
            prop_assert_eq!(count(t), count_plain(t), "{:?}", t);
        }
    }
}

proptest! {
    #![proptest_config(marker_config())]

    /// Sentence splitting with its byte-wise skip gives the sentences of the plain reading, for
    /// the whole text as one paragraph and for each of its lines.
    #[test]
    fn sentences_are_the_plain_split(text in sentence_text()) {
        use caifen::segment::split_sentences;
        let mut paras = vec![Span::new(0, text.len())];
        let mut pos = 0;
        for line in text.split('\n') {
            paras.push(Span::new(pos, pos + line.len()));
            pos += line.len() + 1;
        }
        for p in paras {
            prop_assert_eq!(split_sentences(&text, p), split_sentences_plain(&text, p), "{:?}", p.slice(&text));
        }
    }

    /// The byte-wise headline scan ends where the plain one does, from every character boundary.
    #[test]
    fn headlines_are_the_plain_scan(text in sentence_text()) {
        use caifen::segment::headline;
        for from in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            prop_assert_eq!(headline(&text, from, text.len()), headline_plain(&text, from, text.len()), "from {} in {:?}", from, text);
        }
    }
}

/// The plain form of `segment::clause_starts`: the paragraph start and every character after a
/// stop (。！？；：，;:!?,.．) with only spaces and closing marks between, read character by
/// character.
fn clause_starts_plain(text: &str, para: Span) -> Vec<usize> {
    let closer = |c: char| "”’）)》」』】〉〕〗］\"'".contains(c);
    let mut out = vec![para.start];
    let mut prev_stop = false;
    for (i, c) in para.slice(text).char_indices() {
        if prev_stop && !c.is_whitespace() && !closer(c) {
            out.push(para.start + i);
        }
        if "。！？；：，;:!?,.．".contains(c) {
            prev_stop = true;
        } else if !(c.is_whitespace() || closer(c)) {
            prev_stop = false;
        }
    }
    out
}

proptest! {
    #![proptest_config(marker_config())]

    /// Clause starts found with the byte-wise skip of ideographs are those of the plain reading,
    /// for the whole text as one paragraph and for each of its lines.
    #[test]
    fn clause_starts_are_the_plain_scan(text in sentence_text()) {
        let mut paras = vec![Span::new(0, text.len())];
        let mut pos = 0;
        for line in text.split('\n') {
            paras.push(Span::new(pos, pos + line.len()));
            pos += line.len() + 1;
        }
        let mut got = Vec::new();
        for p in paras {
            caifen::segment::clause_starts(&text, p, &mut got);
            prop_assert_eq!(&got, &clause_starts_plain(&text, p), "{:?}", p.slice(&text));
        }
    }
}

/// Patterns for the term automaton: rubric words, their parts and overlaps (机制 in 工作机制,
/// 制 alone), ASCII and one-byte patterns, and repeats of one pattern.
fn automaton_patterns() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            4 => select(TERMS).prop_map(String::from),
            2 => select(&["机", "制", "工作", "作机", "落实落实", "a", "aa", "5", "\u{20000}"][..]).prop_map(String::from),
            1 => "[a-c机制落实]{1,4}",
        ],
        1..12,
    )
}

/// Texts for the term automaton: answers, and runs of the patterns' own pieces.
fn automaton_text() -> impl Strategy<Value = String> {
    prop_oneof![
        answer(),
        concat_of(
            select(&["机", "制", "工作", "a", "b", "落实", " ", "\u{20000}"][..]),
            0..40
        )
    ]
}

/// Every occurrence of `patterns` in `text`, from the matcher's search by first character, as
/// (start, end, pattern).
fn occurrences(patterns: &[&str], text: &str) -> Vec<(usize, usize, usize)> {
    let index = caifen::check::Occurrences::new(patterns);
    let mut got = Vec::new();
    index.each(text, |s, e, p| got.push((s, e, p)));
    // Looking at every character finds the same (the marks of a check's bits hold the index's).
    let mut every = Vec::new();
    let marks = caifen::check::Marks::every(text);
    index.each_marked(text, &marks, |s, e, p| every.push((s, e, p)));
    assert_eq!(every, got, "over every character, {patterns:?} in {text:?}");
    got
}

proptest! {
    #![proptest_config(marker_config())]

    /// The search by first character reports what aho-corasick's overlapping iterator reports,
    /// in the same order (patterns listed twice included).
    #[test]
    fn term_occurrences_are_the_overlapping_search(patterns in automaton_patterns(), text in automaton_text()) {
        use aho_corasick::{AhoCorasick, MatchKind};
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let plain: Vec<(usize, usize, usize)> = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .unwrap()
            .find_overlapping_iter(&text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        prop_assert_eq!(occurrences(&patterns, &text), plain, "{:?} in {:?}", patterns, text);
    }

    /// Forbidden phrases found in the term automaton's overlapping search, then kept
    /// leftmost-longest, are what aho-corasick's own leftmost-longest search finds (a phrase
    /// listed twice is reported as its first listing).
    #[test]
    fn phrases_from_the_overlapping_search_are_leftmost_longest(patterns in automaton_patterns(), text in automaton_text()) {
        use aho_corasick::{AhoCorasick, MatchKind};
        let mut distinct: Vec<&str> = Vec::new();
        let mut first: Vec<usize> = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            if !distinct.contains(&p.as_str()) {
                distinct.push(p);
                first.push(i);
            }
        }
        let mut got: Vec<(usize, usize, usize)> = occurrences(&distinct, &text)
            .into_iter()
            .map(|(s, e, p)| (s, e, first[p]))
            .collect();
        caifen::check::leftmost_longest(&mut got);
        let plain: Vec<(usize, usize, usize)> = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .unwrap()
            .find_iter(&text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        prop_assert_eq!(got, plain, "{:?} in {:?}", patterns, text);
    }
}

/// Rubric patterns of every shape the sieve takes or refuses: the default rubric's evidence
/// pattern, numbers with units, numerals, literals first (no sieve), word boundaries and anchors
/// (no sieve), case folding, classes of spaces and line breaks, any character (no sieve).
const SIEVE_PATTERNS: &[&str] = &[
    r"(\d+(\.\d+)?|十|[〇零一二两三四五六七八九十百千万]{2,})\s*(余|多)?\s*(个|项|家|人|名|户|次|件|条|座|处|所|批|万|亿|元|吨|亩|公里|千米|%|％)",
    r"\d+\s*(个|项)",
    r"[一二三四五六七八九十]{2,}",
    r"第[一二三四五六七八九十]+批",
    r#"[“"]?1\s*\+\s*N[”"]?"#,
    r"\b\d+\b",
    r"^\d+",
    r"(?i)pdca|\d+x",
    r"[0-9]+%",
    r"\s+\d",
    r"\d+\n\d+",
    r"[\x00-\x{10FFFF}]{2}",
    r"\d{3,}",
];

proptest! {
    #![proptest_config(config())]

    /// A pattern searched over the runs of the characters its matches are made of finds what
    /// `find_iter` finds over the whole text, in order, whether the runs are found from the
    /// sieve's own marks or from those of every character.
    #[test]
    fn sifted_pattern_search_is_find_iter(
        k in 0..SIEVE_PATTERNS.len(),
        text in prop_oneof![
            answer(),
            concat_of(
                select(&["3", "12", ".", "5.5", " ", "\n", "个", "项", "人", "一", "十", "二十",
                    "余", "多", "%", "％", "第", "批", "N", "+", "1", "“", "PDCA", "x", "工作",
                    "\u{0}", "\u{FFFF}", "\u{20000}", "a", "٣", "４"][..]),
                0..40
            ),
        ],
    ) {
        let r = regex::Regex::new(SIEVE_PATTERNS[k]).unwrap();
        let sieve = caifen::check::Sieve::new(SIEVE_PATTERNS[k]);
        let plain: Vec<(usize, usize)> = r.find_iter(&text).map(|m| (m.start(), m.end())).collect();
        prop_assert_eq!(&caifen::check::sifted_matches(&r, sieve.as_ref(), &text, None), &plain, "{:?} in {:?}", SIEVE_PATTERNS[k], text);
        // From the marks of every character (a check's marks hold the sieve's characters).
        let every = caifen::check::Marks::every(&text);
        prop_assert_eq!(caifen::check::sifted_matches(&r, sieve.as_ref(), &text, Some(&every)), plain, "every character: {:?} in {:?}", SIEVE_PATTERNS[k], text);
    }
}

/// Which patterns get a sieve: those of few characters with no literal start the regex engine
/// skips to, and no look-around.
#[test]
fn sieves_are_made_for_patterns_without_literal_starts_or_look_around() {
    let made: Vec<bool> = SIEVE_PATTERNS
        .iter()
        .map(|p| caifen::check::Sieve::new(p).is_some())
        .collect();
    // Numerals of ten characters and [0-9] give the regex engine literal starts.
    assert_eq!(
        made,
        [true, true, false, false, false, false, false, true, false, true, true, false, true]
    );
}

/// Text for normalisation: Han and ASCII, spaces of every kind, line ends, invisible and
/// ignorable characters, full-width forms, radicals and compatibility ideographs.
fn normalize_text() -> impl Strategy<Value = String> {
    concat_of(
        prop_oneof![
            3 => fragment(),
            2 => select(vec![
                " ", "  ", "\t", "\u{3000}", "\u{A0}", "\n", "\r\n", "\u{200B}", "\u{FEFF}",
                "\u{202A}", "\u{FE0F}", "\u{E0100}", "Ａ", "ｂ１", "％", "（", "⺁", "⻳", "豈",
                "\u{2F800}", "é", "😀", "—", "…", "、", "C++", "a b", "推 进",
            ])
            .prop_map(String::from),
        ],
        0..40,
    )
}

proptest! {
    #![proptest_config(config())]

    /// Every normalised character maps back to the original span it stands for: one character
    /// that folds to it, or (a space) a run of whitespace; what lies between those spans is
    /// removed whitespace and characters drawn as nothing. An original offset (inside a character
    /// too) maps forward to the first normalised character from there on.
    #[test]
    fn normalised_characters_map_back_to_what_they_stand_for(text in normalize_text()) {
        use caifen::normalize::{fold_char, is_drawn_as_nothing, Normalized};
        let removed = |s: &str| {
            s.chars().all(|c| is_drawn_as_nothing(c) || (c.is_whitespace() && c != '\n'))
        };
        let n = Normalized::new(&text);
        let mut starts = Vec::new();
        let mut last_end = 0;
        for (k, c) in n.text.char_indices() {
            let (os, oe) = n.origin_of(k);
            for b in k..k + c.len_utf8() {
                prop_assert_eq!(n.origin_of(b), (os, oe), "byte {} of {:?}", b, c);
            }
            prop_assert!(last_end <= os && os < oe, "{:?} at {}: {}..{}", c, k, os, oe);
            prop_assert!(removed(&text[last_end..os]), "gap {:?}", &text[last_end..os]);
            let orig = &text[os..oe];
            if c == ' ' {
                let ws = |d: Option<char>| d.is_some_and(|d| d.is_whitespace() && d != '\n');
                prop_assert!(removed(orig) && ws(orig.chars().next()) && ws(orig.chars().last()), "{:?}", orig);
            } else {
                let mut it = orig.chars();
                let d = it.next();
                prop_assert!(it.next().is_none() && d.map(fold_char) == Some(c), "{:?} for {:?}", orig, c);
            }
            prop_assert_eq!(n.to_original(Span::new(k, k + c.len_utf8())), Span::new(os, oe));
            starts.push((k, os));
            last_end = oe;
        }
        prop_assert!(removed(&text[last_end..]), "tail {:?}", &text[last_end..]);
        for at in 0..=text.len() + 1 {
            let want = starts.iter().find(|&&(_, os)| os >= at).map_or(n.text.len(), |&(k, _)| k);
            prop_assert_eq!(n.from_original(at), want, "from_original {}", at);
        }
    }
}
