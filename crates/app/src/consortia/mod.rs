//! Partner pools: tender opportunities with their requirements, the teams `domain::teams` proposes
//! from members' profiles, and consortia — invitations, a lead, a private workspace, and the joint
//! dossier submitted to a Passerelle call.
//!
//! An opportunity is one of the cluster's calls (linked: its title and deadline are the call's, and
//! only people who may see the call see the opportunity) or an external tender a member enters.
//! Each lot lists capabilities (the directory's vocabulary), certifications (names, compared like
//! the committee's eligibility rules: accents and case ignored, expired ones left out), regions
//! (INSEE codes) and a minimum headcount. A member covers a capability it ticks on its profile, a
//! certification it holds, a region it is located in or serves (profile's regions served).
//!
//! The team finder sees every requirement of every lot as one requirement to cover, and the largest
//! minimum headcount of the lots as the team's minimum (a team answers every lot with the same
//! people). A candidate's cost is 1 plus the number of requirements it does not cover: among teams
//! of one size, those whose members each bring more are preferred. Members that cover nothing are
//! left out, and the buyer of a linked call never answers its own call.

mod opportunities;
mod workspace;

pub use opportunities::*;
pub use workspace::*;

use domain::capability::CapabilityCode;
use domain::committee::eligibility::certifies;
use domain::profile::Profile;
use domain::text::search_key;
use serde::{Deserialize, Serialize};
use store::consortia::{Lot, MemberFacts, Requirement};

use crate::{AppError, FieldError};

pub const KINDS: [&str; 3] = ["capability", "certification", "region"];
/// Teams have at most this many members (k).
pub const MAX_TEAM_MEMBERS: usize = 8;
pub const DEFAULT_TEAM_MEMBERS: usize = 4;
/// Teams proposed at once.
pub const TEAMS_SHOWN: usize = 10;
pub const MESSAGE_CHARS: usize = 4_000;
/// The demo's external tender and its consortium (see `demo_consortia`).
pub const DEMO_TENDER_TITLE: &str = "Maintenance des bancs d'essais moteurs — marché régional";
pub const DEMO_CONSORTIUM_NAME: &str = "Groupement Usinage & Essais Occitanie";

/// One requirement with what people read of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementView {
    /// Its index among the opportunity's requirements (lot by lot, in order).
    pub index: usize,
    pub lot_position: i64,
    pub lot_name: String,
    pub kind: String,
    pub code: String,
    pub label: String,
}

/// Every requirement of the lots, in order, with its label in `locale`.
pub fn requirement_views(lots: &[Lot], locale: &str) -> Vec<RequirementView> {
    let mut out = Vec::new();
    for lot in lots {
        for r in &lot.requirements {
            out.push(RequirementView {
                index: out.len(),
                lot_position: lot.position,
                lot_name: lot.name.clone(),
                kind: r.kind.clone(),
                code: r.code.clone(),
                label: label(r, locale),
            });
        }
    }
    out
}

/// What a requirement reads as: a capability's or region's name, a certification as typed.
pub fn label(r: &Requirement, locale: &str) -> String {
    match r.kind.as_str() {
        "capability" => CapabilityCode::parse(&r.code)
            .map(|c| c.label(locale).to_owned())
            .unwrap_or_else(|_| r.code.clone()),
        "region" => domain::geo::region(&r.code)
            .map(|g| g.name.to_owned())
            .unwrap_or_else(|| r.code.clone()),
        _ => r.code.clone(),
    }
}

/// What a member brings, read from the registry and its profile on `today` (`YYYY-MM-DD`).
pub(crate) struct Brings {
    capabilities: Vec<String>,
    certifications: Vec<String>,
    regions: Vec<String>,
}

impl Brings {
    pub(crate) fn of(member: &MemberFacts, today: &str) -> Brings {
        let profile = member
            .profile
            .as_deref()
            .and_then(|json| serde_json::from_str::<Profile>(json).ok())
            .unwrap_or_default();
        let mut regions = profile.regions_served.value.clone();
        regions.push(member.region_code.clone());
        Brings {
            capabilities: profile
                .capability_terms
                .value
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            certifications: crate::committee::for_you::current_certifications(&profile, today)
                .iter()
                .map(|c| search_key(c))
                .collect(),
            regions,
        }
    }

    pub(crate) fn covers(&self, requirement: &Requirement) -> bool {
        match requirement.kind.as_str() {
            "capability" => self.capabilities.contains(&requirement.code),
            "certification" => {
                let required = search_key(&requirement.code);
                self.certifications.iter().any(|held| certifies(held, &required))
            }
            "region" => self.regions.contains(&requirement.code),
            _ => false,
        }
    }
}

/// A lot as someone types it; requirements as codes (capabilities, regions) or names.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LotInput {
    pub name: String,
    pub min_headcount: i64,
    pub capabilities: Vec<String>,
    pub certifications: Vec<String>,
    pub regions: Vec<String>,
}

const LOT_NAME_CHARS: usize = 200;
const CERTIFICATION_CHARS: usize = 80;
const MAX_LOTS: usize = 20;
const MAX_PER_KIND: usize = 20;
const MAX_HEADCOUNT: i64 = 1_000_000;

