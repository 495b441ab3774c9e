//! Purchasing policies: a large account tells the cluster's SMEs what it buys, its innovation
//! priorities, how to get listed, whom to contact and what it commits to. Drafts stay with its
//! editors; published policies are read by the cluster's committee (`ViewCommittee`).

use domain::policy::{Action, Actor, Denial, authorize};
use serde::{Deserialize, Serialize};
use store::committee::policies::{self as stored, Policy, PolicyFields};
use store::{StoreError, clusters, organisations};

use super::organisation_name;
use crate::audit::Entry;
use crate::organisations::visible_organisation;
use crate::{App, AppError, FieldError, Result};

/// Room for a page of text per section; contacts are a few lines.
pub mod limits {
    pub const SECTION_CHARS: usize = 8_000;
    pub const CONTACTS_CHARS: usize = 2_000;
}

/// What an editor sends: every section as typed, and whether to publish.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PolicyInput {
    /// What the organisation buys.
    pub buys: String,
    pub innovation_priorities: String,
    /// The steps to become a listed supplier.
    pub how_to_get_listed: String,
    /// Whom to contact, one per line.
    pub contacts: String,
    /// What the organisation commits to towards SMEs (payment terms, feedback, …).
    pub commitments: String,
    /// True to show it to the cluster's members; false keeps it a draft.
    pub published: bool,
}

/// An organisation's policy as its reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// None while nobody has written one (only editors get this far then).
    pub policy: Option<Policy>,
    /// Whether the reader may edit it.
    pub can_edit: bool,
}

/// A published policy in a cluster's list.
#[derive(Debug, Clone, Serialize)]
pub struct ListedPolicy {
    pub organisation_name: String,
    pub policy: Policy,
}

/// The sections a published policy cannot go without: an SME must learn what is bought, how to
/// get listed and whom to talk to.
const REQUIRED_TO_PUBLISH: [&str; 3] = ["buys", "how_to_get_listed", "contacts"];

impl PolicyInput {
    /// Trims every section, refuses over-long ones and, when publishing, empty required ones; all
    /// problems at once so the form shows them together.
    pub fn validate(&self) -> Result<PolicyFields> {
        let mut issues = Vec::new();
        let mut section = |field: &'static str, input: &str, max: usize| {
            match domain::text::multiline(field, input, max) {
                Ok(Some(text)) => return text,
                Ok(None) if self.published && REQUIRED_TO_PUBLISH.contains(&field) => issues.push(
                    FieldError::new(field, "is required to publish the policy; save a draft meanwhile"),
                ),
                Ok(None) => {}
                Err(error) => issues.push(FieldError::new(field, error)),
            }
            String::new()
        };
        let fields = PolicyFields {
            buys: section("buys", &self.buys, limits::SECTION_CHARS),
            innovation_priorities: section(
                "innovation_priorities",
                &self.innovation_priorities,
                limits::SECTION_CHARS,
            ),
            how_to_get_listed: section(
                "how_to_get_listed",
                &self.how_to_get_listed,
                limits::SECTION_CHARS,
            ),
            contacts: section("contacts", &self.contacts, limits::CONTACTS_CHARS),
            commitments: section("commitments", &self.commitments, limits::SECTION_CHARS),
            published: i64::from(self.published),
        };
        if issues.is_empty() {
            Ok(fields)
        } else {
            Err(AppError::Invalid(issues))
        }
    }
}

impl From<&Policy> for PolicyInput {
    fn from(policy: &Policy) -> PolicyInput {
        PolicyInput {
            buys: policy.buys.clone(),
            innovation_priorities: policy.innovation_priorities.clone(),
            how_to_get_listed: policy.how_to_get_listed.clone(),
            contacts: policy.contacts.clone(),
            commitments: policy.commitments.clone(),
            published: policy.is_published(),
        }
    }
}

/// Whether the actor reads a cluster's committee in any of `clusters`; the first refusal
/// otherwise (a visitor is told to sign in).
pub(crate) fn committee_reader(actor: &Actor, clusters: &[i64]) -> std::result::Result<(), Denial> {
    let mut denial = Denial::Forbidden;
    for cluster_id in clusters {
        match authorize(
            actor,
            &Action::ViewCommittee {
                cluster_id: *cluster_id,
            },
        ) {
            Ok(()) => return Ok(()),
            Err(d) => denial = d,
        }
    }
    if matches!(actor, Actor::Visitor) {
        denial = Denial::SignInRequired;
    }
    Err(denial)
}

