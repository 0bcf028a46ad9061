//! Starting an instance: it frees what a killed predecessor on its host held, it says it is ready
//! only when every start-up step is done, and it refuses to start beside instances that use
//! another secret key or another local file folder — on SQLite and PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_both};
use didtron::crypto::SecretBox;
use didtron::jobs::instance::{self, Instance};
use didtron::jobs::store as jobs_store;
use didtron::jobs::worker::Worker;
use didtron::ops::readiness::{Ready, steps};
use didtron::ops::startup;
use didtron::switch::sync::PUSH_LEASE;
use didtron_core::{id::new_id, time};
use serde_json::json;
use tower::ServiceExt;

/// A process id that ran on this host and has ended.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

async fn drain(app: &TestApp) {
    Worker::new(app.state.clone()).drain().await.unwrap();
}

async fn push_status(app: &TestApp, id: &str) -> String {
    sqlx::query_as::<_, (String,)>("SELECT status FROM switch_sync_status WHERE record_id = $1").bind(id).fetch_one(app.db.pool()).await.unwrap().0
}

/// Puts a lease and a running job in the hands of `who`, as a killed instance leaves them.
async fn held_by(app: &TestApp, who: &Instance, lease: &str, job: &str) {
    let now = time::now();
    let until = time::to_db(now + chrono::Duration::minutes(10));
    assert!(jobs_store::take_lease(&app.db, lease, &format!("{}/x", who.id), &who.id, &until, &time::to_db(now)).await.unwrap());
    sqlx::query("UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'worker-of-the-dead', instance_id = $1, locked_until = $2 WHERE id = $3")
        .bind(&who.id)
        .bind(&until)
        .bind(job)
        .execute(app.db.pool())
        .await
        .unwrap();
}

async fn register(app: &TestApp, who: &Instance, heartbeat: time::Timestamp) {
    jobs_store::register_instance(&app.db, &who.id, &who.host, i64::from(who.pid), "0", &time::to_db(heartbeat)).await.unwrap();
}

#[tokio::test]
async fn an_instance_started_again_on_its_host_frees_what_its_killed_predecessor_held() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let host = instance::this().host.clone();
        // The predecessor on this host was killed while pushing: its lease and its job stay behind.
        let killed = Instance { id: new_id(), host: host.clone(), pid: dead_pid() };
        register(&app, &killed, time::now()).await;
        let res = admin.post("/api/v1/config/carrier", json!({"fields": {"code": "acme", "name": "ACME", "hosts": ["10.0.0.1"]}, "assignments": [{"scope": {"kind": "all"}}]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let carrier = res.body["id"].as_str().unwrap().to_string();
        let (job,): (String,) = sqlx::query_as("SELECT id FROM jobs WHERE kind = 'switch.push'").fetch_one(app.db.pool()).await.unwrap();
        held_by(&app, &killed, PUSH_LEASE, &job).await;
        // An instance on another host that is alive keeps what it holds; one silent for long does not.
        let alive = Instance { id: new_id(), host: "other-host".into(), pid: 4242 };
        register(&app, &alive, time::now()).await;
        let now = time::to_db(time::now());
        let until = time::to_db(time::now() + chrono::Duration::minutes(10));
        jobs_store::take_lease(&app.db, "alive.work", "alive/x", &alive.id, &until, &now).await.unwrap();
        let silent = Instance { id: new_id(), host: "third-host".into(), pid: 7 };
        register(&app, &silent, time::now() - chrono::Duration::minutes(5)).await;
        jobs_store::take_lease(&app.db, "silent.work", "silent/x", &silent.id, &until, &now).await.unwrap();

        // Without the start-up step, nothing moves until the lease runs out.
        drain(&app).await;
        assert_eq!(push_status(&app, &carrier).await, "pending");

        let me = Instance { id: new_id(), host, pid: instance::this().pid };
        let freed = instance::start(&app.db, &me).await.unwrap();
        assert_eq!((freed.instances.len(), freed.leases, freed.jobs), (2, 2, 1), "{freed:?}");
        drain(&app).await;
        assert_eq!(push_status(&app, &carrier).await, "synced", "pushes resume at once");
        let (job_status, error): (String, Option<String>) = sqlx::query_as("SELECT status, last_error FROM jobs WHERE id = $1").bind(&job).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(job_status, "succeeded");
        assert!(error.is_none());
        let leases: Vec<(String,)> = sqlx::query_as("SELECT name FROM leases ORDER BY name").fetch_all(app.db.pool()).await.unwrap();
        assert_eq!(leases, [("alive.work".to_string(),)]);
        let stopped: Vec<(String,)> = sqlx::query_as("SELECT id FROM instances WHERE stopped_at IS NOT NULL ORDER BY id").fetch_all(app.db.pool()).await.unwrap();
        let mut expected = vec![(killed.id.clone(),), (silent.id.clone(),)];
        expected.sort();
        assert_eq!(stopped, expected);
        // A second start of the same instance finds nothing more to free.
        assert_eq!(instance::start(&app.db, &me).await.unwrap(), instance::Recovered::default());
        instance::stop(&app.db, &me).await.unwrap();
        app
    })
    .await;
}

