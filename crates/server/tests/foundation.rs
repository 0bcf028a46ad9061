//! The foundation: health, errors, migrations and the first super admin, on both databases.

mod common;

use common::{TestApp, TestDb, on_both};
use didtron::config::Settings;
use didtron::identity::bootstrap::{FirstAdmin, ensure_first_admin};
use didtron_db::{Backend, Db};

#[tokio::test]
async fn health_reports_a_reachable_database() {
    on_both(|app| async move {
        let res = app.get("/healthz").await;
        assert_eq!(res.status, 200, "{}", res.text);
        assert_eq!(res.body["status"], "ok");
        assert_eq!(res.body["database"], "ok");
        assert_eq!(res.body["version"], env!("CARGO_PKG_VERSION"));
        assert!(res.headers.contains_key("x-request-id"), "every response carries its request id");
        app
    })
    .await;
}

#[tokio::test]
async fn health_is_503_when_the_database_is_gone() {
    on_both(|app| async move {
        app.db.close().await;
        let res = app.get("/healthz").await;
        assert_eq!(res.status, 503);
        assert_eq!(res.body["status"], "degraded");
        assert_eq!(res.body["database"], "unreachable");
        app
    })
    .await;
}

#[tokio::test]
async fn unknown_api_paths_get_a_problem_response() {
    on_both(|app| async move {
        let res = app.get("/api/v1/no-such-thing").await;
        assert_eq!(res.status, 404);
        assert_eq!(res.headers["content-type"], "application/problem+json");
        assert_eq!(res.body["code"], "not_found");
        assert_eq!(res.body["status"], 404);
        let res = app.request(axum::http::Method::DELETE, "/healthz", None).await;
        assert_eq!(res.status, 405);
        assert_eq!(res.body["code"], "method_not_allowed");
        app
    })
    .await;
}

#[tokio::test]
async fn the_openapi_document_is_served_and_describes_health() {
    on_both(|app| async move {
        let res = app.get("/api/openapi.json").await;
        assert_eq!(res.status, 200);
        assert_eq!(res.body["openapi"], "3.1.0");
        assert!(res.body["paths"]["/healthz"]["get"].is_object());
        app
    })
    .await;
}

/// The committed `web/openapi.json` feeds the generated TypeScript client; it must match the code.
#[test]
fn the_committed_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
    let committed = std::fs::read_to_string(path).expect("web/openapi.json exists");
    let current = serde_json::to_string_pretty(&didtron::app::openapi()).unwrap() + "\n";
    assert!(
        committed == current,
        "web/openapi.json is stale: run `cargo run -q -p didtron -- openapi > web/openapi.json && (cd web && npm run gen:api)`"
    );
}

/// Table and column names, in order, as the database itself reports them.
async fn schema_of(db: &Db) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY m.name, p.cid"
        }
        Backend::Postgres => {
            "SELECT table_name || '.' || column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name, ordinal_position"
        }
    };
    sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap()
}

#[tokio::test]
async fn migrations_build_the_same_schema_on_both_databases_and_rerun_harmlessly() {
    let mut schemas = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let test_db = TestDb::new(backend).await;
        let db = Db::connect(&test_db.url).await.unwrap();
        didtron_db::migrate(&db).await.unwrap();
        let first = schema_of(&db).await;
        assert!(first.contains(&"users.password_hash".to_string()), "{first:?}");
        // A second run (a second `didtron migrate`) applies nothing and changes nothing.
        didtron_db::migrate(&db).await.unwrap();
        assert_eq!(schema_of(&db).await, first);
        let (applied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(db.pool()).await.unwrap();
        assert_eq!(applied as usize, didtron_db::MIGRATIONS.len());
        db.close().await;
        test_db.drop_database().await;
        schemas.push(first);
    }
    assert_eq!(schemas[0], schemas[1], "SQLite and PostgreSQL schemas differ");
}

#[tokio::test]
async fn the_first_start_creates_one_super_admin_with_a_generated_password() {
    on_both(|app| async move {
        let settings = Settings::default();
        let FirstAdmin::CreatedWithPassword { email, password } = ensure_first_admin(&app.db, &settings).await.unwrap() else {
            panic!("expected a generated password")
        };
        assert_eq!(email, "admin@localhost");
        let (role, hash): (String, String) =
            sqlx::query_as("SELECT role, password_hash FROM users WHERE email = $1").bind(&email).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(role, "super_admin");
        assert!(didtron::identity::password::verify(&password, &hash).await);
        assert!(!hash.contains(&password), "the password is stored hashed");
        // Later starts leave it alone.
        assert_eq!(ensure_first_admin(&app.db, &settings).await.unwrap(), FirstAdmin::Exists);
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(n, 1);
        app
    })
    .await;
}

#[tokio::test]
async fn the_first_admin_uses_the_configured_credentials() {
    on_both(|app: TestApp| async move {
        let settings = Settings {
            admin_email: Some("Ops@Example.com".into()),
            admin_password: Some("a-long-enough-password".to_string().into()),
            ..Settings::default()
        };
        let created = ensure_first_admin(&app.db, &settings).await.unwrap();
        assert_eq!(created, FirstAdmin::Created { email: "ops@example.com".into() });
        let (hash,): (String,) =
            sqlx::query_as("SELECT password_hash FROM users WHERE email = 'ops@example.com'").fetch_one(app.db.pool()).await.unwrap();
        assert!(didtron::identity::password::verify("a-long-enough-password", &hash).await);
        app
    })
    .await;
}

#[tokio::test]
async fn a_too_short_configured_admin_password_is_refused() {
    on_both(|app| async move {
        let settings = Settings { admin_password: Some("short".to_string().into()), ..Settings::default() };
        let err = ensure_first_admin(&app.db, &settings).await.unwrap_err();
        assert!(err.to_string().contains("at least 12"), "{err}");
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(n, 0, "nothing was created");
        app
    })
    .await;
}

#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_it() {
    on_both(|app| async move {
        // The OpenAPI document is large JSON: gzip when asked, brotli when preferred, plain otherwise.
        let gz = app.send(axum::http::Method::GET, "/api/openapi.json", None, &[("accept-encoding".into(), "gzip".into())]).await;
        assert_eq!(gz.status, 200);
        assert_eq!(gz.headers.get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));
        let br = app.send(axum::http::Method::GET, "/api/openapi.json", None, &[("accept-encoding".into(), "br".into())]).await;
        assert_eq!(br.headers.get("content-encoding").and_then(|v| v.to_str().ok()), Some("br"));
        let plain = app.get("/api/openapi.json").await;
        assert!(plain.headers.get("content-encoding").is_none());
        assert!(plain.body["paths"].is_object());
        app
    })
    .await;
}
