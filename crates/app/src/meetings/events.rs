//! Events and registration: the organiser creates and edits an event (its programme becomes
//! slots), opens registration and registers guests; members register themselves with a profile.

use super::programme::{self, MAX_EVENT_SLOTS};
use super::{DEFAULT_MAX_PENDING, is_organiser, organised_event, own_participant, visible_event};
use crate::actor::actor_id;
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};
use domain::person::Email;
use domain::policy::{Action, Actor, authorize};
use domain::text;
use serde::{Deserialize, Serialize};
use store::meetings::{self, Event, EventFields, Participant, ParticipantFields, Slot};
use store::{StoreError, clusters, organisations, people};

/// An event as typed in the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EventInput {
    pub title: String,
    #[serde(default)]
    pub venue: String,
    /// First day, YYYY-MM-DD.
    pub first_day: String,
    #[serde(default = "one")]
    pub days: i64,
    /// Sessions of each day, e.g. "09:00-12:30,14:00-17:30" (Paris time).
    pub sessions: String,
    pub slot_minutes: i64,
    #[serde(default)]
    pub break_minutes: i64,
    /// Tables (or rooms) per slot.
    pub tables: i64,
    #[serde(default)]
    pub online: bool,
    /// No request after this (Paris time, 2027-03-15T18:00); pending ones expire then. Empty: the
    /// start of the first slot.
    #[serde(default)]
    pub request_deadline: String,
    /// Pending requests one participant may have at once; 20 when absent.
    #[serde(default)]
    pub max_pending: Option<i64>,
    /// Meetings per participant at most; absent means as many as their availability allows.
    #[serde(default)]
    pub max_meetings: Option<i64>,
}

fn one() -> i64 {
    1
}

/// A participant's event profile.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ProfileInput {
    /// What they offer.
    #[serde(default)]
    pub offers: String,
    /// What they seek.
    #[serde(default)]
    pub seeks: String,
    /// Slot indices they can meet in; absent means every slot.
    #[serde(default)]
    pub available: Option<Vec<i64>>,
    #[serde(default)]
    pub max_meetings: Option<i64>,
}

/// An external guest registered by the organiser.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct GuestInput {
    pub name: String,
    pub email: String,
    pub organisation: String,
    /// sme, midcap, large or other.
    #[serde(default)]
    pub kind: String,
    #[serde(flatten)]
    pub profile: ProfileInput,
}

/// An event with its slots and the viewer's place in it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub event: Event,
    pub slots: Vec<Slot>,
    pub me: Option<Participant>,
    pub organiser: bool,
    /// The viewer may register (a member, registration open, not yet registered).
    pub can_register: bool,
}

fn collect<T, E: ToString>(
    errors: &mut Vec<FieldError>,
    field: &str,
    r: std::result::Result<T, E>,
) -> Option<T> {
    r.map_err(|e| errors.push(FieldError::new(field, e.to_string())))
        .ok()
}

fn range(errors: &mut Vec<FieldError>, field: &str, value: i64, min: i64, max: i64) {
    if !(min..=max).contains(&value) {
        errors.push(FieldError::new(field, format!("must be between {min} and {max}")));
    }
}

