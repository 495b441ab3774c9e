//! The organiser's screen: generate the schedule with `domain::scheduler` from the accepted
//! requests, preview it with its figures, adjust by hand, publish; then attendance and follow-up.
//! After publication a new generation runs in incremental mode: published meetings are pinned.

use super::generation::{Phase, Ticket};
use super::{label, organised_event, visible_event};
use crate::audit::Entry;
use crate::mail::Mail;
use crate::{App, AppError, Result};
use domain::policy::{Action, Actor, authorize};
use domain::scheduler::{self, Instance, Kind, Placed, Request, Unscheduled};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::meetings::{self, Event, Meeting, MeetingRequest, NewMeeting, Participant, Slot};
use store::{Conn, StoreError, now_ms};

/// Weight of an accepted pair. Interest counts 1, plus 1 when both asked (mutual interest), plus 2
/// for "must meet"; a pair meeting for the first time weighs twice that (2, 4, 6, 8), a pair who
/// say they met before weighs it once (1, 2, 3, 4). So "met before" always ranks a pair below the
/// same pair meeting for the first time, never below 1, and a met-before pair that both sides
/// want still weighs as much as a new pair only one side asked for.
pub fn weight(mutual: bool, must_meet: bool, met_before: bool) -> i64 {
    let interest = 1 + i64::from(mutual) + 2 * i64::from(must_meet);
    if met_before { interest } else { 2 * interest }
}

/// One potential meeting: an unordered pair with an accepted request.
#[derive(Debug, Clone)]
struct Pair {
    /// The accepted request the meeting is recorded against (the earliest).
    request_id: i64,
    a: i64,
    b: i64,
    weight: i64,
}

/// Accepted requests grouped by pair, with their weights.
fn pairs(requests: &[MeetingRequest]) -> Vec<Pair> {
    let mut by_pair: BTreeMap<(i64, i64), Vec<&MeetingRequest>> = BTreeMap::new();
    for r in requests {
        let key = (
            r.from_participant.min(r.to_participant),
            r.from_participant.max(r.to_participant),
        );
        by_pair.entry(key).or_default().push(r);
    }
    by_pair
        .into_iter()
        .filter_map(|((a, b), list)| {
            let accepted = list
                .iter()
                .filter(|r| r.status == "accepted")
                .min_by_key(|r| r.id)?;
            let live = |from: i64| {
                list.iter().any(|r| {
                    r.from_participant == from && matches!(r.status.as_str(), "accepted" | "pending")
                })
            };
            let mutual = live(a) && live(b);
            let must_meet = list.iter().any(|r| r.must_meet != 0 && r.status == "accepted");
            // Either side saying so is enough: it is a fact about the pair.
            let met_before = list
                .iter()
                .any(|r| r.met_before != 0 && matches!(r.status.as_str(), "accepted" | "pending"));
            Some(Pair {
                request_id: accepted.id,
                a,
                b,
                weight: weight(mutual, must_meet, met_before),
            })
        })
        .collect()
}

/// A meeting as the organiser sees it in the preview.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PreviewMeeting {
    pub id: i64,
    pub slot: i64,
    pub table: i64,
    /// Start and end, Unix ms.
    pub starts_at: i64,
    pub ends_at: i64,
    pub a: String,
    pub b: String,
    pub participant_a: i64,
    pub participant_b: i64,
    pub weight: i64,
    /// draft or published.
    pub state: String,
    pub attendance: Option<String>,
    pub follow_up: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PreviewUnscheduled {
    pub a: String,
    pub b: String,
    /// no_common_slot, cap_reached, tables_full or conflicts.
    pub reason: String,
    pub detail: String,
}

/// The figures of the organiser's screen.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub event_id: i64,
    /// Accepted pairs: the meetings asked for.
    pub requested: i64,
    pub scheduled: i64,
    pub total_weight: Option<i64>,
    /// Proven upper bound on the best achievable total weight.
    pub upper_bound: Option<i64>,
    pub generated_at: Option<i64>,
    pub published: bool,
    pub tables: i64,
    pub slots: i64,
    pub meetings: Vec<PreviewMeeting>,
    pub unscheduled: Vec<PreviewUnscheduled>,
}

fn names(participants: &[Participant]) -> BTreeMap<i64, String> {
    participants.iter().map(|p| (p.id, label(p))).collect()
}

