//! The terminal bridge: a shell in a container, between the browser's WebSocket and a Kubernetes
//! `exec` with a TTY that runs as the signed-in user.
//!
//! `GET /api/terminal/namespaces/{namespace}/pods/{pod}?container=NAME&shell=PATH&csrf=TOKEN`
//! upgrades to a WebSocket once the pod, the container and the user's `create pods/exec`
//! permission are checked (failures before that are ordinary JSON errors). After the upgrade:
//!
//! - binary frames carry raw terminal bytes, both ways;
//! - text frames carry JSON control messages: from the browser `{"type":"resize","cols":N,"rows":N}`
//!   and `{"type":"ping"}`; from the server `{"type":"pong"}`, `{"type":"exit","code":N|null,
//!   "message":...}` when the shell ends and `{"type":"error","message":...}` when something
//!   fails, each followed by a close frame.
//!
//! The server pings every 20 s and gives up on a browser it has heard nothing from for 60 s, or
//! that takes 30 s to accept a message. When the user's session ends (sign-out on any replica,
//! expiry, a changed account) the terminal is told `{"type":"error","reason":"SignedOut",...}`
//! and closed within 5 s. Opening and closing are audited.
//! However the socket closes, the shell is ended: the exec connection is dropped, then the shell
//! and its descendants are killed by PID, because closing an exec stream does not end the
//! process everywhere (kwok leaves it running).

use std::{future::pending, sync::Arc, time::Duration};

use axum::{
    Extension,
    body::Bytes,
    extract::{
        Path, Query, State,
        rejection::QueryRejection,
        ws::{
            CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code,
            rejection::WebSocketUpgradeRejection,
        },
    },
    http::StatusCode,
    response::{IntoResponse, Response},
};
use futures::{SinkExt, StreamExt, stream::SplitSink};
use k8s_openapi::{
    api::core::v1::{ContainerStatus, Pod},
    apimachinery::pkg::apis::meta::v1::Status,
};
use kube::{
    Api,
    api::{AttachParams, AttachedProcess, TerminalSize},
};
use serde::Deserialize;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    sync::{Notify, mpsc, watch},
    time::{Instant, interval_at, timeout},
};

use prometheus_client::metrics::gauge::Gauge;

use console_model::{
    document::{is_dns_label, is_dns_subdomain},
    wire::{AccessCheck, Reason, TerminalEvent, TerminalRequest},
};

use crate::{
    AppState,
    access::allowed,
    auth::{
        SignedIn,
        ending::{self, Ended},
    },
    error::ApiError,
    limits::Stream,
};

/// How often the server pings the browser, so idle proxies keep the connection open.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A browser that sent nothing (not even a pong) for this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// Largest WebSocket message taken from the browser: keystrokes and pastes, not files.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// A browser that takes longer than this to accept a message has stopped reading.
const SEND_TIME_LIMIT: Duration = Duration::from_secs(30);
/// Close code (private range) when the user's session ended under the terminal.
const SESSION_ENDED_CLOSE_CODE: u16 = 4401;
/// Annotation `kubectl` reads for the container to exec into when none is named.
const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// Starts the shell. A script, not a bare `bash`, because:
/// - bash is preferred but many images only have sh, and only a probe inside the container can
///   tell (`command -v` is POSIX);
/// - it announces its PID (an OSC sequence terminals ignore, which the server also strips) so
///   the server can hang the shell up when the browser goes; `exec` keeps that PID for the shell;
/// - xterm.js is an xterm, and without `TERM` full-screen programs fall back to a dumb terminal.
///
/// A shell the user names arrives as `$1`, never inside the script text.
const START_SCRIPT: &str = r#"printf '\033]7757;console-pid=%s\007' "$$"
TERM=xterm-256color; export TERM
if [ -n "${1:-}" ]; then exec "$1"; fi
if command -v bash >/dev/null 2>&1; then exec bash; fi
exec sh"#;

