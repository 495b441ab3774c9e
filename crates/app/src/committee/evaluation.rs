//! Evaluation of a closed call: the buyer side names evaluators among the buying organisation's
//! people; each evaluator declares, per dossier, a conflict of interest or none, and marks every
//! criterion with a comment once the dossiers are unsealed; the buyer side reads the weighted
//! totals and the consolidated ranking (conflicted sheets excluded), keeps a shortlist, and records
//! a decision per dossier, revisable until published. Publication makes decisions final (a
//! correction is a new decision linked to the one it corrects) and tells each candidate by e-mail;
//! a candidate reads its own decision and feedback only once published.

use domain::committee::call::Criterion;
use domain::committee::scoring::{self, DossierSheets, Points, Sheet};
use domain::committee::{CallState, paris};
use domain::policy::{Action, Actor, authorize};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use store::committee::calls as calls_store;
use store::committee::dossiers::{self, Dossier};
use store::committee::evaluation::{self as stored, Decision, Mark};
use store::{Conn, StoreError, people};

use super::calls::record_state_change;
use super::{LoadedCall, load_call, organisation_name, text_issue};
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};

const COMMENT_CHARS: usize = 4_000;
const FEEDBACK_CHARS: usize = 4_000;
/// Evaluators per call.
const MAX_EVALUATORS: usize = 50;

/// One mark as an evaluator sends it: the criterion's position in the call (from 1).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct MarkInput {
    pub criterion: i64,
    pub mark: i64,
    #[serde(default)]
    pub comment: String,
}

/// listed or not_retained, with what the candidate is told; `corrects` names the published
/// decision a correction replaces.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DecisionInput {
    pub outcome: String,
    #[serde(default)]
    pub feedback: String,
    #[serde(default)]
    pub corrects: Option<i64>,
}

/// A dossier's place in the consolidated ranking, as the buyer side reads it.
#[derive(Debug, Clone, Serialize)]
pub struct RankedDossier {
    pub dossier_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub rank: Option<usize>,
    /// Mean of the counted evaluators' weighted totals, out of 100.
    pub total: Option<Points>,
    pub by_evaluator: Vec<(i64, Points)>,
    pub excluded_for_conflict: usize,
    pub incomplete: usize,
    pub tied_with_previous: bool,
    pub shortlisted: bool,
    /// The latest decision, published or not.
    pub decision: Option<Decision>,
}

/// A candidate's own published decision.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedDecision {
    pub call_id: i64,
    pub decision: Decision,
}

pub const OUTCOMES: [&str; 2] = ["listed", "not_retained"];

fn conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict(message.into())
}

fn manage(actor: &Actor, loaded: &LoadedCall) -> Result<()> {
    let action = Action::ManageCall {
        cluster_id: loaded.call.cluster_id,
        buyer_id: loaded.call.buyer_id,
    };
    authorize(actor, &action).map_err(|d| AppError::hiding(d, "call"))
}

fn sealed_until(loaded: &LoadedCall) -> AppError {
    conflict(format!(
        "the dossiers are sealed until the call closes ({})",
        paris::display(loaded.closes())
    ))
}

/// The buyer side's work on the dossiers starts once they are unsealed.
fn unsealed(loaded: &LoadedCall, now: Timestamp) -> Result<()> {
    if loaded.sealed(now) {
        return Err(sealed_until(loaded));
    }
    Ok(())
}

/// A call past its closing instant but still marked published becomes closed: marks are saved
/// on closed calls only.
async fn close_if_due(conn: &mut Conn, loaded: &mut LoadedCall, now: Timestamp) -> Result<()> {
    if loaded.state == CallState::Published && now >= loaded.closes() {
        let at = now.as_millisecond();
        if calls_store::change_state(conn, loaded.call.id, "published", "closed", at).await? {
            record_state_change(
                conn,
                None,
                loaded.call.id,
                CallState::Published,
                CallState::Closed,
            )
            .await?;
        }
        loaded.state = CallState::Closed;
    }
    Ok(())
}

