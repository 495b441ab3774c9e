//! Candidates' dossiers: a draft saved at any time while the call is published, attachments
//! checked by size and by their real type and stored once per content, submission before the
//! closing instant (refused after it with the instant in Paris time, the draft kept), withdrawal,
//! history; and the buyer side's read of the submissions once the call has closed.

use domain::committee::{self, CallState};
use domain::policy::{Action, Actor, Principal, authorize};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use store::committee::calls as stored;
use store::committee::dossiers::{self, Attachment, Dossier, DossierVersion};
use store::committee::evaluation as evaluation_store;
use store::{Conn, StoreError};

use super::files::{self, FileDownload, Upload};
use super::{LoadedCall, load_call, organisation_name, text_issue};
use crate::audit::Entry;
use crate::{App, AppError, Result};

/// Attachments per draft.
pub const MAX_ATTACHMENTS: usize = 20;
const ANSWER_CHARS: usize = 50_000;

/// What a candidate edits: its answer and the lots it answers (positions in the call, from 1).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DossierInput {
    pub answer: String,
    pub lots: Vec<i64>,
}

/// The caller's organisation's dossier for a call: its draft, the draft's files, every version
/// it submitted.
#[derive(Debug, Clone, Serialize)]
pub struct DossierView {
    pub call_id: i64,
    /// None until the first save.
    pub dossier: Option<Dossier>,
    pub attachments: Vec<Attachment>,
    pub versions: Vec<DossierVersion>,
    /// The files of every submitted version (each names its version), newest version first.
    pub submitted_files: Vec<Attachment>,
    /// The closing instant in Paris time, as the candidate reads it.
    pub closes_at_paris: String,
}

/// A submitted dossier as the buyer side reads it once the call has closed.
#[derive(Debug, Clone, Serialize)]
pub struct SubmissionView {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub version: DossierVersion,
    pub attachments: Vec<Attachment>,
    /// A joint offer (partner pools): the consortium's other members, by name; empty otherwise.
    pub co_contractors: Vec<String>,
}

