//! The INSEE SIRENE establishment-stock layout (`StockEtablissement` CSV): which columns matter, how a
//! headcount band becomes a headcount, and how one row becomes an establishment, a closed one, or reasons to reject it.

use std::fmt;

use crate::geo::{self, Commune, GeoError};
use crate::naf::{NafCode, NafError};
use crate::org::{OrgKind, OrgSize, size_category};
use crate::siret::{IdentifierError, SIREN_LEN, Siret};
use crate::text::{self, TextError};

pub const SIRET: &str = "siret";
pub const SIREN: &str = "siren";
pub const ACTIVITY: &str = "activitePrincipaleEtablissement";
pub const NOMENCLATURE: &str = "nomenclatureActivitePrincipaleEtablissement";
pub const HEADCOUNT_BAND: &str = "trancheEffectifsEtablissement";
pub const COMMUNE: &str = "codeCommuneEtablissement";
pub const POSTCODE: &str = "codePostalEtablissement";
pub const STREET_NUMBER: &str = "numeroVoieEtablissement";
pub const STREET_NUMBER_SUFFIX: &str = "indiceRepetitionEtablissement";
pub const STREET_TYPE: &str = "typeVoieEtablissement";
pub const STREET_NAME: &str = "libelleVoieEtablissement";
pub const STATE: &str = "etatAdministratifEtablissement";
pub const LEGAL_CATEGORY: &str = "categorieJuridiqueUniteLegale";

/// Columns every file must have.
pub const REQUIRED_COLUMNS: [&str; 5] = [SIRET, ACTIVITY, HEADCOUNT_BAND, COMMUNE, STATE];

/// Where the name is read, in order of preference: the legal unit's name, else the establishment's
/// sign, else its usual name. A file must have at least one of them.
pub const NAME_COLUMNS: [&str; 3] = [
    "denominationUniteLegale",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
];

/// The only activity nomenclature accepted; older rows carry NAFRev1, NAF1993 or NAP codes.
pub const NAF_REV2: &str = "NAFRev2";

/// INSEE masks the fields of establishments whose owners refused publication with this marker.
const NOT_PUBLISHED: &str = "[ND]";

/// Longest name or address line kept, as for organisations registered through the forms.
const MAX_TEXT: usize = 200;

/// One INSEE headcount band (*tranche d'effectif salarié*).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeadcountBand {
    pub code: &'static str,
    /// Smallest headcount of the band: the representative value an import stores.
    pub min: u32,
    /// Largest headcount of the band; none for the open-ended top band.
    pub max: Option<u32>,
}

/// The bands of the SIRENE register. `NN` is a unit with no employees in the reference year, `00` one
/// with employees in the past but none at 31 December.
///
/// An import stores the band's lower bound: it never overstates a headcount, and the bands split
/// exactly at the size thresholds (250 and 5,000 persons), so [`size_category`] gives the same answer
/// for every headcount of a band.
pub const HEADCOUNT_BANDS: [HeadcountBand; 16] = [
    band("NN", 0, Some(0)),
    band("00", 0, Some(0)),
    band("01", 1, Some(2)),
    band("02", 3, Some(5)),
    band("03", 6, Some(9)),
    band("11", 10, Some(19)),
    band("12", 20, Some(49)),
    band("21", 50, Some(99)),
    band("22", 100, Some(199)),
    band("31", 200, Some(249)),
    band("32", 250, Some(499)),
    band("41", 500, Some(999)),
    band("42", 1_000, Some(1_999)),
    band("51", 2_000, Some(4_999)),
    band("52", 5_000, Some(9_999)),
    band("53", 10_000, None),
];

const fn band(code: &'static str, min: u32, max: Option<u32>) -> HeadcountBand {
    HeadcountBand { code, min, max }
}

/// The band of a `trancheEffectifsEtablissement` value. The register leaves the field empty when the
/// headcount is unknown; that reads as `NN` (no employees known).
pub fn headcount_band(code: &str) -> Option<&'static HeadcountBand> {
    let code = match code.trim() {
        "" => "NN",
        code => code,
    };
    HEADCOUNT_BANDS.iter().find(|b| b.code == code)
}

