//! `caifen serve`: a local web page (axum on tokio) where a student pastes or uploads an answer
//! and a teacher drops a class folder, and `POST /api/check` for scripts. Uploads live in memory
//! for the request only; nothing is written to disk. Every string from answers and rubrics is
//! escaped by minijinja; the pages hold no script and load nothing from the network.

pub mod upload;

use crate::output::html::{mark_evidence, MarkedPart};
use crate::report::{Checker, EssayReport, InputError, RubricInfo, RunReport};
use crate::rubric::{self, Rubric};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine as _;
use minijinja::{context, Environment, Value};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;
use upload::{Upload, UploadLimits};

const PAGE: &str = include_str!("templates/page.html");

/// What one request may hold.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes of one request body (form or API).
    pub request_bytes: usize,
    /// Files in one upload.
    pub files: usize,
    /// Entries in one .zip.
    pub zip_entries: usize,
    /// Bytes of a class upload's .zip entries once uncompressed.
    pub zip_bytes: u64,
    /// Characters of one answer's decoded text.
    pub answer_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_bytes: 20 << 20,
            files: 200,
            zip_entries: 1000,
            zip_bytes: 100 << 20,
            answer_chars: 20_000,
        }
    }
}

/// A shipped rubric as the page offers it.
#[derive(Clone, Debug, Serialize)]
struct Shipped {
    name: &'static str,
    title: String,
    genre: String,
    /// A genre rubric (structure and language only) rather than a question's.
    is_genre: bool,
}

struct AppState {
    limits: Limits,
    /// Bound to a loopback address: only loopback `Host`s are served.
    loopback: bool,
    shipped: Vec<Shipped>,
    env: Environment<'static>,
}

/// A request refused, with the reason shown to the person (in Chinese) and, for rubric errors,
/// the located problems as the CLI prints them.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    message: String,
    detail: Option<String>,
    /// The rubric problems, for the API's JSON.
    rubric: Option<rubric::RubricError>,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
            detail: None,
            rubric: None,
        }
    }

    fn rubric(e: rubric::RubricError) -> Self {
        Refusal {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: "评分标准有误，请按下面的位置修改后重新上传".into(),
            detail: Some(e.to_string()),
            rubric: Some(e),
        }
    }
}

/// Whether a request's `Host` names this machine's loopback (`127.0.0.1`, `localhost`, `[::1]`,
/// with any port). A page on another site that rebinds its own name to 127.0.0.1 sends its own
/// name here, and is refused.
fn loopback_host(host: &str) -> bool {
    let port_ok = |p: &str| p.is_empty() || (p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    let (name, rest) = match host.strip_prefix('[') {
        Some(inner) => match inner.split_once(']') {
            Some((name, rest)) => (name, rest),
            None => return false,
        },
        None => match host.split_once(':') {
            Some((name, port)) => (
                name,
                if port.is_empty() {
                    ":"
                } else {
                    &host[name.len()..]
                },
            ),
            None => (host, ""),
        },
    };
    // Nothing may follow the name but `:port` (「[::1]evil.com」 is not loopback).
    let after_ok = rest.is_empty()
        || rest
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && port_ok(p));
    after_ok
        && (name.eq_ignore_ascii_case("localhost")
            || name
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()))
}

async fn guard_host(
    State(state): State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    // A request without a readable Host (HTTP/1.1 requires one) is refused like a foreign one.
    let refused = state.loopback && !host.as_deref().is_some_and(loopback_host);
    let h = host.unwrap_or_default();
    if refused && req.uri().path().starts_with("/api/") {
        return json_response(
            StatusCode::FORBIDDEN,
            &serde_json::json!({ "error": format!("only requests to 127.0.0.1 or localhost are served, not via `{h}`") }),
        );
    }
    match refused {
        true => render(
            &state,
            PageView {
                refusal: Some(Refusal::new(
                    StatusCode::FORBIDDEN,
                    format!("这个页面只在本机打开（http://127.0.0.1 或 http://localhost），不接受经由「{h}」的请求"),
                )),
                ..PageView::default()
            },
        ),
        _ => next.run(req).await,
    }
}

