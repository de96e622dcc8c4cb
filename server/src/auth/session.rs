//! The session cookie: the signed-in identity, sealed with XChaCha20-Poly1305 so the browser
//! can neither read nor alter it. Nothing is kept on the server, so any replica holding the
//! same keys serves any user. The first key seals; every key opens, which allows rotation.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, OsRng},
};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::identity::Identity;

/// The cookie's name over plain HTTP (local use and tests).
pub const PLAIN_COOKIE_NAME: &str = "console_session";
/// Its name when `Secure`: the `__Host-` prefix makes the browser refuse it from a sibling
/// domain, a plain-HTTP page, or with a `Domain` or narrower `Path`.
pub const SECURE_COOKIE_NAME: &str = "__Host-console_session";

/// What the cookie holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Random; names the session in the revocation list when it is signed out.
    pub id: String,
    pub identity: Identity,
    /// Sent back by the app in `X-CSRF-Token` on every mutating request.
    pub csrf_token: String,
    /// Unix seconds of sign-in; the absolute expiry counts from here.
    pub issued_at: i64,
    /// Unix seconds of the last request; the idle expiry counts from here.
    pub last_seen: i64,
}

impl Session {
    /// Unix seconds at which the session ends however active it is.
    pub fn expires_at(&self, lifetimes: Lifetimes) -> i64 {
        self.issued_at + lifetimes.absolute_seconds
    }
}

impl Session {
    pub fn new(identity: Identity, now: i64) -> Self {
        let mut csrf = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut csrf);
        let mut id = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut id);
        Session {
            id: URL_SAFE_NO_PAD.encode(id),
            identity,
            csrf_token: URL_SAFE_NO_PAD.encode(csrf),
            issued_at: now,
            last_seen: now,
        }
    }
}

/// Session lifetimes.
#[derive(Clone, Copy, Debug)]
pub struct Lifetimes {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

/// Why a cookie does not give a session.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    #[error(
        "the session cookie is not one this server sealed (tampered, or sealed with a retired key)"
    )]
    Invalid,
    #[error("the session ended after a period without activity")]
    Idle,
    #[error("the session reached its maximum length")]
    Expired,
}

/// The keys sessions are sealed with.
#[derive(Clone)]
pub struct SessionKeys {
    ciphers: Vec<XChaCha20Poly1305>,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("session key {index} is not base64: {source}")]
    NotBase64 {
        index: usize,
        source: base64::DecodeError,
    },
    #[error("session key {index} has {length} bytes; it needs 32 (e.g. `openssl rand -base64 32`)")]
    WrongLength { index: usize, length: usize },
    #[error("no session key given")]
    None,
}

