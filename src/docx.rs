//! .docx extraction with zip + quick-xml: the body's paragraphs in order (tables in order, text
//! boxes once), tabs, soft line breaks, no-break hyphens, runs joined; the title and headings that
//! exist only as Word styles or outline levels are passed on as [`Hints`] (cases B28, B29, B31).

use crate::segment::Hints;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;
use std::io::Read;

/// Largest uncompressed XML part read (bytes); a bigger part is refused as a likely zip bomb.
pub const MAX_PART_BYTES: u64 = 16 << 20;
/// Most entries (files and folders) a .docx zip may hold: a Word document has a few dozen (a few
/// hundred with many images); more is refused as a likely zip bomb.
pub const MAX_ENTRIES: usize = 10_000;
/// Largest text extracted from one document, in bytes (as the `--max-bytes` default for text files).
pub const MAX_TEXT_BYTES: usize = 10 << 20;

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DocxError {
    #[error("damaged .docx (not a readable zip): {0}")]
    Zip(String),
    #[error("no word/document.xml: not a Word .docx document")]
    NoDocument,
    #[error("damaged .docx: {0}")]
    Xml(String),
    /// The part (word/document.xml or word/styles.xml) that is too large.
    #[error("{0} is larger than {mb} MB uncompressed", mb = MAX_PART_BYTES >> 20)]
    TooLarge(&'static str),
    #[error("the .docx holds more than {MAX_ENTRIES} zip entries: not a Word document")]
    TooManyEntries,
    #[error("the document's text is larger than {} MB: not an answer", MAX_TEXT_BYTES >> 20)]
    TextTooLarge,
}

/// Whether bytes are a zip archive (a .docx is one).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn read_part(
    zip: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &'static str,
) -> Result<Option<Vec<u8>>, DocxError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::Zip(e.to_string())),
    };
    let mut buf = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| DocxError::Zip(e.to_string()))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge(name));
    }
    Ok(Some(buf))
}

