//! The set of followed containers, kept in step with the DaemonSet's pods, and the way each
//! container's lines reach the merger: bounded in lines and in bytes, so a client that falls
//! behind loses lines (counted) instead of making the server buffer them.

use std::{
    collections::{HashMap, HashSet},
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use futures::{AsyncBufRead, AsyncReadExt, StreamExt, stream};
use jiff::Timestamp;
use k8s_openapi::api::core::v1::Pod;
use kube::{Api, ResourceExt, api::LogParams, runtime::watcher};
use tokio::{
    sync::mpsc,
    task::{AbortHandle, JoinSet},
};

use console_model::{lines::LineSplitter, logs::split_timestamp};

use super::{Line, Source, notice_line};
use crate::error::ApiError;

/// Longest line kept whole; longer ones arrive in pieces of this size.
const MAX_LINE_BYTES: usize = 64 * 1024;
/// Containers followed at most: each is one long-lived request to the apiserver.
const MAX_FOLLOWED: usize = 200;
/// Log streams opened at once before the response starts.
const OPENING_CONCURRENCY: usize = 16;
/// Bytes of lines in flight from the followers to the merger; past it lines are skipped and
/// counted, so memory is bounded in bytes however long the lines.
const MAX_QUEUED_BYTES: usize = 4 * 1024 * 1024;
/// Times a container's log is opened again in a row without a new line before only a pod
/// event opens it again; the pause before each doubles from one second.
const QUIET_REOPENS: u32 = 5;

/// A container instance: a restarted container is followed afresh.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub(super) struct Key {
    pod_uid: String,
    container: String,
    restarts: i32,
}

type LogReader = Pin<Box<dyn AsyncBufRead + Send>>;

/// The set of followed containers, kept in step with the DaemonSet's pods.
pub(super) struct Follow {
    pods: Api<Pod>,
    /// The DaemonSet's UID: a selector may also match pods that another controller owns.
    owner: String,
    container: Option<String>,
    since_seconds: Option<i64>,
    followers: HashMap<Key, AbortHandle>,
    /// Each follower's container and pod, and the time of the last line it read when it ended.
    pub(super) tasks: JoinSet<(Key, String, Option<Timestamp>)>,
    /// Pods read again after one of their followers ended while no pod event said why.
    pub(super) rechecks: JoinSet<Option<Pod>>,
    /// Reopens in a row that brought no new line, per container.
    quiet: HashMap<Key, u32>,
    /// Where a container's log resumes when it is followed again (its stream ended: the
    /// apiserver restarted, say): after the last line already sent, not from its start.
    resume: HashMap<Key, Timestamp>,
    lines: mpsc::Sender<Line>,
    /// Bytes of the lines in `lines` now (see [`MAX_QUEUED_BYTES`]).
    pub(super) queued_bytes: Arc<AtomicUsize>,
    /// Lines skipped because the merger (and so the client) fell behind.
    pub(super) dropped: Arc<AtomicU64>,
    /// Pod UIDs seen during a re-list; followers of any other pod are stopped when it ends.
    relisted: Option<HashSet<String>>,
    told_cap: bool,
}

