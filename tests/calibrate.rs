//! `caifen calibrate`: agreement figures against reference values (scikit-learn, scipy, numpy:
//! `scripts/calibration_reference.py`), weights recovered from synthetic marks made with known
//! weights, and the command end to end on the 11 answers of the L海关 question with a marks file
//! made from their labels.
mod common;

use caifen::calibrate::{self as cal, pearson, qwk, smd, spearman};
use caifen::{Checker, Rubric};
use common::{root, stderr, stdout};
use std::path::Path;
use std::process::Output;

fn caifen_in(dir: &Path, args: &[&str]) -> Output {
    common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir, args, None)
}

/// Rows printed by `scripts/calibration_reference.py`.
const QWK: &[(&[usize], &[usize], usize, f64)] = &[
    (
        &[0, 1, 1, 2, 3, 0, 2, 1],
        &[0, 1, 2, 2, 3, 1, 2, 0],
        4,
        0.8064516129032258,
    ),
    (
        &[0, 0, 1, 1, 2, 2, 3, 3],
        &[3, 3, 2, 2, 1, 1, 0, 0],
        4,
        -1.0,
    ),
    (
        &[0, 1, 2, 3, 0, 1, 2, 3, 1, 1],
        &[0, 1, 2, 3, 0, 1, 2, 3, 1, 2],
        4,
        0.9523809523809523,
    ),
    (
        &[0, 0, 0, 1, 1, 2],
        &[0, 1, 1, 1, 2, 2],
        4,
        0.6086956521739131,
    ),
];

#[allow(clippy::type_complexity)]
const CORR: &[(&[f64], &[f64], f64, f64, f64)] = &[
    (
        &[95.0, 80.5, 72.0, 60.0, 45.5, 88.0, 66.0],
        &[90.0, 85.0, 70.0, 58.0, 50.0, 80.0, 70.0],
        0.9625646983039221,
        0.9549937104572925,
        0.03624271701628503,
    ),
    (
        &[10.0, 20.0, 20.0, 30.0, 40.0, 50.0],
        &[12.0, 18.0, 25.0, 25.0, 45.0, 41.0],
        0.923774231305348,
        0.8970588235294118,
        0.048179484917807096,
    ),
    (
        &[1.0, 2.0, 3.0, 4.0, 5.0],
        &[5.0, 6.0, 7.0, 8.0, 7.0],
        0.8320502943378436,
        0.8207826816681233,
        -2.611714500396042,
    ),
];

