//! Whether a candidate organisation may answer a call, and if not, every reason why — as data, so
//! that recommendations can explain themselves and pages can translate the reasons.

use serde::Serialize;

use crate::committee::call::Eligibility;
use crate::org::OrgSize;
use crate::text::search_key;

/// What the eligibility rules need to know about a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CandidateFacts {
    /// None for organisations that have no size category (labs, public bodies).
    pub size: Option<OrgSize>,
    /// The certifications it currently holds (the caller leaves out expired ones).
    pub certifications: Vec<String>,
    /// INSEE codes of the regions it is established in.
    pub regions: Vec<String>,
}

/// One reason a candidate may not answer a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Ineligibility {
    WrongSize {
        size: Option<OrgSize>,
        allowed: Vec<OrgSize>,
    },
    MissingCertification {
        name: String,
    },
    RegionNotAccepted {
        regions: Vec<String>,
        accepted: Vec<String>,
    },
}

impl Ineligibility {
    /// The reason's code, the key of its translation.
    pub fn code(&self) -> &'static str {
        match self {
            Ineligibility::WrongSize { .. } => "wrong_size",
            Ineligibility::MissingCertification { .. } => "missing_certification",
            Ineligibility::RegionNotAccepted { .. } => "region_not_accepted",
        }
    }
}

/// Every reason `candidate` may not answer a call with these rules; empty when it may.
pub fn check(call: &Eligibility, candidate: &CandidateFacts) -> Vec<Ineligibility> {
    let mut reasons = Vec::new();
    if !call.sizes.is_empty() && !candidate.size.is_some_and(|s| call.sizes.contains(&s)) {
        reasons.push(Ineligibility::WrongSize {
            size: candidate.size,
            allowed: call.sizes.clone(),
        });
    }
    let held: Vec<String> = candidate.certifications.iter().map(|c| search_key(c)).collect();
    for required in &call.certifications {
        if !held.iter().any(|h| certifies(h, &search_key(required))) {
            reasons.push(Ineligibility::MissingCertification {
                name: required.clone(),
            });
        }
    }
    if !call.regions.is_empty() && !candidate.regions.iter().any(|r| call.regions.contains(r)) {
        reasons.push(Ineligibility::RegionNotAccepted {
            regions: candidate.regions.clone(),
            accepted: call.regions.clone(),
        });
    }
    reasons
}

/// A held certification satisfies a required one when their names match ignoring case, accents and
/// punctuation, or when the held one is a more precise edition of it: "ISO 9001:2015" satisfies
/// "ISO 9001", but "ISO 90012" does not. Both names come as `search_key`s. (Partner pools match
/// members' certifications against an opportunity's requirements with it too.)
pub fn certifies(held_key: &str, required_key: &str) -> bool {
    !required_key.is_empty()
        && held_key
            .strip_prefix(required_key)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rules() -> Eligibility {
        Eligibility {
            sizes: vec![OrgSize::Sme, OrgSize::MidCap],
            certifications: vec!["EN 9100".into(), "ISO 14001".into()],
            regions: vec!["76".into(), "75".into()],
        }
    }

    fn sme() -> CandidateFacts {
        CandidateFacts {
            size: Some(OrgSize::Sme),
            certifications: vec!["en9100".into(), "EN-9100".into(), "ISO 14001:2015".into()],
            regions: vec!["76".into()],
        }
    }

    #[test]
    fn a_candidate_meeting_every_rule_is_eligible() {
        let mut candidate = sme();
        candidate.certifications = vec!["EN 9100".into(), "iso 14001 : 2015".into()];
        assert_eq!(check(&rules(), &candidate), []);
        assert_eq!(check(&Eligibility::default(), &CandidateFacts::default()), []);
    }

    #[test]
    fn every_reason_is_given() {
        let candidate = CandidateFacts {
            size: Some(OrgSize::Large),
            certifications: vec!["ISO 140012".into()],
            regions: vec!["84".into()],
        };
        let reasons = check(&rules(), &candidate);
        assert_eq!(
            reasons,
            [
                Ineligibility::WrongSize {
                    size: Some(OrgSize::Large),
                    allowed: vec![OrgSize::Sme, OrgSize::MidCap]
                },
                Ineligibility::MissingCertification {
                    name: "EN 9100".into()
                },
                Ineligibility::MissingCertification {
                    name: "ISO 14001".into()
                },
                Ineligibility::RegionNotAccepted {
                    regions: vec!["84".into()],
                    accepted: vec!["76".into(), "75".into()]
                },
            ]
        );
        assert_eq!(
            serde_json::to_value(&reasons[1]).unwrap(),
            serde_json::json!({"code": "missing_certification", "name": "EN 9100"})
        );
        assert_eq!(reasons[3].code(), "region_not_accepted");
    }

    #[test]
    fn an_organisation_without_a_size_fails_a_size_rule_only() {
        let lab = CandidateFacts { size: None, ..sme() };
        let reasons = check(&rules(), &lab);
        // "en9100" is not "EN 9100" (one word against two), "EN-9100" is.
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert_eq!(reasons[0].code(), "wrong_size");
    }

    proptest! {
        #[test]
        fn no_rules_means_everybody_is_eligible(name in "\\PC{0,20}", region in "[0-9]{2}") {
            let candidate = CandidateFacts { size: None, certifications: vec![name], regions: vec![region] };
            prop_assert!(check(&Eligibility::default(), &candidate).is_empty());
        }

        #[test]
        fn holding_the_exact_name_always_certifies(name in "[A-Za-z0-9 ]{1,20}") {
            prop_assume!(!search_key(&name).is_empty());
            let rules = Eligibility { certifications: vec![name.clone()], ..Eligibility::default() };
            let candidate = CandidateFacts { certifications: vec![name.to_uppercase()], ..CandidateFacts::default() };
            prop_assert!(check(&rules, &candidate).is_empty());
        }
    }
}
