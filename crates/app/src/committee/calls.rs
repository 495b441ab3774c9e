//! Calls for proposals: the buyer side writes, publishes, amends and cancels them and answers
//! questions; everyone the call's visibility reaches reads it with its public answers.

use domain::committee::{self, CallInput, CallState, paris};
use domain::policy::{Action, Actor, authorize};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use store::committee::calls::{
    self as stored, Amendment, Call, CallDocument, CallFields, CallParts, Question,
};
use store::committee::dossiers;
use store::{Conn, StoreError, clusters};

use super::{LoadedCall, instant, load_call, text_issue};
use crate::audit::Entry;
use crate::mail::Mail;
use crate::{App, AppError, FieldError, Result};

const QUESTION_CHARS: usize = 4_000;
const REASON_CHARS: usize = 2_000;

/// A call as its reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct CallView {
    pub call: Call,
    pub parts: CallParts,
    /// The buyer side sees every question with who asked; others the answered ones, anonymous.
    pub questions: Vec<Question>,
    pub amendments: Vec<Amendment>,
    /// The buyer's documents (specifications, templates), downloadable by every reader.
    pub documents: Vec<CallDocument>,
    /// Whether the reader is on the buyer side.
    pub can_manage: bool,
    /// Whether the call still takes edits, documents and invitations (`still_changeable`): what
    /// the buyer side's controls offer.
    pub changeable: bool,
    /// For the buyer side: how many dossiers stand submitted (a count reveals no content).
    pub submitted: Option<i64>,
}

/// An edit of a call: the whole call, and for a published call the amendment that announces it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CallUpdate {
    #[serde(flatten)]
    pub call: CallInput,
    /// What changed, in the buyer's words; required once the call is published (candidates are
    /// notified with it).
    #[serde(default)]
    pub amendment: String,
}

fn validate(input: &CallInput) -> Result<(CallFields, CallParts)> {
    let call = input.validate().map_err(|issues| {
        AppError::Invalid(
            issues
                .into_iter()
                .map(|i| FieldError::new(&i.field, i.message))
                .collect(),
        )
    })?;
    let fields = CallFields {
        title: call.title,
        description: call.description,
        category: call.category.as_str().to_owned(),
        eligible_sizes: call
            .eligibility
            .sizes
            .iter()
            .map(|s| s.as_str().to_owned())
            .collect(),
        required_certifications: call.eligibility.certifications,
        accepted_regions: call.eligibility.regions,
        opens_at: call.opens_at.as_millisecond(),
        closes_at: call.closes_at.as_millisecond(),
        visibility: call.visibility.as_str().to_owned(),
    };
    let parts = CallParts {
        lots: call
            .lots
            .into_iter()
            .map(|l| stored::Lot {
                name: l.name,
                description: l.description,
            })
            .collect(),
        criteria: call
            .criteria
            .into_iter()
            .map(|k| stored::Criterion {
                name: k.name,
                description: k.description,
                weight: i64::from(k.weight),
                scale_max: i64::from(k.scale_max),
            })
            .collect(),
    };
    Ok((fields, parts))
}

pub(crate) fn manage(actor: &Actor, loaded: &LoadedCall) -> Result<()> {
    let action = Action::ManageCall {
        cluster_id: loaded.call.cluster_id,
        buyer_id: loaded.call.buyer_id,
    };
    if authorize(actor, &action).is_ok() {
        return Ok(());
    }
    // Those who may read the call learn they may not change it; others learn nothing.
    authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
    Err(AppError::Forbidden)
}

fn conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict(message.into())
}

/// Whether the call still takes changes at `now`: a draft, or a published call before its
/// closing instant — whether or not the closing task has run yet.
pub(crate) fn still_changeable(loaded: &LoadedCall, now: Timestamp) -> Result<()> {
    match loaded.state {
        CallState::Draft => Ok(()),
        CallState::Published if now < loaded.closes() => Ok(()),
        CallState::Published => Err(conflict(format!(
            "the call closed at {}; it can no longer be changed",
            paris::display(loaded.closes())
        ))),
        state => Err(conflict(format!(
            "the call is {state} and can no longer be changed"
        ))),
    }
}

/// The amendment text a change to a published call needs; candidates are told with it.
pub(crate) fn amendment_text(text: &str) -> std::result::Result<String, FieldError> {
    match domain::text::multiline("amendment", text, REASON_CHARS) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(FieldError::new(
            "amendment",
            "the call is published: say what changed, candidates are told",
        )),
        Err(error) => Err(FieldError::new("amendment", error)),
    }
}

