//! Reconciliation: compares what DIDtron's records say the switch should hold with what the switch
//! holds, and lists the drift. It changes nothing; an admin pushes a record again to repair it.

use std::collections::HashMap;

use didtron_adapters::switch::{Journal, Object};
use didtron_core::{Error, Result, id::new_id, time};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::mapping;
use crate::state::AppState;
use crate::jobs::JobError;

#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema, PartialEq)]
pub struct Drift {
    pub object: String,
    /// The DIDtron record that owns the object (absent for objects DIDtron did not make).
    pub record_kind: Option<String>,
    pub record_id: Option<String>,
    pub local_key: Option<String>,
    pub remote_id: Option<String>,
    /// not_pushed, missing_on_switch, different, left_behind or not_managed.
    pub problem: String,
    /// For `different`: the fields whose values differ, as {field, expected, actual}.
    #[schema(value_type = Vec<Object>)]
    pub fields: Vec<Value>,
}

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

/// Runs a reconciliation and stores its report.
pub async fn run(state: &AppState) -> Result<String> {
    let started = time::to_db(time::now());
    let report_id = new_id();
    sqlx::query("INSERT INTO switch_reconciliations (id, status, created_at, created_by, updated_at, updated_by) VALUES ($1, 'running', $2, 'system', $2, 'system')")
        .bind(&report_id)
        .bind(&started)
        .execute(state.db.pool())
        .await
        .map_err(Error::internal)?;
    let mut journal = Journal::new();
    let outcome = compare(state, &mut journal).await;
    super::sync::save_journal(state, None, "reconcile", &journal).await?;
    let now = time::to_db(time::now());
    match outcome {
        Ok((checked, drift)) => {
            sqlx::query("UPDATE switch_reconciliations SET status = 'done', checked = $1, drift_count = $2, drift = $3, updated_at = $4 WHERE id = $5")
                .bind(checked as i64)
                .bind(drift.len() as i64)
                .bind(serde_json::to_string(&drift).map_err(Error::internal)?)
                .bind(&now)
                .bind(&report_id)
                .execute(state.db.pool())
                .await
                .map_err(Error::internal)?;
        }
        Err(message) => {
            sqlx::query("UPDATE switch_reconciliations SET status = 'failed', error = $1, updated_at = $2 WHERE id = $3")
                .bind(&message)
                .bind(&now)
                .bind(&report_id)
                .execute(state.db.pool())
                .await
                .map_err(Error::internal)?;
        }
    }
    Ok(report_id)
}

/// (objects checked, drift), or the switch's error.
async fn compare(state: &AppState, journal: &mut Journal) -> std::result::Result<(usize, Vec<Drift>), String> {
    let sw = state.switch.clone();
    let mut drift = Vec::new();
    let mut checked = 0;
    // What the switch holds, per (object, parent id).
    let mut remote: HashMap<(Object, Option<String>), HashMap<String, Value>> = HashMap::new();
    // (owner kind, owner id, object, local key, remote id) of every object DIDtron made.
    let mapped: Vec<(String, String, String, String, String)> =
        sqlx::query_as("SELECT owner_kind, owner_id, object, local_key, remote_id FROM switch_objects ORDER BY owner_kind, owner_id, created_at")
            .fetch_all(state.db.pool())
            .await
            .map_err(|e| e.to_string())?;
    let by_key: HashMap<(String, String), String> = mapped.iter().map(|m| ((m.2.clone(), m.3.clone()), m.4.clone())).collect();
    for top in [Object::Carrier, Object::Server, Object::Route, Object::RateCard] {
        let list = sw.list(top, None, journal).await.map_err(|e| e.to_string())?;
        remote.insert((top, None), list.into_iter().collect());
    }
    let groups = super::sync::groups(state).await.map_err(|e| e.to_string())?;
    let mut wanted: Vec<(String, String, mapping::Desired)> = Vec::new();
    for kind in mapping::SYNCED {
        let spec = state.kinds.get(kind).map_err(|e| e.to_string())?.spec();
        let records = crate::changes::records::all(&state.db, spec, None).await.map_err(|e| e.to_string())?;
        for r in records {
            let id = r.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
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
        if !wanted.iter().any(|(_, _, d)| d.object.code() == m.2 && d.local_key == m.3) {
            drift.push(Drift { object: m.2.clone(), record_kind: Some(m.0.clone()), record_id: Some(m.1.clone()), local_key: Some(m.3.clone()), remote_id: Some(m.4.clone()), problem: "left_behind".into(), fields: vec![] });
        }
    }
    // Top-level objects on the switch that DIDtron did not make.
    let known: std::collections::HashSet<&String> = mapped.iter().map(|m| &m.4).collect();
    for top in [Object::Carrier, Object::Server, Object::Route, Object::RateCard] {
        if let Some(left) = remote.get(&(top, None)) {
            let mut ids: Vec<&String> = left.keys().filter(|id| !known.contains(id)).collect();
            ids.sort();
            for id in ids {
                drift.push(Drift { object: top.code().into(), record_kind: None, record_id: None, local_key: None, remote_id: Some(id.clone()), problem: "not_managed".into(), fields: vec![] });
            }
        }
    }
    Ok((checked, drift))
}

/// Job `switch.reconcile`.
pub async fn reconcile_job(state: AppState, _payload: Value) -> std::result::Result<(), JobError> {
    run(&state).await?;
    Ok(())
}
