//! Language of the pages: French first, English on request. The choice comes from the toggle's
//! cookie, then the signed-in person's saved preference, then the browser's Accept-Language.

pub const LANG_COOKIE: &str = "passerelle_lang";
pub const LOCALES: [&str; 2] = ["fr", "en"];

/// The translator handed to templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub locale: &'static str,
}

impl Tr {
    pub fn new(locale: &str) -> Tr {
        Tr {
            locale: supported(locale).unwrap_or("fr"),
        }
    }

    pub fn t(&self, key: impl AsRef<str>) -> String {
        rust_i18n::t!(key.as_ref(), locale = self.locale).into_owned()
    }

    /// The language the toggle offers.
    pub fn other_locale(&self) -> &'static str {
        if self.locale == "fr" { "en" } else { "fr" }
    }
}

fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    LOCALES.into_iter().find(|l| *l == primary)
}

/// Picks the first supported language of an Accept-Language header, honouring q-values.
fn from_accept_language(header: &str) -> Option<&'static str> {
    let mut ranked: Vec<(f32, &'static str)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let locale = supported(pieces.next()?)?;
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (quality > 0.0).then_some((quality, locale))
        })
        .collect();
    // Stable sort keeps the header's order among equal weights.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked.first().map(|(_, l)| *l)
}

pub fn negotiate(cookie: Option<&str>, saved: Option<&str>, accept_language: Option<&str>) -> Tr {
    let locale = cookie
        .and_then(supported)
        .or_else(|| saved.and_then(supported))
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or("fr");
    Tr { locale }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn french_is_the_default() {
        assert_eq!(negotiate(None, None, None).locale, "fr");
        assert_eq!(negotiate(None, None, Some("de-DE,de;q=0.9")).locale, "fr");
    }

    #[test]
    fn accept_language_is_ranked_by_quality() {
        assert_eq!(negotiate(None, None, Some("fr;q=0.4, en-GB;q=0.8")).locale, "en");
        assert_eq!(
            negotiate(None, None, Some("en-US,en;q=0.9,fr;q=0.8")).locale,
            "en"
        );
        assert_eq!(negotiate(None, None, Some("en;q=0")).locale, "fr");
    }

    #[test]
    fn the_toggle_beats_saved_preference_which_beats_the_browser() {
        assert_eq!(negotiate(Some("en"), Some("fr"), Some("fr")).locale, "en");
        assert_eq!(negotiate(None, Some("en"), Some("fr")).locale, "en");
        assert_eq!(negotiate(Some("xx"), None, Some("en")).locale, "en");
    }

    fn keys(yaml: &str) -> BTreeSet<String> {
        yaml.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("_version") && l.contains(':'))
            .map(|l| l.split(':').next().unwrap_or_default().trim().to_owned())
            .collect()
    }

    #[test]
    fn both_languages_translate_the_same_keys() {
        let fr = keys(include_str!("../locales/fr.yml"));
        let en = keys(include_str!("../locales/en.yml"));
        assert_eq!(
            fr.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in en.yml"
        );
        assert_eq!(
            en.difference(&fr).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in fr.yml"
        );
    }

    #[test]
    fn every_key_used_by_a_template_or_handler_is_translated() {
        let fr = keys(include_str!("../locales/fr.yml"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/pages"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap().flatten() {
                let Ok(text) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                for chunk in text.split(".t(\"").skip(1) {
                    let key = chunk.split('"').next().unwrap_or_default();
                    if key.contains('.') && !key.contains(' ') && !fr.contains(key) {
                        missing.push(format!("{}: {key}", entry.path().display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }
}
