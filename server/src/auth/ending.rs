//! When a session ends, and why: signed out (on any replica), past its maximum length or idle
//! time, or its console account removed or changed in the accounts file. The guard asks on every
//! request; terminals and followed streams ask every few seconds, so they stop within
//! [`STREAM_CHECK_EVERY`] of the session's end rather than running on with a dead session.

use std::time::Duration;

use axum::http::StatusCode;
use console_model::wire::Reason;

use super::{Identity, guard::unix_now, session::Session};
use crate::{AppState, error::ApiError};

/// How often an open terminal or stream looks at its session.
pub const STREAM_CHECK_EVERY: Duration = Duration::from_secs(5);

/// Why a session is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    SignedOut,
    Expired,
    Idle,
    AccountChanged,
}

impl Ended {
    /// For the app to explain in the user's language.
    pub fn reason(self) -> Reason {
        match self {
            Ended::SignedOut => Reason::SignedOut,
            Ended::Expired | Ended::Idle => Reason::SessionExpired,
            Ended::AccountChanged => Reason::AccountChanged,
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Ended::SignedOut => "this session was signed out; sign in again",
            Ended::Expired => "the session reached its maximum length; sign in again",
            Ended::Idle => "the session ended after a period without activity; sign in again",
            Ended::AccountChanged => "your console account was changed or removed; sign in again",
        }
    }

    pub fn refusal(self) -> ApiError {
        ApiError::refused(StatusCode::UNAUTHORIZED, self.reason(), self.message())
    }
}

/// Whether the session (already opened from its cookie) still holds at `now`. `Ok(None)`: it
/// holds; `Err`: the revocations are not known yet, so nobody can tell.
pub fn check(
    state: &AppState,
    session: &Session,
    now: i64,
) -> Result<Option<Ended>, super::revocations::NotSynced> {
    if state.revocations.is_revoked(&session.id)? {
        return Ok(Some(Ended::SignedOut));
    }
    if now > session.expires_at(state.auth.lifetimes) {
        return Ok(Some(Ended::Expired));
    }
    if let Identity::Account {
        account,
        username,
        groups,
        password_tag,
    } = &session.identity
    {
        let current = state.auth.accounts.get(account);
        let unchanged = current.is_some_and(|current| {
            current.kubernetes_user == *username
                && current.kubernetes_groups == *groups
                && current.password_tag() == *password_tag
        });
        if !unchanged {
            return Ok(Some(Ended::AccountChanged));
        }
    }
    Ok(None)
}

/// Resolves when the session of a long-lived stream ends. Idle time does not count here: the
/// stream itself is the activity. Until the revocations are known, the session is taken to hold.
pub async fn ended(state: AppState, session: Session) -> Ended {
    let mut every = tokio::time::interval(STREAM_CHECK_EVERY);
    loop {
        every.tick().await;
        if let Ok(Some(ended)) = check(&state, &session, unix_now()) {
            return ended;
        }
    }
}
