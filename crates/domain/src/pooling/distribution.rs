//! Sharing the award's total among the SMEs, to the cent. Each SME's exact share is
//! `total × its volume / pooled volume`; it pays that share rounded down to the cent, and the cents
//! left over (fewer than the number of SMEs) go one each to the largest remainders — the
//! largest-remainder (Hamilton) method, ties to the earlier commitment. So the shares add up to the
//! total exactly, and nobody pays a cent or more away from their exact share.

/// Splits `total_cents` in proportion to `volumes` (all positive).
pub(crate) fn split_cents(total_cents: u128, volumes: &[u64]) -> Vec<u128> {
    let pooled: u128 = volumes.iter().map(|&v| u128::from(v)).sum();
    let exact: Vec<(u128, u128)> = volumes
        .iter()
        .map(|&v| {
            let numerator = total_cents * u128::from(v);
            (numerator / pooled, numerator % pooled)
        })
        .collect();
    let mut shares: Vec<u128> = exact.iter().map(|&(floor, _)| floor).collect();
    let left = total_cents - shares.iter().sum::<u128>();
    let mut order: Vec<usize> = (0..volumes.len()).collect();
    // Stable sort: equal remainders keep the commitments' order.
    order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1));
    for &k in order
        .iter()
        .take(usize::try_from(left).expect("fewer cents left than SMEs"))
    {
        shares[k] += 1;
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn three_equal_volumes_share_a_hundred_cents() {
        assert_eq!(split_cents(100, &[1, 1, 1]), vec![34, 33, 33]);
    }

    #[test]
    fn the_largest_remainder_gets_the_cent() {
        // 1000 cents over 1, 2, 4: exact 142.86, 285.71, 571.43 → 143, 286, 571.
        assert_eq!(split_cents(1000, &[1, 2, 4]), vec![143, 286, 571]);
    }

    proptest! {
        #[test]
        fn shares_add_up_and_stay_within_a_cent(
            total in 0u128..10_000_000_000,
            volumes in prop::collection::vec(1u64..1_000_000, 1..30),
        ) {
            let shares = split_cents(total, &volumes);
            prop_assert_eq!(shares.iter().sum::<u128>(), total);
            let pooled: u128 = volumes.iter().map(|&v| u128::from(v)).sum();
            for (&share, &v) in shares.iter().zip(&volumes) {
                // |share - total × v / pooled| < 1, compared without division.
                let exact = total * u128::from(v);
                prop_assert!(share * pooled < exact + pooled, "pays a cent or more above its share");
                prop_assert!(share * pooled + pooled > exact, "pays a cent or more below its share");
            }
        }
    }
}
