//! Liveness, readiness and startup probes as the wizard edits them.

use serde_yaml::{Mapping, Value};

use super::path::{Keyed, keys};
use super::tree::{IntOrString, Node, OneOf, get, read, write};

/// A probe: how to check the container, and how often.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbeForm {
    pub action: ProbeAction,
    pub initial_delay_seconds: Option<i64>,
    pub period_seconds: Option<i64>,
    pub timeout_seconds: Option<i64>,
    pub failure_threshold: Option<i64>,
}

keys!(ProbeForm => ProbeKeys {
    // The handler's own keys start at the probe.
    action: &[],
    initial_delay_seconds: &["initialDelaySeconds"],
    period_seconds: &["periodSeconds"],
    timeout_seconds: &["timeoutSeconds"],
    failure_threshold: &["failureThreshold"],
});

/// How the kubelet checks the container.
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeAction {
    /// An HTTP GET; `port` is a number or a named container port.
    HttpGet { path: String, port: String },
    /// A TCP connection; `port` is a number or a named container port.
    TcpSocket { port: String },
    /// A command run in the container; success is exit code 0.
    Exec { command: Vec<String> },
    /// A handler the wizard does not edit (`grpc`), kept as written.
    Other { kind: String },
}

keys!(ProbeAction => ProbeActionKeys {
    HttpGet: &["httpGet"],
    TcpSocket: &["tcpSocket"],
    Exec: &["exec"],
    path: &["path"],
    port: &["port"],
    command: &["command"],
});

/// The handler Kubernetes knows but the wizard does not edit.
const GRPC: &str = "grpc";

impl Default for ProbeAction {
    fn default() -> Self {
        Self::HttpGet {
            path: String::new(),
            port: String::new(),
        }
    }
}

impl OneOf for ProbeAction {
    /// The probe's key that holds this handler.
    fn key(&self) -> &str {
        let keys = Self::KEYS;
        let variant = match self {
            Self::HttpGet { .. } => keys.HttpGet,
            Self::TcpSocket { .. } => keys.TcpSocket,
            Self::Exec { .. } => keys.Exec,
            Self::Other { kind } => return kind,
        };
        variant[0]
    }

    fn read(probe: &Value) -> Self {
        let keys = Self::KEYS;
        if let Some(handler) = get(probe, keys.HttpGet) {
            Self::HttpGet {
                path: read(handler, keys.path),
                port: read::<IntOrString>(handler, keys.port).0,
            }
        } else if let Some(handler) = get(probe, keys.TcpSocket) {
            Self::TcpSocket {
                port: read::<IntOrString>(handler, keys.port).0,
            }
        } else if let Some(handler) = get(probe, keys.Exec) {
            Self::Exec {
                command: read(handler, keys.command),
            }
        } else if get(probe, &[GRPC]).is_some() {
            Self::Other {
                kind: GRPC.to_owned(),
            }
        } else {
            Self::default()
        }
    }

    fn write_fields(&self, handler: &mut Value) {
        let keys = Self::KEYS;
        match self {
            Self::HttpGet { path, port } => {
                write(handler, keys.path, path);
                write(handler, keys.port, &IntOrString(port.clone()));
            }
            Self::TcpSocket { port } => write(handler, keys.port, &IntOrString(port.clone())),
            Self::Exec { command } => write(handler, keys.command, command),
            Self::Other { .. } => {}
        }
    }
}

impl Node for ProbeForm {
    fn read(node: &Value) -> Self {
        let keys = Self::KEYS;
        Self {
            action: ProbeAction::read(node),
            initial_delay_seconds: read(node, keys.initial_delay_seconds),
            period_seconds: read(node, keys.period_seconds),
            timeout_seconds: read(node, keys.timeout_seconds),
            failure_threshold: read(node, keys.failure_threshold),
        }
    }

    fn write(&self, node: &mut Value) {
        let keys = Self::KEYS;
        self.action.write(node);
        write(
            node,
            keys.initial_delay_seconds,
            &self.initial_delay_seconds,
        );
        write(node, keys.period_seconds, &self.period_seconds);
        write(node, keys.timeout_seconds, &self.timeout_seconds);
        write(node, keys.failure_threshold, &self.failure_threshold);
    }

    /// A new probe starts with its handler's key, so an HTTP probe with nothing filled in yet
    /// still reads back as an HTTP probe.
    fn create(&self) -> Value {
        let mut handler = Mapping::new();
        handler.insert(self.action.key().into(), Value::Mapping(Mapping::new()));
        let mut node = Value::Mapping(handler);
        self.write(&mut node);
        node
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn a_numeric_port_is_written_as_a_number_and_a_named_one_as_text() {
        let mut probe = ProbeForm {
            action: ProbeAction::HttpGet {
                path: "/healthz".into(),
                port: "8080".into(),
            },
            period_seconds: Some(10),
            ..ProbeForm::default()
        }
        .create();
        assert_eq!(
            probe,
            yaml("httpGet: {path: /healthz, port: 8080}\nperiodSeconds: 10\n")
        );
        ProbeForm {
            action: ProbeAction::TcpSocket {
                port: "metrics".into(),
            },
            period_seconds: Some(10),
            ..ProbeForm::default()
        }
        .write(&mut probe);
        assert_eq!(
            probe,
            yaml("periodSeconds: 10\ntcpSocket: {port: metrics}\n")
        );
    }

    #[test]
    fn an_empty_new_probe_keeps_its_kind() {
        let probe = ProbeForm {
            action: ProbeAction::Exec { command: vec![] },
            ..ProbeForm::default()
        };
        assert_eq!(ProbeForm::read(&probe.create()), probe);
    }

    #[test]
    fn a_grpc_probe_is_kept_while_its_timings_change() {
        let mut node = yaml("grpc: {port: 9090}\nperiodSeconds: 5\n");
        let mut form = ProbeForm::read(&node);
        form.period_seconds = Some(30);
        form.write(&mut node);
        assert_eq!(node, yaml("grpc: {port: 9090}\nperiodSeconds: 30\n"));
    }
}
