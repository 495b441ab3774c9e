//! The qualified-supplier portfolio: the cluster's staff keep the qualification criteria; a member
//! organisation applies with evidence per criterion and submits; the staff name reviewers (people
//! of the cluster's members or its staff, never of the applicant), who give an opinion per
//! criterion; the staff decide once — qualified until a renewal date, or refused with a reason —
//! and the applicant is told by e-mail. Qualified suppliers whose renewal date has not passed form
//! the portfolio, read in full by the staff and by subscribed organisations, in summary by the
//! rest of the cluster. Subscriptions (start and end dates) are granted and revoked by the staff.

mod applications;
mod criteria;
mod review;
mod subscriptions;
mod view;

use std::collections::BTreeMap;

use domain::committee::paris;
use domain::policy::{Action, Actor, authorize};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use store::committee::portfolio::{
    self as stored, Application, Criterion, Evidence, EvidenceFile, Opinion, Qualified, Subscription,
};
use store::{Conn, StoreError, clusters, organisations, people};

use super::files::{self, FileDownload, Upload};
use super::organisation_name;
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};

const NAME_CHARS: usize = 200;
const DESCRIPTION_CHARS: usize = 2_000;
const EVIDENCE_CHARS: usize = 8_000;
const COMMENT_CHARS: usize = 4_000;
const REASON_CHARS: usize = 4_000;
const MAX_CRITERIA: usize = 30;
const MAX_REVIEWERS: usize = 10;
/// Files an application's evidence may hold, all criteria together.
pub const MAX_EVIDENCE_FILES: usize = 20;
/// A qualification is renewed within ten years at the latest.
const MAX_RENEWAL_YEARS: i16 = 10;

pub const OUTCOMES: [&str; 2] = ["qualified", "refused"];

/// One criterion as the staff write it: `id` to rewrite an existing one, none for a new one.
/// Criteria left out of the list are retired (kept for the evidence and opinions given on them).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CriterionInput {
    #[serde(default)]
    pub id: Option<i64>,
    pub name: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EvidenceInput {
    pub criterion_id: i64,
    #[serde(default)]
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct OpinionInput {
    pub criterion_id: i64,
    pub met: bool,
    #[serde(default)]
    pub comment: String,
}

/// qualified with a renewal date (`YYYY-MM-DD`, after today), or refused with a reason.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DecisionInput {
    pub outcome: String,
    #[serde(default)]
    pub renewal_on: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SubscriptionInput {
    pub organisation_id: i64,
    pub starts_on: String,
    pub ends_on: String,
}

/// How the viewer stands towards an application: what they may do with it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Staff,
    Applicant,
    Reviewer,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reviewer {
    pub person_id: i64,
    pub name: String,
    pub organisation_name: String,
}

/// An application as its viewer may read it: the staff see the reviewers and every opinion, a
/// reviewer their own opinions, the applicant neither (only the decision).
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationView {
    pub application: Application,
    pub organisation_name: String,
    pub standing: Standing,
    /// The criteria to answer: the active ones, and retired ones the evidence answers.
    pub criteria: Vec<Criterion>,
    pub evidence: Vec<Evidence>,
    /// Files backing the evidence, by criterion.
    pub files: Vec<EvidenceFile>,
    pub reviewers: Vec<Reviewer>,
    pub opinions: Vec<Opinion>,
}

/// An application in a list, with how the viewer stands towards it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationSummary {
    pub application: Application,
    pub organisation_name: String,
    pub standing: Standing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub code: String,
    pub label: String,
    pub count: usize,
}

/// What the whole cluster may know of the portfolio: how many, by activity, region and size; no
/// names.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioSummary {
    pub qualified: usize,
    pub by_naf_section: Vec<Count>,
    pub by_region: Vec<Count>,
    pub by_size: Vec<Count>,
}

/// A qualified supplier as subscribers read it.
#[derive(Debug, Clone, Serialize)]
pub struct PortfolioEntry {
    pub organisation_id: i64,
    pub name: String,
    pub naf_code: String,
    pub region_code: String,
    pub size: Option<String>,
    /// The day of the qualified decision in force, Paris time.
    pub qualified_on: String,
    pub renewal_on: String,
    /// Criteria a majority of the reviewers' opinions found met.
    pub criteria_met: Vec<String>,
    /// Whether the viewer's organisation lists this supplier now.
    pub on_my_list: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortfolioView {
    pub cluster_id: i64,
    pub summary: PortfolioSummary,
    /// The full list for the staff and subscribers; None for those who see the summary only.
    pub suppliers: Option<Vec<PortfolioEntry>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionView {
    pub subscription: Subscription,
    pub organisation_name: String,
    /// In force today.
    pub active: bool,
}

fn conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict(message.into())
}

/// Today's date in Paris, the date every rule of the portfolio is read in.
pub fn today() -> Date {
    paris::date(jiff::Timestamp::now())
}

fn parse_date(field: &str, text: &str) -> std::result::Result<Date, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            format!("{field} is required (YYYY-MM-DD)"),
        ));
    }
    text.parse::<Date>()
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("'{}' is not a date like 2027-06-30", excerpt(text)),
            )
        })
}

fn excerpt(text: &str) -> String {
    text.chars().take(40).collect()
}

pub fn iso(date: Date) -> String {
    date.strftime("%Y-%m-%d").to_string()
}

fn manage(actor: &Actor, cluster_id: i64) -> Result<()> {
    authorize(actor, &Action::ManagePortfolio { cluster_id }).map_err(|d| AppError::hiding(d, "cluster"))
}

