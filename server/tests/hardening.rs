//! The console's own promises, tried as an attacker would against the real testbed: what it
//! forwards, when sessions end, what counts as its origin, which configuration it refuses, and
//! how much work anyone can make it do. Each test is named for the attack it refuses.

mod support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::Method;
use support::{
    Browser, Testbed, account, accounts_file, auth_options, auth_settings, post_sign_in,
    spawn_console, spawn_console_with,
};

async fn alice() -> (Testbed, Browser) {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    (testbed, alice)
}

/// A console on the testbed with the testbed's admin credentials and these sign-in settings.
async fn console_with(testbed: &Testbed, settings: console_server::auth::AuthSettings) -> String {
    spawn_console_with(
        testbed.admin_config().await,
        std::path::Path::new("/nonexistent"),
        settings,
    )
    .await
}

async fn reason_of(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    (
        status,
        body["reason"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A GET with the path sent byte for byte as given (HTTP clients tidy `%2e%2e` away), with
/// alice's cookie; the status and the JSON `reason`.
async fn raw_get(browser: &Browser, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = browser.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nCookie: console_session={}\r\nConnection: close\r\n\r\n",
        browser.cookie
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer[9..12].parse().unwrap();
    let body = answer.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    let reason = body
        .find('{')
        .and_then(|start| {
            serde_json::from_str::<serde_json::Value>(
                body[start..].trim_end_matches(|c: char| c != '}'),
            )
            .ok()
        })
        .and_then(|json| json["reason"].as_str().map(str::to_owned))
        .unwrap_or_default();
    (status, reason)
}

#[tokio::test]
async fn percent_encoded_proxy_subresources_are_refused_before_the_apiserver() {
    let (_, alice) = alice().await;
    for (path, expected) in [
        ("/api/v1/nodes/kwok-node-0/%70roxy/metrics", "NotForwarded"),
        ("/api/v1/nodes/kwok-node-0/%70roxy", "ProxyRefused"),
        ("/api/v1/nodes/kwok-node-0%2Fproxy", "BadPath"),
        ("/api/v1/nodes/kwok-node-0%2fproxy%2fmetrics", "BadPath"),
        (
            "/api/v1/namespaces/logging/pods/p/proxy%2Fhealthz",
            "BadPath",
        ),
        ("/api/v1/namespaces/logging/pods/p/pro%78y", "ProxyRefused"),
        ("/api/v1/namespaces/logging/pods/p/%65xec", "ProxyRefused"),
        ("/api/v1/namespaces/logging/pods/p/attach", "ProxyRefused"),
        (
            "/api/v1/namespaces/logging/pods/p/portforward",
            "ProxyRefused",
        ),
        (
            "/api/v1/namespaces/logging/services/s:80/proxy",
            "NotForwarded",
        ),
        (
            "/api/v1/namespaces/logging/pods/%2e%2e/%2e%2e/nodes/n/proxy",
            "BadPath",
        ),
        ("/api/v1/namespaces/logging/pods/p%3Aproxy", "BadPath"),
    ] {
        let (status, reason) = raw_get(&alice, &format!("/api/k8s{path}")).await;
        assert_eq!(reason, expected, "{path} answered {status}");
        assert!((400..500).contains(&status), "{path} answered {status}");
    }
}

#[tokio::test]
async fn paths_and_methods_outside_the_allowlist_are_not_forwarded() {
    let (_, alice) = alice().await;
    for path in [
        "/api/k8s/api/v1/namespaces/logging/services",
        "/api/k8s/apis/rbac.authorization.k8s.io/v1/clusterroles",
        "/api/k8s/api/v1/namespaces/logging/serviceaccounts/default/token",
        "/api/k8s/healthz",
    ] {
        assert_eq!(
            reason_of(alice.get(path).await).await,
            (404, "NotForwarded".to_owned()),
            "{path}"
        );
    }
    let write_secret = alice
        .request(Method::POST, "/api/k8s/api/v1/namespaces/logging/secrets")
        .json(&serde_json::json!({"metadata": {"name": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reason_of(write_secret).await,
        (405, "MethodNotAllowed".to_owned())
    );
    // What the app does call still works, names re-encoded by the console.
    assert_eq!(
        alice
            .get("/api/k8s/apis/apps/v1/namespaces/logging/daemonsets/logrotate")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn made_up_http_methods_do_not_grow_the_metrics() {
    let base = spawn_console(&Testbed::from_env()).await;
    let http = reqwest::Client::new();
    for index in 0..40 {
        let method = Method::from_bytes(format!("MADEUP{index}").as_bytes()).unwrap();
        http.request(method, format!("{base}/healthz"))
            .send()
            .await
            .unwrap();
    }
    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!metrics.contains("MADEUP"), "{metrics}");
    assert!(metrics.contains(r#"method="other""#), "{metrics}");
}

/// Asks `browser`'s console who is signed in until it refuses, at most `limit`.
async fn refused_within(browser: &Browser, limit: Duration) -> Option<(u16, String)> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let response = browser.get("/api/session").await;
        if response.status() != 200 {
            return Some(reason_of(response).await);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    None
}

#[tokio::test]
async fn signing_out_on_one_replica_ends_a_copied_cookie_on_every_replica() {
    let testbed = Testbed::from_env();
    let first = spawn_console(&testbed).await;
    let second = spawn_console(&testbed).await;
    let alice = Browser::with_token(&first, testbed.var("USER_TOKEN")).await;
    let copied = alice.at(&second);
    assert_eq!(copied.get("/api/session").await.status(), 200);

    let signed_out = alice
        .request(Method::DELETE, "/api/session")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 204);
    assert_eq!(
        reason_of(alice.get("/api/session").await).await,
        (401, "SignedOut".to_owned()),
        "the replica that signed out refuses at once"
    );
    assert_eq!(
        refused_within(&copied, Duration::from_secs(10)).await,
        Some((401, "SignedOut".to_owned())),
        "the other replica refuses the copied cookie"
    );
    let restarted = spawn_console(&testbed).await;
    assert_eq!(
        reason_of(alice.at(&restarted).get("/api/session").await).await,
        (401, "SignedOut".to_owned()),
        "a replica started later knows the revocation before it serves"
    );
}

/// Reads a streaming response until it ends, at most `limit`; the text, and whether it ended.
async fn read_to_end(response: reqwest::Response, limit: Duration) -> (String, bool) {
    let mut stream = response.bytes_stream();
    let mut text = String::new();
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.next()).await {
            Err(_) => return (text, false),
            Ok(None) | Ok(Some(Err(_))) => return (text, true),
            Ok(Some(Ok(bytes))) => text.push_str(&String::from_utf8_lossy(&bytes)),
        }
    }
}

#[tokio::test]
async fn a_followed_log_and_a_watch_stop_when_the_session_is_signed_out() {
    let (_, alice) = alice().await;
    let log = alice
        .get("/api/logs/namespaces/logging/daemonsets/logrotate?tailLines=1")
        .await;
    assert_eq!(log.status(), 200);
    let watch = alice
        .get("/api/k8s/apis/apps/v1/namespaces/logging/daemonsets?watch=1&timeoutSeconds=300")
        .await;
    assert_eq!(watch.status(), 200);
    let pod_log = alice
        .get("/api/k8s/api/v1/namespaces/logging/pods?limit=1")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let pod = pod_log["items"][0]["metadata"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let followed = alice
        .get(&format!(
            "/api/k8s/api/v1/namespaces/logging/pods/{pod}/log?follow=true&tailLines=1"
        ))
        .await;
    assert_eq!(followed.status(), 200);

    let signed_out = alice
        .request(Method::DELETE, "/api/session")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 204);
    let limit = Duration::from_secs(30);
    let ((log_text, log_ended), (_, watch_ended), (_, followed_ended)) = tokio::join!(
        read_to_end(log, limit),
        read_to_end(watch, limit),
        read_to_end(followed, limit)
    );
    assert!(log_ended, "the merged log outlived the sign-out");
    assert!(watch_ended, "the watch outlived the sign-out");
    assert!(followed_ended, "the followed pod log outlived the sign-out");
    let last: serde_json::Value = serde_json::from_str(
        log_text
            .lines()
            .rfind(|line| !line.trim().is_empty())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["notice"], true, "{log_text}");
    assert!(
        last["line"].as_str().unwrap().contains("signed out"),
        "{log_text}"
    );
}

#[tokio::test]
async fn a_session_may_hold_only_so_many_merged_log_views() {
    let (_, alice) = alice().await;
    let path = "/api/logs/namespaces/logging/daemonsets/logrotate?tailLines=1";
    let mut open = Vec::new();
    for _ in 0..console_server::limits::MAX_LOG_VIEWS_PER_SESSION {
        let response = alice.get(path).await;
        assert_eq!(response.status(), 200);
        open.push(response);
    }
    assert_eq!(
        reason_of(alice.get(path).await).await,
        (429, "TooManyOpen".to_owned())
    );
    drop(open);
}

#[tokio::test]
async fn an_origin_with_another_scheme_is_not_same_origin() {
    let (_, alice) = alice().await;
    let host = alice.base.trim_start_matches("http://");
    let response = alice
        .http
        .post(format!(
            "{}/api/k8s/api/v1/namespaces/logging/persistentvolumeclaims",
            alice.base
        ))
        .header("cookie", format!("console_session={}", alice.cookie))
        .header("origin", format!("ftp://{host}"))
        .header("x-csrf-token", &alice.csrf)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(reason_of(response).await, (403, "CrossOrigin".to_owned()));
}

#[tokio::test]
async fn with_a_public_url_a_request_for_another_host_is_refused() {
    let testbed = Testbed::from_env();
    let mut options = auth_options(None);
    options.public_url = Some("https://console.example".to_owned());
    let base = console_with(&testbed, options.settings().unwrap()).await;
    let http = reqwest::Client::new();
    let wrong = http
        .get(format!("{base}/api/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(reason_of(wrong).await, (421, "WrongHost".to_owned()));
    let right = http
        .get(format!("{base}/api/session"))
        .header("host", "console.example")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 401, "the right host reaches the API");
    let probe = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(probe.status(), 200, "probes answer any host");
}

#[tokio::test]
async fn a_request_with_two_session_cookies_is_refused_not_served_by_the_first() {
    let (testbed, alice) = alice().await;
    let admin = Browser::with_token(&alice.base, testbed.var("ADMIN_TOKEN")).await;
    let response = alice
        .http
        .get(format!("{}/api/session", alice.base))
        .header(
            "cookie",
            format!(
                "console_session={}; console_session={}",
                admin.cookie, alice.cookie
            ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        reason_of(response).await,
        (400, "SeveralSessions".to_owned())
    );
}

#[test]
fn an_account_without_a_kubernetes_user_is_refused_at_start() {
    let file = accounts_file(&[("ghost", "a password", "", &[])]);
    let error = auth_options(Some(&file)).settings().err().unwrap();
    let message = format!("{error:#}");
    assert!(
        message.contains("line 2") && message.contains("ghost") && message.contains("own rights"),
        "{message}"
    );
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn removing_an_account_from_the_file_ends_its_sessions() {
    let testbed = Testbed::from_env();
    let file = accounts_file(&[
        ("ops", "first battery", "alice", &[]),
        ("keep", "second battery", "alice", &[]),
    ]);
    let base = console_with(&testbed, auth_settings(Some(&file))).await;
    let ops = Browser::sign_in(&base, account("ops", "first battery")).await;
    let keep = Browser::sign_in(&base, account("keep", "second battery")).await;
    // The file without ops' entry (the first four lines of the list); keep's stays as it was.
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let without_ops = format!("{}\n{}\n", lines[0], lines[5..].join("\n"));
    let edited = file.with_extension("new");
    std::fs::write(&edited, without_ops).unwrap();
    std::fs::rename(&edited, &file).unwrap();
    assert_eq!(
        refused_within(&ops, Duration::from_secs(10)).await,
        Some((401, "AccountChanged".to_owned()))
    );
    assert_eq!(
        keep.get("/api/session").await.status(),
        200,
        "an account that did not change keeps its session"
    );
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn wrong_passwords_for_one_name_are_limited_whatever_the_address() {
    let testbed = Testbed::from_env();
    let file = accounts_file(&[("ops", "right battery", "alice", &[])]);
    let mut options = auth_options(Some(&file));
    options.sign_in_failures_per_user_per_minute = 3;
    let base = console_with(&testbed, options.settings().unwrap()).await;
    for _ in 0..3 {
        let wrong = post_sign_in(&base, &account("ops", "guess")).await;
        assert_eq!(wrong.status(), 401);
    }
    let held_back = post_sign_in(&base, &account("ops", "right battery")).await;
    assert_eq!(
        reason_of(held_back).await,
        (429, "TooManyAttempts".to_owned()),
        "even the right password waits once the name is being guessed"
    );
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn a_flood_of_wrong_passwords_leaves_other_requests_served() {
    let testbed = Testbed::from_env();
    let file = accounts_file(&[("ops", "right battery", "alice", &[])]);
    let base = console_with(&testbed, auth_settings(Some(&file))).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    let flood = futures::future::join_all((0..40).map(|index| {
        let base = base.clone();
        async move {
            let guess = account(&format!("u{index}"), "guess");
            post_sign_in(&base, &guess).await.status().as_u16()
        }
    }));
    let meanwhile = async {
        let mut answered = Vec::new();
        for _ in 0..5 {
            answered.push(alice.get("/api/session").await.status().as_u16());
        }
        answered
    };
    let (flooded, answered) = tokio::join!(flood, meanwhile);
    assert!(
        flooded.iter().all(|status| [401, 503].contains(status)),
        "{flooded:?}"
    );
    assert_eq!(
        answered, [200; 5],
        "signed-in work goes on during the flood"
    );
    std::fs::remove_file(file).unwrap();
}

#[tokio::test]
async fn a_request_body_that_trickles_is_cut_off() {
    let (_, alice) = alice().await;
    let (sender, receiver) = futures::channel::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    let body = reqwest::Body::wrap_stream(receiver);
    let response = alice
        .request(
            Method::POST,
            "/api/k8s/api/v1/namespaces/logging/persistentvolumeclaims",
        )
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    drop(sender);
    assert_eq!(
        reason_of(response).await,
        (408, "RequestTimeout".to_owned())
    );
}

#[tokio::test]
async fn impersonated_calls_name_the_console_account_to_the_apiserver() {
    let testbed = Testbed::from_env();
    let identity = console_server::auth::Identity::Account {
        account: "ops".into(),
        username: "alice".into(),
        groups: vec![],
        password_tag: "tag".into(),
    };
    let clients = console_server::auth::UserClients::new(testbed.admin_config().await);
    let client = clients.client_for(&identity).unwrap();
    let review: k8s_openapi::api::authentication::v1::SelfSubjectReview =
        serde_json::from_value(serde_json::json!({
            "apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"
        }))
        .unwrap();
    let answer = kube::Api::all(client)
        .create(&Default::default(), &review)
        .await
        .unwrap();
    let user = answer.status.unwrap().user_info.unwrap();
    assert_eq!(user.username.as_deref(), Some("alice"));
    assert_eq!(
        user.extra.unwrap_or_default().get("console-account"),
        Some(&vec!["ops".to_owned()])
    );
}
