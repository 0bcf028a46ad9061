//! Categories, groups, scoped assignment, versions, drafts, impact and the audit log, through the
//! HTTP API on SQLite and PostgreSQL.

mod common;

use common::{Client, TestApp, on_both};
use serde_json::{Value, json};

const SIP: &str = "019ab9a0-0000-7000-8000-000000000001";
const ENTERPRISE: &str = "019ab9a0-0000-7000-8000-000000000002";
const INDIVIDUAL: &str = "019ab9a0-0000-7000-8000-000000000004";

async fn audit_count(app: &TestApp) -> i64 {
    app.count("audit_log").await
}

async fn plan(c: &Client<'_>, code: &str, assignments: Value) -> String {
    let res = c
        .post("/api/v1/config/plan", json!({"fields": {"code": code, "name": format!("Plan {code}"), "channels": 10, "cps": 5}, "assignments": assignments}))
        .await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

fn names(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn categories_are_versioned_and_roll_back() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let before = audit_count(&app).await;
        let created = admin.post("/api/v1/config/category", json!({"fields": {"code": "Wholesale", "name": "Wholesale", "description": "Carriers' carriers"}})).await;
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.body["version"], 1);
        assert_eq!(created.body["code"], "wholesale", "codes are normalised");
        assert_eq!(created.body["is_public"], true);
        let id = created.body["id"].as_str().unwrap().to_string();

        let updated = admin.patch(&format!("/api/v1/config/category/{id}"), json!({"fields": {"name": "Wholesale Voice", "is_public": false}, "expected_version": 1})).await;
        assert_eq!(updated.status, 200, "{}", updated.text);
        assert_eq!(updated.body["version"], 2);
        assert_eq!(updated.body["description"], "Carriers' carriers", "fields not given are kept");

        let history = admin.get(&format!("/api/v1/config/category/{id}/versions")).await;
        assert_eq!(history.body["total"], 2);
        let diff: Vec<&str> = history.body["items"][0]["diff"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
        assert_eq!(diff, ["is_public", "name"]);

        let rolled = admin.post(&format!("/api/v1/config/category/{id}/rollback"), json!({"version": 1})).await;
        assert_eq!(rolled.status, 200, "{}", rolled.text);
        assert_eq!(rolled.body["name"], "Wholesale");
        assert_eq!(rolled.body["is_public"], true);
        assert_eq!(rolled.body["version"], 3, "a rollback is itself a new version");
        let history = admin.get(&format!("/api/v1/config/category/{id}/versions")).await;
        assert_eq!(history.body["items"][0]["action"], "rollback");

        // Three writes, three audit entries, each with the values before and after.
        assert_eq!(audit_count(&app).await, before + 3);
        let log = admin.get(&format!("/api/v1/admin/audit?target_id={id}")).await;
        assert_eq!(log.status, 200);
        let entries = log.body["items"].as_array().unwrap();
        assert_eq!(entries.iter().map(|e| e["action"].as_str().unwrap()).collect::<Vec<_>>(), ["category.rollback", "category.update", "category.create"]);
        assert_eq!(entries[0]["old_values"]["name"], "Wholesale Voice");
        assert_eq!(entries[0]["new_values"]["name"], "Wholesale");
        assert_eq!(entries[2]["old_values"], Value::Null);

        // A stale edit is refused.
        let stale = admin.patch(&format!("/api/v1/config/category/{id}"), json!({"fields": {"name": "X"}, "expected_version": 1})).await;
        assert_eq!(stale.status, 409);
        app
    })
    .await;
}

