//! Recurring jobs from cron expressions. Each firing is claimed by moving `next_run_at` forward with
//! a compare-and-set, so among several instances exactly one enqueues it.

use std::str::FromStr;

use chrono::Utc;
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Flag;
use serde_json::Value;

use super::{NewJob, enqueue};
use crate::state::AppState;

fn next_after(cron: &str, after: time::Timestamp) -> Result<time::Timestamp> {
    let schedule = cron::Schedule::from_str(cron).map_err(|e| Error::invalid("cron", format!("not a cron expression: {e}")))?;
    schedule.after(&after.with_timezone(&Utc)).next().ok_or_else(|| Error::invalid("cron", "never fires"))
}

/// Creates the schedule `name` unless it exists (then its settings are left as the admin set them).
pub async fn ensure(state: &AppState, name: &str, cron: &str, job_kind: &str, payload: Value) -> Result<()> {
    let now = time::now();
    let next = next_after(cron, now)?;
    sqlx::query(
        "INSERT INTO schedules (id, name, cron, job_kind, payload, enabled, next_run_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, 'system', $7, 'system') ON CONFLICT (name) DO NOTHING",
    )
    .bind(new_id())
    .bind(name)
    .bind(cron)
    .bind(job_kind)
    .bind(payload.to_string())
    .bind(time::to_db(next))
    .bind(time::to_db(now))
    .execute(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(())
}

/// Enqueues the job of every schedule that is due, once.
pub async fn fire_due(state: &AppState) -> Result<usize> {
    let now = time::now();
    let due: Vec<(String, String, String, String, String, Flag)> = sqlx::query_as(
        "SELECT id, cron, job_kind, payload, next_run_at, enabled FROM schedules WHERE enabled = 1 AND next_run_at <= $1",
    )
    .bind(time::to_db(now))
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    let mut fired = 0;
    for (id, cron, job_kind, payload, was, _) in due {
        let next = match next_after(&cron, now) {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(schedule = %id, error = %e, "schedule has a bad cron expression");
                continue;
            }
        };
        let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
        let claimed = sqlx::query("UPDATE schedules SET next_run_at = $1, last_run_at = $2, updated_at = $2 WHERE id = $3 AND next_run_at = $4")
            .bind(time::to_db(next))
            .bind(time::to_db(now))
            .bind(&id)
            .bind(&was)
            .execute(&mut *tx)
            .await
            .map_err(Error::internal)?;
        if claimed.rows_affected() == 1 {
            let payload = serde_json::from_str(&payload).unwrap_or(Value::Null);
            enqueue(&mut *tx, NewJob::new(&job_kind, payload), "schedule").await?;
            fired += 1;
        }
        tx.commit().await.map_err(Error::internal)?;
    }
    Ok(fired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_expressions_give_the_next_firing() {
        let t = time::from_db("2026-11-25T10:00:30.000000Z").unwrap();
        assert_eq!(time::to_db(next_after("0 * * * * *", t).unwrap()), "2026-11-25T10:01:00.000000Z");
        assert_eq!(time::to_db(next_after("0 0 3 * * *", t).unwrap()), "2026-11-26T03:00:00.000000Z");
        assert!(next_after("not cron", t).is_err());
    }
}
