//! Kinds of member organisations and their size category (PME / ETI / grande entreprise).
//! Sizes follow the statistical definition of article 51 of the LME, set by décret n° 2008-1354.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A string that is not the code of any variant; `what` names the nomenclature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{input}'")]
pub struct UnknownCode {
    pub what: &'static str,
    pub input: String,
}

/// What an organisation is, which decides the forms and statistics a cluster reports it under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Company,
    ResearchLab,
    Academic,
    Association,
    PublicBody,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Company,
        OrgKind::ResearchLab,
        OrgKind::Academic,
        OrgKind::Association,
        OrgKind::PublicBody,
    ];

    /// Stable code, identical to the serde form; used in the database and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Company => "company",
            OrgKind::ResearchLab => "research_lab",
            OrgKind::Academic => "academic",
            OrgKind::Association => "association",
            OrgKind::PublicBody => "public_body",
        }
    }

    /// Inverse of [`OrgKind::as_str`]; exact match only, since codes are machine-written.
    pub fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == code)
            .ok_or_else(|| UnknownCode {
                what: "organisation kind",
                input: code.to_owned(),
            })
    }
}

/// Size category. Ordered from smallest to largest so that comparisons read naturally
/// (`size >= OrgSize::MidCap`). Micro-enterprises are not a separate category here: the
/// platform's funding schemes only distinguish PME, ETI and large companies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgSize {
    /// PME (petite ou moyenne entreprise), micro-enterprises included.
    Sme,
    /// ETI (entreprise de taille intermédiaire).
    MidCap,
    /// Grande entreprise ("grand compte" in cluster jargon).
    Large,
}

impl OrgSize {
    pub const ALL: [OrgSize; 3] = [OrgSize::Sme, OrgSize::MidCap, OrgSize::Large];

    /// Stable code, identical to the serde form.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSize::Sme => "sme",
            OrgSize::MidCap => "mid_cap",
            OrgSize::Large => "large",
        }
    }

    /// Inverse of [`OrgSize::as_str`].
    pub fn parse(code: &str) -> Result<Self, UnknownCode> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == code)
            .ok_or_else(|| UnknownCode {
                what: "organisation size",
                input: code.to_owned(),
            })
    }

    /// The French acronym used in official texts and by the clusters themselves.
    pub fn label_fr(self) -> &'static str {
        match self {
            OrgSize::Sme => "PME",
            OrgSize::MidCap => "ETI",
            OrgSize::Large => "Grande entreprise",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            OrgSize::Sme => "SME",
            OrgSize::MidCap => "Mid-cap",
            OrgSize::Large => "Large company",
        }
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for OrgSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::parse(s)
    }
}

impl FromStr for OrgSize {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgSize::parse(s)
    }
}

// Thresholds of décret n° 2008-1354, article 3. Headcounts are strict limits ("moins de");
// money amounts are inclusive ceilings ("n'excédant pas").

/// A PME employs fewer than this many persons.
pub const SME_HEADCOUNT_LIMIT: u32 = 250;
/// PME ceiling on annual turnover, in euros.
pub const SME_TURNOVER_CEILING_EUR: u64 = 50_000_000;
/// PME ceiling on balance sheet total, in euros.
pub const SME_BALANCE_SHEET_CEILING_EUR: u64 = 43_000_000;
/// An ETI employs fewer than this many persons.
pub const MID_CAP_HEADCOUNT_LIMIT: u32 = 5_000;
/// ETI ceiling on annual turnover, in euros.
pub const MID_CAP_TURNOVER_CEILING_EUR: u64 = 1_500_000_000;
/// ETI ceiling on balance sheet total, in euros.
pub const MID_CAP_BALANCE_SHEET_CEILING_EUR: u64 = 2_000_000_000;

