//! GitHub workflow annotations (`--format github`): a warning for each scoring point not fully
//! met and each located finding, an error for each file that could not be checked, and one
//! notice per answer with its total and band. Messages and properties are escaped as the
//! workflow-command syntax requires (%, CR, LF; and `:` `,` in properties).

use crate::report::RunReport;
use crate::rubric::fmt_pts;
use crate::score::PointStatus;
use std::io::{self, Write};

fn message(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn property(s: &str) -> String {
    message(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    let mut items: Vec<(usize, Vec<String>)> = Vec::new();
    for a in &run.answers {
        let f = property(super::repo_path(&a.file));
        let mut lines = Vec::new();
        let s = &a.score;
        // The summary line: an error when the answer is below the pass mark.
        let below = crate::exit::below_pass_mark(run, a);
        let mark: Vec<String> = run
            .pass_mark
            .map(|m| format!("{} 分", fmt_pts(m)))
            .into_iter()
            .chain(run.pass_band.clone())
            .collect();
        lines.push(format!(
            "::{} file={f},title=caifen::{}{}",
            if below { "error" } else { "notice" },
            message(&format!(
                "总分 {} / {}（{}%），分档 {}",
                fmt_pts(s.total),
                fmt_pts(s.max),
                fmt_pts(s.percent),
                s.band
            )),
            if below {
                message(&format!("，低于及格线 {}", mark.join("、")))
            } else {
                String::new()
            }
        ));
        for p in &a.points {
            if p.status == PointStatus::Met {
                continue;
            }
            let what = if p.status == PointStatus::Missed {
                "缺失"
            } else {
                "部分得分"
            };
            let hint = p
                .hint
                .as_deref()
                .map(|h| format!("：{h}"))
                .unwrap_or_default();
            let (line, col) = a
                .structure
                .title
                .as_ref()
                .map_or((1, 1), |t| (t.start.line, t.start.column));
            lines.push(format!(
                "::warning file={f},line={line},col={col},title={}::{}",
                property(&format!("采分点 {}", p.id)),
                message(&format!(
                    "采分点「{}」{what}（{}/{}分）{hint}",
                    p.name,
                    fmt_pts(p.score),
                    fmt_pts(p.max)
                ))
            ));
        }
        for x in a.findings.iter().filter(|x| x.severity != "info") {
            let loc = x.at.as_ref().map_or(String::new(), |l| {
                format!(",line={},col={}", l.start.line, l.start.column)
            });
            lines.push(format!(
                "::warning file={f}{loc},title={}::{}",
                property(&x.rule),
                message(&x.message)
            ));
        }
        items.push((a.order, lines));
    }
    for e in &run.errors {
        items.push((
            e.order,
            vec![format!(
                "::error file={}::{}",
                property(super::repo_path(&e.file)),
                message(&e.error)
            )],
        ));
    }
    items.sort_by_key(|(o, _)| *o);
    for (_, lines) in items {
        for l in lines {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}
