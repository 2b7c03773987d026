//! Rubrics: the YAML format (a raw serde mirror, strict) and its compiled, validated form.
//! Every key is English and also accepts its Chinese name. See `rubrics/README.md`.

use crate::count::Convention;
use crate::locate::Locator;
use serde::{Deserialize, Serialize};
use std::fmt;

// ---------------------------------------------------------------- raw YAML mirror

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRubric {
    #[serde(default, alias = "版本")]
    pub version: Option<u32>,
    /// `genre` (文种) for a genre rubric, `question` (题目, the default) for a question rubric.
    #[serde(default, alias = "类型")]
    pub kind: Option<Kind>,
    /// The genre rubric a question rubric builds on: a genre name, an alias or a rubric id.
    #[serde(default, alias = "继承")]
    pub extends: Option<String>,
    /// Further names of the genre a genre rubric serves (e.g. 典型案例 for 经验材料).
    #[serde(default, alias = "别名")]
    pub aliases: Option<Vec<String>>,
    #[serde(default, alias = "编号")]
    pub id: Option<String>,
    #[serde(default, alias = "标题")]
    pub title: Option<String>,
    #[serde(default, alias = "文种")]
    pub genre: Option<String>,
    #[serde(default, alias = "题目")]
    pub question: Option<String>,
    #[serde(default, alias = "来源")]
    pub source: Option<String>,
    #[serde(default, alias = "总分")]
    pub total: Option<f64>,
    #[serde(default, alias = "分档")]
    pub bands: Option<Vec<RawBand>>,
    #[serde(default, alias = "字数")]
    pub length: Option<RawLength>,
    #[serde(default, alias = "结构")]
    pub structure: Option<RawStructure>,
    #[serde(default, alias = "得分点", alias = "采分点")]
    pub points: Vec<RawPoint>,
    #[serde(default, alias = "语言")]
    pub language: Option<RawLanguage>,
    #[serde(default, alias = "形式门槛")]
    pub form_gate: Option<f64>,
}

#[derive(Deserialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    #[serde(alias = "名称")]
    pub name: String,
    #[serde(alias = "下限")]
    pub min: f64,
}

#[derive(Deserialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLength {
    #[serde(default, alias = "左右")]
    pub around: Option<u32>,
    #[serde(default, alias = "浮动")]
    pub tolerance: Option<f64>,
    #[serde(default, alias = "不超过")]
    pub max: Option<u32>,
    #[serde(default, alias = "范围")]
    pub range: Option<[u32; 2]>,
    #[serde(default, alias = "计数")]
    pub convention: Option<Convention>,
    #[serde(default, alias = "分值")]
    pub points: Option<f64>,
    #[serde(default, alias = "衰减")]
    pub falloff: Option<f64>,
}

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStructure {
    #[serde(default, alias = "标题")]
    pub title: Option<RawSlot>,
    #[serde(default, alias = "称谓")]
    pub salutation: Option<RawSlot>,
    #[serde(default, alias = "开头")]
    pub opening: Option<RawSlot>,
    #[serde(default, alias = "小标题")]
    pub headings: Option<RawHeadings>,
    #[serde(default, alias = "结尾")]
    pub closing: Option<RawSlot>,
    #[serde(default, alias = "落款")]
    pub signature: Option<RawSignature>,
}

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSlot {
    #[serde(default, alias = "必需")]
    pub required: Option<bool>,
    #[serde(default, alias = "分值")]
    pub points: Option<f64>,
}

/// The 落款 slot: a slot that may also ask for the date.
#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSignature {
    #[serde(default, alias = "必需")]
    pub required: Option<bool>,
    #[serde(default, alias = "分值")]
    pub points: Option<f64>,
    /// The 落款 must carry its date (成文日期) beside the issuer: one without a date earns half
    /// the slot's points and is reported (default false).
    #[serde(default, alias = "日期")]
    pub date: Option<bool>,
}

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHeadings {
    #[serde(default, alias = "最少")]
    pub min: Option<u32>,
    #[serde(default, alias = "最多")]
    pub max: Option<u32>,
    #[serde(default, alias = "分值")]
    pub points: Option<f64>,
    #[serde(default, alias = "样式")]
    pub styles: Option<Vec<String>>,
}

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPoint {
    #[serde(default, alias = "编号")]
    pub id: Option<String>,
    #[serde(default, alias = "名称")]
    pub name: Option<String>,
    #[serde(default, alias = "分值")]
    pub points: Option<f64>,
    #[serde(default, alias = "关键词", alias = "同义词")]
    pub keywords: Option<Vec<Option<String>>>,
    #[serde(default, alias = "正则")]
    pub patterns: Option<Vec<String>>,
    #[serde(default, alias = "组")]
    pub groups: Option<Vec<RawGroup>>,
    #[serde(default, alias = "至少")]
    pub min_groups: Option<u32>,
    #[serde(default, alias = "最少命中")]
    pub min_hits: Option<u32>,
    #[serde(default, alias = "佐证")]
    pub evidence: Option<String>,
    #[serde(default, alias = "范围")]
    pub scope: Option<Scope>,
    #[serde(default, alias = "提示")]
    pub hint: Option<String>,
}

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    #[serde(default, alias = "名称")]
    pub name: Option<String>,
    #[serde(default, alias = "词")]
    pub terms: Vec<Option<String>>,
    #[serde(default, alias = "正则")]
    pub patterns: Vec<String>,
}

#[derive(Deserialize, Debug, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    #[serde(default, alias = "分值")]
    pub points: Option<f64>,
    #[serde(default, alias = "禁用")]
    pub forbidden: Vec<RawForbidden>,
    /// Per rule: a severity (`error|warning|info`, 错误/警告/提示), `off`/关闭 or `false`, `true`.
    #[serde(default, alias = "规则")]
    pub rules: Option<std::collections::BTreeMap<String, RawSwitch>>,
    #[serde(default, alias = "口语词")]
    pub colloquial: Vec<Option<String>>,
    #[serde(default, alias = "句长上限")]
    pub sentence_limit: Option<u32>,
    #[serde(default, alias = "第一人称")]
    pub first_person: Option<bool>,
    #[serde(default, alias = "扣分上限")]
    pub rule_cap: Option<f64>,
}

/// A rule switch as written: `true`/`false` or a severity name.
#[derive(Deserialize, Debug, schemars::JsonSchema)]
#[serde(untagged)]
pub enum RawSwitch {
    On(bool),
    Severity(String),
}

#[derive(Deserialize, Debug, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawForbidden {
    #[serde(alias = "词语")]
    pub phrase: String,
    #[serde(default, alias = "扣分")]
    pub penalty: Option<f64>,
}

// ---------------------------------------------------------------- compiled rubric

/// What a rubric file describes (类型): the form of a genre (文种), or one question (题目).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A genre rubric: structure, language and bands, no scoring points and no length rule.
    #[serde(alias = "文种")]
    Genre,
    /// A question rubric: scoring points and the question's length rule.
    #[default]
    #[serde(alias = "题目")]
    Question,
}

/// Where in the answer a scoring point's hits count (范围).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, Default, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[serde(alias = "标题")]
    Title,
    #[serde(alias = "开头")]
    Opening,
    #[serde(alias = "正文", alias = "主体")]
    Body,
    #[serde(alias = "结尾")]
    Closing,
    #[default]
    #[serde(alias = "全文")]
    Any,
}

/// A band (分档): the name and its lower bound in percent of the total.
#[derive(Clone, Debug, Serialize)]
pub struct Band {
    pub name: String,
    /// Lower bound, percent of the rubric total.
    pub min_percent: f64,
}

