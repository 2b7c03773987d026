//! Decoding: answer bytes to text. Owns encoding detection (BOM, UTF-8, BOM-less UTF-16, binary
//! sniffing, then chardetng for GBK/GB18030/Big5), line-end normalisation and .md/.docx extraction.

use encoding_rs::{Encoding, BIG5, GBK, UTF_16BE, UTF_16LE, UTF_8};

/// An answer as text: line ends normalised to `\n`, any BOM removed. All spans index into `text`.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    /// Name of the encoding the bytes were decoded with (`UTF-8`, `GBK`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// Whether a byte-order mark was present.
    pub bom: bool,
    /// How many `\r\n`, lone `\r` or other line ends (VT, FF, NEL, U+2028, U+2029) were turned into
    /// `\n`.
    pub line_ends_normalised: usize,
    /// Structure known from the file format (.docx styles).
    pub hints: crate::segment::Hints,
    /// U+FFFD replacement characters in the text (damaged bytes of a nearly valid file, or written
    /// in it).
    pub replaced: usize,
}

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DecodeError {
    #[error("binary or undecodable content (not a text answer)")]
    Binary,
    #[error(
        "looks like UTF-16 without BOM but does not decode (more than 1 in 200 code units damaged)"
    )]
    BadUtf16,
    #[error("legacy .doc (Word 97-2003) is not supported: save it as .docx")]
    LegacyDoc,
    /// A password-protected Word document: an OLE2 container holding the encrypted package.
    #[error(
        "password-protected (encrypted) Word document: remove the password in Word and save again"
    )]
    Encrypted,
    #[error("RTF document: save it as .docx or .txt")]
    Rtf,
    #[error("the bytes are not valid {0} (more than 1 in 200 characters damaged)")]
    Invalid(&'static str),
    #[error(transparent)]
    Docx(#[from] crate::docx::DocxError),
}

/// A settings file (a rubric, `caifen.toml`) that is not text caifen can read without loss.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error("{line}:{column}: {}", self.reason())]
pub struct NotText {
    /// Line and column (in characters) of the first byte that is not UTF-8, or of the first
    /// damaged character of a file that reads as UTF-16, GBK, GB18030 or Big5, both from 1.
    pub line: usize,
    pub column: usize,
    pub byte: u8,
    /// The encoding the file reads as, with damage (`None`: none at all).
    pub damaged: Option<&'static str>,
}

impl NotText {
    /// What is wrong, without the place.
    pub fn reason(&self) -> String {
        match self.damaged {
            Some(enc) => format!(
                "damaged {enc} text: a character here does not decode (a settings file is read whole or not at all); save the file as UTF-8"
            ),
            None => format!(
                "not text in UTF-8, UTF-16 or a Chinese legacy encoding (GBK, GB18030, Big5): byte 0x{:02X} does not decode; save the file as UTF-8",
                self.byte
            ),
        }
    }
}

/// The text of a settings file (a rubric, `caifen.toml`), as an editor saved it: UTF-8 (with or
/// without a BOM, kept), else UTF-16 with a BOM or without, GBK, GB18030 or Big5 (Notepad's
/// "ANSI" and "Unicode" on Chinese Windows), decoded as answers are ([`decode`]) but with no
/// damaged byte allowed: a settings file is read whole or not at all. With the encoding's name.
pub fn text_file(bytes: &[u8]) -> Result<(String, &'static str), NotText> {
    let invalid = match std::str::from_utf8(bytes) {
        Ok(s) if gbk_read_as_utf8(s, bytes) => {
            return Ok((GBK.decode_without_bom_handling(bytes).0.into_owned(), "GBK"))
        }
        Ok(s) => return Ok((s.to_owned(), "UTF-8")),
        Err(e) => e.valid_up_to(),
    };
    // Line and column of the end of `before`.
    let place = |before: &str| {
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    };
    if let Ok(doc) = decode(bytes, None) {
        // Not a single-byte guess (windows-1252 reads any bytes): a UTF-8 file with a bad byte
        // would come out garbled rather than refused.
        let chinese_or_utf16 = ["UTF-16LE", "UTF-16BE", "GBK", "GB18030", "Big5"];
        if chinese_or_utf16.contains(&doc.encoding) {
            let Some(at) = doc.text.find('\u{FFFD}').filter(|_| doc.replaced > 0) else {
                return Ok((doc.text, doc.encoding));
            };
            // Damaged in the encoding it reads as: the place is in that reading (a UTF-16 file
            // cut at an odd byte is damaged at its end, not at its BOM).
            let (line, column) = place(&doc.text[..at]);
            return Err(NotText {
                line,
                column,
                byte: bytes[invalid],
                damaged: Some(doc.encoding),
            });
        }
    }
    // Where it stops being UTF-8, which is what the file most likely was meant to be.
    let (line, column) = place(&String::from_utf8_lossy(&bytes[..invalid]));
    Err(NotText {
        line,
        column,
        byte: bytes[invalid],
        damaged: None,
    })
}

/// Resolve an encoding label given with `--encoding` (WHATWG labels: utf-8, gbk, gb18030, big5, utf-16le …).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    // `replacement` (the label of ISO-2022-KR, HZ and others) decodes nothing: not a choice.
    Encoding::for_label(label.trim().as_bytes()).filter(|&e| e != encoding_rs::REPLACEMENT)
}

