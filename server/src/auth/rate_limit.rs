//! Bounds sign-in attempts per client address, so passwords cannot be guessed at speed.
//! Per replica by design: it protects, it does not need to be shared.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// At most `attempts` per `window` per address.
#[derive(Clone)]
pub struct SignInLimiter {
    attempts: u32,
    window: Duration,
    seen: Arc<Mutex<HashMap<IpAddr, (Instant, u32)>>>,
}

impl SignInLimiter {
    pub fn new(attempts: u32, window: Duration) -> Self {
        SignInLimiter {
            attempts,
            window,
            seen: Arc::default(),
        }
    }

    /// Counts an attempt; `Err` holds how long until the address may try again.
    pub fn check(&self, address: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(address).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        if entry.1 >= self.attempts {
            return Err(self.window.saturating_sub(now.duration_since(entry.0)));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_held_back_after_its_attempts_until_the_window_passes() {
        let limiter = SignInLimiter::new(3, Duration::from_secs(60));
        let (address, other) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
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
}
