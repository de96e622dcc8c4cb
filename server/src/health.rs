//! Liveness and readiness probes for a load balancer or the kubelet.

use std::time::Duration;

use axum::{Router, extract::State, http::StatusCode, routing::get};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
}

/// Ready only while the apiserver answers its own readiness check: without it the console
/// can show nothing, so traffic is better sent to a replica that can.
async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let request = http::Request::get("/readyz")
        .body(Vec::new())
        .expect("static request is valid");
    let check = tokio::time::timeout(Duration::from_secs(3), state.kube.request_text(request));
    match check.await {
        Ok(Ok(_)) => (StatusCode::OK, "ok".to_owned()),
        Ok(Err(error)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the Kubernetes API is not ready: {error}"),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the Kubernetes API did not answer within 3 seconds".to_owned(),
        ),
    }
}
