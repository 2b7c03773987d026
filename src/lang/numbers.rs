//! Number rules (数字, GB/T 15835-2011): Arabic and Chinese numerals mixed in one number, 概数
//! of adjacent numbers written with Arabic numerals or a 顿号, ranges that drop %/万/亿 on the
//! first number, full-width digits.

use super::{inside, marker_spans, Input, RuleId, Sink};
use crate::span::Span;
use regex::Regex;
use std::sync::OnceLock;

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

/// Units that count things or spans of time: before them two adjacent numbers are an estimate
/// (三四天). Not 月 日 号 季度 年级 等奖 届 期 楼 …, where 3、4月 is a list of two.
const COUNTING_UNITS: &[&str] = &[
    "小时", "分钟", "公里", "个", "天", "人", "次", "岁", "名", "种", "件", "户", "家", "位", "处",
    "所", "项", "周", "米", "斤", "元", "倍", "成", "页", "本", "台", "辆", "遍", "趟", "批", "场",
    "亩", "条", "篇", "份", "句", "年",
];

/// Words after 千/百/十 where they are not a numeral (SI prefixes, 百分比 …).
const NOT_NUMERAL_AFTER: &[&str] = &[
    "千米", "千克", "千瓦", "千帕", "千伏", "千焦", "千卡", "千兆", "百分", "十分",
];

pub fn check(input: &Input, sink: &mut Sink) {
    let text = input.text;
    let markers = marker_spans(input.seg);
    if sink.on(RuleId::MixedNumerals) {
        mixed(text, sink);
    }
    if sink.on(RuleId::ApproximateNumber) {
        approximate(text, &markers, sink);
    }
    if sink.on(RuleId::RangeUnit) {
        range_unit(text, sink);
    }
    if sink.on(RuleId::FullWidthDigits) {
        static R: OnceLock<Regex> = OnceLock::new();
        for m in re(&R, "[０-９]+(?:[．.][０-９]+)?").find_iter(text) {
            let ascii: String = m
                .as_str()
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                    '．' => '.',
                    c => c,
                })
                .collect();
            sink.push(
                RuleId::FullWidthDigits,
                Span::new(m.start(), m.end()),
                format!("全角数字「{}」应写作半角「{ascii}」", m.as_str()),
            );
        }
    }
}

fn mixed(text: &str, sink: &mut Sink) {
    // Arabic digits then 十/百/千 (4千, 3百人, 1千万), or Arabic and Chinese digits run together
    // (二0二四, 2零24). 一 next to a digit is left alone: 统一2个 is two words, and 10一12 is
    // judged as a dash by dash-ellipsis-form.
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"[0-9]+(?:\.[0-9]+)?[十百千]|[0-9][〇零二三四五六七八九]|[〇零二三四五六七八九][0-9]",
    );
    let mut last_end = 0;
    // Every match holds an ASCII digit and reaches at most one character beyond the run of
    // digits and dots it belongs to: searching only the windows around those runs finds the same
    // matches as searching the whole text, at a fraction of the cost (the pattern's Chinese
    // digits are common characters, which defeats the regex's own prefilter).
    let matches = digit_windows(text).into_iter().flat_map(|(from, to)| {
        let hay = &text[..to];
        let mut at = from;
        std::iter::from_fn(move || {
            let m = r.find_at(hay, at)?;
            at = m.end();
            Some(m)
        })
    });
    for m in matches {
        let unit_start = m
            .as_str()
            .char_indices()
            .last()
            .map_or(m.end(), |(i, _)| m.start() + i);
        let tail = &text[unit_start..];
        if m.as_str().ends_with(['十', '百', '千'])
            && NOT_NUMERAL_AFTER.iter().any(|w| tail.starts_with(w))
        {
            continue;
        }
        // 二0二四: a Chinese-digit pair inside a longer Chinese-digit run is part of one number,
        // reported once.
        if m.start() < last_end {
            continue;
        }
        // Extend over the whole number (digits of both kinds and 十百千万亿).
        let end = m.end()
            + text[m.end()..]
                .char_indices()
                .find(|&(_, c)| {
                    !(c.is_ascii_digit() || "〇零一二三四五六七八九十百千万亿".contains(c))
                })
                .map_or(text.len() - m.end(), |(i, _)| i);
        let start = m.start()
            - text[..m.start()]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_ascii_digit() || "〇零二三四五六七八九万亿".contains(c))
                .map(|(_, c)| c.len_utf8())
                .sum::<usize>();
        last_end = end;
        let s = Span::new(start, end);
        sink.push(
            RuleId::MixedNumerals,
            s,
            format!(
                "「{}」把阿拉伯数字和汉字数字混在一个数里：全用阿拉伯数字（万、亿除外）或全用汉字",
                s.slice(text)
            ),
        );
    }
}

