//! The search engine's behaviour on a small hand-written directory, told as the stories of its
//! users: buyers finding suppliers, visitors kept to public fields, edits showing up at once.

mod bad_input;
mod facets;
mod fixture;
mod freshness;
mod relevance;
mod similar;
mod visibility;
