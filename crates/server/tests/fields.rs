//! Fields declared once: every kind's fields are described with their rules, the rules are what
//! the server enforces (bounds, hidden characters), and route-group members live in a table.

mod common;

use common::{TestDb, on_both};
use didtron_db::{Backend, Db};
use serde_json::{Value, json};

fn field_names(res: &common::TestResponse) -> Vec<String> {
    res.body["fields"].as_array().map(|l| l.iter().map(|f| f["field"].as_str().unwrap_or_default().to_string()).collect()).unwrap_or_default()
}

fn message_of(res: &common::TestResponse, field: &str) -> String {
    res.body["fields"].as_array().into_iter().flatten().find(|f| f["field"] == field).map(|f| f["message"].as_str().unwrap_or_default().to_string()).unwrap_or_default()
}

/// The rules of every kind, as the web's forms read them.
async fn kinds(c: &common::Client<'_>) -> Vec<Value> {
    let res = c.get("/api/v1/config/kinds").await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body.as_array().unwrap().clone()
}

#[tokio::test]
async fn the_kinds_are_described_with_their_rules_to_those_who_may_read_them() {
    on_both(|app| async move {
        assert_eq!(app.client().get("/api/v1/config/kinds").await.status, 401, "not for anonymous callers");
        let (admin, _) = app.signed_in("platform", "admin").await;
        let all = kinds(&admin).await;
        let codes: Vec<&str> = all.iter().map(|k| k["kind"].as_str().unwrap()).collect();
        assert_eq!(codes.len(), 14, "{codes:?}");
        let kind = |code: &str| all.iter().find(|k| k["kind"] == code).unwrap().clone();
        let field = |k: &Value, name: &str| k["fields"].as_array().unwrap().iter().find(|f| f["name"] == name).unwrap().clone();

        let pop = kind("pop");
        assert_eq!(pop["schema"], "PopRecord");
        let hosts = field(&pop, "sip_hosts");
        assert_eq!((hosts["type"].as_str(), hosts["max_items"].as_u64(), hosts["max_length"].as_u64()), (Some("list"), Some(20), Some(253)));
        assert_eq!((hosts["format"].as_str(), hosts["case"].as_str(), hosts["required"].as_bool()), (Some("sip_host"), Some("lower"), Some(true)));
        assert!(hosts["description"].as_str().unwrap().contains("At most 20"), "{hosts}");
        let port = field(&pop, "port");
        assert_eq!((port["min"].as_i64(), port["max"].as_i64(), port["default"].as_i64()), (Some(1), Some(65_535), Some(5060)));
        assert_eq!(field(&pop, "transport")["choices"], json!(["udp", "tcp", "tls"]));
        let code = field(&pop, "code");
        assert_eq!((code["max_length"].as_u64(), code["pattern"].as_str()), (Some(40), Some("^[A-Za-z0-9_-]+$")));

        let members = field(&kind("route_group"), "members");
        assert_eq!((members["type"].as_str(), members["unique"].as_str(), members["max_items"].as_u64()), (Some("rows"), Some("carrier_id"), Some(50)));
        assert_eq!(members["fields"][0]["reference"], "carrier");
        let margin = field(&kind("rate_card"), "margin");
        assert_eq!(margin["ranges"]["by"], "margin_type");
        assert_eq!(margin["ranges"]["ranges"][0], json!({"when": "percent", "min": -100_000_000, "max": 1_000_000_000, "message": "a percent margin must be between -100 % and 1000 %"}));
        assert_eq!(field(&kind("codec"), "payload_type")["nullable"], true);
        // Every reference, in a record or a row, names a kind there is.
        let fields_of = |k: &Value| k["fields"].as_array().unwrap().iter().flat_map(|f| std::iter::once(f.clone()).chain(f["fields"].as_array().cloned().unwrap_or_default())).collect::<Vec<_>>();
        for k in &all {
            for f in fields_of(k).iter().filter(|f| f["type"] == "reference") {
                assert!(codes.contains(&f["reference"].as_str().unwrap()), "{}.{} refers to {}", k["kind"], f["name"], f["reference"]);
            }
        }

        // Each reads only the kinds its role may read.
        let (marketing, _) = app.signed_in("platform", "marketing").await;
        let theirs: Vec<String> = kinds(&marketing).await.iter().map(|k| k["kind"].as_str().unwrap().to_string()).collect();
        assert_eq!(theirs, ["category", "group"]);
        let (customer, _) = app.signed_in("customer", "owner").await;
        assert!(kinds(&customer).await.is_empty());
        app
    })
    .await;
}

