//! Bounded, trimmed free text as it may enter the registry, and the search key used to match names.
//! Every user-typed string passes through here so that over-long or control-character input is refused once.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("{field} is required")]
    Empty { field: &'static str },
    #[error("{field} is too long: {len} characters, at most {max} allowed")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{field} contains a control character")]
    ControlCharacter { field: &'static str },
}

/// Trims `input` and checks it holds between 1 and `max` characters and no control characters.
pub fn required(field: &'static str, input: &str, max: usize) -> Result<String, TextError> {
    let value = optional(field, input, max)?;
    value.ok_or(TextError::Empty { field })
}

/// Like [`required`] but an empty (or blank) input is `None`.
pub fn optional(field: &'static str, input: &str, max: usize) -> Result<Option<String>, TextError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(TextError::TooLong { field, len, max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter { field });
    }
    Ok(Some(trimmed.to_owned()))
}

/// Like [`optional`] for text areas: line breaks and tabs are kept (normalised to `\n`), other
/// control characters are still refused.
pub fn multiline(field: &'static str, input: &str, max: usize) -> Result<Option<String>, TextError> {
    let normalised = input.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = normalised.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(TextError::TooLong { field, len, max });
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(TextError::ControlCharacter { field });
    }
    Ok(Some(trimmed.to_owned()))
}

/// Lower-cases and strips French diacritics so that "Métallurgie" and "metallurgie" share one key.
/// Used for search-as-you-type on names, which must behave the same on SQLite and PostgreSQL.
pub fn search_key(input: &str) -> String {
    let mut key = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => key.push('a'),
            'ç' => key.push('c'),
            'é' | 'è' | 'ê' | 'ë' => key.push('e'),
            'î' | 'ï' | 'í' | 'ì' => key.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => key.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => key.push('u'),
            'ÿ' | 'ý' => key.push('y'),
            'ñ' => key.push('n'),
            'œ' => key.push_str("oe"),
            'æ' => key.push_str("ae"),
            c if c.is_alphanumeric() => key.push(c),
            _ => {
                // Punctuation and runs of spaces collapse into one space so "Dupont & Fils" matches "dupont fils".
                if !key.ends_with(' ') && !key.is_empty() {
                    key.push(' ');
                }
            }
        }
    }
    let trimmed_len = key.trim_end().len();
    key.truncate(trimmed_len);
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn required_trims_and_refuses_blank() {
        assert_eq!(required("name", "  Acme ", 10).unwrap(), "Acme");
        assert_eq!(
            required("name", "   ", 10),
            Err(TextError::Empty { field: "name" })
        );
    }

    #[test]
    fn too_long_counts_characters_not_bytes() {
        assert!(required("name", "ééééé", 5).is_ok());
        assert_eq!(
            required("name", "éééééé", 5),
            Err(TextError::TooLong {
                field: "name",
                len: 6,
                max: 5
            })
        );
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(matches!(
            required("name", "a\u{0}b", 10),
            Err(TextError::ControlCharacter { .. })
        ));
    }

    #[test]
    fn multiline_keeps_line_breaks_but_not_other_controls() {
        assert_eq!(
            multiline("text", " a\r\nb\tc ", 10).unwrap().as_deref(),
            Some("a\nb\tc")
        );
        assert!(matches!(
            multiline("text", "a\u{7}b", 10),
            Err(TextError::ControlCharacter { .. })
        ));
        assert_eq!(multiline("text", " \n ", 10), Ok(None));
    }

    #[test]
    fn search_key_folds_accents_and_punctuation() {
        assert_eq!(
            search_key("Métallurgie  Œuvres & Fils"),
            "metallurgie oeuvres fils"
        );
        assert_eq!(search_key("ÉCOLE"), "ecole");
    }

    proptest! {
        #[test]
        fn search_key_is_idempotent(s in "\\PC{0,40}") {
            let once = search_key(&s);
            prop_assert_eq!(search_key(&once), once.clone());
        }
    }
}
