//! Sending e-mail over SMTP (Brevo's SMTP relay or any server), with retries for transient failures.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};

/// One message to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct MailError {
    pub message: String,
    /// Whether a later attempt may succeed (a 4xx SMTP reply, a timeout, a refused connection).
    pub retryable: bool,
}

/// An SMTP client configured from a URL: `smtp://user:pass@smtp-relay.brevo.com:587?tls=required`
/// (STARTTLS), `smtps://user:pass@host:465` (TLS) or `smtp://127.0.0.1:2525` (plain, for a relay on
/// the same machine only).
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    attempts: u32,
    backoff: Duration,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl SmtpMailer {
    pub fn new(url: &SecretString, from: &str) -> Result<SmtpMailer, MailError> {
        let invalid = |what: &str| MailError { message: format!("invalid mail setting: {what}"), retryable: false };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
            .map_err(|_| invalid("smtp_url (expected smtp://user:pass@host:port or smtps://…)"))?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        let from = from.parse().map_err(|_| invalid("mail_from"))?;
        Ok(SmtpMailer { transport, from, attempts: 3, backoff: Duration::from_millis(500) })
    }

    /// Changes how many attempts are made and the first pause between them (it doubles each time).
    pub fn with_retries(mut self, attempts: u32, backoff: Duration) -> SmtpMailer {
        self.attempts = attempts.max(1);
        self.backoff = backoff;
        self
    }

    /// Sends, retrying transient failures with exponential backoff. Returns the attempts made.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<u32, (MailError, u32)> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| (MailError { message: format!("invalid recipient address {}", mail.to), retryable: false }, 0))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .body(mail.text.clone())
            .map_err(|e| (MailError { message: e.to_string(), retryable: false }, 0))?;
        let mut pause = self.backoff;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.transport.send(message.clone()).await {
                Ok(_) => return Ok(attempt),
                Err(e) => {
                    // Permanent (5xx) replies will not change on retry; transient ones and
                    // connection problems may.
                    let retryable = !e.is_permanent();
                    let error = MailError { message: format!("SMTP: {e}"), retryable };
                    if !retryable || attempt >= self.attempts {
                        return Err((error, attempt));
                    }
                    tracing::warn!(attempt, error = %error.message, "mail not sent, retrying");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
            }
        }
    }
}
