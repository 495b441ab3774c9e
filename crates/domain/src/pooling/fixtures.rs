//! Offers and commitments written tersely for tests.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::pooling::{Commitment, Offer, Tier};

pub(crate) fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// An offer from `(from_volume, unit price)` pairs.
pub(crate) fn offer(tiers: &[(u64, &str)], max_volume: Option<u64>) -> Offer {
    Offer {
        tiers: tiers
            .iter()
            .map(|&(from_volume, price)| Tier {
                from_volume,
                unit_price: d(price),
            })
            .collect(),
        max_volume,
    }
}

pub(crate) fn commitment(volume: u64, current_price: &str) -> Commitment {
    Commitment {
        volume,
        current_price: d(current_price),
    }
}
