//! Times as the pages show them, on the browser's clock.

use console_model::format_age;

/// Age of an RFC 3339 timestamp, kubectl-style (`5m`, `3h`, `2d`).
pub fn age_of(created: &str) -> String {
    let created_ms = js_sys::Date::parse(created);
    if created_ms.is_nan() {
        return String::new();
    }
    let seconds = ((js_sys::Date::now() - created_ms) / 1000.0) as i64;
    format_age(seconds)
}
