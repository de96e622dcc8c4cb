//! Usage amounts: exact sums, and the figures an operator reads.

use std::{collections::BTreeMap, iter::Sum, ops::Add};

use crate::document::Quantity;

/// CPU and memory, exactly: nanocores (metrics-server's unit) and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Usage {
    pub cpu_nanocores: u64,
    pub memory_bytes: u64,
}

impl Usage {
    /// Reads a `ResourceList` (`{"cpu": "12345678n", "memory": "70Mi"}`); a missing or
    /// unreadable amount counts as zero, as `kubectl top` counts it.
    pub fn of(resources: &BTreeMap<String, String>) -> Self {
        let amount = |name: &str, exponent: i64| {
            resources
                .get(name)
                .and_then(|text| Quantity::parse(text).ok())
                .and_then(|quantity| quantity.scaled_up(exponent))
                .unwrap_or(0)
        };
        Usage {
            cpu_nanocores: amount("cpu", -9),
            memory_bytes: amount("memory", 0),
        }
    }

    /// The larger CPU and the larger memory of the two (not necessarily of one pod).
    pub fn max(self, other: Usage) -> Usage {
        Usage {
            cpu_nanocores: self.cpu_nanocores.max(other.cpu_nanocores),
            memory_bytes: self.memory_bytes.max(other.memory_bytes),
        }
    }
}

impl Add for Usage {
    type Output = Usage;

    fn add(self, other: Usage) -> Usage {
        Usage {
            cpu_nanocores: self.cpu_nanocores.saturating_add(other.cpu_nanocores),
            memory_bytes: self.memory_bytes.saturating_add(other.memory_bytes),
        }
    }
}

impl Sum for Usage {
    fn sum<I: Iterator<Item = Usage>>(iter: I) -> Usage {
        iter.fold(Usage::default(), Add::add)
    }
}

const NANOS_PER_MILLI: u64 = 1_000_000;
const KI: u64 = 1024;
const MI: u64 = 1024 * 1024;

/// CPU as `kubectl top` prints it: whole millicores, rounded up (`12345678n` → `13m`).
pub fn format_cpu(nanocores: u64) -> String {
    format!("{}m", nanocores.div_ceil(NANOS_PER_MILLI))
}

/// Memory as `kubectl top` prints it: whole mebibytes, rounded down (`70.9Mi` → `70Mi`), but
/// below one mebibyte in kibibytes, so a small amount never reads as nothing.
pub fn format_memory(bytes: u64) -> String {
    if bytes > 0 && bytes < MI {
        format!("{}Ki", bytes.div_ceil(KI))
    } else {
        format!("{}Mi", bytes / MI)
    }
}

/// `part` as a whole percentage of `whole`, rounded down so 99.7 % never reads as 100 %;
/// `None` without a whole to measure against.
pub fn percent_of(part: u64, whole: u64) -> Option<u64> {
    (whole > 0).then(|| {
        let percent = u128::from(part) * 100 / u128::from(whole);
        u64::try_from(percent).unwrap_or(u64::MAX)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn resources(cpu: &str, memory: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("cpu".to_owned(), cpu.to_owned()),
            ("memory".to_owned(), memory.to_owned()),
        ])
    }

    #[test]
    fn reads_metrics_server_units() {
        let usage = Usage::of(&resources("34999250n", "70Mi"));
        assert_eq!(usage.cpu_nanocores, 34_999_250);
        assert_eq!(usage.memory_bytes, 70 * MI);
        assert_eq!(
            Usage::of(&resources("1", "1Gi")).cpu_nanocores,
            1_000_000_000
        );
        assert_eq!(Usage::of(&BTreeMap::new()), Usage::default());
        assert_eq!(Usage::of(&resources("lots", "-1")), Usage::default());
    }

    #[test]
    fn figures_round_like_kubectl_top() {
        assert_eq!(format_cpu(34_999_250), "35m");
        assert_eq!(format_cpu(35_000_001), "36m");
        assert_eq!(format_cpu(0), "0m");
        assert_eq!(format_memory(70 * MI + MI - 1), "70Mi");
        assert_eq!(format_memory(0), "0Mi");
        assert_eq!(format_memory(500), "1Ki");
        assert_eq!(format_memory(3 * 1024 * MI), "3072Mi");
    }

    #[test]
    fn percentages_round_down_and_need_a_whole() {
        assert_eq!(percent_of(30 * MI, 32 * MI), Some(93));
        assert_eq!(percent_of(32 * MI - 1, 32 * MI), Some(99));
        assert_eq!(percent_of(1, 0), None);
        assert_eq!(percent_of(u64::MAX, u64::MAX), Some(100));
        assert_eq!(percent_of(u64::MAX, 1), Some(u64::MAX));
    }

    proptest! {
        #[test]
        fn sums_are_exact_and_order_free(a in 0u64..1 << 40, b in 0u64..1 << 40, c in 0u64..1 << 40) {
            let usage = |n: u64| Usage { cpu_nanocores: n, memory_bytes: n * 3 };
            let total: Usage = [usage(a), usage(b), usage(c)].into_iter().sum();
            prop_assert_eq!(total, usage(c) + usage(a) + usage(b));
            prop_assert_eq!(total.cpu_nanocores, a + b + c);
        }

        #[test]
        fn shown_cpu_never_understates(nanos in 0u64..1 << 50) {
            let shown: u64 = format_cpu(nanos).trim_end_matches('m').parse().unwrap();
            prop_assert!(shown * NANOS_PER_MILLI >= nanos);
            prop_assert!(shown * NANOS_PER_MILLI < nanos + NANOS_PER_MILLI);
        }

        #[test]
        fn a_quantity_reads_back_as_the_bytes_it_names(mebibytes in 0u64..1 << 20) {
            let usage = Usage::of(&resources("0", &format!("{mebibytes}Mi")));
            prop_assert_eq!(usage.memory_bytes, mebibytes * MI);
            prop_assert_eq!(format_memory(usage.memory_bytes), format!("{mebibytes}Mi"));
        }
    }
}
