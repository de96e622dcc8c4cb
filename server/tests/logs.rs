//! The DaemonSet-wide log view against the real testbed: kwok serves each pod's log from a file
//! that the test appends CRI lines to, and the console must merge them by time, label them by
//! node, and pick up pods that start while the view is open.

mod support;

use std::{
    io::Write,
    path::PathBuf,
    time::{Duration, Instant},
};

use futures::StreamExt;
use k8s_openapi::api::{apps::v1::DaemonSet, core::v1::Pod};
use kube::{
    Api,
    api::{ListParams, Patch, PatchParams, PostParams},
};
use serde_json::{Value, json};
use support::{Browser, Testbed, create_project, delete_project, spawn_console, unique_name};
use tokio::sync::mpsc;

const CONTAINER: &str = "app";

/// One test at a time in this file: one of them counts this process's connections to the
/// apiserver, which the others' would blur.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
const IMAGE: &str = "busybox:1.36.1";

/// A DaemonSet on the zone-a workers (kwok-worker-1 and -2). `OnDelete`, so widening its node
/// selector later adds a pod without replacing these.
fn daemonset(name: &str) -> DaemonSet {
    serde_json::from_value(json!({
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "updateStrategy": {"type": "OnDelete"},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "nodeSelector": {"role": "worker", "topology.kubernetes.io/zone": "zone-a"},
                    "containers": [{"name": CONTAINER, "image": IMAGE}]
                }
            }
        }
    }))
    .unwrap()
}

/// A pod of the DaemonSet as the test needs it: its name, node and log file.
#[derive(Clone, Debug)]
struct PodLog {
    name: String,
    node: String,
    file: PathBuf,
}

impl PodLog {
    /// Appends one CRI line stamped now, as the container runtime would.
    fn append(&self, text: &str) -> Instant {
        self.append_at(jiff::Timestamp::now(), text)
    }

    fn append_at(&self, time: jiff::Timestamp, text: &str) -> Instant {
        let line = format!("{time} stdout F {text}\n");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.file)
            .unwrap();
        file.write_all(line.as_bytes()).unwrap();
        Instant::now()
    }
}

