//! The switch: the ConnexCS client against a local fake of its API, the sync engine (dry run,
//! pushes, retries, rollback, status, reconciliation) on both drivers and both databases, and the
//! inbound webhook.

mod common;
#[path = "common/fake_connexcs.rs"]
mod fake_connexcs;

use std::time::{Duration, Instant};

use common::{Client, TestApp, on_both, on_both_configured};
use didtron::config::Settings;
use didtron::jobs::worker::Worker;
use didtron_adapters::switch::connexcs::ConnexCs;
use didtron_adapters::switch::{FailureKind, Journal, Object, Switch, objects};

/// A typed switch body as the JSON the client sends.
fn body(object: &impl serde::Serialize) -> Value {
    serde_json::to_value(object).unwrap()
}
use fake_connexcs::{FakeConnexCs, Fault};
use serde_json::{Value, json};

fn connexcs(fake: &FakeConnexCs) -> impl Fn(&mut Settings) + use<> {
    let url = fake.url.clone();
    move |s: &mut Settings| {
        s.switch_driver = "connexcs".into();
        s.connexcs_url = url.clone();
        s.connexcs_username = Some(fake_connexcs::USER.into());
        s.connexcs_password = Some(fake_connexcs::PASSWORD.to_string().into());
    }
}

fn client(fake: &FakeConnexCs, timeout: Duration) -> ConnexCs {
    ConnexCs::new(&fake.url, fake_connexcs::USER, fake_connexcs::PASSWORD.to_string().into()).unwrap().with_retries(3, Duration::from_millis(20), timeout)
}

/// Runs the body on SQLite and on PostgreSQL, each with its own fresh fake ConnexCS.
async fn on_both_with_fake<F, Fut>(test: F)
where
    F: Fn(TestApp, FakeConnexCs) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for backend in [didtron_db::Backend::Sqlite, didtron_db::Backend::Postgres] {
        let fake = FakeConnexCs::start().await;
        let app = TestApp::configured(backend, connexcs(&fake)).await;
        test(app, fake).await.finish().await;
    }
}

async fn drain(app: &TestApp) {
    Worker::new(app.state.clone()).drain().await.unwrap();
}

