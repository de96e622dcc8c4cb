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
//!
//! - `sessions`: the open sessions, counted and told to hang up when the server stops.
//! - `bridge`: one session from upgrade to hang-up, and what the browser is told.
//! - `hang_up`: ending a shell the browser left, by the PID it announced.

mod bridge;
mod hang_up;
mod sessions;

pub use sessions::Terminals;

use axum::{
    Extension,
    extract::{
        Path, Query, State,
        rejection::QueryRejection,
        ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    http::StatusCode,
    response::Response,
};
use k8s_openapi::api::core::v1::{ContainerStatus, Pod};
use kube::Api;
use serde::Deserialize;

use console_model::{
    document::are_object_names,
    wire::{AccessCheck, Reason},
};

use crate::{
    AppState,
    access::allowed,
    auth::{SignedIn, ending},
    error::ApiError,
    limits::Stream,
};

/// Largest WebSocket message taken from the browser: keystrokes and pastes, not files.
const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Annotation `kubectl` reads for the container to exec into when none is named.
const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// What the browser asks for besides the path; `csrf` is checked by the session guard.
#[derive(Debug, Deserialize)]
pub struct TerminalQuery {
    container: Option<String>,
    shell: Option<String>,
}

/// `GET /api/terminal/namespaces/{namespace}/pods/{pod}`: checks, then upgrades to the bridge.
pub async fn open(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
    Path((namespace, pod)): Path<(String, String)>,
    query: Result<Query<TerminalQuery>, QueryRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let held = state.streams.hold(&user.session.id, Stream::Terminal)?;
    let signed_in = user.session.clone();
    let (upgrade, target) = prepare(user, &namespace, &pod, query?, upgrade?).await?;
    let session = state.terminals.session();
    let ended = ending::ended(state, signed_in);
    Ok(upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let _held = held;
            bridge::bridge(socket, target, session, ended).await;
        }))
}

/// Where the shell runs, all checked before the upgrade, and who runs it (for the audit).
pub(super) struct Target {
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
    Query(query): Query<TerminalQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<(WebSocketUpgrade, Target), ApiError> {
    if !are_object_names(namespace, pod_name, query.container.as_deref()) {
        return Err(ApiError::bad_names("pod"));
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
