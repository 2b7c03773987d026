//! Locating rubric keys: a position tree of the YAML (saphyr-parser events, with character-based
//! markers) so that a problem found after parsing names its line, column and key as written.

use saphyr_parser::{Event, Parser};

/// A key's place in the rubric file.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// The key path as the file wrote it, e.g. `得分点[0].分值`.
    pub written_path: String,
}

#[derive(Debug)]
enum Node {
    Map(Vec<(String, (usize, usize), Node)>),
    Seq(Vec<((usize, usize), Node)>),
    Leaf,
}

/// Positions of every key and item of a YAML document. Building it never fails: a document the
/// parser rejects gives an empty locator (serde's own error then carries the location).
pub struct Locator {
    root: Option<Node>,
}

/// The canonical (English) key for a key as written, in the context of its parent key.
pub fn canonical(parent: Option<&str>, written: &str) -> String {
    let c = match written {
        "版本" => "version",
        "类型" => "kind",
        "继承" => "extends",
        "别名" => "aliases",
        "编号" => "id",
        "标题" => "title",
        "文种" => "genre",
        "题目" => "question",
        "来源" => "source",
        "总分" => "total",
        "分档" => "bands",
        "字数" => "length",
        "结构" => "structure",
        "得分点" | "采分点" => "points",
        "语言" => "language",
        "形式门槛" => "form_gate",
        "名称" => "name",
        "下限" => "min",
        "左右" => "around",
        "浮动" => "tolerance",
        "不超过" => "max",
        "范围" if parent == Some("length") => "range",
        "范围" => "scope",
        "计数" => "convention",
        "分值" => "points",
        "衰减" => "falloff",
        "称谓" => "salutation",
        "开头" => "opening",
        "小标题" => "headings",
        "结尾" => "closing",
        "落款" => "signature",
        "日期" => "date",
        "必需" => "required",
        "最少" => "min",
        "最多" => "max",
        "样式" => "styles",
        "关键词" | "同义词" => "keywords",
        "正则" => "patterns",
        "组" => "groups",
        "至少" => "min_groups",
        "最少命中" => "min_hits",
        "佐证" => "evidence",
        "提示" => "hint",
        "词" => "terms",
        "禁用" => "forbidden",
        "词语" => "phrase",
        "扣分" => "penalty",
        "规则" => "rules",
        "口语词" => "colloquial",
        "句长上限" => "sentence_limit",
        "第一人称" => "first_person",
        "扣分上限" => "rule_cap",
        other => other,
    };
    c.to_owned()
}

impl Locator {
    pub fn new(text: &str) -> Self {
        let mut events = Vec::new();
        for ev in Parser::new_from_str(text) {
            match ev {
                Ok((e, span)) => events.push((e, span.start.line(), span.start.col() + 1)),
                Err(_) => return Locator { root: None },
            }
        }
        let mut i = 0;
        // Skip to the first document's content.
        while i < events.len()
            && matches!(
                events[i].0,
                Event::StreamStart | Event::DocumentStart(_) | Event::Nothing
            )
        {
            i += 1;
        }
        let root = build(&events, &mut i);
        Locator { root }
    }

    /// Find a path of canonical keys and sequence indices, e.g. `["points", "0", "keywords", "2"]`.
    /// Falls back to the deepest part of the path that exists.
    pub fn find(&self, path: &[&str]) -> Option<Found> {
        let mut node = self.root.as_ref()?;
        let mut written = String::new();
        let mut best: Option<Found> = None;
        let mut parent: Option<String> = None;
        for part in path {
            match node {
                Node::Map(entries) => {
                    let hit = entries
                        .iter()
                        .find(|(k, _, _)| canonical(parent.as_deref(), k) == *part);
                    let Some((k, (l, c), child)) = hit else { break };
                    if !written.is_empty() {
                        written.push('.');
                    }
                    written.push_str(k);
                    best = Some(Found {
                        line: *l,
                        column: *c,
                        written_path: written.clone(),
                    });
                    parent = Some(part.to_string());
                    node = child;
                }
                Node::Seq(items) => {
                    let Some(((l, c), child)) =
                        part.parse::<usize>().ok().and_then(|i| items.get(i))
                    else {
                        break;
                    };
                    written.push_str(&format!("[{part}]"));
                    best = Some(Found {
                        line: *l,
                        column: *c,
                        written_path: written.clone(),
                    });
                    node = child;
                }
                Node::Leaf => break,
            }
        }
        best
    }

