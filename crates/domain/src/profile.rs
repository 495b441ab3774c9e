//! An SME's capability profile: what it offers, can do and has done, with the visibility its owner
//! chose for each field (public directory or members only), the validation of what was typed, and
//! the completeness score with the hints that raise it.
//!
//! The same JSON shape travels both ways: [`ProfileInput`] holds what a form or the API sent (codes
//! as strings), [`Profile`] the validated value, which serialises to that same shape.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::capability::CapabilityCode;
use crate::country::CountryCode;
use crate::geo;
use crate::language::LanguageCode;
use crate::text::{self, TextError};

/// Who may read a field, as chosen by the SME for each field of its profile. A field sent without
/// a visibility is members-only: nothing becomes public unless someone said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Shown in the public directory: visitors search it and see it in snippets.
    Public,
    /// Shown to signed-in members of the platform only.
    #[default]
    Members,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
        }
    }

    pub fn parse(code: &str) -> Option<Visibility> {
        match code.trim() {
            "public" => Some(Visibility::Public),
            "members" => Some(Visibility::Members),
            _ => None,
        }
    }
}

/// A value together with the visibility its owner chose for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Visible<T> {
    pub value: T,
    #[serde(default)]
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

    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }
}

/// Headcount bands, as buyers ask for them (the EU SME thresholds and INSEE's large-firm limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HeadcountBand {
    #[serde(rename = "0_9")]
    UpTo9,
    #[serde(rename = "10_49")]
    From10To49,
    #[serde(rename = "50_249")]
    From50To249,
    #[serde(rename = "250_4999")]
    From250To4999,
    #[serde(rename = "5000_plus")]
    From5000,
}

impl HeadcountBand {
    pub const ALL: [HeadcountBand; 5] = [
        HeadcountBand::UpTo9,
        HeadcountBand::From10To49,
        HeadcountBand::From50To249,
        HeadcountBand::From250To4999,
        HeadcountBand::From5000,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HeadcountBand::UpTo9 => "0_9",
            HeadcountBand::From10To49 => "10_49",
            HeadcountBand::From50To249 => "50_249",
            HeadcountBand::From250To4999 => "250_4999",
            HeadcountBand::From5000 => "5000_plus",
        }
    }

    pub fn parse(code: &str) -> Option<HeadcountBand> {
        HeadcountBand::ALL.into_iter().find(|b| b.as_str() == code.trim())
    }
}

/// Annual turnover bands in euros (the EU SME and mid-cap thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TurnoverBand {
    #[serde(rename = "under_2m")]
    Under2M,
    #[serde(rename = "2m_10m")]
    From2MTo10M,
    #[serde(rename = "10m_50m")]
    From10MTo50M,
    #[serde(rename = "50m_1500m")]
    From50MTo1500M,
    #[serde(rename = "over_1500m")]
    Over1500M,
}

impl TurnoverBand {
    pub const ALL: [TurnoverBand; 5] = [
        TurnoverBand::Under2M,
        TurnoverBand::From2MTo10M,
        TurnoverBand::From10MTo50M,
        TurnoverBand::From50MTo1500M,
        TurnoverBand::Over1500M,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TurnoverBand::Under2M => "under_2m",
            TurnoverBand::From2MTo10M => "2m_10m",
            TurnoverBand::From10MTo50M => "10m_50m",
            TurnoverBand::From50MTo1500M => "50m_1500m",
            TurnoverBand::Over1500M => "over_1500m",
        }
    }

    pub fn parse(code: &str) -> Option<TurnoverBand> {
        TurnoverBand::ALL.into_iter().find(|b| b.as_str() == code.trim())
    }
}

/// A product or service the organisation sells; each offer has its own visibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub visibility: Visibility,
}

/// A certification or a label, with its expiry date when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub name: String,
    /// `YYYY-MM-DD`; `None` for credentials that do not expire.
    #[serde(default)]
    pub expires_on: Option<String>,
}

impl Credential {
    /// Still valid on `today` (`YYYY-MM-DD`; ISO dates compare as strings).
    pub fn is_current(&self, today: &str) -> bool {
        self.expires_on.as_deref().is_none_or(|end| end >= today)
    }
}

/// A client reference: who, for what, when; each reference has its own visibility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub client: String,
    #[serde(default)]
    pub project: String,
    #[serde(default)]
    pub year: Option<i32>,
    #[serde(default)]
    pub visibility: Visibility,
}