#[tokio::test]
async fn a_container_restarted_with_the_same_process_id_frees_its_predecessor() {
    on_both(|app| async move {
        // In a container every start is pid 1 on the same host name: a registered instance with our
        // own pid and host but another id is the one that ran before us.
        let me = instance::this().clone();
        let before = Instance { id: new_id(), host: me.host.clone(), pid: me.pid };
        register(&app, &before, time::now()).await;
        let now = time::to_db(time::now());
        jobs_store::take_lease(&app.db, PUSH_LEASE, "before/x", &before.id, &time::to_db(time::now() + chrono::Duration::minutes(10)), &now).await.unwrap();
        let freed = instance::start(&app.db, &Instance { id: new_id(), ..me }).await.unwrap();
        assert_eq!((freed.instances.len(), freed.leases), (1, 1));
        app
    })
    .await;
}

#[tokio::test]
async fn push_leases_are_short_and_renewed_while_held() {
    on_both(|app| async move {
        use didtron::jobs::lease;
        let ttl = chrono::Duration::milliseconds(600);
        let held = lease::hold(&app.db, "work", "me", ttl).await.unwrap().expect("free");
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert!(!lease::acquire(&app.db, "work", "someone-else", ttl).await.unwrap(), "a held lease is renewed past its first term");
        assert!(!held.lost());
        held.release().await.unwrap();
        assert!(lease::acquire(&app.db, "work", "someone-else", ttl).await.unwrap());
        // A holder that stops renewing (it died) loses the lease when the short term ends.
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let taken = lease::hold(&app.db, "work", "third", ttl).await.unwrap().expect("the dead holder's lease ran out");
        assert!(lease::TTL <= chrono::Duration::seconds(30), "leases stay short");
        drop(taken);
        app
    })
    .await;
}

async fn ready_probe() -> axum::Router<didtron::app::AppState> {
    axum::Router::new().route("/needs-table", axum::routing::get(|_: Ready| async { "ok" }))
}

#[tokio::test]
async fn readyz_answers_503_until_every_start_up_step_is_done() {
    on_both(|app| async move {
        assert_eq!(app.get("/readyz").await.status, 200, "a state with no start-up steps is ready");
        for step in steps::ALL {
            app.state.readiness.waiting_for(step);
        }
        let probe = ready_probe().await.with_state(app.state.clone());
        let ask = |probe: axum::Router| async move {
            let res = probe.oneshot(axum::http::Request::get("/needs-table").body(axum::body::Body::empty()).unwrap()).await.unwrap();
            let status = res.status();
            let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
            (status, retry)
        };
        for (i, step) in steps::ALL.iter().enumerate() {
            let res = app.get("/readyz").await;
            assert_eq!(res.status, 503, "{}", res.text);
            assert_eq!(res.headers.get("retry-after").unwrap(), "2");
            assert_eq!(res.body["status"], "starting");
            assert_eq!(res.body["waiting_for"], json!(steps::ALL[i..]));
            assert_eq!(app.get("/healthz").await.status, 200, "liveness does not wait");
            assert_eq!(ask(probe.clone()).await, (StatusCode::SERVICE_UNAVAILABLE, Some("2".into())));
            app.state.readiness.done(step);
        }
        let res = app.get("/readyz").await;
        assert_eq!((res.status.as_u16(), res.body["status"].as_str(), res.body["database"].as_str()), (200, Some("ready"), Some("ok")), "{}", res.text);
        assert_eq!(ask(probe).await, (StatusCode::OK, None));
        app
    })
    .await;
}

#[tokio::test]
async fn the_routing_table_step_ends_when_the_first_table_is_in() {
    on_both(|app| async move {
        let state = app.state.clone();
        let waiting = tokio::spawn(async move { didtron::ops::readiness::first_routing_table(&state).await });
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        assert!(!waiting.is_finished(), "the empty table at start is not the table");
        app.state.routing.reload(&app.db).await.unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(2), waiting).await.expect("done once a table is in").unwrap();
        app
    })
    .await;
}

