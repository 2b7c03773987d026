//! Markdown answers (.md, .markdown): `#` and `##` headings become the answer's title and
//! headings; front matter, fenced code blocks and HTML comments are ignored (a fence or comment
//! never closed is text: it would hide the rest of the answer). Ignored characters
//! are blanked to spaces (line breaks kept), so every offset and line:column still points into
//! the original file.

use crate::segment::Hints;

/// Whether a file name is a Markdown answer.
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

fn blank(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect()
}

/// The text with Markdown markup blanked, and the title and headings its `#` lines give.
pub fn prepare(text: &str) -> (String, Hints) {
    let mut out = String::with_capacity(text.len());
    let mut hints = Hints::default();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut i = 0;
    // Front matter: a first line `---` up to the next `---` or `...`.
    if lines.first().is_some_and(|l| l.trim_end() == "---") {
        if let Some(end) = lines
            .iter()
            .skip(1)
            .position(|l| matches!(l.trim_end(), "---" | "..."))
        {
            for l in &lines[..end + 2] {
                out.push_str(&blank(l));
            }
            i = end + 2;
        }
    }
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    let last_close = text.rfind("-->");
    let mut offset = lines[..i].iter().map(|l| l.len()).sum::<usize>();
    while i < lines.len() {
        let line = lines[i];
        let line_offset = offset;
        offset += line.len();
        let t = line.trim_start();
        if let Some(f) = fence {
            out.push_str(&blank(line));
            if t.starts_with(f) {
                fence = None;
            }
            i += 1;
            continue;
        }
        // A fence that is never closed is text: CommonMark runs it to the end of the file, which
        // would hide the rest of the answer from the check.
        if (t.starts_with("```") || t.starts_with("~~~"))
            && lines[i + 1..]
                .iter()
                .any(|l| l.trim_start().starts_with(&t[..3]))
        {
            fence = Some(&t[..3]);
            out.push_str(&blank(line));
            i += 1;
            continue;
        }
        // HTML comments, possibly over several lines.
        let mut kept = String::with_capacity(line.len());
        let mut rest = line;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(e) => {
                        kept.push_str(&blank(&rest[..e + 3]));
                        rest = &rest[e + 3..];
                        in_comment = false;
                    }
                    None => {
                        kept.push_str(&blank(rest));
                        break;
                    }
                }
            } else {
                // A comment that is never closed is text (as an unclosed fence is).
                let at = |s: usize| line_offset + line.len() - rest.len() + s;
                match rest
                    .find("<!--")
                    .filter(|&s| last_close.is_some_and(|c| c > at(s)))
                {
                    Some(s) => {
                        kept.push_str(&rest[..s]);
                        rest = &rest[s..];
                        in_comment = true;
                    }
                    None => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        // ATX headings: `# 标题`, `## 小标题`.
        let k = kept.trim_start();
        let hashes = k.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes)
            && k[hashes..].starts_with([' ', '\t'])
            && !k[hashes..].trim().is_empty()
        {
            let lead = kept.len() - k.len() + hashes;
            let line_no = i;
            if hashes == 1 && hints.title_line.is_none() && hints.headings.is_empty() {
                hints.title_line = Some(line_no);
            } else {
                hints.headings.push((line_no, (hashes.max(2) - 1) as u8));
            }
            out.push_str(&" ".repeat(lead));
            // An optional closing sequence (`## 二、压实责任 ##`) is markup too: blanked, as
            // CommonMark has it (a `#` not preceded by a space, as in `C#`, is text).
            let body = &kept[lead..];
            let text = body.trim_end();
            let open = text.trim_end_matches('#');
            let closing = if open.len() < text.len()
                && open.ends_with([' ', '\t'])
                && !open.trim().is_empty()
            {
                text.len() - open.len()
            } else {
                0
            };
            out.push_str(&body[..text.len() - closing]);
            out.push_str(&" ".repeat(closing));
            out.push_str(&body[text.len()..]);
        } else {
            out.push_str(&kept);
        }
        i += 1;
    }
    (out, hints)
}