/// The cluster exists and the viewer belongs to it (its committee is theirs to read).
async fn cluster_of_viewer(conn: &mut Conn, actor: &Actor, cluster_id: i64) -> Result<()> {
    clusters::get(conn, cluster_id)
        .await?
        .ok_or(AppError::NotFound("cluster"))?;
    authorize(actor, &Action::ViewCommittee { cluster_id }).map_err(|d| AppError::hiding(d, "cluster"))
}

/// How the actor stands towards an application, or a refusal that hides it.
async fn standing(conn: &mut Conn, actor: &Actor, application: &Application) -> Result<Standing> {
    let Actor::Person(principal) = actor else {
        return Err(AppError::Unauthenticated);
    };
    let cluster_id = application.cluster_id;
    if authorize(actor, &Action::ManagePortfolio { cluster_id }).is_ok() {
        return Ok(Standing::Staff);
    }
    let apply = Action::ApplyForQualification {
        cluster_id,
        organisation_id: application.organisation_id,
    };
    if authorize(actor, &apply).is_ok() {
        return Ok(Standing::Applicant);
    }
    let named = stored::reviewers(conn, application.id)
        .await?
        .contains(&principal.person_id);
    authorize(actor, &Action::ReviewQualification { named })
        .map_err(|d| AppError::hiding(d, "application"))?;
    Ok(Standing::Reviewer)
}

async fn load_application(conn: &mut Conn, id: i64) -> Result<Application> {
    stored::application(conn, id)
        .await?
        .ok_or(AppError::NotFound("application"))
}

/// The application, when the actor may act on it in `wanted` standing (else hidden or refused).
async fn application_as(conn: &mut Conn, actor: &Actor, id: i64, wanted: Standing) -> Result<Application> {
    let application = load_application(conn, id).await?;
    let standing = standing(conn, actor, &application).await?;
    if standing != wanted {
        return Err(AppError::Forbidden);
    }
    Ok(application)
}

/// The ids of the cluster's active criteria: the only ones evidence and opinions may name.
async fn active_criteria(conn: &mut Conn, cluster_id: i64) -> Result<Vec<i64>> {
    Ok(stored::criteria(conn, cluster_id)
        .await?
        .into_iter()
        .filter(|k| k.active)
        .map(|k| k.id)
        .collect())
}

fn unknown_criterion(field: &str, criterion_id: i64) -> FieldError {
    FieldError::new(
        field,
        format!("{criterion_id} is not a criterion of this qualification"),
    )
}

fn state_message(application: &Application, doing: &str) -> AppError {
    conflict(format!(
        "the application is {}: it cannot be {doing}",
        application.state.replace('_', " ")
    ))
}

/// The portfolio's counts by NAF section, region and size.
fn summarise(qualified: &[Qualified]) -> PortfolioSummary {
    let mut sections: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut regions: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut sizes: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for q in qualified {
        let (section, label) = domain::naf::NafCode::parse(&q.naf_code)
            .map(|naf| (naf.section().to_string(), naf.section_label_fr().to_owned()))
            .unwrap_or_else(|_| ("?".into(), String::new()));
        sections.entry(section).or_insert((label, 0)).1 += 1;
        let region = domain::geo::region(&q.region_code).map_or_else(String::new, |r| r.name.to_owned());
        regions.entry(q.region_code.clone()).or_insert((region, 0)).1 += 1;
        let size = q.size.clone().unwrap_or_else(|| "unknown".into());
        let label =
            domain::org::OrgSize::parse(&size).map_or_else(|_| String::new(), |s| s.label_fr().to_owned());
        sizes.entry(size).or_insert((label, 0)).1 += 1;
    }
    let counts = |map: BTreeMap<String, (String, usize)>| {
        map.into_iter()
            .map(|(code, (label, count))| Count { code, label, count })
            .collect()
    };
    PortfolioSummary {
        qualified: qualified.len(),
        by_naf_section: counts(sections),
        by_region: counts(regions),
        by_size: counts(sizes),
    }
}

/// The criteria a majority of the opinions given on them found met, by name.
fn criteria_met(criteria: &[Criterion], opinions: &[Opinion]) -> Vec<String> {
    criteria
        .iter()
        .filter(|k| {
            let on: Vec<&Opinion> = opinions.iter().filter(|o| o.criterion_id == k.id).collect();
            let met = on.iter().filter(|o| o.met).count();
            !on.is_empty() && met * 2 > on.len()
        })
        .map(|k| k.name.clone())
        .collect()
}

fn day_of(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|at| iso(paris::date(at)))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(id: i64, name: &str) -> Criterion {
        Criterion {
            id,
            cluster_id: 1,
            position: id,
            name: name.into(),
            description: String::new(),
            active: true,
        }
    }

    fn opinion(person_id: i64, criterion_id: i64, met: bool) -> Opinion {
        Opinion {
            person_id,
            criterion_id,
            met,
            comment: String::new(),
            updated_at: 0,
        }
    }

    #[test]
    fn a_criterion_is_met_when_most_opinions_say_so() {
        let criteria = [
            criterion(1, "ISO 9001"),
            criterion(2, "EN 9100"),
            criterion(3, "RSE"),
        ];
        let opinions = [
            opinion(10, 1, true),
            opinion(11, 1, true),
            opinion(10, 2, true),
            opinion(11, 2, false),
        ];
        assert_eq!(criteria_met(&criteria, &opinions), vec!["ISO 9001".to_owned()]);
    }

    #[test]
    fn dates_are_iso_days_only() {
        assert!(parse_date("d", "2027-06-30").is_ok());
        assert!(parse_date("d", "2027-6-30").is_err());
        assert!(parse_date("d", "30/06/2027").is_err());
        assert!(parse_date("d", "2027-02-30").is_err());
        assert!(parse_date("d", "").is_err());
    }
}
