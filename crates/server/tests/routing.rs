//! Rate decks and route lookup through the API and the command line, on SQLite and PostgreSQL.

mod common;

use axum::http::Method;
use common::{Client, TestApp, on_both};
use serde_json::{Value, json};

async fn carrier(c: &Client<'_>, name: &str, assignments: Value) -> String {
    let res = c.post("/api/v1/config/carrier", json!({"fields": {"code": name.to_lowercase(), "name": name, "hosts": ["sip.example.net"]}, "assignments": assignments})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

async fn upload(app: &TestApp, c: &Client<'_>, carrier: &str, name: &str, body: Vec<u8>) -> common::TestResponse {
    let csrf = c.cookie("didtron_csrf").unwrap();
    let cookie = format!("didtron_session={}; didtron_csrf={csrf}", c.cookie("didtron_session").unwrap());
    app.send_bytes(Method::POST, &format!("/api/v1/carriers/{carrier}/rate-decks?filename={name}"), body, &[("cookie".into(), cookie), ("x-csrf-token".into(), csrf)]).await
}

fn route(res: &Value) -> Vec<(String, String, f64)> {
    // Rates leave the API as decimal strings; compared here as numbers.
    res.as_array().unwrap().iter().map(|c| (c["carrier"].as_str().unwrap().into(), c["prefix"].as_str().unwrap().into(), c["rate"].as_str().unwrap().parse().unwrap())).collect()
}

const ACME: &str = "prefix,destination,rate,connection_fee,initial_increment,subsequent_increment,effective_from\n20,Egypt,0.1000,0,60,60,2026-01-01\n2010,Egypt Mobile,0.2500,0,1,1,2026-01-01\n44,United Kingdom,0.0100,0,1,1,2026-01-01\n";
const BETA: &str = "Dial Code;Country;Price;Billing;Valid From\n20;Egypt;0.09;60/60;2026-01-01\n201;Egypt Mobile;0.2;30/6;2026-01-01\n201;Egypt Mobile;0.15;30/6;2099-01-01\n";

#[tokio::test]
async fn decks_import_and_route_cheapest_first() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let all = json!([{"scope": {"kind": "all"}}]);
        let acme = carrier(&admin, "ACME", all.clone()).await;
        let beta = carrier(&admin, "Beta", all.clone()).await;
        let res = upload(&app, &admin, &acme, "acme.csv", ACME.into()).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["rows"], 3);
        let res = upload(&app, &admin, &beta, "beta.csv", BETA.into()).await;
        assert_eq!(res.status, 201, "{}", res.text);

        let r = admin.get("/api/v1/routing/lookup?number=%2B201012345678").await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(route(&r.body), [("Beta".into(), "201".into(), 0.2), ("ACME".into(), "2010".into(), 0.25)]);
        assert_eq!(r.body[0]["increments"], "30/6");
        // On its date, Beta's future-dated rate takes over.
        let later = admin.get("/api/v1/routing/lookup?number=201012345678&at=2099-06-01T00:00:00Z").await;
        assert_eq!(later.body[0]["rate"], "0.15");
        let uk = admin.get("/api/v1/routing/lookup?number=447700900123").await;
        assert_eq!(route(&uk.body), [("ACME".into(), "44".into(), 0.01)]);
        assert!(admin.get("/api/v1/routing/lookup?number=8612345").await.body.as_array().unwrap().is_empty());
        assert_eq!(admin.get("/api/v1/routing/lookup?number=call-me").await.status, 422);
        // Numbers as people write them: spaces, brackets, dashes, dots, 00 for +.
        let plain = admin.get("/api/v1/routing/lookup?number=447700900123").await;
        for written in ["%2B44%20(7700)%20900-123", "0044.7700.900.123", "%2B44-7700-900123"] {
            let same = admin.get(&format!("/api/v1/routing/lookup?number={written}")).await;
            assert_eq!(same.status, 200, "{written}: {}", same.text);
            assert_eq!(same.body, plain.body, "{written}");
        }
        assert_eq!(admin.get("/api/v1/routing/lookup?number=%2B44%2B7700").await.status, 422);

        let rates = admin.get(&format!("/api/v1/carriers/{beta}/rates?q=201")).await;
        assert_eq!(rates.body["total"], 2);
        let (customer, _) = app.signed_in("customer", "owner").await;
        assert_eq!(customer.get("/api/v1/routing/lookup?number=20").await.status, 403);
        app
    })
    .await;
}

