//! The purchasing committee's core loop: buyers write, publish, amend and cancel calls for
//! proposals and answer their questions; candidates keep a draft dossier with attachments, submit
//! it before the closing instant and may withdraw it; the buyer side reads the submissions only
//! once the call has closed. Time rules come from `domain::committee`, the final word on the
//! deadline and the seal from the store's guarded SQL.

pub mod audit_trail;
pub mod calls;
pub mod documents;
pub mod dossiers;
pub mod evaluation;
pub mod files;
pub mod for_you;
pub mod invitations;
pub mod listings;
pub mod open_data;
pub mod policies;
pub mod portfolio;
pub mod ranking_export;
pub mod sessions;

pub use calls::{CallUpdate, CallView};
pub use dossiers::{DossierInput, DossierView};
pub use files::{FileDownload, MAX_ATTACHMENT_BYTES, Upload};

use domain::committee::{CallState, CallVisibility};
use domain::policy::CallFacts;
use jiff::Timestamp;
use store::Conn;
use store::committee::calls::{self as stored, Call};

use crate::{AppError, FieldError, Result};

/// A call with what the policy needs to reason on it.
pub(crate) struct LoadedCall {
    pub call: Call,
    pub state: CallState,
    pub visibility: CallVisibility,
    pub invited: Vec<i64>,
}

impl LoadedCall {
    pub fn facts(&self) -> CallFacts<'_> {
        CallFacts {
            cluster_id: self.call.cluster_id,
            buyer_id: self.call.buyer_id,
            visibility: self.visibility,
            published: self.state != CallState::Draft,
            invited: &self.invited,
        }
    }

    pub fn closes(&self) -> Timestamp {
        instant(self.call.closes_at)
    }

    pub fn opens(&self) -> Timestamp {
        instant(self.call.opens_at)
    }

    /// Whether dossiers are still sealed at `now`.
    pub fn sealed(&self, now: Timestamp) -> bool {
        domain::committee::sealed(now, self.closes(), self.state)
    }
}

pub(crate) async fn load_call(conn: &mut Conn, call_id: i64) -> Result<LoadedCall> {
    let call = stored::get(conn, call_id)
        .await?
        .ok_or(AppError::NotFound("call"))?;
    let state = CallState::parse(&call.state)
        .ok_or_else(|| AppError::Internal(format!("call {call_id} has an unknown state")))?;
    let visibility = CallVisibility::parse(&call.visibility)
        .ok_or_else(|| AppError::Internal(format!("call {call_id} has an unknown visibility")))?;
    let invited = stored::invitations(conn, call_id)
        .await?
        .into_iter()
        .map(|i| i.organisation_id)
        .collect();
    Ok(LoadedCall {
        call,
        state,
        visibility,
        invited,
    })
}

/// An organisation's legal name as the committee's pages and mails show it; empty for an id that
/// names nobody (rows keep their organisation, so this only guards against a race with deletion).
pub(crate) async fn organisation_name(conn: &mut Conn, organisation_id: i64) -> Result<String> {
    Ok(store::organisations::get(conn, organisation_id)
        .await?
        .map(|o| o.fields.legal_name)
        .unwrap_or_default())
}

/// The e-mail addresses of the people of these organisations.
pub(crate) async fn addresses_of(conn: &mut Conn, organisations: &[i64]) -> Result<Vec<String>> {
    let mut addresses = Vec::new();
    for organisation_id in organisations {
        for person in store::people::of_organisation(conn, *organisation_id).await? {
            addresses.push(person.email);
        }
    }
    Ok(addresses)
}

/// A stored instant (Unix milliseconds) as a timestamp; out-of-range values clamp to the epoch.
pub(crate) fn instant(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

pub(crate) fn text_issue(field: &str, error: impl ToString) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, error)])
}
