//! The submission window of a call and the seal on its dossiers. A dossier is accepted from the
//! opening instant up to, but not including, the closing instant; the buyer side opens dossiers
//! only once the call has closed. The store repeats the closing check in SQL so that the check and
//! the write cannot be separated by the clock.

use jiff::Timestamp;

use crate::committee::call::CallState;
use crate::committee::paris;

/// Why a dossier may not be submitted (or withdrawn) now; messages name instants in Paris time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LateOrEarly {
    #[error("submissions open at {}", paris::display(*opens))]
    NotOpenYet { opens: Timestamp },
    #[error("the call closed at {}; submissions are no longer accepted (your draft is kept)", paris::display(*closes))]
    Closed { closes: Timestamp },
    #[error("the call is {state} and accepts no submission")]
    NotAccepting { state: CallState },
}

/// Whether a dossier may be submitted at `now`: the call is published, has opened, and its closing
/// instant is strictly ahead — a submission at the closing instant itself is late.
pub fn may_submit(
    now: Timestamp,
    opens: Timestamp,
    closes: Timestamp,
    state: CallState,
) -> Result<(), LateOrEarly> {
    match state {
        CallState::Published => {}
        CallState::Closed | CallState::Decided => return Err(LateOrEarly::Closed { closes }),
        state => return Err(LateOrEarly::NotAccepting { state }),
    }
    if now >= closes {
        return Err(LateOrEarly::Closed { closes });
    }
    if now < opens {
        return Err(LateOrEarly::NotOpenYet { opens });
    }
    Ok(())
}

/// Whether the dossiers of a call are still sealed at `now`: nobody on the buyer side may open them
/// before the closing instant. Dossiers of a draft or cancelled call stay sealed for good — they
/// were never meant to be read.
pub fn sealed(now: Timestamp, closes: Timestamp, state: CallState) -> bool {
    match state {
        CallState::Draft | CallState::Cancelled => true,
        CallState::Published | CallState::Closed | CallState::Decided => now < closes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;
    use proptest::prelude::*;

    fn at(text: &str) -> Timestamp {
        paris::parse_local(text).unwrap()
    }

    const SECOND: SignedDuration = SignedDuration::from_secs(1);

    #[test]
    fn the_closing_instant_itself_is_late() {
        let (opens, closes) = (at("2026-12-14T09:00"), at("2027-01-09T12:00"));
        let open = CallState::Published;
        assert_eq!(may_submit(closes - SECOND, opens, closes, open), Ok(()));
        let late = may_submit(closes, opens, closes, open).unwrap_err();
        assert_eq!(late, LateOrEarly::Closed { closes });
        assert_eq!(
            late.to_string(),
            "the call closed at 2027-01-09 12:00 (Paris time); submissions are no longer accepted (your draft is kept)"
        );
        assert!(may_submit(closes + SECOND, opens, closes, open).is_err());
        assert_eq!(may_submit(opens, opens, closes, open), Ok(()));
        assert_eq!(
            may_submit(opens - SECOND, opens, closes, open)
                .unwrap_err()
                .to_string(),
            "submissions open at 2026-12-14 09:00 (Paris time)"
        );
    }

    #[test]
    fn a_deadline_across_the_spring_change_counts_real_seconds() {
        // Closing at 03:30 the night clocks go forward: from 01:30 on the wall clock, the deadline
        // is one real hour away, not two.
        let closes = at("2027-03-28T03:30");
        let opens = at("2027-03-01T09:00");
        assert_eq!(closes, "2027-03-28T01:30:00Z".parse().unwrap());
        assert_eq!(at("2027-03-28T01:30") + SignedDuration::from_hours(1), closes);
        let last_winter_second = "2027-03-28T00:59:59Z".parse().unwrap();
        assert_eq!(
            may_submit(last_winter_second, opens, closes, CallState::Published),
            Ok(())
        );
        assert!(may_submit(closes + SECOND, opens, closes, CallState::Published).is_err());
        assert_eq!(
            may_submit(closes, opens, closes, CallState::Published)
                .unwrap_err()
                .to_string(),
            "the call closed at 2027-03-28 03:30 (Paris time); submissions are no longer accepted (your draft is kept)"
        );
    }

    #[test]
    fn a_deadline_in_the_repeated_autumn_hour_is_the_first_one() {
        let closes = at("2027-10-31T02:30");
        let opens = at("2027-10-01T09:00");
        // The second 02:30 (winter time) comes an hour after the deadline.
        let second_pass: Timestamp = "2027-10-31T01:30:00Z".parse().unwrap();
        assert!(may_submit(second_pass, opens, closes, CallState::Published).is_err());
        assert!(may_submit(closes - SECOND, opens, closes, CallState::Published).is_ok());
    }

    #[test]
    fn only_a_published_call_accepts_dossiers() {
        let (opens, closes) = (at("2026-12-14T09:00"), at("2027-01-09T12:00"));
        let now = opens + SECOND;
        for state in [CallState::Draft, CallState::Cancelled] {
            assert_eq!(
                may_submit(now, opens, closes, state),
                Err(LateOrEarly::NotAccepting { state })
            );
        }
        assert_eq!(
            may_submit(now, opens, closes, CallState::Closed),
            Err(LateOrEarly::Closed { closes })
        );
    }

    #[test]
    fn dossiers_are_sealed_until_closing() {
        let closes = at("2027-01-09T12:00");
        assert!(sealed(closes - SECOND, closes, CallState::Published));
        assert!(!sealed(closes, closes, CallState::Published));
        assert!(!sealed(closes, closes, CallState::Closed));
        assert!(!sealed(closes + SECOND, closes, CallState::Decided));
        assert!(sealed(closes + SECOND, closes, CallState::Cancelled));
        assert!(sealed(closes + SECOND, closes, CallState::Draft));
    }

    proptest! {
        /// Submitting and opening never overlap: whenever a dossier may still be submitted, the
        /// dossiers are sealed.
        #[test]
        fn submission_and_unsealing_never_overlap(
            opens in 0i64..2_000_000_000,
            length in 1i64..10_000_000,
            now in 0i64..2_100_000_000,
            state in prop::sample::select(CallState::ALL.to_vec()),
        ) {
            let opens = Timestamp::from_second(opens).unwrap();
            let closes = opens + SignedDuration::from_secs(length);
            let now = Timestamp::from_second(now).unwrap();
            if may_submit(now, opens, closes, state).is_ok() {
                prop_assert!(sealed(now, closes, state));
                prop_assert!(now < closes);
            }
        }
    }
}