/// Ends the shell whose PID is `$1` and everything it started, one PID at a time.
///
/// Never a signal to a process group, and never `SIGHUP`: a runtime may start the shell inside
/// its own process group (kwok does, without `setsid`), and a bash that gets `SIGHUP` passes it
/// on to its jobs' group, which is then the runtime's. So the shell is frozen (it can start
/// nothing more), its descendants are found through `/proc`, and each of them gets `SIGKILL`. A
/// PID the user forges in the announcement gains nothing: this runs with the user's exec rights.
const HANG_UP_SCRIPT: &str = r#"exec 2>/dev/null
kill -STOP "$1" || exit 0
all=$1 level=$1
while [ -n "$level" ]; do
  next=
  for stat in /proc/[0-9]*/stat; do
    read -r line <"$stat" || continue
    set -- ${line##*) }
    case " $level " in *" $2 "*) pid=${stat%/stat}; next="$next ${pid#/proc/}";; esac
  done
  all="$all$next" level=$next
done
kill -KILL $all
exit 0"#;

/// What the browser asks for besides the path; `csrf` is checked by the session guard.
#[derive(Debug, Deserialize)]
pub struct TerminalQuery {
    container: Option<String>,
    shell: Option<String>,
}

/// The terminal sessions open now: counted (the gauge is exported in `/metrics`), and told to
/// hang up when the server stops, so no shell outlives the console. Cheap to clone.
#[derive(Clone)]
pub struct Terminals {
    open: Gauge,
    stopping: watch::Sender<bool>,
    closed: Arc<Notify>,
}

impl Terminals {
    pub fn new(open: Gauge) -> Self {
        Self {
            open,
            stopping: watch::Sender::new(false),
            closed: Arc::default(),
        }
    }

    fn session(&self) -> Session {
        self.open.inc();
        Session {
            terminals: self.clone(),
        }
    }

    /// Tells every session to hang up.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Waits until every session has ended, at most `limit`; false if some are still open.
    pub async fn wait_closed(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            let closed = self.closed.notified();
            if self.open.get() <= 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, closed).await.is_err() {
                return false;
            }
        }
    }
}

/// One open session; counted until dropped.
struct Session {
    terminals: Terminals,
}

