//! Times as the pages show them, on the browser's clock.

use console_model::format_age;
use gloo_timers::future::TimeoutFuture;
use leptos::{prelude::*, task::spawn_local};

/// Age of an RFC 3339 timestamp, kubectl-style (`5m`, `3h`, `2d`).
pub fn age_of(created: &str) -> String {
    let created_ms = js_sys::Date::parse(created);
    if created_ms.is_nan() {
        return String::new();
    }
    let seconds = ((js_sys::Date::now() - created_ms) / 1000.0) as i64;
    format_age(seconds)
}

/// Unix seconds now.
pub fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Unix seconds, updated every `every` seconds while the calling component lives: for rules
/// that change with time alone (a pod becomes available once ready for `minReadySeconds`).
/// A loop rather than an interval dropped at cleanup, so it keeps time wherever it is created
/// (inside an effect too) and ends once the signal is gone.
pub fn clock(every: u32) -> ReadSignal<i64> {
    let (now, set_now) = signal(now_seconds());
    spawn_local(async move {
        loop {
            TimeoutFuture::new(every * 1000).await;
            if set_now.try_set(now_seconds()).is_some() {
                return;
            }
        }
    });
    now
}
