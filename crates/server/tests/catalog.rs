//! The configuration catalog: every kind through the shared machinery, and the customer's choices.

mod common;

use common::{Client, on_both};
use serde_json::{Value, json};

const SIP: &str = "019ab9a0-0000-7000-8000-000000000001";
const ENTERPRISE: &str = "019ab9a0-0000-7000-8000-000000000002";

async fn create(c: &Client<'_>, kind: &str, fields: Value, assignments: Value) -> String {
    let res = c.post(&format!("/api/v1/config/{kind}"), json!({"fields": fields, "assignments": assignments})).await;
    assert_eq!(res.status, 201, "{kind}: {}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

fn codes(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|r| r["code"].as_str().or(r["iso_code"].as_str()).unwrap()).collect()
}

#[tokio::test]
async fn a_private_plan_reaches_only_its_customer() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let (alice, alice_user) = app.signed_in("customer", "owner").await;
        let (bob, _) = app.signed_in("customer", "owner").await;
        create(&admin, "plan", json!({"code": "starter", "name": "Starter", "channels": 2, "cps": 1}), json!([{"scope": {"kind": "all"}}])).await;
        create(
            &admin,
            "plan",
            json!({"code": "alice-500", "name": "Alice 500", "channels": 500, "cps": 50, "monthly_price": 999_000_000}),
            json!([{"scope": {"kind": "private", "id": alice_user.tenant_id}}]),
        )
        .await;
        let mine = alice.get("/api/v1/me/choices").await;
        assert_eq!(mine.status, 200, "{}", mine.text);
        assert_eq!(codes(&mine.body["plans"]), ["starter", "alice-500"]);
        assert!(mine.body["plans"][1]["assignments"].is_null(), "assignments are not shown to customers");
        assert_eq!(codes(&bob.get("/api/v1/me/choices").await.body["plans"]), ["starter"]);
        assert_eq!(admin.get("/api/v1/me/choices").await.status, 403, "the platform has no service choices");
        app
    })
    .await;
}

#[tokio::test]
async fn bad_catalog_input_gets_a_message_per_field() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        create(&admin, "plan", json!({"code": "p1", "name": "P1", "channels": 1, "cps": 1}), json!([])).await;
        let before = app.count("channel_plans").await;
        let res = admin.post("/api/v1/config/plan", json!({"fields": {"code": "P1", "name": "Again", "channels": 0, "cps": -5}})).await;
        assert_eq!(res.status, 422);
        let fields: Vec<&str> = res.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["channels", "cps", "code"], "{}", res.text);
        assert_eq!(app.count("channel_plans").await, before);

        let res = admin.post("/api/v1/config/did_country", json!({"fields": {"iso_code": "XX"}})).await;
        assert_eq!(res.status, 422);
        assert!(res.text.contains("not an ISO 3166 country code"));
        let res = admin.post("/api/v1/config/did_country", json!({"fields": {"iso_code": "de", "kyc_required": true}})).await;
        assert_eq!(res.status, 422);
        assert!(res.text.contains("required_documents"), "{}", res.text);
        let ok = admin.post("/api/v1/config/did_country", json!({"fields": {"iso_code": "de", "kyc_required": true, "kyc_type": "business", "required_documents": ["Trade register extract"]}})).await;
        assert_eq!(ok.status, 201, "{}", ok.text);
        assert_eq!(ok.body["iso_code"], "DE");
        assert_eq!(ok.body["name"], "Germany");

        let res = admin.post("/api/v1/config/pop", json!({"fields": {"code": "fra", "name": "Frankfurt", "sip_hosts": ["sip fra", "10.0.0.1:99999"], "transport": "carrier-pigeon"}})).await;
        assert_eq!(res.status, 422);
        let fields: Vec<&str> = res.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["sip_hosts[0]", "sip_hosts[1]", "transport"], "{}", res.text);
        let res = admin.post("/api/v1/config/auth_method", json!({"fields": {"code": "x", "name": "X", "method": "magic"}})).await;
        assert_eq!(res.status, 422);
        let res = admin.post("/api/v1/config/voice_tier", json!({"fields": {"code": "gold", "name": "Gold", "target_asr": 140, "target_pdd_ms": 3000}})).await;
        assert_eq!(res.status, 422);
        assert_eq!(res.body["fields"][0]["field"], "target_asr");
        app
    })
    .await;
}

