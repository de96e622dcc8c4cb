//! Kubernetes resource quantities (`100m`, `0.5`, `128Mi`, `1e3`), parsed exactly so that a
//! request can be compared with its limit.

use std::cmp::Ordering;
use std::str::FromStr;

/// A parsed quantity, held exactly as `digits × 10^exponent` (no floating point), so `1Gi`
/// equals `1073741824` and `100m` equals `0.1`.
#[derive(Clone, Debug)]
pub struct Quantity {
    negative: bool,
    /// Decimal digits, most significant first, without leading or trailing zeros; empty for 0.
    digits: Vec<u8>,
    exponent: i64,
}

/// Text that is not a quantity in Kubernetes' grammar.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a Kubernetes quantity (for example 100m, 0.5, 128Mi, 1Gi or 1e3)")]
pub struct QuantityError(pub String);

impl Quantity {
    /// Parses Kubernetes' quantity grammar: a signed decimal number followed by nothing, a
    /// decimal SI suffix (`n`, `u`, `m`, `k`, `M`, `G`, `T`, `P`, `E`), a binary one (`Ki` … `Ei`) or
    /// an exponent (`e3`, `E-2`). No spaces, no other units (`12mb` is rejected).
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        parse(text).ok_or_else(|| QuantityError(text.to_owned()))
    }

    /// Whether the quantity is below zero (never a valid request, limit or size).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Whether the quantity is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The value in units of `10^exponent`, rounded up as Kubernetes' `ScaledValue` does (so
    /// `MilliValue` is `scaled_up(-3)`); `None` when negative or beyond `u64`.
    pub fn scaled_up(&self, exponent: i64) -> Option<u64> {
        if self.negative {
            return None;
        }
        let shift = self.exponent.checked_sub(exponent)?;
        let keep =
            usize::try_from((self.digits.len() as i64).checked_add(shift.min(0))?.max(0)).ok()?;
        let mut value: u64 = 0;
        for &digit in &self.digits[..keep] {
            value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
        }
        for _ in 0..shift.max(0) {
            value = value.checked_mul(10)?;
        }
        // Digits were dropped only when some were nonzero (there are no trailing zeros).
        if keep < self.digits.len() {
            value = value.checked_add(1)?;
        }
        Some(value)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |q: &Quantity| match (q.is_zero(), q.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        };
        let by_sign = sign(self).cmp(&sign(other));
        if by_sign != Ordering::Equal || self.is_zero() {
            return by_sign;
        }
        let magnitude = |q: &Quantity| q.digits.len() as i64 + q.exponent;
        let by_magnitude = magnitude(self)
            .cmp(&magnitude(other))
            // Same order of magnitude: the digit strings compare like decimals after the point.
            .then_with(|| self.digits.cmp(&other.digits));
        if self.negative {
            by_magnitude.reverse()
        } else {
            by_magnitude
        }
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

fn parse(text: &str) -> Option<Quantity> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let number_end = rest
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return None;
    }
    let (mut exponent, binary_power) = suffix_scale(suffix)?;
    exponent = exponent.checked_sub(i64::try_from(fraction.len()).ok()?)?;
    let mut digits: Vec<u8> = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|b| b - b'0')
        .collect();
    for _ in 0..binary_power {
        digits = multiply(&digits, 1024);
    }
    Some(normalise(negative, digits, exponent))
}

/// The decimal exponent and the power of 1024 a suffix stands for.
fn suffix_scale(suffix: &str) -> Option<(i64, u32)> {
    let scale = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 1),
        "Mi" => (0, 2),
        "Gi" => (0, 3),
        "Ti" => (0, 4),
        "Pi" => (0, 5),
        "Ei" => (0, 6),
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            let unsigned = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // An i32 keeps every later sum far from overflow; no real quantity comes close.
            (i64::from(exponent.parse::<i32>().ok()?), 0)
        }
    };
    Some(scale)
}

/// Multiplies a big-endian decimal digit string by a small factor.
fn multiply(digits: &[u8], factor: u32) -> Vec<u8> {
    let mut product = Vec::with_capacity(digits.len() + 4);
    let mut carry = 0u32;
    for &digit in digits.iter().rev() {
        let value = u32::from(digit) * factor + carry;
        product.push((value % 10) as u8);
        carry = value / 10;
    }
    while carry > 0 {
        product.push((carry % 10) as u8);
        carry /= 10;
    }
    product.reverse();
    product
}

fn normalise(negative: bool, mut digits: Vec<u8>, mut exponent: i64) -> Quantity {
    let leading = digits.iter().take_while(|&&d| d == 0).count();
    digits.drain(..leading);
    while digits.last() == Some(&0) {
        digits.pop();
        exponent += 1;
    }
    if digits.is_empty() {
        exponent = 0;
    }
    Quantity {
        negative: negative && !digits.is_empty(),
        digits,
        exponent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap()
    }

    #[test]
    fn accepts_the_forms_kubernetes_accepts() {
        for text in [
            "100m", "0.5", ".5", "5.", "1", "128Mi", "1Gi", "1e3", "1E3", "2e-3", "+1", "1.5G",
            "0", "-1",
        ] {
            assert!(Quantity::parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn rejects_units_and_spellings_kubernetes_rejects() {
        for text in [
            "", "12mb", "1 Gi", "Gi", ".", "1..2", "1.2.3", "1gi", "1e", "1e+", "0x10", "1Ki2",
            "1m1", " 1",
        ] {
            assert!(Quantity::parse(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn equal_amounts_in_different_units_compare_equal() {
        assert_eq!(q("1Gi"), q("1073741824"));
        assert_eq!(q("100m"), q("0.1"));
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("1Ki"), q("1.024k"));
        assert_eq!(q("0"), q("-0m"));
    }

    #[test]
    fn amounts_order_by_value() {
        assert!(q("500m") < q("1"));
        assert!(q("128Mi") < q("1Gi"));
        assert!(q("1G") < q("1Gi"));
        assert!(q("953Mi") < q("1G"));
        assert!(q("954Mi") > q("1G"));
        assert!(q("-2") < q("-1"));
        assert!(q("-1") < q("0"));
        assert!(q("0.25") > q("0.125"));
        assert!(q("1Ei") > q("1E"));
    }

    #[test]
    fn scaled_values_round_up_like_kubernetes() {
        assert_eq!(q("100m").scaled_up(-3), Some(100));
        assert_eq!(q("1").scaled_up(-3), Some(1000));
        assert_eq!(q("12345678n").scaled_up(-3), Some(13));
        assert_eq!(q("12345678n").scaled_up(-9), Some(12_345_678));
        assert_eq!(q("128Mi").scaled_up(0), Some(134_217_728));
        assert_eq!(q("1.5").scaled_up(0), Some(2));
        assert_eq!(q("0").scaled_up(-9), Some(0));
        assert_eq!(q("-1").scaled_up(0), None);
        assert_eq!(q("1e30").scaled_up(0), None);
    }

    #[test]
    fn negative_amounts_are_reported() {
        assert!(q("-1").is_negative());
        assert!(!q("-0").is_negative());
    }
}