#[test]
fn agreement_figures_match_scikit_learn_and_scipy() {
    let mut bad = Vec::new();
    for (a, b, k, want) in QWK {
        let got = qwk(a, b, *k).unwrap();
        if (got - want).abs() > 1e-12 {
            bad.push(format!("qwk {a:?} {b:?}: {got} != {want}"));
        }
    }
    for (x, y, r, rho, d) in CORR {
        for (name, got, want) in [
            ("pearson", pearson(x, y).unwrap(), r),
            ("spearman", spearman(x, y).unwrap(), rho),
            ("smd", smd(x, y).unwrap(), d),
        ] {
            if (got - want).abs() > 1e-12 {
                bad.push(format!("{name} {x:?} {y:?}: {got} != {want}"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // Undefined figures are None, not NaN.
    assert_eq!(qwk(&[1, 1], &[1, 1], 4), None);
    assert_eq!(pearson(&[1.0, 1.0], &[2.0, 3.0]), None);
    assert_eq!(smd(&[1.0], &[2.0]), None);
}

#[test]
fn rounding_keeps_the_total() {
    let rows: &[(&[f64], f64, &[f64])] = &[
        (&[3.3, 3.3, 3.4], 10.0, &[3.5, 3.0, 3.5]),
        (&[0.1, 0.1, 9.8], 10.0, &[0.0, 0.0, 10.0]),
        (&[12.74, 6.26, 1.0], 20.0, &[12.5, 6.5, 1.0]),
    ];
    for (w, total, want) in rows {
        let got = cal::round_weights(w, *total, 0.5);
        assert_eq!(&got, want, "{w:?}");
        assert_eq!(got.iter().sum::<f64>(), *total);
    }
}

/// A small deterministic generator (xorshift), so the synthetic class is the same every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// An answer to the seed question holding the scoring points in `with`, its structure and
/// length varied by `rng`.
fn synthetic_answer(rubric: &Rubric, with: &[bool], rng: &mut Rng) -> String {
    const NUM: [&str; 8] = ["一", "二", "三", "四", "五", "六", "七", "八"];
    let mut t = String::new();
    if rng.chance(80) {
        t.push_str("山西省水利厅的经验做法\n");
    }
    if rng.chance(80) {
        t.push_str("近年来，水利厅围绕重点任务扎实工作，主要做法如下。\n");
    }
    let headings = rng.chance(75);
    let mut k = 0;
    for (p, &on) in rubric.points.iter().zip(with) {
        if !on {
            continue;
        }
        let terms: Vec<String> = p
            .groups
            .iter()
            .filter_map(|g| {
                g.terms.iter().find_map(|t| match t {
                    caifen::rubric::Term::Literal(s) => Some(s.clone()),
                    caifen::rubric::Term::Pattern(_) => None,
                })
            })
            .collect();
        let body = format!("全厅上下注重{}，工作扎实有效。", terms.join("，注重"));
        let evidence = if p.evidence.is_some() {
            "全年完成投资286亿元，办结率达98.6%。"
        } else {
            ""
        };
        if headings {
            t.push_str(&format!(
                "{}、做法{}。{body}{evidence}\n",
                NUM[k % 8],
                NUM[k % 8]
            ));
        } else {
            t.push_str(&format!("{body}{evidence}\n"));
        }
        k += 1;
    }
    for _ in 0..(rng.next() % 12) {
        t.push_str("各处室按照分工推进各项任务，定期研究解决工作中遇到的困难和问题，确保各项工作有序开展、按时完成。\n");
    }
    if rng.chance(40) {
        t.push_str("我觉得这些做法特别特别好。\n");
    }
    if rng.chance(80) {
        t.push_str("今后，水利厅将继续完善工作机制，推动各项任务落地见效。\n");
    }
    t
}

#[test]
fn the_fit_recovers_the_weights_that_made_the_marks() {
    let rubric = caifen::load_rubric(
        caifen::rubric::builtin("shanxi_zhualuoshi").unwrap(),
        "builtin:shanxi_zhualuoshi",
        "shanxi_zhualuoshi",
    )
    .unwrap();
    // The teacher's weights: 7 scoring points, then structure, length, language (sum 100).
    let truth = [14.0, 6.0, 10.0, 8.0, 12.0, 4.0, 10.0, 16.0, 10.0, 10.0];
    assert_eq!(truth.iter().sum::<f64>(), rubric.total);
    let checker = Checker::new(&rubric);
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers");
    std::fs::create_dir(&answers).unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut marks = String::from("file,score\n");
    let mut features = Vec::new();
    for i in 0..48 {
        let with: Vec<bool> = (0..rubric.points.len()).map(|_| rng.chance(55)).collect();
        let text = synthetic_answer(&rubric, &with, &mut rng);
        let name = format!("s{i:02}.txt");
        std::fs::write(answers.join(&name), &text).unwrap();
        let report = checker
            .check_bytes(&name, false, text.as_bytes(), None)
            .unwrap();
        let f = cal::features(&rubric, &report);
        let mark = cal::predict(&f, &truth);
        marks.push_str(&format!("{name},{mark:.6}\n"));
        features.push(f);
    }
    // The class varies in every feature (else a weight could not be recovered).
    for j in 0..truth.len() {
        let col: Vec<f64> = features.iter().map(|f| f[j]).collect();
        let (lo, hi) = col
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(hi - lo > 0.3, "feature {j} hardly varies: {lo}..{hi}");
    }
    std::fs::write(dir.path().join("marks.csv"), &marks).unwrap();
    let o = caifen_in(
        dir.path(),
        &[
            "calibrate",
            "--no-config",
            "--scores",
            "marks.csv",
            "answers",
            "--fit",
            "-o",
            "fitted.yaml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("α = 0，"),
        "exact marks need no shrinkage:\n{out}"
    );
    let fitted_text = std::fs::read_to_string(dir.path().join("fitted.yaml")).unwrap();
    let fitted = caifen::load_rubric(&fitted_text, "fitted.yaml", "fitted").unwrap();
    let mut got: Vec<f64> = fitted.points.iter().map(|p| p.points).collect();
    got.push(fitted.structure.points());
    got.push(fitted.length.as_ref().unwrap().points);
    got.push(fitted.language.points);
    for (j, (g, t)) in got.iter().zip(&truth).enumerate() {
        assert!(
            (g - t).abs() <= 0.5,
            "weight {j}: fitted {g}, made with {t}\n{out}"
        );
    }
    assert_eq!(fitted.total, 100.0);
    // Out of sample the fitted weights reproduce the marks.
    assert!(
        out.contains("拟合后的一致性（5 折交叉验证，样本外）"),
        "{out}"
    );
    let cv = out.split("拟合后的一致性").nth(1).unwrap();
    assert!(cv.contains("Pearson r     1.000"), "{cv}");
    // Everything else in the rubric is unchanged: same ids, terms and bands.
    assert_eq!(
        fitted
            .points
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>(),
        rubric
            .points
            .iter()
            .map(|p| p.id.clone())
            .collect::<Vec<_>>()
    );
    assert!(fitted_text.starts_with("# Fitted by `caifen calibrate --fit` to 48 marked answers"));
}

#[test]
fn calibrate_on_the_l_haiguan_answers_with_a_teachers_marks() {
    let Some(shared) = common::shared() else {
        return;
    };
    let labels = common::tsv(&shared.join("corpus/labels/q4_labels.tsv"));
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("q4");
    std::fs::create_dir(&answers).unwrap();
    // The marks file a teacher would keep: Chinese headers, scores out of 20 (the labels' totals).
    let mut marks = String::from("\u{FEFF}文件,分数\n");
    for row in &labels {
        let f = &row["file"];
        std::fs::copy(shared.join("corpus/essays").join(f), answers.join(f)).unwrap();
        marks.push_str(&format!("{f},{}\n", row["total"]));
    }
    assert_eq!(labels.len(), 11);
    std::fs::write(dir.path().join("marks.csv"), &marks).unwrap();
    let rubric = root().join("rubrics/questions/l_haiguan_q4.yaml");
    let o = caifen_in(
        dir.path(),
        &[
            "calibrate",
            "--no-config",
            "--scores",
            "marks.csv",
            "--max",
            "20",
            "--rubric",
            rubric.to_str().unwrap(),
            "q4",
            "--fit",
            "-o",
            "fitted.yaml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    println!("{out}");
    assert!(
        out.contains("教师评分：11 份，满分 20，按评分标准总分折算"),
        "{out}"
    );
    let observed = out.split("拟合（").next().unwrap();
    // caifen's own scores already rank the answers like the labels; its bands run high.
    assert!(
        observed.contains("Pearson r     0.969  要求 ≥ 0.70  ✓"),
        "{observed}"
    );
    assert!(
        observed.contains("Spearman ρ    0.961  要求 ≥ 0.70  ✓"),
        "{observed}"
    );
    assert!(
        observed.contains("SMD           0.231  要求 |SMD| ≤ 0.15  ✗"),
        "{observed}"
    );
    assert!(observed.contains("分档相邻一致  100.0%"), "{observed}");
    // The fit, out of sample, clears every bar.
    let cv = out.split("拟合后的一致性").nth(1).unwrap();
    for bar in [
        "QWK（分档）",
        "QWK（分数）",
        "Pearson r",
        "Spearman ρ",
        "SMD",
    ] {
        let line = cv.lines().find(|l| l.contains(bar)).unwrap();
        assert!(line.ends_with('✓'), "{line}");
    }
    let fitted = std::fs::read_to_string(dir.path().join("fitted.yaml")).unwrap();
    let r = caifen::load_rubric(&fitted, "fitted.yaml", "f").unwrap();
    assert_eq!(r.points.len(), 13);
    assert_eq!(r.total, 100.0);
    // Nothing written into the answer folder.
    assert_eq!(std::fs::read_dir(&answers).unwrap().count(), 11);
}

#[test]
fn marks_errors_exit_2_and_name_the_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    for n in ["x.txt", "y.txt"] {
        std::fs::copy(
            root().join("examples/essays/weak.txt"),
            dir.path().join("a").join(n),
        )
        .unwrap();
    }
    let rows: &[(&str, &str)] = &[
        (
            "name,score\nx.txt,3\n",
            "marks.csv:1: no `file` (文件) column in the header",
        ),
        (
            "file,score\nx.txt,三\n",
            "marks.csv:2: score `三` is not a number ≥ 0",
        ),
        (
            "file,score\nx.txt,3\nz.txt,4\n",
            "marks.csv:3: no checked answer is `z.txt`",
        ),
        (
            "file,score\nx.txt,3\nx.txt,4\n",
            "marks.csv:3: a/x.txt is marked twice",
        ),
        (
            "file,score,band\nx.txt,3,五类文\ny.txt,4,一类文\n",
            "marks.csv:2: band `五类文` is not one of the rubric's bands",
        ),
        (
            "file,score\nx.txt,130\ny.txt,4\n",
            "marks.csv:2: score 130 is above the full mark 100 (--max)",
        ),
        (
            "file,score\nx.txt,3\n",
            "calibration needs at least 2 marked answers, found 1",
        ),
    ];
    let mut bad = Vec::new();
    for (csv, want) in rows {
        std::fs::write(dir.path().join("marks.csv"), csv).unwrap();
        let o = caifen_in(
            dir.path(),
            &["calibrate", "--no-config", "--scores", "marks.csv", "a"],
        );
        if o.status.code() != Some(2) || !stderr(&o).contains(want) {
            bad.push(format!("{csv:?}: {:?}\n{}", o.status.code(), stderr(&o)));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n---\n"));
    // Two marks are enough for agreement figures, not for a fit (α = 0 followed them anywhere).
    std::fs::write(
        dir.path().join("marks.csv"),
        "file,score\nx.txt,3\ny.txt,4\n",
    )
    .unwrap();
    let o = caifen_in(
        dir.path(),
        &[
            "calibrate",
            "--no-config",
            "--scores",
            "marks.csv",
            "a",
            "--fit",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).starts_with("caifen: --fit needs at least 10 marked answers, 2 found"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("shanxi_zhualuoshi.fitted.yaml").exists());
    // Identical answers with identical marks: SMD and r are 0 or undefined, never `-0.000`.
    let o = caifen_in(
        dir.path(),
        &["calibrate", "--no-config", "--scores", "marks.csv", "a"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("-0.000"), "{}", stdout(&o));
}

/// The 11 L海关 answers copied into `dir/q4`.
fn l_haiguan_class(shared: &Path, dir: &Path) {
    let answers = dir.join("q4");
    std::fs::create_dir(&answers).unwrap();
    for i in 14..=24 {
        let f = format!("jingyan_{i}.txt");
        std::fs::copy(shared.join("corpus/essays").join(&f), answers.join(&f)).unwrap();
    }
}

/// A teacher's marks out of 20 (not the labels: half points that rescale to x.5 of 100).
const HALF_POINT_MARKS: &[(&str, &str, &str)] = &[
    ("jingyan_14.txt", "18", "一类文"),
    ("jingyan_15.txt", "12", "三类文"),
    ("jingyan_16.txt", "11.5", "三类文"),
    ("jingyan_17.txt", "15", "二类文"),
    ("jingyan_18.txt", "19.5", "一类文"),
    ("jingyan_19.txt", "17", "一类文"),
    ("jingyan_20.txt", "19", "一类文"),
    ("jingyan_21.txt", "18.5", "一类文"),
    ("jingyan_22.txt", "19", "一类文"),
    ("jingyan_23.txt", "16", "二类文"),
    ("jingyan_24.txt", "15", "二类文"),
];

fn calibrate_q4(dir: &Path, marks: &str) -> Output {
    caifen_in(
        dir,
        &[
            "calibrate",
            "--no-config",
            "--scores",
            marks,
            "--max",
            "20",
            "--rubric",
            "gwy_guojia_2022_Xingzhengzhifa_q4",
            "q4",
        ],
    )
}

#[test]
fn half_point_marks_bin_as_scikit_learn_does() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    l_haiguan_class(&shared, dir.path());
    let mut marks = String::from("file,score\n");
    for (f, s, _) in HALF_POINT_MARKS {
        marks.push_str(&format!("{f},{s}\n"));
    }
    std::fs::write(dir.path().join("marks.csv"), &marks).unwrap();
    let o = calibrate_q4(dir.path(), "marks.csv");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // scripts/calibration_reference.py (the L海关 rows): teacher 57.5 and 92.5 round to 58 and
    // 93 (as caifen's x.5 rounds up); 11.5 / 20 * 100 = 57.49999999999999 used to bin to 57
    // and gave 0.6999, printed `0.700 … ✗`.
    for want in [
        "分档完全一致  54.5%（11 份）",
        "QWK（分档）   0.522  要求 ≥ 0.70  ✗",
        "QWK（分数）   0.703  要求 ≥ 0.70  ✓",
        "Pearson r     0.972  要求 ≥ 0.70  ✓",
        "Spearman ρ    0.954  要求 ≥ 0.70  ✓",
        "SMD           0.661  要求 |SMD| ≤ 0.15  ✗",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
}

#[test]
fn marks_saved_by_excel_read_as_utf8_marks() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    l_haiguan_class(&shared, dir.path());
    let mut csv = String::from("文件,分数,分档\r\n");
    let mut tsv = String::from("文件\t分数\t分档\r\n");
    for (f, s, b) in HALF_POINT_MARKS {
        csv.push_str(&format!("{f},{s},{b}\r\n"));
        tsv.push_str(&format!("{f}\t{s}\t{b}\r\n"));
    }
    std::fs::write(dir.path().join("utf8.csv"), &csv).unwrap();
    let want = calibrate_q4(dir.path(), "utf8.csv");
    assert_eq!(want.status.code(), Some(0), "{}", stderr(&want));
    assert!(stdout(&want).contains("分档完全一致  54.5%（11 份）"));
    // Excel's "CSV" on Chinese Windows: GBK; its "Unicode text": UTF-16LE with BOM, tabs.
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    std::fs::write(dir.path().join("gbk.csv"), &gbk).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tsv.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.path().join("unicode.txt"), &utf16).unwrap();
    for name in ["gbk.csv", "unicode.txt"] {
        let o = calibrate_q4(dir.path(), name);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        assert_eq!(stdout(&o), stdout(&want), "{name}");
    }
    // A workbook is named as such.
    std::fs::copy(shared.join("cases/B28.docx"), dir.path().join("marks.xlsx")).unwrap();
    let o = calibrate_q4(dir.path(), "marks.xlsx");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("marks.xlsx: a spreadsheet (.xlsx/.xls), not CSV"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_rubric_saved_with_a_bom_is_fitted() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    l_haiguan_class(&shared, dir.path());
    // B07: BOM, `---`, CRLF, Chinese keys (as Windows Notepad saves it).
    std::fs::copy(shared.join("cases/B07.yaml"), dir.path().join("B07.yaml")).unwrap();
    let mut marks = String::from("file,score\n");
    for (f, s, _) in HALF_POINT_MARKS {
        marks.push_str(&format!("{f},{s}\n"));
    }
    std::fs::write(dir.path().join("marks.csv"), &marks).unwrap();
    let o = caifen_in(
        dir.path(),
        &[
            "calibrate",
            "--no-config",
            "--scores",
            "marks.csv",
            "--max",
            "20",
            "--rubric",
            "B07.yaml",
            "q4",
            "--fit",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fitted = std::fs::read_to_string(dir.path().join("B07.fitted.yaml")).unwrap();
    assert!(fitted.starts_with("# Fitted by `caifen calibrate --fit` to 11 marked answers"));
    let r = caifen::load_rubric(&fitted, "B07.fitted.yaml", "f").unwrap();
    assert_eq!(r.points.len(), 2);
    assert_eq!(r.total, 14.0);
}
