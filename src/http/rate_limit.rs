//! A limit on public submissions per client address, so that one device cannot flood an event.
//! Addresses live only in this in-memory table, never in the database or the logs, and are
//! forgotten once their allowance is full again. The allowance (`TSUNAGARI_SUBMISSIONS_PER_MINUTE`,
//! 600 by default, all usable at once) is far above what a forum of several hundred people on
//! one venue Wi-Fi address sends, since each person sends once.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct SubmissionLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl SubmissionLimiter {
    pub fn per_minute(allowance: u32) -> Self {
        let allowance = NonZeroU32::new(allowance).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(allowance)),
            checks: AtomicU64::new(0),
        }
    }

    /// `Err` with the seconds to wait when `address` has used its allowance.
    pub fn check(&self, address: Option<IpAddr>) -> Result<(), u64> {
        let Some(address) = address else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 0 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&address)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_allowance() {
        let limiter = SubmissionLimiter::per_minute(2);
        let (one, other) = (Some([10, 0, 0, 1].into()), Some([10, 0, 0, 2].into()));
        assert!(limiter.check(one).is_ok() && limiter.check(one).is_ok());
        assert!(limiter.check(one).unwrap_err() >= 1);
        assert!(limiter.check(other).is_ok());
        assert!(limiter.check(None).is_ok(), "no address, no limit");
    }
}
