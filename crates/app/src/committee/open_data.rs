//! A call for proposals as open data: an Open Contracting Data Standard 1.1 release package with
//! one release describing the call (parties, buyer, tender with its lots, weighted criteria and
//! documents) and, once decided, its awards. Whoever may read the call may read its package.
//!
//! What is disclosed follows the call's life: tenderers only once the call has closed (before,
//! even their number would tell competitors something), and then only for a public call or to its
//! buyer side — the candidates of a members-only or invited call are competitors reading the same
//! package, and who else answered is not theirs to know; awards only from published "listed"
//! decisions in force (a correction replaces the decision it corrects).

use domain::committee::{CallState, CallVisibility};
use domain::policy::{Action, Actor, authorize};
use jiff::Timestamp;
use serde_json::{Value, json};
use store::committee::calls::{self as calls_store, Call, CallParts};
use store::committee::dossiers::{self, Submission};
use store::committee::evaluation as evaluation_store;
use store::records::Organisation;
use store::{Conn, clusters, organisations};

use super::{LoadedCall, instant, load_call};
use crate::{App, AppError, Result};

/// The prefix of every Open Contracting ID this installation publishes. OCDS asks publishers to
/// register their own with the Open Contracting Partnership; this one says the data comes from
/// Passerelle and is unregistered. An installation that registers one changes it here.
pub const OCID_PREFIX: &str = "ocds-passerelle";

/// The OCDS version the packages follow (major.minor, as the package's `version` field wants).
pub const OCDS_VERSION: &str = "1.1";

/// The OCDS lots extension, which gives `tender.lots` and `awards[].relatedLots` their meaning.
pub const LOTS_EXTENSION: &str =
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json";

/// The identifier scheme of French companies in org-id.guide: the SIREN number.
const ORG_SCHEME: &str = "FR-RCS";

/// An instant as ISO 8601 with its Paris offset, the form OCDS dates take.
pub(crate) fn iso(ms: i64) -> String {
    instant(ms)
        .to_zoned_datetime(domain::committee::paris::paris())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The Open Contracting ID of a call.
pub fn ocid(call_id: i64) -> String {
    format!("{OCID_PREFIX}-{call_id}")
}

fn party_id(organisation: &Organisation) -> String {
    format!("{ORG_SCHEME}-{}", organisation.siren)
}

fn reference(organisation: &Organisation) -> Value {
    json!({ "id": party_id(organisation), "name": organisation.legal_name })
}

/// A party with its roles; an organisation appears once whatever roles it plays.
fn party(organisation: &Organisation, roles: &[&str]) -> Value {
    let region = domain::geo::region(&organisation.region_code)
        .map(|r| r.name.to_owned())
        .unwrap_or_default();
    json!({
        "id": party_id(organisation),
        "name": organisation.legal_name,
        "identifier": {
            "scheme": ORG_SCHEME,
            "id": organisation.siren,
            "legalName": organisation.legal_name,
        },
        "address": {
            "streetAddress": organisation.address_line,
            "postalCode": organisation.postcode,
            "region": region,
            "countryName": "France",
        },
        "roles": roles,
    })
}

/// The tender's status in OCDS's closed codelist.
fn tender_status(state: CallState, awarded: bool) -> &'static str {
    match state {
        CallState::Draft => "planning",
        CallState::Published | CallState::Closed => "active",
        CallState::Decided if awarded => "complete",
        CallState::Decided => "unsuccessful",
        CallState::Cancelled => "cancelled",
    }
}

fn release_tags(state: CallState, amended: bool) -> Vec<&'static str> {
    match state {
        CallState::Draft => vec!["planning"],
        CallState::Published | CallState::Closed if amended => vec!["tender", "tenderAmendment"],
        CallState::Published | CallState::Closed => vec!["tender"],
        CallState::Decided => vec!["tender", "award"],
        CallState::Cancelled => vec!["tenderCancellation"],
    }
}

/// open: anyone may answer; selective: the cluster's members only; limited: invited suppliers.
fn procurement_method(visibility: CallVisibility) -> (&'static str, &'static str) {
    match visibility {
        CallVisibility::Public => ("open", "Appel ouvert à toute entreprise"),
        CallVisibility::Members => ("selective", "Appel réservé aux membres du pôle"),
        CallVisibility::Invited => ("limited", "Appel sur invitation"),
    }
}

fn lot_id(position: i64) -> String {
    format!("lot-{position}")
}

