//! Export support: premises abroad offered by large members and VIE posts shared between SMEs —
//! the pure rules (date ranges, desks, shares of time and cost that sum to 100 %).
//!
//! Rounding of a shared VIE post's cost: each SME's exact part is `monthly cost × its share / 100`;
//! it pays that part rounded down to the cent, and the cents left over go one each to the largest
//! remainders (ties to the earlier application) — the largest-remainder split of
//! `pooling::distribution`. While the shares sum to less than 100 %, the part not yet shared is one
//! more line of the same split, so the parts always add up to the monthly cost exactly.

use jiff::civil::Date;
pub use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::pooling::distribution::split_cents;

/// The legal range of a VIE (volontariat international en entreprise), in months.
pub const VIE_MONTHS: std::ops::RangeInclusive<i64> = 6..=24;
/// A share is a percentage of the volunteer's time, to the hundredth of a percent.
pub const SHARE_DECIMALS: u32 = 2;
/// Money is to the cent.
pub const MONEY_DECIMALS: u32 = 2;
/// A monthly cost above this is a typing mistake, not a VIE.
pub const MAX_MONTHLY_COST: i64 = 1_000_000;
/// Desks of one premises: a floor of an office at most.
pub const MAX_DESKS: i64 = 1_000;

/// A refused value: the field it belongs to and what the person is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

/// Days from `from` to `to`, both included; `to` is never before `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Date,
    pub to: Date,
}

impl DateRange {
    /// `to_field` names the field blamed when the end comes before the start.
    pub fn new(from: Date, to: Date, to_field: &'static str) -> Result<DateRange, Refusal> {
        if to < from {
            return Err(refuse(
                to_field,
                format!("the end ({to}) comes before the start ({from})"),
            ));
        }
        Ok(DateRange { from, to })
    }

