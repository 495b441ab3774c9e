//! A pool's life and labels: its category (a closed list), its state, and the checks of one
//! commitment or one offer as a form sends it, with the field each refusal names.

use rust_decimal::Decimal;
use std::str::FromStr;

use crate::pooling::commitment::{self, Commitment};
use crate::pooling::error::PoolingError;
use crate::pooling::offer::{Offer, Schedule};

/// What a pool buys. A closed list: pools of one category compare across years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Energy,
    Packaging,
    It,
    Insurance,
    Transport,
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Energy,
        Category::Packaging,
        Category::It,
        Category::Insurance,
        Category::Transport,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Energy => "energy",
            Category::Packaging => "packaging",
            Category::It => "it",
            Category::Insurance => "insurance",
            Category::Transport => "transport",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == code)
    }

    /// The French label, as mails (written in French first) show it.
    pub fn label_fr(self) -> &'static str {
        match self {
            Category::Energy => "Énergie",
            Category::Packaging => "Emballages",
            Category::It => "Informatique",
            Category::Insurance => "Assurances",
            Category::Transport => "Transport",
            Category::Other => "Autre",
        }
    }
}

/// Where a pool stands. `Draft` → `Open` (published; commitments and offers are taken from the
/// opening instant to the closing instant) → `Closed` (settled at the close) → `Awarded` (the
/// staff confirmed the award); `Cancelled` from draft, open or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolState {
    Draft,
    Open,
    Closed,
    Awarded,
    Cancelled,
}

impl PoolState {
    pub fn as_str(self) -> &'static str {
        match self {
            PoolState::Draft => "draft",
            PoolState::Open => "open",
            PoolState::Closed => "closed",
            PoolState::Awarded => "awarded",
            PoolState::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<PoolState> {
        [
            PoolState::Draft,
            PoolState::Open,
            PoolState::Closed,
            PoolState::Awarded,
            PoolState::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == code)
    }

    /// Whether a staff member may cancel the pool from this state.
    pub fn cancellable(self) -> bool {
        matches!(self, PoolState::Draft | PoolState::Open | PoolState::Closed)
    }
}

impl std::fmt::Display for PoolState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The most suppliers a pool invites. With the tiers' cap, this bounds the award's search: at
/// the caps, adversarial offers (irregular breaks, prices within 0.5 % of each other) settle in
/// milliseconds (see `allocation`'s `adversarial_timings`); beyond them the search may run into
/// its work budget and end `TooComplex`.
pub const MAX_SUPPLIERS: usize = 10;

/// The most price breaks an offer holds.
pub const MAX_TIERS: usize = 10;

/// A field refused in a form: its path within the form and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// A problem found by `settle`'s checks on the first (only) commitment or offer, with the
/// `commitments[0].` / `offers[0].` prefix taken off: the form holds one of them.
fn single(error: &PoolingError, prefix: &str) -> FieldProblem {
    let path = error.field();
    let field = path.strip_prefix(prefix).unwrap_or(&path);
    FieldProblem {
        field: match field {
            "" => "body".into(),
            "offers" | "commitments" => "body".into(),
            field => field.to_owned(),
        },
        message: error.message(),
    }
}

/// A unit price as typed, only parsed: a decimal, a comma read as the decimal point (`field`
/// names it). Its rules (≥ 0, four places, a ceiling) are `settle`'s, checked by
/// [`check_commitment`] and [`check_offer`].
pub fn parse_price(field: &str, text: &str) -> Result<Decimal, FieldProblem> {
    let trimmed = text.trim().replace(',', ".");
    let problem = |message: String| FieldProblem {
        field: field.to_owned(),
        message,
    };
    if trimmed.is_empty() {
        return Err(problem("a unit price is required".into()));
    }
    Decimal::from_str(&trimmed)
        .map_err(|_| problem(format!("'{}' is not a decimal number like 0.1234", excerpt(text))))
}

fn excerpt(text: &str) -> String {
    text.chars().take(30).collect()
}

/// Checks one commitment as `settle` will: `volume` at least 1, `current_price` within the rules.
pub fn check_commitment(commitment: &Commitment) -> Result<(), FieldProblem> {
    commitment::check(std::slice::from_ref(commitment))
        .map(|_| ())
        .map_err(|e| single(&e, "commitments[0]."))
}

/// Checks one offer as `settle` will: tiers from 1 and increasing, prices within the rules, a
/// maximum volume of at least 1 and not below a break. Fields: `tiers[k].from_volume`, …
pub fn check_offer(offer: &Offer) -> Result<(), FieldProblem> {
    Schedule::check(0, offer)
        .map(|_| ())
        .map_err(|e| single(&e, "offers[0]."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pooling::offer::Tier;

    fn tier(from_volume: u64, price: &str) -> Tier {
        Tier {
            from_volume,
            unit_price: Decimal::from_str(price).unwrap(),
        }
    }

    #[test]
    fn codes_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        assert_eq!(Category::parse("food"), None);
        assert_eq!(PoolState::parse("awarded"), Some(PoolState::Awarded));
        assert!(!PoolState::Awarded.cancellable());
        assert!(PoolState::Closed.cancellable());
    }

    #[test]
    fn prices_are_parsed_then_checked_by_the_rules() {
        assert_eq!(
            parse_price("p", "0,1234").unwrap(),
            Decimal::from_str("0.1234").unwrap()
        );
        assert!(parse_price("p", "abc").is_err());
        assert!(parse_price("p", "").is_err());
        let commitment = |price: &str| Commitment {
            volume: 3,
            current_price: parse_price("current_price", price).unwrap(),
        };
        assert_eq!(
            check_commitment(&commitment("-1")).unwrap_err().message,
            "a price cannot be negative"
        );
        assert!(
            check_commitment(&commitment("0.12345"))
                .unwrap_err()
                .message
                .contains("4 decimal")
        );
    }

    #[test]
    fn single_offers_name_the_form_field() {
        let bad = Offer {
            tiers: vec![tier(1, "2"), tier(100, "1.5"), tier(100, "1")],
            max_volume: None,
        };
        assert_eq!(check_offer(&bad).unwrap_err().field, "tiers[2].from_volume");
        let late = Offer {
            tiers: vec![tier(5, "2")],
            max_volume: None,
        };
        assert_eq!(check_offer(&late).unwrap_err().field, "tiers[0].from_volume");
        let none = Offer {
            tiers: vec![],
            max_volume: None,
        };
        assert_eq!(check_offer(&none).unwrap_err().field, "tiers");
        let zero = Commitment {
            volume: 0,
            current_price: Decimal::ONE,
        };
        assert_eq!(check_commitment(&zero).unwrap_err().field, "volume");
        let negative = Commitment {
            volume: 3,
            current_price: Decimal::from_str("-0.5").unwrap(),
        };
        assert_eq!(check_commitment(&negative).unwrap_err().field, "current_price");
    }
}