/// The application: routes, limits and templates. With `loopback`, requests must name the
/// loopback in their `Host` (DNS rebinding is refused).
pub fn router(limits: Limits, loopback: bool) -> Router {
    let mut env = crate::output::html::environment();
    env.add_template("serve/page.html", PAGE)
        .unwrap_or_else(|e| panic!("template serve/page.html: {e}"));
    let shipped = rubric::BUILTIN
        .iter()
        .filter_map(|(name, yaml)| {
            let r = rubric::load(yaml, &format!("builtin:{name}"), name).ok()?;
            Some(Shipped {
                name,
                title: r.title.clone(),
                genre: r.genre.clone().unwrap_or_default(),
                is_genre: r.points.is_empty(),
            })
        })
        .collect();
    let state = Arc::new(AppState {
        limits,
        loopback,
        shipped,
        env,
    });
    Router::new()
        .route("/", get(index))
        .route("/check", post(check_form))
        .route("/class", post(class_form))
        .route("/api/check", post(api_check))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limits.request_bytes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard_host,
        ))
        .with_state(state)
}

/// Serve on `listener` until the process ends. The jieba dictionary is loaded before the first
/// request, so that the first answer is not slow.
pub fn run(listener: std::net::TcpListener, limits: Limits) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let loopback = listener.local_addr()?.ip().is_loopback();
    std::thread::spawn(|| {
        if let Some(yaml) = rubric::builtin(rubric::DEFAULT_RUBRIC) {
            if let Ok(r) = rubric::load(yaml, "builtin", rubric::DEFAULT_RUBRIC) {
                let _ = Checker::new(&r).check_bytes("warm-up", false, "经验。".as_bytes(), None);
            }
        }
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(limits, loopback)).await
    })
}

// ---------------------------------------------------------------- pages

/// What the page shows besides the forms.
#[derive(Default)]
struct PageView {
    /// The run to show (one answer, or a class).
    run: Option<RunReport>,
    marks: Option<Vec<Vec<MarkedPart>>>,
    class: bool,
    refusal: Option<Refusal>,
    /// Downloads of a class run: (file name, data: URI).
    csv: Option<String>,
    html: Option<String>,
    /// The form as submitted: pasted text, chosen rubric, name pattern.
    text: String,
    rubric: String,
    pattern: String,
}

fn render(state: &AppState, view: PageView) -> Response {
    let status = view.refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let base = match &view.run {
        Some(run) => crate::output::html::values(run, view.marks.as_deref()),
        None => context! {},
    };
    let refusal = view.refusal.as_ref().map(|r| {
        context! {
            status => r.status.as_u16(),
            message => r.message.clone(),
            detail => r.detail.clone(),
        }
    });
    let ctx = context! {
        shipped => Value::from(minijinja::value::Serde(&state.shipped)),
        default_rubric => rubric::DEFAULT_RUBRIC,
        chosen => if view.rubric.is_empty() { rubric::DEFAULT_RUBRIC.to_owned() } else { view.rubric.clone() },
        text => view.text,
        pattern => view.pattern,
        class => view.class,
        refusal => refusal,
        csv => view.csv,
        html_report => view.html,
        limits => context! {
            request_mb => state.limits.request_bytes as f64 / (1 << 20) as f64,
            files => state.limits.files,
            zip_entries => state.limits.zip_entries,
            zip_mb => state.limits.zip_bytes as f64 / (1 << 20) as f64,
            answer_chars => state.limits.answer_chars,
        },
        ..base
    };
    let html = state
        .env
        .get_template("serve/page.html")
        .and_then(|t| t.render(ctx));
    match html {
        Ok(h) => (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            h,
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("caifen: template error: {e}"),
        )
            .into_response(),
    }
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    render(&state, PageView::default())
}

async fn not_found(State(state): State<Arc<AppState>>) -> Response {
    render(
        &state,
        PageView {
            refusal: Some(Refusal::new(
                StatusCode::NOT_FOUND,
                "没有这个页面：请从首页开始",
            )),
            ..PageView::default()
        },
    )
}

/// The fields of a submitted form, files in memory.
#[derive(Default)]
struct Form {
    fields: Vec<(String, String)>,
    files: Vec<(String, Upload)>,
}

impl Form {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn files(&mut self, name: &str) -> Vec<Upload> {
        let (taken, kept) = std::mem::take(&mut self.files)
            .into_iter()
            .partition(|(n, _)| n == name);
        self.files = kept;
        taken.into_iter().map(|(_, u)| u).collect()
    }
}

fn multipart_refusal(e: &axum::extract::multipart::MultipartError, limits: &Limits) -> Refusal {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limits)
    } else {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("上传的表单无法读取：{}", e.body_text()),
        )
    }
}

fn too_large(limits: &Limits) -> Refusal {
    Refusal::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!(
            "上传内容超过 {} MB 的上限（caifen serve --max-request-bytes）",
            fmt_mb(limits.request_bytes as u64)
        ),
    )
}

fn fmt_mb(bytes: u64) -> String {
    rubric::fmt_pts(((bytes as f64 / (1 << 20) as f64) * 100.0).round() / 100.0)
}

