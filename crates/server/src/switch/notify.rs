//! Telling the operator's admins when the switch needs them: a push that failed for good, or
//! records the last reconciliation found drifting. The mail goes through the mailer (SMTP when
//! configured, else the outbox the super admin reads); the same records are listed on the admin
//! dashboard. A mail that cannot be written is logged and never fails the work that found it.

use super::store;
use crate::state::AppState;

async fn tell_admins(state: &AppState, template: &str, subject: &str, text: &str) {
    let to = match store::operator_emails(&state.db).await {
        Ok(to) => to,
        Err(e) => {
            tracing::error!(error = %e, template, "could not find whom to tell of a switch problem");
            return;
        }
    };
    if to.is_empty() {
        tracing::warn!(template, subject, "no admin to tell of a switch problem");
    }
    for address in to {
        if let Err(e) = state.mailer.send(&state.db, template, &address, subject, text).await {
            tracing::error!(error = %e, template, "could not write a switch notification");
        }
    }
}

fn link(state: &AppState, tab: &str) -> String {
    format!("{}/admin/system/switch?tab={tab}", state.settings.public_url())
}

/// A push failed for good (after its retries, or at once when the switch refused it).
pub async fn push_failed(state: &AppState, kind: &str, id: &str, title: &str, error: &str) {
    let subject = format!("Switch push failed: {} {title}", kind.replace('_', " "));
    let text = format!(
        "DIDtron could not bring the switch in step with {} “{title}” ({id}).\n\nThe switch said: {error}\n\nThe steps already applied were undone. Fix the cause, then retry the push:\n{}\n",
        kind.replace('_', " "),
        link(state, "queue")
    );
    tell_admins(state, "switch.push_failed", &subject, &text).await;
}

/// A reconciliation found records whose objects on the switch differ from what DIDtron sent.
/// `records` lists each newly drifting record as (kind, id, what differs).
pub async fn drift_found(state: &AppState, records: &[(String, String, String)]) {
    let n = records.len();
    let subject = format!("Switch drift: {n} {} no longer match{} the switch", if n == 1 { "record" } else { "records" }, if n == 1 { "es" } else { "" });
    let mut text = String::from("The last reconciliation found the switch holding something other than what DIDtron sent for:\n\n");
    for (kind, id, what) in records.iter().take(50) {
        text.push_str(&format!("- {} {id}: {what}\n", kind.replace('_', " ")));
    }
    if n > 50 {
        text.push_str(&format!("- … and {} more\n", n - 50));
    }
    text.push_str(&format!("\nPush each record again to repair it:\n{}\n", link(state, "reconciliation")));
    tell_admins(state, "switch.drift", &subject, &text).await;
}
