//! Arbitrary zips as .docx: extraction either succeeds or returns an error (no panic, no hang, no
//! zip bomb). The first byte picks the mode: an even byte (a real zip starts with `P`, 0x50) feeds
//! the bytes as the zip itself; an odd byte wraps the rest, stored, as word/document.xml (and, after
//! a NUL, word/styles.xml), so that the XML reader is fuzzed past the zip's checksums.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn wrap(xml: &[u8]) -> Vec<u8> {
    let (doc, styles) = match xml.iter().position(|&b| b == 0) {
        Some(i) => (&xml[..i], Some(&xml[i + 1..])),
        None => (xml, None),
    };
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("word/document.xml", opts).unwrap();
    z.write_all(doc).unwrap();
    if let Some(s) = styles {
        z.start_file("word/styles.xml", opts).unwrap();
        z.write_all(s).unwrap();
    }
    z.finish().unwrap();
    buf.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Some(&mode) = data.first() else {
        return;
    };
    let bytes = if mode & 1 == 0 {
        data.to_vec()
    } else {
        wrap(&data[1..])
    };
    if let Ok((text, hints)) = caifen::docx::extract(&bytes) {
        let lines = text.lines().count();
        assert!(hints.title_line.is_none_or(|l| l <= lines));
        assert!(hints.headings.iter().all(|&(l, _)| l <= lines));
        // What was extracted goes on through the rest of the pipeline.
        let _ = caifen::segment::segment_with(&text, &hints);
    }
});
