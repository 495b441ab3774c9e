//! Marks, weighted totals and the consolidated ranking of a call's dossiers. Arithmetic is exact:
//! every scale divides 100 and weights are integers, so a total is a fraction of integers, compared
//! exactly and rounded once, half up, to thousandths of a point for display.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use crate::committee::call::Criterion;

/// Points out of 100, held in thousandths (`72_500` is 72.5 points).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Points(u32);

impl Points {
    pub const MAX: Points = Points(100_000);

    pub fn from_milli(milli: u32) -> Points {
        Points(milli)
    }

    pub fn milli(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Points {
    /// `72.5`, `80`, `33.333`: as many decimals as needed, at most three.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, fraction) = (self.0 / 1000, self.0 % 1000);
        if fraction == 0 {
            return write!(f, "{whole}");
        }
        let digits = format!("{fraction:03}");
        write!(f, "{whole}.{}", digits.trim_end_matches('0'))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoringError {
    #[error("{mark} is outside the scale of '{criterion}': marks go from 0 to {max}")]
    OutOfScale { criterion: String, mark: i64, max: u32 },
    #[error("'{criterion}' has no mark")]
    Missing { criterion: String },
    #[error("{given} marks given for {expected} criteria")]
    WrongCount { given: usize, expected: usize },
    #[error("'{criterion}' has a scale of 0 to {max}, which does not divide 100")]
    UnsupportedScale { criterion: String, max: u32 },
    #[error("the call has no criterion with a weight")]
    NoWeight,
}

/// Checks one mark against its criterion's scale (0 to `scale_max`, whole marks).
pub fn check_mark(criterion: &Criterion, mark: i64) -> Result<u32, ScoringError> {
    u32::try_from(mark)
        .ok()
        .filter(|m| *m <= criterion.scale_max)
        .ok_or_else(|| ScoringError::OutOfScale {
            criterion: criterion.name.clone(),
            mark,
            max: criterion.scale_max,
        })
}

/// A non-negative fraction; totals and means are compared in this form, never rounded first.
#[derive(Debug, Clone, Copy)]
struct Fraction {
    num: u64,
    den: u64,
}

impl Fraction {
    fn cmp(self, other: Fraction) -> Ordering {
        (u128::from(self.num) * u128::from(other.den)).cmp(&(u128::from(other.num) * u128::from(self.den)))
    }

    /// Thousandths, rounded half up.
    fn milli(self) -> u32 {
        let scaled = u128::from(self.num) * 1000;
        let den = u128::from(self.den);
        ((scaled + den / 2) / den) as u32
    }
}

/// The sum of mark × (100 / scale) × weight over the criteria: the total times the sum of weights.
fn weighted_sum(criteria: &[Criterion], marks: &[u32]) -> Result<u64, ScoringError> {
    if marks.len() != criteria.len() {
        return Err(ScoringError::WrongCount {
            given: marks.len(),
            expected: criteria.len(),
        });
    }
    let mut sum = 0u64;
    for (criterion, &mark) in criteria.iter().zip(marks) {
        if criterion.scale_max == 0 || 100 % criterion.scale_max != 0 {
            return Err(ScoringError::UnsupportedScale {
                criterion: criterion.name.clone(),
                max: criterion.scale_max,
            });
        }
        check_mark(criterion, i64::from(mark))?;
        sum += u64::from(mark) * u64::from(100 / criterion.scale_max) * u64::from(criterion.weight);
    }
    Ok(sum)
}

fn weight_sum(criteria: &[Criterion]) -> Result<u64, ScoringError> {
    match criteria.iter().map(|k| u64::from(k.weight)).sum() {
        0 => Err(ScoringError::NoWeight),
        total => Ok(total),
    }
}

/// One evaluator's weighted total for one dossier, out of 100: each mark taken as a fraction of
/// its scale, weighted by the criterion's share of the weights. `marks` follow the criteria's order.
pub fn weighted_total(criteria: &[Criterion], marks: &[u32]) -> Result<Points, ScoringError> {
    let den = weight_sum(criteria)?;
    let num = weighted_sum(criteria, marks)?;
    Ok(Points(Fraction { num, den }.milli()))
}

/// One evaluator's marks for one dossier; `None` where a criterion is not marked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub evaluator: i64,
    /// The evaluator declared a conflict of interest with this candidate: the sheet does not count.
    pub conflict: bool,
    pub marks: Vec<Option<u32>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierSheets {
    pub dossier: i64,
    pub sheets: Vec<Sheet>,
}

/// A dossier's place in the consolidated ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    pub dossier: i64,
    /// 1 for the first; None when no complete sheet without conflict counts yet.
    pub rank: Option<usize>,
    /// Mean of the counted evaluators' weighted totals.
    pub total: Option<Points>,
    /// The counted evaluators' own totals, by evaluator id.
    pub by_evaluator: Vec<(i64, Points)>,
    pub excluded_for_conflict: usize,
    pub incomplete: usize,
    /// Same total as the dossier ranked just before; the order between them comes from the
    /// tie-breaks (see [`rank`]), and a page may show them as ex aequo.
    pub tied_with_previous: bool,
}

struct Tally {
    ranked: Ranked,
    mean: Option<Fraction>,
    /// Sum of marks per criterion over counted sheets, for the tie-breaks.
    mark_sums: Vec<u64>,
    counted: u64,
}

/// Ranks dossiers by the mean of their evaluators' weighted totals, highest first. A sheet counts
/// when it is complete and its evaluator declared no conflict with the candidate; dossiers with no
/// counted sheet come last, unranked. Equal totals are broken, in order, by the higher mean mark
/// on the heaviest criterion, then on the next heaviest (equal weights in the call's order), and
/// finally by the smaller dossier id (the earlier dossier) — so the order never depends on input
/// order.
pub fn rank(criteria: &[Criterion], dossiers: &[DossierSheets]) -> Result<Vec<Ranked>, ScoringError> {
    let weights = weight_sum(criteria)?;
    let mut tallies = Vec::with_capacity(dossiers.len());
    for dossier in dossiers {
        let mut tally = Tally {
            ranked: Ranked {
                dossier: dossier.dossier,
                rank: None,
                total: None,
                by_evaluator: Vec::new(),
                excluded_for_conflict: 0,
                incomplete: 0,
                tied_with_previous: false,
            },
            mean: None,
            mark_sums: vec![0; criteria.len()],
            counted: 0,
        };
        let mut sum = 0u64;
        for sheet in &dossier.sheets {
            if sheet.conflict {
                tally.ranked.excluded_for_conflict += 1;
                continue;
            }
            let Some(marks) = sheet.marks.iter().copied().collect::<Option<Vec<u32>>>() else {
                tally.ranked.incomplete += 1;
                continue;
            };
            let weighted = weighted_sum(criteria, &marks)?;
            sum += weighted;
            tally.counted += 1;
            for (total, mark) in tally.mark_sums.iter_mut().zip(&marks) {
                *total += u64::from(*mark);
            }
            let own = Fraction {
                num: weighted,
                den: weights,
            };
            tally
                .ranked
                .by_evaluator
                .push((sheet.evaluator, Points(own.milli())));
        }
        tally.ranked.by_evaluator.sort_by_key(|(evaluator, _)| *evaluator);
        if tally.counted > 0 {
            let mean = Fraction {
                num: sum,
                den: weights * tally.counted,
            };
            tally.mean = Some(mean);
            tally.ranked.total = Some(Points(mean.milli()));
        }
        tallies.push(tally);
    }

    // Heaviest criterion first; equal weights keep the call's order.
    let mut tie_order: Vec<usize> = (0..criteria.len()).collect();
    tie_order.sort_by_key(|&i| (std::cmp::Reverse(criteria[i].weight), i));
    let by_total = |a: &Tally, b: &Tally| match (a.mean, b.mean) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    tallies.sort_by(|a, b| {
        by_total(a, b)
            .then_with(|| {
                if a.counted == 0 || b.counted == 0 {
                    return Ordering::Equal;
                }
                tie_order
                    .iter()
                    .map(|&i| {
                        let x = Fraction {
                            num: a.mark_sums[i],
                            den: a.counted,
                        };
                        let y = Fraction {
                            num: b.mark_sums[i],
                            den: b.counted,
                        };
                        y.cmp(x)
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            })
            .then(a.ranked.dossier.cmp(&b.ranked.dossier))
    });
    let mut out: Vec<Ranked> = Vec::with_capacity(tallies.len());
    let mut previous: Option<Fraction> = None;
    for (i, mut tally) in tallies.into_iter().enumerate() {
        if let Some(mean) = tally.mean {
            tally.ranked.rank = Some(i + 1);
            tally.ranked.tied_with_previous = previous.is_some_and(|p| p.cmp(mean).is_eq());
            previous = Some(mean);
        }
        out.push(tally.ranked);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn criterion(name: &str, weight: u32, scale_max: u32) -> Criterion {
        Criterion {
            name: name.into(),
            description: String::new(),
            weight,
            scale_max,
        }
    }

    /// Price (weight 40, out of 20) and quality (weight 60, out of 10).
    fn grid() -> Vec<Criterion> {
        vec![criterion("Prix", 40, 20), criterion("Qualité", 60, 10)]
    }

    fn sheet(evaluator: i64, marks: &[u32]) -> Sheet {
        Sheet {
            evaluator,
            conflict: false,
            marks: marks.iter().map(|&m| Some(m)).collect(),
        }
    }

    #[test]
    fn marks_outside_the_scale_are_refused_with_the_scale() {
        let price = &grid()[0];
        assert_eq!(check_mark(price, 0), Ok(0));
        assert_eq!(check_mark(price, 20), Ok(20));
        let err = check_mark(price, 21).unwrap_err();
        assert_eq!(
            err.to_string(),
            "21 is outside the scale of 'Prix': marks go from 0 to 20"
        );
        assert!(check_mark(price, -1).is_err());
        assert!(check_mark(price, i64::MAX).is_err());
        assert!(weighted_total(&grid(), &[21, 5]).is_err());
        assert_eq!(
            weighted_total(&grid(), &[1]),
            Err(ScoringError::WrongCount {
                given: 1,
                expected: 2
            })
        );
    }

    #[test]
    fn weighted_totals_are_exact_and_rounded_once() {
        // 15/20 → 75 % of 40, 7/10 → 70 % of 60: 30 + 42 = 72 points.
        assert_eq!(weighted_total(&grid(), &[15, 7]).unwrap(), Points(72_000));
        assert_eq!(weighted_total(&grid(), &[20, 10]).unwrap(), Points::MAX);
        assert_eq!(weighted_total(&grid(), &[0, 0]).unwrap(), Points(0));
        // Three equal weights, marks 1, 0, 0 out of 5: 20 / 3 = 6.666… → 6.667.
        let thirds = [criterion("a", 1, 5), criterion("b", 1, 5), criterion("c", 1, 5)];
        let total = weighted_total(&thirds, &[1, 0, 0]).unwrap();
        assert_eq!(total, Points(6_667));
        assert_eq!(total.to_string(), "6.667");
        assert_eq!(Points(72_500).to_string(), "72.5");
        assert_eq!(Points(80_000).to_string(), "80");
        assert_eq!(Points(5).to_string(), "0.005");
    }

    #[test]
    fn the_ranking_averages_evaluators_and_leaves_out_conflicts_and_unfinished_sheets() {
        let dossiers = vec![
            DossierSheets {
                dossier: 10,
                sheets: vec![sheet(1, &[10, 5]), sheet(2, &[20, 10])], // 50 and 100 → 75
            },
            DossierSheets {
                dossier: 11,
                sheets: vec![
                    sheet(1, &[16, 8]), // 32 + 48 = 80
                    Sheet {
                        conflict: true,
                        ..sheet(2, &[0, 0])
                    },
                ],
            },
            DossierSheets {
                dossier: 12,
                sheets: vec![Sheet {
                    evaluator: 1,
                    conflict: false,
                    marks: vec![Some(20), None],
                }],
            },
        ];
        let ranking = rank(&grid(), &dossiers).unwrap();
        let order: Vec<(i64, Option<usize>, Option<u32>)> = ranking
            .iter()
            .map(|r| (r.dossier, r.rank, r.total.map(Points::milli)))
            .collect();
        assert_eq!(
            order,
            [
                (11, Some(1), Some(80_000)),
                (10, Some(2), Some(75_000)),
                (12, None, None)
            ]
        );
        assert_eq!(ranking[0].excluded_for_conflict, 1);
        assert_eq!(ranking[0].by_evaluator, [(1, Points(80_000))]);
        assert_eq!(ranking[1].by_evaluator, [(1, Points(50_000)), (2, Points::MAX)]);
        assert_eq!(ranking[2].incomplete, 1);
    }

    #[test]
    fn ties_are_broken_by_the_heaviest_criterion_then_by_dossier() {
        // Both total 60: dossier 21 is stronger on quality (weight 60), so it goes first.
        let a = DossierSheets {
            dossier: 20,
            sheets: vec![sheet(1, &[15, 5])], // 30 + 30
        };
        let b = DossierSheets {
            dossier: 21,
            sheets: vec![sheet(1, &[0, 10])], // 0 + 60
        };
        let ranking = rank(&grid(), &[a.clone(), b.clone()]).unwrap();
        assert_eq!(ranking.iter().map(|r| r.dossier).collect::<Vec<_>>(), [21, 20]);
        assert!(ranking[1].tied_with_previous);
        assert_eq!(ranking[1].rank, Some(2));
        // Identical marks: the smaller id first, whatever the input order.
        let c = DossierSheets {
            dossier: 19,
            sheets: b.sheets.clone(),
        };
        let ranking = rank(&grid(), &[b, c]).unwrap();
        assert_eq!(ranking.iter().map(|r| r.dossier).collect::<Vec<_>>(), [19, 21]);
    }

    #[test]
    fn totals_that_round_alike_are_still_ordered_exactly() {
        // Weights 1 and 999 out of 100-point scales, two evaluators: means are multiples of
        // 1/2000 of a point, finer than the thousandths shown. 0.0005 and 0.001 both show 0.001.
        let criteria = [criterion("a", 1, 100), criterion("b", 999, 100)];
        let lower = DossierSheets {
            dossier: 1,
            sheets: vec![sheet(1, &[1, 0]), sheet(2, &[0, 0])],
        };
        let higher = DossierSheets {
            dossier: 2,
            sheets: vec![sheet(1, &[1, 0]), sheet(2, &[1, 0])],
        };
        let ranking = rank(&criteria, &[lower, higher]).unwrap();
        assert_eq!(ranking[0].dossier, 2);
        assert_eq!(ranking[0].total, ranking[1].total, "{ranking:?}");
        assert!(!ranking[1].tied_with_previous, "the exact totals differ");
    }

    fn arbitrary_marks(criteria: &[Criterion]) -> impl Strategy<Value = Vec<u32>> + use<> {
        criteria.iter().map(|k| 0..=k.scale_max).collect::<Vec<_>>()
    }

    proptest! {
        #[test]
        fn totals_stay_within_zero_and_a_hundred_and_grow_with_marks(
            (criteria, marks, bump) in prop::collection::vec(
                (1u32..=1000, prop::sample::select(crate::committee::call::SCALES.to_vec())), 1..8)
                .prop_flat_map(|spec| {
                    let criteria: Vec<Criterion> = spec.iter().enumerate()
                        .map(|(i, &(w, s))| criterion(&format!("c{i}"), w, s)).collect();
                    let marks = arbitrary_marks(&criteria);
                    let n = criteria.len();
                    (Just(criteria), marks, 0..n)
                })
        ) {
            let total = weighted_total(&criteria, &marks).unwrap();
            prop_assert!(total <= Points::MAX);
            let mut higher = marks.clone();
            if higher[bump] < criteria[bump].scale_max {
                higher[bump] += 1;
                prop_assert!(weighted_total(&criteria, &higher).unwrap() >= total);
            }
            let full: Vec<u32> = criteria.iter().map(|k| k.scale_max).collect();
            prop_assert_eq!(weighted_total(&criteria, &full).unwrap(), Points::MAX);
        }

        #[test]
        fn the_ranking_is_sorted_complete_and_blind_to_input_order_and_conflicted_sheets(
            marks in prop::collection::vec(prop::collection::vec((0u32..=20, 0u32..=10), 0..4), 1..8),
            junk in (0u32..=20, 0u32..=10),
        ) {
            let dossiers: Vec<DossierSheets> = marks.iter().enumerate().map(|(d, sheets)| DossierSheets {
                dossier: d as i64,
                sheets: sheets.iter().enumerate().map(|(e, &(p, q))| sheet(e as i64, &[p, q])).collect(),
            }).collect();
            let ranking = rank(&grid(), &dossiers).unwrap();
            prop_assert_eq!(ranking.len(), dossiers.len());
            let totals: Vec<Option<Points>> = ranking.iter().map(|r| r.total).collect();
            for pair in totals.windows(2) {
                match (pair[0], pair[1]) {
                    (Some(a), Some(b)) => prop_assert!(a >= b),
                    (None, Some(_)) => prop_assert!(false, "unranked before ranked"),
                    _ => {}
                }
            }
            let mut reversed = dossiers.clone();
            reversed.reverse();
            prop_assert_eq!(&rank(&grid(), &reversed).unwrap(), &ranking);
            let mut conflicted = dossiers.clone();
            for d in &mut conflicted {
                d.sheets.push(Sheet { evaluator: 99, conflict: true, marks: vec![Some(junk.0), Some(junk.1)] });
            }
            let again = rank(&grid(), &conflicted).unwrap();
            prop_assert_eq!(
                again.iter().map(|r| (r.dossier, r.total)).collect::<Vec<_>>(),
                ranking.iter().map(|r| (r.dossier, r.total)).collect::<Vec<_>>()
            );
        }
    }
}
