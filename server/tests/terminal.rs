//! The terminal bridge against the real testbed, as the browser uses it: a WebSocket with the
//! session cookie, a same-origin `Origin` and the CSRF token. kwok runs every exec as a local
//! process, so a shell's PID can be checked in this machine's `/proc`.

mod support;

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::{Api, api::ListParams};
use support::{Browser, Testbed, auth_settings, spawn_console, spawn_console_until};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{self, Message, client::IntoClientRequest},
};

type Socket = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// A console, alice signed in to it, and a running pod of `logging/logrotate` she may exec into.
async fn alice_and_a_pod() -> (Testbed, Browser, String) {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let pod = running_pod(&testbed, "logging", "app.kubernetes.io/name=logrotate").await;
    (testbed, alice, pod)
}

async fn running_pod(testbed: &Testbed, namespace: &str, labels: &str) -> String {
    let pods: Api<Pod> = Api::namespaced(testbed.admin_client().await, namespace);
    let list = pods
        .list(&ListParams::default().labels(labels))
        .await
        .unwrap();
    list.items
        .into_iter()
        .find(|pod| {
            pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running")
                && pod.metadata.deletion_timestamp.is_none()
        })
        .and_then(|pod| pod.metadata.name)
        .unwrap_or_else(|| panic!("no running pod with {labels} in {namespace}"))
}

fn terminal_path(namespace: &str, pod: &str, extra: &str) -> String {
    format!("/api/terminal/namespaces/{namespace}/pods/{pod}?{extra}")
}

/// Opens the WebSocket with the browser's cookie and the given `Origin`.
async fn connect(
    browser: &Browser,
    path: &str,
    origin: &str,
) -> Result<Socket, tungstenite::Error> {
    let url = format!("{}{path}", browser.base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    let headers = request.headers_mut();
    let cookie = format!("console_session={}", browser.cookie);
    headers.insert("cookie", cookie.parse().unwrap());
    headers.insert("origin", origin.parse().unwrap());
    tokio_tungstenite::connect_async(request)
        .await
        .map(|(socket, _)| socket)
}

/// The status and JSON `reason` of an upgrade the console refused.
async fn refusal(browser: &Browser, path: &str, origin: &str) -> (u16, String) {
    match connect(browser, path, origin).await {
        Ok(_) => panic!("{path} was upgraded"),
        Err(tungstenite::Error::Http(response)) => {
            let body: serde_json::Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default())
                    .expect("refusals are JSON");
            (
                response.status().as_u16(),
                body["reason"].as_str().unwrap_or_default().to_owned(),
            )
        }
        Err(other) => panic!("{path}: {other}"),
    }
}

/// A terminal session as the test sees it: what the shell printed, and the control messages.
struct Terminal {
    socket: Socket,
    output: Vec<u8>,
    controls: Vec<serde_json::Value>,
    closed: bool,
}

impl Terminal {
    async fn open(browser: &Browser, namespace: &str, pod: &str, extra: &str) -> Terminal {
        let path = terminal_path(namespace, pod, &format!("csrf={}&{extra}", browser.csrf));
        let socket = connect(browser, &path, &browser.base)
            .await
            .unwrap_or_else(|error| panic!("open a terminal in {pod}: {error}"));
        Terminal {
            socket,
            output: Vec::new(),
            controls: Vec::new(),
            closed: false,
        }
    }

    async fn type_text(&mut self, text: &str) {
        let bytes = text.as_bytes().to_vec();
        self.socket
            .send(Message::Binary(bytes.into()))
            .await
            .unwrap();
    }

    async fn send_control(&mut self, control: serde_json::Value) {
        let text = control.to_string();
        self.socket.send(Message::Text(text.into())).await.unwrap();
    }

