fn main() {
    let j = caifen::words::jieba();
    for s in std::env::args().skip(1) {
        let c: Vec<&str> = j.cut(&s, true).iter().map(|t| t.word).collect();
        let f: Vec<String> = j
            .cut_for_search(&s, false)
            .iter()
            .map(|t| format!("{}@{}", t.word, t.byte_start))
            .collect();
        let tg: Vec<String> = j
            .tag(&s, false)
            .iter()
            .map(|t| format!("{}/{}", t.word, t.tag))
            .collect();
        println!("{c:?}\n{f:?}\n{tg:?}");
    }
}
