//! Heading hierarchy rules (层次序数, GB/T 9704-2012 7.3.3: 一、 → （一） → 1. → （1））: a
//! skipped rank, ranks out of order, mixed styles among siblings, a lone sub-heading, numbers
//! that do not count on, non-standard markers.

use super::{Input, Lines, RuleId, Shared, Sink};
use crate::segment::{is_cn_digit, Heading, Style};

/// The rank of a numbering style in the GB/T 9704 order (1 = 一、); `None` for styles outside it
/// (一是, 第一, 首先, labels, lead sentences, Word outline levels).
pub fn rank(style: Style) -> Option<u8> {
    match style {
        Style::CnDun => Some(1),
        Style::CnParen => Some(2),
        Style::DigitDot | Style::DigitDun => Some(3),
        Style::DigitParen => Some(4),
        Style::DigitHalfParen | Style::Circled => Some(5),
        Style::CnShi
        | Style::CnDi
        | Style::Shouxian
        | Style::Label
        | Style::Lead
        | Style::Outline => None,
    }
}

fn cn_number(n: u32) -> String {
    let d = |k: u32| {
        "零一二三四五六七八九"
            .chars()
            .nth(k as usize)
            .unwrap_or('?')
    };
    match n {
        0..=9 => d(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n - 10)),
        20..=99 if n.is_multiple_of(10) => format!("{}十", d(n / 10)),
        20..=99 => format!("{}十{}", d(n / 10), d(n % 10)),
        _ => n.to_string(),
    }
}

/// The marker a heading of `style` numbered `n` should carry.
fn marker_for(style: Style, n: u32) -> String {
    match style {
        Style::CnDun => format!("{}、", cn_number(n)),
        Style::CnParen => format!("（{}）", cn_number(n)),
        Style::DigitDot => format!("{n}."),
        Style::DigitDun => format!("{n}、"),
        Style::DigitParen => format!("（{n}）"),
        Style::DigitHalfParen => format!("{n}）"),
        Style::Circled => "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
            .chars()
            .nth(n.saturating_sub(1) as usize)
            .map_or_else(|| n.to_string(), String::from),
        Style::CnShi => format!("{}是", cn_number(n)),
        Style::CnDi => format!("第{}", cn_number(n)),
        Style::Label => format!("事项{}", cn_number(n)),
        Style::Shouxian | Style::Lead | Style::Outline => String::new(),
    }
}

/// The standard form of a flagged marker: an ordinal keeps its words and takes a comma (第一点、
/// → 第一点，), any other the form of its style (一． → 一、).
fn standard_marker(marker: &str, style: Style, n: u32) -> String {
    match style {
        Style::CnDi => format!(
            "{}，",
            marker.trim().trim_end_matches(['、', ' ', '\u{3000}'])
        ),
        _ => marker_for(style, n),
    }
}

/// A numbered item of the outline: a heading found by segmentation, or a numbered line.
#[derive(Clone, Debug)]
struct Item {
    rank: u8,
    style: Style,
    number: u32,
    /// The separator class within the rank: `、` for 1、, `.` for 1. and 1．, the bracket pair
    /// otherwise (non-standard variants 一．/(一) are the marker-form rule's).
    shape: char,
    marker: crate::span::Span,
}

/// The blanks a numbered line may open with before its marker.
const LEADING_BLANKS: [char; 9] = [
    ' ', '\t', '\u{3000}', '\u{FEFF}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{A0}',
];

/// The numbering marker a line opens with, as the pattern
/// `^[ \t\u{3000}\u{FEFF}\u{200B}\u{200C}\u{200D}\u{2060}\u{A0}]*(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*[、．.]|[（(]\s*(?P<cnp>[一二三四五六七八九十]{1,3})\s*[）)]|(?P<d>[0-9]{1,2})\s*(?P<dsep>[.．、])|[（(]\s*(?P<dp>[0-9]{1,2})\s*[）)]|(?P<dhp>[0-9]{1,2})\s*[）)]|(?P<circ>[①-⑳]))`
/// matches it (the tests hold the two together): the group that matched, the byte range of
/// its number and the end of the match. Read by hand: the first character past the blanks
/// tells which alternative can match, and each takes a whole run of numerals or digits (a
/// longer run than the pattern allows matches no alternative).
fn marker_parts(line: &str) -> Option<(Group, std::ops::Range<usize>, usize)> {
    let lead = line.len() - line.trim_start_matches(LEADING_BLANKS).len();
    let first = line[lead..].chars().next()?;
    let open_end = lead + first.len_utf8();
    match first {
        _ if is_cn_digit(first) => {
            let (number, at, sep) = run_at(line, lead, 3, is_cn_digit)?;
            let sep = sep.filter(|c| matches!(c, '、' | '．' | '.'))?;
            Some((Group::Cn, number, at + sep.len_utf8()))
        }
        '（' | '(' => {
            let from = line.len()
                - line[open_end..]
                    .trim_start_matches(char::is_whitespace)
                    .len();
            let (group, (number, at, close)) = match run_at(line, from, 3, is_cn_digit) {
                Some(r) => (Group::CnParen, r),
                None => (
                    Group::DigitParen,
                    run_at(line, from, 2, |c| c.is_ascii_digit())?,
                ),
            };
            let close = close.filter(|c| matches!(c, '）' | ')'))?;
            Some((group, number, at + close.len_utf8()))
        }
        '0'..='9' => {
            let (number, at, sep) = run_at(line, lead, 2, |c| c.is_ascii_digit())?;
            let sep = sep?;
            let group = match sep {
                '.' | '．' => Group::Digit('.'),
                '、' => Group::Digit('、'),
                '）' | ')' => Group::DigitHalfParen,
                _ => return None,
            };
            Some((group, number, at + sep.len_utf8()))
        }
        '①'..='⑳' => Some((Group::Circled, lead..open_end, open_end)),
        _ => None,
    }
}

