//! Bounds sign-in attempts per client address, and failures per user name, so passwords cannot
//! be guessed at speed from one address or from many. Per replica by design: it protects, it
//! does not need to be shared.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// At most `attempts` per `window` per key (an address, a user name).
#[derive(Clone)]
pub struct Limiter<K> {
    attempts: u32,
    window: Duration,
    seen: Arc<Mutex<HashMap<K, (Instant, u32)>>>,
}

/// Keys tracked at most; past it, keys whose window has passed are forgotten, so a flood of
/// made-up keys cannot grow the table without bound.
const MAX_KEYS: usize = 10_000;

impl<K: Hash + Eq> Limiter<K> {
    pub fn new(attempts: u32, window: Duration) -> Self {
        Limiter {
            attempts,
            window,
            seen: Arc::default(),
        }
    }

    /// Counts an attempt; `Err` holds how long until the key may try again.
    pub fn check(&self, key: K, now: Instant) -> Result<(), Duration> {
        self.count(key, now, true)
    }

    /// `Err` with the wait when the key has used its attempts, without counting one.
    pub fn peek(&self, key: K, now: Instant) -> Result<(), Duration> {
        self.count(key, now, false)
    }

    fn count(&self, key: K, now: Instant, counted: bool) -> Result<(), Duration> {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > MAX_KEYS {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
            if seen.len() > MAX_KEYS {
                // Every key is fresh: a flood. Forgetting them all errs towards letting users in.
                seen.clear();
            }
        }
        let entry = seen.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.attempts {
            return Err(self.window.saturating_sub(now.duration_since(entry.0)));
        }
        if counted {
            entry.1 += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_back_after_its_attempts_until_the_window_passes() {
        let limiter = Limiter::new(3, Duration::from_secs(60));
        let (address, other): (std::net::IpAddr, std::net::IpAddr) =
            ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(address, start).is_ok());
        }
        let wait = limiter
            .check(address, start + Duration::from_secs(10))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(50));
        assert!(
            limiter.check(other, start).is_ok(),
            "other clients are not affected"
        );
        assert!(
            limiter
                .check(address, start + Duration::from_secs(61))
                .is_ok()
        );
    }

    #[test]
    fn peeking_does_not_use_an_attempt() {
        let limiter = Limiter::new(1, Duration::from_secs(60));
        let now = Instant::now();
        assert!(limiter.peek("ops".to_owned(), now).is_ok());
        assert!(limiter.peek("ops".to_owned(), now).is_ok());
        assert!(limiter.check("ops".to_owned(), now).is_ok());
        assert!(limiter.peek("ops".to_owned(), now).is_err());
    }
}
