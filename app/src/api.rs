//! The typed client for the console server's API. Pages call these functions and never build
//! URLs or parse error bodies themselves.

use std::cell::RefCell;

use console_model::wire::{AccessAnswer, AccessRequest, ErrorBody, Reason};
pub use console_model::wire::{AccessCheck, Cause, Credentials, Projects, SessionInfo};
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

use crate::i18n::Msg;

/// Why a call failed, kept so the page can say it in the user's language with the detail.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server answered with an error status and the Kubernetes reason.
    Server {
        status: u16,
        reason: Reason,
        message: String,
        /// The fields the apiserver found wrong, when it says (422 Invalid).
        causes: Vec<Cause>,
    },
    /// The server could not be reached or its answer could not be read.
    Network(String),
}

impl ApiError {
    /// The sentence that tells the user what happened and what to do.
    pub fn summary(&self) -> Msg {
        let (status, reason, message) = match self {
            ApiError::Server {
                status,
                reason,
                message,
                ..
            } => (*status, reason, message),
            ApiError::Network(_) => return Msg::ErrorNetwork,
        };
        match (status, reason) {
            (_, Reason::InvalidCredentials) => Msg::SignInWrongPassword,
            (_, Reason::InvalidToken) => Msg::SignInBadToken,
            (_, Reason::TooManyAttempts) => Msg::SignInTooMany,
            (_, Reason::Busy) => Msg::SignInBusy,
            (_, Reason::TooManyOpen) => Msg::TooManyOpen,
            (_, Reason::CsrfToken | Reason::CrossOrigin) => Msg::ErrorReload,
            (401, _) => Msg::SessionEnded,
            // Refusals the user can act on, though they come as 403 or 400: the project's
            // quota, and the cluster's own admission policies.
            _ if message.contains("exceeded quota") => Msg::ErrorQuota,
            _ if message.contains("admission webhook") && message.contains("denied") => {
                Msg::ErrorDeniedByPolicy
            }
            (403, _) => Msg::ErrorForbidden,
            (404, _) => Msg::ErrorNotFound,
            (_, Reason::Unreachable) => Msg::ErrorUnreachable,
            // The object itself was refused (it could not be decoded, or is invalid): the
            // user can fix it.
            (400 | 422, _) => Msg::ErrorInvalid,
            _ => Msg::ErrorUnexpected,
        }
    }

