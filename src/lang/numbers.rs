//! Number rules (数字, GB/T 15835-2011): Arabic and Chinese numerals mixed in one number, 概数
//! of adjacent numbers written with Arabic numerals or a 顿号, ranges that drop %/万/亿 on the
//! first number, full-width digits.

use super::{inside, Input, RuleId, Shared, Sink};
use crate::segment::cn_digit_value;
use crate::span::Span;

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
    check_with(input, &Shared::new(input), sink);
}

/// [`check`], with what [`super::run`] found once for all families.
pub(crate) fn check_with(input: &Input, shared: &Shared, sink: &mut Sink) {
    let text = input.text;
    let markers = &shared.markers;
    if sink.on(RuleId::MixedNumerals) {
        mixed(text, sink);
    }
    if sink.on(RuleId::ApproximateNumber) {
        approximate(text, markers, sink);
    }
    if sink.on(RuleId::RangeUnit) {
        range_unit(text, sink);
    }
    if sink.on(RuleId::FullWidthDigits) {
        for (start, end) in full_width_matches(text) {
            let found = &text[start..end];
            let ascii: String = found
                .chars()
                .map(|c| match c {
                    '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                    '．' => '.',
                    c => c,
                })
                .collect();
            sink.push(
                RuleId::FullWidthDigits,
                Span::new(start, end),
                format!("全角数字「{found}」应写作半角「{ascii}」"),
            );
        }
    }
}

/// The matches of `[０-９]+(?:[．.][０-９]+)?`, as byte ranges in text order: runs of
/// full-width digits (`EF BC 90`…`EF BC 99`), with a fraction after a full-width or ASCII dot.
pub fn full_width_matches(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let digit_at = move |p: usize| {
        bytes
            .get(p..p + 3)
            .is_some_and(|b| b[0] == 0xEF && b[1] == 0xBC && (0x90..=0x99).contains(&b[2]))
    };
    let run_end = move |mut p: usize| {
        while digit_at(p) {
            p += 3;
        }
        p
    };
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = next_triple(bytes, from, [0xEF, 0xBC], 0x90..=0x99)?;
        let mut end = run_end(start);
        let dot = if bytes.get(end) == Some(&b'.') {
            1
        } else if bytes.get(end..end + 3) == Some("．".as_bytes()) {
            3
        } else {
            0
        };
        if dot > 0 && digit_at(end + dot) {
            end = run_end(end + dot);
        }
        from = end;
        Some((start, end))
    })
}

/// The offset of the first `lead[0] lead[1] x` at or after `from` with `x` in `last`. Tests 32
/// positions at a time (an OR over bytes, which the compiler turns into a few vector
/// instructions), then byte by byte inside the chunk that holds one.
fn next_triple(
    bytes: &[u8],
    from: usize,
    lead: [u8; 2],
    last: std::ops::RangeInclusive<u8>,
) -> Option<usize> {
    let (lo, width) = (*last.start(), last.end() - last.start());
    let hit = |a: u8, b: u8, c: u8| (a == lead[0]) & (b == lead[1]) & (c.wrapping_sub(lo) <= width);
    let mut i = from;
    // The 34 bytes that hold the first bytes of 32 positions and the two after each.
    while let Some(w) = bytes.get(i..).and_then(<[u8]>::first_chunk::<34>) {
        let (a, b, c): (&[u8; 32], &[u8; 32], &[u8; 32]) = (
            w.first_chunk()?,
            w[1..].first_chunk()?,
            w[2..].first_chunk()?,
        );
        let any = (0..32).fold(0u8, |any, k| any | u8::from(hit(a[k], b[k], c[k])));
        if any != 0 {
            break;
        }
        i += 32;
    }
    (i..bytes.len().saturating_sub(2)).find(|&p| hit(bytes[p], bytes[p + 1], bytes[p + 2]))
}

