//! The typed client for the console server's API. Pages call these functions and never build
//! URLs or parse error bodies themselves.

use console_model::DaemonSetRow;
use gloo_net::http::{Request, Response};
use serde::{Deserialize, de::DeserializeOwned};

use crate::i18n::Msg;

/// Why a call failed, kept so the page can say it in the user's language with the detail.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server answered with an error status and the Kubernetes reason.
    Server {
        status: u16,
        reason: String,
        message: String,
    },
    /// The server could not be reached or its answer could not be read.
    Network(String),
}

impl ApiError {
    /// The sentence that tells the user what happened and what to do.
    pub fn summary(&self) -> Msg {
        match self {
            ApiError::Server { status: 403, .. } => Msg::ErrorForbidden,
            ApiError::Server { status: 404, .. } => Msg::ErrorNotFound,
            ApiError::Server { reason, .. } if reason == "Unreachable" => Msg::ErrorUnreachable,
            ApiError::Server { .. } => Msg::ErrorUnexpected,
            ApiError::Network(_) => Msg::ErrorNetwork,
        }
    }

    pub fn detail(&self) -> String {
        match self {
            ApiError::Server {
                status, message, ..
            } => format!("HTTP {status}: {message}"),
            ApiError::Network(message) => message.clone(),
        }
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    reason: String,
    message: String,
}

/// DaemonSets of one project, or of every project the user can see when `project` is `None`.
pub async fn list_daemonsets(project: Option<String>) -> Result<Vec<DaemonSetRow>, ApiError> {
    let url = match project {
        Some(project) => format!("/api/namespaces/{}/daemonsets", encode_segment(&project)),
        None => "/api/daemonsets".to_owned(),
    };
    get_json(&url).await
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    read_json(response).await
}

async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json()
            .await
            .map_err(|error| ApiError::Network(format!("unreadable answer: {error}")));
    }
    let text = response.text().await.unwrap_or_default();
    let body = serde_json::from_str::<ErrorBody>(&text).unwrap_or(ErrorBody {
        reason: String::new(),
        message: text,
    });
    Err(ApiError::Server {
        status,
        reason: body.reason,
        message: body.message,
    })
}

/// Project names are DNS labels, but a hand-typed URL may hold anything.
fn encode_segment(segment: &str) -> String {
    js_sys::encode_uri_component(segment).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, reason: &str) -> ApiError {
        ApiError::Server {
            status,
            reason: reason.into(),
            message: "detail".into(),
        }
    }

    #[test]
    fn each_failure_is_explained_by_what_the_user_can_do_about_it() {
        assert_eq!(server(403, "Forbidden").summary(), Msg::ErrorForbidden);
        assert_eq!(server(404, "NotFound").summary(), Msg::ErrorNotFound);
        assert_eq!(server(502, "Unreachable").summary(), Msg::ErrorUnreachable);
        assert_eq!(server(500, "InternalError").summary(), Msg::ErrorUnexpected);
        assert_eq!(
            ApiError::Network("reset".into()).summary(),
            Msg::ErrorNetwork
        );
    }

    #[test]
    fn the_detail_keeps_the_status_and_the_apiservers_words() {
        assert_eq!(server(403, "Forbidden").detail(), "HTTP 403: detail");
    }
}
