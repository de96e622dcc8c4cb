//! The merged view's one task: follows pods as they come and go, feeds their lines through the
//! merger and writes the due ones to the client, until the client goes, stops reading, or the
//! user's session ends.

use std::{convert::Infallible, pin::pin, sync::atomic::Ordering, time::Duration};

use axum::body::Bytes;
use futures::{SinkExt, StreamExt};
use k8s_openapi::api::core::v1::Pod;
use kube::runtime::watcher;
use tokio::{
    sync::mpsc,
    time::{Instant, interval, timeout},
};

use console_model::logs::LogLine;

use super::{
    Line, Source,
    follow::Follow,
    merger::{MAX_HELD_BYTES, MAX_HELD_LINES, Merger, REORDER_WINDOW},
    notice_line,
};
use crate::auth::ending::Ended;

/// How often due lines are sent.
const TICK: Duration = Duration::from_millis(50);
/// An empty line is sent after this much quiet, so proxies keep the response open and a client
/// that went away is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// A client that takes longer than this to accept a chunk has stopped reading: it is let go.
const SEND_TIME_LIMIT: Duration = Duration::from_secs(30);

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
pub(super) async fn merge(
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
            Some(Ok((id, (key, pod, last)))) = follow.tasks.join_next_with_id(), if !follow.tasks.is_empty() => {
                follow.finished(key, pod, id, last);
            }
            Some(Ok(pod)) = follow.rechecks.join_next(), if !follow.rechecks.is_empty() => {
                follow.rechecked(pod);
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
    use crate::logs::test_lines::{line, source};

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
