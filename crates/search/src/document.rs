//! What the index knows about one organisation's capability profile, as the store hands it over.
//! Every free-text field carries the visibility its owner chose; structured facets are public.

use domain::naf::NafCode;
use domain::org::OrgSize;
use serde::{Deserialize, Serialize};

/// The store's primary key of an organisation.
pub type OrgId = i64;

// The SME chooses a visibility per field of its profile; the index keeps that choice.
pub use domain::profile::{Offer, Visibility, Visible};

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
    /// `None` for organisations without a size category (labs, public bodies, associations).
    pub size: Option<OrgSize>,
    pub certifications: Vec<String>,
    pub labels: Vec<String>,
    pub clusters: Vec<i64>,
}
