//! Structure detection against the careful human labels of `../shared/corpus/LABELS.tsv`.
mod common;

use caifen::decode::decode;
use caifen::segment::segment;

fn norm_title(s: &str) -> String {
    s.trim().trim_end_matches(['：', ':']).to_owned()
}

#[test]
fn structure_agrees_with_labels() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let rows = common::tsv(&corpus.join("LABELS.tsv"));
    assert_eq!(rows.len(), 49);
    let cols = [
        "single_line",
        "title",
        "salutation",
        "h1_count",
        "h1_style",
        "h2_count",
        "h2_style",
        "opening",
        "closing",
        "signature",
    ];
    let mut agree = vec![0usize; cols.len()];
    let mut misses: Vec<String> = Vec::new();
    for row in &rows {
        let doc = decode(&common::read(&corpus.join(&row["file"])), None).unwrap();
        let t = doc.text.as_str();
        let seg = segment(t);
        let yn = |b: bool| if b { "y" } else { "n" }.to_owned();
        let style = |lvl: u8| {
            seg.headings
                .iter()
                .find(|h| h.level == lvl)
                .map_or("none".to_owned(), |h| h.style.label().to_owned())
        };
        let got = [
            yn(seg.single_line),
            seg.title.map_or(String::new(), |s| norm_title(s.slice(t))),
            seg.salutation
                .map_or(String::new(), |s| norm_title(s.slice(t))),
            seg.h1().count().to_string(),
            style(1),
            seg.h2().count().to_string(),
            style(2),
            yn(seg.opening.is_some()),
            yn(seg.closing.is_some()),
            yn(seg.signature.is_some()),
        ];
        for (i, c) in cols.iter().enumerate() {
            let want = norm_title(&row[*c]);
            if got[i] == want {
                agree[i] += 1;
            } else {
                misses.push(format!(
                    "{} {c}: want {want:?} got {:?}",
                    row["file"], got[i]
                ));
            }
        }
    }
    let n = rows.len();
    for (i, c) in cols.iter().enumerate() {
        println!(
            "{c:12} {:3}/{n} {:5.1}%",
            agree[i],
            agree[i] as f64 * 100.0 / n as f64
        );
    }
    let total: usize = agree.iter().sum();
    let pct = total as f64 * 100.0 / (n * cols.len()) as f64;
    println!("overall      {total}/{} {pct:.1}%", n * cols.len());
    for m in &misses {
        println!("  {m}");
    }
    assert!(pct >= 90.0, "structure agreement {pct:.1}% < 90%");
}
