//! `caifen explain`: how caifen read one answer, step by step — decoding, the normalisation
//! applied for matching, counts, the structure it found (title, salutation, headings with their
//! numbering style and level, opening, closing, signature), paragraphs and sentences, the jieba
//! tokens of one paragraph, and every rubric term that matched, with the near-misses rejected
//! and why (negation, scope, token boundary). Locations are line:column in characters.

use crate::check::{boundary_misses, RejectReason};
use crate::decode::DecodeError;
use crate::normalize::Normalized;
use crate::report::{read_answer, short_quote, Checker, Located};
use crate::rubric::fmt_pts;
use crate::score::PointStatus;
use crate::segment::segment_with;
use crate::span::{LineIndex, Span};
use crate::words::Boundaries;
use std::io::{self, Write};

/// What to explain.
pub struct Request<'a> {
    /// The file name as shown (its ending tells Markdown).
    pub file: &'a str,
    pub bytes: &'a [u8],
    pub forced: Option<&'static encoding_rs::Encoding>,
    /// The 1-based body paragraph whose tokens are listed (default: 1).
    pub paragraph: Option<usize>,
}

/// Why `explain` could not run.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("--paragraph {0}: the answer has {1} body paragraphs")]
    NoParagraph(usize, usize),
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn at(l: &Located) -> String {
    format!("{}:{}", l.start.line, l.start.column)
}

