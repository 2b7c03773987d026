//! A question as given to students (题目): its task text, its requirements (要求), the length rule
//! they state (不超过N字, N字左右, N～M字), the full mark (满分) and, when the file carries it,
//! the 给定资料 it points to. Reads plain text; the section markers of transcribed exam papers
//! (【题目】, 要求:, 满分：, 【给定资料…】) are recognised when present.

use regex::Regex;
use std::sync::OnceLock;

/// The 字数 rule a question states, in characters (counted on squared paper by convention).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LengthSpec {
    /// 不超过 N 字.
    Max(u32),
    /// N 字左右.
    Around(u32),
    /// N～M 字.
    Range(u32, u32),
    /// 不少于 N 字.
    Min(u32),
}

/// A parsed question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Question {
    /// The task (题目) without the requirements.
    pub task: String,
    /// The requirements (要求), when stated.
    pub requirements: Option<String>,
    pub length: Option<LengthSpec>,
    /// 满分, when stated.
    pub full_marks: Option<f64>,
    /// The 给定资料 section, when the file carries one.
    pub material: Option<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("question regex"))
}

/// The length rule stated in `text` (the first one found).
pub fn length_rule(text: &str) -> Option<LengthSpec> {
    static RANGE: OnceLock<Regex> = OnceLock::new();
    static MAX: OnceLock<Regex> = OnceLock::new();
    static AROUND: OnceLock<Regex> = OnceLock::new();
    let t: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let range = re(
        &RANGE,
        r"(\d{2,5})\s*(?:字\s*)?[-－~～—–至到]+\s*(\d{2,5})\s*字",
    );
    if let Some(c) = range.captures(&t) {
        let (a, b) = (c[1].parse().ok()?, c[2].parse().ok()?);
        if a < b {
            return Some(LengthSpec::Range(a, b));
        }
    }
    let max = re(&MAX, r"(?:不超过|不超|不多于|不得超过|限)\s*(\d{2,5})\s*字");
    if let Some(c) = max.captures(&t) {
        return Some(LengthSpec::Max(c[1].parse().ok()?));
    }
    static MIN: OnceLock<Regex> = OnceLock::new();
    let min = re(&MIN, r"(?:不少于|不得少于|不低于|至少)\s*(\d{2,5})\s*字");
    if let Some(c) = min.captures(&t) {
        return Some(LengthSpec::Min(c[1].parse().ok()?));
    }
    let around = re(&AROUND, r"(\d{2,5})\s*字\s*左右");
    if let Some(c) = around.captures(&t) {
        return Some(LengthSpec::Around(c[1].parse().ok()?));
    }
    None
}

/// Read a question file's text.
pub fn parse(text: &str) -> Question {
    static FULL: OnceLock<Regex> = OnceLock::new();
    let text = text.trim_start_matches('\u{FEFF}');
    let (head, material) = match text.find("【给定资料") {
        Some(i) => {
            let rest = &text[i..];
            let body = rest
                .find('】')
                .map_or(rest, |j| &rest[j + '】'.len_utf8()..]);
            // The section ends where the next 【…】 section begins (a transcription's marked
            // answers or notes are not material).
            let end = body.find("\n【").unwrap_or(body.len());
            (&text[..i], Some(body[..end].trim().to_owned()))
        }
        None => (text, None),
    };
    let head = match head.find("【题目】") {
        Some(i) => &head[i + "【题目】".len()..],
        None => head,
    };
    let full_marks = re(&FULL, r"满分[:：]\s*(\d+(?:\.\d+)?)")
        .captures(head)
        .and_then(|c| c[1].parse().ok());
    // The meta line of transcribed papers (满分：… 字数上限/参考：…) is not part of the task.
    let head: String = head
        .lines()
        .filter(|l| !l.trim_start().starts_with("满分"))
        .collect::<Vec<_>>()
        .join("\n");
    static REQ: OnceLock<Regex> = OnceLock::new();
    let (task, requirements) = match re(&REQ, r"要求\s*[:：]").find(&head) {
        Some(m) => (
            head[..m.start()].trim().to_owned(),
            Some(head[m.end()..].trim().to_owned()),
        ),
        None => (head.trim().to_owned(), None),
    };
    // Transcriptions sometimes hold a cut-off copy of the task before the whole one.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let paragraphs: Vec<&str> = task
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let kept: Vec<&str> = paragraphs
        .iter()
        .enumerate()
        .filter(|(i, p)| {
            !paragraphs[i + 1..]
                .iter()
                .any(|later| squash(later).starts_with(&squash(p)))
        })
        .map(|(_, p)| *p)
        .collect();
    let task = kept.join("\n");
    let length = requirements
        .as_deref()
        .and_then(length_rule)
        .or_else(|| length_rule(&task));
    Question {
        task,
        requirements,
        length,
        full_marks,
        material: material.filter(|m| !m.is_empty()),
    }
}