/// The run at byte `from` of `line` of one to `max` characters that are `is` (the whole run: a
/// longer one is `None`): its byte range, and the offset of the first character after it and
/// the blanks (`\s*`) that follow, with that character.
fn run_at(
    line: &str,
    from: usize,
    max: usize,
    is: fn(char) -> bool,
) -> Option<(std::ops::Range<usize>, usize, Option<char>)> {
    let rest = &line[from..];
    let n = rest.find(|c: char| !is(c)).unwrap_or(rest.len());
    if n == 0 || !crate::count::chars_at_most(&rest[..n], max) {
        return None;
    }
    let after = rest[n..].trim_start_matches(char::is_whitespace);
    Some((
        from..from + n,
        line.len() - after.len(),
        after.chars().next(),
    ))
}

/// The alternative of the line-marker pattern that matched ([`marker_parts`]); `Digit` holds its
/// separator class (`.` for . and ．, or `、`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    Cn,
    CnParen,
    Digit(char),
    DigitParen,
    DigitHalfParen,
    Circled,
}

/// The numbering marker a line opens with: its style, number, separator class (see
/// [`Item::shape`]) and byte range in the line (leading blanks excluded). `None` for a line that
/// opens with no marker, a number (1.5亿元, 3、4月, 一、二季度) or a style outside the GB/T 9704 order.
fn line_marker(line: &str) -> Option<(Style, u32, char, std::ops::Range<usize>)> {
    let (group, number, end) = marker_parts(line)?;
    let marker_from = line[..end]
        .char_indices()
        .find(|&(_, ch)| !(ch.is_whitespace() || crate::normalize::is_invisible(ch)))
        .map_or(end, |(i, _)| i);
    let after = &line[end..];
    let n = &line[number];
    let item = match group {
        // 一、二季度 is a range, not a marker.
        Group::Cn
            if crate::segment::is_range(
                &line[marker_from..end],
                after,
                crate::segment::cn_value(n),
            ) =>
        {
            None
        }
        Group::Cn => Some((Style::CnDun, crate::segment::cn_value(n), '、')),
        Group::CnParen => Some((Style::CnParen, crate::segment::cn_value(n), '（')),
        // 1.5亿元 and 3、4月 are numbers, not markers.
        Group::Digit(_) if after.starts_with(|ch: char| ch.is_ascii_digit()) => None,
        Group::Digit('、') => Some((Style::DigitDun, n.parse().unwrap_or(0), '、')),
        Group::Digit(_) => Some((Style::DigitDot, n.parse().unwrap_or(0), '.')),
        Group::DigitParen => Some((Style::DigitParen, n.parse().unwrap_or(0), '（')),
        Group::DigitHalfParen => Some((Style::DigitHalfParen, n.parse().unwrap_or(0), '）')),
        Group::Circled => {
            let v = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
                .chars()
                .position(|x| n.starts_with(x))
                .unwrap_or(0) as u32
                + 1;
            Some((Style::Circled, v, '①'))
        }
    };
    let (style, number, shape) = item?;
    (rank(style).is_some() && number > 0).then_some((style, number, shape, marker_from..end))
}

/// The GB/T 9704 rank of the numbering marker a line opens with, and the byte offset in the line
/// where the marker ends (see [`rank`]).
pub fn line_rank(line: &str) -> Option<(u8, usize)> {
    line_marker(line).and_then(|(style, _, _, at)| Some((rank(style)?, at.end)))
}

