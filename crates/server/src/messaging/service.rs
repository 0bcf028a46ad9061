//! The mail outbox for the super admin: a list that hides live links, and an audited opening.

use didtron_core::access::Permission;
use didtron_core::{Error, Result};

use super::store::{self, OutboxMail};
use super::replace_links;
use crate::changes::audit::Entry;
use crate::changes::unit::UnitOfWork;
use crate::http::caller::Actor;
use crate::http::{Page, PageQuery};
use crate::state::AppState;

/// A page of the outbox. Links that carry a token are hidden in the list: reading them is an
/// opening of the mail, which is audited.
pub async fn list(state: &AppState, actor: &Actor, q: Option<&str>, page: PageQuery) -> Result<Page<OutboxMail>> {
    actor.require(Permission::SystemManage)?;
    let (mut items, total) = store::page(&state.db, q, page.limit(), page.offset()).await?;
    for mail in &mut items {
        mail.body_text = replace_links(&mail.body_text, |path| format!("[link to {path}: open the mail to see it]")).0;
    }
    Ok(Page::new(items, total, page))
}

/// One mail, in full. Without SMTP the outbox is the delivery, so its links still work: every
/// opening is recorded in the audit log, in the same transaction as the reading.
pub async fn open(state: &AppState, actor: &Actor, id: &str) -> Result<OutboxMail> {
    actor.require(Permission::SystemManage)?;
    let mail = store::find(&state.db, id).await?.ok_or(Error::NotFound("message"))?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let links = replace_links(&mail.body_text, |p| p.to_string()).1;
    let new = serde_json::json!({"to": mail.to_address, "template": mail.template, "live_links": links});
    work.audit(Entry { action: "mail.open", target_kind: "mail", target_id: Some(&mail.id), old: None, new: Some(new) }).await?;
    work.commit().await?;
    Ok(mail)
}
