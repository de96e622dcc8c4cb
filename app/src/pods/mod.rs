//! Pod pages: one pod, and one of its containers with its logs and terminal.

mod container;
mod pod;
mod usage;

pub use container::ContainerPage;
pub use pod::PodPage;

use console_model::k8s::Pod;
use leptos::prelude::*;

use crate::watch::{LiveList, live_object};

/// One pod, kept live.
fn live_pod(namespace: &str, name: &str) -> (LiveList<Pod>, Memo<Option<Pod>>) {
    live_object(format!("/api/v1/namespaces/{namespace}/pods"), name)
}

/// Shows a value as YAML (probes, resources, volume sources) the way operators read them.
fn as_yaml(value: &serde_json::Value) -> String {
    console_model::yaml::write_json(value)
}
