//! Serving the built app, probes and error answers; none of these needs a cluster.

mod support;

use std::path::PathBuf;

use support::{auth_settings, spawn_console_without_cluster};

/// A minimal built site: index.html and one hashed asset with its brotli twin.
fn site_fixture() -> PathBuf {
    let dir = std::env::temp_dir().join(support::unique_name("console-site"));
    let assets = dir.join("assets/abc123");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    std::fs::write(assets.join("console.js"), "export default 1;").unwrap();
    std::fs::write(assets.join("console.js.br"), b"brotli bytes").unwrap();
    dir
}

async fn console() -> String {
    spawn_console_without_cluster(&site_fixture(), auth_settings(None)).await
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

#[tokio::test]
async fn hashed_assets_are_cached_forever_and_sent_precompressed() {
    let base = console().await;
    let response = client()
        .get(format!("{base}/assets/abc123/console.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli bytes");
}

#[tokio::test]
async fn deep_links_get_the_app_page_which_is_always_revalidated() {
    let base = console().await;
    let response = client()
        .get(format!("{base}/projects/logging/daemonsets"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("<title>console</title>")
    );
}

#[tokio::test]
async fn every_answer_forbids_framing_sniffing_and_referrers() {
    let base = console().await;
    for path in [
        "/",
        "/assets/abc123/console.js",
        "/api/k8s/apis/apps/v1/daemonsets",
        "/healthz",
    ] {
        let response = client().get(format!("{base}{path}")).send().await.unwrap();
        let headers = response.headers();
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_answer_404_in_json_instead_of_the_app_page() {
    let base = console().await;
    let response = client()
        .get(format!("{base}/api/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["reason"], "NotFound");
}

#[tokio::test]
async fn an_unreachable_apiserver_is_reported_as_such_and_makes_the_console_unready() {
    let base = console().await;
    let credentials = serde_json::json!({"kind": "token", "token": "abc"});
    let sign_in = support::post_sign_in(&base, &credentials).await;
    assert_eq!(sign_in.status(), 502);
    let body: serde_json::Value = sign_in.json().await.unwrap();
    assert_eq!(body["reason"], "Unreachable");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("check the token with the cluster"),
        "{message}"
    );

    let ready = client().get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(
        ready.text().await.unwrap(),
        "not ready",
        "callers who are not signed in learn nothing of the apiserver"
    );
    let health = client()
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status_without_user_paths() {
    let base = console().await;
    let http = client();
    http.get(format!("{base}/healthz")).send().await.unwrap();
    http.get(format!("{base}/projects/logging/daemonsets"))
        .send()
        .await
        .unwrap();
    http.get(format!("{base}/api/projects"))
        .send()
        .await
        .unwrap();
    let response = http.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    for line in [
        r#"console_http_requests_total{route="/healthz",method="GET",status="200"} 1"#,
        r#"console_http_requests_total{route="site",method="GET",status="200"} 1"#,
        r#"console_http_requests_total{route="/api/projects",method="GET",status="401"} 1"#,
        "console_terminal_sessions 0",
    ] {
        assert!(text.contains(line), "{line} missing from:\n{text}");
    }
    assert!(
        !text.contains("logging"),
        "a request's own path became a label:\n{text}"
    );
}
