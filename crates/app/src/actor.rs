//! Turns a stored person into the `Principal` the policy reasons on: their organisation, its
//! clusters and the roles they hold.

use crate::Result;
use domain::person::Role;
use domain::policy::{Grant, Principal, Scope};
use store::{Conn, clusters, people};

pub async fn load_principal(conn: &mut Conn, person_id: i64) -> Result<Option<Principal>> {
    let Some(person) = people::get(conn, person_id).await? else {
        return Ok(None);
    };
    let clusters = clusters::of_organisation(conn, person.organisation_id).await?;
    let grants = people::grants(conn, person_id)
        .await?
        .into_iter()
        .filter_map(|row| {
            // A grant row that no longer parses (a role removed from the code) grants nothing.
            let role = Role::parse(&row.role).ok()?;
            let scope = match row.scope_kind.as_str() {
                "cluster" => Scope::Cluster(row.scope_id),
                "organisation" => Scope::Organisation(row.scope_id),
                _ => return None,
            };
            Some(Grant { role, scope })
        })
        .collect();
    Ok(Some(Principal {
        person_id,
        organisation_id: person.organisation_id,
        clusters,
        grants,
    }))
}

/// How a grant is written to the store.
pub fn scope_of(role: Role, organisation_id: i64, cluster_id: Option<i64>) -> (&'static str, i64) {
    match (role.is_cluster_scoped(), cluster_id) {
        (true, Some(cluster)) => ("cluster", cluster),
        _ => ("organisation", organisation_id),
    }
}

/// The cluster a person works in by default: the one they administer, else their organisation's first.
pub fn home_cluster(principal: &Principal) -> Option<i64> {
    principal
        .grants
        .iter()
        .find_map(|g| match g.scope {
            Scope::Cluster(id) if g.role == Role::ClusterAdmin => Some(id),
            _ => None,
        })
        .or_else(|| principal.clusters.first().copied())
}

/// The person behind an action, for the audit trail; none for a visitor.
pub(crate) fn actor_id(actor: &domain::policy::Actor) -> Option<i64> {
    match actor {
        domain::policy::Actor::Person(p) => Some(p.person_id),
        domain::policy::Actor::Visitor => None,
    }
}
