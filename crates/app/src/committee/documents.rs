//! A call's documents (specifications, answer templates): the buyer side adds and removes them
//! freely while the call is a draft; once published, each addition or removal is an amendment —
//! its text required, kept on the call and e-mailed to the candidates — and after closing the
//! documents are final. Everyone who may read the call downloads them, and so do its named
//! evaluators.

use domain::committee::CallState;
use domain::policy::{Action, Actor, authorize};
use jiff::Timestamp;
use store::committee::calls::{self as stored, CallDocument};
use store::committee::evaluation as evaluation_store;
use store::{Conn, StoreError};

use super::calls::{amendment_text, manage, record_amendment, still_changeable};
use super::files::{self, FileDownload, Upload};
use super::{LoadedCall, load_call};
use crate::audit::Entry;
use crate::{App, AppError, Result};

/// Documents per call.
pub const MAX_DOCUMENTS: usize = 20;

/// The amendment a change of documents needs: none for a draft, its text for a published call.
fn amendment_for(loaded: &LoadedCall, text: &str) -> Result<Option<String>> {
    if loaded.state == CallState::Published {
        amendment_text(text)
            .map(Some)
            .map_err(|e| AppError::Invalid(vec![e]))
    } else {
        Ok(None)
    }
}

impl App {
    /// Adds a document to a call after checking its size and real type; its name is sanitised.
    /// On a published call `amendment` says what it brings.
    #[tracing::instrument(skip(self, actor, upload, amendment))]
    pub async fn add_call_document(
        &self,
        actor: &Actor,
        call_id: i64,
        upload: Upload,
        amendment: &str,
    ) -> Result<CallDocument> {
        let attached = files::accept(&upload)?;
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        still_changeable(&loaded, Timestamp::now())?;
        let amendment = amendment_for(&loaded, amendment)?;
        let present = stored::documents(&mut tx, call_id).await?;
        if present.iter().any(|d| d.file.file_name == attached.file_name) {
            return Err(AppError::Conflict(format!(
                "the call already has a document named '{}'; remove it or rename yours",
                attached.file_name
            )));
        }
        if present.len() >= MAX_DOCUMENTS {
            return Err(AppError::invalid(
                "file",
                format!("a call holds at most {MAX_DOCUMENTS} documents"),
            ));
        }
        let now = store::now_ms();
        files::put(&mut tx, &attached, &upload.bytes, now).await?;
        let id =
            stored::add_document(&mut tx, call_id, &attached, crate::actor::actor_id(actor), now).await?;
        let document = stored::documents(&mut tx, call_id)
            .await?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(AppError::NotFound("document"))?;
        let recipients = match &amendment {
            Some(text) => record_amendment(&mut tx, actor, &loaded, text, now).await?,
            None => Vec::new(),
        };
        Entry::by(actor, "add_document", "call", call_id)
            .after(&(&document, &amendment))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        if let Some(text) = amendment {
            self.announce_amendment(&loaded.call, &text, &recipients).await;
        }
        Ok(document)
    }

    /// Removes a document from a call; on a published call `amendment` says why.
    #[tracing::instrument(skip(self, actor, amendment))]
    pub async fn remove_call_document(
        &self,
        actor: &Actor,
        call_id: i64,
        document_id: i64,
        amendment: &str,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let document = stored::documents(&mut tx, call_id)
            .await?
            .into_iter()
            .find(|d| d.id == document_id)
            .ok_or(AppError::NotFound("document"))?;
        still_changeable(&loaded, Timestamp::now())?;
        let amendment = amendment_for(&loaded, amendment)?;
        if !stored::remove_document(&mut tx, call_id, document_id).await? {
            return Err(AppError::NotFound("document"));
        }
        let now = store::now_ms();
        let recipients = match &amendment {
            Some(text) => record_amendment(&mut tx, actor, &loaded, text, now).await?,
            None => Vec::new(),
        };
        Entry::by(actor, "remove_document", "call", call_id)
            .before(&document)
            .after(&amendment)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        if let Some(text) = amendment {
            self.announce_amendment(&loaded.call, &text, &recipients).await;
        }
        Ok(())
    }

    /// A call's document, checked against its checksum, for anyone who may read the call and for
    /// its named evaluators, who judge the dossiers against these very documents even when the
    /// call is for members or invited organisations only.
    pub async fn call_document(&self, actor: &Actor, call_id: i64, document_id: i64) -> Result<FileDownload> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        if let Err(denial) = authorize(actor, &Action::ViewCall(loaded.facts()))
            && !named_evaluator(&mut conn, actor, &loaded).await?
        {
            return Err(AppError::hiding(denial, "call"));
        }
        let document = stored::documents(&mut conn, call_id)
            .await?
            .into_iter()
            .find(|d| d.id == document_id)
            .ok_or(AppError::NotFound("document"))?;
        files::read_verified(&mut conn, &document.file).await
    }
}

/// Whether `actor` is a named evaluator of the call who may evaluate it; the documents are not
/// sealed, so the dossiers' seal does not matter here.
async fn named_evaluator(conn: &mut Conn, actor: &Actor, loaded: &LoadedCall) -> Result<bool> {
    let Actor::Person(principal) = actor else {
        return Ok(false);
    };
    let named = evaluation_store::evaluators(conn, loaded.call.id)
        .await?
        .contains(&principal.person_id);
    Ok(authorize(
        actor,
        &Action::EvaluateCall {
            call: loaded.facts(),
            named,
            sealed: false,
        },
    )
    .is_ok())
}
