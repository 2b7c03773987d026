//! Checks: measure an answer against a rubric. Checks measure, never score: they find hits,
//! slots, counts and language findings; [`crate::score`] turns them into points.
//!
//! Matching rules (cases B12–B19, B46): terms are matched on the normalised text; a hit counts
//! only where each end is a boundary of its kind — a CJK end on a jieba token boundary (or the
//! hit is a search-mode sub-word of one non-proper-name token), a Latin/digit end on an ASCII
//! word boundary, a symbol end (`+`, `-`) anywhere; overlapping hits of one scoring point are
//! resolved leftmost-longest; a hit right after a negation word is rejected and reported.

use crate::normalize::Normalized;
use crate::rubric::{Point, Rubric, Scope, Term};
use crate::segment::Segmented;
use crate::span::Span;
use crate::words::{is_subword, Boundaries};
use serde::Serialize;

/// Candidate hits kept per group of a scoring point (a group needs `min_hits` of them).
pub const MAX_GROUP_CANDIDATES: usize = 64;
/// Candidate hits kept per answer, all points together.
pub const MAX_CANDIDATES: usize = 20_000;

/// Negation words that cancel a hit right after them.
pub const NEGATIONS: &[&str] = &[
    "不", "未", "没有", "没", "尚未", "缺乏", "不够", "并未", "从未", "未能", "无",
];

/// A rubric compiled for matching: one index of every literal term and forbidden phrase,
/// built once per run.
pub struct Matcher {
    terms: Occurrences,
    /// By pattern text: the characters a rubric pattern's (`patterns`, `evidence`) matches are
    /// made of, for the patterns where that narrows the search.
    sieves: rustc_hash::FxHashMap<String, Sieve>,
    /// For each indexed pattern: the (point, group) pairs that use it as a term.
    owners: Vec<Vec<(usize, usize)>>,
    /// For each indexed pattern: the first forbidden phrase it is, if any.
    phrase_of: Vec<Option<usize>>,
    /// The 口语 and first-person phrases of the language rules.
    lexicon: crate::lang::register::Lexicon,
    /// The first characters of the terms and of the lexicon's words, and the characters of
    /// the sieves: the bits of an answer's [`Marks`].
    marked: BmpBits,
}

impl Matcher {
    pub fn new(rubric: &Rubric) -> Self {
        let mut texts: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut phrase_of: Vec<Option<usize>> = Vec::new();
        // Each distinct term is one pattern of the index, owned by every (point, group)
        // that lists it.
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        for (pi, p) in rubric.points.iter().enumerate() {
            for (gi, g) in p.groups.iter().enumerate() {
                for t in &g.terms {
                    if let Term::Literal(s) = t {
                        let k = *index.entry(s.as_str()).or_insert_with(|| {
                            texts.push(s.as_str());
                            owners.push(Vec::new());
                            phrase_of.push(None);
                            texts.len() - 1
                        });
                        if !owners[k].contains(&(pi, gi)) {
                            owners[k].push((pi, gi));
                        }
                    }
                }
            }
        }
        // The forbidden phrases go into the same index: one pass over the answer finds both.
        for (fi, f) in rubric.language.forbidden.iter().enumerate() {
            let k = *index.entry(f.phrase.as_str()).or_insert_with(|| {
                texts.push(f.phrase.as_str());
                owners.push(Vec::new());
                phrase_of.push(None);
                texts.len() - 1
            });
            phrase_of[k].get_or_insert(fi);
        }
        let patterns = rubric.points.iter().flat_map(|p| {
            let terms = p.groups.iter().flat_map(|g| &g.terms);
            let listed = terms.filter_map(|t| match t {
                Term::Pattern(r) => Some(r),
                Term::Literal(_) => None,
            });
            listed.chain(&p.evidence)
        });
        let sieves: rustc_hash::FxHashMap<String, Sieve> = patterns
            .filter_map(|r| Some((r.as_str().to_owned(), Sieve::new(r.as_str())?)))
            .collect();
        let terms = Occurrences::new(&texts);
        let lexicon = crate::lang::register::Lexicon::new(&rubric.language.rules);
        let mut marked = BmpBits::new();
        marked.add(&terms.starts);
        marked.add(lexicon.starts());
        for sieve in sieves.values() {
            marked.add(&sieve.bmp);
        }
        Matcher {
            terms,
            sieves,
            owners,
            phrase_of,
            lexicon,
            marked,
        }
    }

