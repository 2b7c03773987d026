//! The `caifen serve` page in real headless Chromium, driven over WebDriver (Debian's chromium and
//! chromium-driver, installed by `.ci/run`; the fantoccini client): paste an answer and pick a
//! rubric, upload a .docx, upload a zip of five answers and download the CSV. Skipped without
//! chromedriver outside CI.

mod common;

use common::serve::{docx_of, zip_of, Server};
use fantoccini::{ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `chromedriver --port=N`; killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Option<Driver> {
    let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(exe) = exe else {
        if std::env::var_os("CI").is_some() {
            panic!("chromedriver is required in CI (.ci/run installs chromium-driver)");
        }
        eprintln!("skipping: no chromedriver");
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(exe)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr = format!("127.0.0.1:{port}");
    let start = Instant::now();
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Driver {
        child,
        url: format!("http://{addr}"),
    })
}

fn capabilities(profile: &Path, downloads: &Path) -> fantoccini::wd::Capabilities {
    let caps = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": common::CHROMIUM_FLAGS
                .iter()
                .map(|f| f.to_string())
                .chain([
                    "--disable-dev-shm-usage".to_owned(),
                    "--window-size=1100,1400".to_owned(),
                    format!("--user-data-dir={}", profile.display()),
                ])
                .collect::<Vec<_>>(),
            "prefs": {
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
            },
        },
    });
    match caps {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    }
}

/// Wait for a finished download in `dir`.
/// The file Chromium downloaded into `dir`, once it is complete. Chromium
/// reserves the final name with an empty file before it writes the data
/// into a `.crdownload` beside it, so a file only counts as done when no
/// partial download is left and its size is above zero and the same on two
/// polls in a row.
fn downloaded(dir: &Path) -> PathBuf {
    let start = Instant::now();
    let mut last: Option<(PathBuf, u64)> = None;
    loop {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let partial = files.iter().any(|p| {
            p.extension()
                .is_some_and(|e| e == "crdownload" || e == "tmp")
        });
        let done = files.into_iter().find(|p| {
            p.extension()
                .is_some_and(|e| e != "crdownload" && e != "tmp")
        });
        let now = match done {
            Some(p) if !partial => {
                let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                (len > 0).then_some((p, len))
            }
            _ => None,
        };
        if let Some((path, len)) = &now {
            if last.as_ref() == Some(&(path.clone(), *len)) {
                return path.clone();
            }
        }
        last = now;
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no complete download in {}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Open `url`, choose `rubric` in the select `select`, type `keys` (answer text, or a file's path
/// for a file input) into `field`, and press `button`.
async fn submit(
    client: &fantoccini::Client,
    url: &str,
    select: &str,
    rubric: &str,
    field: &str,
    keys: &str,
    button: &str,
) {
    client.goto(url).await.unwrap();
    client
        .find(Locator::Id(select))
        .await
        .unwrap()
        .select_by_value(rubric)
        .await
        .unwrap();
    client
        .find(Locator::Id(field))
        .await
        .unwrap()
        .send_keys(keys)
        .await
        .unwrap();
    client
        .find(Locator::Id(button))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// The text of the element `css`, waiting until the page has it.
async fn wait_text(client: &fantoccini::Client, css: &str) -> String {
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn cli_answer(dir: &Path, rubric: &str, file: &str) -> serde_json::Value {
    let o = common::run_caifen(
        env!("CARGO_BIN_EXE_caifen"),
        dir,
        &[
            "check",
            "--no-config",
            "--format",
            "json",
            "--rubric",
            rubric,
            file,
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    v["answers"][0].clone()
}

#[test]
fn the_page_in_headless_chromium() {
    let Some(shared) = common::shared() else {
        return;
    };
    let Some(driver) = chromedriver() else {
        return;
    };
    let dir = common::tempdir("browser");
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let essays = shared.join("corpus/essays");
    let q4 = "gwy_guojia_2022_Xingzhengzhifa_q4";

    // What the CLI says, for comparison.
    let pasted = essays.join("jingyan_20.txt");
    let want_pasted = cli_answer(&dir, q4, pasted.to_str().unwrap());
    std::fs::write(
        dir.join("jingyan_18.docx"),
        docx_of(&common::text(&essays.join("jingyan_18.txt"))),
    )
    .unwrap();
    let want_docx = cli_answer(&dir, q4, "jingyan_18.docx");
    std::fs::create_dir_all(dir.join("班")).unwrap();
    let mut entries = Vec::new();
    for stem in [
        "jingyan_14",
        "jingyan_15",
        "jingyan_16",
        "jingyan_17",
        "jingyan_21",
    ] {
        let bytes = common::read(&essays.join(format!("{stem}.txt")));
        std::fs::write(dir.join(format!("班/{stem}.txt")), &bytes).unwrap();
        entries.push((format!("班/{stem}.txt"), bytes));
    }
    std::fs::write(dir.join("班.zip"), zip_of(&entries)).unwrap();
    let o = common::run_caifen(
        env!("CARGO_BIN_EXE_caifen"),
        &dir,
        &[
            "check",
            "--no-config",
            "--exit-zero",
            "--rubric",
            q4,
            "--format",
            "csv",
            "班",
        ],
        None,
    );
    let want_csv = o.stdout;

    let server = Server::start(&[]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities(&dir.join("profile"), &downloads))
            .connect(&driver.url)
            .await
            .expect("a WebDriver session in Chromium");

        // Paste an answer, pick a rubric, submit, read the band off the page.
        let url = server.url("/");
        let text = common::text(&pasted);
        submit(
            &client,
            &url,
            "single-rubric",
            q4,
            "answer-text",
            &text,
            "check-one",
        )
        .await;
        let band = wait_text(&client, "#result .band").await;
        assert_eq!(band, want_pasted["score"]["band"].as_str().unwrap());
        let summary = client
            .find(Locator::Css("#result section.student > p"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let total = caifen::rubric::fmt_pts(want_pasted["score"]["total"].as_f64().unwrap());
        assert!(summary.starts_with(&format!("总分 {total} /")), "{summary}");
        // The evidence is marked in the answer text.
        let marks = client
            .find_all(Locator::Css("#result .answer mark"))
            .await
            .unwrap();
        assert!(marks.len() >= 5, "{} marks", marks.len());

        // Upload a .docx.
        let docx = dir.join("jingyan_18.docx");
        let docx = docx.to_str().unwrap();
        submit(
            &client,
            &url,
            "single-rubric",
            q4,
            "answer-file",
            docx,
            "check-one",
        )
        .await;
        let band = wait_text(&client, "#result .band").await;
        assert_eq!(band, want_docx["score"]["band"].as_str().unwrap());
        let source = client.source().await.unwrap();
        assert!(source.contains("编码 docx"));

        // Upload a zip of five answers and download the CSV.
        let zip = dir.join("班.zip");
        let zip = zip.to_str().unwrap();
        submit(
            &client,
            &url,
            "class-rubric",
            q4,
            "class-files",
            zip,
            "check-class",
        )
        .await;
        let link = client
            .wait()
            .for_element(Locator::Id("download-csv"))
            .await
            .unwrap();
        let sections = client
            .find_all(Locator::Css("#result section.student"))
            .await
            .unwrap();
        assert_eq!(sections.len(), 5);
        link.click().await.unwrap();
        let csv = std::fs::read(downloaded(&downloads)).unwrap();
        assert_eq!(csv, want_csv, "the downloaded CSV is check --format csv's");

        client.close().await.unwrap();
    });
}
