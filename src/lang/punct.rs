//! Punctuation rules (标点, GB/T 15834-2011): half-width marks in Chinese text, unpaired or
//! crossed quotes/brackets/书名号, the forms of 破折号 and 省略号, doubled marks, a full stop
//! ending a heading line, and a paragraph without a sentence-ending mark.

use super::{inside, marker_spans, Input, RuleId, Sink};
use crate::count::is_han;
use crate::segment::Style;
use crate::span::Span;

pub fn check(input: &Input, sink: &mut Sink) {
    let text = input.text;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let markers = marker_spans(input.seg);
    if sink.on(RuleId::HalfWidthPunctuation) {
        half_width(&chars, &markers, sink);
    }
    if sink.on(RuleId::UnpairedMark) {
        unpaired(text, &markers, sink);
    }
    if sink.on(RuleId::DashEllipsisForm) {
        dash_ellipsis(text, &chars, sink);
    }
    if sink.on(RuleId::DoubledMark) {
        doubled(&chars, sink);
    }
    if sink.on(RuleId::HeadingFullStop) {
        heading_full_stop(input, sink);
    }
    if sink.on(RuleId::NoTerminalPunctuation) {
        no_terminal(input, sink);
    }
}

fn span_of(chars: &[(usize, char)], i: usize) -> Span {
    let (at, c) = chars[i];
    Span::new(at, at + c.len_utf8())
}

/// Full-width punctuation of Chinese text (for "next to Chinese" tests of quotes).
fn is_cjk_mark(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '…'
            | '—'
    )
}

fn full_width_of(c: char, opening: bool) -> char {
    match c {
        ',' => '，',
        '.' => '。',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '"' if opening => '“',
        '"' => '”',
        '\'' if opening => '‘',
        '\'' => '’',
        '(' => '（',
        ')' => '）',
        other => other,
    }
}

fn half_width(chars: &[(usize, char)], markers: &[Span], sink: &mut Sink) {
    let han = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|&(_, c)| is_han(c))
    };
    let get = |i: Option<usize>| i.and_then(|i| chars.get(i)).map(|&(_, c)| c);
    // ASCII quotes open and close alternately within a line.
    let mut open_double = false;
    let mut open_single = false;
    for i in 0..chars.len() {
        let (at, c) = chars[i];
        if c == '\n' {
            open_double = false;
            open_single = false;
            continue;
        }
        if !matches!(
            c,
            ',' | '.' | ';' | ':' | '?' | '!' | '"' | '\'' | '(' | ')'
        ) {
            continue;
        }
        let (p, n) = (i.checked_sub(1), Some(i + 1));
        let (pc, nc) = (get(p), get(n));
        let flagged = match c {
            _ if inside(markers, at) => false,
            ',' | ';' | ':' | '?' | '!' => han(p) || han(n),
            '(' | ')' => han(p) || han(n),
            '"' | '\'' => {
                // An apostrophe inside English (don't) is not a quote.
                let ascii_word = pc.is_some_and(|c| c.is_ascii_alphanumeric())
                    && nc.is_some_and(|c| c.is_ascii_alphanumeric());
                !ascii_word
                    && (han(p)
                        || han(n)
                        || pc.is_some_and(is_cjk_mark)
                        || nc.is_some_and(is_cjk_mark))
            }
            '.' => {
                // A full stop after Chinese (功.) or after a quote or bracket closing Chinese
                // ("口碑".); not in 3.5, e.g., URLs, nor in a run of dots (an ellipsis, judged by
                // dash-ellipsis-form).
                let in_run = pc == Some('.') || nc == Some('.');
                let after_han =
                    han(p) || (matches!(pc, Some('"' | '\'' | ')')) && han(i.checked_sub(2)));
                let before_alnum = nc.is_some_and(|c| c.is_ascii_alphanumeric());
                !in_run && after_han && !before_alnum
            }
            _ => false,
        };
        let opening = match c {
            '"' => {
                open_double = !open_double;
                open_double
            }
            '\'' if !(pc.is_some_and(|c| c.is_ascii_alphanumeric())
                && nc.is_some_and(|c| c.is_ascii_alphanumeric())) =>
            {
                open_single = !open_single;
                open_single
            }
            _ => false,
        };
        if flagged {
            sink.push(
                RuleId::HalfWidthPunctuation,
                span_of(chars, i),
                format!(
                    "中文里用了半角标点「{c}」，应改为全角「{}」",
                    full_width_of(c, opening)
                ),
            );
        }
    }
}

fn partner(open: char) -> Option<char> {
    Some(match open {
        '“' => '”',
        '‘' => '’',
        '（' => '）',
        '(' => ')',
        '《' => '》',
        '〈' => '〉',
        '【' => '】',
        '「' => '」',
        '『' => '』',
        _ => return None,
    })
}