impl App {
    /// Saves an organisation's policy as a draft or published, by its buyers and admins or the
    /// staff of its clusters. Nothing is stored when a section is refused.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn save_purchasing_policy(
        &self,
        actor: &Actor,
        organisation_id: i64,
        input: &PolicyInput,
    ) -> Result<PolicyView> {
        let mut tx = self.store.begin().await?;
        let organisation = visible_organisation(&mut tx, actor, organisation_id).await?;
        authorize(actor, &Action::EditPurchasingPolicy(organisation.facts()))?;
        let fields = input.validate()?;
        let before = stored::get(&mut tx, organisation_id).await?;
        stored::save(
            &mut tx,
            organisation_id,
            &fields,
            crate::actor::actor_id(actor),
            store::now_ms(),
        )
        .await?;
        let after = stored::get(&mut tx, organisation_id).await?;
        let action = match (before.as_ref().is_some_and(Policy::is_published), input.published) {
            (false, true) => "publish",
            (true, false) => "unpublish",
            _ => "save",
        };
        Entry::by(actor, action, "purchasing_policy", organisation_id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(PolicyView {
            organisation_id,
            organisation_name: organisation.organisation.fields.legal_name,
            policy: after,
            can_edit: true,
        })
    }

    /// An organisation's policy: published, for the committee of a cluster it belongs to; as it
    /// stands (draft or none yet), for its editors. Everyone else learns nothing ("not found").
    pub async fn purchasing_policy(&self, actor: &Actor, organisation_id: i64) -> Result<PolicyView> {
        let mut conn = self.store.conn().await?;
        let hidden = AppError::NotFound("purchasing policy");
        let clusters = clusters::of_organisation(&mut conn, organisation_id).await?;
        let facts = domain::policy::OrgFacts {
            id: organisation_id,
            clusters: &clusters,
        };
        let can_edit = authorize(actor, &Action::EditPurchasingPolicy(facts)).is_ok();
        let policy = stored::get(&mut conn, organisation_id).await?;
        if !can_edit {
            committee_reader(actor, &clusters).map_err(|d| AppError::hiding(d, "purchasing policy"))?;
            if !policy.as_ref().is_some_and(Policy::is_published) {
                return Err(hidden);
            }
        }
        let Some(organisation) = organisations::get(&mut conn, organisation_id).await? else {
            return Err(hidden);
        };
        Ok(PolicyView {
            organisation_id,
            organisation_name: organisation.fields.legal_name,
            policy,
            can_edit,
        })
    }

    /// The published policies of a cluster's member organisations, most recently updated first.
    pub async fn purchasing_policies(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<ListedPolicy>> {
        let mut conn = self.store.conn().await?;
        authorize(actor, &Action::ViewCommittee { cluster_id })
            .map_err(|d| AppError::hiding(d, "cluster"))?;
        clusters::get(&mut conn, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        let mut listed = Vec::new();
        for policy in stored::published_in_cluster(&mut conn, cluster_id).await? {
            listed.push(ListedPolicy {
                organisation_name: organisation_name(&mut conn, policy.organisation_id).await?,
                policy,
            });
        }
        Ok(listed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> PolicyInput {
        PolicyInput {
            buys: "  Pièces usinées  ".into(),
            innovation_priorities: String::new(),
            how_to_get_listed: "Répondre aux appels du comité.".into(),
            contacts: "achats@example.fr".into(),
            commitments: "Paiement à 45 jours.".into(),
            published: true,
        }
    }

    #[test]
    fn sections_are_trimmed_and_optional_ones_may_stay_empty() {
        let fields = complete().validate().unwrap();
        assert_eq!(fields.buys, "Pièces usinées");
        assert_eq!(fields.innovation_priorities, "");
        assert_eq!(fields.published, 1);
    }

    #[test]
    fn publishing_needs_what_is_bought_how_to_get_listed_and_contacts() {
        let input = PolicyInput {
            published: true,
            ..PolicyInput::default()
        };
        let AppError::Invalid(issues) = input.validate().unwrap_err() else {
            panic!("invalid expected")
        };
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, REQUIRED_TO_PUBLISH);
    }

    #[test]
    fn a_draft_may_be_empty_but_not_over_long() {
        assert!(PolicyInput::default().validate().is_ok());
        let long = PolicyInput {
            contacts: "x".repeat(limits::CONTACTS_CHARS + 1),
            ..PolicyInput::default()
        };
        let AppError::Invalid(issues) = long.validate().unwrap_err() else {
            panic!("invalid expected")
        };
        assert_eq!(issues[0].field, "contacts");
        assert!(issues[0].message.contains("too long"));
    }
}