/// The length rule (字数) of the question.
#[derive(Clone, Debug, Serialize)]
pub struct LengthRule {
    pub limit: Limit,
    pub convention: Convention,
    /// Points for meeting the limit.
    pub points: f64,
    /// Percent beyond the limit at which the points reach 0.
    pub falloff_percent: f64,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Limit {
    /// 不超过 N字.
    Max { max: u32 },
    /// N字左右, within ±tolerance percent.
    Around { around: u32, tolerance_percent: f64 },
    /// N～M字.
    Range { min: u32, max: u32 },
}

impl Limit {
    /// The accepted range in units of the convention (min, max).
    pub fn bounds(&self) -> (f64, f64) {
        match *self {
            Limit::Max { max } => (0.0, max as f64),
            Limit::Around {
                around,
                tolerance_percent,
            } => {
                let t = around as f64 * tolerance_percent / 100.0;
                (around as f64 - t, around as f64 + t)
            }
            Limit::Range { min, max } => (min as f64, max as f64),
        }
    }
    pub fn describe(&self) -> String {
        match *self {
            Limit::Max { max } => format!("不超过{max}字"),
            Limit::Around {
                around,
                tolerance_percent,
            } => format!("{around}字左右（±{tolerance_percent}%）"),
            Limit::Range { min, max } => format!("{min}～{max}字"),
        }
    }
}

/// One structure slot (标题, 称谓, 开头, 结尾, 落款).
#[derive(Clone, Copy, Debug, Serialize, Default)]
pub struct Slot {
    pub required: bool,
    pub points: f64,
    /// 落款 only: it needs its date for full credit (`date: true`).
    pub date: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct HeadingRule {
    /// Top-level headings needed (count).
    pub min: u32,
    pub max: u32,
    pub points: f64,
    /// Accepted numbering styles of the top level; `None` accepts every style.
    pub styles: Option<Vec<crate::segment::Style>>,
}

/// The structure the genre expects; `None` slots are not checked.
#[derive(Clone, Debug, Serialize, Default)]
pub struct Structure {
    pub title: Option<Slot>,
    pub salutation: Option<Slot>,
    pub opening: Option<Slot>,
    pub headings: Option<HeadingRule>,
    pub closing: Option<Slot>,
    pub signature: Option<Slot>,
}

impl Structure {
    pub fn points(&self) -> f64 {
        [
            self.title,
            self.salutation,
            self.opening,
            self.closing,
            self.signature,
        ]
        .iter()
        .flatten()
        .map(|s| s.points)
        .sum::<f64>()
            + self.headings.as_ref().map_or(0.0, |h| h.points)
    }
}

/// A term of a group: literal text (normalised like the answer) or a regex.
#[derive(Clone, Debug)]
pub enum Term {
    Literal(String),
    Pattern(regex::Regex),
}

#[derive(Clone, Debug)]
pub struct Group {
    pub name: String,
    pub terms: Vec<Term>,
}

/// A scoring point (采分点).
#[derive(Clone, Debug)]
pub struct Point {
    pub id: String,
    pub name: String,
    pub points: f64,
    pub groups: Vec<Group>,
    /// Groups needed for full credit (the evidence rule counts as one more group).
    pub min_groups: usize,
    pub min_hits: usize,
    pub evidence: Option<regex::Regex>,
    pub scope: Scope,
    pub hint: Option<String>,
}

impl Point {
    /// Number of groups including the evidence rule.
    pub fn group_count(&self) -> usize {
        self.groups.len() + usize::from(self.evidence.is_some())
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Forbidden {
    pub phrase: String,
    pub penalty: f64,
}

#[derive(Clone, Debug, Serialize, Default)]
pub struct Language {
    pub points: f64,
    pub forbidden: Vec<Forbidden>,
    /// The language rules: which are on, their severities and parameters.
    #[serde(skip)]
    pub rules: crate::lang::Settings,
}

/// A validated rubric. Built only by [`load`]; every value in it is checked.
#[derive(Clone, Debug)]
pub struct Rubric {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub genre: Option<String>,
    /// Further names of the genre (genre rubrics only).
    pub aliases: Vec<String>,
    /// The id of the genre rubric this one extends, if any.
    pub extends: Option<String>,
    pub question: Option<String>,
    pub source: Option<String>,
    /// Where the rubric came from (a path or `builtin:NAME`).
    pub origin: String,
    pub total: f64,
    pub bands: Vec<Band>,
    pub length: Option<LengthRule>,
    pub structure: Structure,
    pub points: Vec<Point>,
    pub language: Language,
    /// Content percent below which the form points are scaled down (see `score`).
    pub form_gate: f64,
}

impl Rubric {
    pub fn content_points(&self) -> f64 {
        self.points.iter().map(|p| p.points).sum()
    }
}

// ---------------------------------------------------------------- errors

/// One problem in a rubric file, located.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RubricProblem {
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The key path as the file wrote it, e.g. `得分点[0].分值`.
    pub key: Option<String>,
    pub message: String,
    /// The offending source line, for display.
    #[serde(skip)]
    pub source_line: Option<String>,
}

/// A rubric that failed to load: every problem found, in file order.
/// The most points a scoring point, a dimension or a rubric's total may give (an exam question
/// gives tens; more is a typing error, and sums of huge values overflow to infinity).
pub const MAX_POINTS: f64 = 10_000.0;

#[derive(Clone, Debug, thiserror::Error, Serialize)]
pub struct RubricError {
    pub file: String,
    pub problems: Vec<RubricProblem>,
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}", self.file)?;
            match (p.line, p.column) {
                (Some(l), Some(c)) => write!(f, ":{l}:{c}")?,
                (Some(l), None) => write!(f, ":{l}")?,
                _ => {}
            }
            write!(f, ": ")?;
            if let Some(k) = &p.key {
                write!(f, "{k}: ")?;
            }
            write!(f, "{}", p.message)?;
            if let Some(src) = &p.source_line {
                write!(f, "\n    | {src}")?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- loading

/// Rubrics shipped in `rubrics/` and embedded in the binary: (name, YAML text). Question rubrics
/// first (the default first of all), then the genre rubrics (`rubrics/genres/`) they extend.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "shanxi_zhualuoshi",
        include_str!("../rubrics/shanxi_zhualuoshi.yaml"),
    ),
    (
        "gwy_guojia_2022_Xingzhengzhifa_q4",
        include_str!("../rubrics/questions/l_haiguan_q4.yaml"),
    ),
    (
        "gwy_anhui_2023_C_q4",
        include_str!("../rubrics/questions/anhui_2023_c_q4.yaml"),
    ),
    (
        "gwy_yunnan_2024_General_q3",
        include_str!("../rubrics/questions/yunnan_2024_q3.yaml"),
    ),
    (
        "gwy_hebei_2025_C_q1",
        include_str!("../rubrics/questions/hebei_2025_c_q1.yaml"),
    ),
    (
        "gwy_anhui_2023_C_q3",
        include_str!("../rubrics/questions/anhui_2023_c_q3.yaml"),
    ),
    (
        "gwy_shanxi_2025_XiangZhen_q3",
        include_str!("../rubrics/questions/shanxi_2025_xz_q3.yaml"),
    ),
    (
        "gwy_guojia_2022_Xingzhengzhifa_q5",
        include_str!("../rubrics/questions/guojia_2022_xzzf_q5.yaml"),
    ),
    (
        "genre_jingyan",
        include_str!("../rubrics/genres/genre_jingyan.yaml"),
    ),
    (
        "genre_fayangao",
        include_str!("../rubrics/genres/genre_fayangao.yaml"),
    ),
    (
        "genre_fayantigang",
        include_str!("../rubrics/genres/genre_fayantigang.yaml"),
    ),
    (
        "genre_changyi",
        include_str!("../rubrics/genres/genre_changyi.yaml"),
    ),
    (
        "genre_gongkaixin",
        include_str!("../rubrics/genres/genre_gongkaixin.yaml"),
    ),
    (
        "genre_gaozhishu",
        include_str!("../rubrics/genres/genre_gaozhishu.yaml"),
    ),
    (
        "genre_jianbao",
        include_str!("../rubrics/genres/genre_jianbao.yaml"),
    ),
    (
        "genre_huibao",
        include_str!("../rubrics/genres/genre_huibao.yaml"),
    ),
    (
        "genre_jianyi",
        include_str!("../rubrics/genres/genre_jianyi.yaml"),
    ),
    (
        "genre_fangan",
        include_str!("../rubrics/genres/genre_fangan.yaml"),
    ),
    (
        "genre_xuanchuan",
        include_str!("../rubrics/genres/genre_xuanchuan.yaml"),
    ),
];

/// The rubric used when none is given.
pub const DEFAULT_RUBRIC: &str = "shanxi_zhualuoshi";

/// Look up a shipped rubric by name (also accepts the file stem `l_haiguan_q4`, and a genre
/// rubric by its genre or an alias).
pub fn builtin(name: &str) -> Option<&'static str> {
    let alias = match name {
        "l_haiguan_q4" | "l_haiguan" => "gwy_guojia_2022_Xingzhengzhifa_q4",
        "default" | "seed" => DEFAULT_RUBRIC,
        n => n,
    };
    BUILTIN
        .iter()
        .find(|(n, _)| *n == alias)
        .map(|(_, y)| *y)
        // A genre by its name or an alias (`--rubric 倡议书`): its structure and language only.
        .or_else(|| builtin_genre(alias).map(|(_, y)| y))
}

/// Parse and validate rubric YAML. `file` names the source in errors; `stem` is the default id.
/// An `extends` naming a file (`*.yaml`) is read relative to the current folder; see [`load_in`].
pub fn load(text: &str, file: &str, stem: &str) -> Result<Rubric, RubricError> {
    load_in(text, file, stem, None)
}

/// [`load`], with `dir` the folder of the rubric file: an `extends: other.yaml` is found there.
pub fn load_in(
    text: &str,
    file: &str,
    stem: &str,
    dir: Option<&std::path::Path>,
) -> Result<Rubric, RubricError> {
    load_with(text, file, stem, Bases::Files(dir))
}

/// [`load`] for a rubric that did not come from this machine (uploaded to `caifen serve`): it may
/// extend a shipped genre rubric, never a file — an upload must not make the server read its
/// disk.
pub fn load_detached(text: &str, file: &str, stem: &str) -> Result<Rubric, RubricError> {
    load_with(text, file, stem, Bases::ShippedOnly)
}

/// Where an `extends` may be found.
#[derive(Clone, Copy)]
enum Bases<'p> {
    /// Shipped genre rubrics, and files (relative to this folder, or the current one).
    Files(Option<&'p std::path::Path>),
    /// Shipped genre rubrics only.
    ShippedOnly,
}

fn load_with(text: &str, file: &str, stem: &str, bases: Bases) -> Result<Rubric, RubricError> {
    let text = text.trim_start_matches('\u{FEFF}');
    let err = |problems| RubricError {
        file: file.to_owned(),
        problems,
    };
    let whole = |message: String| {
        err(vec![RubricProblem {
            line: None,
            column: None,
            key: None,
            message,
            source_line: None,
        }])
    };
    if text.trim().is_empty() {
        return Err(whole("empty rubric file".into()));
    }
    // Limits before any parsing: a rubric is a few kilobytes of shallow YAML.
    if text.len() > MAX_RUBRIC_BYTES {
        return Err(whole(format!(
            "rubric is larger than {} KB",
            MAX_RUBRIC_BYTES >> 10
        )));
    }
    // Characters YAML refuses: the parser names only a byte offset for them, so locate them here.
    let refused = refused_characters(text);
    if !refused.is_empty() {
        return Err(err(refused));
    }
    if let Some(line) = too_deep(text) {
        return Err(err(vec![RubricProblem {
            line: Some(line),
            column: None,
            key: None,
            message: format!("nested more than {MAX_RUBRIC_DEPTH} levels deep"),
            source_line: None,
        }]));
    }
    // The same limits on what the YAML parser really builds: block collections nest without
    // brackets or indentation (`- - - x`), and aliases repeat what an anchor holds.
    if let Some((line, column, message)) = yaml_limits(text) {
        return Err(err(vec![RubricProblem {
            line: Some(line),
            column: Some(column),
            key: None,
            message,
            source_line: source_line(text, line),
        }]));
    }
    let locator = Locator::new(text);
    let raw: RawRubric = match serde_yaml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let problem = yaml_problem(&e, text, &locator);
            let mut problems = full_width_colons(text, problem.line);
            problems.push(problem);
            return Err(err(problems));
        }
    };
    let mut c = Compiler {
        loc: &locator,
        text,
        problems: Vec::new(),
        regex_over_budget: false,
        regex_reported: std::collections::HashSet::new(),
    };
    let mut extends = None;
    let raw = match raw.extends.clone() {
        Some(name) => match c.base(&name, &raw, bases) {
            Some((id, genre)) => {
                extends = Some(id);
                merge(genre, raw)
            }
            // The problem is recorded; the question's own keys are still checked.
            None => raw,
        },
        None => raw,
    };
    let mut rubric = c.compile(raw, file, stem);
    rubric.extends = extends;
    if c.problems.is_empty() {
        Ok(rubric)
    } else {
        c.problems.sort_by_key(|p| (p.line, p.column));
        Err(err(c.problems))
    }
}

