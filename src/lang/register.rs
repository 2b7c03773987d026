//! Register rules (语体): 口语化 and 网络用语 (a shipped list, extendable per rubric), first-person
//! opinion where the genre speaks for an organisation, over-long sentences, the same opening
//! repeated over consecutive sentences.

use super::{Input, RuleId, Settings, Sink};
use crate::check::Marks;
use crate::span::Span;

/// Spoken and internet words that do not belong in an official text. Kept short and sure:
/// words that official writing has taken up (点赞, 接地气, 打卡, 硬核, 内卷) are not here, and
/// neither are words with a formal sense (超级 in 超级工程).
pub const COLLOQUIAL: &[&str] = &[
    // 口语
    "搞定",
    "咋办",
    "咋样",
    "咋整",
    "咋回事",
    "啥",
    "没啥",
    "干啥",
    "啥时候",
    "忒",
    "贼好",
    "倍儿",
    "一大堆",
    "挺好的",
    "蛮好",
    "特别特别",
    "非常非常",
    "说白了",
    "说实话",
    "其实吧",
    "瞎搞",
    "忽悠",
    "拉倒",
    "没戏",
    "靠谱",
    "不靠谱",
    "搞砸",
    "甭",
    "俺",
    "老百姓都说",
    "大伙儿",
    "这么着",
    "玩儿命",
    "没辙",
    "差不离",
    "闹心",
    "窝心",
    // 网络用语
    "给力",
    "杠杠的",
    "牛掰",
    "牛逼",
    "绝绝子",
    "yyds",
    "666",
    "躺平",
    "打call",
    "凡尔赛",
    "破防",
    "神马",
    "酱紫",
    "木有",
    "肿么",
    "童鞋",
    "亲们",
    "妥妥的",
    "高大上",
    "吃瓜",
    "狗粮",
    "洪荒之力",
    "佛系",
    "扎心",
    "老铁",
    "整活",
    "拉胯",
    "摆烂",
    "emo",
    "内味",
    "绝了",
];

/// First-person opinion (the plural 我们认为 of an organisation is not here).
pub const FIRST_PERSON: &[&str] = &[
    "我觉得",
    "我认为",
    "我感觉",
    "我个人认为",
    "个人认为",
    "个人觉得",
    "在我看来",
    "依我看",
    "笔者认为",
    "我想说",
];

/// The 口语 and first-person phrases, indexed by their first character, built once per run.
///
/// Matches are found as an Aho-Corasick automaton with leftmost-longest semantics and ASCII
/// case folding would find them (non-overlapping, left to right, the longest word at the
/// leftmost start, the earlier word on a tie), but by looking up each character of the text in
/// a bit set of first characters: far cheaper on Chinese text, where few characters start a
/// word of the list (and those that do not are not even decoded: the search looks only at the
/// answer's [`crate::check::Marks`]).
pub struct Lexicon {
    /// Per pattern: first person (else colloquial).
    first_person: Vec<bool>,
    words: Vec<String>,
    /// One bit per first character (ASCII lower-cased, folded into 16 bits): a character whose
    /// bit is clear starts no word.
    starts: crate::check::BmpBits,
    /// First character (ASCII lower-cased) → the words starting with it, longest first, then in
    /// list order; sorted by character.
    by_first: Vec<(char, Vec<usize>)>,
}

/// The key a word's first character is indexed under.
fn fold_first(c: char) -> char {
    c.to_ascii_lowercase()
}

/// The bit of `starts` a first character sets: its folded code point, modulo 2^16.
fn start_key(c: char) -> u32 {
    fold_first(c) as u32 & 0xFFFF
}

impl Lexicon {
    pub fn new(settings: &Settings) -> Self {
        let mut words: Vec<String> = Vec::new();
        let mut first_person = Vec::new();
        for w in COLLOQUIAL
            .iter()
            .map(|s| s.to_string())
            .chain(settings.colloquial.iter().cloned())
        {
            if !w.is_empty() && !words.contains(&w) {
                words.push(w);
                first_person.push(false);
            }
        }
        for w in FIRST_PERSON {
            let w = w.to_string();
            if !words.contains(&w) {
                words.push(w);
                first_person.push(true);
            }
        }
        let mut starts = crate::check::BmpBits::new();
        let mut by_first: Vec<(char, Vec<usize>)> = Vec::new();
        for (k, w) in words.iter().enumerate() {
            let Some(c) = w.chars().next() else { continue };
            let key = start_key(c);
            starts.set(key as usize);
            let c = fold_first(c);
            match by_first.iter_mut().find(|(f, _)| *f == c) {
                Some((_, v)) => v.push(k),
                None => by_first.push((c, vec![k])),
            }
        }
        by_first.sort_by_key(|&(c, _)| c);
        for (_, v) in &mut by_first {
            // Stable: words of one length keep their list order.
            v.sort_by_key(|&k| std::cmp::Reverse(words[k].len()));
        }
        Lexicon {
            first_person,
            words,
            starts,
            by_first,
        }
    }