async fn create(c: &Client<'_>, kind: &str, fields: Value) -> String {
    let body = if kind == "route_group" { json!({"fields": fields}) } else { json!({"fields": fields, "assignments": [{"scope": {"kind": "all"}}]}) };
    let res = c.post(&format!("/api/v1/config/{kind}"), body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

fn acme() -> Value {
    json!({"code": "acme", "name": "ACME", "hosts": ["10.0.0.1", "sip.acme.example:5080"], "tech_prefix": "77#", "channels": 30, "cps": 5})
}

async fn status(c: &Client<'_>, kind: &str, id: &str) -> Value {
    let res = c.get(&format!("/api/v1/switch/status?kind={kind}&ids={id}")).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body[0].clone()
}

#[tokio::test]
async fn each_object_kind_reaches_connexcs_with_its_payload() {
    on_both_with_fake(|app, fake| {
        async move {
            let (admin, _) = app.signed_in("platform", "admin").await;
            let carrier = create(&admin, "carrier", acme()).await;
            assert_eq!(status(&admin, "carrier", &carrier).await["status"], "pending");
            let pop = create(&admin, "pop", json!({"code": "lon", "name": "London", "region": "EU", "sip_hosts": ["lon.sip.example"], "capacity_channels": 500})).await;
            let card = create(&admin, "rate_card", json!({"code": "retail", "name": "Retail", "currency": "EUR", "margin": 10_000_000})).await;
            let route = create(&admin, "route", json!({"name": "Egypt", "prefix": "20", "carrier_id": carrier, "priority": 5})).await;
            drain(&app).await;

            let carriers = fake.objects("carrier");
            let ours = carriers.iter().find(|c| c["name"] == "ACME").expect("carrier on the switch");
            assert_eq!((ours["protocol"].as_str(), ours["port"].as_i64(), ours["tech_prefix"].as_str()), (Some("udp"), Some(5060), Some("77#")));
            assert_eq!((ours["channels"].as_i64(), ours["cps"].as_i64(), ours["status"].as_str()), (Some(30), Some(5), Some("active")));
            let remote = ours["id"].to_string();
            let ips = fake.objects(&format!("carrier/{remote}/ip"));
            assert_eq!(ips, [json!({"id": ips[0]["id"], "ip": "10.0.0.1", "port": 5060}), json!({"id": ips[1]["id"], "ip": "sip.acme.example", "port": 5080})]);
            let server = fake.objects("server").into_iter().find(|s| s["alias"] == "lon").unwrap();
            assert_eq!((server["name"].as_str(), server["channels"].as_i64(), server["hosts"].clone()), (Some("London"), Some(500), json!(["lon.sip.example"])));
            let card_obj = fake.objects("card").into_iter().find(|c| c["name"] == "Retail").unwrap();
            assert_eq!((card_obj["direction"].as_str(), card_obj["currency"].as_str()), (Some("sell"), Some("EUR")));
            let route_obj = fake.objects("route").into_iter().find(|r| r["prefix"] == "20").unwrap();
            assert_eq!(route_obj["carrier_id"], Value::String(remote.clone()), "the route points at the carrier's ConnexCS id");
            assert_eq!((route_obj["priority"].as_i64(), route_obj["failover"].as_bool()), (Some(5), Some(true)));
            assert!(fake.requests().iter().all(|r| r.authorized), "every call carries the API credentials");
            for (kind, id) in [("carrier", &carrier), ("pop", &pop), ("rate_card", &card), ("route", &route)] {
                let s = status(&admin, kind, id).await;
                assert_eq!((s["status"].as_str(), s["synced_version"].as_i64()), (Some("synced"), Some(1)), "{kind}: {s}");
            }
            // The operations log holds each call with its request and response.
            let calls = admin.get("/api/v1/switch/calls?limit=100").await;
            let post = calls.body["items"].as_array().unwrap().iter().find(|c| c["method"] == "POST" && c["path"] == "carrier").unwrap().clone();
            assert_eq!((post["request"]["name"].as_str(), post["status"].as_i64(), post["purpose"].as_str()), (Some("ACME"), Some(200), Some("push")));
            assert!(post["response"]["id"].is_number());
            // Deleting the carrier's route and then the carrier removes them from the switch.
            assert_eq!(admin.delete(&format!("/api/v1/config/route/{route}")).await.status, 204);
            assert_eq!(admin.delete(&format!("/api/v1/config/carrier/{carrier}")).await.status, 204);
            drain(&app).await;
            assert!(fake.objects("carrier").iter().all(|c| c["name"] != "ACME"));
            assert!(fake.objects(&format!("carrier/{remote}/ip")).is_empty());
            assert_eq!(app.count("switch_objects").await, 2, "only the POP and the card are left");
            app
        }
    })
    .await;
}

#[tokio::test]
async fn the_client_sends_customers_sip_users_ip_auth_and_dids_to_their_paths() {
    let fake = FakeConnexCs::start().await;
    let cx = client(&fake, Duration::from_secs(5));
    let mut log = Journal::new();
    assert_eq!(cx.account(&mut log).await.unwrap(), "Fake Telecom Ltd");
    let small = objects::Customer { name: "Small Co".into(), channels: 10, cps: 2, currency: "USD".into(), status: objects::status(true) };
    let customer = cx.create(Object::Customer, None, &body(&small), &mut log).await.unwrap();
    let sip = objects::SipUser { username: "smallco-1".into(), password: "s3cret".into(), customer_id: customer.clone() };
    let user = cx.create(Object::SipUser, None, &body(&sip), &mut log).await.unwrap();
    let ip = objects::IpAuth { ip: "203.0.113.7".into(), customer_id: customer.clone() };
    cx.create(Object::IpAuth, None, &body(&ip), &mut log).await.unwrap();
    let did = objects::Did { did: "442071234567".into(), customer_id: customer.clone() };
    cx.create(Object::Did, None, &body(&did), &mut log).await.unwrap();
    assert_eq!(fake.objects("customer")[0]["status"], "active");
    assert_eq!(fake.objects("switch/ip")[0], json!({"id": fake.objects("switch/ip")[0]["id"], "ip": "203.0.113.7", "customer_id": customer}));
    let paths: Vec<(String, String)> = fake.requests().iter().map(|r| (r.method.clone(), r.path.clone())).collect();
    assert_eq!(
        paths,
        [("GET", "setup/account"), ("POST", "customer"), ("POST", "switch/user"), ("POST", "switch/ip"), ("POST", "did")].map(|(m, p)| (m.to_string(), p.to_string()))
    );
    assert_eq!(fake.objects("switch/user")[0]["username"], "smallco-1");
    assert_eq!(cx.find(Object::SipUser, None, "smallco-1", &mut log).await.unwrap(), Some(user.clone()));
    assert_eq!(cx.find(Object::SipUser, None, "nobody", &mut log).await.unwrap(), None);
    assert_eq!(cx.list(Object::Customer, None, &mut log).await.unwrap().len(), 1);
    cx.delete(Object::SipUser, None, &user, &mut log).await.unwrap();
    cx.delete(Object::SipUser, None, &user, &mut log).await.expect("an object already gone counts as deleted");
    // A refused request says what ConnexCS said.
    let err = cx.create(Object::Route, None, &json!({"name": "no prefix"}), &mut log).await.unwrap_err();
    assert_eq!((err.kind, err.status), (FailureKind::Rejected, Some(400)));
    assert!(err.message.contains("prefix is required"), "{}", err.message);
    // Wrong credentials are an authorization failure, not retried.
    let wrong = ConnexCs::new(&fake.url, "someone", "wrong".to_string().into()).unwrap();
    let before = fake.requests().len();
    assert_eq!(wrong.account(&mut log).await.unwrap_err().kind, FailureKind::Unauthorized);
    assert_eq!(fake.requests().len(), before + 1);
}

#[tokio::test]
async fn a_503_and_a_timeout_are_retried_until_they_succeed_and_a_400_is_not() {
    let fake = FakeConnexCs::start().await;
    let cx = client(&fake, Duration::from_millis(400));
    let mut log = Journal::new();
    let id = cx.create(Object::Carrier, None, &json!({"name": "ACME"}), &mut log).await.unwrap();

    fake.fault("PUT", "carrier", vec![Fault::Status(503, None, "maintenance")]);
    let mut log = Journal::new();
    cx.update(Object::Carrier, None, &id, &json!({"name": "ACME 2"}), &mut log).await.unwrap();
    assert_eq!(log.iter().map(|e| (e.attempt, e.status)).collect::<Vec<_>>(), [(1, Some(503)), (2, Some(200))]);
    assert_eq!(fake.objects("carrier")[0]["name"], "ACME 2");

    // The create is done but its answer comes too late: the retry finds it instead of making a twin.
    fake.fault("POST", "carrier", vec![Fault::Delay(Duration::from_millis(1500))]);
    let mut log = Journal::new();
    let beta = cx.create(Object::Carrier, None, &json!({"name": "Beta"}), &mut log).await.unwrap();
    assert_eq!(log[0].error.as_deref(), Some("ConnexCS did not answer in time"));
    assert_eq!((log[1].method.as_str(), log[1].path.as_str()), ("GET", "carrier?name=Beta"));
    assert_eq!(fake.objects("carrier").iter().filter(|c| c["name"] == "Beta").count(), 1);
    assert_eq!(fake.objects("carrier").iter().find(|c| c["name"] == "Beta").unwrap()["id"].to_string(), beta);

    // A timeout on a read, then success.
    fake.fault("GET", "setup/account", vec![Fault::Delay(Duration::from_millis(1500))]);
    let mut log = Journal::new();
    assert_eq!(cx.account(&mut log).await.unwrap(), "Fake Telecom Ltd");
    assert_eq!(log.len(), 2);

    // 429 waits as long as Retry-After says.
    fake.fault("GET", "carrier", vec![Fault::Status(429, Some(1), "slow down")]);
    let started = Instant::now();
    let mut log = Journal::new();
    cx.list(Object::Carrier, None, &mut log).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    assert_eq!(log.len(), 2);

    // Three 503s: the error comes back after three attempts.
    fake.fault("PUT", "carrier", vec![Fault::Status(503, None, "down"), Fault::Status(502, None, "down"), Fault::Status(503, None, "down")]);
    let mut log = Journal::new();
    let err = cx.update(Object::Carrier, None, &id, &json!({"name": "x"}), &mut log).await.unwrap_err();
    assert_eq!((err.kind, log.len()), (FailureKind::Unavailable, 3));

    // A 400 is answered at once.
    fake.fault("PUT", "carrier", vec![Fault::Status(400, None, "bad field")]);
    let mut log = Journal::new();
    let err = cx.update(Object::Carrier, None, &id, &json!({"name": "y"}), &mut log).await.unwrap_err();
    assert_eq!((err.status, log.len()), (Some(400), 1));
}

#[tokio::test]
async fn a_push_whose_second_step_fails_leaves_the_switch_as_it_was() {
    on_both_with_fake(|app, fake| {
        async move {
            let (admin, _) = app.signed_in("platform", "admin").await;
            // Three steps: the carrier, then its two IPs; ConnexCS refuses the first IP.
            fake.fault("POST", "carrier/", vec![Fault::Status(400, None, "ip is not a valid address")]);
            let id = create(&admin, "carrier", acme()).await;
            drain(&app).await;
            assert!(fake.objects("carrier").iter().all(|c| c["name"] != "ACME"), "the carrier made in step one was deleted again");
            let s = status(&admin, "carrier", &id).await;
            assert_eq!(s["status"], "failed");
            assert!(s["last_error"].as_str().unwrap().contains("ip is not a valid address"), "{s}");
            let pushes = admin.get("/api/v1/switch/pushes?status=failed").await;
            assert_eq!(pushes.body["total"], 1);
            assert_eq!(pushes.body["items"][0]["rolled_back"], true);
            let push = pushes.body["items"][0]["id"].as_str().unwrap().to_string();
            let calls = admin.get(&format!("/api/v1/switch/calls?push_id={push}")).await;
            let purposes: Vec<(String, String)> =
                calls.body["items"].as_array().unwrap().iter().rev().map(|c| (c["purpose"].as_str().unwrap().into(), c["method"].as_str().unwrap().into())).collect();
            assert_eq!(purposes, [("push", "POST"), ("push", "POST"), ("rollback", "DELETE")].map(|(a, b)| (a.to_string(), b.to_string())));
            assert_eq!(app.count("switch_objects").await, 0);

            // Retry: now it goes through, and an update that fails halfway restores the old values.
            let retry = admin.post(&format!("/api/v1/switch/pushes/{push}/retry"), json!({})).await;
            assert_eq!(retry.status, 202, "{}", retry.text);
            drain(&app).await;
            assert_eq!(status(&admin, "carrier", &id).await["status"], "synced");
            assert_eq!(admin.post(&format!("/api/v1/switch/pushes/{push}/retry"), json!({})).await.status, 409, "a push is retried once, by a new push");
            fake.fault("POST", "carrier/", vec![Fault::Status(422, None, "too many IPs")]);
            let res = admin.patch(&format!("/api/v1/config/carrier/{id}"), json!({"fields": {"name": "ACME Renamed", "hosts": ["10.0.0.1", "sip.acme.example:5080", "10.0.0.9"]}})).await;
            assert_eq!(res.status, 200, "{}", res.text);
            drain(&app).await;
            let names: Vec<String> = fake.objects("carrier").iter().map(|c| c["name"].as_str().unwrap().to_string()).collect();
            assert_eq!(names, ["ACME"], "the rename was undone on the switch");
            assert_eq!(status(&admin, "carrier", &id).await["status"], "failed");
            app
        }
    })
    .await;
}

#[tokio::test]
async fn a_preview_shows_the_calls_a_push_would_make_and_sends_nothing() {
    on_both_with_fake(|app, fake| {
        async move {
            let (admin, _) = app.signed_in("platform", "admin").await;
            let before = fake.requests().len();
            let res = admin.post("/api/v1/config/carrier/preview", json!({"operation": "create", "fields": acme(), "assignments": [{"scope": {"kind": "all"}}]})).await;
            assert_eq!(res.status, 200, "{}", res.text);
            let calls: Vec<(String, String)> =
                res.body["switch_calls"].as_array().unwrap().iter().map(|c| (c["method"].as_str().unwrap().into(), c["path"].as_str().unwrap().into())).collect();
            assert_eq!(calls, [("POST", "carrier"), ("POST", "carrier/<new carrier>/ip"), ("POST", "carrier/<new carrier>/ip")].map(|(a, b)| (a.to_string(), b.to_string())));
            assert_eq!(res.body["switch_calls"][1]["body"]["ip"], "10.0.0.1");
            assert_eq!(fake.requests().len(), before, "a dry run sends nothing");
            assert_eq!(app.count("switch_pushes").await, 0);
            // Kinds the switch does not hold have no switch calls.
            let plan = admin.post("/api/v1/config/plan/preview", json!({"operation": "create", "fields": {"code": "p", "name": "P", "channels": 1, "cps": 1}})).await;
            assert!(plan.body["switch_calls"].is_null(), "{}", plan.text);
            // After a push, an unchanged save plans nothing and a change plans one PUT.
            let id = create(&admin, "carrier", acme()).await;
            drain(&app).await;
            let same = admin.post("/api/v1/config/carrier/preview", json!({"operation": "update", "id": id, "fields": {"cps": 5}})).await;
            assert_eq!(same.body["switch_calls"], json!([]));
            let more = admin.post("/api/v1/config/carrier/preview", json!({"operation": "update", "id": id, "fields": {"cps": 9}})).await;
            assert_eq!(more.body["switch_calls"].as_array().unwrap().len(), 1);
            assert_eq!(more.body["switch_calls"][0]["method"], "PUT");
            app
        }
    })
    .await;
}

#[tokio::test]
async fn the_local_switch_works_end_to_end_with_no_credentials() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let overview = admin.get("/api/v1/switch").await;
        assert_eq!((overview.body["driver"].as_str(), overview.body["webhooks_enabled"].as_bool()), (Some("local"), Some(false)));
        let test = admin.post("/api/v1/switch/test", json!({})).await;
        assert_eq!(test.body["ok"], true, "{}", test.text);
        let group_member = create(&admin, "carrier", json!({"code": "beta", "name": "Beta", "hosts": ["10.9.9.9"]})).await;
        let id = create(&admin, "carrier", acme()).await;
        let group = create(&admin, "route_group", json!({"code": "g", "name": "G", "members": [{"carrier_id": id, "order": 1, "share": 100}, {"carrier_id": group_member, "order": 2, "share": 100}]})).await;
        let route = create(&admin, "route", json!({"name": "Egypt", "prefix": "20", "route_group_id": group})).await;
        drain(&app).await;
        assert_eq!(status(&admin, "carrier", &id).await["status"], "synced");
        assert_eq!(status(&admin, "route", &route).await["status"], "synced");
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM switch_local WHERE object = 'route'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(n, 2, "one route per member of the group");
        assert_eq!(admin.get("/api/v1/switch").await.body["records"]["synced"], 3);

        // Reconcile: nothing drifted; then someone edits the switch by hand.
        let start = admin.post("/api/v1/switch/reconciliations", json!({})).await;
        assert_eq!(start.status, 202, "{}", start.text);
        drain(&app).await;
        let report = admin.get("/api/v1/switch/reconciliations").await;
        assert_eq!((report.body["items"][0]["status"].as_str(), report.body["items"][0]["drift_count"].as_i64()), (Some("done"), Some(0)), "{}", report.text);
        sqlx::query("UPDATE switch_local SET body = REPLACE(body, '\"channels\":30', '\"channels\":99') WHERE object = 'carrier'").execute(app.db.pool()).await.unwrap();
        sqlx::query("DELETE FROM switch_local WHERE object = 'carrier_ip' AND body LIKE '%10.9.9.9%'").execute(app.db.pool()).await.unwrap();
        let now = didtron_core::time::to_db(didtron_core::time::now());
        sqlx::query("INSERT INTO switch_local (id, object, body, created_at, updated_at) VALUES ('hand-made', 'carrier', '{\"name\":\"Manual\"}', $1, $1)").bind(&now).execute(app.db.pool()).await.unwrap();
        admin.post("/api/v1/switch/reconciliations", json!({})).await;
        drain(&app).await;
        let report = admin.get("/api/v1/switch/reconciliations").await;
        let drift = report.body["items"][0]["drift"].as_array().unwrap().clone();
        let problems: Vec<(String, String)> = drift.iter().map(|d| (d["object"].as_str().unwrap().into(), d["problem"].as_str().unwrap().into())).collect();
        assert!(problems.contains(&("carrier".into(), "different".into())), "{drift:?}");
        assert!(problems.contains(&("carrier_ip".into(), "missing_on_switch".into())), "{drift:?}");
        assert!(problems.contains(&("carrier".into(), "not_managed".into())), "{drift:?}");
        let different = drift.iter().find(|d| d["problem"] == "different").unwrap();
        assert_eq!(different["fields"][0], json!({"field": "channels", "expected": 30, "actual": 99}));
        // Pushing the records again repairs what they own: values put back, the lost IP made again.
        let beta_carrier = sqlx::query_as::<_, (String,)>("SELECT owner_id FROM switch_objects WHERE object = 'carrier_ip' AND local_key LIKE '%10.9.9.9'").fetch_one(app.db.pool()).await.unwrap().0;
        for record in [&id, &beta_carrier] {
            let res = admin.post(&format!("/api/v1/switch/records/carrier/{record}/push"), json!({})).await;
            assert_eq!(res.status, 202, "{}", res.text);
        }
        let waiting = admin.get("/api/v1/switch/pushes?status=pending").await;
        assert!(!waiting.body["items"][0]["operations"].as_array().unwrap().is_empty(), "a waiting push shows its planned calls: {}", waiting.text);
        drain(&app).await;
        assert_eq!(status(&admin, "carrier", &id).await["status"], "synced");
        admin.post("/api/v1/switch/reconciliations", json!({})).await;
        drain(&app).await;
        let report = admin.get("/api/v1/switch/reconciliations").await;
        let left: Vec<String> = report.body["items"][0]["drift"].as_array().unwrap().iter().map(|d| d["problem"].as_str().unwrap().to_string()).collect();
        assert_eq!(left, ["not_managed"], "{}", report.text);
        let calls = admin.get("/api/v1/switch/calls?limit=200").await;
        assert!(calls.body["items"].as_array().unwrap().iter().any(|c| c["record_kind"] == "carrier" && c["record_id"] == json!(id)));
        assert_eq!(admin.post("/api/v1/switch/records/plan/x/push", json!({})).await.status, 422);
        app
    })
    .await;
}

