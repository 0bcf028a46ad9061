//! A local stand-in for the ConnexCS control-panel API (`/api/cp/…`): HTTP Basic authentication,
//! JSON collections with numeric ids (`POST collection` → `{"id": n}`, `GET collection?field=value`,
//! `PUT|GET|DELETE collection/{id}`, nested collections such as `carrier/{id}/ip`),
//! `GET setup/account`, and faults injected per request (a status with an optional `Retry-After`,
//! or an answer delayed past the client's timeout — the work is still done, as a real server would).

#![allow(dead_code)]

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const USER: &str = "api@example.net";
pub const PASSWORD: &str = "fake-connexcs-password";

#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status (and `Retry-After` seconds), doing nothing.
    Status(u16, Option<u64>, &'static str),
    /// Do the work, then answer only after this long.
    Delay(Duration),
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path below `/api/cp/`, with the query if any.
    pub path: String,
    pub body: Option<Value>,
    pub authorized: bool,
}

#[derive(Default)]
struct Inner {
    collections: BTreeMap<String, BTreeMap<u64, Value>>,
    next_id: u64,
    requests: Vec<Recorded>,
    /// (method, path prefix) → faults to apply, in order, to the next matching requests.
    faults: Vec<(String, String, VecDeque<Fault>)>,
}

#[derive(Clone)]
pub struct FakeConnexCs {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeConnexCs {
    pub async fn start() -> FakeConnexCs {
        let inner = Arc::new(Mutex::new(Inner { next_id: 100, ..Default::default() }));
        let app = Router::new().fallback(handle).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/api/cp/", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeConnexCs { url, inner }
    }

    /// The next requests with `method` whose path starts with `prefix` get these faults, one each.
    pub fn fault(&self, method: &str, prefix: &str, faults: Vec<Fault>) {
        self.inner.lock().unwrap().faults.push((method.into(), prefix.into(), faults.into()));
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// The objects of a collection (e.g. `carrier`, `carrier/101/ip`).
    pub fn objects(&self, collection: &str) -> Vec<Value> {
        self.inner.lock().unwrap().collections.get(collection).map(|c| c.values().cloned().collect()).unwrap_or_default()
    }

    /// Changes an object behind DIDtron's back (drift).
    pub fn tamper(&self, collection: &str, id: &str, field: &str, value: Value) {
        let mut inner = self.inner.lock().unwrap();
        if let Some(o) = inner.collections.get_mut(collection).and_then(|c| c.get_mut(&id.parse::<u64>().unwrap())) {
            o[field] = value;
        }
    }
}

fn authorized(headers: &HeaderMap) -> bool {
    use base64::Engine;
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}")));
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(expected.as_str())
}

/// Fields ConnexCS requires when creating each kind of object (its 400 answers).
fn required(collection: &str) -> &'static [&'static str] {
    let last = collection.rsplit('/').next().unwrap_or("");
    match last {
        "customer" | "carrier" | "card" | "server" => &["name"],
        "ip" => &["ip"],
        "user" => &["username", "customer_id"],
        "route" => &["prefix", "carrier_id"],
        "did" => &["did", "customer_id"],
        _ => &[],
    }
}

