//! Agendas: a participant's published meetings (their page, `.ics` download and private feed),
//! and the per-table sheets the venue staff work from.

use super::{label, organised_event, own_participant, visible_event};
use crate::audit::Entry;
use crate::secrets::{hash_token, new_token};
use crate::{App, AppError, Result};
use domain::policy::{Action, Actor, authorize};
use serde::Serialize;
use store::meetings::{self, Event, Participant};
use store::{Conn, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub meeting_id: i64,
    pub slot: i64,
    pub table: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    /// "Name (Organisation)" of the other side.
    pub with: String,
    pub with_offers: String,
    pub with_seeks: String,
    pub attendance: Option<String>,
    pub follow_up: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Agenda {
    pub event: Event,
    pub participant: Participant,
    pub items: Vec<AgendaItem>,
}

/// One table's meetings in slot order.
#[derive(Debug, Clone, Serialize)]
pub struct TableSheet {
    pub table: i64,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SheetRow {
    pub starts_at: i64,
    pub ends_at: i64,
    pub a: String,
    pub b: String,
    pub state: String,
}

async fn agenda_of(conn: &mut Conn, event: Event, participant: Participant) -> Result<Agenda> {
    let slots = meetings::slots(conn, event.id).await?;
    let everyone = meetings::participants(conn, event.id).await?;
    let items = meetings::meetings_of(conn, participant.id)
        .await?
        .into_iter()
        .filter(|m| m.state == "published")
        .map(|m| {
            let other_id = if m.participant_a == participant.id {
                m.participant_b
            } else {
                m.participant_a
            };
            let other = everyone.iter().find(|p| p.id == other_id);
            let slot = slots.iter().find(|s| s.slot_index == m.slot_index);
            AgendaItem {
                meeting_id: m.id,
                slot: m.slot_index,
                table: m.table_no,
                starts_at: slot.map_or(0, |s| s.starts_at),
                ends_at: slot.map_or(0, |s| s.ends_at),
                with: other.map(label).unwrap_or_default(),
                with_offers: other.map(|p| p.offers.clone()).unwrap_or_default(),
                with_seeks: other.map(|p| p.seeks.clone()).unwrap_or_default(),
                attendance: m.attendance,
                follow_up: m.follow_up,
            }
        })
        .collect();
    Ok(Agenda {
        event,
        participant,
        items,
    })
}

impl App {
    /// A participant's agenda: the actor's own (`participant_id` None), or any participant's for
    /// the organisers. Someone else's agenda answers 404.
    pub async fn agenda(&self, actor: &Actor, event_id: i64, participant_id: Option<i64>) -> Result<Agenda> {
        let mut conn = self.store.conn().await?;
        let event = visible_event(&mut conn, actor, event_id).await?;
        let participant = match participant_id {
            Some(id) => meetings::participant(&mut conn, id)
                .await?
                .filter(|p| p.event_id == event_id),
            None => own_participant(&mut conn, actor, event_id).await?,
        };
        authorize(
            actor,
            &Action::ViewAgenda {
                cluster_id: event.cluster_id,
                owner_person_id: participant.as_ref().and_then(|p| p.person_id),
            },
        )
        .map_err(|d| AppError::hiding(d, "agenda"))?;
        let participant = participant.ok_or(AppError::NotFound("agenda"))?;
        agenda_of(&mut conn, event, participant).await
    }

    /// The actor's agenda as an `.ics` document.
    pub async fn agenda_ics(&self, actor: &Actor, event_id: i64) -> Result<String> {
        let agenda = self.agenda(actor, event_id, None).await?;
        Ok(super::ics::render(&agenda, &self.host()))
    }

    /// Creates (or replaces) the actor's private calendar-feed token; the URL is shown once.
    pub async fn create_feed(&self, actor: &Actor, event_id: i64) -> Result<String> {
        let mut tx = self.store.begin().await?;
        visible_event(&mut tx, actor, event_id).await?;
        let me = own_participant(&mut tx, actor, event_id)
            .await?
            .ok_or(AppError::NotFound("agenda"))?;
        let token = new_token();
        meetings::set_feed_token_hash(&mut tx, me.id, &hash_token(&token)).await?;
        Entry::by(actor, "feed_token", "participant", me.id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(format!("{}/agenda/{token}.ics", self.config.public_url))
    }

    /// Creates a guest's feed link (organisers): guests have no account to sign in with.
    pub async fn create_guest_feed(
        &self,
        actor: &Actor,
        event_id: i64,
        participant_id: i64,
    ) -> Result<String> {
        let mut tx = self.store.begin().await?;
        organised_event(&mut tx, actor, event_id).await?;
        let guest = meetings::participant(&mut tx, participant_id)
            .await?
            .filter(|p| p.event_id == event_id)
            .ok_or(AppError::NotFound("participant"))?;
        let token = new_token();
        meetings::set_feed_token_hash(&mut tx, guest.id, &hash_token(&token)).await?;
        Entry::by(actor, "feed_token", "participant", guest.id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(format!("{}/agenda/{token}.ics", self.config.public_url))
    }

    /// The calendar feed behind a private token; no sign-in, a wrong token is simply not found.
    pub async fn feed(&self, token: &str) -> Result<String> {
        if token.is_empty() || token.len() > 100 {
            return Err(AppError::NotFound("agenda"));
        }
        let mut conn = self.store.conn().await?;
        let participant = meetings::participant_by_feed_hash(&mut conn, &hash_token(token))
            .await?
            .ok_or(AppError::NotFound("agenda"))?;
        let event = meetings::get_event(&mut conn, participant.event_id)
            .await?
            .ok_or(AppError::NotFound("agenda"))?;
        let agenda = agenda_of(&mut conn, event, participant).await?;
        Ok(super::ics::render(&agenda, &self.host()))
    }

    /// Per-table sheets for the venue (organisers), drafts included so they can be printed early.
    pub async fn table_sheets(&self, actor: &Actor, event_id: i64) -> Result<(Event, Vec<TableSheet>)> {
        let mut conn = self.store.conn().await?;
        let event = organised_event(&mut conn, actor, event_id).await?;
        let slots = meetings::slots(&mut conn, event_id).await?;
        let everyone = meetings::participants(&mut conn, event_id).await?;
        let list = meetings::meetings(&mut conn, event_id).await?;
        let name = |id: i64| {
            everyone
                .iter()
                .find(|p| p.id == id)
                .map(label)
                .unwrap_or_default()
        };
        let sheets = (0..event.tables_count)
            .filter_map(|table| {
                let rows: Vec<SheetRow> = list
                    .iter()
                    .filter(|m| m.table_no == table)
                    .map(|m| {
                        let slot = slots.iter().find(|s| s.slot_index == m.slot_index);
                        SheetRow {
                            starts_at: slot.map_or(0, |s| s.starts_at),
                            ends_at: slot.map_or(0, |s| s.ends_at),
                            a: name(m.participant_a),
                            b: name(m.participant_b),
                            state: m.state.clone(),
                        }
                    })
                    .collect();
                (!rows.is_empty()).then_some(TableSheet { table, rows })
            })
            .collect();
        Ok((event, sheets))
    }

    fn host(&self) -> String {
        url::Url::parse(&self.config.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| "passerelle".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::Component;
    use store::meetings::{EventFields, ParticipantFields};

    pub(crate) fn sample() -> Agenda {
        let starts = super::super::programme::parse_local_instant("2027-03-16T09:00").unwrap();
        Agenda {
            event: Event {
                id: 1,
                cluster_id: 1,
                fields: EventFields {
                    title: "Convention d'affaires Aéro 2027".into(),
                    venue: "Centre de congrès, Toulouse".into(),
                    first_day: "2027-03-16".into(),
                    days: 1,
                    sessions: "09:00-12:00".into(),
                    slot_minutes: 20,
                    break_minutes: 5,
                    tables_count: 4,
                    online: 0,
                    request_deadline: starts,
                    max_pending: 20,
                    max_meetings: None,
                },
                registration_open: 1,
                published_at: Some(starts),
                generated_at: None,
                total_weight: None,
                upper_bound: None,
                unscheduled_json: None,
                created_at: 0,
                updated_at: 0,
            },
            participant: Participant {
                id: 1,
                event_id: 1,
                person_id: Some(1),
                organisation_id: Some(1),
                fields: ParticipantFields {
                    display_name: "Ana".into(),
                    organisation_name: "A".into(),
                    email: "ana@example.fr".into(),
                    guest: 0,
                    kind: "sme".into(),
                    offers: String::new(),
                    seeks: String::new(),
                    available: "0".into(),
                    max_meetings: None,
                },
                checked_in_at: None,
                registered_at: 0,
            },
            items: vec![AgendaItem {
                meeting_id: 7,
                slot: 0,
                table: 2,
                starts_at: starts,
                ends_at: starts + 20 * 60_000,
                with: "Bo, acheteur (Grand Compte, S.A.)".into(),
                with_offers: String::new(),
                with_seeks: String::new(),
                attendance: None,
                follow_up: "none".into(),
            }],
        }
    }

    #[test]
    fn the_ics_parses_back_with_paris_times_and_timezone() {
        let text = super::super::ics::render(&sample(), "passerelle.test");
        let calendar: icalendar::Calendar = text.parse().expect("the .ics parses");
        let timezone = calendar
            .components
            .iter()
            .find_map(|c| match c {
                icalendar::CalendarComponent::Other(o) if o.component_kind() == "VTIMEZONE" => Some(o),
                _ => None,
            })
            .expect("a VTIMEZONE");
        assert_eq!(timezone.property_value("TZID"), Some("Europe/Paris"));
        let kinds: Vec<String> = timezone.components().iter().map(|c| c.component_kind()).collect();
        assert_eq!(kinds, ["DAYLIGHT", "STANDARD"]);
        let event = calendar
            .components
            .iter()
            .find_map(|c| c.as_event())
            .expect("a VEVENT");
        let start = event.properties().get("DTSTART").expect("DTSTART");
        assert_eq!(start.value(), "20270316T090000");
        assert_eq!(
            start.params().get("TZID").map(|p| p.value()),
            Some("Europe/Paris")
        );
        assert_eq!(event.get_uid(), Some("meeting-7@passerelle.test"));
        assert!(text.contains("BYDAY=-1SU"));
        assert!(text.contains("\r\n"), "RFC 5545 lines end in CRLF");
    }
}
