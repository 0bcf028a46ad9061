//! Identity and access through the HTTP API, on SQLite and PostgreSQL.

mod common;

use common::{PASSWORD, TestApp, on_both};
use serde_json::{Value, json};

const CATEGORY: &str = "019ab9a0-0000-7000-8000-000000000001";

fn signup(email: &str) -> Value {
    json!({"email": email, "password": "a fine long password", "name": "Alice Example", "company": "Acme VoIP", "category_id": CATEGORY})
}

fn totp_code(secret: &str, offset_steps: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .with_account_name("x")
        .build()
        .unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    totp.generate((now + offset_steps * 30) as u64).to_string()
}

#[tokio::test]
async fn a_person_signs_up_verifies_and_signs_in() {
    on_both(|app| async move {
        let categories = app.get("/api/v1/public/categories").await;
        assert_eq!(categories.status, 200);
        let names: Vec<&str> = categories.body.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["SIP Trunk", "Enterprise", "Call Center", "Individual"]);

        let c = app.client();
        let res = c.post("/api/v1/auth/register", signup("Alice@Example.com")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["email"], "alice@example.com");

        // Not verified yet: sign-in is refused and says why.
        let res = c.post("/api/v1/auth/login", json!({"email": "alice@example.com", "password": "a fine long password"})).await;
        assert_eq!(res.status, 403);
        assert!(res.body["message"].as_str().unwrap().contains("verify your e-mail"));

        let token = app.mailed_token("alice@example.com", "verify-email").await;
        let res = c.post("/api/v1/auth/verify-email", json!({"token": token})).await;
        assert_eq!(res.status, 200, "{}", res.text);

        let me = c.login("alice@example.com", "a fine long password").await;
        assert_eq!(me.body["role"], "owner");
        assert_eq!(me.body["tenant"]["kind"], "customer");
        assert_eq!(me.body["tenant"]["name"], "Acme VoIP");
        assert!(me.body["permissions"].as_array().unwrap().contains(&json!("team.manage")));
        assert!(c.cookie("didtron_session").is_some() && c.cookie("didtron_csrf").is_some());
        let cookie = me.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>();
        assert!(cookie.iter().any(|c| c.starts_with("didtron_session=") && c.contains("HttpOnly") && c.contains("SameSite=Lax")), "{cookie:?}");
        assert!(!cookie.iter().any(|c| c.contains("Max-Age")), "without remember-me the cookies end with the browser session");

        let res = c.get("/api/v1/me").await;
        assert_eq!(res.status, 200);
        assert_eq!(res.body["user"]["email"], "alice@example.com");
        let (category,): (Option<String>,) = sqlx::query_as("SELECT category_id FROM tenants WHERE kind = 'customer'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(category.as_deref(), Some(CATEGORY));
        app
    })
    .await;
}

#[tokio::test]
async fn remember_me_keeps_the_cookie_for_thirty_days() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let res = app.client().post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "remember": true})).await;
        assert_eq!(res.status, 200);
        let set: Vec<String> = res.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        assert!(set.iter().all(|c| c.contains(&format!("Max-Age={}", 30 * 24 * 3600))), "{set:?}");
        app
    })
    .await;
}

