//! Resource usage of an agent's pods, read from metrics-server (`metrics.k8s.io`) and measured
//! against the requests and limits the pods declare.
//!
//! Amounts are exact integers (CPU in nanocores, memory in bytes), rounded only when shown, and
//! then the way `kubectl top` rounds, so the console and kubectl never disagree.

mod amount;
mod bounds;
mod history;
mod metrics;
mod summary;

pub use amount::{Usage, format_cpu, format_memory, percent_of};
pub use bounds::{Bounds, ContainerBounds, Mark, marks, pod_bounds};
pub use history::{History, sparkline_points};
pub use metrics::{ContainerMetrics, NodeMetrics, PodMetrics};
pub use summary::{DaemonSetUsage, UsageByDaemonSet};

/// Above this share of its memory limit a container is marked: the next spike may OOM-kill it.
pub const NEAR_LIMIT_PERCENT: u64 = 90;
