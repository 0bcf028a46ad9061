//! The switch domain's rules for people: who may see and steer the sync engine, the audited
//! "push again" and "retry", what needs an operator's attention, and the inbound webhook.

use didtron_adapters::switch::Journal;
use didtron_core::access::Permission;
use didtron_core::{Error, Result, id::new_id, time};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use utoipa::ToSchema;

use super::store::{self, Push, Reconciliation, RecordSyncStatus, Webhook};
use super::sync;
use crate::changes::audit::{AuditActor, Entry};
use crate::changes::records;
use crate::changes::unit::UnitOfWork;
use crate::http::caller::Actor;
use crate::http::{Page, PageQuery};
use crate::jobs::{self, NewJob};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Counts {
    pub pending: i64,
    pub running: i64,
    pub failed: i64,
    pub synced: i64,
    /// Records whose last push went through but whose objects the last reconciliation found
    /// changed on the switch (not in step). Always 0 for pushes.
    pub drift: i64,
}

fn counts(rows: &[(String, i64)]) -> Counts {
    let get = |s: &str| rows.iter().find(|r| r.0 == s).map(|r| r.1).unwrap_or(0);
    Counts { pending: get("pending"), running: get("running"), failed: get("failed"), synced: get("synced"), drift: get("drift") }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Overview {
    /// local or connexcs.
    pub driver: String,
    /// The ConnexCS API address (with the connexcs driver).
    pub url: Option<String>,
    /// Whether the switch's webhooks are accepted (a shared secret is configured).
    pub webhooks_enabled: bool,
    /// The records of each synced kind by their sync status.
    pub records: Counts,
    /// Pushes by status.
    pub pushes: Counts,
    pub last_reconciliation: Option<Reconciliation>,
}

/// The sync engine at a glance.
pub async fn overview(state: &AppState, actor: &Actor) -> Result<Overview> {
    actor.require(Permission::ConfigRead)?;
    let records = counts(&store::status_counts(&state.db).await?);
    let pushes = counts(&store::push_counts(&state.db).await?);
    let (last, _) = store::reconciliations(&state.db, 1, 0).await?;
    let s = &state.settings;
    Ok(Overview {
        driver: state.switch.driver().into(),
        url: (state.switch.driver() == "connexcs").then(|| s.connexcs_url.clone()),
        webhooks_enabled: s.switch_webhook_secret.is_some(),
        records,
        pushes,
        last_reconciliation: last.into_iter().next(),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionTest {
    pub driver: String,
    pub ok: bool,
    /// The account name the switch answered with.
    pub account: Option<String>,
    pub message: String,
    pub millis: u64,
}

/// Tests the switch connection with the configured credentials (the call is logged).
pub async fn test_connection(state: &AppState, actor: &Actor) -> Result<ConnectionTest> {
    actor.require(Permission::ConfigManage)?;
    let started = std::time::Instant::now();
    let mut journal = Journal::new();
    let result = state.switch.account(&mut journal).await;
    sync::save_journal(state, None, "test", &journal).await?;
    let millis = started.elapsed().as_millis() as u64;
    let driver = state.switch.driver().to_string();
    Ok(match result {
        Ok(account) => ConnectionTest { driver, ok: true, message: format!("Connected as {account}"), account: Some(account), millis },
        Err(e) => ConnectionTest { driver, ok: false, account: None, message: e.message, millis },
    })
}

/// Which pushes to list.
#[derive(Debug, Default)]
pub struct PushFilter<'a> {
    pub status: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub record_id: Option<&'a str>,
}

/// Pushes to the switch, newest first.
pub async fn pushes(state: &AppState, actor: &Actor, f: PushFilter<'_>, page: PageQuery) -> Result<Page<Push>> {
    actor.require(Permission::ConfigRead)?;
    if let Some(s) = f.status
        && !["pending", "running", "synced", "failed"].contains(&s)
    {
        return Err(Error::invalid("status", "must be one of: pending, running, synced, failed"));
    }
    let (items, total) = store::pushes(&state.db, f.status, f.kind, f.record_id, page.limit(), page.offset()).await?;
    Ok(Page::new(items, total, page))
}

/// Queues a forced push of a record as it is now (and the pushes of records built from it that
/// are out of step), with its audit entry, in one transaction.
async fn push_again(state: &AppState, actor: &Actor, kind: &str, id: &str, action: &str) -> Result<String> {
    let again = sync::plan_push_again(state, kind, id).await?;
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let by = work.actor().id.clone();
    let push_id = sync::enqueue_push(work.tx(), kind, id, again.version, &by, &again.planned, true).await?.ok_or_else(|| Error::internal("not synced"))?;
    for (dep_kind, dep_id, version, planned) in &again.dependents {
        sync::enqueue_push(work.tx(), dep_kind, dep_id, *version, &by, planned, false).await?;
    }
    work.audit(Entry { action, target_kind: kind, target_id: Some(id), old: None, new: Some(json!({"push_id": push_id})) }).await?;
    work.commit().await?;
    Ok(push_id)
}

/// Pushes a failed push's record again, as it is now.
pub async fn retry_push(state: &AppState, actor: &Actor, push_id: &str) -> Result<String> {
    actor.require(Permission::ConfigManage)?;
    let push = store::push(&state.db, push_id).await?.ok_or(Error::NotFound("push"))?;
    if push.status != "failed" {
        return Err(Error::Conflict(format!("only a failed push can be retried; this one is {}", push.status)));
    }
    if store::pushes_after(&state.db, &push.record_kind, &push.record_id, push_id).await? > 0 {
        return Err(Error::Conflict("this record has been pushed again since; see its latest push".into()));
    }
    push_again(state, actor, &push.record_kind, &push.record_id, "switch.push_retry").await
}

/// Pushes one record to the switch again, as it is now (to repair drift).
pub async fn push_record(state: &AppState, actor: &Actor, kind: &str, id: &str) -> Result<String> {
    actor.require(Permission::ConfigManage)?;
    push_again(state, actor, kind, id, "switch.push").await
}

/// A call made to the switch, with its request and response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Call {
    pub id: String,
    pub push_id: Option<String>,
    /// The record the push was for.
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    /// push, rollback, reconcile or test.
    pub purpose: String,
    pub driver: String,
    pub method: String,
    pub path: String,
    #[schema(value_type = Option<Object>)]
    pub request: Option<Value>,
    pub status: Option<i64>,
    /// The answer (a long one is cut short and then shown as text).
    #[schema(value_type = Option<Object>)]
    pub response: Option<Value>,
    pub error: Option<String>,
    pub attempt: i64,
    pub millis: i64,
    pub created_at: String,
}

impl From<store::CallRow> for Call {
    fn from(c: store::CallRow) -> Call {
        Call {
            response: c.response.map(|s| serde_json::from_str(&s).unwrap_or(Value::String(s))),
            request: c.request.map(didtron_db::Json::into_inner),
            id: c.id,
            push_id: c.push_id,
            record_kind: c.record_kind,
            record_id: c.record_id,
            purpose: c.purpose,
            driver: c.driver,
            method: c.method,
            path: c.path,
            status: c.status,
            error: c.error,
            attempt: c.attempt,
            millis: c.millis,
            created_at: c.created_at,
        }
    }
}

/// Calls made to the switch, newest first: of one push, or only those that failed.
pub async fn calls(state: &AppState, actor: &Actor, push_id: Option<&str>, failed_only: bool, page: PageQuery) -> Result<Page<Call>> {
    actor.require(Permission::ConfigRead)?;
    let (rows, total) = store::calls(&state.db, push_id, failed_only, page.limit(), page.offset()).await?;
    Ok(Page::new(rows.into_iter().map(Call::from).collect(), total, page))
}

/// The sync status of the records of a kind (records never pushed are absent); `ids` keeps only
/// those records.
pub async fn record_statuses(state: &AppState, actor: &Actor, kind: &str, ids: Option<&str>) -> Result<Vec<RecordSyncStatus>> {
    actor.require(Permission::ConfigRead)?;
    let mut rows = store::statuses(&state.db, kind).await?;
    if let Some(ids) = ids.filter(|s| !s.trim().is_empty()) {
        let wanted: Vec<&str> = ids.split(',').map(str::trim).collect();
        rows.retain(|r| wanted.contains(&r.record_id.as_str()));
    }
    Ok(rows)
}

/// A record whose switch objects need an operator: its push failed for good, or the switch holds
/// something else than DIDtron sent (drift).
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedsAttention {
    pub record_kind: String,
    pub record_id: String,
    /// The record's name as lists show it (its id when it is gone).
    pub title: String,
    /// failed or drift.
    pub status: String,
    /// What the switch said, or what differs.
    pub problem: Option<String>,
    pub last_push_id: Option<String>,
    /// When the record got this status.
    pub since: String,
}

/// The records whose switch objects need an operator, longest waiting first.
pub async fn attention(state: &AppState, actor: &Actor, page: PageQuery) -> Result<Page<NeedsAttention>> {
    actor.require(Permission::ConfigRead)?;
    let (rows, total) = store::statuses_in(&state.db, &["failed", "drift"], page.limit(), page.offset()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let title = match state.kinds.get(&r.record_kind) {
            Ok(kind) => records::load(state.db.pool(), kind.spec(), &r.record_id).await?.map(|f| kind.title(&f)).unwrap_or_else(|| r.record_id.clone()),
            Err(_) => r.record_id.clone(),
        };
        items.push(NeedsAttention { title, record_kind: r.record_kind, record_id: r.record_id, status: r.status, problem: r.last_error, last_push_id: r.last_push_id, since: r.updated_at });
    }
    Ok(Page::new(items, total, page))
}

/// Reconciliation reports, newest first.
pub async fn reconciliations(state: &AppState, actor: &Actor, page: PageQuery) -> Result<Page<Reconciliation>> {
    actor.require(Permission::ConfigRead)?;
    let (items, total) = store::reconciliations(&state.db, page.limit(), page.offset()).await?;
    Ok(Page::new(items, total, page))
}

/// Starts a reconciliation in the background; returns the job's id.
pub async fn start_reconciliation(state: &AppState, actor: &Actor) -> Result<String> {
    actor.require(Permission::ConfigManage)?;
    jobs::enqueue(state.db.pool(), NewJob::new("switch.reconcile", json!({})), &actor.user_id).await
}

/// Webhooks received from the switch, newest first.
pub async fn webhooks(state: &AppState, actor: &Actor, page: PageQuery) -> Result<Page<Webhook>> {
    actor.require(Permission::ConfigRead)?;
    let (items, total) = store::webhooks(&state.db, page.limit(), page.offset()).await?;
    Ok(Page::new(items, total, page))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Received {
    pub id: String,
    /// The domain event it became, e.g. `switch.registration`.
    pub event: String,
}

/// Stores a webhook from the switch and publishes it as the domain event `switch.<event>`, after
/// checking the shared secret it carries (`given`).
pub async fn receive_webhook(state: &AppState, ip: &str, given: &[u8], body: &[u8]) -> Result<Received> {
    let Some(secret) = &state.settings.switch_webhook_secret else {
        return Err(Error::Forbidden("switch webhooks are turned off: set switch_webhook_secret".into()));
    };
    // Hashes compared in constant time: neither the length nor a prefix of the secret leaks.
    let (a, b) = (Sha256::digest(given), Sha256::digest(secrecy::ExposeSecret::expose_secret(secret).as_bytes()));
    if given.is_empty() || !bool::from(a.as_slice().ct_eq(b.as_slice())) {
        tracing::warn!(ip = %ip, "switch webhook with a wrong or missing secret");
        return Err(Error::Unauthenticated("the webhook secret is missing or wrong".into()));
    }
    let payload: Value = serde_json::from_slice(body).map_err(|_| Error::invalid("body", "must be a JSON object"))?;
    let name = payload.get("event").or_else(|| payload.get("type")).and_then(Value::as_str).unwrap_or("").trim().to_lowercase();
    if name.is_empty() || name.len() > 64 || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')) {
        return Err(Error::invalid("event", "name the event in `event` (letters, digits, _ . -)"));
    }
    let id = new_id();
    let event = format!("switch.{name}");
    let switch = AuditActor { id: "switch".into(), kind: "system", tenant_id: None, ip: ip.into() };
    let mut work = UnitOfWork::begin(&state.db, switch).await?;
    store::insert_webhook(work.tx(), &id, &name, &payload, ip, &time::to_db(time::now())).await?;
    work.emit(&event, None, Some(&id), &payload).await?;
    work.commit().await?;
    Ok(Received { id, event })
}
