//! What came of the meetings, for the organisers and the cluster's indicators (issue 7): how many
//! were scheduled, published, held or missed, and what followed — overall and per kind of company.

use super::organised_event;
use crate::{App, AppError, Result};
use domain::policy::{Action, Actor, authorize};
use serde::Serialize;
use std::collections::HashSet;
use store::meetings::{self, MeetingFact, ParticipantFact};

/// The kinds of participants, in the order the figures list them.
pub const KINDS: [&str; 4] = ["sme", "midcap", "large", "other"];

/// Published meetings by recorded follow-up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FollowUps {
    /// Nothing recorded, or nothing came of it.
    pub none: i64,
    /// A call for proposals.
    pub call: i64,
    pub quote: i64,
    pub contract: i64,
}

impl FollowUps {
    fn count(&mut self, outcome: &str) {
        match outcome {
            "call" => self.call += 1,
            "quote" => self.quote += 1,
            "contract" => self.contract += 1,
            _ => self.none += 1,
        }
    }

    /// Meetings that led to something: a call for proposals, a quote or a contract.
    pub fn any(&self) -> i64 {
        self.call + self.quote + self.contract
    }
}

/// The figures of one kind of participant (SMEs, mid-caps, large accounts, others).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct KindOutcomes {
    /// sme, midcap, large or other.
    pub kind: String,
    pub participants: i64,
    /// Participants of this kind with at least one published meeting.
    pub with_meetings: i64,
    /// Published meetings with at least one side of this kind.
    pub meetings: i64,
    pub held: i64,
    pub no_show: i64,
    pub follow_ups: FollowUps,
}

/// Outcome figures of one event, or of all of a cluster's events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Outcomes {
    pub cluster_id: i64,
    /// The event counted, or none for all of the cluster's events.
    pub event_id: Option<i64>,
    pub events: i64,
    pub participants: i64,
    pub checked_in: i64,
    /// Meetings in the schedules, draft or published.
    pub scheduled: i64,
    pub published: i64,
    pub held: i64,
    pub no_show: i64,
    /// Published meetings whose attendance is not recorded yet.
    pub attendance_unrecorded: i64,
    /// Published meetings by follow-up.
    pub follow_ups: FollowUps,
    /// One entry per kind, always all four, in the order sme, midcap, large, other.
    pub by_kind: Vec<KindOutcomes>,
}

/// Counts the figures from the participants and meetings of the events concerned.
pub fn tally(
    cluster_id: i64,
    event_id: Option<i64>,
    events: i64,
    participants: &[ParticipantFact],
    meetings: &[MeetingFact],
) -> Outcomes {
    let published: Vec<&MeetingFact> = meetings.iter().filter(|m| m.state == "published").collect();
    let mut outcomes = Outcomes {
        cluster_id,
        event_id,
        events,
        participants: participants.len() as i64,
        checked_in: participants.iter().filter(|p| p.checked_in_at.is_some()).count() as i64,
        scheduled: meetings.len() as i64,
        published: published.len() as i64,
        ..Outcomes::default()
    };
    for m in &published {
        match m.attendance.as_deref() {
            Some("held") => outcomes.held += 1,
            Some("no_show") => outcomes.no_show += 1,
            _ => outcomes.attendance_unrecorded += 1,
        }
        outcomes.follow_ups.count(&m.follow_up);
    }
    let met: HashSet<i64> = published
        .iter()
        .flat_map(|m| [m.participant_a, m.participant_b])
        .collect();
    // Anything outside the four kinds counts as "other", as the scheduler does.
    let kind_of = |kind: &str| {
        if KINDS.contains(&kind) {
            kind.to_owned()
        } else {
            "other".to_owned()
        }
    };
    outcomes.by_kind = KINDS
        .iter()
        .map(|&kind| {
            let people: Vec<&ParticipantFact> =
                participants.iter().filter(|p| kind_of(&p.kind) == kind).collect();
            let mut figures = KindOutcomes {
                kind: kind.to_owned(),
                participants: people.len() as i64,
                with_meetings: people.iter().filter(|p| met.contains(&p.id)).count() as i64,
                ..KindOutcomes::default()
            };
            for m in published
                .iter()
                .filter(|m| kind_of(&m.kind_a) == kind || kind_of(&m.kind_b) == kind)
            {
                figures.meetings += 1;
                match m.attendance.as_deref() {
                    Some("held") => figures.held += 1,
                    Some("no_show") => figures.no_show += 1,
                    _ => {}
                }
                figures.follow_ups.count(&m.follow_up);
            }
            figures
        })
        .collect();
    outcomes
}

