//! E-mail. Every message is recorded in the mail outbox. With no mail provider configured, the outbox
//! is where it stays (a super admin reads it in the admin portal, so sign-up and password reset work
//! on a bare install); with SMTP configured it is sent and the outbox row becomes its delivery log.

pub mod outbox;

use std::sync::Arc;

use didtron_adapters::mail::{OutgoingMail, SmtpMailer};
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Db;

#[derive(Clone, Debug, Default)]
pub struct Mailer {
    smtp: Option<Arc<SmtpMailer>>,
}

impl Mailer {
    pub fn outbox_only() -> Mailer {
        Mailer { smtp: None }
    }

    pub fn smtp(client: SmtpMailer) -> Mailer {
        Mailer { smtp: Some(Arc::new(client)) }
    }

    /// Records the message and, with SMTP configured, sends it. A send that fails after its retries is
    /// recorded as failed with the error and reported in the log; the caller's action still succeeds
    /// (the user can ask for the mail again).
    pub async fn send(&self, db: &Db, template: &str, to: &str, subject: &str, text: &str) -> Result<String> {
        let id = new_id();
        let now = time::to_db(time::now());
        let transport = if self.smtp.is_some() { "smtp" } else { "outbox" };
        sqlx::query(
            "INSERT INTO mail_outbox (id, to_address, subject, body_text, template, transport, status, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, 'stored', $7, 'system', $7, 'system')",
        )
        .bind(&id)
        .bind(to)
        .bind(subject)
        .bind(text)
        .bind(template)
        .bind(transport)
        .bind(&now)
        .execute(db.pool())
        .await
        .map_err(Error::internal)?;
        let Some(smtp) = &self.smtp else { return Ok(id) };
        let mail = OutgoingMail { to: to.to_string(), subject: subject.to_string(), text: text.to_string() };
        let (status, attempts, error) = match smtp.send(&mail).await {
            Ok(attempts) => ("sent", attempts, None),
            Err((e, attempts)) => {
                tracing::error!(mail_id = %id, template, error = %e.message, "mail could not be sent");
                ("failed", attempts, Some(e.message))
            }
        };
        let now = time::to_db(time::now());
        sqlx::query("UPDATE mail_outbox SET status = $1, attempts = $2, last_error = $3, sent_at = CASE WHEN $1 = 'sent' THEN $4 ELSE NULL END, updated_at = $4 WHERE id = $5")
            .bind(status)
            .bind(attempts as i64)
            .bind(error)
            .bind(&now)
            .bind(&id)
            .execute(db.pool())
            .await
            .map_err(Error::internal)?;
        Ok(id)
    }
}
