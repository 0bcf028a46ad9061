//! Identity under attack and in the hands of people who make mistakes (issue 14): bounded password
//! hashing, lockout races, password reset links, role escalation through keys and invitations,
//! keys after account recovery, live links in the mail outbox, account enumeration, look-alike
//! addresses, security notices and invisible characters. On SQLite and PostgreSQL.

mod common;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use common::{PASSWORD, TestApp, on_both, on_both_configured};
use didtron::http::limits::WorkBound as Hashing;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const CATEGORY: &str = "019ab9a0-0000-7000-8000-000000000001";

fn signup(email: &str) -> Value {
    json!({"email": email, "password": "a fine long password", "name": "Alice Example", "company": "Acme VoIP", "category_id": CATEGORY})
}

/// The app's router over its state with another hashing bound, and requests from chosen network
/// addresses (the harness's own client always comes from 127.0.0.1).
#[derive(Clone)]
struct Net {
    router: Router,
    hashing: Hashing,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Net {
    fn new(app: &TestApp, hashing: Hashing) -> Net {
        let mut state = app.state.clone();
        state.hashing = hashing.clone();
        Net { router: didtron::app::router(state), hashing }
    }

    async fn login(&self, ip: &str, email: &str, password: &str) -> Answer {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({"email": email, "password": password}).to_string()))
            .unwrap();
        let addr: SocketAddr = format!("{ip}:40000").parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(addr));
        let res = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (res.status(), res.headers().clone());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer { status, headers, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
    }

    /// Sends every `(ip, email, password)` at once, each on its own task.
    async fn burst(&self, tries: Vec<(String, String, String)>) -> Vec<Answer> {
        let handles: Vec<_> = tries
            .into_iter()
            .map(|(ip, email, password)| {
                let net = self.clone();
                tokio::spawn(async move { net.login(&ip, &email, &password).await })
            })
            .collect();
        let mut answers = Vec::new();
        for h in handles {
            answers.push(h.await.unwrap());
        }
        answers
    }
}

fn ip(n: usize) -> String {
    format!("10.{}.{}.{}", n / 65536 % 256, n / 256 % 256, n % 256)
}

async fn attempts_with(app: &TestApp, reasons: &[&str]) -> i64 {
    let list = reasons.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT COUNT(*) FROM login_attempts WHERE reason IN ({list})");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_one(app.db.pool()).await.unwrap();
    n
}

async fn locked(app: &TestApp, email: &str) -> bool {
    let now = didtron_core::time::to_db(didtron_core::time::now());
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT locked_until FROM sign_in_guards WHERE email = $1").bind(email).fetch_optional(app.db.pool()).await.unwrap();
    row.and_then(|r| r.0).is_some_and(|until| until > now)
}

// ---- 2: bounded password hashing ---------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_sign_ins_hash_within_the_bound_and_the_overflow_is_told_to_retry() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let mut tries = Vec::new();
        for n in 0..40 {
            let user = app.seed_user(&tenant, "viewer").await;
            tries.push((ip(n), user.email, PASSWORD.to_string()));
        }
        let net = Net::new(&app, Hashing::new(2, 4, "checking passwords"));
        let answers = net.burst(tries.clone()).await;
        let ok = answers.iter().filter(|a| a.status == 200).count();
        let busy: Vec<&Answer> = answers.iter().filter(|a| a.status == 429).collect();
        assert_eq!(ok + busy.len(), 40, "only 200 or 429, never an error: {:?}", answers.iter().map(|a| a.status).collect::<Vec<_>>());
        assert!(!busy.is_empty(), "40 sign-ins at once cannot all fit 2 workers and a queue of 4");
        for a in &busy {
            assert!(a.body["message"].as_str().unwrap().contains("busy"), "{}", a.body);
            assert!(a.headers.contains_key("retry-after"));
        }
        assert!(net.hashing.peak() <= 2, "at most 2 hashes ran at once, saw {}", net.hashing.peak());
        // A refusal for being busy is not a failed sign-in: nothing is locked, and trying again works.
        assert_eq!(attempts_with(&app, &["busy"]).await as usize, busy.len());
        for (ip, email, password) in &tries {
            assert!(!locked(&app, email).await);
            let again = net.login(ip, email, password).await;
            assert_eq!(again.status, 200, "{}", again.body);
        }
        app
    })
    .await;
}

