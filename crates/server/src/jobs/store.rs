//! The SQL of the job machinery: jobs, the events outbox, schedules, leases and the registry of
//! running instances. Everything above this file speaks in functions, never in SQL.

use didtron_core::id::new_id;
use didtron_db::{Backend, Db, Flag, Json, ListQuery, Result};
use serde_json::Value;
use sqlx::AssertSqlSafe;

// ---------------------------------------------------------------------------------------------
// Jobs

/// A job as written by [`insert_job`].
pub struct NewJobRow<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub payload: &'a Value,
    pub max_attempts: i64,
    pub run_at: &'a str,
    pub now: &'a str,
    pub created_by: &'a str,
}

/// Writes a queued job on the caller's connection or transaction.
pub async fn insert_job<'c, E>(conn: E, job: NewJobRow<'_>) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, status, max_attempts, run_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $6, $7)",
    )
    .bind(job.id)
    .bind(job.kind)
    .bind(Json(job.payload))
    .bind(job.max_attempts)
    .bind(job.run_at)
    .bind(job.now)
    .bind(job.created_by)
    .execute(conn)
    .await?;
    Ok(())
}

/// A job a worker has claimed.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: String,
    pub kind: String,
    pub payload: Json<Value>,
    pub attempts: i64,
    pub max_attempts: i64,
}

fn skip_locked(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        // SQLite has one writer at a time: the UPDATE around it is already exclusive.
        Backend::Sqlite => "",
    }
}

/// Claims up to `batch` due jobs for `worker` of `instance`, locked until `until`.
pub async fn claim(db: &Db, worker: &str, instance: &str, until: &str, now: &str, batch: i64) -> Result<Vec<Claimed>> {
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, instance_id = $2, locked_until = $3, attempts = attempts + 1, started_at = $4, updated_at = $4
         WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= $4 ORDER BY run_at, id LIMIT $5 {})
         RETURNING id, kind, payload, attempts, max_attempts",
        skip_locked(db.backend())
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(worker).bind(instance).bind(until).bind(now).bind(batch).fetch_all(db.pool()).await?)
}

/// Extends the lock of a job `worker` is running; `false` when the worker no longer holds it.
pub async fn renew_job(db: &Db, id: &str, worker: &str, until: &str, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE jobs SET locked_until = $1, updated_at = $2 WHERE id = $3 AND locked_by = $4 AND status = 'running'")
        .bind(until)
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// How a run ended, as recorded.
pub enum Outcome<'a> {
    Succeeded,
    /// Queued again for `run_at`; `refund` gives the attempt back (the job only waited its turn).
    Retry { run_at: &'a str, error: &'a str, refund: bool },
    Dead { error: &'a str },
}

/// Records the outcome of a run, if `worker` still holds the job.
pub async fn finish_job(db: &Db, id: &str, worker: &str, outcome: Outcome<'_>, now: &str) -> Result<()> {
    let q = match outcome {
        Outcome::Succeeded => sqlx::query(
            "UPDATE jobs SET status = 'succeeded', finished_at = $1, locked_by = NULL, locked_until = NULL, instance_id = NULL, last_error = NULL, updated_at = $1
             WHERE id = $2 AND locked_by = $3",
        )
        .bind(now)
        .bind(id)
        .bind(worker),
        Outcome::Retry { run_at, error, refund } => sqlx::query(
            "UPDATE jobs SET status = 'queued', run_at = $1, last_error = $2, attempts = attempts - $3, locked_by = NULL, locked_until = NULL, instance_id = NULL, updated_at = $4
             WHERE id = $5 AND locked_by = $6",
        )
        .bind(run_at)
        .bind(error)
        .bind(i64::from(refund))
        .bind(now)
        .bind(id)
        .bind(worker),
        Outcome::Dead { error } => sqlx::query(
            "UPDATE jobs SET status = 'dead', finished_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL, instance_id = NULL, updated_at = $1
             WHERE id = $3 AND locked_by = $4",
        )
        .bind(now)
        .bind(error)
        .bind(id)
        .bind(worker),
    };
    q.execute(db.pool()).await?;
    Ok(())
}

const REQUEUE: &str = "UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
        last_error = $1, locked_by = NULL, locked_until = NULL, instance_id = NULL, run_at = $2, updated_at = $2";

/// Jobs left `running` whose lock ran out: back to the queue, or dead when out of attempts.
pub async fn requeue_expired(db: &Db, now: &str) -> Result<u64> {
    let sql = format!("{REQUEUE} WHERE status = 'running' AND locked_until < $2");
    Ok(sqlx::query(AssertSqlSafe(sql)).bind("the worker running it stopped").bind(now).execute(db.pool()).await?.rows_affected())
}

/// Jobs left `running` by an instance known to be gone, whatever their lock says.
pub async fn requeue_instance_jobs(db: &Db, instance: &str, why: &str, now: &str) -> Result<u64> {
    let sql = format!("{REQUEUE} WHERE status = 'running' AND instance_id = $3");
    Ok(sqlx::query(AssertSqlSafe(sql)).bind(why).bind(now).bind(instance).execute(db.pool()).await?.rows_affected())
}

/// How many jobs of `kind` are waiting or running.
pub async fn active_jobs_of(db: &Db, kind: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status IN ('queued', 'running')").bind(kind).fetch_one(db.pool()).await?;
    Ok(n)
}

/// A job as the admin screen lists it.
#[derive(Debug, sqlx::FromRow)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: String,
    pub last_error: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub created_at: String,
}

