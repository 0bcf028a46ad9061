//! The sync engine: keeps the switch in step with DIDtron's records.
//!
//! A push is "make the switch hold what this record should be": the record's desired objects
//! (`mapping`) are compared with what DIDtron last sent (`switch_objects`), giving an ordered list
//! of calls — deletes of objects no longer wanted (children first), then creates and updates
//! (parents first); unchanged objects are left alone. The same plan, made without calling the
//! switch, is the dry run every preview shows.
//!
//! Some records' objects are built from other records too (a route's from its route group and its
//! carriers: `mapping::built_from`). A change to such a record plans, shows and queues the pushes
//! of every record built from it, so a new order of a route group reaches the switch like any
//! edit of the route itself.
//!
//! Pushes run as `switch.push` jobs on the shared queue, one at a time across every instance (a
//! short lease, renewed while the pushes run). Each call is retried by the driver when worth it;
//! if a step still fails, the steps already applied are undone in reverse (created objects
//! deleted, updated ones restored to the body sent before, deleted ones created again). A failure
//! that may pass (the switch answered 503, timed out, refused for load) puts the push back to wait
//! and try again later with a growing pause, [`PUSH_ATTEMPTS`] times in all; only then, or at once
//! for a refusal, is the record marked failed with the switch's error, and the operator's admins
//! are told. Creates are idempotent: a push that is run again first looks the object up by its
//! natural key and adopts it, so it never makes a duplicate.

use std::collections::HashMap;

use didtron_adapters::switch::{FailureKind, Journal, Object, SwitchError};
use didtron_core::{Error, Result, id::new_id, time};
use serde_json::{Value, json};

use super::mapping::{self, Desired};
use super::store::{self, NewCall, NewPush, NewStatus, Push, StoredObject};
use super::notify;
use crate::changes::records;
use crate::changes::subscribers::{ChangeSubscriber, Changed};
use crate::jobs::{self, JobError, NewJob, instance, lease};
use crate::state::AppState;

pub use crate::changes::subscribers::PlannedCall;

/// The switch sync as a subscriber of configuration changes: every preview shows its dry run, and
/// every change of a synced record — or of a record synced records are built from — queues the
/// pushes in the change's transaction.
pub struct SwitchSync;

#[async_trait::async_trait]
impl ChangeSubscriber for SwitchSync {
    async fn dry_run(&self, state: &AppState, kind: &str, id: &str, after: Option<&Value>) -> Result<Option<Vec<PlannedCall>>> {
        dry_run(state, kind, id, after).await
    }

    async fn on_change(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, change: Changed<'_>, actor: &str, planned: &[PlannedCall]) -> Result<()> {
        queue_pushes(tx, change, actor, planned).await
    }
}

/// How many times a push is tried when the switch fails for a passing reason.
pub const PUSH_ATTEMPTS: i64 = 4;

/// The pause after failed attempt `attempt` (1-based) before the next: 20 s, 1 min, 3 min.
pub fn retry_delay(attempt: i64) -> chrono::Duration {
    chrono::Duration::seconds(20 * 3i64.pow(attempt.clamp(1, 6) as u32 - 1))
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

/// A record about to change, as it will be: the plans of records built from it read it from
/// here, since the database still holds it as it was.
#[derive(Debug, Clone, Copy)]
struct Changing<'a> {
    kind: &'a str,
    id: &'a str,
    after: Option<&'a Value>,
}

/// Every route group's members as (carrier id, order, share), with `changing` laid over them.
async fn groups(state: &AppState, changing: Option<Changing<'_>>) -> Result<HashMap<String, mapping::Members>> {
    let spec = state.kinds.get("route_group")?.spec();
    let mut out: HashMap<String, mapping::Members> = records::all(&state.db, spec, None)
        .await?
        .into_iter()
        .filter_map(|g| Some((g.get("id")?.as_str()?.to_string(), mapping::member_list(g.get("members").unwrap_or(&Value::Null)))))
        .collect();
    if let Some(c) = changing.filter(|c| c.kind == "route_group") {
        match c.after {
            Some(after) => out.insert(c.id.to_string(), mapping::member_list(after.get("members").unwrap_or(&Value::Null))),
            None => out.remove(c.id),
        };
    }
    Ok(out)
}

/// Every route group's members, as stored (for reconciliation).
pub(crate) async fn stored_groups(state: &AppState) -> Result<HashMap<String, mapping::Members>> {
    groups(state, None).await
}

