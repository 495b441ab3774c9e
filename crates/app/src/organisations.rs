//! Registry of organisations: parsing what a person typed into validated fields, and the
//! create / update / read use-cases with their audit trail.

use crate::accounts::collect;
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};
use domain::geo;
use domain::naf::NafCode;
use domain::org::{OrgKind, size_category};
use domain::policy::{Action, Actor, OrgFacts, authorize};
use domain::siret::Siret;
use domain::text;
use serde::{Deserialize, Serialize};
use store::records::{Organisation, OrganisationFields};
use store::{Conn, StoreError, clusters, organisations};

/// An organisation as typed in a form or sent to the API, before validation.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct OrganisationInput {
    pub legal_name: String,
    /// company, research_lab, academic, association or public_body; company when empty.
    #[serde(default)]
    pub kind: String,
    /// 14 digits, spaces allowed; Luhn-checked (with La Poste's exception).
    pub siret: String,
    /// NAF rev.2 sub-class, e.g. 62.01Z.
    pub naf_code: String,
    #[serde(default)]
    pub address_line: String,
    #[serde(default)]
    pub postcode: String,
    /// INSEE commune code (code officiel géographique), e.g. 31555 for Toulouse.
    pub commune_code: String,
    pub headcount: i64,
    #[serde(default)]
    pub turnover_eur: Option<i64>,
    #[serde(default)]
    pub balance_sheet_eur: Option<i64>,
    #[serde(default)]
    pub website: Option<String>,
}

/// An organisation with the clusters it belongs to.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView {
    pub organisation: Organisation,
    pub clusters: Vec<i64>,
}

fn non_negative(field: &str, value: i64, errors: &mut Vec<FieldError>) -> Option<u64> {
    u64::try_from(value)
        .map_err(|_| errors.push(FieldError::new(field, "must not be negative")))
        .ok()
}

/// Validates every field at once so a form can show all its mistakes together.
pub fn parse_input(input: &OrganisationInput) -> Result<OrganisationFields> {
    let mut errors = Vec::new();
    let legal_name = collect(
        &mut errors,
        "legal_name",
        text::required("legal_name", &input.legal_name, 200),
    );
    let kind_text = if input.kind.trim().is_empty() {
        "company"
    } else {
        input.kind.trim()
    };
    let kind = collect(&mut errors, "kind", OrgKind::parse(kind_text));
    let siret = collect(&mut errors, "siret", Siret::parse(&input.siret));
    let naf = collect(&mut errors, "naf_code", NafCode::parse(&input.naf_code));
    let address_line = collect(
        &mut errors,
        "address_line",
        text::optional("address_line", &input.address_line, 200),
    );
    let commune = collect(
        &mut errors,
        "commune_code",
        geo::CommuneCode::parse_known(&input.commune_code),
    )
    .and_then(|code| code.commune());
    let postcode = input.postcode.trim();
    if let Some(commune) = commune
        && !postcode.is_empty()
        && !commune.postcode_matches(postcode)
    {
        errors.push(FieldError::new(
            "postcode",
            format!(
                "{postcode} is not a postcode of {} ({})",
                commune.name, commune.code
            ),
        ));
    }
    let headcount = non_negative("headcount", input.headcount, &mut errors);
    let turnover = input
        .turnover_eur
        .map(|v| non_negative("turnover_eur", v, &mut errors));
    let balance = input
        .balance_sheet_eur
        .map(|v| non_negative("balance_sheet_eur", v, &mut errors));
    let website = input
        .website
        .as_deref()
        .map(|w| collect(&mut errors, "website", text::optional("website", w, 200)))
        .unwrap_or(Some(None));
    if let Some(Some(site)) = &website
        && !(site.starts_with("https://") || site.starts_with("http://"))
    {
        errors.push(FieldError::new("website", "must start with http:// or https://"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let (
        Some(legal_name),
        Some(kind),
        Some(siret),
        Some(naf),
        Some(address_line),
        Some(commune),
        Some(headcount),
    ) = (legal_name, kind, siret, naf, address_line, commune, headcount)
    else {
        return Err(AppError::Internal(
            "validation passed with a missing field".into(),
        ));
    };
    let turnover = turnover.flatten();
    let balance = balance.flatten();
    let headcount_u32 = u32::try_from(headcount).unwrap_or(u32::MAX);
    // Size categories are defined for companies only; a lab or a public body has none.
    let size = (kind == OrgKind::Company).then(|| {
        size_category(headcount_u32, turnover, balance)
            .as_str()
            .to_owned()
    });
    Ok(OrganisationFields {
        legal_name,
        kind: kind.as_str().to_owned(),
        siren: siret.siren().as_str().to_owned(),
        siret: siret.as_str().to_owned(),
        naf_code: naf.as_str().to_owned(),
        address_line: address_line.unwrap_or_default(),
        postcode: if postcode.is_empty() {
            commune
                .postcodes
                .first()
                .map(|p| p.to_string())
                .unwrap_or_default()
        } else {
            postcode.to_owned()
        },
        commune_code: commune.code.to_owned(),
        department_code: commune.department_code.to_owned(),
        region_code: commune.region_code.to_owned(),
        headcount: headcount as i64,
        turnover_eur: turnover.map(|v| v as i64),
        balance_sheet_eur: balance.map(|v| v as i64),
        size,
        website: website.flatten(),
    })
}

fn duplicate_siret(siret: &str) -> impl FnOnce(StoreError) -> AppError + '_ {
    move |e| match e {
        StoreError::Duplicate(_) => {
            AppError::Conflict(format!("an organisation with SIRET {siret} already exists"))
        }
        other => other.into(),
    }
}

impl App {
    /// Registers an organisation and makes it a member of `cluster_id`.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        cluster_id: i64,
        input: &OrganisationInput,
    ) -> Result<Organisation> {
        authorize(actor, &Action::CreateOrganisation { cluster_id })?;
        let fields = parse_input(input)?;
        let mut tx = self.store.begin().await?;
        if clusters::get(&mut tx, cluster_id).await?.is_none() {
            return Err(AppError::NotFound("cluster"));
        }
        let id = organisations::insert(&mut tx, &fields)
            .await
            .map_err(duplicate_siret(&fields.siret))?;
        clusters::add_member(&mut tx, cluster_id, id).await?;
        let created = organisations::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("organisation"))?;
        Entry::by(actor, "create", "organisation", id)
            .after(&created)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(created)
    }

    #[tracing::instrument(skip(self, actor, input))]
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: i64,
        input: &OrganisationInput,
    ) -> Result<Organisation> {
        let mut tx = self.store.begin().await?;
        let view = visible_organisation(&mut tx, actor, id).await?;
        authorize(actor, &Action::UpdateOrganisation(view.facts()))?;
        let before = view.organisation;
        let fields = parse_input(input)?;
        organisations::update(&mut tx, id, &fields)
            .await
            .map_err(duplicate_siret(&fields.siret))?;
        let after = organisations::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("organisation"))?;
        Entry::by(actor, "update", "organisation", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }

    pub async fn organisation(&self, actor: &Actor, id: i64) -> Result<OrganisationView> {
        let mut conn = self.store.conn().await?;
        visible_organisation(&mut conn, actor, id).await
    }
}

