//! Dev aid: cost per answer (fastest of REPS passes) of jieba `cut` and of the whole check (from
//! the file's bytes: decoding included) over a folder of answers.
//! `cargo run --release --example perf_probe -- DIR [RUBRIC]`
use std::time::Instant;

/// The allocator of the `caifen` binary (mimalloc: a check allocates many small strings; about 10%
/// faster than the system allocator in `examples/perf_probe`), used here too so that the floor
/// and caifen are measured alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // The files' bytes: the check starts from them (decoding is part of the pipeline).
    let mut raw = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let b = std::fs::read(&p).unwrap();
        if let Ok(d) = caifen::decode::decode(&b, None) {
            docs.push(d);
            raw.push(b);
        }
    }
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    if std::env::var_os("STAGES").is_some() {
        stages(&docs, &rubric, reps);
        return;
    }
    // `THREADS=k`: k threads check the same answers at once, each reporting its fastest pass
    // (compare with THREADS=1 and with k processes: what two threads of one process share).
    if let Some(k) = std::env::var("THREADS")
        .ok()
        .and_then(|t| t.parse::<usize>().ok())
    {
        let per: Vec<f64> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..k)
                .map(|_| {
                    s.spawn(|| {
                        let mut best = f64::MAX;
                        for _ in 0..reps {
                            let t = Instant::now();
                            for b in &raw {
                                std::hint::black_box(
                                    checker.check_bytes("a.txt", false, b, None).ok(),
                                );
                            }
                            best = best.min(t.elapsed().as_secs_f64());
                        }
                        best / raw.len() as f64 * 1e6
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        println!("{k} threads: check µs per answer {per:.1?}");
        return;
    }
    // Each repetition times BLOCK (default 5) cut passes over all answers, then BLOCK check
    // passes; the fastest pass of each is reported (this machine is shared and noisy: a burst of
    // load slows some passes, never speeds one up). Passes of one kind run back to back, as in a
    // pipeline that only cuts or only checks: after a check pass, the first cut pass runs with
    // the check's data in the caches and was up to a fifth slower (with one pass of each
    // alternated, `cut` never reached the speed it has alone).
    // `ONLY=cut` or `ONLY=check` runs one of the two (for `perf stat` of one side).
    let only = std::env::var("ONLY").unwrap_or_default();
    let block: usize = std::env::var("BLOCK")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let mut cut = f64::MAX;
    let mut full = f64::MAX;
    for _ in 0..reps.div_ceil(block) {
        for _ in 0..block {
            if only != "check" {
                let t = Instant::now();
                for d in &docs {
                    std::hint::black_box(j.cut(&d.text, true).len());
                }
                cut = cut.min(t.elapsed().as_secs_f64());
            }
        }
        for _ in 0..block {
            if only != "cut" {
                let t = Instant::now();
                for b in &raw {
                    std::hint::black_box(checker.check_bytes("a.txt", false, b, None).ok());
                }
                full = full.min(t.elapsed().as_secs_f64());
            }
        }
    }
    let n = docs.len() as f64;
    println!(
        "{} answers: cut {:.1} µs, check {:.1} µs, ratio {:.2}",
        docs.len(),
        cut / n * 1e6,
        full / n * 1e6,
        full / cut
    );
}

/// `STAGES=1`: the mean cost of each stage of the check, in µs per answer.
pub fn stages(docs: &[caifen::decode::Document], rubric: &caifen::rubric::Rubric, reps: usize) {
    use caifen::check::{measure, Matcher};
    use caifen::normalize::Normalized;
    use caifen::words::Boundaries;
    let matcher = Matcher::new(rubric);
    let n = (reps * docs.len()) as f64;
    let time = |name: &str, f: &dyn Fn(&caifen::decode::Document)| {
        let t = Instant::now();
        for _ in 0..reps {
            for d in docs {
                f(d);
            }
        }
        println!("{name:>12}: {:7.1} µs", t.elapsed().as_secs_f64() / n * 1e6);
    };
    let j = caifen::words::jieba();
    time("cut", &|d| {
        std::hint::black_box(j.cut(&d.text, true).len());
    });
    time("normalise", &|d| {
        std::hint::black_box(Normalized::new(&d.text));
    });
    time("boundaries", &|d| {
        let norm = Normalized::new(&d.text);
        std::hint::black_box(Boundaries::new(&norm.text));
    });
    time("segment", &|d| {
        std::hint::black_box(caifen::segment::segment_with(&d.text, &d.hints));
    });
    time("count", &|d| {
        std::hint::black_box(caifen::count::count(&d.text));
    });
    let pre: Vec<_> = docs
        .iter()
        .map(|d| {
            let norm = Normalized::new(&d.text);
            let b = Boundaries::new(&norm.text);
            let seg = caifen::segment::segment_with(&d.text, &d.hints);
            let marks = matcher.marks(&norm.text);
            (norm, b, seg, marks)
        })
        .collect();
    // The stages that start from a normalised, segmented answer, timed alike.
    let time_pre = |name: &str, f: &dyn Fn(&caifen::lang::Input)| {
        let t = Instant::now();
        for _ in 0..reps {
            for (d, (norm, b, seg, marks)) in docs.iter().zip(&pre) {
                f(&caifen::lang::Input {
                    text: &d.text,
                    norm,
                    bounds: b,
                    seg,
                    lexicon: matcher.lexicon(),
                    marks,
                });
            }
        }
        println!("{name:>12}: {:7.1} µs", t.elapsed().as_secs_f64() / n * 1e6);
    };
    time_pre("measure", &|i| {
        std::hint::black_box(measure(rubric, &matcher, i.text, i.norm, i.bounds, i.seg));
    });
    time_pre("lang", &|i| {
        std::hint::black_box(caifen::lang::run(i, &rubric.language.rules));
    });
    let rules = &rubric.language.rules;
    let family = |i: &caifen::lang::Input,
                  f: &dyn Fn(&caifen::lang::Input, &mut caifen::lang::Sink)| {
        let mut sink = caifen::lang::Sink::new(rules, i.text);
        f(i, &mut sink);
        std::hint::black_box(sink.findings.len());
    };
    time_pre("punct", &|i| family(i, &caifen::lang::punct::check));
    time_pre("numbers", &|i| family(i, &caifen::lang::numbers::check));
    time_pre("headings", &|i| family(i, &caifen::lang::headings::check));
    time_pre("register", &|i| {
        family(i, &|i, sink| caifen::lang::register::check(i, rules, sink))
    });
    time("line_index", &|d| {
        std::hint::black_box(caifen::span::LineIndex::new(&d.text));
    });
}