    /// The characters of the normalised text `hay` the term index, the pattern sieves and the
    /// lexicon look at.
    pub fn marks(&self, hay: &str) -> Marks {
        self.marked.marks(hay)
    }

    /// The 口语 and first-person phrases of the language rules.
    pub fn lexicon(&self) -> &crate::lang::register::Lexicon {
        &self.lexicon
    }
}

/// One hit of a scoring point's term.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    /// Index of the group in the point (the evidence rule is the last group).
    pub group: usize,
    /// The rubric term (normalised) or the pattern.
    pub term: String,
    /// Where the hit stands in the answer (original text).
    pub span: Span,
    /// The hit crossed whitespace between CJK characters (「乡村 振兴」).
    pub across_space: bool,
}

/// A candidate rejected by a rule, kept for the report.
#[derive(Clone, Debug, Serialize)]
pub struct Rejected {
    pub group: usize,
    pub term: String,
    pub span: Span,
    pub reason: RejectReason,
}

#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Preceded by a negation word (不, 未, 没有 …).
    Negated,
    /// Outside the point's scope.
    OutOfScope,
}

/// What was found for one scoring point.
#[derive(Clone, Debug, Serialize)]
pub struct PointMeasure {
    pub hits: Vec<Hit>,
    pub rejected: Vec<Rejected>,
    /// Per group (evidence last): whether it has at least `min_hits` hits.
    pub groups_met: Vec<bool>,
    /// Set when every hit lies in a term list, a repetition or copied material: the point keeps
    /// at most [`crate::gaming::CAP`] of its points.
    pub capped: Option<crate::gaming::Gaming>,
}

/// A language finding (语言): a forbidden phrase of the rubric, or a finding of a rule of
/// [`crate::lang`].
#[derive(Clone, Debug, Serialize)]
pub struct LanguageFinding {
    pub rule: &'static str,
    /// The language rule, `None` for a rubric's forbidden phrase.
    pub lang_rule: Option<crate::lang::RuleId>,
    pub severity: crate::lang::Severity,
    pub span: Span,
    /// The phrase or mark found.
    pub found: String,
    /// Points off set by the rubric (forbidden phrases); the language rules' deductions are
    /// decided by [`crate::score`] from their severity.
    pub penalty: f64,
    pub message: String,
}

/// Everything measured on one answer.
pub struct Measured {
    pub points: Vec<PointMeasure>,
    pub language: Vec<LanguageFinding>,
    /// The text made of the rubric's literal terms: every occurrence, token boundaries ignored
    /// (「和融媒体」 holds 融媒体 though jieba cuts 和融), merged, as sorted disjoint byte spans of
    /// the original text. Anti-gaming reads a list's terms from it.
    pub term_text: Vec<Span>,
}

/// Whether `span` lies inside the part of the answer `scope` names (anywhere in a part that has
/// several, as the body's sections).
fn in_scope(seg: &Segmented, scope: Scope, text_len: usize, span: Span) -> bool {
    match scope {
        Scope::Any => Span::new(0, text_len).contains(span),
        Scope::Title => seg.title.is_some_and(|t| t.contains(span)),
        Scope::Opening => seg.opening.is_some_and(|t| t.contains(span)),
        Scope::Closing => seg.closing.is_some_and(|t| t.contains(span)),
        Scope::Body => {
            let mut sections = seg.h1().map(|h| h.section).peekable();
            if sections.peek().is_none() {
                seg.body.contains(span)
            } else {
                sections.any(|sc| sc.contains(span))
            }
        }
    }
}

enum Edge {
    Cjk,
    Alnum,
    Other,
}

fn edge_kind(c: Option<char>) -> Edge {
    match c {
        Some(c) if c.is_ascii_alphanumeric() => Edge::Alnum,
        Some(c) if crate::count::is_han(c) || (c as u32) >= 0x3000 => Edge::Cjk,
        _ => Edge::Other,
    }
}

