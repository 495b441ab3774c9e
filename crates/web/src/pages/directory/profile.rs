//! An organisation's directory page: its registry facts and the capability profile as the reader
//! may see it (the use-case has already cut members-only fields for visitors), its brochures and
//! the companies whose profiles read most like it.

use super::date;
use crate::identity::Viewer;
use crate::pages::members::size_label;
use crate::pages::{Chrome, render};
use crate::state::AppState;
use app::directory::ProfilePage;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::profile::{Credential, Visibility, Visible};
use store::profiles::Brochure;

/// How many look-alike companies the page suggests.
const SIMILAR: usize = 5;

/// A field of the profile, with whether only members see it (a marker for members reading it).
pub struct Shown<T> {
    pub value: T,
    pub members_only: bool,
}

fn shown<T, U>(field: &Visible<T>, value: U) -> Shown<U> {
    Shown {
        value,
        members_only: field.visibility == Visibility::Members,
    }
}

pub struct CredentialRow {
    pub name: String,
    pub expires_on: Option<String>,
    pub expired: bool,
}

pub struct OfferRow {
    pub title: String,
    pub description: Vec<String>,
    pub members_only: bool,
}

pub struct ReferenceRow {
    pub client: String,
    pub project: String,
    pub year: Option<i32>,
    pub members_only: bool,
}

/// A brochure as a download link.
pub struct BrochureRow {
    pub id: i64,
    pub file_name: String,
    /// "PDF, 2,4 Mo".
    pub description: String,
    pub members_only: bool,
}

impl BrochureRow {
    pub fn of(tr: crate::i18n::Tr, brochure: &Brochure) -> BrochureRow {
        let kind = match brochure.content_type.as_str() {
            "application/pdf" => "PDF",
            "image/png" => "PNG",
            "image/jpeg" => "JPEG",
            other => other,
        };
        BrochureRow {
            id: brochure.id,
            file_name: brochure.file_name.clone(),
            description: format!("{kind}, {}", file_size(tr, brochure.size_bytes)),
            members_only: brochure.visibility != Visibility::Public.as_str(),
        }
    }
}

pub struct SimilarRow {
    pub id: i64,
    pub name: String,
    pub sector: String,
}

/// The registry facts, resolved to names.
pub struct Facts {
    pub siret: String,
    pub naf: String,
    pub commune: String,
    pub department: String,
    pub region: String,
    pub size: String,
    pub website: Option<String>,
}

#[derive(Template)]
#[template(path = "directory/profile.html")]
struct ProfileView {
    c: Chrome,
    id: i64,
    name: String,
    facts: Facts,
    can_edit: bool,
    visitor: bool,
    /// Paragraphs, each a list of lines.
    presentation: Shown<Vec<Vec<String>>>,
    offers: Vec<OfferRow>,
    capability_terms: Shown<Vec<&'static str>>,
    capabilities_text: Shown<Vec<Vec<String>>>,
    certifications: Shown<Vec<CredentialRow>>,
    labels: Shown<Vec<CredentialRow>>,
    references: Vec<ReferenceRow>,
    regions_served: Shown<Vec<String>>,
    export_markets: Shown<Vec<&'static str>>,
    headcount_band: Shown<Option<String>>,
    turnover_band: Shown<Option<String>>,
    languages: Shown<Vec<&'static str>>,
    brochures: Vec<BrochureRow>,
    similar: Vec<SimilarRow>,
    is_empty: bool,
}

/// `GET /directory/{id}`: visitors see the public profile, signed-in people the whole of it.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    let page = match state.app.profile_page(&viewer.actor, id).await {
        Ok(page) => page,
        Err(error) => return viewer.fail(error).into_response(),
    };
    // The page stands without its suggestions: a failing index must not hide the profile.
    let similar = match state.app.similar_organisations(&viewer.actor, id, SIMILAR).await {
        Ok(hits) => hits
            .into_iter()
            .map(|h| SimilarRow {
                id: h.org_id,
                sector: domain::naf::NafCode::parse(&h.naf)
                    .map(|c| c.label_fr().to_owned())
                    .unwrap_or_default(),
                name: h.name,
            })
            .collect(),
        Err(error) => {
            tracing::warn!(%error, organisation = id, "similar companies unavailable");
            Vec::new()
        }
    };
    render(&view(&viewer, page, similar))
}