#[tokio::test]
async fn webhooks_need_the_shared_secret_and_become_domain_events() {
    on_both_configured(
        |s| s.switch_webhook_secret = Some("hook-secret-123".to_string().into()),
        |app| async move {
            let send = |secret: Option<&str>, body: Value| {
                let headers: Vec<(String, String)> = secret.map(|s| vec![("x-webhook-secret".to_string(), s.to_string())]).unwrap_or_default();
                let app = &app;
                async move { app.send(axum::http::Method::POST, "/api/v1/switch/webhooks/inbound", Some(body), &headers).await }
            };
            let event = json!({"event": "registration", "username": "smallco-1", "ip": "203.0.113.7"});
            assert_eq!(send(None, event.clone()).await.status, 401);
            assert_eq!(send(Some("hook-secret-12"), event.clone()).await.status, 401);
            assert_eq!(app.count("switch_webhooks").await, 0, "refused webhooks are not stored");
            assert_eq!(send(Some("hook-secret-123"), json!({"no": "event"})).await.status, 422);
            let ok = send(Some("hook-secret-123"), event.clone()).await;
            assert_eq!(ok.status, 202, "{}", ok.text);
            assert_eq!(ok.body["event"], "switch.registration");
            let (kind, payload): (String, String) = sqlx::query_as("SELECT kind, payload FROM events WHERE kind LIKE 'switch.%'").fetch_one(app.db.pool()).await.unwrap();
            assert_eq!((kind.as_str(), serde_json::from_str::<Value>(&payload).unwrap()), ("switch.registration", event));
            let (admin, _) = app.signed_in("platform", "admin").await;
            assert_eq!(admin.get("/api/v1/switch/webhooks").await.body["items"][0]["event"], "registration");
            app
        },
    )
    .await;
}

