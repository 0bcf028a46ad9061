//! The worker: claims due jobs, runs them, records the outcome; also dispatches events and fires
//! schedules. Every `didtron serve` runs one; they coordinate through row locks only.

use std::time::Duration as StdDuration;

use chrono::Duration;
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Backend;
use rand::Rng;
use serde_json::Value;
use tokio::sync::watch;

use super::{JobError, NewJob, enqueue, schedule};
use crate::state::AppState;

#[derive(Clone)]
pub struct Worker {
    state: AppState,
    /// Names this worker in `locked_by`.
    pub id: String,
    /// Pause before the first retry; each later retry waits twice as long (with jitter).
    pub backoff: Duration,
    /// Jobs claimed and run together in one round.
    pub batch: i64,
    /// A running job whose worker vanished is retried after this long.
    pub lease: Duration,
    pub idle_poll: StdDuration,
}

impl Worker {
    pub fn new(state: AppState) -> Worker {
        Worker {
            state,
            id: format!("worker-{}", new_id()),
            backoff: Duration::seconds(5),
            batch: 8,
            lease: Duration::minutes(10),
            idle_poll: StdDuration::from_millis(500),
        }
    }

    /// Runs rounds until `stop` turns true.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        tracing::info!(worker = %self.id, "job worker started");
        loop {
            let busy = match self.round().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::error!(error = %e, "job worker round failed");
                    false
                }
            };
            if *stop.borrow() {
                break;
            }
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.idle_poll) => {}
                    _ = stop.changed() => {}
                }
                if *stop.borrow() {
                    break;
                }
            }
        }
        tracing::info!(worker = %self.id, "job worker stopped");
    }

    /// One round: recover abandoned jobs, dispatch events, fire due schedules, run a batch of due
    /// jobs. Returns how many jobs ran.
    pub async fn round(&self) -> Result<usize> {
        self.recover_abandoned().await?;
        self.dispatch_events().await?;
        schedule::fire_due(&self.state).await?;
        let claimed = self.claim().await?;
        let n = claimed.len();
        futures::future::join_all(claimed.into_iter().map(|job| self.execute(job))).await;
        Ok(n)
    }

    /// Runs rounds until nothing is due (for tests and the CLI).
    pub async fn drain(&self) -> Result<usize> {
        let mut total = 0;
        loop {
            let n = self.round().await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    fn skip_locked(&self) -> &'static str {
        match self.state.db.backend() {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            // SQLite has one writer at a time: the UPDATE below is already exclusive.
            Backend::Sqlite => "",
        }
    }

    async fn claim(&self) -> Result<Vec<Claimed>> {
        let now = time::now();
        let sql = format!(
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, started_at = $3, updated_at = $3
             WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT $4 {})
             RETURNING id, kind, payload, attempts, max_attempts",
            self.skip_locked()
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(&self.id)
            .bind(time::to_db(now + self.lease))
            .bind(time::to_db(now))
            .bind(self.batch)
            .fetch_all(self.state.db.pool())
            .await
            .map_err(Error::internal)
    }

    async fn execute(&self, job: Claimed) {
        let outcome = match self.state.jobs.handler(&job.kind) {
            None => Err(JobError::permanent(format!("no handler for job kind {}", job.kind))),
            Some(handler) => {
                let payload: Value = serde_json::from_str(&job.payload).unwrap_or(Value::Null);
                // A panicking handler is a failed attempt, not a dead worker.
                match tokio::spawn(handler(self.state.clone(), payload)).await {
                    Ok(result) => result,
                    Err(e) => Err(JobError::retry(format!("the job crashed: {e}"))),
                }
            }
        };
        if let Err(e) = self.finish(&job, outcome).await {
            tracing::error!(job = %job.id, error = %e, "could not record a job's outcome");
        }
    }

    async fn finish(&self, job: &Claimed, outcome: Result<(), JobError>) -> Result<()> {
        let now = time::now();
        let pool = self.state.db.pool();
        match outcome {
            Ok(()) => {
                sqlx::query(
                    "UPDATE jobs SET status = 'succeeded', finished_at = $1, locked_by = NULL, locked_until = NULL, last_error = NULL, updated_at = $1
                     WHERE id = $2 AND locked_by = $3",
                )
                .bind(time::to_db(now))
                .bind(&job.id)
                .bind(&self.id)
                .execute(pool)
                .await
                .map_err(Error::internal)?;
            }
            Err(e) if e.retryable && job.attempts < job.max_attempts => {
                let run_at = now + self.backoff_after(job.attempts);
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %e.message, "job failed, will retry");
                sqlx::query(
                    "UPDATE jobs SET status = 'queued', run_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL, updated_at = $3
                     WHERE id = $4 AND locked_by = $5",
                )
                .bind(time::to_db(run_at))
                .bind(&e.message)
                .bind(time::to_db(now))
                .bind(&job.id)
                .bind(&self.id)
                .execute(pool)
                .await
                .map_err(Error::internal)?;
            }
            Err(e) => {
                tracing::error!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %e.message, "job dead-lettered");
                sqlx::query(
                    "UPDATE jobs SET status = 'dead', finished_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL, updated_at = $1
                     WHERE id = $3 AND locked_by = $4",
                )
                .bind(time::to_db(now))
                .bind(&e.message)
                .bind(&job.id)
                .bind(&self.id)
                .execute(pool)
                .await
                .map_err(Error::internal)?;
            }
        }
        Ok(())
    }

    /// Exponential backoff with ±25 % jitter, so failing jobs of many workers do not retry in step.
    fn backoff_after(&self, attempts: i64) -> Duration {
        let base = self.backoff.num_milliseconds().max(0) * (1i64 << attempts.clamp(1, 16).saturating_sub(1));
        let capped = base.min(3_600_000);
        let jitter = if capped > 0 { rand::rng().random_range(-(capped / 4)..=(capped / 4)) } else { 0 };
        Duration::milliseconds(capped + jitter)
    }

    /// Jobs left `running` by a worker that stopped: back to the queue, or dead when out of attempts.
    async fn recover_abandoned(&self) -> Result<()> {
        let now = time::to_db(time::now());
        sqlx::query(
            "UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                    last_error = 'the worker running it stopped', locked_by = NULL, locked_until = NULL, run_at = $1, updated_at = $1
             WHERE status = 'running' AND locked_until < $1",
        )
        .bind(&now)
        .execute(self.state.db.pool())
        .await
        .map_err(Error::internal)?;
        Ok(())
    }

    async fn dispatch_events(&self) -> Result<()> {
        let mut tx = self.state.db.pool().begin().await.map_err(Error::internal)?;
        let sql = format!(
            "SELECT id, kind, tenant_id, subject_id, payload FROM events WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT 100 {}",
            self.skip_locked()
        );
        let events: Vec<(String, String, Option<String>, Option<String>, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await.map_err(Error::internal)?;
        if events.is_empty() {
            return Ok(());
        }
        let now = time::to_db(time::now());
        for (id, kind, tenant_id, subject_id, payload) in events {
            for job_kind in self.state.jobs.subscribers(&kind) {
                let payload = serde_json::json!({
                    "event_id": id, "kind": kind, "tenant_id": tenant_id, "subject_id": subject_id,
                    "payload": serde_json::from_str::<Value>(&payload).unwrap_or(Value::Null),
                });
                enqueue(&mut *tx, NewJob::new(job_kind, payload), "system").await?;
            }
            sqlx::query("UPDATE events SET dispatched_at = $1, updated_at = $1 WHERE id = $2")
                .bind(&now)
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(Error::internal)?;
        }
        tx.commit().await.map_err(Error::internal)?;
        Ok(())
    }
}

#[derive(Debug, sqlx::FromRow)]
struct Claimed {
    id: String,
    kind: String,
    payload: String,
    attempts: i64,
    max_attempts: i64,
}