/// A submitted dossier of this call, or nothing to find.
async fn submitted_dossier(conn: &mut Conn, call_id: i64, dossier_id: i64) -> Result<Dossier> {
    dossiers::get(conn, dossier_id)
        .await?
        .filter(|d| d.call_id == call_id && d.state == "submitted")
        .ok_or(AppError::NotFound("dossier"))
}

async fn evaluate(conn: &mut Conn, actor: &Actor, loaded: &LoadedCall, now: Timestamp) -> Result<i64> {
    let Actor::Person(principal) = actor else {
        return Err(AppError::Unauthenticated);
    };
    let named = stored::evaluators(conn, loaded.call.id)
        .await?
        .contains(&principal.person_id);
    let sealed = loaded.sealed(now);
    if named && sealed {
        return Err(sealed_until(loaded));
    }
    authorize(
        actor,
        &Action::EvaluateCall {
            call: loaded.facts(),
            named,
            sealed,
        },
    )
    .map_err(|d| AppError::hiding(d, "call"))?;
    Ok(principal.person_id)
}

fn criteria(parts: &calls_store::CallParts) -> Vec<Criterion> {
    parts
        .criteria
        .iter()
        .map(|k| Criterion {
            name: k.name.clone(),
            description: k.description.clone(),
            weight: u32::try_from(k.weight).unwrap_or(0),
            scale_max: u32::try_from(k.scale_max).unwrap_or(0),
        })
        .collect()
}

