//! The DaemonSet-wide log view: every pod's log, followed as the signed-in user and merged into
//! one stream in time order, each line labelled with its node, pod and container.
//!
//! `GET /api/logs/namespaces/{namespace}/daemonsets/{name}?container=&tailLines=&sinceSeconds=`
//! answers NDJSON, one object per line:
//! `{"time":"RFC3339Nano","node":"...","pod":"...","container":"...","line":"..."}`. Lines the
//! console writes itself (skipped lines, unreadable logs) also carry `"notice":true`, and an empty
//! line now and then keeps idle connections open. The response ends only when the client goes.
//!
//! Lines are held for a short reorder window so that lines from different nodes interleave by
//! their timestamps; memory is bounded everywhere, and a client that reads too slowly loses lines
//! (and is told how many) rather than making the server buffer without end; one that stops
//! reading for 30 s is let go. When the user's session ends the view says so in a notice line
//! and ends within 5 s.
//! A single pod's log is not served here: the API proxy streams it as the apiserver sends it.

use std::{
    cmp::Reverse,
    collections::{BinaryHeap, HashMap, HashSet, VecDeque},
    convert::Infallible,
    pin::{Pin, pin},
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Extension,
    body::{Body, Bytes},
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use futures::{AsyncBufRead, AsyncReadExt, SinkExt, StreamExt, stream};
use jiff::Timestamp;
use k8s_openapi::api::{apps::v1::DaemonSet, core::v1::Pod};
use kube::{
    Api, ResourceExt,
    api::{ListParams, LogParams},
    core::Selector,
    runtime::{WatchStreamExt, watcher},
};
use serde::Deserialize;
use tokio::{
    sync::mpsc,
    task::{AbortHandle, JoinSet},
    time::{Instant, interval, timeout},
};

use console_model::{
    document::{is_dns_label, is_dns_subdomain},
    lines::LineSplitter,
    logs::LogLine,
    wire::Reason,
};

use crate::{
    AppState,
    auth::{
        SignedIn,
        ending::{self, Ended},
    },
    error::ApiError,
    limits::{Held as HeldStream, Stream},
};

/// How long a line waits for earlier lines from slower streams before it is sent.
const REORDER_WINDOW: Duration = Duration::from_millis(250);
/// How often due lines are sent.
const TICK: Duration = Duration::from_millis(50);
/// Most lines held for reordering; past it the earliest go out at once.
const MAX_HELD_LINES: usize = 10_000;
/// Lines in flight from the followers to the merger; when full, lines are skipped and counted.
const LINE_QUEUE: usize = 2_048;
/// Longest line kept whole; longer ones arrive in pieces of this size.
const MAX_LINE_BYTES: usize = 64 * 1024;
/// Containers followed at most: each is one long-lived request to the apiserver.
const MAX_FOLLOWED: usize = 200;
/// An empty line is sent after this much quiet, so proxies keep the response open and a client
/// that went away is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// Log streams opened at once before the response starts.
const OPENING_CONCURRENCY: usize = 16;
/// Bytes of lines in flight from the followers to the merger; past it lines are skipped and
/// counted, so memory is bounded in bytes however long the lines.
const MAX_QUEUED_BYTES: usize = 4 * 1024 * 1024;
/// Bytes of lines held for reordering; past it the earliest go out at once.
const MAX_HELD_BYTES: usize = 8 * 1024 * 1024;
/// A client that takes longer than this to accept a chunk has stopped reading: it is let go.
const SEND_TIME_LIMIT: Duration = Duration::from_secs(30);

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
) -> Response {
    let held = match state.streams.hold(&user.session.id, Stream::LogView) {
        Ok(held) => held,
        Err(refusal) => return refusal.into_response(),
    };
    let ended = ending::ended(state, user.session.clone());
    match start(user, &namespace, &name, query, held, ended).await {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "application/x-ndjson"),
                (header::CACHE_CONTROL, "no-store"),
                // A buffering reverse proxy would hold lines back until its buffer fills.
                (header::HeaderName::from_static("x-accel-buffering"), "no"),
            ],
            body,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