#[tokio::test]
async fn every_text_and_list_of_every_kind_has_a_maximum_and_more_is_refused() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        for kind in kinds(&admin).await {
            let code = kind["kind"].as_str().unwrap();
            let before = admin.get(&format!("/api/v1/config/{code}")).await.body["total"].clone();
            for field in kind["fields"].as_array().unwrap() {
                let name = field["name"].as_str().unwrap();
                let too_much = match field["type"].as_str().unwrap() {
                    "text" => {
                        let max = field["max_length"].as_u64().unwrap_or_else(|| panic!("{code}.{name} has no maximum length"));
                        json!("7".repeat(max as usize + 1))
                    }
                    "reference" => {
                        assert!(field["max_length"].as_u64().is_some(), "{code}.{name}");
                        continue;
                    }
                    "list" => {
                        let (items, length) = (field["max_items"].as_u64(), field["max_length"].as_u64());
                        let (items, length) = (items.unwrap_or_else(|| panic!("{code}.{name} has no maximum")), length.unwrap_or_else(|| panic!("{code}.{name}")));
                        let long = admin.post(&format!("/api/v1/config/{code}"), json!({"fields": {name: ["x".repeat(length as usize + 1)]}})).await;
                        assert_eq!(long.status, 422, "{code}.{name}: {}", long.text);
                        assert!(field_names(&long).contains(&format!("{name}[0]")), "{code}.{name}: {}", long.text);
                        json!((0..=items).map(|i| format!("h{i}.example.net")).collect::<Vec<_>>())
                    }
                    "rows" => {
                        let items = field["max_items"].as_u64().unwrap_or_else(|| panic!("{code}.{name} has no maximum"));
                        json!((0..=items).map(|_| json!({})).collect::<Vec<_>>())
                    }
                    "integer" => {
                        assert!(field["min"].is_i64() && field["max"].is_i64(), "{code}.{name}");
                        continue;
                    }
                    "choice" => {
                        assert!(field["choices"].is_array(), "{code}.{name}");
                        continue;
                    }
                    _ => continue,
                };
                let res = admin.post(&format!("/api/v1/config/{code}"), json!({"fields": {name: too_much}})).await;
                assert_eq!(res.status, 422, "{code}.{name}: {}", res.text);
                assert!(field_names(&res).iter().any(|f| f == name), "{code}.{name}: {}", res.text);
                assert!(message_of(&res, name).contains("at most"), "{code}.{name}: {}", res.text);
            }
            assert_eq!(admin.get(&format!("/api/v1/config/{code}")).await.body["total"], before, "{code}: nothing was stored");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn a_carrier_with_ten_thousand_hosts_is_refused_at_once() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let before = app.count("carriers").await;
        let hosts: Vec<String> = (0..10_000).map(|i| format!("sip{i}.example.net")).collect();
        let res = admin.post("/api/v1/config/carrier", json!({"fields": {"code": "big", "name": "Big", "hosts": hosts}})).await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(field_names(&res), ["hosts"], "one problem, not one per host");
        assert_eq!(message_of(&res, "hosts"), "must have at most 20 entries");
        assert_eq!(app.count("carriers").await, before);
        // The same through an update and a draft.
        let ok = admin.post("/api/v1/config/carrier", json!({"fields": {"code": "big", "name": "Big", "hosts": hosts[..20]}})).await;
        assert_eq!(ok.status, 201, "twenty hosts are fine: {}", ok.text);
        let id = ok.body["id"].as_str().unwrap();
        assert_eq!(admin.patch(&format!("/api/v1/config/carrier/{id}"), json!({"fields": {"hosts": hosts[..21]}})).await.status, 422);
        let draft = admin.post("/api/v1/config/drafts", json!({"kind": "carrier", "change": {"operation": "update", "id": id, "fields": {"hosts": hosts}}})).await;
        assert_eq!(draft.status, 422, "{}", draft.text);
        app
    })
    .await;
}