fn mixed(text: &str, sink: &mut Sink) {
    // Arabic digits then 十/百/千 (4千, 3百人, 1千万), or Arabic and Chinese digits run together
    // (二0二四, 2零24). 一 next to a digit is left alone: 统一2个 is two words, and 10一12 is
    // judged as a dash by dash-ellipsis-form.
    let mut last_end = 0;
    for (m_start, m_end) in mixed_matches(text) {
        let found = &text[m_start..m_end];
        let unit_start = found
            .char_indices()
            .last()
            .map_or(m_end, |(i, _)| m_start + i);
        let tail = &text[unit_start..];
        if found.ends_with(['十', '百', '千'])
            && NOT_NUMERAL_AFTER.iter().any(|w| tail.starts_with(w))
        {
            continue;
        }
        // 二0二四: a Chinese-digit pair inside a longer Chinese-digit run is part of one number,
        // reported once.
        if m_start < last_end {
            continue;
        }
        // Extend over the whole number (digits of both kinds and 十百千万亿).
        let end = m_end
            + text[m_end..]
                .char_indices()
                .find(|&(_, c)| {
                    !(c.is_ascii_digit()
                        || cn_digit_value(c).is_some()
                        || matches!(c, '〇' | '零' | '十' | '百' | '千' | '万' | '亿'))
                })
                .map_or(text.len() - m_end, |(i, _)| i);
        let start = m_start
            - text[..m_start]
                .char_indices()
                .rev()
                .take_while(|&(_, c)| c.is_ascii_digit() || cn_digit(c) || matches!(c, '万' | '亿'))
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

/// The matches of
/// `[0-9]+(?:\.[0-9]+)?[十百千]|[0-9][〇零二三四五六七八九]|[〇零二三四五六七八九][0-9]`
/// (leftmost first, one after another), as byte ranges in text order. Every match holds an
/// ASCII digit: the scan visits the runs of digits and, at each, the one place a match can start
/// at (the Chinese digit before the run) and the ones inside it (its first digit not yet taken,
/// its last digit before a Chinese digit).
pub fn mixed_matches(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let (mut from, mut taken) = (0, 0);
    std::iter::from_fn(move || loop {
        // `from` is 0 or follows a non-digit: `run` starts a run of digits.
        let run = next_ascii_digit(bytes, from)?;
        let run_end = ascii_digits_end(bytes, run);
        from = run_end;
        if run_end <= taken {
            continue;
        }
        if run >= taken + 3 && text[..run].chars().next_back().is_some_and(cn_digit) {
            // The rest of the run may match again.
            from = run;
            taken = run + 1;
            return Some((run - 3, run + 1));
        }
        let number_end = fraction_end(bytes, run_end);
        if text[number_end..].starts_with(['十', '百', '千']) {
            let start = run.max(taken);
            taken = number_end + 3;
            return Some((start, taken));
        }
        if text[run_end..].chars().next().is_some_and(cn_digit) {
            taken = run_end + 3;
            return Some((run_end - 1, taken));
        }
    })
}

/// The end of the run of ASCII digits at `from`.
fn ascii_digits_end(bytes: &[u8], mut from: usize) -> usize {
    while bytes.get(from).is_some_and(u8::is_ascii_digit) {
        from += 1;
    }
    from
}

/// The end of `(?:\.[0-9]+)?` at `from`, the end of a number's run of digits.
fn fraction_end(bytes: &[u8], from: usize) -> usize {
    if bytes.get(from) == Some(&b'.') && bytes.get(from + 1).is_some_and(u8::is_ascii_digit) {
        ascii_digits_end(bytes, from + 1)
    } else {
        from
    }
}

/// The offset of the first ASCII digit at or after `from`. Tests 32 bytes at a time (an OR over
/// bytes, which the compiler turns into a few vector instructions): Chinese text holds few
/// digits.
fn next_ascii_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let digit = |b: &u8| b.is_ascii_digit();
    let mut i = from;
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<32>) {
        if chunk.iter().fold(0u8, |any, b| any | u8::from(digit(b))) != 0 {
            break;
        }
        i += 32;
    }
    // Byte by byte from the chunk that holds one (a separate loop: found with the test above,
    // the compiler would no longer vectorize it).
    bytes.get(i..)?.iter().position(digit).map(|k| i + k)
}

/// A Chinese digit of `[〇零二三四五六七八九]`, the ones that run together with Arabic digits
/// in one number (二0二四; 一 is left out, see [`mixed`]).
fn cn_digit(c: char) -> bool {
    matches!(c, '〇' | '零') || cn_digit_value(c).is_some_and(|v| v >= 2)
}

fn digit_value(c: char) -> Option<u32> {
    c.to_digit(10).or_else(|| cn_digit_value(c))
}

