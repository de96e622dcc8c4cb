//! Liveness and readiness probes for a load balancer or the kubelet.

use std::time::Duration;

use axum::{Router, extract::State, http::StatusCode, routing::get};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
}

/// Ready only while the apiserver answers its own readiness check and the list of signed-out
/// sessions has been read: without either the console can serve nobody, so traffic is better
/// sent to a replica that can. Callers are not signed in, so they learn ready or not and no
/// more; the reason goes to the log.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let request = http::Request::get("/readyz")
        .body(Vec::new())
        .expect("static request is valid");
    let check = tokio::time::timeout(Duration::from_secs(3), state.kube.request_text(request));
    let problem = match check.await {
        Ok(Ok(_)) if state.revocations.is_synced() => return (StatusCode::OK, "ok"),
        Ok(Ok(_)) => "the list of signed-out sessions has not been read yet".to_owned(),
        Ok(Err(error)) => format!("the Kubernetes API is not ready: {error}"),
        Err(_) => "the Kubernetes API did not answer within 3 seconds".to_owned(),
    };
    tracing::warn!(%problem, "not ready");
    (StatusCode::SERVICE_UNAVAILABLE, "not ready")
}
