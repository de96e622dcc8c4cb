//! Where a field is in a text: the line and column of the value at a Kubernetes field path
//! (`spec.template.spec.volumes[1].configMap.defaultMode`), so the editor can put its marker
//! on what the apiserver refused.

use libyaml_safer::{EventData, Mark, ScalarStyle};

use super::{read, resolve, split};

/// One step of a field path.
#[derive(Debug, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `a.b[2].c` as steps; `None` for a path this cannot follow.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, indices) = part
            .split_once('[')
            .map_or((part, ""), |(k, rest)| (k, rest));
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        if !indices.is_empty() {
            for index in indices.trim_end_matches(']').split("][") {
                steps.push(Step::Index(index.parse().ok()?));
            }
        }
    }
    Some(steps)
}

/// The line and column (from 1) of the value at `path` in a document: `document` counts the
/// documents that hold something, from 0, as the objects they make are counted (empty ones
/// and comments alone are skipped). Values reached only through an alias or a `<<` merge
/// are not found.
pub fn position(text: &str, document: usize, path: &str) -> Option<(usize, usize)> {
    let steps = steps(path)?;
    let chunk = split::documents(text)
        .ok()?
        .into_iter()
        .filter(|chunk| {
            read::document(chunk.text, chunk.first_line).is_ok_and(|value| !value.is_null())
        })
        .nth(document)?;
    {
        let prepared = read::prepared(chunk.text);
        let mut input = prepared.as_bytes();
        let mut events = read::parser(&mut input).map_while(Result::ok);
        // Up to the document's root node.
        events.find(|event| matches!(event.data, EventData::DocumentStart { .. }))?;
        let mark = find(&mut events, &steps, 0)?;
        let line = usize::try_from(mark.line).ok()?;
        let column = usize::try_from(mark.column).ok()?;
        Some((chunk.first_line + line + 1, column + 1))
    }
}

/// Reads one node; returns where the node at `steps` starts if it is inside it. A node that
/// does not hold it is read to its end, so the caller goes on from the next one.
fn find(
    events: &mut impl Iterator<Item = libyaml_safer::Event>,
    steps: &[Step<'_>],
    depth: usize,
) -> Option<Mark> {
    let event = events.next()?;
    if steps.is_empty() {
        return Some(event.start_mark);
    }
    if depth > read::MAX_DEPTH {
        return None;
    }
    match event.data {
        EventData::MappingStart { .. } => {
            let Step::Key(wanted) = steps[0] else {
                return skip_rest(events, depth);
            };
            loop {
                let key = events.next()?;
                let matches = match &key.data {
                    EventData::MappingEnd => return None,
                    EventData::Scalar { value, style, .. } => {
                        value == wanted
                            || *style == ScalarStyle::Plain
                                && json_key(value).is_some_and(|key| key == wanted)
                    }
                    _ => {
                        skip_node(events, &key.data, depth)?;
                        false
                    }
                };
                if matches {
                    return find(events, &steps[1..], depth + 1);
                }
                skip(events, depth)?;
            }
        }
        EventData::SequenceStart { .. } => {
            let Step::Index(wanted) = steps[0] else {
                return skip_rest(events, depth);
            };
            for _ in 0..wanted {
                let next = events.next()?;
                if matches!(next.data, EventData::SequenceEnd) {
                    return None;
                }
                skip_node(events, &next.data, depth)?;
            }
            find(events, &steps[1..], depth + 1)
        }
        _ => None,
    }
}

/// An unquoted key as sigs.k8s.io/yaml makes it a JSON key (`on` is `true`).
fn json_key(text: &str) -> Option<String> {
    match resolve::plain(text) {
        serde_yaml::Value::Bool(flag) => Some(flag.to_string()),
        serde_yaml::Value::Number(number) if number.is_i64() => Some(number.to_string()),
        _ => None,
    }
}

/// Reads past one whole node.
fn skip(events: &mut impl Iterator<Item = libyaml_safer::Event>, depth: usize) -> Option<()> {
    let event = events.next()?;
    skip_node(events, &event.data, depth)
}

/// Reads past the rest of a node whose first event was `first`.
fn skip_node(
    events: &mut impl Iterator<Item = libyaml_safer::Event>,
    first: &EventData,
    depth: usize,
) -> Option<()> {
    match first {
        EventData::MappingStart { .. } | EventData::SequenceStart { .. } => {
            skip_rest(events, depth).map_or(Some(()), |_| None)
        }
        _ => Some(()),
    }
}

/// Reads to the end of the collection just opened; never finds anything (the `Option<Mark>`
/// is always `None`), so callers can return it.
fn skip_rest(
    events: &mut impl Iterator<Item = libyaml_safer::Event>,
    depth: usize,
) -> Option<Mark> {
    let mut open = 1usize;
    for event in events.by_ref() {
        match event.data {
            EventData::MappingStart { .. } | EventData::SequenceStart { .. } => open += 1,
            EventData::MappingEnd | EventData::SequenceEnd => {
                open -= 1;
                if open == 0 {
                    break;
                }
            }
            _ => {}
        }
        if open > read::MAX_DEPTH + depth {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
kind: DaemonSet
spec:
  template:
    spec:
      volumes:
      - name: a
        configMap: {name: a, defaultMode: 420}
      - name: b
        configMap:
          name: b
          defaultMode: \"0420\"
";

    #[test]
    fn a_refused_field_is_found_at_its_value() {
        assert_eq!(
            position(
                TEXT,
                0,
                "spec.template.spec.volumes[1].configMap.defaultMode"
            ),
            Some((11, 24))
        );
        assert_eq!(
            position(
                TEXT,
                0,
                "spec.template.spec.volumes[0].configMap.defaultMode"
            ),
            Some((7, 43))
        );
    }

    #[test]
    fn a_field_that_is_not_there_has_no_position() {
        assert_eq!(
            position(TEXT, 0, "spec.template.spec.volumes[2].name"),
            None
        );
        assert_eq!(position(TEXT, 0, "spec.selector"), None);
        assert_eq!(position(TEXT, 1, "kind"), None);
        assert_eq!(position("- a\n", 0, "spec"), None);
    }

    #[test]
    fn positions_count_in_the_whole_text_and_documents_as_objects_are_counted() {
        let text = "# only a comment\n---\nspec: {b: 1}\n---\nspec:\n  b: 2\n";
        assert_eq!(position(text, 1, "spec.b"), Some((6, 6)));
        assert_eq!(position(text, 0, "spec.b"), Some((3, 11)));
    }
}