#[tokio::test]
async fn bad_sign_up_input_is_refused_field_by_field_and_creates_nothing() {
    on_both(|app| async move {
        let before = (app.count("users").await, app.count("tenants").await, app.count("mail_outbox").await);
        let res = app
            .client()
            .post("/api/v1/auth/register", json!({"email": "not-an-address", "password": "short", "name": " ", "category_id": "nope"}))
            .await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(res.body["code"], "invalid");
        let fields: Vec<&str> = res.body["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["email", "password", "name", "category_id"]);
        // Malformed JSON is a clear 400; JSON of the wrong shape a 422.
        let res = app.send(axum::http::Method::POST, "/api/v1/auth/register", None, &[("content-type".into(), "application/json".into())]).await;
        assert_eq!(res.status, 400);
        assert_eq!(res.body["code"], "bad_request");
        assert!(res.body["message"].as_str().unwrap().contains("not valid JSON"));
        let res = app.client().post("/api/v1/auth/register", json!({"email": 42})).await;
        assert_eq!(res.status, 422);
        assert_eq!(res.body["code"], "invalid");
        assert_eq!((app.count("users").await, app.count("tenants").await, app.count("mail_outbox").await), before);
        app
    })
    .await;
}

#[tokio::test]
async fn an_address_registers_once() {
    on_both(|app| async move {
        let c = app.client();
        let first = c.post("/api/v1/auth/register", signup("bob@example.com")).await;
        assert_eq!(first.status, 201);
        // The second sign-up is answered exactly like the first (the answer must not tell that the
        // address has an account); its owner is told by mail instead.
        let res = c.post("/api/v1/auth/register", signup("BOB@example.com")).await;
        assert_eq!((res.status.as_u16(), &res.body), (201, &first.body));
        assert_eq!(app.count("users").await, 1);
        let (subject,): (String,) = sqlx::query_as("SELECT subject FROM mail_outbox WHERE template = 'account_exists'").fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(subject, "You already have a DIDtron account");
        app
    })
    .await;
}

#[tokio::test]
async fn verification_links_work_once_and_expire() {
    on_both(|app| async move {
        let c = app.client();
        c.post("/api/v1/auth/register", signup("carol@example.com")).await;
        let token = app.mailed_token("carol@example.com", "verify-email").await;
        assert_eq!(c.post("/api/v1/auth/verify-email", json!({"token": token})).await.status, 200);
        let again = c.post("/api/v1/auth/verify-email", json!({"token": token})).await;
        assert_eq!(again.status, 422);
        assert!(again.text.contains("already been used"));
        let bogus = c.post("/api/v1/auth/verify-email", json!({"token": "made-up"})).await;
        assert_eq!(bogus.status, 422);

        c.post("/api/v1/auth/register", signup("dave@example.com")).await;
        let token = app.mailed_token("dave@example.com", "verify-email").await;
        sqlx::query("UPDATE email_tokens SET expires_at = '2000-01-01T00:00:00.000000Z'").execute(app.db.pool()).await.unwrap();
        let expired = c.post("/api/v1/auth/verify-email", json!({"token": token})).await;
        assert_eq!(expired.status, 422);
        assert!(expired.text.contains("expired"));
        let (verified,): (Option<String>,) =
            sqlx::query_as("SELECT email_verified_at FROM users WHERE email = 'dave@example.com'").fetch_one(app.db.pool()).await.unwrap();
        assert!(verified.is_none(), "an expired link changes nothing");

        // A new link can be requested; the answer does not reveal whether an account exists.
        let res = c.post("/api/v1/auth/verify-email/resend", json!({"email": "dave@example.com"})).await;
        assert_eq!(res.status, 202);
        let unknown = c.post("/api/v1/auth/verify-email/resend", json!({"email": "nobody@example.com"})).await;
        assert_eq!((unknown.status.as_u16(), &unknown.body), (202, &res.body));
        let token = app.mailed_token("dave@example.com", "verify-email").await;
        assert_eq!(c.post("/api/v1/auth/verify-email", json!({"token": token})).await.status, 200);
        app
    })
    .await;
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_and_say_so() {
    on_both(|app| async move {
        let tenant = app.seed_tenant("customer").await;
        let user = app.seed_user(&tenant, "owner").await;
        let c = app.client();
        for _ in 0..4 {
            let res = c.post("/api/v1/auth/login", json!({"email": user.email, "password": "wrong password!"})).await;
            assert_eq!(res.status, 401);
            assert_eq!(res.body["code"], "unauthenticated");
        }
        let fifth = c.post("/api/v1/auth/login", json!({"email": user.email, "password": "wrong password!"})).await;
        assert_eq!(fifth.status, 429);
        assert!(fifth.body["message"].as_str().unwrap().contains("locked"), "{}", fifth.text);
        assert!(fifth.headers.contains_key("retry-after"));
        // Even the right password waits out the lock.
        let right = c.post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD})).await;
        assert_eq!(right.status, 429);
        assert_eq!(app.count("sessions").await, 0);
        // Once the lock has passed, the right password works. (Locks are kept per address.)
        sqlx::query("UPDATE sign_in_guards SET locked_until = '2000-01-01T00:00:00.000000Z'").execute(app.db.pool()).await.unwrap();
        c.login(&user.email, PASSWORD).await;
        app
    })
    .await;
}