impl App {
    /// Names the call's evaluators, replacing the previous list: people of the buying
    /// organisation. Returns their ids in the order named.
    #[tracing::instrument(skip(self, actor, person_ids))]
    pub async fn name_evaluators(&self, actor: &Actor, call_id: i64, person_ids: &[i64]) -> Result<Vec<i64>> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        if person_ids.len() > MAX_EVALUATORS {
            return Err(AppError::invalid(
                "person_ids",
                format!("at most {MAX_EVALUATORS} evaluators"),
            ));
        }
        let mut issues = Vec::new();
        for (i, id) in person_ids.iter().enumerate() {
            let belongs = people::get(&mut tx, *id)
                .await?
                .is_some_and(|p| p.organisation_id == loaded.call.buyer_id);
            if !belongs {
                issues.push(FieldError::new(
                    &format!("person_ids[{i}]"),
                    "is not a person of the buying organisation",
                ));
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let before = stored::evaluators(&mut tx, call_id).await?;
        let now = store::now_ms();
        for id in before.iter().filter(|id| !person_ids.contains(id)) {
            stored::remove_evaluator(&mut tx, call_id, *id).await?;
        }
        for id in person_ids {
            stored::name_evaluator(&mut tx, call_id, *id, crate::actor::actor_id(actor), now).await?;
        }
        let after = stored::evaluators(&mut tx, call_id).await?;
        Entry::by(actor, "name_evaluators", "call", call_id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let mut newly_named = Vec::new();
        for id in after.iter().filter(|id| !before.contains(id)) {
            if let Some(person) = people::get(&mut tx, *id).await? {
                newly_named.push(person.email);
            }
        }
        tx.commit().await.map_err(StoreError::from)?;
        // Evaluators are not registry participants: without this letter they would not know.
        let title = &loaded.call.title;
        let body = format!(
            "Vous êtes nommé(e) évaluateur de l'appel « {title} ». Les dossiers s'ouvrent à la \
             clôture ; vos appels à évaluer sont sur {calls}.\n\n\
             You have been named an evaluator of the call “{title}”. The dossiers open when it \
             closes; your calls to evaluate are at {calls}.\n",
            calls = self.calls_url(),
        );
        let subject = format!("Appel « {title} » : évaluation / Evaluation");
        self.mail_all(&newly_named, &subject, &body).await;
        Ok(after)
    }

    /// An evaluator declares a conflict of interest with a dossier (its sheet will not count), or
    /// none. A declared conflict cannot be taken back.
    #[tracing::instrument(skip(self, actor, note))]
    pub async fn declare_conflict(
        &self,
        actor: &Actor,
        call_id: i64,
        dossier_id: i64,
        has_conflict: bool,
        note: &str,
    ) -> Result<bool> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        let now = Timestamp::now();
        let person_id = evaluate(&mut tx, actor, &loaded, now).await?;
        submitted_dossier(&mut tx, call_id, dossier_id).await?;
        let note = domain::text::multiline("note", note, COMMENT_CHARS)
            .map_err(|e| text_issue("note", e))?
            .unwrap_or_default();
        let declared = stored::conflicts(&mut tx, call_id)
            .await?
            .into_iter()
            .any(|c| c.dossier_id == dossier_id && c.person_id == person_id);
        if declared && !has_conflict {
            return Err(conflict("a declared conflict of interest cannot be taken back"));
        }
        if has_conflict {
            stored::declare_conflict(&mut tx, dossier_id, person_id, &note, now.as_millisecond()).await?;
        }
        Entry::by(
            actor,
            if has_conflict {
                "declare_conflict"
            } else {
                "declare_no_conflict"
            },
            "dossier",
            dossier_id,
        )
        .after(&(person_id, has_conflict, &note))
        .write(&mut tx)
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(has_conflict)
    }

    /// An evaluator marks criteria of a dossier, each with a comment; every mark is checked
    /// against its criterion's scale (422 naming the criterion), and all are saved or none.
    #[tracing::instrument(skip(self, actor, marks))]
    pub async fn save_marks(
        &self,
        actor: &Actor,
        call_id: i64,
        dossier_id: i64,
        marks: &[MarkInput],
    ) -> Result<Vec<Mark>> {
        let mut tx = self.store.begin().await?;
        let mut loaded = load_call(&mut tx, call_id).await?;
        let now = Timestamp::now();
        let person_id = evaluate(&mut tx, actor, &loaded, now).await?;
        submitted_dossier(&mut tx, call_id, dossier_id).await?;
        let criteria = criteria(&calls_store::parts(&mut tx, call_id).await?);
        let mut issues = Vec::new();
        let mut checked = Vec::new();
        if marks.is_empty() {
            issues.push(FieldError::new("marks", "give at least one mark"));
        }
        for (i, input) in marks.iter().enumerate() {
            let criterion = usize::try_from(input.criterion)
                .ok()
                .and_then(|p| p.checked_sub(1))
                .and_then(|p| criteria.get(p));
            let Some(criterion) = criterion else {
                issues.push(FieldError::new(
                    &format!("marks[{i}].criterion"),
                    format!("the call has no criterion {}", input.criterion),
                ));
                continue;
            };
            if let Err(e) = scoring::check_mark(criterion, input.mark) {
                issues.push(FieldError::new(&format!("marks[{i}].mark"), e));
            }
            match domain::text::multiline("comment", &input.comment, COMMENT_CHARS) {
                // Every mark carries its reason: the candidate's feedback is drawn from them.
                Ok(Some(comment)) => checked.push((input.criterion, input.mark, comment)),
                Ok(None) => issues.push(FieldError::new(
                    &format!("marks[{i}].comment"),
                    "explain the mark in a comment",
                )),
                Err(e) => issues.push(FieldError::new(&format!("marks[{i}].comment"), e)),
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let declared = stored::conflicts(&mut tx, call_id)
            .await?
            .into_iter()
            .any(|c| c.dossier_id == dossier_id && c.person_id == person_id);
        if declared {
            return Err(conflict(
                "you declared a conflict of interest with this candidate: you do not mark it",
            ));
        }
        close_if_due(&mut tx, &mut loaded, now).await?;
        for (criterion, mark, comment) in &checked {
            let saved = stored::save_mark(
                &mut tx,
                dossier_id,
                person_id,
                *criterion,
                *mark,
                comment,
                now.as_millisecond(),
            )
            .await?;
            if !saved {
                return Err(conflict("the call or the dossier changed meanwhile; reload it"));
            }
        }
        let mine: Vec<Mark> = stored::marks(&mut tx, call_id)
            .await?
            .into_iter()
            .filter(|m| m.dossier_id == dossier_id && m.person_id == person_id)
            .collect();
        Entry::by(actor, "mark", "dossier", dossier_id)
            .after(&mine)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(mine)
    }

    /// The consolidated ranking of a closed call's dossiers for its buyer side: each counted
    /// evaluator's weighted total and their mean, conflicted sheets excluded.
    pub async fn ranking(&self, actor: &Actor, call_id: i64) -> Result<Vec<RankedDossier>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        manage(actor, &loaded)?;
        let now = Timestamp::now();
        unsealed(&loaded, now)?;
        let criteria = criteria(&calls_store::parts(&mut conn, call_id).await?);
        let evaluators = stored::evaluators(&mut conn, call_id).await?;
        let conflicts = stored::conflicts(&mut conn, call_id).await?;
        let marks = stored::marks(&mut conn, call_id).await?;
        let submissions = dossiers::unsealed_submissions(&mut conn, call_id, now.as_millisecond()).await?;
        let sheets: Vec<DossierSheets> = submissions
            .iter()
            .map(|s| {
                let dossier = s.version.dossier_id;
                DossierSheets {
                    dossier,
                    sheets: evaluators
                        .iter()
                        .map(|&evaluator| Sheet {
                            evaluator,
                            conflict: conflicts
                                .iter()
                                .any(|c| c.dossier_id == dossier && c.person_id == evaluator),
                            marks: (1..=criteria.len() as i64)
                                .map(|position| {
                                    marks
                                        .iter()
                                        .find(|m| {
                                            m.dossier_id == dossier
                                                && m.person_id == evaluator
                                                && m.criterion_position == position
                                        })
                                        .and_then(|m| u32::try_from(m.mark).ok())
                                })
                                .collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        let ranked = scoring::rank(&criteria, &sheets)
            .map_err(|e| AppError::Internal(format!("call {call_id}: {e}")))?;
        let mut out = Vec::with_capacity(ranked.len());
        for r in ranked {
            let organisation_id = submissions
                .iter()
                .find(|s| s.version.dossier_id == r.dossier)
                .map(|s| s.organisation_id)
                .unwrap_or_default();
            let organisation_name = organisation_name(&mut conn, organisation_id).await?;
            let dossier = dossiers::get(&mut conn, r.dossier).await?;
            let decision = stored::decisions(&mut conn, r.dossier).await?.pop();
            out.push(RankedDossier {
                dossier_id: r.dossier,
                organisation_id,
                organisation_name,
                rank: r.rank,
                total: r.total,
                by_evaluator: r.by_evaluator,
                excluded_for_conflict: r.excluded_for_conflict,
                incomplete: r.incomplete,
                tied_with_previous: r.tied_with_previous,
                shortlisted: dossier.is_some_and(|d| d.shortlisted_at.is_some()),
                decision,
            });
        }
        Ok(out)
    }

    /// Sets the call's shortlist to exactly these submitted dossiers.
    #[tracing::instrument(skip(self, actor, dossier_ids))]
    pub async fn shortlist_dossiers(
        &self,
        actor: &Actor,
        call_id: i64,
        dossier_ids: &[i64],
    ) -> Result<Vec<i64>> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let now = Timestamp::now();
        unsealed(&loaded, now)?;
        let submitted: Vec<i64> = dossiers::unsealed_submissions(&mut tx, call_id, now.as_millisecond())
            .await?
            .into_iter()
            .map(|s| s.version.dossier_id)
            .collect();
        let issues: Vec<FieldError> = dossier_ids
            .iter()
            .enumerate()
            .filter(|(_, id)| !submitted.contains(id))
            .map(|(i, _)| {
                FieldError::new(
                    &format!("dossier_ids[{i}]"),
                    "is not a submitted dossier of this call",
                )
            })
            .collect();
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let mut listed = Vec::new();
        for id in &submitted {
            let on = dossier_ids.contains(id);
            stored::set_shortlisted(&mut tx, *id, on, now.as_millisecond()).await?;
            if on {
                listed.push(*id);
            }
        }
        Entry::by(actor, "shortlist", "call", call_id)
            .after(&listed)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(listed)
    }

    /// Records or revises the decision on a dossier. An unpublished decision is revised in place;
    /// a published one is final (409) unless the input names it in `corrects`, which records a
    /// new decision linked to it.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn decide(
        &self,
        actor: &Actor,
        call_id: i64,
        dossier_id: i64,
        input: &DecisionInput,
    ) -> Result<Decision> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        unsealed(&loaded, Timestamp::now())?;
        submitted_dossier(&mut tx, call_id, dossier_id).await?;
        let mut issues = Vec::new();
        if !OUTCOMES.contains(&input.outcome.as_str()) {
            issues.push(FieldError::new("outcome", "is listed or not_retained"));
        }
        let feedback = match domain::text::multiline("feedback", &input.feedback, FEEDBACK_CHARS) {
            Ok(f) => f.unwrap_or_default(),
            Err(e) => {
                issues.push(FieldError::new("feedback", e));
                String::new()
            }
        };
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let history = stored::decisions(&mut tx, dossier_id).await?;
        let latest = history.last();
        let id = match (latest, input.corrects) {
            (Some(d), None) if d.published_at.is_none() => {
                if !stored::revise_decision(&mut tx, d.id, &input.outcome, &feedback).await? {
                    return Err(conflict(
                        "the decision was published meanwhile; send a correction",
                    ));
                }
                d.id
            }
            (Some(d), None) => {
                return Err(conflict(format!(
                    "decision {} is published and final; send a correction naming it in `corrects`",
                    d.id
                )));
            }
            (None, None) => {
                stored::record_decision(
                    &mut tx,
                    dossier_id,
                    &input.outcome,
                    &feedback,
                    None,
                    crate::actor::actor_id(actor),
                    store::now_ms(),
                )
                .await?
            }
            (Some(d), Some(corrects)) if d.id == corrects && d.published_at.is_some() => {
                stored::record_decision(
                    &mut tx,
                    dossier_id,
                    &input.outcome,
                    &feedback,
                    Some(corrects),
                    crate::actor::actor_id(actor),
                    store::now_ms(),
                )
                .await?
            }
            (_, Some(_)) => {
                return Err(AppError::invalid(
                    "corrects",
                    "a correction names the dossier's published decision in force",
                ));
            }
        };
        let decision = stored::decisions(&mut tx, dossier_id)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(AppError::NotFound("decision"))?;
        Entry::by(actor, "decide", "dossier_decision", id)
            .before(&latest)
            .after(&decision)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(decision)
    }

    /// Publishes every pending decision of the call; they become final, and the people of each
    /// candidate concerned receive theirs by e-mail. Returns how many were published.
    #[tracing::instrument(skip(self, actor))]
    pub async fn publish_decisions(&self, actor: &Actor, call_id: i64) -> Result<u64> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let now = Timestamp::now();
        unsealed(&loaded, now)?;
        let mut pending = Vec::new();
        for submission in dossiers::unsealed_submissions(&mut tx, call_id, now.as_millisecond()).await? {
            let decisions = stored::decisions(&mut tx, submission.version.dossier_id).await?;
            if let Some(d) = decisions.into_iter().rev().find(|d| d.published_at.is_none()) {
                pending.push((submission.organisation_id, d));
            }
        }
        if pending.is_empty() {
            return Err(conflict("no decision is waiting to be published"));
        }
        let count = stored::publish_decisions(&mut tx, call_id, now.as_millisecond()).await?;
        // Its decisions out, the call is decided; it may still read "published" past its closing
        // when nobody marked it. Later corrections find it decided already: both steps are no-ops.
        let at = now.as_millisecond();
        let by = crate::actor::actor_id(actor);
        if calls_store::change_state(&mut tx, call_id, "published", "closed", at).await? {
            record_state_change(&mut tx, None, call_id, CallState::Published, CallState::Closed).await?;
        }
        if calls_store::change_state(&mut tx, call_id, "closed", "decided", at).await? {
            record_state_change(&mut tx, by, call_id, CallState::Closed, CallState::Decided).await?;
        }
        // "listed" puts the winner on the buyer's supplier list; a correction to "not_retained"
        // takes it off again (see `listings::follow_decision`).
        for (organisation_id, decision) in &pending {
            super::listings::follow_decision(
                &mut tx,
                loaded.call.buyer_id,
                *organisation_id,
                call_id,
                decision,
                by,
                at,
            )
            .await?;
        }
        Entry::by(actor, "publish_decisions", "call", call_id)
            .after(&pending.iter().map(|(_, d)| d.id).collect::<Vec<_>>())
            .write(&mut tx)
            .await?;
        let mut letters = Vec::new();
        for (organisation_id, decision) in &pending {
            let addresses = super::addresses_of(&mut tx, &[*organisation_id]).await?;
            letters.push((addresses, decision.clone()));
        }
        tx.commit().await.map_err(StoreError::from)?;
        let title = &loaded.call.title;
        for (addresses, decision) in letters {
            let (fr, en) = match decision.outcome.as_str() {
                "listed" => ("retenu", "listed"),
                _ => ("non retenu", "not retained"),
            };
            let subject = format!("Appel « {title} » : décision / Decision");
            let body = format!(
                "Décision sur votre dossier pour l'appel « {title} » : {fr}.\n{feedback}\n\n\
                 Decision on your dossier for the call “{title}”: {en}.\n{url}/dossier/decision\n",
                feedback = decision.feedback,
                url = self.call_url(call_id),
            );
            self.mail_all(&addresses, &subject, &body).await;
        }
        Ok(count)
    }

    /// The caller's organisation's decision for a call, once published: the one in force (the
    /// last published). Before publication there is nothing to find.
    pub async fn my_decision(&self, actor: &Actor, call_id: i64) -> Result<PublishedDecision> {
        let decision = self
            .my_decisions(actor, call_id)
            .await?
            .decisions
            .pop()
            .ok_or(AppError::NotFound("decision"))?;
        Ok(PublishedDecision { call_id, decision })
    }
}

// ---- what the evaluation pages read -------------------------------------------------------------

/// A person of the buying organisation, as the buyer side picks evaluators.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluatorChoice {
    pub person_id: i64,
    pub name: String,
    pub email: String,
    pub named: bool,
}

/// A ranked dossier with every decision taken on it, oldest first (corrections included).
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
    pub ranked: RankedDossier,
    pub history: Vec<Decision>,
}

/// The buyer side's evaluation of a call: who may be named, and once the dossiers are unsealed
/// the consolidated ranking with each dossier's decisions.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationBoard {
    pub call_id: i64,
    pub title: String,
    pub closes_at: i64,
    pub sealed: bool,
    pub criteria: Vec<Criterion>,
    pub people: Vec<EvaluatorChoice>,
    /// Empty while sealed.
    pub ranking: Vec<BoardRow>,
}

