//! The schema, as numbered SQL files that run unchanged on SQLite and PostgreSQL.
//!
//! Conventions every table follows:
//! - `id TEXT PRIMARY KEY` holding a UUIDv7;
//! - audit fields `created_at`, `created_by`, `updated_at`, `updated_by` (timestamps as fixed-width
//!   RFC 3339 text in UTC, actors as user ids or `system`);
//! - configuration records also carry `version BIGINT NOT NULL DEFAULT 1`, bumped on every save;
//! - money and rates as `BIGINT` micro-units (1/1,000,000 of the currency unit);
//! - yes/no as `BIGINT` 0/1, read through [`crate::Flag`].
//!
//! A migration, once released, is never edited: add the next file instead.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::{Db, DbError};

/// (version, description, SQL) of every migration, in order.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "foundation", include_str!("../migrations/0001_foundation.sql")),
    (2, "identity", include_str!("../migrations/0002_identity.sql")),
    (3, "changes", include_str!("../migrations/0003_changes.sql")),
    (4, "catalog", include_str!("../migrations/0004_catalog.sql")),
    (5, "routing", include_str!("../migrations/0005_routing.sql")),
    (6, "lcr", include_str!("../migrations/0006_lcr.sql")),
    (7, "switch", include_str!("../migrations/0007_switch.sql")),
    (8, "rates without deck check", include_str!("../migrations/0008_rates_without_deck_check.sql")),
    (9, "forced pushes", include_str!("../migrations/0009_forced_pushes.sql")),
    (10, "leases", include_str!("../migrations/0010_leases.sql")),
    (20, "identity security", include_str!("../migrations/0020_identity_security.sql")),
];

fn migrator() -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                AssertSqlSafe(*sql).into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// Applies every pending migration. Running it again changes nothing.
pub async fn migrate(db: &Db) -> Result<(), DbError> {
    migrator().run(db.pool()).await?;
    Ok(())
}
