//! Ending a shell the browser left. Closing an exec stream does not end the process everywhere
//! (kwok leaves it running), so the shell announces its PID as its first output, and on hang-up
//! the console freezes it and kills it and its descendants, one PID at a time.

use std::time::Duration;

use kube::api::{AttachParams, AttachedProcess};
use tokio::{io::AsyncReadExt, time::timeout};

use super::Target;

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

/// Ends a shell the browser left: drops the exec connection, then kills the shell and its
/// descendants by PID in case the runtime leaves them running (kwok does: it never closes the
/// TTY of a dropped exec).
pub(super) async fn hang_up(
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

/// Finds the shell's PID announcement (`ESC ] 7757 ; console-pid=N BEL`) in its first output and
/// takes it out, holding back only bytes that may be the start of it.
#[derive(Debug, Default)]
pub(super) struct PidAnnouncement {
    pub(super) pid: Option<u32>,
    held: Vec<u8>,
    seen: usize,
    done: bool,
}

const ANNOUNCEMENT: &[u8] = b"\x1b]7757;console-pid=";
/// Stop looking after this much output: the announcement is the shell's first.
const ANNOUNCEMENT_WINDOW: usize = 64 * 1024;

impl PidAnnouncement {
    /// `chunk` as the browser should see it.
    pub(super) fn filter(&mut self, chunk: &[u8]) -> Vec<u8> {
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

    pub(super) fn gave_up(&self) -> bool {
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
}
