//! When a request is sent again: [`RetryPolicy`], and reading `Retry-After`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// The header that marks a non-idempotent request as safe to repeat.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// When and how often a failed request is sent again.
///
/// A request is *retryable* if its method is idempotent (`GET`, `HEAD`,
/// `OPTIONS`, `TRACE`, `PUT`, `DELETE`, and `QUERY`, RFC 10008), if it carries an `Idempotency-Key`
/// header, or if [`RetryPolicy::retry_all_methods`] is on. A retryable request
/// is sent again, up to [`RetryPolicy::max_attempts`] attempts in all, when:
///
/// - the connection fails or breaks before a response arrives (refused,
///   reset, closed early);
/// - the server answers `429 Too Many Requests` or `503 Service Unavailable`.
///
/// Before each new attempt the client waits for the response's
/// `Retry-After` (seconds or an HTTP date) when it has one, and otherwise for
/// an exponential backoff with jitter: attempt *n* waits a random time
/// between half and all of `min(initial_backoff × 2ⁿ⁻¹, max_backoff)`. A
/// `Retry-After` longer than [`RetryPolicy::max_retry_after`] is not waited
/// for: the response is returned as it is, so the caller can decide.
///
/// Never retried: timeouts (the timeout is the caller's limit), responses
/// that arrived but could not be read completely, and every other status.
///
/// The default is 3 attempts, 200 ms initial backoff, 20 s maximum backoff,
/// 60 s maximum `Retry-After`, idempotent requests only.
/// [`RetryPolicy::none`] turns retries off.
///
/// ```
/// use std::time::Duration;
/// use apigen_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5));
/// assert_eq!(policy.attempts(), 5);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    all_methods: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            all_methods: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// The number of attempts in all, including the first (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry, doubling for each further retry
    /// up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` the client waits for; a response asking for
    /// longer is returned instead of retried.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// Retries non-idempotent requests (`POST`, `PATCH`) too. Only turn this
    /// on when the API makes repeating them safe.
    pub fn retry_all_methods(mut self, on: bool) -> Self {
        self.all_methods = on;
        self
    }

    /// The number of attempts in all, including the first.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a request with this method and these headers may be retried.
    pub(crate) fn applies_to(&self, method: &Method, headers: &HeaderMap) -> bool {
        self.max_attempts > 1
            && (self.all_methods
                || method.is_idempotent()
                || method.as_str() == "QUERY"
                || headers.contains_key(IDEMPOTENCY_KEY))
    }

    /// How long to wait before attempt `attempt + 1` after a response with
    /// `status` and `headers`, or `None` if it is not to be retried.
    pub(crate) fn delay_after_response(
        &self,
        attempt: u32,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts
            || !matches!(
                status,
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
            )
        {
            return None;
        }
        match retry_after(headers) {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff_delay(attempt)),
        }
    }

    /// How long to wait before attempt `attempt + 1` after a connection
    /// failure, or `None` if attempts are used up.
    pub(crate) fn delay_after_failure(&self, attempt: u32) -> Option<Duration> {
        (attempt < self.max_attempts).then(|| self.backoff_delay(attempt))
    }

    /// The jittered exponential backoff after attempt `attempt` (1-based).
    fn backoff_delay(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        let full = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let half = full / 2;
        let spread = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(random_below(spread))
    }
}

/// A random number in `0..=bound` (not for cryptography).
fn random_below(bound: u64) -> u64 {
    if bound == 0 {
        return 0;
    }
    // `RandomState` is seeded from the OS and varies per instance.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish() % bound.saturating_add(1).max(1)
}

