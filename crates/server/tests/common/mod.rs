//! The test harness: a real router over a real database, SQLite or PostgreSQL.
//!
//! PostgreSQL tests use the server at `DIDTRON_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), creating a fresh database per test and dropping
//! it at the end. They never skip: an unreachable server fails the test.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use didtron::app::{self, AppState};
use didtron::config::Settings;
use didtron_db::{Backend, Db};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

pub fn postgres_admin_url() -> String {
    std::env::var("DIDTRON_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh, empty database of the given kind, with its clean-up.
pub struct TestDb {
    pub url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb { url, pg_name: None, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let name = format!("didtron_t_{}", uuid::Uuid::now_v7().simple());
                let admin = Db::connect(&postgres_admin_url())
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {} is required for tests: {e}", postgres_admin_url()));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(admin.pool()).await.unwrap();
                admin.close().await;
                let mut url = url::Url::parse(&postgres_admin_url()).unwrap();
                url.set_path(&name);
                TestDb { url: url.to_string(), pg_name: Some(name), _dir: None }
            }
        }
    }

    pub async fn drop_database(&self) {
        if let Some(name) = &self.pg_name {
            let admin = Db::connect(&postgres_admin_url()).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(admin.pool()).await.unwrap();
            admin.close().await;
        }
    }
}

pub struct TestApp {
    pub db: Db,
    pub state: AppState,
    router: Router,
    test_db: TestDb,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        let test_db = TestDb::new(backend).await;
        let db = Db::connect(&test_db.url).await.unwrap();
        didtron_db::migrate(&db).await.unwrap();
        let settings = Settings { database_url: Some(test_db.url.clone().into()), ..Settings::default() };
        let state = AppState { db: db.clone(), settings: Arc::new(settings) };
        TestApp { router: app::router(state.clone()), db, state, test_db }
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path);
        let body = match body {
            Some(v) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let res = self.router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse { status, headers, body, text }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.request(Method::GET, path, None).await
    }

    pub async fn finish(self) {
        self.db.close().await;
        self.test_db.drop_database().await;
    }
}

/// Runs the same test body against SQLite and then PostgreSQL.
pub async fn on_both<F, Fut>(test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::new(backend).await;
        let app = test(app).await;
        app.finish().await;
    }
}