/// The shipped genre rubric called `name`: by rubric name, by its `genre` or by one of its
/// `aliases`. Returns (name, YAML text).
pub fn builtin_genre(name: &str) -> Option<(&'static str, &'static str)> {
    let name = name.trim();
    BUILTIN.iter().copied().find(|(n, y)| {
        *n == name
            || serde_yaml::from_str::<RawRubric>(y).is_ok_and(|r| {
                r.kind == Some(Kind::Genre)
                    && (r.genre.as_deref() == Some(name)
                        || r.aliases.iter().flatten().any(|a| a == name))
            })
    })
}

/// The shipped genre rubrics: (name, genre, aliases), in [`BUILTIN`] order.
pub fn builtin_genres() -> Vec<(&'static str, String, Vec<String>)> {
    BUILTIN
        .iter()
        .filter_map(|(n, y)| {
            let r = serde_yaml::from_str::<RawRubric>(y).ok()?;
            (r.kind == Some(Kind::Genre)).then(|| {
                (
                    *n,
                    r.genre.unwrap_or_default(),
                    r.aliases.unwrap_or_default(),
                )
            })
        })
        .collect()
}

/// A question rubric laid over the genre rubric it extends (the merge rules of
/// `rubrics/README.md`): structure slot by slot and key by key, language rules and forbidden
/// phrases merged with the question winning, bands and the form gate taken whole from the
/// question when it gives them; scoring points, length, total and the names only from the question.
fn merge(genre: RawRubric, q: RawRubric) -> RawRubric {
    fn slot(g: Option<RawSlot>, q: Option<RawSlot>) -> Option<RawSlot> {
        match (g, q) {
            (Some(g), Some(q)) => Some(RawSlot {
                required: q.required.or(g.required),
                points: q.points.or(g.points),
            }),
            (g, q) => q.or(g),
        }
    }
    let structure = match (genre.structure, q.structure) {
        (Some(g), Some(q)) => Some(RawStructure {
            title: slot(g.title, q.title),
            salutation: slot(g.salutation, q.salutation),
            opening: slot(g.opening, q.opening),
            headings: match (g.headings, q.headings) {
                (Some(g), Some(q)) => Some(RawHeadings {
                    min: q.min.or(g.min),
                    max: q.max.or(g.max),
                    points: q.points.or(g.points),
                    styles: q.styles.or(g.styles),
                }),
                (g, q) => q.or(g),
            },
            closing: slot(g.closing, q.closing),
            signature: match (g.signature, q.signature) {
                (Some(g), Some(q)) => Some(RawSignature {
                    required: q.required.or(g.required),
                    points: q.points.or(g.points),
                    date: q.date.or(g.date),
                }),
                (g, q) => q.or(g),
            },
        }),
        (g, q) => q.or(g),
    };
    let language = match (genre.language, q.language) {
        (Some(g), Some(q)) => {
            let mut forbidden = g.forbidden;
            for f in q.forbidden {
                match forbidden.iter_mut().find(|x| x.phrase == f.phrase) {
                    Some(x) => *x = f,
                    None => forbidden.push(f),
                }
            }
            let rules = match (g.rules, q.rules) {
                (Some(mut g), Some(q)) => {
                    g.extend(q);
                    Some(g)
                }
                (g, q) => q.or(g),
            };
            let mut colloquial = g.colloquial;
            for w in q.colloquial {
                if !colloquial.contains(&w) {
                    colloquial.push(w);
                }
            }
            Some(RawLanguage {
                points: q.points.or(g.points),
                forbidden,
                rules,
                colloquial,
                sentence_limit: q.sentence_limit.or(g.sentence_limit),
                first_person: q.first_person.or(g.first_person),
                rule_cap: q.rule_cap.or(g.rule_cap),
            })
        }
        (g, q) => q.or(g),
    };
    RawRubric {
        genre: q.genre.or(genre.genre),
        bands: q.bands.or(genre.bands),
        structure,
        language,
        form_gate: q.form_gate.or(genre.form_gate),
        ..q
    }
}

