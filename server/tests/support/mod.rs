//! Shared set-up for the server's integration tests: the real testbed's credentials, a console
//! served in-process on a loopback port, and throw-away projects.

#![allow(dead_code)] // Each test file uses its own subset of these helpers.

use std::{collections::HashMap, net::SocketAddr, path::Path, time::Duration};

use console_server::{AppState, config::KubeOptions, kubernetes, router};
use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::{Api, api::PostParams};

/// The variables `end2end/testbed/up.sh` writes for a running control plane.
pub struct Testbed {
    pub vars: HashMap<String, String>,
}

impl Testbed {
    /// Reads the testbed's env file; fails loudly, because these tests mean nothing without it.
    pub fn from_env() -> Testbed {
        let path = std::env::var("CONSOLE_TESTBED_ENV")
            .unwrap_or_else(|_| "/tmp/daemonset-console-testbed/env".to_owned());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!("no running testbed ({path}: {error}); start one with end2end/testbed/up.sh or run end2end/test.sh")
        });
        let vars = text
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .filter_map(|line| line.trim().strip_prefix("export ").or(Some(line.trim())))
            .filter_map(|line| line.split_once('='))
            .map(|(key, value)| (key.to_owned(), value.trim_matches(['"', '\'']).to_owned()))
            .collect();
        Testbed { vars }
    }

    pub fn var(&self, name: &str) -> &str {
        self.vars
            .get(name)
            .unwrap_or_else(|| panic!("testbed env has no {name}"))
    }

    /// A client with the testbed's admin credentials.
    pub async fn admin_client(&self) -> kube::Client {
        let options = KubeOptions {
            kubeconfig: Some(self.var("KUBECONFIG").into()),
            context: None,
        };
        kubernetes::connect(&options)
            .await
            .expect("admin kubeconfig works")
    }
}

/// Serves the console in-process on a free loopback port and returns its base URL.
pub async fn spawn_console(kube: kube::Client, site_dir: &Path) -> String {
    let app = router(AppState { kube }, site_dir);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

/// A client for an apiserver that is not there: every call fails to connect.
pub fn unreachable_client() -> kube::Client {
    let config = kube::Config::new("http://127.0.0.1:1".parse().unwrap());
    kube::Client::try_from(config).unwrap()
}

/// A unique project name, so runs never collide with each other or the demo data.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{prefix}-{}-{nanos:x}", std::process::id())
}

/// Creates a project and waits for its `default` ServiceAccount, without which pods are refused.
pub async fn create_project(client: &kube::Client, name: &str) {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap();
    namespaces
        .create(&PostParams::default(), &namespace)
        .await
        .unwrap();
    let accounts: Api<ServiceAccount> = Api::namespaced(client.clone(), name);
    for _ in 0..100 {
        if accounts.get_opt("default").await.unwrap().is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("project {name} got no default ServiceAccount within 10 s");
}

pub async fn delete_project(client: &kube::Client, name: &str) {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let _ = namespaces.delete(name, &Default::default()).await;
}
