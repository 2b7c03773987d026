//! Uploaded answer files for `caifen serve`: a class folder as several files and/or .zip archives,
//! unpacked in memory under limits (files per upload, zip entries, uncompressed bytes), never
//! written to disk.

use std::io::Read;

/// What an upload may hold. The request's own size is limited before it is read (see
/// [`super::Limits::request_bytes`]).
#[derive(Clone, Copy, Debug)]
pub struct UploadLimits {
    /// Files in one upload (answers and archives as sent by the browser).
    pub files: usize,
    /// Entries in one .zip (folders and skipped files included).
    pub zip_entries: usize,
    /// Bytes of all the .zip entries of one upload once uncompressed.
    pub zip_bytes: u64,
}

/// One uploaded file, as the browser named it.
#[derive(Clone, Debug)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The answers found in an upload, sorted by name (path order, as the CLI walks a folder), and
/// the files that are not answers.
#[derive(Debug, Default)]
pub struct Class {
    pub answers: Vec<Upload>,
    /// Files with another ending (and Word lock files `~$…`), by name.
    pub skipped: Vec<String>,
}

/// Why an upload was refused as a whole.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum UploadError {
    #[error("一次最多上传 {max} 个文件，这次有 {found} 个")]
    TooManyFiles { max: usize, found: usize },
    #[error("{zip}：压缩包最多 {max} 项，这个有 {found} 项")]
    TooManyEntries {
        zip: String,
        max: usize,
        found: usize,
    },
    #[error("压缩包解压后超过 {max} 字节的上限")]
    TooLarge { max: u64 },
    #[error("{zip}：不是可以读取的 .zip 压缩包（{reason}）")]
    BadZip { zip: String, reason: String },
    #[error("没有收到作答文件：请选择 .txt、.md、.docx 文件或一个 .zip 压缩包")]
    Empty,
}

/// Whether a file name is an answer by its ending (the CLI's default `--ext`).
pub fn is_answer_name(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.starts_with("~$") {
        return false;
    }
    let lower = base.to_lowercase();
    crate::input::DEFAULT_EXTENSIONS
        .iter()
        .any(|e| lower.ends_with(&format!(".{e}")))
}

fn is_zip_name(name: &str) -> bool {
    name.to_lowercase().ends_with(".zip")
}

/// Sort the uploaded files into answers and skipped files, unpacking .zip archives.
pub fn collect(files: Vec<Upload>, limits: &UploadLimits) -> Result<Class, UploadError> {
    if files.len() > limits.files {
        return Err(UploadError::TooManyFiles {
            max: limits.files,
            found: files.len(),
        });
    }
    if files.is_empty() {
        return Err(UploadError::Empty);
    }
    let mut class = Class::default();
    let mut unpacked: u64 = 0;
    for f in files {
        if is_zip_name(&f.name) {
            unzip(&f, limits, &mut unpacked, &mut class)?;
        } else if is_answer_name(&f.name) {
            class.answers.push(f);
        } else {
            class.skipped.push(f.name);
        }
    }
    if class.answers.is_empty() && class.skipped.is_empty() {
        return Err(UploadError::Empty);
    }
    class.answers.sort_by(|a, b| a.name.cmp(&b.name));
    class.skipped.sort();
    Ok(class)
}

/// An entry's name: UTF-8 when it is (the zip's UTF-8 flag or plain ASCII), else GB18030 — the
/// code page of the zip tools of Chinese Windows, which do not mark their names.
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

