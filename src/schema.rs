//! The JSON Schema of the rubric format (`caifen rubric schema`, committed as
//! `rubrics/schema.json`), generated with schemars from the raw serde mirror of the YAML. Editors
//! with the YAML language server complete and validate rubrics with it.
//!
//! schemars knows each field by its English name only; the Chinese names (serde aliases) are
//! taken from serde itself — the field and variant lists a derived `Deserialize` hands its
//! deserializer, where each alias follows the name it stands for — and added beside them.

use crate::count::Convention;
use crate::lang::{RuleId, Severity};
use crate::rubric::{
    Kind, RawBand, RawForbidden, RawGroup, RawHeadings, RawLanguage, RawLength, RawPoint,
    RawRubric, RawSignature, RawSlot, RawStructure, Scope,
};
use serde::de::{self, Deserialize, Visitor};
use serde_json::{Map, Value};

/// A deserializer that only records the field or variant names it is asked for.
struct Names(Option<&'static [&'static str]>);

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("names recorded")
    }
}
impl std::error::Error for Stop {}
impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> de::Deserializer<'de> for &mut Names {
    type Error = Stop;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0 = Some(fields);
        Err(Stop)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0 = Some(variants);
        Err(Stop)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier
        ignored_any
    }
}

/// Each English name with the Chinese aliases serde accepts for it.
type NameGroups = Vec<(&'static str, Vec<&'static str>)>;

/// The names serde accepts for `T`, grouped: each English name with the aliases after it.
fn names<'de, T: Deserialize<'de>>() -> NameGroups {
    let mut d = Names(None);
    let _ = T::deserialize(&mut d);
    let mut out: Vec<(&'static str, Vec<&'static str>)> = Vec::new();
    for n in d.0.unwrap_or(&[]) {
        match out.last_mut() {
            Some((_, aliases)) if !n.is_ascii() => aliases.push(n),
            _ => out.push((n, Vec::new())),
        }
    }
    out
}

fn add_field_aliases(obj: &mut Map<String, Value>, groups: &[(&str, Vec<&str>)]) {
    let Some(Value::Object(props)) = obj.get_mut("properties") else {
        return;
    };
    for (name, aliases) in groups {
        let Some(schema) = props.get(*name).cloned() else {
            continue;
        };
        for a in aliases {
            let mut s = schema.clone();
            if let Value::Object(m) = &mut s {
                m.insert("description".into(), Value::from(format!("= `{name}`")));
            }
            props.insert((*a).to_owned(), s);
        }
    }
}

fn enum_with_aliases(obj: &mut Map<String, Value>, groups: &[(&str, Vec<&str>)]) {
    let all: Vec<Value> = groups
        .iter()
        .flat_map(|(n, a)| std::iter::once(*n).chain(a.iter().copied()))
        .map(Value::from)
        .collect();
    let description = obj.get("description").cloned();
    obj.clear();
    obj.insert("type".into(), Value::from("string"));
    obj.insert("enum".into(), Value::Array(all));
    if let Some(d) = description {
        obj.insert("description".into(), d);
    }
}

/// `language.rules` (规则) names each rule id of [`RuleId::ALL`] with its doc and default severity,
/// and nothing else, and a switch is `true`/`false` or one of [`Severity::NAMES`]: an editor
/// flags a misspelt rule id or severity, as `caifen rubric check` does.
fn language_rules(defs: &mut Map<String, Value>) {
    let mut props = Map::new();
    for r in RuleId::ALL {
        let mut rule = Map::new();
        rule.insert("$ref".into(), Value::from("#/$defs/RawSwitch"));
        rule.insert(
            "description".into(),
            Value::from(format!(
                "{} (default: {})",
                r.doc().what,
                r.default_severity().as_str()
            )),
        );
        props.insert(r.as_str().to_owned(), Value::Object(rule));
    }
    if let Some(Value::Object(rules)) = defs
        .get_mut("RawLanguage")
        .and_then(|l| l.get_mut("properties"))
        .and_then(|p| p.get_mut("rules"))
    {
        rules.remove("additionalProperties");
        rules.insert("properties".into(), Value::Object(props));
        rules.insert("additionalProperties".into(), Value::Bool(false));
    }
    if let Some(Value::Object(switch)) = defs.get_mut("RawSwitch") {
        let names: Vec<Value> = Severity::NAMES
            .iter()
            .map(|(n, _)| Value::from(*n))
            .collect();
        switch.insert(
            "anyOf".into(),
            serde_json::json!([{"type": "boolean"}, {"type": "string", "enum": names}]),
        );
    }
}

/// The rubric format's JSON Schema, Chinese names included.
pub fn rubric_schema() -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(RawRubric)).unwrap_or_default();
    if let Value::Object(root) = &mut schema {
        add_field_aliases(root, &names::<RawRubric>());
        root.insert(
            "title".into(),
            Value::from("caifen rubric (评分标准), version 1"),
        );
        root.insert(
            "description".into(),
            Value::from(
                "See rubrics/README.md. Every key is English and also accepts its Chinese name.",
            ),
        );
        if let Some(Value::Object(defs)) = root.get_mut("$defs") {
            language_rules(defs);
            let structs: Vec<(&str, NameGroups)> = vec![
                ("RawBand", names::<RawBand>()),
                ("RawLength", names::<RawLength>()),
                ("RawStructure", names::<RawStructure>()),
                ("RawSlot", names::<RawSlot>()),
                ("RawSignature", names::<RawSignature>()),
                ("RawHeadings", names::<RawHeadings>()),
                ("RawPoint", names::<RawPoint>()),
                ("RawGroup", names::<RawGroup>()),
                ("RawLanguage", names::<RawLanguage>()),
                ("RawForbidden", names::<RawForbidden>()),
            ];
            for (def, groups) in &structs {
                if let Some(Value::Object(o)) = defs.get_mut(*def) {
                    add_field_aliases(o, groups);
                }
            }
            let enums: Vec<(&str, NameGroups)> = vec![
                ("Kind", names::<Kind>()),
                ("Scope", names::<Scope>()),
                ("Convention", names::<Convention>()),
            ];
            for (def, groups) in &enums {
                if let Some(Value::Object(o)) = defs.get_mut(*def) {
                    enum_with_aliases(o, groups);
                }
            }
        }
    }
    schema
}

/// The schema as written to `rubrics/schema.json` (pretty, with a final newline).
pub fn rubric_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&rubric_schema()).unwrap_or_default();
    s.push('\n');
    s
}