#[tokio::test]
async fn a_deck_with_bad_rows_is_rejected_whole_and_the_old_one_stays() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let acme = carrier(&admin, "ACME", json!([{"scope": {"kind": "all"}}])).await;
        assert_eq!(upload(&app, &admin, &acme, "acme.csv", ACME.into()).await.status, 201);
        let (rates_before, audit_before) = (app.count("rates").await, app.count("audit_log").await);
        let bad = "prefix,destination,rate\n20,Egypt,0.05\n2x,Broken,0.1\n44,UK,-1\n";
        let res = upload(&app, &admin, &acme, "bad.csv", bad.into()).await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(res.body["status"], "rejected");
        let lines: Vec<i64> = res.body["errors"].as_array().unwrap().iter().map(|e| e["line"].as_i64().unwrap()).collect();
        assert_eq!(lines, [3, 4]);
        assert_eq!(app.count("rates").await, rates_before, "nothing half-imported");
        assert_eq!(app.count("audit_log").await, audit_before + 1, "the rejection is recorded");
        let r = admin.get("/api/v1/routing/lookup?number=2012345").await;
        assert_eq!(r.body[0]["rate"], "0.1", "the previous deck stays in force");
        let decks = admin.get(&format!("/api/v1/carriers/{acme}/rate-decks")).await;
        let statuses: Vec<&str> = decks.body["items"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["rejected", "active"]);
        assert_eq!(decks.body["items"][0]["report"]["error_count"], 2);

        // A new good deck supersedes the old one; the old one is history.
        let newer = "prefix,destination,rate\n20,Egypt,0.07\n";
        assert_eq!(upload(&app, &admin, &acme, "new.csv", newer.into()).await.status, 201);
        let r = admin.get("/api/v1/routing/lookup?number=2012345").await;
        assert_eq!((r.body[0]["rate"].as_str(), r.body[0]["prefix"].as_str()), (Some("0.07"), Some("20")));
        let decks = admin.get(&format!("/api/v1/carriers/{acme}/rate-decks")).await;
        let statuses: Vec<&str> = decks.body["items"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["active", "rejected", "superseded"]);
        app
    })
    .await;
}

#[tokio::test]
async fn unrecognised_columns_come_back_with_the_headers_to_map_by_hand() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Delta", json!([{"scope": {"kind": "all"}}])).await;
        let file = "Dial,Where,Tariff\n33,France,0.02\n";
        let check = upload(&app, &admin, &id, "delta.csv&dry_run=true", file.into()).await;
        assert_eq!(check.status, 200, "{}", check.text);
        assert_eq!(check.body["status"], "rejected");
        assert_eq!(check.body["headers"], json!(["Dial", "Where", "Tariff"]));
        assert!(check.body["errors"][0]["message"].as_str().unwrap().contains("prefix and rate"));
        let mapping = json!({"prefix": "Dial", "destination": "Where", "rate": "Tariff"}).to_string();
        let query = format!("delta.csv&mapping={}", url::form_urlencoded::byte_serialize(mapping.as_bytes()).collect::<String>());
        let ok = upload(&app, &admin, &id, &query, file.into()).await;
        assert_eq!(ok.status, 201, "{}", ok.text);
        assert_eq!(ok.body["mapping"]["rate"], "Tariff");
        let r = admin.get("/api/v1/routing/lookup?number=33123456").await;
        assert_eq!(r.body[0]["destination"], "France");
        app
    })
    .await;
}

#[tokio::test]
async fn excel_decks_import_too() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Gamma", json!([{"scope": {"kind": "all"}}])).await;
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["Code", "Destination", "Rate", "Effective From"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "49").unwrap();
        sheet.write_string(1, 1, "Germany").unwrap();
        sheet.write_number(1, 2, 0.0123).unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 1).unwrap();
        sheet.write_datetime_with_format(1, 3, &date, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd")).unwrap();
        sheet.write_number(2, 0, 4915.0).unwrap();
        sheet.write_string(2, 1, "Germany Mobile").unwrap();
        sheet.write_number(2, 2, 0.05).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let res = upload(&app, &admin, &id, "gamma.xlsx", bytes).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let r = admin.get("/api/v1/routing/lookup?number=4915112345").await;
        assert_eq!(route(&r.body), [("Gamma".into(), "4915".into(), 0.05)]);
        let r = admin.get("/api/v1/routing/lookup?number=4930123").await;
        assert_eq!(r.body[0]["rate"], "0.0123");
        assert_eq!(r.body[0]["effective_from"], "2026-01-01T00:00:00.000000Z");
        app
    })
    .await;
}

