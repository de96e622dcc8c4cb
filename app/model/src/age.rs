//! Ages the way `kubectl get` prints them, so the console and the terminal agree.

/// Formats a duration in seconds as `45s`, `12m`, `5h`, `3d` or `2y`, with a second unit
/// while the first is small (`2m30s`, `5h10m`, `3d4h`), as kubectl does.
pub fn format_age(seconds: i64) -> String {
    let s = seconds.max(0);
    let (minutes, hours, days) = (s / 60, s / 3600, s / 86_400);
    match s {
        _ if s < 120 => format!("{s}s"),
        _ if minutes < 10 => with_rest(minutes, 'm', s % 60, 's'),
        _ if hours < 3 => format!("{minutes}m"),
        _ if hours < 8 => with_rest(hours, 'h', minutes % 60, 'm'),
        _ if hours < 48 => format!("{hours}h"),
        _ if days < 8 => with_rest(days, 'd', hours % 24, 'h'),
        _ if days < 365 * 2 => format!("{days}d"),
        _ => with_rest(days / 365, 'y', days % 365, 'd'),
    }
}

fn with_rest(major: i64, major_unit: char, minor: i64, minor_unit: char) -> String {
    if minor == 0 {
        format!("{major}{major_unit}")
    } else {
        format!("{major}{major_unit}{minor}{minor_unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::format_age;

    #[test]
    fn matches_kubectl_at_each_boundary() {
        let cases = [
            (-5, "0s"),
            (59, "59s"),
            (119, "119s"),
            (150, "2m30s"),
            (600, "10m"),
            (3 * 3600, "3h"),
            (5 * 3600 + 600, "5h10m"),
            (47 * 3600, "47h"),
            (3 * 86_400 + 4 * 3600, "3d4h"),
            (30 * 86_400, "30d"),
            (800 * 86_400, "2y70d"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(format_age(seconds), expected, "{seconds}s");
        }
    }
}