#[tokio::test]
async fn without_a_secret_webhooks_are_off_and_only_admins_see_the_switch() {
    on_both(|app| async move {
        let res = app.send(axum::http::Method::POST, "/api/v1/switch/webhooks/inbound", Some(json!({"event": "balance"})), &[("x-webhook-secret".into(), "".into())]).await;
        assert_eq!(res.status, 403);
        let (customer, _) = app.signed_in("customer", "owner").await;
        assert_eq!(customer.get("/api/v1/switch").await.status, 403);
        assert_eq!(customer.post("/api/v1/switch/test", json!({})).await.status, 403);
        let (viewer, _) = app.signed_in("platform", "support").await;
        assert_eq!(viewer.post("/api/v1/switch/reconciliations", json!({})).await.status, 403);
        app
    })
    .await;
}

#[tokio::test]
async fn the_connexcs_driver_refuses_to_start_without_credentials() {
    let db = common::TestDb::new(didtron_db::Backend::Sqlite).await;
    let conn = didtron_db::Db::connect(&db.url).await.unwrap();
    let settings = Settings { switch_driver: "connexcs".into(), data_dir: tempfile::tempdir().unwrap().keep(), ..Settings::default() };
    let err = didtron::app::AppState::new(conn.clone(), settings).err().unwrap();
    assert!(err.to_string().contains("API username and password"), "{err}");
    let other = Settings { switch_driver: "asterisk".into(), data_dir: tempfile::tempdir().unwrap().keep(), ..Settings::default() };
    assert!(didtron::app::AppState::new(conn.clone(), other).is_err());
    conn.close().await;
    db.drop_database().await;
}

