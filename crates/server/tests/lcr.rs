//! Customer rate cards, routes, route groups, LCR profiles and background deck imports, through the
//! API on SQLite and PostgreSQL.

mod common;

use axum::http::Method;
use common::{Client, TestApp, on_both};
use serde_json::{Value, json};

const SIP: &str = "019ab9a0-0000-7000-8000-000000000001";
const ENTERPRISE: &str = "019ab9a0-0000-7000-8000-000000000002";

fn all() -> Value {
    json!([{"scope": {"kind": "all"}}])
}

async fn create(c: &Client<'_>, kind: &str, fields: Value, assignments: Value) -> String {
    let body = if assignments.is_null() { json!({"fields": fields}) } else { json!({"fields": fields, "assignments": assignments}) };
    let res = c.post(&format!("/api/v1/config/{kind}"), body).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

async fn send(app: &TestApp, c: &Client<'_>, path: &str, body: &str) -> common::TestResponse {
    let csrf = c.cookie("didtron_csrf").unwrap();
    let cookie = format!("didtron_session={}; didtron_csrf={csrf}", c.cookie("didtron_session").unwrap());
    app.send_bytes(Method::POST, path, body.as_bytes().to_vec(), &[("cookie".into(), cookie), ("x-csrf-token".into(), csrf)]).await
}

/// Three carriers for everyone with rates to Egypt (20): ACME 0.10, Beta 0.09, Core 0.12.
async fn three_carriers(app: &TestApp, admin: &Client<'_>) -> [String; 3] {
    let mut ids = Vec::new();
    for (name, rate) in [("ACME", "0.10"), ("Beta", "0.09"), ("Core", "0.12")] {
        let id = create(admin, "carrier", json!({"code": name.to_lowercase(), "name": name, "hosts": ["sip.example.net"]}), all()).await;
        let deck = format!("prefix,destination,rate\n20,Egypt,{rate}\n44,United Kingdom,0.01\n");
        let res = send(app, admin, &format!("/api/v1/carriers/{id}/rate-decks?filename=d.csv"), &deck).await;
        assert_eq!(res.status, 201, "{}", res.text);
        ids.push(id);
    }
    ids.try_into().unwrap()
}

fn carriers(res: &Value) -> Vec<String> {
    res.as_array().unwrap_or_else(|| panic!("not a list: {res}")).iter().map(|c| c["carrier"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_derived_card_adds_its_margin_and_the_longest_override_wins() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        three_carriers(&app, &admin).await;
        let customer = app.seed_customer("Small Co", Some(SIP), None).await;
        let card = json!({"code": "retail", "name": "Retail", "margin_type": "percent", "margin": 20_000_000,
            "overrides": [{"prefix": "2010", "margin_type": "fixed", "margin": 50_000}]});
        create(&admin, "rate_card", card, json!([{"scope": {"kind": "category", "id": SIP}}])).await;

        let r = admin.get(&format!("/api/v1/routing/lookup?number=2012345&customer={customer}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(carriers(&r.body), ["Beta", "ACME", "Core"]);
        assert_eq!((r.body[0]["rate"].as_str(), r.body[0]["sell_rate"].as_str(), r.body[0]["margin"].as_str()), (Some("0.09"), Some("0.108"), Some("0.018")));
        let mobile = admin.get(&format!("/api/v1/routing/lookup?number=201012345&customer={customer}")).await;
        assert_eq!(mobile.body[0]["sell_rate_micro"], 140_000, "0.09 + the fixed 0.05 of the 2010 override");
        // Without a customer there is no card, so no sell rate; the order stays cheapest first.
        let plain = admin.get("/api/v1/routing/lookup?number=2012345").await;
        assert_eq!(carriers(&plain.body), ["Beta", "ACME", "Core"]);
        assert!(plain.body[0]["sell_rate"].is_null());
        let explained = admin.get(&format!("/api/v1/routing/explain?number=2012345&customer={customer}")).await;
        assert_eq!(explained.body["rate_card"]["name"], "Retail");
        app
    })
    .await;
}

#[tokio::test]
async fn the_margin_guard_never_routes_at_a_loss_unless_the_profile_allows_it() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        three_carriers(&app, &admin).await;
        let customer = app.seed_customer("Small Co", Some(SIP), None).await;
        let card = create(&admin, "rate_card", json!({"code": "flat", "name": "Flat", "source": "uploaded"}), json!([{"scope": {"kind": "customer", "id": customer}}])).await;
        // Sell Egypt at 0.11: Core (0.12) would lose money.
        let bad = send(&app, &admin, &format!("/api/v1/rate-cards/{card}/rates?filename=sell.csv"), "prefix,destination,rate\n20,Egypt,zero\n").await;
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert_eq!(app.count("sell_rates").await, 0, "nothing half-imported");
        let ok = send(&app, &admin, &format!("/api/v1/rate-cards/{card}/rates?filename=sell.csv"), "prefix,destination,rate\n20,Egypt,0.11\n").await;
        assert_eq!(ok.status, 201, "{}", ok.text);
        assert_eq!(admin.get(&format!("/api/v1/rate-cards/{card}/rates")).await.body["total"], 1);

        let url = format!("/api/v1/routing/explain?number=2012345&customer={customer}");
        let plan = admin.get(&url).await;
        assert_eq!(carriers(&plan.body["candidates"]), ["Beta", "ACME"]);
        assert_eq!(plan.body["candidates"][0]["margin"], "0.02");
        assert_eq!(plan.body["excluded"][0]["carrier"], "Core");
        assert!(plan.body["excluded"][0]["reason"].as_str().unwrap().contains("below the profile's minimum"));
        // No sell rate for the UK on this card: nothing to route there.
        let uk = admin.get(&format!("/api/v1/routing/explain?number=447700&customer={customer}")).await;
        assert!(uk.body["candidates"].as_array().unwrap().is_empty());
        assert_eq!(uk.body["excluded"].as_array().unwrap().len(), 3);

        // A profile that allows it keeps Core, marked.
        create(&admin, "lcr_profile", json!({"code": "lenient", "name": "Lenient", "allow_below_margin": true}), json!([{"scope": {"kind": "customer", "id": customer}}])).await;
        let plan = admin.get(&url).await;
        assert_eq!(carriers(&plan.body["candidates"]), ["Beta", "ACME", "Core"]);
        assert_eq!(plan.body["candidates"][2]["below_margin"], true);
        assert_eq!(plan.body["profile"]["name"], "Lenient");

        // A derived card cannot take an upload.
        let derived = create(&admin, "rate_card", json!({"code": "d", "name": "Derived"}), json!([])).await;
        assert_eq!(send(&app, &admin, &format!("/api/v1/rate-cards/{derived}/rates?filename=s.csv"), "prefix,rate\n20,1\n").await.status, 422);
        app
    })
    .await;
}