#[tokio::test]
async fn one_address_cannot_guess_without_limit() {
    on_both(|app| async move {
        let c = app.client();
        for i in 0..20 {
            let res = c.post("/api/v1/auth/login", json!({"email": format!("guess{i}@example.com"), "password": "whatever pass"})).await;
            assert_eq!(res.status, 401);
        }
        let res = c.post("/api/v1/auth/login", json!({"email": "guess@example.com", "password": "whatever pass"})).await;
        assert_eq!(res.status, 429);
        assert!(res.body["message"].as_str().unwrap().contains("too many"));
        app
    })
    .await;
}

#[tokio::test]
async fn two_factor_enrolment_and_sign_in_with_a_code() {
    on_both(|app| async move {
        let (c, user) = app.signed_in("customer", "owner").await;
        let setup = c.post("/api/v1/me/2fa/setup", json!({})).await;
        assert_eq!(setup.status, 200, "{}", setup.text);
        let secret = setup.body["secret"].as_str().unwrap().to_string();
        assert!(setup.body["otpauth_url"].as_str().unwrap().starts_with("otpauth://totp/DIDtron:"));
        let (stored,): (String,) = sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1").bind(&user.id).fetch_one(app.db.pool()).await.unwrap();
        assert!(!stored.contains(&secret), "the seed is stored encrypted");

        let wrong = c.post("/api/v1/me/2fa/enable", json!({"code": "000000"})).await;
        assert_eq!(wrong.status, 422);
        // Kept, not recomputed: a 30-second step can end between enabling and the reuse below.
        let first_code = totp_code(&secret, 0);
        let enabled = c.post("/api/v1/me/2fa/enable", json!({"code": first_code})).await;
        assert_eq!(enabled.status, 200, "{}", enabled.text);
        let recovery: Vec<String> = enabled.body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
        assert_eq!(recovery.len(), 10);

        let fresh = app.client();
        let res = fresh.post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD})).await;
        assert_eq!(res.status, 401);
        assert_eq!(res.body["code"], "totp_required");
        let res = fresh.post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "totp": "123456"})).await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(fresh.cookie("didtron_session"), None);
        // The code used to enable is spent; the next step's code works once.
        let reused = fresh.post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "totp": first_code})).await;
        assert_eq!(reused.status, 422, "a code is accepted only once");
        let next = totp_code(&secret, 1);
        let ok = fresh.post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "totp": next})).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert_eq!(ok.body["user"]["two_factor"], true);
        let again = app.client().post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "totp": next})).await;
        assert_eq!(again.status, 422);

        // A recovery code signs in once.
        let rc = app.client().post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "totp": recovery[0].to_uppercase()})).await;
        assert_eq!(rc.status, 200, "{}", rc.text);
        assert_eq!(rc.body["user"]["recovery_codes_left"], 9);
        let rc2 = app.client().post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD, "totp": recovery[0]})).await;
        assert_eq!(rc2.status, 422);

        // Turning it off needs the password and a code.
        let bad = c.post("/api/v1/me/2fa/disable", json!({"password": "not the password", "code": recovery[1]})).await;
        assert_eq!(bad.status, 422);
        let off = c.post("/api/v1/me/2fa/disable", json!({"password": PASSWORD, "code": recovery[1]})).await;
        assert_eq!(off.status, 200, "{}", off.text);
        app.client().login(&user.email, PASSWORD).await;
        app
    })
    .await;
}

