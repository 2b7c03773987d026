//! SARIF 2.1.0 (`--format sarif`), for code-scanning services and editors. One SARIF run per
//! rubric. Results: a `note` with each answer's total and band (rule `score`), a `warning` for
//! each scoring point not fully met (rule `point/<id>`, located at the title, or line 1), and one
//! per located language or structure finding (its rule id). Files that could not be checked are
//! tool execution notifications of level `error`, and make the invocation unsuccessful.
//! Columns count Unicode code points (`columnKind: unicodeCodePoints`), as caifen's do.

use crate::report::{EssayReport, RunReport};
use crate::rubric::fmt_pts;
use crate::score::PointStatus;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Characters left as they are in a URI reference path (RFC 3986 unreserved, and `/`).
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A file path as a relative URI reference (`/` separators, percent-encoded UTF-8).
pub fn uri(file: &str) -> String {
    let f = super::repo_path(file).replace('\\', "/");
    percent_encoding::utf8_percent_encode(&f, PATH).to_string()
}

fn location(file: &str, line: usize, column: usize, snippet: Option<&str>) -> Value {
    let mut region = json!({ "startLine": line.max(1), "startColumn": column.max(1) });
    if let Some(s) = snippet.filter(|s| !s.is_empty()) {
        region["snippet"] = json!({ "text": s });
    }
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(file) },
            "region": region,
        }
    })
}

fn title_at(a: &EssayReport) -> (usize, usize) {
    a.structure
        .title
        .as_ref()
        .map_or((1, 1), |t| (t.start.line, t.start.column))
}

fn level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "info" => "note",
        _ => "warning",
    }
}

fn run_object(run: &RunReport) -> Value {
    // Rules: the score, every scoring point, then the finding rules met, by id.
    let mut rules: Vec<Value> = vec![json!({
        "id": "score",
        "name": "Score",
        "shortDescription": { "text": "总分与分档" },
        "defaultConfiguration": { "level": "note" },
    })];
    if let Some(a) = run.answers.first() {
        for p in &a.points {
            rules.push(json!({
                "id": format!("point/{}", p.id),
                "name": p.id,
                "shortDescription": { "text": format!("采分点「{}」（{} 分）", p.name, fmt_pts(p.max)) },
                "defaultConfiguration": { "level": "warning" },
            }));
        }
    }
    let mut finding_rules: BTreeMap<&str, &str> = BTreeMap::new();
    for a in &run.answers {
        for x in &a.findings {
            finding_rules.entry(x.rule).or_insert(x.severity);
        }
    }
    for (id, severity) in &finding_rules {
        rules.push(json!({
            "id": id,
            "name": id,
            "shortDescription": { "text": id },
            "defaultConfiguration": { "level": level(severity) },
        }));
    }

    let mut items: Vec<(usize, Vec<Value>)> = Vec::new();
    for a in &run.answers {
        let s = &a.score;
        let (line, col) = title_at(a);
        let mut results = vec![json!({
            "ruleId": "score",
            "level": "note",
            "message": { "text": super::total_line(s) },
            "locations": [location(&a.file, line, col, None)],
            "properties": {
                "total": s.total,
                "max": s.max,
                "band": s.band,
                "belowPassMark": crate::exit::below_pass_mark(run, a),
            },
        })];
        for p in a.points.iter().filter(|p| p.status != PointStatus::Met) {
            results.push(json!({
                "ruleId": format!("point/{}", p.id),
                "level": "warning",
                "message": { "text": super::point_line(p, true) },
                "locations": [location(&a.file, line, col, None)],
            }));
        }
        for x in &a.findings {
            let (line, col, text) = x.at.as_ref().map_or((1, 1, None), |l| {
                (l.start.line, l.start.column, Some(l.text.as_str()))
            });
            results.push(json!({
                "ruleId": x.rule,
                "level": level(x.severity),
                "message": { "text": x.message },
                "locations": [location(&a.file, line, col, text)],
            }));
        }
        items.push((a.order, results));
    }
    items.sort_by_key(|(o, _)| *o);
    let results: Vec<Value> = items.into_iter().flat_map(|(_, r)| r).collect();
    let mut errors: Vec<&crate::report::InputError> = run.errors.iter().collect();
    errors.sort_by_key(|e| e.order);
    let notifications: Vec<Value> = errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": e.error },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(&e.file) } } }],
            })
        })
        .collect();
    json!({
        "tool": {
            "driver": {
                "name": "caifen",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }
        },
        "automationDetails": { "id": format!("caifen/{}/", run.rubric.id) },
        "columnKind": "unicodeCodePoints",
        "invocations": [{
            "executionSuccessful": run.errors.is_empty(),
            "toolExecutionNotifications": notifications,
        }],
        "results": results,
        "properties": {
            "rubric": run.rubric.id,
            "rubricTitle": run.rubric.title,
            "total": run.rubric.total,
            "passMark": run.pass_mark,
            "passBand": run.pass_band,
        },
    })
}

/// Write one SARIF log holding a run per rubric.
pub fn write(out: &mut dyn Write, runs: &[RunReport]) -> io::Result<()> {
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": runs.iter().map(run_object).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