#[tokio::test]
async fn bad_category_input_is_refused_and_changes_nothing() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let (categories, versions, audits) = (app.count("categories").await, app.count("config_versions").await, audit_count(&app).await);
        let dup = admin.post("/api/v1/config/category", json!({"fields": {"code": "SIP_TRUNK", "name": ""}})).await;
        assert_eq!(dup.status, 422, "{}", dup.text);
        let fields: Vec<&str> = dup.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["name", "code"]);
        assert!(dup.text.contains("already used"));
        let unknown = admin.post("/api/v1/config/category", json!({"fields": {"code": "x", "name": "X", "colour": "red"}})).await;
        assert_eq!(unknown.status, 422);
        assert_eq!(unknown.body["fields"][0]["field"], "colour");
        let bad_code = admin.post("/api/v1/config/category", json!({"fields": {"code": "has space", "name": "X", "sort_order": -1}})).await;
        assert_eq!(bad_code.status, 422);
        assert_eq!((app.count("categories").await, app.count("config_versions").await, audit_count(&app).await), (categories, versions, audits));
        // Someone who may only read cannot write.
        let (viewer, _) = app.signed_in("platform", "viewer").await;
        assert_eq!(viewer.get("/api/v1/config/category").await.status, 200);
        assert_eq!(viewer.post("/api/v1/config/category", json!({"fields": {"code": "v", "name": "V"}})).await.status, 403);
        let (customer, _) = app.signed_in("customer", "owner").await;
        assert_eq!(customer.get("/api/v1/config/category").await.status, 403);
        app
    })
    .await;
}

#[tokio::test]
async fn a_category_with_customers_cannot_be_deleted() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        app.seed_customer("Acme", Some(ENTERPRISE), None).await;
        let (versions, audits) = (app.count("config_versions").await, audit_count(&app).await);
        let res = admin.delete(&format!("/api/v1/config/category/{ENTERPRISE}")).await;
        assert_eq!(res.status, 409, "{}", res.text);
        assert!(res.body["message"].as_str().unwrap().contains("1 customer is still in it"), "{}", res.text);
        assert_eq!(admin.get(&format!("/api/v1/config/category/{ENTERPRISE}")).await.status, 200);
        assert_eq!((app.count("config_versions").await, audit_count(&app).await), (versions, audits), "nothing changed");
        // The preview says so before anyone tries.
        let preview = admin.post("/api/v1/config/category/preview", json!({"operation": "delete", "id": ENTERPRISE})).await;
        assert_eq!(preview.status, 200);
        assert_eq!(preview.body["blockers"].as_array().unwrap().len(), 1);

        // An empty one can be deleted, and brought back by rollback.
        let gone = admin.delete(&format!("/api/v1/config/category/{INDIVIDUAL}")).await;
        assert_eq!(gone.status, 204, "{}", gone.text);
        assert_eq!(admin.get(&format!("/api/v1/config/category/{INDIVIDUAL}")).await.status, 404);
        let history = admin.get(&format!("/api/v1/config/category/{INDIVIDUAL}/versions")).await;
        assert_eq!(history.body["items"][0]["action"], "delete");
        assert_eq!(history.body["items"][1]["note"], "initial state", "a seeded record's first state is kept");
        let back = admin.post(&format!("/api/v1/config/category/{INDIVIDUAL}/rollback"), json!({"version": 1})).await;
        assert_eq!(back.status, 200, "{}", back.text);
        assert_eq!(back.body["name"], "Individual");
        app
    })
    .await;
}

#[tokio::test]
async fn groups_live_in_a_category() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let g = admin.post("/api/v1/config/group", json!({"fields": {"category_id": SIP, "code": "gold", "name": "Gold"}})).await;
        assert_eq!(g.status, 201, "{}", g.text);
        let dup = admin.post("/api/v1/config/group", json!({"fields": {"category_id": SIP, "code": "gold", "name": "Gold 2"}})).await;
        assert_eq!(dup.status, 422);
        let other = admin.post("/api/v1/config/group", json!({"fields": {"category_id": ENTERPRISE, "code": "gold", "name": "Gold"}})).await;
        assert_eq!(other.status, 201, "the same code in another category is fine");
        let nowhere = admin.post("/api/v1/config/group", json!({"fields": {"category_id": "nope", "code": "x", "name": "X"}})).await;
        assert_eq!(nowhere.status, 422);
        let listed = admin.get(&format!("/api/v1/config/group?filter=category_id:{SIP}")).await;
        assert_eq!(listed.body["total"], 1);
        // A category with groups cannot go either.
        let res = admin.delete(&format!("/api/v1/config/category/{SIP}")).await;
        assert_eq!(res.status, 409);
        assert!(res.text.contains("group"));
        app
    })
    .await;
}

