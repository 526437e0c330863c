//! A limit on public submissions per client address, so that one device cannot flood an event.
//! Addresses live only in this in-memory table, never in the database or the logs, and are
//! forgotten once their allowance is full again. Behind a reverse proxy every request comes from
//! the proxy: the proxies named in `TSUNAGARI_TRUSTED_PROXIES` are believed about the client
//! (the nearest address in `X-Forwarded-For` that is not a trusted proxy), no one else is. The allowance (`TSUNAGARI_SUBMISSIONS_PER_MINUTE`,
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
    trusted_proxies: Vec<IpAddr>,
}

impl SubmissionLimiter {
    pub fn per_minute(allowance: u32, trusted_proxies: Vec<IpAddr>) -> Self {
        let allowance = NonZeroU32::new(allowance).unwrap_or(NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_minute(allowance)),
            checks: AtomicU64::new(0),
            trusted_proxies,
        }
    }

    /// Like [`Self::check`], for the client that sent `request`.
    pub fn check_request(&self, request: &actix_web::HttpRequest) -> Result<(), u64> {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        self.check(self.client(request.peer_addr().map(|a| a.ip()), &forwarded))
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy, then the nearest
    /// address in `forwarded` (appended to by each proxy) that is not one.
    fn client(&self, peer: Option<IpAddr>, forwarded: &str) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusted_proxies.contains(&peer) {
            return Some(peer);
        }
        let mut chain = forwarded.rsplit(',').map(|hop| hop.trim().parse::<IpAddr>());
        for hop in chain.by_ref() {
            match hop {
                Ok(address) if self.trusted_proxies.contains(&address) => continue,
                Ok(address) => return Some(address),
                Err(_) => break,
            }
        }
        Some(peer)
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
    fn only_trusted_proxies_are_believed_about_the_client() {
        let proxy: IpAddr = [127, 0, 0, 1].into();
        let limiter = SubmissionLimiter::per_minute(2, vec![proxy]);
        let client = |peer: [u8; 4], forwarded: &str| limiter.client(Some(peer.into()), forwarded);
        assert_eq!(client([127, 0, 0, 1], "203.0.113.9"), Some([203, 0, 113, 9].into()));
        // A client's own claim comes first in the chain; the proxy appends what it saw.
        assert_eq!(
            client([127, 0, 0, 1], "198.51.100.1, 203.0.113.9, 127.0.0.1"),
            Some([203, 0, 113, 9].into())
        );
        assert_eq!(client([127, 0, 0, 1], ""), Some(proxy), "no header: the proxy itself");
        assert_eq!(client([127, 0, 0, 1], "garbage"), Some(proxy));
        assert_eq!(
            client([192, 0, 2, 7], "203.0.113.9"),
            Some([192, 0, 2, 7].into()),
            "anyone else's header is ignored"
        );
    }

    #[test]
    fn each_address_has_its_own_allowance() {
        let limiter = SubmissionLimiter::per_minute(2, Vec::new());
        let (one, other) = (Some([10, 0, 0, 1].into()), Some([10, 0, 0, 2].into()));
        assert!(limiter.check(one).is_ok() && limiter.check(one).is_ok());
        assert!(limiter.check(one).unwrap_err() >= 1);
        assert!(limiter.check(other).is_ok());
        assert!(limiter.check(None).is_ok(), "no address, no limit");
    }
}