/// The weighted criteria in words: "Innovation (40 %) : …; Prix (60 %)".
fn criteria_details(parts: &CallParts) -> String {
    parts
        .criteria
        .iter()
        .map(|k| {
            let mut text = format!("{} ({} %, noté sur {})", k.name, k.weight, k.scale_max);
            if !k.description.is_empty() {
                text.push_str(" : ");
                text.push_str(&k.description);
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A listed supplier's award, from its decision in force.
struct Award {
    decision_id: i64,
    published_at: i64,
    supplier: Organisation,
    lots: Vec<i64>,
}

/// Everything a package is made from, read in one go.
struct Sources {
    call: Call,
    state: CallState,
    visibility: CallVisibility,
    parts: CallParts,
    cluster_name: String,
    buyer: Organisation,
    documents: Vec<calls_store::CallDocument>,
    amendments: Vec<calls_store::Amendment>,
    /// None while the dossiers are sealed (before closing): nothing about tenderers is told.
    tenderers: Option<Vec<Organisation>>,
    awards: Vec<Award>,
}

async fn organisation(conn: &mut Conn, id: i64) -> Result<Organisation> {
    organisations::get(conn, id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("organisation {id} is missing")))
}

/// The decision in force on each submitted dossier, when published and "listed".
async fn awards(conn: &mut Conn, submissions: &[Submission]) -> Result<Vec<Award>> {
    let mut awards = Vec::new();
    for submission in submissions {
        let in_force = evaluation_store::decisions(conn, submission.version.dossier_id)
            .await?
            .into_iter()
            .rev()
            .find(|d| d.published_at.is_some());
        if let Some(decision) = in_force.filter(|d| d.outcome == "listed") {
            awards.push(Award {
                decision_id: decision.id,
                published_at: decision.published_at.unwrap_or_default(),
                supplier: organisation(conn, submission.organisation_id).await?,
                lots: submission.version.lots.clone(),
            });
        }
    }
    Ok(awards)
}

async fn sources(
    conn: &mut Conn,
    loaded: LoadedCall,
    now: Timestamp,
    disclose_tenderers: bool,
) -> Result<Sources> {
    let call_id = loaded.call.id;
    let cluster_name = clusters::get(conn, loaded.call.cluster_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let buyer = organisation(conn, loaded.call.buyer_id).await?;
    let (tenderers, awards) = if loaded.sealed(now) {
        (None, Vec::new())
    } else {
        let submissions = dossiers::unsealed_submissions(conn, call_id, now.as_millisecond()).await?;
        let mut tenderers = Vec::with_capacity(submissions.len());
        for submission in &submissions {
            tenderers.push(organisation(conn, submission.organisation_id).await?);
        }
        (
            disclose_tenderers.then_some(tenderers),
            awards(conn, &submissions).await?,
        )
    };
    Ok(Sources {
        parts: calls_store::parts(conn, call_id).await?,
        documents: calls_store::documents(conn, call_id).await?,
        amendments: calls_store::amendments(conn, call_id).await?,
        state: loaded.state,
        visibility: loaded.visibility,
        call: loaded.call,
        cluster_name,
        buyer,
        tenderers,
        awards,
    })
}

impl Sources {
    /// The last change the package reflects: OCDS wants an on-demand package dated by its data.
    fn last_change(&self) -> i64 {
        let amended = self.amendments.iter().map(|a| a.at);
        let awarded = self.awards.iter().map(|a| a.published_at);
        [self.call.updated_at, self.call.state_changed_at]
            .into_iter()
            .chain(self.call.published_at)
            .chain(amended)
            .chain(awarded)
            .max()
            .unwrap_or(self.call.created_at)
    }

    fn parties(&self) -> Vec<Value> {
        let mut parties: Vec<(&Organisation, Vec<&str>)> =
            vec![(&self.buyer, vec!["buyer", "procuringEntity"])];
        let tenderers = self.tenderers.iter().flatten().map(|o| (o, "tenderer"));
        let suppliers = self.awards.iter().map(|a| (&a.supplier, "supplier"));
        for (organisation, role) in tenderers.chain(suppliers) {
            match parties.iter_mut().find(|(o, _)| o.id == organisation.id) {
                Some((_, roles)) => roles.push(role),
                None => parties.push((organisation, vec![role])),
            }
        }
        parties.into_iter().map(|(o, roles)| party(o, &roles)).collect()
    }

    fn tender(&self, ocid: &str, site: &str) -> Value {
        let call = &self.call;
        let (method, method_details) = procurement_method(self.visibility);
        let mut tender = json!({
            "id": format!("{ocid}-tender"),
            "title": call.title,
            "description": call.description,
            "status": tender_status(self.state, !self.awards.is_empty()),
            "procuringEntity": reference(&self.buyer),
            "mainProcurementCategory": call.category,
            "procurementMethod": method,
            "procurementMethodDetails": method_details,
            "tenderPeriod": { "startDate": iso(call.opens_at), "endDate": iso(call.closes_at) },
            "submissionMethod": ["electronicSubmission"],
        });
        if !self.parts.criteria.is_empty() {
            tender["awardCriteria"] = json!("ratedCriteria");
            tender["awardCriteriaDetails"] = json!(criteria_details(&self.parts));
        }
        if !self.parts.lots.is_empty() {
            tender["lots"] = self
                .parts
                .lots
                .iter()
                .zip(1i64..)
                .map(|(lot, position)| {
                    json!({
                        "id": lot_id(position),
                        "title": lot.name,
                        "description": lot.description,
                        "status": tender_status(self.state, !self.awards.is_empty()),
                    })
                })
                .collect();
        }
        if !self.documents.is_empty() {
            tender["documents"] = self
                .documents
                .iter()
                .map(|d| {
                    json!({
                        "id": d.id.to_string(),
                        "documentType": "biddingDocuments",
                        "title": d.file.file_name,
                        "url": format!("{site}/api/v1/calls/{}/documents/{}", d.call_id, d.id),
                        "format": d.file.content_type,
                        "datePublished": iso(d.added_at),
                    })
                })
                .collect();
        }
        let mut amendments: Vec<Value> = self
            .amendments
            .iter()
            .map(|a| json!({ "id": a.id.to_string(), "date": iso(a.at), "description": a.text }))
            .collect();
        // OCDS 1.1 has no field for why a tender was cancelled; an amendment's rationale is where
        // its readers look for why the tender changed.
        if let (CallState::Cancelled, Some(reason)) = (self.state, &self.call.cancel_reason) {
            amendments.push(json!({
                "id": "cancellation",
                "date": iso(self.call.state_changed_at),
                "description": "Appel annulé / Call cancelled",
                "rationale": reason,
            }));
        }
        if !amendments.is_empty() {
            tender["amendments"] = json!(amendments);
        }
        if let Some(tenderers) = &self.tenderers {
            tender["numberOfTenderers"] = json!(tenderers.len());
            tender["tenderers"] = tenderers.iter().map(reference).collect();
        }
        tender
    }

    fn awards(&self, ocid: &str) -> Vec<Value> {
        self.awards
            .iter()
            .map(|award| {
                let mut value = json!({
                    "id": format!("{ocid}-award-{}", award.decision_id),
                    "title": self.call.title,
                    "status": "active",
                    "date": iso(award.published_at),
                    "suppliers": [reference(&award.supplier)],
                });
                if !award.lots.is_empty() {
                    value["relatedLots"] = award.lots.iter().map(|p| json!(lot_id(*p))).collect();
                }
                value
            })
            .collect()
    }

    /// The package as published from `site` (the installation's public URL, no trailing slash).
    fn package(&self, site: &str) -> Value {
        let ocid = ocid(self.call.id);
        let date = iso(self.last_change());
        let release = json!({
            "ocid": ocid,
            "id": format!("{ocid}-{}-{}", self.state.as_str(), self.last_change()),
            "date": date,
            "tag": release_tags(self.state, !self.amendments.is_empty()),
            "initiationType": "tender",
            "language": "fr",
            "parties": self.parties(),
            "buyer": reference(&self.buyer),
            "tender": self.tender(&ocid, site),
            "awards": self.awards(&ocid),
        });
        let mut package = json!({
            "uri": format!("{site}/api/v1/calls/{}/ocds", self.call.id),
            "version": OCDS_VERSION,
            "publishedDate": date,
            "publisher": { "name": format!("Passerelle — {}", self.cluster_name) },
            "releases": [release],
        });
        if !self.parts.lots.is_empty() {
            package["extensions"] = json!([LOTS_EXTENSION]);
        }
        package
    }
}

impl App {
    /// The call as an OCDS 1.1 release package, for whoever may read the call.
    pub async fn call_ocds(&self, actor: &Actor, call_id: i64) -> Result<Value> {
        let mut conn = self.store.conn().await?;
        let loaded = load_call(&mut conn, call_id).await?;
        authorize(actor, &Action::ViewCall(loaded.facts())).map_err(|d| AppError::hiding(d, "call"))?;
        let buyer_side = Action::ManageCall {
            cluster_id: loaded.call.cluster_id,
            buyer_id: loaded.call.buyer_id,
        };
        let disclose_tenderers =
            loaded.visibility == CallVisibility::Public || authorize(actor, &buyer_side).is_ok();
        let sources = sources(&mut conn, loaded, Timestamp::now(), disclose_tenderers).await?;
        Ok(sources.package(self.config.public_url.trim_end_matches('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_carry_the_paris_offset_of_their_season() {
        // 2027-01-09 11:00 UTC is noon in Paris (winter), 2027-07-09 10:00 UTC is noon (summer).
        assert_eq!(iso(1_799_492_400_000), "2027-01-09T12:00:00+01:00");
        assert_eq!(iso(1_815_127_200_000), "2027-07-09T12:00:00+02:00");
    }

    #[test]
    fn statuses_and_tags_follow_the_call() {
        assert_eq!(tender_status(CallState::Decided, true), "complete");
        assert_eq!(tender_status(CallState::Decided, false), "unsuccessful");
        assert_eq!(tender_status(CallState::Cancelled, false), "cancelled");
        assert_eq!(
            release_tags(CallState::Published, true),
            ["tender", "tenderAmendment"]
        );
        assert_eq!(release_tags(CallState::Cancelled, false), ["tenderCancellation"]);
        assert_eq!(ocid(12), "ocds-passerelle-12");
    }
}
