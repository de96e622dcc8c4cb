//! Terminals that type and read their echo: each opens a shell over the console's WebSocket,
//! types `echo <marker>` every two seconds and waits for the marker to come back; a dropped
//! socket is opened again, as the app's Reconnect does.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

use crate::{
    session::Session,
    stats::{Outcome, Stats},
};

/// How often a terminal types, and how long it waits for its echo.
const TYPE_EVERY: Duration = Duration::from_secs(2);
const ECHO_WITHIN: Duration = Duration::from_secs(10);

/// What all terminals did, together.
#[derive(Default)]
pub struct TerminalCounts {
    pub echoes: AtomicU64,
    pub missed_echoes: AtomicU64,
    pub reconnects: AtomicU64,
    /// Sum and count of echo round trips, in microseconds.
    pub echo_micros: AtomicU64,
    /// The most echoes one terminal missed in a row.
    pub longest_miss_run: AtomicU64,
    /// Terminals whose last three echoes or more were all missed when the run ended.
    pub stuck_at_end: AtomicU64,
}

/// Runs terminal `index` into `pod` until `stop` says so; then closes its socket.
pub async fn run(
    session: Session,
    namespace: String,
    pod: String,
    index: usize,
    counts: Arc<TerminalCounts>,
    stats: Stats,
    stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut typed = 0u64;
    let mut misses_in_a_row = 0u64;
    let mut first = true;
    while !*stop.borrow() {
        if !first {
            counts.reconnects.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        first = false;
        let path = format!(
            "/api/terminal/namespaces/{namespace}/pods/{pod}?csrf={}&shell=sh",
            session.csrf
        );
        let url = format!("{}{path}", session.base.replacen("http", "ws", 1));
        let Ok(mut request) = url.into_client_request() else {
            return;
        };
        let headers = request.headers_mut();
        let (Ok(cookie), Ok(origin)) = (session.cookie.parse(), session.base.parse()) else {
            return;
        };
        headers.insert("cookie", cookie);
        headers.insert("origin", origin);
        let mut socket = match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => {
                stats.count("terminal-open", Outcome::Ok);
                socket
            }
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                let body = response.body().as_deref().unwrap_or_default();
                stats.count(
                    "terminal-open",
                    Outcome::of_error(response.status().as_u16(), body),
                );
                continue;
            }
            Err(_) => {
                stats.count("terminal-open", Outcome::Network);
                continue;
            }
        };
        let mut stop = stop.clone();
        // Type, then read until the marker comes back or the socket goes.
        'typing: loop {
            typed += 1;
            let marker = format!("soak-{index}-{typed}");
            let sent = Instant::now();
            let keys = format!("echo {marker}\r").into_bytes();
            if socket.send(Message::Binary(keys.into())).await.is_err() {
                break;
            }
            let mut seen = Vec::new();
            let deadline = tokio::time::sleep(ECHO_WITHIN);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    message = socket.next() => match message {
                        Some(Ok(Message::Binary(bytes))) => {
                            seen.extend_from_slice(&bytes);
                            // The echo of the typed line, then the shell's answer: twice.
                            if count(&seen, marker.as_bytes()) >= 2 {
                                counts.echoes.fetch_add(1, Ordering::Relaxed);
                                let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                                counts.echo_micros.fetch_add(micros, Ordering::Relaxed);
                                misses_in_a_row = 0;
                                break;
                            }
                        }
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break 'typing,
                        Some(Ok(_)) => {}
                    },
                    _ = &mut deadline => {
                        counts.missed_echoes.fetch_add(1, Ordering::Relaxed);
                        misses_in_a_row += 1;
                        counts.longest_miss_run.fetch_max(misses_in_a_row, Ordering::Relaxed);
                        break;
                    }
                    _ = stop.changed() => break 'typing,
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(TYPE_EVERY) => {}
                _ = stop.changed() => break 'typing,
            }
        }
        let _ = socket.close(None).await;
    }
    if misses_in_a_row >= 3 {
        counts.stuck_at_end.fetch_add(1, Ordering::Relaxed);
    }
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|window| *window == needle)
        .count()
}