/// Read a multipart form; file parts with no file chosen (an empty name) are dropped.
async fn read_form(
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    limits: &Limits,
) -> Result<Form, Refusal> {
    let mut mp = mp.map_err(|e| {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            format!("请通过页面上的表单提交（multipart/form-data）：{e}"),
        )
    })?;
    let mut form = Form::default();
    let mut files = 0usize;
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| multipart_refusal(&e, limits))?
    {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_refusal(&e, limits))?;
        match file_name {
            Some(f) if f.is_empty() && bytes.is_empty() => {}
            Some(f) => {
                files += 1;
                if files > limits.files {
                    return Err(Refusal::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!(
                            "一次最多上传 {} 个文件（caifen serve --max-files）",
                            limits.files
                        ),
                    ));
                }
                // Browsers send a bare name; some send a path: keep the path inside the folder.
                let f = f.replace('\\', "/");
                form.files.push((
                    name,
                    Upload {
                        name: f,
                        bytes: bytes.to_vec(),
                    },
                ));
            }
            None => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    Refusal::new(
                        StatusCode::BAD_REQUEST,
                        format!("表单项 {name} 不是 UTF-8 文本"),
                    )
                })?;
                form.fields.push((name, text));
            }
        }
    }
    Ok(form)
}

/// The rubric of a form: an uploaded YAML file wins over the shipped one chosen.
fn form_rubric(form: &mut Form) -> Result<Rubric, Refusal> {
    let mut uploaded = form.files("rubric_file");
    match uploaded.pop() {
        Some(u) => {
            let text = crate::decode::text_file(&u.bytes).map(|t| t.0).map_err(|e| {
                Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!(
                        "{}：评分标准文件第 {} 行第 {} 列起不是文本（UTF-8、UTF-16、GBK、GB18030 或 Big5），请另存为 UTF-8",
                        u.name, e.line, e.column
                    ),
                )
            })?;
            let stem = u
                .name
                .rsplit('/')
                .next()
                .and_then(|b| b.split('.').next())
                .filter(|s| !s.is_empty())
                .unwrap_or("rubric")
                .to_owned();
            rubric::load_detached(&text, &u.name, &stem).map_err(Refusal::rubric)
        }
        None => shipped_rubric(form.field("rubric")),
    }
}

fn shipped_rubric(name: &str) -> Result<Rubric, Refusal> {
    let name = name.trim();
    let name = if name.is_empty() {
        rubric::DEFAULT_RUBRIC
    } else {
        name
    };
    match rubric::builtin(name) {
        Some(yaml) => rubric::load(yaml, &format!("builtin:{name}"), name).map_err(Refusal::rubric),
        None => {
            let names: Vec<&str> = rubric::BUILTIN.iter().map(|(n, _)| *n).collect();
            Err(Refusal::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "没有名为「{name}」的内置评分标准（可选：{}）",
                    names.join("、")
                ),
            ))
        }
    }
}

/// One answer checked, with its decoded text; or why it could not be.
type Checked = Result<(EssayReport, String), Refusal>;

/// Check one answer, keeping its decoded text (for marking the evidence).
fn check_answer(checker: &Checker, name: &str, bytes: &[u8], limits: &Limits) -> Checked {
    let doc = crate::report::read_answer(name, bytes, None).map_err(|e| {
        Refusal::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "无法读取作答：{}",
                crate::output::error_in_chinese(&e.to_string())
            ),
        )
    })?;
    let chars = doc.text.chars().count();
    if chars > limits.answer_chars {
        return Err(Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "作答有 {chars} 个字符，超过 {} 个字符的上限（caifen serve --max-answer-chars）",
                limits.answer_chars
            ),
        ));
    }
    let report = checker.check_document(name, false, &doc);
    Ok((report, doc.text))
}

/// A run of checked answers and errors under one rubric, as `caifen check` builds it.
fn run_of(
    rubric: &Rubric,
    answers: Vec<EssayReport>,
    errors: Vec<InputError>,
    skipped: Vec<String>,
    student_fields: Vec<String>,
) -> RunReport {
    let summary = crate::summary::summarise(rubric, &answers, &errors, skipped);
    RunReport {
        schema_version: 1,
        rubric: RubricInfo::of(rubric),
        answers,
        errors,
        summary,
        pass_mark: None,
        pass_band: None,
        student_fields,
    }
}

/// The name a pasted answer goes by in the page.
const PASTED: &str = "粘贴的作答";

const ANSWER_ENDINGS: &str = ".txt、.md、.docx";

