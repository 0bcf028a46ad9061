//! Domain events, written to the `events` outbox in the same transaction as the change. The worker
//! dispatches them: each subscriber of the event's kind gets a job (with the queue's retries).

use didtron_core::{Error, Result, id::new_id, time};
use serde_json::Value;

/// Records `kind` (e.g. `category.updated`) with its payload in the caller's transaction.
pub async fn emit<'c, E>(conn: E, kind: &str, tenant_id: Option<&str>, subject_id: Option<&str>, payload: &Value) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let now = time::to_db(time::now());
    sqlx::query(
        "INSERT INTO events (id, kind, tenant_id, subject_id, payload, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'system', $6, 'system')",
    )
    .bind(new_id())
    .bind(kind)
    .bind(tenant_id)
    .bind(subject_id)
    .bind(payload.to_string())
    .bind(now)
    .execute(conn)
    .await
    .map_err(Error::internal)?;
    Ok(())
}
