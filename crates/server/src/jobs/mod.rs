//! The job queue, in the database: workers claim jobs with row locks (`FOR UPDATE SKIP LOCKED` on
//! PostgreSQL; SQLite serialises writers), so with several `didtron serve` instances on one database
//! each job runs once. Failures are retried with exponential backoff and jitter; after the last
//! attempt a job is dead-lettered (`dead`) for a person to retry or cancel. Recurring work comes
//! from cron schedules, and domain events are dispatched to their subscribers as jobs.
//!
//! A maintained crate (apalis) was considered; its SQL backends bring their own pools and sqlx
//! version, while this queue shares DIDtron's pool, transactions and both databases.

pub mod events;
pub mod instance;
pub mod lease;
pub mod routes;
pub mod schedule;
pub mod service;
pub mod store;
pub mod worker;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use didtron_core::{Error, Result, id::new_id, time};
use futures::future::BoxFuture;
use serde_json::Value;

use crate::state::AppState;

/// How a job ended badly.
#[derive(Debug, Clone)]
pub struct JobError {
    pub message: String,
    /// Whether another attempt may succeed; a permanent failure is dead-lettered at once.
    pub retryable: bool,
    /// The job did not fail: it waited its turn (another instance holds what it needs) and runs
    /// again after this long, without using up an attempt.
    pub wait: Option<Duration>,
}

impl JobError {
    pub fn retry(message: impl Into<String>) -> JobError {
        JobError { message: message.into(), retryable: true, wait: None }
    }

    pub fn permanent(message: impl Into<String>) -> JobError {
        JobError { message: message.into(), retryable: false, wait: None }
    }

    /// Not a failure: run again after `wait`, with the attempt given back.
    pub fn wait(message: impl Into<String>, wait: Duration) -> JobError {
        JobError { message: message.into(), retryable: true, wait: Some(wait.max(Duration::zero())) }
    }
}

impl From<didtron_db::Error> for JobError {
    fn from(e: didtron_db::Error) -> JobError {
        JobError::from(Error::from(e))
    }
}

impl From<Error> for JobError {
    fn from(e: Error) -> JobError {
        let retryable = matches!(e, Error::Internal(_) | Error::Upstream { retryable: true, .. } | Error::RateLimited { .. });
        JobError { message: e.to_string(), retryable, wait: None }
    }
}

pub type Handler = Arc<dyn Fn(AppState, Value) -> BoxFuture<'static, Result<(), JobError>> + Send + Sync>;

/// What the workers know how to run, and which jobs each event kind starts.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, Handler>,
    subscribers: HashMap<String, Vec<String>>,
}

impl Registry {
    /// Registers the handler of job `kind`.
    pub fn handle<F, Fut>(&mut self, kind: &str, f: F)
    where
        F: Fn(AppState, Value) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.handlers.insert(kind.to_string(), Arc::new(move |s, v| Box::pin(f(s, v))));
    }

    /// Every event of `event_kind` enqueues a `job_kind` job whose payload is the event.
    pub fn subscribe(&mut self, event_kind: &str, job_kind: &str) {
        self.subscribers.entry(event_kind.to_string()).or_default().push(job_kind.to_string());
    }

    pub fn handler(&self, kind: &str) -> Option<Handler> {
        self.handlers.get(kind).cloned()
    }

    pub fn subscribers(&self, event_kind: &str) -> &[String] {
        self.subscribers.get(event_kind).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Options of a new job.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: Value,
    pub max_attempts: i64,
    pub delay: Duration,
}

impl NewJob {
    pub fn new(kind: &str, payload: Value) -> NewJob {
        NewJob { kind: kind.into(), payload, max_attempts: 3, delay: Duration::zero() }
    }
}

/// Enqueues a job on the caller's connection or transaction; returns its id.
pub async fn enqueue<'c, E>(conn: E, job: NewJob, created_by: &str) -> Result<String>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let id = new_id();
    let now = time::now();
    let row = store::NewJobRow {
        id: &id,
        kind: &job.kind,
        payload: &job.payload,
        max_attempts: job.max_attempts.max(1),
        run_at: &time::to_db(now + job.delay),
        now: &time::to_db(now),
        created_by,
    };
    store::insert_job(conn, row).await?;
    Ok(id)
}

/// How many jobs of `kind` are queued or running.
pub async fn waiting_or_running(db: &didtron_db::Db, kind: &str) -> Result<i64> {
    Ok(store::active_jobs_of(db, kind).await?)
}