    /// Whether the bit `key` of `starts` is set.
    fn has_start(&self, key: u32) -> bool {
        self.starts.has(key as usize)
    }

    /// The longest word (the earlier one on a tie) starting at byte `at` of `hay`, whose
    /// character there is `c`.
    fn longest_at(&self, hay: &str, at: usize, c: char) -> Option<usize> {
        if !self.has_start(start_key(c)) {
            return None;
        }
        let c = fold_first(c);
        let k = self.by_first.binary_search_by_key(&c, |&(f, _)| f).ok()?;
        let rest = &hay.as_bytes()[at..];
        self.by_first[k].1.iter().copied().find(|&w| {
            let w = self.words[w].as_bytes();
            rest.get(..w.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(w))
        })
    }

    /// Every match in `hay`, left to right, not overlapping: (start, end, word index). Only
    /// the characters of `marks` (of `hay`, under bits holding the words' first characters; a
    /// three-byte character is neither ASCII nor above U+FFFF, so its key is its code point)
    /// are looked up.
    fn each_match(&self, hay: &str, marks: &Marks, mut f: impl FnMut(usize, usize, usize)) {
        // The end of the last match: later ones start there or after.
        let mut at = 0;
        for (i, c) in marks.iter() {
            if i < at {
                continue;
            }
            if let Some(k) = self.longest_at(hay, i, c) {
                at = i + self.words[k].len();
                f(i, at, k);
            }
        }
    }

    /// The bits of the words' first characters (ASCII lower-cased).
    pub(crate) fn starts(&self) -> &crate::check::BmpBits {
        &self.starts
    }
}

