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

/// Seconds since the Unix epoch of a Kubernetes timestamp (`2026-12-01T21:10:45Z`, fractions
/// and offsets allowed), so rules about "ready for N seconds" need no clock library.
pub fn epoch_seconds(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', 't'])?;
    let mut date = date.splitn(3, '-').map(|part| part.parse::<i64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let (clock, offset) = match time.find(['Z', 'z', '+', '-']) {
        Some(at) => time.split_at(at),
        None => return None,
    };
    let mut clock = clock.split(['.', ':']).map(|part| part.parse::<i64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    let offset_seconds = match offset.as_bytes().first() {
        Some(b'+' | b'-') => {
            let (h, m) = offset[1..].split_once(':')?;
            let seconds = h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60;
            if offset.starts_with('-') {
                -seconds
            } else {
                seconds
            }
        }
        _ => 0,
    };
    Some(
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            - offset_seconds,
    )
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
    use super::{epoch_seconds, format_age};

    #[test]
    fn kubernetes_timestamps_read_as_epoch_seconds() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("2026-12-01T21:10:45Z"), Some(1_796_159_445));
        assert_eq!(
            epoch_seconds("2000-02-29T12:00:00.123456Z"),
            Some(951_825_600)
        );
        assert_eq!(
            epoch_seconds("2026-12-01T22:10:45+01:00"),
            Some(1_796_159_445)
        );
        assert_eq!(epoch_seconds("yesterday"), None);
    }

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
