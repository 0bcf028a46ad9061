//! Reconciliation: compares what DIDtron's records say the switch should hold with what the switch
//! holds, and lists the drift. It changes nothing; an admin pushes a record again to repair it.

use std::collections::{HashMap, HashSet};

use didtron_adapters::switch::{Journal, Object};
use didtron_core::{Result, id::new_id, time};
use serde_json::{Value, json};

use super::{mapping, notify, store};
use crate::jobs::JobError;
use crate::state::AppState;

pub use super::store::Drift;

/// Scalars compared by their text, so 5060 and "5060" agree (APIs differ in how they echo numbers).
fn same(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match (a, b) {
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => a == b,
        _ => text(a) == text(b),
    }
}

/// Runs a reconciliation and stores its report. Records found drifting get the sync status
/// `drift` (so they no longer count as in step), records found in step again lose it, and the
/// admins are told of records newly drifting.
pub async fn run(state: &AppState) -> Result<String> {
    let report_id = new_id();
    store::start_reconciliation(&state.db, &report_id, &time::to_db(time::now())).await?;
    let mut journal = Journal::new();
    let outcome = compare(state, &mut journal).await;
    super::sync::save_journal(state, None, "reconcile", &journal).await?;
    let now = time::to_db(time::now());
    match outcome {
        Ok(found) => {
            store::reconciliation_done(&state.db, &report_id, found.checked as i64, &found.drift, &now).await?;
            mark_statuses(state, &found).await?;
        }
        Err(message) => store::reconciliation_failed(&state.db, &report_id, &message, &now).await?,
    }
    Ok(report_id)
}

/// What differs, as one line a person reads.
fn summary(d: &Drift) -> String {
    let what = match d.problem.as_str() {
        "not_pushed" => "not on the switch yet".to_string(),
        "missing_on_switch" => "missing on the switch".to_string(),
        "left_behind" => "an object it no longer wants is still on the switch".to_string(),
        "different" => {
            let fields: Vec<&str> = d.fields.iter().filter_map(|f| f.get("field").and_then(Value::as_str)).collect();
            format!("the switch holds other values for {}", fields.join(", "))
        }
        other => other.replace('_', " "),
    };
    format!("{} {}: {what}", d.object, d.local_key.as_deref().unwrap_or(""))
}

/// Gives drifting records the status `drift`, and takes it from those in step again.
async fn mark_statuses(state: &AppState, found: &Found) -> Result<()> {
    let now = time::to_db(time::now());
    let mut drifting: Vec<((String, String), Vec<String>)> = Vec::new();
    for d in &found.drift {
        let (Some(kind), Some(id)) = (&d.record_kind, &d.record_id) else { continue };
        let key = (kind.clone(), id.clone());
        match drifting.iter_mut().find(|(k, _)| *k == key) {
            Some((_, lines)) => lines.push(summary(d)),
            None => drifting.push((key, vec![summary(d)])),
        }
    }
    let mut before: HashMap<(String, String), String> = HashMap::new();
    for kind in mapping::SYNCED {
        for s in store::statuses(&state.db, kind).await? {
            before.insert((s.record_kind, s.record_id), s.status);
        }
    }
    let mut newly = Vec::new();
    for ((kind, id), lines) in &drifting {
        let version = found.versions.get(&(kind.clone(), id.clone())).copied().unwrap_or(0);
        let text = lines.join("; ");
        let marked = store::mark_drift(&state.db, kind, id, version, &text, &now).await?;
        if marked && before.get(&(kind.clone(), id.clone())).map(String::as_str) != Some("drift") {
            newly.push((kind.clone(), id.clone(), text));
        }
    }
    let still: HashSet<&(String, String)> = drifting.iter().map(|(k, _)| k).collect();
    for (key, status) in &before {
        if status == "drift" && !still.contains(key) {
            store::clear_drift(&state.db, &key.0, &key.1, &now).await?;
        }
    }
    if !newly.is_empty() {
        notify::drift_found(state, &newly).await;
    }
    Ok(())
}

/// What a comparison found.
struct Found {
    checked: usize,
    drift: Vec<Drift>,
    /// The version of each record compared.
    versions: HashMap<(String, String), i64>,
}

