//! Export support: premises abroad that large members offer and SMEs request stays in; VIE posts a
//! large member hosts and several SMEs share (time and cost shares summing to 100 %).
//!
//! Hosts are organisations of size large or mid-cap (ETI) publishing in a cluster they are members
//! of, through their admins and buyers or that cluster's staff (`HostExport`). Requesters are the
//! registry participants of other member organisations (`ApplyForExport`). Accepting a stay or a
//! share takes the premises' or the post's row lock first, so that two accepts racing can neither
//! overbook a day nor push the shares over 100 %.

mod premises;
mod vie;

pub use premises::*;
pub use vie::*;

use domain::country::CountryCode;
use domain::export::{self as rules, Refusal};
use domain::org::OrgSize;
use domain::policy::{Action, Actor, Principal, authorize};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use store::{Conn, clusters, organisations};

use crate::committee::organisation_name;
use crate::{AppError, FieldError, Result};

const CITY_CHARS: usize = 120;
const TITLE_CHARS: usize = 200;
const LONG_CHARS: usize = 4_000;
const ANSWER_CHARS: usize = 2_000;

/// The host's decision on a stay request or a share application.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct DecisionInput {
    /// `accepted` or `declined`.
    pub outcome: String,
    /// What the requester is told (required to decline).
    #[serde(default)]
    pub message: String,
}

/// Collects the field errors of one form, so that all of them are shown at once.
#[derive(Default)]
struct Check(Vec<FieldError>);

