//! DIDtron's database: one pool type over SQLite (the embedded default) and PostgreSQL.
//!
//! SQL is written once, in the subset both engines share: `$1` placeholders (SQLite accepts them),
//! `TEXT` ids and timestamps, `BIGINT` counters, money in micro-units and 0/1 flags ([`Flag`]),
//! `ON CONFLICT` and `RETURNING`. Where the engines truly differ (row locks for the job queue), the
//! caller asks [`Db::backend`] and says so next to the query.

mod error;
mod flag;
mod json;
mod list;
mod migrations;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions};

pub use error::{DbError, Error, Result};
pub use flag::Flag;
pub use json::Json;
pub use list::{Bind, ListQuery, paged, paged_rows};
pub use migrations::{MIGRATIONS, migrate};
pub use sqlx;

/// Which engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `INSERT INTO {table_and_columns} VALUES (…), (…)` for `rows` rows of `columns` values each,
    /// with the placeholders each engine binds fastest: anonymous `?` on SQLite (it looks a named
    /// parameter up by a linear scan, which made thousand-row statements quadratic: 62 s per
    /// million rows, against a few with `?`), numbered `$n` on PostgreSQL.
    pub fn multi_row_insert(self, table_and_columns: &str, columns: usize, rows: usize) -> String {
        let mut sql = String::with_capacity(32 + table_and_columns.len() + rows * columns * 5);
        sql.push_str("INSERT INTO ");
        sql.push_str(table_and_columns);
        sql.push_str(" VALUES ");
        for r in 0..rows {
            sql.push_str(if r == 0 { "(" } else { ",(" });
            for c in 0..columns {
                if c > 0 {
                    sql.push(',');
                }
                match self {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => {
                        sql.push('$');
                        sql.push_str(&(r * columns + c + 1).to_string());
                    }
                }
            }
            sql.push(')');
        }
        sql
    }
}

/// A connection pool plus the knowledge of which engine is behind it.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Kept for engine-specific fast paths (PostgreSQL `COPY`); never logged.
    url: String,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("backend", &self.backend).field("url", &redact_url(&self.url)).finish()
    }
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://…`). A missing SQLite file is created.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
            }
            _ => url.to_string(),
        };
        let full_url = url.clone();
        let options = AnyConnectOptions::from_str(&url)?
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1))
            .log_statements(tracing::log::LevelFilter::Trace);
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the single writer; busy_timeout makes a
                        // writer wait for the lock instead of failing at once.
                        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA busy_timeout = 10000").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA synchronous = NORMAL").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db { pool, backend, url: full_url })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A native PostgreSQL connection to the same database, for bulk loads with `COPY`, which the
    /// engine-neutral pool cannot do. `None` on SQLite.
    pub async fn postgres_connection(&self) -> Result<Option<sqlx::PgConnection>, DbError> {
        use sqlx::Connection;
        match self.backend {
            Backend::Postgres => Ok(Some(sqlx::PgConnection::connect(&self.url).await?)),
            Backend::Sqlite => Ok(None),
        }
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn backend_of(url: &str) -> Result<Backend, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Backend::Postgres)
    } else {
        Err(DbError::UnsupportedUrl(redact_url(url)))
    }
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        Ok(u) => u.to_string(),
        Err(_) => "<unparseable url>".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_survive_redaction() {
        let r = redact_url("postgres://didtron:s3cret@db.example:5432/didtron");
        assert!(!r.contains("s3cret"), "{r}");
        assert!(r.contains("***"));
        assert_eq!(redact_url("sqlite://data/didtron.db"), "sqlite://data/didtron.db");
    }

    #[test]
    fn multi_row_inserts_use_each_engines_placeholders() {
        assert_eq!(Backend::Sqlite.multi_row_insert("t (a, b)", 2, 2), "INSERT INTO t (a, b) VALUES (?,?),(?,?)");
        assert_eq!(Backend::Postgres.multi_row_insert("t (a, b)", 2, 2), "INSERT INTO t (a, b) VALUES ($1,$2),($3,$4)");
    }

    #[test]
    fn backend_follows_the_scheme() {
        assert_eq!(backend_of("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://h/db").unwrap(), Backend::Postgres);
        assert_eq!(backend_of("postgresql://h/db").unwrap(), Backend::Postgres);
        assert!(backend_of("mysql://h/db").is_err());
    }
}