/// A submitted dossier as its evaluator reads it, with the evaluator's own sheet.
#[derive(Debug, Clone, Serialize)]
pub struct DossierToMark {
    pub dossier_id: i64,
    pub organisation_name: String,
    pub version: dossiers::DossierVersion,
    pub attachments: Vec<dossiers::Attachment>,
    /// The evaluator's declared conflict of interest with it, if any.
    pub conflict: Option<stored::Conflict>,
    /// The evaluator's own marks, by criterion position.
    pub marks: Vec<Mark>,
}

/// What a named evaluator has to mark on a closed call.
#[derive(Debug, Clone, Serialize)]
pub struct MarkingDesk {
    pub call_id: i64,
    pub title: String,
    pub state: String,
    pub criteria: Vec<Criterion>,
    pub dossiers: Vec<DossierToMark>,
}

/// A candidate's published decisions on its dossier for a call, oldest first: the last is in
/// force, the earlier ones were corrected. Empty before publication.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateDecisions {
    pub call_id: i64,
    pub title: String,
    pub decisions: Vec<Decision>,
}

impl App {
    /// The buyer side's evaluation board: people of the buying organisation (named or not) and,
    /// once unsealed, the ranking (as [`App::ranking`] gives it) with each dossier's decisions.
    pub async fn evaluation_board(&self, actor: &Actor, call_id: i64) -> Result<EvaluationBoard> {
        let mut board = {
            let mut conn = self.store.conn().await?;
            let loaded = load_call(&mut conn, call_id).await?;
            manage(actor, &loaded)?;
            let named = stored::evaluators(&mut conn, call_id).await?;
            let people = people::of_organisation(&mut conn, loaded.call.buyer_id)
                .await?
                .into_iter()
                .map(|p| EvaluatorChoice {
                    named: named.contains(&p.id),
                    person_id: p.id,
                    name: p.full_name(),
                    email: p.email,
                })
                .collect();
            EvaluationBoard {
                call_id,
                title: loaded.call.title.clone(),
                closes_at: loaded.call.closes_at,
                sealed: loaded.sealed(Timestamp::now()),
                criteria: criteria(&calls_store::parts(&mut conn, call_id).await?),
                people,
                ranking: Vec::new(),
            }
        };
        if board.sealed {
            return Ok(board);
        }
        let ranked = self.ranking(actor, call_id).await?;
        let mut conn = self.store.conn().await?;
        for r in ranked {
            let history = stored::decisions(&mut conn, r.dossier_id).await?;
            board.ranking.push(BoardRow { ranked: r, history });
        }
        Ok(board)
    }