async fn remote_id(state: &AppState, object: Object, local_key: &str) -> Result<Option<String>> {
    Ok(store::remote_id(&state.db, object.code(), local_key).await?)
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
async fn plan_steps(state: &AppState, kind: &str, id: &str, after: Option<&Value>, force: bool, groups: &HashMap<String, mapping::Members>) -> Result<Vec<Step>> {
    let desired = match after {
        Some(f) => mapping::desired(kind, id, f, &|g| groups.get(g).cloned().unwrap_or_default()),
        None => Vec::new(),
    };
    let current: Vec<StoredObject> = store::objects_of(&state.db, kind, id).await?;
    let mut steps = Vec::new();
    // Objects no longer wanted go first, children before their parents.
    let mut stale: Vec<&StoredObject> = current.iter().filter(|m| !desired.iter().any(|d| d.object.code() == m.object && d.local_key == m.local_key)).collect();
    stale.sort_by_key(|m| m.parent_key.is_none());
    for m in stale {
        let Some(object) = Object::parse(&m.object) else { continue };
        steps.push(Step {
            action: Action::Delete,
            object,
            local_key: m.local_key.clone(),
            parent_key: m.parent_key.clone(),
            desired: None,
            remote_id: Some(m.remote_id.clone()),
            previous: Some(m.body.0.clone()),
        });
    }
    for d in desired {
        let parent_key = d.parent.as_ref().map(|(_, k)| k.clone());
        match current.iter().find(|m| m.object == d.object.code() && m.local_key == d.local_key) {
            None => steps.push(Step { action: Action::Create, object: d.object, local_key: d.local_key.clone(), parent_key, desired: Some(d), remote_id: None, previous: None }),
            Some(m) => {
                let body = match resolve(state, &d).await? {
                    Ok(b) | Err((b, _)) => b,
                };
                if force || body != m.body.0 {
                    steps.push(Step {
                        action: Action::Update,
                        object: d.object,
                        local_key: d.local_key.clone(),
                        parent_key,
                        desired: Some(d),
                        remote_id: Some(m.remote_id.clone()),
                        previous: Some(m.body.0.clone()),
                    });
                }
            }
        }
    }
    Ok(steps)
}

/// The records built from `changing` (`mapping::built_from`), with their fields.
async fn built_from(state: &AppState, changing: Changing<'_>, groups: &HashMap<String, mapping::Members>) -> Result<Vec<(&'static str, String, Value)>> {
    let mut out = Vec::new();
    for &kind in mapping::built_from(changing.kind) {
        let spec = state.kinds.get(kind)?.spec();
        for r in records::all(&state.db, spec, None).await? {
            let fields = Value::Object(r);
            let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_string) else { continue };
            if (kind, id.as_str()) != (changing.kind, changing.id) && mapping::uses(kind, &fields, changing.kind, changing.id, &|g| groups.get(g).cloned().unwrap_or_default()) {
                out.push((kind, id, fields));
            }
        }
    }
    Ok(out)
}

