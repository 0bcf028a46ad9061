//! Named leases in the database: one holder at a time across every instance, until it releases the
//! lease or the lease expires (so a crashed holder blocks others only for `ttl`).

use didtron_core::{Error, Result, time};

/// Takes lease `name` for `holder` for `ttl`, or renews it if `holder` has it. `false` when another
/// holder has an unexpired lease.
pub async fn acquire(db: &didtron_db::Db, name: &str, holder: &str, ttl: chrono::Duration) -> Result<bool> {
    let now = time::now();
    let (now_s, until) = (time::to_db(now), time::to_db(now + ttl));
    // Insert, or take over an expired (or our own) lease; the WHERE makes it a compare-and-set.
    let taken = sqlx::query(
        "INSERT INTO leases (name, holder, expires_at, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $2, $4, $2)
         ON CONFLICT (name) DO UPDATE SET holder = $2, expires_at = $3, updated_at = $4, updated_by = $2
         WHERE leases.expires_at < $4 OR leases.holder = $2",
    )
    .bind(name)
    .bind(holder)
    .bind(&until)
    .bind(&now_s)
    .execute(db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(taken.rows_affected() == 1)
}

/// Gives lease `name` back, if `holder` has it.
pub async fn release(db: &didtron_db::Db, name: &str, holder: &str) -> Result<()> {
    sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2").bind(name).bind(holder).execute(db.pool()).await.map_err(Error::internal)?;
    Ok(())
}
