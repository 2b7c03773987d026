//! Per-stage costs of checking one answer, against jieba-rs `cut` of the same text (the floor).
//! Inputs: the shipped examples and, when `../shared` is present, a 1 000-character corpus answer.

use caifen::check::{measure, Matcher};
use caifen::normalize::Normalized;
use caifen::report::Checker;
use caifen::words::{jieba, Boundaries};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// The allocator of the `caifen` binary (mimalloc: a check allocates many small strings; about 10%
/// faster than the system allocator in `examples/perf_probe`), used here too so that the floor
/// and caifen are measured alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = vec![(
        "strong".to_owned(),
        std::fs::read(root.join("examples/essays/strong.txt")).unwrap(),
    )];
    let shared = std::env::var_os("CAIFEN_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"));
    if let Ok(b) = std::fs::read(shared.join("corpus/essays/changyi_gov_02.txt")) {
        v.push(("changyi_gov_02".to_owned(), b));
    }
    // A long answer (the strong example 50 times, ~40 000 cells): the per-answer cost must stay
    // linear in the length.
    let long = v[0].1.repeat(50);
    v.push(("strong_x50".to_owned(), long));
    v
}

fn stages(c: &mut Criterion) {
    let rubric = caifen::rubric::load(
        caifen::rubric::builtin(caifen::rubric::DEFAULT_RUBRIC).unwrap(),
        "builtin",
        "default",
    )
    .unwrap();
    let checker = Checker::new(&rubric);
    let matcher = Matcher::new(&rubric);
    let _ = jieba();
    for (name, bytes) in inputs() {
        let doc = caifen::decode::decode(&bytes, None).unwrap();
        let text = doc.text.as_str();
        let norm = Normalized::new(text);
        let bounds = Boundaries::new(&norm.text);
        let seg = caifen::segment::segment(text);
        let mut g = c.benchmark_group(name);
        g.bench_function("jieba_cut_floor", |b| {
            b.iter(|| jieba().cut(black_box(text), true).len())
        });
        g.bench_function("decode", |b| {
            b.iter(|| caifen::decode::decode(black_box(&bytes), None).unwrap())
        });
        g.bench_function("normalise", |b| b.iter(|| Normalized::new(black_box(text))));
        g.bench_function("boundaries", |b| {
            b.iter(|| Boundaries::new(black_box(&norm.text)))
        });
        g.bench_function("segment", |b| {
            b.iter(|| caifen::segment::segment(black_box(text)))
        });
        g.bench_function("count", |b| {
            b.iter(|| caifen::count::count(black_box(text)))
        });
        g.bench_function("measure", |b| {
            b.iter(|| measure(&rubric, &matcher, text, &norm, &bounds, &seg))
        });
        g.bench_function("whole_check", |b| {
            b.iter(|| {
                checker
                    .check_bytes("x", false, black_box(&bytes), None)
                    .unwrap()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