#[tokio::test]
async fn an_unknown_address_costs_one_hash_like_a_wrong_password() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let net = Net::new(&app, Hashing::new(2, 4, "checking passwords"));
        assert_eq!(net.login("10.0.0.1", "nobody@example.com", "some password!").await.status, 401);
        assert_eq!(net.hashing.completed(), 1, "the unknown address was checked against a hash, inside the bound");
        assert_eq!(net.login("10.0.0.1", &user.email, "some password!").await.status, 401);
        assert_eq!(net.hashing.completed(), 2);
        app
    })
    .await;
}

// ---- 4: lockout races --------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_parallel_wrong_passwords_get_no_more_checks_than_the_limit() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let net = Net::new(&app, Hashing::new(2, 500, "checking passwords"));
        let tries = (0..100).map(|n| (ip(n), user.email.clone(), format!("wrong password {n}"))).collect();
        let answers = net.burst(tries).await;
        let checked = attempts_with(&app, &["wrong_password"]).await;
        assert!(checked <= 5, "{checked} passwords were checked past a limit of 5");
        assert!(net.hashing.completed() <= 5, "{} hashes", net.hashing.completed());
        assert!(answers.iter().all(|a| a.status == 401 || a.status == 429));
        assert!(locked(&app, &user.email).await, "the account is locked after the burst");
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_network_address_gets_no_more_checks_than_its_limit_in_parallel() {
    on_both(|app| async move {
        let net = Net::new(&app, Hashing::new(2, 500, "checking passwords"));
        let tries = (0..100).map(|n| ("10.9.9.9".to_string(), format!("guess{n}@example.com"), "whatever pass".to_string())).collect();
        let answers = net.burst(tries).await;
        let checked = attempts_with(&app, &["unknown_email", "wrong_password"]).await;
        assert!(checked <= 20, "{checked} addresses were checked from one network address past a limit of 20");
        assert!(answers.iter().filter(|a| a.status == 429).count() >= 80);
        // Another network address is not held back.
        assert_eq!(net.login("10.9.9.10", "guess@example.com", "whatever pass").await.status, 401);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_nine_wrong_and_one_right_in_parallel_lock_the_account() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let net = Net::new(&app, Hashing::new(2, 500, "checking passwords"));
        let mut tries: Vec<_> = (0..39).map(|n| (ip(n), user.email.clone(), format!("wrong password {n}"))).collect();
        tries.push((ip(39), user.email.clone(), PASSWORD.to_string()));
        net.burst(tries).await;
        let checked = attempts_with(&app, &["wrong_password"]).await;
        // The limit holds per run of failures; a right password among the first tries starts a new run.
        assert!(checked <= 10, "{checked} wrong passwords were checked");
        // The account ends locked: the right password waits out the lock like any other.
        assert_eq!(net.login("10.200.0.1", &user.email, PASSWORD).await.status, 429, "the account must end locked");
        assert!(locked(&app, &user.email).await);
        assert!(app.count("sessions").await <= 1);
        app
    })
    .await;
}

// ---- 5: password reset -------------------------------------------------------------------------