/// ALL < category < group < customer, exclusions and private records, seen through the move preview.
#[tokio::test]
async fn a_move_preview_lists_exactly_the_offerings_that_change() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let gold = admin.post("/api/v1/config/group", json!({"fields": {"category_id": INDIVIDUAL, "code": "gold", "name": "Gold"}})).await.body["id"]
            .as_str()
            .unwrap()
            .to_string();
        let acme = app.seed_customer("Acme", Some(SIP), None).await;
        // Everyone but Individual.
        plan(&admin, "standard", json!([{"scope": {"kind": "all"}}, {"scope": {"kind": "category", "id": INDIVIDUAL}, "exclude": true}])).await;
        // Only SIP Trunk customers.
        plan(&admin, "trunk", json!([{"scope": {"kind": "category", "id": SIP}}])).await;
        // Individual's Gold group, in spite of the exclusion above it.
        plan(&admin, "gold", json!([{"scope": {"kind": "group", "id": gold}}])).await;
        // Everyone, unchanged by any move.
        plan(&admin, "basic", json!([{"scope": {"kind": "all"}}])).await;
        // Acme's private plan, which follows Acme wherever it goes.
        plan(&admin, "acme", json!([{"scope": {"kind": "private", "id": acme}}])).await;
        // All of Individual except Acme.
        plan(&admin, "solo", json!([{"scope": {"kind": "category", "id": INDIVIDUAL}}, {"scope": {"kind": "customer", "id": acme}, "exclude": true}])).await;

        let preview = admin.post(&format!("/api/v1/customers/{acme}/move/preview"), json!({"category_id": INDIVIDUAL, "group_id": gold})).await;
        assert_eq!(preview.status, 200, "{}", preview.text);
        assert_eq!(names(&preview.body["gains"]), ["Plan gold"]);
        assert_eq!(names(&preview.body["losses"]), ["Plan standard", "Plan trunk"]);
        assert_eq!(preview.body["from_category"], "SIP Trunk");
        assert_eq!(preview.body["to_group"], "Gold");

        // Moving into Individual without the group: Gold is not gained, and the exclusion of Acme
        // keeps "solo" away.
        let plain = admin.post(&format!("/api/v1/customers/{acme}/move/preview"), json!({"category_id": INDIVIDUAL})).await;
        assert!(names(&plain.body["gains"]).is_empty(), "{}", plain.text);

        // A group of another category is refused.
        let bad = admin.post(&format!("/api/v1/customers/{acme}/move/preview"), json!({"category_id": SIP, "group_id": gold})).await;
        assert_eq!(bad.status, 422);

        let before = audit_count(&app).await;
        let moved = admin.post(&format!("/api/v1/customers/{acme}/move"), json!({"category_id": INDIVIDUAL, "group_id": gold})).await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        assert_eq!(audit_count(&app).await, before + 1);
        let listed = admin.get(&format!("/api/v1/customers?category_id={INDIVIDUAL}")).await;
        assert_eq!(listed.body["items"][0]["group_name"], "Gold");
        let one = admin.get(&format!("/api/v1/customers/{acme}")).await;
        assert_eq!((one.status.as_u16(), one.body["category_name"].as_str()), (200, Some("Individual")));
        assert_eq!(admin.get("/api/v1/customers/019ab9a0-0000-7000-8000-0000000000ff").await.status, 404);
        let log = admin.get("/api/v1/admin/audit?action=customer.move").await;
        assert_eq!(log.body["items"][0]["old_values"]["category_id"], SIP);
        assert_eq!(log.body["items"][0]["new_values"]["group_id"], gold.as_str());
        // Moving back previews the reverse.
        let back = admin.post(&format!("/api/v1/customers/{acme}/move/preview"), json!({"category_id": SIP})).await;
        assert_eq!(names(&back.body["gains"]), ["Plan standard", "Plan trunk"]);
        assert_eq!(names(&back.body["losses"]), ["Plan gold"]);
        app
    })
    .await;
}