/// Validates an event and computes its slots; every mistake is reported at once.
pub fn parse_event(input: &EventInput) -> Result<(EventFields, Vec<Slot>)> {
    let mut errors = Vec::new();
    let title = collect(&mut errors, "title", text::required("title", &input.title, 200));
    let venue = collect(&mut errors, "venue", text::optional("venue", &input.venue, 200));
    let first_day = collect(
        &mut errors,
        "first_day",
        jiff::civil::Date::strptime("%Y-%m-%d", input.first_day.trim())
            .map_err(|_| format!("'{}' is not a date like 2027-03-16", input.first_day.trim())),
    );
    range(&mut errors, "days", input.days, 1, 7);
    let sessions = collect(
        &mut errors,
        "sessions",
        programme::parse_sessions(&input.sessions),
    );
    range(&mut errors, "slot_minutes", input.slot_minutes, 5, 240);
    range(&mut errors, "break_minutes", input.break_minutes, 0, 120);
    range(&mut errors, "tables", input.tables, 1, 2000);
    let max_pending = input.max_pending.unwrap_or(DEFAULT_MAX_PENDING);
    range(&mut errors, "max_pending", max_pending, 1, 500);
    if let Some(cap) = input.max_meetings {
        range(&mut errors, "max_meetings", cap, 0, MAX_EVENT_SLOTS as i64);
    }
    let deadline = match input.request_deadline.trim() {
        "" => None,
        text => collect(
            &mut errors,
            "request_deadline",
            programme::parse_local_instant(text),
        ),
    };
    let slots = match (first_day, &sessions, errors.is_empty()) {
        (Some(day), Some(sessions), true) => collect(
            &mut errors,
            "sessions",
            programme::slots(day, input.days, sessions, input.slot_minutes, input.break_minutes),
        ),
        _ => None,
    };
    let (Some(title), Some(venue), Some(slots), true) = (title, venue, slots, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let request_deadline = deadline.unwrap_or(slots[0].starts_at);
    Ok((
        EventFields {
            title,
            venue: venue.unwrap_or_default(),
            first_day: input.first_day.trim().to_owned(),
            days: input.days,
            sessions: input.sessions.trim().to_owned(),
            slot_minutes: input.slot_minutes,
            break_minutes: input.break_minutes,
            tables_count: input.tables,
            online: i64::from(input.online),
            request_deadline,
            max_pending,
            max_meetings: input.max_meetings,
        },
        slots,
    ))
}

/// Validates a profile against the event's slots; availability becomes "0,1,2".
pub(crate) fn parse_profile(
    input: &ProfileInput,
    slot_count: usize,
) -> Result<(String, String, String, Option<i64>)> {
    let mut errors = Vec::new();
    let offers = collect(
        &mut errors,
        "offers",
        text::optional("offers", &input.offers, 2000),
    );
    let seeks = collect(&mut errors, "seeks", text::optional("seeks", &input.seeks, 2000));
    let mut available: Vec<i64> = match &input.available {
        Some(list) => list.clone(),
        None => (0..slot_count as i64).collect(),
    };
    available.sort_unstable();
    available.dedup();
    if let Some(bad) = available.iter().find(|s| !(0..slot_count as i64).contains(s)) {
        errors.push(FieldError::new(
            "available",
            format!(
                "slot {bad} does not exist (0 to {})",
                slot_count.saturating_sub(1)
            ),
        ));
    }
    if let Some(cap) = input.max_meetings {
        range(&mut errors, "max_meetings", cap, 0, slot_count as i64);
    }
    let (Some(offers), Some(seeks), true) = (offers, seeks, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let available = available.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    Ok((
        offers.unwrap_or_default(),
        seeks.unwrap_or_default(),
        available,
        input.max_meetings,
    ))
}

/// Validates an external guest against an event of `slot_count` slots; every mistake, of the
/// guest's identity and of their profile, is reported at once.
pub fn parse_guest(input: &GuestInput, slot_count: usize) -> Result<ParticipantFields> {
    let mut errors = Vec::new();
    let name = collect(&mut errors, "name", text::required("name", &input.name, 200));
    let organisation = collect(
        &mut errors,
        "organisation",
        text::required("organisation", &input.organisation, 200),
    );
    let email = collect(&mut errors, "email", Email::parse(&input.email));
    let kind = match input.kind.trim() {
        "" => "other",
        k @ ("sme" | "midcap" | "large" | "other") => k,
        _ => {
            errors.push(FieldError::new("kind", "expected sme, midcap, large or other"));
            "other"
        }
    };
    let profile = match parse_profile(&input.profile, slot_count) {
        Ok(profile) => Some(profile),
        Err(AppError::Invalid(more)) => {
            errors.extend(more);
            None
        }
        Err(other) => return Err(other),
    };
    let (Some(name), Some(organisation), Some(email), Some(profile), true) =
        (name, organisation, email, profile, errors.is_empty())
    else {
        return Err(AppError::Invalid(errors));
    };
    let (offers, seeks, available, max_meetings) = profile;
    Ok(ParticipantFields {
        display_name: name,
        organisation_name: organisation,
        email: email.as_str().to_owned(),
        guest: 1,
        kind: kind.into(),
        offers,
        seeks,
        available,
        max_meetings,
    })
}

/// The scheduler's participant kinds from the registry's size categories.
fn kind_of_size(size: Option<&str>) -> &'static str {
    match size {
        Some("sme") => "sme",
        Some("mid_cap") => "midcap",
        Some("large") => "large",
        _ => "other",
    }
}

impl App {
    /// Events of a cluster the actor may see, newest first.
    pub async fn events(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<Event>> {
        authorize(actor, &Action::ViewEvents { cluster_id }).map_err(|d| AppError::hiding(d, "cluster"))?;
        let mut conn = self.store.conn().await?;
        Ok(meetings::events_of_cluster(&mut conn, cluster_id).await?)
    }

    pub async fn event(&self, actor: &Actor, id: i64) -> Result<EventView> {
        let mut conn = self.store.conn().await?;
        let event = visible_event(&mut conn, actor, id).await?;
        let slots = meetings::slots(&mut conn, id).await?;
        let me = own_participant(&mut conn, actor, id).await?;
        let organiser = is_organiser(actor, &event);
        let can_register = me.is_none()
            && event.is_open()
            && authorize(
                actor,
                &Action::TakePartInEvent {
                    cluster_id: event.cluster_id,
                },
            )
            .is_ok();
        Ok(EventView {
            event,
            slots,
            me,
            organiser,
            can_register,
        })
    }

    #[tracing::instrument(skip(self, actor, input))]
    pub async fn create_event(&self, actor: &Actor, cluster_id: i64, input: &EventInput) -> Result<Event> {
        authorize(actor, &Action::ManageEvent { cluster_id })?;
        let (fields, slots) = parse_event(input)?;
        let mut tx = self.store.begin().await?;
        if clusters::get(&mut tx, cluster_id).await?.is_none() {
            return Err(AppError::NotFound("cluster"));
        }
        let id = meetings::insert_event(&mut tx, cluster_id, &fields, actor_id(actor)).await?;
        meetings::replace_slots(&mut tx, id, &slots).await?;
        let event = meetings::get_event(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("event"))?;
        Entry::by(actor, "create", "event", id)
            .after(&event)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(event)
    }

    /// Edits an event; the programme may change only while no meeting is scheduled.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn update_event(&self, actor: &Actor, id: i64, input: &EventInput) -> Result<Event> {
        let mut tx = self.store.begin().await?;
        let before = organised_event(&mut tx, actor, id).await?;
        let (fields, slots) = parse_event(input)?;
        let old_slots = meetings::slots(&mut tx, id).await?;
        if old_slots != slots {
            if !meetings::meetings(&mut tx, id).await?.is_empty() {
                return Err(AppError::Conflict(
                    "meetings are scheduled: the programme can no longer change".into(),
                ));
            }
            meetings::replace_slots(&mut tx, id, &slots).await?;
        }
        meetings::update_event(&mut tx, id, &fields).await?;
        let after = meetings::get_event(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("event"))?;
        Entry::by(actor, "update", "event", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }

    /// Opens or closes registration.
    pub async fn set_registration(&self, actor: &Actor, id: i64, open: bool) -> Result<()> {
        let mut tx = self.store.begin().await?;
        organised_event(&mut tx, actor, id).await?;
        meetings::set_registration_open(&mut tx, id, open).await?;
        Entry::by(
            actor,
            if open {
                "registration_open"
            } else {
                "registration_close"
            },
            "event",
            id,
        )
        .write(&mut tx)
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Registers the actor (a person of a member organisation) with their event profile.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn register(&self, actor: &Actor, event_id: i64, input: &ProfileInput) -> Result<Participant> {
        let mut tx = self.store.begin().await?;
        let event = visible_event(&mut tx, actor, event_id).await?;
        authorize(
            actor,
            &Action::TakePartInEvent {
                cluster_id: event.cluster_id,
            },
        )?;
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        if !event.is_open() {
            return Err(AppError::Conflict("registration is closed".into()));
        }
        let slots = meetings::slots(&mut tx, event_id).await?;
        let (offers, seeks, available, max_meetings) = parse_profile(input, slots.len())?;
        let person = people::get(&mut tx, principal.person_id)
            .await?
            .ok_or(AppError::NotFound("person"))?;
        let organisation = organisations::get(&mut tx, person.organisation_id)
            .await?
            .ok_or(AppError::NotFound("organisation"))?;
        let fields = ParticipantFields {
            display_name: person.full_name(),
            organisation_name: organisation.legal_name.clone(),
            email: person.email.clone(),
            guest: 0,
            kind: kind_of_size(organisation.size.as_deref()).into(),
            offers,
            seeks,
            available,
            max_meetings,
        };
        let id =
            meetings::insert_participant(&mut tx, event_id, Some(person.id), Some(organisation.id), &fields)
                .await
                .map_err(|e| match e {
                    StoreError::Duplicate(_) => AppError::Conflict("you are already registered".into()),
                    other => other.into(),
                })?;
        Entry::by(actor, "register", "participant", id)
            .write(&mut tx)
            .await?;
        let participant = meetings::participant(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(participant)
    }

    /// Registers an external guest (organisers only); guests follow their agenda by feed link.
    pub async fn register_guest(
        &self,
        actor: &Actor,
        event_id: i64,
        input: &GuestInput,
    ) -> Result<Participant> {
        let mut tx = self.store.begin().await?;
        organised_event(&mut tx, actor, event_id).await?;
        let slots = meetings::slots(&mut tx, event_id).await?;
        let fields = parse_guest(input, slots.len())?;
        let id = meetings::insert_participant(&mut tx, event_id, None, None, &fields).await?;
        Entry::by(actor, "register_guest", "participant", id)
            .write(&mut tx)
            .await?;
        let participant = meetings::participant(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(participant)
    }

    /// Updates the actor's own event profile.
    pub async fn update_profile(
        &self,
        actor: &Actor,
        event_id: i64,
        input: &ProfileInput,
    ) -> Result<Participant> {
        let mut tx = self.store.begin().await?;
        visible_event(&mut tx, actor, event_id).await?;
        let me = own_participant(&mut tx, actor, event_id)
            .await?
            .ok_or_else(|| AppError::Conflict("register for the event first".into()))?;
        let slots = meetings::slots(&mut tx, event_id).await?;
        let (offers, seeks, available, max_meetings) = parse_profile(input, slots.len())?;
        meetings::update_profile(&mut tx, me.id, &offers, &seeks, &available, max_meetings).await?;
        Entry::by(actor, "update_profile", "participant", me.id)
            .write(&mut tx)
            .await?;
        let participant = meetings::participant(&mut tx, me.id)
            .await?
            .ok_or(AppError::NotFound("participant"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(participant)
    }

    /// Who takes part: the marketplace of offers and requests, seen by the event's audience.
    pub async fn participants(&self, actor: &Actor, event_id: i64) -> Result<Vec<Participant>> {
        let mut conn = self.store.conn().await?;
        visible_event(&mut conn, actor, event_id).await?;
        Ok(meetings::participants(&mut conn, event_id).await?)
    }

    /// Marks a participant as arrived (organisers, on the day).
    pub async fn check_in(&self, actor: &Actor, event_id: i64, participant_id: i64) -> Result<()> {
        let mut tx = self.store.begin().await?;
        organised_event(&mut tx, actor, event_id).await?;
        let participant = meetings::participant(&mut tx, participant_id).await?;
        if participant.is_none_or(|p| p.event_id != event_id) {
            return Err(AppError::NotFound("participant"));
        }
        meetings::check_in(&mut tx, participant_id, store::now_ms()).await?;
        Entry::by(actor, "check_in", "participant", participant_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(error: AppError) -> Vec<String> {
        match error {
            AppError::Invalid(errors) => errors.into_iter().map(|e| e.field.to_string()).collect(),
            other => panic!("expected invalid input, got {other}"),
        }
    }

    #[test]
    fn a_guest_is_refused_with_every_mistake_at_once() {
        let input = GuestInput {
            name: " ".into(),
            email: "pas-un-courriel".into(),
            organisation: String::new(),
            kind: "géant".into(),
            profile: ProfileInput {
                available: Some(vec![0, 7]),
                max_meetings: Some(9),
                ..ProfileInput::default()
            },
        };
        let found = fields(parse_guest(&input, 4).unwrap_err());
        for field in [
            "name",
            "email",
            "organisation",
            "kind",
            "available",
            "max_meetings",
        ] {
            assert!(found.iter().any(|f| f == field), "{field} missing in {found:?}");
        }
    }

    #[test]
    fn a_guest_with_no_kind_is_other_and_available_everywhere_by_default() {
        let input = GuestInput {
            name: "Ana Ruiz".into(),
            email: "ana.ruiz@example.es".into(),
            organisation: "Aero Iberia SL".into(),
            ..GuestInput::default()
        };
        let guest = parse_guest(&input, 3).unwrap();
        assert_eq!(
            (guest.kind.as_str(), guest.available.as_str(), guest.guest),
            ("other", "0,1,2", 1)
        );
    }
}
