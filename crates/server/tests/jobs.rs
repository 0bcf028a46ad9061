//! The job queue: retries with backoff, dead letters, exactly-once across instances, schedules and
//! events, on SQLite and PostgreSQL.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{TestApp, on_both};
use didtron::app::AppState;
use didtron::jobs::worker::Worker;
use didtron::jobs::{JobError, NewJob, Registry, enqueue};
use didtron_db::{Backend, Db};
use serde_json::{Value, json};

fn worker(state: &AppState, registry: Registry) -> Worker {
    let mut state = state.clone();
    state.jobs = Arc::new(registry);
    let mut w = Worker::new(state);
    w.backoff = chrono::Duration::zero();
    w
}

async fn status_of(app: &TestApp, id: &str) -> (String, i64, Option<String>) {
    sqlx::query_as("SELECT status, attempts, last_error FROM jobs WHERE id = $1").bind(id).fetch_one(app.db.pool()).await.unwrap()
}

#[tokio::test]
async fn a_job_that_fails_twice_then_succeeds_runs_exactly_three_times() {
    on_both(|app| async move {
        let runs = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::default();
        let counter = runs.clone();
        registry.handle("flaky", move |_state, _payload| {
            let counter = counter.clone();
            async move {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                if n < 3 { Err(JobError::retry(format!("attempt {n} failed"))) } else { Ok(()) }
            }
        });
        let id = enqueue(app.db.pool(), NewJob::new("flaky", json!({})), "test").await.unwrap();
        worker(&app.state, registry).drain().await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        let (status, attempts, error) = status_of(&app, &id).await;
        assert_eq!((status.as_str(), attempts, error), ("succeeded", 3, None));
        app
    })
    .await;
}

#[tokio::test]
async fn retries_wait_with_exponential_backoff() {
    on_both(|app| async move {
        let mut registry = Registry::default();
        registry.handle("always", |_s, _p| async { Err(JobError::retry("down")) });
        let id = enqueue(app.db.pool(), NewJob::new("always", json!({})), "test").await.unwrap();
        let mut w = worker(&app.state, registry);
        w.backoff = chrono::Duration::seconds(60);
        assert_eq!(w.round().await.unwrap(), 1);
        // The retry waits about a minute (± jitter): a second round finds nothing due.
        assert_eq!(w.round().await.unwrap(), 0);
        let (run_at,): (String,) = sqlx::query_as("SELECT run_at FROM jobs WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        let wait = didtron_core::time::from_db(&run_at).unwrap() - didtron_core::time::now();
        assert!(wait > chrono::Duration::seconds(40) && wait <= chrono::Duration::seconds(75), "waits {wait}");
        app
    })
    .await;
}

#[tokio::test]
async fn failures_are_dead_lettered_after_the_last_attempt_and_can_be_retried() {
    on_both(|app| async move {
        let runs = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::default();
        let counter = runs.clone();
        registry.handle("broken", move |_s, _p| {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Err(JobError::retry("the upstream said 503")) }
        });
        registry.handle("refused", |_s, _p| async { Err(JobError::permanent("the upstream said 400")) });
        let broken = enqueue(app.db.pool(), NewJob::new("broken", json!({})), "test").await.unwrap();
        let refused = enqueue(app.db.pool(), NewJob::new("refused", json!({})), "test").await.unwrap();
        let unknown = enqueue(app.db.pool(), NewJob::new("no.such.kind", json!({})), "test").await.unwrap();
        let w = worker(&app.state, registry);
        w.drain().await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(status_of(&app, &broken).await, ("dead".into(), 3, Some("the upstream said 503".into())));
        assert_eq!(status_of(&app, &refused).await.0, "dead");
        assert_eq!(status_of(&app, &refused).await.1, 1, "a permanent failure is not retried");
        assert!(status_of(&app, &unknown).await.2.unwrap().contains("no handler"));

        // The jobs screen's API: list, retry, cancel.
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let dead = admin.get("/api/v1/admin/jobs?status=dead").await;
        assert_eq!(dead.body["total"], 3);
        assert_eq!(admin.post(&format!("/api/v1/admin/jobs/{broken}/retry"), json!({})).await.status, 204);
        assert_eq!(status_of(&app, &broken).await, ("queued".into(), 0, Some("the upstream said 503".into())));
        assert_eq!(admin.post(&format!("/api/v1/admin/jobs/{broken}/cancel"), json!({})).await.status, 204);
        assert_eq!(admin.post(&format!("/api/v1/admin/jobs/{broken}/cancel"), json!({})).await.status, 409);
        w.drain().await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 3, "a cancelled job does not run");
        let counts = admin.get("/api/v1/admin/jobs/counts").await;
        assert!(counts.body.as_array().unwrap().iter().any(|c| c["status"] == "cancelled" && c["count"] == 1));
        let (customer, _) = app.signed_in("customer", "owner").await;
        assert_eq!(customer.get("/api/v1/admin/jobs").await.status, 403);
        app
    })
    .await;
}

