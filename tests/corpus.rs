//! The shipped rubrics against the real answers of `../shared/corpus`: every answer checked
//! without error, the L海关 question rubric against the careful marking of `labels/`, and the
//! seed rubric's separation of its own examples from everything else.
mod common;

use caifen::report::{Checker, EssayReport};
use caifen::rubric::{self, Rubric};
use caifen::score::PointStatus;
use std::collections::BTreeMap;
use std::path::Path;

fn builtin(name: &str) -> Rubric {
    rubric::load(rubric::builtin(name).unwrap(), name, name).unwrap()
}

fn check_dir(checker: &Checker, dir: &Path) -> BTreeMap<String, EssayReport> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let r = checker
                .check_bytes(&name, false, &common::read(p), None)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, r)
        })
        .collect()
}

fn band_rank(r: &Rubric, band: &str) -> usize {
    r.bands.iter().position(|b| b.name == band).unwrap()
}

fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].partial_cmp(&xs[b]).unwrap());
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    pearson(&ranks(a), &ranks(b))
}

#[test]
fn spearman_matches_hand_computed_value() {
    // ranks (1,2,3,4) against (1,3,2,4): 1 - 6*2/(4*15) = 0.8
    assert!((spearman(&[10.0, 20.0, 30.0, 40.0], &[1.0, 3.0, 2.0, 4.0]) - 0.8).abs() < 1e-9);
}

#[test]
fn l_haiguan_rubric_against_careful_marking() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let r = builtin("gwy_guojia_2022_Xingzhengzhifa_q4");
    let points = common::tsv(&corpus.join("labels/q4_points.tsv"));
    let ids: Vec<&str> = points.iter().map(|p| p["id"].as_str()).collect();
    assert_eq!(
        r.points.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        ids,
        "same 13 ids in order"
    );
    // Weights in the same proportions as the labels' points.
    let scale = r.content_points()
        / points
            .iter()
            .map(|p| p["points"].parse::<f64>().unwrap())
            .sum::<f64>();
    for (p, row) in r.points.iter().zip(&points) {
        let want = row["points"].parse::<f64>().unwrap() * scale;
        assert!(
            (p.points - want).abs() < 1e-6,
            "{}: {} vs {want}",
            p.id,
            p.points
        );
    }
    let checker = Checker::new(&r);
    let essays = check_dir(&checker, &corpus.join("essays"));
    let offgenre = check_dir(&checker, &corpus.join("offgenre"));
    let labels = common::tsv(&corpus.join("labels/q4_labels.tsv"));
    assert_eq!(labels.len(), 11);

    let step = |s: PointStatus| match s {
        PointStatus::Met => 2i32,
        PointStatus::Partly => 1,
        PointStatus::Missed => 0,
    };
    let (mut exact, mut within, mut cells) = (0, 0, 0);
    let mut content = Vec::new();
    let mut labelled = Vec::new();
    let mut group_totals = Vec::new();
    let mut disagreements = Vec::new();
    for row in &labels {
        let a = &essays[&row["file"]];
        for (p, id) in a.points.iter().zip(&ids) {
            let want = match row[*id].as_str() {
                "1" => 2,
                "0.5" => 1,
                _ => 0,
            };
            let got = step(p.status);
            cells += 1;
            exact += usize::from(got == want);
            within += usize::from((got - want).abs() <= 1);
            if got != want {
                disagreements.push(format!(
                    "{} {id}: label {} got {:?}",
                    row["file"], row[*id], p.status
                ));
            }
        }
        let total: f64 = row["total"].parse().unwrap();
        content.push(a.score.dimensions[0].score);
        labelled.push(total);
        group_totals.push((
            row["file"].clone(),
            a.score.total,
            a.score.band.clone(),
            total,
        ));
    }
    let rho = spearman(&content, &labelled);
    let rest: Vec<(&String, &EssayReport)> = essays
        .iter()
        .filter(|(f, _)| !labels.iter().any(|l| &&l["file"] == f))
        .chain(offgenre.iter())
        .collect();
    let best_rest = rest.iter().map(|(_, a)| a.score.total).fold(0.0, f64::max);
    let worst_group = group_totals.iter().map(|g| g.1).fold(f64::MAX, f64::min);
    println!(
        "L海关: exact {exact}/{cells} ({:.1}%), within one step {within}/{cells} ({:.1}%)",
        exact as f64 * 100.0 / cells as f64,
        within as f64 * 100.0 / cells as f64
    );
    println!("L海关: Spearman(content, labelled total) = {rho:.3}");
    for (f, t, b, l) in &group_totals {
        println!("  {f}: total {t} {b} (labelled {l}/20)");
    }
    println!(
        "L海关: lowest of the 11 = {worst_group}, highest of the other {} = {best_rest}",
        rest.len()
    );
    for d in &disagreements {
        println!("  {d}");
    }
    assert!(exact * 100 >= cells * 80, "exact agreement {exact}/{cells}");
    assert!(
        within * 100 >= cells * 95,
        "within-one agreement {within}/{cells}"
    );
    assert!(rho >= 0.8, "Spearman {rho}");
    let second = band_rank(&r, "二类文");
    for (f, _, b, l) in &group_totals {
        if *l >= 16.0 {
            assert!(band_rank(&r, b) <= second, "{f} (labelled {l}) is {b}");
        }
    }
    assert_eq!(group_totals.iter().filter(|g| g.3 >= 16.0).count(), 9);
    let third = band_rank(&r, "三类文");
    for (f, a) in &rest {
        assert!(
            band_rank(&r, &a.score.band) >= third,
            "{f} is {} under the L海关 rubric",
            a.score.band
        );
    }
    assert!(
        worst_group - best_rest >= 0.2 * r.total,
        "gap {worst_group} - {best_rest} < 20% of {}",
        r.total
    );
}