impl Session {
    /// Resolves when the server is stopping.
    async fn stopping(&self) {
        let mut stopping = self.terminals.stopping.subscribe();
        if stopping.wait_for(|stop| *stop).await.is_err() {
            pending::<()>().await;
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.terminals.open.dec();
        self.terminals.closed.notify_waiters();
    }
}

/// `GET /api/terminal/namespaces/{namespace}/pods/{pod}`: checks, then upgrades to the bridge.
pub async fn open(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
    Path((namespace, pod)): Path<(String, String)>,
    query: Result<Query<TerminalQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let held = match state.streams.hold(&user.session.id, Stream::Terminal) {
        Ok(held) => held,
        Err(refusal) => return refusal.into_response(),
    };
    let signed_in = user.session.clone();
    match prepare(user, &namespace, &pod, query, upgrade).await {
        Ok((upgrade, target)) => {
            let session = state.terminals.session();
            let ended = ending::ended(state, signed_in);
            upgrade
                .max_message_size(MAX_MESSAGE_BYTES)
                .max_frame_size(MAX_MESSAGE_BYTES)
                .on_upgrade(move |socket| async move {
                    let _held = held;
                    bridge(socket, target, session, ended).await;
                })
        }
        Err(error) => error.into_response(),
    }
}

/// Where the shell runs, all checked before the upgrade, and who runs it (for the audit).
struct Target {
    pods: Api<Pod>,
    namespace: String,
    pod: String,
    container: String,
    shell: Option<String>,
    account: Option<String>,
    user: String,
}

async fn prepare(
    user: SignedIn,
    namespace: &str,
    pod_name: &str,
    query: Result<Query<TerminalQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<(WebSocketUpgrade, Target), ApiError> {
    let Query(query) = query.map_err(|rejection| {
        ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadQuery,
            rejection.body_text(),
        )
    })?;
    let upgrade = upgrade.map_err(|_| {
        ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::WebSocketRequired,
            "the terminal is reached over a WebSocket",
        )
    })?;
    if !is_dns_label(namespace)
        || !is_dns_subdomain(pod_name)
        || query
            .container
            .as_deref()
            .is_some_and(|name| !is_dns_label(name))
    {
        return Err(ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadName,
            "the project, pod or container is not a valid Kubernetes name",
        ));
    }
    if let Some(shell) = &query.shell
        && !is_plain_command(shell)
    {
        return Err(ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::InvalidShell,
            format!(
                "{shell:?} is not a shell: name a program or a path, without spaces or options"
            ),
        ));
    }
    let pods: Api<Pod> = Api::namespaced(user.client.clone(), namespace);
    let pod = pods.get(pod_name).await.map_err(|error| {
        ApiError::kube(format!("read pod {pod_name} in project {namespace}"), error)
    })?;
    let container = choose_container(&pod, query.container.as_deref())?;
    // A refusal must be a 403 before the upgrade, not a failure after it.
    let exec = AccessCheck::namespaced("create", "", "pods", namespace).of(pod_name, "exec");
    if !allowed(&user.client, &exec).await? {
        return Err(ApiError::refused(
            StatusCode::FORBIDDEN,
            Reason::Forbidden,
            format!("you may not open a terminal in project {namespace}; ask for pods/exec there"),
        ));
    }
    Ok((
        upgrade,
        Target {
            pods,
            namespace: namespace.to_owned(),
            pod: pod_name.to_owned(),
            container,
            shell: query.shell,
            account: user.session.identity.account().map(str::to_owned),
            user: user.session.identity.username().to_owned(),
        },
    ))
}

/// A program name or path, nothing a shell would split or a program would read as an option.
fn is_plain_command(shell: &str) -> bool {
    !shell.is_empty()
        && shell.len() <= 256
        && !shell.starts_with('-')
        && shell
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"/._+-".contains(&byte))
}

/// The named container, or the one `kubectl exec` would pick; it must exist and be running.
fn choose_container(pod: &Pod, named: Option<&str>) -> Result<String, ApiError> {
    let pod_name = pod.metadata.name.as_deref().unwrap_or_default();
    let spec = pod.spec.as_ref();
    let name = match named {
        Some(name) => name.to_owned(),
        None => pod
            .metadata
            .annotations
            .as_ref()
            .and_then(|annotations| annotations.get(DEFAULT_CONTAINER_ANNOTATION))
            .cloned()
            .or_else(|| {
                spec.and_then(|spec| spec.containers.first())
                    .map(|c| c.name.clone())
            })
            .unwrap_or_default(),
    };
    let declared = spec.is_some_and(|spec| {
        spec.containers.iter().any(|c| c.name == name)
            || spec
                .init_containers
                .iter()
                .flatten()
                .any(|c| c.name == name)
            || spec
                .ephemeral_containers
                .iter()
                .flatten()
                .any(|c| c.name == name)
    });
    if !declared {
        return Err(ApiError::refused(
            StatusCode::NOT_FOUND,
            Reason::ContainerNotFound,
            format!("pod {pod_name} has no container {name:?}"),
        ));
    }
    let status = pod.status.as_ref();
    let container_status = status
        .into_iter()
        .flat_map(|status| {
            [
                &status.container_statuses,
                &status.init_container_statuses,
                &status.ephemeral_container_statuses,
            ]
        })
        .flatten()
        .flatten()
        .find(|status: &&ContainerStatus| status.name == name);
    let state = container_status.and_then(|status| status.state.as_ref());
    if state.is_some_and(|state| state.running.is_some()) {
        return Ok(name);
    }
    let why = state
        .and_then(|state| state.waiting.as_ref())
        .and_then(|waiting| waiting.reason.clone())
        .map(|reason| format!(" ({reason})"))
        .unwrap_or_default();
    Err(ApiError::refused(
        StatusCode::CONFLICT,
        Reason::ContainerNotRunning,
        format!(
            "container {name} of pod {pod_name} is not running{why}; a terminal needs a running container"
        ),
    ))
}

