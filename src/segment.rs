//! Segmentation: title, salutation (称谓), paragraphs, sentences, headings (小标题) with their
//! numbering style and level, opening (开头), closing (结尾) and signature (落款). All spans are
//! byte ranges into the document text. Words (jieba) are in [`crate::words`].
//!
//! The rules follow a careful reader (`../shared/corpus/LABELS.md`): numbering decides first;
//! frame labels (背景：/经验：/结语：) are not headings; single-line answers, whose title, 称谓
//! and body run together, are split by the genre word that ends a title, a 称谓 cue, a label or
//! the first sentence of the body.

use crate::count::chars_at_most;
use crate::span::Span;
use regex::Regex;
use serde::Serialize;
use std::sync::OnceLock;

/// How a heading is numbered. Names are the marker of the first item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Hash)]
pub enum Style {
    /// 一、 (also 一． and 一. , flagged non-standard)
    #[serde(rename = "一、")]
    CnDun,
    /// （一） (also half-width (一))
    #[serde(rename = "（一）")]
    CnParen,
    /// 1. (also 1． and "1. ")
    #[serde(rename = "1.")]
    DigitDot,
    /// 1、
    #[serde(rename = "1、")]
    DigitDun,
    /// （1）
    #[serde(rename = "（1）")]
    DigitParen,
    /// 1） or 1)
    #[serde(rename = "1）")]
    DigitHalfParen,
    /// ①
    #[serde(rename = "①")]
    Circled,
    /// 一是、二是 (inline)
    #[serde(rename = "一是")]
    CnShi,
    /// 第一，第二，
    #[serde(rename = "第一")]
    CnDi,
    /// 首先，其次，最后
    #[serde(rename = "首先")]
    Shouxian,
    /// 事项一：/项目一：
    #[serde(rename = "label")]
    Label,
    /// An unnumbered lead sentence or stand-alone heading line.
    #[serde(rename = "lead")]
    Lead,
    /// A heading given by a Word heading style or outline level (.docx).
    #[serde(rename = "outline")]
    Outline,
}

impl Style {
    pub const ALL: [Style; 13] = [
        Style::CnDun,
        Style::CnParen,
        Style::DigitDot,
        Style::DigitDun,
        Style::DigitParen,
        Style::DigitHalfParen,
        Style::Circled,
        Style::CnShi,
        Style::CnDi,
        Style::Shouxian,
        Style::Label,
        Style::Lead,
        Style::Outline,
    ];

    /// The style named by its label (`一、`, `（一）`, `1.` …); half-width brackets accepted.
    pub fn from_label(label: &str) -> Option<Style> {
        let l = label
            .trim()
            .replace('(', "（")
            .replace(')', "）")
            .replace('．', ".");
        Style::ALL.into_iter().find(|s| s.label() == l)
    }

    /// The style as the reports name it: the label of a numbered style, Chinese for the others.
    pub fn name(self) -> &'static str {
        match self {
            Style::Label => "事项一：",
            Style::Lead => "无编号",
            Style::Outline => "Word 标题样式",
            _ => self.label(),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Style::CnDun => "一、",
            Style::CnParen => "（一）",
            Style::DigitDot => "1.",
            Style::DigitDun => "1、",
            Style::DigitParen => "（1）",
            Style::DigitHalfParen => "1）",
            Style::Circled => "①",
            Style::CnShi => "一是",
            Style::CnDi => "第一",
            Style::Shouxian => "首先",
            Style::Label => "label",
            Style::Lead => "lead",
            Style::Outline => "outline",
        }
    }
}

/// Structure known from the file format (a .docx's Title style and heading styles or outline
/// levels), by 0-based line of the extracted text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hints {
    pub title_line: Option<usize>,
    /// (line, level 1-based)
    pub headings: Vec<(usize, u8)>,
}

/// A heading (小标题).
#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    /// 1 = top level of the body, 2 = items nested in a top-level section.
    pub level: u8,
    pub style: Style,
    /// The item number (1-based; lead headings are numbered by position).
    pub number: u32,
    /// The marker as written (`一、`, `（二）`, `1．`); empty for lead headings.
    pub marker: Span,
    /// The headline: after the marker up to the first 。；： or the end of the line.
    pub text: Span,
    /// The whole section: from the marker to the next heading of the same or a higher level,
    /// the closing, or the end of the body.
    pub section: Span,
    /// The marker deviates from the standard form (一． / 一. / (一) with half-width brackets).
    pub nonstandard: bool,
}

/// A sentence; sentences of a paragraph concatenate back to the paragraph.
#[derive(Clone, Debug, Serialize)]
pub struct Sentence {
    pub span: Span,
    /// Index into `paragraphs`.
    pub paragraph: usize,
    /// Ends with sentence-ending punctuation (。！？；…… or a half-width . ? ! ;).
    pub terminated: bool,
}

/// The structure of one answer.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Segmented {
    /// The text has no line break except a final one.
    pub single_line: bool,
    pub title: Option<Span>,
    pub salutation: Option<Span>,
    /// Body paragraphs in order (title, salutation, 报头 and signature excluded), trimmed.
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub headings: Vec<Heading>,
    pub opening: Option<Span>,
    pub closing: Option<Span>,
    pub signature: Option<Span>,
    /// The date inside the signature (placeholders such as XXXX年XX月XX日 included); `None` for a
    /// 落款 of issuing bodies alone, which a rubric asking for a dated 落款 credits only in part.
    pub signature_date: Option<Span>,
    /// Frame labels (背景：, 经验：, 结语：…) found, not counted as headings.
    pub labels: Vec<Span>,
    /// The body: from the end of the title/salutation to the start of the signature.
    pub body: Span,
}

impl Segmented {
    pub fn h1(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().filter(|h| h.level == 1)
    }
    pub fn h2(&self) -> impl Iterator<Item = &Heading> {
        self.headings.iter().filter(|h| h.level == 2)
    }
    /// The 1-based body paragraph holding byte offset `at`, if any.
    pub fn paragraph_of(&self, at: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.end <= at);
        (i < self.paragraphs.len() && self.paragraphs[i].start <= at).then_some(i + 1)
    }
}

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pat).expect("static regex"))
}

macro_rules! static_re {
    ($name:ident, $pat:expr) => {
        fn $name() -> &'static Regex {
            static R: OnceLock<Regex> = OnceLock::new();
            re(&R, $pat)
        }
    };
}

static_re!(
    date_re,
    r"(?:\d{2,4}|[xX×＊*○◯〇]{1,4}|[〇○◯OＯ零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[xX×＊*○◯〇]{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:\s*(?:\d{1,2}|[xX×＊*○◯〇]{1,2}|[一二三四五六七八九十]{1,3})\s*日)?|(?-u:\b)\d{4}\s*[.\-/．－／]\s*\d{1,2}\s*[.\-/．－／]\s*\d{1,2}(?-u:\b)"
);
// A bulletin's issue number (第3期, （第12期）, 第3期（总第45期）, 2024年第12期, 〔2024〕第12期)
// in its 报头.
static_re!(
    issue_number_re,
    r"(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*|[〔\[［]\s*\d{4}\s*[〕\]］]\s*)?[（(]?\s*第\s*[0-9０-９一二三四五六七八九十〇零百]{1,4}\s*期\s*[）)]?(?:\s*[（(]\s*总第\s*[0-9０-９一二三四五六七八九十〇零百]{1,5}\s*期\s*[）)])?"
);
// A line of a bulletin's 版记 after its body: whom it is sent to (报：… 送：… 抄送：…), who wrote
// or edited it (供稿：… 责任编辑：…) or the print run (共印50份).
static_re!(
    distribution_re,
    r"^(?:(?:抄送|抄报|报送|分送|主送|报|送|发)\s*[：:]\s*\S|[（(]?\s*(?:供稿|撰稿|来稿|责任编辑|编辑|审核|审稿|签发|校对|摄影|通讯员)\s*[：:]\s*\S|[（(]?\s*共印\s*[0-9０-９一二三四五六七八九十百]+\s*份\s*[）)]?\s*$)"
);
// A date without its year (3月15日) on a line of its own: a 落款's date written short (a line
// that ends with one, 截至11月30日, is a sentence).
static_re!(
    month_day_end_re,
    r"^(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]\s*$"
);

/// The date of a 落款, as byte offsets in `t`: a full date anywhere, or a month and day alone on
/// its last line.
fn signature_date_in(t: &str) -> Option<(usize, usize)> {
    // Every date holds 年, 月 or a digit: most lines tried hold none, and skip both searches.
    if !t.contains(['年', '月']) && !t.chars().any(char::is_numeric) {
        return None;
    }
    if let Some(m) = date_re().find(t) {
        return Some((m.start(), m.end()));
    }
    let last = t.rfind('\n').map_or(0, |i| i + 1);
    month_day_end_re()
        .find(&t[last..])
        .map(|m| (last + m.start(), last + m.end()))
}

// The people a 称谓 ends by naming (广大村民朋友, 各位领导, 亲爱的同学们): a line opening with a
// salutation cue and ending so, without its colon, is still a 称谓.
static_re!(
    addressee_end_re,
    r"(?:朋友|同志|同仁|同事|群众|村民|居民|市民|农民|家长|老师|同学|领导|乡亲|志愿者|师生|职工|干部|青年|女士|先生|来宾|嘉宾|组织|党组织|企业|单位|部门|商户|经营者|游客|网友|党员|代表|委员)们?$"
);

