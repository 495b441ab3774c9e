//! Committee sessions: the cluster's staff schedule a cycle (buyers present their needs, dossiers
//! are due, the decision meeting), name the buyers presenting in speaking order and attach calls.
//! The cluster's committee reads them, each attached call only if it may see that call.

use domain::committee::paris;
use domain::policy::{Action, Actor, authorize};
use serde::{Deserialize, Serialize};
use store::committee::calls::{self as stored_calls, Call};
use store::committee::sessions::{self as stored, Session, SessionFields};
use store::{Conn, StoreError, clusters, organisations};

use super::load_call;
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};

pub const TITLE_CHARS: usize = 200;
/// More buyers than this cannot present in one meeting.
pub const MAX_PRESENTERS: usize = 30;

/// What the staff type: a title and three Paris wall-clock times (`YYYY-MM-DDTHH:MM`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SessionInput {
    pub title: String,
    /// When the buyers present their needs; Paris time.
    pub presentation_at: String,
    /// When dossiers are due; Paris time, not before the presentation.
    pub dossiers_due_at: String,
    /// The decision meeting; Paris time, not before dossiers are due.
    pub decision_at: String,
}

/// A buyer presenting, in speaking order.
#[derive(Debug, Clone, Serialize)]
pub struct Presenter {
    pub organisation_id: i64,
    pub name: String,
}

/// A session with its presenters and the attached calls the reader may see.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub session: Session,
    pub presenters: Vec<Presenter>,
    pub calls: Vec<Call>,
    /// Whether the reader may edit it.
    pub can_manage: bool,
}

impl SessionInput {
    /// Reads the times as Paris wall-clock time (DST-correct, a skipped hour refused) and checks
    /// the cycle's order: presentation, then dossiers due, then decision.
    pub fn validate(&self) -> Result<SessionFields> {
        let mut issues = Vec::new();
        let title = match domain::text::required("title", &self.title, TITLE_CHARS) {
            Ok(title) => title,
            Err(error) => {
                issues.push(FieldError::new("title", error));
                String::new()
            }
        };
        let mut instant = |field: &str, input: &str| {
            if input.trim().is_empty() {
                issues.push(FieldError::new(field, "is required"));
                return None;
            }
            paris::parse_local(input)
                .map_err(|e| issues.push(FieldError::new(field, e)))
                .ok()
        };
        let presentation = instant("presentation_at", &self.presentation_at);
        let due = instant("dossiers_due_at", &self.dossiers_due_at);
        let decision = instant("decision_at", &self.decision_at);
        if let (Some(presentation), Some(due)) = (presentation, due)
            && due < presentation
        {
            issues.push(FieldError::new(
                "dossiers_due_at",
                "dossiers cannot be due before the presentation",
            ));
        }
        if let (Some(due), Some(decision)) = (due, decision)
            && decision < due
        {
            issues.push(FieldError::new(
                "decision_at",
                "the decision cannot come before dossiers are due",
            ));
        }
        match (presentation, due, decision) {
            (Some(p), Some(d), Some(k)) if issues.is_empty() => Ok(SessionFields {
                title,
                presentation_at: p.as_millisecond(),
                dossiers_due_at: d.as_millisecond(),
                decision_at: k.as_millisecond(),
            }),
            _ => Err(AppError::Invalid(issues)),
        }
    }
}

impl From<&SessionFields> for SessionInput {
    fn from(fields: &SessionFields) -> SessionInput {
        let local = |ms: i64| paris::input(super::instant(ms));
        SessionInput {
            title: fields.title.clone(),
            presentation_at: local(fields.presentation_at),
            dossiers_due_at: local(fields.dossiers_due_at),
            decision_at: local(fields.decision_at),
        }
    }
}

/// The staff of the cluster may change its sessions; its committee learns it may not; others
/// learn nothing.
fn manage(actor: &Actor, cluster_id: i64, what: &'static str) -> Result<()> {
    if authorize(actor, &Action::ManageCommitteeSessions { cluster_id }).is_ok() {
        return Ok(());
    }
    authorize(actor, &Action::ViewCommittee { cluster_id }).map_err(|d| AppError::hiding(d, what))?;
    Err(AppError::Forbidden)
}

async fn load_session(conn: &mut Conn, id: i64) -> Result<Session> {
    stored::get(conn, id)
        .await?
        .ok_or(AppError::NotFound("committee session"))
}

