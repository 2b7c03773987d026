//! .docx extraction with zip + quick-xml: the body's paragraphs in order (tables in order, text
//! boxes once), tabs, soft line breaks, no-break hyphens, runs joined, Word's automatic list
//! numbers (一、 （一） 1.) written in as Word shows them; the title and headings that exist only
//! as Word styles or outline levels are passed on as [`Hints`] (cases B28, B29, B31).

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

/// The value of an element's attribute `key` (e.g. `w:val`).
fn attribute(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

/// What a paragraph style gives a paragraph (from word/styles.xml, basedOn followed).
#[derive(Clone, Default)]
struct StyleInfo {
    /// Heading level, 1-based (outline level or a `heading N` / `标题 N` name).
    level: Option<u8>,
    title: bool,
    /// The list the style numbers its paragraphs in: (numId, level).
    num: Option<(String, Option<u8>)>,
}

/// Style id → what it gives a paragraph.
fn styles(xml: &[u8]) -> HashMap<String, StyleInfo> {
    struct S {
        name: String,
        outline: Option<u8>,
        based_on: Option<String>,
        num_id: Option<String>,
        ilvl: Option<u8>,
    }
    let mut map: HashMap<String, S> = HashMap::new();
    let mut r = Reader::from_reader(xml);
    let mut cur: Option<(String, S)> = None;
    let mut buf = Vec::new();
    loop {
        match r.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let attr = |key: &str| attribute(&e, key);
                match e.name().as_ref() {
                    "w:style" => {
                        if let Some(id) = attr("w:styleId") {
                            cur = Some((
                                id,
                                S {
                                    name: String::new(),
                                    outline: None,
                                    based_on: None,
                                    num_id: None,
                                    ilvl: None,
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
                    "w:numId" => {
                        if let (Some((_, s)), Some(v)) = (cur.as_mut(), attr("w:val")) {
                            s.num_id = Some(v);
                        }
                    }
                    "w:ilvl" => {
                        if let (Some((_, s)), Some(v)) = (cur.as_mut(), attr("w:val")) {
                            s.ilvl = v.parse().ok().filter(|&l| l < 9);
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
        let mut num_id = s.num_id.clone();
        let mut ilvl = s.ilvl;
        let mut base = s.based_on.clone();
        let mut hops = 0;
        while let (Some(b), true) = (base.clone(), hops < 16) {
            let Some(p) = map.get(&b) else { break };
            level = level.or(p.outline).or_else(|| level_of_name(&p.name));
            title = title || matches!(p.name.trim().to_lowercase().as_str(), "title" | "标题");
            num_id = num_id.or_else(|| p.num_id.clone());
            ilvl = ilvl.or(p.ilvl);
            base = p.based_on.clone();
            hops += 1;
        }
        out.insert(
            id.clone(),
            StyleInfo {
                level,
                title,
                num: num_id.map(|n| (n, ilvl)),
            },
        );
    }
    out
}

/// One level of a list in word/numbering.xml: how its numbers are written.
#[derive(Clone, Default)]
struct ListLevel {
    start: i64,
    /// `w:numFmt` (decimal, chineseCounting, …).
    format: String,
    /// `w:lvlText`, e.g. `%1、` or `（%2）`; none: the level shows no number.
    text: Option<String>,
    /// What follows the number: a tab (Word's default), a space or nothing.
    suffix: &'static str,
    /// `w:isLgl`: every level's number in Arabic digits.
    legal: bool,
}

/// Word's automatic list numbering (word/numbering.xml): the numbers Word shows before list
/// paragraphs (一、 （一） 1. ①) are not in the document's text, so they are written in here, as
/// the reader of the document sees them, so that a heading numbered by Word reads as numbered.
#[derive(Default)]
struct Lists {
    /// numId → (abstractNumId, start overrides by level).
    nums: HashMap<String, (String, Vec<(u8, i64)>)>,
    /// abstractNumId → its nine levels.
    abstracts: HashMap<String, Vec<ListLevel>>,
    /// The current number of each level of each abstract list (lists sharing an abstract list
    /// continue each other's numbering, as in Word).
    counters: HashMap<String, [Option<i64>; 9]>,
    /// numIds already used (a start override applies at a list's first paragraph).
    started: std::collections::HashSet<String>,
}

impl Lists {
    fn parse(xml: &[u8]) -> Lists {
        let mut lists = Lists::default();
        let mut r = Reader::from_reader(xml);
        let mut buf = Vec::new();
        let mut abs: Option<(String, Vec<ListLevel>)> = None;
        let mut lvl: Option<usize> = None;
        let mut num: Option<String> = None;
        let mut override_lvl: Option<u8> = None;
        loop {
            match r.read_event_into(&mut buf) {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let attr = |key: &str| attribute(&e, key);
                    match e.name().as_ref() {
                        "w:abstractNum" => {
                            if let Some(id) = attr("w:abstractNumId") {
                                let default = ListLevel {
                                    start: 1,
                                    suffix: "\t",
                                    ..Default::default()
                                };
                                abs = Some((id, vec![default; 9]));
                            }
                        }
                        "w:lvl" => {
                            lvl = attr("w:ilvl")
                                .and_then(|v| v.parse::<usize>().ok())
                                .filter(|&l| l < 9);
                        }
                        "w:start" => {
                            if let (Some(l), Some(v)) = (level_mut(&mut abs, lvl), attr("w:val")) {
                                l.start = v.parse().unwrap_or(1);
                            }
                        }
                        "w:numFmt" => {
                            if let (Some(l), Some(v)) = (level_mut(&mut abs, lvl), attr("w:val")) {
                                l.format = v;
                            }
                        }
                        "w:lvlText" => {
                            if let Some(l) = level_mut(&mut abs, lvl) {
                                l.text = attr("w:val");
                            }
                        }
                        "w:suff" => {
                            if let Some(l) = level_mut(&mut abs, lvl) {
                                l.suffix = match attr("w:val").as_deref() {
                                    Some("space") => " ",
                                    Some("nothing") => "",
                                    _ => "\t",
                                };
                            }
                        }
                        "w:isLgl" => {
                            if let Some(l) = level_mut(&mut abs, lvl) {
                                l.legal = !matches!(
                                    attr("w:val").as_deref(),
                                    Some("0" | "false" | "off")
                                );
                            }
                        }
                        "w:num" => num = attr("w:numId"),
                        "w:abstractNumId" => {
                            if let (Some(n), Some(v)) = (&num, attr("w:val")) {
                                lists.nums.entry(n.clone()).or_default().0 = v;
                            }
                        }
                        "w:lvlOverride" => {
                            override_lvl = attr("w:ilvl").and_then(|v| v.parse().ok());
                        }
                        "w:startOverride" => {
                            if let (Some(n), Some(l), Some(v)) = (
                                &num,
                                override_lvl,
                                attr("w:val").and_then(|v| v.parse().ok()),
                            ) {
                                lists.nums.entry(n.clone()).or_default().1.push((l, v));
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Event::End(e)) => match e.name().as_ref() {
                    "w:abstractNum" => {
                        if let Some((id, levels)) = abs.take() {
                            lists.abstracts.insert(id, levels);
                        }
                    }
                    "w:lvl" => lvl = None,
                    "w:num" => num = None,
                    "w:lvlOverride" => override_lvl = None,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        lists
    }

    /// The number Word shows before the next paragraph of list `num_id` at level `ilvl`, with
    /// what follows it (`一、`, `（二）`, `1.2\t`); `None` for no list, a bullet or a level
    /// without number text. Advances the list's counters.
    fn next(&mut self, num_id: &str, ilvl: u8) -> Option<String> {
        let (abs, overrides) = self.nums.get(num_id)?;
        let levels = self.abstracts.get(abs)?;
        let il = usize::from(ilvl).min(8);
        let level = &levels[il];
        let text = level.text.as_ref()?;
        if level.format == "bullet" {
            return None;
        }
        // A start override replaces the level's start in this list (also when the level
        // restarts below its parent); the list's first paragraph restarts the levels overridden.
        let start = |k: usize| {
            overrides
                .iter()
                .rev()
                .find(|&&(l, _)| usize::from(l) == k)
                .map_or(levels[k].start, |&(_, v)| v)
        };
        let counters = self.counters.entry(abs.clone()).or_default();
        if self.started.insert(num_id.to_owned()) {
            for &(l, _) in overrides {
                if let Some(c) = counters.get_mut(usize::from(l)) {
                    *c = None;
                }
            }
        }
        counters[il] = Some(counters[il].map_or(start(il), |v| v.saturating_add(1)));
        for deeper in &mut counters[il + 1..] {
            *deeper = None;
        }
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let k = match (c, chars.peek()) {
                ('%', Some(&d @ '1'..='9')) => usize::from(d as u8 - b'1'),
                _ => {
                    out.push(c);
                    continue;
                }
            };
            chars.next();
            let n = counters[k].unwrap_or_else(|| start(k));
            let format = if level.legal {
                "decimal"
            } else {
                levels[k].format.as_str()
            };
            out.push_str(&list_number(n, format));
        }
        out.push_str(level.suffix);
        Some(out)
    }
}

/// Level `lvl` of the abstract list being read.
fn level_mut(
    abs: &mut Option<(String, Vec<ListLevel>)>,
    lvl: Option<usize>,
) -> Option<&mut ListLevel> {
    let l = lvl?;
    abs.as_mut().map(|(_, v)| &mut v[l])
}

/// `n` written in a Word number format (`w:numFmt`); formats Chinese answers do not use are
/// written in Arabic digits.
fn list_number(n: i64, format: &str) -> String {
    // Digit by digit (一〇五) zero is 〇; counting (一百零一) writes 零.
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const COUNTING: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    const LEGAL: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const LEGAL_TRADITIONAL: [char; 10] =
        ['零', '壹', '貳', '參', '肆', '伍', '陸', '柒', '捌', '玖'];
    let from = |first: u32, count: i64| {
        (1..=count)
            .contains(&n)
            .then(|| char::from_u32(first + n as u32 - 1))
            .flatten()
            .map(String::from)
    };
    let cycle = |list: &[char]| {
        let len = list.len() as i64;
        (n >= 1).then(|| list[((n - 1) % len) as usize].to_string())
    };
    let written = match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => chinese_number(n, &COUNTING, ['十', '百', '千']),
        "chineseLegalSimplified" => chinese_number(n, &LEGAL, ['拾', '佰', '仟']),
        "ideographDigital" | "taiwaneseDigital" => (n >= 0).then(|| {
            n.to_string()
                .bytes()
                .map(|b| DIGITS[usize::from(b - b'0')])
                .collect()
        }),
        "ideographTraditional" => {
            cycle(&['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'])
        }
        "ideographZodiac" => cycle(&[
            '子', '丑', '寅', '卯', '辰', '巳', '午', '未', '申', '酉', '戌', '亥',
        ]),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => from(0x2460, 20),
        "decimalEnclosedParen" => from(0x2474, 20),
        "decimalEnclosedFullstop" => from(0x2488, 20),
        "ideographEnclosedCircle" => from(0x3280, 10),
        "ideographLegalTraditional" => chinese_number(n, &LEGAL_TRADITIONAL, ['拾', '佰', '仟']),
        "decimalFullWidth" | "decimalFullWidth2" => (n >= 0).then(|| {
            n.to_string()
                .chars()
                .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32))
                .collect()
        }),
        "decimalZero" => (0..10).contains(&n).then(|| format!("0{n}")),
        // Word repeats the letter (AA, BBB); past 780 (30 letters) Arabic digits, so a huge
        // start value cannot build a huge number.
        "upperLetter" | "lowerLetter" => (1..=780).contains(&n).then(|| {
            let c = char::from(b'A' + ((n - 1) % 26) as u8);
            let c = if format == "lowerLetter" {
                c.to_ascii_lowercase()
            } else {
                c
            };
            std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize).collect()
        }),
        "upperRoman" | "lowerRoman" => roman(n).map(|r| {
            if format == "lowerRoman" {
                r.to_lowercase()
            } else {
                r
            }
        }),
        "none" => Some(String::new()),
        _ => None,
    };
    written.unwrap_or_else(|| n.to_string())
}

/// 1–9999 in Chinese numerals: 十一, 二十, 一百零一, 一千零二十.
fn chinese_number(n: i64, digits: &[char; 10], units: [char; 3]) -> Option<String> {
    if !(1..=9999).contains(&n) {
        return None;
    }
    let places = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let unit_of = [Some(units[2]), Some(units[1]), Some(units[0]), None];
    let mut out = String::new();
    let mut zero = false;
    for (k, &d) in places.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push(digits[0]);
            zero = false;
        }
        // 十一, not 一十一, when the tens lead.
        if !(k == 2 && d == 1 && out.is_empty()) {
            out.push(digits[d as usize]);
        }
        if let Some(u) = unit_of[k] {
            out.push(u);
        }
    }
    Some(out)
}

fn roman(n: i64) -> Option<String> {
    if !(1..=3999).contains(&n) {
        return None;
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    Some(out)
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
    let mut lists = read_part(&mut zip, "word/numbering.xml")?
        .map(|x| Lists::parse(&x))
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
    let mut in_ppr = false;
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
                    let attr = |key: &str| attribute(e, key);
                    match name.as_ref() {
                        // Also the properties a tracked change replaced (the old style, the
                        // old numbering) and tab stop definitions (`w:tabs`), never text.
                        "mc:Fallback" | "w:moveFrom" | "w:pPrChange" | "w:rPrChange" | "w:tabs"
                            if !empty =>
                        {
                            skip_depth = 1
                        }
                        "w:r" if !empty => {
                            in_run = true;
                            run_hidden = false;
                        }
                        // The paragraph mark deleted (a tracked change) or hidden.
                        "w:del" | "w:vanish" if in_ppr && !in_run => {
                            if let Some(p) = stack.last_mut() {
                                p.mark_gone = true;
                            }
                        }
                        "w:pPr" if !empty => in_ppr = true,
                        "w:vanish" if in_run => {
                            run_hidden =
                                !matches!(attr("w:val").as_deref(), Some("0" | "false" | "off"));
                        }
                        "w:p" => {
                            stack.push(Para {
                                text: String::new(),
                                style: None,
                                outline: None,
                                num_id: None,
                                ilvl: None,
                                mark_gone: false,
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
                        "w:numId" => {
                            if let Some(p) = stack.last_mut() {
                                p.num_id = attr("w:val");
                            }
                        }
                        "w:ilvl" => {
                            if let Some(p) = stack.last_mut() {
                                p.ilvl = attr("w:val")
                                    .and_then(|v| v.parse::<u8>().ok())
                                    .filter(|&l| l < 9);
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
                        // In a run only: `w:pPr/w:tabs/w:tab` defines a tab stop.
                        "w:tab" | "w:ptab" if in_run => push(&mut stack, "\t"),
                        "w:br" | "w:cr" if in_run => push(&mut stack, "\u{2028}"),
                        "w:noBreakHyphen" if in_run => push(&mut stack, "-"),
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
                        "w:pPr" => in_ppr = false,
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
        let style = p.style.as_ref().and_then(|s| style_map.get(s));
        let (style_level, is_title) = style.map_or((None, false), |s| (s.level, s.title));
        let level = p.outline.or(style_level);
        // Word's automatic number (the paragraph's own list, else its style's; numId 0 is none).
        let style_num = style.and_then(|s| s.num.as_ref());
        let number = p
            .num_id
            .as_deref()
            .or(style_num.map(|(n, _)| n.as_str()))
            .filter(|&n| n != "0" && !(p.mark_gone && body.trim().is_empty()))
            .and_then(|n| {
                let ilvl = p.ilvl.or(style_num.and_then(|(_, l)| *l)).unwrap_or(0);
                lists.next(n, ilvl)
            });
        let body = match number {
            Some(n) => n + &body,
            None => body,
        };
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
    Ok(soft_breaks_as_lines(text, hints))
}

/// A document typed as one or two Word paragraphs, its lines separated by soft line breaks
/// (Shift+Enter at every line): a reader sees each line as a paragraph, so the soft breaks of a
/// paragraph holding two or more become line ends (the hints' line numbers move with them).
/// Elsewhere a soft break stays a line inside its paragraph.
fn soft_breaks_as_lines(text: String, mut hints: Hints) -> (String, Hints) {
    let paragraphs = text.lines().filter(|l| !l.trim().is_empty()).count();
    if paragraphs > 2 || text.matches('\u{2028}').count() < 2 {
        return (text, hints);
    }
    // Only a paragraph of two or more soft breaks is typed line by line; a title wrapped with
    // one soft break stays one line.
    let typed = |line: &str| line.matches('\u{2028}').count() >= 2;
    // Lines added before each original line.
    let mut shift = Vec::new();
    let mut added = 0;
    let mut out = String::with_capacity(text.len());
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            out.push('\n');
        }
        shift.push(added);
        if typed(line) {
            added += line.matches('\u{2028}').count();
            out.push_str(&line.replace('\u{2028}', "\n"));
        } else {
            out.push_str(line);
        }
    }
    let moved = |l: usize| l + shift.get(l).copied().unwrap_or(added);
    hints.title_line = hints.title_line.map(moved);
    for (l, _) in &mut hints.headings {
        *l = moved(*l);
    }
    (out, hints)
}

struct Para {
    text: String,
    style: Option<String>,
    outline: Option<u8>,
    /// `w:numPr`: the list (numId) and level the paragraph is numbered in.
    num_id: Option<String>,
    ilvl: Option<u8>,
    /// The paragraph mark is deleted or hidden: with no text left, Word shows no paragraph
    /// (and no list number) there.
    mark_gone: bool,
}

fn push(stack: &mut [Para], s: &str) {
    if let Some(p) = stack.last_mut() {
        p.text.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::list_number;

    #[test]
    fn list_numbers_as_word_writes_them() {
        let rows: &[(i64, &str, &str)] = &[
            (1, "chineseCounting", "一"),
            (10, "chineseCounting", "十"),
            (11, "chineseCounting", "十一"),
            (20, "chineseCountingThousand", "二十"),
            (101, "chineseCounting", "一百零一"),
            (110, "chineseCounting", "一百一十"),
            (1020, "chineseCounting", "一千零二十"),
            (3, "chineseLegalSimplified", "叁"),
            (12, "chineseLegalSimplified", "拾贰"),
            (23, "ideographLegalTraditional", "貳拾參"),
            (6, "ideographLegalTraditional", "陸"),
            (105, "ideographDigital", "一〇五"),
            (2, "ideographTraditional", "乙"),
            (11, "ideographTraditional", "甲"),
            (1, "decimalEnclosedCircle", "①"),
            (20, "decimalEnclosedCircleChinese", "⑳"),
            (21, "decimalEnclosedCircle", "21"),
            (3, "decimalEnclosedParen", "⑶"),
            (2, "ideographEnclosedCircle", "㊁"),
            (12, "decimalFullWidth", "１２"),
            (7, "decimalZero", "07"),
            (27, "lowerLetter", "aa"),
            (4, "upperRoman", "IV"),
            (9, "lowerRoman", "ix"),
            (5, "none", ""),
            (5, "cardinalText", "5"),
        ];
        let got: Vec<String> = rows.iter().map(|&(n, f, _)| list_number(n, f)).collect();
        let want: Vec<&str> = rows.iter().map(|&(_, _, w)| w).collect();
        assert_eq!(got, want);
    }
}