/// Decode answer bytes. `forced` skips detection (a BOM of that same encoding is still removed).
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Document, DecodeError> {
    // An OLE2 compound file: a Word 97-2003 document, or a password-protected .docx (Word
    // encrypts the whole package into one; its `EncryptionInfo` stream is named in UTF-16).
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let name: Vec<u8> = "EncryptionInfo"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        return Err(if memchr::memmem::find(bytes, &name).is_some() {
            DecodeError::Encrypted
        } else {
            DecodeError::LegacyDoc
        });
    }
    if crate::docx::is_zip(bytes) {
        let (text, hints) = crate::docx::extract(bytes)?;
        return Ok(Document {
            text,
            encoding: "docx",
            bom: false,
            line_ends_normalised: 0,
            replaced: 0,
            hints,
        });
    }
    let (text, encoding, bom) = if let Some(enc) = forced {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        let Some(text) = nearly_valid(text, had_errors) else {
            return Err(DecodeError::Invalid(enc.name()));
        };
        let bom = Encoding::for_bom(bytes).is_some_and(|(e, _)| e == enc);
        (text, enc, bom)
    } else {
        detect(bytes)?
    };
    // Valid UTF-8 is text whatever its script (a short answer in Yi, Tibetan or Greek letters is
    // not binary): only control characters make it binary. Other decodings succeed on almost any
    // bytes, so their text must also look like text. (Damaged UTF-8 was checked in `detect`.)
    let binary = if encoding == UTF_8 {
        has_control(&text)
    } else {
        looks_binary(&text)
    };
    if binary {
        return Err(DecodeError::Binary);
    }
    // Rich Text Format (WordPad, or Word's "save as RTF", often renamed), in any encoding: its
    // markup would be checked as the answer's text.
    if text
        .trim_start_matches(['\u{FEFF}', ' ', '\t', '\r', '\n'])
        .starts_with("{\\rtf")
    {
        return Err(DecodeError::Rtf);
    }
    let (text, line_ends_normalised) = normalise_line_ends(text);
    // U+FFFD, written EF BF BD: `str::matches` stops at every BD byte, one continuation byte of
    // Chinese text in about a hundred; memmem tests two of its bytes at once.
    let replaced = memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}").count();
    Ok(Document {
        text,
        // encoding_rs names GB18030 in lower case; reports use the usual capitals.
        encoding: if encoding == encoding_rs::GB18030 {
            "GB18030"
        } else {
            encoding.name()
        },
        bom,
        line_ends_normalised,
        replaced,
        hints: Default::default(),
    })
}