#[tokio::test]
async fn impact_names_the_customers_a_change_touches() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let a = app.seed_customer("Alpha", Some(SIP), None).await;
        app.seed_customer("Bravo", Some(SIP), None).await;
        app.seed_customer("Charlie", Some(ENTERPRISE), None).await;
        let id = plan(&admin, "pro", json!([{"scope": {"kind": "category", "id": SIP}}])).await;
        // Disabling it touches everyone who has it.
        let off = admin.post("/api/v1/config/plan/preview", json!({"operation": "update", "id": id, "fields": {"status": "disabled"}})).await;
        assert_eq!(off.status, 200, "{}", off.text);
        assert_eq!(names(&off.body["affected_customers"]), ["Alpha", "Bravo"]);
        assert_eq!(off.body["diff"][0]["field"], "status");
        // Widening it to Enterprise touches only the newcomers.
        let wider = admin
            .post(
                "/api/v1/config/plan/preview",
                json!({"operation": "update", "id": id, "assignments": [{"scope": {"kind": "category", "id": SIP}}, {"scope": {"kind": "category", "id": ENTERPRISE}}]}),
            )
            .await;
        assert_eq!(names(&wider.body["affected_customers"]), ["Charlie"]);
        // Excluding one customer touches that customer.
        let except = admin
            .post(
                "/api/v1/config/plan/preview",
                json!({"operation": "update", "id": id, "assignments": [{"scope": {"kind": "category", "id": SIP}}, {"scope": {"kind": "customer", "id": a}, "exclude": true}]}),
            )
            .await;
        assert_eq!(names(&except.body["affected_customers"]), ["Alpha"]);
        // A preview changes nothing.
        assert_eq!(admin.get(&format!("/api/v1/config/plan/{id}")).await.body["version"], 1);
        // Renaming a category touches its customers.
        let rename = admin.post("/api/v1/config/category/preview", json!({"operation": "update", "id": SIP, "fields": {"name": "Trunking"}})).await;
        assert_eq!(rename.body["affected_count"], 2);
        // Bad assignment sets are refused.
        let bad = admin.post("/api/v1/config/plan/preview", json!({"operation": "update", "id": id, "assignments": [{"scope": {"kind": "category", "id": "nope"}}]})).await;
        assert_eq!(bad.status, 422);
        let private_and_all = admin
            .post("/api/v1/config/plan/preview", json!({"operation": "update", "id": id, "assignments": [{"scope": {"kind": "all"}}, {"scope": {"kind": "private", "id": a}}]}))
            .await;
        assert_eq!(private_and_all.status, 422);
        app
    })
    .await;
}

