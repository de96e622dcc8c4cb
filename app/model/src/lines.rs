//! Cutting a byte stream into lines as it arrives (watch events, logs), with a cap on a line's
//! length so memory stays bounded however long a line grows. Bytes wait until their line is
//! complete, so a UTF-8 character split across reads is whole again before it is decoded; a
//! line past the cap goes out in pieces cut between characters.

/// Splits streamed bytes at `\n`.
#[derive(Debug)]
pub struct LineSplitter {
    max_line_bytes: usize,
    partial: Vec<u8>,
}

impl LineSplitter {
    /// A splitter that cuts lines longer than `max_line_bytes` into pieces of at most that.
    pub fn new(max_line_bytes: usize) -> Self {
        LineSplitter {
            max_line_bytes: max_line_bytes.max(4),
            partial: Vec::new(),
        }
    }

    /// The lines `chunk` completes, without their `\n`.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Vec<u8>> {
        let mut lines = Vec::new();
        for piece in chunk.split_inclusive(|&byte| byte == b'\n') {
            self.partial.extend_from_slice(piece);
            let complete = self.partial.last() == Some(&b'\n');
            if complete {
                self.partial.pop();
            }
            while self.partial.len() > self.max_line_bytes {
                let cut = utf8_boundary(&self.partial, self.max_line_bytes);
                let rest = self.partial.split_off(cut);
                lines.push(std::mem::replace(&mut self.partial, rest));
            }
            if complete {
                lines.push(std::mem::take(&mut self.partial));
            }
        }
        lines
    }

    /// What is left when the stream ends: a last line without `\n`.
    pub fn finish(self) -> Option<Vec<u8>> {
        (!self.partial.is_empty()).then_some(self.partial)
    }
}

/// The largest index at most `max` that does not cut a UTF-8 character, unless there is none
/// nearby (the bytes are not UTF-8 anyway).
fn utf8_boundary(bytes: &[u8], max: usize) -> usize {
    let is_continuation = |index: usize| bytes.get(index).is_some_and(|b| b & 0xC0 == 0x80);
    (max.saturating_sub(3)..=max)
        .rev()
        .find(|&index| index > 0 && !is_continuation(index))
        .unwrap_or(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_are_cut_at_newlines_and_a_partial_line_waits_for_its_end() {
        let mut splitter = LineSplitter::new(1024);
        assert_eq!(splitter.push(b"one\ntw"), vec![b"one".to_vec()]);
        assert!(splitter.push(b"o").is_empty());
        assert_eq!(
            splitter.push(b"\nthree\n\nfour"),
            vec![b"two".to_vec(), b"three".to_vec(), b"".to_vec()]
        );
        assert_eq!(splitter.finish(), Some(b"four".to_vec()));
    }

    #[test]
    fn a_character_split_across_chunks_is_whole_in_its_line() {
        let text = "2024-05-01T10:00:00Z 日志 ok\n".as_bytes();
        for split in 0..text.len() {
            let mut splitter = LineSplitter::new(1024);
            let mut lines = splitter.push(&text[..split]);
            lines.extend(splitter.push(&text[split..]));
            assert_eq!(lines.len(), 1, "split at {split}");
            assert!(std::str::from_utf8(&lines[0]).unwrap().ends_with("日志 ok"));
        }
    }

    #[test]
    fn an_endless_line_comes_out_in_pieces_that_keep_characters_whole() {
        let max = 64 * 1024;
        let mut splitter = LineSplitter::new(max);
        let long = "é".repeat(max);
        let pieces = splitter.push(long.as_bytes());
        assert!(!pieces.is_empty());
        for piece in &pieces {
            assert!(piece.len() <= max);
            assert!(std::str::from_utf8(piece).is_ok());
        }
        let rest = splitter.finish().unwrap_or_default();
        assert_eq!(pieces.concat().len() + rest.len(), long.len());
    }

    proptest! {
        /// However the stream is chunked, the lines are the same, none past the cap, and
        /// together they hold every byte but the newlines.
        #[test]
        fn chunking_never_changes_the_lines(text in "[a-zé日\n]{0,300}", cuts in prop::collection::vec(0usize..300, 0..8), max in 4usize..40) {
            let bytes = text.as_bytes();
            let whole = {
                let mut splitter = LineSplitter::new(max);
                let mut lines = splitter.push(bytes);
                lines.extend(splitter.finish());
                lines
            };
            let mut points: Vec<usize> = cuts.into_iter().map(|cut| cut.min(bytes.len())).collect();
            points.sort_unstable();
            let mut splitter = LineSplitter::new(max);
            let mut chunked = Vec::new();
            let mut start = 0;
            for point in points.into_iter().chain([bytes.len()]) {
                chunked.extend(splitter.push(&bytes[start..point]));
                start = point;
            }
            chunked.extend(splitter.finish());
            prop_assert_eq!(&chunked, &whole);
            for line in &whole {
                prop_assert!(line.len() <= max);
                prop_assert!(std::str::from_utf8(line).is_ok());
            }
            let kept: usize = whole.iter().map(Vec::len).sum();
            prop_assert_eq!(kept, bytes.iter().filter(|&&b| b != b'\n').count());
        }
    }
}