/// Records an amendment of a published call inside the change's transaction and returns the
/// addresses to tell once it is committed (see `App::announce_amendment`).
pub(crate) async fn record_amendment(
    conn: &mut Conn,
    actor: &Actor,
    loaded: &LoadedCall,
    text: &str,
    now: i64,
) -> Result<Vec<String>> {
    stored::amend(conn, loaded.call.id, text, crate::actor::actor_id(actor), now).await?;
    candidates_of(conn, loaded).await
}

/// Audits a call's state moved as a consequence rather than by a request of its own: closed by the
/// clock (`by` is None) or decided when its decisions are published.
pub(crate) async fn record_state_change(
    conn: &mut store::Conn,
    by: Option<i64>,
    call_id: i64,
    from: CallState,
    to: CallState,
) -> Result<()> {
    let action = if to == CallState::Closed {
        "close"
    } else {
        "change_state"
    };
    Entry::bare(by, action, "call", call_id)
        .before(&from.as_str())
        .after(&to.as_str())
        .write(conn)
        .await
}

impl App {
    /// Creates a draft call of the actor's organisation in a cluster.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn create_call(&self, actor: &Actor, cluster_id: i64, input: &CallInput) -> Result<Call> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let buyer_id = principal.organisation_id;
        let mut tx = self.store.begin().await?;
        clusters::get(&mut tx, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        authorize(actor, &Action::ManageCall { cluster_id, buyer_id })?;
        let (fields, parts) = validate(input)?;
        let now = store::now_ms();
        let id = stored::insert(
            &mut tx,
            cluster_id,
            buyer_id,
            &fields,
            &parts,
            Some(principal.person_id),
            now,
        )
        .await?;
        let call = stored::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        Entry::by(actor, "create", "call", id)
            .after(&call)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(call)
    }

    /// Replaces a draft or published call. A published call's edit is an amendment: its text is
    /// required, kept on the call and sent to the candidates; its closing instant must stay ahead.
    #[tracing::instrument(skip(self, actor, update))]
    pub async fn update_call(&self, actor: &Actor, call_id: i64, update: &CallUpdate) -> Result<Call> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let (fields, parts) = validate(&update.call)?;
        let now = store::now_ms();
        let published = loaded.state == CallState::Published;
        // A call whose closing instant has passed is closed, even before the closing task runs.
        still_changeable(&loaded, Timestamp::now())?;
        let amendment = if published {
            let mut issues = Vec::new();
            let text = amendment_text(&update.amendment).map_err(|e| issues.push(e)).ok();
            if fields.closes_at <= now {
                issues.push(FieldError::new(
                    "closes_at",
                    "the call is published: its closing instant must stay in the future",
                ));
            }
            if !issues.is_empty() {
                return Err(AppError::Invalid(issues));
            }
            text
        } else {
            None
        };
        let before = stored::parts(&mut tx, call_id).await?;
        if !stored::update(&mut tx, call_id, &fields, &parts, now).await? {
            return Err(conflict(format!(
                "the call is {} and can no longer be edited",
                loaded.state
            )));
        }
        let recipients = match &amendment {
            Some(text) => record_amendment(&mut tx, actor, &loaded, text, now).await?,
            None => Vec::new(),
        };
        let call = stored::get(&mut tx, call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        Entry::by(actor, if published { "amend" } else { "update" }, "call", call_id)
            .before(&(&loaded.call, &before))
            .after(&(&call, &parts, &amendment))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        if let Some(text) = amendment {
            self.announce_amendment(&call, &text, &recipients).await;
        }
        Ok(call)
    }

    /// Publishes a draft call: it becomes visible to its audience and accepts dossiers from its
    /// opening instant.
    #[tracing::instrument(skip(self, actor))]
    pub async fn publish_call(&self, actor: &Actor, call_id: i64) -> Result<Call> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let now = Timestamp::now();
        committee::transition(loaded.state, CallState::Published, now, loaded.closes())
            .map_err(|e| conflict(e.to_string()))?;
        if !stored::change_state(
            &mut tx,
            call_id,
            loaded.state.as_str(),
            "published",
            now.as_millisecond(),
        )
        .await?
        {
            return Err(conflict("the call changed meanwhile; reload it"));
        }
        let call = stored::get(&mut tx, call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        Entry::by(actor, "publish", "call", call_id)
            .before(&loaded.call.state)
            .after(&call.state)
            .write(&mut tx)
            .await?;
        // Organisations invited while the call was a draft hear of it now that they can read it.
        let invited = super::addresses_of(&mut tx, &loaded.invited).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_invitation(&call, &invited).await;
        Ok(call)
    }