#[tokio::test]
async fn drafts_are_previewed_then_pushed_or_discarded() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        app.seed_customer("Alpha", Some(SIP), None).await;
        let draft = admin
            .post("/api/v1/config/drafts", json!({"kind": "category", "note": "rename", "change": {"operation": "update", "id": SIP, "fields": {"name": "SIP Trunking"}}}))
            .await;
        assert_eq!(draft.status, 201, "{}", draft.text);
        assert_eq!(draft.body["preview"]["diff"][0]["after"], "SIP Trunking");
        assert_eq!(draft.body["preview"]["affected_count"], 1);
        let draft_id = draft.body["draft"]["id"].as_str().unwrap().to_string();
        assert_eq!(admin.get(&format!("/api/v1/config/category/{SIP}")).await.body["name"], "SIP Trunk", "a draft changes nothing");
        assert_eq!(admin.get("/api/v1/config/drafts").await.body["total"], 1);

        let pushed = admin.post(&format!("/api/v1/config/drafts/{draft_id}/push"), json!({})).await;
        assert_eq!(pushed.status, 200, "{}", pushed.text);
        assert_eq!(pushed.body["name"], "SIP Trunking");
        assert_eq!(admin.post(&format!("/api/v1/config/drafts/{draft_id}/push"), json!({})).await.status, 409);

        // A draft made before someone else's change cannot be pushed over it.
        let stale = admin.post("/api/v1/config/drafts", json!({"kind": "category", "change": {"operation": "update", "id": SIP, "fields": {"description": "old view"}}})).await;
        let stale_id = stale.body["draft"]["id"].as_str().unwrap().to_string();
        admin.patch(&format!("/api/v1/config/category/{SIP}"), json!({"fields": {"description": "newer"}})).await;
        let refused = admin.post(&format!("/api/v1/config/drafts/{stale_id}/push"), json!({})).await;
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert_eq!(admin.get(&format!("/api/v1/config/category/{SIP}")).await.body["description"], "newer");
        assert_eq!(admin.post(&format!("/api/v1/config/drafts/{stale_id}/discard"), json!({})).await.status, 204);
        assert_eq!(admin.get("/api/v1/config/drafts?status=discarded").await.body["total"], 1);

        // A new record can be drafted too.
        let new = admin.post("/api/v1/config/drafts", json!({"kind": "plan", "change": {"operation": "create", "fields": {"code": "d", "name": "Drafted", "channels": 2, "cps": 1}, "assignments": [{"scope": {"kind": "all"}}]}})).await;
        assert_eq!(new.status, 201, "{}", new.text);
        assert_eq!(new.body["preview"]["affected_count"], 1);
        let id = new.body["draft"]["id"].as_str().unwrap();
        let created = admin.post(&format!("/api/v1/config/drafts/{id}/push"), json!({})).await;
        assert_eq!(created.status, 200, "{}", created.text);
        assert_eq!(created.body["assignments"][0]["scope"]["kind"], "all");
        app
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_is_searchable_exportable_and_admin_only() {
    on_both(|app| async move {
        let (admin, admin_user) = app.signed_in("platform", "super_admin").await;
        admin.post("/api/v1/config/category", json!({"fields": {"code": "a", "name": "A"}})).await;
        admin.post("/api/v1/config/category", json!({"fields": {"code": "b", "name": "B"}})).await;
        let (customer, _) = app.signed_in("customer", "owner").await;
        customer.post("/api/v1/api-keys", json!({"name": "k", "role": "viewer"})).await;

        let mine = admin.get(&format!("/api/v1/admin/audit?actor={}", admin_user.email)).await;
        assert_eq!(mine.body["total"], 3, "two creates and the sign-in: {}", mine.text);
        let cats = admin.get("/api/v1/admin/audit?action=category.&limit=1").await;
        assert_eq!((cats.body["total"].as_i64(), cats.body["items"].as_array().unwrap().len()), (Some(2), 1));
        let keys = admin.get("/api/v1/admin/audit?action=api_key.create").await;
        assert_eq!(keys.body["total"], 1);
        assert!(keys.body["items"][0]["new_values"]["secret"].is_null(), "secrets never reach the audit log");
        let future = admin.get("/api/v1/admin/audit?from=2099-01-01").await;
        assert_eq!(future.body["total"], 0);
        let today = admin.get("/api/v1/admin/audit?from=2000-01-01&to=2099-01-01").await;
        assert_eq!(today.body["total"], 5, "three writes and two sign-ins");
        assert_eq!(admin.get("/api/v1/admin/audit?from=yesterday").await.status, 422);

        let csv = admin.get("/api/v1/admin/audit/export.csv?action=category.").await;
        assert_eq!(csv.status, 200);
        assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
        let lines: Vec<&str> = csv.text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("time,actor,actor_kind,action"));
        assert!(lines[1].contains("category.create"));

        assert_eq!(customer.get("/api/v1/admin/audit").await.status, 403);
        let (finance, _) = app.signed_in("platform", "finance").await;
        assert_eq!(finance.get("/api/v1/admin/audit").await.status, 200);
        assert_eq!(finance.call(axum::http::Method::PUT, "/api/v1/admin/audit/retention", Some(json!({"days": 90}))).await.status, 403);
        let bad = admin.call(axum::http::Method::PUT, "/api/v1/admin/audit/retention", Some(json!({"days": 1}))).await;
        assert_eq!(bad.status, 422);
        let ok = admin.call(axum::http::Method::PUT, "/api/v1/admin/audit/retention", Some(json!({"days": 90}))).await;
        assert_eq!(ok.status, 200);
        assert_eq!(admin.get("/api/v1/admin/audit/retention").await.body["days"], 90);
        app
    })
    .await;
}

