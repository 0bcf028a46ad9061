//! Named leases in the database: one holder at a time across every instance, until it releases the
//! lease or the lease runs out. Leases are short and renewed while the work runs ([`hold`]), so a
//! holder that crashed blocks the others for seconds, not minutes; and each lease names the
//! instance holding it, so that instance's successor on the same host frees it at once on start
//! (`jobs::instance`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use didtron_core::{Result, time};

use super::{instance, store};

/// How long a lease lasts unless renewed. The holder renews it every third of this.
pub const TTL: chrono::Duration = chrono::Duration::seconds(30);

/// Takes lease `name` for `holder` for `ttl`, or renews it if `holder` has it. `false` when another
/// holder has an unexpired lease.
pub async fn acquire(db: &didtron_db::Db, name: &str, holder: &str, ttl: chrono::Duration) -> Result<bool> {
    let now = time::now();
    Ok(store::take_lease(db, name, holder, &instance::this().id, &time::to_db(now + ttl), &time::to_db(now)).await?)
}

/// Gives lease `name` back, if `holder` has it.
pub async fn release(db: &didtron_db::Db, name: &str, holder: &str) -> Result<()> {
    Ok(store::release_lease(db, name, holder).await?)
}

/// A lease held while work runs: renewed in the background every `ttl / 3` until released. When a
/// renewal finds the lease gone, or cannot reach the database before the lease would run out,
/// [`Held::lost`] turns true and the work must stop (someone else may have taken over).
pub struct Held {
    db: didtron_db::Db,
    name: String,
    holder: String,
    lost: Arc<AtomicBool>,
    keeper: tokio::task::JoinHandle<()>,
}

/// Takes lease `name` for `holder` and keeps it renewed; `None` when another holder has it.
pub async fn hold(db: &didtron_db::Db, name: &str, holder: &str, ttl: chrono::Duration) -> Result<Option<Held>> {
    if !acquire(db, name, holder, ttl).await? {
        return Ok(None);
    }
    let lost = Arc::new(AtomicBool::new(false));
    let keeper = {
        let (db, name, holder, lost) = (db.clone(), name.to_string(), holder.to_string(), lost.clone());
        tokio::spawn(async move {
            let every = (ttl / 3).to_std().unwrap_or(std::time::Duration::from_secs(1));
            let mut expires = time::now() + ttl;
            loop {
                tokio::time::sleep(every).await;
                let now = time::now();
                match store::renew_lease(&db, &name, &holder, &time::to_db(now + ttl), &time::to_db(now)).await {
                    Ok(true) => expires = now + ttl,
                    Ok(false) => {
                        tracing::warn!(lease = %name, holder = %holder, "lost a lease: another holder took it over");
                        lost.store(true, Ordering::SeqCst);
                        return;
                    }
                    Err(e) if time::now() + ttl / 3 >= expires => {
                        tracing::warn!(lease = %name, error = %e, "could not renew a lease before it ran out");
                        lost.store(true, Ordering::SeqCst);
                        return;
                    }
                    Err(e) => tracing::warn!(lease = %name, error = %e, "could not renew a lease; trying again"),
                }
            }
        })
    };
    Ok(Some(Held { db: db.clone(), name: name.into(), holder: holder.into(), lost, keeper }))
}

impl Held {
    /// Whether the lease may have passed to someone else: stop the work.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }

    /// Stops renewing and gives the lease back.
    pub async fn release(self) -> Result<()> {
        self.keeper.abort();
        release(&self.db, &self.name, &self.holder).await
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.keeper.abort();
    }
}
