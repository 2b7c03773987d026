//! Register rules (语体): 口语化 and 网络用语 (a shipped list, extendable per rubric), first-person
//! opinion where the genre speaks for an organisation, over-long sentences, the same opening
//! repeated over consecutive sentences.

use super::{Input, RuleId, Settings, Sink};
use crate::span::Span;
use aho_corasick::{AhoCorasick, MatchKind};

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

/// The 口语 and first-person phrases as one automaton, built once per run.
pub struct Lexicon {
    ac: Option<AhoCorasick>,
    /// Per pattern: first person (else colloquial).
    first_person: Vec<bool>,
    words: Vec<String>,
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
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&words)
            .ok();
        Lexicon {
            ac,
            first_person,
            words,
        }
    }
}

fn boundary_ok(norm: &str, b: &crate::words::Boundaries, s: usize, e: usize) -> bool {
    let first = norm[s..e].chars().next();
    let last = norm[s..e].chars().next_back();
    let before = norm[..s].chars().next_back();
    let after = norm[e..].chars().next();
    let ok = |edge: Option<char>, beside: Option<char>, at: usize| match edge {
        Some(c) if c.is_ascii_alphanumeric() => !beside.is_some_and(|x| x.is_ascii_alphanumeric()),
        _ => b.at(at),
    };
    ok(first, before, s) && ok(last, after, e)
}

pub fn check(input: &Input, settings: &Settings, sink: &mut Sink) {
    let text = input.text;
    let lex = input.lexicon;
    let colloquial_on = sink.on(RuleId::Colloquial);
    let first_on = sink.on(RuleId::FirstPerson) && !settings.first_person_allowed;
    if let (Some(ac), true) = (&lex.ac, colloquial_on || first_on) {
        let n = &input.norm.text;
        for m in ac.find_iter(n.as_str()) {
            let (s, e) = (m.start(), m.end());
            // Two-character words only on word boundaries (靠谱, 绝了 is not in 杜绝了); longer ones
            // anywhere, since jieba may glue a neighbour to them (要整|活儿).
            if (n[s..e].chars().count() < 3 || n[s..e].is_ascii())
                && !boundary_ok(n, input.bounds, s, e)
            {
                continue;
            }
            let k = m.pattern().as_usize();
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
        }
    }
    if sink.on(RuleId::LongSentence) {
        for s in &input.seg.sentences {
            let n = s
                .span
                .slice(text)
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
/// marks); none for sentences that start at a heading marker.
fn opening(input: &Input, s: Span) -> Option<String> {
    if input
        .seg
        .headings
        .iter()
        .any(|h| h.marker.start >= s.start && h.marker.start < s.end)
    {
        return None;
    }
    let t = s.slice(input.text);
    let mut cs = t
        .chars()
        .skip_while(|c| c.is_whitespace() || crate::normalize::is_invisible(*c));
    let a = cs.next()?;
    let b = cs.next()?;
    (crate::count::is_han(a) && crate::count::is_han(b)).then(|| format!("{a}{b}"))
}

fn repeated_opening(input: &Input, sink: &mut Sink) {
    const RUN: usize = 3;
    let ss = &input.seg.sentences;
    let opens: Vec<Option<String>> = ss.iter().map(|s| opening(input, s.span)).collect();
    let mut i = 0;
    while i < ss.len() {
        let Some(o) = &opens[i] else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < ss.len() && opens[j].as_ref() == Some(o) {
            j += 1;
        }
        if j - i >= RUN {
            let at = ss[i + RUN - 1].span;
            let start =
                at.start + at.slice(input.text).len() - at.slice(input.text).trim_start().len();
            sink.push(
                RuleId::RepeatedOpening,
                Span::new(start, start + o.len()),
                format!(
                    "连续{}句都以「{o}」开头，句式单调：变换开头或合并成一句",
                    j - i
                ),
            );
        }
        i = j;
    }
}