#[test]
fn seed_rubric_separates_examples_from_the_corpus() {
    let r = builtin(rubric::DEFAULT_RUBRIC);
    let checker = Checker::new(&r);
    let examples = check_dir(
        &checker,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essays"),
    );
    let strong = &examples["strong.txt"];
    let weak = &examples["weak.txt"];
    println!(
        "seed: strong {} {}, weak {} {}",
        strong.score.total, strong.score.band, weak.score.total, weak.score.band
    );
    assert_eq!(strong.score.band, "一类文");
    assert!(band_rank(&r, &weak.score.band) >= band_rank(&r, &strong.score.band) + 2);
    let Some(shared) = common::shared() else {
        return;
    };
    let third = band_rank(&r, "三类文");
    for dir in ["essays", "offgenre"] {
        let all = check_dir(&checker, &shared.join("corpus").join(dir));
        let best = all.values().map(|a| a.score.total).fold(0.0, f64::max);
        println!("seed: best of corpus/{dir} = {best}");
        for (f, a) in &all {
            assert!(
                band_rank(&r, &a.score.band) >= third,
                "{dir}/{f} is {} ({}) under the seed rubric",
                a.score.band,
                a.score.total
            );
        }
    }
}

#[test]
fn every_corpus_answer_checks_under_every_shipped_rubric() {
    let Some(shared) = common::shared() else {
        return;
    };
    for (name, _) in rubric::BUILTIN {
        let r = builtin(name);
        let checker = Checker::new(&r);
        let essays = check_dir(&checker, &shared.join("corpus/essays"));
        assert_eq!(essays.len(), 49, "{name}");
        let off = check_dir(&checker, &shared.join("corpus/offgenre"));
        assert_eq!(off.len(), 30, "{name}");
        for (f, a) in essays.iter().chain(off.iter()) {
            assert!(!a.empty, "{f}");
            assert!(
                a.score.total >= 0.0 && a.score.total <= r.total,
                "{f}: {}",
                a.score.total
            );
        }
    }
}

/// The measurement behind the choice in `src/words.rs`: rubric terms are not added to the jieba
/// dictionary. Counted over the labelled evidence of the 11 L海关 answers: occurrences of a
/// point's terms inside that point's evidence quote that pass the boundary rule.
#[test]
fn dictionary_choice() {
    use caifen::check::literal_hits;
    use caifen::normalize::Normalized;
    use caifen::words::Boundaries;
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let r = builtin("gwy_guojia_2022_Xingzhengzhifa_q4");
    let mut augmented = jieba_rs::Jieba::new();
    let literals = |p: &rubric::Point| -> Vec<String> {
        p.groups
            .iter()
            .flat_map(|g| g.terms.iter())
            .filter_map(|t| match t {
                rubric::Term::Literal(s) => Some(s.clone()),
                rubric::Term::Pattern(_) => None,
            })
            .collect()
    };
    for p in &r.points {
        for t in literals(p) {
            augmented.add_word(&t, None, None);
        }
    }
    let (mut plain_hits, mut added_hits) = (0, 0);
    for row in common::tsv(&corpus.join("labels/q4_evidence.tsv")) {
        let text = caifen::decode::decode(
            &common::read(&corpus.join("essays").join(&row["file"])),
            None,
        )
        .unwrap()
        .text;
        let norm = Normalized::new(&text);
        let plain = Boundaries::new(&norm.text);
        let added = Boundaries::with(&augmented, &norm.text);
        let point = r.points.iter().find(|p| p.id == row["point_id"]).unwrap();
        for fragment in row["quote"].split(" … ") {
            let frag = Normalized::new(fragment).text;
            for (at, _) in norm.text.match_indices(frag.as_str()) {
                let region = (at, at + frag.len());
                for t in literals(point) {
                    let inside = |v: Vec<(usize, usize)>| {
                        v.iter()
                            .filter(|&&(s, e)| s >= region.0 && e <= region.1)
                            .count()
                    };
                    plain_hits += inside(literal_hits(&norm.text, &plain, &t));
                    added_hits += inside(literal_hits(&norm.text, &added, &t));
                }
            }
        }
    }
    println!(
        "true hits kept: default dictionary {plain_hits}, with rubric terms added {added_hits}"
    );
    assert!(
        plain_hits >= added_hits,
        "adding the terms keeps more true hits: revisit src/words.rs"
    );
}