/// The header lacks columns the import cannot do without.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("missing required SIRENE column(s): {}", missing.join(", "))]
pub struct MissingColumns {
    /// Column names; a missing name column reads as `a or b or c`.
    pub missing: Vec<String>,
}

/// Where each column this import reads sits in the file's header; other columns are ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    width: usize,
    siret: usize,
    siren: Option<usize>,
    /// Present name columns, in order of preference, with their names for error messages.
    names: Vec<(usize, &'static str)>,
    activity: usize,
    nomenclature: Option<usize>,
    headcount_band: usize,
    commune: usize,
    postcode: Option<usize>,
    street_number: Option<usize>,
    street_number_suffix: Option<usize>,
    street_type: Option<usize>,
    street_name: Option<usize>,
    state: usize,
    legal_category: Option<usize>,
}

impl Layout {
    /// Locates the columns by name (exact, surrounding spaces ignored); the first of duplicate names wins.
    pub fn from_header<S: AsRef<str>>(header: &[S]) -> Result<Layout, MissingColumns> {
        let find = |name: &str| header.iter().position(|h| h.as_ref().trim() == name);
        let mut missing: Vec<String> = REQUIRED_COLUMNS
            .iter()
            .filter(|name| find(name).is_none())
            .map(|name| (*name).to_owned())
            .collect();
        let names: Vec<(usize, &'static str)> = NAME_COLUMNS
            .iter()
            .filter_map(|name| Some((find(name)?, *name)))
            .collect();
        if names.is_empty() {
            missing.push(NAME_COLUMNS.join(" or "));
        }
        let required = |name: &str| find(name).unwrap_or_default();
        if !missing.is_empty() {
            return Err(MissingColumns { missing });
        }
        Ok(Layout {
            width: header.len(),
            siret: required(SIRET),
            siren: find(SIREN),
            names,
            activity: required(ACTIVITY),
            nomenclature: find(NOMENCLATURE),
            headcount_band: required(HEADCOUNT_BAND),
            commune: required(COMMUNE),
            postcode: find(POSTCODE),
            street_number: find(STREET_NUMBER),
            street_number_suffix: find(STREET_NUMBER_SUFFIX),
            street_type: find(STREET_TYPE),
            street_name: find(STREET_NAME),
            state: required(STATE),
            legal_category: find(LEGAL_CATEGORY),
        })
    }

    /// Number of columns of the header, which every row must have.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Position of the `siret` column, for reporting rows that cannot be read as a whole.
    pub fn siret_column(&self) -> usize {
        self.siret
    }

    /// Reads one row of fields (in header order). Closed establishments are not validated further:
    /// the import skips them whatever they contain. A rejected row carries every reason found.
    pub fn read<S: AsRef<str>>(&self, fields: &[S]) -> Row {
        let field = |i: usize| fields.get(i).map_or("", |f| f.as_ref().trim());
        let optional = |i: Option<usize>| i.map_or("", |i| published(field(i)));
        match field(self.state) {
            "A" => {}
            "F" => return Row::Closed,
            other => return Row::Rejected(vec![RowError::State(other.to_owned())]),
        }
        let mut errors = Vec::new();
        let siret = Siret::parse(field(self.siret))
            .map_err(|e| errors.push(RowError::Siret(e)))
            .ok();
        let siren = optional(self.siren);
        if let Some(siret) = &siret
            && !siren.is_empty()
            && siren.split_whitespace().collect::<String>() != siret.as_str()[..SIREN_LEN]
        {
            errors.push(RowError::SirenMismatch {
                siren: siren.to_owned(),
                siret: siret.to_string(),
            });
        }
        let name = self
            .names
            .iter()
            .map(|&(i, column)| (published(field(i)), column))
            .find(|(n, _)| !n.is_empty());
        let name = match name.map(|(n, column)| text::required(column, n, MAX_TEXT)) {
            None => {
                errors.push(RowError::NoName);
                None
            }
            Some(Err(e)) => {
                errors.push(RowError::Text(e));
                None
            }
            Some(Ok(name)) => Some(name),
        };
        let nomenclature = optional(self.nomenclature);
        // An empty nomenclature is taken as NAF rev. 2: the code itself is still checked against it.
        if !nomenclature.is_empty() && nomenclature != NAF_REV2 {
            errors.push(RowError::NotNafRev2(nomenclature.to_owned()));
        }
        let naf = NafCode::parse(field(self.activity))
            .map_err(|e| {
                if nomenclature.is_empty() || nomenclature == NAF_REV2 {
                    errors.push(RowError::Naf(e));
                }
            })
            .ok();
        let band = headcount_band(field(self.headcount_band));
        if band.is_none() {
            errors.push(RowError::HeadcountBand(field(self.headcount_band).to_owned()));
        }
        let commune = self.commune(field(self.commune), optional(self.postcode), &mut errors);
        let address = self.address_line(&optional);
        let address = text::optional(STREET_NAME, &address, MAX_TEXT)
            .map_err(|e| errors.push(RowError::Text(e)))
            .ok()
            .flatten()
            .unwrap_or_default();
        let (Some(siret), Some(name), Some(naf), Some(band), Some((commune, postcode))) =
            (siret, name, naf, band, commune)
        else {
            return Row::Rejected(errors);
        };
        if !errors.is_empty() {
            return Row::Rejected(errors);
        }
        let kind = org_kind(optional(self.legal_category));
        Row::Active(Establishment {
            siret,
            name,
            kind,
            naf,
            headcount: band.min,
            // Size categories are defined for companies only, as for organisations registered by hand.
            size: (kind == OrgKind::Company).then(|| size_category(band.min, None, None)),
            commune,
            postcode,
            address_line: address,
        })
    }

    fn commune(
        &self,
        code: &str,
        postcode: &str,
        errors: &mut Vec<RowError>,
    ) -> Option<(&'static Commune, String)> {
        if code.is_empty() {
            errors.push(RowError::NoCommune);
            return None;
        }
        let commune = geo::CommuneCode::parse_known(code)
            .map_err(|e| errors.push(RowError::Commune(e)))
            .ok()?
            .commune()?;
        if postcode.is_empty() {
            // Masked or missing: the commune's first postcode, as the registration form does.
            let first = commune
                .postcodes
                .first()
                .map(|p| p.to_string())
                .unwrap_or_default();
            return Some((commune, first));
        }
        if !commune.postcode_matches(postcode) {
            errors.push(RowError::Postcode {
                postcode: postcode.to_owned(),
                commune: commune.name,
                code: commune.code,
            });
            return None;
        }
        Some((commune, postcode.to_owned()))
    }

    /// `12 BIS AVENUE DES MINIMES`: number, repetition index, street type spelled out, street name.
    fn address_line<'a>(&self, optional: &impl Fn(Option<usize>) -> &'a str) -> String {
        let parts = [
            optional(self.street_number),
            repetition_index(optional(self.street_number_suffix)),
            street_type(optional(self.street_type)),
            optional(self.street_name),
        ];
        let mut line = String::new();
        for part in parts.into_iter().filter(|p| !p.is_empty()) {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(part);
        }
        line
    }
}