    /// The session is gone: the user must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, ApiError::Server { status: 401, .. })
    }

    /// The object changed since the `resourceVersion` the request carried (409 Conflict).
    pub fn is_conflict(&self) -> bool {
        matches!(self, ApiError::Server { status: 409, .. })
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

thread_local! {
    /// The session's CSRF token, added to every request that changes something.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The session's CSRF token, for requests that cannot carry headers (a WebSocket's query).
pub fn csrf_token() -> Option<String> {
    CSRF_TOKEN.with(|token| token.borrow().clone())
}

fn remember(info: SessionInfo) -> SessionInfo {
    CSRF_TOKEN.with(|token| *token.borrow_mut() = Some(info.csrf_token.clone()));
    info
}

pub async fn current_session() -> Result<SessionInfo, ApiError> {
    get_json("/api/session").await.map(remember)
}

pub async fn sign_in(credentials: Credentials) -> Result<SessionInfo, ApiError> {
    let request = Request::post("/api/session")
        .json(&credentials)
        .map_err(|error| ApiError::Network(error.to_string()))?;
    read_json(send(request).await?).await.map(remember)
}

pub async fn sign_out() -> Result<(), ApiError> {
    let response = send(changing(Method::DELETE, "/api/session").build()?).await?;
    CSRF_TOKEN.with(|token| token.borrow_mut().take());
    if response.ok() {
        Ok(())
    } else {
        read_json::<serde_json::Value>(response).await.map(drop)
    }
}

pub async fn projects() -> Result<Projects, ApiError> {
    get_json("/api/projects").await
}

/// Answers to `checks`, in order: what the controls on a page may offer.
pub async fn access(checks: Vec<AccessCheck>) -> Result<Vec<bool>, ApiError> {
    let request = changing(Method::POST, "/api/access").json(&AccessRequest { checks })?;
    read_json::<AccessAnswer>(send(request).await?)
        .await
        .map(|answer| answer.allowed)
}

/// A JSON merge patch through the proxy (`path` is a Kubernetes API path).
pub async fn merge_patch(path: &str, patch: &serde_json::Value) -> Result<(), ApiError> {
    patch_as(path, patch, "application/merge-patch+json").await
}

/// A strategic merge patch, the kind ControllerRevisions store (lists merge by key, and
/// `$patch: replace` replaces a whole template).
pub async fn strategic_patch(path: &str, patch: &serde_json::Value) -> Result<(), ApiError> {
    patch_as(path, patch, "application/strategic-merge-patch+json").await
}

async fn patch_as(
    path: &str,
    patch: &serde_json::Value,
    content_type: &str,
) -> Result<(), ApiError> {
    let request = changing(Method::PATCH, &format!("/api/k8s{path}"))
        .header("Content-Type", content_type)
        .body(patch.to_string())?;
    read_json::<serde_json::Value>(send(request).await?)
        .await
        .map(drop)
}

/// The object at `path` (a Kubernetes API path) as raw JSON, every field kept.
pub async fn get_raw(path: &str) -> Result<serde_json::Value, ApiError> {
    get(path).await
}

/// The object or list at `path` (a Kubernetes API path), read as `T`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    get_json(&format!("/api/k8s{path}")).await
}

/// Replaces the object at `path` with `object` (a PUT). The apiserver refuses it with 409
/// Conflict when `object`'s `metadata.resourceVersion` is no longer the current one. With
/// `dry_run` the apiserver validates and admits it without storing anything. Returns the object
/// as the apiserver stored (or would store) it.
pub async fn replace(
    path: &str,
    object: &serde_json::Value,
    dry_run: bool,
) -> Result<serde_json::Value, ApiError> {
    send_object(Method::PUT, path, object, dry_run).await
}

/// Creates `object` in the collection at `path` (a POST). With `dry_run` the apiserver checks
/// and admits it without storing anything. Returns the object as stored (or as it would be).
pub async fn create(
    path: &str,
    object: &serde_json::Value,
    dry_run: bool,
) -> Result<serde_json::Value, ApiError> {
    send_object(Method::POST, path, object, dry_run).await
}

async fn send_object(
    method: Method,
    path: &str,
    object: &serde_json::Value,
    dry_run: bool,
) -> Result<serde_json::Value, ApiError> {
    // Strict, as kubectl sends it: an unknown or duplicate field is refused rather than
    // dropped with a warning nobody sees.
    let query = if dry_run {
        "?dryRun=All&fieldValidation=Strict"
    } else {
        "?fieldValidation=Strict"
    };
    let request = changing(method, &format!("/api/k8s{path}{query}"))
        .header("Content-Type", "application/json")
        .body(object.to_string())?;
    read_json(send(request).await?).await
}

/// How a deleted DaemonSet's pods go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Propagation {
    /// The pods are deleted first; the DaemonSet goes when they are gone.
    PodsFirst,
    /// The pods keep running, no longer owned by anything.
    Orphan,
    /// The object goes at once, anything it owns after: how a single pod is deleted.
    Background,
}

/// Deletes the object at `path` through the proxy.
pub async fn delete(path: &str, propagation: Propagation) -> Result<(), ApiError> {
    let policy = match propagation {
        Propagation::PodsFirst => "Foreground",
        Propagation::Orphan => "Orphan",
        Propagation::Background => "Background",
    };
    let request = changing(Method::DELETE, &format!("/api/k8s{path}"))
        .json(&serde_json::json!({"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": policy}))?;
    read_json::<serde_json::Value>(send(request).await?)
        .await
        .map(drop)
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    read_json(send(Request::get(url).build()?).await?).await
}

/// A request that changes something: it carries the session's CSRF token.
fn changing(method: Method, url: &str) -> RequestBuilder {
    let builder = RequestBuilder::new(url).method(method);
    match csrf_token() {
        Some(token) => builder.header("X-CSRF-Token", &token),
        None => builder,
    }
}

