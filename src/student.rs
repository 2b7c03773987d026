//! Student identity from a file name, by a pattern such as `{学号}_{姓名}`: each `{field}` takes
//! a non-empty part of the file stem, the rest of the pattern must match literally.

use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;

/// Who wrote an answer.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Student {
    /// The identity shown in reports: the fields joined by a space, or the file name when the
    /// name does not fit the pattern.
    pub id: String,
    /// The fields the pattern named, in pattern order of their names.
    pub fields: BTreeMap<String, String>,
    /// The file name did not fit the pattern.
    pub mismatch: bool,
}

/// A compiled `--name-pattern`.
pub struct NamePattern {
    re: Regex,
    names: Vec<String>,
}

impl NamePattern {
    pub fn new(pattern: &str) -> Result<Self, String> {
        let mut re = String::from("^");
        let mut names = Vec::new();
        let mut rest = pattern;
        while let Some(open) = rest.find('{') {
            re.push_str(&regex::escape(&rest[..open]));
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| format!("unclosed {{ in name pattern `{pattern}`"))?
                + open;
            let name = rest[open + 1..close].trim();
            if name.is_empty() {
                return Err(format!("empty field name in name pattern `{pattern}`"));
            }
            re.push_str(&format!("(?P<f{}>.+?)", names.len()));
            names.push(name.to_owned());
            rest = &rest[close + 1..];
        }
        re.push_str(&regex::escape(rest));
        re.push('$');
        if pattern.contains("}{") {
            return Err(format!("name pattern `{pattern}` has two fields side by side: put a separator between them"));
        }
        if let Some(d) = names
            .iter()
            .enumerate()
            .find(|(i, n)| names[..*i].contains(n))
            .map(|(_, n)| n)
        {
            return Err(format!(
                "name pattern `{pattern}` names the field {{{d}}} twice"
            ));
        }
        if names.is_empty() {
            return Err(format!(
                "name pattern `{pattern}` names no field (write e.g. {{学号}}_{{姓名}})"
            ));
        }
        let re = Regex::new(&re).map_err(|e| e.to_string())?;
        Ok(NamePattern { re, names })
    }

    /// The field names, in pattern order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Match a file's stem (name without extension and folders).
    pub fn student(&self, path: &str) -> Student {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        match self.re.captures(stem) {
            Some(c) => {
                let fields: BTreeMap<String, String> = self
                    .names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        (
                            n.clone(),
                            c.name(&format!("f{i}"))
                                .map_or("", |m| m.as_str())
                                .to_owned(),
                        )
                    })
                    .collect();
                let id = self
                    .names
                    .iter()
                    .filter_map(|n| fields.get(n))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                Student {
                    id,
                    fields,
                    mismatch: false,
                }
            }
            None => Student {
                id: name.to_owned(),
                fields: BTreeMap::new(),
                mismatch: true,
            },
        }
    }
}