/// Everything that can be refused is checked here, before the first byte of the response: the
/// parameters, the DaemonSet, listing its pods, and opening the logs of those already running.
async fn start(
    user: SignedIn,
    namespace: &str,
    name: &str,
    query: Result<Query<LogsQuery>, QueryRejection>,
    held: HeldStream,
    ended: impl Future<Output = Ended> + Send + 'static,
) -> Result<Body, ApiError> {
    let Query(query) = query.map_err(|rejection| {
        ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadQuery,
            rejection.body_text(),
        )
    })?;
    if !is_dns_label(namespace)
        || !is_dns_subdomain(name)
        || query
            .container
            .as_deref()
            .is_some_and(|name| !is_dns_label(name))
    {
        return Err(ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadName,
            "the project, DaemonSet or container is not a valid Kubernetes name",
        ));
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
    let mut follow = Follow {
        pods: pods.clone(),
        owner: daemonset.uid().unwrap_or_default(),
        container: query.container,
        since_seconds: query.since_seconds,
        followers: HashMap::new(),
        tasks: JoinSet::new(),
        lines,
        queued_bytes: Arc::default(),
        dropped: Arc::default(),
        relisted: None,
        told_cap: false,
    };
    follow.open_running(&listed.items, query.tail_lines).await?;

    let (body, chunks) = futures::channel::mpsc::channel(4);
    let events = watcher(pods, watcher::Config::default().labels_from(&selector)).default_backoff();
    tokio::spawn(async move {
        let _held = held;
        merge(follow, received, events, body, ended).await;
    });
    Ok(Body::from_stream(chunks))
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
struct Source {
    node: String,
    pod: String,
    container: String,
}

/// A container instance: a restarted container is followed afresh.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
struct Key {
    pod_uid: String,
    container: String,
    restarts: i32,
}

/// One log line on its way to the browser.
#[derive(Debug)]
struct Line {
    time: Timestamp,
    source: Arc<Source>,
    text: String,
    notice: bool,
}

type LogReader = Pin<Box<dyn AsyncBufRead + Send>>;

/// The set of followed containers, kept in step with the DaemonSet's pods.
struct Follow {
    pods: Api<Pod>,
    /// The DaemonSet's UID: a selector may also match pods that another controller owns.
    owner: String,
    container: Option<String>,
    since_seconds: Option<i64>,
    followers: HashMap<Key, AbortHandle>,
    tasks: JoinSet<Key>,
    lines: mpsc::Sender<Line>,
    /// Bytes of the lines in `lines` now (see [`MAX_QUEUED_BYTES`]).
    queued_bytes: Arc<AtomicUsize>,
    /// Lines skipped because the merger (and so the client) fell behind.
    dropped: Arc<AtomicU64>,
    /// Pod UIDs seen during a re-list; followers of any other pod are stopped when it ends.
    relisted: Option<HashSet<String>>,
    told_cap: bool,
}

impl Follow {
    fn params(&self, container: Option<String>) -> LogParams {
        LogParams {
            container,
            follow: true,
            timestamps: true,
            since_seconds: self.since_seconds,
            ..LogParams::default()
        }
    }

    fn owns(&self, pod: &Pod) -> bool {
        pod.owner_references()
            .iter()
            .any(|owner| owner.uid == self.owner)
            && pod.metadata.deletion_timestamp.is_none()
    }

    /// The pod's running containers this view shows, with their identity and labels.
    fn running_containers(&self, pod: &Pod) -> Vec<(Key, Arc<Source>)> {
        let node = pod
            .spec
            .as_ref()
            .and_then(|spec| spec.node_name.clone())
            .unwrap_or_default();
        pod.status
            .iter()
            .flat_map(|status| status.container_statuses.iter().flatten())
            .filter(|status| {
                status
                    .state
                    .as_ref()
                    .is_some_and(|state| state.running.is_some())
                    && self
                        .container
                        .as_ref()
                        .is_none_or(|name| *name == status.name)
            })
            .map(|status| {
                let key = Key {
                    pod_uid: pod.uid().unwrap_or_default(),
                    container: status.name.clone(),
                    restarts: status.restart_count,
                };
                let source = Source {
                    node: node.clone(),
                    pod: pod.name_any(),
                    container: status.name.clone(),
                };
                (key, Arc::new(source))
            })
            .collect()
    }

