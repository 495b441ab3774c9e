//! "Calls for you": the open calls a candidate organisation may answer, the eligible ones first
//! by how well its profile matches them, the others with the reasons it may not answer.

use super::{fail, paris_time};
use crate::i18n::Tr;
use crate::identity::Viewer;
use crate::pages::{Chrome, render};
use crate::state::AppState;
use app::committee::for_you::CallForYou;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use domain::committee::Ineligibility;
use domain::org::OrgSize;

struct OpenCall {
    id: i64,
    title: String,
    closes: String,
    /// The organisation's matched passage, HTML-escaped with `<mark>` around the matches.
    snippet_html: String,
    reasons: Vec<String>,
}

#[derive(Template)]
#[template(path = "committee/for_you.html")]
struct ForYouPage {
    c: Chrome,
    eligible: Vec<OpenCall>,
    not_eligible: Vec<OpenCall>,
}

fn size_label(tr: Tr, size: &OrgSize) -> &'static str {
    if tr.locale == "fr" {
        size.label_fr()
    } else {
        size.label_en()
    }
}

fn region_names(codes: &[String]) -> String {
    codes
        .iter()
        .map(|code| domain::geo::region(code).map_or_else(|| code.clone(), |r| r.name.to_owned()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A reason in the reader's language, with what the call asks for.
fn reason(tr: Tr, why: &Ineligibility) -> String {
    let label = tr.t(format!("committee_calls.reason.{}", why.code()));
    match why {
        Ineligibility::WrongSize { allowed, .. } => format!(
            "{label} {}",
            allowed
                .iter()
                .map(|s| size_label(tr, s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ineligibility::MissingCertification { name } => format!("{label} {name}"),
        Ineligibility::RegionNotAccepted { accepted, .. } => format!("{label} {}", region_names(accepted)),
    }
}

fn open_call(tr: Tr, found: CallForYou) -> OpenCall {
    OpenCall {
        id: found.call.id,
        closes: paris_time(found.call.fields.closes_at),
        reasons: found.reasons.iter().map(|r| reason(tr, r)).collect(),
        snippet_html: found.snippet_html.unwrap_or_default(),
        title: found.call.fields.title,
    }
}

/// `GET /calls/for-you`.
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Response {
    let found = match state.app.calls_for_you(&viewer.actor).await {
        Ok(found) => found,
        Err(error) => return fail(&viewer, error),
    };
    let tr = viewer.tr;
    render(&ForYouPage {
        c: Chrome::of(&viewer, "calls"),
        eligible: found.eligible.into_iter().map(|f| open_call(tr, f)).collect(),
        not_eligible: found.not_eligible.into_iter().map(|f| open_call(tr, f)).collect(),
    })
}