fn slot(out: &mut dyn Write, name: &str, l: Option<&Located>, max: usize) -> io::Result<()> {
    match l {
        Some(l) => writeln!(out, "{name}  {}  「{}」", at(l), short_quote(&l.text, max)),
        None => writeln!(out, "{name}  无"),
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

/// Write the explanation of one answer under `checker`'s rubric.
pub fn write(out: &mut dyn Write, checker: &Checker, req: &Request) -> Result<(), ExplainError> {
    let doc = read_answer(req.file, req.bytes, req.forced)?;
    let report = checker.check_document(req.file, false, &doc);
    let text = doc.text.as_str();
    let seg = segment_with(text, &doc.hints);
    let norm = Normalized::new(text);
    let bounds = Boundaries::new(&norm.text);
    let index = LineIndex::new(text);
    let lc = |s: usize| {
        let p = index.line_col(text, s);
        format!("{}:{}", p.line, p.column)
    };
    let rubric = checker.rubric;
    let para_no = req.paragraph.unwrap_or(1);
    if para_no == 0 || (para_no > seg.paragraphs.len() && req.paragraph.is_some()) {
        return Err(ExplainError::NoParagraph(para_no, seg.paragraphs.len()));
    }

    writeln!(out, "文件：{}", crate::report::printable(req.file))?;
    writeln!(out, "评分标准：{}（{}）", rubric.title, rubric.id)?;

    writeln!(out, "\n【解码】")?;
    let kind = if doc.encoding == "docx" {
        "Word 文档（.docx，正文取自 word/document.xml，标题与小标题参考样式）"
    } else if crate::markdown::is_markdown(req.file) {
        "Markdown（# 为标题、## 为小标题；front matter、代码块、HTML 注释不计，位置仍指原文件）"
    } else {
        "纯文本"
    };
    writeln!(out, "格式：{kind}")?;
    writeln!(
        out,
        "编码：{}；BOM：{}；行尾统一为换行符：{} 处；损坏字节以 U+FFFD 代替：{} 个",
        doc.encoding,
        if doc.bom { "有" } else { "无" },
        doc.line_ends_normalised,
        doc.replaced
    )?;

    let n = &report.normalisation;
    writeln!(out, "\n【规范化】（只用于匹配；位置仍指原文）")?;
    writeln!(
        out,
        "去掉不可见字符 {} 个；不换行空格 {} 个；中文之间的空格忽略 {} 个；全角字母数字转半角 {} 个；部首字形归并 {} 个",
        n.invisible_removed, n.nbsp, n.spaces_ignored, n.width_folded, n.radicals_folded
    )?;

    let c = &report.counts;
    writeln!(out, "\n【字数】")?;
    writeln!(
        out,
        "方格 {} 格；汉字 {} 个；中文标点 {} 个；非空白字符 {} 个",
        c.grid, c.han, c.cjk_punct, c.nonspace
    )?;
    if let Some(l) = &rubric.length {
        writeln!(out, "字数规则按「{}」计", l.convention.label())?;
    }

    let st = &report.structure;
    writeln!(out, "\n【结构】")?;
    writeln!(out, "单行作答：{}", yes(st.single_line))?;
    slot(out, "标题", st.title.as_ref(), 40)?;
    slot(out, "称谓", st.salutation.as_ref(), 40)?;
    slot(out, "开头", st.opening.as_ref(), 30)?;
    writeln!(out, "小标题  {} 个", st.headings.len())?;
    for (k, h) in st.headings.iter().enumerate() {
        writeln!(
            out,
            "  {}. {}  {}级  样式 {}  第{}项  标号「{}」{}  「{}」",
            k + 1,
            at(&h.text),
            if h.level == 1 { "一" } else { "二" },
            h.style.name(),
            h.number,
            h.marker,
            if h.nonstandard { "（不规范）" } else { "" },
            short_quote(&h.text.text, 30)
        )?;
    }
    slot(out, "结尾", st.closing.as_ref(), 30)?;
    slot(out, "落款", st.signature.as_ref(), 40)?;
    if !seg.labels.is_empty() {
        let labels: Vec<String> = seg
            .labels
            .iter()
            .map(|l| format!("{}「{}」", lc(l.start), l.slice(text)))
            .collect();
        writeln!(out, "框架标签（不算小标题）：{}", labels.join("、"))?;
    }

    writeln!(
        out,
        "\n【段落与句子】正文 {} 段（第N段按此编号；其中 {} 段只有小标题，段落数只计 {} 段），{} 句（无句末标点的句子标 *）",
        seg.paragraphs.len(),
        seg.paragraphs.len().saturating_sub(st.paragraphs),
        st.paragraphs,
        seg.sentences.len()
    )?;
    for (pi, p) in seg.paragraphs.iter().enumerate() {
        let sentences: Vec<_> = seg.sentences.iter().filter(|s| s.paragraph == pi).collect();
        writeln!(
            out,
            "第{}段  {}  {}句",
            pi + 1,
            lc(p.start),
            sentences.len()
        )?;
        for (si, s) in sentences.iter().enumerate() {
            writeln!(
                out,
                "  句{}{}  {}  「{}」",
                si + 1,
                if s.terminated { "" } else { "*" },
                lc(s.span.start),
                short_quote(s.span.slice(text), 24)
            )?;
        }
    }

    if let Some(p) = seg.paragraphs.get(para_no - 1) {
        let (s, e) = (norm.from_original(p.start), norm.from_original(p.end));
        let tokens: Vec<&str> = bounds
            .tokens_in(s, e)
            .iter()
            .filter(|&&(ts, te)| ts >= s && te <= e)
            .map(|&(ts, te)| &norm.text[ts..te])
            .filter(|t| !t.trim().is_empty())
            .collect();
        writeln!(
            out,
            "\n【第{para_no}段分词】（jieba，规范化后的文本；{} 个词）",
            tokens.len()
        )?;
        writeln!(out, "{}", tokens.join(" | "))?;
    }

    writeln!(out, "\n【采分点匹配】")?;
    let accepted: Vec<Vec<Span>> = report
        .points
        .iter()
        .map(|p| {
            p.hits
                .iter()
                .map(|h| {
                    Span::new(
                        norm.from_original(h.at.span.start),
                        norm.from_original(h.at.span.end),
                    )
                })
                .collect()
        })
        .collect();
    let misses = boundary_misses(rubric, &norm.text, &bounds, &accepted);
    for (pi, p) in report.points.iter().enumerate() {
        let status = match p.status {
            PointStatus::Met => "达成",
            PointStatus::Partly => "部分",
            PointStatus::Missed => "缺失",
        };
        writeln!(
            out,
            "{}「{}」  {}/{} 分  {status}（{}/{} 组）",
            p.id,
            p.name,
            fmt_pts(p.score),
            fmt_pts(p.max),
            p.groups_met,
            p.groups_needed
        )?;
        for h in &p.hits {
            writeln!(
                out,
                "  命中  {}  {}〔{}〕「{}」{}",
                at(&h.at),
                h.term,
                h.group,
                short_quote(&h.at.text, 20),
                if h.across_space {
                    "（跨空格）"
                } else {
                    ""
                }
            )?;
        }
        for r in &p.rejected {
            let why = match r.reason {
                RejectReason::Negated => "前有否定词",
                RejectReason::OutOfScope => "不在该采分点的范围内",
            };
            writeln!(
                out,
                "  未计  {}  {}：{why}",
                at(&r.at),
                short_quote(&r.term, 20)
            )?;
        }
        for m in misses.iter().filter(|m| m.point == pi) {
            let orig = norm.to_original(m.span);
            let cut: Vec<&str> = m.tokens.iter().map(|&(s, e)| &norm.text[s..e]).collect();
            writeln!(
                out,
                "  未计  {}  {}：不在词边界（分词为「{}」）",
                lc(orig.start),
                m.term,
                cut.join("|")
            )?;
        }
        if !p.missing_groups.is_empty() {
            writeln!(out, "  缺少：{}", p.missing_groups.join("、"))?;
        }
    }
    writeln!(
        out,
        "\n总分 {} / {}，分档 {}",
        fmt_pts(report.score.total),
        fmt_pts(report.score.max),
        report.score.band
    )?;
    Ok(())
}
