//! An SME's conditional commitment: a volume and the unit price it pays today. It binds only if
//! the pool's commitments together reach the pool's minimum volume.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::pooling::error::{PoolingError, PriceField};
use crate::pooling::money::{self, MAX_TOTAL_VOLUME};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commitment {
    /// Whole units, at least one.
    pub volume: u64,
    /// What the SME pays per unit today: at least 0, at most four decimal places.
    pub current_price: Decimal,
}

/// Checked commitments: each volume, each current price in ten-thousandths, and the total volume.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    pub volumes: Vec<u64>,
    pub current_prices_e4: Vec<u64>,
    pub total: u64,
}

pub(crate) fn check(commitments: &[Commitment]) -> Result<Checked, PoolingError> {
    let mut checked = Checked {
        volumes: Vec::with_capacity(commitments.len()),
        current_prices_e4: Vec::with_capacity(commitments.len()),
        total: 0,
    };
    for (k, commitment) in commitments.iter().enumerate() {
        if commitment.volume == 0 {
            return Err(PoolingError::ZeroVolume { commitment: k });
        }
        let price = money::unit_price(commitment.current_price, PriceField::Current { commitment: k })?;
        checked.total = checked
            .total
            .checked_add(commitment.volume)
            .filter(|&t| t <= MAX_TOTAL_VOLUME)
            .ok_or(PoolingError::TooMuchVolume {
                max: MAX_TOTAL_VOLUME,
            })?;
        checked.volumes.push(commitment.volume);
        checked.current_prices_e4.push(price);
    }
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooling::fixtures::commitment;

    #[test]
    fn volumes_add_up() {
        let checked = check(&[commitment(10, "1.25"), commitment(5, "0")]).unwrap();
        assert_eq!(checked.total, 15);
        assert_eq!(checked.current_prices_e4, vec![12_500, 0]);
    }

    #[test]
    fn bad_commitments_name_their_field() {
        assert_eq!(
            check(&[commitment(10, "1"), commitment(0, "1")]),
            Err(PoolingError::ZeroVolume { commitment: 1 })
        );
        let err = check(&[commitment(10, "-1")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "commitments[0].current_price: a price cannot be negative"
        );
        assert_eq!(
            check(&[commitment(MAX_TOTAL_VOLUME, "1"), commitment(1, "1")]),
            Err(PoolingError::TooMuchVolume {
                max: MAX_TOTAL_VOLUME
            })
        );
    }
}
