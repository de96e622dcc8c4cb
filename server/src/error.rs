//! The one error type of the API routes, and how each case reaches the browser.

use axum::{
    Json,
    extract::{rejection::QueryRejection, ws::rejection::WebSocketUpgradeRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use console_model::wire::{ErrorBody, Reason};

/// An API failure, named so the app can explain it in the user's language.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The apiserver answered with an error status (403, 404, 409, 422...).
    #[error("{operation}: {message}")]
    Kubernetes {
        operation: String,
        status: u16,
        reason: String,
        message: String,
    },
    /// The console itself refused the request (no session, bad CSRF token, too many attempts).
    #[error("{message}")]
    Refused {
        status: StatusCode,
        reason: Reason,
        message: String,
    },
    /// The apiserver could not be reached or answered nonsense.
    #[error("{operation}: the Kubernetes API is unreachable: {source}")]
    Unreachable {
        operation: String,
        #[source]
        source: kube::Error,
    },
}

impl ApiError {
    pub fn refused(status: StatusCode, reason: Reason, message: impl Into<String>) -> Self {
        Self::Refused {
            status,
            reason,
            message: message.into(),
        }
    }

    /// A project, object or container name in a console route that Kubernetes would not allow
    /// (and that could change the API path it goes into).
    pub fn bad_names(object: &str) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadName,
            format!("the project, {object} or container is not a valid Kubernetes name"),
        )
    }

    /// Wraps a client error with what the server was trying to do.
    pub fn kube(operation: impl Into<String>, error: kube::Error) -> Self {
        let operation = operation.into();
        match error {
            kube::Error::Api(status) => Self::Kubernetes {
                operation,
                status: status.code,
                reason: status.reason.clone(),
                message: status.message.clone(),
            },
            source => Self::Unreachable { operation, source },
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Kubernetes { status, .. } => {
                StatusCode::from_u16(*status).unwrap_or(StatusCode::BAD_GATEWAY)
            }
            Self::Refused { status, .. } => *status,
            Self::Unreachable { .. } => StatusCode::BAD_GATEWAY,
        }
    }
}

/// A query string that does not read as the route's parameters.
impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadQuery,
            rejection.body_text(),
        )
    }
}

/// A plain request to a route that is only reached over a WebSocket.
impl From<WebSocketUpgradeRejection> for ApiError {
    fn from(_: WebSocketUpgradeRejection) -> Self {
        Self::refused(
            StatusCode::BAD_REQUEST,
            Reason::WebSocketRequired,
            "this route is reached over a WebSocket",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let reason = match &self {
            Self::Kubernetes { reason, .. } if !reason.is_empty() => Reason::from(reason.as_str()),
            Self::Kubernetes { .. } => Reason::Other("Unknown".to_owned()),
            Self::Refused { reason, .. } => reason.clone(),
            Self::Unreachable { .. } => Reason::Unreachable,
        };
        tracing::warn!(error = %self, %status, "API request failed");
        (
            status,
            Json(ErrorBody {
                reason,
                message: self.to_string(),
                ..ErrorBody::default()
            }),
        )
            .into_response()
    }
}