fn published(value: &str) -> &str {
    if value == NOT_PUBLISHED { "" } else { value }
}

/// Legal categories (`categorieJuridiqueUniteLegale`, when the file has it): 7xxx are public bodies,
/// 92xx associations; everything else is a company. Without the column every row is a company.
fn org_kind(category: &str) -> OrgKind {
    if category.starts_with('7') {
        OrgKind::PublicBody
    } else if category.starts_with("92") {
        OrgKind::Association
    } else {
        OrgKind::Company
    }
}

fn repetition_index(code: &str) -> &str {
    match code {
        "B" => "BIS",
        "T" => "TER",
        "Q" => "QUATER",
        "C" => "QUINQUIES",
        other => other,
    }
}

/// SIRENE abbreviates street types; the address line spells out the common ones, in capitals like
/// the street names themselves. Unknown codes are kept as they are.
fn street_type(code: &str) -> &str {
    match code {
        "ALL" => "ALLEE",
        "AV" => "AVENUE",
        "BD" => "BOULEVARD",
        "CAR" => "CARREFOUR",
        "CHE" => "CHEMIN",
        "CHS" => "CHAUSSEE",
        "CRS" => "COURS",
        "DOM" => "DOMAINE",
        "ESP" => "ESPLANADE",
        "FG" => "FAUBOURG",
        "HAM" => "HAMEAU",
        "IMP" => "IMPASSE",
        "LD" => "LIEU-DIT",
        "LOT" => "LOTISSEMENT",
        "MTE" => "MONTEE",
        "PAS" => "PASSAGE",
        "PL" => "PLACE",
        "PRO" => "PROMENADE",
        "QUA" => "QUARTIER",
        "RES" => "RESIDENCE",
        "RLE" => "RUELLE",
        "RPT" => "ROND-POINT",
        "RTE" => "ROUTE",
        "SQ" => "SQUARE",
        "TRA" => "TRAVERSE",
        "VLA" => "VILLA",
        other => other,
    }
}

