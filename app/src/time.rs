//! Times as the pages show them, on the browser's clock.

use console_model::format_age;
use leptos::prelude::*;

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
pub fn clock(every: u32) -> ReadSignal<i64> {
    let (now, set_now) = signal(now_seconds());
    let ticker = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(
        every * 1000,
        move || set_now.set(now_seconds()),
    ));
    on_cleanup(move || drop(ticker));
    now
}
