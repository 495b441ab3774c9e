//! Business meetings: matchmaking events and their slots, participants, meeting requests and the
//! scheduled meetings. Rows are defined here, next to the only queries that read them.

use crate::{Conn, Result, now_ms};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    pub cluster_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: EventFields,
    pub registration_open: i64,
    pub published_at: Option<i64>,
    pub generated_at: Option<i64>,
    pub total_weight: Option<i64>,
    pub upper_bound: Option<i64>,
    pub unscheduled_json: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::ops::Deref for Event {
    type Target = EventFields;

    fn deref(&self) -> &EventFields {
        &self.fields
    }
}

impl Event {
    pub fn is_open(&self) -> bool {
        self.registration_open != 0
    }

    pub fn is_published(&self) -> bool {
        self.published_at.is_some()
    }
}

/// What an organiser edits; validated by the use-case before it gets here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EventFields {
    pub title: String,
    pub venue: String,
    pub first_day: String,
    pub days: i64,
    pub sessions: String,
    pub slot_minutes: i64,
    pub break_minutes: i64,
    pub tables_count: i64,
    pub online: i64,
    pub request_deadline: i64,
    pub max_pending: i64,
    pub max_meetings: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Slot {
    pub slot_index: i64,
    pub starts_at: i64,
    pub ends_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Participant {
    pub id: i64,
    pub event_id: i64,
    pub person_id: Option<i64>,
    pub organisation_id: Option<i64>,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: ParticipantFields,
    pub checked_in_at: Option<i64>,
    pub registered_at: i64,
}

impl std::ops::Deref for Participant {
    type Target = ParticipantFields;

    fn deref(&self) -> &ParticipantFields {
        &self.fields
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ParticipantFields {
    pub display_name: String,
    pub organisation_name: String,
    pub email: String,
    pub guest: i64,
    pub kind: String,
    pub offers: String,
    pub seeks: String,
    /// Comma-separated slot indices.
    pub available: String,
    pub max_meetings: Option<i64>,
}

impl ParticipantFields {
    pub fn available_slots(&self) -> Vec<i64> {
        self.available
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MeetingRequest {
    pub id: i64,
    pub event_id: i64,
    pub from_participant: i64,
    pub to_participant: i64,
    pub message: String,
    pub status: String,
    pub must_meet: i64,
    pub met_before: i64,
    pub no_thanks: i64,
    pub created_at: i64,
    pub answered_at: Option<i64>,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest<'a> {
    pub event_id: i64,
    pub from_participant: i64,
    pub to_participant: i64,
    pub message: &'a str,
    pub must_meet: bool,
    pub met_before: bool,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Meeting {
    pub id: i64,
    pub event_id: i64,
    pub request_id: i64,
    pub participant_a: i64,
    pub participant_b: i64,
    pub slot_index: i64,
    pub table_no: i64,
    pub state: String,
    pub weight: i64,
    pub attendance: Option<String>,
    pub follow_up: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewMeeting {
    pub request_id: i64,
    pub participant_a: i64,
    pub participant_b: i64,
    pub slot_index: i64,
    pub table_no: i64,
    pub weight: i64,
}

macro_rules! event_sql {
    ($($rest:literal)+) => {
        concat!("SELECT ", "id, cluster_id, title, venue, first_day, days, sessions, slot_minutes, \
    break_minutes, tables_count, online, request_deadline, max_pending, max_meetings, registration_open, \
    published_at, generated_at, total_weight, upper_bound, unscheduled_json, created_at, updated_at", " FROM events ", $($rest),+)
    };
}

macro_rules! participant_sql {
    ($($rest:literal)+) => {
        concat!("SELECT ", "id, event_id, person_id, organisation_id, display_name, \
    organisation_name, email, guest, kind, offers, seeks, available, max_meetings, checked_in_at, registered_at", " FROM participants ", $($rest),+)
    };
}

macro_rules! request_sql {
    ($($rest:literal)+) => {
        concat!("SELECT ", "id, event_id, from_participant, to_participant, message, status, must_meet, \
    met_before, no_thanks, created_at, answered_at, expires_at", " FROM meeting_requests ", $($rest),+)
    };
}

macro_rules! meeting_sql {
    ($($rest:literal)+) => {
        concat!("SELECT ", "id, event_id, request_id, participant_a, participant_b, slot_index, table_no, \
    state, weight, attendance, follow_up, created_at, updated_at", " FROM meetings ", $($rest),+)
    };
}

// ---- events ------------------------------------------------------------------------------------

pub async fn insert_event(
    conn: &mut Conn,
    cluster_id: i64,
    fields: &EventFields,
    created_by: Option<i64>,
) -> Result<i64> {
    let now = now_ms();
    let query = sqlx::query(
        "INSERT INTO events (cluster_id, title, venue, first_day, days, sessions, slot_minutes, break_minutes, \
         tables_count, online, request_deadline, max_pending, max_meetings, registration_open, created_by, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, $15) RETURNING id",
    )
    .bind(cluster_id);
    let row = bind_event_fields(query, fields)
        .bind(created_by)
        .bind(now)
        .fetch_one(conn)
        .await?;
    Ok(row.try_get(0)?)
}

/// Binds an event's fields as $2…$13, the numbering insert and update share.
fn bind_event_fields<'q>(query: crate::AnyQuery<'q>, fields: &'q EventFields) -> crate::AnyQuery<'q> {
    query
        .bind(&fields.title)
        .bind(&fields.venue)
        .bind(&fields.first_day)
        .bind(fields.days)
        .bind(&fields.sessions)
        .bind(fields.slot_minutes)
        .bind(fields.break_minutes)
        .bind(fields.tables_count)
        .bind(fields.online)
        .bind(fields.request_deadline)
        .bind(fields.max_pending)
        .bind(fields.max_meetings)
}

pub async fn update_event(conn: &mut Conn, id: i64, fields: &EventFields) -> Result<bool> {
    let query = sqlx::query(
        "UPDATE events SET title = $2, venue = $3, first_day = $4, days = $5, sessions = $6, slot_minutes = $7, \
         break_minutes = $8, tables_count = $9, online = $10, request_deadline = $11, max_pending = $12, \
         max_meetings = $13, updated_at = $14 WHERE id = $1",
    )
    .bind(id);
    let done = bind_event_fields(query, fields)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn get_event(conn: &mut Conn, id: i64) -> Result<Option<Event>> {
    Ok(sqlx::query_as(event_sql!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn events_of_cluster(conn: &mut Conn, cluster_id: i64) -> Result<Vec<Event>> {
    Ok(sqlx::query_as(event_sql!(
        "WHERE cluster_id = $1 ORDER BY first_day DESC, id DESC"
    ))
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

pub async fn set_registration_open(conn: &mut Conn, id: i64, open: bool) -> Result<bool> {
    let done = sqlx::query("UPDATE events SET registration_open = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(i64::from(open))
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_published(conn: &mut Conn, id: i64, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE events SET published_at = COALESCE(published_at, $2), updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Keeps the figures of a generation for the organiser's screen.
pub async fn record_generation(
    conn: &mut Conn,
    id: i64,
    total_weight: i64,
    upper_bound: i64,
    unscheduled_json: &str,
) -> Result<()> {
    let now = now_ms();
    sqlx::query(
        "UPDATE events SET generated_at = $2, total_weight = $3, upper_bound = $4, unscheduled_json = $5, \
         updated_at = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(now)
    .bind(total_weight)
    .bind(upper_bound)
    .bind(unscheduled_json)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces the event's slots (the programme changed).
pub async fn replace_slots(conn: &mut Conn, event_id: i64, slots: &[Slot]) -> Result<()> {
    sqlx::query("DELETE FROM event_slots WHERE event_id = $1")
        .bind(event_id)
        .execute(&mut *conn)
        .await?;
    for slot in slots {
        sqlx::query(
            "INSERT INTO event_slots (event_id, slot_index, starts_at, ends_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(event_id)
        .bind(slot.slot_index)
        .bind(slot.starts_at)
        .bind(slot.ends_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn slots(conn: &mut Conn, event_id: i64) -> Result<Vec<Slot>> {
    Ok(sqlx::query_as(
        "SELECT slot_index, starts_at, ends_at FROM event_slots WHERE event_id = $1 ORDER BY slot_index",
    )
    .bind(event_id)
    .fetch_all(conn)
    .await?)
}

// ---- participants -------------------------------------------------------------------------------

pub async fn insert_participant(
    conn: &mut Conn,
    event_id: i64,
    person_id: Option<i64>,
    organisation_id: Option<i64>,
    fields: &ParticipantFields,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO participants (event_id, person_id, organisation_id, display_name, organisation_name, email, \
         guest, kind, offers, seeks, available, max_meetings, registered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(event_id)
    .bind(person_id)
    .bind(organisation_id)
    .bind(&fields.display_name)
    .bind(&fields.organisation_name)
    .bind(&fields.email)
    .bind(fields.guest)
    .bind(&fields.kind)
    .bind(&fields.offers)
    .bind(&fields.seeks)
    .bind(&fields.available)
    .bind(fields.max_meetings)
    .bind(now_ms())
    .fetch_one(conn)
    .await?)
}

/// The event profile a participant edits: offers, seeks, availability, cap.
pub async fn update_profile(
    conn: &mut Conn,
    id: i64,
    offers: &str,
    seeks: &str,
    available: &str,
    max_meetings: Option<i64>,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE participants SET offers = $2, seeks = $3, available = $4, max_meetings = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(offers)
    .bind(seeks)
    .bind(available)
    .bind(max_meetings)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn participant(conn: &mut Conn, id: i64) -> Result<Option<Participant>> {
    Ok(sqlx::query_as(participant_sql!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn participant_of_person(
    conn: &mut Conn,
    event_id: i64,
    person_id: i64,
) -> Result<Option<Participant>> {
    Ok(
        sqlx::query_as(participant_sql!("WHERE event_id = $1 AND person_id = $2"))
            .bind(event_id)
            .bind(person_id)
            .fetch_optional(conn)
            .await?,
    )
}

pub async fn participants(conn: &mut Conn, event_id: i64) -> Result<Vec<Participant>> {
    Ok(sqlx::query_as(participant_sql!(
        "WHERE event_id = $1 ORDER BY organisation_name, display_name, id"
    ))
    .bind(event_id)
    .fetch_all(conn)
    .await?)
}

/// Stores the hash of a new private calendar-feed token (replacing any previous one).
pub async fn set_feed_token_hash(conn: &mut Conn, id: i64, hash: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE participants SET feed_token_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn participant_by_feed_hash(conn: &mut Conn, hash: &str) -> Result<Option<Participant>> {
    Ok(sqlx::query_as(participant_sql!("WHERE feed_token_hash = $1"))
        .bind(hash)
        .fetch_optional(conn)
        .await?)
}

pub async fn check_in(conn: &mut Conn, id: i64, at: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE participants SET checked_in_at = COALESCE(checked_in_at, $2) WHERE id = $1")
            .bind(id)
            .bind(at)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

// ---- requests -----------------------------------------------------------------------------------

pub async fn insert_request(conn: &mut Conn, request: &NewRequest<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO meeting_requests (event_id, from_participant, to_participant, message, status, must_meet, \
         met_before, no_thanks, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, 0, $7, $8) RETURNING id",
    )
    .bind(request.event_id)
    .bind(request.from_participant)
    .bind(request.to_participant)
    .bind(request.message)
    .bind(i64::from(request.must_meet))
    .bind(i64::from(request.met_before))
    .bind(now_ms())
    .bind(request.expires_at)
    .fetch_one(conn)
    .await?)
}

pub async fn request(conn: &mut Conn, id: i64) -> Result<Option<MeetingRequest>> {
    Ok(sqlx::query_as(request_sql!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The request from `from` to `to` in an event, whatever its status.
pub async fn request_between(
    conn: &mut Conn,
    event_id: i64,
    from: i64,
    to: i64,
) -> Result<Option<MeetingRequest>> {
    Ok(sqlx::query_as(request_sql!(
        "\
         WHERE event_id = $1 AND from_participant = $2 AND to_participant = $3"
    ))
    .bind(event_id)
    .bind(from)
    .bind(to)
    .fetch_optional(conn)
    .await?)
}

/// Requests a participant sent or received, newest first.
pub async fn requests_of(conn: &mut Conn, participant_id: i64) -> Result<Vec<MeetingRequest>> {
    Ok(sqlx::query_as(request_sql!(
        "\
         WHERE from_participant = $1 OR to_participant = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(participant_id)
    .fetch_all(conn)
    .await?)
}

pub async fn requests_of_event(conn: &mut Conn, event_id: i64) -> Result<Vec<MeetingRequest>> {
    Ok(sqlx::query_as(request_sql!("WHERE event_id = $1 ORDER BY id"))
        .bind(event_id)
        .fetch_all(conn)
        .await?)
}

pub async fn count_pending_from(conn: &mut Conn, participant_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_requests WHERE from_participant = $1 AND status = 'pending'",
    )
    .bind(participant_id)
    .fetch_one(conn)
    .await?)
}

/// Answers a pending request; false when it was no longer pending (answered, expired…).
pub async fn answer_request(
    conn: &mut Conn,
    id: i64,
    status: &str,
    no_thanks: bool,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE meeting_requests SET status = $2, no_thanks = $3, answered_at = $4 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .bind(status)
    .bind(i64::from(no_thanks))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the event's pending requests whose expiry has passed as expired; returns how many.
pub async fn expire_due(conn: &mut Conn, event_id: i64, now: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE meeting_requests SET status = 'expired' \
         WHERE event_id = $1 AND status = 'pending' AND expires_at <= $2",
    )
    .bind(event_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Whether `by` declined a request of `of` with "no thanks" in this event.
pub async fn said_no_thanks(conn: &mut Conn, event_id: i64, by: i64, of: i64) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM meeting_requests WHERE event_id = $1 AND to_participant = $2 \
         AND from_participant = $3 AND no_thanks = 1",
    )
    .bind(event_id)
    .bind(by)
    .bind(of)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

// ---- meetings -----------------------------------------------------------------------------------

pub async fn insert_meeting(conn: &mut Conn, event_id: i64, meeting: &NewMeeting) -> Result<i64> {
    let now = now_ms();
    Ok(sqlx::query_scalar(
        "INSERT INTO meetings (event_id, request_id, participant_a, participant_b, slot_index, table_no, state, \
         weight, follow_up, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, 'none', $8, $8) RETURNING id",
    )
    .bind(event_id)
    .bind(meeting.request_id)
    .bind(meeting.participant_a)
    .bind(meeting.participant_b)
    .bind(meeting.slot_index)
    .bind(meeting.table_no)
    .bind(meeting.weight)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Drops the draft meetings of an event (published ones stay), before a new generation.
pub async fn delete_drafts(conn: &mut Conn, event_id: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM meetings WHERE event_id = $1 AND state = 'draft'")
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn meetings(conn: &mut Conn, event_id: i64) -> Result<Vec<Meeting>> {
    Ok(
        sqlx::query_as(meeting_sql!("WHERE event_id = $1 ORDER BY slot_index, table_no"))
            .bind(event_id)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn meetings_of(conn: &mut Conn, participant_id: i64) -> Result<Vec<Meeting>> {
    Ok(sqlx::query_as(meeting_sql!(
        "WHERE participant_a = $1 OR participant_b = $1 \
         ORDER BY slot_index, table_no"
    ))
    .bind(participant_id)
    .fetch_all(conn)
    .await?)
}

pub async fn meeting(conn: &mut Conn, id: i64) -> Result<Option<Meeting>> {
    Ok(sqlx::query_as(meeting_sql!("WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Moves a meeting; the (event, slot, table) uniqueness refuses an occupied table.
pub async fn move_meeting(conn: &mut Conn, id: i64, slot_index: i64, table_no: i64) -> Result<bool> {
    let done =
        sqlx::query("UPDATE meetings SET slot_index = $2, table_no = $3, updated_at = $4 WHERE id = $1")
            .bind(id)
            .bind(slot_index)
            .bind(table_no)
            .bind(now_ms())
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn publish_meetings(conn: &mut Conn, event_id: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE meetings SET state = 'published', updated_at = $2 WHERE event_id = $1 AND state = 'draft'",
    )
    .bind(event_id)
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

pub async fn set_attendance(conn: &mut Conn, id: i64, attendance: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE meetings SET attendance = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(attendance)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_follow_up(conn: &mut Conn, id: i64, follow_up: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE meetings SET follow_up = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(follow_up)
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---- outcomes -----------------------------------------------------------------------------------

/// A meeting as the outcome figures count it: its state, what became of it, who met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MeetingFact {
    pub event_id: i64,
    pub participant_a: i64,
    pub participant_b: i64,
    pub state: String,
    pub attendance: Option<String>,
    pub follow_up: String,
    pub kind_a: String,
    pub kind_b: String,
}

/// A participant as the outcome figures count them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ParticipantFact {
    pub id: i64,
    pub event_id: i64,
    pub kind: String,
    pub checked_in_at: Option<i64>,
}

/// Every meeting of a cluster's events, with the kinds of its two participants.
pub async fn meeting_facts(conn: &mut Conn, cluster_id: i64) -> Result<Vec<MeetingFact>> {
    Ok(sqlx::query_as(
        "SELECT m.event_id, m.participant_a, m.participant_b, m.state, m.attendance, m.follow_up, pa.kind AS kind_a, pb.kind AS kind_b \
         FROM meetings m JOIN events e ON e.id = m.event_id \
         JOIN participants pa ON pa.id = m.participant_a JOIN participants pb ON pb.id = m.participant_b \
         WHERE e.cluster_id = $1 ORDER BY m.id",
    )
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}

/// Every participant of a cluster's events.
pub async fn participant_facts(conn: &mut Conn, cluster_id: i64) -> Result<Vec<ParticipantFact>> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.event_id, p.kind, p.checked_in_at FROM participants p \
         JOIN events e ON e.id = p.event_id WHERE e.cluster_id = $1 ORDER BY p.id",
    )
    .bind(cluster_id)
    .fetch_all(conn)
    .await?)
}
