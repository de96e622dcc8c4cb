//! The load and fault client of `end2end/bench/soak.sh`: signs in many sessions that each keep a
//! DaemonSet list live, opens terminals that type and read their echo, follows merged logs fed at
//! a steady rate, keeps changing DaemonSets, and measures what each fault soak.sh causes costs.
//! It prints a report in Markdown (log lines lost among it) and exits non-zero when a
//! correctness goal fails (a 5xx, a list that differs from the cluster at the end or does not
//! come back after a fault, a shell left behind).

mod cluster;
mod faults;
mod host;
mod lists;
mod logs;
mod session;
mod stats;
mod terminals;

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    path::PathBuf,
    sync::{Arc, Mutex, atomic::Ordering},
    time::{Duration, Instant},
};

use anyhow::Context;
use clap::Parser;
use console_model::wire::Credentials;

use crate::{
    cluster::Kubectl,
    faults::Recovery,
    host::Reading,
    lists::SharedList,
    session::Session,
    stats::{Outcome, Stats},
    terminals::TerminalCounts,
};

#[derive(Parser)]
#[command(about = "Load and faults against the console, measured (see end2end/bench/soak.sh)")]
struct Args {
    /// The console, as users reach it (the load balancer).
    #[arg(long)]
    url: String,
    /// A Kubernetes token the sessions sign in with.
    #[arg(long, env = "SOAK_TOKEN", hide_env_values = true)]
    token: String,
    #[arg(long, default_value = "soak")]
    namespace: String,
    #[arg(long, default_value_t = 200)]
    sessions: usize,
    #[arg(long, default_value_t = 50)]
    terminals: usize,
    #[arg(long, default_value_t = 20)]
    logs: usize,
    /// How long the load runs, in seconds.
    #[arg(long, default_value_t = 600)]
    duration: u64,
    /// DaemonSets the writer changes (soak-0 … soak-N-1) and every list shows.
    #[arg(long, default_value_t = 20)]
    daemonsets: usize,
    #[arg(long, default_value_t = 500)]
    write_every_ms: u64,
    #[arg(long, default_value_t = 500)]
    log_every_ms: u64,
    #[arg(long, env = "KUBECTL")]
    kubectl: String,
    /// Where kwok reads each pod's log (`$KWOK_LOG_DIR`).
    #[arg(long, env = "KWOK_LOG_DIR")]
    log_dir: PathBuf,
    /// Where kwok runs terminal shells (`$KWOK_EXEC_DIR`).
    #[arg(long, env = "KWOK_EXEC_DIR")]
    exec_dir: PathBuf,
    /// A file holding a replica's PID (read again at each sample: restarts change it).
    #[arg(long = "replica-pid-file")]
    replica_pid_files: Vec<PathBuf>,
    /// The file soak.sh announces faults in, one per line.
    #[arg(long)]
    faults_file: PathBuf,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let stats = Stats::default();
    let kubectl = Kubectl {
        program: args.kubectl.clone(),
    };
    let http = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .context("http client")?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let (pause_tx, paused) = tokio::sync::watch::channel(false);
    let started = Instant::now();

    // Sessions, ten sign-ins at a time.
    let credentials = Credentials::Token {
        token: args.token.clone(),
    };
    let mut sessions = Vec::new();
    for batch in (0..args.sessions).collect::<Vec<_>>().chunks(10) {
        let signed = batch
            .iter()
            .map(|_| Session::sign_in(&http, &args.url, &credentials, &stats));
        for session in futures::future::join_all(signed).await {
            sessions.push(session.context("a session could not sign in")?);
        }
    }
    let sign_in_seconds = started.elapsed().as_secs_f64();

    let mut tasks = Vec::new();
    let lists: Vec<SharedList> = sessions.iter().map(|_| SharedList::default()).collect();
    for (session, list) in sessions.iter().zip(&lists) {
        tasks.push(tokio::spawn(lists::follow(
            session.clone(),
            args.namespace.clone(),
            Arc::clone(list),
            stats.clone(),
        )));
    }

