//! Language and 公文 conventions (语言规范): one registry of rules, each with an id, a default
//! severity and a doc (what it finds, why it matters in an answer, an example, the clause of the
//! standard it comes from). Families, one file each: punctuation (GB/T 15834-2011, [`punct`]),
//! numbers (GB/T 15835-2011, [`numbers`]), heading hierarchy (GB/T 9704-2012, [`headings`]) and
//! register (口语化, first person, sentence length, [`register`]).
//!
//! Rules measure, never score: a [`Finding`] carries the rule, its severity (from the rubric or
//! the rule's default), a byte span into the decoded text and a message in Chinese;
//! [`crate::score`] turns severities into points off the 语言 dimension. Every rule is switched
//! on or off and given a severity per rubric (`language.rules`), see `rubrics/README.md`; the
//! rule list is in `RULES.md`.

pub mod headings;
pub mod numbers;
pub mod punct;
pub mod register;

use crate::normalize::Normalized;
use crate::segment::Segmented;
use crate::span::Span;
use crate::words::Boundaries;
use serde::Serialize;

/// How much a finding weighs: `error` and `warning` take points off the 语言 dimension
/// ([`Severity::weight`]), `info` only informs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// Points off the 语言 dimension for one finding (before the caps in [`crate::score`]).
    pub fn weight(self) -> f64 {
        match self {
            Severity::Error => 1.0,
            Severity::Warning => 0.5,
            Severity::Info => 0.0,
        }
    }

    /// The names a rubric may give a rule's severity (`language.rules`), with what each means:
    /// `None` switches the rule off. The rubric schema lists the same names.
    pub const NAMES: [(&'static str, Option<Severity>); 8] = [
        ("error", Some(Severity::Error)),
        ("warning", Some(Severity::Warning)),
        ("info", Some(Severity::Info)),
        ("off", None),
        ("错误", Some(Severity::Error)),
        ("警告", Some(Severity::Warning)),
        ("提示", Some(Severity::Info)),
        ("关闭", None),
    ];

    /// A severity as a rubric writes it: `error|warning|info` or 错误/警告/提示; `off`/关闭 is
    /// `Some(None)`.
    pub fn parse(s: &str) -> Option<Option<Severity>> {
        let s = s.trim();
        Severity::NAMES
            .iter()
            .find(|(name, _)| *name == s)
            .map(|&(_, sev)| sev)
    }
}

/// The family a rule belongs to (one file each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// 标点 (GB/T 15834-2011)
    Punctuation,
    /// 数字 (GB/T 15835-2011)
    Numbers,
    /// 层次序数 (GB/T 9704-2012)
    Headings,
    /// 语体 (register)
    Register,
}

impl Family {
    pub fn label(self) -> &'static str {
        match self {
            Family::Punctuation => "标点",
            Family::Numbers => "数字",
            Family::Headings => "层次",
            Family::Register => "语体",
        }
    }
}

/// Every language rule. Adding one: a variant here, its arms in the matches below (the compiler
/// points at each), its check in its family's file, its rows in `tests/language.rs`, its row in
/// `RULES.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    HalfWidthPunctuation,
    UnpairedMark,
    DashEllipsisForm,
    DoubledMark,
    HeadingFullStop,
    NoTerminalPunctuation,
    MixedNumerals,
    ApproximateNumber,
    RangeUnit,
    FullWidthDigits,
    HeadingLevelSkip,
    HeadingLevelOrder,
    HeadingMixedStyle,
    HeadingLoneChild,
    HeadingSequence,
    HeadingMarkerForm,
    Colloquial,
    FirstPerson,
    LongSentence,
    RepeatedOpening,
}

/// A rule's documentation.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleDoc {
    /// What it finds.
    pub what: &'static str,
    /// Why it matters in an answer.
    pub why: &'static str,
    /// A wrong form → the right one.
    pub example: &'static str,
    /// The clause of the standard (or the convention) it comes from.
    pub clause: &'static str,
    /// Why the rule may fire on more than a third of the vendor answers in `../shared/corpus`,
    /// when it does (the corpus test allows it only with a reason here).
    pub frequent: Option<&'static str>,
}