/// Size category of an enterprise from its headcount (persons employed), annual turnover and
/// balance sheet total, in whole euros, for the last closed financial year. The figures are
/// those of the enterprise in the statistical sense (a group's French entities taken
/// together); consolidating them is the caller's business.
///
/// - PME: fewer than 250 persons, and turnover ≤ 50 M€ or balance sheet total ≤ 43 M€.
/// - ETI: not a PME, fewer than 5,000 persons, and turnover ≤ 1,500 M€ or balance sheet
///   total ≤ 2,000 M€.
/// - Grande entreprise: everything else.
///
/// Missing figures (members often declare only a headcount):
/// - both unknown: the category is decided on headcount alone, which is what INSEE
///   does when no financial data is available;
/// - one unknown: it cannot prove that a ceiling is respected, so the known figure alone
///   decides the financial condition. A declared turnover above the ceiling therefore moves
///   the enterprise up even when the balance sheet total is unknown.
pub fn size_category(headcount: u32, turnover_eur: Option<u64>, balance_sheet_eur: Option<u64>) -> OrgSize {
    let within = |turnover_ceiling: u64, balance_ceiling: u64| match (turnover_eur, balance_sheet_eur) {
        (None, None) => true,
        (t, b) => t.is_some_and(|t| t <= turnover_ceiling) || b.is_some_and(|b| b <= balance_ceiling),
    };
    if headcount < SME_HEADCOUNT_LIMIT && within(SME_TURNOVER_CEILING_EUR, SME_BALANCE_SHEET_CEILING_EUR) {
        OrgSize::Sme
    } else if headcount < MID_CAP_HEADCOUNT_LIMIT
        && within(MID_CAP_TURNOVER_CEILING_EUR, MID_CAP_BALANCE_SHEET_CEILING_EUR)
    {
        OrgSize::MidCap
    } else {
        OrgSize::Large
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    const M: u64 = 1_000_000;

    fn de<'a, T: Deserialize<'a>>(s: &'a str) -> Result<T, DeError> {
        let d: StrDeserializer<'a, DeError> = s.into_deserializer();
        T::deserialize(d)
    }

    #[test]
    fn kind_codes_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(kind.as_str().parse::<OrgKind>(), Ok(kind));
            assert_eq!(de::<OrgKind>(kind.as_str()).unwrap(), kind);
            assert_eq!(kind.to_string(), kind.as_str());
        }
        assert_eq!(OrgKind::ResearchLab.as_str(), "research_lab");
        assert_eq!(OrgKind::PublicBody.as_str(), "public_body");
    }

    #[test]
    fn size_codes_round_trip() {
        let codes: Vec<_> = OrgSize::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(codes, ["sme", "mid_cap", "large"]);
        for size in OrgSize::ALL {
            assert_eq!(OrgSize::parse(size.as_str()), Ok(size));
            assert_eq!(de::<OrgSize>(size.as_str()).unwrap(), size);
            assert_eq!(size.to_string(), size.as_str());
        }
    }

    #[test]
    fn unknown_codes_are_rejected() {
        let err = OrgKind::parse("Company").unwrap_err();
        assert_eq!(err.to_string(), "unknown organisation kind 'Company'");
        let err = OrgSize::parse("pme").unwrap_err();
        assert_eq!(err.to_string(), "unknown organisation size 'pme'");
        assert!(OrgSize::parse("").is_err());
        assert!(de::<OrgSize>("midcap").is_err());
    }

    #[test]
    fn labels() {
        assert_eq!(OrgSize::Sme.label_fr(), "PME");
        assert_eq!(OrgSize::MidCap.label_fr(), "ETI");
        assert_eq!(OrgSize::Large.label_fr(), "Grande entreprise");
        assert_eq!(OrgSize::Sme.label_en(), "SME");
        assert_eq!(OrgSize::MidCap.label_en(), "Mid-cap");
        assert_eq!(OrgSize::Large.label_en(), "Large company");
    }

    #[test]
    fn sizes_are_ordered() {
        assert!(OrgSize::Sme < OrgSize::MidCap);
        assert!(OrgSize::MidCap < OrgSize::Large);
    }

    #[test]
    fn sme_headcount_boundary() {
        assert_eq!(size_category(0, Some(0), Some(0)), OrgSize::Sme);
        assert_eq!(size_category(249, Some(10 * M), Some(10 * M)), OrgSize::Sme);
        assert_eq!(size_category(250, Some(10 * M), Some(10 * M)), OrgSize::MidCap);
    }

    #[test]
    fn sme_financial_boundaries() {
        // Either ceiling suffices.
        assert_eq!(size_category(100, Some(50 * M), Some(900 * M)), OrgSize::Sme);
        assert_eq!(size_category(100, Some(900 * M), Some(43 * M)), OrgSize::Sme);
        // Exceeding both by one euro makes an ETI, despite the small headcount.
        assert_eq!(
            size_category(100, Some(50 * M + 1), Some(43 * M + 1)),
            OrgSize::MidCap
        );
    }

    #[test]
    fn mid_cap_boundaries() {
        assert_eq!(size_category(4_999, Some(M), None), OrgSize::MidCap);
        assert_eq!(size_category(5_000, Some(M), None), OrgSize::Large);
        assert_eq!(
            size_category(1_000, Some(1_500 * M), Some(5_000 * M)),
            OrgSize::MidCap
        );
        assert_eq!(
            size_category(1_000, Some(5_000 * M), Some(2_000 * M)),
            OrgSize::MidCap
        );
        assert_eq!(
            size_category(1_000, Some(1_500 * M + 1), Some(2_000 * M + 1)),
            OrgSize::Large
        );
        // A small headcount does not protect from the ETI financial ceilings.
        assert_eq!(
            size_category(10, Some(1_500 * M + 1), Some(2_000 * M + 1)),
            OrgSize::Large
        );
    }

    #[test]
    fn both_figures_unknown_uses_headcount_alone() {
        assert_eq!(size_category(0, None, None), OrgSize::Sme);
        assert_eq!(size_category(249, None, None), OrgSize::Sme);
        assert_eq!(size_category(250, None, None), OrgSize::MidCap);
        assert_eq!(size_category(4_999, None, None), OrgSize::MidCap);
        assert_eq!(size_category(5_000, None, None), OrgSize::Large);
    }

    #[test]
    fn one_figure_unknown_the_other_decides() {
        assert_eq!(size_category(10, Some(50 * M), None), OrgSize::Sme);
        assert_eq!(size_category(10, Some(50 * M + 1), None), OrgSize::MidCap);
        assert_eq!(size_category(10, None, Some(43 * M)), OrgSize::Sme);
        assert_eq!(size_category(10, None, Some(43 * M + 1)), OrgSize::MidCap);
        assert_eq!(size_category(10, Some(1_500 * M + 1), None), OrgSize::Large);
        assert_eq!(size_category(10, None, Some(2_000 * M + 1)), OrgSize::Large);
        assert_eq!(size_category(10, None, Some(2_000 * M)), OrgSize::MidCap);
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        assert_eq!(
            size_category(u32::MAX, Some(u64::MAX), Some(u64::MAX)),
            OrgSize::Large
        );
        assert_eq!(size_category(u32::MAX, None, None), OrgSize::Large);
    }

    fn figure() -> impl Strategy<Value = Option<u64>> {
        // Concentrate around the thresholds, where mistakes would hide, without losing the tails.
        prop_oneof![
            Just(None),
            (0u64..3_000 * M).prop_map(Some),
            (40 * M..55 * M).prop_map(Some),
            any::<u64>().prop_map(Some),
        ]
    }

    fn headcount() -> impl Strategy<Value = u32> {
        prop_oneof![0u32..6_000, 240u32..260, 4_990u32..5_010, any::<u32>()]
    }

    proptest! {
        #[test]
        fn more_headcount_never_shrinks(
            a in headcount(), b in headcount(), t in figure(), bs in figure()
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(size_category(lo, t, bs) <= size_category(hi, t, bs));
        }

        #[test]
        fn more_turnover_never_shrinks(
            h in headcount(), x in any::<u64>(), y in any::<u64>(), bs in figure()
        ) {
            let (lo, hi) = (x.min(y), x.max(y));
            prop_assert!(size_category(h, Some(lo), bs) <= size_category(h, Some(hi), bs));
        }

        #[test]
        fn more_balance_sheet_never_shrinks(
            h in headcount(), x in any::<u64>(), y in any::<u64>(), t in figure()
        ) {
            let (lo, hi) = (x.min(y), x.max(y));
            prop_assert!(size_category(h, t, Some(lo)) <= size_category(h, t, Some(hi)));
        }

        #[test]
        fn headcount_bounds_the_category(h in headcount(), t in figure(), bs in figure()) {
            let size = size_category(h, t, bs);
            if h >= MID_CAP_HEADCOUNT_LIMIT {
                prop_assert_eq!(size, OrgSize::Large);
            } else if h >= SME_HEADCOUNT_LIMIT {
                prop_assert!(size >= OrgSize::MidCap);
            }
        }

        #[test]
        fn figures_never_lower_the_headcount_only_category(
            h in headcount(), t in figure(), bs in figure()
        ) {
            // Financial figures can only move an enterprise up from its headcount-only
            // category, never down: the headcount limits apply in all cases.
            prop_assert!(size_category(h, None, None) <= size_category(h, t, bs));
        }

        #[test]
        fn figures_within_sme_ceilings_follow_headcount(
            h in headcount(), t in 0..=SME_TURNOVER_CEILING_EUR, bs in any::<u64>()
        ) {
            prop_assert_eq!(size_category(h, Some(t), Some(bs)), size_category(h, None, None));
        }
    }
}
