//! Shared set-up for the server's integration tests: the real testbed's credentials, a console
//! served in-process on a loopback port, and throw-away projects.

#![allow(dead_code)] // Each test file uses its own subset of these helpers.

use std::{
    collections::HashMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    time::Duration,
};

use console_server::{
    AppState,
    auth::AuthSettings,
    config::{AuthOptions, KubeOptions},
    kubernetes, router, serve,
};
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
        kube::Client::try_from(self.admin_config().await).unwrap()
    }

    /// The testbed's admin kubeconfig (a client certificate in `system:masters`).
    pub async fn admin_config(&self) -> kube::Config {
        let options = KubeOptions {
            kubeconfig: Some(self.var("KUBECONFIG").into()),
            context: None,
        };
        kubernetes::load_config(&options)
            .await
            .expect("admin kubeconfig works")
    }
}

/// The console's own namespace in the testbed (`deploy/manifests/identity.yaml`, applied by `seed.sh`).
pub const STATE_NAMESPACE: &str = "daemonset-console";

/// Session keys for tests that run two consoles which must share sessions.
pub const SHARED_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// Sign-in settings for a test console: a known key, the accounts file if any, long sessions.
pub fn auth_settings(accounts_file: Option<&Path>) -> AuthSettings {
    auth_options(accounts_file).settings().unwrap()
}

/// The options behind [`auth_settings`], for tests that change one.
pub fn auth_options(accounts_file: Option<&Path>) -> AuthOptions {
    AuthOptions {
        accounts_file: accounts_file.map(Path::to_path_buf),
        session_keys_file: None,
        session_keys: Some(SHARED_KEY.to_owned()),
        session_idle_minutes: 30,
        session_max_hours: 12,
        insecure_cookies: true,
        sign_in_attempts_per_minute: 1000,
        sign_in_failures_per_user_per_minute: 1000,
        public_url: None,
        state_namespace: Some(STATE_NAMESPACE.to_owned()),
    }
}

/// An accounts file of (console username, password, Kubernetes user, groups), in the temp dir.
pub fn accounts_file(entries: &[(&str, &str, &str, &[&str])]) -> PathBuf {
    let path = std::env::temp_dir().join(format!("{}.yaml", unique_name("accounts")));
    let mut yaml = String::from("accounts:\n");
    for (name, password, user, groups) in entries {
        yaml += &format!(
            "  - username: {name}\n    passwordHash: '{}'\n    kubernetesUser: {user}\n    kubernetesGroups: {groups:?}\n",
            console_server::auth::accounts::hash_password(password)
        );
    }
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Serves the console in-process on a free loopback port and returns its base URL.
pub async fn spawn_console_with(
    kube_config: kube::Config,
    site_dir: &Path,
    auth: AuthSettings,
) -> String {
    spawn_console_until(kube_config, site_dir, auth, std::future::pending())
        .await
        .0
}

/// The same, stopped as the binary is on SIGTERM when `stop` resolves; the task ends when the
/// shutdown (open terminals included) is complete.
pub async fn spawn_console_until(
    kube_config: kube::Config,
    site_dir: &Path,
    auth: AuthSettings,
    stop: impl Future<Output = ()> + Send + 'static,
) -> (String, tokio::task::JoinHandle<()>) {
    let state = AppState::new(kube_config, auth).unwrap();
    let terminals = state.terminals.clone();
    let app = router(state, site_dir);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move { serve(listener, app, terminals, stop).await.unwrap() });
    let base = format!("http://{address}");
    wait_until_ready(&base).await;
    (base, task)
}

/// A console whose apiserver is not there (it serves the app, and refuses the rest), without
/// waiting for a readiness that never comes.
pub async fn spawn_console_without_cluster(site_dir: &Path, auth: AuthSettings) -> String {
    let state = AppState::new(unreachable_config(), auth).unwrap();
    let terminals = state.terminals.clone();
    let app = router(state, site_dir);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        serve(listener, app, terminals, std::future::pending())
            .await
            .unwrap()
    });
    format!("http://{address}")
}

/// Waits (at most 10 s) until the console has read the list of signed-out sessions, before
/// which it serves nobody; a console whose apiserver is away never gets there.
async fn wait_until_ready(base: &str) {
    for _ in 0..100 {
        let ready = reqwest::get(format!("{base}/readyz")).await;
        if ready.is_ok_and(|response| response.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A console with the testbed's admin credentials as its own, and default test settings.
pub async fn spawn_console(testbed: &Testbed) -> String {
    spawn_console_with(
        testbed.admin_config().await,
        Path::new("/nonexistent"),
        auth_settings(None),
    )
    .await
}

/// A browser's view of a console: its session cookie and CSRF token, sent as the app sends them.
pub struct Browser {
    pub base: String,
    pub http: reqwest::Client,
    pub cookie: String,
    pub csrf: String,
    pub username: String,
}

impl Browser {
    /// Signs in with `credentials` (the JSON the sign-in form posts) and keeps the session.
    pub async fn sign_in(base: &str, credentials: serde_json::Value) -> Browser {
        let response = post_sign_in(base, &credentials).await;
        assert_eq!(response.status(), 200, "sign-in with {credentials}");
        let cookie = session_cookie(&response).expect("sign-in sets the session cookie");
        let info: serde_json::Value = response.json().await.unwrap();
        Browser {
            base: base.to_owned(),
            http: reqwest::Client::new(),
            cookie,
            csrf: info["csrfToken"].as_str().unwrap().to_owned(),
            username: info["username"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn with_token(base: &str, token: &str) -> Browser {
        Browser::sign_in(base, serde_json::json!({"kind": "token", "token": token})).await
    }

    /// The same browser talking to another server (a second replica).
    pub fn at(&self, base: &str) -> Browser {
        Browser {
            base: base.to_owned(),
            http: reqwest::Client::new(),
            cookie: self.cookie.clone(),
            csrf: self.csrf.clone(),
            username: self.username.clone(),
        }
    }

    /// A request as the app makes it: session cookie, same-origin `Origin`, CSRF token.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", format!("console_session={}", self.cookie))
            .header("origin", &self.base)
            .header("x-csrf-token", &self.csrf)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .unwrap()
    }
}

/// An account's sign-in body, as the app's form sends it (the wire type itself).
pub fn account(username: &str, password: &str) -> serde_json::Value {
    serde_json::to_value(console_model::wire::Credentials::Account {
        username: username.to_owned(),
        password: password.to_owned(),
    })
    .expect("credentials serialize")
}

pub async fn post_sign_in(base: &str, credentials: &serde_json::Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{base}/api/session"))
        .header("origin", base)
        .json(credentials)
        .send()
        .await
        .unwrap()
}

/// The session cookie's value in a response's `Set-Cookie`, if any.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| value.strip_prefix("console_session="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        .filter(|value| !value.is_empty())
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

/// Configuration for an apiserver that is not there: every call fails to connect.
pub fn unreachable_config() -> kube::Config {
    kube::Config::new("http://127.0.0.1:1".parse().unwrap())
}
