//! Figures printed with one decimal, as the programme's reports print them. Held as whole tenths
//! and computed with integer arithmetic, so rounding is half up and never a binary-float surprise.

use std::fmt;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tenths(pub i64);

/// `numerator / denominator` rounded half up, for non-negative operands and a positive denominator.
fn divide_half_up(numerator: i64, denominator: i64) -> i64 {
    (2 * numerator + denominator) / (2 * denominator)
}

impl Tenths {
    /// `part / whole` as a percentage with one decimal; `None` when `whole` is zero.
    pub fn percent(part: i64, whole: i64) -> Option<Self> {
        (whole > 0 && part >= 0).then(|| Self(divide_half_up(part * 1000, whole)))
    }

    /// `numerator / denominator` with one decimal; `None` when `denominator` is zero.
    pub fn ratio(numerator: i64, denominator: i64) -> Option<Self> {
        (denominator > 0 && numerator >= 0).then(|| Self(divide_half_up(numerator * 10, denominator)))
    }

    pub const HUNDRED_PERCENT: Self = Self(1000);
}

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", self.0.abs() / 10, self.0.abs() % 10)
    }
}

/// JSON gets a number; `17.8` prints as `17.8` because serde_json writes the shortest float that
/// reads back the same.
impl Serialize for Tenths {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0 as f64 / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(Tenths::percent(48, 270).unwrap().to_string(), "17.8");
        assert_eq!(Tenths::percent(239, 270).unwrap().to_string(), "88.5");
        // 1/8 = 12.5%: exactly on the half in hundredths -> 12.5; 1/16 = 6.25% -> 6.3, not 6.2.
        assert_eq!(Tenths::percent(1, 16).unwrap().to_string(), "6.3");
        assert_eq!(Tenths::percent(1, 40).unwrap().to_string(), "2.5");
        // 0.05 steps that binary floats get wrong: 1.005% style cases.
        assert_eq!(Tenths::percent(201, 2000).unwrap().to_string(), "10.1"); // 10.05
        assert_eq!(Tenths::percent(3, 2000).unwrap().to_string(), "0.2"); // 0.15
        assert_eq!(Tenths::percent(0, 5).unwrap().to_string(), "0.0");
        assert_eq!(Tenths::percent(5, 0), None);
    }

    #[test]
    fn ratios_round_half_up() {
        assert_eq!(Tenths::ratio(5, 2).unwrap().to_string(), "2.5");
        assert_eq!(Tenths::ratio(1, 4).unwrap().to_string(), "0.3"); // 0.25
        assert_eq!(Tenths::ratio(239, 24).unwrap().to_string(), "10.0"); // 9.958
        assert_eq!(Tenths::ratio(7, 0), None);
    }

    #[test]
    fn json_carries_the_printed_value() {
        assert_eq!(serde_json::to_string(&Tenths(178)).unwrap(), "17.8");
        assert_eq!(serde_json::to_string(&Tenths(1000)).unwrap(), "100.0");
        assert_eq!(serde_json::to_string(&Tenths(3)).unwrap(), "0.3");
    }
}