#[tokio::test]
async fn one_instance_pushes_at_a_time_and_a_dead_holder_does_not_block() {
    use didtron::jobs::lease;
    use didtron::switch::sync::{PUSH_LEASE, push_job};
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        // Another instance is pushing.
        assert!(lease::acquire(&app.db, PUSH_LEASE, "instance-b", chrono::Duration::minutes(10)).await.unwrap());
        assert!(!lease::acquire(&app.db, PUSH_LEASE, "instance-c", chrono::Duration::minutes(10)).await.unwrap(), "one holder at a time");
        let id = create(&admin, "carrier", acme()).await;
        let pushes = admin.get("/api/v1/switch/pushes?status=pending").await;
        let push = pushes.body["items"][0]["id"].as_str().unwrap().to_string();
        let waiting = push_job(app.state.clone(), json!({"push_id": push})).await.unwrap_err();
        assert!(waiting.retryable, "{}", waiting.message);
        assert_eq!(status(&admin, "carrier", &id).await["status"], "pending");
        // Once it lets go, the job goes through.
        lease::release(&app.db, PUSH_LEASE, "instance-b").await.unwrap();
        push_job(app.state.clone(), json!({"push_id": push})).await.unwrap();
        assert_eq!(status(&admin, "carrier", &id).await["status"], "synced");
        // A holder that died leaves an expired lease, which the next push takes over.
        assert!(lease::acquire(&app.db, PUSH_LEASE, "crashed", chrono::Duration::seconds(-1)).await.unwrap());
        let res = admin.patch(&format!("/api/v1/config/carrier/{id}"), json!({"fields": {"cps": 9}})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        drain(&app).await;
        assert_eq!(status(&admin, "carrier", &id).await["synced_version"], 2);
        app
    })
    .await;
}

