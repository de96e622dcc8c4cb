//! What an unquoted scalar means to kubectl: go-yaml v2's YAML 1.1 resolution (its
//! `resolve.go`), which sigs.k8s.io/yaml uses when kubectl reads a manifest.
//!
//! `yes`, `on` and `Y` are booleans there, `0644` is octal, `0x1e` hex, `1_000` a thousand;
//! YAML 1.2 parsers (serde_yaml among them) read all of those as strings. The same rules decide,
//! in the other direction, which strings the writer must quote.

use serde_yaml::{Number, Value};

/// The value of a plain (unquoted, untagged) scalar, as go-yaml v2 decodes it into an
/// `interface{}`. Timestamps stay strings there (for backward compatibility, says go-yaml), so
/// they do here.
pub fn plain(text: &str) -> Value {
    match hint(text) {
        Hint::Keyword => keyword(text).unwrap_or_else(|| Value::String(text.to_owned())),
        Hint::Dot => keyword(text)
            .or_else(|| dot_float(text))
            .unwrap_or_else(|| Value::String(text.to_owned())),
        Hint::Number => keyword(text)
            .or_else(|| number(text))
            .unwrap_or_else(|| Value::String(text.to_owned())),
        Hint::None => Value::String(text.to_owned()),
    }
}

/// Whether a string must be quoted so that kubectl reads it back as this same string: it
/// would resolve to something else unquoted, or it is a YAML 1.1 timestamp or base-60 number
/// (go-yaml quotes those too, for other YAML 1.1 readers), or the merge key `<<`.
pub fn needs_quotes(text: &str) -> bool {
    !matches!(plain(text), Value::String(_))
        || looks_like_timestamp(text)
        || is_base60(text)
        || text == "<<"
}

/// go-yaml looks at the first byte to decide what a scalar may be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hint {
    /// `y Y n N t T f F o O ~`, or the empty scalar: only the keyword table applies.
    Keyword,
    /// `.`: `.inf`, `.nan` or a float such as `.5`.
    Dot,
    /// A digit or a sign: an integer or a float.
    Number,
    /// Anything else is a string.
    None,
}

fn hint(text: &str) -> Hint {
    match text.as_bytes().first() {
        None => Hint::Keyword,
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            Hint::Keyword
        }
        Some(b'.') => Hint::Dot,
        Some(b'+' | b'-' | b'0'..=b'9') => Hint::Number,
        Some(_) => Hint::None,
    }
}

/// go-yaml v2's table of keywords.
fn keyword(text: &str) -> Option<Value> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        ".nan" | ".NaN" | ".NAN" => Value::from(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::from(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::from(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// A scalar starting with `.`: Go's `ParseFloat` on the text as it is (so `._5` is a string).
fn dot_float(text: &str) -> Option<Value> {
    let rest = text.strip_prefix('.')?;
    let (digits, exponent) = split_exponent(rest);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || !exponent_ok(exponent) {
        return None;
    }
    finite_float(text)
}

/// A scalar starting with a digit or a sign: underscores are dropped, then Go's
/// `ParseInt(s, 0, 64)` (decimal, `0x`, `0o`, `0b`, and a leading `0` for octal), then
/// `ParseUint`, then a float of YAML's shape. A float out of range stays a string, as Go's
/// `ParseFloat` fails on it.
fn number(text: &str) -> Option<Value> {
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if let Some(int) = go_parse_int(&plain) {
        return Some(Value::Number(int));
    }
    if is_yaml_float(&plain) {
        return finite_float(&plain);
    }
    None
}

fn finite_float(text: &str) -> Option<Value> {
    text.parse::<f64>()
        .ok()
        .filter(|float| float.is_finite())
        .map(Value::from)
}

/// Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint(s, 0, 64)` (no sign) for
/// values above `i64::MAX`.
fn go_parse_int(text: &str) -> Option<Number> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = match unsigned.as_bytes() {
        [b'0', b'x' | b'X', ..] => (16, &unsigned[2..]),
        [b'0', b'o' | b'O', ..] => (8, &unsigned[2..]),
        [b'0', b'b' | b'B', ..] => (2, &unsigned[2..]),
        [b'0', _, ..] => (8, &unsigned[1..]),
        _ => (10, unsigned),
    };
    // `from_str_radix` would take a second sign; Go does not.
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 {
            Some(Number::from(-(magnitude as i64)))
        } else if magnitude == i64::MAX as u64 + 1 {
            Some(Number::from(i64::MIN))
        } else {
            None
        }
    } else if let Ok(small) = i64::try_from(magnitude) {
        Some(Number::from(small))
    } else if text.starts_with('+') {
        // ParseInt overflowed and ParseUint takes no sign.
        None
    } else {
        Some(Number::from(magnitude))
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = split_exponent(unsigned);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => digits(fraction),
        Some((whole, fraction)) => {
            digits(whole) && (fraction.is_empty() || fraction.bytes().all(|b| b.is_ascii_digit()))
        }
        None => digits(mantissa),
    };
    mantissa_ok && exponent_ok(exponent)
}

/// Splits `1.5e-3` into `1.5` and `Some("-3")`.
fn split_exponent(text: &str) -> (&str, Option<&str>) {
    match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    }
}

