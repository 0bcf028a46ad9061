//! What a kind of configuration record is: its table, its fields with their rules, who may read
//! and change it, and how it is assigned. A new kind is one [`KindSpec`], one [`ConfigKind`] impl,
//! a migration and one line in `app.rs`; storage, validation, the OpenAPI schema, the description
//! the web forms read, versions, drafts, preview, impact, push, rollback and audit come from the
//! shared machinery.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use didtron_core::{Error, Result};
use didtron_core::access::Permission;
use didtron_core::scope::Choice;
use serde_json::{Map, Value};

use super::fields::{Field, Rule};
use super::subscribers::{ChangeSubscriber, PlannedCall};
use super::unit::Tx;
use crate::state::AppState;

/// How a column is read and written on both databases; it follows from the field's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    /// Text that may be NULL.
    OptText,
    Int,
    /// Integer that may be NULL.
    OptInt,
    /// Yes/no, stored 0/1.
    Flag,
    /// A small JSON list kept in a text column (a list of host names, a card's overrides).
    Json,
}

impl Field {
    /// The column the field is stored in; `None` for rows kept in a child table of their own.
    pub fn column_type(&self) -> Option<ColType> {
        Some(match self.rule {
            Rule::Text { .. } | Rule::OneOf(_) => ColType::Text,
            Rule::Int { nullable: true, .. } => ColType::OptInt,
            Rule::Int { .. } => ColType::Int,
            Rule::Flag => ColType::Flag,
            Rule::Reference(_) if self.required => ColType::Text,
            Rule::Reference(_) => ColType::OptText,
            Rule::List { .. } => ColType::Json,
            Rule::Rows(rows) if rows.table.is_some() => return None,
            Rule::Rows(_) => ColType::Json,
        })
    }
}

#[derive(Debug)]
pub struct KindSpec {
    /// Stable code used in URLs, assignments, versions and audit (e.g. `pop`).
    pub kind: &'static str,
    pub label: &'static str,
    pub table: &'static str,
    /// The editable fields, each with its rule, in the order forms show them and problems are
    /// reported; `id`, `version` and the audit fields are handled by the machinery.
    pub fields: &'static [Field],
    /// Columns matched by the list's `q` search.
    pub search: &'static [&'static str],
    pub order_by: &'static str,
    /// Columns whose value must be unique (case-insensitively) across the table.
    pub unique: &'static [&'static str],
    /// How the kind resolves per customer, when it is assigned by scope.
    pub choice: Option<Choice>,
    /// When set, changing a record of this kind affects the customers whose tenant row has this
    /// column equal to the record's id (categories: `category_id`).
    pub customers_by: Option<&'static str>,
    pub read: Permission,
    pub write: Permission,
}

#[async_trait]
pub trait ConfigKind: Send + Sync + 'static {
    fn spec(&self) -> &'static KindSpec;

    /// The rules that span fields, checked after every field passed its own rule (`id` is `None`
    /// when new). The map holds every field, normalised; report every problem at once through
    /// `Error::Invalid`. Most kinds have none.
    async fn validate(&self, _state: &AppState, _fields: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        Ok(())
    }

    /// Called in the change's transaction after the record was written (`after` is `None` when it
    /// was deleted), for data a kind keeps beside its own columns.
    async fn written(&self, _tx: &mut Tx, _id: &str, _after: Option<&Map<String, Value>>) -> Result<()> {
        Ok(())
    }

    /// Reasons a delete must be refused (records that still depend on this one).
    async fn delete_blockers(&self, _state: &AppState, _id: &str) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// The name people know the record by.
    fn title(&self, fields: &Map<String, Value>) -> String {
        fields.get("name").and_then(Value::as_str).unwrap_or("(unnamed)").to_string()
    }
}

/// The kinds of configuration record DIDtron knows,
/// and what subscribes to their changes.
#[derive(Clone, Default)]
pub struct Kinds {
    kinds: HashMap<&'static str, Arc<dyn ConfigKind>>,
    subscribers: Vec<Arc<dyn ChangeSubscriber>>,
}

impl Kinds {
    pub fn register(&mut self, kind: impl ConfigKind) {
        self.kinds.insert(kind.spec().kind, Arc::new(kind));
    }

    /// Registers something kept in step with every configuration change (the switch sync).
    pub fn subscribe(&mut self, subscriber: impl ChangeSubscriber) {
        self.subscribers.push(Arc::new(subscriber));
    }

    pub fn get(&self, kind: &str) -> Result<Arc<dyn ConfigKind>> {
        self.kinds.get(kind).cloned().ok_or(Error::NotFound("kind of record"))
    }

    pub fn all(&self) -> Vec<Arc<dyn ConfigKind>> {
        let mut v: Vec<_> = self.kinds.values().cloned().collect();
        v.sort_by_key(|k| k.spec().kind);
        v
    }

    /// Every kind's spec, by kind code.
    pub fn specs(&self) -> Vec<&'static KindSpec> {
        self.all().iter().map(|k| k.spec()).collect()
    }

    pub fn subscribers(&self) -> &[Arc<dyn ChangeSubscriber>] {
        &self.subscribers
    }

    /// Every subscriber's dry run of a change, together; `None` when none keeps this kind.
    pub async fn dry_run(&self, state: &AppState, kind: &str, id: &str, after: Option<&Value>) -> Result<Option<Vec<PlannedCall>>> {
        let mut out: Option<Vec<PlannedCall>> = None;
        for s in &self.subscribers {
            if let Some(calls) = s.dry_run(state, kind, id, after).await? {
                out.get_or_insert_with(Vec::new).extend(calls);
            }
        }
        Ok(out)
    }
}