pub(crate) fn preview_meetings(
    list: &[Meeting],
    slots: &[Slot],
    participants: &[Participant],
) -> Vec<PreviewMeeting> {
    let names = names(participants);
    list.iter()
        .map(|m| {
            let slot = slots.iter().find(|s| s.slot_index == m.slot_index);
            PreviewMeeting {
                id: m.id,
                slot: m.slot_index,
                table: m.table_no,
                starts_at: slot.map_or(0, |s| s.starts_at),
                ends_at: slot.map_or(0, |s| s.ends_at),
                a: names.get(&m.participant_a).cloned().unwrap_or_default(),
                b: names.get(&m.participant_b).cloned().unwrap_or_default(),
                participant_a: m.participant_a,
                participant_b: m.participant_b,
                weight: m.weight,
                state: m.state.clone(),
                attendance: m.attendance.clone(),
                follow_up: m.follow_up.clone(),
            }
        })
        .collect()
}

async fn preview_of(conn: &mut Conn, event: &Event) -> Result<Preview> {
    let slots = meetings::slots(conn, event.id).await?;
    let participants = meetings::participants(conn, event.id).await?;
    let requests = meetings::requests_of_event(conn, event.id).await?;
    let list = meetings::meetings(conn, event.id).await?;
    let unscheduled: Vec<PreviewUnscheduled> = event
        .unscheduled_json
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    Ok(Preview {
        event_id: event.id,
        requested: pairs(&requests).len() as i64,
        scheduled: list.len() as i64,
        total_weight: event.total_weight,
        upper_bound: event.upper_bound,
        generated_at: event.generated_at,
        published: event.is_published(),
        tables: event.tables_count,
        slots: slots.len() as i64,
        meetings: preview_meetings(&list, &slots, &participants),
        unscheduled,
    })
}

fn kind(text: &str) -> Kind {
    match text {
        "sme" => Kind::Sme,
        "midcap" => Kind::Midcap,
        "large" => Kind::Large,
        _ => Kind::Other,
    }
}

/// What a generation reads: the scheduler's instance is built from it, and saving reads it again
/// to make sure the schedule still fits.
struct Inputs {
    tables: i64,
    max_meetings: Option<i64>,
    slots: Vec<Slot>,
    participants: Vec<Participant>,
    requests: Vec<MeetingRequest>,
    published: Vec<Meeting>,
}

impl Inputs {
    async fn read(conn: &mut Conn, event: &Event) -> Result<Inputs> {
        Ok(Inputs {
            tables: event.tables_count,
            max_meetings: event.max_meetings,
            slots: meetings::slots(conn, event.id).await?,
            participants: meetings::participants(conn, event.id).await?,
            requests: meetings::requests_of_event(conn, event.id).await?,
            published: meetings::meetings(conn, event.id)
                .await?
                .into_iter()
                .filter(|m| m.state == "published")
                .collect(),
        })
    }

    fn instance(&self, pairs: &[Pair]) -> Instance {
        // Ids carry a letter so that the scheduler's sentences can be given names back unambiguously.
        let id = |p: i64| format!("p{p}");
        Instance {
            slots: self.slots.len() as u32,
            tables: self.tables as u32,
            participants: self
                .participants
                .iter()
                .map(|p| scheduler::Participant {
                    id: id(p.id),
                    kind: kind(&p.kind),
                    available: p.available_slots(),
                    max_meetings: p.max_meetings.or(self.max_meetings),
                })
                .collect(),
            requests: pairs
                .iter()
                .map(|pair| Request {
                    a: id(pair.a),
                    b: id(pair.b),
                    weight: pair.weight,
                })
                .collect(),
            pinned: self
                .published
                .iter()
                .map(|m| Placed {
                    a: id(m.participant_a),
                    b: id(m.participant_b),
                    slot: m.slot_index as u32,
                    table: m.table_no as u32,
                })
                .collect(),
        }
    }

    /// What changed since `self` was read that the schedule depends on, if anything. New
    /// participants and new requests do not matter: they are simply not in this schedule.
    fn changed(&self, now: &Inputs) -> Option<&'static str> {
        if (self.tables, self.max_meetings, &self.slots) != (now.tables, now.max_meetings, &now.slots) {
            return Some("the programme or the tables changed");
        }
        let placed = |list: &[Meeting]| -> Vec<(i64, i64, i64, i64)> {
            list.iter()
                .map(|m| (m.participant_a, m.participant_b, m.slot_index, m.table_no))
                .collect()
        };
        if placed(&self.published) != placed(&now.published) {
            return Some("meetings were published");
        }
        let same = |p: &Participant| {
            now.participants
                .iter()
                .any(|q| q.id == p.id && q.available == p.available && q.max_meetings == p.max_meetings)
        };
        if !self.participants.iter().all(same) {
            return Some("a participant's availability changed");
        }
        None
    }
}