#[tokio::test]
async fn using_one_reset_link_voids_the_others_and_a_password_change_voids_them_all() {
    on_both(|app| async move {
        let (c, user) = app.signed_in("customer", "owner").await;
        let anon = app.client();
        anon.post("/api/v1/auth/password/forgot", json!({"email": user.email})).await;
        let first = app.mailed_token(&user.email, "reset-password").await;
        // Outbox rows of one second may share a timestamp: make the order plain.
        sqlx::query("UPDATE mail_outbox SET created_at = '2000-01-01T00:00:00.000000Z'").execute(app.db.pool()).await.unwrap();
        anon.post("/api/v1/auth/password/forgot", json!({"email": user.email})).await;
        let second = app.mailed_token(&user.email, "reset-password").await;
        assert_ne!(first, second);
        let ok = anon.post("/api/v1/auth/password/reset", json!({"token": second, "password": "a brand new password"})).await;
        assert_eq!(ok.status, 200, "{:?}", ok.body);
        let stale = anon.post("/api/v1/auth/password/reset", json!({"token": first, "password": "the attacker's choice"})).await;
        assert_eq!(stale.status, 422, "the older link died with the reset");
        anon.login(&user.email, "a brand new password").await;

        // A link outstanding when the password is changed dies too.
        let c2 = app.client();
        c2.login(&user.email, "a brand new password").await;
        sqlx::query("UPDATE mail_outbox SET created_at = '2000-01-01T00:00:00.000000Z'").execute(app.db.pool()).await.unwrap();
        anon.post("/api/v1/auth/password/forgot", json!({"email": user.email})).await;
        let pending = app.mailed_token(&user.email, "reset-password").await;
        let changed = c2.post("/api/v1/me/password", json!({"current_password": "a brand new password", "new_password": "yet another password"})).await;
        assert_eq!(changed.status, 200, "{:?}", changed.body);
        let dead = anon.post("/api/v1/auth/password/reset", json!({"token": pending, "password": "the attacker's choice"})).await;
        assert_eq!(dead.status, 422);
        drop(c);
        app
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_mails_are_capped_per_address_even_in_parallel() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let app = Arc::new(app);
        let handles: Vec<_> = (0..10)
            .map(|_| {
                let (app, email) = (app.clone(), user.email.clone());
                tokio::spawn(async move { app.request(Method::POST, "/api/v1/auth/password/forgot", Some(json!({"email": email}))).await.status })
            })
            .collect();
        for h in handles {
            assert_eq!(h.await.unwrap(), 202, "every request gets the same answer");
        }
        let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE template = 'reset_password'").fetch_one(app.db.pool()).await.unwrap();
        assert!((1..=3).contains(&mails), "{mails} reset mails for 10 requests");
        let (tokens,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM email_tokens WHERE purpose = 'reset_password'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(tokens, mails, "no live token without its mail");
        Arc::try_unwrap(app).ok().unwrap()
    })
    .await;
}

// ---- 6: a credential never grants more than its holder has -------------------------------------

#[tokio::test]
async fn an_admin_cannot_mint_an_owner_key_nor_use_a_key_to_take_the_account_over() {
    on_both(|app| async move {
        let (_owner, owner_user) = app.signed_in("customer", "owner").await;
        let admin_user = app.seed_user(&owner_user.tenant_id, "admin").await;
        let admin = app.client();
        admin.login(&admin_user.email, PASSWORD).await;
        let refused = admin.post("/api/v1/api-keys", json!({"name": "escalate", "role": "owner"})).await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        let key = admin.post("/api/v1/api-keys", json!({"name": "ops", "role": "admin"})).await;
        assert_eq!(key.status, 201, "{}", key.text);
        let robot = app.key_client(key.body["token"].as_str().unwrap());
        assert_eq!(robot.patch(&format!("/api/v1/team/members/{}", admin_user.id), json!({"role": "owner"})).await.status, 403);
        assert_eq!(robot.patch(&format!("/api/v1/team/members/{}", owner_user.id), json!({"role": "viewer"})).await.status, 403);
        assert_eq!(robot.post("/api/v1/team/invitations", json!({"email": "friend@example.com", "role": "owner"})).await.status, 403);
        let (role,): (String,) = sqlx::query_as("SELECT role FROM users WHERE id = $1").bind(&owner_user.id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(role, "owner");
        app
    })
    .await;
}

#[tokio::test]
async fn a_key_stops_working_when_its_holder_leaves_or_is_demoted() {
    on_both(|app| async move {
        let (owner, owner_user) = app.signed_in("customer", "owner").await;
        let (a, b) = (app.seed_user(&owner_user.tenant_id, "admin").await, app.seed_user(&owner_user.tenant_id, "admin").await);
        let mut tokens = Vec::new();
        for who in [&a, &b] {
            let c = app.client();
            c.login(&who.email, PASSWORD).await;
            let key = c.post("/api/v1/api-keys", json!({"name": "ci", "role": "admin"})).await;
            tokens.push(key.body["token"].as_str().unwrap().to_string());
            assert_eq!(app.key_client(&tokens[tokens.len() - 1]).get("/api/v1/me").await.status, 200);
        }
        // Removed: the key is revoked with the member.
        assert_eq!(owner.delete(&format!("/api/v1/team/members/{}", a.id)).await.status, 204);
        let gone = app.key_client(&tokens[0]).get("/api/v1/me").await;
        assert_eq!(gone.status, 401);
        let keys = owner.get("/api/v1/api-keys").await;
        let revoked = keys.body.as_array().unwrap().iter().filter(|k| k["revoked_at"].is_string()).count();
        assert_eq!(revoked, 1, "the owner sees the removed member's key as revoked");
        // Demoted below the key's role: the key can no longer do more than its holder.
        assert_eq!(owner.patch(&format!("/api/v1/team/members/{}", b.id), json!({"role": "viewer"})).await.status, 204);
        let demoted = app.key_client(&tokens[1]).get("/api/v1/me").await;
        assert_eq!(demoted.status, 401);
        assert!(demoted.text.contains("holder"), "{}", demoted.text);
        app
    })
    .await;
}

// ---- 7: keys after account recovery ------------------------------------------------------------

#[tokio::test]
async fn a_key_cannot_mint_keys_unless_its_role_allows_it() {
    on_both(|app| async move {
        let (owner, _) = app.signed_in("customer", "owner").await;
        let key = owner.post("/api/v1/api-keys", json!({"name": "all powers", "role": "owner"})).await;
        let robot = app.key_client(key.body["token"].as_str().unwrap());
        let before = app.count("api_keys").await;
        let res = robot.post("/api/v1/api-keys", json!({"name": "offspring", "role": "viewer"})).await;
        assert_eq!(res.status, 403, "{}", res.text);
        assert_eq!(app.count("api_keys").await, before);
        // The platform's Super Admin role allows api_keys.by_key explicitly.
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let sa = admin.post("/api/v1/api-keys", json!({"name": "automation", "role": "super_admin"})).await;
        let sa_robot = app.key_client(sa.body["token"].as_str().unwrap());
        assert_eq!(sa_robot.post("/api/v1/api-keys", json!({"name": "rotated", "role": "viewer"})).await.status, 201);
        app
    })
    .await;
}

#[tokio::test]
async fn after_a_reset_the_person_is_offered_to_revoke_every_key_they_hold() {
    on_both(|app| async move {
        let (owner, user) = app.signed_in("customer", "owner").await;
        let mut tokens = Vec::new();
        for name in ["one", "two"] {
            tokens.push(owner.post("/api/v1/api-keys", json!({"name": name, "role": "viewer"})).await.body["token"].as_str().unwrap().to_string());
        }
        assert_eq!(owner.get("/api/v1/me").await.body["user"]["api_keys_to_review"], 0);
        let anon = app.client();
        anon.post("/api/v1/auth/password/forgot", json!({"email": user.email})).await;
        let token = app.mailed_token(&user.email, "reset-password").await;
        // Keys made in the same second as the reset must still count as older.
        sqlx::query("UPDATE api_keys SET created_at = '2000-01-01T00:00:00.000000Z'").execute(app.db.pool()).await.unwrap();
        assert_eq!(anon.post("/api/v1/auth/password/reset", json!({"token": token, "password": "a brand new password"})).await.status, 200);
        // Keys survive a reset on their own...
        assert_eq!(app.key_client(&tokens[0]).get("/api/v1/me").await.status, 200);
        let back = app.client();
        let me = back.login(&user.email, "a brand new password").await;
        assert_eq!(me.body["user"]["api_keys_to_review"], 2, "{}", me.text);
        // ...until the person revokes them, which a key cannot do for them.
        assert_eq!(app.key_client(&tokens[0]).post("/api/v1/me/api-keys/revoke-all", json!({})).await.status, 403);
        let revoked = back.post("/api/v1/me/api-keys/revoke-all", json!({})).await;
        assert_eq!(revoked.status, 200, "{}", revoked.text);
        assert_eq!(revoked.body["revoked"], 2);
        for t in &tokens {
            assert_eq!(app.key_client(t).get("/api/v1/me").await.status, 401);
        }
        assert_eq!(back.get("/api/v1/me").await.body["user"]["api_keys_to_review"], 0);
        app
    })
    .await;
}

// ---- 8: live links in the mail outbox ----------------------------------------------------------

/// A local SMTP server that accepts every message and keeps it.
async fn fake_smtp(messages: Arc<Mutex<Vec<String>>>) -> u16 {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let messages = messages.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake.smtp ESMTP\r\n").await.unwrap();
                let mut data = None::<String>;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            messages.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let reply = if upper == "DATA" {
                        data = Some(String::new());
                        "354 go ahead\r\n"
                    } else if upper == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        "250 ok\r\n"
                    };
                    write.write_all(reply.as_bytes()).await.unwrap();
                }
            });
        }
    });
    port
}

