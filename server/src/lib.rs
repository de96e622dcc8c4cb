//! The DaemonSet console's server: it serves the app and answers the app's API calls by talking
//! to Kubernetes.
//!
//! One module per concern; `main.rs` only wires them together.

pub mod api;
pub mod config;
pub mod error;
pub mod health;
pub mod kubernetes;
pub mod security_headers;
pub mod site;

use axum::Router;

/// What every handler may need. Cheap to clone: the client is reference-counted.
#[derive(Clone)]
pub struct AppState {
    pub kube: kube::Client,
}

/// The whole HTTP surface: API, health probes, then the app for every other path.
pub fn router(state: AppState, site_dir: &std::path::Path) -> Router {
    let routes = Router::new()
        .nest("/api", api::router())
        .merge(health::router())
        .with_state(state)
        .merge(site::router(site_dir));
    security_headers::apply(routes).layer(tower_http::trace::TraceLayer::new_for_http())
}