    pub fn contains(&self, other: &DateRange) -> bool {
        self.from <= other.from && other.to <= self.to
    }

    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// A day typed for a stay, an availability or a VIE start may not be in the past (`today` is the
/// day in Paris).
pub fn not_before_today(day: Date, today: Date, field: &'static str) -> Result<Date, Refusal> {
    if day < today {
        return Err(refuse(
            field,
            format!("{day} is in the past: the earliest day is today, {today}"),
        ));
    }
    Ok(day)
}

/// A number as typed on a French page ("4 200,50", "33,33") in the form the rules read ("4200.50"):
/// spaces (also the non-breaking ones French uses to group thousands) dropped, and the decimal
/// comma made a point. A text with both a comma and a point is left as typed (and refused later).
pub fn typed_number(text: &str) -> String {
    let kept: String = text
        .trim()
        .chars()
        // `is_whitespace` covers U+00A0 and U+202F, the spaces that group French thousands.
        .filter(|c| !c.is_whitespace())
        .collect();
    if kept.contains('.') {
        kept
    } else {
        kept.replace(',', ".")
    }
}

/// A stay request must fall within the premises' availability.
pub fn within_availability(availability: &DateRange, stay: &DateRange) -> Result<(), Refusal> {
    if stay.from < availability.from || stay.from > availability.to {
        return Err(refuse(
            "starts_on",
            format!(
                "the premises are available from {} to {}",
                availability.from, availability.to
            ),
        ));
    }
    if !availability.contains(stay) {
        return Err(refuse(
            "ends_on",
            format!("the premises are available until {}", availability.to),
        ));
    }
    Ok(())
}

/// A number of desks: at least one, at most `max` (the premises' desks for a request).
pub fn desks(value: i64, max: i64, field: &'static str) -> Result<i64, Refusal> {
    if value < 1 {
        return Err(refuse(field, "at least one desk"));
    }
    if value > max {
        return Err(refuse(field, format!("at most {max} desks")));
    }
    Ok(value)
}

/// The largest number of desks the `stays` occupy on one day of `within`, and the first such day.
pub fn peak_occupation(stays: &[(DateRange, i64)], within: &DateRange) -> (i64, Option<Date>) {
    // Sweep: +desks on the first day of each stay (clipped to `within`), -desks the day after its end.
    let mut events: Vec<(Date, i64)> = Vec::new();
    for (range, desks) in stays.iter().filter(|(r, _)| r.overlaps(within)) {
        let from = range.from.max(within.from);
        let to = range.to.min(within.to);
        events.push((from, *desks));
        if let Ok(after) = to.tomorrow() {
            events.push((after, -desks));
        }
    }
    // Departures before arrivals on the same day: a desk freed today can be taken today.
    events.sort_by_key(|&(day, change)| (day, change));
    let (mut now, mut peak, mut peak_day) = (0, 0, None);
    for (day, change) in events {
        now += change;
        if now > peak {
            peak = now;
            peak_day = Some(day);
        }
    }
    (peak, peak_day)
}

/// Accepting a stay of `wanted` desks over `range`, with `accepted` stays already there, must
/// leave no day with more occupied desks than the premises have.
pub fn fits(
    capacity: i64,
    accepted: &[(DateRange, i64)],
    range: &DateRange,
    wanted: i64,
) -> Result<(), Refusal> {
    let mut all = accepted.to_vec();
    all.push((*range, wanted));
    match peak_occupation(&all, range) {
        (peak, Some(day)) if peak > capacity => Err(refuse(
            "desks",
            format!(
                "the premises would be overbooked on {day}: {} of {capacity} desks are already taken",
                peak - wanted
            ),
        )),
        _ => Ok(()),
    }
}

/// A VIE lasts 6 to 24 months.
pub fn vie_duration(months: i64) -> Result<i64, Refusal> {
    if VIE_MONTHS.contains(&months) {
        Ok(months)
    } else {
        Err(refuse(
            "duration_months",
            format!(
                "a VIE lasts {} to {} months, not {months}",
                VIE_MONTHS.start(),
                VIE_MONTHS.end()
            ),
        ))
    }
}

fn decimal(text: &str, field: &'static str, example: &str) -> Result<Decimal, Refusal> {
    let text = text.trim();
    text.parse::<Decimal>()
        .map_err(|_| {
            refuse(
                field,
                format!(
                    "'{}' is not a number like {example}",
                    text.chars().take(20).collect::<String>()
                ),
            )
        })
        .map(|d| d.normalize())
}

/// A share of the volunteer's time: a percentage above 0 and at most 100, two decimals at most.
pub fn share(text: &str) -> Result<Decimal, Refusal> {
    let value = decimal(text, "share", "40 or 33.33")?;
    if value <= Decimal::ZERO {
        return Err(refuse("share", "a share is above 0 %"));
    }
    if value > Decimal::ONE_HUNDRED {
        return Err(refuse("share", "a share is at most 100 %"));
    }
    if value.scale() > SHARE_DECIMALS {
        return Err(refuse("share", "a share has at most two decimals"));
    }
    Ok(value)
}

/// A monthly cost in euros: above 0, to the cent.
pub fn monthly_cost(text: &str) -> Result<Decimal, Refusal> {
    let value = decimal(text, "monthly_cost", "4200.50")?;
    if value <= Decimal::ZERO {
        return Err(refuse("monthly_cost", "the cost is above 0"));
    }
    if value > Decimal::from(MAX_MONTHLY_COST) {
        return Err(refuse(
            "monthly_cost",
            format!("the cost is at most {MAX_MONTHLY_COST} € a month"),
        ));
    }
    if value.scale() > MONEY_DECIMALS {
        return Err(refuse(
            "monthly_cost",
            "the cost is to the cent: two decimals at most",
        ));
    }
    Ok(value)
}

/// What is left to share once `accepted` shares are taken.
pub fn remaining(accepted: &[Decimal]) -> Decimal {
    Decimal::ONE_HUNDRED - accepted.iter().sum::<Decimal>()
}

/// One more share must keep the accepted shares at 100 % at most.
pub fn share_fits(accepted: &[Decimal], wanted: Decimal) -> Result<(), Refusal> {
    let left = remaining(accepted);
    if wanted > left {
        return Err(refuse(
            "share",
            format!(
                "only {} % of the post is left to share, not {wanted} %",
                left.normalize()
            ),
        ));
    }
    Ok(())
}

/// The sharing is confirmed only when the accepted shares sum to exactly 100 %.
pub fn confirmable(accepted: &[Decimal]) -> Result<(), Refusal> {
    let sum: Decimal = accepted.iter().sum();
    if sum == Decimal::ONE_HUNDRED {
        Ok(())
    } else {
        Err(refuse(
            "shares",
            format!(
                "the accepted shares sum to {} %: {} % still to share before confirming",
                sum.normalize(),
                (Decimal::ONE_HUNDRED - sum).normalize()
            ),
        ))
    }
}

/// The split of a monthly cost: one part per share, in their order, and the part not yet shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostSplit {
    pub parts: Vec<Decimal>,
    pub unshared: Decimal,
}