/// Waits until `count` pods match `ready` and kwok serves each from its own log file (the
/// testbed's podlogs watcher writes the file once the pod's log rule is in place).
async fn wait_for_pods(
    testbed: &Testbed,
    pods: &Api<Pod>,
    app: &str,
    count: usize,
    ready: impl Fn(&Pod) -> bool,
) -> Vec<PodLog> {
    let log_dir = PathBuf::from(testbed.var("KWOK_LOG_DIR"));
    for _ in 0..300 {
        let list = pods
            .list(&ListParams::default().labels(&format!("app={app}")))
            .await
            .unwrap();
        let found: Vec<PodLog> = list
            .items
            .iter()
            .filter(|pod| ready(pod))
            .filter_map(|pod| {
                let namespace = pod.metadata.namespace.clone()?;
                let name = pod.metadata.name.clone()?;
                let node = pod.spec.as_ref()?.node_name.clone()?;
                let file = log_dir.join(&namespace).join(&name).join("app.log");
                file.exists().then_some(PodLog { name, node, file })
            })
            .collect();
        if found.len() == count {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{count} pods of {app} were not ready with their log files within 30 s");
}

fn phase(pod: &Pod) -> Option<&str> {
    pod.status.as_ref()?.phase.as_deref()
}

/// The response as the app reads it: one JSON object per line, with when it arrived.
struct LogView {
    received: mpsc::UnboundedReceiver<(Instant, Value)>,
    lines: Vec<(Instant, Value)>,
    reader: tokio::task::JoinHandle<()>,
}

/// Closing the view closes the response, as leaving the page does.
impl Drop for LogView {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl LogView {
    async fn open(browser: &Browser, path: &str) -> LogView {
        Self::read(browser.get(path).await, path, false)
    }

    /// As a browser asks for it: gzipped, and the lines read as they come out of the decoder.
    async fn open_gzipped(browser: &Browser, path: &str) -> LogView {
        let response = browser
            .request(reqwest::Method::GET, path)
            .header("accept-encoding", "gzip, deflate, br")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], "gzip", "{path}");
        Self::read(response, path, true)
    }

    fn read(response: reqwest::Response, path: &str, gzipped: bool) -> LogView {
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/x-ndjson",
            "{path}"
        );
        let (sender, received) = mpsc::unbounded_channel();
        let mut body = response.bytes_stream();
        let reader = tokio::spawn(async move {
            let mut partial = Vec::new();
            let mut unzipped = flate2::write::GzDecoder::new(Vec::new());
            while let Some(Ok(chunk)) = body.next().await {
                let now = Instant::now();
                if gzipped {
                    std::io::Write::write_all(&mut unzipped, &chunk).unwrap();
                    std::io::Write::flush(&mut unzipped).unwrap();
                    partial.append(unzipped.get_mut());
                } else {
                    partial.extend_from_slice(&chunk);
                }
                while let Some(end) = partial.iter().position(|&byte| byte == b'\n') {
                    let line: Vec<u8> = partial.drain(..=end).collect();
                    if line.len() > 1 {
                        let value = serde_json::from_slice(&line).expect("every line is JSON");
                        if sender.send((now, value)).is_err() {
                            return;
                        }
                    }
                }
            }
        });
        LogView {
            received,
            lines: Vec::new(),
            reader,
        }
    }

    /// Reads until `done` holds for the lines so far; false if `limit` passes first.
    async fn read_until(&mut self, limit: Duration, done: impl Fn(&LogView) -> bool) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        while !done(self) {
            match tokio::time::timeout_at(deadline, self.received.recv()).await {
                Ok(Some(line)) => self.lines.push(line),
                Ok(None) | Err(_) => return false,
            }
        }
        true
    }

    /// The line whose text is exactly `text`.
    fn find(&self, text: &str) -> Option<&(Instant, Value)> {
        self.lines.iter().find(|(_, line)| line["line"] == text)
    }

    fn texts(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|(_, line)| line["line"].as_str())
            .collect()
    }
}

