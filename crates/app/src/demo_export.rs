//! The demo's premises abroad and shared VIE posts.

use super::{InsertedIds, PlannedOrganisation};
use store::{Conn, StoreError};

pub(super) async fn insert(
    _conn: &mut Conn,
    _cluster_id: i64,
    _plan: &[PlannedOrganisation],
    _ids: &[InsertedIds],
) -> Result<(), StoreError> {
    Ok(())
}