#[tokio::test]
async fn a_custom_route_sends_one_customer_only_through_its_carrier() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let [_acme, _beta, core] = three_carriers(&app, &admin).await;
        let xyz = app.seed_customer("XYZ", Some(SIP), None).await;
        let other = app.seed_customer("Other", Some(SIP), None).await;
        // "Customer XYZ reaches Egypt only through Core."
        let route = json!({"name": "XYZ Egypt via Core", "prefix": "20", "carrier_id": core, "failover": false});
        create(&admin, "route", route, json!([{"scope": {"kind": "customer", "id": xyz}}])).await;

        let mine = admin.get(&format!("/api/v1/routing/explain?number=2012345&customer={xyz}")).await;
        assert_eq!(carriers(&mine.body["candidates"]), ["Core"]);
        assert_eq!(mine.body["route"]["name"], "XYZ Egypt via Core");
        assert_eq!(mine.body["excluded"].as_array().unwrap().len(), 2);
        let theirs = admin.get(&format!("/api/v1/routing/lookup?number=2012345&customer={other}")).await;
        assert_eq!(carriers(&theirs.body), ["Beta", "ACME", "Core"]);
        // The UK is not covered by the route: cheapest first as usual.
        let uk = admin.get(&format!("/api/v1/routing/lookup?number=447700&customer={xyz}")).await;
        assert_eq!(carriers(&uk.body).len(), 3);
        app
    })
    .await;
}

