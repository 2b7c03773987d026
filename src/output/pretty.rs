//! The pretty report, in Chinese: score, dimensions, scoring points with quoted evidence and
//! where it stands, length, structure, then the outline diff (rendered with `similar`) and the
//! findings. Styles are always written; the caller's stream strips them when colour is off.

use crate::report::{EssayReport, InputError, Located, RunReport};
use crate::rubric::fmt_pts;
use crate::score::PointStatus;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

const BOLD: Style = Style::new().bold();
const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const DIM: Style = Style::new().dimmed();

/// Display width in terminal cells (East Asian ambiguous characters count as wide, as on Chinese
/// terminals; case B43).
pub fn width(s: &str) -> usize {
    s.width_cjk()
}

fn pad(s: &str, cells: usize) -> String {
    let w = width(s);
    format!("{s}{}", " ".repeat(cells.saturating_sub(w)))
}

fn at(l: &Located) -> String {
    match l.paragraph {
        Some(p) => format!("第{p}段 {}:{}", l.start.line, l.start.column),
        None => format!("{}:{}", l.start.line, l.start.column),
    }
}

fn quote(s: &str, max: usize) -> String {
    crate::report::short_quote(s, max)
}

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    // Answers and errors in input (path) order.
    let mut items: Vec<(usize, Option<&EssayReport>, Option<&InputError>)> = Vec::new();
    items.extend(run.answers.iter().map(|a| (a.order, Some(a), None)));
    items.extend(run.errors.iter().map(|e| (e.order, None, Some(e))));
    items.sort_by_key(|(o, _, _)| *o);
    for (i, (_, a, e)) in items.iter().enumerate() {
        if i > 0 && a.is_some() {
            writeln!(out)?;
        }
        if let Some(a) = a {
            essay(out, a, run)?;
        }
        if let Some(e) = e {
            error(out, e)?;
        }
    }
    if run.answers.len() + run.errors.len() > 1 || run.summary.skipped > 0 {
        summary(out, run)?;
    }
    Ok(())
}

/// The count line of a run, as the pretty summary and stderr give it.
pub fn count_line(run: &RunReport) -> String {
    let s = &run.summary;
    format!(
        "共{}份：已评{}份，出错{}份，跳过{}个非作答文件",
        s.files, s.checked, s.failed, s.skipped
    )
}

fn summary(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    let s = &run.summary;
    writeln!(out)?;
    writeln!(out, "{BOLD}班级概况{BOLD:#}")?;
    writeln!(out, "  {}", count_line(run))?;
    if !s.skipped_files.is_empty() {
        let shown: Vec<String> = s
            .skipped_files
            .iter()
            .take(10)
            .map(|f| crate::report::printable(f))
            .collect();
        let more = if s.skipped > 10 {
            format!(" 等{}个", s.skipped)
        } else {
            String::new()
        };
        writeln!(out, "  跳过：{}{more}", shown.join("、"))?;
    }
    if let (Some(mean), Some(median), Some(min), Some(max)) = (s.mean, s.median, s.min, s.max) {
        writeln!(
            out,
            "  平均分{}  中位数{}  最低{}  最高{}",
            fmt_pts(mean),
            fmt_pts(median),
            fmt_pts(min),
            fmt_pts(max)
        )?;
        let bands: Vec<String> = s
            .bands
            .iter()
            .map(|b| format!("{}{}份", b.band, b.count))
            .collect();
        writeln!(out, "  分档：{}", bands.join("，"))?;
        // A genre rubric has no scoring points: no rates to list.
        if !s.points.is_empty() {
            writeln!(out, "  采分点得分率（最常缺失的在前）：")?;
        }
        for p in &s.points {
            writeln!(
                out,
                "    {} {:.0}%（得分{} 部分{} 缺失{}）",
                p.name,
                p.hit_rate * 100.0,
                p.met,
                p.partly,
                p.missed
            )?;
        }
        if !s.outside_length.is_empty() {
            writeln!(out, "  字数不符合要求：{}份", s.outside_length.len())?;
        }
    }
    Ok(())
}