#[tokio::test]
async fn mail_delivered_by_smtp_keeps_no_live_link_in_the_outbox() {
    let messages = Arc::new(Mutex::new(Vec::new()));
    let port = fake_smtp(messages.clone()).await;
    let url = format!("smtp://127.0.0.1:{port}");
    on_both_configured(
        move |s| s.smtp_url = Some(url.clone().into()),
        |app| {
            let messages = messages.clone();
            async move {
                let c = app.client();
                assert_eq!(c.post("/api/v1/auth/register", signup("smtp@example.com")).await.status, 201);
                let (body, status): (String, String) =
                    sqlx::query_as("SELECT body_text, status FROM mail_outbox WHERE to_address = 'smtp@example.com'").fetch_one(app.db.pool()).await.unwrap();
                assert_eq!(status, "sent");
                assert!(!body.contains("token="), "{body}");
                assert!(body.contains("[link to /verify-email sent; removed from the outbox]"), "{body}");
                let (redacted,): (i64,) = sqlx::query_as("SELECT links_redacted FROM mail_outbox WHERE to_address = 'smtp@example.com'").fetch_one(app.db.pool()).await.unwrap();
                assert_eq!(redacted, 1);
                // The mail itself carried the working link.
                let sent = messages.lock().unwrap().last().cloned().unwrap().replace("=\n", "").replace("=3D", "=");
                let token = sent.split("/verify-email?token=").nth(1).unwrap().split_whitespace().next().unwrap().to_string();
                assert_eq!(c.post("/api/v1/auth/verify-email", json!({"token": token})).await.status, 200);
                // The super admin sees that a link was sent, not the link.
                let (admin, _) = app.signed_in("platform", "super_admin").await;
                let list = admin.get("/api/v1/admin/mail-outbox?q=smtp@example.com").await;
                assert_eq!(list.body["items"][0]["links_redacted"], true);
                assert!(!list.text.contains("token="));
                app
            }
        },
    )
    .await;
}

