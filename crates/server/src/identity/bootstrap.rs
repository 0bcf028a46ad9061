//! The first super admin: on first start with an empty database, someone must be able to sign in.

use didtron_core::{Error, Result, id::new_id, time};
use super::rules;
use didtron_db::Db;
use secrecy::ExposeSecret;

use super::password;
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
    let found: Option<(String,)> = sqlx::query_as("SELECT id FROM tenants WHERE kind = 'platform' ORDER BY created_at LIMIT 1")
        .fetch_optional(db.pool())
        .await
        .map_err(Error::internal)?;
    if let Some((id,)) = found {
        return Ok(id);
    }
    let id = new_id();
    let now = time::to_db(time::now());
    sqlx::query("INSERT INTO tenants (id, kind, name, created_at, created_by, updated_at, updated_by) VALUES ($1, 'platform', 'Platform', $2, 'system', $2, 'system')")
        .bind(&id)
        .bind(&now)
        .execute(db.pool())
        .await
        .map_err(Error::internal)?;
    Ok(id)
}

/// Creates a super admin in the platform tenant. The e-mail must be new.
pub async fn create_super_admin(db: &Db, email: &str, plain_password: &str) -> Result<String> {
    let email = rules::email(email).map_err(|m| Error::invalid("email", m))?;
    rules::password(plain_password).map_err(|m| Error::invalid("password", m))?;
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(&email).fetch_optional(db.pool()).await.map_err(Error::internal)?;
    if taken.is_some() {
        return Err(Error::Conflict(format!("a user with e-mail {email} already exists")));
    }
    let tenant = platform_tenant(db).await?;
    let hash = password::hash(plain_password).await?;
    let id = new_id();
    let now = time::to_db(time::now());
    sqlx::query(
        "INSERT INTO users (id, tenant_id, email, name, password_hash, role, email_verified_at, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, 'Super Admin', $4, 'super_admin', $5, $5, 'system', $5, 'system')",
    )
    .bind(&id)
    .bind(&tenant)
    .bind(&email)
    .bind(&hash)
    .bind(&now)
    .execute(db.pool())
    .await
    .map_err(Error::internal)?;
    Ok(id)
}

/// With no users at all, creates the super admin from `admin_email`/`admin_password`, generating
/// the password when none is configured.
pub async fn ensure_first_admin(db: &Db, settings: &Settings) -> Result<FirstAdmin> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(db.pool()).await.map_err(Error::internal)?;
    if count > 0 {
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
