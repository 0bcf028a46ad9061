//! The ConnexCS control-panel REST API (`https://app.connexcs.com/api/cp/`): JSON over HTTPS with
//! HTTP Basic authentication (the account's API username and password — the same check ConnexCS's
//! own `cx` command-line tool makes against `setup/account`).
//!
//! Pacing: ConnexCS allows few concurrent sessions per account, so at most `concurrency` calls are
//! in flight from one process. Retries: timeouts, broken connections, 5xx and 429 are retried with
//! exponential backoff and jitter (a 429's `Retry-After` wins), up to `attempts` attempts; a 4xx
//! never is. A create is not blindly re-sent: before each retry the object is looked up by its
//! natural key, and one the timed-out attempt did make is adopted instead of duplicated.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use backon::BackoffBuilder;
use reqwest::{Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::sync::Semaphore;

use super::{CdrQuery, Exchange, FailureKind, Journal, Object, Switch, SwitchError};

pub const DEFAULT_URL: &str = "https://app.connexcs.com/api/cp/";

pub struct ConnexCs {
    http: reqwest::Client,
    base: url::Url,
    username: String,
    password: SecretString,
    attempts: u32,
    backoff: Duration,
    gate: Semaphore,
}

impl std::fmt::Debug for ConnexCs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnexCs").field("base", &self.base.as_str()).field("username", &self.username).finish_non_exhaustive()
    }
}

/// Longest a `Retry-After` is honoured; a longer one fails the attempt (the job retries later).
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