/// A page of jobs, newest first, optionally of one status and kind.
pub async fn jobs(db: &Db, status: Option<&str>, kind: Option<&str>, limit: i64, offset: i64) -> Result<(Vec<JobRow>, i64)> {
    let q = ListQuery::new("id, kind, payload, status, attempts, max_attempts, run_at, last_error, started_at, finished_at, created_at", "FROM jobs")
        .filter_opt("status = ?", status.filter(|s| !s.is_empty()))
        .filter_opt("kind = ?", kind.filter(|s| !s.is_empty()))
        .order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &q, limit, offset).await
}

/// How many jobs are in each status.
pub async fn job_counts(db: &Db) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status").fetch_all(db.pool()).await?)
}

pub async fn job_status(db: &Db, id: &str) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT status FROM jobs WHERE id = $1").bind(id).fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.0))
}

/// Queues a finished job again with fresh attempts, if it is still in `from`.
pub async fn requeue_job(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, from: &str, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE jobs SET status = 'queued', attempts = 0, run_at = $1, finished_at = NULL, updated_at = $1 WHERE id = $2 AND status = $3")
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels a job, if it is still in `from`.
pub async fn cancel_job(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, from: &str, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE jobs SET status = 'cancelled', finished_at = $1, updated_at = $1 WHERE id = $2 AND status = $3")
        .bind(now)
        .bind(id)
        .bind(from)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

// ---------------------------------------------------------------------------------------------
// Events

/// Writes a domain event in the caller's transaction.
pub async fn insert_event<'c, E>(conn: E, kind: &str, tenant_id: Option<&str>, subject_id: Option<&str>, payload: &Value, now: &str) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query(
        "INSERT INTO events (id, kind, tenant_id, subject_id, payload, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'system', $6, 'system')",
    )
    .bind(new_id())
    .bind(kind)
    .bind(tenant_id)
    .bind(subject_id)
    .bind(Json(payload))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct EventRow {
    pub id: String,
    pub kind: String,
    pub tenant_id: Option<String>,
    pub subject_id: Option<String>,
    pub payload: Json<Value>,
}

/// Up to `limit` events not yet dispatched, oldest first, locked for this transaction.
pub async fn undispatched_events(tx: &mut sqlx::Transaction<'_, sqlx::Any>, backend: Backend, limit: i64) -> Result<Vec<EventRow>> {
    let sql = format!(
        "SELECT id, kind, tenant_id, subject_id, payload FROM events WHERE dispatched_at IS NULL ORDER BY created_at, id LIMIT $1 {}",
        skip_locked(backend)
    );
    Ok(sqlx::query_as(AssertSqlSafe(sql)).bind(limit).fetch_all(&mut **tx).await?)
}

pub async fn mark_dispatched(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE events SET dispatched_at = $1, updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut **tx).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Schedules

/// Creates schedule `name` unless it exists.
pub async fn insert_schedule_if_absent(db: &Db, name: &str, cron: &str, job_kind: &str, payload: &Value, next_run_at: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO schedules (id, name, cron, job_kind, payload, enabled, next_run_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, 'system', $7, 'system') ON CONFLICT (name) DO NOTHING",
    )
    .bind(new_id())
    .bind(name)
    .bind(cron)
    .bind(job_kind)
    .bind(Json(payload))
    .bind(next_run_at)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct DueSchedule {
    pub id: String,
    pub cron: String,
    pub job_kind: String,
    pub payload: Json<Value>,
    pub next_run_at: String,
}

/// Enabled schedules whose next firing is at or before `now`.
pub async fn due_schedules(db: &Db, now: &str) -> Result<Vec<DueSchedule>> {
    Ok(sqlx::query_as("SELECT id, cron, job_kind, payload, next_run_at FROM schedules WHERE enabled = 1 AND next_run_at <= $1").bind(now).fetch_all(db.pool()).await?)
}

/// Moves a schedule's next firing from `was` to `next`: a compare-and-set, so one instance wins.
pub async fn claim_firing(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, was: &str, next: &str, now: &str) -> Result<bool> {
    let claimed = sqlx::query("UPDATE schedules SET next_run_at = $1, last_run_at = $2, updated_at = $2 WHERE id = $3 AND next_run_at = $4")
        .bind(next)
        .bind(now)
        .bind(id)
        .bind(was)
        .execute(&mut **tx)
        .await?;
    Ok(claimed.rows_affected() == 1)
}

#[derive(Debug, sqlx::FromRow)]
pub struct ScheduleRow {
    pub id: String,
    pub name: String,
    pub cron: String,
    pub job_kind: String,
    #[sqlx(try_from = "Flag")]
    pub enabled: bool,
    pub next_run_at: String,
    pub last_run_at: Option<String>,
}

pub async fn schedules(db: &Db) -> Result<Vec<ScheduleRow>> {
    Ok(sqlx::query_as("SELECT id, name, cron, job_kind, enabled, next_run_at, last_run_at FROM schedules ORDER BY name").fetch_all(db.pool()).await?)
}

// ---------------------------------------------------------------------------------------------
// Leases

/// Takes lease `name` for `holder` of `instance` until `until`, or renews it if `holder` has it:
/// an insert, or a take-over of an expired (or our own) lease, as one compare-and-set.
pub async fn take_lease(db: &Db, name: &str, holder: &str, instance: &str, until: &str, now: &str) -> Result<bool> {
    let taken = sqlx::query(
        "INSERT INTO leases (name, holder, instance_id, expires_at, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $2, $5, $2)
         ON CONFLICT (name) DO UPDATE SET holder = $2, instance_id = $3, expires_at = $4, updated_at = $5, updated_by = $2
         WHERE leases.expires_at < $5 OR leases.holder = $2",
    )
    .bind(name)
    .bind(holder)
    .bind(instance)
    .bind(until)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(taken.rows_affected() == 1)
}

/// Extends a lease `holder` still has; `false` when it has lost it.
pub async fn renew_lease(db: &Db, name: &str, holder: &str, until: &str, now: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE leases SET expires_at = $1, updated_at = $2 WHERE name = $3 AND holder = $4").bind(until).bind(now).bind(name).bind(holder).execute(db.pool()).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn release_lease(db: &Db, name: &str, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2").bind(name).bind(holder).execute(db.pool()).await?;
    Ok(())
}