impl RuleId {
    pub const ALL: [RuleId; 20] = [
        RuleId::HalfWidthPunctuation,
        RuleId::UnpairedMark,
        RuleId::DashEllipsisForm,
        RuleId::DoubledMark,
        RuleId::HeadingFullStop,
        RuleId::NoTerminalPunctuation,
        RuleId::MixedNumerals,
        RuleId::ApproximateNumber,
        RuleId::RangeUnit,
        RuleId::FullWidthDigits,
        RuleId::HeadingLevelSkip,
        RuleId::HeadingLevelOrder,
        RuleId::HeadingMixedStyle,
        RuleId::HeadingLoneChild,
        RuleId::HeadingSequence,
        RuleId::HeadingMarkerForm,
        RuleId::Colloquial,
        RuleId::FirstPerson,
        RuleId::LongSentence,
        RuleId::RepeatedOpening,
    ];

    /// The rule's place in [`RuleId::ALL`] (the variants are declared in that order).
    fn index(self) -> usize {
        self as usize
    }

    /// The id as rubrics and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::HalfWidthPunctuation => "half-width-punctuation",
            RuleId::UnpairedMark => "unpaired-mark",
            RuleId::DashEllipsisForm => "dash-ellipsis-form",
            RuleId::DoubledMark => "doubled-mark",
            RuleId::HeadingFullStop => "heading-full-stop",
            RuleId::NoTerminalPunctuation => "no-terminal-punctuation",
            RuleId::MixedNumerals => "mixed-numerals",
            RuleId::ApproximateNumber => "approximate-number",
            RuleId::RangeUnit => "range-unit",
            RuleId::FullWidthDigits => "full-width-digits",
            RuleId::HeadingLevelSkip => "heading-level-skip",
            RuleId::HeadingLevelOrder => "heading-level-order",
            RuleId::HeadingMixedStyle => "heading-mixed-style",
            RuleId::HeadingLoneChild => "heading-lone-child",
            RuleId::HeadingSequence => "heading-sequence",
            RuleId::HeadingMarkerForm => "heading-marker-form",
            RuleId::Colloquial => "colloquial",
            RuleId::FirstPerson => "first-person",
            RuleId::LongSentence => "long-sentence",
            RuleId::RepeatedOpening => "repeated-opening",
        }
    }

    pub fn from_id(s: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn family(self) -> Family {
        match self {
            RuleId::HalfWidthPunctuation
            | RuleId::UnpairedMark
            | RuleId::DashEllipsisForm
            | RuleId::DoubledMark
            | RuleId::HeadingFullStop
            | RuleId::NoTerminalPunctuation => Family::Punctuation,
            RuleId::MixedNumerals
            | RuleId::ApproximateNumber
            | RuleId::RangeUnit
            | RuleId::FullWidthDigits => Family::Numbers,
            RuleId::HeadingLevelSkip
            | RuleId::HeadingLevelOrder
            | RuleId::HeadingMixedStyle
            | RuleId::HeadingLoneChild
            | RuleId::HeadingSequence
            | RuleId::HeadingMarkerForm => Family::Headings,
            RuleId::Colloquial
            | RuleId::FirstPerson
            | RuleId::LongSentence
            | RuleId::RepeatedOpening => Family::Register,
        }
    }

    /// The severity when the rubric does not set one.
    pub fn default_severity(self) -> Severity {
        match self {
            RuleId::HalfWidthPunctuation
            | RuleId::UnpairedMark
            | RuleId::DashEllipsisForm
            | RuleId::DoubledMark
            | RuleId::HeadingFullStop
            | RuleId::MixedNumerals
            | RuleId::ApproximateNumber
            | RuleId::RangeUnit
            | RuleId::FullWidthDigits
            | RuleId::HeadingLevelOrder
            | RuleId::HeadingMixedStyle
            | RuleId::HeadingLoneChild
            | RuleId::HeadingSequence
            | RuleId::HeadingMarkerForm
            | RuleId::Colloquial
            | RuleId::FirstPerson => Severity::Warning,
            // Conventions that careful writers bend (越级 is tolerated in short texts; a long
            // sentence or a repeated opening may be deliberate): reported, not deducted.
            RuleId::NoTerminalPunctuation
            | RuleId::HeadingLevelSkip
            | RuleId::LongSentence
            | RuleId::RepeatedOpening => Severity::Info,
        }
    }

    pub fn doc(self) -> RuleDoc {
        let d = |what, why, example, clause| RuleDoc {
            what,
            why,
            example,
            clause,
            frequent: None,
        };
        match self {
            RuleId::HalfWidthPunctuation => d(
                "a half-width mark , . ; : ? ! \" ' ( ) next to a Han character (a . only after Han text or a closing quote; 3.5, e.g., URLs, English and heading markers such as 1. are left alone)",
                "Chinese text takes full-width marks that fill one character cell; half-width marks show a switched input method and markers count them as 标点错误",
                "他强调,要\"抓落实\". → 他强调，要“抓落实”。",
                "GB/T 15834-2011 5.1 (横排文稿: 点号与标号占一个字位置)",
            ),
            RuleId::UnpairedMark => d(
                "an opening or closing quote, bracket or 书名号 without its partner in the same line, or pairs that cross (“（”）); a quotation that continues over paragraphs (each opens with “) is allowed",
                "an unclosed 引号 or 书名号 leaves the reader unsure where a quotation or a title ends",
                "《关于加强基层治理的意见 → 《关于加强基层治理的意见》",
                "GB/T 15834-2011 5.1.3 (引号、括号、书名号的两部分标在相应项目的两端); 4.8, 4.9, 4.15",
            ),
            RuleId::DashEllipsisForm => d(
                "a 省略号 or 破折号 in the wrong form: ... or 。。。 or ··· or a single … (the mark is …… in two cells), -- or －－ for ——, and the Han character 一 between two numbers used as a dash (10一12月)",
                "—— and …… are one mark of two cells; other forms are marked as punctuation errors",
                "等等... → 等等……；10一12月 → 10～12月",
                "GB/T 15834-2011 4.10.2 (破折号的形式 ——), 4.11.2 (省略号的形式 ……), 4.13 (连接号)",
            ),
            RuleId::DoubledMark => d(
                "the same mark twice or more in a row: ！！ ？？ ，， 、、 ；； ：： 。。 (？！ and ！？ are allowed)",
                "stacked marks express strong emotion, which an official text never does; doubled commas are slips",
                "成效显著！！ → 成效显著！",
                "GB/T 15834-2011 4.2.3, 4.3.3 (叠用问号、叹号只用于异常强烈的感情)",
            ),
            RuleId::HeadingFullStop => d(
                "a title or a short numbered 小标题 (at most 25 characters, no comma inside) standing alone on its line and ending with 。; a numbered sentence or paragraph keeps its full stop",
                "a heading is not a sentence: 公文 headings standing on their own line end without a full stop",
                "一、健全工作机制。 → 一、健全工作机制",
                "GB/T 15834-2011 4.1 (句号用于句末); GB/T 9704-2012 7.2, 7.3.3 (标题、层次标题) and common 公文 practice",
            ),
            RuleId::NoTerminalPunctuation => d(
                "a paragraph whose last sentence has no sentence-ending mark (。！？); heading lines are left alone: the headings found, and a line holding only a short headline (at most 25 characters, no comma) after a marker of a lower rank than the heading above it (1.建立台账 or （1）逐户登记 under （二）), and a letter's 此致 and 敬礼 on lines of their own",
                "a sentence left open at a paragraph end looks unfinished",
                "今后将继续努力 → 今后将继续努力。",
                "GB/T 15834-2011 4.1 (句号), 4.2, 4.3",
            ),
            RuleId::MixedNumerals => d(
                "Arabic and Chinese numerals mixed in one number (4千, 3百人, 二0二四年); 万 and 亿 after Arabic digits are allowed (463亿元), and so are the units 千米 千克 千瓦",
                "a number is written either in Arabic or in Chinese numerals; 4千 reads as careless",
                "3千余人 → 3000余人；二0二四年 → 2024年",
                "GB/T 15835-2011 5.3 (阿拉伯数字与汉字数字同时使用: only 万、亿)",
            ),
            RuleId::ApproximateNumber => d(
                "two adjacent numbers giving an estimate written with Arabic numerals or separated by 、 before a counting unit (3、4天, 三、四个); lists such as 第3、4项, 3、4月, 一、二季度 are not estimates and are left alone",
                "an estimate (概数) of two adjacent numbers is written in Chinese numerals without a 顿号",
                "3、4天 → 三四天",
                "GB/T 15835-2011 4.2.2 (概数用汉字数字), 5.2.1 (两数之间不用顿号); GB/T 15834-2011 附录A.4",
            ),
            RuleId::RangeUnit => d(
                "a range whose first number drops a %, 万 or 亿 that the second carries (20～40%, 3-5万)",
                "20～40% can be read as 20 to 40 percent or 20 (units) to 40 percent; the standard keeps the mark on both ends",
                "20～40% → 20%～40%；9～16亿 → 9亿～16亿",
                "GB/T 15835-2011 5.1.3 (数值范围)",
            ),
            RuleId::FullWidthDigits => d(
                "digits typed full-width (２０２４)",
                "Arabic numerals are set half-width, half a character cell; full-width digits show a switched input method",
                "２０２４年 → 2024年",
                "GB/T 15835-2011 5.1.7 (书写格式: 阿拉伯数字占半个汉字位置)",
            ),
            RuleId::HeadingLevelSkip => d(
                "a sub-heading that skips a rank of the order 一、 → （一） → 1. → （1） (1. directly under 一、)",
                "the order of 层次序数 tells the reader how deep a section is; skipping a rank is tolerated in short texts, so this only informs by default",
                "一、… 1.… → 一、… （一）…",
                "GB/T 9704-2012 7.3.3 (结构层次序数依次用 一、（一） 1. （1）)",
            ),
            RuleId::HeadingLevelOrder => d(
                "a sub-heading whose numbering ranks at or above its parent's (（一） under 1., 一、 under （一）)",
                "levels out of order invert the outline: the reader takes a sub-point for a main point",
                "1.… （一）… → 一、… （一）…",
                "GB/T 9704-2012 7.3.3",
            ),
            RuleId::HeadingMixedStyle => d(
                "headings of one level (siblings) numbered in different styles or with different marks (1. and 2、, 一、 and 二．)",
                "one level, one style: mixing styles blurs which items belong together",
                "1.… 2、… → 1.… 2.…",
                "GB/T 9704-2012 7.3.3; GB/T 15835-2011 4.3 (同类别同形式)",
            ),
            RuleId::HeadingLoneChild => d(
                "a section divided into a single sub-heading ((一) with no (二))",
                "a division needs at least two parts; a lone sub-heading is either not needed or missing its sibling",
                "一、… （一）… 二、… → 一、… （一）… （二）… 二、…",
                "GB/T 9704-2012 7.3.3 and common outline practice",
            ),
            RuleId::HeadingSequence => d(
                "sibling headings whose numbers do not count on from 1 (一、 三、, or a first sub-heading （三）); a list that starts again at 1 is allowed",
                "a gap in the numbering looks like a missing section",
                "一、… 三、… → 一、… 二、…",
                "GB/T 9704-2012 7.3.3",
            ),
            RuleId::HeadingMarkerForm => d(
                "a heading marker in a non-standard form: 一．, 一. or Roman Ⅰ. for 一、, (一) with half-width brackets for （一）, 1： for 1., 第一、 for 第一，",
                "the standard markers are 一、（一） 1. （1）, and an ordinal 第一 takes a comma; others show a switched input method",
                "一.坚持党建引领 → 一、坚持党建引领",
                "GB/T 9704-2012 7.3.3; GB/T 15834-2011 (标点符号用法: the 顿号 follows only ordinals of bare Chinese numerals or 甲乙丙丁)",
            ),
            RuleId::Colloquial => d(
                "spoken or internet words (a shipped list of 口语 and 网络用语 such as 搞定 咋办 给力 yyds, extended per rubric by language.colloquial), matched as words in use: on word boundaries, not inside a dictionary word (反正 in 拨乱反正), an amount (666万元) or a quoted mention (“躺平”); a rubric's forbidden phrases are matched the same way",
                "the register of an official text is written and formal; slang costs 语言 points",
                "这件事很快就搞定了 → 这项工作很快完成",
                "GB/T 9704-2012 (公文语体) and 申论 marking practice (语言规范、得体)",
            ),
            RuleId::FirstPerson => d(
                "first-person opinion (我觉得 我认为 在我看来 个人认为 …) in a genre that speaks for an organisation; allowed by language.first_person, and by default in speeches (讲话 发言 致辞 主持词 演讲)",
                "an 经验材料, 简报 or 提纲 reports facts for an organisation, not the writer's opinion",
                "我认为要压实责任 → 要压实责任",
                "申论 应用文 conventions (以机关口吻行文)",
            ),
            RuleId::LongSentence => d(
                "a sentence longer than the rubric's limit (language.sentence_limit, default 150 characters, marks included, spaces not)",
                "a sentence that runs on for lines is hard to follow; split it",
                "(a 160-character sentence) → two sentences",
                "申论 marking practice (语言简洁); no GB clause",
            ),
            RuleId::RepeatedOpening => d(
                "three or more sentences in a row that open with the same two characters (我们…。我们…。我们…。); numbered openings (一是 二是) differ and are left alone",
                "the same opening over and over reads as padding; deliberate 排比 is built inside a sentence",
                "我们要…。我们要…。我们要…。 → vary the openings or merge into one sentence",
                "申论 marking practice (语言流畅); no GB clause",
            ),
        }
    }
}