#[tokio::test]
async fn a_route_group_puts_primary_carriers_first_by_share_then_backup_then_the_rest() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let [acme, beta, core] = three_carriers(&app, &admin).await;
        let bad = admin
            .post("/api/v1/config/route_group", json!({"fields": {"code": "eg", "name": "Egypt", "members": [
                {"carrier_id": core, "order": 1, "share": 60}, {"carrier_id": acme, "order": 1, "share": 30}]}}))
            .await;
        assert_eq!(bad.status, 422, "{}", bad.text);
        assert!(bad.text.contains("add up to 90"), "{}", bad.text);
        assert_eq!(app.count("route_groups").await, 0);
        let group = create(&admin, "route_group", json!({"code": "eg", "name": "Egypt", "members": [
            {"carrier_id": core, "order": 1, "share": 70}, {"carrier_id": acme, "order": 1, "share": 30}]}), Value::Null).await;
        create(&admin, "route", json!({"name": "Egypt group", "prefix": "20", "route_group_id": group}), all()).await;
        let r = admin.get("/api/v1/routing/lookup?number=2012345").await;
        assert_eq!(carriers(&r.body), ["Core", "ACME", "Beta"]);
        assert_eq!((r.body[0]["share"].as_u64(), r.body[1]["share"].as_u64(), r.body[2]["share"].as_u64()), (Some(70), Some(30), None));

        // Route rules: a carrier or a group, not both, and both must exist.
        let both = admin.post("/api/v1/config/route", json!({"fields": {"name": "x", "prefix": "20", "carrier_id": beta, "route_group_id": group}})).await;
        assert_eq!(both.status, 422);
        let ghost = admin.post("/api/v1/config/route", json!({"fields": {"name": "x", "prefix": "2a", "carrier_id": "nope"}})).await;
        assert_eq!(ghost.status, 422);
        assert!(ghost.text.contains("no such carrier") && ghost.text.contains("1–15 digits"), "{}", ghost.text);
        // A carrier in a group, or with rate history, cannot be deleted; the preview says why.
        let preview = admin.post("/api/v1/config/carrier/preview", json!({"operation": "delete", "id": core})).await;
        let blockers = preview.body["blockers"].as_array().unwrap().iter().map(|b| b.as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert!(blockers.iter().any(|b| b.contains("route group(s) Egypt")) && blockers.iter().any(|b| b.contains("rate deck")), "{blockers:?}");
        let refused = admin.delete(&format!("/api/v1/config/carrier/{core}")).await;
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert_eq!(app.count("carriers").await, 3);
        // The group cannot go while a route uses it.
        let del = admin.delete(&format!("/api/v1/config/route_group/{group}")).await;
        assert_eq!(del.status, 409, "{}", del.text);
        app
    })
    .await;
}