/// What one row of the file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Active(Establishment),
    /// `etatAdministratifEtablissement` is `F`: the establishment has closed.
    Closed,
    /// Never empty.
    Rejected(Vec<RowError>),
}

/// An active establishment whose fields passed the registry's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Establishment {
    pub siret: Siret,
    pub name: String,
    pub kind: OrgKind,
    pub naf: NafCode,
    /// The lower bound of the headcount band (see [`HEADCOUNT_BANDS`]).
    pub headcount: u32,
    /// From the establishment's headcount alone: the stock file has no financial figures, and the
    /// enterprise may employ more people elsewhere. None for other kinds than companies.
    pub size: Option<OrgSize>,
    pub commune: &'static Commune,
    pub postcode: String,
    pub address_line: String,
}

/// Why a row is rejected; the message is what the rejects file says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowError {
    #[error("{0}")]
    Siret(IdentifierError),
    #[error("siren {siren} is not the SIREN of SIRET {siret}")]
    SirenMismatch { siren: String, siret: String },
    #[error("no name: {} are all empty", NAME_COLUMNS.join(", "))]
    NoName,
    #[error("{0}")]
    Text(TextError),
    #[error("activity code in nomenclature {0}: only NAFRev2 is supported")]
    NotNafRev2(String),
    #[error("{0}")]
    Naf(NafError),
    #[error("unknown headcount band '{0}' (expected NN, 00, 01…03, 11, 12, 21, 22, 31, 32, 41, 42, 51…53)")]
    HeadcountBand(String),
    #[error("{COMMUNE} is empty (establishment abroad?)")]
    NoCommune,
    #[error("{0}")]
    Commune(GeoError),
    #[error("postcode {postcode} is not a postcode of {commune} ({code})")]
    Postcode {
        postcode: String,
        commune: &'static str,
        code: &'static str,
    },
    #[error("unknown {STATE} '{0}': expected A (active) or F (closed)")]
    State(String),
}

/// The reasons of a rejected row as one line of text.
pub struct Reasons<'a>(pub &'a [RowError]);

