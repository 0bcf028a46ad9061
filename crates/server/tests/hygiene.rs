//! Data hygiene and write races, through the HTTP API on SQLite and PostgreSQL: parallel edits of
//! one version, unknown query parameters and filters, CSV exports that a spreadsheet cannot run.

mod common;

use common::on_both;
use serde_json::json;

const CATEGORY: &str = "019ab9a0-0000-7000-8000-000000000001";

#[tokio::test]
async fn of_parallel_edits_made_against_one_version_exactly_one_lands() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let created = admin.post("/api/v1/config/category", json!({"fields": {"code": "race", "name": "Race"}})).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.body["id"].as_str().unwrap().to_string();
        for round in 0..3 {
            let version = admin.get(&format!("/api/v1/config/category/{id}")).await.body["version"].as_i64().unwrap();
            let path = format!("/api/v1/config/category/{id}");
            let edits = (0..6).map(|i| admin.patch(&path, json!({"fields": {"description": format!("round {round} edit {i}")}, "expected_version": version})));
            let results = futures::future::join_all(edits).await;
            let statuses: Vec<u16> = results.iter().map(|r| r.status.as_u16()).collect();
            assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "round {round}: {statuses:?}");
            assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "round {round}: {statuses:?}");
            let now = admin.get(&format!("/api/v1/config/category/{id}")).await;
            assert_eq!(now.body["version"].as_i64(), Some(version + 1));
            let history = admin.get(&format!("/api/v1/config/category/{id}/versions")).await;
            assert_eq!(history.body["total"].as_i64(), Some(version + 1), "one version per landed edit");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn unknown_query_parameters_and_filters_are_refused() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let ok = admin.get("/api/v1/config/category?filter=is_public:1&limit=5").await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        let unknown_column = admin.get("/api/v1/config/category?filter=password_hash:x").await;
        assert_eq!(unknown_column.status, 422, "{}", unknown_column.text);
        assert!(unknown_column.text.contains("password_hash"), "{}", unknown_column.text);
        let malformed = admin.get("/api/v1/config/category?filter=nocolon").await;
        assert_eq!(malformed.status, 422, "{}", malformed.text);
        let stray = admin.get("/api/v1/admin/audit?acton=user.register").await;
        assert_eq!(stray.status, 422, "{}", stray.text);
        assert_eq!(stray.body["fields"][0]["field"], "acton");
        let stray_page = admin.get("/api/v1/customers?page=2").await;
        assert_eq!(stray_page.status, 422, "{}", stray_page.text);
        app
    })
    .await;
}

#[tokio::test]
async fn audit_csv_exports_cannot_carry_formulas() {
    on_both(|app| async move {
        let visitor = app.client();
        let body = json!({"email": "=1+2@example.com", "password": "a fine long password", "name": "@SUM(1)", "company": "-Acme", "category_id": CATEGORY});
        let res = visitor.post("/api/v1/auth/register", body).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let csv = admin.get("/api/v1/admin/audit/export.csv?action=user.register").await;
        assert_eq!(csv.status, 200);
        let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(!rows.is_empty());
        for row in &rows {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a cell a spreadsheet would run: {cell:?}");
            }
        }
        assert!(rows.iter().any(|r| r.get(1) == Some("'=1+2@example.com")), "{}", csv.text);
        app
    })
    .await;
}

#[tokio::test]
async fn editing_a_route_group_affects_the_customers_of_the_routes_built_from_it() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let acme = app.seed_customer("Acme Calls", None, None).await;
        let _other = app.seed_customer("Other Co", None, None).await;
        let mut carriers = Vec::new();
        for code in ["alpha", "beta"] {
            let res = admin.post("/api/v1/config/carrier", json!({"fields": {"code": code, "name": code, "hosts": ["sip.example.net"]}, "assignments": [{"scope": {"kind": "all"}}]})).await;
            assert_eq!(res.status, 201, "{}", res.text);
            carriers.push(res.body["id"].as_str().unwrap().to_string());
        }
        let members = json!([{"carrier_id": carriers[0], "order": 1, "share": 100}, {"carrier_id": carriers[1], "order": 2, "share": 100}]);
        let group = admin.post("/api/v1/config/route_group", json!({"fields": {"code": "eg", "name": "Egypt", "members": members}})).await;
        assert_eq!(group.status, 201, "{}", group.text);
        let group = group.body["id"].as_str().unwrap().to_string();
        let route = admin
            .post("/api/v1/config/route", json!({"fields": {"name": "Acme Egypt", "prefix": "20", "route_group_id": group}, "assignments": [{"scope": {"kind": "customer", "id": acme}}]}))
            .await;
        assert_eq!(route.status, 201, "{}", route.text);
        let swapped = json!([{"carrier_id": carriers[1], "order": 1, "share": 100}, {"carrier_id": carriers[0], "order": 2, "share": 100}]);
        let preview = admin.post("/api/v1/config/route_group/preview", json!({"operation": "update", "id": group, "fields": {"members": swapped}})).await;
        assert_eq!(preview.status, 200, "{}", preview.text);
        let affected: Vec<&str> = preview.body["affected_customers"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(affected, ["Acme Calls"], "only the customer of the route built from the group");
        app
    })
    .await;
}