#[tokio::test]
async fn every_pods_lines_arrive_merged_by_time_and_labelled_by_node() {
    let _alone = SERIAL.lock().await;
    let testbed = Testbed::from_env();
    let admin = testbed.admin_client().await;
    let project = unique_name("logs");
    create_project(&admin, &project).await;
    let name = "merged";
    let daemonsets: Api<DaemonSet> = Api::namespaced(admin.clone(), &project);
    daemonsets
        .create(&PostParams::default(), &daemonset(name))
        .await
        .unwrap();
    let pods: Api<Pod> = Api::namespaced(admin.clone(), &project);
    let first = wait_for_pods(&testbed, &pods, name, 2, |pod| {
        phase(pod) == Some("Running")
    })
    .await;

    let base = spawn_console(&testbed).await;
    let browser = Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await;
    let path = format!("/api/logs/namespaces/{project}/daemonsets/{name}?tailLines=1");
    let mut view = LogView::open(&browser, &path).await;

    // tailLines=1: of the testbed's three starter lines per pod, only the last one.
    let tails = view
        .read_until(Duration::from_secs(10), |view| {
            view.texts()
                .iter()
                .filter(|text| text.starts_with("testbed: append CRI lines"))
                .count()
                == 2
        })
        .await;
    assert!(tails, "the last line of each pod: {:?}", view.texts());

    let mut appended = Vec::new();
    for index in 0..10 {
        let pod = &first[index % 2];
        let text = format!("merge line {index}");
        appended.push((text.clone(), pod.clone(), pod.append(&text)));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    let all = view
        .read_until(Duration::from_secs(10), |view| {
            appended
                .iter()
                .all(|(text, _, _)| view.find(text).is_some())
        })
        .await;
    assert!(all, "every appended line arrives: {:?}", view.texts());
    let order: Vec<&str> = view
        .texts()
        .into_iter()
        .filter(|text| text.starts_with("merge line"))
        .collect();
    let expected: Vec<&str> = appended.iter().map(|(text, _, _)| text.as_str()).collect();
    assert_eq!(order, expected, "lines from both nodes interleave by time");
    for (text, pod, at) in &appended {
        let (arrived, line) = view.find(text).unwrap();
        assert_eq!(line["node"], pod.node.as_str(), "{text}");
        assert_eq!(line["pod"], pod.name.as_str(), "{text}");
        assert_eq!(line["container"], CONTAINER, "{text}");
        assert!(line["time"].as_str().unwrap().ends_with('Z'));
        let delay = arrived.duration_since(*at);
        assert!(delay < Duration::from_secs(1), "{text} took {delay:?}");
    }
    assert!(
        !view.texts().iter().any(|text| text.contains("started")),
        "tailLines kept the older starter lines out"
    );

    // Lines that reach the console out of time order (one node's, then a moment later the
    // other's) still come out in time order, as long as they arrive within the reorder window.
    let start = jiff::Timestamp::now();
    let stamp = |step: i64| start + jiff::SignedDuration::from_millis(10 * step);
    for step in [0, 2, 4, 6] {
        first[0].append_at(stamp(step), &format!("reordered {step}"));
    }
    // Longer than the console's send interval, shorter than its reorder window.
    tokio::time::sleep(Duration::from_millis(120)).await;
    for step in [1, 3, 5, 7] {
        first[1].append_at(stamp(step), &format!("reordered {step}"));
    }
    let all = view
        .read_until(Duration::from_secs(5), |view| {
            view.texts()
                .iter()
                .filter(|text| text.starts_with("reordered"))
                .count()
                == 8
        })
        .await;
    assert!(all, "{:?}", view.texts());
    let order: Vec<&str> = view
        .texts()
        .into_iter()
        .filter(|text| text.starts_with("reordered"))
        .collect();
    let expected: Vec<String> = (0..8).map(|step| format!("reordered {step}")).collect();
    assert_eq!(order, expected, "merged by timestamp, not by arrival");

    // A pod that starts while the view is open: widen the selector to kwok-worker-3 with an
    // image that never starts, so the testbed gives the pod its log file before it runs (kwok
    // would otherwise serve its shared fallback log to a pod that runs at once), then fix it.
    let widen = json!({"spec": {"template": {"spec": {
        "nodeSelector": {"role": "worker", "topology.kubernetes.io/zone": null},
        "containers": [{"name": CONTAINER, "image": format!("{IMAGE}-broken")}]
    }}}});
    daemonsets
        .patch(name, &PatchParams::default(), &Patch::Strategic(&widen))
        .await
        .unwrap();
    let later = wait_for_pods(&testbed, &pods, name, 1, |pod| {
        phase(pod) == Some("Pending")
            && pod.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("kwok-worker-3")
    })
    .await
    .remove(0);
    assert!(
        first.iter().all(|pod| pod.name != later.name),
        "the first pods stay"
    );
    let fix = json!({"spec": {"containers": [{"name": CONTAINER, "image": IMAGE}]}});
    pods.patch(
        &later.name,
        &PatchParams::default(),
        &Patch::Strategic(&fix),
    )
    .await
    .unwrap();
    let started = format!(
        "testbed: container {CONTAINER} of pod {project}/{} started",
        later.name
    );
    let whole_log = view
        .read_until(Duration::from_secs(15), |view| {
            view.find(&started).is_some()
        })
        .await;
    assert!(
        whole_log,
        "a pod that starts later is followed from its first line: {:?}",
        view.texts()
    );
    let at = later.append("late pod line");
    let arrived = view
        .read_until(Duration::from_secs(5), |view| {
            view.find("late pod line").is_some()
        })
        .await;
    assert!(arrived, "{:?}", view.texts());
    let (when, line) = view.find("late pod line").unwrap();
    assert_eq!(line["node"], "kwok-worker-3");
    assert_eq!(line["pod"], later.name.as_str());
    assert!(when.duration_since(at) < Duration::from_secs(1));

    delete_project(&admin, &project).await;
}

#[tokio::test]
async fn alice_gets_no_merged_log_outside_her_project_nor_of_what_is_not_there() {
    let _alone = SERIAL.lock().await;
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let refused = alice
        .get("/api/logs/namespaces/monitoring/daemonsets/node-exporter")
        .await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["reason"], "Forbidden");

    let missing = alice
        .get("/api/logs/namespaces/logging/daemonsets/no-such-daemonset")
        .await;
    assert_eq!(missing.status(), 404);
    let no_container = alice
        .get("/api/logs/namespaces/logging/daemonsets/logrotate?container=nope")
        .await;
    assert_eq!(no_container.status(), 404);
    assert_eq!(
        no_container.json::<Value>().await.unwrap()["reason"],
        "ContainerNotFound"
    );
}