/// A validated capability profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Profile {
    pub presentation: Visible<String>,
    pub offers: Vec<Offer>,
    pub capability_terms: Visible<Vec<CapabilityCode>>,
    pub capabilities_text: Visible<String>,
    pub certifications: Visible<Vec<Credential>>,
    pub labels: Visible<Vec<Credential>>,
    pub references: Vec<Reference>,
    /// INSEE region codes.
    pub regions_served: Visible<Vec<String>>,
    pub export_markets: Visible<Vec<CountryCode>>,
    pub headcount_band: Visible<Option<HeadcountBand>>,
    pub turnover_band: Visible<Option<TurnoverBand>>,
    pub languages: Visible<Vec<LanguageCode>>,
}

/// What a form or the API sent, before validation: the shape of [`Profile`] with codes as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ProfileInput {
    pub presentation: Visible<String>,
    pub offers: Vec<Offer>,
    pub capability_terms: Visible<Vec<String>>,
    pub capabilities_text: Visible<String>,
    pub certifications: Visible<Vec<Credential>>,
    pub labels: Visible<Vec<Credential>>,
    pub references: Vec<Reference>,
    pub regions_served: Visible<Vec<String>>,
    pub export_markets: Visible<Vec<String>>,
    pub headcount_band: Visible<Option<String>>,
    pub turnover_band: Visible<Option<String>>,
    pub languages: Visible<Vec<String>>,
}

/// Bounds on a profile; generous for real companies, tight enough to keep pages and the index sane.
pub mod limits {
    pub const PRESENTATION_CHARS: usize = 4_000;
    pub const CAPABILITIES_TEXT_CHARS: usize = 2_000;
    pub const OFFERS: usize = 20;
    pub const OFFER_TITLE_CHARS: usize = 120;
    pub const OFFER_DESCRIPTION_CHARS: usize = 1_000;
    pub const CAPABILITY_TERMS: usize = 30;
    pub const CREDENTIALS: usize = 20;
    pub const CREDENTIAL_NAME_CHARS: usize = 80;
    pub const REFERENCES: usize = 30;
    pub const REFERENCE_CLIENT_CHARS: usize = 120;
    pub const REFERENCE_PROJECT_CHARS: usize = 300;
    pub const REGIONS: usize = 20;
    pub const EXPORT_MARKETS: usize = 60;
    pub const LANGUAGES: usize = 20;
    /// A presentation shorter than this reads as a placeholder.
    pub const GOOD_PRESENTATION_CHARS: usize = 300;
}

/// One problem with one field of a profile; `field` is a path such as `offers[2].title`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileIssue {
    pub field: String,
    pub message: String,
}

impl ProfileIssue {
    fn new(field: impl Into<String>, message: impl ToString) -> Self {
        ProfileIssue {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

struct Checker {
    issues: Vec<ProfileIssue>,
}

impl Checker {
    fn text(&mut self, field: &str, input: &str, max: usize, required: bool) -> String {
        // Field names in messages are the paths the caller sent, so TextError's static name is replaced.
        match text::multiline("field", input, max) {
            Ok(Some(value)) => value,
            Ok(None) if required => {
                self.issues.push(ProfileIssue::new(field, "is required"));
                String::new()
            }
            Ok(None) => String::new(),
            Err(TextError::TooLong { len, max, .. }) => {
                self.issues.push(ProfileIssue::new(
                    field,
                    format!("is too long: {len} characters, at most {max} allowed"),
                ));
                String::new()
            }
            Err(_) => {
                self.issues
                    .push(ProfileIssue::new(field, "contains a control character"));
                String::new()
            }
        }
    }

    fn at_most(&mut self, field: &str, count: usize, max: usize) -> bool {
        if count > max {
            self.issues.push(ProfileIssue::new(
                field,
                format!("has {count} entries, at most {max} allowed"),
            ));
            return false;
        }
        true
    }

    /// Parses each code, refusing unknown ones and dropping duplicates (first occurrence kept).
    fn codes<T: Ord + Copy, E: ToString>(
        &mut self,
        field: &str,
        inputs: &[String],
        max: usize,
        parse: impl Fn(&str) -> Result<T, E>,
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
            match parse(input) {
                Ok(code) => {
                    if seen.insert(code) {
                        out.push(code);
                    }
                }
                Err(e) => self.issues.push(ProfileIssue::new(format!("{field}[{i}]"), e)),
            }
        }
        out
    }

    fn credentials(&mut self, field: &str, inputs: &[Credential]) -> Vec<Credential> {
        if !self.at_most(field, inputs.len(), limits::CREDENTIALS) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, c) in inputs.iter().enumerate() {
            let name = self.text(
                &format!("{field}[{i}].name"),
                &c.name,
                limits::CREDENTIAL_NAME_CHARS,
                true,
            );
            let expires_on = match c.expires_on.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(date) if is_iso_date(date) => Some(date.to_owned()),
                Some(date) => {
                    self.issues.push(ProfileIssue::new(
                        format!("{field}[{i}].expires_on"),
                        format!("'{date}' is not a date of the form YYYY-MM-DD"),
                    ));
                    None
                }
            };
            out.push(Credential { name, expires_on });
        }
        out
    }
}

