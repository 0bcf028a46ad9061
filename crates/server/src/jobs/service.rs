//! The jobs screen's rules: who may see and steer background work, and the audited retry and
//! cancel of one job.

use didtron_core::access::Permission;
use didtron_core::{Error, Result, time};
use serde_json::json;

use super::store::{self, JobRow, ScheduleRow};
use crate::changes::audit::Entry;
use crate::changes::unit::UnitOfWork;
use crate::http::caller::Actor;
use crate::http::{Page, PageQuery};
use crate::state::AppState;

pub async fn list(state: &AppState, actor: &Actor, status: Option<&str>, kind: Option<&str>, page: PageQuery) -> Result<Page<JobRow>> {
    actor.require(Permission::SystemManage)?;
    let (items, total) = store::jobs(&state.db, status, kind, page.limit(), page.offset()).await?;
    Ok(Page::new(items, total, page))
}

pub async fn counts(state: &AppState, actor: &Actor) -> Result<Vec<(String, i64)>> {
    actor.require(Permission::SystemManage)?;
    Ok(store::job_counts(&state.db).await?)
}

pub async fn schedules(state: &AppState, actor: &Actor) -> Result<Vec<ScheduleRow>> {
    actor.require(Permission::SystemManage)?;
    Ok(store::schedules(&state.db).await?)
}

/// What a person may do to a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    /// Run a dead, cancelled or succeeded job again, with fresh attempts.
    Retry,
    /// Cancel a queued job.
    Cancel,
}

impl Transition {
    fn from(self) -> &'static [&'static str] {
        match self {
            Transition::Retry => &["dead", "cancelled", "succeeded"],
            Transition::Cancel => &["queued"],
        }
    }

    fn done(self) -> &'static str {
        match self {
            Transition::Retry => "retried",
            Transition::Cancel => "cancelled",
        }
    }
}

/// Retries or cancels job `id`, with its audit entry in the same transaction.
pub async fn transition(state: &AppState, actor: &Actor, id: &str, t: Transition) -> Result<()> {
    actor.require(Permission::SystemManage)?;
    let status = store::job_status(&state.db, id).await?.ok_or(Error::NotFound("job"))?;
    if !t.from().contains(&status.as_str()) {
        return Err(Error::Conflict(format!("a {status} job cannot be {}", t.done())));
    }
    let now = time::to_db(time::now());
    let mut work = UnitOfWork::begin(&state.db, actor).await?;
    let changed = match t {
        Transition::Retry => store::requeue_job(work.tx(), id, &status, &now).await?,
        Transition::Cancel => store::cancel_job(work.tx(), id, &status, &now).await?,
    };
    if !changed {
        return Err(Error::Conflict("the job changed meanwhile; reload".into()));
    }
    let action = format!("job.{}", t.done());
    work.audit(Entry { action: &action, target_kind: "job", target_id: Some(id), old: Some(json!({"status": status})), new: None }).await?;
    work.commit().await
}