fn unzip(
    f: &Upload,
    limits: &UploadLimits,
    unpacked: &mut u64,
    class: &mut Class,
) -> Result<(), UploadError> {
    let bad = |e: &dyn std::fmt::Display| UploadError::BadZip {
        zip: f.name.clone(),
        reason: e.to_string(),
    };
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(f.bytes.as_slice())).map_err(|e| bad(&e))?;
    if archive.len() > limits.zip_entries {
        return Err(UploadError::TooManyEntries {
            zip: f.name.clone(),
            max: limits.zip_entries,
            found: archive.len(),
        });
    }
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| bad(&e))?;
        if entry.is_dir() {
            continue;
        }
        // `./a.txt` is `a.txt`; a name climbing out (`../x.txt`) or absolute is listed as
        // skipped, never unpacked anywhere (nothing is written to disk in any case).
        let raw = entry_name(entry.name_raw()).replace('\\', "/");
        let parts: Vec<&str> = raw
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        let name = parts.join("/");
        if parts.contains(&"..") || raw.starts_with('/') {
            class.skipped.push(raw);
            continue;
        }
        // macOS resource forks and hidden files are not part of the class folder.
        if name.is_empty()
            || name.starts_with("__MACOSX/")
            || parts.iter().any(|c| c.starts_with('.'))
        {
            continue;
        }
        if is_zip_name(&name) || !is_answer_name(&name) {
            class.skipped.push(name);
            continue;
        }
        // The header's size may lie: count what is actually inflated.
        let room = limits.zip_bytes.saturating_sub(*unpacked);
        if entry.size() > room {
            return Err(UploadError::TooLarge {
                max: limits.zip_bytes,
            });
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(room.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| bad(&e))?;
        if bytes.len() as u64 > room {
            return Err(UploadError::TooLarge {
                max: limits.zip_bytes,
            });
        }
        *unpacked += bytes.len() as u64;
        class.answers.push(Upload { name, bytes });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const LIMITS: UploadLimits = UploadLimits {
        files: 5,
        zip_entries: 4,
        zip_bytes: 1000,
    };

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, b) in entries {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn up(name: &str, bytes: &[u8]) -> Upload {
        Upload {
            name: name.into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn files_and_zip_entries_sorted_and_skipped() {
        let z = zip_of(&[
            ("班/02.txt", b"b"),
            ("班/01.md", b"a"),
            ("班/说明.pdf", b"x"),
            ("__MACOSX/班/._01.md", b"junk"),
        ]);
        let c = collect(vec![up("class.zip", &z), up("00.docx", b"d")], &LIMITS).unwrap();
        let names: Vec<&str> = c.answers.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["00.docx", "班/01.md", "班/02.txt"]);
        assert_eq!(c.skipped, ["班/说明.pdf"]);
    }

    #[test]
    fn limits_refuse_the_upload() {
        let many: Vec<Upload> = (0..6).map(|i| up(&format!("{i}.txt"), b"x")).collect();
        assert_eq!(
            collect(many, &LIMITS).unwrap_err(),
            UploadError::TooManyFiles { max: 5, found: 6 }
        );
        let z = zip_of(&[
            ("1.txt", b"1"),
            ("2.txt", b"2"),
            ("3.txt", b"3"),
            ("4.txt", b"4"),
            ("5.txt", b"5"),
        ]);
        assert!(matches!(
            collect(vec![up("c.zip", &z)], &LIMITS),
            Err(UploadError::TooManyEntries { found: 5, .. })
        ));
        // Highly compressible: small on the wire, over the limit inflated.
        let big = vec![b'a'; 600];
        let z = zip_of(&[("1.txt", &big), ("2.txt", &big)]);
        assert!(z.len() < 1000);
        assert_eq!(
            collect(vec![up("c.zip", &z)], &LIMITS).unwrap_err(),
            UploadError::TooLarge { max: 1000 }
        );
        assert!(matches!(
            collect(vec![up("c.zip", b"PK\x03\x04 not a zip")], &LIMITS),
            Err(UploadError::BadZip { .. })
        ));
        assert_eq!(collect(vec![], &LIMITS).unwrap_err(), UploadError::Empty);
    }

    #[test]
    fn dot_slash_names_are_answers_and_climbing_names_are_skipped() {
        let z = zip_of(&[
            ("./a.txt", b"a"),
            ("./班/b.txt", b"b"),
            ("../x.txt", b"x"),
            ("班/../../y.txt", b"y"),
        ]);
        let c = collect(vec![up("c.zip", &z)], &LIMITS).unwrap();
        let names: Vec<&str> = c.answers.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "班/b.txt"]);
        assert_eq!(c.skipped, ["../x.txt", "班/../../y.txt"]);
    }

    #[test]
    fn gbk_entry_names_are_read() {
        let (gbk, _, _) = encoding_rs::GBK.encode("张三.txt");
        assert_eq!(entry_name(&gbk), "张三.txt");
        assert_eq!(entry_name("李四.txt".as_bytes()), "李四.txt");
    }
}