/// `YYYY-MM-DD` naming a real calendar day.
fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

impl ProfileInput {
    /// Validates every field at once so that a form can show all its mistakes together.
    pub fn validate(&self) -> Result<Profile, Vec<ProfileIssue>> {
        let mut c = Checker { issues: Vec::new() };
        let presentation = c.text(
            "presentation",
            &self.presentation.value,
            limits::PRESENTATION_CHARS,
            false,
        );
        let mut offers = Vec::new();
        if c.at_most("offers", self.offers.len(), limits::OFFERS) {
            for (i, offer) in self.offers.iter().enumerate() {
                if offer.title.trim().is_empty() && offer.description.trim().is_empty() {
                    continue; // an untouched blank row of the form
                }
                offers.push(Offer {
                    title: c.text(
                        &format!("offers[{i}].title"),
                        &offer.title,
                        limits::OFFER_TITLE_CHARS,
                        true,
                    ),
                    description: c.text(
                        &format!("offers[{i}].description"),
                        &offer.description,
                        limits::OFFER_DESCRIPTION_CHARS,
                        false,
                    ),
                    visibility: offer.visibility,
                });
            }
        }
        let capability_terms = c.codes(
            "capability_terms",
            &self.capability_terms.value,
            limits::CAPABILITY_TERMS,
            str::parse::<CapabilityCode>,
        );
        let capabilities_text = c.text(
            "capabilities_text",
            &self.capabilities_text.value,
            limits::CAPABILITIES_TEXT_CHARS,
            false,
        );
        let certifications = c.credentials("certifications", &self.certifications.value);
        let labels = c.credentials("labels", &self.labels.value);
        let mut references = Vec::new();
        if c.at_most("references", self.references.len(), limits::REFERENCES) {
            for (i, r) in self.references.iter().enumerate() {
                if r.client.trim().is_empty() && r.project.trim().is_empty() {
                    continue;
                }
                let year = match r.year {
                    Some(y) if !(1950..=2100).contains(&y) => {
                        c.issues.push(ProfileIssue::new(
                            format!("references[{i}].year"),
                            format!("{y} is not a plausible year"),
                        ));
                        None
                    }
                    y => y,
                };
                references.push(Reference {
                    client: c.text(
                        &format!("references[{i}].client"),
                        &r.client,
                        limits::REFERENCE_CLIENT_CHARS,
                        true,
                    ),
                    project: c.text(
                        &format!("references[{i}].project"),
                        &r.project,
                        limits::REFERENCE_PROJECT_CHARS,
                        false,
                    ),
                    year,
                    visibility: r.visibility,
                });
            }
        }
        let regions_served = c.codes(
            "regions_served",
            &self.regions_served.value,
            limits::REGIONS,
            |code| {
                geo::region(code.trim())
                    .map(|r| r.code)
                    .ok_or_else(|| format!("unknown region code '{}'", code.trim()))
            },
        );
        let export_markets = c.codes(
            "export_markets",
            &self.export_markets.value,
            limits::EXPORT_MARKETS,
            str::parse::<CountryCode>,
        );
        let languages = c.codes(
            "languages",
            &self.languages.value,
            limits::LANGUAGES,
            str::parse::<LanguageCode>,
        );
        let headcount_band = band(
            &mut c,
            "headcount_band",
            &self.headcount_band.value,
            HeadcountBand::parse,
        );
        let turnover_band = band(
            &mut c,
            "turnover_band",
            &self.turnover_band.value,
            TurnoverBand::parse,
        );
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        Ok(Profile {
            presentation: with(&self.presentation, presentation),
            offers,
            capability_terms: with(&self.capability_terms, capability_terms),
            capabilities_text: with(&self.capabilities_text, capabilities_text),
            certifications: with(&self.certifications, certifications),
            labels: with(&self.labels, labels),
            references,
            regions_served: with(
                &self.regions_served,
                regions_served.into_iter().map(str::to_owned).collect(),
            ),
            export_markets: with(&self.export_markets, export_markets),
            headcount_band: with(&self.headcount_band, headcount_band),
            turnover_band: with(&self.turnover_band, turnover_band),
            languages: with(&self.languages, languages),
        })
    }
}