/// Checks the presenting organisations: each a current member of the cluster, none twice.
async fn check_presenters(conn: &mut Conn, cluster_id: i64, organisations: &[i64]) -> Result<()> {
    if organisations.len() > MAX_PRESENTERS {
        return Err(AppError::invalid(
            "organisations",
            format!(
                "{} presenters, at most {MAX_PRESENTERS} allowed",
                organisations.len()
            ),
        ));
    }
    let mut issues = Vec::new();
    for (i, organisation_id) in organisations.iter().enumerate() {
        let field = format!("organisations[{i}]");
        if organisations[..i].contains(organisation_id) {
            issues.push(FieldError::new(&field, "this organisation is already presenting"));
        } else if !clusters::of_organisation(conn, *organisation_id)
            .await?
            .contains(&cluster_id)
        {
            issues.push(FieldError::new(
                &field,
                format!("organisation {organisation_id} is not a member of the session's cluster"),
            ));
        }
    }
    if issues.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(issues))
    }
}

async fn presenters(conn: &mut Conn, session_id: i64) -> Result<Vec<Presenter>> {
    let mut named = Vec::new();
    for organisation_id in stored::presenters(conn, session_id).await? {
        let name = organisations::get(conn, organisation_id)
            .await?
            .map(|o| o.fields.legal_name)
            .unwrap_or_default();
        named.push(Presenter {
            organisation_id,
            name,
        });
    }
    Ok(named)
}

/// The session with its presenters and the attached calls `actor` may see.
async fn view(conn: &mut Conn, actor: &Actor, session: Session) -> Result<SessionView> {
    let mut calls = Vec::new();
    for call in stored_calls::of_session(conn, session.id).await? {
        let loaded = load_call(conn, call.id).await?;
        if authorize(actor, &Action::ViewCall(loaded.facts())).is_ok() {
            calls.push(loaded.call);
        }
    }
    Ok(SessionView {
        presenters: presenters(conn, session.id).await?,
        can_manage: authorize(
            actor,
            &Action::ManageCommitteeSessions {
                cluster_id: session.cluster_id,
            },
        )
        .is_ok(),
        session,
        calls,
    })
}

