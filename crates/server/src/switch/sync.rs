//! The sync engine: keeps the switch in step with DIDtron's records.
//!
//! A push is "make the switch hold what this record should be": the record's desired objects
//! (`mapping`) are compared with what DIDtron last sent (`switch_objects`), giving an ordered list
//! of calls — deletes of objects no longer wanted (children first), then creates and updates
//! (parents first); unchanged objects are left alone. The same plan, made without calling the
//! switch, is the dry run every preview shows.
//!
//! Pushes run as `switch.push` jobs on the shared queue, one at a time per instance. Each call is
//! retried by the driver when worth it; if a step still fails, the steps already applied are undone
//! in reverse (created objects deleted, updated ones restored to the body sent before, deleted ones
//! created again), and the record is marked failed with the switch's error. Creates are idempotent:
//! a push that is run again (a retried job) first looks the object up by its natural key and adopts
//! it, so it never makes a duplicate.

use std::collections::HashMap;

use didtron_adapters::switch::{Journal, Object, SwitchError};
use didtron_core::{Error, Result, id::new_id, time};
use serde_json::{Value, json};

use super::mapping::{self, Desired};
use crate::state::AppState;
use crate::routing::route_groups::member_list;
use crate::changes::records;
use crate::changes::subscribers::{ChangeSubscriber, Changed};
use crate::jobs::{self, JobError, NewJob};

pub use crate::changes::subscribers::PlannedCall;

/// The switch sync as a subscriber of configuration changes: every preview shows its dry run, and
/// every change of a synced record queues a push in the change's transaction.
pub struct SwitchSync;

#[async_trait::async_trait]
impl ChangeSubscriber for SwitchSync {
    async fn dry_run(&self, state: &AppState, kind: &str, id: &str, after: Option<&Value>) -> Result<Option<Vec<PlannedCall>>> {
        dry_run(state, kind, id, after).await
    }

