//! Business meetings (issue 5): matchmaking events, registration, meeting requests, the schedule
//! (computed by `domain::scheduler`), agendas with calendar feeds, and what happens after.

pub mod agenda;
pub mod events;
pub mod generation;
pub mod ics;
pub mod outcomes;
pub mod programme;
pub mod requests;
pub mod scheduling;
pub mod suggestions;

use crate::{AppError, Result};
use domain::policy::{Action, Actor, authorize};
use store::Conn;
use store::meetings::{self, Event, Participant};

pub use agenda::{Agenda, AgendaItem, TableSheet};
pub use events::{EventInput, EventView, GuestInput, ProfileInput};
pub use generation::{GenerationFigures, GenerationStatus, Phase};
pub use outcomes::{FollowUps, KindOutcomes, Outcomes};
pub use requests::{RequestInput, RequestView};
pub use scheduling::{Preview, PreviewMeeting, PreviewUnscheduled};
pub use suggestions::Suggestion;

/// Pending requests a participant may have at once unless the event says otherwise.
pub const DEFAULT_MAX_PENDING: i64 = 20;

/// Loads an event the actor may see; a missing and an invisible event look alike.
pub(crate) async fn visible_event(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Event> {
    let event = meetings::get_event(conn, id).await?;
    // A missing event is asked about cluster 0, so a visitor is told to sign in either way.
    let cluster_id = event.as_ref().map_or(0, |e| e.cluster_id);
    authorize(actor, &Action::ViewEvents { cluster_id }).map_err(|d| AppError::hiding(d, "event"))?;
    event.ok_or(AppError::NotFound("event"))
}

/// Loads an event the actor organises: 404 when they may not even see it, 403 when they see it only.
pub(crate) async fn organised_event(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Event> {
    let event = visible_event(conn, actor, id).await?;
    authorize(
        actor,
        &Action::ManageEvent {
            cluster_id: event.cluster_id,
        },
    )?;
    Ok(event)
}

/// The actor's own registration to an event, if any.
pub(crate) async fn own_participant(
    conn: &mut Conn,
    actor: &Actor,
    event_id: i64,
) -> Result<Option<Participant>> {
    match actor {
        Actor::Person(p) => Ok(meetings::participant_of_person(conn, event_id, p.person_id).await?),
        Actor::Visitor => Ok(None),
    }
}

pub(crate) fn is_organiser(actor: &Actor, event: &Event) -> bool {
    authorize(
        actor,
        &Action::ManageEvent {
            cluster_id: event.cluster_id,
        },
    )
    .is_ok()
}

/// "Nom (Organisation)" as shown beside a meeting.
pub fn label(participant: &Participant) -> String {
    format!("{} ({})", participant.display_name, participant.organisation_name)
}