/// The rule set of one rubric, compiled: each rule's severity (`None` = off) and its parameters.
#[derive(Clone)]
pub struct Settings {
    /// Per rule, in the order of [`RuleId::ALL`] (indexed by [`RuleId::index`]).
    severity: [Option<Severity>; RuleId::ALL.len()],
    /// Extra 口语 words for [`RuleId::Colloquial`] (normalised), beside [`register::COLLOQUIAL`].
    pub colloquial: Vec<String>,
    /// Longest sentence, in non-whitespace characters ([`RuleId::LongSentence`]).
    pub sentence_limit: usize,
    /// First-person opinion is allowed ([`RuleId::FirstPerson`] does not fire).
    pub first_person_allowed: bool,
    /// Most points the rules together take off the 语言 dimension.
    pub deduction_cap: f64,
}

/// Default longest sentence, in characters (measured on the corpus: see `RULES.md`).
pub const DEFAULT_SENTENCE_LIMIT: usize = 150;
/// Default most points the rules together take off the 语言 dimension.
pub const DEFAULT_DEDUCTION_CAP: f64 = 3.0;
/// Findings of one rule that take points off; further ones are reported only (one habit costs
/// once or twice, not twenty times).
pub const DEDUCTING_FINDINGS_PER_RULE: usize = 2;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            severity: RuleId::ALL.map(|r| Some(r.default_severity())),
            colloquial: Vec::new(),
            sentence_limit: DEFAULT_SENTENCE_LIMIT,
            first_person_allowed: false,
            deduction_cap: DEFAULT_DEDUCTION_CAP,
        }
    }
}

