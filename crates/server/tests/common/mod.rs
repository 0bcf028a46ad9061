//! The test harness: a real router over a real database, SQLite or PostgreSQL.
//!
//! PostgreSQL tests use the server at `DIDTRON_TEST_POSTGRES` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`), creating a fresh database per test and dropping
//! it at the end. They never skip: an unreachable server fails the test.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Mutex;

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
        TestApp::configured(backend, |_| {}).await
    }

    /// An app whose settings `adjust` changes first (e.g. another switch driver).
    pub async fn configured(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
        let test_db = TestDb::new(backend).await;
        let db = Db::connect(&test_db.url).await.unwrap();
        didtron_db::migrate(&db).await.unwrap();
        let data_dir = tempfile::tempdir().unwrap().keep();
        let mut settings = Settings { database_url: Some(test_db.url.clone().into()), data_dir, ..Settings::default() };
        adjust(&mut settings);
        let state = AppState::new(db.clone(), settings).unwrap();
        TestApp { router: app::router(state.clone()), db, state, test_db }
    }

    /// The URL of this test's database, for a second "instance" on it.
    pub fn database_url(&self) -> &str {
        &self.test_db.url
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        self.send(method, path, body, &[]).await
    }

    /// Sends raw bytes (a file upload) with extra headers.
    pub async fn send_bytes(&self, method: Method, path: &str, body: Vec<u8>, headers: &[(String, String)]) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, "application/octet-stream");
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
        let res = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse { status, headers, body, text }
    }

    /// Sends a request with extra headers.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>, headers: &[(String, String)]) -> TestResponse {
        let mut req = Request::builder().method(method).uri(path);
        for (k, v) in headers {
            req = req.header(k.as_str(), v.as_str());
        }
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

    /// A browser-like client with its own cookie jar.
    pub fn client(&self) -> Client<'_> {
        Client { app: self, cookies: Mutex::new(HashMap::new()), csrf: true, bearer: None }
    }

    /// A client that authenticates with an API key token (`id.secret`).
    pub fn key_client(&self, token: &str) -> Client<'_> {
        Client { app: self, cookies: Mutex::new(HashMap::new()), csrf: false, bearer: Some(token.to_string()) }
    }

    /// The token in the newest mail sent to `to` whose link contains `path`.
    pub async fn mailed_token(&self, to: &str, path: &str) -> String {
        let bodies: Vec<(String,)> = sqlx::query_as("SELECT body_text FROM mail_outbox WHERE to_address = $1 ORDER BY created_at DESC")
            .bind(to)
            .fetch_all(self.db.pool())
            .await
            .unwrap();
        for (body,) in bodies {
            if let Some(start) = body.find(&format!("/{path}?token=")) {
                let rest = &body[start + path.len() + 8..];
                return rest.split_whitespace().next().unwrap().to_string();
            }
        }
        panic!("no mail to {to} with a /{path} link")
    }

    /// A tenant of `kind` with one active, verified user of `role`, signed in.
    pub async fn signed_in(&self, kind: &str, role: &str) -> (Client<'_>, SeededUser) {
        let tenant = self.seed_tenant(kind).await;
        let user = self.seed_user(&tenant, role).await;
        let client = self.client();
        client.login(&user.email, PASSWORD).await;
        (client, user)
    }

    pub async fn seed_tenant(&self, kind: &str) -> String {
        let id = didtron_core::id::new_id();
        self.seed_customer_named(kind, &format!("{kind} {}", &id[30..]), &id, None, None).await
    }

    /// A customer named `name` in a category and group.
    pub async fn seed_customer(&self, name: &str, category: Option<&str>, group: Option<&str>) -> String {
        self.seed_customer_named("customer", name, &didtron_core::id::new_id(), category, group).await
    }

    async fn seed_customer_named(&self, kind: &str, name: &str, id: &str, category: Option<&str>, group: Option<&str>) -> String {
        let now = didtron_core::time::to_db(didtron_core::time::now());
        sqlx::query("INSERT INTO tenants (id, kind, name, category_id, group_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .bind(id)
            .bind(kind)
            .bind(name)
            .bind(category)
            .bind(group)
            .bind(&now)
            .execute(self.db.pool())
            .await
            .unwrap();
        id.to_string()
    }

    pub async fn seed_user(&self, tenant_id: &str, role: &str) -> SeededUser {
        let id = didtron_core::id::new_id();
        let email = format!("{role}-{}@example.com", &id[24..]).replace('_', "-");
        let now = didtron_core::time::to_db(didtron_core::time::now());
        sqlx::query(
            "INSERT INTO users (id, tenant_id, email, name, password_hash, role, email_verified_at, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)",
        )
        .bind(&id)
        .bind(tenant_id)
        .bind(&email)
        .bind(format!("Test {role}"))
        .bind(password_hash())
        .bind(role)
        .bind(&now)
        .execute(self.db.pool())
        .await
        .unwrap();
        SeededUser { id, email, tenant_id: tenant_id.to_string() }
    }

    pub async fn count(&self, table: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"))).fetch_one(self.db.pool()).await.unwrap();
        n
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

/// Runs the same test body against SQLite and then PostgreSQL, with adjusted settings.
pub async fn on_both_configured<F, Fut>(adjust: impl Fn(&mut Settings), test: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = TestApp::configured(backend, &adjust).await;
        let app = test(app).await;
        app.finish().await;
    }
}

pub const PASSWORD: &str = "correct horse battery";

/// One Argon2id hash of [`PASSWORD`], computed once per test binary.
fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).unwrap().to_string()
    })
    .clone()
}

#[derive(Debug, Clone)]
pub struct SeededUser {
    pub id: String,
    pub email: String,
    pub tenant_id: String,
}

pub struct Client<'a> {
    app: &'a TestApp,
    cookies: Mutex<HashMap<String, String>>,
    csrf: bool,
    bearer: Option<String>,
}

impl Client<'_> {
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> TestResponse {
        let mut headers = Vec::new();
        {
            let cookies = self.cookies.lock().unwrap();
            if !cookies.is_empty() {
                let jar: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
                headers.push(("cookie".to_string(), jar.join("; ")));
            }
            if self.csrf && let Some(csrf) = cookies.get("didtron_csrf") {
                headers.push(("x-csrf-token".to_string(), csrf.clone()));
            }
        }
        if let Some(token) = &self.bearer {
            headers.push(("authorization".to_string(), format!("Bearer {token}")));
        }
        let res = self.app.send(method, path, body, &headers).await;
        let mut cookies = self.cookies.lock().unwrap();
        for set in res.headers.get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (pair, attrs) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || attrs.contains("Max-Age=0") {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_string(), value.to_string());
            }
        }
        res
    }

    /// Sends writes without the CSRF header from now on (to prove it is required).
    pub fn without_csrf(mut self) -> Self {
        self.csrf = false;
        self
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> TestResponse {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> TestResponse {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> TestResponse {
        self.call(Method::DELETE, path, None).await
    }

    /// Signs in and asserts it worked.
    pub async fn login(&self, email: &str, password: &str) -> TestResponse {
        let res = self.post("/api/v1/auth/login", serde_json::json!({"email": email, "password": password})).await;
        assert_eq!(res.status, 200, "login of {email} failed: {}", res.text);
        res
    }
}
