//! Sign-in throttles (issue 15, finding 5): attempts per account (the username typed, known or
//! not, so the throttle tells nothing about which accounts exist) and per client address, each
//! a keyed GCRA limiter (`governor`) in the node's memory. A refused attempt is answered 429
//! with `Retry-After` before any password is checked. The durable defence is the lockout in
//! the database (five failures in a row, `accounts::LOCK_AFTER`); these throttles bound the
//! rate of guessing across accounts and the load one client can put on the hashing pool.
//!
//! The client is the TCP peer: `X-Forwarded-For` is sent by the client and could be varied at
//! will. Behind a reverse proxy every client shares the proxy's address, so the per-client
//! limit then bounds the whole office; raise it there (`sign_in_per_client_per_minute`).

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// The TCP peer's address alone, what the throttles count by (a header could be varied at
/// will); empty when the server runs without connection info (tests' oneshot).
pub fn peer(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// The throttles of one node.
#[derive(Clone)]
pub struct SignInThrottle {
    accounts: Arc<DefaultKeyedRateLimiter<String>>,
    clients: Arc<DefaultKeyedRateLimiter<String>>,
    clock: DefaultClock,
}

/// Which throttle refused, and when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    pub per_account: bool,
    pub retry_after: Duration,
}

fn quota(per_minute: u32) -> Quota {
    let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(n).allow_burst(n)
}

impl SignInThrottle {
    /// At most `per_account` attempts a minute on one username and `per_client` from one
    /// address, each with a burst of as many.
    pub fn new(per_account: u32, per_client: u32) -> Self {
        SignInThrottle {
            accounts: Arc::new(RateLimiter::keyed(quota(per_account))),
            clients: Arc::new(RateLimiter::keyed(quota(per_client))),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one attempt by `client` on `username`; refused when either is over its rate.
    /// The client is checked first, so a client over its rate does not use up the account's.
    pub fn check(&self, username: &str, client: &str) -> Result<(), Throttled> {
        let wait = |e: governor::NotUntil<_>| {
            let d = e.wait_time_from(self.clock.now());
            // Whole seconds, rounded up: a client told 0 would retry at once.
            Duration::from_secs(d.as_secs() + u64::from(d.subsec_nanos() > 0))
                .max(Duration::from_secs(1))
        };
        self.clients
            .check_key(&client.to_string())
            .map_err(|e| Throttled {
                per_account: false,
                retry_after: wait(e),
            })?;
        self.accounts
            .check_key(&username.to_string())
            .map_err(|e| Throttled {
                per_account: true,
                retry_after: wait(e),
            })
    }

    /// Forgets keys whose limits are back to full (run now and then, so that the maps do not
    /// grow with every username ever typed).
    pub fn shrink(&self) {
        self.accounts.retain_recent();
        self.clients.retain_recent();
        self.accounts.shrink_to_fit();
        self.clients.shrink_to_fit();
    }
}

/// Requests a minute from one client address, for the public pages that answer about an
/// application (issue 17: the status lookup, decision Q11), so that numbers and IINs cannot
/// be tried at speed. A limit of 0 lifts it (benchmarks).
#[derive(Clone)]
pub struct ClientThrottle {
    clients: Option<Arc<DefaultKeyedRateLimiter<String>>>,
    clock: DefaultClock,
}

impl ClientThrottle {
    pub fn new(per_minute: u32) -> Self {
        ClientThrottle {
            clients: (per_minute > 0).then(|| Arc::new(RateLimiter::keyed(quota(per_minute)))),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one request from `client`; refused, with the time to wait, when over its rate.
    pub fn check(&self, client: &str) -> Result<(), Duration> {
        let Some(clients) = &self.clients else {
            return Ok(());
        };
        clients.check_key(&client.to_string()).map_err(|e| {
            let d = e.wait_time_from(self.clock.now());
            Duration::from_secs(d.as_secs() + u64::from(d.subsec_nanos() > 0))
                .max(Duration::from_secs(1))
        })
    }

    /// Forgets clients whose limits are back to full.
    pub fn shrink(&self) {
        if let Some(c) = &self.clients {
            c.retain_recent();
            c.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_throttle_counts_per_client_and_zero_lifts_it() {
        let t = ClientThrottle::new(2);
        t.check("10.0.0.1").unwrap();
        t.check("10.0.0.1").unwrap();
        assert!(t.check("10.0.0.1").unwrap_err() >= Duration::from_secs(1));
        t.check("10.0.0.2").unwrap();
        let off = ClientThrottle::new(0);
        for _ in 0..1000 {
            off.check("10.0.0.1").unwrap();
        }
    }

    #[test]
    fn each_key_has_its_own_budget() {
        let t = SignInThrottle::new(3, 5);
        for _ in 0..3 {
            t.check("aigerim", "10.0.0.1").unwrap();
        }
        let refused = t.check("aigerim", "10.0.0.1").unwrap_err();
        assert!(refused.per_account);
        assert!(refused.retry_after >= Duration::from_secs(1));
        // Another account from the same client still has its own budget…
        t.check("bolat", "10.0.0.1").unwrap();
        // …until the client's five are spent (3 + 1 refused + 1).
        let refused = t.check("dana", "10.0.0.1").unwrap_err();
        assert!(!refused.per_account, "{refused:?}");
        // Another client is not affected by the first one's budget.
        t.check("dana", "10.0.0.2").unwrap();
        t.shrink();
    }
}