    /// The second occurrence of a key given twice in one mapping (serde names the field by its
    /// canonical name and points at the mapping, not at the repeated key).
    pub fn duplicate_key(&self, canonical_name: &str) -> Option<Found> {
        fn go(node: &Node, prefix: &str, parent: Option<&str>, name: &str) -> Option<Found> {
            match node {
                Node::Map(entries) => {
                    let mut seen: Vec<String> = Vec::new();
                    for (k, (l, c), child) in entries {
                        let canon = canonical(parent, k);
                        let p = if prefix.is_empty() {
                            k.clone()
                        } else {
                            format!("{prefix}.{k}")
                        };
                        if canon == name && seen.contains(&canon) {
                            return Some(Found {
                                line: *l,
                                column: *c,
                                written_path: p,
                            });
                        }
                        seen.push(canon.clone());
                        if let Some(f) = go(child, &p, Some(&canon), name) {
                            return Some(f);
                        }
                    }
                    None
                }
                Node::Seq(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, (_, child))| go(child, &format!("{prefix}[{i}]"), parent, name)),
                Node::Leaf => None,
            }
        }
        go(self.root.as_ref()?, "", None, canonical_name)
    }

    /// The written path of the last key that starts on `line` (for serde's own errors).
    pub fn key_at_line(&self, line: usize) -> Option<String> {
        let mut out = None;
        if let Some(root) = &self.root {
            walk(root, String::new(), line, &mut out);
        }
        out
    }
}

fn walk(node: &Node, prefix: String, line: usize, out: &mut Option<String>) {
    match node {
        Node::Map(entries) => {
            for (k, (l, _), child) in entries {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if *l == line {
                    *out = Some(p.clone());
                }
                walk(child, p, line, out);
            }
        }
        Node::Seq(items) => {
            for (i, ((l, _), child)) in items.iter().enumerate() {
                let p = format!("{prefix}[{i}]");
                if *l == line && out.is_none() {
                    *out = Some(p.clone());
                }
                walk(child, p, line, out);
            }
        }
        Node::Leaf => {}
    }
}

type Ev<'a> = (Event<'a>, usize, usize);

fn build(events: &[Ev], i: &mut usize) -> Option<Node> {
    let (ev, _, _) = events.get(*i)?;
    *i += 1;
    match ev {
        Event::MappingStart(..) => {
            let mut entries = Vec::new();
            while let Some((e, l, c)) = events.get(*i) {
                if matches!(e, Event::MappingEnd) {
                    *i += 1;
                    break;
                }
                let key = match e {
                    Event::Scalar(s, ..) => s.to_string(),
                    _ => String::new(),
                };
                let pos = (*l, *c);
                // Skip the key node (complex keys are walked and dropped).
                build(events, i);
                let value = build(events, i).unwrap_or(Node::Leaf);
                entries.push((key, pos, value));
            }
            Some(Node::Map(entries))
        }
        Event::SequenceStart(..) => {
            let mut items = Vec::new();
            while let Some((e, l, c)) = events.get(*i) {
                if matches!(e, Event::SequenceEnd) {
                    *i += 1;
                    break;
                }
                let pos = (*l, *c);
                let v = build(events, i).unwrap_or(Node::Leaf);
                items.push((pos, v));
            }
            Some(Node::Seq(items))
        }
        _ => Some(Node::Leaf),
    }
}