/// The lines of `text` as YAML counts them: a line ends at `\n`, `\r\n` or a lone `\r`.
fn yaml_lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    text.split('\n')
        .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
}

fn source_line(text: &str, line: usize) -> Option<String> {
    let l = yaml_lines(text).nth(line.checked_sub(1)?)?.trim_end();
    // A control character is shown as U+FFFD, not sent to the terminal.
    let l: std::borrow::Cow<str> = if l.chars().any(refused) {
        l.chars()
            .map(|c| if refused(c) { '\u{FFFD}' } else { c })
            .collect::<String>()
            .into()
    } else {
        l.into()
    };
    // Show at most 160 characters of a long line.
    Some(crate::count::truncate_chars(&l, 160))
}

fn yaml_problem(e: &serde_yaml::Error, text: &str, loc: &Locator) -> RubricProblem {
    let mut message = e.to_string();
    // Drop serde_yaml's own " at line L column C" suffix: the location is given in front.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    if message.contains("tab character") {
        message.push_str("（缩进用了制表符 Tab，请改用空格）");
    }
    // Say what is expected in words a rubric writer uses, not Rust type names.
    for (rust, plain) in [
        ("expected f64", "expected a number"),
        ("expected u32", "expected a whole number ≥ 0"),
        (
            "expected struct RawRubric",
            "expected a rubric: a mapping with keys such as question and points",
        ),
        ("expected option", "expected a value"),
    ] {
        message = message.replace(rust, plain);
    }
    if let Some(i) = message.find("expected struct Raw") {
        message.truncate(i);
        message.push_str("expected a mapping (key: value lines)");
    }
    let (mut line, mut column) = match e.location() {
        Some(l) => (Some(l.line()), Some(l.column())),
        None => (None, None),
    };
    // A second document (`---` after the first one's keys): the parser gives no place.
    if message.contains("more than one document") {
        message = "a second YAML document (a `---` line after the rubric's keys): a rubric file holds one; remove the line, or split the file".into();
        let mut seen_content = false;
        for (n, l) in yaml_lines(text).enumerate() {
            let t = l.trim_end();
            if t == "---" || t.starts_with("--- ") {
                if seen_content {
                    (line, column) = (Some(n + 1), Some(1));
                    break;
                }
            } else if !t.trim().is_empty() && !t.trim_start().starts_with('#') {
                seen_content = true;
            }
        }
    }
    // serde points a duplicate key at its mapping; point at the repeated key instead.
    if let Some(name) = message
        .split("duplicate field `")
        .nth(1)
        .and_then(|r| r.split('`').next())
    {
        if let Some(f) = loc.duplicate_key(name) {
            line = Some(f.line);
            column = Some(f.column);
            message = format!(
                "{}: duplicate key (given twice in one mapping)",
                f.written_path
            );
        }
    }
    // serde_yaml's message starts with the key path as written (得分点[0].分值: …) when it knows
    // it; otherwise name the key found on that line.
    let key = line
        .and_then(|l| loc.key_at_line(l))
        // serde_yaml already put a key path in front of its message (得分点[0].分值: …).
        .filter(|_| {
            !message
                .split_once(": ")
                .is_some_and(|(p, _)| !p.is_empty() && !p.contains(' '))
        });
    RubricProblem {
        line,
        column,
        key,
        message,
        source_line: line.and_then(|l| source_line(text, l)),
    }
}

/// Keys written with a full-width colon (`分值：6`, as a Chinese keyboard types it) on the line
/// where the YAML parser stopped or on the three written lines before it: YAML reads such a line
/// as text, and its parser complains at the next key instead. One problem each, at the colon.
fn full_width_colons(text: &str, error_line: Option<usize>) -> Vec<RubricProblem> {
    let Some(error_line) = error_line else {
        return Vec::new();
    };
    let lines: Vec<&str> = yaml_lines(text).take(error_line).collect();
    let written = lines
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .take(4);
    let mut problems: Vec<RubricProblem> = written
        .filter_map(|(n, line)| {
            // Full-width spaces (U+3000), which YAML does not read as spaces: as indentation, or
            // after a key's colon (`名称:　成立领导小组` reads as one string).
            let at = |col: usize, key: Option<String>, message: String| RubricProblem {
                line: Some(n + 1),
                column: Some(col),
                key,
                message,
                source_line: source_line(text, n + 1),
            };
            if line.trim_start_matches([' ', '-']).starts_with('\u{3000}') {
                let col = line.chars().take_while(|&c| c == ' ' || c == '-').count() + 1;
                return Some(at(col, None, "full-width space `　` in the indentation: YAML indents with half-width spaces".into()));
            }
            if let Some(i) = line.find(":\u{3000}") {
                let key = line[..i].trim_start_matches([' ', '-', '\t']).to_owned();
                return Some(at(
                    line[..i].chars().count() + 2,
                    Some(key.clone()),
                    format!("full-width space `　` after the colon: YAML needs a half-width space (`{key}: …`)"),
                ));
            }
            let key_start = line.len() - line.trim_start_matches([' ', '-', '\t']).len();
            let rest = &line[key_start..];
            let colon = rest.find(['：', ':'])?;
            let key = &rest[..colon];
            let is_key = rest[colon..].starts_with('：')
                && !key.is_empty()
                && key.chars().count() <= 20
                && !key.contains(|c: char| c.is_whitespace() || "\"'[]{},#&*!|>%@`".contains(c));
            is_key.then(|| RubricProblem {
                line: Some(n + 1),
                column: Some(line[..key_start + colon].chars().count() + 1),
                key: Some(key.to_owned()),
                message: format!(
                    "full-width colon `：` after the key: YAML needs a half-width colon and a space (`{key}: …`)"
                ),
                source_line: source_line(text, n + 1),
            })
        })
        .collect();
    problems.reverse();
    problems
}

