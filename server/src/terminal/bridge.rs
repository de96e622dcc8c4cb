//! One terminal session from upgrade to hang-up: bytes both ways, control messages, pings, and
//! what the browser is told when it ends (the shell exited, the console is stopping, the user's
//! session ended).

use std::{future::pending, pin::pin, time::Duration};

use axum::{
    body::Bytes,
    extract::ws::{CloseFrame, Message, WebSocket, close_code},
};
use futures::{SinkExt, StreamExt, stream::SplitSink};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;
use kube::api::{AttachParams, TerminalSize};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    sync::mpsc,
    time::{Instant, interval_at, timeout},
};

use console_model::wire::{TerminalEvent, TerminalRequest};

use super::{
    Target, audit,
    hang_up::{PidAnnouncement, hang_up},
    sessions::Session,
};
use crate::auth::ending::Ended;

/// How often the server pings the browser, so idle proxies keep the connection open.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A browser that sent nothing (not even a pong) for this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
/// A browser that takes longer than this to accept a message has stopped reading.
const SEND_TIME_LIMIT: Duration = Duration::from_secs(30);
/// Close code (private range) when the user's session ended under the terminal.
const SESSION_ENDED_CLOSE_CODE: u16 = 4401;

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
pub(super) async fn bridge(
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
    let mut status = pin!(status);
    // The shell's status, once it came: its last output may still be on its way.
    let mut exit: Option<Option<Status>> = None;
    let ending = {
        let (mut output, mut input, mut writer) = (pin!(output), pin!(input), pin!(writer));
        let mut session_ended = pin!(session_ended);
        loop {
            tokio::select! {
                () = &mut output => break Ending::ShellEnded,
                ending = &mut input => break ending,
                () = &mut writer => break Ending::BrowserGone,
                () = session.stopping() => break Ending::ServerStopping,
                ended = &mut session_ended => break Ending::SessionEnded(ended),
                came = &mut status, if exit.is_none() => {
                    let lost = came.is_none();
                    exit = Some(came);
                    // No status at all: the exec stream broke (the apiserver restarted, say),
                    // and then kube never ends the shell's output either; the session ends here.
                    if lost {
                        break Ending::ShellEnded;
                    }
                }
            }
        }
    };

    let result = ending.describe();
    let status = async move {
        match exit {
            Some(exit) => exit,
            None => status.await,
        }
    };
    let exited = tell_browser(&mut sink, &mut queued, status, ending).await;
    if !exited {
        hang_up(&target, process, stdout, &mut announcement).await;
    }
    audit(&target, "close-terminal", result);
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

#[cfg(test)]
mod tests {
    use super::*;

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
