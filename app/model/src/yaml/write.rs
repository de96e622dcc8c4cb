//! Writing a tree as YAML that kubectl reads back as the same tree, in the shape kubectl
//! prints (go-yaml v2's encoder over libyaml's emitter: block style, two spaces, lists not
//! indented under their key).
//!
//! A string that would mean something else unquoted (`'yes'`, `'0644'`, `'1e3'`, `'~'`, `''`)
//! is quoted (single quotes, as the console always wrote them; go-yaml uses double quotes, which
//! mean the same); a string with line breaks is a literal block; the emitter falls back to
//! double quotes or escapes wherever plain, single-quoted or block text would not survive.

use libyaml_safer::{Emitter, Encoding, Event, MappingStyle, ScalarStyle, SequenceStyle};
use serde_yaml::{Number, Value};

use super::resolve;

/// One document, ending with a line break.
pub fn document(value: &Value) -> String {
    let mut output = Vec::new();
    {
        let mut emitter = Emitter::new();
        emitter.set_output_string(&mut output);
        emitter.set_unicode(true);
        emitter.set_indent(2);
        // Long lines stay whole: folding them is correct YAML but hard to edit.
        emitter.set_width(-1);
        let mut events = vec![
            Event::stream_start(Encoding::Utf8),
            Event::document_start(None, &[], true),
        ];
        node(value, &mut events);
        events.push(Event::document_end(true));
        events.push(Event::stream_end());
        for event in events {
            emitter
                .emit(event)
                .expect("events made from a tree are always in a valid order");
        }
    }
    String::from_utf8(output).expect("the emitter writes UTF-8")
}

fn node(value: &Value, events: &mut Vec<Event>) {
    match value {
        Value::Null => events.push(plain("null")),
        Value::Bool(flag) => events.push(plain(if *flag { "true" } else { "false" })),
        Value::Number(number) => events.push(plain(&number_text(number))),
        Value::String(text) => events.push(string(text)),
        Value::Sequence(items) => {
            events.push(Event::sequence_start(
                None,
                None,
                true,
                SequenceStyle::Block,
            ));
            for item in items {
                node(item, events);
            }
            events.push(Event::sequence_end());
        }
        Value::Mapping(map) => {
            events.push(Event::mapping_start(None, None, true, MappingStyle::Block));
            for (key, value) in map {
                node(key, events);
                node(value, events);
            }
            events.push(Event::mapping_end());
        }
        Value::Tagged(tagged) => {
            // Only trees built by other means carry tags; the reader resolves them.
            let tag = format!("!{}", tagged.tag.to_string().trim_start_matches('!'));
            let start = events.len();
            node(&tagged.value, events);
            set_tag(&mut events[start], tag);
        }
    }
}

fn plain(text: &str) -> Event {
    Event::scalar(None, None, text, true, true, ScalarStyle::Plain)
}

fn string(text: &str) -> Event {
    let style = if text.contains('\n') {
        ScalarStyle::Literal
    } else if resolve::needs_quotes(text) {
        ScalarStyle::SingleQuoted
    } else {
        ScalarStyle::Plain
    };
    Event::scalar(None, None, text, true, true, style)
}

/// Integers as they are; floats so that they read back as floats (`1000.0`, `1e21`), and the
/// YAML spellings of infinity and not-a-number.
fn number_text(number: &Number) -> String {
    if number.is_i64() || number.is_u64() {
        return number.to_string();
    }
    let float = number.as_f64().unwrap_or(f64::NAN);
    if float.is_nan() {
        ".nan".to_owned()
    } else if float.is_infinite() {
        if float > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else {
        format!("{float:?}")
    }
}

fn set_tag(event: &mut Event, tag: String) {
    use libyaml_safer::EventData;
    match &mut event.data {
        EventData::Scalar {
            tag: slot,
            plain_implicit,
            quoted_implicit,
            ..
        } => {
            *slot = Some(tag);
            *plain_implicit = false;
            *quoted_implicit = false;
        }
        EventData::SequenceStart {
            tag: slot,
            implicit,
            ..
        }
        | EventData::MappingStart {
            tag: slot,
            implicit,
            ..
        } => {
            *slot = Some(tag);
            *implicit = false;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> String {
        document(&serde_yaml::from_str(text).unwrap())
    }

    #[test]
    fn strings_kubectl_would_read_otherwise_are_quoted() {
        let text = "a: 'yes'\nb: 'on'\nc: '0644'\nd: '1e3'\ne: '0x10'\nf: '~'\ng: ''\nh: 'true'\n";
        assert_eq!(write(text), text);
        assert_eq!(write("a: '2026-01-01'"), "a: '2026-01-01'\n");
    }

    #[test]
    fn everything_else_looks_like_kubectls_output() {
        let text = "\
metadata:
  name: agent
  labels: {}
spec:
  containers:
  - name: agent
    image: nginx:1.27
    args:
    - --port=8080
    ports:
    - containerPort: 80
      hostNetwork: true
";
        assert_eq!(write(text), text);
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        assert_eq!(
            write("script: \"echo 1\\necho 2\\n\""),
            "script: |\n  echo 1\n  echo 2\n"
        );
    }

    #[test]
    fn floats_read_back_as_floats() {
        assert_eq!(
            write("a: 1000.0\nb: 1.0e21\nc: 0.5"),
            "a: 1000.0\nb: 1e21\nc: 0.5\n"
        );
    }

    #[test]
    fn text_that_needs_quotes_for_yaml_itself_is_quoted_by_the_emitter() {
        assert_eq!(
            write("a: ' lead'\nb: 'x: y'\nc: '#x'"),
            "a: ' lead'\nb: 'x: y'\nc: '#x'\n"
        );
    }
}
