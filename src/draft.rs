//! `caifen rubric draft`: a question rubric proposed from the question, its 给定资料 and reference
//! answers, for a teacher to edit.
//!
//! - The length rule comes from the question's 要求 ([`crate::question`]).
//! - Candidate terms are the TF-IDF keywords (jieba-rs, its IDF table) of the reference answers
//!   (or of the material when there are none), nouns and verbs of two characters or more, specific
//!   enough to tell one question from another (IDF ≥ [`MIN_IDF`]; common 公文 words left out).
//! - A term is kept when it recurs: in at least half of the references (at least two) — or, with
//!   no references, at least twice in the material. Terms that also occur in the material are
//!   weighed up (an answer is marked on what the material supports).
//! - Terms are grouped into scoring points by the material paragraph holding most of their
//!   occurrences (each paragraph of the material is usually one measure or one result); with no
//!   material, by how often they share the references' sentences, merged by average linkage into
//!   groups of at most [`MAX_GROUP`] terms ([`cooccurrence_groups`]). Each term is a group of its
//!   own, and a point needs two of its groups for full credit (one gives half).
//! - Points share 60 by strength, length takes 10; structure and language come from the shipped
//!   genre rubric the draft extends (or a structure block and 10 for language when none fits).
//!
//! Every term carries a YAML comment saying where it came from.

use crate::question::Question;
use jieba_rs::{KeywordExtract, TfIdf};
use std::collections::{BTreeMap, BTreeSet};

/// Genres recognised in a question's task, longest first.
const GENRES: &[&str] = &[
    "情况介绍提纲",
    "经验交流材料提纲",
    "经验交流材料",
    "典型案例",
    "推荐材料",
    "经验材料",
    "汇报提纲",
    "发言提纲",
    "发言稿",
    "讲话稿",
    "倡议书",
    "公开信",
    "告知书",
    "建议书",
    "工作方案",
    "宣传稿",
    "简报",
    "提纲",
];

/// The genre named in the task, if any.
pub fn genre_of(task: &str) -> Option<&'static str> {
    let t: String = task.chars().filter(|c| !c.is_whitespace()).collect();
    GENRES.iter().copied().find(|g| t.contains(g))
}

/// A reference answer or the material, by name.
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// One kept term and where it came from.
#[derive(Clone, Debug)]
pub struct DraftTerm {
    pub term: String,
    /// References holding it.
    pub references: usize,
    /// Occurrences in the material.
    pub in_material: usize,
    /// 1-based material paragraph it was grouped by (0: none).
    pub paragraph: usize,
    pub weight: f64,
}

/// A proposed scoring point.
#[derive(Clone, Debug)]
pub struct DraftPoint {
    pub name: String,
    pub terms: Vec<DraftTerm>,
    pub points: f64,
}

/// Words of every 公文 whatever the question: they tell no answer from another.
const COMMON: &[&str] = &[
    "工作",
    "发展",
    "加强",
    "提升",
    "提供",
    "推进",
    "开展",
    "进行",
    "实现",
    "推动",
    "强化",
    "促进",
    "做好",
    "建立",
    "完善",
    "落实",
    "坚持",
    "相关",
    "有关",
    "问题",
    "情况",
    "方面",
    "全面",
    "积极",
    "不断",
    "有效",
    "进一步",
    "重要",
    "主要",
    "通过",
    "形成",
    "保障",
    "确保",
    "经验",
    "做法",
];

/// The least IDF (jieba's table) of a kept term: below it are words common to any text, such as
/// 服务 5.3, 企业 4.2, 技术 4.7, 措施 5.5; above it 平台 6.2, 检疫 8.7, 通关 10.0.
pub const MIN_IDF: f64 = 6.0;

/// The material's paragraphs (source and title lines of transcriptions left out).
fn paragraphs(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| l.chars().filter(|c| crate::count::is_han(*c)).count() >= 8)
        .filter(|l| !l.starts_with("——") && !l.contains("来源：") && !l.contains("来源:"))
        .collect()
}