/// Style id → (heading level 1-based, is title), from word/styles.xml (basedOn followed).
fn styles(xml: &[u8]) -> HashMap<String, (Option<u8>, bool)> {
    struct S {
        name: String,
        outline: Option<u8>,
        based_on: Option<String>,
    }
    let mut map: HashMap<String, S> = HashMap::new();
    let mut r = Reader::from_reader(xml);
    let mut cur: Option<(String, S)> = None;
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .map(|a| a.value.into_owned())
                };
                match e.name().as_ref() {
                    "w:style" => {
                        if let Some(id) = attr("w:styleId") {
                            cur = Some((
                                id,
                                S {
                                    name: String::new(),
                                    outline: None,
                                    based_on: None,
                                },
                            ));
                        }
                    }
                    "w:name" => {
                        if let (Some((_, s)), Some(v)) = (cur.as_mut(), attr("w:val")) {
                            s.name = v;
                        }
                    }
                    "w:outlineLvl" => {
                        if let (Some((_, s)), Some(v)) = (cur.as_mut(), attr("w:val")) {
                            s.outline = v.parse::<u8>().ok().filter(|&l| l < 9).map(|l| l + 1);
                        }
                    }
                    "w:basedOn" => {
                        if let (Some((_, s)), Some(v)) = (cur.as_mut(), attr("w:val")) {
                            s.based_on = Some(v);
                        }
                    }
                    _ => {}
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == "w:style" => {
                if let Some((id, s)) = cur.take() {
                    map.insert(id, s);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let level_of_name = |name: &str| -> Option<u8> {
        let n = name.trim().to_lowercase();
        let rest = n
            .strip_prefix("heading")
            .or_else(|| n.strip_prefix("标题"))?;
        rest.trim()
            .parse::<u8>()
            .ok()
            .filter(|&l| (1..=9).contains(&l))
    };
    let mut out = HashMap::new();
    for (id, s) in &map {
        let mut level = s.outline.or_else(|| level_of_name(&s.name));
        let mut title = matches!(s.name.trim().to_lowercase().as_str(), "title" | "标题");
        let mut base = s.based_on.clone();
        let mut hops = 0;
        while let (Some(b), true) = (base.clone(), hops < 16) {
            let Some(p) = map.get(&b) else { break };
            level = level.or(p.outline).or_else(|| level_of_name(&p.name));
            title = title || matches!(p.name.trim().to_lowercase().as_str(), "title" | "标题");
            base = p.based_on.clone();
            hops += 1;
        }
        out.insert(id.clone(), (level, title));
    }
    out
}

/// Extract the text of a .docx: one line per paragraph; a soft line break becomes U+2028 (a line
/// break inside the paragraph, whitespace to the counts).
pub fn extract(bytes: &[u8]) -> Result<(String, Hints), DocxError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| DocxError::Zip(e.to_string()))?;
    // Reading the central directory costs at most the input's size (bounded by --max-bytes);
    // refuse before any entry is looked up or decompressed.
    if zip.len() > MAX_ENTRIES {
        return Err(DocxError::TooManyEntries);
    }
    let doc = read_part(&mut zip, "word/document.xml")?.ok_or(DocxError::NoDocument)?;
    let style_map = read_part(&mut zip, "word/styles.xml")?
        .map(|x| styles(&x))
        .unwrap_or_default();

    let mut r = Reader::from_reader(doc.as_slice());
    let mut buf = Vec::new();
    // Paragraphs may nest (a text box inside a paragraph): a stack of open paragraphs.
    let mut stack: Vec<Para> = Vec::new();
    let mut done: Vec<Para> = Vec::new();
    let mut in_text = false;
    // Inside mc:Fallback (the same content as mc:Choice) or w:moveFrom (the old place of moved
    // text, which w:moveTo holds again).
    let mut skip_depth = 0usize;
    // The current run is hidden text (w:vanish): invisible in Word, so not part of the answer.
    let mut in_run = false;
    let mut run_hidden = false;
    let mut total = 0usize;
    loop {
        let ev = r
            .read_event_into(&mut buf)
            .map_err(|e| DocxError::Xml(e.to_string()))?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name();
                if skip_depth > 0 {
                    if !empty {
                        skip_depth += 1;
                    }
                } else {
                    let attr = |key: &str| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == key)
                            .map(|a| a.value.into_owned())
                    };
                    match name.as_ref() {
                        "mc:Fallback" | "w:moveFrom" if !empty => skip_depth = 1,
                        "w:r" if !empty => {
                            in_run = true;
                            run_hidden = false;
                        }
                        "w:vanish" if in_run => {
                            run_hidden =
                                !matches!(attr("w:val").as_deref(), Some("0" | "false" | "off"));
                        }
                        "w:p" => {
                            stack.push(Para {
                                text: String::new(),
                                style: None,
                                outline: None,
                            });
                            if empty {
                                if let Some(p) = stack.pop() {
                                    done.push(p);
                                }
                            }
                        }
                        "w:pStyle" => {
                            if let Some(p) = stack.last_mut() {
                                p.style = attr("w:val");
                            }
                        }
                        "w:outlineLvl" => {
                            if let Some(p) = stack.last_mut() {
                                p.outline = attr("w:val")
                                    .and_then(|v| v.parse::<u8>().ok())
                                    .filter(|&l| l < 9)
                                    .map(|l| l + 1);
                            }
                        }
                        "w:t" if !empty => in_text = true,
                        "w:tab" | "w:ptab" => push(&mut stack, "\t"),
                        "w:br" | "w:cr" => push(&mut stack, "\u{2028}"),
                        "w:noBreakHyphen" => push(&mut stack, "-"),
                        _ => {}
                    }
                }
            }
            Event::Text(t) if in_text && skip_depth == 0 && !run_hidden => {
                let s = t.xml10_content();
                total += s.len();
                if total > MAX_TEXT_BYTES {
                    return Err(DocxError::TextTooLarge);
                }
                push(&mut stack, &s);
            }
            Event::GeneralRef(r) if in_text && skip_depth == 0 && !run_hidden => {
                let name: String = r.xml10_content().into_owned();
                let s = match name.as_str() {
                    "amp" => "&".to_owned(),
                    "lt" => "<".to_owned(),
                    "gt" => ">".to_owned(),
                    "quot" => "\"".to_owned(),
                    "apos" => "'".to_owned(),
                    n => n
                        .strip_prefix("#x")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .or_else(|| n.strip_prefix('#').and_then(|d| d.parse().ok()))
                        .and_then(char::from_u32)
                        .map(String::from)
                        .unwrap_or_default(),
                };
                push(&mut stack, &s);
            }
            Event::End(e) => {
                if skip_depth > 0 {
                    skip_depth -= 1;
                } else {
                    match e.name().as_ref() {
                        "w:t" => in_text = false,
                        "w:r" => {
                            in_run = false;
                            run_hidden = false;
                        }
                        "w:p" => {
                            if let Some(p) = stack.pop() {
                                done.push(p);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let mut text = String::new();
    let mut hints = Hints::default();
    for (line, p) in done.into_iter().enumerate() {
        // A line end inside a paragraph's text (a literal one, or `&#13;` as some converters
        // write for Word's carriage return, w:cr) is a soft line break: the text keeps `\n` for
        // paragraph ends only, and no raw CR reaches a report.
        let body = if p.text.contains(['\n', '\r']) {
            p.text
                .replace("\r\n", "\u{2028}")
                .replace(['\n', '\r'], "\u{2028}")
        } else {
            p.text
        };
        let (style_level, is_title) = p
            .style
            .as_ref()
            .and_then(|s| style_map.get(s).copied())
            .unwrap_or((None, false));
        let level = p.outline.or(style_level);
        if !body.trim().is_empty() {
            if is_title && hints.title_line.is_none() && hints.headings.is_empty() {
                hints.title_line = Some(line);
            } else if let Some(l) = level {
                hints.headings.push((line, l));
            }
        }
        text.push_str(&body);
        text.push('\n');
    }
    Ok((text, hints))
}

struct Para {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
}

fn push(stack: &mut [Para], s: &str) {
    if let Some(p) = stack.last_mut() {
        p.text.push_str(s);
    }
}
