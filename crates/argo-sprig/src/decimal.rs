//! Exact decimal arithmetic for the `*f` math functions: sprig converts each float to the
//! decimal it prints as (shopspring/decimal's `NewFromFloat`), operates exactly, and converts
//! back, so `addf 1.1 2.2` is 3.3, not 3.3000000000000003. Division rounds to 16 places.
//! Must not: lose precision silently; when an operand is out of the exact range the
//! operation falls back to plain float arithmetic.

use crate::conversion::shortest_digits;

/// `coefficient × 10^exponent`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Decimal {
    coefficient: i128,
    exponent: i32,
}

/// Digits kept after the point by a division, as shopspring's `DivisionPrecision`.
const DIVISION_PLACES: i32 = 16;

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Decimal {
    /// The decimal a finite float prints as; `None` for NaN and infinities.
    pub fn from_f64(f: f64) -> Option<Self> {
        if !f.is_finite() {
            return None;
        }
        let (digits, point) = shortest_digits(f);
        let magnitude: i128 = digits.parse().ok()?;
        let coefficient = if f.is_sign_negative() {
            -magnitude
        } else {
            magnitude
        };
        Some(Self {
            coefficient,
            exponent: point - digits.len() as i32,
        })
    }

    pub fn to_f64(self) -> f64 {
        format!("{}e{}", self.coefficient, self.exponent)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// Both operands rescaled to the smaller exponent.
    fn aligned(self, other: Self) -> Option<(i128, i128, i32)> {
        let exponent = self.exponent.min(other.exponent);
        let scale = |d: Self| {
            let shift = u32::try_from(d.exponent - exponent).ok()?;
            d.coefficient.checked_mul(pow10(shift)?)
        };
        Some((scale(self)?, scale(other)?, exponent))
    }

    pub fn add(self, other: Self) -> Option<Self> {
        let (a, b, exponent) = self.aligned(other)?;
        Some(Self {
            coefficient: a.checked_add(b)?,
            exponent,
        })
    }

    pub fn sub(self, other: Self) -> Option<Self> {
        let (a, b, exponent) = self.aligned(other)?;
        Some(Self {
            coefficient: a.checked_sub(b)?,
            exponent,
        })
    }

    pub fn mul(self, other: Self) -> Option<Self> {
        Some(Self {
            coefficient: self.coefficient.checked_mul(other.coefficient)?,
            exponent: self.exponent.checked_add(other.exponent)?,
        })
    }

    /// The quotient rounded half away from zero at 16 decimal places; `None` on overflow
    /// (the caller divides the floats instead). Division by zero is the caller's check.
    pub fn div(self, other: Self) -> Option<Self> {
        let shift = self.exponent - other.exponent + DIVISION_PLACES;
        let (numerator, denominator) = if shift >= 0 {
            (
                self.coefficient.checked_mul(pow10(shift.unsigned_abs())?)?,
                other.coefficient,
            )
        } else {
            (
                self.coefficient,
                other
                    .coefficient
                    .checked_mul(pow10(shift.unsigned_abs())?)?,
            )
        };
        if denominator == 0 {
            return None;
        }
        let mut quotient = numerator / denominator;
        let remainder = numerator % denominator;
        if remainder.checked_abs()?.checked_mul(2)? >= denominator.checked_abs()? {
            let negative = (numerator < 0) != (denominator < 0);
            quotient += if negative { -1 } else { 1 };
        }
        Some(Self {
            coefficient: quotient,
            exponent: -DIVISION_PLACES,
        })
    }

    pub fn is_zero(self) -> bool {
        self.coefficient == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: f64) -> Decimal {
        Decimal::from_f64(f).expect("finite")
    }

    #[test]
    fn decimal_sums_are_exact() {
        let sum = d(1.1).add(d(2.2)).expect("fits");
        assert_eq!(sum.to_f64(), 3.3);
    }

    #[test]
    fn decimal_division_rounds_to_sixteen_places() {
        let third = d(1.0).div(d(3.0)).expect("fits");
        assert_eq!(third.to_f64(), 0.3333333333333333);
        let two_thirds = d(2.0).div(d(3.0)).expect("fits");
        assert_eq!(two_thirds.to_f64(), 0.6666666666666667);
    }
}