/// Written as when the severities were a map from rule to severity (`{HalfWidthPunctuation:
/// Some(Warning), …}`), which tests and debug logs read.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity = RuleId::ALL.into_iter().zip(&self.severity);
        f.debug_struct("Settings")
            .field("severity", &DebugMap(severity))
            .field("colloquial", &self.colloquial)
            .field("sentence_limit", &self.sentence_limit)
            .field("first_person_allowed", &self.first_person_allowed)
            .field("deduction_cap", &self.deduction_cap)
            .finish()
    }
}

/// Pairs written as a map.
struct DebugMap<I>(I);

impl<K: std::fmt::Debug, V: std::fmt::Debug, I: Iterator<Item = (K, V)> + Clone> std::fmt::Debug
    for DebugMap<I>
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.clone()).finish()
    }
}

impl Settings {
    /// The rule's severity, `None` when it is switched off.
    pub fn severity(&self, rule: RuleId) -> Option<Severity> {
        self.severity[rule.index()]
    }

    pub fn set(&mut self, rule: RuleId, severity: Option<Severity>) {
        self.severity[rule.index()] = severity;
    }

    /// Genres whose texts speak in the writer's own voice, where first-person opinion is allowed
    /// unless the rubric says otherwise.
    pub fn first_person_default(genre: Option<&str>) -> bool {
        genre.is_some_and(|g| {
            ["讲话", "发言", "致辞", "主持词", "演讲", "心得", "感想"]
                .iter()
                .any(|k| g.contains(k))
        })
    }
}

