//! A call for proposals as a buyer writes it — lots, eligibility, weighted criteria, opening and
//! closing instants, visibility — the validation of what was typed, and the life of its state.
//!
//! [`CallInput`] holds what a form or the API sent (everything as text, times in Paris wall-clock
//! time); [`Call`] is the validated value. Instants are `jiff::Timestamp`.

use std::collections::BTreeSet;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::committee::paris;
use crate::geo;
use crate::org::OrgSize;
use crate::text::{self, TextError, search_key};

/// What is bought, in the Open Contracting Data Standard's terms (`mainProcurementCategory`), so
/// that a call exports as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Goods,
    Services,
    Works,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Goods, Category::Services, Category::Works];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Goods => "goods",
            Category::Services => "services",
            Category::Works => "works",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == code.trim())
    }
}

/// Who may see a call and submit a dossier to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallVisibility {
    /// Anyone, visitors included; any member organisation may answer.
    Public,
    /// Signed-in members of the cluster that runs the committee.
    Members,
    /// Only the organisations the buyer invited.
    Invited,
}

impl CallVisibility {
    pub const ALL: [CallVisibility; 3] = [
        CallVisibility::Public,
        CallVisibility::Members,
        CallVisibility::Invited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallVisibility::Public => "public",
            CallVisibility::Members => "members",
            CallVisibility::Invited => "invited",
        }
    }

    pub fn parse(code: &str) -> Option<CallVisibility> {
        CallVisibility::ALL
            .into_iter()
            .find(|v| v.as_str() == code.trim())
    }
}

/// Where a call is in its life. Closing happens at the closing instant, never before; a decided or
/// cancelled call is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    /// Being written by the buyer; seen by nobody else.
    Draft,
    /// Visible to its audience; dossiers are accepted between opening and closing.
    Published,
    /// Past its closing instant: dossiers are unsealed and evaluated.
    Closed,
    /// Decisions are published to the candidates.
    Decided,
    Cancelled,
}

impl CallState {
    pub const ALL: [CallState; 5] = [
        CallState::Draft,
        CallState::Published,
        CallState::Closed,
        CallState::Decided,
        CallState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Draft => "draft",
            CallState::Published => "published",
            CallState::Closed => "closed",
            CallState::Decided => "decided",
            CallState::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<CallState> {
        CallState::ALL.into_iter().find(|s| s.as_str() == code.trim())
    }

    /// The moves the state machine has, regardless of time.
    pub fn may_become(self, to: CallState) -> bool {
        use CallState::*;
        matches!(
            (self, to),
            (Draft, Published)
                | (Published, Closed)
                | (Closed, Decided)
                | (Draft | Published | Closed, Cancelled)
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, CallState::Decided | CallState::Cancelled)
    }
}

impl fmt::Display for CallState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a call may not change state now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IllegalTransition {
    #[error("a {from} call cannot become {to}")]
    NoSuchMove { from: CallState, to: CallState },
    #[error("a {0} call is final and cannot change any more")]
    Final(CallState),
    #[error("the call closes at {closes}; it cannot be closed before")]
    BeforeClosing { closes: String },
    #[error("the closing instant {closes} has passed; move it later before publishing")]
    ClosingPassed { closes: String },
}

/// Checks the move from `from` to `to` at `now` for a call closing at `closes`: a call is published
/// only while its closing instant is ahead, and closed only once it has passed (so that nobody on
/// the buyer side can unseal dossiers early by closing the call).
pub fn transition(
    from: CallState,
    to: CallState,
    now: Timestamp,
    closes: Timestamp,
) -> Result<CallState, IllegalTransition> {
    if from.is_final() {
        return Err(IllegalTransition::Final(from));
    }
    if !from.may_become(to) {
        return Err(IllegalTransition::NoSuchMove { from, to });
    }
    match to {
        CallState::Published if now >= closes => Err(IllegalTransition::ClosingPassed {
            closes: paris::display(closes),
        }),
        CallState::Closed if now < closes => Err(IllegalTransition::BeforeClosing {
            closes: paris::display(closes),
        }),
        _ => Ok(to),
    }
}

/// A part of a call that candidates may answer separately.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Lot {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// Who may answer. An empty list means "no condition" on that point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Eligibility {
    pub sizes: Vec<OrgSize>,
    /// Certifications a candidate must all hold (names as buyers write them, e.g. "EN 9100").
    pub certifications: Vec<String>,
    /// INSEE region codes a candidate must be established in (any one of them).
    pub regions: Vec<String>,
}

