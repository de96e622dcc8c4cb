//! The DaemonSet console's server: it serves the app, signs users in, and answers the app's
//! API calls by talking to Kubernetes as the signed-in user.
//!
//! One module per concern; `main.rs` only wires them together.

pub mod access;
pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod health;
pub mod kubernetes;
pub mod logs;
pub mod proxy;
pub mod security_headers;
pub mod site;
pub mod terminal;

use std::{net::SocketAddr, sync::Arc};

use axum::Router;

/// What every handler may need. Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    /// The server's own client: health checks and listing namespaces for the project picker.
    pub kube: kube::Client,
    /// Clients that act as signed-in users.
    pub users: auth::UserClients,
    pub auth: Arc<auth::AuthSettings>,
    pub projects: api::ProjectsCache,
}

/// The whole HTTP surface: API, health probes, then the app for every other path.
pub fn router(state: AppState, site_dir: &std::path::Path) -> Router {
    let routes = Router::new()
        .nest("/api", api::router(state.clone()))
        .merge(health::router())
        .with_state(state)
        .merge(site::router(site_dir));
    security_headers::apply(routes).layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Serves `app` until `shutdown` resolves, telling handlers each client's address (sign-in
/// attempts are limited per address).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
