//! Pooled purchasing pages: the cluster's pools, a pool with its commitments and offers, the award.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