#[tokio::test]
async fn names_codes_and_every_text_refuse_control_and_invisible_characters() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let before = app.count("categories").await;
        for (bad, code_point) in [("Whole\u{7}sale", "U+0007"), ("\u{1b}[31mRed", "U+001B"), ("invoice\u{202e}fdp", "U+202E"), ("Whole\u{200b}sale", "U+200B"), ("\u{feff}Bom", "U+FEFF")] {
            let res = admin.post("/api/v1/config/category", json!({"fields": {"code": format!("c{}", bad.len()), "name": bad}})).await;
            assert_eq!(res.status, 422, "{bad:?}: {}", res.text);
            assert_eq!(message_of(&res, "name"), format!("must not contain invisible or control characters (found {code_point})"));
            let res = admin.post("/api/v1/config/category", json!({"fields": {"code": bad, "name": "Fine"}})).await;
            assert_eq!(field_names(&res), ["code"], "{bad:?}: {}", res.text);
            let res = admin.post("/api/v1/config/category", json!({"fields": {"code": "fine", "name": "Fine", "description": bad}})).await;
            assert_eq!(field_names(&res), ["description"], "{bad:?}: {}", res.text);
        }
        // In list entries and rows too.
        let res = admin.post("/api/v1/config/pop", json!({"fields": {"code": "fra", "name": "Frankfurt", "sip_hosts": ["sip\u{200b}.example.net"]}})).await;
        assert_eq!(field_names(&res), ["sip_hosts[0]"], "{}", res.text);
        let res = admin.post("/api/v1/config/did_country", json!({"fields": {"iso_code": "DE", "required_documents": ["Pass\u{202e}port"]}})).await;
        assert_eq!(field_names(&res), ["required_documents[0]"], "{}", res.text);
        assert_eq!(app.count("categories").await, before);
        // A description may run over several lines; a name may be in any script.
        let ok = admin.post("/api/v1/config/category", json!({"fields": {"code": "intl", "name": "Zoë & 株式会社", "description": "One line.\r\nAnother."}})).await;
        assert_eq!(ok.status, 201, "{}", ok.text);
        assert_eq!(ok.body["description"], "One line.\nAnother.");
        app
    })
    .await;
}

