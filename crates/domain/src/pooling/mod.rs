//! Pooled purchasing: SMEs commit volumes to a pool, suppliers make tiered offers, and the pool is
//! awarded at the cheapest feasible cost, shared among the SMEs to the cent. Pure values and
//! functions, money in exact decimals; the store keeps pools and the app runs them.
//!
//! - [`commitment`]: an SME's conditional commitment (volume, current unit price);
//! - [`offer`]: a supplier's all-units tiered offer and optional maximum volume;
//! - `allocation`: the exact cheapest split of the pooled volume across offers;
//! - `distribution`: the largest-remainder split of the award's total among the SMEs;
//! - [`award`]: the whole settlement of a closed pool, with its rounding rules;
//! - [`money`]: price precision and limits;
//! - [`pool`]: categories, states, and the checks of one commitment or offer as a form sends it.

mod allocation;
pub mod award;
pub mod commitment;
pub(crate) mod distribution;
pub mod error;
#[cfg(test)]
mod fixtures;
pub mod money;
pub mod offer;
pub mod pool;

pub use award::{Award, PoolOutcome, Share, SupplierAward, settle};
pub use commitment::Commitment;
pub use error::{PoolingError, PriceField};
pub use offer::{Offer, Tier};
pub use pool::{Category, FieldProblem, PoolState};
/// Exact decimals, for the crates that hold prices without depending on `rust_decimal`.
pub use rust_decimal::Decimal;
