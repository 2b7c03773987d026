//! Reports: one answer's result ([`EssayReport`]) and one run's ([`RunReport`]), built from the
//! pipeline decode → segment → measure → grade. Printers in [`crate::output`] only format these.

use crate::check::{measure, Hit, LanguageFinding, Matcher, Rejected};
use crate::count::{count, Counts};
use crate::decode::{decode, DecodeError, Document};
use crate::normalize::Normalized;
use crate::rubric::Rubric;
use crate::score::{grade, PointStatus, Score};
use crate::segment::{segment_with, Segmented, Style};
use crate::span::{LineCol, LineIndex, Span};
use crate::words::Boundaries;
use serde::Serialize;

/// A string of the rubric (or a fixed label) that every answer's report repeats: shared rather
/// than copied, so that cloning it copies no text. Serialised, printed and compared as the string.
#[derive(Clone)]
pub struct Label(LabelText);

#[derive(Clone)]
enum LabelText {
    Static(&'static str),
    Shared(std::sync::Arc<str>),
    /// Made for one answer (a 小标题：… outline key): kept as it was made.
    Own(String),
}

impl Label {
    pub const fn fixed(s: &'static str) -> Self {
        Label(LabelText::Static(s))
    }

    /// A label shared by every answer: made once, cloned without copying.
    pub fn shared(s: &str) -> Self {
        Label(LabelText::Shared(s.into()))
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            LabelText::Static(s) => s,
            LabelText::Shared(s) => s,
            LabelText::Own(s) => s,
        }
    }
}

impl From<&'static str> for Label {
    fn from(s: &'static str) -> Self {
        Label::fixed(s)
    }
}

impl From<String> for Label {
    fn from(s: String) -> Self {
        Label(LabelText::Own(s))
    }
}

impl std::ops::Deref for Label {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Label {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Label {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.as_str(), f)
    }
}

