//! Sign in (token or account), who am I, and sign out.

use std::{
    net::SocketAddr,
    time::{Duration, Instant},
};

use axum::{
    Extension, Json,
    body::Bytes,
    extract::{ConnectInfo, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use console_model::wire::{Credentials, Reason, SessionInfo, SignInMethod};
use k8s_openapi::api::authentication::v1::SelfSubjectReview;
use kube::{Api, api::PostParams};

use super::{Identity, SignedIn, guard::unix_now, origin::is_same_origin, session::Session};
use crate::{AppState, error::ApiError};

/// What the app learns of `session`.
fn session_info(session: &Session, state: &AppState) -> SessionInfo {
    let method = match session.identity {
        Identity::Token { .. } => SignInMethod::Token,
        Identity::Account { .. } => SignInMethod::Account,
    };
    SessionInfo {
        username: session.identity.username().to_owned(),
        groups: session.identity.groups().to_vec(),
        method,
        csrf_token: session.csrf_token.clone(),
        expires_at: session.expires_at(state.auth.lifetimes),
    }
}

/// `POST /api/session`: checks the credentials and sets the session cookie.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !is_same_origin(&headers, state.auth.public_origin.as_ref()) {
        return Err(ApiError::refused(
            StatusCode::FORBIDDEN,
            Reason::CrossOrigin,
            "sign in from the console's own page",
        ));
    }
    if let Err(wait) = state.auth.limiter.check(peer.ip(), Instant::now()) {
        tracing::warn!(client = %peer.ip(), "sign-in attempts rate-limited");
        return Ok(too_many_attempts(wait));
    }
    let credentials: Credentials = serde_json::from_slice(&body).map_err(|error| {
        ApiError::refused(
            StatusCode::BAD_REQUEST,
            Reason::BadRequest,
            format!("unreadable sign-in request: {error}"),
        )
    })?;
    let identity = match credentials {
        Credentials::Account { username, password } => {
            if let Err(wait) = state.auth.failures.peek(username.clone(), Instant::now()) {
                tracing::warn!(target: "audit", account = username, verb = "sign-in", result = "rate-limited: too many failures for this name");
                return Ok(too_many_attempts(wait));
            }
            account_identity(&state, username, password).await?
        }
        Credentials::Token { token } => token_identity(&state, token.trim()).await?,
    };
    tracing::info!(target: "audit", account = identity.account(), user = identity.username(), verb = "sign-in", result = "ok");
    let session = Session::new(identity, unix_now());
    let cookie = state.auth.session_cookie(&session);
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(session_info(&session, &state)),
    )
        .into_response())
}

/// 429 with `Retry-After`.
fn too_many_attempts(wait: Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    let refusal = ApiError::refused(
        StatusCode::TOO_MANY_REQUESTS,
        Reason::TooManyAttempts,
        format!("too many sign-in attempts; try again in {seconds} s"),
    );
    ([(header::RETRY_AFTER, HeaderValue::from(seconds))], refusal).into_response()
}

/// How long a sign-in waits for a free password check before it is told to come back.
const PASSWORD_CHECK_WAIT: Duration = Duration::from_secs(5);

/// Checks the password on a blocking thread, at most [`super::MAX_PASSWORD_CHECKS`] at once.
async fn account_identity(
    state: &AppState,
    username: String,
    password: String,
) -> Result<Identity, ApiError> {
    let busy = || {
        ApiError::refused(
            StatusCode::SERVICE_UNAVAILABLE,
            Reason::Busy,
            "the console is checking many sign-ins at once; try again in a few seconds",
        )
    };
    let permit = tokio::time::timeout(
        PASSWORD_CHECK_WAIT,
        state.auth.password_checks.clone().acquire_owned(),
    )
    .await
    .map_err(|_| busy())?
    .map_err(|_| busy())?;
    let accounts = state.auth.accounts.clone();
    let name = username.clone();
    let verified = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        accounts.verify(&name, &password)
    })
    .await
    .map_err(|_| busy())?;
    let Some(account) = verified else {
        let _ = state.auth.failures.check(username.clone(), Instant::now());
        tracing::info!(target: "audit", account = username, verb = "sign-in", result = "wrong password or user");
        return Err(ApiError::refused(
            StatusCode::UNAUTHORIZED,
            Reason::InvalidCredentials,
            "the user name or password is wrong",
        ));
    };
    Ok(Identity::Account {
        password_tag: account.password_tag(),
        account: account.username,
        username: account.kubernetes_user,
        groups: account.kubernetes_groups,
    })
}

/// Asks the apiserver who the token belongs to; it is the only judge of a token.
async fn token_identity(state: &AppState, token: &str) -> Result<Identity, ApiError> {
    let invalid = || {
        ApiError::refused(
            StatusCode::UNAUTHORIZED,
            Reason::InvalidToken,
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
    Json(session_info(&user.session, &state))
}

/// `DELETE /api/session`: ends the session on every replica (the revocation is kept in the
/// cluster) and removes the cookie. The cookie goes even when the revocation cannot be written,
/// and the answer then says the session may live on elsewhere.
pub async fn sign_out(
    State(state): State<AppState>,
    Extension(user): Extension<SignedIn>,
) -> Response {
    let session = &user.session;
    let revoked = state
        .revocations
        .revoke(
            &session.id,
            session.expires_at(state.auth.lifetimes),
            unix_now(),
        )
        .await;
    let result = if revoked.is_ok() {
        "ok"
    } else {
        "cookie cleared; revocation failed"
    };
    tracing::info!(target: "audit", account = session.identity.account(), user = session.identity.username(), verb = "sign-out", result);
    match revoked {
        Ok(()) => (state.auth.clear_cookie(), StatusCode::NO_CONTENT).into_response(),
        Err(error) => (state.auth.clear_cookie(), error).into_response(),
    }
}