/// For the lead, once `routing/http.rs` takes [`Ready`] in its lookup handlers.
#[tokio::test]
async fn route_lookups_answer_503_until_the_routing_table_is_loaded() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        app.state.readiness.waiting_for(steps::ROUTING_TABLE);
        for path in ["/api/v1/routing/lookup?number=442071234567", "/api/v1/routing/explain?number=442071234567"] {
            let res = admin.get(path).await;
            assert_eq!(res.status, 503, "{path}: {}", res.text);
            assert_eq!(res.body["code"], "not_ready");
        }
        app.state.readiness.done(steps::ROUTING_TABLE);
        assert_eq!(admin.get("/api/v1/routing/lookup?number=442071234567").await.status, 200);
        app
    })
    .await;
}

#[tokio::test]
async fn an_instance_with_another_secret_key_refuses_to_start() {
    on_both(|app| async move {
        let first = SecretBox::new([1; 32]);
        startup::check_secret_key(&app.db, &first).await.expect("the first instance records its key's check");
        startup::check_secret_key(&app.db, &first).await.expect("and starts again with it");
        let err = startup::check_secret_key(&app.db, &SecretBox::new([2; 32])).await.unwrap_err().to_string();
        assert!(err.contains("not the key this database was set up with") && err.contains("secret_key"), "{err}");
        let (value,): (String,) = sqlx::query_as("SELECT value FROM system_checks WHERE name = 'secret_key'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(value, first.key_check());
        assert_eq!(value.len(), 64, "a MAC is stored, never the key");
        app
    })
    .await;
}

#[tokio::test]
async fn an_installation_from_before_the_check_keeps_the_key_its_secrets_were_sealed_with() {
    on_both(|app| async move {
        let (_, user) = app.signed_in("platform", "admin").await;
        let key_a = SecretBox::new([3; 32]);
        sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2").bind(key_a.seal("JBSWY3DPEHPK3PXP").unwrap()).bind(&user.id).execute(app.db.pool()).await.unwrap();
        let err = startup::check_secret_key(&app.db, &SecretBox::new([4; 32])).await.unwrap_err().to_string();
        assert!(err.contains("cannot open the secrets already stored"), "{err}");
        assert_eq!(app.count("system_checks").await, 0, "a wrong key records nothing");
        startup::check_secret_key(&app.db, &key_a).await.unwrap();
        assert!(startup::check_secret_key(&app.db, &SecretBox::new([4; 32])).await.is_err());
        app
    })
    .await;
}

#[tokio::test]
async fn instances_keeping_files_locally_must_share_one_folder() {
    on_both(|app| async move {
        let shared = tempfile::tempdir().unwrap();
        startup::check_file_store(&app.db, shared.path()).await.expect("the first instance marks its folder");
        startup::check_file_store(&app.db, shared.path()).await.expect("an instance on the shared folder starts");
        let mark = std::fs::read_to_string(shared.path().join(startup::STORE_MARK)).unwrap();
        // A second machine with a folder of its own.
        let own = tempfile::tempdir().unwrap();
        let err = startup::check_file_store(&app.db, own.path()).await.unwrap_err().to_string();
        assert!(err.contains("share one folder") && err.contains(mark.trim()), "{err}");
        assert!(!own.path().join(startup::STORE_MARK).exists(), "a refused folder is not marked");
        // A folder of another setup.
        std::fs::write(own.path().join(startup::STORE_MARK), "someone-else").unwrap();
        assert!(startup::check_file_store(&app.db, own.path()).await.unwrap_err().to_string().contains("another DIDtron setup"));
        // Taken over on purpose, as the refusal explains.
        std::fs::write(own.path().join(startup::STORE_MARK), &mark).unwrap();
        startup::check_file_store(&app.db, own.path()).await.unwrap();
        app
    })
    .await;
}

#[tokio::test]
async fn serve_checks_the_shared_setup_of_its_state() {
    on_both(|app| async move {
        startup::check_shared_setup(&app.state).await.unwrap();
        let mut other = app.state.clone();
        other.secrets = SecretBox::new([9; 32]);
        let err = startup::check_shared_setup(&other).await.unwrap_err().to_string();
        assert!(err.contains("secret key"), "{err}");
        assert_eq!(app.count("system_checks").await, 2, "the key's check and the file store's mark");
        app
    })
    .await;
}