/// Frees every lease an instance holds.
pub async fn release_instance_leases(db: &Db, instance: &str) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM leases WHERE instance_id = $1").bind(instance).execute(db.pool()).await?.rows_affected())
}

// ---------------------------------------------------------------------------------------------
// Instances

pub async fn register_instance(db: &Db, id: &str, host: &str, pid: i64, version: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO instances (id, host, pid, version, started_at, heartbeat_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $5, $5, 'system', $5, 'system')
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = $5, stopped_at = NULL, updated_at = $5",
    )
    .bind(id)
    .bind(host)
    .bind(pid)
    .bind(version)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn heartbeat(db: &Db, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE instances SET heartbeat_at = $1, updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(db.pool()).await?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InstanceRow {
    pub id: String,
    pub host: String,
    pub pid: i64,
    pub heartbeat_at: String,
}

/// Instances not marked stopped, other than `except`.
pub async fn live_instances(db: &Db, except: &str) -> Result<Vec<InstanceRow>> {
    Ok(sqlx::query_as("SELECT id, host, pid, heartbeat_at FROM instances WHERE stopped_at IS NULL AND id <> $1 ORDER BY started_at").bind(except).fetch_all(db.pool()).await?)
}

pub async fn mark_stopped(db: &Db, id: &str, now: &str) -> Result<()> {
    sqlx::query("UPDATE instances SET stopped_at = $1, updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(db.pool()).await?;
    Ok(())
}

/// Keeps the stopped instances of the last `keep_since` only, so the registry does not grow.
pub async fn forget_stopped_before(db: &Db, before: &str) -> Result<()> {
    sqlx::query("DELETE FROM instances WHERE stopped_at IS NOT NULL AND stopped_at < $1").bind(before).execute(db.pool()).await?;
    Ok(())
}
