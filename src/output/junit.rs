//! JUnit XML (`--format junit`), for CI services that show test reports. One `<testsuite>` per
//! rubric, one `<testcase>` per file: a `<failure>` when the answer is below the pass mark
//! (`--min-score`, `--min-band`), an `<error>` when the file could not be checked; each case's
//! `<system-out>` holds its total, band, the scoring points not fully met and the findings. No
//! timestamps or durations, so the same input gives the same bytes.

use crate::report::RunReport;
use crate::rubric::fmt_pts;
use crate::score::PointStatus;
use std::io::{self, Write};

/// Text fit for an XML 1.0 attribute or element: characters XML cannot hold become U+FFFD,
/// the rest is escaped.
fn xml(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

/// [`xml`] for an attribute value: tabs and line ends as character references, since parsers
/// turn raw ones in attributes into spaces.
fn attr(s: &str) -> String {
    xml(s)
        .replace('\t', "&#9;")
        .replace('\n', "&#10;")
        .replace('\r', "&#13;")
}

struct Case {
    order: usize,
    name: String,
    failure: Option<String>,
    error: Option<String>,
    out: String,
}

fn cases(run: &RunReport) -> Vec<Case> {
    let mut cases = Vec::new();
    for a in &run.answers {
        let s = &a.score;
        let mut out = super::total_line(s);
        for p in a.points.iter().filter(|p| p.status != PointStatus::Met) {
            out.push('\n');
            out.push_str(&super::point_line(p, false));
        }
        // The findings (language rules, forbidden phrases, missing parts, length), as the pretty
        // report lists them under 问题与建议.
        for f in &a.findings {
            out.push('\n');
            out.push_str(&super::finding_line(f));
        }
        let failure = crate::exit::below_pass_mark(run, a).then(|| {
            format!(
                "总分 {}（{}）低于及格线 {}",
                fmt_pts(s.total),
                s.band,
                super::pass_mark_words(run, a)
            )
        });
        cases.push(Case {
            order: a.order,
            name: super::repo_path(&a.file).to_owned(),
            failure,
            error: None,
            out,
        });
    }
    for e in &run.errors {
        cases.push(Case {
            order: e.order,
            name: super::repo_path(&e.file).to_owned(),
            failure: None,
            error: Some(e.error.clone()),
            out: String::new(),
        });
    }
    cases.sort_by_key(|c| c.order);
    cases
}

/// Write one JUnit document holding a suite per rubric.
pub fn write(out: &mut dyn Write, runs: &[RunReport]) -> io::Result<()> {
    let suites: Vec<(&RunReport, Vec<Case>)> = runs.iter().map(|r| (r, cases(r))).collect();
    let count = |f: &dyn Fn(&Case) -> bool| -> usize {
        suites
            .iter()
            .map(|(_, c)| c.iter().filter(|c| f(c)).count())
            .sum()
    };
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="caifen" tests="{}" failures="{}" errors="{}">"#,
        count(&|_| true),
        count(&|c| c.failure.is_some()),
        count(&|c| c.error.is_some())
    )?;
    for (run, cases) in &suites {
        let id = attr(&run.rubric.id);
        writeln!(
            out,
            r#"  <testsuite name="{id}" tests="{}" failures="{}" errors="{}" skipped="0">"#,
            cases.len(),
            cases.iter().filter(|c| c.failure.is_some()).count(),
            cases.iter().filter(|c| c.error.is_some()).count()
        )?;
        writeln!(out, "    <properties>")?;
        writeln!(
            out,
            r#"      <property name="rubric" value="{}"/>"#,
            attr(&run.rubric.title)
        )?;
        if let Some(m) = run.pass_mark {
            writeln!(
                out,
                r#"      <property name="min_score" value="{}"/>"#,
                fmt_pts(m)
            )?;
        }
        if let Some(b) = &run.pass_band {
            writeln!(
                out,
                r#"      <property name="min_band" value="{}"/>"#,
                attr(b)
            )?;
        }
        writeln!(out, "    </properties>")?;
        for c in cases {
            writeln!(
                out,
                r#"    <testcase name="{name}" classname="caifen.{id}" file="{name}">"#,
                name = attr(&c.name)
            )?;
            if let Some(message) = &c.failure {
                writeln!(
                    out,
                    r#"      <failure message="{}" type="below-pass-mark"/>"#,
                    attr(message)
                )?;
            }
            if let Some(e) = &c.error {
                writeln!(
                    out,
                    r#"      <error message="{}" type="input-error"/>"#,
                    attr(e)
                )?;
            }
            if !c.out.is_empty() {
                writeln!(out, "      <system-out>{}</system-out>", xml(&c.out))?;
            }
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}