impl std::fmt::Debug for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Label {
    fn eq(&self, other: &Label) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Label {}

impl std::hash::Hash for Label {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Label) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Label {
    fn cmp(&self, other: &Label) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Label {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Label {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Label> for String {
    fn eq(&self, other: &Label) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Label> for str {
    fn eq(&self, other: &Label) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Label> for &str {
    fn eq(&self, other: &Label) -> bool {
        *self == other.as_str()
    }
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The rubric's strings of one scoring point, shared by every answer's [`PointReport`].
struct PointLabels {
    id: Label,
    name: Label,
    hint: Option<Label>,
    /// Group names, the evidence rule's (佐证) last.
    groups: Vec<Label>,
}

impl PointLabels {
    fn new(p: &crate::rubric::Point) -> Self {
        PointLabels {
            id: Label::shared(&p.id),
            name: Label::shared(&p.name),
            hint: p.hint.as_deref().map(Label::shared),
            groups: p
                .groups
                .iter()
                .map(|g| Label::shared(&g.name))
                .chain([Label::fixed(EVIDENCE)])
                .collect(),
        }
    }

    /// The name of group `g` (佐证 for the evidence rule).
    fn group(&self, g: usize) -> Label {
        self.groups
            .get(g)
            .cloned()
            .unwrap_or(Label::fixed(EVIDENCE))
    }
}

/// The evidence rule's name as a group.
const EVIDENCE: &str = "佐证";

/// A located quote from the answer.
#[derive(Clone, Debug, Serialize)]
pub struct Located {
    /// Byte offsets into the decoded text.
    pub span: Span,
    /// Character offsets into the decoded text.
    pub chars: Span,
    pub start: LineCol,
    /// 1-based body paragraph (第N段), when inside the body.
    pub paragraph: Option<usize>,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct HeadingReport {
    pub level: u8,
    pub style: Style,
    pub number: u32,
    pub marker: String,
    pub nonstandard: bool,
    pub text: Located,
    /// The whole section (marker to the next heading of the same or a higher level).
    pub section: Span,
    /// Ids of the scoring points hit inside this heading's section.
    pub points: Vec<Label>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Structure {
    pub single_line: bool,
    pub title: Option<Located>,
    pub salutation: Option<Located>,
    pub opening: Option<Located>,
    pub headings: Vec<HeadingReport>,
    pub closing: Option<Located>,
    pub signature: Option<Located>,
    /// Body paragraphs; a line holding only a heading is not counted.
    pub paragraphs: usize,
    pub sentences: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct HitReport {
    pub group: Label,
    pub term: String,
    pub at: Located,
    pub across_space: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct RejectedReport {
    pub term: String,
    pub reason: crate::check::RejectReason,
    pub at: Located,
}

#[derive(Clone, Debug, Serialize)]
pub struct PointReport {
    pub id: Label,
    pub name: Label,
    pub status: PointStatus,
    pub score: f64,
    pub max: f64,
    pub groups_met: usize,
    pub groups_needed: usize,
    pub hits: Vec<HitReport>,
    pub rejected: Vec<RejectedReport>,
    /// Names of the groups with no hit (what is missing).
    pub missing_groups: Vec<Label>,
    pub hint: Option<Label>,
    /// Why the point kept at most half its points (`term-list`, `repeated-term`,
    /// `copied-material`), or null.
    pub capped: Option<crate::gaming::Gaming>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Rule id: `empty-answer`, `forbidden-phrase`, `no-terminal-punctuation`, `negated-hit`,
    /// `missing-slot`, `signature-date`, `length`, `invisible-characters`.
    pub rule: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub at: Option<Located>,
    /// Points off (0 when the finding only informs).
    pub penalty: f64,
}

/// Normalisation applied for matching, with counts.
#[derive(Clone, Debug, Serialize)]
pub struct Normalisation {
    pub invisible_removed: usize,
    pub nbsp: usize,
    pub spaces_ignored: usize,
    pub width_folded: usize,
    pub radicals_folded: usize,
    pub line_ends_normalised: usize,
    /// Damaged bytes shown as U+FFFD (a nearly valid UTF-8 file).
    pub replaced_bytes: usize,
}

/// One line of an outline (the rubric's expected one, or the answer's detected one).
#[derive(Clone, Debug, Serialize)]
pub struct OutlineLine {
    /// What aligns the two outlines: 标题, 开头, a scoring point name, 结尾 …
    pub key: Label,
    /// For the answer's lines: where it was found (heading text or quote).
    pub note: Option<String>,
}

/// The result for one answer.
#[derive(Clone, Debug, Serialize)]
pub struct EssayReport {
    /// The input as given (lossy when the path is not UTF-8).
    pub file: String,
    /// The path was not valid UTF-8 and is shown lossily.
    pub file_lossy: bool,
    /// Who wrote it, from the file name (`--name-pattern`); null without a pattern.
    pub student: Option<crate::student::Student>,
    /// Position of the file in the run's input order.
    #[serde(skip)]
    pub order: usize,
    pub encoding: &'static str,
    pub bom: bool,
    pub empty: bool,
    pub counts: Counts,
    pub normalisation: Normalisation,
    pub structure: Structure,
    pub score: Score,
    pub points: Vec<PointReport>,
    pub findings: Vec<Finding>,
    pub expected_outline: Vec<OutlineLine>,
    pub answer_outline: Vec<OutlineLine>,
    /// The comparison with the reference answer (`--reference`), or null.
    pub reference: Option<crate::reference::Comparison>,
}

/// A file that could not be checked.
#[derive(Clone, Debug, Serialize)]
pub struct InputError {
    pub file: String,
    pub file_lossy: bool,
    pub student: Option<crate::student::Student>,
    pub error: String,
    /// Position of the file in the run's input order.
    #[serde(skip)]
    pub order: usize,
}

/// A whole run: every answer and every per-file error, in input order.
#[derive(Clone, Debug, Serialize)]
pub struct RunReport {
    pub schema_version: u32,
    pub rubric: RubricInfo,
    pub answers: Vec<EssayReport>,
    pub errors: Vec<InputError>,
    /// The class summary over every file of the run.
    pub summary: crate::summary::Summary,
    /// The pass mark in points (`--min-score`), null when none was set.
    pub pass_mark: Option<f64>,
    /// The lowest passing band (`--min-band`), null when none was set.
    pub pass_band: Option<String>,
    /// The fields of `--name-pattern`, in pattern order (empty without a pattern).
    pub student_fields: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RubricInfo {
    pub id: String,
    pub title: String,
    pub origin: String,
    pub genre: Option<String>,
    pub total: f64,
    pub bands: Vec<crate::rubric::Band>,
}

impl RubricInfo {
    pub fn of(r: &Rubric) -> Self {
        RubricInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            origin: r.origin.clone(),
            genre: r.genre.clone(),
            total: r.total,
            bands: r.bands.clone(),
        }
    }
}

/// Decode an answer's bytes; a Markdown file (by its name) has its markup set aside.
pub fn read_answer(
    file: &str,
    bytes: &[u8],
    forced: Option<&'static encoding_rs::Encoding>,
) -> Result<Document, DecodeError> {
    let mut doc = decode(bytes, forced)?;
    if crate::markdown::is_markdown(file) && doc.encoding != "docx" {
        let (text, hints) = crate::markdown::prepare(&doc.text);
        doc.text = text;
        doc.hints = hints;
    }
    Ok(doc)
}

/// A rubric ready to check answers: compiled once per run, shared by reference.
pub struct Checker<'r> {
    pub rubric: &'r Rubric,
    matcher: Matcher,
    /// Per scoring point, its strings as the reports share them.
    labels: Vec<PointLabels>,
    scores: crate::score::ScoreLabels,
    /// The 给定资料, when given: copied runs cap the points they carry.
    material: Option<crate::gaming::Material>,
    /// A reference answer each answer is compared with.
    reference: Option<crate::reference::Reference>,
}

impl<'r> Checker<'r> {
    pub fn new(rubric: &'r Rubric) -> Self {
        Checker {
            rubric,
            matcher: Matcher::new(rubric),
            labels: rubric.points.iter().map(PointLabels::new).collect(),
            scores: crate::score::ScoreLabels::new(rubric),
            material: None,
            reference: None,
        }
    }

    /// Compare every answer with a reference answer too.
    pub fn with_reference(mut self, reference: crate::reference::Reference) -> Self {
        self.reference = Some(reference);
        self
    }

    /// A checker that also looks for text copied from the 给定资料 `material`.
    pub fn with_material(rubric: &'r Rubric, material: &str) -> Self {
        Checker {
            material: Some(crate::gaming::Material::new(material)),
            ..Checker::new(rubric)
        }
    }

    /// Decode and check one answer's bytes.
    pub fn check_bytes(
        &self,
        file: &str,
        file_lossy: bool,
        bytes: &[u8],
        forced: Option<&'static encoding_rs::Encoding>,
    ) -> Result<EssayReport, DecodeError> {
        let doc = read_answer(file, bytes, forced)?;
        Ok(self.check_document(file, file_lossy, &doc))
    }

    /// Check an already decoded answer.
    pub fn check_document(&self, file: &str, file_lossy: bool, doc: &Document) -> EssayReport {
        let text = doc.text.as_str();
        let norm = Normalized::new(text);
        let bounds = Boundaries::new(&norm.text);
        let seg = segment_with(text, &doc.hints);
        let counts = count(text);
        let empty = text
            .chars()
            .all(|c| c.is_whitespace() || crate::normalize::is_invisible(c));
        let mut m = measure(self.rubric, &self.matcher, text, &norm, &bounds, &seg);
        let copied = self
            .material
            .as_ref()
            .map_or_else(Vec::new, |mat| mat.copied(text));
        let at_length = crate::gaming::copied_share(text, &copied) >= crate::gaming::COPY_SHARE;
        let capping: &[Span] = if at_length { &copied } else { &[] };
        let stretches = crate::gaming::stretches(text, &seg, &m.points, &m.term_text, capping);
        crate::gaming::assess(&mut m.points, &stretches);
        let score = grade(self.rubric, &self.scores, &m, &seg, &counts, empty);
        let index = LineIndex::new(text);
        let loc = |s: Span| locate(text, &index, &seg, s);

        let points: Vec<PointReport> = self
            .labels
            .iter()
            .zip(&mut m.points)
            .zip(&score.points)
            .map(|((p, pm), ps)| {
                let gname = |g: usize| p.group(g);
                PointReport {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    status: ps.status,
                    score: ps.score,
                    max: ps.max,
                    groups_met: ps.groups_met,
                    groups_needed: ps.groups_needed,
                    // The terms move: the measure keeps only the hits' places.
                    hits: pm
                        .hits
                        .iter_mut()
                        .map(|h: &mut Hit| HitReport {
                            group: gname(h.group),
                            term: std::mem::take(&mut h.term),
                            at: loc(h.span),
                            across_space: h.across_space,
                        })
                        .collect(),
                    rejected: pm
                        .rejected
                        .iter_mut()
                        .map(|r: &mut Rejected| RejectedReport {
                            term: std::mem::take(&mut r.term),
                            reason: r.reason,
                            at: loc(r.span),
                        })
                        .collect(),
                    missing_groups: pm
                        .groups_met
                        .iter()
                        .enumerate()
                        .filter(|(_, &met)| !met)
                        .map(|(g, _)| gname(g))
                        .collect(),
                    hint: p.hint.clone(),
                    capped: pm.capped,
                }
            })
            .collect();

        let headings: Vec<crate::report::HeadingReport> = seg
            .headings
            .iter()
            .map(|h| HeadingReport {
                level: h.level,
                style: h.style,
                number: h.number,
                marker: h.marker.slice(text).to_owned(),
                nonstandard: h.nonstandard,
                text: loc(h.text),
                section: h.section,
                points: self
                    .labels
                    .iter()
                    .zip(&m.points)
                    .filter(|(_, pm)| {
                        // Hits are sorted by position: the first one at or after the section start
                        // decides whether any lies inside it.
                        let k = pm.hits.partition_point(|x| x.span.start < h.section.start);
                        pm.hits[k..]
                            .iter()
                            .take_while(|x| x.span.start < h.section.end)
                            .any(|x| h.section.contains(x.span))
                    })
                    .map(|(p, _)| p.id.clone())
                    .collect(),
            })
            .collect();

        let mut findings = findings(
            self.rubric,
            &mut m.language,
            &points,
            &score,
            &seg,
            &norm,
            empty,
            &loc,
            copied.len() + points.len() + 1,
        );
        for run in &copied {
            // Counted as the copy is measured: Han characters, letters and digits.
            let n = run
                .slice(text)
                .chars()
                .filter(|c| crate::count::is_han(*c) || c.is_alphanumeric())
                .count();
            findings.push(Finding {
                rule: "copied-material",
                severity: if at_length { "warning" } else { "info" },
                message: format!("有{n}字与给定资料一字不差：应概括、提炼，而不是照搬原文"),
                at: Some(loc(*run)),
                penalty: 0.0,
            });
        }
        for (p, ps) in points.iter().zip(&score.points) {
            let Some(kind) = p.capped else { continue };
            let lost = crate::score::round2(p.max * frac_of(p) - ps.score).max(0.0);
            findings.push(Finding {
                rule: kind.rule(),
                severity: "warning",
                message: format!(
                    "采分点「{}」的命中都在{}的文字里：该点最多得一半分，请用完整的句子写出具体做法",
                    p.name,
                    kind.describe()
                ),
                at: p.hits.first().map(|h| h.at.clone()),
                penalty: lost,
            });
        }
        findings.sort_by_key(|f| f.at.as_ref().map_or((0, 0), |a| (1, a.span.start)));
        // Damaged bytes of a nearly valid file (see `decode`), in whatever text encoding.
        if doc.replaced > 0 && doc.encoding != "docx" {
            findings.insert(
                0,
                Finding {
                    rule: "damaged-bytes",
                    severity: "warning",
                    message: format!(
                        "文件中有{}处无效的 {} 字节，已显示为 �",
                        doc.replaced, doc.encoding
                    ),
                    at: text.find('\u{FFFD}').map(|i| loc(Span::new(i, i + 3))),
                    penalty: 0.0,
                },
            );
        }
        let (expected_outline, answer_outline) =
            outlines(self.rubric, &seg, &headings, &points, text);
        let reference = self.reference.as_ref().map(|r| {
            let trimmed = |sp: Span| {
                let t = sp.slice(text);
                let start = sp.start + (t.len() - t.trim_start().len());
                Span::new(start, start + t.trim().len())
            };
            let sentences: Vec<Located> = seg
                .title
                .iter()
                .copied()
                .chain(seg.sentences.iter().map(|x| x.span))
                .map(|sp| loc(trimmed(sp)))
                .filter(|l| l.text.chars().any(crate::count::is_han))
                .collect();
            r.compare(&sentences, &points)
        });
        EssayReport {
            file: file.to_owned(),
            file_lossy,
            student: None,
            order: 0,
            encoding: doc.encoding,
            bom: doc.bom,
            empty,
            normalisation: Normalisation {
                invisible_removed: norm.invisible_removed,
                nbsp: norm.nbsp,
                spaces_ignored: norm.spaces_dropped,
                width_folded: norm.width_folded,
                radicals_folded: norm.radicals_folded,
                line_ends_normalised: doc.line_ends_normalised,
                replaced_bytes: doc.replaced,
            },
            structure: Structure {
                single_line: seg.single_line,
                title: seg.title.map(loc),
                salutation: seg.salutation.map(loc),
                opening: seg.opening.map(loc),
                headings,
                closing: seg.closing.map(loc),
                signature: seg.signature.map(loc),
                paragraphs: body_paragraphs(&seg),
                sentences: seg.sentences.len(),
            },
            counts,
            score,
            points,
            findings,
            expected_outline,
            answer_outline,
            reference,
        }
    }
}

/// Body paragraphs: a line that is only a heading (marker and headline, or the headline) is not one.
fn body_paragraphs(seg: &Segmented) -> usize {
    // The (start, end) a paragraph has when it is only a heading, sorted for binary search.
    let mut heading_lines: Vec<(usize, usize)> = seg
        .headings
        .iter()
        .flat_map(|h| [(h.text.start, h.text.end), (h.marker.start, h.text.end)])
        .collect();
    heading_lines.sort_unstable();
    seg.paragraphs
        .iter()
        .filter(|p| heading_lines.binary_search(&(p.start, p.end)).is_err())
        .count()
}

/// The share of a point its groups alone would earn (before any cap).
fn frac_of(p: &PointReport) -> f64 {
    if p.groups_needed == 0 {
        0.0
    } else {
        p.groups_met.min(p.groups_needed) as f64 / p.groups_needed as f64
    }
}

fn locate(text: &str, index: &LineIndex, seg: &Segmented, s: Span) -> Located {
    let start = index.chars_at(text, s.start);
    let quoted = s.slice(text);
    Located {
        span: s,
        // The end counted on from the start: spans are short, the text before them long.
        chars: Span::new(start, start + quoted.chars().count()),
        start: index.line_col_of(s.start, start),
        paragraph: seg.paragraph_of(s.start),
        text: quoted.to_owned(),
    }
}

#[allow(clippy::too_many_arguments)]
fn findings(
    rubric: &Rubric,
    language: &mut [LanguageFinding],
    points: &[PointReport],
    score: &Score,
    seg: &Segmented,
    norm: &Normalized,
    empty: bool,
    loc: &dyn Fn(Span) -> Located,
    extra: usize,
) -> Vec<Finding> {
    // Room for every finding made here and `extra` more.
    let rejected: usize = points.iter().map(|p| p.rejected.len()).sum();
    let mut out =
        Vec::with_capacity(2 * score.structure.len() + 2 + rejected + language.len() + extra);
    if empty {
        out.push(Finding {
            rule: "empty-answer",
            severity: "error",
            message: "空白作答：没有可评分的文字".into(),
            at: None,
            penalty: 0.0,
        });
        return out;
    }
    for s in &score.structure {
        if s.required && !s.present && s.slot != "headings" {
            let name = slot_name(s.slot);
            // Opening and closing are told apart from the body by its headings.
            let why = if matches!(s.slot, "opening" | "closing") && seg.headings.is_empty() {
                "（未识别出小标题，无法区分开头、主体与结尾）"
            } else {
                ""
            };
            out.push(Finding {
                rule: "missing-slot",
                severity: "warning",
                message: format!("缺少{name}{why}"),
                at: None,
                penalty: 0.0,
            });
        }
        if s.slot == "signature" && s.missing.contains(&"date") {
            out.push(Finding {
                rule: "signature-date",
                severity: "warning",
                message: "落款缺少日期：落款写发文单位和成文日期（如XXXX年XX月XX日）".into(),
                at: seg.signature.map(loc),
                penalty: crate::score::round2(s.max * score.form_factor - s.score),
            });
        }
        if s.slot == "headings" {
            if let (Some(n), Some(h)) = (s.count, &rubric.structure.headings) {
                let first = seg.h1().next().map(|f| f.style);
                if let (Some(ok), Some(f)) = (&h.styles, first) {
                    if !ok.contains(&f) && f != Style::Outline {
                        let names: Vec<&str> = ok.iter().map(|s| s.name()).collect();
                        out.push(Finding {
                            rule: "heading-style",
                            severity: "warning",
                            message: format!(
                                "小标题编号样式「{}」不在本题接受的样式（{}）中",
                                f.name(),
                                names.join(" ")
                            ),
                            at: None,
                            penalty: s.score,
                        });
                    }
                }
                if (n as u32) < h.min || n as u32 > h.max {
                    out.push(Finding {
                        rule: "heading-count",
                        severity: "warning",
                        message: format!(
                            "小标题{n}个，本题要求{}～{}个",
                            h.min,
                            if h.max == u32::MAX {
                                "不限".to_owned()
                            } else {
                                h.max.to_string()
                            }
                        ),
                        at: None,
                        penalty: 0.0,
                    });
                }
            }
        }
    }
    if let Some(l) = &score.length {
        if !l.within {
            out.push(Finding {
                rule: "length",
                severity: "warning",
                message: format!(
                    "字数{}（{}）不符合{}",
                    l.count,
                    crate::count::Convention::label_of(l.convention),
                    l.limit
                ),
                at: None,
                penalty: crate::score::round2(l.points - l.score),
            });
        }
    }
    for p in points {
        for r in p
            .rejected
            .iter()
            .filter(|r| r.reason == crate::check::RejectReason::Negated)
        {
            out.push(Finding {
                rule: "negated-hit",
                severity: "info",
                message: format!("「{}」前有否定词，不计入采分点「{}」", r.term, p.name),
                at: Some(r.at.clone()),
                penalty: 0.0,
            });
        }
    }
    // The messages move: the measure is not read after the report is made.
    for (f, &penalty) in language.iter_mut().zip(&score.language_deductions) {
        out.push(Finding {
            rule: f.rule,
            severity: f.severity.as_str(),
            message: std::mem::take(&mut f.message),
            at: Some(loc(f.span)),
            penalty,
        });
    }
    if norm.invisible_removed > 0 || norm.nbsp > 0 {
        out.push(Finding {
            rule: "invisible-characters",
            severity: "info",
            message: format!(
                "已移除{}个不可见格式字符；{}个不换行空格按空格处理",
                norm.invisible_removed, norm.nbsp
            ),
            at: None,
            penalty: 0.0,
        });
    }
    // Located findings in text order after the general ones.
    out.sort_by_key(|f| f.at.as_ref().map_or((0, 0), |a| (1, a.span.start)));
    out
}

pub fn slot_name(slot: &str) -> &'static str {
    match slot {
        "title" => "标题",
        "salutation" => "称谓",
        "opening" => "开头",
        "headings" => "小标题",
        "closing" => "结尾",
        "signature" => "落款",
        _ => "结构",
    }
}

/// Whether [`short_quote`] copies `c` as it stands without asking more: most characters, all
/// above U+2060 but U+FEFF, and printable ASCII. A test checks that none is invisible or a line
/// break.
fn kept_as_is(c: char) -> bool {
    (c > '\u{2060}' && c != '\u{FEFF}') || (' '..='~').contains(&c)
}

/// The length of the character at `b[i]` when its first byte alone shows that [`short_quote`]
/// copies it as it stands ([`kept_as_is`]): printable ASCII, U+3000 to U+FFFF but U+FEFF, and
/// every character of four bytes. 0 for the others, which are decoded and asked about. A test
/// checks that it agrees with `kept_as_is`.
fn kept_len(b: &[u8], i: usize) -> usize {
    match b[i] {
        b' '..=b'~' => 1,
        0xE3..=0xEE => 3,
        0xEF if !(b[i + 1] == 0xBB && b[i + 2] == 0xBF) => 3,
        0xF0.. => 4,
        _ => 0,
    }
}

/// A short one-line quote for outlines and notes: invisible characters dropped, line breaks as
/// spaces, cut at `max` characters with an ellipsis.
pub fn short_quote(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)) + 3);
    short_quote_into(&mut out, s, max);
    out
}

/// [`short_quote`] written at the end of `out`.
fn short_quote_into(out: &mut String, s: &str, max: usize) {
    // The text without invisible characters, line breaks as spaces, trimmed; cut after `max`
    // characters with 「…」. Read lazily: only the first `max` characters are copied, a stretch
    // at a time between the characters dropped or replaced, and the rest is read only up to its
    // first non-blank character (which decides whether 「…」 is due).
    use crate::normalize::is_invisible;
    let base = out.len();
    let s = s.trim_start_matches(|c: char| is_invisible(c) || c.is_whitespace());
    out.reserve(s.len().min(max.saturating_mul(4)) + 3);
    let b = s.as_bytes();
    // The start of the stretch not copied yet, and where the cut falls (if it falls).
    let mut from = 0;
    let mut cut = None;
    let mut taken = 0;
    let mut i = 0;
    while i < b.len() {
        if taken == max {
            cut = Some(i);
            break;
        }
        let n = kept_len(b, i);
        if n > 0 {
            i += n;
            taken += 1;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or_default();
        let len = c.len_utf8();
        if kept_as_is(c) {
            taken += 1;
        } else if is_invisible(c) {
            out.push_str(&s[from..i]);
            from = i + len;
        } else {
            if c == '\n' || c == '\u{2028}' {
                out.push_str(&s[from..i]);
                out.push(' ');
                from = i + len;
            }
            taken += 1;
        }
        i += len;
    }
    out.push_str(&s[from..cut.unwrap_or(s.len())]);
    if let Some(at) = cut {
        if s[at..]
            .chars()
            .any(|c| !is_invisible(c) && !c.is_whitespace())
        {
            out.push('…');
            return;
        }
    }
    let kept = out[base..].trim_end().len();
    out.truncate(base + kept);
}

/// The rubric's expected outline and the answer's detected outline, aligned on keys.
///
/// Expected: 标题, 称谓, 开头, each scoring point in rubric order, 结尾, 落款 — each slot that the
/// rubric defines (称谓 and 落款 only when required or present in the answer). Answer: its slots
/// (those the rubric defines), each scoring point placed once, in the part holding most of its
/// hits: the opening, a top-level section (its heading as the note), the body when there are no
/// headings, or the closing; a heading that carries no point shows as `小标题：…`.
fn outlines(
    rubric: &Rubric,
    seg: &Segmented,
    headings: &[HeadingReport],
    points: &[PointReport],
    text: &str,
) -> (Vec<OutlineLine>, Vec<OutlineLine>) {
    let st = &rubric.structure;
    let quote = |s: Span| short_quote(s.slice(text), 18);
    let line = |k: Label, note: Option<String>| OutlineLine { key: k, note };
    let show_sal = st
        .salutation
        .is_some_and(|s| s.required || seg.salutation.is_some());
    let show_sig = st
        .signature
        .is_some_and(|s| s.required || seg.signature.is_some());

    let mut expected = Vec::with_capacity(rubric.points.len() + 5);
    if st.title.is_some() {
        expected.push(line(Label::fixed("标题"), None));
    }
    if show_sal {
        expected.push(line(Label::fixed("称谓"), None));
    }
    if st.opening.is_some() {
        expected.push(line(Label::fixed("开头"), None));
    }
    for p in points {
        expected.push(line(p.name.clone(), None));
    }
    if st.closing.is_some() {
        expected.push(line(Label::fixed("结尾"), None));
    }
    if show_sig {
        expected.push(line(Label::fixed("落款"), None));
    }

    // The parts of the answer, in order: (span, label line, note for the points placed there).
    struct Part {
        span: Span,
        head: Option<OutlineLine>,
        note: Option<String>,
    }
    let h1 = || headings.iter().filter(|h| h.level == 1);
    let mut parts: Vec<Part> = Vec::with_capacity(h1().count() + 3);
    if let Some(o) = seg.opening {
        parts.push(Part {
            span: o,
            head: st
                .opening
                .is_some()
                .then(|| line(Label::fixed("开头"), Some(quote(o)))),
            note: Some("开头".into()),
        });
    }
    // Marker and headline, quoted together (one buffer for every heading).
    let mut joined = String::new();
    for h in h1() {
        joined.clear();
        joined.push_str(&h.marker);
        joined.push_str(&h.text.text);
        parts.push(Part {
            span: h.section,
            head: None,
            note: Some(short_quote(&joined, 24)),
        });
    }
    if h1().next().is_none() {
        let body = seg.body;
        let start = seg.opening.map_or(body.start, |o| o.end);
        let end = seg.closing.map_or(body.end, |c| c.start);
        if end > start {
            parts.push(Part {
                span: Span::new(start, end),
                head: None,
                note: Some("正文".into()),
            });
        }
    }
    if let Some(c) = seg.closing {
        parts.push(Part {
            span: c,
            head: st
                .closing
                .is_some()
                .then(|| line(Label::fixed("结尾"), Some(quote(c)))),
            note: Some("结尾".into()),
        });
    }
    let home: Vec<Option<usize>> = points
        .iter()
        .map(|p| {
            if p.status == PointStatus::Missed {
                return None;
            }
            // Parts are in text order and do not overlap: find each hit's part by binary search.
            // Hits are in text order too, so each part's hits come in one run: the part with the
            // longest run wins, the first one on a tie.
            let mut best: Option<(usize, usize)> = None;
            let mut run: Option<(usize, usize)> = None;
            for x in &p.hits {
                let k = parts.partition_point(|pt| pt.span.start <= x.at.span.start);
                if let Some(i) = k
                    .checked_sub(1)
                    .filter(|&i| parts[i].span.contains(x.at.span))
                {
                    match &mut run {
                        Some((j, n)) if *j == i => *n += 1,
                        _ => {
                            if let Some((j, n)) = run {
                                if best.is_none_or(|(_, b)| n > b) {
                                    best = Some((j, n));
                                }
                            }
                            run = Some((i, 1));
                        }
                    }
                }
            }
            if let Some((j, n)) = run {
                if best.is_none_or(|(_, b)| n > b) {
                    best = Some((j, n));
                }
            }
            best.map(|(i, _)| i)
        })
        .collect();

    // At most: title, salutation, per part its line and its heading's, each point, signature.
    let mut answer = Vec::with_capacity(2 * parts.len() + points.len() + 3);
    if st.title.is_some() {
        if let Some(t) = seg.title {
            answer.push(line(Label::fixed("标题"), Some(quote(t))));
        }
    }
    if show_sal {
        if let Some(s) = seg.salutation {
            answer.push(line(Label::fixed("称谓"), Some(quote(s))));
        }
    }
    let mut h1 = h1();
    for (i, part) in parts.iter().enumerate() {
        let is_heading = part.head.is_none()
            && part.note.as_deref() != Some("正文")
            && part.note.as_deref() != Some("开头")
            && part.note.as_deref() != Some("结尾");
        if let Some(h) = &part.head {
            answer.push(h.clone());
        }
        let mut here = points
            .iter()
            .zip(&home)
            .filter(|(_, &hm)| hm == Some(i))
            .map(|(p, _)| p)
            .peekable();
        // Parts that are headings are the top-level headings, in order.
        let heading = if is_heading { h1.next() } else { None };
        if let Some(h) = heading.filter(|_| here.peek().is_none()) {
            let mut key = String::from("小标题：");
            short_quote_into(&mut key, &h.text.text, 18);
            answer.push(line(key.into(), None));
        }
        for p in here {
            answer.push(line(p.name.clone(), part.note.clone()));
        }
    }
    if show_sig {
        if let Some(s) = seg.signature {
            answer.push(line(Label::fixed("落款"), Some(quote(s))));
        }
    }
    (expected, answer)
}

/// A file name for a terminal: control characters (escape sequences could clear or recolour the
/// screen) are shown as U+FFFD.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character `short_quote` copies without asking more is one it would keep as it
    /// stands: not invisible, not a line break.
    #[test]
    fn kept_as_is_is_kept() {
        let kept = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| kept_as_is(c))
            .inspect(|&c| {
                assert!(
                    !crate::normalize::is_invisible(c) && !matches!(c, '\n' | '\u{2028}'),
                    "{c:?}"
                )
            })
            .count();
        // All of Unicode's scalar values above U+2060 but U+FEFF, and the 95 printable ASCII.
        assert_eq!(kept, 0x10FFFF - 0x2060 - 2048 - 1 + 95);
    }

    /// A character told kept by its first byte is one `kept_as_is` keeps, and its length is its
    /// UTF-8 length.
    #[test]
    fn kept_len_is_kept_as_is() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let b = c.encode_utf8(&mut buf).as_bytes();
            let n = kept_len(b, 0);
            assert!(n == 0 || (kept_as_is(c) && n == b.len()), "{c:?}");
        }
    }

    /// The quote is the plain one whatever stands before it in the buffer.
    #[test]
    fn short_quote_into_appends() {
        for s in [
            "",
            "  ",
            "a\u{200B} b\n",
            "一二三四五六七八九十一二三四五六七八九十",
            "标题 \u{2028} ",
        ] {
            for max in [0, 1, 5, 18] {
                let mut out = String::from("小标题：");
                short_quote_into(&mut out, s, max);
                assert_eq!(out, ["小标题：", &short_quote(s, max)].concat());
            }
        }
    }
}