/// Whether a literal hit at normalised `s..e` passes the boundary rules.
fn boundary_ok(norm: &str, b: &Boundaries, s: usize, e: usize) -> bool {
    let term = &norm[s..e];
    let first = term.chars().next();
    let last = term.chars().last();
    let before = norm[..s].chars().next_back();
    let after = norm[e..].chars().next();
    let start_ok = match edge_kind(first) {
        Edge::Alnum => !before.is_some_and(|c| c.is_ascii_alphanumeric()),
        Edge::Cjk => b.at(s),
        Edge::Other => true,
    };
    let end_ok = match edge_kind(last) {
        Edge::Alnum => !after.is_some_and(|c| c.is_ascii_alphanumeric()),
        Edge::Cjk => b.at(e),
        Edge::Other => true,
    };
    if start_ok && end_ok {
        return true;
    }
    // A sub-word of one longer token (永远 in 永永远远), unless that token is a proper name.
    if let Some((ts, te)) = b.token_at(s) {
        if e <= te
            && (e - s) < (te - ts)
            && matches!(edge_kind(first), Edge::Cjk)
            && matches!(edge_kind(last), Edge::Cjk)
        {
            return is_subword(&norm[ts..te], (s - ts, e - ts));
        }
    }
    false
}

/// Every occurrence of a literal term in the normalised text that passes the boundary rules
/// (normalised byte spans).
pub fn literal_hits(norm: &str, b: &Boundaries, term: &str) -> Vec<(usize, usize)> {
    norm.match_indices(term)
        .map(|(s, t)| (s, s + t.len()))
        .filter(|&(s, e)| boundary_ok(norm, b, s, e))
        .collect()
}

/// A negation word right before the hit, or one word before that within the clause
/// (「不安全」, 「未建立机制」, 「尚未建立工作机制」 — the second word is the negated verb).
fn negated(norm: &str, b: &Boundaries, s: usize) -> bool {
    if NEGATIONS
        .iter()
        .any(|n| n.chars().count() >= 2 && norm[..s].ends_with(n))
    {
        return true;
    }
    let mut end = s;
    for _ in 0..2 {
        let Some((ts, te)) = b.token_ending_at(end) else {
            return false;
        };
        let word = &norm[ts..te];
        if NEGATIONS.contains(&word) {
            return true;
        }
        // Stop at punctuation, spaces and numbers: the clause ends there.
        if !word.chars().all(crate::count::is_han) {
            return false;
        }
        end = ts;
    }
    false
}

/// One bit per character of the Basic Multilingual Plane (a character beyond it by its code
/// point modulo 2^16): the first characters of a list of words, or the characters of a pattern.
/// A check reads the three-byte characters of an answer (most of Chinese text) from their bytes
/// and keeps those whose bit is set, with every other character, as the answer's [`Marks`].
pub(crate) struct BmpBits(Box<[u64; 1 << 10]>);

impl BmpBits {
    pub(crate) fn new() -> Self {
        BmpBits(Box::new([0; 1 << 10]))
    }

    /// Sets the bit of code point `u` (modulo 2^16).
    pub(crate) fn set(&mut self, u: usize) {
        let u = u & 0xFFFF;
        self.0[u / 64] |= 1 << (u % 64);
    }

    /// Whether the bit of code point `u` (modulo 2^16) is set.
    pub(crate) fn has(&self, u: usize) -> bool {
        let u = u & 0xFFFF;
        self.0[u / 64] >> (u % 64) & 1 != 0
    }

    /// Sets every bit set in `other` too.
    pub(crate) fn add(&mut self, other: &BmpBits) {
        for (w, o) in self.0.iter_mut().zip(other.0.iter()) {
            *w |= o;
        }
    }

    /// The [`Marks`] of `hay` under these bits.
    pub(crate) fn marks(&self, hay: &str) -> Marks {
        let bytes = hay.as_bytes();
        // Each three-byte character is written at the end of the marks, which then grow by one
        // if its bit is set: no branch on the bit, which Chinese text leaves unpredictable.
        let mut at = vec![(0, 0); bytes.len() / 8 + 16];
        let mut n = 0;
        let mut rest = bytes;
        loop {
            if n == at.len() {
                at.resize(2 * n, (0, 0));
            }
            let i = (bytes.len() - rest.len()) as u32;
            if let [b0 @ 0xE0..=0xEF, b1, b2, tail @ ..] = rest {
                let u = (u32::from(b0 & 0x0F) << 12)
                    | (u32::from(b1 & 0x3F) << 6)
                    | u32::from(b2 & 0x3F);
                at[n] = (i, u);
                n += usize::from(self.has(u as usize));
                rest = tail;
            } else {
                let Some(c) = hay[i as usize..].chars().next() else {
                    break;
                };
                at[n] = (i, c as u32);
                n += 1;
                rest = &rest[c.len_utf8()..];
            }
        }
        at.truncate(n);
        Marks(at)
    }
}

