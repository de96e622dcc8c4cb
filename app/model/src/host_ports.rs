//! Host ports. A pod that asks for a host port another pod on the node already holds is never
//! scheduled there (the scheduler's NodePorts rule): a DaemonSet's pod stays Pending on exactly
//! those nodes. The create wizard uses this to show where a new DaemonSet will really run.

use std::{collections::BTreeMap, fmt};

use crate::k8s::{Pod, PodSpec};

/// A port a pod takes on its node's own addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostPort {
    pub port: i32,
    pub protocol: String,
    /// Empty (or `0.0.0.0`) means every address of the node.
    pub ip: String,
}

impl HostPort {
    fn clashes_with(&self, other: &HostPort) -> bool {
        let every = |ip: &str| ip.is_empty() || ip == "0.0.0.0";
        self.port == other.port
            && self.protocol == other.protocol
            && (every(&self.ip) || every(&other.ip) || self.ip == other.ip)
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.port, self.protocol)
    }
}

/// The host ports a pod takes: each `hostPort`, and on the host network every container port
/// (the apiserver sets `hostPort` to it).
pub fn host_ports(spec: &PodSpec) -> Vec<HostPort> {
    spec.containers
        .iter()
        .flat_map(|container| &container.ports)
        .filter_map(|port| {
            let number = match port.host_port {
                Some(number) if number > 0 => number,
                _ if spec.host_network && port.container_port > 0 => port.container_port,
                _ => return None,
            };
            let protocol = if port.protocol.is_empty() {
                "TCP"
            } else {
                &port.protocol
            };
            Some(HostPort {
                port: number,
                protocol: protocol.to_owned(),
                ip: port.host_ip.clone(),
            })
        })
        .collect()
}

/// A host port a pod on the node already holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Taken {
    pub port: HostPort,
    /// `namespace/name` of the pod that holds it.
    pub by: String,
}

/// For each node where it happens, the first host port `template` needs that one of `pods`
/// (any pods of the cluster) already holds there. Finished pods hold nothing.
pub fn taken_host_ports(template: &PodSpec, pods: &[Pod]) -> BTreeMap<String, Taken> {
    let wanted = host_ports(template);
    let mut taken = BTreeMap::new();
    if wanted.is_empty() {
        return taken;
    }
    for pod in pods {
        let node = &pod.spec.node_name;
        if node.is_empty()
            || matches!(pod.status.phase.as_str(), "Succeeded" | "Failed")
            || taken.contains_key(node)
        {
            continue;
        }
        let held = host_ports(&pod.spec);
        if let Some(port) = wanted
            .iter()
            .find(|port| held.iter().any(|h| h.clashes_with(port)))
        {
            let by = format!("{}/{}", pod.metadata.namespace, pod.metadata.name);
            taken.insert(
                node.clone(),
                Taken {
                    port: port.clone(),
                    by,
                },
            );
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(value: serde_json::Value) -> PodSpec {
        serde_json::from_value(value).unwrap()
    }

    fn pod(name: &str, node: &str, phase: &str, spec: serde_json::Value) -> Pod {
        let mut spec = spec;
        spec["nodeName"] = json!(node);
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "monitoring"},
            "spec": spec,
            "status": {"phase": phase},
        }))
        .unwrap()
    }

    fn exporter() -> serde_json::Value {
        json!({"containers": [{"name": "exporter", "ports": [{"containerPort": 9100, "hostPort": 9100}]}]})
    }

    #[test]
    fn host_ports_are_the_host_ports_and_on_the_host_network_every_container_port() {
        let ports = |value| {
            host_ports(&spec(value))
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(ports(exporter()), ["9100/TCP"]);
        assert_eq!(
            ports(json!({"containers": [{"ports": [{"containerPort": 53, "protocol": "UDP"}]}]})),
            Vec::<String>::new()
        );
        assert_eq!(
            ports(
                json!({"hostNetwork": true, "containers": [{"ports": [{"containerPort": 53, "protocol": "UDP"}]}]})
            ),
            ["53/UDP"]
        );
    }

    #[test]
    fn a_node_where_a_running_pod_holds_the_port_is_taken() {
        let pods = [
            pod("exporter-a", "node-1", "Running", exporter()),
            pod("exporter-b", "node-2", "Succeeded", exporter()),
            pod(
                "other",
                "node-3",
                "Running",
                json!({"containers": [{"ports": [{"containerPort": 9100, "hostPort": 9100, "protocol": "UDP"}]}]}),
            ),
        ];
        let taken = taken_host_ports(&spec(exporter()), &pods);
        assert_eq!(taken.keys().collect::<Vec<_>>(), ["node-1"]);
        assert_eq!(taken["node-1"].by, "monitoring/exporter-a");
        assert_eq!(taken["node-1"].port.to_string(), "9100/TCP");
        assert!(taken_host_ports(&spec(json!({"containers": [{}]})), &pods).is_empty());
    }

    #[test]
    fn different_host_addresses_do_not_clash_but_every_address_clashes_with_each() {
        let on = |ip: &str| HostPort {
            port: 80,
            protocol: "TCP".into(),
            ip: ip.into(),
        };
        assert!(!on("10.0.0.1").clashes_with(&on("10.0.0.2")));
        assert!(on("10.0.0.1").clashes_with(&on("10.0.0.1")));
        assert!(on("").clashes_with(&on("10.0.0.2")));
        assert!(on("10.0.0.1").clashes_with(&on("0.0.0.0")));
    }
}
