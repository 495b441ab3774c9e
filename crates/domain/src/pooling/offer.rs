//! A supplier's sealed offer: unit prices by volume break ("tiers") and an optional maximum volume.
//!
//! Pricing is **all-units**: the tier reached by the volume awarded to a supplier sets the price of
//! every unit it delivers. Tiers start at 1 unit and their breaks strictly increase; prices need not
//! fall (the award is the cheapest whatever their shape). Tier `k` covers volumes from its break up
//! to one below the next break, the last one up to the maximum volume (or without end).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::pooling::error::{PoolingError, PriceField};
use crate::pooling::money;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    /// The smallest volume this price applies to.
    pub from_volume: u64,
    pub unit_price: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub tiers: Vec<Tier>,
    /// The most the supplier can deliver; `None` for no limit.
    pub max_volume: Option<u64>,
}

/// A volume range priced the same: every `v` in `lo..=hi` costs `v × price_e4` ten-thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub lo: u64,
    pub hi: u64,
    pub price_e4: u64,
}

/// A checked offer in integers: breaks and prices in ten-thousandths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Schedule {
    tiers: Vec<(u64, u64)>,
    capacity: Option<u64>,
}

impl Schedule {
    /// Checks `offers[index]`.
    pub fn check(index: usize, offer: &Offer) -> Result<Schedule, PoolingError> {
        if offer.max_volume == Some(0) {
            return Err(PoolingError::ZeroCapacity { offer: index });
        }
        let first = offer.tiers.first().ok_or(PoolingError::NoTier { offer: index })?;
        if first.from_volume != 1 {
            return Err(PoolingError::FirstTierNotAtOne {
                offer: index,
                from: first.from_volume,
            });
        }
        let mut tiers = Vec::with_capacity(offer.tiers.len());
        for (k, tier) in offer.tiers.iter().enumerate() {
            if let Some(&(previous, _)) = tiers.last()
                && tier.from_volume <= previous
            {
                return Err(PoolingError::TiersNotIncreasing {
                    offer: index,
                    tier: k,
                    from: tier.from_volume,
                    previous,
                });
            }
            if let Some(max) = offer.max_volume
                && tier.from_volume > max
            {
                return Err(PoolingError::TierBeyondCapacity {
                    offer: index,
                    tier: k,
                    from: tier.from_volume,
                    max,
                });
            }
            let field = PriceField::Tier {
                offer: index,
                tier: k,
            };
            tiers.push((tier.from_volume, money::unit_price(tier.unit_price, field)?));
        }
        Ok(Schedule {
            tiers,
            capacity: offer.max_volume,
        })
    }

    pub fn capacity(&self) -> Option<u64> {
        self.capacity
    }

    /// The lowest price of any tier: no unit from this supplier costs less.
    pub fn lowest_price_e4(&self) -> u64 {
        self.tiers
            .iter()
            .map(|&(_, price)| price)
            .min()
            .expect("an offer has a tier")
    }

    /// The unit price of the tier `volume` reaches, or `None` beyond capacity or for no volume.
    pub fn unit_price_e4(&self, volume: u64) -> Option<u64> {
        if volume == 0 || self.capacity.is_some_and(|c| volume > c) {
            return None;
        }
        let reached = self.tiers.partition_point(|&(from, _)| from <= volume);
        Some(self.tiers[reached - 1].1)
    }

    /// What `volume` units cost under all-units pricing, in ten-thousandths; `None` beyond capacity.
    pub fn cost_e4(&self, volume: u64) -> Option<u128> {
        if volume == 0 {
            return Some(0);
        }
        self.unit_price_e4(volume)
            .map(|price| u128::from(volume) * u128::from(price))
    }

    /// The tiers as volume ranges, cut at the capacity and at `limit` (no supplier gets more than
    /// the pool's volume).
    pub fn segments(&self, limit: u64) -> Vec<Segment> {
        let top = self.capacity.map_or(limit, |c| c.min(limit));
        self.tiers
            .iter()
            .enumerate()
            .filter(|&(_, &(from, _))| from <= top)
            .map(|(k, &(from, price_e4))| {
                let next = self.tiers.get(k + 1).map_or(u64::MAX, |&(b, _)| b - 1);
                Segment {
                    lo: from,
                    hi: next.min(top),
                    price_e4,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooling::fixtures::offer;

    #[test]
    fn the_tier_reached_prices_every_unit() {
        let schedule = Schedule::check(0, &offer(&[(1, "10"), (100, "9"), (1000, "8.5")], None)).unwrap();
        assert_eq!(schedule.cost_e4(0), Some(0));
        assert_eq!(schedule.cost_e4(99), Some(99 * 100_000));
        assert_eq!(schedule.cost_e4(100), Some(100 * 90_000));
        assert_eq!(schedule.cost_e4(5000), Some(5000 * 85_000));
    }

    #[test]
    fn nothing_beyond_capacity() {
        let schedule = Schedule::check(0, &offer(&[(1, "2"), (10, "1")], Some(15))).unwrap();
        assert_eq!(schedule.cost_e4(15), Some(15 * 10_000));
        assert_eq!(schedule.cost_e4(16), None);
        assert_eq!(
            schedule.segments(100),
            vec![
                Segment {
                    lo: 1,
                    hi: 9,
                    price_e4: 20_000
                },
                Segment {
                    lo: 10,
                    hi: 15,
                    price_e4: 10_000
                },
            ]
        );
        assert_eq!(
            schedule.segments(5),
            vec![Segment {
                lo: 1,
                hi: 5,
                price_e4: 20_000
            }]
        );
    }

    #[test]
    fn malformed_offers_are_refused_with_their_field() {
        let cases = [
            (offer(&[], None), PoolingError::NoTier { offer: 3 }),
            (
                offer(&[(0, "1")], None),
                PoolingError::FirstTierNotAtOne { offer: 3, from: 0 },
            ),
            (
                offer(&[(1, "2"), (50, "1"), (50, "0.5")], None),
                PoolingError::TiersNotIncreasing {
                    offer: 3,
                    tier: 2,
                    from: 50,
                    previous: 50,
                },
            ),
            (
                offer(&[(1, "2"), (50, "1"), (20, "0.5")], None),
                PoolingError::TiersNotIncreasing {
                    offer: 3,
                    tier: 2,
                    from: 20,
                    previous: 50,
                },
            ),
            (
                offer(&[(1, "2")], Some(0)),
                PoolingError::ZeroCapacity { offer: 3 },
            ),
            (
                offer(&[(1, "2"), (50, "1")], Some(40)),
                PoolingError::TierBeyondCapacity {
                    offer: 3,
                    tier: 1,
                    from: 50,
                    max: 40,
                },
            ),
            (
                offer(&[(1, "2"), (50, "-1")], None),
                PoolingError::NegativePrice {
                    field: PriceField::Tier { offer: 3, tier: 1 },
                },
            ),
            (
                offer(&[(1, "2.00001")], None),
                PoolingError::TooPrecise {
                    field: PriceField::Tier { offer: 3, tier: 0 },
                    decimals: 4,
                },
            ),
        ];
        for (bad, expected) in cases {
            assert_eq!(Schedule::check(3, &bad), Err(expected));
        }
    }

    #[test]
    fn errors_name_the_field() {
        let err = Schedule::check(1, &offer(&[(1, "2"), (50, "-1")], None)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "offers[1].tiers[1].unit_price: a price cannot be negative"
        );
    }
}