    async fn on_change(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, change: Changed<'_>, actor: &str, planned: &[PlannedCall]) -> Result<()> {
        enqueue_push(tx, change.kind, change.id, change.version, actor, planned, false).await.map(|_| ())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Delete,
}

#[derive(Debug, Clone)]
struct Step {
    action: Action,
    object: Object,
    local_key: String,
    parent_key: Option<String>,
    /// For create/update: the body to send, links not yet filled in.
    desired: Option<Desired>,
    /// For update/delete: the object's id on the switch and the body last sent.
    remote_id: Option<String>,
    previous: Option<Value>,
}

#[derive(Debug, Clone)]
struct Mapped {
    object: Object,
    local_key: String,
    remote_id: String,
    parent_key: Option<String>,
    body: Value,
}

async fn mapped_of(state: &AppState, kind: &str, id: &str) -> Result<Vec<Mapped>> {
    let rows: Vec<(String, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT object, local_key, remote_id, parent_key, body FROM switch_objects WHERE owner_kind = $1 AND owner_id = $2 ORDER BY created_at, id",
    )
    .bind(kind)
    .bind(id)
    .fetch_all(state.db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(rows
        .into_iter()
        .filter_map(|(o, k, r, p, b)| Some(Mapped { object: Object::parse(&o)?, local_key: k, remote_id: r, parent_key: p, body: serde_json::from_str(&b).unwrap_or(Value::Null) }))
        .collect())
}

async fn remote_id(state: &AppState, object: Object, local_key: &str) -> Result<Option<String>> {
    let found: Option<(String,)> = sqlx::query_as("SELECT remote_id FROM switch_objects WHERE object = $1 AND local_key = $2")
        .bind(object.code())
        .bind(local_key)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(found.map(|f| f.0))
}

/// Every route group's members as (carrier id, order, share).
pub(crate) async fn groups(state: &AppState) -> Result<HashMap<String, mapping::Members>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, members FROM route_groups").fetch_all(state.db.pool()).await.map_err(Error::internal)?;
    Ok(rows.into_iter().map(|(id, raw)| (id, member_list(&serde_json::from_str(&raw).unwrap_or_default()))).collect())
}

/// The body with its links filled in from the switch ids DIDtron knows; `Err` names what is
/// missing (shown as a placeholder in a dry run).
async fn resolve(state: &AppState, d: &Desired) -> Result<std::result::Result<Value, (Value, String)>> {
    let mut body = d.body.clone();
    let mut missing = Vec::new();
    for link in &d.links {
        match remote_id(state, link.object, &link.local_key).await? {
            Some(id) => body[link.field] = Value::String(id),
            None => {
                body[link.field] = Value::String(format!("<{} {} once on the switch>", link.object.code(), link.local_key));
                missing.push(format!("{} {}", link.object.code(), link.local_key));
            }
        }
    }
    Ok(if missing.is_empty() { Ok(body) } else { Err((body, format!("{} is not on the switch yet: push it first", missing.join(", ")))) })
}

/// The steps that make the switch hold `after` (None: the record is gone) for record `id`.
async fn plan_steps(state: &AppState, kind: &str, id: &str, after: Option<&Value>, force: bool) -> Result<Vec<Step>> {
    let groups = groups(state).await?;
    let desired = match after {
        Some(f) => mapping::desired(kind, id, f, &|g| groups.get(g).cloned().unwrap_or_default()),
        None => Vec::new(),
    };
    let current = mapped_of(state, kind, id).await?;
    let mut steps = Vec::new();
    // Objects no longer wanted go first, children before their parents.
    let mut stale: Vec<&Mapped> = current.iter().filter(|m| !desired.iter().any(|d| d.object == m.object && d.local_key == m.local_key)).collect();
    stale.sort_by_key(|m| m.parent_key.is_none());
    for m in stale {
        steps.push(Step {
            action: Action::Delete,
            object: m.object,
            local_key: m.local_key.clone(),
            parent_key: m.parent_key.clone(),
            desired: None,
            remote_id: Some(m.remote_id.clone()),
            previous: Some(m.body.clone()),
        });
    }
    for d in desired {
        let parent_key = d.parent.as_ref().map(|(_, k)| k.clone());
        match current.iter().find(|m| m.object == d.object && m.local_key == d.local_key) {
            None => steps.push(Step { action: Action::Create, object: d.object, local_key: d.local_key.clone(), parent_key, desired: Some(d), remote_id: None, previous: None }),
            Some(m) => {
                let body = match resolve(state, &d).await? {
                    Ok(b) | Err((b, _)) => b,
                };
                if force || body != m.body {
                    steps.push(Step {
                        action: Action::Update,
                        object: d.object,
                        local_key: d.local_key.clone(),
                        parent_key,
                        desired: Some(d),
                        remote_id: Some(m.remote_id.clone()),
                        previous: Some(m.body.clone()),
                    });
                }
            }
        }
    }
    Ok(steps)
}

/// The calls a push of the record as `after` would make, without making them. `None` when the
/// kind is not kept on the switch.
pub async fn dry_run(state: &AppState, kind: &str, id: &str, after: Option<&Value>) -> Result<Option<Vec<PlannedCall>>> {
    if !mapping::synced(kind) {
        return Ok(None);
    }
    dry_run_forced(state, kind, id, after, false).await
}

async fn dry_run_forced(state: &AppState, kind: &str, id: &str, after: Option<&Value>, force: bool) -> Result<Option<Vec<PlannedCall>>> {
    if !mapping::synced(kind) {
        return Ok(None);
    }
    let steps = plan_steps(state, kind, id, after, force).await?;
    Ok(Some(describe(state, &steps).await?))
}

/// The calls `steps` make, as shown to people (parents not yet on the switch as placeholders).
async fn describe(state: &AppState, steps: &[Step]) -> Result<Vec<PlannedCall>> {
    let mut out = Vec::new();
    for s in steps {
        let parent = match &s.parent_key {
            Some(k) => Some(remote_id(state, Object::Carrier, k).await?.unwrap_or_else(|| format!("<new {}>", Object::Carrier.code()))),
            None => None,
        };
        let path = s.object.path(parent.as_deref());
        let body = match &s.desired {
            Some(d) => Some(match resolve(state, d).await? {
                Ok(b) | Err((b, _)) => b,
            }),
            None => None,
        };
        let (action, method, path) = match s.action {
            Action::Create => ("create", "POST", path),
            Action::Update => ("update", "PUT", format!("{path}/{}", s.remote_id.as_deref().unwrap_or(""))),
            Action::Delete => ("delete", "DELETE", format!("{path}/{}", s.remote_id.as_deref().unwrap_or(""))),
        };
        out.push(PlannedCall { action: action.into(), object: s.object.code().into(), local_key: s.local_key.clone(), method: method.into(), path, body });
    }
    Ok(out)
}

/// Called by every configuration write, in its transaction: a record of a synced kind gets a
/// pending push and a job that will carry it out.
/// `planned` is the dry run made before the transaction began (shown while the push waits);
/// `force` re-sends every object even when DIDtron sent the same before (to repair drift).
pub async fn enqueue_push(tx: &mut sqlx::Transaction<'_, sqlx::Any>, kind: &str, id: &str, version: i64, actor: &str, planned: &[PlannedCall], force: bool) -> Result<Option<String>> {
    if !mapping::synced(kind) {
        return Ok(None);
    }
    let push_id = new_id();
    let now = time::to_db(time::now());
    sqlx::query(
        "INSERT INTO switch_pushes (id, record_kind, record_id, version, status, operations, forced, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $7, $8)",
    )
    .bind(&push_id)
    .bind(kind)
    .bind(id)
    .bind(version)
    .bind(serde_json::to_string(planned).map_err(Error::internal)?)
    .bind(i64::from(force))
    .bind(&now)
    .bind(actor)
    .execute(&mut **tx)
    .await
    .map_err(Error::internal)?;
    set_status(&mut **tx, kind, id, "pending", version, None, &push_id, None).await?;
    // A push that fails is rolled back and marked failed, then retried by a person (calls inside it
    // are already retried by the driver).
    // Attempts cover waiting for another instance's lease and a crash mid-run.
    let job = NewJob { max_attempts: 10, ..NewJob::new("switch.push", json!({"push_id": push_id})) };
    jobs::enqueue(&mut **tx, job, actor).await?;
    Ok(Some(push_id))
}

#[allow(clippy::too_many_arguments)]
async fn set_status<'c, E>(conn: E, kind: &str, id: &str, status: &str, version: i64, error: Option<&str>, push_id: &str, synced: Option<i64>) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let now = time::to_db(time::now());
    sqlx::query(
        "INSERT INTO switch_sync_status (record_kind, record_id, status, version, last_error, last_push_id, synced_version, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'system', $8, 'system')
         ON CONFLICT (record_kind, record_id) DO UPDATE SET status = $3, version = $4, last_error = $5, last_push_id = $6,
             synced_version = COALESCE($7, switch_sync_status.synced_version), updated_at = $8",
    )
    .bind(kind)
    .bind(id)
    .bind(status)
    .bind(version)
    .bind(error)
    .bind(push_id)
    .bind(synced)
    .bind(now)
    .execute(conn)
    .await
    .map_err(Error::internal)?;
    Ok(())
}

