//! Versioned configuration, once for every kind: save, delete, rollback, drafts, preview and push.
//! Each write stores a version with the full record before and after, one audit entry and one
//! event, all in one transaction.


use didtron_core::error::Validation;
use didtron_core::scope::{self, Assignment};
use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::audit::Entry;
use super::store::{self, NewVersion};
use super::unit::UnitOfWork;
use super::assignments::{self, CustomerRef};
use super::kinds::{ConfigKind, KindSpec};
use super::fields;
use super::records::{self, Fields};
use super::subscribers::{Changed, PlannedCall};
use crate::state::AppState;
use crate::http::caller::Actor;
use crate::http::{Page, PageQuery};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Create,
    Update,
    Delete,
}

/// A change to one record, applied at once or kept as a draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Change {
    pub operation: Operation,
    /// The record (absent for `create`).
    pub id: Option<String>,
    /// For `create`, every field; for `update`, only the fields that change.
    #[schema(value_type = Option<Object>)]
    pub fields: Option<Map<String, Value>>,
    /// The complete new assignment set; absent leaves it as it is.
    #[schema(value_type = Option<Vec<Object>>)]
    pub assignments: Option<Vec<Assignment>>,
    /// The version the change was made against; a newer stored version is a conflict.
    pub expected_version: Option<i64>,
}

/// One field that differs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Preview {
    pub kind: String,
    pub operation: Operation,
    pub id: String,
    pub title: String,
    pub diff: Vec<FieldChange>,
    /// Customers whose service changes, at most 200 listed.
    pub affected_customers: Vec<CustomerRef>,
    pub affected_count: usize,
    /// Why the change cannot be pushed as it is (e.g. records that depend on it).
    pub blockers: Vec<String>,
    /// The version this change will create.
    pub next_version: i64,
    /// The calls the switch push would make (a dry run: nothing is sent); absent for kinds that
    /// are not kept on the switch.
    pub switch_calls: Option<Vec<PlannedCall>>,
}

/// A change worked out against the current state, not yet written.
struct Planned {
    id: String,
    before: Option<Value>,
    after: Option<Value>,
    next_version: i64,
    /// The version of the stored record the change was planned against (0 when new).
    stored_version: i64,
    /// Whether versions of the record are stored already (a seeded record has none yet).
    has_history: bool,
    blockers: Vec<String>,
}

fn snapshot(spec: &KindSpec, fields: &Fields, assignments: Option<&[Assignment]>) -> Value {
    let mut map = Map::new();
    for f in spec.fields {
        map.insert(f.name.into(), fields.get(f.name).cloned().unwrap_or(Value::Null));
    }
    if spec.choice.is_some() {
        map.insert("assignments".into(), json!(assignments.unwrap_or(&[])));
    }
    Value::Object(map)
}

fn assignments_in(snapshot: Option<&Value>) -> Option<Vec<Assignment>> {
    snapshot.map(|s| s.get("assignments").cloned().and_then(|a| serde_json::from_value(a).ok()).unwrap_or_default())
}

fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (b.get(k).cloned().unwrap_or(Value::Null), a.get(k).cloned().unwrap_or(Value::Null));
            (x != y).then(|| FieldChange { field: k.clone(), before: x, after: y })
        })
        .collect()
}

async fn check_unique(state: &AppState, spec: &KindSpec, fields: &Fields, id: Option<&str>, v: &mut Validation) -> Result<()> {
    for column in spec.unique {
        let Some(value) = fields.get(*column).and_then(Value::as_str).filter(|s| !s.is_empty()) else { continue };
        if store::value_taken(&state.db, spec.table, column, value, id.unwrap_or("")).await? {
            v.add(*column, format!("“{value}” is already used by another {}", spec.label.to_lowercase()));
        }
    }
    Ok(())
}

