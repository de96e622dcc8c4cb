//! The last few samples of each pod and node, kept while a page is open, and their sparklines.

use std::collections::{BTreeMap, VecDeque};

use super::Usage;

/// Samples per key, oldest first. metrics-server measures every 15 s (`--metric-resolution`);
/// a page that asks as often may see the same sample twice, so samples are told apart by
/// their `timestamp`, not by when they were asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    capacity: usize,
    series: BTreeMap<String, VecDeque<(String, Usage)>>,
}

impl History {
    /// Keeps at most `capacity` samples per key (20 at 15 s: the last five minutes).
    pub fn new(capacity: usize) -> Self {
        History {
            capacity: capacity.max(1),
            series: BTreeMap::new(),
        }
    }

    /// Adds the latest sample of every key `(key, timestamp, usage)`; a key missing from
    /// `latest` (its pod is gone) is forgotten.
    pub fn record(&mut self, latest: impl IntoIterator<Item = (String, String, Usage)>) {
        let mut kept = BTreeMap::new();
        for (key, timestamp, usage) in latest {
            let mut series = self.series.remove(&key).unwrap_or_default();
            if series.back().is_none_or(|(last, _)| *last != timestamp) {
                series.push_back((timestamp, usage));
            }
            while series.len() > self.capacity {
                series.pop_front();
            }
            kept.insert(key, series);
        }
        self.series = kept;
    }

    /// A key's samples, oldest first.
    pub fn series(&self, key: &str) -> Vec<Usage> {
        self.series
            .get(key)
            .map(|series| series.iter().map(|(_, usage)| *usage).collect())
            .unwrap_or_default()
    }
}

/// An SVG `points` attribute drawing `values` left to right in a `width` × `height` box, zero at
/// the bottom and `scale` (or the largest value, if larger) at the top. One value draws a flat
/// line; none draws nothing.
pub fn sparkline_points(values: &[u64], scale: u64, width: f64, height: f64) -> String {
    let top = values.iter().copied().max().unwrap_or(0).max(scale).max(1) as f64;
    let step = match values.len() {
        0 => return String::new(),
        1 => width,
        n => width / (n - 1) as f64,
    };
    let point = |x: f64, value: u64| format!("{x:.1},{:.1}", height - value as f64 / top * height);
    if let [only] = values {
        return format!("{} {}", point(0.0, *only), point(width, *only));
    }
    values
        .iter()
        .enumerate()
        .map(|(i, value)| point(i as f64 * step, *value))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn memory(bytes: u64) -> Usage {
        Usage {
            cpu_nanocores: 0,
            memory_bytes: bytes,
        }
    }

    #[test]
    fn the_same_sample_asked_twice_counts_once() {
        let mut history = History::new(3);
        history.record([("a".to_owned(), "t1".to_owned(), memory(1))]);
        history.record([("a".to_owned(), "t1".to_owned(), memory(1))]);
        history.record([("a".to_owned(), "t2".to_owned(), memory(2))]);
        assert_eq!(history.series("a"), [memory(1), memory(2)]);
    }

    #[test]
    fn keeps_the_newest_and_forgets_pods_that_are_gone() {
        let mut history = History::new(2);
        for (i, t) in ["t1", "t2", "t3"].into_iter().enumerate() {
            history.record([
                ("a".to_owned(), t.to_owned(), memory(i as u64)),
                ("b".to_owned(), t.to_owned(), memory(9)),
            ]);
        }
        assert_eq!(history.series("a"), [memory(1), memory(2)]);
        history.record([("a".to_owned(), "t4".to_owned(), memory(3))]);
        assert_eq!(history.series("b"), []);
    }

    #[test]
    fn sparklines_put_zero_at_the_bottom_and_the_scale_at_the_top() {
        assert_eq!(
            sparkline_points(&[0, 5, 10], 10, 60.0, 20.0),
            "0.0,20.0 30.0,10.0 60.0,0.0"
        );
        assert_eq!(sparkline_points(&[4], 8, 60.0, 20.0), "0.0,10.0 60.0,10.0");
        assert_eq!(sparkline_points(&[], 8, 60.0, 20.0), "");
        // A value above the scale raises the top rather than leaving the box.
        assert_eq!(
            sparkline_points(&[0, 20], 10, 10.0, 10.0),
            "0.0,10.0 10.0,0.0"
        );
    }

    proptest! {
        #[test]
        fn sparklines_stay_inside_their_box(values in prop::collection::vec(any::<u64>(), 0..30), scale in any::<u64>()) {
            let points = sparkline_points(&values, scale, 60.0, 20.0);
            for pair in points.split_whitespace() {
                let (x, y) = pair.split_once(',').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                prop_assert!((0.0..=60.0).contains(&x) && (0.0..=20.0).contains(&y), "{pair}");
            }
        }

        #[test]
        fn history_never_exceeds_its_capacity(capacity in 1usize..10, rounds in 0usize..40) {
            let mut history = History::new(capacity);
            for round in 0..rounds {
                history.record([("a".to_owned(), round.to_string(), memory(round as u64))]);
            }
            prop_assert_eq!(history.series("a").len(), rounds.min(capacity));
        }
    }
}