/// A control message as a text frame.
fn frame(event: &TerminalEvent) -> Message {
    Message::text(serde_json::to_string(event).expect("control messages serialise"))
}

/// Why the bridge stopped.
enum Ending {
    /// The exec stream ended: the shell exited or the connection to it was lost.
    ShellEnded,
    /// The browser closed the socket or it broke.
    BrowserGone,
    /// The browser stopped answering.
    BrowserSilent,
    /// The console is shutting down.
    ServerStopping,
    /// The user's session ended (signed out, expired, account changed).
    SessionEnded(Ended),
}

impl Ending {
    fn describe(&self) -> &'static str {
        match self {
            Ending::ShellEnded => "shell ended",
            Ending::BrowserGone => "browser left",
            Ending::BrowserSilent => "browser silent",
            Ending::ServerStopping => "console stopping",
            Ending::SessionEnded(_) => "session ended",
        }
    }
}

type Sink = SplitSink<WebSocket, Message>;

/// Runs one terminal session from upgrade to hang-up.
async fn bridge(
    socket: WebSocket,
    target: Target,
    session: Session,
    session_ended: impl Future<Output = Ended>,
) {
    audit(&target, "open-terminal", "ok");
    let (mut sink, mut stream) = socket.split();
    let params = AttachParams::interactive_tty().container(&target.container);
    let mut command = vec!["/bin/sh", "-c", START_SCRIPT, "console-shell"];
    command.extend(target.shell.as_deref());
    let mut process = match target.pods.exec(&target.pod, command, &params).await {
        Ok(process) => process,
        Err(error) => {
            let message = format!(
                "could not start a shell in container {} of pod {}: {error}",
                target.container, target.pod
            );
            fail(&mut sink, message).await;
            audit(&target, "close-terminal", "shell did not start");
            return;
        }
    };
    let (Some(mut stdin), Some(mut stdout), Some(mut resize), Some(status)) = (
        process.stdin(),
        process.stdout(),
        process.terminal_size(),
        process.take_status(),
    ) else {
        unreachable!("an interactive TTY exec has stdin, stdout, a size channel and a status");
    };
    let mut announcement = PidAnnouncement::default();
    // Output waits here when the browser reads slowly, which slows the shell down in turn.
    let (outgoing, mut queued) = mpsc::channel::<Message>(32);

    let output = async {
        let mut buffer = vec![0; 16 * 1024];
        loop {
            let read = match stdout.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(read) => read,
            };
            let bytes = announcement.filter(&buffer[..read]);
            if !bytes.is_empty() && outgoing.send(Message::Binary(bytes.into())).await.is_err() {
                return;
            }
        }
    };
    let input = async {
        loop {
            let message = match timeout(SILENCE_LIMIT, stream.next()).await {
                Err(_) => return Ending::BrowserSilent,
                Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => {
                    return Ending::BrowserGone;
                }
                Ok(Some(Ok(message))) => message,
            };
            match message {
                // A failed write means the exec stream has ended; `output` reports that.
                Message::Binary(bytes) => {
                    let _ = stdin.write_all(&bytes).await;
                }
                Message::Text(text) => match serde_json::from_str(&text) {
                    Ok(TerminalRequest::Resize { cols, rows }) if cols > 0 && rows > 0 => {
                        let size = TerminalSize {
                            width: cols,
                            height: rows,
                        };
                        let _ = resize.send(size).await;
                    }
                    Ok(TerminalRequest::Ping) => {
                        let _ = outgoing.send(frame(&TerminalEvent::Pong)).await;
                    }
                    Ok(TerminalRequest::Resize { .. }) | Err(_) => {
                        tracing::debug!(%text, "ignored a terminal control message");
                    }
                },
                // Pongs (and pings, which the socket answers itself) only prove the browser is there.
                _ => {}
            }
        }
    };
    let writer = async {
        let mut keepalive = interval_at(Instant::now() + PING_EVERY, PING_EVERY);
        loop {
            let message = tokio::select! {
                message = queued.recv() => match message {
                    Some(message) => message,
                    None => pending().await,
                },
                _ = keepalive.tick() => Message::Ping(Bytes::new()),
            };
            // A browser that stops reading is let go, not buffered for.
            match timeout(SEND_TIME_LIMIT, sink.send(message)).await {
                Ok(Ok(())) => {}
                _ => return,
            }
        }
    };
    let ending = tokio::select! {
        () = output => Ending::ShellEnded,
        ending = input => ending,
        () = writer => Ending::BrowserGone,
        () = session.stopping() => Ending::ServerStopping,
        ended = session_ended => Ending::SessionEnded(ended),
    };

    let result = ending.describe();
    let exited = tell_browser(&mut sink, &mut queued, status, ending).await;
    if !exited {
        hang_up(&target, process, stdout, &mut announcement).await;
    }
    audit(&target, "close-terminal", result);
}

