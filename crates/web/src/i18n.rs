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

    /// A number with `places` decimals as this language writes it (see `domain::display`).
    pub fn decimal(&self, value: rust_decimal::Decimal, places: u32) -> String {
        domain::display::decimal(value, places, self.locale)
    }

    /// Euros to the cent: "2 520,50 €" / "€2,520.50".
    pub fn euros(&self, value: rust_decimal::Decimal) -> String {
        domain::display::euros(value, self.locale)
    }

    /// A calendar day: 05/12/2026 / 2026-12-05.
    pub fn date(&self, day: jiff::civil::Date) -> String {
        domain::display::date(day, self.locale)
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

    fn crate_dir() -> &'static std::path::Path {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// Every key of one language, over all its files: `fr.yml` and the areas' `<area>.fr.yml`
    /// (rust-i18n takes the locale from the last dotted part of the file name).
    fn keys_of(locale: &str) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for entry in std::fs::read_dir(crate_dir().join("locales")).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_suffix(".yml") else {
                continue;
            };
            if stem.rsplit('.').next() == Some(locale) {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let fresh = keys(&text);
                let repeated: Vec<_> = fresh.intersection(&all).cloned().collect();
                assert!(repeated.is_empty(), "{name} repeats keys: {repeated:?}");
                all.extend(fresh);
            }
        }
        all
    }

    fn source_files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                source_files(&path, found);
            } else {
                found.push(path);
            }
        }
    }

    #[test]
    fn both_languages_translate_the_same_keys() {
        let fr = keys_of("fr");
        let en = keys_of("en");
        assert_eq!(
            fr.difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in English"
        );
        assert_eq!(
            en.difference(&fr).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "missing in French"
        );
    }

    #[test]
    fn every_key_used_by_a_template_or_handler_is_translated() {
        let fr = keys_of("fr");
        let mut files = Vec::new();
        source_files(&crate_dir().join("templates"), &mut files);
        source_files(&crate_dir().join("src"), &mut files);
        let mut missing = Vec::new();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            for chunk in text.split(".t(\"").skip(1) {
                let key = chunk.split('"').next().unwrap_or_default();
                if key.contains('.') && !key.contains(' ') && !fr.contains(key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:#?}");
    }
}