#[tokio::test]
async fn disabling_a_pop_names_the_customers_it_affects() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        app.seed_customer("Alpha Telecom", Some(SIP), None).await;
        app.seed_customer("Bravo Calls", Some(ENTERPRISE), None).await;
        app.seed_customer("Charlie Voice", Some(SIP), None).await;
        let pop = create(
            &admin,
            "pop",
            json!({"code": "lon", "name": "London", "region": "EU", "sip_hosts": ["lon1.sip.example.net", "203.0.113.10:5080"], "capacity_channels": 5000}),
            json!([{"scope": {"kind": "category", "id": SIP}}]),
        )
        .await;
        let preview = admin.post("/api/v1/config/pop/preview", json!({"operation": "update", "id": pop, "fields": {"status": "disabled"}})).await;
        assert_eq!(preview.status, 200, "{}", preview.text);
        let names: Vec<&str> = preview.body["affected_customers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Alpha Telecom", "Charlie Voice"]);
        // As a draft, pushed: a new version with the change.
        let draft = admin.post("/api/v1/config/drafts", json!({"kind": "pop", "change": {"operation": "update", "id": pop, "fields": {"status": "disabled"}}})).await;
        let id = draft.body["draft"]["id"].as_str().unwrap();
        let pushed = admin.post(&format!("/api/v1/config/drafts/{id}/push"), json!({})).await;
        assert_eq!(pushed.body["status"], "disabled");
        assert_eq!(pushed.body["version"], 2);
        app
    })
    .await;
}

#[tokio::test]
async fn choices_follow_order_status_and_the_most_specific_default() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let (customer, user) = app.signed_in("customer", "technical").await;
        sqlx::query("UPDATE tenants SET category_id = $1 WHERE id = $2").bind(SIP).bind(&user.tenant_id).execute(app.db.pool()).await.unwrap();
        let all = json!([{"scope": {"kind": "all"}}]);
        create(&admin, "codec", json!({"code": "g729", "name": "G.729", "priority": 30, "payload_type": 18}), all.clone()).await;
        create(&admin, "codec", json!({"code": "pcmu", "name": "G.711 µ-law", "priority": 10, "payload_type": 0}), all.clone()).await;
        create(&admin, "codec", json!({"code": "opus", "name": "Opus", "priority": 20, "status": "disabled"}), all.clone()).await;
        let userpass = create(&admin, "auth_method", json!({"code": "userpass", "name": "Username and password", "method": "userpass"}), all.clone()).await;
        let ip = create(&admin, "auth_method", json!({"code": "ip", "name": "IP address", "method": "ip"}), json!([{"scope": {"kind": "category", "id": SIP}}])).await;
        create(&admin, "auth_method", json!({"code": "both", "name": "Both", "method": "both"}), json!([{"scope": {"kind": "category", "id": ENTERPRISE}}])).await;
        create(&admin, "did_country", json!({"iso_code": "US", "monthly_price": 1_000_000}), all.clone()).await;
        create(&admin, "did_country", json!({"iso_code": "GB"}), json!([{"scope": {"kind": "all"}}, {"scope": {"kind": "category", "id": SIP}, "exclude": true}])).await;
        create(&admin, "voice_tier", json!({"code": "premium", "name": "Premium", "target_asr": 55, "target_pdd_ms": 2500, "rate_per_minute": 12000}), all.clone()).await;

        let c = customer.get("/api/v1/me/choices").await;
        assert_eq!(c.status, 200, "{}", c.text);
        assert_eq!(codes(&c.body["codecs"]), ["pcmu", "g729"], "priority order, disabled left out");
        assert_eq!(codes(&c.body["auth_methods"]), ["ip", "userpass"]);
        assert_eq!(c.body["default_auth_method"], ip.as_str(), "the category's method beats ALL's");
        assert_eq!(codes(&c.body["did_countries"]), ["US"], "GB excludes SIP Trunk");
        assert_eq!(codes(&c.body["voice_tiers"]), ["premium"]);
        // Moved out of the category, the customer falls back to ALL's default.
        sqlx::query("UPDATE tenants SET category_id = NULL WHERE id = $1").bind(&user.tenant_id).execute(app.db.pool()).await.unwrap();
        let c = customer.get("/api/v1/me/choices").await;
        assert_eq!(c.body["default_auth_method"], userpass.as_str());
        assert_eq!(codes(&c.body["did_countries"]), ["GB", "US"]);
        app
    })
    .await;
}