/// One audit line per terminal opened and closed: who, where, and how it went.
fn audit(target: &Target, verb: &str, result: &str) {
    tracing::info!(
        target: "audit",
        account = target.account.as_deref(),
        user = target.user,
        verb,
        resource = "pods",
        subresource = "exec",
        namespace = target.namespace,
        name = target.pod,
        container = target.container,
        result,
    );
}

/// Tells the browser, if it is still there, why the session ends; true if the shell exited.
async fn tell_browser(
    sink: &mut Sink,
    queued: &mut mpsc::Receiver<Message>,
    status: impl Future<Output = Option<Status>>,
    ending: Ending,
) -> bool {
    match ending {
        Ending::ShellEnded => {
            // The shell's last words come before the news that it ended.
            while let Ok(message) = queued.try_recv() {
                let _ = sink.send(message).await;
            }
            match timeout(Duration::from_secs(5), status).await {
                Ok(Some(status)) => {
                    let (code, message) = exit_of(&status);
                    let _ = sink
                        .send(frame(&TerminalEvent::Exit { code, message }))
                        .await;
                    close(sink, close_code::NORMAL, "the shell ended").await;
                    return true;
                }
                _ => fail(sink, "the connection to the container was lost".into()).await,
            }
        }
        Ending::BrowserSilent => {
            close(
                sink,
                close_code::AWAY,
                "no answer from the browser for 60 s",
            )
            .await;
        }
        Ending::ServerStopping => {
            close(
                sink,
                close_code::AWAY,
                "the console is restarting; reconnect in a moment",
            )
            .await;
        }
        Ending::SessionEnded(ended) => {
            let _ = sink
                .send(frame(&TerminalEvent::Error {
                    message: ended.message().to_owned(),
                    reason: Some(ended.reason()),
                }))
                .await;
            close(sink, SESSION_ENDED_CLOSE_CODE, ended.message()).await;
        }
        Ending::BrowserGone => {}
    }
    false
}