#[tokio::test]
async fn alice_reads_the_merged_log_of_her_own_project() {
    let _alone = SERIAL.lock().await;
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let path = "/api/logs/namespaces/logging/daemonsets/logrotate?tailLines=1";
    // Gzipped, as a browser asks for it: the lines still come as they are written.
    let mut view = LogView::open_gzipped(&alice, path).await;
    let nodes = view
        .read_until(Duration::from_secs(10), |view| {
            let mut nodes: Vec<&str> = view
                .lines
                .iter()
                .filter_map(|(_, line)| line["node"].as_str())
                .collect();
            nodes.sort();
            nodes.dedup();
            nodes.len() == 3
        })
        .await;
    assert!(
        nodes,
        "one line from each of logrotate's three nodes: {:?}",
        view.texts()
    );
}

#[tokio::test]
async fn bad_parameters_are_refused_before_streaming() {
    let _alone = SERIAL.lock().await;
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let response = alice
        .get("/api/logs/namespaces/logging/daemonsets/logrotate?tailLines=-1")
        .await;
    assert_eq!(response.status(), 400);
    let response = alice
        .get("/api/logs/namespaces/logging/daemonsets/logrotate?sinceSeconds=soon")
        .await;
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap()["reason"],
        "BadQuery"
    );
}

/// This process's open connections to the apiserver.
fn apiserver_connections(testbed: &Testbed) -> usize {
    let port = testbed
        .var("APISERVER")
        .rsplit(':')
        .next()
        .unwrap()
        .to_owned();
    let peer = format!("127.0.0.1:{port} ");
    let process = format!("pid={},", std::process::id());
    let sockets = std::process::Command::new("ss")
        .args(["-tnp", "state", "established"])
        .output()
        .expect("ss (iproute2) is installed");
    String::from_utf8_lossy(&sockets.stdout)
        .lines()
        .filter(|line| line.contains(&process) && line.contains(&peer))
        .count()
}

#[tokio::test]
async fn leaving_the_view_stops_following_every_pod() {
    let _alone = SERIAL.lock().await;
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let mut view = LogView::open(&alice, "/api/logs/namespaces/logging/daemonsets/logrotate").await;
    let following = view
        .read_until(Duration::from_secs(10), |view| {
            view.lines
                .iter()
                .filter(|(_, line)| {
                    line["line"]
                        .as_str()
                        .is_some_and(|l| l.starts_with("testbed: append"))
                })
                .count()
                == 3
        })
        .await;
    assert!(following, "{:?}", view.texts());
    // Three followed logs and the watch on the DaemonSet's pods.
    let open = apiserver_connections(&testbed);
    assert!(open >= 4, "{open} connections while following");
    drop(view);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut now_open = open;
    while Instant::now() < deadline && open - now_open < 4 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        now_open = apiserver_connections(&testbed);
    }
    assert!(
        open - now_open >= 4,
        "{open} connections while following, still {now_open} 5 s after the client left"
    );
}
