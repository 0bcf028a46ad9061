//! What else a configuration change sets in motion. The change engine knows nothing of the
//! softswitch or of any other system kept in step with configuration: those register a
//! [`ChangeSubscriber`] in the composition root (`app.rs`). A subscriber is asked for a dry run in
//! every preview, and is told of each change inside the change's own transaction, so the work it
//! queues (a switch push) stands or falls with the change.

use async_trait::async_trait;
use didtron_core::Result;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::state::AppState;

/// One call a subscriber makes to an outside system (or, in a dry run, would make).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PlannedCall {
    /// create, update or delete.
    pub action: String,
    /// The outside object kind (for the switch: carrier, carrier_ip, route, rate_card, server…).
    pub object: String,
    pub local_key: String,
    pub method: String,
    pub path: String,
    #[schema(value_type = Option<Object>)]
    pub body: Option<Value>,
}

/// A change as subscribers see it: which record, the version it creates, and the record after it
/// (`None` when deleted).
#[derive(Debug, Clone, Copy)]
pub struct Changed<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub version: i64,
    pub after: Option<&'a Value>,
}

#[async_trait]
pub trait ChangeSubscriber: Send + Sync + 'static {
    /// The calls this change would make, without making them; `None` when the subscriber does not
    /// keep this kind of record.
    async fn dry_run(&self, state: &AppState, kind: &str, id: &str, after: Option<&Value>) -> Result<Option<Vec<PlannedCall>>>;

    /// Called inside the change's transaction with the dry run made just before it.
    async fn on_change(&self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, change: Changed<'_>, actor: &str, planned: &[PlannedCall]) -> Result<()>;
}