/// Ends a shell the browser left: drops the exec connection, then kills the shell and its
/// descendants by PID in case the runtime leaves them running (kwok does: it never closes the
/// TTY of a dropped exec).
async fn hang_up(
    target: &Target,
    process: AttachedProcess,
    mut stdout: tokio::io::ReadHalf<tokio::io::SimplexStream>,
    announcement: &mut PidAnnouncement,
) {
    // The announcement is the shell's first output; a browser that leaves at once may beat it.
    let mut buffer = vec![0; 4096];
    let _ = timeout(Duration::from_secs(2), async {
        while announcement.pid.is_none() && !announcement.gave_up() {
            match stdout.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(read) => drop(announcement.filter(&buffer[..read])),
            }
        }
    })
    .await;
    drop(process);
    let Some(pid) = announcement.pid else {
        tracing::warn!(
            pod = target.pod,
            container = target.container,
            "a terminal closed before its shell announced its PID; it may keep running"
        );
        return;
    };
    let pid = pid.to_string();
    let command = ["/bin/sh", "-c", HANG_UP_SCRIPT, "console-hang-up", &pid];
    let params = AttachParams::default().container(&target.container);
    let result = match target.pods.exec(&target.pod, command, &params).await {
        Ok(process) => timeout(Duration::from_secs(15), process.join())
            .await
            .map_err(|_| "timed out".to_owned())
            .and_then(|joined| joined.map_err(|error| error.to_string())),
        Err(error) => Err(error.to_string()),
    };
    match result {
        Ok(()) => tracing::debug!(pod = target.pod, pid, "hung up a terminal's shell"),
        Err(error) => {
            tracing::warn!(pod = target.pod, pid, %error, "could not hang up a terminal's shell")
        }
    }
}

/// The exit code and, for a failure, the apiserver's explanation.
fn exit_of(status: &Status) -> (Option<i32>, Option<String>) {
    if status.status.as_deref() == Some("Success") {
        return (Some(0), None);
    }
    let code = status
        .details
        .as_ref()
        .and_then(|details| details.causes.as_ref())
        .into_iter()
        .flatten()
        .find(|cause| cause.reason.as_deref() == Some("ExitCode"))
        .and_then(|cause| cause.message.as_deref()?.parse().ok());
    (code, status.message.clone())
}

/// Reports a failure after the upgrade: an error frame, then a close frame with the reason.
async fn fail(sink: &mut Sink, message: String) {
    tracing::warn!(%message, "terminal failed");
    let _ = sink
        .send(frame(&TerminalEvent::Error {
            message: message.clone(),
            reason: None,
        }))
        .await;
    close(sink, close_code::ERROR, &message).await;
}

async fn close(sink: &mut Sink, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: close_reason(reason).into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
}

/// A close frame's reason may hold at most 123 bytes; cut at a character boundary.
fn close_reason(reason: &str) -> &str {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    &reason[..end]
}

/// Finds the shell's PID announcement (`ESC ] 7757 ; console-pid=N BEL`) in its first output and
/// takes it out, holding back only bytes that may be the start of it.
#[derive(Debug, Default)]
struct PidAnnouncement {
    pid: Option<u32>,
    held: Vec<u8>,
    seen: usize,
    done: bool,
}

const ANNOUNCEMENT: &[u8] = b"\x1b]7757;console-pid=";
/// Stop looking after this much output: the announcement is the shell's first.
const ANNOUNCEMENT_WINDOW: usize = 64 * 1024;

impl PidAnnouncement {
    /// `chunk` as the browser should see it.
    fn filter(&mut self, chunk: &[u8]) -> Vec<u8> {
        if self.done {
            return chunk.to_vec();
        }
        self.seen += chunk.len();
        let mut data = std::mem::take(&mut self.held);
        data.extend_from_slice(chunk);
        if let Some(start) = find(&data, ANNOUNCEMENT) {
            let digits_from = start + ANNOUNCEMENT.len();
            let digits = data[digits_from..]
                .iter()
                .take_while(|byte| byte.is_ascii_digit())
                .count();
            let end = digits_from + digits;
            match data.get(end) {
                Some(0x07) => {
                    self.pid = std::str::from_utf8(&data[digits_from..end])
                        .ok()
                        .and_then(|digits| digits.parse().ok());
                    self.done = true;
                    let mut shown = data[..start].to_vec();
                    shown.extend_from_slice(&data[end + 1..]);
                    return shown;
                }
                None if digits <= 10 && self.seen < ANNOUNCEMENT_WINDOW => {
                    self.held = data.split_off(start);
                    return data;
                }
                _ => {
                    self.done = true;
                    return data;
                }
            }
        }
        if self.seen >= ANNOUNCEMENT_WINDOW {
            self.done = true;
            return data;
        }
        // Hold a tail that could be the announcement's beginning, split across reads.
        let keep = (1..ANNOUNCEMENT.len().min(data.len() + 1))
            .rev()
            .find(|&length| data.ends_with(&ANNOUNCEMENT[..length]))
            .unwrap_or(0);
        self.held = data.split_off(data.len() - keep);
        data
    }