fn with<A, B>(input: &Visible<A>, value: B) -> Visible<B> {
    Visible {
        value,
        visibility: input.visibility,
    }
}

fn band<T>(
    c: &mut Checker,
    field: &str,
    input: &Option<String>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let code = input.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    let parsed = parse(code);
    if parsed.is_none() {
        c.issues
            .push(ProfileIssue::new(field, format!("unknown band '{code}'")));
    }
    parsed
}

impl From<&Profile> for ProfileInput {
    fn from(p: &Profile) -> Self {
        let codes = |v: &[String]| v.to_vec();
        ProfileInput {
            presentation: p.presentation.clone(),
            offers: p.offers.clone(),
            capability_terms: with(
                &p.capability_terms,
                p.capability_terms
                    .value
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect(),
            ),
            capabilities_text: p.capabilities_text.clone(),
            certifications: p.certifications.clone(),
            labels: p.labels.clone(),
            references: p.references.clone(),
            regions_served: with(&p.regions_served, codes(&p.regions_served.value)),
            export_markets: with(
                &p.export_markets,
                p.export_markets
                    .value
                    .iter()
                    .map(|c| c.as_str().to_owned())
                    .collect(),
            ),
            headcount_band: with(
                &p.headcount_band,
                p.headcount_band.value.map(|b| b.as_str().to_owned()),
            ),
            turnover_band: with(
                &p.turnover_band,
                p.turnover_band.value.map(|b| b.as_str().to_owned()),
            ),
            languages: with(
                &p.languages,
                p.languages.value.iter().map(|c| c.as_str().to_owned()).collect(),
            ),
        }
    }
}

fn hide<T: Default + Clone>(field: &Visible<T>) -> Visible<T> {
    if field.is_public() {
        field.clone()
    } else {
        Visible::members(T::default())
    }
}

impl Profile {
    /// What a visitor may see: members-only fields emptied, members-only offers and references removed.
    pub fn public_view(&self) -> Profile {
        Profile {
            presentation: hide(&self.presentation),
            offers: self
                .offers
                .iter()
                .filter(|o| o.visibility == Visibility::Public)
                .cloned()
                .collect(),
            capability_terms: hide(&self.capability_terms),
            capabilities_text: hide(&self.capabilities_text),
            certifications: hide(&self.certifications),
            labels: hide(&self.labels),
            references: self
                .references
                .iter()
                .filter(|r| r.visibility == Visibility::Public)
                .cloned()
                .collect(),
            regions_served: hide(&self.regions_served),
            export_markets: hide(&self.export_markets),
            headcount_band: hide(&self.headcount_band),
            turnover_band: hide(&self.turnover_band),
            languages: hide(&self.languages),
        }
    }

