//! Rows as the store returns them. Values here were validated by the domain before being written;
//! the store does not re-validate what it reads back.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Cluster {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub created_at: i64,
}

/// A stored organisation: its registry fields plus identity and timestamps. It dereferences to
/// its fields, so `organisation.legal_name` reads naturally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub fields: OrganisationFields,
    pub created_at: i64,
    pub updated_at: i64,
}

impl std::ops::Deref for Organisation {
    type Target = OrganisationFields;

    fn deref(&self) -> &OrganisationFields {
        &self.fields
    }
}

/// Everything needed to write an organisation; the store derives the search key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OrganisationFields {
    pub legal_name: String,
    pub kind: String,
    pub siren: String,
    pub siret: String,
    pub naf_code: String,
    pub address_line: String,
    pub postcode: String,
    pub commune_code: String,
    pub department_code: String,
    pub region_code: String,
    pub headcount: i64,
    pub turnover_eur: Option<i64>,
    pub balance_sheet_eur: Option<i64>,
    /// Derived size category (`sme`, `mid_cap`, `large`); none for labs and public bodies.
    pub size: Option<String>,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: Option<String>,
    pub locale: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Person {
    /// First and last name, as pages, agendas, exports and mails show a person.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub organisation_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub job_title: Option<String>,
    pub locale: String,
    pub password_hash: Option<String>,
}

/// A role held by a person: `scope_kind` is `cluster` or `organisation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GrantRow {
    pub role: String,
    pub scope_kind: String,
    pub scope_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub organisation_id: i64,
    pub role: String,
    pub cluster_id: Option<i64>,
    pub invited_by: i64,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub person_id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_person_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// One page of a listing with the total count, so pages can be numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
}