/// A character a YAML file may not hold (see [`refused_characters`]).
fn refused(c: char) -> bool {
    !matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Characters a YAML file may not hold (C0 and C1 control characters other than tab, line breaks
/// and NEL, DEL, U+FFFE and U+FFFF): one problem each, located (at most 20), for a rubric that was
/// damaged or is not text. The YAML parser refuses them with a byte offset and no line.
fn refused_characters(text: &str) -> Vec<RubricProblem> {
    const MOST: usize = 20;
    let mut problems = Vec::new();
    for (n, line) in yaml_lines(text).enumerate() {
        for (column, c) in line.chars().enumerate().filter(|&(_, c)| refused(c)) {
            if problems.len() == MOST {
                return problems;
            }
            problems.push(RubricProblem {
                line: Some(n + 1),
                column: Some(column + 1),
                key: None,
                message: format!(
                    "control character U+{:04X} is not allowed in YAML (a damaged file, or not a text file?)",
                    u32::from(c)
                ),
                source_line: source_line(text, n + 1),
            });
        }
    }
    problems
}

struct Compiler<'a> {
    loc: &'a Locator,
    text: &'a str,
    problems: Vec<RubricProblem>,
    /// The rubric's patterns weigh more than [`MAX_RUBRIC_REGEX_BYTES`]: none is compiled.
    regex_over_budget: bool,
    /// Patterns (key paths joined with `.`) already reported while weighing: not compiled.
    regex_reported: std::collections::HashSet<String>,
}

impl Compiler<'_> {
    /// Record a problem at a path of canonical keys (e.g. `["points", "0", "keywords", "2"]`).
    fn problem(&mut self, path: &[&str], message: impl Into<String>) {
        let found = self.loc.find(path);
        let (line, column, key) = match found {
            Some(f) => (Some(f.line), Some(f.column), Some(f.written_path)),
            None => (None, None, Some(path.join("."))),
        };
        self.problems.push(RubricProblem {
            line,
            column,
            key,
            message: message.into(),
            source_line: line.and_then(|l| source_line(self.text, l)),
        });
    }

    /// The genre rubric `name` that `raw` extends, loaded on its own (its problems are its own,
    /// located in its file) and returned raw for merging, with its id. `None` after recording a
    /// problem at `extends`: an unknown genre, a question rubric, a chain.
    fn base(&mut self, name: &str, raw: &RawRubric, bases: Bases) -> Option<(String, RawRubric)> {
        if raw.kind == Some(Kind::Genre) {
            self.problem(
                &["extends"],
                "a genre rubric cannot extend another rubric (no chains of extends)",
            );
            return None;
        }
        let (text, origin, stem) = if let Some((n, y)) = builtin_genre(name) {
            (y.to_owned(), format!("builtin:{n}"), n.to_owned())
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            let Bases::Files(dir) = bases else {
                self.problem(
                    &["extends"],
                    format!("`{name}`: an uploaded rubric can extend a shipped genre rubric only, not a file"),
                );
                return None;
            };
            let path = dir.map_or_else(|| std::path::PathBuf::from(name), |d| d.join(name));
            let stem = path
                .file_stem()
                .map_or_else(|| "rubric".into(), |s| s.to_string_lossy().into_owned());
            match std::fs::read(&path).map(|b| crate::decode::text_file(&b)) {
                Ok(Ok((t, _))) => (t, path.display().to_string(), stem),
                Ok(Err(e)) => {
                    self.problem(&["extends"], format!("{}:{e}", path.display()));
                    return None;
                }
                Err(e) => {
                    self.problem(&["extends"], format!("cannot read {}: {e}", path.display()));
                    return None;
                }
            }
        } else {
            let known: Vec<String> = builtin_genres()
                .into_iter()
                .map(|(n, g, _)| format!("{g} ({n})"))
                .collect();
            self.problem(
                &["extends"],
                format!(
                    "unknown genre `{name}` (shipped genres: {}; or a rubric file ending in .yaml)",
                    known.join(", ")
                ),
            );
            return None;
        };
        let text = text.trim_start_matches('\u{FEFF}');
        if text.trim().is_empty() {
            self.problem(
                &["extends"],
                format!("`{name}` ({origin}): empty rubric file"),
            );
            return None;
        }
        // Check the kind before loading the file, so that a file extending another (a chain, or
        // a cycle back to this one) is never followed.
        if let Ok(g) = serde_yaml::from_str::<RawRubric>(text) {
            if g.kind != Some(Kind::Genre) {
                self.problem(
                    &["extends"],
                    format!("`{name}` ({origin}) is a question rubric, not a genre rubric: only a rubric with kind: genre can be extended"),
                );
                return None;
            }
            if g.extends.is_some() {
                self.problem(
                    &["extends"],
                    format!("`{name}` ({origin}) extends another rubric itself: chains of extends are not supported"),
                );
                return None;
            }
        }
        let genre = match load(text, &origin, &stem) {
            Ok(g) => g,
            Err(e) => {
                self.problem(
                    &["extends"],
                    format!("the genre rubric `{name}` does not load:\n{e}"),
                );
                return None;
            }
        };
        if let Some(own) = raw.genre.as_deref() {
            let names: Vec<&str> = genre
                .genre
                .iter()
                .chain(&genre.aliases)
                .map(String::as_str)
                .collect();
            if !names.contains(&own.trim()) {
                self.problem(
                    &["genre"],
                    format!(
                        "genre `{own}` is not the genre this rubric extends ({}: {})",
                        genre.id,
                        names.join(", ")
                    ),
                );
            }
        }
        // It loaded, so it parses.
        let g = serde_yaml::from_str::<RawRubric>(text).ok()?;
        Some((genre.id, g))
    }

    fn non_negative(&mut self, v: Option<f64>, path: &[&str]) -> f64 {
        match v {
            Some(x) if !x.is_finite() || x < 0.0 => {
                self.problem(path, "points must be a number ≥ 0");
                0.0
            }
            // 1e308 is a number, but a sum of two is infinite: the report would read inf / inf.
            Some(x) if x > MAX_POINTS => {
                self.problem(path, format!("points must be at most {MAX_POINTS}"));
                0.0
            }
            Some(x) => x,
            None => 0.0,
        }
    }

    fn compile(&mut self, raw: RawRubric, file: &str, stem: &str) -> Rubric {
        if let Some(v) = raw.version {
            if v != 1 {
                self.problem(
                    &["version"],
                    format!("unsupported version {v} (this caifen reads version 1)"),
                );
            }
        }
        let kind = raw.kind.unwrap_or_default();
        if kind == Kind::Genre {
            if !raw.points.is_empty() {
                self.problem(
                    &["points"],
                    "a genre rubric (kind: genre) has no scoring points: they belong to the question rubric that extends it",
                );
            }
            if raw.length.is_some() {
                self.problem(
                    &["length"],
                    "a genre rubric (kind: genre) has no length rule: the length comes from the question",
                );
            }
        } else if raw.aliases.is_some() {
            self.problem(
                &["aliases"],
                "aliases name a genre: only a genre rubric (kind: genre) has them",
            );
        }
        for (i, a) in raw.aliases.iter().flatten().enumerate() {
            if a.trim().is_empty() {
                self.problem(&["aliases", &i.to_string()], "empty alias");
            }
        }
        let bands = self.bands(raw.bands);
        let had_length = raw.length.is_some();
        let length = raw.length.and_then(|l| self.length(l));
        let structure = raw.structure.map(|s| self.structure(s)).unwrap_or_default();
        self.weigh_patterns(&raw.points);
        let points = self.points(raw.points);
        let language = self.language(raw.language.unwrap_or_default(), raw.genre.as_deref());
        let sum = points.iter().map(|p| p.points).sum::<f64>()
            + structure.points()
            + length.as_ref().map_or(0.0, |l| l.points)
            + language.points;
        let form_gate = raw.form_gate.unwrap_or(40.0);
        if !(0.0..=100.0).contains(&form_gate) {
            self.problem(&["form_gate"], "form_gate is a percent between 0 and 100");
        }
        let total = match raw.total {
            Some(t) if !t.is_finite() || t <= 0.0 || t > MAX_POINTS => {
                self.problem(
                    &["total"],
                    format!(
                        "total must be a number of points greater than 0 and at most {MAX_POINTS}"
                    ),
                );
                sum
            }
            Some(t) => {
                // An invalid length rule has no points to add up: don't report a sum as well.
                if (t - sum).abs() > 1e-6 && !(had_length && length.is_none()) {
                    self.problem(
                        &["total"],
                        format!(
                            "total is {t} but the points add up to {sum} (scoring points {} + structure {} + length {} + language {})",
                            fmt_pts(points.iter().map(|p| p.points).sum()),
                            fmt_pts(structure.points()),
                            fmt_pts(length.as_ref().map_or(0.0, |l| l.points)),
                            fmt_pts(language.points)
                        ),
                    );
                }
                t
            }
            None => sum,
        };
        if total <= 0.0 {
            self.problem(
                &["points"],
                "the rubric gives no points (add scoring points)",
            );
        }
        Rubric {
            id: raw.id.unwrap_or_else(|| stem.to_owned()),
            kind,
            aliases: raw.aliases.unwrap_or_default(),
            extends: None,
            title: raw
                .title
                .or_else(|| raw.question.clone())
                .unwrap_or_else(|| stem.to_owned()),
            genre: raw.genre,
            question: raw.question,
            source: raw.source,
            origin: file.to_owned(),
            total,
            bands,
            length,
            structure,
            points,
            language,
            form_gate,
        }
    }

    fn bands(&mut self, raw: Option<Vec<RawBand>>) -> Vec<Band> {
        let Some(raw) = raw else {
            return [
                ("一类文", 85.0),
                ("二类文", 70.0),
                ("三类文", 55.0),
                ("四类文", 0.0),
            ]
            .iter()
            .map(|&(n, m)| Band {
                name: n.into(),
                min_percent: m,
            })
            .collect();
        };
        if raw.is_empty() {
            self.problem(&["bands"], "bands must not be empty");
        }
        let mut out: Vec<Band> = Vec::new();
        for (i, b) in raw.into_iter().enumerate() {
            let idx = i.to_string();
            if !(0.0..=100.0).contains(&b.min) {
                self.problem(
                    &["bands", &idx, "min"],
                    "a band's min is a percent between 0 and 100",
                );
            }
            if let Some(prev) = out.last() {
                if b.min >= prev.min_percent {
                    self.problem(
                        &["bands", &idx, "min"],
                        "bands go from the highest min to the lowest",
                    );
                }
            }
            if b.name.trim().is_empty() {
                self.problem(&["bands", &idx, "name"], "empty band name");
            }
            out.push(Band {
                name: b.name,
                min_percent: b.min,
            });
        }
        if out.last().is_some_and(|b| b.min_percent > 0.0) {
            self.problem(
                &["bands"],
                "the lowest band must start at 0 so every score has a band",
            );
        }
        out
    }

    fn length(&mut self, l: RawLength) -> Option<LengthRule> {
        let given = [l.around.is_some(), l.max.is_some(), l.range.is_some()]
            .iter()
            .filter(|&&b| b)
            .count();
        if given != 1 {
            self.problem(
                &["length"],
                "give exactly one of around (左右), max (不超过) or range (范围)",
            );
            return None;
        }
        let tolerance = l.tolerance.unwrap_or(10.0);
        if !(0.0..100.0).contains(&tolerance) {
            self.problem(
                &["length", "tolerance"],
                "tolerance is a percent between 0 and 100",
            );
        }
        let limit = if let Some(a) = l.around {
            Limit::Around {
                around: a,
                tolerance_percent: tolerance,
            }
        } else if let Some(m) = l.max {
            Limit::Max { max: m }
        } else {
            let [a, b] = l.range.unwrap_or([0, 0]);
            if a > b {
                self.problem(
                    &["length", "range"],
                    format!("range {a}～{b}: the first number must not exceed the second"),
                );
            }
            Limit::Range { min: a, max: b }
        };
        if limit.bounds().1 < 1.0 {
            let key = match limit {
                Limit::Around { .. } => "around",
                Limit::Max { .. } => "max",
                Limit::Range { .. } => "range",
            };
            self.problem(&["length", key], "a length limit must be at least 1");
        }
        let falloff = l.falloff.unwrap_or(30.0);
        if !(falloff > 0.0 && falloff.is_finite()) {
            self.problem(
                &["length", "falloff"],
                "falloff is a percent greater than 0",
            );
        }
        Some(LengthRule {
            limit,
            convention: l.convention.unwrap_or_default(),
            points: self.non_negative(l.points, &["length", "points"]),
            falloff_percent: falloff,
        })
    }

    fn slot(&mut self, s: Option<RawSlot>, name: &str) -> Option<Slot> {
        s.map(|s| Slot {
            required: s.required.unwrap_or(true),
            points: self.non_negative(s.points, &["structure", name, "points"]),
            date: false,
        })
    }

    fn signature(&mut self, s: Option<RawSignature>) -> Option<Slot> {
        s.map(|s| Slot {
            required: s.required.unwrap_or(true),
            points: self.non_negative(s.points, &["structure", "signature", "points"]),
            date: s.date.unwrap_or(false),
        })
    }

    fn structure(&mut self, s: RawStructure) -> Structure {
        let headings = s.headings.map(|h| {
            let min = h.min.unwrap_or(0);
            let max = h.max.unwrap_or(u32::MAX);
            if min > max {
                self.problem(
                    &["structure", "headings"],
                    format!("min {min} is greater than max {max}"),
                );
            }
            let styles = h.styles.as_ref().map(|list| {
                let mut out = Vec::new();
                for (i, label) in list.iter().enumerate() {
                    match crate::segment::Style::from_label(label) {
                        Some(st) => out.push(st),
                        None => self.problem(
                            &["structure", "headings", "styles", &i.to_string()],
                            format!("unknown numbering style `{label}` (one of 一、 （一） 1. 1、 （1） ① 一是 第一 首先 label lead)"),
                        ),
                    }
                }
                out
            });
            HeadingRule {
                min,
                max,
                points: self.non_negative(h.points, &["structure", "headings", "points"]),
                styles,
            }
        });
        Structure {
            title: self.slot(s.title, "title"),
            salutation: self.slot(s.salutation, "salutation"),
            opening: self.slot(s.opening, "opening"),
            headings,
            closing: self.slot(s.closing, "closing"),
            signature: self.signature(s.signature),
        }
    }

    fn regex(&mut self, p: &str, path: &[&str]) -> Option<regex::Regex> {
        if p.trim().is_empty() {
            self.problem(path, "empty pattern");
            return None;
        }
        // A pattern whose every match is empty (`\b`, `^`, `(?:)`) would meet a point anywhere.
        let parsed = regex_syntax::Parser::new().parse(p);
        let only_empty = parsed
            .as_ref()
            .is_ok_and(|h| h.properties().maximum_len() == Some(0));
        if self.regex_reported.contains(&path.join(".")) {
            return None;
        }
        if self.regex_over_budget {
            // Past the budget nothing is compiled; a syntax error is still found (in the same
            // words as `regex` gives it).
            if let Err(e) = parsed {
                let msg = e.to_string().lines().last().unwrap_or("").trim().to_owned();
                self.problem(path, format!("invalid regex /{p}/: {msg}"));
            }
            return None;
        }
        match regex::RegexBuilder::new(p)
            .size_limit(MAX_REGEX_BYTES)
            .dfa_size_limit(MAX_REGEX_DFA_CACHE_BYTES)
            .build()
        {
            Ok(_) if only_empty => {
                self.problem(
                    path,
                    format!("pattern /{p}/ only matches empty text, so it would match everywhere"),
                );
                None
            }
            Ok(r) if r.is_match("") => {
                self.problem(
                    path,
                    format!("pattern /{p}/ matches the empty string, so it would match everywhere"),
                );
                None
            }
            Ok(r) => Some(r),
            Err(e) => {
                let msg = e.to_string().lines().last().unwrap_or("").trim().to_owned();
                self.problem(path, format!("invalid regex /{p}/: {msg}"));
                None
            }
        }
    }

    /// Weigh the patterns of the scoring points (those [`Self::points`] compiles, in its order)
    /// before any is compiled: the sum of their NFAs' heap bytes against
    /// [`MAX_RUBRIC_REGEX_BYTES`]. The pattern that takes the sum past the budget gets the problem,
    /// and no pattern is compiled then, so a rubric of a few hundred patterns that each pass the
    /// per-pattern limit costs one NFA at a time, never hundreds of compiled regexes.
    fn weigh_patterns(&mut self, points: &[RawPoint]) {
        let mut total = 0usize;
        for (i, p) in points.iter().enumerate() {
            let idx = i.to_string();
            let mut weighed: Vec<(Vec<String>, &str)> = Vec::new();
            if p.keywords.is_some() || p.patterns.is_some() {
                for (j, pat) in p.patterns.iter().flatten().enumerate() {
                    weighed.push((vec![idx.clone(), "patterns".into(), j.to_string()], pat));
                }
            } else {
                for (g, group) in p.groups.iter().flatten().enumerate() {
                    for (j, pat) in group.patterns.iter().enumerate() {
                        let path = vec![
                            idx.clone(),
                            "groups".into(),
                            g.to_string(),
                            "patterns".into(),
                            j.to_string(),
                        ];
                        weighed.push((path, pat));
                    }
                }
            }
            if let Some(e) = &p.evidence {
                weighed.push((vec![idx.clone(), "evidence".into()], e));
            }
            for (path, pat) in weighed {
                let mut at = vec!["points"];
                at.extend(path.iter().map(String::as_str));
                match nfa_bytes(pat) {
                    Ok(bytes) => total += bytes,
                    // Past the per-pattern limit: reported here in the words of `regex` (whose
                    // build would fail the same way), and it weighs at least the limit, so that
                    // many such patterns are not built twice each.
                    Err(Some(limit)) => {
                        self.problem(
                            &at,
                            format!("invalid regex /{pat}/: Compiled regex exceeds size limit of {limit} bytes."),
                        );
                        self.regex_reported.insert(at.join("."));
                        total += limit;
                    }
                    // An empty or invalid pattern weighs nothing: compiling it reports it.
                    Err(None) => continue,
                }
                if total > MAX_RUBRIC_REGEX_BYTES {
                    self.problem(
                        &at,
                        format!(
                            "pattern /{pat}/ takes the rubric's regexes past their budget of {} MB in all (NFA bytes of every pattern and evidence rule together; {} MB with this one): use fewer or simpler patterns; no pattern is compiled",
                            MAX_RUBRIC_REGEX_BYTES >> 20,
                            fmt_mb(total)
                        ),
                    );
                    self.regex_over_budget = true;
                    return;
                }
            }
        }
    }

    fn terms(
        &mut self,
        words: &[Option<String>],
        patterns: &[String],
        base: &[&str],
        wkey: &str,
        pkey: &str,
    ) -> Vec<Term> {
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let idx = i.to_string();
            let mut path = base.to_vec();
            path.extend([wkey, idx.as_str()]);
            // `~` (YAML null) is an empty keyword too (case B11).
            let norm = crate::normalize::Normalized::new(w.as_deref().unwrap_or("")).text;
            if norm.trim().is_empty() {
                let line = self.loc.find(&path).map(|f| f.line);
                let at = base.iter().take(2).cloned().collect::<Vec<_>>();
                let written = self
                    .loc
                    .find(&at)
                    .map_or_else(|| at.join("."), |f| f.written_path);
                self.problem(
                    &path,
                    format!(
                        "empty keyword in {written}{}",
                        line.map_or(String::new(), |l| format!(" (line {l})"))
                    ),
                );
                continue;
            }
            // 「机制，督办」 written with a Chinese comma in `[…]` is one keyword that students
            // never write; several keywords are separated by half-width commas.
            if norm.contains('，') && !norm.contains(['“', '”']) {
                self.problem(
                    &path,
                    format!("keyword 「{}」 contains a full-width comma ，: separate keywords with a half-width comma (,), or write a phrase with a comma as a pattern", norm.trim()),
                );
                continue;
            }
            // 「领导小组；排查」, 「领导小组/排查」: a list of words written as one keyword, which no
            // answer writes (the whole of it, separator included). 、 is left alone: 县委、县政府 is
            // one term (`rubric check` notes keywords holding it).
            if let Some(sep) = norm
                .chars()
                .find(|c| matches!(c, '；' | ';' | '/' | '／' | '|' | '｜'))
                .filter(|_| !norm.contains(['“', '”']))
            {
                self.problem(
                    &path,
                    format!("keyword 「{}」 contains {sep}: write each keyword as an item of the list ([甲, 乙]), or a phrase with {sep} as a pattern", w.as_deref().unwrap_or("").trim()),
                );
                continue;
            }
            out.push(Term::Literal(norm.trim().to_owned()));
        }
        for (i, p) in patterns.iter().enumerate() {
            let idx = i.to_string();
            let mut path = base.to_vec();
            path.extend([pkey, idx.as_str()]);
            if let Some(r) = self.regex(p, &path) {
                out.push(Term::Pattern(r));
            }
        }
        out
    }

    fn points(&mut self, raw: Vec<RawPoint>) -> Vec<Point> {
        let mut out: Vec<Point> = Vec::new();
        for (i, p) in raw.into_iter().enumerate() {
            let idx = i.to_string();
            let base = ["points", idx.as_str()];
            let id = p.id.clone().unwrap_or_else(|| format!("p{}", i + 1));
            if id.trim().is_empty() {
                self.problem(&["points", &idx, "id"], "empty id");
            }
            if out.iter().any(|q| q.id == id) {
                self.problem(&["points", &idx, "id"], format!("duplicate id `{id}`"));
            }
            let name = p.name.clone().unwrap_or_else(|| id.clone());
            let points = match p.points {
                Some(x) => self.non_negative(Some(x), &["points", &idx, "points"]),
                None => {
                    self.problem(&["points", &idx], "a scoring point needs points (分值)");
                    0.0
                }
            };
            let shorthand = p.keywords.is_some() || p.patterns.is_some();
            let mut groups = Vec::new();
            if shorthand && p.groups.is_some() {
                self.problem(
                    &["points", &idx, "groups"],
                    "give either keywords/patterns or groups, not both",
                );
            }
            if shorthand {
                let no_keywords = p.keywords.as_ref().is_none_or(|k| k.is_empty());
                let no_patterns = p.patterns.as_ref().is_none_or(|k| k.is_empty());
                if no_keywords && no_patterns {
                    let key = if p.keywords.is_some() {
                        "keywords"
                    } else {
                        "patterns"
                    };
                    self.problem(
                        &["points", &idx, key],
                        "the list is empty: give at least one keyword or pattern",
                    );
                }
                let terms = self.terms(
                    p.keywords.as_deref().unwrap_or(&[]),
                    p.patterns.as_deref().unwrap_or(&[]),
                    &base,
                    "keywords",
                    "patterns",
                );
                groups.push(Group {
                    name: name.clone(),
                    terms,
                });
            } else if let Some(gs) = &p.groups {
                for (g, raw) in gs.iter().enumerate() {
                    let gidx = g.to_string();
                    let gbase = ["points", idx.as_str(), "groups", gidx.as_str()];
                    if raw.terms.is_empty() && raw.patterns.is_empty() {
                        self.problem(&gbase, "a group needs terms or patterns");
                    }
                    let terms = self.terms(&raw.terms, &raw.patterns, &gbase, "terms", "patterns");
                    groups.push(Group {
                        name: raw.name.clone().unwrap_or_else(|| format!("{}", g + 1)),
                        terms,
                    });
                }
            }
            let evidence = p
                .evidence
                .as_deref()
                .and_then(|e| self.regex(e, &["points", &idx, "evidence"]));
            if groups.is_empty() && evidence.is_none() {
                self.problem(
                    &["points", &idx],
                    "a scoring point needs keywords, patterns, groups or evidence",
                );
            }
            let n = groups.len() + usize::from(evidence.is_some());
            let min_groups = match p.min_groups {
                Some(k) if k == 0 || k as usize > n => {
                    self.problem(
                        &["points", &idx, "min_groups"],
                        format!("min_groups must be between 1 and the number of groups ({n})"),
                    );
                    n
                }
                Some(k) => k as usize,
                None => n,
            };
            let min_hits = match p.min_hits {
                Some(0) => {
                    self.problem(&["points", &idx, "min_hits"], "min_hits must be at least 1");
                    1
                }
                Some(k) => k as usize,
                None => 1,
            };
            out.push(Point {
                id,
                name,
                points,
                groups,
                min_groups: min_groups.max(1),
                min_hits,
                evidence,
                scope: p.scope.unwrap_or_default(),
                hint: p.hint,
            });
        }
        out
    }

    fn language(&mut self, l: RawLanguage, genre: Option<&str>) -> Language {
        let mut forbidden = Vec::new();
        for (i, f) in l.forbidden.into_iter().enumerate() {
            let idx = i.to_string();
            // Empty once normalised too (a zero-width space alone): it would match between
            // every two bytes.
            let phrase = crate::normalize::Normalized::new(&f.phrase).text;
            if phrase.trim().is_empty() {
                self.problem(&["language", "forbidden", &idx, "phrase"], "empty phrase");
                continue;
            }
            forbidden.push(Forbidden {
                phrase,
                penalty: self.non_negative(
                    f.penalty.or(Some(1.0)),
                    &["language", "forbidden", &idx, "penalty"],
                ),
            });
        }
        let mut rules = crate::lang::Settings::default();
        for (key, switch) in l.rules.iter().flatten() {
            let path = ["language", "rules", key.as_str()];
            let Some(rule) = crate::lang::RuleId::from_id(key) else {
                self.problem(
                    &path,
                    format!(
                        "unknown language rule `{key}` (one of {})",
                        crate::lang::RuleId::ALL.map(|r| r.as_str()).join(" ")
                    ),
                );
                continue;
            };
            let severity = match switch {
                RawSwitch::On(true) => Some(rule.default_severity()),
                RawSwitch::On(false) => None,
                RawSwitch::Severity(s) => match crate::lang::Severity::parse(s) {
                    Some(sev) => sev,
                    None => {
                        self.problem(
                            &path,
                            format!("unknown severity `{s}` (error, warning, info or off; 错误 警告 提示 关闭)"),
                        );
                        continue;
                    }
                },
            };
            rules.set(rule, severity);
        }
        for (i, w) in l.colloquial.iter().enumerate() {
            let norm = crate::normalize::Normalized::new(w.as_deref().unwrap_or("")).text;
            if norm.trim().is_empty() {
                self.problem(&["language", "colloquial", &i.to_string()], "empty word");
                continue;
            }
            rules.colloquial.push(norm.trim().to_owned());
        }
        match l.sentence_limit {
            Some(0) => self.problem(
                &["language", "sentence_limit"],
                "sentence_limit is a number of characters ≥ 1",
            ),
            Some(n) => rules.sentence_limit = n as usize,
            None => {}
        }
        rules.first_person_allowed = l
            .first_person
            .unwrap_or_else(|| crate::lang::Settings::first_person_default(genre));
        if let Some(cap) = l.rule_cap {
            rules.deduction_cap = self.non_negative(Some(cap), &["language", "rule_cap"]);
        }
        Language {
            points: self.non_negative(l.points, &["language", "points"]),
            forbidden,
            rules,
        }
    }
}