impl Follow {
    pub(super) fn new(
        pods: Api<Pod>,
        owner: String,
        container: Option<String>,
        since_seconds: Option<i64>,
        lines: mpsc::Sender<Line>,
    ) -> Self {
        Follow {
            pods,
            owner,
            container,
            since_seconds,
            followers: HashMap::new(),
            tasks: JoinSet::new(),
            rechecks: JoinSet::new(),
            quiet: HashMap::new(),
            resume: HashMap::new(),
            lines,
            queued_bytes: Arc::default(),
            dropped: Arc::default(),
            relisted: None,
            told_cap: false,
        }
    }

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
    pub(super) async fn open_running(
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
        let after = self.resume.get(&key).copied();
        let params = LogParams {
            since_time: after,
            ..self.params(Some(key.container.clone()))
        };
        let pods = self.pods.clone();
        let queue = Queue {
            lines: self.lines.clone(),
            bytes: self.queued_bytes.clone(),
            dropped: self.dropped.clone(),
        };
        let (lines, task_key, pod) = (self.lines.clone(), key.clone(), source.pod.clone());
        let handle = self.tasks.spawn(async move {
            let reader = match reader {
                Some(reader) => Ok(reader),
                None => (pods.log_stream(&source.pod, &params).await)
                    .map(|reader| Box::pin(reader) as LogReader),
            };
            let last = match reader {
                Ok(reader) => pump(reader, source, queue, after).await,
                Err(error) => {
                    let text = format!("could not read this log: {error}");
                    let _ = lines.try_send(notice_line(&source, text));
                    after
                }
            };
            (task_key, pod, last)
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
        self.resume.retain(|key, _| key.pod_uid != uid);
        self.quiet.retain(|key, _| key.pod_uid != uid);
        self.followers.retain(|key, handle| {
            let keep = key.pod_uid != uid;
            if !keep {
                handle.abort();
            }
            keep
        });
    }

    pub(super) fn on_event(&mut self, event: Result<watcher::Event<Pod>, watcher::Error>) {
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

    /// A follower ended (its container stopped, its pod went away, or its stream broke), having
    /// read up to `last`. A broken stream brings no pod event (the pods' watch may have relisted
    /// before it broke), so the pod is read again after a pause and its running containers are
    /// followed from where they stopped.
    pub(super) fn finished(
        &mut self,
        key: Key,
        pod: String,
        id: tokio::task::Id,
        last: Option<Timestamp>,
    ) {
        // An older follower of the same container, replaced meanwhile.
        if self
            .followers
            .get(&key)
            .is_none_or(|handle| handle.id() != id)
        {
            return;
        }
        self.followers.remove(&key);
        let quiet = self.quiet.entry(key.clone()).or_default();
        // Nothing new since the last time (or a log that could not be opened at all).
        if self.resume.get(&key) == last.as_ref() {
            *quiet += 1;
        } else {
            *quiet = 0;
        }
        if let Some(last) = last {
            self.resume.insert(key, last);
        }
        if let Some(pause) = reopen_pause(*quiet) {
            let pods = self.pods.clone();
            self.rechecks.spawn(async move {
                tokio::time::sleep(pause).await;
                pods.get(&pod).await.ok()
            });
        }
    }

    /// Follows the running containers of a pod read again (see [`Follow::finished`]).
    pub(super) fn rechecked(&mut self, pod: Option<Pod>) {
        if let Some(pod) = pod {
            self.follow_pod(&pod);
        }
    }

    fn notice(&self, source: &Source, text: String) {
        let _ = self.lines.try_send(notice_line(source, text));
    }
}

/// The pause before a log is opened again after `quiet` reopens in a row brought nothing new:
/// 1 s, doubling, until [`QUIET_REOPENS`] have; then only a pod event opens it again.
fn reopen_pause(quiet: u32) -> Option<Duration> {
    (quiet < QUIET_REOPENS).then(|| Duration::from_secs(1 << quiet))
}

/// The way from one follower to the merger, bounded in lines and in bytes.
struct Queue {
    lines: mpsc::Sender<Line>,
    bytes: Arc<AtomicUsize>,
    pub(super) dropped: Arc<AtomicU64>,
}

/// Reads one container's log into lines for the merger until the stream or the merger ends,
/// skipping lines up to `after` (sent before, by an earlier follower); the time of the last line
/// read.
async fn pump(
    mut reader: LogReader,
    source: Arc<Source>,
    queue: Queue,
    after: Option<Timestamp>,
) -> Option<Timestamp> {
    let mut splitter = LineSplitter::new(MAX_LINE_BYTES);
    let mut last_time = after.unwrap_or_else(Timestamp::now);
    let mut buffer = vec![0; 16 * 1024];
    loop {
        let read = match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        for raw in splitter.push(&buffer[..read]) {
            if !queue.send(&raw, &source, &mut last_time, after) {
                return Some(last_time);
            }
        }
    }
    if let Some(raw) = splitter.finish() {
        queue.send(&raw, &source, &mut last_time, after);
    }
    Some(last_time)
}

impl Queue {
    /// Queues one line unless it is not after `after`; false once the merger is gone. A line
    /// without a timestamp (a piece of an over-long line) takes the time of the line before it.
    fn send(
        &self,
        raw: &[u8],
        source: &Arc<Source>,
        last_time: &mut Timestamp,
        after: Option<Timestamp>,
    ) -> bool {
        let (time, text) = parse_line(raw);
        let time = time.unwrap_or(*last_time);
        *last_time = time;
        if after.is_some_and(|after| time <= after) {
            return !self.lines.is_closed();
        }
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

/// The time and text of a line read with `timestamps=true`, split by the model's rule; the
/// time parsed for ordering.
fn parse_line(raw: &[u8]) -> (Option<Timestamp>, String) {
    let text = String::from_utf8_lossy(raw);
    match split_timestamp(&text) {
        (Some(time), rest) => match time.parse::<Timestamp>() {
            Ok(time) => (Some(time), rest.to_owned()),
            Err(_) => (None, text.into_owned()),
        },
        (None, _) => (None, text.into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn a_log_that_keeps_ending_without_new_lines_is_opened_again_ever_more_slowly_then_left() {
        let pauses: Vec<_> = (0..=QUIET_REOPENS).map(reopen_pause).collect();
        assert_eq!(
            pauses,
            [1, 2, 4, 8, 16]
                .map(|seconds| Some(Duration::from_secs(seconds)))
                .into_iter()
                .chain([None])
                .collect::<Vec<_>>()
        );
    }

    #[tokio::test]
    async fn a_followed_log_opened_again_resumes_after_the_last_line_sent() {
        let log =
            "2026-12-02T04:00:01Z one\n2026-12-02T04:00:02Z two\n2026-12-02T04:00:03Z three\n";
        let (sender, mut received) = mpsc::channel(16);
        let queue = Queue {
            lines: sender,
            bytes: Arc::default(),
            dropped: Arc::default(),
        };
        let source = Arc::new(Source {
            node: "n".into(),
            pod: "p".into(),
            container: "c".into(),
        });
        let after: Timestamp = "2026-12-02T04:00:02Z".parse().unwrap();
        let reader: LogReader = Box::pin(futures::io::Cursor::new(log.as_bytes()));
        let last = pump(reader, source, queue, Some(after)).await;
        assert_eq!(last, Some("2026-12-02T04:00:03Z".parse().unwrap()));
        let mut texts = Vec::new();
        while let Ok(line) = received.try_recv() {
            texts.push(line.text);
        }
        assert_eq!(
            texts,
            ["three"],
            "lines up to the last one sent are not sent again"
        );
    }
}
