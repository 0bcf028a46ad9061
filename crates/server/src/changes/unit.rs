//! One audited write. Every write goes through a [`UnitOfWork`]: a transaction that knows who is
//! acting. The audit entries and domain events it records are rows in the same transaction as the
//! change they describe, so they are committed with it or not at all — a change that fails after
//! its `.audit(…)` leaves neither an audit row nor an event behind.
//!
//! ```ignore
//! let mut work = UnitOfWork::begin(&state.db, &actor).await?;
//! store::rename(work.tx(), id, name).await?;
//! work.audit(Entry { action: "customer.rename", … }).await?;
//! work.emit("customer.renamed", Some(tenant), Some(id), &json!({…})).await?;
//! work.commit().await?;
//! ```

use didtron_core::Result;
use didtron_db::Db;
use serde_json::Value;

use super::audit::{self, AuditActor, Entry};
use crate::jobs::events;

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A transaction and the actor on whose behalf it writes.
pub struct UnitOfWork {
    tx: Tx,
    actor: AuditActor,
}

impl UnitOfWork {
    /// Starts a write for `actor` (an [`crate::http::caller::Actor`], an [`AuditActor`], or a
    /// reference to either).
    pub async fn begin(db: &Db, actor: impl Into<AuditActor>) -> Result<UnitOfWork> {
        let tx = db.pool().begin().await.map_err(didtron_db::Error::from)?;
        Ok(UnitOfWork { tx, actor: actor.into() })
    }

    /// The transaction, for the domain's store functions.
    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// The connection of the transaction, for queries written with `&mut *conn`.
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    pub fn actor(&self) -> &AuditActor {
        &self.actor
    }

    /// Records an audit entry in this transaction.
    pub async fn audit(&mut self, entry: Entry<'_>) -> Result<()> {
        audit::record(&mut *self.tx, &self.actor, entry).await
    }

    /// Records a domain event (`customer.moved`) in this transaction; the worker dispatches it to
    /// its subscribers after the commit.
    pub async fn emit(&mut self, kind: &str, tenant_id: Option<&str>, subject_id: Option<&str>, payload: &Value) -> Result<()> {
        events::emit(&mut *self.tx, kind, tenant_id, subject_id, payload).await
    }

    /// Makes the change, its audit entries and its events permanent together.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await.map_err(didtron_db::Error::from)?;
        Ok(())
    }
}