fn error(out: &mut dyn Write, e: &InputError) -> io::Result<()> {
    writeln!(
        out,
        "{RED}错误{RED:#} {}：{}",
        crate::report::printable(&e.file),
        super::error_in_chinese(&e.error)
    )
}

/// The Chinese wording of an input error (JSON and CSV keep the English text, which is stable
/// for scripts).
fn essay(out: &mut dyn Write, a: &EssayReport, run: &RunReport) -> io::Result<()> {
    let s = &a.score;
    writeln!(
        out,
        "{BOLD}文件{BOLD:#}：{}    编码：{}",
        crate::report::printable(&a.file),
        a.encoding
    )?;
    if let Some(st) = &a.student {
        let flag = if st.mismatch {
            format!("  {YELLOW}文件名不符合模式{YELLOW:#}")
        } else {
            String::new()
        };
        writeln!(
            out,
            "{BOLD}学生{BOLD:#}：{}{flag}",
            crate::report::printable(&st.id)
        )?;
    }
    writeln!(
        out,
        "{BOLD}评分标准{BOLD:#}：{}（{}）",
        run.rubric.title, run.rubric.id
    )?;
    let band_style = match run.rubric.bands.iter().position(|b| b.name == s.band) {
        Some(0) => GREEN,
        Some(1) => GREEN,
        Some(2) => YELLOW,
        _ => RED,
    };
    writeln!(
        out,
        "{BOLD}总分{BOLD:#}：{} / {}（{}%）    {BOLD}分档{BOLD:#}：{band_style}{}{band_style:#}",
        fmt_pts(s.total),
        fmt_pts(s.max),
        fmt_pts(s.percent),
        s.band
    )?;
    if let Some(band) = &run.pass_band {
        let rank = |b: &str| run.rubric.bands.iter().position(|x| x.name == b);
        let ok = rank(&s.band).zip(rank(band)).is_some_and(|(a, m)| a <= m);
        let verdict = if ok {
            format!("{GREEN}已达到{GREEN:#}")
        } else {
            format!("{RED}未达到{RED:#}")
        };
        writeln!(out, "{BOLD}及格档{BOLD:#}：{band}  {verdict}")?;
    }
    if let Some(mark) = run.pass_mark {
        let verdict = if s.total + 1e-9 >= mark {
            format!("{GREEN}已达到{GREEN:#}")
        } else {
            format!("{RED}未达到{RED:#}")
        };
        writeln!(out, "{BOLD}及格线{BOLD:#}：{}分  {verdict}", fmt_pts(mark))?;
    }
    writeln!(out)?;
    writeln!(out, "  {}{}满分", pad("维度", 8), pad("得分", 8))?;
    for d in &s.dimensions {
        writeln!(
            out,
            "  {}{}{}",
            pad(d.name, 8),
            pad(&fmt_pts(d.score), 8),
            fmt_pts(d.max)
        )?;
    }
    if s.form_factor < 1.0 && !a.empty {
        // The gate weighs only the points earned outside gamed text (see `score`): say so when
        // some were left out, or 「内容得分不足」 reads wrong beside a high content score.
        let gamed = if a.points.iter().any(|p| p.capped.is_some()) {
            "（不计只靠罗列、重复或照抄得到的采分点）"
        } else {
            ""
        };
        writeln!(
            out,
            "  {DIM}内容得分不足{gamed}，结构、字数、语言分按{}%计{DIM:#}",
            fmt_pts(s.form_factor * 100.0)
        )?;
    }

    writeln!(out)?;
    if a.points.is_empty() {
        // A genre rubric scores form, length and language only.
        writeln!(out, "{BOLD}采分点{BOLD:#}：无（评分标准未列采分点）")?;
    } else {
        writeln!(out, "{BOLD}采分点{BOLD:#}")?;
    }
    let name_w = a
        .points
        .iter()
        .map(|p| width(&p.name))
        .max()
        .unwrap_or(4)
        .max(4)
        + 2;
    for p in &a.points {
        let (mark, st) = match p.status {
            PointStatus::Met => ("✓", GREEN),
            PointStatus::Partly => ("◐", YELLOW),
            PointStatus::Missed => ("✗", RED),
        };
        let pts = format!("{}/{}", fmt_pts(p.score), fmt_pts(p.max));
        // The marks differ in display width (◐ is East Asian ambiguous): pad them too.
        let mark = pad(mark, 2);
        write!(
            out,
            "  {st}{mark}{}{st:#}{}",
            pad(&p.name, name_w),
            pad(&pts, 10)
        )?;
        match p.status {
            PointStatus::Missed => writeln!(out, "{RED}未见{RED:#}")?,
            _ => {
                let ev: Vec<String> = p
                    .hits
                    .iter()
                    .take(3)
                    .map(|h| {
                        let gap = if h.across_space {
                            "（跨空格）"
                        } else {
                            ""
                        };
                        format!("「{}」{gap} {}", quote(&h.at.text, 20), at(&h.at))
                    })
                    .collect();
                let more = if p.hits.len() > 3 {
                    format!(" 等{}处", p.hits.len())
                } else {
                    String::new()
                };
                writeln!(out, "{}{more}", ev.join("；"))?;
            }
        }
        if p.status != PointStatus::Met {
            let pad_w = name_w + 14;
            if !p.missing_groups.is_empty() && p.groups_needed > 1 {
                writeln!(
                    out,
                    "{}缺少：{}",
                    " ".repeat(pad_w),
                    p.missing_groups.join("、")
                )?;
            }
            if let Some(h) = &p.hint {
                writeln!(out, "{}{YELLOW}提示{YELLOW:#}：{h}", " ".repeat(pad_w))?;
            }
        }
    }

    writeln!(out)?;
    if let Some(l) = &s.length {
        let range = if l.min <= 0.0 {
            format!("≤{}", fmt_pts(l.max))
        } else {
            format!("{}～{}", fmt_pts(l.min), fmt_pts(l.max))
        };
        let verdict = if l.within {
            format!("{GREEN}符合{GREEN:#}")
        } else {
            format!("{RED}不符合{RED:#}")
        };
        writeln!(
            out,
            "{BOLD}字数{BOLD:#}：{}（{}），要求{}（{range}）  {verdict}  {}/{}分",
            l.count,
            crate::count::Convention::label_of(l.convention),
            l.limit,
            fmt_pts(l.score),
            fmt_pts(l.points)
        )?;
    } else {
        writeln!(
            out,
            "{BOLD}字数{BOLD:#}：{}（方格计数），汉字{}",
            a.counts.grid, a.counts.han
        )?;
    }
    let st = &a.structure;
    // The slots the rubric scores get ✓/✗; the others are only named when present.
    let h1: Vec<_> = st.headings.iter().filter(|h| h.level == 1).collect();
    let h2 = st.headings.iter().filter(|h| h.level == 2).count();
    let mut parts: Vec<String> = Vec::new();
    for (slot, present) in [
        ("title", st.title.is_some()),
        ("salutation", st.salutation.is_some()),
        ("opening", st.opening.is_some()),
        ("headings", !h1.is_empty()),
        ("closing", st.closing.is_some()),
        ("signature", st.signature.is_some()),
    ] {
        let scored = s
            .structure
            .iter()
            .any(|x| x.slot == slot && (x.required || x.max > 0.0));
        let name = crate::report::slot_name(slot);
        let text = if slot == "headings" {
            let style = h1
                .first()
                .map_or(String::new(), |h| format!("，编号「{}」", h.style_label()));
            let nested = if h2 > 0 {
                format!("，二级{h2}个")
            } else {
                String::new()
            };
            format!("{name}{}个{style}{nested}", h1.len())
        } else {
            name.to_owned()
        };
        let undated = s
            .structure
            .iter()
            .any(|x| x.slot == slot && x.missing.contains(&"date"));
        if undated {
            // A 落款 without the date the rubric asks for: partly credited.
            parts.push(format!("{text}（缺日期）◐"));
        } else if scored {
            parts.push(format!("{text}{}", if present { "✓" } else { "✗" }));
        } else if present {
            parts.push(format!("{text}（有）"));
        }
    }
    writeln!(out, "{BOLD}结构{BOLD:#}：{}", parts.join("  "))?;
    if let Some(t) = &st.title {
        writeln!(out, "  标题：「{}」", quote(&t.text, 40))?;
    }

    writeln!(out)?;
    writeln!(
        out,
        "{BOLD}提纲对照{BOLD:#}（- 应有而缺  + 多出  空格 = 对上）"
    )?;
    outline_diff(out, a)?;

    if let Some(r) = &a.reference {
        reference(out, r)?;
    }

    writeln!(out)?;
    if a.findings.is_empty() {
        // Said, not left out: a student should not wonder whether the section is missing.
        writeln!(out, "{BOLD}问题与建议{BOLD:#}：无")?;
    } else {
        writeln!(out, "{BOLD}问题与建议{BOLD:#}")?;
        for f in &a.findings {
            writeln!(out, "  {}", super::finding_line(f))?;
        }
    }
    Ok(())
}

