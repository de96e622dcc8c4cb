//! The Kubernetes API proxy as an attacker would try it: the ordinary user `alice` may use the
//! `logging` project only, whatever headers, origins or tokens she adds.

mod support;

use std::time::Duration;

use futures::StreamExt;
use reqwest::Method;
use support::{Browser, Testbed, spawn_console, unique_name};

async fn alice() -> (Testbed, Browser) {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let alice = Browser::with_token(&base, testbed.var("USER_TOKEN")).await;
    (testbed, alice)
}

const MONITORING: &str = "/api/k8s/apis/apps/v1/namespaces/monitoring/daemonsets";
const LOGGING: &str = "/api/k8s/apis/apps/v1/namespaces/logging/daemonsets";

#[tokio::test]
async fn alice_reads_her_project_and_is_refused_every_other() {
    let (_, alice) = alice().await;
    assert_eq!(alice.get(LOGGING).await.status(), 200);
    assert_eq!(alice.get(MONITORING).await.status(), 403);
    assert_eq!(
        alice.get("/api/k8s/apis/apps/v1/daemonsets").await.status(),
        403
    );
    let forbidden: serde_json::Value = alice.get(MONITORING).await.json().await.unwrap();
    assert_eq!(
        forbidden["reason"], "Forbidden",
        "the apiserver's own refusal reaches the app"
    );
}

