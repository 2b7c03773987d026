//! Dev aid: mean cost per answer of jieba `cut` and of the whole check over a folder of answers.
//! `cargo run --release --example perf_probe -- DIR [RUBRIC]`
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("DIR");
    let rubric = caifen::rubric::load(
        caifen::rubric::builtin("shanxi_zhualuoshi").unwrap(),
        "builtin",
        "default",
    )
    .unwrap();
    let checker = caifen::Checker::new(&rubric);
    let j = caifen::words::jieba();
    let mut docs = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let b = std::fs::read(&p).unwrap();
        if let Ok(d) = caifen::decode::decode(&b, None) {
            docs.push(d);
        }
    }
    let reps = 20;
    let t = Instant::now();
    for _ in 0..reps {
        for d in &docs {
            std::hint::black_box(j.cut(&d.text, true).len());
        }
    }
    let cut = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..reps {
        for d in &docs {
            std::hint::black_box(checker.check_document("a.txt", false, d));
        }
    }
    let full = t.elapsed().as_secs_f64();
    let n = (reps * docs.len()) as f64;
    println!(
        "{} answers: cut {:.1} µs, check {:.1} µs, ratio {:.2}",
        docs.len(),
        cut / n * 1e6,
        full / n * 1e6,
        full / cut
    );
}
