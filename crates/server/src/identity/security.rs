//! Security notices: a mail to the person whenever something that protects their account changes,
//! so that a change they did not make does not go unnoticed.

use didtron_core::Result;

use super::mails;
use crate::state::AppState;

/// What changed.
pub enum Change<'a> {
    PasswordChanged,
    PasswordReset,
    TwoFactorOn,
    TwoFactorOff,
    RecoveryCodesReplaced,
    ApiKeyCreated { name: &'a str, role: &'a str },
}

/// Mails the notice to `email`. Sent even when other mail to the address is being held back: it is
/// the one the owner must see.
pub async fn notify(state: &AppState, email: &str, change: Change<'_>) -> Result<()> {
    let (what, details) = match change {
        Change::PasswordChanged => ("Your DIDtron password was changed".to_string(), "Every other session was signed out.".to_string()),
        Change::PasswordReset => (
            "Your DIDtron password was reset".to_string(),
            "It was reset with a link mailed to this address; every session was signed out. API keys keep working until they are revoked: if you did not do this, revoke them all on the API keys page.".to_string(),
        ),
        Change::TwoFactorOn => ("Two-factor authentication was turned on".to_string(), "Sign-ins now need a code from the authenticator app.".to_string()),
        Change::TwoFactorOff => ("Two-factor authentication was turned off".to_string(), "Sign-ins need only the password now.".to_string()),
        Change::RecoveryCodesReplaced => ("Your 2FA recovery codes were replaced".to_string(), "The old recovery codes no longer work.".to_string()),
        Change::ApiKeyCreated { name, role } => (
            "A new API key was created for your account".to_string(),
            format!("The key \"{name}\" with the role {role} was created in your name. It can call the API until it expires or is revoked."),
        ),
    };
    let settings = format!("{}/login", state.settings.public_url());
    let (subject, text) = mails::security_notice(&what, &details, &settings);
    state.mailer.send(&state.db, "security_notice", email, &subject, &text).await?;
    Ok(())
}
