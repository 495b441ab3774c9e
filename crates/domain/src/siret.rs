//! SIREN (company) and SIRET (establishment) identifiers from the INSEE Sirene register.
//! Parse, don't validate: a `Siren` or `Siret` value exists only if its digits passed the checksum.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Number of digits of a SIREN.
pub const SIREN_LEN: usize = 9;
/// Number of digits of a SIRET (SIREN followed by the 5-digit NIC).
pub const SIRET_LEN: usize = 14;

/// La Poste's SIREN. Its establishments were numbered before the Luhn key was enforced, so
/// INSEE keeps them valid under a weaker rule: the digit sum of the SIRET is a multiple of 5.
const LA_POSTE_SIREN: &str = "356000000";

/// Which identifier a parse error is about; it is the first word of every error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierKind {
    Siren,
    Siret,
}

impl IdentifierKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentifierKind::Siren => "SIREN",
            IdentifierKind::Siret => "SIRET",
        }
    }
}

impl fmt::Display for IdentifierKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a SIREN or SIRET. Messages repeat the input so that a form error or a
/// log line can be understood without the surrounding context.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// The input, once spaces are removed, does not have the expected number of digits.
    #[error("{kind} '{input}' has {found} digits, expected {expected}")]
    WrongLength {
        kind: IdentifierKind,
        input: String,
        expected: usize,
        found: usize,
    },
    /// The input contains something other than ASCII digits and spaces.
    #[error("{kind} '{input}' contains characters other than digits and spaces")]
    NotDigits { kind: IdentifierKind, input: String },
    /// The digits are well formed but the check digit is wrong (typing error, most often).
    /// `input` holds the normalised digits.
    #[error("{kind} {input} fails the Luhn check")]
    BadChecksum { kind: IdentifierKind, input: String },
}

/// A SIREN: the 9-digit identifier of a legal unit (company, association, public body...).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siren(String);

/// A SIRET: the 14-digit identifier of an establishment, its SIREN followed by a 5-digit NIC.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Siret(String);

impl Siren {
    /// Parses a SIREN typed by a person or read from a file: digits, optionally grouped with
    /// spaces ("732 829 320"); the value keeps bare digits only.
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let digits = normalise(IdentifierKind::Siren, input, SIREN_LEN)?;
        if !luhn_valid(&digits) {
            return Err(IdentifierError::BadChecksum {
                kind: IdentifierKind::Siren,
                input: digits,
            });
        }
        Ok(Siren(digits))
    }

    /// The 9 bare digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Siret {
    /// Parses a SIRET: digits, optionally grouped with spaces ("732 829 320 00074"); the value
    /// keeps bare digits only. Both the whole SIRET and its SIREN part must pass their checksum,
    /// which is what makes [`Siret::siren`] infallible.
    pub fn parse(input: &str) -> Result<Self, IdentifierError> {
        let digits = normalise(IdentifierKind::Siret, input, SIRET_LEN)?;
        if !siret_checksum_ok(&digits) {
            return Err(IdentifierError::BadChecksum {
                kind: IdentifierKind::Siret,
                input: digits,
            });
        }
        // The SIRET key does not protect the SIREN part on its own (a SIREN typo can be
        // compensated in the NIC), so the SIREN key is checked too; its error names the SIREN.
        Siren::parse(&digits[..SIREN_LEN])?;
        Ok(Siret(digits))
    }

    /// The 14 bare digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The legal unit this establishment belongs to.
    pub fn siren(&self) -> Siren {
        // Already checked by `parse`.
        Siren(self.0[..SIREN_LEN].to_owned())
    }

    /// The NIC (numéro interne de classement): the 5 digits numbering the establishment
    /// within its legal unit.
    pub fn nic(&self) -> &str {
        &self.0[SIREN_LEN..]
    }
}