/// The characters of a text a search by first character looks at, with their byte offsets, in
/// order: every character but the three-byte ones (U+0800..U+FFFF, most of a Chinese text) whose
/// bit is clear in a [`BmpBits`]. Found in one pass for the bits of every such search of a
/// check (the term index, the pattern sieves, the 口语 lexicon), each of which then looks only
/// at the characters it may start at: any marks of bits holding its own give what it finds
/// alone (property tests pin each search over the marks of every character to the search alone).
#[doc(hidden)]
#[derive(Clone, Debug, Default)]
pub struct Marks(Vec<(u32, u32)>);

impl Marks {
    /// Every character of `hay` (marks of bits holding any search's).
    pub fn every(hay: &str) -> Self {
        Marks(
            hay.char_indices()
                .map(|(i, c)| (i as u32, c as u32))
                .collect(),
        )
    }

    /// The marked characters and their byte offsets, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, char)> + '_ {
        self.0
            .iter()
            .map(|&(i, u)| (i as usize, char::from_u32(u).unwrap_or_default()))
    }
}

/// The characters every match of a rubric pattern is made of, when they are few (the default
/// rubric's evidence pattern: digits, Chinese numerals, spaces, 余多 and units): each match lies
/// inside a run of them, so the pattern is searched over those runs alone (runs too short for a
/// match left out), a small part of an answer, instead of over every byte (its lazy DFA takes
/// about 2 ns a byte, and no literal prefilter can start it: digits and numerals stand
/// everywhere).
#[doc(hidden)]
pub struct Sieve {
    /// One bit per character of the Basic Multilingual Plane a match may hold.
    bmp: BmpBits,
    /// The ranges beyond it a match may hold.
    astral: Vec<(char, char)>,
    /// A character no match holds, put between two runs.
    between: char,
    /// The fewest bytes a match holds.
    min_len: usize,
}

impl Sieve {
    /// Characters in a sieve at most: a pattern of more (`.`, `\w`, `[^，]`) leaves most of an
    /// answer to search.
    const MAX_CHARS: u32 = 5_000;

    /// The sieve of a pattern, `None` when it would not narrow the search or would change what
    /// is found: the pattern looks around (`^`, `$`, `\b`: a run's neighbours count), matches
    /// raw bytes, holds more than [`Self::MAX_CHARS`] characters, or starts with a few literals
    /// (`13710`, `1+N`: the regex engine's own prefilter already skips to them).
    pub fn new(pattern: &str) -> Option<Self> {
        use regex_syntax::hir::literal::Extractor;
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let prefixes = Extractor::new().extract(&hir);
        if prefixes.is_finite() && prefixes.min_literal_len().is_some_and(|l| l > 0) {
            return None;
        }
        let mut ranges = Vec::new();
        if !collect_chars(&hir, &mut ranges) {
            return None;
        }
        let total: u32 = ranges
            .iter()
            .map(|&(a, b): &(char, char)| b as u32 - a as u32 + 1)
            .sum();
        if total > Self::MAX_CHARS {
            return None;
        }
        let mut bmp = BmpBits::new();
        let mut astral = Vec::new();
        for &(a, b) in &ranges {
            for u in a as u32..=(b as u32).min(0xFFFF) {
                bmp.set(u as usize);
            }
            if b as u32 > 0xFFFF {
                astral.push((a.max('\u{10000}'), b));
            }
        }
        let mut sieve = Sieve {
            bmp,
            astral,
            between: '\0',
            // A pattern that can match nothing has no run long enough.
            min_len: hir.properties().minimum_len().unwrap_or(usize::MAX),
        };
        sieve.between = ['\0', '\u{1}', '\u{FFFF}', '\u{FFFE}']
            .into_iter()
            .find(|&c| !sieve.holds(c))?;
        Some(sieve)
    }

    /// Whether a match may hold `c`.
    pub fn holds(&self, c: char) -> bool {
        let u = c as u32;
        if u <= 0xFFFF {
            self.bmp.has(u as usize)
        } else {
            self.astral.iter().any(|&(a, b)| (a..=b).contains(&c))
        }
    }
}

/// Adds to `out` the character ranges of every character `hir` may match; false when it looks
/// around or matches raw bytes (no sieve then).
fn collect_chars(hir: &regex_syntax::hir::Hir, out: &mut Vec<(char, char)>) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty => true,
        HirKind::Literal(l) => match std::str::from_utf8(&l.0) {
            Ok(t) => {
                out.extend(t.chars().map(|c| (c, c)));
                true
            }
            Err(_) => false,
        },
        HirKind::Class(Class::Unicode(c)) => {
            out.extend(c.ranges().iter().map(|r| (r.start(), r.end())));
            true
        }
        HirKind::Class(Class::Bytes(_)) | HirKind::Look(_) => false,
        HirKind::Repetition(r) => collect_chars(&r.sub, out),
        HirKind::Capture(c) => collect_chars(&c.sub, out),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().all(|h| collect_chars(h, out)),
    }
}

