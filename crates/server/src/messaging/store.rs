//! Messaging's SQL: the mail outbox.

use didtron_db::{Db, Flag, ListQuery, Result};

use serde::Serialize;
use utoipa::ToSchema;

/// A mail of the outbox, as the admin portal shows it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct OutboxMail {
    pub id: String,
    pub to_address: String,
    pub subject: String,
    /// The text. In lists, links that carry a token are hidden (open the mail to see them; each
    /// opening is audited); once a mail was handed to SMTP they are removed for good.
    pub body_text: String,
    /// Which message this is (verify_email, reset_password, invitation…).
    pub template: String,
    /// `outbox` (kept here, no provider configured) or `smtp`.
    pub transport: String,
    /// `stored`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<String>,
    /// The mail's links were removed from this copy because it was sent by SMTP.
    #[sqlx(try_from = "Flag")]
    pub links_redacted: bool,
    pub created_at: String,
}

/// A mail as first recorded.
pub struct NewMail<'a> {
    pub id: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub template: &'a str,
    pub transport: &'a str,
    pub links_redacted: bool,
    pub now: &'a str,
}

pub async fn insert(db: &Db, m: NewMail<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO mail_outbox (id, to_address, subject, body_text, template, transport, status, links_redacted, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, 'stored', $7, $8, 'system', $8, 'system')",
    )
    .bind(m.id)
    .bind(m.to)
    .bind(m.subject)
    .bind(m.body_text)
    .bind(m.template)
    .bind(m.transport)
    .bind(Flag(m.links_redacted))
    .bind(m.now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Mails of `template` to `to` recorded since `since`, this one included.
pub async fn recent(db: &Db, to: &str, template: &str, since: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE to_address = $1 AND template = $2 AND created_at > $3")
        .bind(to)
        .bind(template)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}

pub async fn delete(db: &Db, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM mail_outbox WHERE id = $1").bind(id).execute(db.pool()).await?;
    Ok(())
}

/// Records how a send ended.
pub async fn delivered(db: &Db, id: &str, status: &str, attempts: i64, error: Option<&str>, now: &str) -> Result<()> {
    sqlx::query(
        "UPDATE mail_outbox SET status = $1, attempts = $2, last_error = $3, sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE NULL END, updated_at = $4
         WHERE id = $5",
    )
    .bind(status)
    .bind(attempts)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

const COLUMNS: &str = "id, to_address, subject, body_text, template, transport, status, attempts, last_error, sent_at, links_redacted, created_at";

/// A page of the outbox, newest first, optionally matching `q` in the recipient or subject.
pub async fn page(db: &Db, q: Option<&str>, limit: i64, offset: i64) -> Result<(Vec<OutboxMail>, i64)> {
    let query = ListQuery::new(COLUMNS, "FROM mail_outbox").search(&["to_address", "subject"], q).order_by("created_at DESC, id DESC");
    didtron_db::paged(db, &query, limit, offset).await
}

pub async fn find(db: &Db, id: &str) -> Result<Option<OutboxMail>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM mail_outbox WHERE id = $1"))).bind(id).fetch_optional(db.pool()).await?)
}