/// Format points without a trailing `.0`.
pub fn fmt_pts(x: f64) -> String {
    // Hundredths as an integer, written with integer formatting: what the float formatting below
    // writes for them (the CSV and JSON write a dozen points per answer; float formatting cost
    // about 600 instructions a number). Below 10^10 points a double is off a hundredth by less
    // than a millionth, far inside the half hundredth that would change a digit: both write the
    // same digits.
    let c = (x * 100.0).round();
    if c.abs() < 1e12 {
        let c = c as i64;
        let frac = (c % 100).unsigned_abs() as u8;
        if frac == 0 {
            return (c / 100).to_string();
        }
        let whole = (c / 100).unsigned_abs().to_string();
        let mut s = String::with_capacity(whole.len() + 4);
        if c < 0 {
            s.push('-');
        }
        s.push_str(&whole);
        s.push('.');
        s.push(char::from(b'0' + frac / 10));
        if !frac.is_multiple_of(10) {
            s.push(char::from(b'0' + frac % 10));
        }
        return s;
    }
    fmt_pts_float(x)
}

/// [`fmt_pts`] by float formatting, for the values too large for its integer path.
fn fmt_pts_float(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if (r - r.round()).abs() < 1e-9 {
        format!("{}", r.round() as i64)
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_owned()
    }
}