fn is_close(c: char) -> bool {
    matches!(c, '”' | '’' | '）' | ')' | '》' | '〉' | '】' | '」' | '』')
}

fn mark_name(c: char) -> &'static str {
    match c {
        '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' => "引号",
        '《' | '》' | '〈' | '〉' => "书名号",
        _ => "括号",
    }
}

fn unpaired(text: &str, markers: &[Span], sink: &mut Sink) {
    let lines: Vec<Span> = {
        let mut v = Vec::new();
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if c == '\n' {
                v.push(Span::new(start, i));
                start = i + 1;
            }
        }
        v.push(Span::new(start, text.len()));
        v
    };
    let first_mark = |k: usize| -> Option<char> {
        lines[k + 1..]
            .iter()
            .map(|l| l.slice(text))
            .find(|l| !l.trim().is_empty())
            .and_then(|l| {
                l.chars()
                    .find(|&c| !(c.is_whitespace() || crate::normalize::is_invisible(c)))
            })
    };
    for (k, line) in lines.iter().enumerate() {
        let s = line.slice(text);
        let cs: Vec<(usize, char)> = s.char_indices().collect();
        let mut stack: Vec<(usize, char)> = Vec::new();
        for (j, &(off, c)) in cs.iter().enumerate() {
            let at = line.start + off;
            if inside(markers, at) {
                continue;
            }
            let span = Span::new(at, at + c.len_utf8());
            if partner(c).is_some() {
                stack.push((at, c));
            } else if is_close(c) {
                // An apostrophe in English (don’t) closes nothing.
                if c == '’'
                    && j > 0
                    && cs[j - 1].1.is_ascii_alphabetic()
                    && cs.get(j + 1).is_some_and(|x| x.1.is_ascii_alphabetic())
                {
                    continue;
                }
                match stack.iter().rposition(|&(_, o)| partner(o) == Some(c)) {
                    Some(p) if p + 1 == stack.len() => {
                        stack.pop();
                    }
                    Some(p) => {
                        let (_, inner) = stack[p + 1];
                        sink.push(
                            RuleId::UnpairedMark,
                            span,
                            format!(
                                "「{c}」与前面的「{inner}」交叉：先闭合「{inner}」（{}要成对嵌套）",
                                mark_name(inner)
                            ),
                        );
                        stack.remove(p);
                    }
                    None => sink.push(
                        RuleId::UnpairedMark,
                        span,
                        format!("「{c}」前面没有与之成对的前{}", mark_name(c)),
                    ),
                }
            }
        }
        for (at, o) in stack {
            // A quotation over several paragraphs: each paragraph opens with the quote, only the
            // last one closes it (GB/T 15834-2011 4.8.3).
            if matches!(o, '“' | '‘') && first_mark(k) == Some(o) {
                continue;
            }
            let close = partner(o).unwrap_or(' ');
            sink.push(
                RuleId::UnpairedMark,
                Span::new(at, at + o.len_utf8()),
                format!("「{o}」没有闭合：本行缺少后{}「{close}」", mark_name(o)),
            );
        }
    }
}

fn dash_ellipsis(text: &str, chars: &[(usize, char)], sink: &mut Sink) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let mut j = i;
        while j < chars.len() && chars[j].1 == c {
            j += 1;
        }
        let n = j - i;
        let span = Span::new(chars[i].0, chars.get(j).map_or(text.len(), |&(at, _)| at));
        let han_near = |k: Option<usize>| k.and_then(|k| chars.get(k)).is_some_and(|x| is_han(x.1));
        let near_chinese = han_near(i.checked_sub(1)) || han_near(Some(j));
        let msg = match c {
            '.' if n >= 3 => Some("省略号应为「……」（两个字位置的六个点），不用「...」".to_owned()),
            '。' if n >= 3 => Some(format!("省略号应为「……」，不用{n}个句号")),
            '·' | '・' | '．' if n >= 3 => {
                Some(format!("省略号应为「……」，不用「{}」", span.slice(text)))
            }
            '…' if n % 2 == 1 => Some(if n == 1 {
                "省略号占两个字位置：应为「……」，不是一个「…」".to_owned()
            } else {
                format!("省略号应为「……」，这里连用了{n}个「…」")
            }),
            '-' | '－' if n >= 2 && near_chinese => {
                Some(format!("破折号应为「——」，不用「{}」", span.slice(text)))
            }
            '─' | '━' if n >= 2 => {
                Some(format!("破折号应为「——」，不用「{}」", span.slice(text)))
            }
            '—' | '―' if n == 3 || n >= 5 => Some(format!(
                "破折号应为两个字位置的「——」，这里连用了{n}个「—」"
            )),
            '一' if n == 1
                && i > 0
                && chars[i - 1].1.is_ascii_digit()
                && chars.get(j).is_some_and(|x| x.1.is_ascii_digit()) =>
            {
                Some("数字之间的「一」是汉字，不是连接号：数值范围用「～」或「—」".to_owned())
            }
            _ => None,
        };
        if let Some(m) = msg {
            sink.push(RuleId::DashEllipsisForm, span, m);
        }
        i = j;
    }
}

