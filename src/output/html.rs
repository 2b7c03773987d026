//! The HTML report: one self-contained page (inline CSS and SVG, no script, no network) with the
//! class summary, a score histogram and a scoring-point hit-rate chart, then one section per
//! student with what the pretty report shows; printable, one student per page. Every string from
//! answers and rubrics goes through minijinja's HTML auto-escaping.

use crate::report::RunReport;
use crate::rubric::fmt_pts;
use minijinja::{context, Environment, Value};
use serde::Serialize;
use std::io::{self, Write};

const TEMPLATE: &str = include_str!("templates/report.html");

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

pub fn write(out: &mut dyn Write, run: &RunReport) -> io::Result<()> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)
        .map_err(io::Error::other)?;
    env.add_filter("pts", |x: f64| fmt_pts(x));
    env.add_filter("truncate", |s: String, n: usize| {
        if s.chars().count() > n {
            format!("{}…", s.chars().take(n).collect::<String>())
        } else {
            s
        }
    });
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
    let tmpl = env.get_template("report.html").map_err(io::Error::other)?;
    let html = tmpl
        .render(context! {
            run => Value::from(minijinja::value::Serde(run)),
            hist => Value::from(minijinja::value::Serde(&hist)),
            rates => Value::from(minijinja::value::Serde(&rates)),
            rates_height => 20.0 + s.points.len() as f64 * 26.0,
            diffs => Value::from(minijinja::value::Serde(&diffs)),
        })
        .map_err(io::Error::other)?;
    out.write_all(html.as_bytes())?;
    writeln!(out)
}