    /// All the prose of the profile, as its peers would read it; the input of differentiation.
    pub fn prose(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.presentation.value, &self.capabilities_text.value];
        for offer in &self.offers {
            parts.push(&offer.title);
            parts.push(&offer.description);
        }
        parts.retain(|p| !p.is_empty());
        parts.join("\n")
    }

    /// How complete the profile is (0–100) and what would raise the score most, in that order.
    pub fn completeness(&self, brochures: usize, today: &str) -> Completeness {
        let checks: [(u32, bool, Hint); 11] = [
            (
                20,
                self.presentation.value.chars().count() >= limits::GOOD_PRESENTATION_CHARS,
                if self.presentation.value.is_empty() {
                    Hint::AddPresentation
                } else {
                    Hint::LengthenPresentation {
                        minimum: limits::GOOD_PRESENTATION_CHARS,
                    }
                },
            ),
            (15, !self.offers.is_empty(), Hint::AddOffers),
            (
                15,
                self.capability_terms.value.len() >= 3,
                Hint::AddCapabilityTerms { minimum: 3 },
            ),
            (
                5,
                !self.capabilities_text.value.is_empty(),
                Hint::DescribeCapabilities,
            ),
            (10, !self.certifications.value.is_empty(), Hint::AddCertifications),
            (10, !self.references.is_empty(), Hint::AddReferences),
            (5, !self.regions_served.value.is_empty(), Hint::AddRegionsServed),
            (5, !self.export_markets.value.is_empty(), Hint::AddExportMarkets),
            (
                5,
                self.headcount_band.value.is_some() && self.turnover_band.value.is_some(),
                Hint::AddSizeBands,
            ),
            (5, !self.languages.value.is_empty(), Hint::AddLanguages),
            (5, brochures > 0, Hint::AddBrochure),
        ];
        let mut score = 0;
        let mut missing: Vec<(u32, Hint)> = Vec::new();
        for (weight, done, hint) in checks {
            if done {
                score += weight;
            } else {
                missing.push((weight, hint));
            }
        }
        // Stable sort: equal weights keep the order of the form.
        missing.sort_by_key(|(weight, _)| std::cmp::Reverse(*weight));
        let mut hints: Vec<Hint> = missing.into_iter().map(|(_, h)| h).collect();
        for credential in self.certifications.value.iter().chain(&self.labels.value) {
            if !credential.is_current(today) {
                hints.push(Hint::RenewExpired {
                    name: credential.name.clone(),
                });
            }
        }
        Completeness {
            score: score as u8,
            hints,
        }
    }
}

/// Completeness of a profile: a score out of 100 and hints, most valuable first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub score: u8,
    pub hints: Vec<Hint>,
}

/// Something the SME can do to complete its profile; codes, translated by the pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Hint {
    AddPresentation,
    LengthenPresentation { minimum: usize },
    AddOffers,
    AddCapabilityTerms { minimum: usize },
    DescribeCapabilities,
    AddCertifications,
    AddReferences,
    AddRegionsServed,
    AddExportMarkets,
    AddSizeBands,
    AddLanguages,
    AddBrochure,
    RenewExpired { name: String },
}