#[tokio::test]
async fn without_smtp_links_are_hidden_in_the_list_and_each_opening_is_audited() {
    on_both(|app| async move {
        app.client().post("/api/v1/auth/register", signup("erin@example.com")).await;
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let list = admin.get("/api/v1/admin/mail-outbox?q=erin").await;
        assert!(!list.text.contains("token="), "{}", list.text);
        assert!(list.text.contains("open the mail to see it"));
        let id = list.body["items"][0]["id"].as_str().unwrap().to_string();
        let audits = || async {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'mail.open' AND target_id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
            n
        };
        assert_eq!(audits().await, 0);
        let mail = admin.get(&format!("/api/v1/admin/mail-outbox/{id}")).await;
        assert!(mail.body["body_text"].as_str().unwrap().contains("/verify-email?token="), "the outbox is the delivery");
        admin.get(&format!("/api/v1/admin/mail-outbox/{id}")).await;
        assert_eq!(audits().await, 2, "each opening is audited");
        app
    })
    .await;
}

// ---- 9: the same answer for known and unknown addresses ----------------------------------------

#[tokio::test]
async fn an_unknown_address_locks_exactly_like_a_real_account() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let net = Net::new(&app, Hashing::new(2, 8, "checking passwords"));
        let mut seen = Vec::new();
        for (n, email) in [user.email.as_str(), "nobody-here@example.com"].into_iter().enumerate() {
            let mut answers = Vec::new();
            for i in 0..6 {
                let a = net.login(&ip(n * 10 + i), email, "wrong password!").await;
                answers.push((a.status.as_u16(), a.body["message"].as_str().unwrap_or_default().to_string(), a.headers.get("retry-after").is_some()));
            }
            seen.push(answers);
        }
        assert_eq!(seen[0], seen[1], "a stranger cannot tell which address has an account");
        assert_eq!(seen[0].iter().map(|a| a.0).collect::<Vec<_>>(), [401, 401, 401, 401, 429, 429]);
        app
    })
    .await;
}