/// Every match of `r` in `hay` as `find_iter` finds them (byte spans in `hay`), searched over the
/// runs `sieve` keeps when given, found from `marks` (by default the sieve's own): what
/// [`measure`] does, for the property test that pins it to `find_iter` over the whole text.
#[doc(hidden)]
pub fn sifted_matches(
    r: &regex::Regex,
    sieve: Option<&Sieve>,
    hay: &str,
    marks: Option<&Marks>,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let own = match (marks, sieve) {
        (Some(_), _) | (None, None) => Marks::default(),
        (None, Some(sieve)) => sieve.bmp.marks(hay),
    };
    Sifted::default().each_match(r, sieve, hay, marks.unwrap_or(&own), |s, e| {
        out.push((s, e));
        true
    });
    out
}

/// The runs of an answer a [`Sieve`] keeps, joined by its `between` character, and where each
/// run stands in the answer; kept from one pattern to the next to reuse its buffers.
#[derive(Default)]
struct Sifted {
    text: String,
    /// Per run: its start in `text`, and in the answer.
    runs: Vec<(usize, usize)>,
}

impl Sifted {
    /// Calls `f` with each match of `r` in `hay` (byte offsets in `hay`) as `find_iter` finds
    /// them, while `f` returns true; over the runs `sieve` keeps, when given.
    /// `marks`: of `hay`, under bits holding the sieve's (the characters a match may hold).
    fn each_match(
        &mut self,
        r: &regex::Regex,
        sieve: Option<&Sieve>,
        hay: &str,
        marks: &Marks,
        mut f: impl FnMut(usize, usize) -> bool,
    ) {
        let Some(sieve) = sieve else {
            for m in r.find_iter(hay) {
                if m.start() < m.end() && !f(m.start(), m.end()) {
                    return;
                }
            }
            return;
        };
        self.text.clear();
        self.runs.clear();
        // A run: marks one after another, each a character a match may hold.
        let mut marks = marks.iter().peekable();
        while let Some((start, c)) = marks.next() {
            if !sieve.holds(c) {
                continue;
            }
            let mut i = start + c.len_utf8();
            while let Some(&(at, c)) = marks.peek() {
                if at != i || !sieve.holds(c) {
                    break;
                }
                i += c.len_utf8();
                marks.next();
            }
            if i - start >= sieve.min_len {
                if !self.runs.is_empty() {
                    self.text.push(sieve.between);
                }
                self.runs.push((self.text.len(), start));
                self.text.push_str(&hay[start..i]);
            }
        }
        if self.runs.is_empty() {
            return;
        }
        for m in r.find_iter(&self.text) {
            if m.start() == m.end() {
                continue;
            }
            // A match never holds `between`: it lies inside one run.
            let k = self.runs.partition_point(|&(t, _)| t <= m.start()) - 1;
            let (t, a) = self.runs[k];
            if !f(a + m.start() - t, a + m.end() - t) {
                return;
            }
        }
    }
}

/// The literal patterns of a rubric (its terms and forbidden phrases), indexed for finding every
/// occurrence of each in an answer.
///
/// Looked up by first character, as [`crate::lang::register::Lexicon`] does: a bit set of the
/// patterns' first characters is tested at each character of the text, and only where one
/// starts are the patterns starting with it compared there. An Aho-Corasick DFA over the bytes
/// did the same in one pass, but its table (about 1 MB for the default rubric's 254 patterns)
/// outgrew the caches: each byte's step waited on memory, and the search took a tenth of a check.
#[doc(hidden)]
pub struct Occurrences {
    /// One bit per first character (its code point modulo 2^16): a character whose bit is clear
    /// starts no pattern.
    starts: BmpBits,
    /// First character → the range of `tails` of the patterns starting with it.
    heads: rustc_hash::FxHashMap<char, (u32, u32)>,
    /// Per pattern, grouped by first character: its bytes after the first character, and its
    /// index.
    tails: Vec<Tail>,
}