/// Numbered lines of a multi-line answer (the marker at the start of a line).
fn line_items(text: &str, lines: &Lines) -> Vec<Item> {
    let mut out = Vec::new();
    for (start, line) in lines.iter(text) {
        if let Some((style, number, shape, at)) = line_marker(line) {
            if let Some(rank) = rank(style) {
                out.push(Item {
                    rank,
                    style,
                    number,
                    shape,
                    marker: crate::span::Span::new(start + at.start, start + at.end),
                });
            }
        }
    }
    out
}

fn shape_of(text: &str, h: &Heading) -> char {
    let m = h.marker.slice(text);
    match h.style {
        Style::DigitDun => '、',
        Style::DigitDot => '.',
        Style::CnDun => '、',
        Style::CnParen | Style::DigitParen => '（',
        Style::DigitHalfParen => '）',
        Style::Circled => '①',
        _ => m.chars().last().unwrap_or(' '),
    }
}

/// One level of the outline being walked: its rank, how many items, the last number, the first
/// item, and the item it hangs under.
struct Level {
    rank: u8,
    count: usize,
    last: Option<(u32, crate::span::Span)>,
    first: crate::span::Span,
    parent: Option<crate::span::Span>,
}

pub fn check(input: &Input, sink: &mut Sink) {
    check_with(input, &Shared::new(input), sink);
}

/// [`check`], with what [`super::run`] found once for all families.
pub(crate) fn check_with(input: &Input, shared: &Shared, sink: &mut Sink) {
    let text = input.text;
    let seg = input.seg;
    // The outline: numbered lines, and the headings segmentation found inside lines (one-line
    // answers), in text order.
    let mut items = line_items(text, &shared.lines);
    for h in &seg.headings {
        let Some(r) = rank(h.style) else {
            continue;
        };
        if items.iter().any(|i| {
            i.marker.start < h.marker.end.max(h.marker.start + 1)
                && h.marker.start < i.marker.end.max(i.marker.start + 1)
        }) {
            continue;
        }
        items.push(Item {
            rank: r,
            style: h.style,
            number: h.number,
            shape: shape_of(text, h),
            marker: h.marker,
        });
    }
    items.sort_by_key(|i| i.marker.start);
    let label = |s: crate::span::Span| s.slice(text).trim().to_owned();

    let mut first_shape: std::collections::BTreeMap<u8, (char, crate::span::Span)> =
        std::collections::BTreeMap::new();
    let mut stack: Vec<Level> = Vec::new();
    let close = |lv: Level, sink: &mut Sink| {
        if let (Some(p), 1) = (lv.parent, lv.count) {
            sink.push(
                RuleId::HeadingLoneChild,
                lv.first,
                format!(
                    "「{}」下只有一个下级标题「{}」：分层至少要有两项，或取消这一层",
                    label(p),
                    label(lv.first)
                ),
            );
        }
    };
    let mut last_item: Option<crate::span::Span> = None;
    for it in &items {
        // Mixed styles: one rank, one form throughout the answer.
        match first_shape.get(&it.rank) {
            Some(&(shape, at)) if shape != it.shape => sink.push(
                RuleId::HeadingMixedStyle,
                it.marker,
                format!(
                    "同一层级的序号样式不一致：前面用「{}」，这里用「{}」",
                    label(at),
                    label(it.marker)
                ),
            ),
            Some(_) => {}
            None => {
                first_shape.insert(it.rank, (it.shape, it.marker));
            }
        }
        if let Some(k) = stack.iter().position(|l| l.rank == it.rank) {
            while stack.len() > k + 1 {
                if let Some(lv) = stack.pop() {
                    close(lv, sink);
                }
            }
        } else {
            let parent = stack.last().map(|l| l.rank);
            if let Some(pr) = parent {
                let pm = marker_for(style_of_rank(pr), 1);
                let cm = marker_for(it.style, 1);
                if it.rank < pr || stack.iter().any(|l| l.rank > it.rank) {
                    sink.push(
                        RuleId::HeadingLevelOrder,
                        it.marker,
                        format!(
                            "层次颠倒：「{cm}」一级写在「{pm}」一级之下；层次序数依次为 一、（一） 1. （1）"
                        ),
                    );
                } else if it.rank > pr + 1 {
                    let expected = marker_for(style_of_rank(pr + 1), 1);
                    sink.push(
                        RuleId::HeadingLevelSkip,
                        it.marker,
                        format!("层次越级：「{pm}」之下直接用「{cm}」，按序应为「{expected}」"),
                    );
                }
            }
            stack.push(Level {
                rank: it.rank,
                count: 0,
                last: None,
                first: it.marker,
                parent: if parent.is_some() { last_item } else { None },
            });
        }
        let Some(lv) = stack.last_mut() else {
            continue;
        };
        // Numbers count on from 1 within a level; a list that starts again at 1 is a new list.
        let expected = lv.last.map_or(1, |(n, _)| n + 1);
        if it.number != expected && it.number != 1 {
            let msg = match lv.last {
                Some((_, prev)) => format!(
                    "序号不连续：「{}」之后是「{}」，应为「{}」",
                    label(prev),
                    label(it.marker),
                    marker_for(it.style, expected)
                ),
                None => format!(
                    "序号应从「{}」开始，这里是「{}」",
                    marker_for(it.style, 1),
                    label(it.marker)
                ),
            };
            sink.push(RuleId::HeadingSequence, it.marker, msg);
        }
        lv.last = Some((it.number, it.marker));
        lv.count += 1;
        last_item = Some(it.marker);
    }
    while let Some(lv) = stack.pop() {
        close(lv, sink);
    }
    if sink.on(RuleId::HeadingMarkerForm) {
        for h in &seg.headings {
            if h.nonstandard {
                sink.push(
                    RuleId::HeadingMarkerForm,
                    h.marker,
                    format!(
                        "序号「{}」不规范，应写作「{}」",
                        h.marker.slice(text).trim(),
                        standard_marker(h.marker.slice(text), h.style, h.number)
                    ),
                );
            }
        }
    }
}

