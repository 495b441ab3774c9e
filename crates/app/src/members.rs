//! The cluster's member registry: member listing with search-as-you-type, memberships, and the
//! people of an organisation.

use crate::audit::Entry;
use crate::organisations::visible_organisation;
use crate::{App, AppError, Result};
use domain::policy::{Action, Actor, OrgFacts, authorize};
use store::records::{Cluster, Organisation, Page, Person};
use store::{StoreError, clusters, organisations, people};

pub const PAGE_SIZE_MAX: i64 = 100;

impl App {
    /// Clusters the actor may browse.
    pub async fn clusters_of(&self, actor: &Actor) -> Result<Vec<Cluster>> {
        let mut conn = self.store.conn().await?;
        let all = clusters::list(&mut conn).await?;
        Ok(all
            .into_iter()
            .filter(|c| authorize(actor, &Action::ViewMemberList { cluster_id: c.id }).is_ok())
            .collect())
    }

    pub async fn members(
        &self,
        actor: &Actor,
        cluster_id: i64,
        query: &str,
        page: i64,
        per_page: i64,
    ) -> Result<Page<Organisation>> {
        authorize(actor, &Action::ViewMemberList { cluster_id })
            .map_err(|d| AppError::hiding(d, "cluster"))?;
        if query.chars().count() > 200 {
            return Err(AppError::invalid("q", "search text is limited to 200 characters"));
        }
        let per_page = per_page.clamp(1, PAGE_SIZE_MAX);
        let page = page.clamp(1, i64::MAX / PAGE_SIZE_MAX);
        let mut conn = self.store.conn().await?;
        Ok(
            organisations::list_members(&mut conn, cluster_id, query, (page - 1) * per_page, per_page)
                .await?,
        )
    }

    pub async fn people_of(&self, actor: &Actor, organisation_id: i64) -> Result<Vec<Person>> {
        let mut conn = self.store.conn().await?;
        let view = visible_organisation(&mut conn, actor, organisation_id).await?;
        authorize(actor, &Action::ViewPeople(view.facts()))?;
        Ok(people::of_organisation(&mut conn, organisation_id).await?)
    }

    pub async fn person(&self, actor: &Actor, person_id: i64) -> Result<Person> {
        let mut conn = self.store.conn().await?;
        let person = people::get(&mut conn, person_id).await?;
        // For a missing person the policy is asked about no organisation at all, so that a visitor is
        // told to sign in and a signed-in person cannot tell "missing" from "not yours".
        let organisation_id = person.as_ref().map_or(0, |p| p.organisation_id);
        let member_of = match &person {
            Some(p) => clusters::of_organisation(&mut conn, p.organisation_id).await?,
            None => Vec::new(),
        };
        authorize(
            actor,
            &Action::ViewPeople(OrgFacts {
                id: organisation_id,
                clusters: &member_of,
            }),
        )
        .map_err(|d| AppError::hiding(d, "person"))?;
        person.ok_or(AppError::NotFound("person"))
    }

    pub async fn add_membership(&self, actor: &Actor, cluster_id: i64, organisation_id: i64) -> Result<bool> {
        authorize(actor, &Action::ManageMemberships { cluster_id })?;
        let mut tx = self.store.begin().await?;
        if clusters::get(&mut tx, cluster_id).await?.is_none() {
            return Err(AppError::NotFound("cluster"));
        }
        let exists = organisations::get(&mut tx, organisation_id).await?.is_some();
        let member_of = clusters::of_organisation(&mut tx, organisation_id).await?;
        let former_member = clusters::is_former_member(&mut tx, cluster_id, organisation_id).await?;
        let org = OrgFacts {
            id: organisation_id,
            clusters: &member_of,
        };
        // Refused and missing organisations look alike: ids of other clusters' members stay secret.
        authorize(
            actor,
            &Action::AdmitMember {
                cluster_id,
                org,
                former_member,
            },
        )
        .map_err(|d| AppError::hiding(d, "organisation"))?;
        if !exists {
            return Err(AppError::NotFound("organisation"));
        }
        let added = clusters::add_member(&mut tx, cluster_id, organisation_id).await?;
        if added {
            Entry::by(actor, "membership_add", "organisation", organisation_id)
                .after(&serde_json::json!({ "cluster_id": cluster_id }))
                .write(&mut tx)
                .await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(added)
    }

    pub async fn remove_membership(
        &self,
        actor: &Actor,
        cluster_id: i64,
        organisation_id: i64,
    ) -> Result<()> {
        authorize(actor, &Action::ManageMemberships { cluster_id })?;
        let mut tx = self.store.begin().await?;
        if !clusters::remove_member(&mut tx, cluster_id, organisation_id).await? {
            return Err(AppError::NotFound("membership"));
        }
        Entry::by(actor, "membership_remove", "organisation", organisation_id)
            .after(&serde_json::json!({ "cluster_id": cluster_id }))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
