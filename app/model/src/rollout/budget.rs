//! How many nodes a rolling update may have in flight: `maxUnavailable` and `maxSurge` scaled
//! to the desired count as the DaemonSet controller scales them (percentages round up; both
//! zero means one unavailable at a time).

use crate::k8s::UpdateStrategy;

/// The strategy's limits, in pods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_unavailable: i32,
    pub max_surge: i32,
}

impl Limits {
    /// The limits of a `RollingUpdate` strategy for `desired` nodes (the apiserver's defaults,
    /// 1 and 0, where a value is absent).
    pub fn of(strategy: &UpdateStrategy, desired: i32) -> Self {
        let rolling = strategy.rolling_update.clone().unwrap_or_default();
        let max_unavailable = scaled(rolling.max_unavailable.as_ref(), desired, 1);
        let max_surge = scaled(rolling.max_surge.as_ref(), desired, 0);
        if max_unavailable == 0 && max_surge == 0 {
            Limits {
                max_unavailable: 1,
                max_surge: 0,
            }
        } else {
            Limits {
                max_unavailable,
                max_surge,
            }
        }
    }

    /// Whether new pods start beside the old ones (surge) rather than after they go.
    pub fn surges(&self) -> bool {
        self.max_surge > 0
    }

    /// How many more old pods the controller may replace now, given how many are in flight
    /// (unavailable, or surging beside an old pod).
    pub fn room(&self, in_flight: usize) -> usize {
        let limit = if self.surges() {
            self.max_surge
        } else {
            self.max_unavailable
        };
        usize::try_from(limit)
            .unwrap_or(0)
            .saturating_sub(in_flight)
    }

    /// The limit that holds nodes back, as `(field, value)`.
    pub fn binding(&self) -> (&'static str, i32) {
        if self.surges() {
            ("maxSurge", self.max_surge)
        } else {
            ("maxUnavailable", self.max_unavailable)
        }
    }
}

/// An int-or-percent value scaled to `total`, rounding up.
fn scaled(value: Option<&serde_json::Value>, total: i32, default: i32) -> i32 {
    match value {
        Some(serde_json::Value::Number(number)) => number
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(default),
        Some(serde_json::Value::String(text)) => match text.strip_suffix('%') {
            Some(percent) => percent
                .parse::<i64>()
                .map(|percent| (percent * i64::from(total) + 99) / 100)
                .ok()
                .and_then(|n| i32::try_from(n).ok())
                .unwrap_or(default),
            None => text.parse().unwrap_or(default),
        },
        _ => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn strategy(rolling: serde_json::Value) -> UpdateStrategy {
        serde_json::from_value(json!({"type": "RollingUpdate", "rollingUpdate": rolling})).unwrap()
    }

    #[test]
    fn absent_values_mean_one_unavailable_and_no_surge() {
        let limits = Limits::of(&UpdateStrategy::default(), 10);
        assert_eq!((limits.max_unavailable, limits.max_surge), (1, 0));
        assert_eq!(limits.room(0), 1);
        assert_eq!(limits.room(1), 0);
    }

    #[test]
    fn percentages_round_up_against_the_desired_count() {
        let limits = Limits::of(&strategy(json!({"maxUnavailable": "25%"})), 5);
        assert_eq!(limits.max_unavailable, 2);
        let limits = Limits::of(&strategy(json!({"maxUnavailable": "10%"})), 3);
        assert_eq!(limits.max_unavailable, 1);
    }

    #[test]
    fn both_zero_falls_back_to_one_unavailable() {
        let limits = Limits::of(&strategy(json!({"maxUnavailable": 0, "maxSurge": "0%"})), 4);
        assert_eq!(limits.binding(), ("maxUnavailable", 1));
    }

    #[test]
    fn with_a_surge_the_surge_is_the_budget() {
        let limits = Limits::of(&strategy(json!({"maxUnavailable": 0, "maxSurge": 2})), 6);
        assert!(limits.surges());
        assert_eq!(limits.room(1), 1);
        assert_eq!(limits.binding(), ("maxSurge", 2));
    }

    proptest! {
        #[test]
        fn the_room_never_exceeds_the_limit_and_shrinks_as_pods_are_in_flight(
            unavailable in 0i64..200, desired in 0i32..1000, in_flight in 0usize..300,
        ) {
            let percent = format!("{unavailable}%");
            let limits = Limits::of(&strategy(json!({"maxUnavailable": percent})), desired);
            prop_assert!(limits.max_unavailable >= 1);
            prop_assert!(limits.room(in_flight) <= limits.max_unavailable as usize);
            prop_assert!(limits.room(in_flight + 1) <= limits.room(in_flight));
        }
    }
}
