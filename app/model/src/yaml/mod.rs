//! YAML as kubectl reads and writes it, for every manifest the console reads, shows, downloads
//! or sends.
//!
//! kubectl reads manifests with sigs.k8s.io/yaml over go-yaml v2: YAML 1.1 scalars (`0644` is
//! 420, `yes` and `on` are true), keys made JSON keys, aliases and `<<` merges expanded, and
//! documents split at `---` lines before parsing. serde_yaml reads YAML 1.2 (there those are
//! strings) and writes some such strings unquoted, which kubectl then reads as something else.
//! This module does what kubectl does, on `serde_yaml::Value` trees:
//!
//! ```
//! use console_model::yaml;
//!
//! let documents = yaml::read("defaultMode: 0420\nreadOnly: yes\nvalue: \"on\"\n")?;
//! assert_eq!(documents[0]["defaultMode"], 272);
//! assert_eq!(documents[0]["readOnly"], true);
//! assert_eq!(yaml::write(&documents[0]), "defaultMode: 272\nreadOnly: true\nvalue: 'on'\n");
//! # Ok::<(), yaml::Error>(())
//! ```
//!
//! Layout:
//! - `split.rs`: documents split at `---` lines, as kubectl splits them.
//! - `resolve.rs`: go-yaml v2's meaning of a plain scalar, and which strings need quotes.
//! - `read.rs`: one document's events into a tree.
//! - `write.rs`: a tree into YAML that reads back the same.
//! - `json.rs`: JSON streams in, and the JSON kubectl would send out.
//! - `locate.rs`: where a field path is in a text, for the editor's marker.
//! - `error.rs`: [`Error`], what is wrong and where.

mod error;
mod json;
mod locate;
mod read;
mod resolve;
mod split;
mod write;

use serde_yaml::Value;

pub use error::{Error, KeyKind, Problem};
pub use json::{NotJson, from_json, looks_like_json, to_json};
pub use locate::position;

/// Reads a manifest: JSON objects when the text starts with `{`, else YAML documents split at
/// `---` lines. Documents with nothing in them are null.
pub fn read(text: &str) -> Result<Vec<Value>, Error> {
    if looks_like_json(text) {
        return read_json(text);
    }
    split::documents(text)?
        .into_iter()
        .map(|chunk| read::document(chunk.text, chunk.first_line))
        .collect()
}

/// Reads JSON: one or more values one after another; a top-level array stands for its items.
pub fn read_json(text: &str) -> Result<Vec<Value>, Error> {
    json::read(text)
}

/// One document as YAML, ending with a line break.
pub fn write(value: &Value) -> String {
    write::document(value)
}

/// Several documents, separated by `---` lines.
pub fn write_all<'a>(values: impl IntoIterator<Item = &'a Value>) -> String {
    let text = values
        .into_iter()
        .map(write::document)
        .collect::<Vec<_>>()
        .join("---\n");
    // A text that starts with `{` is JSON to kubectl (and to [`read`]); an opening `---`
    // keeps a first document written as `{}` YAML.
    if looks_like_json(&text) {
        format!("---\n{text}")
    } else {
        text
    }
}

/// An object from the API (JSON) as YAML, e.g. for the editor or a pod's volume.
pub fn write_json(value: &serde_json::Value) -> String {
    write::document(&from_json(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_read_in_order_with_positions_in_the_whole_text() {
        let documents = read("a: 1\n---\nb: on\n").unwrap();
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[1]["b"], true);
        let error = read("a: 1\n---\nb: [1\n").unwrap_err();
        assert_eq!(error.line, 4, "{error}");
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_ends_are_read_as_kubectl_reads_them() {
        let documents = read("\u{feff}a: 1\r\nb: yes\r\n---\r\nc: 0x1e\r\n").unwrap();
        assert_eq!(documents[0]["b"], true);
        assert_eq!(documents[1]["c"], 30);
    }

    #[test]
    fn several_documents_starting_with_an_empty_mapping_are_not_taken_for_json() {
        let documents = [Value::Mapping(Default::default()), Value::from("yes")];
        assert_eq!(read(&write_all(&documents)).unwrap(), documents);
    }

    #[test]
    fn several_documents_are_written_with_separators() {
        let documents = read("a: 1\n---\nb: 'on'\n").unwrap();
        assert_eq!(write_all(&documents), "a: 1\n---\nb: 'on'\n");
    }
}
