//! The embedded switch (driver `local`): the objects a softswitch would hold, kept in DIDtron's own
//! database (`switch_local`), so pushes, status, reconciliation and the dashboard all work with no
//! ConnexCS account. It carries no calls, so CDRs and live calls are empty and balances are whatever
//! was set on the customer object.
//!
//! Each operation is journalled as the equivalent ConnexCS call would be, so the operations log
//! reads the same with either driver.

use std::time::Instant;

use async_trait::async_trait;
use didtron_adapters::switch::{CdrQuery, Exchange, FailureKind, Journal, Object, Switch, SwitchError};
use didtron_core::{id::new_id, time};
use serde_json::{Value, json};

use super::store;

pub struct LocalSwitch {
    db: didtron_db::Db,
}

impl LocalSwitch {
    pub fn new(db: didtron_db::Db) -> LocalSwitch {
        LocalSwitch { db }
    }
}

fn failed(e: impl std::fmt::Display) -> SwitchError {
    SwitchError::new(FailureKind::Unavailable, None, format!("local switch: {e}"))
}

fn log(journal: &mut Journal, method: &str, path: String, request: Option<&Value>, status: u16, response: Option<Value>, started: Instant) {
    let error = (status >= 400).then(|| response.as_ref().and_then(|r| r.get("message")).and_then(Value::as_str).unwrap_or("refused").to_string());
    journal.push(Exchange {
        method: method.into(),
        path,
        request: request.cloned(),
        status: Some(status),
        response,
        millis: started.elapsed().as_millis() as u64,
        attempt: 1,
        error,
    });
}

#[async_trait]
impl Switch for LocalSwitch {
    fn driver(&self) -> &'static str {
        "local"
    }

    async fn account(&self, journal: &mut Journal) -> Result<String, SwitchError> {
        let started = Instant::now();
        let n = store::local_count(&self.db).await.map_err(failed)?;
        let name = format!("DIDtron local switch ({n} objects)");
        log(journal, "GET", "setup/account".into(), None, 200, Some(json!({"name": name})), started);
        Ok(name)
    }

    async fn find(&self, object: Object, parent: Option<&str>, value: &str, journal: &mut Journal) -> Result<Option<String>, SwitchError> {
        let started = Instant::now();
        let key = object.natural_key();
        let found = self.list_quiet(object, parent).await?.into_iter().find(|(_, b)| b.get(key).and_then(Value::as_str) == Some(value)).map(|(id, _)| id);
        log(journal, "GET", format!("{}?{key}={value}", object.path(parent)), None, 200, Some(json!(found.iter().collect::<Vec<_>>())), started);
        Ok(found)
    }

    async fn create(&self, object: Object, parent: Option<&str>, body: &Value, journal: &mut Journal) -> Result<String, SwitchError> {
        let started = Instant::now();
        let id = new_id();
        store::local_insert(&self.db, &id, object.code(), parent, body, &time::to_db(time::now())).await.map_err(failed)?;
        log(journal, "POST", object.path(parent), Some(body), 201, Some(json!({"id": id})), started);
        Ok(id)
    }

    async fn update(&self, object: Object, parent: Option<&str>, id: &str, body: &Value, journal: &mut Journal) -> Result<(), SwitchError> {
        let started = Instant::now();
        let found = store::local_update(&self.db, id, object.code(), body, &time::to_db(time::now())).await.map_err(failed)?;
        let path = format!("{}/{id}", object.path(parent));
        if !found {
            log(journal, "PUT", path, Some(body), 404, Some(json!({"message": "not found"})), started);
            return Err(SwitchError::new(FailureKind::Rejected, Some(404), format!("the switch has no {} {id}", object.code())));
        }
        log(journal, "PUT", path, Some(body), 200, Some(json!({"id": id})), started);
        Ok(())
    }

    async fn delete(&self, object: Object, parent: Option<&str>, id: &str, journal: &mut Journal) -> Result<(), SwitchError> {
        let started = Instant::now();
        store::local_delete(&self.db, id, object.code()).await.map_err(failed)?;
        log(journal, "DELETE", format!("{}/{id}", object.path(parent)), None, 200, None, started);
        Ok(())
    }

    async fn list(&self, object: Object, parent: Option<&str>, journal: &mut Journal) -> Result<Vec<(String, Value)>, SwitchError> {
        let started = Instant::now();
        let all = self.list_quiet(object, parent).await?;
        log(journal, "GET", object.path(parent), None, 200, Some(json!({"count": all.len()})), started);
        Ok(all)
    }

    async fn balance(&self, customer: &str, journal: &mut Journal) -> Result<Value, SwitchError> {
        let started = Instant::now();
        let found = store::local_body(&self.db, customer, Object::Customer.code()).await.map_err(failed)?;
        let body: Value = found.ok_or_else(|| SwitchError::new(FailureKind::Rejected, Some(404), "no such customer on the switch"))?;
        let balance = json!({"balance": body.get("balance").cloned().unwrap_or(json!(0)), "credit_limit": body.get("credit_limit").cloned().unwrap_or(json!(0))});
        log(journal, "GET", format!("customer/{customer}/balance"), None, 200, Some(balance.clone()), started);
        Ok(balance)
    }

    async fn cdrs(&self, query: &CdrQuery, journal: &mut Journal) -> Result<Vec<Value>, SwitchError> {
        let started = Instant::now();
        let sql = didtron_adapters::switch::connexcs::cdr_sql(query)?;
        // The embedded switch carries no calls.
        log(journal, "POST", "cdr".into(), Some(&json!({"sql": sql})), 200, Some(json!([])), started);
        Ok(Vec::new())
    }

    async fn live_calls(&self, journal: &mut Journal) -> Result<Vec<Value>, SwitchError> {
        let started = Instant::now();
        log(journal, "GET", "switch/active".into(), None, 200, Some(json!([])), started);
        Ok(Vec::new())
    }
}

impl LocalSwitch {
    async fn list_quiet(&self, object: Object, parent: Option<&str>) -> Result<Vec<(String, Value)>, SwitchError> {
        let rows = store::local_list(&self.db, object.code(), parent).await.map_err(failed)?;
        Ok(rows.into_iter().map(|(id, b)| (id, b.into_inner())).collect())
    }
}