// A closing formula on a line of its own, its mark optional: 特此倡议, 特此通知。, 此致, 敬礼！
static_re!(
    closing_formula_re,
    r"^(?:特此[\p{Han}]{2,4}|此致|敬礼|此致\s*敬礼|谢谢大家|谢谢)\s*[。！!.．]?$"
);
// An attachment note (附件：, 附件1：, 附件: …) opening a line.
static_re!(attachment_re, r"^附件\s*[0-9一二三四五六七八九十]*\s*[：:]");
// The label some 落款 lines carry before the issuer or the date.
static_re!(
    signature_label_re,
    r"^(?:倡议人|倡议单位|倡议方|发起人|发起单位|主办单位|发文单位|发布单位|署名|落款|单位|倡议时间|发布时间|发文时间|发文日期|时间|日期)\s*[：:]"
);
/// A call to the readers opening a paragraph: addressees in the plural, or after 各位/亲爱的,
/// then a comma or an exclamation mark (同志们，, 市民朋友们，, 各位村民！).
macro_rules! vocative {
    () => {
        r"(?:[\p{Han}]{0,4}(?:朋友|乡亲|同胞|同志|同学|同仁|老师|家长|村民|居民|市民|青年|党员|干部|职工|群众|女士|先生)们|各位[\p{Han}]{1,8}|亲爱的[\p{Han}]{1,8})[，,！!]"
    };
}
static_re!(vocative_re, concat!("^", vocative!()));
static_re!(
    issuer_re,
    r"(?:局|委|委员会|政府|办公室|办|厅|部|处|科|中心|协会|学会|联合会|公司|组|队|站|所|院|校|镇|乡|街道|社区|村委会|居委会|党委|支部|工作组|指挥部|医院|银行)$"
);
static_re!(
    salutation_cue_re,
    r"^(?:尊敬的|各位|亲爱的|广大|全市|全县|全区|全镇|全乡|全省|全体|社会各界|同志们|朋友们|女士们|老师们|同学们|村民|居民|市民|农民|家长|各旅|各)"
);
static_re!(
    title_end_re,
    r"(?:提纲|材料|公开信|倡议书|倡议|建议书|告知书|简报|方案|说明|发言稿|讲话稿|讲话|致辞|主持词|宣传稿|指南|报告|通知|总结|的信|一封信)"
);
/// A character that can open a 称谓 cue: the first of a word of `salutation_cue_re`. Checking it
/// first spares the regex at most positions of a line.
fn may_open_salutation_cue(c: char) -> bool {
    matches!(
        c,
        '尊' | '各'
            | '亲'
            | '广'
            | '全'
            | '社'
            | '同'
            | '朋'
            | '女'
            | '老'
            | '村'
            | '居'
            | '市'
            | '农'
            | '家'
    )
}
// A place (「在 S 省」, 「L 海关」) opening the text.
static_re!(
    place_start_re,
    r"^(?:(?:在\s*)?[A-Z]\s?(?:省|市|县|区|镇|乡|村|海关|局))"
);
// The first words of a body sentence (「我省」, 「近年来」, 「S 省」, 「2023 年」) opening the text.
static_re!(
    body_cue_start_re,
    r"^(?:(?:在\s*)?(?:[A-Z]\s?(?:省|市|县|区|镇|乡|村|海关|局)|我省|我市|我县|我区|我局|我关|我镇|我乡|我村|近年来|近日|近期|今年|去年|根据|为了|随着|当前|面对|针对|自从|\d{4}\s*年))"
);
/// A character that can open `body_cue_start_re`: 在, a capital letter (S 省), a digit (2023 年)
/// or the first of one of its words. Checking it first spares the regex at most positions.
fn may_open_body_cue(c: char) -> bool {
    matches!(
        c,
        '在' | '我' | '近' | '今' | '去' | '根' | '为' | '随' | '当' | '面' | '针' | '自'
    ) || c.is_ascii_uppercase()
        || c.is_ascii_digit()
        // No ideograph is a digit (their category is Lo): spare them the table lookup.
        || (!c.is_ascii() && !crate::count::is_han(c) && c.is_numeric())
}
// A paragraph that opens by addressing the readers (同志们，市民朋友们，父老乡亲们！) after
// the sections is the closing (a call to action, a wish); the other cues are words of summary,
// outlook, thanks and formula.
static_re!(
    closing_cue_re,
    concat!(
        "^(?:",
        vocative!(),
        r"|以上|今后|未来|下一步|下步|总之|综上|总而言之|让我们|谢谢|感谢|希望|相信|我们将|我们相信|我们坚信|最后，|展望|在今后|在此|特此|此致|实践证明|事实证明|通过以上|通过这些|通过上述|上述做法|这些做法|总体来看|总的来看|经过努力)"
    )
);

/// The value of a Chinese numeral of one to ninety-nine (一 … 十一 … 九十九); 0 otherwise.
pub(crate) fn cn_value(s: &str) -> u32 {
    let digit = |c: char| cn_digit_value(c).unwrap_or(0);
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

fn is_terminal(c: char) -> bool {
    // A half-width ; separates clauses only (case B25); the full-width ； ends a sentence.
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | '…')
}

/// Whether the sentence goes on past the run of terminal marks that starts with `mark` after
/// `before` and is followed by `next` (spaces skipped): a clause mark after the run
/// (`等……，` `“好！”，他说`) shows the sentence continues, and so does an ellipsis (`……` `...`)
/// after 等 with text following (`文件、会议等……进行压减`): it closes a list inside the sentence.
fn continues_after(before: &str, mark: char, next: Option<char>) -> bool {
    matches!(next, Some('，' | '、' | '：' | ',' | ':'))
        || (mark == '…' || mark == '.' && before.ends_with('.'))
            && next.is_some()
            && before.trim_end_matches(['…', '.']).ends_with('等')
}

fn is_closer(c: char) -> bool {
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
}

/// Whether `t` (a sentence up to a half-width full stop) is only an item number — digits, full-width
/// digits or the Chinese numerals 一 … 十, spaces around them: the dot after it closes a heading
/// marker (`一.` `1 .` `１.`), not a sentence.
pub(crate) fn is_item_number(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c) || is_cn_digit(c) || c == ' ')
}

/// A character drawn as nothing or as a blank: spaces, what
/// [`crate::normalize::is_drawn_as_nothing`] names, the braille blank.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || crate::normalize::is_drawn_as_nothing(c) || c == '\u{2800}'
}

fn trim_span(text: &str, s: Span) -> Span {
    let t = s.slice(text);
    let lead = t.len() - t.trim_start_matches(is_blank).len();
    let t2 = t.trim_end_matches(is_blank);
    if t2.len() <= lead {
        return Span::new(s.start, s.start);
    }
    Span::new(s.start + lead, s.start + t2.len())
}

/// A bullet a line may open with, as lists pasted from a word processor, a web page or a chat
/// carry them: • · ・ ‣ ⁃, the geometric shapes (■ ◆ ▪ ● ○ ► …), arrows, dingbats and other
/// symbols (★ ✓ ➢ …), emoji; `-`, `*` and `+` only when a space follows (Markdown's bullets;
/// -5 is a number). A symbol followed by itself is not a bullet: ○○市, □□县 are names left out.
fn is_bullet(c: char, next: Option<char>) -> bool {
    if next == Some(c) {
        return false;
    }
    // ○ □ △ stand for a name or a number left out (○县人民政府, ○年○月○日): bullets only before a
    // space or a heading number.
    if matches!(c, '○' | '◯' | '□' | '△') {
        return next.is_some_and(|n| n.is_whitespace() || may_open_marker(n));
    }
    match c {
        '-' | '*' | '+' => next.is_some_and(char::is_whitespace),
        '•' | '·' | '・' | '‣' | '⁃' | '√' => true,
        _ => matches!(c as u32,
            0x2190..=0x21FF // arrows
            | 0x25A0..=0x25FF // geometric shapes
            | 0x2600..=0x27BF // symbols, dingbats
            | 0x2B00..=0x2BFF // arrows and symbols (⭐)
            | 0x1F300..=0x1FAFF // emoji
        ),
    }
}

/// A line of the answer as a span: trimmed (`trim_span`), and without the bullets it opens with
/// (「• 一、健全机制」 is the heading 「一、健全机制」).
fn line_span(text: &str, s: Span) -> Span {
    let mut sp = trim_span(text, s);
    loop {
        let t = sp.slice(text);
        let mut chars = t.chars();
        let Some(c) = chars.next() else { return sp };
        if !is_bullet(c, chars.next()) {
            return sp;
        }
        let rest = trim_span(text, Span::new(sp.start + c.len_utf8(), sp.end));
        // A line of bullets alone stays as it is (a separator line).
        if rest.is_empty() {
            return sp;
        }
        sp = rest;
    }
}

/// Han characters in a span (ignores marks and spaces).
fn han_len(text: &str, s: Span) -> usize {
    crate::count::han_chars(s.slice(text)).count()
}

/// `han_len(text, s) >= n`, reading no further than the n-th Han character.
fn han_at_least(text: &str, s: Span, n: usize) -> bool {
    crate::count::han_chars(s.slice(text))
        .nth(n.saturating_sub(1))
        .is_some()
        || n == 0
}

/// Split a paragraph into sentences. Rules (cases B21, B22, B24, B25):
/// - a sentence ends at 。！？；…… (and half-width ?!; and a . that follows no letter or digit and
///   precedes no digit), together with the closing marks right after it;
/// - a mark inside 《》 never ends a sentence; inside （） only when the bracket closes right after it;
///   inside quotes only when the quote opened right after ：and closes right after the mark;
/// - the last sentence may lack a terminal mark (`terminated = false`).
pub fn split_sentences(text: &str, para: Span) -> Vec<(Span, bool)> {
    let mut out = Vec::new();
    sentences_into(text, para, &mut out);
    out
}