/// Largest rubric file read, in bytes.
pub const MAX_RUBRIC_BYTES: usize = 1 << 20;
/// Deepest nesting of flow collections (`[` `{`) or indentation levels allowed in a rubric.
pub const MAX_RUBRIC_DEPTH: usize = 32;

/// Largest a rubric may grow when its YAML aliases (`*name`) are expanded, in bytes of scalar
/// text (plus one per node): the same as [`MAX_RUBRIC_BYTES`], so aliases cannot turn a small
/// file into a "billion laughs" that exhausts memory.
pub const MAX_RUBRIC_EXPANDED_BYTES: usize = MAX_RUBRIC_BYTES;

/// Largest one pattern (`patterns`, `evidence`) may compile to, in bytes (`RegexBuilder::size_limit`).
pub const MAX_REGEX_BYTES: usize = 10 << 20;

/// Largest the NFAs of all the patterns of one rubric may be together, in heap bytes
/// (`NFA::memory_usage` of each pattern's forward Thompson NFA, built as `regex` builds it).
/// Measured: the shipped rubrics' 12 patterns weigh 19.9 KB together (the largest 6.4 KB);
/// `\w{2,10}` weighs 0.17 MB, and `(\w{50}){4}` 3.35 MB, so that 200 of them (2.9 GB and 26 s
/// to load, each under the per-pattern limit) are refused at the fifth. A budget above the
/// largest single pattern the per-pattern limit lets through (about 9 MB of NFA); a compiled
/// regex holds about five times its NFA, so an accepted rubric's regexes stay under 100 MB.
pub const MAX_RUBRIC_REGEX_BYTES: usize = 16 << 20;