async fn handle(State(inner): State<Arc<Mutex<Inner>>>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let Some(path) = uri.path().strip_prefix("/api/cp/") else { return (StatusCode::NOT_FOUND, "not the API").into_response() };
    let path = path.trim_end_matches('/').to_string();
    let body: Option<Value> = if body.is_empty() { None } else { serde_json::from_slice(&body).ok() };
    let shown = match uri.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let ok_auth = authorized(&headers);
    let fault = {
        let mut g = inner.lock().unwrap();
        g.requests.push(Recorded { method: method.to_string(), path: shown, body: body.clone(), authorized: ok_auth });
        let mut found = None;
        for (m, prefix, queue) in g.faults.iter_mut() {
            if *m == method.as_str() && path.starts_with(prefix.as_str()) && !queue.is_empty() {
                found = queue.pop_front();
                break;
            }
        }
        found
    };
    if !ok_auth {
        return (StatusCode::UNAUTHORIZED, axum::Json(json!({"message": "Unauthorized"}))).into_response();
    }
    let delay = match fault {
        Some(Fault::Status(code, retry_after, message)) => {
            let mut res = (StatusCode::from_u16(code).unwrap(), axum::Json(json!({"message": message}))).into_response();
            if let Some(s) = retry_after {
                res.headers_mut().insert("retry-after", s.to_string().parse().unwrap());
            }
            return res;
        }
        Some(Fault::Delay(d)) => Some(d),
        None => None,
    };
    let (status, answer) = apply(&inner, &method, &path, uri.query(), body);
    if let Some(d) = delay {
        tokio::time::sleep(d).await;
    }
    (status, axum::Json(answer)).into_response()
}

fn apply(inner: &Arc<Mutex<Inner>>, method: &Method, path: &str, query: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
    let mut g = inner.lock().unwrap();
    if path == "setup/account" {
        return (StatusCode::OK, json!({"id": 1, "name": "Fake Telecom Ltd"}));
    }
    let (collection, id) = match path.rsplit_once('/') {
        Some((c, last)) if last.chars().all(|c| c.is_ascii_digit()) => (c.to_string(), last.parse::<u64>().ok()),
        _ => (path.to_string(), None),
    };
    let not_found = (StatusCode::NOT_FOUND, json!({"message": "Not Found"}));
    match (method.as_str(), id) {
        ("GET", None) => {
            let filters: Vec<(String, String)> = query.unwrap_or("").split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (k.to_string(), urlencoding_decode(v))).collect();
            let list: Vec<Value> = g
                .collections
                .get(&collection)
                .map(|c| c.values().filter(|o| filters.iter().all(|(k, v)| o.get(k).and_then(Value::as_str) == Some(v.as_str()))).cloned().collect())
                .unwrap_or_default();
            (StatusCode::OK, Value::Array(list))
        }
        ("GET", Some(id)) => g.collections.get(&collection).and_then(|c| c.get(&id)).map(|o| (StatusCode::OK, o.clone())).unwrap_or(not_found),
        ("POST", None) => {
            let Some(Value::Object(mut o)) = body else { return (StatusCode::BAD_REQUEST, json!({"message": "JSON object expected"})) };
            for f in required(&collection) {
                if o.get(*f).is_none_or(|v| v.is_null() || v == "") {
                    return (StatusCode::BAD_REQUEST, json!({"message": format!("{f} is required")}));
                }
            }
            g.next_id += 1;
            let id = g.next_id;
            o.insert("id".into(), json!(id));
            g.collections.entry(collection).or_default().insert(id, Value::Object(o));
            (StatusCode::OK, json!({"id": id}))
        }
        ("PUT", Some(id)) => {
            let Some(Value::Object(o)) = body else { return (StatusCode::BAD_REQUEST, json!({"message": "JSON object expected"})) };
            match g.collections.get_mut(&collection).and_then(|c| c.get_mut(&id)) {
                Some(existing) => {
                    let mut merged = o;
                    merged.insert("id".into(), json!(id));
                    *existing = Value::Object(merged);
                    (StatusCode::OK, existing.clone())
                }
                None => not_found,
            }
        }
        ("DELETE", Some(id)) => match g.collections.get_mut(&collection).and_then(|c| c.remove(&id)) {
            Some(_) => {
                // Deleting a carrier deletes what lives under it.
                let nested = format!("{collection}/{id}/");
                g.collections.retain(|k, _| !k.starts_with(&nested));
                (StatusCode::OK, json!({"deleted": id}))
            }
            None => not_found,
        },
        _ => (StatusCode::METHOD_NOT_ALLOWED, json!({"message": "Method Not Allowed"})),
    }
}

fn urlencoding_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.to_string()).unwrap_or_default()
}
