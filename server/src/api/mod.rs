//! The typed JSON API the app calls. Unknown `/api/...` paths answer 404 in JSON rather than
//! falling through to the app's index page.

mod daemonsets;

use axum::{Json, Router, http::StatusCode, routing::get};
use serde_json::json;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/daemonsets", get(daemonsets::list_all))
        .route(
            "/namespaces/{namespace}/daemonsets",
            get(daemonsets::list_in_namespace),
        )
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                Json(json!({"reason": "NotFound", "message": "no such API route"})),
            )
        })
}