fn view(viewer: &Viewer, page: ProfilePage, similar: Vec<SimilarRow>) -> ProfileView {
    let tr = viewer.tr;
    let locale = tr.locale;
    let today = app::directory::index::today();
    let org = page.organisation;
    let p = page.profile;
    let credentials = |list: &Visible<Vec<Credential>>| {
        shown(
            list,
            list.value
                .iter()
                .map(|c| CredentialRow {
                    name: c.name.clone(),
                    expires_on: c.expires_on.as_deref().map(|d| date(tr, d)),
                    expired: !c.is_current(&today),
                })
                .collect(),
        )
    };
    let commune = domain::geo::commune(&org.commune_code);
    let facts = Facts {
        siret: org.siret.clone(),
        naf: match domain::naf::NafCode::parse(&org.naf_code) {
            Ok(code) => format!("{} — {}", code.as_str(), code.label_fr()),
            Err(_) => org.naf_code.clone(),
        },
        commune: commune.map_or_else(|| org.commune_code.clone(), |c| c.name.to_owned()),
        department: domain::geo::department(&org.department_code).map_or_else(
            || org.department_code.clone(),
            |d| format!("{} ({})", d.name, d.code),
        ),
        region: domain::geo::region(&org.region_code)
            .map_or_else(|| org.region_code.clone(), |r| r.name.to_owned()),
        size: size_label(org.size.as_deref(), locale),
        // Only web addresses become links: nothing else may reach an href.
        website: org
            .website
            .clone()
            .filter(|w| w.starts_with("https://") || w.starts_with("http://")),
    };
    let is_empty = p.prose().is_empty()
        && p.capability_terms.value.is_empty()
        && p.certifications.value.is_empty()
        && p.labels.value.is_empty()
        && p.references.is_empty();
    ProfileView {
        c: Chrome::of(viewer, "directory"),
        id: org.id,
        name: org.legal_name.clone(),
        facts,
        can_edit: page.can_edit,
        visitor: !viewer.signed_in(),
        presentation: shown(&p.presentation, paragraphs(&p.presentation.value)),
        offers: p
            .offers
            .iter()
            .map(|o| OfferRow {
                title: o.title.clone(),
                description: o.description.lines().map(str::to_owned).collect(),
                members_only: o.visibility == Visibility::Members,
            })
            .collect(),
        capability_terms: shown(
            &p.capability_terms,
            p.capability_terms.value.iter().map(|c| c.label(locale)).collect(),
        ),
        capabilities_text: shown(&p.capabilities_text, paragraphs(&p.capabilities_text.value)),
        certifications: credentials(&p.certifications),
        labels: credentials(&p.labels),
        references: p
            .references
            .iter()
            .map(|r| ReferenceRow {
                client: r.client.clone(),
                project: r.project.clone(),
                year: r.year,
                members_only: r.visibility == Visibility::Members,
            })
            .collect(),
        regions_served: shown(
            &p.regions_served,
            p.regions_served
                .value
                .iter()
                .map(|code| domain::geo::region(code).map_or_else(|| code.clone(), |r| r.name.to_owned()))
                .collect(),
        ),
        export_markets: shown(
            &p.export_markets,
            p.export_markets.value.iter().map(|c| c.name(locale)).collect(),
        ),
        headcount_band: shown(
            &p.headcount_band,
            p.headcount_band
                .value
                .map(|b| tr.t(format!("directory.headcount.{}", b.as_str()))),
        ),
        turnover_band: shown(
            &p.turnover_band,
            p.turnover_band
                .value
                .map(|b| tr.t(format!("directory.turnover.{}", b.as_str()))),
        ),
        languages: shown(
            &p.languages,
            p.languages.value.iter().map(|l| l.name(locale)).collect(),
        ),
        brochures: page.brochures.iter().map(|b| BrochureRow::of(tr, b)).collect(),
        similar,
        is_empty,
    }
}

/// Text typed in a textarea: paragraphs split at blank lines, lines kept within them.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim_end)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// A file size people read: "820 Ko", "2,4 Mo" / "820 KB", "2.4 MB".
pub fn file_size(tr: crate::i18n::Tr, bytes: i64) -> String {
    let french = tr.locale == "fr";
    let (kilo, mega) = if french { ("Ko", "Mo") } else { ("KB", "MB") };
    if bytes < 1024 * 1024 {
        format!("{} {kilo}", (bytes + 1023) / 1024)
    } else {
        let text = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
        let text = if french { text.replace('.', ",") } else { text };
        format!("{text} {mega}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_keeps_its_paragraphs_and_lines() {
        assert_eq!(
            paragraphs("Usinage 5 axes\nTitane\n\n\nContrôle 3D\n"),
            vec![vec!["Usinage 5 axes", "Titane"], vec!["Contrôle 3D"]]
        );
        assert!(paragraphs("").is_empty());
    }

    #[test]
    fn sizes_read_in_the_locale() {
        assert_eq!(file_size(crate::i18n::Tr::new("fr"), 2_516_582), "2,4 Mo");
        assert_eq!(file_size(crate::i18n::Tr::new("en"), 2_048), "2 KB");
    }
}
