//! `/api/k8s/...`: the Kubernetes API, as the signed-in user, for the paths in `allowlist` only,
//! checked on the decoded path the apiserver will route (`path`) and forwarded re-encoded from
//! what was checked. Responses stream through unbuffered (watches, logs); request bodies are
//! capped in size and time. Answers the apiserver compressed pass through as they are; the rest,
//! watches among them, are gzipped here a chunk at a time. Only the headers a Kubernetes call
//! needs are forwarded, so a browser can never pass its own `Authorization`, `Cookie` or
//! `Impersonate-*` to the apiserver. Every call that changes something is audited.

use axum::{
    Extension,
    body::Body,
    extract::{Request, State},
    http::{HeaderName, Method, StatusCode, header},
    response::{IntoResponse, Response},
};

mod allowlist;
mod path;

use allowlist::{ApiTarget, Refusal};

use console_model::wire::Reason;
use futures::StreamExt;

use crate::{
    AppState,
    auth::{SignedIn, ending},
    error::ApiError,
    gzip,
};

/// The apiserver refuses bodies above about 3 MiB; refuse them here first.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

/// Request headers passed to the apiserver. Everything else is dropped.
const FORWARDED_REQUEST_HEADERS: [HeaderName; 2] = [header::ACCEPT, header::CONTENT_TYPE];
/// Response headers passed back to the browser. `Content-Encoding` because the compressed
/// bytes pass through as the apiserver sent them.
const FORWARDED_RESPONSE_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::CONTENT_ENCODING,
    header::WARNING,
    HeaderName::from_static("audit-id"),
];

/// How long a request body may take to arrive; a client that trickles one is cut off.
pub const BODY_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

pub async fn forward(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    // Nested under `/api`, so the router has already taken that part off.
    let raw_path = parts.uri.path().strip_prefix("/k8s").unwrap_or_default();
    let (segments, target) = match checked_path(&parts.method, raw_path) {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    if parts.headers.contains_key(header::UPGRADE) {
        return ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::UpgradeNotForwarded,
            "streams such as exec use the console's own routes",
        )
        .into_response();
    }
    let path = path::encode(&segments);
    let forwarded = match parts.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.clone(),
    };
    let body =
        match tokio::time::timeout(BODY_TIME_LIMIT, axum::body::to_bytes(body, MAX_BODY_BYTES))
            .await
        {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(_)) => {
                return ApiError::refused(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    Reason::RequestTooLarge,
                    format!(
                        "request bodies are limited to {} MiB",
                        MAX_BODY_BYTES / 1024 / 1024
                    ),
                )
                .into_response();
            }
            Err(_) => {
                return ApiError::refused(
                    StatusCode::REQUEST_TIMEOUT,
                    Reason::RequestTimeout,
                    format!(
                        "the request body did not arrive within {} s",
                        BODY_TIME_LIMIT.as_secs()
                    ),
                )
                .into_response();
            }
        };
    let mut outgoing = http::Request::builder()
        .method(parts.method.clone())
        .uri(&forwarded);
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(value) = parts.headers.get(&name) {
            outgoing = outgoing.header(name, value);
        }
    }
    // The apiserver gzips large answers (lists) when asked: a 5,000-DaemonSet list is a tenth
    // of its size on the wire. Watches and logs it sends as they come, uncompressed.
    let browser_takes_gzip = gzip::accepted(&parts.headers);
    if browser_takes_gzip {
        outgoing = outgoing.header(header::ACCEPT_ENCODING, "gzip");
    }
    let outgoing = outgoing
        .body(kube::client::Body::from(body.to_vec()))
        .expect("method and path came from a valid request");

    let session_ended = ending::ended(state, user.session.clone());
    let result = user.client.send(outgoing).await;
    let status = result
        .as_ref()
        .map_or(StatusCode::BAD_GATEWAY, |response| response.status());
    if is_mutating(&parts.method) {
        audit(&user, &parts.method, &target, status);
    }
    match result {
        Ok(response) => {
            let (upstream, body) = response.into_parts();
            let mut reply = Response::builder().status(upstream.status);
            for name in FORWARDED_RESPONSE_HEADERS {
                if let Some(value) = upstream.headers.get(&name) {
                    reply = reply.header(name, value);
                }
            }
            // A watch or a followed log stops when the session ends (sign-out, expiry).
            let body = Body::new(body).into_data_stream().take_until(session_ended);
            let gzip = (browser_takes_gzip
                && !upstream.headers.contains_key(header::CONTENT_ENCODING)
                && has_body(&parts.method, upstream.status))
            .then(gzip::Gzip::if_free)
            .flatten();
            if gzip.is_some() {
                reply = reply.header(header::CONTENT_ENCODING, "gzip");
            }
            reply
                .header(header::CACHE_CONTROL, "no-store")
                .header(header::VARY, "Accept-Encoding")
                .body(gzip::body(body, gzip))
                .expect("status and headers came from a valid response")
        }
        Err(error) => ApiError::kube(format!("{} {path}", parts.method), error).into_response(),
    }
}

/// The path as the apiserver will route it, when the allowlist lets it through.
fn checked_path(method: &Method, raw_path: &str) -> Result<(Vec<String>, ApiTarget), ApiError> {
    let segments = path::decode(raw_path).map_err(|error| {
        ApiError::refused(StatusCode::BAD_REQUEST, Reason::BadPath, error.to_string())
    })?;
    let target = allowlist::check(method, &segments).map_err(|refusal| {
        let (status, reason) = match refusal {
            Refusal::NotAllowed => (StatusCode::NOT_FOUND, Reason::NotForwarded),
            Refusal::Subresource(_) => (StatusCode::FORBIDDEN, Reason::ProxyRefused),
            Refusal::BadName(_) => (StatusCode::BAD_REQUEST, Reason::BadPath),
            Refusal::Method(_) => (StatusCode::METHOD_NOT_ALLOWED, Reason::MethodNotAllowed),
        };
        ApiError::refused(status, reason, refusal.to_string())
    })?;
    Ok((segments, target))
}

/// Whether an answer carries a body to compress (`HEAD`, `204` and `304` carry none).
fn has_body(method: &Method, status: StatusCode) -> bool {
    *method != Method::HEAD
        && status != StatusCode::NO_CONTENT
        && status != StatusCode::NOT_MODIFIED
}

fn is_mutating(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// One line per change, in the `audit` log target: who did what to which object, and how it went.
fn audit(user: &SignedIn, method: &Method, target: &ApiTarget, status: StatusCode) {
    tracing::info!(
        target: "audit",
        account = user.session.identity.account(),
        user = user.session.identity.username(),
        verb = verb_of(method),
        resource = target.resource,
        subresource = target.subresource,
        namespace = target.namespace,
        name = target.name,
        status = status.as_u16(),
    );
}

fn verb_of(method: &Method) -> &'static str {
    match *method {
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE => "delete",
        _ => "other",
    }
}
