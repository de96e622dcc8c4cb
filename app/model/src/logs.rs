//! Log lines as the viewer keeps them: a ring buffer that bounds memory however long a stream
//! runs, the split of Kubernetes' timestamp prefix, and search.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

/// One line of a log, with where it came from when several streams are merged. The server's
/// merged view sends exactly this, one JSON object per line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogLine {
    /// RFC 3339 time the runtime recorded, when asked for timestamps.
    pub time: Option<String>,
    /// Node (merged DaemonSet view) or empty.
    pub node: String,
    pub pod: String,
    pub container: String,
    pub line: String,
    /// Written by the console itself (lines skipped, a log that cannot be read, the session
    /// ended), not by the container: shown apart and left out of downloads.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub notice: bool,
}

impl LogLine {
    /// Splits `2026-11-28T01:02:03.456789Z text` into its time and text; a line without a
    /// timestamp is kept whole.
    pub fn from_timestamped(raw: &str) -> LogLine {
        let (time, line) = split_timestamp(raw);
        LogLine {
            time: time.map(str::to_owned),
            line: line.to_owned(),
            ..LogLine::default()
        }
    }
}

impl LogLine {
    /// The line as a downloaded log file has it; none for the console's own notices.
    pub fn download_text(&self) -> Option<String> {
        if self.notice {
            return None;
        }
        Some(match (&self.time, self.node.is_empty()) {
            (Some(time), true) => format!("{time} {}\n", self.line),
            (Some(time), false) => format!("{time} [{}] {}\n", self.node, self.line),
            (None, _) => format!("{}\n", self.line),
        })
    }
}

/// Splits the apiserver's `timestamps=true` prefix off a log line
/// (`2026-11-28T01:02:03.456789Z text` → the time and `text`); a line without one is all text.
pub fn split_timestamp(raw: &str) -> (Option<&str>, &str) {
    match raw.split_once(' ') {
        Some((time, rest)) if looks_like_timestamp(time) => (Some(time), rest),
        _ => (None, raw),
    }
}

fn looks_like_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 20
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes[10] == b'T'
        && text.ends_with('Z')
}

/// The newest `capacity` lines, and how many older ones were let go.
#[derive(Clone, Debug)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    capacity: usize,
    dropped: u64,
}

impl LogBuffer {
    pub fn new(capacity: usize) -> Self {
        LogBuffer {
            lines: VecDeque::with_capacity(capacity.min(4096)),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    pub fn push(&mut self, line: LogLine) {
        if self.lines.len() == self.capacity {
            self.lines.pop_front();
            self.dropped += 1;
        }
        self.lines.push_back(line);
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines let go to stay within capacity.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn get(&self, index: usize) -> Option<&LogLine> {
        self.lines.get(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = &LogLine> {
        self.lines.iter()
    }

    pub fn clear(&mut self) {
        self.dropped += self.lines.len() as u64;
        self.lines.clear();
    }

    /// Indexes of the lines containing `needle`, ignoring case.
    pub fn matching(&self, needle: &str) -> Vec<usize> {
        if needle.is_empty() {
            return Vec::new();
        }
        let needle = needle.to_lowercase();
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, line)| line.line.to_lowercase().contains(&needle))
            .map(|(index, _)| index)
            .collect()
    }
}

/// `text` cut into pieces, each flagged when it is a match of `needle` (ignoring case), for
/// highlighting. Cuts fall on character boundaries.
pub fn highlight(text: &str, needle: &str) -> Vec<(String, bool)> {
    if needle.is_empty() {
        return vec![(text.to_owned(), false)];
    }
    let lower = text.to_lowercase();
    let needle = needle.to_lowercase();
    // Lowercasing can change byte lengths (rare scripts); then show the line unmarked.
    if lower.len() != text.len() {
        return vec![(text.to_owned(), false)];
    }
    let mut pieces = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find(&needle) {
        let start = at + found;
        let end = start + needle.len();
        if start > at {
            pieces.push((text[at..start].to_owned(), false));
        }
        pieces.push((text[start..end].to_owned(), true));
        at = end;
    }
    if at < text.len() {
        pieces.push((text[at..].to_owned(), false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_notice_from_the_server_is_kept_as_one_and_left_out_of_downloads() {
        let notice: LogLine = serde_json::from_str(
            r#"{"time":"2026-01-01T00:00:00Z","node":"","pod":"","container":"","line":"12 lines skipped","notice":true}"#,
        )
        .unwrap();
        assert!(notice.notice);
        assert_eq!(notice.download_text(), None);
        let line: LogLine = serde_json::from_str(
            r#"{"time":"2026-01-01T00:00:00Z","node":"n1","pod":"p","container":"c","line":"hello"}"#,
        )
        .unwrap();
        assert!(!line.notice);
        assert_eq!(
            line.download_text().as_deref(),
            Some("2026-01-01T00:00:00Z [n1] hello\n")
        );
        let written = serde_json::to_value(&line).unwrap();
        assert!(
            written.get("notice").is_none(),
            "ordinary lines carry no flag"
        );
    }

    #[test]
    fn the_timestamp_prefix_is_split_off_and_other_lines_stay_whole() {
        let line = LogLine::from_timestamped("2026-11-28T01:02:03.456789012Z level=info started");
        assert_eq!(line.time.as_deref(), Some("2026-11-28T01:02:03.456789012Z"));
        assert_eq!(line.line, "level=info started");
        assert_eq!(LogLine::from_timestamped("plain text").line, "plain text");
        assert_eq!(LogLine::from_timestamped("").line, "");
    }

    #[test]
    fn the_buffer_keeps_the_newest_lines_and_counts_the_dropped() {
        let mut buffer = LogBuffer::new(3);
        for i in 0..5 {
            buffer.push(LogLine {
                line: format!("line {i}"),
                ..LogLine::default()
            });
        }
        assert_eq!(buffer.len(), 3);
        assert_eq!(buffer.dropped(), 2);
        assert_eq!(buffer.get(0).unwrap().line, "line 2");
    }

    #[test]
    fn search_finds_lines_ignoring_case_and_highlights_every_match() {
        let mut buffer = LogBuffer::new(10);
        for text in ["Error: disk", "ok", "another error"] {
            buffer.push(LogLine {
                line: text.into(),
                ..LogLine::default()
            });
        }
        assert_eq!(buffer.matching("ERROR"), vec![0, 2]);
        assert_eq!(
            highlight("an error, an Error", "error"),
            vec![
                ("an ".into(), false),
                ("error".into(), true),
                (", an ".into(), false),
                ("Error".into(), true)
            ]
        );
        assert_eq!(
            highlight("日志 error 日志", "error")[1],
            ("error".into(), true)
        );
    }

    proptest! {
        #[test]
        fn memory_stays_bounded_however_many_lines_arrive(capacity in 1usize..64, count in 0usize..500) {
            let mut buffer = LogBuffer::new(capacity);
            for i in 0..count {
                buffer.push(LogLine { line: i.to_string(), ..LogLine::default() });
            }
            prop_assert_eq!(buffer.len(), count.min(capacity));
            prop_assert_eq!(buffer.dropped() as usize, count.saturating_sub(capacity));
            if count > 0 {
                prop_assert_eq!(&buffer.get(buffer.len() - 1).unwrap().line, &(count - 1).to_string());
            }
        }

        #[test]
        fn highlighted_pieces_put_back_together_give_the_line(text in "\\PC{0,40}", needle in "[a-z]{0,3}") {
            let joined: String = highlight(&text, &needle).into_iter().map(|(piece, _)| piece).collect();
            prop_assert_eq!(joined, text);
        }
    }
}
