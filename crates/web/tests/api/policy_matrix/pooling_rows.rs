//! The policy table's rows for pooling (issue 6): every route of the area × every role.

#[allow(unused_imports)]
use super::{Body, Outcome};
use super::{Fixture, Row};
use crate::helpers::TestApp;

/// Creates what the rows act on and returns the placeholders that name it.
pub(super) async fn prepare(_app: &TestApp, _fixture: &Fixture) -> Vec<(&'static str, i64)> {
    Vec::new()
}

#[rustfmt::skip]
pub(super) fn rows() -> Vec<Row> {
    vec![]
}
