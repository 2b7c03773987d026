//! `caifen explain`: golden explanations of three corpus answers with different numbering
//! styles (第一 in a single-line answer, 1. headings, 一、 with 1、 sub-headings), and its errors.
//! Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test --test explain`.
mod common;

use common::{golden, root, stderr, stdout};
use std::path::Path;
use std::process::Output;

fn caifen_in(dir: &Path, args: &[&str]) -> Output {
    common::run_caifen(env!("CARGO_BIN_EXE_caifen"), dir, args, None)
}

#[test]
fn golden_explanations_of_three_numbering_styles() {
    let Some(shared) = common::shared() else {
        return;
    };
    let corpus = shared.join("corpus");
    let haiguan = root().join("rubrics/questions/l_haiguan_q4.yaml");
    let haiguan = haiguan.to_str().unwrap();
    let rows: &[(&str, &[&str], &[&str])] = &[
        (
            "jingyan_20",
            &["--rubric", haiguan],
            &[
                "单行作答：是",
                "样式 第一  第1项  标号「第一，」",
                "样式 第一  第5项",
                "命中",
            ],
        ),
        (
            "fayan_01",
            &["--paragraph", "2"],
            &[
                "单行作答：否",
                "小标题  6 个",
                "样式 1.  第6项",
                "【第2段分词】",
            ],
        ),
        (
            "jianbao_05",
            &[],
            &[
                "5:3  一级  样式 一、  第2项",
                "6. 5:10  二级  样式 1、  第1项",
                "缺少：",
            ],
        ),
    ];
    for (name, extra, want) in rows {
        let file = format!("essays/{name}.txt");
        let mut args = vec!["explain", "--no-config", file.as_str()];
        args.extend_from_slice(extra);
        let o = caifen_in(&corpus, &args);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        let out = stdout(&o);
        for w in *want {
            assert!(out.contains(w), "{name}: missing `{w}` in\n{out}");
        }
        golden(&format!("explain.{name}.txt"), &out);
    }
}

#[test]
fn explain_reads_markdown_and_uses_the_config_rubric() {
    let o = caifen_in(
        &root().join("tests/repo"),
        &["explain", "drafts/haiguan/jingyan_18.txt"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("（gwy_guojia_2022_Xingzhengzhifa_q4）"));
    let o = caifen_in(
        &root().join("tests/repo"),
        &["explain", "drafts/shanxi/strong.md"],
    );
    let out = stdout(&o);
    assert!(out.contains("格式：Markdown"), "{out}");
    assert!(
        out.contains("标题  5:3  「山西省水利厅创新机制狠抓落实提升执行力的经验做法」"),
        "{out}"
    );
    assert!(out.contains("小标题  4 个"), "{out}");
    assert!(out.contains("总分 100 / 100，分档 一类文"), "{out}");
}

#[test]
fn markdown_closing_hashes_are_not_part_of_a_heading() {
    // `## 一、… ##`: the closing sequence is markup (CommonMark), as in `## 一、…`.
    let text = std::fs::read_to_string(root().join("tests/repo/drafts/shanxi/strong.md")).unwrap();
    let closed = text.replace(
        "## 二、实行清单管理，层层压实责任\n",
        "## 二、实行清单管理，层层压实责任 ##\n",
    );
    assert_ne!(closed, text);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), &closed).unwrap();
    let o = caifen_in(dir.path(), &["explain", "--no-config", "a.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "  2. 15:6  一级  样式 一、  第2项  标号「二、」  「实行清单管理，层层压实责任」\n"
        ),
        "{out}"
    );
    assert!(!out.contains("压实责任 ##"), "{out}");
    // `C#` ends in a `#` that is text.
    std::fs::write(dir.path().join("b.md"), "# 关于C#课程的报告\n\n正文。\n").unwrap();
    let o = caifen_in(dir.path(), &["explain", "--no-config", "b.md"]);
    assert!(
        stdout(&o).contains("标题  1:3  「关于C#课程的报告」"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn near_misses_name_their_reason() {
    let o = caifen_in(
        &root(),
        &["explain", "--no-config", "examples/essays/strong.txt"],
    );
    let out = stdout(&o);
    // 工作机制 inside 「抓落实工作机制」: jieba cuts 落实工作|机制, so the term is not a word there.
    assert!(
        out.contains("未计  3:30  工作机制：不在词边界（分词为「落实工作|机制」）"),
        "{out}"
    );
    assert!(
        out.contains("【第1段分词】（jieba，规范化后的文本；"),
        "{out}"
    );
    // A negated mention and an out-of-scope one, from a planted answer.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "关于工作的报告\n我们尚未建立督办机制，也没有清单。\n",
    )
    .unwrap();
    let o = caifen_in(dir.path(), &["explain", "a.txt"]);
    let out = stdout(&o);
    assert!(out.contains("未计  2:7  督办：前有否定词"), "{out}");
    assert!(out.contains("未计  2:15  清单：前有否定词"), "{out}");
}

#[test]
fn explain_errors_exit_2() {
    let o = caifen_in(
        &root(),
        &["explain", "examples/essays/weak.txt", "--paragraph", "40"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("examples/essays/weak.txt: --paragraph 40: the answer has 4 body paragraphs"),
        "{}",
        stderr(&o)
    );
    let o = caifen_in(&root(), &["explain", "tests/repo/broken/bad.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("binary or undecodable content"),
        "{}",
        stderr(&o)
    );
    let o = caifen_in(&root(), &["explain", "no/such/file.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no/such/file.txt: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn explain_of_an_empty_answer_is_not_an_error() {
    let Some(shared) = common::shared() else {
        return;
    };
    for f in ["B48a.txt", "B48d.txt"] {
        let o = caifen_in(&shared.join("cases"), &["explain", "--no-config", f]);
        assert_eq!(o.status.code(), Some(0), "{f}: {}", stderr(&o));
        assert!(stdout(&o).contains("正文 0 段"), "{f}: {}", stdout(&o));
    }
}
