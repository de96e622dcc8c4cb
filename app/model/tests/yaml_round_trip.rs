//! The writer and the reader agree: any tree the console writes reads back as the same tree,
//! with kubectl's reading. Strings that YAML 1.1 would take for something else (`"yes"`,
//! `"0644"`, `"~"`, `""`) are generated on purpose, beside numbers, booleans and nulls.

use console_model::yaml;
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Strings that are something else to kubectl when unquoted, or need quotes for YAML itself.
const TRICKY: &[&str] = &[
    "yes",
    "Yes",
    "YES",
    "y",
    "Y",
    "no",
    "n",
    "N",
    "on",
    "On",
    "off",
    "OFF",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "",
    "0644",
    "0420",
    "0o17",
    "0x10",
    "0b101",
    "1e3",
    "1_000",
    "+12",
    "-1",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "1.",
    "09",
    "2026-01-01",
    "2026-01-01T10:00:00Z",
    "1:20",
    "<<",
    "- item",
    "key: value",
    "#comment",
    "a #b",
    "'",
    "\"",
    "[x]",
    "{x}",
    "*alias",
    "&anchor",
    "!tag",
    "%x",
    "@x",
    "`x",
    " lead",
    "trail ",
    "two\nlines",
    "ends\n",
    "\n",
    "tab\there",
    "cr\rlf",
    "é",
    "中文",
    "\u{85}",
    "\u{2028}",
    "\u{feff}x",
    "\u{0}",
    "---",
    "...",
    "? x",
    "|",
    ">",
    "-",
    ":",
    "x:",
    ",",
];

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(TRICKY).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[a-z0-9 .:_-]{0,12}",
        // Long enough for libyaml's complex keys and long-line handling.
        1 => "[a-z ]{100,300}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => string().prop_map(Value::String),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        // The reader refuses what JSON cannot carry, so the trees hold finite floats.
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(Value::Null),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Sequence),
            prop::collection::vec((string(), inner), 0..6).prop_map(|entries| {
                Value::Mapping(
                    entries
                        .into_iter()
                        .map(|(key, value)| (Value::String(key), value))
                        .collect::<Mapping>(),
                )
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_tree_the_console_writes_reads_back_the_same(value in tree()) {
        let text = yaml::write(&value);
        let read = yaml::read(&text).map_err(|error| TestCaseError::fail(format!("{error}\n{text}")))?;
        prop_assert_eq!(read, vec![value], "{}", text);
    }

    #[test]
    fn several_documents_read_back_as_written(values in prop::collection::vec(tree(), 1..4)) {
        let text = yaml::write_all(&values);
        let read = yaml::read(&text).map_err(|error| TestCaseError::fail(format!("{error}\n{text}")))?;
        prop_assert_eq!(read, values, "{}", text);
    }
}