#[tokio::test]
async fn a_change_that_fails_after_its_audit_call_leaves_no_audit_row_and_no_event() {
    use didtron::changes::audit::{AuditActor, Entry};
    use didtron::changes::unit::UnitOfWork;
    on_both(|app| async move {
        let (audit_before, events_before) = (app.count("audit_log").await, app.count("events").await);
        {
            let mut work = UnitOfWork::begin(&app.db, AuditActor::system()).await.unwrap();
            work.audit(Entry { action: "test.change", target_kind: "test", target_id: Some("x"), old: None, new: Some(json!({"a": 1})) }).await.unwrap();
            work.emit("test.changed", None, Some("x"), &json!({"a": 1})).await.unwrap();
            // The change itself fails after the audit entry and the event were written.
            let failed = sqlx::query("INSERT INTO tenants (id, kind, name, created_at, updated_at) VALUES (NULL, 'nonsense', 'x', 'now', 'now')").execute(work.conn()).await;
            assert!(failed.is_err());
            // Dropped without commit, as `?` does on the error path.
        }
        assert_eq!(app.count("audit_log").await, audit_before, "no audit row without its change");
        assert_eq!(app.count("events").await, events_before, "no event without its change");
        // The same unit committed keeps both.
        let mut work = UnitOfWork::begin(&app.db, AuditActor::system()).await.unwrap();
        work.audit(Entry { action: "test.change", target_kind: "test", target_id: Some("y"), old: None, new: None }).await.unwrap();
        work.emit("test.changed", None, Some("y"), &json!({})).await.unwrap();
        work.commit().await.unwrap();
        assert_eq!(app.count("audit_log").await, audit_before + 1);
        assert_eq!(app.count("events").await, events_before + 1);
        app
    })
    .await;
}

#[tokio::test]
async fn the_routing_table_follows_carrier_changes_through_their_events() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let res = admin.post("/api/v1/config/carrier", json!({"fields": {"code": "acme", "name": "Acme", "hosts": ["sip.example.net"]}, "assignments": [{"scope": {"kind": "all"}}]})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let carrier = res.body["id"].as_str().unwrap().to_string();
        let csrf = admin.cookie("didtron_csrf").unwrap();
        let cookie = format!("didtron_session={}; didtron_csrf={csrf}", admin.cookie("didtron_session").unwrap());
        let deck = "prefix,destination,rate\n44,United Kingdom,0.01\n";
        let up = app
            .send_bytes(axum::http::Method::POST, &format!("/api/v1/carriers/{carrier}/rate-decks?filename=acme.csv"), deck.into(), &[("cookie".into(), cookie), ("x-csrf-token".into(), csrf)])
            .await;
        assert_eq!(up.status, 201, "{}", up.text);
        assert_eq!(admin.get("/api/v1/routing/lookup?number=442079460000").await.body.as_array().unwrap().len(), 1);
        let version = admin.get(&format!("/api/v1/config/carrier/{carrier}")).await.body["version"].as_i64().unwrap();
        let off = admin.patch(&format!("/api/v1/config/carrier/{carrier}"), json!({"fields": {"status": "disabled"}, "expected_version": version})).await;
        assert_eq!(off.status, 200, "{}", off.text);
        // The change's event reaches the routing table through the job queue, with no poll.
        didtron::jobs::worker::Worker::new(app.state.clone()).drain().await.unwrap();
        let after = admin.get("/api/v1/routing/lookup?number=442079460000").await;
        assert_eq!(after.body.as_array().unwrap().len(), 0, "a disabled carrier leaves the table: {}", after.text);
        app
    })
    .await;
}

#[tokio::test]
async fn an_oversized_json_body_is_refused_as_too_large() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let huge = "x".repeat(3 * 1024 * 1024);
        let res = admin.post("/api/v1/config/category", json!({"fields": {"code": "big", "name": "Big", "description": huge}})).await;
        assert_eq!(res.status, 413, "{}", &res.text[..res.text.len().min(300)]);
        assert_eq!(res.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/problem+json"));
        assert_eq!(res.body["code"], "too_large");
        assert_eq!(app.count("categories").await, 4, "nothing was stored");
        app
    })
    .await;
}