/// Checks the lots, naming each problem's field (`lots[1].capabilities[0]`); lot names left empty
/// take `default_names` at the same position, or "Lot n".
pub(crate) fn check_lots(inputs: &[LotInput], default_names: &[String]) -> Result<Vec<Lot>, AppError> {
    let mut errors = Vec::new();
    if inputs.is_empty() {
        errors.push(FieldError::new(
            "lots",
            "give at least one lot with its requirements",
        ));
    }
    if inputs.len() > MAX_LOTS {
        errors.push(FieldError::new("lots", format!("at most {MAX_LOTS} lots")));
    }
    let mut lots = Vec::new();
    for (i, input) in inputs.iter().enumerate().take(MAX_LOTS) {
        let field = |rest: &str| format!("lots[{i}].{rest}");
        let name = match domain::text::optional("name", &input.name, LOT_NAME_CHARS) {
            Ok(Some(name)) => name,
            Ok(None) => default_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("Lot {}", i + 1)),
            Err(e) => {
                errors.push(FieldError::new(&field("name"), e));
                String::new()
            }
        };
        if !(0..=MAX_HEADCOUNT).contains(&input.min_headcount) {
            errors.push(FieldError::new(
                &field("min_headcount"),
                format!("a minimum headcount is between 0 and {MAX_HEADCOUNT}"),
            ));
        }
        let mut requirements = Vec::new();
        let errors_before = errors.len();
        for (kind, values) in [
            ("capabilities", &input.capabilities),
            ("certifications", &input.certifications),
            ("regions", &input.regions),
        ] {
            if values.len() > MAX_PER_KIND {
                errors.push(FieldError::new(
                    &field(kind),
                    format!("at most {MAX_PER_KIND} {kind} per lot"),
                ));
                continue;
            }
            for (j, value) in values.iter().enumerate() {
                let here = field(&format!("{kind}[{j}]"));
                let value = value.trim();
                if value.is_empty() {
                    continue;
                }
                match kind {
                    "capabilities" => match CapabilityCode::parse(value) {
                        Ok(code) => requirements.push(Requirement {
                            kind: "capability".into(),
                            code: code.as_str().to_owned(),
                        }),
                        Err(e) => errors.push(FieldError::new(&here, e)),
                    },
                    "regions" => match domain::geo::region(value) {
                        Some(region) => requirements.push(Requirement {
                            kind: "region".into(),
                            code: region.code.to_owned(),
                        }),
                        None => errors.push(FieldError::new(
                            &here,
                            format!(
                                "unknown region '{}'; give an INSEE region code such as 84",
                                value.chars().take(40).collect::<String>()
                            ),
                        )),
                    },
                    _ => match domain::text::required("certification", value, CERTIFICATION_CHARS) {
                        Ok(name) => requirements.push(Requirement {
                            kind: "certification".into(),
                            code: name,
                        }),
                        Err(e) => errors.push(FieldError::new(&here, e)),
                    },
                }
            }
        }
        requirements.sort_by_cached_key(|r| (r.kind.clone(), search_key(&r.code)));
        requirements.dedup_by(|a, b| a.kind == b.kind && search_key(&a.code) == search_key(&b.code));
        if requirements.is_empty() && errors.len() == errors_before {
            errors.push(FieldError::new(
                &field("capabilities"),
                "a lot needs at least one requirement: a capability, a certification or a region",
            ));
        }
        lots.push(Lot {
            position: i as i64 + 1,
            name,
            min_headcount: input.min_headcount,
            requirements,
        });
    }
    if errors.is_empty() {
        Ok(lots)
    } else {
        Err(AppError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lot(capabilities: &[&str], regions: &[&str]) -> LotInput {
        LotInput {
            name: String::new(),
            min_headcount: 0,
            capabilities: capabilities.iter().map(|s| s.to_string()).collect(),
            certifications: vec!["ISO 9001".into(), "iso 9001".into()],
            regions: regions.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn lots_take_known_codes_and_default_names() {
        let code = CapabilityCode::all().next().unwrap().as_str();
        let lots = check_lots(&[lot(&[code], &["84"])], &["Usinage".into()]).unwrap();
        assert_eq!(lots[0].name, "Usinage");
        assert_eq!(lots[0].requirements.len(), 3, "{:?}", lots[0].requirements);
    }

    #[test]
    fn unknown_codes_and_empty_lots_are_named() {
        let Err(AppError::Invalid(errors)) = check_lots(&[lot(&["teleportation"], &["99"])], &[]) else {
            panic!("refused");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["lots[0].capabilities[0]", "lots[0].regions[0]"]);
        let Err(AppError::Invalid(errors)) = check_lots(&[LotInput::default()], &[]) else {
            panic!("refused");
        };
        assert_eq!(errors[0].field, "lots[0].capabilities");
        assert!(check_lots(&[], &[]).is_err());
    }

    #[test]
    fn requirements_differing_only_in_case_count_once_wherever_they_sort() {
        let input = LotInput {
            certifications: vec!["ISO 9001".into(), "JIS Q 9100".into(), "iso 9001".into()],
            ..LotInput::default()
        };
        let lots = check_lots(&[input], &[]).unwrap();
        let codes: Vec<&str> = lots[0].requirements.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["ISO 9001", "JIS Q 9100"]);
    }

    #[test]
    fn a_more_precise_edition_of_a_certification_covers_the_requirement() {
        let brings = Brings {
            capabilities: vec![],
            certifications: vec![search_key("ISO 9001:2015")],
            regions: vec![],
        };
        let required = |code: &str| Requirement {
            kind: "certification".into(),
            code: code.into(),
        };
        assert!(brings.covers(&required("ISO 9001")));
        assert!(brings.covers(&required("iso 9001:2015")));
        assert!(!brings.covers(&required("ISO 90012")));
        assert!(!brings.covers(&required("ISO 14001")));
    }
}