/// Whether a hit of a 口语 word or a forbidden phrase at normalised `s..e` of `norm` is the word
/// in use, not part of another word or a mention of it:
/// - an edge of Latin letters or digits has no letter or digit beside it (yyds, not in yydsx);
///   a phrase of digits alone is not a number's (666, not 666万元 or 666.5);
/// - a Han word of one or two characters starts and ends on word boundaries (靠谱, 绝了 is not in
///   杜绝了; 反正 is not in 拨乱反正); a longer one does not start inside a dictionary word
///   (我感觉 is not in 自我感觉), its other edges left free, since jieba may glue a neighbour to
///   it (要整|活儿);
/// - a word quoted alone (“躺平”, 「666」) is named, not used.
pub(crate) fn phrase_in_use(norm: &str, b: &crate::words::Boundaries, s: usize, e: usize) -> bool {
    let word = &norm[s..e];
    let (Some(first), Some(last)) = (word.chars().next(), word.chars().next_back()) else {
        return false;
    };
    let before = norm[..s].chars().next_back();
    let after = norm[e..].chars().next();
    let short = word.chars().nth(2).is_none();
    let start_ok = if first.is_ascii_alphanumeric() {
        !before.is_some_and(|x| x.is_ascii_alphanumeric())
    } else if !crate::count::is_han(first) || b.at(s) {
        true
    } else if short {
        false
    } else {
        // A longer word may start inside a token jieba glued on its own (要整|活儿), not inside
        // a word of the dictionary (自我|感觉).
        !b.token_at(s)
            .is_some_and(|(ts, te)| crate::words::jieba().has_word(&norm[ts..te]))
    };
    let end_ok = if last.is_ascii_alphanumeric() {
        // A run of digits followed by a unit or a decimal point is an amount.
        let amount = |x: char| {
            word.bytes().all(|d| d.is_ascii_digit())
                && (matches!(x, '.' | '．' | ',' | '%' | '％') || QUANTITY_UNITS.contains(x))
        };
        !after.is_some_and(|x| x.is_ascii_alphanumeric() || amount(x))
    } else {
        !short || !crate::count::is_han(last) || b.at(e)
    };
    let quoted = matches!(
        (before, after),
        (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
            | (Some('「'), Some('」'))
            | (Some('『'), Some('』'))
            | (Some('"'), Some('"'))
            | (Some('\''), Some('\''))
    );
    start_ok && end_ok && !quoted
}

/// Units and counters after which a run of digits is an amount (666万元, 1666户).
const QUANTITY_UNITS: &str =
    "万亿千百十元角分个户人名位次件项座所家条台辆吨米亩斤克岁年月日号天时秒倍批场轮份篇册";

pub fn check(input: &Input, settings: &Settings, sink: &mut Sink) {
    let text = input.text;
    let lex = input.lexicon;
    let colloquial_on = sink.on(RuleId::Colloquial);
    let first_on = sink.on(RuleId::FirstPerson) && !settings.first_person_allowed;
    if colloquial_on || first_on {
        let n = &input.norm.text;
        lex.each_match(n, input.marks, |s, e, k| {
            if !phrase_in_use(n, input.bounds, s, e) {
                return;
            }
            let span = input.norm.to_original(Span::new(s, e));
            let word = &lex.words[k];
            if lex.first_person[k] {
                if first_on {
                    sink.push(
                        RuleId::FirstPerson,
                        span,
                        format!("「{word}」是个人观点的口吻：应用文以单位口吻行文，删去或改为陈述"),
                    );
                }
            } else if colloquial_on {
                sink.push(
                    RuleId::Colloquial,
                    span,
                    format!("「{word}」是口语或网络用语，应改用书面语"),
                );
            }
        });
    }
    if sink.on(RuleId::LongSentence) {
        for s in &input.seg.sentences {
            let sentence = s.span.slice(text);
            // Spaces are not counted, so a sentence of no more characters than the limit is
            // short enough (counting characters is much cheaper than testing each).
            if crate::count::chars_at_most(sentence, settings.sentence_limit) {
                continue;
            }
            let n = sentence
                .chars()
                .filter(|c| !c.is_whitespace() && !crate::normalize::is_invisible(*c))
                .count();
            if n > settings.sentence_limit {
                let head: String = s.span.slice(text).trim().chars().take(10).collect();
                sink.push(
                    RuleId::LongSentence,
                    s.span,
                    format!(
                        "句子过长（{n}字，上限{}字）：「{head}…」宜拆成几句",
                        settings.sentence_limit
                    ),
                );
            }
        }
    }
    if sink.on(RuleId::RepeatedOpening) {
        repeated_opening(input, sink);
    }
}

/// The first two characters of a sentence when both are Han (after leading spaces and closing
/// marks); none for sentences that start at a heading marker. `marker_starts` is sorted.
fn opening(input: &Input, marker_starts: &[usize], s: Span) -> Option<[char; 2]> {
    let k = marker_starts.partition_point(|&m| m < s.start);
    if marker_starts.get(k).is_some_and(|&m| m < s.end) {
        return None;
    }
    let t = s.slice(input.text);
    let mut cs = t
        .chars()
        .skip_while(|c| c.is_whitespace() || crate::normalize::is_invisible(*c));
    let a = cs.next()?;
    let b = cs.next()?;
    (crate::count::is_han(a) && crate::count::is_han(b)).then_some([a, b])
}

fn repeated_opening(input: &Input, sink: &mut Sink) {
    const RUN: usize = 3;
    let ss = &input.seg.sentences;
    let mut marker_starts: Vec<usize> = input.seg.headings.iter().map(|h| h.marker.start).collect();
    marker_starts.sort_unstable();
    let opens: Vec<Option<[char; 2]>> = ss
        .iter()
        .map(|s| opening(input, &marker_starts, s.span))
        .collect();
    let mut i = 0;
    while i < ss.len() {
        let Some(o) = opens[i] else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < ss.len() && opens[j] == Some(o) {
            j += 1;
        }
        if j - i >= RUN {
            let at = ss[i + RUN - 1].span;
            let start =
                at.start + at.slice(input.text).len() - at.slice(input.text).trim_start().len();
            let [a, b] = o;
            sink.push(
                RuleId::RepeatedOpening,
                Span::new(start, start + a.len_utf8() + b.len_utf8()),
                format!(
                    "连续{}句都以「{a}{b}」开头，句式单调：变换开头或合并成一句",
                    j - i
                ),
            );
        }
        i = j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};
    use proptest::prelude::*;
    use proptest::sample::select;

    /// Pieces of words and texts: ASCII in both cases; Han characters that start shipped words
    /// (我, 搞) and ones that do not, among them 成 (U+6210), whose first two bytes are those of
    /// 我 (U+6211); a full-width mark; two- and four-byte characters, one of them U+2641E, whose
    /// low 16 bits are those of 搞 (U+641E).
    fn piece() -> impl Strategy<Value = &'static str> {
        select(vec![
            "a", "A", "b", "中", "国", "人", "我", "成", "觉", "得", "搞", "定", "，", "é", "𦐞",
            "😀",
        ])
    }

    proptest! {
        /// The first-character lookup finds what an Aho-Corasick automaton with leftmost-longest
        /// semantics and ASCII case folding finds (the library is the reference), over the shipped
        /// words and random extra ones sharing first characters and prefixes.
        #[test]
        fn lexicon_matches_are_aho_corasick_leftmost_longest(
            extra in proptest::collection::vec(proptest::collection::vec(piece(), 1..4), 0..8),
            text in proptest::collection::vec(piece(), 0..40),
        ) {
            let settings = Settings {
                colloquial: extra.iter().map(|w| w.concat()).collect(),
                ..Settings::default()
            };
            let lex = Lexicon::new(&settings);
            let hay = text.concat();
            let mut got = Vec::new();
            lex.each_match(&hay, &lex.starts.marks(&hay), |s, e, k| got.push((s, e, k)));
            // Over the marks of every character, as over those of the lexicon's bits alone.
            let mut every = Vec::new();
            lex.each_match(&hay, &Marks::every(&hay), |s, e, k| every.push((s, e, k)));
            prop_assert_eq!(&every, &got);
            let ac = AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&lex.words)
                .unwrap();
            let want: Vec<(usize, usize, usize)> = ac
                .find_iter(&hay)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            prop_assert_eq!(got, want);
        }
    }
}
