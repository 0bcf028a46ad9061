//! Recurring jobs from cron expressions. Each firing is claimed by moving `next_run_at` forward with
//! a compare-and-set, so among several instances exactly one enqueues it.

use std::str::FromStr;

use chrono::Utc;
use didtron_core::{Error, Result, time};
use serde_json::Value;

use super::{NewJob, enqueue, store};
use crate::state::AppState;

fn next_after(cron: &str, after: time::Timestamp) -> Result<time::Timestamp> {
    let schedule = cron::Schedule::from_str(cron).map_err(|e| Error::invalid("cron", format!("not a cron expression: {e}")))?;
    schedule.after(&after.with_timezone(&Utc)).next().ok_or_else(|| Error::invalid("cron", "never fires"))
}

/// Creates the schedule `name` unless it exists (then its settings are left as the admin set them).
pub async fn ensure(state: &AppState, name: &str, cron: &str, job_kind: &str, payload: Value) -> Result<()> {
    let now = time::now();
    let next = next_after(cron, now)?;
    store::insert_schedule_if_absent(&state.db, name, cron, job_kind, &payload, &time::to_db(next), &time::to_db(now)).await?;
    Ok(())
}

/// Enqueues the job of every schedule that is due, once.
pub async fn fire_due(state: &AppState) -> Result<usize> {
    let now = time::now();
    let now_s = time::to_db(now);
    let mut fired = 0;
    for due in store::due_schedules(&state.db, &now_s).await? {
        let next = match next_after(&due.cron, now) {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(schedule = %due.id, error = %e, "schedule has a bad cron expression");
                continue;
            }
        };
        let mut tx = state.db.pool().begin().await.map_err(didtron_db::Error::from)?;
        if store::claim_firing(&mut tx, &due.id, &due.next_run_at, &time::to_db(next), &now_s).await? {
            enqueue(&mut *tx, NewJob::new(&due.job_kind, due.payload.into_inner()), "schedule").await?;
            fired += 1;
        }
        tx.commit().await.map_err(didtron_db::Error::from)?;
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
