//! Sign-in and sessions: who the browser's user is, and how the server proves it to Kubernetes.
//!
//! - `identity`: the two kinds of user (bearer token, console account) and their API clients.
//! - `accounts`: console accounts from a file, with argon2id password hashes.
//! - `session`: the encrypted, authenticated session cookie (stateless, key rotation).
//! - `revocations`: signed-out sessions, kept in the cluster for every replica.
//! - `ending`: when a session is over, for the guard and for long-lived streams.
//! - `origin`: what counts as the console's own origin and host.
//! - `guard`: the middleware every signed-in route sits behind (expiry, Origin, CSRF).
//! - `routes`: sign in, who am I, sign out.
//! - `rate_limit`: bounds sign-in attempts per client address and failures per user name.

pub mod accounts;
pub mod ending;
pub mod guard;
pub mod identity;
pub mod origin;
pub mod rate_limit;
pub mod revocations;
pub mod routes;
pub mod session;

pub use guard::{SignedIn, require_session};
pub use identity::{Identity, UserClients};
pub use revocations::Revocations;

use std::{net::IpAddr, sync::Arc};

use axum::http::{HeaderValue, header};
use tokio::sync::Semaphore;

use self::{
    accounts::Accounts,
    guard::cookie_header,
    origin::Origin,
    rate_limit::Limiter,
    session::{Lifetimes, PLAIN_COOKIE_NAME, SECURE_COOKIE_NAME, Session, SessionKeys},
};

/// Password checks (argon2, tens of milliseconds of CPU each) running at once at most; more
/// wait briefly, then are told to come back, so a flood of guesses cannot starve other work.
pub const MAX_PASSWORD_CHECKS: usize = 2;

/// Everything sign-in and the guard need, built once at start.
pub struct AuthSettings {
    pub keys: SessionKeys,
    pub accounts: Accounts,
    pub lifetimes: Lifetimes,
    /// `Secure` cookies: on unless the console is served over plain HTTP off loopback.
    pub secure_cookies: bool,
    /// Sign-in attempts per client address.
    pub limiter: Limiter<IpAddr>,
    /// Failed sign-ins per user name, whatever the address (guessing from many addresses).
    pub failures: Limiter<String>,
    pub password_checks: Arc<Semaphore>,
    /// The origin the console is reached at, when behind a proxy that rewrites Host.
    pub public_origin: Option<Origin>,
    /// The namespace of the console's own objects (the revocation list).
    pub state_namespace: String,
}

impl AuthSettings {
    /// The cookie that carries `session`; the browser drops it at the absolute expiry.
    pub fn session_cookie(&self, session: &Session) -> HeaderValue {
        let remaining = session.expires_at(self.lifetimes) - guard::unix_now();
        cookie_header(
            self.cookie_name(),
            &self.keys.seal(session),
            remaining.max(0),
            self.secure_cookies,
        )
    }

    /// A response part that removes the session cookie.
    pub fn clear_cookie(&self) -> [(header::HeaderName, HeaderValue); 1] {
        [(
            header::SET_COOKIE,
            cookie_header(self.cookie_name(), "", 0, self.secure_cookies),
        )]
    }

    /// `__Host-` prefixed when `Secure`, which the prefix requires.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            SECURE_COOKIE_NAME
        } else {
            PLAIN_COOKIE_NAME
        }
    }
}