/// Computes the Luhn check digit that, appended to `prefix`, makes a Luhn-valid number.
///
/// Meant for the demo-data generator: take 8 arbitrary digits, append
/// `luhn_complete(prefix)` and the result is a SIREN that [`Siren::parse`] accepts; for a SIRET
/// take a valid SIREN plus 4 arbitrary digits and complete the 13 digits the same way. It is
/// not a validation function: real identifiers come from the register and go through `parse`.
///
/// # Panics
///
/// If `prefix` contains anything but ASCII digits: callers build the prefix themselves, so
/// that is a programming error, not an input error.
pub fn luhn_complete(prefix: &str) -> char {
    assert!(
        prefix.bytes().all(|b| b.is_ascii_digit()),
        "luhn_complete expects ASCII digits only, got '{prefix}'"
    );
    // With a trailing check digit the last prefix digit sits at an odd position from the
    // right, hence doubled: the sum is the same as validating "prefix0".
    let sum = luhn_sum(prefix.bytes().chain(std::iter::once(b'0')));
    let check = (10 - sum % 10) % 10;
    char::from(b'0' + check as u8)
}

/// Removes grouping spaces, then checks the characters and the length. Non-breaking and narrow
/// non-breaking spaces are accepted too: they are what French typography (and thus text copied
/// from a web page or a PDF) uses to group digits.
fn normalise(kind: IdentifierKind, input: &str, len: usize) -> Result<String, IdentifierError> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::NotDigits {
            kind,
            input: input.to_owned(),
        });
    }
    if digits.len() != len {
        return Err(IdentifierError::WrongLength {
            kind,
            input: input.to_owned(),
            expected: len,
            found: digits.len(),
        });
    }
    Ok(digits)
}

/// Standard SIRET rule, plus La Poste's exception. La Poste's own head office
/// (35600000000048) is Luhn-valid but its digit sum is 26, so the exception is an
/// alternative to Luhn, not a replacement for it.
fn siret_checksum_ok(digits: &str) -> bool {
    luhn_valid(digits) || (digits.starts_with(LA_POSTE_SIREN) && digit_sum(digits).is_multiple_of(5))
}

fn luhn_valid(digits: &str) -> bool {
    luhn_sum(digits.bytes()).is_multiple_of(10)
}

