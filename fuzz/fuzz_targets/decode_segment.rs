//! Arbitrary bytes through decoding, Markdown preparation, segmentation and the whole check under
//! the default rubric: no panic, no hang, and every span on character boundaries inside the text.
#![no_main]

use caifen::segment::Segmented;
use caifen::span::Span;
use caifen::{Checker, Rubric};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn checker() -> &'static Checker<'static> {
    static RUBRIC: OnceLock<Rubric> = OnceLock::new();
    static CHECKER: OnceLock<Checker<'static>> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let rubric = RUBRIC.get_or_init(|| {
            let name = caifen::rubric::DEFAULT_RUBRIC;
            let yaml = caifen::rubric::builtin(name).expect("default rubric");
            caifen::rubric::load(yaml, name, name).expect("default rubric loads")
        });
        Checker::new(rubric)
    })
}

fn spans_ok(text: &str, seg: &Segmented) {
    let ok = |s: Span| {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "{s:?} outside the text"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{s:?} not on char boundaries"
        );
    };
    let opt = [
        seg.title,
        seg.salutation,
        seg.opening,
        seg.closing,
        seg.signature,
    ];
    opt.into_iter().flatten().for_each(ok);
    seg.paragraphs.iter().copied().for_each(ok);
    seg.labels.iter().copied().for_each(ok);
    ok(seg.body);
    for s in &seg.sentences {
        ok(s.span);
        let p = seg.paragraphs[s.paragraph];
        assert!(
            p.contains(s.span),
            "sentence {:?} outside paragraph {p:?}",
            s.span
        );
    }
    // Sentences of a paragraph concatenate back to the paragraph.
    for (i, p) in seg.paragraphs.iter().enumerate() {
        let mut at = p.start;
        for s in seg.sentences.iter().filter(|s| s.paragraph == i) {
            assert_eq!(
                s.span.start, at,
                "gap or overlap before {:?} in {p:?}",
                s.span
            );
            at = s.span.end;
        }
        assert!(
            at == p.end || at == p.start,
            "sentences end at {at}, paragraph {p:?}"
        );
    }
    for h in &seg.headings {
        ok(h.marker);
        ok(h.text);
        ok(h.section);
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name (plain text or Markdown) and whether to force an encoding.
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let name = if mode & 1 == 0 { "a.txt" } else { "a.md" };
    let forced = match (mode >> 1) % 4 {
        1 => Some(encoding_rs::GBK),
        2 => Some(encoding_rs::UTF_16LE),
        _ => None,
    };
    if let Ok(doc) = caifen::decode::decode(bytes, forced) {
        spans_ok(&doc.text, &caifen::segment::segment(&doc.text));
        spans_ok(
            &doc.text,
            &caifen::segment::segment_with(&doc.text, &doc.hints),
        );
    }
    if let Ok(r) = checker().check_bytes(name, false, bytes, forced) {
        assert!(r.score.total >= 0.0 && r.score.total <= r.score.max + 1e-9);
    }
});
