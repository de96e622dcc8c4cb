//! Splitting a text into documents the way kubectl does (apimachinery's `YAMLReader`), before
//! any YAML is parsed: a line that starts with `---` ends a document, and only spaces or a
//! comment may follow it on that line.
//!
//! kubectl never hands `--- {a: 1}` or `----` to the YAML parser; it refuses them. Doing the
//! same here keeps the console from accepting a file kubectl would not.

use super::error::{Error, Problem};

/// One document's text and the line (from 0) it starts on in the whole text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub first_line: usize,
    pub text: &'a str,
}

/// The documents in order. Every separator starts a document, so `---` twice in a row is an
/// empty document; the text before the first separator is one unless it is empty.
pub fn documents(text: &str) -> Result<Vec<Chunk<'_>>, Error> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut first_line = 0;
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(Error {
                    line: number + 1,
                    column: 4,
                    problem: Problem::Separator(rest.to_owned()),
                });
            }
            if offset > 0 || !chunks.is_empty() {
                chunks.push(Chunk {
                    first_line,
                    text: &text[start..offset],
                });
            }
            start = offset + line.len();
            first_line = number + 1;
        }
        offset += line.len();
    }
    // After a separator, what follows is a document even when empty.
    if start < text.len() || start > 0 {
        chunks.push(Chunk {
            first_line,
            text: &text[start..],
        });
    }
    Ok(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        documents(text).unwrap().iter().map(|c| c.text).collect()
    }

    #[test]
    fn documents_are_split_at_lines_that_start_with_three_dashes() {
        assert_eq!(texts("a: 1\n---\nb: 2\n"), ["a: 1\n", "b: 2\n"]);
        assert_eq!(texts("---\na: 1\n"), ["a: 1\n"]);
        assert_eq!(texts("a: 1\n--- # next\r\nb: 2"), ["a: 1\n", "b: 2"]);
        assert_eq!(texts(""), Vec::<&str>::new());
    }

    #[test]
    fn two_separators_in_a_row_make_an_empty_document() {
        assert_eq!(texts("---\n---\nkind: x\n"), ["", "kind: x\n"]);
        assert_eq!(texts("a: 1\n---\n"), ["a: 1\n", ""]);
    }

    #[test]
    fn each_document_knows_its_first_line() {
        let chunks = documents("a: 1\nb: 2\n---\nc: 3\n").unwrap();
        assert_eq!(chunks[1].first_line, 3);
    }

    #[test]
    fn content_after_a_separator_is_refused_at_its_line_as_kubectl_does() {
        let error = documents("a: 1\n--- {b: 2}\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(error.problem, Problem::Separator("{b: 2}".into()));
        assert!(documents("----\n").is_err());
        // Indented, it is not a separator but YAML's business.
        assert_eq!(texts("a: |\n  ---\n"), ["a: |\n  ---\n"]);
    }
}
