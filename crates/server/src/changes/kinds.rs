//! What a kind of configuration record is: its table, columns, rules, who may read and change it,
//! and how it is assigned. A new kind is one [`KindSpec`], one [`ConfigKind`] impl and a migration;
//! versions, drafts, preview, impact, push, rollback and audit come from the shared machinery.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use didtron_core::{Error, Result};
use didtron_core::access::Permission;
use didtron_core::scope::Choice;
use serde_json::{Map, Value};

use super::subscribers::{ChangeSubscriber, PlannedCall};
use crate::state::AppState;

/// The type of a column, which decides how it is read and written on both databases.
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
    /// A small JSON list or object kept in a text column (for example a list of host names).
    Json,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
}

pub const fn col(name: &'static str, ty: ColType) -> Column {
    Column { name, ty }
}

#[derive(Debug)]
pub struct KindSpec {
    /// Stable code used in URLs, assignments, versions and audit (e.g. `pop`).
    pub kind: &'static str,
    pub label: &'static str,
    pub table: &'static str,
    /// The editable columns; `id`, `version` and the audit fields are handled by the machinery.
    pub columns: &'static [Column],
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

    /// Checks and normalises the fields of a record about to be saved (`id` is `None` when new).
    /// The map holds every column; report every problem at once through `Error::Invalid`.
    async fn validate(&self, state: &AppState, fields: &mut Map<String, Value>, id: Option<&str>) -> Result<()>;

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