/// Makes every push waiting to try again, and every queued job, due now (instead of waiting out
/// the backoff).
async fn due_now(app: &TestApp) {
    let past = "2000-01-01T00:00:00.000000Z";
    sqlx::query("UPDATE switch_pushes SET retry_at = $1 WHERE retry_at IS NOT NULL").bind(past).execute(app.db.pool()).await.unwrap();
    sqlx::query("UPDATE jobs SET run_at = $1 WHERE status = 'queued'").bind(past).execute(app.db.pool()).await.unwrap();
}

/// The route objects on the local switch as (order, weight), sorted.
async fn local_routes(app: &TestApp) -> Vec<(i64, i64)> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT body FROM switch_local WHERE object = 'route'").fetch_all(app.db.pool()).await.unwrap();
    let mut out: Vec<(i64, i64)> = rows
        .iter()
        .map(|(b,)| {
            let v: Value = serde_json::from_str(b).unwrap();
            (v["order"].as_i64().unwrap(), v["weight"].as_i64().unwrap())
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_route_group_edit_reaches_the_switch_through_the_routes_that_use_it() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let a = create(&admin, "carrier", json!({"code": "a", "name": "Alpha", "hosts": ["10.1.1.1"]})).await;
        let b = create(&admin, "carrier", json!({"code": "b", "name": "Beta", "hosts": ["10.2.2.2"]})).await;
        let members = |x: &str, y: &str| json!([{"carrier_id": x, "order": 1, "share": 100}, {"carrier_id": y, "order": 2, "share": 100}]);
        let group = create(&admin, "route_group", json!({"code": "eg", "name": "Egypt", "members": members(&a, &b)})).await;
        let route = create(&admin, "route", json!({"name": "Egypt", "prefix": "20", "route_group_id": group})).await;
        drain(&app).await;
        assert_eq!(local_routes(&app).await, [(1, 100), (2, 100)]);
        let before: Vec<(String, String)> =
            sqlx::query_as("SELECT local_key, body FROM switch_objects WHERE object = 'route' ORDER BY local_key").fetch_all(app.db.pool()).await.unwrap();

        // The review of a new order shows the route updates it will make.
        let change = json!({"operation": "update", "id": group, "fields": {"members": members(&b, &a)}});
        let preview = admin.post("/api/v1/config/route_group/preview", change).await;
        assert_eq!(preview.status, 200, "{}", preview.text);
        let calls = preview.body["switch_calls"].as_array().unwrap_or_else(|| panic!("a route group's review shows switch calls: {}", preview.text)).clone();
        assert_eq!(calls.len(), 2, "{calls:?}");
        assert!(calls.iter().all(|c| c["method"] == "PUT" && c["object"] == "route"), "{calls:?}");
        let ordered: Vec<(String, i64)> = calls.iter().map(|c| (c["local_key"].as_str().unwrap().to_string(), c["body"]["order"].as_i64().unwrap())).collect();
        assert!(ordered.contains(&(format!("{route}/{b}"), 1)) && ordered.contains(&(format!("{route}/{a}"), 2)), "{ordered:?}");
        assert_eq!(app.count("switch_pushes").await, 3, "a review queues nothing");

        // Saving it queues a push of the route, and the switch gets the new order.
        let res = admin.patch(&format!("/api/v1/config/route_group/{group}"), json!({"fields": {"members": members(&b, &a)}})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        let waiting = admin.get("/api/v1/switch/pushes?status=pending").await;
        assert_eq!(waiting.body["total"], 1, "{}", waiting.text);
        assert_eq!((waiting.body["items"][0]["record_kind"].as_str(), waiting.body["items"][0]["record_id"].as_str()), (Some("route"), Some(route.as_str())));
        assert_eq!(waiting.body["items"][0]["operations"].as_array().unwrap().len(), 2, "the push shows the calls it will make");
        assert_eq!(status(&admin, "route", &route).await["status"], "pending");
        drain(&app).await;
        assert_eq!(status(&admin, "route", &route).await["status"], "synced");
        let after: Vec<(String, String)> =
            sqlx::query_as("SELECT local_key, body FROM switch_objects WHERE object = 'route' ORDER BY local_key").fetch_all(app.db.pool()).await.unwrap();
        assert_ne!(before, after);
        for (key, body) in &after {
            let order = serde_json::from_str::<Value>(body).unwrap()["order"].as_i64().unwrap();
            assert_eq!(order, if key.ends_with(&b) { 1 } else { 2 }, "{key}: {body}");
        }

        // A new member becomes a new route object; a member taken out is deleted from the switch.
        let c = create(&admin, "carrier", json!({"code": "c", "name": "Gamma", "hosts": ["10.3.3.3"]})).await;
        drain(&app).await;
        let three = json!([{"carrier_id": b, "order": 1, "share": 60}, {"carrier_id": c, "order": 1, "share": 40}, {"carrier_id": a, "order": 2, "share": 100}]);
        let res = admin.patch(&format!("/api/v1/config/route_group/{group}"), json!({"fields": {"members": three}})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        drain(&app).await;
        assert_eq!(local_routes(&app).await, [(1, 40), (1, 60), (2, 100)]);
        let two = json!([{"carrier_id": c, "order": 1, "share": 100}]);
        let preview = admin.post("/api/v1/config/route_group/preview", json!({"operation": "update", "id": group, "fields": {"members": two}})).await;
        let methods: Vec<&str> = preview.body["switch_calls"].as_array().unwrap().iter().map(|c| c["method"].as_str().unwrap()).collect();
        assert_eq!(methods, ["DELETE", "DELETE", "PUT"], "{}", preview.text);
        admin.patch(&format!("/api/v1/config/route_group/{group}"), json!({"fields": {"members": two}})).await;
        drain(&app).await;
        assert_eq!(local_routes(&app).await, [(1, 100)]);
        // A rename changes nothing on the switch: no calls, no push.
        let pushes = app.count("switch_pushes").await;
        let preview = admin.post("/api/v1/config/route_group/preview", json!({"operation": "update", "id": group, "fields": {"name": "Egypt mobile"}})).await;
        assert_eq!(preview.body["switch_calls"], json!([]), "{}", preview.text);
        admin.patch(&format!("/api/v1/config/route_group/{group}"), json!({"fields": {"name": "Egypt mobile"}})).await;
        assert_eq!(app.count("switch_pushes").await, pushes);
        assert_eq!(admin.get("/api/v1/switch").await.body["records"]["synced"], 4, "three carriers and the route are in step");
        app
    })
    .await;
}

#[tokio::test]
async fn drift_found_by_a_reconciliation_is_not_counted_in_step_and_needs_attention() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = create(&admin, "carrier", acme()).await;
        let other = create(&admin, "carrier", json!({"code": "b", "name": "Beta", "hosts": ["10.2.2.2"]})).await;
        drain(&app).await;
        let overview = admin.get("/api/v1/switch").await;
        assert_eq!((overview.body["records"]["synced"].as_i64(), overview.body["records"]["drift"].as_i64()), (Some(2), Some(0)), "{}", overview.text);
        // Someone edits the switch by hand.
        sqlx::query("UPDATE switch_local SET body = REPLACE(body, '\"channels\":30', '\"channels\":99') WHERE object = 'carrier'").execute(app.db.pool()).await.unwrap();
        admin.post("/api/v1/switch/reconciliations", json!({})).await;
        drain(&app).await;
        let overview = admin.get("/api/v1/switch").await;
        assert_eq!((overview.body["records"]["synced"].as_i64(), overview.body["records"]["drift"].as_i64()), (Some(1), Some(1)), "{}", overview.text);
        let s = status(&admin, "carrier", &id).await;
        assert_eq!(s["status"], "drift");
        assert!(s["last_error"].as_str().unwrap().contains("channels"), "{s}");
        assert_eq!(status(&admin, "carrier", &other).await["status"], "synced");
        // It is on the dashboard's list, and the admins were told once.
        let attention = admin.get("/api/v1/switch/attention").await;
        assert_eq!(attention.status, 200, "{}", attention.text);
        assert_eq!(attention.body["total"], 1);
        assert_eq!((attention.body["items"][0]["title"].as_str(), attention.body["items"][0]["status"].as_str()), (Some("ACME"), Some("drift")));
        let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE template = 'switch.drift'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(mails, 1);
        admin.post("/api/v1/switch/reconciliations", json!({})).await;
        drain(&app).await;
        let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE template = 'switch.drift'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(mails, 1, "the same drift is not mailed again");
        // Pushing it again repairs it.
        assert_eq!(admin.post(&format!("/api/v1/switch/records/carrier/{id}/push"), json!({})).await.status, 202);
        drain(&app).await;
        assert_eq!(status(&admin, "carrier", &id).await["status"], "synced");
        assert_eq!(admin.get("/api/v1/switch/attention").await.body["total"], 0);
        // A record whose drift is repaired by hand is back in step at the next reconciliation.
        sqlx::query("UPDATE switch_local SET body = REPLACE(body, '\"channels\":30', '\"channels\":98') WHERE object = 'carrier'").execute(app.db.pool()).await.unwrap();
        admin.post("/api/v1/switch/reconciliations", json!({})).await;
        drain(&app).await;
        assert_eq!(status(&admin, "carrier", &id).await["status"], "drift");
        sqlx::query("UPDATE switch_local SET body = REPLACE(body, '\"channels\":98', '\"channels\":30') WHERE object = 'carrier'").execute(app.db.pool()).await.unwrap();
        admin.post("/api/v1/switch/reconciliations", json!({})).await;
        drain(&app).await;
        assert_eq!(status(&admin, "carrier", &id).await["status"], "synced");
        assert_eq!(admin.get("/api/v1/switch").await.body["records"]["synced"], 2);
        app
    })
    .await;
}