fn doubled(chars: &[(usize, char)], sink: &mut Sink) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let mut j = i;
        while j < chars.len() && chars[j].1 == c {
            j += 1;
        }
        let n = j - i;
        let hit = match c {
            '。' => n == 2,
            '，' | '、' | '；' | '：' | '！' | '？' => n >= 2,
            _ => false,
        };
        if hit {
            let span = Span::new(chars[i].0, chars[j - 1].0 + c.len_utf8());
            let msg = if matches!(c, '！' | '？') {
                format!("「{c}」叠用了{n}个：公文不用叠用的标点表达强烈感情，只用一个")
            } else {
                format!("「{c}」重复了{n}次，只用一个")
            };
            sink.push(RuleId::DoubledMark, span, msg);
        }
        i = j;
    }
}

/// The byte offset of the end of the line holding `at`.
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |k| at + k)
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |k| k + 1)
}

fn blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || crate::normalize::is_invisible(c))
}

fn heading_full_stop(input: &Input, sink: &mut Sink) {
    let text = input.text;
    let seg = input.seg;
    // A full stop right after `end`, with nothing after it on the line.
    let stop_after = |end: usize| -> Option<Span> {
        let rest = text.get(end..line_end(text, end))?;
        let t = rest.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
        let lead = rest.len() - t.len();
        (t.starts_with('。') && blank(&t['。'.len_utf8()..]))
            .then(|| Span::new(end + lead, end + lead + '。'.len_utf8()))
    };
    if let Some(t) = seg.title {
        // A title alone on its line (not the first part of a one-line answer).
        if !seg.single_line && blank(&text[line_start(text, t.start)..t.start]) {
            let inner = t.slice(text).trim_end();
            let at = if inner.ends_with('。') {
                let e = t.start + inner.len();
                Some(Span::new(e - '。'.len_utf8(), e))
            } else {
                stop_after(t.end)
            };
            if let Some(s) = at {
                sink.push(RuleId::HeadingFullStop, s, "标题独占一行，末尾不加句号");
            }
        }
    }
    for h in &seg.headings {
        let numbered = matches!(
            h.style,
            Style::CnDun
                | Style::CnParen
                | Style::DigitDot
                | Style::DigitDun
                | Style::DigitParen
                | Style::DigitHalfParen
                | Style::Circled
                | Style::Outline
        );
        if !numbered || !blank(&text[line_start(text, h.marker.start)..h.marker.start]) {
            continue;
        }
        // A short headline (一、健全工作机制。); a numbered sentence or paragraph
        // (1.各建房户应按照……，……。) ends with its full stop as it should.
        let line = &text[h.marker.end..h.text.end];
        let short =
            line.chars().count() <= 25 && !line.contains(['，', '；', '：', ',', ';', ':', '、']);
        if !short {
            continue;
        }
        if let Some(s) = stop_after(h.text.end) {
            sink.push(
                RuleId::HeadingFullStop,
                s,
                format!(
                    "小标题「{}」独占一行，末尾不加句号",
                    super::snippet(text, h.text, 12)
                ),
            );
        }
    }
}

fn no_terminal(input: &Input, sink: &mut Sink) {
    let text = input.text;
    let seg = input.seg;
    // Only the last sentence of each paragraph can lack its full stop (sentences are in order).
    let headline_ends: std::collections::HashSet<usize> =
        seg.headings.iter().map(|h| h.text.end).collect();
    for (k, s) in seg.sentences.iter().enumerate() {
        let last_of_para = seg
            .sentences
            .get(k + 1)
            .is_none_or(|n| n.paragraph != s.paragraph);
        if s.terminated || !last_of_para {
            continue;
        }
        // A sentence that ends with a heading's headline (a heading line) needs no full stop.
        let t = s.span.slice(text).trim_end();
        let end = s.span.start + t.len();
        if headline_ends.contains(&end) {
            continue;
        }
        // A colon leads in to what follows (「主要做法如下：」 before the numbered sections).
        if t.ends_with(['：', ':']) && s.paragraph + 1 < seg.paragraphs.len() {
            continue;
        }
        // Quote the last few characters of the paragraph.
        let tail_start = t.char_indices().rev().nth(7).map_or(0, |(i, _)| i);
        sink.push(
            RuleId::NoTerminalPunctuation,
            Span::new(s.span.start + tail_start, end),
            "段末没有句末标点（。！？）",
        );
    }
}
