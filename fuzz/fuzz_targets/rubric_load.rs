//! Arbitrary text as a rubric: loading either succeeds or returns located problems (no panic, no
//! hang, no memory blow-up through aliases or nesting); a rubric that loads also checks an answer
//! with a score within 0 and its total.
#![no_main]

use libfuzzer_sys::fuzz_target;

const ANSWER: &str = "关于抓落实的经验材料\n一、健全机制\n我们建立了督办机制，实行清单管理。\n二、强化考核\n考核结果与评优挂钩。\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match caifen::rubric::load(text, "fuzz.yaml", "fuzz") {
        Ok(rubric) => {
            let checker = caifen::Checker::new(&rubric);
            let r = checker
                .check_bytes("a.txt", false, ANSWER.as_bytes(), None)
                .expect("a UTF-8 answer decodes");
            assert!(r.score.total >= 0.0 && r.score.total <= r.score.max + 1e-9);
        }
        Err(e) => {
            assert!(!e.problems.is_empty());
            let _ = e.to_string();
        }
    }
});