    // Terminals, into the one shell DaemonSet's pod; each on a session of its own.
    let shell_pod = kubectl
        .pods(&args.namespace, "soak-shell")
        .await?
        .into_iter()
        .next()
        .context("no running soak-shell pod")?;
    let terminal_counts = Arc::new(TerminalCounts::default());
    let mut terminal_tasks = Vec::new();
    for (index, session) in sessions.iter().take(args.terminals).enumerate() {
        terminal_tasks.push(tokio::spawn(terminals::run(
            session.clone(),
            args.namespace.clone(),
            shell_pod.metadata.name.clone(),
            index,
            Arc::clone(&terminal_counts),
            stats.clone(),
            stop.clone(),
        )));
    }

    // Log views, one per log DaemonSet (one pod each), fed by an appender each.
    let mut written = Vec::new();
    let mut seen = Vec::new();
    for (index, session) in sessions.iter().rev().take(args.logs).enumerate() {
        let name = format!("soak-log-{index}");
        let pod = kubectl
            .pods(&args.namespace, &name)
            .await?
            .into_iter()
            .next()
            .with_context(|| format!("no running {name} pod"))?;
        let file = args
            .log_dir
            .join(&args.namespace)
            .join(&pod.metadata.name)
            .join("agent.log");
        let log = Arc::new(logs::Written::default());
        let view = Arc::new(Mutex::new(logs::Seen::default()));
        tasks.push(tokio::spawn(logs::follow(
            session.clone(),
            args.namespace.clone(),
            name,
            Arc::clone(&view),
            stats.clone(),
            stop.clone(),
        )));
        // The view's first request asks from now on: give it a moment before the first line.
        let every = Duration::from_millis(args.log_every_ms);
        let (log_for_task, stop_for_task) = (Arc::clone(&log), stop.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            logs::append(file, every, log_for_task, stop_for_task).await;
        }));
        written.push(log);
        seen.push(view);
    }

    let daemonsets: Vec<String> = (0..args.daemonsets).map(|n| format!("soak-{n}")).collect();
    {
        let (kubectl, namespace, stats, stop, paused) = (
            kubectl.clone(),
            args.namespace.clone(),
            stats.clone(),
            stop.clone(),
            paused.clone(),
        );
        let every = Duration::from_millis(args.write_every_ms);
        tasks.push(tokio::spawn(async move {
            kubectl
                .write(namespace, daemonsets, every, stats, stop, paused)
                .await
        }));
    }

    // The run: samples every 5 s, faults as soak.sh announces them.
    let mut samples: Vec<(f64, Vec<Option<Reading>>)> = Vec::new();
    let mut recoveries: Vec<Recovery> = Vec::new();
    let mut handled = 0;
    let end = started + Duration::from_secs(args.duration);
    let mut next_sample = Instant::now();
    while Instant::now() < end {
        if Instant::now() >= next_sample {
            let readings = args
                .replica_pid_files
                .iter()
                .map(|file| host::read(file))
                .collect();
            samples.push((started.elapsed().as_secs_f64(), readings));
            next_sample += Duration::from_secs(5);
        }
        let announced = faults::announced(&args.faults_file);
        for fault in announced.iter().skip(handled) {
            eprintln!(
                "[soak] {:>5.0} s: {}",
                started.elapsed().as_secs_f64(),
                fault.name
            );
            if fault.name == "bad-requests" {
                faults::bad_requests(&sessions[0], &stats).await;
            }
            let recovery = faults::recovery(fault, &lists, &kubectl, &args.namespace).await;
            eprintln!("[soak] {}: {:?}", fault.name, recovery.seconds);
            recoveries.push(recovery);
        }
        handled = announced.len();
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // The end: the writer rests, every list must equal the cluster; terminals close, their
    // shells must go; every line written before the end must have arrived once.
    let _ = pause_tx.send(true);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let truth = kubectl.truth(&args.namespace).await?;
    let final_mismatched = faults::mismatched(&lists, &truth);
    let lost: usize = written
        .iter()
        .zip(&seen)
        .map(|(written, seen)| {
            let seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let (Some(first), Some(last)) = (
                seen.numbers.first().copied(),
                written.last_before(Duration::from_secs(3)),
            ) else {
                return 0;
            };
            (first..=last).filter(|n| !seen.numbers.contains(n)).count()
        })
        .sum();
    let _ = stop_tx.send(true);
    for task in terminal_tasks {
        let _ = tokio::time::timeout(Duration::from_secs(15), task).await;
    }
    let shells_left = host::shells_left(&args.exec_dir, Duration::from_secs(10)).await;
    for task in &tasks {
        task.abort();
    }

    let report = Report {
        args: &args,
        sign_in_seconds,
        stats: stats.snapshot(),
        recoveries,
        final_mismatched,
        truth_size: truth.len(),
        terminal_counts: &terminal_counts,
        shells_left: shells_left.clone(),
        seen: &seen,
        lost,
        samples,
    };
    println!("{}", report.markdown());
    let checks = [
        ("no 5xx from the console", stats.server_errors() == 0),
        (
            "every list came back, live and equal to the cluster, after each fault",
            report.recoveries.iter().all(|r| r.seconds.is_some()),
        ),
        (
            "every list equal to the cluster at the end",
            final_mismatched == 0,
        ),
        ("no shell left behind", shells_left.is_empty()),
    ];
    for (check, passed) in &checks {
        println!("{} {check}", if *passed { "ok  " } else { "FAIL" });
    }
    let failed = checks.iter().filter(|(_, passed)| !passed).count();
    println!("{} passed, {failed} failed", checks.len() - failed);
    if failed > 0 {
        anyhow::bail!("{failed} correctness checks failed");
    }
    Ok(())
}