/// What differs between the records and the switch, or the switch's error.
async fn compare(state: &AppState, journal: &mut Journal) -> std::result::Result<Found, String> {
    let sw = state.switch.clone();
    let mut drift = Vec::new();
    let mut checked = 0;
    // What the switch holds, per (object, parent id).
    let mut remote: HashMap<(Object, Option<String>), HashMap<String, Value>> = HashMap::new();
    // Every object DIDtron made.
    let mapped = store::all_objects(&state.db).await.map_err(|e| e.to_string())?;
    let by_key: HashMap<(String, String), String> = mapped.iter().map(|m| ((m.object.clone(), m.local_key.clone()), m.remote_id.clone())).collect();
    let mut versions = HashMap::new();
    for top in [Object::Carrier, Object::Server, Object::Route, Object::RateCard] {
        let list = sw.list(top, None, journal).await.map_err(|e| e.to_string())?;
        remote.insert((top, None), list.into_iter().collect());
    }
    let groups = super::sync::stored_groups(state).await.map_err(|e| e.to_string())?;
    let mut wanted: Vec<(String, String, mapping::Desired)> = Vec::new();
    for kind in mapping::SYNCED {
        let spec = state.kinds.get(kind).map_err(|e| e.to_string())?.spec();
        let records = crate::changes::records::all(&state.db, spec, None).await.map_err(|e| e.to_string())?;
        for r in records {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            versions.insert((kind.to_string(), id.clone()), r.get("version").and_then(Value::as_i64).unwrap_or(0));
            for d in mapping::desired(kind, &id, &Value::Object(r.clone()), &|g| groups.get(g).cloned().unwrap_or_default()) {
                wanted.push((kind.to_string(), id.clone(), d));
            }
        }
    }
    for (kind, id, d) in &wanted {
        checked += 1;
        let Some(remote_id) = by_key.get(&(d.object.code().to_string(), d.local_key.clone())) else {
            drift.push(Drift { object: d.object.code().into(), record_kind: Some(kind.clone()), record_id: Some(id.clone()), local_key: Some(d.local_key.clone()), remote_id: None, problem: "not_pushed".into(), fields: vec![] });
            continue;
        };
        let parent = match &d.parent {
            Some((o, k)) => by_key.get(&(o.code().to_string(), k.clone())).cloned(),
            None => None,
        };
        let slot = (d.object, parent.clone());
        if !remote.contains_key(&slot) {
            let list = sw.list(d.object, parent.as_deref(), journal).await.map_err(|e| e.to_string())?;
            remote.insert(slot.clone(), list.into_iter().collect());
        }
        let Some(actual) = remote.get_mut(&slot).and_then(|m| m.remove(remote_id)) else {
            drift.push(Drift {
                object: d.object.code().into(),
                record_kind: Some(kind.clone()),
                record_id: Some(id.clone()),
                local_key: Some(d.local_key.clone()),
                remote_id: Some(remote_id.clone()),
                problem: "missing_on_switch".into(),
                fields: vec![],
            });
            continue;
        };
        let mut expected = d.body.clone();
        for link in &d.links {
            expected[link.field] = by_key.get(&(link.object.code().to_string(), link.local_key.clone())).map(|r| Value::String(r.clone())).unwrap_or(Value::Null);
        }
        let fields: Vec<Value> = expected
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, v)| !same(v, actual.get(k.as_str()).unwrap_or(&Value::Null)))
            .map(|(k, v)| json!({"field": k, "expected": v, "actual": actual.get(k.as_str()).cloned().unwrap_or(Value::Null)}))
            .collect();
        if !fields.is_empty() {
            drift.push(Drift { object: d.object.code().into(), record_kind: Some(kind.clone()), record_id: Some(id.clone()), local_key: Some(d.local_key.clone()), remote_id: Some(remote_id.clone()), problem: "different".into(), fields });
        }
    }
    // Objects DIDtron made whose record no longer wants them.
    for m in &mapped {
        if !wanted.iter().any(|(_, _, d)| d.object.code() == m.object && d.local_key == m.local_key) {
            drift.push(Drift {
                object: m.object.clone(),
                record_kind: Some(m.owner_kind.clone()),
                record_id: Some(m.owner_id.clone()),
                local_key: Some(m.local_key.clone()),
                remote_id: Some(m.remote_id.clone()),
                problem: "left_behind".into(),
                fields: vec![],
            });
        }
    }
    // Top-level objects on the switch that DIDtron did not make.
    let known: HashSet<&String> = mapped.iter().map(|m| &m.remote_id).collect();
    for top in [Object::Carrier, Object::Server, Object::Route, Object::RateCard] {
        if let Some(left) = remote.get(&(top, None)) {
            let mut ids: Vec<&String> = left.keys().filter(|id| !known.contains(id)).collect();
            ids.sort();
            for id in ids {
                drift.push(Drift { object: top.code().into(), record_kind: None, record_id: None, local_key: None, remote_id: Some(id.clone()), problem: "not_managed".into(), fields: vec![] });
            }
        }
    }
    Ok(Found { checked, drift, versions })
}

/// Job `switch.reconcile`.
pub async fn reconcile_job(state: AppState, _payload: Value) -> std::result::Result<(), JobError> {
    run(&state).await?;
    Ok(())
}