/// The marking scales a criterion may use. Each divides 100, so that a mark converts to points out
/// of 100 without remainder and weighted totals stay exact in integers.
pub const SCALES: [u32; 4] = [5, 10, 20, 100];

/// An evaluation criterion: marks go from 0 to `scale_max`; `weight` counts relative to the other
/// criteria' weights (they need not sum to 100, see [`normalised_weights`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub weight: u32,
    pub scale_max: u32,
}

/// A validated call for proposals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    pub title: String,
    pub description: String,
    pub category: Category,
    pub lots: Vec<Lot>,
    pub eligibility: Eligibility,
    pub criteria: Vec<Criterion>,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    pub visibility: CallVisibility,
}

/// What a form or the API sent, before validation: codes, numbers and times as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CallInput {
    pub title: String,
    pub description: String,
    pub category: String,
    pub lots: Vec<Lot>,
    pub eligibility: EligibilityInput,
    pub criteria: Vec<CriterionInput>,
    /// Paris wall-clock time, `YYYY-MM-DDTHH:MM`.
    pub opens_at: String,
    /// Paris wall-clock time, `YYYY-MM-DDTHH:MM`.
    pub closes_at: String,
    pub visibility: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct EligibilityInput {
    pub sizes: Vec<String>,
    pub certifications: Vec<String>,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CriterionInput {
    pub name: String,
    pub description: String,
    pub weight: String,
    pub scale_max: String,
}

/// Bounds on a call: room for real calls, tight enough to keep pages and exports sane.
pub mod limits {
    pub const TITLE_CHARS: usize = 200;
    pub const DESCRIPTION_CHARS: usize = 20_000;
    pub const LOTS: usize = 30;
    pub const LOT_NAME_CHARS: usize = 120;
    pub const LOT_DESCRIPTION_CHARS: usize = 2_000;
    pub const CERTIFICATIONS: usize = 10;
    pub const CERTIFICATION_CHARS: usize = 80;
    pub const REGIONS: usize = 20;
    pub const CRITERIA: usize = 20;
    pub const CRITERION_NAME_CHARS: usize = 120;
    pub const CRITERION_DESCRIPTION_CHARS: usize = 1_000;
    pub const MAX_WEIGHT: u32 = 1_000;
}

/// One problem with one field of a call; `field` is a path such as `criteria[2].weight`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallIssue {
    pub field: String,
    pub message: String,
}