/// The sentences of a paragraph (`split_sentences`), added after those already in `out` (a
/// buffer reused from paragraph to paragraph).
fn sentences_into(text: &str, para: Span, out: &mut Vec<(Span, bool)>) {
    let first = out.len();
    let s = para.slice(text);
    // Byte offsets into `s` (on char boundaries): the character at and the one before.
    let at = |i: usize| s[i..].chars().next();
    let before = |i: usize| s[..i].chars().next_back();
    // The end of the run of characters from `i` on that satisfy `f`.
    let skip = |mut i: usize, f: &dyn Fn(char) -> bool| {
        while let Some(c) = at(i).filter(|&c| f(c)) {
            i += c.len_utf8();
        }
        i
    };
    let mut start = 0usize;
    let mut stack: Vec<(char, bool)> = Vec::new(); // (opener, opened after ：)
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        // Unified ideographs (U+4000–U+9FFF: three bytes led by E4–E9), ，(EF BC 8C), 、(E3 80 81)
        // and ASCII other than quotes, brackets and . ! ? are neither marks nor terminals: skip
        // them.
        loop {
            match b.get(i) {
                Some(0xE4..=0xE9) => i += 3,
                Some(0xEF) if b.get(i + 1..i + 3) == Some(&[0xBC, 0x8C]) => i += 3,
                Some(0xE3) if b.get(i + 1..i + 3) == Some(&[0x80, 0x81]) => i += 3,
                Some(&x)
                    if x.is_ascii()
                        && !matches!(x, b'"' | b'\'' | b'(' | b')' | b'.' | b'!' | b'?') =>
                {
                    i += 1
                }
                _ => break,
            }
        }
        let Some(c) = at(i) else {
            break;
        };
        let prev = || before(i);
        let after = i + c.len_utf8();
        match c {
            '“' | '‘' | '（' | '(' | '《' | '「' | '『' | '【' | '〈' | '〔' | '〖' | '［' =>
            {
                let after_colon = matches!(prev(), Some('：') | Some(':'));
                stack.push((c, after_colon));
            }
            // ASCII quotes open and close alternately.
            '"' | '\'' => {
                if let Some(pos) = stack.iter().rposition(|&(o, _)| o == c) {
                    stack.truncate(pos);
                } else {
                    stack.push((c, matches!(prev(), Some('：') | Some(':'))));
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
                    // 〔〕 (国发〔2023〕), 〖〗 and ［］ bracket like 【】.
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
            || (c == '.' && {
                let n = at(after);
                !prev().is_some_and(|p| p.is_ascii_alphanumeric())
                    && !n.is_some_and(|n| n.is_ascii_digit() || n == '.')
                    && i > 0
                    && !is_item_number(&s[start..i])
            });
        if terminal {
            // Absorb a run of terminal marks.
            let mut j = skip(after, &|d| is_terminal(d) || (d == '.' && c == '.'));
            let inside = !stack.is_empty();
            let mut end_ok = !inside;
            if inside {
                // Closing marks right after the terminal may close the enclosing quote/bracket:
                // they do when there are as many as marks open.
                let k = skip(j, &is_closer);
                let closers = s[j..k].chars().count();
                if closers >= stack.len() && k > j {
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
                // A closing mark right after a sentence end belongs to it (an ASCII quote there
                // opens the next sentence: nothing is open).
                j = skip(j, &|d| is_closer(d) && !matches!(d, '"' | '\''));
            }
            if end_ok && !continues_after(&s[..i], c, at(skip(j, &char::is_whitespace))) {
                // Trailing spaces go with the sentence that ends here.
                let end = skip(j, &char::is_whitespace);
                if end > start {
                    out.push((Span::new(para.start + start, para.start + end), true));
                }
                start = end;
                i = end;
                continue;
            }
            i = j;
            continue;
        }
        i = after;
    }
    if start < s.len() {
        let rest = Span::new(para.start + start, para.end);
        if rest.slice(text).trim().is_empty() {
            if let Some(last) = out[first..].last_mut() {
                last.0.end = para.end;
            }
        } else {
            out.push((rest, false));
        }
    }
}

#[derive(Clone, Debug)]
struct Cand {
    style: Style,
    number: u32,
    at: usize,
    marker_end: usize,
    nonstandard: bool,
    para: usize,
    /// The marker opens its line (a stand-alone heading or numbered paragraph).
    line_start: bool,
    /// The line holds only a short headline (no sentence after it).
    headline_line: bool,
}

/// The end of the run of unified ideographs (U+4000–U+9FFF: three bytes led by E4–E9) that
/// starts at byte `i` of `b` (`i` itself when none starts there); `i` is on a char boundary.
fn ideographs_end(b: &[u8], mut i: usize) -> usize {
    // Two at a time, then the last one.
    while let [0xE4..=0xE9, _, _, 0xE4..=0xE9, ..] = b[i..] {
        i += 6;
    }
    if let [0xE4..=0xE9, ..] = b[i..] {
        i += 3;
    }
    i
}

/// Positions in a paragraph where a heading marker may stand: the paragraph start and after a
/// sentence or clause end (。！？；：，and half-width forms, closing quotes skipped).
/// They replace the contents of `out` (a buffer reused from paragraph to paragraph). Public for
/// the property test that pins it to the plain form.
#[doc(hidden)]
pub fn clause_starts(text: &str, para: Span, out: &mut Vec<usize>) {
    let s = para.slice(text);
    let b = s.as_bytes();
    out.clear();
    out.push(para.start);
    let mut prev_stop = false;
    let mut i = 0;
    while i < b.len() {
        if let 0xE4..=0xE9 = b[i] {
            // A unified ideograph (U+4000–U+9FFF, three bytes): not a stop, closer or space.
            if prev_stop {
                out.push(para.start + i);
                prev_stop = false;
            }
            i = ideographs_end(b, i);
            continue;
        }
        // The commonest marks: ，and 。 are stops, 、 is neither a stop, a closer nor a space.
        if let Some(&[x @ (0xEF | 0xE3), y, z]) = b.get(i..i + 3) {
            let stop = [x, y, z] == [0xEF, 0xBC, 0x8C] || [x, y, z] == [0xE3, 0x80, 0x82];
            if stop || [x, y, z] == [0xE3, 0x80, 0x81] {
                if prev_stop {
                    out.push(para.start + i);
                }
                prev_stop = stop;
                i += 3;
                continue;
            }
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        if prev_stop && !c.is_whitespace() && !is_closer(c) {
            out.push(para.start + i);
        }
        i += c.len_utf8();
        if matches!(
            c,
            '。' | '！' | '？' | '；' | '：' | '，' | ';' | ':' | '!' | '?' | ',' | '.' | '．'
        ) {
            prev_stop = true;
        } else if !(c.is_whitespace() || is_closer(c)) {
            prev_stop = false;
        }
    }
}

static_re!(
    answer_label_re,
    r"^(?:(?:参考|我的)?答案|答|作答|解答|回答|标题)\s*[：:]\s*|^(?:姓名|考生姓名|准考证号|考号|学号|班级|座号)\s*[：:].*$|^(?:第\s*[一二三四五六七八九十\d]+\s*题|题目\s*[一二三四五六七八九十\d]*|问题\s*[一二三四五六七八九十\d]+)\s*(?:[：:]\s*|[.．。]?\s*$)"
);

// A note of the answer's length closing it: （共452字）, 全文约800字, 字数：452.
static_re!(
    length_note_re,
    r"^[（(【\[]?\s*(?:(?:全文|本文|正文)?\s*(?:共|约|计|合计)?\s*\d{2,5}\s*余?\s*字\s*(?:左右)?|(?:全文|本文|正文)?\s*字数\s*(?:统计)?\s*[：:为]?\s*(?:约|共)?\s*\d{2,5}\s*字?)\s*[)）】\]]?\s*[。.]?$"
);

/// The lines of a bulletin's 报头 opening `lines`: its name with the issue number (工作简报 第3期,
/// on one line or two) and the line of the issuing body or date under them (某某办公室编
/// 2024年5月10日); 0 when the answer opens with none, or when no title and body would be left.
fn masthead_lines(text: &str, lines: &[Span]) -> usize {
    let plain = |l: &Span, max: usize| {
        let t = l.slice(text);
        chars_at_most(t, max) && !t.contains(['。', '，', '；', '！', '？', ',', ';'])
    };
    // The issue number opening a line: its end, in bytes.
    let issue_end = |l: &Span| {
        let t = l.slice(text);
        t.contains('期')
            .then(|| issue_number_re().find(t))
            .flatten()
            .filter(|m| m.start() == 0)
            .map(|m| m.end())
    };
    let mut k = match lines {
        // 第3期 alone above the title.
        [issue, ..] if plain(issue, 20) && issue_end(issue) == Some(issue.len()) => 1,
        [name, ..] if plain(name, 30) && issue_number_re().is_match(name.slice(text)) => {
            // 工作简报（第3期）: the issue number ends the line, after the bulletin's name.
            let t = name.slice(text);
            let m = issue_number_re().find_iter(t).last();
            let named = m.is_some_and(|m| {
                let before = t[..m.start()].trim_end();
                t[m.end()..].trim().is_empty()
                    && ["报", "动态", "信息", "通讯"]
                        .iter()
                        .any(|w| before.ends_with(w))
            });
            if !named {
                return 0;
            }
            1
        }
        [name, issue, ..] if plain(name, 20) && plain(issue, 40) && issue_end(issue).is_some() => 2,
        _ => return 0,
    };
    // The issuing body and the date, on one line or two (县文明办编 / 2024年5月10日): a date with
    // at most an issuing body beside it, or a line ending with the word of issuing.
    for _ in 0..2 {
        let Some(l) = lines.get(k).filter(|l| plain(l, 40)) else {
            break;
        };
        let t = l.slice(text);
        let rest = date_re().replace_all(t, "");
        let rest = rest.trim_matches(|c: char| c.is_whitespace() || c == '（' || c == '）');
        let by = ["编", "主办", "编印", "编发", "印发", "出品"]
            .iter()
            .any(|w| rest.ends_with(w));
        let dated = date_re().is_match(t) && (rest.is_empty() || issuer_re().is_match(rest));
        if !(by || dated) {
            break;
        }
        k += 1;
    }
    if lines.len() < k + 2 {
        return 0;
    }
    k
}

/// A line (opening with a salutation cue) that is only a 称谓 with its colon left out
/// (广大村民朋友, 尊敬的各位领导、亲爱的同学们): short, ending by naming whom it addresses, with
/// no sentence mark or verb, and commas or spaces only in a greeting of several parties
/// (各村要组织好建房户，服务好广大村民 is a sentence, 各乡镇签约全覆盖 惠及十万群众 a subtitle).
fn bare_salutation(t: &str) -> bool {
    chars_at_most(t, 30)
        && addressee_end_re().is_match(t)
        && !t.contains(['。', '！', '？', '；', '“', '”', '.', '!', '?', ';', ':'])
        && (t.starts_with("尊敬的")
            || t.starts_with("亲爱的")
            || !t.contains(|c: char| c == '，' || c == ',' || c.is_whitespace()))
        && !t.contains([
            '要', '将', '应', '须', '把', '让', '请', '已', '正', '被', '使',
        ])
}

/// The label an answer may open with, not part of its title or 称谓: 答：, 答案：, a question
/// number alone (第三题, 题目三：), 标题： (标题 alone may be the title). Its length in bytes, the spaces after it included.
fn answer_label_end(t: &str) -> Option<usize> {
    if !t.starts_with([
        '答', '参', '我', '作', '解', '回', '第', '题', '问', '标', '姓', '考', '准', '学', '班',
        '座',
    ]) {
        return None;
    }
    answer_label_re().find(t).map(|m| m.end())
}

/// The question's number opening an answer (`四、` or `（四）` on a line of its own, or before
/// the title: `四、关于保护环境的倡议书`): its length in bytes, spaces after it included. A
/// marker is the first heading's instead when the answer goes on to the next number in the same
/// style (`一、` … `二、`), and before text it is a number only when the text is a title (ends
/// with the document's kind, no punctuation).
fn question_number_end(text: &str, lines: &[Span]) -> Option<usize> {
    let first = lines.first()?.slice(text);
    let (style, number, end, _) = heading_marker(first)?;
    let rest = first[end..].trim();
    let titled = !rest.is_empty()
        && chars_at_most(rest, 60)
        && ends_with_kind(rest)
        && !rest.contains(['。', '！', '？', '；', '，', '：', ',', ':', ';']);
    if !(rest.is_empty() || titled) || lines.len() < 2 {
        return None;
    }
    let next_sibling = lines[1..].iter().any(|l| {
        heading_marker(l.slice(text)).is_some_and(|(st, n, _, _)| st == style && n == number + 1)
    });
    (!next_sibling).then(|| first.len() - first[end..].trim_start().len())
}

/// Frame labels (背景：, 经验：…); one is the word, optional spaces and a colon.
const FRAME_LABELS: [&str; 11] = [
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
];

/// A character that can open a frame label (the first of a word in `FRAME_LABELS`). Checking it
/// first spares the comparisons with every word at most clause starts.
fn may_open_frame_label(c: char) -> bool {
    matches!(c, '背' | '经' | '做' | '结' | '工' | '主' | '具' | '成')
}

/// The frame label opening `s` (背景：, 经验做法 ：): its end in bytes, colon included. Public for
/// the property test that pins it to the regex it replaced.
#[doc(hidden)]
pub fn frame_label_end(s: &str) -> Option<usize> {
    if !s.chars().next().is_some_and(may_open_frame_label) {
        return None;
    }
    FRAME_LABELS.iter().find_map(|w| {
        let rest = s.strip_prefix(w)?.trim_start();
        let colon = rest.chars().next().filter(|c| matches!(c, '：' | ':'))?;
        Some(s.len() - rest.len() + colon.len_utf8())
    })
}

/// The value of a Chinese digit 一 … 九.
pub(crate) fn cn_digit_value(c: char) -> Option<u32> {
    Some(match c {
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// The Chinese numerals that number headings (一 … 十), each three bytes in UTF-8.
pub(crate) fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// The Chinese numeral opening `s` when it has one to `max` characters (a longer run of them is
/// no item number): its length in bytes.
fn cn_numeral(s: &str, max: usize) -> Option<usize> {
    let n = s
        .chars()
        .take(max + 1)
        .take_while(|&c| is_cn_digit(c))
        .count();
    (1..=max).contains(&n).then_some(n * 3)
}

/// The number of one or two digits opening `s`, ASCII or full-width (１．, typed with a Chinese
/// input method in full-width mode; a longer run is no item number): its length in bytes.
fn digits(s: &str) -> Option<usize> {
    let is_digit = |c: &char| c.is_ascii_digit() || ('０'..='９').contains(c);
    let n = s.chars().take(3).take_while(is_digit).count();
    (1..=2)
        .contains(&n)
        .then(|| s.chars().take(n).map(char::len_utf8).sum())
}

/// The value of the digits `digits` found (full-width ones read as ASCII).
fn digits_value(s: &str) -> u32 {
    s.chars()
        .map(crate::count::fold_width)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// The separator (or closing bracket) of a marker: the character at byte `i` of `s` after any
/// spaces when it is one of `seps`, with the byte offset where it ends.
fn sep_after_spaces(s: &str, i: usize, seps: &[char]) -> Option<(char, usize)> {
    let rest = s[i..].trim_start();
    let c = rest.chars().next().filter(|c| seps.contains(c))?;
    Some((c, s.len() - rest.len() + c.len_utf8()))
}

/// A character that can open a heading marker (the first of one of `heading_marker`'s shapes).
/// Public for the test that pins it to `heading_marker` over every character.
#[doc(hidden)]
pub fn may_open_marker(c: char) -> bool {
    is_cn_digit(c)
        || c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(
            c,
            '（' | '('
                | '①'..='⑳'
                | '⑴'..='⒇'
                | '⒈'..='⒛'
                | '㈠'..='㈩'
                | 'Ⅰ'..='Ⅻ'
                | '第'
                | '首'
                | '其'
                | '然'
                | '再'
                | '最'
                | '事'
                | '项'
        )
}

/// The characters that make 要 after a numeral the start of a noun (要素, 要点), not 一要.
const YAO_NOUNS: [char; 8] = ['素', '件', '点', '务', '害', '领', '闻', '职'];

/// The nouns an ordinal may carry before its comma (第一点， 第二步， 第三部分：), read as 第一，.
const ORDINAL_NOUNS: [&str; 5] = ["点", "步", "条", "部分", "方面"];

/// The heading marker opening `s`: its style, number, length in bytes and whether its form is
/// non-standard. The marker shapes: 一、 (一． 一. 一： Ⅰ. Ⅱ、 non-standard), （一） ((一) non-standard),
/// 1. 1． (1： non-standard; neither before a digit: 1.5, 8:30), 1、, （1）, 1）, ① … ⑳, ⑴ … ⒇ (as
/// （1）), ⒈ … ⒛ (as 1.), ㈠ … ㈩ (as （一）), 一是 (一要 as 一是), 第一， (第一、 non-standard;
/// 第一点， 第一步， 第一部分： as 第一，), 其一， (as 第一，), 首先，其次，再次，然后，最后，
/// (not a closing 「最后，我们将」), 事项一：/项目一：. Spaces may stand inside a marker before its
/// separator or bracket. Numbers are in ASCII or full-width digits (１．, read as 1.; other digits,
/// like 0, number no item).
///
/// Public for the property test that pins it to the regex it replaced; segmentation reads
/// markers through it.
#[doc(hidden)]
#[inline] // into `marker_at`, as before it was public (2% of segmentation's instructions)
pub fn heading_marker(s: &str) -> Option<(Style, u32, usize, bool)> {
    let first = s.chars().next()?;
    // The first character tells the shape: most characters open none.
    let (style, number, len, nonstandard) = match first {
        // 一、 or 一是
        _ if is_cn_digit(first) => {
            let n = cn_numeral(s, 3)?;
            let value = cn_value(&s[..n]);
            // 一． 一. 一： are 一、 written another way (non-standard, flagged).
            if let Some((sep, e)) = sep_after_spaces(s, n, &['、', '．', '.', '：', ':']) {
                (Style::CnDun, value, e, sep != '、')
            } else if n <= 6 && s[n..].starts_with(['是', '要']) {
                // 一要……二要…… is 一是 with the verb of an instruction; not the noun 要素 要件
                // 要点 要务 要害 要领 要闻 要职 (一要素认证).
                let e = n + '是'.len_utf8();
                if s[n..].starts_with('要') && s[e..].starts_with(YAO_NOUNS) {
                    return None;
                }
                (Style::CnShi, value, e, false)
            } else {
                return None;
            }
        }
        // （一） or （1）
        '（' | '(' => {
            let inner = s[first.len_utf8()..].trim_start();
            let from = s.len() - inner.len();
            let (n, style, value) = if let Some(n) = cn_numeral(inner, 3) {
                (n, Style::CnParen, cn_value(&inner[..n]))
            } else {
                let n = digits(inner)?;
                (n, Style::DigitParen, digits_value(&inner[..n]))
            };
            let (_, e) = sep_after_spaces(s, from + n, &['）', ')'])?;
            (style, value, e, style == Style::CnParen && first == '(')
        }
        // 1. 1、 1）
        '0'..='9' | '０'..='９' => {
            let n = digits(s)?;
            let value = digits_value(&s[..n]);
            let (sep, e) = sep_after_spaces(s, n, &['.', '．', '、', '）', ')', '：', ':'])?;
            let style = match sep {
                '、' => Style::DigitDun,
                '）' | ')' => Style::DigitHalfParen,
                // A dot before a digit is a decimal point (1.5), a colon a time or a ratio (8:30).
                _ if s[e..]
                    .starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) =>
                {
                    return None
                }
                _ => Style::DigitDot,
            };
            // 1： is 1. written another way (non-standard, flagged).
            (style, value, e, matches!(sep, '：' | ':'))
        }
        '①'..='⑳' => (
            Style::Circled,
            first as u32 - '①' as u32 + 1,
            first.len_utf8(),
            false,
        ),
        // One character for a bracketed or dotted number, as some input methods offer it:
        // ⑴ is （1）, ⒈ is 1., ㈠ is （一）.
        '⑴'..='⒇' => (Style::DigitParen, first as u32 - '⑴' as u32 + 1, 3, false),
        '⒈'..='⒛' => (Style::DigitDot, first as u32 - '⒈' as u32 + 1, 3, false),
        '㈠'..='㈩' => (Style::CnParen, first as u32 - '㈠' as u32 + 1, 3, false),
        // 其一，其二， : the ordinal 第一， written another way.
        '其' if s[3..].starts_with(is_cn_digit) => {
            let n = cn_numeral(&s[3..], 2)?;
            let (sep, e) = sep_after_spaces(s, 3 + n, &['，', ',', '、', '：', ':'])?;
            (Style::CnDi, cn_value(&s[3..3 + n]), e, sep == '、')
        }
        // 第一， (and 第一点， 第一步， 第一部分：, the ordinal with its noun)
        '第' => {
            let from = first.len_utf8();
            let n = cn_numeral(&s[from..], 2)?;
            let noun = ORDINAL_NOUNS
                .iter()
                .find(|w| s[from + n..].starts_with(**w))
                .map_or(0, |w| w.len());
            let (sep, e) = sep_after_spaces(s, from + n + noun, &['，', ',', '、', '：', ':'])?;
            // An ordinal takes a comma; 第一、 is flagged (顿号 follows only 一、 and 甲、).
            (Style::CnDi, cn_value(&s[from..from + n]), e, sep == '、')
        }
        // Ⅰ. Ⅱ、: Roman numerals for 一、 (non-standard, flagged).
        'Ⅰ'..='Ⅻ' => {
            let (_, e) = sep_after_spaces(s, first.len_utf8(), &['、', '．', '.', '：', ':'])?;
            (Style::CnDun, first as u32 - 'Ⅰ' as u32 + 1, e, true)
        }
        // 首先，
        '首' | '其' | '然' | '再' | '最' => {
            let value = match s.get(..6) {
                Some("首先") => 1,
                Some("其次" | "然后") => 2,
                Some("再次") => 3,
                Some("最后") => 99, // ends a run whatever its length
                _ => return None,
            };
            let (_, e) = sep_after_spaces(s, 6, &['，', ','])?;
            // 「最后，我们将……」 closes the answer; it is not the last item of a 首先/其次 run.
            if value == 99 && closing_cue_re().is_match(s[e..].trim_start()) {
                return None;
            }
            (Style::Shouxian, value, e, false)
        }
        // 事项一：
        '事' | '项' if matches!(s.get(..6), Some("事项" | "项目")) => {
            let from = 6;
            let n = cn_numeral(&s[from..], 2)?;
            let (_, e) = sep_after_spaces(s, from + n, &['：', ':'])?;
            (Style::Label, cn_value(&s[from..from + n]), e, false)
        }
        _ => return None,
    };
    (number != 0).then_some((style, number, len, nonstandard))
}

/// Whether a marker closed by 、 (`marker`, numbered `number`) is the first number of a range
/// written with the 顿号 (一、二季度, 三、四月份, 第一、二批, Ⅰ、Ⅱ类水体, 1、2月份): `rest`, the text
/// after it, opens with the next number in the same numerals.
pub(crate) fn is_range(marker: &str, rest: &str, number: u32) -> bool {
    if !marker.ends_with('、') {
        return false;
    }
    let next = number + 1;
    match marker.chars().next() {
        Some(c @ 'Ⅰ'..='Ⅻ') => rest.starts_with(char::from_u32(c as u32 + 1).unwrap_or(c)),
        Some(c) if c.is_ascii_digit() || ('０'..='９').contains(&c) => {
            digits(rest).is_some_and(|n| digits_value(&rest[..n]) == next)
        }
        _ => cn_numeral(rest, 3).is_some_and(|n| cn_value(&rest[..n]) == next),
    }
}

/// The heading marker opening `text[at..end]` (`heading_marker`), as a candidate of paragraph
/// `para`.
fn marker_at(text: &str, at: usize, end: usize, para: usize) -> Option<Cand> {
    let (style, number, len, nonstandard) = heading_marker(&text[at..end])?;
    if is_range(&text[at..at + len], &text[at + len..end], number) {
        return None;
    }
    Some(Cand {
        style,
        number,
        at,
        marker_end: at + len,
        nonstandard,
        para,
        line_start: false,
        headline_line: false,
    })
}

/// Keep only candidates that form numbered runs (1, 2, 3 … restarting at 1), runs of at least two.
fn runs(cands: &[Cand]) -> Vec<Vec<Cand>> {
    let mut out: Vec<Vec<Cand>> = Vec::new();
    let mut open: Vec<(Style, usize)> = Vec::new(); // style -> index into out
    for c in cands {
        let cur = open.iter().find(|(s, _)| *s == c.style).map(|&(_, i)| i);
        // Markers that open their line may skip numbers (一、…五、十一、, case B26).
        let next_ok = cur.is_some_and(|i| {
            let last = out[i].last().map_or(0, |l| l.number);
            c.number == last + 1
                || (c.style == Style::Shouxian && c.number == 99 && last >= 1)
                || (c.line_start && c.number > last && out[i].iter().all(|x| x.line_start))
        });
        if next_ok {
            out[cur.unwrap_or(0)].push(c.clone());
        } else if c.number == 1 || c.headline_line {
            out.push(vec![c.clone()]);
            let idx = out.len() - 1;
            open.retain(|(s, _)| *s != c.style);
            open.push((c.style, idx));
        }
    }
    // A single item counts only as a stand-alone heading line (a lone heading is still a heading).
    out.retain(|r| r.len() >= 2 || r.iter().all(|c| c.headline_line));
    out
}

/// The headline of a heading: from `from` to the first 。；：！？ (or half-width ;:!?), a
/// half-width full stop outside a number or abbreviation, or the line end. Public for the property test that pins it to the plain form.
#[doc(hidden)]
pub fn headline(text: &str, from: usize, limit: usize) -> Span {
    let s = &text[from..limit];
    let b = s.as_bytes();
    // Every stop is ASCII or a full-width mark led by E3 or EF (lead bytes only): other bytes
    // are passed unread, runs of ideographs two at a time.
    let mut i = 0;
    let end = loop {
        let Some(&x) = b.get(i) else {
            break b.len();
        };
        let stop = match x {
            b'\n' | b';' | b':' | b'!' | b'?' => true,
            // A half-width full stop ends the headline like 。 unless it sits in a number or an
            // abbreviation (3.5, e.g.).
            b'.' => {
                !b[..i].last().is_some_and(u8::is_ascii_alphanumeric)
                    && !b.get(i + 1).is_some_and(u8::is_ascii_digit)
            }
            0xE3 | 0xEF => matches!(
                s[i..].chars().next(),
                Some('。' | '；' | '：' | '！' | '？')
            ),
            _ => false,
        };
        if stop {
            break i;
        }
        i = match x {
            0xE4..=0xE9 => ideographs_end(b, i),
            _ => i + 1,
        };
    };
    trim_span(text, Span::new(from, from + end))
}

/// Segment a document's text.
pub fn segment(text: &str) -> Segmented {
    segment_with(text, &Hints::default())
}

/// Segment a document's text with structure known from its file format.
pub fn segment_with(text: &str, hints: &Hints) -> Segmented {
    let mut seg = Segmented {
        single_line: !text
            .trim_end_matches(['\n', ' ', '\t', '\u{3000}'])
            .contains('\n'),
        ..Default::default()
    };
    // Lines as trimmed spans.
    let mut lines: Vec<Span> = Vec::new();
    let mut hinted_title: Option<Span> = None;
    let mut hinted: Vec<(Span, u8)> = Vec::new();
    let mut pos = 0;
    for (n, line) in text.split('\n').enumerate() {
        let sp = line_span(text, Span::new(pos, pos + line.len()));
        if !sp.is_empty() {
            lines.push(sp);
            if hints.title_line == Some(n) {
                hinted_title = Some(sp);
            }
            if let Some(&(_, level)) = hints.headings.iter().find(|(l, _)| *l == n) {
                hinted.push((sp, level));
            }
        }
        pos += line.len() + 1;
    }
    // A note of the answer's length at its end (（共452字）) and a bulletin's 版记 (报：… 送：…
    // 共印50份) are labels, not its last paragraphs or 落款.
    while let Some(&l) = lines.last() {
        let t = l.slice(text);
        // 字 and 份/：first: the regexes are built only for answers that may end with a note.
        let note = t.contains('字') && length_note_re().is_match(t);
        // 版记 lines: 报：… 送：… 供稿：… 共印50份, and the issuing line (县文明办 2024年5月10日印发).
        let sent = chars_at_most(t, 60)
            && (t.contains(['：', ':', '份']) && distribution_re().is_match(t)
                || t.ends_with("印发") && date_re().is_match(t));
        if !(note && lines.len() >= 2 || sent && lines.len() >= 3) {
            break;
        }
        seg.labels.push(l);
        lines.pop();
    }
    if lines.is_empty() {
        seg.body = Span::new(text.len(), text.len());
        return seg;
    }

    // ---- signature (落款) at the end: short lines without sentence punctuation, one with a date,
    // or issuing bodies alone after a finished sentence (`signature_date` tells the two apart).
    let mut sig_start_line = lines.len();
    {
        // Up to four short lines (joint 落款: several bodies and a date); they are a 落款 when
        // one holds a date, or when every one names an issuing body (…局, …委员会, …政府).
        let mut k = lines.len();
        let mut has_date = false;
        let mut all_bodies = true;
        while k > 0 && lines.len() - k < 4 {
            let l = lines[k - 1];
            let t = l.slice(text);
            // A closing formula (特此倡议, 此致) ends the body, with or without its mark, and an
            // attachment note (附件：1.…) or one of its numbered items is no 落款 line.
            if closing_formula_re().is_match(t)
                || t.starts_with("附件")
                || (marker_at(text, l.start, l.end, 0).is_some() && signature_date_in(t).is_none())
            {
                break;
            }
            // A label before the issuer or the date (倡议单位：, 倡议时间：), and a full stop
            // after the date, are not sentences.
            let t = signature_label_re()
                .find(t)
                .map_or(t, |m| &t[m.end()..])
                .trim_start();
            let t = t
                .strip_suffix(['。', '.', '．'])
                .filter(|d| signature_date_in(d).is_some())
                .unwrap_or(t);
            let short = chars_at_most(t, 30) && !t.contains(['。', '！', '？', '，', '；', '：']);
            if !short {
                break;
            }
            if signature_date_in(t).is_some() && marker_at(text, l.start, l.end, 0).is_none() {
                has_date = true;
            } else if !(chars_at_most(t, 24) && issuer_re().is_match(t)) {
                all_bodies = false;
            }
            k -= 1;
        }
        let after_sentence = k > 0 && {
            let t = lines[k - 1].slice(text).trim_end();
            t.ends_with(['。', '！', '？', '…', '!', '?']) || closing_formula_re().is_match(t)
        };
        if k > 0 && k < lines.len() && (has_date || (all_bodies && after_sentence)) {
            sig_start_line = k;
        }
    }
    let mut signature = (sig_start_line < lines.len())
        .then(|| Span::new(lines[sig_start_line].start, lines[lines.len() - 1].end));
    let mut body_lines: Vec<Span> = lines[..sig_start_line].to_vec();
    if signature.is_none() {
        // Single-line answers: a date at the very end, with the issuing body after the last 。！
        if let Some(last) = body_lines.last().copied() {
            let t = last.slice(text);
            // A date ends in 月, 日 or a digit: check the last character before searching the
            // whole line for its last date.
            let may_end_in_date = t
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '月' | '日') || c.is_numeric());
            let last_date = may_end_in_date
                .then(|| date_re().find_iter(t).last())
                .flatten();
            if let Some(m) = last_date {
                if t[m.end()..].trim().is_empty() {
                    let before = &t[..m.start()];
                    let cut = before.rfind(['。', '！', '？', '!', '…']).map_or(0, |i| {
                        i + before[i..].chars().next().map_or(1, char::len_utf8)
                    });
                    if m.start() - cut <= 60 && cut > 0 {
                        let sig = trim_span(text, Span::new(last.start + cut, last.end));
                        signature = Some(sig);
                        let n = body_lines.len();
                        body_lines[n - 1] =
                            trim_span(text, Span::new(last.start, last.start + cut));
                    }
                }
            } else {
                // …or the issuing body alone after the last 。！ (a 落款 without its date), read
                // as the multi-line 落款 of bodies alone is.
                let cut = t
                    .rfind(['。', '！', '？', '!', '…'])
                    .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
                let tail = t[cut..].trim();
                if cut > 0
                    && !tail.is_empty()
                    && chars_at_most(tail, 24)
                    && !tail.contains(['，', '、', '；', '：', ',', ';', ':', '”', '」'])
                    && issuer_re().is_match(tail)
                {
                    signature = Some(trim_span(text, Span::new(last.start + cut, last.end)));
                    let n = body_lines.len();
                    body_lines[n - 1] = trim_span(text, Span::new(last.start, last.start + cut));
                }
            }
        }
    }
    // An attachment note after the body (附件：1.演练方案 / 2.参演人员名单表): a label, its
    // numbered items no headings.
    if let Some(a) = body_lines
        .iter()
        .rposition(|l| attachment_re().is_match(l.slice(text)))
    {
        let after = &body_lines[a + 1..];
        if a > 0
            && after.iter().all(|l| {
                let t = l.slice(text);
                chars_at_most(t, 40) && !t.contains(['。', '；', '！', '？'])
            })
        {
            seg.labels.extend(body_lines.drain(a..));
        }
    }
    seg.signature = signature;
    seg.signature_date = signature.and_then(|sig| {
        signature_date_in(sig.slice(text)).map(|(s, e)| Span::new(sig.start + s, sig.start + e))
    });

    // ---- an answer label (答：, 第三题, 姓名：…, the question's number 四、) before the title:
    // a label, not the title or 称谓.
    while let Some(&first) = body_lines.first() {
        if hinted_title == Some(first) {
            break;
        }
        let Some(end) =
            answer_label_end(first.slice(text)).or_else(|| question_number_end(text, &body_lines))
        else {
            break;
        };
        seg.labels
            .push(trim_span(text, Span::new(first.start, first.start + end)));
        let rest = trim_span(text, Span::new(first.start + end, first.end));
        if rest.is_empty() {
            body_lines.remove(0);
        } else {
            body_lines[0] = rest;
            break;
        }
    }
    if body_lines.is_empty() {
        seg.body = Span::new(text.len(), text.len());
        return seg;
    }

    // ---- a bulletin's 报头 above its title (工作简报 / 第3期 / 某某办公室编 2024年5月10日): labels.
    if hinted_title.is_none() {
        let n = masthead_lines(text, &body_lines);
        seg.labels.extend(body_lines.drain(..n));
    }

    // ---- title, 报头 and salutation.
    let mut first_body = 0usize; // index into body_lines of the first body line
    let mut body_start = body_lines.first().map_or(0, |l| l.start);
    if let Some(&first) = body_lines
        .first()
        .filter(|f| hinted.iter().any(|(h, _)| h == *f) || hinted_title == Some(**f))
    {
        // The file format says what the first line is.
        if hinted_title == Some(first) {
            seg.title = Some(first);
            first_body = 1;
            body_start = body_lines.get(1).map_or(first.end, |l| l.start);
        }
    } else if let Some(&first) = body_lines.first() {
        let t = first.slice(text);
        let is_heading_line =
            marker_at(text, first.start, first.end, 0).is_some() || frame_label_end(t).is_some();
        let ends_terminal =
            t.ends_with(|c: char| is_terminal(c) || c == '.' || c == '：' || c == ':');
        if body_lines.len() > 1 && !is_heading_line && chars_at_most(t, 60) && !ends_terminal {
            seg.title = Some(first);
            first_body = 1;
            // A title wrapped onto a second line that ends it with the document's kind
            // (关于推进基层减负 / 工作的经验材料).
            if let Some(&next) = body_lines.get(1).filter(|_| body_lines.len() > 2) {
                if title_goes_on(text, first, next) {
                    seg.title = Some(Span::new(first.start, next.end));
                    first_body = 2;
                }
            }
            // A subtitle line (——副标题) belongs to the title.
            if let Some(&sub) = body_lines.get(first_body) {
                let st = sub.slice(text);
                if st.starts_with('—')
                    && chars_at_most(st, 50)
                    && !st.contains('。')
                    && body_lines.len() > first_body + 1
                {
                    seg.title = Some(Span::new(first.start, sub.end));
                    first_body += 1;
                }
            }
            body_start = body_lines.get(first_body).map_or(first.end, |l| l.start);
        } else if !is_heading_line {
            // A title fused with the body (single-line answers).
            if let Some(end) = fused_title_end(t) {
                seg.title = Some(trim_span(text, Span::new(first.start, first.start + end)));
                let rest = trim_span(text, Span::new(first.start + end, first.end));
                if body_lines.len() > 1 && rest.slice(text).chars().all(is_terminal) {
                    // A title line closed by a full stop (关于……的材料。): the title alone.
                    first_body = 1;
                    body_start = body_lines[1].start;
                } else {
                    // A full stop closing the title (关于……的倡议书。各位村民：) opens no sentence.
                    let r = rest.slice(text);
                    let marks = r.len() - r.trim_start_matches(is_terminal).len();
                    body_lines[0] = trim_span(text, Span::new(rest.start + marks, rest.end));
                    body_start = body_lines[0].start;
                }
            }
        }
    }
    // 报头: a short line with a date right under the title.
    if seg.title.is_some() && first_body == 1 {
        if let Some(&l) = body_lines.get(1) {
            let t = l.slice(text);
            if chars_at_most(t, 40) && date_re().is_match(t) && !t.contains('。') {
                first_body = 2;
                body_start = body_lines.get(2).map_or(l.end, |x| x.start);
            }
        }
    }
    // A byline under the title (the speaker, the issuing body), and the date, before a 称谓
    // line (县长　张三 / （2024年1月15日） / 同志们：): labels.
    if seg.title.is_some() {
        let byline = |l: &Span| {
            let t = l.slice(text);
            chars_at_most(t, 30)
                && !t.contains(['。', '！', '？', '；', '，', '、', '：', ':', ',', ';'])
                && marker_at(text, l.start, l.end, 0).is_none()
                && !t.starts_with('—')
        };
        let bylines = body_lines[first_body.min(body_lines.len())..]
            .iter()
            .take(2)
            .take_while(|l| byline(l))
            .count();
        // The 称谓 line after the first one, two or none of them.
        let salutation_after = (1..=bylines).find(|&k| {
            body_lines.get(first_body + k).is_some_and(|next| {
                let n = next.slice(text);
                n.ends_with(['：', ':'])
                    && chars_at_most(n, 40)
                    && !n.contains(['。', '！', '？'])
                    && (salutation_cue_re().is_match(n)
                        || addressee_end_re().is_match(n.trim_end_matches(['：', ':'])))
            })
        });
        if let Some(k) = salutation_after.filter(|k| body_lines.len() > first_body + k + 1) {
            seg.labels
                .extend_from_slice(&body_lines[first_body..first_body + k]);
            first_body += k;
            body_start = body_lines[first_body].start;
        }
    }
    // Salutation: a short line ending in ：, or the start of the first body line.
    if let Some(&l) = body_lines.get(first_body) {
        let t = l.slice(text);
        let ends_colon = t.ends_with(['：', ':']);
        let plain =
            !t.contains(['。', '！', '？']) && frame_label_end(t).is_none() && !t.contains("如下");
        if ends_colon
            && chars_at_most(t, 40)
            && plain
            && marker_at(text, l.start, l.end, 0).is_none()
        {
            seg.salutation = Some(trim_span(
                text,
                Span::new(l.start, l.end - t.chars().last().map_or(0, char::len_utf8)),
            ));
            first_body += 1;
            body_start = body_lines.get(first_body).map_or(l.end, |x| x.start);
        } else if salutation_cue_re().is_match(t) || addressed_before_colon(t) {
            // 称谓 at the start of a longer line: up to ：, or up to ，大家好.
            let head: String = t.chars().take(40).collect();
            let colon = head.find(['：', ':']);
            let hello = head.find("大家好").filter(|&i| i > 0);
            let cut = match (colon, hello) {
                (Some(c), Some(h)) => Some(c.min(h)),
                (c, h) => c.or(h),
            };
            if let Some(c) = cut {
                let sal = head[..c].trim_end_matches(['，', ',', ' ']);
                if !sal.contains(['。', '！', '？'])
                    && !sal.is_empty()
                    && frame_label_end(t).is_none()
                {
                    seg.salutation = Some(trim_span(text, Span::new(l.start, l.start + sal.len())));
                    let skip = if Some(c) == colon {
                        c + head[c..].chars().next().map_or(0, char::len_utf8)
                    } else {
                        c
                    };
                    let rest = trim_span(text, Span::new(l.start + skip, l.end));
                    if rest.is_empty() {
                        first_body += 1;
                        body_start = body_lines.get(first_body).map_or(l.end, |x| x.start);
                    } else {
                        body_lines[first_body] = rest;
                        body_start = rest.start;
                    }
                }
            } else if body_lines.len() > first_body + 1
                && bare_salutation(t)
                && marker_at(text, l.start, l.end, 0).is_none()
            {
                seg.salutation = Some(l);
                first_body += 1;
                body_start = body_lines[first_body].start;
            }
        }
        // A 称谓 line closed by a comma in place of its colon (各位村民，).
        if seg.salutation.is_none() && body_lines.len() > first_body + 1 {
            let bare = t.trim_end_matches(['，', ',']);
            if bare.len() < t.len()
                && bare_salutation(bare)
                && (salutation_cue_re().is_match(bare) || bare.ends_with('们'))
                && marker_at(text, l.start, l.end, 0).is_none()
            {
                seg.salutation = Some(trim_span(text, Span::new(l.start, l.start + bare.len())));
                first_body += 1;
                body_start = body_lines[first_body].start;
            }
        }
    }
    let paragraphs: Vec<Span> = body_lines[first_body.min(body_lines.len())..]
        .iter()
        .copied()
        .filter(|p| !p.is_empty())
        .collect();
    let body_end = paragraphs.last().map_or(body_start, |p| p.end);
    seg.body = Span::new(body_start.min(body_end), body_end);
    seg.paragraphs = paragraphs;

    // ---- sentences.
    let mut split = Vec::new();
    for (pi, &p) in seg.paragraphs.iter().enumerate() {
        split.clear();
        sentences_into(text, p, &mut split);
        for &(s, terminated) in &split {
            seg.sentences.push(Sentence {
                span: s,
                paragraph: pi,
                terminated,
            });
        }
    }

    detect_headings(text, &mut seg, &hinted);
    seg
}

/// Whether `t` opens by naming the people it addresses, up to a colon (乡亲们：, 网友们：,
/// 各位业主：): at most 20 characters without punctuation, ending with 们 or an addressee.
fn addressed_before_colon(t: &str) -> bool {
    let head: String = t.chars().take(21).collect();
    head.find(['：', ':']).is_some_and(|c| {
        let sal = &head[..c];
        !sal.is_empty()
            && !sal.contains(['。', '！', '？', '，', '；', '、', ',', ' '])
            && (sal.ends_with('们') || addressee_end_re().is_match(sal))
    })
}

/// Whether `s` ends with the document's kind (…倡议书, …经验材料, …的一封信).
fn ends_with_kind(s: &str) -> bool {
    title_end_re().find_iter(s).any(|m| m.end() == s.len())
}

/// Whether line `next` carries on the title begun on line `first`: the first line does not end
/// with the document's kind (材料, 倡议书, 报告…) and the next one does, holding no punctuation,
/// item marker or date, the two together at most 60 characters.
fn title_goes_on(text: &str, first: Span, next: Span) -> bool {
    let (t, n) = (first.slice(text), next.slice(text));
    chars_at_most(n, 30)
        && chars_at_most(&text[first.start..next.end], 61)
        && ends_with_kind(n)
        && !ends_with_kind(t)
        && !n.contains([
            '。', '！', '？', '；', '：', '，', '、', '!', '?', ';', ':', ',', '—',
        ])
        && marker_at(text, next.start, next.end, 0).is_none()
        && frame_label_end(n).is_none()
        && !date_re().is_match(n)
}

/// Where a title fused with the body ends, in bytes from the start of the line.
fn fused_title_end(t: &str) -> Option<usize> {
    // Only the part before the first sentence end can hold the title.
    let first_stop = t.find(['。', '！', '？', '!', '?']).unwrap_or(t.len());
    let head = &t[..first_stop];
    let max = head.char_indices().nth(60).map_or(head.len(), |(i, _)| i);
    let head = &head[..max];
    // An answer that opens with the body itself (「近年来……」, 「我省……」) has no title; one that
    // opens with a place (「L 海关……」) may still be a title (「L 海关工作经验交流材料」).
    // Both patterns are anchored: an unanchored search would scan the whole rest of the line
    // for a later match at every position tried.
    let place = |s: &str| place_start_re().is_match(s);
    let body_cue = |s: &str| s.starts_with(may_open_body_cue) && body_cue_start_re().is_match(s);
    if body_cue(head) && !place(head) {
        return None;
    }
    let place_at_start = place(head);
    // A line that opens with its 称谓 (广大市民朋友们：, 尊敬的各位领导、亲爱的同学们：) has no title
    // before it.
    if head.starts_with(may_open_salutation_cue) && salutation_cue_re().is_match(head) {
        if let Some(colon) = head.find(['：', ':']) {
            let sal = &head[..colon];
            if chars_at_most(sal, 30) && !sal.contains(['；', ';']) && !title_end_re().is_match(sal)
            {
                return None;
            }
        }
    }
    // A title that ends with the document's kind right before a 称谓 (…倡议书乡亲们：,
    // 倡议书各位村民：, …的一封信尊敬的家长朋友们：) ends there, however short.
    for m in title_end_re().find_iter(head) {
        if chars_at_most(&head[..m.end()], 1) || head[..m.end()].contains(['：', ':']) {
            continue;
        }
        let rest = t[m.end()..].trim_start();
        let Some(colon) = rest.find(['：', ':']) else {
            break;
        };
        let sal = &rest[..colon];
        if !sal.is_empty()
            && chars_at_most(sal, 20)
            && !sal.contains(['。', '！', '？', '，', '；', ',', ' '])
            && (salutation_cue_re().is_match(sal) || addressed_before_colon(rest))
        {
            return Some(m.end());
        }
    }
    let min_title = |i: usize| head[..i].chars().count() >= 4;
    // The body starts at the first of: a frame label (背景：), a 称谓 (…朋友们：, 各位领导，大家好),
    // a heading marker, or the first words of a body sentence (我省…, 近年来…, S 省…).
    // The title holds at least four characters: the k-th character starts after k of them.
    for (_, (i, _)) in head
        .char_indices()
        .enumerate()
        .filter(|&(k, (i, _))| i > 0 && k >= 4)
    {
        let rest = &t[i..];
        let title = &head[..i];
        let label = frame_label_end(rest).is_some();
        let salutation = rest.starts_with(may_open_salutation_cue)
            && (salutation_cue_re().is_match(rest)
                && rest.chars().take(30).any(|c| matches!(c, '：' | ':'))
                || (["尊敬的", "各位", "亲爱的"]
                    .iter()
                    .any(|c| rest.starts_with(c))
                    && rest
                        .chars()
                        .take(30)
                        .any(|c| matches!(c, '：' | ':' | '，' | ','))));
        let marker = marker_at(t, i, t.len(), 0)
            .is_some_and(|c| c.number == 1 && c.style != Style::Shouxian);
        if label || salutation || marker {
            return (!title.contains(['：', ':'])).then_some(i);
        }
        if body_cue(rest) {
            // The title before a body cue is a short phrase or three, not a sentence; after a
            // title that starts with a place, the body needs a genre word first (「L 海关位于 S 省」).
            let ok = !title.contains(['：', ':'])
                && chars_at_most(title, 30)
                && title.matches(['，', ',']).count() <= 2
                && (!title.contains(['，', ','])
                    || !title
                        .split(['，', ','])
                        .any(|phrase| !chars_at_most(phrase, 16)))
                && (!place_at_start || title_end_re().is_match(title));
            return ok.then_some(i);
        }
    }
    if place_at_start && !title_end_re().is_match(head) {
        return None;
    }
    // Otherwise the title ends with the last genre word before the first sentence ends
    // (…材料提纲, …公开信), when more text follows.
    let m = title_end_re()
        .find_iter(head)
        .filter(|m| min_title(m.end()))
        .last()?;
    let end = m.end();
    (end < t.len() && !head[..end].contains(['：', ':'])).then_some(end)
}

fn detect_headings(text: &str, seg: &mut Segmented, hinted: &[(Span, u8)]) {
    let mut cands: Vec<Cand> = Vec::new();
    let mut starts = Vec::new();
    for (pi, &p) in seg.paragraphs.iter().enumerate() {
        clause_starts(text, p, &mut starts);
        for &at in &starts {
            // Most clause starts open neither a label nor a marker: their first character says so.
            if !text[at..p.end]
                .chars()
                .next()
                .is_some_and(|c| may_open_frame_label(c) || may_open_marker(c))
            {
                continue;
            }
            if let Some(m) = frame_label_end(&text[at..p.end]) {
                seg.labels.push(Span::new(at, at + m));
                // A marker may follow the label (经验：一、…).
                if let Some(c) = marker_at(text, at + m, p.end, pi) {
                    cands.push(c);
                }
                continue;
            }
            if let Some(mut c) = marker_at(text, at, p.end, pi) {
                c.line_start = at == p.start;
                let line = &text[c.marker_end..p.end];
                c.headline_line = c.line_start
                    && chars_at_most(line, 30)
                    && !line
                        .trim_end_matches(['。', '.'])
                        .contains(['。', '；', '！', '？']);
                cands.push(c);
            }
        }
    }
    cands.sort_by_key(|c| c.at);
    cands.dedup_by_key(|c| c.at);
    let mut all_runs = runs(&cands);
    // Headings given by the file format (Word heading styles) replace detection.
    if hinted
        .iter()
        .any(|(sp, l)| *l <= 2 && seg.body.contains(*sp))
    {
        all_runs.clear();
    }
    // A list inside the opening paragraph (困境 一、…四、 before 具体措施如下：一、…) is part of
    // the opening when the same numbering restarts in a later paragraph.
    if let Some(first) = all_runs.iter().min_by_key(|r| r[0].at).cloned() {
        let later_same = all_runs
            .iter()
            .any(|r| r[0].style == first[0].style && r[0].para > first[0].para);
        let in_first_para =
            first.iter().all(|c| c.para == 0) && first[0].at > seg.paragraphs[0].start;
        if later_same && in_first_para && seg.paragraphs.len() > 1 {
            all_runs.retain(|r| r[0].at != first[0].at);
        }
    }
    // The top level is the style of the first run; nested runs of other styles are level 2.
    let mut headings: Vec<Heading> = Vec::new();
    if let Some(first) = all_runs.iter().min_by_key(|r| r[0].at) {
        // The top level is the style of the first run, unless a style higher in the GB/T 9704
        // order (一、 → （一） → 1. → （1）) comes later: 一、 is never nested under 1., so a 1. list
        // before it belongs to the opening.
        let rank = |s: Style| match s {
            Style::CnDun => Some(0),
            Style::CnParen => Some(1),
            Style::DigitDot | Style::DigitDun => Some(2),
            Style::DigitParen | Style::DigitHalfParen => Some(3),
            _ => None,
        };
        let top = match rank(first[0].style) {
            Some(r) => all_runs
                .iter()
                .filter_map(|run| {
                    rank(run[0].style)
                        .filter(|&x| x < r)
                        .map(|x| (x, run[0].style))
                })
                .min()
                .map_or(first[0].style, |(_, s)| s),
            None => first[0].style,
        };
        let h1: Vec<&Cand> = all_runs
            .iter()
            .filter(|r| r[0].style == top)
            .flatten()
            .collect();
        let h1_start = h1[0].at;
        // Lead-ins over per-paragraph lists (gongkaixin_01, jianbao_04): the list restarts in two
        // or more paragraphs, each with text before its first item.
        let top_runs: Vec<&Vec<Cand>> = all_runs.iter().filter(|r| r[0].style == top).collect();
        let paras: Vec<usize> = top_runs.iter().map(|r| r[0].para).collect();
        let lead_ins = paras.windows(2).all(|w| w[0] != w[1])
            && top != Style::CnDun
            && top_runs.iter().all(|r| {
                let p = seg.paragraphs[r[0].para];
                let before = &text[p.start..r[0].at];
                r[0].para > 0
                    && before.trim_end().ends_with(['：', ':'])
                    && han_at_least(text, Span::new(p.start, r[0].at), 4)
            });
        // Other body paragraphs opening with a lead sentence stand beside those lead-ins.
        let other_leads: Vec<Heading> = if lead_ins {
            lead_headings(text, seg, 1)
                .into_iter()
                .filter(|h| {
                    let p = seg.paragraph_of(h.text.start).map_or(usize::MAX, |p| p - 1);
                    !paras.contains(&p)
                })
                .collect()
        } else {
            Vec::new()
        };
        if lead_ins && top_runs.len() + other_leads.len() >= 2 {
            for r in top_runs.iter() {
                let p = seg.paragraphs[r[0].para];
                headings.push(Heading {
                    level: 1,
                    style: Style::Lead,
                    number: 0,
                    marker: Span::new(p.start, p.start),
                    text: headline(text, p.start, p.end),
                    section: Span::default(),
                    nonstandard: false,
                });
                for c in r.iter() {
                    headings.push(heading_from(text, c, 2, seg.paragraphs[c.para].end));
                }
            }
            headings.extend(other_leads);
            headings.sort_by_key(|h| (h.marker.start, h.level));
            let mut n = 0;
            for h in headings.iter_mut().filter(|h| h.level == 1) {
                n += 1;
                h.number = n;
            }
        } else {
            for c in &h1 {
                headings.push(heading_from(text, c, 1, seg.paragraphs[c.para].end));
            }
            // Level 2: the first other style found inside the top-level sections.
            let h1_end = seg.body.end;
            let inner: Vec<&Vec<Cand>> = all_runs
                .iter()
                .filter(|r| r[0].style != top && r[0].at > h1_start && r[0].at < h1_end)
                .collect();
            if let Some(second) = inner.first().map(|r| r[0].style) {
                for c in inner
                    .iter()
                    .filter(|r| r[0].style == second)
                    .flat_map(|r| r.iter())
                {
                    headings.push(heading_from(text, c, 2, seg.paragraphs[c.para].end));
                }
            }
        }
    } else if hinted
        .iter()
        .any(|(sp, l)| *l <= 2 && seg.body.contains(*sp))
    {
        let mut n = [0u32; 2];
        for &(sp, level) in hinted
            .iter()
            .filter(|(sp, l)| *l <= 2 && seg.body.contains(*sp))
        {
            n[level as usize - 1] += 1;
            if level == 1 {
                n[1] = 0;
            }
            // A styled heading that also carries a typed marker (「一、健全机制」) keeps its style.
            match marker_at(text, sp.start, sp.end, 0) {
                Some(c) => headings.push(heading_from(text, &c, level, sp.end)),
                None => headings.push(Heading {
                    level,
                    style: Style::Outline,
                    number: n[level as usize - 1],
                    marker: Span::new(sp.start, sp.start),
                    text: sp,
                    section: Span::default(),
                    nonstandard: false,
                }),
            }
        }
    } else {
        headings = lead_headings(text, seg, 2);
    }
    headings.sort_by_key(|h| (h.marker.start, h.level));
    // A headline ends where the next heading's marker begins (「一是健全机制，二是压实责任」).
    for i in 0..headings.len().saturating_sub(1) {
        let next = headings[i + 1].marker.start;
        let h = &mut headings[i];
        if next > h.text.start && next < h.text.end {
            let cut = text[h.text.start..next].trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, '，' | ',' | '、' | '；' | ';')
            });
            h.text = Span::new(h.text.start, h.text.start + cut.len());
        }
    }
    seg.headings = headings;

    // ---- opening, closing, sections.
    let body = seg.body;
    let first_h1 = seg.h1().next().map(|h| h.marker.start);
    let opening_label = seg.labels.iter().any(|l| l.slice(text).starts_with("背景"));
    if let Some(f) = first_h1 {
        let first_is_background = seg.h1().next().is_some_and(|h| {
            ["背景", "概况", "基本情况", "活动概况"]
                .iter()
                .any(|w| h.text.slice(text).starts_with(w))
        });
        let span = trim_span(text, Span::new(body.start, f));
        let span = strip_frame_labels(text, span, &seg.labels);
        if !first_is_background
            && (han_at_least(text, span, 4) || opening_label)
            && !span.is_empty()
        {
            seg.opening = Some(span);
        }
    } else if !seg.headings.is_empty() && han_at_least(text, body, 1) {
        seg.opening = seg.paragraphs.first().copied();
    }

    // Closing: a 结语 label, or text after the last section that speaks for the whole answer.
    let closing_label = seg.labels.iter().find(|l| {
        let t = l.slice(text);
        t.starts_with("结语") || t.starts_with("结束语")
    });
    let last_h1 = seg.h1().last().cloned();
    if let Some(l) =
        closing_label.filter(|l| last_h1.as_ref().is_none_or(|h| l.start > h.marker.start))
    {
        seg.closing = Some(trim_span(text, Span::new(l.start, body.end)));
    } else if let Some(h) = &last_h1 {
        seg.closing = find_closing(text, seg, h);
    }
    let closing_start = seg.closing.map_or(body.end, |c| c.start);
    // Nothing inside the closing is a heading (「最后，我们将……」 ends a 首先/其次 run as a closing).
    seg.headings
        .retain(|h| h.marker.start < closing_start || h.level == 1);
    // Section spans: up to the next heading of the same or higher level.
    let n = seg.headings.len();
    for i in 0..n {
        let lvl = seg.headings[i].level;
        let start = if seg.headings[i].style == Style::Lead && seg.headings[i].marker.is_empty() {
            seg.headings[i].text.start
        } else {
            seg.headings[i].marker.start
        };
        let next = seg.headings[i + 1..]
            .iter()
            .find(|h| h.level <= lvl)
            .map_or(closing_start, |h| h.marker.start.min(closing_start));
        seg.headings[i].section = trim_span(text, Span::new(start, next.max(start)));
    }
    if let Some(o) = seg.opening {
        if let Some(c) = seg.closing {
            if c.start < o.end {
                seg.closing = None;
            }
        }
    }
}

fn strip_frame_labels(text: &str, span: Span, labels: &[Span]) -> Span {
    let mut s = span;
    for l in labels {
        if l.start == s.start {
            s = trim_span(text, Span::new(l.end, s.end.max(l.end)));
        }
        if l.end == s.end || (l.start >= s.start && l.end >= s.end && l.start < s.end) {
            s = trim_span(text, Span::new(s.start, l.start.max(s.start)));
        }
    }
    s
}

fn heading_from(text: &str, c: &Cand, level: u8, limit: usize) -> Heading {
    Heading {
        level,
        style: c.style,
        number: c.number,
        marker: Span::new(c.at, c.marker_end),
        text: headline(text, c.marker_end, limit),
        section: Span::default(),
        nonstandard: c.nonstandard,
    }
}

/// Unnumbered headings: stand-alone short lines followed by a paragraph, or short lead sentences
/// opening two or more body paragraphs (the first paragraph is the opening).
fn lead_headings(text: &str, seg: &Segmented, min: usize) -> Vec<Heading> {
    let paras = &seg.paragraphs;
    if paras.len() < 3 {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Sentences are in paragraph order: index them once.
    let mut first_sentence: Vec<Option<usize>> = vec![None; paras.len()];
    let mut sentence_count = vec![0usize; paras.len()];
    for (k, s) in seg.sentences.iter().enumerate() {
        if first_sentence[s.paragraph].is_none() {
            first_sentence[s.paragraph] = Some(k);
        }
        sentence_count[s.paragraph] += 1;
    }
    let sentence_count = &sentence_count;
    let sentences_of = |pi: usize| {
        first_sentence[pi]
            .into_iter()
            .flat_map(move |k| seg.sentences[k..k + sentence_count[pi]].iter())
    };
    for (pi, &p) in paras.iter().enumerate().skip(1) {
        let t = p.slice(text);
        let first = sentences_of(pi).next();
        let n_sent = sentences_of(pi).count();
        // A paragraph addressing the readers (同志们，……) or a closing formula (此致, 特此倡议)
        // is no section's lead.
        if vocative_re().is_match(t) || closing_formula_re().is_match(t) {
            continue;
        }
        let standalone =
            !t.contains(['。', '！', '？', '；']) && chars_at_most(t, 30) && pi + 1 < paras.len();
        // The last paragraph is the closing or the end of a section, never a lead.
        let lead_sentence = pi + 1 < paras.len()
            && first.is_some_and(|s| {
                let h = han_len(text, s.span);
                (4..=20).contains(&h)
                    && n_sent >= 2
                    && s.span
                        .slice(text)
                        .trim_end()
                        .ends_with(['。', '：', ':', '！'])
            });
        // A headline in 【】 opening the paragraph (【畅通诉求渠道】整合各类政务热线……).
        let bracketed = t
            .strip_prefix('【')
            .and_then(|r| r.find('】').map(|e| &r[..e]))
            .filter(|h| chars_at_most(h, 25) && han_at_least(h, Span::new(0, h.len()), 2))
            .map(|h| {
                let start = p.start + '【'.len_utf8();
                Span::new(start, start + h.len())
            });
        if standalone || lead_sentence || bracketed.is_some() {
            let span = if let Some(b) = bracketed {
                b
            } else if standalone {
                p
            } else {
                first.map_or(p, |s| s.span)
            };
            out.push(Heading {
                level: 1,
                style: Style::Lead,
                number: out.len() as u32 + 1,
                marker: Span::new(p.start, p.start),
                text: headline(text, span.start, span.end),
                section: Span::default(),
                nonstandard: false,
            });
        }
    }
    if out.len() < min {
        return Vec::new();
    }
    out
}

fn find_closing(text: &str, seg: &Segmented, last: &Heading) -> Option<Span> {
    let body_end = seg.body.end;
    let last_para = seg
        .paragraph_of(last.marker.start.max(last.text.start))?
        .saturating_sub(1);
    // Multi-line: paragraphs after the one holding the last heading. A closing formula on lines
    // of its own at the end (特此倡议。, 此致 / 敬礼！) only ends a closing: the paragraphs before
    // it decide, and the closing they start runs on through it (……共同营造文明和谐的社会氛围！ /
    // 特此倡议。). Formulas alone after the last section are the closing themselves.
    let mut later: &[Span] = &seg.paragraphs[last_para + 1..];
    let formulas = later
        .iter()
        .rev()
        .take_while(|p| closing_formula_re().is_match(p.slice(text)))
        .count();
    if formulas < later.len() {
        later = &later[..later.len() - formulas];
    }
    if let Some(&lp) = later.last() {
        let t = lp.slice(text);
        // The last heading's section is inline (heading and its text in one paragraph) or the
        // trailing paragraph opens with a closing cue.
        // A heading paragraph that carries its own text (not a headline-only line).
        let hp = seg.paragraphs[last_para];
        let headline_alone = !han_at_least(
            text,
            hp,
            han_len(text, last.text) + han_len(text, last.marker) + 3,
        );
        // A short heading paragraph not closed by 。 (closed by 。, it may be a one-sentence
        // item: below).
        let headline_only = headline_alone && !hp.slice(text).trim_end().ends_with('。');
        // A line that continues a sentence wrapped from the line before (text copied from a PDF:
        // 「…即\n可享受…」) is not a paragraph of its own.
        let n = last_para + 1 + later.len(); // paragraphs up to and with `lp`
        let wrapped = n >= 2 && {
            let prev = seg.paragraphs[n - 2].slice(text).trim_end();
            !chars_at_most(prev, 30)
                && !prev.ends_with([
                    '。', '！', '？', '…', '”', '」', '』', '）', '!', '?', '.', '：', ':',
                ])
        };
        // The number of paragraphs every section before the last holds beyond its heading's,
        // when it is the same for all (and how many sections), walking the headings'
        // paragraphs once, without a vector.
        let section_size = || {
            let mut heads = seg
                .h1()
                .filter_map(|h| seg.paragraph_of(h.marker.start.max(h.text.start)));
            let mut prev = heads.next()?;
            let (mut size, mut sections) = (None, 0);
            for at in heads {
                let k = at.saturating_sub(prev + 1);
                if size.is_some_and(|s| s != k) {
                    return None;
                }
                (size, prev, sections) = (Some(k), at, sections + 1);
            }
            Some((size.unwrap_or(0), sections))
        };
        // Headline-only headings whose sections before the last all hold the same number of
        // paragraphs, k, while the last holds k + 1: the extra paragraph is the closing, as it
        // is when each heading carries its text (the same answer written the other way).
        // Evaluated last, only when nothing else decided.
        let parallel_tail =
            || section_size().is_some_and(|(k, n)| n >= 2 && k >= 1 && later.len() == k + 1);
        // Short heading paragraphs closed by 。 are one-sentence items (一、……。) when no
        // section holds more: the one paragraph after them is the closing. When sections hold
        // paragraphs of their own, they are headings on lines of their own, as above.
        let carries_text =
            !headline_only && (!headline_alone || section_size().is_some_and(|(k, _)| k == 0));
        if closing_cue_re().is_match(t)
            || (carries_text && later.len() == 1 && !wrapped)
            || (headline_alone && !wrapped && parallel_tail())
        {
            // The closing starts at the first trailing paragraph with a cue, else the last one.
            let start = later
                .iter()
                .find(|p| closing_cue_re().is_match(p.slice(text)))
                .map_or(lp.start, |p| p.start);
            return Some(Span::new(start, body_end));
        }
    }
    // Single line (or a closing inside the last paragraph): a sentence opening with a cue.
    let from = last.text.end;
    for s in seg.sentences.iter().filter(|s| s.span.start > from) {
        let t = s.span.slice(text).trim_start();
        if closing_cue_re().is_match(t) {
            return Some(trim_span(text, Span::new(s.span.start, body_end)));
        }
    }
    None
}