fn detect(bytes: &[u8]) -> Result<(String, &'static Encoding, bool), DecodeError> {
    // 1. A BOM decides (UTF-8, UTF-16LE, UTF-16BE).
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return match nearly_valid(text, had_errors) {
            Some(text) => Ok((text, enc, true)),
            None => Err(DecodeError::Invalid(enc.name())),
        };
    }
    // 2. Valid UTF-8 always wins (B06a: a short ASCII string is not UTF-16). Validated with
    // SIMD: std's check reads Chinese text a character at a time (about 4 instructions a byte).
    // NULs are valid UTF-8 but never text: BOM-less UTF-16 whose every byte is below 0x80 (ASCII
    // with a few Han characters such as 中 = 4E 2D) is valid UTF-8, and is read as UTF-16 below.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        if memchr::memchr(0, bytes).is_none() || utf16_by_nul_pattern(bytes).is_none() {
            if gbk_read_as_utf8(s, bytes) {
                let (text, _) = GBK.decode_without_bom_handling(bytes);
                return Ok((text.into_owned(), GBK, false));
            }
            return Ok((s.to_owned(), UTF_8, false));
        }
    }
    // 2b. UTF-8 with a few damaged bytes (see `nearly_valid`): a Chinese answer in UTF-8 with a
    // stray byte. A file of mostly ASCII with a few Chinese words in GBK or Big5 (a settings file,
    // a short note) reads the same way, each word one damaged spot, and with next to no Han
    // characters: such a file is read in the legacy encoding when that decodes it cleanly.
    if !bytes.contains(&0) {
        if let Some(text) = nearly_valid(String::from_utf8_lossy(bytes), true) {
            let han = text.chars().filter(|&c| crate::count::is_han(c)).count();
            let legacy = han < 10 * damaged_spots(&text) && chinese_legacy(bytes).is_some();
            if !looks_binary(&text) && !legacy {
                return Ok((text, UTF_8, false));
            }
        }
    }
    // 3. BOM-less UTF-16: ASCII-range characters leave NULs in every other byte (B06b).
    if let Some(enc) = utf16_by_nul_pattern(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        match nearly_valid(text, had_errors) {
            Some(text) => return Ok((text, enc, false)),
            // An odd length that does not read as UTF-16 is not UTF-16 cut short: binary below.
            None if bytes.len() % 2 == 1 => {}
            None => return Err(DecodeError::BadUtf16),
        }
    }
    // 4. NULs anywhere else mean binary; chardetng would call such bytes windows-1252 (B49).
    if bytes.contains(&0) {
        return Err(DecodeError::Binary);
    }
    // 5. Statistical detection among the legacy encodings.
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, chardetng::Utf8Detection::Deny);
    // A Chinese checker prefers the Chinese legacy encodings when they decode without error,
    // Big5 first when chardetng guessed it; any other guess goes last. On a short text chardetng
    // guesses from a few bytes: a GBK 清单 was EUC-KR, a GBK 二 Cyrillic in ISO-8859-5.
    let candidates: [&'static Encoding; 3] = if guess == BIG5 {
        [BIG5, GBK, guess]
    } else {
        [GBK, BIG5, guess]
    };
    for enc in candidates {
        if !common_double_bytes(bytes, enc) {
            continue;
        }
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if let Some(text) = nearly_valid(text, had_errors).filter(|t| !looks_binary(t)) {
            // encoding_rs reads GBK with the GB18030 decoder: a file using GB18030's four-byte
            // sequences (characters GBK lacks, such as 𠮷) is named GB18030.
            let enc = if enc == GBK && four_byte_sequences(bytes) {
                encoding_rs::GB18030
            } else {
                enc
            };
            return Ok((text, enc, false));
        }
    }
    Err(DecodeError::Binary)
}

/// Whether GB18030 bytes hold a four-byte sequence (a lead byte, then a digit byte).
fn four_byte_sequences(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
        } else if bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// Decoded text with a few damaged bytes or code units (a stray byte from a bad copy, a lone
/// surrogate in UTF-16): U+FFFD in their place, counted in the report, when they are at most 1 in
/// 200 characters; `None` when there are more (not this encoding, or not text). The same rule for
/// every decoding, with or without a BOM, detected or forced.
fn nearly_valid(text: std::borrow::Cow<'_, str>, had_errors: bool) -> Option<String> {
    if had_errors && damaged_spots(&text) * 200 > text.chars().count() {
        return None;
    }
    Some(text.into_owned())
}

/// Runs of U+FFFD in decoded text: a damaged character is one spot however many replacement
/// characters it became (a broken lead byte of UTF-8 leaves its continuation bytes as U+FFFD too).
fn damaged_spots(text: &str) -> usize {
    let mut spots = 0usize;
    let mut end = usize::MAX;
    for at in memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}") {
        spots += usize::from(at != end);
        end = at + 3;
    }
    spots
}