impl fmt::Display for Reasons<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HEADER: &[&str] = &[
        "siren",
        "nic",
        "siret",
        "trancheEffectifsEtablissement",
        "numeroVoieEtablissement",
        "indiceRepetitionEtablissement",
        "typeVoieEtablissement",
        "libelleVoieEtablissement",
        "codePostalEtablissement",
        "codeCommuneEtablissement",
        "etatAdministratifEtablissement",
        "enseigne1Etablissement",
        "denominationUsuelleEtablissement",
        "activitePrincipaleEtablissement",
        "nomenclatureActivitePrincipaleEtablissement",
        "denominationUniteLegale",
        "colonneInconnue",
    ];

    fn layout() -> Layout {
        Layout::from_header(HEADER).unwrap()
    }

    /// A good row with `changes` applied by column name.
    fn row(changes: &[(&str, &str)]) -> Vec<String> {
        let mut values = vec![
            "732829320",
            "00074",
            "73282932000074",
            "12",
            "12",
            "B",
            "AV",
            "DES MINIMES",
            "31200",
            "31555",
            "A",
            "",
            "",
            "62.01Z",
            "NAFRev2",
            "USINAGE TITANE OCCITANIE",
            "whatever",
        ];
        for (name, value) in changes {
            let i = HEADER.iter().position(|h| h == name).unwrap();
            values[i] = value;
        }
        values.into_iter().map(str::to_owned).collect()
    }

    fn rejected(changes: &[(&str, &str)]) -> String {
        match layout().read(&row(changes)) {
            Row::Rejected(errors) => Reasons(&errors).to_string(),
            other => panic!("expected a reject, got {other:?}"),
        }
    }

    #[test]
    fn sirene_good_row_becomes_an_establishment() {
        let Row::Active(e) = layout().read(&row(&[])) else {
            panic!("expected an active establishment")
        };
        assert_eq!(e.siret.as_str(), "73282932000074");
        assert_eq!(e.name, "USINAGE TITANE OCCITANIE");
        assert_eq!(e.kind, OrgKind::Company);
        assert_eq!(e.naf.as_str(), "62.01Z");
        assert_eq!(e.headcount, 20);
        assert_eq!(e.size, Some(OrgSize::Sme));
        assert_eq!(e.commune.name, "Toulouse");
        assert_eq!(e.postcode, "31200");
        assert_eq!(e.address_line, "12 BIS AVENUE DES MINIMES");
    }

    #[test]
    fn sirene_name_falls_back_to_sign_then_usual_name() {
        let read = |changes: &[(&str, &str)]| match layout().read(&row(changes)) {
            Row::Active(e) => e.name,
            other => panic!("{other:?}"),
        };
        let sign = [
            ("denominationUniteLegale", ""),
            ("enseigne1Etablissement", "TITANE SUD"),
            ("denominationUsuelleEtablissement", "USUEL"),
        ];
        assert_eq!(read(&sign), "TITANE SUD");
        let usual = [
            ("denominationUniteLegale", "[ND]"),
            ("denominationUsuelleEtablissement", "USUEL"),
        ];
        assert_eq!(read(&usual), "USUEL");
        let long = "X".repeat(201);
        let too_long = [
            ("denominationUniteLegale", ""),
            ("enseigne1Etablissement", long.as_str()),
        ];
        assert_eq!(
            rejected(&too_long),
            "enseigne1Etablissement is too long: 201 characters, at most 200 allowed"
        );
        assert_eq!(
            rejected(&[("denominationUniteLegale", " ")]),
            "no name: denominationUniteLegale, enseigne1Etablissement, denominationUsuelleEtablissement are all empty"
        );
    }

    #[test]
    fn sirene_closed_establishments_are_skipped_whatever_they_hold() {
        let closed = row(&[("etatAdministratifEtablissement", "F"), ("siret", "garbage")]);
        assert_eq!(layout().read(&closed), Row::Closed);
        assert_eq!(
            rejected(&[("etatAdministratifEtablissement", "X")]),
            "unknown etatAdministratifEtablissement 'X': expected A (active) or F (closed)"
        );
    }

    #[test]
    fn sirene_rejects_name_every_reason() {
        assert_eq!(
            rejected(&[("siret", "73282932000075")]),
            "SIRET 73282932000075 fails the Luhn check"
        );
        assert_eq!(
            rejected(&[("siren", "552100554")]),
            "siren 552100554 is not the SIREN of SIRET 73282932000074"
        );
        assert_eq!(
            rejected(&[("activitePrincipaleEtablissement", "99.99Z")]),
            "unknown NAF code 99.99Z"
        );
        assert_eq!(
            rejected(&[("codeCommuneEtablissement", "00000")]),
            "unknown commune code 00000"
        );
        assert_eq!(
            rejected(&[("codeCommuneEtablissement", "")]),
            "codeCommuneEtablissement is empty (establishment abroad?)"
        );
        assert_eq!(
            rejected(&[("codePostalEtablissement", "69001")]),
            "postcode 69001 is not a postcode of Toulouse (31555)"
        );
        assert!(
            rejected(&[("trancheEffectifsEtablissement", "99")]).starts_with("unknown headcount band '99'")
        );
        // Two faults, two reasons.
        assert_eq!(
            rejected(&[("siret", "1234"), ("codeCommuneEtablissement", "00000")]),
            "SIRET '1234' has 4 digits, expected 14; unknown commune code 00000"
        );
    }

    #[test]
    fn sirene_other_nomenclatures_are_rejected_with_their_name() {
        // 74.1A is a NAF rev. 1 code: only the nomenclature is reported, not a malformed code.
        assert_eq!(
            rejected(&[
                ("nomenclatureActivitePrincipaleEtablissement", "NAFRev1"),
                ("activitePrincipaleEtablissement", "74.1A"),
            ]),
            "activity code in nomenclature NAFRev1: only NAFRev2 is supported"
        );
        let empty = row(&[("nomenclatureActivitePrincipaleEtablissement", "")]);
        assert!(matches!(layout().read(&empty), Row::Active(_)));
    }

    #[test]
    fn sirene_masked_postcode_and_address_fall_back() {
        let masked = row(&[
            ("codePostalEtablissement", "[ND]"),
            ("libelleVoieEtablissement", "[ND]"),
            ("numeroVoieEtablissement", ""),
            ("indiceRepetitionEtablissement", ""),
            ("typeVoieEtablissement", ""),
        ]);
        let Row::Active(e) = layout().read(&masked) else {
            panic!()
        };
        assert_eq!(e.postcode, "31000", "Toulouse's first postcode");
        assert_eq!(e.address_line, "");
    }

    #[test]
    fn sirene_missing_columns_are_all_named() {
        let err = Layout::from_header(&["siren", "siret", "codeCommuneEtablissement"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "missing required SIRENE column(s): activitePrincipaleEtablissement, trancheEffectifsEtablissement, \
             etatAdministratifEtablissement, denominationUniteLegale or enseigne1Etablissement or \
             denominationUsuelleEtablissement"
        );
        let layout = Layout::from_header(&[
            " siret ",
            "enseigne1Etablissement",
            "activitePrincipaleEtablissement",
            "trancheEffectifsEtablissement",
            "codeCommuneEtablissement",
            "etatAdministratifEtablissement",
        ])
        .unwrap();
        assert_eq!(layout.width(), 6);
        assert_eq!(layout.siret_column(), 0);
    }

    #[test]
    fn sirene_legal_category_decides_the_kind() {
        let header: Vec<&str> = HEADER
            .iter()
            .copied()
            .chain(["categorieJuridiqueUniteLegale"])
            .collect();
        let layout = Layout::from_header(&header).unwrap();
        let kind = |category: &str| {
            let mut fields = row(&[]);
            fields.push(category.to_owned());
            match layout.read(&fields) {
                Row::Active(e) => (e.kind, e.size),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(kind("5710"), (OrgKind::Company, Some(OrgSize::Sme)));
        assert_eq!(kind("9220"), (OrgKind::Association, None));
        assert_eq!(kind("7389"), (OrgKind::PublicBody, None));
    }

    #[test]
    fn sirene_headcount_bands_are_lower_bounds_matching_size_thresholds() {
        assert_eq!(headcount_band("").unwrap().min, 0);
        assert_eq!(headcount_band("NN").unwrap().min, 0);
        assert_eq!(headcount_band(" 01 ").unwrap().min, 1);
        assert_eq!(headcount_band("31").unwrap().max, Some(249));
        assert_eq!(headcount_band("53").unwrap().max, None);
        assert!(headcount_band("99").is_none());
        assert!(headcount_band("1").is_none());
        for b in &HEADCOUNT_BANDS {
            let top = b.max.unwrap_or(1_000_000);
            assert!(b.min <= top, "{}", b.code);
            // Every headcount of a band falls in the same size category as its lower bound.
            assert_eq!(
                size_category(b.min, None, None),
                size_category(top, None, None),
                "{}",
                b.code
            );
        }
        // Bands after NN/00 tile the integers without gaps.
        for pair in HEADCOUNT_BANDS[1..].windows(2) {
            assert_eq!(pair[0].max.map(|m| m + 1), Some(pair[1].min), "{}", pair[1].code);
        }
    }

    proptest! {
        #[test]
        fn sirene_read_never_panics(fields in proptest::collection::vec("\\PC{0,20}", 0..20)) {
            let _ = layout().read(&fields);
        }
    }
}
