//! What the index knows about one organisation's capability profile, as the store hands it over.
//! Every free-text field carries the visibility its owner chose; structured facets are public.

use domain::naf::NafCode;
use domain::org::OrgSize;
use serde::{Deserialize, Serialize};

/// The store's primary key of an organisation.
pub type OrgId = i64;

/// Who may read a field, as chosen by the SME for each field of its profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Shown in the public directory: visitors search it and see it in snippets.
    #[default]
    Public,
    /// Shown to signed-in members of the platform only.
    Members,
}

/// A value together with the visibility its owner chose for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Visible<T> {
    pub value: T,
    pub visibility: Visibility,
}

impl<T> Visible<T> {
    pub fn public(value: T) -> Self {
        Visible {
            value,
            visibility: Visibility::Public,
        }
    }

    pub fn members(value: T) -> Self {
        Visible {
            value,
            visibility: Visibility::Members,
        }
    }
}

/// A product or service the organisation sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub title: String,
    pub description: String,
    pub visibility: Visibility,
}

/// One organisation's searchable profile.
///
/// The name and the structured attributes (NAF code, place, size, certifications, labels,
/// clusters) are public: they are what the public directory lists. Free text is public or
/// members-only field by field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDoc {
    pub org_id: OrgId,
    pub name: String,
    pub presentation: Visible<String>,
    pub offers: Vec<Offer>,
    /// Terms of the controlled capability vocabulary, e.g. "Usinage 5 axes".
    pub capability_terms: Visible<Vec<String>>,
    /// The SME's own words about what it can do.
    pub capabilities_text: Visible<String>,
    pub naf: NafCode,
    /// INSEE region code, e.g. `76` for Occitanie.
    pub region: String,
    /// INSEE department code, e.g. `31`.
    pub department: String,
    pub size: OrgSize,
    pub certifications: Vec<String>,
    pub labels: Vec<String>,
    pub clusters: Vec<i64>,
}
