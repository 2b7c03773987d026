//! The HTML report: one self-contained page (inline CSS and SVG, no script, no network) with the
//! class summary, a score histogram and a scoring-point hit-rate chart, then one section per
//! student with what the pretty report shows; printable, one student per page. Every string from
//! answers and rubrics goes through minijinja's HTML auto-escaping.
//!
//! The page is made of partials (`_style.html`, `_summary.html`, `_student.html`) that
//! `caifen serve` renders into its own pages too ([`environment`], [`values`]).

use crate::report::{EssayReport, RunReport};
use crate::rubric::fmt_pts;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use std::io::{self, Write};

const TEMPLATES: &[(&str, &str)] = &[
    ("report.html", include_str!("templates/report.html")),
    ("_style.html", include_str!("templates/_style.html")),
    ("_summary.html", include_str!("templates/_summary.html")),
    ("_student.html", include_str!("templates/_student.html")),
];

#[derive(Serialize)]
struct Bar {
    label: String,
    value: String,
    /// SVG geometry, in px.
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// One stretch of an answer's text: scoring-point evidence (`points` names the points it
/// counts for) or plain text (`points` empty). Concatenated, the parts give the text back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarkedPart {
    pub text: String,
    /// Names of the scoring points this stretch is evidence for, joined with 、; empty for text
    /// that is no evidence.
    pub points: String,
}

/// Split `text` (the decoded text `answer` was checked on) at its scoring-point hits, so that a
/// page can mark the evidence while escaping every part. Overlapping hits of several points make
/// one stretch naming each point; spans that do not fall on character boundaries are ignored.
pub fn mark_evidence(text: &str, answer: &EssayReport) -> Vec<MarkedPart> {
    let mut spans: Vec<(usize, usize, &str)> = answer
        .points
        .iter()
        .flat_map(|p| {
            p.hits
                .iter()
                .map(move |h| (h.at.span.start, h.at.span.end, p.name.as_str()))
        })
        .filter(|(a, b, _)| a < b && text.get(*a..*b).is_some())
        .collect();
    spans.sort();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(spans.iter().flat_map(|(a, b, _)| [*a, *b]));
    cuts.sort_unstable();
    cuts.dedup();
    let mut parts: Vec<MarkedPart> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let mut names: Vec<&str> = spans
            .iter()
            .filter(|(s, e, _)| *s <= a && b <= *e)
            .map(|(_, _, n)| *n)
            .collect();
        names.dedup();
        let points = names.join("、");
        let piece = &text[a..b];
        match parts.last_mut() {
            Some(last) if last.points == points => last.text.push_str(piece),
            _ => parts.push(MarkedPart {
                text: piece.to_owned(),
                points,
            }),
        }
    }
    parts
}

/// The templates of the report (and its partials) with the filters they use. Callers may add
/// their own templates that include the partials.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        // The templates are part of the binary and covered by the tests.
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    env.add_filter("pts", |x: f64| fmt_pts(x));
    // A count convention's name (`grid`) as the pretty report says it (方格计数).
    env.add_filter("convention", |name: String| {
        [
            crate::count::Convention::Grid,
            crate::count::Convention::Han,
            crate::count::Convention::Nonspace,
        ]
        .into_iter()
        .find(|c| c.name() == name)
        .map_or(name, |c| c.label().to_owned())
    });
    // Input errors for people: Chinese, the English text in brackets.
    env.add_filter("zh_error", |s: String| super::error_in_chinese(&s));
    env.add_filter("truncate", |s: String, n: usize| {
        crate::count::truncate_chars(&s, n)
    });
    env
}

/// What the report's templates read: `run`, the charts' geometry (`hist`, `rates`,
/// `rates_height`), each answer's outline diff (`diffs`) and, when given, each answer's text split
/// at its evidence (`marks`, in answer order).
pub fn values(run: &RunReport, marks: Option<&[Vec<MarkedPart>]>) -> Value {
    let s = &run.summary;
    // Histogram: ten bins of 10% of the total.
    let peak = s.histogram.iter().copied().max().unwrap_or(0).max(1) as f64;
    let hist: Vec<Bar> = s
        .histogram
        .iter()
        .enumerate()
        .map(|(i, &n)| {
            let h = n as f64 / peak * 120.0;
            Bar {
                label: format!("{}–{}%", i * 10, i * 10 + 10),
                value: n.to_string(),
                x: 40.0 + i as f64 * 52.0,
                y: 140.0 - h,
                w: 44.0,
                h,
            }
        })
        .collect();
    let rates: Vec<Bar> = s
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| Bar {
            label: p.name.clone(),
            value: format!("{:.0}%", p.hit_rate * 100.0),
            x: 260.0,
            y: 10.0 + i as f64 * 26.0,
            w: p.hit_rate * 300.0,
            h: 18.0,
        })
        .collect();
    let diffs: Vec<Vec<super::DiffLine>> = run.answers.iter().map(super::outline_diff).collect();
    context! {
        run => Value::from(minijinja::value::Serde(run)),
        hist => Value::from(minijinja::value::Serde(&hist)),
        rates => Value::from(minijinja::value::Serde(&rates)),
        rates_height => 20.0 + s.points.len() as f64 * 26.0,
        diffs => Value::from(minijinja::value::Serde(&diffs)),
        marks => marks.map(|m| Value::from(minijinja::value::Serde(m))),
    }
}

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    let env = environment();
    let tmpl = env.get_template("report.html").map_err(io::Error::other)?;
    let html = tmpl.render(values(run, None)).map_err(io::Error::other)?;
    out.write_all(html.as_bytes())?;
    writeln!(out)
}
