//! Turning one document's YAML into a tree with go-yaml v2's meaning, as kubectl builds it
//! before converting to JSON: libyaml's parser (the one go-yaml ports), plain scalars resolved
//! by [`super::resolve`], quoted ones kept as strings, explicit tags applied, aliases expanded,
//! `<<` merges done, and keys made JSON keys by sigs.k8s.io/yaml's rules (`1` is `"1"`, an
//! unquoted `on` key is `"true"`).

use std::{borrow::Cow, collections::HashMap};

use libyaml_safer::{Encoding, Event, EventData, Mark, Parser, ScalarStyle};
use serde_yaml::{Mapping, Value};

use super::{
    error::{Error, KeyKind, Problem},
    resolve,
};

/// Deeper than any manifest; keeps recursion (here and in every walk over the tree) bounded.
pub(super) const MAX_DEPTH: usize = 200;
/// Values that aliases may add in one document: far above what manifests use, far below what
/// makes the browser tab run out of memory.
pub(super) const MAX_ALIASED_VALUES: usize = 100_000;

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// Reads the first document of `text` (kubectl reads one per chunk); `first_line` places
/// positions in the whole text. A text with no document, or only comments, is null.
pub fn document(text: &str, first_line: usize) -> Result<Value, Error> {
    let text = prepared(text);
    let mut input = text.as_bytes();
    let parser = parser(&mut input);
    let mut builder = Builder {
        parser,
        first_line,
        anchors: HashMap::new(),
        aliased: 0,
    };
    builder.document()
}

/// A document's text as libyaml must be given it. libyaml skips a byte-order mark at the
/// start; libyaml-safer's own detection would also refuse any text starting with
/// U+F000..U+FFFF (whose first byte is a BOM's), so the mark is skipped here and the encoding
/// given by [`parser`]. kubectl's splitter ends every line with a line break, the last one too;
/// libyaml-safer panics on a block scalar cut off by the end of the text, so one is added.
pub(super) fn prepared(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.ends_with('\n') {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("{text}\n"))
    }
}

/// libyaml's parser over a [`prepared`] text, told it is UTF-8.
pub(super) fn parser<'a>(input: &'a mut &'a [u8]) -> Parser<&'a mut &'a [u8]> {
    let mut parser = Parser::new();
    parser.set_encoding(Encoding::Utf8);
    parser.set_input_string(input);
    parser
}

struct Builder<'a, 'b> {
    parser: Parser<&'b mut &'a [u8]>,
    first_line: usize,
    /// Each anchor's value and how many values it holds, for the alias budget.
    anchors: HashMap<String, (Value, usize)>,
    aliased: usize,
}

/// A mapping key as it was written: merge keys are told by their style, not their text.
struct Key {
    value: Value,
    merge: bool,
    mark: Mark,
}

impl Builder<'_, '_> {
    fn document(&mut self) -> Result<Value, Error> {
        loop {
            let event = self.next()?;
            match event.data {
                EventData::StreamStart { .. } => {}
                EventData::DocumentStart { .. } => {
                    let first = self.next()?;
                    return self.node(first, 0).map(|(value, _)| value);
                }
                _ => return Ok(Value::Null),
            }
        }
    }

    fn next(&mut self) -> Result<Event, Error> {
        self.parser.parse().map_err(|error| {
            let mark = error.problem_mark().unwrap_or_default();
            let context = error.context().map(|c| format!(" {c}")).unwrap_or_default();
            self.error(
                mark,
                Problem::Syntax(format!("{}{context}", error.problem())),
            )
        })
    }

    fn error(&self, mark: Mark, problem: Problem) -> Error {
        let number = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Error {
            line: self
                .first_line
                .saturating_add(number(mark.line))
                .saturating_add(1),
            column: number(mark.column).saturating_add(1),
            problem,
        }
    }

