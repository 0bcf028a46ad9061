//! The first super admin: on first start with an empty database, someone must be able to sign in.

use didtron_core::{Error, Result, id::new_id, time};
use didtron_db::Db;
use secrecy::ExposeSecret;

use super::{password, rules, store};
use crate::config::Settings;

pub const DEFAULT_ADMIN_EMAIL: &str = "admin@localhost";

/// What [`ensure_first_admin`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstAdmin {
    /// Users exist already; nothing was done.
    Exists,
    /// Created with the configured password.
    Created { email: String },
    /// Created with a generated password, which the caller prints once.
    CreatedWithPassword { email: String, password: String },
}

async fn platform_tenant(db: &Db) -> Result<String> {
    if let Some(id) = store::platform_tenant(db).await? {
        return Ok(id);
    }
    let id = new_id();
    let now = time::to_db(time::now());
    store::insert_tenant(db.pool(), store::NewTenant { id: &id, kind: "platform", name: "Platform", category_id: None, now: &now, actor: "system" }).await?;
    Ok(id)
}

/// Creates a super admin in the platform tenant. The e-mail must be new.
pub async fn create_super_admin(db: &Db, email: &str, plain_password: &str) -> Result<String> {
    let email = rules::email(email).map_err(|m| Error::invalid("email", m))?;
    rules::password(plain_password).map_err(|m| Error::invalid("password", m))?;
    if store::user_by_email(db, &email).await?.is_some() {
        return Err(Error::Conflict(format!("a user with e-mail {email} already exists")));
    }
    let tenant = platform_tenant(db).await?;
    let hash = password::hash_unbounded(plain_password).await?;
    let id = new_id();
    let now = time::to_db(time::now());
    let user = store::NewUser {
        id: &id,
        tenant_id: &tenant,
        email: &email,
        name: "Super Admin",
        password_hash: &hash,
        role: "super_admin",
        verified_at: Some(&now),
        now: &now,
        actor: "system",
    };
    store::insert_user(db.pool(), user).await?;
    Ok(id)
}

/// With no users at all, creates the super admin from `admin_email`/`admin_password`, generating
/// the password when none is configured.
pub async fn ensure_first_admin(db: &Db, settings: &Settings) -> Result<FirstAdmin> {
    if store::user_count(db).await? > 0 {
        return Ok(FirstAdmin::Exists);
    }
    let email = settings.admin_email.clone().unwrap_or_else(|| DEFAULT_ADMIN_EMAIL.to_string()).trim().to_lowercase();
    match &settings.admin_password {
        Some(p) => {
            create_super_admin(db, &email, p.expose_secret()).await?;
            Ok(FirstAdmin::Created { email })
        }
        None => {
            let generated = password::generate();
            create_super_admin(db, &email, &generated).await?;
            Ok(FirstAdmin::CreatedWithPassword { email, password: generated })
        }
    }
}