/// Cache of each pattern's lazy DFA, per search thread, in bytes (`RegexBuilder::dfa_size_limit`;
/// the `regex` default is 2 MB). A pattern whose NFA needs more falls back to a slower engine
/// that finds the same matches.
pub const MAX_REGEX_DFA_CACHE_BYTES: usize = 1 << 20;

/// Heap bytes of the forward Thompson NFA of `pattern`, built with the syntax flags and size
/// limit `regex::RegexBuilder` uses. `Err(Some(limit))` when it passes the size limit,
/// `Err(None)` when it does not build for another reason (the `regex` build reports it).
fn nfa_bytes(pattern: &str) -> Result<usize, Option<usize>> {
    use regex_automata::{nfa::thompson, util::syntax};
    thompson::Compiler::new()
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .configure(
            thompson::NFA::config()
                .utf8(true)
                .shrink(false)
                .which_captures(thompson::WhichCaptures::All)
                .nfa_size_limit(Some(MAX_REGEX_BYTES)),
        )
        .build(pattern)
        .map(|nfa| nfa.memory_usage())
        .map_err(|e| e.size_limit())
}

/// Bytes in MB with one decimal.
fn fmt_mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / f64::from(1 << 20))
}

/// Check the YAML event stream (saphyr-parser, which builds no tree) against the nesting and
/// alias-expansion limits before serde builds anything: the 1-based line and the message of the
/// first limit passed, with its 1-based character column. A syntax error is left for serde to
/// report with its location.
fn yaml_limits(text: &str) -> Option<(usize, usize, String)> {
    use saphyr_parser::{Event, Parser};
    use std::collections::HashMap;
    let mut depth = 0usize;
    // Expanded size so far; the size of each anchored node; the anchored collections open now.
    let mut total = 0usize;
    let mut anchors: HashMap<usize, usize> = HashMap::new();
    let mut open: Vec<(usize, usize, usize)> = Vec::new(); // (depth, anchor id, total at start)
    for ev in Parser::new_from_str(text) {
        let Ok((ev, span)) = ev else { return None };
        let (line, column) = (span.start.line(), span.start.col() + 1);
        match ev {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                depth += 1;
                if depth > MAX_RUBRIC_DEPTH {
                    return Some((
                        line,
                        column,
                        format!("nested more than {MAX_RUBRIC_DEPTH} levels deep"),
                    ));
                }
                if anchor != 0 {
                    open.push((depth, anchor, total));
                }
                total += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(&(d, anchor, start)) = open.last() {
                    if d == depth {
                        anchors.insert(anchor, total - start);
                        open.pop();
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Scalar(s, _, anchor, _) => {
                if anchor != 0 {
                    anchors.insert(anchor, s.len() + 1);
                }
                total += s.len() + 1;
            }
            Event::Alias(anchor) => {
                total = total.saturating_add(anchors.get(&anchor).copied().unwrap_or(1));
                if total > MAX_RUBRIC_EXPANDED_BYTES {
                    return Some((
                        line,
                        column,
                        format!(
                            "YAML aliases (*name) expand the rubric to more than {} KB",
                            MAX_RUBRIC_EXPANDED_BYTES >> 10
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// The 1-based line where a rubric nests deeper than [`MAX_RUBRIC_DEPTH`], if it does (flow
/// brackets outside quotes, or indentation in steps of at least one space).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent > MAX_RUBRIC_DEPTH * 4 {
            return Some(n + 1);
        }
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_RUBRIC_DEPTH {
                        return Some(n + 1);
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integer path of `fmt_pts` writes what float formatting writes: every hundredth to
    /// ±2000, values between hundredths, and large, tiny and non-finite values.
    #[test]
    fn fmt_pts_is_float_formatting() {
        let mut xs: Vec<f64> = (-200_000..=200_000).map(|c| f64::from(c) / 100.0).collect();
        xs.extend((-20_000..=20_000).map(|k| f64::from(k) * 0.0137 + 0.004_999));
        xs.extend([
            0.0,
            -0.0,
            0.005,
            -0.005,
            0.004_999_999,
            2.675,
            1.005,
            99.995,
            -99.995,
            1e13,
            -1e13,
            9_999_999_999.99,
            -9_999_999_999.99,
            9_999_999_999.994,
            1e10 + 0.01,
            8.9e13 + 0.25,
            1e17,
            -1e17,
            1e300,
            1e-300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ]);
        for x in xs {
            assert_eq!(fmt_pts(x), fmt_pts_float(x), "{x:e}");
        }
        assert_eq!(fmt_pts(12.5), "12.5");
        assert_eq!(fmt_pts(-0.25), "-0.25");
        assert_eq!(fmt_pts(3.0), "3");
    }
}