    /// Reads frames until `done` holds for the output, the socket closes, or `limit` passes.
    async fn read_until(&mut self, limit: Duration, done: impl Fn(&Terminal) -> bool) -> bool {
        let deadline = Instant::now() + limit;
        while !done(self) {
            if self.closed {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.socket.next()).await {
                Err(_) => return false,
                Ok(Some(Ok(Message::Binary(bytes)))) => self.output.extend_from_slice(&bytes),
                Ok(Some(Ok(Message::Text(text)))) => {
                    self.controls.push(serde_json::from_str(&text).unwrap())
                }
                Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => self.closed = true,
                Ok(Some(Ok(_))) => {}
            }
        }
        true
    }

    /// Leaves the shell the way a user would. Tests end with this: the console they spawned
    /// stops with the test, before it could end a shell the test merely walked away from.
    async fn exit(mut self) {
        self.type_text("exit\r").await;
        let closed = self.read_until(Duration::from_secs(10), |t| t.closed).await;
        assert!(closed || self.closed, "the shell did not exit");
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.output).into_owned()
    }

    async fn wait_for(&mut self, needle: &str) {
        let seen = self
            .read_until(Duration::from_secs(10), |t| t.text().contains(needle))
            .await;
        assert!(
            seen,
            "{needle:?} never appeared; the terminal showed {:?}",
            self.text()
        );
    }

    /// Asks the shell for its PID (the digits only appear in the output, not in the echo).
    async fn shell_pid(&mut self) -> u32 {
        self.type_text("echo pid=$$.\r").await;
        let found = |t: &Terminal| pid_in(&t.text());
        self.read_until(Duration::from_secs(10), |t| found(t).is_some())
            .await;
        pid_in(&self.text()).unwrap_or_else(|| panic!("no pid in {:?}", self.text()))
    }
}

fn pid_in(text: &str) -> Option<u32> {
    text.match_indices("pid=").find_map(|(at, _)| {
        let rest = &text[at + 4..];
        let digits = rest.find('.').map(|end| &rest[..end])?;
        digits.parse().ok()
    })
}

/// kwok's exec runs on this machine: a live shell is in `/proc` (a zombie is already dead).
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
            Some(state != 'Z' && state != 'X')
        })
        .unwrap_or(false)
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Processes whose parent is `pid`.
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&child| parent_of(child) == Some(pid))
        .collect()
}

async fn gone_within(pid: u32, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if !is_running(pid) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn typed_commands_echo_and_run() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    terminal.type_text("echo hello-$((6*7))-$RANDOM\r").await;
    terminal.wait_for("echo hello-$((6*7))-$RANDOM").await;
    terminal.wait_for("hello-42-").await;
    assert!(
        !terminal.text().contains("console-pid"),
        "the PID announcement never reaches the browser"
    );
    terminal.exit().await;
}

#[tokio::test]
async fn the_shell_sees_the_size_the_browser_sets() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    terminal
        .send_control(serde_json::json!({"type": "resize", "cols": 100, "rows": 30}))
        .await;
    // The size travels on its own channel, so it may overtake or trail the typed command.
    let mut seen = false;
    for _ in 0..5 {
        terminal.type_text("stty size\r").await;
        seen = terminal
            .read_until(Duration::from_secs(1), |t| t.text().contains("30 100"))
            .await;
        if seen {
            break;
        }
    }
    assert!(seen, "stty never reported 30 100: {:?}", terminal.text());
    terminal.exit().await;
}

#[tokio::test]
async fn a_ping_is_answered_with_a_pong() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "").await;
    terminal
        .send_control(serde_json::json!({"type": "ping"}))
        .await;
    let pong = serde_json::json!({"type": "pong"});
    assert!(
        terminal
            .read_until(Duration::from_secs(5), |t| t.controls.contains(&pong))
            .await
    );
    terminal.exit().await;
}