/// Loads an organisation the actor may see, with its clusters. A missing and an invisible
/// organisation get the same answer, so ids outside one's reach reveal nothing.
pub(crate) async fn visible_organisation(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<OrganisationView> {
    let organisation = organisations::get(conn, id).await?;
    let clusters = clusters::of_organisation(conn, id).await?;
    authorize(
        actor,
        &Action::ViewOrganisation(OrgFacts {
            id,
            clusters: &clusters,
        }),
    )
    .map_err(|d| AppError::hiding(d, "organisation"))?;
    let organisation = organisation.ok_or(AppError::NotFound("organisation"))?;
    Ok(OrganisationView {
        organisation,
        clusters,
    })
}

impl OrganisationView {
    pub fn facts(&self) -> OrgFacts<'_> {
        OrgFacts {
            id: self.organisation.id,
            clusters: &self.clusters,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> OrganisationInput {
        OrganisationInput {
            legal_name: "Usinage Titane Occitanie".into(),
            kind: String::new(),
            siret: "732 829 320 00074".into(),
            naf_code: "2562B".into(),
            address_line: "3 allée des Ateliers".into(),
            postcode: "31000".into(),
            commune_code: "31555".into(),
            headcount: 48,
            turnover_eur: Some(6_500_000),
            balance_sheet_eur: None,
            website: Some("https://usinage-titane.example".into()),
        }
    }

    #[test]
    fn a_valid_input_is_normalised_and_located() {
        let fields = parse_input(&valid()).unwrap();
        assert_eq!(fields.siret, "73282932000074");
        assert_eq!(fields.siren, "732829320");
        assert_eq!(fields.naf_code, "25.62B");
        assert_eq!(
            (fields.department_code.as_str(), fields.region_code.as_str()),
            ("31", "76")
        );
        assert_eq!(fields.size.as_deref(), Some("sme"));
        assert_eq!(fields.kind, "company");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = OrganisationInput {
            legal_name: " ".into(),
            siret: "73282932000075".into(),
            naf_code: "99.99Z".into(),
            commune_code: "31555".into(),
            postcode: "75001".into(),
            headcount: -3,
            website: Some("ftp://x".into()),
            ..valid()
        };
        let Err(AppError::Invalid(errors)) = parse_input(&input) else {
            panic!("expected invalid")
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "legal_name",
                "siret",
                "naf_code",
                "postcode",
                "headcount",
                "website"
            ]
        );
        assert!(errors[1].message.contains("Luhn"), "{}", errors[1].message);
    }

    #[test]
    fn a_lab_has_no_size_category() {
        let input = OrganisationInput {
            kind: "research_lab".into(),
            naf_code: "72.19Z".into(),
            ..valid()
        };
        assert_eq!(parse_input(&input).unwrap().size, None);
    }

    #[test]
    fn a_large_headcount_makes_a_large_account() {
        let input = OrganisationInput {
            headcount: 12_000,
            turnover_eur: Some(4_000_000_000),
            ..valid()
        };
        assert_eq!(parse_input(&input).unwrap().size.as_deref(), Some("large"));
    }
}