fn candidate(actor: &Actor) -> Result<&Principal> {
    match actor {
        Actor::Person(principal) => Ok(principal),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

/// Whether the candidate's organisation meets the call's eligibility rules: size and region from
/// the registry, certifications from its profile (expired ones left out).
async fn eligible(conn: &mut Conn, call: &stored::Call, organisation_id: i64) -> Result<bool> {
    Ok(super::for_you::ineligibility(conn, call, organisation_id)
        .await?
        .is_empty())
}

/// Refuses unless the actor may write a dossier for the call: "not found" for those who may not
/// even see it, "forbidden" with the reason for the others.
async fn may_submit_to(conn: &mut Conn, actor: &Actor, loaded: &LoadedCall) -> Result<i64> {
    let principal = candidate(actor)?;
    authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
    let eligible = eligible(conn, &loaded.call, principal.organisation_id).await?;
    authorize(
        actor,
        &Action::SubmitDossier {
            call: loaded.facts(),
            eligible,
        },
    )
    .map_err(|_| {
        if eligible {
            AppError::Forbidden
        } else {
            AppError::Conflict(
                "your organisation does not meet this call's eligibility rules (size, certifications or region)"
                    .into(),
            )
        }
    })?;
    Ok(principal.organisation_id)
}

fn still_open(loaded: &LoadedCall, now: Timestamp) -> Result<()> {
    if loaded.state != CallState::Published || now >= loaded.closes() {
        return Err(refusal(loaded, now));
    }
    Ok(())
}

/// Why the call refuses a dossier change at `now`, in Paris time.
fn refusal(loaded: &LoadedCall, now: Timestamp) -> AppError {
    let message = match committee::may_submit(now, loaded.opens(), loaded.closes(), loaded.state) {
        Err(reason) => reason.to_string(),
        Ok(()) => "the call no longer accepts this change; your draft is kept".to_owned(),
    };
    AppError::Conflict(message)
}

/// A file just added to a draft, with the dossier holding it.
#[derive(Debug, Clone)]
pub struct DraftAttachment {
    pub dossier_id: i64,
    pub attachment: Attachment,
}

impl App {
    /// The caller's organisation's dossier for a call, with its files and history.
    pub async fn my_dossier(&self, actor: &Actor, call_id: i64) -> Result<DossierView> {
        let principal = candidate(actor)?;
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
        if principal.organisation_id == loaded.call.buyer_id {
            // The buyer answers no call of its own: it has no dossier to show.
            return Err(AppError::NotFound("dossier"));
        }
        authorize(
            actor,
            &Action::ReadDossier {
                call: loaded.facts(),
                organisation_id: principal.organisation_id,
                sealed: loaded.sealed(Timestamp::now()),
            },
        )
        .map_err(|d| AppError::hiding(d, "dossier"))?;
        view(&mut conn, &loaded, principal.organisation_id).await
    }

    /// Saves the draft (created on first save); submitted versions are untouched.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn save_dossier(
        &self,
        actor: &Actor,
        call_id: i64,
        input: &DossierInput,
    ) -> Result<DossierView> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        let organisation_id = may_submit_to(&mut tx, actor, &loaded).await?;
        let answer = domain::text::multiline("answer", &input.answer, ANSWER_CHARS)
            .map_err(|e| text_issue("answer", e))?
            .unwrap_or_default();
        let lot_count = stored::parts(&mut tx, call_id).await?.lots.len() as i64;
        let mut lots = input.lots.clone();
        lots.sort_unstable();
        lots.dedup();
        if let Some(bad) = lots.iter().find(|l| !(1..=lot_count).contains(*l)) {
            return Err(AppError::invalid(
                "lots",
                format!("lot {bad} does not exist; this call has {lot_count} lot(s), numbered from 1"),
            ));
        }
        still_open(&loaded, Timestamp::now())?;
        let before = dossiers::find(&mut tx, call_id, organisation_id).await?;
        let id = dossiers::save_draft(
            &mut tx,
            call_id,
            organisation_id,
            &answer,
            &lots,
            crate::actor::actor_id(actor),
            store::now_ms(),
        )
        .await?;
        let after = dossiers::get(&mut tx, id).await?;
        Entry::by(actor, "save_draft", "dossier", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = view(&mut tx, &loaded, organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Adds a file to the draft after checking its size and real type; its name is sanitised.
    /// Returns the file with the dossier holding it (created by the first file if need be).
    #[tracing::instrument(skip(self, actor, upload))]
    pub async fn attach_to_dossier(
        &self,
        actor: &Actor,
        call_id: i64,
        upload: Upload,
    ) -> Result<DraftAttachment> {
        let attached = files::accept(&upload)?;
        let file_name = attached.file_name.clone();
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        let organisation_id = may_submit_to(&mut tx, actor, &loaded).await?;
        still_open(&loaded, Timestamp::now())?;
        let now = store::now_ms();
        let dossier_id = match dossiers::find(&mut tx, call_id, organisation_id).await? {
            Some(dossier) => dossier.id,
            None => {
                dossiers::save_draft(
                    &mut tx,
                    call_id,
                    organisation_id,
                    "",
                    &[],
                    crate::actor::actor_id(actor),
                    now,
                )
                .await?
            }
        };
        let present = dossiers::attachments(&mut tx, dossier_id, dossiers::DRAFT).await?;
        if present.iter().any(|a| a.file.file_name == file_name) {
            return Err(AppError::Conflict(format!(
                "the draft already holds a file named '{file_name}'; remove it or rename yours"
            )));
        }
        if present.len() >= MAX_ATTACHMENTS {
            return Err(AppError::invalid(
                "file",
                format!("a dossier holds at most {MAX_ATTACHMENTS} files"),
            ));
        }
        files::put(&mut tx, &attached, &upload.bytes, now).await?;
        dossiers::add_draft_attachment(&mut tx, dossier_id, &attached, now).await?;
        let attachment = dossiers::attachments(&mut tx, dossier_id, dossiers::DRAFT)
            .await?
            .into_iter()
            .find(|a| a.file.file_name == attached.file_name)
            .ok_or(AppError::NotFound("attachment"))?;
        Entry::by(actor, "attach", "dossier", dossier_id)
            .after(&attachment)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(DraftAttachment {
            dossier_id,
            attachment,
        })
    }

    /// Removes a file from the draft while the call is open; submitted versions keep theirs.
    #[tracing::instrument(skip(self, actor))]
    pub async fn remove_dossier_attachment(
        &self,
        actor: &Actor,
        call_id: i64,
        file_name: &str,
    ) -> Result<DossierView> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        let organisation_id = may_submit_to(&mut tx, actor, &loaded).await?;
        let dossier = dossiers::find(&mut tx, call_id, organisation_id)
            .await?
            .ok_or(AppError::NotFound("attachment"))?;
        let attachment = dossiers::attachments(&mut tx, dossier.id, dossiers::DRAFT)
            .await?
            .into_iter()
            .find(|a| a.file.file_name == file_name)
            .ok_or(AppError::NotFound("attachment"))?;
        still_open(&loaded, Timestamp::now())?;
        if !dossiers::remove_draft_attachment(&mut tx, dossier.id, file_name).await? {
            return Err(AppError::NotFound("attachment"));
        }
        Entry::by(actor, "detach", "dossier", dossier.id)
            .before(&attachment)
            .write(&mut tx)
            .await?;
        let view = view(&mut tx, &loaded, organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// One file of a dossier (`version` 0: the draft), checked against its checksum. Its own
    /// organisation reads every version and the draft; the buyer side and the named evaluators
    /// only the version that stands submitted, once the call has closed; anyone else finds
    /// nothing.
    pub async fn dossier_file(
        &self,
        actor: &Actor,
        call_id: i64,
        dossier_id: i64,
        version: i64,
        file_name: &str,
    ) -> Result<FileDownload> {
        let principal = candidate(actor)?;
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        let dossier = dossiers::get(&mut conn, dossier_id)
            .await?
            .filter(|d| d.call_id == call_id)
            .ok_or(AppError::NotFound("attachment"))?;
        let sealed = loaded.sealed(Timestamp::now());
        let own = principal.organisation_id == dossier.organisation_id
            && authorize(
                actor,
                &Action::ReadDossier {
                    call: loaded.facts(),
                    organisation_id: dossier.organisation_id,
                    sealed,
                },
            )
            .is_ok();
        if !own {
            // The buyer side reads what it unseals: the version standing submitted, never a draft.
            let standing = dossier.state == "submitted" && dossier.current_version == Some(version);
            let buyer_side = authorize(
                actor,
                &Action::ReadDossier {
                    call: loaded.facts(),
                    organisation_id: dossier.organisation_id,
                    sealed,
                },
            )
            .is_ok();
            let named = evaluation_store::evaluators(&mut conn, call_id)
                .await?
                .contains(&principal.person_id);
            let evaluator = authorize(
                actor,
                &Action::EvaluateCall {
                    call: loaded.facts(),
                    named,
                    sealed,
                },
            )
            .is_ok();
            if !standing || !(buyer_side || evaluator) {
                return Err(AppError::NotFound("attachment"));
            }
        }
        let attachment = dossiers::attachments(&mut conn, dossier_id, version)
            .await?
            .into_iter()
            .find(|a| a.file.file_name == file_name)
            .ok_or(AppError::NotFound("attachment"))?;
        files::read_verified(&mut conn, &attachment.file).await
    }

    /// Submits the draft as a new version, strictly before the closing instant. A late submission
    /// is refused with the closing instant in Paris time and the draft kept.
    #[tracing::instrument(skip(self, actor))]
    pub async fn submit_dossier(&self, actor: &Actor, call_id: i64) -> Result<DossierView> {
        let mut tx = self.store.begin().await?;
        let view = submit_in(&mut tx, actor, call_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Withdraws a submitted dossier while the call is open; its versions stay in the history.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_dossier(&self, actor: &Actor, call_id: i64) -> Result<DossierView> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        let organisation_id = may_submit_to(&mut tx, actor, &loaded).await?;
        let dossier = dossiers::find(&mut tx, call_id, organisation_id)
            .await?
            .ok_or(AppError::NotFound("dossier"))?;
        if dossier.state != "submitted" {
            return Err(AppError::Conflict(format!(
                "the dossier is {}; only a submitted dossier can be withdrawn",
                dossier.state
            )));
        }
        let now = store::now_ms();
        if !dossiers::withdraw(&mut tx, dossier.id, now).await? {
            return Err(refusal(&loaded, super::instant(now)));
        }
        Entry::by(actor, "withdraw", "dossier", dossier.id)
            .before(&dossier.state)
            .after(&"withdrawn")
            .write(&mut tx)
            .await?;
        let view = view(&mut tx, &loaded, organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// The submitted dossiers of a call, for its buyer side, once the call has closed. Before,
    /// and for anyone else, there is nothing to find.
    pub async fn submissions(&self, actor: &Actor, call_id: i64) -> Result<Vec<SubmissionView>> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        let now = Timestamp::now();
        let sealed = loaded.sealed(now);
        let mut out = Vec::new();
        let buyer_side = authorize(
            actor,
            &Action::ManageCall {
                cluster_id: loaded.call.cluster_id,
                buyer_id: loaded.call.buyer_id,
            },
        );
        buyer_side.map_err(|d| AppError::hiding(d, "dossiers"))?;
        if sealed {
            return Err(AppError::NotFound("dossiers"));
        }
        for submission in dossiers::unsealed_submissions(&mut conn, call_id, now.as_millisecond()).await? {
            authorize(
                actor,
                &Action::ReadDossier {
                    call: loaded.facts(),
                    organisation_id: submission.organisation_id,
                    sealed,
                },
            )
            .map_err(|d| AppError::hiding(d, "dossiers"))?;
            let organisation_name = organisation_name(&mut conn, submission.organisation_id).await?;
            let attachments = dossiers::attachments(
                &mut conn,
                submission.version.dossier_id,
                submission.version.version,
            )
            .await?;
            let co_contractors = crate::consortia::co_contractors(
                &mut conn,
                call_id,
                submission.organisation_id,
                submission.version.submitted_at,
            )
            .await?;
            out.push(SubmissionView {
                organisation_id: submission.organisation_id,
                organisation_name,
                version: submission.version,
                attachments,
                co_contractors,
            });
        }
        Ok(out)
    }
}

async fn view(conn: &mut Conn, loaded: &LoadedCall, organisation_id: i64) -> Result<DossierView> {
    let dossier = dossiers::find(conn, loaded.call.id, organisation_id).await?;
    let (attachments, versions) = match &dossier {
        Some(d) => (
            dossiers::attachments(conn, d.id, dossiers::DRAFT).await?,
            dossiers::versions(conn, d.id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let mut submitted_files = Vec::new();
    if let Some(d) = &dossier {
        for v in &versions {
            submitted_files.extend(dossiers::attachments(conn, d.id, v.version).await?);
        }
    }
    Ok(DossierView {
        call_id: loaded.call.id,
        dossier,
        attachments,
        versions,
        submitted_files,
        closes_at_paris: committee::paris::display(loaded.closes()),
    })
}

/// Submits the actor's organisation's draft inside the caller's transaction (the joint dossier of a
/// consortium records itself in the same one, so a submission is never left half joint).
pub(crate) async fn submit_in(conn: &mut Conn, actor: &Actor, call_id: i64) -> Result<DossierView> {
    let loaded = load_call(conn, call_id).await?;
    let organisation_id = may_submit_to(conn, actor, &loaded).await?;
    let dossier = dossiers::find(conn, call_id, organisation_id)
        .await?
        .ok_or_else(|| AppError::invalid("dossier", "save a draft before submitting it"))?;
    let now = Timestamp::now();
    committee::may_submit(now, loaded.opens(), loaded.closes(), loaded.state)
        .map_err(|reason| AppError::Conflict(reason.to_string()))?;
    // The store repeats the check against its own reading of the clock: it has the last word.
    let submitted_at = store::now_ms();
    let Some(version) =
        dossiers::submit(conn, dossier.id, crate::actor::actor_id(actor), submitted_at).await?
    else {
        return Err(refusal(&loaded, super::instant(submitted_at)));
    };
    Entry::by(actor, "submit", "dossier", dossier.id)
        .before(&dossier.state)
        .after(&version)
        .write(conn)
        .await?;
    view(conn, &loaded, organisation_id).await
}