impl Check {
    fn take<T>(&mut self, result: std::result::Result<T, Refusal>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(refusal) => {
                self.fail(refusal.field, refusal.message);
                None
            }
        }
    }

    fn text(&mut self, field: &'static str, input: &str, max: usize, required: bool) -> String {
        let found = if required {
            domain::text::multiline(field, input, max)
                .and_then(|v| v.ok_or(domain::text::TextError::Empty { field }))
        } else {
            domain::text::multiline(field, input, max).map(Option::unwrap_or_default)
        };
        match found {
            Ok(text) => text,
            Err(error) => {
                self.fail(field, error);
                String::new()
            }
        }
    }

    fn date(&mut self, field: &'static str, input: &str) -> Option<Date> {
        let text = input.trim();
        let parsed = text.parse::<Date>().ok().filter(|_| text.len() == 10);
        if parsed.is_none() {
            self.fail(
                field,
                if text.is_empty() {
                    format!("{field} is required (YYYY-MM-DD)")
                } else {
                    format!(
                        "'{}' is not a date like 2027-06-30",
                        text.chars().take(40).collect::<String>()
                    )
                },
            );
        }
        parsed
    }

    fn country(&mut self, input: &str) -> Option<CountryCode> {
        match CountryCode::parse(input) {
            Ok(code) => Some(code),
            Err(error) => {
                self.fail("country", error);
                None
            }
        }
    }

    fn fail(&mut self, field: &str, message: impl ToString) {
        if !self.0.iter().any(|e| e.field == field) {
            self.0.push(FieldError::new(field, message));
        }
    }

    fn done(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

pub fn iso(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

/// A stored ISO day; stored values were checked on the way in.
fn day(text: &str) -> Result<Date> {
    text.parse::<Date>()
        .map_err(|_| AppError::Internal(format!("stored date '{text}' unreadable")))
}

fn stored_decimal(text: &str) -> Result<rules::Decimal> {
    text.parse::<rules::Decimal>()
        .map_err(|_| AppError::Internal(format!("stored decimal '{text}' unreadable")))
}

fn person(actor: &Actor) -> Result<&Principal> {
    match actor {
        Actor::Person(p) => Ok(p),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

fn conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict(message.into())
}

fn country_name(code: &str) -> String {
    CountryCode::parse(code).map_or_else(|_| code.to_owned(), |c| c.name("fr").to_owned())
}

/// Reading the cluster's export offers (404 for anyone outside it).
async fn view_cluster(conn: &mut Conn, actor: &Actor, cluster_id: i64) -> Result<()> {
    person(actor)?;
    clusters::get(conn, cluster_id)
        .await?
        .ok_or(AppError::NotFound("cluster"))?;
    authorize(actor, &Action::ViewExportOffers { cluster_id }).map_err(|d| AppError::hiding(d, "cluster"))
}

/// Whether the actor speaks for `host_id` as the host of an offer in `cluster_id`.
fn hosts(actor: &Actor, cluster_id: i64, host_id: i64) -> bool {
    authorize(actor, &Action::HostExport { cluster_id, host_id }).is_ok()
}

/// Whether the actor may know that an offer of `host_id` in `cluster_id` exists (404 otherwise,
/// naming `what`), and whether they are on its host side.
fn offer_access(actor: &Actor, cluster_id: i64, host_id: i64, what: &'static str) -> Result<bool> {
    person(actor)?;
    let is_host = hosts(actor, cluster_id, host_id);
    if is_host || authorize(actor, &Action::ViewExportOffers { cluster_id }).is_ok() {
        Ok(is_host)
    } else {
        Err(AppError::NotFound(what))
    }
}

/// For a host's change to a visible offer: 403 for readers who do not host it.
fn as_host(is_host: bool) -> Result<()> {
    if is_host { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Whether the actor may read a request (a stay or an application) that `organisation_id` made
/// for an offer of `host_id` in `cluster_id` — the host side and the requesting organisation,
/// 404 for anyone else — and whether they are on the host side.
fn request_access(
    actor: &Actor,
    cluster_id: i64,
    host_id: i64,
    organisation_id: i64,
    what: &'static str,
) -> Result<bool> {
    person(actor)?;
    let is_host = hosts(actor, cluster_id, host_id);
    if is_host || speaks_for_requester(actor, cluster_id, organisation_id) {
        Ok(is_host)
    } else {
        Err(AppError::NotFound(what))
    }
}

/// Who hears about a request on the requester's side: the person who made it, else (when that
/// person is gone) the requesting organisation's people.
async fn requester_side(conn: &mut Conn, by: Option<i64>, organisation_id: i64) -> Result<Vec<String>> {
    if let Some(id) = by
        && let Some(person) = store::people::get(conn, id).await?
        && person.organisation_id == organisation_id
    {
        return Ok(vec![person.email]);
    }
    crate::committee::addresses_of(conn, &[organisation_id]).await
}

/// Who hears about an offer on the host side: the person who published it while still with the
/// host, else the host's admins and buyers (never its evaluators or members).
async fn host_side(conn: &mut Conn, created_by: Option<i64>, host_id: i64) -> Result<Vec<String>> {
    if let Some(id) = created_by
        && let Some(person) = store::people::get(conn, id).await?
        && person.organisation_id == host_id
    {
        return Ok(vec![person.email]);
    }
    Ok(store::export::host_side_addresses(conn, host_id).await?)
}

/// Today in Paris: the earliest day a stay, an availability or a VIE may start.
fn today() -> Date {
    domain::committee::paris::date(jiff::Timestamp::now())
}

/// A day as French e-mails write it: `30/06/2027`.
fn fr_day(iso_day: &str) -> String {
    iso_day
        .parse::<Date>()
        .map_or_else(|_| iso_day.to_owned(), |d| domain::display::date(d, "fr"))
}

/// The organisation that will host: the one named, else the actor's own. The actor must speak
/// for it in this cluster (403 otherwise, the same for an unknown id), and it must exist, be a
/// member of the cluster and be a large company or a mid-cap (422 on `host_id`).
async fn check_host(conn: &mut Conn, actor: &Actor, cluster_id: i64, named: Option<i64>) -> Result<i64> {
    let principal = person(actor)?;
    let host_id = named.unwrap_or(principal.organisation_id);
    if !hosts(actor, cluster_id, host_id) {
        return Err(AppError::Forbidden);
    }
    let Some(host) = organisations::get(conn, host_id).await? else {
        return Err(AppError::invalid(
            "host_id",
            format!("organisation {host_id} does not exist"),
        ));
    };
    if !clusters::of_organisation(conn, host_id)
        .await?
        .contains(&cluster_id)
    {
        return Err(AppError::invalid(
            "host_id",
            format!("{} is not a member of this cluster", host.fields.legal_name),
        ));
    }
    let size = host.fields.size.as_deref().and_then(|s| OrgSize::parse(s).ok());
    if !matches!(size, Some(OrgSize::Large | OrgSize::MidCap)) {
        return Err(AppError::invalid(
            "host_id",
            format!(
                "only large companies and mid-caps (ETI) host export support; {} is not one",
                host.fields.legal_name
            ),
        ));
    }
    Ok(host_id)
}

/// The requester's organisation, when the actor may request in the cluster (403 if they may read
/// the offer but not request, e.g. the cluster's staff).
fn requester(actor: &Actor, cluster_id: i64, host_id: i64) -> Result<i64> {
    let principal = person(actor)?;
    let organisation_id = principal.organisation_id;
    authorize(
        actor,
        &Action::ApplyForExport {
            cluster_id,
            organisation_id,
        },
    )?;
    if organisation_id == host_id {
        return Err(AppError::invalid(
            "form",
            "your organisation is the host: it cannot request its own offer",
        ));
    }
    Ok(organisation_id)
}

/// Whether the actor may read what `organisation_id` requested in the cluster.
fn speaks_for_requester(actor: &Actor, cluster_id: i64, organisation_id: i64) -> bool {
    authorize(
        actor,
        &Action::ApplyForExport {
            cluster_id,
            organisation_id,
        },
    )
    .is_ok()
}

fn outcome(input: &DecisionInput) -> Result<(&'static str, String)> {
    let mut check = Check::default();
    let state = match input.outcome.trim() {
        "accepted" | "accept" => Some("accepted"),
        "declined" | "decline" => Some("declined"),
        other => {
            check.fail(
                "outcome",
                format!(
                    "'{}' is not a decision: accepted or declined",
                    other.chars().take(20).collect::<String>()
                ),
            );
            None
        }
    };
    let message = check.text("message", &input.message, ANSWER_CHARS, state == Some("declined"));
    check.done()?;
    Ok((state.expect("checked"), message))
}

fn state_conflict(what: &str, state: &str, doing: &str) -> AppError {
    conflict(format!("the {what} is {state}: it cannot be {doing}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declining_needs_a_message_and_decisions_are_two() {
        let decide = |outcome: &str, message: &str| {
            super::outcome(&DecisionInput {
                outcome: outcome.into(),
                message: message.into(),
            })
        };
        assert_eq!(decide("accepted", "").unwrap().0, "accepted");
        assert!(matches!(decide("declined", ""), Err(AppError::Invalid(_))));
        assert_eq!(decide("declined", "Complet").unwrap().1, "Complet");
        assert!(matches!(decide("maybe", "x"), Err(AppError::Invalid(_))));
    }
}