fn sentences(text: &str) -> Vec<&str> {
    text.split(['。', '！', '？', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The most terms a point drafted without material holds: a teacher's 采分点 names a few related
/// terms (the L海关 material's paragraphs hold 4 to 9 of its drafted terms).
pub const MAX_GROUP: usize = 8;

/// The least mean likeness of two groups of terms (over their pairs of terms: the cosine of the
/// sets of reference sentences each term occurs in) for them to be merged when there is no
/// material. Terms that share half the sentences of each (2 of 4 and 2 of 4) are 0.5 alike.
pub const MIN_LINK: f64 = 0.3;

/// Terms grouped by the references' sentences they share, when there is no material to group
/// them by. Average linkage: each step merges the two groups whose pairs of terms are most alike
/// on average, while that mean is at least [`MIN_LINK`] and the merged group holds at most
/// [`MAX_GROUP`] terms. Single linkage (any pair of terms sharing two sentences joins their groups)
/// chained 42 of the 45 L海关 terms into one point of 54 of the 60 points, met by any two of them;
/// the mean over all pairs of two groups does not chain, and the cap keeps a point to a few terms. Returns the groups as indices into `kept`
/// (sorted), keyed by their first (strongest) term's index + 1, so points come strongest first.
fn cooccurrence_groups(kept: &[DraftTerm], references: &[Source]) -> BTreeMap<usize, Vec<usize>> {
    let sents: Vec<&str> = references.iter().flat_map(|r| sentences(r.text)).collect();
    let occ: Vec<BTreeSet<usize>> = kept
        .iter()
        .map(|t| {
            sents
                .iter()
                .enumerate()
                .filter(|(_, s)| s.contains(t.term.as_str()))
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let n = kept.len();
    let mut sim = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            let (a, b) = (occ[i].len(), occ[j].len());
            if i != j && a > 0 && b > 0 {
                let both = occ[i].intersection(&occ[j]).count();
                sim[i][j] = both as f64 / ((a * b) as f64).sqrt();
            }
        }
    }
    let mut clusters: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    loop {
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..clusters.len() {
            for b in a + 1..clusters.len() {
                if clusters[a].len() + clusters[b].len() > MAX_GROUP {
                    continue;
                }
                let total: f64 = clusters[a]
                    .iter()
                    .flat_map(|&i| clusters[b].iter().map(move |&j| (i, j)))
                    .map(|(i, j)| sim[i][j])
                    .sum();
                let mean = total / (clusters[a].len() * clusters[b].len()) as f64;
                if mean >= MIN_LINK && best.is_none_or(|(m, _, _)| mean > m) {
                    best = Some((mean, a, b));
                }
            }
        }
        let Some((_, a, b)) = best else { break };
        let moved = clusters.remove(b);
        clusters[a].extend(moved);
        clusters[a].sort_unstable();
    }
    clusters.into_iter().map(|c| (c[0] + 1, c)).collect()
}

/// Propose scoring points. `material` may be empty; `references` may be empty (not both).
pub fn propose(material: &str, references: &[Source]) -> Vec<DraftPoint> {
    // Transcribed papers write radicals for some characters (河⻄, 部⻔): fold them as matching
    // does, or a term the material uses (河西) is counted as absent from it.
    let material: String = material.chars().map(crate::normalize::fold_char).collect();
    let material = material.as_str();
    let jieba = crate::words::jieba();
    let extractor = TfIdf::default();
    let pos: Vec<String> = ["n", "vn", "v", "nz", "nt", "ns", "l", "i", "an"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let corpus: String = if references.is_empty() {
        material.to_owned()
    } else {
        references
            .iter()
            .map(|r| r.text)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let k = references.len();
    let need = if k == 0 {
        0
    } else {
        2.max(k.div_ceil(2)).min(k)
    };
    let mut kept: Vec<DraftTerm> = Vec::new();
    for kw in extractor.extract_keywords(jieba, &corpus, 80, pos) {
        let term = kw.keyword;
        if term.chars().count() < 2
            || term.chars().any(|c| c.is_ascii_digit())
            || COMMON.contains(&term.as_str())
        {
            continue;
        }
        // Specific enough to tell this question's answers from others': the term's IDF in
        // jieba's table (the TF-IDF weight of the term alone) is at least MIN_IDF.
        let idf = extractor
            .extract_keywords(jieba, &term, 1, vec![])
            .first()
            .filter(|k| k.keyword == term)
            .map_or(f64::INFINITY, |k| k.weight);
        if idf < MIN_IDF {
            continue;
        }
        let refs = references.iter().filter(|r| r.text.contains(&term)).count();
        let in_material = count(material, &term);
        let recurs = if k == 0 {
            in_material >= 2
        } else {
            refs >= need
        };
        if !recurs {
            continue;
        }
        let share = if k == 0 { 1.0 } else { refs as f64 / k as f64 };
        let ground = if in_material > 0 { 1.5 } else { 1.0 };
        kept.push(DraftTerm {
            term,
            references: refs,
            in_material,
            paragraph: 0,
            weight: kw.weight * share * ground,
        });
    }
    // A term inside a longer kept term (检疫 in 检疫监管) adds nothing of its own where the longer
    // one stands; keep both only when the shorter also stands alone.
    kept.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    kept.truncate(45);

    let paras = paragraphs(material);
    let mut groups: BTreeMap<usize, Vec<DraftTerm>> = BTreeMap::new();
    if !paras.is_empty() {
        for mut t in kept {
            let best = paras
                .iter()
                .enumerate()
                .map(|(i, p)| (count(p, &t.term), i))
                .filter(|(c, _)| *c > 0)
                .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            // Terms the material never uses gather in one point of their own (key 0).
            let key = best.map_or(0, |(_, i)| i + 1);
            t.paragraph = key;
            groups.entry(key).or_default().push(t);
        }
    } else {
        for (key, members) in cooccurrence_groups(&kept, references) {
            for i in members {
                groups.entry(key).or_default().push(kept[i].clone());
            }
        }
    }
    let mut points: Vec<DraftPoint> = groups
        .into_iter()
        .map(|(key, mut terms)| {
            terms.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
            let name = if key > 0 && !paras.is_empty() {
                let p = paras[key - 1];
                let head: String = p
                    .split(['。', '；', '，', ','])
                    .find(|s| s.chars().count() >= 4)
                    .unwrap_or(p)
                    .chars()
                    .take(18)
                    .collect();
                format!("资料第{key}段：{head}")
            } else {
                let names: Vec<&str> = terms.iter().take(3).map(|t| t.term.as_str()).collect();
                names.join("、")
            };
            DraftPoint {
                name,
                terms,
                points: 0.0,
            }
        })
        .collect();
    // The weight of a point: its best terms' weights (a point is as strong as what recurs in it).
    let strength = |p: &DraftPoint| p.terms.iter().take(3).map(|t| t.weight).sum::<f64>();
    let total: f64 = points.iter().map(strength).sum();
    if total > 0.0 {
        let raw: Vec<f64> = points.iter().map(|p| 60.0 * strength(p) / total).collect();
        let rounded = crate::calibrate::round_weights(&raw, 60.0, 0.5);
        for (p, v) in points.iter_mut().zip(rounded) {
            p.points = v;
        }
    }
    points.retain(|p| p.points > 0.0);
    // A point of zero after rounding gave its share away; make the rest add up to 60 again.
    let sum: f64 = points.iter().map(|p| p.points).sum();
    if sum > 0.0 && (sum - 60.0).abs() > 1e-9 {
        let raw: Vec<f64> = points.iter().map(|p| p.points * 60.0 / sum).collect();
        for (p, v) in points
            .iter_mut()
            .zip(crate::calibrate::round_weights(&raw, 60.0, 0.5))
        {
            p.points = v;
        }
    }
    points
}

/// The drafted rubric as YAML with comments.
pub fn to_yaml(
    q: &Question,
    id: &str,
    genre: &str,
    question_file: &str,
    material_name: Option<&str>,
    references: &[&str],
    points: &[DraftPoint],
) -> String {
    use crate::scaffold::{genre_yaml, head_yaml, length_yaml, yaml_str};
    let mut y = String::new();
    y.push_str(&format!(
        "# Drafted by `caifen rubric draft` from {question_file}{}{}.\n# Review every scoring point: rename it, merge or split points, add synonyms to the groups,\n# and check the points against the question's marking before using it.\n",
        material_name.map_or_else(String::new, |m| format!(", the material in {m}")),
        if references.is_empty() {
            String::new()
        } else {
            format!(" and {} reference answers ({})", references.len(), references.join(", "))
        }
    ));
    y.push_str(&head_yaml(q, id, genre));
    y.push_str(&format!(
        "source: {}\n",
        yaml_str(&format!("caifen rubric draft: {question_file}"))
    ));
    y.push_str(&length_yaml(q.length));
    y.push_str(&genre_yaml(genre));
    y.push_str("points:\n");
    for (i, p) in points.iter().enumerate() {
        y.push_str(&format!("  - id: d{}\n", i + 1));
        y.push_str(&format!("    name: {}\n", yaml_str(&p.name)));
        y.push_str(&format!(
            "    points: {}\n",
            crate::rubric::fmt_pts(p.points)
        ));
        y.push_str(&format!("    min_groups: {}\n", p.terms.len().min(2)));
        y.push_str("    groups:\n");
        let mut seen = BTreeSet::new();
        for t in &p.terms {
            if !seen.insert(t.term.clone()) {
                continue;
            }
            let mut from = Vec::new();
            if !references.is_empty() {
                from.push(format!("{}/{} 份参考答案", t.references, references.len()));
            }
            if t.in_material > 0 {
                from.push(format!("资料中{}次", t.in_material));
            } else if material_name.is_some() {
                from.push("资料中没有".to_owned());
            }
            y.push_str(&format!(
                "      - {{name: {n}, terms: [{n}]}}   # {}\n",
                from.join("，"),
                n = yaml_str(&t.term)
            ));
        }
    }
    if crate::rubric::builtin_genre(genre).is_none() {
        y.push_str("language:\n  points: 10\n");
    }
    y
}