impl CallIssue {
    fn new(field: impl Into<String>, message: impl ToString) -> Self {
        CallIssue {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

struct Checker {
    issues: Vec<CallIssue>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, message: impl ToString) {
        self.issues.push(CallIssue::new(field, message));
    }

    /// Multi-line text when `multiline`, else a single line.
    fn text(&mut self, field: &str, input: &str, max: usize, required: bool, multiline: bool) -> String {
        let checked = if multiline {
            text::multiline("field", input, max)
        } else {
            text::optional("field", input, max)
        };
        match checked {
            Ok(Some(value)) => return value,
            Ok(None) if required => self.push(field, "is required"),
            Ok(None) => {}
            Err(TextError::TooLong { len, max, .. }) => self.push(
                field,
                format!("is too long: {len} characters, at most {max} allowed"),
            ),
            Err(_) => self.push(field, "contains a control character"),
        }
        String::new()
    }

    fn at_most(&mut self, field: &str, count: usize, max: usize) -> bool {
        if count > max {
            self.push(field, format!("has {count} entries, at most {max} allowed"));
            return false;
        }
        true
    }

    /// Parses each code, refusing unknown ones and dropping blanks and duplicates.
    fn codes<T: Ord + Clone>(
        &mut self,
        field: &str,
        inputs: &[String],
        max: usize,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Vec<T> {
        if !self.at_most(field, inputs.len(), max) {
            return Vec::new();
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            if input.trim().is_empty() {
                continue;
            }
            match parse(input.trim()) {
                Ok(code) => {
                    if seen.insert(code.clone()) {
                        out.push(code);
                    }
                }
                Err(message) => self.push(format!("{field}[{i}]"), message),
            }
        }
        out
    }

    fn instant(&mut self, field: &str, input: &str) -> Option<Timestamp> {
        if input.trim().is_empty() {
            self.push(field, "is required");
            return None;
        }
        paris::parse_local(input).map_err(|e| self.push(field, e)).ok()
    }

    fn criterion(&mut self, i: usize, input: &CriterionInput) -> Criterion {
        let field = |name: &str| format!("criteria[{i}].{name}");
        let name = self.text(
            &field("name"),
            &input.name,
            limits::CRITERION_NAME_CHARS,
            true,
            false,
        );
        let description = self.text(
            &field("description"),
            &input.description,
            limits::CRITERION_DESCRIPTION_CHARS,
            false,
            true,
        );
        let weight = match input.weight.trim().parse::<u32>() {
            Ok(w) if (1..=limits::MAX_WEIGHT).contains(&w) => w,
            _ if input.weight.trim().is_empty() => {
                self.push(field("weight"), "is required");
                0
            }
            _ => {
                self.push(
                    field("weight"),
                    format!(
                        "'{}' is not a whole number from 1 to {}",
                        excerpt(&input.weight),
                        limits::MAX_WEIGHT
                    ),
                );
                0
            }
        };
        let scale_max = match input.scale_max.trim().parse::<u32>() {
            Ok(s) if SCALES.contains(&s) => s,
            _ => {
                self.push(
                    field("scale_max"),
                    format!(
                        "'{}' is not a marking scale: use 5, 10, 20 or 100",
                        excerpt(&input.scale_max)
                    ),
                );
                0
            }
        };
        Criterion {
            name,
            description,
            weight,
            scale_max,
        }
    }
}

fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= 20 {
        text.to_owned()
    } else {
        text.chars().take(20).chain(['…']).collect()
    }
}

/// Names that differ only by case, accents or punctuation are the same name to a reader.
fn refuse_duplicate_names<'a>(c: &mut Checker, field: &str, names: impl Iterator<Item = (usize, &'a str)>) {
    let mut seen = BTreeSet::new();
    for (i, name) in names {
        if !name.is_empty() && !seen.insert(search_key(name)) {
            c.push(format!("{field}[{i}].name"), format!("'{name}' is used twice"));
        }
    }
}

impl CallInput {
    /// Validates every field at once so that a form can show all its mistakes together. Times
    /// are Paris wall-clock times (see [`paris::parse_local`] for the DST rules).
    pub fn validate(&self) -> Result<Call, Vec<CallIssue>> {
        let mut c = Checker { issues: Vec::new() };
        let title = c.text("title", &self.title, limits::TITLE_CHARS, true, false);
        let description = c.text(
            "description",
            &self.description,
            limits::DESCRIPTION_CHARS,
            true,
            true,
        );
        let category = Category::parse(&self.category);
        if category.is_none() {
            let message = if self.category.trim().is_empty() {
                "is required".to_owned()
            } else {
                format!(
                    "unknown category '{}': use goods, services or works",
                    excerpt(&self.category)
                )
            };
            c.push("category", message);
        }

        let mut lots = Vec::new();
        if c.at_most("lots", self.lots.len(), limits::LOTS) {
            for (i, lot) in self.lots.iter().enumerate() {
                if lot.name.trim().is_empty() && lot.description.trim().is_empty() {
                    continue; // an untouched blank row of the form
                }
                lots.push((
                    i,
                    Lot {
                        name: c.text(
                            &format!("lots[{i}].name"),
                            &lot.name,
                            limits::LOT_NAME_CHARS,
                            true,
                            false,
                        ),
                        description: c.text(
                            &format!("lots[{i}].description"),
                            &lot.description,
                            limits::LOT_DESCRIPTION_CHARS,
                            false,
                            true,
                        ),
                    },
                ));
            }
            refuse_duplicate_names(&mut c, "lots", lots.iter().map(|(i, l)| (*i, l.name.as_str())));
        }

        let sizes = c.codes("eligibility.sizes", &self.eligibility.sizes, 3, |code| {
            OrgSize::parse(code).map_err(|e| e.to_string())
        });
        let certifications = self.certifications(&mut c);
        let regions = c.codes(
            "eligibility.regions",
            &self.eligibility.regions,
            limits::REGIONS,
            |code| {
                geo::region(code)
                    .map(|r| r.code.to_owned())
                    .ok_or_else(|| format!("unknown region code '{}'", excerpt(code)))
            },
        );

        let mut criteria = Vec::new();
        if c.at_most("criteria", self.criteria.len(), limits::CRITERIA) {
            for (i, input) in self.criteria.iter().enumerate() {
                let blank = [&input.name, &input.description, &input.weight, &input.scale_max]
                    .iter()
                    .all(|s| s.trim().is_empty());
                if !blank {
                    criteria.push((i, c.criterion(i, input)));
                }
            }
            if criteria.is_empty() {
                c.push("criteria", "at least one evaluation criterion is required");
            }
            refuse_duplicate_names(
                &mut c,
                "criteria",
                criteria.iter().map(|(i, k)| (*i, k.name.as_str())),
            );
        }

        let opens_at = c.instant("opens_at", &self.opens_at);
        let closes_at = c.instant("closes_at", &self.closes_at);
        if let (Some(opens), Some(closes)) = (opens_at, closes_at)
            && closes <= opens
        {
            c.push("closes_at", "must be after the opening");
        }
        let visibility = CallVisibility::parse(&self.visibility);
        if visibility.is_none() {
            c.push(
                "visibility",
                format!(
                    "unknown visibility '{}': use public, members or invited",
                    excerpt(&self.visibility)
                ),
            );
        }

        match (category, opens_at, closes_at, visibility) {
            (Some(category), Some(opens_at), Some(closes_at), Some(visibility)) if c.issues.is_empty() => {
                Ok(Call {
                    title,
                    description,
                    category,
                    lots: lots.into_iter().map(|(_, l)| l).collect(),
                    eligibility: Eligibility {
                        sizes,
                        certifications,
                        regions,
                    },
                    criteria: criteria.into_iter().map(|(_, k)| k).collect(),
                    opens_at,
                    closes_at,
                    visibility,
                })
            }
            _ => Err(c.issues),
        }
    }