#[tokio::test]
async fn profiles_order_by_priority_or_quality_for_the_customers_they_reach() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let [acme, beta, core] = three_carriers(&app, &admin).await;
        let sip = app.seed_customer("Small Co", Some(SIP), None).await;
        let ent = app.seed_customer("Big Co", Some(ENTERPRISE), None).await;
        // Priorities: Core 1, ACME 2, Beta 3.
        for (id, priority) in [(&core, 1), (&acme, 2), (&beta, 3)] {
            let res = admin.patch(&format!("/api/v1/config/carrier/{id}"), json!({"fields": {"priority": priority}})).await;
            assert_eq!(res.status, 200, "{}", res.text);
        }
        create(&admin, "lcr_profile", json!({"code": "prio", "name": "By priority", "strategy": "priority"}), json!([{"scope": {"kind": "category", "id": ENTERPRISE}}])).await;
        // Quality: Beta is cheap but poor (ASR 10 %, 20 s calls, 7 s PDD), ACME excellent.
        let now = didtron_core::time::to_db(didtron_core::time::now());
        for (id, asr, acd, pdd) in [(&beta, 100, 20, 7000), (&acme, 600, 180, 1000)] {
            sqlx::query("INSERT INTO carrier_quality (carrier_id, asr_permille, acd_seconds, pdd_ms, calls, created_at, updated_at) VALUES ($1, $2, $3, $4, 500, $5, $5)")
                .bind(id.as_str())
                .bind(asr as i64)
                .bind(acd as i64)
                .bind(pdd as i64)
                .bind(&now)
                .execute(app.db.pool())
                .await
                .unwrap();
        }
        create(&admin, "lcr_profile", json!({"code": "q", "name": "Quality", "strategy": "quality", "quality_weight": 100}), json!([{"scope": {"kind": "category", "id": SIP}}])).await;

        let by_priority = admin.get(&format!("/api/v1/routing/lookup?number=2012345&customer={ent}")).await;
        assert_eq!(carriers(&by_priority.body), ["Core", "ACME", "Beta"]);
        // Scores: ACME 0.6×0.6 + 0.2×1 + 0.2×0.875 = 0.735 → 0.10 × 1.265 = 0.1265; Beta 0.6×0.1 + 0.2×0.111 + 0.2×0.125
        // = 0.107 → 0.09 × 1.893 = 0.1704; Core unmeasured (0.5) → 0.12 × 1.5 = 0.18.
        let by_quality = admin.get(&format!("/api/v1/routing/lookup?number=2012345&customer={sip}")).await;
        assert_eq!(carriers(&by_quality.body), ["ACME", "Beta", "Core"]);
        let bad = admin.post("/api/v1/config/lcr_profile", json!({"fields": {"code": "x", "name": "X", "strategy": "random"}})).await;
        assert_eq!(bad.status, 422);
        app
    })
    .await;
}

#[tokio::test]
async fn a_large_deck_imports_in_the_background_with_its_progress_on_the_deck() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let acme = create(&admin, "carrier", json!({"code": "acme", "name": "ACME", "hosts": ["sip.example.net"]}), all()).await;
        let mut deck = String::from("prefix,destination,rate\n");
        for i in 0..5_000 {
            deck.push_str(&format!("{},Somewhere,0.0{}\n", 300_000 + i, 1 + i % 9));
        }
        let res = send(&app, &admin, &format!("/api/v1/carriers/{acme}/rate-decks?filename=big.csv&background=true"), &deck).await;
        assert_eq!(res.status, 202, "{}", res.text);
        let deck_id = res.body["deck_id"].as_str().unwrap().to_string();
        let decks = admin.get(&format!("/api/v1/carriers/{acme}/rate-decks")).await;
        assert_eq!((decks.body["items"][0]["id"].as_str(), decks.body["items"][0]["status"].as_str()), (Some(deck_id.as_str()), Some("queued")));
        assert_eq!(app.count("uploads").await, 1);

        didtron::jobs::worker::Worker::new(app.state.clone()).drain().await.unwrap();
        let decks = admin.get(&format!("/api/v1/carriers/{acme}/rate-decks")).await;
        assert_eq!(decks.body["total"], 1, "the placeholder became the deck: {}", decks.text);
        assert_eq!((decks.body["items"][0]["id"].as_str(), decks.body["items"][0]["status"].as_str()), (Some(deck_id.as_str()), Some("active")));
        assert_eq!(decks.body["items"][0]["row_count"], 5000);
        assert_eq!(app.count("uploads").await, 0, "the file is dropped once imported");
        assert_eq!(admin.get("/api/v1/routing/lookup?number=3000421").await.body[0]["prefix"], "300042");

        // A bad file in the background ends as a rejected deck with its report; the old deck stays.
        let res = send(&app, &admin, &format!("/api/v1/carriers/{acme}/rate-decks?filename=bad.csv&background=true"), "prefix,destination,rate\n1,x,oops\n").await;
        assert_eq!(res.status, 202);
        didtron::jobs::worker::Worker::new(app.state.clone()).drain().await.unwrap();
        let decks = admin.get(&format!("/api/v1/carriers/{acme}/rate-decks")).await;
        assert_eq!(decks.body["items"][0]["status"], "rejected");
        assert_eq!(decks.body["items"][0]["report"]["errors"][0]["line"], 2);
        assert_eq!(decks.body["items"][1]["status"], "active");
        app
    })
    .await;
}
