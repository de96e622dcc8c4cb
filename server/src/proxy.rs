//! `/api/k8s/...`: the Kubernetes API, as the signed-in user. Responses stream through
//! unbuffered (watches, logs); request bodies are capped. Only the headers a Kubernetes call
//! needs are forwarded, so a browser can never pass its own `Authorization`, `Cookie` or
//! `Impersonate-*` to the apiserver. Every call that changes something is audited.

use axum::{
    Extension,
    body::Body,
    extract::Request,
    http::{HeaderName, Method, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::{auth::SignedIn, error::ApiError};

/// The apiserver refuses bodies above about 3 MiB; refuse them here first.
pub const MAX_BODY_BYTES: usize = 3 * 1024 * 1024;

/// Request headers passed to the apiserver. Everything else is dropped.
const FORWARDED_REQUEST_HEADERS: [HeaderName; 2] = [header::ACCEPT, header::CONTENT_TYPE];
/// Response headers passed back to the browser.
const FORWARDED_RESPONSE_HEADERS: [HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::WARNING,
    HeaderName::from_static("audit-id"),
];

pub async fn forward(Extension(user): Extension<SignedIn>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    // Nested under `/api`, so the router has already taken that part off.
    let path = parts.uri.path().strip_prefix("/k8s").unwrap_or_default();
    if !(path.starts_with("/api/")
        || path.starts_with("/apis/")
        || path == "/api"
        || path == "/apis"
        || path.starts_with("/openapi/")
        || path == "/version")
    {
        return ApiError::refused(
            StatusCode::NOT_FOUND,
            "NotFound",
            "only Kubernetes API paths are forwarded",
        )
        .into_response();
    }
    // Proxy subresources reach arbitrary in-cluster endpoints; the console never needs them.
    if ApiPath::parse(path).subresource == "proxy"
        || path.split('/').any(|segment| segment.ends_with(":proxy"))
    {
        return ApiError::refused(
            StatusCode::FORBIDDEN,
            "ProxyRefused",
            "the console does not forward proxy subresources",
        )
        .into_response();
    }
    if parts.headers.contains_key(header::UPGRADE) {
        return ApiError::refused(
            StatusCode::BAD_REQUEST,
            "UpgradeNotForwarded",
            "streams such as exec use the console's own routes",
        )
        .into_response();
    }
    let target = match parts.uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let body = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return ApiError::refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestTooLarge",
                format!(
                    "request bodies are limited to {} MiB",
                    MAX_BODY_BYTES / 1024 / 1024
                ),
            )
            .into_response();
        }
    };
    let mut outgoing = http::Request::builder()
        .method(parts.method.clone())
        .uri(&target);
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(value) = parts.headers.get(&name) {
            outgoing = outgoing.header(name, value);
        }
    }
    let outgoing = outgoing
        .body(kube::client::Body::from(body.to_vec()))
        .expect("method and path came from a valid request");

    let result = user.client.send(outgoing).await;
    let status = result
        .as_ref()
        .map_or(StatusCode::BAD_GATEWAY, |response| response.status());
    if is_mutating(&parts.method) {
        audit(&user, &parts.method, path, status);
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
            reply
                .header(header::CACHE_CONTROL, "no-store")
                .body(Body::new(body))
                .expect("status and headers came from a valid response")
        }
        Err(error) => ApiError::kube(format!("{} {path}", parts.method), error).into_response(),
    }
}

fn is_mutating(method: &Method) -> bool {
    matches!(
        *method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// One line per change, in the `audit` log target: who did what to which object, and how it went.
fn audit(user: &SignedIn, method: &Method, path: &str, status: StatusCode) {
    let target = ApiPath::parse(path);
    tracing::info!(
        target: "audit",
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

/// The object a Kubernetes API path names: `/apis/{group}/{version}[/namespaces/{ns}]/{resource}[/{name}[/{sub}]]`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ApiPath<'a> {
    pub namespace: &'a str,
    pub resource: &'a str,
    pub name: &'a str,
    pub subresource: &'a str,
}

impl<'a> ApiPath<'a> {
    pub fn parse(path: &'a str) -> Self {
        let segments: Vec<&str> = path
            .split('/')
            .filter(|segment| !segment.is_empty())
            .collect();
        let rest = match segments.as_slice() {
            ["api", _version, rest @ ..] => rest,
            ["apis", _group, _version, rest @ ..] => rest,
            _ => return ApiPath::default(),
        };
        let (namespace, rest) = match rest {
            ["namespaces", namespace, rest @ ..] if !rest.is_empty() => (*namespace, rest),
            other => ("", other),
        };
        ApiPath {
            namespace,
            resource: rest.first().copied().unwrap_or_default(),
            name: rest.get(1).copied().unwrap_or_default(),
            subresource: rest.get(2).copied().unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApiPath;

    #[test]
    fn audit_lines_name_the_object_of_every_path_shape() {
        let daemonset = ApiPath::parse("/apis/apps/v1/namespaces/logging/daemonsets/fluent-bit");
        assert_eq!(
            daemonset,
            ApiPath {
                namespace: "logging",
                resource: "daemonsets",
                name: "fluent-bit",
                subresource: ""
            }
        );
        let eviction = ApiPath::parse("/api/v1/namespaces/logging/pods/p-1/eviction");
        assert_eq!(
            (eviction.resource, eviction.subresource),
            ("pods", "eviction")
        );
        let namespace = ApiPath::parse("/api/v1/namespaces/logging");
        assert_eq!(
            (namespace.namespace, namespace.resource, namespace.name),
            ("", "namespaces", "logging")
        );
        let collection = ApiPath::parse("/apis/apps/v1/namespaces/logging/daemonsets");
        assert_eq!(
            (collection.namespace, collection.resource, collection.name),
            ("logging", "daemonsets", "")
        );
        assert_eq!(ApiPath::parse("/healthz"), ApiPath::default());
    }
}
