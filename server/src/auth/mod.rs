//! Sign-in and sessions: who the browser's user is, and how the server proves it to Kubernetes.
//!
//! - `identity`: the two kinds of user (bearer token, console account) and their API clients.
//! - `accounts`: console accounts from a file, with argon2id password hashes.
//! - `session`: the encrypted, authenticated session cookie (stateless, key rotation).
//! - `guard`: the middleware every signed-in route sits behind (expiry, Origin, CSRF).
//! - `routes`: sign in, who am I, sign out.
//! - `rate_limit`: bounds sign-in attempts per client address.

pub mod accounts;
pub mod guard;
pub mod identity;
pub mod rate_limit;
pub mod routes;
pub mod session;

pub use guard::{SignedIn, require_session};
pub use identity::{Identity, UserClients};

use axum::http::{HeaderValue, header};

use self::{
    accounts::Accounts,
    guard::cookie_header,
    rate_limit::SignInLimiter,
    session::{Lifetimes, Session, SessionKeys},
};

/// Everything sign-in and the guard need, built once at start.
pub struct AuthSettings {
    pub keys: SessionKeys,
    pub accounts: Accounts,
    pub lifetimes: Lifetimes,
    /// `Secure` cookies: on unless the console is served over plain HTTP off loopback.
    pub secure_cookies: bool,
    pub limiter: SignInLimiter,
    /// `scheme://host[:port]` the console is reached at, when behind a proxy that rewrites Host.
    pub public_origin: Option<String>,
}

impl AuthSettings {
    /// The cookie that carries `session`; the browser drops it at the absolute expiry.
    pub fn session_cookie(&self, session: &Session) -> HeaderValue {
        let remaining = self.lifetimes.absolute_seconds - (guard::unix_now() - session.issued_at);
        cookie_header(
            &self.keys.seal(session),
            remaining.max(0),
            self.secure_cookies,
        )
    }

    /// A response part that removes the session cookie.
    pub fn clear_cookie(&self) -> [(header::HeaderName, HeaderValue); 1] {
        [(
            header::SET_COOKIE,
            cookie_header("", 0, self.secure_cookies),
        )]
    }
}
