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
//!
//! Where the two engines cannot share a statement (reading JSON written by an older version, say),
//! a file holds one block per engine: the lines after `-- engine: sqlite` or `-- engine: postgres`
//! run only on that engine, up to the next marker; `-- engine: all` returns to shared SQL. Keep
//! such blocks to data moves: the schema itself stays one source.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::{Backend, Db, DbError};

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
    (30, "instances", include_str!("../migrations/0030_instances.sql")),
    (31, "switch retries and drift", include_str!("../migrations/0031_switch_retries_and_drift.sql")),
    (32, "system checks", include_str!("../migrations/0032_system_checks.sql")),
    (50, "route group members", include_str!("../migrations/0050_route_group_members.sql")),
];

/// The SQL of a migration as `backend` runs it: the blocks marked for the other engine left out.
/// A file without markers is returned unchanged (so its checksum stays what it was).
fn for_engine(sql: &'static str, backend: Backend) -> Cow<'static, str> {
    if !sql.contains("-- engine:") {
        return Cow::Borrowed(sql);
    }
    let mine = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let mut keep = true;
    let mut out = String::with_capacity(sql.len());
    for line in sql.lines() {
        if let Some(engine) = line.trim().strip_prefix("-- engine:") {
            let engine = engine.trim();
            keep = engine == "all" || engine == mine;
            continue;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    Cow::Owned(out)
}

fn migrator(backend: Backend) -> Migrator {
    let migrations: Vec<Migration> = MIGRATIONS
        .iter()
        .map(|(version, description, sql)| {
            let sql = AssertSqlSafe(for_engine(sql, backend)).into_sql_str();
            Migration::new(*version, Cow::Borrowed(*description), MigrationType::Simple, sql, false)
        })
        .collect();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// Applies every pending migration. Running it again changes nothing.
pub async fn migrate(db: &Db) -> Result<(), DbError> {
    migrator(db.backend()).run(db.pool()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_blocks_keep_only_the_running_engines_lines() {
        let sql = "CREATE TABLE t (a TEXT);\n-- engine: sqlite\nSELECT 1;\n-- engine: postgres\nSELECT 2;\n-- engine: all\nSELECT 3;\n";
        assert_eq!(for_engine(sql, Backend::Sqlite), "CREATE TABLE t (a TEXT);\nSELECT 1;\nSELECT 3;\n");
        assert_eq!(for_engine(sql, Backend::Postgres), "CREATE TABLE t (a TEXT);\nSELECT 2;\nSELECT 3;\n");
        assert!(matches!(for_engine("SELECT 1;", Backend::Sqlite), Cow::Borrowed("SELECT 1;")), "files without blocks are left alone");
    }
}