async fn plan(state: &AppState, kind: &dyn ConfigKind, change: &Change) -> Result<Planned> {
    let spec = kind.spec();
    let current = match (&change.operation, &change.id) {
        (Operation::Create, _) => None,
        (_, Some(id)) => Some(records::load(state.db.pool(), spec, id).await?.ok_or(Error::NotFound("record"))?),
        (_, None) => return Err(Error::invalid("id", "is required")),
    };
    if let (Some(expected), Some(cur)) = (change.expected_version, &current) {
        let now = cur.get("version").and_then(Value::as_i64).unwrap_or(0);
        if now != expected {
            return Err(Error::Conflict(format!(
                "this {} was changed by someone else since version {expected} (it is at version {now}); reload and try again",
                spec.label.to_lowercase()
            )));
        }
    }
    let id = change.id.clone().unwrap_or_else(new_id);
    let before_assignments = match &current {
        Some(_) if spec.choice.is_some() => Some(records::assignments_of(state.db.pool(), spec.kind, &id).await?),
        _ => None,
    };
    let before = current.as_ref().map(|c| snapshot(spec, c, before_assignments.as_deref()));
    // Records seeded by a migration have a version but no history yet; count from their version.
    let stored_version = current.as_ref().and_then(|c| c.get("version")).and_then(Value::as_i64).unwrap_or(0);
    let last = store::last_version(&state.db, spec.kind, &id).await?;
    let (next_version, has_history) = (last.max(stored_version) + 1, last > 0);
    if change.operation == Operation::Delete {
        let blockers = kind.delete_blockers(state, &id).await?;
        return Ok(Planned { id, before, after: None, next_version, stored_version, has_history, blockers });
    }
    // Start from the current fields (update) or from nothing (create), lay the change over them.
    let mut fields: Fields = Map::new();
    for f in spec.fields {
        fields.insert(f.name.into(), current.as_ref().and_then(|cur| cur.get(f.name).cloned()).unwrap_or(Value::Null));
    }
    let mut v = Validation::new();
    for (k, val) in change.fields.clone().unwrap_or_default() {
        if spec.fields.iter().any(|f| f.name == k) {
            fields.insert(k, val);
        } else {
            v.add(k, "is not a field of this record");
        }
    }
    v.finish()?;
    let assignments = match (&change.assignments, spec.choice) {
        (Some(a), Some(_)) => {
            scope::check(a).map_err(|m| Error::invalid("assignments", m))?;
            check_scopes_exist(state, a).await?;
            Some(a.clone())
        }
        (Some(_), None) => return Err(Error::invalid("assignments", "this kind of record is not assigned by scope")),
        (None, _) => before_assignments,
    };
    // Each field's own rule first, then the kind's rules that span fields.
    let mut validation = Validation::new();
    fields::check(state, spec.fields, &mut fields, &mut validation).await?;
    match kind.validate(state, &mut fields, current.as_ref().map(|_| id.as_str())).await {
        Ok(()) => {}
        Err(Error::Invalid(list)) => list.into_iter().for_each(|f| validation.add(f.field, f.message)),
        Err(other) => return Err(other),
    }
    check_unique(state, spec, &fields, Some(&id), &mut validation).await?;
    validation.finish()?;
    let after = Some(snapshot(spec, &fields, assignments.as_deref()));
    Ok(Planned { id, before, after, next_version, stored_version, has_history, blockers: Vec::new() })
}

/// Assignments must name categories, groups and customers that exist.
async fn check_scopes_exist(state: &AppState, list: &[Assignment]) -> Result<()> {
    for a in list {
        if !store::scope_exists(&state.db, &a.scope).await? {
            return Err(Error::invalid("assignments", format!("no {} with id {}", a.scope.kind(), a.scope.id().unwrap_or(""))));
        }
    }
    Ok(())
}