impl App {
    /// Outcome figures of a cluster's events, or of one of them (cluster staff): what the
    /// indicators read.
    pub async fn meeting_outcomes(
        &self,
        actor: &Actor,
        cluster_id: i64,
        event_id: Option<i64>,
    ) -> Result<Outcomes> {
        authorize(actor, &Action::ViewEvents { cluster_id }).map_err(|d| AppError::hiding(d, "cluster"))?;
        authorize(actor, &Action::ManageEvent { cluster_id })?;
        let mut conn = self.store.conn().await?;
        let events = meetings::events_of_cluster(&mut conn, cluster_id).await?;
        if let Some(id) = event_id
            && !events.iter().any(|e| e.id == id)
        {
            return Err(AppError::NotFound("event"));
        }
        let concerned = |id: i64| event_id.is_none_or(|wanted| wanted == id);
        let participants: Vec<ParticipantFact> = meetings::participant_facts(&mut conn, cluster_id)
            .await?
            .into_iter()
            .filter(|p| concerned(p.event_id))
            .collect();
        let list: Vec<MeetingFact> = meetings::meeting_facts(&mut conn, cluster_id)
            .await?
            .into_iter()
            .filter(|m| concerned(m.event_id))
            .collect();
        let counted = events.iter().filter(|e| concerned(e.id)).count() as i64;
        Ok(tally(cluster_id, event_id, counted, &participants, &list))
    }

    /// Outcome figures of one event (its organisers).
    pub async fn event_outcomes(&self, actor: &Actor, event_id: i64) -> Result<Outcomes> {
        let event = {
            let mut conn = self.store.conn().await?;
            organised_event(&mut conn, actor, event_id).await?
        };
        self.meeting_outcomes(actor, event.cluster_id, Some(event_id))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, kind: &str, checked_in: bool) -> ParticipantFact {
        ParticipantFact {
            id,
            event_id: 1,
            kind: kind.into(),
            checked_in_at: checked_in.then_some(1),
        }
    }

    fn meeting(
        a: i64,
        b: i64,
        kinds: (&str, &str),
        state: &str,
        attendance: Option<&str>,
        follow_up: &str,
    ) -> MeetingFact {
        MeetingFact {
            event_id: 1,
            participant_a: a,
            participant_b: b,
            state: state.into(),
            attendance: attendance.map(Into::into),
            follow_up: follow_up.into(),
            kind_a: kinds.0.into(),
            kind_b: kinds.1.into(),
        }
    }

    #[test]
    fn published_meetings_count_by_attendance_follow_up_and_kind() {
        let people = [
            person(1, "sme", true),
            person(2, "sme", false),
            person(3, "large", true),
            person(4, "midcap", false),
            person(5, "weird", false),
        ];
        let meetings = [
            meeting(1, 3, ("sme", "large"), "published", Some("held"), "contract"),
            meeting(2, 3, ("sme", "large"), "published", Some("no_show"), "none"),
            meeting(1, 2, ("sme", "sme"), "published", None, "quote"),
            meeting(4, 3, ("midcap", "large"), "draft", None, "none"),
        ];
        let o = tally(9, Some(1), 1, &people, &meetings);
        assert_eq!(
            (o.participants, o.checked_in, o.scheduled, o.published),
            (5, 2, 4, 3)
        );
        assert_eq!((o.held, o.no_show, o.attendance_unrecorded), (1, 1, 1));
        assert_eq!(
            o.follow_ups,
            FollowUps {
                none: 1,
                call: 0,
                quote: 1,
                contract: 1
            }
        );
        assert_eq!(o.follow_ups.any(), 2);
        let kinds: Vec<&str> = o.by_kind.iter().map(|k| k.kind.as_str()).collect();
        assert_eq!(kinds, KINDS);
        let sme = &o.by_kind[0];
        assert_eq!(
            (
                sme.participants,
                sme.with_meetings,
                sme.meetings,
                sme.held,
                sme.no_show
            ),
            (2, 2, 3, 1, 1),
            "an SME–SME meeting counts once"
        );
        assert_eq!(sme.follow_ups.any(), 2);
        let large = &o.by_kind[2];
        assert_eq!(
            (large.participants, large.with_meetings, large.meetings),
            (1, 1, 2)
        );
        let midcap = &o.by_kind[1];
        assert_eq!(
            (midcap.participants, midcap.with_meetings, midcap.meetings),
            (1, 0, 0),
            "a draft is not a meeting yet"
        );
        assert_eq!(o.by_kind[3].participants, 1, "unknown kinds count as other");
    }

    #[test]
    fn nothing_to_count_gives_zeros_for_every_kind() {
        let o = tally(9, None, 0, &[], &[]);
        assert_eq!((o.scheduled, o.published, o.by_kind.len()), (0, 0, 4));
        assert!(o.by_kind.iter().all(|k| k.meetings == 0));
    }
}