fn exponent_ok(exponent: Option<&str>) -> bool {
    exponent.is_none_or(|exponent| {
        let digits = exponent.strip_prefix(['-', '+']).unwrap_or(exponent);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A YAML 1.1 timestamp as go-yaml tries it (four digits, `-`, then a date and maybe a
/// time). Erring towards quoting costs nothing: a quoted date is the same string.
fn looks_like_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 8 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-'
}

/// go-yaml's `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`: `1:20` is 80 to YAML 1.1
/// readers, so go-yaml quotes it.
fn is_base60(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let mut parts = whole.split(':');
    let first = parts.next().unwrap_or_default();
    let first_ok = first.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && first.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let mut sixties = 0;
    let rest_ok = parts.all(|part| {
        sixties += 1;
        match part.as_bytes() {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        }
    });
    let fraction_ok = fraction.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit() || b == b'_'));
    first_ok && sixties > 0 && rest_ok && fraction_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(n: i64) -> Value {
        Value::from(n)
    }

    #[test]
    fn yaml_1_1_booleans_are_booleans_in_every_case_form_kubectl_knows() {
        for word in [
            "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE",
        ] {
            assert_eq!(plain(word), Value::Bool(true), "{word}");
        }
        for word in [
            "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
        ] {
            assert_eq!(plain(word), Value::Bool(false), "{word}");
        }
        for word in ["yEs", "oN", "nO", "tRUE", "yes!", "onion"] {
            assert_eq!(plain(word), Value::from(word), "{word}");
        }
    }

    #[test]
    fn null_is_the_empty_scalar_the_tilde_and_null_in_three_spellings() {
        for word in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(plain(word), Value::Null, "{word:?}");
        }
        assert_eq!(plain("nULL"), Value::from("nULL"));
    }

    #[test]
    fn integers_are_read_in_every_base_go_accepts() {
        assert_eq!(plain("0420"), int(272));
        assert_eq!(plain("0755"), int(493));
        assert_eq!(plain("0x1e"), int(30));
        assert_eq!(plain("0X1E"), int(30));
        assert_eq!(plain("0o17"), int(15));
        assert_eq!(plain("0b101"), int(5));
        assert_eq!(plain("-0b101"), int(-5));
        assert_eq!(plain("+12"), int(12));
        assert_eq!(plain("-0x10"), int(-16));
        assert_eq!(plain("1_000_000"), int(1_000_000));
        assert_eq!(plain("0"), int(0));
        assert_eq!(plain("-9223372036854775808"), int(i64::MIN));
        assert_eq!(plain("18446744073709551615"), Value::from(u64::MAX));
    }

    #[test]
    fn what_is_not_an_integer_may_still_be_a_float() {
        // Not octal, so Go's ParseInt refuses it; the float pattern takes it.
        assert_eq!(plain("09"), Value::from(9.0));
        assert_eq!(plain("1e3"), Value::from(1000.0));
        assert_eq!(plain("-1.5E-3"), Value::from(-0.0015));
        assert_eq!(plain("1."), Value::from(1.0));
        assert_eq!(plain(".5"), Value::from(0.5));
        assert_eq!(
            plain("18446744073709551616"),
            Value::from(18446744073709551616.0)
        );
        assert_eq!(plain("+.inf"), Value::from(f64::INFINITY));
        assert!(matches!(plain(".nan"), Value::Number(n) if n.as_f64().is_some_and(f64::is_nan)));
    }

    #[test]
    fn anything_else_stays_the_string_it_is() {
        for text in [
            "1e400",
            "0x",
            "0b2",
            "08x",
            "1.2.3",
            "++1",
            "+-1",
            "1e",
            ".",
            "._5",
            "_1",
            "1:20",
            "2026-01-01",
            "0.1.0",
            "v1",
            "<<",
            "-",
            "1 000",
            "１２",
        ] {
            assert_eq!(plain(text), Value::from(text), "{text}");
        }
    }

    #[test]
    fn strings_kubectl_would_read_as_something_else_need_quotes() {
        for text in [
            "yes",
            "on",
            "Off",
            "y",
            "0644",
            "1e3",
            "0x10",
            "~",
            "null",
            "true",
            "",
            "12",
            "-1",
            ".5",
            ".inf",
            "2026-01-01",
            "1:20",
            "<<",
            "0b1",
            "1_0",
        ] {
            assert!(needs_quotes(text), "{text:?}");
        }
        for text in [
            "agent",
            "1e400x",
            "v1.2",
            "nginx:1.27",
            "a b",
            "100m",
            "1Gi",
            "yesno",
        ] {
            assert!(!needs_quotes(text), "{text:?}");
        }
    }
}