fn approximate(text: &str, markers: &[Span], sink: &mut Sink) {
    for (start, b_start, end) in approximate_matches(text) {
        let whole = Span::new(start, end);
        let (ca, cb) = (
            text[start..].chars().next().unwrap_or(' '),
            text[b_start..].chars().next().unwrap_or(' '),
        );
        // Both Arabic or both Chinese, adjacent values.
        if ca.is_ascii_digit() != cb.is_ascii_digit() {
            continue;
        }
        let (Some(va), Some(vb)) = (digit_value(ca), digit_value(cb)) else {
            continue;
        };
        if vb != va + 1 || inside(markers, start) || inside(markers, b_start) {
            continue;
        }
        // Not part of a longer number or an ordinal (第3、4项, 13、14, 十三、四).
        let before = text[..start].chars().next_back();
        if before.is_some_and(|c| {
            c.is_ascii_digit()
                || cn_digit_value(c).is_some()
                || matches!(c, '.' | '第' | '〇' | '零' | '十' | '百' | '千')
        }) {
            continue;
        }
        let rest = &text[end..];
        if rest.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '十' | '百' | '千'))
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
            whole,
            format!(
                "相邻两数表示概数，用汉字且不加顿号：「{}」应写作「{}{}」",
                whole.slice(text),
                cn(va),
                cn(vb)
            ),
        );
    }
}

/// The matches of `([1-9一二三四五六七八九])\s*、\s*([2-9二三四五六七八九])` (one after
/// another), as the byte offsets of the match, of its second digit and of its end. Each holds one
/// 、, and each 、 at most one match: the digit before it (over blanks) and the one after.
pub fn approximate_matches(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let (mut from, mut taken) = (0, 0);
    std::iter::from_fn(move || loop {
        let mark = next_triple(bytes, from, [0xE3, 0x80], 0x81..=0x81)?;
        from = mark + 3;
        // Most 、 separate words: the digit before it is tested first.
        let before = text[..mark].trim_end_matches(char::is_whitespace);
        let Some(a) = before.chars().next_back() else {
            continue;
        };
        let start = before.len() - a.len_utf8();
        if start < taken || !(matches!(a, '1'..='9') || cn_digit_value(a).is_some()) {
            continue;
        }
        let after = text[from..].trim_start_matches(char::is_whitespace);
        let Some(b) = after.chars().next() else {
            continue;
        };
        let b_start = text.len() - after.len();
        if !(matches!(b, '2'..='9') || cn_digit_value(b).is_some_and(|v| v >= 2)) {
            continue;
        }
        taken = b_start + b.len_utf8();
        return Some((start, b_start, taken));
    })
}

/// The character at byte `at` of `text` when it is one of `set`.
fn char_in(text: &str, at: usize, set: &str) -> Option<char> {
    text[at..].chars().next().filter(|c| set.contains(*c))
}

/// The matches of `([0-9]+(?:\.[0-9]+)?)\s*(?:～|~|-|－|—|–|至|到)\s*([0-9]+(?:\.[0-9]+)?)\s*(%|％|‰|万|亿)`
/// (one after another), as the byte ranges of the match, its two numbers and its unit. Each part
/// is fixed once the first is (a number takes all its digits), so a match can start only at the
/// start of a run of digits, and does or does not.
pub fn range_matches(text: &str) -> impl Iterator<Item = [(usize, usize); 4]> + '_ {
    let bytes = text.as_bytes();
    let blanks_end =
        move |p: usize| text.len() - text[p..].trim_start_matches(char::is_whitespace).len();
    let mut from = 0;
    std::iter::from_fn(move || loop {
        // `from` is 0 or follows a non-digit: `start` starts a run of digits.
        let start = next_ascii_digit(bytes, from)?;
        let run_end = ascii_digits_end(bytes, start);
        from = run_end;
        let a_end = fraction_end(bytes, run_end);
        let mut p = blanks_end(a_end);
        let Some(dash) = char_in(text, p, "～~-－—–至到") else {
            continue;
        };
        p = blanks_end(p + dash.len_utf8());
        if !bytes.get(p).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let b = (p, fraction_end(bytes, ascii_digits_end(bytes, p)));
        let u_start = blanks_end(b.1);
        let Some(unit) = char_in(text, u_start, "%％‰万亿") else {
            continue;
        };
        let end = u_start + unit.len_utf8();
        from = end;
        return Some([(start, end), (start, a_end), b, (u_start, end)]);
    })
}

fn range_unit(text: &str, sink: &mut Sink) {
    for [(start, end), a, b, u] in range_matches(text) {
        let whole = Span::new(start, end);
        // Not the tail of a longer number (1.5-2%: the regex starts at 5 only if . precedes).
        if text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        {
            continue;
        }
        let unit = &text[u.0..u.1];
        sink.push(
            RuleId::RangeUnit,
            whole,
            format!(
                "数值范围「{}」省略了前一个数的「{unit}」：应写作「{}{unit}～{}{unit}」",
                whole.slice(text),
                &text[a.0..a.1],
                &text[b.0..b.1]
            ),
        );
    }
}