impl ConnexCs {
    /// A client for the API at `base` (normally [`DEFAULT_URL`]).
    pub fn new(base: &str, username: &str, password: SecretString) -> Result<ConnexCs, SwitchError> {
        let not_configured = |m: &str| SwitchError::new(FailureKind::NotConfigured, None, m);
        if username.trim().is_empty() || password.expose_secret().is_empty() {
            return Err(not_configured("ConnexCS needs an API username and password (switch.connexcs_username / connexcs_password)"));
        }
        let mut base = url::Url::parse(base).map_err(|_| not_configured("the ConnexCS URL is not a valid URL"))?;
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .connect_timeout(Duration::from_secs(5))
            .user_agent(concat!("DIDtron/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| not_configured(&format!("HTTP client: {e}")))?;
        Ok(ConnexCs { http, base, username: username.trim().into(), password, attempts: 3, backoff: Duration::from_millis(500), gate: Semaphore::new(2) })
    }

    /// Changes the attempts per call, the first backoff (it doubles, with jitter) and the timeout.
    pub fn with_retries(mut self, attempts: u32, backoff: Duration, timeout: Duration) -> ConnexCs {
        self.attempts = attempts.max(1);
        self.backoff = backoff;
        if let Ok(http) = reqwest::Client::builder().timeout(timeout).connect_timeout(timeout).build() {
            self.http = http;
        }
        self
    }

    fn delays(&self) -> impl Iterator<Item = Duration> {
        backon::ExponentialBuilder::default()
            .with_min_delay(self.backoff)
            .with_max_delay(Duration::from_secs(30))
            .with_jitter()
            .with_max_times(self.attempts.saturating_sub(1) as usize)
            .build()
    }

    /// One attempt, logged.
    async fn attempt(&self, method: Method, path: &str, query: &[(&str, &str)], body: Option<&Value>, attempt: u32, log: &mut Journal) -> Result<Value, SwitchError> {
        let url = self.base.join(path).map_err(|_| SwitchError::new(FailureKind::Protocol, None, format!("bad path {path}")))?;
        let _permit = self.gate.acquire().await.map_err(|_| SwitchError::new(FailureKind::Network, None, "client closed"))?;
        let started = Instant::now();
        let mut req = self.http.request(method.clone(), url).basic_auth(&self.username, Some(self.password.expose_secret())).header("accept", "application/json");
        if !query.is_empty() {
            req = req.query(query);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let shown_path = if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"))
        };
        let mut entry = Exchange { method: method.to_string(), path: shown_path, request: body.cloned(), status: None, response: None, millis: 0, attempt, error: None };
        let outcome = match req.send().await {
            Err(e) => Err(if e.is_timeout() {
                SwitchError::new(FailureKind::Timeout, None, "ConnexCS did not answer in time")
            } else {
                SwitchError::new(FailureKind::Network, None, format!("cannot reach ConnexCS: {}", root_cause(&e)))
            }),
            Ok(res) => {
                let status = res.status();
                entry.status = Some(status.as_u16());
                let retry_after = res
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let text = match res.text().await {
                    Ok(t) => t,
                    Err(e) if e.is_timeout() => String::new(),
                    Err(_) => String::new(),
                };
                let parsed: Value = if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text.clone())) };
                entry.response = Some(parsed.clone());
                classify(status, parsed, retry_after)
            }
        };
        entry.millis = started.elapsed().as_millis() as u64;
        if let Err(e) = &outcome {
            entry.error = Some(e.message.clone());
        }
        log.push(entry);
        outcome
    }

    /// A call that is safe to repeat (GET, PUT, DELETE), retried when worth it.
    async fn call(&self, method: Method, path: &str, query: &[(&str, &str)], body: Option<&Value>, log: &mut Journal) -> Result<Value, SwitchError> {
        let mut delays = self.delays();
        let mut attempt = 1;
        loop {
            match self.attempt(method.clone(), path, query, body, attempt, log).await {
                Ok(v) => return Ok(v),
                Err(e) if e.retryable() => match wait_for(&e, delays.next()) {
                    Some(pause) => {
                        tokio::time::sleep(pause).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
    }
}

/// The pause before the next attempt, or `None` when there is none left.
fn wait_for(e: &SwitchError, next: Option<Duration>) -> Option<Duration> {
    let next = next?;
    match e.retry_after {
        Some(after) if after > MAX_RETRY_AFTER => None,
        Some(after) => Some(after),
        None => Some(next),
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

/// Maps an HTTP answer to a result: 2xx is the body, the rest an error that says whether to retry.
fn classify(status: StatusCode, body: Value, retry_after: Option<Duration>) -> Result<Value, SwitchError> {
    if status.is_success() {
        return Ok(body);
    }
    let said = body
        .get("message")
        .or_else(|| body.get("error"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| body.as_str().map(|s| s.chars().take(300).collect()))
        .unwrap_or_default();
    let code = status.as_u16();
    let (kind, what) = match code {
        429 => (FailureKind::RateLimited, "too many requests"),
        401 | 403 => (FailureKind::Unauthorized, "the ConnexCS credentials were refused"),
        400..=499 => (FailureKind::Rejected, "ConnexCS refused the request"),
        _ => (FailureKind::Unavailable, "ConnexCS had a server error"),
    };
    let message = if said.is_empty() { format!("{what} (HTTP {code})") } else { format!("{what} (HTTP {code}): {said}") };
    Err(SwitchError { kind, status: Some(code), message, retry_after })
}

/// The id in a create's answer: `{"id": 42}`, `[{"id": 42}]` or a bare number.
fn id_of(v: &Value) -> Option<String> {
    let v = v.as_array().and_then(|a| a.first()).unwrap_or(v);
    match v.get("id").unwrap_or(v) {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// Text safe to put inside a single-quoted ClickHouse string literal: only characters an id or a
/// timestamp can hold.
fn sql_literal(raw: &str, what: &str) -> Result<String, SwitchError> {
    if raw.is_empty() || raw.len() > 64 || !raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | ' ' | '_' | '.')) {
        return Err(SwitchError::new(FailureKind::Rejected, None, format!("{what} has characters a CDR query cannot take")));
    }
    Ok(raw.to_string())
}

/// The CDR store is queried with SQL; every value is checked first (no quoting tricks reach it).
pub fn cdr_sql(q: &CdrQuery) -> Result<String, SwitchError> {
    let time = |raw: &str, what: &str| -> Result<String, SwitchError> {
        let t = chrono::DateTime::parse_from_rfc3339(raw)
            .map(|t| t.naive_utc())
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S"))
            .map_err(|_| SwitchError::new(FailureKind::Rejected, None, format!("{what} must be a date and time")))?;
        sql_literal(&t.format("%Y-%m-%d %H:%M:%S").to_string(), what)
    };
    let mut sql = format!("SELECT * FROM cdr WHERE dt >= '{}' AND dt < '{}'", time(&q.from, "from")?, time(&q.to, "to")?);
    if let Some(c) = &q.customer {
        sql.push_str(&format!(" AND customer_id = '{}'", sql_literal(c, "customer")?));
    }
    sql.push_str(&format!(" ORDER BY dt DESC LIMIT {}", q.limit.clamp(1, 10_000)));
    Ok(sql)
}

#[async_trait]
impl Switch for ConnexCs {
    fn driver(&self) -> &'static str {
        "connexcs"
    }

    async fn account(&self, log: &mut Journal) -> Result<String, SwitchError> {
        let v = self.call(Method::GET, "setup/account", &[], None, log).await?;
        v.get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| SwitchError::new(FailureKind::Protocol, None, "setup/account answered without the company name"))
    }

    async fn find(&self, object: Object, parent: Option<&str>, value: &str, log: &mut Journal) -> Result<Option<String>, SwitchError> {
        let key = object.natural_key();
        let found = self.call(Method::GET, &object.path(parent), &[(key, value)], None, log).await?;
        // The filter narrows the list; the match is still checked here, exactly.
        Ok(found.as_array().into_iter().flatten().find(|o| o.get(key).and_then(Value::as_str) == Some(value)).and_then(id_of))
    }

    async fn create(&self, object: Object, parent: Option<&str>, body: &Value, log: &mut Journal) -> Result<String, SwitchError> {
        let path = object.path(parent);
        let natural = body.get(object.natural_key()).and_then(Value::as_str).map(str::to_string);
        let mut delays = self.delays();
        let mut attempt = 1;
        loop {
            if attempt > 1
                && let Some(value) = &natural
                && let Some(id) = self.find(object, parent, value, log).await?
            {
                // The earlier attempt did create it; the answer was lost.
                return Ok(id);
            }
            match self.attempt(Method::POST, &path, &[], Some(body), attempt, log).await {
                Ok(v) => return id_of(&v).ok_or_else(|| SwitchError::new(FailureKind::Protocol, None, format!("{path}: the create answered without an id"))),
                Err(e) if e.retryable() => match wait_for(&e, delays.next()) {
                    Some(pause) => {
                        tokio::time::sleep(pause).await;
                        attempt += 1;
                    }
                    None => return Err(e),
                },
                Err(e) => return Err(e),
            }
        }
    }

    async fn update(&self, object: Object, parent: Option<&str>, id: &str, body: &Value, log: &mut Journal) -> Result<(), SwitchError> {
        self.call(Method::PUT, &format!("{}/{id}", object.path(parent)), &[], Some(body), log).await.map(|_| ())
    }

    async fn delete(&self, object: Object, parent: Option<&str>, id: &str, log: &mut Journal) -> Result<(), SwitchError> {
        match self.call(Method::DELETE, &format!("{}/{id}", object.path(parent)), &[], None, log).await {
            Err(e) if e.status == Some(404) => Ok(()),
            other => other.map(|_| ()),
        }
    }

    async fn list(&self, object: Object, parent: Option<&str>, log: &mut Journal) -> Result<Vec<(String, Value)>, SwitchError> {
        let all = self.call(Method::GET, &object.path(parent), &[], None, log).await?;
        let items = all.as_array().ok_or_else(|| SwitchError::new(FailureKind::Protocol, None, format!("{}: expected a list", object.path(parent))))?;
        Ok(items.iter().filter_map(|o| id_of(o).map(|id| (id, o.clone()))).collect())
    }

    async fn balance(&self, customer: &str, log: &mut Journal) -> Result<Value, SwitchError> {
        let id = sql_literal(customer, "customer")?;
        self.call(Method::GET, &format!("customer/{id}/balance"), &[], None, log).await
    }

    async fn cdrs(&self, query: &CdrQuery, log: &mut Journal) -> Result<Vec<Value>, SwitchError> {
        let sql = cdr_sql(query)?;
        // A read, so it is retried like one although it is a POST.
        let rows = self.call(Method::POST, "cdr", &[], Some(&json!({ "sql": sql })), log).await?;
        Ok(rows.as_array().cloned().unwrap_or_default())
    }

    async fn live_calls(&self, log: &mut Journal) -> Result<Vec<Value>, SwitchError> {
        let rows = self.call(Method::GET, "switch/active", &[], None, log).await?;
        Ok(rows.as_array().cloned().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdr_queries_take_only_checked_values() {
        let q = CdrQuery { from: "2026-11-01T00:00:00Z".into(), to: "2026-11-02 00:00:00".into(), customer: Some("1234".into()), limit: 50 };
        assert_eq!(cdr_sql(&q).unwrap(), "SELECT * FROM cdr WHERE dt >= '2026-11-01 00:00:00' AND dt < '2026-11-02 00:00:00' AND customer_id = '1234' ORDER BY dt DESC LIMIT 50");
        let evil = CdrQuery { customer: Some("1' OR '1'='1".into()), ..q.clone() };
        assert!(cdr_sql(&evil).is_err());
        assert!(cdr_sql(&CdrQuery { from: "yesterday".into(), ..q }).is_err());
    }

    #[test]
    fn only_timeouts_5xx_and_429_are_retried() {
        let e = classify(StatusCode::SERVICE_UNAVAILABLE, Value::Null, None).unwrap_err();
        assert!(e.retryable());
        assert!(classify(StatusCode::TOO_MANY_REQUESTS, Value::Null, Some(Duration::from_secs(1))).unwrap_err().retryable());
        let bad = classify(StatusCode::BAD_REQUEST, json!({"message": "prefix is required"}), None).unwrap_err();
        assert!(!bad.retryable());
        assert_eq!(bad.message, "ConnexCS refused the request (HTTP 400): prefix is required");
        assert!(!classify(StatusCode::UNAUTHORIZED, Value::Null, None).unwrap_err().retryable());
    }

    #[test]
    fn ids_come_from_the_usual_answers() {
        assert_eq!(id_of(&json!({"id": 42})).as_deref(), Some("42"));
        assert_eq!(id_of(&json!([{"id": "a1"}])).as_deref(), Some("a1"));
        assert_eq!(id_of(&json!(7)).as_deref(), Some("7"));
        assert_eq!(id_of(&json!({"ok": true})), None);
    }
}