// ---- 10: one mailbox, one account --------------------------------------------------------------

#[tokio::test]
async fn a_look_alike_address_does_not_make_a_second_account() {
    on_both(|app| async move {
        let c = app.client();
        let first = c.post("/api/v1/auth/register", signup("someone@example.net")).await;
        assert_eq!(first.status, 201);
        let full_width = c.post("/api/v1/auth/register", signup("someone@\u{ff45}xample.net")).await;
        assert_eq!(full_width.status, 201);
        assert_eq!(full_width.body["email"], "someone@example.net", "stored in its one form");
        assert_eq!(app.count("users").await, 1);
        let idn = c.post("/api/v1/auth/register", signup("kim@B\u{fc}cher.example")).await;
        assert_eq!(idn.body["email"], "kim@xn--bcher-kva.example");
        let mixed = c.post("/api/v1/auth/register", signup("\u{430}dmin@example.net")).await;
        assert_eq!(mixed.status, 422, "a Cyrillic а among Latin letters imitates another address");
        assert_eq!(mixed.body["fields"][0]["field"], "email");
        assert_eq!(app.count("users").await, 2);
        // Signing in with the full-width form reaches the same account.
        let token = app.mailed_token("someone@example.net", "verify-email").await;
        c.post("/api/v1/auth/verify-email", json!({"token": token})).await;
        assert_eq!(c.post("/api/v1/auth/login", json!({"email": "SOMEONE@\u{ff45}xample.net", "password": "a fine long password"})).await.status, 200);
        app
    })
    .await;
}

// ---- 11: security notices ----------------------------------------------------------------------

async fn notices(app: &TestApp, to: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT subject FROM mail_outbox WHERE to_address = $1 AND template = 'security_notice' ORDER BY created_at, id")
        .bind(to)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

#[tokio::test]
async fn password_2fa_and_key_changes_are_mailed_to_the_person() {
    on_both(|app| async move {
        let (c, user) = app.signed_in("customer", "owner").await;
        assert!(notices(&app, &user.email).await.is_empty());
        c.post("/api/v1/api-keys", json!({"name": "deploy bot", "role": "viewer"})).await;
        assert_eq!(notices(&app, &user.email).await, ["Security notice: A new API key was created for your account"]);
        let changed = c.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "a different password"})).await;
        assert_eq!(changed.status, 200);
        let setup = c.post("/api/v1/me/2fa/setup", json!({})).await;
        let secret = setup.body["secret"].as_str().unwrap();
        let totp = totp_rs::Builder::new().with_secret(totp_rs::Secret::try_from_base32(secret).unwrap()).with_account_name("x").build().unwrap();
        let code = totp.generate_current().to_string();
        let enabled = c.post("/api/v1/me/2fa/enable", json!({"code": code})).await;
        assert_eq!(enabled.status, 200, "{}", enabled.text);
        let recovery = enabled.body["recovery_codes"][0].as_str().unwrap();
        assert_eq!(c.post("/api/v1/me/2fa/disable", json!({"password": "a different password", "code": recovery})).await.status, 200);
        let all = notices(&app, &user.email).await;
        for expected in [
            "Security notice: Your DIDtron password was changed",
            "Security notice: Two-factor authentication was turned on",
            "Security notice: Two-factor authentication was turned off",
        ] {
            assert!(all.iter().any(|s| s == expected), "{expected} not in {all:?}");
        }
        app
    })
    .await;
}

// ---- 13: control and invisible characters -----------------------------------------------------

