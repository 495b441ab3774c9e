//! Login throttling: per e-mail address (slows password guessing on one account) and per client
//! address (slows spraying across accounts). Kept in memory: each instance throttles on its own.

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct LoginLimiter {
    per_account: DefaultKeyedRateLimiter<String>,
    per_client: DefaultKeyedRateLimiter<String>,
}

const PER_ACCOUNT_PER_MINUTE: u32 = 5;
const PER_CLIENT_PER_MINUTE: u32 = 30;

impl LoginLimiter {
    pub fn new() -> LoginLimiter {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n).expect("non-zero quota"));
        LoginLimiter {
            per_account: RateLimiter::keyed(quota(PER_ACCOUNT_PER_MINUTE)),
            per_client: RateLimiter::keyed(quota(PER_CLIENT_PER_MINUTE)),
        }
    }

    /// True when this attempt may go ahead; every attempt counts, successful or not.
    pub fn allow(&self, email: &str, client: &str) -> bool {
        let account_ok = self.per_account.check_key(&email.to_lowercase()).is_ok();
        let client_ok = self.per_client.check_key(&client.to_owned()).is_ok();
        account_ok && client_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_throttled_after_its_quota() {
        let limiter = LoginLimiter::new();
        for _ in 0..PER_ACCOUNT_PER_MINUTE {
            assert!(limiter.allow("a@b.fr", "1.2.3.4"));
        }
        assert!(!limiter.allow("A@b.fr", "5.6.7.8"), "same account, other client");
        assert!(limiter.allow("c@b.fr", "1.2.3.4"), "other account still allowed");
    }

    #[test]
    fn a_client_is_throttled_across_accounts() {
        let limiter = LoginLimiter::new();
        for i in 0..PER_CLIENT_PER_MINUTE {
            assert!(limiter.allow(&format!("user{i}@b.fr"), "9.9.9.9"));
        }
        assert!(!limiter.allow("fresh@b.fr", "9.9.9.9"));
    }
}
