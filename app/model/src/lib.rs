//! Plain-Rust model shared by the console's app and server.
//!
//! Nothing here touches the browser or the network, so every rule the UI shows (status, age)
//! is decided in one place and tested natively.

pub mod age;
pub mod daemonset;
pub mod diff;
pub mod document;
pub mod edit;
pub mod host_ports;
pub mod json;
pub mod k8s;
pub mod lines;
pub mod logs;
pub mod placement;
pub mod refusal;
pub mod rollout;
pub mod usage;
pub mod watch;
pub mod wire;
pub mod yaml;

pub use age::format_age;
pub use daemonset::{DaemonSetCounts, DaemonSetRow, ListedDaemonSet, RolloutStatus};
