//! The SME capability directory's pages: search with facets (live results through htmx, a plain
//! GET form without JavaScript), the profile page, the profile editor with its completeness and
//! differentiation reports, and brochures. Handlers parse, call one use-case and render.

mod brochures;
mod editor;
mod profile;
mod search;

use crate::i18n::Tr;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/directory", get(search::page))
        .route("/directory/results", get(search::results))
        .route("/directory/{id}", get(profile::show))
        .route("/directory/{id}/edit", get(editor::show).post(editor::save))
        .route(
            "/directory/{id}/brochures",
            post(brochures::upload).layer(DefaultBodyLimit::max(crate::api::UPLOAD_BODY_LIMIT)),
        )
        .route(
            "/directory/{id}/brochures/{brochure_id}/delete",
            post(brochures::delete),
        )
        .route("/directory/brochures/{id}", get(brochures::download))
}

/// A translation with `%{name}` placeholders filled in (rust-i18n's placeholder syntax).
fn tr_with(tr: Tr, key: &str, args: &[(&str, &str)]) -> String {
    let mut text = tr.t(key);
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

/// A share in 0–1 as a whole percentage, written the locale's way ("45 %" in French).
fn percent(tr: Tr, share: f32) -> String {
    let value = (share.clamp(0.0, 1.0) * 100.0).round() as u32;
    tr_with(tr, "directory.percent", &[("n", &value.to_string())])
}

/// A `YYYY-MM-DD` date as the locale writes it; other text is shown as it is.
fn date(tr: Tr, iso: &str) -> String {
    match (tr.locale, iso.split('-').collect::<Vec<_>>().as_slice()) {
        ("fr", [y, m, d]) => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

/// Headcount band codes with their labels, in band order.
fn headcount_bands(tr: Tr) -> Vec<(&'static str, String)> {
    domain::profile::HeadcountBand::ALL
        .into_iter()
        .map(|b| (b.as_str(), tr.t(format!("directory.headcount.{}", b.as_str()))))
        .collect()
}

/// Turnover band codes with their labels, in band order.
fn turnover_bands(tr: Tr) -> Vec<(&'static str, String)> {
    domain::profile::TurnoverBand::ALL
        .into_iter()
        .map(|b| (b.as_str(), tr.t(format!("directory.turnover.{}", b.as_str()))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(yaml: &str) -> BTreeSet<String> {
        yaml.lines()
            .filter(|l| !l.starts_with('#') && l.contains(':'))
            .map(|l| l.split(':').next().unwrap_or_default().trim().to_owned())
            .collect()
    }

    /// The crate's own check reads the top-level folders only; this one reads the directory's.
    #[test]
    fn every_key_used_by_the_directory_pages_is_translated_in_both_languages() {
        let fr = keys(include_str!("../../../locales/fr.yml"));
        let en = keys(include_str!("../../../locales/en.yml"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates/directory", "src/pages/directory"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                for chunk in text.split("t(\"").skip(1) {
                    let key = chunk.split('"').next().unwrap_or_default();
                    if key.starts_with("directory.") && (!fr.contains(key) || !en.contains(key)) {
                        missing.push(format!("{}: {key}", entry.path().display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }

    /// Keys built from codes: every band and facet has its words in both languages (hints and
    /// suggestions are checked beside their wording, in `editor`).
    #[test]
    fn every_code_shown_to_people_has_words() {
        let fr = keys(include_str!("../../../locales/fr.yml"));
        let en = keys(include_str!("../../../locales/en.yml"));
        let mut wanted: Vec<String> = Vec::new();
        wanted.extend(
            domain::profile::HeadcountBand::ALL
                .iter()
                .map(|b| format!("directory.headcount.{}", b.as_str())),
        );
        wanted.extend(
            domain::profile::TurnoverBand::ALL
                .iter()
                .map(|b| format!("directory.turnover.{}", b.as_str())),
        );
        wanted.extend(
            ::search::Facet::DEFAULT
                .iter()
                .map(|f| format!("directory.facet.{}", f.as_str())),
        );
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|k| !fr.contains(*k) || !en.contains(*k))
            .collect();
        assert!(missing.is_empty(), "untranslated codes: {missing:#?}");
    }

    #[test]
    fn placeholders_are_filled_and_dates_follow_the_locale() {
        let fr = Tr::new("fr");
        assert_eq!(percent(fr, 0.456), "46 %");
        assert_eq!(percent(Tr::new("en"), 0.456), "46%");
        assert_eq!(date(fr, "2027-06-30"), "30/06/2027");
        assert_eq!(date(Tr::new("en"), "2027-06-30"), "2027-06-30");
    }
}