/// One finding of a language rule.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// Byte range into the decoded text (on char boundaries).
    pub span: Span,
    /// In Chinese: what is wrong and what to write instead.
    pub message: String,
}

/// Collects findings of the rules that are on, with their severity.
pub struct Sink<'a> {
    settings: &'a Settings,
    text_len: usize,
    pub findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    pub fn new(settings: &'a Settings, text: &str) -> Self {
        Sink {
            settings,
            text_len: text.len(),
            findings: Vec::new(),
        }
    }

    pub fn on(&self, rule: RuleId) -> bool {
        self.settings.severity(rule).is_some()
    }

    pub fn push(&mut self, rule: RuleId, span: Span, message: impl Into<String>) {
        if let Some(severity) = self.settings.severity(rule) {
            let span = Span::new(span.start.min(self.text_len), span.end.min(self.text_len));
            self.findings.push(Finding {
                rule,
                severity,
                span,
                message: message.into(),
            });
        }
    }
}

/// Everything the rules look at, built once per answer.
pub struct Input<'a> {
    /// The decoded text (spans point into it).
    pub text: &'a str,
    /// The normalised copy used for word matching.
    pub norm: &'a Normalized,
    pub bounds: &'a Boundaries,
    pub seg: &'a Segmented,
    /// The rubric's extra 口语 words and the shipped list, compiled once per run.
    pub lexicon: &'a register::Lexicon,
    /// The characters of the normalised text the lexicon looks at (of bits holding its words'
    /// first characters).
    pub marks: &'a crate::check::Marks,
}