async fn carrier(c: &common::Client<'_>, code: &str) -> String {
    let res = c.post("/api/v1/config/carrier", json!({"fields": {"code": code, "name": code.to_uppercase(), "hosts": [format!("{code}.example.net")]}})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

async fn stored_members(app: &common::TestApp, group: &str) -> Vec<(i64, String, i64, i64)> {
    sqlx::query_as("SELECT position, carrier_id, \"order\", share FROM route_group_members WHERE record_id = $1 ORDER BY position")
        .bind(group)
        .fetch_all(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn route_group_members_live_in_a_table_and_keep_their_versions() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let (a, b, c) = (carrier(&admin, "acme").await, carrier(&admin, "beta").await, carrier(&admin, "core").await);
        let first = json!([{"carrier_id": a, "order": 1, "share": 70}, {"carrier_id": b, "order": 1, "share": 30}]);
        let res = admin.post("/api/v1/config/route_group", json!({"fields": {"code": "eg", "name": "Egypt", "members": first}})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["members"], first, "read back as the list it was given");
        let group = res.body["id"].as_str().unwrap().to_string();
        assert_eq!(stored_members(&app, &group).await, [(0, a.clone(), 1, 70), (1, b.clone(), 1, 30)]);

        let second = json!([{"carrier_id": c, "order": 1, "share": 100}, {"carrier_id": a, "order": 2, "share": 100}]);
        let res = admin.patch(&format!("/api/v1/config/route_group/{group}"), json!({"fields": {"members": second}, "expected_version": 1})).await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(stored_members(&app, &group).await, [(0, c.clone(), 1, 100), (1, a.clone(), 2, 100)]);
        // The old column stays in step for readers not yet moved to the table.
        let (old,): (String,) = sqlx::query_as("SELECT members FROM route_groups WHERE id = $1").bind(&group).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(serde_json::from_str::<Value>(&old).unwrap(), second);

        // Versions keep the whole list, and a rollback brings the rows back.
        let versions = admin.get(&format!("/api/v1/config/route_group/{group}/versions")).await;
        assert_eq!(versions.body["items"][1]["snapshot"]["members"], first);
        assert_eq!(versions.body["items"][0]["diff"][0]["field"], "members");
        let back = admin.post(&format!("/api/v1/config/route_group/{group}/rollback"), json!({"version": 1})).await;
        assert_eq!(back.status, 200, "{}", back.text);
        assert_eq!(stored_members(&app, &group).await, [(0, a.clone(), 1, 70), (1, b.clone(), 1, 30)]);

        // A carrier in a group stays; the group's rows go with it.
        let refused = admin.delete(&format!("/api/v1/config/carrier/{b}")).await;
        assert_eq!(refused.status, 409, "{}", refused.text);
        assert!(refused.text.contains("Egypt"), "{}", refused.text);
        assert_eq!(admin.delete(&format!("/api/v1/config/route_group/{group}")).await.status, 204);
        assert_eq!(app.count("route_group_members").await, 0);
        assert_eq!(admin.delete(&format!("/api/v1/config/carrier/{b}")).await.status, 204);

        // Cross-field and row rules as before.
        let twice = admin.post("/api/v1/config/route_group", json!({"fields": {"code": "x", "name": "X", "members": [{"carrier_id": a, "share": 50}, {"carrier_id": a, "share": 50}]}})).await;
        assert_eq!(message_of(&twice, "members[1].carrier_id"), "this carrier is in the group twice", "{}", twice.text);
        let empty = admin.post("/api/v1/config/route_group", json!({"fields": {"code": "x", "name": "X", "members": []}})).await;
        assert_eq!(message_of(&empty, "members"), "add at least one carrier");
        let ghost = admin.post("/api/v1/config/route_group", json!({"fields": {"code": "x", "name": "X", "members": [{"carrier_id": "nope"}]}})).await;
        assert_eq!(message_of(&ghost, "members[0].carrier_id"), "no such carrier");
        app
    })
    .await;
}

/// Migration 0050 moves the members stored as JSON by earlier versions into the table, on both
/// engines (each with its own JSON functions).
#[tokio::test]
async fn the_migration_moves_stored_members_into_the_table() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let test_db = TestDb::new(backend).await;
        let db = Db::connect(&test_db.url).await.unwrap();
        didtron_db::migrate(&db).await.unwrap();
        // Back to before 0050, with a group stored the old way.
        sqlx::query("DROP TABLE route_group_members").execute(db.pool()).await.unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 50").execute(db.pool()).await.unwrap();
        for (id, code) in [("c1", "acme"), ("c2", "beta")] {
            sqlx::query("INSERT INTO carriers (id, code, name, created_at, updated_at) VALUES ($1, $2, $2, 'now', 'now')").bind(id).bind(code).execute(db.pool()).await.unwrap();
        }
        let members = r#"[{"carrier_id":"c2","order":1,"share":100},{"carrier_id":"gone","order":1,"share":100},{"carrier_id":"c1","order":2,"share":100}]"#;
        sqlx::query("INSERT INTO route_groups (id, code, name, members, created_at, updated_at) VALUES ('g1', 'g', 'G', $1, 'now', 'now')")
            .bind(members)
            .execute(db.pool())
            .await
            .unwrap();
        didtron_db::migrate(&db).await.unwrap();
        let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as("SELECT position, carrier_id, \"order\", share FROM route_group_members ORDER BY position")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(rows, [(0, "c2".to_string(), 1, 100), (2, "c1".to_string(), 2, 100)], "{backend:?}: in their order, the vanished carrier left behind");
        db.close().await;
        test_db.drop_database().await;
    }
}