#[tokio::test]
async fn forged_authorization_and_impersonation_headers_are_dropped() {
    let (testbed, alice) = alice().await;
    let forged = alice
        .request(Method::GET, MONITORING)
        .header(
            "authorization",
            format!("Bearer {}", testbed.var("ADMIN_TOKEN")),
        )
        .header("impersonate-user", "admin")
        .header("impersonate-group", "system:masters")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

#[tokio::test]
async fn an_admin_token_in_a_request_without_a_session_gets_nothing() {
    let (testbed, alice) = alice().await;
    let response = reqwest::Client::new()
        .get(format!("{}{MONITORING}", alice.base))
        .header(
            "authorization",
            format!("Bearer {}", testbed.var("ADMIN_TOKEN")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// A small claim: something alice may create in her project through the console.
fn claim(name: &str) -> serde_json::Value {
    serde_json::json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Mi"}}}})
}

#[tokio::test]
async fn changes_need_a_same_origin_request_carrying_the_csrf_token() {
    let (_, alice) = alice().await;
    let path = "/api/k8s/api/v1/namespaces/logging/persistentvolumeclaims";
    let name = unique_name("csrf");

    let cross_origin = reqwest::Client::new()
        .post(format!("{}{path}", alice.base))
        .header("cookie", format!("console_session={}", alice.cookie))
        .header("origin", "http://evil.example")
        .header("x-csrf-token", &alice.csrf)
        .json(&claim(&name))
        .send()
        .await
        .unwrap();
    assert_eq!(cross_origin.status(), 403);
    assert_eq!(
        cross_origin.json::<serde_json::Value>().await.unwrap()["reason"],
        "CrossOrigin"
    );

    let second_origin = alice
        .request(Method::POST, path)
        .header("origin", "http://evil.example")
        .json(&claim(&name))
        .send()
        .await
        .unwrap();
    assert_eq!(
        second_origin.status(),
        403,
        "a forged second Origin header is not ignored"
    );

    let without_token = alice
        .request(Method::POST, path)
        .header("x-csrf-token", "guess")
        .json(&claim(&name))
        .send()
        .await
        .unwrap();
    assert_eq!(without_token.status(), 403);
    assert_eq!(
        without_token.json::<serde_json::Value>().await.unwrap()["reason"],
        "CsrfToken"
    );

    let own_page = alice
        .request(Method::POST, path)
        .json(&claim(&name))
        .send()
        .await
        .unwrap();
    assert_eq!(own_page.status(), 201);
    let delete = alice
        .request(Method::DELETE, &format!("{path}/{name}"))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 200);
}

#[tokio::test]
async fn alice_cannot_change_another_project_even_from_her_own_page() {
    let (_, alice) = alice().await;
    let response = alice
        .request(
            Method::POST,
            "/api/k8s/api/v1/namespaces/monitoring/persistentvolumeclaims",
        )
        .json(&claim(&unique_name("elsewhere")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_pod_may_be_deleted_where_rbac_allows_it_but_never_created_through_the_proxy() {
    let (_, alice) = alice().await;
    let missing = unique_name("gone");
    let in_logging = alice
        .request(
            Method::DELETE,
            &format!("/api/k8s/api/v1/namespaces/logging/pods/{missing}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(in_logging.status(), 404, "forwarded: the apiserver answers");
    let in_monitoring = alice
        .request(
            Method::DELETE,
            &format!("/api/k8s/api/v1/namespaces/monitoring/pods/{missing}"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(in_monitoring.status(), 403);
    let create = alice
        .request(Method::POST, "/api/k8s/api/v1/namespaces/logging/pods")
        .json(
            &serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": missing}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(create.status(), 405);
    assert_eq!(
        create.json::<serde_json::Value>().await.unwrap()["reason"],
        "MethodNotAllowed"
    );
}

#[tokio::test]
async fn oversized_bodies_and_non_api_paths_are_refused_before_the_apiserver() {
    let (_, alice) = alice().await;
    let huge = "x".repeat(4 * 1024 * 1024);
    let response = alice
        .request(
            Method::POST,
            "/api/k8s/api/v1/namespaces/logging/persistentvolumeclaims",
        )
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(alice.get("/api/k8s/healthz").await.status(), 404);
    let with_slash = alice
        .get("/api/k8s/api/v1/namespaces/logging/pods/x/proxy/")
        .await;
    assert_eq!(
        with_slash.status(),
        400,
        "an empty segment is not guessed at"
    );
    let proxy = alice
        .get("/api/k8s/api/v1/namespaces/logging/pods/x/proxy")
        .await;
    assert_eq!(proxy.status(), 403);
    assert_eq!(
        proxy.json::<serde_json::Value>().await.unwrap()["reason"],
        "ProxyRefused"
    );
}

#[tokio::test]
async fn a_watch_streams_events_as_they_happen() {
    let (_, alice) = alice().await;
    let response = alice
        .get(&format!("{LOGGING}?watch=1&timeoutSeconds=30"))
        .await;
    assert_eq!(response.status(), 200);
    let mut stream = response.bytes_stream();
    // The existing DaemonSets arrive as ADDED events while the response is still open.
    let first = tokio::time::timeout(Duration::from_secs(5), stream.next()).await;
    let chunk = first
        .expect("an event within 5 s")
        .expect("stream open")
        .unwrap();
    assert!(String::from_utf8_lossy(&chunk).contains("\"type\":\"ADDED\""));
}

#[tokio::test]
async fn a_watch_gzipped_by_the_console_still_streams_event_by_event() {
    let (_, alice) = alice().await;
    let response = alice
        .request(Method::GET, &format!("{LOGGING}?watch=1&timeoutSeconds=30"))
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-encoding"],
        "gzip",
        "the apiserver sends watches plain; the console compresses them"
    );
    let mut stream = response.bytes_stream();
    let mut unzipped = flate2::write::GzDecoder::new(Vec::new());
    // The ADDED events must come out of the decoder while the watch is still open.
    while !String::from_utf8_lossy(unzipped.get_ref()).contains("\"type\":\"ADDED\"") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next())
            .await
            .expect("an event within 5 s")
            .expect("stream open")
            .unwrap();
        std::io::Write::write_all(&mut unzipped, &chunk).unwrap();
        std::io::Write::flush(&mut unzipped).unwrap();
    }
}

#[tokio::test]
async fn the_access_endpoint_answers_what_alice_may_do() {
    let (_, alice) = alice().await;
    let checks = serde_json::json!({"checks": [
        {"verb": "delete", "group": "apps", "resource": "daemonsets", "namespace": "logging"},
        {"verb": "delete", "group": "apps", "resource": "daemonsets", "namespace": "monitoring"},
        {"verb": "create", "resource": "pods", "subresource": "exec", "namespace": "logging"},
    ]});
    let response = alice
        .request(Method::POST, "/api/access")
        .json(&checks)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: serde_json::Value = response.json().await.unwrap();
    assert_eq!(answer["allowed"], serde_json::json!([true, false, true]));
}

#[tokio::test]
async fn a_large_list_arrives_gzipped_as_the_apiserver_compressed_it() {
    let testbed = Testbed::from_env();
    let base = spawn_console(&testbed).await;
    let admin = Browser::with_token(&base, testbed.var("ADMIN_TOKEN")).await;
    let plain = admin.get("/api/k8s/api/v1/pods").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_size = plain.bytes().await.unwrap().len();
    let gzipped = admin
        .request(Method::GET, "/api/k8s/api/v1/pods")
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["vary"], "Accept-Encoding");
    let bytes = gzipped.bytes().await.unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(
        bytes.len() * 3 < plain_size,
        "{} bytes gzipped against {plain_size} plain",
        bytes.len()
    );
}