    /// Opens the logs of the containers already running, the last `tail_lines` of each. A
    /// refusal fails the whole request; another failure (a pod that just went away) is told in
    /// the stream instead.
    async fn open_running(
        &mut self,
        pods: &[Pod],
        tail_lines: Option<i64>,
    ) -> Result<(), ApiError> {
        let wanted: Vec<(Key, Arc<Source>)> = pods
            .iter()
            .filter(|pod| self.owns(pod))
            .flat_map(|pod| self.running_containers(pod))
            .take(MAX_FOLLOWED)
            .collect();
        let opened: Vec<_> = stream::iter(wanted.into_iter().map(|(key, source)| {
            let pods = self.pods.clone();
            let params = LogParams {
                tail_lines,
                ..self.params(Some(source.container.clone()))
            };
            async move {
                let reader = pods.log_stream(&source.pod, &params).await;
                (key, source, reader)
            }
        }))
        .buffer_unordered(OPENING_CONCURRENCY)
        .collect()
        .await;
        for (key, source, reader) in opened {
            match reader {
                Ok(reader) => self.spawn(key, source, Some(Box::pin(reader))),
                Err(kube::Error::Api(status)) if status.code == 403 => {
                    let operation = format!("read the log of pod {}", source.pod);
                    return Err(ApiError::kube(operation, kube::Error::Api(status)));
                }
                Err(error) => self.notice(&source, format!("could not read this log: {error}")),
            }
        }
        Ok(())
    }

    /// Follows one container in a task of its own: from `reader` when its log is open already,
    /// else opening it first.
    fn spawn(&mut self, key: Key, source: Arc<Source>, reader: Option<LogReader>) {
        let (pods, params) = (self.pods.clone(), self.params(Some(key.container.clone())));
        let queue = Queue {
            lines: self.lines.clone(),
            bytes: self.queued_bytes.clone(),
            dropped: self.dropped.clone(),
        };
        let (lines, task_key) = (self.lines.clone(), key.clone());
        let handle = self.tasks.spawn(async move {
            let reader = match reader {
                Some(reader) => Ok(reader),
                None => (pods.log_stream(&source.pod, &params).await)
                    .map(|reader| Box::pin(reader) as LogReader),
            };
            match reader {
                Ok(reader) => pump(reader, source, queue).await,
                Err(error) => {
                    let text = format!("could not read this log: {error}");
                    let _ = lines.try_send(notice_line(&source, text));
                }
            }
            task_key
        });
        self.followers.insert(key, handle);
    }

    /// Follows every running container of `pod` not followed yet. These started after the view
    /// opened, so they get their whole log, not the last `tailLines`.
    fn follow_pod(&mut self, pod: &Pod) {
        if !self.owns(pod) {
            return;
        }
        for (key, source) in self.running_containers(pod) {
            if self.followers.contains_key(&key) {
                continue;
            }
            if self.followers.len() >= MAX_FOLLOWED {
                if !std::mem::replace(&mut self.told_cap, true) {
                    let message = format!(
                        "only the first {MAX_FOLLOWED} containers are followed; open a pod's own log for the others"
                    );
                    self.notice(&source, message);
                }
                return;
            }
            self.spawn(key, source, None);
        }
    }

    fn forget_pod(&mut self, uid: &str) {
        self.followers.retain(|key, handle| {
            let keep = key.pod_uid != uid;
            if !keep {
                handle.abort();
            }
            keep
        });
    }

    fn on_event(&mut self, event: Result<watcher::Event<Pod>, watcher::Error>) {
        match event {
            Ok(watcher::Event::Init) => self.relisted = Some(HashSet::new()),
            Ok(watcher::Event::InitApply(pod)) => {
                if let Some(seen) = &mut self.relisted {
                    seen.insert(pod.uid().unwrap_or_default());
                }
                self.follow_pod(&pod);
            }
            Ok(watcher::Event::InitDone) => {
                let seen = self.relisted.take().unwrap_or_default();
                let gone: HashSet<String> = self
                    .followers
                    .keys()
                    .filter(|key| !seen.contains(&key.pod_uid))
                    .map(|key| key.pod_uid.clone())
                    .collect();
                for uid in gone {
                    self.forget_pod(&uid);
                }
            }
            Ok(watcher::Event::Apply(pod)) => self.follow_pod(&pod),
            Ok(watcher::Event::Delete(pod)) => self.forget_pod(&pod.uid().unwrap_or_default()),
            // The watcher retries with backoff; its followers keep running meanwhile.
            Err(error) => tracing::warn!(%error, "watching a DaemonSet's pods for its log view"),
        }
    }

    /// A follower ended (its container stopped or its pod went away).
    fn finished(&mut self, key: Key, id: tokio::task::Id) {
        if self
            .followers
            .get(&key)
            .is_some_and(|handle| handle.id() == id)
        {
            self.followers.remove(&key);
        }
    }

    fn notice(&self, source: &Source, text: String) {
        let _ = self.lines.try_send(notice_line(source, text));
    }
}

