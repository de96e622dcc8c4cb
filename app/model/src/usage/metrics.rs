//! metrics.k8s.io's objects, as metrics-server serves them (`kubectl top` reads the same).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Usage;
use crate::k8s::{Object, ObjectMeta};

/// One pod's latest sample: usage per container over `window`, measured at `timestamp`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PodMetrics {
    /// The pod's name, namespace and labels (not its owners).
    pub metadata: ObjectMeta,
    pub timestamp: String,
    pub window: String,
    pub containers: Vec<ContainerMetrics>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContainerMetrics {
    pub name: String,
    /// `cpu` and `memory` as quantities (`12345678n`, `70Mi`).
    pub usage: BTreeMap<String, String>,
}

/// One node's latest sample: what everything on it uses together.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NodeMetrics {
    pub metadata: ObjectMeta,
    pub timestamp: String,
    pub window: String,
    pub usage: BTreeMap<String, String>,
}

impl PodMetrics {
    /// The pod's usage: its containers' together.
    pub fn usage(&self) -> Usage {
        self.containers
            .iter()
            .map(|container| Usage::of(&container.usage))
            .sum()
    }

    /// One container's usage, if the sample has it.
    pub fn container(&self, name: &str) -> Option<Usage> {
        self.containers
            .iter()
            .find(|container| container.name == name)
            .map(|container| Usage::of(&container.usage))
    }
}

impl NodeMetrics {
    pub fn usage(&self) -> Usage {
        Usage::of(&self.usage)
    }
}

impl Object for PodMetrics {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}

impl Object for NodeMetrics {
    fn meta(&self) -> &ObjectMeta {
        &self.metadata
    }
}