#[tokio::test]
async fn exiting_the_shell_reports_the_exit_and_closes_the_socket() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    let pid = terminal.shell_pid().await;
    terminal.type_text("exit\r").await;
    terminal
        .read_until(Duration::from_secs(10), |t| t.closed)
        .await;
    assert!(terminal.closed, "the socket closes after the shell ends");
    assert_eq!(
        terminal.controls.last(),
        Some(&serde_json::json!({"type": "exit", "code": 0, "message": null}))
    );
    assert!(gone_within(pid, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn closing_the_socket_ends_the_shell() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    let pid = terminal.shell_pid().await;
    let command = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap();
    assert!(
        String::from_utf8_lossy(&command).contains("bash"),
        "the PID is the shell's: bash, chosen because it is there"
    );
    assert!(is_running(pid));
    terminal.socket.close(None).await.unwrap();
    drop(terminal);
    assert!(
        gone_within(pid, Duration::from_secs(5)).await,
        "shell {pid} still runs 5 s after the browser closed the terminal"
    );
}

#[tokio::test]
async fn a_dropped_connection_ends_the_shell_too() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    let pid = terminal.shell_pid().await;
    // Busy in a command, as a shell often is when its page goes away.
    terminal.type_text("sleep 600\r").await;
    let started = Instant::now();
    let busy = loop {
        if let Some(child) = children_of(pid).into_iter().next() {
            break child;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "sleep never started"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let runtime = parent_of(pid).expect("the shell has a parent");
    drop(terminal); // No close frame: the TCP connection just ends.
    assert!(
        gone_within(pid, Duration::from_secs(5)).await,
        "shell {pid} still runs 5 s after its connection dropped"
    );
    assert!(
        is_running(runtime),
        "the runtime that started the shell ({runtime}, kwok here) is untouched"
    );
    assert!(
        gone_within(busy, Duration::from_secs(5)).await,
        "the shell's command {busy} still runs 5 s after its connection dropped"
    );
}

#[tokio::test]
async fn a_shell_the_user_names_is_the_one_that_runs() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "shell=sh").await;
    terminal.type_text("echo shell=$0.\r").await;
    terminal.wait_for("shell=sh.").await;
    let mut default = Terminal::open(&alice, "logging", &pod, "").await;
    default.type_text("echo shell=$0.\r").await;
    default.wait_for("shell=bash.").await;
    terminal.exit().await;
    default.exit().await;
}

#[tokio::test]
async fn a_shell_name_with_arguments_is_refused() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let path = terminal_path(
        "logging",
        &pod,
        &format!("csrf={}&shell=bash%20-i", alice.csrf),
    );
    assert_eq!(
        refusal(&alice, &path, &alice.base).await,
        (400, "InvalidShell".into())
    );
}

#[tokio::test]
async fn alice_gets_no_terminal_outside_her_project() {
    let (testbed, alice, _) = alice_and_a_pod().await;
    let pod = running_pod(
        &testbed,
        "monitoring",
        "app.kubernetes.io/name=node-exporter",
    )
    .await;
    let path = terminal_path("monitoring", &pod, &format!("csrf={}", alice.csrf));
    assert_eq!(refusal(&alice, &path, &alice.base).await.0, 403);
}

#[tokio::test]
async fn unknown_pods_and_containers_are_not_found() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let csrf = format!("csrf={}", alice.csrf);
    let missing_pod = terminal_path("logging", "no-such-pod", &csrf);
    assert_eq!(refusal(&alice, &missing_pod, &alice.base).await.0, 404);
    let missing_container = terminal_path("logging", &pod, &format!("{csrf}&container=nope"));
    assert_eq!(
        refusal(&alice, &missing_container, &alice.base).await,
        (404, "ContainerNotFound".into())
    );
}

#[tokio::test]
async fn a_container_that_is_not_running_is_refused_before_the_upgrade() {
    let (testbed, alice, _) = alice_and_a_pod().await;
    let pods: Api<Pod> = Api::namespaced(testbed.admin_client().await, "logging");
    let pending = pods
        .list(&ListParams::default().labels("app.kubernetes.io/name=fluent-bit"))
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|pod| pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Pending"))
        .and_then(|pod| pod.metadata.name)
        .expect("the seeded fluent-bit rollout has a pod stuck in ImagePullBackOff");
    let path = terminal_path("logging", &pending, &format!("csrf={}", alice.csrf));
    assert_eq!(
        refusal(&alice, &path, &alice.base).await,
        (409, "ContainerNotRunning".into())
    );
}

