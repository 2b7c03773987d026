//! Print how caifen segments a file (a development aid; `caifen explain` will supersede it).
fn main() {
    for a in std::env::args().skip(1) {
        let bytes = std::fs::read(&a).expect("read");
        let doc = caifen::decode::decode(&bytes, None).expect("decode");
        let t = doc.text.as_str();
        let seg = caifen::segment::segment(t);
        println!("== {a}");
        println!("title: {:?}", seg.title.map(|s| s.slice(t)));
        println!("salutation: {:?}", seg.salutation.map(|s| s.slice(t)));
        println!(
            "opening: {:?}",
            seg.opening
                .map(|s| s.slice(t).chars().take(30).collect::<String>())
        );
        for h in &seg.headings {
            println!(
                "  h{} {:?} #{} {:?}",
                h.level,
                h.style,
                h.number,
                h.text.slice(t)
            );
        }
        println!(
            "closing: {:?}",
            seg.closing
                .map(|s| s.slice(t).chars().take(30).collect::<String>())
        );
        println!("signature: {:?}", seg.signature.map(|s| s.slice(t)));
        if std::env::var_os("SENTENCES").is_some() {
            for s in &seg.sentences {
                let mark = if s.terminated { "" } else { " (unterminated)" };
                println!("  s{} {:?}{mark}", s.paragraph, s.span.slice(t));
            }
        }
    }
}