impl Occurrences {
    /// The index of `patterns` (an empty one is never found: rubrics refuse empty terms).
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Self {
        let mut by_first: Vec<(char, usize)> = patterns
            .iter()
            .enumerate()
            .filter_map(|(k, p)| p.as_ref().chars().next().map(|c| (c, k)))
            .collect();
        by_first.sort();
        let mut starts = BmpBits::new();
        let mut heads = rustc_hash::FxHashMap::default();
        let mut tails = Vec::with_capacity(by_first.len());
        for (c, k) in by_first {
            starts.set(c as usize);
            let at = tails.len() as u32;
            heads.entry(c).or_insert((at, at)).1 = at + 1;
            let p = patterns[k].as_ref();
            tails.push(Tail::new(&p.as_bytes()[c.len_utf8()..], k));
        }
        Occurrences {
            starts,
            heads,
            tails,
        }
    }

    /// Every occurrence of every pattern in `hay` (overlapping ones too) as (start, end, pattern
    /// index): by end, then the longest first, then by index. What aho-corasick's
    /// `find_overlapping_iter` reports, in the same order (a property test pins it).
    pub fn each(&self, hay: &str, f: impl FnMut(usize, usize, usize)) {
        self.each_marked(hay, &self.starts.marks(hay), f);
    }

    /// What [`Occurrences::each`] finds, looking only at `marks` (of `hay`, under bits holding
    /// the patterns' first characters).
    pub fn each_marked(&self, hay: &str, marks: &Marks, mut f: impl FnMut(usize, usize, usize)) {
        let bytes = hay.as_bytes();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (i, c) in marks.iter() {
            if !self.starts.has(c as usize) {
                continue;
            }
            if let Some(&(from, to)) = self.heads.get(&c) {
                let after = i + c.len_utf8();
                let rest = &bytes[after..];
                let word = first_word(rest);
                for tail in &self.tails[from as usize..to as usize] {
                    if tail.starts(rest, word) {
                        found.push((after + tail.len, i, tail.pattern));
                    }
                }
            }
        }
        // Found by start: nearly in order of end already.
        found.sort_unstable();
        for (end, start, k) in found {
            f(start, end, k);
        }
    }
}

/// A pattern's bytes after its first character, with their first eight (zero-padded) as one
/// number: most comparisons end within them, decided without a call to `memcmp`.
struct Tail {
    /// The first eight bytes, little-endian, zero past the end.
    head: u64,
    /// Ones over the bytes `head` holds.
    mask: u64,
    /// The bytes past the first eight.
    more: Box<[u8]>,
    len: usize,
    pattern: usize,
}

impl Tail {
    fn new(tail: &[u8], pattern: usize) -> Self {
        let n = tail.len().min(8);
        Tail {
            head: first_word(&tail[..n]),
            mask: if n == 8 {
                u64::MAX
            } else {
                (1u64 << (8 * n)) - 1
            },
            more: tail[n..].into(),
            len: tail.len(),
            pattern,
        }
    }

    /// Whether `rest` starts with this tail (`word`: [`first_word`] of `rest`).
    fn starts(&self, rest: &[u8], word: u64) -> bool {
        rest.len() >= self.len
            && word & self.mask == self.head
            && rest[self.len - self.more.len()..self.len] == *self.more
    }
}

/// The first eight bytes of `b` as a little-endian number, zero-padded.
fn first_word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    w[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(w)
}

/// Keeps of `occ`, occurrences (start, end, id) of patterns no two of which have one start and
/// end, those a leftmost-longest search reports: the longest of those starting first, then the
/// same after its end (说实话 once, not 说实话 and 实话); sorted by start.
#[doc(hidden)]
pub fn leftmost_longest(occ: &mut Vec<(usize, usize, usize)>) {
    occ.sort_unstable_by_key(|&(s, e, _)| (s, std::cmp::Reverse(e)));
    let mut after = 0;
    occ.retain(|&(s, e, _)| {
        let keep = s >= after;
        if keep {
            after = e;
        }
        keep
    });
}