impl App {
    /// Schedules a committee session in a cluster (its staff).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn create_committee_session(
        &self,
        actor: &Actor,
        cluster_id: i64,
        input: &SessionInput,
    ) -> Result<Session> {
        let mut tx = self.store.begin().await?;
        manage(actor, cluster_id, "cluster")?;
        clusters::get(&mut tx, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        let fields = input.validate()?;
        let id = stored::insert(
            &mut tx,
            cluster_id,
            &fields,
            crate::actor::actor_id(actor),
            store::now_ms(),
        )
        .await?;
        let session = load_session(&mut tx, id).await?;
        Entry::by(actor, "create", "committee_session", id)
            .after(&session)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(session)
    }

    /// Reschedules or renames a session (its cluster's staff).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn update_committee_session(
        &self,
        actor: &Actor,
        session_id: i64,
        input: &SessionInput,
    ) -> Result<Session> {
        let mut tx = self.store.begin().await?;
        let before = load_session(&mut tx, session_id).await?;
        manage(actor, before.cluster_id, "committee session")?;
        let fields = input.validate()?;
        if !stored::update(&mut tx, session_id, &fields, store::now_ms()).await? {
            return Err(AppError::NotFound("committee session"));
        }
        let after = load_session(&mut tx, session_id).await?;
        Entry::by(actor, "update", "committee_session", session_id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }

    /// Names the buyers presenting, in speaking order; each must be a member of the cluster.
    #[tracing::instrument(skip(self, actor))]
    pub async fn set_session_presenters(
        &self,
        actor: &Actor,
        session_id: i64,
        organisations: &[i64],
    ) -> Result<SessionView> {
        let mut tx = self.store.begin().await?;
        let session = load_session(&mut tx, session_id).await?;
        manage(actor, session.cluster_id, "committee session")?;
        check_presenters(&mut tx, session.cluster_id, organisations).await?;
        let before = stored::presenters(&mut tx, session_id).await?;
        stored::set_presenters(&mut tx, session_id, organisations).await?;
        Entry::by(actor, "set_presenters", "committee_session", session_id)
            .before(&before)
            .after(&organisations)
            .write(&mut tx)
            .await?;
        let view = view(&mut tx, actor, session).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Attaches a call to a session of the same cluster, or detaches it (`None`); the staff of
    /// the call's cluster. Recorded in the call's own audit trail.
    #[tracing::instrument(skip(self, actor))]
    pub async fn attach_call_to_session(
        &self,
        actor: &Actor,
        call_id: i64,
        session_id: Option<i64>,
    ) -> Result<Call> {
        self.move_call(actor, call_id, None, session_id).await
    }

    /// Detaches a call from session `session_id`; a call that is not in it is not found there.
    #[tracing::instrument(skip(self, actor))]
    pub async fn detach_call_from_session(
        &self,
        actor: &Actor,
        session_id: i64,
        call_id: i64,
    ) -> Result<Call> {
        self.move_call(actor, call_id, Some(session_id), None).await
    }

    /// Moves a call to session `to` (None: out of any), provided it is in session `expected`
    /// when one is given; guarded against a concurrent move.
    async fn move_call(
        &self,
        actor: &Actor,
        call_id: i64,
        expected: Option<i64>,
        to: Option<i64>,
    ) -> Result<Call> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        let cluster_id = loaded.call.cluster_id;
        if authorize(actor, &Action::ManageCommitteeSessions { cluster_id }).is_err() {
            authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
            return Err(AppError::Forbidden);
        }
        let from = loaded.call.session_id;
        if expected.is_some() && expected != from {
            return Err(AppError::NotFound("call in this session"));
        }
        if let Some(id) = to
            && stored::get(&mut tx, id)
                .await?
                .is_none_or(|s| s.cluster_id != cluster_id)
        {
            return Err(AppError::invalid(
                "session_id",
                format!("no committee session {id} in the call's cluster"),
            ));
        }
        if !stored_calls::attach_to_session(&mut tx, call_id, from, to, store::now_ms()).await? {
            return Err(AppError::Conflict(
                "the call was moved to another session meanwhile; reload it".into(),
            ));
        }
        Entry::by(actor, "attach_to_session", "call", call_id)
            .before(&from)
            .after(&to)
            .write(&mut tx)
            .await?;
        let call = stored_calls::get(&mut tx, call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(call)
    }

    /// A cluster's sessions, latest presentation first, for its committee.
    pub async fn committee_sessions(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<SessionView>> {
        let mut conn = self.store.conn().await?;
        authorize(actor, &Action::ViewCommittee { cluster_id })
            .map_err(|d| AppError::hiding(d, "cluster"))?;
        clusters::get(&mut conn, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        let mut views = Vec::new();
        for session in stored::of_cluster(&mut conn, cluster_id).await? {
            views.push(view(&mut conn, actor, session).await?);
        }
        Ok(views)
    }

    /// One session, for its cluster's committee; "not found" for everyone else.
    pub async fn committee_session(&self, actor: &Actor, session_id: i64) -> Result<SessionView> {
        let mut conn = self.store.conn().await?;
        let session = load_session(&mut conn, session_id).await?;
        authorize(
            actor,
            &Action::ViewCommittee {
                cluster_id: session.cluster_id,
            },
        )
        .map_err(|d| AppError::hiding(d, "committee session"))?;
        view(&mut conn, actor, session).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(presentation: &str, due: &str, decision: &str) -> SessionInput {
        SessionInput {
            title: "Comité achats hiver".into(),
            presentation_at: presentation.into(),
            dossiers_due_at: due.into(),
            decision_at: decision.into(),
        }
    }

    fn fields_of(error: AppError) -> Vec<String> {
        match error {
            AppError::Invalid(issues) => issues.into_iter().map(|i| i.field).collect(),
            other => panic!("invalid expected, got {other:?}"),
        }
    }

    #[test]
    fn times_are_paris_wall_clock_on_both_sides_of_a_dst_change() {
        // 14 December is winter time (UTC+1); 30 March, after the change, is summer time (UTC+2).
        let fields = input("2026-12-14T14:00", "2027-01-09T12:00", "2027-03-30T10:00")
            .validate()
            .unwrap();
        assert_eq!(
            fields.presentation_at,
            "2026-12-14T13:00:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        assert_eq!(
            fields.decision_at,
            "2027-03-30T08:00:00Z"
                .parse::<jiff::Timestamp>()
                .unwrap()
                .as_millisecond()
        );
        assert_eq!(SessionInput::from(&fields).decision_at, "2027-03-30T10:00");
    }

    #[test]
    fn the_cycle_runs_presentation_then_dossiers_then_decision() {
        assert!(
            input("2026-12-14T14:00", "2026-12-14T14:00", "2026-12-14T14:00")
                .validate()
                .is_ok()
        );
        let error = input("2027-01-10T14:00", "2027-01-09T12:00", "2027-01-08T10:00")
            .validate()
            .unwrap_err();
        assert_eq!(fields_of(error), ["dossiers_due_at", "decision_at"]);
    }

    #[test]
    fn missing_malformed_and_skipped_times_are_named() {
        let error = SessionInput {
            title: " ".into(),
            ..input("", "le 9 janvier", "2027-03-28T02:30")
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields_of(error),
            ["title", "presentation_at", "dossiers_due_at", "decision_at"]
        );
    }
}