struct Report<'a> {
    args: &'a Args,
    sign_in_seconds: f64,
    stats: BTreeMap<(&'static str, Outcome), u64>,
    recoveries: Vec<Recovery>,
    final_mismatched: usize,
    truth_size: usize,
    terminal_counts: &'a TerminalCounts,
    shells_left: Vec<u32>,
    seen: &'a [Arc<Mutex<logs::Seen>>],
    lost: usize,
    samples: Vec<(f64, Vec<Option<Reading>>)>,
}

impl Report<'_> {
    fn markdown(&self) -> String {
        let a = self.args;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "### Soak: {} sessions, {} terminals, {} log views, {} s",
            a.sessions, a.terminals, a.logs, a.duration
        );
        let _ = writeln!(
            out,
            "\n{} DaemonSets changed every {} ms; log lines every {} ms per view; {} sessions signed in in {:.1} s.\n",
            a.daemonsets, a.write_every_ms, a.log_every_ms, a.sessions, self.sign_in_seconds
        );
        let _ = writeln!(
            out,
            "| requests | ok | 4xx | 5xx | 5xx: apiserver unreachable | no answer |\n| --- | --- | --- | --- | --- | --- |"
        );
        let mut kinds: Vec<&str> = self.stats.keys().map(|(kind, _)| *kind).collect();
        kinds.dedup();
        for kind in kinds {
            let sum = |pick: fn(&Outcome) -> bool| -> u64 {
                self.stats
                    .iter()
                    .filter(|((k, o), _)| *k == kind && pick(o))
                    .map(|(_, n)| n)
                    .sum()
            };
            let _ = writeln!(
                out,
                "| {kind} | {} | {} | {} | {} | {} |",
                sum(|o| *o == Outcome::Ok),
                sum(|o| matches!(o, Outcome::Refused(_))),
                sum(|o| matches!(o, Outcome::Failed(_))),
                sum(|o| matches!(o, Outcome::Unreachable(_))),
                sum(|o| *o == Outcome::Network)
            );
        }
        let statuses: Vec<String> = self
            .stats
            .iter()
            .filter_map(|((kind, outcome), n)| match outcome {
                Outcome::Failed(status) => Some(format!("{kind} {status} × {n}")),
                _ => None,
            })
            .collect();
        if !statuses.is_empty() {
            let _ = writeln!(out, "\n5xx: {}", statuses.join(", "));
        }
        let _ = writeln!(
            out,
            "\n| fault | every list live and equal to the cluster after | lists still unequal |\n| --- | --- | --- |"
        );
        for recovery in &self.recoveries {
            let seconds = recovery
                .seconds
                .map_or("not within 120 s".to_owned(), |s| format!("{s:.1} s"));
            let _ = writeln!(
                out,
                "| {} | {seconds} | {} |",
                recovery.fault, recovery.mismatched
            );
        }
        let counts = self.terminal_counts;
        let echoes = counts.echoes.load(Ordering::Relaxed);
        let mean_ms =
            counts.echo_micros.load(Ordering::Relaxed) as f64 / echoes.max(1) as f64 / 1000.0;
        let _ = writeln!(
            out,
            "\nAt the end: {} of {} lists unequal to `kubectl get daemonsets -o json` ({} DaemonSets).",
            self.final_mismatched, a.sessions, self.truth_size
        );
        let _ = writeln!(
            out,
            "Terminals: {echoes} echoes (mean {mean_ms:.0} ms), {} missed (at most {} in a row; {} terminals still missing at the end), {} reconnects; shells left behind: {} {:?}.",
            counts.missed_echoes.load(Ordering::Relaxed),
            counts.longest_miss_run.load(Ordering::Relaxed),
            counts.stuck_at_end.load(Ordering::Relaxed),
            counts.reconnects.load(Ordering::Relaxed),
            self.shells_left.len(),
            self.shells_left
        );
        let (mut received, mut doubled, mut resent, mut reconnects) = (0, 0, 0, 0);
        for seen in self.seen {
            let seen = seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            received += seen.numbers.len();
            doubled += seen.doubled;
            resent += seen.resent;
            reconnects += seen.reconnects;
        }
        let _ = writeln!(
            out,
            "Log views: {received} lines, {} lost, {doubled} doubled on one connection, {resent} sent again on {reconnects} reconnects (overlap, not shown twice).",
            self.lost
        );
        let _ = writeln!(
            out,
            "\n| s | {} |\n| --- |{}",
            (1..=a.replica_pid_files.len())
                .map(|n| format!("replica {n}: RSS MiB, fds, CPU %"))
                .collect::<Vec<_>>()
                .join(" | "),
            " --- |".repeat(a.replica_pid_files.len())
        );
        let mut previous: Vec<Option<(f64, Reading)>> = vec![None; a.replica_pid_files.len()];
        for (n, (at, readings)) in self.samples.iter().enumerate() {
            let cells: Vec<String> = readings
                .iter()
                .enumerate()
                .map(|(i, reading)| match reading {
                    Some(r) => {
                        let cpu = previous[i].filter(|(_, p)| p.pid == r.pid).map(|(t, p)| {
                            (r.cpu_seconds - p.cpu_seconds) / (at - t).max(0.001) * 100.0
                        });
                        previous[i] = Some((*at, *r));
                        format!(
                            "{:.0}, {}, {}",
                            r.rss_mib,
                            r.fds,
                            cpu.map_or("–".to_owned(), |c| format!("{c:.0}"))
                        )
                    }
                    None => {
                        previous[i] = None;
                        "down".to_owned()
                    }
                })
                .collect();
            // Every minute, and the last sample.
            if n % 12 == 0 || n + 1 == self.samples.len() {
                let _ = writeln!(out, "| {at:.0} | {} |", cells.join(" | "));
            }
        }
        out
    }
}
