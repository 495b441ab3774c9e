//! "Similar companies": neighbours by the words of a profile, never the profile itself.

use search::{Audience, SearchError};

use crate::fixture::*;

#[test]
fn similar_companies_of_the_titanium_machinist_are_its_trade() {
    let index = index();
    let similar = index.similar(TITANIUM_MACHINING, Audience::Visitor, 5).unwrap();
    let found: Vec<i64> = similar.iter().map(|h| h.org_id).collect();
    assert!(!found.contains(&TITANIUM_MACHINING));
    assert!(!found.is_empty());
    // Its neighbours machine metal or serve aerospace; the biscuit maker is not among them.
    assert!(!found.contains(&9), "{found:?}");
    assert!(
        found.iter().take(3).any(|id| [
            ALUMINIUM_MACHINING,
            SURFACE_TREATMENT,
            MEDICAL_TITANIUM,
            16,
            10,
            COMPOSITES
        ]
        .contains(id)),
        "{found:?}"
    );
}

#[test]
fn similar_to_an_unknown_organisation_is_a_clear_error() {
    let error = index().similar(999_999, Audience::Member, 5).unwrap_err();
    assert!(matches!(error, SearchError::UnknownOrg(999_999)));
    assert!(error.to_string().contains("999999"), "{error}");
}