#[tokio::test]
async fn a_password_reset_replaces_the_password_and_ends_sessions() {
    on_both(|app| async move {
        let (c, user) = app.signed_in("carrier", "owner").await;
        let anon = app.client();
        let res = anon.post("/api/v1/auth/password/forgot", json!({"email": user.email})).await;
        assert_eq!(res.status, 202);
        let unknown = anon.post("/api/v1/auth/password/forgot", json!({"email": "nobody@example.com"})).await;
        assert_eq!((unknown.status.as_u16(), &unknown.body), (202, &res.body), "the answer does not reveal accounts");
        let token = app.mailed_token(&user.email, "reset-password").await;

        let weak = anon.post("/api/v1/auth/password/reset", json!({"token": token, "password": "short"})).await;
        assert_eq!(weak.status, 422);
        let ok = anon.post("/api/v1/auth/password/reset", json!({"token": token, "password": "a brand new password"})).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        let reused = anon.post("/api/v1/auth/password/reset", json!({"token": token, "password": "another new password"})).await;
        assert_eq!(reused.status, 422);

        assert_eq!(c.get("/api/v1/me").await.status, 401, "the old session ended");
        let old = anon.post("/api/v1/auth/login", json!({"email": user.email, "password": PASSWORD})).await;
        assert_eq!(old.status, 401);
        anon.login(&user.email, "a brand new password").await;
        app
    })
    .await;
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_token() {
    on_both(|app| async move {
        let (c, _) = app.signed_in("customer", "owner").await;
        let c = c.without_csrf();
        let res = c.patch("/api/v1/me", json!({"name": "New Name"})).await;
        assert_eq!(res.status, 403);
        assert!(res.text.contains("CSRF"));
        assert_eq!(c.get("/api/v1/me").await.body["user"]["name"], "Test owner", "nothing changed; reads need no token");
        app
    })
    .await;
}

#[tokio::test]
async fn logout_and_log_out_all_devices() {
    on_both(|app| async move {
        let (laptop, user) = app.signed_in("customer", "owner").await;
        let phone = app.client();
        phone.login(&user.email, PASSWORD).await;
        let sessions = laptop.get("/api/v1/me/sessions").await;
        assert_eq!(sessions.body.as_array().unwrap().len(), 2);
        assert_eq!(sessions.body.as_array().unwrap().iter().filter(|s| s["current"] == true).count(), 1);

        assert_eq!(phone.post("/api/v1/auth/logout", json!({})).await.status, 204);
        assert_eq!(phone.get("/api/v1/me").await.status, 401);
        assert_eq!(laptop.get("/api/v1/me").await.status, 200);

        phone.login(&user.email, PASSWORD).await;
        assert_eq!(laptop.post("/api/v1/me/sessions/revoke-all", json!({})).await.status, 204);
        assert_eq!(laptop.get("/api/v1/me").await.status, 401);
        assert_eq!(phone.get("/api/v1/me").await.status, 401);
        assert_eq!(app.count("sessions").await, 0);
        app
    })
    .await;
}

#[tokio::test]
async fn the_login_history_shows_successes_and_reasons_of_failure() {
    on_both(|app| async move {
        let (c, user) = app.signed_in("customer", "owner").await;
        app.client().post("/api/v1/auth/login", json!({"email": user.email, "password": "wrong password!"})).await;
        let history = c.get("/api/v1/me/login-history?limit=10").await;
        assert_eq!(history.status, 200);
        assert_eq!(history.body["total"], 2);
        let items = history.body["items"].as_array().unwrap();
        assert_eq!(items[0]["success"], false);
        assert_eq!(items[0]["reason"], "wrong_password");
        assert_eq!(items[1]["success"], true);
        assert!(items[1]["ip"].is_string());
        app
    })
    .await;
}

/// For each role of each kind of tenant: one action its role allows succeeds, one it does not is
/// refused with 403 and changes nothing.
#[tokio::test]
async fn the_permission_matrix_holds_for_every_role() {
    on_both(|app| async move {
        let invite = |role: &str| json!({"email": format!("new-{}@example.com", didtron_core::id::new_id()), "role": role});
        let key = |role: &str| json!({"name": "ci", "role": role});
        let cases: Vec<(&str, &str, (&str, &str, Option<Value>, u16), (&str, &str, Option<Value>))> = vec![
            ("platform", "super_admin", ("GET", "/api/v1/admin/mail-outbox", None, 200), ("PATCH", "/api/v1/team/members/019ab9a0-0000-7000-8000-0000000000ff", Some(json!({"role": "viewer"})))),
            ("platform", "admin", ("POST", "/api/v1/team/invitations", Some(invite("support")), 201), ("GET", "/api/v1/admin/mail-outbox", None)),
            ("platform", "finance", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/team/invitations", Some(invite("viewer")))),
            ("platform", "support", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/api-keys", Some(key("viewer")))),
            ("platform", "sales", ("GET", "/api/v1/team", None, 200), ("GET", "/api/v1/admin/mail-outbox", None)),
            ("platform", "marketing", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/team/invitations", Some(invite("viewer")))),
            ("platform", "viewer", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/team/invitations", Some(invite("viewer")))),
            ("customer", "owner", ("POST", "/api/v1/team/invitations", Some(invite("owner")), 201), ("GET", "/api/v1/admin/mail-outbox", None)),
            ("customer", "admin", ("POST", "/api/v1/team/invitations", Some(invite("billing")), 201), ("POST", "/api/v1/team/invitations", Some(invite("owner")))),
            ("customer", "billing", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/api-keys", Some(key("viewer")))),
            ("customer", "technical", ("POST", "/api/v1/api-keys", Some(key("technical")), 201), ("POST", "/api/v1/team/invitations", Some(invite("viewer")))),
            ("customer", "viewer", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/api-keys", Some(key("viewer")))),
            ("carrier", "owner", ("POST", "/api/v1/api-keys", Some(key("admin")), 201), ("GET", "/api/v1/admin/mail-outbox", None)),
            ("carrier", "admin", ("POST", "/api/v1/team/invitations", Some(invite("technical")), 201), ("POST", "/api/v1/team/invitations", Some(invite("owner")))),
            ("carrier", "billing", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/team/invitations", Some(invite("viewer")))),
            ("carrier", "technical", ("POST", "/api/v1/api-keys", Some(key("technical")), 201), ("POST", "/api/v1/api-keys", Some(key("admin")))),
            ("carrier", "viewer", ("GET", "/api/v1/team", None, 200), ("POST", "/api/v1/api-keys", Some(key("viewer")))),
        ];
        assert_eq!(cases.len(), 17, "7 platform roles, 5 customer roles, 5 carrier roles");
        for (kind, role, (am, ap, ab, astatus), (fm, fp, fb)) in cases {
            let (c, _) = app.signed_in(kind, role).await;
            let allowed = c.call(am.parse().unwrap(), ap, ab).await;
            assert_eq!(allowed.status, astatus, "{kind} {role}: {am} {ap} should be allowed: {}", allowed.text);
            let before = (app.count("invitations").await, app.count("api_keys").await);
            let forbidden = c.call(fm.parse().unwrap(), fp, fb).await;
            // The Super Admin may do everything; what it cannot reach is a record that is not there.
            let expected = if role == "super_admin" { 404 } else { 403 };
            assert_eq!(forbidden.status, expected, "{kind} {role}: {fm} {fp} should be refused: {}", forbidden.text);
            assert_eq!((app.count("invitations").await, app.count("api_keys").await), before, "a refused action changes nothing");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn one_customer_can_read_nothing_of_another() {
    on_both(|app| async move {
        let (a, a_user) = app.signed_in("customer", "owner").await;
        let (b, b_user) = app.signed_in("customer", "owner").await;
        let b_key = b.post("/api/v1/api-keys", json!({"name": "b", "role": "viewer"})).await.body["id"].as_str().unwrap().to_string();
        let b_invite = b.post("/api/v1/team/invitations", json!({"email": "x@example.com", "role": "viewer"})).await.body["id"].as_str().unwrap().to_string();

        let team = a.get("/api/v1/team").await;
        let emails: Vec<&str> = team.body["members"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
        assert_eq!(emails, [a_user.email.as_str()]);
        assert!(team.body["invitations"].as_array().unwrap().is_empty());
        assert!(a.get("/api/v1/api-keys").await.body.as_array().unwrap().is_empty());

        // Another tenant's ids answer 404, exactly like ids that do not exist.
        assert_eq!(a.patch(&format!("/api/v1/team/members/{}", b_user.id), json!({"role": "viewer"})).await.status, 404);
        assert_eq!(a.delete(&format!("/api/v1/team/members/{}", b_user.id)).await.status, 404);
        assert_eq!(a.delete(&format!("/api/v1/api-keys/{b_key}")).await.status, 404);
        assert_eq!(a.delete(&format!("/api/v1/team/invitations/{b_invite}")).await.status, 404);
        assert_eq!(a.delete("/api/v1/api-keys/dk_doesnotexist").await.status, 404);
        let (role,): (String,) = sqlx::query_as("SELECT role FROM users WHERE id = $1").bind(&b_user.id).fetch_one(app.db.pool()).await.unwrap();
        assert_eq!(role, "owner");
        assert_eq!(b.get("/api/v1/api-keys").await.body[0]["revoked_at"], Value::Null);
        app
    })
    .await;
}

#[tokio::test]
async fn the_last_owner_stays() {
    on_both(|app| async move {
        let (owner_client, owner) = app.signed_in("customer", "owner").await;
        let admin = app.seed_user(&owner.tenant_id, "admin").await;
        let admin_client = app.client();
        admin_client.login(&admin.email, PASSWORD).await;

        let res = owner_client.patch(&format!("/api/v1/team/members/{}", owner.id), json!({"role": "admin"})).await;
        assert_eq!(res.status, 409, "{}", res.text);
        assert!(res.text.contains("last Owner"));
        assert_eq!(owner_client.delete(&format!("/api/v1/team/members/{}", owner.id)).await.status, 409);
        // An Admin may not touch the Owner at all.
        assert_eq!(admin_client.patch(&format!("/api/v1/team/members/{}", owner.id), json!({"role": "viewer"})).await.status, 403);
        assert_eq!(admin_client.delete(&format!("/api/v1/team/members/{}", owner.id)).await.status, 403);
        // With a second Owner, the first may step down.
        assert_eq!(owner_client.patch(&format!("/api/v1/team/members/{}", admin.id), json!({"role": "owner"})).await.status, 204);
        assert_eq!(owner_client.patch(&format!("/api/v1/team/members/{}", owner.id), json!({"role": "billing"})).await.status, 204);
        let bad = admin_client.patch(&format!("/api/v1/team/members/{}", owner.id), json!({"role": "super_admin"})).await;
        assert_eq!(bad.status, 422, "platform roles do not exist in a customer account");
        // Removing a member ends their sessions.
        assert_eq!(admin_client.delete(&format!("/api/v1/team/members/{}", owner.id)).await.status, 204);
        assert_eq!(owner_client.get("/api/v1/me").await.status, 401);
        app
    })
    .await;
}

#[tokio::test]
async fn an_invitation_brings_a_teammate_in_with_the_role() {
    on_both(|app| async move {
        let (owner, _) = app.signed_in("carrier", "owner").await;
        let res = owner.post("/api/v1/team/invitations", json!({"email": "Tech@Example.com", "role": "technical"})).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let dup = owner.post("/api/v1/team/invitations", json!({"email": "tech@example.com", "role": "viewer"})).await;
        assert_eq!(dup.status, 409);
        let bad = owner.post("/api/v1/team/invitations", json!({"email": "x@example.com", "role": "sales"})).await;
        assert_eq!(bad.status, 422);

        let token = app.mailed_token("tech@example.com", "accept-invite").await;
        let anon = app.client();
        let weak = anon.post("/api/v1/auth/invitations/accept", json!({"token": token, "name": "Tech", "password": "short"})).await;
        assert_eq!(weak.status, 422);
        let ok = anon.post("/api/v1/auth/invitations/accept", json!({"token": token, "name": "Tech Person", "password": "teammate password"})).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        let twice = anon.post("/api/v1/auth/invitations/accept", json!({"token": token, "name": "Tech", "password": "teammate password"})).await;
        assert_eq!(twice.status, 422);
        let me = anon.login("tech@example.com", "teammate password").await;
        assert_eq!(me.body["role"], "technical");
        assert_eq!(me.body["tenant"]["kind"], "carrier");
        assert!(me.body["permissions"].as_array().unwrap().contains(&json!("rates.manage")));

        // Someone who already has an account cannot join elsewhere; the inviter is answered as for
        // any address (it must not learn who has an account), and the person gets no link.
        let (other, _) = app.signed_in("customer", "owner").await;
        let taken = other.post("/api/v1/team/invitations", json!({"email": "tech@example.com", "role": "viewer"})).await;
        assert_eq!(taken.status, 201, "{}", taken.text);
        let (body,): (String,) = sqlx::query_as("SELECT body_text FROM mail_outbox WHERE to_address = 'tech@example.com' ORDER BY created_at DESC LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert!(body.contains("already has a DIDtron account") && !body.contains("token="), "{body}");
        // A member of the same team is no secret to its own admins.
        let member = owner.post("/api/v1/team/invitations", json!({"email": "tech@example.com", "role": "viewer"})).await;
        assert_eq!(member.status, 409);
        app
    })
    .await;
}

#[tokio::test]
async fn api_keys_authenticate_until_revoked_or_expired() {
    on_both(|app| async move {
        let (owner, _) = app.signed_in("customer", "owner").await;
        let created = owner.post("/api/v1/api-keys", json!({"name": "billing robot", "role": "billing"})).await;
        assert_eq!(created.status, 201, "{}", created.text);
        let token = created.body["token"].as_str().unwrap().to_string();
        let id = created.body["id"].as_str().unwrap().to_string();
        let (stored,): (String,) = sqlx::query_as("SELECT secret_hash FROM api_keys WHERE id = $1").bind(&id).fetch_one(app.db.pool()).await.unwrap();
        assert!(!stored.contains(created.body["secret"].as_str().unwrap()));
        let listed = owner.get("/api/v1/api-keys").await;
        assert!(!listed.text.contains(created.body["secret"].as_str().unwrap()), "the secret is never shown again");
        assert_eq!(listed.body[0]["last_used_at"], Value::Null);

        let robot = app.key_client(&token);
        let me = robot.get("/api/v1/me").await;
        assert_eq!(me.status, 200, "{}", me.text);
        assert_eq!(me.body["role"], "billing");
        assert_eq!(me.body["credential"], "api_key");
        // No CSRF token is needed with a key, but the key's role is enforced.
        assert_eq!(robot.post("/api/v1/team/invitations", json!({"email": "z@example.com", "role": "viewer"})).await.status, 403);
        // Person-only actions refuse keys.
        assert_eq!(robot.post("/api/v1/me/password", json!({"current_password": PASSWORD, "new_password": "whatever it is"})).await.status, 403);
        assert!(owner.get("/api/v1/api-keys").await.body[0]["last_used_at"].is_string(), "use is recorded");

        let wrong = app.key_client(&format!("{id}.not-the-secret"));
        assert_eq!(wrong.get("/api/v1/me").await.status, 401);
        assert_eq!(owner.delete(&format!("/api/v1/api-keys/{id}")).await.status, 204);
        let revoked = robot.get("/api/v1/me").await;
        assert_eq!(revoked.status, 401);
        assert!(revoked.text.contains("revoked"));

        let past = owner.post("/api/v1/api-keys", json!({"name": "x", "role": "viewer", "expires_at": "2001-01-01T00:00:00Z"})).await;
        assert_eq!(past.status, 422);
        let soon = owner.post("/api/v1/api-keys", json!({"name": "x", "role": "viewer", "expires_at": "2099-01-01T00:00:00Z"})).await;
        let soon_token = soon.body["token"].as_str().unwrap().to_string();
        assert_eq!(app.key_client(&soon_token).get("/api/v1/me").await.status, 200);
        sqlx::query("UPDATE api_keys SET expires_at = '2001-01-01T00:00:00.000000Z' WHERE id = $1")
            .bind(soon.body["id"].as_str().unwrap())
            .execute(app.db.pool())
            .await
            .unwrap();
        let expired = app.key_client(&soon_token).get("/api/v1/me").await;
        assert_eq!(expired.status, 401);
        assert!(expired.text.contains("expired"));
        app
    })
    .await;
}

#[tokio::test]
async fn only_the_super_admin_reads_the_mail_outbox() {
    on_both(|app: TestApp| async move {
        app.client().post("/api/v1/auth/register", signup("erin@example.com")).await;
        let (admin, _) = app.signed_in("platform", "super_admin").await;
        let outbox = admin.get("/api/v1/admin/mail-outbox?q=erin").await;
        assert_eq!(outbox.status, 200);
        assert_eq!(outbox.body["total"], 1);
        assert_eq!(outbox.body["items"][0]["template"], "verify_email");
        assert_eq!(outbox.body["items"][0]["status"], "stored");
        let id = outbox.body["items"][0]["id"].as_str().unwrap();
        assert_eq!(admin.get(&format!("/api/v1/admin/mail-outbox/{id}")).await.status, 200);
        assert_eq!(admin.get("/api/v1/admin/mail-outbox?q=nobody").await.body["total"], 0);
        let (platform_admin, _) = app.signed_in("platform", "admin").await;
        assert_eq!(platform_admin.get("/api/v1/admin/mail-outbox").await.status, 403);
        app
    })
    .await;
}

/// Private by default: every route in the API document that is not on the public list refuses an
/// anonymous caller.
#[tokio::test]
async fn every_private_route_refuses_anonymous_callers() {
    let public = [
        "/healthz",
        "/readyz",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/verify-email",
        "/api/v1/auth/verify-email/resend",
        "/api/v1/auth/password/forgot",
        "/api/v1/auth/password/reset",
        "/api/v1/auth/invitations/accept",
        "/api/v1/auth/invitations/preview",
        "/api/v1/public/categories",
        // Authenticated by the switch's shared secret instead (tested in switch.rs).
        "/api/v1/switch/webhooks/inbound",
    ];
    let app = TestApp::new(didtron_db::Backend::Sqlite).await;
    let doc = serde_json::to_value(didtron::app::openapi()).unwrap();
    let mut checked = 0;
    for (path, ops) in doc["paths"].as_object().unwrap() {
        if public.contains(&path.as_str()) {
            continue;
        }
        for method in ops.as_object().unwrap().keys() {
            let concrete = path.replace("{id}", "019ab9a0-0000-7000-8000-0000000000ff");
            let res = app.request(method.to_uppercase().parse().unwrap(), &concrete, Some(json!({}))).await;
            assert_eq!(res.status, 401, "{method} {path} must require a caller");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} private operations found");
    app.finish().await;
}
