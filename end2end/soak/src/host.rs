//! What the console's processes cost, read from /proc by PID: resident memory, open file
//! descriptors and CPU per replica over time, and the shells kwok started for terminals.

use std::{path::Path, time::Duration};

/// One reading of one replica.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reading {
    /// The replica's process now: a restarted replica starts its CPU time again.
    pub pid: u32,
    pub rss_mib: f64,
    pub fds: usize,
    /// CPU time used since the start, in seconds.
    pub cpu_seconds: f64,
}

/// Kernel clock ticks per second, as `/proc/<pid>/stat` counts CPU time (Linux: 100).
const TICKS_PER_SECOND: f64 = 100.0;

/// Reads the process whose PID `pid_file` holds (it changes when a replica is restarted).
pub fn read(pid_file: &Path) -> Option<Reading> {
    let pid: u32 = std::fs::read_to_string(pid_file)
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss_kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(Reading {
        pid,
        rss_mib: rss_kib / 1024.0,
        fds,
        cpu_seconds: ticks / TICKS_PER_SECOND,
    })
}

/// PIDs of the shells kwok runs for terminals (they carry `TESTBED_EXEC=1` and work in the
/// testbed's exec dir), and of whatever they started.
pub fn shells(exec_dir: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cwd = std::fs::read_link(format!("/proc/{pid}/cwd"));
            let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
            cwd.is_ok_and(|cwd| cwd == exec_dir)
                && environ
                    .split(|byte| *byte == 0)
                    .any(|var| var == b"TESTBED_EXEC=1")
        })
        .collect()
}

/// Waits up to `within` for every shell to be gone; the PIDs still there after it.
pub async fn shells_left(exec_dir: &Path, within: Duration) -> Vec<u32> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = shells(exec_dir);
        if left.is_empty() || tokio::time::Instant::now() >= deadline {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
