//! The routing table in memory: built from every active carrier's deck in force, shared by all
//! requests without locks, and swapped whole when a deck changes.

use std::sync::Arc;

use didtron_core::{Error, Result, time};
use didtron_telecom::prefix::Prefix;
use didtron_telecom::rating::Increments;
use didtron_telecom::routing::{RateRow, RoutingTable};
use sqlx::Row;

pub use crate::state::{Loaded, Routing};

impl Routing {
    /// Rebuilds from the database and swaps the new table in; readers never wait.
    pub async fn reload(&self, db: &didtron_db::Db) -> Result<()> {
        let loaded = load(db).await?;
        self.0.store(Arc::new(loaded));
        Ok(())
    }
}

pub async fn load(db: &didtron_db::Db) -> Result<Loaded> {
    let carriers: Vec<(String, String)> = sqlx::query_as("SELECT id, name FROM carriers WHERE status = 'active' ORDER BY name")
        .fetch_all(db.pool())
        .await
        .map_err(Error::internal)?;
    let index: std::collections::HashMap<&str, u32> = carriers.iter().enumerate().map(|(i, (id, _))| (id.as_str(), i as u32)).collect();
    let raw = sqlx::query(
        "SELECT r.carrier_id, r.prefix, r.destination, r.rate, r.connection_fee, r.initial_increment, r.subsequent_increment, r.effective_from
         FROM rates r JOIN rate_decks d ON d.id = r.deck_id WHERE d.status = 'active'",
    )
    .fetch_all(db.pool())
    .await
    .map_err(Error::internal)?;
    let mut rows = Vec::with_capacity(raw.len());
    for r in &raw {
        let carrier: String = r.try_get(0).map_err(Error::internal)?;
        let Some(&ci) = index.get(carrier.as_str()) else { continue };
        let prefix: String = r.try_get(1).map_err(Error::internal)?;
        let (Some(prefix), Some(initial), Some(subsequent)) = (
            Prefix::parse(&prefix),
            u32::try_from(r.try_get::<i64, _>(5).map_err(Error::internal)?).ok(),
            u32::try_from(r.try_get::<i64, _>(6).map_err(Error::internal)?).ok(),
        ) else {
            continue;
        };
        let from: String = r.try_get(7).map_err(Error::internal)?;
        rows.push(RateRow {
            carrier: ci,
            prefix,
            destination: r.try_get(2).map_err(Error::internal)?,
            rate: r.try_get(3).map_err(Error::internal)?,
            connection_fee: r.try_get(4).map_err(Error::internal)?,
            increments: Increments::new(initial, subsequent).unwrap_or(Increments { initial: 60, subsequent: 60, grace: 0, minimum: 0 }),
            effective_from: time::from_db(&from).map(|t| t.timestamp()).unwrap_or(0),
        });
    }
    drop(raw);
    let (ids, names): (Vec<String>, Vec<String>) = carriers.into_iter().unzip();
    Ok(Loaded { table: RoutingTable::build(names, rows), carrier_ids: ids })
}

/// What the table was built from, cheaply: when it changes, another instance (or an admin) changed
/// a deck or a carrier, and the table is rebuilt.
async fn fingerprint(db: &didtron_db::Db) -> Result<String> {
    let (decks, decks_at): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM rate_decks WHERE status = 'active'").fetch_one(db.pool()).await.map_err(Error::internal)?;
    let (carriers, carriers_at): (i64, Option<String>) =
        sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM carriers").fetch_one(db.pool()).await.map_err(Error::internal)?;
    Ok(format!("{decks}/{}/{carriers}/{}", decks_at.unwrap_or_default(), carriers_at.unwrap_or_default()))
}

/// Keeps the table current: checks every few seconds and rebuilds when the decks or carriers
/// changed (here or on another instance), until `stop` turns true.
pub async fn keep_current(routing: Routing, db: didtron_db::Db, mut stop: tokio::sync::watch::Receiver<bool>) {
    let mut seen = String::new();
    loop {
        match fingerprint(&db).await {
            Ok(now) if now != seen => match routing.reload(&db).await {
                Ok(()) => {
                    tracing::info!(rows = routing.current().table.len(), "routing table loaded");
                    seen = now;
                }
                Err(e) => tracing::error!(error = %e, "routing table could not be loaded"),
            },
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "routing table check failed"),
        }
        tokio::select! {
            // A safety net across instances: the instance whose worker handles the
            // `rate_deck.activated` / carrier events reloads at once (`reload_job`).
            _ = tokio::time::sleep(std::time::Duration::from_secs(30)) => {}
            _ = stop.changed() => {}
        }
        if *stop.borrow() {
            break;
        }
    }
}

/// Job `routing.reload`, subscribed to the events that change the table (a deck coming into force,
/// a carrier created, changed or deleted): rebuilds the table now.
pub async fn reload_job(state: crate::state::AppState, _event: serde_json::Value) -> std::result::Result<(), crate::jobs::JobError> {
    state.routing.reload(&state.db).await?;
    tracing::info!(rows = state.routing.current().table.len(), "routing table reloaded on a change");
    Ok(())
}