fn notice_line(source: &Source, text: String) -> Line {
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

/// The way from one follower to the merger, bounded in lines and in bytes.
struct Queue {
    lines: mpsc::Sender<Line>,
    bytes: Arc<AtomicUsize>,
    dropped: Arc<AtomicU64>,
}

/// Reads one container's log into lines for the merger until the stream or the merger ends.
async fn pump(mut reader: LogReader, source: Arc<Source>, queue: Queue) {
    let mut splitter = LineSplitter::new(MAX_LINE_BYTES);
    let mut last_time = Timestamp::now();
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let read = match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        for raw in splitter.push(&buffer[..read]) {
            if !queue.send(&raw, &source, &mut last_time) {
                return;
            }
        }
    }
    if let Some(raw) = splitter.finish() {
        queue.send(&raw, &source, &mut last_time);
    }
}

impl Queue {
    /// Queues one line; false once the merger is gone. A line without a timestamp (a piece of
    /// an over-long line) takes the time of the line before it.
    fn send(&self, raw: &[u8], source: &Arc<Source>, last_time: &mut Timestamp) -> bool {
        let (time, text) = parse_line(raw);
        let time = time.unwrap_or(*last_time);
        *last_time = time;
        let size = text.len();
        if self.bytes.fetch_add(size, Ordering::Relaxed) + size > MAX_QUEUED_BYTES {
            self.bytes.fetch_sub(size, Ordering::Relaxed);
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return !self.lines.is_closed();
        }
        let line = Line {
            time,
            source: source.clone(),
            text,
            notice: false,
        };
        match self.lines.try_send(line) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.bytes.fetch_sub(size, Ordering::Relaxed);
                self.dropped.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

/// Splits `2024-05-01T10:00:00.123456789Z text` (the apiserver's `timestamps=true` form).
fn parse_line(raw: &[u8]) -> (Option<Timestamp>, String) {
    if let Some(space) = raw.iter().position(|&byte| byte == b' ')
        && let Some(time) = std::str::from_utf8(&raw[..space])
            .ok()
            .and_then(|prefix| prefix.parse::<Timestamp>().ok())
    {
        return (
            Some(time),
            String::from_utf8_lossy(&raw[space + 1..]).into_owned(),
        );
    }
    (None, String::from_utf8_lossy(raw).into_owned())
}

/// A line held for reordering; earlier times first, then the order they arrived in.
#[derive(Debug)]
struct Held {
    line: Line,
    order: u64,
}

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Held {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.line.time, self.order).cmp(&(other.line.time, other.order))
    }
}

/// Puts lines from many streams in time order, waiting at most `window` for late ones.
///
/// A line is due `window` after it arrived. When one is due, every held line with a time up to
/// its time goes out too, sorted: whatever arrives later with an earlier time was more than a
/// window late and goes out as soon as it comes. So no line waits much longer than `window`, and
/// lines that arrive within a window of each other come out in time order.
#[derive(Debug)]
struct Merger {
    window: Duration,
    capacity: usize,
    byte_capacity: usize,
    held_bytes: usize,
    held: BinaryHeap<Reverse<Held>>,
    arrivals: VecDeque<(Instant, Timestamp)>,
    watermark: Option<Timestamp>,
    ready: Vec<Line>,
    order: u64,
}

impl Merger {
    fn new(window: Duration, capacity: usize, byte_capacity: usize) -> Self {
        Merger {
            window,
            capacity,
            byte_capacity,
            held_bytes: 0,
            held: BinaryHeap::new(),
            arrivals: VecDeque::new(),
            watermark: None,
            ready: Vec::new(),
            order: 0,
        }
    }

    fn push(&mut self, line: Line, now: Instant) {
        self.arrivals.push_back((now, line.time));
        self.order += 1;
        self.held_bytes += line.text.len();
        self.held.push(Reverse(Held {
            line,
            order: self.order,
        }));
        while self.held.len() > self.capacity || self.held_bytes > self.byte_capacity {
            let Reverse(earliest) = self.held.pop().expect("over capacity, so not empty");
            self.held_bytes -= earliest.line.text.len();
            self.advance(earliest.line.time);
            self.ready.push(earliest.line);
        }
    }

    fn advance(&mut self, time: Timestamp) {
        self.watermark = Some(self.watermark.map_or(time, |mark| mark.max(time)));
    }