/// Luhn sum of ASCII digits: from the right, every second digit is doubled and reduced to a
/// single digit (minus 9 when above 9).
fn luhn_sum(digits: impl DoubleEndedIterator<Item = u8>) -> u32 {
    digits
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum()
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

impl fmt::Display for Siren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Siret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Siren {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Siret {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Siren {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Siren::parse(s)
    }
}

impl FromStr for Siret {
    type Err = IdentifierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Siret::parse(s)
    }
}

impl Serialize for Siren {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl Serialize for Siret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

// Deserialisation goes through `parse` so that no JSON body or stored row can smuggle in an
// unchecked identifier.
impl<'de> Deserialize<'de> for Siren {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Siren::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for Siret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Siret::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    // Luhn-valid SIRENs of well-known legal units, checked by hand and by these tests.
    const VALID_SIRENS: &[&str] = &[
        "732829320", // INSEE's documentation example
        "552100554", // Peugeot / Stellantis Auto
        "356000000", // La Poste
        "542051180", // TotalEnergies
        "552081317", // EDF
    ];

    const VALID_SIRETS: &[&str] = &[
        "73282932000074",
        "33243395200022",
        "55210055400013",
        "35600000000048", // La Poste head office: Luhn-valid, digit sum 26
    ];

    fn deserialize_siren(s: &str) -> Result<Siren, DeError> {
        let de: StrDeserializer<'_, DeError> = s.into_deserializer();
        Siren::deserialize(de)
    }

    fn deserialize_siret(s: &str) -> Result<Siret, DeError> {
        let de: StrDeserializer<'_, DeError> = s.into_deserializer();
        Siret::deserialize(de)
    }

    #[test]
    fn real_sirens_parse() {
        for s in VALID_SIRENS {
            let siren = Siren::parse(s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(siren.as_str(), *s);
        }
    }

    #[test]
    fn real_sirets_parse() {
        for s in VALID_SIRETS {
            let siret = Siret::parse(s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(siret.as_str(), *s);
        }
    }

    #[test]
    fn spaces_are_removed() {
        let siret = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(siret.as_str(), "73282932000074");
        assert_eq!(Siren::parse(" 732 829 320 ").unwrap().as_str(), "732829320");
        // Non-breaking and narrow non-breaking spaces, as copied from French web pages.
        assert_eq!(
            Siren::parse("732\u{a0}829\u{202f}320").unwrap().as_str(),
            "732829320"
        );
    }

    #[test]
    fn siret_parts() {
        let siret = Siret::parse("73282932000074").unwrap();
        assert_eq!(siret.siren(), Siren::parse("732829320").unwrap());
        assert_eq!(siret.nic(), "00074");
        assert_eq!(siret.to_string(), "73282932000074");
    }

    #[test]
    fn bad_checksum_is_rejected_and_named() {
        let err = Siret::parse("73282932000075").unwrap_err();
        assert_eq!(
            err,
            IdentifierError::BadChecksum {
                kind: IdentifierKind::Siret,
                input: "73282932000075".into()
            }
        );
        assert_eq!(err.to_string(), "SIRET 73282932000075 fails the Luhn check");

        let err = Siren::parse("732 829 321").unwrap_err();
        assert_eq!(err.to_string(), "SIREN 732829321 fails the Luhn check");
    }

    #[test]
    fn siret_with_invalid_siren_part_is_rejected() {
        // 732829321 is not a valid SIREN; the NIC is chosen so the 14 digits pass Luhn.
        let prefix = "7328293210001";
        let full = format!("{prefix}{}", luhn_complete(prefix));
        assert!(luhn_valid(&full));
        let err = Siret::parse(&full).unwrap_err();
        assert_eq!(err.to_string(), "SIREN 732829321 fails the Luhn check");
    }

    #[test]
    fn wrong_length_is_rejected() {
        let err = Siren::parse("73282932").unwrap_err();
        assert_eq!(
            err,
            IdentifierError::WrongLength {
                kind: IdentifierKind::Siren,
                input: "73282932".into(),
                expected: 9,
                found: 8
            }
        );
        assert_eq!(err.to_string(), "SIREN '73282932' has 8 digits, expected 9");
        // A SIRET is not a SIREN, and vice versa.
        assert!(matches!(
            Siren::parse("73282932000074"),
            Err(IdentifierError::WrongLength { found: 14, .. })
        ));
        assert!(matches!(
            Siret::parse("732829320"),
            Err(IdentifierError::WrongLength { found: 9, .. })
        ));
        assert!(matches!(
            Siret::parse(""),
            Err(IdentifierError::WrongLength { found: 0, .. })
        ));
        assert!(matches!(
            Siren::parse("   "),
            Err(IdentifierError::WrongLength { found: 0, .. })
        ));
    }

    #[test]
    fn non_digits_are_rejected() {
        for input in [
            "73282932O",
            "732-829-320",
            "732.829.320",
            "FR732829320",
            "７３２８２９３２０",
            "732\t829\t320",
        ] {
            let err = Siren::parse(input).unwrap_err();
            assert_eq!(
                err,
                IdentifierError::NotDigits {
                    kind: IdentifierKind::Siren,
                    input: input.into()
                },
                "{input}"
            );
        }
        assert_eq!(
            Siret::parse("7328293200007A").unwrap_err().to_string(),
            "SIRET '7328293200007A' contains characters other than digits and spaces"
        );
    }

    #[test]
    fn la_poste_exception() {
        // NIC digit sums ≡ 1 (mod 5) complete the SIREN's 14 to a multiple of 5.
        for s in ["35600000000001", "35600000049837", "35600000012346"] {
            assert!(!luhn_valid(s), "{s} should exercise the exception");
            assert_eq!(digit_sum(s) % 5, 0);
            let siret = Siret::parse(s).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(siret.siren().as_str(), "356000000");
        }
        // Neither Luhn-valid nor a multiple of 5.
        assert!(Siret::parse("35600000000002").is_err());
        // The exception belongs to La Poste only.
        let other = "73282932000004";
        assert_eq!(digit_sum(other) % 5, 0);
        assert!(!luhn_valid(other));
        assert!(Siret::parse(other).is_err());
    }

    #[test]
    fn luhn_complete_known_values() {
        assert_eq!(luhn_complete("73282932"), '0');
        assert_eq!(luhn_complete("7328293200007"), '4');
        assert_eq!(luhn_complete("35600000"), '0');
        assert_eq!(luhn_complete(""), '0');
    }

    #[test]
    #[should_panic(expected = "ASCII digits only")]
    fn luhn_complete_rejects_non_digits() {
        luhn_complete("12a");
    }

    #[test]
    fn serde_deserialize_goes_through_parse() {
        assert_eq!(
            deserialize_siren("732 829 320").unwrap(),
            Siren::parse("732829320").unwrap()
        );
        assert_eq!(deserialize_siret("73282932000074").unwrap().nic(), "00074");
        let err = deserialize_siret("73282932000075").unwrap_err();
        assert_eq!(err.to_string(), "SIRET 73282932000075 fails the Luhn check");
        assert!(deserialize_siren("abc").is_err());
    }

    #[test]
    fn from_str_matches_parse() {
        let siren: Siren = "732829320".parse().unwrap();
        assert_eq!(siren, Siren::parse("732829320").unwrap());
        assert!("732829321".parse::<Siren>().is_err());
        assert!("73282932000075".parse::<Siret>().is_err());
    }

    fn digits(n: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(0u8..10, n)
            .prop_map(|v| v.into_iter().map(|d| char::from(b'0' + d)).collect())
    }

    fn valid_siren() -> impl Strategy<Value = String> {
        digits(SIREN_LEN - 1).prop_map(|p| {
            let check = luhn_complete(&p);
            format!("{p}{check}")
        })
    }

    fn valid_siret() -> impl Strategy<Value = String> {
        (valid_siren(), digits(4)).prop_map(|(siren, nic)| {
            let p = format!("{siren}{nic}");
            let check = luhn_complete(&p);
            format!("{p}{check}")
        })
    }

    /// Inserts a space before every digit whose flag is set.
    fn with_spaces(s: &str, flags: &[bool]) -> String {
        let mut out = String::new();
        for (c, &space) in s.chars().zip(flags.iter().chain(std::iter::repeat(&false))) {
            if space {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn luhn_completed_sirens_parse(s in valid_siren()) {
            let siren = Siren::parse(&s).unwrap();
            prop_assert_eq!(siren.as_str(), s.as_str());
        }

        #[test]
        fn luhn_completed_sirets_parse(s in valid_siret()) {
            let siret = Siret::parse(&s).unwrap();
            prop_assert_eq!(siret.as_str(), s.as_str());
            let siren = siret.siren();
            prop_assert_eq!(siren.as_str(), &s[..9]);
            prop_assert_eq!(siret.nic(), &s[9..]);
        }

        #[test]
        fn changing_one_digit_of_a_siren_invalidates_it(
            s in valid_siren(), pos in 0..SIREN_LEN, delta in 1u8..10
        ) {
            let mut bytes = s.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            let is_bad_checksum = matches!(
                Siren::parse(&changed),
                Err(IdentifierError::BadChecksum { .. })
            );
            prop_assert!(is_bad_checksum);
        }

        #[test]
        fn changing_one_digit_of_a_siret_invalidates_it(
            s in valid_siret(), pos in 0..SIRET_LEN, delta in 1u8..10
        ) {
            // La Poste's weaker rule does not catch every single-digit change.
            prop_assume!(!s.starts_with(LA_POSTE_SIREN));
            let mut bytes = s.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(Siret::parse(&changed).is_err());
        }

        #[test]
        fn siren_display_round_trips(s in valid_siren()) {
            let siren = Siren::parse(&s).unwrap();
            let shown = siren.to_string();
            prop_assert_eq!(Siren::parse(&shown).unwrap(), siren.clone());
            prop_assert_eq!(deserialize_siren(siren.as_str()).unwrap(), siren);
        }

        #[test]
        fn siret_display_round_trips(s in valid_siret()) {
            let siret = Siret::parse(&s).unwrap();
            let shown = siret.to_string();
            prop_assert_eq!(Siret::parse(&shown).unwrap(), siret.clone());
            prop_assert_eq!(deserialize_siret(siret.as_str()).unwrap(), siret);
        }

        #[test]
        fn spaces_anywhere_are_ignored(
            s in valid_siret(), flags in proptest::collection::vec(any::<bool>(), SIRET_LEN)
        ) {
            let spaced = format!("{} ", with_spaces(&s, &flags));
            let parsed = Siret::parse(&spaced).unwrap();
            prop_assert_eq!(parsed.as_str(), s.as_str());
        }

        #[test]
        fn parse_never_panics(input in "\\PC{0,20}") {
            let _ = Siren::parse(&input);
            let _ = Siret::parse(&input);
        }
    }
}
