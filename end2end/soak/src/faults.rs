//! The faults the run is told about (soak.sh appends a line to the faults file as it causes
//! one: `apiserver`, `replica`, `bad-requests`, and `apiserver-back` once the apiserver answers
//! again, each with the Unix time in milliseconds), how long every list then takes to be live
//! and equal to the cluster again, and the burst of hostile requests, which the client sends
//! itself.

use std::{
    collections::BTreeMap,
    path::PathBuf,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use crate::{
    cluster::Kubectl,
    lists::SharedList,
    session::Session,
    stats::{Outcome, Stats},
};

/// How long a list may take to come back before the run says it did not.
const GIVE_UP_AFTER: Duration = Duration::from_secs(120);

/// What one fault cost.
#[derive(Clone, Debug)]
pub struct Recovery {
    pub fault: String,
    /// Seconds from the fault until every list was live and equal to the cluster; `None` if not
    /// within [`GIVE_UP_AFTER`].
    pub seconds: Option<f64>,
    /// Lists that were not equal to the cluster when the time ran out.
    pub mismatched: usize,
}

/// How many of `lists` are not live or differ from `truth`.
pub fn mismatched(lists: &[SharedList], truth: &BTreeMap<String, String>) -> usize {
    lists
        .iter()
        .filter(|list| {
            let shown = list.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            !shown.live || shown.items != *truth
        })
        .count()
}

/// One line of the faults file: what happened, and when.
#[derive(Clone, Debug)]
pub struct Fault {
    pub name: String,
    pub at: SystemTime,
}

/// Waits until every list is live and shows what the cluster has; the time counts from the
/// fault, not from when the client read of it.
pub async fn recovery(
    fault: &Fault,
    lists: &[SharedList],
    kubectl: &Kubectl,
    namespace: &str,
) -> Recovery {
    let since = || {
        SystemTime::now()
            .duration_since(fault.at)
            .unwrap_or_default()
    };
    let mut last = lists.len();
    while since() < GIVE_UP_AFTER {
        if let Ok(truth) = kubectl.truth(namespace).await {
            last = mismatched(lists, &truth);
            if last == 0 {
                return Recovery {
                    fault: fault.name.clone(),
                    seconds: Some(since().as_secs_f64()),
                    mismatched: 0,
                };
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Recovery {
        fault: fault.name.clone(),
        seconds: None,
        mismatched: last,
    }
}

/// The faults announced so far, read from the faults file (`name unix-ms` per line; a line
/// without a time took place when it is read).
pub fn announced(file: &PathBuf) -> Vec<Fault> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?.to_owned();
            let at = words
                .next()
                .and_then(|ms| ms.parse::<u64>().ok())
                .map_or_else(SystemTime::now, |ms| UNIX_EPOCH + Duration::from_millis(ms));
            Some(Fault { name, at })
        })
        .collect()
}

/// Garbage JSON, an oversized body, made-up and stolen-looking cookies, paths the proxy must
/// refuse: each must get a 4xx, never a 5xx, and the lists must not notice.
pub async fn bad_requests(session: &Session, stats: &Stats) {
    let http = &session.http;
    let base = &session.base;
    let oversized = "x".repeat(2 << 20);
    let sign_in = |body: String| {
        http.post(format!("{base}/api/session"))
            .header("origin", base)
            .header("content-type", "application/json")
            .body(body)
    };
    let mut requests = Vec::new();
    for _ in 0..100 {
        requests.push((
            "bad-json",
            sign_in("{\"kind\": \"account\", \"username\":".to_owned()),
        ));
    }
    for _ in 0..20 {
        requests.push(("bad-oversized", sign_in(oversized.clone())));
    }
    for n in 0..100 {
        requests.push((
            "bad-cookie",
            http.get(format!("{base}/api/k8s/apis/apps/v1/daemonsets"))
                .header("cookie", format!("__Host-console_session=forged-{n}"))
                .header("origin", base),
        ));
    }
    for path in [
        "/api/k8s/api/v1/namespaces/soak/services",
        "/api/k8s/api/v1/namespaces/soak/pods/x/exec",
        "/api/k8s/api/v1/namespaces/soak/pods/x/portforward",
        "/api/k8s/api/v1/nodes/x/proxy/",
    ] {
        for _ in 0..10 {
            requests.push(("bad-path", session.request(reqwest::Method::GET, path)));
        }
    }
    let sent = requests.into_iter().map(|(kind, request)| async move {
        let outcome = match request.send().await {
            Ok(response) => Outcome::of_status(response.status().as_u16()),
            Err(_) => Outcome::Network,
        };
        (kind, outcome)
    });
    for (kind, outcome) in futures::future::join_all(sent).await {
        stats.count(kind, outcome);
    }
}