/// Everything about one slot and table change the organiser asks for.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MoveInput {
    pub slot: i64,
    pub table: i64,
}

impl App {
    /// Computes a schedule from the accepted requests and stores it as draft meetings, replacing
    /// the previous draft. Published meetings stay where they are (incremental mode). Refused
    /// (409) while another generation of the event runs, started here or from the organiser's page.
    #[tracing::instrument(skip(self, actor))]
    pub async fn generate_schedule(&self, actor: &Actor, event_id: i64) -> Result<Preview> {
        {
            let mut conn = self.store.conn().await?;
            organised_event(&mut conn, actor, event_id).await?;
        }
        let ticket = self.generations.begin(event_id)?;
        let outcome = self.generate_reporting(actor, event_id, &ticket).await;
        ticket.finish(&outcome);
        outcome
    }

    /// The generation itself, telling `progress` each phase. Reading and saving are two short
    /// transactions; the scheduler runs between them on a blocking thread, holding no lock, so
    /// that requests and registrations go on meanwhile. Saving checks that what the schedule
    /// depends on (published meetings, availability, caps, tables) did not change in between.
    pub(crate) async fn generate_reporting(
        &self,
        actor: &Actor,
        event_id: i64,
        progress: &Ticket,
    ) -> Result<Preview> {
        progress.phase(Phase::Reading);
        let mut tx = self.store.begin().await?;
        let event = organised_event(&mut tx, actor, event_id).await?;
        meetings::expire_due(&mut tx, event_id, now_ms()).await?;
        let read = Inputs::read(&mut tx, &event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let pairs = pairs(&read.requests);
        let instance = read.instance(&pairs);

        progress.phase(Phase::Solving);
        let schedule = tokio::task::spawn_blocking(move || scheduler::schedule(&instance))
            .await
            .map_err(|e| AppError::Internal(format!("the scheduler stopped: {e}")))?
            .map_err(|e| AppError::Conflict(format!("the event cannot be scheduled as it stands: {e}")))?;

        progress.phase(Phase::Saving);
        let mut tx = self.store.begin().await?;
        let event = organised_event(&mut tx, actor, event_id).await?;
        let now = Inputs::read(&mut tx, &event).await?;
        if let Some(change) = read.changed(&now) {
            return Err(AppError::Conflict(format!(
                "{change} while the schedule was being computed; generate again"
            )));
        }
        meetings::delete_drafts(&mut tx, event_id).await?;
        let pinned: std::collections::HashSet<(i64, i64)> = read
            .published
            .iter()
            .map(|m| {
                (
                    m.participant_a.min(m.participant_b),
                    m.participant_a.max(m.participant_b),
                )
            })
            .collect();
        for placed in &schedule.meetings {
            let (Some(a), Some(b)) = (parse_id(&placed.a), parse_id(&placed.b)) else {
                continue;
            };
            let key = (a.min(b), a.max(b));
            if pinned.contains(&key) {
                continue;
            }
            let Some(pair) = pairs.iter().find(|p| (p.a, p.b) == key) else {
                continue;
            };
            meetings::insert_meeting(
                &mut tx,
                event_id,
                &NewMeeting {
                    request_id: pair.request_id,
                    participant_a: pair.a,
                    participant_b: pair.b,
                    slot_index: i64::from(placed.slot),
                    table_no: i64::from(placed.table),
                    weight: pair.weight,
                },
            )
            .await?;
        }
        let names = names(&read.participants);
        let name = |id: &str| {
            parse_id(id)
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default()
        };
        let unscheduled: Vec<PreviewUnscheduled> = schedule
            .unscheduled
            .iter()
            .map(|u: &Unscheduled| PreviewUnscheduled {
                a: name(&u.a),
                b: name(&u.b),
                reason: u.reason.as_str().to_owned(),
                detail: explain(&u.detail, &names),
            })
            .collect();
        let json = serde_json::to_string(&unscheduled).unwrap_or_else(|_| "[]".into());
        meetings::record_generation(
            &mut tx,
            event_id,
            schedule.total_weight as i64,
            schedule.upper_bound as i64,
            &json,
        )
        .await?;
        Entry::by(actor, "generate", "event", event_id)
            .after(&serde_json::json!({
                "meetings": schedule.meetings.len(),
                "total_weight": schedule.total_weight,
                "upper_bound": schedule.upper_bound,
            }))
            .write(&mut tx)
            .await?;
        let event = meetings::get_event(&mut tx, event_id)
            .await?
            .ok_or(AppError::NotFound("event"))?;
        let preview = preview_of(&mut tx, &event).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(preview)
    }

    pub async fn schedule_preview(&self, actor: &Actor, event_id: i64) -> Result<Preview> {
        let mut conn = self.store.conn().await?;
        let event = organised_event(&mut conn, actor, event_id).await?;
        preview_of(&mut conn, &event).await
    }

    /// Moves a draft meeting to another slot and table, checked like the scheduler checks.
    #[tracing::instrument(skip(self, actor))]
    pub async fn move_meeting(
        &self,
        actor: &Actor,
        event_id: i64,
        meeting_id: i64,
        to: MoveInput,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let event = organised_event(&mut tx, actor, event_id).await?;
        let meeting = meetings::meeting(&mut tx, meeting_id)
            .await?
            .filter(|m| m.event_id == event_id)
            .ok_or(AppError::NotFound("meeting"))?;
        if meeting.state == "published" {
            return Err(AppError::Conflict("a published meeting is not moved".into()));
        }
        let slots = meetings::slots(&mut tx, event_id).await?;
        if !(0..slots.len() as i64).contains(&to.slot) {
            return Err(AppError::invalid(
                "slot",
                format!("slot {} does not exist", to.slot),
            ));
        }
        if !(0..event.tables_count).contains(&to.table) {
            return Err(AppError::invalid(
                "table",
                format!("table {} does not exist", to.table + 1),
            ));
        }
        let all = meetings::meetings(&mut tx, event_id).await?;
        if all
            .iter()
            .any(|m| m.id != meeting_id && m.slot_index == to.slot && m.table_no == to.table)
        {
            return Err(AppError::Conflict(format!(
                "table {} is taken in that slot",
                to.table + 1
            )));
        }
        for person in [meeting.participant_a, meeting.participant_b] {
            let p = meetings::participant(&mut tx, person)
                .await?
                .ok_or(AppError::NotFound("participant"))?;
            if !p.available_slots().contains(&to.slot) {
                return Err(AppError::Conflict(format!(
                    "{} is not available then",
                    p.display_name
                )));
            }
            let busy = all.iter().any(|m| {
                m.id != meeting_id
                    && m.slot_index == to.slot
                    && (m.participant_a == person || m.participant_b == person)
            });
            if busy {
                return Err(AppError::Conflict(format!(
                    "{} has another meeting then",
                    p.display_name
                )));
            }
        }
        meetings::move_meeting(&mut tx, meeting_id, to.slot, to.table)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(_) => AppError::Conflict("that table is taken in that slot".into()),
                other => other.into(),
            })?;
        Entry::by(actor, "move", "meeting", meeting_id)
            .before(&serde_json::json!({"slot": meeting.slot_index, "table": meeting.table_no}))
            .after(&serde_json::json!({"slot": to.slot, "table": to.table}))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Publishes the draft meetings; everyone with a new meeting is told by e-mail.
    #[tracing::instrument(skip(self, actor))]
    pub async fn publish_schedule(&self, actor: &Actor, event_id: i64) -> Result<u64> {
        let mut tx = self.store.begin().await?;
        let event = organised_event(&mut tx, actor, event_id).await?;
        let drafts: Vec<Meeting> = meetings::meetings(&mut tx, event_id)
            .await?
            .into_iter()
            .filter(|m| m.state == "draft")
            .collect();
        let count = meetings::publish_meetings(&mut tx, event_id).await?;
        meetings::set_published(&mut tx, event_id, now_ms()).await?;
        Entry::by(actor, "publish", "event", event_id)
            .after(&serde_json::json!({ "meetings_published": count }))
            .write(&mut tx)
            .await?;
        let participants = meetings::participants(&mut tx, event_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        for p in &participants {
            let mine = drafts
                .iter()
                .filter(|m| m.participant_a == p.id || m.participant_b == p.id)
                .count();
            if mine == 0 {
                continue;
            }
            self.notify(Mail {
                to: p.email.clone(),
                subject: format!("{} — votre agenda de rendez-vous", event.title),
                body: format!(
                    "Bonjour {},\n\n{} rendez-vous vous attendent lors de « {} ». Votre agenda : {}/events/{}/agenda\n",
                    p.display_name, mine, event.title, self.config.public_url, event_id
                ),
            })
            .await;
        }
        Ok(count)
    }

    /// Records whether a meeting took place (organisers, after the event).
    pub async fn set_attendance(
        &self,
        actor: &Actor,
        event_id: i64,
        meeting_id: i64,
        attendance: &str,
    ) -> Result<()> {
        if !matches!(attendance, "held" | "no_show") {
            return Err(AppError::invalid("attendance", "expected held or no_show"));
        }
        let mut tx = self.store.begin().await?;
        organised_event(&mut tx, actor, event_id).await?;
        let meeting = published_meeting(&mut tx, event_id, meeting_id).await?;
        meetings::set_attendance(&mut tx, meeting.id, attendance).await?;
        Entry::by(actor, "attendance", "meeting", meeting_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Records what came of a meeting: none, call (a call for proposals), quote or contract.
    pub async fn set_follow_up(
        &self,
        actor: &Actor,
        event_id: i64,
        meeting_id: i64,
        outcome: &str,
    ) -> Result<()> {
        if !matches!(outcome, "none" | "call" | "quote" | "contract") {
            return Err(AppError::invalid(
                "follow_up",
                "expected none, call, quote or contract",
            ));
        }
        let mut tx = self.store.begin().await?;
        let event = visible_event(&mut tx, actor, event_id).await?;
        let meeting = meetings::meeting(&mut tx, meeting_id)
            .await?
            .filter(|m| m.event_id == event_id)
            .ok_or(AppError::NotFound("meeting"))?;
        let a = meetings::participant(&mut tx, meeting.participant_a).await?;
        let b = meetings::participant(&mut tx, meeting.participant_b).await?;
        authorize(
            actor,
            &Action::RecordFollowUp {
                cluster_id: event.cluster_id,
                person_ids: [a.and_then(|p| p.person_id), b.and_then(|p| p.person_id)],
            },
        )
        .map_err(|d| AppError::hiding(d, "meeting"))?;
        let meeting = published_meeting(&mut tx, event_id, meeting_id).await?;
        meetings::set_follow_up(&mut tx, meeting.id, outcome).await?;
        Entry::by(actor, "follow_up", "meeting", meeting_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

async fn published_meeting(conn: &mut Conn, event_id: i64, meeting_id: i64) -> Result<Meeting> {
    let meeting = meetings::meeting(conn, meeting_id)
        .await?
        .filter(|m| m.event_id == event_id)
        .ok_or(AppError::NotFound("meeting"))?;
    if meeting.state != "published" {
        return Err(AppError::Conflict("the meeting is not published yet".into()));
    }
    Ok(meeting)
}

fn parse_id(id: &str) -> Option<i64> {
    id.strip_prefix('p')?.parse().ok()
}

/// The scheduler names participants by id ("p12") in its sentences; the organiser wants names.
fn explain(detail: &str, names: &BTreeMap<i64, String>) -> String {
    let mut out = String::with_capacity(detail.len());
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        match parse_id(token).and_then(|id| names.get(&id)) {
            Some(name) => out.push_str(name),
            None => out.push_str(token),
        }
        token.clear();
    };
    for c in detail.chars() {
        if c.is_ascii_alphanumeric() {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: i64, from: i64, to: i64, status: &str, must_meet: bool) -> MeetingRequest {
        met(id, from, to, status, must_meet, false)
    }

    fn met(id: i64, from: i64, to: i64, status: &str, must_meet: bool, met_before: bool) -> MeetingRequest {
        MeetingRequest {
            id,
            event_id: 1,
            from_participant: from,
            to_participant: to,
            message: String::new(),
            status: status.into(),
            must_meet: i64::from(must_meet),
            met_before: i64::from(met_before),
            no_thanks: 0,
            created_at: 0,
            answered_at: None,
            expires_at: 0,
        }
    }

    #[test]
    fn weights_count_mutual_interest_and_must_meet() {
        let requests = [
            req(1, 10, 20, "accepted", false),
            req(2, 20, 10, "pending", false),
            req(3, 10, 30, "accepted", true),
            req(4, 40, 10, "accepted", false),
            req(5, 50, 10, "pending", false),
            req(6, 10, 60, "declined", false),
        ];
        let pairs = pairs(&requests);
        let found: Vec<(i64, i64, i64, i64)> =
            pairs.iter().map(|p| (p.a, p.b, p.weight, p.request_id)).collect();
        assert_eq!(found, [(10, 20, 4, 1), (10, 30, 6, 3), (10, 40, 2, 4)]);
    }

    #[test]
    fn met_before_ranks_a_pair_below_the_same_new_pair_and_never_below_one() {
        for mutual in [false, true] {
            for must_meet in [false, true] {
                let new = weight(mutual, must_meet, false);
                let again = weight(mutual, must_meet, true);
                assert!(
                    again >= 1 && again < new,
                    "{mutual} {must_meet}: {again} vs {new}"
                );
                assert_eq!(2 * again, new, "half as much");
            }
        }
        assert_eq!(weight(false, false, true), 1);
        // Mutual interest or "must meet" still lift a met-before pair to a plain new pair or above.
        assert_eq!(weight(true, false, true), weight(false, false, false));
        assert!(weight(false, true, true) > weight(false, false, false));
    }

    #[test]
    fn either_side_saying_they_met_before_lowers_the_pair() {
        let requests = [
            met(1, 10, 20, "accepted", false, true),
            met(2, 20, 10, "pending", false, false),
            met(3, 10, 30, "accepted", true, false),
            met(4, 30, 10, "accepted", false, true),
            met(5, 10, 40, "accepted", false, false),
            // A withdrawn request's flag does not count.
            met(6, 40, 10, "cancelled", false, true),
        ];
        let found: Vec<(i64, i64, i64)> = pairs(&requests).iter().map(|p| (p.a, p.b, p.weight)).collect();
        assert_eq!(
            found,
            [
                (10, 20, weight(true, false, true)),
                (10, 30, weight(true, true, true)),
                (10, 40, weight(false, false, false)),
            ]
        );
        assert_eq!(found.iter().map(|f| f.2).collect::<Vec<_>>(), [2, 4, 2]);
    }

    fn participant(id: i64, available: &str) -> Participant {
        Participant {
            id,
            event_id: 1,
            person_id: None,
            organisation_id: None,
            fields: store::meetings::ParticipantFields {
                display_name: format!("P{id}"),
                organisation_name: String::new(),
                email: String::new(),
                guest: 1,
                kind: "sme".into(),
                offers: String::new(),
                seeks: String::new(),
                available: available.into(),
                max_meetings: None,
            },
            checked_in_at: None,
            registered_at: 0,
        }
    }

    fn published(a: i64, b: i64, slot: i64) -> Meeting {
        Meeting {
            id: a * 100 + b,
            event_id: 1,
            request_id: 1,
            participant_a: a,
            participant_b: b,
            slot_index: slot,
            table_no: 0,
            state: "published".into(),
            weight: 2,
            attendance: None,
            follow_up: "none".into(),
            created_at: 0,
            updated_at: 0,
        }
    }

    fn inputs(participants: Vec<Participant>, published: Vec<Meeting>) -> Inputs {
        Inputs {
            tables: 2,
            max_meetings: None,
            slots: Vec::new(),
            participants,
            requests: Vec::new(),
            published,
        }
    }

    #[test]
    fn saving_refuses_a_schedule_computed_on_what_has_since_changed() {
        let read = inputs(vec![participant(1, "0,1"), participant(2, "0,1")], vec![]);
        let mut now = inputs(
            vec![participant(1, "0,1"), participant(2, "0,1"), participant(3, "1")],
            vec![],
        );
        now.requests.push(req(9, 3, 1, "accepted", false));
        assert_eq!(
            read.changed(&now),
            None,
            "newcomers are simply not in this schedule"
        );
        now.published.push(published(1, 2, 0));
        assert_eq!(read.changed(&now), Some("meetings were published"));
        let now = inputs(vec![participant(1, "0"), participant(2, "0,1")], vec![]);
        assert_eq!(read.changed(&now), Some("a participant's availability changed"));
        let mut now = inputs(read.participants.clone(), vec![]);
        now.tables = 1;
        assert_eq!(read.changed(&now), Some("the programme or the tables changed"));
    }

    #[test]
    fn reasons_name_the_participants() {
        let names = BTreeMap::from([(1, "Ana (A)".to_owned()), (12, "Bo (B)".to_owned())]);
        assert_eq!(
            explain("p1 and p12 are both free in slot 1", &names),
            "Ana (A) and Bo (B) are both free in slot 1"
        );
    }
}