/// What a step did, to undo it.
enum Undo {
    Created { object: Object, local_key: String, parent: Option<String>, remote: String },
    Updated { object: Object, local_key: String, parent: Option<String>, parent_key: Option<String>, remote: String, previous: Value },
    Deleted { object: Object, local_key: String, parent_key: Option<String>, previous: Value },
}

struct Run<'a> {
    state: &'a AppState,
    kind: &'a str,
    id: &'a str,
    journal: Journal,
    /// Find before create: this push ran before and may have made objects it did not record.
    cautious: bool,
}

impl Run<'_> {
    /// The switch id of a step's parent (only carrier IPs have one: their carrier).
    async fn parent_remote(&self, parent_key: &Option<String>) -> Result<std::result::Result<Option<String>, SwitchError>> {
        match parent_key {
            None => Ok(Ok(None)),
            Some(k) => Ok(match remote_id(self.state, Object::Carrier, k).await? {
                Some(r) => Ok(Some(r)),
                None => Err(SwitchError::new(didtron_adapters::switch::FailureKind::Rejected, None, format!("the parent of {k} is not on the switch"))),
            }),
        }
    }

    async fn remember(&self, object: Object, local_key: &str, remote: &str, parent_key: Option<&str>, body: &Value) -> Result<()> {
        let now = time::to_db(time::now());
        sqlx::query(
            "INSERT INTO switch_objects (id, owner_kind, owner_id, object, local_key, remote_id, parent_key, body, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'system', $9, 'system')
             ON CONFLICT (object, local_key) DO UPDATE SET remote_id = $6, parent_key = $7, body = $8, updated_at = $9",
        )
        .bind(new_id())
        .bind(self.kind)
        .bind(self.id)
        .bind(object.code())
        .bind(local_key)
        .bind(remote)
        .bind(parent_key)
        .bind(body.to_string())
        .bind(now)
        .execute(self.state.db.pool())
        .await
        .map_err(Error::internal)?;
        Ok(())
    }

    async fn forget(&self, object: Object, local_key: &str) -> Result<()> {
        sqlx::query("DELETE FROM switch_objects WHERE object = $1 AND local_key = $2").bind(object.code()).bind(local_key).execute(self.state.db.pool()).await.map_err(Error::internal)?;
        Ok(())
    }

    /// Applies one step. The outer error is DIDtron's own (database); the inner one the switch's.
    async fn apply(&mut self, s: &Step) -> Result<std::result::Result<Undo, SwitchError>> {
        let sw = self.state.switch.clone();
        let parent = match self.parent_remote(&s.parent_key).await? {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        match s.action {
            Action::Create => {
                let d = s.desired.as_ref().ok_or_else(|| Error::internal("create without a body"))?;
                let body = match resolve(self.state, d).await? {
                    Ok(b) => b,
                    Err((_, why)) => return Ok(Err(SwitchError::new(didtron_adapters::switch::FailureKind::Rejected, None, why))),
                };
                let natural = body.get(s.object.natural_key()).and_then(Value::as_str).map(str::to_string);
                let adopted = match (&natural, self.cautious) {
                    (Some(v), true) => match sw.find(s.object, parent.as_deref(), v, &mut self.journal).await {
                        Ok(found) => found,
                        Err(e) => return Ok(Err(e)),
                    },
                    _ => None,
                };
                let remote = match adopted {
                    Some(r) => match sw.update(s.object, parent.as_deref(), &r, &body, &mut self.journal).await {
                        Ok(()) => r,
                        Err(e) => return Ok(Err(e)),
                    },
                    None => match sw.create(s.object, parent.as_deref(), &body, &mut self.journal).await {
                        Ok(r) => r,
                        Err(e) => return Ok(Err(e)),
                    },
                };
                self.remember(s.object, &s.local_key, &remote, s.parent_key.as_deref(), &body).await?;
                Ok(Ok(Undo::Created { object: s.object, local_key: s.local_key.clone(), parent, remote }))
            }
            Action::Update => {
                let d = s.desired.as_ref().ok_or_else(|| Error::internal("update without a body"))?;
                let body = match resolve(self.state, d).await? {
                    Ok(b) => b,
                    Err((_, why)) => return Ok(Err(SwitchError::new(didtron_adapters::switch::FailureKind::Rejected, None, why))),
                };
                let remote = s.remote_id.clone().unwrap_or_default();
                match sw.update(s.object, parent.as_deref(), &remote, &body, &mut self.journal).await {
                    Ok(()) => {}
                    // Gone from the switch (deleted by hand): make it again.
                    Err(e) if e.status == Some(404) => {
                        let remote = match sw.create(s.object, parent.as_deref(), &body, &mut self.journal).await {
                            Ok(r) => r,
                            Err(e) => return Ok(Err(e)),
                        };
                        self.remember(s.object, &s.local_key, &remote, s.parent_key.as_deref(), &body).await?;
                        return Ok(Ok(Undo::Created { object: s.object, local_key: s.local_key.clone(), parent, remote }));
                    }
                    Err(e) => return Ok(Err(e)),
                }
                self.remember(s.object, &s.local_key, &remote, s.parent_key.as_deref(), &body).await?;
                Ok(Ok(Undo::Updated { object: s.object, local_key: s.local_key.clone(), parent, parent_key: s.parent_key.clone(), remote, previous: s.previous.clone().unwrap_or_default() }))
            }
            Action::Delete => {
                let remote = s.remote_id.clone().unwrap_or_default();
                if let Err(e) = sw.delete(s.object, parent.as_deref(), &remote, &mut self.journal).await {
                    return Ok(Err(e));
                }
                self.forget(s.object, &s.local_key).await?;
                Ok(Ok(Undo::Deleted { object: s.object, local_key: s.local_key.clone(), parent_key: s.parent_key.clone(), previous: s.previous.clone().unwrap_or_default() }))
            }
        }
    }

    /// Undoes applied steps, newest first. Returns what could not be undone.
    async fn roll_back(&mut self, applied: Vec<Undo>) -> Result<Vec<String>> {
        let sw = self.state.switch.clone();
        let mut problems = Vec::new();
        for undo in applied.into_iter().rev() {
            match undo {
                Undo::Created { object, local_key, parent, remote } => match sw.delete(object, parent.as_deref(), &remote, &mut self.journal).await {
                    Ok(()) => self.forget(object, &local_key).await?,
                    Err(e) => problems.push(format!("could not delete {} {local_key}: {e}", object.code())),
                },
                Undo::Updated { object, local_key, parent, parent_key, remote, previous } => match sw.update(object, parent.as_deref(), &remote, &previous, &mut self.journal).await {
                    Ok(()) => self.remember(object, &local_key, &remote, parent_key.as_deref(), &previous).await?,
                    Err(e) => problems.push(format!("could not restore {} {local_key}: {e}", object.code())),
                },
                Undo::Deleted { object, local_key, parent_key, previous } => {
                    let parent = match self.parent_remote(&parent_key).await? {
                        Ok(p) => p,
                        Err(e) => {
                            problems.push(format!("could not re-create {} {local_key}: {e}", object.code()));
                            continue;
                        }
                    };
                    match sw.create(object, parent.as_deref(), &previous, &mut self.journal).await {
                        Ok(remote) => self.remember(object, &local_key, &remote, parent_key.as_deref(), &previous).await?,
                        Err(e) => problems.push(format!("could not re-create {} {local_key}: {e}", object.code())),
                    }
                }
            }
        }
        Ok(problems)
    }
}