/// Two instances (two pools, two workers) on one database share 1,000 jobs: each runs once.
async fn thousand_jobs_run_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    let seen: Arc<Mutex<HashMap<i64, u32>>> = Arc::new(Mutex::new(HashMap::new()));
    let registry = {
        let mut r = Registry::default();
        let seen = seen.clone();
        r.handle("count", move |_s, payload: Value| {
            let seen = seen.clone();
            async move {
                *seen.lock().unwrap().entry(payload["n"].as_i64().unwrap()).or_default() += 1;
                Ok(())
            }
        });
        r
    };
    let mut tx = app.db.pool().begin().await.unwrap();
    for n in 0..1000 {
        enqueue(&mut *tx, NewJob::new("count", json!({"n": n})), "test").await.unwrap();
    }
    tx.commit().await.unwrap();

    let second_db = Db::connect(app.database_url()).await.unwrap();
    let mut second_state = app.state.clone();
    second_state.db = second_db.clone();
    let (a, b) = (worker(&app.state, registry.clone()), worker(&second_state, registry));
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra + rb, 1000);
    assert!(ra > 0 && rb > 0, "both instances took work ({ra} and {rb})");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1000);
    assert!(seen.values().all(|&n| n == 1), "a job ran more than once");
    let (done,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status = 'succeeded'").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(done, 1000);
    second_db.close().await;
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_run_each_of_1000_jobs_once() {
    thousand_jobs_run_once(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_sqlite_run_each_of_1000_jobs_once() {
    thousand_jobs_run_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_due_schedule_fires_once_across_instances() {
    on_both(|app| async move {
        didtron::jobs::schedule::ensure(&app.state, "nightly", "0 0 3 * * *", "noop", json!({"x": 1})).await.unwrap();
        didtron::jobs::schedule::ensure(&app.state, "nightly", "0 0 4 * * *", "noop", json!({})).await.unwrap();
        sqlx::query("UPDATE schedules SET next_run_at = '2000-01-01T00:00:00.000000Z'").execute(app.db.pool()).await.unwrap();
        let (a, b) = tokio::join!(didtron::jobs::schedule::fire_due(&app.state), didtron::jobs::schedule::fire_due(&app.state));
        assert_eq!(a.unwrap() + b.unwrap(), 1);
        let (n, payload): (i64, String) =
            sqlx::query_as("SELECT COUNT(*), MAX(payload) FROM jobs WHERE kind = 'noop'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!((n, payload.as_str()), (1, r#"{"x":1}"#));
        let (next,): (String,) = sqlx::query_as("SELECT next_run_at FROM schedules WHERE name = 'nightly'").fetch_one(app.db.pool()).await.unwrap();
        assert!(next.ends_with("T03:00:00.000000Z") && next > didtron_core::time::to_db(didtron_core::time::now()));
        app
    })
    .await;
}

#[tokio::test]
async fn events_reach_their_subscribers_as_jobs() {
    on_both(|app| async move {
        let got = Arc::new(Mutex::new(Vec::new()));
        let mut registry = Registry::default();
        registry.subscribe("category.updated", "notify");
        let sink = got.clone();
        registry.handle("notify", move |_s, payload: Value| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(payload);
                Ok(())
            }
        });
        let (admin, _) = app.signed_in("platform", "admin").await;
        admin.patch("/api/v1/config/category/019ab9a0-0000-7000-8000-000000000001", json!({"fields": {"name": "Trunks"}})).await;
        worker(&app.state, registry).drain().await.unwrap();
        let got = got.lock().unwrap().clone();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0]["kind"], "category.updated");
        assert_eq!(got[0]["payload"]["version"], 2);
        let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events WHERE dispatched_at IS NULL").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(pending, 0);
        app
    })
    .await;
}

#[tokio::test]
async fn the_retention_job_removes_old_audit_entries() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        admin.call(axum::http::Method::PUT, "/api/v1/admin/audit/retention", Some(json!({"days": 30}))).await;
        sqlx::query(
            "INSERT INTO audit_log (id, actor_id, actor_kind, action, target_kind, created_at, updated_at) VALUES ('old', 'x', 'system', 'old.thing', 't', '2000-01-01T00:00:00.000000Z', '2000-01-01T00:00:00.000000Z')",
        )
        .execute(app.db.pool())
        .await
        .unwrap();
        enqueue(app.db.pool(), NewJob::new("audit.retention", json!({})), "test").await.unwrap();
        worker(&app.state, didtron::app::job_registry()).drain().await.unwrap();
        let (old,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE id = 'old'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(old, 0);
        let (recent,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.retention.update'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(recent, 1, "recent entries stay");
        let (applied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.retention.apply'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(applied, 1);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_running_past_its_lease_keeps_it_and_runs_once() {
    on_both(|app| async move {
        let runs = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::default();
        let counter = runs.clone();
        registry.handle("long", move |_s, _p| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                // Three times as long as the lease below.
                tokio::time::sleep(std::time::Duration::from_millis(2400)).await;
                Ok(())
            }
        });
        let id = enqueue(app.db.pool(), NewJob::new("long", json!({})), "test").await.unwrap();
        let short = |w: &mut Worker| {
            w.lease = chrono::Duration::milliseconds(800);
            w.renew_every = chrono::Duration::milliseconds(200);
        };
        let mut a = worker(&app.state, registry.clone());
        short(&mut a);
        // Another instance looks for abandoned and due work all the while.
        let mut b = worker(&app.state, registry);
        short(&mut b);
        let watching = async {
            for _ in 0..14 {
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                b.round().await.unwrap();
            }
        };
        let (ran, ()) = tokio::join!(a.round(), watching);
        assert_eq!(ran.unwrap(), 1);
        assert_eq!(runs.load(Ordering::SeqCst), 1, "the job ran twice");
        assert_eq!(status_of(&app, &id).await, ("succeeded".into(), 1, None));
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_whose_job_was_taken_over_stops_at_once() {
    on_both(|app| async move {
        let finished = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::default();
        let done = finished.clone();
        registry.handle("slow", move |_s, _p| {
            let done = done.clone();
            async move {
                tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
                done.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        });
        let id = enqueue(app.db.pool(), NewJob::new("slow", json!({})), "test").await.unwrap();
        let mut w = worker(&app.state, registry);
        w.renew_every = chrono::Duration::milliseconds(200);
        let steal = async {
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            sqlx::query("UPDATE jobs SET locked_by = 'another-worker' WHERE id = $1").bind(&id).execute(app.db.pool()).await.unwrap();
        };
        let (ran, ()) = tokio::join!(w.round(), steal);
        assert_eq!(ran.unwrap(), 1);
        tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
        assert_eq!(finished.load(Ordering::SeqCst), 0, "the run went on after its job passed to another worker");
        let (status, locked_by): (String, Option<String>) = sqlx::query_as("SELECT status, locked_by FROM jobs WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!((status.as_str(), locked_by.as_deref()), ("running", Some("another-worker")), "the new holder's record is left alone");
        app
    })
    .await;
}

#[tokio::test]
async fn waiting_for_another_holder_does_not_use_up_attempts() {
    on_both(|app| async move {
        let tries = Arc::new(AtomicUsize::new(0));
        let mut registry = Registry::default();
        let counter = tries.clone();
        registry.handle("patient", move |_s, _p| {
            let counter = counter.clone();
            async move {
                if counter.fetch_add(1, Ordering::SeqCst) < 5 { Err(JobError::wait("someone else holds it", chrono::Duration::zero())) } else { Ok(()) }
            }
        });
        let id = enqueue(app.db.pool(), NewJob::new("patient", json!({})), "test").await.unwrap();
        worker(&app.state, registry).drain().await.unwrap();
        assert_eq!(tries.load(Ordering::SeqCst), 6, "five waits and a run, with only three attempts");
        assert_eq!(status_of(&app, &id).await, ("succeeded".into(), 1, None));
        app
    })
    .await;
}