/// Measure one answer.
pub fn measure(
    rubric: &Rubric,
    matcher: &Matcher,
    text: &str,
    norm: &Normalized,
    bounds: &Boundaries,
    seg: &Segmented,
) -> Measured {
    let n = &norm.text;
    // Candidate hits per point: (norm start, norm end, group, term). Each group keeps its first
    // MAX_GROUP_CANDIDATES and the answer its first MAX_CANDIDATES: a group needs a handful of
    // hits, and a rubric of thousands of points sharing a term, over an answer repeating it
    // thousands of times, must not hold millions of hits.
    let mut cands: Vec<Vec<(usize, usize, usize, String)>> = vec![Vec::new(); rubric.points.len()];
    let mut per_group: Vec<Vec<usize>> = rubric
        .points
        .iter()
        .map(|p| vec![0; p.groups.len() + 1])
        .collect();
    let mut total = 0usize;
    let mut room = |pi: usize, gi: usize| {
        if total >= MAX_CANDIDATES || per_group[pi][gi] >= MAX_GROUP_CANDIDATES {
            return false;
        }
        per_group[pi][gi] += 1;
        total += 1;
        true
    };
    // Normalised spans, disjoint and sorted: the overlapping search reports matches by end.
    let mut term_text: Vec<Span> = Vec::new();
    // Every occurrence of a forbidden phrase: (start, end, phrase).
    let mut phrases: Vec<(usize, usize, usize)> = Vec::new();
    let marks = matcher.marks(n);
    matcher.terms.each_marked(n, &marks, |s, e, pattern| {
        if let Some(fi) = matcher.phrase_of[pattern] {
            phrases.push((s, e, fi));
        }
        if matcher.owners[pattern].is_empty() {
            return;
        }
        let (mut start, mut end) = (s, e);
        while let Some(last) = term_text.last().filter(|l| l.end >= s) {
            start = start.min(last.start);
            end = end.max(last.end);
            term_text.pop();
        }
        term_text.push(Span::new(start, end));
        if !boundary_ok(n, bounds, s, e) {
            return;
        }
        for &(pi, gi) in &matcher.owners[pattern] {
            if room(pi, gi) {
                cands[pi].push((s, e, gi, n[s..e].to_owned()));
            }
        }
    });
    let sieve_of = |r: &regex::Regex| matcher.sieves.get(r.as_str());
    let mut sifted = Sifted::default();
    for (pi, p) in rubric.points.iter().enumerate() {
        for (gi, g) in p.groups.iter().enumerate() {
            for t in &g.terms {
                if let Term::Pattern(r) = t {
                    sifted.each_match(r, sieve_of(r), n, &marks, |s, e| {
                        if !room(pi, gi) {
                            return false;
                        }
                        cands[pi].push((s, e, gi, format!("/{}/", r.as_str())));
                        true
                    });
                }
            }
        }
        if let Some(r) = &p.evidence {
            sifted.each_match(r, sieve_of(r), n, &marks, |s, e| {
                if !room(pi, p.groups.len()) {
                    return false;
                }
                cands[pi].push((s, e, p.groups.len(), n[s..e].to_owned()));
                true
            });
        }
    }
    let points = rubric
        .points
        .iter()
        .zip(cands)
        .map(|(p, c)| resolve_point(p, c, text, norm, bounds, seg))
        .collect();

    let mut language = Vec::new();
    leftmost_longest(&mut phrases);
    for (s, e, fi) in phrases {
        if !crate::lang::register::phrase_in_use(n, bounds, s, e) {
            continue;
        }
        let f = &rubric.language.forbidden[fi];
        let span = norm.to_original(Span::new(s, e));
        language.push(LanguageFinding {
            rule: "forbidden-phrase",
            lang_rule: None,
            severity: if f.penalty > 0.0 {
                crate::lang::Severity::Warning
            } else {
                crate::lang::Severity::Info
            },
            span,
            found: span.slice(text).to_owned(),
            penalty: f.penalty,
            message: format!("「{}」口语化或不宜用于公文，建议改用书面语", f.phrase),
        });
    }
    let input = crate::lang::Input {
        text,
        norm,
        bounds,
        seg,
        lexicon: &matcher.lexicon,
        marks: &marks,
    };
    let forbidden_spans: Vec<Span> = language.iter().map(|f| f.span).collect();
    for f in crate::lang::run(&input, &rubric.language.rules) {
        // A word the rubric already forbids is reported once, with the rubric's penalty.
        if matches!(
            f.rule,
            crate::lang::RuleId::Colloquial | crate::lang::RuleId::FirstPerson
        ) && forbidden_spans
            .iter()
            .any(|s| s.start < f.span.end && f.span.start < s.end)
        {
            continue;
        }
        language.push(LanguageFinding {
            rule: f.rule.as_str(),
            lang_rule: Some(f.rule),
            severity: f.severity,
            span: f.span,
            found: f.span.slice(text).to_owned(),
            penalty: 0.0,
            message: f.message,
        });
    }
    language.sort_by_key(|f| (f.span.start, f.span.end));
    let term_text = term_text.into_iter().map(|s| norm.to_original(s)).collect();
    Measured {
        points,
        language,
        term_text,
    }
}

