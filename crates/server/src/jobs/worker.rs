//! The worker: claims due jobs, runs them, records the outcome; also dispatches events and fires
//! schedules. Every `didtron serve` runs one; they coordinate through row locks only.
//!
//! A claimed job is locked for a short [`Worker::lease`], renewed every [`Worker::renew_every`]
//! while it runs, so a long job (a large rate deck import) keeps its lock for as long as it runs and
//! a job whose worker died is free again within one lease. If the lock cannot be renewed — another
//! worker took the job over, or the database stayed out of reach until the lock ran out — the run is
//! stopped at once: a job never runs in two places together.

use std::time::Duration as StdDuration;

use chrono::Duration;
use didtron_core::{Result, id::new_id, time};
use rand::Rng;
use tokio::sync::watch;

use super::store::{self, Claimed, Outcome};
use super::{JobError, NewJob, enqueue, instance, schedule};
use crate::state::AppState;

#[derive(Clone)]
pub struct Worker {
    state: AppState,
    /// Names this worker in `locked_by`.
    pub id: String,
    /// The instance it runs in (recorded on the jobs it runs).
    pub instance: String,
    /// Pause before the first retry; each later retry waits twice as long (with jitter).
    pub backoff: Duration,
    /// Jobs claimed and run together in one round.
    pub batch: i64,
    /// How long a claimed job stays locked unless renewed.
    pub lease: Duration,
    /// How often a running job's lock is renewed (well inside `lease`).
    pub renew_every: Duration,
    pub idle_poll: StdDuration,
}

/// The lock of a running job, renewed every third of it.
pub const JOB_LEASE: Duration = Duration::seconds(30);

impl Worker {
    pub fn new(state: AppState) -> Worker {
        Worker {
            state,
            id: format!("worker-{}", new_id()),
            instance: instance::this().id.clone(),
            backoff: Duration::seconds(5),
            batch: 8,
            lease: JOB_LEASE,
            renew_every: JOB_LEASE / 3,
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
        store::requeue_expired(&self.state.db, &time::to_db(time::now())).await?;
        self.dispatch_events().await?;
        schedule::fire_due(&self.state).await?;
        let now = time::now();
        let claimed = store::claim(&self.state.db, &self.id, &self.instance, &time::to_db(now + self.lease), &time::to_db(now), self.batch).await?;
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

    async fn execute(&self, job: Claimed) {
        let Some(handler) = self.state.jobs.handler(&job.kind) else {
            let outcome = Err(JobError::permanent(format!("no handler for job kind {}", job.kind)));
            return self.record(&job, outcome).await;
        };
        // A panicking handler is a failed attempt, not a dead worker.
        let mut run = tokio::spawn(handler(self.state.clone(), job.payload.0.clone()));
        let renew_every = self.renew_every.to_std().unwrap_or(StdDuration::from_secs(10));
        let mut locked_until = time::now() + self.lease;
        let outcome = loop {
            tokio::select! {
                ended = &mut run => break match ended {
                    Ok(result) => result,
                    Err(e) => Err(JobError::retry(format!("the job crashed: {e}"))),
                },
                _ = tokio::time::sleep(renew_every) => {
                    let now = time::now();
                    match store::renew_job(&self.state.db, &job.id, &self.id, &time::to_db(now + self.lease), &time::to_db(now)).await {
                        Ok(true) => locked_until = now + self.lease,
                        Ok(false) => {
                            run.abort();
                            tracing::warn!(job = %job.id, kind = %job.kind, "a running job was taken over by another worker; stopped here");
                            return;
                        }
                        Err(e) if time::now() + self.renew_every >= locked_until => {
                            run.abort();
                            tracing::error!(job = %job.id, kind = %job.kind, error = %e, "could not renew a running job's lock before it ran out; stopped here");
                            return;
                        }
                        Err(e) => tracing::warn!(job = %job.id, error = %e, "could not renew a running job's lock; trying again"),
                    }
                }
            }
        };
        self.record(&job, outcome).await;
    }

    async fn record(&self, job: &Claimed, outcome: Result<(), JobError>) {
        if let Err(e) = self.finish(job, outcome).await {
            tracing::error!(job = %job.id, error = %e, "could not record a job's outcome");
        }
    }

    async fn finish(&self, job: &Claimed, outcome: Result<(), JobError>) -> Result<()> {
        let now = time::now();
        let now_s = time::to_db(now);
        let recorded = match &outcome {
            Ok(()) => Outcome::Succeeded,
            Err(JobError { wait: Some(wait), message, .. }) => {
                tracing::info!(job = %job.id, kind = %job.kind, message = %message, "job waits its turn");
                return Ok(store::finish_job(&self.state.db, &job.id, &self.id, Outcome::Retry { run_at: &time::to_db(now + *wait), error: message, refund: true }, &now_s).await?);
            }
            Err(e) if e.retryable && job.attempts < job.max_attempts => {
                let run_at = time::to_db(now + self.backoff_after(job.attempts));
                tracing::warn!(job = %job.id, kind = %job.kind, attempt = job.attempts, error = %e.message, "job failed, will retry");
                return Ok(store::finish_job(&self.state.db, &job.id, &self.id, Outcome::Retry { run_at: &run_at, error: &e.message, refund: false }, &now_s).await?);
            }
            Err(e) => {
                tracing::error!(job = %job.id, kind = %job.kind, attempts = job.attempts, error = %e.message, "job dead-lettered");
                Outcome::Dead { error: &e.message }
            }
        };
        store::finish_job(&self.state.db, &job.id, &self.id, recorded, &now_s).await?;
        Ok(())
    }

    /// Exponential backoff with ±25 % jitter, so failing jobs of many workers do not retry in step.
    fn backoff_after(&self, attempts: i64) -> Duration {
        let base = self.backoff.num_milliseconds().max(0) * (1i64 << attempts.clamp(1, 16).saturating_sub(1));
        let capped = base.min(3_600_000);
        let jitter = if capped > 0 { rand::rng().random_range(-(capped / 4)..=(capped / 4)) } else { 0 };
        Duration::milliseconds(capped + jitter)
    }

    async fn dispatch_events(&self) -> Result<()> {
        let mut tx = self.state.db.pool().begin().await.map_err(didtron_db::Error::from)?;
        let events = store::undispatched_events(&mut tx, self.state.db.backend(), 100).await?;
        if events.is_empty() {
            return Ok(());
        }
        let now = time::to_db(time::now());
        for e in events {
            for job_kind in self.state.jobs.subscribers(&e.kind) {
                let payload = serde_json::json!({
                    "event_id": e.id, "kind": e.kind, "tenant_id": e.tenant_id, "subject_id": e.subject_id, "payload": e.payload.0,
                });
                enqueue(&mut *tx, NewJob::new(job_kind, payload), "system").await?;
            }
            store::mark_dispatched(&mut tx, &e.id, &now).await?;
        }
        tx.commit().await.map_err(didtron_db::Error::from)?;
        Ok(())
    }
}
