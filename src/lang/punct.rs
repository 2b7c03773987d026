//! Punctuation rules (标点, GB/T 15834-2011): half-width marks in Chinese text, unpaired or
//! crossed quotes/brackets/书名号, the forms of 破折号 and 省略号, doubled marks, a full stop
//! ending a heading line, and a paragraph without a sentence-ending mark.

use super::{inside, Input, RuleId, Shared, Sink};
use crate::count::is_han;
use crate::segment::Style;
use crate::span::Span;

pub fn check(input: &Input, sink: &mut Sink) {
    check_with(input, &Shared::new(input), sink);
}

/// [`check`], with what [`super::run`] found once for all families.
pub(crate) fn check_with(input: &Input, shared: &Shared, sink: &mut Sink) {
    let rules = Scan {
        half_width: sink.on(RuleId::HalfWidthPunctuation),
        unpaired: sink.on(RuleId::UnpairedMark),
        dash_ellipsis: sink.on(RuleId::DashEllipsisForm),
        doubled: sink.on(RuleId::DoubledMark),
    };
    if rules.half_width || rules.unpaired || rules.dash_ellipsis || rules.doubled {
        scan(input.text, &shared.markers, rules, sink);
    }
    if sink.on(RuleId::HeadingFullStop) {
        heading_full_stop(input, shared, sink);
    }
    if sink.on(RuleId::NoTerminalPunctuation) {
        no_terminal(input, shared, sink);
    }
}

/// The rules that look at the text character by character, all judged in one pass.
#[derive(Clone, Copy)]
struct Scan {
    half_width: bool,
    unpaired: bool,
    dash_ellipsis: bool,
    doubled: bool,
}

/// One character of the text and its neighbours, as the character rules see it.
struct Here<'t> {
    text: &'t str,
    at: usize,
    c: char,
    /// The character before.
    prev: Option<char>,
}

impl Here<'_> {
    fn end(&self) -> usize {
        self.at + self.c.len_utf8()
    }
    fn span(&self) -> Span {
        Span::new(self.at, self.end())
    }
    fn next(&self) -> Option<char> {
        self.text[self.end()..].chars().next()
    }
    /// The character before the previous one.
    fn prev2(&self) -> Option<char> {
        let before = self.at - self.prev.map_or(0, char::len_utf8);
        self.text[..before].chars().next_back()
    }
    /// The run of this character starting here: how many, and the byte offset after it.
    fn run(&self) -> (usize, usize) {
        // The character's bytes, as they stand in the text here.
        let (before, rest) = self.text.as_bytes().split_at(self.end());
        let c = &before[self.at..];
        let mut rest = rest;
        while let Some(tail) = rest.strip_prefix(c) {
            rest = tail;
        }
        let end = self.text.len() - rest.len();
        ((end - self.at) / c.len(), end)
    }
}

/// The per-pass state of the character rules: the ASCII quotes open in this line
/// (half-width-punctuation) and the marks open in this line (unpaired-mark).
#[derive(Default)]
struct ScanState {
    open_double: bool,
    open_single: bool,
    stack: Vec<(usize, char)>,
}

/// Half-width marks, unpaired marks, 破折号/省略号 forms and doubled marks in one pass over the
/// text. Han characters (but 一) concern none of them and are stepped over byte-wise
/// ([`next_looked_at`]); the rules that judge runs of one mark (dash-ellipsis-form,
/// doubled-mark) look at the first of each run.
fn scan(text: &str, markers: &[Span], rules: Scan, sink: &mut Sink) {
    let mut state = ScanState::default();
    let mut at = next_looked_at(text.as_bytes(), 0);
    while let Some(c) = text[at..].chars().next() {
        if c == '\n' {
            state.open_double = false;
            state.open_single = false;
            if rules.unpaired {
                unclosed(text, at, &mut state.stack, sink);
            }
        } else {
            let prev = text[..at].chars().next_back();
            let here = Here { text, at, c, prev };
            if rules.half_width {
                half_width(&here, markers, &mut state, sink);
            }
            if rules.unpaired {
                unpaired(&here, markers, &mut state.stack, sink);
            }
            if prev != Some(c) {
                if rules.dash_ellipsis {
                    dash_ellipsis(&here, sink);
                }
                if rules.doubled {
                    doubled(&here, sink);
                }
            }
        }
        at = next_looked_at(text.as_bytes(), at + c.len_utf8());
    }
    if rules.unpaired {
        unclosed(text, text.len(), &mut state.stack, sink);
    }
}