impl Hint {
    /// The hint's code, the key of its translation.
    pub fn code(&self) -> &'static str {
        match self {
            Hint::AddPresentation => "add_presentation",
            Hint::LengthenPresentation { .. } => "lengthen_presentation",
            Hint::AddOffers => "add_offers",
            Hint::AddCapabilityTerms { .. } => "add_capability_terms",
            Hint::DescribeCapabilities => "describe_capabilities",
            Hint::AddCertifications => "add_certifications",
            Hint::AddReferences => "add_references",
            Hint::AddRegionsServed => "add_regions_served",
            Hint::AddExportMarkets => "add_export_markets",
            Hint::AddSizeBands => "add_size_bands",
            Hint::AddLanguages => "add_languages",
            Hint::AddBrochure => "add_brochure",
            Hint::RenewExpired { .. } => "renew_expired",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn full_input() -> ProfileInput {
        ProfileInput {
            presentation: Visible::public("Usinage de précision ".repeat(20)),
            offers: vec![Offer {
                title: "Pièces en titane".into(),
                description: "Séries de 1 à 500 pièces".into(),
                visibility: Visibility::Public,
            }],
            capability_terms: Visible::public(Vec::new()),
            capabilities_text: Visible::members("Tolérances ±5 µm".into()),
            certifications: Visible::public(vec![Credential {
                name: "EN 9100".into(),
                expires_on: Some("2027-06-30".into()),
            }]),
            labels: Visible::public(Vec::new()),
            references: vec![Reference {
                client: "Airbus Helicopters".into(),
                project: "Carters de boîte de transmission".into(),
                year: Some(2024),
                visibility: Visibility::Members,
            }],
            regions_served: Visible::public(vec!["76".into(), "75".into()]),
            export_markets: Visible::public(vec!["de".into(), "ES".into()]),
            headcount_band: Visible::public(Some("10_49".into())),
            turnover_band: Visible::members(Some("2m_10m".into())),
            languages: Visible::public(vec!["fr".into(), "en".into()]),
        }
    }

    #[test]
    fn a_full_profile_validates_and_round_trips_through_its_input() {
        let profile = full_input().validate().unwrap();
        assert_eq!(profile.export_markets.value[0].as_str(), "DE");
        assert_eq!(profile.headcount_band.value, Some(HeadcountBand::From10To49));
        let again = ProfileInput::from(&profile).validate().unwrap();
        assert_eq!(again, profile);
        let json = serde_json::to_string(&profile).unwrap();
        let input: ProfileInput = serde_json::from_str(&json).unwrap();
        assert_eq!(input.validate().unwrap(), profile);
    }

    #[test]
    fn every_mistake_is_reported_with_its_path() {
        let mut input = full_input();
        input.offers.push(Offer {
            title: String::new(),
            description: "sans titre".into(),
            visibility: Visibility::Public,
        });
        input.export_markets.value.push("ZZ".into());
        input.regions_served.value.push("99".into());
        input.certifications.value[0].expires_on = Some("2027-02-30".into());
        input.references[0].year = Some(1200);
        input.turnover_band.value = Some("huge".into());
        input.presentation.value = "x".repeat(limits::PRESENTATION_CHARS + 1);
        let issues = input.validate().unwrap_err();
        let fields: Vec<&str> = issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "presentation",
                "offers[1].title",
                "certifications[0].expires_on",
                "references[0].year",
                "regions_served[2]",
                "export_markets[2]",
                "turnover_band"
            ]
        );
    }

    #[test]
    fn blank_rows_are_dropped_and_duplicates_merged() {
        let mut input = full_input();
        input.offers.push(Offer {
            title: " ".into(),
            description: String::new(),
            visibility: Visibility::Public,
        });
        input.languages.value = vec!["fr".into(), "FR".into(), "".into()];
        let profile = input.validate().unwrap();
        assert_eq!(profile.offers.len(), 1);
        assert_eq!(profile.languages.value.len(), 1);
    }

    #[test]
    fn a_field_sent_without_visibility_is_members_only() {
        let input: ProfileInput = serde_json::from_str(
            r#"{"turnover_band": {"value": "2m_10m"}, "references": [{"client": "Airbus"}]}"#,
        )
        .unwrap();
        let profile = input.validate().unwrap();
        assert_eq!(profile.turnover_band.visibility, Visibility::Members);
        assert_eq!(profile.references[0].visibility, Visibility::Members);
        assert_eq!(profile.public_view().turnover_band.value, None);
        assert!(profile.public_view().references.is_empty());
    }

    #[test]
    fn too_many_entries_are_refused() {
        let mut input = full_input();
        input.languages.value = vec!["fr".into(); limits::LANGUAGES + 1];
        let issues = input.validate().unwrap_err();
        assert_eq!(issues[0].field, "languages");
    }

    #[test]
    fn the_public_view_keeps_only_public_fields() {
        let profile = full_input().validate().unwrap();
        let public = profile.public_view();
        assert!(public.capabilities_text.value.is_empty());
        assert!(public.references.is_empty());
        assert_eq!(public.turnover_band.value, None);
        assert_eq!(public.presentation, profile.presentation);
        assert_eq!(public.offers.len(), 1);
    }

    #[test]
    fn completeness_rewards_content_and_ranks_hints_by_value() {
        let empty = Profile::default().completeness(0, "2026-01-01");
        assert_eq!(empty.score, 0);
        assert_eq!(empty.hints[0], Hint::AddPresentation);
        let full = full_input().validate().unwrap();
        let c = full.completeness(1, "2026-01-01");
        // Missing: capability terms (15), labels do not count; everything else present.
        assert_eq!(c.score, 85);
        assert_eq!(c.hints, vec![Hint::AddCapabilityTerms { minimum: 3 }]);
        let later = full.completeness(1, "2028-01-01");
        assert!(later.hints.contains(&Hint::RenewExpired {
            name: "EN 9100".into()
        }));
    }

    #[test]
    fn iso_dates_are_checked_for_real_days() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("23-01-01"));
        assert!(!is_iso_date("2023-1-01"));
    }

    proptest! {
        #[test]
        fn validation_never_panics(text in "\\PC{0,300}", code in "\\PC{0,8}") {
            let input = ProfileInput {
                presentation: Visible::public(text.clone()),
                offers: vec![Offer { title: text.clone(), description: text.clone(), visibility: Visibility::Members }],
                capability_terms: Visible::public(vec![code.clone()]),
                export_markets: Visible::public(vec![code.clone()]),
                languages: Visible::public(vec![code.clone()]),
                regions_served: Visible::public(vec![code.clone()]),
                headcount_band: Visible::public(Some(code.clone())),
                certifications: Visible::public(vec![Credential { name: text.clone(), expires_on: Some(code.clone()) }]),
                ..ProfileInput::default()
            };
            if let Ok(profile) = input.validate() {
                prop_assert!(profile.completeness(0, "2026-01-01").score <= 100);
            }
        }
    }
}