#[tokio::test]
async fn a_local_did_provider_keeps_its_inventory_and_syncs() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let bad = admin.post("/api/v1/config/did_provider", json!({"fields": {"code": "p", "name": "P", "countries": ["US", "ZZ"]}})).await;
        assert_eq!(bad.status, 422);
        assert_eq!(bad.body["fields"][0]["field"], "countries[1]");
        let unknown = admin.post("/api/v1/config/did_provider", json!({"fields": {"code": "p", "name": "P", "adapter": "acme-api", "countries": ["US"]}})).await;
        assert_eq!(unknown.status, 422);
        let id = create(&admin, "did_provider", json!({"code": "local", "name": "Own numbers", "countries": ["US", "gb"]}), json!([{"scope": {"kind": "all"}}])).await;

        let wrong = admin.post(&format!("/api/v1/did-providers/{id}/inventory"), json!({"country": "US", "numbers": ["+12025550100", "555-0101"]})).await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.body["fields"][0]["field"], "numbers[1]");
        let elsewhere = admin.post(&format!("/api/v1/did-providers/{id}/inventory"), json!({"country": "FR", "numbers": ["+33123456789"]})).await;
        assert_eq!(elsewhere.status, 422);
        assert_eq!(app.count("did_inventory").await, 0, "nothing half-added");
        let added = admin
            .post(&format!("/api/v1/did-providers/{id}/inventory"), json!({"country": "US", "area": "Washington DC", "numbers": ["+1 202 555 0100", "+12025550101"]}))
            .await;
        assert_eq!(added.status, 201, "{}", added.text);
        assert_eq!(added.body["added"], 2);
        let dup = admin.post(&format!("/api/v1/did-providers/{id}/inventory"), json!({"country": "US", "numbers": ["+12025550100"]})).await;
        assert_eq!(dup.status, 409);
        let list = admin.get(&format!("/api/v1/did-providers/{id}/inventory?q=0101")).await;
        assert_eq!(list.body["total"], 1);

        let queued = admin.post(&format!("/api/v1/did-providers/{id}/sync"), json!({})).await;
        assert_eq!(queued.status, 202);
        let mut w = didtron::jobs::worker::Worker::new(app.state.clone());
        w.backoff = chrono::Duration::zero();
        w.drain().await.unwrap();
        let status = admin.get(&format!("/api/v1/did-providers/{id}/sync")).await;
        assert_eq!(status.body["last_sync_status"], "ok");
        assert_eq!(status.body["last_sync_result"], "2 available (US 2)");

        sqlx::query("UPDATE did_inventory SET status = 'assigned' WHERE number = '+12025550100'").execute(app.db.pool()).await.unwrap();
        let del = admin.delete(&format!("/api/v1/config/did_provider/{id}")).await;
        assert_eq!(del.status, 409);
        assert!(del.text.contains("reserved or in use"));
        app
    })
    .await;
}
