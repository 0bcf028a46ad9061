//! The SQL of operations: the checks every instance sharing a database must agree with.

use didtron_db::{Db, Result};

/// A recorded check: its value and who recorded it when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Check {
    pub value: String,
    pub detail: String,
}

pub async fn check(db: &Db, name: &str) -> Result<Option<Check>> {
    Ok(sqlx::query_as("SELECT value, detail FROM system_checks WHERE name = $1").bind(name).fetch_optional(db.pool()).await?)
}

/// Records check `name` unless one is recorded already (the first instance to start wins).
pub async fn record_check_if_absent(db: &Db, name: &str, value: &str, detail: &str, now: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO system_checks (name, value, detail, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, 'system', $4, 'system')
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(value)
    .bind(detail)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// One secret sealed with the secret key, if any is stored: on an installation from before the
/// key check, the key must open it before its check is recorded.
// The identity domain owns this column; reading one value here keeps the start-up check in one
// place.
pub async fn any_sealed_secret(db: &Db) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT totp_secret FROM users WHERE totp_secret IS NOT NULL AND totp_secret <> '' LIMIT 1").fetch_optional(db.pool()).await?;
    Ok(row.map(|r| r.0))
}