    fn certifications(&self, c: &mut Checker) -> Vec<String> {
        let field = "eligibility.certifications";
        let inputs = &self.eligibility.certifications;
        if !c.at_most(field, inputs.len(), limits::CERTIFICATIONS) {
            return Vec::new();
        }
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            let name = c.text(
                &format!("{field}[{i}]"),
                input,
                limits::CERTIFICATION_CHARS,
                false,
                false,
            );
            if !name.is_empty() && seen.insert(search_key(&name)) {
                out.push(name);
            }
        }
        out
    }
}

impl From<&Call> for CallInput {
    /// The form a call is edited in, which validates back to the same call.
    fn from(call: &Call) -> Self {
        CallInput {
            title: call.title.clone(),
            description: call.description.clone(),
            category: call.category.as_str().to_owned(),
            lots: call.lots.clone(),
            eligibility: EligibilityInput {
                sizes: call
                    .eligibility
                    .sizes
                    .iter()
                    .map(|s| s.as_str().to_owned())
                    .collect(),
                certifications: call.eligibility.certifications.clone(),
                regions: call.eligibility.regions.clone(),
            },
            criteria: call
                .criteria
                .iter()
                .map(|k| CriterionInput {
                    name: k.name.clone(),
                    description: k.description.clone(),
                    weight: k.weight.to_string(),
                    scale_max: k.scale_max.to_string(),
                })
                .collect(),
            opens_at: paris::input(call.opens_at),
            closes_at: paris::input(call.closes_at),
            visibility: call.visibility.as_str().to_owned(),
        }
    }
}

