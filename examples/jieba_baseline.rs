//! The floors of the performance targets (issue 7), as processes to time beside caifen:
//! `jieba_baseline dict` only builds the jieba dictionary; `jieba_baseline cut DIR` builds it and
//! cuts every file of DIR (recursively, in path order) on one thread.
/// The allocator of the `caifen` binary (mimalloc: a check allocates many small strings; about 10%
/// faster than the system allocator in `examples/perf_probe`), used here too so that the floor
/// and caifen are measured alike.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    for p in v {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let j = jieba_rs::Jieba::new();
    if mode == "cut" {
        let mut v = Vec::new();
        files(std::path::Path::new(&args.next().expect("DIR")), &mut v);
        let mut tokens = 0;
        for p in v {
            if let Ok(t) = std::fs::read_to_string(&p) {
                tokens += j.cut(&t, true).len();
            }
        }
        println!("{tokens}");
    }
}