async fn check_form(
    State(state): State<Arc<AppState>>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let limits = state.limits;
    let mut form = match read_form(mp, &limits).await {
        Ok(f) => f,
        Err(r) => return refused(&state, r, PageView::default()),
    };
    let view = PageView {
        text: form.field("text").to_owned(),
        rubric: form.field("rubric").to_owned(),
        ..PageView::default()
    };
    let rubric = match form_rubric(&mut form) {
        Ok(r) => r,
        Err(r) => return refused(&state, r, view),
    };
    let (name, bytes) = match form.files("file").pop() {
        Some(u) => {
            if !upload::is_answer_name(&u.name) {
                let r = Refusal::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "{}：只能上传 {ANSWER_ENDINGS} 文件（全班的作答请用「班级批改」）",
                        u.name
                    ),
                );
                return refused(&state, r, view);
            }
            (u.name, u.bytes)
        }
        None if form.field("text").trim().is_empty() => {
            let r = Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("请粘贴作答，或上传一个 {ANSWER_ENDINGS} 文件"),
            );
            return refused(&state, r, view);
        }
        None => (PASTED.to_owned(), form.field("text").as_bytes().to_vec()),
    };
    let checked = tokio::task::spawn_blocking(move || {
        let checker = Checker::new(&rubric);
        check_answer(&checker, &name, &bytes, &limits).map(|(report, text)| {
            let marks = vec![mark_evidence(&text, &report)];
            (run_of(&rubric, vec![report], vec![], vec![], vec![]), marks)
        })
    })
    .await;
    match checked {
        Ok(Ok((run, marks))) => render(
            &state,
            PageView {
                run: Some(run),
                marks: Some(marks),
                ..view
            },
        ),
        Ok(Err(r)) => refused(&state, r, view),
        Err(e) => refused(
            &state,
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, format!("批改失败：{e}")),
            view,
        ),
    }
}

fn refused(state: &AppState, refusal: Refusal, view: PageView) -> Response {
    render(
        state,
        PageView {
            refusal: Some(refusal),
            ..view
        },
    )
}

fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

