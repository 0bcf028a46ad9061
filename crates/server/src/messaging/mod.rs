//! E-mail. Every message is recorded in the mail outbox. With no mail provider configured, the outbox
//! is where it stays (a super admin reads it in the admin portal, so sign-up and password reset work
//! on a bare install); with SMTP configured it is sent and the outbox row becomes its delivery log.
//!
//! Links in mails carry live tokens (verification, password reset, invitation). A delivery log must
//! not hand them to whoever reads it, so with SMTP the outbox keeps the mail with its links removed;
//! without SMTP the outbox is the delivery, and each opening of a mail is audited (see
//! [`service::open`]).

pub mod outbox;
pub mod service;
pub mod store;

use std::sync::Arc;

use chrono::Duration;
use didtron_adapters::mail::{OutgoingMail, SmtpMailer};
use didtron_core::{Result, id::new_id, time};
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
        let id = self.record(db, template, to, subject, text).await?;
        self.deliver(db, &id, template, to, subject, text).await?;
        Ok(id)
    }

    /// [`Mailer::send`], unless `per_hour` mails of `template` went to `to` in the last hour: then
    /// nothing is sent and `None` returned. The mail is recorded before it is counted, so parallel
    /// requests cannot all slip under the limit.
    pub async fn send_at_most(&self, db: &Db, per_hour: i64, template: &str, to: &str, subject: &str, text: &str) -> Result<Option<String>> {
        let id = self.record(db, template, to, subject, text).await?;
        let since = time::to_db(time::now() - Duration::hours(1));
        if store::recent(db, to, template, &since).await? > per_hour {
            store::delete(db, &id).await?;
            tracing::info!(template, "mail not sent: the hourly limit for this address is reached");
            return Ok(None);
        }
        self.deliver(db, &id, template, to, subject, text).await?;
        Ok(Some(id))
    }

    async fn record(&self, db: &Db, template: &str, to: &str, subject: &str, text: &str) -> Result<String> {
        let id = new_id();
        let now = time::to_db(time::now());
        // With SMTP the outbox is only the log: the live links never reach the database.
        let (body, links_redacted) = match self.smtp {
            Some(_) => replace_links(text, |path| format!("[link to {path} sent; removed from the outbox]")),
            None => (text.to_string(), false),
        };
        let transport = if self.smtp.is_some() { "smtp" } else { "outbox" };
        let mail = store::NewMail { id: &id, to, subject, body_text: &body, template, transport, links_redacted, now: &now };
        store::insert(db, mail).await?;
        Ok(id)
    }

    async fn deliver(&self, db: &Db, id: &str, template: &str, to: &str, subject: &str, text: &str) -> Result<()> {
        let Some(smtp) = &self.smtp else { return Ok(()) };
        let mail = OutgoingMail { to: to.to_string(), subject: subject.to_string(), text: text.to_string() };
        let (status, attempts, error) = match smtp.send(&mail).await {
            Ok(attempts) => ("sent", attempts, None),
            Err((e, attempts)) => {
                tracing::error!(mail_id = %id, template, error = %e.message, "mail could not be sent");
                ("failed", attempts, Some(e.message))
            }
        };
        store::delivered(db, id, status, attempts as i64, error.as_deref(), &time::to_db(time::now())).await?;
        Ok(())
    }
}

/// `text` with every link that carries a token (`…?token=…`) replaced by `replacement(path)`, and
/// whether any was.
pub fn replace_links(text: &str, replacement: impl Fn(&str) -> String) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut replaced = false;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        let is_link = (word.starts_with("http://") || word.starts_with("https://")) && word.contains("token=");
        if is_link {
            let after_scheme = word.split_once("://").map(|(_, r)| r).unwrap_or(word);
            let path = after_scheme.find('/').map(|i| &after_scheme[i..]).unwrap_or("/");
            let path = path.split(['?', '#']).next().unwrap_or("/");
            out.push_str(&replacement(path));
            replaced = true;
        } else {
            out.push_str(word);
        }
        out.push_str(space);
    }
    (out, replaced)
}

#[cfg(test)]
mod tests {
    use super::replace_links;

    #[test]
    fn token_links_are_replaced_and_the_rest_kept() {
        let text = "Hello,\n\nOpen this link:\n\nhttps://voip.example/reset-password?token=abc123\n\nSee https://voip.example/help too.\n";
        let (out, replaced) = replace_links(text, |p| format!("[{p}]"));
        assert!(replaced);
        assert_eq!(out, "Hello,\n\nOpen this link:\n\n[/reset-password]\n\nSee https://voip.example/help too.\n");
        assert!(!out.contains("abc123"));
        let (same, replaced) = replace_links("no links here", |p| p.to_string());
        assert_eq!((same.as_str(), replaced), ("no links here", false));
    }
}
