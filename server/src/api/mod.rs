//! The JSON API the app calls. Everything but signing in needs a session; unknown `/api/...`
//! paths answer 404 in JSON rather than falling through to the app's index page.

mod projects;

pub use projects::ProjectsCache;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::StatusCode,
    middleware,
    routing::{any, get, post},
};
use console_model::wire::Reason;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::{AppState, auth, error::ApiError, logs, proxy, terminal};

/// A sign-in form is a name and a password, or a token: a few KiB at most.
const SIGN_IN_BODY_BYTES: usize = 16 * 1024;

pub fn router(state: AppState) -> Router<AppState> {
    let signed_in = Router::new()
        .route(
            "/session",
            get(auth::routes::current).delete(auth::routes::sign_out),
        )
        .route("/projects", get(projects::list))
        .route("/access", post(projects::access))
        .route(
            "/terminal/namespaces/{namespace}/pods/{pod}",
            get(terminal::open),
        )
        .route(
            "/logs/namespaces/{namespace}/daemonsets/{name}",
            get(logs::daemonset),
        )
        .route("/k8s", any(proxy::forward))
        .route("/k8s/{*path}", any(proxy::forward))
        .route_layer(middleware::from_fn_with_state(state, auth::require_session));
    Router::new()
        .route(
            "/session",
            post(auth::routes::sign_in).layer(
                tower::ServiceBuilder::new()
                    .layer(DefaultBodyLimit::max(SIGN_IN_BODY_BYTES))
                    .layer(RequestBodyTimeoutLayer::new(proxy::BODY_TIME_LIMIT)),
            ),
        )
        .merge(signed_in)
        .fallback(|| async {
            ApiError::refused(StatusCode::NOT_FOUND, Reason::NotFound, "no such API route")
        })
}
