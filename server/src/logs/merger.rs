//! Puts lines from many streams in time order, waiting a short window for late ones, with
//! memory bounded in lines and in bytes.

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, VecDeque},
    time::Duration,
};

use jiff::Timestamp;
use tokio::time::Instant;

use super::Line;

/// How long a line waits for earlier lines from slower streams before it is sent.
pub(super) const REORDER_WINDOW: Duration = Duration::from_millis(250);
/// Most lines held for reordering; past it the earliest go out at once.
pub(super) const MAX_HELD_LINES: usize = 10_000;
/// Bytes of lines held for reordering; past it the earliest go out at once.
pub(super) const MAX_HELD_BYTES: usize = 8 * 1024 * 1024;

/// A line held for reordering; earlier times first, then the order they arrived in.
#[derive(Debug)]
struct Held {
    line: Line,
    order: u64,
}

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Held {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.line.time, self.order).cmp(&(other.line.time, other.order))
    }
}

/// Puts lines from many streams in time order, waiting at most `window` for late ones.
///
/// A line is due `window` after it arrived. When one is due, every held line with a time up to
/// its time goes out too, sorted: whatever arrives later with an earlier time was more than a
/// window late and goes out as soon as it comes. So no line waits much longer than `window`, and
/// lines that arrive within a window of each other come out in time order.
#[derive(Debug)]
pub(super) struct Merger {
    window: Duration,
    capacity: usize,
    byte_capacity: usize,
    held_bytes: usize,
    held: BinaryHeap<Reverse<Held>>,
    arrivals: VecDeque<(Instant, Timestamp)>,
    watermark: Option<Timestamp>,
    ready: Vec<Line>,
    order: u64,
}

impl Merger {
    pub(super) fn new(window: Duration, capacity: usize, byte_capacity: usize) -> Self {
        Merger {
            window,
            capacity,
            byte_capacity,
            held_bytes: 0,
            held: BinaryHeap::new(),
            arrivals: VecDeque::new(),
            watermark: None,
            ready: Vec::new(),
            order: 0,
        }
    }

    pub(super) fn push(&mut self, line: Line, now: Instant) {
        self.arrivals.push_back((now, line.time));
        self.order += 1;
        self.held_bytes += line.text.len();
        self.held.push(Reverse(Held {
            line,
            order: self.order,
        }));
        while self.held.len() > self.capacity || self.held_bytes > self.byte_capacity {
            let Reverse(earliest) = self.held.pop().expect("over capacity, so not empty");
            self.held_bytes -= earliest.line.text.len();
            self.advance(earliest.line.time);
            self.ready.push(earliest.line);
        }
    }

    fn advance(&mut self, time: Timestamp) {
        self.watermark = Some(self.watermark.map_or(time, |mark| mark.max(time)));
    }

    /// The lines to send now, in order.
    pub(super) fn take_due(&mut self, now: Instant) -> Vec<Line> {
        while let Some(&(arrived, time)) = self.arrivals.front() {
            if now.duration_since(arrived) < self.window {
                break;
            }
            self.arrivals.pop_front();
            self.advance(time);
        }
        while let Some(Reverse(earliest)) = self.held.peek() {
            if self.watermark.is_none_or(|mark| earliest.line.time > mark) {
                break;
            }
            let Reverse(earliest) = self.held.pop().expect("peeked");
            self.held_bytes -= earliest.line.text.len();
            self.ready.push(earliest.line);
        }
        std::mem::take(&mut self.ready)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::test_lines::{line, source};

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|line| line.text.as_str()).collect()
    }

    #[test]
    fn lines_from_different_nodes_come_out_in_time_order_after_the_window() {
        let (a, b) = (source("a"), source("b"));
        let mut merger = Merger::new(Duration::from_millis(250), 100, usize::MAX);
        let start = Instant::now();
        merger.push(line(&a, "2026-01-01T00:00:02Z", "a2"), start);
        merger.push(line(&b, "2026-01-01T00:00:01Z", "b1"), start);
        merger.push(
            line(&a, "2026-01-01T00:00:04Z", "a4"),
            start + Duration::from_millis(100),
        );
        merger.push(
            line(&b, "2026-01-01T00:00:03Z", "b3"),
            start + Duration::from_millis(200),
        );
        assert!(
            merger
                .take_due(start + Duration::from_millis(240))
                .is_empty()
        );
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(260))),
            ["b1", "a2"]
        );
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(460))),
            ["b3", "a4"]
        );
    }

    #[test]
    fn a_line_later_than_the_window_is_sent_at_once_rather_than_held() {
        let a = source("a");
        let mut merger = Merger::new(Duration::from_millis(250), 100, usize::MAX);
        let start = Instant::now();
        merger.push(line(&a, "2026-01-01T00:00:05Z", "new"), start);
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(300))),
            ["new"]
        );
        merger.push(
            line(&a, "2026-01-01T00:00:01Z", "old"),
            start + Duration::from_millis(310),
        );
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(320))),
            ["old"]
        );
    }

    #[test]
    fn lines_with_equal_times_keep_their_arrival_order() {
        let (a, b) = (source("a"), source("b"));
        let mut merger = Merger::new(Duration::ZERO, 100, usize::MAX);
        let now = Instant::now();
        for (source, text) in [(&a, "first"), (&b, "second"), (&a, "third")] {
            merger.push(line(source, "2026-01-01T00:00:00Z", text), now);
        }
        assert_eq!(texts(&merger.take_due(now)), ["first", "second", "third"]);
    }

    #[test]
    fn a_full_reorder_buffer_lets_its_earliest_lines_go_in_order() {
        let a = source("a");
        let mut merger = Merger::new(Duration::from_secs(3600), 2, usize::MAX);
        let now = Instant::now();
        for second in [3, 1, 2, 5, 4] {
            let time = format!("2026-01-01T00:00:0{second}Z");
            merger.push(line(&a, &time, &second.to_string()), now);
        }
        assert_eq!(merger.held.len(), 2);
        assert_eq!(texts(&merger.take_due(now)), ["1", "2", "3"]);
    }

    #[test]
    fn the_reorder_buffer_is_bounded_in_bytes_as_well_as_lines() {
        let a = source("a");
        let mut merger = Merger::new(Duration::from_secs(3600), 1_000, 10);
        let now = Instant::now();
        for second in [3, 1, 2] {
            let time = format!("2026-01-01T00:00:0{second}Z");
            merger.push(line(&a, &time, "12345"), now);
        }
        assert!(merger.held_bytes <= 10);
        assert_eq!(merger.take_due(now).len(), 1);
    }
}