    /// The published calls the actor is named evaluator of, sealed or not: evaluators are not
    /// registry participants, so this is how they find their marking desks.
    pub async fn calls_to_evaluate(&self, actor: &Actor) -> Result<Vec<store::committee::calls::Call>> {
        let Actor::Person(principal) = actor else {
            return Ok(Vec::new());
        };
        let mut conn = self.store.conn().await?;
        let mut calls = Vec::new();
        for call_id in stored::calls_of_evaluator(&mut conn, principal.person_id).await? {
            let loaded = load_call(&mut conn, call_id).await?;
            let may = Action::EvaluateCall {
                call: loaded.facts(),
                named: true,
                sealed: false,
            };
            if authorize(actor, &may).is_ok() {
                calls.push(loaded.call);
            }
        }
        Ok(calls)
    }

    /// A named evaluator's desk: the call's submitted dossiers (read-only, with their files) and
    /// the evaluator's own conflicts and marks. Refused like marking is: sealed before closing,
    /// nothing to find for anyone not named.
    pub async fn marking_desk(&self, actor: &Actor, call_id: i64) -> Result<MarkingDesk> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        let now = Timestamp::now();
        let person_id = evaluate(&mut conn, actor, &loaded, now).await?;
        let conflicts = stored::conflicts(&mut conn, call_id).await?;
        let marks = stored::marks(&mut conn, call_id).await?;
        let mut desk = MarkingDesk {
            call_id,
            title: loaded.call.title.clone(),
            state: loaded.call.state.clone(),
            criteria: criteria(&calls_store::parts(&mut conn, call_id).await?),
            dossiers: Vec::new(),
        };
        for submission in dossiers::unsealed_submissions(&mut conn, call_id, now.as_millisecond()).await? {
            let dossier_id = submission.version.dossier_id;
            let organisation_name = organisation_name(&mut conn, submission.organisation_id).await?;
            let attachments =
                dossiers::attachments(&mut conn, dossier_id, submission.version.version).await?;
            desk.dossiers.push(DossierToMark {
                dossier_id,
                organisation_name,
                version: submission.version,
                attachments,
                conflict: conflicts
                    .iter()
                    .find(|c| c.dossier_id == dossier_id && c.person_id == person_id)
                    .cloned(),
                marks: marks
                    .iter()
                    .filter(|m| m.dossier_id == dossier_id && m.person_id == person_id)
                    .cloned()
                    .collect(),
            });
        }
        Ok(desk)
    }

    /// The caller's organisation's published decisions for a call, corrections included; empty
    /// before publication. Only a candidate (an organisation with a dossier) finds anything.
    pub async fn my_decisions(&self, actor: &Actor, call_id: i64) -> Result<CandidateDecisions> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
        authorize(
            actor,
            &Action::ReadDossier {
                call: loaded.facts(),
                organisation_id: principal.organisation_id,
                sealed: true,
            },
        )
        .map_err(|d| AppError::hiding(d, "decision"))?;
        let dossier = dossiers::find(&mut conn, call_id, principal.organisation_id)
            .await?
            .ok_or(AppError::NotFound("decision"))?;
        let decisions = stored::decisions(&mut conn, dossier.id)
            .await?
            .into_iter()
            .filter(|d| d.published_at.is_some())
            .collect();
        Ok(CandidateDecisions {
            call_id,
            title: loaded.call.title.clone(),
            decisions,
        })
    }
}
