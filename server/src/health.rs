//! Liveness and readiness probes for a load balancer or the kubelet.

use std::{sync::atomic::Ordering, time::Duration};

use axum::{Router, extract::State, http::StatusCode, routing::get};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
}

/// Ready once the apiserver has answered its own readiness check and the list of signed-out
/// sessions has been read: before that the console can serve nobody (a wrong address or
/// credentials keep it out of the load balancer). A later outage of the apiserver is every
/// replica's at once, so it leaves them ready: taking them all out would only swap the console's
/// own "the cluster cannot be reached" for the load balancer's error page (the soak benchmark
/// measured exactly that). Callers are not signed in, so they learn ready or not and no more;
/// the reason goes to the log.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let synced = state.revocations.is_synced();
    if synced && state.reached_cluster.load(Ordering::Relaxed) {
        return (StatusCode::OK, "ok");
    }
    let request = http::Request::get("/readyz")
        .body(Vec::new())
        .expect("static request is valid");
    let check = tokio::time::timeout(Duration::from_secs(3), state.kube.request_text(request));
    let problem = match check.await {
        Ok(Ok(_)) => {
            state.reached_cluster.store(true, Ordering::Relaxed);
            if synced {
                return (StatusCode::OK, "ok");
            }
            "the list of signed-out sessions has not been read yet".to_owned()
        }
        Ok(Err(error)) => format!("the Kubernetes API is not ready: {error}"),
        Err(_) => "the Kubernetes API did not answer within 3 seconds".to_owned(),
    };
    tracing::warn!(%problem, "not ready");
    (StatusCode::SERVICE_UNAVAILABLE, "not ready")
}