fn resolve_point(
    p: &Point,
    mut c: Vec<(usize, usize, usize, String)>,
    text: &str,
    norm: &Normalized,
    bounds: &Boundaries,
    seg: &Segmented,
) -> PointMeasure {
    // Within each group (a set of synonyms, the evidence rule being one more group), hits are
    // leftmost-longest and non-overlapping, so one mention counts once (case B46). Groups are
    // independent: a mention may serve two groups (田间病虫害监测 for 监测 and for 田间).
    c.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)).then(b.1.cmp(&a.1)));
    // In place: a candidate is dropped when it starts inside the last one kept of its group.
    c.dedup_by(|x, l| l.2 == x.2 && x.0 < l.1);
    let mut hits = Vec::new();
    let mut rejected = Vec::new();
    for (s, e, g, term) in c {
        let span = norm.to_original(Span::new(s, e));
        if !in_scope(seg, p.scope, text.len(), span) {
            rejected.push(Rejected {
                group: g,
                term,
                span,
                reason: RejectReason::OutOfScope,
            });
            continue;
        }
        if g != p.groups.len() && negated(&norm.text, bounds, s) {
            rejected.push(Rejected {
                group: g,
                term,
                span,
                reason: RejectReason::Negated,
            });
            continue;
        }
        hits.push(Hit {
            group: g,
            term,
            span,
            across_space: norm.spans_gap(Span::new(s, e), text),
        });
    }
    hits.sort_by_key(|h| (h.span.start, h.group));
    let groups_met = (0..p.group_count())
        .map(|g| hits.iter().filter(|h| h.group == g).count() >= p.min_hits)
        .collect();
    PointMeasure {
        hits,
        rejected,
        groups_met,
        capped: None,
    }
}

/// An occurrence of a rubric term that the boundary rules rejected (for `caifen explain`).
#[derive(Clone, Debug)]
pub struct BoundaryMiss {
    /// Index of the scoring point.
    pub point: usize,
    pub term: String,
    /// Normalised byte span of the occurrence.
    pub span: Span,
    /// The jieba tokens (normalised byte spans) the occurrence cuts into.
    pub tokens: Vec<(usize, usize)>,
}

/// Every occurrence of a literal term that is not on token boundaries, by point then position.
/// Occurrences inside an accepted hit of the same point are left out (they are not misses).
pub fn boundary_misses(
    rubric: &Rubric,
    norm: &str,
    b: &Boundaries,
    accepted: &[Vec<Span>],
) -> Vec<BoundaryMiss> {
    let mut out = Vec::new();
    for (pi, p) in rubric.points.iter().enumerate() {
        let mut seen = std::collections::BTreeSet::new();
        for g in &p.groups {
            for t in &g.terms {
                let Term::Literal(term) = t else { continue };
                for (s, _) in norm.match_indices(term.as_str()) {
                    let e = s + term.len();
                    if boundary_ok(norm, b, s, e) || !seen.insert((s, e)) {
                        continue;
                    }
                    let span = Span::new(s, e);
                    if accepted
                        .get(pi)
                        .is_some_and(|v| v.iter().any(|h| h.contains(span)))
                    {
                        continue;
                    }
                    let tokens = b.tokens_in(s, e);
                    out.push(BoundaryMiss {
                        point: pi,
                        term: term.clone(),
                        span,
                        tokens,
                    });
                }
            }
        }
    }
    out.sort_by_key(|m| (m.point, m.span.start, m.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A check's marks hold every character one of its searches may start at (or, for a
    /// sieve, hold): the term index's first characters, the lexicon's and the sieves'.
    #[test]
    fn marked_bits_hold_every_search_bits() {
        let rubric = crate::rubric::load(
            crate::rubric::builtin("shanxi_zhualuoshi").unwrap(),
            "builtin",
            "default",
        )
        .unwrap();
        let m = Matcher::new(&rubric);
        assert_eq!(m.sieves.len(), 1, "the evidence pattern");
        let searches: Vec<&BmpBits> = [&m.terms.starts, m.lexicon.starts()]
            .into_iter()
            .chain(m.sieves.values().map(|s| &s.bmp))
            .collect();
        for bits in searches {
            let set: Vec<usize> = (0..=0xFFFF).filter(|&u| bits.has(u)).collect();
            assert!(set.len() > 10, "{} bits", set.len());
            assert!(set.iter().all(|&u| m.marked.has(u)));
        }
    }
}