/// The wait a response's `Retry-After` header asks for: delay-seconds, or an
/// HTTP date (a date in the past means no wait). `None` when the header is
/// absent or unreadable.
///
/// ```
/// use std::time::Duration;
/// use apigen_runtime::reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
/// use apigen_runtime::retry::retry_after;
///
/// let mut headers = HeaderMap::new();
/// headers.insert(RETRY_AFTER, HeaderValue::from_static("120"));
/// assert_eq!(retry_after(&headers), Some(Duration::from_secs(120)));
/// headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
/// assert_eq!(retry_after(&headers), Some(Duration::ZERO));
/// ```
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long numbers saturate rather than fail.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = parse_http_date(value)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110
/// §5.6.7) into seconds since the Unix epoch.
fn parse_http_date(text: &str) -> Option<u64> {
    let rest = text.split_once(", ")?.1;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts[..] else {
        return None;
    };
    let day: u64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year: u64 = year.parse().ok().filter(|y| *y >= 1970)?;
    let clock: Vec<u64> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, s] = clock[..] else {
        return None;
    };
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from 1970-01-01 to the date (Howard Hinnant's days_from_civil).
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y % 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn with_retry_after(value: &'static str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
        headers
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599)
        );
        for bad in [
            "",
            "06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(
            retry_after(&with_retry_after("0")),
            Some(Duration::from_secs(0))
        );
        assert_eq!(
            retry_after(&with_retry_after(" 7 ")),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&with_retry_after("99999999999999999999999")),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(retry_after(&with_retry_after("-1")), None);
        assert_eq!(retry_after(&with_retry_after("soon")), None);
        // A date far in the future.
        let wait = retry_after(&with_retry_after("Fri, 01 Jan 2100 00:00:00 GMT")).unwrap();
        assert!(wait > Duration::from_secs(365 * 86_400), "{wait:?}");
    }

    #[test]
    fn backoff_grows_within_bounds() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..50 {
            let d1 = policy.backoff_delay(1);
            assert!(d1 >= Duration::from_millis(50) && d1 <= Duration::from_millis(100));
            let d3 = policy.backoff_delay(3);
            assert!(d3 >= Duration::from_millis(200) && d3 <= Duration::from_millis(400));
            let d9 = policy.backoff_delay(9);
            assert!(d9 >= Duration::from_millis(500) && d9 <= Duration::from_secs(1));
        }
        // Jitter: not every delay is the same.
        let delays: std::collections::BTreeSet<Duration> =
            (0..20).map(|_| policy.backoff_delay(4)).collect();
        assert!(delays.len() > 1);
        // Huge attempt numbers neither overflow nor exceed the cap.
        assert!(policy.backoff_delay(u32::MAX) <= Duration::from_secs(1));
    }

    #[test]
    fn which_requests_and_responses_are_retried() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        assert!(policy.applies_to(&Method::GET, &none));
        assert!(policy.applies_to(&Method::PUT, &none));
        assert!(policy.applies_to(&Method::DELETE, &none));
        assert!(!policy.applies_to(&Method::POST, &none));
        assert!(!policy.applies_to(&Method::PATCH, &none));
        let mut keyed = HeaderMap::new();
        keyed.insert(IDEMPOTENCY_KEY, HeaderValue::from_static("k1"));
        assert!(policy.applies_to(&Method::POST, &keyed));
        assert!(
            policy
                .clone()
                .retry_all_methods(true)
                .applies_to(&Method::PATCH, &none)
        );
        assert!(!RetryPolicy::none().applies_to(&Method::GET, &none));

        let limited = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            policy.delay_after_response(1, limited, &with_retry_after("2")),
            Some(Duration::from_secs(2))
        );
        // Too long a wait: not retried.
        assert_eq!(
            policy.delay_after_response(1, limited, &with_retry_after("61")),
            None
        );
        // Attempts used up.
        assert_eq!(
            policy.delay_after_response(3, limited, &with_retry_after("1")),
            None
        );
        assert!(
            policy
                .delay_after_response(1, StatusCode::SERVICE_UNAVAILABLE, &none)
                .is_some()
        );
        for status in [500, 502, 504, 404, 200] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(policy.delay_after_response(1, status, &none), None);
        }
        assert!(policy.delay_after_failure(2).is_some());
        assert_eq!(policy.delay_after_failure(3), None);
    }
}