#[tokio::test]
async fn another_origin_or_a_missing_csrf_token_is_refused() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let with_token = terminal_path("logging", &pod, &format!("csrf={}", alice.csrf));
    assert_eq!(
        refusal(&alice, &with_token, "http://evil.example").await,
        (403, "CrossOrigin".into())
    );
    let without_token = terminal_path("logging", &pod, "container=logrotate");
    assert_eq!(
        refusal(&alice, &without_token, &alice.base).await,
        (403, "CsrfToken".into())
    );
    let wrong_token = terminal_path("logging", &pod, "csrf=guess");
    assert_eq!(
        refusal(&alice, &wrong_token, &alice.base).await,
        (403, "CsrfToken".into())
    );
}

#[tokio::test]
async fn stopping_the_console_tells_the_browser_and_ends_the_shell() {
    let testbed = Testbed::from_env();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (base, server) = spawn_console_until(
        testbed.admin_config().await,
        std::path::Path::new("/nonexistent"),
        auth_settings(None),
        async {
            let _ = stopped.await;
        },
    )
    .await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let pod = running_pod(&testbed, "logging", "app.kubernetes.io/name=logrotate").await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    let pid = terminal.shell_pid().await;
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("console_terminal_sessions 1"), "{metrics}");

    stop.send(()).unwrap();
    let closed = terminal
        .read_until(Duration::from_secs(10), |t| t.closed)
        .await;
    assert!(closed || terminal.closed, "the browser was not told");
    tokio::time::timeout(Duration::from_secs(25), server)
        .await
        .expect("the shutdown waits for the hang-up, at most 20 s")
        .unwrap();
    assert!(!is_running(pid), "shell {pid} outlived the console");
}

#[tokio::test]
async fn signing_out_ends_an_open_terminal_and_its_shell() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut terminal = Terminal::open(&alice, "logging", &pod, "container=logrotate").await;
    let pid = terminal.shell_pid().await;
    let signed_out = alice
        .request(reqwest::Method::DELETE, "/api/session")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 204);
    let closed = terminal
        .read_until(Duration::from_secs(30), |t| t.closed)
        .await;
    assert!(
        closed || terminal.closed,
        "the terminal outlived the sign-out"
    );
    assert!(
        terminal
            .controls
            .iter()
            .any(|control| control["type"] == "error" && control["reason"] == "SignedOut"),
        "the browser is told why: {:?}",
        terminal.controls
    );
    assert!(
        gone_within(pid, Duration::from_secs(20)).await,
        "shell {pid} kept running after the sign-out"
    );
}

#[tokio::test]
async fn a_session_may_hold_only_so_many_terminals_at_once() {
    let (_, alice, pod) = alice_and_a_pod().await;
    let mut open = Vec::new();
    for _ in 0..console_server::limits::MAX_TERMINALS_PER_SESSION {
        open.push(Terminal::open(&alice, "logging", &pod, "container=logrotate").await);
    }
    let path = terminal_path(
        "logging",
        &pod,
        &format!("csrf={}&container=logrotate", alice.csrf),
    );
    assert_eq!(
        refusal(&alice, &path, &alice.base).await,
        (429, "TooManyOpen".to_owned())
    );
    for terminal in open {
        terminal.exit().await;
    }
}

#[tokio::test]
async fn a_pod_name_that_smuggles_a_path_is_refused() {
    let (_, alice, _) = alice_and_a_pod().await;
    let path = terminal_path(
        "logging",
        "x%2F..%2F..%2Fnodes%2Fn%2Fproxy",
        &format!("csrf={}", alice.csrf),
    );
    assert_eq!(
        refusal(&alice, &path, &alice.base).await,
        (400, "BadName".to_owned())
    );
}
