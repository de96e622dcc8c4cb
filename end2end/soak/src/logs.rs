//! Followed merged-log views, and the lines they should see: an appender writes numbered lines
//! into each followed pod's log file at a steady rate; each view records the numbers it gets.
//! After a drop a view reconnects with `sinceSeconds` covering the gap (as a client that wants
//! no gap must), so lines it had already are expected again and told apart from true doubles.

use std::{
    collections::BTreeSet,
    io::Write,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use console_model::{lines::LineSplitter, logs::LogLine};
use futures::StreamExt;

use crate::{
    session::Session,
    stats::{Outcome, Stats, failure},
};

const MAX_LINE_BYTES: usize = 64 * 1024;

/// The numbered lines written to one pod's log, with when each was written.
#[derive(Default)]
pub struct Written(Mutex<Vec<Instant>>);

impl Written {
    /// The number of the last line written at least `settle` before now.
    pub fn last_before(&self, settle: Duration) -> Option<usize> {
        let written = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let cutoff = Instant::now().checked_sub(settle)?;
        written.iter().rposition(|at| *at <= cutoff)
    }
}

/// Appends `seq=N` lines to `file` (CRI format, as the runtime writes) every `every`.
pub async fn append(
    file: PathBuf,
    every: Duration,
    written: Arc<Written>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut ticker = tokio::time::interval(every);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.changed() => return,
        }
        let mut written_at = written
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let line = format!(
            "{} stdout F seq={}\n",
            jiff::Timestamp::now(),
            written_at.len()
        );
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(&file)
            .and_then(|mut log| log.write_all(line.as_bytes()));
        if appended.is_ok() {
            written_at.push(Instant::now());
        }
    }
}

/// What one view saw.
#[derive(Default)]
pub struct Seen {
    pub numbers: BTreeSet<usize>,
    /// A number that came twice on one connection: a real double.
    pub doubled: u64,
    /// Numbers sent again on a reconnect's overlap: expected, and not shown twice.
    pub resent: u64,
    pub reconnects: u64,
}

/// Follows `daemonset`'s merged log until `stop`, reconnecting after a drop.
pub async fn follow(
    session: Session,
    namespace: String,
    daemonset: String,
    seen: Arc<Mutex<Seen>>,
    stats: Stats,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let base = format!("/api/logs/namespaces/{namespace}/daemonsets/{daemonset}");
    let mut last_line: Option<Instant> = None;
    while !*stop.borrow() {
        // From now on the first time; after a drop, from a little before the last line seen.
        let query = match last_line {
            None => "tailLines=0".to_owned(),
            Some(at) => format!("sinceSeconds={}", at.elapsed().as_secs() + 2),
        };
        let response = session
            .request(reqwest::Method::GET, &format!("{base}?{query}"))
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(_) => {
                stats.count("log-view", Outcome::Network);
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if response.status() != 200 {
            stats.count("log-view", failure(response).await);
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        stats.count("log-view", Outcome::Ok);
        let known = lock(&seen).numbers.clone();
        let mut this_connection = BTreeSet::new();
        let mut splitter = LineSplitter::new(MAX_LINE_BYTES);
        let mut body = response.bytes_stream();
        loop {
            let chunk = tokio::select! {
                chunk = body.next() => chunk,
                _ = stop.changed() => return,
            };
            let Some(Ok(chunk)) = chunk else { break };
            for line in splitter.push(&chunk) {
                let Ok(line) = serde_json::from_slice::<LogLine>(&line) else {
                    continue;
                };
                let Some(number) = line
                    .line
                    .strip_prefix("seq=")
                    .and_then(|n| n.parse::<usize>().ok())
                else {
                    continue;
                };
                last_line = Some(Instant::now());
                let mut seen = lock(&seen);
                if !this_connection.insert(number) {
                    seen.doubled += 1;
                } else if known.contains(&number) {
                    seen.resent += 1;
                } else {
                    seen.numbers.insert(number);
                }
            }
        }
        lock(&seen).reconnects += 1;
        stats.count("log-view-dropped", Outcome::Network);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
