//! Sign in (token or account), who am I, and sign out.

use std::{net::SocketAddr, time::Instant};

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use kube::{Api, api::PostParams};
use serde::{Deserialize, Serialize};

use super::{
    Identity, SignedIn,
    guard::{is_same_origin, unix_now},
    session::Session,
};
use crate::{AppState, error::ApiError};

/// What the sign-in form sends.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
enum Credentials {
    Account { username: String, password: String },
    Token { token: String },
}

/// What the app learns about the signed-in user. Never the token.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    username: String,
    groups: Vec<String>,
    /// `token` or `account`.
    method: &'static str,
    csrf_token: String,
    expires_at: i64,
}

impl SessionInfo {
    fn of(session: &Session, state: &AppState) -> Self {
        let method = match session.identity {
            Identity::Token { .. } => "token",
            Identity::Account { .. } => "account",
        };
        SessionInfo {
            username: session.identity.username().to_owned(),
            groups: session.identity.groups().to_vec(),
            method,
            csrf_token: session.csrf_token.clone(),
            expires_at: session.issued_at + state.auth.lifetimes.absolute_seconds,
        }
    }
}

/// `POST /api/session`: checks the credentials and sets the session cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !is_same_origin(&headers, state.auth.public_origin.as_deref()) {
        return Err(ApiError::refused(
            StatusCode::FORBIDDEN,
            "CrossOrigin",
            "sign in from the console's own page",
        ));
    }
    if let Err(wait) = state.auth.limiter.check(peer.ip(), Instant::now()) {
        let seconds = wait.as_secs().max(1);
        tracing::warn!(client = %peer.ip(), "sign-in attempts rate-limited");
        let refusal = ApiError::refused(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyAttempts",
            format!("too many sign-in attempts; try again in {seconds} s"),
        );
        return Ok(([(header::RETRY_AFTER, HeaderValue::from(seconds))], refusal).into_response());
    }
    let credentials: Credentials = serde_json::from_slice(&body).map_err(|error| {
        ApiError::refused(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("unreadable sign-in request: {error}"),
        )
    })?;
    let identity = match credentials {
        Credentials::Account { username, password } => {
            account_identity(&state, &username, &password)?
        }
        Credentials::Token { token } => token_identity(&state, token.trim()).await?,
    };
    tracing::info!(target: "audit", user = identity.username(), verb = "sign-in", result = "ok");
    let session = Session::new(identity, unix_now());
    let cookie = state.auth.session_cookie(&session);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(SessionInfo::of(&session, &state)),
    )
        .into_response())
}

fn account_identity(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<Identity, ApiError> {
    let account = state.auth.accounts.verify(username, password).ok_or_else(|| {
        tracing::info!(target: "audit", user = username, verb = "sign-in", result = "wrong password or user");
        ApiError::refused(StatusCode::UNAUTHORIZED, "InvalidCredentials", "the user name or password is wrong")
    })?;
    Ok(Identity::Account {
        account: account.username.clone(),
        username: account.kubernetes_user.clone(),
        groups: account.kubernetes_groups.clone(),
    })
}

/// Asks the apiserver who the token belongs to; it is the only judge of a token.
async fn token_identity(state: &AppState, token: &str) -> Result<Identity, ApiError> {
    let invalid = || {
        ApiError::refused(
            StatusCode::UNAUTHORIZED,
            "InvalidToken",
            "the cluster did not accept this token",
        )
    };
    if token.is_empty() || token.contains(char::is_whitespace) {
        return Err(invalid());
    }
    let unchecked = Identity::Token {
        token: token.to_owned(),
        username: String::new(),
        groups: vec![],
    };
    let client = kube::Client::try_from(unchecked.kube_config(state.users.server_config()))
        .map_err(|error| ApiError::kube("check the token", error))?;
    let review: SelfSubjectReview = serde_json::from_value(serde_json::json!({
        "apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"
    }))
    .expect("a static review parses");
    let answer = Api::<SelfSubjectReview>::all(client)
        .create(&PostParams::default(), &review)
        .await
        .map_err(|error| match error {
            kube::Error::Api(status) if status.code == 401 => {
                tracing::info!(target: "audit", verb = "sign-in", result = "token refused by the cluster");
                invalid()
            }
            other => ApiError::kube("check the token with the cluster", other),
        })?;
    let user = answer
        .status
        .and_then(|status| status.user_info)
        .unwrap_or_default();
    Ok(Identity::Token {
        token: token.to_owned(),
        username: user.username.unwrap_or_default(),
        groups: user.groups.unwrap_or_default(),
    })
}

/// `GET /api/session`: who is signed in, and the CSRF token for this session.
pub async fn current(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
) -> Json<SessionInfo> {
    Json(SessionInfo::of(&user.session, &state))
}

/// `DELETE /api/session`: removes the cookie. Sessions are not stored, so this is all there is.
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
) -> impl IntoResponse {
    tracing::info!(target: "audit", user = user.session.identity.username(), verb = "sign-out", result = "ok");
    (state.auth.clear_cookie(), StatusCode::NO_CONTENT)
}
