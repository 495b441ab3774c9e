//! Exact money for pooled purchases. Unit prices carry at most four decimal places (energy and
//! transport are priced per kWh or per km to the ten-thousandth); amounts are in cents. Inside the
//! algorithms prices are whole ten-thousandths and costs whole ten-thousandths or cents, so that
//! every sum is an integer sum; `Decimal` appears only at the edges.

use rust_decimal::Decimal;

use crate::pooling::error::{PoolingError, PriceField};

/// Decimal places a unit price may carry.
pub const PRICE_DECIMALS: u32 = 4;
/// The highest unit price accepted, so that volume × price never leaves exact integer range.
pub const MAX_UNIT_PRICE: u64 = 1_000_000_000;
/// The highest volume a pool may gather (commitments summed), for the same reason.
pub const MAX_TOTAL_VOLUME: u64 = 1_000_000_000_000;

/// Ten-thousandths of a currency unit per cent.
const E4_PER_CENT: u128 = 100;

/// Why a unit price is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PriceProblem {
    Negative,
    TooPrecise,
    TooHigh,
}

/// A unit price in whole ten-thousandths, or why it is not one.
fn price_e4(price: Decimal) -> Result<u64, PriceProblem> {
    if price.is_sign_negative() && !price.is_zero() {
        return Err(PriceProblem::Negative);
    }
    let price = price.normalize();
    if price.scale() > PRICE_DECIMALS {
        return Err(PriceProblem::TooPrecise);
    }
    if price > Decimal::from(MAX_UNIT_PRICE) {
        return Err(PriceProblem::TooHigh);
    }
    let scaled = price * Decimal::from(10_000u32);
    Ok(u64::try_from(scaled.mantissa() / 10i128.pow(scaled.scale())).expect("bounded above"))
}

/// A unit price typed in `field`, in whole ten-thousandths.
pub(crate) fn unit_price(price: Decimal, field: PriceField) -> Result<u64, PoolingError> {
    price_e4(price).map_err(|problem| match problem {
        PriceProblem::Negative => PoolingError::NegativePrice { field },
        PriceProblem::TooPrecise => PoolingError::TooPrecise {
            field,
            decimals: PRICE_DECIMALS,
        },
        PriceProblem::TooHigh => PoolingError::PriceTooHigh {
            field,
            max: MAX_UNIT_PRICE,
        },
    })
}

/// Ten-thousandths rounded half up to cents (amounts here are never negative).
pub(crate) fn e4_to_cents_half_up(e4: u128) -> u128 {
    (e4 + E4_PER_CENT / 2) / E4_PER_CENT
}

pub(crate) fn cents(amount: i128) -> Decimal {
    Decimal::try_from_i128_with_scale(amount, 2).expect("amounts are bounded by the volume and price limits")
}

pub(crate) fn from_e4(amount: i128) -> Decimal {
    Decimal::try_from_i128_with_scale(amount, PRICE_DECIMALS)
        .expect("amounts are bounded by the volume and price limits")
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn prices_are_read_to_the_ten_thousandth() {
        assert_eq!(price_e4(d("0.1234")), Ok(1234));
        assert_eq!(price_e4(d("12")), Ok(120_000));
        assert_eq!(
            price_e4(d("1.50000")),
            Ok(15_000),
            "trailing zeros are not precision"
        );
        assert_eq!(price_e4(d("0")), Ok(0));
        assert_eq!(price_e4(d("-0.00")), Ok(0));
    }

    #[test]
    fn bad_prices_are_named() {
        assert_eq!(price_e4(d("-0.01")), Err(PriceProblem::Negative));
        assert_eq!(price_e4(d("0.12345")), Err(PriceProblem::TooPrecise));
        assert_eq!(price_e4(d("1000000000.0001")), Err(PriceProblem::TooHigh));
    }

    #[test]
    fn half_a_cent_rounds_up() {
        assert_eq!(e4_to_cents_half_up(49), 0);
        assert_eq!(e4_to_cents_half_up(50), 1);
        assert_eq!(e4_to_cents_half_up(12_349), 123);
        assert_eq!(e4_to_cents_half_up(12_350), 124);
        assert_eq!(cents(-1234), d("-12.34"));
        assert_eq!(from_e4(15_000), d("1.5"));
    }
}