#[tokio::test]
async fn each_kind_has_its_own_schema_in_the_api_reference() {
    on_both(|app| async move {
        let doc = app.get("/api/openapi.json").await.body;
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["PopFields"]["properties"]["sip_hosts"]["maxItems"], 20);
        assert_eq!(schemas["PopFields"]["additionalProperties"], false);
        assert_eq!(schemas["CarrierFields"]["properties"]["hosts"]["items"]["maxLength"], 253);
        assert_eq!(schemas["RouteGroupRecord"]["properties"]["members"]["items"]["properties"]["share"]["maximum"], 100);
        assert!(schemas["PlanFields"]["required"].as_array().unwrap().contains(&json!("channels")));
        assert!(schemas["PlanChanges"]["required"].is_null(), "an update gives only what changes");
        let create = &doc["paths"]["/api/v1/config/pop"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(create["properties"]["fields"]["$ref"], "#/components/schemas/PopFields");
        assert_eq!(doc["paths"]["/api/v1/config/pop/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/PopRecord");
        app
    })
    .await;
}

/// One field as a row of the limits table (rows fields add a row per column).
fn limits_rows(field: &Value, prefix: &str, out: &mut Vec<String>) {
    let name = format!("{prefix}{}", field["name"].as_str().unwrap());
    let ty = match field["type"].as_str().unwrap() {
        "text" => format!("text ({})", field["format"].as_str().unwrap_or("plain")),
        "list" => format!("list of text ({})", field["format"].as_str().unwrap_or("plain")),
        "reference" => format!("id of a {}", field["reference"].as_str().unwrap_or("record")),
        "rows" => "list of rows".to_string(),
        other => other.to_string(),
    };
    out.push(format!("| `{name}` | {ty} | {} |", field["description"].as_str().unwrap().replace('|', "\\|")));
    for sub in field["fields"].as_array().into_iter().flatten() {
        limits_rows(sub, &format!("{name}[]."), out);
    }
}

/// The docs' page of every field's limits, from the description the web forms read.
fn limits_page(kinds: &[Value]) -> String {
    let mut out = vec![
        "---".to_string(),
        "sidebar_position: 7".into(),
        "title: Field limits".into(),
        "description: Every field of every kind of configuration record with its type, bounds and default, as the server enforces them.".into(),
        "---".into(),
        String::new(),
        "{/* Generated from GET /api/v1/config/kinds by crates/server/tests/fields.rs; do not edit by hand. */}".into(),
        String::new(),
        "# Field limits".into(),
        String::new(),
        "Every field of a configuration record has a rule, declared once in the server: its type, its bounds, whether it is required and its default. A value that breaks a rule is refused with `422 Unprocessable Entity` and a message per field (a list entry is named `hosts[2]`, a row's cell `members[0].share`), and nothing is saved. Every text has a maximum length and every list a maximum number of entries; no text may hold control or invisible characters (BEL, ESC, right-to-left overrides, zero-width spaces), and only descriptions may hold line breaks.".into(),
        String::new(),
        "The same rules are served at `GET /api/v1/config/kinds` (the admin screens check them before sending) and are in each kind's schemas in the API reference at `/api/docs` on your server (`PopFields` for a new POP, `PopChanges` for an update, `PopRecord` as stored, and so on for every kind).".into(),
    ];
    for kind in kinds {
        out.push(String::new());
        out.push(format!("## {} (`{}`)", kind["label"].as_str().unwrap(), kind["kind"].as_str().unwrap()));
        out.push(String::new());
        out.push("| field | type | rule |".into());
        out.push("|---|---|---|".into());
        for field in kind["fields"].as_array().unwrap() {
            limits_rows(field, "", &mut out);
        }
    }
    out.join("\n") + "\n"
}

/// `docs/docs/admin/field-limits.md` is made from the rules; it must match them.
#[tokio::test]
async fn the_field_limits_page_is_current() {
    let app = common::TestApp::new(Backend::Sqlite).await;
    let (admin, _) = app.signed_in("platform", "super_admin").await;
    let page = limits_page(&kinds(&admin).await);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/docs/admin/field-limits.md");
    if std::env::var_os("DIDTRON_WRITE_DOCS").is_some() {
        std::fs::write(path, &page).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == page,
        "docs/docs/admin/field-limits.md is stale: run `DIDTRON_WRITE_DOCS=1 cargo test -p didtron --test fields the_field_limits_page_is_current`"
    );
    app.finish().await;
}
