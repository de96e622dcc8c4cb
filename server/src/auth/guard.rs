//! The gate in front of every signed-in route: exactly one session cookie, a session that is
//! unexpired, not signed out and whose account is unchanged; for anything that changes state, a
//! same-origin `Origin` and the session's CSRF token. It hands the handler a
//! Kubernetes client that acts as the user, and keeps an active session from idling out.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{
    ending,
    origin::{Origin, is_same_origin, single_header},
    session::Session,
};
use crate::{AppState, error::ApiError};
use console_model::wire::Reason;

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
    match admit(&state, &request) {
        Ok((signed_in, refresh)) => {
            let cookie = refresh.then(|| state.auth.session_cookie(&signed_in.session));
            request.extensions_mut().insert(signed_in);
            let mut response = next.run(request).await;
            // A handler that set its own cookie (sign-out) decides; otherwise slide the idle expiry.
            if let Some(cookie) = cookie
                && !response.headers().contains_key(header::SET_COOKIE)
            {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err((refusal, clear_cookie)) => {
            if clear_cookie {
                (state.auth.clear_cookie(), refusal).into_response()
            } else {
                refusal.into_response()
            }
        }
    }
}

/// The signed-in user of `request`, and whether to re-seal the cookie; else the refusal and
/// whether the cookie should go.
fn admit(state: &AppState, request: &Request) -> Result<(SignedIn, bool), (ApiError, bool)> {
    let now = unix_now();
    let auth = &state.auth;
    let cookie = match session_cookie(request.headers(), auth.cookie_name()) {
        SessionCookie::One(cookie) => cookie,
        SessionCookie::None => {
            let refusal = ApiError::refused(
                StatusCode::UNAUTHORIZED,
                Reason::Unauthorized,
                "sign in first",
            );
            return Err((refusal, false));
        }
        SessionCookie::Several => {
            let refusal = ApiError::refused(
                StatusCode::BAD_REQUEST,
                Reason::SeveralSessions,
                "the request carries more than one session cookie; sign in again",
            );
            return Err((refusal, true));
        }
    };
    let mut session = auth
        .keys
        .open(cookie, now, auth.lifetimes)
        .map_err(|error| {
            let refusal = ApiError::refused(
                StatusCode::UNAUTHORIZED,
                Reason::SessionExpired,
                error.to_string(),
            );
            (refusal, true)
        })?;
    match ending::check(state, &session, now) {
        Ok(None) => {}
        Ok(Some(ended)) => return Err((ended.refusal(), true)),
        Err(_) => {
            let refusal = ApiError::refused(
                StatusCode::SERVICE_UNAVAILABLE,
                Reason::Starting,
                "the console is still reading its session list from the cluster; try again in a moment",
            );
            return Err((refusal, false));
        }
    }
    check_request_origin(request, &session, auth.public_origin.as_ref())
        .map_err(|refusal| (refusal, false))?;
    let client = state.users.client_for(&session.identity).map_err(|error| {
        let refusal = ApiError::refused(
            StatusCode::UNAUTHORIZED,
            Reason::AccountChanged,
            format!("{error}; sign in again"),
        );
        (refusal, true)
    })?;
    let refresh = now - session.last_seen >= REFRESH_AFTER_SECONDS;
    if refresh {
        session.last_seen = now;
    }
    Ok((SignedIn { session, client }, refresh))
}

/// State-changing requests and WebSocket upgrades must come from our own pages: the browser
/// always sends `Origin` for them, and only our pages know the session's CSRF token.
fn check_request_origin(
    request: &Request,
    session: &Session,
    public_origin: Option<&Origin>,
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
            Reason::CrossOrigin,
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
            Reason::CsrfToken,
            "the request lacks this session's CSRF token; reload the page",
        )),
    }
}

/// How many session cookies a request carries.
enum SessionCookie<'a> {
    None,
    One(&'a str),
    /// A planted second cookie must not decide which session is used.
    Several,
}

fn session_cookie<'a>(headers: &'a HeaderMap, name: &str) -> SessionCookie<'a> {
    let mut found = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        });
    match (found.next(), found.next()) {
        (None, _) => SessionCookie::None,
        (Some(value), None) => SessionCookie::One(value),
        (Some(_), Some(_)) => SessionCookie::Several,
    }
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
pub fn cookie_header(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie values are base64url")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookies(value: &str) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(header::COOKIE, value.parse().unwrap());
        map
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let map = cookies("a=1; console_session=abc; b=2");
        assert!(matches!(
            session_cookie(&map, "console_session"),
            SessionCookie::One("abc")
        ));
        assert!(matches!(
            session_cookie(&map, "__Host-console_session"),
            SessionCookie::None
        ));
    }

    #[test]
    fn two_session_cookies_are_refused_not_served_by_the_first() {
        let mut map = cookies("console_session=planted");
        map.append(header::COOKIE, "console_session=mine".parse().unwrap());
        assert!(matches!(
            session_cookie(&map, "console_session"),
            SessionCookie::Several
        ));
        let same_header = cookies("console_session=a; console_session=b");
        assert!(matches!(
            session_cookie(&same_header, "console_session"),
            SessionCookie::Several
        ));
    }
}