/// GBK or Big5 when it decodes `bytes` without an error, mostly in the common rows
/// ([`common_double_bytes`]), as text.
fn chinese_legacy(bytes: &[u8]) -> Option<&'static Encoding> {
    [GBK, BIG5].into_iter().find(|&enc| {
        common_double_bytes(bytes, enc) && {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            !had_errors && !looks_binary(&text)
        }
    })
}

/// Real Chinese text in GBK or Big5 uses mostly the common-character and punctuation rows
/// (GB2312 levels 1–2, Big5 frequent characters); random bytes land mostly outside them (case
/// B49: `F9 92` is a valid but rare GBK character). At least 60% of the double-byte pairs must
/// be common. Other encodings are not checked here.
fn common_double_bytes(bytes: &[u8], enc: &'static Encoding) -> bool {
    let (pairs, common) = double_byte_rows(bytes, enc);
    pairs == 0 || common * 10 >= pairs * 6
}

/// GBK text that is also valid UTF-8: every Chinese character of the file among the GB2312
/// characters whose two bytes read as one UTF-8 character (C2–DF, then A1–BF: 签约 医院 实施 学习
/// 通知 …), as in a short settings file. Read as UTF-8 it is letters of several scripts side by
/// side (签约 → ǩԼ, Latin then Armenian), which no text holds. Such a file is GBK when it has no
/// Han character as UTF-8, a run of letters that mixes scripts, and every double-byte pair in
/// GBK's common rows.
fn gbk_read_as_utf8(s: &str, bytes: &[u8]) -> bool {
    if s.is_ascii() || s.chars().any(crate::count::is_han) {
        return false;
    }
    // The script (or block: IPA, modifier letters, combining marks) of a letter from two UTF-8
    // bytes.
    let script = |c: char| match c as u32 {
        0x80..=0x24F => Some(0),
        0x250..=0x2AF => Some(8),
        0x2B0..=0x2FF => Some(9),
        0x300..=0x36F => Some(10),
        0x370..=0x3FF => Some(1),
        0x400..=0x52F => Some(2),
        0x530..=0x58F => Some(3),
        0x590..=0x5FF => Some(4),
        0x600..=0x6FF | 0x750..=0x77F => Some(5),
        0x700..=0x74F => Some(6),
        0x780..=0x7FF => Some(7),
        _ => None,
    };
    let mut run: Option<u8> = None;
    let mut mixed = false;
    for c in s.chars() {
        if c.is_ascii() {
            run = None;
        } else if let Some(k) = script(c) {
            mixed |= run.is_some_and(|r| r != k);
            run = Some(k);
        }
    }
    let (pairs, common) = double_byte_rows(bytes, GBK);
    mixed && pairs > 0 && common == pairs && !GBK.decode_without_bom_handling(bytes).1
}

/// Double-byte pairs of `bytes` read in `enc` (GBK or Big5), and how many fall in the common
/// rows; (0, 0) for other encodings.
fn double_byte_rows(bytes: &[u8], enc: &'static Encoding) -> (usize, usize) {
    let (common_lead, symbol_lead) = if enc == GBK || enc == encoding_rs::GB18030 {
        (0xB0..=0xF7u8, 0xA1..=0xA9u8)
    } else if enc == BIG5 {
        (0xA4..=0xC6u8, 0xA1..=0xA3u8)
    } else {
        return (0, 0);
    };
    let (mut pairs, mut common, mut i) = (0usize, 0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        pairs += 1;
        let t = bytes.get(i + 1).copied().unwrap_or(0);
        if (0x30..=0x39).contains(&t) {
            i += 4; // a GB18030 four-byte sequence: rare
            continue;
        }
        let row_ok =
            (common_lead.contains(&b) || symbol_lead.contains(&b)) && t >= 0xA1 && t != 0xFF;
        let big5_low = enc == BIG5 && (0xA4..=0xC6).contains(&b) && (0x40..=0x7E).contains(&t);
        common += usize::from(row_ok || big5_low);
        i += 2;
    }
    (pairs, common)
}

