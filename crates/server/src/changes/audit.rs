//! The audit log: every write by anyone, with the values before and after. Searchable, exportable,
//! and trimmed by a retention policy that the super admin sets.

use didtron_core::{Error, Result, id::new_id, time};
use serde_json::Value;

use crate::http::caller::{Actor, Credential};

/// Who wrote, as the audit log records it.
#[derive(Debug, Clone)]
pub struct AuditActor {
    /// A user id, an API key id, or a name such as `system`.
    pub id: String,
    /// `user`, `api_key`, `system`, `automation` or `agent`.
    pub kind: &'static str,
    pub tenant_id: Option<String>,
    pub ip: String,
}

impl AuditActor {
    /// Background work of DIDtron itself (scheduled jobs, retention).
    pub fn system() -> AuditActor {
        AuditActor { id: "system".into(), kind: "system", tenant_id: None, ip: String::new() }
    }

    /// A person acting before they have a session (sign-up, password reset, invitation).
    pub fn person(user_id: &str, tenant_id: Option<&str>, ip: &str) -> AuditActor {
        AuditActor { id: user_id.into(), kind: "user", tenant_id: tenant_id.map(Into::into), ip: ip.into() }
    }

    /// The actor as a job payload carries it, so work done later is recorded under its requester.
    pub fn to_json(&self) -> Value {
        serde_json::json!({"id": self.id, "kind": self.kind, "tenant_id": self.tenant_id, "ip": self.ip})
    }

    /// The actor back from [`AuditActor::to_json`]; unknown kinds read as `system`.
    pub fn from_json(v: &Value) -> Option<AuditActor> {
        let kind = match v.get("kind")?.as_str()? {
            "user" => "user",
            "api_key" => "api_key",
            "automation" => "automation",
            "agent" => "agent",
            _ => "system",
        };
        Some(AuditActor {
            id: v.get("id")?.as_str()?.to_string(),
            kind,
            tenant_id: v.get("tenant_id").and_then(Value::as_str).map(Into::into),
            ip: v.get("ip").and_then(Value::as_str).unwrap_or_default().to_string(),
        })
    }
}

impl From<Actor> for AuditActor {
    fn from(a: Actor) -> AuditActor {
        AuditActor::from(&a)
    }
}

impl From<&AuditActor> for AuditActor {
    fn from(a: &AuditActor) -> AuditActor {
        a.clone()
    }
}

impl From<&Actor> for AuditActor {
    fn from(a: &Actor) -> AuditActor {
        match &a.credential {
            Credential::Session(_) => AuditActor { id: a.user_id.clone(), kind: "user", tenant_id: Some(a.tenant_id.clone()), ip: a.ip.clone() },
            Credential::ApiKey(key) => AuditActor { id: key.clone(), kind: "api_key", tenant_id: Some(a.tenant_id.clone()), ip: a.ip.clone() },
            Credential::Cli => AuditActor { id: "cli".into(), kind: "system", tenant_id: Some(a.tenant_id.clone()), ip: String::new() },
        }
    }
}

/// One entry to write.
pub struct Entry<'a> {
    pub action: &'a str,
    pub target_kind: &'a str,
    pub target_id: Option<&'a str>,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Writes an entry inside the caller's transaction (or on any connection), so the entry exists
/// exactly when the change does.
pub async fn record<'c, E>(conn: E, actor: &AuditActor, entry: Entry<'_>) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let now = time::to_db(time::now());
    sqlx::query(
        "INSERT INTO audit_log (id, actor_id, actor_kind, tenant_id, action, target_kind, target_id, old_values, new_values, ip, created_at, created_by, updated_at, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $2, $11, $2)",
    )
    .bind(new_id())
    .bind(&actor.id)
    .bind(actor.kind)
    .bind(&actor.tenant_id)
    .bind(entry.action)
    .bind(entry.target_kind)
    .bind(entry.target_id)
    .bind(entry.old.map(|v| v.to_string()))
    .bind(entry.new.map(|v| v.to_string()))
    .bind(&actor.ip)
    .bind(now)
    .execute(conn)
    .await
    .map_err(Error::internal)?;
    Ok(())
}