    /// Builds the node that `event` starts; returns it with the number of values it holds.
    fn node(&mut self, event: Event, depth: usize) -> Result<(Value, usize), Error> {
        if depth > MAX_DEPTH {
            return Err(self.error(event.start_mark, Problem::TooDeep(MAX_DEPTH)));
        }
        let mark = event.start_mark;
        let (anchor, built) = match event.data {
            EventData::Alias { anchor } => return self.alias(&anchor, mark),
            EventData::Scalar {
                anchor,
                tag,
                value,
                style,
                ..
            } => (anchor, (self.scalar(tag, value, style, mark)?, 1)),
            EventData::SequenceStart { anchor, .. } => (anchor, self.sequence(depth)?),
            EventData::MappingStart { anchor, .. } => (anchor, self.mapping(depth)?),
            _ => {
                return Err(self.error(mark, Problem::Syntax("unexpected event".into())));
            }
        };
        if let Some(anchor) = anchor {
            self.anchors.insert(anchor, built.clone());
        }
        Ok(built)
    }

    fn alias(&mut self, anchor: &str, mark: Mark) -> Result<(Value, usize), Error> {
        let Some((value, size)) = self.anchors.get(anchor) else {
            return Err(self.error(mark, Problem::UnknownAnchor(anchor.to_owned())));
        };
        self.aliased = self.aliased.saturating_add(*size);
        if self.aliased > MAX_ALIASED_VALUES {
            return Err(self.error(mark, Problem::ExcessiveAliasing(MAX_ALIASED_VALUES)));
        }
        Ok((value.clone(), *size))
    }

    fn scalar(
        &self,
        tag: Option<String>,
        text: String,
        style: ScalarStyle,
        mark: Mark,
    ) -> Result<Value, Error> {
        let value = match tag {
            None if style == ScalarStyle::Plain => resolve::plain(&text),
            None => Value::String(text),
            Some(tag) => self.tagged(&tag, text, mark)?,
        };
        if let Value::Number(number) = &value
            && number.as_f64().is_some_and(|f| !f.is_finite())
        {
            return Err(self.error(mark, Problem::NotJson(number.to_string())));
        }
        Ok(value)
    }