fn utf16_by_nul_pattern(bytes: &[u8]) -> Option<&'static Encoding> {
    // An odd last byte (a file cut short) is left out of the sniffing; decoding shows it as
    // U+FFFD.
    let bytes = &bytes[..bytes.len() & !1];
    if bytes.len() < 4 {
        return None;
    }
    // Nearly every code unit of a Chinese answer in UTF-16 is a Han character, a CJK mark, a
    // full-width form, printable ASCII or a line break (a GBK file read this way is not: its
    // bytes hold no NUL, and so no ASCII unit). The NUL pattern below is not enough alone: the
    // U+3000 of indentation and Han characters such as 一 (U+4E00) and 开 (U+5F00) put NULs on
    // the other side, and a few digits and letters among Chinese text are too few for it.
    let plausible = |unit: u16| {
        let c = char::from_u32(unit as u32);
        c.is_some_and(|c| {
            crate::count::is_han(c)
                || is_cjk_symbol(c)
                || matches!(c, '\n' | '\r' | '\t' | ' '..='~')
        })
    };
    let units = bytes.len() / 2;
    let good = |le: bool| {
        bytes
            .chunks_exact(2)
            .filter(|p| {
                plausible(if le {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                })
            })
            .count()
    };
    // The byte order that reads more plausibly (ASCII read in the wrong order lands among the
    // Han characters, so the first order above the bar is not enough); little-endian on a tie.
    let (le, be) = (good(true), good(false));
    let (enc, best) = if be > le {
        (UTF_16BE, be)
    } else {
        (UTF_16LE, le)
    };
    if units >= 4 && best * 100 >= units * 95 {
        return Some(enc);
    }
    let pairs = bytes.len() / 2;
    let even_nul = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // At least a fifth of the code units are ASCII-range, and the NULs all sit on one side.
    if odd_nul * 5 >= pairs && even_nul * 20 <= odd_nul {
        Some(UTF_16LE)
    } else if even_nul * 5 >= pairs && odd_nul * 20 <= even_nul {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Control characters other than tab and line ends (LF, CR, VT, FF, NEL): never in a text answer
/// (B49).
fn is_binary_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{B}' | '\u{C}' | '\u{85}')
}

/// Whether `text` holds a [`is_binary_control`] character, read byte by byte: C0 controls are
/// single bytes below 0x20, DEL is 0x7F, and C1 controls (U+0080–U+009F) are C2 80–C2 9F; no
/// other character's encoding holds those bytes. Blocks of 32 bytes are tested with operations
/// the compiler vectorises (decoding every character cost about 20 instructions per character of
/// each answer); only a block holding a C2 byte is looked at byte by byte. A test pins it to the
/// character test.
fn has_control(text: &str) -> bool {
    let b = text.as_bytes();
    let c0_or_del =
        |x: u8| (x < 0x20 && !matches!(x, b'\n' | b'\r' | b'\t' | 0x0B | 0x0C)) || x == 0x7F;
    b.chunks(32).enumerate().any(|(k, block)| {
        // A first test with fewer comparisons a byte: most blocks hold no byte below 0x20, no DEL
        // and no C2 (the lead byte of U+0080–U+00BF); a line break sends its block to the
        // exact test.
        if !block.iter().fold(false, |any, &x| {
            any | (x < 0x20) | (x == 0x7F) | (x == 0xC2)
        }) {
            return false;
        }
        let (bad, c2) = block.iter().fold((false, false), |(bad, c2), &x| {
            (bad | c0_or_del(x), c2 | (x == 0xC2))
        });
        bad || (c2
            && block.iter().enumerate().any(|(j, &x)| {
                // C2 85 is NEL, a line end.
                x == 0xC2 && matches!(b.get(k * 32 + j + 1), Some(0x80..=0x84 | 0x86..=0x9F))
            }))
    })
}

/// Binary sniff on decoded text: control characters, or too few characters a Chinese answer uses.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut plausible = 0usize;
    for c in text.chars() {
        total += 1;
        if is_binary_control(c) {
            return true;
        }
        if c.is_ascii() || crate::count::is_han(c) || is_cjk_symbol(c) || c.is_whitespace() {
            plausible += 1;
        }
    }
    total > 0 && plausible * 10 < total * 7
}

