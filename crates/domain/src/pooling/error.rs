//! Why a pool's figures cannot be awarded. Each variant names the offending field and position, so
//! the app can turn it into a field error; a pool that simply missed its minimum is not an error
//! (see [`crate::pooling::PoolOutcome::BelowMinimum`]).

/// Which price a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceField {
    /// `commitments[commitment].current_price`.
    Current { commitment: usize },
    /// `offers[offer].tiers[tier].unit_price`.
    Tier { offer: usize, tier: usize },
}

impl std::fmt::Display for PriceField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PriceField::Current { commitment } => write!(f, "commitments[{commitment}].current_price"),
            PriceField::Tier { offer, tier } => write!(f, "offers[{offer}].tiers[{tier}].unit_price"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolingError {
    #[error("minimum_volume: a pool needs a minimum of at least one unit")]
    ZeroMinimum,
    #[error("commitments[{commitment}].volume: a commitment is for at least one unit")]
    ZeroVolume { commitment: usize },
    #[error("commitments: together they exceed {max} units")]
    TooMuchVolume { max: u64 },
    #[error("{field}: a price cannot be negative")]
    NegativePrice { field: PriceField },
    #[error("{field}: a unit price has at most {decimals} decimal places")]
    TooPrecise { field: PriceField, decimals: u32 },
    #[error("{field}: a unit price is at most {max}")]
    PriceTooHigh { field: PriceField, max: u64 },
    #[error("offers: no supplier made an offer")]
    NoOffer,
    #[error("offers[{offer}].tiers: an offer has at least one tier")]
    NoTier { offer: usize },
    #[error("offers[{offer}].tiers[0].from_volume: the first tier starts at 1 unit, not {from}")]
    FirstTierNotAtOne { offer: usize, from: u64 },
    #[error(
        "offers[{offer}].tiers[{tier}].from_volume: {from} does not follow {previous}; breaks must increase"
    )]
    TiersNotIncreasing {
        offer: usize,
        tier: usize,
        from: u64,
        previous: u64,
    },
    #[error("offers[{offer}].max_volume: a maximum volume is at least one unit")]
    ZeroCapacity { offer: usize },
    #[error("offers[{offer}].tiers[{tier}].from_volume: {from} is beyond the offer's maximum of {max} units")]
    TierBeyondCapacity {
        offer: usize,
        tier: usize,
        from: u64,
        max: u64,
    },
    #[error("offers: together the suppliers can deliver {capacity} units, short of the {volume} committed")]
    Infeasible { capacity: u64, volume: u64 },
    /// The exact award needs more work than the search may spend (see `allocation::WORK_BUDGET`):
    /// nothing is awarded, the staff decide. Never an approximate award.
    #[error("offers: the exact award needs more than {budget} steps; the staff decide")]
    TooComplex { budget: u64 },
}

impl PoolingError {
    /// The path of the field the problem is about (`offers[1].tiers[2].from_volume`,
    /// `commitments`, …), as the message starts with it.
    pub fn field(&self) -> String {
        match self {
            PoolingError::ZeroMinimum => "minimum_volume".into(),
            PoolingError::ZeroVolume { commitment } => format!("commitments[{commitment}].volume"),
            PoolingError::TooMuchVolume { .. } => "commitments".into(),
            PoolingError::NegativePrice { field }
            | PoolingError::TooPrecise { field, .. }
            | PoolingError::PriceTooHigh { field, .. } => field.to_string(),
            PoolingError::NoOffer | PoolingError::Infeasible { .. } | PoolingError::TooComplex { .. } => {
                "offers".into()
            }
            PoolingError::NoTier { offer } => format!("offers[{offer}].tiers"),
            PoolingError::FirstTierNotAtOne { offer, .. } => format!("offers[{offer}].tiers[0].from_volume"),
            PoolingError::TiersNotIncreasing { offer, tier, .. }
            | PoolingError::TierBeyondCapacity { offer, tier, .. } => {
                format!("offers[{offer}].tiers[{tier}].from_volume")
            }
            PoolingError::ZeroCapacity { offer } => format!("offers[{offer}].max_volume"),
        }
    }

    /// What is wrong, without the field.
    pub fn message(&self) -> String {
        let text = self.to_string();
        let field = self.field();
        text.strip_prefix(&format!("{field}: "))
            .map_or_else(|| text.clone(), str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_starts_with_its_field() {
        let errors = [
            PoolingError::ZeroMinimum,
            PoolingError::ZeroVolume { commitment: 2 },
            PoolingError::TooMuchVolume { max: 9 },
            PoolingError::NegativePrice {
                field: PriceField::Tier { offer: 1, tier: 3 },
            },
            PoolingError::TooPrecise {
                field: PriceField::Current { commitment: 0 },
                decimals: 4,
            },
            PoolingError::PriceTooHigh {
                field: PriceField::Current { commitment: 1 },
                max: 5,
            },
            PoolingError::NoOffer,
            PoolingError::NoTier { offer: 0 },
            PoolingError::FirstTierNotAtOne { offer: 0, from: 3 },
            PoolingError::TiersNotIncreasing {
                offer: 1,
                tier: 2,
                from: 5,
                previous: 9,
            },
            PoolingError::ZeroCapacity { offer: 4 },
            PoolingError::TierBeyondCapacity {
                offer: 0,
                tier: 1,
                from: 9,
                max: 5,
            },
            PoolingError::Infeasible {
                capacity: 1,
                volume: 2,
            },
            PoolingError::TooComplex { budget: 10 },
        ];
        for error in errors {
            let field = error.field();
            assert!(
                error.to_string().starts_with(&format!("{field}: ")),
                "{error} names {field}"
            );
            assert!(!error.message().starts_with(&field), "{error}");
        }
    }
}