async fn class_form(
    State(state): State<Arc<AppState>>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let limits = state.limits;
    let mut form = match read_form(mp, &limits).await {
        Ok(f) => f,
        Err(r) => return refused(&state, r, class_view(PageView::default())),
    };
    let view = class_view(PageView {
        rubric: form.field("rubric").to_owned(),
        pattern: form.field("name_pattern").to_owned(),
        ..PageView::default()
    });
    let rubric = match form_rubric(&mut form) {
        Ok(r) => r,
        Err(r) => return refused(&state, r, view),
    };
    let pattern = match view.pattern.trim() {
        "" => None,
        p => match crate::student::NamePattern::new(p) {
            Ok(p) => Some(p),
            Err(e) => {
                let r = Refusal::new(StatusCode::BAD_REQUEST, format!("文件名模式有误：{e}"));
                return refused(&state, r, view);
            }
        },
    };
    let up_limits = UploadLimits {
        files: limits.files,
        zip_entries: limits.zip_entries,
        zip_bytes: limits.zip_bytes,
    };
    let files = form.files("files");
    let checked = tokio::task::spawn_blocking(move || {
        let class = upload::collect(files, &up_limits)
            .map_err(|e| Refusal::new(upload_status(&e), e.to_string()))?;
        let checker = Checker::new(&rubric);
        let results: Vec<(usize, Checked)> = class
            .answers
            .par_iter()
            .enumerate()
            .map(|(n, u)| (n, check_answer(&checker, &u.name, &u.bytes, &limits)))
            .collect();
        let mut answers = Vec::new();
        let mut marks = Vec::new();
        let mut errors = Vec::new();
        for (n, r) in results {
            let student = pattern.as_ref().map(|p| p.student(&class.answers[n].name));
            match r {
                Ok((mut report, text)) => {
                    report.order = n;
                    report.student = student;
                    marks.push(mark_evidence(&text, &report));
                    answers.push(report);
                }
                Err(refusal) => errors.push(InputError {
                    file: class.answers[n].name.clone(),
                    file_lossy: false,
                    student,
                    error: refusal.message,
                    order: n,
                }),
            }
        }
        let fields = pattern
            .as_ref()
            .map_or_else(Vec::new, |p| p.names().to_vec());
        let run = run_of(&rubric, answers, errors, class.skipped, fields);
        let mut csv = Vec::new();
        let mut html = Vec::new();
        crate::output::csv::write(&mut csv, &run, true)
            .and_then(|()| crate::output::html::write(&mut html, &run))
            .map_err(|e| Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok::<_, Refusal>((run, marks, csv, html))
    })
    .await;
    match checked {
        Ok(Ok((run, marks, csv, html))) => render(
            &state,
            PageView {
                run: Some(run),
                marks: Some(marks),
                csv: Some(data_uri("text/csv;charset=utf-8", &csv)),
                html: Some(data_uri("text/html;charset=utf-8", &html)),
                ..view
            },
        ),
        Ok(Err(r)) => refused(&state, r, view),
        Err(e) => refused(
            &state,
            Refusal::new(StatusCode::INTERNAL_SERVER_ERROR, format!("批改失败：{e}")),
            view,
        ),
    }
}

fn class_view(view: PageView) -> PageView {
    PageView {
        class: true,
        ..view
    }
}

fn upload_status(e: &upload::UploadError) -> StatusCode {
    use upload::UploadError as E;
    match e {
        E::TooManyFiles { .. } | E::TooManyEntries { .. } | E::TooLarge { .. } => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        E::BadZip { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        E::Empty => StatusCode::BAD_REQUEST,
    }
}

// ---------------------------------------------------------------- API

/// `POST /api/check`: `{"text": "…", "rubric": "<shipped name or YAML>", "file": "name.md"}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiRequest {
    text: String,
    #[serde(default)]
    rubric: Option<String>,
    /// The answer's file name (a `.md` name sets Markdown aside); default `<text>`.
    #[serde(default)]
    file: Option<String>,
}

#[derive(Serialize)]
struct ApiError {
    error: String,
    /// The rubric's problems (file, problems[] with line, column, key, message), when the
    /// rubric did not load.
    #[serde(skip_serializing_if = "Option::is_none")]
    rubric_error: Option<rubric::RubricError>,
}

fn api_error(r: Refusal) -> Response {
    let body = ApiError {
        error: match &r.detail {
            Some(d) => format!("{}\n{d}", r.message),
            None => r.message,
        },
        rubric_error: r.rubric,
    };
    json_response(r.status, &body)
}

fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec_pretty(value) {
        Ok(mut b) => {
            b.push(b'\n');
            (
                status,
                [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
                b,
            )
                .into_response()
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// The rubric of an API request: a shipped name (or genre), else rubric YAML.
fn api_rubric(spec: Option<&str>) -> Result<Rubric, Refusal> {
    match spec.map(str::trim) {
        None | Some("") => shipped_rubric(rubric::DEFAULT_RUBRIC),
        Some(s) if !s.contains('\n') && rubric::builtin(s).is_some() => shipped_rubric(s),
        Some(s) if !s.contains('\n') && !s.contains(':') => shipped_rubric(s),
        Some(_) => {
            let yaml = spec.unwrap_or_default();
            rubric::load_detached(yaml, "<rubric>", "rubric").map_err(Refusal::rubric)
        }
    }
}

async fn api_check(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let limits = state.limits;
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return api_error(too_large(&limits))
        }
        Err(e) => {
            return api_error(Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("cannot read the request: {e}"),
            ))
        }
    };
    let req: ApiRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return api_error(Refusal::new(
                StatusCode::BAD_REQUEST,
                format!("请求不是 {{\"text\": \"…\", \"rubric\": \"…\"}} 形式的 JSON：{e}"),
            ))
        }
    };
    let checked = tokio::task::spawn_blocking(move || {
        let rubric = api_rubric(req.rubric.as_deref())?;
        let name = req.file.unwrap_or_else(|| "<text>".to_owned());
        let checker = Checker::new(&rubric);
        let (report, _) = check_answer(&checker, &name, req.text.as_bytes(), &limits)?;
        Ok::<_, Refusal>(run_of(&rubric, vec![report], vec![], vec![], vec![]))
    })
    .await;
    match checked {
        Ok(Ok(run)) => json_response(StatusCode::OK, &run),
        Ok(Err(r)) => api_error(r),
        Err(e) => api_error(Refusal::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("check failed: {e}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn loopback_hosts() {
        for ok in [
            "127.0.0.1:8421",
            "localhost:8421",
            "LOCALHOST",
            "[::1]:8421",
            "127.1.2.3",
        ] {
            assert!(super::loopback_host(ok), "{ok}");
        }
        for no in [
            "evil.example:8421",
            "localhost.evil.example",
            "192.168.1.2:8421",
            "[::2]",
            "",
            "[::1]evil.com",
            "[::1",
            "localhost:",
            "127.0.0.1:80:80",
            "localhost:http",
        ] {
            assert!(!super::loopback_host(no), "{no}");
        }
    }
}