/// Each criterion's share of the total, in thousandths, summing to exactly 1000 (largest
/// remainders get the rounding units; equal remainders go to the earlier criterion). Weights 3
/// and 2 give 600 and 400; three equal weights give 334, 333, 333. Zero weights share nothing.
pub fn normalised_weights(criteria: &[Criterion]) -> Vec<u32> {
    let total: u64 = criteria.iter().map(|k| u64::from(k.weight)).sum();
    if total == 0 {
        return vec![0; criteria.len()];
    }
    let exact: Vec<(u64, u64)> = criteria
        .iter()
        .map(|k| {
            let scaled = u64::from(k.weight) * 1000;
            (scaled / total, scaled % total)
        })
        .collect();
    let mut shares: Vec<u32> = exact.iter().map(|&(q, _)| q as u32).collect();
    let missing = 1000 - shares.iter().sum::<u32>() as usize;
    let mut by_remainder: Vec<usize> = (0..criteria.len()).collect();
    by_remainder.sort_by_key(|&i| (std::cmp::Reverse(exact[i].1), i));
    for &i in by_remainder.iter().take(missing) {
        shares[i] += 1;
    }
    shares
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn input() -> CallInput {
        CallInput {
            title: "Usinage de pièces en titane".into(),
            description: "Pièces de structure pour trains d'atterrissage.\r\nSéries de 50 à 500.".into(),
            category: "goods".into(),
            lots: vec![
                Lot {
                    name: "Prototypes".into(),
                    description: String::new(),
                },
                Lot {
                    name: "Séries".into(),
                    description: "50 à 500 pièces".into(),
                },
            ],
            eligibility: EligibilityInput {
                sizes: vec!["sme".into(), "mid_cap".into()],
                certifications: vec!["EN 9100".into()],
                regions: vec!["76".into(), "75".into()],
            },
            criteria: vec![
                CriterionInput {
                    name: "Prix".into(),
                    description: String::new(),
                    weight: "40".into(),
                    scale_max: "20".into(),
                },
                CriterionInput {
                    name: "Qualité technique".into(),
                    description: "Tolérances, contrôle".into(),
                    weight: "60".into(),
                    scale_max: "10".into(),
                },
            ],
            opens_at: "2026-12-14T09:00".into(),
            closes_at: "2027-01-09T12:00".into(),
            visibility: "members".into(),
        }
    }

    #[test]
    fn a_full_call_validates_and_round_trips_through_its_input() {
        let call = input().validate().unwrap();
        assert_eq!(call.category, Category::Goods);
        assert_eq!(call.description.lines().count(), 2, "line breaks normalised");
        assert_eq!(call.eligibility.sizes, [OrgSize::Sme, OrgSize::MidCap]);
        assert_eq!(call.criteria[1].weight, 60);
        assert_eq!(call.opens_at, "2026-12-14T08:00:00Z".parse().unwrap());
        assert_eq!(call.closes_at, "2027-01-09T11:00:00Z".parse().unwrap());
        assert_eq!(CallInput::from(&call).validate().unwrap(), call);
        let json = serde_json::to_string(&CallInput::from(&call)).unwrap();
        let back: CallInput = serde_json::from_str(&json).unwrap();
        assert_eq!(back.validate().unwrap(), call);
    }

    #[test]
    fn every_mistake_is_reported_with_its_path() {
        let mut bad = input();
        bad.title = " ".into();
        bad.category = "furniture".into();
        bad.lots[1].name = "prototypes".into();
        bad.eligibility.sizes.push("huge".into());
        bad.eligibility.regions.push("99".into());
        bad.criteria[0].weight = "0".into();
        bad.criteria[1].scale_max = "7".into();
        bad.criteria.push(CriterionInput {
            name: "".into(),
            weight: "1.5".into(),
            scale_max: "10".into(),
            ..CriterionInput::default()
        });
        bad.opens_at = "2027-02-01T09:00".into();
        bad.visibility = "secret".into();
        let issues = bad.validate().unwrap_err();
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "category",
                "lots[1].name",
                "eligibility.sizes[2]",
                "eligibility.regions[2]",
                "criteria[0].weight",
                "criteria[1].scale_max",
                "criteria[2].name",
                "criteria[2].weight",
                "closes_at",
                "visibility",
            ]
        );
        assert!(issues[2].message.contains("used twice"), "{issues:?}");
        assert_eq!(issues[9].message, "must be after the opening");
    }

    #[test]
    fn local_times_in_the_dst_gap_are_refused_with_their_field() {
        let mut bad = input();
        bad.opens_at = "2027-03-28T02:30".into();
        bad.closes_at = "2027-04-30".into();
        let issues = bad.validate().unwrap_err();
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0].field, "opens_at");
        assert!(
            issues[0].message.contains("does not exist in Paris"),
            "{issues:?}"
        );
        assert_eq!(issues[1].field, "closes_at");
    }

    #[test]
    fn a_call_needs_a_criterion_and_blank_rows_are_ignored() {
        let mut bad = input();
        bad.criteria = vec![CriterionInput::default()];
        bad.lots.push(Lot::default());
        bad.eligibility.certifications = vec!["EN 9100".into(), "en-9100".into(), " ".into()];
        let issues = bad.validate().unwrap_err();
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].field, "criteria");
        bad.criteria = input().criteria;
        let call = bad.validate().unwrap();
        assert_eq!(call.lots.len(), 2);
        assert_eq!(call.eligibility.certifications, ["EN 9100"], "same name merged");
    }

    #[test]
    fn too_many_entries_are_refused() {
        let mut bad = input();
        bad.criteria = vec![input().criteria[0].clone(); limits::CRITERIA + 1];
        assert_eq!(bad.validate().unwrap_err()[0].field, "criteria");
    }

    #[test]
    fn the_state_machine_allows_only_its_moves() {
        use CallState::*;
        let allowed = [
            (Draft, Published),
            (Published, Closed),
            (Closed, Decided),
            (Draft, Cancelled),
            (Published, Cancelled),
            (Closed, Cancelled),
        ];
        for from in CallState::ALL {
            for to in CallState::ALL {
                assert_eq!(
                    from.may_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
        let closes: Timestamp = "2027-01-09T11:00:00Z".parse().unwrap();
        let before = closes - jiff::SignedDuration::from_secs(1);
        assert_eq!(transition(Draft, Published, before, closes), Ok(Published));
        assert_eq!(transition(Published, Closed, closes, closes), Ok(Closed));
        assert_eq!(transition(Published, Cancelled, before, closes), Ok(Cancelled));
        assert_eq!(
            transition(Published, Draft, before, closes),
            Err(IllegalTransition::NoSuchMove {
                from: Published,
                to: Draft
            })
        );
        assert_eq!(
            transition(Decided, Cancelled, before, closes),
            Err(IllegalTransition::Final(Decided))
        );
        let early = transition(Published, Closed, before, closes).unwrap_err();
        assert_eq!(
            early.to_string(),
            "the call closes at 2027-01-09 12:00 (Paris time); it cannot be closed before"
        );
        assert!(matches!(
            transition(Draft, Published, closes, closes),
            Err(IllegalTransition::ClosingPassed { .. })
        ));
    }

    #[test]
    fn states_and_codes_round_trip() {
        for s in CallState::ALL {
            assert_eq!(CallState::parse(s.as_str()), Some(s));
        }
        for v in CallVisibility::ALL {
            assert_eq!(CallVisibility::parse(v.as_str()), Some(v));
        }
        for k in Category::ALL {
            assert_eq!(Category::parse(k.as_str()), Some(k));
        }
        assert_eq!(CallState::parse("open"), None);
    }

    fn criterion(weight: u32) -> Criterion {
        Criterion {
            name: format!("c{weight}"),
            description: String::new(),
            weight,
            scale_max: 10,
        }
    }

    #[test]
    fn normalised_weights_share_a_thousand() {
        let weights = |ws: &[u32]| normalised_weights(&ws.iter().map(|&w| criterion(w)).collect::<Vec<_>>());
        assert_eq!(weights(&[3, 2]), [600, 400]);
        assert_eq!(weights(&[1, 1, 1]), [334, 333, 333]);
        assert_eq!(weights(&[40, 60]), [400, 600]);
        assert_eq!(weights(&[]), Vec::<u32>::new());
    }

    proptest! {
        #[test]
        fn normalised_weights_always_sum_to_a_thousand(ws in prop::collection::vec(1u32..=1000, 1..20)) {
            let criteria: Vec<Criterion> = ws.iter().map(|&w| criterion(w)).collect();
            let shares = normalised_weights(&criteria);
            prop_assert_eq!(shares.iter().sum::<u32>(), 1000);
            let total: u32 = ws.iter().sum();
            for (w, s) in ws.iter().zip(&shares) {
                // Within one unit of the exact share.
                let exact = f64::from(*w) * 1000.0 / f64::from(total);
                prop_assert!((f64::from(*s) - exact).abs() < 1.0);
            }
        }

        #[test]
        fn validation_never_panics(text in "\\PC{0,60}", code in "\\PC{0,12}") {
            let mut call = input();
            call.title = text.clone();
            call.category = code.clone();
            call.eligibility.sizes.push(code.clone());
            call.eligibility.regions.push(code.clone());
            call.eligibility.certifications.push(text.clone());
            call.criteria[0].weight = code.clone();
            call.criteria[1].scale_max = code.clone();
            call.opens_at = code.clone();
            call.visibility = code;
            let _ = call.validate();
        }
    }
}