    fn gave_up(&self) -> bool {
        self.done && self.pid.is_none()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn announced(pid: &str) -> Vec<u8> {
        [ANNOUNCEMENT, pid.as_bytes(), b"\x07"].concat()
    }

    #[test]
    fn the_pid_announcement_is_read_and_hidden() {
        let mut filter = PidAnnouncement::default();
        let output = [b"echo".as_slice(), &announced("4242"), b"$ "].concat();
        assert_eq!(filter.filter(&output), b"echo$ ");
        assert_eq!(filter.pid, Some(4242));
        assert_eq!(filter.filter(b"\x1b]7757;later"), b"\x1b]7757;later");
    }

    #[test]
    fn an_announcement_split_at_any_byte_is_still_found_and_nothing_else_is_lost() {
        let output = [
            b"ab\x1b[0m".as_slice(),
            &announced("12345"),
            b"bash-5.2# \xe4\xbd\xa0",
        ]
        .concat();
        for split in 0..=output.len() {
            let mut filter = PidAnnouncement::default();
            let mut shown = filter.filter(&output[..split]);
            shown.extend(filter.filter(&output[split..]));
            assert_eq!(
                shown, b"ab\x1b[0mbash-5.2# \xe4\xbd\xa0",
                "split at {split}"
            );
            assert_eq!(filter.pid, Some(12345), "split at {split}");
        }
    }

    #[test]
    fn output_without_an_announcement_passes_through_unchanged() {
        let mut filter = PidAnnouncement::default();
        let mut shown = filter.filter(b"plain \x1b]0;title\x07 text \x1b");
        shown.extend(filter.filter(b"[1m bold"));
        assert_eq!(shown, b"plain \x1b]0;title\x07 text \x1b[1m bold");
        assert_eq!(filter.pid, None);
        let long = vec![b'x'; ANNOUNCEMENT_WINDOW];
        assert_eq!(filter.filter(&long).len(), long.len());
        assert!(filter.gave_up());
    }

    #[test]
    fn a_malformed_announcement_is_shown_rather_than_swallowed() {
        let mut filter = PidAnnouncement::default();
        let output = [ANNOUNCEMENT, b"12x"].concat();
        assert_eq!(filter.filter(&output), output);
        assert!(filter.gave_up());
    }

    #[test]
    fn only_plain_program_names_and_paths_are_shells() {
        for shell in [
            "sh",
            "bash",
            "/bin/zsh",
            "/usr/local/bin/fish",
            "busybox.sh",
        ] {
            assert!(is_plain_command(shell), "{shell}");
        }
        for shell in ["", "bash -c id", "-i", "sh;id", "$(id)", "a\nb", "sh'"] {
            assert!(!is_plain_command(shell), "{shell:?}");
        }
    }

    #[test]
    fn exit_codes_come_from_the_status_causes() {
        let failure = serde_json::from_value(serde_json::json!({
            "status": "Failure", "message": "command terminated with non-zero exit code",
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": "2"}]}
        }))
        .unwrap();
        assert_eq!(
            exit_of(&failure),
            (
                Some(2),
                Some("command terminated with non-zero exit code".into())
            )
        );
        let success = serde_json::from_value(serde_json::json!({"status": "Success"})).unwrap();
        assert_eq!(exit_of(&success), (Some(0), None));
    }

    #[test]
    fn close_reasons_fit_a_close_frame() {
        let long = "é".repeat(100);
        assert!(close_reason(&long).len() <= 123);
        assert!(close_reason(&long).chars().all(|c| c == 'é'));
    }
}