async fn impact_of(state: &AppState, spec: &KindSpec, p: &Planned) -> Result<Vec<CustomerRef>> {
    let changes = diff(p.before.as_ref(), p.after.as_ref());
    let fields_changed = changes.iter().any(|c| c.field != "assignments");
    let mut out = Vec::new();
    if let Some(column) = spec.customers_by
        && p.before.is_some()
        && fields_changed
    {
        out = assignments::customers_by_column(state, column, &p.id).await?;
    }
    if let Some(choice) = spec.choice {
        let (b, a) = (assignments_in(p.before.as_ref()), assignments_in(p.after.as_ref()));
        out = assignments::affected_by_assignment(state, spec, choice, &p.id, b.as_deref(), a.as_deref(), fields_changed).await?;
    }
    // Records built from this one (routes that use a route group) change with it: their customers
    // are affected too.
    if fields_changed && p.before.is_some() {
        for (dependent_kind, column) in BUILT_FROM.iter().filter(|(from, ..)| *from == spec.kind).map(|(_, k, c)| (*k, *c)) {
            let dependent = state.kinds.get(dependent_kind)?.spec();
            let Some(choice) = dependent.choice else { continue };
            for record in records::all(&state.db, dependent, Some((column, &p.id))).await? {
                let Some(id) = record.get("id").and_then(Value::as_str) else { continue };
                let assigned = records::assignments_of(state.db.pool(), dependent.kind, id).await?;
                for c in assignments::affected_by_assignment(state, dependent, choice, id, Some(&assigned), Some(&assigned), true).await? {
                    if !out.iter().any(|o| o.id == c.id) {
                        out.push(c);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Kinds whose records are built from another kind's records: (from kind, dependent kind, the
/// dependent's column naming the record it is built from).
const BUILT_FROM: &[(&str, &str, &str)] = &[("route_group", "route", "route_group_id")];

fn title_of(kind: &dyn ConfigKind, p: &Planned) -> String {
    let snap = p.after.as_ref().or(p.before.as_ref()).and_then(Value::as_object).cloned().unwrap_or_default();
    kind.title(&snap)
}

/// What a change would do, without doing it: the diff, the customers affected, the blockers.
pub async fn preview(state: &AppState, actor: &Actor, kind_code: &str, change: &Change) -> Result<Preview> {
    let kind = state.kinds.get(kind_code)?;
    actor.require(kind.spec().read)?;
    let p = plan(state, kind.as_ref(), change).await?;
    let affected = impact_of(state, kind.spec(), &p).await?;
    Ok(Preview {
        kind: kind_code.to_string(),
        operation: change.operation,
        id: p.id.clone(),
        title: title_of(kind.as_ref(), &p),
        diff: diff(p.before.as_ref(), p.after.as_ref()),
        affected_count: affected.len(),
        affected_customers: affected.into_iter().take(200).collect(),
        switch_calls: state.kinds.dry_run(state, kind_code, &p.id, p.after.as_ref()).await?,
        blockers: p.blockers,
        next_version: p.next_version,
    })
}

/// Applies a change: the record, its assignments, a version, an audit entry and an event, in one
/// transaction. Returns the record as stored (`None` after a delete).
pub async fn apply(state: &AppState, actor: &Actor, kind_code: &str, change: &Change) -> Result<Option<Value>> {
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let id = apply_in(state, &mut work, actor, kind_code, change).await?;
    work.commit().await?;
    if change.operation == Operation::Delete {
        return Ok(None);
    }
    let kind = state.kinds.get(kind_code)?;
    Ok(Some(read(state, kind.as_ref(), &id).await?))
}

/// [`apply`] inside the caller's unit of work (which commits it); returns the record's id.
pub async fn apply_in(state: &AppState, work: &mut UnitOfWork, actor: &Actor, kind_code: &str, change: &Change) -> Result<String> {
    let kind = state.kinds.get(kind_code)?;
    actor.require(kind.spec().write)?;
    let p = plan(state, kind.as_ref(), change).await?;
    let action = match change.operation {
        Operation::Create => "create",
        Operation::Update => "update",
        Operation::Delete => "delete",
    };
    commit(state, work, kind.as_ref(), p, action, "").await
}

/// A record as the API shows it: its fields, version and audit fields, and its assignments.
async fn read(state: &AppState, kind: &dyn ConfigKind, id: &str) -> Result<Value> {
    let spec = kind.spec();
    let mut fields = records::load(state.db.pool(), spec, id).await?.ok_or(Error::NotFound("record"))?;
    if spec.choice.is_some() {
        fields.insert("assignments".into(), json!(records::assignments_of(state.db.pool(), spec.kind, id).await?));
    }
    Ok(Value::Object(fields))
}

pub async fn get(state: &AppState, actor: &Actor, kind_code: &str, id: &str) -> Result<Value> {
    let kind = state.kinds.get(kind_code)?;
    actor.require(kind.spec().read)?;
    read(state, kind.as_ref(), id).await
}

pub async fn list(state: &AppState, actor: &Actor, kind_code: &str, q: Option<&str>, filter: Option<(&str, &str)>, page: PageQuery) -> Result<Page<Value>> {
    let kind = state.kinds.get(kind_code)?;
    let spec = kind.spec();
    actor.require(spec.read)?;
    if let Some((column, _)) = filter
        && !spec.fields.iter().any(|f| f.name == column)
    {
        let known = spec.fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
        return Err(Error::invalid("filter", format!("“{column}” is not a field of this record; filter on one of: {known}")));
    }
    let (rows, total) = records::list(&state.db, spec, q, filter, page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for mut row in rows {
        if spec.choice.is_some() {
            let id = row.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            row.insert("assignments".into(), json!(records::assignments_of(state.db.pool(), spec.kind, &id).await?));
        }
        items.push(Value::Object(row));
    }
    Ok(Page::new(items, total, page))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    pub id: String,
    pub version: i64,
    /// create, update, delete or rollback.
    pub action: String,
    /// The record after this version (null when deleted).
    pub snapshot: Value,
    /// The record before this version (null when created).
    pub previous: Value,
    /// The fields this version changed.
    pub diff: Vec<FieldChange>,
    pub note: String,
    pub created_at: String,
    pub created_by: Option<String>,
}

/// The versions of a record, newest first, each with its diff.
pub async fn history(state: &AppState, actor: &Actor, kind_code: &str, id: &str, page: PageQuery) -> Result<Page<Version>> {
    let kind = state.kinds.get(kind_code)?;
    actor.require(kind.spec().read)?;
    let (rows, total) = store::versions(&state.db, kind_code, id, page).await?;
    if total == 0 {
        return Err(Error::NotFound("record"));
    }
    let items = rows
        .into_iter()
        .map(|v| {
            let snapshot = v.snapshot.map(Json::into_inner).unwrap_or(Value::Null);
            let previous = v.previous.map(Json::into_inner).unwrap_or(Value::Null);
            let diff = diff(Some(&previous), Some(&snapshot));
            Version { id: v.id, version: v.version, action: v.action, snapshot, previous, diff, note: v.note, created_at: v.created_at, created_by: v.created_by }
        })
        .collect();
    Ok(Page::new(items, total, page))
}

/// Brings a record back to how it was at `version`, as a new version (re-creating it if deleted).
pub async fn rollback(state: &AppState, actor: &Actor, kind_code: &str, id: &str, version: i64) -> Result<Value> {
    let kind = state.kinds.get(kind_code)?;
    actor.require(kind.spec().write)?;
    let Some(snapshot) = store::snapshot_at(&state.db, kind_code, id, version).await? else { return Err(Error::NotFound("version")) };
    let Some(Value::Object(mut target)) = snapshot else {
        return Err(Error::invalid("version", "the record did not exist at that version; pick another"));
    };
    let assignments = target.remove("assignments").and_then(|a| serde_json::from_value(a).ok());
    let exists = records::load(state.db.pool(), kind.spec(), id).await?.is_some();
    let change = Change {
        operation: if exists { Operation::Update } else { Operation::Create },
        id: Some(id.to_string()),
        fields: Some(target),
        assignments,
        expected_version: None,
    };
    let mut p = plan(state, kind.as_ref(), &change).await?;
    p.id = id.to_string();
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    commit(state, &mut work, kind.as_ref(), p, "rollback", &format!("rolled back to version {version}")).await?;
    work.commit().await?;
    read(state, kind.as_ref(), id).await
}

/// Writes a planned change in `work`'s transaction: the record, its assignments, its version, one
/// audit entry and one event, and whatever subscribers (the switch sync) queue for it. The caller
/// commits `work`, so other writes (a draft marked pushed) can join the same transaction.
async fn commit(state: &AppState, work: &mut UnitOfWork, kind: &dyn ConfigKind, p: Planned, action: &str, note: &str) -> Result<String> {
    let spec = kind.spec();
    if !p.blockers.is_empty() {
        return Err(Error::Conflict(format!("cannot delete this {}: {}", spec.label.to_lowercase(), p.blockers.join("; "))));
    }
    if p.before == p.after {
        return Ok(p.id);
    }
    let now = time::to_db(time::now());
    // The calls subscribers (the switch push) will make, worked out before writing (shown while
    // they wait).
    let planned = state.kinds.dry_run(state, spec.kind, &p.id, p.after.as_ref()).await?.unwrap_or_default();
    let actor = work.actor().id.clone();
    let tx = work.tx();
    if p.before.is_some() && !p.has_history {
        // The first change of a seeded record: keep its initial state as the version it had, so
        // it can be rolled back to.
        let initial = NewVersion { kind: spec.kind, id: &p.id, version: p.next_version - 1, action: "create", snapshot: p.before.as_ref(), previous: None, note: "initial state", now: &now, actor: "system" };
        store::insert_version(tx, initial).await?;
    }
    match (&p.before, &p.after) {
        (_, Some(after)) => {
            let fields = after.as_object().cloned().unwrap_or_default();
            if p.before.is_some() {
                records::update(tx, spec, &p.id, &fields, p.stored_version, p.next_version, &actor, &now).await?;
            } else {
                records::insert(tx, spec, &p.id, &fields, p.next_version, &actor, &now).await?;
            }
            if spec.choice.is_some() {
                let list = assignments_in(Some(after)).unwrap_or_default();
                records::replace_assignments(tx, spec.kind, &p.id, &list, &actor, &now).await?;
            }
        }
        (Some(_), None) => {
            records::delete_assignments(tx, spec.kind, &p.id).await?;
            records::delete(tx, spec, &p.id, p.stored_version).await?;
        }
        (None, None) => return Ok(p.id),
    }
    kind.written(work.tx(), &p.id, p.after.as_ref().and_then(Value::as_object)).await?;
    let version = NewVersion { kind: spec.kind, id: &p.id, version: p.next_version, action, snapshot: p.after.as_ref(), previous: p.before.as_ref(), note, now: &now, actor: &actor };
    store::insert_version(work.tx(), version).await?;
    let entry = Entry {
        action: &format!("{}.{action}", spec.kind),
        target_kind: spec.kind,
        target_id: Some(&p.id),
        old: p.before.clone(),
        new: p.after.clone(),
    };
    work.audit(entry).await?;
    let event = match (&p.before, &p.after) {
        (None, _) => "created",
        (_, None) => "deleted",
        _ => "updated",
    };
    work.emit(&format!("{}.{event}", spec.kind), None, Some(&p.id), &json!({"id": p.id, "version": p.next_version, "action": action})).await?;
    // Subscribers (the switch sync) queue their work in the same transaction: the change and what
    // it sets in motion stand or fall together.
    let changed = Changed { kind: spec.kind, id: &p.id, version: p.next_version, after: p.after.as_ref() };
    for subscriber in state.kinds.subscribers() {
        subscriber.on_change(work.tx(), changed, &actor, &planned).await?;
    }
    Ok(p.id)
}
