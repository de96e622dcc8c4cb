//! The DaemonSet-wide log view: every pod's log, followed as the signed-in user and merged into
//! one stream in time order, each line labelled with its node, pod and container.
//!
//! `GET /api/logs/namespaces/{namespace}/daemonsets/{name}?container=&tailLines=&sinceSeconds=`
//! answers NDJSON, one object per line:
//! `{"time":"RFC3339Nano","node":"...","pod":"...","container":"...","line":"..."}`. Lines the
//! console writes itself (skipped lines, unreadable logs) also carry `"notice":true`, and an empty
//! line now and then keeps idle connections open. The response ends only when the client goes.
//! It is gzipped when the browser takes it, flushed line by line (`gzip`).
//!
//! Lines are held for a short reorder window so that lines from different nodes interleave by
//! their timestamps; memory is bounded everywhere, and a client that reads too slowly loses lines
//! (and is told how many) rather than making the server buffer without end; one that stops
//! reading for 30 s is let go. When the user's session ends the view says so in a notice line
//! and ends within 5 s.
//! A single pod's log is not served here: the API proxy streams it as the apiserver sends it.
//!
//! - `follow`: the set of followed containers, kept in step with the DaemonSet's pods, and the
//!   way each one's lines reach the merger (bounded in lines and bytes).
//! - `merger`: the reorder window that puts lines from many streams in time order.
//! - `response`: the response's one task, which writes due lines to the client.

mod follow;
mod merger;
mod response;

use std::{convert::Infallible, sync::Arc};

use axum::{
    Extension,
    body::Bytes,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use jiff::Timestamp;
use k8s_openapi::api::{apps::v1::DaemonSet, core::v1::Pod};
use kube::{
    Api, ResourceExt,
    api::ListParams,
    core::Selector,
    runtime::{WatchStreamExt, watcher},
};
use serde::Deserialize;
use tokio::sync::mpsc;

use console_model::{document::are_object_names, wire::Reason};

use crate::{
    AppState,
    auth::{
        SignedIn,
        ending::{self, Ended},
    },
    error::ApiError,
    gzip,
    limits::{Held as HeldStream, Stream},
};
use follow::Follow;

/// Lines in flight from the followers to the merger; when full, lines are skipped and counted.
const LINE_QUEUE: usize = 2_048;

/// The optional parameters, named as the Kubernetes log API names them.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogsQuery {
    /// Only this container of each pod; every app container when absent.
    container: Option<String>,
    tail_lines: Option<i64>,
    since_seconds: Option<i64>,
}

/// `GET /api/logs/namespaces/{namespace}/daemonsets/{name}`: the merged, followed log.
pub async fn daemonset(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
    Path((namespace, name)): Path<(String, String)>,
    query: Result<Query<LogsQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let held = state.streams.hold(&user.session.id, Stream::LogView)?;
    let ended = ending::ended(state, user.session.clone());
    let lines = start(user, &namespace, &name, query?, held, ended).await?;
    let gzip = gzip::accepted(&headers).then(gzip::Gzip::if_free).flatten();
    let gzipped = gzip.is_some();
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
            (header::VARY, "Accept-Encoding"),
            // A buffering reverse proxy would hold lines back until its buffer fills.
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        gzip::body(lines, gzip),
    )
        .into_response();
    if gzipped {
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    Ok(response)
}

/// Everything that can be refused is checked here, before the first byte of the response: the
/// parameters, the DaemonSet, listing its pods, and opening the logs of those already running.
async fn start(
    user: SignedIn,
    namespace: &str,
    name: &str,
    Query(query): Query<LogsQuery>,
    held: HeldStream,
    ended: impl Future<Output = Ended> + Send + 'static,
) -> Result<impl futures::Stream<Item = Result<Bytes, Infallible>> + Send + 'static, ApiError> {
    if !are_object_names(namespace, name, query.container.as_deref()) {
        return Err(ApiError::bad_names("DaemonSet"));
    }
    if query.tail_lines.is_some_and(|lines| lines < 0)
        || query.since_seconds.is_some_and(|seconds| seconds <= 0)
    {
        return Err(ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadQuery,
            "tailLines must be 0 or more and sinceSeconds more than 0",
        ));
    }
    let daemonset = Api::<DaemonSet>::namespaced(user.client.clone(), namespace)
        .get(name)
        .await
        .map_err(|error| {
            ApiError::kube(
                format!("read DaemonSet {name} in project {namespace}"),
                error,
            )
        })?;
    let selector = daemonset
        .spec
        .as_ref()
        .map(|spec| spec.selector.clone())
        .map(Selector::try_from)
        .and_then(Result::ok)
        .filter(|selector| !selector.selects_all())
        .ok_or_else(|| {
            ApiError::refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                Reason::InvalidSelector,
                format!("DaemonSet {name} has no usable pod selector"),
            )
        })?;
    if let Some(container) = &query.container
        && !declares(&daemonset, container)
    {
        return Err(ApiError::refused(
            StatusCode::NOT_FOUND,
            Reason::ContainerNotFound,
            format!("the pods of DaemonSet {name} have no container {container:?}"),
        ));
    }
    let pods: Api<Pod> = Api::namespaced(user.client, namespace);
    let listed = pods
        .list(&ListParams::default().labels_from(&selector))
        .await
        .map_err(|error| ApiError::kube(format!("list the pods of DaemonSet {name}"), error))?;

    let (lines, received) = mpsc::channel(LINE_QUEUE);
    let mut follow = Follow::new(
        pods.clone(),
        daemonset.uid().unwrap_or_default(),
        query.container,
        query.since_seconds,
        lines,
    );
    follow.open_running(&listed.items, query.tail_lines).await?;

    let (body, chunks) = futures::channel::mpsc::channel(4);
    let events = watcher(pods, watcher::Config::default().labels_from(&selector)).default_backoff();
    tokio::spawn(async move {
        let _held = held;
        response::merge(follow, received, events, body, ended).await;
    });
    Ok(chunks)
}

/// Whether the DaemonSet's pod template has an app container of that name.
fn declares(daemonset: &DaemonSet, container: &str) -> bool {
    daemonset
        .spec
        .as_ref()
        .and_then(|spec| spec.template.spec.as_ref())
        .is_some_and(|pod| pod.containers.iter().any(|c| c.name == container))
}

/// One followed container, as the lines name it.
#[derive(Debug)]
pub(super) struct Source {
    pub(super) node: String,
    pub(super) pod: String,
    pub(super) container: String,
}

/// One log line on its way to the browser.
#[derive(Debug)]
pub(super) struct Line {
    pub(super) time: Timestamp,
    pub(super) source: Arc<Source>,
    pub(super) text: String,
    pub(super) notice: bool,
}

pub(super) fn notice_line(source: &Source, text: String) -> Line {
    Line {
        time: Timestamp::now(),
        source: Arc::new(Source {
            node: source.node.clone(),
            pod: source.pod.clone(),
            container: source.container.clone(),
        }),
        text,
        notice: true,
    }
}

/// Lines and sources for the tests of the merger and the response.
#[cfg(test)]
mod test_lines {
    use std::sync::Arc;

    use super::{Line, Source};

    pub(super) fn line(source: &Arc<Source>, time: &str, text: &str) -> Line {
        Line {
            time: time.parse().unwrap(),
            source: source.clone(),
            text: text.into(),
            notice: false,
        }
    }

    pub(super) fn source(node: &str) -> Arc<Source> {
        Arc::new(Source {
            node: node.into(),
            pod: format!("pod-on-{node}"),
            container: "c".into(),
        })
    }
}
