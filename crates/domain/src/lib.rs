//! Pure types and rules of Passerelle: identifiers, nomenclatures, roles and the access policy.
//! No I/O and no async here: everything is a value or a function of values.

pub mod capability;
mod code_table;
pub mod committee;
pub mod country;
pub mod display;
pub mod export;
pub mod geo;
pub mod language;
pub mod naf;
pub mod org;
pub mod person;
pub mod policy;
pub mod pooling;
pub mod profile;
pub mod scheduler;
pub mod sirene;
pub mod siret;
pub mod teams;
pub mod text;