fn is_cjk_symbol(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F   // general punctuation: — … “ ” ‘ ’
        | 0x2150..=0x218F // number forms
        | 0x2460..=0x24FF // enclosed numerals ①
        | 0x2E80..=0x2FDF // radicals
        | 0x3000..=0x303F // CJK symbols and punctuation
        | 0x3040..=0x30FF // kana
        | 0x3100..=0x312F // bopomofo
        | 0xFE30..=0xFE4F // CJK compatibility forms
        | 0xFF00..=0xFFEF // full-width forms
        | 0x00B7 | 0x00D7 | 0x00F7 | 0x00A0 | 0x00B0 | 0x00A7 | 0x00B1 | 0x00A9 | 0x00AE
        | 0x2100..=0x214F // letterlike ℃
        | 0x2190..=0x23FF // arrows, maths, technical
        | 0x25A0..=0x27BF // shapes, dingbats, ★
        | 0x1F000..=0x1FAFF // emoji
        | 0xFE00..=0xFE0F // variation selectors
    )
}

/// A line end other than `\n`: CR (alone or before LF), and the other Unicode line terminators a
/// text answer may hold — VT (Word's manual line break, Shift+Enter, copied as text), FF (a page
/// break), NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). Each becomes
/// `\n`, so a heading, title or 落款 line ends there as at any line end. (A .docx soft break is
/// made U+2028 by the extractor after this, on purpose: a line inside its paragraph.)
fn is_other_line_end(c: char) -> bool {
    matches!(
        c,
        '\r' | '\u{B}' | '\u{C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Whether `text` holds a character [`is_other_line_end`] takes, read byte-wise (a character-wise
/// test decodes every character of the text, about a sixth of the cost of a check): \r, VT and FF
/// are bytes of their own, U+0085 is C2 85, U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
fn has_other_line_end(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr3(b'\r', 0x0B, 0x0C, b).is_some()
        || memchr::memchr2_iter(0xC2, 0xE2, b).any(|i| match b[i] {
            0xC2 => b.get(i + 1) == Some(&0x85),
            _ => matches!(b.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9])),
        })
}

fn normalise_line_ends(text: String) -> (String, usize) {
    if !has_other_line_end(&text) {
        return (text, 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut n = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_other_line_end(c) {
            n += 1;
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    (out, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds a control character exactly where the character test does, for every
    /// character alone and between Â (C3 82) and a no-break space (C2 A0).
    /// The byte scan finds a line end other than \n exactly where the character test does, for
    /// every character alone, between Â (C2 … as lead) and ⁂ (E2 …), and in Chinese text.
    #[test]
    fn has_other_line_end_is_the_character_test() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("\u{C2}\u{2042}{c}经\u{A0}")] {
                assert_eq!(
                    has_other_line_end(&text),
                    text.contains(is_other_line_end),
                    "{:04X}",
                    c as u32
                );
            }
        }
        let base = "基层减负，“关键”在落实……——抓落实\n".repeat(4);
        assert!(!has_other_line_end(&base));
        for end in ["\r", "\u{B}", "\u{C}", "\u{85}", "\u{2028}", "\u{2029}"] {
            for (at, _) in base.char_indices() {
                let text = format!("{}{end}{}", &base[..at], &base[at..]);
                assert!(has_other_line_end(&text), "{end:?} at {at}");
            }
        }
    }

    #[test]
    fn has_control_is_the_character_test() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(
                has_control(&alone),
                is_binary_control(c),
                "{:04X}",
                c as u32
            );
            let framed = format!("\u{C2}{c}\u{A0}经");
            assert_eq!(
                has_control(&framed),
                is_binary_control(c),
                "{:04X}",
                c as u32
            );
        }
        // A C1 control whose two bytes straddle the 32-byte blocks, or sit at either end of one.
        for pad in 28..=34 {
            let text = format!("{}\u{86}经", "a".repeat(pad));
            assert!(has_control(&text), "{pad}");
            let text = format!("{}\u{A0}经", "a".repeat(pad));
            assert!(!has_control(&text), "{pad}");
        }
        // Anywhere in a text whose blocks hold line breaks and tabs (which pass the first test
        // of a block but are not control characters) and none.
        let base = "基层减负，\n\t关键在落实。抓落实".repeat(4);
        for (at, _) in base.char_indices() {
            assert!(!has_control(&base[at..]), "{at}");
            for c in ['\u{1}', '\u{7F}', '\u{86}', '\u{1B}'] {
                let text = format!("{}{c}{}", &base[..at], &base[at..]);
                assert!(has_control(&text), "{at} {:04X}", c as u32);
            }
        }
    }
}