async fn send(request: Request) -> Result<Response, ApiError> {
    request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))
}

impl From<gloo_net::Error> for ApiError {
    fn from(error: gloo_net::Error) -> Self {
        ApiError::Network(error.to_string())
    }
}

/// The body of a successful answer read as `T`, or the error an unsuccessful one carries.
/// Every answer is read from its bytes (`from_slice`), never from a `String`: one way of
/// reading keeps one copy of each type's deserializer in the app.
pub async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(read_error(response).await);
    }
    let body = response.binary().await?;
    serde_json::from_slice(&body)
        .map_err(|error| ApiError::Network(format!("unreadable answer: {error}")))
}

/// The error an unsuccessful answer carries: the console's `{reason, message}` or the
/// apiserver's `Status`, which has the same two fields.
pub async fn read_error(response: Response) -> ApiError {
    let status = response.status();
    let body = response.binary().await.unwrap_or_default();
    let body = serde_json::from_slice::<ErrorBody>(&body).unwrap_or_else(|_| ErrorBody {
        message: String::from_utf8_lossy(&body).into_owned(),
        ..ErrorBody::default()
    });
    ApiError::Server {
        status,
        reason: body.reason,
        message: body.message,
        causes: body.details.causes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(status: u16, reason: &str) -> ApiError {
        ApiError::Server {
            status,
            reason: reason.into(),
            message: "detail".into(),
            causes: Vec::new(),
        }
    }

    #[test]
    fn each_failure_is_explained_by_what_the_user_can_do_about_it() {
        assert_eq!(server(403, "Forbidden").summary(), Msg::ErrorForbidden);
        assert_eq!(server(404, "NotFound").summary(), Msg::ErrorNotFound);
        assert_eq!(server(502, "Unreachable").summary(), Msg::ErrorUnreachable);
        assert_eq!(server(500, "InternalError").summary(), Msg::ErrorUnexpected);
        assert_eq!(server(400, "BadRequest").summary(), Msg::ErrorInvalid);
        assert_eq!(server(422, "Invalid").summary(), Msg::ErrorInvalid);
    }

    #[test]
    fn a_quota_or_a_webhook_refusal_is_not_taken_for_missing_rights() {
        let refused = |status, message: &str| ApiError::Server {
            status,
            reason: "Forbidden".into(),
            message: message.into(),
            causes: Vec::new(),
        };
        assert_eq!(
            refused(
                403,
                "persistentvolumeclaims \"c\" is forbidden: exceeded quota: q, requested: \
                 persistentvolumeclaims=1"
            )
            .summary(),
            Msg::ErrorQuota
        );
        assert_eq!(
            refused(
                400,
                "admission webhook \"policy.example.com\" denied the request: no latest tags"
            )
            .summary(),
            Msg::ErrorDeniedByPolicy
        );
        assert_eq!(
            ApiError::Network("reset".into()).summary(),
            Msg::ErrorNetwork
        );
    }

    #[test]
    fn sign_in_refusals_say_which_credential_to_check() {
        assert_eq!(
            server(401, "InvalidCredentials").summary(),
            Msg::SignInWrongPassword
        );
        assert_eq!(server(401, "InvalidToken").summary(), Msg::SignInBadToken);
        assert_eq!(server(429, "TooManyAttempts").summary(), Msg::SignInTooMany);
        assert_eq!(server(401, "SessionExpired").summary(), Msg::SessionEnded);
        assert_eq!(server(401, "SignedOut").summary(), Msg::SessionEnded);
        assert_eq!(server(503, "Busy").summary(), Msg::SignInBusy);
        assert_eq!(server(429, "TooManyOpen").summary(), Msg::TooManyOpen);
        assert!(server(401, "SessionExpired").is_unauthorized());
    }

    #[test]
    fn the_detail_keeps_the_status_and_the_apiservers_words() {
        assert_eq!(server(403, "Forbidden").detail(), "HTTP 403: detail");
    }
}
