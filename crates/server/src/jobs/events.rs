//! Domain events, written to the `events` outbox in the same transaction as the change. The worker
//! dispatches them: each subscriber of the event's kind gets a job (with the queue's retries).

use didtron_core::{Result, time};
use serde_json::Value;

use super::store;

/// Records `kind` (e.g. `category.updated`) with its payload in the caller's transaction.
pub async fn emit<'c, E>(conn: E, kind: &str, tenant_id: Option<&str>, subject_id: Option<&str>, payload: &Value) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    store::insert_event(conn, kind, tenant_id, subject_id, payload, &time::to_db(time::now())).await?;
    Ok(())
}
