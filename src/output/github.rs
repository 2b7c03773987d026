//! GitHub workflow annotations (`--format github`): a warning for each scoring point not fully
//! met and each located finding, an error for each file that could not be checked, and one
//! notice per answer with its total and band. Messages and properties are escaped as the
//! workflow-command syntax requires (%, CR, LF; and `:` `,` in properties).

use crate::report::RunReport;
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
        lines.push(format!(
            "::{} file={f},title=caifen::{}{}",
            if below { "error" } else { "notice" },
            message(&super::total_line(s)),
            if below {
                message(&format!("，低于及格线 {}", super::pass_mark_words(run, a)))
            } else {
                String::new()
            }
        ));
        let (line, col) = a
            .structure
            .title
            .as_ref()
            .map_or((1, 1), |t| (t.start.line, t.start.column));
        for p in a.points.iter().filter(|p| p.status != PointStatus::Met) {
            lines.push(format!(
                "::warning file={f},line={line},col={col},title={}::{}",
                property(&format!("采分点 {}", p.id)),
                message(&super::point_line(p, true))
            ));
        }
        for x in a.findings.iter().filter(|x| x.severity != "info") {
            let loc = x.at.as_ref().map_or(String::new(), |l| {
                format!(",line={},col={}", l.start.line, l.start.column)
            });
            lines.push(format!(
                "::warning file={f}{loc},title={}::{}",
                property(x.rule),
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