#[tokio::test]
async fn a_customer_only_gets_the_carriers_assigned_to_it() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let acme = carrier(&admin, "ACME", json!([{"scope": {"kind": "all"}}])).await;
        let beta = carrier(&admin, "Beta", json!([{"scope": {"kind": "category", "id": "019ab9a0-0000-7000-8000-000000000002"}}])).await;
        upload(&app, &admin, &acme, "a.csv", ACME.into()).await;
        upload(&app, &admin, &beta, "b.csv", BETA.into()).await;
        let sip = app.seed_customer("Small Co", Some("019ab9a0-0000-7000-8000-000000000001"), None).await;
        let ent = app.seed_customer("Big Co", Some("019ab9a0-0000-7000-8000-000000000002"), None).await;
        let small = admin.get(&format!("/api/v1/routing/lookup?number=2012345&customer={sip}")).await;
        assert_eq!(route(&small.body).iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["ACME"]);
        let big = admin.get(&format!("/api/v1/routing/lookup?number=2012345&customer={ent}")).await;
        assert_eq!(route(&big.body).iter().map(|r| r.0.as_str()).collect::<Vec<_>>(), ["ACME", "Beta"], "ACME 0.10 on 20 beats Beta 0.20 on 201");
        assert_eq!(admin.get("/api/v1/routing/lookup?number=2012345&customer=nobody").await.status, 422);
        app
    })
    .await;
}

/// `didtron rates import` and `didtron route lookup --json`, scripted as an operator would.
#[tokio::test]
async fn the_command_line_imports_and_looks_up() {
    for backend in [didtron_db::Backend::Sqlite, didtron_db::Backend::Postgres] {
        let db = common::TestDb::new(backend).await;
        let dir = tempfile::tempdir().unwrap();
        let deck = dir.path().join("acme.csv");
        std::fs::write(&deck, ACME).unwrap();
        let bin = env!("CARGO_BIN_EXE_didtron");
        let run = |args: &[&str]| {
            std::process::Command::new(bin)
                .args(args)
                .env("DATABASE_URL", &db.url)
                .env("DIDTRON_DATA_DIR", dir.path())
                .env("DIDTRON_LOG", "warn")
                .output()
                .unwrap()
        };
        let out = run(&["rates", "import", "--carrier", "ACME Telecom", "--file", deck.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let out = run(&["route", "lookup", "+201012345", "--json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let list: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(list[0]["carrier"], "ACME Telecom");
        assert_eq!(list[0]["prefix"], "2010");
        assert_eq!(list[0]["rate"], "0.25");
        // The same carrier again: the new deck replaces the old one.
        std::fs::write(&deck, "prefix,destination,rate\n20,Egypt,0.3\n").unwrap();
        assert!(run(&["rates", "import", "--carrier", "ACME Telecom", "--file", deck.to_str().unwrap()]).status.success());
        let list: Value = serde_json::from_slice(&run(&["route", "lookup", "201012345", "--json"]).stdout).unwrap();
        assert_eq!((list[0]["prefix"].as_str(), list[0]["rate"].as_str()), (Some("20"), Some("0.3")));
        // A bad deck fails the command and changes nothing.
        std::fs::write(&deck, "prefix,destination,rate\nxx,Bad,1\n").unwrap();
        let out = run(&["rates", "import", "--carrier", "ACME Telecom", "--file", deck.to_str().unwrap()]);
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("\"line\": 2"));
        let text = run(&["route", "lookup", "201012345"]);
        assert!(String::from_utf8_lossy(&text.stdout).contains("ACME Telecom"), "{}", String::from_utf8_lossy(&text.stdout));
        db.drop_database().await;
    }
}