/// The reference comparison: each reference sentence against its aligned answer sentence, what
/// the answer lacks as `[-…-]`, what it adds as `{+…+}` (git's word-diff markers, coloured on a
/// terminal).
fn reference(out: &mut dyn Write, r: &crate::reference::Comparison) -> io::Result<()> {
    let parts = |ps: &[crate::reference::Part], sign: char, st: Style| {
        ps.iter()
            .map(|p| {
                if p.changed {
                    let (open, close) = if sign == '-' {
                        ("[-", "-]")
                    } else {
                        ("{+", "+}")
                    };
                    format!("{st}{open}{}{close}{st:#}", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect::<String>()
    };
    let matched = r.aligned.iter().filter(|x| x.answer.is_some()).count();
    writeln!(out)?;
    writeln!(
        out,
        "{BOLD}参考答案对照{BOLD:#}（{}）：参考答案{}句，作答中找到相近的{}句（[-作答缺少-] {{+作答多出+}}）",
        crate::report::printable(&r.file),
        r.aligned.len(),
        matched
    )?;
    for x in &r.aligned {
        match &x.answer {
            Some(a) => {
                writeln!(
                    out,
                    "  参考第{}行 ↔ 作答 {}  相似 {:.0}%",
                    x.reference_line,
                    at(a),
                    x.similarity * 100.0
                )?;
                writeln!(out, "    参 {}", parts(&x.reference_parts, '-', RED))?;
                writeln!(out, "    答 {}", parts(&x.answer_parts, '+', GREEN))?;
            }
            None => {
                writeln!(out, "  参考第{}行  作答中没有相近的句子", x.reference_line)?;
                writeln!(out, "    参 {RED}{}{RED:#}", quote(&x.reference, 60))?;
            }
        }
    }
    if !r.points_behind.is_empty() {
        writeln!(out, "  参考答案得分而作答得分较少的采分点：")?;
        for p in &r.points_behind {
            writeln!(
                out,
                "    {}「{}」：参考答案 {} 分，作答 {} 分",
                p.id,
                p.name,
                fmt_pts(p.reference),
                fmt_pts(p.answer)
            )?;
        }
    }
    Ok(())
}

fn outline_diff(out: &mut dyn Write, a: &EssayReport) -> io::Result<()> {
    for l in super::outline_diff(a) {
        let (sign, st) = match l.tag {
            '-' => ("-", RED),
            '+' => ("+", GREEN),
            _ => (" ", Style::new()),
        };
        let note = l
            .note
            .map(|n| format!("  {DIM}{n}{DIM:#}"))
            .unwrap_or_default();
        writeln!(out, "{st}{sign} {}{st:#}{note}", l.key)?;
    }
    Ok(())
}

impl crate::report::HeadingReport {
    pub fn style_label(&self) -> String {
        self.style.name().to_owned()
    }
}