    /// Cancels a call with a reason, which the invited and candidate organisations receive.
    #[tracing::instrument(skip(self, actor, reason))]
    pub async fn cancel_call(&self, actor: &Actor, call_id: i64, reason: &str) -> Result<Call> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let reason = domain::text::multiline("reason", reason, REASON_CHARS)
            .map_err(|e| text_issue("reason", e))?
            .ok_or_else(|| {
                AppError::invalid("reason", "say why the call is cancelled; candidates are told")
            })?;
        if !loaded.state.may_become(CallState::Cancelled) {
            return Err(conflict(format!("a {} call cannot be cancelled", loaded.state)));
        }
        let now = store::now_ms();
        if !stored::cancel(&mut tx, call_id, loaded.state.as_str(), &reason, now).await? {
            return Err(conflict("the call changed meanwhile; reload it"));
        }
        let call = stored::get(&mut tx, call_id)
            .await?
            .ok_or(AppError::NotFound("call"))?;
        Entry::by(actor, "cancel", "call", call_id)
            .before(&loaded.call.state)
            .after(&(&call.state, &reason))
            .write(&mut tx)
            .await?;
        let recipients = if loaded.state == CallState::Draft {
            Vec::new()
        } else {
            candidates_of(&mut tx, &loaded).await?
        };
        tx.commit().await.map_err(StoreError::from)?;
        let subject = format!("Appel « {} » annulé / Call cancelled", call.title);
        let body = format!(
            "L'appel « {title} » est annulé.\nMotif : {reason}\n\nThe call “{title}” is cancelled.\nReason: {reason}\n",
            title = call.title,
        );
        self.mail_all(&recipients, &subject, &body).await;
        Ok(call)
    }

    /// The calls of a cluster the actor may see, closing soonest first.
    pub async fn calls(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<Call>> {
        let mut conn = self.store.conn().await?;
        clusters::get(&mut conn, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        let mut visible = Vec::new();
        for call in stored::of_cluster(&mut conn, cluster_id).await? {
            let loaded = load_call(&mut conn, call.id).await?;
            if authorize(actor, &Action::ViewCall(loaded.facts())).is_ok() {
                visible.push(loaded.call);
            }
        }
        Ok(visible)
    }

    /// One call with its parts, public answers and amendments.
    pub async fn call(&self, actor: &Actor, call_id: i64) -> Result<CallView> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
        let can_manage = authorize(
            actor,
            &Action::ManageCall {
                cluster_id: loaded.call.cluster_id,
                buyer_id: loaded.call.buyer_id,
            },
        )
        .is_ok();
        let questions = if can_manage {
            stored::questions(&mut conn, call_id).await?
        } else {
            stored::answered(&mut conn, call_id)
                .await?
                .into_iter()
                .map(|q| Question {
                    organisation_id: None,
                    asked_by: None,
                    answered_by: None,
                    ..q
                })
                .collect()
        };
        let submitted = if can_manage {
            Some(dossiers::count_submitted(&mut conn, call_id).await?)
        } else {
            None
        };
        let changeable = still_changeable(&loaded, Timestamp::now()).is_ok();
        Ok(CallView {
            changeable,
            parts: stored::parts(&mut conn, call_id).await?,
            amendments: stored::amendments(&mut conn, call_id).await?,
            documents: stored::documents(&mut conn, call_id).await?,
            call: loaded.call,
            questions,
            can_manage,
            submitted,
        })
    }

    /// Asks the buyer a question about a published call; its answer will be public.
    #[tracing::instrument(skip(self, actor, text))]
    pub async fn ask_question(&self, actor: &Actor, call_id: i64, text: &str) -> Result<Question> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
        let text = domain::text::multiline("question", text, QUESTION_CHARS)
            .map_err(|e| text_issue("question", e))?
            .ok_or_else(|| AppError::invalid("question", "is required"))?;
        if loaded.state != CallState::Published || Timestamp::now() >= loaded.closes() {
            return Err(conflict(format!(
                "the call is {}; questions are closed",
                if loaded.state == CallState::Published {
                    CallState::Closed
                } else {
                    loaded.state
                }
            )));
        }
        let now = store::now_ms();
        let id = stored::ask(
            &mut tx,
            call_id,
            Some(principal.organisation_id),
            Some(principal.person_id),
            &text,
            now,
        )
        .await?;
        let question = stored::question(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("question"))?;
        Entry::by(actor, "create", "call_question", id)
            .after(&question)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(question)
    }

    /// Answers a question once; the answer is shown to everyone who sees the call.
    #[tracing::instrument(skip(self, actor, text))]
    pub async fn answer_question(
        &self,
        actor: &Actor,
        call_id: i64,
        question_id: i64,
        text: &str,
    ) -> Result<Question> {
        let mut tx = self.store.begin().await?;
        let loaded = load_call(&mut tx, call_id).await?;
        manage(actor, &loaded)?;
        let question = stored::question(&mut tx, question_id)
            .await?
            .filter(|q| q.call_id == call_id)
            .ok_or(AppError::NotFound("question"))?;
        let text = domain::text::multiline("answer", text, QUESTION_CHARS)
            .map_err(|e| text_issue("answer", e))?
            .ok_or_else(|| AppError::invalid("answer", "is required"))?;
        let now = store::now_ms();
        if !stored::answer(&mut tx, question_id, &text, crate::actor::actor_id(actor), now).await? {
            return Err(conflict(
                "this question is already answered; publish a correction as an amendment",
            ));
        }
        let answered = stored::question(&mut tx, question_id)
            .await?
            .ok_or(AppError::NotFound("question"))?;
        Entry::by(actor, "answer", "call_question", question_id)
            .before(&question)
            .after(&answered)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(answered)
    }

    /// The calls page, where evaluators find the calls they evaluate.
    pub(crate) fn calls_url(&self) -> String {
        format!("{}/calls", self.config.public_url.trim_end_matches('/'))
    }

    /// The call's page, for e-mails.
    pub(crate) fn call_url(&self, call_id: i64) -> String {
        format!("{}/calls/{call_id}", self.config.public_url.trim_end_matches('/'))
    }

    /// Tells the candidates what changed in a call (after the change is committed).
    pub(crate) async fn announce_amendment(&self, call: &Call, text: &str, recipients: &[String]) {
        let subject = format!("Appel « {} » modifié / Call amended", call.title);
        let body = format!(
            "L'appel « {title} » a été modifié :\n\n{text}\n\nClôture : {closes}.\n\n\
             The call “{title}” was amended:\n\n{text}\n\nCloses: {closes}.\n\n{url}\n",
            title = call.title,
            closes = paris::display(instant(call.closes_at)),
            url = self.call_url(call.id),
        );
        self.mail_all(recipients, &subject, &body).await;
    }

    /// Moves every published call whose closing instant has passed to `closed`, each change
    /// audited; returns their ids. Nothing reads the state to decide the seal or the deadline
    /// (the instant does), so running this late or twice changes nothing but the label.
    #[tracing::instrument(skip(self))]
    pub async fn close_due_calls(&self) -> Result<Vec<i64>> {
        let mut tx = self.store.begin().await?;
        let closed = stored::close_due(&mut tx, store::now_ms()).await?;
        for id in &closed {
            record_state_change(&mut tx, None, *id, CallState::Published, CallState::Closed).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(closed)
    }

    /// Closes due calls every `every`, for as long as the server runs; failures are logged and
    /// retried at the next tick.
    pub fn spawn_call_closing(&self, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
        self.spawn_every(
            "calls closed",
            every,
            |app| async move { app.close_due_calls().await },
        )
    }

    /// Runs `job` every `every` for as long as the server runs (the first run at once, missed
    /// ticks delayed, not bunched): the ids it handled are logged under `name`, failures logged
    /// and retried at the next tick.
    pub fn spawn_every<F, Fut>(
        &self,
        name: &'static str,
        every: std::time::Duration,
        job: F,
    ) -> tokio::task::JoinHandle<()>
    where
        F: Fn(App) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<Vec<i64>>> + Send,
    {
        let app = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match job(app.clone()).await {
                    Ok(done) if !done.is_empty() => tracing::info!(?done, "{name}"),
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "{name}: failed, will retry"),
                }
            }
        })
    }

    /// Sends one mail to each address; failures are logged, not fatal.
    pub(crate) async fn mail_all(&self, to: &[String], subject: &str, body: &str) {
        for address in to {
            self.notify(Mail {
                to: address.clone(),
                subject: subject.to_owned(),
                body: body.to_owned(),
            })
            .await;
        }
    }
}

/// The e-mail addresses of the people of the invited organisations and of those holding a
/// dossier for the call.
async fn candidates_of(conn: &mut Conn, loaded: &LoadedCall) -> Result<Vec<String>> {
    let mut organisations = loaded.invited.clone();
    organisations.extend(dossiers::candidates(conn, loaded.call.id).await?);
    organisations.sort_unstable();
    organisations.dedup();
    super::addresses_of(conn, &organisations).await
}
