//! The API's JSON shapes. They mirror the store's records but are the public contract: a
//! column added to a table does not appear here until it is meant to.

use serde::Serialize;
use store::records;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: i64,
    pub legal_name: String,
    /// company, research_lab, academic, association or public_body.
    pub kind: String,
    pub siren: String,
    pub siret: String,
    pub naf_code: String,
    pub naf_label: Option<String>,
    pub address_line: String,
    pub postcode: String,
    pub commune_code: String,
    pub commune_name: Option<String>,
    pub department_code: String,
    pub region_code: String,
    pub headcount: i64,
    pub turnover_eur: Option<i64>,
    pub balance_sheet_eur: Option<i64>,
    /// sme, mid_cap or large (French statistical definitions); absent for non-companies.
    pub size: Option<String>,
    pub website: Option<String>,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<records::Organisation> for Organisation {
    fn from(o: records::Organisation) -> Self {
        let records::Organisation {
            id,
            fields: f,
            created_at,
            updated_at,
        } = o;
        Organisation {
            naf_label: domain::naf::NafCode::parse(&f.naf_code)
                .ok()
                .map(|c| c.label_fr().to_owned()),
            commune_name: domain::geo::commune(&f.commune_code).map(|c| c.name.to_owned()),
            id,
            legal_name: f.legal_name,
            kind: f.kind,
            siren: f.siren,
            siret: f.siret,
            naf_code: f.naf_code,
            address_line: f.address_line,
            postcode: f.postcode,
            commune_code: f.commune_code,
            department_code: f.department_code,
            region_code: f.region_code,
            headcount: f.headcount,
            turnover_eur: f.turnover_eur,
            balance_sheet_eur: f.balance_sheet_eur,
            size: f.size,
            website: f.website,
            created_at,
            updated_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: Option<String>,
}

impl From<records::Person> for Person {
    fn from(p: records::Person) -> Self {
        Person {
            id: p.id,
            organisation_id: p.organisation_id,
            email: p.email,
            first_name: p.first_name,
            last_name: p.last_name,
            job_title: p.job_title,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Cluster {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

impl From<records::Cluster> for Cluster {
    fn from(c: records::Cluster) -> Self {
        Cluster {
            id: c.id,
            name: c.name,
            slug: c.slug,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OrganisationPage {
    pub items: Vec<Organisation>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}