/// The byte offset of the first character at or after `at` that a character rule looks at (the
/// text's length when none is left). Skipped are U+3400..U+F8FF, the common Han characters (and
/// Yi, Hangul, private use), but for 一 (a dash between digits): in UTF-8 three bytes whose lead
/// is E4..EE, or E3 with a second byte of 90 or more, or EF with one below A4; told by their
/// first two bytes, without decoding. Skipped too are the marks only the doubled-mark rule (and,
/// for 。, the ellipsis form) reads, 、。，：；！？, when the same mark does not follow: alone,
/// no rule has anything to say of them, and they are the most of a text's marks.
///
/// Public for the property test that pins it to the plain test over characters.
#[doc(hidden)]
pub fn next_looked_at(bytes: &[u8], at: usize) -> usize {
    let mut rest = &bytes[at..];
    // A lead byte E3..EF is followed by two more in UTF-8: the pattern matches every character
    // that may be skipped.
    while let [b0, b1, b2, tail @ ..] = rest {
        // Most characters of Chinese text lead with E5..EE: they are tested first.
        let alone = || !tail.starts_with(&[*b0, *b1, *b2]);
        let skipped = (0xE5..=0xEE).contains(b0)
            || match b0 {
                0xE4 => !(*b1 == 0xB8 && *b2 == 0x80),
                // 、 and 。 are E3 80 81 and E3 80 82.
                0xE3 => *b1 >= 0x90 || (*b1 == 0x80 && matches!(b2, 0x81 | 0x82) && alone()),
                // ！，：；？ are EF BC 81, 8C, 9A, 9B and 9F.
                0xEF => {
                    *b1 < 0xA4
                        || (*b1 == 0xBC
                            && matches!(b2, 0x81 | 0x8C | 0x9A | 0x9B | 0x9F)
                            && alone())
                }
                _ => false,
            };
        if !skipped {
            break;
        }
        rest = tail;
    }
    bytes.len() - rest.len()
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

/// A half-width mark next to Chinese text. ASCII quotes open and close alternately within a
/// line (`state`, reset at each line break).
fn half_width(here: &Here, markers: &[Span], state: &mut ScanState, sink: &mut Sink) {
    let c = here.c;
    if !matches!(
        c,
        ',' | '.' | ';' | ':' | '?' | '!' | '"' | '\'' | '(' | ')'
    ) {
        return;
    }
    let (pc, nc) = (here.prev, here.next());
    let han = |x: Option<char>| x.is_some_and(is_han);
    let flagged = match c {
        _ if inside(markers, here.at) => false,
        ',' | ';' | ':' | '?' | '!' => han(pc) || han(nc),
        '(' | ')' => han(pc) || han(nc),
        '"' | '\'' => {
            // An apostrophe inside English (don't) is not a quote.
            let ascii_word = pc.is_some_and(|c| c.is_ascii_alphanumeric())
                && nc.is_some_and(|c| c.is_ascii_alphanumeric());
            !ascii_word
                && (han(pc)
                    || han(nc)
                    || pc.is_some_and(is_cjk_mark)
                    || nc.is_some_and(is_cjk_mark))
        }
        '.' => {
            // A full stop after Chinese (功.) or after a quote or bracket closing Chinese
            // ("口碑".); not in 3.5, e.g., URLs, nor in a run of dots (an ellipsis, judged by
            // dash-ellipsis-form).
            let in_run = pc == Some('.') || nc == Some('.');
            let after_han = han(pc) || (matches!(pc, Some('"' | '\'' | ')')) && han(here.prev2()));
            let before_alnum = nc.is_some_and(|c| c.is_ascii_alphanumeric());
            !in_run && after_han && !before_alnum
        }
        _ => false,
    };
    let opening = match c {
        '"' => {
            state.open_double = !state.open_double;
            state.open_double
        }
        '\'' if !(pc.is_some_and(|c| c.is_ascii_alphanumeric())
            && nc.is_some_and(|c| c.is_ascii_alphanumeric())) =>
        {
            state.open_single = !state.open_single;
            state.open_single
        }
        _ => false,
    };
    if flagged {
        sink.push(
            RuleId::HalfWidthPunctuation,
            here.span(),
            format!(
                "中文里用了半角标点「{c}」，应改为全角「{}」",
                full_width_of(c, opening)
            ),
        );
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

/// An opening mark goes on the line's `stack`; a closing mark closes the innermost open one of
/// its kind, or is reported as crossed or unpaired.
fn unpaired(here: &Here, markers: &[Span], stack: &mut Vec<(usize, char)>, sink: &mut Sink) {
    let (at, c) = (here.at, here.c);
    let open = partner(c).is_some();
    if !(open || is_close(c)) || inside(markers, at) {
        return;
    }
    if open {
        stack.push((at, c));
        return;
    }
    // An apostrophe in English (don’t) closes nothing.
    if c == '’'
        && here.prev.is_some_and(|x| x.is_ascii_alphabetic())
        && here.next().is_some_and(|x| x.is_ascii_alphabetic())
    {
        return;
    }
    let span = here.span();
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

/// At the end of a line (`line_end`, the offset of its line break or of the text's end): the
/// marks still open are unclosed.
fn unclosed(text: &str, line_end: usize, stack: &mut Vec<(usize, char)>, sink: &mut Sink) {
    // The first visible character of the next line that is not blank.
    let first_mark = || -> Option<char> {
        text.get(line_end + 1..)?
            .split('\n')
            .find(|l| !l.trim().is_empty())
            .and_then(|l| {
                l.chars()
                    .find(|&c| !(c.is_whitespace() || crate::normalize::is_invisible(c)))
            })
    };
    for (at, o) in stack.drain(..) {
        // A quotation over several paragraphs: each paragraph opens with the quote, only the
        // last one closes it (GB/T 15834-2011 4.8.3).
        if matches!(o, '“' | '‘') && first_mark() == Some(o) {
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

/// A 省略号 or 破折号 in the wrong form, judged on a run of one character starting `here`.
fn dash_ellipsis(here: &Here, sink: &mut Sink) {
    let c = here.c;
    if !matches!(
        c,
        '.' | '。' | '·' | '・' | '．' | '…' | '-' | '－' | '─' | '━' | '—' | '―' | '一'
    ) {
        return;
    }
    // 一 is judged only after a digit (below): most are not, and their run is not needed.
    if c == '一' && !here.prev.is_some_and(|x| x.is_ascii_digit()) {
        return;
    }
    let (n, end) = here.run();
    let span = Span::new(here.at, end);
    let text = here.text;
    let after = text[end..].chars().next();
    let near_chinese = here.prev.is_some_and(is_han) || after.is_some_and(is_han);
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
        '─' | '━' if n >= 2 => Some(format!("破折号应为「——」，不用「{}」", span.slice(text))),
        '—' | '―' if n == 3 || n >= 5 => Some(format!(
            "破折号应为两个字位置的「——」，这里连用了{n}个「—」"
        )),
        '一' if n == 1
            && here.prev.is_some_and(|x| x.is_ascii_digit())
            && after.is_some_and(|x| x.is_ascii_digit()) =>
        {
            Some("数字之间的「一」是汉字，不是连接号：数值范围用「～」或「—」".to_owned())
        }
        _ => None,
    };
    if let Some(m) = msg {
        sink.push(RuleId::DashEllipsisForm, span, m);
    }
}

/// The same mark twice or more, judged on a run of one character starting `here`.
fn doubled(here: &Here, sink: &mut Sink) {
    let c = here.c;
    if !matches!(c, '。' | '，' | '、' | '；' | '：' | '！' | '？') {
        return;
    }
    let (n, end) = here.run();
    let hit = match c {
        '。' => n == 2,
        _ => n >= 2,
    };
    if hit {
        let msg = if matches!(c, '！' | '？') {
            format!("「{c}」叠用了{n}个：公文不用叠用的标点表达强烈感情，只用一个")
        } else {
            format!("「{c}」重复了{n}次，只用一个")
        };
        sink.push(RuleId::DoubledMark, Span::new(here.at, end), msg);
    }
}

fn blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || crate::normalize::is_invisible(c))
}

/// A headline short enough to stand alone on its line (健全工作机制): at most 25 characters and no
/// clause-joining mark (，；：、), so not a sentence that happens to be numbered.
fn short_headline(line: &str) -> bool {
    crate::count::chars_at_most(line, 25) && !line.contains(['，', '；', '：', ',', ';', ':', '、'])
}

/// The sentence `k` is a heading line of a rank segmentation does not keep: alone in its
/// paragraph and on its line, it opens with a numbering marker of a lower rank in the GB/T 9704
/// order (一、 → （一） → 1. → （1）) than the heading whose section holds it, and the rest is a
/// short headline (（二）压实责任 / 1.签订责任书 / 层层签订……。). Segmentation keeps two levels
/// of headings, so the third and fourth are recognised here.
fn lower_rank_heading_line(input: &Input, shared: &Shared, k: usize) -> bool {
    let (text, seg) = (input.text, input.seg);
    let s = &seg.sentences[k];
    if k > 0 && seg.sentences[k - 1].paragraph == s.paragraph {
        return false;
    }
    let start = shared.lines.start_of(s.span.start);
    let line = s.span.slice(text).trim_end();
    if line.contains('\n') || !blank(&text[start..s.span.start]) {
        return false;
    }
    let Some((rank, marker_end)) = super::headings::line_rank(line) else {
        return false;
    };
    let headline = line[marker_end..].trim();
    if headline.is_empty() || !short_headline(headline) {
        return false;
    }
    // The innermost heading whose section holds the line (headings are in text order).
    seg.headings
        .iter()
        .rev()
        .find(|h| h.section.start <= s.span.start && s.span.start < h.section.end)
        .and_then(|h| super::headings::rank(h.style))
        .is_some_and(|outer| rank > outer)
}

fn heading_full_stop(input: &Input, shared: &Shared, sink: &mut Sink) {
    let text = input.text;
    let seg = input.seg;
    // A full stop right after `end`, with nothing after it on the line.
    let stop_after = |end: usize| -> Option<Span> {
        let rest = text.get(end..shared.lines.end_of(end))?;
        let t = rest.trim_start_matches(|c: char| c.is_whitespace() && c != '\n');
        let lead = rest.len() - t.len();
        (t.starts_with('。') && blank(&t['。'.len_utf8()..]))
            .then(|| Span::new(end + lead, end + lead + '。'.len_utf8()))
    };
    if let Some(t) = seg.title {
        // A title alone on its line (not the first part of a one-line answer).
        if !seg.single_line && blank(&text[shared.lines.start_of(t.start)..t.start]) {
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
        if !numbered || !blank(&text[shared.lines.start_of(h.marker.start)..h.marker.start]) {
            continue;
        }
        // A short headline (一、健全工作机制。); a numbered sentence or paragraph
        // (1.各建房户应按照……，……。) ends with its full stop as it should.
        if !short_headline(&text[h.marker.end..h.text.end]) {
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

fn no_terminal(input: &Input, shared: &Shared, sink: &mut Sink) {
    let text = input.text;
    let seg = input.seg;
    // Only the last sentence of each paragraph can lack its full stop (sentences are in order).
    // Sorted for binary search: a handful of headings, cheaper than hashing.
    let mut headline_ends: Vec<usize> = seg.headings.iter().map(|h| h.text.end).collect();
    headline_ends.sort_unstable();
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
        if headline_ends.binary_search(&end).is_ok() || lower_rank_heading_line(input, shared, k) {
            continue;
        }
        // The paragraph does end with a sentence-ending mark that the sentence split did not take
        // as one because an opening mark before it is never closed (学习《意见。, 他说“要落实。):
        // unpaired-mark reports that; the full stop is there.
        let last = t
            .trim_end_matches(['”', '’', '）', ')', '》', '」', '』', '】', '〉', '"', '\''])
            .chars()
            .next_back();
        if matches!(last, Some('。' | '！' | '？' | '；' | '…' | '!' | '?')) {
            continue;
        }
        // 此致 stands alone before 敬礼, as letters set it (and 敬礼 may go without ！).
        if matches!(t.trim_start(), "此致" | "敬礼") {
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