impl SessionKeys {
    /// Parses base64 keys, one per line or comma-separated; the first one seals.
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let ciphers = text
            .split([',', '\n'])
            .map(str::trim)
            .filter(|key| !key.is_empty() && !key.starts_with('#'))
            .enumerate()
            .map(|(index, key)| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(key)
                    .map_err(|source| KeyError::NotBase64 { index, source })?;
                if bytes.len() != 32 {
                    return Err(KeyError::WrongLength {
                        index,
                        length: bytes.len(),
                    });
                }
                Ok(XChaCha20Poly1305::new_from_slice(&bytes).expect("length checked"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if ciphers.is_empty() {
            return Err(KeyError::None);
        }
        Ok(SessionKeys { ciphers })
    }

    /// A random key that lives as long as the process: sessions end at restart.
    pub fn ephemeral() -> Self {
        SessionKeys {
            ciphers: vec![XChaCha20Poly1305::new(&XChaCha20Poly1305::generate_key(
                &mut OsRng,
            ))],
        }
    }

    /// The cookie value for `session`: base64url of nonce and ciphertext.
    pub fn seal(&self, session: &Session) -> String {
        let plaintext = serde_json::to_vec(session).expect("a session always serialises");
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self.ciphers[0]
            .encrypt(&nonce, plaintext.as_slice())
            .expect("encryption of a small buffer cannot fail");
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        URL_SAFE_NO_PAD.encode(sealed)
    }

    /// The session in `cookie`, if a key opens it and it has not expired at `now`.
    pub fn open(
        &self,
        cookie: &str,
        now: i64,
        lifetimes: Lifetimes,
    ) -> Result<Session, SessionError> {
        let sealed = URL_SAFE_NO_PAD
            .decode(cookie)
            .map_err(|_| SessionError::Invalid)?;
        if sealed.len() < 24 {
            return Err(SessionError::Invalid);
        }
        let (nonce, ciphertext) = sealed.split_at(24);
        let plaintext = self
            .ciphers
            .iter()
            .find_map(|cipher| cipher.decrypt(XNonce::from_slice(nonce), ciphertext).ok())
            .ok_or(SessionError::Invalid)?;
        let session: Session =
            serde_json::from_slice(&plaintext).map_err(|_| SessionError::Invalid)?;
        if now - session.issued_at > lifetimes.absolute_seconds {
            Err(SessionError::Expired)
        } else if now - session.last_seen > lifetimes.idle_seconds {
            Err(SessionError::Idle)
        } else {
            Ok(session)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIFETIMES: Lifetimes = Lifetimes {
        idle_seconds: 1800,
        absolute_seconds: 43_200,
    };
    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "HxwdHh8QERITFBUWFxgZGhscHR4fAAECAwQFBgcICQo=";

    fn session(now: i64) -> Session {
        let identity = Identity::Account {
            account: "ops".into(),
            username: "alice".into(),
            groups: vec![],
            password_tag: "tag".into(),
        };
        Session::new(identity, now)
    }

    #[test]
    fn a_sealed_session_opens_unchanged_and_hides_its_contents() {
        let keys = SessionKeys::parse(KEY_A).unwrap();
        let original = session(1000);
        let cookie = keys.seal(&original);
        assert!(!cookie.contains("alice"));
        assert_eq!(keys.open(&cookie, 1001, LIFETIMES).unwrap(), original);
    }

    #[test]
    fn a_tampered_cookie_is_refused() {
        let keys = SessionKeys::parse(KEY_A).unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(keys.seal(&session(1000))).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let tampered = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(
            keys.open(&tampered, 1001, LIFETIMES),
            Err(SessionError::Invalid)
        );
        assert_eq!(
            keys.open("not-a-cookie", 1001, LIFETIMES),
            Err(SessionError::Invalid)
        );
    }

    #[test]
    fn after_rotation_old_sessions_still_open_and_new_ones_use_the_new_key() {
        let old = SessionKeys::parse(KEY_A).unwrap();
        let rotated = SessionKeys::parse(&format!("{KEY_B}\n{KEY_A}")).unwrap();
        assert!(
            rotated
                .open(&old.seal(&session(1000)), 1001, LIFETIMES)
                .is_ok()
        );
        let fresh = rotated.seal(&session(1000));
        assert_eq!(
            old.open(&fresh, 1001, LIFETIMES),
            Err(SessionError::Invalid)
        );
        assert!(
            SessionKeys::parse(KEY_B)
                .unwrap()
                .open(&fresh, 1001, LIFETIMES)
                .is_ok()
        );
    }

    #[test]
    fn sessions_end_when_idle_and_at_their_maximum_length() {
        let keys = SessionKeys::parse(KEY_A).unwrap();
        let idle = keys.seal(&session(1000));
        assert_eq!(
            keys.open(&idle, 1000 + 1801, LIFETIMES),
            Err(SessionError::Idle)
        );
        let mut busy = session(1000);
        busy.last_seen = 1000 + 43_000;
        assert_eq!(
            keys.open(&keys.seal(&busy), 1000 + 43_201, LIFETIMES),
            Err(SessionError::Expired)
        );
    }

    #[test]
    fn keys_of_the_wrong_size_are_refused_with_a_hint() {
        let error = SessionKeys::parse("c2hvcnQ=").err().unwrap().to_string();
        assert!(
            error.contains("needs 32") && error.contains("openssl rand"),
            "{error}"
        );
    }
}