/// What more than one family looks at, found once per answer by [`run`].
pub(crate) struct Shared {
    pub(crate) lines: Lines,
    /// The spans of numbered heading markers ([`marker_spans`]).
    pub(crate) markers: Vec<Span>,
}

impl Shared {
    pub(crate) fn new(input: &Input) -> Self {
        Shared {
            lines: Lines::new(input.text),
            markers: marker_spans(input.seg),
        }
    }
}

/// The lines of a text: where each starts, as byte offsets.
pub(crate) struct Lines {
    /// 0, and the offset after each line break.
    starts: Vec<usize>,
    /// The text's length in bytes.
    len: usize,
}

impl Lines {
    /// The lines of `text`.
    pub(crate) fn new(text: &str) -> Self {
        Lines {
            starts: crate::span::line_starts(text),
            len: text.len(),
        }
    }

    /// The byte offset of the start of the line holding byte `at` (after the last line break
    /// before it).
    pub(crate) fn start_of(&self, at: usize) -> usize {
        self.starts[self.starts.partition_point(|&s| s <= at) - 1]
    }

    /// The byte offset of the end of the line holding byte `at` (its line break, or the text's
    /// end).
    pub(crate) fn end_of(&self, at: usize) -> usize {
        let k = self.starts.partition_point(|&s| s <= at);
        self.starts.get(k).map_or(self.len, |&s| s - 1)
    }

    /// Each line of `text` (the text these are the lines of) with its start, as
    /// `text.split('\n')` gives them.
    pub(crate) fn iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, &'t str)> {
        let ends = self.starts[1..].iter().map(|&s| s - 1).chain([self.len]);
        self.starts.iter().zip(ends).map(|(&s, e)| (s, &text[s..e]))
    }
}

/// Run every rule that is on; findings in text order.
pub fn run(input: &Input, settings: &Settings) -> Vec<Finding> {
    let mut sink = Sink::new(settings, input.text);
    let shared = Shared::new(input);
    punct::check_with(input, &shared, &mut sink);
    numbers::check_with(input, &shared, &mut sink);
    headings::check_with(input, &shared, &mut sink);
    register::check(input, settings, &mut sink);
    let mut out = sink.findings;
    out.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
    out.dedup_by_key(|f| (f.span, f.rule));
    out
}

/// Byte spans of numbered heading markers (`1.`, `(一)`, `一．`, `1)`): their marks are judged by
/// the heading rules, not as punctuation in running text. The comma of 第一, and 首先, is
/// ordinary punctuation and stays in.
pub(crate) fn marker_spans(seg: &Segmented) -> Vec<Span> {
    use crate::segment::Style;
    let mut v: Vec<Span> = seg
        .headings
        .iter()
        .filter(|h| {
            matches!(
                h.style,
                Style::CnDun
                    | Style::CnParen
                    | Style::DigitDot
                    | Style::DigitDun
                    | Style::DigitParen
                    | Style::DigitHalfParen
                    | Style::Circled
            )
        })
        .map(|h| h.marker)
        .collect();
    v.sort();
    v
}