#[tokio::test]
async fn a_push_that_meets_a_503_tries_again_later_and_fails_only_after_its_last_attempt() {
    use didtron::switch::sync::PUSH_ATTEMPTS;
    on_both_with_fake(|app, fake| {
        async move {
            let (admin, _) = app.signed_in("platform", "admin").await;
            // The driver tries each call three times; all three get a 503.
            let down = || vec![Fault::Status(503, None, "maintenance"); 3];
            fake.fault("POST", "carrier", down());
            let id = create(&admin, "carrier", acme()).await;
            drain(&app).await;
            let push = admin.get("/api/v1/switch/pushes").await.body["items"][0].clone();
            assert_eq!((push["status"].as_str(), push["attempts"].as_i64()), (Some("pending"), Some(1)), "not failed after one attempt: {push}");
            assert!(push["retry_at"].is_string(), "{push}");
            let s = status(&admin, "carrier", &id).await;
            assert_eq!(s["status"], "pending");
            assert!(s["last_error"].as_str().unwrap().contains("trying again"), "{s}");
            assert_eq!(admin.get("/api/v1/switch/attention").await.body["total"], 0);
            // The pause has passed and the switch is back: the push goes through.
            due_now(&app).await;
            drain(&app).await;
            let s = status(&admin, "carrier", &id).await;
            assert_eq!((s["status"].as_str(), s["last_error"].as_str()), (Some("synced"), None), "{s}");
            assert_eq!(fake.objects("carrier").iter().filter(|c| c["name"] == "ACME").count(), 1);

            // A switch that stays down: the push fails after its last attempt, and says so.
            let mut faults = Vec::new();
            for _ in 0..PUSH_ATTEMPTS {
                faults.extend(down());
            }
            fake.fault("PUT", "carrier", faults);
            let res = admin.patch(&format!("/api/v1/config/carrier/{id}"), json!({"fields": {"cps": 9}})).await;
            assert_eq!(res.status, 200, "{}", res.text);
            for attempt in 1..=PUSH_ATTEMPTS {
                drain(&app).await;
                let s = status(&admin, "carrier", &id).await;
                let expected = if attempt < PUSH_ATTEMPTS { "pending" } else { "failed" };
                assert_eq!(s["status"], expected, "after attempt {attempt}: {s}");
                due_now(&app).await;
            }
            let failed = admin.get("/api/v1/switch/pushes?status=failed").await;
            assert_eq!(failed.body["items"][0]["attempts"], PUSH_ATTEMPTS);
            assert!(failed.body["items"][0]["error"].as_str().unwrap().contains(&format!("after {PUSH_ATTEMPTS} attempts")), "{}", failed.text);
            let attention = admin.get("/api/v1/switch/attention").await;
            assert_eq!((attention.body["total"].as_i64(), attention.body["items"][0]["status"].as_str()), (Some(1), Some("failed")), "{}", attention.text);
            assert_eq!(admin.get("/api/v1/switch").await.body["records"]["failed"], 1);
            // The admins are told in the background.
            let mut mail = None;
            for _ in 0..100 {
                mail = sqlx::query_as::<_, (String, String)>("SELECT to_address, subject FROM mail_outbox WHERE template = 'switch.push_failed'").fetch_optional(app.db.pool()).await.unwrap();
                if mail.is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            let (to, subject) = mail.expect("a mail to the admins");
            assert_eq!(to, admin_email(&app).await);
            assert!(subject.contains("ACME"), "{subject}");
            app
        }
    })
    .await;
}

async fn admin_email(app: &TestApp) -> String {
    sqlx::query_as::<_, (String,)>("SELECT email FROM users WHERE role = 'admin'").fetch_one(app.db.pool()).await.unwrap().0
}

#[tokio::test]
async fn a_carrier_pushed_again_takes_the_routes_that_failed_for_want_of_it_along() {
    on_both_with_fake(|app, fake| {
        async move {
            let (admin, _) = app.signed_in("platform", "admin").await;
            // The carrier is refused, so the route that needs it cannot be made either.
            fake.fault("POST", "carrier", vec![Fault::Status(400, None, "name taken")]);
            let carrier = create(&admin, "carrier", acme()).await;
            let route = create(&admin, "route", json!({"name": "Egypt", "prefix": "20", "carrier_id": carrier})).await;
            drain(&app).await;
            assert_eq!(status(&admin, "carrier", &carrier).await["status"], "failed");
            let s = status(&admin, "route", &route).await;
            assert_eq!(s["status"], "failed");
            assert!(s["last_error"].as_str().unwrap().contains("push it first"), "{s}");
            // Retrying the carrier pushes the route after it.
            let push = admin.get("/api/v1/switch/pushes?status=failed&kind=carrier").await.body["items"][0]["id"].as_str().unwrap().to_string();
            assert_eq!(admin.post(&format!("/api/v1/switch/pushes/{push}/retry"), json!({})).await.status, 202);
            drain(&app).await;
            assert_eq!(status(&admin, "carrier", &carrier).await["status"], "synced");
            assert_eq!(status(&admin, "route", &route).await["status"], "synced");
            let remote = fake.objects("carrier").into_iter().find(|c| c["name"] == "ACME").unwrap()["id"].to_string();
            assert_eq!(fake.objects("route")[0]["carrier_id"], Value::String(remote));
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'switch.push_retry' AND target_id = $1").bind(&carrier).fetch_one(app.db.pool()).await.unwrap();
            assert_eq!(n, 1);
            app
        }
    })
    .await;
}