#[tokio::test]
async fn names_and_addresses_with_invisible_or_control_characters_are_refused() {
    on_both(|app| async move {
        let c = app.client();
        for (field, body) in [
            ("name", json!({"email": "a@example.com", "password": "a fine long password", "name": "Ring\u{7}", "category_id": CATEGORY})),
            ("name", json!({"email": "b@example.com", "password": "a fine long password", "name": "Esc\u{1b}[2J", "category_id": CATEGORY})),
            ("company", json!({"email": "c@example.com", "password": "a fine long password", "name": "Carol", "company": "Acme\u{202e}gnp.exe", "category_id": CATEGORY})),
            ("email", json!({"email": "ad\u{200b}min@example.com", "password": "a fine long password", "name": "Dan", "category_id": CATEGORY})),
        ] {
            let res = c.post("/api/v1/auth/register", body).await;
            assert_eq!(res.status, 422, "{}", res.text);
            assert_eq!(res.body["fields"][0]["field"], field, "{}", res.text);
        }
        assert_eq!(app.count("users").await, 0);
        let (owner, _) = app.signed_in("customer", "owner").await;
        assert_eq!(owner.patch("/api/v1/me", json!({"name": "Zero\u{200b}Width"})).await.status, 422);
        assert_eq!(owner.post("/api/v1/api-keys", json!({"name": "bell\u{7}", "role": "viewer"})).await.status, 422);
        assert_eq!(owner.patch("/api/v1/me", json!({"name": "Zoë O'Brien"})).await.status, 200);
        app
    })
    .await;
}

// ---- 23: sign-ins audited, roles explained, invitations named ----------------------------------

#[tokio::test]
async fn sign_ins_are_in_the_audit_log() {
    on_both(|app| async move {
        let (_, user) = app.signed_in("customer", "owner").await;
        let (n, ip): (i64, String) = sqlx::query_as("SELECT COUNT(*), MAX(ip) FROM audit_log WHERE action = 'user.sign_in' AND actor_id = $1 AND target_id = $1")
            .bind(&user.id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!((n, ip.as_str()), (1, "127.0.0.1"));
        app
    })
    .await;
}

#[tokio::test]
async fn role_pickers_say_what_each_role_may_do_and_which_you_may_grant() {
    on_both(|app| async move {
        let (owner, user) = app.signed_in("customer", "owner").await;
        let roles = owner.get("/api/v1/team").await.body["roles"].clone();
        let owner_role = &roles[0];
        assert_eq!(owner_role["code"], "owner");
        assert!(owner_role["description"].as_str().unwrap().contains("Owner"));
        assert!(owner_role["allows"].as_array().unwrap().contains(&json!("Invite, change roles of and remove members")));
        assert!(owner_role["permissions"].as_array().unwrap().contains(&json!("team.manage")));
        assert!(roles.as_array().unwrap().iter().all(|r| r["grantable"] == true));
        let admin_user = app.seed_user(&user.tenant_id, "admin").await;
        let admin = app.client();
        admin.login(&admin_user.email, PASSWORD).await;
        let roles = admin.get("/api/v1/team").await.body["roles"].clone();
        let grantable: Vec<&str> = roles.as_array().unwrap().iter().filter(|r| r["grantable"] == true).map(|r| r["code"].as_str().unwrap()).collect();
        assert_eq!(grantable, ["admin", "billing", "technical", "viewer"]);
        app
    })
    .await;
}

#[tokio::test]
async fn the_accept_invite_page_names_the_company_and_the_role() {
    on_both(|app| async move {
        let (owner, _) = app.signed_in("carrier", "owner").await;
        sqlx::query("UPDATE tenants SET name = 'Wholesale Routes Ltd' WHERE kind = 'carrier'").execute(app.db.pool()).await.unwrap();
        owner.post("/api/v1/team/invitations", json!({"email": "newbie@example.com", "role": "technical"})).await;
        let token = app.mailed_token("newbie@example.com", "accept-invite").await;
        let preview = app.client().post("/api/v1/auth/invitations/preview", json!({"token": token})).await;
        assert_eq!(preview.status, 200, "{}", preview.text);
        assert_eq!(preview.body["team"], "Wholesale Routes Ltd");
        assert_eq!(preview.body["email"], "newbie@example.com");
        assert_eq!(preview.body["role"]["label"], "Technical");
        assert!(preview.body["role"]["allows"].as_array().unwrap().contains(&json!("Upload and manage rate cards")));
        assert_eq!(app.client().post("/api/v1/auth/invitations/preview", json!({"token": "made-up"})).await.status, 422);
        app
    })
    .await;
}
