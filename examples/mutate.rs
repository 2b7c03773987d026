//! Development aid: check mutated corpus answers in-process and report any panic.
//! `cargo run --release --example mutate -- SECONDS FILE...`
use std::panic;
fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(30);
    let files: Vec<Vec<u8>> = args.map(|f| std::fs::read(f).unwrap()).collect();
    let r = caifen::rubric::load(
        caifen::rubric::builtin("shanxi_zhualuoshi").unwrap(),
        "b",
        "b",
    )
    .unwrap();
    let checker = caifen::report::Checker::new(&r);
    let start = std::time::Instant::now();
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let inserts: &[&str] = &[
        "一、",
        "1.",
        "（一）",
        "\n",
        "。",
        "“",
        "”",
        "：",
        "背景：",
        "结语：",
        "2024年3月1日",
        "\u{200B}",
        "　",
        "①",
        "一是",
        "最后，",
        "……",
        "《",
        "》",
        "XXXX年XX月XX日\n",
        "尊敬的各位领导：",
    ];
    let mut n = 0u64;
    while start.elapsed().as_secs() < secs {
        let base = &files[(next() as usize) % files.len()];
        let mut b = base.clone();
        for _ in 0..(next() % 8) {
            let pos = if b.is_empty() {
                0
            } else {
                (next() as usize) % b.len()
            };
            match next() % 4 {
                0 => {
                    if !b.is_empty() {
                        b[pos] = next() as u8;
                    }
                }
                1 => b.truncate(pos),
                2 => {
                    let s = inserts[(next() as usize) % inserts.len()].as_bytes();
                    let p = pos.min(b.len());
                    b.splice(p..p, s.iter().copied());
                }
                _ => {
                    let l = (next() % 64) as usize;
                    let p = pos.min(b.len());
                    let e = (p + l).min(b.len());
                    b.drain(p..e);
                }
            }
        }
        n += 1;
        let res = panic::catch_unwind(panic::AssertUnwindSafe(|| {
            let _ = checker.check_bytes("m", false, &b, None);
        }));
        if res.is_err() {
            std::fs::write(format!("/tmp/fz/panic_{n}.bin"), &b).unwrap();
            eprintln!("PANIC on input {n}, saved");
        }
    }
    eprintln!("{n} inputs, done");
}