/// The calls a push of the record as `after` would make, without making them, followed by those
/// of the records built from it. `None` when the switch holds nothing made from this kind.
pub async fn dry_run(state: &AppState, kind: &str, id: &str, after: Option<&Value>) -> Result<Option<Vec<PlannedCall>>> {
    if !mapping::synced(kind) && mapping::built_from(kind).is_empty() {
        return Ok(None);
    }
    let changing = Changing { kind, id, after };
    let groups = groups(state, Some(changing)).await?;
    let mut calls = Vec::new();
    if mapping::synced(kind) {
        let steps = plan_steps(state, kind, id, after, false, &groups).await?;
        calls.extend(describe(state, &steps).await?);
    }
    // A record others are built from cannot be deleted while they are (its delete blockers say
    // so), so a deletion plans nothing for them.
    if after.is_some() {
        for (dep_kind, dep_id, fields) in built_from(state, changing, &groups).await? {
            let steps = plan_steps(state, dep_kind, &dep_id, Some(&fields), false, &groups).await?;
            calls.extend(describe(state, &steps).await?);
        }
    }
    Ok(Some(calls))
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

/// Queues, in the change's transaction, the push of the changed record (when it is synced) and of
/// every record the dry run planned calls for because it is built from the changed one.
async fn queue_pushes(tx: &mut sqlx::Transaction<'_, sqlx::Any>, change: Changed<'_>, actor: &str, planned: &[PlannedCall]) -> Result<()> {
    // The dry run's calls, by the record they belong to, in the order they were planned.
    let mut by_record: Vec<((&'static str, String), Vec<PlannedCall>)> = Vec::new();
    for call in planned {
        let Some((kind, id)) = mapping::owner_of(&call.object, &call.local_key) else { continue };
        match by_record.iter_mut().find(|(owner, _)| owner.0 == kind && owner.1 == id) {
            Some((_, calls)) => calls.push(call.clone()),
            None => by_record.push(((kind, id.to_string()), vec![call.clone()])),
        }
    }
    if mapping::synced(change.kind) {
        let own = by_record.iter().position(|((k, i), _)| *k == change.kind && i == change.id).map(|at| by_record.remove(at).1).unwrap_or_default();
        enqueue_push(tx, change.kind, change.id, change.version, actor, &own, false).await?;
    }
    for ((kind, id), calls) in by_record {
        let Some(table) = mapping::table_of(kind) else { continue };
        // A record that is gone meanwhile has nothing to push.
        let Some(version) = store::record_version(tx, table, &id).await? else { continue };
        enqueue_push(tx, kind, &id, version, actor, &calls, false).await?;
    }
    Ok(())
}

/// Queues a push of a record of a synced kind in the caller's transaction: a pending push and a
/// job that will carry it out. `planned` is the dry run made before the transaction began (shown
/// while the push waits); `force` re-sends every object even when DIDtron sent the same before
/// (to repair drift).
pub async fn enqueue_push(tx: &mut sqlx::Transaction<'_, sqlx::Any>, kind: &str, id: &str, version: i64, actor: &str, planned: &[PlannedCall], force: bool) -> Result<Option<String>> {
    if !mapping::synced(kind) {
        return Ok(None);
    }
    let push_id = new_id();
    let now = time::to_db(time::now());
    store::insert_push(tx, NewPush { id: &push_id, kind, record_id: id, version, planned, forced: force, now: &now, actor }).await?;
    store::set_status(&mut **tx, NewStatus { kind, id, status: "pending", version, error: None, push_id: Some(&push_id), synced: None, now: &now }).await?;
    // The job's attempts cover a crash mid-run and database trouble; waiting for another
    // instance's lease or for a push's retry does not use them up.
    let job = NewJob { max_attempts: 10, ..NewJob::new("switch.push", json!({"push_id": push_id})) };
    jobs::enqueue(&mut **tx, job, actor).await?;
    Ok(Some(push_id))
}

/// A new push of a record as it is now, planned (after a failure, or when the switch drifted):
/// every object is sent again, and objects missing from the switch are made again. Records built
/// from it that are not in step with it (a route whose push failed while its carrier was not on
/// the switch) are pushed after it.
pub struct PushAgain {
    pub version: i64,
    pub planned: Vec<PlannedCall>,
    /// (kind, id, version, planned calls) of each record built from this one that needs a push.
    pub dependents: Vec<(&'static str, String, i64, Vec<PlannedCall>)>,
}

/// Plans [`PushAgain`] for a record; the caller queues it with [`enqueue_push`] (forced), then
/// the dependents' pushes (not forced).
pub async fn plan_push_again(state: &AppState, kind: &str, id: &str) -> Result<PushAgain> {
    if !mapping::synced(kind) {
        return Err(Error::invalid("kind", "this kind of record is not kept on the switch"));
    }
    let spec = state.kinds.get(kind)?.spec();
    let current = records::load(state.db.pool(), spec, id).await?.map(Value::Object);
    let version = match &current {
        Some(f) => f.get("version").and_then(Value::as_i64).unwrap_or(1),
        // A deleted record: push its deletion again if objects are left on the switch.
        None if !store::objects_of(&state.db, kind, id).await?.is_empty() => 0,
        None => return Err(Error::NotFound("record")),
    };
    let groups = groups(state, None).await?;
    let steps = plan_steps(state, kind, id, current.as_ref(), true, &groups).await?;
    let planned = describe(state, &steps).await?;
    let mut dependents = Vec::new();
    for (dep_kind, dep_id, fields) in built_from(state, Changing { kind, id, after: current.as_ref() }, &groups).await? {
        let steps = plan_steps(state, dep_kind, &dep_id, Some(&fields), false, &groups).await?;
        if !steps.is_empty() {
            let version = fields.get("version").and_then(Value::as_i64).unwrap_or(1);
            dependents.push((dep_kind, dep_id, version, describe(state, &steps).await?));
        }
    }
    Ok(PushAgain { version, planned, dependents })
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

fn refused(message: impl Into<String>) -> SwitchError {
    SwitchError::new(FailureKind::Rejected, None, message)
}

impl Run<'_> {
    /// The switch id of a step's parent (only carrier IPs have one: their carrier).
    async fn parent_remote(&self, parent_key: &Option<String>) -> Result<std::result::Result<Option<String>, SwitchError>> {
        match parent_key {
            None => Ok(Ok(None)),
            Some(k) => Ok(match remote_id(self.state, Object::Carrier, k).await? {
                Some(r) => Ok(Some(r)),
                None => Err(refused(format!("the parent of {k} is not on the switch"))),
            }),
        }
    }

    async fn remember(&self, object: Object, local_key: &str, remote: &str, parent_key: Option<&str>, body: &Value) -> Result<()> {
        let o = StoredObject {
            owner_kind: self.kind.into(),
            owner_id: self.id.into(),
            object: object.code().into(),
            local_key: local_key.into(),
            remote_id: remote.into(),
            parent_key: parent_key.map(Into::into),
            body: didtron_db::Json(body.clone()),
        };
        Ok(store::remember(&self.state.db, &o, &time::to_db(time::now())).await?)
    }

    async fn forget(&self, object: Object, local_key: &str) -> Result<()> {
        Ok(store::forget(&self.state.db, object.code(), local_key).await?)
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
                    Err((_, why)) => return Ok(Err(refused(why))),
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
                    Err((_, why)) => return Ok(Err(refused(why))),
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
        let at = time::to_db(end - chrono::Duration::microseconds((journal.len() - i) as i64));
        let call = NewCall {
            push_id,
            purpose,
            driver: state.switch.driver(),
            method: &e.method,
            path: &e.path,
            request: e.request.as_ref(),
            status: e.status.map(i64::from),
            response: e.response.as_ref().map(|r| truncate(&r.to_string(), 20_000)),
            error: e.error.as_deref(),
            attempt: i64::from(e.attempt),
            millis: e.millis as i64,
            at: &at,
        };
        store::insert_call(&state.db, call).await?;
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

/// The lease whose holder pushes to the switch.
pub const PUSH_LEASE: &str = "switch.push";

/// Gives pushes left waiting (by an instance that stopped, or before an upgrade) a job to carry
/// them out, unless one is queued or running already. `true` when it queued one.
pub async fn resume_waiting_pushes(state: &AppState) -> Result<bool> {
    let Some(next) = store::next_unfinished_push(&state.db).await? else { return Ok(false) };
    if jobs::waiting_or_running(&state.db, "switch.push").await? > 0 {
        return Ok(false);
    }
    // Any push's id will do: the job works through every waiting push in order.
    let job = NewJob { max_attempts: 10, ..NewJob::new("switch.push", json!({"push_id": next.id})) };
    jobs::enqueue(state.db.pool(), job, "system").await?;
    Ok(true)
}

/// Job `switch.push`: carries out every waiting push in the order they were queued (a route's
/// carrier must reach the switch before the route), its own among them. One instance at a time
/// holds the `switch.push` lease; another instance's job waits and tries again (nothing is lost:
/// whoever holds the lease works through every waiting push).
pub async fn push_job(state: AppState, payload: Value) -> std::result::Result<(), JobError> {
    payload["push_id"].as_str().ok_or_else(|| JobError::permanent("payload without push_id"))?;
    let _in_this_instance = state.switch_lock.lock().await;
    let holder = format!("{}/{}", instance::this().id, new_id());
    let Some(held) = lease::hold(&state.db, PUSH_LEASE, &holder, lease::TTL).await? else {
        return Err(JobError::wait("another instance is pushing to the switch; this push waits its turn", chrono::Duration::seconds(5)));
    };
    let outcome = drain_pushes(&state, &held).await;
    held.release().await?;
    match outcome? {
        Drained::All => Ok(()),
        Drained::Waiting(until) => Err(JobError::wait(format!("the next push waits to try the switch again at {}", time::to_db(until)), until - time::now())),
        Drained::LeaseLost => Err(JobError::wait("the switch.push lease passed to another instance meanwhile", chrono::Duration::seconds(5))),
    }
}

/// How a round of pushes ended.
enum Drained {
    /// No push is left waiting.
    All,
    /// The oldest push waits to try again until then (pushes keep their order behind it).
    Waiting(time::Timestamp),
    /// The lease could not be kept: someone else carries on.
    LeaseLost,
}

async fn drain_pushes(state: &AppState, held: &lease::Held) -> Result<Drained> {
    // Bounded, so a push that cannot leave `running` (a bug) cannot spin for ever.
    for _ in 0..10_000 {
        if held.lost() {
            return Ok(Drained::LeaseLost);
        }
        let Some(next) = store::next_unfinished_push(&state.db).await? else { return Ok(Drained::All) };
        if let Some(at) = next.retry_at.as_deref().and_then(time::from_db)
            && at > time::now()
        {
            return Ok(Drained::Waiting(at));
        }
        if !run_push(state, next, held).await? {
            return Ok(Drained::LeaseLost);
        }
    }
    Ok(Drained::All)
}

/// Runs one push; `false` when it stopped half-way because the lease was lost (the push stays
/// `running`, and whoever holds the lease next runs it again, carefully).
async fn run_push(state: &AppState, push: Push, held: &lease::Held) -> Result<bool> {
    let (push_id, kind, id) = (push.id.clone(), push.record_kind.clone(), push.record_id.clone());
    if push.status == "synced" || push.status == "failed" {
        return Ok(true);
    }
    let attempt = push.attempts + 1;
    store::start_push(&state.db, &push_id, &time::to_db(time::now())).await?;
    // The record as it is now: a later change since this push was queued is included, and its
    // own push then finds nothing left to do.
    let spec = state.kinds.get(&kind)?.spec();
    let current = records::load(state.db.pool(), spec, &id).await?.map(Value::Object);
    let current_version = current.as_ref().and_then(|c| c["version"].as_i64()).unwrap_or(push.version);
    let groups = groups(state, None).await?;
    let steps = plan_steps(state, &kind, &id, current.as_ref(), push.forced, &groups).await?;
    store::set_operations(&state.db, &push_id, &describe(state, &steps).await?).await?;

    let mut run = Run { state, kind: &kind, id: &id, journal: Journal::new(), cautious: push.attempts > 0 };
    let mut applied = Vec::new();
    let mut failure = None;
    for s in &steps {
        if held.lost() {
            save_journal(state, Some(&push_id), "push", &std::mem::take(&mut run.journal)).await?;
            tracing::warn!(push = %push_id, "stopped a push half-way: the switch.push lease was lost");
            return Ok(false);
        }
        match run.apply(s).await? {
            Ok(undo) => applied.push(undo),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let pushed = std::mem::take(&mut run.journal);
    save_journal(state, Some(&push_id), "push", &pushed).await?;
    let now = time::now();
    let now_s = time::to_db(now);
    let Some(e) = failure else {
        store::push_synced(&state.db, &push_id, &now_s).await?;
        if current.is_some() {
            let status = NewStatus { kind: &kind, id: &id, status: "synced", version: current_version, error: None, push_id: Some(&push_id), synced: Some(current_version), now: &now_s };
            store::set_status(state.db.pool(), status).await?;
        } else {
            store::delete_status(&state.db, &kind, &id).await?;
        }
        return Ok(true);
    };
    let undone = applied.len();
    let problems = run.roll_back(applied).await?;
    let rollback = std::mem::take(&mut run.journal);
    save_journal(state, Some(&push_id), "rollback", &rollback).await?;
    let mut message = e.message.clone();
    if !problems.is_empty() {
        message.push_str(&format!(" — the rollback could not finish: {}", problems.join("; ")));
    }
    if e.retryable() && attempt < PUSH_ATTEMPTS {
        let retry_at = now + retry_delay(attempt);
        let note = format!("{message} — trying again at {} UTC (attempt {attempt} of {PUSH_ATTEMPTS})", retry_at.format("%H:%M:%S"));
        tracing::warn!(push = %push_id, kind = %kind, record = %id, error = %message, attempt, undone, "switch push failed for a passing reason; it will try again");
        store::push_waits(&state.db, &push_id, &note, problems.is_empty(), &time::to_db(retry_at), &now_s).await?;
        let status = NewStatus { kind: &kind, id: &id, status: "pending", version: current_version, error: Some(&note), push_id: Some(&push_id), synced: None, now: &now_s };
        store::set_status(state.db.pool(), status).await?;
        return Ok(true);
    }
    if e.retryable() {
        message = format!("{message} (after {attempt} attempts)");
    }
    tracing::warn!(push = %push_id, kind = %kind, record = %id, error = %message, undone, "switch push failed and was rolled back");
    store::push_failed(&state.db, &push_id, &message, problems.is_empty(), &now_s).await?;
    let status = NewStatus { kind: &kind, id: &id, status: "failed", version: current_version, error: Some(&message), push_id: Some(&push_id), synced: None, now: &now_s };
    store::set_status(state.db.pool(), status).await?;
    let title = current.as_ref().and_then(|c| c.as_object()).map(|c| state.kinds.get(&kind).map(|k| k.title(c)).unwrap_or_default()).unwrap_or_else(|| id.clone());
    // Told in the background: a slow mail server must not hold up the pushes behind this one.
    let (state, message) = (state.clone(), message.clone());
    tokio::spawn(async move { notify::push_failed(&state, &kind, &id, &title, &message).await });
    Ok(true)
}
