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
}