#[tokio::test]
async fn identity_writes_are_audited_too() {
    on_both(|app| async move {
        let (owner, _) = app.signed_in("customer", "owner").await;
        let cases: Vec<(&str, Value, &str)> = vec![
            ("/api/v1/team/invitations", json!({"email": "t@example.com", "role": "viewer"}), "invitation.create"),
            ("/api/v1/api-keys", json!({"name": "k", "role": "viewer"}), "api_key.create"),
            ("/api/v1/me/2fa/setup", json!({}), "user.2fa_setup"),
        ];
        for (path, body, action) in cases {
            let before = audit_count(&app).await;
            assert!(owner.post(path, body).await.status.is_success());
            assert_eq!(audit_count(&app).await, before + 1, "{path}");
            let (a,): (String,) = sqlx::query_as("SELECT action FROM audit_log ORDER BY created_at DESC, id DESC LIMIT 1").fetch_one(app.db.pool()).await.unwrap();
            assert_eq!(a, action);
        }
        let before = audit_count(&app).await;
        owner.patch("/api/v1/me", json!({"name": "Renamed"})).await;
        let (old, new): (Option<String>, Option<String>) =
            sqlx::query_as("SELECT old_values, new_values FROM audit_log ORDER BY created_at DESC, id DESC LIMIT 1").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(audit_count(&app).await, before + 1);
        assert!(old.unwrap().contains("Test owner") && new.unwrap().contains("Renamed"));
        app
    })
    .await;
}

#[tokio::test]
async fn the_category_dashboard_counts_customers_and_sign_ups() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "sales").await;
        app.seed_customer("A", Some(SIP), None).await;
        app.seed_customer("B", Some(SIP), None).await;
        app.seed_customer("C", None, None).await;
        let d = admin.get("/api/v1/categories/dashboard").await;
        assert_eq!(d.status, 200, "{}", d.text);
        assert_eq!(d.body["total_customers"], 3);
        assert_eq!(d.body["uncategorized"], 1);
        let sip = d.body["categories"].as_array().unwrap().iter().find(|c| c["id"] == SIP).unwrap();
        assert_eq!(sip["customers"], 2);
        assert_eq!(sip["signups"].as_array().unwrap().len(), 30);
        assert_eq!(sip["signups"][29]["count"], 2, "both signed up today");
        app
    })
    .await;
}

/// Work over a whole kind (routing, reconciliation) reads every record, not one page of them.
#[tokio::test]
async fn all_records_of_a_kind_are_read_past_a_page() {
    on_both(|app| async move {
        let now = didtron_core::time::to_db(didtron_core::time::now());
        for i in 0..250 {
            let status = if i % 5 == 0 { "disabled" } else { "active" };
            sqlx::query("INSERT INTO pops (id, code, name, sip_hosts, status, created_at, updated_at) VALUES ($1, $2, $3, '[]', $4, $5, $5)")
                .bind(didtron_core::id::new_id())
                .bind(format!("p{i:03}"))
                .bind(format!("POP {i:03}"))
                .bind(status)
                .bind(&now)
                .execute(app.db.pool())
                .await
                .unwrap();
        }
        let spec = app.state.kinds.get("pop").unwrap().spec();
        let every = didtron::changes::records::all(&app.db, spec, None).await.unwrap();
        assert!(every.len() >= 250, "{}", every.len());
        let active = didtron::changes::records::all(&app.db, spec, Some(("status", "active"))).await.unwrap();
        assert_eq!(active.iter().filter(|p| p["code"].as_str().unwrap().starts_with('p')).count(), 200);
        assert!(active.iter().all(|p| p["status"] == "active"));
        assert!(didtron::changes::records::all(&app.db, spec, Some(("no_such_column", "x"))).await.is_err());
        app
    })
    .await;
}