/// Splits `total` (to the cent) by `shares` (to the hundredth, summing to 100 at most): see the
/// module's rounding rule. The parts and the unshared rest add up to `total` exactly. Shares summing
/// to more than 100 % (which the rules never accept) are refused rather than split.
pub fn split_cost(total: Decimal, shares: &[Decimal]) -> Result<CostSplit, Refusal> {
    let cents = (total * Decimal::ONE_HUNDRED)
        .trunc()
        .to_u128()
        .expect("a checked, positive cost");
    let mut weights: Vec<u64> = shares
        .iter()
        .map(|s| {
            (s * Decimal::ONE_HUNDRED)
                .trunc()
                .to_u64()
                .expect("a checked share")
        })
        .collect();
    let gap = 10_000u64
        .checked_sub(weights.iter().sum::<u64>())
        .ok_or_else(|| refuse("shares", "the shares sum to more than 100 %"))?;
    if gap > 0 {
        weights.push(gap);
    }
    let split = split_cents(cents, &weights);
    let as_money = |c: u128| Decimal::from_i128_with_scale(i128::try_from(c).expect("cents fit"), 2);
    let mut parts: Vec<Decimal> = split.into_iter().map(as_money).collect();
    let unshared = if gap > 0 {
        parts.pop().expect("the gap's part")
    } else {
        Decimal::new(0, 2)
    };
    Ok(CostSplit { parts, unshared })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn range(a: (i16, i8, i8), b: (i16, i8, i8)) -> DateRange {
        DateRange::new(date(a.0, a.1, a.2), date(b.0, b.1, b.2), "to").unwrap()
    }

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn an_end_before_its_start_is_refused() {
        let refused = DateRange::new(date(2027, 3, 10), date(2027, 3, 9), "ends_on").unwrap_err();
        assert_eq!(refused.field, "ends_on");
        assert!(DateRange::new(date(2027, 3, 10), date(2027, 3, 10), "ends_on").is_ok());
    }

    #[test]
    fn a_stay_must_fall_within_the_availability() {
        let available = range((2027, 3, 1), (2027, 3, 31));
        assert!(within_availability(&available, &range((2027, 3, 1), (2027, 3, 31))).is_ok());
        assert_eq!(
            within_availability(&available, &range((2027, 2, 27), (2027, 3, 5)))
                .unwrap_err()
                .field,
            "starts_on"
        );
        assert_eq!(
            within_availability(&available, &range((2027, 3, 20), (2027, 4, 2)))
                .unwrap_err()
                .field,
            "ends_on"
        );
    }

    #[test]
    fn desks_are_positive_and_bounded() {
        assert!(desks(0, 4, "desks").is_err());
        assert!(desks(-2, 4, "desks").is_err());
        assert!(desks(5, 4, "desks").is_err());
        assert_eq!(desks(4, 4, "desks"), Ok(4));
    }

    #[test]
    fn the_peak_counts_only_days_where_stays_meet() {
        let stays = [
            (range((2027, 3, 1), (2027, 3, 10)), 2),
            (range((2027, 3, 11), (2027, 3, 20)), 3),
            (range((2027, 3, 5), (2027, 3, 12)), 1),
        ];
        let march = range((2027, 3, 1), (2027, 3, 31));
        assert_eq!(peak_occupation(&stays, &march), (4, Some(date(2027, 3, 11))));
        let early = range((2027, 3, 1), (2027, 3, 4));
        assert_eq!(peak_occupation(&stays, &early), (2, Some(date(2027, 3, 1))));
    }

    #[test]
    fn a_stay_that_would_overbook_one_day_is_refused() {
        let accepted = [(range((2027, 3, 1), (2027, 3, 10)), 3)];
        // Four desks: one left while the first stay lasts, all four after.
        assert!(fits(4, &accepted, &range((2027, 3, 10), (2027, 3, 15)), 1).is_ok());
        let refused = fits(4, &accepted, &range((2027, 3, 10), (2027, 3, 15)), 2).unwrap_err();
        assert!(refused.message.contains("2027-03-10"), "{}", refused.message);
        assert!(fits(4, &accepted, &range((2027, 3, 11), (2027, 3, 15)), 4).is_ok());
    }

    #[test]
    fn a_vie_lasts_six_to_twenty_four_months() {
        assert!(vie_duration(5).is_err());
        assert_eq!(vie_duration(6), Ok(6));
        assert_eq!(vie_duration(24), Ok(24));
        assert!(vie_duration(25).is_err());
    }

    #[test]
    fn shares_are_positive_percentages_to_the_hundredth() {
        assert_eq!(share("33.33"), Ok(d("33.33")));
        assert_eq!(share("40.00"), Ok(d("40")));
        assert_eq!(share("100"), Ok(d("100")));
        for bad in ["0", "-5", "100.01", "33.333", "abc", ""] {
            assert!(share(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn costs_are_positive_to_the_cent() {
        assert_eq!(monthly_cost("4200.5"), Ok(d("4200.5")));
        for bad in ["0", "-1", "12.345", "2000000", "x"] {
            assert!(monthly_cost(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_share_over_what_is_left_is_refused_and_confirming_needs_exactly_100() {
        let accepted = [d("60")];
        assert!(share_fits(&accepted, d("40")).is_ok());
        let refused = share_fits(&accepted, d("40.01")).unwrap_err();
        assert!(refused.message.contains("40 %"), "{}", refused.message);
        let gap = confirmable(&accepted).unwrap_err();
        assert!(gap.message.contains("40 % still to share"), "{}", gap.message);
        assert!(confirmable(&[d("60"), d("40")]).is_ok());
        assert!(confirmable(&[d("33.33"), d("33.33"), d("33.34")]).is_ok());
    }

    #[test]
    fn thirds_of_a_cost_share_the_leftover_cent() {
        let split = split_cost(d("1000"), &[d("33.33"), d("33.33"), d("33.34")]).unwrap();
        assert_eq!(split.parts, vec![d("333.30"), d("333.30"), d("333.40")]);
        assert_eq!(split.unshared, Decimal::ZERO);
        let split = split_cost(d("100.01"), &[d("50"), d("50")]).unwrap();
        assert_eq!(split.parts, vec![d("50.01"), d("50.00")]);
        let partial = split_cost(d("4200"), &[d("60")]).unwrap();
        assert_eq!(partial.parts, vec![d("2520")]);
        assert_eq!(partial.unshared, d("1680"));
    }

    #[test]
    fn shares_over_100_are_refused_not_split() {
        let refused = split_cost(d("4200"), &[d("60"), d("50")]).unwrap_err();
        assert_eq!(refused.field, "shares");
        assert!(split_cost(d("4200"), &[d("60"), d("40")]).is_ok());
    }

    #[test]
    fn days_in_the_past_are_refused() {
        let today = date(2027, 3, 10);
        assert_eq!(not_before_today(today, today, "starts_on"), Ok(today));
        let refused = not_before_today(date(2027, 3, 9), today, "starts_on").unwrap_err();
        assert_eq!(refused.field, "starts_on");
        assert!(refused.message.contains("2027-03-09"), "{}", refused.message);
    }

    #[test]
    fn numbers_typed_the_french_way_are_read() {
        assert_eq!(typed_number("4 200,50"), "4200.50");
        assert_eq!(typed_number("4\u{a0}200,5"), "4200.5");
        assert_eq!(typed_number("4\u{202f}200"), "4200");
        assert_eq!(typed_number(" 33,33 "), "33.33");
        assert_eq!(typed_number("2520.00"), "2520.00");
        assert_eq!(monthly_cost(&typed_number("4 200,50")), Ok(d("4200.5")));
        assert_eq!(share(&typed_number("33,33")), Ok(d("33.33")));
        // Both separators: left as typed, and refused by the rules.
        assert!(monthly_cost(&typed_number("4,200.50")).is_err());
    }

    /// Shares to the hundredth summing to exactly 100 %, from cut points in 0..10 000.
    fn full_shares() -> impl Strategy<Value = Vec<Decimal>> {
        prop::collection::btree_set(1u32..10_000, 0..12).prop_map(|cuts| {
            let mut points: Vec<u32> = cuts.into_iter().collect();
            points.push(10_000);
            let mut last = 0;
            points
                .into_iter()
                .map(|p| {
                    let share = Decimal::new(i64::from(p - last), 2);
                    last = p;
                    share
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn full_shares_sum_to_100_and_parts_add_up_to_the_cost(
            shares in full_shares(),
            cents in 1i64..100_000_000,
        ) {
            let total = Decimal::new(cents, 2);
            prop_assert!(confirmable(&shares).is_ok());
            let split = split_cost(total, &shares).unwrap();
            prop_assert_eq!(split.parts.iter().sum::<Decimal>(), total);
            prop_assert_eq!(split.unshared, Decimal::ZERO);
            for (part, share) in split.parts.iter().zip(&shares) {
                let exact = total * share / Decimal::ONE_HUNDRED;
                prop_assert!((part - exact).abs() < Decimal::new(1, 2), "{} vs {}", part, exact);
            }
        }

        #[test]
        fn partial_shares_leave_an_unshared_part_and_still_add_up(
            shares in full_shares(),
            drop in 1usize..12,
            cents in 1i64..100_000_000,
        ) {
            let kept = &shares[..shares.len().saturating_sub(drop)];
            let total = Decimal::new(cents, 2);
            let split = split_cost(total, kept).unwrap();
            prop_assert_eq!(split.parts.iter().sum::<Decimal>() + split.unshared, total);
            prop_assert_eq!(split.parts.len(), kept.len());
            prop_assert!(share_fits(kept, remaining(kept)).is_ok());
        }
    }
}
