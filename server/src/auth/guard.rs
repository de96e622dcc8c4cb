//! The gate in front of every signed-in route: a valid, unexpired session; for anything that
//! changes state, a same-origin `Origin` and the session's CSRF token. It hands the handler a
//! Kubernetes client that acts as the user, and keeps an active session from idling out.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::session::{COOKIE_NAME, Session};
use crate::{AppState, error::ApiError};

/// The signed-in user of a request, for handlers (`Extension<SignedIn>`).
#[derive(Clone)]
pub struct SignedIn {
    pub session: Session,
    /// Acts as the user: their token, or impersonation of their mapped Kubernetes user.
    pub client: kube::Client,
}

/// Re-seal the cookie at most this often, to move the idle expiry forward.
const REFRESH_AFTER_SECONDS: i64 = 60;

pub async fn require_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let now = unix_now();
    let auth = &state.auth;
    let Some(cookie) = cookie_value(request.headers(), COOKIE_NAME) else {
        return ApiError::refused(StatusCode::UNAUTHORIZED, "Unauthorized", "sign in first")
            .into_response();
    };
    let mut session = match auth.keys.open(&cookie, now, auth.lifetimes) {
        Ok(session) => session,
        Err(error) => {
            let refusal = ApiError::refused(
                StatusCode::UNAUTHORIZED,
                "SessionExpired",
                error.to_string(),
            );
            return (auth.clear_cookie(), refusal).into_response();
        }
    };
    if let Err(refusal) = check_request_origin(&request, &session, auth.public_origin.as_deref()) {
        return refusal.into_response();
    }
    let client = match state.users.client_for(&session.identity) {
        Ok(client) => client,
        Err(error) => {
            return ApiError::kube("build a client for the signed-in user", error).into_response();
        }
    };
    let refresh = now - session.last_seen >= REFRESH_AFTER_SECONDS;
    if refresh {
        session.last_seen = now;
    }
    request.extensions_mut().insert(SignedIn {
        session: session.clone(),
        client,
    });
    let mut response = next.run(request).await;
    // A handler that set its own cookie (sign-out) decides; otherwise slide the idle expiry.
    if refresh && !response.headers().contains_key(header::SET_COOKIE) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, auth.session_cookie(&session));
    }
    response
}

/// State-changing requests and WebSocket upgrades must come from our own pages: the browser
/// always sends `Origin` for them, and only our pages know the session's CSRF token.
fn check_request_origin(
    request: &Request,
    session: &Session,
    public_origin: Option<&str>,
) -> Result<(), ApiError> {
    let headers = request.headers();
    let upgrade = headers.contains_key(header::UPGRADE);
    let mutating = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !mutating && !upgrade {
        return Ok(());
    }
    if !is_same_origin(headers, public_origin) {
        return Err(ApiError::refused(
            StatusCode::FORBIDDEN,
            "CrossOrigin",
            "requests that change something must come from the console's own pages",
        ));
    }
    // A browser cannot set headers on a WebSocket, so the upgrade carries the token in its query.
    let presented = if upgrade {
        request.uri().query().and_then(|query| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("csrf=").map(str::to_owned))
        })
    } else {
        single_header(headers, "x-csrf-token").map(str::to_owned)
    };
    match presented {
        Some(token) if constant_time_eq(token.as_bytes(), session.csrf_token.as_bytes()) => Ok(()),
        _ => Err(ApiError::refused(
            StatusCode::FORBIDDEN,
            "CsrfToken",
            "the request lacks this session's CSRF token; reload the page",
        )),
    }
}

/// `Origin` names this server: the configured public URL, or else the `Host` it was asked by.
pub fn is_same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let Some(origin) = single_header(headers, header::ORIGIN.as_str()) else {
        return false;
    };
    match public_origin {
        Some(expected) => origin.trim_end_matches('/') == expected.trim_end_matches('/'),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|value| value.to_str().ok());
            let origin_host = origin.split_once("://").map(|(_, rest)| rest);
            matches!((origin_host, host), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
        }
    }
}

/// A header's value when it appears exactly once; a browser never repeats these, a forger might
/// hope only the first copy is checked.
fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value.to_str().ok(),
        _ => None,
    }
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then(|| value.to_owned())
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// A `Set-Cookie` value; the session's contents are base64url, always a valid header.
pub fn cookie_header(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie values are base64url")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, host.parse().unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, origin.parse().unwrap());
        }
        headers
    }

    #[test]
    fn an_origin_matching_the_host_or_the_public_url_is_ours() {
        assert!(is_same_origin(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            None
        ));
        assert!(is_same_origin(
            &headers(Some("https://console.example"), "10.0.0.5:8080"),
            Some("https://console.example/")
        ));
    }

    #[test]
    fn another_origin_or_none_is_not() {
        assert!(!is_same_origin(
            &headers(Some("http://evil.example"), "127.0.0.1:8080"),
            None
        ));
        assert!(!is_same_origin(&headers(None, "127.0.0.1:8080"), None));
        let mut twice = headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080");
        twice.append(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!is_same_origin(&twice, None));
        assert!(!is_same_origin(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            Some("https://console.example")
        ));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut map = HeaderMap::new();
        map.insert(
            header::COOKIE,
            "a=1; console_session=abc; b=2".parse().unwrap(),
        );
        assert_eq!(cookie_value(&map, COOKIE_NAME).as_deref(), Some("abc"));
    }
}