    /// A scalar with an explicit tag, as go-yaml v2 decodes it: `!!str` is the text,
    /// `!!int`/`!!float`/`!!bool`/`!!null` must resolve to that kind (`!!float 1` is 1.0),
    /// `!!binary` is decoded base64, and any other tag (`!foo`, `!`) leaves the text a string.
    fn tagged(&self, tag: &str, text: String, mark: Mark) -> Result<Value, Error> {
        let short = tag.strip_prefix(TAG_PREFIX).unwrap_or(tag);
        let mismatch = |this: &Self, text: String| {
            Err(this.error(
                mark,
                Problem::Tag {
                    tag: format!("!!{short}"),
                    value: text,
                },
            ))
        };
        let resolved = match short {
            "int" | "float" | "bool" | "null" => resolve::plain(&text),
            "timestamp" if resolve::needs_quotes(&text) => return Ok(Value::String(text)),
            "timestamp" => return mismatch(self, text),
            "binary" => {
                use base64::Engine;
                let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                return match base64::engine::general_purpose::STANDARD.decode(compact) {
                    Ok(bytes) => Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned())),
                    Err(_) => mismatch(self, text),
                };
            }
            _ => return Ok(Value::String(text)),
        };
        match (short, resolved) {
            ("int", value @ Value::Number(_)) if value.is_i64() || value.is_u64() => Ok(value),
            ("float", Value::Number(number)) => Ok(Value::from(number.as_f64().unwrap_or(0.0))),
            ("bool", value @ Value::Bool(_)) => Ok(value),
            ("null", Value::Null) => Ok(Value::Null),
            _ => mismatch(self, text),
        }
    }

    fn sequence(&mut self, depth: usize) -> Result<(Value, usize), Error> {
        let mut items = Vec::new();
        let mut size = 1usize;
        loop {
            let event = self.next()?;
            if matches!(event.data, EventData::SequenceEnd) {
                return Ok((Value::Sequence(items), size));
            }
            let (item, item_size) = self.node(event, depth + 1)?;
            size = size.saturating_add(item_size);
            items.push(item);
        }
    }

    fn mapping(&mut self, depth: usize) -> Result<(Value, usize), Error> {
        let mut map = Mapping::new();
        let mut size = 1usize;
        loop {
            let event = self.next()?;
            if matches!(event.data, EventData::MappingEnd) {
                return Ok((Value::Mapping(map), size));
            }
            let key = self.key(event, depth + 1)?;
            let value_event = self.next()?;
            let value_mark = value_event.start_mark;
            let (value, value_size) = self.node(value_event, depth + 1)?;
            size = size.saturating_add(value_size).saturating_add(1);
            if key.merge {
                self.merge(&mut map, value, value_mark)?;
            } else {
                let name = self.json_key(key.value, key.mark)?;
                map.insert(Value::String(name), value);
            }
        }
    }

    fn key(&mut self, event: Event, depth: usize) -> Result<Key, Error> {
        let mark = event.start_mark;
        let merge = match &event.data {
            EventData::Scalar {
                tag, value, style, ..
            } => {
                value == "<<"
                    && match tag {
                        None => *style == ScalarStyle::Plain,
                        Some(tag) => tag.strip_prefix(TAG_PREFIX) == Some("merge"),
                    }
            }
            _ => false,
        };
        let (value, _) = self.node(event, depth)?;
        Ok(Key { value, merge, mark })
    }

    /// `<<: *defaults` or `<<: [*a, *b]`: go-yaml v2 writes the merged keys over what the
    /// mapping holds so far (later keys overwrite them in turn), and of a list the first
    /// mapping wins.
    fn merge(&self, map: &mut Mapping, value: Value, mark: Mark) -> Result<(), Error> {
        match value {
            Value::Mapping(merged) => {
                for (key, value) in merged {
                    map.insert(key, value);
                }
                Ok(())
            }
            Value::Sequence(items) => {
                for item in items.into_iter().rev() {
                    let Value::Mapping(merged) = item else {
                        return Err(self.error(mark, Problem::MergeNotMapping));
                    };
                    for (key, value) in merged {
                        map.insert(key, value);
                    }
                }
                Ok(())
            }
            _ => Err(self.error(mark, Problem::MergeNotMapping)),
        }
    }

    /// sigs.k8s.io/yaml's conversion of a YAML key into a JSON one.
    fn json_key(&self, key: Value, mark: Mark) -> Result<String, Error> {
        let found = match key {
            Value::String(text) => return Ok(text),
            Value::Bool(flag) => return Ok(flag.to_string()),
            Value::Number(number) if number.is_i64() => return Ok(number.to_string()),
            Value::Number(number) if number.is_f64() => {
                return Ok(go_float32_text(number.as_f64().unwrap_or_default()));
            }
            Value::Number(_) => KeyKind::HugeNumber,
            Value::Null => KeyKind::Null,
            Value::Sequence(_) => KeyKind::List,
            // Tags are resolved before a key is made, so only a mapping is left.
            Value::Mapping(_) | Value::Tagged(_) => KeyKind::Mapping,
        };
        Err(self.error(mark, Problem::UnsupportedKey(found)))
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`, which sigs.k8s.io/yaml uses for float keys:
/// the shortest digits of the float32, in exponent form below 1e-4 or from 1e6 on.
fn go_float32_text(value: f64) -> String {
    let single = value as f32;
    let scientific = format!("{single:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) {
        format!("{single}")
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Value {
        document(text, 0).unwrap()
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn plain_scalars_mean_what_kubectl_reads_and_quoted_ones_stay_strings() {
        assert_eq!(
            read("mode: 0420\nreadOnly: yes\nhost: on\nname: '0420'\nflag: \"yes\"\n"),
            yaml("mode: 272\nreadOnly: true\nhost: true\nname: '0420'\nflag: 'yes'\n")
        );
    }

    #[test]
    fn block_scalars_are_strings_whatever_they_say() {
        assert_eq!(read("a: |\n  yes\n"), yaml("a: \"yes\\n\""));
        assert_eq!(read("a: >-\n  0644\n"), yaml("a: '0644'"));
    }

    #[test]
    fn explicit_tags_are_applied_as_go_yaml_does() {
        assert_eq!(read("a: !!str 0644"), yaml("a: '0644'"));
        assert_eq!(read("a: !!int '0x10'"), yaml("a: 16"));
        assert_eq!(read("a: !!float 1"), yaml("a: 1.0"));
        assert_eq!(read("a: !!binary aGVsbG8="), yaml("a: hello"));
        assert_eq!(read("a: !custom 12"), yaml("a: '12'"));
        let error = document("a: b\nc: !!int abc\n", 0).unwrap_err();
        assert_eq!((error.line, error.column), (2, 4));
        assert_eq!(
            error.problem,
            Problem::Tag {
                tag: "!!int".into(),
                value: "abc".into()
            }
        );
    }

    #[test]
    fn aliases_are_expanded_and_merge_keys_merged() {
        let text = "base: &base {a: 1, b: 2}\ncopy: *base\nmerged:\n  <<: *base\n  b: 3\n";
        assert_eq!(
            read(text),
            yaml("base: {a: 1, b: 2}\ncopy: {a: 1, b: 2}\nmerged: {a: 1, b: 3}\n")
        );
        assert_eq!(
            read("p: &p {a: 1}\nq: &q {a: 2, b: 2}\nr:\n  <<: [*p, *q]\n"),
            yaml("p: {a: 1}\nq: {a: 2, b: 2}\nr: {a: 1, b: 2}\n")
        );
        // Quoted, `<<` is an ordinary key.
        assert_eq!(read("'<<': 1"), yaml("'<<': 1"));
    }

    #[test]
    fn an_alias_without_its_anchor_is_refused_at_the_alias() {
        let error = document("a: 1\nb: *nowhere\n", 0).unwrap_err();
        assert_eq!((error.line, error.column), (2, 4));
        assert_eq!(error.problem, Problem::UnknownAnchor("nowhere".into()));
    }

    #[test]
    fn a_billion_laughs_stops_at_the_alias_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let error = document(&text, 0).unwrap_err();
        assert_eq!(
            error.problem,
            Problem::ExcessiveAliasing(MAX_ALIASED_VALUES)
        );
    }

    #[test]
    fn keys_become_json_keys_and_keys_json_cannot_have_are_refused() {
        assert_eq!(
            read("1: a\non: b\n1.5: c\n0x10: d\n"),
            yaml("'1': a\n'true': b\n'1.5': c\n'16': d\n")
        );
        let error = document("a:\n  ~: x\n", 0).unwrap_err();
        assert_eq!(error.problem, Problem::UnsupportedKey(KeyKind::Null));
        assert_eq!(error.line, 2);
    }

    #[test]
    fn numbers_json_cannot_carry_are_refused_at_their_line() {
        let error = document("a: 1\nb: .inf\n", 0).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(matches!(error.problem, Problem::NotJson(_)));
    }

    #[test]
    fn syntax_errors_say_where_counting_from_the_documents_first_line() {
        let error = document("a: 1\n\tb: 2\n", 10).unwrap_err();
        assert_eq!(error.line, 12);
        assert!(matches!(error.problem, Problem::Syntax(_)), "{error}");
    }

    #[test]
    fn a_block_scalar_may_end_the_text_without_a_line_break() {
        assert_eq!(read("a: |\n  x"), yaml("a: \"x\\n\""));
        assert!(document("|-\n  |.inf", 0).is_ok());
    }

    #[test]
    fn text_may_start_with_any_character() {
        // U+FFFC's first byte is a byte-order mark's; it is still just text.
        assert_eq!(read("\u{fffc}: １"), yaml("\"\u{fffc}\": １"));
        assert_eq!(read("\u{feff}a: 1"), yaml("a: 1"));
    }

    #[test]
    fn nesting_deeper_than_any_manifest_is_refused_not_overflowed() {
        let text = "[".repeat(10_000);
        let error = document(&text, 0).unwrap_err();
        assert_eq!(error.problem, Problem::TooDeep(MAX_DEPTH));
    }

    #[test]
    fn float_keys_are_spelled_as_go_spells_a_float32() {
        assert_eq!(go_float32_text(1.5), "1.5");
        assert_eq!(go_float32_text(1000.0), "1000");
        assert_eq!(go_float32_text(123456.0), "123456");
        assert_eq!(go_float32_text(1e6), "1e+06");
        assert_eq!(go_float32_text(0.00001), "1e-05");
    }
}
