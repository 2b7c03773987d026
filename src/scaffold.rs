//! Rubric authoring tools: a question rubric scaffolded from a question (`caifen rubric init`),
//! and fixture answers checked against expected bands or score ranges (`caifen rubric test`).

use crate::question::{LengthSpec, Question};
use crate::rubric::{fmt_pts, Rubric};
use serde::Deserialize;

/// A YAML scalar for `s` (quoted as YAML needs; serde_yaml decides).
pub fn yaml_str(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end().to_owned())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// The `length:` block for a length rule (grid count, 10 points).
pub fn length_yaml(spec: Option<LengthSpec>) -> String {
    let rule = match spec {
        Some(LengthSpec::Max(n)) => format!("  max: {n}                 # 不超过{n}字"),
        Some(LengthSpec::Around(n)) => {
            format!("  around: {n}              # {n}字左右\n  tolerance: 10")
        }
        Some(LengthSpec::Range(a, b)) => format!("  range: [{a}, {b}]        # {a}～{b}字"),
        Some(LengthSpec::Min(n)) => {
            let hi = n + n.div_ceil(4);
            format!("  range: [{n}, {hi}]        # 不少于{n}字 (upper end: the minimum + 25%, about what an answer sheet holds; adjust)")
        }
        None => "  max: 500                 # the question states no length: set it".to_owned(),
    };
    format!("length:\n{rule}\n  convention: grid\n  points: 10\n")
}

/// What a question rubric of `genre` takes its structure from: `extends: <genre>` when a genre
/// rubric is shipped for it (its structure, language rules and bands), else a `structure:` block.
pub fn genre_yaml(genre: &str) -> String {
    match crate::rubric::builtin_genre(genre) {
        Some(_) => format!(
            "extends: {}                 # 继承：the shipped genre rubric's structure, language and bands\n",
            yaml_str(genre)
        ),
        None => structure_yaml(genre),
    }
}

/// The structure a genre expects, as a `structure:` block (used when no genre rubric is
/// extended): 称谓 and a dated 落款 for letters and notices, 称谓 for speeches.
pub fn structure_yaml(genre: &str) -> String {
    let letter = ["倡议书", "公开信", "告知书", "慰问信", "感谢信", "通知"]
        .iter()
        .any(|g| genre.contains(g));
    let speech = ["发言稿", "讲话稿", "讲话", "致辞", "主持词"]
        .iter()
        .any(|g| genre.contains(g));
    let salutation = if letter || speech {
        "{required: true, points: 3}"
    } else {
        "{required: false, points: 0}"
    };
    let signature = if letter {
        "{required: true, points: 3, date: true}"
    } else {
        "{required: false, points: 0}"
    };
    let (title, headings) = if letter || speech { (4, 4) } else { (5, 6) };
    let closing = 20
        - title
        - headings
        - 4
        - if letter {
            6
        } else if speech {
            3
        } else {
            0
        };
    format!(
        "structure:\n  title:      {{required: true, points: {title}}}\n  salutation: {salutation}\n  opening:    {{required: true, points: 4}}\n  headings:   {{min: 2, max: 6, points: {headings}}}\n  closing:    {{required: true, points: {closing}}}\n  signature:  {signature}\n"
    )
}

/// The head of a question rubric: version, id, title (the task's first 30 characters), genre
/// and the question with its requirements.
pub fn head_yaml(q: &Question, id: &str, genre: &str) -> String {
    let title: String = q
        .task
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(30)
        .collect();
    let mut question = q.task.clone();
    if let Some(r) = &q.requirements {
        question.push_str("要求：");
        question.push_str(r);
    }
    format!(
        "version: 1\nid: {}\ntitle: {}\ngenre: {}\nquestion: {}\n",
        yaml_str(id),
        yaml_str(&title),
        yaml_str(genre),
        yaml_str(question.trim())
    )
}

/// A question rubric to fill in: the question, its length rule, the genre's structure and
/// `points` empty scoring points (12 points each, keywords to write).
pub fn init(q: &Question, id: &str, genre: &str, source: &str, points: usize) -> String {
    let mut y = String::new();
    y.push_str(&format!(
        "# Scaffolded by `caifen rubric init` from {source}. Fill in each scoring point (采分点)\n# from the 给定资料 — its name, keywords (the material's wording and common synonyms), and a\n# hint — then run `caifen rubric check` on this file. Empty keyword lists are errors until filled.\n"
    ));
    y.push_str(&head_yaml(q, id, genre));
    let mut src = source.to_owned();
    if let Some(m) = q.full_marks {
        src.push_str(&format!("（满分{}）", fmt_pts(m)));
    }
    y.push_str(&format!("source: {}\n", yaml_str(&src)));
    y.push_str(&length_yaml(q.length));
    y.push_str(&genre_yaml(genre));
    y.push_str("points:\n");
    let share = 60 / points.max(1);
    for i in 1..=points.max(1) {
        y.push_str(&format!(
            "  - id: p{i}\n    name: 采分点{i}（待填写）\n    points: {share}\n    keywords: []             # 关键词：资料中的说法及同义说法\n    hint: ''                 # 提示：缺少时告诉学生写什么\n"
        ));
    }
    if crate::rubric::builtin_genre(genre).is_none() {
        y.push_str("language:\n  points: 10\n");
    }
    y
}

/// What a fixture answer should get, from `<answer stem>.expect.yaml` beside it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Exactly this band.
    #[serde(default, alias = "分档")]
    pub band: Option<String>,
    /// This band or a higher one.
    #[serde(default, alias = "最低分档")]
    pub min_band: Option<String>,
    /// This band or a lower one.
    #[serde(default, alias = "最高分档")]
    pub max_band: Option<String>,
    /// A score range `[low, high]` in points, both included.
    #[serde(default, alias = "分数")]
    pub score: Option<[f64; 2]>,
}

impl Expect {
    /// Why the answer's `total` and `band` miss this expectation, or `None` when they meet it.
    /// `Err` when the expectation names a band the rubric does not have.
    pub fn judge(&self, rubric: &Rubric, total: f64, band: &str) -> Result<Option<String>, String> {
        let rank = |b: &str| {
            rubric
                .bands
                .iter()
                .position(|x| x.name == b)
                .ok_or_else(|| format!("`{b}` is not one of the rubric's bands"))
        };
        let got = rank(band)?;
        let mut miss = Vec::new();
        if let Some(b) = &self.band {
            if rank(b)? != got {
                miss.push(format!("分档应为 {b}"));
            }
        }
        if let Some(b) = &self.min_band {
            if got > rank(b)? {
                miss.push(format!("分档应不低于 {b}"));
            }
        }
        if let Some(b) = &self.max_band {
            if got < rank(b)? {
                miss.push(format!("分档应不高于 {b}"));
            }
        }
        if let Some([lo, hi]) = self.score {
            if lo > hi {
                return Err(format!(
                    "score [{}, {}]: the low end is above the high end",
                    fmt_pts(lo),
                    fmt_pts(hi)
                ));
            }
            if total + 1e-9 < lo || total > hi + 1e-9 {
                miss.push(format!("总分应在 {}～{} 之间", fmt_pts(lo), fmt_pts(hi)));
            }
        }
        if self == &Expect::default() {
            return Err("the expectation is empty (give band, min_band, max_band or score)".into());
        }
        Ok((!miss.is_empty()).then(|| miss.join("；")))
    }
}
