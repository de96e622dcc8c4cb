//! What a container may use (its requests and limits) and what its usage says against them.

use super::{NEAR_LIMIT_PERCENT, Usage};
use crate::{
    document::Quantity,
    k8s::{Container, PodSpec},
};

/// One resource's request (what the scheduler set aside) and limit (where the kernel stops
/// the container), in the unit of [`Usage`]: nanocores or bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    pub request: Option<u64>,
    pub limit: Option<u64>,
}

/// A container's bounds for CPU and memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerBounds {
    pub name: String,
    pub cpu: Bounds,
    pub memory: Bounds,
}

impl ContainerBounds {
    /// Reads `resources` as the apiserver stores it. A limit without a request means a request
    /// of the limit, as the apiserver defaults it.
    pub fn of(container: &Container) -> Self {
        let amount = |kind: &str, resource: &str, exponent: i64| {
            container.resources[kind][resource]
                .as_str()
                .and_then(|text| Quantity::parse(text).ok())
                .and_then(|quantity| quantity.scaled_up(exponent))
        };
        let bounds = |resource: &str, exponent: i64| {
            let limit = amount("limits", resource, exponent);
            Bounds {
                request: amount("requests", resource, exponent).or(limit),
                limit,
            }
        };
        ContainerBounds {
            name: container.name.clone(),
            cpu: bounds("cpu", -9),
            memory: bounds("memory", 0),
        }
    }
}

/// The bounds of every container of a pod, and of the pod as a whole: requests add up; the
/// pod has a limit only when every container has one.
pub fn pod_bounds(spec: &PodSpec) -> (Vec<ContainerBounds>, ContainerBounds) {
    let containers: Vec<ContainerBounds> =
        spec.containers.iter().map(ContainerBounds::of).collect();
    let total = |pick: fn(&ContainerBounds) -> Bounds| {
        let all = containers.iter().map(pick);
        Bounds {
            request: all
                .clone()
                .filter_map(|b| b.request)
                .reduce(u64::saturating_add),
            limit: all
                .map(|b| b.limit)
                .try_fold(0u64, |sum, limit| Some(sum.saturating_add(limit?)))
                .filter(|_| !containers.is_empty()),
        }
    };
    let pod = ContainerBounds {
        name: String::new(),
        cpu: total(|c| c.cpu),
        memory: total(|c| c.memory),
    };
    (containers, pod)
}

/// What usage says that an operator should see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// Memory above [`NEAR_LIMIT_PERCENT`] of the limit: the next spike may OOM-kill it.
    NearMemoryLimit,
    /// More memory than requested: first in line when the node runs short.
    AboveMemoryRequest,
    /// More CPU than requested: it takes from what others were promised.
    AboveCpuRequest,
}

/// The marks `usage` earns against `bounds`, most urgent first.
pub fn marks(usage: Usage, bounds: &ContainerBounds) -> Vec<Mark> {
    let above = |amount: u64, bound: Option<u64>| bound.is_some_and(|bound| amount > bound);
    let near_limit = bounds.memory.limit.is_some_and(|limit| {
        u128::from(usage.memory_bytes) * 100 > u128::from(limit) * u128::from(NEAR_LIMIT_PERCENT)
    });
    [
        (near_limit, Mark::NearMemoryLimit),
        (
            above(usage.memory_bytes, bounds.memory.request),
            Mark::AboveMemoryRequest,
        ),
        (
            above(usage.cpu_nanocores, bounds.cpu.request),
            Mark::AboveCpuRequest,
        ),
    ]
    .into_iter()
    .filter_map(|(earned, mark)| earned.then_some(mark))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    const MI: u64 = 1024 * 1024;

    fn container(name: &str, resources: serde_json::Value) -> Container {
        Container {
            name: name.to_owned(),
            resources,
            ..Container::default()
        }
    }

    fn usage(cpu_millis: u64, memory_mi: u64) -> Usage {
        Usage {
            cpu_nanocores: cpu_millis * 1_000_000,
            memory_bytes: memory_mi * MI,
        }
    }

    #[test]
    fn reads_requests_and_limits_and_defaults_the_request_to_the_limit() {
        let bounds = ContainerBounds::of(&container(
            "agent",
            json!({"requests": {"cpu": "5m"}, "limits": {"memory": "32Mi", "cpu": "1"}}),
        ));
        assert_eq!(
            bounds.cpu,
            Bounds {
                request: Some(5_000_000),
                limit: Some(1_000_000_000)
            }
        );
        assert_eq!(
            bounds.memory,
            Bounds {
                request: Some(32 * MI),
                limit: Some(32 * MI)
            }
        );
        let none = ContainerBounds::of(&container("bare", json!({})));
        assert_eq!(none.cpu, Bounds::default());
    }

    #[test]
    fn a_pod_has_a_limit_only_when_every_container_has_one() {
        let spec = PodSpec {
            containers: vec![
                container(
                    "a",
                    json!({"requests": {"memory": "24Mi"}, "limits": {"memory": "64Mi"}}),
                ),
                container("b", json!({"requests": {"memory": "20Mi", "cpu": "10m"}})),
            ],
            ..PodSpec::default()
        };
        let (containers, pod) = pod_bounds(&spec);
        assert_eq!(containers.len(), 2);
        assert_eq!(
            pod.memory,
            Bounds {
                request: Some(44 * MI),
                limit: None
            }
        );
        assert_eq!(
            pod.cpu,
            Bounds {
                request: Some(10_000_000),
                limit: None
            }
        );
        let limited = PodSpec {
            containers: vec![spec.containers[0].clone()],
            ..PodSpec::default()
        };
        assert_eq!(pod_bounds(&limited).1.memory.limit, Some(64 * MI));
    }

    #[test]
    fn marks_the_testbeds_logrotate_as_operators_would() {
        let bounds = ContainerBounds::of(&container(
            "logrotate",
            json!({"requests": {"cpu": "5m", "memory": "8Mi"}, "limits": {"memory": "32Mi"}}),
        ));
        // kwok-worker-2: 30Mi of 32Mi (93 %).
        assert_eq!(
            marks(usage(2, 30), &bounds),
            [Mark::NearMemoryLimit, Mark::AboveMemoryRequest]
        );
        // kwok-worker-3: 7m of a 5m request.
        assert_eq!(marks(usage(7, 6), &bounds), [Mark::AboveCpuRequest]);
        assert_eq!(marks(usage(2, 6), &bounds), []);
        // Exactly 90 % is not above 90 %.
        let ten = ContainerBounds::of(&container("x", json!({"limits": {"memory": "10Mi"}})));
        assert_eq!(marks(usage(0, 9), &ten), []);
    }

    proptest! {
        #[test]
        fn near_the_limit_exactly_when_above_nine_tenths(limit in 1u64..1 << 40, used in 0u64..1 << 41) {
            let bounds = ContainerBounds {
                memory: Bounds { request: None, limit: Some(limit) },
                ..ContainerBounds::default()
            };
            let usage = Usage { cpu_nanocores: 0, memory_bytes: used };
            let near = marks(usage, &bounds).contains(&Mark::NearMemoryLimit);
            prop_assert_eq!(near, used * 10 > limit * 9);
        }

        #[test]
        fn no_bounds_no_marks(cpu in any::<u64>(), memory in any::<u64>()) {
            let usage = Usage { cpu_nanocores: cpu, memory_bytes: memory };
            prop_assert!(marks(usage, &ContainerBounds::default()).is_empty());
        }
    }
}