    /// The lines to send now, in order.
    fn take_due(&mut self, now: Instant) -> Vec<Line> {
        while let Some(&(arrived, time)) = self.arrivals.front() {
            if now.duration_since(arrived) < self.window {
                break;
            }
            self.arrivals.pop_front();
            self.advance(time);
        }
        while let Some(Reverse(earliest)) = self.held.peek() {
            if self.watermark.is_none_or(|mark| earliest.line.time > mark) {
                break;
            }
            let Reverse(earliest) = self.held.pop().expect("peeked");
            self.held_bytes -= earliest.line.text.len();
            self.ready.push(earliest.line);
        }
        std::mem::take(&mut self.ready)
    }
}

/// Writes `line` as the client reads it: one [`LogLine`] as JSON, then a newline.
fn write_line(out: &mut Vec<u8>, line: &Line) {
    let wire = LogLine {
        time: Some(line.time.to_string()),
        node: line.source.node.clone(),
        pod: line.source.pod.clone(),
        container: line.source.container.clone(),
        line: line.text.clone(),
        notice: line.notice,
    };
    serde_json::to_writer(&mut *out, &wire).expect("a line serialises");
    out.push(b'\n');
}

/// The response's one task: follows pods as they come and go, merges their lines and writes
/// them out, until the client has gone. Dropping it stops every follower.
async fn merge(
    mut follow: Follow,
    mut received: mpsc::Receiver<Line>,
    events: impl futures::Stream<Item = Result<watcher::Event<Pod>, watcher::Error>>,
    mut body: futures::channel::mpsc::Sender<Result<Bytes, Infallible>>,
    session_ended: impl Future<Output = Ended>,
) {
    let mut events = pin!(events);
    let mut session_ended = pin!(session_ended);
    let mut merger = Merger::new(REORDER_WINDOW, MAX_HELD_LINES, MAX_HELD_BYTES);
    let mut tick = interval(TICK);
    let mut last_write = Instant::now();
    let no_source = Source {
        node: String::new(),
        pod: String::new(),
        container: String::new(),
    };
    loop {
        tokio::select! {
            Some(line) = received.recv() => {
                // Notices (few, short) are queued outside the byte count.
                if !line.notice {
                    follow.queued_bytes.fetch_sub(line.text.len(), Ordering::Relaxed);
                }
                merger.push(line, Instant::now());
            }
            ended = &mut session_ended => {
                let mut out = Vec::new();
                write_line(&mut out, &notice_line(&no_source, ended.message().to_owned()));
                let _ = timeout(SEND_TIME_LIMIT, body.send(Ok(out.into()))).await;
                return;
            }
            Some(Ok((id, key))) = follow.tasks.join_next_with_id(), if !follow.tasks.is_empty() => {
                follow.finished(key, id);
            }
            Some(event) = events.next() => follow.on_event(event),
            _ = tick.tick() => {
                let mut out = Vec::new();
                let dropped = follow.dropped.swap(0, Ordering::Relaxed);
                if dropped > 0 {
                    let text = format!("{dropped} lines skipped: they came faster than they could be sent");
                    write_line(&mut out, &notice_line(&no_source, text));
                }
                for line in merger.take_due(Instant::now()) {
                    write_line(&mut out, &line);
                }
                if out.is_empty() {
                    if last_write.elapsed() < KEEPALIVE {
                        if body.is_closed() {
                            return;
                        }
                        continue;
                    }
                    out.push(b'\n');
                }
                match timeout(SEND_TIME_LIMIT, body.send(Ok(out.into()))).await {
                    Ok(Ok(())) => last_write = Instant::now(),
                    _ => return,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(source: &Arc<Source>, time: &str, text: &str) -> Line {
        Line {
            time: time.parse().unwrap(),
            source: source.clone(),
            text: text.into(),
            notice: false,
        }
    }

    fn source(node: &str) -> Arc<Source> {
        Arc::new(Source {
            node: node.into(),
            pod: format!("pod-on-{node}"),
            container: "c".into(),
        })
    }

    fn texts(lines: &[Line]) -> Vec<&str> {
        lines.iter().map(|line| line.text.as_str()).collect()
    }

    #[test]
    fn a_character_split_across_chunks_is_decoded_whole() {
        let text = "2024-05-01T10:00:00Z 日志 ok\n".as_bytes();
        for split in 0..text.len() {
            let mut splitter = LineSplitter::new(MAX_LINE_BYTES);
            let mut lines = splitter.push(&text[..split]);
            lines.extend(splitter.push(&text[split..]));
            assert_eq!(lines.len(), 1, "split at {split}");
            assert_eq!(parse_line(&lines[0]).1, "日志 ok", "split at {split}");
        }
    }

    #[test]
    fn the_timestamp_prefix_is_parsed_and_removed() {
        let (time, text) = parse_line(b"2026-11-28T00:53:10.273645674Z hello world");
        assert_eq!(
            time,
            Some("2026-11-28T00:53:10.273645674Z".parse().unwrap())
        );
        assert_eq!(text, "hello world");
        assert_eq!(
            parse_line(b"no timestamp here"),
            (None, "no timestamp here".into())
        );
        assert_eq!(
            parse_line(b"2026-11-28T00:53:10Z "),
            (Some("2026-11-28T00:53:10Z".parse().unwrap()), String::new())
        );
        assert_eq!(parse_line(b"bad \xff bytes").1, "bad \u{fffd} bytes");
    }

    #[test]
    fn lines_from_different_nodes_come_out_in_time_order_after_the_window() {
        let (a, b) = (source("a"), source("b"));
        let mut merger = Merger::new(Duration::from_millis(250), 100, usize::MAX);
        let start = Instant::now();
        merger.push(line(&a, "2026-01-01T00:00:02Z", "a2"), start);
        merger.push(line(&b, "2026-01-01T00:00:01Z", "b1"), start);
        merger.push(
            line(&a, "2026-01-01T00:00:04Z", "a4"),
            start + Duration::from_millis(100),
        );
        merger.push(
            line(&b, "2026-01-01T00:00:03Z", "b3"),
            start + Duration::from_millis(200),
        );
        assert!(
            merger
                .take_due(start + Duration::from_millis(240))
                .is_empty()
        );
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(260))),
            ["b1", "a2"]
        );
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(460))),
            ["b3", "a4"]
        );
    }

    #[test]
    fn a_line_later_than_the_window_is_sent_at_once_rather_than_held() {
        let a = source("a");
        let mut merger = Merger::new(Duration::from_millis(250), 100, usize::MAX);
        let start = Instant::now();
        merger.push(line(&a, "2026-01-01T00:00:05Z", "new"), start);
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(300))),
            ["new"]
        );
        merger.push(
            line(&a, "2026-01-01T00:00:01Z", "old"),
            start + Duration::from_millis(310),
        );
        assert_eq!(
            texts(&merger.take_due(start + Duration::from_millis(320))),
            ["old"]
        );
    }

    #[test]
    fn lines_with_equal_times_keep_their_arrival_order() {
        let (a, b) = (source("a"), source("b"));
        let mut merger = Merger::new(Duration::ZERO, 100, usize::MAX);
        let now = Instant::now();
        for (source, text) in [(&a, "first"), (&b, "second"), (&a, "third")] {
            merger.push(line(source, "2026-01-01T00:00:00Z", text), now);
        }
        assert_eq!(texts(&merger.take_due(now)), ["first", "second", "third"]);
    }

    #[test]
    fn a_full_reorder_buffer_lets_its_earliest_lines_go_in_order() {
        let a = source("a");
        let mut merger = Merger::new(Duration::from_secs(3600), 2, usize::MAX);
        let now = Instant::now();
        for second in [3, 1, 2, 5, 4] {
            let time = format!("2026-01-01T00:00:0{second}Z");
            merger.push(line(&a, &time, &second.to_string()), now);
        }
        assert_eq!(merger.held.len(), 2);
        assert_eq!(texts(&merger.take_due(now)), ["1", "2", "3"]);
    }

    #[test]
    fn the_reorder_buffer_is_bounded_in_bytes_as_well_as_lines() {
        let a = source("a");
        let mut merger = Merger::new(Duration::from_secs(3600), 1_000, 10);
        let now = Instant::now();
        for second in [3, 1, 2] {
            let time = format!("2026-01-01T00:00:0{second}Z");
            merger.push(line(&a, &time, "12345"), now);
        }
        assert!(merger.held_bytes <= 10);
        assert_eq!(merger.take_due(now).len(), 1);
    }

    #[test]
    fn a_line_reads_as_documented() {
        let mut out = Vec::new();
        write_line(
            &mut out,
            &line(&source("n1"), "2026-01-01T00:00:00.5Z", "hi \"you\""),
        );
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"time": "2026-01-01T00:00:00.5Z", "node": "n1", "pod": "pod-on-n1", "container": "c", "line": "hi \"you\""})
        );
        assert_eq!(out.last(), Some(&b'\n'));
    }
}
