//! Invitations to a call: the buyer side invites member organisations of the call's cluster (from
//! the recommendations or by name) until the call closes; an invited organisation's people are
//! e-mailed and see the call among their "calls for you", even when it is for the invited only.

use domain::committee::CallState;
use domain::policy::Actor;
use jiff::Timestamp;
use serde::Serialize;
use store::committee::calls::{self as stored, Call};
use store::{Conn, StoreError, clusters, organisations};

use super::calls::{manage, still_changeable};
use super::{LoadedCall, addresses_of, load_call, organisation_name};
use crate::audit::Entry;
use crate::{App, AppError, Result};

/// An invited organisation, as the buyer side lists it.
#[derive(Debug, Clone, Serialize)]
pub struct InvitedOrganisation {
    pub organisation_id: i64,
    pub name: String,
    pub invited_at: i64,
}

/// What an invitation did: whether it is new (an organisation is invited once).
#[derive(Debug, Clone, Serialize)]
pub struct Invited {
    pub invitation: InvitedOrganisation,
    pub created: bool,
}

/// Refuses an organisation the call may not invite: unknown (404), the buyer itself or not a
/// current member of the call's cluster (422).
async fn invitable(conn: &mut Conn, loaded: &LoadedCall, organisation_id: i64) -> Result<String> {
    let organisation = organisations::get(conn, organisation_id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    if organisation_id == loaded.call.buyer_id {
        return Err(AppError::invalid(
            "organisation_id",
            "the buying organisation cannot be invited to its own call",
        ));
    }
    if !clusters::of_organisation(conn, organisation_id)
        .await?
        .contains(&loaded.call.cluster_id)
    {
        return Err(AppError::invalid(
            "organisation_id",
            format!(
                "{} is not a member of the call's cluster; only members may be invited",
                organisation.legal_name
            ),
        ));
    }
    Ok(organisation.legal_name.clone())
}

async fn listed(conn: &mut Conn, call_id: i64) -> Result<Vec<InvitedOrganisation>> {
    let mut out = Vec::new();
    for invitation in stored::invitations(conn, call_id).await? {
        let name = organisation_name(conn, invitation.organisation_id).await?;
        out.push(InvitedOrganisation {
            organisation_id: invitation.organisation_id,
            name,
            invited_at: invitation.invited_at,
        });
    }
    Ok(out)
}

/// A member organisation the buyer side may invite.
#[derive(Debug, Clone, Serialize)]
pub struct Invitable {
    pub organisation_id: i64,
    pub name: String,
}

/// Members listed per search of the invitation page.
pub const INVITABLE_PER_SEARCH: i64 = 20;

impl App {
    /// For the buyer side: member organisations of the call's cluster whose name contains
    /// `query` (accents and case ignored), the buyer left out, at most 20.
    pub async fn invitable_members(
        &self,
        actor: &Actor,
        call_id: i64,
        query: &str,
    ) -> Result<Vec<Invitable>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        manage(actor, &loaded)?;
        let page = organisations::list_members(
            &mut conn,
            loaded.call.cluster_id,
            query.trim(),
            0,
            INVITABLE_PER_SEARCH + 1,
        )
        .await?;
        Ok(page
            .items
            .into_iter()
            .filter(|o| o.id != loaded.call.buyer_id)
            .take(INVITABLE_PER_SEARCH as usize)
            .map(|o| Invitable {
                organisation_id: o.id,
                name: o.legal_name.clone(),
            })
            .collect())
    }

    /// The organisations invited to a call, in the order invited; for its buyer side.
    pub async fn call_invitations(&self, actor: &Actor, call_id: i64) -> Result<Vec<InvitedOrganisation>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        manage(actor, &loaded)?;
        listed(&mut conn, call_id).await
    }

    /// Invites a member organisation of the call's cluster, before the call closes. Inviting it
    /// again changes nothing. Its people are e-mailed now if the call is published, else when it
    /// is published.
    #[tracing::instrument(skip(self, actor))]
    pub async fn invite_to_call(&self, actor: &Actor, call_id: i64, organisation_id: i64) -> Result<Invited> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let name = invitable(&mut tx, &loaded, organisation_id).await?;
        still_changeable(&loaded, Timestamp::now())?;
        let now = store::now_ms();
        let created = stored::invite(
            &mut tx,
            call_id,
            organisation_id,
            crate::actor::actor_id(actor),
            now,
        )
        .await?;
        let invitation = listed(&mut tx, call_id)
            .await?
            .into_iter()
            .find(|i| i.organisation_id == organisation_id)
            .unwrap_or(InvitedOrganisation {
                organisation_id,
                name,
                invited_at: now,
            });
        let mut recipients = Vec::new();
        if created {
            Entry::by(actor, "invite", "call", call_id)
                .after(&invitation)
                .write(&mut tx)
                .await?;
            if loaded.state == CallState::Published {
                recipients = addresses_of(&mut tx, &[organisation_id]).await?;
            }
        }
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_invitation(&loaded.call, &recipients).await;
        Ok(Invited { invitation, created })
    }

    /// Withdraws an invitation before the call closes; a draft the organisation kept stays its
    /// own, but an invited-only call is then out of its sight.
    #[tracing::instrument(skip(self, actor))]
    pub async fn uninvite_from_call(&self, actor: &Actor, call_id: i64, organisation_id: i64) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let invitation = listed(&mut tx, call_id)
            .await?
            .into_iter()
            .find(|i| i.organisation_id == organisation_id)
            .ok_or(AppError::NotFound("invitation"))?;
        still_changeable(&loaded, Timestamp::now())?;
        if !stored::uninvite(&mut tx, call_id, organisation_id).await? {
            return Err(AppError::NotFound("invitation"));
        }
        Entry::by(actor, "uninvite", "call", call_id)
            .before(&invitation)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Tells invited people about a published call (after the invitation is committed).
    pub(crate) async fn announce_invitation(&self, call: &Call, recipients: &[String]) {
        if recipients.is_empty() {
            return;
        }
        let subject = format!("Invitation : appel « {} » / Invitation to a call", call.title);
        let body = format!(
            "Votre organisation est invitée à répondre à l'appel « {title} ».\nClôture : {closes}.\n\n\
             Your organisation is invited to answer the call “{title}”.\nCloses: {closes}.\n\n{url}\n",
            title = call.title,
            closes = domain::committee::paris::display(super::instant(call.closes_at)),
            url = self.call_url(call.id),
        );
        self.mail_all(recipients, &subject, &body).await;
    }
}