pub(crate) fn inside(spans: &[Span], at: usize) -> bool {
    let k = spans.partition_point(|s| s.end <= at);
    spans.get(k).is_some_and(|s| s.start <= at && at < s.end)
}

/// A quote of at most `n` characters around a span, for messages.
pub(crate) fn snippet(text: &str, span: Span, n: usize) -> String {
    crate::count::truncate_chars(span.slice(text), n)
}

/// The rule reference as Markdown tables, one per family (the generated part of `RULES.md`;
/// `tests/language.rs` keeps the file in step with the docs).
pub fn rules_markdown() -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    for family in [
        Family::Punctuation,
        Family::Numbers,
        Family::Headings,
        Family::Register,
    ] {
        let name = match family {
            Family::Punctuation => "Punctuation 标点 (GB/T 15834-2011)",
            Family::Numbers => "Numbers 数字 (GB/T 15835-2011)",
            Family::Headings => "Heading hierarchy 层次序数 (GB/T 9704-2012)",
            Family::Register => "Register 语体",
        };
        out.push_str(&format!("\n### {name}\n\n"));
        out.push_str("| id | default | what it finds | why it matters | example | clause |\n");
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for r in RuleId::ALL.into_iter().filter(|r| r.family() == family) {
            let d = r.doc();
            out.push_str(&format!(
                "| `{}` | {} | {}{} | {} | {} | {} |\n",
                r.as_str(),
                r.default_severity().as_str(),
                cell(d.what),
                d.frequent
                    .map(|f| format!(" (fires often: {})", cell(f)))
                    .unwrap_or_default(),
                cell(d.why),
                cell(d.example),
                cell(d.clause)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::sample::select;

    /// The settings as they were, with the severities in a map.
    mod before {
        // Read only through Debug.
        #[allow(dead_code)]
        #[derive(Debug)]
        pub struct Settings {
            pub severity: std::collections::BTreeMap<super::RuleId, Option<super::Severity>>,
            pub colloquial: Vec<String>,
            pub sentence_limit: usize,
            pub first_person_allowed: bool,
            pub deduction_cap: f64,
        }
    }

    /// Settings are written as before the severities left their map (a test of rubrics reads
    /// them), plain and pretty.
    #[test]
    fn settings_debug_is_the_map_form() {
        let mut settings = Settings {
            colloquial: vec!["搞定".into()],
            ..Settings::default()
        };
        settings.set(RuleId::LongSentence, None);
        settings.set(RuleId::Colloquial, Some(Severity::Error));
        let was = before::Settings {
            severity: RuleId::ALL
                .into_iter()
                .map(|r| (r, settings.severity(r)))
                .collect(),
            colloquial: settings.colloquial.clone(),
            sentence_limit: settings.sentence_limit,
            first_person_allowed: settings.first_person_allowed,
            deduction_cap: settings.deduction_cap,
        };
        assert_eq!(format!("{settings:?}"), format!("{was:?}"));
        assert_eq!(format!("{settings:#?}"), format!("{was:#?}"));
    }

    #[test]
    fn rule_index_is_the_place_in_all() {
        for (k, r) in RuleId::ALL.into_iter().enumerate() {
            assert_eq!(r.index(), k, "{r:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 1024,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// The lines found 32 bytes at a time are the lines `split` finds, and the line of each
        /// offset is the one `rfind` and `find` of a line break give.
        #[test]
        fn lines_are_the_split(
            text in proptest::collection::vec(select(vec!["\n", "\r\n", "a", "中", "，", " "]), 0..80),
        ) {
            let text = text.concat();
            let lines = Lines::new(&text);
            let got: Vec<(usize, &str)> = lines.iter(&text).collect();
            let mut want = Vec::new();
            let mut start = 0;
            for line in text.split('\n') {
                want.push((start, line));
                start += line.len() + 1;
            }
            prop_assert_eq!(got, want);
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let start = text[..at].rfind('\n').map_or(0, |k| k + 1);
                let end = text[at..].find('\n').map_or(text.len(), |k| at + k);
                prop_assert_eq!(lines.start_of(at), start, "start of {}", at);
                prop_assert_eq!(lines.end_of(at), end, "end of {}", at);
            }
        }
    }
}