/// Writes the calls of a run to the operations log.
pub async fn save_journal(state: &AppState, push_id: Option<&str>, purpose: &str, journal: &[didtron_adapters::switch::Exchange]) -> Result<()> {
    // Written after the run: the calls get consecutive microseconds ending now, so they list in
    // the order they were made.
    let end = time::now();
    for (i, e) in journal.iter().enumerate() {
        let now = time::to_db(end - chrono::Duration::microseconds((journal.len() - i) as i64));
        sqlx::query(
            "INSERT INTO switch_calls (id, push_id, purpose, driver, method, path, request, status, response, error, attempt, millis, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'system', $13, 'system')",
        )
        .bind(new_id())
        .bind(push_id)
        .bind(purpose)
        .bind(state.switch.driver())
        .bind(&e.method)
        .bind(&e.path)
        .bind(e.request.as_ref().map(Value::to_string))
        .bind(e.status.map(i64::from))
        .bind(e.response.as_ref().map(|r| truncate(&r.to_string(), 20_000)))
        .bind(&e.error)
        .bind(i64::from(e.attempt))
        .bind(e.millis as i64)
        .bind(&now)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    }
    Ok(())
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Job `switch.push`: carries out every waiting push in the order they were queued (a route's
/// carrier must reach the switch before the route), its own among them. One instance at a time
/// holds the `switch.push` lease; another instance's job waits and tries again (nothing is lost:
/// whoever holds the lease works through every waiting push).
pub async fn push_job(state: AppState, payload: Value) -> std::result::Result<(), JobError> {
    payload["push_id"].as_str().ok_or_else(|| JobError::permanent("payload without push_id"))?;
    let _in_this_instance = state.switch_lock.lock().await;
    let holder = new_id();
    if !jobs::lease::acquire(&state.db, PUSH_LEASE, &holder, chrono::Duration::minutes(10)).await? {
        return Err(JobError::retry("another instance is pushing to the switch; this push waits its turn"));
    }
    let outcome = drain_pushes(&state).await;
    jobs::lease::release(&state.db, PUSH_LEASE, &holder).await?;
    outcome.map_err(JobError::from)
}

/// The lease whose holder pushes to the switch.
pub const PUSH_LEASE: &str = "switch.push";

async fn drain_pushes(state: &AppState) -> Result<()> {
    // Bounded, so a push that cannot leave `running` (a bug) cannot spin for ever.
    for _ in 0..10_000 {
        let next: Option<(String,)> =
            sqlx::query_as("SELECT id FROM switch_pushes WHERE status IN ('pending', 'running') ORDER BY created_at, id LIMIT 1").fetch_optional(state.db.pool()).await.map_err(Error::internal)?;
        let Some((id,)) = next else { return Ok(()) };
        run_push(state, &id).await?;
    }
    Ok(())
}

async fn run_push(state: &AppState, push_id: &str) -> Result<()> {
    let state = state.clone();
    let push_id = push_id.to_string();
    let row: Option<(String, String, i64, String, i64, i64)> = sqlx::query_as("SELECT record_kind, record_id, version, status, attempts, forced FROM switch_pushes WHERE id = $1")
        .bind(&push_id)
        .fetch_optional(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let Some((kind, id, version, status, attempts, forced)) = row else { return Ok(()) };
    let force = forced != 0;
    if status == "synced" || status == "failed" {
        return Ok(());
    }
    let now = time::to_db(time::now());
    sqlx::query("UPDATE switch_pushes SET status = 'running', attempts = attempts + 1, updated_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(&push_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    // The record as it is now: a later change since this push was queued is included, and its
    // own push then finds nothing left to do.
    let spec = state.kinds.get(&kind)?.spec();
    let current = records::load(state.db.pool(), spec, &id).await?.map(Value::Object);
    let current_version = current.as_ref().and_then(|c| c["version"].as_i64()).unwrap_or(version);
    let steps = plan_steps(&state, &kind, &id, current.as_ref(), force).await?;
    let planned = describe(&state, &steps).await?;
    sqlx::query("UPDATE switch_pushes SET operations = $1 WHERE id = $2")
        .bind(serde_json::to_string(&planned).map_err(Error::internal)?)
        .bind(&push_id)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;

    let mut run = Run { state: &state, kind: &kind, id: &id, journal: Journal::new(), cautious: attempts > 0 };
    let mut applied = Vec::new();
    let mut failure = None;
    for s in &steps {
        match run.apply(s).await? {
            Ok(undo) => applied.push(undo),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let pushed = std::mem::take(&mut run.journal);
    save_journal(&state, Some(&push_id), "push", &pushed).await?;
    let now = time::to_db(time::now());
    match failure {
        None => {
            sqlx::query("UPDATE switch_pushes SET status = 'synced', error = NULL, updated_at = $1 WHERE id = $2").bind(&now).bind(&push_id).execute(state.db.pool()).await.map_err(Error::internal)?;
            if current.is_some() {
                set_status(state.db.pool(), &kind, &id, "synced", current_version, None, &push_id, Some(current_version)).await?;
            } else {
                sqlx::query("DELETE FROM switch_sync_status WHERE record_kind = $1 AND record_id = $2").bind(&kind).bind(&id).execute(state.db.pool()).await.map_err(Error::internal)?;
            }
        }
        Some(e) => {
            let undone = applied.len();
            let problems = run.roll_back(applied).await?;
            let rollback = std::mem::take(&mut run.journal);
            save_journal(&state, Some(&push_id), "rollback", &rollback).await?;
            let mut message = e.message.clone();
            if !problems.is_empty() {
                message.push_str(&format!(" — the rollback could not finish: {}", problems.join("; ")));
            }
            tracing::warn!(push = %push_id, kind = %kind, record = %id, error = %message, undone, "switch push failed and was rolled back");
            sqlx::query("UPDATE switch_pushes SET status = 'failed', error = $1, rolled_back = $2, updated_at = $3 WHERE id = $4")
                .bind(&message)
                .bind(i64::from(problems.is_empty()))
                .bind(&now)
                .bind(&push_id)
                .execute(state.db.pool())
                .await
                .map_err(Error::internal)?;
            set_status(state.db.pool(), &kind, &id, "failed", current_version, Some(&message), &push_id, None).await?;
        }
    }
    Ok(())
}

/// A new push of the record as it is now (after a failure, or when the switch drifted): every
/// object is sent again, and objects missing from the switch are made again.
pub async fn push_again(state: &AppState, kind: &str, id: &str, actor: &str) -> Result<String> {
    if !mapping::synced(kind) {
        return Err(Error::invalid("kind", "this kind of record is not kept on the switch"));
    }
    let spec = state.kinds.get(kind)?.spec();
    let version = match records::load(state.db.pool(), spec, id).await? {
        Some(f) => f.get("version").and_then(Value::as_i64).unwrap_or(1),
        // A deleted record: push its deletion again if objects are left on the switch.
        None if !mapped_of(state, kind, id).await?.is_empty() => 0,
        None => return Err(Error::NotFound("record")),
    };
    let current = records::load(state.db.pool(), spec, id).await?.map(Value::Object);
    let planned = dry_run_forced(state, kind, id, current.as_ref(), true).await?.unwrap_or_default();
    let mut tx = state.db.pool().begin().await.map_err(Error::internal)?;
    let push = enqueue_push(&mut tx, kind, id, version, actor, &planned, true).await?.ok_or_else(|| Error::internal("not synced"))?;
    tx.commit().await.map_err(Error::internal)?;
    Ok(push)
}
