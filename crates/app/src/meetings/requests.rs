//! Meeting requests: a participant asks another for a meeting; only the recipient answers.
//! Caps, the request deadline, "no thanks" and duplicates are enforced here, in one transaction.

use super::{label, own_participant, visible_event};
use crate::audit::Entry;
use crate::mail::Mail;
use crate::{App, AppError, Result};
use domain::policy::{Action, Actor, authorize};
use domain::text;
use serde::{Deserialize, Serialize};
use store::meetings::{self, MeetingRequest, NewRequest, Participant};
use store::{StoreError, now_ms};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RequestInput {
    /// The participant asked (a participant id of the same event).
    pub to: i64,
    #[serde(default)]
    pub message: String,
    /// "Must meet": weighs more in the schedule.
    #[serde(default)]
    pub must_meet: bool,
    /// The two have met before (kept for the organisers' information).
    #[serde(default)]
    pub met_before: bool,
}

/// A request as its sender or recipient sees it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    pub request: MeetingRequest,
    /// True when the viewer sent it.
    pub sent: bool,
    /// The other participant, "Name (Organisation)".
    pub other: String,
    pub other_id: i64,
    /// The other side asked too: mutual interest.
    pub mutual: bool,
}

impl App {
    /// Sends a meeting request from the actor's registration to another participant.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn send_request(
        &self,
        actor: &Actor,
        event_id: i64,
        input: &RequestInput,
    ) -> Result<MeetingRequest> {
        let mut tx = self.store.begin().await?;
        let event = visible_event(&mut tx, actor, event_id).await?;
        authorize(
            actor,
            &Action::TakePartInEvent {
                cluster_id: event.cluster_id,
            },
        )?;
        let me = own_participant(&mut tx, actor, event_id)
            .await?
            .ok_or_else(|| AppError::Conflict("register for the event first".into()))?;
        let now = now_ms();
        if now >= event.request_deadline {
            return Err(AppError::Conflict(
                "the deadline for meeting requests has passed".into(),
            ));
        }
        let message = text::optional("message", &input.message, 1000)
            .map_err(|e| AppError::invalid("message", e))?
            .unwrap_or_default();
        if input.to == me.id {
            return Err(AppError::invalid(
                "to",
                "you cannot request a meeting with yourself",
            ));
        }
        let to = meetings::participant(&mut tx, input.to)
            .await?
            .filter(|p| p.event_id == event_id)
            .ok_or(AppError::NotFound("participant"))?;
        if meetings::said_no_thanks(&mut tx, event_id, to.id, me.id).await? {
            return Err(AppError::Conflict(format!(
                "{} declined meetings with you",
                to.display_name
            )));
        }
        if meetings::request_between(&mut tx, event_id, me.id, to.id)
            .await?
            .is_some()
        {
            return Err(AppError::Conflict(format!(
                "you already asked {} for a meeting",
                to.display_name
            )));
        }
        meetings::expire_due(&mut tx, event_id, now).await?;
        if meetings::count_pending_from(&mut tx, me.id).await? >= event.max_pending {
            return Err(AppError::Conflict(format!(
                "you have {} unanswered requests, the most this event allows",
                event.max_pending
            )));
        }
        let id = meetings::insert_request(
            &mut tx,
            &NewRequest {
                event_id,
                from_participant: me.id,
                to_participant: to.id,
                message: &message,
                must_meet: input.must_meet,
                met_before: input.met_before,
                expires_at: event.request_deadline,
            },
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate(_) => AppError::Conflict("this request exists already".into()),
            other => other.into(),
        })?;
        let request = meetings::request(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("request"))?;
        Entry::by(actor, "send", "meeting_request", id)
            .after(&request)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.notify(Mail {
            to: to.email.clone(),
            subject: format!("{} — demande de rendez-vous de {}", event.title, me.display_name),
            body: format!(
                "{} vous propose un rendez-vous d'affaires lors de « {} ».\n\n{}\n\nRépondre : {}/events/{}\n",
                label(&me),
                event.title,
                message,
                self.config.public_url,
                event_id
            ),
        })
        .await;
        Ok(request)
    }

    /// Accepts or declines a request; only its recipient may. `no_thanks` on a decline stops the
    /// sender from asking again.
    #[tracing::instrument(skip(self, actor))]
    pub async fn answer_request(
        &self,
        actor: &Actor,
        event_id: i64,
        request_id: i64,
        accept: bool,
        no_thanks: bool,
    ) -> Result<MeetingRequest> {
        let mut tx = self.store.begin().await?;
        let event = visible_event(&mut tx, actor, event_id).await?;
        let request = meetings::request(&mut tx, request_id)
            .await?
            .filter(|r| r.event_id == event_id)
            .ok_or(AppError::NotFound("request"))?;
        let me = own_participant(&mut tx, actor, event_id).await?;
        let me_id = me.as_ref().map(|p| p.id);
        // Someone who is neither side of the request does not learn it exists.
        if me_id != Some(request.from_participant) && me_id != Some(request.to_participant) {
            return Err(AppError::NotFound("request"));
        }
        let recipient = meetings::participant(&mut tx, request.to_participant)
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        authorize(
            actor,
            &Action::AnswerMeetingRequest {
                recipient_person_id: recipient.person_id,
            },
        )?;
        let now = now_ms();
        meetings::expire_due(&mut tx, event_id, now).await?;
        let status = if accept { "accepted" } else { "declined" };
        if !meetings::answer_request(&mut tx, request_id, status, !accept && no_thanks, now).await? {
            let current = meetings::request(&mut tx, request_id).await?.map(|r| r.status);
            return Err(AppError::Conflict(format!(
                "this request is {} and can no longer be answered",
                current.unwrap_or_default()
            )));
        }
        let after = meetings::request(&mut tx, request_id)
            .await?
            .ok_or(AppError::NotFound("request"))?;
        Entry::by(actor, status, "meeting_request", request_id)
            .before(&request)
            .after(&after)
            .write(&mut tx)
            .await?;
        let sender = meetings::participant(&mut tx, request.from_participant).await?;
        tx.commit().await.map_err(StoreError::from)?;
        if accept && let Some(sender) = sender {
            self.notify(Mail {
                to: sender.email.clone(),
                subject: format!(
                    "{} — {} a accepté votre demande",
                    event.title, recipient.display_name
                ),
                body: format!(
                    "{} a accepté votre demande de rendez-vous lors de « {} ». Le créneau sera fixé par \
                     les organisateurs.\n\n{}/events/{}\n",
                    label(&recipient),
                    event.title,
                    self.config.public_url,
                    event_id
                ),
            })
            .await;
        }
        Ok(after)
    }

    /// Withdraws a pending request; only its sender may. The pair stays taken: a cancelled request
    /// is not sent again (the recipient is spared a second notification).
    #[tracing::instrument(skip(self, actor))]
    pub async fn cancel_request(
        &self,
        actor: &Actor,
        event_id: i64,
        request_id: i64,
    ) -> Result<MeetingRequest> {
        let mut tx = self.store.begin().await?;
        visible_event(&mut tx, actor, event_id).await?;
        let request = meetings::request(&mut tx, request_id)
            .await?
            .filter(|r| r.event_id == event_id)
            .ok_or(AppError::NotFound("request"))?;
        let me_id = own_participant(&mut tx, actor, event_id).await?.map(|p| p.id);
        // Someone who is neither side of the request does not learn it exists.
        if me_id != Some(request.from_participant) && me_id != Some(request.to_participant) {
            return Err(AppError::NotFound("request"));
        }
        let sender = meetings::participant(&mut tx, request.from_participant)
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        authorize(
            actor,
            &Action::CancelMeetingRequest {
                sender_person_id: sender.person_id,
            },
        )?;
        let now = now_ms();
        meetings::expire_due(&mut tx, event_id, now).await?;
        if !meetings::answer_request(&mut tx, request_id, "cancelled", false, now).await? {
            let current = meetings::request(&mut tx, request_id).await?.map(|r| r.status);
            return Err(AppError::Conflict(format!(
                "this request is {} and can no longer be cancelled",
                current.unwrap_or_default()
            )));
        }
        let after = meetings::request(&mut tx, request_id)
            .await?
            .ok_or(AppError::NotFound("request"))?;
        Entry::by(actor, "cancel", "meeting_request", request_id)
            .before(&request)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }

    /// The actor's own requests, sent and received, newest first.
    pub async fn my_requests(&self, actor: &Actor, event_id: i64) -> Result<Vec<RequestView>> {
        let mut tx = self.store.begin().await?;
        visible_event(&mut tx, actor, event_id).await?;
        let Some(me) = own_participant(&mut tx, actor, event_id).await? else {
            return Ok(Vec::new());
        };
        meetings::expire_due(&mut tx, event_id, now_ms()).await?;
        let requests = meetings::requests_of(&mut tx, me.id).await?;
        let everyone = meetings::participants(&mut tx, event_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(views(&me, requests, &everyone))
    }
}

fn views(me: &Participant, requests: Vec<MeetingRequest>, everyone: &[Participant]) -> Vec<RequestView> {
    let asked: Vec<(i64, i64)> = requests
        .iter()
        .filter(|r| r.status != "cancelled" && r.status != "declined")
        .map(|r| (r.from_participant, r.to_participant))
        .collect();
    requests
        .into_iter()
        .map(|request| {
            let sent = request.from_participant == me.id;
            let other_id = if sent {
                request.to_participant
            } else {
                request.from_participant
            };
            let other = everyone
                .iter()
                .find(|p| p.id == other_id)
                .map(label)
                .unwrap_or_default();
            let mutual = asked.contains(&(other_id, me.id)) && asked.contains(&(me.id, other_id));
            RequestView {
                request,
                sent,
                other,
                other_id,
                mutual,
            }
        })
        .collect()
}

impl App {
    /// Sends a notification; a mail failure is logged, it does not undo what was done.
    pub(crate) async fn notify(&self, mail: Mail) {
        if let Err(error) = self.mailer.send(mail).await {
            tracing::warn!(%error, "notification not sent");
        }
    }
}