fn style_of_rank(r: u8) -> Style {
    match r {
        1 => Style::CnDun,
        2 => Style::CnParen,
        3 => Style::DigitDot,
        4 => Style::DigitParen,
        _ => Style::Circled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// The pattern [`marker_parts`] reads by hand.
    const LINE_MARKER: &str = r"^[ \t\u{3000}\u{FEFF}\u{200B}\u{200C}\u{200D}\u{2060}\u{A0}]*(?:(?P<cn>[一二三四五六七八九十]{1,3})\s*[、．.]|[（(]\s*(?P<cnp>[一二三四五六七八九十]{1,3})\s*[）)]|(?P<d>[0-9]{1,2})\s*(?P<dsep>[.．、])|[（(]\s*(?P<dp>[0-9]{1,2})\s*[）)]|(?P<dhp>[0-9]{1,2})\s*[）)]|(?P<circ>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))";

    /// What the pattern captures, as [`marker_parts`] gives it.
    fn marker_parts_plain(line: &str) -> Option<(Group, std::ops::Range<usize>, usize)> {
        static R: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let c = R
            .get_or_init(|| regex::Regex::new(LINE_MARKER).unwrap())
            .captures(line)?;
        let end = c.get(0)?.end();
        let group = [
            ("cn", Group::Cn),
            ("cnp", Group::CnParen),
            ("d", Group::Digit('.')),
            ("dp", Group::DigitParen),
            ("dhp", Group::DigitHalfParen),
            ("circ", Group::Circled),
        ]
        .into_iter()
        .find_map(|(name, g)| Some((g, c.name(name)?.range())));
        let (group, number) = group?;
        let group = match c.name("dsep") {
            Some(sep) if sep.as_str() == "、" => Group::Digit('、'),
            _ => group,
        };
        Some((group, number, end))
    }

    /// Line openings: the blanks the pattern allows and other white space (U+2028, U+2003),
    /// numerals, runs of them up to one too long, and characters around them (百, 是), digits
    /// and runs of them (full-width ５ too), brackets of both widths, the separators and others
    /// (，), circled numbers and their neighbours (U+245F, ⑴ U+2474, ㉑), Han text, ASCII.
    fn opening_piece() -> impl Strategy<Value = &'static str> {
        select(vec![
            " ",
            "\t",
            "\u{3000}",
            "\u{FEFF}",
            "\u{200B}",
            "\u{2060}",
            "\u{A0}",
            "\u{2028}",
            "\u{2003}",
            "一",
            "二",
            "九",
            "十",
            "十二",
            "二十一",
            "一二三四",
            "百",
            "是",
            "0",
            "1",
            "9",
            "12",
            "345",
            "５",
            "（",
            "(",
            "）",
            ")",
            "、",
            "．",
            ".",
            "，",
            "①",
            "⑳",
            "\u{245F}",
            "⑴",
            "㉑",
            "中",
            "a",
        ])
    }

    proptest! {
        // Cheap cases: many of them; failures are reported, no file is written into the tree.
        #![proptest_config(ProptestConfig {
            cases: 2048,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The hand reading of line markers captures what the pattern captures, from every
        /// character of the text.
        #[test]
        fn marker_parts_is_the_pattern(text in proptest::collection::vec(opening_piece(), 0..12)) {
            let text = text.concat();
            for (i, _) in text.char_indices() {
                let line = &text[i..];
                prop_assert_eq!(marker_parts(line), marker_parts_plain(line), "{:?}", line);
            }
        }
    }
}