/// Byte ranges of the text around each run of ASCII digits and dots that holds a digit, widened
/// by one character on either side; windows that overlap are merged, so they are disjoint and
/// in text order.
fn digit_windows(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(digit) = next_ascii_digit(bytes, i) {
        i = digit;
        // The whole run of digits and dots around this digit.
        let mut start = i;
        while start > 0 && (bytes[start - 1] == b'.' || bytes[start - 1].is_ascii_digit()) {
            start -= 1;
        }
        let mut end = i;
        while end < bytes.len() && (bytes[end] == b'.' || bytes[end].is_ascii_digit()) {
            end += 1;
        }
        i = end;
        let from = start - text[..start].chars().next_back().map_or(0, char::len_utf8);
        let to = end + text[end..].chars().next().map_or(0, char::len_utf8);
        match out.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    }
    out
}

/// The offset of the first ASCII digit at or after `from`. Tests 16 bytes at a time (a test the
/// compiler turns into vector instructions): Chinese text holds few digits.
fn next_ascii_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let mut chunks = bytes.get(from..)?.chunks_exact(16);
    let mut base = from;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            return chunk.iter().position(u8::is_ascii_digit).map(|k| base + k);
        }
        base += 16;
    }
    chunks
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|k| base + k)
}

fn digit_value(c: char) -> Option<u32> {
    c.to_digit(10)
        .or_else(|| "一二三四五六七八九".find(c).map(|i| (i / 3) as u32 + 1))
}

fn approximate(text: &str, markers: &[Span], sink: &mut Sink) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"([1-9一二三四五六七八九])\s*、\s*([2-9二三四五六七八九])",
    );
    for caps in r.captures_iter(text) {
        let (Some(a), Some(b), Some(whole)) = (caps.get(1), caps.get(2), caps.get(0)) else {
            continue;
        };
        let (ca, cb) = (
            a.as_str().chars().next().unwrap_or(' '),
            b.as_str().chars().next().unwrap_or(' '),
        );
        // Both Arabic or both Chinese, adjacent values.
        if ca.is_ascii_digit() != cb.is_ascii_digit() {
            continue;
        }
        let (Some(va), Some(vb)) = (digit_value(ca), digit_value(cb)) else {
            continue;
        };
        if vb != va + 1 || inside(markers, whole.start()) || inside(markers, b.start()) {
            continue;
        }
        // Not part of a longer number or an ordinal (第3、4项, 13、14, 十三、四).
        let before = text[..whole.start()].chars().next_back();
        if before.is_some_and(|c| {
            c.is_ascii_digit() || c == '.' || "第〇零一二三四五六七八九十百千".contains(c)
        }) {
            continue;
        }
        let rest = &text[whole.end()..];
        if rest.starts_with(|c: char| c.is_ascii_digit() || "十百千".contains(c))
            || !COUNTING_UNITS.iter().any(|u| rest.starts_with(u))
            || rest.starts_with("年级")
        {
            continue;
        }
        let cn = |v: u32| {
            "一二三四五六七八九"
                .chars()
                .nth(v as usize - 1)
                .unwrap_or('?')
        };
        sink.push(
            RuleId::ApproximateNumber,
            Span::new(whole.start(), whole.end()),
            format!(
                "相邻两数表示概数，用汉字且不加顿号：「{}」应写作「{}{}」",
                whole.as_str(),
                cn(va),
                cn(vb)
            ),
        );
    }
}

fn range_unit(text: &str, sink: &mut Sink) {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"([0-9]+(?:\.[0-9]+)?)\s*(?:～|~|-|－|—|–|至|到)\s*([0-9]+(?:\.[0-9]+)?)\s*(%|％|‰|万|亿)",
    );
    for caps in r.captures_iter(text) {
        let (Some(whole), Some(a), Some(b), Some(u)) =
            (caps.get(0), caps.get(1), caps.get(2), caps.get(3))
        else {
            continue;
        };
        // Not the tail of a longer number (1.5-2%: the regex starts at 5 only if . precedes).
        if text[..whole.start()]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        {
            continue;
        }
        let unit = u.as_str();
        sink.push(
            RuleId::RangeUnit,
            Span::new(whole.start(), whole.end()),
            format!(
                "数值范围「{}」省略了前一个数的「{unit}」：应写作「{}{unit}～{}{unit}」",
                whole.as_str(),
                a.as_str(),
                b.as_str()
            ),
        );
    }
}
