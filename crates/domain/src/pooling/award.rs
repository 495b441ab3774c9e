//! The outcome of a closed pool: failed for want of volume, or awarded — who supplies how much at
//! what cost, each SME's new price, cost and savings, all in exact decimals.
//!
//! Rounding, in this order:
//! 1. each supplier's amount is its volume × its unit price (exact, to the ten-thousandth), rounded
//!    half up to the cent, as on an invoice line; the award's total is the sum of those amounts;
//! 2. that total is shared among the SMEs by volume with the largest-remainder method
//!    (`distribution`), so the SMEs' costs add up to the total exactly;
//! 3. each SME's current cost is its volume × its current price, rounded half up to the cent; its
//!    savings are current cost − new cost (negative if the pool is dearer for it), and the total
//!    savings are their sum;
//! 4. the pooled unit price shown is total ÷ volume rounded half up to four decimal places, the
//!    precision prices are quoted in (rounding a price per kWh to the cent would erase it).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::pooling::allocation;
use crate::pooling::commitment::{self, Commitment};
use crate::pooling::distribution::split_cents;
use crate::pooling::error::PoolingError;
use crate::pooling::money::{self, e4_to_cents_half_up};
use crate::pooling::offer::{Offer, Schedule};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PoolOutcome {
    /// The commitments did not reach the minimum: nobody is bound, nothing is awarded.
    BelowMinimum {
        committed: u64,
        minimum: u64,
    },
    Awarded(Award),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Award {
    /// The pooled volume: every commitment summed.
    pub volume: u64,
    /// One line per offer, in the offers' order; a supplier left out has volume 0.
    pub suppliers: Vec<SupplierAward>,
    /// What the pool pays its suppliers, to the cent.
    pub total_cost: Decimal,
    /// `total_cost ÷ volume`, to four decimal places.
    pub unit_price: Decimal,
    /// One per commitment, in the commitments' order.
    pub shares: Vec<Share>,
    /// What the SMEs would have paid at their current prices.
    pub current_total: Decimal,
    pub total_savings: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupplierAward {
    pub volume: u64,
    /// The price of the tier reached, for every unit; `None` when the supplier gets nothing.
    pub unit_price: Option<Decimal>,
    pub cost: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Share {
    pub volume: u64,
    pub current_price: Decimal,
    pub current_cost: Decimal,
    /// The pooled unit price (the same for everyone).
    pub new_unit_price: Decimal,
    /// This SME's part of the award's total.
    pub new_cost: Decimal,
    pub savings: Decimal,
}

/// Settles a closed pool: checks every commitment and offer, then fails the pool if the commitments
/// fall short of `minimum_volume`, or awards the pooled volume at the cheapest feasible cost.
pub fn settle(
    minimum_volume: u64,
    commitments: &[Commitment],
    offers: &[Offer],
) -> Result<PoolOutcome, PoolingError> {
    if minimum_volume == 0 {
        return Err(PoolingError::ZeroMinimum);
    }
    let committed = commitment::check(commitments)?;
    let schedules = offers
        .iter()
        .enumerate()
        .map(|(k, offer)| Schedule::check(k, offer))
        .collect::<Result<Vec<_>, _>>()?;
    if committed.total < minimum_volume {
        return Ok(PoolOutcome::BelowMinimum {
            committed: committed.total,
            minimum: minimum_volume,
        });
    }
    let volume = committed.total;
    let (volumes, _) = allocation::cheapest(&schedules, volume)?;

    let suppliers: Vec<(SupplierAward, u128)> = volumes
        .iter()
        .zip(&schedules)
        .map(|(&given, schedule)| {
            let cost_cents = e4_to_cents_half_up(schedule.cost_e4(given).expect("allocated within capacity"));
            let award = SupplierAward {
                volume: given,
                unit_price: schedule
                    .unit_price_e4(given)
                    .map(|p| money::from_e4(i128::from(p))),
                cost: money::cents(to_i128(cost_cents)),
            };
            (award, cost_cents)
        })
        .collect();
    let total_cents: u128 = suppliers.iter().map(|(_, c)| c).sum();
    let pooled = u128::from(volume);
    // total in cents × 100 is the total in ten-thousandths; halves round up.
    let unit_price_e4 = (2 * total_cents * 100 + pooled) / (2 * pooled);
    let unit_price = money::from_e4(to_i128(unit_price_e4));

    let new_costs = split_cents(total_cents, &committed.volumes);
    let shares: Vec<(Share, i128)> = commitments
        .iter()
        .zip(&committed.current_prices_e4)
        .zip(new_costs)
        .map(|((commitment, &price_e4), new_cents)| {
            let current_cents = to_i128(e4_to_cents_half_up(
                u128::from(commitment.volume) * u128::from(price_e4),
            ));
            let savings = current_cents - to_i128(new_cents);
            let share = Share {
                volume: commitment.volume,
                current_price: money::from_e4(i128::from(price_e4)),
                current_cost: money::cents(current_cents),
                new_unit_price: unit_price,
                new_cost: money::cents(to_i128(new_cents)),
                savings: money::cents(savings),
            };
            (share, current_cents)
        })
        .collect();
    let current_total: i128 = shares.iter().map(|(_, c)| c).sum();
    Ok(PoolOutcome::Awarded(Award {
        volume,
        suppliers: suppliers.into_iter().map(|(s, _)| s).collect(),
        total_cost: money::cents(to_i128(total_cents)),
        unit_price,
        shares: shares.into_iter().map(|(s, _)| s).collect(),
        current_total: money::cents(current_total),
        total_savings: money::cents(current_total - to_i128(total_cents)),
    }))
}

fn to_i128(amount: u128) -> i128 {
    i128::try_from(amount).expect("amounts are bounded by the volume and price limits")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooling::fixtures::{commitment, d, offer};
    use proptest::prelude::*;

    fn awarded(outcome: PoolOutcome) -> Award {
        match outcome {
            PoolOutcome::Awarded(award) => award,
            other => panic!("expected an award, got {other:?}"),
        }
    }

    #[test]
    fn a_pool_short_of_its_minimum_fails_without_error() {
        let outcome = settle(1000, &[commitment(300, "1"), commitment(200, "1")], &[]).unwrap();
        assert_eq!(
            outcome,
            PoolOutcome::BelowMinimum {
                committed: 500,
                minimum: 1000
            }
        );
        assert_eq!(
            settle(1, &[], &[offer(&[(1, "1")], None)]).unwrap(),
            PoolOutcome::BelowMinimum {
                committed: 0,
                minimum: 1
            }
        );
    }

    #[test]
    fn three_smes_share_an_award_to_the_cent() {
        let award = awarded(
            settle(
                100,
                &[
                    commitment(40, "1.20"),
                    commitment(35, "1.10"),
                    commitment(25, "0.95"),
                ],
                &[offer(&[(1, "1.05"), (100, "1.0001")], None)],
            )
            .unwrap(),
        );
        // 100 × 1.0001 = 100.01
        assert_eq!(award.total_cost, d("100.01"));
        assert_eq!(award.unit_price, d("1.0001"));
        let costs: Vec<Decimal> = award.shares.iter().map(|s| s.new_cost).collect();
        // Exact 40.004, 35.0035, 25.0025: floors 40.00, 35.00, 25.00; the cent left goes to the
        // largest remainder, SME 1's 0.4 cent.
        assert_eq!(costs, vec![d("40.01"), d("35.00"), d("25.00")]);
        assert_eq!(award.shares[0].current_cost, d("48.00"));
        assert_eq!(award.shares[0].savings, d("7.99"));
        assert_eq!(
            award.shares[2].savings,
            d("-1.25"),
            "the pool is dearer for SME 3"
        );
        assert_eq!(award.current_total, d("110.25"));
        assert_eq!(award.total_savings, d("10.24"));
    }

    #[test]
    fn supplier_lines_are_rounded_half_up() {
        let award = awarded(
            settle(
                5,
                &[commitment(5, "1")],
                &[offer(&[(1, "0.0010")], Some(3)), offer(&[(1, "0.0015")], Some(2))],
            )
            .unwrap(),
        );
        // 3 × 0.0010 = 0.003 → 0.00; 2 × 0.0015 = 0.003 → 0.00.
        assert_eq!(award.suppliers[0].volume, 3);
        assert_eq!(award.suppliers[0].cost, d("0.00"));
        assert_eq!(award.total_cost, d("0.00"));
        let award = awarded(settle(1, &[commitment(5, "1")], &[offer(&[(1, "0.001")], None)]).unwrap());
        // 5 × 0.001 = 0.005 → 0.01.
        assert_eq!(award.total_cost, d("0.01"));
        assert_eq!(award.unit_price, d("0.002"));
    }

    #[test]
    fn unused_suppliers_have_no_price() {
        let award = awarded(
            settle(
                1,
                &[commitment(10, "5")],
                &[offer(&[(1, "9")], None), offer(&[(1, "4")], None)],
            )
            .unwrap(),
        );
        assert_eq!(
            award.suppliers[0],
            SupplierAward {
                volume: 0,
                unit_price: None,
                cost: d("0.00")
            }
        );
        assert_eq!(award.suppliers[1].unit_price, Some(d("4")));
    }

    #[test]
    fn bad_input_is_refused_before_anything_is_decided() {
        assert_eq!(
            settle(0, &[commitment(1, "1")], &[]),
            Err(PoolingError::ZeroMinimum)
        );
        assert_eq!(settle(1, &[commitment(1, "1")], &[]), Err(PoolingError::NoOffer));
        assert_eq!(
            settle(1, &[commitment(5, "1")], &[offer(&[(1, "1")], Some(4))]),
            Err(PoolingError::Infeasible {
                capacity: 4,
                volume: 5
            })
        );
        // A bad offer is reported even when the pool would fail anyway.
        assert_eq!(
            settle(100, &[commitment(5, "1")], &[offer(&[(2, "1")], None)]),
            Err(PoolingError::FirstTierNotAtOne { offer: 0, from: 2 })
        );
    }

    fn any_commitment() -> impl Strategy<Value = Commitment> {
        (1u64..100_000, 0i64..1_000_000).prop_map(|(volume, e4)| Commitment {
            volume,
            current_price: Decimal::new(e4, 4),
        })
    }

    fn any_offer() -> impl Strategy<Value = Offer> {
        (
            prop::collection::btree_set(2u64..200_000, 0..4),
            prop::collection::vec(0i64..1_000_000, 5),
        )
            .prop_map(|(breaks, prices)| Offer {
                tiers: std::iter::once(1)
                    .chain(breaks)
                    .zip(prices)
                    .map(|(from_volume, e4)| crate::pooling::Tier {
                        from_volume,
                        unit_price: Decimal::new(e4, 4),
                    })
                    .collect(),
                max_volume: None,
            })
    }

    proptest! {
        #[test]
        fn money_reconciles_to_the_cent(
            commitments in prop::collection::vec(any_commitment(), 1..12),
            offers in prop::collection::vec(any_offer(), 1..4),
        ) {
            let award = awarded(settle(1, &commitments, &offers).unwrap());
            let suppliers: Decimal = award.suppliers.iter().map(|s| s.cost).sum();
            prop_assert_eq!(suppliers, award.total_cost);
            let new: Decimal = award.shares.iter().map(|s| s.new_cost).sum();
            prop_assert_eq!(new, award.total_cost);
            let current: Decimal = award.shares.iter().map(|s| s.current_cost).sum();
            prop_assert_eq!(current, award.current_total);
            let savings: Decimal = award.shares.iter().map(|s| s.savings).sum();
            prop_assert_eq!(savings, award.total_savings);
            prop_assert_eq!(award.current_total - award.total_cost, award.total_savings);
            let volume = Decimal::from(award.volume);
            for share in &award.shares {
                let exact = award.total_cost * Decimal::from(share.volume) / volume;
                prop_assert!((share.new_cost - exact).abs() < d("0.01"), "{} vs exact {}", share.new_cost, exact);
                prop_assert_eq!(share.new_cost.scale(), 2);
            }
        }
    }
}
