//! The rate limit of new reports per client address, and how that address is found.
//!
//! A generic cell rate algorithm (GCRA): `per_hour` reports at once, then one every
//! `1 h / per_hour`, remembered as one instant per address. It lives in memory, so several
//! instances behind a load balancer each count their own share; the limit is there to stop a
//! flood, not to meter residents.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::state::AppState;

/// Addresses remembered before the expired ones are swept out.
const SWEEP_ABOVE: usize = 10_000;

/// Counts new reports per client address.
#[derive(Debug)]
pub struct RateLimiter {
    per_hour: u32,
    /// Per client: when its next report would be "on schedule" (GCRA's theoretical arrival
    /// time); the client may run ahead of it by `per_hour - 1` intervals.
    next: Mutex<HashMap<IpAddr, Instant>>,
}

impl RateLimiter {
    /// At most `per_hour` per address and hour; 0 lets everything through.
    pub fn new(per_hour: u32) -> Self {
        Self {
            per_hour,
            next: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one from `client`, or says how many whole seconds it must wait (at least 1: the
    /// `Retry-After` every caller sends).
    pub fn check(&self, client: IpAddr) -> Result<(), u64> {
        self.check_at(client, Instant::now())
            .map_err(|wait| wait.as_secs().max(1))
    }

    fn check_at(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        if self.per_hour == 0 {
            return Ok(());
        }
        let interval = Duration::from_secs(3600) / self.per_hour;
        let tolerance = interval * (self.per_hour - 1);
        let client = bucket(client);
        let mut next = self
            .next
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let scheduled = next.get(&client).copied().unwrap_or(now).max(now);
        if let Some(allowed_from) = scheduled.checked_sub(tolerance)
            && now < allowed_from
        {
            return Err(allowed_from - now);
        }
        next.insert(client, scheduled + interval);
        if next.len() > SWEEP_ABOVE {
            next.retain(|_, at| *at > now);
        }
        Ok(())
    }
}

/// IPv6 clients get a whole /64 each and can change addresses inside it: they count as one.
fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(Ipv6Addr::from(segments))
        }
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The client's address: the connection's, or behind a trusted proxy (`server.trust_proxy`)
/// the last `X-Forwarded-For` entry, the one the proxy itself added (earlier entries come from
/// the client and prove nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(client_ip(
            &parts.headers,
            peer,
            state.config.server.trust_proxy,
        )))
    }
}

/// See [`ClientIp`]; unspecified when nothing is known (all such requests share a budget).
pub fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, trust_proxy: bool) -> IpAddr {
    let forwarded = trust_proxy
        .then(|| {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|v| !v.is_empty())
                .and_then(parse_forwarded)
        })
        .flatten();
    forwarded
        .or(peer)
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_forwarded(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("ip")
    }

    #[test]
    fn a_burst_then_one_per_interval() {
        let limiter = RateLimiter::new(10);
        let start = Instant::now();
        let a = ip("203.0.113.7");
        for _ in 0..10 {
            limiter.check_at(a, start).expect("within the burst");
        }
        let wait = limiter.check_at(a, start).expect_err("over the limit");
        assert_eq!(wait, Duration::from_secs(360));
        limiter
            .check_at(ip("203.0.113.8"), start)
            .expect("another client has its own budget");
        let later = start + Duration::from_secs(360);
        limiter
            .check_at(a, later)
            .expect("one more after 6 minutes");
        assert!(limiter.check_at(a, later).is_err());
    }

    #[test]
    fn zero_means_no_limit_and_ipv6_counts_per_64() {
        let open = RateLimiter::new(0);
        for _ in 0..100 {
            open.check(ip("203.0.113.7")).expect("no limit");
        }
        let limiter = RateLimiter::new(1);
        limiter.check(ip("2001:db8:1:2::1")).expect("first");
        assert!(limiter.check(ip("2001:db8:1:2::ffff")).is_err());
        limiter.check(ip("2001:db8:1:3::1")).expect("another /64");
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("198.51.100.1, 203.0.113.9"),
        );
        let peer = Some(ip("127.0.0.1"));
        assert_eq!(client_ip(&headers, peer, false), ip("127.0.0.1"));
        assert_eq!(client_ip(&headers, peer, true), ip("203.0.113.9"));
        headers.append(
            "x-forwarded-for",
            HeaderValue::from_static("[2001:db8::1]:443"),
        );
        assert_eq!(client_ip(&headers, peer, true), ip("2001:db8::1"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("nonsense"));
        assert_eq!(client_ip(&headers, peer, true), ip("127.0.0.1"));
    }
}
